/* The control socket of vs-ovsdb-server ("vs-appctl -t vs-ovsdb-server CMD"
 * and Open vSwitch's ovs-appctl both speak it): JSON-RPC requests whose
 * method is the command and whose params are its string arguments; the
 * reply's result (or error) is text.  Kept here until lib/unixctl lands. */
#ifndef VS_OVSDB_SERVER_CONTROL_H
#define VS_OVSDB_SERVER_CONTROL_H 1

#include <stdbool.h>

struct server_control;
struct ds;

/* Handles a command; fills 'reply' and returns true on success, false for
 * an error reply. */
typedef bool server_control_cb(int argc, const char *argv[], struct ds *reply,
                               void *aux);

int server_control_create(const char *path, struct server_control **);
void server_control_destroy(struct server_control *);
void server_control_register(struct server_control *, const char *name,
                             const char *usage, int min_args, int max_args,
                             server_control_cb *, void *aux);
void server_control_run(struct server_control *);
void server_control_wait(struct server_control *);

#endif /* ovsdb/server-control.h */
