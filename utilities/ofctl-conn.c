/* vs-ofctl's connection to a switch; see ofctl-conn.h. */
#include <config.h>
#include "ofctl-conn.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dirs.h"
#include "dynamic-string.h"
#include "ofp-msgs.h"
#include "ofp-print.h"
#include "poll-loop.h"
#include "stream.h"
#include "timeval.h"
#include "util.h"

#define OFCTL_DEFAULT_PORT 6653

char *
ofctl_target_to_stream(const char *target, const char *suffix)
{
    if (str_starts_with(target, "tcp:") || str_starts_with(target, "ssl:")) {
        /* "tcp:IP" or "tcp:[IPv6]" without a port: the IANA port. */
        const char *host = target + 4;
        const char *colon = host[0] == '[' ? strstr(host, "]:")
                            : strchr(host, ':');
        if (!colon) {
            return xasprintf("%s:%d", target, OFCTL_DEFAULT_PORT);
        }
        return xstrdup(target);
    }
    if (strchr(target, ':')) {
        return xstrdup(target);
    }
    if (target[0] == '/') {
        return xasprintf("unix:%s", target);
    }
    return xasprintf("unix:%s/%s.%s", vs_rundir(), target, suffix);
}

uint32_t
ofctl_xid(struct ofctl_conn *c)
{
    return c->next_xid++;
}

/* Waits until the connection can make progress or the deadline passes;
 * returns false on timeout. */
static bool
wait_io(struct ofctl_conn *c, bool want_send, long long deadline)
{
    if (deadline != LLONG_MAX && time_msec() >= deadline) {
        return false;
    }
    stream_run(c->stream);
    stream_run_wait(c->stream);
    stream_recv_wait(c->stream);
    if (want_send) {
        stream_send_wait(c->stream);
    }
    if (deadline != LLONG_MAX) {
        poll_timer_wait_until(deadline);
    }
    poll_block();
    return true;
}

static long long
deadline_of(const struct ofctl_conn *c)
{
    return c->timeout_ms < 0 ? LLONG_MAX : time_msec() + c->timeout_ms;
}

/* Sends what the socket takes without blocking. */
static void
send_some(struct ofctl_conn *c)
{
    while (c->out.size) {
        ssize_t n = stream_send(c->stream, c->out.data, c->out.size);
        if (n == -EAGAIN) {
            return;
        } else if (n < 0) {
            vs_fatal(0, "%s: send failed (%s)", c->name, vs_strerror(-n));
        }
        ofpbuf_try_pull(&c->out, n);
    }
    ofpbuf_clear(&c->out);
}

/* Reads what has arrived into the framer.  Returns the number of bytes
 * read (0 if none were waiting), or -1 at end of stream. */
static ssize_t
recv_some(struct ofctl_conn *c)
{
    uint8_t buf[65536];
    ssize_t total = 0;
    for (int i = 0; i < 16; i++) {
        ssize_t n = stream_recv(c->stream, buf, sizeof buf);
        if (n == -EAGAIN) {
            break;
        } else if (n == 0) {
            return total ? total : -1;
        } else if (n < 0) {
            vs_fatal(0, "%s: receive failed (%s)", c->name, vs_strerror(-n));
        }
        ofp_framer_put(&c->framer, buf, n);
        total += n;
    }
    return total;
}

/* Keeps the output buffer from growing without bound when many requests
 * are pipelined: bytes already sent are dropped from the front. */
static void
compact_out(struct ofctl_conn *c)
{
    if (c->out.base && c->out.data != c->out.base
        && (size_t) (c->out.data - c->out.base) > c->out.size) {
        memmove(c->out.base, c->out.data, c->out.size);
        c->out.data = c->out.base;
    }
}

int ofctl_conn_verbosity;

void
ofctl_log_msg(const struct ofctl_conn *c, const char *what, const struct ofpbuf *msg)
{
    if (ofctl_conn_verbosity) {
        char *s = ofp_msg_to_string(msg->data, msg->size);
        fprintf(stderr, "%s: %s: %s\n", c->name, what, s);
        free(s);
    }
}

void
ofctl_send(struct ofctl_conn *c, struct ofpbuf *msg)
{
    ofctl_log_msg(c, "sent", msg);
    ofctl_send_raw(c, msg);
}

void
ofctl_send_raw(struct ofctl_conn *c, struct ofpbuf *msg)
{
    compact_out(c);
    ofpbuf_put(&c->out, msg->data, msg->size);
    ofpbuf_delete(msg);
    /* Pipelined requests go out in large writes.  Whoever waits for a
     * reply sends the rest (ofctl_recv() and ofctl_flush() do). */
    if (c->out.size >= 65536) {
        send_some(c);
        /* Keep reading so that a switch blocked on sending us errors
         * never stops reading our requests. */
        if (recv_some(c) < 0) {
            vs_fatal(0, "%s: connection closed by peer", c->name);
        }
        if (c->out.size > 4 * 1024 * 1024) {
            ofctl_flush(c);
        }
    }
}

void
ofctl_flush(struct ofctl_conn *c)
{
    long long deadline = deadline_of(c);
    for (;;) {
        size_t before = c->out.size;
        send_some(c);
        if (!c->out.size) {
            return;
        }
        if (c->out.size < before) {
            deadline = deadline_of(c);  /* Progress restarts the timer. */
        }
        if (recv_some(c) < 0) {
            vs_fatal(0, "%s: connection closed by peer", c->name);
        }
        if (!wait_io(c, true, deadline)) {
            vs_fatal(0, "%s: timeout sending", c->name);
        }
    }
}

static struct ofpbuf *
next_msg(struct ofctl_conn *c)
{
    int error = 0;
    struct ofpbuf *msg = ofp_framer_next(&c->framer, &error);
    if (error) {
        vs_fatal(0, "%s: bad message framing from peer", c->name);
    }
    return msg;
}

struct ofpbuf *
ofctl_recv(struct ofctl_conn *c, bool may_time_out, bool eof_ok)
{
    long long deadline = deadline_of(c);
    for (;;) {
        struct ofpbuf *msg;
        while ((msg = next_msg(c)) != NULL) {
            ofctl_log_msg(c, "received", msg);
            struct ofp_msg_header h;
            if (!ofptype_decode(msg->data, msg->size, &h, NULL)
                && h.type == OFPTYPE_ECHO_REQUEST) {
                ofctl_send(c, ofp_echo_reply(msg->data, msg->size));
                ofpbuf_delete(msg);
                continue;
            }
            return msg;
        }
        send_some(c);
        ssize_t n = recv_some(c);
        if (n < 0) {
            if (eof_ok) {
                return NULL;
            }
            vs_fatal(0, "%s: connection closed by peer", c->name);
        } else if (n > 0) {
            continue;
        }
        if (!wait_io(c, c->out.size > 0, deadline)) {
            if (may_time_out) {
                return NULL;
            }
            vs_fatal(0, "%s: timeout waiting for a reply", c->name);
        }
    }
}

struct ofctl_conn *ofctl_current;

struct ofctl_conn *
ofctl_open(const char *target, const char *suffix, uint32_t allowed,
           int timeout_ms)
{
    struct ofctl_conn *c = xzalloc(sizeof *c);
    c->name = ofctl_target_to_stream(target, suffix);
    c->timeout_ms = timeout_ms;
    c->next_xid = 1;
    ofp_framer_init(&c->framer);
    ofpbuf_init(&c->out, 0);

    if (str_starts_with(c->name, "unix:") && !strchr(target, ':')) {
        struct stat st;
        if (stat(c->name + 5, &st)) {
            vs_fatal(0, "%s is not a bridge or a socket (no %s)", target,
                     c->name + 5);
        }
    }
    int error = stream_open_block(c->name, timeout_ms, &c->stream);
    if (error) {
        vs_fatal(0, "%s: failed to connect to socket (%s)", c->name,
                 vs_strerror(error));
    }

    ofctl_send(c, ofp_hello_encode(allowed, ofctl_xid(c)));
    struct ofpbuf *hello = ofctl_recv(c, false, false);
    struct ofpbuf *err_msg = NULL;
    uint32_t theirs = 0;
    enum ofperr e = ofp_hello_decode(hello->data, hello->size, &theirs);
    if (e || hello->size < OFP_HEADER_LEN || hello->data[1] != OFPT_HELLO) {
        vs_fatal(0, "%s: expected a hello from the switch", c->name);
    }
    e = ofp_hello_process(allowed, hello->data, hello->size, &c->version, &err_msg);
    if (e) {
        struct ds ours = DS_EMPTY_INITIALIZER, peer = DS_EMPTY_INITIALIZER;
        for (int v = 1; v < 32; v++) {
            if (allowed & OFP_VERSION_BIT(v)) {
                ds_put_format(&ours, "%s0x%02x", ours.length ? ", " : "", v);
            }
            if (theirs & OFP_VERSION_BIT(v)) {
                ds_put_format(&peer, "%s0x%02x", peer.length ? ", " : "", v);
            }
        }
        if (err_msg) {
            /* Best effort: the switch may already have hung up. */
            (void) stream_send(c->stream, err_msg->data, err_msg->size);
            ofpbuf_delete(err_msg);
        }
        vs_fatal(0, "%s: version negotiation failed (we support version%s %s, "
                 "peer supports version%s %s)", c->name,
                 strchr(ds_cstr(&ours), ',') ? "s" : "", ds_cstr(&ours),
                 strchr(ds_cstr(&peer), ',') ? "s" : "", ds_cstr(&peer));
    }
    ofpbuf_delete(hello);
    ofctl_current = c;
    return c;
}

void
ofctl_close(struct ofctl_conn *c)
{
    if (c) {
        if (ofctl_current == c) {
            ofctl_current = NULL;
        }
        ofctl_flush(c);
        stream_close(c->stream);
        ofp_framer_destroy(&c->framer);
        ofpbuf_uninit(&c->out);
        free(c->name);
        free(c);
    }
}

void
ofctl_report_error(struct ofctl_conn *c, const struct ofpbuf *msg)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    ofp_print_msg(msg->data, msg->size, &s);
    struct ofp_error_msg em;
    if (!ofp_error_decode(msg->data, msg->size, &em)
        && em.data_len >= OFP_HEADER_LEN) {
        ds_put_char(&s, '\n');
        int len = ofp_frame_length(em.data, em.data_len);
        if (len > 0 && (size_t) len <= em.data_len) {
            ofp_print_msg(em.data, len, &s);
        } else {
            ds_put_format(&s, "(***truncated to %zu bytes***)", em.data_len);
        }
    }
    fprintf(stderr, "%s\n", ds_cstr(&s));
    ds_destroy(&s);
    c->n_errors++;
}

static uint32_t
msg_xid(const struct ofpbuf *msg)
{
    return msg->size >= OFP_HEADER_LEN ? get_be32(msg->data + 4) : 0;
}

static bool
is_error(const struct ofpbuf *msg)
{
    return msg->size >= OFP_HEADER_LEN && msg->data[1] == OFPT_ERROR;
}

struct ofpbuf *
ofctl_transact(struct ofctl_conn *c, struct ofpbuf *request)
{
    uint32_t xid = msg_xid(request);
    ofctl_send(c, request);
    for (;;) {
        struct ofpbuf *reply = ofctl_recv(c, false, false);
        if (msg_xid(reply) != xid) {
            ofpbuf_delete(reply);       /* Async message: not ours. */
            continue;
        }
        if (is_error(reply)) {
            ofctl_report_error(c, reply);
            exit(1);
        }
        return reply;
    }
}

static bool
is_barrier_reply(const struct ofpbuf *msg, uint32_t xid)
{
    struct ofp_msg_header h;
    return msg_xid(msg) == xid
           && !ofptype_decode(msg->data, msg->size, &h, NULL)
           && h.type == OFPTYPE_BARRIER_REPLY;
}

void
ofctl_barrier(struct ofctl_conn *c)
{
    uint32_t xid = ofctl_xid(c);
    ofctl_send(c, ofpmsg_alloc(OFPTYPE_BARRIER_REQUEST, c->version, xid, 0));
    for (;;) {
        struct ofpbuf *msg = ofctl_recv(c, false, false);
        bool done = is_barrier_reply(msg, xid);
        if (!done && is_error(msg)) {
            ofctl_report_error(c, msg);
        }
        ofpbuf_delete(msg);
        if (done) {
            return;
        }
    }
}

bool
ofctl_transact_noreply(struct ofctl_conn *c, struct ofpbuf *request)
{
    int before = c->n_errors;
    ofctl_send(c, request);
    ofctl_barrier(c);
    return c->n_errors == before;
}

void
ofctl_dump_each(struct ofctl_conn *c, struct ofpbuf *request,
                void (*cb)(struct ofpbuf *reply, void *aux), void *aux)
{
    uint32_t xid = msg_xid(request);
    ofctl_send(c, request);
    for (;;) {
        struct ofpbuf *reply = ofctl_recv(c, false, false);
        if (msg_xid(reply) != xid) {
            ofpbuf_delete(reply);
            continue;
        }
        if (is_error(reply)) {
            ofctl_report_error(c, reply);
            exit(1);
        }
        struct ofp_msg_header h;
        enum ofperr e = ofptype_decode(reply->data, reply->size, &h, NULL);
        if (e) {
            vs_fatal(0, "%s: bad reply (%s)", c->name, ofperr_get_name(e));
        }
        if (!ofptype_is_multipart(h.type)) {
            vs_fatal(0, "%s: expected a multipart reply, got %s", c->name,
                     ofptype_get_name(h.type));
        }
        cb(reply, aux);
        if (!(h.mp_flags & OFPSF_REPLY_MORE)) {
            break;
        }
    }
}

struct collect_aux {
    struct ofpbuf **replies;
    size_t n, allocated;
};

static void
collect_reply(struct ofpbuf *reply, void *aux_)
{
    struct collect_aux *aux = aux_;
    if (aux->n >= aux->allocated) {
        aux->replies = x2nrealloc(aux->replies, &aux->allocated,
                                  sizeof *aux->replies);
    }
    aux->replies[aux->n++] = reply;
}

size_t
ofctl_dump(struct ofctl_conn *c, struct ofpbuf *request, struct ofpbuf ***repliesp)
{
    struct collect_aux aux = { NULL, 0, 0 };
    ofctl_dump_each(c, request, collect_reply, &aux);
    *repliesp = aux.replies;
    return aux.n;
}

void
ofctl_free_replies(struct ofpbuf **replies, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ofpbuf_delete(replies[i]);
    }
    free(replies);
}
