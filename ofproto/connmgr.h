/* connmgr: a bridge's OpenFlow connections.
 *
 * Owns the passive listeners (the bridge's punix:<br>.mgmt socket plus any
 * ptcp:/punix: Controller targets) and the active controllers (tcp:/unix:
 * targets, reconnecting with backoff), and one 'struct ofconn' per live
 * connection.  For every connection it does the OpenFlow plumbing itself:
 * framing, hello and version negotiation, echo and inactivity probes,
 * features, get/set config (miss_send_len), role request (equal / master /
 * slave with generation ids, OF1.4 role status), async config, barrier
 * (messages are handled in order, so a barrier reply after the handler
 * returns is correct), and errors for malformed framing.  Everything else
 * goes to ofproto_handle_openflow().
 *
 * Asynchronous messages (packet_in, flow_removed, port_status) go to every
 * connection whose role and async config want them; packet_in is rate
 * limited per connection (token bucket: controller_rate_limit/burst).
 * They are dropped (counted) for a connection whose output queue is full;
 * replies never are: a full queue pauses that connection's input instead
 * (backpressure, see ofconn.h and connmgr_set_output_limits()).
 *
 * Fail mode: with no controller configured, or none connected in
 * standalone mode for long enough ("fail open"), the bridge must still
 * switch: connmgr asks ofproto to add the hidden fail-open NORMAL flow
 * (OFPROTO_FAIL_OPEN_PRIORITY) and removes it when a controller connects.
 * In secure mode it never does.  (bridge.c adds the ordinary
 * "priority=0,actions=NORMAL" flow when a bridge has no controllers at all,
 * as Open vSwitch does.) */
#ifndef CONNMGR_H
#define CONNMGR_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ofp-errors.h"

struct connmgr;
struct ds;
struct ofconn;
struct ofp_flow_removed;
struct ofp_packet_in;
struct ofp_port_status;
struct ofpbuf;
struct ofproto;

enum ofproto_fail_mode {
    OFPROTO_FAIL_STANDALONE,        /* Default: NORMAL when no controller. */
    OFPROTO_FAIL_SECURE,            /* Only controller-installed flows. */
};

/* One Controller table row. */
struct ofproto_controller {
    const char *target;             /* "tcp:IP:PORT", "unix:PATH", "ptcp:...",
                                     * "punix:PATH". */
    int max_backoff_ms;             /* 0 = default 8000. */
    int probe_interval_ms;          /* 0 = default 5000; <0 disables. */
    int rate_limit;                 /* packet-ins per second, 0 = none. */
    int burst_limit;                /* 0 = rate_limit / 4, at least 1. */
};

/* Status of one configured controller, for the Controller table. */
struct ofproto_controller_status {
    char *target;                   /* Owned. */
    bool is_connected;
    const char *role;               /* "other", "master", "slave". */
    char *last_error;               /* Owned, NULL if none. */
    int sec_since_connect;          /* -1 if never. */
    int sec_since_disconnect;       /* -1 if never. */
    const char *state;              /* "ACTIVE", "BACKOFF", "CONNECTING",
                                     * "IDLE", "VOID", "LISTENING". */
};

struct connmgr *connmgr_create(struct ofproto *, const char *name,
                               const char *mgmt_path);
void connmgr_destroy(struct connmgr *);
void connmgr_run(struct connmgr *);
void connmgr_wait(struct connmgr *);

/* Replaces the controller set; unchanged targets keep their connection. */
void connmgr_set_controllers(struct connmgr *,
                             const struct ofproto_controller *, size_t n);
bool connmgr_has_controllers(const struct connmgr *);
void connmgr_set_fail_mode(struct connmgr *, enum ofproto_fail_mode);
enum ofproto_fail_mode connmgr_get_fail_mode(const struct connmgr *);
/* Allowed versions bitmap (0 = all supported). */
void connmgr_set_versions(struct connmgr *, uint32_t allowed);
/* Fills '*st' with malloc'd status for each configured controller. */
void connmgr_get_controller_status(const struct connmgr *,
                                   struct ofproto_controller_status **st,
                                   size_t *n);
void connmgr_free_controller_status(struct ofproto_controller_status *,
                                    size_t n);
/* Output queue bounds of every connection (see ofconn.h): above 'max_txq'
 * bytes queued (0: the 4 MiB default) a connection reads no input and gets
 * no async messages; a peer that takes no byte for 'tx_stall_ms' while
 * its queue is that full is dropped (<= 0: never). */
void connmgr_set_output_limits(struct connmgr *, size_t max_txq,
                               int tx_stall_ms);
/* True if some controller (not a mere listener connection) is connected. */
bool connmgr_is_any_controller_connected(const struct connmgr *);

/* Asynchronous messages to whoever wants them. */
/* 'max_len_hint' is the output action's max_len for OFPR_ACTION (the
 * connection's miss_send_len is used for OFPR_NO_MATCH). */
void connmgr_send_packet_in(struct connmgr *, const struct ofp_packet_in *,
                            uint16_t max_len);
void connmgr_send_flow_removed(struct connmgr *,
                               const struct ofp_flow_removed *);
void connmgr_send_port_status(struct connmgr *,
                              const struct ofp_port_status *);

/* For ofproto's message handlers. */
uint8_t ofconn_get_version(const struct ofconn *);
/* Sends 'msg' (takes ownership). */
void ofconn_send(struct ofconn *, struct ofpbuf *msg);
/* Sends an OFPT_ERROR for request 'rq' ('rq_len' bytes; the error carries
 * up to 64 of them). */
void ofconn_send_error(struct ofconn *, const void *rq, size_t rq_len,
                       enum ofperr);
/* True if this connection may change the switch (not a slave); else the
 * handler must answer OFPBRC_IS_SLAVE. */
bool ofconn_may_modify(const struct ofconn *);
uint16_t ofconn_get_miss_send_len(const struct ofconn *);
/* True if the OpenFlow 1.0 peer enabled NXT_FLOW_MOD_TABLE_ID. */
bool ofconn_get_flow_mod_table_id(const struct ofconn *);
/* Bytes queued for the peer (flow monitors pause above a limit). */
size_t ofconn_get_backlog(const struct ofconn *);

/* unixctl text. */
void connmgr_show(const struct connmgr *, struct ds *);

#endif /* connmgr.h */
