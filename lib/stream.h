/* Byte streams: active connections ("unix:PATH", "tcp:IP:PORT",
 * "tcp:[IPV6]:PORT") and listeners ("punix:PATH", "ptcp:PORT[:IP]").
 *
 * Everything is non-blocking and driven by the poll loop.  Each kind of
 * stream is a provider in its own file (stream-unix.c, stream-tcp.c, ...),
 * chosen by the prefix of the name; see stream-provider.h.
 *
 * I/O calls return byte counts like read(2): > 0 bytes moved, 0 for end of
 * stream (recv only), or a negative errno value (-EAGAIN: try again after
 * the matching *_wait()).  Everything else returns 0 or a positive errno. */
#ifndef VS_STREAM_H
#define VS_STREAM_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct stream;
struct pstream;

/* ---- Active streams ---- */

/* Starts connecting to 'name'.  On success stores a new stream in
 * '*streamp' (connection possibly still in progress: see stream_connect()).
 * Returns EAFNOSUPPORT for an unknown prefix, EINVAL for a malformed name,
 * or the error from socket()/connect(). */
int stream_open(const char *name, struct stream **streamp);

/* Like stream_open(), then waits (up to 'timeout_ms', < 0: forever) for the
 * connection to finish, for command-line tools.  Runs its own poll loop
 * iterations, so do not use it from a daemon's main loop. */
int stream_open_block(const char *name, int timeout_ms,
                      struct stream **streamp);

void stream_close(struct stream *);
const char *stream_get_name(const struct stream *);

/* Returns 0 once connected, EAGAIN while connecting, otherwise the error
 * that ended the connection attempt (e.g. ECONNREFUSED). */
int stream_connect(struct stream *);

/* Receives up to 'n' bytes into 'buffer'. */
ssize_t stream_recv(struct stream *, void *buffer, size_t n);

/* Sends up to 'n' bytes of 'buffer'; may send fewer. */
ssize_t stream_send(struct stream *, const void *buffer, size_t n);

/* Housekeeping some providers need (e.g. TLS); harmless to skip for
 * unix/tcp but callers should call them. */
void stream_run(struct stream *);
void stream_run_wait(struct stream *);

/* Arranges for poll_block() to wake when stream_connect(), stream_recv()
 * or stream_send() can make progress. */
void stream_connect_wait(struct stream *);
void stream_recv_wait(struct stream *);
void stream_send_wait(struct stream *);

/* Returns 0 if 'name' starts with a supported stream kind ("tcp:",
 * "unix:"), otherwise EAFNOSUPPORT.  pstream_verify_name() is the same for
 * listeners. */
int stream_verify_name(const char *name);

/* True for streams that can silently die (tcp, ssl) and so need keepalive
 * probes; false for unix sockets. */
bool stream_needs_probes(const char *name);

/* ---- Listeners ---- */

/* Starts listening on 'name' ("punix:PATH", "ptcp:PORT[:IP]").  punix:
 * creates the socket file with mode 0750, replacing a stale socket file
 * but refusing (EADDRINUSE) if a live server answers on it. */
int pstream_open(const char *name, struct pstream **pstreamp);
void pstream_close(struct pstream *);
const char *pstream_get_name(const struct pstream *);

/* Accepts a connection: returns 0 and a new connected stream in
 * '*streamp', EAGAIN if none is pending, or another errno. */
int pstream_accept(struct pstream *, struct stream **streamp);
void pstream_wait(struct pstream *);

/* The local port a ptcp: listener is bound to (useful with port 0); 0 for
 * other kinds. */
uint16_t pstream_get_bound_port(const struct pstream *);

int pstream_verify_name(const char *name);

#endif /* stream.h */
