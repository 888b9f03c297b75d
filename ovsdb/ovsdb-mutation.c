#include <config.h>
#include "ovsdb/ovsdb-mutation.h"

#include <math.h>
#include <string.h>

#include "ovsdb/ovsdb-error.h"
#include "ovsdb/ovsdb-row.h"

static const struct {
    const char *name;
    enum ovsdb_mutator mutator;
} mutators[] = {
    { "+=", OVSDB_M_ADD }, { "-=", OVSDB_M_SUB }, { "*=", OVSDB_M_MUL },
    { "/=", OVSDB_M_DIV }, { "%=", OVSDB_M_MOD },
    { "insert", OVSDB_M_INSERT }, { "delete", OVSDB_M_DELETE },
};

static bool
is_map_json(struct json_object *json)
{
    return json_object_is_type(json, json_type_array)
           && json_object_array_length(json) == 2
           && json_object_is_type(json_object_array_get_idx(json, 0), json_type_string)
           && !strcmp(json_object_get_string(json_object_array_get_idx(json, 0)), "map");
}

static struct ovsdb_error *
mutation_from_json(const struct ovsdb_table_schema *ts, struct json_object *json,
                   struct ovsdb_symbol_table *symtab, struct ovsdb_mutation *m)
{
    if (!json_object_is_type(json, json_type_array)
        || json_object_array_length(json) != 3
        || !json_object_is_type(json_object_array_get_idx(json, 0), json_type_string)
        || !json_object_is_type(json_object_array_get_idx(json, 1), json_type_string)) {
        return ovsdb_syntax_error(json, "Parse error in mutation.");
    }
    const char *cname = json_object_get_string(json_object_array_get_idx(json, 0));
    const char *mname = json_object_get_string(json_object_array_get_idx(json, 1));
    struct json_object *arg = json_object_array_get_idx(json, 2);
    const struct ovsdb_column *c = ovsdb_table_schema_find_column(ts, cname);
    if (!c) {
        return ovsdb_error("unknown column", "No column %s in table %s.", cname, ts->name);
    }
    if (!c->mutable || c->index < OVSDB_N_FIXED_COLUMNS) {
        return ovsdb_error("constraint violation",
                           "Cannot mutate immutable column %s in table %s.",
                           cname, ts->name);
    }
    size_t i;
    for (i = 0; i < ARRAY_SIZE(mutators); i++) {
        if (!strcmp(mutators[i].name, mname)) {
            break;
        }
    }
    if (i == ARRAY_SIZE(mutators)) {
        return ovsdb_syntax_error(json, "Unknown mutator %s.", mname);
    }
    m->mutator = mutators[i].mutator;
    m->column = c;
    m->arg_type = c->type;

    switch (m->mutator) {
    case OVSDB_M_ADD: case OVSDB_M_SUB: case OVSDB_M_MUL:
    case OVSDB_M_DIV: case OVSDB_M_MOD:
        if ((c->type.key.type != OVSDB_TYPE_INTEGER
             && (c->type.key.type != OVSDB_TYPE_REAL || m->mutator == OVSDB_M_MOD))
            || ovsdb_type_is_map(&c->type)) {
            return ovsdb_syntax_error(json, "Type mismatch: \"%s\" mutator may not "
                                      "be applied to column %s.", mname, cname);
        }
        m->arg_type = ovsdb_type_scalar(c->type.key.type);
        break;
    case OVSDB_M_INSERT:
        m->arg_type.n_min = 0;
        m->arg_type.n_max = OVSDB_UNLIMITED;
        if (!ovsdb_type_is_composite(&c->type) && !ovsdb_type_is_optional(&c->type)) {
            return ovsdb_syntax_error(json, "Type mismatch: \"insert\" mutator may "
                                      "not be applied to scalar column %s.", cname);
        }
        break;
    case OVSDB_M_DELETE:
        m->arg_type.n_min = 0;
        m->arg_type.n_max = OVSDB_UNLIMITED;
        if (!ovsdb_type_is_composite(&c->type) && !ovsdb_type_is_optional(&c->type)) {
            return ovsdb_syntax_error(json, "Type mismatch: \"delete\" mutator may "
                                      "not be applied to scalar column %s.", cname);
        }
        /* A map's entries may be deleted by key (a set of keys). */
        if (ovsdb_type_is_map(&c->type) && !is_map_json(arg)) {
            ovsdb_base_type_init(&m->arg_type.value, OVSDB_TYPE_VOID);
        }
        break;
    }
    /* The argument must satisfy the column's constraints only for insert;
     * deleted or arithmetic values need not. */
    if (m->mutator != OVSDB_M_INSERT) {
        ovsdb_base_type_init(&m->arg_type.key, m->arg_type.key.type);
        ovsdb_base_type_init(&m->arg_type.value, m->arg_type.value.type);
    } else {
        /* Keep constraints but drop owned parts: shallow copy semantics. */
        m->arg_type.key.enum_ = c->type.key.enum_;
    }
    struct ovsdb_error *error = ovsdb_datum_from_json(&m->arg, &m->arg_type, arg, symtab);
    if (error) {
        ovsdb_error_prefix(error, "mutation of column %s", cname);
    }
    return error;
}

struct ovsdb_error *
ovsdb_mutation_set_from_json(const struct ovsdb_table_schema *ts,
                             struct json_object *json,
                             struct ovsdb_symbol_table *symtab,
                             struct ovsdb_mutation_set *set)
{
    set->mutations = NULL;
    set->n = 0;
    if (!json_object_is_type(json, json_type_array)) {
        return ovsdb_syntax_error(json, "Array of mutations expected.");
    }
    size_t n = json_object_array_length(json);
    set->mutations = xcalloc(n ? n : 1, sizeof *set->mutations);
    for (size_t i = 0; i < n; i++) {
        struct ovsdb_error *error = mutation_from_json(
            ts, json_object_array_get_idx(json, i), symtab, &set->mutations[i]);
        if (error) {
            ovsdb_mutation_set_destroy(set);
            return error;
        }
        set->n++;
    }
    return NULL;
}

void
ovsdb_mutation_set_destroy(struct ovsdb_mutation_set *set)
{
    for (size_t i = 0; i < set->n; i++) {
        struct ovsdb_type t = set->mutations[i].arg_type;
        t.key.enum_ = NULL;     /* Borrowed from the column. */
        t.value.enum_ = NULL;
        ovsdb_datum_destroy(&set->mutations[i].arg, &t);
    }
    free(set->mutations);
    set->mutations = NULL;
    set->n = 0;
}

static struct ovsdb_error *
mutate_integer(long long *x, long long y, enum ovsdb_mutator m)
{
    long long r;
    switch (m) {
    case OVSDB_M_ADD:
        if (__builtin_add_overflow(*x, y, &r)) {
            goto range;
        }
        break;
    case OVSDB_M_SUB:
        if (__builtin_sub_overflow(*x, y, &r)) {
            goto range;
        }
        break;
    case OVSDB_M_MUL:
        if (__builtin_mul_overflow(*x, y, &r)) {
            goto range;
        }
        break;
    case OVSDB_M_DIV: case OVSDB_M_MOD:
        if (!y) {
            return ovsdb_error("domain error", "Division by zero.");
        }
        if (*x == LLONG_MIN && y == -1) {
            goto range;
        }
        r = m == OVSDB_M_DIV ? *x / y : *x % y;
        break;
    default:
        return NULL;
    }
    *x = r;
    return NULL;

range:
    return ovsdb_error("range error", "Result of \"%lld %s %lld\" overflows.",
                       *x, m == OVSDB_M_ADD ? "+" : m == OVSDB_M_SUB ? "-"
                       : m == OVSDB_M_MUL ? "*" : "/", y);
}

static struct ovsdb_error *
mutate_real(double *x, double y, enum ovsdb_mutator m)
{
    double r;
    switch (m) {
    case OVSDB_M_ADD: r = *x + y; break;
    case OVSDB_M_SUB: r = *x - y; break;
    case OVSDB_M_MUL: r = *x * y; break;
    case OVSDB_M_DIV:
        if (y == 0) {
            return ovsdb_error("domain error", "Division by zero.");
        }
        r = *x / y;
        break;
    default:
        return NULL;
    }
    if (!isfinite(r)) {
        return ovsdb_error("range error", "Result of real arithmetic is out of range.");
    }
    *x = r;
    return NULL;
}

static struct ovsdb_error *
execute_one(struct ovsdb_row *row, const struct ovsdb_mutation *m)
{
    const struct ovsdb_column *c = m->column;
    const struct ovsdb_type *type = &c->type;
    struct ovsdb_datum *d = &row->fields[c->index];
    struct ovsdb_error *error;

    switch (m->mutator) {
    case OVSDB_M_ADD: case OVSDB_M_SUB: case OVSDB_M_MUL:
    case OVSDB_M_DIV: case OVSDB_M_MOD:
        for (unsigned int i = 0; i < d->n; i++) {
            error = (type->key.type == OVSDB_TYPE_INTEGER
                     ? mutate_integer(&d->keys[i].integer, m->arg.keys[0].integer, m->mutator)
                     : mutate_real(&d->keys[i].real, m->arg.keys[0].real, m->mutator));
            if (error) {
                return error;
            }
            error = ovsdb_atom_check_constraints(&d->keys[i], &type->key);
            if (error) {
                return error;
            }
        }
        /* Arithmetic can make two set elements equal. */
        error = ovsdb_datum_sort(d, type);
        if (error) {
            ovsdb_error_destroy(error);
            return ovsdb_error("constraint violation",
                               "Result of mutation on column %s has duplicate values.",
                               c->name);
        }
        return NULL;
    case OVSDB_M_INSERT:
        ovsdb_datum_union(d, &m->arg, type);
        break;
    case OVSDB_M_DELETE:
        ovsdb_datum_subtract(d, type, &m->arg, &m->arg_type);
        break;
    }
    if (d->n > type->n_max || d->n < type->n_min) {
        return ovsdb_error("constraint violation",
                           "Mutation of column %s leaves %u values, outside the "
                           "range %u to %u.", c->name, d->n, type->n_min, type->n_max);
    }
    return NULL;
}

struct ovsdb_error *
ovsdb_mutation_set_execute(struct ovsdb_row *row, const struct ovsdb_mutation_set *set)
{
    for (size_t i = 0; i < set->n; i++) {
        struct ovsdb_error *error = execute_one(row, &set->mutations[i]);
        if (error) {
            return error;
        }
    }
    return NULL;
}
