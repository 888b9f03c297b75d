/* "tcp:IP:PORT" streams and "ptcp:PORT[:IP]" listeners, IPv4 and IPv6
 * ("[::1]").  Addresses are numeric: a name lookup would block. */
#include <config.h>

#include <errno.h>
#include <sys/socket.h>

#include "socket-util.h"
#include "stream-fd.h"
#include "stream-provider.h"
#include "util.h"

static int
tcp_open(const char *name, const char *suffix, struct stream **streamp)
{
    int fd;
    int error = inet_open_active(suffix, &fd);
    if (error && error != EAGAIN) {
        return error;
    }
    new_fd_stream(&tcp_stream_class, xstrdup(name), fd, error, streamp);
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
    uint16_t port;
    int fd;
    int error = inet_open_passive(suffix, &fd, &port);
    if (error) {
        return error;
    }
    new_fd_pstream(&ptcp_pstream_class, xstrdup(name), fd, &tcp_stream_class,
                   ptcp_accept_name, NULL, pstreamp);
    (*pstreamp)->bound_port = port;
    return 0;
}

const struct pstream_class ptcp_pstream_class = {
    .prefix = "ptcp",
    .listen = ptcp_listen,
    .close = fd_pstream_close,
    .accept = fd_pstream_accept,
    .wait = fd_pstream_wait,
};
