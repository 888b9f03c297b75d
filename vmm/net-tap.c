/* virtio-net tap backend: the main thread copies packets between the rings
 * and a tap device (no vhost-net).  The tap carries the 12-byte virtio-net
 * header itself (IFF_VNET_HDR), so frames pass through unchanged. */
#include <config.h>
#include "virtio-net.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "dynamic-string.h"
#include "log.h"
#include "mainloop.h"
#include "util.h"

#define RX_QUEUE 0
#define TX_QUEUE 1
#define MAX_BURST 256           /* Packets per callback, for fairness. */

struct net_backend {
    struct virtio_net *net;
    char ifname[IFNAMSIZ];
    int fd;
    bool running;
    uint64_t rx_packets, tx_packets, rx_dropped, tx_errors;
};

static void tap_rx(struct net_backend *);

static void
tap_readable_cb(void *be_, int fd, short revents)
{
    tap_rx(be_);
}

static void
tap_rx(struct net_backend *be)
{
    struct virtio_dev *vdev = &be->net->vdev;
    struct virtq *vq = &vdev->queues[RX_QUEUE].vq;
    bool done = false;

    if (!be->running) {
        return;
    }
    for (int i = 0; i < MAX_BURST; i++) {
        struct virtq_elem e;
        int error = virtq_pop(vq, &e);
        if (error) {
            if (error == EINVAL) {
                vdev->status |= VIRTIO_STATUS_NEEDS_RESET;
                be->running = false;
            }
            /* No buffers: stop reading until the guest posts more. */
            mainloop_set_events(vdev->ml, be->fd, 0);
            break;
        }
        if (!e.n_in || e.n_out || iov_size(e.in, e.n_in) < VIRTIO_NET_HDR_LEN
            || e.in[0].iov_len < VIRTIO_NET_HDR_LEN) {
            VMM_WARN_RL("%s: malformed receive buffer", be->net->name);
            vdev->status |= VIRTIO_STATUS_NEEDS_RESET;
            be->running = false;
            break;
        }
        ssize_t n = readv(be->fd, e.in, e.n_in);
        if (n < 0) {
            /* Hand the buffer back unused; it stays first in line. */
            vq->last_avail--;
            break;
        }
        /* num_buffers: 1 without mergeable receive buffers. */
        uint16_t one = 1;
        memcpy((uint8_t *) e.in[0].iov_base + 10, &one, 2);
        virtq_push(vq, e.head, n);
        be->rx_packets++;
        done = true;
    }
    if (done) {
        virtio_dev_notify(vdev, RX_QUEUE);
    }
}

static void
tap_tx(struct net_backend *be)
{
    struct virtio_dev *vdev = &be->net->vdev;
    struct virtq *vq = &vdev->queues[TX_QUEUE].vq;
    bool done = false;
    int i;

    for (i = 0; i < MAX_BURST; i++) {
        struct virtq_elem e;
        int error = virtq_pop(vq, &e);
        if (error) {
            if (error == EINVAL) {
                vdev->status |= VIRTIO_STATUS_NEEDS_RESET;
                be->running = false;
            }
            break;
        }
        if (e.n_in || iov_size(e.out, e.n_out) <= VIRTIO_NET_HDR_LEN
            || writev(be->fd, e.out, e.n_out) < 0) {
            be->tx_errors++;
            VMM_WARN_RL("%s: transmit to %s failed", be->net->name,
                        be->ifname);
        } else {
            be->tx_packets++;
        }
        virtq_push(vq, e.head, 0);
        done = true;
    }
    if (done) {
        virtio_dev_notify(vdev, TX_QUEUE);
    }
    if (i == MAX_BURST) {
        /* More may be waiting: come back after other work. */
        uint64_t one = 1;
        if (write(vdev->queues[TX_QUEUE].kick_fd, &one, sizeof one) < 0) {
            /* Already signalled. */
        }
    }
}

static int
tap_create(struct virtio_net *net, const struct net_backend_options *opts,
           struct net_backend **bep)
{
    struct net_backend *be = xzalloc(sizeof *be);
    struct ifreq ifr;
    int error;

    be->net = net;
    if (strlen(opts->arg) >= IFNAMSIZ) {
        VMM_ERR("--net tap=%s: interface name too long", opts->arg);
        free(be);
        return EINVAL;
    }
    be->fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
    if (be->fd < 0) {
        error = errno;
        VMM_ERR("--net tap=%s: /dev/net/tun: %s", opts->arg, strerror(error));
        free(be);
        return error;
    }
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, opts->arg);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
    int hdr_len = VIRTIO_NET_HDR_LEN;
    if (ioctl(be->fd, TUNSETIFF, &ifr) < 0
        || ioctl(be->fd, TUNSETVNETHDRSZ, &hdr_len) < 0
        || ioctl(be->fd, TUNSETOFFLOAD, 0) < 0) {
        error = errno;
        VMM_ERR("--net tap=%s: cannot attach: %s", opts->arg, strerror(error));
        close(be->fd);
        free(be);
        return error;
    }
    strcpy(be->ifname, ifr.ifr_name);
    mainloop_add_fd(net->vdev.ml, be->fd, 0, tap_readable_cb, be);
    *bep = be;
    return 0;
}

static void
tap_destroy(struct net_backend *be)
{
    mainloop_remove_fd(be->net->vdev.ml, be->fd);
    close(be->fd);
    free(be);
}

static uint64_t
tap_features(struct net_backend *be VS_UNUSED)
{
    return 0;
}

static int
tap_start(struct net_backend *be)
{
    be->running = true;
    mainloop_set_events(be->net->vdev.ml, be->fd, POLLIN);
    return 0;
}

static void
tap_stop(struct net_backend *be)
{
    be->running = false;
    mainloop_set_events(be->net->vdev.ml, be->fd, 0);
}

static void
tap_queue_kick(struct net_backend *be, int q)
{
    if (!be->running) {
        return;
    }
    if (q == RX_QUEUE) {
        /* New receive buffers: resume reading the tap. */
        mainloop_set_events(be->net->vdev.ml, be->fd, POLLIN);
    } else if (q == TX_QUEUE) {
        tap_tx(be);
    }
}

static void
tap_format(const struct net_backend *be, struct ds *ds)
{
    ds_put_format(ds, "tap %s, rx %llu, tx %llu, tx errors %llu", be->ifname,
                  (unsigned long long) be->rx_packets,
                  (unsigned long long) be->tx_packets,
                  (unsigned long long) be->tx_errors);
}

const struct net_backend_class net_tap_class = {
    .type = "tap",
    .vmm_kicks = true,
    .create = tap_create,
    .destroy = tap_destroy,
    .features = tap_features,
    .start = tap_start,
    .stop = tap_stop,
    .queue_kick = tap_queue_kick,
    .format = tap_format,
};
