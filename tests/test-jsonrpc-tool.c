/* A small JSON-RPC peer for system tests against real third-party peers
 * (ovsdb-server, ovsdb-client):
 *
 *   test-jsonrpc-tool request REMOTE METHOD PARAMS
 *       Connects, sends one request, prints the reply's result (or error)
 *       as compact JSON with sorted keys.  Exit 0 on a reply, 1 on error.
 *   test-jsonrpc-tool serve PREMOTE DBNAME
 *       Listens and answers "list_dbs" with [DBNAME], "echo" with its
 *       params and anything else with an "unknown method" error.  Prints the
 *       bound port for ptcp: on stdout, then serves until killed.
 *
 * Either may be preceded by "--ssl KEY CERT CACERT" for ssl:/pssl:. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "jsonrpc.h"
#include "poll-loop.h"
#include "stream.h"
#include "stream-ssl.h"
#include "util.h"
#include "vlog.h"

static int
do_request(const char *remote, const char *method, const char *params_s)
{
    struct json_object *params;
    char *error_s;
    if (json_from_string(params_s, &params, &error_s)) {
        vs_fatal(0, "bad params: %s", error_s);
    }

    struct stream *stream;
    int error = stream_open_block(remote, 10000, &stream);
    if (error) {
        vs_fatal(error, "%s: connect failed", remote);
    }
    struct jsonrpc *rpc = jsonrpc_open(stream);
    struct jsonrpc_msg *reply;
    error = jsonrpc_transact_block(
        rpc, jsonrpc_create_request(method, params, NULL), &reply);
    if (error) {
        vs_fatal(error, "%s: transaction failed", remote);
    }
    char *s = json_to_string(reply->type == JSONRPC_REPLY ? reply->result
                             : reply->error, JSON_SORT_KEYS);
    printf("%s%s\n", reply->type == JSONRPC_ERROR ? "error: " : "", s);
    int status = reply->type == JSONRPC_REPLY ? 0 : 1;
    free(s);
    jsonrpc_msg_destroy(reply);
    jsonrpc_close(rpc);
    return status;
}

static struct jsonrpc_msg *
answer(const struct jsonrpc_msg *req, const char *dbname)
{
    if (!strcmp(req->method, "list_dbs")) {
        return jsonrpc_create_reply(
            json_array_build(1, json_object_new_string(dbname)), req->id);
    } else if (!strcmp(req->method, "echo")) {
        return jsonrpc_create_reply(json_object_get(req->params), req->id);
    }
    return jsonrpc_create_error(
        json_object_build(2, "error", json_object_new_string("unknown method"),
                          "details", json_object_new_string(req->method)),
        req->id);
}

static int
do_serve(const char *premote, const char *dbname)
{
    struct pstream *listener;
    int error = pstream_open(premote, &listener);
    if (error) {
        vs_fatal(error, "%s: listen failed", premote);
    }
    printf("%u\n", pstream_get_bound_port(listener));
    fflush(stdout);

    struct jsonrpc_session *conns[64];
    size_t n_conns = 0;
    for (;;) {
        struct stream *stream;
        if (n_conns < ARRAY_SIZE(conns)
            && !pstream_accept(listener, &stream)) {
            conns[n_conns++] = jsonrpc_session_open_accepted(stream);
        }
        for (size_t i = 0; i < n_conns; i++) {
            struct jsonrpc_session *s = conns[i];
            jsonrpc_session_run(s);
            struct jsonrpc_msg *msg = jsonrpc_session_recv(s);
            if (msg && msg->type == JSONRPC_REQUEST) {
                jsonrpc_session_send(s, answer(msg, dbname));
            }
            jsonrpc_msg_destroy(msg);
            if (!jsonrpc_session_is_alive(s)) {
                jsonrpc_session_close(s);
                conns[i--] = conns[--n_conns];
            }
        }
        pstream_wait(listener);
        for (size_t i = 0; i < n_conns; i++) {
            jsonrpc_session_wait(conns[i]);
            jsonrpc_session_recv_wait(conns[i]);
        }
        poll_block();
    }
}

int
main(int argc, char *argv[])
{
    set_program_name(argv[0]);
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_WARN);
    if (argc > 4 && !strcmp(argv[1], "--ssl")) {
        int error = stream_ssl_set_private_key_file(argv[2]);
        error = error ? error : stream_ssl_set_certificate_file(argv[3]);
        error = error ? error : stream_ssl_set_ca_cert_file(argv[4]);
        if (error) {
            vs_fatal(error, "SSL configuration failed");
        }
        argc -= 4;
        argv += 4;
    }
    if (argc == 5 && !strcmp(argv[1], "request")) {
        return do_request(argv[2], argv[3], argv[4]);
    } else if (argc == 4 && !strcmp(argv[1], "serve")) {
        return do_serve(argv[2], argv[3]);
    }
    fprintf(stderr, "usage: %s request REMOTE METHOD PARAMS\n"
            "       %s serve PREMOTE DBNAME\n", argv[0], argv[0]);
    return 2;
}
