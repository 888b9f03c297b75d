/* Interface for stream providers: each kind of stream fills one
 * 'const struct stream_class' (or pstream_class) in its own file, and
 * stream.c lists them.  "ssl:" and "pssl:" live in the plugin
 * vs-stream-ssl.so, which stream.c asks stream-ssl-loader.c for. */
#ifndef VS_STREAM_PROVIDER_H
#define VS_STREAM_PROVIDER_H 1

#include <stdbool.h>
#include <sys/types.h>
#include "stream.h"

enum stream_wait_type {
    STREAM_CONNECT,
    STREAM_RECV,
    STREAM_SEND,
};

/* Base of every provider's stream; providers embed it first. */
struct stream {
    const struct stream_class *class;
    int state;              /* Private to stream.c. */
    int error;              /* Private to stream.c. */
    char *name;             /* Owned. */
};

/* 'connect_status' is 0 if already connected, EAGAIN if connecting. */
void stream_init(struct stream *, const struct stream_class *,
                 int connect_status, char *name /* takes ownership */);

struct stream_class {
    const char *prefix;         /* "tcp" for "tcp:..." */
    bool needs_probes;

    /* Checks and opens 'name'; 'suffix' is what follows "prefix:". */
    int (*open)(const char *name, const char *suffix,
                struct stream **streamp);
    void (*close)(struct stream *);
    /* 0 when connected, EAGAIN while in progress, else an errno.  NULL if
     * streams of this class are connected from the start. */
    int (*connect)(struct stream *);
    ssize_t (*recv)(struct stream *, void *buffer, size_t n);
    ssize_t (*send)(struct stream *, const void *buffer, size_t n);
    void (*run)(struct stream *);           /* May be NULL. */
    void (*run_wait)(struct stream *);      /* May be NULL. */
    void (*wait)(struct stream *, enum stream_wait_type);
};

struct pstream {
    const struct pstream_class *class;
    char *name;             /* Owned. */
    uint16_t bound_port;    /* ptcp only. */
};

void pstream_init(struct pstream *, const struct pstream_class *,
                  char *name /* takes ownership */);

struct pstream_class {
    const char *prefix;         /* "ptcp" for "ptcp:..." */
    int (*listen)(const char *name, const char *suffix,
                  struct pstream **pstreamp);
    void (*close)(struct pstream *);
    int (*accept)(struct pstream *, struct stream **streamp);
    void (*wait)(struct pstream *);
};

extern const struct stream_class unix_stream_class;
extern const struct stream_class tcp_stream_class;
extern const struct pstream_class punix_pstream_class;
extern const struct pstream_class ptcp_pstream_class;
/* Inside vs-stream-ssl.so only (stream-ssl-plugin.c). */
extern const struct stream_class ssl_stream_class;
extern const struct pstream_class pssl_pstream_class;

#endif /* stream-provider.h */
