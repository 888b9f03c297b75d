/* JSON-RPC 1.0 over streams, as OVSDB (RFC 7047) uses it.
 *
 * Three layers:
 *   - struct jsonrpc_msg: one message (request, notification, reply, error)
 *     with conversion from/to JSON and validation (jsonrpc-msg.c);
 *   - struct jsonrpc: one connection over a struct stream, with a bounded
 *     send backlog (jsonrpc.c);
 *   - struct jsonrpc_session: a connection that reconnects with backoff,
 *     keeps itself alive with "echo" probes and answers the peer's "echo"
 *     requests (jsonrpc-session.c).
 *
 * Connection status values are 0, a positive errno value, or EOF (the peer
 * closed the connection cleanly); vs_strerror() prints all of them. */
#ifndef VS_JSONRPC_H
#define VS_JSONRPC_H 1

#include <stdbool.h>
#include <stddef.h>
#include "json.h"

struct stream;

/* ---- Messages ---- */

enum jsonrpc_msg_type {
    JSONRPC_REQUEST,    /* method, params, id (not null). */
    JSONRPC_NOTIFY,     /* method, params, id null. */
    JSONRPC_REPLY,      /* result, error null, id. */
    JSONRPC_ERROR,      /* result null, error (not null), id (may be null). */
};

struct jsonrpc_msg {
    enum jsonrpc_msg_type type;
    char *method;                   /* Requests and notifications. */
    struct json_object *params;     /* An array; requests and notifications. */
    struct json_object *result;     /* Replies (NULL is JSON null). */
    struct json_object *error;      /* Errors. */
    struct json_object *id;         /* Requests, replies, errors. */
    /* All members are owned by the message. */
};

/* Constructors take ownership of the JSON arguments.  'params' must be an
 * array (NULL becomes []).  Request ids are unique integers; if 'idp' is
 * nonnull it receives a new reference to the id (release with
 * json_object_put()). */
struct jsonrpc_msg *jsonrpc_create_request(const char *method,
                                           struct json_object *params,
                                           struct json_object **idp);
struct jsonrpc_msg *jsonrpc_create_notify(const char *method,
                                          struct json_object *params);
/* 'id' is not taken: the reply holds its own reference. */
struct jsonrpc_msg *jsonrpc_create_reply(struct json_object *result,
                                         const struct json_object *id);
struct jsonrpc_msg *jsonrpc_create_error(struct json_object *error,
                                         const struct json_object *id);
void jsonrpc_msg_destroy(struct jsonrpc_msg *);

const char *jsonrpc_msg_type_to_string(enum jsonrpc_msg_type);

/* Converts parsed JSON into a message, checking that it is one of the four
 * message forms.  Takes ownership of 'json'.  Returns 0 and the message in
 * '*msgp', or EPROTO with a message like "message lacks method" in '*errorp'
 * (caller frees). */
int jsonrpc_msg_from_json(struct json_object *json, struct jsonrpc_msg **msgp,
                          char **errorp);

/* Returns the JSON form of 'msg' (new object; 'msg' is unchanged). */
struct json_object *jsonrpc_msg_to_json(const struct jsonrpc_msg *);
/* Compact JSON text of 'msg' (caller frees). */
char *jsonrpc_msg_to_string(const struct jsonrpc_msg *);

/* ---- Connections ---- */

#define JSONRPC_DEFAULT_MAX_BACKLOG (256u * 1024 * 1024)

struct jsonrpc;

/* Creates a connection over 'stream' (taken; may still be connecting). */
struct jsonrpc *jsonrpc_open(struct stream *);
void jsonrpc_close(struct jsonrpc *);

/* Sends queued data; call from the main loop. */
void jsonrpc_run(struct jsonrpc *);
void jsonrpc_wait(struct jsonrpc *);

/* 0 while healthy, else the error that broke the connection (or EOF). */
int jsonrpc_get_status(const struct jsonrpc *);
const char *jsonrpc_get_name(const struct jsonrpc *);

/* Bytes queued but not yet sent.  A server can watch this to drop slow
 * clients; past the maximum (default JSONRPC_DEFAULT_MAX_BACKLOG) the
 * connection fails with ENOBUFS. */
size_t jsonrpc_get_backlog(const struct jsonrpc *);
void jsonrpc_set_max_backlog(struct jsonrpc *, size_t max_bytes);
/* Largest message accepted from the peer (default JSON_DEFAULT_MAX_SIZE). */
void jsonrpc_set_max_msg_size(struct jsonrpc *, size_t max_bytes);

/* Queues 'msg' (taken) for sending.  Returns 0 or the connection status. */
int jsonrpc_send(struct jsonrpc *, struct jsonrpc_msg *);

/* Receives one message: returns 0 with '*msgp' set, EAGAIN if none is
 * complete yet, or the connection status (a malformed message breaks the
 * connection with EPROTO or EMSGSIZE, logged with the reason). */
int jsonrpc_recv(struct jsonrpc *, struct jsonrpc_msg **msgp);
/* Like jsonrpc_recv() but returns the raw JSON value ('*jsonp', caller owns;
 * NULL for a bare "null") without checking that it is a JSON-RPC message,
 * for a server that answers malformed requests instead of disconnecting.
 * Bad JSON still breaks the connection. */
int jsonrpc_recv_json(struct jsonrpc *, struct json_object **jsonp);
void jsonrpc_recv_wait(struct jsonrpc *);

/* Blocking variants for command-line tools (not for daemons' main loops). */
int jsonrpc_send_block(struct jsonrpc *, struct jsonrpc_msg *);
int jsonrpc_recv_block(struct jsonrpc *, struct jsonrpc_msg **msgp);
/* Sends 'request' (taken) and waits for the reply or error with the same
 * id, answering "echo" requests meanwhile and dropping anything else. */
int jsonrpc_transact_block(struct jsonrpc *, struct jsonrpc_msg *request,
                           struct jsonrpc_msg **replyp);

/* ---- Sessions ---- */

struct jsonrpc_session;

/* A session that connects to 'name' ("unix:...", "tcp:..."), reconnecting
 * with exponential backoff if 'retry', otherwise making a single attempt
 * and giving up on the first failure or disconnection. */
struct jsonrpc_session *jsonrpc_session_open(const char *name, bool retry);

/* A session over a stream accepted from a pstream (server side): never
 * reconnects; not alive any more once the connection fails. */
struct jsonrpc_session *jsonrpc_session_open_accepted(struct stream *);

void jsonrpc_session_close(struct jsonrpc_session *);

void jsonrpc_session_run(struct jsonrpc_session *);
void jsonrpc_session_wait(struct jsonrpc_session *);

/* Sends 'msg' (taken) if connected.  Returns 0 or ENOTCONN (dropped). */
int jsonrpc_session_send(struct jsonrpc_session *, struct jsonrpc_msg *);

/* Returns the next message from the peer, or NULL.  Echo requests are
 * answered and echo replies consumed here. */
struct jsonrpc_msg *jsonrpc_session_recv(struct jsonrpc_session *);
void jsonrpc_session_recv_wait(struct jsonrpc_session *);

const char *jsonrpc_session_get_name(const struct jsonrpc_session *);
bool jsonrpc_session_is_connected(const struct jsonrpc_session *);
/* False once a non-retrying session is done for. */
bool jsonrpc_session_is_alive(const struct jsonrpc_session *);
/* Changes on every connect and disconnect: a client that sees a new seqno
 * must resend its state (e.g. re-issue "monitor"). */
unsigned int jsonrpc_session_get_seqno(const struct jsonrpc_session *);
/* Last connection error (0, errno or EOF). */
int jsonrpc_session_get_last_error(const struct jsonrpc_session *);
size_t jsonrpc_session_get_backlog(const struct jsonrpc_session *);

void jsonrpc_session_force_reconnect(struct jsonrpc_session *);
void jsonrpc_session_set_backoff(struct jsonrpc_session *, int min_ms,
                                 int max_ms);
/* Idle time before an "echo" probe, and before dropping the connection if
 * the probe gets no answer; 0 disables.  Default: 5000 ms for tcp, off for
 * unix sockets. */
void jsonrpc_session_set_probe_interval(struct jsonrpc_session *, int ms);
void jsonrpc_session_set_max_backlog(struct jsonrpc_session *,
                                     size_t max_bytes);
void jsonrpc_session_set_max_msg_size(struct jsonrpc_session *,
                                      size_t max_bytes);
/* Like jsonrpc_session_recv() for jsonrpc_recv_json(): returns true with
 * the next JSON value in '*jsonp' (may be NULL for "null"), false if none.
 * Nothing is consumed internally: the caller answers "echo" itself. */
bool jsonrpc_session_recv_json(struct jsonrpc_session *,
                               struct json_object **jsonp);

#endif /* jsonrpc.h */
