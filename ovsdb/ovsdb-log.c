#include <config.h>
#include "ovsdb/ovsdb-log.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dynamic-string.h"
#include "ovsdb/ovsdb-error.h"

#define HEADER_MAX 64           /* "VSDB " + length + " " + crc + "\n" fits. */
#define RECORD_MAX (1024LL * 1024 * 1024)

/* The journal is extended with real zeros this far ahead of its end, so
 * that a commit overwrites blocks that already exist and fdatasync() has
 * data only to flush, no size or extent change to journal.  (fallocate()
 * would leave "unwritten" extents whose conversion is a metadata update
 * again.)  Zeros after the last record are free space: never a record. */
#define PREALLOC_CHUNK (1024 * 1024)

struct ovsdb_log {
    char *name;                 /* Owned. */
    int fd;
    enum ovsdb_log_mode mode;

    /* Reading: the whole file as it was at open (freed at the end). */
    char *buf;
    size_t buf_len;
    size_t pos;

    off_t offset;               /* End of the last good record / file end. */
    off_t bad_tail;             /* Bytes after the last good record. */
    bool need_truncate;

    /* Writing. */
    bool prepared;              /* prepare_write() has run. */
    off_t alloc_end;            /* File size: 'offset' up to here is zeros. */

    /* Online compaction (see ovsdb_log_replace_start()). */
    bool compacting;
    pid_t child;                /* Writes the snapshot into 'tmp_fd'. */
    bool child_done;
    int child_error;            /* errno from the child, 0 if fine. */
    int tmp_fd;
    char *tmp_name;
    struct ds pending;          /* Records appended meanwhile. */
};

/* ---- CRC-32C (Castagnoli), table-driven. ---- */

static uint32_t crc_table[256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void
crc_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) {
            c = c & 1 ? (c >> 1) ^ 0x82f63b78 : c >> 1;
        }
        crc_table[i] = c;
    }
}

#if defined(__x86_64__)
/* The SSE4.2 crc32 instruction computes exactly CRC-32C, 8 bytes a cycle. */
__attribute__((target("sse4.2")))
static uint32_t
crc32c_hw(uint32_t crc, const uint8_t *p, size_t n)
{
    uint64_t c = ~crc;
    while (n >= 8) {
        uint64_t v;
        memcpy(&v, p, 8);
        c = __builtin_ia32_crc32di(c, v);
        p += 8;
        n -= 8;
    }
    uint32_t c32 = c;
    while (n--) {
        c32 = __builtin_ia32_crc32qi(c32, *p++);
    }
    return ~c32;
}
#endif

uint32_t
crc32c(uint32_t crc, const void *data_, size_t n)
{
    const uint8_t *data = data_;
#if defined(__x86_64__)
    if (__builtin_cpu_supports("sse4.2")) {
        return crc32c_hw(crc, data, n);
    }
#endif
    pthread_once(&crc_once, crc_init);
    crc = ~crc;
    while (n--) {
        crc = crc_table[(crc ^ *data++) & 0xff] ^ (crc >> 8);
    }
    return ~crc;
}

/* ---- Helpers ---- */

static struct ovsdb_error *
io_error(int err, const char *fmt, const char *name)
{
    return ovsdb_error("I/O error", fmt, name, vs_strerror(err));
}

static int
write_fully(int fd, const char *data, size_t len, off_t offset)
{
    while (len) {
        ssize_t n = pwrite(fd, data, len, offset);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return errno;
        }
        data += n;
        len -= n;
        offset += n;
    }
    return 0;
}

static int
fsync_dir(const char *file_name)
{
    char *copy = xstrdup(file_name);
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
    int error = 0;
    free(copy);
    if (fd < 0) {
        return errno;
    }
    if (fsync(fd) < 0 && errno != EINVAL) {
        error = errno;
    }
    close(fd);
    return error;
}

static int
read_file(int fd, char **bufp, size_t *lenp)
{
    struct ds ds = DS_EMPTY_INITIALIZER;
    for (;;) {
        ds_reserve(&ds, ds.length + 65536);
        ssize_t n = read(fd, ds.string + ds.length, ds.allocated - ds.length);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            int error = errno;
            ds_destroy(&ds);
            return error;
        } else if (!n) {
            break;
        }
        ds.length += n;
    }
    *lenp = ds.length;
    *bufp = ds_steal_cstr(&ds);
    return 0;
}

/* ---- Public API ---- */

struct ovsdb_error *
ovsdb_log_open(const char *name, enum ovsdb_log_mode mode, struct ovsdb_log **logp)
{
    int flags = (mode == OVSDB_LOG_READ_ONLY ? O_RDONLY
                 : mode == OVSDB_LOG_READ_WRITE ? O_RDWR
                 : O_RDWR | O_CREAT | O_EXCL);
    *logp = NULL;
    int fd = open(name, flags | O_CLOEXEC, 0640);
    if (fd < 0) {
        return io_error(errno, "%s: open failed (%s)", name);
    }
    if (mode != OVSDB_LOG_READ_ONLY && flock(fd, LOCK_EX | LOCK_NB) < 0) {
        int err = errno;
        close(fd);
        return err == EWOULDBLOCK
            ? ovsdb_error("I/O error", "%s: database is locked by another process", name)
            : io_error(err, "%s: lock failed (%s)", name);
    }
    struct ovsdb_log *log = xzalloc(sizeof *log);
    log->name = xstrdup(name);
    log->fd = fd;
    log->mode = mode;
    log->tmp_fd = -1;
    ds_init(&log->pending);
    int error = read_file(fd, &log->buf, &log->buf_len);
    if (error) {
        ovsdb_log_close(log);
        return io_error(error, "%s: read failed (%s)", name);
    }
    *logp = log;
    return NULL;
}

void
ovsdb_log_close(struct ovsdb_log *log)
{
    if (!log) {
        return;
    }
    /* Hand back the unused preallocation.  Not synced: after a crash the
     * zeros are recognised as free space anyway. */
    if (log->prepared && log->alloc_end > log->offset
        && !ftruncate(log->fd, log->offset)) {
        log->alloc_end = log->offset;
    }
    if (log->compacting) {
        if (!log->child_done) {
            waitpid(log->child, NULL, 0);
        }
        close(log->tmp_fd);
        unlink(log->tmp_name);
    }
    free(log->tmp_name);
    ds_destroy(&log->pending);
    close(log->fd);
    free(log->buf);
    free(log->name);
    free(log);
}

const char *
ovsdb_log_get_name(const struct ovsdb_log *log)
{
    return log->name;
}

off_t
ovsdb_log_bad_tail(const struct ovsdb_log *log)
{
    return log->bad_tail;
}

off_t
ovsdb_log_get_offset(const struct ovsdb_log *log)
{
    return log->offset;
}

static struct ovsdb_error *
bad_record(struct ovsdb_log *log, const char *why)
{
    log->bad_tail = log->buf_len - log->pos;
    log->need_truncate = log->mode != OVSDB_LOG_READ_ONLY;
    log->buf_len = log->pos;    /* Reads stop here from now on. */
    return ovsdb_error("syntax error", "%s: %s at offset %lld; %lld bytes after "
                       "the last good record are ignored", log->name, why,
                       (long long) log->pos, (long long) log->bad_tail);
}

struct ovsdb_error *
ovsdb_log_read(struct ovsdb_log *log, struct json_object **jsonp)
{
    *jsonp = NULL;
    if (!log->buf || log->pos >= log->buf_len) {
        return NULL;
    }
    const char *p = log->buf + log->pos;
    size_t avail = log->buf_len - log->pos;
    if (!*p) {
        /* Preallocated free space ends the log if it is all zeros; zeros
         * followed by anything else are a torn write. */
        for (size_t i = 0; i < avail; i++) {
            if (p[i]) {
                return bad_record(log, "zeros before data (torn write)");
            }
        }
        log->buf_len = log->pos;
        return NULL;
    }
    const char *nl = memchr(p, '\n', MIN(avail, HEADER_MAX));
    unsigned long long len;
    unsigned int crc;
    int n = 0;
    if (!nl) {
        return bad_record(log, "truncated or bad record header");
    }
    char header[HEADER_MAX + 1];
    memcpy(header, p, nl - p);
    header[nl - p] = '\0';
    if (sscanf(header, "VSDB %llu %8x%n", &len, &crc, &n) != 2 || header[n]
        || (long long) len > RECORD_MAX) {
        return bad_record(log, "bad record header");
    }
    size_t hlen = nl - p + 1;
    if (avail < hlen + len + 1) {
        return bad_record(log, "truncated record");
    }
    const char *data = p + hlen;
    if (data[len] != '\n' || crc32c(0, data, len) != crc) {
        return bad_record(log, "record checksum mismatch");
    }
    struct json_tokener *tok = json_tokener_new_ex(1000);
    struct json_object *json = json_tokener_parse_ex(tok, data, len);
    bool ok = json && json_tokener_get_error(tok) == json_tokener_success
              && (size_t) json_tokener_get_parse_end(tok) == len;
    json_tokener_free(tok);
    if (!ok) {
        json_object_put(json);
        return bad_record(log, "record is not valid JSON");
    }
    log->pos += hlen + len + 1;
    log->offset = log->pos;
    *jsonp = json;
    return NULL;
}

void
ovsdb_log_format_record(struct ds *ds, const char *text, size_t len)
{
    ds_put_format(ds, "VSDB %zu %08x\n", len, crc32c(0, text, len));
    ds_put_buffer(ds, text, len);
    ds_put_char(ds, '\n');
}

/* Before the first write: drop what reading did not accept. */
static struct ovsdb_error *
prepare_write(struct ovsdb_log *log)
{
    if (log->mode == OVSDB_LOG_READ_ONLY) {
        return ovsdb_error("I/O error", "%s: opened read-only", log->name);
    }
    /* Writing starts after the last record read: callers read all first. */
    free(log->buf);
    log->buf = NULL;
    if (log->need_truncate) {
        if (ftruncate(log->fd, log->offset) < 0) {
            return io_error(errno, "%s: truncate failed (%s)", log->name);
        }
        log->need_truncate = false;
        log->alloc_end = log->offset;
        log->prepared = true;
    }
    if (!log->prepared) {
        struct stat st;
        if (fstat(log->fd, &st) < 0) {
            return io_error(errno, "%s: stat failed (%s)", log->name);
        }
        /* Reuse a zero tail found by reading; anything else after
         * 'offset' is overwritten as before. */
        log->alloc_end = MAX(st.st_size, log->offset);
        log->prepared = true;
    }
    return NULL;
}

/* Extends the file with zeros to a chunk past 'end' (the end of what was
 * just written).  Failing is harmless: durability only needs the record,
 * so the next write simply tries again. */
static void
preallocate(struct ovsdb_log *log, off_t end)
{
    static const char zeros[65536];
    off_t target = (end / PREALLOC_CHUNK + 1) * PREALLOC_CHUNK;
    off_t pos = MAX(end, log->alloc_end);
    while (pos < target) {
        size_t n = MIN((off_t) sizeof zeros, target - pos);
        if (write_fully(log->fd, zeros, n, pos)) {
            break;
        }
        pos += n;
    }
    log->alloc_end = pos;
}

struct ovsdb_error *
ovsdb_log_repair(struct ovsdb_log *log)
{
    struct ovsdb_error *error = prepare_write(log);
    return error ? error : ovsdb_log_commit(log);
}

struct ovsdb_error *
ovsdb_log_write_string(struct ovsdb_log *log, const char *text, size_t len)
{
    struct ovsdb_error *error = prepare_write(log);
    if (error) {
        return error;
    }
    struct ds rec = DS_EMPTY_INITIALIZER;
    ovsdb_log_format_record(&rec, text, len);
    int err = write_fully(log->fd, rec.string, rec.length, log->offset);
    if (err) {
        /* Do not leave half a record behind. */
        if (ftruncate(log->fd, log->offset) < 0) {
            log->need_truncate = true;
        } else {
            log->alloc_end = log->offset;
        }
        ds_destroy(&rec);
        return io_error(err, "%s: write failed (%s)", log->name);
    }
    log->offset += rec.length;
    if (log->offset > log->alloc_end) {
        preallocate(log, log->offset);
    }
    if (log->compacting) {
        ds_put_buffer(&log->pending, rec.string, rec.length);
    }
    ds_destroy(&rec);
    return NULL;
}

struct ovsdb_error *
ovsdb_log_write(struct ovsdb_log *log, struct json_object *json)
{
    size_t len;
    const char *text = json_object_to_json_string_length(
        json, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
    return ovsdb_log_write_string(log, text, len);
}

struct ovsdb_error *
ovsdb_log_commit(struct ovsdb_log *log)
{
    if (fdatasync(log->fd) < 0) {
        return io_error(errno, "%s: fsync failed (%s)", log->name);
    }
    return NULL;
}

static int
open_tmp(struct ovsdb_log *log)
{
    free(log->tmp_name);
    log->tmp_name = xasprintf("%s.tmp", log->name);
    unlink(log->tmp_name);
    log->tmp_fd = open(log->tmp_name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (log->tmp_fd < 0) {
        return errno;
    }
    if (flock(log->tmp_fd, LOCK_EX | LOCK_NB) < 0) {
        int err = errno;
        close(log->tmp_fd);
        log->tmp_fd = -1;
        unlink(log->tmp_name);
        return err;
    }
    return 0;
}

/* Renames the synced temporary file over the log and switches to it. */
static int
install_tmp(struct ovsdb_log *log, off_t size)
{
    if (rename(log->tmp_name, log->name) < 0) {
        return errno;
    }
    int error = fsync_dir(log->name);
    close(log->fd);
    log->fd = log->tmp_fd;
    log->tmp_fd = -1;
    log->offset = size;
    log->need_truncate = false;
    log->bad_tail = 0;
    log->prepared = true;
    log->alloc_end = size;
    free(log->buf);
    log->buf = NULL;
    return error;
}

struct ovsdb_error *
ovsdb_log_replace(struct ovsdb_log *log, const char *records, size_t len)
{
    if (log->compacting) {
        return ovsdb_error("I/O error", "%s: compaction already in progress", log->name);
    }
    int err = open_tmp(log);
    if (!err) {
        err = write_fully(log->tmp_fd, records, len, 0);
        if (!err && fsync(log->tmp_fd) < 0) {
            err = errno;
        }
        if (!err) {
            err = install_tmp(log, len);
        } else {
            close(log->tmp_fd);
            log->tmp_fd = -1;
            unlink(log->tmp_name);
        }
    }
    return err ? io_error(err, "%s: replacing the log failed (%s)", log->name) : NULL;
}

struct ovsdb_error *
ovsdb_log_replace_start(struct ovsdb_log *log,
                        int (*write_snapshot)(int fd, void *aux), void *aux)
{
    if (log->compacting) {
        return ovsdb_error("I/O error", "%s: compaction already in progress", log->name);
    }
    struct ovsdb_error *error = prepare_write(log);
    if (error) {
        return error;
    }
    int err = open_tmp(log);
    if (err) {
        return io_error(err, "%s: cannot create temporary file (%s)", log->name);
    }
    /* The child has a copy-on-write view of the database as of now and
     * writes it out while the parent goes on serving clients. */
    pid_t pid = fork();
    if (pid < 0) {
        err = errno;
        close(log->tmp_fd);
        log->tmp_fd = -1;
        unlink(log->tmp_name);
        return io_error(err, "%s: cannot fork for compaction (%s)", log->name);
    } else if (!pid) {
        err = write_snapshot(log->tmp_fd, aux);
        if (!err && fdatasync(log->tmp_fd) < 0) {
            err = errno;
        }
        _exit(err ? MIN(err, 255) : 0);
    }
    log->child = pid;
    log->child_done = false;
    log->child_error = 0;
    ds_clear(&log->pending);
    log->compacting = true;
    return NULL;
}

bool
ovsdb_log_replace_in_progress(const struct ovsdb_log *log)
{
    return log->compacting;
}

bool
ovsdb_log_replace_is_done(struct ovsdb_log *log)
{
    if (!log->compacting) {
        return false;
    }
    if (!log->child_done) {
        int status;
        pid_t r = waitpid(log->child, &status, WNOHANG);
        if (r == log->child || (r < 0 && errno != EINTR)) {
            log->child_done = true;
            log->child_error = (r < 0 ? errno
                                : WIFEXITED(status) ? WEXITSTATUS(status) : EINTR);
        }
    }
    return log->child_done;
}

struct ovsdb_error *
ovsdb_log_replace_finish(struct ovsdb_log *log)
{
    while (!ovsdb_log_replace_is_done(log)) {
        waitpid(log->child, NULL, 0);   /* Reaped by is_done() next time. */
    }
    log->compacting = false;
    int err = log->child_error;
    struct stat st;
    if (!err && fstat(log->tmp_fd, &st) < 0) {
        err = errno;
    }
    off_t snapshot_size = err ? 0 : st.st_size;
    off_t size = snapshot_size + log->pending.length;
    if (!err && log->pending.length) {
        err = write_fully(log->tmp_fd, log->pending.string, log->pending.length,
                          snapshot_size);
        if (!err && fdatasync(log->tmp_fd) < 0) {
            err = errno;
        }
    }
    if (!err) {
        err = install_tmp(log, size);
    } else {
        close(log->tmp_fd);
        log->tmp_fd = -1;
        unlink(log->tmp_name);
    }
    ds_clear(&log->pending);
    return err ? io_error(err, "%s: compaction failed (%s)", log->name) : NULL;
}
