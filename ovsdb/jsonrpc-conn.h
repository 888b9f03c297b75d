/* Server-side JSON-RPC transport for vs-ovsdb-server: passive listeners
 * ("punix:PATH", "ptcp:PORT[:IP]") and accepted connections that exchange
 * JSON values.  Each connection has a bounded receive size per message and
 * a bounded send backlog: a peer that sends too much or reads too slowly is
 * disconnected instead of growing the server's memory or blocking others.
 *
 * (A server-specific layer rather than lib/'s jsonrpc client: it needs the
 * backlog accounting and must accept many peers on one poll loop.) */
#ifndef VS_OVSDB_JSONRPC_CONN_H
#define VS_OVSDB_JSONRPC_CONN_H 1

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

struct jrpc_listener;
struct jrpc_conn;

/* Opens 'name' ("punix:PATH" or "ptcp:PORT[:IP]").  Unix sockets are created
 * with mode 0750. */
int jrpc_listener_open(const char *name, struct jrpc_listener **);
void jrpc_listener_close(struct jrpc_listener *);
const char *jrpc_listener_name(const struct jrpc_listener *);
/* Bound TCP port (for "ptcp:0"), or 0. */
int jrpc_listener_port(const struct jrpc_listener *);
/* Accepts one pending connection: 0 with '*connp' set, EAGAIN if none. */
int jrpc_listener_accept(struct jrpc_listener *, struct jrpc_conn **connp);
void jrpc_listener_wait(struct jrpc_listener *);

/* Active remotes ("tcp:IP:PORT", "unix:PATH"): connects out, and again
 * with a growing backoff (1 s to 8 s) after each disconnection. */
struct jrpc_connector;
int jrpc_connector_create(const char *name, struct jrpc_connector **);
void jrpc_connector_destroy(struct jrpc_connector *);
const char *jrpc_connector_name(const struct jrpc_connector *);
/* Returns a newly established connection (caller owns it), or NULL.  Only
 * one at a time: call jrpc_connector_disconnected() once it is closed. */
struct jrpc_conn *jrpc_connector_run(struct jrpc_connector *);
void jrpc_connector_wait(struct jrpc_connector *);
void jrpc_connector_disconnected(struct jrpc_connector *);

void jrpc_conn_set_limits(size_t max_msg_size, size_t max_backlog);
void jrpc_conn_close(struct jrpc_conn *);
const char *jrpc_conn_name(const struct jrpc_conn *);
/* Sends and receives what it can.  Returns 0, or an errno value once the
 * connection is dead (EOF, I/O error, bad JSON, message or backlog too big);
 * then the caller closes it. */
int jrpc_conn_run(struct jrpc_conn *);
/* Takes the next received JSON value ('*jsonp', caller owns; may be NULL for
 * a bare "null").  Returns 0, EAGAIN if none is ready, or an errno value
 * (EPROTO bad JSON, EMSGSIZE too big) after which the connection is dead. */
int jrpc_conn_recv(struct jrpc_conn *, struct json_object **jsonp);
/* Queues 'json' (takes ownership).  Returns 0 or ENOBUFS if that pushes the
 * backlog over the limit (the connection is then dead). */
int jrpc_conn_send(struct jrpc_conn *, struct json_object *json);
size_t jrpc_conn_backlog(const struct jrpc_conn *);
void jrpc_conn_wait(struct jrpc_conn *);
/* Error text for the last failure, for logs. */
const char *jrpc_conn_error(const struct jrpc_conn *);

#endif /* ovsdb/jsonrpc-conn.h */
