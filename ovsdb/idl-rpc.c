/* Blocking JSON-RPC client connection for the IDL (see idl-rpc.h). */
#include <config.h>
#include "idl-rpc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include "util.h"

struct idl_rpc {
    int fd;
    char *name;
    struct json_tokener *tok;
    char buf[65536];
    size_t ofs, len;            /* Unparsed bytes are buf[ofs..len). */
};

static long long
now_msec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int
wait_fd(int fd, short events, int timeout_ms)
{
    struct pollfd pfd = { .fd = fd, .events = events };
    long long deadline = timeout_ms < 0 ? -1 : now_msec() + timeout_ms;

    for (;;) {
        int t = deadline < 0 ? -1 : (int) MAX(0, deadline - now_msec());
        int n = poll(&pfd, 1, t);
        if (n > 0) {
            return 0;
        } else if (n == 0) {
            return EAGAIN;
        } else if (errno != EINTR) {
            return errno;
        }
    }
}

/* Parses "tcp:IP:PORT" (IPv6 in brackets) into 'ss'. */
static int
parse_tcp(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
    char *host, *port;
    char *copy = xstrdup(s);
    int error = 0;

    if (copy[0] == '[') {
        char *end = strchr(copy, ']');
        if (!end || end[1] != ':') {
            free(copy);
            return EINVAL;
        }
        *end = '\0';
        host = copy + 1;
        port = end + 2;
    } else {
        port = strrchr(copy, ':');
        if (!port) {
            free(copy);
            return EINVAL;
        }
        *port++ = '\0';
        host = copy;
    }
    struct addrinfo hints = { .ai_family = AF_UNSPEC,
                              .ai_socktype = SOCK_STREAM,
                              .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV };
    struct addrinfo *ai;
    if (getaddrinfo(host, port, &hints, &ai)) {
        error = EINVAL;
    } else {
        memcpy(ss, ai->ai_addr, ai->ai_addrlen);
        *len = ai->ai_addrlen;
        freeaddrinfo(ai);
    }
    free(copy);
    return error;
}

int
idl_rpc_open(const char *name, int timeout_ms, struct idl_rpc **rpcp)
{
    struct sockaddr_storage ss;
    socklen_t sslen;
    int fd, error;

    *rpcp = NULL;
    memset(&ss, 0, sizeof ss);
    if (str_starts_with(name, "unix:")) {
        struct sockaddr_un *sun = (struct sockaddr_un *) &ss;
        const char *path = name + 5;
        if (strlen(path) >= sizeof sun->sun_path) {
            return ENAMETOOLONG;
        }
        sun->sun_family = AF_UNIX;
        strcpy(sun->sun_path, path);
        sslen = sizeof *sun;
    } else if (str_starts_with(name, "tcp:")) {
        error = parse_tcp(name + 4, &ss, &sslen);
        if (error) {
            return error;
        }
    } else {
        return EAFNOSUPPORT;
    }

    fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        return errno;
    }
    if (connect(fd, (struct sockaddr *) &ss, sslen) < 0) {
        if (errno != EINPROGRESS) {
            error = errno;
            close(fd);
            return error;
        }
        error = wait_fd(fd, POLLOUT, timeout_ms);
        if (!error) {
            socklen_t elen = sizeof error;
            if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &elen) < 0) {
                error = errno;
            }
        }
        if (error) {
            close(fd);
            return error == EAGAIN ? ETIMEDOUT : error;
        }
    }
    if (ss.ss_family != AF_UNIX) {
        int on = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    }

    struct idl_rpc *rpc = xzalloc(sizeof *rpc);
    rpc->fd = fd;
    rpc->name = xstrdup(name);
    rpc->tok = json_tokener_new_ex(64);
    *rpcp = rpc;
    return 0;
}

void
idl_rpc_close(struct idl_rpc *rpc)
{
    if (rpc) {
        close(rpc->fd);
        json_tokener_free(rpc->tok);
        free(rpc->name);
        free(rpc);
    }
}

int
idl_rpc_send(struct idl_rpc *rpc, struct json_object *msg)
{
    size_t len;
    const char *s = json_object_to_json_string_length(msg, JSON_C_TO_STRING_PLAIN,
                                                      &len);
    size_t done = 0;

    while (done < len) {
        ssize_t n = send(rpc->fd, s + done, len - done, MSG_NOSIGNAL);
        if (n > 0) {
            done += n;
        } else if (n < 0 && errno == EAGAIN) {
            int error = wait_fd(rpc->fd, POLLOUT, -1);
            if (error) {
                return error;
            }
        } else if (n < 0 && errno != EINTR) {
            return errno;
        }
    }
    return 0;
}

int
idl_rpc_recv(struct idl_rpc *rpc, struct json_object **msgp, int timeout_ms)
{
    long long deadline = timeout_ms < 0 ? -1 : now_msec() + timeout_ms;

    *msgp = NULL;
    for (;;) {
        /* Parse what is buffered: json-c consumes up to the end of one
         * complete value and tells us where it stopped. */
        while (rpc->ofs < rpc->len) {
            struct json_object *j = json_tokener_parse_ex(
                rpc->tok, rpc->buf + rpc->ofs, rpc->len - rpc->ofs);
            enum json_tokener_error jerr = json_tokener_get_error(rpc->tok);
            if (jerr == json_tokener_continue) {
                rpc->ofs = rpc->len;
                break;
            }
            rpc->ofs += json_tokener_get_parse_end(rpc->tok);
            json_tokener_reset(rpc->tok);
            if (jerr != json_tokener_success) {
                return EPROTO;
            }
            if (!j || !json_object_is_type(j, json_type_object)) {
                json_object_put(j);
                return EPROTO;
            }
            *msgp = j;
            return 0;
        }
        rpc->ofs = rpc->len = 0;

        ssize_t n = recv(rpc->fd, rpc->buf, sizeof rpc->buf, 0);
        if (n > 0) {
            rpc->len = n;
        } else if (n == 0) {
            return EOF;
        } else if (errno == EAGAIN) {
            int t = deadline < 0 ? -1 : (int) MAX(0, deadline - now_msec());
            if (timeout_ms == 0 || (deadline >= 0 && t == 0)) {
                return EAGAIN;
            }
            int error = wait_fd(rpc->fd, POLLIN, t);
            if (error) {
                return error;
            }
        } else if (errno != EINTR) {
            return errno;
        }
    }
}

int
idl_rpc_fd(const struct idl_rpc *rpc)
{
    return rpc->fd;
}

const char *
idl_rpc_name(const struct idl_rpc *rpc)
{
    return rpc->name;
}
