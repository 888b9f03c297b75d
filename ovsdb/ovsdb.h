/* An in-memory OVSDB database: tables of rows, and the "replicas" that are
 * told about every committed transaction (the journal, monitors). */
#ifndef VS_OVSDB_OVSDB_H
#define VS_OVSDB_OVSDB_H 1

#include <stdbool.h>
#include "hmap.h"
#include "list.h"
#include "ovsdb/ovsdb-schema.h"
#include "ovsdb/uuid.h"

struct ovsdb_txn;
struct ovsdb_row;

struct ovsdb_table {
    struct ovsdb_table_schema *schema;  /* Owned by the database's schema. */
    struct hmap rows;           /* ovsdb_row by uuid_hash(); the working
                                 * versions while a transaction runs. */
    struct hmap *indexes;       /* Owned; one per schema index, holding
                                 * committed rows by index hash. */
};

struct ovsdb_replica;

struct ovsdb_replica_class {
    /* Called with the transaction after all checks passed and before it is
     * applied.  An error rejects the transaction. */
    struct ovsdb_error *(*commit)(struct ovsdb_replica *,
                                  const struct ovsdb_txn *, bool durable);
    void (*destroy)(struct ovsdb_replica *);
};

struct ovsdb_replica {
    struct vs_list node;        /* In ovsdb->replicas. */
    const struct ovsdb_replica_class *class;
};

struct ovsdb {
    struct ovsdb_schema *schema;    /* Owned. */
    struct ovsdb_table **tables;    /* Owned; parallel to schema->tables. */
    struct vs_list replicas;        /* ovsdb_replica: journal, monitors. */
    uint64_t n_commits;             /* Committed transactions so far. */
};

/* Takes ownership of 'schema'. */
struct ovsdb *ovsdb_create(struct ovsdb_schema *);
void ovsdb_destroy(struct ovsdb *);
struct ovsdb_table *ovsdb_get_table(const struct ovsdb *, const char *name);
void ovsdb_add_replica(struct ovsdb *, struct ovsdb_replica *);
void ovsdb_remove_replica(struct ovsdb *, struct ovsdb_replica *);

/* Returns the row with 'uuid' as the running transaction sees it, or NULL. */
struct ovsdb_row *ovsdb_table_get_row(const struct ovsdb_table *,
                                      const struct uuid *);
size_t ovsdb_table_n_rows(const struct ovsdb_table *);

#endif /* ovsdb/ovsdb.h */
