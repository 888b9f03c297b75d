/* Rows of an in-memory OVSDB table. */
#ifndef VS_OVSDB_ROW_H
#define VS_OVSDB_ROW_H 1

#include <stdbool.h>
#include <json-c/json.h>
#include "hmap.h"
#include "ovsdb/ovsdb-datum.h"
#include "ovsdb/ovsdb-schema.h"

struct ovsdb_table;
struct ovsdb_txn_row;

struct ovsdb_row {
    struct hmap_node hmap_node;     /* In table->rows. */
    struct ovsdb_table *table;
    struct ovsdb_txn_row *txn_row;  /* Set while a transaction touches it. */
    size_t n_refs;                  /* Committed strong references to it. */
    struct hmap_node *index_nodes;  /* In table->indexes[i]; tail of alloc. */
    struct ovsdb_datum fields[];    /* One per column, by column index. */
};

static inline const struct uuid *
ovsdb_row_get_uuid(const struct ovsdb_row *row)
{
    return &row->fields[OVSDB_COL_UUID].keys[0].uuid;
}

/* The row whose k'th index node is 'node'. */
static inline struct ovsdb_row *
ovsdb_row_from_index_node(const struct hmap_node *node, size_t k)
{
    /* Layout: row, fields[n_columns], back pointer, index_nodes[]. */
    const char *first = (const char *) (node - k);
    return *(struct ovsdb_row *const *) (first - sizeof(struct ovsdb_row *));
}

/* A row with default values in every column (and zero _uuid). */
struct ovsdb_row *ovsdb_row_create(struct ovsdb_table *);
struct ovsdb_row *ovsdb_row_clone(const struct ovsdb_row *);
void ovsdb_row_destroy(struct ovsdb_row *);
void ovsdb_row_set_uuid(struct ovsdb_row *, const struct uuid *);

/* Parses {"column": value, ...} into 'row'.  Adds each column named to
 * 'columns' if non-NULL.  Rejects unknown columns and, unless 'allow_ro',
 * the read-only _uuid and _version. */
struct ovsdb_error *ovsdb_row_from_json(struct ovsdb_row *, struct json_object *,
                                        struct ovsdb_symbol_table *,
                                        struct ovsdb_column_set *columns,
                                        bool allow_ro)
    __attribute__((warn_unused_result));
/* Returns {"column": value} for 'columns' (all columns if NULL). */
struct json_object *ovsdb_row_to_json(const struct ovsdb_row *,
                                      const struct ovsdb_column_set *columns);
uint32_t ovsdb_row_hash_columns(const struct ovsdb_row *,
                                const struct ovsdb_column_set *, uint32_t basis);
bool ovsdb_row_equal_columns(const struct ovsdb_row *, const struct ovsdb_row *,
                             const struct ovsdb_column_set *);

/* Column sets. */
void ovsdb_column_set_init(struct ovsdb_column_set *);
void ovsdb_column_set_add(struct ovsdb_column_set *, const struct ovsdb_column *);
bool ovsdb_column_set_contains(const struct ovsdb_column_set *, unsigned int index);
void ovsdb_column_set_add_all(struct ovsdb_column_set *,
                              const struct ovsdb_table_schema *);
struct ovsdb_error *ovsdb_column_set_from_json(struct json_object *,
                                               const struct ovsdb_table_schema *,
                                               struct ovsdb_column_set *)
    __attribute__((warn_unused_result));

#endif /* ovsdb/ovsdb-row.h */
