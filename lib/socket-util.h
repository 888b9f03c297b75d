/* Socket helpers shared by the stream providers: address parsing and
 * formatting, non-blocking setup, unix socket paths of any length. */
#ifndef VS_SOCKET_UTIL_H
#define VS_SOCKET_UTIL_H 1

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/un.h>

/* listen(2) queue for passive sockets: deep enough for a burst of clients
 * connecting at once (vs-ovsdb-server under many vs-vsctl calls). */
#define SOCKET_LISTEN_BACKLOG 1024

int set_nonblocking(int fd);

/* Parses "IP:PORT" or "[IPV6]:PORT" (numeric addresses only: name lookups
 * would block).  Returns 0 or EINVAL. */
int inet_parse_active(const char *target, struct sockaddr_storage *ss,
                      socklen_t *lenp);

/* Parses "PORT[:IP]" or "PORT:[IPV6]" for a listener; PORT may be 0 for an
 * ephemeral port and an absent IP means 0.0.0.0.  Returns 0 or EINVAL. */
int inet_parse_passive(const char *target, struct sockaddr_storage *ss,
                       socklen_t *lenp);

/* Starts a non-blocking TCP connection to "IP:PORT" or "[IPV6]:PORT" with
 * TCP_NODELAY.  Returns 0 (connected) or EAGAIN (in progress) with the new
 * socket in '*fdp', or another errno value ('*fdp' is then -1). */
int inet_open_active(const char *target, int *fdp);

/* Opens a non-blocking TCP listener for "PORT[:IP]" and stores it in
 * '*fdp' and its bound port in '*portp'.  Returns 0 or an errno value. */
int inet_open_passive(const char *target, int *fdp, uint16_t *portp);

/* Accepts a connection on the listening socket 'listen_fd' as a
 * non-blocking, close-on-exec socket in '*fdp', with the peer's address in
 * '*ss' and '*lenp'.  Returns 0, EAGAIN if none is pending, or another
 * errno value ('*fdp' is then -1). */
int accept_nonblocking(int listen_fd, struct sockaddr_storage *ss,
                       socklen_t *lenp, int *fdp);

/* For a socket with a non-blocking connect() under way: returns 0 once
 * connected, EAGAIN while in progress, or the connection's error. */
int check_connection_completion(int fd);

/* Returns "IP:PORT" or "[IPV6]:PORT" (caller frees). */
char *ss_format(const struct sockaddr_storage *);
uint16_t ss_get_port(const struct sockaddr_storage *);

/* Fills '*un' for 'path'.  A path longer than sun_path is reached through
 * /proc/self/fd/N/NAME with its directory opened in '*dirfdp' (close it
 * after connect() or bind(); -1 when not needed).  Returns 0 or an errno. */
int make_unix_sockaddr(const char *path, struct sockaddr_un *un,
                       socklen_t *lenp, int *dirfdp);

#endif /* socket-util.h */
