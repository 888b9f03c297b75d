/* vhost-user frontend messages (see vhost-user.h). */
#include <config.h>
#include "vhost-user.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

#define VHOST_USER_VERSION 0x1
#define VHOST_USER_REPLY_MASK (1 << 2)
#define VHOST_USER_NEED_REPLY_MASK (1 << 3)

const char *
vhost_user_request_name(uint32_t request)
{
    switch (request) {
    case VHOST_USER_GET_FEATURES: return "GET_FEATURES";
    case VHOST_USER_SET_FEATURES: return "SET_FEATURES";
    case VHOST_USER_SET_OWNER: return "SET_OWNER";
    case VHOST_USER_SET_MEM_TABLE: return "SET_MEM_TABLE";
    case VHOST_USER_SET_VRING_NUM: return "SET_VRING_NUM";
    case VHOST_USER_SET_VRING_ADDR: return "SET_VRING_ADDR";
    case VHOST_USER_SET_VRING_BASE: return "SET_VRING_BASE";
    case VHOST_USER_GET_VRING_BASE: return "GET_VRING_BASE";
    case VHOST_USER_SET_VRING_KICK: return "SET_VRING_KICK";
    case VHOST_USER_SET_VRING_CALL: return "SET_VRING_CALL";
    case VHOST_USER_GET_PROTOCOL_FEATURES: return "GET_PROTOCOL_FEATURES";
    case VHOST_USER_SET_PROTOCOL_FEATURES: return "SET_PROTOCOL_FEATURES";
    case VHOST_USER_GET_QUEUE_NUM: return "GET_QUEUE_NUM";
    case VHOST_USER_SET_VRING_ENABLE: return "SET_VRING_ENABLE";
    }
    return "unknown request";
}

static long long
now_msec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

int
vhost_user_send(struct vhost_user_conn *c, uint32_t request,
                const void *payload, uint32_t size, const int *fds, int n_fds,
                bool want_ack)
{
    struct vhost_user_msg msg;
    bool ack = want_ack && c->reply_ack;

    memset(&msg, 0, VHOST_USER_HDR_SIZE);
    msg.request = request;
    msg.flags = VHOST_USER_VERSION | (ack ? VHOST_USER_NEED_REPLY_MASK : 0);
    msg.size = size;
    if (size) {
        memcpy(&msg.payload, payload, size);
    }

    struct iovec iov = { &msg, VHOST_USER_HDR_SIZE + size };
    char control[CMSG_SPACE(VHOST_USER_MAX_REGIONS * sizeof(int))];
    struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
    if (n_fds) {
        memset(control, 0, sizeof control);
        mh.msg_control = control;
        mh.msg_controllen = CMSG_SPACE(n_fds * sizeof(int));
        struct cmsghdr *cmsg = CMSG_FIRSTHDR(&mh);
        cmsg->cmsg_level = SOL_SOCKET;
        cmsg->cmsg_type = SCM_RIGHTS;
        cmsg->cmsg_len = CMSG_LEN(n_fds * sizeof(int));
        memcpy(CMSG_DATA(cmsg), fds, n_fds * sizeof(int));
    }
    ssize_t n;
    do {
        n = sendmsg(c->fd, &mh, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n != (ssize_t) iov.iov_len) {
        int error = n < 0 ? errno : EIO;
        VMM_WARN_RL("%s: sending %s: %s", c->name,
                    vhost_user_request_name(request),
                    error == EPIPE ? "backend closed the connection"
                    : strerror(error));
        return error == EPIPE ? ECONNRESET : error;
    }
    if (ack) {
        struct vhost_user_msg reply;
        int error = vhost_user_recv_reply(c, request, &reply, 8);
        if (error) {
            return error;
        }
        if (reply.payload.u64) {
            VMM_WARN_RL("%s: backend rejected %s (status %llu)", c->name,
                        vhost_user_request_name(request),
                        (unsigned long long) reply.payload.u64);
            return EPROTO;
        }
    }
    return 0;
}

/* Reads exactly 'len' bytes before 'deadline'. */
static int
read_full(struct vhost_user_conn *c, void *buf, size_t len, long long deadline)
{
    size_t done = 0;
    while (done < len) {
        long long left = deadline - now_msec();
        struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
        if (left <= 0) {
            return ETIMEDOUT;
        }
        int r = poll(&pfd, 1, left);
        if (r < 0 && errno == EINTR) {
            continue;
        } else if (r == 0) {
            return ETIMEDOUT;
        }
        ssize_t n = recv(c->fd, (char *) buf + done, len - done, MSG_DONTWAIT);
        if (n == 0) {
            return ECONNRESET;
        } else if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) {
                continue;
            }
            return errno == EPIPE ? ECONNRESET : errno;
        }
        done += n;
    }
    return 0;
}

int
vhost_user_recv_reply(struct vhost_user_conn *c, uint32_t request,
                      struct vhost_user_msg *msg, uint32_t size)
{
    long long deadline = now_msec() + c->timeout_ms;
    const char *what = vhost_user_request_name(request);
    int error;

    error = read_full(c, msg, VHOST_USER_HDR_SIZE, deadline);
    if (!error) {
        if (msg->request != request) {
            VMM_WARN_RL("%s: malformed reply to %s: it answers request %u",
                        c->name, what, msg->request);
            return EPROTO;
        }
        if ((msg->flags & 0x3) != VHOST_USER_VERSION
            || !(msg->flags & VHOST_USER_REPLY_MASK)) {
            VMM_WARN_RL("%s: malformed reply to %s: flags %#x", c->name, what,
                        msg->flags);
            return EPROTO;
        }
        if (msg->size != size) {
            VMM_WARN_RL("%s: malformed reply to %s: payload of %u bytes, "
                        "expected %u", c->name, what, msg->size, size);
            return EPROTO;
        }
        error = read_full(c, &msg->payload, size, deadline);
    }
    if (error) {
        VMM_WARN_RL("%s: waiting for the reply to %s: %s", c->name, what,
                    error == ECONNRESET ? "backend closed the connection"
                    : error == ETIMEDOUT ? "no reply in time"
                    : strerror(error));
    }
    return error;
}

int
vhost_user_get_u64(struct vhost_user_conn *c, uint32_t request,
                   uint64_t *value)
{
    struct vhost_user_msg reply;
    int error = vhost_user_send(c, request, NULL, 0, NULL, 0, false);
    if (!error) {
        error = vhost_user_recv_reply(c, request, &reply, 8);
    }
    if (!error) {
        *value = reply.payload.u64;
    }
    return error;
}
