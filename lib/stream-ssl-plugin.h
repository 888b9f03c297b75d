/* The TLS stream code (stream-ssl.c, stream-ssl-files.c) is built as a
 * shared object, vs-stream-ssl.so, that links libssl and libcrypto, so that
 * only processes that use TLS pay for loading them (several ms of CPU per
 * run, which matters for short-lived tools such as vs-vsctl).
 *
 * The plugin exports one symbol, STREAM_SSL_PLUGIN_SYMBOL, a table of its
 * entry points; stream-ssl-loader.c dlopen()s it on first need and
 * implements stream-ssl.h by forwarding to the table.  The plugin calls
 * back into the program (logging, poll loop, sockets): programs export
 * exactly those functions (lib/stream-ssl-host.syms). */
#ifndef VS_STREAM_SSL_PLUGIN_H
#define VS_STREAM_SSL_PLUGIN_H 1

#include <stdbool.h>

struct stream_class;
struct pstream_class;

/* Bumped whenever struct stream_ssl_plugin, struct stream_class or
 * struct pstream_class changes, so a stale plugin is refused. */
#define STREAM_SSL_PLUGIN_VERSION 1
#define STREAM_SSL_PLUGIN_SYMBOL "vs_stream_ssl_plugin"
#define STREAM_SSL_PLUGIN_FILE "vs-stream-ssl.so"

struct stream_ssl_plugin {
    unsigned int version;          /* STREAM_SSL_PLUGIN_VERSION. */
    unsigned int size;             /* sizeof(struct stream_ssl_plugin). */
    const struct stream_class *stream_class;      /* "ssl:" */
    const struct pstream_class *pstream_class;    /* "pssl:" */
    /* The functions of stream-ssl.h. */
    int (*set_private_key_file)(const char *path);
    int (*set_certificate_file)(const char *path);
    int (*set_ca_cert_file)(const char *path);
    int (*set_ca_cert_bootstrap)(const char *path);
    bool (*is_bootstrapping)(void);
    bool (*is_configured)(void);
    const char *(*get_last_error)(const char *name);
    void (*follow_files)(const char *key, const char *cert, const char *ca,
                         bool bootstrap);
};

/* Loader side (stream-ssl-loader.c).  Each loads the plugin if it is not
 * yet loaded and returns NULL if it cannot be (the reason is logged once,
 * "TLS support not found: PATH: why"). */
const struct stream_ssl_plugin *stream_ssl_plugin_load(void);
const struct stream_class *stream_ssl_stream_class(void);
const struct pstream_class *stream_ssl_pstream_class(void);

/* The errno value the stream-ssl.h setters return, and stream_open() for
 * "ssl:", when the plugin cannot be loaded. */
#define STREAM_SSL_NOT_FOUND ELIBACC

#endif /* stream-ssl-plugin.h */
