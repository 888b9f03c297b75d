/* PCI configuration space (mechanism #1) and BAR placement. */
#include <config.h>
#include "pci.h"

#include <string.h>

#include "log.h"
#include "util.h"
#include "vmm.h"

#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA    0xcfc

void
pci_device_init(struct pci_device *d, uint16_t vendor, uint16_t device,
                uint32_t class_code, uint8_t revision)
{
    memset(d->cfg, 0, sizeof d->cfg);
    memset(d->wmask, 0, sizeof d->wmask);
    pci_cfg_set16(d, PCI_VENDOR_ID, vendor);
    pci_cfg_set16(d, PCI_DEVICE_ID, device);
    d->cfg[PCI_REVISION] = revision;
    d->cfg[PCI_CLASS_PROG] = class_code;
    d->cfg[PCI_CLASS_PROG + 1] = class_code >> 8;
    d->cfg[PCI_CLASS_PROG + 2] = class_code >> 16;
    /* Memory space and bus master enables are the writable command bits. */
    d->wmask[PCI_COMMAND] = PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
    d->wmask[PCI_COMMAND + 1] = 0x04;   /* INTx disable. */
    d->wmask[0x3c] = 0xff;              /* Interrupt line. */
    d->next_cap = 0x40;
}

uint64_t
pci_device_bar_addr(const struct pci_device *d, int bar)
{
    uint64_t addr = pci_cfg_get32(d, PCI_BAR0 + bar * 4) & ~0xfULL;
    if (d->bar_64[bar]) {
        addr |= (uint64_t) pci_cfg_get32(d, PCI_BAR0 + bar * 4 + 4) << 32;
    }
    return addr;
}

uint64_t
pci_device_add_bar64(struct pci_bus *bus, struct pci_device *d, int bar,
                     uint64_t size)
{
    uint64_t addr = ROUND_UP(bus->next_mmio, size);
    unsigned int off = PCI_BAR0 + bar * 4;

    bus->next_mmio = addr + size;
    d->bar_size[bar] = size;
    d->bar_64[bar] = true;
    /* Memory, 64-bit (type 2), not prefetchable. */
    pci_cfg_set32(d, off, (uint32_t) addr | 0x4);
    pci_cfg_set32(d, off + 4, addr >> 32);
    /* Size probing falls out of the write mask: writing all ones reads back
     * the size mask with the type bits. */
    uint64_t mask = ~(size - 1);
    for (int i = 0; i < 8; i++) {
        d->wmask[off + i] = (mask >> (8 * i)) & 0xff;
    }
    d->wmask[off] &= 0xf0;
    return addr;
}

uint8_t
pci_device_add_cap(struct pci_device *d, uint8_t id, uint8_t len)
{
    uint8_t off = d->next_cap;

    d->cfg[off] = id;
    d->cfg[off + 1] = d->cfg[PCI_CAP_PTR];      /* Prepend to the list. */
    d->cfg[PCI_CAP_PTR] = off;
    pci_cfg_set16(d, PCI_STATUS,
                  pci_cfg_get16(d, PCI_STATUS) | PCI_STATUS_CAP_LIST);
    d->next_cap = ROUND_UP(off + len, 4);
    return off;
}

static void
pci_config_write(struct pci_device *d, unsigned int off, const uint8_t *data,
                 unsigned int len)
{
    uint64_t old_bars[6];

    for (int i = 0; i < 6; i++) {
        old_bars[i] = d->bar_size[i] ? pci_device_bar_addr(d, i) : 0;
    }
    for (unsigned int i = 0; i < len && off + i < PCI_CFG_SIZE; i++) {
        uint8_t m = d->wmask[off + i];
        d->cfg[off + i] = (d->cfg[off + i] & ~m) | (data[i] & m);
    }
    for (int i = 0; i < 6; i++) {
        if (d->bar_size[i]) {
            uint64_t addr = pci_device_bar_addr(d, i);
            /* Ignore the transient all-ones size probe. */
            if (addr != old_bars[i] && addr != (~(d->bar_size[i] - 1) & ~0xfULL)
                && (addr >> 32) != 0xffffffff && d->ops && d->ops->bar_moved) {
                d->ops->bar_moved(d, i, old_bars[i], addr);
            }
        }
    }
    if (d->ops && d->ops->config_written) {
        d->ops->config_written(d, off, len);
    }
}

static void
pci_data_io(void *bus_, uint64_t offset, void *data, unsigned int len,
            bool is_write)
{
    struct pci_bus *bus = bus_;
    uint32_t addr = bus->config_address;
    unsigned int slot = (addr >> 11) & 0x1f;
    unsigned int fn = (addr >> 8) & 0x7;
    unsigned int reg = (addr & 0xfc) + offset;
    struct pci_device *d = NULL;

    if ((addr & 0x80000000) && !((addr >> 16) & 0xff) && !fn) {
        d = bus->devices[slot];
    }
    if (!d || reg + len > PCI_CFG_SIZE) {
        if (!is_write) {
            memset(data, 0xff, len);
        }
        return;
    }
    if (is_write) {
        pci_config_write(d, reg, data, len);
    } else {
        memcpy(data, d->cfg + reg, len);
    }
}

static void
pci_address_io(void *bus_, uint64_t offset, void *data, unsigned int len,
               bool is_write)
{
    struct pci_bus *bus = bus_;

    /* Only whole-dword accesses reach the address register. */
    if (offset != 0 || len != 4) {
        if (!is_write) {
            memset(data, 0xff, len);
        }
        return;
    }
    if (is_write) {
        memcpy(&bus->config_address, data, 4);
    } else {
        memcpy(data, &bus->config_address, 4);
    }
}

struct pci_bus *
pci_bus_create(struct vmm *vmm)
{
    struct pci_bus *bus = xzalloc(sizeof *bus);
    static struct pci_device host_bridge;

    bus->vmm = vmm;
    bus->next_mmio = VMM_PCI_MMIO_BASE;
    io_bus_register(&vmm->pio, PCI_CONFIG_ADDRESS, 4, pci_address_io, bus);
    io_bus_register(&vmm->pio, PCI_CONFIG_DATA, 4, pci_data_io, bus);

    /* A host bridge at 00:00.0: Linux's conf1 sanity check looks for one. */
    pci_device_init(&host_bridge, 0x1b36, 0x0008, 0x060000, 0);
    pci_bus_plug(bus, &host_bridge);
    return bus;
}

void
pci_bus_destroy(struct pci_bus *bus)
{
    free(bus);
}

int
pci_bus_plug(struct pci_bus *bus, struct pci_device *d)
{
    for (int slot = 0; slot < PCI_MAX_DEVICES; slot++) {
        if (!bus->devices[slot]) {
            bus->devices[slot] = d;
            return slot;
        }
    }
    return -1;
}
