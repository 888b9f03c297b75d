/* Generic stream and pstream layer: picks the provider by name prefix and
 * keeps the connection state machine common to all of them. */
#include <config.h>
#include "stream.h"

#include <errno.h>
#include <string.h>

#include "poll-loop.h"
#include "stream-provider.h"
#include "stream-ssl-plugin.h"
#include "timeval.h"
#include "util.h"

/* The providers.  A new kind of stream is one file and one line here.
 * "ssl:" and "pssl:" come from vs-stream-ssl.so, loaded on first use
 * (stream-ssl-plugin.h), so programs that never use TLS do not pay for
 * loading libssl and libcrypto (several ms a run). */
static const struct stream_class *const stream_classes[] = {
    &tcp_stream_class,
    &unix_stream_class,
};

static const struct pstream_class *const pstream_classes[] = {
    &ptcp_pstream_class,
    &punix_pstream_class,
};

enum stream_state {
    SCS_CONNECTING,
    SCS_CONNECTED,
    SCS_DISCONNECTED,
};

/* Returns the part of 'name' after "PREFIX:" if 'name' starts with it. */
static const char *
match_prefix(const char *name, const char *prefix)
{
    size_t len = strlen(prefix);
    return !strncmp(name, prefix, len) && name[len] == ':'
           ? name + len + 1 : NULL;
}

/* Finds the provider for 'name' and the part of 'name' after its prefix.
 * Returns NULL, with '*errorp' EAFNOSUPPORT for an unknown kind of stream
 * or STREAM_SSL_NOT_FOUND when "ssl:" support cannot be loaded. */
static const struct stream_class *
stream_lookup_class(const char *name, const char **suffixp, int *errorp)
{
    const char *ssl_suffix = match_prefix(name, "ssl");
    if (ssl_suffix) {
        const struct stream_class *class = stream_ssl_stream_class();
        *suffixp = ssl_suffix;
        *errorp = class ? 0 : STREAM_SSL_NOT_FOUND;
        return class;
    }
    *errorp = EAFNOSUPPORT;
    for (size_t i = 0; i < ARRAY_SIZE(stream_classes); i++) {
        const char *suffix = match_prefix(name, stream_classes[i]->prefix);
        if (suffix) {
            *suffixp = suffix;
            *errorp = 0;
            return stream_classes[i];
        }
    }
    return NULL;
}

/* Like stream_lookup_class(), for listeners ("pssl:" is the plugin's). */
static const struct pstream_class *
pstream_lookup_class(const char *name, const char **suffixp, int *errorp)
{
    const char *ssl_suffix = match_prefix(name, "pssl");
    if (ssl_suffix) {
        const struct pstream_class *class = stream_ssl_pstream_class();
        *suffixp = ssl_suffix;
        *errorp = class ? 0 : STREAM_SSL_NOT_FOUND;
        return class;
    }
    *errorp = EAFNOSUPPORT;
    for (size_t i = 0; i < ARRAY_SIZE(pstream_classes); i++) {
        const char *suffix = match_prefix(name, pstream_classes[i]->prefix);
        if (suffix) {
            *suffixp = suffix;
            *errorp = 0;
            return pstream_classes[i];
        }
    }
    return NULL;
}

void
stream_init(struct stream *stream, const struct stream_class *class,
            int connect_status, char *name)
{
    stream->class = class;
    stream->state = (connect_status == EAGAIN ? SCS_CONNECTING
                     : connect_status == 0 ? SCS_CONNECTED
                     : SCS_DISCONNECTED);
    stream->error = connect_status == EAGAIN ? 0 : connect_status;
    stream->name = name;
}

/* Checking a name does not load TLS support: "ssl:" is a valid name even
 * where it cannot be opened, which stream_open() reports. */
int
stream_verify_name(const char *name)
{
    const char *suffix;
    int error;
    return (match_prefix(name, "ssl")
            || stream_lookup_class(name, &suffix, &error) ? 0 : error);
}

bool
stream_needs_probes(const char *name)
{
    if (match_prefix(name, "ssl")) {
        return true;                    /* Like TCP; no need to load TLS. */
    }
    const char *suffix;
    int error;
    const struct stream_class *class = stream_lookup_class(name, &suffix,
                                                           &error);
    return class && class->needs_probes;
}

int
stream_open(const char *name, struct stream **streamp)
{
    const char *suffix;
    int error;
    const struct stream_class *class = stream_lookup_class(name, &suffix,
                                                           &error);

    *streamp = NULL;
    if (!class) {
        return error;
    }
    return class->open(name, suffix, streamp);
}

int
stream_open_block(const char *name, int timeout_ms, struct stream **streamp)
{
    long long deadline = timeout_ms < 0 ? -1 : time_msec() + timeout_ms;
    struct stream *stream;
    int error = stream_open(name, &stream);

    while (!error) {
        error = stream_connect(stream);
        if (error != EAGAIN) {
            break;
        }
        if (deadline >= 0 && time_msec() >= deadline) {
            error = ETIMEDOUT;
            break;
        }
        stream_run(stream);
        stream_run_wait(stream);
        stream_connect_wait(stream);
        if (deadline >= 0) {
            poll_timer_wait_until(deadline);
        }
        poll_block();
        error = 0;
    }
    if (error && stream) {
        stream_close(stream);
        stream = NULL;
    }
    *streamp = stream;
    return error;
}

void
stream_close(struct stream *stream)
{
    if (stream) {
        char *name = stream->name;
        stream->class->close(stream);
        free(name);
    }
}

const char *
stream_get_name(const struct stream *stream)
{
    return stream->name;
}

int
stream_connect(struct stream *stream)
{
    if (stream->state == SCS_CONNECTING) {
        int error = stream->class->connect
                    ? stream->class->connect(stream) : 0;
        if (!error) {
            stream->state = SCS_CONNECTED;
        } else if (error != EAGAIN) {
            stream->state = SCS_DISCONNECTED;
            stream->error = error;
        }
    }
    switch (stream->state) {
    case SCS_CONNECTING: return EAGAIN;
    case SCS_CONNECTED: return 0;
    default: return stream->error;
    }
}

ssize_t
stream_recv(struct stream *stream, void *buffer, size_t n)
{
    int error = stream_connect(stream);
    if (error) {
        return -error;
    }
    return n ? stream->class->recv(stream, buffer, n) : 0;
}

ssize_t
stream_send(struct stream *stream, const void *buffer, size_t n)
{
    int error = stream_connect(stream);
    if (error) {
        return -error;
    }
    return n ? stream->class->send(stream, buffer, n) : 0;
}

void
stream_run(struct stream *stream)
{
    if (stream->class->run) {
        stream->class->run(stream);
    }
}

void
stream_run_wait(struct stream *stream)
{
    if (stream->class->run_wait) {
        stream->class->run_wait(stream);
    }
}

static void
stream_wait(struct stream *stream, enum stream_wait_type type)
{
    switch (stream->state) {
    case SCS_CONNECTING:
        stream->class->wait(stream, STREAM_CONNECT);
        break;
    case SCS_CONNECTED:
        stream->class->wait(stream, type);
        break;
    default:
        /* The caller will find the error at once. */
        poll_immediate_wake();
        break;
    }
}

void
stream_connect_wait(struct stream *stream)
{
    stream_wait(stream, STREAM_CONNECT);
}

void
stream_recv_wait(struct stream *stream)
{
    stream_wait(stream, STREAM_RECV);
}

void
stream_send_wait(struct stream *stream)
{
    stream_wait(stream, STREAM_SEND);
}

void
pstream_init(struct pstream *pstream, const struct pstream_class *class,
             char *name)
{
    pstream->class = class;
    pstream->name = name;
    pstream->bound_port = 0;
}

int
pstream_verify_name(const char *name)
{
    const char *suffix;
    int error;
    return (match_prefix(name, "pssl")
            || pstream_lookup_class(name, &suffix, &error) ? 0 : error);
}

int
pstream_open(const char *name, struct pstream **pstreamp)
{
    const char *suffix;
    int error;
    const struct pstream_class *class = pstream_lookup_class(name, &suffix,
                                                             &error);

    *pstreamp = NULL;
    if (!class) {
        return error;
    }
    return class->listen(name, suffix, pstreamp);
}

void
pstream_close(struct pstream *pstream)
{
    if (pstream) {
        char *name = pstream->name;
        pstream->class->close(pstream);
        free(name);
    }
}

const char *
pstream_get_name(const struct pstream *pstream)
{
    return pstream->name;
}

int
pstream_accept(struct pstream *pstream, struct stream **streamp)
{
    return pstream->class->accept(pstream, streamp);
}

void
pstream_wait(struct pstream *pstream)
{
    pstream->class->wait(pstream);
}

uint16_t
pstream_get_bound_port(const struct pstream *pstream)
{
    return pstream->bound_port;
}
