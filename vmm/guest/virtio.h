/* A minimal modern virtio-pci driver for vs-test-guest: polling only. */
#ifndef GUEST_VIRTIO_H
#define GUEST_VIRTIO_H 1

#include <stdbool.h>
#include <stdint.h>

#define GQ_SIZE 16

struct gdesc { uint64_t addr; uint32_t len; uint16_t flags, next; };
struct gavail { uint16_t flags, idx, ring[GQ_SIZE], used_event; };
struct gused_elem { uint32_t id, len; };
struct gused { uint16_t flags, idx; struct gused_elem ring[GQ_SIZE]; uint16_t avail_event; };

struct gvq {
    uint16_t size;
    struct gdesc *desc;
    struct gavail *avail;
    struct gused *used;
    uint16_t last_used;
    uint64_t notify;
    uint16_t index;
};

struct gvdev {
    int slot;
    uint64_t common, notify, isr, device;
    uint32_t notify_mult;
    struct gvq q[8];
    bool use_msix;              /* Queue q interrupts on MSI-X vector q. */
};

uint64_t gvirtio_bar_addr(int slot, int bar);

#define GDESC_NEXT 1
#define GDESC_WRITE 2

/* Finds virtio device 'type' (1 net, 2 block), resets it and negotiates
 * VERSION_1 plus 'want' (low 32 feature bits).  Returns 0 or -1. */
int gvirtio_open(struct gvdev *, int type, uint32_t want, uint32_t *got);
int gvirtio_setup_queue(struct gvdev *, int q);
int gvirtio_driver_ok(struct gvdev *);
/* Publishes chain 'head' (descriptors already filled) and notifies. */
void gvq_submit(struct gvdev *, int q, uint16_t head);
/* Returns a used element's id and length, or -1 if none. */
int gvq_poll(struct gvq *, uint32_t *len);
/* Waits up to 'ms' for a used element. */
int gvq_wait(struct gvq *, uint32_t *len, uint64_t ms);

#endif
