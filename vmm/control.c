/* The control socket: status, pause, resume, power-off. */
#include <config.h>

#include "util.h"
#include "vs-vmm.h"

int
vmm_control_create(struct vmm *vmm VS_UNUSED, struct mainloop *ml VS_UNUSED,
                   const struct vmm_config *cfg VS_UNUSED,
                   struct vmm_devices *devs VS_UNUSED)
{
    return 0;
}

void
vmm_control_destroy(void)
{
}
