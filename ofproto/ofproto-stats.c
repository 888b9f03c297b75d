/* ofproto's answers to multipart (stats) requests and the queue config
 * request: descriptions, flow and aggregate stats, tables and their
 * features, ports, queues (from struct ofproto_queue_ops), groups and meters.  Every reply is built
 * with the lib/ofp-* encoders and split at 64 kB with the ofpmp helpers;
 * requests that do not decode get the decoder's error. */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "connmgr.h"
#include "ofp-nx.h"         /* NXST_FLOW / NXST_AGGREGATE. */
#include "ofp-buf.h"
#include "ofp-msgs.h"
#include "ofp-queue.h"
#include "ofp-table.h"
#include "ofproto/ofproto-provider.h"
#include "ofproto/ofproto-txn.h"
#include "ofproto/rule-dump-cache.h"
#include "timeval.h"
#include "util.h"

/* Sends every reply built in 'r' (fixing the last one's length) and frees
 * 'r'. */
static void
send_replies(struct ofconn *ofconn, struct ofpmp_replies *r)
{
    ofpmsg_update_length(ofpmp_last(r));
    for (size_t i = 0; i < r->n; i++) {
        ofconn_send(ofconn, r->msgs[i]);
    }
    r->n = 0;
    ofpmp_destroy(r);
}

/* Gives the reply being filled room for a whole message, so that a long
 * dump does not grow (and copy) each reply step by step from 1 kB. */
static void
reserve_reply(struct ofpmp_replies *r)
{
    struct ofpbuf *last = ofpmp_last(r);
    if (last->size < OFP_MAX_MSG_LEN) {
        ofpbuf_prealloc_tailroom(last, OFP_MAX_MSG_LEN - last->size + 4096);
    }
}

/* Sends every reply in 'r' but the last, the one still being filled, so
 * that a long dump reaches the peer while the rest is encoded. */
static void
send_full_replies(struct ofconn *ofconn, struct ofpmp_replies *r)
{
    if (r->n > 1) {
        for (size_t i = 0; i + 1 < r->n; i++) {
            ofconn_send(ofconn, r->msgs[i]);
        }
        r->msgs[0] = r->msgs[r->n - 1];
        r->n = 1;
        reserve_reply(r);
    }
}

static void
send_one(struct ofconn *ofconn, struct ofpbuf *msg)
{
    ofpmsg_update_length(msg);
    ofconn_send(ofconn, msg);
}

/* From 'start' to 'now' (time_msec() values) as an OpenFlow duration. */
static void
duration_between(long long start, long long now, uint32_t *sec,
                 uint32_t *nsec)
{
    long long ms = now - start;
    if (ms < 0) {
        ms = 0;
    }
    *sec = ms / 1000;
    *nsec = (ms % 1000) * 1000000;
}

static void
duration_since(long long start, uint32_t *sec, uint32_t *nsec)
{
    duration_between(start, time_msec(), sec, nsec);
}

/* How many rules ahead of the one being encoded a dump prefetches the
 * rule, and (later, once the rule is in the cache) its kept body. */
#define DUMP_PREFETCH_RULE 8
#define DUMP_PREFETCH_BODY 4

static inline void
prefetch_rule(const struct rule *r)
{
    /* The members after the match: priority to the kept body. */
    const char *p = (const char *) &r->cr.priority;
    const char *end = (const char *) (&r->order_idx + 1);
    for (; p < end; p += 64) {
        __builtin_prefetch(p);
    }
}

/* ---- Multipart: switch and flows. ---- */

static void
handle_desc(struct ofproto *p, struct ofconn *ofconn,
            const struct ofp_msg_header *h)
{
    struct ofp_desc_stats ds;
    memset(&ds, 0, sizeof ds);
    snprintf(ds.mfr_desc, sizeof ds.mfr_desc, "The vswitch project");
    snprintf(ds.hw_desc, sizeof ds.hw_desc, "vswitch");
    snprintf(ds.sw_desc, sizeof ds.sw_desc, "%s", PACKAGE_VERSION);
    snprintf(ds.serial_num, sizeof ds.serial_num, "None");
    snprintf(ds.dp_desc, sizeof ds.dp_desc, "%s",
             p->dp_desc ? p->dp_desc : p->name);
    ofconn_send(ofconn, ofp_desc_stats_reply_encode(&ds, h));
}

static enum ofperr
collect_for_stats(const struct ofproto *p,
                  const struct ofp_flow_stats_request *rq,
                  struct rule ***rules, size_t *n)
{
    if (rq->table_id != OFPTT_ALL && rq->table_id >= OFPROTO_N_TABLES) {
        return OFPERR_OFPBRC_BAD_TABLE_ID;
    }
    struct rule_criteria c = {
        .table_id = rq->table_id, .match = &rq->match,
        .cookie = rq->cookie, .cookie_mask = rq->cookie_mask,
        .out_port = rq->out_port, .out_group = rq->out_group,
    };
    *rules = ofproto_collect_rules(p, &c, n);
    return 0;
}

/* The aggregate of 'n' rules. */
static struct ofp_aggregate_stats
rules_aggregate(struct rule **rules, size_t n)
{
    struct ofp_aggregate_stats agg = { 0, 0, n };
    for (size_t i = 0; i < n; i++) {
        agg.packet_count += rules[i]->packet_count;
        agg.byte_count += rules[i]->byte_count;
    }
    return agg;
}

/* The scalar members of a flow stats entry for 'r' at time 'now' (the
 * match and the actions are encoded straight from the rule). */
static void
flow_stats_from_rule(struct ofp_flow_stats *fs, const struct rule *r,
                     long long now)
{
    fs->table_id = r->table_id;
    fs->priority = r->cr.priority;
    fs->idle_timeout = r->idle_timeout;
    fs->hard_timeout = r->hard_timeout;
    fs->flags = r->flags;
    duration_between(r->created, now, &fs->duration_sec, &fs->duration_nsec);
    fs->cookie = r->cookie;
    fs->packet_count = r->packet_count;
    fs->byte_count = r->byte_count;
}

/* How an aggregate reply is encoded: OpenFlow's or Nicira's. */
typedef struct ofpbuf *aggregate_encode_func(const struct ofp_msg_header *,
                                             const struct ofp_aggregate_stats *);

/* Collects the rules flow stats request 'rq' names into '*rules' (n in
 * '*n', to free).  An aggregate request is answered here, with
 * 'aggregate_encode', and leaves '*rules' NULL. */
static enum ofperr
flow_stats_collect(struct ofproto *p, struct ofconn *ofconn,
                   const struct ofp_flow_stats_request *rq,
                   const struct ofp_msg_header *h,
                   aggregate_encode_func *aggregate_encode,
                   struct rule ***rules, size_t *n)
{
    enum ofperr error = collect_for_stats(p, rq, rules, n);
    if (error || !rq->aggregate) {
        return error;
    }
    struct ofp_aggregate_stats agg = rules_aggregate(*rules, *n);
    free(*rules);
    *rules = NULL;
    ofconn_send(ofconn, aggregate_encode(h, &agg));
    return 0;
}

static enum ofperr
handle_flow_stats(struct ofproto *p, struct ofconn *ofconn, const void *msg,
                  size_t len, const struct ofp_msg_header *h)
{
    struct ofp_flow_stats_request rq;
    struct rule **rules;
    size_t n;
    enum ofperr error = ofp_flow_stats_request_decode(msg, len, &rq);
    if (!error) {
        error = flow_stats_collect(p, ofconn, &rq, h,
                                   ofp_aggregate_stats_reply_encode,
                                   &rules, &n);
    }
    if (error || rq.aggregate) {
        return error;
    }

    struct ofpmp_replies replies;
    ofpmp_init(&replies, OFPTYPE_FLOW_STATS_REPLY, h);
    /* Only the scalar members are filled in per rule: the match and the
     * actions are encoded straight from the rule. */
    struct ofp_flow_stats fs;
    memset(&fs, 0, sizeof fs);
    if (n > 16) {
        reserve_reply(&replies);
    }
    bool cacheable = ofp_flow_stats_body_cacheable(h->version);
    /* One clock reading for the whole dump, not one per rule. */
    long long now = time_msec();
    for (size_t i = 0; i < n; i++) {
        if (i + DUMP_PREFETCH_RULE < n) {
            prefetch_rule(rules[i + DUMP_PREFETCH_RULE]);
        }
        if (i + DUMP_PREFETCH_BODY < n) {
            const uint8_t *body = rules[i + DUMP_PREFETCH_BODY]->dump_body;
            if (body) {
                __builtin_prefetch(body);
                __builtin_prefetch(body + 64);
            }
        }
        struct rule *r = rules[i];
        flow_stats_from_rule(&fs, r, now);

        struct ofpbuf *last = ofpmp_last(&replies);
        size_t start = last->size;
        size_t body_len;
        const uint8_t *body = rule_dump_cache_get(r, h->version, &body_len);
        if (body) {
            ofp_flow_stats_append_body(last, h->version, &fs, body,
                                       body_len);
        } else if (ofp_flow_stats_append_rule(last, h->version, &fs,
                                              &r->cr.match, &r->ofpacts)) {
            /* This version cannot express the flow (e.g. an OF1.3 match
             * to an OF1.0 controller): leave it out. */
            last->size = start;
            continue;
        } else if (cacheable) {
            /* Keep the body for the next dump in this version. */
            size_t ofs = start + OFP11_FLOW_STATS_HEADER_LEN;
            rule_dump_cache_keep(r, h->version, last->data + ofs,
                                 last->size - ofs);
        }
        ofpmp_postappend(&replies, start);
        send_full_replies(ofconn, &replies);
    }
    free(rules);
    send_replies(ofconn, &replies);
    return 0;
}

/* Whole seconds from 'then' to 'now' (time_msec() values). */
static int
age_sec(long long then, long long now)
{
    return now > then ? (now - then) / 1000 : 0;
}

enum ofperr
ofproto_nx_flow_stats(struct ofproto *p, struct ofconn *ofconn,
                      const void *msg, size_t len,
                      const struct ofp_msg_header *h)
{
    struct ofp_flow_stats_request rq;
    struct rule **rules;
    size_t n;
    enum ofperr error = nx_flow_stats_request_decode(msg, len, &rq);
    if (!error) {
        error = flow_stats_collect(p, ofconn, &rq, h,
                                   nx_aggregate_stats_reply_encode,
                                   &rules, &n);
    }
    if (error || rq.aggregate) {
        return error;
    }

    struct ofpmp_replies replies;
    nx_stats_replies_init(&replies, NXST_FLOW, h);
    struct ofp_flow_stats fs;
    memset(&fs, 0, sizeof fs);
    long long now = time_msec();
    for (size_t i = 0; i < n; i++) {
        struct rule *r = rules[i];
        flow_stats_from_rule(&fs, r, now);   /* NXST_FLOW has no flags. */

        struct ofpbuf *last = ofpmp_last(&replies);
        size_t start = last->size;
        nx_flow_stats_append_rule(last, &fs, &r->cr.match, &r->ofpacts,
                                  age_sec(r->used, now),
                                  age_sec(r->modified, now));
        ofpmp_postappend(&replies, start);
        send_full_replies(ofconn, &replies);
    }
    free(rules);
    send_replies(ofconn, &replies);
    return 0;
}

static void
handle_table_stats(struct ofproto *p, struct ofconn *ofconn,
                   const struct ofp_msg_header *h)
{
    struct ofpmp_replies replies;
    ofpmp_init(&replies, OFPTYPE_TABLE_STATS_REPLY, h);
    for (size_t t = 0; t < OFPROTO_N_TABLES; t++) {
        struct ofp_table_stats ts = {
            .table_id = t,
            /* Hidden flows are not the controller's business. */
            .active_count = (classifier_count(&p->tables[t].cls)
                             - p->tables[t].n_hidden),
            .lookup_count = p->tables[t].lookup_count,
            .matched_count = p->tables[t].matched_count,
        };
        struct ofpbuf *last = ofpmp_last(&replies);
        size_t start = last->size;
        ofp_table_stats_append(last, h->version, &ts);
        ofpmp_postappend(&replies, start);
    }
    send_replies(ofconn, &replies);
}

/* OF1.4 table descriptions: each table's eviction setting, from a
 * table_mod or the database (Flow_Table overflow_policy=evict). */
static void
handle_table_desc(struct ofproto *p, struct ofconn *ofconn,
                  const struct ofp_msg_header *h)
{
    struct ofpmp_replies replies;
    ofpmp_init(&replies, OFPTYPE_TABLE_DESC_STATS_REPLY, h);
    for (size_t t = 0; t < OFPROTO_N_TABLES; t++) {
        const struct oftable *table = &p->tables[t];
        uint32_t config = table->config | (table->evict ? OFPTC_EVICTION : 0);
        struct ofpbuf *last = ofpmp_last(&replies);
        size_t start = last->size;
        ofp_table_desc_put(last, t, config);
        ofpmp_postappend(&replies, start);
    }
    send_replies(ofconn, &replies);
}

static enum ofperr
handle_table_features(struct ofproto *p, struct ofconn *ofconn,
                      const void *msg, size_t len,
                      const struct ofp_msg_header *h)
{
    if (!ofp_table_features_request_is_query(msg, len)) {
        return OFPERR_OFPTFFC_EPERM;
    }
    struct ofp_table_features *tf = xcalloc(OFPROTO_N_TABLES, sizeof *tf);
    for (size_t t = 0; t < OFPROTO_N_TABLES; t++) {
        tf[t].table_id = t;
        snprintf(tf[t].name, sizeof tf[t].name, "%s",
                 p->tables[t].name ? p->tables[t].name : "");
        if (!p->tables[t].name) {
            snprintf(tf[t].name, sizeof tf[t].name, "table%zu", t);
        }
        tf[t].metadata_match = UINT64_MAX;
        tf[t].metadata_write = UINT64_MAX;
        tf[t].max_entries = p->tables[t].flow_limit ? p->tables[t].flow_limit
                                                    : 1000000;
        tf[t].n_tables = OFPROTO_N_TABLES;
    }
    struct ofpbuf **msgs;
    size_t n = ofp_table_features_reply_encode(h, tf, OFPROTO_N_TABLES, &msgs);
    for (size_t i = 0; i < n; i++) {
        ofconn_send(ofconn, msgs[i]);
    }
    free(msgs);
    free(tf);
    return 0;
}

/* ---- Multipart: ports and queues. ---- */

static enum ofperr
handle_port_stats(struct ofproto *p, struct ofconn *ofconn, const void *msg,
                  size_t len, const struct ofp_msg_header *h)
{
    uint32_t port_no;
    enum ofperr error = ofp_port_stats_request_decode(msg, len, &port_no);
    if (error) {
        return error;
    }
    struct ofpmp_replies replies;
    ofpmp_init(&replies, OFPTYPE_PORT_STATS_REPLY, h);
    size_t n;
    const struct ofp_port **ports = ofproto_ports(p, &n);
    for (size_t i = 0; i < n; i++) {
        if (port_no != OFPP_ANY && ports[i]->port_no != port_no) {
            continue;
        }
        struct ofp_port_stats ps;
        memset(&ps, 0, sizeof ps);
        if (p->dp_ops && p->dp_ops->port_stats) {
            p->dp_ops->port_stats(p->dp_aux, ports[i]->port_no, &ps);
        }
        ps.port_no = ports[i]->port_no;
        struct ofpbuf *last = ofpmp_last(&replies);
        size_t start = last->size;
        ofp_port_stats_append(last, h->version, &ps);
        ofpmp_postappend(&replies, start);
    }
    free(ports);
    send_replies(ofconn, &replies);
    return 0;
}

static void
handle_port_desc(struct ofproto *p, struct ofconn *ofconn,
                 const struct ofp_msg_header *h)
{
    struct ofpmp_replies replies;
    ofpmp_init(&replies, OFPTYPE_PORT_DESC_STATS_REPLY, h);
    size_t n;
    const struct ofp_port **ports = ofproto_ports(p, &n);
    for (size_t i = 0; i < n; i++) {
        struct ofpbuf *last = ofpmp_last(&replies);
        size_t start = last->size;
        ofp_port_put(last, ports[i], h->version);
        ofpmp_postappend(&replies, start);
    }
    free(ports);
    send_replies(ofconn, &replies);
}

void
ofproto_set_queue_ops(struct ofproto *p, const struct ofproto_queue_ops *ops,
                      void *aux)
{
    p->queue_ops = ops;
    p->queue_aux = aux;
}

int
ofproto_queue_dscp(struct ofproto *p, uint32_t port_no, uint32_t queue_id)
{
    const struct ofp_port *port = ofproto_port_get(p, port_no);
    struct ofproto_queue *q;
    uint64_t rate;
    int dscp = -1;

    if (!p->queue_ops || !port || port_no == OFPP_LOCAL) {
        return -1;
    }
    size_t n = p->queue_ops->port_queues(p->queue_aux, port->name, false, &q,
                                         &rate);
    for (size_t i = 0; i < n; i++) {
        if (q[i].queue_id == queue_id) {
            dscp = q[i].dscp;
        }
    }
    free(q);
    return dscp;
}

void
ofproto_queues_changed(struct ofproto *p)
{
    ofproto_changed(p);
}

/* Queues of 'port' (see struct ofproto_queue_ops); none without ops. */
static size_t
port_queues(struct ofproto *p, const struct ofp_port *port, bool stats,
            struct ofproto_queue **queues, uint64_t *port_rate)
{
    *queues = NULL;
    *port_rate = 0;
    if (!p->queue_ops || port->port_no == OFPP_LOCAL) {
        return 0;
    }
    return p->queue_ops->port_queues(p->queue_aux, port->name, stats, queues,
                                     port_rate);
}

static enum ofperr
handle_queue_stats(struct ofproto *p, struct ofconn *ofconn, const void *msg,
                   size_t len, const struct ofp_msg_header *h)
{
    uint32_t port_no, queue_id;
    enum ofperr error = ofp_queue_stats_request_decode(msg, len, &port_no,
                                                       &queue_id);
    if (error) {
        return error;
    }
    if (port_no != OFPP_ANY && !ofproto_port_get(p, port_no)) {
        return OFPERR_OFPQOFC_BAD_PORT;
    }
    struct ofpmp_replies replies;
    ofpmp_init(&replies, OFPTYPE_QUEUE_STATS_REPLY, h);
    size_t n, n_found = 0;
    const struct ofp_port **ports = ofproto_ports(p, &n);
    long long now = time_msec();
    for (size_t i = 0; i < n; i++) {
        if (port_no != OFPP_ANY && ports[i]->port_no != port_no) {
            continue;
        }
        struct ofproto_queue *q;
        uint64_t rate;
        size_t n_q = port_queues(p, ports[i], true, &q, &rate);
        for (size_t j = 0; j < n_q; j++) {
            if (queue_id != OFPQ_ALL && q[j].queue_id != queue_id) {
                continue;
            }
            struct ofp_queue_stats qs = {
                .port_no = ports[i]->port_no, .queue_id = q[j].queue_id,
                .tx_bytes = q[j].tx_bytes, .tx_packets = q[j].tx_packets,
                .tx_errors = q[j].tx_errors,
            };
            duration_between(q[j].created, now, &qs.duration_sec,
                             &qs.duration_nsec);
            struct ofpbuf *last = ofpmp_last(&replies);
            size_t start = last->size;
            ofp_queue_stats_append(last, h->version, &qs);
            ofpmp_postappend(&replies, start);
            n_found++;
        }
        free(q);
    }
    free(ports);
    /* A queue asked for by number that no port (of those asked) has. */
    if (queue_id != OFPQ_ALL && !n_found) {
        ofpmp_destroy(&replies);
        return OFPERR_OFPQOFC_BAD_QUEUE;
    }
    send_replies(ofconn, &replies);
    return 0;
}

/* A rate in bit/s as OpenFlow wants it: tenths of a percent of the port's
 * maximum rate. */
static uint16_t
rate_permille(uint64_t rate, uint64_t port_rate)
{
    if (!rate || !port_rate) {
        return OFPQ_RATE_NONE;
    }
    uint64_t r = (rate * 1000 + port_rate / 2) / port_rate;
    return r > 1000 ? 1000 : r;
}

/* Appends the queues of every port 'port_no' selects (and queue
 * 'queue_id', OFPQ_ALL for all) to 'b' (OF1.0-1.3), or to 'r' (OF1.4+). */
static size_t
put_queue_descs(struct ofproto *p, uint32_t port_no, uint32_t queue_id,
                uint8_t version, struct ofpbuf *b, struct ofpmp_replies *r)
{
    size_t n, n_found = 0;
    const struct ofp_port **ports = ofproto_ports(p, &n);
    for (size_t i = 0; i < n; i++) {
        if (port_no != OFPP_ANY && ports[i]->port_no != port_no) {
            continue;
        }
        struct ofproto_queue *q;
        uint64_t rate;
        size_t n_q = port_queues(p, ports[i], false, &q, &rate);
        for (size_t j = 0; j < n_q; j++) {
            if (queue_id != OFPQ_ALL && q[j].queue_id != queue_id) {
                continue;
            }
            struct ofp_queue_desc qd = {
                .port_no = ports[i]->port_no, .queue_id = q[j].queue_id,
                .min_rate = rate_permille(q[j].min_rate, rate),
                .max_rate = rate_permille(q[j].max_rate, rate),
            };
            if (r) {
                struct ofpbuf *last = ofpmp_last(r);
                size_t start = last->size;
                ofp_queue_desc_append(last, version, &qd);
                ofpmp_postappend(r, start);
            } else {
                ofp_queue_desc_append(b, version, &qd);
            }
            n_found++;
        }
        free(q);
    }
    free(ports);
    return n_found;
}

/* OFPT_QUEUE_GET_CONFIG_REQUEST (OF1.0-1.3) and OFPMP_QUEUE_DESC (OF1.4+):
 * the configured queues with their rates. */
static enum ofperr
handle_queue_get_config(struct ofproto *p, struct ofconn *ofconn,
                        const void *msg, size_t len,
                        const struct ofp_msg_header *h)
{
    uint32_t port_no, queue_id;
    enum ofperr error = ofp_queue_desc_request_decode(msg, len, &port_no,
                                                      &queue_id);
    if (error) {
        return error;
    }
    if (port_no != OFPP_ANY && !ofproto_port_get(p, port_no)) {
        return OFPERR_OFPQOFC_BAD_PORT;
    }
    if (h->type == OFPTYPE_QUEUE_DESC_STATS_REQUEST) {
        struct ofpmp_replies replies;
        ofpmp_init(&replies, OFPTYPE_QUEUE_DESC_STATS_REPLY, h);
        if (!put_queue_descs(p, port_no, queue_id, h->version, NULL, &replies)
            && queue_id != OFPQ_ALL) {
            ofpmp_destroy(&replies);
            return OFPERR_OFPQOFC_BAD_QUEUE;
        }
        send_replies(ofconn, &replies);
        return 0;
    }
    /* OF1.0 has no OFPP_ANY: its reply names the port asked for. */
    struct ofpbuf *reply = ofp_queue_get_config_reply_start(h, port_no);
    put_queue_descs(p, port_no, OFPQ_ALL, h->version, reply, NULL);
    send_one(ofconn, reply);
    return 0;
}

/* ---- Multipart: groups. ---- */

static enum ofperr
handle_group_stats(struct ofproto *p, struct ofconn *ofconn, const void *msg,
                   size_t len, const struct ofp_msg_header *h)
{
    uint32_t group_id;
    enum ofperr error = ofp_group_stats_request_decode(msg, len, &group_id);
    if (error) {
        return error;
    }
    struct ofpmp_replies replies;
    ofpmp_init(&replies, OFPTYPE_GROUP_STATS_REPLY, h);
    size_t n;
    struct ofgroup **groups = ofproto_groups_sorted(p, &n);
    uint32_t *ids = xcalloc(n + 1, sizeof *ids);
    uint32_t *refs = xcalloc(n + 1, sizeof *refs);
    for (size_t i = 0; i < n; i++) {
        ids[i] = groups[i]->group_id;
    }
    ofproto_count_refs(p, OFPACT_GROUP, ids, n, refs);
    for (size_t i = 0; i < n; i++) {
        const struct ofgroup *g = groups[i];
        if (group_id != OFPG_ALL && g->group_id != group_id) {
            continue;
        }
        struct ofp_group_stats gs;
        memset(&gs, 0, sizeof gs);
        gs.group_id = g->group_id;
        gs.ref_count = refs[i];
        gs.packet_count = g->packet_count;
        gs.byte_count = g->byte_count;
        duration_since(g->created, &gs.duration_sec, &gs.duration_nsec);
        gs.n_buckets = g->n_buckets;
        gs.bucket_packets = xcalloc(g->n_buckets + 1, sizeof (uint64_t));
        gs.bucket_bytes = xcalloc(g->n_buckets + 1, sizeof (uint64_t));
        for (size_t b = 0; b < g->n_buckets; b++) {
            gs.bucket_packets[b] = g->buckets[b].packet_count;
            gs.bucket_bytes[b] = g->buckets[b].byte_count;
        }
        struct ofpbuf *last = ofpmp_last(&replies);
        size_t start = last->size;
        ofp_group_stats_append(last, &gs);
        ofpmp_postappend(&replies, start);
        ofp_group_stats_uninit(&gs);
    }
    free(ids);
    free(refs);
    free(groups);
    send_replies(ofconn, &replies);
    return 0;
}

static void
handle_group_desc(struct ofproto *p, struct ofconn *ofconn, const void *msg,
                  size_t len, const struct ofp_msg_header *h)
{
    /* OF1.5 asks for one group (or OFPG_ALL); earlier versions for all. */
    uint32_t group_id = OFPG_ALL;
    struct ofp_msg_header h2;
    struct ofpbuf body;
    if (h->version >= OFP15_VERSION
        && !ofptype_decode(msg, len, &h2, &body) && body.size >= 4) {
        group_id = get_be32(body.data);
    }
    struct ofpmp_replies replies;
    ofpmp_init(&replies, OFPTYPE_GROUP_DESC_STATS_REPLY, h);
    size_t n;
    struct ofgroup **groups = ofproto_groups_sorted(p, &n);
    for (size_t i = 0; i < n; i++) {
        if (group_id != OFPG_ALL && groups[i]->group_id != group_id) {
            continue;
        }
        struct ofp_group_mod gm;
        ofgroup_to_group_mod(groups[i], &gm);
        struct ofpbuf *last = ofpmp_last(&replies);
        size_t start = last->size;
        if (ofp_group_desc_append(last, h->version, &gm)) {
            last->size = start;
        } else {
            ofpmp_postappend(&replies, start);
        }
        ofp_group_mod_uninit(&gm);
    }
    free(groups);
    send_replies(ofconn, &replies);
}

/* OF1.3 action types (bit numbers) a bucket may hold. */
static uint32_t
supported_group_actions(void)
{
    static const int types[] = {
        0 /* output */, 11 /* copy_ttl_out */, 12 /* copy_ttl_in */,
        15 /* set_mpls_ttl */, 16 /* dec_mpls_ttl */, 17 /* push_vlan */,
        18 /* pop_vlan */, 19 /* push_mpls */, 20 /* pop_mpls */,
        21 /* set_queue */, 22 /* group */, 23 /* set_nw_ttl */,
        24 /* dec_nw_ttl */, 25 /* set_field */,
    };
    uint32_t bits = 0;
    for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
        bits |= 1u << types[i];
    }
    return bits;
}

static void
handle_group_features(struct ofconn *ofconn, const struct ofp_msg_header *h)
{
    struct ofp_group_features gf;
    memset(&gf, 0, sizeof gf);
    gf.types = ((1u << OFPGT_ALL) | (1u << OFPGT_SELECT)
                | (1u << OFPGT_INDIRECT) | (1u << OFPGT_FF));
    /* select_weight, select_liveness, chaining, chaining_checks. */
    gf.capabilities = 1 | 2 | 4 | 8;
    for (size_t i = 0; i < 4; i++) {
        gf.max_groups[i] = OFPROTO_MAX_GROUPS;
        gf.actions[i] = supported_group_actions();
    }
    ofconn_send(ofconn, ofp_group_features_reply_encode(&gf, h));
}

/* ---- Multipart: meters. ---- */

static enum ofperr
handle_meter_stats(struct ofproto *p, struct ofconn *ofconn, const void *msg,
                   size_t len, const struct ofp_msg_header *h, bool config)
{
    uint32_t meter_id;
    enum ofperr error = ofp_meter_request_decode(msg, len, &meter_id);
    if (error) {
        return error;
    }
    struct ofpmp_replies replies;
    ofpmp_init(&replies, config ? OFPTYPE_METER_CONFIG_STATS_REPLY
                                : OFPTYPE_METER_STATS_REPLY, h);
    size_t n;
    struct ofmeter **meters = ofproto_meters_sorted(p, &n);
    uint32_t *ids = xcalloc(n + 1, sizeof *ids);
    uint32_t *refs = xcalloc(n + 1, sizeof *refs);
    for (size_t i = 0; i < n; i++) {
        ids[i] = meters[i]->meter_id;
    }
    if (!config) {
        ofproto_count_refs(p, OFPACT_METER, ids, n, refs);
    }
    for (size_t i = 0; i < n; i++) {
        const struct ofmeter *m = meters[i];
        if (meter_id != OFPM_ALL && m->meter_id != meter_id) {
            continue;
        }
        struct ofpbuf *last = ofpmp_last(&replies);
        size_t start = last->size;
        if (config) {
            struct ofp_meter_mod mm;
            ofmeter_to_meter_mod(m, &mm);
            ofp_meter_config_append(last, &mm);
            ofp_meter_mod_uninit(&mm);
        } else {
            struct ofp_meter_stats ms;
            memset(&ms, 0, sizeof ms);
            ms.meter_id = m->meter_id;
            ms.flow_count = refs[i];
            ms.packet_in_count = m->packet_count;
            ms.byte_in_count = m->byte_count;
            duration_since(m->created, &ms.duration_sec, &ms.duration_nsec);
            ms.n_bands = MIN(m->n_bands, ARRAY_SIZE(ms.band_packets));
            for (size_t b = 0; b < ms.n_bands; b++) {
                ms.band_packets[b] = m->bands[b].packet_count;
                ms.band_bytes[b] = m->bands[b].byte_count;
            }
            ofp_meter_stats_append(last, &ms);
        }
        ofpmp_postappend(&replies, start);
    }
    free(ids);
    free(refs);
    free(meters);
    send_replies(ofconn, &replies);
    return 0;
}

static void
handle_meter_features(struct ofconn *ofconn, const struct ofp_msg_header *h)
{
    struct ofp_meter_features mf = {
        .max_meter = OFPROTO_MAX_METERS,
        .band_types = (1u << OFPMBT_DROP) | (1u << OFPMBT_DSCP_REMARK),
        .capabilities = OFPMF_KBPS | OFPMF_PKTPS | OFPMF_BURST | OFPMF_STATS,
        .max_bands = OFPROTO_MAX_BANDS,
        .max_color = 0,
    };
    ofconn_send(ofconn, ofp_meter_features_reply_encode(&mf, h));
}

/* ---- Dispatch. ---- */

bool
ofproto_is_stats_request(enum ofptype type)
{
    switch (type) {
    case OFPTYPE_DESC_STATS_REQUEST:
    case OFPTYPE_FLOW_STATS_REQUEST:
    case OFPTYPE_AGGREGATE_STATS_REQUEST:
    case OFPTYPE_TABLE_STATS_REQUEST:
    case OFPTYPE_TABLE_FEATURES_STATS_REQUEST:
    case OFPTYPE_TABLE_DESC_STATS_REQUEST:
    case OFPTYPE_PORT_STATS_REQUEST:
    case OFPTYPE_PORT_DESC_STATS_REQUEST:
    case OFPTYPE_QUEUE_STATS_REQUEST:
    case OFPTYPE_QUEUE_GET_CONFIG_REQUEST:
    case OFPTYPE_QUEUE_DESC_STATS_REQUEST:
    case OFPTYPE_GROUP_STATS_REQUEST:
    case OFPTYPE_GROUP_DESC_STATS_REQUEST:
    case OFPTYPE_GROUP_FEATURES_STATS_REQUEST:
    case OFPTYPE_METER_STATS_REQUEST:
    case OFPTYPE_METER_CONFIG_STATS_REQUEST:
    case OFPTYPE_METER_FEATURES_STATS_REQUEST:
        return true;
    default:
        return false;
    }
}

enum ofperr
ofproto_handle_stats_request(struct ofproto *p, struct ofconn *ofconn,
                             const void *msg, size_t len,
                             const struct ofp_msg_header *h)
{
    switch (h->type) {
    case OFPTYPE_DESC_STATS_REQUEST:
        handle_desc(p, ofconn, h);
        return 0;
    case OFPTYPE_FLOW_STATS_REQUEST:
    case OFPTYPE_AGGREGATE_STATS_REQUEST:
        return handle_flow_stats(p, ofconn, msg, len, h);
    case OFPTYPE_TABLE_STATS_REQUEST:
        handle_table_stats(p, ofconn, h);
        return 0;
    case OFPTYPE_TABLE_FEATURES_STATS_REQUEST:
        return handle_table_features(p, ofconn, msg, len, h);
    case OFPTYPE_TABLE_DESC_STATS_REQUEST:
        handle_table_desc(p, ofconn, h);
        return 0;
    case OFPTYPE_PORT_STATS_REQUEST:
        return handle_port_stats(p, ofconn, msg, len, h);
    case OFPTYPE_PORT_DESC_STATS_REQUEST:
        handle_port_desc(p, ofconn, h);
        return 0;
    case OFPTYPE_QUEUE_STATS_REQUEST:
        return handle_queue_stats(p, ofconn, msg, len, h);
    case OFPTYPE_QUEUE_GET_CONFIG_REQUEST:
    case OFPTYPE_QUEUE_DESC_STATS_REQUEST:
        return handle_queue_get_config(p, ofconn, msg, len, h);
    case OFPTYPE_GROUP_STATS_REQUEST:
        return handle_group_stats(p, ofconn, msg, len, h);
    case OFPTYPE_GROUP_DESC_STATS_REQUEST:
        handle_group_desc(p, ofconn, msg, len, h);
        return 0;
    case OFPTYPE_GROUP_FEATURES_STATS_REQUEST:
        handle_group_features(ofconn, h);
        return 0;
    case OFPTYPE_METER_STATS_REQUEST:
        return handle_meter_stats(p, ofconn, msg, len, h, false);
    case OFPTYPE_METER_CONFIG_STATS_REQUEST:
        return handle_meter_stats(p, ofconn, msg, len, h, true);
    case OFPTYPE_METER_FEATURES_STATS_REQUEST:
        handle_meter_features(ofconn, h);
        return 0;

    default:
        return OFPERR_OFPBRC_BAD_TYPE;
    }
}
