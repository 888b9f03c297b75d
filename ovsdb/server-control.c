#include <config.h>
#include "ovsdb/server-control.h"

#include <errno.h>
#include <string.h>

#include "dynamic-string.h"
#include "json.h"
#include "list.h"
#include "ovsdb/jsonrpc-conn.h"


struct command {
    char *name, *usage;
    int min_args, max_args;
    server_control_cb *cb;
    void *aux;
};

struct control_conn {
    struct vs_list node;
    struct jrpc_conn *conn;
};

struct server_control {
    struct jrpc_listener *listener;
    struct command *commands;
    size_t n_commands;
    struct vs_list conns;
};

static bool
list_commands(int argc VS_UNUSED, const char *argv[] VS_UNUSED, struct ds *reply,
              void *sc_)
{
    struct server_control *sc = sc_;
    ds_put_cstr(reply, "The available commands are:\n");
    for (size_t i = 0; i < sc->n_commands; i++) {
        ds_put_format(reply, "  %-26s %s\n", sc->commands[i].name, sc->commands[i].usage);
    }
    return true;
}

int
server_control_create(const char *path, struct server_control **scp)
{
    char *name = xasprintf("punix:%s", path);
    struct jrpc_listener *l;
    int error = jrpc_listener_open(name, &l);
    free(name);
    *scp = NULL;
    if (error) {
        return error;
    }
    struct server_control *sc = xzalloc(sizeof *sc);
    sc->listener = l;
    vs_list_init(&sc->conns);
    server_control_register(sc, "list-commands", "", 0, 0, list_commands, sc);
    *scp = sc;
    return 0;
}

void
server_control_destroy(struct server_control *sc)
{
    if (!sc) {
        return;
    }
    struct control_conn *cc;
    VS_LIST_FOR_EACH_POP (cc, node, &sc->conns) {
        jrpc_conn_close(cc->conn);
        free(cc);
    }
    for (size_t i = 0; i < sc->n_commands; i++) {
        free(sc->commands[i].name);
        free(sc->commands[i].usage);
    }
    free(sc->commands);
    jrpc_listener_close(sc->listener);
    free(sc);
}

void
server_control_register(struct server_control *sc, const char *name, const char *usage,
                        int min_args, int max_args, server_control_cb *cb, void *aux)
{
    sc->commands = xrealloc(sc->commands, (sc->n_commands + 1) * sizeof *sc->commands);
    struct command *c = &sc->commands[sc->n_commands++];
    c->name = xstrdup(name);
    c->usage = xstrdup(usage);
    c->min_args = min_args;
    c->max_args = max_args;
    c->cb = cb;
    c->aux = aux;
}

static void
handle(struct server_control *sc, struct jrpc_conn *conn, struct json_object *msg)
{
    struct json_object *method, *params, *id;
    struct ds reply = DS_EMPTY_INITIALIZER;
    bool ok = false;

    if (!json_object_is_type(msg, json_type_object)
        || !json_object_object_get_ex(msg, "method", &method)
        || !json_object_is_type(method, json_type_string)
        || !json_object_object_get_ex(msg, "params", &params)
        || !json_object_is_type(params, json_type_array)
        || !json_object_object_get_ex(msg, "id", &id)) {
        ds_put_cstr(&reply, "invalid request");
        id = NULL;
        goto out;
    }
    const char *name = json_object_get_string(method);
    struct command *c = NULL;
    for (size_t i = 0; i < sc->n_commands; i++) {
        if (!strcmp(sc->commands[i].name, name)) {
            c = &sc->commands[i];
        }
    }
    int argc = json_object_array_length(params);
    if (!c) {
        ds_put_format(&reply, "\"%s\" is not a valid command (use list-commands)", name);
        goto out;
    }
    if (argc < c->min_args || argc > c->max_args) {
        ds_put_format(&reply, "\"%s\" command takes %d to %d arguments", name,
                      c->min_args, c->max_args);
        goto out;
    }
    const char **argv = xcalloc(argc + 2, sizeof *argv);
    argv[0] = name;
    for (int i = 0; i < argc; i++) {
        struct json_object *a = json_object_array_get_idx(params, i);
        if (!json_object_is_type(a, json_type_string)) {
            free(argv);
            ds_put_cstr(&reply, "command arguments must be strings");
            goto out;
        }
        argv[i + 1] = json_object_get_string(a);
    }
    ok = c->cb(argc + 1, argv, &reply, c->aux);
    free(argv);

out:;
    struct json_object *text = json_object_new_string(ds_cstr(&reply));
    jrpc_conn_send(conn, json_object_build(3, "id", json_object_get(id),
                                           "result", ok ? text : NULL,
                                           "error", ok ? NULL : text));
    ds_destroy(&reply);
}

void
server_control_run(struct server_control *sc)
{
    struct jrpc_conn *conn;
    while (!jrpc_listener_accept(sc->listener, &conn)) {
        struct control_conn *cc = xzalloc(sizeof *cc);
        cc->conn = conn;
        vs_list_push_back(&sc->conns, &cc->node);
    }
    struct control_conn *cc, *next;
    VS_LIST_FOR_EACH_SAFE (cc, next, node, &sc->conns) {
        struct json_object *msg;
        for (int i = 0; i < 10 && !jrpc_conn_recv(cc->conn, &msg); i++) {
            handle(sc, cc->conn, msg);
            json_object_put(msg);
        }
        if (jrpc_conn_run(cc->conn)) {
            vs_list_remove(&cc->node);
            jrpc_conn_close(cc->conn);
            free(cc);
        }
    }
}

void
server_control_wait(struct server_control *sc)
{
    jrpc_listener_wait(sc->listener);
    struct control_conn *cc;
    VS_LIST_FOR_EACH (cc, node, &sc->conns) {
        jrpc_conn_wait(cc->conn);
    }
}
