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
}

static void
net_queue_kick(struct virtio_dev *vdev, int q)
{
    struct virtio_net *net = vdev->aux;
    if (net->backend_class->queue_kick) {
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
    if (opts.server && net->backend_class != &net_vhost_user_class) {
        VMM_ERR("--net %s: \"server\" applies to vhost-user only", spec);
        goto out;
    }
    net->max_queue_pairs = 1;

    error = virtio_dev_init(&net->vdev, vmm, ml, bus, net->name,
                            VIRTIO_ID_NET, 2, NET_QUEUE_SIZE, &net_ops, net,
                            net->backend_class->vmm_kicks);
    if (!error) {
        error = net->backend_class->create(net, &opts, &net->backend);
    }
    if (!error) {
        net->vdev.host_features |= 1ULL << VIRTIO_NET_F_MAC
            | 1ULL << VIRTIO_NET_F_STATUS
            | net->backend_class->features(net->backend);
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
                  "status %#x, features %#llx, ", net->name, net->vdev.slot,
                  net->mac[0], net->mac[1], net->mac[2], net->mac[3],
                  net->mac[4], net->mac[5], net->vdev.status,
                  (unsigned long long) net->vdev.guest_features);
    net->backend_class->format(net->backend, ds);
    ds_put_char(ds, '\n');
}
