/* The OVSDB JSON-RPC protocol on the server side (RFC 7047 section 4 and
 * the later monitor_cond, monitor_cond_since, get_server_id,
 * set_db_change_aware): sessions on accepted connections, their monitors,
 * pending "wait" transactions and locks. */
#ifndef VS_OVSDB_JSONRPC_SERVER_H
#define VS_OVSDB_JSONRPC_SERVER_H 1

#include <stdbool.h>
#include <stddef.h>

struct ovsdb;
struct ovsdb_jsonrpc_server;
struct ds;

struct ovsdb_jsonrpc_server *ovsdb_jsonrpc_server_create(void);
void ovsdb_jsonrpc_server_destroy(struct ovsdb_jsonrpc_server *);
/* Serves 'db' (not owned).  A 'read_only' database rejects writes. */
void ovsdb_jsonrpc_server_add_db(struct ovsdb_jsonrpc_server *, struct ovsdb *,
                                 bool read_only);

/* Largest message accepted from a client, and the send backlog past which
 * a client that reads too slowly is disconnected (both default 64 MiB). */
void ovsdb_jsonrpc_server_set_limits(struct ovsdb_jsonrpc_server *,
                                     size_t max_msg_size, size_t max_backlog);

/* Listens on passive remote 'name' ("punix:", "ptcp:", "pssl:") or connects
 * to active remote 'name' ("unix:", "tcp:", "ssl:"), reconnecting with a
 * 1 s to 8 s backoff.  Returns 0 or an errno value.  A 'dynamic' remote comes from the database and is
 * dropped by ovsdb_jsonrpc_server_sync_dynamic() when no longer listed. */
int ovsdb_jsonrpc_server_add_remote(struct ovsdb_jsonrpc_server *, const char *name,
                                    bool dynamic);
bool ovsdb_jsonrpc_server_remove_remote(struct ovsdb_jsonrpc_server *,
                                        const char *name);
/* Makes the dynamic remotes exactly 'names' (n of them). */
void ovsdb_jsonrpc_server_sync_dynamic(struct ovsdb_jsonrpc_server *,
                                       char **names, size_t n);
void ovsdb_jsonrpc_server_list_remotes(const struct ovsdb_jsonrpc_server *,
                                       struct ds *);
/* Bound port of a "ptcp:0"-style remote, or 0. */
int ovsdb_jsonrpc_server_get_port(const struct ovsdb_jsonrpc_server *, const char *name);

void ovsdb_jsonrpc_server_run(struct ovsdb_jsonrpc_server *);
void ovsdb_jsonrpc_server_wait(struct ovsdb_jsonrpc_server *);
void ovsdb_jsonrpc_server_get_memory_usage(const struct ovsdb_jsonrpc_server *,
                                           struct ds *);

#endif /* ovsdb/ovsdb-jsonrpc-server.h */
