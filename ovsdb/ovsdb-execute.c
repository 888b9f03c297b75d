#include <config.h>
#include "ovsdb/ovsdb-execute.h"

#include <limits.h>
#include <string.h>

#include "ovsdb/ovsdb.h"
#include "ovsdb/ovsdb-condition.h"
#include "ovsdb/ovsdb-error.h"
#include "ovsdb/ovsdb-mutation.h"
#include "ovsdb/ovsdb-row.h"
#include "ovsdb/ovsdb-txn.h"

struct exec_ctx {
    struct ovsdb *db;
    const struct ovsdb_exec_env *env;
    struct ovsdb_txn *txn;
    struct ovsdb_symbol_table symtab;
    bool durable;
    long long elapsed_msec;
    long long timeout_msec;     /* Time left for an unmet wait, or -1. */
};

typedef struct ovsdb_error *op_func(struct exec_ctx *, struct json_object *op,
                                    struct ovsdb_table *, struct json_object *result);

/* Fetches member 'name' of 'op'; 'type' < 0 means any type. */
static struct ovsdb_error *
member(struct json_object *op, const char *name, int type, bool optional,
       struct json_object **out)
{
    *out = NULL;
    if (!json_object_object_get_ex(op, name, out)) {
        return optional ? NULL : ovsdb_syntax_error(op, "Required '%s' member is missing.", name);
    }
    if (type >= 0 && !json_object_is_type(*out, type)) {
        *out = NULL;
        return ovsdb_syntax_error(op, "Type mismatch for member '%s'.", name);
    }
    return NULL;
}

/* Rejects members of 'op' that are not in the NULL-terminated 'allowed'. */
static struct ovsdb_error *
check_members(struct json_object *op, const char *const *allowed)
{
    json_object_object_foreach(op, key, val_unused) {
        (void) val_unused;
        const char *const *a;
        for (a = allowed; *a && strcmp(*a, key); a++) {
            continue;
        }
        if (!*a) {
            return ovsdb_syntax_error(op, "Member '%s' is not allowed here.", key);
        }
    }
    return NULL;
}

static struct ovsdb_error *
parse_where(struct exec_ctx *ctx, struct ovsdb_table *table, struct json_object *op,
            struct ovsdb_condition *cond)
{
    struct json_object *where;
    struct ovsdb_error *error = member(op, "where", json_type_array, false, &where);
    if (!error) {
        error = ovsdb_condition_from_json(table->schema, where, &ctx->symtab, cond);
    }
    return error;
}

/* Calls 'cb' for each row of 'table' matching 'cond'.  'cb' may delete or
 * replace the row it is given. */
static void
for_each_match(struct ovsdb_table *table, const struct ovsdb_condition *cond,
               void (*cb)(struct ovsdb_row *, void *aux), void *aux)
{
    const struct uuid *uuid = ovsdb_condition_get_uuid(cond);
    if (uuid) {
        struct ovsdb_row *row = ovsdb_table_get_row(table, uuid);
        if (row && ovsdb_condition_match(row, cond)) {
            cb(row, aux);
        }
        return;
    }
    /* Collect first: callbacks change table->rows. */
    size_t n = 0, cap = 16;
    struct ovsdb_row **rows = xmalloc(cap * sizeof *rows);
    struct ovsdb_row *row;
    HMAP_FOR_EACH (row, hmap_node, &table->rows) {
        if (ovsdb_condition_match(row, cond)) {
            if (n == cap) {
                rows = x2nrealloc(rows, &cap, sizeof *rows);
            }
            rows[n++] = row;
        }
    }
    for (size_t i = 0; i < n; i++) {
        cb(rows[i], aux);
    }
    free(rows);
}

static struct ovsdb_error *
op_insert(struct exec_ctx *ctx, struct json_object *op, struct ovsdb_table *table,
          struct json_object *result)
{
    static const char *const allowed[] = { "op", "table", "row", "uuid-name", "uuid", NULL };
    struct json_object *row_json, *uuid_name, *uuid_json;
    struct ovsdb_error *error;
    struct uuid uuid;

    if ((error = check_members(op, allowed))
        || (error = member(op, "row", json_type_object, true, &row_json))
        || (error = member(op, "uuid-name", json_type_string, true, &uuid_name))
        || (error = member(op, "uuid", json_type_string, true, &uuid_json))) {
        return error;
    }
    if (uuid_json) {
        if (!uuid_from_string(&uuid, json_object_get_string(uuid_json))) {
            return ovsdb_syntax_error(op, "bad \"uuid\"");
        }
    } else if (uuid_name) {
        struct ovsdb_symbol *sym = ovsdb_symbol_table_insert(
            &ctx->symtab, json_object_get_string(uuid_name));
        if (sym->created) {
            return ovsdb_error("duplicate uuid-name",
                               "This \"uuid-name\" appeared on an earlier "
                               "\"insert\" operation.");
        }
        sym->created = true;
        uuid = sym->uuid;
    } else {
        uuid_generate(&uuid);
    }
    if (uuid_name && uuid_json) {
        struct ovsdb_symbol *sym = ovsdb_symbol_table_insert(
            &ctx->symtab, json_object_get_string(uuid_name));
        if (sym->created) {
            return ovsdb_error("duplicate uuid-name", "Duplicate \"uuid-name\".");
        }
        sym->created = true;
        sym->uuid = uuid;
    }
    for (size_t i = 0; i < ctx->db->schema->n_tables; i++) {
        if (ovsdb_table_get_row(ctx->db->tables[i], &uuid)) {
            char s[UUID_LEN + 1];
            uuid_format(&uuid, s);
            return ovsdb_error("duplicate uuid", "This UUID %s would duplicate a "
                               "UUID already present within the database.", s);
        }
    }

    struct ovsdb_row *row = ovsdb_row_create(table);
    ovsdb_row_set_uuid(row, &uuid);
    uuid_generate(&row->fields[OVSDB_COL_VERSION].keys[0].uuid);
    if (row_json) {
        error = ovsdb_row_from_json(row, row_json, &ctx->symtab, NULL, false);
        if (error) {
            ovsdb_row_destroy(row);
            return error;
        }
    }
    ovsdb_txn_row_insert(ctx->txn, row);

    struct ovsdb_datum d = row->fields[OVSDB_COL_UUID];
    struct ovsdb_type ut = ovsdb_type_scalar(OVSDB_TYPE_UUID);
    json_object_object_add(result, "uuid", ovsdb_datum_to_json(&d, &ut));
    return NULL;
}

struct select_aux {
    struct json_object *rows;
    const struct ovsdb_column_set *columns;
};

static void
select_cb(struct ovsdb_row *row, void *aux_)
{
    struct select_aux *aux = aux_;
    json_object_array_add(aux->rows, ovsdb_row_to_json(row, aux->columns));
}

static struct ovsdb_error *
op_select(struct exec_ctx *ctx, struct json_object *op, struct ovsdb_table *table,
          struct json_object *result)
{
    static const char *const allowed[] = { "op", "table", "where", "columns", NULL };
    struct ovsdb_condition cond = OVSDB_CONDITION_INITIALIZER;
    struct ovsdb_column_set columns;
    struct json_object *columns_json;
    struct ovsdb_error *error;

    if ((error = check_members(op, allowed))
        || (error = member(op, "columns", json_type_array, true, &columns_json))
        || (error = parse_where(ctx, table, op, &cond))) {
        return error;
    }
    error = ovsdb_column_set_from_json(columns_json, table->schema, &columns);
    if (error) {
        ovsdb_condition_destroy(&cond);
        return error;
    }
    struct select_aux aux = { json_object_new_array(), &columns };
    for_each_match(table, &cond, select_cb, &aux);
    json_object_object_add(result, "rows", aux.rows);
    ovsdb_column_set_destroy(&columns);
    ovsdb_condition_destroy(&cond);
    return NULL;
}

struct update_aux {
    struct exec_ctx *ctx;
    const struct ovsdb_row *src;
    const struct ovsdb_column_set *columns;
    const struct ovsdb_mutation_set *mutations;
    struct ovsdb_error *error;
    long long count;
};

static void
update_cb(struct ovsdb_row *row, void *aux_)
{
    struct update_aux *aux = aux_;
    struct ovsdb_row *rw = ovsdb_txn_row_modify(aux->ctx->txn, row);
    for (size_t i = 0; i < aux->columns->n; i++) {
        const struct ovsdb_column *c = aux->columns->columns[i];
        ovsdb_datum_destroy(&rw->fields[c->index], &c->type);
        ovsdb_datum_clone(&rw->fields[c->index], &aux->src->fields[c->index], &c->type);
    }
    aux->count++;
}

static struct ovsdb_error *
op_update(struct exec_ctx *ctx, struct json_object *op, struct ovsdb_table *table,
          struct json_object *result)
{
    static const char *const allowed[] = { "op", "table", "where", "row", NULL };
    struct ovsdb_condition cond = OVSDB_CONDITION_INITIALIZER;
    struct ovsdb_column_set columns;
    struct json_object *row_json;
    struct ovsdb_error *error;

    if ((error = check_members(op, allowed))
        || (error = member(op, "row", json_type_object, false, &row_json))) {
        return error;
    }
    struct ovsdb_row *src = ovsdb_row_create(table);
    ovsdb_column_set_init(&columns);
    error = ovsdb_row_from_json(src, row_json, &ctx->symtab, &columns, false);
    for (size_t i = 0; !error && i < columns.n; i++) {
        if (!columns.columns[i]->mutable) {
            error = ovsdb_error("constraint violation",
                                "Cannot update immutable column %s in table %s.",
                                columns.columns[i]->name, table->schema->name);
        }
    }
    if (!error) {
        error = parse_where(ctx, table, op, &cond);
    }
    if (!error) {
        struct update_aux aux = { ctx, src, &columns, NULL, NULL, 0 };
        for_each_match(table, &cond, update_cb, &aux);
        json_object_object_add(result, "count", json_object_new_int64(aux.count));
    }
    ovsdb_condition_destroy(&cond);
    ovsdb_column_set_destroy(&columns);
    ovsdb_row_destroy(src);
    return error;
}

static void
mutate_cb(struct ovsdb_row *row, void *aux_)
{
    struct update_aux *aux = aux_;
    if (aux->error) {
        return;
    }
    struct ovsdb_row *rw = ovsdb_txn_row_modify(aux->ctx->txn, row);
    aux->error = ovsdb_mutation_set_execute(rw, aux->mutations);
    aux->count++;
}

static struct ovsdb_error *
op_mutate(struct exec_ctx *ctx, struct json_object *op, struct ovsdb_table *table,
          struct json_object *result)
{
    static const char *const allowed[] = { "op", "table", "where", "mutations", NULL };
    struct ovsdb_condition cond = OVSDB_CONDITION_INITIALIZER;
    struct ovsdb_mutation_set mutations = { NULL, 0 };
    struct json_object *mut_json;
    struct ovsdb_error *error;

    if ((error = check_members(op, allowed))
        || (error = member(op, "mutations", json_type_array, false, &mut_json))
        || (error = ovsdb_mutation_set_from_json(table->schema, mut_json,
                                                 &ctx->symtab, &mutations))) {
        return error;
    }
    error = parse_where(ctx, table, op, &cond);
    if (!error) {
        struct update_aux aux = { ctx, NULL, NULL, &mutations, NULL, 0 };
        for_each_match(table, &cond, mutate_cb, &aux);
        error = aux.error;
        if (!error) {
            json_object_object_add(result, "count", json_object_new_int64(aux.count));
        }
    }
    ovsdb_condition_destroy(&cond);
    ovsdb_mutation_set_destroy(&mutations);
    return error;
}

static void
delete_cb(struct ovsdb_row *row, void *aux_)
{
    struct update_aux *aux = aux_;
    ovsdb_txn_row_delete(aux->ctx->txn, row);
    aux->count++;
}

static struct ovsdb_error *
op_delete(struct exec_ctx *ctx, struct json_object *op, struct ovsdb_table *table,
          struct json_object *result)
{
    static const char *const allowed[] = { "op", "table", "where", NULL };
    struct ovsdb_condition cond = OVSDB_CONDITION_INITIALIZER;
    struct ovsdb_error *error;

    if ((error = check_members(op, allowed))
        || (error = parse_where(ctx, table, op, &cond))) {
        return error;
    }
    struct update_aux aux = { ctx, NULL, NULL, NULL, NULL, 0 };
    for_each_match(table, &cond, delete_cb, &aux);
    json_object_object_add(result, "count", json_object_new_int64(aux.count));
    ovsdb_condition_destroy(&cond);
    return NULL;
}

struct wait_aux {
    const struct ovsdb_column_set *columns;
    struct ovsdb_row **expected;
    bool *used;
    size_t n_expected;
    bool all_found;             /* Every selected row is expected. */
};

static void
wait_cb(struct ovsdb_row *row, void *aux_)
{
    struct wait_aux *aux = aux_;
    for (size_t i = 0; i < aux->n_expected; i++) {
        if (!aux->used[i]
            && ovsdb_row_equal_columns(row, aux->expected[i], aux->columns)) {
            aux->used[i] = true;
            return;
        }
    }
    aux->all_found = false;
}

static struct ovsdb_error *
op_wait(struct exec_ctx *ctx, struct json_object *op, struct ovsdb_table *table,
        struct json_object *result VS_UNUSED)
{
    static const char *const allowed[] = {
        "op", "table", "where", "columns", "until", "rows", "timeout", NULL
    };
    struct ovsdb_condition cond = OVSDB_CONDITION_INITIALIZER;
    struct json_object *timeout_json, *columns_json, *until_json, *rows_json;
    struct ovsdb_column_set columns = { NULL, 0 };
    struct ovsdb_error *error;
    long long timeout = LLONG_MAX;

    if ((error = check_members(op, allowed))
        || (error = member(op, "timeout", json_type_int, true, &timeout_json))
        || (error = member(op, "columns", json_type_array, true, &columns_json))
        || (error = member(op, "until", json_type_string, false, &until_json))
        || (error = member(op, "rows", json_type_array, false, &rows_json))) {
        return error;
    }
    const char *until = json_object_get_string(until_json);
    if (strcmp(until, "==") && strcmp(until, "!=")) {
        return ovsdb_syntax_error(op, "\"until\" must be \"==\" or \"!=\".");
    }
    if (timeout_json) {
        timeout = json_object_get_int64(timeout_json);
        if (timeout < 0) {
            return ovsdb_syntax_error(op, "\"timeout\" must be nonnegative.");
        }
    }
    if ((error = ovsdb_column_set_from_json(columns_json, table->schema, &columns))) {
        return error;
    }
    size_t n = json_object_array_length(rows_json);
    struct ovsdb_row **expected = xcalloc(n ? n : 1, sizeof *expected);
    bool *used = xcalloc(n ? n : 1, sizeof *used);
    for (size_t i = 0; i < n && !error; i++) {
        struct ovsdb_column_set given;
        expected[i] = ovsdb_row_create(table);
        ovsdb_column_set_init(&given);
        error = ovsdb_row_from_json(expected[i], json_object_array_get_idx(rows_json, i),
                                    &ctx->symtab, &given, true);
        for (size_t j = 0; !error && j < given.n; j++) {
            if (!ovsdb_column_set_contains(&columns, given.columns[j]->index)) {
                error = ovsdb_syntax_error(op, "Row has column \"%s\" not in \"columns\".",
                                           given.columns[j]->name);
            }
        }
        ovsdb_column_set_destroy(&given);
    }
    if (!error) {
        error = parse_where(ctx, table, op, &cond);
    }
    if (!error) {
        struct wait_aux aux = { &columns, expected, used, n, true };
        for_each_match(table, &cond, wait_cb, &aux);
        bool equal = aux.all_found;
        for (size_t i = 0; i < n; i++) {
            equal &= used[i];
        }
        bool satisfied = !strcmp(until, "==") ? equal : !equal;
        if (!satisfied) {
            if (ctx->elapsed_msec >= timeout) {
                error = ovsdb_error("timed out", "\"wait\" timed out");
            } else {
                /* Retry later; the caller gets no result now. */
                long long left = timeout == LLONG_MAX ? LLONG_MAX
                                 : timeout - ctx->elapsed_msec;
                ctx->timeout_msec = ctx->timeout_msec < 0 ? left
                                    : MIN(ctx->timeout_msec, left);
                error = ovsdb_error("not satisfied", NULL);
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        ovsdb_row_destroy(expected[i]);
    }
    free(expected);
    free(used);
    ovsdb_condition_destroy(&cond);
    ovsdb_column_set_destroy(&columns);
    return error;
}

static struct ovsdb_error *
op_commit(struct exec_ctx *ctx, struct json_object *op,
          struct ovsdb_table *table VS_UNUSED, struct json_object *result VS_UNUSED)
{
    static const char *const allowed[] = { "op", "durable", NULL };
    struct json_object *durable;
    struct ovsdb_error *error;
    if ((error = check_members(op, allowed))
        || (error = member(op, "durable", json_type_boolean, false, &durable))) {
        return error;
    }
    ctx->durable |= json_object_get_boolean(durable);
    return NULL;
}

static struct ovsdb_error *
op_abort(struct exec_ctx *ctx VS_UNUSED, struct json_object *op,
         struct ovsdb_table *table VS_UNUSED, struct json_object *result VS_UNUSED)
{
    static const char *const allowed[] = { "op", NULL };
    struct ovsdb_error *error = check_members(op, allowed);
    return error ? error : ovsdb_error("aborted", "Aborted by request.");
}

static struct ovsdb_error *
op_comment(struct exec_ctx *ctx, struct json_object *op,
           struct ovsdb_table *table VS_UNUSED, struct json_object *result VS_UNUSED)
{
    static const char *const allowed[] = { "op", "comment", NULL };
    struct json_object *comment;
    struct ovsdb_error *error;
    if ((error = check_members(op, allowed))
        || (error = member(op, "comment", json_type_string, false, &comment))) {
        return error;
    }
    ovsdb_txn_add_comment(ctx->txn, json_object_get_string(comment));
    return NULL;
}

static struct ovsdb_error *
op_assert(struct exec_ctx *ctx, struct json_object *op,
          struct ovsdb_table *table VS_UNUSED, struct json_object *result VS_UNUSED)
{
    static const char *const allowed[] = { "op", "lock", NULL };
    struct json_object *lock;
    struct ovsdb_error *error;
    if ((error = check_members(op, allowed))
        || (error = member(op, "lock", json_type_string, false, &lock))) {
        return error;
    }
    const char *name = json_object_get_string(lock);
    if (!ctx->env || !ctx->env->has_lock
        || !ctx->env->has_lock(ctx->env->aux, name)) {
        return ovsdb_error("not owner", "Asserted lock %s not held.", name);
    }
    return NULL;
}

static const struct {
    const char *name;
    op_func *func;
    bool needs_table;
    bool writes;
} ops[] = {
    { "insert", op_insert, true, true },
    { "select", op_select, true, false },
    { "update", op_update, true, true },
    { "mutate", op_mutate, true, true },
    { "delete", op_delete, true, true },
    { "wait", op_wait, true, false },
    { "commit", op_commit, false, false },
    { "abort", op_abort, false, false },
    { "comment", op_comment, false, false },
    { "assert", op_assert, false, false },
};

static struct ovsdb_error *
execute_op(struct exec_ctx *ctx, struct json_object *op, struct json_object *result)
{
    struct json_object *name_json, *table_json;
    struct ovsdb_table *table = NULL;
    struct ovsdb_error *error;

    if (!json_object_is_type(op, json_type_object)) {
        return ovsdb_syntax_error(op, "Operation must be a JSON object.");
    }
    if ((error = member(op, "op", json_type_string, false, &name_json))) {
        return error;
    }
    const char *name = json_object_get_string(name_json);
    for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
        if (strcmp(ops[i].name, name)) {
            continue;
        }
        if (ops[i].needs_table) {
            if ((error = member(op, "table", json_type_string, false, &table_json))) {
                return error;
            }
            table = ovsdb_get_table(ctx->db, json_object_get_string(table_json));
            if (!table) {
                return ovsdb_syntax_error(op, "No table named %s.",
                                          json_object_get_string(table_json));
            }
        }
        if (ops[i].writes && ctx->env && ctx->env->read_only) {
            return ovsdb_error("not allowed", "%s operation not allowed on "
                               "this database.", name);
        }
        return ops[i].func(ctx, op, table, result);
    }
    return ovsdb_syntax_error(op, "No operation \"%s\".", name);
}

struct json_object *
ovsdb_execute(struct ovsdb *db, const struct ovsdb_exec_env *env,
              struct json_object *params, long long elapsed_msec,
              long long *timeout_msec)
{
    struct json_object *results = json_object_new_array();
    struct ovsdb_error *error = NULL;
    size_t n_ops = 0;

    *timeout_msec = LLONG_MAX;
    if (!json_object_is_type(params, json_type_array)
        || !json_object_array_length(params)
        || !json_object_is_type(json_object_array_get_idx(params, 0), json_type_string)) {
        error = ovsdb_syntax_error(params, "array expected");
        json_object_array_add(results, ovsdb_error_to_json(error));
        ovsdb_error_destroy(error);
        return results;
    }
    if (strcmp(json_object_get_string(json_object_array_get_idx(params, 0)),
               db->schema->name)) {
        error = ovsdb_error("unknown database", "%s is not a database served here",
                            json_object_get_string(json_object_array_get_idx(params, 0)));
        json_object_array_add(results, ovsdb_error_to_json(error));
        ovsdb_error_destroy(error);
        return results;
    }
    n_ops = json_object_array_length(params) - 1;

    struct exec_ctx ctx = {
        .db = db, .env = env, .txn = ovsdb_txn_create(db),
        .durable = false, .elapsed_msec = elapsed_msec, .timeout_msec = -1,
    };
    ovsdb_symbol_table_init(&ctx.symtab);
    for (size_t i = 0; i < n_ops; i++) {
        struct json_object *result = json_object_new_object();
        error = execute_op(&ctx, json_object_array_get_idx(params, i + 1), result);
        if (error) {
            json_object_put(result);
            if (ctx.timeout_msec >= 0) {
                /* An unmet wait: try again later, changing nothing now. */
                ovsdb_error_destroy(error);
                ovsdb_txn_abort(ctx.txn);
                ovsdb_symbol_table_destroy(&ctx.symtab);
                json_object_put(results);
                *timeout_msec = ctx.timeout_msec;
                return NULL;
            }
            json_object_array_add(results, ovsdb_error_to_json(error));
            break;
        }
        json_object_array_add(results, result);
    }
    if (error) {
        ovsdb_txn_abort(ctx.txn);
        ovsdb_error_destroy(error);
        while (json_object_array_length(results) < n_ops) {
            json_object_array_add(results, NULL);
        }
    } else {
        error = ovsdb_txn_commit(ctx.txn, ctx.durable);
        if (error) {
            json_object_array_add(results, ovsdb_error_to_json(error));
            ovsdb_error_destroy(error);
        }
    }
    ovsdb_symbol_table_destroy(&ctx.symtab);
    return results;
}
