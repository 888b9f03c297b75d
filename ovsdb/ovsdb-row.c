#include <config.h>
#include "ovsdb/ovsdb-row.h"

#include <string.h>

#include "ovsdb/ovsdb.h"
#include "ovsdb/ovsdb-error.h"

static struct ovsdb_row *
row_alloc(struct ovsdb_table *table)
{
    const struct ovsdb_table_schema *ts = table->schema;
    size_t size = (sizeof(struct ovsdb_row)
                   + ts->n_columns * sizeof(struct ovsdb_datum)
                   + sizeof(struct ovsdb_row *)
                   + ts->n_indexes * sizeof(struct hmap_node));
    struct ovsdb_row *row = xmalloc(size);
    row->table = table;
    row->txn_row = NULL;
    row->n_refs = 0;
    /* See ovsdb_row_from_index_node() for this layout. */
    struct ovsdb_row **back = (struct ovsdb_row **) &row->fields[ts->n_columns];
    *back = row;
    row->index_nodes = (struct hmap_node *) (back + 1);
    return row;
}

struct ovsdb_row *
ovsdb_row_create(struct ovsdb_table *table)
{
    struct ovsdb_row *row = row_alloc(table);
    for (size_t i = 0; i < table->schema->n_columns; i++) {
        ovsdb_datum_init_default(&row->fields[i], &table->schema->columns[i]->type);
    }
    return row;
}

struct ovsdb_row *
ovsdb_row_clone(const struct ovsdb_row *old)
{
    struct ovsdb_row *row = row_alloc(old->table);
    for (size_t i = 0; i < old->table->schema->n_columns; i++) {
        ovsdb_datum_clone(&row->fields[i], &old->fields[i],
                          &old->table->schema->columns[i]->type);
    }
    row->n_refs = old->n_refs;
    return row;
}

void
ovsdb_row_destroy(struct ovsdb_row *row)
{
    if (!row) {
        return;
    }
    for (size_t i = 0; i < row->table->schema->n_columns; i++) {
        ovsdb_datum_destroy(&row->fields[i], &row->table->schema->columns[i]->type);
    }
    free(row);
}

void
ovsdb_row_set_uuid(struct ovsdb_row *row, const struct uuid *uuid)
{
    row->fields[OVSDB_COL_UUID].keys[0].uuid = *uuid;
}

struct ovsdb_error *
ovsdb_row_from_json(struct ovsdb_row *row, struct json_object *json,
                    struct ovsdb_symbol_table *symtab,
                    struct ovsdb_column_set *columns, bool allow_ro)
{
    const struct ovsdb_table_schema *ts = row->table->schema;

    if (!json_object_is_type(json, json_type_object)) {
        return ovsdb_syntax_error(json, "row must be a JSON object");
    }
    json_object_object_foreach(json, name, value) {
        const struct ovsdb_column *c = ovsdb_table_schema_find_column(ts, name);
        struct ovsdb_datum datum;
        struct ovsdb_error *error;

        if (!c) {
            return ovsdb_error("unknown column", "No column %s in table %s.",
                               name, ts->name);
        }
        if (!allow_ro && c->index < OVSDB_N_FIXED_COLUMNS) {
            return ovsdb_error("constraint violation",
                               "Cannot set read-only column %s.", name);
        }
        error = ovsdb_datum_from_json(&datum, &c->type, value, symtab);
        if (error) {
            ovsdb_error_prefix(error, "column %s", name);
            return error;
        }
        ovsdb_datum_swap(&row->fields[c->index], &datum);
        ovsdb_datum_destroy(&datum, &c->type);
        if (columns) {
            ovsdb_column_set_add(columns, c);
        }
    }
    return NULL;
}

struct json_object *
ovsdb_row_to_json(const struct ovsdb_row *row, const struct ovsdb_column_set *columns)
{
    const struct ovsdb_table_schema *ts = row->table->schema;
    struct json_object *obj = json_object_new_object();
    size_t n = columns ? columns->n : ts->n_columns;
    for (size_t i = 0; i < n; i++) {
        const struct ovsdb_column *c = columns ? columns->columns[i] : ts->columns[i];
        json_object_object_add(obj, c->name,
                               ovsdb_datum_to_json(&row->fields[c->index], &c->type));
    }
    return obj;
}

uint32_t
ovsdb_row_hash_columns(const struct ovsdb_row *row,
                       const struct ovsdb_column_set *columns, uint32_t basis)
{
    for (size_t i = 0; i < columns->n; i++) {
        const struct ovsdb_column *c = columns->columns[i];
        basis = ovsdb_datum_hash(&row->fields[c->index], &c->type, basis);
    }
    return basis;
}

bool
ovsdb_row_equal_columns(const struct ovsdb_row *a, const struct ovsdb_row *b,
                        const struct ovsdb_column_set *columns)
{
    for (size_t i = 0; i < columns->n; i++) {
        const struct ovsdb_column *c = columns->columns[i];
        if (!ovsdb_datum_equals(&a->fields[c->index], &b->fields[c->index], &c->type)) {
            return false;
        }
    }
    return true;
}

void
ovsdb_column_set_init(struct ovsdb_column_set *set)
{
    set->columns = NULL;
    set->n = 0;
}

bool
ovsdb_column_set_contains(const struct ovsdb_column_set *set, unsigned int index)
{
    for (size_t i = 0; i < set->n; i++) {
        if (set->columns[i]->index == index) {
            return true;
        }
    }
    return false;
}

void
ovsdb_column_set_add(struct ovsdb_column_set *set, const struct ovsdb_column *c)
{
    if (ovsdb_column_set_contains(set, c->index)) {
        return;
    }
    set->columns = xrealloc(set->columns, (set->n + 1) * sizeof *set->columns);
    set->columns[set->n++] = c;
}

void
ovsdb_column_set_add_all(struct ovsdb_column_set *set,
                         const struct ovsdb_table_schema *ts)
{
    for (size_t i = 0; i < ts->n_columns; i++) {
        ovsdb_column_set_add(set, ts->columns[i]);
    }
}

struct ovsdb_error *
ovsdb_column_set_from_json(struct json_object *json,
                           const struct ovsdb_table_schema *ts,
                           struct ovsdb_column_set *set)
{
    ovsdb_column_set_init(set);
    if (!json) {
        ovsdb_column_set_add_all(set, ts);
        return NULL;
    }
    if (!json_object_is_type(json, json_type_array)) {
        return ovsdb_syntax_error(json, "array of column names expected");
    }
    for (size_t i = 0; i < json_object_array_length(json); i++) {
        struct json_object *e = json_object_array_get_idx(json, i);
        const struct ovsdb_column *c;
        if (!json_object_is_type(e, json_type_string)) {
            ovsdb_column_set_destroy(set);
            return ovsdb_syntax_error(json, "array of column names expected");
        }
        c = ovsdb_table_schema_find_column(ts, json_object_get_string(e));
        if (!c) {
            ovsdb_column_set_destroy(set);
            return ovsdb_error("unknown column", "%s is not a column in table %s",
                               json_object_get_string(e), ts->name);
        }
        ovsdb_column_set_add(set, c);
    }
    return NULL;
}
