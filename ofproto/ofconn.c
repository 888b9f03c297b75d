/* One OpenFlow connection: I/O, hello, echo, probes; see ofconn.h. */
#include <config.h>
#include "ofconn.h"

#include <errno.h>
#include <string.h>

#include "connmgr.h"
#include "ofp-buf.h"
#include "ofp-msgs.h"
#include "pinsched.h"
#include "poll-loop.h"
#include "reconnect.h"
#include "stream.h"
#include "timeval.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(ofconn);

/* Everything logged here can be triggered by a peer. */
static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(30, 60);

/* Input: read in chunks of RECV_CHUNK, at most MAX_READS_PER_RUN per main
 * loop iteration, so the framer never holds more than one partial message
 * plus one chunk and a fast peer cannot starve the others. */
#define RECV_CHUNK 4096
#define MAX_READS_PER_RUN 16

/* Packet-in reasons only OpenFlow 1.4+ has; a 1.4+ master gets them by
 * default, as Open vSwitch does. */
#define OF14_EXTRA_PIN_REASONS ((1u << OFPR_ACTION_SET) | (1u << OFPR_GROUP) \
                                | (1u << OFPR_PACKET_OUT))

static void ofconn_flush(struct ofconn *);

/* Connection events: INFO for controllers, DBG for management clients
 * (every vs-ofctl command is one; they would flood the log). */
static enum vlog_level
event_level(const struct ofconn *c)
{
    return c->type == OFCONN_CONTROLLER ? VLL_INFO : VLL_DBG;
}

static uint8_t
highest_version(uint32_t versions)
{
    for (int v = 31; v > 0; v--) {
        if (versions & OFP_VERSION_BIT(v)) {
            return v;
        }
    }
    return OFP13_VERSION;
}

/* Forgets everything negotiated on the previous connection. */
static void
reset_protocol_state(struct ofconn *c)
{
    c->version = 0;
    c->role = OFPCR_ROLE_EQUAL;
    c->nxm_flow_format = false;
    c->flow_mod_table_id = false;
    c->nxm_packet_in = false;
    c->packet_in2 = false;
    c->controller_id = 0;
    ofp_async_config_default(&c->async);
    c->miss_send_len = (c->type == OFCONN_CONTROLLER
                        ? OFCONN_DEFAULT_MISS_SEND_LEN : 0);
    ofp_framer_destroy(&c->framer);
    ofp_framer_init(&c->framer);
    outq_clear(&c->txq);
    c->rx_paused = false;
    c->tx_blocked = false;
    pinsched_destroy(c->pinsched);
    c->pinsched = pinsched_create(c->rate_limit, c->burst_limit, time_msec());
}

static struct ofconn *
ofconn_create__(const char *name, enum ofconn_type type, bool active)
{
    struct ofconn *c = xzalloc(sizeof *c);
    c->name = xstrdup(name);
    c->type = type;
    c->active = active;
    c->fsm = reconnect_create(time_msec());
    reconnect_set_name(c->fsm, name);
    reconnect_set_probe_interval(c->fsm, 0);
    ofp_framer_init(&c->framer);
    outq_init(&c->txq);
    c->max_txq = OFCONN_DEFAULT_MAX_TXQ;
    c->tx_stall_ms = OFCONN_DEFAULT_TX_STALL_MS;
    c->allowed_versions = OFP_SUPPORTED_VERSIONS;
    c->last_connected = -1;
    c->last_disconnected = -1;
    vs_list_init(&c->node);
    reset_protocol_state(c);
    return c;
}

static void
send_hello(struct ofconn *c)
{
    struct ofpbuf *hello = ofp_hello_encode(c->allowed_versions, 0);
    ofconn_send(c, hello);
}

/* The stream 'c->stream' just finished connecting. */
static void
stream_is_up(struct ofconn *c)
{
    long long now = time_msec();
    c->stream_connected = true;
    c->last_connected = now;
    reconnect_connected(c->fsm, now);
    reset_protocol_state(c);
    VLOG(event_level(c), "%s: connected", c->name);
    send_hello(c);
}

struct ofconn *
ofconn_create_active(const char *target, enum ofconn_type type,
                     uint32_t allowed)
{
    struct ofconn *c = ofconn_create__(target, type, true);
    ofconn_set_allowed_versions(c, allowed);
    reconnect_enable(c->fsm, time_msec());
    return c;
}

struct ofconn *
ofconn_create_accepted(struct stream *stream, enum ofconn_type type,
                       const void *service, uint32_t allowed)
{
    struct ofconn *c = ofconn_create__(stream_get_name(stream), type, false);
    ofconn_set_allowed_versions(c, allowed);
    long long now = time_msec();
    c->service = service;
    c->stream = stream;
    reconnect_enable(c->fsm, now);
    reconnect_connecting(c->fsm, now);
    stream_is_up(c);
    return c;
}

void
ofconn_destroy(struct ofconn *c)
{
    if (c) {
        stream_close(c->stream);
        reconnect_destroy(c->fsm);
        ofp_framer_destroy(&c->framer);
        outq_destroy(&c->txq);
        pinsched_destroy(c->pinsched);
        free(c->name);
        free(c);
    }
}

void
ofconn_set_allowed_versions(struct ofconn *c, uint32_t allowed)
{
    allowed &= OFP_SUPPORTED_VERSIONS;
    c->allowed_versions = allowed ? allowed : OFP_SUPPORTED_VERSIONS;
}

void
ofconn_set_backoff(struct ofconn *c, int max_backoff_ms)
{
    int max = max_backoff_ms > 0 ? max_backoff_ms
                                 : RECONNECT_DEFAULT_MAX_BACKOFF;
    int min = MIN(RECONNECT_DEFAULT_MIN_BACKOFF, max);
    reconnect_set_backoff(c->fsm, min, max);
}

void
ofconn_set_probe_interval(struct ofconn *c, int probe_interval_ms)
{
    reconnect_set_probe_interval(c->fsm, MAX(probe_interval_ms, 0));
}

void
ofconn_set_rate_limit(struct ofconn *c, int rate, int burst)
{
    c->rate_limit = rate;
    c->burst_limit = burst;
    c->pinsched = pinsched_reconfigure(c->pinsched, rate, burst, time_msec());
}

void
ofconn_set_max_txq(struct ofconn *c, size_t bytes)
{
    c->max_txq = bytes;
}

void
ofconn_set_tx_stall_timeout(struct ofconn *c, int ms)
{
    c->tx_stall_ms = MAX(ms, 0);
}

/* Backpressure: true while the peer has more than 'max_txq' bytes of ours
 * waiting, so we neither read its input nor queue async messages. */
static bool
txq_is_full(const struct ofconn *c)
{
    return outq_size(&c->txq) > c->max_txq;
}

void
ofconn_disconnect(struct ofconn *c, int error)
{
    long long now = time_msec();

    if (!c->stream) {
        return;
    }
    if (c->stream_connected) {
        /* Best effort: an error message queued just before this (hello
         * failure, bad framing) should reach the peer. */
        ofconn_flush(c);
        if (!c->stream) {
            return;             /* The flush failed and disconnected. */
        }
        VLOG_RL(&rl, event_level(c), "%s: disconnected (%s)", c->name,
                     error ? vs_strerror(error) : "closed");
        c->last_disconnected = now;
        c->session_ended = true;
        reconnect_disconnected(c->fsm, now, error);
    } else {
        VLOG_INFO_RL(&rl, "%s: connection attempt failed (%s)", c->name,
                     vs_strerror(error));
        reconnect_connect_failed(c->fsm, now, error);
    }
    c->last_error = error;
    stream_close(c->stream);
    c->stream = NULL;
    c->stream_connected = false;
    reset_protocol_state(c);
    if (!c->active) {
        c->dead = true;
        reconnect_disable(c->fsm, now);
    }
}

/* Sends what the output queue holds, as far as the peer takes it.  Drops
 * the connection on a send error. */
static void
ofconn_flush(struct ofconn *c)
{
    if (!c->stream || !c->stream_connected || !outq_size(&c->txq)) {
        return;
    }
    size_t sent = 0;
    int error = outq_send(&c->txq, c->stream, &sent);
    if (sent) {
        long long now = time_msec();
        c->tx_progress = now;
        if (txq_is_full(c) || c->rx_paused) {
            /* We are not reading the peer, so its echo replies cannot
             * count; that it drains our queue shows it is alive. */
            reconnect_activity(c->fsm, now);
        }
    }
    if (error == EAGAIN) {
        c->tx_blocked = true;
    } else if (error) {
        /* Empty the queue first so ofconn_disconnect() does not flush
         * into the same error again. */
        outq_clear(&c->txq);
        ofconn_disconnect(c, error);
    }
}

/* Appends 'n' bytes to the output queue and sends what the socket takes
 * now.  Never drops anything: replies must arrive whole, and the bound
 * on the queue comes from not reading input while it is full. */
static void
txq_put(struct ofconn *c, const void *data, size_t n)
{
    if (!c->stream || !c->stream_connected) {
        return;
    }
    if (!outq_size(&c->txq)) {
        c->tx_progress = time_msec();   /* The stall clock starts now. */
    }
    outq_put(&c->txq, data, n);
    c->n_tx++;
    if (!c->tx_blocked) {
        ofconn_flush(c);
    }
}

void
ofconn_send(struct ofconn *c, struct ofpbuf *msg)
{
    if (c->tap && c->stream && c->stream_connected) {
        c->tap(c->tap_aux, msg->data, msg->size);
    }
    txq_put(c, msg->data, msg->size);
    ofpbuf_delete(msg);
}

void
ofconn_set_tap(struct ofconn *c,
               void (*tap)(void *aux, const void *msg, size_t len), void *aux)
{
    c->tap = tap;
    c->tap_aux = aux;
    if (tap && c->stream && c->stream_connected && !c->version) {
        /* An accepted connection sent its hello when it was made: the
         * tap gets the same bytes now. */
        struct ofpbuf *hello = ofp_hello_encode(c->allowed_versions, 0);
        tap(aux, hello->data, hello->size);
        ofpbuf_delete(hello);
    }
}

void
ofconn_send_copy(struct ofconn *c, const void *msg, size_t len)
{
    txq_put(c, msg, len);
}

void
ofconn_send_error(struct ofconn *c, const void *rq, size_t rq_len,
                  enum ofperr error)
{
    const uint8_t *p = rq;
    uint8_t version = c->version ? c->version
                                 : highest_version(c->allowed_versions);
    uint32_t xid = rq_len >= OFP_HEADER_LEN ? get_be32(p + 4) : 0;

    VLOG_DBG("%s: sending error %s", c->name, ofperr_get_name(error));
    ofconn_send(c, ofperr_encode(error, version, xid, rq, rq_len));
}

/* Runs the hello step on the peer's first message 'msg'. */
static void
handle_hello(struct ofconn *c, const struct ofpbuf *msg)
{
    struct ofpbuf *reply;
    uint8_t version;
    enum ofperr error = ofp_hello_process(c->allowed_versions, msg->data,
                                          msg->size, &version, &reply);
    if (error) {
        VLOG_WARN_RL(&rl, "%s: version negotiation failed (%s; peer sent "
                     "version 0x%02x)", c->name, ofperr_get_name(error),
                     msg->size ? msg->data[0] : 0);
        if (reply) {
            ofconn_send(c, reply);
        }
        ofconn_disconnect(c, EPROTO);
        return;
    }
    c->version = version;
    if (version >= OFP14_VERSION) {
        c->async.packet_in[0] |= OF14_EXTRA_PIN_REASONS;
    }
    VLOG(event_level(c), "%s: negotiated %s", c->name,
         ofp_version_to_string(version));
}

/* Before the hello: if the first header is already here and is not a
 * hello, fails the connection now rather than waiting for a body whose
 * length field may be garbage.  Returns false if it did. */
static bool
first_message_is_hello(struct ofconn *c)
{
    const struct ofpbuf *b = &c->framer.buf;
    if (b->size < OFP_HEADER_LEN || b->data[1] == OFPT_HELLO) {
        return true;
    }
    struct ofpbuf *reply;
    uint8_t version;
    ofp_hello_process(c->allowed_versions, b->data, OFP_HEADER_LEN,
                      &version, &reply);
    VLOG_WARN_RL(&rl, "%s: first message is not a hello (type %u), "
                 "disconnecting", c->name, b->data[1]);
    if (reply) {
        ofconn_send(c, reply);
    }
    ofconn_disconnect(c, EPROTO);
    return false;
}

struct ofpbuf *
ofconn_recv(struct ofconn *c)
{
    while (c->stream && c->stream_connected) {
        if (txq_is_full(c)) {
            if (!c->rx_paused) {
                c->rx_paused = true;
                c->n_rx_pauses++;
                VLOG_DBG("%s: %zu bytes queued for the peer, pausing input",
                         c->name, outq_size(&c->txq));
            }
            return NULL;
        }
        c->rx_paused = false;
        if (!c->version && !first_message_is_hello(c)) {
            return NULL;
        }

        int error;
        struct ofpbuf *msg = ofp_framer_next(&c->framer, &error);
        if (error) {
            VLOG_WARN_RL(&rl, "%s: message length below %d bytes, "
                         "disconnecting", c->name, OFP_HEADER_LEN);
            ofconn_send_error(c, c->framer.buf.data,
                              MIN(c->framer.buf.size, OFP_HEADER_LEN),
                              OFPERR_OFPBRC_BAD_LEN);
            ofconn_disconnect(c, EPROTO);
            return NULL;
        }
        if (msg) {
            c->n_rx++;
            if (c->tap) {
                c->tap(c->tap_aux, msg->data, msg->size);
            }
            if (!c->version) {
                handle_hello(c, msg);
                ofpbuf_delete(msg);
                continue;
            }
            if (msg->data[0] == c->version) {
                if (msg->data[1] == OFPT_ECHO_REQUEST) {
                    ofconn_send(c, ofp_echo_reply(msg->data, msg->size));
                    ofpbuf_delete(msg);
                    continue;
                } else if (msg->data[1] == OFPT_ECHO_REPLY) {
                    ofpbuf_delete(msg);     /* Our probe was answered. */
                    continue;
                }
            }
            return msg;
        }

        if (c->reads_this_run >= MAX_READS_PER_RUN) {
            return NULL;
        }
        c->reads_this_run++;

        uint8_t buf[RECV_CHUNK];
        ssize_t n = stream_recv(c->stream, buf, sizeof buf);
        if (n > 0) {
            ofp_framer_put(&c->framer, buf, n);
            reconnect_activity(c->fsm, time_msec());
        } else if (n == 0) {
            ofconn_disconnect(c, 0);
        } else if (n != -EAGAIN) {
            ofconn_disconnect(c, -n);
        } else {
            return NULL;
        }
    }
    return NULL;
}

static void
start_connect(struct ofconn *c)
{
    long long now = time_msec();
    int error = stream_open(c->name, &c->stream);

    reconnect_connecting(c->fsm, now);
    if (error) {
        c->stream = NULL;
        VLOG_WARN_RL(&rl, "%s: connection attempt failed (%s)", c->name,
                     vs_strerror(error));
        c->last_error = error;
        reconnect_connect_failed(c->fsm, now, error);
        return;
    }
    c->stream_connected = false;
    error = stream_connect(c->stream);
    if (!error) {
        stream_is_up(c);
    } else if (error != EAGAIN) {
        ofconn_disconnect(c, error);
    }
}

/* A peer that has taken nothing for 'tx_stall_ms' while the queue is full
 * is not reading at all: drop it, which frees the queue. */
static void
drop_if_stalled(struct ofconn *c)
{
    if (c->stream && c->stream_connected && c->tx_stall_ms > 0
        && txq_is_full(c) && time_msec() - c->tx_progress >= c->tx_stall_ms) {
        VLOG_WARN_RL(&rl, "%s: peer took no bytes for %d ms with %zu bytes "
                     "queued, disconnecting", c->name, c->tx_stall_ms,
                     outq_size(&c->txq));
        outq_clear(&c->txq);
        ofconn_disconnect(c, ETIMEDOUT);
    }
}

void
ofconn_run(struct ofconn *c)
{
    c->reads_this_run = 0;
    if (c->stream) {
        stream_run(c->stream);
        if (!c->stream_connected) {
            int error = stream_connect(c->stream);
            if (!error) {
                stream_is_up(c);
            } else if (error != EAGAIN) {
                ofconn_disconnect(c, error);
            }
        } else {
            c->tx_blocked = false;
            ofconn_flush(c);
            drop_if_stalled(c);
        }
    }

    long long now = time_msec();
    switch (reconnect_run(c->fsm, now)) {
    case RECONNECT_CONNECT:
        if (c->active && !c->stream) {
            start_connect(c);
        }
        break;
    case RECONNECT_DISCONNECT:
        if (c->stream_connected) {
            VLOG_WARN_RL(&rl, "%s: no response to inactivity probe, "
                         "disconnecting", c->name);
        }
        if (c->stream) {
            ofconn_disconnect(c, ETIMEDOUT);
        } else if (reconnect_get_state(c->fsm) == RECONNECT_RECONNECT) {
            reconnect_disconnected(c->fsm, now, 0);
        }
        break;
    case RECONNECT_PROBE:
        if (c->stream_connected && c->version) {
            ofconn_send(c, ofp_echo_request(c->version, 0));
        }
        break;
    case RECONNECT_NONE:
        break;
    }
}

void
ofconn_wait(struct ofconn *c)
{
    if (c->stream) {
        stream_run_wait(c->stream);
        if (!c->stream_connected) {
            stream_connect_wait(c->stream);
        } else {
            if (outq_size(&c->txq)) {
                stream_send_wait(c->stream);
            }
            if (txq_is_full(c)) {
                /* Input paused: only the socket draining (or the stall
                 * timeout) lets us go on. */
                if (c->tx_stall_ms > 0) {
                    poll_timer_wait_until(c->tx_progress + c->tx_stall_ms);
                }
            } else {
                stream_recv_wait(c->stream);
                /* Work left over from a bounded ofconn_recv() series. */
                int len = ofp_frame_length(c->framer.buf.data,
                                           c->framer.buf.size);
                if (c->reads_this_run >= MAX_READS_PER_RUN
                    || (len > 0 && (size_t) len <= c->framer.buf.size)) {
                    poll_immediate_wake();
                }
            }
        }
    }
    reconnect_wait(c->fsm, time_msec());
}

bool
ofconn_take_session_end(struct ofconn *c)
{
    bool ended = c->session_ended;
    c->session_ended = false;
    return ended;
}

bool
ofconn_is_connected(const struct ofconn *c)
{
    return c->stream && c->stream_connected && c->version;
}

bool
ofconn_is_alive(const struct ofconn *c)
{
    return !c->dead;
}

size_t
ofconn_txq_backlog(const struct ofconn *c)
{
    return outq_size(&c->txq);
}

bool
ofconn_has_async_room(const struct ofconn *c)
{
    return !txq_is_full(c);
}

bool
ofconn_rx_paused(const struct ofconn *c)
{
    return c->rx_paused;
}

const char *
ofconn_state_name(const struct ofconn *c)
{
    return reconnect_state_name(reconnect_get_state(c->fsm));
}

const char *
ofconn_role_name(enum ofp_controller_role role)
{
    return (role == OFPCR_ROLE_MASTER ? "master"
            : role == OFPCR_ROLE_SLAVE ? "slave"
            : "other");
}

bool
ofconn_wants_async(const struct ofconn *c, const uint32_t reasons[2],
                   unsigned int reason)
{
    if (!ofconn_is_connected(c) || reason >= 32) {
        return false;
    }
    if ((c->type == OFCONN_SERVICE && !c->miss_send_len)
        || c->type == OFCONN_SNOOP) {
        return false;
    }
    return (reasons[c->role == OFPCR_ROLE_SLAVE] >> reason) & 1;
}

/* The calls ofproto's handlers make (declared in connmgr.h). */

uint8_t
ofconn_get_version(const struct ofconn *c)
{
    return c->version;
}

bool
ofconn_may_modify(const struct ofconn *c)
{
    return c->role != OFPCR_ROLE_SLAVE;
}

bool
ofconn_get_flow_mod_table_id(const struct ofconn *c)
{
    return c->flow_mod_table_id;
}

uint16_t
ofconn_get_miss_send_len(const struct ofconn *c)
{
    return c->miss_send_len;
}

size_t
ofconn_get_backlog(const struct ofconn *c)
{
    return ofconn_txq_backlog(c);
}
