#include <config.h>
#include "ovsdb/ovsdb-schema.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "ovsdb/ovsdb-datum.h"
#include "ovsdb/ovsdb-error.h"

static bool
is_valid_id(const char *s)
{
    if (!isalpha((unsigned char) *s) && *s != '_') {
        return false;
    }
    for (s++; *s; s++) {
        if (!isalnum((unsigned char) *s) && *s != '_') {
            return false;
        }
    }
    return true;
}

bool
ovsdb_version_parse(const char *s, int *x, int *y, int *z)
{
    int n = 0;
    if (!s || sscanf(s, "%d.%d.%d%n", x, y, z, &n) != 3 || s[n]
        || *x < 0 || *y < 0 || *z < 0 || !isdigit((unsigned char) s[0])) {
        return false;
    }
    return true;
}

static struct ovsdb_column *
column_create(const char *name, unsigned int index, bool mutable, bool persistent,
              const struct ovsdb_type *type)
{
    struct ovsdb_column *c = xzalloc(sizeof *c);
    c->name = xstrdup(name);
    c->index = index;
    c->mutable = mutable;
    c->persistent = persistent;
    c->type = *type;
    return c;
}

static void
column_destroy(struct ovsdb_column *c)
{
    if (c) {
        ovsdb_type_destroy(&c->type);
        free(c->name);
        free(c);
    }
}

void
ovsdb_column_set_destroy(struct ovsdb_column_set *set)
{
    free(set->columns);
    set->columns = NULL;
    set->n = 0;
}

static void
table_schema_destroy(struct ovsdb_table_schema *ts)
{
    if (!ts) {
        return;
    }
    for (size_t i = 0; i < ts->n_columns; i++) {
        column_destroy(ts->columns[i]);
    }
    free(ts->columns);
    for (size_t i = 0; i < ts->n_indexes; i++) {
        ovsdb_column_set_destroy(&ts->indexes[i]);
    }
    free(ts->indexes);
    free(ts->name);
    free(ts);
}

const struct ovsdb_column *
ovsdb_table_schema_find_column(const struct ovsdb_table_schema *ts,
                               const char *name)
{
    for (size_t i = 0; i < ts->n_columns; i++) {
        if (!strcmp(ts->columns[i]->name, name)) {
            return ts->columns[i];
        }
    }
    return NULL;
}

struct ovsdb_table_schema *
ovsdb_schema_find_table(const struct ovsdb_schema *schema, const char *name)
{
    for (size_t i = 0; i < schema->n_tables; i++) {
        if (!strcmp(schema->tables[i]->name, name)) {
            return schema->tables[i];
        }
    }
    return NULL;
}

static struct ovsdb_error *
column_from_json(const char *name, unsigned int index, struct json_object *json,
                 struct ovsdb_column **out)
{
    struct json_object *type_json, *v;
    struct ovsdb_type type;
    bool mutable = true, persistent = true;
    struct ovsdb_error *error;

    if (!json_object_is_type(json, json_type_object)) {
        return ovsdb_syntax_error(json, "column \"%s\" must be an object", name);
    }
    json_object_object_foreach(json, key, val_unused) {
        (void) val_unused;
        if (strcmp(key, "type") && strcmp(key, "ephemeral")
            && strcmp(key, "mutable")) {
            return ovsdb_syntax_error(json, "unknown member \"%s\" in column", key);
        }
    }
    if (!json_object_object_get_ex(json, "type", &type_json)) {
        return ovsdb_syntax_error(json, "column \"%s\" has no \"type\"", name);
    }
    if (json_object_object_get_ex(json, "ephemeral", &v)) {
        if (!json_object_is_type(v, json_type_boolean)) {
            return ovsdb_syntax_error(json, "\"ephemeral\" must be a boolean");
        }
        persistent = !json_object_get_boolean(v);
    }
    if (json_object_object_get_ex(json, "mutable", &v)) {
        if (!json_object_is_type(v, json_type_boolean)) {
            return ovsdb_syntax_error(json, "\"mutable\" must be a boolean");
        }
        mutable = json_object_get_boolean(v);
    }
    error = ovsdb_type_from_json(&type, type_json);
    if (error) {
        ovsdb_error_prefix(error, "column \"%s\"", name);
        return error;
    }
    *out = column_create(name, index, mutable, persistent, &type);
    return NULL;
}

static void
add_column(struct ovsdb_table_schema *ts, struct ovsdb_column *c)
{
    ts->columns = xrealloc(ts->columns, (ts->n_columns + 1) * sizeof *ts->columns);
    ts->columns[ts->n_columns++] = c;
}

static struct ovsdb_table_schema *
table_schema_create(const char *name)
{
    struct ovsdb_table_schema *ts = xzalloc(sizeof *ts);
    ts->name = xstrdup(name);
    ts->max_rows = UINT_MAX;

    struct ovsdb_type uuid_type = ovsdb_type_scalar(OVSDB_TYPE_UUID);
    add_column(ts, column_create("_uuid", OVSDB_COL_UUID, false, true, &uuid_type));
    add_column(ts, column_create("_version", OVSDB_COL_VERSION, false, false,
                                 &uuid_type));
    return ts;
}

static struct ovsdb_error *
table_from_json(const char *name, struct json_object *json,
                struct ovsdb_table_schema **out, bool *root_given)
{
    struct json_object *columns, *v;
    struct ovsdb_error *error;

    *root_given = false;
    if (!json_object_is_type(json, json_type_object)) {
        return ovsdb_syntax_error(json, "table \"%s\" must be an object", name);
    }
    json_object_object_foreach(json, key, val_unused) {
        (void) val_unused;
        if (strcmp(key, "columns") && strcmp(key, "maxRows")
            && strcmp(key, "isRoot") && strcmp(key, "indexes")) {
            return ovsdb_syntax_error(json, "unknown member \"%s\" in table", key);
        }
    }
    if (!json_object_object_get_ex(json, "columns", &columns)
        || !json_object_is_type(columns, json_type_object)
        || !json_object_object_length(columns)) {
        return ovsdb_syntax_error(json, "table \"%s\" needs a non-empty \"columns\" object",
                                  name);
    }

    struct ovsdb_table_schema *ts = table_schema_create(name);
    if (json_object_object_get_ex(json, "maxRows", &v)) {
        if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 1
            || json_object_get_int64(v) > UINT_MAX) {
            error = ovsdb_syntax_error(json, "\"maxRows\" must be a positive integer");
            goto fail;
        }
        ts->max_rows = json_object_get_int64(v);
    }
    if (json_object_object_get_ex(json, "isRoot", &v)) {
        if (!json_object_is_type(v, json_type_boolean)) {
            error = ovsdb_syntax_error(json, "\"isRoot\" must be a boolean");
            goto fail;
        }
        ts->is_root = json_object_get_boolean(v);
        *root_given = true;
    }
    json_object_object_foreach(columns, cname, cjson) {
        struct ovsdb_column *c = NULL;
        if (!is_valid_id(cname) || cname[0] == '_') {
            error = ovsdb_syntax_error(json, "\"%s\" is not a valid column name", cname);
            goto fail;
        }
        error = column_from_json(cname, ts->n_columns, cjson, &c);
        if (error) {
            goto fail;
        }
        add_column(ts, c);
    }
    if (json_object_object_get_ex(json, "indexes", &v)) {
        if (!json_object_is_type(v, json_type_array)) {
            error = ovsdb_syntax_error(json, "\"indexes\" must be an array");
            goto fail;
        }
        size_t n = json_object_array_length(v);
        ts->indexes = xcalloc(n ? n : 1, sizeof *ts->indexes);
        for (size_t i = 0; i < n; i++) {
            struct json_object *idx = json_object_array_get_idx(v, i);
            struct ovsdb_column_set *set = &ts->indexes[ts->n_indexes++];
            if (!json_object_is_type(idx, json_type_array)
                || !json_object_array_length(idx)) {
                error = ovsdb_syntax_error(idx, "index must be a non-empty array of column names");
                goto fail;
            }
            set->columns = xcalloc(json_object_array_length(idx), sizeof *set->columns);
            for (size_t j = 0; j < json_object_array_length(idx); j++) {
                struct json_object *cn = json_object_array_get_idx(idx, j);
                const struct ovsdb_column *c = json_object_is_type(cn, json_type_string)
                    ? ovsdb_table_schema_find_column(ts, json_object_get_string(cn))
                    : NULL;
                if (!c) {
                    error = ovsdb_syntax_error(idx, "index names an unknown column");
                    goto fail;
                }
                if (!c->persistent) {
                    error = ovsdb_syntax_error(idx, "ephemeral column \"%s\" may not be indexed",
                                               c->name);
                    goto fail;
                }
                set->columns[set->n++] = c;
            }
        }
    }
    *out = ts;
    return NULL;

fail:
    table_schema_destroy(ts);
    return error;
}

/* Resolves refTable names to table schemas and checks they exist. */
static struct ovsdb_error *
resolve_base_ref(struct ovsdb_schema *schema, struct ovsdb_table_schema *ts,
                 struct ovsdb_column *c, struct ovsdb_base_type *base)
{
    if (!ovsdb_base_type_is_ref(base)) {
        return NULL;
    }
    base->uuid.ref_table = ovsdb_schema_find_table(schema, base->uuid.ref_table_name);
    if (!base->uuid.ref_table) {
        return ovsdb_syntax_error(NULL, "column \"%s\" of table \"%s\" refers to "
                                  "undefined table \"%s\"", c->name, ts->name,
                                  base->uuid.ref_table_name);
    }
    ts->has_refs = true;
    return NULL;
}

struct ovsdb_error *
ovsdb_schema_from_json(struct json_object *json, struct ovsdb_schema **out)
{
    struct json_object *name, *version, *cksum, *tables;
    struct ovsdb_error *error = NULL;
    int x, y, z;

    *out = NULL;
    if (!json_object_is_type(json, json_type_object)) {
        return ovsdb_syntax_error(json, "database schema must be an object");
    }
    json_object_object_foreach(json, key, val_unused) {
        (void) val_unused;
        if (strcmp(key, "name") && strcmp(key, "version") && strcmp(key, "cksum")
            && strcmp(key, "tables") && strcmp(key, "doc")) {
            return ovsdb_syntax_error(json, "unknown member \"%s\" in schema", key);
        }
    }
    if (!json_object_object_get_ex(json, "name", &name)
        || !json_object_is_type(name, json_type_string)
        || !is_valid_id(json_object_get_string(name))) {
        return ovsdb_syntax_error(json, "schema needs a valid \"name\"");
    }
    if (!json_object_object_get_ex(json, "version", &version)
        || !json_object_is_type(version, json_type_string)
        || !ovsdb_version_parse(json_object_get_string(version), &x, &y, &z)) {
        return ovsdb_syntax_error(json, "schema needs \"version\" of the form x.y.z");
    }
    if (json_object_object_get_ex(json, "cksum", &cksum)
        && !json_object_is_type(cksum, json_type_string)) {
        return ovsdb_syntax_error(json, "\"cksum\" must be a string");
    }
    if (!json_object_object_get_ex(json, "tables", &tables)
        || !json_object_is_type(tables, json_type_object)) {
        return ovsdb_syntax_error(json, "schema needs a \"tables\" object");
    }

    struct ovsdb_schema *schema = xzalloc(sizeof *schema);
    schema->name = xstrdup(json_object_get_string(name));
    schema->version = xstrdup(json_object_get_string(version));
    schema->cksum = (json_object_object_get_ex(json, "cksum", &cksum)
                     ? xstrdup(json_object_get_string(cksum)) : NULL);
    bool any_root = false;
    json_object_object_foreach(tables, tname, tjson) {
        struct ovsdb_table_schema *ts = NULL;
        bool root_given;
        if (!is_valid_id(tname) || tname[0] == '_') {
            if (strcmp(schema->name, "_Server")) {
                error = ovsdb_syntax_error(NULL, "\"%s\" is not a valid table name", tname);
                goto fail;
            }
        }
        error = table_from_json(tname, tjson, &ts, &root_given);
        if (error) {
            goto fail;
        }
        any_root |= root_given && ts->is_root;
        schema->tables = xrealloc(schema->tables,
                                  (schema->n_tables + 1) * sizeof *schema->tables);
        schema->tables[schema->n_tables++] = ts;
    }
    /* Schemas older than "isRoot" make every table a root. */
    if (!any_root) {
        for (size_t i = 0; i < schema->n_tables; i++) {
            schema->tables[i]->is_root = true;
        }
    }
    for (size_t i = 0; i < schema->n_tables; i++) {
        struct ovsdb_table_schema *ts = schema->tables[i];
        for (size_t j = 0; j < ts->n_columns; j++) {
            struct ovsdb_column *c = ts->columns[j];
            if ((error = resolve_base_ref(schema, ts, c, &c->type.key))
                || (error = resolve_base_ref(schema, ts, c, &c->type.value))) {
                goto fail;
            }
        }
    }
    *out = schema;
    return NULL;

fail:
    ovsdb_schema_destroy(schema);
    return error;
}

struct ovsdb_error *
ovsdb_schema_from_file(const char *file_name, struct ovsdb_schema **out)
{
    *out = NULL;
    struct json_object *json = json_object_from_file(file_name);
    if (!json) {
        return ovsdb_error("I/O error", "%s: cannot read or parse JSON (%s)",
                           file_name, json_util_get_last_err()
                           ? json_util_get_last_err() : "unknown error");
    }
    struct ovsdb_error *error = ovsdb_schema_from_json(json, out);
    json_object_put(json);
    return error;
}

struct json_object *
ovsdb_schema_to_json(const struct ovsdb_schema *schema)
{
    struct json_object *obj = json_object_new_object();
    json_object_object_add(obj, "name", json_object_new_string(schema->name));
    json_object_object_add(obj, "version", json_object_new_string(schema->version));
    if (schema->cksum) {
        json_object_object_add(obj, "cksum", json_object_new_string(schema->cksum));
    }
    bool all_root = true;
    for (size_t i = 0; i < schema->n_tables; i++) {
        all_root &= schema->tables[i]->is_root;
    }
    struct json_object *tables = json_object_new_object();
    for (size_t i = 0; i < schema->n_tables; i++) {
        const struct ovsdb_table_schema *ts = schema->tables[i];
        struct json_object *t = json_object_new_object();
        struct json_object *cols = json_object_new_object();
        for (size_t j = OVSDB_N_FIXED_COLUMNS; j < ts->n_columns; j++) {
            const struct ovsdb_column *c = ts->columns[j];
            struct json_object *cj = json_object_new_object();
            json_object_object_add(cj, "type", ovsdb_type_to_json(&c->type));
            if (!c->persistent) {
                json_object_object_add(cj, "ephemeral", json_object_new_boolean(true));
            }
            if (!c->mutable) {
                json_object_object_add(cj, "mutable", json_object_new_boolean(false));
            }
            json_object_object_add(cols, c->name, cj);
        }
        json_object_object_add(t, "columns", cols);
        if (ts->max_rows != UINT_MAX) {
            json_object_object_add(t, "maxRows", json_object_new_int64(ts->max_rows));
        }
        if (!all_root) {
            json_object_object_add(t, "isRoot", json_object_new_boolean(ts->is_root));
        }
        if (ts->n_indexes) {
            struct json_object *idxs = json_object_new_array();
            for (size_t k = 0; k < ts->n_indexes; k++) {
                struct json_object *idx = json_object_new_array();
                for (size_t m = 0; m < ts->indexes[k].n; m++) {
                    json_object_array_add(idx, json_object_new_string(
                                              ts->indexes[k].columns[m]->name));
                }
                json_object_array_add(idxs, idx);
            }
            json_object_object_add(t, "indexes", idxs);
        }
        json_object_object_add(tables, ts->name, t);
    }
    json_object_object_add(obj, "tables", tables);
    return obj;
}

void
ovsdb_schema_destroy(struct ovsdb_schema *schema)
{
    if (!schema) {
        return;
    }
    for (size_t i = 0; i < schema->n_tables; i++) {
        table_schema_destroy(schema->tables[i]);
    }
    free(schema->tables);
    free(schema->name);
    free(schema->version);
    free(schema->cksum);
    free(schema);
}

struct ovsdb_schema *
ovsdb_schema_clone(const struct ovsdb_schema *schema)
{
    struct json_object *json = ovsdb_schema_to_json(schema);
    struct ovsdb_schema *clone;
    struct ovsdb_error *error = ovsdb_schema_from_json(json, &clone);
    vs_assert(!error);
    json_object_put(json);
    return clone;
}

bool
ovsdb_schema_equal(const struct ovsdb_schema *a, const struct ovsdb_schema *b)
{
    struct json_object *ja = ovsdb_schema_to_json(a);
    struct json_object *jb = ovsdb_schema_to_json(b);
    bool eq = json_object_equal(ja, jb);
    json_object_put(ja);
    json_object_put(jb);
    return eq;
}
