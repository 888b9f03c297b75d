/* ofproto flow monitors: per-connection subscriptions to flow table
 * changes (Nicira NXST_FLOW_MONITOR, ONF's OF1.3 extension, OF1.4+
 * OFPMP_FLOW_MONITOR; codec in lib/ofp-monitor.h).
 *
 * Each connection with monitors has one 'struct fm_conn' holding its
 * monitors and the updates not sent yet.  ofproto-flow.c reports every
 * committed change of a visible rule (added, modified, deleted for any
 * reason, timeouts and evictions included) with ofproto_monitor_report();
 * the updates for one OpenFlow request (or one expiry pass) go out
 * together as one reply series when ofproto_monitor_flush() runs, as in
 * Open vSwitch.  A connection's own changes are reported as one ABBREV
 * with the request's xid, unless the monitor asked for them in full
 * (OF1.4 no_abbrev) or not at all (Nicira without "own").
 *
 * Flow control: updates are the one thing a monitor can make unbounded
 * (a controller adding 100,000 flows while another one watches).  When a
 * connection's output queue holds more than 'fm_pause_limit' bytes, it
 * gets PAUSED and no more updates; once the queue has drained, it gets
 * the current state of every flow its monitors match (as ADDED updates,
 * so that it can rebuild its view) and then RESUMED.  Deletions while
 * paused are not reported one by one: the refresh is the whole state. */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include "connmgr.h"
#include "ofp-buf.h"
#include "ofp-monitor.h"
#include "ofp-msgs.h"
#include "ofproto/ofproto-provider.h"
#include "ofproto/ofproto-txn.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(ofproto_monitor);

/* At most this many monitors per connection (each holds a match). */
#define FM_MAX_PER_CONN 4096

struct fm_conn {
    struct vs_list node;                /* In ofproto->monitor_conns. */
    struct ofconn *ofconn;              /* Not owned. */
    struct ofp_flow_monitor_request *mons;  /* Owned array. */
    size_t n_mons, allocated;
    struct ofp_fm_replies pending;      /* Updates not yet sent. */
    bool abbrev_queued;                 /* This flush has our ABBREV. */
    bool paused;                        /* PAUSED sent, no updates. */
};

static struct fm_conn *
fm_conn_find(const struct ofproto *p, const struct ofconn *ofconn)
{
    struct fm_conn *fc;
    VS_LIST_FOR_EACH (fc, node, &p->monitor_conns) {
        if (fc->ofconn == ofconn) {
            return fc;
        }
    }
    return NULL;
}

static struct fm_conn *
fm_conn_get(struct ofproto *p, struct ofconn *ofconn)
{
    struct fm_conn *fc = fm_conn_find(p, ofconn);
    if (!fc) {
        fc = xzalloc(sizeof *fc);
        fc->ofconn = ofconn;
        ofp_fm_replies_init(&fc->pending, ofconn_get_version(ofconn), 0);
        vs_list_push_back(&p->monitor_conns, &fc->node);
    }
    return fc;
}

static void
fm_conn_destroy(struct fm_conn *fc)
{
    vs_list_remove(&fc->node);
    ofp_fm_replies_destroy(&fc->pending);
    free(fc->mons);
    free(fc);
}

static struct ofp_flow_monitor_request *
fm_find(struct fm_conn *fc, uint32_t id)
{
    for (size_t i = 0; i < fc->n_mons; i++) {
        if (fc->mons[i].id == id) {
            return &fc->mons[i];
        }
    }
    return NULL;
}

static void
fm_remove(struct fm_conn *fc, struct ofp_flow_monitor_request *m)
{
    *m = fc->mons[--fc->n_mons];
}

/* True if 'rule' (with 'actions', and 'old_actions' if nonnull) is
 * something monitor 'm' watches. */
static bool
fm_matches(const struct ofp_flow_monitor_request *m, const struct rule *rule,
           const struct ofpacts *old_actions)
{
    if (m->table_id != OFPTT_ALL && m->table_id != rule->table_id) {
        return false;
    }
    if (m->out_port != OFPP_ANY
        && !ofpacts_output_to_port(&rule->ofpacts, m->out_port)
        && !(old_actions && ofpacts_output_to_port(old_actions, m->out_port))) {
        return false;
    }
    if (m->out_group != OFPG_ANY
        && !ofpacts_output_to_group(&rule->ofpacts, m->out_group)
        && !(old_actions
             && ofpacts_output_to_group(old_actions, m->out_group))) {
        return false;
    }
    return match_is_subset(&rule->cr.match, &m->match);
}

static void
update_from_rule(struct ofp_flow_update *u, enum ofp_flow_update_event event,
                 uint8_t reason, const struct rule *rule, bool actions)
{
    memset(u, 0, sizeof *u);
    u->event = event;
    u->reason = reason;
    u->table_id = rule->table_id;
    u->idle_timeout = rule->idle_timeout;
    u->hard_timeout = rule->hard_timeout;
    u->priority = rule->cr.priority;
    u->cookie = rule->cookie;
    u->match = rule->cr.match;
    u->has_actions = actions;
    u->ofpacts = rule->ofpacts;     /* Read only: not uninit'ed. */
}

/* Appends to 'r' an update of 'event' for every visible rule that one
 * of 'fc''s monitors (or just 'only', if nonnull) matches. */
static void
fm_dump(const struct ofproto *p, const struct fm_conn *fc,
        const struct ofp_flow_monitor_request *only,
        enum ofp_flow_update_event event, struct ofp_fm_replies *r)
{
    struct rule_criteria c = {
        .table_id = OFPTT_ALL, .match = NULL, .out_port = OFPP_ANY,
        .out_group = OFPG_ANY,
    };
    size_t n;
    struct rule **rules = ofproto_collect_rules(p, &c, &n);
    for (size_t i = 0; i < n; i++) {
        bool match = false, actions = false;
        for (size_t j = 0; j < fc->n_mons; j++) {
            const struct ofp_flow_monitor_request *m = &fc->mons[j];
            if ((!only || m == only) && fm_matches(m, rules[i], NULL)) {
                match = true;
                actions |= (m->flags & OFPFMF_ACTIONS) != 0;
            }
        }
        if (match) {
            struct ofp_flow_update u;
            update_from_rule(&u, event, 0, rules[i], actions);
            ofp_fm_replies_append(r, &u);
        }
    }
    free(rules);
}

static enum ofperr
check_request(const struct ofp_flow_monitor_request *rq)
{
    if (rq->table_id != OFPTT_ALL && rq->table_id >= OFPROTO_N_TABLES) {
        return OFPERR_OFPMOFC_BAD_TABLE_ID;
    }
    return 0;
}

static void
send_replies(struct ofconn *ofconn, struct ofp_fm_replies *r)
{
    size_t n;
    struct ofpbuf **msgs = ofp_fm_replies_steal(r, &n);
    for (size_t i = 0; i < n; i++) {
        ofconn_send(ofconn, msgs[i]);
    }
    free(msgs);
}

enum ofperr
ofproto_monitor_request(struct ofproto *p, struct ofconn *ofconn,
                        const void *msg, size_t len,
                        const struct ofp_msg_header *h)
{
    struct ofp_flow_monitor_request *rqs;
    size_t n;
    enum ofperr error = ofp_flow_monitor_request_decode(msg, len, &rqs, &n);
    if (error) {
        return error;
    }
    /* Check everything first: a bad request changes nothing. */
    struct fm_conn *fc = fm_conn_find(p, ofconn);
    for (size_t i = 0; i < n && !error; i++) {
        struct ofp_flow_monitor_request *old = fc ? fm_find(fc, rqs[i].id)
                                                  : NULL;
        error = check_request(&rqs[i]);
        if (!error && rqs[i].command == OFPFMC_ADD) {
            for (size_t j = 0; j < i && !error; j++) {
                if (rqs[j].id == rqs[i].id) {
                    error = OFPERR_OFPMOFC_MONITOR_EXISTS;
                }
            }
            if (old) {
                error = OFPERR_OFPMOFC_MONITOR_EXISTS;
            } else if ((fc ? fc->n_mons : 0) + i >= FM_MAX_PER_CONN) {
                error = OFPERR_OFPMOFC_UNKNOWN;
            }
        } else if (!error && !old) {
            error = OFPERR_OFPMOFC_UNKNOWN_MONITOR;
        }
    }
    if (error) {
        free(rqs);
        return error;
    }

    fc = fm_conn_get(p, ofconn);
    struct ofp_fm_replies r;
    ofp_fm_replies_init(&r, h->version, h->xid);
    for (size_t i = 0; i < n; i++) {
        struct ofp_flow_monitor_request *m = fm_find(fc, rqs[i].id);
        if (rqs[i].command == OFPFMC_DELETE) {
            fm_remove(fc, m);
            continue;
        }
        if (!m) {
            if (fc->n_mons >= fc->allocated) {
                fc->mons = x2nrealloc(fc->mons, &fc->allocated,
                                      sizeof *fc->mons);
            }
            m = &fc->mons[fc->n_mons++];
        }
        *m = rqs[i];
        if (m->flags & OFPFMF_INITIAL) {
            fm_dump(p, fc, m, (h->version >= OFP14_VERSION
                               ? OFPFME_INITIAL : OFPFME_ADDED), &r);
        }
    }
    free(rqs);
    /* Updates queued before this request go first. */
    ofproto_monitor_flush(p);
    send_replies(ofconn, &r);
    if (!fc->n_mons && !fc->paused) {
        fm_conn_destroy(fc);
    }
    return 0;
}

enum ofperr
ofproto_monitor_cancel(struct ofproto *p, struct ofconn *ofconn,
                       const void *msg, size_t len)
{
    uint32_t id;
    enum ofperr error = ofp_flow_monitor_cancel_decode(msg, len, &id);
    if (error) {
        return error;
    }
    struct fm_conn *fc = fm_conn_find(p, ofconn);
    struct ofp_flow_monitor_request *m = fc ? fm_find(fc, id) : NULL;
    if (!m) {
        return OFPERR_OFPMOFC_UNKNOWN_MONITOR;
    }
    fm_remove(fc, m);
    if (!fc->n_mons) {
        fm_conn_destroy(fc);
    }
    return 0;
}

void
ofproto_monitor_set_origin(struct ofproto *p, struct ofconn *ofconn,
                           uint32_t xid)
{
    p->fm_origin = ofconn;
    p->fm_origin_xid = xid;
}

static void
fm_pause(struct fm_conn *fc)
{
    uint8_t version = ofconn_get_version(fc->ofconn);
    fc->paused = true;
    ofp_fm_replies_destroy(&fc->pending);
    ofp_fm_replies_init(&fc->pending, version, 0);
    if (version >= OFP14_VERSION) {
        struct ofp_fm_replies r;
        struct ofp_flow_update u = { .event = OFPFME_PAUSED };
        ofp_fm_replies_init(&r, version, 0);
        ofp_fm_replies_append(&r, &u);
        send_replies(fc->ofconn, &r);
    } else {
        ofconn_send(fc->ofconn,
                    ofp_flow_monitor_pause_encode(OFPFME_PAUSED, version));
    }
}

void
ofproto_monitor_report(struct ofproto *p, const struct rule *rule,
                       enum ofp_flow_update_event event, uint8_t reason,
                       const struct ofpacts *old_actions)
{
    if (rule_is_hidden(rule) || vs_list_is_empty(&p->monitor_conns)) {
        return;
    }
    uint16_t need = (event == OFPFME_ADDED ? OFPFMF_ADD
                     : event == OFPFME_REMOVED ? OFPFMF_REMOVED
                     : OFPFMF_MODIFY);
    struct fm_conn *fc;
    VS_LIST_FOR_EACH (fc, node, &p->monitor_conns) {
        if (fc->paused) {
            continue;
        }
        bool own = fc->ofconn == p->fm_origin;
        bool match = false, actions = false, full = !own;
        for (size_t i = 0; i < fc->n_mons; i++) {
            const struct ofp_flow_monitor_request *m = &fc->mons[i];
            if (!(m->flags & need)
                || (own && !(m->flags & OFPFMF_OWN))
                || !fm_matches(m, rule, old_actions)) {
                continue;
            }
            match = true;
            actions |= (m->flags & OFPFMF_ACTIONS) != 0;
            full |= (m->flags & OFPFMF_NO_ABBREV) != 0;
        }
        if (!match) {
            continue;
        }
        struct ofp_flow_update u;
        if (full) {
            update_from_rule(&u, event, reason, rule, actions);
        } else if (!fc->abbrev_queued) {
            memset(&u, 0, sizeof u);
            u.event = OFPFME_ABBREV;
            u.xid = p->fm_origin_xid;
            fc->abbrev_queued = true;
        } else {
            continue;
        }
        if (ofconn_get_backlog(fc->ofconn) > p->fm_pause_limit) {
            fm_pause(fc);
            continue;
        }
        ofp_fm_replies_append(&fc->pending, &u);
    }
}

void
ofproto_monitor_flush(struct ofproto *p)
{
    struct fm_conn *fc;
    VS_LIST_FOR_EACH (fc, node, &p->monitor_conns) {
        fc->abbrev_queued = false;
        if (fc->pending.n) {
            send_replies(fc->ofconn, &fc->pending);
            ofp_fm_replies_init(&fc->pending, ofconn_get_version(fc->ofconn),
                                0);
        }
    }
}

void
ofproto_monitor_run(struct ofproto *p)
{
    ofproto_monitor_flush(p);
    struct fm_conn *fc, *next;
    VS_LIST_FOR_EACH_SAFE (fc, next, node, &p->monitor_conns) {
        if (!fc->paused || ofconn_get_backlog(fc->ofconn)) {
            continue;
        }
        /* Drained: the whole current state, then RESUMED. */
        uint8_t version = ofconn_get_version(fc->ofconn);
        struct ofp_fm_replies r;
        ofp_fm_replies_init(&r, version, 0);
        fm_dump(p, fc, NULL, OFPFME_ADDED, &r);
        fc->paused = false;
        if (version >= OFP14_VERSION) {
            struct ofp_flow_update u = { .event = OFPFME_RESUMED };
            ofp_fm_replies_append(&r, &u);
            send_replies(fc->ofconn, &r);
        } else {
            if (r.n) {
                send_replies(fc->ofconn, &r);
            }
            ofp_fm_replies_destroy(&r);
            ofconn_send(fc->ofconn,
                        ofp_flow_monitor_pause_encode(OFPFME_RESUMED, version));
        }
        if (!fc->n_mons) {
            fm_conn_destroy(fc);
        }
    }
}

void
ofproto_monitor_ofconn_closed(struct ofproto *p, struct ofconn *ofconn)
{
    struct fm_conn *fc = fm_conn_find(p, ofconn);
    if (fc) {
        fm_conn_destroy(fc);
    }
    if (p->fm_origin == ofconn) {
        p->fm_origin = NULL;
    }
}

void
ofproto_monitor_destroy(struct ofproto *p)
{
    struct fm_conn *fc, *next;
    VS_LIST_FOR_EACH_SAFE (fc, next, node, &p->monitor_conns) {
        fm_conn_destroy(fc);
    }
}

void
ofproto_monitor_set_pause_limit(struct ofproto *p, size_t bytes)
{
    p->fm_pause_limit = bytes ? bytes : OFPROTO_MONITOR_PAUSE_LIMIT;
}
