/* The control socket: "vmm/status", "vmm/pause", "vmm/resume",
 * "vmm/poweroff" (plus "list-commands" and "version") for
 * vs-appctl -t vs-vmm.NAME.
 *
 * The wire format is the unixctl one (JSON-RPC 1.0 over a unix stream:
 * {"method", "params": [strings], "id"} answered by {"result": text,
 * "error": null, "id"} or {"result": null, "error": text, "id"}), served
 * here until lib/unixctl lands; ovs-appctl speaks it too.  The socket is
 * $VS_RUNDIR/vs-vmm.NAME.PID.ctl next to the pidfile vs-vmm.NAME.pid, the
 * names vs-appctl resolves a target to.
 *
 * Callbacks run on the main thread without vmm->dev_lock: pausing waits for
 * vCPUs that may themselves be waiting for that lock. */
#include <config.h>

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"
#include "dirs.h"
#include "dynamic-string.h"
#include "json.h"
#include "log.h"
#include "mainloop.h"
#include "util.h"
#include "vcpu.h"
#include "vmm.h"
#include "vs-vmm.h"

#define MAX_CONNS 8
#define MAX_REQUEST (64 * 1024)

struct control_conn {
    int fd;
    struct json_parser *parser;
};

struct control {
    struct vmm *vmm;
    struct mainloop *ml;
    struct vmm_devices *devs;
    const struct vmm_config *cfg;
    char *path;
    int listen_fd;
    struct control_conn conns[MAX_CONNS];
    time_t started;
};

static struct control *control;

static void
control_conn_close(struct control_conn *c)
{
    if (c->fd >= 0) {
        /* The watch list is shared with other threads under dev_lock. */
        pthread_mutex_lock(&control->vmm->dev_lock);
        mainloop_remove_fd(control->ml, c->fd);
        pthread_mutex_unlock(&control->vmm->dev_lock);
        close(c->fd);
        json_parser_destroy(c->parser);
        c->fd = -1;
        c->parser = NULL;
    }
}

static void
format_status(struct ds *ds)
{
    struct vmm *vmm = control->vmm;

    ds_put_format(ds, "name: %s\nstate: %s\nvcpus: %d\nmemory: %llu MiB\n"
                  "kernel: %s\nuptime: %lld s\n", control->cfg->name,
                  vmm_state_name(vmm), vmm->n_vcpus,
                  (unsigned long long) (vmm->mem_size >> 20),
                  control->cfg->kernel,
                  (long long) (time(NULL) - control->started));
    for (int i = 0; i < vmm->n_vcpus; i++) {
        ds_put_format(ds, "vcpu%d: %llu exits to user space\n", i,
                      (unsigned long long) __atomic_load_n(
                          &vmm->vcpus[i]->n_exits, __ATOMIC_RELAXED));
    }
    pthread_mutex_lock(&vmm->dev_lock);
    vmm_devices_format(control->devs, ds);
    pthread_mutex_unlock(&vmm->dev_lock);
}

/* Runs 'method'; returns 0 with the reply text in 'out', or an error with
 * the error text in 'out'. */
static int
run_command(const char *method, int argc, struct ds *out)
{
    struct vmm *vmm = control->vmm;
    int error;

    if (argc > 0 && strcmp(method, "vmm/status")) {
        ds_put_format(out, "\"%s\" takes no arguments", method);
        return EINVAL;
    }
    if (!strcmp(method, "vmm/status")) {
        format_status(out);
    } else if (!strcmp(method, "vmm/pause")) {
        error = vmm_pause(vmm);
        if (error) {
            ds_put_format(out, "cannot pause: VM is %s", vmm_state_name(vmm));
            return error;
        }
        VMM_INFO("VM paused by request");
        ds_put_cstr(out, "paused\n");
    } else if (!strcmp(method, "vmm/resume")) {
        error = vmm_resume(vmm);
        if (error) {
            ds_put_format(out, "cannot resume: VM is %s", vmm_state_name(vmm));
            return error;
        }
        VMM_INFO("VM resumed by request");
        ds_put_cstr(out, "resumed\n");
    } else if (!strcmp(method, "vmm/poweroff")) {
        VMM_INFO("power-off requested on the control socket");
        vmm_request_stop(vmm, VMM_STOP_SIGNAL);
        ds_put_cstr(out, "powering off\n");
    } else if (!strcmp(method, "list-commands")) {
        ds_put_cstr(out, "The available commands are:\n  list-commands\n"
                    "  version\n  vmm/pause\n  vmm/poweroff\n  vmm/resume\n"
                    "  vmm/status\n");
    } else if (!strcmp(method, "version")) {
        ds_put_format(out, "vs-vmm (vswitch) %s\n", PACKAGE_VERSION);
    } else {
        ds_put_format(out, "\"%s\" is not a valid command (use "
                      "list-commands)", method);
        return ENOENT;
    }
    return 0;
}

static void
handle_request(struct control_conn *c, struct json_object *req)
{
    struct json_object *method, *params, *id;
    struct ds out = DS_EMPTY_INITIALIZER;
    char *err = NULL;
    int error;

    if (json_get_member(req, "method", json_type_string, &method, &err)
        || json_get_member(req, "params", json_type_array, &params, &err)
        || !json_object_object_get_ex(req, "id", &id)) {
        VMM_WARN_RL("control: malformed request: %s",
                    err ? err : "no \"id\"");
        free(err);
        control_conn_close(c);
        return;
    }
    size_t n = json_object_array_length(params);
    for (size_t i = 0; i < n; i++) {
        if (!json_object_is_type(json_object_array_get_idx(params, i),
                                 json_type_string)) {
            VMM_WARN_RL("control: non-string parameter");
            control_conn_close(c);
            return;
        }
    }
    error = run_command(json_object_get_string(method), n, &out);

    struct json_object *text = json_object_new_string(ds_cstr(&out));
    struct json_object *reply = json_object_build(
        3, "result", error ? NULL : text, "error", error ? text : NULL,
        "id", json_object_get(id));
    char *s = json_to_string(reply, 0);
    size_t len = strlen(s), done = 0;
    while (done < len) {
        struct pollfd pfd = { .fd = c->fd, .events = POLLOUT };
        ssize_t w = send(c->fd, s + done, len - done,
                         MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w > 0) {
            done += w;
        } else if (w < 0 && errno == EAGAIN && poll(&pfd, 1, 1000) > 0) {
            continue;
        } else {
            control_conn_close(c);
            break;
        }
    }
    free(s);
    json_object_put(reply);
    ds_destroy(&out);
}

static void
conn_cb(void *c_, int fd, short revents)
{
    struct control_conn *c = c_;
    char buf[4096];
    ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);

    if (n <= 0) {
        if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
            control_conn_close(c);
        }
        return;
    }
    size_t off = 0;
    while (c->fd >= 0 && off < (size_t) n) {
        off += json_parser_feed(c->parser, buf + off, n - off);
        if (json_parser_is_done(c->parser)) {
            struct json_object *req = NULL;
            char *err = NULL;
            if (json_parser_take(c->parser, &req, &err)) {
                VMM_WARN_RL("control: bad JSON: %s", err);
                free(err);
                control_conn_close(c);
                return;
            }
            handle_request(c, req);
            json_object_put(req);
        }
    }
}

static void
accept_cb(void *ctl_ VS_UNUSED, int fd, short revents)
{
    int conn = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

    if (conn < 0) {
        return;
    }
    for (int i = 0; i < MAX_CONNS; i++) {
        struct control_conn *c = &control->conns[i];
        if (c->fd < 0) {
            c->fd = conn;
            c->parser = json_parser_create(MAX_REQUEST, 16);
            pthread_mutex_lock(&control->vmm->dev_lock);
            mainloop_add_fd_unlocked(control->ml, conn, POLLIN, conn_cb, c);
            pthread_mutex_unlock(&control->vmm->dev_lock);
            return;
        }
    }
    VMM_WARN_RL("control: too many connections");
    close(conn);
}

int
vmm_control_create(struct vmm *vmm, struct mainloop *ml,
                   const struct vmm_config *cfg, struct vmm_devices *devs)
{
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    int error;

    control = xzalloc(sizeof *control);
    control->vmm = vmm;
    control->ml = ml;
    control->cfg = cfg;
    control->devs = devs;
    control->started = time(NULL);
    control->listen_fd = -1;
    for (int i = 0; i < MAX_CONNS; i++) {
        control->conns[i].fd = -1;
    }
    control->path = cfg->ctl_path ? xstrdup(cfg->ctl_path)
        : xasprintf("%s/vs-vmm.%s.%ld.ctl", vs_rundir(), cfg->name,
                    (long) getpid());
    if (strlen(control->path) >= sizeof sun.sun_path) {
        VMM_ERR("control socket path too long: %s", control->path);
        return ENAMETOOLONG;
    }
    strcpy(sun.sun_path, control->path);
    unlink(control->path);
    control->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC
                                | SOCK_NONBLOCK, 0);
    if (control->listen_fd < 0
        || bind(control->listen_fd, (struct sockaddr *) &sun, sizeof sun) < 0
        || listen(control->listen_fd, 8) < 0) {
        error = errno;
        VMM_ERR("control socket %s: %s", control->path, strerror(error));
        return error;
    }
    pthread_mutex_lock(&vmm->dev_lock);
    mainloop_add_fd_unlocked(ml, control->listen_fd, POLLIN, accept_cb,
                             control);
    pthread_mutex_unlock(&vmm->dev_lock);
    return 0;
}

void
vmm_control_destroy(void)
{
    if (!control) {
        return;
    }
    for (int i = 0; i < MAX_CONNS; i++) {
        control_conn_close(&control->conns[i]);
    }
    if (control->listen_fd >= 0) {
        pthread_mutex_lock(&control->vmm->dev_lock);
        mainloop_remove_fd(control->ml, control->listen_fd);
        pthread_mutex_unlock(&control->vmm->dev_lock);
        close(control->listen_fd);
        unlink(control->path);
    }
    free(control->path);
    free(control);
    control = NULL;
}
