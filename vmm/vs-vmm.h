/* vs-vmm configuration and the pieces main() wires together. */
#ifndef VMM_VS_VMM_H
#define VMM_VS_VMM_H 1

#include <stdbool.h>
#include <stdint.h>

struct vmm;
struct mainloop;

#define VMM_MAX_NETS 4
#define VMM_MAX_DISKS 4

struct vmm_config {
    const char *kernel;
    const char *initrd;
    const char *cmdline;
    int n_cpus;
    uint64_t memory_mib;
    const char *nets[VMM_MAX_NETS];     /* --net arguments, unparsed. */
    int n_nets;
    const char *disks[VMM_MAX_DISKS];   /* --disk arguments, unparsed. */
    int n_disks;
    const char *serial;
    const char *name;
    const char *ctl_path;
    bool no_control;                    /* No rundir: no control socket. */
};

/* The PCI bus and its virtio devices (devices.c). */
struct vmm_devices;
int vmm_devices_create(struct vmm *, struct mainloop *,
                       const struct vmm_config *, struct vmm_devices **);
void vmm_devices_destroy(struct vmm_devices *);
/* Appends one line per device to 'ds' (for the control socket). */
struct ds;
void vmm_devices_format(const struct vmm_devices *, struct ds *);

/* The control socket (control.c). */
int vmm_control_create(struct vmm *, struct mainloop *,
                       const struct vmm_config *, struct vmm_devices *);
void vmm_control_destroy(void);

#endif /* vmm/vs-vmm.h */
