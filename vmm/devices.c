/* The machine's device set: the PCI bus and the virtio devices asked for on
 * the command line. */
#include <config.h>

#include "dynamic-string.h"
#include "pci.h"
#include "util.h"
#include "virtio-blk.h"
#include "virtio-net.h"
#include "vs-vmm.h"

struct vmm_devices {
    struct pci_bus *bus;
    struct virtio_blk *disks[VMM_MAX_DISKS];
    int n_disks;
    struct virtio_net *nets[VMM_MAX_NETS];
    int n_nets;
};

int
vmm_devices_create(struct vmm *vmm, struct mainloop *ml,
                   const struct vmm_config *cfg, struct vmm_devices **devsp)
{
    struct vmm_devices *devs = xzalloc(sizeof *devs);
    int error = 0;

    devs->bus = pci_bus_create(vmm);
    for (int i = 0; i < cfg->n_nets && !error; i++) {
        error = virtio_net_create(vmm, ml, devs->bus, cfg->nets[i], i,
                                  &devs->nets[i]);
        devs->n_nets += !error;
    }
    for (int i = 0; i < cfg->n_disks && !error; i++) {
        error = virtio_blk_create(vmm, ml, devs->bus, cfg->disks[i], i,
                                  &devs->disks[i]);
        devs->n_disks += !error;
    }
    *devsp = devs;
    return error;
}

void
vmm_devices_destroy(struct vmm_devices *devs)
{
    if (!devs) {
        return;
    }
    for (int i = 0; i < devs->n_nets; i++) {
        virtio_net_destroy(devs->nets[i]);
    }
    for (int i = 0; i < devs->n_disks; i++) {
        virtio_blk_destroy(devs->disks[i]);
    }
    pci_bus_destroy(devs->bus);
    free(devs);
}

void
vmm_devices_format(const struct vmm_devices *devs, struct ds *ds)
{
    for (int i = 0; i < devs->n_nets; i++) {
        virtio_net_format(devs->nets[i], ds);
    }
    for (int i = 0; i < devs->n_disks; i++) {
        virtio_blk_format(devs->disks[i], ds);
    }
}
