/* ofconn: one OpenFlow connection of a bridge (private to connmgr).
 *
 * The I/O half of a connection: connecting (and, for an active controller,
 * reconnecting with backoff through lib/reconnect), cutting received bytes
 * into messages with a bounded input buffer, a bounded output queue,
 * the hello exchange and version negotiation, echo replies and inactivity
 * probes.  What remains -- every message after the hello other than echo
 * -- comes out of ofconn_recv() for connmgr to handle.  The per-connection
 * protocol state that connmgr reads and changes (role, async config,
 * miss_send_len, packet-in rate limit) lives here too, so that it is reset
 * in one place whenever the connection starts over.
 *
 * Two kinds of life:
 *  - active (a "tcp:"/"unix:"/"ssl:" controller target): the ofconn lives
 *    as long as the configuration and reconnects when the peer goes away;
 *  - accepted (from a listener): the ofconn dies with its stream;
 *    ofconn_is_alive() turns false and connmgr destroys it.
 *
 * Output and backpressure: replies (everything a handler sends in answer
 * to a request) are always queued, however big: a 100,000-flow dump must
 * reach the peer whole.  Memory stays bounded because, while the output
 * queue holds more than 'max_txq' bytes, the connection reads and handles
 * no further input: a peer that sends requests without reading the
 * replies only fills its own socket.  Asynchronous messages are what gets
 * dropped (counted) when the queue is full (connmgr checks
 * ofconn_has_async_room()), and a peer that takes no byte for
 * 'tx_stall_ms' while the queue is full is disconnected.
 *
 * ofconn_send() never frees the ofconn, even when it disconnects it (a
 * send error), so handlers may send freely while connmgr iterates. */
#ifndef OFCONN_H
#define OFCONN_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "list.h"
#include "ofp-framer.h"
#include "ofp-switch.h"
#include "outq.h"

struct pinsched;
struct reconnect;
struct stream;

/* Default output queue length above which a connection stops reading
 * input and drops async messages (see above). */
#define OFCONN_DEFAULT_MAX_TXQ (4 * 1024 * 1024)
/* Default time a full output queue may go without the peer taking a byte
 * before the connection is dropped. */
#define OFCONN_DEFAULT_TX_STALL_MS (60 * 1000)
/* miss_send_len of a controller connection until it sets its own. */
#define OFCONN_DEFAULT_MISS_SEND_LEN 128

enum ofconn_type {
    OFCONN_CONTROLLER,          /* Configured controller (active or from a
                                 * Controller listener): gets async msgs. */
    OFCONN_SERVICE,             /* Management socket client: gets async
                                 * messages only after setting a nonzero
                                 * miss_send_len, as in Open vSwitch. */
    OFCONN_SNOOP,               /* Client of the bridge's <br>.snoop socket:
                                 * gets a copy of every message exchanged
                                 * with controllers; what it sends after
                                 * the hello is ignored. */
};

struct ofconn {
    struct vs_list node;        /* In connmgr's list of connections. */
    char *name;                 /* Target or peer name; owned. */
    enum ofconn_type type;
    bool active;                /* Reconnects (see above). */
    const void *service;        /* For connmgr: the listener that accepted
                                 * it, NULL for active connections. */

    struct reconnect *fsm;      /* Owned: backoff and probes. */
    struct stream *stream;      /* Owned; NULL while disconnected. */
    bool stream_connected;      /* False while a connect is in progress. */
    bool dead;                  /* Accepted connection that ended. */
    bool session_ended;         /* A connected stream ended since
                                 * ofconn_take_session_end(). */
    struct ofp_framer framer;   /* Received, not yet handled bytes. */
    struct outq txq;            /* Bytes waiting to be sent. */
    size_t max_txq;             /* Backpressure threshold, see above. */
    int tx_stall_ms;            /* See above. */
    long long tx_progress;      /* time_msec() the queue last became
                                 * non-empty or the peer last took bytes. */
    bool rx_paused;             /* Input not read: the queue is full. */
    bool tx_blocked;            /* The socket took no more this main loop
                                 * iteration: queue without trying. */
    int reads_this_run;         /* Bounds the work of one ofconn_recv()
                                 * series per main loop iteration. */

    uint32_t allowed_versions;  /* Bitmap we offer in our hello. */
    uint8_t version;            /* Negotiated; 0 until the hello is done. */

    /* Protocol state, reset on every new connection. */
    enum ofp_controller_role role;
    struct ofp_async_config async;
    uint16_t miss_send_len;
    /* Nicira extensions of OpenFlow 1.0 (lib/ofp-nx.h). */
    bool nxm_flow_format;       /* NXT_SET_FLOW_FORMAT chose NXM: flow
                                 * removed messages are NXT_FLOW_REMOVED. */
    bool flow_mod_table_id;     /* NXT_FLOW_MOD_TABLE_ID: a flow mod's
                                 * command carries the table id. */
    bool nxm_packet_in;         /* NXT_SET_PACKET_IN_FORMAT chose NXM. */
    bool packet_in2;            /* ... or NXT_PACKET_IN2 (any version). */
    uint16_t controller_id;     /* NXT_SET_CONTROLLER_ID. */

    /* If nonnull, called with every message sent or received on this
     * connection, hello and echo included (connmgr's snoop copy). */
    void (*tap)(void *aux, const void *msg, size_t len);
    void *tap_aux;

    int rate_limit, burst_limit;    /* Configured packet-in limits. */
    struct pinsched *pinsched;      /* Owned; NULL: no limit. */

    /* Statistics and status. */
    int last_error;             /* Last failure, positive errno; 0 none. */
    long long last_connected;   /* time_msec() of hello done, or -1. */
    long long last_disconnected;    /* time_msec(), or -1. */
    uint64_t n_rx, n_tx;        /* Messages. */
    uint64_t n_pin_sent, n_pin_backlog_dropped;
    uint64_t n_async_backlog_dropped;   /* Other async messages dropped
                                         * for a full queue. */
    uint64_t n_rx_pauses;       /* Times input reading was paused. */
};

/* An active connection to 'target', connecting from the first
 * ofconn_run().  'allowed' is the version bitmap for the hello (0: all
 * supported). */
struct ofconn *ofconn_create_active(const char *target, enum ofconn_type,
                                    uint32_t allowed);
/* A connection on a stream a listener accepted (takes ownership); sends
 * the hello at once. */
struct ofconn *ofconn_create_accepted(struct stream *, enum ofconn_type,
                                      const void *service, uint32_t allowed);
void ofconn_destroy(struct ofconn *);

/* Configuration; take effect at once. */
void ofconn_set_allowed_versions(struct ofconn *, uint32_t allowed);
void ofconn_set_backoff(struct ofconn *, int max_backoff_ms);
/* 0 or negative: no probes. */
void ofconn_set_probe_interval(struct ofconn *, int probe_interval_ms);
void ofconn_set_rate_limit(struct ofconn *, int rate, int burst);
void ofconn_set_max_txq(struct ofconn *, size_t bytes);
/* 0 or negative: never drop a stalled peer. */
void ofconn_set_tx_stall_timeout(struct ofconn *, int ms);

void ofconn_run(struct ofconn *);
void ofconn_wait(struct ofconn *);

/* Returns the next received message that connmgr must handle (caller owns
 * it), or NULL if none is ready now.  Handles hello, echo request and
 * echo reply itself; drops the connection on framing errors. */
struct ofpbuf *ofconn_recv(struct ofconn *);

/* Sets 'c->tap' (NULL: none); if 'c' already sent its hello, 'tap' gets
 * a copy of it at once. */
void ofconn_set_tap(struct ofconn *,
                    void (*tap)(void *aux, const void *msg, size_t len),
                    void *aux);
/* Queues a copy of the 'len' bytes of message 'msg' (for snoopers). */
void ofconn_send_copy(struct ofconn *, const void *msg, size_t len);

/* Drops the connection now (active ones reconnect after a backoff),
 * recording 'error' (positive errno, 0 for a normal close). */
void ofconn_disconnect(struct ofconn *, int error);

/* True (once) if a connected stream ended since the last call: what
 * the peer set up on it (bundles) is void, even though an active ofconn
 * lives on to reconnect. */
bool ofconn_take_session_end(struct ofconn *);

/* True once the hello exchange completed on the current connection. */
bool ofconn_is_connected(const struct ofconn *);
/* False for an accepted connection that ended. */
bool ofconn_is_alive(const struct ofconn *);
/* Bytes in the output queue. */
size_t ofconn_txq_backlog(const struct ofconn *);
/* True if an async message may be queued now (the queue is below
 * 'max_txq'); false means drop it. */
bool ofconn_has_async_room(const struct ofconn *);
/* True while input is not read because the output queue is full. */
bool ofconn_rx_paused(const struct ofconn *);
/* "ACTIVE", "IDLE", "BACKOFF", "CONNECTING", "VOID". */
const char *ofconn_state_name(const struct ofconn *);
/* "other", "master" or "slave", as in the Controller table. */
const char *ofconn_role_name(enum ofp_controller_role);

/* True if this connection wants async messages of 'reason' given its role
 * and async config; 'reasons' is one of the bitmap pairs of struct
 * ofp_async_config. */
bool ofconn_wants_async(const struct ofconn *, const uint32_t reasons[2],
                        unsigned int reason);

#endif /* ofconn.h */
