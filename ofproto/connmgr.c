/* A bridge's OpenFlow connections; see connmgr.h.
 *
 * ofconn.c does each connection's I/O, hello and echo; this file owns the
 * listeners and the controller configuration, handles the messages that
 * concern the connection rather than the switch (features, switch config,
 * role, async config, barrier), fans asynchronous messages out, and runs
 * fail-open. */
#include <config.h>
#include "connmgr.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <string.h>

#include "dynamic-string.h"
#include "ofconn.h"
#include "ofp-buf.h"
#include "ofp-flow.h"
#include "ofp-msgs.h"
#include "ofp-nx.h"
#include "ofp-packet-in2.h"
#include "ofp-switch.h"
#include "ofproto.h"
#include "pinsched.h"
#include "poll-loop.h"
#include "stream.h"
#include "stream-ssl.h"
#include "stream-ssl-plugin.h"
#include "timeval.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(connmgr);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(30, 60);

#define DEFAULT_PROBE_INTERVAL 5000
/* Fail-open waits this long when probes are off. */
#define FAIL_OPEN_NO_PROBE_DELAY 10000
/* A listener that could not be opened is retried this often. */
#define LISTENER_RETRY_MS 5000
/* Work bounds per connmgr_run(), so one busy peer cannot starve the
 * others or the rest of the main loop. */
#define MAX_MSGS_PER_RUN 50
#define MAX_ACCEPTS_PER_RUN 10

/* A listener: the management socket, or a ptcp:/punix: Controller. */
struct ofservice {
    struct vs_list node;            /* In connmgr's 'services'. */
    char *target;                   /* Owned. */
    enum ofconn_type type;
    struct pstream *pstream;        /* Owned; NULL while it cannot open. */
    int last_error;                 /* From pstream_open(), or 0. */
    long long next_retry;           /* When to retry pstream_open(). */
    int probe_interval_ms;          /* For accepted connections; 0: none. */
    int rate_limit, burst_limit;
};

/* One configured Controller row. */
struct controller {
    char *target;                   /* Owned. */
    struct ofproto_controller cfg;  /* cfg.target == target. */
    struct ofconn *ofconn;          /* Active target: owned, also in
                                     * connmgr's 'conns'. */
    struct ofservice *service;      /* Passive target: owned, also in
                                     * connmgr's 'services'. */
    int config_error;               /* Unusable target: positive errno. */
};

struct connmgr {
    struct ofproto *ofproto;        /* Not owned: our owner. */
    char *name;                     /* Bridge name; owned. */
    struct ofservice *mgmt;         /* In 'services'; NULL if no path. */
    struct ofservice *snoop;        /* <br>.snoop next to the mgmt socket
                                     * (in 'services'), or NULL. */
    struct vs_list services;        /* struct ofservice. */
    struct vs_list conns;           /* struct ofconn, all of them. */
    struct controller *ctlrs;       /* Owned array. */
    size_t n_ctlrs;

    enum ofproto_fail_mode fail_mode;
    uint32_t allowed_versions;      /* 0: all supported. */
    size_t max_txq;                 /* Output backpressure threshold. */
    int tx_stall_ms;                /* Drop a peer stalled this long. */

    /* Switch-wide OpenFlow state. */
    bool have_generation_id;
    uint64_t generation_id;         /* Master election (OF1.2+). */
    uint16_t frag_flags;            /* From set_config, OFPC_FRAG_*. */

    bool fail_open;                 /* Fail-open flow installed. */
    long long no_controller_since;  /* time_msec() since no controller is
                                     * connected. */
};

static void update_fail_open(struct connmgr *);

/* ---- Listeners. ---- */

static void
ofservice_open(struct ofservice *svc)
{
    int error = pstream_open(svc->target, &svc->pstream);
    if (error) {
        svc->pstream = NULL;
        if (error != svc->last_error) {
            VLOG_WARN("%s: cannot listen (%s)", svc->target,
                      vs_strerror(error));
        }
        svc->next_retry = time_msec() + LISTENER_RETRY_MS;
    } else {
        VLOG_INFO("%s: listening", svc->target);
    }
    svc->last_error = error;
}

static struct ofservice *
ofservice_create(struct connmgr *mgr, const char *target,
                 enum ofconn_type type)
{
    struct ofservice *svc = xzalloc(sizeof *svc);
    svc->target = xstrdup(target);
    svc->type = type;
    vs_list_push_back(&mgr->services, &svc->node);
    ofservice_open(svc);
    return svc;
}

/* Frees 'c', first letting ofproto drop what belonged to it. */
static void
destroy_conn(struct connmgr *mgr, struct ofconn *c)
{
    ofproto_ofconn_closed(mgr->ofproto, c);
    vs_list_remove(&c->node);
    ofconn_destroy(c);
}

static void
ofservice_destroy(struct connmgr *mgr, struct ofservice *svc)
{
    struct ofconn *c, *next;
    VS_LIST_FOR_EACH_SAFE (c, next, node, &mgr->conns) {
        if (c->service == svc) {
            destroy_conn(mgr, c);
        }
    }
    vs_list_remove(&svc->node);
    pstream_close(svc->pstream);
    free(svc->target);
    free(svc);
}

/* ---- Snooping. ---- */

/* A controller connection's message, copied to every snooper that has
 * room for it (a snooper that does not read loses copies, never blocks
 * or grows the switch). */
static void
snoop_copy(void *mgr_, const void *msg, size_t len)
{
    struct connmgr *mgr = mgr_;
    struct ofconn *c;
    VS_LIST_FOR_EACH (c, node, &mgr->conns) {
        if (c->type == OFCONN_SNOOP && ofconn_is_connected(c)) {
            if (ofconn_has_async_room(c)) {
                ofconn_send_copy(c, msg, len);
            } else {
                c->n_async_backlog_dropped++;
            }
        }
    }
}

static void
set_snoop_tap(struct connmgr *mgr, struct ofconn *c)
{
    if (c->type == OFCONN_CONTROLLER) {
        ofconn_set_tap(c, snoop_copy, mgr);
    }
}

/* "punix:DIR/br.snoop" for a mgmt socket "DIR/br.mgmt", else NULL. */
static char *
snoop_target(const char *mgmt_path)
{
    size_t n = strlen(mgmt_path);
    if (n < 5 || strcmp(mgmt_path + n - 5, ".mgmt")) {
        return NULL;
    }
    return xasprintf("punix:%.*s.snoop", (int) (n - 5), mgmt_path);
}

static void
configure_accepted(struct connmgr *mgr, struct ofconn *c,
                   const struct ofservice *svc)
{
    ofconn_set_allowed_versions(c, mgr->allowed_versions);
    ofconn_set_probe_interval(c, svc->probe_interval_ms);
    ofconn_set_rate_limit(c, svc->rate_limit, svc->burst_limit);
    ofconn_set_max_txq(c, mgr->max_txq);
    ofconn_set_tx_stall_timeout(c, mgr->tx_stall_ms);
}

static void
ofservice_run(struct connmgr *mgr, struct ofservice *svc)
{
    if (!svc->pstream) {
        if (time_msec() >= svc->next_retry) {
            ofservice_open(svc);
        }
        if (!svc->pstream) {
            return;
        }
    }
    for (int i = 0; i < MAX_ACCEPTS_PER_RUN; i++) {
        struct stream *stream;
        int error = pstream_accept(svc->pstream, &stream);
        if (error) {
            if (error != EAGAIN) {
                VLOG_WARN_RL(&rl, "%s: accept failed (%s)", svc->target,
                             vs_strerror(error));
            }
            return;
        }
        struct ofconn *c = ofconn_create_accepted(stream, svc->type, svc,
                                                  mgr->allowed_versions);
        configure_accepted(mgr, c, svc);
        set_snoop_tap(mgr, c);
        vs_list_push_back(&mgr->conns, &c->node);
    }
    poll_immediate_wake();      /* More may be pending. */
}

/* ---- Lifecycle. ---- */

struct connmgr *
connmgr_create(struct ofproto *ofproto, const char *name,
               const char *mgmt_path)
{
    struct connmgr *mgr = xzalloc(sizeof *mgr);
    mgr->ofproto = ofproto;
    mgr->name = xstrdup(name);
    vs_list_init(&mgr->services);
    vs_list_init(&mgr->conns);
    mgr->fail_mode = OFPROTO_FAIL_STANDALONE;
    mgr->max_txq = OFCONN_DEFAULT_MAX_TXQ;
    mgr->tx_stall_ms = OFCONN_DEFAULT_TX_STALL_MS;
    mgr->no_controller_since = time_msec();
    if (mgmt_path) {
        char *target = xasprintf("punix:%s", mgmt_path);
        mgr->mgmt = ofservice_create(mgr, target, OFCONN_SERVICE);
        free(target);
        target = snoop_target(mgmt_path);
        if (target) {
            mgr->snoop = ofservice_create(mgr, target, OFCONN_SNOOP);
            free(target);
        }
    }
    return mgr;
}

static void
controller_uninit(struct connmgr *mgr, struct controller *ctlr)
{
    if (ctlr->ofconn) {
        destroy_conn(mgr, ctlr->ofconn);
    }
    if (ctlr->service) {
        ofservice_destroy(mgr, ctlr->service);
    }
    free(ctlr->target);
}

void
connmgr_destroy(struct connmgr *mgr)
{
    if (!mgr) {
        return;
    }
    /* The fail-open flow is not removed: ofproto, which owns the flow
     * tables, is going away with us. */
    for (size_t i = 0; i < mgr->n_ctlrs; i++) {
        controller_uninit(mgr, &mgr->ctlrs[i]);
    }
    free(mgr->ctlrs);

    struct ofconn *c, *next_conn;
    VS_LIST_FOR_EACH_SAFE (c, next_conn, node, &mgr->conns) {
        destroy_conn(mgr, c);
    }
    struct ofservice *svc, *next;
    VS_LIST_FOR_EACH_SAFE (svc, next, node, &mgr->services) {
        ofservice_destroy(mgr, svc);
    }
    free(mgr->name);
    free(mgr);
}

/* ---- Controller configuration. ---- */

static bool
is_passive_target(const char *target)
{
    return target[0] == 'p';    /* "ptcp:", "punix:", "pssl:". */
}

static void
controller_apply(struct connmgr *mgr, struct controller *ctlr)
{
    const struct ofproto_controller *cfg = &ctlr->cfg;
    int probe = (cfg->probe_interval_ms == 0 ? DEFAULT_PROBE_INTERVAL
                 : cfg->probe_interval_ms < 0 ? 0 : cfg->probe_interval_ms);

    if (ctlr->ofconn) {
        struct ofconn *c = ctlr->ofconn;
        ofconn_set_allowed_versions(c, mgr->allowed_versions);
        ofconn_set_backoff(c, cfg->max_backoff_ms);
        ofconn_set_probe_interval(c, probe);
        ofconn_set_rate_limit(c, cfg->rate_limit, cfg->burst_limit);
        ofconn_set_max_txq(c, mgr->max_txq);
        ofconn_set_tx_stall_timeout(c, mgr->tx_stall_ms);
    } else if (ctlr->service) {
        struct ofservice *svc = ctlr->service;
        svc->probe_interval_ms = probe;
        svc->rate_limit = cfg->rate_limit;
        svc->burst_limit = cfg->burst_limit;
        struct ofconn *c;
        VS_LIST_FOR_EACH (c, node, &mgr->conns) {
            if (c->service == svc) {
                configure_accepted(mgr, c, svc);
            }
        }
    }
}

static void
controller_init(struct connmgr *mgr, struct controller *ctlr,
                const struct ofproto_controller *cfg)
{
    memset(ctlr, 0, sizeof *ctlr);
    ctlr->target = xstrdup(cfg->target);
    ctlr->cfg = *cfg;
    ctlr->cfg.target = ctlr->target;

    if (is_passive_target(cfg->target)) {
        int error = pstream_verify_name(cfg->target);
        if (error && strncmp(cfg->target, "pssl:", 5)) {
            ctlr->config_error = error;
        } else {
            ctlr->service = ofservice_create(mgr, cfg->target,
                                             OFCONN_CONTROLLER);
        }
    } else {
        int error = stream_verify_name(cfg->target);
        if (error && strncmp(cfg->target, "ssl:", 4)) {
            ctlr->config_error = error;
        } else {
            /* "ssl:" is kept even when this program has no TLS support
             * configured: each attempt fails with a clear status, and
             * the connection comes up once TLS is configured. */
            ctlr->ofconn = ofconn_create_active(cfg->target,
                                                OFCONN_CONTROLLER,
                                                mgr->allowed_versions);
            set_snoop_tap(mgr, ctlr->ofconn);
            vs_list_push_back(&mgr->conns, &ctlr->ofconn->node);
        }
    }
    if (ctlr->config_error) {
        VLOG_WARN("%s: %s: invalid controller target (%s)", mgr->name,
                  cfg->target, vs_strerror(ctlr->config_error));
    }
    controller_apply(mgr, ctlr);
}

void
connmgr_set_controllers(struct connmgr *mgr,
                        const struct ofproto_controller *cfgs, size_t n)
{
    struct controller *old = mgr->ctlrs;
    size_t n_old = mgr->n_ctlrs;
    struct controller *new = n ? xzalloc(n * sizeof *new) : NULL;
    size_t n_new = 0;

    for (size_t i = 0; i < n; i++) {
        /* A target listed twice is configured once. */
        bool dup = false;
        for (size_t j = 0; j < n_new; j++) {
            dup = dup || !strcmp(new[j].target, cfgs[i].target);
        }
        if (dup) {
            continue;
        }
        struct controller *ctlr = &new[n_new++];
        size_t j;
        for (j = 0; j < n_old; j++) {
            if (old[j].target && !strcmp(old[j].target, cfgs[i].target)) {
                break;
            }
        }
        if (j < n_old) {
            /* Unchanged target: keep its connection or listener. */
            *ctlr = old[j];
            old[j].target = NULL;
            ctlr->cfg = cfgs[i];
            ctlr->cfg.target = ctlr->target;
            controller_apply(mgr, ctlr);
        } else {
            controller_init(mgr, ctlr, &cfgs[i]);
        }
    }
    for (size_t j = 0; j < n_old; j++) {
        if (old[j].target) {
            controller_uninit(mgr, &old[j]);
        }
    }
    free(old);
    mgr->ctlrs = new;
    mgr->n_ctlrs = n_new;
    update_fail_open(mgr);
}

bool
connmgr_has_controllers(const struct connmgr *mgr)
{
    return mgr->n_ctlrs > 0;
}

void
connmgr_set_fail_mode(struct connmgr *mgr, enum ofproto_fail_mode mode)
{
    mgr->fail_mode = mode;
    update_fail_open(mgr);
}

enum ofproto_fail_mode
connmgr_get_fail_mode(const struct connmgr *mgr)
{
    return mgr->fail_mode;
}

void
connmgr_set_versions(struct connmgr *mgr, uint32_t allowed)
{
    mgr->allowed_versions = allowed;
    struct ofconn *c;
    VS_LIST_FOR_EACH (c, node, &mgr->conns) {
        ofconn_set_allowed_versions(c, allowed);
    }
}

void
connmgr_set_output_limits(struct connmgr *mgr, size_t max_txq,
                          int tx_stall_ms)
{
    mgr->max_txq = max_txq ? max_txq : OFCONN_DEFAULT_MAX_TXQ;
    mgr->tx_stall_ms = tx_stall_ms;
    struct ofconn *c;
    VS_LIST_FOR_EACH (c, node, &mgr->conns) {
        ofconn_set_max_txq(c, mgr->max_txq);
        ofconn_set_tx_stall_timeout(c, mgr->tx_stall_ms);
    }
}

bool
connmgr_is_any_controller_connected(const struct connmgr *mgr)
{
    const struct ofconn *c;
    VS_LIST_FOR_EACH (c, node, &mgr->conns) {
        if (c->type == OFCONN_CONTROLLER && ofconn_is_connected(c)) {
            return true;
        }
    }
    return false;
}

/* ---- Fail open. ---- */

/* How long without any controller before failing open: three probe
 * intervals of the most eager controller (a controller that is merely
 * slow gets its probes answered within that), or 10 s without probes. */
static long long
fail_open_delay(const struct connmgr *mgr)
{
    long long delay = LLONG_MAX;
    for (size_t i = 0; i < mgr->n_ctlrs; i++) {
        int probe = mgr->ctlrs[i].cfg.probe_interval_ms;
        long long d = (probe == 0 ? 3LL * DEFAULT_PROBE_INTERVAL
                       : probe < 0 ? FAIL_OPEN_NO_PROBE_DELAY
                       : 3LL * MAX(probe, 1000));
        delay = MIN(delay, d);
    }
    return delay == LLONG_MAX ? FAIL_OPEN_NO_PROBE_DELAY : delay;
}

static void
update_fail_open(struct connmgr *mgr)
{
    long long now = time_msec();
    bool connected = connmgr_is_any_controller_connected(mgr);

    if (connected || !mgr->n_ctlrs) {
        mgr->no_controller_since = now;
    }
    bool want = (mgr->fail_mode == OFPROTO_FAIL_STANDALONE
                 && mgr->n_ctlrs && !connected
                 && now - mgr->no_controller_since >= fail_open_delay(mgr));
    if (want == mgr->fail_open) {
        return;
    }
    mgr->fail_open = want;
    if (want) {
        VLOG_WARN("%s: no controller for %lld ms, failing open (NORMAL "
                  "switching)", mgr->name, now - mgr->no_controller_since);
    } else {
        VLOG_INFO("%s: leaving fail-open mode", mgr->name);
    }
    enum ofperr error = ofproto_set_internal_flow(
        mgr->ofproto, "", OFPROTO_FAIL_OPEN_PRIORITY, want ? "NORMAL" : NULL);
    if (error) {
        VLOG_ERR("%s: cannot %s the fail-open flow (%s)", mgr->name,
                 want ? "add" : "remove", ofperr_get_name(error));
    }
}

/* ---- Messages connmgr handles itself. ---- */

static void
handle_features_request(struct connmgr *mgr, struct ofconn *c,
                        const struct ofp_msg_header *h)
{
    struct ofp_switch_features f;
    memset(&f, 0, sizeof f);
    f.datapath_id = ofproto_get_datapath_id(mgr->ofproto);
    f.n_buffers = 0;                /* Packet-ins carry whole frames. */
    f.n_tables = OFPROTO_N_TABLES;
    f.capabilities = (OFPC_FLOW_STATS | OFPC_TABLE_STATS | OFPC_PORT_STATS
                      | OFPC_GROUP_STATS);
    if (h->version == OFP10_VERSION) {
        /* OF1.0 actions: output, set_vlan_vid, set_vlan_pcp, strip_vlan,
         * set_dl_src/dst, set_nw_src/dst, set_nw_tos, set_tp_src/dst. */
        f.actions = 0x7ff;
        size_t n;
        const struct ofp_port **ports = ofproto_ports(mgr->ofproto, &n);
        f.ports = n ? xmalloc(n * sizeof *f.ports) : NULL;
        for (size_t i = 0; i < n; i++) {
            f.ports[i] = *ports[i];
        }
        f.n_ports = n;
        free(ports);
    }
    ofconn_send(c, ofp_features_reply_encode(&f, h));
    free(f.ports);
}

static void
handle_get_config(struct connmgr *mgr, struct ofconn *c,
                  const struct ofp_msg_header *h)
{
    struct ofp_switch_config cfg = {
        .flags = mgr->frag_flags,
        .miss_send_len = c->miss_send_len,
    };
    ofconn_send(c, ofp_switch_config_encode(OFPTYPE_GET_CONFIG_REPLY, &cfg,
                                            c->version, h->xid));
}

static enum ofperr
handle_set_config(struct connmgr *mgr, struct ofconn *c, const void *msg,
                  size_t len)
{
    struct ofp_switch_config cfg;
    enum ofperr error = ofp_switch_config_decode(msg, len, &cfg);
    if (error) {
        return error;
    }
    uint16_t frag = cfg.flags & OFPC_FRAG_MASK;
    if (frag == OFPC_FRAG_REASM || frag == OFPC_FRAG_MASK) {
        return OFPERR_OFPSCFC_BAD_FLAGS;    /* No reassembly here. */
    }
    /* The fragment policy is the switch's: a slave may not change it.
     * miss_send_len is the connection's own. */
    if (ofconn_may_modify(c)) {
        mgr->frag_flags = frag;
    }
    c->miss_send_len = cfg.miss_send_len;
    return 0;
}

/* Makes 'new_master' the only master: the others become slaves and, if
 * they speak OpenFlow 1.4+, are told so. */
static void
demote_other_masters(struct connmgr *mgr, const struct ofconn *new_master)
{
    struct ofconn *c;
    VS_LIST_FOR_EACH (c, node, &mgr->conns) {
        if (c != new_master && c->role == OFPCR_ROLE_MASTER) {
            c->role = OFPCR_ROLE_SLAVE;
            VLOG_INFO("%s: %s is now slave (%s became master)", mgr->name,
                      c->name, new_master->name);
            if (c->version >= OFP14_VERSION) {
                struct ofp_role_status rs = {
                    .role = OFPCR_ROLE_SLAVE,
                    .reason = OFPCRR_MASTER_REQUEST,
                    .generation_id = mgr->generation_id,
                };
                ofconn_send(c, ofp_role_status_encode(&rs, c->version));
            }
        }
    }
}

static enum ofperr
handle_role_request(struct connmgr *mgr, struct ofconn *c, const void *msg,
                    size_t len, const struct ofp_msg_header *h)
{
    struct ofp_role_request rr;
    enum ofperr error = ofp_role_decode(msg, len, &rr);
    if (error) {
        return error;
    }
    if (rr.role != OFPCR_ROLE_NOCHANGE) {
        if (rr.have_generation_id) {
            /* Generation ids compare as a wrapping sequence (OF1.3
             * 6.3.5): a smaller one than the last seen is stale. */
            if (mgr->have_generation_id
                && (int64_t) (rr.generation_id - mgr->generation_id) < 0) {
                return OFPERR_OFPRRFC_STALE;
            }
            mgr->have_generation_id = true;
            mgr->generation_id = rr.generation_id;
        }
        if (rr.role == OFPCR_ROLE_MASTER) {
            demote_other_masters(mgr, c);
        }
        c->role = rr.role;
    }
    struct ofp_role_request reply = {
        .role = c->role,
        .have_generation_id = mgr->have_generation_id,
        .generation_id = mgr->generation_id,
    };
    ofconn_send(c, ofp_role_encode(OFPTYPE_ROLE_REPLY, &reply, c->version,
                                   h->xid));
    return 0;
}

/* OpenFlow 1.0's Nicira role request: the same roles, no generation id.
 * Returns OFPERR_OFPBRC_BAD_EXP_TYPE/_EXPERIMENTER for other experimenter
 * messages, which go on to ofproto. */
static enum ofperr
handle_nx_role_request(struct connmgr *mgr, struct ofconn *c,
                       const void *msg, size_t len,
                       const struct ofp_msg_header *h)
{
    enum ofp_controller_role role;
    bool is_reply;
    enum ofperr error = nx_role_decode(msg, len, &is_reply, &role);
    if (error) {
        return error;
    }
    if (is_reply) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    if (role == OFPCR_ROLE_MASTER) {
        demote_other_masters(mgr, c);
    }
    c->role = role;
    ofconn_send(c, nx_role_encode(true, c->role, c->version, h->xid));
    return 0;
}

/* Nicira per-connection settings (lib/ofp-nx.h): of OpenFlow 1.0, and the
 * packet-in format and controller id of every version.  Sets
 * '*handled' if 'msg' is one of them; the others go on to the role
 * request and to ofproto. */
static enum ofperr
handle_nx_setting(struct ofconn *c, const void *msg, size_t len,
                  bool *handled)
{
    enum nx_flow_format ff;
    enum nx_packet_in_format pif;
    enum ofperr error;
    bool enable;

    *handled = true;
    int subtype = nx_msg_subtype(msg, len);
    if (c->version != OFP10_VERSION && subtype != NXT_SET_PACKET_IN_FORMAT
        && subtype != NXT_SET_CONTROLLER_ID) {
        /* Open vSwitch 2.6+ takes these two on OF1.1+ connections too
         * (ovs-ofctl -O OpenFlow13 monitor asks for NXT_PACKET_IN2). */
        subtype = -1;
    }
    switch (subtype) {
    case NXT_SET_FLOW_FORMAT:
        error = nx_set_flow_format_decode(msg, len, &ff);
        if (!error) {
            c->nxm_flow_format = ff == NXFF_NXM;
        }
        return error;
    case NXT_FLOW_MOD_TABLE_ID:
        error = nx_flow_mod_table_id_decode(msg, len, &enable);
        if (!error) {
            c->flow_mod_table_id = enable;
        }
        return error;
    case NXT_SET_PACKET_IN_FORMAT:
        error = nx_set_packet_in_format_decode(msg, len, &pif);
        if (!error) {
            c->nxm_packet_in = pif == NXPIF_NXM;
            c->packet_in2 = pif == NXPIF_NXT_PACKET_IN2;
        }
        return error;
    case NXT_SET_CONTROLLER_ID:
        return nx_set_controller_id_decode(msg, len, &c->controller_id);
    case NXT_FLOW_AGE:
        return nx_flow_age_decode(msg, len);     /* Nothing to do. */
    default:
        *handled = false;
        return 0;
    }
}

static enum ofperr
handle_set_async(struct ofconn *c, const void *msg, size_t len)
{
    struct ofp_async_config ac = c->async;
    enum ofperr error = ofp_async_config_decode(msg, len, &ac);
    if (!error) {
        c->async = ac;
    }
    return error;
}

static void
handle_message(struct connmgr *mgr, struct ofconn *c, const struct ofpbuf *m)
{
    const void *msg = m->data;
    size_t len = m->size;
    struct ofp_msg_header h;
    enum ofperr error;

    if (m->data[0] != c->version) {
        VLOG_WARN_RL(&rl, "%s: message version 0x%02x on an %s connection",
                     c->name, m->data[0], ofp_version_to_string(c->version));
        ofconn_send_error(c, msg, len, OFPERR_OFPBRC_BAD_VERSION);
        return;
    }
    error = ofptype_decode(msg, len, &h, NULL);
    if (error) {
        VLOG_WARN_RL(&rl, "%s: bad message (%s)", c->name,
                     ofperr_get_name(error));
        ofconn_send_error(c, msg, len, error);
        return;
    }

    switch (h.type) {
    case OFPTYPE_HELLO:
    case OFPTYPE_ECHO_REPLY:
        return;                     /* Harmless repeats. */
    case OFPTYPE_ERROR: {
        struct ofp_error_msg em;
        if (!ofp_error_decode(msg, len, &em)) {
            VLOG_INFO_RL(&rl, "%s: peer sent error type %u code %u (%s)",
                         c->name, em.type, em.code,
                         em.error ? ofperr_get_name(em.error) : "unknown");
        }
        return;
    }
    case OFPTYPE_FEATURES_REQUEST:
        handle_features_request(mgr, c, &h);
        return;
    case OFPTYPE_GET_CONFIG_REQUEST:
        handle_get_config(mgr, c, &h);
        return;
    case OFPTYPE_SET_CONFIG:
        error = handle_set_config(mgr, c, msg, len);
        break;
    case OFPTYPE_BARRIER_REQUEST:
        /* Every earlier message was handled to completion already. */
        ofconn_send(c, ofpmsg_alloc_reply(OFPTYPE_BARRIER_REPLY, &h, 0));
        return;
    case OFPTYPE_ROLE_REQUEST:
        error = handle_role_request(mgr, c, msg, len, &h);
        break;
    case OFPTYPE_EXPERIMENTER: {
        bool handled;
        error = handle_nx_setting(c, msg, len, &handled);
        if (handled) {
            break;
        }
        error = handle_nx_role_request(mgr, c, msg, len, &h);
        if (error == OFPERR_OFPBRC_BAD_EXP_TYPE
            || error == OFPERR_OFPBRC_BAD_EXPERIMENTER) {
            ofproto_handle_openflow(mgr->ofproto, c, msg, len);
            return;
        }
        break;
    }
    case OFPTYPE_GET_ASYNC_REQUEST:
        ofconn_send(c, ofp_async_config_encode(OFPTYPE_GET_ASYNC_REPLY,
                                               &c->async, c->version, h.xid));
        return;
    case OFPTYPE_SET_ASYNC_CONFIG:
        error = handle_set_async(c, msg, len);
        break;
    default:
        ofproto_handle_openflow(mgr->ofproto, c, msg, len);
        return;
    }
    if (error) {
        ofconn_send_error(c, msg, len, error);
    }
}

/* ---- Main loop. ---- */

static void
run_conn(struct connmgr *mgr, struct ofconn *c)
{
    ofconn_run(c);
    for (int i = 0; i < MAX_MSGS_PER_RUN; i++) {
        struct ofpbuf *msg = ofconn_recv(c);
        if (!msg) {
            break;
        }
        if (c->type != OFCONN_SNOOP) {
            handle_message(mgr, c, msg);
        }
        ofpbuf_delete(msg);
    }
}

void
connmgr_run(struct connmgr *mgr)
{
    struct ofservice *svc;
    VS_LIST_FOR_EACH (svc, node, &mgr->services) {
        ofservice_run(mgr, svc);
    }

    struct ofconn *c, *next;
    VS_LIST_FOR_EACH (c, node, &mgr->conns) {
        run_conn(mgr, c);
    }
    /* Accepted connections that ended go only now, after every handler
     * (which may have sent to them) has returned.  An active connection
     * that dropped lives on, but its session's state goes. */
    VS_LIST_FOR_EACH_SAFE (c, next, node, &mgr->conns) {
        if (!ofconn_is_alive(c)) {
            destroy_conn(mgr, c);
        } else if (ofconn_take_session_end(c)) {
            ofproto_ofconn_closed(mgr->ofproto, c);
        }
    }
    update_fail_open(mgr);
}

void
connmgr_wait(struct connmgr *mgr)
{
    struct ofservice *svc;
    VS_LIST_FOR_EACH (svc, node, &mgr->services) {
        if (svc->pstream) {
            pstream_wait(svc->pstream);
        } else {
            poll_timer_wait_until(svc->next_retry);
        }
    }
    struct ofconn *c;
    VS_LIST_FOR_EACH (c, node, &mgr->conns) {
        ofconn_wait(c);
    }
    if (mgr->fail_mode == OFPROTO_FAIL_STANDALONE && mgr->n_ctlrs
        && !mgr->fail_open) {
        poll_timer_wait_until(mgr->no_controller_since
                              + fail_open_delay(mgr));
    }
}

/* ---- Asynchronous messages. ---- */

/* The reason 'c' will see: reasons its version lacks become "action", as
 * ofp_packet_in_encode() writes them. */
static unsigned int
pin_reason_for(const struct ofconn *c, unsigned int reason)
{
    if (c->version == OFP10_VERSION && reason > OFPR_ACTION) {
        return OFPR_ACTION;
    }
    if (c->version < OFP14_VERSION && reason > OFPR_INVALID_TTL) {
        return OFPR_ACTION;
    }
    return reason;
}

void
connmgr_send_packet_in(struct connmgr *mgr, const struct ofp_packet_in *pin,
                       uint16_t max_len)
{
    long long now = time_msec();
    struct ofconn *c;

    VS_LIST_FOR_EACH (c, node, &mgr->conns) {
        unsigned int reason = pin_reason_for(c, pin->reason);
        if (!ofconn_wants_async(c, c->async.packet_in, reason)
            || c->controller_id != pin->controller_id) {
            continue;
        }
        /* Packet-ins are the one message worth dropping for a slow
         * reader: keep half the queue for replies. */
        if (ofconn_txq_backlog(c) > c->max_txq / 2) {
            c->n_pin_backlog_dropped++;
            continue;
        }
        if (!pinsched_admit(c->pinsched, now)) {
            continue;
        }
        uint16_t len = (reason == OFPR_NO_MATCH || reason == OFPR_INVALID_TTL
                        ? c->miss_send_len : max_len);
        ofconn_send(c, (c->packet_in2
                        ? nx_packet_in2_encode(pin, c->version, len)
                        : c->nxm_packet_in
                        ? nx_packet_in_encode_version(pin, c->version, len)
                        : ofp_packet_in_encode(pin, c->version, len)));
        c->n_pin_sent++;
    }
}

void
connmgr_send_flow_removed(struct connmgr *mgr,
                          const struct ofp_flow_removed *fr)
{
    struct ofconn *c;
    VS_LIST_FOR_EACH (c, node, &mgr->conns) {
        /* Reasons a version lacks (group delete before 1.3, meter delete
         * and eviction before 1.4) are reported as a plain delete. */
        struct ofp_flow_removed copy = *fr;
        if ((c->version < OFP13_VERSION && fr->reason > OFPRR_DELETE)
            || (c->version < OFP14_VERSION
                && fr->reason > OFPRR_GROUP_DELETE)) {
            copy.reason = OFPRR_DELETE;
        }
        if (!ofconn_wants_async(c, c->async.flow_removed, copy.reason)) {
            continue;
        }
        if (!ofconn_has_async_room(c)) {
            c->n_async_backlog_dropped++;
            continue;
        }
        ofconn_send(c, (c->version == OFP10_VERSION && c->nxm_flow_format
                        ? nx_flow_removed_encode(&copy)
                        : ofp_flow_removed_encode(&copy, c->version)));
    }
}

void
connmgr_send_port_status(struct connmgr *mgr,
                         const struct ofp_port_status *ps)
{
    struct ofconn *c;
    VS_LIST_FOR_EACH (c, node, &mgr->conns) {
        if (!ofconn_wants_async(c, c->async.port_status, ps->reason)) {
            continue;
        }
        if (!ofconn_has_async_room(c)) {
            c->n_async_backlog_dropped++;
            continue;
        }
        ofconn_send(c, ofp_port_status_encode(ps, c->version));
    }
}

/* ---- Status. ---- */

static int
secs_since(long long then, long long now)
{
    return then < 0 ? -1 : (int) ((now - then) / 1000);
}

static char *
error_text(const char *target, int error)
{
    if ((!strncmp(target, "ssl:", 4) || !strncmp(target, "pssl:", 5))
        && (error == EAFNOSUPPORT || error == ENOPROTOOPT)) {
        return xstrdup("SSL is not configured (set a private key, "
                       "certificate and CA certificate)");
    }
    if (error == STREAM_SSL_NOT_FOUND) {
        return xstrdup("TLS support not found (" STREAM_SSL_PLUGIN_FILE
                       " could not be loaded; see the log)");
    }
    /* A TLS failure is EPROTO; say what OpenSSL objected to. */
    const char *tls = (error && !strncmp(target, "ssl:", 4)
                       ? stream_ssl_get_last_error(target) : NULL);
    if (tls) {
        return xasprintf("TLS: %s", tls);
    }
    return error ? xstrdup(vs_strerror(error)) : NULL;
}

void
connmgr_get_controller_status(const struct connmgr *mgr,
                              struct ofproto_controller_status **stp,
                              size_t *np)
{
    long long now = time_msec();
    struct ofproto_controller_status *st = (mgr->n_ctlrs
                                            ? xzalloc(mgr->n_ctlrs * sizeof *st)
                                            : NULL);

    for (size_t i = 0; i < mgr->n_ctlrs; i++) {
        const struct controller *ctlr = &mgr->ctlrs[i];
        struct ofproto_controller_status *s = &st[i];

        s->target = xstrdup(ctlr->target);
        s->role = "other";
        s->sec_since_connect = s->sec_since_disconnect = -1;
        if (ctlr->ofconn) {
            const struct ofconn *c = ctlr->ofconn;
            s->is_connected = ofconn_is_connected(c);
            s->role = ofconn_role_name(c->role);
            s->last_error = error_text(ctlr->target, c->last_error);
            if (!s->last_error && !s->is_connected
                && c->last_disconnected >= 0) {
                s->last_error = xstrdup("connection closed by peer");
            }
            s->sec_since_connect = secs_since(c->last_connected, now);
            s->sec_since_disconnect = secs_since(c->last_disconnected, now);
            s->state = ofconn_state_name(c);
        } else if (ctlr->service) {
            const struct ofservice *svc = ctlr->service;
            long long connected = -1;
            const struct ofconn *c;
            VS_LIST_FOR_EACH (c, node, &mgr->conns) {
                if (c->service == svc && ofconn_is_connected(c)) {
                    if (!s->is_connected) {
                        s->role = ofconn_role_name(c->role);
                    }
                    s->is_connected = true;
                    connected = MAX(connected, c->last_connected);
                }
            }
            s->sec_since_connect = secs_since(connected, now);
            s->last_error = error_text(ctlr->target, svc->last_error);
            s->state = svc->pstream ? "LISTENING" : "VOID";
        } else {
            s->last_error = error_text(ctlr->target, ctlr->config_error);
            s->state = "VOID";
        }
    }
    *stp = st;
    *np = mgr->n_ctlrs;
}

void
connmgr_free_controller_status(struct ofproto_controller_status *st,
                               size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(st[i].target);
        free(st[i].last_error);
    }
    free(st);
}

void
connmgr_show(const struct connmgr *mgr, struct ds *s)
{
    ds_put_format(s, "bridge %s: fail_mode=%s%s\n", mgr->name,
                  mgr->fail_mode == OFPROTO_FAIL_SECURE ? "secure"
                                                        : "standalone",
                  mgr->fail_open ? " (fail-open active)" : "");
    const struct ofservice *svc;
    VS_LIST_FOR_EACH (svc, node, &mgr->services) {
        ds_put_format(s, "  listener %s: ", svc->target);
        if (!svc->pstream) {
            ds_put_format(s, "%s\n", vs_strerror(svc->last_error));
        } else if (pstream_get_bound_port(svc->pstream)) {
            ds_put_format(s, "listening on port %u\n",
                          pstream_get_bound_port(svc->pstream));
        } else {
            ds_put_format(s, "listening\n");
        }
    }
    for (size_t i = 0; i < mgr->n_ctlrs; i++) {
        if (mgr->ctlrs[i].config_error) {
            ds_put_format(s, "  controller %s: invalid (%s)\n",
                          mgr->ctlrs[i].target,
                          vs_strerror(mgr->ctlrs[i].config_error));
        }
    }
    const struct ofconn *c;
    VS_LIST_FOR_EACH (c, node, &mgr->conns) {
        ds_put_format(s, "  %s %s: %s", c->active ? "controller" : "peer",
                      c->name, ofconn_state_name(c));
        if (ofconn_is_connected(c)) {
            int rate, burst;
            pinsched_get_limits(c->pinsched, &rate, &burst);
            ds_put_format(s, " %s role=%s miss_send_len=%u rx=%"PRIu64
                          " tx=%"PRIu64" packet_in sent=%"PRIu64
                          " rate_limited=%"PRIu64" backlog_dropped=%"PRIu64,
                          ofp_version_to_string(c->version),
                          ofconn_role_name(c->role), c->miss_send_len,
                          c->n_rx, c->n_tx, c->n_pin_sent,
                          pinsched_n_dropped(c->pinsched),
                          c->n_pin_backlog_dropped);
            if (rate) {
                ds_put_format(s, " (limit %d/s burst %d)", rate, burst);
            }
            ds_put_format(s, " txq=%zu async_dropped=%"PRIu64
                          " rx_pauses=%"PRIu64"%s", ofconn_txq_backlog(c),
                          c->n_async_backlog_dropped, c->n_rx_pauses,
                          ofconn_rx_paused(c) ? " (input paused)" : "");
        } else if (c->last_error) {
            ds_put_format(s, " (%s)", vs_strerror(c->last_error));
        }
        ds_put_format(s, "\n");
    }
}
