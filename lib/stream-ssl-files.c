/* Follows the key, certificate and CA files of a daemon's TLS configuration
 * (see stream-ssl.h): each call compares the names and the files' identity
 * and modification time with the last call and loads only what changed. */
#include <config.h>
#include "stream-ssl.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

struct watched_file {
    char *path;                 /* Owned; NULL if never set. */
    bool exists;
    struct timespec mtime;
    off_t size;
    ino_t ino;
    dev_t dev;
};

/* Updates 'f' to 'path' and its current state.  Returns true if either
 * differs from what 'f' held. */
static bool
watched_file_update(struct watched_file *f, const char *path)
{
    struct stat st;
    bool exists = !stat(path, &st);
    bool changed = (!f->path || strcmp(f->path, path) || exists != f->exists
                    || (exists && (st.st_mtim.tv_sec != f->mtime.tv_sec
                                   || st.st_mtim.tv_nsec != f->mtime.tv_nsec
                                   || st.st_size != f->size
                                   || st.st_ino != f->ino
                                   || st.st_dev != f->dev)));
    if (changed) {
        free(f->path);
        f->path = xstrdup(path);
        f->exists = exists;
        if (exists) {
            f->mtime = st.st_mtim;
            f->size = st.st_size;
            f->ino = st.st_ino;
            f->dev = st.st_dev;
        }
    }
    return changed;
}

static struct watched_file key_file, cert_file, ca_file;
static bool ca_bootstrap;

void
stream_ssl_follow_files(const char *key, const char *cert, const char *ca,
                        bool bootstrap)
{
    if (key && cert) {
        /* Both, even if one changed: a new pair is only valid together. */
        bool key_changed = watched_file_update(&key_file, key);
        bool cert_changed = watched_file_update(&cert_file, cert);
        if (key_changed || cert_changed) {
            stream_ssl_set_private_key_file(key);
            stream_ssl_set_certificate_file(cert);
        }
    }
    if (ca) {
        bool changed = watched_file_update(&ca_file, ca);
        if (changed || bootstrap != ca_bootstrap) {
            ca_bootstrap = bootstrap;
            if (bootstrap) {
                stream_ssl_set_ca_cert_bootstrap(ca);
            } else {
                stream_ssl_set_ca_cert_file(ca);
            }
        }
    }
}
