/* The OVSDB client IDL: a replica of a database kept in sync with the server
 * by "monitor_cond" (or "monitor" with servers that lack it), with change
 * tracking, and transactions built against the replica.
 *
 * The IDL is driven by the schema it fetches from the server, so it works
 * with any database; tables and columns are looked up by name.  Column 0 of
 * every table is the read-only "_uuid".
 *
 * A transaction keeps its changes in an overlay on the rows it touches.
 * Every column a transaction reads through ovsdb_idl_txn_read() becomes an
 * optimistic "wait" guard in the commit: if another client changed it
 * meanwhile, the server refuses the transaction and the commit returns
 * IDL_TXN_TRY_AGAIN, after which the caller refreshes the replica
 * (ovsdb_idl_run()) and runs its logic again.
 *
 * Not thread-safe; one IDL per thread. */
#ifndef VS_OVSDB_IDL_H
#define VS_OVSDB_IDL_H 1

#include <stdbool.h>
#include <stdint.h>
#include "hmap.h"
#include "list.h"
#include "idl-datum.h"

struct ovsdb_idl;
struct ovsdb_idl_txn;

struct idl_column {
    char *name;
    size_t idx;                 /* Index in its table's 'columns'. */
    struct ovsdb_type type;
    bool is_mutable;
    bool ephemeral;
    bool monitored;             /* Replicated (default); else stays at its
                                 * default value in the replica. */
};

struct idl_table {
    struct hmap_node node;      /* In the IDL's 'tables', by name. */
    struct ovsdb_idl *idl;
    char *name;
    struct idl_column *columns; /* Owned; columns[0] is "_uuid". */
    size_t n_columns;
    bool is_root;
    unsigned int max_rows;      /* UINT_MAX if unlimited. */
    struct hmap rows;           /* 'struct idl_row's by uuid hash; includes
                                 * rows a transaction inserts. */
    bool monitored;
};

struct idl_row {
    struct hmap_node node;      /* In table's 'rows'. */
    struct idl_table *table;
    char uuid[37];
    struct idl_datum *old;      /* Replica values (n_columns); NULL for a row
                                 * that a transaction is inserting. */
    struct idl_datum *new;      /* Transaction values; NULL if untouched. */
    uint8_t *written;           /* Per column, set by the transaction. */
    uint8_t *read;              /* Per column, a guard for the commit. */
    struct idl_datum *set_adds; /* Per column: partial set changes, sent */
    struct idl_datum *set_dels; /* as "mutate"; NULL if none. */
    bool deleted;               /* Deleted by the transaction. */
    bool in_txn;                /* On the transaction's 'rows' list. */
    struct vs_list txn_node;
    unsigned int change_seqno;  /* IDL seqno of the last change (tracking). */
};

/* Connects to 'remote' ("unix:PATH" or "tcp:IP:PORT"), fetches the schema
 * of 'db_name' and returns the IDL.  On error returns NULL and sets '*errp'
 * to a message (caller frees). */
struct ovsdb_idl *ovsdb_idl_create(const char *remote, const char *db_name,
                                   int timeout_ms, char **errp);
void ovsdb_idl_destroy(struct ovsdb_idl *);

struct idl_table *ovsdb_idl_get_table(const struct ovsdb_idl *,
                                      const char *name);
const struct idl_column *idl_table_get_column(const struct idl_table *,
                                              const char *name);
/* Tables in schema order. */
size_t ovsdb_idl_n_tables(const struct ovsdb_idl *);
struct idl_table *ovsdb_idl_table_at(const struct ovsdb_idl *, size_t);

/* Replicates only these tables and columns (default: all).  Call before
 * ovsdb_idl_monitor().  Unmonitored columns keep their default values. */
void ovsdb_idl_set_monitored(struct ovsdb_idl *, const char *table, bool);
void ovsdb_idl_set_column_monitored(struct ovsdb_idl *, const char *table,
                                    const char *column, bool);
/* A client that only runs one transaction may not need updates: with
 * 'on', the server sends the initial rows only (no updates, not even of
 * our own changes), and after IDL_TXN_TRY_AGAIN the caller refreshes with
 * ovsdb_idl_resnapshot(). */
void ovsdb_idl_set_snapshot_only(struct ovsdb_idl *, bool on);
int ovsdb_idl_resnapshot(struct ovsdb_idl *, int timeout_ms, char **errp);
/* Starts monitoring and waits (up to 'timeout_ms') for the snapshot. */
int ovsdb_idl_monitor(struct ovsdb_idl *, int timeout_ms, char **errp);
/* Applies what the server sent, waiting up to 'timeout_ms' for the first
 * message (0: only what is there).  Returns 0 or an errno (EOF when the
 * server went away). */
int ovsdb_idl_run(struct ovsdb_idl *, int timeout_ms);
/* With 'on', losing the server does not end the IDL: ovsdb_idl_run()
 * reconnects with backoff (100 ms doubling to 8 s), takes a new snapshot
 * and reports the rows that changed meanwhile as changes.  Daemons want
 * this; one-shot tools do not. */
void ovsdb_idl_set_reconnect(struct ovsdb_idl *, bool on);
bool ovsdb_idl_is_connected(const struct ovsdb_idl *);
/* For daemons' main loops: wakes poll_block() when the server sends
 * something (or at once if updates are queued). */
void ovsdb_idl_wait(const struct ovsdb_idl *);
/* Bumped whenever the replica changes. */
unsigned int ovsdb_idl_get_seqno(const struct ovsdb_idl *);
/* True if the server speaks monitor_cond (else plain monitor). */
bool ovsdb_idl_has_monitor_cond(const struct ovsdb_idl *);

/* Change tracking: rows changed after 'seqno' have change_seqno > seqno;
 * rows deleted after it are returned by ovsdb_idl_deleted_since(). */
size_t ovsdb_idl_deleted_since(const struct ovsdb_idl *, unsigned int seqno,
                               const char *table, char (**uuids)[37]);

/* Forgets the deleted rows remembered for ovsdb_idl_deleted_since(). */
void ovsdb_idl_track_clear(struct ovsdb_idl *);

struct idl_row *idl_table_find_row(const struct idl_table *,
                                   const char *uuid);
struct idl_row *idl_table_first(const struct idl_table *);
struct idl_row *idl_table_next(const struct idl_table *,
                               const struct idl_row *);
#define IDL_ROW_FOR_EACH(ROW, TABLE)                                     \
    for ((ROW) = idl_table_first(TABLE); (ROW);                         \
         (ROW) = idl_table_next(TABLE, ROW))

/* The row's current value of 'column' (transaction's if written).  Does not
 * record a guard; see ovsdb_idl_txn_read(). */
const struct idl_datum *idl_row_get(const struct idl_row *,
                                    const struct idl_column *);
/* Convenience: first string/integer of a column named 'column'. */
const char *idl_row_get_string(const struct idl_row *, const char *column);
long long idl_row_get_int(const struct idl_row *, const char *column,
                          long long dflt);

/* Transactions. */
enum ovsdb_idl_txn_status {
    IDL_TXN_UNCHANGED,          /* Nothing to do. */
    IDL_TXN_SUCCESS,
    IDL_TXN_TRY_AGAIN,          /* A guard failed: refresh and retry. */
    IDL_TXN_ERROR               /* See ovsdb_idl_txn_get_error(). */
};
const char *ovsdb_idl_txn_status_to_string(enum ovsdb_idl_txn_status);

struct ovsdb_idl_txn *ovsdb_idl_txn_create(struct ovsdb_idl *);
/* Reads 'column' of 'row' and makes it a guard of the commit. */
const struct idl_datum *ovsdb_idl_txn_read(struct ovsdb_idl_txn *,
                                           struct idl_row *,
                                           const struct idl_column *);
void ovsdb_idl_txn_verify(struct ovsdb_idl_txn *, struct idl_row *,
                          const struct idl_column *);
/* Sets 'column' of 'row' to 'value', taking ownership of its contents. */
void ovsdb_idl_txn_write(struct ovsdb_idl_txn *, struct idl_row *,
                         const struct idl_column *, struct idl_datum *value);
/* Returns the transaction's copy of 'column' of 'row' for changing in
 * place (marked written; guarded like a read if not written before). */
struct idl_datum *ovsdb_idl_txn_get_mutable(struct ovsdb_idl_txn *,
                                            struct idl_row *,
                                            const struct idl_column *);
/* Adds 'key' to (or deletes it from) set column 'column' of 'row' without
 * reading the set: committed as a "mutate", so concurrent changes to other
 * elements of the set do not conflict (no guard).  For sets, not maps. */
void ovsdb_idl_txn_set_insert(struct ovsdb_idl_txn *, struct idl_row *,
                              const struct idl_column *,
                              const union idl_atom *key);
void ovsdb_idl_txn_set_delete(struct ovsdb_idl_txn *, struct idl_row *,
                              const struct idl_column *,
                              const union idl_atom *key);
/* Inserts a row with default values; 'uuid' may be NULL (random). */
struct idl_row *ovsdb_idl_txn_insert(struct ovsdb_idl_txn *,
                                     struct idl_table *, const char *uuid);
void ovsdb_idl_txn_delete(struct ovsdb_idl_txn *, struct idl_row *);
/* Adds 1 to integer 'column' of 'row' at commit time, on the server. */
void ovsdb_idl_txn_increment(struct ovsdb_idl_txn *, struct idl_row *,
                             const struct idl_column *);
void ovsdb_idl_txn_add_comment(struct ovsdb_idl_txn *, const char *);
/* Sends the transaction and waits for the reply (up to 'timeout_ms'). */
enum ovsdb_idl_txn_status ovsdb_idl_txn_commit_block(struct ovsdb_idl_txn *,
                                                     int timeout_ms);
const char *ovsdb_idl_txn_get_error(const struct ovsdb_idl_txn *);
long long ovsdb_idl_txn_get_increment_new_value(const struct ovsdb_idl_txn *);
/* After a successful commit: the uuid the server gave an inserted row. */
const char *ovsdb_idl_txn_get_insert_uuid(const struct ovsdb_idl_txn *,
                                          const struct idl_row *);
/* The JSON-RPC "transact" params the commit sent or would send (for
 * --dry-run and tests); caller puts it. */
struct json_object *ovsdb_idl_txn_build_ops(struct ovsdb_idl_txn *);
/* Discards the overlay (also after a commit) and frees 'txn'. */
void ovsdb_idl_txn_destroy(struct ovsdb_idl_txn *);

#endif /* idl.h */
