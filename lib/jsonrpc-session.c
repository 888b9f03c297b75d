/* A JSON-RPC session: a connection kept up by the reconnect state machine,
 * with "echo" keepalive probes in both directions. */
#include <config.h>
#include "jsonrpc.h"

#include <errno.h>
#include <string.h>

#include "poll-loop.h"
#include "reconnect.h"
#include "stream.h"
#include "timeval.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(jsonrpc_session);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(30, 30);

/* Messages handled per jsonrpc_session_recv() call before giving the main
 * loop a turn (echo traffic is consumed internally). */
#define MAX_INTERNAL_MSGS 50

struct jsonrpc_session {
    char *name;                 /* Owned. */
    struct reconnect *fsm;      /* Owned. */
    bool retry;                 /* False: one attempt, one connection. */
    struct stream *stream;      /* Owned; while connecting. */
    struct jsonrpc *rpc;        /* Owned; while connected. */
    unsigned int seqno;
    int last_error;
    size_t max_backlog;
    size_t max_msg_size;        /* 0: the parser's default. */
};

static struct jsonrpc_session *
session_create(const char *name, bool retry)
{
    struct jsonrpc_session *s = xzalloc(sizeof *s);
    s->name = xstrdup(name);
    s->retry = retry;
    s->fsm = reconnect_create(time_msec());
    reconnect_set_name(s->fsm, name);
    reconnect_set_probe_interval(s->fsm, stream_needs_probes(name)
                                 ? RECONNECT_DEFAULT_PROBE_INTERVAL : 0);
    if (!retry) {
        reconnect_set_max_tries(s->fsm, 1);
    }
    s->max_backlog = JSONRPC_DEFAULT_MAX_BACKLOG;
    return s;
}

/* Applies the session's limits to a new connection. */
static void
session_set_rpc(struct jsonrpc_session *s, struct jsonrpc *rpc)
{
    s->rpc = rpc;
    jsonrpc_set_max_backlog(rpc, s->max_backlog);
    if (s->max_msg_size) {
        jsonrpc_set_max_msg_size(rpc, s->max_msg_size);
    }
}

struct jsonrpc_session *
jsonrpc_session_open(const char *name, bool retry)
{
    struct jsonrpc_session *s = session_create(name, retry);
    reconnect_enable(s->fsm, time_msec());
    return s;
}

struct jsonrpc_session *
jsonrpc_session_open_accepted(struct stream *stream)
{
    struct jsonrpc_session *s = session_create(stream_get_name(stream), false);
    long long now = time_msec();

    reconnect_enable(s->fsm, now);
    reconnect_connecting(s->fsm, now);
    reconnect_connected(s->fsm, now);
    session_set_rpc(s, jsonrpc_open(stream));
    s->seqno++;
    return s;
}

void
jsonrpc_session_close(struct jsonrpc_session *s)
{
    if (s) {
        jsonrpc_close(s->rpc);
        stream_close(s->stream);
        reconnect_destroy(s->fsm);
        free(s->name);
        free(s);
    }
}

/* Drops the connection or connection attempt, if any. */
static void
session_disconnect(struct jsonrpc_session *s, int error)
{
    long long now = time_msec();

    if (s->rpc) {
        VLOG_INFO_RL(&rl, "%s: connection dropped (%s)", s->name,
                     vs_strerror(error));
        jsonrpc_close(s->rpc);
        s->rpc = NULL;
        s->seqno++;
        s->last_error = error;
        reconnect_disconnected(s->fsm, now, error);
        if (!s->retry) {
            reconnect_disable(s->fsm, now);
        }
    } else if (s->stream) {
        stream_close(s->stream);
        s->stream = NULL;
        s->last_error = error;
        reconnect_connect_failed(s->fsm, now, error);
    }
}

static void
session_connected(struct jsonrpc_session *s)
{
    session_set_rpc(s, jsonrpc_open(s->stream));
    s->stream = NULL;
    s->seqno++;
    reconnect_connected(s->fsm, time_msec());
    VLOG_INFO("%s: connected", s->name);
}

static void
session_start_connect(struct jsonrpc_session *s)
{
    long long now = time_msec();
    int error = stream_open(s->name, &s->stream);

    reconnect_connecting(s->fsm, now);
    if (error) {
        VLOG_WARN_RL(&rl, "%s: connection attempt failed (%s)", s->name,
                     vs_strerror(error));
        s->last_error = error;
        reconnect_connect_failed(s->fsm, now, error);
        return;
    }
    VLOG_DBG("%s: connecting...", s->name);
    error = stream_connect(s->stream);
    if (!error) {
        session_connected(s);
    } else if (error != EAGAIN) {
        VLOG_WARN_RL(&rl, "%s: connection attempt failed (%s)", s->name,
                     vs_strerror(error));
        session_disconnect(s, error);
    }
}

/* Our keepalive probes carry this id; application requests made with
 * jsonrpc_create_request() have integer ids, so the two never clash. */
#define PROBE_ID "echo"

static bool
is_probe_reply(const struct jsonrpc_msg *msg)
{
    return (msg->type == JSONRPC_REPLY || msg->type == JSONRPC_ERROR)
           && json_object_is_type(msg->id, json_type_string)
           && !strcmp(json_object_get_string(msg->id), PROBE_ID);
}

static void
send_probe(struct jsonrpc_session *s)
{
    struct jsonrpc_msg *probe = jsonrpc_create_request(
        "echo", json_object_new_array(), NULL);
    json_object_put(probe->id);
    probe->id = json_object_new_string(PROBE_ID);
    jsonrpc_send(s->rpc, probe);
}

void
jsonrpc_session_run(struct jsonrpc_session *s)
{
    if (s->rpc) {
        jsonrpc_run(s->rpc);
        int error = jsonrpc_get_status(s->rpc);
        if (error) {
            session_disconnect(s, error);
        }
    } else if (s->stream) {
        stream_run(s->stream);
        int error = stream_connect(s->stream);
        if (!error) {
            session_connected(s);
        } else if (error != EAGAIN) {
            VLOG_WARN_RL(&rl, "%s: connection attempt failed (%s)", s->name,
                         vs_strerror(error));
            session_disconnect(s, error);
        }
    }

    switch (reconnect_run(s->fsm, time_msec())) {
    case RECONNECT_CONNECT:
        session_start_connect(s);
        break;
    case RECONNECT_DISCONNECT:
        if (s->rpc) {
            VLOG_WARN_RL(&rl, "%s: no response to inactivity probe, "
                         "disconnecting", s->name);
        }
        session_disconnect(s, ETIMEDOUT);
        if (reconnect_get_state(s->fsm) == RECONNECT_RECONNECT) {
            /* A forced reconnect with no connection to drop. */
            reconnect_disconnected(s->fsm, time_msec(), 0);
        }
        break;
    case RECONNECT_PROBE:
        if (s->rpc) {
            send_probe(s);
        }
        break;
    case RECONNECT_NONE:
        break;
    }
}

void
jsonrpc_session_wait(struct jsonrpc_session *s)
{
    if (s->rpc) {
        jsonrpc_wait(s->rpc);
    } else if (s->stream) {
        stream_run_wait(s->stream);
        stream_connect_wait(s->stream);
    }
    reconnect_wait(s->fsm, time_msec());
}

int
jsonrpc_session_send(struct jsonrpc_session *s, struct jsonrpc_msg *msg)
{
    if (!s->rpc) {
        jsonrpc_msg_destroy(msg);
        return ENOTCONN;
    }
    jsonrpc_send(s->rpc, msg);
    return 0;
}

struct jsonrpc_msg *
jsonrpc_session_recv(struct jsonrpc_session *s)
{
    for (int i = 0; s->rpc && i < MAX_INTERNAL_MSGS; i++) {
        struct jsonrpc_msg *msg;
        int error = jsonrpc_recv(s->rpc, &msg);
        if (error) {
            if (error != EAGAIN) {
                session_disconnect(s, error);
            }
            return NULL;
        }

        reconnect_activity(s->fsm, time_msec());
        if (msg->type == JSONRPC_REQUEST && !strcmp(msg->method, "echo")) {
            jsonrpc_send(s->rpc, jsonrpc_create_reply(
                             json_object_get(msg->params), msg->id));
            jsonrpc_msg_destroy(msg);
        } else if (is_probe_reply(msg)) {
            jsonrpc_msg_destroy(msg);
        } else {
            return msg;
        }
    }
    return NULL;
}

bool
jsonrpc_session_recv_json(struct jsonrpc_session *s,
                          struct json_object **jsonp)
{
    *jsonp = NULL;
    if (!s->rpc) {
        return false;
    }
    int error = jsonrpc_recv_json(s->rpc, jsonp);
    if (error) {
        if (error != EAGAIN) {
            session_disconnect(s, error);
        }
        return false;
    }
    reconnect_activity(s->fsm, time_msec());
    return true;
}

void
jsonrpc_session_recv_wait(struct jsonrpc_session *s)
{
    if (s->rpc) {
        jsonrpc_recv_wait(s->rpc);
    }
}

const char *
jsonrpc_session_get_name(const struct jsonrpc_session *s)
{
    return s->name;
}

bool
jsonrpc_session_is_connected(const struct jsonrpc_session *s)
{
    return s->rpc != NULL;
}

bool
jsonrpc_session_is_alive(const struct jsonrpc_session *s)
{
    return s->rpc || s->stream || reconnect_is_enabled(s->fsm);
}

unsigned int
jsonrpc_session_get_seqno(const struct jsonrpc_session *s)
{
    return s->seqno;
}

int
jsonrpc_session_get_last_error(const struct jsonrpc_session *s)
{
    return s->last_error;
}

size_t
jsonrpc_session_get_backlog(const struct jsonrpc_session *s)
{
    return s->rpc ? jsonrpc_get_backlog(s->rpc) : 0;
}

void
jsonrpc_session_force_reconnect(struct jsonrpc_session *s)
{
    reconnect_force_reconnect(s->fsm, time_msec());
}

void
jsonrpc_session_set_backoff(struct jsonrpc_session *s, int min_ms, int max_ms)
{
    reconnect_set_backoff(s->fsm, min_ms, max_ms);
}

void
jsonrpc_session_set_probe_interval(struct jsonrpc_session *s, int ms)
{
    reconnect_set_probe_interval(s->fsm, ms);
}

void
jsonrpc_session_set_max_backlog(struct jsonrpc_session *s, size_t max_bytes)
{
    s->max_backlog = max_bytes;
    if (s->rpc) {
        jsonrpc_set_max_backlog(s->rpc, max_bytes);
    }
}

void
jsonrpc_session_set_max_msg_size(struct jsonrpc_session *s, size_t max_bytes)
{
    s->max_msg_size = max_bytes;
    if (s->rpc) {
        jsonrpc_set_max_msg_size(s->rpc, max_bytes);
    }
}
