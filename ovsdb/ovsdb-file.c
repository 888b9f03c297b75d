#include <config.h>
#include "ovsdb/ovsdb-file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "dynamic-string.h"
#include "json.h"
#include "timeval.h"
#include "vlog.h"
#include "ovsdb/ovsdb-datum.h"
#include "ovsdb/ovsdb.h"
#include "ovsdb/ovsdb-error.h"
#include "ovsdb/ovsdb-log.h"
#include "ovsdb/ovsdb-row.h"
#include "ovsdb/ovsdb-txn.h"

VLOG_DEFINE_THIS_MODULE(ovsdb_file);

struct ovsdb_file {
    struct ovsdb_replica replica;
    struct ovsdb *db;
    struct ovsdb_log *log;          /* Owned. */
    long long snapshot_size;        /* Journal size right after compaction. */
    long long min_bytes;
    int factor;
    unsigned long long n_compactions;
    bool group_commit;
    bool needs_sync;                /* Durable records not yet synced. */
};

static const struct ovsdb_replica_class file_replica_class;

static long long
wall_msec(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return tv.tv_sec * 1000LL + tv.tv_usec / 1000;
}

struct ovsdb_error *
ovsdb_file_create(const char *name, const struct ovsdb_schema *schema)
{
    struct ovsdb_log *log;
    struct ovsdb_error *error = ovsdb_log_open(name, OVSDB_LOG_CREATE_EXCL, &log);
    if (error) {
        return error;
    }
    struct json_object *json = ovsdb_schema_to_json(schema);
    error = ovsdb_log_write(log, json);
    json_object_put(json);
    if (!error) {
        error = ovsdb_log_commit(log);
    }
    ovsdb_log_close(log);
    if (error) {
        unlink(name);
    }
    return error;
}

/* Applies one record ({"table": {"uuid": row-or-null}}) as a transaction. */
static struct ovsdb_error *
replay_record(struct ovsdb *db, struct json_object *json)
{
    if (!json_object_is_type(json, json_type_object)) {
        return ovsdb_syntax_error(json, "transaction record must be an object");
    }
    struct ovsdb_txn *txn = ovsdb_txn_create(db);
    struct ovsdb_error *error = NULL;
    json_object_object_foreach(json, tname, tjson) {
        if (tname[0] == '_') {
            continue;           /* "_date", "_comment". */
        }
        struct ovsdb_table *table = ovsdb_get_table(db, tname);
        if (!table || !json_object_is_type(tjson, json_type_object)) {
            error = ovsdb_syntax_error(NULL, "record names unknown table %s", tname);
            goto fail;
        }
        json_object_object_foreach(tjson, uuid_s, rjson) {
            struct uuid uuid;
            if (!uuid_from_string(&uuid, uuid_s)) {
                error = ovsdb_syntax_error(NULL, "bad row UUID %s", uuid_s);
                goto fail;
            }
            struct ovsdb_row *row = ovsdb_table_get_row(table, &uuid);
            if (!rjson) {
                if (!row) {
                    error = ovsdb_syntax_error(NULL, "record deletes missing row %s", uuid_s);
                    goto fail;
                }
                ovsdb_txn_row_delete(txn, row);
                continue;
            }
            if (row) {
                row = ovsdb_txn_row_modify(txn, row);
                error = ovsdb_row_from_json(row, rjson, NULL, NULL, false);
            } else {
                row = ovsdb_row_create(table);
                ovsdb_row_set_uuid(row, &uuid);
                error = ovsdb_row_from_json(row, rjson, NULL, NULL, false);
                if (error) {
                    ovsdb_row_destroy(row);
                } else {
                    ovsdb_txn_row_insert(txn, row);
                }
            }
            if (error) {
                goto fail;
            }
        }
    }
    return ovsdb_txn_commit(txn, false);

fail:
    ovsdb_txn_abort(txn);
    return error;
}

struct ovsdb_error *
ovsdb_file_read_schema(const char *name, struct ovsdb_schema **schemap)
{
    struct ovsdb_log *log;
    struct json_object *json;
    *schemap = NULL;
    struct ovsdb_error *error = ovsdb_log_open(name, OVSDB_LOG_READ_ONLY, &log);
    if (error) {
        return error;
    }
    error = ovsdb_log_read(log, &json);
    if (!error && !json) {
        error = ovsdb_error("syntax error", "%s: empty database file", name);
    }
    if (!error) {
        error = ovsdb_schema_from_json(json, schemap);
        json_object_put(json);
    }
    ovsdb_log_close(log);
    return error;
}

struct ovsdb_error *
ovsdb_file_open(const char *name, bool read_only, struct ovsdb **dbp,
                struct ovsdb_file **filep, char **warning)
{
    struct ovsdb_log *log;
    struct json_object *json;
    struct ovsdb_schema *schema;
    struct ovsdb_error *error;

    *dbp = NULL;
    if (filep) {
        *filep = NULL;
    }
    *warning = NULL;
    error = ovsdb_log_open(name, read_only ? OVSDB_LOG_READ_ONLY : OVSDB_LOG_READ_WRITE,
                           &log);
    if (error) {
        return error;
    }
    error = ovsdb_log_read(log, &json);
    if (!error && !json) {
        error = ovsdb_error("syntax error", "%s: empty database file", name);
    }
    if (error) {
        ovsdb_log_close(log);
        return error;
    }
    error = ovsdb_schema_from_json(json, &schema);
    json_object_put(json);
    if (error) {
        ovsdb_error_prefix(error, "%s: bad schema", name);
        ovsdb_log_close(log);
        return error;
    }

    struct ovsdb *db = ovsdb_create(schema);
    for (;;) {
        error = ovsdb_log_read(log, &json);
        if (error) {
            /* A torn or corrupt tail: keep what was good before it. */
            *warning = ovsdb_error_to_string(error);
            ovsdb_error_destroy(error);
            break;
        } else if (!json) {
            break;
        }
        error = replay_record(db, json);
        json_object_put(json);
        if (error) {
            ovsdb_error_prefix(error, "%s: cannot replay record at offset %lld",
                               name, (long long) ovsdb_log_get_offset(log));
            ovsdb_destroy(db);
            ovsdb_log_close(log);
            return error;
        }
    }
    if (read_only) {
        ovsdb_log_close(log);
    } else {
        struct ovsdb_file *file = xzalloc(sizeof *file);
        file->replica.class = &file_replica_class;
        file->db = db;
        file->log = log;
        file->snapshot_size = ovsdb_log_get_offset(log);
        file->min_bytes = 10 * 1024 * 1024;
        file->factor = 4;
        if (ovsdb_log_bad_tail(log)) {
            /* Cut the bad tail now, so the file opens cleanly next time. */
            error = ovsdb_log_repair(log);
            if (error) {
                free(file);
                ovsdb_destroy(db);
                ovsdb_log_close(log);
                return error;
            }
        }
        ovsdb_add_replica(db, &file->replica);
        if (filep) {
            *filep = file;
        }
    }
    *dbp = db;
    return NULL;
}

/* ---- Writing transactions ---- */

/* A transaction record is built as text, table by table, without json-c
 * objects: this is the hot path of every commit. */
struct record_aux {
    struct ds *tables;          /* One buffer per schema table. */
    const struct ovsdb_schema *schema;
    bool any;
};

static size_t
table_index(const struct ovsdb_schema *schema, const struct ovsdb_table_schema *ts)
{
    for (size_t i = 0; i < schema->n_tables; i++) {
        if (schema->tables[i] == ts) {
            return i;
        }
    }
    return 0;
}

static void
add_change(const struct ovsdb_row *old, const struct ovsdb_row *new,
           const unsigned long *changed, void *aux_)
{
    struct record_aux *aux = aux_;
    const struct ovsdb_row *row = new ? new : old;
    const struct ovsdb_table_schema *ts = row->table->schema;
    struct ds *ds = &aux->tables[table_index(aux->schema, ts)];
    size_t start = ds->length;
    char uuid[UUID_LEN + 1];

    uuid_format(ovsdb_row_get_uuid(row), uuid);
    ds_put_cstr(ds, ds->length ? ",\"" : "\"");
    ds_put_buffer(ds, uuid, UUID_LEN);
    ds_put_cstr(ds, "\":");
    if (!new) {
        ds_put_cstr(ds, "null");
        aux->any = true;
        return;
    }
    bool any_column = false;
    ds_put_char(ds, '{');
    for (size_t i = OVSDB_N_FIXED_COLUMNS; i < ts->n_columns; i++) {
        const struct ovsdb_column *c = ts->columns[i];
        if (!c->persistent || !bitmap_is_set(changed, i)
            || (!old && ovsdb_datum_is_default(&new->fields[i], &c->type))) {
            continue;
        }
        if (any_column) {
            ds_put_char(ds, ',');
        }
        json_string_escape_cstr(c->name, ds);
        ds_put_char(ds, ':');
        ovsdb_datum_to_json_ds(&new->fields[i], &c->type, ds);
        any_column = true;
    }
    ds_put_char(ds, '}');
    if (old && !any_column) {
        ds_truncate(ds, start);     /* Only ephemeral columns changed. */
        return;
    }
    aux->any = true;
}

static struct ovsdb_error *
file_commit(struct ovsdb_replica *replica, const struct ovsdb_txn *txn, bool durable)
{
    struct ovsdb_file *file = CONTAINER_OF(replica, struct ovsdb_file, replica);
    const struct ovsdb_schema *schema = file->db->schema;
    struct record_aux aux = { xcalloc(schema->n_tables, sizeof *aux.tables), schema, false };
    struct ovsdb_error *error = NULL;

    ovsdb_txn_for_each_change(txn, add_change, &aux);
    if (aux.any) {
        struct ds record = DS_EMPTY_INITIALIZER;
        ds_put_char(&record, '{');
        for (size_t i = 0; i < schema->n_tables; i++) {
            if (aux.tables[i].length) {
                json_string_escape_cstr(schema->tables[i]->name, &record);
                ds_put_cstr(&record, ":{");
                ds_put_buffer(&record, aux.tables[i].string, aux.tables[i].length);
                ds_put_cstr(&record, "},");
            }
        }
        if (txn->comment) {
            ds_put_cstr(&record, "\"_comment\":");
            json_string_escape_cstr(txn->comment, &record);
            ds_put_char(&record, ',');
        }
        ds_put_format(&record, "\"_date\":%lld}", wall_msec());
        error = ovsdb_log_write_string(file->log, record.string, record.length);
        ds_destroy(&record);
    }
    for (size_t i = 0; i < schema->n_tables; i++) {
        ds_destroy(&aux.tables[i]);
    }
    free(aux.tables);
    if (!error && durable) {
        if (file->group_commit) {
            file->needs_sync = true;
        } else {
            error = ovsdb_log_commit(file->log);
        }
    }
    return error;
}

struct ovsdb_file *
ovsdb_file_from_db(const struct ovsdb *db)
{
    struct ovsdb_replica *r;
    VS_LIST_FOR_EACH (r, node, &db->replicas) {
        if (r->class == &file_replica_class) {
            return CONTAINER_OF(r, struct ovsdb_file, replica);
        }
    }
    return NULL;
}

void
ovsdb_file_set_group_commit(struct ovsdb_file *file, bool on)
{
    file->group_commit = on;
}

bool
ovsdb_file_needs_sync(const struct ovsdb_file *file)
{
    return file->needs_sync;
}

struct ovsdb_error *
ovsdb_file_sync(struct ovsdb_file *file)
{
    file->needs_sync = false;
    return ovsdb_log_commit(file->log);
}

static void
file_destroy(struct ovsdb_replica *replica)
{
    struct ovsdb_file *file = CONTAINER_OF(replica, struct ovsdb_file, replica);
    ovsdb_log_close(file->log);
    free(file);
}

static const struct ovsdb_replica_class file_replica_class = {
    file_commit, file_destroy
};

/* ---- Snapshots and compaction ---- */

void
ovsdb_file_snapshot_text(const struct ovsdb *db, bool with_date, struct ds *ds)
{
    char uuid[UUID_LEN + 1];

    ds_put_char(ds, '{');
    for (size_t t = 0; t < db->schema->n_tables; t++) {
        const struct ovsdb_table *table = db->tables[t];
        const struct ovsdb_table_schema *ts = table->schema;
        const char *sep = "";
        struct ovsdb_row *row;
        if (hmap_is_empty(&table->rows)) {
            continue;
        }
        json_string_escape_cstr(ts->name, ds);
        ds_put_cstr(ds, ":{");
        HMAP_FOR_EACH (row, hmap_node, &table->rows) {
            uuid_format(ovsdb_row_get_uuid(row), uuid);
            ds_put_format(ds, "%s\"%s\":{", sep, uuid);
            sep = ",";
            const char *csep = "";
            for (size_t i = OVSDB_N_FIXED_COLUMNS; i < ts->n_columns; i++) {
                const struct ovsdb_column *c = ts->columns[i];
                if (c->persistent && !ovsdb_datum_is_default(&row->fields[i], &c->type)) {
                    ds_put_cstr(ds, csep);
                    json_string_escape_cstr(c->name, ds);
                    ds_put_char(ds, ':');
                    ovsdb_datum_to_json_ds(&row->fields[i], &c->type, ds);
                    csep = ",";
                }
            }
            ds_put_char(ds, '}');
        }
        ds_put_cstr(ds, "},");
    }
    ds_put_cstr(ds, "\"_comment\":\"compacted\"");
    if (with_date) {
        ds_put_format(ds, ",\"_date\":%lld", wall_msec());
    }
    ds_put_char(ds, '}');
}

struct json_object *
ovsdb_file_snapshot_json(const struct ovsdb *db)
{
    struct ds ds = DS_EMPTY_INITIALIZER;
    struct json_object *json;
    char *msg;
    ovsdb_file_snapshot_text(db, true, &ds);
    vs_assert(!json_from_string(ds_cstr(&ds), &json, &msg));
    ds_destroy(&ds);
    return json;
}

/* Appends the framed schema and snapshot records of 'db' to 'ds': a whole
 * compacted database file. */
static void
db_file_text(const struct ovsdb *db, struct ds *ds)
{
    struct json_object *schema = ovsdb_schema_to_json(db->schema);
    struct ds snap = DS_EMPTY_INITIALIZER;
    size_t len;
    const char *text = json_object_to_json_string_length(
        schema, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
    ovsdb_log_format_record(ds, text, len);
    json_object_put(schema);
    ovsdb_file_snapshot_text(db, true, &snap);
    ovsdb_log_format_record(ds, snap.string, snap.length);
    ds_destroy(&snap);
}

struct ovsdb_error *
ovsdb_file_compact(struct ovsdb_file *file)
{
    struct ds ds = DS_EMPTY_INITIALIZER;
    db_file_text(file->db, &ds);
    struct ovsdb_error *error = ovsdb_log_replace(file->log, ds.string, ds.length);
    ds_destroy(&ds);
    if (!error) {
        file->snapshot_size = ovsdb_log_get_offset(file->log);
        file->n_compactions++;
    }
    return error;
}

/* Runs in the compaction child process (see ovsdb_log_replace_start()). */
static int
write_snapshot(int fd, void *file_)
{
    struct ovsdb_file *file = file_;
    struct ds ds = DS_EMPTY_INITIALIZER;
    db_file_text(file->db, &ds);
    const char *p = ds.string;
    size_t left = ds.length;
    while (left) {
        ssize_t n = write(fd, p, left);
        if (n < 0 && errno != EINTR) {
            return errno;
        } else if (n > 0) {
            p += n;
            left -= n;
        }
    }
    return 0;
}

struct ovsdb_error *
ovsdb_file_compact_start(struct ovsdb_file *file)
{
    if (ovsdb_log_replace_in_progress(file->log)) {
        return NULL;
    }
    return ovsdb_log_replace_start(file->log, write_snapshot, file);
}

void
ovsdb_file_set_compaction(struct ovsdb_file *file, long long min_bytes, int factor)
{
    file->min_bytes = min_bytes;
    file->factor = factor;
}

bool
ovsdb_file_is_compacting(const struct ovsdb_file *file)
{
    return ovsdb_log_replace_in_progress(file->log);
}

void
ovsdb_file_run(struct ovsdb_file *file)
{
    if (ovsdb_log_replace_is_done(file->log)) {
        struct ovsdb_error *error = ovsdb_log_replace_finish(file->log);
        if (error) {
            char *s = ovsdb_error_to_string(error);
            VLOG_ERR("%s", s);
            free(s);
            ovsdb_error_destroy(error);
        } else {
            file->n_compactions++;
            VLOG_INFO("%s: compacted to %lld bytes", ovsdb_log_get_name(file->log),
                      (long long) ovsdb_log_get_offset(file->log));
        }
        file->snapshot_size = ovsdb_log_get_offset(file->log);
        return;
    }
    long long size = ovsdb_log_get_offset(file->log);
    if (!ovsdb_log_replace_in_progress(file->log) && size >= file->min_bytes
        && size >= file->snapshot_size * file->factor) {
        long long start = time_msec();
        struct ovsdb_error *error = ovsdb_file_compact_start(file);
        VLOG_INFO("%s: %lld bytes, compacting (a child process writes the "
                  "snapshot; forking took %lld ms)", ovsdb_log_get_name(file->log),
                  size, time_msec() - start);
        if (error) {
            ovsdb_error_destroy(error);
            file->snapshot_size = size;     /* Do not retry at once. */
        }
    }
}

const char *
ovsdb_file_name(const struct ovsdb_file *file)
{
    return ovsdb_log_get_name(file->log);
}

long long
ovsdb_file_size(const struct ovsdb_file *file)
{
    return ovsdb_log_get_offset(file->log);
}

unsigned long long
ovsdb_file_n_compactions(const struct ovsdb_file *file)
{
    return file->n_compactions;
}

/* ---- Conversion ---- */

struct ovsdb_error *
ovsdb_file_convert(const struct ovsdb *db, const struct ovsdb_schema *schema,
                   struct ovsdb **newp)
{
    struct ovsdb *new = ovsdb_create(ovsdb_schema_clone(schema));
    struct ovsdb_txn *txn = ovsdb_txn_create(new);
    struct ovsdb_error *error = NULL;

    *newp = NULL;
    for (size_t t = 0; t < new->schema->n_tables; t++) {
        struct ovsdb_table *dst = new->tables[t];
        struct ovsdb_table *src = ovsdb_get_table(db, dst->schema->name);
        struct ovsdb_row *row;
        if (!src) {
            continue;
        }
        HMAP_FOR_EACH (row, hmap_node, &src->rows) {
            struct ovsdb_row *nr = ovsdb_row_create(dst);
            ovsdb_row_set_uuid(nr, ovsdb_row_get_uuid(row));
            for (size_t i = OVSDB_N_FIXED_COLUMNS; i < src->schema->n_columns; i++) {
                const struct ovsdb_column *sc = src->schema->columns[i];
                const struct ovsdb_column *dc = ovsdb_table_schema_find_column(
                    dst->schema, sc->name);
                if (!dc) {
                    continue;
                }
                struct json_object *j = ovsdb_datum_to_json(&row->fields[i], &sc->type);
                struct ovsdb_datum d;
                error = ovsdb_datum_from_json(&d, &dc->type, j, NULL);
                json_object_put(j);
                if (error) {
                    ovsdb_error_prefix(error, "table %s column %s cannot be converted",
                                       dst->schema->name, sc->name);
                    ovsdb_row_destroy(nr);
                    goto fail;
                }
                ovsdb_datum_swap(&nr->fields[dc->index], &d);
                ovsdb_datum_destroy(&d, &dc->type);
            }
            ovsdb_txn_row_insert(txn, nr);
        }
    }
    error = ovsdb_txn_commit(txn, false);
    if (error) {
        ovsdb_destroy(new);
        return error;
    }
    *newp = new;
    return NULL;

fail:
    ovsdb_txn_abort(txn);
    ovsdb_destroy(new);
    return error;
}

struct ovsdb_error *
ovsdb_file_save_as(const struct ovsdb *db, const char *name)
{
    char *tmp = xasprintf("%s.new", name);
    struct ovsdb_log *log;
    unlink(tmp);
    struct ovsdb_error *error = ovsdb_log_open(tmp, OVSDB_LOG_CREATE_EXCL, &log);
    if (error) {
        free(tmp);
        return error;
    }
    struct json_object *schema = ovsdb_schema_to_json(db->schema);
    struct ds snap = DS_EMPTY_INITIALIZER;
    ovsdb_file_snapshot_text(db, true, &snap);
    error = ovsdb_log_write(log, schema);
    if (!error) {
        error = ovsdb_log_write_string(log, snap.string, snap.length);
    }
    if (!error) {
        error = ovsdb_log_commit(log);
    }
    json_object_put(schema);
    ds_destroy(&snap);
    ovsdb_log_close(log);
    if (!error && rename(tmp, name) < 0) {
        error = ovsdb_error("I/O error", "%s: rename failed (%s)", name, vs_strerror(errno));
    }
    if (error) {
        unlink(tmp);
    }
    free(tmp);
    return error;
}
