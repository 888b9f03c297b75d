#include <config.h>
#include "ovsdb/ovsdb-txn.h"

#include <string.h>

#include "dynamic-string.h"
#include "ovsdb/ovsdb.h"
#include "ovsdb/ovsdb-error.h"
#include "ovsdb/ovsdb-row.h"

#define BITS_PER_LONG (8 * sizeof(unsigned long))

struct ovsdb_txn *
ovsdb_txn_create(struct ovsdb *db)
{
    struct ovsdb_txn *txn = xzalloc(sizeof *txn);
    txn->db = db;
    vs_list_init(&txn->txn_rows);
    hmap_init(&txn->by_uuid);
    return txn;
}

void
ovsdb_txn_add_comment(struct ovsdb_txn *txn, const char *comment)
{
    if (txn->comment) {
        char *s = xasprintf("%s\n%s", txn->comment, comment);
        free(txn->comment);
        txn->comment = s;
    } else {
        txn->comment = xstrdup(comment);
    }
}

static const struct uuid *
txn_row_uuid(const struct ovsdb_txn_row *r)
{
    return ovsdb_row_get_uuid(r->old ? r->old : r->new);
}

static struct ovsdb_txn_row *
txn_row_create(struct ovsdb_txn *txn, struct ovsdb_table *table,
               struct ovsdb_row *old, struct ovsdb_row *new)
{
    struct ovsdb_txn_row *r = xzalloc(sizeof *r);
    r->table = table;
    r->old = old;
    r->new = new;
    r->n_refs = old ? (long long) old->n_refs : 0;
    if (old) {
        old->txn_row = r;
    }
    if (new) {
        new->txn_row = r;
    }
    vs_list_push_back(&txn->txn_rows, &r->node);
    hmap_insert(&txn->by_uuid, &r->hmap_node, uuid_hash(txn_row_uuid(r)));
    return r;
}

void
ovsdb_txn_row_insert(struct ovsdb_txn *txn, struct ovsdb_row *row)
{
    txn_row_create(txn, row->table, NULL, row);
    hmap_insert(&row->table->rows, &row->hmap_node,
                uuid_hash(ovsdb_row_get_uuid(row)));
}

struct ovsdb_row *
ovsdb_txn_row_modify(struct ovsdb_txn *txn, struct ovsdb_row *row)
{
    struct ovsdb_txn_row *r = row->txn_row;
    if (r && r->new == row && r->old != row) {
        return row;             /* Inserted or already a private copy. */
    }
    struct ovsdb_row *copy = ovsdb_row_clone(row);
    if (r) {
        r->new = copy;          /* Was a references-only entry. */
        copy->txn_row = r;
    } else {
        txn_row_create(txn, row->table, row, copy);
    }
    hmap_replace(&row->table->rows, &row->hmap_node, &copy->hmap_node);
    return copy;
}

void
ovsdb_txn_row_delete(struct ovsdb_txn *txn, struct ovsdb_row *row)
{
    struct ovsdb_txn_row *r = row->txn_row;
    hmap_remove(&row->table->rows, &row->hmap_node);
    if (!r) {
        txn_row_create(txn, row->table, row, NULL);
        return;
    }
    if (r->new != r->old) {
        ovsdb_row_destroy(r->new);
    }
    r->new = NULL;
}

static void
txn_destroy(struct ovsdb_txn *txn)
{
    struct ovsdb_txn_row *r;
    VS_LIST_FOR_EACH_POP (r, node, &txn->txn_rows) {
        free(r->changed);
        free(r);
    }
    hmap_destroy(&txn->by_uuid);
    free(txn->comment);
    free(txn);
}

void
ovsdb_txn_abort(struct ovsdb_txn *txn)
{
    struct ovsdb_txn_row *r;
    VS_LIST_FOR_EACH_REVERSE (r, node, &txn->txn_rows) {
        if (r->new && r->new != r->old) {
            hmap_remove(&r->table->rows, &r->new->hmap_node);
            ovsdb_row_destroy(r->new);
        }
        if (r->old) {
            if (r->new != r->old) {
                hmap_insert(&r->table->rows, &r->old->hmap_node,
                            uuid_hash(ovsdb_row_get_uuid(r->old)));
            }
            r->old->txn_row = NULL;
        }
    }
    txn_destroy(txn);
}

static struct ovsdb_table *
table_for_schema(const struct ovsdb *db, const struct ovsdb_table_schema *ts)
{
    for (size_t i = 0; i < db->schema->n_tables; i++) {
        if (db->schema->tables[i] == ts) {
            return db->tables[i];
        }
    }
    return NULL;
}

/* The txn_row of a row that this transaction deleted, or NULL. */
static struct ovsdb_txn_row *
find_deleted(const struct ovsdb_txn *txn, const struct ovsdb_table *table,
             const struct uuid *uuid)
{
    struct ovsdb_txn_row *r;
    HMAP_FOR_EACH_WITH_HASH (r, hmap_node, uuid_hash(uuid), &txn->by_uuid) {
        if (r->table == table && r->old && !r->new
            && uuid_equals(ovsdb_row_get_uuid(r->old), uuid)) {
            return r;
        }
    }
    return NULL;
}

static struct ovsdb_error *
adjust_ref(struct ovsdb_txn *txn, const struct ovsdb_row *src,
           const struct ovsdb_column *c, const struct ovsdb_base_type *base,
           const struct uuid *uuid, int delta)
{
    struct ovsdb_table *dst_table = table_for_schema(txn->db, base->uuid.ref_table);
    struct ovsdb_row *dst = ovsdb_table_get_row(dst_table, uuid);
    struct ovsdb_txn_row *r;

    if (dst) {
        r = dst->txn_row ? dst->txn_row : txn_row_create(txn, dst_table, dst, dst);
    } else {
        r = find_deleted(txn, dst_table, uuid);
        if (!r && delta > 0) {
            char s[UUID_LEN + 1], d[UUID_LEN + 1];
            uuid_format(ovsdb_row_get_uuid(src), s);
            uuid_format(uuid, d);
            return ovsdb_error("referential integrity violation",
                               "Table %s column %s row %s references nonexistent "
                               "row %s in table %s.", src->table->schema->name,
                               c->name, s, d, dst_table->schema->name);
        }
        if (!r) {
            return NULL;
        }
        if (delta > 0) {
            char d[UUID_LEN + 1];
            uuid_format(uuid, d);
            return ovsdb_error("referential integrity violation",
                               "Table %s column %s refers to row %s in table %s, "
                               "which this transaction deletes.",
                               src->table->schema->name, c->name, d,
                               dst_table->schema->name);
        }
    }
    r->n_refs += delta;
    return NULL;
}

/* Adds 'delta' to the reference count of every row 'row' strongly refers to. */
static struct ovsdb_error *
adjust_row_refs(struct ovsdb_txn *txn, const struct ovsdb_row *row, int delta)
{
    const struct ovsdb_table_schema *ts = row->table->schema;
    if (!ts->has_refs) {
        return NULL;
    }
    for (size_t i = OVSDB_N_FIXED_COLUMNS; i < ts->n_columns; i++) {
        const struct ovsdb_column *c = ts->columns[i];
        const struct ovsdb_datum *d = &row->fields[i];
        struct ovsdb_error *error;
        if (ovsdb_base_type_is_strong_ref(&c->type.key)) {
            for (unsigned int j = 0; j < d->n; j++) {
                error = adjust_ref(txn, row, c, &c->type.key, &d->keys[j].uuid, delta);
                if (error) {
                    return error;
                }
            }
        }
        if (ovsdb_base_type_is_strong_ref(&c->type.value)) {
            for (unsigned int j = 0; j < d->n; j++) {
                error = adjust_ref(txn, row, c, &c->type.value, &d->values[j].uuid, delta);
                if (error) {
                    return error;
                }
            }
        }
    }
    return NULL;
}

static struct ovsdb_error *
update_ref_counts(struct ovsdb_txn *txn)
{
    struct ovsdb_txn_row *r;
    /* Entries appended meanwhile are references-only and need no visit. */
    struct ovsdb_txn_row *last = vs_list_is_empty(&txn->txn_rows) ? NULL
        : CONTAINER_OF(vs_list_back(&txn->txn_rows), struct ovsdb_txn_row, node);
    VS_LIST_FOR_EACH (r, node, &txn->txn_rows) {
        if (r->old != r->new) {
            struct ovsdb_error *error = NULL;
            if (r->old) {
                error = adjust_row_refs(txn, r->old, -1);
            }
            if (!error && r->new) {
                error = adjust_row_refs(txn, r->new, 1);
            }
            if (error) {
                return error;
            }
        }
        if (r == last) {
            break;
        }
    }
    VS_LIST_FOR_EACH (r, node, &txn->txn_rows) {
        if (r->old && !r->new && r->n_refs > 0) {
            char u[UUID_LEN + 1];
            uuid_format(ovsdb_row_get_uuid(r->old), u);
            return ovsdb_error("referential integrity violation",
                               "cannot delete %s row %s because of %lld remaining "
                               "reference(s)", r->table->schema->name, u, r->n_refs);
        }
    }
    return NULL;
}

/* Deletes rows of non-root tables that nothing refers to any more. */
static void
collect_garbage(struct ovsdb_txn *txn)
{
    bool again;
    do {
        struct ovsdb_txn_row *r;
        again = false;
        VS_LIST_FOR_EACH (r, node, &txn->txn_rows) {
            if (r->new && !r->table->schema->is_root && r->n_refs <= 0) {
                struct ovsdb_error *error = adjust_row_refs(txn, r->new, -1);
                vs_assert(!error);
                ovsdb_txn_row_delete(txn, r->new);
                again = true;
            }
        }
    } while (again);
}

/* Removes from 'row' (a private working copy) the weak references in
 * column 'c' for which 'dead' returns true. */
static void
prune_weak_column(struct ovsdb_txn *txn, struct ovsdb_row *row,
                  const struct ovsdb_column *c,
                  bool (*dead)(const struct ovsdb_txn *, const struct ovsdb_base_type *,
                               const struct uuid *))
{
    struct ovsdb_datum *d = &row->fields[c->index];
    for (unsigned int j = d->n; j-- > 0;) {
        if ((ovsdb_base_type_is_weak_ref(&c->type.key)
             && dead(txn, &c->type.key, &d->keys[j].uuid))
            || (ovsdb_base_type_is_weak_ref(&c->type.value)
                && dead(txn, &c->type.value, &d->values[j].uuid))) {
            ovsdb_datum_remove(d, j, &c->type);
        }
    }
}

static bool
target_missing(const struct ovsdb_txn *txn, const struct ovsdb_base_type *base,
               const struct uuid *uuid)
{
    return !ovsdb_table_get_row(table_for_schema(txn->db, base->uuid.ref_table), uuid);
}

static bool
column_has_weak(const struct ovsdb_column *c)
{
    return ovsdb_base_type_is_weak_ref(&c->type.key)
           || ovsdb_base_type_is_weak_ref(&c->type.value);
}

static bool
datum_refers_missing(const struct ovsdb_txn *txn, const struct ovsdb_column *c,
                     const struct ovsdb_datum *d)
{
    for (unsigned int j = 0; j < d->n; j++) {
        if ((ovsdb_base_type_is_weak_ref(&c->type.key)
             && target_missing(txn, &c->type.key, &d->keys[j].uuid))
            || (ovsdb_base_type_is_weak_ref(&c->type.value)
                && target_missing(txn, &c->type.value, &d->values[j].uuid))) {
            return true;
        }
    }
    return false;
}

static void
prune_weak_refs(struct ovsdb_txn *txn)
{
    struct ovsdb_txn_row *r;
    bool any_deleted = false;

    /* New and changed rows may not keep references to missing rows. */
    VS_LIST_FOR_EACH (r, node, &txn->txn_rows) {
        any_deleted |= r->old && !r->new;
        if (r->new && r->new != r->old) {
            const struct ovsdb_table_schema *ts = r->table->schema;
            for (size_t i = OVSDB_N_FIXED_COLUMNS; i < ts->n_columns; i++) {
                if (column_has_weak(ts->columns[i])) {
                    prune_weak_column(txn, r->new, ts->columns[i], target_missing);
                }
            }
        }
    }
    if (!any_deleted) {
        return;
    }
    /* Rows that refer weakly to deleted rows lose those references. */
    const struct ovsdb_schema *schema = txn->db->schema;
    for (size_t t = 0; t < schema->n_tables; t++) {
        const struct ovsdb_table_schema *ts = schema->tables[t];
        struct ovsdb_table *table = txn->db->tables[t];
        for (size_t i = OVSDB_N_FIXED_COLUMNS; i < ts->n_columns; i++) {
            const struct ovsdb_column *c = ts->columns[i];
            struct ovsdb_row *row, *next;
            if (!column_has_weak(c)) {
                continue;
            }
            HMAP_FOR_EACH_SAFE (row, next, hmap_node, &table->rows) {
                if (datum_refers_missing(txn, c, &row->fields[i])) {
                    struct ovsdb_row *copy = ovsdb_txn_row_modify(txn, row);
                    prune_weak_column(txn, copy, c, target_missing);
                }
            }
        }
    }
}

static struct ovsdb_error *
check_sizes(struct ovsdb_txn *txn)
{
    struct ovsdb_txn_row *r;
    VS_LIST_FOR_EACH (r, node, &txn->txn_rows) {
        if (!r->new || r->new == r->old) {
            continue;
        }
        const struct ovsdb_table_schema *ts = r->table->schema;
        for (size_t i = OVSDB_N_FIXED_COLUMNS; i < ts->n_columns; i++) {
            const struct ovsdb_column *c = ts->columns[i];
            unsigned int n = r->new->fields[i].n;
            if (n < c->type.n_min || n > c->type.n_max) {
                char u[UUID_LEN + 1];
                uuid_format(ovsdb_row_get_uuid(r->new), u);
                return ovsdb_error("constraint violation",
                                   "%s column %s of row %s has %u values, outside "
                                   "its allowed range", ts->name, c->name, u, n);
            }
        }
        if (hmap_count(&r->table->rows) > ts->max_rows) {
            return ovsdb_error("constraint violation",
                               "transaction causes \"%s\" table to contain %zu "
                               "rows, greater than the schema-defined limit of %u "
                               "row(s)", ts->name, hmap_count(&r->table->rows),
                               ts->max_rows);
        }
    }
    return NULL;
}

static struct ovsdb_error *
index_error(const struct ovsdb_table_schema *ts, const struct ovsdb_column_set *idx,
            const struct ovsdb_row *a)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    for (size_t i = 0; i < idx->n; i++) {
        if (i) {
            ds_put_cstr(&s, ", ");
        }
        ds_put_format(&s, "%s=", idx->columns[i]->name);
        ovsdb_datum_to_string(&a->fields[idx->columns[i]->index],
                              &idx->columns[i]->type, &s);
    }
    struct ovsdb_error *error = ovsdb_error(
        "constraint violation",
        "Transaction causes multiple rows in \"%s\" table to have identical "
        "values (%s) for index on column%s.", ts->name, ds_cstr(&s),
        idx->n > 1 ? "s" : "");
    ds_destroy(&s);
    return error;
}

struct index_probe {
    struct hmap_node node;
    const struct ovsdb_row *row;
};

static struct ovsdb_error *
check_indexes(struct ovsdb_txn *txn)
{
    const struct ovsdb_schema *schema = txn->db->schema;
    struct ovsdb_error *error = NULL;

    for (size_t t = 0; t < schema->n_tables && !error; t++) {
        const struct ovsdb_table_schema *ts = schema->tables[t];
        struct ovsdb_table *table = txn->db->tables[t];
        for (size_t k = 0; k < ts->n_indexes && !error; k++) {
            const struct ovsdb_column_set *idx = &ts->indexes[k];
            struct hmap probes = HMAP_INITIALIZER(&probes);
            struct ovsdb_txn_row *r;
            VS_LIST_FOR_EACH (r, node, &txn->txn_rows) {
                if (r->table != table || !r->new || r->new == r->old) {
                    continue;
                }
                uint32_t hash = ovsdb_row_hash_columns(r->new, idx, 0);
                /* Against committed rows this transaction leaves alone. */
                struct hmap_node *node;
                for (node = hmap_first_with_hash(&table->indexes[k], hash); node;
                     node = hmap_next_with_hash(node)) {
                    const struct ovsdb_row *c = ovsdb_row_from_index_node(node, k);
                    if (c->txn_row && c->txn_row->new != c) {
                        continue;       /* Changed or deleted: see probes. */
                    }
                    if (ovsdb_row_equal_columns(c, r->new, idx)) {
                        error = index_error(ts, idx, r->new);
                        goto done;
                    }
                }
                /* Against the other rows this transaction writes. */
                struct index_probe *p;
                HMAP_FOR_EACH_WITH_HASH (p, node, hash, &probes) {
                    if (ovsdb_row_equal_columns(p->row, r->new, idx)) {
                        error = index_error(ts, idx, r->new);
                        goto done;
                    }
                }
                p = xmalloc(sizeof *p);
                p->row = r->new;
                hmap_insert(&probes, &p->node, hash);
            }
        done:;
            struct index_probe *p, *next_p;
            HMAP_FOR_EACH_SAFE (p, next_p, node, &probes) {
                free(p);
            }
            hmap_destroy(&probes);
        }
    }
    return error;
}

/* Fills in 'changed' for each entry; drops no-op modifications' versions. */
static void
compute_changes(struct ovsdb_txn *txn)
{
    struct ovsdb_txn_row *r;
    VS_LIST_FOR_EACH (r, node, &txn->txn_rows) {
        const struct ovsdb_table_schema *ts = r->table->schema;
        size_t n_longs = DIV_ROUND_UP(ts->n_columns, BITS_PER_LONG);
        bool any = false;

        free(r->changed);
        r->changed = xcalloc(n_longs, sizeof *r->changed);
        if (r->old == r->new) {
            continue;
        }
        for (size_t i = OVSDB_N_FIXED_COLUMNS; i < ts->n_columns; i++) {
            const struct ovsdb_column *c = ts->columns[i];
            if (!r->old || !r->new
                || !ovsdb_datum_equals(&r->old->fields[i], &r->new->fields[i], &c->type)) {
                r->changed[i / BITS_PER_LONG] |= 1UL << (i % BITS_PER_LONG);
                any = true;
            }
        }
        if (r->new && (any || !r->old)) {
            struct uuid version;
            uuid_generate(&version);
            r->new->fields[OVSDB_COL_VERSION].keys[0].uuid = version;
            r->changed[0] |= 1UL << OVSDB_COL_VERSION;
        }
        if (!r->old || !r->new) {
            r->changed[0] |= 1UL << OVSDB_COL_UUID;
        }
    }
}

static bool
txn_row_changed(const struct ovsdb_txn_row *r)
{
    if (r->old == r->new) {
        return false;
    }
    if (!r->old || !r->new) {
        return true;
    }
    return bitmap_is_set(r->changed, OVSDB_COL_VERSION);
}

bool
ovsdb_txn_is_empty(const struct ovsdb_txn *txn)
{
    struct ovsdb_txn_row *r;
    VS_LIST_FOR_EACH (r, node, &txn->txn_rows) {
        if (txn_row_changed(r)) {
            return false;
        }
    }
    return true;
}

void
ovsdb_txn_for_each_change(const struct ovsdb_txn *txn, ovsdb_txn_change_cb *cb,
                          void *aux)
{
    struct ovsdb_txn_row *r;
    VS_LIST_FOR_EACH (r, node, &txn->txn_rows) {
        if (txn_row_changed(r)) {
            cb(r->old, r->new, r->changed, aux);
        }
    }
}

static void
apply(struct ovsdb_txn *txn)
{
    struct ovsdb_txn_row *r;
    /* Old versions leave the indexes before new ones enter them, since an
     * index hash can move from one row to another. */
    VS_LIST_FOR_EACH (r, node, &txn->txn_rows) {
        if (r->old && r->old != r->new) {
            for (size_t k = 0; k < r->table->schema->n_indexes; k++) {
                hmap_remove(&r->table->indexes[k], &r->old->index_nodes[k]);
            }
        }
    }
    VS_LIST_FOR_EACH (r, node, &txn->txn_rows) {
        if (r->new) {
            if (r->new != r->old) {
                const struct ovsdb_table_schema *ts = r->table->schema;
                for (size_t k = 0; k < ts->n_indexes; k++) {
                    hmap_insert(&r->table->indexes[k], &r->new->index_nodes[k],
                                ovsdb_row_hash_columns(r->new, &ts->indexes[k], 0));
                }
            }
            r->new->n_refs = r->n_refs;
            r->new->txn_row = NULL;
        }
        if (r->old && r->old != r->new) {
            ovsdb_row_destroy(r->old);
        }
    }
}

struct ovsdb_error *
ovsdb_txn_commit(struct ovsdb_txn *txn, bool durable)
{
    struct ovsdb_error *error = update_ref_counts(txn);
    if (!error) {
        collect_garbage(txn);
        prune_weak_refs(txn);
        error = check_sizes(txn);
    }
    if (!error) {
        error = check_indexes(txn);
    }
    if (error) {
        ovsdb_txn_abort(txn);
        return error;
    }
    compute_changes(txn);
    if (!ovsdb_txn_is_empty(txn) || durable) {
        struct ovsdb_replica *replica;
        VS_LIST_FOR_EACH (replica, node, &txn->db->replicas) {
            error = replica->class->commit(replica, txn, durable);
            if (error) {
                ovsdb_txn_abort(txn);
                return error;
            }
        }
        txn->db->n_commits++;
    }
    apply(txn);
    txn_destroy(txn);
    return NULL;
}
