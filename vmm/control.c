/* The control socket, served by lib/unixctl: "vmm/status", "vmm/pause",
 * "vmm/resume", "vmm/poweroff" (and "exit", its alias) next to unixctl's
 * built-ins, so that "vs-appctl -t vs-vmm.NAME CMD" works.  The socket is
 * $VS_RUNDIR/vs-vmm.NAME.PID.ctl beside the pidfile vs-vmm.NAME.pid: the
 * names vs-appctl resolves the target to.
 *
 * unixctl runs on its own thread with its own poll loop (poll-loop state is
 * per thread), so the vs-vmm main loop stays as it is and a command may
 * block: "vmm/pause" waits until every vCPU is parked, and a vCPU may be
 * waiting for vmm->dev_lock, which the main thread takes. */
#include <config.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "dynamic-string.h"
#include "log.h"
#include "poll-loop.h"
#include "unixctl.h"
#include "util.h"
#include "vcpu.h"
#include "vmm.h"
#include "vs-vmm.h"

struct control {
    struct vmm *vmm;
    struct vmm_devices *devs;
    const struct vmm_config *cfg;
    struct unixctl_server *server;
    pthread_t thread;
    int stop_fd;                /* eventfd: the thread should exit. */
    time_t started;
};

static struct control *control;

static void
status_cb(struct unixctl_conn *conn, int argc VS_UNUSED,
          const char *argv[] VS_UNUSED, void *aux VS_UNUSED)
{
    struct vmm *vmm = control->vmm;
    struct ds ds = DS_EMPTY_INITIALIZER;

    ds_put_format(&ds, "name: %s\nstate: %s\nvcpus: %d\nmemory: %llu MiB\n"
                  "kernel: %s\nuptime: %lld s\n", control->cfg->name,
                  vmm_state_name(vmm), vmm->n_vcpus,
                  (unsigned long long) (vmm->mem_size >> 20),
                  control->cfg->kernel,
                  (long long) (time(NULL) - control->started));
    for (int i = 0; i < vmm->n_vcpus; i++) {
        ds_put_format(&ds, "vcpu%d: %llu exits to user space\n", i,
                      (unsigned long long) __atomic_load_n(
                          &vmm->vcpus[i]->n_exits, __ATOMIC_RELAXED));
    }
    pthread_mutex_lock(&vmm->dev_lock);
    vmm_devices_format(control->devs, &ds);
    pthread_mutex_unlock(&vmm->dev_lock);
    unixctl_command_reply(conn, ds_cstr(&ds));
    ds_destroy(&ds);
}

static void
pause_cb(struct unixctl_conn *conn, int argc VS_UNUSED,
         const char *argv[] VS_UNUSED, void *aux VS_UNUSED)
{
    if (vmm_pause(control->vmm)) {
        char *msg = xasprintf("cannot pause: VM is %s",
                              vmm_state_name(control->vmm));
        unixctl_command_reply_error(conn, msg);
        free(msg);
        return;
    }
    VMM_INFO("VM paused by request");
    unixctl_command_reply(conn, "paused\n");
}

static void
resume_cb(struct unixctl_conn *conn, int argc VS_UNUSED,
          const char *argv[] VS_UNUSED, void *aux VS_UNUSED)
{
    if (vmm_resume(control->vmm)) {
        char *msg = xasprintf("cannot resume: VM is %s",
                              vmm_state_name(control->vmm));
        unixctl_command_reply_error(conn, msg);
        free(msg);
        return;
    }
    VMM_INFO("VM resumed by request");
    unixctl_command_reply(conn, "resumed\n");
}

static void
poweroff_cb(struct unixctl_conn *conn, int argc VS_UNUSED,
            const char *argv[] VS_UNUSED, void *aux VS_UNUSED)
{
    VMM_INFO("power-off requested on the control socket");
    vmm_request_stop(control->vmm, VMM_STOP_SIGNAL);
    unixctl_command_reply(conn, "powering off\n");
}

static void *
control_thread(void *aux VS_UNUSED)
{
    pthread_setname_np(pthread_self(), "control");
    for (;;) {
        uint64_t n;
        if (read(control->stop_fd, &n, sizeof n) == sizeof n) {
            break;
        }
        unixctl_server_run(control->server);
        unixctl_server_wait(control->server);
        poll_fd_wait(control->stop_fd, POLLIN);
        poll_block();
    }
    return NULL;
}

int
vmm_control_create(struct vmm *vmm, struct mainloop *ml VS_UNUSED,
                   const struct vmm_config *cfg, struct vmm_devices *devs)
{
    int error;

    control = xzalloc(sizeof *control);
    control->vmm = vmm;
    control->cfg = cfg;
    control->devs = devs;
    control->started = time(NULL);

    char *path = cfg->ctl_path ? xstrdup(cfg->ctl_path)
        : xasprintf("vs-vmm.%s.%ld.ctl", cfg->name, (long) getpid());
    error = unixctl_server_create(path, &control->server);
    free(path);
    if (error) {
        VMM_ERR("cannot create the control socket: %s", vs_strerror(error));
        goto error;
    }
    unixctl_command_register("vmm/status", "", 0, 0, status_cb, NULL);
    unixctl_command_register("vmm/pause", "", 0, 0, pause_cb, NULL);
    unixctl_command_register("vmm/resume", "", 0, 0, resume_cb, NULL);
    unixctl_command_register("vmm/poweroff", "", 0, 0, poweroff_cb, NULL);
    /* The built-in "exit" would exit() under running vCPUs. */
    unixctl_command_register("exit", "", 0, 0, poweroff_cb, NULL);

    control->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (control->stop_fd < 0) {
        error = errno;
        goto error;
    }
    error = pthread_create(&control->thread, NULL, control_thread, NULL);
    if (error) {
        VMM_ERR("cannot start the control thread: %s", strerror(error));
        close(control->stop_fd);
        goto error;
    }
    return 0;

error:
    unixctl_server_destroy(control->server);
    free(control);
    control = NULL;
    return error;
}

void
vmm_control_destroy(void)
{
    uint64_t one = 1;

    if (!control) {
        return;
    }
    if (write(control->stop_fd, &one, sizeof one) < 0) {
        /* Counter already set. */
    }
    pthread_join(control->thread, NULL);
    close(control->stop_fd);
    unixctl_server_destroy(control->server);
    free(control);
    control = NULL;
}
