/* "tcp:IP:PORT" streams and "ptcp:PORT[:IP]" listeners, IPv4 and IPv6
 * ("[::1]").  Addresses are numeric: a name lookup would block. */
#include <config.h>

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "socket-util.h"
#include "stream-fd.h"
#include "stream-provider.h"
#include "util.h"

static int
tcp_open(const char *name, const char *suffix, struct stream **streamp)
{
    struct sockaddr_storage ss;
    socklen_t len;
    int error = inet_parse_active(suffix, &ss, &len);
    if (error) {
        return error;
    }

    int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
                    0);
    if (fd < 0) {
        return errno;
    }
    int on = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);

    int status = 0;
    if (connect(fd, (struct sockaddr *) &ss, len) < 0) {
        if (errno != EINPROGRESS) {
            error = errno;
            close(fd);
            return error;
        }
        status = EAGAIN;
    }
    new_fd_stream(&tcp_stream_class, xstrdup(name), fd, status, streamp);
    return 0;
}

const struct stream_class tcp_stream_class = {
    .prefix = "tcp",
    .needs_probes = true,
    .open = tcp_open,
    .close = fd_stream_close,
    .connect = fd_stream_connect,
    .recv = fd_stream_recv,
    .send = fd_stream_send,
    .wait = fd_stream_wait,
};

static char *
ptcp_accept_name(const char *pstream_name VS_UNUSED,
                 const struct sockaddr_storage *ss, socklen_t len VS_UNUSED)
{
    char *addr = ss_format(ss);
    char *name = xasprintf("tcp:%s", addr);
    free(addr);
    return name;
}

static int
ptcp_listen(const char *name, const char *suffix, struct pstream **pstreamp)
{
    struct sockaddr_storage ss;
    socklen_t len;
    int error = inet_parse_passive(suffix, &ss, &len);
    if (error) {
        return error;
    }

    int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
                    0);
    if (fd < 0) {
        return errno;
    }
    int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);

    struct sockaddr_storage bound;
    socklen_t bound_len = sizeof bound;
    if (bind(fd, (struct sockaddr *) &ss, len) < 0
        || listen(fd, 64) < 0
        || getsockname(fd, (struct sockaddr *) &bound, &bound_len) < 0) {
        error = errno;
        close(fd);
        return error;
    }
    new_fd_pstream(&ptcp_pstream_class, xstrdup(name), fd, &tcp_stream_class,
                   ptcp_accept_name, NULL, pstreamp);
    (*pstreamp)->bound_port = ss_get_port(&bound);
    return 0;
}

const struct pstream_class ptcp_pstream_class = {
    .prefix = "ptcp",
    .listen = ptcp_listen,
    .close = fd_pstream_close,
    .accept = fd_pstream_accept,
    .wait = fd_pstream_wait,
};
