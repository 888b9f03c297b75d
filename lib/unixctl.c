#include <config.h>
#include "unixctl.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "dirs.h"
#include "dynamic-string.h"
#include "fatal-signal.h"
#include "hmap.h"
#include "json.h"
#include "jsonrpc.h"
#include "list.h"
#include "poll-loop.h"
#include "stream.h"
#include "timeval.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(unixctl);

/* Connections beyond this are refused, so a runaway client cannot exhaust
 * the daemon's fds. */
#define MAX_CONNS 64
/* Largest request accepted; commands are short. */
#define MAX_REQUEST_SIZE (1024 * 1024)

struct unixctl_command {
    struct hmap_node node;        /* In 'commands', by name. */
    char *name;
    char *usage;
    int min_args, max_args;
    unixctl_cb_func *cb;
    void *aux;
};

static struct hmap commands = HMAP_INITIALIZER(&commands);

struct unixctl_conn {
    struct vs_list node;          /* In server's 'conns'. */
    struct jsonrpc *rpc;
    struct json_object *request_id;   /* Owned; nonnull while a request
                                       * awaits its reply. */
    bool dead;                    /* Connection gone, reply still owed. */
};

struct unixctl_server {
    struct pstream *listener;
    struct vs_list conns;         /* Contains "struct unixctl_conn"s. */
    char *path;
};

static bool exit_requested;
static long long exit_deadline;

static struct unixctl_command *
find_command(const char *name)
{
    struct unixctl_command *c;

    HMAP_FOR_EACH_WITH_HASH (c, node, hash_string(name, 0), &commands) {
        if (!strcmp(c->name, name)) {
            return c;
        }
    }
    return NULL;
}

static void
register_command(const char *name, const char *usage, int min_args,
                 int max_args, unixctl_cb_func *cb, void *aux)
{
    struct unixctl_command *c = find_command(name);

    vs_assert(min_args >= 0 && min_args <= max_args);
    if (!c) {
        c = xzalloc(sizeof *c);
        c->name = xstrdup(name);
        hmap_insert(&commands, &c->node, hash_string(name, 0));
    } else {
        free(c->usage);
    }
    c->usage = xstrdup(usage ? usage : "");
    c->min_args = min_args;
    c->max_args = max_args;
    c->cb = cb;
    c->aux = aux;
}

static void
register_builtins_once(void)
{
    static bool done;
    if (!done) {
        done = true;
        unixctl_register_builtins__();
    }
}

void
unixctl_command_register(const char *name, const char *usage, int min_args,
                         int max_args, unixctl_cb_func *cb, void *aux)
{
    /* Built-ins first, so that a daemon's own "exit" replaces ours. */
    register_builtins_once();
    register_command(name, usage, min_args, max_args, cb, aux);
}

static int
compare_commands(const void *a_, const void *b_)
{
    const struct unixctl_command *const *a = a_, *const *b = b_;
    return strcmp((*a)->name, (*b)->name);
}

/* For "list-commands": the commands sorted by name, one a line. */
char *
unixctl_list_commands__(void)
{
    struct unixctl_command **array, *c;
    struct ds s = DS_EMPTY_INITIALIZER;
    size_t n = 0;

    array = xmalloc(MAX(hmap_count(&commands), 1) * sizeof *array);
    HMAP_FOR_EACH (c, node, &commands) {
        array[n++] = c;
    }
    qsort(array, n, sizeof *array, compare_commands);
    ds_put_cstr(&s, "The available commands are:\n");
    for (size_t i = 0; i < n; i++) {
        ds_put_format(&s, "  %-23s %s\n", array[i]->name, array[i]->usage);
    }
    free(array);
    return ds_steal_cstr(&s);
}

void
unixctl_request_exit__(void)
{
    exit_requested = true;
    exit_deadline = time_msec() + 1000;
}

/* Replies. */

static void
conn_free(struct unixctl_conn *conn)
{
    if (conn->rpc) {
        jsonrpc_close(conn->rpc);
    }
    json_object_put(conn->request_id);
    free(conn);
}

static void
conn_reply(struct unixctl_conn *conn, const char *body, bool is_error)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
    struct json_object *text = json_object_new_string(body ? body : "");
    struct jsonrpc_msg *msg;

    if (!conn->request_id) {
        VLOG_WARN_RL(&rl, "reply \"%s\" with no request pending (ignored)",
                     body ? body : "");
        json_object_put(text);
        return;
    }
    if (conn->dead) {
        /* The client left; the reply was all that kept 'conn'. */
        json_object_put(text);
        conn_free(conn);
        return;
    }
    msg = is_error ? jsonrpc_create_error(text, conn->request_id)
                   : jsonrpc_create_reply(text, conn->request_id);
    json_object_put(conn->request_id);
    conn->request_id = NULL;
    jsonrpc_send(conn->rpc, msg);
}

void
unixctl_command_reply(struct unixctl_conn *conn, const char *body)
{
    conn_reply(conn, body, false);
}

void
unixctl_command_reply_error(struct unixctl_conn *conn, const char *body)
{
    conn_reply(conn, body, true);
}

/* Requests. */

static void
process_request(struct unixctl_conn *conn, struct jsonrpc_msg *request)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
    struct unixctl_command *command;
    const char **argv = NULL;
    char *error = NULL;
    size_t n_params;

    conn->request_id = json_object_get(request->id);
    command = find_command(request->method);
    n_params = request->params ? json_object_array_length(request->params)
                               : 0;
    if (!command) {
        error = xasprintf("\"%s\" is not a valid command (use "
                          "\"list-commands\" to see a list of valid "
                          "commands)", request->method);
    } else if (n_params < (size_t) command->min_args) {
        error = xasprintf("\"%s\" command requires at least %d arguments",
                          request->method, command->min_args);
    } else if (n_params > (size_t) command->max_args) {
        error = xasprintf("\"%s\" command takes at most %d arguments",
                          request->method, command->max_args);
    } else {
        argv = xcalloc(n_params + 2, sizeof *argv);
        argv[0] = request->method;
        for (size_t i = 0; i < n_params && !error; i++) {
            struct json_object *p
                = json_object_array_get_idx(request->params, i);
            if (!json_object_is_type(p, json_type_string)) {
                error = xasprintf("\"%s\" command has non-string argument",
                                  request->method);
            } else {
                argv[i + 1] = json_object_get_string(p);
            }
        }
    }

    if (error) {
        VLOG_DBG_RL(&rl, "%s", error);
        unixctl_command_reply_error(conn, error);
        free(error);
    } else {
        VLOG_DBG("running command \"%s\"", request->method);
        command->cb(conn, n_params + 1, argv, command->aux);
    }
    free(argv);
}

/* Returns 0 while 'conn' is healthy, else the error that ended it. */
static int
run_conn(struct unixctl_conn *conn)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
    int error;

    jsonrpc_run(conn->rpc);
    error = jsonrpc_get_status(conn->rpc);
    /* One request at a time: the next waits for this one's reply. */
    for (int i = 0; !error && !conn->request_id && i < 10; i++) {
        struct jsonrpc_msg *msg;

        error = jsonrpc_recv(conn->rpc, &msg);
        if (error == EAGAIN) {
            return 0;
        } else if (error) {
            break;
        }
        if (msg->type == JSONRPC_REQUEST) {
            process_request(conn, msg);
        } else {
            VLOG_WARN_RL(&rl, "%s: received unexpected %s message",
                         jsonrpc_get_name(conn->rpc),
                         jsonrpc_msg_type_to_string(msg->type));
            error = EINVAL;
        }
        jsonrpc_msg_destroy(msg);
        jsonrpc_run(conn->rpc);
        error = error ? error : jsonrpc_get_status(conn->rpc);
    }
    return error;
}

static void
kill_conn(struct unixctl_conn *conn)
{
    vs_list_remove(&conn->node);
    if (conn->request_id) {
        /* A callback still owes a reply; free on that reply. */
        jsonrpc_close(conn->rpc);
        conn->rpc = NULL;
        conn->dead = true;
    } else {
        conn_free(conn);
    }
}

/* Server. */

int
unixctl_server_create(const char *path, struct unixctl_server **serverp)
{
    struct unixctl_server *server;
    struct pstream *listener;
    char *abs, *name;
    int error;

    *serverp = NULL;
    if (path && !strcmp(path, "none")) {
        return 0;
    }
    register_builtins_once();

    if (!path) {
        abs = xasprintf("%s/%s.%ld.ctl", vs_rundir(), program_name,
                        (long) getpid());
    } else if (!strchr(path, '/')) {
        abs = xasprintf("%s/%s", vs_rundir(), path);
    } else {
        abs = xstrdup(path);
    }
    if (!path || !strchr(path, '/')) {
        /* The run directory may not exist yet on a fresh system. */
        if (mkdir(vs_rundir(), 0755) && errno != EEXIST) {
            VLOG_WARN("%s: mkdir failed (%s)", vs_rundir(),
                      vs_strerror(errno));
        }
    }

    name = xasprintf("punix:%s", abs);
    error = pstream_open(name, &listener);
    free(name);
    if (error) {
        VLOG_ERR("could not initialize control socket %s (%s)",
                 abs, vs_strerror(error));
        free(abs);
        return error;
    }
    fatal_signal_add_file_to_unlink(abs);

    server = xzalloc(sizeof *server);
    server->listener = listener;
    server->path = abs;
    vs_list_init(&server->conns);
    *serverp = server;
    return 0;
}

/* After the built-in "exit": waits (briefly) until replies are sent. */
static void
maybe_exit(struct unixctl_server *server)
{
    struct unixctl_conn *conn;

    VS_LIST_FOR_EACH (conn, node, &server->conns) {
        if (jsonrpc_get_backlog(conn->rpc) && time_msec() < exit_deadline) {
            return;
        }
    }
    VLOG_INFO("exiting as requested by \"exit\" command");
    exit(0);
}

void
unixctl_server_run(struct unixctl_server *server)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
    struct unixctl_conn *conn, *next;

    if (!server) {
        return;
    }
    for (int i = 0; i < 10; i++) {
        struct stream *stream;
        int error = pstream_accept(server->listener, &stream);
        if (error == EAGAIN) {
            break;
        } else if (error) {
            VLOG_WARN_RL(&rl, "%s: accept failed (%s)", server->path,
                         vs_strerror(error));
            break;
        }
        if (vs_list_size(&server->conns) >= MAX_CONNS) {
            VLOG_WARN_RL(&rl, "%s: too many connections, dropping one",
                         server->path);
            stream_close(stream);
            continue;
        }
        conn = xzalloc(sizeof *conn);
        conn->rpc = jsonrpc_open(stream);
        jsonrpc_set_max_msg_size(conn->rpc, MAX_REQUEST_SIZE);
        vs_list_push_back(&server->conns, &conn->node);
    }

    VS_LIST_FOR_EACH_SAFE (conn, next, node, &server->conns) {
        int error = run_conn(conn);
        if (error && error != EAGAIN) {
            if (error != EOF) {
                VLOG_DBG_RL(&rl, "%s: connection closed (%s)",
                            server->path, vs_strerror(error));
            }
            kill_conn(conn);
        }
    }

    if (exit_requested) {
        maybe_exit(server);
    }
}

void
unixctl_server_wait(struct unixctl_server *server)
{
    struct unixctl_conn *conn;

    if (!server) {
        return;
    }
    pstream_wait(server->listener);
    VS_LIST_FOR_EACH (conn, node, &server->conns) {
        jsonrpc_wait(conn->rpc);
        if (!conn->request_id) {
            jsonrpc_recv_wait(conn->rpc);
        }
    }
    if (exit_requested) {
        poll_timer_wait(10);
    }
}

void
unixctl_server_destroy(struct unixctl_server *server)
{
    struct unixctl_conn *conn, *next;

    if (!server) {
        return;
    }
    VS_LIST_FOR_EACH_SAFE (conn, next, node, &server->conns) {
        kill_conn(conn);
    }
    pstream_close(server->listener);
    fatal_signal_unlink_file_now(server->path);
    free(server->path);
    free(server);
}

const char *
unixctl_server_get_path(const struct unixctl_server *server)
{
    return server ? server->path : NULL;
}

/* Client. */

int
unixctl_client_transact(const char *path, const char *command, int argc,
                        const char *argv[], int timeout_ms,
                        char **resultp, char **errorp)
{
    long long deadline = timeout_ms < 0 ? LLONG_MAX : time_msec() + timeout_ms;
    struct jsonrpc_msg *request, *reply = NULL;
    struct json_object *params, *id;
    struct stream *stream;
    struct jsonrpc *rpc;
    char *name;
    int error;

    *resultp = *errorp = NULL;
    name = xasprintf("unix:%s", path);
    error = stream_open_block(name, timeout_ms, &stream);
    free(name);
    if (error) {
        *errorp = xasprintf("cannot connect to %s: %s", path,
                            vs_strerror(error));
        return error;
    }

    rpc = jsonrpc_open(stream);
    params = json_object_new_array();
    for (int i = 0; i < argc; i++) {
        json_object_array_add(params, json_object_new_string(argv[i]));
    }
    request = jsonrpc_create_request(command, params, &id);
    error = jsonrpc_send(rpc, request);

    /* Our own loop rather than jsonrpc_transact_block(), for the timeout. */
    while (!error) {
        struct jsonrpc_msg *msg;

        jsonrpc_run(rpc);
        error = jsonrpc_recv(rpc, &msg);
        if (!error) {
            if ((msg->type == JSONRPC_REPLY || msg->type == JSONRPC_ERROR)
                && msg->id && json_equal(msg->id, id)) {
                reply = msg;
                break;
            }
            jsonrpc_msg_destroy(msg);   /* Not ours: ignore. */
        } else if (error == EAGAIN) {
            if (time_msec() >= deadline) {
                error = ETIMEDOUT;
                break;
            }
            error = 0;
            jsonrpc_wait(rpc);
            jsonrpc_recv_wait(rpc);
            poll_timer_wait_until(deadline);
            poll_block();
        }
    }
    json_object_put(id);

    if (error) {
        *errorp = xasprintf("%s: transaction error (%s)", path,
                            error == ETIMEDOUT ? "timed out"
                                               : vs_strerror(error));
    } else if (reply->type == JSONRPC_ERROR) {
        *errorp = json_object_is_type(reply->error, json_type_string)
                  ? xstrdup(json_object_get_string(reply->error))
                  : json_to_string(reply->error, 0);
    } else if (json_object_is_type(reply->result, json_type_string)) {
        *resultp = xstrdup(json_object_get_string(reply->result));
    } else {
        error = EPROTO;
        *errorp = xasprintf("%s: reply has unexpected result type", path);
    }
    if (reply) {
        jsonrpc_msg_destroy(reply);
    }
    jsonrpc_close(rpc);
    return error;
}
