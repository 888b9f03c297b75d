/* The append-only journal file.
 *
 * A file is a sequence of records; each record is
 *     "VSDB <length> <crc32c as 8 hex digits>\n" <length bytes of JSON> "\n"
 * The first record holds the schema, the others one transaction each (or a
 * snapshot, after compaction).  A record whose header, length, checksum or
 * JSON is bad ends the readable log: ovsdb_log_read() reports it and the
 * next write first truncates the file back to the end of the last good
 * record, so a torn write never leaves a partial transaction behind. */
#ifndef VS_OVSDB_LOG_H
#define VS_OVSDB_LOG_H 1

#include <stdbool.h>
#include <sys/types.h>
#include <json-c/json.h>

struct ovsdb_log;
struct ovsdb_error;

enum ovsdb_log_mode {
    OVSDB_LOG_READ_ONLY,
    OVSDB_LOG_READ_WRITE,       /* Takes an exclusive lock on the file. */
    OVSDB_LOG_CREATE_EXCL       /* New file; fails if it exists. */
};

struct ovsdb_error *ovsdb_log_open(const char *name, enum ovsdb_log_mode,
                                   struct ovsdb_log **)
    __attribute__((warn_unused_result));
void ovsdb_log_close(struct ovsdb_log *);
const char *ovsdb_log_get_name(const struct ovsdb_log *);

/* Reads the next record into '*json' (caller owns it); '*json' is NULL at
 * the clean end of the log.  A corrupt or torn record returns an error
 * ("syntax error" tag) and leaves the log positioned after the last good
 * record. */
struct ovsdb_error *ovsdb_log_read(struct ovsdb_log *, struct json_object **)
    __attribute__((warn_unused_result));
/* Bytes discarded after the last good record (0 if none), once read. */
off_t ovsdb_log_bad_tail(const struct ovsdb_log *);

/* Cuts a bad tail found by reading, and syncs. */
struct ovsdb_error *ovsdb_log_repair(struct ovsdb_log *)
    __attribute__((warn_unused_result));
/* Appends a record (truncating a bad tail first).  Not yet durable. */
struct ovsdb_error *ovsdb_log_write(struct ovsdb_log *, struct json_object *)
    __attribute__((warn_unused_result));
/* Appends an already-serialized record. */
struct ovsdb_error *ovsdb_log_write_string(struct ovsdb_log *, const char *, size_t)
    __attribute__((warn_unused_result));
/* Makes everything written so far durable (fdatasync). */
struct ovsdb_error *ovsdb_log_commit(struct ovsdb_log *)
    __attribute__((warn_unused_result));
off_t ovsdb_log_get_offset(const struct ovsdb_log *);

/* Atomically replaces the whole file by 'records' ('len' bytes of records
 * framed by ovsdb_log_format_record()): writes NAME.tmp, fsyncs it, renames
 * it over NAME and fsyncs the directory. */
struct ovsdb_error *ovsdb_log_replace(struct ovsdb_log *, const char *records,
                                      size_t len)
    __attribute__((warn_unused_result));

/* Online compaction in two steps, so clients are not blocked while a big
 * snapshot is serialized, written and synced: ovsdb_log_replace_start()
 * forks a child that calls 'write_snapshot(fd, aux)' to write the new
 * file's records into 'fd' (NAME.tmp; return 0 or an errno value) from its
 * copy-on-write view of memory, and syncs it.  Records the parent writes
 * meanwhile are kept too.  Once ovsdb_log_replace_is_done(),
 * ovsdb_log_replace_finish() appends those, syncs and renames. */
struct ovsdb_error *ovsdb_log_replace_start(struct ovsdb_log *,
                                            int (*write_snapshot)(int fd, void *aux),
                                            void *aux)
    __attribute__((warn_unused_result));
bool ovsdb_log_replace_in_progress(const struct ovsdb_log *);
bool ovsdb_log_replace_is_done(struct ovsdb_log *);
struct ovsdb_error *ovsdb_log_replace_finish(struct ovsdb_log *)
    __attribute__((warn_unused_result));

/* Frames 'json' as a record and appends it to 'ds'. */
struct ds;
void ovsdb_log_format_record(struct ds *, const char *json_text, size_t len);

uint32_t crc32c(uint32_t crc, const void *, size_t);

#endif /* ovsdb/ovsdb-log.h */
