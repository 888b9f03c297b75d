/* Streams over a socket file descriptor: the shared implementation of the
 * unix and tcp providers (they differ only in how the fd is made). */
#ifndef VS_STREAM_FD_H
#define VS_STREAM_FD_H 1

#include <sys/socket.h>
#include "stream-provider.h"

/* Wraps connected or connecting socket 'fd' (non-blocking; the stream owns
 * it) as a stream named 'name' (taken).  'connect_status' is 0 or EAGAIN. */
void new_fd_stream(const struct stream_class *, char *name, int fd,
                   int connect_status, struct stream **streamp);

/* Wraps an already connected socket, e.g. one end of a socketpair() in a
 * test, as a stream.  Makes 'fd' non-blocking; the stream owns it. */
int stream_from_fd(int fd, const char *name, struct stream **streamp);

/* Makes a name (caller frees) for a connection accepted by the listener
 * named 'pstream_name' from its peer address. */
typedef char *fd_pstream_name_func(const char *pstream_name,
                                   const struct sockaddr_storage *,
                                   socklen_t);

/* Wraps listening socket 'fd' as a pstream named 'name' (taken).  Accepted
 * streams get names from 'name_func' and class 'stream_class'.
 * 'unlink_path' (taken, may be NULL) is removed when the pstream closes. */
void new_fd_pstream(const struct pstream_class *, char *name, int fd,
                    const struct stream_class *stream_class,
                    fd_pstream_name_func *name_func, char *unlink_path,
                    struct pstream **pstreamp);

/* Provider callbacks shared by fd-based classes. */
void fd_stream_close(struct stream *);
int fd_stream_connect(struct stream *);
ssize_t fd_stream_recv(struct stream *, void *, size_t);
ssize_t fd_stream_send(struct stream *, const void *, size_t);
void fd_stream_wait(struct stream *, enum stream_wait_type);
void fd_pstream_close(struct pstream *);
int fd_pstream_accept(struct pstream *, struct stream **);
void fd_pstream_wait(struct pstream *);

#endif /* stream-fd.h */
