/* A small blocking JSON-RPC 1.0 client connection for the IDL: one
 * stream socket ("unix:PATH" or "tcp:IP:PORT"), messages parsed
 * incrementally with json-c.  Used by command-line clients that run one
 * transaction at a time; daemons will move to lib/jsonrpc's sessions. */
#ifndef VS_OVSDB_IDL_RPC_H
#define VS_OVSDB_IDL_RPC_H 1

#include <json-c/json.h>

struct idl_rpc;

/* Connects to 'name', waiting at most 'timeout_ms' (< 0: forever). */
int idl_rpc_open(const char *name, int timeout_ms, struct idl_rpc **);
void idl_rpc_close(struct idl_rpc *);
/* Sends 'msg' (a reference is taken). */
int idl_rpc_send(struct idl_rpc *, struct json_object *msg);
/* Receives the next message into '*msg' (caller puts it), waiting at most
 * 'timeout_ms' (0: don't wait; < 0: forever).  Returns EAGAIN on timeout,
 * EOF when the peer closed, EPROTO for bad JSON, or an errno. */
int idl_rpc_recv(struct idl_rpc *, struct json_object **msg, int timeout_ms);
int idl_rpc_fd(const struct idl_rpc *);
const char *idl_rpc_name(const struct idl_rpc *);

#endif /* idl-rpc.h */
