/* Modern (virtio 1.x) PCI transport: the vendor capabilities (common,
 * notify, ISR, device config), MSI-X routed through KVM, one ioeventfd per
 * queue for kicks and one irqfd-bound eventfd per queue for interrupts.
 *
 * The kick and call eventfds exist for the device's whole life, so a
 * vhost-user backend can be handed them directly: then no datapath work
 * passes through the VMM.  Queues that the VMM serves itself (bits of
 * 'vmm_queues') get queue_kick() calls from the main loop. */
#ifndef VMM_VIRTIO_PCI_H
#define VMM_VIRTIO_PCI_H 1

#include <stdbool.h>
#include <stdint.h>

#include "pci.h"
#include "virtq.h"

struct mainloop;
struct virtio_dev;

#define VIRTIO_F_VERSION_1 32
#define VIRTIO_NO_VECTOR 0xffff

#define VIRTIO_STATUS_ACKNOWLEDGE 1
#define VIRTIO_STATUS_DRIVER 2
#define VIRTIO_STATUS_DRIVER_OK 4
#define VIRTIO_STATUS_FEATURES_OK 8
#define VIRTIO_STATUS_NEEDS_RESET 0x40
#define VIRTIO_STATUS_FAILED 0x80

#define VIRTIO_ID_NET 1
#define VIRTIO_ID_BLOCK 2

struct virtio_dev_ops {
    void (*read_config)(struct virtio_dev *, unsigned int offset, void *data,
                        unsigned int len);
    void (*write_config)(struct virtio_dev *, unsigned int offset,
                         const void *data, unsigned int len);
    /* The driver set DRIVER_OK: start the queues.  Returns 0 or an error,
     * which sets DEVICE_NEEDS_RESET. */
    int (*start)(struct virtio_dev *);
    /* The driver reset the device (or it is being destroyed). */
    void (*reset)(struct virtio_dev *);
    /* The guest kicked queue 'q' (only queues in 'vmm_queues'). */
    void (*queue_kick)(struct virtio_dev *, int q);
};

struct virtio_queue {
    struct virtio_dev *dev;
    int index;
    uint16_t size;              /* Driver's choice, <= max_size. */
    uint16_t max_size;
    uint16_t msix_vector;
    bool enabled;
    uint64_t desc, driver, device;      /* Guest physical ring addresses. */
    int kick_fd;                /* ioeventfd on the queue's notify address. */
    int call_fd;                /* irqfd to the queue's MSI-X vector. */
    int irqfd_gsi;              /* GSI 'call_fd' is bound to, or -1. */
    struct virtq vq;            /* For VMM-served queues, after start. */
};

struct msix_entry {
    uint32_t addr_lo, addr_hi, data, ctrl;
};

struct virtio_dev {
    struct pci_device pci;
    struct vmm *vmm;
    struct mainloop *ml;
    const char *name;           /* For logs: "virtio-net0". */
    const struct virtio_dev_ops *ops;
    void *aux;                  /* The device model's state. */
    uint64_t vmm_queues;        /* Bit q: the VMM serves queue q. */

    uint64_t host_features;
    uint64_t guest_features;
    uint32_t host_features_sel, guest_features_sel;
    uint8_t status;
    uint16_t queue_sel;
    uint16_t msix_config;
    uint8_t isr;

    int n_queues;
    struct virtio_queue *queues;

    int n_vectors;
    struct msix_entry *msix;
    uint32_t *gsis;             /* GSI of each MSI-X vector. */
    uint8_t msix_cap;           /* Config-space offset of the capability. */
    uint64_t bar_addr;
    int slot;
};

/* Sets up the PCI function and plugs it into 'bus'. */
int virtio_dev_init(struct virtio_dev *, struct vmm *, struct mainloop *,
                    struct pci_bus *, const char *name, uint16_t device_type,
                    int n_queues, uint16_t queue_max,
                    const struct virtio_dev_ops *, void *aux,
                    uint64_t vmm_queues);
void virtio_dev_uninit(struct virtio_dev *);

/* Interrupts the driver for queue 'q' unless it suppressed interrupts. */
void virtio_dev_notify(struct virtio_dev *, int q);

static inline bool
virtio_dev_vmm_serves(const struct virtio_dev *dev, int q)
{
    return q < 64 && (dev->vmm_queues & (1ULL << q));
}

static inline bool
virtio_dev_has_feature(const struct virtio_dev *dev, int bit)
{
    return dev->guest_features & (1ULL << bit);
}

#endif /* vmm/virtio-pci.h */
