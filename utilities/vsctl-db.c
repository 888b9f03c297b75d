/* vs-vsctl: commands on any table (list, find, get, set, add, remove,
 * clear, create, destroy, wait-until, comment) and the record naming they
 * share with the bridge commands. */
#include <config.h>

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>
#include "util.h"
#include "vsctl.h"

/* How people name records of a table besides by uuid: by a column of the
 * table itself, or through a named row of another table that refers to it
 * ("list Controller br0" means br0's controllers). */
struct row_id {
    const char *table;
    const char *name_column;    /* In 'table' or in 'ref_table'. */
    const char *ref_table;      /* NULL: 'name_column' is in 'table'. */
    const char *ref_column;     /* Column of 'ref_table' pointing here. */
};

static const struct row_id row_ids[] = {
    { "Open_vSwitch", NULL, "Open_vSwitch", NULL },
    { "Bridge", "name", NULL, NULL },
    { "Port", "name", NULL, NULL },
    { "Interface", "name", NULL, NULL },
    { "Mirror", "name", NULL, NULL },
    { "Manager", "target", NULL, NULL },
    { "Flow_Table", "name", NULL, NULL },
    { "Controller", "name", "Bridge", "controller" },
    { "NetFlow", "name", "Bridge", "netflow" },
    { "sFlow", "name", "Bridge", "sflow" },
    { "IPFIX", "name", "Bridge", "ipfix" },
    { "QoS", "name", "Port", "qos" },
    { "SSL", NULL, "Open_vSwitch", "ssl" },
};

struct idl_table *
vsctl_get_table(struct vsctl_ctx *ctx, const char *name)
{
    struct idl_table *best = NULL;
    size_t n_best = 0;

    for (size_t i = 0; i < ovsdb_idl_n_tables(ctx->idl); i++) {
        struct idl_table *t = ovsdb_idl_table_at(ctx->idl, i);
        if (!strcasecmp(t->name, name)) {
            return t;
        }
        if (!strncasecmp(t->name, name, strlen(name))) {
            best = t;
            n_best++;
        }
    }
    if (n_best == 1) {
        return best;
    }
    if (n_best > 1) {
        vsctl_fatal("multiple table names match \"%s\"", name);
    }
    vsctl_fatal("unknown table \"%s\"", name);
}

/* Whether the first 'n' characters of column name 'col' and 'name' agree,
 * '-' and '_' counting as the same (users type "other-config"). */
static bool
column_name_prefix(const char *col, const char *name, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char a = col[i] == '-' ? '_' : col[i];
        char b = name[i] == '-' ? '_' : name[i];
        if (a != b) {
            return false;
        }
        if (!a) {
            break;
        }
    }
    return true;
}

const struct idl_column *
vsctl_get_column(const struct idl_table *t, const char *name)
{
    const struct idl_column *best = NULL;
    size_t n_best = 0;

    for (size_t i = 0; i < t->n_columns; i++) {
        if (column_name_prefix(t->columns[i].name, name, strlen(name) + 1)) {
            return &t->columns[i];
        }
        if (column_name_prefix(t->columns[i].name, name, strlen(name))) {
            best = &t->columns[i];
            n_best++;
        }
    }
    if (n_best == 1) {
        return best;
    }
    if (n_best > 1) {
        vsctl_fatal("%s contains more than one column whose name matches "
                    "\"%s\"", t->name, name);
    }
    vsctl_fatal("%s does not contain a column whose name matches \"%s\"",
                t->name, name);
}

/* Finds the row of 't' whose string column 'column' is 'name'. */
static struct idl_row *
find_by_name(struct idl_table *t, const char *column, const char *name,
             bool *multiple)
{
    const struct idl_column *c = idl_table_get_column(t, column);
    struct idl_row *row, *found = NULL;

    if (!c || c->type.key.type != OVSDB_TYPE_STRING) {
        return NULL;
    }
    IDL_ROW_FOR_EACH (row, t) {
        const struct idl_datum *d = idl_row_get(row, c);
        if (d->n == 1 && !strcmp(d->keys[0].string, name)) {
            if (found) {
                *multiple = true;
            }
            found = row;
        }
    }
    return found;
}

static struct idl_row *
get_row_by_id(struct vsctl_ctx *ctx, struct idl_table *t, const char *record)
{
    for (size_t i = 0; i < ARRAY_SIZE(row_ids); i++) {
        const struct row_id *id = &row_ids[i];
        bool multiple = false;
        if (strcmp(id->table, t->name)) {
            continue;
        }
        if (!id->name_column) {
            /* The single row, named ".". */
            if (strcmp(record, ".")) {
                continue;
            }
            if (!id->ref_column) {
                return idl_table_first(t);
            }
            const struct idl_datum *d = vsctl_read(ctx, ctx->ovs,
                                                   id->ref_column);
            return d->n ? idl_table_find_row(t, d->keys[0].string) : NULL;
        }
        if (!id->ref_table) {
            struct idl_row *row = find_by_name(t, id->name_column, record,
                                               &multiple);
            if (multiple) {
                vsctl_fatal("multiple rows in %s match \"%s\"", t->name,
                            record);
            }
            if (row) {
                return row;
            }
            continue;
        }
        struct idl_table *rt = ovsdb_idl_get_table(ctx->idl, id->ref_table);
        struct idl_row *ref = rt ? find_by_name(rt, id->name_column, record,
                                                &multiple) : NULL;
        const struct idl_column *rc = (ref ? idl_table_get_column(
                                           rt, id->ref_column) : NULL);
        if (rc) {
            const struct idl_datum *d = ovsdb_idl_txn_read(ctx->txn, ref, rc);
            if (d->n == 1) {
                return idl_table_find_row(t, d->keys[0].string);
            } else if (d->n > 1) {
                vsctl_fatal("multiple rows in %s match \"%s\"", t->name,
                            record);
            }
        }
    }
    return NULL;
}

struct idl_row *
vsctl_get_row(struct vsctl_ctx *ctx, struct idl_table *t, const char *record,
              bool must_exist)
{
    struct idl_row *row = NULL;

    if (idl_uuid_is_valid(record)) {
        row = idl_table_find_row(t, record);
    }
    if (!row && record[0] == '@') {
        struct vsctl_symbol *s = vsctl_symbol_find(ctx, record);
        if (s) {
            row = idl_table_find_row(t, s->uuid);
        }
    }
    if (!row) {
        row = get_row_by_id(ctx, t, record);
    }
    if (!row && strlen(record) >= 4) {
        /* A unique uuid prefix. */
        size_t len = strlen(record);
        struct idl_row *r;
        IDL_ROW_FOR_EACH (r, t) {
            if (!strncmp(r->uuid, record, len)) {
                if (row) {
                    vsctl_fatal("multiple rows in %s match \"%s\"", t->name,
                                record);
                }
                row = r;
            }
        }
    }
    if (!row && must_exist) {
        vsctl_fatal("no row \"%s\" in table %s", record, t->name);
    }
    return row;
}

/* Symbols (@name). */

struct vsctl_symbol *
vsctl_symbol_find(struct vsctl_ctx *ctx, const char *name)
{
    struct vsctl_symbol *s;
    HMAP_FOR_EACH_WITH_HASH (s, node, hash_string(name, 0), &ctx->symbols) {
        if (!strcmp(s->name, name)) {
            return s;
        }
    }
    return NULL;
}

struct vsctl_symbol *
vsctl_symbol_create(struct vsctl_ctx *ctx, const char *name)
{
    struct vsctl_symbol *s = vsctl_symbol_find(ctx, name);
    if (!s) {
        if (name[0] != '@' || !name[1]) {
            vsctl_fatal("row id \"%s\" does not begin with \"@\"", name);
        }
        s = xzalloc(sizeof *s);
        s->name = xstrdup(name);
        idl_uuid_generate(s->uuid);
        hmap_insert(&ctx->symbols, &s->node, hash_string(name, 0));
    }
    return s;
}

char *
vsctl_symbol_cb(const char *name, void *ctx_, char uuid[37])
{
    struct vsctl_symbol *s = vsctl_symbol_create(ctx_, name);
    memcpy(uuid, s->uuid, 37);
    return NULL;
}

/* Column values. */

const struct idl_datum *
vsctl_read(struct vsctl_ctx *ctx, struct idl_row *row, const char *column)
{
    const struct idl_column *c = idl_table_get_column(row->table, column);
    if (!c) {
        vsctl_fatal("%s does not contain a column named \"%s\"",
                    row->table->name, column);
    }
    return ovsdb_idl_txn_read(ctx->txn, row, c);
}

static const struct idl_column *
must_column(struct idl_row *row, const char *column)
{
    const struct idl_column *c = idl_table_get_column(row->table, column);
    if (!c) {
        vsctl_fatal("%s does not contain a column named \"%s\"",
                    row->table->name, column);
    }
    return c;
}

void
vsctl_write_string(struct vsctl_ctx *ctx, struct idl_row *row,
                   const char *column, const char *value)
{
    const struct idl_column *c = must_column(row, column);
    struct idl_datum d;
    idl_datum_init_empty(&d);
    if (value) {
        union idl_atom k = { .string = xstrdup(value) };
        idl_datum_add(&d, &k, NULL, &c->type, true);
    }
    ovsdb_idl_txn_write(ctx->txn, row, c, &d);
}

void
vsctl_clear_column(struct vsctl_ctx *ctx, struct idl_row *row,
                   const char *column)
{
    vsctl_write_string(ctx, row, column, NULL);
}

void
vsctl_write_int(struct vsctl_ctx *ctx, struct idl_row *row,
                const char *column, long long value)
{
    const struct idl_column *c = must_column(row, column);
    struct idl_datum d;
    union idl_atom k = { .integer = value };
    idl_datum_init_empty(&d);
    idl_datum_add(&d, &k, NULL, &c->type, true);
    ovsdb_idl_txn_write(ctx->txn, row, c, &d);
}

void
vsctl_write_bool(struct vsctl_ctx *ctx, struct idl_row *row,
                 const char *column, bool value)
{
    const struct idl_column *c = must_column(row, column);
    struct idl_datum d;
    union idl_atom k = { .boolean = value };
    idl_datum_init_empty(&d);
    idl_datum_add(&d, &k, NULL, &c->type, true);
    ovsdb_idl_txn_write(ctx->txn, row, c, &d);
}

/* Set changes go as "mutate" operations: adding the 1000th port neither
 * copies nor sends the other 999, and does not conflict with another client
 * adding a port to the same bridge. */
void
vsctl_set_add_uuid(struct vsctl_ctx *ctx, struct idl_row *row,
                   const char *column, const char *uuid)
{
    const struct idl_column *c = must_column(row, column);
    union idl_atom k = { .string = (char *) uuid };
    ovsdb_idl_txn_set_insert(ctx->txn, row, c, &k);
}

void
vsctl_set_remove_uuid(struct vsctl_ctx *ctx, struct idl_row *row,
                      const char *column, const char *uuid)
{
    const struct idl_column *c = must_column(row, column);
    union idl_atom k = { .string = (char *) uuid };
    ovsdb_idl_txn_set_delete(ctx->txn, row, c, &k);
}

void
vsctl_map_set(struct vsctl_ctx *ctx, struct idl_row *row, const char *column,
              const char *key, const char *value)
{
    const struct idl_column *c = must_column(row, column);
    struct idl_datum d;
    union idl_atom k = { .string = xstrdup(key) };
    idl_datum_clone(&d, ovsdb_idl_txn_read(ctx->txn, row, c), &c->type);
    if (value) {
        union idl_atom v = { .string = xstrdup(value) };
        idl_datum_add(&d, &k, &v, &c->type, true);
    } else {
        long i = idl_datum_find_key(&d, &k, OVSDB_TYPE_STRING);
        if (i >= 0) {
            idl_datum_remove_index(&d, i, &c->type);
        }
        free(k.string);
    }
    ovsdb_idl_txn_write(ctx->txn, row, c, &d);
}

struct idl_row *
vsctl_insert(struct vsctl_ctx *ctx, const char *table)
{
    return ovsdb_idl_txn_insert(ctx->txn, ovsdb_idl_get_table(ctx->idl, table),
                                NULL);
}

/* "COLUMN[:KEY][OP VALUE]" parsing. */

struct col_arg {
    const struct idl_column *column;
    char *key;                  /* Text of the key, or NULL. */
    const char *op;             /* One of the operators, or NULL. */
    char *value;                /* Text of the value, or NULL. */
};

static const char *all_ops[] = {
    "{!=}", "{<=}", "{>=}", "{=}", "{<}", "{>}", "!=", "<=", ">=", "=", "<",
    ">",
};

static void
parse_col_arg(struct idl_table *t, const char *arg, const char **ops,
              size_t n_ops, bool need_value, struct col_arg *ca)
{
    size_t len = strcspn(arg, ":=!<>{");
    char *name = xstrndup(arg, len);
    const char *p = arg + len;

    memset(ca, 0, sizeof *ca);
    if (!len) {
        vsctl_fatal("%s: missing column name", arg);
    }
    ca->column = vsctl_get_column(t, name);
    free(name);
    if (*p == ':') {
        p++;
        size_t klen = idl_token_length(p, "=!<>{");
        if (!klen) {
            vsctl_fatal("%s: missing key name", arg);
        }
        ca->key = xstrndup(p, klen);
        p += klen;
    }
    if (*p) {
        for (size_t i = 0; i < n_ops; i++) {
            if (str_starts_with(p, ops[i])) {
                ca->op = ops[i];
                ca->value = xstrdup(p + strlen(ops[i]));
                break;
            }
        }
        if (!ca->op) {
            vsctl_fatal("%s: argument does not end in \"%s\" followed by a "
                        "value.", arg, ops[0]);
        }
    } else if (need_value) {
        vsctl_fatal("%s: argument does not end in \"=\" followed by a value.",
                    arg);
    }
    if (ca->key && !ovsdb_type_is_map(&ca->column->type)) {
        vsctl_fatal("cannot specify key to get for non-map column %s",
                    ca->column->name);
    }
}

static void
col_arg_free(struct col_arg *ca)
{
    free(ca->key);
    free(ca->value);
}

static void
check_mutable(struct idl_table *t, const struct idl_column *c)
{
    if (c->idx == 0) {
        vsctl_fatal("cannot modify read-only column _uuid in table %s",
                    t->name);
    }
}

static char *
parse_key(struct vsctl_ctx *ctx, const struct idl_column *c, const char *s,
          union idl_atom *k)
{
    return idl_atom_from_string(k, &c->type.key, s, vsctl_symbol_cb, ctx);
}

void
vsctl_set_column(struct vsctl_ctx *ctx, struct idl_row *row, const char *arg)
{
    static const char *eq[] = { "=" };
    struct idl_table *t = row->table;
    struct col_arg ca;
    char *err;

    parse_col_arg(t, arg, eq, 1, true, &ca);
    check_mutable(t, ca.column);
    const struct ovsdb_type *type = &ca.column->type;
    if (ca.key) {
        union idl_atom k, v;
        err = parse_key(ctx, ca.column, ca.key, &k);
        if (err) {
            vsctl_fatal("%s", err);
        }
        err = idl_atom_from_string(&v, &type->value, ca.value,
                                   vsctl_symbol_cb, ctx);
        if (err) {
            vsctl_fatal("%s", err);
        }
        struct idl_datum d;
        idl_datum_clone(&d, ovsdb_idl_txn_read(ctx->txn, row, ca.column),
                        type);
        idl_datum_add(&d, &k, &v, type, true);
        err = idl_datum_check(&d, type);
        if (err) {
            vsctl_fatal("%s", err);
        }
        ovsdb_idl_txn_write(ctx->txn, row, ca.column, &d);
    } else {
        struct idl_datum d;
        err = idl_datum_from_string(&d, type, ca.value, vsctl_symbol_cb, ctx);
        if (!err) {
            err = idl_datum_check(&d, type);
        }
        if (err) {
            vsctl_fatal("%s", err);
        }
        ovsdb_idl_txn_write(ctx->txn, row, ca.column, &d);
    }
    col_arg_free(&ca);
}

/* The row that argv[1] (table) and argv[2] (record) of "set", "add",
 * "remove" and "clear" name, with its table in '*tp'; NULL if there is no
 * such row and --if-exists was given. */
static struct idl_row *
get_target_row(struct vsctl_ctx *ctx, struct idl_table **tp)
{
    *tp = vsctl_get_table(ctx, ctx->argv[1]);
    return vsctl_get_row(ctx, *tp, ctx->argv[2],
                         !vsctl_has_option(ctx, "--if-exists"));
}

static void
cmd_set(struct vsctl_ctx *ctx)
{
    struct idl_table *t;
    struct idl_row *row = get_target_row(ctx, &t);
    if (!row) {
        return;
    }
    for (int i = 3; i < ctx->argc; i++) {
        vsctl_set_column(ctx, row, ctx->argv[i]);
    }
    vsctl_invalidate_cache(ctx);
}

/* A type like 't' but allowing any number of elements. */
static struct ovsdb_type
relaxed_type(const struct ovsdb_type *t)
{
    struct ovsdb_type r = *t;
    r.n_min = 0;
    r.n_max = UINT_MAX;
    return r;
}

/* "add" and "remove": argv[3] is the column, argv[4...] the values. */
static void
add_or_remove(struct vsctl_ctx *ctx, bool add)
{
    struct idl_table *t;
    struct idl_row *row = get_target_row(ctx, &t);
    if (!row) {
        return;
    }
    const struct idl_column *c = vsctl_get_column(t, ctx->argv[3]);
    check_mutable(t, c);
    struct ovsdb_type rt = relaxed_type(&c->type);
    struct idl_datum d;
    idl_datum_clone(&d, ovsdb_idl_txn_read(ctx->txn, row, c), &c->type);
    for (int i = 4; i < ctx->argc; i++) {
        struct idl_datum v;
        char *err = idl_datum_from_string(&v, &rt, ctx->argv[i],
                                          vsctl_symbol_cb, ctx);
        if (err && !add && ovsdb_type_is_map(&c->type)) {
            /* "remove" from a map also accepts bare keys. */
            struct ovsdb_type kt = rt;
            memset(&kt.value, 0, sizeof kt.value);
            kt.value.type = OVSDB_TYPE_VOID;
            free(err);
            err = idl_datum_from_string(&v, &kt, ctx->argv[i],
                                        vsctl_symbol_cb, ctx);
            if (!err) {
                idl_datum_subtract(&d, &v, &c->type, &kt);
                idl_datum_destroy(&v, &kt);
                continue;
            }
        }
        if (err) {
            vsctl_fatal("%s", err);
        }
        if (add) {
            idl_datum_union(&d, &v, &c->type);
        } else {
            idl_datum_subtract(&d, &v, &c->type, &c->type);
        }
        idl_datum_destroy(&v, &c->type);
    }
    if (add ? d.n > c->type.n_max : d.n < c->type.n_min) {
        vsctl_fatal("\"%s\" operation would put %zu values in column %s of "
                    "table %s but the %s number is %u",
                    add ? "add" : "remove", d.n, c->name, t->name,
                    add ? "maximum" : "minimum",
                    add ? c->type.n_max : c->type.n_min);
    }
    ovsdb_idl_txn_write(ctx->txn, row, c, &d);
    vsctl_invalidate_cache(ctx);
}

static void
cmd_add(struct vsctl_ctx *ctx)
{
    add_or_remove(ctx, true);
}

static void
cmd_remove(struct vsctl_ctx *ctx)
{
    add_or_remove(ctx, false);
}

static void
cmd_clear(struct vsctl_ctx *ctx)
{
    struct idl_table *t;
    struct idl_row *row = get_target_row(ctx, &t);
    if (!row) {
        return;
    }
    for (int i = 3; i < ctx->argc; i++) {
        const struct idl_column *c = vsctl_get_column(t, ctx->argv[i]);
        check_mutable(t, c);
        if (c->type.n_min > 0) {
            vsctl_fatal("\"clear\" operation cannot be applied to column %s "
                        "of table %s, which is not allowed to be empty",
                        c->name, t->name);
        }
        struct idl_datum d;
        idl_datum_init_empty(&d);
        ovsdb_idl_txn_write(ctx->txn, row, c, &d);
    }
    vsctl_invalidate_cache(ctx);
}

static void
cmd_create(struct vsctl_ctx *ctx)
{
    const char *id = vsctl_option_value(ctx, "--id");
    struct idl_table *t = vsctl_get_table(ctx, ctx->argv[1]);
    const char *uuid = NULL;

    if (id) {
        struct vsctl_symbol *s = vsctl_symbol_create(ctx, id);
        if (s->created) {
            vsctl_fatal("row id \"%s\" may only be specified on one --id "
                        "option", id);
        }
        s->created = true;
        uuid = s->uuid;
    } else if (!t->is_root) {
        fprintf(stderr, "%s: warning: --id option is required when creating "
                "a row in non-root table %s; the row will be deleted unless "
                "something refers to it\n", program_name, t->name);
    }
    struct idl_row *row = ovsdb_idl_txn_insert(ctx->txn, t, uuid);
    for (int i = 2; i < ctx->argc; i++) {
        vsctl_set_column(ctx, row, ctx->argv[i]);
    }
    ctx->cmd->created = row;
    vsctl_invalidate_cache(ctx);
}

static void
post_create(struct vsctl_ctx *ctx)
{
    if (ctx->cmd->created) {
        const char *u = ovsdb_idl_txn_get_insert_uuid(ctx->txn,
                                                      ctx->cmd->created);
        ds_put_format(ctx->output, "%s\n", u ? u : ctx->cmd->created->uuid);
    }
}

static void
cmd_destroy(struct vsctl_ctx *ctx)
{
    bool if_exists = vsctl_has_option(ctx, "--if-exists");
    bool all = vsctl_has_option(ctx, "--all");
    struct idl_table *t = vsctl_get_table(ctx, ctx->argv[1]);

    if (all && ctx->argc > 2) {
        vsctl_fatal("--all and records argument should not be specified "
                    "together");
    }
    if (!all && ctx->argc < 3) {
        vsctl_fatal("either --all or records argument should be specified");
    }
    if (all) {
        struct idl_row *row;
        IDL_ROW_FOR_EACH (row, t) {
            ovsdb_idl_txn_delete(ctx->txn, row);
        }
    }
    for (int i = 2; i < ctx->argc; i++) {
        struct idl_row *row = vsctl_get_row(ctx, t, ctx->argv[i], !if_exists);
        if (row) {
            ovsdb_idl_txn_delete(ctx->txn, row);
        }
    }
    vsctl_invalidate_cache(ctx);
}

static void
cmd_get(struct vsctl_ctx *ctx)
{
    static const char *none[] = { "" };
    bool if_exists = vsctl_has_option(ctx, "--if-exists");
    const char *id = vsctl_option_value(ctx, "--id");
    struct idl_table *t = vsctl_get_table(ctx, ctx->argv[1]);
    struct idl_row *row = vsctl_get_row(ctx, t, ctx->argv[2], true);

    if (id) {
        struct vsctl_symbol *s = vsctl_symbol_create(ctx, id);
        if (s->created) {
            vsctl_fatal("row id \"%s\" specified on \"get\" command was "
                        "used before it was defined", id);
        }
        memcpy(s->uuid, row->uuid, sizeof s->uuid);
        s->created = true;
    }
    for (int i = 3; i < ctx->argc; i++) {
        struct col_arg ca;
        parse_col_arg(t, ctx->argv[i], none, 0, false, &ca);
        const struct idl_datum *d = ovsdb_idl_txn_read(ctx->txn, row,
                                                       ca.column);
        const struct ovsdb_type *type = &ca.column->type;
        if (ca.key) {
            union idl_atom k;
            char *err = parse_key(ctx, ca.column, ca.key, &k);
            if (err) {
                vsctl_fatal("%s", err);
            }
            long j = idl_datum_find_key(d, &k, type->key.type);
            idl_atom_destroy(&k, type->key.type);
            if (j < 0) {
                if (!if_exists) {
                    vsctl_fatal("no key \"%s\" in %s record \"%s\" column %s",
                                ca.key, t->name, ctx->argv[2],
                                ca.column->name);
                }
            } else if (vsctl_format == FMT_BARE) {
                struct idl_datum one = { 1, &d->values[j], NULL };
                struct ovsdb_type vt = *type;
                vt.key = type->value;
                memset(&vt.value, 0, sizeof vt.value);
                idl_datum_to_bare(&one, &vt, ctx->output);
                ds_put_char(ctx->output, '\n');
            } else {
                idl_atom_to_string(&d->values[j], type->value.type,
                                   ctx->output);
                ds_put_char(ctx->output, '\n');
            }
        } else {
            if (vsctl_format == FMT_BARE && vsctl_format_set) {
                idl_datum_to_bare(d, type, ctx->output);
            } else {
                idl_datum_to_string(d, type, ctx->output);
            }
            ds_put_char(ctx->output, '\n');
        }
        col_arg_free(&ca);
    }
}

/* Columns to print for list/find: --columns=a,b or all. */
static size_t
output_columns(struct vsctl_ctx *ctx, struct idl_table *t,
               const struct idl_column ***colsp)
{
    const char *spec = vsctl_option_value(ctx, "--columns");
    const struct idl_column **cols;
    size_t n = 0;

    if (!spec) {
        cols = xcalloc(t->n_columns, sizeof *cols);
        cols[n++] = &t->columns[0];
        /* The rest sorted by name, as people expect in "list". */
        for (size_t i = 1; i < t->n_columns; i++) {
            size_t j = n;
            while (j > 1 && strcmp(cols[j - 1]->name, t->columns[i].name) > 0) {
                cols[j] = cols[j - 1];
                j--;
            }
            cols[j] = &t->columns[i];
            n++;
        }
    } else {
        char *copy = xstrdup(spec), *save = NULL;
        cols = xcalloc(strlen(spec) + 1, sizeof *cols);
        for (char *tok = strtok_r(copy, ", ", &save); tok;
             tok = strtok_r(NULL, ", ", &save)) {
            cols[n++] = vsctl_get_column(t, tok);
        }
        free(copy);
    }
    *colsp = cols;
    return n;
}

static void
print_rows(struct vsctl_ctx *ctx, struct idl_table *t, struct idl_row **rows,
           size_t n_rows)
{
    const struct idl_column **cols;
    size_t n_cols = output_columns(ctx, t, &cols);
    struct vsctl_table_out *out = vsctl_table_create(t, cols, n_cols);

    for (size_t i = 0; i < n_rows; i++) {
        for (size_t c = 0; c < n_cols; c++) {
            ovsdb_idl_txn_verify(ctx->txn, rows[i], cols[c]);
        }
        vsctl_table_add_row(out, rows[i]);
    }
    vsctl_table_print(out, vsctl_format, ctx->output);
    vsctl_table_destroy(out);
    free(cols);
}

/* Rows in a stable order: by the first name-like column, else uuid. */
static int
row_cmp(const void *a_, const void *b_)
{
    struct idl_row *const *a = a_, *const *b = b_;
    const char *na = idl_row_get_string(*a, "name");
    const char *nb = idl_row_get_string(*b, "name");
    int c = na && nb ? strcmp(na, nb) : 0;
    return c ? c : strcmp((*a)->uuid, (*b)->uuid);
}

static void
cmd_list(struct vsctl_ctx *ctx)
{
    bool if_exists = vsctl_has_option(ctx, "--if-exists");
    struct idl_table *t = vsctl_get_table(ctx, ctx->argv[1]);
    struct idl_row **rows = NULL;
    size_t n = 0;

    if (ctx->argc > 2) {
        rows = xcalloc(ctx->argc - 2, sizeof *rows);
        for (int i = 2; i < ctx->argc; i++) {
            struct idl_row *row = vsctl_get_row(ctx, t, ctx->argv[i],
                                                !if_exists);
            if (row) {
                rows[n++] = row;
            }
        }
    } else {
        struct idl_row *row;
        rows = xcalloc(hmap_count(&t->rows) + 1, sizeof *rows);
        IDL_ROW_FOR_EACH (row, t) {
            rows[n++] = row;
        }
        qsort(rows, n, sizeof *rows, row_cmp);
    }
    print_rows(ctx, t, rows, n);
    free(rows);
}

/* Evaluates "COLUMN[:KEY] OP VALUE" on 'row'. */
static bool
row_matches(struct vsctl_ctx *ctx, struct idl_row *row, const char *arg)
{
    struct idl_table *t = row->table;
    struct col_arg ca;
    bool result = false;

    parse_col_arg(t, arg, all_ops, ARRAY_SIZE(all_ops), true, &ca);
    const struct ovsdb_type *ct = &ca.column->type;
    const struct idl_datum *have_full = ovsdb_idl_txn_read(ctx->txn, row,
                                                           ca.column);
    struct ovsdb_type type;
    struct idl_datum have, want;
    char *err;

    if (ca.key) {
        union idl_atom k;
        err = parse_key(ctx, ca.column, ca.key, &k);
        if (err) {
            vsctl_fatal("%s", err);
        }
        memset(&type, 0, sizeof type);
        type.key = ct->value;
        type.value.type = OVSDB_TYPE_VOID;
        type.n_min = 0;
        type.n_max = UINT_MAX;
        idl_datum_init_empty(&have);
        long j = idl_datum_find_key(have_full, &k, ct->key.type);
        idl_atom_destroy(&k, ct->key.type);
        if (j >= 0) {
            union idl_atom v;
            idl_atom_clone(&v, &have_full->values[j], ct->value.type);
            idl_datum_add(&have, &v, NULL, &type, true);
        }
    } else {
        type = relaxed_type(ct);
        idl_datum_clone(&have, have_full, ct);
    }
    err = idl_datum_from_string(&want, &type, ca.value, vsctl_symbol_cb, ctx);
    if (err) {
        vsctl_fatal("%s", err);
    }

    const char *op = ca.op;
    int cmp = idl_datum_compare(&have, &want, &type);
    if (!strcmp(op, "=") || !strcmp(op, "{=}")) {
        result = idl_datum_equals(&have, &want, &type);
    } else if (!strcmp(op, "!=") || !strcmp(op, "{!=}")) {
        result = !idl_datum_equals(&have, &want, &type);
    } else if (!strcmp(op, "<")) {
        result = have.n && want.n && cmp < 0;
    } else if (!strcmp(op, ">")) {
        result = have.n && want.n && cmp > 0;
    } else if (!strcmp(op, "<=")) {
        result = have.n && want.n && cmp <= 0;
    } else if (!strcmp(op, ">=")) {
        result = have.n && want.n && cmp >= 0;
    } else if (!strcmp(op, "{<}")) {
        result = (idl_datum_includes(&want, &have, &type)
                  && have.n < want.n);
    } else if (!strcmp(op, "{>}")) {
        result = (idl_datum_includes(&have, &want, &type)
                  && have.n > want.n);
    } else if (!strcmp(op, "{<=}")) {
        result = idl_datum_includes(&want, &have, &type);
    } else if (!strcmp(op, "{>=}")) {
        result = idl_datum_includes(&have, &want, &type);
    }
    idl_datum_destroy(&have, &type);
    idl_datum_destroy(&want, &type);
    col_arg_free(&ca);
    return result;
}

static void
cmd_find(struct vsctl_ctx *ctx)
{
    struct idl_table *t = vsctl_get_table(ctx, ctx->argv[1]);
    struct idl_row **rows = xcalloc(hmap_count(&t->rows) + 1, sizeof *rows);
    struct idl_row *row;
    size_t n = 0;

    IDL_ROW_FOR_EACH (row, t) {
        bool match = true;
        for (int i = 2; i < ctx->argc && match; i++) {
            match = row_matches(ctx, row, ctx->argv[i]);
        }
        if (match) {
            rows[n++] = row;
        }
    }
    qsort(rows, n, sizeof *rows, row_cmp);
    print_rows(ctx, t, rows, n);
    free(rows);
}

static void
cmd_wait_until(struct vsctl_ctx *ctx)
{
    struct idl_table *t = vsctl_get_table(ctx, ctx->argv[1]);
    struct idl_row *row = vsctl_get_row(ctx, t, ctx->argv[2], false);

    if (!row) {
        ctx->try_again = true;
        return;
    }
    for (int i = 3; i < ctx->argc; i++) {
        if (!row_matches(ctx, row, ctx->argv[i])) {
            ctx->try_again = true;
            return;
        }
    }
}

static void
cmd_comment(struct vsctl_ctx *ctx)
{
    for (int i = 1; i < ctx->argc; i++) {
        ovsdb_idl_txn_add_comment(ctx->txn, ctx->argv[i]);
    }
}

/* Empties other_config of 'row', except the key 'keep' if nonnull. */
static void
clear_other_config(struct vsctl_ctx *ctx, struct idl_row *row,
                   const char *keep)
{
    const struct idl_column *c = idl_table_get_column(row->table,
                                                      "other_config");
    if (!c) {
        return;
    }
    const struct idl_datum *cur = ovsdb_idl_txn_read(ctx->txn, row, c);
    struct idl_datum d;
    idl_datum_init_empty(&d);
    for (size_t i = 0; keep && i < cur->n; i++) {
        if (!strcmp(cur->keys[i].string, keep)) {
            union idl_atom k, v;
            idl_atom_clone(&k, &cur->keys[i], c->type.key.type);
            idl_atom_clone(&v, &cur->values[i], c->type.value.type);
            idl_datum_add(&d, &k, &v, &c->type, true);
        }
    }
    ovsdb_idl_txn_write(ctx->txn, row, c, &d);
}

/* "emer-reset": back to a plain switch configuration.  Drops OpenFlow
 * controllers, managers, SSL, mirrors, NetFlow, sFlow and IPFIX, fail
 * modes and flood VLANs, and every other_config key except a bridge's
 * hwaddr (its MAC address is what other hosts know it by).  Bridges,
 * ports, interfaces and VLANs stay. */
static void
cmd_emer_reset(struct vsctl_ctx *ctx)
{
    static const char *const gone[] = {
        "Controller", "Manager", "SSL", "Mirror", "NetFlow", "sFlow", "IPFIX",
    };
    static const char *const bridge_cols[] = {
        "controller", "fail_mode", "mirrors", "netflow", "sflow", "ipfix",
        "flood_vlans",
    };
    struct idl_row *row;

    for (size_t i = 0; i < ARRAY_SIZE(gone); i++) {
        struct idl_table *t = ovsdb_idl_get_table(ctx->idl, gone[i]);
        if (t) {
            IDL_ROW_FOR_EACH (row, t) {
                ovsdb_idl_txn_delete(ctx->txn, row);
            }
        }
    }
    vsctl_clear_column(ctx, ctx->ovs, "manager_options");
    vsctl_clear_column(ctx, ctx->ovs, "ssl");
    clear_other_config(ctx, ctx->ovs, NULL);
    IDL_ROW_FOR_EACH (row, vsctl_get_table(ctx, "Bridge")) {
        for (size_t i = 0; i < ARRAY_SIZE(bridge_cols); i++) {
            vsctl_clear_column(ctx, row, bridge_cols[i]);
        }
        clear_other_config(ctx, row, "hwaddr");
    }
    IDL_ROW_FOR_EACH (row, vsctl_get_table(ctx, "Port")) {
        clear_other_config(ctx, row, NULL);
    }
    IDL_ROW_FOR_EACH (row, vsctl_get_table(ctx, "Interface")) {
        clear_other_config(ctx, row, NULL);
    }
    vsctl_invalidate_cache(ctx);
}

const struct vsctl_command_syntax vsctl_db_commands[] = {
    { "comment", 0, -1, "[ARG]...", cmd_comment, NULL, "", VSCTL_RO },
    { "get", 2, -1, "TABLE RECORD [COLUMN[:KEY]]...", cmd_get, NULL,
      "--if-exists,--id=", VSCTL_RO },
    { "list", 1, -1, "TABLE [RECORD]...", cmd_list, NULL,
      "--if-exists,--columns=", VSCTL_RO },
    { "find", 1, -1, "TABLE [COLUMN[:KEY]=VALUE]...", cmd_find, NULL,
      "--columns=", VSCTL_RO },
    { "set", 3, -1, "TABLE RECORD COLUMN[:KEY]=VALUE...", cmd_set, NULL,
      "--if-exists", VSCTL_RW },
    { "add", 4, -1, "TABLE RECORD COLUMN [KEY=]VALUE...", cmd_add, NULL,
      "--if-exists", VSCTL_RW },
    { "remove", 4, -1, "TABLE RECORD COLUMN KEY|VALUE|KEY=VALUE...",
      cmd_remove, NULL, "--if-exists", VSCTL_RW },
    { "clear", 3, -1, "TABLE RECORD COLUMN...", cmd_clear, NULL,
      "--if-exists", VSCTL_RW },
    { "create", 1, -1, "TABLE COLUMN[:KEY]=VALUE...", cmd_create,
      post_create, "--id=", VSCTL_RW },
    { "destroy", 1, -1, "TABLE [RECORD]...", cmd_destroy, NULL,
      "--if-exists,--all", VSCTL_RW },
    { "emer-reset", 0, 0, "", cmd_emer_reset, NULL, "", VSCTL_RW },
    { "wait-until", 2, -1, "TABLE RECORD [COLUMN[:KEY]=VALUE]...",
      cmd_wait_until, NULL, "", VSCTL_RO },
    { NULL, 0, 0, NULL, NULL, NULL, NULL, VSCTL_RO },
};
