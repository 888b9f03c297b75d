/* A database backed by a journal file (ovsdb-log): opening replays the
 * records; a replica appends one record per committed transaction; the
 * journal is compacted into a snapshot when it grows. */
#ifndef VS_OVSDB_FILE_H
#define VS_OVSDB_FILE_H 1

#include <stdbool.h>
#include <json-c/json.h>

struct ovsdb;
struct ovsdb_file;
struct ovsdb_schema;
struct ovsdb_error;

/* Creates a new database file 'name' from 'schema' (fails if it exists). */
struct ovsdb_error *ovsdb_file_create(const char *name, const struct ovsdb_schema *)
    __attribute__((warn_unused_result));

/* Opens 'name' and replays it into a new database.  Unless 'read_only',
 * truncates a torn tail, attaches a journal replica and returns it in
 * '*filep' (owned by the database; may be NULL).  '*warning' (caller
 * frees) describes a discarded tail, if any. */
struct ovsdb_error *ovsdb_file_open(const char *name, bool read_only,
                                    struct ovsdb **dbp, struct ovsdb_file **filep,
                                    char **warning)
    __attribute__((warn_unused_result));
/* Reads only the schema record of 'name'. */
struct ovsdb_error *ovsdb_file_read_schema(const char *name, struct ovsdb_schema **)
    __attribute__((warn_unused_result));

/* The snapshot record of 'db' (all rows, persistent columns), as JSON text
 * appended to 'ds' (with a "_date" member if 'with_date') or as JSON. */
struct ds;
void ovsdb_file_snapshot_text(const struct ovsdb *, bool with_date, struct ds *);
struct json_object *ovsdb_file_snapshot_json(const struct ovsdb *);

/* Compaction: synchronous (for the tool) or started in the background. */
struct ovsdb_error *ovsdb_file_compact(struct ovsdb_file *)
    __attribute__((warn_unused_result));
struct ovsdb_error *ovsdb_file_compact_start(struct ovsdb_file *)
    __attribute__((warn_unused_result));
/* Finishes a background compaction when its child is done; starts one when
 * the journal has grown enough.  Call from the main loop. */
void ovsdb_file_run(struct ovsdb_file *);
/* True while a background compaction runs (poll it often). */
bool ovsdb_file_is_compacting(const struct ovsdb_file *);
const char *ovsdb_file_name(const struct ovsdb_file *);
long long ovsdb_file_size(const struct ovsdb_file *);
unsigned long long ovsdb_file_n_compactions(const struct ovsdb_file *);
/* Grow-trigger: compact when the journal exceeds 'min_bytes' and has grown
 * 'factor' times since the last snapshot. */
void ovsdb_file_set_compaction(struct ovsdb_file *, long long min_bytes, int factor);

/* The journal replica of 'db', or NULL if it has none. */
struct ovsdb_file *ovsdb_file_from_db(const struct ovsdb *);
/* Group commit: with it on, a durable transaction only marks the journal as
 * needing a sync; the caller must ovsdb_file_sync() before telling anyone
 * the transaction is committed.  One sync then covers many transactions. */
void ovsdb_file_set_group_commit(struct ovsdb_file *, bool);
bool ovsdb_file_needs_sync(const struct ovsdb_file *);
struct ovsdb_error *ovsdb_file_sync(struct ovsdb_file *)
    __attribute__((warn_unused_result));

/* Writes a new file 'out' holding the data of 'db' converted to 'schema'
 * (columns and tables missing from 'schema' are dropped; values that no
 * longer fit are an error). */
struct ovsdb_error *ovsdb_file_convert(const struct ovsdb *db,
                                       const struct ovsdb_schema *schema,
                                       struct ovsdb **newp)
    __attribute__((warn_unused_result));
/* Atomically writes 'db' (schema + snapshot) to 'name'. */
struct ovsdb_error *ovsdb_file_save_as(const struct ovsdb *, const char *name)
    __attribute__((warn_unused_result));

#endif /* ovsdb/ovsdb-file.h */
