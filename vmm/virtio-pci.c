/* Modern virtio-pci transport (virtio 1.x, section 4.1). */
#include <config.h>
#include "virtio-pci.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "log.h"
#include "mainloop.h"
#include "util.h"
#include "vmm.h"

/* Layout of the device's single 64-bit memory BAR. */
#define BAR_SIZE        0x4000
#define COMMON_OFFSET   0x0000
#define COMMON_LEN      0x38
#define ISR_OFFSET      0x1000
#define DEVICE_OFFSET   0x2000
#define DEVICE_LEN      0x100
#define NOTIFY_OFFSET   0x3000
#define NOTIFY_MULT     4
#define MSIX_TABLE_OFFSET 0x3400
#define MSIX_PBA_OFFSET 0x3c00
#define MAX_VECTORS     ((MSIX_PBA_OFFSET - MSIX_TABLE_OFFSET) / 16)

/* Vendor capability types. */
#define VIRTIO_PCI_CAP_COMMON_CFG 1
#define VIRTIO_PCI_CAP_NOTIFY_CFG 2
#define VIRTIO_PCI_CAP_ISR_CFG    3
#define VIRTIO_PCI_CAP_DEVICE_CFG 4
#define PCI_CAP_ID_VNDR 0x09
#define PCI_CAP_ID_MSIX 0x11
#define MSIX_ENABLE     0x8000
#define MSIX_FUNC_MASK  0x4000
#define MSIX_ENTRY_MASKED 1

/* Common configuration registers. */
#define CC_DFSELECT     0
#define CC_DF           4
#define CC_GFSELECT     8
#define CC_GF           12
#define CC_MSIX_CONFIG  16
#define CC_NUM_QUEUES   18
#define CC_STATUS       20
#define CC_CFG_GEN      21
#define CC_Q_SELECT     22
#define CC_Q_SIZE       24
#define CC_Q_MSIX       26
#define CC_Q_ENABLE     28
#define CC_Q_NOFF       30
#define CC_Q_DESC_LO    32
#define CC_Q_DESC_HI    36
#define CC_Q_AVAIL_LO   40
#define CC_Q_AVAIL_HI   44
#define CC_Q_USED_LO    48
#define CC_Q_USED_HI    52

static void
set_lo(uint64_t *v, uint32_t lo)
{
    *v = (*v & 0xffffffff00000000ULL) | lo;
}

static void
set_hi(uint64_t *v, uint32_t hi)
{
    *v = (*v & 0xffffffffULL) | (uint64_t) hi << 32;
}

/* Binds each queue's call eventfd to the GSI of its MSI-X vector, or
 * unbinds it while that vector cannot fire.  KVM delivers what was
 * signalled while unbound once the binding comes back. */
static void
update_irqfds(struct virtio_dev *dev)
{
    uint16_t ctrl = pci_cfg_get16(&dev->pci, dev->msix_cap + 2);
    bool enabled = (ctrl & MSIX_ENABLE) && !(ctrl & MSIX_FUNC_MASK);

    for (int q = 0; q < dev->n_queues; q++) {
        struct virtio_queue *vq = &dev->queues[q];
        uint16_t v = vq->msix_vector;
        int want = -1;

        if (enabled && v < dev->n_vectors
            && !(dev->msix[v].ctrl & MSIX_ENTRY_MASKED)) {
            const struct msix_entry *e = &dev->msix[v];
            want = dev->gsis[v];
            vmm_gsi_set_msi(dev->vmm, want,
                            (uint64_t) e->addr_hi << 32 | e->addr_lo, e->data);
        }
        if (want != vq->irqfd_gsi) {
            if (vq->irqfd_gsi >= 0) {
                vmm_irqfd(dev->vmm, vq->call_fd, vq->irqfd_gsi, false);
            }
            if (want >= 0 && vmm_irqfd(dev->vmm, vq->call_fd, want, true)) {
                want = -1;
            }
            vq->irqfd_gsi = want;
        }
    }
}

static void
reset_queues(struct virtio_dev *dev)
{
    for (int q = 0; q < dev->n_queues; q++) {
        struct virtio_queue *vq = &dev->queues[q];
        vq->size = vq->max_size;
        vq->msix_vector = VIRTIO_NO_VECTOR;
        vq->enabled = false;
        vq->desc = vq->driver = vq->device = 0;
        memset(&vq->vq, 0, sizeof vq->vq);
    }
}

static void
virtio_dev_reset(struct virtio_dev *dev)
{
    if (dev->ops->reset) {
        dev->ops->reset(dev);
    }
    dev->status = 0;
    dev->guest_features = 0;
    dev->host_features_sel = dev->guest_features_sel = 0;
    dev->queue_sel = 0;
    dev->msix_config = VIRTIO_NO_VECTOR;
    dev->isr = 0;
    reset_queues(dev);
    update_irqfds(dev);
}

static int
virtio_dev_start(struct virtio_dev *dev)
{
    for (int q = 0; q < dev->n_queues; q++) {
        struct virtio_queue *vq = &dev->queues[q];
        if (virtio_dev_vmm_serves(dev, q)) {
            if (vq->enabled && virtq_init(&vq->vq, dev->vmm, vq->size,
                                          vq->desc, vq->driver, vq->device)) {
                VMM_WARN_RL("%s: queue %d: rings outside guest memory or bad "
                            "size %u", dev->name, q, vq->size);
                return EINVAL;
            }
        }
    }
    return dev->ops->start ? dev->ops->start(dev) : 0;
}

static void
write_status(struct virtio_dev *dev, uint8_t status)
{
    uint8_t old = dev->status;

    if (!status) {
        virtio_dev_reset(dev);
        return;
    }
    if ((status & VIRTIO_STATUS_FEATURES_OK)
        && !(old & VIRTIO_STATUS_FEATURES_OK)) {
        if ((dev->guest_features & ~dev->host_features)
            || !virtio_dev_has_feature(dev, VIRTIO_F_VERSION_1)) {
            VMM_WARN_RL("%s: driver features %#llx not acceptable (offered "
                        "%#llx)", dev->name,
                        (unsigned long long) dev->guest_features,
                        (unsigned long long) dev->host_features);
            status &= ~VIRTIO_STATUS_FEATURES_OK;
        }
    }
    dev->status = status;
    if ((status & VIRTIO_STATUS_DRIVER_OK) && !(old & VIRTIO_STATUS_DRIVER_OK)) {
        if (!(status & VIRTIO_STATUS_FEATURES_OK)
            || virtio_dev_start(dev)) {
            dev->status |= VIRTIO_STATUS_NEEDS_RESET;
        }
    }
}

static struct virtio_queue *
selected_queue(struct virtio_dev *dev)
{
    return dev->queue_sel < dev->n_queues ? &dev->queues[dev->queue_sel] : NULL;
}

static uint32_t
common_read(struct virtio_dev *dev, unsigned int off)
{
    struct virtio_queue *vq = selected_queue(dev);

    switch (off) {
    case CC_DFSELECT: return dev->host_features_sel;
    case CC_DF:
        return dev->host_features_sel < 2
            ? dev->host_features >> (32 * dev->host_features_sel) : 0;
    case CC_GFSELECT: return dev->guest_features_sel;
    case CC_GF:
        return dev->guest_features_sel < 2
            ? dev->guest_features >> (32 * dev->guest_features_sel) : 0;
    case CC_MSIX_CONFIG: return dev->msix_config;
    case CC_NUM_QUEUES: return dev->n_queues;
    case CC_STATUS: return dev->status;
    case CC_CFG_GEN: return 0;
    case CC_Q_SELECT: return dev->queue_sel;
    }
    if (!vq) {
        return 0;               /* Size 0 marks an absent queue. */
    }
    switch (off) {
    case CC_Q_SIZE: return vq->size;
    case CC_Q_MSIX: return vq->msix_vector;
    case CC_Q_ENABLE: return vq->enabled;
    case CC_Q_NOFF: return dev->queue_sel;
    case CC_Q_DESC_LO: return vq->desc;
    case CC_Q_DESC_HI: return vq->desc >> 32;
    case CC_Q_AVAIL_LO: return vq->driver;
    case CC_Q_AVAIL_HI: return vq->driver >> 32;
    case CC_Q_USED_LO: return vq->device;
    case CC_Q_USED_HI: return vq->device >> 32;
    }
    return 0;
}

static void
common_write(struct virtio_dev *dev, unsigned int off, uint32_t v)
{
    struct virtio_queue *vq = selected_queue(dev);

    switch (off) {
    case CC_DFSELECT: dev->host_features_sel = v; return;
    case CC_GFSELECT: dev->guest_features_sel = v; return;
    case CC_GF:
        if (dev->guest_features_sel < 2
            && !(dev->status & VIRTIO_STATUS_FEATURES_OK)) {
            uint64_t mask = 0xffffffffULL << (32 * dev->guest_features_sel);
            dev->guest_features = (dev->guest_features & ~mask)
                | ((uint64_t) v << (32 * dev->guest_features_sel));
        }
        return;
    case CC_MSIX_CONFIG:
        dev->msix_config = v < (uint32_t) dev->n_vectors ? v : VIRTIO_NO_VECTOR;
        return;
    case CC_STATUS: write_status(dev, v); return;
    case CC_Q_SELECT: dev->queue_sel = v; return;
    }
    /* Queue registers are frozen once the queue is live. */
    if (!vq || (dev->status & VIRTIO_STATUS_DRIVER_OK)) {
        if (vq && off == CC_Q_MSIX) {
            vq->msix_vector = v < (uint32_t) dev->n_vectors ? v : VIRTIO_NO_VECTOR;
            update_irqfds(dev);
        }
        return;
    }
    switch (off) {
    case CC_Q_SIZE:
        if (v && v <= vq->max_size && !(v & (v - 1))) {
            vq->size = v;
        }
        break;
    case CC_Q_MSIX:
        vq->msix_vector = v < (uint32_t) dev->n_vectors ? v : VIRTIO_NO_VECTOR;
        update_irqfds(dev);
        break;
    case CC_Q_ENABLE: vq->enabled = v == 1; break;
    case CC_Q_DESC_LO: set_lo(&vq->desc, v); break;
    case CC_Q_DESC_HI: set_hi(&vq->desc, v); break;
    case CC_Q_AVAIL_LO: set_lo(&vq->driver, v); break;
    case CC_Q_AVAIL_HI: set_hi(&vq->driver, v); break;
    case CC_Q_USED_LO: set_lo(&vq->device, v); break;
    case CC_Q_USED_HI: set_hi(&vq->device, v); break;
    }
}

static void
common_io(struct virtio_dev *dev, unsigned int off, void *data,
          unsigned int len, bool is_write)
{
    /* Registers are naturally aligned; fields of 8 bytes are accessed as
     * two 4-byte halves. */
    if ((len != 1 && len != 2 && len != 4) || (off & (len - 1))) {
        if (!is_write) {
            memset(data, 0, len);
        }
        return;
    }
    if (is_write) {
        uint32_t v = 0;
        memcpy(&v, data, len);
        common_write(dev, off, v);
    } else {
        uint32_t v = common_read(dev, off);
        memcpy(data, &v, len);
    }
}

static void
msix_io(struct virtio_dev *dev, unsigned int off, void *data,
        unsigned int len, bool is_write)
{
    if (off >= MSIX_PBA_OFFSET - MSIX_TABLE_OFFSET) {
        if (!is_write) {
            memset(data, 0, len);       /* Nothing is ever left pending. */
        }
        return;
    }
    unsigned int v = off / 16, field = (off % 16) / 4;
    if (v >= (unsigned int) dev->n_vectors || len != 4 || (off & 3)) {
        if (!is_write) {
            memset(data, 0, len);
        }
        return;
    }
    uint32_t *p = &dev->msix[v].addr_lo + field;
    if (is_write) {
        memcpy(p, data, 4);
        update_irqfds(dev);
    } else {
        memcpy(data, p, 4);
    }
}

static void
bar_io(void *dev_, uint64_t off, void *data, unsigned int len, bool is_write)
{
    struct virtio_dev *dev = dev_;

    if (off < COMMON_OFFSET + COMMON_LEN) {
        common_io(dev, off - COMMON_OFFSET, data, len, is_write);
    } else if (off >= ISR_OFFSET && off < ISR_OFFSET + 4) {
        if (!is_write) {
            memset(data, 0, len);
            *(uint8_t *) data = dev->isr;       /* Read clears. */
            dev->isr = 0;
        }
    } else if (off >= DEVICE_OFFSET && off < DEVICE_OFFSET + DEVICE_LEN) {
        unsigned int o = off - DEVICE_OFFSET;
        if (is_write) {
            if (dev->ops->write_config) {
                dev->ops->write_config(dev, o, data, len);
            }
        } else {
            memset(data, 0, len);
            if (dev->ops->read_config) {
                dev->ops->read_config(dev, o, data, len);
            }
        }
    } else if (off >= NOTIFY_OFFSET && off < MSIX_TABLE_OFFSET) {
        /* A kick the ioeventfd did not catch (an odd access size). */
        unsigned int q = (off - NOTIFY_OFFSET) / NOTIFY_MULT;
        if (is_write && q < (unsigned int) dev->n_queues) {
            uint64_t one = 1;
            if (write(dev->queues[q].kick_fd, &one, sizeof one) < 0) {
                /* Counter saturated: already signalled. */
            }
        } else if (!is_write) {
            memset(data, 0, len);
        }
    } else if (off >= MSIX_TABLE_OFFSET && off < BAR_SIZE) {
        msix_io(dev, off - MSIX_TABLE_OFFSET, data, len, is_write);
    } else if (!is_write) {
        memset(data, 0, len);
    }
}

static int
set_ioeventfds(struct virtio_dev *dev, uint64_t bar, bool assign)
{
    for (int q = 0; q < dev->n_queues; q++) {
        int error = vmm_ioeventfd(dev->vmm, dev->queues[q].kick_fd,
                                  bar + NOTIFY_OFFSET + q * NOTIFY_MULT, 2,
                                  assign);
        if (error && assign) {
            return error;
        }
    }
    return 0;
}

static void
virtio_bar_moved(struct pci_device *pci, int bar, uint64_t old, uint64_t new)
{
    struct virtio_dev *dev = CONTAINER_OF(pci, struct virtio_dev, pci);

    set_ioeventfds(dev, old, false);
    io_bus_move(&dev->vmm->mmio, dev, old, new);
    set_ioeventfds(dev, new, true);
    dev->bar_addr = new;
}

static void
virtio_config_written(struct pci_device *pci, unsigned int off,
                      unsigned int len)
{
    struct virtio_dev *dev = CONTAINER_OF(pci, struct virtio_dev, pci);

    if (off <= dev->msix_cap + 3u && off + len > dev->msix_cap + 2u) {
        update_irqfds(dev);
    }
}

static const struct pci_device_ops virtio_pci_ops = {
    .bar_moved = virtio_bar_moved,
    .config_written = virtio_config_written,
};

static void
add_vendor_cap(struct pci_device *d, uint8_t type, uint32_t offset,
               uint32_t len, uint8_t cap_len)
{
    uint8_t c = pci_device_add_cap(d, PCI_CAP_ID_VNDR, cap_len);
    d->cfg[c + 2] = cap_len;
    d->cfg[c + 3] = type;
    d->cfg[c + 4] = 0;          /* BAR 0. */
    pci_cfg_set32(d, c + 8, offset);
    pci_cfg_set32(d, c + 12, len);
    if (type == VIRTIO_PCI_CAP_NOTIFY_CFG) {
        pci_cfg_set32(d, c + 16, NOTIFY_MULT);
    }
}

static void
queue_kick_cb(void *vq_, int fd, short revents)
{
    struct virtio_queue *vq = vq_;
    struct virtio_dev *dev = vq->dev;
    uint64_t count;

    if (read(fd, &count, sizeof count) < 0) {
        return;
    }
    if ((dev->status & VIRTIO_STATUS_DRIVER_OK)
        && !(dev->status & VIRTIO_STATUS_NEEDS_RESET)
        && vq->enabled && dev->ops->queue_kick) {
        dev->ops->queue_kick(dev, vq->index);
    }
}

int
virtio_dev_init(struct virtio_dev *dev, struct vmm *vmm, struct mainloop *ml,
                struct pci_bus *bus, const char *name, uint16_t device_type,
                int n_queues, uint16_t queue_max,
                const struct virtio_dev_ops *ops, void *aux,
                uint64_t vmm_queues)
{
    struct pci_device *d = &dev->pci;
    int error;

    memset(dev, 0, sizeof *dev);
    dev->vmm = vmm;
    dev->ml = ml;
    dev->name = name;
    dev->ops = ops;
    dev->aux = aux;
    dev->vmm_queues = vmm_queues;
    dev->host_features = 1ULL << VIRTIO_F_VERSION_1;
    dev->n_queues = n_queues;
    dev->queues = xcalloc(n_queues, sizeof *dev->queues);
    dev->n_vectors = MIN(n_queues + 1, MAX_VECTORS);
    dev->msix = xcalloc(dev->n_vectors, sizeof *dev->msix);
    dev->gsis = xcalloc(dev->n_vectors, sizeof *dev->gsis);
    for (int v = 0; v < dev->n_vectors; v++) {
        dev->msix[v].ctrl = MSIX_ENTRY_MASKED;
        error = vmm_gsi_alloc(vmm, &dev->gsis[v]);
        if (error) {
            return error;
        }
    }
    for (int q = 0; q < n_queues; q++) {
        struct virtio_queue *vq = &dev->queues[q];
        vq->dev = dev;
        vq->index = q;
        vq->max_size = queue_max;
        vq->irqfd_gsi = -1;
        vq->kick_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        vq->call_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (vq->kick_fd < 0 || vq->call_fd < 0) {
            return errno;
        }
    }
    reset_queues(dev);
    dev->msix_config = VIRTIO_NO_VECTOR;

    /* Modern-only virtio device: ID 0x1040 + type, revision 1. */
    pci_device_init(d, 0x1af4, 0x1040 + device_type,
                    device_type == VIRTIO_ID_NET ? 0x020000 : 0x018000, 1);
    pci_cfg_set16(d, PCI_SUBSYS_VENDOR, 0x1af4);
    pci_cfg_set16(d, PCI_SUBSYS_ID, 0x40);
    d->ops = &virtio_pci_ops;
    d->aux = dev;
    dev->bar_addr = pci_device_add_bar64(bus, d, 0, BAR_SIZE);

    add_vendor_cap(d, VIRTIO_PCI_CAP_COMMON_CFG, COMMON_OFFSET, COMMON_LEN, 16);
    add_vendor_cap(d, VIRTIO_PCI_CAP_ISR_CFG, ISR_OFFSET, 4, 16);
    add_vendor_cap(d, VIRTIO_PCI_CAP_DEVICE_CFG, DEVICE_OFFSET, DEVICE_LEN, 16);
    add_vendor_cap(d, VIRTIO_PCI_CAP_NOTIFY_CFG, NOTIFY_OFFSET,
                   n_queues * NOTIFY_MULT, 20);
    dev->msix_cap = pci_device_add_cap(d, PCI_CAP_ID_MSIX, 12);
    pci_cfg_set16(d, dev->msix_cap + 2, dev->n_vectors - 1);
    pci_cfg_set32(d, dev->msix_cap + 4, MSIX_TABLE_OFFSET);     /* BAR 0. */
    pci_cfg_set32(d, dev->msix_cap + 8, MSIX_PBA_OFFSET);
    d->wmask[dev->msix_cap + 3] = (MSIX_ENABLE | MSIX_FUNC_MASK) >> 8;

    io_bus_register(&vmm->mmio, dev->bar_addr, BAR_SIZE, bar_io, dev);
    error = set_ioeventfds(dev, dev->bar_addr, true);
    if (error) {
        return error;
    }
    for (int q = 0; q < n_queues; q++) {
        if (virtio_dev_vmm_serves(dev, q)) {
            mainloop_add_fd(ml, dev->queues[q].kick_fd, POLLIN,
                            queue_kick_cb, &dev->queues[q]);
        }
    }
    dev->slot = pci_bus_plug(bus, d);
    if (dev->slot < 0) {
        VMM_ERR("%s: no free PCI slot", name);
        return ENOSPC;
    }
    return 0;
}

void
virtio_dev_uninit(struct virtio_dev *dev)
{
    if (!dev->queues) {
        return;
    }
    for (int q = 0; q < dev->n_queues; q++) {
        struct virtio_queue *vq = &dev->queues[q];
        if (vq->irqfd_gsi >= 0) {
            vmm_irqfd(dev->vmm, vq->call_fd, vq->irqfd_gsi, false);
        }
        if (vq->kick_fd >= 0) {
            if (virtio_dev_vmm_serves(dev, q)) {
                mainloop_remove_fd(dev->ml, vq->kick_fd);
            }
            close(vq->kick_fd);
        }
        if (vq->call_fd >= 0) {
            close(vq->call_fd);
        }
    }
    free(dev->queues);
    free(dev->msix);
    free(dev->gsis);
    dev->queues = NULL;
}

void
virtio_dev_notify(struct virtio_dev *dev, int q)
{
    struct virtio_queue *vq = &dev->queues[q];
    uint64_t one = 1;

    if (!virtq_should_notify(&vq->vq)) {
        return;
    }
    dev->isr |= 1;
    if (write(vq->call_fd, &one, sizeof one) < 0) {
        /* Counter saturated: an interrupt is already pending. */
    }
}
