/* Transactions on an in-memory database.
 *
 * While a transaction runs, table->rows holds the working versions (so reads
 * see the transaction's own changes); each touched row has a txn_row with
 * the committed version ('old') and the working one ('new').  Commit checks
 * referential integrity, garbage-collects unreferenced non-root rows, prunes
 * weak references, checks sizes, maxRows and indexes, hands the result to
 * the replicas (journal, monitors) and only then makes it permanent; any
 * failure undoes everything. */
#ifndef VS_OVSDB_TXN_H
#define VS_OVSDB_TXN_H 1

#include <stdbool.h>
#include "hmap.h"
#include "list.h"

struct ovsdb;
struct ovsdb_row;
struct ovsdb_table;
struct ovsdb_error;

struct ovsdb_txn_row {
    struct vs_list node;            /* In txn->txn_rows. */
    struct hmap_node hmap_node;     /* In txn->by_uuid. */
    struct ovsdb_table *table;
    struct ovsdb_row *old;          /* Committed version; NULL if inserted. */
    struct ovsdb_row *new;          /* Working version; NULL if deleted; may
                                     * equal 'old' if only n_refs changes. */
    long long n_refs;               /* Strong references after commit. */
    unsigned long *changed;         /* Bitmap of columns changed (at commit). */
};

struct ovsdb_txn {
    struct ovsdb *db;
    struct vs_list txn_rows;        /* ovsdb_txn_row, in first-touch order. */
    struct hmap by_uuid;            /* The same, by row UUID. */
    char *comment;                  /* Owned; "comment" operations, or NULL. */
};

struct ovsdb_txn *ovsdb_txn_create(struct ovsdb *);
void ovsdb_txn_abort(struct ovsdb_txn *);
/* Checks and commits, then destroys 'txn' either way. */
struct ovsdb_error *ovsdb_txn_commit(struct ovsdb_txn *, bool durable)
    __attribute__((warn_unused_result));
void ovsdb_txn_add_comment(struct ovsdb_txn *, const char *);

/* Adds 'row' (with its _uuid set) to its table. */
void ovsdb_txn_row_insert(struct ovsdb_txn *, struct ovsdb_row *);
/* Returns a writable working copy of 'row' (a row of the working set). */
struct ovsdb_row *ovsdb_txn_row_modify(struct ovsdb_txn *, struct ovsdb_row *);
void ovsdb_txn_row_delete(struct ovsdb_txn *, struct ovsdb_row *);

/* For replicas: the effective changes of a transaction being committed. */
typedef void ovsdb_txn_change_cb(const struct ovsdb_row *old,
                                 const struct ovsdb_row *new,
                                 const unsigned long *changed, void *aux);
void ovsdb_txn_for_each_change(const struct ovsdb_txn *, ovsdb_txn_change_cb *,
                               void *aux);
bool ovsdb_txn_is_empty(const struct ovsdb_txn *);

static inline bool
bitmap_is_set(const unsigned long *map, size_t i)
{
    return (map[i / (8 * sizeof *map)] >> (i % (8 * sizeof *map))) & 1;
}

#endif /* ovsdb/ovsdb-txn.h */
