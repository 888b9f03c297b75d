#include <config.h>
#include "ovsdb/ovsdb-monitor.h"

#include <string.h>

#include "list.h"
#include "ovsdb/ovsdb.h"
#include "ovsdb/ovsdb-condition.h"
#include "ovsdb/ovsdb-error.h"
#include "ovsdb/ovsdb-row.h"
#include "ovsdb/ovsdb-txn.h"

/* The replica shared by every monitor of one database. */
struct monitor_hub {
    struct ovsdb_replica replica;
    struct ovsdb *db;
    struct vs_list monitors;        /* ovsdb_monitor. */
};

struct mon_table {
    struct ovsdb_table *table;
    struct ovsdb_column_set columns;
    bool initial, insert, delete, modify;
    struct ovsdb_condition *conds;  /* OR of these; none means "all rows". */
    size_t n_conds;
};

struct ovsdb_monitor {
    struct vs_list node;            /* In hub->monitors. */
    struct monitor_hub *hub;
    int version;
    struct json_object *id;         /* Owned. */
    struct mon_table *tables;       /* Owned. */
    size_t n_tables;
    ovsdb_monitor_notify_cb *notify;
    void *owner;
    struct json_object *pending;    /* Table-updates being built, or NULL. */
};

static const struct ovsdb_replica_class hub_class;

static struct monitor_hub *
hub_get(struct ovsdb *db, bool create)
{
    struct ovsdb_replica *r;
    VS_LIST_FOR_EACH (r, node, &db->replicas) {
        if (r->class == &hub_class) {
            return CONTAINER_OF(r, struct monitor_hub, replica);
        }
    }
    if (!create) {
        return NULL;
    }
    struct monitor_hub *hub = xzalloc(sizeof *hub);
    hub->replica.class = &hub_class;
    hub->db = db;
    vs_list_init(&hub->monitors);
    ovsdb_add_replica(db, &hub->replica);
    return hub;
}

size_t
ovsdb_monitor_count(const struct ovsdb *db)
{
    struct monitor_hub *hub = hub_get((struct ovsdb *) db, false);
    return hub ? vs_list_size(&hub->monitors) : 0;
}

static void
mon_table_destroy(struct mon_table *mt)
{
    ovsdb_column_set_destroy(&mt->columns);
    for (size_t i = 0; i < mt->n_conds; i++) {
        ovsdb_condition_destroy(&mt->conds[i]);
    }
    free(mt->conds);
    mt->conds = NULL;
    mt->n_conds = 0;
}

static bool
row_matches(const struct mon_table *mt, const struct ovsdb_row *row)
{
    if (!row) {
        return false;
    }
    if (!mt->n_conds) {
        return true;
    }
    for (size_t i = 0; i < mt->n_conds; i++) {
        if (ovsdb_condition_match(row, &mt->conds[i])) {
            return true;
        }
    }
    return false;
}

static struct ovsdb_error *
parse_select(struct json_object *req, struct mon_table *mt)
{
    struct json_object *select;
    if (!json_object_object_get_ex(req, "select", &select) || !select) {
        mt->initial = mt->insert = mt->delete = mt->modify = true;
        return NULL;
    }
    if (!json_object_is_type(select, json_type_object)) {
        return ovsdb_syntax_error(req, "\"select\" must be an object");
    }
    static const char *const names[] = { "initial", "insert", "delete", "modify" };
    bool *flags[] = { &mt->initial, &mt->insert, &mt->delete, &mt->modify };
    for (size_t i = 0; i < 4; i++) {
        struct json_object *v;
        if (!json_object_object_get_ex(select, names[i], &v)) {
            *flags[i] = true;
        } else if (json_object_is_type(v, json_type_boolean)) {
            *flags[i] |= json_object_get_boolean(v);
        } else {
            return ovsdb_syntax_error(req, "\"%s\" must be a boolean", names[i]);
        }
    }
    return NULL;
}

/* Parses one table's request(s) into 'mt' (freshly zeroed). */
static struct ovsdb_error *
parse_table_requests(struct ovsdb_monitor *m, struct ovsdb_table *table,
                     struct json_object *reqs, struct mon_table *mt,
                     bool conditions_only)
{
    struct json_object *single[1] = { reqs };
    size_t n = 1;
    struct ovsdb_error *error;

    if (json_object_is_type(reqs, json_type_array)) {
        n = json_object_array_length(reqs);
    }
    mt->table = table;
    for (size_t i = 0; i < n; i++) {
        struct json_object *req = json_object_is_type(reqs, json_type_array)
                                  ? json_object_array_get_idx(reqs, i) : single[0];
        struct json_object *columns, *where;
        if (!json_object_is_type(req, json_type_object)) {
            return ovsdb_syntax_error(req, "monitor request must be an object");
        }
        if (!conditions_only) {
            if ((error = parse_select(req, mt))) {
                return error;
            }
            if (json_object_object_get_ex(req, "columns", &columns) && columns) {
                struct ovsdb_column_set set;
                if ((error = ovsdb_column_set_from_json(columns, table->schema, &set))) {
                    return error;
                }
                for (size_t j = 0; j < set.n; j++) {
                    ovsdb_column_set_add(&mt->columns, set.columns[j]);
                }
                ovsdb_column_set_destroy(&set);
            } else {
                for (size_t j = OVSDB_N_FIXED_COLUMNS; j < table->schema->n_columns; j++) {
                    ovsdb_column_set_add(&mt->columns, table->schema->columns[j]);
                }
            }
        }
        if (json_object_object_get_ex(req, "where", &where) && where) {
            if (m->version < 2) {
                return ovsdb_syntax_error(req, "\"where\" needs monitor_cond");
            }
            struct ovsdb_condition cond;
            if ((error = ovsdb_condition_from_json(table->schema, where, NULL, &cond))) {
                return error;
            }
            if (ovsdb_condition_is_true(&cond)) {
                ovsdb_condition_destroy(&cond);
                goto all_rows;
            }
            mt->conds = xrealloc(mt->conds, (mt->n_conds + 1) * sizeof *mt->conds);
            mt->conds[mt->n_conds++] = cond;
        } else {
            goto all_rows;
        }
        continue;
    all_rows:
        /* Remaining requests may add columns, but every row matches. */
        for (size_t k = 0; k < mt->n_conds; k++) {
            ovsdb_condition_destroy(&mt->conds[k]);
        }
        mt->n_conds = 0;
        for (i++; i < n && !conditions_only; i++) {
            struct json_object *r2 = json_object_array_get_idx(reqs, i);
            struct json_object *cols;
            if (json_object_is_type(r2, json_type_object)
                && json_object_object_get_ex(r2, "columns", &cols) && cols) {
                struct ovsdb_column_set set;
                if (!ovsdb_column_set_from_json(cols, table->schema, &set)) {
                    for (size_t j = 0; j < set.n; j++) {
                        ovsdb_column_set_add(&mt->columns, set.columns[j]);
                    }
                    ovsdb_column_set_destroy(&set);
                }
                (void) parse_select(r2, mt);
            }
        }
        break;
    }
    return NULL;
}

static struct json_object *
row_json(const struct ovsdb_row *row, const struct mon_table *mt, bool skip_defaults)
{
    struct json_object *obj = json_object_new_object();
    for (size_t i = 0; i < mt->columns.n; i++) {
        const struct ovsdb_column *c = mt->columns.columns[i];
        if (skip_defaults && ovsdb_datum_is_default(&row->fields[c->index], &c->type)) {
            continue;
        }
        json_object_object_add(obj, c->name,
                               ovsdb_datum_to_json(&row->fields[c->index], &c->type));
    }
    return obj;
}

static void
add_row_update(struct json_object *updates, const struct mon_table *mt,
               const struct uuid *uuid, struct json_object *row_update)
{
    struct json_object *t;
    char s[UUID_LEN + 1];
    if (!json_object_object_get_ex(updates, mt->table->schema->name, &t)) {
        t = json_object_new_object();
        json_object_object_add(updates, mt->table->schema->name, t);
    }
    uuid_format(uuid, s);
    json_object_object_add(t, s, row_update);
}

static struct json_object *
initial_updates(const struct ovsdb_monitor *m)
{
    struct json_object *updates = json_object_new_object();
    for (size_t t = 0; t < m->n_tables; t++) {
        const struct mon_table *mt = &m->tables[t];
        struct ovsdb_row *row;
        if (!mt->initial) {
            continue;
        }
        HMAP_FOR_EACH (row, hmap_node, &mt->table->rows) {
            if (!row_matches(mt, row)) {
                continue;
            }
            struct json_object *ru = json_object_new_object();
            json_object_object_add(ru, m->version == 1 ? "new" : "initial",
                                   row_json(row, mt, m->version > 1));
            add_row_update(updates, mt, ovsdb_row_get_uuid(row), ru);
        }
    }
    return updates;
}

/* The row-update (v1) or row-update2 (v2+) for one change, or NULL. */
static struct json_object *
change_json(const struct ovsdb_monitor *m, const struct mon_table *mt,
            const struct ovsdb_row *old, const struct ovsdb_row *new,
            const unsigned long *changed)
{
    bool was = row_matches(mt, old), is = row_matches(mt, new);
    struct json_object *ru;

    if (!was && is) {
        if (!mt->insert) {
            return NULL;
        }
        ru = json_object_new_object();
        json_object_object_add(ru, m->version == 1 ? "new" : "insert",
                               row_json(new, mt, m->version > 1));
        return ru;
    } else if (was && !is) {
        if (!mt->delete) {
            return NULL;
        }
        ru = json_object_new_object();
        if (m->version == 1) {
            json_object_object_add(ru, "old", row_json(old, mt, false));
        } else {
            json_object_object_add(ru, "delete", NULL);
        }
        return ru;
    } else if (!was || !mt->modify) {
        return NULL;
    }

    /* A modification: only if a monitored column changed. */
    struct json_object *olds = NULL, *diffs = NULL;
    for (size_t i = 0; i < mt->columns.n; i++) {
        const struct ovsdb_column *c = mt->columns.columns[i];
        if (!bitmap_is_set(changed, c->index)) {
            continue;
        }
        if (m->version == 1) {
            if (!olds) {
                olds = json_object_new_object();
            }
            json_object_object_add(olds, c->name,
                                   ovsdb_datum_to_json(&old->fields[c->index], &c->type));
        } else {
            struct ovsdb_datum diff;
            ovsdb_datum_diff(&diff, &old->fields[c->index], &new->fields[c->index],
                             &c->type);
            struct ovsdb_type relaxed = c->type;
            relaxed.n_min = 0;
            relaxed.n_max = OVSDB_UNLIMITED;
            if (!diffs) {
                diffs = json_object_new_object();
            }
            json_object_object_add(diffs, c->name, ovsdb_datum_to_json(
                                       &diff, ovsdb_type_is_scalar(&c->type)
                                       ? &c->type : &relaxed));
            ovsdb_datum_destroy(&diff, &c->type);
        }
    }
    if (!olds && !diffs) {
        return NULL;
    }
    ru = json_object_new_object();
    if (m->version == 1) {
        json_object_object_add(ru, "old", olds);
        json_object_object_add(ru, "new", row_json(new, mt, false));
    } else {
        json_object_object_add(ru, "modify", diffs);
    }
    return ru;
}

struct commit_aux {
    struct monitor_hub *hub;
};

static void
hub_change(const struct ovsdb_row *old, const struct ovsdb_row *new,
           const unsigned long *changed, void *aux_)
{
    struct commit_aux *aux = aux_;
    const struct ovsdb_row *row = new ? new : old;
    struct ovsdb_monitor *m;
    VS_LIST_FOR_EACH (m, node, &aux->hub->monitors) {
        for (size_t t = 0; t < m->n_tables; t++) {
            const struct mon_table *mt = &m->tables[t];
            if (mt->table != row->table) {
                continue;
            }
            struct json_object *ru = change_json(m, mt, old, new, changed);
            if (ru) {
                if (!m->pending) {
                    m->pending = json_object_new_object();
                }
                add_row_update(m->pending, mt, ovsdb_row_get_uuid(row), ru);
            }
        }
    }
}

static void
send_updates(struct ovsdb_monitor *m, struct json_object *updates)
{
    struct json_object *params = json_object_new_array();
    json_object_array_add(params, json_object_get(m->id));
    if (m->version == 3) {
        struct uuid txn_id;
        char s[UUID_LEN + 1];
        uuid_generate(&txn_id);
        uuid_format(&txn_id, s);
        json_object_array_add(params, json_object_new_string(s));
    }
    json_object_array_add(params, updates);
    m->notify(m->owner, m->version == 1 ? "update" : m->version == 2 ? "update2"
              : "update3", params);
}

static struct ovsdb_error *
hub_commit(struct ovsdb_replica *replica, const struct ovsdb_txn *txn,
           bool durable VS_UNUSED)
{
    struct monitor_hub *hub = CONTAINER_OF(replica, struct monitor_hub, replica);
    struct commit_aux aux = { hub };
    if (vs_list_is_empty(&hub->monitors)) {
        return NULL;
    }
    ovsdb_txn_for_each_change(txn, hub_change, &aux);
    struct ovsdb_monitor *m;
    VS_LIST_FOR_EACH (m, node, &hub->monitors) {
        if (m->pending) {
            struct json_object *updates = m->pending;
            m->pending = NULL;
            send_updates(m, updates);
        }
    }
    return NULL;
}

static void
hub_destroy(struct ovsdb_replica *replica)
{
    struct monitor_hub *hub = CONTAINER_OF(replica, struct monitor_hub, replica);
    struct ovsdb_monitor *m, *next;
    VS_LIST_FOR_EACH_SAFE (m, next, node, &hub->monitors) {
        vs_list_remove(&m->node);
        m->hub = NULL;
    }
    free(hub);
}

static const struct ovsdb_replica_class hub_class = { hub_commit, hub_destroy };

struct ovsdb_error *
ovsdb_monitor_create(struct ovsdb *db, int version, struct json_object *id,
                     struct json_object *requests, ovsdb_monitor_notify_cb *notify,
                     void *owner, struct ovsdb_monitor **mp,
                     struct json_object **initial)
{
    struct ovsdb_monitor *m = xzalloc(sizeof *m);
    struct ovsdb_error *error = NULL;

    *mp = NULL;
    *initial = NULL;
    m->version = version;
    m->id = json_object_get(id);
    m->notify = notify;
    m->owner = owner;
    if (!json_object_is_type(requests, json_type_object)) {
        error = ovsdb_syntax_error(requests, "monitor requests must be an object");
        goto fail;
    }
    m->tables = xcalloc(json_object_object_length(requests) + 1, sizeof *m->tables);
    json_object_object_foreach(requests, tname, reqs) {
        struct ovsdb_table *table = ovsdb_get_table(db, tname);
        if (!table) {
            error = ovsdb_syntax_error(NULL, "no table named %s", tname);
            goto fail;
        }
        struct mon_table *mt = &m->tables[m->n_tables++];
        error = parse_table_requests(m, table, reqs, mt, false);
        if (error) {
            goto fail;
        }
    }
    m->hub = hub_get(db, true);
    vs_list_push_back(&m->hub->monitors, &m->node);
    *initial = initial_updates(m);
    *mp = m;
    return NULL;

fail:
    m->hub = NULL;
    vs_list_init(&m->node);
    ovsdb_monitor_destroy(m);
    return error;
}

void
ovsdb_monitor_destroy(struct ovsdb_monitor *m)
{
    if (!m) {
        return;
    }
    if (m->hub) {
        vs_list_remove(&m->node);
    }
    for (size_t i = 0; i < m->n_tables; i++) {
        mon_table_destroy(&m->tables[i]);
    }
    free(m->tables);
    json_object_put(m->id);
    json_object_put(m->pending);
    free(m);
}

struct json_object *
ovsdb_monitor_get_id(const struct ovsdb_monitor *m)
{
    return m->id;
}

void
ovsdb_monitor_set_id(struct ovsdb_monitor *m, struct json_object *id)
{
    json_object_put(m->id);
    m->id = json_object_get(id);
}

struct ovsdb_error *
ovsdb_monitor_change_conditions(struct ovsdb_monitor *m, struct json_object *requests)
{
    if (!json_object_is_type(requests, json_type_object)) {
        return ovsdb_syntax_error(requests, "monitor requests must be an object");
    }
    struct json_object *updates = json_object_new_object();
    json_object_object_foreach(requests, tname, reqs) {
        struct mon_table *mt = NULL;
        for (size_t i = 0; i < m->n_tables; i++) {
            if (!strcmp(m->tables[i].table->schema->name, tname)) {
                mt = &m->tables[i];
            }
        }
        if (!mt) {
            json_object_put(updates);
            return ovsdb_syntax_error(NULL, "table %s is not monitored", tname);
        }
        struct mon_table fresh = *mt;
        fresh.conds = NULL;
        fresh.n_conds = 0;
        struct ovsdb_error *error = parse_table_requests(m, mt->table, reqs, &fresh, true);
        if (error) {
            for (size_t i = 0; i < fresh.n_conds; i++) {
                ovsdb_condition_destroy(&fresh.conds[i]);
            }
            free(fresh.conds);
            json_object_put(updates);
            return error;
        }
        /* Rows that enter or leave the monitored set. */
        struct ovsdb_row *row;
        HMAP_FOR_EACH (row, hmap_node, &mt->table->rows) {
            bool was = row_matches(mt, row), is = row_matches(&fresh, row);
            if (was == is) {
                continue;
            }
            struct json_object *ru = json_object_new_object();
            if (is) {
                json_object_object_add(ru, m->version == 1 ? "new" : "insert",
                                       row_json(row, mt, m->version > 1));
            } else if (m->version == 1) {
                json_object_object_add(ru, "old", row_json(row, mt, false));
            } else {
                json_object_object_add(ru, "delete", NULL);
            }
            add_row_update(updates, mt, ovsdb_row_get_uuid(row), ru);
        }
        for (size_t i = 0; i < mt->n_conds; i++) {
            ovsdb_condition_destroy(&mt->conds[i]);
        }
        free(mt->conds);
        mt->conds = fresh.conds;
        mt->n_conds = fresh.n_conds;
    }
    if (json_object_object_length(updates)) {
        send_updates(m, updates);
    } else {
        json_object_put(updates);
    }
    return NULL;
}
