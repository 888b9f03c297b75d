/* A JSON-RPC connection over one stream: framing by the incremental JSON
 * parser on input, a bounded byte queue on output. */
#include <config.h>
#include "jsonrpc.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dynamic-string.h"
#include "poll-loop.h"
#include "stream.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(jsonrpc);

/* Messages a peer can trigger are logged at most this often. */
static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(30, 30);

#define RX_BUFSIZE 16384
/* Reads per jsonrpc_recv() call, so that one busy peer cannot starve the
 * rest of the main loop. */
#define MAX_READS_PER_RECV 50

struct jsonrpc {
    struct stream *stream;      /* Owned. */
    char *name;                 /* Owned; the stream's name. */
    int status;                 /* 0, errno or EOF. */

    /* Input. */
    struct json_parser *parser; /* Owned. */
    char rx_buf[RX_BUFSIZE];
    size_t rx_ofs, rx_len;      /* Unparsed bytes are rx_buf[ofs..len). */

    /* Output. */
    struct ds tx;               /* Queued bytes are tx.string[tx_ofs..]. */
    size_t tx_ofs;
    size_t max_backlog;
};

struct jsonrpc *
jsonrpc_open(struct stream *stream)
{
    struct jsonrpc *rpc = xzalloc(sizeof *rpc);
    rpc->stream = stream;
    rpc->name = xstrdup(stream_get_name(stream));
    rpc->parser = json_parser_create(0, 0);
    ds_init(&rpc->tx);
    rpc->max_backlog = JSONRPC_DEFAULT_MAX_BACKLOG;
    return rpc;
}

void
jsonrpc_close(struct jsonrpc *rpc)
{
    if (rpc) {
        stream_close(rpc->stream);
        json_parser_destroy(rpc->parser);
        ds_destroy(&rpc->tx);
        free(rpc->name);
        free(rpc);
    }
}

static void
jsonrpc_error(struct jsonrpc *rpc, int error)
{
    if (!rpc->status) {
        rpc->status = error;
        /* Nothing more will be sent. */
        ds_clear(&rpc->tx);
        rpc->tx_ofs = 0;
    }
}

void
jsonrpc_run(struct jsonrpc *rpc)
{
    if (rpc->status) {
        return;
    }
    stream_run(rpc->stream);
    while (rpc->tx.length > rpc->tx_ofs) {
        ssize_t n = stream_send(rpc->stream, rpc->tx.string + rpc->tx_ofs,
                                rpc->tx.length - rpc->tx_ofs);
        if (n > 0) {
            rpc->tx_ofs += n;
        } else if (n == -EAGAIN || n == 0) {
            break;
        } else {
            VLOG_WARN_RL(&rl, "%s: send error: %s", rpc->name,
                         vs_strerror(-n));
            jsonrpc_error(rpc, -n);
            return;
        }
    }
    if (rpc->tx_ofs == rpc->tx.length) {
        ds_clear(&rpc->tx);
        rpc->tx_ofs = 0;
    } else if (rpc->tx_ofs > rpc->tx.length / 2) {
        /* Compact so the queue does not grow without bound. */
        size_t rest = rpc->tx.length - rpc->tx_ofs;
        memmove(rpc->tx.string, rpc->tx.string + rpc->tx_ofs, rest);
        ds_truncate(&rpc->tx, rest);
        rpc->tx_ofs = 0;
    }
}

void
jsonrpc_wait(struct jsonrpc *rpc)
{
    if (!rpc->status) {
        stream_run_wait(rpc->stream);
        if (rpc->tx.length > rpc->tx_ofs) {
            stream_send_wait(rpc->stream);
        }
    }
}

int
jsonrpc_get_status(const struct jsonrpc *rpc)
{
    return rpc->status;
}

const char *
jsonrpc_get_name(const struct jsonrpc *rpc)
{
    return rpc->name;
}

size_t
jsonrpc_get_backlog(const struct jsonrpc *rpc)
{
    return rpc->status ? 0 : rpc->tx.length - rpc->tx_ofs;
}

void
jsonrpc_set_max_backlog(struct jsonrpc *rpc, size_t max_bytes)
{
    rpc->max_backlog = max_bytes;
}

void
jsonrpc_set_max_msg_size(struct jsonrpc *rpc, size_t max_bytes)
{
    json_parser_destroy(rpc->parser);
    rpc->parser = json_parser_create(max_bytes, 0);
}

static void
log_msg(const struct jsonrpc *rpc, const char *title,
        const struct jsonrpc_msg *msg)
{
    if (vlog_is_enabled(THIS_MODULE, VLL_DBG)) {
        char *s = jsonrpc_msg_to_string(msg);
        VLOG_DBG("%s: %s %s %.4000s", rpc->name, title,
                 jsonrpc_msg_type_to_string(msg->type), s);
        free(s);
    }
}

int
jsonrpc_send(struct jsonrpc *rpc, struct jsonrpc_msg *msg)
{
    if (rpc->status) {
        jsonrpc_msg_destroy(msg);
        return rpc->status;
    }

    log_msg(rpc, "send", msg);
    struct json_object *json = jsonrpc_msg_to_json(msg);
    json_to_ds(json, 0, &rpc->tx);
    json_object_put(json);
    jsonrpc_msg_destroy(msg);

    if (jsonrpc_get_backlog(rpc) > rpc->max_backlog) {
        VLOG_WARN_RL(&rl, "%s: send backlog of %zu bytes exceeds %zu, "
                     "dropping connection", rpc->name,
                     jsonrpc_get_backlog(rpc), rpc->max_backlog);
        jsonrpc_error(rpc, ENOBUFS);
        return ENOBUFS;
    }
    jsonrpc_run(rpc);
    return rpc->status;
}

/* Breaks the connection over bad input described by 'error' (freed). */
static int
bad_message(struct jsonrpc *rpc, int retval, char *error)
{
    VLOG_WARN_RL(&rl, "%s: bad JSON-RPC message, closing connection: %s",
                 rpc->name, error);
    free(error);
    jsonrpc_error(rpc, retval);
    return retval;
}

/* Feeds buffered input to the parser.  Returns 0 with '*jsonp' set (NULL
 * for a bare "null"), EAGAIN if the buffer ran dry first, or an error. */
static int
parse_buffered(struct jsonrpc *rpc, struct json_object **jsonp)
{
    size_t n = json_parser_feed(rpc->parser, rpc->rx_buf + rpc->rx_ofs,
                                rpc->rx_len - rpc->rx_ofs);
    rpc->rx_ofs += n;
    if (!json_parser_is_done(rpc->parser)) {
        return EAGAIN;
    }

    char *error;
    int retval = json_parser_take(rpc->parser, jsonp, &error);
    return retval ? bad_message(rpc, retval, error) : 0;
}

int
jsonrpc_recv_json(struct jsonrpc *rpc, struct json_object **jsonp)
{
    *jsonp = NULL;
    if (rpc->status) {
        return rpc->status;
    }

    for (int i = 0; i < MAX_READS_PER_RECV; i++) {
        if (rpc->rx_ofs < rpc->rx_len) {
            int retval = parse_buffered(rpc, jsonp);
            if (retval != EAGAIN) {
                return retval;
            }
        }

        ssize_t n = stream_recv(rpc->stream, rpc->rx_buf, sizeof rpc->rx_buf);
        if (n > 0) {
            rpc->rx_ofs = 0;
            rpc->rx_len = n;
        } else if (n == -EAGAIN) {
            return EAGAIN;
        } else if (n == 0) {
            if (json_parser_is_busy(rpc->parser)) {
                VLOG_WARN_RL(&rl, "%s: connection closed in the middle of a "
                             "message", rpc->name);
                jsonrpc_error(rpc, EPROTO);
            } else {
                jsonrpc_error(rpc, EOF);
            }
            return rpc->status;
        } else {
            VLOG_WARN_RL(&rl, "%s: receive error: %s", rpc->name,
                         vs_strerror(-n));
            jsonrpc_error(rpc, -n);
            return rpc->status;
        }
    }
    return EAGAIN;
}

int
jsonrpc_recv(struct jsonrpc *rpc, struct jsonrpc_msg **msgp)
{
    struct json_object *json;
    int retval = jsonrpc_recv_json(rpc, &json);

    *msgp = NULL;
    if (retval) {
        return retval;
    }
    char *error;
    retval = jsonrpc_msg_from_json(json, msgp, &error);
    if (retval) {
        return bad_message(rpc, retval, error);
    }
    log_msg(rpc, "received", *msgp);
    return 0;
}

void
jsonrpc_recv_wait(struct jsonrpc *rpc)
{
    if (rpc->status || rpc->rx_ofs < rpc->rx_len) {
        poll_immediate_wake();
    } else {
        stream_recv_wait(rpc->stream);
    }
}

int
jsonrpc_send_block(struct jsonrpc *rpc, struct jsonrpc_msg *msg)
{
    int error = jsonrpc_send(rpc, msg);
    while (!error && jsonrpc_get_backlog(rpc)) {
        jsonrpc_run(rpc);
        error = rpc->status;
        if (!error && jsonrpc_get_backlog(rpc)) {
            jsonrpc_wait(rpc);
            poll_block();
        }
    }
    return error;
}

int
jsonrpc_recv_block(struct jsonrpc *rpc, struct jsonrpc_msg **msgp)
{
    for (;;) {
        int error = jsonrpc_recv(rpc, msgp);
        if (error != EAGAIN) {
            return error;
        }
        jsonrpc_run(rpc);
        jsonrpc_wait(rpc);
        jsonrpc_recv_wait(rpc);
        poll_block();
    }
}

int
jsonrpc_transact_block(struct jsonrpc *rpc, struct jsonrpc_msg *request,
                       struct jsonrpc_msg **replyp)
{
    struct json_object *id = json_object_get(request->id);
    int error = jsonrpc_send_block(rpc, request);

    *replyp = NULL;
    while (!error) {
        struct jsonrpc_msg *msg;
        error = jsonrpc_recv_block(rpc, &msg);
        if (error) {
            break;
        }
        if ((msg->type == JSONRPC_REPLY || msg->type == JSONRPC_ERROR)
            && json_equal(msg->id, id)) {
            *replyp = msg;
            break;
        }
        if (msg->type == JSONRPC_REQUEST && !strcmp(msg->method, "echo")) {
            error = jsonrpc_send_block(
                rpc, jsonrpc_create_reply(json_object_get(msg->params),
                                          msg->id));
        }
        jsonrpc_msg_destroy(msg);
    }
    json_object_put(id);
    return error;
}
