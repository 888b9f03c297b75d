#include <config.h>
#include "socket-util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

int
set_nonblocking(int fd)
{
    int flags = fcntl(fd, F_GETFL, 0);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
        return errno;
    }
    return 0;
}

static bool
parse_port(const char *s, uint16_t *port)
{
    unsigned int u;
    if (!*s || !str_to_uint(s, 10, &u) || u > 65535) {
        return false;
    }
    *port = u;
    return true;
}

/* Fills 'ss' from numeric 'host' (IPv4, or IPv6 without brackets). */
static int
make_inet_addr(const char *host, uint16_t port, struct sockaddr_storage *ss,
               socklen_t *lenp)
{
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *sin = (struct sockaddr_in *) ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) ss;

    if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
        sin->sin_family = AF_INET;
        sin->sin_port = htons(port);
        *lenp = sizeof *sin;
        return 0;
    }
    if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons(port);
        *lenp = sizeof *sin6;
        return 0;
    }
    return EINVAL;
}

/* Splits "HOST" or "[HOST]" at the start of 's' into 'host' (brackets
 * removed) and returns a pointer just past it. */
static const char *
split_host(const char *s, char *host, size_t size, bool *ok)
{
    const char *end;
    *ok = false;
    if (*s == '[') {
        end = strchr(s, ']');
        if (!end || (size_t) (end - s - 1) >= size) {
            return s;
        }
        memcpy(host, s + 1, end - s - 1);
        host[end - s - 1] = '\0';
        *ok = true;
        return end + 1;
    }
    end = strrchr(s, ':');
    if (!end) {
        end = s + strlen(s);
    }
    if ((size_t) (end - s) >= size) {
        return s;
    }
    memcpy(host, s, end - s);
    host[end - s] = '\0';
    *ok = true;
    return end;
}

int
inet_parse_active(const char *target, struct sockaddr_storage *ss,
                  socklen_t *lenp)
{
    char host[INET6_ADDRSTRLEN + 1];
    uint16_t port;
    bool ok;

    const char *rest = split_host(target, host, sizeof host, &ok);
    if (!ok || *rest != ':' || !parse_port(rest + 1, &port) || !port) {
        return EINVAL;
    }
    return make_inet_addr(host, port, ss, lenp);
}

int
inet_parse_passive(const char *target, struct sockaddr_storage *ss,
                   socklen_t *lenp)
{
    char portstr[8];
    const char *colon = strchr(target, ':');
    size_t portlen = colon ? (size_t) (colon - target) : strlen(target);
    uint16_t port;

    if (portlen >= sizeof portstr) {
        return EINVAL;
    }
    memcpy(portstr, target, portlen);
    portstr[portlen] = '\0';
    if (!parse_port(portstr, &port)) {
        return EINVAL;
    }
    if (!colon) {
        return make_inet_addr("0.0.0.0", port, ss, lenp);
    }

    char host[INET6_ADDRSTRLEN + 1];
    bool ok;
    const char *rest = split_host(colon + 1, host, sizeof host, &ok);
    if (!ok || *rest) {
        return EINVAL;
    }
    return make_inet_addr(host, port, ss, lenp);
}

char *
ss_format(const struct sockaddr_storage *ss)
{
    char buf[INET6_ADDRSTRLEN];

    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *) ss;
        inet_ntop(AF_INET, &sin->sin_addr, buf, sizeof buf);
        return xasprintf("%s:%u", buf, ntohs(sin->sin_port));
    } else if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *) ss;
        inet_ntop(AF_INET6, &sin6->sin6_addr, buf, sizeof buf);
        return xasprintf("[%s]:%u", buf, ntohs(sin6->sin6_port));
    }
    return xstrdup("unknown");
}

uint16_t
ss_get_port(const struct sockaddr_storage *ss)
{
    if (ss->ss_family == AF_INET) {
        return ntohs(((const struct sockaddr_in *) ss)->sin_port);
    } else if (ss->ss_family == AF_INET6) {
        return ntohs(((const struct sockaddr_in6 *) ss)->sin6_port);
    }
    return 0;
}

int
make_unix_sockaddr(const char *path, struct sockaddr_un *un, socklen_t *lenp,
                   int *dirfdp)
{
    size_t len = strlen(path);

    *dirfdp = -1;
    memset(un, 0, sizeof *un);
    un->sun_family = AF_UNIX;
    if (!len) {
        return EINVAL;
    }
    if (len < sizeof un->sun_path) {
        memcpy(un->sun_path, path, len);
        *lenp = offsetof(struct sockaddr_un, sun_path) + len + 1;
        return 0;
    }

    /* Too long: go through the directory's file descriptor. */
    const char *slash = strrchr(path, '/');
    if (!slash || !slash[1]) {
        return ENAMETOOLONG;
    }
    char *dir = xstrndup(path, slash == path ? 1 : (size_t) (slash - path));
    int dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    int error = dirfd < 0 ? errno : 0;
    free(dir);
    if (error) {
        return error;
    }

    int n = snprintf(un->sun_path, sizeof un->sun_path, "/proc/self/fd/%d/%s",
                     dirfd, slash + 1);
    if (n < 0 || (size_t) n >= sizeof un->sun_path) {
        close(dirfd);
        return ENAMETOOLONG;
    }
    *dirfdp = dirfd;
    *lenp = offsetof(struct sockaddr_un, sun_path) + n + 1;
    return 0;
}

/* Opens a non-blocking, close-on-exec stream socket of 'family' with the
 * boolean socket option 'option' (at 'level') turned on. */
static int
new_stream_socket(int family, int level, int option, int *fdp)
{
    int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    *fdp = fd;
    if (fd < 0) {
        return errno;
    }
    int on = 1;
    setsockopt(fd, level, option, &on, sizeof on);
    return 0;
}

int
inet_open_active(const char *target, int *fdp)
{
    struct sockaddr_storage ss;
    socklen_t len;
    int error = inet_parse_active(target, &ss, &len);

    *fdp = -1;
    if (error) {
        return error;
    }
    int fd;
    error = new_stream_socket(ss.ss_family, IPPROTO_TCP, TCP_NODELAY, &fd);
    if (error) {
        return error;
    }

    if (connect(fd, (struct sockaddr *) &ss, len) < 0) {
        if (errno != EINPROGRESS) {
            error = errno;
            close(fd);
            return error;
        }
        error = EAGAIN;
    }
    *fdp = fd;
    return error;
}

int
inet_open_passive(const char *target, int *fdp, uint16_t *portp)
{
    struct sockaddr_storage ss;
    socklen_t len;
    int error = inet_parse_passive(target, &ss, &len);

    *fdp = -1;
    *portp = 0;
    if (error) {
        return error;
    }
    int fd;
    error = new_stream_socket(ss.ss_family, SOL_SOCKET, SO_REUSEADDR, &fd);
    if (error) {
        return error;
    }

    struct sockaddr_storage bound;
    socklen_t bound_len = sizeof bound;
    if (bind(fd, (struct sockaddr *) &ss, len) < 0
        || listen(fd, SOCKET_LISTEN_BACKLOG) < 0
        || getsockname(fd, (struct sockaddr *) &bound, &bound_len) < 0) {
        error = errno;
        close(fd);
        return error;
    }
    *fdp = fd;
    *portp = ss_get_port(&bound);
    return 0;
}

int
accept_nonblocking(int listen_fd, struct sockaddr_storage *ss,
                   socklen_t *lenp, int *fdp)
{
    int fd;

    *lenp = sizeof *ss;
    do {
        fd = accept4(listen_fd, (struct sockaddr *) ss, lenp,
                     SOCK_NONBLOCK | SOCK_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    *fdp = fd;
    if (fd < 0) {
        return errno == EWOULDBLOCK ? EAGAIN : errno;
    }
    return 0;
}

int
check_connection_completion(int fd)
{
    struct pollfd pfd = { .fd = fd, .events = POLLOUT };

    int n = poll(&pfd, 1, 0);
    if (n < 0) {
        return errno == EINTR ? EAGAIN : errno;
    } else if (n == 0) {
        return EAGAIN;
    }

    int error = 0;
    socklen_t len = sizeof error;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) < 0) {
        return errno;
    }
    return error == EINPROGRESS ? EAGAIN : error;
}
