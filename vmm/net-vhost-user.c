/* virtio-net vhost-user backend: vs-vmm is the vhost-user frontend.  The
 * backend (the switch's DPDK datapath, or testpmd) maps the guest's memfd
 * RAM and serves the rings; the queues' kick eventfds are KVM ioeventfds and
 * their call eventfds KVM irqfds, so packets never pass through vs-vmm.
 *
 * Connection life: in client mode vs-vmm connects to SOCKET (an error at
 * start if nobody listens) and, if the backend goes away later, reconnects
 * every second; in server mode it listens on SOCKET and waits for the
 * backend.  After every (re)connection the rings are set up again from the
 * guest's used indexes, so a restarted backend continues where the old one
 * stopped. */
#include <config.h>
#include "virtio-net.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "dynamic-string.h"
#include "log.h"
#include "mainloop.h"
#include "util.h"
#include "vhost-user.h"
#include "vmm.h"

#define REPLY_TIMEOUT_MS 5000
#define RECONNECT_MS 1000
#define SERVER_WAIT_MS 30000

/* Device features passed between guest and backend; the VMM adds MAC and
 * STATUS itself (its own config space). */
#define PASSTHROUGH_FEATURES \
    ((1ULL << VIRTIO_NET_F_CSUM) | (1ULL << VIRTIO_NET_F_GUEST_CSUM) \
     | (0xffULL << 7) /* GUEST_TSO4 .. HOST_UFO */ \
     | (1ULL << VIRTIO_NET_F_MRG_RXBUF) | (1ULL << VIRTIO_F_ANY_LAYOUT) \
     | (1ULL << VIRTIO_RING_F_INDIRECT_DESC) \
     | (1ULL << VIRTIO_RING_F_EVENT_IDX) | (1ULL << VIRTIO_F_VERSION_1))

struct net_backend {
    struct virtio_net *net;
    char *path;
    bool server;
    int listen_fd;
    struct vhost_user_conn conn;        /* conn.fd < 0: disconnected. */
    uint64_t features;                  /* Backend's device features. */
    uint64_t protocol_features;
    bool started;                       /* Rings handed to the backend. */
    int max_pairs;                      /* GET_QUEUE_NUM, or 1. */
    unsigned int n_connects;
    unsigned int n_disconnects;
};

static void vu_schedule_reconnect(struct net_backend *);

/* Rings the backend serves: every queue but the control queue. */
static int
vu_n_data_queues(const struct net_backend *be)
{
    return 2 * be->net->max_queue_pairs;
}

/* Enables the rings of the active queue pairs and disables the others. */
static int
vu_enable_rings(struct net_backend *be)
{
    struct virtio_dev *vdev = &be->net->vdev;

    if (!(be->features & (1ULL << VHOST_USER_F_PROTOCOL_FEATURES))) {
        return 0;               /* Rings start enabled without it. */
    }
    for (int q = 0; q < vu_n_data_queues(be); q++) {
        struct vhost_user_msg m;
        if (!vdev->queues[q].enabled) {
            continue;
        }
        m.payload.state.index = q;
        m.payload.state.num = q < 2 * be->net->active_queue_pairs;
        int error = vhost_user_send(&be->conn, VHOST_USER_SET_VRING_ENABLE,
                                    &m.payload.state, 8, NULL, 0, false);
        if (error) {
            return error;
        }
    }
    return 0;
}

static struct vmm *
vu_vmm(const struct net_backend *be)
{
    return be->net->vdev.vmm;
}

static void
vu_disconnect(struct net_backend *be, const char *why)
{
    if (be->conn.fd < 0) {
        return;
    }
    VMM_WARN("%s: vhost-user backend %s disconnected (%s)%s", be->net->name,
             be->path, why, be->server ? "; waiting for it to connect again"
             : "; reconnecting");
    mainloop_remove_fd(be->net->vdev.ml, be->conn.fd);
    close(be->conn.fd);
    be->conn.fd = -1;
    be->started = false;
    be->n_disconnects++;
    if (be->server) {
        mainloop_set_events(be->net->vdev.ml, be->listen_fd, POLLIN);
    } else {
        vu_schedule_reconnect(be);
    }
}

/* The backend never talks first: readable means closed or garbage. */
static void
vu_conn_cb(void *be_, int fd, short revents)
{
    struct net_backend *be = be_;
    char buf[256];
    ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);

    if (n > 0) {
        VMM_WARN_RL("%s: unexpected %zd bytes from the vhost-user backend",
                    be->net->name, n);
        vu_disconnect(be, "protocol error");
    } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        vu_disconnect(be, "connection closed");
    }
}

static int
vu_set_mem_table(struct net_backend *be)
{
    struct vmm *vmm = vu_vmm(be);
    struct vhost_user_msg m;
    int fds[2] = { vmm->mem_fd, vmm->mem_fd };
    int n = 0;

    memset(&m.payload.mem, 0, sizeof m.payload.mem);
    m.payload.mem.regions[n++] = (struct vhost_user_region) {
        0, vmm->lowmem_size, (uintptr_t) vmm->mem, 0 };
    if (vmm->mem_size > vmm->lowmem_size) {
        m.payload.mem.regions[n++] = (struct vhost_user_region) {
            VMM_HIGHMEM_BASE, vmm->mem_size - vmm->lowmem_size,
            (uintptr_t) vmm->mem + vmm->lowmem_size, vmm->lowmem_size };
    }
    m.payload.mem.n_regions = n;
    return vhost_user_send(&be->conn, VHOST_USER_SET_MEM_TABLE,
                           &m.payload.mem, 8 + n * sizeof(struct vhost_user_region),
                           fds, n, true);
}

/* Hands queue 'q' to the backend, continuing at index 'base'. */
static int
vu_start_queue(struct net_backend *be, int q, uint16_t base)
{
    struct virtio_queue *vq = &be->net->vdev.queues[q];
    struct vmm *vmm = vu_vmm(be);
    struct vhost_user_msg m;
    int error;

    void *desc = vmm_gpa_to_hva(vmm, vq->desc, 16ULL * vq->size);
    void *avail = vmm_gpa_to_hva(vmm, vq->driver, 6 + 2ULL * vq->size);
    void *used = vmm_gpa_to_hva(vmm, vq->device, 6 + 8ULL * vq->size);
    if (!desc || !avail || !used) {
        VMM_WARN_RL("%s: queue %d rings lie outside guest memory",
                    be->net->name, q);
        return EINVAL;
    }
    m.payload.state.index = q;
    m.payload.state.num = vq->size;
    error = vhost_user_send(&be->conn, VHOST_USER_SET_VRING_NUM,
                            &m.payload.state, 8, NULL, 0, false);
    if (error) {
        return error;
    }
    m.payload.state.num = base;
    error = vhost_user_send(&be->conn, VHOST_USER_SET_VRING_BASE,
                            &m.payload.state, 8, NULL, 0, false);
    if (error) {
        return error;
    }
    memset(&m.payload.addr, 0, sizeof m.payload.addr);
    m.payload.addr.index = q;
    m.payload.addr.desc = (uintptr_t) desc;
    m.payload.addr.avail = (uintptr_t) avail;
    m.payload.addr.used = (uintptr_t) used;
    error = vhost_user_send(&be->conn, VHOST_USER_SET_VRING_ADDR,
                            &m.payload.addr, sizeof m.payload.addr, NULL, 0,
                            true);
    if (error) {
        return error;
    }
    m.payload.u64 = q;
    error = vhost_user_send(&be->conn, VHOST_USER_SET_VRING_KICK,
                            &m.payload.u64, 8, &vq->kick_fd, 1, false);
    if (error) {
        return error;
    }
    return vhost_user_send(&be->conn, VHOST_USER_SET_VRING_CALL,
                           &m.payload.u64, 8, &vq->call_fd, 1, false);
}

/* Sets up every enabled queue after DRIVER_OK or after a reconnection. */
static int
vu_start_rings(struct net_backend *be)
{
    struct virtio_dev *vdev = &be->net->vdev;
    uint64_t features = vdev->guest_features & be->features;
    struct vhost_user_msg m;
    int error;

    if (be->features & (1ULL << VHOST_USER_F_PROTOCOL_FEATURES)) {
        features |= 1ULL << VHOST_USER_F_PROTOCOL_FEATURES;
    }
    m.payload.u64 = features;
    error = vhost_user_send(&be->conn, VHOST_USER_SET_FEATURES,
                            &m.payload.u64, 8, NULL, 0, true);
    if (!error) {
        error = vu_set_mem_table(be);
    }
    for (int q = 0; q < vu_n_data_queues(be) && !error; q++) {
        struct virtio_queue *vq = &vdev->queues[q];
        if (!vq->enabled) {
            continue;
        }
        /* Continue after what the previous backend completed. */
        volatile uint16_t *used_idx = vmm_gpa_to_hva(vu_vmm(be),
                                                     vq->device + 2, 2);
        error = vu_start_queue(be, q, used_idx ? *used_idx : 0);
    }
    if (!error) {
        error = vu_enable_rings(be);
    }
    if (!error) {
        be->started = true;
        /* Let the new backend look at what the guest queued meanwhile,
         * and the guest at what may have completed. */
        for (int q = 0; q < vu_n_data_queues(be); q++) {
            uint64_t one = 1;
            if (vdev->queues[q].enabled
                && (write(vdev->queues[q].kick_fd, &one, 8) < 0
                    || write(vdev->queues[q].call_fd, &one, 8) < 0)) {
                /* Counters already set. */
            }
        }
    }
    return error;
}

/* First exchange on a new connection: features and ownership. */
static int
vu_handshake(struct net_backend *be)
{
    struct vhost_user_conn *c = &be->conn;
    uint64_t features;
    int error;

    c->reply_ack = false;
    error = vhost_user_get_u64(c, VHOST_USER_GET_FEATURES, &features);
    if (error) {
        return error;
    }
    if (!(features & (1ULL << VIRTIO_F_VERSION_1))) {
        VMM_ERR("%s: vhost-user backend %s lacks VIRTIO_F_VERSION_1",
                be->net->name, be->path);
        return EPROTO;
    }
    if (be->n_connects && (be->net->vdev.guest_features & ~features
                           & PASSTHROUGH_FEATURES)) {
        VMM_ERR("%s: reconnected backend lacks features the guest uses "
                "(%#llx)", be->net->name, (unsigned long long)
                (be->net->vdev.guest_features & ~features));
        return EPROTO;
    }
    be->features = features;
    if (features & (1ULL << VHOST_USER_F_PROTOCOL_FEATURES)) {
        uint64_t pf;
        error = vhost_user_get_u64(c, VHOST_USER_GET_PROTOCOL_FEATURES, &pf);
        if (error) {
            return error;
        }
        be->protocol_features = pf & (1ULL << VHOST_USER_PROTOCOL_F_REPLY_ACK
                                      | 1ULL << VHOST_USER_PROTOCOL_F_MQ);
        error = vhost_user_send(c, VHOST_USER_SET_PROTOCOL_FEATURES,
                                &be->protocol_features, 8, NULL, 0, false);
        if (error) {
            return error;
        }
        c->reply_ack = be->protocol_features
            & (1ULL << VHOST_USER_PROTOCOL_F_REPLY_ACK);
    }
    be->max_pairs = 1;
    if (be->protocol_features & (1ULL << VHOST_USER_PROTOCOL_F_MQ)) {
        uint64_t n;
        error = vhost_user_get_u64(c, VHOST_USER_GET_QUEUE_NUM, &n);
        if (error) {
            return error;
        }
        be->max_pairs = n < 1 ? 1 : n > 64 ? 64 : n;
    }
    error = vhost_user_send(c, VHOST_USER_SET_OWNER, NULL, 0, NULL, 0, false);
    if (error) {
        return error;
    }
    be->n_connects++;
    return 0;
}

/* Adopts connected socket 'fd' and negotiates.  On failure closes it. */
static int
vu_attach(struct net_backend *be, int fd)
{
    struct virtio_dev *vdev = &be->net->vdev;
    int error;

    be->conn.fd = fd;
    error = vu_handshake(be);
    if (!error && (vdev->status & VIRTIO_STATUS_DRIVER_OK)) {
        error = vu_start_rings(be);
    }
    if (error) {
        close(fd);
        be->conn.fd = -1;
        return error;
    }
    mainloop_add_fd(vdev->ml, fd, POLLIN, vu_conn_cb, be);
    VMM_INFO("%s: vhost-user backend %s connected (features %#llx)",
             be->net->name, be->path, (unsigned long long) be->features);
    return 0;
}

static int
make_sockaddr(const char *path, struct sockaddr_un *sun)
{
    memset(sun, 0, sizeof *sun);
    sun->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof sun->sun_path) {
        return ENAMETOOLONG;
    }
    strcpy(sun->sun_path, path);
    return 0;
}

static int
vu_connect(struct net_backend *be, bool quiet)
{
    struct sockaddr_un sun;
    int error = make_sockaddr(be->path, &sun);
    if (error) {
        VMM_ERR("%s: vhost-user socket path too long: %s", be->net->name,
                be->path);
        return error;
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *) &sun, sizeof sun) < 0) {
        error = errno;
        if (fd >= 0) {
            close(fd);
        }
        if (!quiet) {
            VMM_ERR("%s: cannot connect to vhost-user socket %s: %s (is the "
                    "backend running and listening there?)", be->net->name,
                    be->path, strerror(error));
        }
        return error;
    }
    return vu_attach(be, fd);
}

static void
vu_reconnect_cb(void *be_)
{
    struct net_backend *be = be_;
    if (be->conn.fd < 0 && vu_connect(be, true)) {
        vu_schedule_reconnect(be);
    }
}

static void
vu_schedule_reconnect(struct net_backend *be)
{
    mainloop_set_timer(be->net->vdev.ml, RECONNECT_MS, vu_reconnect_cb, be);
}

static void
vu_accept_cb(void *be_, int fd, short revents)
{
    struct net_backend *be = be_;
    int conn = accept4(fd, NULL, NULL, SOCK_CLOEXEC);

    if (conn < 0) {
        return;
    }
    if (be->conn.fd >= 0) {
        VMM_WARN_RL("%s: refusing a second vhost-user connection on %s",
                    be->net->name, be->path);
        close(conn);
        return;
    }
    if (!vu_attach(be, conn)) {
        mainloop_set_events(be->net->vdev.ml, be->listen_fd, 0);
    }
}

static int
vu_listen(struct net_backend *be)
{
    struct sockaddr_un sun;
    int error = make_sockaddr(be->path, &sun);

    if (error) {
        VMM_ERR("%s: vhost-user socket path too long: %s", be->net->name,
                be->path);
        return error;
    }
    unlink(be->path);
    be->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (be->listen_fd < 0
        || bind(be->listen_fd, (struct sockaddr *) &sun, sizeof sun) < 0
        || listen(be->listen_fd, 1) < 0) {
        error = errno;
        VMM_ERR("%s: cannot listen on vhost-user socket %s: %s",
                be->net->name, be->path, strerror(error));
        return error;
    }
    /* The guest's features depend on the backend's: wait for it. */
    VMM_INFO("%s: waiting up to %d s for a vhost-user backend on %s",
             be->net->name, SERVER_WAIT_MS / 1000, be->path);
    struct pollfd pfd = { .fd = be->listen_fd, .events = POLLIN };
    int r = poll(&pfd, 1, SERVER_WAIT_MS);
    if (r <= 0) {
        VMM_ERR("%s: no vhost-user backend connected to %s within %d s",
                be->net->name, be->path, SERVER_WAIT_MS / 1000);
        return ETIMEDOUT;
    }
    int fd = accept4(be->listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0) {
        error = errno;
        VMM_ERR("%s: accept on %s: %s", be->net->name, be->path,
                strerror(error));
        return error;
    }
    error = vu_attach(be, fd);
    if (error) {
        VMM_ERR("%s: vhost-user negotiation with the backend on %s failed: %s",
                be->net->name, be->path, strerror(error));
        return error;
    }
    mainloop_add_fd(be->net->vdev.ml, be->listen_fd, 0, vu_accept_cb, be);
    return 0;
}

static void vu_destroy(struct net_backend *);

static int
vu_create(struct virtio_net *net, const struct net_backend_options *opts,
          struct net_backend **bep)
{
    struct net_backend *be = xzalloc(sizeof *be);
    int error;

    be->net = net;
    be->path = xstrdup(opts->arg);
    be->server = opts->server;
    be->listen_fd = -1;
    be->conn.fd = -1;
    be->conn.timeout_ms = REPLY_TIMEOUT_MS;
    be->conn.name = net->name;
    if (be->server) {
        error = vu_listen(be);
    } else {
        error = vu_connect(be, false);
        if (error && error != ECONNREFUSED && error != ENOENT
            && error != ENAMETOOLONG) {
            VMM_ERR("%s: vhost-user negotiation with %s failed: %s",
                    net->name, be->path, strerror(error));
        }
    }
    if (error) {
        vu_destroy(be);
        return error;
    }
    *bep = be;
    return 0;
}

static void
vu_destroy(struct net_backend *be)
{
    struct mainloop *ml = be->net->vdev.ml;

    mainloop_cancel_timer(ml, be);
    if (be->conn.fd >= 0) {
        mainloop_remove_fd(ml, be->conn.fd);
        close(be->conn.fd);
    }
    if (be->listen_fd >= 0) {
        mainloop_remove_fd(ml, be->listen_fd);
        close(be->listen_fd);
        unlink(be->path);
    }
    free(be->path);
    free(be);
}

static uint64_t
vu_features(struct net_backend *be)
{
    return be->features & PASSTHROUGH_FEATURES;
}

static int
vu_start(struct net_backend *be)
{
    if (be->conn.fd < 0) {
        return 0;               /* Set up when the backend comes back. */
    }
    int error = vu_start_rings(be);
    if (error) {
        vu_disconnect(be, "ring setup failed");
    }
    return 0;
}

static void
vu_stop(struct net_backend *be)
{
    struct virtio_dev *vdev = &be->net->vdev;

    if (be->conn.fd < 0 || !be->started) {
        return;
    }
    /* GET_VRING_BASE stops a ring in the backend. */
    for (int q = 0; q < vu_n_data_queues(be); q++) {
        if (vdev->queues[q].enabled) {
            struct vhost_user_msg m;
            m.payload.state.index = q;
            m.payload.state.num = 0;
            int error = vhost_user_send(&be->conn, VHOST_USER_GET_VRING_BASE,
                                        &m.payload.state, 8, NULL, 0, false);
            if (!error) {
                error = vhost_user_recv_reply(&be->conn,
                                              VHOST_USER_GET_VRING_BASE,
                                              &m, 8);
            }
            if (error) {
                vu_disconnect(be, "ring stop failed");
                return;
            }
        }
    }
    be->started = false;
}

static int
vu_max_queue_pairs(struct net_backend *be)
{
    return be->max_pairs;
}

static int
vu_set_queue_pairs(struct net_backend *be, int n)
{
    /* virtio-net records 'n' in active_queue_pairs after we return. */
    int old = be->net->active_queue_pairs;
    int error = 0;

    if (be->conn.fd >= 0 && be->started) {
        be->net->active_queue_pairs = n;
        error = vu_enable_rings(be);
        be->net->active_queue_pairs = old;
        if (error) {
            vu_disconnect(be, "ring enable failed");
            error = 0;          /* Applied again on reconnection. */
        }
    }
    return error;
}

static void
vu_format(const struct net_backend *be, struct ds *ds)
{
    ds_put_format(ds, "vhost-user %s (%s), %s, backend features %#llx, "
                  "connects %u, disconnects %u", be->path,
                  be->server ? "server" : "client",
                  be->conn.fd < 0 ? "disconnected"
                  : be->started ? "running" : "connected",
                  (unsigned long long) be->features, be->n_connects,
                  be->n_disconnects);
}

const struct net_backend_class net_vhost_user_class = {
    .type = "vhost-user",
    .vmm_kicks = false,
    .create = vu_create,
    .destroy = vu_destroy,
    .features = vu_features,
    .start = vu_start,
    .stop = vu_stop,
    .max_queue_pairs = vu_max_queue_pairs,
    .set_queue_pairs = vu_set_queue_pairs,
    .format = vu_format,
};
