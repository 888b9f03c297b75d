#include <config.h>
#include "ovsdb/jsonrpc-conn.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "dynamic-string.h"
#include "json.h"
#include "poll-loop.h"
#include "stream.h"
#include "timeval.h"

static size_t max_msg_size = 64 * 1024 * 1024;
static size_t max_backlog = 64 * 1024 * 1024;

/* TLS ("pssl:", "ssl:") goes through lib/stream, which does the handshake
 * inside its send and receive calls; plain sockets are used directly. */
struct jrpc_listener {
    int fd;                     /* -1 if 'pstream'. */
    struct pstream *pstream;    /* "pssl:" listener, or NULL. */
    char *name;
    char *unix_path;            /* Owned; removed at close, or NULL. */
    int port;
};

struct jrpc_conn {
    int fd;                     /* -1 if 'stream'. */
    struct stream *stream;      /* TLS stream, or NULL. */
    char *name;
    struct json_parser *parser;
    char rbuf[65536];
    size_t rlen, rpos;          /* Unparsed bytes rbuf[rpos..rlen). */
    struct ds out;              /* Unsent bytes from 'out_pos' on. */
    size_t out_pos;
    int error;                  /* Sticky: once set, the connection is dead. */
    char *error_msg;
    bool eof;
};

void
jrpc_conn_set_limits(size_t msg, size_t backlog)
{
    max_msg_size = msg;
    max_backlog = backlog;
}

static int
open_punix(const char *path, struct jrpc_listener *l)
{
    struct sockaddr_un sun;
    if (strlen(path) >= sizeof sun.sun_path) {
        return ENAMETOOLONG;
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        return errno;
    }
    memset(&sun, 0, sizeof sun);
    sun.sun_family = AF_UNIX;
    strcpy(sun.sun_path, path);
    unlink(path);               /* A stale socket from a dead server. */
    /* umask makes the socket 0750 from the start: no window with wider
     * permissions. */
    mode_t old = umask(0027);
    int r = bind(fd, (struct sockaddr *) &sun, sizeof sun);
    umask(old);
    if (r < 0 || chmod(path, 0750) < 0 || listen(fd, 1024) < 0) {
        int error = errno;
        close(fd);
        return error;
    }
    l->fd = fd;
    l->unix_path = xstrdup(path);
    return 0;
}

static int
open_ptcp(const char *spec, struct jrpc_listener *l)
{
    char *copy = xstrdup(spec);
    char *colon = strchr(copy, ':');
    const char *ip = "0.0.0.0";
    unsigned int port;
    struct sockaddr_in sin;

    if (colon) {
        *colon = '\0';
        ip = colon + 1;
    }
    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    if (!str_to_uint(copy, 10, &port) || port > 65535
        || inet_pton(AF_INET, ip, &sin.sin_addr) != 1) {
        free(copy);
        return EINVAL;
    }
    sin.sin_port = htons(port);
    free(copy);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        return errno;
    }
    int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    socklen_t len = sizeof sin;
    if (bind(fd, (struct sockaddr *) &sin, sizeof sin) < 0 || listen(fd, 1024) < 0
        || getsockname(fd, (struct sockaddr *) &sin, &len) < 0) {
        int error = errno;
        close(fd);
        return error;
    }
    l->fd = fd;
    l->port = ntohs(sin.sin_port);
    return 0;
}

static struct jrpc_conn *conn_create(int fd, const char *name);

int
jrpc_listener_open(const char *name, struct jrpc_listener **lp)
{
    struct jrpc_listener *l = xzalloc(sizeof *l);
    int error;

    *lp = NULL;
    if (str_starts_with(name, "punix:")) {
        error = open_punix(name + 6, l);
    } else if (str_starts_with(name, "ptcp:")) {
        error = open_ptcp(name + 5, l);
    } else if (str_starts_with(name, "pssl:")) {
        error = pstream_open(name, &l->pstream);
        l->fd = -1;
        l->port = error ? 0 : pstream_get_bound_port(l->pstream);
    } else {
        error = EAFNOSUPPORT;
    }
    if (error) {
        free(l);
        return error;
    }
    l->name = xstrdup(name);
    *lp = l;
    return 0;
}

void
jrpc_listener_close(struct jrpc_listener *l)
{
    if (l) {
        if (l->pstream) {
            pstream_close(l->pstream);
        } else {
            close(l->fd);
        }
        if (l->unix_path) {
            unlink(l->unix_path);
            free(l->unix_path);
        }
        free(l->name);
        free(l);
    }
}

const char *
jrpc_listener_name(const struct jrpc_listener *l)
{
    return l->name;
}

int
jrpc_listener_port(const struct jrpc_listener *l)
{
    return l->port;
}

int
jrpc_listener_accept(struct jrpc_listener *l, struct jrpc_conn **connp)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    *connp = NULL;
    if (l->pstream) {
        struct stream *stream;
        int error = pstream_accept(l->pstream, &stream);
        if (!error) {
            *connp = conn_create(-1, stream_get_name(stream));
            (*connp)->stream = stream;
        }
        return error;
    }
    int fd = accept4(l->fd, (struct sockaddr *) &ss, &len, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) {
        return errno == EWOULDBLOCK ? EAGAIN : errno;
    }
    struct jrpc_conn *c = xzalloc(sizeof *c);
    c->fd = fd;
    if (ss.ss_family == AF_INET) {
        struct sockaddr_in *sin = (struct sockaddr_in *) &ss;
        char ip[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &sin->sin_addr, ip, sizeof ip);
        c->name = xasprintf("tcp:%s:%d", ip, ntohs(sin->sin_port));
        int on = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    } else {
        c->name = xasprintf("unix#%d", fd);
    }
    c->parser = json_parser_create(max_msg_size, 0);
    ds_init(&c->out);
    *connp = c;
    return 0;
}

static struct jrpc_conn *
conn_create(int fd, const char *name)
{
    struct jrpc_conn *c = xzalloc(sizeof *c);
    c->fd = fd;
    c->name = xstrdup(name);
    c->parser = json_parser_create(max_msg_size, 0);
    ds_init(&c->out);
    return c;
}

struct jrpc_connector {
    char *name;
    struct sockaddr_storage ss;
    socklen_t ss_len;
    int fd;                     /* Connecting socket, or -1. */
    bool tls;                   /* "ssl:": connects through 'stream'. */
    struct stream *stream;      /* Connecting TLS stream, or NULL. */
    bool connected;             /* A connection is handed out. */
    long long next_try;         /* time_msec() of the next attempt. */
    int backoff;                /* ms to wait after the next failure. */
};

int
jrpc_connector_create(const char *name, struct jrpc_connector **cp)
{
    struct jrpc_connector *c = xzalloc(sizeof *c);
    *cp = NULL;
    if (str_starts_with(name, "unix:")) {
        struct sockaddr_un *sun = (struct sockaddr_un *) &c->ss;
        if (strlen(name + 5) >= sizeof sun->sun_path) {
            free(c);
            return ENAMETOOLONG;
        }
        sun->sun_family = AF_UNIX;
        strcpy(sun->sun_path, name + 5);
        c->ss_len = sizeof *sun;
    } else if (str_starts_with(name, "tcp:")) {
        struct sockaddr_in *sin = (struct sockaddr_in *) &c->ss;
        char *copy = xstrdup(name + 4);
        char *colon = strrchr(copy, ':');
        unsigned int port;
        if (!colon || (*colon = '\0', !str_to_uint(colon + 1, 10, &port))
            || !port || port > 65535 || inet_pton(AF_INET, copy, &sin->sin_addr) != 1) {
            free(copy);
            free(c);
            return EINVAL;
        }
        free(copy);
        sin->sin_family = AF_INET;
        sin->sin_port = htons(port);
        c->ss_len = sizeof *sin;
    } else if (str_starts_with(name, "ssl:")) {
        int error = stream_verify_name(name);
        if (error) {
            free(c);
            return error;
        }
        c->tls = true;
    } else {
        free(c);
        return EAFNOSUPPORT;
    }
    c->name = xstrdup(name);
    c->fd = -1;
    c->backoff = 1000;
    *cp = c;
    return 0;
}

void
jrpc_connector_destroy(struct jrpc_connector *c)
{
    if (c) {
        if (c->fd >= 0) {
            close(c->fd);
        }
        stream_close(c->stream);
        free(c->name);
        free(c);
    }
}

const char *
jrpc_connector_name(const struct jrpc_connector *c)
{
    return c->name;
}

static void
connector_failed(struct jrpc_connector *c)
{
    if (c->fd >= 0) {
        close(c->fd);
        c->fd = -1;
    }
    stream_close(c->stream);
    c->stream = NULL;
    c->next_try = time_msec() + c->backoff;
    c->backoff = MIN(c->backoff * 2, 8000);
}

/* Hands out the connection once the TLS handshake is over. */
static struct jrpc_conn *
connector_run_tls(struct jrpc_connector *c)
{
    if (!c->stream) {
        if (time_msec() < c->next_try) {
            return NULL;
        }
        if (stream_open(c->name, &c->stream)) {
            connector_failed(c);
            return NULL;
        }
    }
    int error = stream_connect(c->stream);
    if (error) {
        if (error != EAGAIN) {
            connector_failed(c);
        }
        return NULL;
    }
    struct jrpc_conn *conn = conn_create(-1, c->name);
    conn->stream = c->stream;
    c->stream = NULL;
    c->connected = true;
    c->backoff = 1000;
    return conn;
}

struct jrpc_conn *
jrpc_connector_run(struct jrpc_connector *c)
{
    if (c->connected) {
        return NULL;
    }
    if (c->tls) {
        return connector_run_tls(c);
    }
    if (c->fd < 0) {
        if (time_msec() < c->next_try) {
            return NULL;
        }
        c->fd = socket(c->ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (c->fd < 0) {
            connector_failed(c);
            return NULL;
        }
        if (connect(c->fd, (struct sockaddr *) &c->ss, c->ss_len) < 0
            && errno != EINPROGRESS) {
            connector_failed(c);
            return NULL;
        }
    }
    /* Connected once the socket is writable without a pending error. */
    struct pollfd pfd = { .fd = c->fd, .events = POLLOUT };
    if (poll(&pfd, 1, 0) <= 0) {
        return NULL;
    }
    int error = 0;
    socklen_t len = sizeof error;
    if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &error, &len) < 0 || error) {
        connector_failed(c);
        return NULL;
    }
    struct jrpc_conn *conn = conn_create(c->fd, c->name);
    c->fd = -1;
    c->connected = true;
    c->backoff = 1000;
    return conn;
}

void
jrpc_connector_wait(struct jrpc_connector *c)
{
    if (c->connected) {
        return;
    } else if (c->stream) {
        stream_run_wait(c->stream);
        stream_connect_wait(c->stream);
    } else if (c->fd >= 0) {
        poll_fd_wait(c->fd, POLLOUT);
    } else {
        poll_timer_wait_until(c->next_try);
    }
}

void
jrpc_connector_disconnected(struct jrpc_connector *c)
{
    c->connected = false;
    c->next_try = time_msec() + c->backoff;
    c->backoff = MIN(c->backoff * 2, 8000);
}

void
jrpc_listener_wait(struct jrpc_listener *l)
{
    if (l->pstream) {
        pstream_wait(l->pstream);
        return;
    }
    poll_fd_wait(l->fd, POLLIN);
}

void
jrpc_conn_close(struct jrpc_conn *c)
{
    if (c) {
        if (c->stream) {
            stream_close(c->stream);
        } else {
            close(c->fd);
        }
        json_parser_destroy(c->parser);
        ds_destroy(&c->out);
        free(c->error_msg);
        free(c->name);
        free(c);
    }
}

const char *
jrpc_conn_name(const struct jrpc_conn *c)
{
    return c->name;
}

const char *
jrpc_conn_error(const struct jrpc_conn *c)
{
    return c->error_msg ? c->error_msg : vs_strerror(c->error);
}

static int
fail(struct jrpc_conn *c, int error, char *msg)
{
    if (!c->error) {
        c->error = error;
        c->error_msg = msg;
    } else {
        free(msg);
    }
    return c->error;
}

static void
flush(struct jrpc_conn *c)
{
    while (c->out_pos < c->out.length) {
        ssize_t n;
        if (c->stream) {
            n = stream_send(c->stream, c->out.string + c->out_pos,
                            c->out.length - c->out_pos);
            if (n < 0) {
                errno = -n;
            }
        } else {
            n = send(c->fd, c->out.string + c->out_pos,
                     c->out.length - c->out_pos, MSG_NOSIGNAL);
        }
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            } else if (errno != EAGAIN && errno != EWOULDBLOCK) {
                fail(c, errno, xasprintf("send failed (%s)", vs_strerror(errno)));
            }
            break;
        }
        c->out_pos += n;
    }
    if (c->out_pos == c->out.length) {
        ds_clear(&c->out);
        c->out_pos = 0;
    } else if (c->out_pos > 1024 * 1024) {
        /* Keep the buffer from growing without bound at the front. */
        memmove(c->out.string, c->out.string + c->out_pos, c->out.length - c->out_pos);
        c->out.length -= c->out_pos;
        c->out_pos = 0;
    }
}

int
jrpc_conn_run(struct jrpc_conn *c)
{
    if (!c->error) {
        flush(c);
    }
    if (!c->error && c->eof && c->rpos >= c->rlen) {
        fail(c, EOF, xstrdup("connection closed by peer"));
    }
    return c->error;
}

int
jrpc_conn_recv(struct jrpc_conn *c, struct json_object **jsonp)
{
    *jsonp = NULL;
    if (c->error) {
        return c->error;
    }
    for (;;) {
        if (c->rpos < c->rlen) {
            c->rpos += json_parser_feed(c->parser, c->rbuf + c->rpos, c->rlen - c->rpos);
            if (json_parser_is_done(c->parser)) {
                char *msg = NULL;
                int error = json_parser_take(c->parser, jsonp, &msg);
                if (error) {
                    return fail(c, error, msg);
                }
                return 0;
            }
            continue;
        }
        if (c->eof) {
            return EAGAIN;
        }
        /* Read only when everything buffered is consumed, so one busy peer
         * gets at most a buffer's worth of work per round. */
        ssize_t n;
        if (c->stream) {
            n = stream_recv(c->stream, c->rbuf, sizeof c->rbuf);
            if (n < 0) {
                errno = -n;
            }
        } else {
            n = recv(c->fd, c->rbuf, sizeof c->rbuf, 0);
        }
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
                return EAGAIN;
            }
            return fail(c, errno, xasprintf("receive failed (%s)", vs_strerror(errno)));
        } else if (!n) {
            c->eof = true;
            if (json_parser_is_busy(c->parser)) {
                return fail(c, EPROTO, xstrdup("connection closed in the middle of a message"));
            }
            return EAGAIN;
        }
        c->rlen = n;
        c->rpos = 0;
    }
}

int
jrpc_conn_send(struct jrpc_conn *c, struct json_object *json)
{
    if (c->error) {
        json_object_put(json);
        return c->error;
    }
    json_to_ds(json, 0, &c->out);
    json_object_put(json);
    if (c->out.length - c->out_pos > max_backlog) {
        return fail(c, ENOBUFS, xasprintf("send backlog over %zu bytes, peer too slow",
                                          max_backlog));
    }
    flush(c);
    return c->error;
}

size_t
jrpc_conn_backlog(const struct jrpc_conn *c)
{
    return c->out.length - c->out_pos;
}

void
jrpc_conn_wait(struct jrpc_conn *c)
{
    if (c->error || (c->eof && c->rpos >= c->rlen)) {
        poll_immediate_wake();
        return;
    }
    if (c->rpos < c->rlen) {
        poll_immediate_wake();
    }
    if (c->stream) {
        stream_run_wait(c->stream);
        stream_recv_wait(c->stream);
        if (c->out_pos < c->out.length) {
            stream_send_wait(c->stream);
        }
        return;
    }
    poll_fd_wait(c->fd, c->out_pos < c->out.length ? POLLIN | POLLOUT : POLLIN);
}
