/* virtio-net with pluggable backends: "tap" (the VMM moves packets between
 * the rings and a tap device) and "vhost-user" (a backend such as the
 * switch's DPDK datapath maps guest memory and serves the rings itself). */
#ifndef VMM_VIRTIO_NET_H
#define VMM_VIRTIO_NET_H 1

#include <stdbool.h>
#include <stdint.h>

#include "virtio-pci.h"

struct vmm;
struct mainloop;
struct pci_bus;
struct ds;
struct virtio_net;
struct net_backend;

#define VIRTIO_NET_F_CSUM        0
#define VIRTIO_NET_F_GUEST_CSUM  1
#define VIRTIO_NET_F_MTU         3
#define VIRTIO_NET_F_MAC         5
#define VIRTIO_NET_F_MRG_RXBUF   15
#define VIRTIO_NET_F_STATUS      16
#define VIRTIO_NET_F_CTRL_VQ     17
#define VIRTIO_NET_F_MQ          22
#define VIRTIO_F_ANY_LAYOUT      27
#define VIRTIO_RING_F_INDIRECT_DESC 28
#define VIRTIO_RING_F_EVENT_IDX  29
#define VHOST_USER_F_PROTOCOL_FEATURES 30

/* Control queue (5.1.6.5). */
#define VIRTIO_NET_CTRL_RX 0
#define VIRTIO_NET_CTRL_MQ 4
#define VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET 0
#define VIRTIO_NET_OK 0
#define VIRTIO_NET_ERR 1

/* The header before every packet once VIRTIO_F_VERSION_1 is negotiated. */
#define VIRTIO_NET_HDR_LEN 12

struct net_backend_options {
    const char *arg;            /* IFNAME or SOCKET. */
    bool server;                /* vhost-user: listen on SOCKET. */
    int queue_pairs;            /* vhost-user: requested (default 1). */
};

struct net_backend_class {
    const char *type;           /* "tap", "vhost-user". */
    bool vmm_kicks;             /* The VMM serves the data rings itself. */
    int (*create)(struct virtio_net *, const struct net_backend_options *,
                  struct net_backend **);
    void (*destroy)(struct net_backend *);
    /* Device features the backend can honour (added to VERSION_1 etc). */
    uint64_t (*features)(struct net_backend *);
    /* The driver set DRIVER_OK / reset the device. */
    int (*start)(struct net_backend *);
    void (*stop)(struct net_backend *);
    void (*queue_kick)(struct net_backend *, int q);
    /* Queue pairs the backend can serve, and the driver's choice of how
     * many to use (multiqueue; may be NULL for single-queue backends). */
    int (*max_queue_pairs)(struct net_backend *);
    int (*set_queue_pairs)(struct net_backend *, int n);
    void (*format)(const struct net_backend *, struct ds *);
};

extern const struct net_backend_class net_tap_class;
extern const struct net_backend_class net_vhost_user_class;

struct virtio_net {
    struct virtio_dev vdev;
    char name[32];
    uint8_t mac[6];
    uint16_t max_queue_pairs;
    uint16_t active_queue_pairs;        /* Set by the driver (ctrl queue). */
    int ctrl_queue;                     /* Index, or -1 without MQ. */
    const struct net_backend_class *backend_class;
    struct net_backend *backend;
};

/* 'spec' is "tap=IFNAME[,mac=MAC]" or
 * "vhost-user=SOCKET[,mac=MAC][,server][,queues=N]". */
int virtio_net_create(struct vmm *, struct mainloop *, struct pci_bus *,
                      const char *spec, int index, struct virtio_net **);
void virtio_net_destroy(struct virtio_net *);
void virtio_net_format(const struct virtio_net *, struct ds *);

#endif /* vmm/virtio-net.h */
