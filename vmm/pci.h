/* PCI bus 0 with configuration mechanism #1 (ports 0xCF8/0xCFC). */
#ifndef VMM_PCI_H
#define VMM_PCI_H 1

#include <stdbool.h>
#include <stdint.h>

struct vmm;
struct pci_device;

#define PCI_CFG_SIZE 256
#define PCI_MAX_DEVICES 32

#define PCI_VENDOR_ID     0x00
#define PCI_DEVICE_ID     0x02
#define PCI_COMMAND       0x04
#define PCI_STATUS        0x06
#define PCI_REVISION      0x08
#define PCI_CLASS_PROG    0x09
#define PCI_HEADER_TYPE   0x0e
#define PCI_BAR0          0x10
#define PCI_SUBSYS_VENDOR 0x2c
#define PCI_SUBSYS_ID     0x2e
#define PCI_CAP_PTR       0x34
#define PCI_INTERRUPT_PIN 0x3d

#define PCI_COMMAND_MEMORY 0x2
#define PCI_COMMAND_MASTER 0x4
#define PCI_STATUS_CAP_LIST 0x10

struct pci_device_ops {
    /* Called after the guest moved memory BAR 'bar' from 'old' to 'new'. */
    void (*bar_moved)(struct pci_device *, int bar, uint64_t old, uint64_t new);
    /* Called after any config-space write, with the written range. */
    void (*config_written)(struct pci_device *, unsigned int offset,
                           unsigned int len);
};

struct pci_device {
    uint8_t cfg[PCI_CFG_SIZE];
    uint8_t wmask[PCI_CFG_SIZE];        /* Guest-writable bits. */
    uint64_t bar_size[6];               /* 0: unused (64-bit: in the low). */
    bool bar_64[6];
    const struct pci_device_ops *ops;
    void *aux;
    uint8_t next_cap;                   /* Where the next capability goes. */
};

struct pci_bus {
    struct vmm *vmm;
    uint32_t config_address;
    struct pci_device *devices[PCI_MAX_DEVICES];
    uint64_t next_mmio;                 /* Next free BAR address. */
};

struct pci_bus *pci_bus_create(struct vmm *);
void pci_bus_destroy(struct pci_bus *);

/* Prepares 'dev' (zeroed config space) with IDs and class. */
void pci_device_init(struct pci_device *, uint16_t vendor, uint16_t device,
                     uint32_t class_code, uint8_t revision);
/* Adds a 64-bit memory BAR of 'size' bytes (a power of 2), allocated from
 * the PCI MMIO window.  Returns its address. */
uint64_t pci_device_add_bar64(struct pci_bus *, struct pci_device *, int bar,
                              uint64_t size);
uint64_t pci_device_bar_addr(const struct pci_device *, int bar);
/* Adds a capability of 'len' bytes with ID 'id' and returns its offset. */
uint8_t pci_device_add_cap(struct pci_device *, uint8_t id, uint8_t len);
/* Plugs 'dev' into the next free slot.  Returns the slot or -1. */
int pci_bus_plug(struct pci_bus *, struct pci_device *);

static inline uint16_t
pci_cfg_get16(const struct pci_device *d, unsigned int off)
{
    return d->cfg[off] | d->cfg[off + 1] << 8;
}
static inline uint32_t
pci_cfg_get32(const struct pci_device *d, unsigned int off)
{
    return pci_cfg_get16(d, off) | (uint32_t) pci_cfg_get16(d, off + 2) << 16;
}
static inline void
pci_cfg_set16(struct pci_device *d, unsigned int off, uint16_t v)
{
    d->cfg[off] = v;
    d->cfg[off + 1] = v >> 8;
}
static inline void
pci_cfg_set32(struct pci_device *d, unsigned int off, uint32_t v)
{
    pci_cfg_set16(d, off, v);
    pci_cfg_set16(d, off + 2, v >> 16);
}

#endif /* vmm/pci.h */
