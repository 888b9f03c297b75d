#include <config.h>
#include "ovsdb/ovsdb.h"

#include <string.h>

#include "ovsdb/ovsdb-row.h"

static struct ovsdb_table *
table_create(struct ovsdb_table_schema *ts)
{
    struct ovsdb_table *table = xzalloc(sizeof *table);
    table->schema = ts;
    hmap_init(&table->rows);
    table->indexes = xcalloc(ts->n_indexes ? ts->n_indexes : 1, sizeof *table->indexes);
    for (size_t i = 0; i < ts->n_indexes; i++) {
        hmap_init(&table->indexes[i]);
    }
    return table;
}

static void
table_destroy(struct ovsdb_table *table)
{
    struct ovsdb_row *row, *next;
    for (size_t i = 0; i < table->schema->n_indexes; i++) {
        hmap_destroy(&table->indexes[i]);
    }
    free(table->indexes);
    HMAP_FOR_EACH_SAFE (row, next, hmap_node, &table->rows) {
        ovsdb_row_destroy(row);
    }
    hmap_destroy(&table->rows);
    free(table);
}

struct ovsdb *
ovsdb_create(struct ovsdb_schema *schema)
{
    struct ovsdb *db = xzalloc(sizeof *db);
    db->schema = schema;
    db->tables = xcalloc(schema->n_tables ? schema->n_tables : 1, sizeof *db->tables);
    for (size_t i = 0; i < schema->n_tables; i++) {
        db->tables[i] = table_create(schema->tables[i]);
    }
    vs_list_init(&db->replicas);
    return db;
}

void
ovsdb_destroy(struct ovsdb *db)
{
    if (!db) {
        return;
    }
    struct ovsdb_replica *r, *next;
    VS_LIST_FOR_EACH_SAFE (r, next, node, &db->replicas) {
        vs_list_remove(&r->node);
        r->class->destroy(r);
    }
    for (size_t i = 0; i < db->schema->n_tables; i++) {
        table_destroy(db->tables[i]);
    }
    free(db->tables);
    ovsdb_schema_destroy(db->schema);
    free(db);
}

struct ovsdb_table *
ovsdb_get_table(const struct ovsdb *db, const char *name)
{
    for (size_t i = 0; i < db->schema->n_tables; i++) {
        if (!strcmp(db->schema->tables[i]->name, name)) {
            return db->tables[i];
        }
    }
    return NULL;
}

void
ovsdb_add_replica(struct ovsdb *db, struct ovsdb_replica *r)
{
    vs_list_push_back(&db->replicas, &r->node);
}

void
ovsdb_remove_replica(struct ovsdb *db VS_UNUSED, struct ovsdb_replica *r)
{
    vs_list_remove(&r->node);
}

struct ovsdb_row *
ovsdb_table_get_row(const struct ovsdb_table *table, const struct uuid *uuid)
{
    struct ovsdb_row *row;
    HMAP_FOR_EACH_WITH_HASH (row, hmap_node, uuid_hash(uuid), &table->rows) {
        if (uuid_equals(ovsdb_row_get_uuid(row), uuid)) {
            return row;
        }
    }
    return NULL;
}

size_t
ovsdb_table_n_rows(const struct ovsdb_table *table)
{
    return hmap_count(&table->rows);
}
