/* OVSDB client IDL: schema, replica and monitor (see idl.h). */
#include <config.h>
#include "idl-private.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "dynamic-string.h"
#include "jsonrpc.h"
#include "poll-loop.h"
#include "timeval.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(idl);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* Reconnect backoff of daemons' IDLs (ovsdb_idl_set_reconnect()). */
#define IDL_BACKOFF_MIN_MS 100
#define IDL_BACKOFF_MAX_MS 8000

static const char *
rpc_error_string(int error)
{
    return (error == EOF ? "connection closed by peer"
            : error == EPROTO ? "bad JSON from server"
            : vs_strerror(error));
}

static long long
deadline_from_timeout(int timeout_ms)
{
    return timeout_ms < 0 ? LLONG_MAX : time_msec() + timeout_ms;
}

/* The error that ended the session, for a caller that saw it end. */
static int
session_error(const struct ovsdb_idl *idl)
{
    int error = jsonrpc_session_get_last_error(idl->session);
    return error ? error : ENOTCONN;
}

/* Registers the session's fds and 'deadline' and sleeps. */
static void
idl_block(struct ovsdb_idl *idl, long long deadline)
{
    jsonrpc_session_wait(idl->session);
    jsonrpc_session_recv_wait(idl->session);
    if (deadline != LLONG_MAX) {
        poll_timer_wait_until(deadline);
    }
    poll_block();
}

/* Waits until the session is connected: 0, ETIMEDOUT or the error that
 * made the (single) connection attempt fail. */
static int
idl_wait_connected(struct ovsdb_idl *idl, int timeout_ms)
{
    long long deadline = deadline_from_timeout(timeout_ms);

    for (;;) {
        jsonrpc_session_run(idl->session);
        if (jsonrpc_session_is_connected(idl->session)) {
            return 0;
        }
        if (!jsonrpc_session_is_alive(idl->session)) {
            return session_error(idl);
        }
        if (time_msec() >= deadline) {
            return ETIMEDOUT;
        }
        idl_block(idl, deadline);
    }
}

/* Schema. */

static char *
column_from_json(struct idl_column *c, const char *name,
                 struct json_object *j)
{
    struct json_object *m;

    c->name = xstrdup(name);
    if (!json_object_is_type(j, json_type_object)
        || !json_object_object_get_ex(j, "type", &m)) {
        return xasprintf("column %s has no type", name);
    }
    char *err = idl_type_from_json(&c->type, m);
    if (err) {
        char *e2 = xasprintf("column %s: %s", name, err);
        free(err);
        return e2;
    }
    c->is_mutable = !(json_object_object_get_ex(j, "mutable", &m)
                      && !json_object_get_boolean(m));
    c->ephemeral = (json_object_object_get_ex(j, "ephemeral", &m)
                    && json_object_get_boolean(m));
    c->monitored = true;
    return NULL;
}

static void
table_destroy(struct idl_table *t)
{
    struct idl_row *row, *next;

    HMAP_FOR_EACH_SAFE (row, next, node, &t->rows) {
        hmap_remove(&t->rows, &row->node);
        idl_row_free(row);
    }
    hmap_destroy(&t->rows);
    for (size_t i = 0; i < t->n_columns; i++) {
        free(t->columns[i].name);
        ovsdb_type_destroy(&t->columns[i].type);
    }
    free(t->columns);
    free(t->name);
    free(t);
}

static char *
table_from_json(struct ovsdb_idl *idl, const char *name,
                struct json_object *j, struct idl_table **tp)
{
    struct json_object *cols, *m;

    if (!json_object_is_type(j, json_type_object)
        || !json_object_object_get_ex(j, "columns", &cols)
        || !json_object_is_type(cols, json_type_object)) {
        return xasprintf("table %s has no columns", name);
    }
    struct idl_table *t = xzalloc(sizeof *t);
    t->idl = idl;
    t->name = xstrdup(name);
    t->is_root = (json_object_object_get_ex(j, "isRoot", &m)
                  && json_object_get_boolean(m));
    t->max_rows = (json_object_object_get_ex(j, "maxRows", &m)
                   ? (unsigned int) json_object_get_int64(m) : UINT_MAX);
    t->monitored = true;
    hmap_init(&t->rows);
    t->columns = xcalloc(json_object_object_length(cols) + 1,
                         sizeof *t->columns);
    t->columns[0].name = xstrdup("_uuid");
    t->columns[0].type = ovsdb_type_scalar(OVSDB_TYPE_UUID);
    t->n_columns = 1;

    json_object_object_foreach(cols, cname, cj) {
        struct idl_column *c = &t->columns[t->n_columns];
        char *err = column_from_json(c, cname, cj);
        if (err) {
            free(c->name);
            table_destroy(t);
            return err;
        }
        c->idx = t->n_columns++;
    }
    *tp = t;
    return NULL;
}

static char *
schema_from_json(struct ovsdb_idl *idl, struct json_object *schema)
{
    struct json_object *tables;

    if (!json_object_is_type(schema, json_type_object)
        || !json_object_object_get_ex(schema, "tables", &tables)
        || !json_object_is_type(tables, json_type_object)) {
        return xstrdup("schema has no tables");
    }
    idl->table_array = xcalloc(json_object_object_length(tables),
                               sizeof *idl->table_array);
    json_object_object_foreach(tables, tname, tj) {
        struct idl_table *t = NULL;
        char *err = table_from_json(idl, tname, tj, &t);
        if (err) {
            return err;
        }
        hmap_insert(&idl->tables, &t->node, hash_string(t->name, 0));
        idl->table_array[idl->n_tables++] = t;
    }
    return NULL;
}

struct ovsdb_idl *
ovsdb_idl_create(const char *remote, const char *db_name, int timeout_ms,
                 char **errp)
{
    struct ovsdb_idl *idl = xzalloc(sizeof *idl);
    int error;

    *errp = NULL;
    hmap_init(&idl->tables);
    vs_list_init(&idl->deleted);
    idl->db_name = xstrdup(db_name);
    idl->remote = xstrdup(remote);
    idl->seqno = 1;
    /* One attempt: tools decide themselves whether to retry.  A daemon's
     * ovsdb_idl_set_reconnect() swaps in a retrying session later. */
    idl->session = jsonrpc_session_open(remote, false);
    error = idl_wait_connected(idl, timeout_ms);
    if (error) {
        *errp = xasprintf("%s: database connection failed (%s)", remote,
                          vs_strerror(error));
        ovsdb_idl_destroy(idl);
        return NULL;
    }

    struct json_object *params = json_object_new_array();
    struct json_object *schema;
    json_object_array_add(params, json_object_new_string(db_name));
    error = idl_request_block(idl, "get_schema", params, timeout_ms, &schema,
                              errp);
    if (error) {
        ovsdb_idl_destroy(idl);
        return NULL;
    }
    char *err = schema_from_json(idl, schema);
    json_object_put(schema);
    if (err) {
        *errp = xasprintf("%s: bad schema for %s: %s", remote, db_name, err);
        free(err);
        ovsdb_idl_destroy(idl);
        return NULL;
    }
    return idl;
}

void
ovsdb_idl_destroy(struct ovsdb_idl *idl)
{
    if (!idl) {
        return;
    }
    for (size_t i = 0; i < idl->n_tables; i++) {
        hmap_remove(&idl->tables, &idl->table_array[i]->node);
        table_destroy(idl->table_array[i]);
    }
    struct idl_deleted *d, *next;
    VS_LIST_FOR_EACH_SAFE (d, next, node, &idl->deleted) {
        free(d);
    }
    for (size_t i = 0; i < idl->n_pending; i++) {
        jsonrpc_msg_destroy(idl->pending[i]);
    }
    free(idl->pending);
    free(idl->table_array);
    hmap_destroy(&idl->tables);
    json_object_put(idl->monitor_req);
    jsonrpc_session_close(idl->session);
    free(idl->remote);
    free(idl->monitor_id);
    free(idl->db_name);
    free(idl);
}

struct idl_table *
ovsdb_idl_get_table(const struct ovsdb_idl *idl, const char *name)
{
    struct idl_table *t;
    HMAP_FOR_EACH_WITH_HASH (t, node, hash_string(name, 0), &idl->tables) {
        if (!strcmp(t->name, name)) {
            return t;
        }
    }
    return NULL;
}

const struct idl_column *
idl_table_get_column(const struct idl_table *t, const char *name)
{
    for (size_t i = 0; i < t->n_columns; i++) {
        if (!strcmp(t->columns[i].name, name)) {
            return &t->columns[i];
        }
    }
    return NULL;
}

size_t
ovsdb_idl_n_tables(const struct ovsdb_idl *idl)
{
    return idl->n_tables;
}

struct idl_table *
ovsdb_idl_table_at(const struct ovsdb_idl *idl, size_t i)
{
    return i < idl->n_tables ? idl->table_array[i] : NULL;
}

void
ovsdb_idl_set_monitored(struct ovsdb_idl *idl, const char *table, bool on)
{
    struct idl_table *t = ovsdb_idl_get_table(idl, table);
    if (t) {
        t->monitored = on;
    }
}

void
ovsdb_idl_set_column_monitored(struct ovsdb_idl *idl, const char *table,
                               const char *column, bool on)
{
    struct idl_table *t = ovsdb_idl_get_table(idl, table);
    const struct idl_column *c = t ? idl_table_get_column(t, column) : NULL;
    if (c && c->idx) {
        t->columns[c->idx].monitored = on;
    }
}

/* Rows. */

struct idl_row *
idl_row_create(struct idl_table *t, const char *uuid, bool with_old)
{
    struct idl_row *row = xzalloc(sizeof *row);
    row->table = t;
    snprintf(row->uuid, sizeof row->uuid, "%s", uuid);
    vs_list_init(&row->txn_node);
    if (with_old) {
        row->old = xcalloc(t->n_columns, sizeof *row->old);
        for (size_t i = 0; i < t->n_columns; i++) {
            idl_datum_init_default(&row->old[i], &t->columns[i].type);
        }
        free(row->old[0].keys[0].string);
        row->old[0].keys[0].string = xstrdup(uuid);
    }
    return row;
}

static void
free_datums(struct idl_datum *d, const struct idl_table *t)
{
    if (d) {
        for (size_t i = 0; i < t->n_columns; i++) {
            idl_datum_destroy(&d[i], &t->columns[i].type);
        }
        free(d);
    }
}

void
idl_row_free(struct idl_row *row)
{
    free_datums(row->old, row->table);
    free_datums(row->new, row->table);
    free(row->written);
    free(row->read);
    free(row);
}

struct idl_row *
idl_table_find_row(const struct idl_table *t, const char *uuid)
{
    struct idl_row *row;
    HMAP_FOR_EACH_WITH_HASH (row, node, idl_uuid_hash(uuid), &t->rows) {
        if (!strcmp(row->uuid, uuid)) {
            return row;
        }
    }
    return NULL;
}

struct idl_row *
idl_table_first(const struct idl_table *t)
{
    struct hmap_node *n = hmap_first(&t->rows);
    for (; n; n = hmap_next(&t->rows, n)) {
        struct idl_row *row = CONTAINER_OF(n, struct idl_row, node);
        if (!row->deleted) {
            return row;
        }
    }
    return NULL;
}

struct idl_row *
idl_table_next(const struct idl_table *t, const struct idl_row *row)
{
    struct hmap_node *n = hmap_next(&t->rows, &row->node);
    for (; n; n = hmap_next(&t->rows, n)) {
        struct idl_row *r = CONTAINER_OF(n, struct idl_row, node);
        if (!r->deleted) {
            return r;
        }
    }
    return NULL;
}

const struct idl_datum *
idl_row_get(const struct idl_row *row, const struct idl_column *c)
{
    return row->new ? &row->new[c->idx] : &row->old[c->idx];
}

const char *
idl_row_get_string(const struct idl_row *row, const char *column)
{
    const struct idl_column *c = idl_table_get_column(row->table, column);
    if (!c || c->type.key.type != OVSDB_TYPE_STRING) {
        return NULL;
    }
    const struct idl_datum *d = idl_row_get(row, c);
    return d->n ? d->keys[0].string : NULL;
}

long long
idl_row_get_int(const struct idl_row *row, const char *column, long long dflt)
{
    const struct idl_column *c = idl_table_get_column(row->table, column);
    if (!c || c->type.key.type != OVSDB_TYPE_INTEGER) {
        return dflt;
    }
    const struct idl_datum *d = idl_row_get(row, c);
    return d->n ? d->keys[0].integer : dflt;
}

/* Updates. */

/* Applies an update2 "modify" diff to 'd' (RFC 7047bis: a set's diff holds
 * the elements to toggle; a map's diff holds pairs to add, remove (same
 * value) or change (other value); a scalar's diff is the new value). */
static void
datum_apply_diff(struct idl_datum *d, struct idl_datum *diff,
                 const struct ovsdb_type *t)
{
    if (ovsdb_type_is_scalar(t)) {
        idl_datum_destroy(d, t);
        *d = *diff;
        idl_datum_init_empty(diff);
        return;
    }
    for (size_t i = 0; i < diff->n; i++) {
        long j = idl_datum_find_key(d, &diff->keys[i], t->key.type);
        if (j >= 0 && (!d->values
                       || !idl_atom_compare(&d->values[j], &diff->values[i],
                                            t->value.type))) {
            idl_datum_remove_index(d, j, t);
        } else {
            union idl_atom k, v;
            idl_atom_clone(&k, &diff->keys[i], t->key.type);
            if (d->values || ovsdb_type_is_map(t)) {
                idl_atom_clone(&v, &diff->values[i], t->value.type);
            }
            idl_datum_add(d, &k, ovsdb_type_is_map(t) ? &v : NULL, t, true);
        }
    }
}

/* Sets columns of 'row' from the JSON object 'cols'; a diff if 'is_diff'. */
static void
row_update_columns(struct idl_row *row, struct json_object *cols, bool is_diff)
{
    struct idl_table *t = row->table;

    if (!cols || !json_object_is_type(cols, json_type_object)) {
        return;
    }
    json_object_object_foreach(cols, name, val) {
        const struct idl_column *c = idl_table_get_column(t, name);
        struct idl_datum d;
        if (!c || !c->idx) {
            continue;           /* A column we don't know: newer schema. */
        }
        char *err = idl_datum_from_json(&d, &c->type, val);
        if (err) {
            fprintf(stderr, "%s: ignoring bad value for %s.%s from server "
                    "(%s)\n", program_name, t->name, name, err);
            free(err);
            continue;
        }
        if (is_diff) {
            datum_apply_diff(&row->old[c->idx], &d, &c->type);
            idl_datum_destroy(&d, &c->type);
        } else {
            idl_datum_destroy(&row->old[c->idx], &c->type);
            row->old[c->idx] = d;
        }
    }
}

static void
row_delete(struct ovsdb_idl *idl, struct idl_row *row)
{
    struct idl_deleted *d = xzalloc(sizeof *d);
    d->table = row->table;
    memcpy(d->uuid, row->uuid, sizeof d->uuid);
    d->seqno = idl->seqno;
    vs_list_push_back(&idl->deleted, &d->node);
    hmap_remove(&row->table->rows, &row->node);
    idl_row_free(row);
}

/* Applies a table-updates (v1) or table-updates2 object. */
static void
apply_table_updates(struct ovsdb_idl *idl, struct json_object *updates,
                    bool v2)
{
    if (!json_object_is_type(updates, json_type_object)) {
        return;
    }
    idl->seqno++;
    json_object_object_foreach(updates, tname, rows) {
        struct idl_table *t = ovsdb_idl_get_table(idl, tname);
        if (!t || !json_object_is_type(rows, json_type_object)) {
            continue;
        }
        json_object_object_foreach(rows, uuid, ru) {
            struct json_object *m;
            struct idl_row *row;
            if (!idl_uuid_is_valid(uuid)
                || !json_object_is_type(ru, json_type_object)) {
                continue;
            }
            row = idl_table_find_row(t, uuid);
            if (v2) {
                if (json_object_object_get_ex(ru, "delete", &m)) {
                    if (row) {
                        row_delete(idl, row);
                    }
                } else if (json_object_object_get_ex(ru, "modify", &m)) {
                    if (row) {
                        row_update_columns(row, m, true);
                        row->change_seqno = idl->seqno;
                    }
                } else if (json_object_object_get_ex(ru, "initial", &m)
                           || json_object_object_get_ex(ru, "insert", &m)) {
                    if (row) {
                        row_delete(idl, row);
                    }
                    row = idl_row_create(t, uuid, true);
                    hmap_insert(&t->rows, &row->node, idl_uuid_hash(uuid));
                    row_update_columns(row, m, false);
                    row->change_seqno = idl->seqno;
                }
            } else {
                struct json_object *new = NULL;
                json_object_object_get_ex(ru, "new", &new);
                if (!new || json_object_is_type(new, json_type_null)) {
                    if (row) {
                        row_delete(idl, row);
                    }
                    continue;
                }
                if (!row) {
                    row = idl_row_create(t, uuid, true);
                    hmap_insert(&t->rows, &row->node, idl_uuid_hash(uuid));
                }
                row_update_columns(row, new, false);
                row->change_seqno = idl->seqno;
            }
        }
    }
}

static bool
is_reply_to(const struct jsonrpc_msg *msg, const struct json_object *id)
{
    return (id && (msg->type == JSONRPC_REPLY || msg->type == JSONRPC_ERROR)
            && json_equal(msg->id, id));
}

/* The error text of a JSON-RPC error reply (caller frees). */
static char *
reply_error_string(const struct jsonrpc_msg *msg)
{
    const char *s = json_object_get_string(msg->error);
    struct json_object *e;

    if (json_object_is_type(msg->error, json_type_object)
        && json_object_object_get_ex(msg->error, "error", &e)) {
        s = json_object_get_string(e);
    }
    return xstrdup(s ? s : "error");
}

/* Drops the replica and loads the snapshot 'result' of a new connection:
 * rows that are gone are reported as deleted, all others as changed. */
static void
replace_replica(struct ovsdb_idl *idl, struct json_object *result)
{
    idl->seqno++;
    for (size_t i = 0; i < idl->n_tables; i++) {
        struct idl_table *t = idl->table_array[i];
        struct idl_row *row, *next;
        HMAP_FOR_EACH_SAFE (row, next, node, &t->rows) {
            row_delete(idl, row);
        }
    }
    apply_table_updates(idl, result, idl->monitor_cond);
}

static void
queue_pending(struct ovsdb_idl *idl, struct jsonrpc_msg *msg)
{
    if (idl->n_pending >= idl->allocated_pending) {
        idl->pending = x2nrealloc(idl->pending, &idl->allocated_pending,
                                  sizeof *idl->pending);
    }
    idl->pending[idl->n_pending++] = msg;
}

/* Handles a message that is not the reply a blocking request waits for:
 * update notifications and the reply to a re-monitor after a reconnect.
 * (The session answers "echo" itself.)  Takes ownership of 'msg'. */
static void
handle_message(struct ovsdb_idl *idl, struct jsonrpc_msg *msg)
{
    if (is_reply_to(msg, idl->monitor_req)) {
        if (idl->txn) {
            /* Rows must not change under an open transaction's overlay. */
            queue_pending(idl, msg);
            return;
        }
        json_object_put(idl->monitor_req);
        idl->monitor_req = NULL;
        if (msg->type == JSONRPC_REPLY) {
            replace_replica(idl, msg->result);
            idl->synced = true;
        } else {
            char *err = reply_error_string(msg);
            VLOG_WARN_RL(&rl, "%s: monitor refused after reconnecting (%s)",
                         idl->remote, err);
            free(err);
            jsonrpc_session_force_reconnect(idl->session);
        }
    } else if (msg->type == JSONRPC_NOTIFY
               && (!strcmp(msg->method, "update")
                   || !strcmp(msg->method, "update2"))) {
        if (idl->txn) {
            queue_pending(idl, msg);
            return;
        }
        struct json_object *params = msg->params;
        if (json_object_is_type(params, json_type_array)
            && json_object_array_length(params) == 2) {
            apply_table_updates(idl, json_object_array_get_idx(params, 1),
                                !strcmp(msg->method, "update2"));
        }
    }
    /* Anything else (stray replies, requests we do not serve) is dropped. */
    jsonrpc_msg_destroy(msg);
}

void
idl_apply_pending(struct ovsdb_idl *idl)
{
    size_t n = idl->n_pending;
    idl->n_pending = 0;
    for (size_t i = 0; i < n; i++) {
        handle_message(idl, idl->pending[i]);
    }
}

int
idl_request_block(struct ovsdb_idl *idl, const char *method,
                  struct json_object *params, int timeout_ms,
                  struct json_object **result, char **errp)
{
    long long deadline = deadline_from_timeout(timeout_ms);
    unsigned int conn_seqno = jsonrpc_session_get_seqno(idl->session);
    struct json_object *id;
    int error;

    *result = NULL;
    *errp = NULL;
    if (!jsonrpc_session_is_connected(idl->session)) {
        json_object_put(params);
        *errp = xasprintf("%s: not connected", idl->remote);
        return ENOTCONN;
    }
    error = jsonrpc_session_send(idl->session,
                                 jsonrpc_create_request(method, params, &id));
    if (error) {
        json_object_put(id);
        *errp = xasprintf("%s: send failed (%s)", idl->remote,
                          rpc_error_string(error));
        return error;
    }
    for (;;) {
        struct jsonrpc_msg *msg;

        jsonrpc_session_run(idl->session);
        while ((msg = jsonrpc_session_recv(idl->session)) != NULL) {
            if (!is_reply_to(msg, id)) {
                handle_message(idl, msg);
                continue;
            }
            json_object_put(id);
            if (msg->type == JSONRPC_ERROR) {
                *errp = reply_error_string(msg);
                jsonrpc_msg_destroy(msg);
                return EPROTO;
            }
            *result = json_object_get(msg->result);
            jsonrpc_msg_destroy(msg);
            return 0;
        }
        if (jsonrpc_session_get_seqno(idl->session) != conn_seqno) {
            error = session_error(idl);
            *errp = xasprintf("%s: %s", idl->remote, rpc_error_string(error));
            json_object_put(id);
            return error;
        }
        if (time_msec() >= deadline) {
            *errp = xasprintf("%s: timeout waiting for reply", idl->remote);
            json_object_put(id);
            return ETIMEDOUT;
        }
        idl_block(idl, deadline);
    }
}

static struct json_object *
monitor_requests(struct ovsdb_idl *idl, bool cond)
{
    struct json_object *reqs = json_object_new_object();

    for (size_t i = 0; i < idl->n_tables; i++) {
        struct idl_table *t = idl->table_array[i];
        if (!t->monitored) {
            continue;
        }
        struct json_object *cols = json_object_new_array();
        for (size_t c = 1; c < t->n_columns; c++) {
            if (t->columns[c].monitored) {
                json_object_array_add(
                    cols, json_object_new_string(t->columns[c].name));
            }
        }
        struct json_object *req = json_object_new_object();
        json_object_object_add(req, "columns", cols);
        if (idl->snapshot_only) {
            struct json_object *sel = json_object_new_object();
            json_object_object_add(sel, "initial",
                                   json_object_new_boolean(true));
            json_object_object_add(sel, "insert",
                                   json_object_new_boolean(false));
            json_object_object_add(sel, "delete",
                                   json_object_new_boolean(false));
            json_object_object_add(sel, "modify",
                                   json_object_new_boolean(false));
            json_object_object_add(req, "select", sel);
        }
        if (cond) {
            struct json_object *arr = json_object_new_array();
            json_object_array_add(arr, req);
            req = arr;
        }
        json_object_object_add(reqs, t->name, req);
    }
    return reqs;
}

int
ovsdb_idl_monitor(struct ovsdb_idl *idl, int timeout_ms, char **errp)
{
    struct json_object *result;
    int error;

    free(idl->monitor_id);
    idl->monitor_id = xasprintf("idl%u", ++idl->n_monitors);
    for (int attempt = 0; attempt < 2; attempt++) {
        bool cond = attempt == 0;
        struct json_object *params = json_object_new_array();
        json_object_array_add(params, json_object_new_string(idl->db_name));
        json_object_array_add(params,
                              json_object_new_string(idl->monitor_id));
        json_object_array_add(params, monitor_requests(idl, cond));
        error = idl_request_block(idl, cond ? "monitor_cond" : "monitor",
                                  params, timeout_ms, &result, errp);
        if (!error) {
            idl->monitor_cond = cond;
            apply_table_updates(idl, result, cond);
            json_object_put(result);
            idl->conn_seqno = jsonrpc_session_get_seqno(idl->session);
            idl->synced = true;
            return 0;
        }
        if (!cond || error != EPROTO
            || !jsonrpc_session_is_connected(idl->session)) {
            return error;
        }
        /* An older server: fall back to plain monitor. */
        free(*errp);
        *errp = NULL;
    }
    return error;
}

void
ovsdb_idl_set_snapshot_only(struct ovsdb_idl *idl, bool on)
{
    idl->snapshot_only = on;
}

int
ovsdb_idl_resnapshot(struct ovsdb_idl *idl, int timeout_ms, char **errp)
{
    struct json_object *params = json_object_new_array();
    struct json_object *result;
    int error;

    vs_assert(!idl->txn);
    json_object_array_add(params, json_object_new_string(idl->monitor_id));
    error = idl_request_block(idl, "monitor_cancel", params, timeout_ms,
                              &result, errp);
    if (error) {
        return error;
    }
    json_object_put(result);
    idl_apply_pending(idl);
    for (size_t i = 0; i < idl->n_tables; i++) {
        struct idl_table *t = idl->table_array[i];
        struct idl_row *row, *next;
        HMAP_FOR_EACH_SAFE (row, next, node, &t->rows) {
            row_delete(idl, row);
        }
    }
    return ovsdb_idl_monitor(idl, timeout_ms, errp);
}

void
ovsdb_idl_set_reconnect(struct ovsdb_idl *idl, bool on)
{
    idl->reconnect = on;
}

bool
ovsdb_idl_is_connected(const struct ovsdb_idl *idl)
{
    return (jsonrpc_session_is_connected(idl->session) && idl->synced
            && jsonrpc_session_get_seqno(idl->session) == idl->conn_seqno);
}

/* Follows the session's (re)connections.  A daemon's IDL asks a new
 * connection for a snapshot without blocking; handle_message() swaps it
 * in when it arrives, so readers never see a half-empty replica. */
static void
idl_track_session(struct ovsdb_idl *idl)
{
    if (idl->reconnect && !jsonrpc_session_is_alive(idl->session)) {
        /* The tool-style single-attempt session is over: continue with
         * one that reconnects with backoff. */
        jsonrpc_session_close(idl->session);
        idl->session = jsonrpc_session_open(idl->remote, true);
        jsonrpc_session_set_backoff(idl->session, IDL_BACKOFF_MIN_MS,
                                    IDL_BACKOFF_MAX_MS);
        idl->conn_seqno = 0;
        idl->synced = false;
        jsonrpc_session_run(idl->session);
    }

    unsigned int seqno = jsonrpc_session_get_seqno(idl->session);
    if (seqno == idl->conn_seqno) {
        return;
    }
    idl->conn_seqno = seqno;
    idl->synced = false;
    json_object_put(idl->monitor_req);
    idl->monitor_req = NULL;
    if (!idl->reconnect || !idl->monitor_id
        || !jsonrpc_session_is_connected(idl->session)) {
        return;
    }
    /* The schema is assumed unchanged across reconnections. */
    struct json_object *params = json_object_new_array();
    json_object_array_add(params, json_object_new_string(idl->db_name));
    json_object_array_add(params, json_object_new_string(idl->monitor_id));
    json_object_array_add(params, monitor_requests(idl, idl->monitor_cond));
    jsonrpc_session_send(idl->session, jsonrpc_create_request(
                             idl->monitor_cond ? "monitor_cond" : "monitor",
                             params, &idl->monitor_req));
}

int
ovsdb_idl_run(struct ovsdb_idl *idl, int timeout_ms)
{
    long long deadline = deadline_from_timeout(timeout_ms);

    for (;;) {
        bool got = false;

        jsonrpc_session_run(idl->session);
        idl_track_session(idl);
        if (!idl->reconnect && !ovsdb_idl_is_connected(idl)) {
            return session_error(idl);
        }
        if (!idl->txn && idl->n_pending) {
            idl_apply_pending(idl);
            got = true;
        }
        struct jsonrpc_msg *msg;
        while ((msg = jsonrpc_session_recv(idl->session)) != NULL) {
            handle_message(idl, msg);
            got = true;
        }
        /* recv() may have noticed a disconnection. */
        idl_track_session(idl);
        if (!idl->reconnect && !ovsdb_idl_is_connected(idl)) {
            return session_error(idl);
        }
        if (got || timeout_ms == 0 || time_msec() >= deadline) {
            return 0;
        }
        idl_block(idl, deadline);
    }
}

void
ovsdb_idl_wait(const struct ovsdb_idl *idl)
{
    if (!idl->txn && idl->n_pending) {
        poll_immediate_wake();
    }
    if (idl->reconnect && !jsonrpc_session_is_alive(idl->session)) {
        poll_immediate_wake();      /* ovsdb_idl_run() starts a new one. */
    }
    jsonrpc_session_wait(idl->session);
    jsonrpc_session_recv_wait(idl->session);
}

void
ovsdb_idl_track_clear(struct ovsdb_idl *idl)
{
    struct idl_deleted *d, *next;
    VS_LIST_FOR_EACH_SAFE (d, next, node, &idl->deleted) {
        vs_list_remove(&d->node);
        free(d);
    }
}

unsigned int
ovsdb_idl_get_seqno(const struct ovsdb_idl *idl)
{
    return idl->seqno;
}

bool
ovsdb_idl_has_monitor_cond(const struct ovsdb_idl *idl)
{
    return idl->monitor_cond;
}

size_t
ovsdb_idl_deleted_since(const struct ovsdb_idl *idl, unsigned int seqno,
                        const char *table, char (**uuids)[37])
{
    struct idl_deleted *d;
    size_t n = 0;

    *uuids = NULL;
    VS_LIST_FOR_EACH (d, node, &idl->deleted) {
        if (d->seqno > seqno && !strcmp(d->table->name, table)) {
            *uuids = xrealloc(*uuids, (n + 1) * sizeof **uuids);
            memcpy((*uuids)[n++], d->uuid, 37);
        }
    }
    return n;
}
