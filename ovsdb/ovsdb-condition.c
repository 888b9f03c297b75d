#include <config.h>
#include "ovsdb/ovsdb-condition.h"

#include <string.h>

#include "ovsdb/ovsdb-error.h"
#include "ovsdb/ovsdb-row.h"

static const struct {
    const char *name;
    enum ovsdb_function function;
} functions[] = {
    { "<", OVSDB_F_LT }, { "<=", OVSDB_F_LE }, { "==", OVSDB_F_EQ },
    { "!=", OVSDB_F_NE }, { ">=", OVSDB_F_GE }, { ">", OVSDB_F_GT },
    { "includes", OVSDB_F_INCLUDES }, { "excludes", OVSDB_F_EXCLUDES },
};

static struct ovsdb_error *
clause_from_json(const struct ovsdb_table_schema *ts, struct json_object *json,
                 struct ovsdb_symbol_table *symtab, struct ovsdb_clause *clause)
{
    memset(clause, 0, sizeof *clause);
    if (json_object_is_type(json, json_type_boolean)) {
        clause->function = json_object_get_boolean(json) ? OVSDB_F_TRUE : OVSDB_F_FALSE;
        ovsdb_datum_init_empty(&clause->arg);
        return NULL;
    }
    if (!json_object_is_type(json, json_type_array)
        || json_object_array_length(json) != 3
        || !json_object_is_type(json_object_array_get_idx(json, 0), json_type_string)
        || !json_object_is_type(json_object_array_get_idx(json, 1), json_type_string)) {
        return ovsdb_syntax_error(json, "Parse error in condition.");
    }
    const char *cname = json_object_get_string(json_object_array_get_idx(json, 0));
    const char *fname = json_object_get_string(json_object_array_get_idx(json, 1));
    const struct ovsdb_column *c = ovsdb_table_schema_find_column(ts, cname);
    if (!c) {
        return ovsdb_error("unknown column", "No column %s in table %s.", cname, ts->name);
    }
    size_t i;
    for (i = 0; i < ARRAY_SIZE(functions); i++) {
        if (!strcmp(functions[i].name, fname)) {
            break;
        }
    }
    if (i == ARRAY_SIZE(functions)) {
        return ovsdb_syntax_error(json, "Unknown function %s.", fname);
    }
    clause->function = functions[i].function;
    clause->column = c;
    clause->arg_type = c->type;

    switch (clause->function) {
    case OVSDB_F_LT: case OVSDB_F_LE: case OVSDB_F_GE: case OVSDB_F_GT:
        if ((c->type.key.type != OVSDB_TYPE_INTEGER && c->type.key.type != OVSDB_TYPE_REAL)
            || c->type.value.type != OVSDB_TYPE_VOID || c->type.n_max != 1) {
            return ovsdb_syntax_error(json, "Type mismatch: \"%s\" operator may not "
                                      "be applied to column %s.", fname, cname);
        }
        clause->arg_type.n_min = 1;
        break;
    case OVSDB_F_EQ: case OVSDB_F_NE:
        break;
    case OVSDB_F_INCLUDES: case OVSDB_F_EXCLUDES:
        clause->arg_type.n_min = 0;
        clause->arg_type.n_max = OVSDB_UNLIMITED;
        break;
    default:
        break;
    }
    /* Constraints of the column do not restrict the value compared with. */
    ovsdb_base_type_init(&clause->arg_type.key, c->type.key.type);
    ovsdb_base_type_init(&clause->arg_type.value, c->type.value.type);
    struct ovsdb_error *error = ovsdb_datum_from_json(
        &clause->arg, &clause->arg_type, json_object_array_get_idx(json, 2), symtab);
    if (error) {
        ovsdb_error_prefix(error, "condition on column %s", cname);
    }
    return error;
}

struct ovsdb_error *
ovsdb_condition_from_json(const struct ovsdb_table_schema *ts, struct json_object *json,
                          struct ovsdb_symbol_table *symtab, struct ovsdb_condition *cond)
{
    cond->clauses = NULL;
    cond->n = 0;
    if (!json) {
        return NULL;
    }
    if (!json_object_is_type(json, json_type_array)) {
        return ovsdb_syntax_error(json, "Parse error in condition.");
    }
    size_t n = json_object_array_length(json);
    cond->clauses = xcalloc(n ? n : 1, sizeof *cond->clauses);
    for (size_t i = 0; i < n; i++) {
        struct ovsdb_error *error = clause_from_json(
            ts, json_object_array_get_idx(json, i), symtab, &cond->clauses[i]);
        if (error) {
            ovsdb_condition_destroy(cond);
            return error;
        }
        cond->n++;
    }
    return NULL;
}

static bool
clause_match(const struct ovsdb_row *row, const struct ovsdb_clause *c)
{
    if (c->function == OVSDB_F_TRUE) {
        return true;
    } else if (c->function == OVSDB_F_FALSE) {
        return false;
    }
    const struct ovsdb_datum *field = &row->fields[c->column->index];
    const struct ovsdb_type *type = &c->column->type;
    int cmp;

    switch (c->function) {
    case OVSDB_F_EQ:
        return ovsdb_datum_equals(field, &c->arg, type);
    case OVSDB_F_NE:
        return !ovsdb_datum_equals(field, &c->arg, type);
    case OVSDB_F_INCLUDES:
        return ovsdb_datum_includes_all(&c->arg, field, type);
    case OVSDB_F_EXCLUDES:
        return ovsdb_datum_excludes_all(&c->arg, field, type);
    case OVSDB_F_LT: case OVSDB_F_LE: case OVSDB_F_GE: case OVSDB_F_GT:
        if (field->n != 1) {
            return false;
        }
        cmp = ovsdb_atom_compare_3way(&field->keys[0], &c->arg.keys[0], type->key.type);
        return (c->function == OVSDB_F_LT ? cmp < 0
                : c->function == OVSDB_F_LE ? cmp <= 0
                : c->function == OVSDB_F_GE ? cmp >= 0
                : cmp > 0);
    default:
        return false;
    }
}

bool
ovsdb_condition_match(const struct ovsdb_row *row, const struct ovsdb_condition *cond)
{
    for (size_t i = 0; i < cond->n; i++) {
        if (!clause_match(row, &cond->clauses[i])) {
            return false;
        }
    }
    return true;
}

void
ovsdb_condition_destroy(struct ovsdb_condition *cond)
{
    for (size_t i = 0; i < cond->n; i++) {
        ovsdb_datum_destroy(&cond->clauses[i].arg, &cond->clauses[i].arg_type);
    }
    free(cond->clauses);
    cond->clauses = NULL;
    cond->n = 0;
}

const struct uuid *
ovsdb_condition_get_uuid(const struct ovsdb_condition *cond)
{
    for (size_t i = 0; i < cond->n; i++) {
        const struct ovsdb_clause *c = &cond->clauses[i];
        if (c->function == OVSDB_F_EQ && c->column->index == OVSDB_COL_UUID
            && c->arg.n == 1) {
            return &c->arg.keys[0].uuid;
        }
    }
    return NULL;
}

bool
ovsdb_condition_is_true(const struct ovsdb_condition *cond)
{
    for (size_t i = 0; i < cond->n; i++) {
        if (cond->clauses[i].function != OVSDB_F_TRUE) {
            return false;
        }
    }
    return true;
}
