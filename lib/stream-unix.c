/* "unix:PATH" streams and "punix:PATH" listeners. */
#include <config.h>

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "socket-util.h"
#include "stream-fd.h"
#include "stream-provider.h"
#include "util.h"

/* Creates a non-blocking AF_UNIX socket and connects it to 'path'.
 * Returns the fd (>= 0) or a negative errno. */
static int
unix_connect(const char *path)
{
    struct sockaddr_un un;
    socklen_t len;
    int dirfd;
    int error = make_unix_sockaddr(path, &un, &len, &dirfd);
    if (error) {
        return -error;
    }

    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error = errno;
    } else if (connect(fd, (struct sockaddr *) &un, len) < 0) {
        /* A unix socket never connects in the background: EAGAIN means
         * the listener's backlog is full, which is a refusal for now. */
        error = errno == EAGAIN ? ECONNREFUSED : errno;
        close(fd);
    }
    if (dirfd >= 0) {
        close(dirfd);
    }
    return error ? -error : fd;
}

static int
unix_open(const char *name, const char *suffix, struct stream **streamp)
{
    if (!*suffix) {
        return EINVAL;
    }
    int fd = unix_connect(suffix);
    if (fd < 0) {
        return -fd;
    }
    new_fd_stream(&unix_stream_class, xstrdup(name), fd, 0, streamp);
    return 0;
}

const struct stream_class unix_stream_class = {
    .prefix = "unix",
    .needs_probes = false,
    .open = unix_open,
    .close = fd_stream_close,
    .connect = NULL,
    .recv = fd_stream_recv,
    .send = fd_stream_send,
    .wait = fd_stream_wait,
};

/* Removes a socket file at 'path' that no server answers on any more.
 * Returns EADDRINUSE if a live server does. */
static int
remove_stale_socket(const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0 || !S_ISSOCK(st.st_mode)) {
        return 0;           /* Nothing there, or bind() will say EADDRINUSE. */
    }
    int fd = unix_connect(path);
    if (fd >= 0) {
        close(fd);
        return EADDRINUSE;
    }
    if (fd == -ECONNREFUSED || fd == -ENOENT) {
        unlink(path);
    }
    return 0;
}

static char *
punix_accept_name(const char *pstream_name,
                  const struct sockaddr_storage *ss VS_UNUSED,
                  socklen_t len VS_UNUSED)
{
    /* Peers are unnamed: name the connection after the socket file. */
    return xstrdup(pstream_name + 1);       /* "punix:X" -> "unix:X" */
}

static int
punix_listen(const char *name, const char *path, struct pstream **pstreamp)
{
    struct sockaddr_un un;
    socklen_t len;
    int dirfd;

    if (!*path) {
        return EINVAL;
    }
    int error = remove_stale_socket(path);
    if (error) {
        return error;
    }
    error = make_unix_sockaddr(path, &un, &len, &dirfd);
    if (error) {
        return error;
    }

    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error = errno;
    } else if (bind(fd, (struct sockaddr *) &un, len) < 0) {
        error = errno;
    } else if (chmod(path, 0750) < 0 || listen(fd, SOCKET_LISTEN_BACKLOG) < 0) {
        /* chmod() before listen(): nobody can connect in between. */
        error = errno;
        unlink(path);
    }
    if (dirfd >= 0) {
        close(dirfd);
    }
    if (error) {
        if (fd >= 0) {
            close(fd);
        }
        return error;
    }
    new_fd_pstream(&punix_pstream_class, xstrdup(name), fd,
                   &unix_stream_class, punix_accept_name, xstrdup(path),
                   pstreamp);
    return 0;
}

const struct pstream_class punix_pstream_class = {
    .prefix = "punix",
    .listen = punix_listen,
    .close = fd_pstream_close,
    .accept = fd_pstream_accept,
    .wait = fd_pstream_wait,
};
