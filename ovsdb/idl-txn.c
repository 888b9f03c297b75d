/* OVSDB client IDL: transactions against the replica (see idl.h). */
#include <config.h>
#include "idl-private.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "dynamic-string.h"
#include "util.h"

struct ovsdb_idl_txn {
    struct ovsdb_idl *idl;
    struct vs_list rows;            /* Touched 'struct idl_row's. */
    struct ds comment;
    struct idl_row *inc_row;        /* For ovsdb_idl_txn_increment(). */
    const struct idl_column *inc_column;
    long long inc_new_value;
    char *error;
    struct json_object *insert_uuids; /* uuid-name -> real uuid string. */
};

const char *
ovsdb_idl_txn_status_to_string(enum ovsdb_idl_txn_status s)
{
    switch (s) {
    case IDL_TXN_UNCHANGED: return "unchanged";
    case IDL_TXN_SUCCESS: return "success";
    case IDL_TXN_TRY_AGAIN: return "try again";
    case IDL_TXN_ERROR: return "error";
    }
    return "?";
}

struct ovsdb_idl_txn *
ovsdb_idl_txn_create(struct ovsdb_idl *idl)
{
    vs_assert(!idl->txn);
    struct ovsdb_idl_txn *txn = xzalloc(sizeof *txn);
    txn->idl = idl;
    vs_list_init(&txn->rows);
    ds_init(&txn->comment);
    txn->inc_new_value = -1;
    idl->txn = txn;
    return txn;
}

/* Puts 'row' on the transaction's list with per-column flags. */
static void
txn_touch(struct ovsdb_idl_txn *txn, struct idl_row *row)
{
    if (!row->in_txn) {
        size_t n = row->table->n_columns;
        row->in_txn = true;
        row->written = xzalloc(n);
        row->read = xzalloc(n);
        vs_list_push_back(&txn->rows, &row->txn_node);
    }
}

void
ovsdb_idl_txn_verify(struct ovsdb_idl_txn *txn, struct idl_row *row,
                     const struct idl_column *c)
{
    if (!row->old || c->idx == 0) {
        return;                 /* Our own new row, or the immutable uuid. */
    }
    txn_touch(txn, row);
    if (!row->written[c->idx]) {
        row->read[c->idx] = 1;
    }
}

const struct idl_datum *
ovsdb_idl_txn_read(struct ovsdb_idl_txn *txn, struct idl_row *row,
                   const struct idl_column *c)
{
    ovsdb_idl_txn_verify(txn, row, c);
    return idl_row_get(row, c);
}

void
ovsdb_idl_txn_write(struct ovsdb_idl_txn *txn, struct idl_row *row,
                    const struct idl_column *c, struct idl_datum *value)
{
    struct idl_table *t = row->table;

    vs_assert(c->idx > 0 && !row->deleted);
    txn_touch(txn, row);
    if (!row->new) {
        row->new = xcalloc(t->n_columns, sizeof *row->new);
        for (size_t i = 0; i < t->n_columns; i++) {
            idl_datum_clone(&row->new[i], &row->old[i], &t->columns[i].type);
        }
    }
    idl_datum_destroy(&row->new[c->idx], &c->type);
    row->new[c->idx] = *value;
    idl_datum_init_empty(value);
    row->written[c->idx] = 1;
}

/* Makes sure 'row' has its transaction copy of every column. */
static void
ensure_new(struct idl_row *row)
{
    struct idl_table *t = row->table;
    if (!row->new) {
        row->new = xcalloc(t->n_columns, sizeof *row->new);
        for (size_t i = 0; i < t->n_columns; i++) {
            idl_datum_clone(&row->new[i], &row->old[i], &t->columns[i].type);
        }
    }
}

/* Applies a partial set change to the overlay and, for a row that exists
 * on the server, records it for a "mutate". */
static void
set_mutate(struct ovsdb_idl_txn *txn, struct idl_row *row,
           const struct idl_column *c, const union idl_atom *key, bool add)
{
    struct idl_table *t = row->table;
    enum ovsdb_atomic_type kt = c->type.key.type;

    vs_assert(c->idx > 0 && !row->deleted && !ovsdb_type_is_map(&c->type));
    txn_touch(txn, row);
    ensure_new(row);
    struct idl_datum *d = &row->new[c->idx];
    long i = idl_datum_find_key(d, key, kt);
    if (add && i < 0) {
        union idl_atom k;
        idl_atom_clone(&k, key, kt);
        idl_datum_add(d, &k, NULL, &c->type, false);
    } else if (!add && i >= 0) {
        idl_datum_remove_index(d, i, &c->type);
    }
    if (!row->old || row->written[c->idx]) {
        /* A new row or a rewritten column is sent whole. */
        row->written[c->idx] = 1;
        return;
    }
    if (!row->set_adds) {
        row->set_adds = xcalloc(t->n_columns, sizeof *row->set_adds);
        row->set_dels = xcalloc(t->n_columns, sizeof *row->set_dels);
    }
    struct idl_datum *mine = add ? &row->set_adds[c->idx]
                                 : &row->set_dels[c->idx];
    struct idl_datum *other = add ? &row->set_dels[c->idx]
                                  : &row->set_adds[c->idx];
    long j = idl_datum_find_key(other, key, kt);
    if (j >= 0) {
        idl_datum_remove_index(other, j, &c->type);   /* They cancel. */
    } else {
        union idl_atom k;
        idl_atom_clone(&k, key, kt);
        idl_datum_add(mine, &k, NULL, &c->type, false);
    }
}

void
ovsdb_idl_txn_set_insert(struct ovsdb_idl_txn *txn, struct idl_row *row,
                         const struct idl_column *c,
                         const union idl_atom *key)
{
    set_mutate(txn, row, c, key, true);
}

void
ovsdb_idl_txn_set_delete(struct ovsdb_idl_txn *txn, struct idl_row *row,
                         const struct idl_column *c,
                         const union idl_atom *key)
{
    set_mutate(txn, row, c, key, false);
}

struct idl_datum *
ovsdb_idl_txn_get_mutable(struct ovsdb_idl_txn *txn, struct idl_row *row,
                          const struct idl_column *c)
{
    struct idl_table *t = row->table;

    vs_assert(c->idx > 0 && !row->deleted);
    ovsdb_idl_txn_verify(txn, row, c);
    txn_touch(txn, row);
    if (!row->new) {
        row->new = xcalloc(t->n_columns, sizeof *row->new);
        for (size_t i = 0; i < t->n_columns; i++) {
            idl_datum_clone(&row->new[i], &row->old[i], &t->columns[i].type);
        }
    }
    row->written[c->idx] = 1;
    return &row->new[c->idx];
}

struct idl_row *
ovsdb_idl_txn_insert(struct ovsdb_idl_txn *txn, struct idl_table *t,
                     const char *uuid)
{
    char buf[37];

    if (!uuid) {
        idl_uuid_generate(buf);
        uuid = buf;
    }
    /* Build the defaults in 'old' and move them to 'new': a row being
     * inserted has no replica values. */
    struct idl_row *row = idl_row_create(t, uuid, true);
    row->new = row->old;
    row->old = NULL;
    for (size_t i = 1; i < t->n_columns; i++) {
        /* A set that needs members starts empty: the caller fills it (a
         * default reference to the zero uuid would dangle). */
        if (t->columns[i].type.n_max > 1) {
            idl_datum_destroy(&row->new[i], &t->columns[i].type);
        }
    }
    hmap_insert(&t->rows, &row->node, idl_uuid_hash(uuid));
    txn_touch(txn, row);
    return row;
}

void
ovsdb_idl_txn_delete(struct ovsdb_idl_txn *txn, struct idl_row *row)
{
    txn_touch(txn, row);
    row->deleted = true;
}

void
ovsdb_idl_txn_increment(struct ovsdb_idl_txn *txn, struct idl_row *row,
                        const struct idl_column *c)
{
    txn->inc_row = row;
    txn->inc_column = c;
}

void
ovsdb_idl_txn_add_comment(struct ovsdb_idl_txn *txn, const char *s)
{
    if (txn->comment.length) {
        ds_put_char(&txn->comment, '\n');
    }
    ds_put_cstr(&txn->comment, s);
}

/* The uuid-name of a row the transaction inserts: an identifier made of
 * its uuid, so that it is unique and easy to map back. */
static void
uuid_name(const char *uuid, char out[41])
{
    snprintf(out, 41, "row%s", uuid);
    for (char *p = out; *p; p++) {
        if (*p == '-') {
            *p = '_';
        }
    }
}

static const char *
named_uuid_cb(const char *uuid, void *txn_)
{
    static char buf[41];
    struct ovsdb_idl_txn *txn = txn_;

    for (size_t i = 0; i < txn->idl->n_tables; i++) {
        struct idl_row *row = idl_table_find_row(txn->idl->table_array[i],
                                                 uuid);
        if (row) {
            if (row->old || row->deleted) {
                return NULL;
            }
            uuid_name(uuid, buf);
            return buf;
        }
    }
    return NULL;
}

/* A "where" matching the row 'uuid'; a row this transaction inserts has no
 * server uuid yet, so it is named by its uuid-name ('named' true). */
static struct json_object *
where_uuid__(const char *uuid, bool named)
{
    struct json_object *cond = json_object_new_array();
    struct json_object *val = json_object_new_array();
    char name[41];
    if (named) {
        uuid_name(uuid, name);
    }
    json_object_array_add(val, json_object_new_string(named ? "named-uuid"
                                                             : "uuid"));
    json_object_array_add(val, json_object_new_string(named ? name : uuid));
    json_object_array_add(cond, json_object_new_string("_uuid"));
    json_object_array_add(cond, json_object_new_string("=="));
    json_object_array_add(cond, val);
    struct json_object *where = json_object_new_array();
    json_object_array_add(where, cond);
    return where;
}

static struct json_object *
where_uuid(const char *uuid)
{
    return where_uuid__(uuid, false);
}

static struct json_object *
new_op(const char *op, const char *table)
{
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "op", json_object_new_string(op));
    if (table) {
        json_object_object_add(o, "table", json_object_new_string(table));
    }
    return o;
}

/* A "mutate" op for the partial set changes of 'row', or NULL. */
static struct json_object *
mutate_op(struct ovsdb_idl_txn *txn, struct idl_row *row)
{
    struct idl_table *t = row->table;
    struct json_object *muts = NULL;

    if (!row->set_adds) {
        return NULL;
    }
    for (size_t i = 1; i < t->n_columns; i++) {
        const struct idl_column *c = &t->columns[i];
        for (int add = 1; add >= 0; add--) {
            const struct idl_datum *d = add ? &row->set_adds[i]
                                            : &row->set_dels[i];
            if (row->written[i] || !d->n) {
                continue;
            }
            /* Always the ["set", [...]] form: a mutation's value is a set. */
            struct json_object *elems = json_object_new_array();
            for (size_t k = 0; k < d->n; k++) {
                json_object_array_add(elems, idl_atom_to_json(
                                          &d->keys[k], c->type.key.type,
                                          named_uuid_cb, txn));
            }
            struct json_object *set = json_object_new_array();
            json_object_array_add(set, json_object_new_string("set"));
            json_object_array_add(set, elems);
            struct json_object *m = json_object_new_array();
            json_object_array_add(m, json_object_new_string(c->name));
            json_object_array_add(m, json_object_new_string(add ? "insert"
                                                            : "delete"));
            json_object_array_add(m, set);
            if (!muts) {
                muts = json_object_new_array();
            }
            json_object_array_add(muts, m);
        }
    }
    if (!muts) {
        return NULL;
    }
    struct json_object *op = new_op("mutate", t->name);
    json_object_object_add(op, "where", where_uuid(row->uuid));
    json_object_object_add(op, "mutations", muts);
    return op;
}

static void
append_all(struct json_object *dst, struct json_object *src)
{
    for (size_t i = 0; i < json_object_array_length(src); i++) {
        json_object_array_add(dst, json_object_get(
                                  json_object_array_get_idx(src, i)));
    }
    json_object_put(src);
}

/* The ops of the transaction: guards first, then inserts (so that every
 * later op may refer to the new rows by name), then updates, mutations and
 * deletions. */
static struct json_object *
build_ops(struct ovsdb_idl_txn *txn, bool *any_change)
{
    struct json_object *ops = json_object_new_array();
    struct json_object *inserts = json_object_new_array();
    struct json_object *changes = json_object_new_array();
    struct idl_row *row;

    *any_change = false;
    json_object_array_add(ops, json_object_new_string(txn->idl->db_name));
    VS_LIST_FOR_EACH (row, txn_node, &txn->rows) {
        struct idl_table *t = row->table;
        if (row->old && !row->deleted) {
            /* Guards: columns read and not overwritten wholesale. */
            struct json_object *cols = NULL, *vals = NULL;
            for (size_t i = 1; i < t->n_columns; i++) {
                const struct idl_column *c = &t->columns[i];
                if (!row->read[i] || !c->monitored) {
                    continue;
                }
                if (!cols) {
                    cols = json_object_new_array();
                    vals = json_object_new_object();
                }
                json_object_array_add(cols, json_object_new_string(c->name));
                json_object_object_add(vals, c->name,
                                       idl_datum_to_json(&row->old[i],
                                                         &c->type, NULL,
                                                         NULL));
            }
            if (cols) {
                struct json_object *w = new_op("wait", t->name);
                struct json_object *rows = json_object_new_array();
                json_object_array_add(rows, vals);
                json_object_object_add(w, "timeout", json_object_new_int(0));
                json_object_object_add(w, "where", where_uuid(row->uuid));
                json_object_object_add(w, "until",
                                       json_object_new_string("=="));
                json_object_object_add(w, "columns", cols);
                json_object_object_add(w, "rows", rows);
                json_object_array_add(ops, w);
            }
        }

        if (row->deleted) {
            if (row->old) {
                struct json_object *d = new_op("delete", t->name);
                json_object_object_add(d, "where", where_uuid(row->uuid));
                json_object_array_add(changes, d);
                *any_change = true;
            }
            continue;
        }
        if (!row->new) {
            continue;
        }
        struct json_object *cols = json_object_new_object();
        size_t n = 0;
        for (size_t i = 1; i < t->n_columns; i++) {
            const struct idl_column *c = &t->columns[i];
            /* An unmonitored column's old value is unknown: send it. */
            if (row->old ? (!row->written[i]
                            || (c->monitored
                                && idl_datum_equals(&row->old[i],
                                                    &row->new[i], &c->type)))
                : !row->written[i]) {
                continue;
            }
            json_object_object_add(cols, c->name,
                                   idl_datum_to_json(&row->new[i], &c->type,
                                                     named_uuid_cb, txn));
            n++;
        }
        if (!row->old) {
            char name[41];
            struct json_object *ins = new_op("insert", t->name);
            uuid_name(row->uuid, name);
            json_object_object_add(ins, "uuid-name",
                                   json_object_new_string(name));
            json_object_object_add(ins, "row", cols);
            json_object_array_add(inserts, ins);
            *any_change = true;
            continue;
        }
        if (n) {
            struct json_object *u = new_op("update", t->name);
            json_object_object_add(u, "where", where_uuid(row->uuid));
            json_object_object_add(u, "row", cols);
            json_object_array_add(changes, u);
            *any_change = true;
        } else {
            json_object_put(cols);
        }
        struct json_object *m = mutate_op(txn, row);
        if (m) {
            json_object_array_add(changes, m);
            *any_change = true;
        }
    }
    append_all(ops, inserts);
    append_all(ops, changes);

    if (txn->inc_row && *any_change) {
        const char *col = txn->inc_column->name;
        struct json_object *m = new_op("mutate", txn->inc_row->table->name);
        struct json_object *mut = json_object_new_array();
        struct json_object *muts = json_object_new_array();
        json_object_array_add(mut, json_object_new_string(col));
        json_object_array_add(mut, json_object_new_string("+="));
        json_object_array_add(mut, json_object_new_int(1));
        json_object_array_add(muts, mut);
        json_object_object_add(m, "where", where_uuid__(txn->inc_row->uuid,
                                                       !txn->inc_row->old));
        json_object_object_add(m, "mutations", muts);
        json_object_array_add(ops, m);

        struct json_object *s = new_op("select", txn->inc_row->table->name);
        struct json_object *cols = json_object_new_array();
        json_object_array_add(cols, json_object_new_string(col));
        json_object_object_add(s, "where", where_uuid__(txn->inc_row->uuid,
                                                       !txn->inc_row->old));
        json_object_object_add(s, "columns", cols);
        json_object_array_add(ops, s);
    }
    if (txn->comment.length && *any_change) {
        struct json_object *c = new_op("comment", NULL);
        json_object_object_add(c, "comment",
                               json_object_new_string(ds_cstr(&txn->comment)));
        json_object_array_add(ops, c);
    }
    return ops;
}

struct json_object *
ovsdb_idl_txn_build_ops(struct ovsdb_idl_txn *txn)
{
    bool any;
    return build_ops(txn, &any);
}

static void
set_error(struct ovsdb_idl_txn *txn, char *msg)
{
    free(txn->error);
    txn->error = msg;
}

/* Interprets the "transact" result array; 'ops' are what was sent. */
static enum ovsdb_idl_txn_status
process_reply(struct ovsdb_idl_txn *txn, struct json_object *ops,
              struct json_object *result)
{
    size_t n_ops = json_object_array_length(ops) - 1;   /* Minus db name. */

    if (!json_object_is_type(result, json_type_array)
        || json_object_array_length(result) < n_ops) {
        set_error(txn, xstrdup("bad transaction reply from server"));
        return IDL_TXN_ERROR;
    }
    for (size_t i = 0; i < json_object_array_length(result); i++) {
        struct json_object *r = json_object_array_get_idx(result, i);
        struct json_object *err, *details;
        if (!r || !json_object_is_type(r, json_type_object)
            || !json_object_object_get_ex(r, "error", &err)
            || json_object_is_type(err, json_type_null)) {
            continue;
        }
        const char *e = json_object_get_string(err);
        struct json_object *op = (i < n_ops
                                  ? json_object_array_get_idx(ops, i + 1)
                                  : NULL);
        struct json_object *opname;
        if (!strcmp(e, "timed out") && op
            && json_object_object_get_ex(op, "op", &opname)
            && !strcmp(json_object_get_string(opname), "wait")) {
            return IDL_TXN_TRY_AGAIN;
        }
        if (json_object_object_get_ex(r, "details", &details)) {
            set_error(txn, xasprintf("transaction error: {\"details\":%s,"
                                     "\"error\":\"%s\"}",
                                     json_object_to_json_string(details), e));
        } else {
            set_error(txn, xasprintf("transaction error: {\"error\":\"%s\"}",
                                     e));
        }
        return IDL_TXN_ERROR;
    }

    /* Map inserted rows to the uuids the server gave them. */
    txn->insert_uuids = json_object_new_object();
    for (size_t i = 0; i < n_ops; i++) {
        struct json_object *op = json_object_array_get_idx(ops, i + 1);
        struct json_object *r = json_object_array_get_idx(result, i);
        struct json_object *name, *uuid, *rows;
        if (json_object_object_get_ex(op, "uuid-name", &name)
            && json_object_object_get_ex(r, "uuid", &uuid)
            && json_object_is_type(uuid, json_type_array)
            && json_object_array_length(uuid) == 2) {
            json_object_object_add(
                txn->insert_uuids, json_object_get_string(name),
                json_object_get(json_object_array_get_idx(uuid, 1)));
        }
        if (txn->inc_row && json_object_object_get_ex(r, "rows", &rows)
            && json_object_array_length(rows) == 1) {
            struct json_object *v;
            if (json_object_object_get_ex(json_object_array_get_idx(rows, 0),
                                          txn->inc_column->name, &v)) {
                txn->inc_new_value = json_object_get_int64(v);
            }
        }
    }
    return IDL_TXN_SUCCESS;
}

enum ovsdb_idl_txn_status
ovsdb_idl_txn_commit_block(struct ovsdb_idl_txn *txn, int timeout_ms)
{
    bool any_change;
    struct json_object *ops = build_ops(txn, &any_change);
    struct json_object *result;
    char *err;

    if (!any_change) {
        json_object_put(ops);
        return IDL_TXN_UNCHANGED;
    }
    int error = idl_request_block(txn->idl, "transact", json_object_get(ops),
                                  timeout_ms, &result, &err);
    if (error) {
        set_error(txn, err);
        json_object_put(ops);
        return IDL_TXN_ERROR;
    }
    enum ovsdb_idl_txn_status s = process_reply(txn, ops, result);
    json_object_put(result);
    json_object_put(ops);
    return s;
}

const char *
ovsdb_idl_txn_get_error(const struct ovsdb_idl_txn *txn)
{
    return txn->error ? txn->error : "no error";
}

long long
ovsdb_idl_txn_get_increment_new_value(const struct ovsdb_idl_txn *txn)
{
    return txn->inc_new_value;
}

const char *
ovsdb_idl_txn_get_insert_uuid(const struct ovsdb_idl_txn *txn,
                              const struct idl_row *row)
{
    struct json_object *u;
    char name[41];

    uuid_name(row->uuid, name);
    if (txn->insert_uuids
        && json_object_object_get_ex(txn->insert_uuids, name, &u)) {
        return json_object_get_string(u);
    }
    return NULL;
}

void
ovsdb_idl_txn_destroy(struct ovsdb_idl_txn *txn)
{
    struct idl_row *row, *next;

    if (!txn) {
        return;
    }
    VS_LIST_FOR_EACH_SAFE (row, next, txn_node, &txn->rows) {
        vs_list_remove(&row->txn_node);
        row->in_txn = false;
        row->deleted = false;
        if (row->set_adds) {
            for (size_t i = 0; i < row->table->n_columns; i++) {
                const struct ovsdb_type *ty = &row->table->columns[i].type;
                idl_datum_destroy(&row->set_adds[i], ty);
                idl_datum_destroy(&row->set_dels[i], ty);
            }
            free(row->set_adds);
            free(row->set_dels);
            row->set_adds = row->set_dels = NULL;
        }
        free(row->written);
        free(row->read);
        row->written = row->read = NULL;
        if (!row->old) {
            hmap_remove(&row->table->rows, &row->node);
            idl_row_free(row);
            continue;
        }
        if (row->new) {
            for (size_t i = 0; i < row->table->n_columns; i++) {
                idl_datum_destroy(&row->new[i], &row->table->columns[i].type);
            }
            free(row->new);
            row->new = NULL;
        }
    }
    txn->idl->txn = NULL;
    json_object_put(txn->insert_uuids);
    ds_destroy(&txn->comment);
    free(txn->error);
    free(txn);
}
