/* Unit tests for lib/jsonrpc: messages, connections over real sockets,
 * sessions that reconnect and keep alive. */
#include <config.h>
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "json.h"
#include "jsonrpc.h"
#include "poll-loop.h"
#include "stream.h"
#include "stream-fd.h"
#include "timeval.h"
#include "util.h"
#include "vlog.h"
#include "test-util.h"

static char tmpdir[] = "/tmp/test-jsonrpc.XXXXXX";

static void
setup(void)
{
    strcpy(tmpdir, "/tmp/test-jsonrpc.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    /* Expected warnings (malformed input) need not clutter the output. */
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_OFF);
}

static void
teardown(void)
{
    char *cmd = xasprintf("rm -rf '%s'", tmpdir);
    ck_assert_int_eq(system(cmd), 0);
    free(cmd);
}

/* Parses 'text' as a message; returns the error code and message. */
static int
parse_msg(const char *text, struct jsonrpc_msg **msgp, char **errorp)
{
    struct json_object *json;
    int error = json_from_string(text, &json, errorp);
    if (error) {
        *msgp = NULL;
        return error;
    }
    return jsonrpc_msg_from_json(json, msgp, errorp);
}

static void
check_valid(const char *text, enum jsonrpc_msg_type type, const char *back)
{
    struct jsonrpc_msg *msg;
    char *error;
    ck_assert_msg(!parse_msg(text, &msg, &error), "%s: %s", text, error);
    ck_assert_int_eq(msg->type, type);
    char *s = jsonrpc_msg_to_string(msg);
    struct json_object *a, *b;
    ck_assert_int_eq(json_from_string(s, &a, NULL), 0);
    ck_assert_int_eq(json_from_string(back, &b, NULL), 0);
    ck_assert_msg(json_equal(a, b), "%s != %s", s, back);
    json_object_put(a);
    json_object_put(b);
    free(s);
    jsonrpc_msg_destroy(msg);
}

static void
check_invalid(const char *text, const char *substr)
{
    struct jsonrpc_msg *msg;
    char *error;
    ck_assert_int_eq(parse_msg(text, &msg, &error), EPROTO);
    ck_assert_ptr_null(msg);
    ck_assert_msg(strstr(error, substr), "'%s' gave '%s', expected '%s'",
                  text, error, substr);
    free(error);
}

START_TEST(test_jsonrpc_msg_forms)
{
    check_valid("{\"method\":\"echo\",\"params\":[1],\"id\":7}",
                JSONRPC_REQUEST, "{\"method\":\"echo\",\"params\":[1],\"id\":7}");
    check_valid("{\"method\":\"update\",\"params\":[],\"id\":null}",
                JSONRPC_NOTIFY,
                "{\"method\":\"update\",\"params\":[],\"id\":null}");
    /* A missing id is a notification too. */
    check_valid("{\"method\":\"update\",\"params\":[]}", JSONRPC_NOTIFY,
                "{\"method\":\"update\",\"params\":[],\"id\":null}");
    check_valid("{\"result\":{\"a\":1},\"error\":null,\"id\":\"x\"}",
                JSONRPC_REPLY,
                "{\"result\":{\"a\":1},\"error\":null,\"id\":\"x\"}");
    check_valid("{\"result\":null,\"error\":\"bad\",\"id\":null}",
                JSONRPC_ERROR,
                "{\"result\":null,\"error\":\"bad\",\"id\":null}");
}
END_TEST

START_TEST(test_jsonrpc_msg_validation_errors)
{
    check_invalid("[1,2]", "message is an array, expected an object");
    check_invalid("\"x\"", "message is a string");
    check_invalid("{}", "no \"method\", \"result\" or \"error\"");
    check_invalid("{\"method\":1,\"params\":[],\"id\":1}",
                  "\"method\" is an integer, expected a string");
    check_invalid("{\"method\":\"m\",\"id\":1}", "lacks \"params\"");
    check_invalid("{\"method\":\"m\",\"params\":{},\"id\":1}",
                  "\"params\" of request \"m\" is an object");
    check_invalid("{\"method\":\"m\",\"params\":[],\"id\":1,\"result\":1}",
                  "must not have \"result\"");
    check_invalid("{\"method\":\"m\",\"params\":[],\"id\":1,\"extra\":1}",
                  "unexpected member \"extra\"");
    check_invalid("{\"result\":1,\"error\":null,\"id\":null}",
                  "reply has null or missing \"id\"");
    check_invalid("{\"result\":1,\"error\":\"e\",\"id\":1}",
                  "error reply has non-null \"result\"");
}
END_TEST

START_TEST(test_jsonrpc_create_ids_unique)
{
    struct json_object *id1, *id2;
    struct jsonrpc_msg *a = jsonrpc_create_request("x", NULL, &id1);
    struct jsonrpc_msg *b = jsonrpc_create_request("x", NULL, &id2);
    ck_assert(!json_equal(id1, id2));
    ck_assert(json_object_is_type(a->params, json_type_array));

    struct jsonrpc_msg *r = jsonrpc_create_reply(json_object_new_int64(5), id1);
    ck_assert(json_equal(r->id, id1));
    jsonrpc_msg_destroy(a);
    jsonrpc_msg_destroy(b);
    jsonrpc_msg_destroy(r);
    json_object_put(id1);
    json_object_put(id2);
}
END_TEST

/* Makes a connected pair of jsonrpcs over a socketpair. */
static void
make_pair(struct jsonrpc **a, struct jsonrpc **b)
{
    int fds[2];
    struct stream *sa, *sb;
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    ck_assert_int_eq(stream_from_fd(fds[0], "unix:a", &sa), 0);
    ck_assert_int_eq(stream_from_fd(fds[1], "unix:b", &sb), 0);
    *a = jsonrpc_open(sa);
    *b = jsonrpc_open(sb);
}

/* A raw socket on one side for feeding bytes, a jsonrpc on the other. */
static int
make_raw_pair(struct jsonrpc **rpc)
{
    int fds[2];
    struct stream *s;
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    ck_assert_int_eq(stream_from_fd(fds[0], "unix:raw", &s), 0);
    *rpc = jsonrpc_open(s);
    return fds[1];
}

/* Receives with a bound of 5 s. */
static int
recv_bounded(struct jsonrpc *rpc, struct jsonrpc_msg **msgp)
{
    long long deadline = time_msec() + 5000;
    for (;;) {
        int error = jsonrpc_recv(rpc, msgp);
        if (error != EAGAIN || time_msec() > deadline) {
            return error;
        }
        jsonrpc_run(rpc);
        jsonrpc_wait(rpc);
        jsonrpc_recv_wait(rpc);
        poll_timer_wait_until(deadline);
        poll_block();
    }
}

START_TEST(test_jsonrpc_pair_request_reply)
{
    struct jsonrpc *a, *b;
    make_pair(&a, &b);

    struct json_object *id;
    struct jsonrpc_msg *req = jsonrpc_create_request(
        "transact", json_array_build(1, json_object_new_string("db\"\n")),
        &id);
    ck_assert_int_eq(jsonrpc_send(a, req), 0);

    struct jsonrpc_msg *msg;
    ck_assert_int_eq(recv_bounded(b, &msg), 0);
    ck_assert_int_eq(msg->type, JSONRPC_REQUEST);
    ck_assert_str_eq(msg->method, "transact");
    ck_assert_str_eq(json_object_get_string(
                         json_object_array_get_idx(msg->params, 0)), "db\"\n");
    ck_assert_int_eq(jsonrpc_send(b, jsonrpc_create_reply(
                                      json_object_new_int64(42), msg->id)), 0);
    jsonrpc_msg_destroy(msg);

    ck_assert_int_eq(recv_bounded(a, &msg), 0);
    ck_assert_int_eq(msg->type, JSONRPC_REPLY);
    ck_assert(json_equal(msg->id, id));
    ck_assert_int_eq(json_object_get_int64(msg->result), 42);
    jsonrpc_msg_destroy(msg);
    json_object_put(id);

    /* Closing one end gives the other EOF. */
    jsonrpc_close(a);
    ck_assert_int_eq(recv_bounded(b, &msg), EOF);
    ck_assert_int_eq(jsonrpc_get_status(b), EOF);
    ck_assert_int_eq(jsonrpc_send(b, jsonrpc_create_notify("x", NULL)), EOF);
    jsonrpc_close(b);
}
END_TEST

START_TEST(test_jsonrpc_many_messages_in_one_read_and_split)
{
    struct jsonrpc *rpc;
    int fd = make_raw_pair(&rpc);
    const char *text =
        "{\"method\":\"a\",\"params\":[],\"id\":1}"
        "{\"method\":\"b\",\"params\":[],\"id\":null}\n"
        "{\"result\":[],\"error\":null,\"id\":3}  {\"meth";
    ck_assert_int_eq(write(fd, text, strlen(text)), strlen(text));

    struct jsonrpc_msg *msg;
    const char *methods[] = { "a", "b" };
    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(recv_bounded(rpc, &msg), 0);
        ck_assert_str_eq(msg->method, methods[i]);
        jsonrpc_msg_destroy(msg);
    }
    ck_assert_int_eq(recv_bounded(rpc, &msg), 0);
    ck_assert_int_eq(msg->type, JSONRPC_REPLY);
    jsonrpc_msg_destroy(msg);
    ck_assert_int_eq(jsonrpc_recv(rpc, &msg), EAGAIN);

    const char *rest = "od\":\"c\",\"params\":[true],\"id\":4}";
    ck_assert_int_eq(write(fd, rest, strlen(rest)), strlen(rest));
    ck_assert_int_eq(recv_bounded(rpc, &msg), 0);
    ck_assert_str_eq(msg->method, "c");
    jsonrpc_msg_destroy(msg);

    /* The peer dies in the middle of a message. */
    ck_assert_int_eq(write(fd, "{\"x", 3), 3);
    close(fd);
    ck_assert_int_eq(recv_bounded(rpc, &msg), EPROTO);
    jsonrpc_close(rpc);
}
END_TEST

/* Feeds 'bytes' and expects the connection to fail with 'expected'. */
static void
check_malformed(const char *bytes, size_t n, int expected)
{
    struct jsonrpc *rpc;
    int fd = make_raw_pair(&rpc);
    ck_assert_int_eq(write(fd, bytes, n), n);
    struct jsonrpc_msg *msg;
    ck_assert_int_eq(recv_bounded(rpc, &msg), expected);
    ck_assert_ptr_null(msg);
    /* The status sticks. */
    ck_assert_int_eq(jsonrpc_recv(rpc, &msg), expected);
    jsonrpc_close(rpc);
    close(fd);
}

START_TEST(test_jsonrpc_malformed_input_is_an_error_not_a_crash)
{
    static const char *bad[] = {
        "{bad json}", "[1,2]", "42 ", "{\"method\":1,\"params\":[]}",
        "{\"method\":\"m\",\"params\":\"no\",\"id\":1}", "\"\xff\"",
        "{\"result\":1}", "}",
    };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        check_malformed(bad[i], strlen(bad[i]), EPROTO);
    }
    check_malformed("{\"a\":\0}", 7, EPROTO);
}
END_TEST

/* A server that answers malformed requests reads them raw: JSON that is not
 * a JSON-RPC message arrives intact (a bare null as NULL), while bytes that
 * are not JSON still break the connection. */
START_TEST(test_jsonrpc_recv_json_passes_non_rpc_json)
{
    struct jsonrpc *rpc;
    int fd = make_raw_pair(&rpc);
    const char *text = "[1,2] null {\"method\":1} {bad";
    ck_assert_int_eq(write(fd, text, strlen(text)), strlen(text));

    struct json_object *json;
    ck_assert_int_eq(jsonrpc_recv_json(rpc, &json), 0);
    ck_assert(json_object_is_type(json, json_type_array));
    ck_assert_int_eq(json_object_array_length(json), 2);
    json_object_put(json);
    ck_assert_int_eq(jsonrpc_recv_json(rpc, &json), 0);
    ck_assert_ptr_null(json);
    ck_assert_int_eq(jsonrpc_recv_json(rpc, &json), 0);
    ck_assert(json_object_is_type(json, json_type_object));
    json_object_put(json);
    ck_assert_int_eq(jsonrpc_recv_json(rpc, &json), EPROTO);
    ck_assert_ptr_null(json);
    ck_assert_int_eq(jsonrpc_get_status(rpc), EPROTO);
    jsonrpc_close(rpc);
    close(fd);
}
END_TEST

/* An accepted session applies its message size limit and hands raw values
 * out; it drops the connection on an oversized one. */
START_TEST(test_jsonrpc_session_recv_json_and_max_msg_size)
{
    int fds[2];
    struct stream *s;
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    ck_assert_int_eq(stream_from_fd(fds[0], "unix:accepted", &s), 0);
    struct jsonrpc_session *js = jsonrpc_session_open_accepted(s);
    jsonrpc_session_set_max_msg_size(js, 100);

    const char *small = "\"echo\" ";
    ck_assert_int_eq(write(fds[1], small, strlen(small)), strlen(small));
    struct json_object *json = NULL;
    long long deadline = time_msec() + 5000;
    while (!jsonrpc_session_recv_json(js, &json) && time_msec() < deadline) {
        jsonrpc_session_run(js);
        jsonrpc_session_wait(js);
        jsonrpc_session_recv_wait(js);
        poll_timer_wait_until(deadline);
        poll_block();
    }
    ck_assert_str_eq(json_object_get_string(json), "echo");
    json_object_put(json);

    char big[300];
    memset(big, ' ', sizeof big);
    memcpy(big, "[\"", 2);
    ck_assert_int_eq(write(fds[1], big, sizeof big), sizeof big);
    while (jsonrpc_session_is_connected(js) && time_msec() < deadline) {
        ck_assert(!jsonrpc_session_recv_json(js, &json));
        jsonrpc_session_run(js);
        jsonrpc_session_wait(js);
        jsonrpc_session_recv_wait(js);
        poll_timer_wait_until(deadline);
        poll_block();
    }
    ck_assert(!jsonrpc_session_is_connected(js));
    ck_assert_int_eq(jsonrpc_session_get_last_error(js), EMSGSIZE);
    jsonrpc_session_close(js);
    close(fds[1]);
}
END_TEST

START_TEST(test_jsonrpc_oversized_message)
{
    struct jsonrpc *rpc;
    int fd = make_raw_pair(&rpc);
    jsonrpc_set_max_msg_size(rpc, 1000);

    char buf[2000];
    memset(buf, ' ', sizeof buf);
    memcpy(buf, "[\"", 2);
    ck_assert_int_eq(write(fd, buf, sizeof buf), sizeof buf);
    struct jsonrpc_msg *msg;
    ck_assert_int_eq(recv_bounded(rpc, &msg), EMSGSIZE);
    jsonrpc_close(rpc);
    close(fd);
}
END_TEST

START_TEST(test_jsonrpc_backlog_is_bounded)
{
    struct jsonrpc *a, *b;
    make_pair(&a, &b);
    jsonrpc_set_max_backlog(a, 64 * 1024);

    /* 'b' never reads: socket buffers fill, then the backlog grows until
     * the connection gives up. */
    char *payload = xmalloc(1000);
    memset(payload, 'p', 999);
    payload[999] = '\0';
    int error = 0;
    size_t max_seen = 0;
    for (int i = 0; i < 100000 && !error; i++) {
        error = jsonrpc_send(a, jsonrpc_create_notify(
                                 "x", json_array_build(
                                     1, json_object_new_string(payload))));
        max_seen = MAX(max_seen, jsonrpc_get_backlog(a));
    }
    ck_assert_int_eq(error, ENOBUFS);
    ck_assert_int_eq(jsonrpc_get_status(a), ENOBUFS);
    ck_assert_uint_gt(max_seen, 32 * 1024);
    ck_assert_uint_le(max_seen, 64 * 1024);
    ck_assert_uint_eq(jsonrpc_get_backlog(a), 0);
    free(payload);
    jsonrpc_close(a);
    jsonrpc_close(b);
}
END_TEST

/* A server thread answering one request per connection with its params,
 * after sending an echo request and an unrelated notification first. */
static void *
transact_server(void *fd_)
{
    struct stream *s;
    stream_from_fd((int) (intptr_t) fd_, "unix:server", &s);
    struct jsonrpc *rpc = jsonrpc_open(s);
    struct jsonrpc_msg *req, *echo_reply;

    if (!jsonrpc_recv_block(rpc, &req)) {
        struct jsonrpc_msg *echo = jsonrpc_create_request(
            "echo", json_array_build(1, json_object_new_string("ping")), NULL);
        jsonrpc_send_block(rpc, echo);
        jsonrpc_send_block(rpc, jsonrpc_create_notify("noise", NULL));
        /* The client answers the echo before we answer it. */
        if (!jsonrpc_recv_block(rpc, &echo_reply)) {
            jsonrpc_send_block(rpc, jsonrpc_create_reply(
                                   json_object_get(echo_reply->result),
                                   req->id));
            jsonrpc_msg_destroy(echo_reply);
        }
        jsonrpc_msg_destroy(req);
    }
    jsonrpc_close(rpc);
    return NULL;
}

START_TEST(test_jsonrpc_transact_block_answers_echo)
{
    int fds[2];
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    pthread_t thread;
    pthread_create(&thread, NULL, transact_server, (void *) (intptr_t) fds[1]);

    struct stream *s;
    ck_assert_int_eq(stream_from_fd(fds[0], "unix:client", &s), 0);
    struct jsonrpc *rpc = jsonrpc_open(s);
    struct jsonrpc_msg *reply;
    ck_assert_int_eq(jsonrpc_transact_block(
                         rpc, jsonrpc_create_request("get", NULL, NULL),
                         &reply), 0);
    ck_assert_int_eq(reply->type, JSONRPC_REPLY);
    char *str = json_to_string(reply->result, 0);
    ck_assert_str_eq(str, "[\"ping\"]");
    free(str);
    jsonrpc_msg_destroy(reply);
    jsonrpc_close(rpc);
    pthread_join(thread, NULL);
}
END_TEST

/* ---- Sessions ---- */

struct server {
    struct pstream *listener;
    struct jsonrpc_session *conns[8];
    size_t n_conns;
    unsigned int n_requests;
};

static void
server_start(struct server *srv, const char *pname)
{
    memset(srv, 0, sizeof *srv);
    ck_assert_int_eq(pstream_open(pname, &srv->listener), 0);
}

static void
server_stop(struct server *srv)
{
    for (size_t i = 0; i < srv->n_conns; i++) {
        jsonrpc_session_close(srv->conns[i]);
    }
    srv->n_conns = 0;
    pstream_close(srv->listener);
    srv->listener = NULL;
}

/* Accepts connections and answers every request with "ok". */
static void
server_run(struct server *srv)
{
    struct stream *stream;
    if (srv->listener && srv->n_conns < ARRAY_SIZE(srv->conns)
        && !pstream_accept(srv->listener, &stream)) {
        srv->conns[srv->n_conns++] = jsonrpc_session_open_accepted(stream);
    }
    for (size_t i = 0; i < srv->n_conns; i++) {
        struct jsonrpc_session *s = srv->conns[i];
        jsonrpc_session_run(s);
        struct jsonrpc_msg *msg = jsonrpc_session_recv(s);
        if (msg && msg->type == JSONRPC_REQUEST) {
            srv->n_requests++;
            jsonrpc_session_send(s, jsonrpc_create_reply(
                                     json_object_new_string("ok"), msg->id));
        }
        jsonrpc_msg_destroy(msg);
        if (!jsonrpc_session_is_alive(s)) {
            jsonrpc_session_close(s);
            srv->conns[i--] = srv->conns[--srv->n_conns];
        }
    }
}

static void
server_wait(struct server *srv)
{
    if (srv->listener) {
        pstream_wait(srv->listener);
    }
    for (size_t i = 0; i < srv->n_conns; i++) {
        jsonrpc_session_wait(srv->conns[i]);
        jsonrpc_session_recv_wait(srv->conns[i]);
    }
}

/* Runs 'client' and 'srv' (may be NULL) for up to 'ms' or until 'done'
 * returns true.  Returns the last message the client received. */
typedef bool done_func(struct jsonrpc_session *, void *aux);

static bool
run_until(struct jsonrpc_session *client, struct server *srv, int ms,
          done_func *done, void *aux)
{
    long long deadline = time_msec() + ms;
    while (time_msec() < deadline) {
        jsonrpc_session_run(client);
        struct jsonrpc_msg *msg = jsonrpc_session_recv(client);
        if (msg && aux) {
            *(struct jsonrpc_msg **) aux = msg;
        } else {
            jsonrpc_msg_destroy(msg);
        }
        if (srv) {
            server_run(srv);
        }
        if (done && done(client, aux)) {
            return true;
        }
        jsonrpc_session_wait(client);
        jsonrpc_session_recv_wait(client);
        if (srv) {
            server_wait(srv);
        }
        poll_timer_wait_until(deadline);
        poll_block();
    }
    return done ? done(client, aux) : true;
}

static bool
is_connected(struct jsonrpc_session *s, void *aux VS_UNUSED)
{
    return jsonrpc_session_is_connected(s);
}

static bool
is_disconnected(struct jsonrpc_session *s, void *aux VS_UNUSED)
{
    return !jsonrpc_session_is_connected(s);
}

static bool
got_msg(struct jsonrpc_session *s VS_UNUSED, void *aux)
{
    return *(struct jsonrpc_msg **) aux != NULL;
}

static bool
is_dead(struct jsonrpc_session *s, void *aux VS_UNUSED)
{
    return !jsonrpc_session_is_alive(s);
}

/* Sends a request through 'client' and checks that "ok" comes back. */
static void
check_request(struct jsonrpc_session *client, struct server *srv)
{
    struct jsonrpc_msg *reply = NULL;
    ck_assert_int_eq(jsonrpc_session_send(
                         client, jsonrpc_create_request("get", NULL, NULL)),
                     0);
    ck_assert(run_until(client, srv, 5000, got_msg, &reply));
    ck_assert_int_eq(reply->type, JSONRPC_REPLY);
    ck_assert_str_eq(json_object_get_string(reply->result), "ok");
    jsonrpc_msg_destroy(reply);
}

START_TEST(test_jsonrpc_session_reconnects_after_server_restart)
{
    char *path = xasprintf("%s/db.sock", tmpdir);
    char *pname = xasprintf("punix:%s", path);
    char *name = xasprintf("unix:%s", path);
    struct server srv;

    /* The client starts first and keeps trying. */
    struct jsonrpc_session *client = jsonrpc_session_open(name, true);
    jsonrpc_session_set_backoff(client, 50, 200);
    ck_assert_uint_eq(jsonrpc_session_get_seqno(client), 0);
    ck_assert(!run_until(client, NULL, 300, is_connected, NULL));
    ck_assert(jsonrpc_session_is_alive(client));
    ck_assert_int_eq(jsonrpc_session_send(
                         client, jsonrpc_create_notify("x", NULL)), ENOTCONN);

    server_start(&srv, pname);
    ck_assert(run_until(client, &srv, 5000, is_connected, NULL));
    ck_assert_uint_eq(jsonrpc_session_get_seqno(client), 1);
    check_request(client, &srv);

    /* The server goes away: the client notices. */
    server_stop(&srv);
    ck_assert(run_until(client, NULL, 5000, is_disconnected, NULL));
    ck_assert_uint_eq(jsonrpc_session_get_seqno(client), 2);
    ck_assert_int_eq(jsonrpc_session_get_last_error(client), EOF);

    /* It comes back: the client reconnects by itself. */
    server_start(&srv, pname);
    ck_assert(run_until(client, &srv, 5000, is_connected, NULL));
    ck_assert_uint_eq(jsonrpc_session_get_seqno(client), 3);
    check_request(client, &srv);
    ck_assert_uint_eq(srv.n_requests, 1);

    /* A forced reconnect is one disconnect and one connect. */
    jsonrpc_session_force_reconnect(client);
    ck_assert(run_until(client, &srv, 5000, is_disconnected, NULL));
    ck_assert(run_until(client, &srv, 5000, is_connected, NULL));
    ck_assert_uint_eq(jsonrpc_session_get_seqno(client), 5);

    jsonrpc_session_close(client);
    server_stop(&srv);
    free(path);
    free(pname);
    free(name);
}
END_TEST

START_TEST(test_jsonrpc_session_without_retry_gives_up)
{
    char *name = xasprintf("unix:%s/nobody.sock", tmpdir);
    struct jsonrpc_session *client = jsonrpc_session_open(name, false);
    ck_assert(run_until(client, NULL, 5000, is_dead, NULL));
    ck_assert_int_eq(jsonrpc_session_get_last_error(client), ENOENT);
    jsonrpc_session_close(client);
    free(name);
}
END_TEST

START_TEST(test_jsonrpc_session_keepalive_over_tcp)
{
    struct server srv;
    server_start(&srv, "ptcp:0:127.0.0.1");
    char *name = xasprintf("tcp:127.0.0.1:%u",
                           pstream_get_bound_port(srv.listener));

    /* Both ends probe each other every second (the minimum) and answer
     * probes: 2.5 s of silence must not break the connection. */
    struct jsonrpc_session *client = jsonrpc_session_open(name, true);
    jsonrpc_session_set_probe_interval(client, 1000);
    ck_assert(run_until(client, &srv, 5000, is_connected, NULL));
    for (size_t i = 0; i < srv.n_conns; i++) {
        jsonrpc_session_set_probe_interval(srv.conns[i], 1000);
    }
    ck_assert(!run_until(client, &srv, 2500, is_disconnected, NULL));
    ck_assert_uint_eq(jsonrpc_session_get_seqno(client), 1);
    check_request(client, &srv);
    jsonrpc_session_close(client);
    server_stop(&srv);

    /* A peer that accepts but never answers is dropped after probing. */
    struct pstream *mute;
    ck_assert_int_eq(pstream_open("ptcp:0:127.0.0.1", &mute), 0);
    free(name);
    name = xasprintf("tcp:127.0.0.1:%u", pstream_get_bound_port(mute));
    client = jsonrpc_session_open(name, true);
    jsonrpc_session_set_probe_interval(client, 1000);
    ck_assert(run_until(client, NULL, 5000, is_connected, NULL));
    long long start = time_msec();
    ck_assert(run_until(client, NULL, 5000, is_disconnected, NULL));
    ck_assert_int_ge(time_msec() - start, 1500);
    ck_assert_int_eq(jsonrpc_session_get_last_error(client), ETIMEDOUT);
    jsonrpc_session_close(client);
    pstream_close(mute);
    free(name);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("jsonrpc");
    TCase *tc = tcase_create("jsonrpc");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_jsonrpc_msg_forms);
    tcase_add_test(tc, test_jsonrpc_msg_validation_errors);
    tcase_add_test(tc, test_jsonrpc_create_ids_unique);
    tcase_add_test(tc, test_jsonrpc_pair_request_reply);
    tcase_add_test(tc, test_jsonrpc_many_messages_in_one_read_and_split);
    tcase_add_test(tc, test_jsonrpc_malformed_input_is_an_error_not_a_crash);
    tcase_add_test(tc, test_jsonrpc_oversized_message);
    tcase_add_test(tc, test_jsonrpc_recv_json_passes_non_rpc_json);
    tcase_add_test(tc, test_jsonrpc_session_recv_json_and_max_msg_size);
    tcase_add_test(tc, test_jsonrpc_backlog_is_bounded);
    tcase_add_test(tc, test_jsonrpc_transact_block_answers_echo);
    tcase_add_test(tc, test_jsonrpc_session_reconnects_after_server_restart);
    tcase_add_test(tc, test_jsonrpc_session_without_retry_gives_up);
    tcase_add_test(tc, test_jsonrpc_session_keepalive_over_tcp);
    suite_add_tcase(s, tc);

    return test_run_suite(s);
}
