/* Internals shared by idl.c (replica) and idl-txn.c (transactions). */
#ifndef VS_OVSDB_IDL_PRIVATE_H
#define VS_OVSDB_IDL_PRIVATE_H 1

#include "idl.h"
#include "idl-rpc.h"

struct idl_deleted {
    struct vs_list node;
    struct idl_table *table;
    char uuid[37];
    unsigned int seqno;
};

struct ovsdb_idl {
    struct idl_rpc *rpc;            /* NULL while disconnected. */
    char *remote;
    bool reconnect;                 /* Reconnect after losing the server. */
    long long next_connect_ms;      /* When to try again (monotonic). */
    int backoff_ms;
    char *db_name;
    struct hmap tables;             /* 'struct idl_table's by name. */
    struct idl_table **table_array; /* Schema order. */
    size_t n_tables;
    unsigned int seqno;
    long long next_id;              /* JSON-RPC request ids. */
    bool monitor_cond;
    char *monitor_id;
    unsigned int n_monitors;        /* For unique monitor ids. */
    bool snapshot_only;             /* Ask for the initial rows only. */
    struct ovsdb_idl_txn *txn;      /* The open transaction, if any. */
    struct json_object **pending;   /* Updates received during a txn. */
    size_t n_pending, allocated_pending;
    struct vs_list deleted;         /* 'struct idl_deleted's (tracking). */
};

/* Sends a request and waits for its reply, applying updates that arrive
 * meanwhile (or queueing them while a transaction is open).  On success
 * '*result' is the "result" member (a reference the caller puts). */
int idl_request_block(struct ovsdb_idl *, const char *method,
                      struct json_object *params, int timeout_ms,
                      struct json_object **result, char **errp);
void idl_apply_pending(struct ovsdb_idl *);
struct idl_row *idl_row_create(struct idl_table *, const char *uuid,
                               bool with_old);
void idl_row_free(struct idl_row *);
static inline uint32_t idl_uuid_hash(const char *uuid)
{ return hash_string(uuid, 0); }

#endif /* idl-private.h */
