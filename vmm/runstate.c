/* Run state of the machine: running, paused, stopping.  Any thread may ask
 * for a change; vCPU threads park in vcpu.c while paused. */
#include <config.h>
#include "vmm.h"

#include <errno.h>
#include <stdint.h>
#include <unistd.h>

#include "vcpu.h"

static void
kick_all(struct vmm *vmm)
{
    for (int i = 0; i < vmm->n_vcpus; i++) {
        if (vmm->vcpus[i]) {
            vcpu_kick(vmm->vcpus[i]);
        }
    }
}

static int
n_started(const struct vmm *vmm)
{
    int n = 0;
    for (int i = 0; i < vmm->n_vcpus; i++) {
        n += vmm->vcpus[i] && vmm->vcpus[i]->started;
    }
    return n;
}

void
vmm_request_stop(struct vmm *vmm, enum vmm_stop_reason reason)
{
    uint64_t one = 1;

    pthread_mutex_lock(&vmm->state_lock);
    if (vmm->state != VMM_STOPPING) {
        vmm->state = VMM_STOPPING;
        vmm->stop_reason = reason;
        pthread_cond_broadcast(&vmm->state_cond);
    }
    pthread_mutex_unlock(&vmm->state_lock);
    kick_all(vmm);
    if (write(vmm->wake_fd, &one, sizeof one) < 0) {
        /* The counter is already non-zero: the main loop wakes anyway. */
    }
}

/* Pauses every vCPU and returns once all are parked. */
int
vmm_pause(struct vmm *vmm)
{
    pthread_mutex_lock(&vmm->state_lock);
    if (vmm->state != VMM_RUNNING) {
        int error = vmm->state == VMM_PAUSED ? EALREADY : ESHUTDOWN;
        pthread_mutex_unlock(&vmm->state_lock);
        return error;
    }
    vmm->state = VMM_PAUSED;
    pthread_mutex_unlock(&vmm->state_lock);

    kick_all(vmm);

    pthread_mutex_lock(&vmm->state_lock);
    while (vmm->state == VMM_PAUSED && vmm->n_paused < n_started(vmm)) {
        pthread_cond_wait(&vmm->state_cond, &vmm->state_lock);
    }
    pthread_mutex_unlock(&vmm->state_lock);
    return 0;
}

int
vmm_resume(struct vmm *vmm)
{
    int error = 0;

    pthread_mutex_lock(&vmm->state_lock);
    if (vmm->state == VMM_PAUSED) {
        vmm->state = VMM_RUNNING;
        pthread_cond_broadcast(&vmm->state_cond);
    } else {
        error = vmm->state == VMM_RUNNING ? EALREADY : ESHUTDOWN;
    }
    pthread_mutex_unlock(&vmm->state_lock);
    return error;
}

const char *
vmm_state_name(const struct vmm *vmm)
{
    switch (vmm->state) {
    case VMM_RUNNING: return "running";
    case VMM_PAUSED: return "paused";
    case VMM_STOPPING: return "stopping";
    }
    return "unknown";
}

const char *
vmm_stop_reason_name(enum vmm_stop_reason reason)
{
    switch (reason) {
    case VMM_STOP_NONE: return "none";
    case VMM_STOP_POWEROFF: return "guest power-off";
    case VMM_STOP_RESET: return "guest reset";
    case VMM_STOP_SIGNAL: return "stopped by request";
    case VMM_STOP_ERROR: return "error";
    }
    return "unknown";
}
