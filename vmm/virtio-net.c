/* virtio-net device model (virtio 1.x, section 5.1): configuration space,
 * features and the hand-off to the backend. */
#include <config.h>
#include "virtio-net.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dynamic-string.h"
#include "log.h"
#include "util.h"
#include "vmm.h"

#define NET_QUEUE_SIZE 256
#define VIRTIO_NET_S_LINK_UP 1

static void
net_read_config(struct virtio_dev *vdev, unsigned int off, void *data,
                unsigned int len)
{
    struct virtio_net *net = vdev->aux;
    uint8_t cfg[12];
    uint16_t status = VIRTIO_NET_S_LINK_UP;

    memset(cfg, 0, sizeof cfg);
    memcpy(cfg, net->mac, 6);
    memcpy(cfg + 6, &status, 2);
    memcpy(cfg + 8, &net->max_queue_pairs, 2);
    if (off < sizeof cfg) {
        memcpy(data, cfg + off, MIN(len, sizeof cfg - off));
    }
}

static int
net_start(struct virtio_dev *vdev)
{
    struct virtio_net *net = vdev->aux;
    return net->backend_class->start(net->backend);
}

static void
net_reset(struct virtio_dev *vdev)
{
    struct virtio_net *net = vdev->aux;
    if (vdev->status & VIRTIO_STATUS_DRIVER_OK) {
        net->backend_class->stop(net->backend);
    }
    net->active_queue_pairs = 1;
}

/* One control-queue command: returns VIRTIO_NET_OK or VIRTIO_NET_ERR. */
static uint8_t
net_ctrl_command(struct virtio_net *net, const uint8_t *cmd, size_t len)
{
    if (len < 2) {
        return VIRTIO_NET_ERR;
    }
    if (cmd[0] == VIRTIO_NET_CTRL_MQ
        && cmd[1] == VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET && len >= 4) {
        uint16_t pairs = cmd[2] | cmd[3] << 8;
        if (pairs < 1 || pairs > net->max_queue_pairs
            || net->backend_class->set_queue_pairs(net->backend, pairs)) {
            VMM_WARN_RL("%s: driver asked for %u queue pairs (max %u)",
                        net->name, pairs, net->max_queue_pairs);
            return VIRTIO_NET_ERR;
        }
        net->active_queue_pairs = pairs;
        VMM_INFO("%s: %u queue pairs in use", net->name, pairs);
        return VIRTIO_NET_OK;
    }
    if (cmd[0] == VIRTIO_NET_CTRL_RX) {
        return VIRTIO_NET_OK;   /* No receive filtering: all modes work. */
    }
    return VIRTIO_NET_ERR;
}

static void
net_ctrl_kick(struct virtio_net *net)
{
    struct virtio_dev *vdev = &net->vdev;
    struct virtq *vq = &vdev->queues[net->ctrl_queue].vq;
    struct virtq_elem e;
    bool done = false;
    int error;

    while (!(error = virtq_pop(vq, &e))) {
        uint8_t cmd[64];
        size_t len = iov_to_buf(e.out, e.n_out, cmd, sizeof cmd);
        uint32_t written = 0;
        if (e.n_in && e.in[e.n_in - 1].iov_len) {
            struct iovec *ack = &e.in[e.n_in - 1];
            ((uint8_t *) ack->iov_base)[ack->iov_len - 1]
                = net_ctrl_command(net, cmd, len);
            written = 1;
        }
        virtq_push(vq, e.head, written);
        done = true;
    }
    if (error == EINVAL) {
        vdev->status |= VIRTIO_STATUS_NEEDS_RESET;
    }
    if (done) {
        virtio_dev_notify(vdev, net->ctrl_queue);
    }
}

static void
net_queue_kick(struct virtio_dev *vdev, int q)
{
    struct virtio_net *net = vdev->aux;
    if (q == net->ctrl_queue) {
        net_ctrl_kick(net);
    } else if (net->backend_class->queue_kick) {
        net->backend_class->queue_kick(net->backend, q);
    }
}

static const struct virtio_dev_ops net_ops = {
    .read_config = net_read_config,
    .start = net_start,
    .reset = net_reset,
    .queue_kick = net_queue_kick,
};

static bool
parse_mac(const char *s, uint8_t mac[6])
{
    unsigned int b[6];
    char tail;
    if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4],
               &b[5], &tail) != 6) {
        return false;
    }
    for (int i = 0; i < 6; i++) {
        if (b[i] > 0xff) {
            return false;
        }
        mac[i] = b[i];
    }
    return !(mac[0] & 1);       /* Unicast only. */
}

int
virtio_net_create(struct vmm *vmm, struct mainloop *ml, struct pci_bus *bus,
                  const char *spec, int index, struct virtio_net **netp)
{
    struct virtio_net *net = xzalloc(sizeof *net);
    struct net_backend_options opts = { .queue_pairs = 1 };
    char *copy = xstrdup(spec), *save = NULL;
    int error = EINVAL;

    snprintf(net->name, sizeof net->name, "virtio-net%d", index);
    /* A locally administered MAC unique per VMM process and device. */
    uint32_t h = hash_int(getpid(), index);
    uint8_t default_mac[6] = { 0x52, 0x54, 0x00, h >> 16, h >> 8, h };
    memcpy(net->mac, default_mac, 6);

    for (char *tok = strtok_r(copy, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        char *val = eq ? eq + 1 : NULL;
        if (eq) {
            *eq = '\0';
        }
        if (!net->backend_class && !strcmp(tok, "tap") && val && *val) {
            net->backend_class = &net_tap_class;
            opts.arg = val;
        } else if (!net->backend_class && !strcmp(tok, "vhost-user")
                   && val && *val) {
            net->backend_class = &net_vhost_user_class;
            opts.arg = val;
        } else if (!strcmp(tok, "mac") && val) {
            if (!parse_mac(val, net->mac)) {
                VMM_ERR("--net %s: bad unicast MAC \"%s\"", spec, val);
                goto out;
            }
        } else if (!strcmp(tok, "server") && !val) {
            opts.server = true;
        } else if (!strcmp(tok, "queues") && val) {
            unsigned int n;
            if (!str_to_uint(val, 10, &n) || n < 1 || n > 8) {
                VMM_ERR("--net %s: queues must be 1 to 8", spec);
                goto out;
            }
            opts.queue_pairs = n;
        } else {
            VMM_ERR("--net %s: unexpected \"%s\" (expected tap=IFNAME or "
                    "vhost-user=SOCKET, then mac=, server, queues=)", spec, tok);
            goto out;
        }
    }
    if (!net->backend_class) {
        VMM_ERR("--net %s: needs tap=IFNAME or vhost-user=SOCKET", spec);
        goto out;
    }
    if ((opts.server || opts.queue_pairs > 1)
        && net->backend_class != &net_vhost_user_class) {
        VMM_ERR("--net %s: \"server\" and \"queues\" apply to vhost-user "
                "only", spec);
        goto out;
    }

    /* The backend first: how many queues the device has depends on it.
     * virtio_dev_init() below keeps these two pointers. */
    net->vdev.vmm = vmm;
    net->vdev.ml = ml;
    net->ctrl_queue = -1;
    error = net->backend_class->create(net, &opts, &net->backend);
    if (error) {
        goto out;
    }
    net->max_queue_pairs = 1;
    if (net->backend_class->max_queue_pairs) {
        int max = net->backend_class->max_queue_pairs(net->backend);
        net->max_queue_pairs = MAX(1, MIN(opts.queue_pairs, max));
        if (max < opts.queue_pairs) {
            VMM_WARN("%s: backend serves %d queue pairs, not %d", net->name,
                     max, opts.queue_pairs);
        }
    }
    net->active_queue_pairs = 1;
    int n_queues = 2 * net->max_queue_pairs;
    uint64_t vmm_queues = net->backend_class->vmm_kicks
                          ? (1ULL << n_queues) - 1 : 0;
    if (net->max_queue_pairs > 1) {
        /* Multiqueue needs the control queue, which the VMM serves. */
        net->ctrl_queue = n_queues++;
        vmm_queues |= 1ULL << net->ctrl_queue;
    }
    error = virtio_dev_init(&net->vdev, vmm, ml, bus, net->name,
                            VIRTIO_ID_NET, n_queues, NET_QUEUE_SIZE, &net_ops,
                            net, vmm_queues);
    if (!error) {
        net->vdev.host_features |= 1ULL << VIRTIO_NET_F_MAC
            | 1ULL << VIRTIO_NET_F_STATUS
            | net->backend_class->features(net->backend);
        if (net->max_queue_pairs > 1) {
            net->vdev.host_features |= 1ULL << VIRTIO_NET_F_MQ
                | 1ULL << VIRTIO_NET_F_CTRL_VQ;
        }
    }

out:
    free(copy);
    if (error) {
        virtio_net_destroy(net);
        return error;
    }
    *netp = net;
    return 0;
}

void
virtio_net_destroy(struct virtio_net *net)
{
    if (net) {
        if (net->backend) {
            net->backend_class->destroy(net->backend);
        }
        virtio_dev_uninit(&net->vdev);
        free(net);
    }
}

void
virtio_net_format(const struct virtio_net *net, struct ds *ds)
{
    ds_put_format(ds, "%s: pci 00:%02x.0, mac %02x:%02x:%02x:%02x:%02x:%02x, "
                  "status %#x, features %#llx, queue pairs %u/%u, ",
                  net->name, net->vdev.slot,
                  net->mac[0], net->mac[1], net->mac[2], net->mac[3],
                  net->mac[4], net->mac[5], net->vdev.status,
                  (unsigned long long) net->vdev.guest_features,
                  net->active_queue_pairs, net->max_queue_pairs);
    net->backend_class->format(net->backend, ds);
    ds_put_char(ds, '\n');
}
