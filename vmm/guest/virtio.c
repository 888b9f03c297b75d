/* vs-test-guest virtio-pci driver (virtio 1.x section 4.1.5). */
#include "virtio.h"

#include "glib.h"
#include "irq.h"

#define CC_DFSELECT 0
#define CC_DF 4
#define CC_GFSELECT 8
#define CC_GF 12
#define CC_NUM_QUEUES 18
#define CC_STATUS 20
#define CC_Q_SELECT 22
#define CC_Q_SIZE 24
#define CC_Q_MSIX 26
#define CC_Q_ENABLE 28
#define CC_Q_NOFF 30
#define CC_Q_DESC 32
#define CC_Q_AVAIL 40
#define CC_Q_USED 48

static struct {
    struct gdesc desc[GQ_SIZE] __attribute__((aligned(16)));
    struct gavail avail __attribute__((aligned(2)));
    struct gused used __attribute__((aligned(4)));
} rings[8] __attribute__((aligned(4096)));
static int rings_used;

uint64_t
gvirtio_bar_addr(int slot, int bar)
{
    uint32_t lo = pci_read32(slot, 0x10 + bar * 4);
    uint64_t a = lo & ~0xfu;
    if ((lo & 0x6) == 0x4) {
        a |= (uint64_t) pci_read32(slot, 0x14 + bar * 4) << 32;
    }
    return a;
}

int
gvirtio_open(struct gvdev *d, int type, uint32_t want, uint32_t *got)
{
    memset(d, 0, sizeof *d);
    d->slot = pci_find(0x1af4, 0x1040 + type, 0);
    if (d->slot < 0) {
        gprintf("virtio: no device of type %d\n", type);
        return -1;
    }
    /* Memory decoding and bus mastering on. */
    pci_write16(d->slot, 4, pci_read16(d->slot, 4) | 0x6);

    for (int cap = pci_read8(d->slot, 0x34), n = 0; cap && n < 16;
         cap = pci_read8(d->slot, cap + 1), n++) {
        if (pci_read8(d->slot, cap) != 0x09) {
            continue;
        }
        int type_ = pci_read8(d->slot, cap + 3);
        uint64_t addr = gvirtio_bar_addr(d->slot, pci_read8(d->slot, cap + 4))
            + pci_read32(d->slot, cap + 8);
        switch (type_) {
        case 1: d->common = addr; break;
        case 2:
            d->notify = addr;
            d->notify_mult = pci_read32(d->slot, cap + 16);
            break;
        case 3: d->isr = addr; break;
        case 4: d->device = addr; break;
        }
    }
    if (!d->common || !d->notify || !d->device) {
        gprintf("virtio: capabilities missing\n");
        return -1;
    }
    d->use_msix = cmdline_has_word("msix", "1");
    if (d->use_msix && irq_msix_enable(d->slot, gvirtio_bar_addr, 3)) {
        return -1;
    }
    mmio_write8(d->common + CC_STATUS, 0);
    mmio_write8(d->common + CC_STATUS, 1 | 2);          /* ACK, DRIVER */
    mmio_write32(d->common + CC_DFSELECT, 1);
    if (!(mmio_read32(d->common + CC_DF) & 1)) {
        gprintf("virtio: no VERSION_1\n");
        return -1;
    }
    mmio_write32(d->common + CC_DFSELECT, 0);
    uint32_t offered = mmio_read32(d->common + CC_DF);
    *got = offered & want;
    mmio_write32(d->common + CC_GFSELECT, 0);
    mmio_write32(d->common + CC_GF, *got);
    mmio_write32(d->common + CC_GFSELECT, 1);
    mmio_write32(d->common + CC_GF, 1);
    mmio_write8(d->common + CC_STATUS, 1 | 2 | 8);      /* FEATURES_OK */
    if (!(mmio_read8(d->common + CC_STATUS) & 8)) {
        gprintf("virtio: features not accepted\n");
        return -1;
    }
    return 0;
}

int
gvirtio_setup_queue(struct gvdev *d, int q)
{
    struct gvq *vq = &d->q[q];
    if (rings_used >= 8 || q >= 8) {
        return -1;
    }
    mmio_write16(d->common + CC_Q_SELECT, q);
    uint16_t max = mmio_read16(d->common + CC_Q_SIZE);
    if (max < GQ_SIZE) {
        gprintf("virtio: queue %d too small (%u)\n", q, max);
        return -1;
    }
    mmio_write16(d->common + CC_Q_SIZE, GQ_SIZE);
    vq->size = GQ_SIZE;
    vq->index = q;
    vq->desc = rings[rings_used].desc;
    vq->avail = &rings[rings_used].avail;
    vq->used = &rings[rings_used].used;
    rings_used++;
    mmio_write64(d->common + CC_Q_DESC, (uint64_t) (uintptr_t) vq->desc);
    mmio_write64(d->common + CC_Q_AVAIL, (uint64_t) (uintptr_t) vq->avail);
    mmio_write64(d->common + CC_Q_USED, (uint64_t) (uintptr_t) vq->used);
    vq->notify = d->notify + mmio_read16(d->common + CC_Q_NOFF) * d->notify_mult;
    if (d->use_msix) {
        int v = q < 2 ? q : 2;                          /* Vector. */
        mmio_write16(d->common + CC_Q_MSIX, v);
        if (mmio_read16(d->common + CC_Q_MSIX) != v) {
            gprintf("virtio: queue %d: MSI-X vector refused\n", q);
            return -1;
        }
    }
    mmio_write16(d->common + CC_Q_ENABLE, 1);
    return 0;
}

int
gvirtio_driver_ok(struct gvdev *d)
{
    mmio_write8(d->common + CC_STATUS, 1 | 2 | 8 | 4);
    return mmio_read8(d->common + CC_STATUS) & 0x40 ? -1 : 0;
}

void
gvq_submit(struct gvdev *d, int q, uint16_t head)
{
    struct gvq *vq = &d->q[q];
    vq->avail->ring[vq->avail->idx % vq->size] = head;
    mb();
    vq->avail->idx++;
    mb();
    mmio_write16(vq->notify, vq->index);
}

int
gvq_poll(struct gvq *vq, uint32_t *len)
{
    if (*(volatile uint16_t *) &vq->used->idx == vq->last_used) {
        return -1;
    }
    mb();
    struct gused_elem *e = &vq->used->ring[vq->last_used % vq->size];
    vq->last_used++;
    *len = e->len;
    return e->id;
}

int
gvq_wait(struct gvq *vq, uint32_t *len, uint64_t ms)
{
    uint64_t end = now_ms() + ms;
    do {
        int id = gvq_poll(vq, len);
        if (id >= 0) {
            return id;
        }
    } while (now_ms() < end);
    return -1;
}
