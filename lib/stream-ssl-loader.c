/* stream-ssl.h for programs: loads vs-stream-ssl.so (and with it libssl
 * and libcrypto) on first need and forwards to it (stream-ssl-plugin.h).
 * Queries that only report state (is it configured? why did it fail?)
 * answer "no" without loading: nothing can have happened yet. */
#include <config.h>
#include "stream-ssl.h"
#include "stream-ssl-plugin.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "poll-loop.h"
#include "socket-util.h"
#include "stream-provider.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(stream_ssl_loader);

/* The program functions the plugin calls.  Listing them here links them
 * into every program that has streams, and lib/stream-ssl-host.syms
 * exports them to the plugin: keep both lists equal (tests/ssl-plugin-
 * symbols.sh checks the plugin needs nothing else). */
__attribute__((used)) static void (*const host_functions[])(void) = {
    (void (*)(void)) accept_nonblocking,
    (void (*)(void)) check_connection_completion,
    (void (*)(void)) inet_open_active,
    (void (*)(void)) inet_open_passive,
    (void (*)(void)) poll_fd_wait_at,
    (void (*)(void)) poll_immediate_wake_at,
    (void (*)(void)) pstream_init,
    (void (*)(void)) ss_format,
    (void (*)(void)) stream_init,
    (void (*)(void)) vlog,
    (void (*)(void)) vlog_insert_module,
    (void (*)(void)) vlog_is_enabled,
    (void (*)(void)) vlog_rate_limit,
    (void (*)(void)) vs_fatal,
    (void (*)(void)) vs_strerror,
    (void (*)(void)) xasprintf,
    (void (*)(void)) xstrdup,
    (void (*)(void)) xzalloc,
};

/* Set once, by load_once(); NULL if the plugin could not be loaded. */
static const struct stream_ssl_plugin *plugin;
static pthread_once_t load_once_control = PTHREAD_ONCE_INIT;

/* Where the plugin is: $VS_PKGLIBDIR if set (the test suite sets it to the
 * build tree); else next to the program in a build tree (BUILD/utilities/
 * vs-vsctl -> BUILD/lib/); else the installed $(pkglibdir).  Returns a
 * malloc'd path. */
static char *
plugin_path(void)
{
    const char *dir = getenv("VS_PKGLIBDIR");
    if (dir && dir[0]) {
        return xasprintf("%s/%s", dir, STREAM_SSL_PLUGIN_FILE);
    }

    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            char *path = xasprintf("%s/../lib/%s", exe,
                                   STREAM_SSL_PLUGIN_FILE);
            if (!access(path, F_OK)) {
                return path;
            }
            free(path);
        }
    }
    return xasprintf("%s/%s", PKGLIBDIR, STREAM_SSL_PLUGIN_FILE);
}

/* The plugin's log module registers itself when it is loaded, with its
 * built-in levels; give it the ones this module has, which followed every
 * all-modules setting made so far (vs-vsctl's "console at warn" and
 * daemons' -v options and vlog/set). */
static void
inherit_log_levels(void)
{
    struct vlog_module *m = vlog_module_from_name("stream_ssl");
    if (m) {
        for (int dest = 0; dest < VLF_N_DESTINATIONS; dest++) {
            vlog_set_levels(m, dest, vlog_get_level(THIS_MODULE, dest));
        }
    }
}

/* Loads the plugin; a failure is logged and stays a failure. */
static void
load_once(void)
{
    char *path = plugin_path();
    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        VLOG_ERR("TLS support not found: %s", dlerror());
    } else {
        const struct stream_ssl_plugin *p
            = dlsym(handle, STREAM_SSL_PLUGIN_SYMBOL);
        if (!p) {
            VLOG_ERR("TLS support not found: %s: %s", path, dlerror());
        } else if (p->version != STREAM_SSL_PLUGIN_VERSION
                   || p->size != sizeof *p) {
            VLOG_ERR("TLS support not found: %s: version %u (size %u), "
                     "this program needs version %u (size %zu)", path,
                     p->version, p->size, STREAM_SSL_PLUGIN_VERSION,
                     sizeof *p);
        } else {
            inherit_log_levels();
            VLOG_DBG("loaded %s", path);
            __atomic_store_n(&plugin, p, __ATOMIC_RELEASE);
        }
        /* Never dlclose(): the plugin registered a log module with us. */
    }
    free(path);
}

const struct stream_ssl_plugin *
stream_ssl_plugin_load(void)
{
    pthread_once(&load_once_control, load_once);
    return plugin;
}

/* For queries that must not load the plugin. */
static const struct stream_ssl_plugin *
loaded_plugin(void)
{
    return __atomic_load_n(&plugin, __ATOMIC_ACQUIRE);
}

const struct stream_class *
stream_ssl_stream_class(void)
{
    const struct stream_ssl_plugin *p = stream_ssl_plugin_load();
    return p ? p->stream_class : NULL;
}

const struct pstream_class *
stream_ssl_pstream_class(void)
{
    const struct stream_ssl_plugin *p = stream_ssl_plugin_load();
    return p ? p->pstream_class : NULL;
}

int
stream_ssl_set_private_key_file(const char *path)
{
    const struct stream_ssl_plugin *p = stream_ssl_plugin_load();
    return p ? p->set_private_key_file(path) : STREAM_SSL_NOT_FOUND;
}

int
stream_ssl_set_certificate_file(const char *path)
{
    const struct stream_ssl_plugin *p = stream_ssl_plugin_load();
    return p ? p->set_certificate_file(path) : STREAM_SSL_NOT_FOUND;
}

int
stream_ssl_set_ca_cert_file(const char *path)
{
    const struct stream_ssl_plugin *p = stream_ssl_plugin_load();
    return p ? p->set_ca_cert_file(path) : STREAM_SSL_NOT_FOUND;
}

int
stream_ssl_set_ca_cert_bootstrap(const char *path)
{
    const struct stream_ssl_plugin *p = stream_ssl_plugin_load();
    return p ? p->set_ca_cert_bootstrap(path) : STREAM_SSL_NOT_FOUND;
}

bool
stream_ssl_is_bootstrapping(void)
{
    const struct stream_ssl_plugin *p = loaded_plugin();
    return p && p->is_bootstrapping();
}

bool
stream_ssl_is_configured(void)
{
    const struct stream_ssl_plugin *p = loaded_plugin();
    return p && p->is_configured();
}

const char *
stream_ssl_get_last_error(const char *name)
{
    const struct stream_ssl_plugin *p = loaded_plugin();
    return p ? p->get_last_error(name) : NULL;
}

void
stream_ssl_follow_files(const char *key, const char *cert, const char *ca,
                        bool bootstrap)
{
    const struct stream_ssl_plugin *p = stream_ssl_plugin_load();
    if (p) {
        p->follow_files(key, cert, ca, bootstrap);
    }
}
