/* Unit tests for ofproto: drives the switch through
 * ofproto_handle_openflow() with messages encoded by the lib/ofp-* codecs
 * and checks the replies and errors it sends back.
 *
 * The connection side (connmgr.h) is replaced by the doubles below, which
 * capture what ofproto sends, so these tests do not depend on connmgr. */
#include <config.h>
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ofproto/connmgr.h"
#include "dynamic-string.h"
#include "ofp-buf.h"
#include "ofp-bundle.h"
#include "ofp-monitor.h"
#include "ofp-msgs.h"
#include "ofp-print.h"
#include "ofproto/ofproto-txn.h"
#include "ofp-parse.h"
#include "ofp-table.h"
#include "ofproto/ofproto-provider.h"
#include "ofproto/rule-dump-cache.h"
#include "packets.h"
#include "timeval.h"
#include "util.h"

/* ---- Test doubles for connmgr.h. ---- */

#define MAX_CAPTURED 256

struct ofconn {
    uint8_t version;
    bool may_modify;
    struct ofpbuf *sent[MAX_CAPTURED];
    size_t n_sent;
    size_t backlog;             /* What ofconn_get_backlog() says. */
};

struct connmgr {
    struct ofp_flow_removed removed[MAX_CAPTURED];
    size_t n_removed;
    struct ofp_port_status port_status[MAX_CAPTURED];
    size_t n_port_status;
};

static struct connmgr the_connmgr;

struct connmgr *
connmgr_create(struct ofproto *p VS_UNUSED, const char *name VS_UNUSED,
               const char *mgmt_path VS_UNUSED)
{
    memset(&the_connmgr, 0, sizeof the_connmgr);
    return &the_connmgr;
}

void connmgr_destroy(struct connmgr *mgr VS_UNUSED) {}
void connmgr_run(struct connmgr *mgr VS_UNUSED) {}
void connmgr_wait(struct connmgr *mgr VS_UNUSED) {}
void connmgr_set_versions(struct connmgr *mgr VS_UNUSED,
                          uint32_t allowed VS_UNUSED) {}

void
connmgr_send_flow_removed(struct connmgr *mgr,
                          const struct ofp_flow_removed *fr)
{
    if (mgr->n_removed < MAX_CAPTURED) {
        mgr->removed[mgr->n_removed++] = *fr;
    }
}

void
connmgr_send_port_status(struct connmgr *mgr, const struct ofp_port_status *ps)
{
    if (mgr->n_port_status < MAX_CAPTURED) {
        mgr->port_status[mgr->n_port_status++] = *ps;
    }
}

uint8_t ofconn_get_version(const struct ofconn *c) { return c->version; }
bool ofconn_may_modify(const struct ofconn *c) { return c->may_modify; }
uint16_t ofconn_get_miss_send_len(const struct ofconn *c VS_UNUSED)
{ return 128; }
size_t ofconn_get_backlog(const struct ofconn *c) { return c->backlog; }
bool ofconn_get_flow_mod_table_id(const struct ofconn *c VS_UNUSED)
{ return false; }

void
ofconn_send(struct ofconn *c, struct ofpbuf *msg)
{
    ck_assert_uint_lt(c->n_sent, MAX_CAPTURED);
    c->sent[c->n_sent++] = msg;
}

void
ofconn_send_error(struct ofconn *c, const void *rq, size_t rq_len,
                  enum ofperr error)
{
    uint32_t xid = rq_len >= 8 ? get_be32((const uint8_t *) rq + 4) : 0;
    ofconn_send(c, ofperr_encode(error, c->version, xid, rq,
                                 rq_len < 64 ? rq_len : 64));
}

/* ---- Fixture. ---- */

static struct ofproto *p;
static struct ofconn conn;

/* packet_out double. */
static int n_packet_outs;
static uint32_t last_po_in_port;
static size_t last_po_len;

static enum ofperr
fake_packet_out(void *aux VS_UNUSED, const void *packet VS_UNUSED, size_t len,
                uint32_t in_port, const struct ofpacts *ofpacts VS_UNUSED)
{
    n_packet_outs++;
    last_po_in_port = in_port;
    last_po_len = len;
    return 0;
}

static int
fake_port_stats(void *aux VS_UNUSED, uint32_t port_no,
                struct ofp_port_stats *ps)
{
    ps->rx_packets = port_no * 10;
    ps->tx_bytes = port_no * 1000;
    return 0;
}

static const struct ofproto_dp_ops fake_dp_ops = {
    fake_packet_out, fake_port_stats,
};

static void
clear_sent(void)
{
    for (size_t i = 0; i < conn.n_sent; i++) {
        ofpbuf_delete(conn.sent[i]);
    }
    conn.n_sent = 0;
}

static void
setup(void)
{
    memset(&conn, 0, sizeof conn);
    conn.version = OFP13_VERSION;
    conn.may_modify = true;
    n_packet_outs = 0;
    p = ofproto_create("br0", "/nonexistent/br0.mgmt", &fake_dp_ops, NULL);
}

static void
teardown(void)
{
    clear_sent();
    ofproto_destroy(p);
    p = NULL;
}

/* An empty request of 'type'. */
static struct ofpbuf *
request(enum ofptype type, uint32_t xid)
{
    struct ofpbuf *msg = ofpmsg_alloc(type, conn.version, xid, 0);
    ofpmsg_update_length(msg);
    return msg;
}

/* Hands 'msg' to ofproto (and frees it). */
static void
deliver(struct ofpbuf *msg)
{
    ofproto_handle_openflow(p, &conn, msg->data, msg->size);
    ofpbuf_delete(msg);
}

/* The error in message 'i' sent to 'c', or 0 if it is not an error. */
static enum ofperr
sent_error_of(const struct ofconn *c, size_t i)
{
    ck_assert_uint_lt(i, c->n_sent);
    struct ofp_msg_header h;
    const struct ofpbuf *m = c->sent[i];
    ck_assert_int_eq(ofptype_decode(m->data, m->size, &h, NULL), 0);
    if (h.type != OFPTYPE_ERROR) {
        return 0;
    }
    struct ofp_error_msg em;
    ck_assert_int_eq(ofp_error_decode(m->data, m->size, &em), 0);
    ck_assert_msg(em.error, "undecodable error %u/%u", em.type, em.code);
    return em.error;
}

/* The error in sent message 'i', or 0 if it is not an error. */
static enum ofperr
sent_error(size_t i)
{
    return sent_error_of(&conn, i);
}

/* Sends flow 'spec' with 'command' at the connection's version; returns
 * the error ofproto answered, or 0 if it sent nothing. */
static enum ofperr
flow_mod_v(const char *spec, int command, uint8_t version)
{
    struct ofp_flow_mod fm;
    ofp_flow_mod_init(&fm);
    char *perr = ofp_parse_flow_mod(spec, command, &fm);
    ck_assert_msg(!perr, "parse \"%s\": %s", spec, perr);
    struct ofpbuf *msg;
    ck_assert_int_eq(ofp_flow_mod_encode(&fm, version, 7, &msg), 0);
    ofp_flow_mod_uninit(&fm);
    uint8_t saved = conn.version;
    conn.version = version;
    clear_sent();
    deliver(msg);
    conn.version = saved;
    if (!conn.n_sent) {
        return 0;
    }
    ck_assert_uint_eq(conn.n_sent, 1);
    return sent_error(0);
}

static enum ofperr
flow_mod(const char *spec, int command)
{
    return flow_mod_v(spec, command, conn.version);
}

static void
add_ok(const char *spec)
{
    enum ofperr e = flow_mod(spec, OFPFC_ADD);
    ck_assert_msg(!e, "add \"%s\": %s", spec, ofperr_get_name(e));
}

static size_t
n_flows(void)
{
    size_t n = 0;
    for (size_t t = 0; t < OFPROTO_N_TABLES; t++) {
        n += classifier_count(&p->tables[t].cls);
    }
    return n;
}

/* The one rule with exactly this match and priority in 'table'. */
static struct rule *
find_rule(uint8_t table, const char *match_str, int priority)
{
    struct match m;
    char *perr = ofp_parse_match(match_str, &m, NULL);
    ck_assert_msg(!perr, "%s", perr);
    const struct cls_rule *cr = classifier_find_exactly(&p->tables[table].cls,
                                                        &m, priority);
    return cr ? CONTAINER_OF(cr, struct rule, cr) : NULL;
}

static void
actions_str(const struct rule *r, struct ds *s)
{
    ds_clear(s);
    ofpacts_format(&r->ofpacts, s);
}

static void
ip_flow(struct flow *f, const char *dst)
{
    memset(f, 0, sizeof *f);
    f->dl_type = htobe16(0x0800);
    f->nw_dst = inet_addr(dst);
}

/* Sends a flow stats request and pulls every entry of every reply.
 * Returns the number of entries; '*n_msgs' gets the number of replies. */
static size_t
dump_flows(const char *match_str, uint8_t table_id, uint32_t out_port,
           uint64_t cookie, uint64_t cookie_mask,
           struct ofp_flow_stats *out, size_t max, size_t *n_msgs)
{
    struct ofp_flow_stats_request rq;
    memset(&rq, 0, sizeof rq);
    ck_assert(!ofp_parse_match(match_str, &rq.match, NULL));
    rq.table_id = table_id;
    rq.out_port = out_port;
    rq.out_group = OFPG_ANY;
    rq.cookie = cookie;
    rq.cookie_mask = cookie_mask;
    clear_sent();
    deliver(ofp_flow_stats_request_encode(&rq, conn.version, 9));
    size_t n = 0;
    for (size_t i = 0; i < conn.n_sent; i++) {
        struct ofp_msg_header h;
        struct ofpbuf body;
        const struct ofpbuf *m = conn.sent[i];
        ck_assert_int_eq(ofptype_decode(m->data, m->size, &h, &body), 0);
        ck_assert_int_eq(h.type, OFPTYPE_FLOW_STATS_REPLY);
        ck_assert_uint_eq(h.xid, 9);
        ck_assert_uint_eq(!!(h.mp_flags & OFPSF_REPLY_MORE),
                          i + 1 < conn.n_sent);
        for (;;) {
            struct ofp_flow_stats fs;
            bool done = false;
            memset(&fs, 0, sizeof fs);
            ck_assert_int_eq(ofp_flow_stats_pull(&body, h.version, &fs,
                                                 &done), 0);
            if (done) {
                break;
            }
            if (out && n < max) {
                out[n] = fs;
            } else {
                ofp_flow_stats_uninit(&fs);
            }
            n++;
        }
    }
    if (n_msgs) {
        *n_msgs = conn.n_sent;
    }
    return n;
}

static size_t
count_flows_dumped(const char *match_str)
{
    return dump_flows(match_str, OFPTT_ALL, OFPP_ANY, 0, 0, NULL, 0, NULL);
}

/* ---- Flow tables. ---- */

START_TEST(test_add_then_lookup_finds_highest_priority)
{
    uint64_t v0 = ofproto_get_version(p);
    add_ok("priority=100,ip,nw_dst=10.0.0.1,actions=output:2");
    add_ok("priority=50,ip,actions=output:3");
    ck_assert_uint_gt(ofproto_get_version(p), v0);

    struct flow f;
    struct flow_wildcards wc;
    memset(&wc, 0, sizeof wc);
    ip_flow(&f, "10.0.0.1");
    struct rule *r = ofproto_rule_lookup(p, 0, &f, &wc);
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(r->cr.priority, 100);
    ck_assert_uint_eq(wc.masks.nw_dst, 0xffffffff);
    ip_flow(&f, "10.0.0.2");
    r = ofproto_rule_lookup(p, 0, &f, NULL);
    ck_assert_int_eq(r->cr.priority, 50);
    ck_assert_ptr_null(ofproto_rule_lookup(p, 1, &f, NULL));
}
END_TEST

START_TEST(test_add_identical_replaces_and_keeps_counts_in_of13)
{
    add_ok("priority=10,ip,actions=output:1");
    struct rule *r = find_rule(0, "ip", 10);
    ofproto_rule_credit(r, 5, 500, time_msec());
    add_ok("priority=10,ip,actions=output:2");
    ck_assert_uint_eq(n_flows(), 1);
    r = find_rule(0, "ip", 10);
    struct ds s = DS_EMPTY_INITIALIZER;
    actions_str(r, &s);
    ck_assert_str_eq(ds_cstr(&s), "output:2");
    ck_assert_uint_eq(r->packet_count, 5);
    ck_assert_uint_eq(r->byte_count, 500);

    /* reset_counts clears them. */
    add_ok("priority=10,ip,reset_counts,actions=output:3");
    r = find_rule(0, "ip", 10);
    ck_assert_uint_eq(r->packet_count, 0);

    /* OpenFlow 1.0 replaces the entry with its counters. */
    ofproto_rule_credit(r, 7, 700, time_msec());
    ck_assert_int_eq(flow_mod_v("priority=10,ip,actions=output:4", OFPFC_ADD,
                                OFP10_VERSION), 0);
    r = find_rule(0, "ip", 10);
    ck_assert_uint_eq(r->packet_count, 0);
    ds_destroy(&s);
}
END_TEST

START_TEST(test_modify_nonstrict_strict_and_missing)
{
    add_ok("priority=10,ip,nw_dst=10.0.0.1,cookie=0x1,actions=output:1");
    add_ok("priority=20,ip,nw_dst=10.0.0.2,cookie=0x2,actions=output:1");
    add_ok("priority=30,arp,actions=output:1");
    struct ds s = DS_EMPTY_INITIALIZER;

    /* Non-strict: every IP flow, whatever its priority. */
    ck_assert_int_eq(flow_mod("ip,actions=output:5", OFPFC_MODIFY), 0);
    actions_str(find_rule(0, "ip,nw_dst=10.0.0.1", 10), &s);
    ck_assert_str_eq(ds_cstr(&s), "output:5");
    actions_str(find_rule(0, "ip,nw_dst=10.0.0.2", 20), &s);
    ck_assert_str_eq(ds_cstr(&s), "output:5");
    actions_str(find_rule(0, "arp", 30), &s);
    ck_assert_str_eq(ds_cstr(&s), "output:1");
    /* Modify keeps the cookie in OF1.1+. */
    ck_assert_uint_eq(find_rule(0, "ip,nw_dst=10.0.0.1", 10)->cookie, 1);

    /* Strict: only the exact match and priority. */
    ck_assert_int_eq(flow_mod("priority=20,ip,nw_dst=10.0.0.2,actions=output:6",
                              OFPFC_MODIFY_STRICT), 0);
    actions_str(find_rule(0, "ip,nw_dst=10.0.0.2", 20), &s);
    ck_assert_str_eq(ds_cstr(&s), "output:6");
    actions_str(find_rule(0, "ip,nw_dst=10.0.0.1", 10), &s);
    ck_assert_str_eq(ds_cstr(&s), "output:5");
    ck_assert_int_eq(flow_mod("priority=21,ip,nw_dst=10.0.0.2,actions=output:7",
                              OFPFC_MODIFY_STRICT), 0);
    actions_str(find_rule(0, "ip,nw_dst=10.0.0.2", 20), &s);
    ck_assert_str_eq(ds_cstr(&s), "output:6");

    /* Cookie mask selects. */
    ck_assert_int_eq(flow_mod("cookie=0x2/0xff,actions=output:8",
                              OFPFC_MODIFY), 0);
    actions_str(find_rule(0, "ip,nw_dst=10.0.0.2", 20), &s);
    ck_assert_str_eq(ds_cstr(&s), "output:8");
    actions_str(find_rule(0, "ip,nw_dst=10.0.0.1", 10), &s);
    ck_assert_str_eq(ds_cstr(&s), "output:5");

    /* Modifying nothing adds nothing in OF1.3 but adds in OF1.0. */
    ck_assert_uint_eq(n_flows(), 3);
    ck_assert_int_eq(flow_mod("tcp,actions=output:9", OFPFC_MODIFY), 0);
    ck_assert_uint_eq(n_flows(), 3);
    ck_assert_int_eq(flow_mod_v("tcp,actions=output:9", OFPFC_MODIFY,
                                OFP10_VERSION), 0);
    ck_assert_uint_eq(n_flows(), 4);
    ck_assert_ptr_nonnull(find_rule(0, "tcp", 0x8000));
    ds_destroy(&s);
}
END_TEST

START_TEST(test_delete_filters)
{
    add_ok("table=0,priority=10,ip,nw_dst=10.0.0.1,cookie=0x11,actions=output:1");
    add_ok("table=0,priority=20,ip,nw_dst=10.0.0.2,cookie=0x12,actions=output:2");
    add_ok("table=1,priority=10,ip,cookie=0x21,actions=output:2");
    add_ok("table=2,priority=10,arp,cookie=0x31,actions=output:3");

    /* out_port. */
    ck_assert_int_eq(flow_mod("table=0,ip,out_port=2", OFPFC_DELETE), 0);
    ck_assert_uint_eq(n_flows(), 3);
    ck_assert_ptr_null(find_rule(0, "ip,nw_dst=10.0.0.2", 20));
    /* Strict with the wrong priority deletes nothing. */
    ck_assert_int_eq(flow_mod("table=0,priority=11,ip,nw_dst=10.0.0.1",
                              OFPFC_DELETE_STRICT), 0);
    ck_assert_uint_eq(n_flows(), 3);
    ck_assert_int_eq(flow_mod("table=0,priority=10,ip,nw_dst=10.0.0.1",
                              OFPFC_DELETE_STRICT), 0);
    ck_assert_uint_eq(n_flows(), 2);
    /* Cookie mask across all tables. */
    ck_assert_int_eq(flow_mod("cookie=0x30/0xf0", OFPFC_DELETE), 0);
    ck_assert_uint_eq(n_flows(), 1);
    ck_assert_ptr_nonnull(find_rule(1, "ip", 10));
    /* Delete everything. */
    ck_assert_int_eq(flow_mod("", OFPFC_DELETE), 0);
    ck_assert_uint_eq(n_flows(), 0);
}
END_TEST

START_TEST(test_delete_sends_flow_removed_when_asked)
{
    add_ok("priority=5,ip,send_flow_rem,cookie=0x9,actions=output:1");
    add_ok("priority=6,arp,actions=output:1");
    ck_assert_int_eq(flow_mod("", OFPFC_DELETE), 0);
    ck_assert_uint_eq(the_connmgr.n_removed, 1);
    ck_assert_uint_eq(the_connmgr.removed[0].reason, OFPRR_DELETE);
    ck_assert_uint_eq(the_connmgr.removed[0].cookie, 9);
    ck_assert_uint_eq(the_connmgr.removed[0].priority, 5);
}
END_TEST

START_TEST(test_check_overlap)
{
    add_ok("priority=10,ip,nw_dst=10.0.0.0/24,actions=output:1");
    ck_assert_int_eq(flow_mod("priority=10,ip,nw_src=1.2.3.4,check_overlap,"
                              "actions=output:2", OFPFC_ADD),
                     OFPERR_OFPFMFC_OVERLAP);
    /* Different priority: no overlap. */
    add_ok("priority=11,ip,nw_src=1.2.3.4,check_overlap,actions=output:2");
    /* Disjoint match: no overlap. */
    add_ok("priority=10,arp,check_overlap,actions=output:2");
    ck_assert_uint_eq(n_flows(), 3);
}
END_TEST

START_TEST(test_bad_actions_are_refused)
{
    ck_assert_int_eq(flow_mod("ip,actions=group:99", OFPFC_ADD),
                     OFPERR_OFPBAC_BAD_OUT_GROUP);
    ck_assert_int_eq(flow_mod("ip,actions=meter:3,output:1", OFPFC_ADD),
                     OFPERR_OFPMMFC_INVALID_METER);
    ck_assert_int_eq(flow_mod("table=3,ip,actions=goto_table:2", OFPFC_ADD),
                     OFPERR_OFPBIC_BAD_TABLE_ID);
    /* The parser refuses this too, so build it by hand. */
    struct ofp_flow_mod fm;
    ofp_flow_mod_init(&fm);
    ck_assert(!ofp_parse_flow_mod("arp,actions=output:1", OFPFC_ADD, &fm));
    ofpacts_clear(&fm.ofpacts);
    ofpact_put(&fm.ofpacts, OFPACT_SET_IPV4_DST)->u.ipv4 = htonl(0x01020304);
    ck_assert_int_eq(ofproto_flow_mod(p, &fm),
                     OFPERR_OFPBAC_MATCH_INCONSISTENT);
    ofp_flow_mod_uninit(&fm);
    ck_assert_uint_eq(n_flows(), 0);
}
END_TEST

START_TEST(test_buffer_id_applies_then_errors)
{
    struct ofp_flow_mod fm;
    ofp_flow_mod_init(&fm);
    ck_assert(!ofp_parse_flow_mod("ip,actions=output:1", OFPFC_ADD, &fm));
    fm.buffer_id = 42;
    struct ofpbuf *msg;
    ck_assert_int_eq(ofp_flow_mod_encode(&fm, OFP13_VERSION, 3, &msg), 0);
    ofp_flow_mod_uninit(&fm);
    deliver(msg);
    ck_assert_uint_eq(n_flows(), 1);
    ck_assert_uint_eq(conn.n_sent, 1);
    ck_assert_int_eq(sent_error(0), OFPERR_OFPBRC_BUFFER_UNKNOWN);
}
END_TEST

START_TEST(test_timeouts_expire_and_notify)
{
    add_ok("priority=1,ip,hard_timeout=10,send_flow_rem,actions=output:1");
    add_ok("priority=2,arp,idle_timeout=10,send_flow_rem,actions=output:1");
    add_ok("priority=3,tcp,idle_timeout=10,actions=output:1");
    add_ok("priority=4,udp,actions=output:1");
    ofproto_expire(p);
    ck_assert_uint_eq(n_flows(), 4);

    long long now = time_msec();
    struct rule *hard = find_rule(0, "ip", 1);
    struct rule *idle = find_rule(0, "arp", 2);
    struct rule *quiet = find_rule(0, "tcp", 3);
    hard->modified = now - 11000;
    hard->used = now;               /* Traffic does not save it. */
    idle->used = now - 11000;
    quiet->used = now - 9000;       /* Not idle long enough. */
    ofproto_expire(p);
    ck_assert_uint_eq(n_flows(), 2);
    ck_assert_uint_eq(the_connmgr.n_removed, 2);
    int reasons = 0;
    for (size_t i = 0; i < 2; i++) {
        reasons |= 1 << the_connmgr.removed[i].reason;
    }
    ck_assert_int_eq(reasons, (1 << OFPRR_HARD_TIMEOUT)
                              | (1 << OFPRR_IDLE_TIMEOUT));

    /* ofproto_run() checks timeouts too, at most every 250 ms. */
    add_ok("priority=5,sctp,hard_timeout=1,actions=output:1");
    find_rule(0, "sctp", 5)->modified = now - 2000;
    p->next_expiry_check = 0;
    ofproto_run(p);
    ck_assert_ptr_null(find_rule(0, "sctp", 5));
    ck_assert_int_gt(p->next_expiry_check, now);

    /* Crediting the rule keeps it alive; without send_flow_rem no
     * message when it goes. */
    ofproto_rule_credit(quiet, 1, 60, now);
    quiet->created -= 20000;
    ofproto_expire(p);
    ck_assert_uint_eq(n_flows(), 2);
    quiet->used = now - 10001;
    ofproto_expire(p);
    ck_assert_uint_eq(n_flows(), 1);
    ck_assert_uint_eq(the_connmgr.n_removed, 2);
}
END_TEST

START_TEST(test_table_full_and_eviction)
{
    conn.version = OFP14_VERSION;       /* Importance is OF1.4+. */
    ofproto_set_table_config(p, 0, "small", 2, false);
    add_ok("priority=1,ip,actions=output:1");
    add_ok("priority=2,ip,importance=5,actions=output:1");
    ck_assert_int_eq(flow_mod("priority=3,ip,actions=output:1", OFPFC_ADD),
                     OFPERR_OFPFMFC_TABLE_FULL);
    /* Replacing an existing flow is not growth. */
    add_ok("priority=2,ip,importance=5,actions=output:2");
    /* Another table is not full. */
    add_ok("table=1,priority=3,ip,actions=output:1");

    ofproto_set_table_config(p, 0, "small", 2, true);
    add_ok("priority=3,ip,importance=9,actions=output:1");
    ck_assert_uint_eq(classifier_count(&p->tables[0].cls), 2);
    ck_assert_ptr_null(find_rule(0, "ip", 1));

    /* Lowering the limit evicts at once, least important first. */
    ofproto_set_table_config(p, 0, "small", 1, true);
    ck_assert_uint_eq(classifier_count(&p->tables[0].cls), 1);
    ck_assert_ptr_nonnull(find_rule(0, "ip", 3));
}
END_TEST

START_TEST(test_hidden_flows_are_invisible_to_controllers)
{
    ck_assert_int_eq(ofproto_set_internal_flow(p, "", OFPROTO_FAIL_OPEN_PRIORITY,
                                               "NORMAL"), 0);
    add_ok("priority=10,ip,actions=output:1");
    ck_assert_uint_eq(count_flows_dumped(""), 1);
    struct ds s = DS_EMPTY_INITIALIZER;
    ofproto_dump_flows(p, true, &s);
    ck_assert_str_eq(ds_cstr(&s),
                     "duration=0s, n_packets=0, n_bytes=0, "
                     "priority=15790320,actions=NORMAL\n"
                     "duration=0s, n_packets=0, n_bytes=0, "
                     "priority=10,ip,actions=output:1\n");
    ck_assert_int_eq(flow_mod("", OFPFC_DELETE), 0);
    ck_assert_uint_eq(n_flows(), 1);

    struct flow f;
    ip_flow(&f, "1.1.1.1");
    struct rule *r = ofproto_rule_lookup(p, 0, &f, NULL);
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(r->cr.priority, OFPROTO_FAIL_OPEN_PRIORITY);

    ds_clear(&s);
    ofproto_dump_flows(p, true, &s);
    ck_assert_str_eq(ds_cstr(&s), "duration=0s, n_packets=0, n_bytes=0, "
                     "priority=15790320,actions=NORMAL\n");
    ds_clear(&s);
    ofproto_dump_flows(p, false, &s);
    ck_assert_str_eq(ds_cstr(&s), "");
    ds_destroy(&s);

    ck_assert_int_eq(ofproto_set_internal_flow(p, "", OFPROTO_FAIL_OPEN_PRIORITY,
                                               NULL), 0);
    ck_assert_uint_eq(n_flows(), 0);
}
END_TEST

START_TEST(test_of10_session)
{
    conn.version = OFP10_VERSION;
    add_ok("priority=10,ip,nw_dst=10.0.0.1,cookie=0x1,actions=output:1");
    add_ok("priority=20,tcp,tp_dst=22,actions=output:2");
    add_ok("priority=30,arp,actions=LOCAL");
    /* OF1.0 modify sets the cookie too. */
    ck_assert_int_eq(flow_mod("priority=10,ip,nw_dst=10.0.0.1,cookie=0x7,"
                              "actions=output:3", OFPFC_MODIFY_STRICT), 0);
    ck_assert_uint_eq(find_rule(0, "ip,nw_dst=10.0.0.1", 10)->cookie, 7);

    struct ofp_flow_stats fs[3];
    ck_assert_uint_eq(dump_flows("", OFPTT_ALL, OFPP_ANY, 0, 0, fs, 3, NULL),
                      3);
    ck_assert_uint_eq(fs[0].priority, 30);
    ck_assert_uint_eq(fs[2].cookie, 7);
    for (size_t i = 0; i < 3; i++) {
        ofp_flow_stats_uninit(&fs[i]);
    }
    /* out_port filters, also for reserved ports (16-bit on the wire). */
    ck_assert_uint_eq(dump_flows("", OFPTT_ALL, OFPP_LOCAL, 0, 0, NULL, 0,
                                 NULL), 1);
    ck_assert_int_eq(flow_mod("out_port=LOCAL", OFPFC_DELETE), 0);
    ck_assert_uint_eq(n_flows(), 2);
    ck_assert_int_eq(flow_mod("priority=20,tcp,tp_dst=22",
                              OFPFC_DELETE_STRICT), 0);
    ck_assert_uint_eq(n_flows(), 1);
    /* Type 22 exists in later versions, not in OF1.0: bad type. */
    uint8_t hdr[8] = { OFP10_VERSION, 22, 0, 8, 0, 0, 0, 5 };
    clear_sent();
    ofproto_handle_openflow(p, &conn, hdr, sizeof hdr);
    ck_assert_uint_eq(conn.n_sent, 1);
    ck_assert_int_eq(sent_error(0), OFPERR_OFPBRC_BAD_TYPE);
}
END_TEST

/* ---- Stats. ---- */

START_TEST(test_flow_stats_filters_and_decodes)
{
    add_ok("priority=10,ip,nw_dst=10.0.0.1,cookie=0x5,idle_timeout=30,"
           "actions=output:1");
    add_ok("table=3,priority=20,ip,cookie=0x6,actions=output:2");
    add_ok("priority=30,arp,actions=output:2");
    ofproto_rule_credit(find_rule(3, "ip", 20), 3, 300, time_msec());

    struct ofp_flow_stats fs[4];
    size_t n = dump_flows("", OFPTT_ALL, OFPP_ANY, 0, 0, fs, 4, NULL);
    ck_assert_uint_eq(n, 3);
    /* Table order, then priority. */
    ck_assert_uint_eq(fs[0].priority, 30);
    ck_assert_uint_eq(fs[1].priority, 10);
    ck_assert_uint_eq(fs[1].cookie, 5);
    ck_assert_uint_eq(fs[1].idle_timeout, 30);
    ck_assert_uint_eq(fs[2].table_id, 3);
    ck_assert_uint_eq(fs[2].packet_count, 3);
    ck_assert_uint_eq(fs[2].byte_count, 300);
    for (size_t i = 0; i < n; i++) {
        ofp_flow_stats_uninit(&fs[i]);
    }

    ck_assert_uint_eq(dump_flows("ip", OFPTT_ALL, OFPP_ANY, 0, 0,
                                 NULL, 0, NULL), 2);
    ck_assert_uint_eq(dump_flows("", 3, OFPP_ANY, 0, 0, NULL, 0, NULL), 1);
    ck_assert_uint_eq(dump_flows("", OFPTT_ALL, 2, 0, 0, NULL, 0, NULL), 2);
    ck_assert_uint_eq(dump_flows("", OFPTT_ALL, OFPP_ANY, 0x6, 0xff,
                                 NULL, 0, NULL), 1);
}
END_TEST

START_TEST(test_flow_stats_split_at_64k)
{
    char spec[128];
    for (int i = 0; i < 2000; i++) {
        snprintf(spec, sizeof spec,
                 "priority=%d,ip,nw_dst=10.%d.%d.1,actions=output:1",
                 i + 1, i / 256, i % 256);
        add_ok(spec);
    }
    size_t n_msgs;
    ck_assert_uint_eq(dump_flows("", OFPTT_ALL, OFPP_ANY, 0, 0, NULL, 0,
                                 &n_msgs), 2000);
    ck_assert_uint_gt(n_msgs, 1);
    for (size_t i = 0; i < conn.n_sent; i++) {
        ck_assert_uint_le(conn.sent[i]->size, 65535);
    }
}
END_TEST

/* The reply bytes of a dump of every flow, durations zeroed (they are
 * the only bytes that may change from one dump to the next). */
static void
dump_bytes(struct ds *out)
{
    struct ofp_flow_stats_request rq;
    memset(&rq, 0, sizeof rq);
    match_init_catchall(&rq.match);
    rq.table_id = OFPTT_ALL;
    rq.out_port = OFPP_ANY;
    rq.out_group = OFPG_ANY;
    clear_sent();
    deliver(ofp_flow_stats_request_encode(&rq, conn.version, 9));
    ds_clear(out);
    for (size_t i = 0; i < conn.n_sent; i++) {
        struct ofpbuf *m = conn.sent[i];
        /* OF1.1-1.4 entries: 16-byte multipart header, then entries whose
         * durations are at offsets 4-11. */
        for (size_t ofs = 16; ofs + 12 <= m->size;) {
            size_t len = get_be16(m->data + ofs);
            ck_assert_uint_ge(len, OFP11_FLOW_STATS_HEADER_LEN);
            memset(m->data + ofs + 4, 0, 8);
            ofs += len;
        }
        ds_put_buffer(out, (const char *) m->data, m->size);
    }
}

static void
drop_dump_caches(void)
{
    for (size_t t = 0; t < OFPROTO_N_TABLES; t++) {
        const struct table_order *o = &p->tables[t].order;
        for (size_t i = 0; i < o->n; i++) {
            if (o->rules[i]) {
                rule_dump_cache_drop(o->rules[i]);
            }
        }
    }
}

START_TEST(test_dump_cache_is_byte_exact_and_follows_changes)
{
    add_ok("priority=10,ip,nw_dst=10.0.0.1,cookie=0x5,idle_timeout=30,"
           "actions=output:1");
    add_ok("table=3,priority=20,ip,cookie=0x6,actions=output:2,output:3");
    add_ok("priority=30,arp,actions=goto_table:3");
    add_ok("priority=40,tcp,tp_dst=80,actions=clear_actions,"
           "write_metadata:0x1/0xff");
    /* Added in OF1.3: the body for OF1.3 was kept at once. */
    struct rule *r = find_rule(0, "ip,nw_dst=10.0.0.1", 10);
    ck_assert_ptr_nonnull(r);
    ck_assert_ptr_nonnull(r->dump_body);
    ck_assert_uint_eq(r->dump_version, OFP13_VERSION);
    ck_assert_uint_gt(rule_dump_cache_bytes(), 0);

    /* From the kept bodies and encoded afresh: the same bytes. */
    struct ds cached = DS_EMPTY_INITIALIZER, fresh = DS_EMPTY_INITIALIZER;
    ofproto_rule_credit(r, 3, 300, time_msec());
    dump_bytes(&cached);
    drop_dump_caches();
    ck_assert_ptr_null(r->dump_body);
    ck_assert_uint_eq(rule_dump_cache_bytes(), 0);
    dump_bytes(&fresh);
    ck_assert_uint_eq(cached.length, fresh.length);
    ck_assert(!memcmp(cached.string, fresh.string, cached.length));
    /* ...and that dump kept them again. */
    ck_assert_ptr_nonnull(r->dump_body);

    /* A modify changes what is dumped. */
    ck_assert_int_eq(flow_mod("ip,nw_dst=10.0.0.1,actions=output:4",
                              OFPFC_MODIFY), 0);
    struct ofp_flow_stats fs[4];
    size_t n = dump_flows("ip,nw_dst=10.0.0.1", OFPTT_ALL, OFPP_ANY, 0, 0,
                          fs, 4, NULL);
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_eq(fs[0].ofpacts.n, 1);
    ck_assert(ofpacts_output_to_port(&fs[0].ofpacts, 4));
    ofp_flow_stats_uninit(&fs[0]);

    /* Another version: OF1.4 keeps its own; OF1.0 (another layout) is
     * encoded each time. */
    conn.version = OFP14_VERSION;
    dump_bytes(&cached);
    ck_assert_uint_eq(r->dump_version, OFP14_VERSION);
    drop_dump_caches();
    dump_bytes(&fresh);
    ck_assert_uint_eq(cached.length, fresh.length);
    ck_assert(!memcmp(cached.string, fresh.string, cached.length));
    conn.version = OFP10_VERSION;
    /* OF1.0 cannot say clear_actions; goto_table goes as Nicira's
     * resubmit(,3), as Open vSwitch sends it. */
    ck_assert_uint_eq(dump_flows("", OFPTT_ALL, OFPP_ANY, 0, 0, NULL, 0,
                                 NULL), 3);
    conn.version = OFP13_VERSION;

    /* Past the bound, nothing is kept and dumps still work. */
    ck_assert_int_eq(flow_mod("", OFPFC_DELETE), 0);
    ck_assert_uint_eq(rule_dump_cache_bytes(), 0);
    rule_dump_cache_set_limit(0);
    add_ok("priority=10,ip,nw_dst=10.0.0.1,actions=output:1");
    r = find_rule(0, "ip,nw_dst=10.0.0.1", 10);
    ck_assert_ptr_null(r->dump_body);
    ck_assert_uint_eq(count_flows_dumped(""), 1);
    ck_assert_ptr_null(r->dump_body);
    rule_dump_cache_set_limit(RULE_DUMP_CACHE_DEFAULT_LIMIT);
    ds_destroy(&cached);
    ds_destroy(&fresh);
}
END_TEST

START_TEST(test_dump_order_after_adds_replaces_and_deletes)
{
    /* 300 flows over 5 priorities, two thirds deleted (the table packs
     * its order array), some replaced (they go last among their
     * priority). */
    char spec[128];
    for (int i = 0; i < 300; i++) {
        snprintf(spec, sizeof spec, "priority=%d,ip,nw_dst=10.0.%d.%d,"
                 "actions=output:1", 100 + i % 5, i / 256, i % 256);
        add_ok(spec);
    }
    for (int i = 0; i < 300; i++) {
        if (i % 3) {
            snprintf(spec, sizeof spec, "priority=%d,ip,nw_dst=10.0.%d.%d",
                     100 + i % 5, i / 256, i % 256);
            ck_assert_int_eq(flow_mod(spec, OFPFC_DELETE_STRICT), 0);
        }
    }
    ck_assert_uint_eq(n_flows(), 100);
    ck_assert_uint_lt(p->tables[0].order.n, 300);     /* Packed. */
    for (int i = 0; i < 300; i += 30) {
        snprintf(spec, sizeof spec, "priority=%d,ip,nw_dst=10.0.%d.%d,"
                 "actions=output:2", 100 + i % 5, i / 256, i % 256);
        add_ok(spec);
    }
    ck_assert_uint_eq(n_flows(), 100);

    static struct ofp_flow_stats fs[100];
    ck_assert_uint_eq(dump_flows("", OFPTT_ALL, OFPP_ANY, 0, 0, fs, 100,
                                 NULL), 100);
    /* Priority descending; within one, oldest first: the rules added in
     * the loop in their order, then the replaced ones. */
    for (size_t i = 1; i < 100; i++) {
        ck_assert_uint_ge(fs[i - 1].priority, fs[i].priority);
        if (fs[i - 1].priority == fs[i].priority) {
            bool replaced_prev = ofpacts_output_to_port(&fs[i - 1].ofpacts, 2);
            bool replaced = ofpacts_output_to_port(&fs[i].ofpacts, 2);
            ck_assert(!replaced_prev || replaced);
            if (replaced_prev == replaced && !replaced) {
                ck_assert_uint_lt(ntohl(fs[i - 1].match.flow.nw_dst),
                                  ntohl(fs[i].match.flow.nw_dst));
            }
        }
    }
    for (size_t i = 0; i < 100; i++) {
        ofp_flow_stats_uninit(&fs[i]);
    }
}
END_TEST

START_TEST(test_aggregate_and_table_stats)
{
    add_ok("priority=10,ip,actions=output:1");
    add_ok("priority=20,arp,actions=output:1");
    add_ok("table=2,priority=20,arp,actions=output:1");
    ck_assert_int_eq(ofproto_set_internal_flow(p, "", OFPROTO_FAIL_OPEN_PRIORITY,
                                               "NORMAL"), 0);
    ofproto_rule_credit(find_rule(0, "ip", 10), 2, 200, time_msec());
    ofproto_rule_credit(find_rule(0, "arp", 20), 1, 60, time_msec());
    ofproto_table_count(p, 0, true, 3);
    ofproto_table_count(p, 0, false, 4);

    struct ofp_flow_stats_request rq;
    memset(&rq, 0, sizeof rq);
    match_init_catchall(&rq.match);
    rq.aggregate = true;
    rq.table_id = 0;
    rq.out_port = OFPP_ANY;
    rq.out_group = OFPG_ANY;
    clear_sent();
    deliver(ofp_flow_stats_request_encode(&rq, OFP13_VERSION, 4));
    ck_assert_uint_eq(conn.n_sent, 1);
    struct ofp_aggregate_stats agg;
    ck_assert_int_eq(ofp_aggregate_stats_reply_decode(conn.sent[0]->data,
                                                      conn.sent[0]->size,
                                                      &agg), 0);
    ck_assert_uint_eq(agg.flow_count, 2);
    ck_assert_uint_eq(agg.packet_count, 3);
    ck_assert_uint_eq(agg.byte_count, 260);

    clear_sent();
    deliver(request(OFPTYPE_TABLE_STATS_REQUEST, 5));
    size_t n = 0;
    for (size_t i = 0; i < conn.n_sent; i++) {
        struct ofp_msg_header h;
        struct ofpbuf body;
        ck_assert_int_eq(ofptype_decode(conn.sent[i]->data,
                                        conn.sent[i]->size, &h, &body), 0);
        ck_assert_int_eq(h.type, OFPTYPE_TABLE_STATS_REPLY);
        struct ofp_table_stats ts;
        while (body.size) {
            ck_assert_int_eq(ofp_table_stats_pull(&body, h.version, &ts), 0);
            if (ts.table_id == 0) {
                ck_assert_uint_eq(ts.active_count, 2);
                ck_assert_uint_eq(ts.lookup_count, 7);
                ck_assert_uint_eq(ts.matched_count, 3);
            } else if (ts.table_id == 2) {
                ck_assert_uint_eq(ts.active_count, 1);
            }
            n++;
        }
    }
    ck_assert_uint_eq(n, OFPROTO_N_TABLES);
}
END_TEST

START_TEST(test_desc_ports_and_port_mod)
{
    struct ofp_port pp;
    memset(&pp, 0, sizeof pp);
    pp.port_no = 1;
    strcpy(pp.name, "eth1");
    pp.hw_addr.ea[0] = 2;
    pp.hw_addr.ea[5] = 1;
    ofproto_port_add(p, &pp);
    pp.port_no = 2;
    strcpy(pp.name, "eth2");
    ofproto_port_add(p, &pp);
    ck_assert_uint_eq(the_connmgr.n_port_status, 2);
    ck_assert(ofproto_port_is_live(p, 1));

    /* Port desc. */
    clear_sent();
    deliver(request(OFPTYPE_PORT_DESC_STATS_REQUEST, 6));
    ck_assert_uint_eq(conn.n_sent, 1);
    struct ofp_msg_header h;
    struct ofpbuf body;
    ck_assert_int_eq(ofptype_decode(conn.sent[0]->data, conn.sent[0]->size,
                                    &h, &body), 0);
    struct ofp_port got;
    ck_assert_int_eq(ofp_port_pull(&body, h.version, &got), 0);
    ck_assert_str_eq(got.name, "eth1");
    ck_assert_int_eq(ofp_port_pull(&body, h.version, &got), 0);
    ck_assert_uint_eq(got.port_no, 2);
    ck_assert_uint_eq(body.size, 0);

    /* Port stats from the datapath. */
    clear_sent();
    deliver(ofp_port_stats_request_encode(2, OFP13_VERSION, 8));
    ck_assert_int_eq(ofptype_decode(conn.sent[0]->data, conn.sent[0]->size,
                                    &h, &body), 0);
    struct ofp_port_stats ps;
    ck_assert_int_eq(ofp_port_stats_pull(&body, h.version, &ps), 0);
    ck_assert_uint_eq(ps.port_no, 2);
    ck_assert_uint_eq(ps.rx_packets, 20);
    ck_assert_uint_eq(body.size, 0);

    /* Port mod: port_down, then a wrong MAC and a missing port. */
    uint64_t v = ofproto_get_version(p);
    struct ofp_port_mod pm = { .port_no = 1, .hw_addr = pp.hw_addr,
                               .config = OFPPC_PORT_DOWN,
                               .mask = OFPPC_PORT_DOWN };
    clear_sent();
    deliver(ofp_port_mod_encode(&pm, OFP13_VERSION, 10));
    ck_assert_uint_eq(conn.n_sent, 0);
    ck_assert_uint_eq(ofproto_port_config(p, 1), OFPPC_PORT_DOWN);
    ck_assert(!ofproto_port_is_live(p, 1));
    ck_assert_uint_gt(ofproto_get_version(p), v);
    ck_assert_uint_eq(the_connmgr.n_port_status, 3);
    ck_assert_uint_eq(the_connmgr.port_status[2].reason, OFPPR_MODIFY);

    pm.hw_addr.ea[5] = 9;
    deliver(ofp_port_mod_encode(&pm, OFP13_VERSION, 11));
    ck_assert_int_eq(sent_error(0), OFPERR_OFPPMFC_BAD_HW_ADDR);
    pm.port_no = 7;
    clear_sent();
    deliver(ofp_port_mod_encode(&pm, OFP13_VERSION, 12));
    ck_assert_int_eq(sent_error(0), OFPERR_OFPPMFC_BAD_PORT);

    /* A link change keeps the controller's config. */
    pp.port_no = 1;
    pp.state = OFPPS_LINK_DOWN;
    ofproto_port_update(p, &pp);
    ck_assert_uint_eq(ofproto_port_config(p, 1), OFPPC_PORT_DOWN);
    ck_assert_uint_eq(ofproto_port_get(p, 1)->state, OFPPS_LINK_DOWN);

    ofproto_port_del(p, 2);
    ck_assert_ptr_null(ofproto_port_get(p, 2));
    ck_assert_uint_eq(the_connmgr.port_status[the_connmgr.n_port_status - 1]
                      .reason, OFPPR_DELETE);

    /* Desc. */
    clear_sent();
    deliver(request(OFPTYPE_DESC_STATS_REQUEST, 13));
    struct ofp_desc_stats ds;
    ck_assert_int_eq(ofp_desc_stats_reply_decode(conn.sent[0]->data,
                                                 conn.sent[0]->size, &ds), 0);
    ck_assert_str_eq(ds.dp_desc, "br0");
}
END_TEST

/* ---- Groups and meters. ---- */

static enum ofperr
group_mod(const char *spec, int command)
{
    struct ofp_group_mod gm;
    ofp_group_mod_init(&gm);
    char *perr = ofp_parse_group_mod(spec, command, &gm);
    ck_assert_msg(!perr, "parse \"%s\": %s", spec, perr);
    struct ofpbuf *msg;
    ck_assert_int_eq(ofp_group_mod_encode(&gm, conn.version, 21, &msg), 0);
    ofp_group_mod_uninit(&gm);
    clear_sent();
    deliver(msg);
    return conn.n_sent ? sent_error(0) : 0;
}

START_TEST(test_groups)
{
    ck_assert_int_eq(group_mod("group_id=1,type=all,bucket=output:1,"
                               "bucket=output:2", OFPGC_ADD), 0);
    ck_assert_int_eq(group_mod("group_id=1,type=all,bucket=output:3",
                               OFPGC_ADD), OFPERR_OFPGMFC_GROUP_EXISTS);
    ck_assert_int_eq(group_mod("group_id=5,type=all,bucket=output:3",
                               OFPGC_MODIFY), OFPERR_OFPGMFC_UNKNOWN_GROUP);
    ck_assert_int_eq(group_mod("group_id=2,type=select,"
                               "bucket=weight:10,output:1,"
                               "bucket=weight:20,group:1", OFPGC_ADD), 0);
    ck_assert_int_eq(group_mod("group_id=3,type=indirect,bucket=group:9",
                               OFPGC_ADD), OFPERR_OFPGMFC_UNKNOWN_GROUP);
    /* 1 -> 2 -> 1 would loop. */
    ck_assert_int_eq(group_mod("group_id=1,type=all,bucket=group:2",
                               OFPGC_MODIFY), OFPERR_OFPGMFC_LOOP);
    /* Group 1 cannot go while group 2 chains to it. */
    ck_assert_int_eq(group_mod("group_id=1", OFPGC_DELETE),
                     OFPERR_OFPGMFC_CHAINED_GROUP);

    struct ofgroup *g = ofproto_group_find(p, 2);
    ck_assert_ptr_nonnull(g);
    ck_assert_uint_eq(g->type, OFPGT_SELECT);
    ck_assert_uint_eq(g->n_buckets, 2);
    ck_assert_uint_eq(g->buckets[1].weight, 20);

    ck_assert_int_eq(group_mod("group_id=1,type=ff,"
                               "bucket=watch_port:1,output:1,"
                               "bucket=watch_port:2,output:2",
                               OFPGC_MODIFY), 0);
    ck_assert_uint_eq(ofproto_group_find(p, 1)->type, OFPGT_FF);

    add_ok("priority=10,ip,actions=group:2");
    add_ok("priority=11,arp,actions=output:1");
    add_ok("priority=13,udp,actions=group:2,group:2");  /* Counts once. */

    /* Group desc and stats. */
    clear_sent();
    deliver(request(OFPTYPE_GROUP_DESC_STATS_REQUEST, 3));
    ck_assert_uint_eq(conn.n_sent, 1);
    struct ofp_msg_header h;
    struct ofpbuf body;
    ck_assert_int_eq(ofptype_decode(conn.sent[0]->data, conn.sent[0]->size,
                                    &h, &body), 0);
    struct ofp_group_mod gm;
    ofp_group_mod_init(&gm);
    ck_assert_int_eq(ofp_group_desc_pull(&body, h.version, &gm), 0);
    ck_assert_uint_eq(gm.group_id, 1);
    ck_assert_uint_eq(gm.n_buckets, 2);
    ck_assert_int_eq(ofp_group_desc_pull(&body, h.version, &gm), 0);
    ck_assert_uint_eq(gm.group_id, 2);
    ofp_group_mod_uninit(&gm);

    clear_sent();
    deliver(ofp_group_stats_request_encode(OFPG_ALL, OFP13_VERSION, 4));
    ck_assert_int_eq(ofptype_decode(conn.sent[0]->data, conn.sent[0]->size,
                                    &h, &body), 0);
    struct ofp_group_stats gs;
    ck_assert_int_eq(ofp_group_stats_pull(&body, &gs), 0);
    ck_assert_uint_eq(gs.group_id, 1);
    ck_assert_uint_eq(gs.ref_count, 0);
    ofp_group_stats_uninit(&gs);
    ck_assert_int_eq(ofp_group_stats_pull(&body, &gs), 0);
    ck_assert_uint_eq(gs.group_id, 2);
    ck_assert_uint_eq(gs.ref_count, 2);
    ck_assert_uint_eq(gs.n_buckets, 2);
    ofp_group_stats_uninit(&gs);

    clear_sent();
    deliver(request(OFPTYPE_GROUP_FEATURES_STATS_REQUEST, 5));
    struct ofp_group_features gf;
    ck_assert_int_eq(ofp_group_features_reply_decode(conn.sent[0]->data,
                                                     conn.sent[0]->size,
                                                     &gf), 0);
    ck_assert_uint_eq(gf.types, 0xf);

    /* Deleting group 2 deletes the flow that uses it. */
    add_ok("priority=12,tcp,send_flow_rem,actions=group:2");
    ck_assert_int_eq(group_mod("group_id=2", OFPGC_DELETE), 0);
    ck_assert_ptr_null(ofproto_group_find(p, 2));
    ck_assert_uint_eq(n_flows(), 1);
    ck_assert_uint_eq(the_connmgr.n_removed, 1);
    ck_assert_uint_eq(the_connmgr.removed[0].reason, OFPRR_GROUP_DELETE);
    ck_assert_int_eq(group_mod("group_id=all", OFPGC_DELETE), 0);
    ck_assert_ptr_null(ofproto_group_find(p, 1));
}
END_TEST

START_TEST(test_group_desc_of15_selects_one_group)
{
    conn.version = OFP15_VERSION;
    ck_assert_int_eq(group_mod("group_id=1,type=all,bucket=output:1",
                               OFPGC_ADD), 0);
    ck_assert_int_eq(group_mod("group_id=2,type=all,bucket=output:2",
                               OFPGC_ADD), 0);
    for (int i = 0; i < 2; i++) {
        uint32_t want = i ? OFPG_ALL : 2;
        struct ofpbuf *rq = ofpmsg_alloc(OFPTYPE_GROUP_DESC_STATS_REQUEST,
                                         OFP15_VERSION, 3, 8);
        ofpbuf_put_be32(rq, want);
        ofpbuf_put_zeros(rq, 4);
        ofpmsg_update_length(rq);
        clear_sent();
        deliver(rq);
        ck_assert_uint_eq(conn.n_sent, 1);
        struct ofp_msg_header h;
        struct ofpbuf body;
        ck_assert_int_eq(ofptype_decode(conn.sent[0]->data,
                                        conn.sent[0]->size, &h, &body), 0);
        size_t n = 0;
        uint32_t last = 0;
        while (body.size) {
            struct ofp_group_mod gm;
            ofp_group_mod_init(&gm);
            ck_assert_int_eq(ofp_group_desc_pull(&body, h.version, &gm), 0);
            last = gm.group_id;
            ofp_group_mod_uninit(&gm);
            n++;
        }
        ck_assert_uint_eq(n, i ? 2 : 1);
        ck_assert_uint_eq(last, 2);
    }
}
END_TEST

static enum ofperr
meter_mod(const char *spec, int command)
{
    struct ofp_meter_mod mm;
    ofp_meter_mod_init(&mm);
    char *perr = ofp_parse_meter_mod(spec, command, &mm);
    ck_assert_msg(!perr, "parse \"%s\": %s", spec, perr);
    struct ofpbuf *msg;
    ck_assert_int_eq(ofp_meter_mod_encode(&mm, conn.version, 31, &msg), 0);
    ofp_meter_mod_uninit(&mm);
    clear_sent();
    deliver(msg);
    return conn.n_sent ? sent_error(0) : 0;
}

START_TEST(test_meters)
{
    ck_assert_int_eq(meter_mod("meter=1,kbps,burst,stats,"
                               "band=type=drop,rate=1000,burst_size=100",
                               OFPMC_ADD), 0);
    ck_assert_int_eq(meter_mod("meter=1,pktps,band=type=drop,rate=10",
                               OFPMC_ADD), OFPERR_OFPMMFC_METER_EXISTS);
    ck_assert_int_eq(meter_mod("meter=2,pktps,band=type=drop,rate=10",
                               OFPMC_MODIFY), OFPERR_OFPMMFC_UNKNOWN_METER);
    ck_assert_int_eq(meter_mod("meter=1,pktps,"
                               "band=type=dscp_remark,rate=10,prec_level=1",
                               OFPMC_MODIFY), 0);
    struct ofmeter *m = ofproto_meter_find(p, 1);
    ck_assert_uint_eq(m->flags, OFPMF_PKTPS);
    ck_assert_uint_eq(m->bands[0].type, OFPMBT_DSCP_REMARK);
    ck_assert_uint_eq(m->bands[0].rate, 10);

    add_ok("priority=10,ip,send_flow_rem,actions=meter:1,output:1");
    add_ok("priority=11,arp,actions=output:1");

    clear_sent();
    deliver(ofp_meter_request_encode(OFPTYPE_METER_STATS_REQUEST, OFPM_ALL,
                                     OFP13_VERSION, 6));
    struct ofp_msg_header h;
    struct ofpbuf body;
    ck_assert_int_eq(ofptype_decode(conn.sent[0]->data, conn.sent[0]->size,
                                    &h, &body), 0);
    struct ofp_meter_stats ms;
    ck_assert_int_eq(ofp_meter_stats_pull(&body, &ms), 0);
    ck_assert_uint_eq(ms.meter_id, 1);
    ck_assert_uint_eq(ms.flow_count, 1);
    ck_assert_uint_eq(ms.n_bands, 1);

    clear_sent();
    deliver(ofp_meter_request_encode(OFPTYPE_METER_CONFIG_STATS_REQUEST,
                                     OFPM_ALL, OFP13_VERSION, 7));
    ck_assert_int_eq(ofptype_decode(conn.sent[0]->data, conn.sent[0]->size,
                                    &h, &body), 0);
    struct ofp_meter_mod mm;
    ofp_meter_mod_init(&mm);
    ck_assert_int_eq(ofp_meter_config_pull(&body, &mm), 0);
    ck_assert_uint_eq(mm.meter_id, 1);
    ck_assert_uint_eq(mm.n_bands, 1);
    ck_assert_uint_eq(mm.bands[0].prec_level, 1);
    ofp_meter_mod_uninit(&mm);

    clear_sent();
    deliver(request(OFPTYPE_METER_FEATURES_STATS_REQUEST, 8));
    struct ofp_meter_features mf;
    ck_assert_int_eq(ofp_meter_features_reply_decode(conn.sent[0]->data,
                                                     conn.sent[0]->size,
                                                     &mf), 0);
    ck_assert_uint_eq(mf.max_bands, OFPROTO_MAX_BANDS);
    ck_assert_uint_eq(mf.band_types, 6);

    /* Deleting the meter deletes its flow. */
    ck_assert_int_eq(meter_mod("meter=1", OFPMC_DELETE), 0);
    ck_assert_ptr_null(ofproto_meter_find(p, 1));
    ck_assert_uint_eq(n_flows(), 1);
    ck_assert_uint_eq(the_connmgr.n_removed, 1);
    ck_assert_uint_eq(the_connmgr.removed[0].reason, OFPRR_METER_DELETE);
}
END_TEST

/* ---- Bundles. ---- */

static enum ofperr
bundle_ctrl(uint32_t id, uint16_t type, uint16_t flags, uint16_t *reply_type)
{
    struct ofp_bundle_ctrl bc = { id, type, flags };
    clear_sent();
    deliver(ofp_bundle_ctrl_encode(&bc, conn.version, 50));
    ck_assert_uint_ge(conn.n_sent, 1);
    enum ofperr e = sent_error(conn.n_sent - 1);
    if (!e && reply_type) {
        struct ofp_bundle_ctrl reply;
        ck_assert_int_eq(ofp_bundle_ctrl_decode(conn.sent[0]->data,
                                                conn.sent[0]->size,
                                                &reply), 0);
        *reply_type = reply.type;
    }
    return e;
}

static enum ofperr
bundle_add_flow(uint32_t id, const char *spec, int command)
{
    struct ofp_flow_mod fm;
    ofp_flow_mod_init(&fm);
    ck_assert(!ofp_parse_flow_mod(spec, command, &fm));
    struct ofpbuf *inner;
    ck_assert_int_eq(ofp_flow_mod_encode(&fm, conn.version, 60, &inner), 0);
    ofp_flow_mod_uninit(&fm);
    struct ofpbuf *msg = ofp_bundle_add_encode(id, OFPBF_ATOMIC, inner->data,
                                               inner->size, conn.version, 60);
    ofpbuf_delete(inner);
    clear_sent();
    deliver(msg);
    return conn.n_sent ? sent_error(0) : 0;
}

START_TEST(test_bundle_commits_all_or_nothing)
{
    conn.version = OFP14_VERSION;
    add_ok("priority=1,udp,actions=output:9");
    uint16_t rt;

    /* A bundle whose last flow_mod fails at commit changes nothing. */
    ck_assert_int_eq(bundle_ctrl(1, OFPBCT_OPEN_REQUEST, OFPBF_ATOMIC, &rt), 0);
    ck_assert_uint_eq(rt, OFPBCT_OPEN_REPLY);
    ck_assert_int_eq(bundle_add_flow(1, "priority=5,ip,nw_dst=10.0.0.0/8,"
                                     "actions=output:1", OFPFC_ADD), 0);
    ck_assert_int_eq(bundle_add_flow(1, "udp", OFPFC_DELETE), 0);
    ck_assert_int_eq(bundle_add_flow(1, "priority=5,ip,nw_src=1.0.0.0/8,"
                                     "check_overlap,actions=output:2",
                                     OFPFC_ADD), 0);
    ck_assert_uint_eq(n_flows(), 1);        /* Nothing applied yet. */
    uint64_t v = ofproto_get_version(p);
    ck_assert_int_eq(bundle_ctrl(1, OFPBCT_COMMIT_REQUEST, OFPBF_ATOMIC, NULL),
                     OFPERR_OFPBFC_MSG_FAILED);
    ck_assert_uint_eq(conn.n_sent, 2);
    ck_assert_int_eq(sent_error(0), OFPERR_OFPFMFC_OVERLAP);
    ck_assert_uint_eq(n_flows(), 1);
    ck_assert_ptr_nonnull(find_rule(0, "udp", 1));
    ck_assert_uint_eq(ofproto_get_version(p), v);
    /* The failed bundle is gone. */
    ck_assert_int_eq(bundle_ctrl(1, OFPBCT_COMMIT_REQUEST, OFPBF_ATOMIC, NULL),
                     OFPERR_OFPBFC_BAD_ID);

    /* A good bundle applies every message. */
    ck_assert_int_eq(bundle_ctrl(2, OFPBCT_OPEN_REQUEST, OFPBF_ATOMIC, NULL), 0);
    ck_assert_int_eq(bundle_add_flow(2, "priority=5,ip,actions=output:1",
                                     OFPFC_ADD), 0);
    ck_assert_int_eq(bundle_add_flow(2, "ip,actions=output:3", OFPFC_MODIFY),
                     0);
    ck_assert_int_eq(bundle_add_flow(2, "udp", OFPFC_DELETE), 0);
    ck_assert_int_eq(bundle_ctrl(2, OFPBCT_CLOSE_REQUEST, OFPBF_ATOMIC, &rt), 0);
    ck_assert_uint_eq(rt, OFPBCT_CLOSE_REPLY);
    ck_assert_int_eq(bundle_add_flow(2, "arp,actions=output:1", OFPFC_ADD),
                     OFPERR_OFPBFC_BUNDLE_CLOSED);
    ck_assert_int_eq(bundle_ctrl(2, OFPBCT_COMMIT_REQUEST, OFPBF_ATOMIC, &rt), 0);
    ck_assert_uint_eq(rt, OFPBCT_COMMIT_REPLY);
    ck_assert_uint_eq(n_flows(), 1);
    struct ds s = DS_EMPTY_INITIALIZER;
    actions_str(find_rule(0, "ip", 5), &s);
    ck_assert_str_eq(ds_cstr(&s), "output:3");
    ds_destroy(&s);

    /* Errors: a message that does not decode is refused when added; one
     * that decodes but cannot apply fails the commit. */
    struct ofp_flow_mod fm;
    ofp_flow_mod_init(&fm);
    ck_assert(!ofp_parse_flow_mod("ip,actions=output:1", OFPFC_ADD, &fm));
    struct ofpbuf *inner;
    ck_assert_int_eq(ofp_flow_mod_encode(&fm, conn.version, 61, &inner), 0);
    ofp_flow_mod_uninit(&fm);
    inner->data[25] = 9;        /* Command 9. */
    clear_sent();
    deliver(ofp_bundle_add_encode(3, OFPBF_ATOMIC, inner->data, inner->size,
                                  conn.version, 61));
    ofpbuf_delete(inner);
    ck_assert_int_eq(sent_error(0), OFPERR_OFPFMFC_BAD_COMMAND);
    ck_assert_int_eq(bundle_add_flow(3, "ip,actions=group:77", OFPFC_ADD), 0);
    ck_assert_int_eq(bundle_ctrl(3, OFPBCT_COMMIT_REQUEST, OFPBF_ATOMIC, NULL),
                     OFPERR_OFPBFC_MSG_FAILED);
    ck_assert_int_eq(sent_error(0), OFPERR_OFPBAC_BAD_OUT_GROUP);
    ck_assert_int_eq(bundle_ctrl(4, OFPBCT_OPEN_REQUEST, OFPBF_ATOMIC, NULL), 0);
    ck_assert_int_eq(bundle_ctrl(4, OFPBCT_OPEN_REQUEST, OFPBF_ATOMIC, NULL),
                     OFPERR_OFPBFC_BUNDLE_EXIST);
    ck_assert_int_eq(bundle_add_flow(4, "arp,actions=output:1", OFPFC_ADD), 0);
    ck_assert_int_eq(bundle_ctrl(4, OFPBCT_DISCARD_REQUEST, OFPBF_ATOMIC, &rt),
                     0);
    ck_assert_uint_eq(rt, OFPBCT_DISCARD_REPLY);
    ck_assert_uint_eq(n_flows(), 1);
    ck_assert_int_eq(bundle_ctrl(9, OFPBCT_CLOSE_REQUEST, OFPBF_ATOMIC, NULL),
                     OFPERR_OFPBFC_BAD_ID);

    /* A closed connection's bundles go away with it. */
    ck_assert_int_eq(bundle_ctrl(5, OFPBCT_OPEN_REQUEST, OFPBF_ATOMIC, NULL), 0);
    ofproto_ofconn_closed(p, &conn);
    ck_assert_int_eq(bundle_ctrl(5, OFPBCT_COMMIT_REQUEST, OFPBF_ATOMIC, NULL),
                     OFPERR_OFPBFC_BAD_ID);
}
END_TEST

/* Adds an already encoded message to bundle 'id'. */
static enum ofperr
bundle_add_msg(uint32_t id, struct ofpbuf *inner)
{
    uint32_t xid = get_be32(inner->data + 4);
    struct ofpbuf *msg = ofp_bundle_add_encode(id, OFPBF_ATOMIC, inner->data,
                                               inner->size, conn.version, xid);
    ofpbuf_delete(inner);
    clear_sent();
    deliver(msg);
    return conn.n_sent ? sent_error(0) : 0;
}

static struct ofpbuf *
encode_group_mod(const char *spec, int command)
{
    struct ofp_group_mod gm;
    ofp_group_mod_init(&gm);
    ck_assert(!ofp_parse_group_mod(spec, command, &gm));
    struct ofpbuf *msg;
    ck_assert_int_eq(ofp_group_mod_encode(&gm, conn.version, 70, &msg), 0);
    ofp_group_mod_uninit(&gm);
    return msg;
}

static struct ofpbuf *
encode_meter_mod(const char *spec, int command)
{
    struct ofp_meter_mod mm;
    ofp_meter_mod_init(&mm);
    ck_assert(!ofp_parse_meter_mod(spec, command, &mm));
    struct ofpbuf *msg;
    ck_assert_int_eq(ofp_meter_mod_encode(&mm, conn.version, 71, &msg), 0);
    ofp_meter_mod_uninit(&mm);
    return msg;
}

static struct ofpbuf *
encode_flow_mod(const char *spec, int command)
{
    struct ofp_flow_mod fm;
    ofp_flow_mod_init(&fm);
    ck_assert(!ofp_parse_flow_mod(spec, command, &fm));
    struct ofpbuf *msg;
    ck_assert_int_eq(ofp_flow_mod_encode(&fm, conn.version, 72, &msg), 0);
    ofp_flow_mod_uninit(&fm);
    return msg;
}

START_TEST(test_bundle_groups_meters_ports_packet_out)
{
    conn.version = OFP14_VERSION;
    struct ofp_port pp;
    memset(&pp, 0, sizeof pp);
    pp.port_no = 1;
    pp.hw_addr.ea[0] = 2;
    ofproto_port_add(p, &pp);

    struct ofp_port_mod pm = { .port_no = 1, .hw_addr = pp.hw_addr,
                               .config = OFPPC_NO_FWD, .mask = OFPPC_NO_FWD };
    struct ofp_packet_out po;
    ofp_packet_out_init(&po);
    uint8_t frame[60] = { 0 };
    po.buffer_id = OFP_NO_BUFFER;
    po.in_port = OFPP_CONTROLLER;
    ck_assert(!ofp_parse_actions("output:1", NULL, &po.ofpacts));
    po.packet = frame;
    po.packet_len = sizeof frame;

    /* Group, meter and a flow using both, in one bundle; the port_mod and
     * the packet_out happen only at commit. */
    ck_assert_int_eq(bundle_add_msg(1, encode_group_mod(
        "group_id=5,type=indirect,bucket=output:1", OFPGC_ADD)), 0);
    ck_assert_int_eq(bundle_add_msg(1, encode_meter_mod(
        "meter=2,pktps,band=type=drop,rate=5", OFPMC_ADD)), 0);
    ck_assert_int_eq(bundle_add_msg(1, encode_flow_mod(
        "priority=3,ip,actions=meter:2,group:5", OFPFC_ADD)), 0);
    ck_assert_int_eq(bundle_add_msg(1, ofp_port_mod_encode(&pm, conn.version,
                                                           73)), 0);
    struct ofpbuf *msg;
    ck_assert_int_eq(ofp_packet_out_encode(&po, conn.version, 74, &msg), 0);
    ck_assert_int_eq(bundle_add_msg(1, msg), 0);
    ck_assert_ptr_null(ofproto_group_find(p, 5));
    ck_assert_uint_eq(ofproto_port_config(p, 1), 0);
    ck_assert_int_eq(n_packet_outs, 0);
    ck_assert_int_eq(bundle_ctrl(1, OFPBCT_COMMIT_REQUEST, OFPBF_ATOMIC, NULL),
                     0);
    ck_assert_ptr_nonnull(ofproto_group_find(p, 5));
    ck_assert_ptr_nonnull(ofproto_meter_find(p, 2));
    ck_assert_ptr_nonnull(find_rule(0, "ip", 3));
    ck_assert_uint_eq(ofproto_port_config(p, 1), OFPPC_NO_FWD);
    ck_assert_int_eq(n_packet_outs, 1);

    /* Deleting the group (and with it the flow), modifying the meter,
     * changing the port and sending a packet, then failing: all undone. */
    pm.config = 0;
    ck_assert_int_eq(bundle_add_msg(2, encode_group_mod("group_id=5",
                                                       OFPGC_DELETE)), 0);
    ck_assert_int_eq(bundle_add_msg(2, encode_meter_mod(
        "meter=2,kbps,band=type=drop,rate=99", OFPMC_MODIFY)), 0);
    ck_assert_int_eq(bundle_add_msg(2, ofp_port_mod_encode(&pm, conn.version,
                                                           75)), 0);
    ck_assert_int_eq(ofp_packet_out_encode(&po, conn.version, 76, &msg), 0);
    ck_assert_int_eq(bundle_add_msg(2, msg), 0);
    ck_assert_int_eq(bundle_add_msg(2, encode_meter_mod(
        "meter=9,pktps,band=type=drop,rate=5", OFPMC_MODIFY)), 0);
    ck_assert_int_eq(bundle_ctrl(2, OFPBCT_COMMIT_REQUEST, OFPBF_ATOMIC, NULL),
                     OFPERR_OFPBFC_MSG_FAILED);
    ck_assert_int_eq(sent_error(0), OFPERR_OFPMMFC_UNKNOWN_METER);
    ck_assert_ptr_nonnull(ofproto_group_find(p, 5));
    ck_assert_ptr_nonnull(find_rule(0, "ip", 3));
    ck_assert_uint_eq(ofproto_meter_find(p, 2)->flags, OFPMF_PKTPS);
    ck_assert_uint_eq(ofproto_meter_find(p, 2)->bands[0].rate, 5);
    ck_assert_uint_eq(ofproto_port_config(p, 1), OFPPC_NO_FWD);
    ck_assert_int_eq(n_packet_outs, 1);
    ck_assert_uint_eq(the_connmgr.n_removed, 0);
    ofp_packet_out_uninit(&po);
}
END_TEST

/* ---- Permissions and bad input. ---- */

START_TEST(test_slave_may_read_but_not_modify)
{
    add_ok("priority=1,ip,actions=output:1");
    conn.may_modify = false;
    ck_assert_int_eq(flow_mod("arp,actions=output:1", OFPFC_ADD),
                     OFPERR_OFPBRC_IS_SLAVE);
    ck_assert_int_eq(group_mod("group_id=1,type=all,bucket=output:1",
                               OFPGC_ADD), OFPERR_OFPBRC_IS_SLAVE);
    ck_assert_uint_eq(n_flows(), 1);
    ck_assert_uint_eq(count_flows_dumped(""), 1);
}
END_TEST

START_TEST(test_malformed_and_unknown_messages)
{
    /* Truncated flow_mod: header says 20 bytes. */
    struct ofp_flow_mod fm;
    ofp_flow_mod_init(&fm);
    ck_assert(!ofp_parse_flow_mod("ip,actions=output:1", OFPFC_ADD, &fm));
    struct ofpbuf *msg;
    ck_assert_int_eq(ofp_flow_mod_encode(&fm, OFP13_VERSION, 1, &msg), 0);
    ofp_flow_mod_uninit(&fm);
    msg->size = 20;
    put_be16(msg->data + 2, 20);
    deliver(msg);
    ck_assert_uint_eq(conn.n_sent, 1);
    ck_assert_int_eq(sent_error(0), OFPERR_OFPBRC_BAD_LEN);

    /* Length field disagrees with the buffer. */
    clear_sent();
    uint8_t bad_len[8] = { OFP13_VERSION, 14, 0, 99, 0, 0, 0, 1 };
    ofproto_handle_openflow(p, &conn, bad_len, sizeof bad_len);
    ck_assert_uint_eq(conn.n_sent, 1);
    ck_assert(sent_error(0));

    /* A type ofproto does not handle (features request is connmgr's). */
    clear_sent();
    deliver(request(OFPTYPE_FEATURES_REQUEST, 2));
    ck_assert_int_eq(sent_error(0), OFPERR_OFPBRC_BAD_TYPE);

    /* Experimenter messages: Nicira's by type, others by id. */
    uint8_t nx[16] = { OFP13_VERSION, 4, 0, 16, 0, 0, 0, 3,
                       0, 0, 0x23, 0x20, 0, 0, 0, 12 };
    clear_sent();
    ofproto_handle_openflow(p, &conn, nx, sizeof nx);
    ck_assert_int_eq(sent_error(0), OFPERR_OFPBRC_BAD_EXP_TYPE);
    nx[10] = 0x55;
    clear_sent();
    ofproto_handle_openflow(p, &conn, nx, sizeof nx);
    ck_assert_int_eq(sent_error(0), OFPERR_OFPBRC_BAD_EXPERIMENTER);

    /* Garbage bodies of every length for the handled types must not
     * crash; each gets an error or a reply. */
    static const uint8_t types13[] = { 13, 14, 15, 16, 17, 18, 29, 33, 34 };
    for (size_t t = 0; t < ARRAY_SIZE(types13); t++) {
        for (size_t len = 8; len < 120; len += 4) {
            uint8_t buf[120];
            for (size_t i = 0; i < len; i++) {
                buf[i] = (uint8_t) (i * 37 + t * 11 + len);
            }
            buf[0] = OFP13_VERSION;
            buf[1] = types13[t];
            put_be16(buf + 2, len);
            clear_sent();
            ofproto_handle_openflow(p, &conn, buf, len);
        }
    }
    for (uint16_t mp = 0; mp < 20; mp++) {
        for (size_t len = 16; len < 80; len += 8) {
            uint8_t buf[80];
            memset(buf, 0xa5, sizeof buf);
            buf[0] = OFP13_VERSION;
            buf[1] = 18;                /* OFPT_MULTIPART_REQUEST. */
            put_be16(buf + 2, len);
            put_be16(buf + 8, mp);
            put_be16(buf + 10, 0);
            clear_sent();
            ofproto_handle_openflow(p, &conn, buf, len);
            ck_assert_uint_ge(conn.n_sent, 1);
        }
    }
}
END_TEST

/* Valid messages of every handled kind at 'version', for mutation. */
static size_t
seed_messages(uint8_t version, struct ofpbuf **seeds, size_t max)
{
    size_t n = 0;
    static const char *flows[] = {
        "priority=10,ip,nw_dst=10.0.0.0/8,actions=output:1",
        "table=1,tcp,tp_dst=80,idle_timeout=5,send_flow_rem,"
        "actions=mod_nw_src:1.2.3.4,output:2",
        "arp,actions=write_actions(output:3),goto_table:4",
        "ipv6,ipv6_src=2001:db8::/32,actions=group:1",
    };
    for (size_t i = 0; i < ARRAY_SIZE(flows) && n < max; i++) {
        for (int cmd = OFPFC_ADD; cmd <= OFPFC_DELETE_STRICT && n < max;
             cmd++) {
            struct ofp_flow_mod fm;
            ofp_flow_mod_init(&fm);
            char *perr = ofp_parse_flow_mod(flows[i], cmd, &fm);
            free(perr);
            if (!perr && !ofp_flow_mod_encode(&fm, version, 1, &seeds[n])) {
                n++;
            }
            ofp_flow_mod_uninit(&fm);
        }
    }
    if (version >= OFP13_VERSION) {
        struct ofp_group_mod gm;
        ofp_group_mod_init(&gm);
        ck_assert(!ofp_parse_group_mod("group_id=1,type=ff,bucket="
                                       "watch_port:1,output:1,bucket="
                                       "watch_port:2,output:2",
                                       OFPGC_ADD, &gm));
        if (!ofp_group_mod_encode(&gm, version, 2, &seeds[n])) {
            n++;
        }
        ofp_group_mod_uninit(&gm);
        struct ofp_meter_mod mm;
        ofp_meter_mod_init(&mm);
        ck_assert(!ofp_parse_meter_mod("meter=1,pktps,burst,band=type="
                                       "dscp_remark,rate=10,burst_size=5,"
                                       "prec_level=2", OFPMC_ADD, &mm));
        if (!ofp_meter_mod_encode(&mm, version, 3, &seeds[n])) {
            n++;
        }
        ofp_meter_mod_uninit(&mm);
        seeds[n++] = ofp_group_stats_request_encode(OFPG_ALL, version, 4);
        seeds[n++] = ofp_meter_request_encode(OFPTYPE_METER_STATS_REQUEST,
                                              1, version, 5);
        struct ofp_table_mod tm = { 0, 4 };
        seeds[n++] = ofp_table_mod_encode(&tm, version, 6);
    }
    if (version >= OFP14_VERSION) {
        struct ofp_bundle_ctrl bc = { 1, OFPBCT_OPEN_REQUEST, OFPBF_ATOMIC };
        seeds[n++] = ofp_bundle_ctrl_encode(&bc, version, 7);
        bc.type = OFPBCT_COMMIT_REQUEST;
        seeds[n++] = ofp_bundle_ctrl_encode(&bc, version, 7);
        seeds[n++] = ofp_bundle_add_encode(1, OFPBF_ATOMIC, seeds[0]->data,
                                           seeds[0]->size, version, 1);
    }
    struct ofp_flow_stats_request rq;
    memset(&rq, 0, sizeof rq);
    match_init_catchall(&rq.match);
    rq.table_id = OFPTT_ALL;
    rq.out_port = OFPP_ANY;
    rq.out_group = OFPG_ANY;
    seeds[n++] = ofp_flow_stats_request_encode(&rq, version, 8);
    seeds[n++] = ofp_port_stats_request_encode(OFPP_ANY, version, 9);
    struct ofp_port_mod pm = { .port_no = 1, .config = OFPPC_NO_FWD,
                               .mask = OFPPC_NO_FWD };
    pm.hw_addr.ea[0] = 2;
    seeds[n++] = ofp_port_mod_encode(&pm, version, 10);
    struct ofp_packet_out po;
    ofp_packet_out_init(&po);
    uint8_t frame[64] = { 0 };
    po.buffer_id = OFP_NO_BUFFER;
    po.in_port = 1;
    ck_assert(!ofp_parse_actions("output:2,output:IN_PORT", NULL,
                                 &po.ofpacts));
    po.packet = frame;
    po.packet_len = sizeof frame;
    ck_assert_int_eq(ofp_packet_out_encode(&po, version, 11, &seeds[n]), 0);
    n++;
    ofp_packet_out_uninit(&po);
    ck_assert_uint_le(n, max);
    return n;
}

/* Random mutations of valid messages must never crash ofproto or break
 * its invariants; every message is answered or applied.  (Run under the
 * sanitizer build to catch memory errors.) */
START_TEST(test_mutated_messages_do_not_crash)
{
    static const uint8_t versions[] = { OFP10_VERSION, OFP13_VERSION,
                                        OFP14_VERSION, OFP15_VERSION };
    uint32_t seed = 12345;
    struct ofp_port pp;
    memset(&pp, 0, sizeof pp);
    pp.port_no = 1;
    pp.hw_addr.ea[0] = 2;
    ofproto_port_add(p, &pp);
    for (size_t v = 0; v < ARRAY_SIZE(versions); v++) {
        struct ofpbuf *seeds[64];
        size_t n = seed_messages(versions[v], seeds, ARRAY_SIZE(seeds));
        conn.version = versions[v];
        for (int iter = 0; iter < 3000; iter++) {
            const struct ofpbuf *s = seeds[iter % n];
            uint8_t buf[2048];
            size_t len = MIN(s->size, sizeof buf);
            memcpy(buf, s->data, len);
            int n_flips = 1 + iter % 4;
            for (int k = 0; k < n_flips; k++) {
                seed = seed * 1103515245 + 12345;
                size_t pos = 8 + (seed >> 8) % (len > 8 ? len - 8 : 1);
                if (pos < len) {
                    buf[pos] ^= (uint8_t) (seed >> 24) | 1;
                }
            }
            if (iter % 7 == 0 && len > 16) {
                len -= (seed >> 4) % 8 + 1;     /* Truncate too. */
                put_be16(buf + 2, len);
            }
            clear_sent();
            ofproto_handle_openflow(p, &conn, buf, len);
        }
        for (size_t i = 0; i < n; i++) {
            ofpbuf_delete(seeds[i]);
        }
        /* Still a working switch. */
        ofproto_expire(p);
        ck_assert_int_eq(flow_mod("priority=1,udp,actions=output:1",
                                  OFPFC_ADD), 0);
        ck_assert_int_eq(flow_mod("", OFPFC_DELETE), 0);
        ck_assert_uint_eq(count_flows_dumped(""), 0);
    }
}
END_TEST

START_TEST(test_packet_out)
{
    uint8_t frame[60];
    memset(frame, 0, sizeof frame);
    struct ofp_packet_out po;
    ofp_packet_out_init(&po);
    po.buffer_id = OFP_NO_BUFFER;
    po.in_port = OFPP_CONTROLLER;
    ck_assert(!ofp_parse_actions("output:1", NULL, &po.ofpacts));
    po.packet = frame;
    po.packet_len = sizeof frame;
    struct ofpbuf *msg;
    ck_assert_int_eq(ofp_packet_out_encode(&po, OFP13_VERSION, 4, &msg), 0);
    deliver(msg);
    ck_assert_uint_eq(conn.n_sent, 0);
    ck_assert_int_eq(n_packet_outs, 1);
    ck_assert_uint_eq(last_po_in_port, OFPP_CONTROLLER);
    ck_assert_uint_eq(last_po_len, 60);

    /* A buffer we never gave out. */
    po.buffer_id = 3;
    po.packet_len = 0;
    ck_assert_int_eq(ofp_packet_out_encode(&po, OFP13_VERSION, 5, &msg), 0);
    deliver(msg);
    ck_assert_int_eq(sent_error(0), OFPERR_OFPBRC_BUFFER_UNKNOWN);
    ck_assert_int_eq(n_packet_outs, 1);

    /* Output to a group that does not exist. */
    ofpacts_clear(&po.ofpacts);
    ck_assert(!ofp_parse_actions("group:4", NULL, &po.ofpacts));
    po.buffer_id = OFP_NO_BUFFER;
    po.packet_len = sizeof frame;
    ck_assert_int_eq(ofp_packet_out_encode(&po, OFP13_VERSION, 6, &msg), 0);
    clear_sent();
    deliver(msg);
    ck_assert_int_eq(sent_error(0), OFPERR_OFPBAC_BAD_OUT_GROUP);
    ofp_packet_out_uninit(&po);
}
END_TEST

START_TEST(test_table_features_and_queue_replies)
{
    deliver(request(OFPTYPE_TABLE_FEATURES_STATS_REQUEST, 3));
    ck_assert_uint_ge(conn.n_sent, 1);
    size_t n = 0;
    for (size_t i = 0; i < conn.n_sent; i++) {
        struct ofp_msg_header h;
        struct ofpbuf body;
        ck_assert_int_eq(ofptype_decode(conn.sent[i]->data,
                                        conn.sent[i]->size, &h, &body), 0);
        ck_assert_int_eq(h.type, OFPTYPE_TABLE_FEATURES_STATS_REPLY);
        while (body.size) {
            struct ofp_table_features tf;
            ck_assert_int_eq(ofp_table_features_pull(&body, &tf), 0);
            ck_assert_uint_eq(tf.table_id, n);
            n++;
        }
    }
    ck_assert_uint_eq(n, OFPROTO_N_TABLES);

    clear_sent();
    deliver(ofp_queue_stats_request_encode(OFPP_ANY, OFPQ_ALL, OFP13_VERSION,
                                           4));
    ck_assert_uint_eq(conn.n_sent, 1);
    ck_assert_int_eq(sent_error(0), 0);
}
END_TEST


/* ---- Flow monitors. ---- */

static struct ofconn watcher;

static void
watcher_clear(void)
{
    for (size_t i = 0; i < watcher.n_sent; i++) {
        ofpbuf_delete(watcher.sent[i]);
    }
    watcher.n_sent = 0;
}

/* 'watcher' (speaking 'version') asks for monitor SPEC; returns the error
 * or 0, leaving the reply in watcher.sent. */
static enum ofperr
watch(uint8_t version, const char *spec, uint32_t id)
{
    struct ofp_flow_monitor_request rq;
    char *error = ofp_flow_monitor_request_parse(&rq, spec);
    ck_assert_msg(!error, "%s", error);
    rq.id = id;
    watcher.version = version;
    watcher.may_modify = true;
    watcher_clear();
    struct ofpbuf *msg = ofp_flow_monitor_request_encode(&rq, 1, version, 9);
    ofproto_handle_openflow(p, &watcher, msg->data, msg->size);
    ofpbuf_delete(msg);
    ck_assert_uint_ge(watcher.n_sent, 1);
    return sent_error_of(&watcher, 0);
}

/* The updates in watcher's sent message 'i' as text, one per line. */
static char *
updates_text(size_t i)
{
    ck_assert_uint_lt(i, watcher.n_sent);
    struct ofp_flow_update *ups;
    size_t n;
    const struct ofpbuf *m = watcher.sent[i];
    ck_assert_int_eq(ofp_flow_update_decode_all(m->data, m->size, &ups, &n),
                     0);
    struct ds s = DS_EMPTY_INITIALIZER;
    for (size_t j = 0; j < n; j++) {
        ofp_flow_update_format(&ups[j], &s);
        ds_put_char(&s, '\n');
    }
    ofp_flow_updates_free(ups, n);
    return ds_steal_cstr(&s);
}

static void
check_updates(size_t i, const char *want)
{
    char *got = updates_text(i);
    ck_assert_str_eq(got, want);
    free(got);
}

START_TEST(test_monitor_initial_then_changes_by_others)
{
    static const uint8_t versions[] = { OFP10_VERSION, OFP13_VERSION,
                                        OFP14_VERSION };
    for (size_t v = 0; v < ARRAY_SIZE(versions); v++) {
        flow_mod("", OFPFC_DELETE);
        add_ok("priority=5,ip,nw_dst=10.0.0.1,actions=output:2");
        add_ok("priority=5,arp,actions=NORMAL");
        ck_assert_int_eq(watch(versions[v], "ip", 1), 0);
        ck_assert_uint_eq(watcher.n_sent, 1);
        check_updates(0, versions[v] >= OFP14_VERSION
                      ? " event=INITIAL table=0 cookie=0 ip,nw_dst=10.0.0.1 actions=output:2\n"
                      : " event=ADDED table=0 cookie=0 ip,nw_dst=10.0.0.1 actions=output:2\n");

        /* Changes by another connection, each in one reply. */
        watcher_clear();
        add_ok("cookie=0x5,idle_timeout=7,priority=9,tcp,tp_dst=80,actions=drop");
        add_ok("priority=9,arp,actions=drop");          /* Not watched. */
        ck_assert_int_eq(flow_mod("ip,nw_dst=10.0.0.1,actions=output:3",
                                  OFPFC_MODIFY), 0);
        ck_assert_int_eq(flow_mod("ip", OFPFC_DELETE), 0);
        ck_assert_uint_eq(watcher.n_sent, 3);
        check_updates(0, " event=ADDED table=0 idle_timeout=7 cookie=0x5 tcp,tp_dst=80\n");
        check_updates(1, " event=MODIFIED table=0 cookie=0 ip,nw_dst=10.0.0.1 actions=output:3\n");
        /* Bulk deletes go lowest priority first. */
        check_updates(2, " event=DELETED reason=delete table=0 cookie=0 ip,nw_dst=10.0.0.1 actions=output:3\n"
                         " event=DELETED reason=delete table=0 idle_timeout=7 cookie=0x5 tcp,tp_dst=80\n");
        ofproto_ofconn_closed(p, &watcher);
        watcher_clear();
        add_ok("priority=5,ip,nw_dst=10.0.0.9,actions=output:2");
        ck_assert_uint_eq(watcher.n_sent, 0);   /* Gone with its conn. */
    }
}
END_TEST

START_TEST(test_monitor_filters_and_expiry)
{
    ck_assert_int_eq(watch(OFP13_VERSION, "!initial,!actions,out_port=3,table=1", 1), 0);
    ck_assert_int_eq(watch(OFP13_VERSION, "!initial,!add,!modify,udp", 2), 0);
    watcher_clear();
    add_ok("table=1,priority=5,ip,actions=output:3");   /* Both filters. */
    add_ok("table=1,priority=6,ip,actions=output:4");   /* Wrong port. */
    add_ok("table=0,priority=5,ip,actions=output:3");   /* Wrong table. */
    add_ok("table=2,priority=5,udp,hard_timeout=1,actions=output:3");
    ck_assert_uint_eq(watcher.n_sent, 1);
    check_updates(0, " event=ADDED table=1 cookie=0 ip\n");

    /* A timeout is a deletion with its reason, sent from ofproto_run(). */
    watcher_clear();
    struct rule_criteria c = {
        .table_id = 2, .match = NULL, .out_port = OFPP_ANY,
        .out_group = OFPG_ANY,
    };
    size_t n;
    struct rule **rules = ofproto_collect_rules(p, &c, &n);
    ck_assert_uint_eq(n, 1);
    rules[0]->modified -= 2000;
    free(rules);
    ofproto_expire(p);
    ofproto_monitor_run(p);
    ck_assert_uint_eq(watcher.n_sent, 1);
    check_updates(0, " event=DELETED reason=hard table=2 hard_timeout=1 cookie=0 udp actions=output:3\n");
    ofproto_ofconn_closed(p, &watcher);
}
END_TEST

/* A connection's own changes: one ABBREV per request with its xid, in
 * full with OF1.4 no_abbrev, nothing without "own". */
START_TEST(test_monitor_own_changes)
{
    struct ofp_flow_mod fm;
    ck_assert_int_eq(watch(OFP13_VERSION, "!initial", 1), 0);
    watcher_clear();
    for (int i = 0; i < 2; i++) {
        ofp_flow_mod_init(&fm);
        char *perr = ofp_parse_flow_mod(i ? "priority=7,ip,actions=drop"
                                        : "priority=6,ip,actions=drop",
                                        OFPFC_ADD, &fm);
        ck_assert(!perr);
        struct ofpbuf *msg;
        ck_assert_int_eq(ofp_flow_mod_encode(&fm, OFP13_VERSION, 0x77 + i,
                                             &msg), 0);
        ofp_flow_mod_uninit(&fm);
        ofproto_handle_openflow(p, &watcher, msg->data, msg->size);
        ofpbuf_delete(msg);
    }
    ck_assert_uint_eq(watcher.n_sent, 2);
    check_updates(0, " event=ABBREV xid=0x77\n");
    check_updates(1, " event=ABBREV xid=0x78\n");
    /* One request changing two flows: still one ABBREV. */
    watcher_clear();
    struct ofpbuf *del;
    ofp_flow_mod_init(&fm);
    fm.command = OFPFC_DELETE;
    fm.table_id = OFPTT_ALL;
    ck_assert_int_eq(ofp_flow_mod_encode(&fm, OFP13_VERSION, 0x80, &del), 0);
    ofp_flow_mod_uninit(&fm);
    ofproto_handle_openflow(p, &watcher, del->data, del->size);
    ck_assert_uint_eq(watcher.n_sent, 1);
    check_updates(0, " event=ABBREV xid=0x80\n");
    ofproto_ofconn_closed(p, &watcher);

    /* Without "own": nothing. */
    ck_assert_int_eq(watch(OFP13_VERSION, "!initial,!own", 1), 0);
    watcher_clear();
    add_ok("priority=8,ip,actions=drop");
    ck_assert_uint_eq(watcher.n_sent, 1);   /* Others' changes still. */
    watcher_clear();
    ofproto_handle_openflow(p, &watcher, del->data, del->size);
    ck_assert_uint_eq(watcher.n_sent, 0);
    ofproto_ofconn_closed(p, &watcher);
    ofpbuf_delete(del);
}
END_TEST

START_TEST(test_monitor_pause_and_resume)
{
    add_ok("priority=5,ip,actions=output:2");
    ck_assert_int_eq(watch(OFP13_VERSION, "!initial", 1), 0);
    watcher.backlog = OFPROTO_MONITOR_PAUSE_LIMIT + 1;
    watcher_clear();
    add_ok("priority=6,ip,actions=output:3");
    add_ok("priority=7,ip,actions=output:4");    /* Dropped: paused. */
    ck_assert_uint_eq(watcher.n_sent, 1);
    char *s = ofp_msg_to_string(watcher.sent[0]->data, watcher.sent[0]->size);
    ck_assert_str_eq(s, "ONFT_FLOW_MONITOR_PAUSED (OF1.3) (xid=0x0):");
    free(s);

    /* Still full: nothing. */
    watcher_clear();
    ofproto_monitor_run(p);
    ck_assert_uint_eq(watcher.n_sent, 0);
    /* Drained: the whole state, then RESUMED. */
    watcher.backlog = 0;
    ofproto_monitor_run(p);
    ck_assert_uint_eq(watcher.n_sent, 2);
    check_updates(0, " event=ADDED table=0 cookie=0 ip actions=output:4\n"
                     " event=ADDED table=0 cookie=0 ip actions=output:3\n"
                     " event=ADDED table=0 cookie=0 ip actions=output:2\n");
    s = ofp_msg_to_string(watcher.sent[1]->data, watcher.sent[1]->size);
    ck_assert_str_eq(s, "ONFT_FLOW_MONITOR_RESUMED (OF1.3) (xid=0x0):");
    free(s);

    /* OF1.4: pause and resume are events in replies. */
    ofproto_ofconn_closed(p, &watcher);
    ck_assert_int_eq(watch(OFP14_VERSION, "!initial,!actions", 1), 0);
    watcher.backlog = OFPROTO_MONITOR_PAUSE_LIMIT + 1;
    watcher_clear();
    add_ok("priority=8,ip,actions=output:3");
    ck_assert_uint_eq(watcher.n_sent, 1);
    check_updates(0, " event=PAUSED\n");
    watcher.backlog = 0;
    watcher_clear();
    ofproto_monitor_run(p);
    ck_assert_uint_eq(watcher.n_sent, 1);
    check_updates(0, " event=ADDED table=0 cookie=0 ip\n"
                     " event=ADDED table=0 cookie=0 ip\n"
                     " event=ADDED table=0 cookie=0 ip\n"
                     " event=ADDED table=0 cookie=0 ip\n"
                     " event=RESUMED\n");
    ofproto_ofconn_closed(p, &watcher);
    watcher_clear();
}
END_TEST

static enum ofperr
deliver_watcher_raw(const void *msg, size_t len)
{
    watcher_clear();
    ofproto_handle_openflow(p, &watcher, msg, len);
    return watcher.n_sent ? sent_error_of(&watcher, 0) : 0;
}

START_TEST(test_monitor_bad_requests_get_errors)
{
    /* Duplicate id; cancel / modify of an unknown one. */
    ck_assert_int_eq(watch(OFP14_VERSION, "ip", 4), 0);
    ck_assert_int_eq(watch(OFP14_VERSION, "arp", 4),
                     OFPERR_OFPMOFC_MONITOR_EXISTS);
    struct ofpbuf *m = ofp_flow_monitor_cancel_encode(5, OFP14_VERSION, 3);
    ck_assert_int_eq(deliver_watcher_raw(m->data, m->size),
                     OFPERR_OFPMOFC_UNKNOWN_MONITOR);
    ofpbuf_delete(m);
    m = ofp_flow_monitor_cancel_encode(4, OFP14_VERSION, 3);
    ck_assert_int_eq(deliver_watcher_raw(m->data, m->size), 0);
    ck_assert_uint_eq(watcher.n_sent, 1);       /* Empty reply. */
    ofpbuf_delete(m);
    m = ofp_flow_monitor_cancel_encode(4, OFP14_VERSION, 3);
    ck_assert_int_eq(deliver_watcher_raw(m->data, m->size),
                     OFPERR_OFPMOFC_UNKNOWN_MONITOR);
    ofpbuf_delete(m);

    /* Nicira cancel in OF1.0 (errors that OF1.0 lacks become EPERM). */
    ck_assert_int_eq(watch(OFP10_VERSION, "ip", 4), 0);
    m = ofp_flow_monitor_cancel_encode(4, OFP10_VERSION, 3);
    ck_assert_int_eq(deliver_watcher_raw(m->data, m->size), 0);
    ck_assert_uint_eq(watcher.n_sent, 0);
    ck_assert_int_eq(deliver_watcher_raw(m->data, m->size),
                     OFPERR_OFPBRC_EPERM);
    m->size = 18;
    put_be16(m->data + 2, 18);
    ck_assert_int_eq(deliver_watcher_raw(m->data, m->size),
                     OFPERR_OFPBRC_BAD_LEN);
    ofpbuf_delete(m);

    /* Bad flags, command, lengths; foreign experimenters. */
    struct ofp_flow_monitor_request rq;
    ck_assert(!ofp_flow_monitor_request_parse(&rq, "ip"));
    m = ofp_flow_monitor_request_encode(&rq, 1, OFP14_VERSION, 5);
    watcher.version = OFP14_VERSION;
    m->data[16 + 12] = 0x80;                    /* Unknown flag. */
    ck_assert_int_eq(deliver_watcher_raw(m->data, m->size),
                     OFPERR_OFPMOFC_BAD_FLAGS);
    m->data[16 + 12] = 0;
    m->data[16 + 15] = 3;                       /* Unknown command. */
    ck_assert_int_eq(deliver_watcher_raw(m->data, m->size),
                     OFPERR_OFPMOFC_BAD_COMMAND);
    m->data[16 + 15] = 0;
    m->data[16 + 13] = 0;                       /* No events at all. */
    ck_assert_int_eq(deliver_watcher_raw(m->data, m->size),
                     OFPERR_OFPMOFC_BAD_FLAGS);
    ofpbuf_delete(m);
    m = ofp_flow_monitor_request_encode(&rq, 1, OFP13_VERSION, 5);
    watcher.version = OFP13_VERSION;
    for (size_t len = 16; len < m->size; len += 4) {
        struct ofpbuf *t = ofpbuf_clone(m);
        t->size = len;
        put_be16(t->data + 2, len);
        ck_assert_int_ne(deliver_watcher_raw(t->data, t->size), 0);
        ofpbuf_delete(t);
    }
    put_be32(m->data + 16, 0x12345678);         /* Other experimenter. */
    ck_assert_int_eq(deliver_watcher_raw(m->data, m->size),
                     OFPERR_OFPBRC_BAD_EXPERIMENTER);
    put_be32(m->data + 16, 0x2320);             /* Nicira, other type. */
    put_be32(m->data + 20, 99);
    ck_assert_int_eq(deliver_watcher_raw(m->data, m->size),
                     OFPERR_OFPBRC_BAD_EXP_TYPE);
    ofpbuf_delete(m);
    m = ofp_flow_monitor_request_encode(&rq, 1, OFP10_VERSION, 5);
    watcher.version = OFP10_VERSION;
    m->data[24 + 4] = 0xff;                     /* NX flag bits 6-15. */
    ck_assert_int_eq(deliver_watcher_raw(m->data, m->size),
                     OFPERR_OFPBRC_EPERM);
    ofpbuf_delete(m);

    /* A reply whose last update is cut short (2 of its 8 bytes) is an
     * error, and what was decoded is freed (ASan found the bug). */
    struct ofp_fm_replies r;
    struct ofp_flow_update u = { .event = OFPFME_ABBREV, .xid = 1 };
    ofp_fm_replies_init(&r, OFP13_VERSION, 0);
    ofp_fm_replies_append(&r, &u);
    ofp_fm_replies_append(&r, &u);
    struct ofpbuf *reply = r.msgs[0];
    reply->size -= 6;
    ofpmsg_update_length(reply);
    struct ofp_flow_update *ups;
    size_t n;
    ck_assert_int_eq(ofp_flow_update_decode_all(reply->data, reply->size,
                                                &ups, &n),
                     OFPERR_OFPBRC_BAD_LEN);
    ck_assert_uint_eq(n, 0);
    ofp_fm_replies_destroy(&r);
    ofproto_ofconn_closed(p, &watcher);
    watcher_clear();
}
END_TEST

static Suite *
ofproto_suite(void)
{
    Suite *s = suite_create("ofproto");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_add_then_lookup_finds_highest_priority);
    tcase_add_test(tc, test_add_identical_replaces_and_keeps_counts_in_of13);
    tcase_add_test(tc, test_modify_nonstrict_strict_and_missing);
    tcase_add_test(tc, test_delete_filters);
    tcase_add_test(tc, test_delete_sends_flow_removed_when_asked);
    tcase_add_test(tc, test_check_overlap);
    tcase_add_test(tc, test_bad_actions_are_refused);
    tcase_add_test(tc, test_buffer_id_applies_then_errors);
    tcase_add_test(tc, test_timeouts_expire_and_notify);
    tcase_add_test(tc, test_table_full_and_eviction);
    tcase_add_test(tc, test_hidden_flows_are_invisible_to_controllers);
    tcase_add_test(tc, test_of10_session);
    tcase_add_test(tc, test_flow_stats_filters_and_decodes);
    tcase_add_test(tc, test_flow_stats_split_at_64k);
    tcase_add_test(tc, test_dump_cache_is_byte_exact_and_follows_changes);
    tcase_add_test(tc, test_dump_order_after_adds_replaces_and_deletes);
    tcase_add_test(tc, test_aggregate_and_table_stats);
    tcase_add_test(tc, test_desc_ports_and_port_mod);
    tcase_add_test(tc, test_groups);
    tcase_add_test(tc, test_group_desc_of15_selects_one_group);
    tcase_add_test(tc, test_meters);
    tcase_add_test(tc, test_bundle_commits_all_or_nothing);
    tcase_add_test(tc, test_bundle_groups_meters_ports_packet_out);
    tcase_add_test(tc, test_slave_may_read_but_not_modify);
    tcase_add_test(tc, test_malformed_and_unknown_messages);
    tcase_add_test(tc, test_packet_out);
    tcase_add_test(tc, test_mutated_messages_do_not_crash);
    tcase_add_test(tc, test_table_features_and_queue_replies);
    tcase_add_test(tc, test_monitor_initial_then_changes_by_others);
    tcase_add_test(tc, test_monitor_filters_and_expiry);
    tcase_add_test(tc, test_monitor_own_changes);
    tcase_add_test(tc, test_monitor_pause_and_resume);
    tcase_add_test(tc, test_monitor_bad_requests_get_errors);
    suite_add_tcase(s, tc);
    return s;
}

/* ---- Replies for a real peer to decode. ---- */

static void
print_sent_hex(void)
{
    for (size_t i = 0; i < conn.n_sent; i++) {
        const struct ofpbuf *m = conn.sent[i];
        for (size_t j = 0; j < m->size; j++) {
            printf("%02x", m->data[j]);
        }
        printf("\n");
    }
    clear_sent();
}

/* Prints, one hex message a line, ofproto's replies to a scripted session
 * at 'version' so that tests/system/ofproto-ofp-print.sh can check that
 * Open vSwitch's ovs-ofctl decodes them. */
static uint8_t print_version;

START_TEST(print_replies)
{
    uint8_t version = print_version;
    conn.version = version;
    struct ofp_port pp;
    memset(&pp, 0, sizeof pp);
    pp.port_no = 1;
    strcpy(pp.name, "eth1");
    pp.hw_addr.ea[0] = 2;
    ofproto_port_add(p, &pp);
    add_ok("priority=100,ip,nw_dst=10.0.0.1,cookie=0x5,idle_timeout=30,"
           "actions=output:2");
    add_ok("priority=7,arp,actions=NORMAL");
    if (version >= OFP13_VERSION) {
        ck_assert_int_eq(group_mod("group_id=7,type=select,"
                                   "bucket=weight:10,output:1,"
                                   "bucket=weight:20,output:2", OFPGC_ADD), 0);
        ck_assert_int_eq(meter_mod("meter=3,kbps,burst,stats,band=type=drop,"
                                   "rate=1000,burst_size=100", OFPMC_ADD), 0);
        add_ok("table=1,priority=9,tcp,tp_dst=80,"
               "actions=meter:3,group:7");
    }
    clear_sent();

    struct ofp_flow_stats_request rq;
    memset(&rq, 0, sizeof rq);
    match_init_catchall(&rq.match);
    rq.table_id = OFPTT_ALL;
    rq.out_port = OFPP_ANY;
    rq.out_group = OFPG_ANY;
    deliver(ofp_flow_stats_request_encode(&rq, version, 1));
    rq.aggregate = true;
    deliver(ofp_flow_stats_request_encode(&rq, version, 2));
    deliver(request(OFPTYPE_DESC_STATS_REQUEST, 3));
    deliver(request(OFPTYPE_TABLE_STATS_REQUEST, 4));
    deliver(ofp_port_stats_request_encode(OFPP_ANY, version, 5));
    deliver(ofp_queue_stats_request_encode(OFPP_ANY, OFPQ_ALL, version, 6));
    if (version >= OFP13_VERSION) {
        deliver(request(OFPTYPE_PORT_DESC_STATS_REQUEST, 7));
        deliver(ofp_group_stats_request_encode(OFPG_ALL, version, 8));
        deliver(request(OFPTYPE_GROUP_DESC_STATS_REQUEST, 9));
        deliver(request(OFPTYPE_GROUP_FEATURES_STATS_REQUEST, 10));
        deliver(ofp_meter_request_encode(OFPTYPE_METER_STATS_REQUEST,
                                         OFPM_ALL, version, 11));
        deliver(ofp_meter_request_encode(OFPTYPE_METER_CONFIG_STATS_REQUEST,
                                         OFPM_ALL, version, 12));
        deliver(request(OFPTYPE_METER_FEATURES_STATS_REQUEST, 13));
        deliver(request(OFPTYPE_TABLE_FEATURES_STATS_REQUEST, 14));
    }
    if (version <= OFP13_VERSION) {
        /* Queue config of port 1: OF1.0 has a 16-bit port. */
        struct ofpbuf *q = ofpmsg_alloc(OFPTYPE_QUEUE_GET_CONFIG_REQUEST,
                                        version, 15, 8);
        if (version == OFP10_VERSION) {
            ofpbuf_put_be16(q, 1);
            ofpbuf_put_zeros(q, 2);
        } else {
            ofpbuf_put_be32(q, 1);
            ofpbuf_put_zeros(q, 4);
        }
        ofpmsg_update_length(q);
        deliver(q);
    }
    print_sent_hex();
    /* An error, to check the error encoding of the version. */
    ck_assert_int_eq(flow_mod("priority=100,ip,nw_src=1.2.3.4,check_overlap,"
                              "actions=output:3", OFPFC_ADD),
                     OFPERR_OFPFMFC_OVERLAP);
    print_sent_hex();
}
END_TEST

/* Times adding 'n' distinct flows through ofproto_handle_openflow() (as
 * add-flows would send them), dumping them with one flow stats request,
 * and deleting them with one flow_mod; prints the rates. */
static uint8_t bench_version = OFP13_VERSION;
static int bench_n;

START_TEST(bench_flows)
{
    conn.version = bench_version;
    struct ofpbuf **msgs = xcalloc(bench_n, sizeof *msgs);
    for (int i = 0; i < bench_n; i++) {
        char spec[160];
        snprintf(spec, sizeof spec, "priority=%d,tcp,nw_src=10.%d.%d.%d,"
                 "tp_dst=%d,actions=output:%d", 1 + i % 60000,
                 (i >> 16) & 255, (i >> 8) & 255, i & 255, i % 1000,
                 1 + i % 4);
        struct ofp_flow_mod fm;
        ofp_flow_mod_init(&fm);
        ck_assert(!ofp_parse_flow_mod(spec, OFPFC_ADD, &fm));
        ck_assert_int_eq(ofp_flow_mod_encode(&fm, conn.version, i, &msgs[i]),
                         0);
        ofp_flow_mod_uninit(&fm);
    }
    long long start = time_usec();
    for (int i = 0; i < bench_n; i++) {
        ofproto_handle_openflow(p, &conn, msgs[i]->data, msgs[i]->size);
        ofpbuf_delete(msgs[i]);
    }
    long long added = time_usec();
    ck_assert_uint_eq(conn.n_sent, 0);
    ck_assert_uint_eq(n_flows(), bench_n);
    free(msgs);

    struct ofp_flow_stats_request rq;
    memset(&rq, 0, sizeof rq);
    match_init_catchall(&rq.match);
    rq.table_id = OFPTT_ALL;
    rq.out_port = OFPP_ANY;
    rq.out_group = OFPG_ANY;
    struct ofpbuf *req = ofp_flow_stats_request_encode(&rq, conn.version, 1);
    size_t n_replies = 0, bytes = 0;
    long long dump_start = time_usec();
    ofproto_handle_openflow(p, &conn, req->data, req->size);
    long long dumped = time_usec();
    ofpbuf_delete(req);
    n_replies = conn.n_sent;
    for (size_t i = 0; i < conn.n_sent; i++) {
        bytes += conn.sent[i]->size;
    }
    clear_sent();
    ck_assert_int_eq(flow_mod("", OFPFC_DELETE), 0);
    long long deleted = time_usec();
    ck_assert_uint_eq(n_flows(), 0);
    printf("add %d flows: %.3f s (%.0f flow_mods/s)\n", bench_n,
           (added - start) / 1e6, bench_n / ((added - start) / 1e6));
    printf("dump: %.3f s, %zu replies, %zu bytes\n",
           (dumped - dump_start) / 1e6, n_replies, bytes);
    printf("delete all: %.3f s\n", (deleted - dumped) / 1e6);
}
END_TEST

static int
run_one(const TTest *fun, const char *name)
{
    Suite *s = suite_create(name);
    TCase *tc = tcase_create(name);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, fun);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_SILENT);
    int failed = srunner_ntests_failed(sr);
    if (failed) {
        TestResult **results = srunner_failures(sr);
        fprintf(stderr, "%s:%d: %s\n", tr_lfile(results[0]),
                tr_lno(results[0]), tr_msg(results[0]));
        free(results);
    }
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

int
main(int argc, char *argv[])
{
    if (argc == 3 && !strcmp(argv[1], "--bench")) {
        bench_n = atoi(argv[2]);
        if (bench_n <= 0 || bench_n > 10000000) {
            fprintf(stderr, "%s: bad flow count\n", argv[2]);
            return EXIT_FAILURE;
        }
        return run_one(bench_flows, "bench");
    }
    if (argc == 3 && !strcmp(argv[1], "--print-replies")) {
        uint8_t version = ofp_version_from_string(argv[2]);
        if (!version) {
            fprintf(stderr, "%s: unknown version\n", argv[2]);
            return EXIT_FAILURE;
        }
        print_version = version;
        return run_one(print_replies, "print");
    }
    SRunner *sr = srunner_create(ofproto_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
