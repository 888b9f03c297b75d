/* Socket-fd streams and listeners, shared by stream-unix.c and
 * stream-tcp.c. */
#include <config.h>
#include "stream-fd.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "poll-loop.h"
#include "socket-util.h"
#include "util.h"

struct fd_stream {
    struct stream up;
    int fd;
};

struct fd_pstream {
    struct pstream up;
    int fd;
    const struct stream_class *stream_class;
    fd_pstream_name_func *name_func;
    char *unlink_path;          /* Owned; removed on close.  May be NULL. */
};

static struct fd_stream *
fd_stream_cast(struct stream *stream)
{
    return CONTAINER_OF(stream, struct fd_stream, up);
}

static struct fd_pstream *
fd_pstream_cast(struct pstream *pstream)
{
    return CONTAINER_OF(pstream, struct fd_pstream, up);
}

void
new_fd_stream(const struct stream_class *class, char *name, int fd,
              int connect_status, struct stream **streamp)
{
    struct fd_stream *s = xzalloc(sizeof *s);
    stream_init(&s->up, class, connect_status, name);
    s->fd = fd;
    *streamp = &s->up;
}

int
stream_from_fd(int fd, const char *name, struct stream **streamp)
{
    int error = set_nonblocking(fd);
    if (error) {
        *streamp = NULL;
        return error;
    }
    new_fd_stream(&unix_stream_class, xstrdup(name), fd, 0, streamp);
    return 0;
}

void
fd_stream_close(struct stream *stream)
{
    struct fd_stream *s = fd_stream_cast(stream);
    poll_fd_forget(s->fd);
    close(s->fd);
    free(s);
}

int
fd_stream_connect(struct stream *stream)
{
    return check_connection_completion(fd_stream_cast(stream)->fd);
}

ssize_t
fd_stream_recv(struct stream *stream, void *buffer, size_t n)
{
    struct fd_stream *s = fd_stream_cast(stream);
    ssize_t retval;

    /* The poll loop runs once per batch of upcalls in vs-vswitchd: a
     * recv() per idle connection per iteration was a tenth of its system
     * calls. */
    if (poll_fd_was_idle(s->fd, POLLIN)) {
        return -EAGAIN;
    }
    do {
        retval = recv(s->fd, buffer, n, 0);
    } while (retval < 0 && errno == EINTR);
    return retval >= 0 ? retval : errno == EWOULDBLOCK ? -EAGAIN : -errno;
}

ssize_t
fd_stream_send(struct stream *stream, const void *buffer, size_t n)
{
    struct fd_stream *s = fd_stream_cast(stream);
    ssize_t retval;

    /* MSG_NOSIGNAL: a peer that went away gives EPIPE, not SIGPIPE. */
    do {
        retval = send(s->fd, buffer, n, MSG_NOSIGNAL);
    } while (retval < 0 && errno == EINTR);
    if (retval < 0) {
        return errno == EWOULDBLOCK ? -EAGAIN : -errno;
    }
    return retval;
}

void
fd_stream_wait(struct stream *stream, enum stream_wait_type type)
{
    struct fd_stream *s = fd_stream_cast(stream);
    /* Kept: the close above forgets it. */
    poll_fd_wait_kept(s->fd, type == STREAM_RECV ? POLLIN : POLLOUT);
}

void
new_fd_pstream(const struct pstream_class *class, char *name, int fd,
               const struct stream_class *stream_class,
               fd_pstream_name_func *name_func, char *unlink_path,
               struct pstream **pstreamp)
{
    struct fd_pstream *ps = xzalloc(sizeof *ps);
    pstream_init(&ps->up, class, name);
    ps->fd = fd;
    ps->stream_class = stream_class;
    ps->name_func = name_func;
    ps->unlink_path = unlink_path;
    *pstreamp = &ps->up;
}

void
fd_pstream_close(struct pstream *pstream)
{
    struct fd_pstream *ps = fd_pstream_cast(pstream);
    poll_fd_forget(ps->fd);
    close(ps->fd);
    if (ps->unlink_path) {
        unlink(ps->unlink_path);
        free(ps->unlink_path);
    }
    free(ps);
}

int
fd_pstream_accept(struct pstream *pstream, struct stream **streamp)
{
    struct fd_pstream *ps = fd_pstream_cast(pstream);
    struct sockaddr_storage ss;
    socklen_t len;
    int fd;

    *streamp = NULL;
    if (poll_fd_was_idle(ps->fd, POLLIN)) {
        return EAGAIN;              /* See fd_stream_recv(). */
    }
    int error = accept_nonblocking(ps->fd, &ss, &len, &fd);
    if (error) {
        return error;
    }
    if (ss.ss_family == AF_INET || ss.ss_family == AF_INET6) {
        int on = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    }
    new_fd_stream(ps->stream_class, ps->name_func(ps->up.name, &ss, len), fd,
                  0, streamp);
    return 0;
}

void
fd_pstream_wait(struct pstream *pstream)
{
    poll_fd_wait_kept(fd_pstream_cast(pstream)->fd, POLLIN);
}
