/* Runtime control of a daemon over a unix socket ("vs-appctl").
 *
 * The protocol is JSON-RPC 1.0, one request at a time per connection:
 *     {"method": "vlog/set", "params": ["ANY:file:dbg"], "id": 1}
 * answered by {"result": "TEXT", "error": null, "id": 1} on success or
 * {"result": null, "error": "TEXT", "id": 1} on failure.
 *
 * Every server answers the built-in commands list-commands, help, version,
 * exit, vlog/list, vlog/list-pattern, vlog/set, vlog/reopen and
 * coverage/show.  The built-in "exit" replies, then exit(0)s (which runs the
 * fatal-signal hooks: pidfile and socket go away); a daemon that needs its
 * own cleanup registers its own "exit", which replaces the built-in one. */
#ifndef VS_UNIXCTL_H
#define VS_UNIXCTL_H 1

struct unixctl_conn;
struct unixctl_server;

/* Called with argv[0] the command name and argv[1..argc-1] its arguments.
 * Must eventually call unixctl_command_reply() or
 * unixctl_command_reply_error() exactly once for 'conn', now or later from
 * the main loop; 'conn' stays valid until then. */
typedef void unixctl_cb_func(struct unixctl_conn *, int argc,
                             const char *argv[], void *aux);

/* Registers 'name' taking between 'min_args' and 'max_args' arguments
 * ('max_args' INT_MAX: any number).  'usage' describes them for
 * list-commands ("" if none).  Registering a name again replaces it. */
void unixctl_command_register(const char *name, const char *usage,
                              int min_args, int max_args,
                              unixctl_cb_func *cb, void *aux);

/* Replies with 'body' (NULL means empty) as success or as an error. */
void unixctl_command_reply(struct unixctl_conn *, const char *body);
void unixctl_command_reply_error(struct unixctl_conn *, const char *body);

/* Listens on 'path': NULL means $VS_RUNDIR/PROGRAM.PID.ctl, a name
 * without '/' is taken inside $VS_RUNDIR, "none" means no server (then
 * '*serverp' is NULL and 0 is returned).  The socket is unlinked at exit
 * and on fatal signals.  Returns 0 or a positive errno. */
int unixctl_server_create(const char *path, struct unixctl_server **);
void unixctl_server_run(struct unixctl_server *);
void unixctl_server_wait(struct unixctl_server *);
void unixctl_server_destroy(struct unixctl_server *);
/* Socket path, e.g. for logging. */
const char *unixctl_server_get_path(const struct unixctl_server *);

/* Client side, for tools: sends 'command' with 'argc' arguments to the
 * server at socket 'path' and waits up to 'timeout_ms' (< 0: forever).
 * Returns 0 with the server's answer in '*resultp' or '*errorp' (exactly
 * one nonnull; caller frees), or a positive errno if the exchange failed,
 * with a description in '*errorp'. */
int unixctl_client_transact(const char *path, const char *command,
                            int argc, const char *argv[], int timeout_ms,
                            char **resultp, char **errorp);

/* Internal, between unixctl.c and unixctl-builtins.c. */
void unixctl_register_builtins__(void);
void unixctl_request_exit__(void);
char *unixctl_list_commands__(void);

#endif /* unixctl.h */
