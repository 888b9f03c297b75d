/* Unit tests for ofproto/connmgr.c, ofconn.c and pinsched.c: real unix
 * sockets in a private temporary directory, real OpenFlow bytes.  The
 * test plays both a management client (on the bridge's punix: socket) and
 * a controller (a punix: listener the switch's unix: target connects to).
 *
 * connmgr calls four ofproto functions; the test doubles below stand in
 * for them so this test does not depend on the ofproto core. */
#include <config.h>
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "connmgr.h"
#include "ofconn.h"
#include "dynamic-string.h"
#include "ofp-buf.h"
#include "ofp-flow.h"
#include "ofp-framer.h"
#include "ofp-msgs.h"
#include "ofp-nx.h"
#include "ofp-packet-in2.h"
#include "ofp-switch.h"
#include "ofproto.h"
#include "pinsched.h"
#include "poll-loop.h"
#include "stream.h"
#include "timeval.h"
#include "util.h"
#include "test-util.h"

/* ---- Test doubles of the ofproto functions connmgr calls. ---- */

static int fake_ofproto;        /* Only its address is used. */
#define OFPROTO ((struct ofproto *) &fake_ofproto)
#define TEST_DPID 0x0000a1b2c3d4e5f6ULL

static struct ofp_port test_ports[2];
static int n_handled;                   /* ofproto_handle_openflow() calls. */
static bool fail_open_flow;             /* Fail-open flow present. */
static int n_internal_flow_calls;
static int internal_flow_priority;

uint64_t
ofproto_get_datapath_id(const struct ofproto *p)
{
    ck_assert_ptr_eq(p, OFPROTO);
    return TEST_DPID;
}

const struct ofp_port **
ofproto_ports(const struct ofproto *p, size_t *n)
{
    ck_assert_ptr_eq(p, OFPROTO);
    const struct ofp_port **ports = xmalloc(2 * sizeof *ports);
    for (int i = 0; i < 2; i++) {
        memset(&test_ports[i], 0, sizeof test_ports[i]);
        test_ports[i].port_no = i + 1;
        snprintf(test_ports[i].name, sizeof test_ports[i].name, "p%d", i + 1);
        ports[i] = &test_ports[i];
    }
    *n = 2;
    return ports;
}

enum ofperr
ofproto_set_internal_flow(struct ofproto *p, const char *match_str,
                          int priority, const char *actions)
{
    ck_assert_ptr_eq(p, OFPROTO);
    ck_assert_str_eq(match_str, "");
    n_internal_flow_calls++;
    internal_flow_priority = priority;
    if (actions) {
        ck_assert_str_eq(actions, "NORMAL");
    }
    fail_open_flow = actions != NULL;
    return 0;
}

static int n_closed;                    /* ofproto_ofconn_closed() calls. */

void
ofproto_ofconn_closed(struct ofproto *p, struct ofconn *ofconn)
{
    ck_assert_ptr_eq(p, OFPROTO);
    ck_assert_ptr_nonnull(ofconn);
    n_closed++;
}

/* A description-stats request with this xid gets 'big_reply_n' flow-stats
 * replies of BIG_REPLY_BODY body bytes each, all queued at once, as a
 * dump of 100,000 flows would: body byte i of reply k is
 * big_reply_byte(k, i), so the peer can check every byte and the order. */
#define BIG_REPLY_XID 0xb16
#define BIG_REPLY_BODY 64000
static int big_reply_n;

static uint8_t
big_reply_byte(int k, size_t i)
{
    return (uint8_t) (k * 31 + i * 7 + (i >> 8));
}

static void
send_big_reply(struct ofconn *ofconn, const struct ofp_msg_header *rq)
{
    for (int k = 0; k < big_reply_n; k++) {
        struct ofpbuf *reply = ofpmsg_alloc_reply(OFPTYPE_FLOW_STATS_REPLY,
                                                  rq, BIG_REPLY_BODY);
        uint8_t *body = ofpbuf_put_uninit(reply, BIG_REPLY_BODY);
        for (size_t i = 0; i < BIG_REPLY_BODY; i++) {
            body[i] = big_reply_byte(k, i);
        }
        if (k + 1 < big_reply_n) {
            ofpmsg_set_mp_flags(reply, OFPSF_REPLY_MORE);
        }
        ofpmsg_update_length(reply);
        ofconn_send(ofconn, reply);
    }
}

/* Like the real handler would for a message it does not know or that a
 * slave may not send: answers with an error, so the test sees the order
 * in which messages were handled. */
void
ofproto_handle_openflow(struct ofproto *p, struct ofconn *ofconn,
                        const void *msg, size_t len)
{
    ck_assert_ptr_eq(p, OFPROTO);
    n_handled++;
    ck_assert_int_eq(((const uint8_t *) msg)[0], ofconn_get_version(ofconn));

    /* Port description, which controllers such as os-ken ask for before
     * they consider the switch ready. */
    struct ofp_msg_header h;
    if (!ofptype_decode(msg, len, &h, NULL)
        && h.type == OFPTYPE_DESC_STATS_REQUEST && h.xid == BIG_REPLY_XID) {
        send_big_reply(ofconn, &h);
        return;
    }
    if (!ofptype_decode(msg, len, &h, NULL)
        && h.type == OFPTYPE_PORT_DESC_STATS_REQUEST) {
        struct ofpbuf *reply = ofpmsg_alloc_reply(
            OFPTYPE_PORT_DESC_STATS_REPLY, &h, 0);
        size_t n;
        const struct ofp_port **ports = ofproto_ports(p, &n);
        for (size_t i = 0; i < n; i++) {
            ofp_port_put(reply, ports[i], h.version);
        }
        free(ports);
        ofpmsg_update_length(reply);
        ofconn_send(ofconn, reply);
        return;
    }
    ofconn_send_error(ofconn, msg, len, ofconn_may_modify(ofconn)
                      ? OFPERR_OFPBRC_EPERM : OFPERR_OFPBRC_IS_SLAVE);
}

/* ---- Fixture. ---- */

static char tmpdir[64];
static char *mgmt_path;
static struct connmgr *mgr;

static void
setup(void)
{
    strcpy(tmpdir, "/tmp/test-connmgr.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    mgmt_path = xasprintf("%s/br0.mgmt", tmpdir);
    mgr = connmgr_create(OFPROTO, "br0", mgmt_path);
    n_handled = 0;
    n_closed = 0;
    fail_open_flow = false;
    n_internal_flow_calls = 0;
}

static void
teardown(void)
{
    connmgr_destroy(mgr);
    free(mgmt_path);
    char *cmd = xasprintf("rm -rf '%s'", tmpdir);
    ck_assert_int_eq(system(cmd), 0);
    free(cmd);
}

/* Runs the switch's main loop for up to 'ms' milliseconds, or until
 * 'done' (if nonnull) returns true. */
static bool
pump_until(int ms, bool (*done)(void))
{
    long long deadline = time_msec() + ms;
    for (int i = 0; i < 100000; i++) {
        connmgr_run(mgr);
        if (done && done()) {
            return true;
        }
        if (time_msec() >= deadline) {
            return false;
        }
        connmgr_wait(mgr);
        poll_timer_wait_until(deadline);
        poll_block();
    }
    return false;
}

static void
pump(int ms)
{
    pump_until(ms, NULL);
}

/* ---- The test's side of a connection. ---- */

struct peer {
    struct stream *stream;
    struct ofp_framer framer;
    bool eof;
};

static void
peer_init(struct peer *p, struct stream *stream)
{
    p->stream = stream;
    ofp_framer_init(&p->framer);
    p->eof = false;
}

static void
peer_close(struct peer *p)
{
    stream_close(p->stream);
    p->stream = NULL;
    ofp_framer_destroy(&p->framer);
}

/* Connects to the bridge's management socket. */
static void
peer_connect_mgmt(struct peer *p)
{
    char *name = xasprintf("unix:%s", mgmt_path);
    struct stream *stream;
    ck_assert_int_eq(stream_open_block(name, 5000, &stream), 0);
    free(name);
    peer_init(p, stream);
}

static void
peer_send_raw(struct peer *p, const void *data, size_t n)
{
    size_t sent = 0;
    for (int i = 0; i < 10000 && sent < n; i++) {
        ssize_t r = stream_send(p->stream, (const uint8_t *) data + sent,
                                n - sent);
        if (r > 0) {
            sent += r;
        } else {
            ck_assert_int_eq(r, -EAGAIN);
            connmgr_run(mgr);
            connmgr_wait(mgr);
            stream_send_wait(p->stream);
            poll_block();
        }
    }
    ck_assert_uint_eq(sent, n);
}

static void
peer_send(struct peer *p, struct ofpbuf *msg)
{
    peer_send_raw(p, msg->data, msg->size);
    ofpbuf_delete(msg);
}

/* Receives the next message, running the switch meanwhile; NULL after
 * 'ms' milliseconds without one or at end of stream ('p->eof'). */
static struct ofpbuf *
peer_recv(struct peer *p, int ms)
{
    long long deadline = time_msec() + ms;
    for (int i = 0; i < 100000; i++) {
        int error;
        struct ofpbuf *msg = ofp_framer_next(&p->framer, &error);
        ck_assert_int_eq(error, 0);
        if (msg) {
            return msg;
        }
        uint8_t buf[4096];
        ssize_t n = stream_recv(p->stream, buf, sizeof buf);
        if (n > 0) {
            ofp_framer_put(&p->framer, buf, n);
            continue;
        } else if (n == 0 || n != -EAGAIN) {
            p->eof = true;
            return NULL;
        }
        if (time_msec() >= deadline) {
            return NULL;
        }
        connmgr_run(mgr);
        connmgr_wait(mgr);
        stream_recv_wait(p->stream);
        poll_timer_wait_until(deadline);
        poll_block();
    }
    return NULL;
}

/* Receives a message and checks its type; returns it (caller frees). */
static struct ofpbuf *
peer_expect(struct peer *p, enum ofptype type, struct ofp_msg_header *h)
{
    struct ofpbuf *msg = peer_recv(p, 5000);
    ck_assert_msg(msg != NULL, "expected %s, got %s", ofptype_get_name(type),
                  p->eof ? "end of stream" : "nothing");
    struct ofp_msg_header hh;
    ck_assert_int_eq(ofptype_decode(msg->data, msg->size, &hh, NULL), 0);
    ck_assert_msg(hh.type == type, "expected %s, got %s",
                  ofptype_get_name(type), ofptype_get_name(hh.type));
    if (h) {
        *h = hh;
    }
    return msg;
}

/* Expects an OFPT_ERROR carrying 'error'. */
static void
peer_expect_error(struct peer *p, enum ofperr error)
{
    struct ofpbuf *msg = peer_expect(p, OFPTYPE_ERROR, NULL);
    struct ofp_error_msg em;
    ck_assert_int_eq(ofp_error_decode(msg->data, msg->size, &em), 0);
    ck_assert_msg(em.error == error, "expected %s, got %s (%u,%u)",
                  ofperr_get_name(error),
                  em.error ? ofperr_get_name(em.error) : "?",
                  em.type, em.code);
    ofpbuf_delete(msg);
}

static void
peer_expect_eof(struct peer *p)
{
    struct ofpbuf *msg = peer_recv(p, 5000);
    ck_assert_msg(!msg, "expected end of stream, got a message");
    ck_assert(p->eof);
}

/* Hello exchange offering 'versions'; returns the switch's hello's
 * header version. */
static uint8_t
peer_hello(struct peer *p, uint32_t versions)
{
    peer_send(p, ofp_hello_encode(versions, 1));
    struct ofp_msg_header h;
    struct ofpbuf *msg = peer_expect(p, OFPTYPE_HELLO, &h);
    ofpbuf_delete(msg);
    return h.version;
}

static struct ofpbuf *
simple_msg(enum ofptype type, uint8_t version, uint32_t xid)
{
    struct ofpbuf *b = ofpmsg_alloc(type, version, xid, 0);
    ofpmsg_update_length(b);
    return b;
}

/* A controller listener the switch's "unix:" target connects to. */
static struct pstream *
controller_listen(const char *name, char **targetp)
{
    char *ptarget = xasprintf("punix:%s/%s", tmpdir, name);
    struct pstream *ps;
    ck_assert_int_eq(pstream_open(ptarget, &ps), 0);
    *targetp = xasprintf("unix:%s/%s", tmpdir, name);
    free(ptarget);
    return ps;
}

/* Runs the switch until it connects to 'ps'; false after 'ms'. */
static bool
controller_accept(struct pstream *ps, struct peer *p, int ms)
{
    long long deadline = time_msec() + ms;
    for (int i = 0; i < 100000; i++) {
        struct stream *s;
        int error = pstream_accept(ps, &s);
        if (!error) {
            peer_init(p, s);
            return true;
        }
        ck_assert_int_eq(error, EAGAIN);
        if (time_msec() >= deadline) {
            return false;
        }
        connmgr_run(mgr);
        connmgr_wait(mgr);
        pstream_wait(ps);
        poll_timer_wait_until(deadline);
        poll_block();
    }
    return false;
}

static void
set_one_controller(const char *target, int probe_ms, int rate, int burst)
{
    struct ofproto_controller c = {
        .target = target,
        .max_backoff_ms = 1000,
        .probe_interval_ms = probe_ms,
        .rate_limit = rate,
        .burst_limit = burst,
    };
    connmgr_set_controllers(mgr, &c, 1);
}

/* Status of the only controller. */
static struct ofproto_controller_status *
status_of_only_controller(size_t *n)
{
    struct ofproto_controller_status *st;
    connmgr_get_controller_status(mgr, &st, n);
    ck_assert_uint_eq(*n, 1);
    return st;
}

/* ---- Tests. ---- */

START_TEST(test_pinsched_token_bucket)
{
    ck_assert_ptr_null(pinsched_create(0, 10, 0));
    ck_assert(pinsched_admit(NULL, 0));

    /* 10/s, burst 3: three at once, then one per 100 ms. */
    struct pinsched *ps = pinsched_create(10, 3, 1000);
    for (int i = 0; i < 3; i++) {
        ck_assert(pinsched_admit(ps, 1000));
    }
    ck_assert(!pinsched_admit(ps, 1000));
    ck_assert(!pinsched_admit(ps, 1099));
    ck_assert(pinsched_admit(ps, 1100));
    ck_assert(!pinsched_admit(ps, 1100));
    /* A long idle period refills only up to the burst. */
    int n = 0;
    for (int i = 0; i < 10; i++) {
        n += pinsched_admit(ps, 1000000);
    }
    ck_assert_int_eq(n, 3);
    ck_assert_uint_eq(pinsched_n_admitted(ps), 7);
    ck_assert_uint_eq(pinsched_n_dropped(ps), 10);

    /* Default burst: rate / 4, at least 1. */
    int rate, burst;
    ps = pinsched_reconfigure(ps, 2, 0, 1000000);
    pinsched_get_limits(ps, &rate, &burst);
    ck_assert_int_eq(rate, 2);
    ck_assert_int_eq(burst, 1);
    ps = pinsched_reconfigure(ps, 0, 0, 1000000);
    ck_assert_ptr_null(ps);
}
END_TEST

START_TEST(test_mgmt_socket_is_0750_and_hello_negotiates_each_version)
{
    static const uint8_t versions[] = {
        OFP10_VERSION, OFP13_VERSION, OFP14_VERSION, OFP15_VERSION,
    };
    pump(10);
    char *cmd = xasprintf("test \"$(stat -c %%a '%s')\" = 750", mgmt_path);
    ck_assert_msg(system(cmd) == 0, "mgmt socket mode is not 0750");
    free(cmd);

    for (size_t i = 0; i < ARRAY_SIZE(versions); i++) {
        uint8_t v = versions[i];
        struct peer p;
        peer_connect_mgmt(&p);
        /* The switch's hello offers all it supports: its header carries
         * the highest, OpenFlow 1.5. */
        ck_assert_int_eq(peer_hello(&p, OFP_VERSION_BIT(v)), OFP15_VERSION);

        /* The connection now speaks 'v': features in 'v'. */
        peer_send(&p, simple_msg(OFPTYPE_FEATURES_REQUEST, v, 77));
        struct ofp_msg_header h;
        struct ofpbuf *msg = peer_expect(&p, OFPTYPE_FEATURES_REPLY, &h);
        ck_assert_int_eq(h.version, v);
        ck_assert_uint_eq(h.xid, 77);
        struct ofp_switch_features f;
        ck_assert_int_eq(ofp_features_reply_decode(msg->data, msg->size, &f),
                         0);
        ck_assert_uint_eq(f.datapath_id, TEST_DPID);
        ck_assert_int_eq(f.n_tables, 255);
        ck_assert(f.capabilities & OFPC_FLOW_STATS);
        if (v == OFP10_VERSION) {
            ck_assert_uint_eq(f.n_ports, 2);
            ck_assert_uint_eq(f.ports[1].port_no, 2);
            ck_assert_str_eq(f.ports[1].name, "p2");
        } else {
            ck_assert_uint_eq(f.n_ports, 0);
        }
        free(f.ports);
        ofpbuf_delete(msg);
        peer_close(&p);
    }
}
END_TEST

START_TEST(test_hello_disjoint_versions_fail)
{
    connmgr_set_versions(mgr, OFP_VERSION_BIT(OFP13_VERSION)
                              | OFP_VERSION_BIT(OFP14_VERSION));
    struct peer p;
    peer_connect_mgmt(&p);
    /* The switch's own hello offers only what is allowed. */
    peer_send(&p, ofp_hello_encode(OFP_VERSION_BIT(OFP10_VERSION), 1));
    struct ofp_msg_header h;
    struct ofpbuf *msg = peer_expect(&p, OFPTYPE_HELLO, &h);
    uint32_t offered;
    ck_assert_int_eq(ofp_hello_decode(msg->data, msg->size, &offered), 0);
    ck_assert_uint_eq(offered, OFP_VERSION_BIT(OFP13_VERSION)
                               | OFP_VERSION_BIT(OFP14_VERSION));
    ofpbuf_delete(msg);
    peer_expect_error(&p, OFPERR_OFPHFC_INCOMPATIBLE);
    peer_expect_eof(&p);
    peer_close(&p);

    /* A common version still works. */
    peer_connect_mgmt(&p);
    peer_hello(&p, OFP_VERSION_BIT(OFP13_VERSION)
                   | OFP_VERSION_BIT(OFP15_VERSION));
    peer_send(&p, simple_msg(OFPTYPE_BARRIER_REQUEST, OFP13_VERSION, 5));
    ofpbuf_delete(peer_expect(&p, OFPTYPE_BARRIER_REPLY, &h));
    ck_assert_int_eq(h.version, OFP13_VERSION);
    peer_close(&p);
}
END_TEST

START_TEST(test_first_message_must_be_hello)
{
    struct peer p;
    peer_connect_mgmt(&p);
    peer_send(&p, simple_msg(OFPTYPE_FEATURES_REQUEST, OFP13_VERSION, 1));
    ofpbuf_delete(peer_expect(&p, OFPTYPE_HELLO, NULL));
    peer_expect_error(&p, OFPERR_OFPHFC_EPERM);
    peer_expect_eof(&p);
    peer_close(&p);
}
END_TEST

START_TEST(test_echo_and_wrong_version)
{
    struct peer p;
    peer_connect_mgmt(&p);
    peer_hello(&p, OFP_VERSION_BIT(OFP13_VERSION));

    struct ofpbuf *rq = ofp_echo_request(OFP13_VERSION, 4242);
    ofpbuf_put(rq, "payload!", 8);
    ofpmsg_update_length(rq);
    struct ofpbuf *copy = ofpbuf_clone(rq);
    peer_send(&p, rq);
    struct ofp_msg_header h;
    struct ofpbuf *reply = peer_expect(&p, OFPTYPE_ECHO_REPLY, &h);
    ck_assert_uint_eq(h.xid, 4242);
    ck_assert_uint_eq(reply->size, copy->size);
    ck_assert(!memcmp(reply->data + 8, copy->data + 8, copy->size - 8));
    ofpbuf_delete(reply);
    ofpbuf_delete(copy);

    /* OpenFlow 1.4 on an OpenFlow 1.3 connection. */
    peer_send(&p, ofp_echo_request(OFP14_VERSION, 9));
    peer_expect_error(&p, OFPERR_OFPBRC_BAD_VERSION);
    /* The connection survives. */
    peer_send(&p, ofp_echo_request(OFP13_VERSION, 10));
    ofpbuf_delete(peer_expect(&p, OFPTYPE_ECHO_REPLY, NULL));
    peer_close(&p);
}
END_TEST

START_TEST(test_barrier_replies_after_earlier_messages)
{
    struct peer p;
    peer_connect_mgmt(&p);
    peer_hello(&p, OFP_VERSION_BIT(OFP13_VERSION));

    /* Three messages for ofproto (its double answers each with an error)
     * and a barrier, sent in one write. */
    struct ofpbuf *all = ofpbuf_new(0);
    for (int i = 0; i < 3; i++) {
        struct ofpbuf *m = simple_msg(OFPTYPE_DESC_STATS_REQUEST,
                                      OFP13_VERSION, 100 + i);
        ofpbuf_put(all, m->data, m->size);
        ofpbuf_delete(m);
    }
    struct ofpbuf *b = simple_msg(OFPTYPE_BARRIER_REQUEST, OFP13_VERSION, 200);
    ofpbuf_put(all, b->data, b->size);
    ofpbuf_delete(b);
    peer_send(&p, all);

    for (int i = 0; i < 3; i++) {
        struct ofp_msg_header h;
        struct ofpbuf *m = peer_expect(&p, OFPTYPE_ERROR, &h);
        ck_assert_uint_eq(h.xid, 100 + i);
        ofpbuf_delete(m);
    }
    struct ofp_msg_header h;
    ofpbuf_delete(peer_expect(&p, OFPTYPE_BARRIER_REPLY, &h));
    ck_assert_uint_eq(h.xid, 200);
    ck_assert_int_eq(n_handled, 3);
    peer_close(&p);
}
END_TEST

static struct ofp_switch_config
get_config(struct peer *p, uint8_t version)
{
    peer_send(p, simple_msg(OFPTYPE_GET_CONFIG_REQUEST, version, 3));
    struct ofpbuf *m = peer_expect(p, OFPTYPE_GET_CONFIG_REPLY, NULL);
    struct ofp_switch_config cfg;
    ck_assert_int_eq(ofp_switch_config_decode(m->data, m->size, &cfg), 0);
    ofpbuf_delete(m);
    return cfg;
}

START_TEST(test_set_and_get_config)
{
    struct peer p;
    peer_connect_mgmt(&p);
    peer_hello(&p, OFP_VERSION_BIT(OFP10_VERSION));

    /* A management connection starts with miss_send_len 0 (no async
     * messages until it asks), as in Open vSwitch. */
    struct ofp_switch_config cfg = get_config(&p, OFP10_VERSION);
    ck_assert_int_eq(cfg.miss_send_len, 0);
    ck_assert_int_eq(cfg.flags, OFPC_FRAG_NORMAL);

    struct ofp_switch_config set = { OFPC_FRAG_DROP, 200 };
    peer_send(&p, ofp_switch_config_encode(OFPTYPE_SET_CONFIG, &set,
                                           OFP10_VERSION, 4));
    cfg = get_config(&p, OFP10_VERSION);
    ck_assert_int_eq(cfg.miss_send_len, 200);
    ck_assert_int_eq(cfg.flags, OFPC_FRAG_DROP);

    peer_close(&p);

    /* Reassembly is not available (OpenFlow 1.0 has no error code for
     * that: use 1.3).  The fragment policy is the switch's, so a new
     * connection sees DROP. */
    peer_connect_mgmt(&p);
    peer_hello(&p, OFP_VERSION_BIT(OFP13_VERSION));
    set.flags = OFPC_FRAG_REASM;
    peer_send(&p, ofp_switch_config_encode(OFPTYPE_SET_CONFIG, &set,
                                           OFP13_VERSION, 5));
    peer_expect_error(&p, OFPERR_OFPSCFC_BAD_FLAGS);
    cfg = get_config(&p, OFP13_VERSION);
    ck_assert_int_eq(cfg.flags, OFPC_FRAG_DROP);
    ck_assert_int_eq(cfg.miss_send_len, 0);
    peer_close(&p);
}
END_TEST

static struct ofp_role_request
role_request(struct peer *p, uint32_t role, uint64_t gen)
{
    struct ofp_role_request rr = { role, role == OFPCR_ROLE_MASTER
                                         || role == OFPCR_ROLE_SLAVE, gen };
    peer_send(p, ofp_role_encode(OFPTYPE_ROLE_REQUEST, &rr, OFP14_VERSION,
                                 7));
    struct ofpbuf *m = peer_expect(p, OFPTYPE_ROLE_REPLY, NULL);
    struct ofp_role_request reply;
    ck_assert_int_eq(ofp_role_decode(m->data, m->size, &reply), 0);
    ofpbuf_delete(m);
    return reply;
}

START_TEST(test_role_changes_between_two_connections)
{
    struct peer a, b;
    peer_connect_mgmt(&a);
    peer_hello(&a, OFP_VERSION_BIT(OFP14_VERSION));
    peer_connect_mgmt(&b);
    peer_hello(&b, OFP_VERSION_BIT(OFP14_VERSION));

    struct ofp_role_request r = role_request(&a, OFPCR_ROLE_NOCHANGE, 0);
    ck_assert_int_eq(r.role, OFPCR_ROLE_EQUAL);

    r = role_request(&a, OFPCR_ROLE_MASTER, 10);
    ck_assert_int_eq(r.role, OFPCR_ROLE_MASTER);
    ck_assert_uint_eq(r.generation_id, 10);

    /* B takes over: A is told it is now a slave. */
    r = role_request(&b, OFPCR_ROLE_MASTER, 11);
    ck_assert_int_eq(r.role, OFPCR_ROLE_MASTER);
    struct ofpbuf *m = peer_expect(&a, OFPTYPE_ROLE_STATUS, NULL);
    struct ofp_role_status rs;
    ck_assert_int_eq(ofp_role_status_decode(m->data, m->size, &rs), 0);
    ck_assert_int_eq(rs.role, OFPCR_ROLE_SLAVE);
    ck_assert_int_eq(rs.reason, OFPCRR_MASTER_REQUEST);
    ck_assert_uint_eq(rs.generation_id, 11);
    ofpbuf_delete(m);

    /* A is a slave: ofproto's handler sees ofconn_may_modify() false. */
    peer_send(&a, simple_msg(OFPTYPE_DESC_STATS_REQUEST, OFP14_VERSION, 8));
    peer_expect_error(&a, OFPERR_OFPBRC_IS_SLAVE);
    peer_send(&b, simple_msg(OFPTYPE_DESC_STATS_REQUEST, OFP14_VERSION, 8));
    peer_expect_error(&b, OFPERR_OFPBRC_EPERM);

    /* A stale generation id is refused and changes nothing. */
    struct ofp_role_request rr = { OFPCR_ROLE_MASTER, true, 10 };
    peer_send(&a, ofp_role_encode(OFPTYPE_ROLE_REQUEST, &rr, OFP14_VERSION,
                                  9));
    peer_expect_error(&a, OFPERR_OFPRRFC_STALE);
    r = role_request(&b, OFPCR_ROLE_NOCHANGE, 0);
    ck_assert_int_eq(r.role, OFPCR_ROLE_MASTER);

    /* Equal needs no generation id; a newer id wins mastership back. */
    r = role_request(&a, OFPCR_ROLE_EQUAL, 0);
    ck_assert_int_eq(r.role, OFPCR_ROLE_EQUAL);
    r = role_request(&a, OFPCR_ROLE_MASTER, 12);
    ck_assert_int_eq(r.role, OFPCR_ROLE_MASTER);
    ofpbuf_delete(peer_expect(&b, OFPTYPE_ROLE_STATUS, NULL));
    r = role_request(&b, OFPCR_ROLE_NOCHANGE, 0);
    ck_assert_int_eq(r.role, OFPCR_ROLE_SLAVE);

    peer_close(&a);
    peer_close(&b);
}
END_TEST

/* OpenFlow 1.0 controllers ask with the Nicira role request. */
static enum ofp_controller_role
nx_role_request(struct peer *p, uint8_t version, enum ofp_controller_role role)
{
    peer_send(p, nx_role_encode(false, role, version, 21));
    struct ofp_msg_header h;
    struct ofpbuf *m = peer_expect(p, OFPTYPE_EXPERIMENTER, &h);
    enum ofp_controller_role reply;
    bool is_reply = false;
    ck_assert_int_eq(nx_role_decode(m->data, m->size, &is_reply, &reply), 0);
    ck_assert(is_reply);
    ck_assert_uint_eq(h.xid, 21);
    ofpbuf_delete(m);
    return reply;
}

START_TEST(test_nicira_role_request_of10)
{
    /* A speaks OpenFlow 1.3 (Open vSwitch takes the Nicira request in
     * every version), where "is slave" has its own error code. */
    struct peer a, b;
    peer_connect_mgmt(&a);
    peer_hello(&a, OFP_VERSION_BIT(OFP13_VERSION));
    peer_connect_mgmt(&b);
    peer_hello(&b, OFP_VERSION_BIT(OFP10_VERSION));
    uint8_t va = OFP13_VERSION, vb = OFP10_VERSION;

    ck_assert_int_eq(nx_role_request(&a, va, OFPCR_ROLE_MASTER),
                     OFPCR_ROLE_MASTER);
    /* B (OpenFlow 1.0) takes over; A is a slave now. */
    ck_assert_int_eq(nx_role_request(&b, vb, OFPCR_ROLE_MASTER),
                     OFPCR_ROLE_MASTER);
    peer_send(&a, simple_msg(OFPTYPE_DESC_STATS_REQUEST, va, 8));
    peer_expect_error(&a, OFPERR_OFPBRC_IS_SLAVE);
    ck_assert_int_eq(nx_role_request(&a, va, OFPCR_ROLE_EQUAL),
                     OFPCR_ROLE_EQUAL);
    peer_send(&a, simple_msg(OFPTYPE_DESC_STATS_REQUEST, va, 9));
    peer_expect_error(&a, OFPERR_OFPBRC_EPERM);   /* The handler ran. */

    /* A bad role is refused with the role error; the connection stays. */
    struct ofpbuf *bad = nx_role_encode(false, OFPCR_ROLE_SLAVE, va, 22);
    bad->data[bad->size - 1] = 7;
    peer_send(&a, bad);
    peer_expect_error(&a, OFPERR_OFPRRFC_BAD_ROLE);
    ck_assert_int_eq(nx_role_request(&b, vb, OFPCR_ROLE_SLAVE),
                     OFPCR_ROLE_SLAVE);

    peer_close(&a);
    peer_close(&b);
}
END_TEST

static bool no_peer_connections(void);

START_TEST(test_garbage_input_disconnects_without_crash)
{
    /* Text instead of a hello. */
    struct peer p;
    peer_connect_mgmt(&p);
    static const char http[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    peer_send_raw(&p, http, strlen(http));
    ofpbuf_delete(peer_expect(&p, OFPTYPE_HELLO, NULL));
    peer_expect_error(&p, OFPERR_OFPHFC_EPERM);
    peer_expect_eof(&p);
    peer_close(&p);

    /* A length field below the header size after a good hello. */
    peer_connect_mgmt(&p);
    peer_hello(&p, OFP_VERSION_BIT(OFP13_VERSION));
    static const uint8_t short_len[8] = { OFP13_VERSION, OFPT_ECHO_REQUEST,
                                          0, 4, 0, 0, 0, 1 };
    peer_send_raw(&p, short_len, sizeof short_len);
    peer_expect_error(&p, OFPERR_OFPBRC_BAD_LEN);
    peer_expect_eof(&p);
    peer_close(&p);

    /* An unknown message type is answered, not fatal. */
    peer_connect_mgmt(&p);
    peer_hello(&p, OFP_VERSION_BIT(OFP13_VERSION));
    static const uint8_t bad_type[8] = { OFP13_VERSION, 200, 0, 8, 0, 0, 0, 2 };
    peer_send_raw(&p, bad_type, sizeof bad_type);
    peer_expect_error(&p, OFPERR_OFPBRC_BAD_TYPE);
    peer_send(&p, ofp_echo_request(OFP13_VERSION, 3));
    ofpbuf_delete(peer_expect(&p, OFPTYPE_ECHO_REPLY, NULL));
    peer_close(&p);

    /* The switch still serves new connections. */
    peer_connect_mgmt(&p);
    peer_hello(&p, OFP_VERSION_BIT(OFP15_VERSION));
    peer_close(&p);

    /* ofproto heard of each connection's end (for its bundles). */
    ck_assert(pump_until(2000, no_peer_connections));
    ck_assert_int_eq(n_closed, 4);
}
END_TEST

static bool
no_peer_connections(void)
{
    struct ds s;
    ds_init(&s);
    connmgr_show(mgr, &s);
    bool none = !strstr(ds_cstr(&s), "  peer ");
    ds_destroy(&s);
    return none;
}

static void expect_nothing_before_barrier(struct peer *, uint8_t version);

/* The number after 'key' (e.g. "txq=") in connmgr_show()'s text for the
 * only peer connection; -1 if absent. */
static long long
show_number(const char *key)
{
    struct ds s;
    ds_init(&s);
    connmgr_show(mgr, &s);
    const char *p = strstr(ds_cstr(&s), key);
    long long n = p ? atoll(p + strlen(key)) : -1;
    ds_destroy(&s);
    return n;
}

static bool
show_contains(const char *text)
{
    struct ds s;
    ds_init(&s);
    connmgr_show(mgr, &s);
    bool found = strstr(ds_cstr(&s), text) != NULL;
    ds_destroy(&s);
    return found;
}

#define ECHO_PAYLOAD 60000

/* A peer that sends echo requests (ECHO_PAYLOAD bytes each, xid = their
 * number) and reads nothing, until the switch takes no more input for
 * half a second (or 1000 requests, or 10 s).  '*partial' and '*off' keep
 * a request not fully sent.  Returns the number fully sent; '*max_txq'
 * gets the largest output queue seen. */
static int
send_without_reading(struct peer *p, struct ofpbuf **partial, size_t *off,
                     long long *max_txq)
{
    uint8_t payload[ECHO_PAYLOAD];
    memset(payload, 0xa5, sizeof payload);
    long long deadline = time_msec() + 10000;
    int n_sent = 0, stuck = 0;

    *partial = NULL;
    *max_txq = 0;
    for (int i = 0; i < 100000 && n_sent < 1000 && stuck < 50
             && time_msec() < deadline; i++) {
        if (!*partial) {
            *partial = ofp_echo_request(OFP13_VERSION, n_sent);
            ofpbuf_put(*partial, payload, sizeof payload);
            ofpmsg_update_length(*partial);
            *off = 0;
        }
        ssize_t r = stream_send(p->stream, (*partial)->data + *off,
                                (*partial)->size - *off);
        if (r > 0) {
            *off += r;
            if (*off == (*partial)->size) {
                ofpbuf_delete(*partial);
                *partial = NULL;
                n_sent++;
            }
            stuck = 0;
        } else {
            ck_assert_int_eq(r, -EAGAIN);
            stuck++;
            connmgr_run(mgr);
            *max_txq = MAX(*max_txq, show_number("txq="));
            connmgr_wait(mgr);
            poll_timer_wait(10);
            poll_block();
        }
    }
    ck_assert_int_eq(stuck, 50);
    return n_sent;
}

START_TEST(test_big_reply_reaches_slow_reader)
{
    /* A short stall timeout: a peer that reads, however slowly, stays. */
    connmgr_set_output_limits(mgr, 0, 1500);
    struct peer p;
    peer_connect_mgmt(&p);
    peer_hello(&p, OFP_VERSION_BIT(OFP13_VERSION));

    /* One request answered with ~20 MB, then one the double answers with
     * an error, and a barrier, all in one write. */
    big_reply_n = 320;
    struct ofpbuf *all = ofpbuf_new(0);
    enum ofptype types[3] = { OFPTYPE_DESC_STATS_REQUEST,
                              OFPTYPE_DESC_STATS_REQUEST,
                              OFPTYPE_BARRIER_REQUEST };
    uint32_t xids[3] = { BIG_REPLY_XID, 300, 301 };
    for (int i = 0; i < 3; i++) {
        struct ofpbuf *m = simple_msg(types[i], OFP13_VERSION, xids[i]);
        ofpbuf_put(all, m->data, m->size);
        ofpbuf_delete(m);
    }
    peer_send(&p, all);

    /* The switch runs while we read nothing: the whole answer is queued,
     * the connection stays, and the request behind it waits. */
    pump(300);
    ck_assert_int_eq(n_handled, 1);
    long long txq = show_number("txq=");
    ck_assert_msg(txq > OFCONN_DEFAULT_MAX_TXQ, "txq=%lld", txq);
    ck_assert(show_contains("(input paused)"));

    /* Read slowly (pausing 10 ms every 4 replies, ~256 kB), checking
     * every byte and the order. */
    long long start = time_msec();
    size_t total = 0;
    for (int k = 0; k < big_reply_n; k++) {
        struct ofp_msg_header h;
        struct ofpbuf *m = peer_expect(&p, OFPTYPE_FLOW_STATS_REPLY, &h);
        struct ofpbuf body;
        ck_assert_int_eq(ofptype_decode(m->data, m->size, &h, &body), 0);
        ck_assert_uint_eq(h.xid, BIG_REPLY_XID);
        ck_assert_uint_eq(h.mp_flags,
                          k + 1 < big_reply_n ? OFPSF_REPLY_MORE : 0);
        ck_assert_uint_eq(body.size, BIG_REPLY_BODY);
        for (size_t i = 0; i < BIG_REPLY_BODY; i++) {
            if (body.data[i] != big_reply_byte(k, i)) {
                ck_abort_msg("reply %d byte %zu differs", k, i);
            }
        }
        total += m->size;
        ofpbuf_delete(m);
        if (k % 4 == 3) {
            usleep(10000);
            connmgr_run(mgr);
            /* Input stays paused while the queue is above the bound. */
            if (show_number("txq=") > OFCONN_DEFAULT_MAX_TXQ) {
                ck_assert_int_eq(n_handled, 1);
            }
        }
    }
    long long slow_ms = time_msec() - start;
    struct ofp_msg_header h;
    ofpbuf_delete(peer_expect(&p, OFPTYPE_ERROR, &h));
    ck_assert_uint_eq(h.xid, 300);
    ofpbuf_delete(peer_expect(&p, OFPTYPE_BARRIER_REPLY, &h));
    ck_assert_uint_eq(h.xid, 301);
    ck_assert_int_eq(n_handled, 2);
    ck_assert(!no_peer_connections());
    ck_assert(show_number("rx_pauses=") >= 1);

    /* The same answer to a reader as fast as it can: how fast the switch
     * queues and sends it. */
    start = time_msec();
    peer_send(&p, simple_msg(OFPTYPE_DESC_STATS_REQUEST, OFP13_VERSION,
                             BIG_REPLY_XID));
    size_t fast_total = 0;
    for (int k = 0; k < big_reply_n; k++) {
        struct ofpbuf *m = peer_expect(&p, OFPTYPE_FLOW_STATS_REPLY, NULL);
        fast_total += m->size;
        ofpbuf_delete(m);
    }
    long long fast_ms = time_msec() - start;
    ck_assert_uint_eq(fast_total, total);
    printf("big reply: %zu bytes in %d messages: slow reader %lld ms, "
           "fast reader %lld ms (%.0f MB/s)\n", total, big_reply_n, slow_ms,
           fast_ms, total / 1e3 / MAX(fast_ms, 1));
    peer_close(&p);
    big_reply_n = 0;
}
END_TEST

START_TEST(test_requests_without_reading_pause_input)
{
    struct peer p;
    peer_connect_mgmt(&p);
    peer_hello(&p, OFP_VERSION_BIT(OFP13_VERSION));
    /* Ask for async messages, to see them dropped while the queue is
     * full. */
    struct ofp_switch_config set = { OFPC_FRAG_NORMAL, 128 };
    peer_send(&p, ofp_switch_config_encode(OFPTYPE_SET_CONFIG, &set,
                                           OFP13_VERSION, 4));
    ck_assert_int_eq(get_config(&p, OFP13_VERSION).miss_send_len, 128);

    struct ofpbuf *partial;
    size_t off;
    long long max_txq;
    int n_sent = send_without_reading(&p, &partial, &off, &max_txq);

    /* The switch stopped reading instead of queueing without bound or
     * dropping us: the queue passed the bound by at most one reply. */
    ck_assert(!no_peer_connections());
    ck_assert(show_contains("(input paused)"));
    ck_assert_msg(max_txq > OFCONN_DEFAULT_MAX_TXQ / 2
                  && max_txq <= OFCONN_DEFAULT_MAX_TXQ + ECHO_PAYLOAD + 8,
                  "max txq %lld", max_txq);
    printf("requests without reading: %d echo requests of %d bytes sent, "
           "largest output queue %lld bytes\n", n_sent, ECHO_PAYLOAD,
           max_txq);

    /* Async messages are what is dropped while the queue is full. */
    struct ofp_port_status ps_msg;
    memset(&ps_msg, 0, sizeof ps_msg);
    ps_msg.reason = OFPPR_ADD;
    ps_msg.desc.port_no = 9;
    strcpy(ps_msg.desc.name, "eth9");
    connmgr_send_port_status(mgr, &ps_msg);
    ck_assert_int_eq(show_number("async_dropped="), 1);

    /* Now read: every request gets its reply, in order, none lost. */
    int n_want = n_sent + (partial ? 1 : 0);
    for (int k = 0; k < n_want; k++) {
        if (partial) {
            ssize_t r = stream_send(p.stream, partial->data + off,
                                    partial->size - off);
            if (r > 0 && (off += r) == partial->size) {
                ofpbuf_delete(partial);
                partial = NULL;
            }
        }
        struct ofp_msg_header h;
        struct ofpbuf *m = peer_expect(&p, OFPTYPE_ECHO_REPLY, &h);
        ck_assert_uint_eq(h.xid, k);
        ck_assert_uint_eq(m->size, OFP_HEADER_LEN + ECHO_PAYLOAD);
        ofpbuf_delete(m);
    }
    ck_assert_ptr_null(partial);
    ck_assert(!show_contains("(input paused)"));
    expect_nothing_before_barrier(&p, OFP13_VERSION);
    peer_close(&p);
}
END_TEST

START_TEST(test_stalled_peer_is_disconnected)
{
    connmgr_set_output_limits(mgr, 256 * 1024, 700);
    struct peer p;
    peer_connect_mgmt(&p);
    peer_hello(&p, OFP_VERSION_BIT(OFP13_VERSION));

    struct ofpbuf *partial;
    size_t off;
    long long max_txq;
    send_without_reading(&p, &partial, &off, &max_txq);
    ofpbuf_delete(partial);
    ck_assert(max_txq > 256 * 1024 && max_txq <= 256 * 1024 + 65536);

    /* It read nothing: dropped after the stall timeout, not long after. */
    long long start = time_msec();
    ck_assert(pump_until(5000, no_peer_connections));
    ck_assert_msg(time_msec() - start < 3000, "took %lld ms",
                  time_msec() - start);
    peer_close(&p);

    /* And the switch carries on. */
    peer_connect_mgmt(&p);
    peer_hello(&p, OFP_VERSION_BIT(OFP13_VERSION));
    peer_close(&p);
}
END_TEST

static bool
controller_connected(void)
{
    return connmgr_is_any_controller_connected(mgr);
}

START_TEST(test_active_controller_connects_and_reconnects)
{
    char *target;
    struct pstream *ps = controller_listen("ctl.sock", &target);
    set_one_controller(target, -1, 0, 0);
    ck_assert(connmgr_has_controllers(mgr));

    struct peer c;
    ck_assert(controller_accept(ps, &c, 5000));
    ck_assert_int_eq(peer_hello(&c, OFP_VERSION_BIT(OFP13_VERSION)),
                     OFP15_VERSION);
    ck_assert(pump_until(2000, controller_connected));

    size_t n;
    struct ofproto_controller_status *st = status_of_only_controller(&n);
    ck_assert_str_eq(st[0].target, target);
    ck_assert(st[0].is_connected);
    ck_assert_str_eq(st[0].state, "ACTIVE");
    ck_assert_str_eq(st[0].role, "other");
    ck_assert_int_eq(st[0].sec_since_connect, 0);
    connmgr_free_controller_status(st, n);

    /* A controller connection gets miss_send_len 128 by default. */
    struct ofp_switch_config cfg = get_config(&c, OFP13_VERSION);
    ck_assert_int_eq(cfg.miss_send_len, 128);

    /* The controller goes away; the switch reconnects (backoff 1 s).
     * ofproto drops the session's state though the ofconn lives on. */
    ck_assert_int_eq(n_closed, 0);
    peer_close(&c);
    pump(200);
    ck_assert_int_eq(n_closed, 1);
    st = status_of_only_controller(&n);
    ck_assert(!st[0].is_connected);
    ck_assert_int_eq(st[0].sec_since_disconnect, 0);
    ck_assert_ptr_nonnull(st[0].last_error);
    connmgr_free_controller_status(st, n);

    long long start = time_msec();
    ck_assert(controller_accept(ps, &c, 5000));
    ck_assert_int_le(time_msec() - start, 4000);
    peer_hello(&c, OFP_VERSION_BIT(OFP14_VERSION));
    ck_assert(pump_until(2000, controller_connected));

    /* Reconfiguring with the same target keeps the connection. */
    set_one_controller(target, -1, 100, 0);
    pump(50);
    peer_send(&c, ofp_echo_request(OFP14_VERSION, 1));
    ofpbuf_delete(peer_expect(&c, OFPTYPE_ECHO_REPLY, NULL));

    /* Removing it closes the connection. */
    connmgr_set_controllers(mgr, NULL, 0);
    ck_assert(!connmgr_has_controllers(mgr));
    peer_expect_eof(&c);
    peer_close(&c);
    pstream_close(ps);
    free(target);
}
END_TEST

START_TEST(test_inactivity_probe_then_disconnect)
{
    char *target;
    struct pstream *ps = controller_listen("ctl.sock", &target);
    set_one_controller(target, 1000, 0, 0);

    struct peer c;
    ck_assert(controller_accept(ps, &c, 5000));
    peer_hello(&c, OFP_VERSION_BIT(OFP13_VERSION));

    /* Idle for a probe interval: an echo request. */
    long long start = time_msec();
    struct ofpbuf *m = peer_expect(&c, OFPTYPE_ECHO_REQUEST, NULL);
    ofpbuf_delete(m);
    ck_assert_int_ge(time_msec() - start, 800);
    /* No reply for another interval: disconnected. */
    peer_expect_eof(&c);
    ck_assert_int_le(time_msec() - start, 4000);
    peer_close(&c);

    /* Answering the probe keeps the connection up. */
    ck_assert(controller_accept(ps, &c, 5000));
    peer_hello(&c, OFP_VERSION_BIT(OFP13_VERSION));
    for (int i = 0; i < 2; i++) {
        struct ofp_msg_header h;
        m = peer_expect(&c, OFPTYPE_ECHO_REQUEST, &h);
        peer_send(&c, ofp_echo_reply(m->data, m->size));
        ofpbuf_delete(m);
    }
    ck_assert(connmgr_is_any_controller_connected(mgr));
    peer_close(&c);
    pstream_close(ps);
    free(target);
}
END_TEST

static void
send_test_packet_in(uint8_t reason, size_t len, uint16_t max_len)
{
    uint8_t frame[1500];
    for (size_t i = 0; i < sizeof frame; i++) {
        frame[i] = i;
    }
    struct ofp_packet_in pin;
    memset(&pin, 0, sizeof pin);
    pin.buffer_id = OFP_NO_BUFFER;
    pin.total_len = len;
    pin.reason = reason;
    match_init_catchall(&pin.metadata);
    match_set_in_port(&pin.metadata, 1);
    pin.packet = frame;
    pin.packet_len = len;
    connmgr_send_packet_in(mgr, &pin, max_len);
}

/* Expects a packet_in with 'data_len' bytes of a 'total_len' frame. */
static void
expect_packet_in(struct peer *p, size_t data_len, size_t total_len)
{
    struct ofpbuf *m = peer_expect(p, OFPTYPE_PACKET_IN, NULL);
    struct ofp_packet_in pin;
    ck_assert_int_eq(ofp_packet_in_decode(m->data, m->size, &pin), 0);
    ck_assert_uint_eq(pin.packet_len, data_len);
    ck_assert_uint_eq(pin.total_len, total_len);
    ck_assert_int_eq(((const uint8_t *) pin.packet)[data_len - 1],
                     (data_len - 1) & 0xff);
    ofpbuf_delete(m);
}

/* Sends a barrier and expects its reply as the next message: nothing
 * (such as a packet-in) came before it. */
static void
expect_nothing_before_barrier(struct peer *p, uint8_t version)
{
    peer_send(p, simple_msg(OFPTYPE_BARRIER_REQUEST, version, 99));
    ofpbuf_delete(peer_expect(p, OFPTYPE_BARRIER_REPLY, NULL));
}

START_TEST(test_packet_in_delivery_and_truncation)
{
    char *target;
    struct pstream *ps = controller_listen("ctl.sock", &target);
    set_one_controller(target, -1, 0, 0);
    struct peer c, svc;
    ck_assert(controller_accept(ps, &c, 5000));
    peer_hello(&c, OFP_VERSION_BIT(OFP13_VERSION));
    peer_connect_mgmt(&svc);
    peer_hello(&svc, OFP_VERSION_BIT(OFP13_VERSION));
    ck_assert(pump_until(2000, controller_connected));

    /* Table miss: cut to miss_send_len (128 by default). */
    send_test_packet_in(OFPR_NO_MATCH, 300, 0);
    expect_packet_in(&c, 128, 300);
    /* The management connection did not ask for packet-ins. */
    expect_nothing_before_barrier(&svc, OFP13_VERSION);

    /* Output to controller: cut to the action's max_len. */
    send_test_packet_in(OFPR_ACTION, 300, 100);
    expect_packet_in(&c, 100, 300);
    send_test_packet_in(OFPR_ACTION, 300, OFPCML_NO_BUFFER);
    expect_packet_in(&c, 300, 300);

    /* A new miss_send_len applies; the management connection, having
     * set one, now gets packet-ins too. */
    struct ofp_switch_config set = { 0, 64 };
    peer_send(&c, ofp_switch_config_encode(OFPTYPE_SET_CONFIG, &set,
                                           OFP13_VERSION, 1));
    peer_send(&svc, ofp_switch_config_encode(OFPTYPE_SET_CONFIG, &set,
                                             OFP13_VERSION, 1));
    expect_nothing_before_barrier(&c, OFP13_VERSION);
    expect_nothing_before_barrier(&svc, OFP13_VERSION);
    send_test_packet_in(OFPR_NO_MATCH, 300, 0);
    expect_packet_in(&c, 64, 300);
    expect_packet_in(&svc, 64, 300);

    /* A slave gets no packet-ins by default; its async config can ask. */
    struct ofp_role_request rr = { OFPCR_ROLE_SLAVE, true, 1 };
    peer_send(&c, ofp_role_encode(OFPTYPE_ROLE_REQUEST, &rr, OFP13_VERSION,
                                  2));
    ofpbuf_delete(peer_expect(&c, OFPTYPE_ROLE_REPLY, NULL));
    send_test_packet_in(OFPR_NO_MATCH, 300, 0);
    expect_nothing_before_barrier(&c, OFP13_VERSION);

    struct ofp_async_config ac;
    ofp_async_config_default(&ac);
    ac.packet_in[1] = 1 << OFPR_NO_MATCH;
    peer_send(&c, ofp_async_config_encode(OFPTYPE_SET_ASYNC_CONFIG, &ac,
                                          OFP13_VERSION, 3));
    peer_send(&c, simple_msg(OFPTYPE_GET_ASYNC_REQUEST, OFP13_VERSION, 4));
    struct ofpbuf *m = peer_expect(&c, OFPTYPE_GET_ASYNC_REPLY, NULL);
    struct ofp_async_config got;
    memset(&got, 0, sizeof got);
    ck_assert_int_eq(ofp_async_config_decode(m->data, m->size, &got), 0);
    ck_assert_uint_eq(got.packet_in[1], 1 << OFPR_NO_MATCH);
    ofpbuf_delete(m);
    send_test_packet_in(OFPR_NO_MATCH, 40, 0);
    expect_packet_in(&c, 40, 40);

    peer_close(&c);
    peer_close(&svc);
    pstream_close(ps);
    free(target);
}
END_TEST

/* Counts packet-ins arriving at 'p' before a barrier reply. */
static int
count_packet_ins(struct peer *p)
{
    peer_send(p, simple_msg(OFPTYPE_BARRIER_REQUEST, OFP13_VERSION, 99));
    int n = 0;
    for (int i = 0; i < 1000; i++) {
        struct ofp_msg_header h;
        struct ofpbuf *m = peer_recv(p, 5000);
        ck_assert_ptr_nonnull(m);
        ck_assert_int_eq(ofptype_decode(m->data, m->size, &h, NULL), 0);
        ofpbuf_delete(m);
        if (h.type == OFPTYPE_BARRIER_REPLY) {
            break;
        }
        ck_assert_int_eq(h.type, OFPTYPE_PACKET_IN);
        n++;
    }
    return n;
}

/* An OpenFlow 1.0 Nicira setting message: 'subtype' with a 4- or 8-byte
 * body whose last bytes are 'value'. */
static struct ofpbuf *
nx_setting(uint32_t subtype, size_t body_len, uint32_t value)
{
    struct ofpbuf *b = nx_msg_alloc(subtype, 5, body_len);
    ofpbuf_put_zeros(b, body_len - 4);
    ofpbuf_put_be32(b, value);
    ofpmsg_update_length(b);
    return b;
}

/* One controller at "ctl.sock", accepted as peer 'c', which says hello
 * with 'versions'; returns once connmgr calls it connected.  Sets
 * '*target' (to free) and returns the listener (to close). */
static struct pstream *
controller_session(struct peer *c, uint32_t versions, char **target)
{
    struct pstream *ps = controller_listen("ctl.sock", target);
    set_one_controller(*target, -1, 0, 0);
    ck_assert(controller_accept(ps, c, 5000));
    peer_hello(c, versions);
    ck_assert(pump_until(2000, controller_connected));
    return ps;
}

START_TEST(test_nicira_packet_in_format_and_controller_id)
{
    char *target;
    struct peer c;
    struct pstream *ps = controller_session(&c, OFP_VERSION_BIT(OFP10_VERSION),
                                            &target);

    /* Unknown formats are refused and change nothing. */
    peer_send(&c, nx_setting(NXT_SET_PACKET_IN_FORMAT, 4, 3));
    peer_expect_error(&c, OFPERR_OFPBRC_EPERM);
    peer_send(&c, nx_setting(NXT_SET_FLOW_FORMAT, 4, 1));
    peer_expect_error(&c, OFPERR_OFPBRC_EPERM);
    /* Other Nicira messages go on to ofproto (this test's stub answers
     * OFPBRC_EPERM; the real one OFPBRC_BAD_EXP_TYPE, ofproto-nxm.sh). */
    peer_send(&c, nx_setting(99, 4, 0));
    peer_expect_error(&c, OFPERR_OFPBRC_EPERM);

    /* NXM packet-ins, to controller id 7 only. */
    peer_send(&c, nx_setting(NXT_SET_PACKET_IN_FORMAT, 4, NXPIF_NXM));
    peer_send(&c, nx_setting(NXT_SET_CONTROLLER_ID, 8, 7));
    expect_nothing_before_barrier(&c, OFP10_VERSION);

    uint8_t frame[100] = { 0 };
    struct ofp_packet_in pin;
    memset(&pin, 0, sizeof pin);
    pin.buffer_id = OFP_NO_BUFFER;
    pin.reason = OFPR_ACTION;
    pin.table_id = 2;
    match_init_catchall(&pin.metadata);
    match_set_in_port(&pin.metadata, 1);
    pin.packet = frame;
    pin.packet_len = sizeof frame;
    connmgr_send_packet_in(mgr, &pin, OFPCML_NO_BUFFER);
    expect_nothing_before_barrier(&c, OFP10_VERSION);     /* Id 0's. */

    pin.controller_id = 7;
    connmgr_send_packet_in(mgr, &pin, 60);
    struct ofpbuf *m = peer_expect(&c, OFPTYPE_EXPERIMENTER, NULL);
    struct ofp_packet_in got;
    ck_assert_int_eq(nx_packet_in_decode(m->data, m->size, &got), 0);
    ck_assert_uint_eq(got.table_id, 2);
    ck_assert_uint_eq(got.packet_len, 60);
    ck_assert_uint_eq(got.total_len, sizeof frame);
    ck_assert_uint_eq(got.metadata.flow.in_port, 1);
    ofpbuf_delete(m);

    /* NXT_PACKET_IN2, with the controller action's userdata. */
    peer_send(&c, nx_setting(NXT_SET_PACKET_IN_FORMAT, 4,
                             NXPIF_NXT_PACKET_IN2));
    expect_nothing_before_barrier(&c, OFP10_VERSION);
    static const uint8_t userdata[] = { 1, 2, 3, 4, 5 };
    pin.userdata = userdata;
    pin.userdata_len = sizeof userdata;
    connmgr_send_packet_in(mgr, &pin, 60);
    m = peer_expect(&c, OFPTYPE_EXPERIMENTER, NULL);
    ck_assert_int_eq(nx_msg_subtype(m->data, m->size), NXT_PACKET_IN2);
    ck_assert_int_eq(nx_packet_in2_decode(m->data, m->size, &got), 0);
    ck_assert_uint_eq(got.table_id, 2);
    ck_assert_uint_eq(got.packet_len, 60);
    ck_assert_uint_eq(got.total_len, sizeof frame);
    ck_assert_uint_eq(got.userdata_len, sizeof userdata);
    ck_assert_int_eq(memcmp(got.userdata, userdata, sizeof userdata), 0);
    ofpbuf_delete(m);

    peer_close(&c);
    pstream_close(ps);
    free(target);
}
END_TEST

/* Open vSwitch 2.6+ takes the packet-in format and the controller id on
 * OpenFlow 1.1+ connections too (ovs-ofctl -O OpenFlow13 -P ...). */
START_TEST(test_nicira_packet_in_format_on_openflow13)
{
    char *target;
    struct peer c;
    struct pstream *ps = controller_session(&c, OFP_VERSION_BIT(OFP13_VERSION),
                                            &target);

    uint8_t frame[80] = { 0 };
    struct ofp_packet_in pin;
    memset(&pin, 0, sizeof pin);
    pin.buffer_id = OFP_NO_BUFFER;
    pin.reason = OFPR_ACTION;
    pin.table_id = 4;
    pin.cookie = 0x77;
    match_init_catchall(&pin.metadata);
    match_set_in_port(&pin.metadata, 3);
    pin.packet = frame;
    pin.packet_len = sizeof frame;

    static const uint32_t formats[] = {
        NXPIF_NXM, NXPIF_NXT_PACKET_IN2, NXPIF_OPENFLOW10,
    };
    for (size_t i = 0; i < ARRAY_SIZE(formats); i++) {
        struct ofpbuf *b = nx_set_packet_in_format_encode(formats[i],
                                                          OFP13_VERSION, 5);
        peer_send(&c, b);
        expect_nothing_before_barrier(&c, OFP13_VERSION);
        connmgr_send_packet_in(mgr, &pin, OFPCML_NO_BUFFER);
        struct ofp_msg_header h;
        struct ofpbuf *m = peer_recv(&c, 5000);
        ck_assert_ptr_nonnull(m);
        ck_assert_int_eq(ofptype_decode(m->data, m->size, &h, NULL), 0);
        ck_assert_uint_eq(h.version, OFP13_VERSION);
        struct ofp_packet_in got;
        if (formats[i] == NXPIF_OPENFLOW10) {
            ck_assert_int_eq(h.type, OFPTYPE_PACKET_IN);
            ck_assert_int_eq(ofp_packet_in_decode(m->data, m->size, &got), 0);
        } else if (formats[i] == NXPIF_NXM) {
            ck_assert_int_eq(nx_msg_subtype(m->data, m->size), NXT_PACKET_IN);
            ck_assert_int_eq(nx_packet_in_decode(m->data, m->size, &got), 0);
        } else {
            ck_assert_int_eq(nx_msg_subtype(m->data, m->size), NXT_PACKET_IN2);
            ck_assert_int_eq(nx_packet_in2_decode(m->data, m->size, &got), 0);
        }
        ck_assert_uint_eq(got.table_id, 4);
        ck_assert(got.cookie == 0x77);
        ck_assert_uint_eq(got.packet_len, sizeof frame);
        ck_assert_uint_eq(got.metadata.flow.in_port, 3);
        ofpbuf_delete(m);
    }

    /* The flow format stays an OpenFlow 1.0 setting: ofproto's answer. */
    struct ofpbuf *b = ofpraw_alloc(OFPT_EXPERIMENTER, OFP13_VERSION, 6, 8);
    ofpbuf_put_be32(b, NX_VENDOR_ID);
    ofpbuf_put_be32(b, NXT_SET_FLOW_FORMAT);
    ofpbuf_put_be32(b, NXFF_NXM);
    ofpmsg_update_length(b);
    peer_send(&c, b);
    peer_expect_error(&c, OFPERR_OFPBRC_EPERM);

    peer_close(&c);
    pstream_close(ps);
    free(target);
}
END_TEST

START_TEST(test_packet_in_rate_limit)
{
    char *target;
    struct pstream *ps = controller_listen("ctl.sock", &target);
    set_one_controller(target, -1, 2, 5);         /* 2/s, burst 5. */
    struct peer c;
    ck_assert(controller_accept(ps, &c, 5000));
    peer_hello(&c, OFP_VERSION_BIT(OFP13_VERSION));
    ck_assert(pump_until(2000, controller_connected));

    /* 50 at once: the burst passes (plus at most one token refilled
     * while sending: that would take 500 ms). */
    for (int i = 0; i < 50; i++) {
        send_test_packet_in(OFPR_NO_MATCH, 60, 0);
    }
    int n = count_packet_ins(&c);
    ck_assert_int_ge(n, 5);
    ck_assert_int_le(n, 6);

    /* One second later, two tokens came back. */
    pump(1000);
    for (int i = 0; i < 50; i++) {
        send_test_packet_in(OFPR_NO_MATCH, 60, 0);
    }
    n = count_packet_ins(&c);
    ck_assert_int_ge(n, 2);
    ck_assert_int_le(n, 3);

    struct ds s;
    ds_init(&s);
    connmgr_show(mgr, &s);
    ck_assert_msg(strstr(ds_cstr(&s), "(limit 2/s burst 5)") != NULL,
                  "%s", ds_cstr(&s));
    ds_destroy(&s);
    peer_close(&c);
    pstream_close(ps);
    free(target);
}
END_TEST

START_TEST(test_flow_removed_and_port_status)
{
    char *target;
    struct peer c;
    struct pstream *ps = controller_session(&c, OFP_VERSION_BIT(OFP13_VERSION),
                                            &target);

    struct ofp_flow_removed fr;
    memset(&fr, 0, sizeof fr);
    match_init_catchall(&fr.match);
    fr.priority = 7;
    fr.cookie = 0x1234;
    fr.reason = OFPRR_IDLE_TIMEOUT;
    connmgr_send_flow_removed(mgr, &fr);
    struct ofpbuf *m = peer_expect(&c, OFPTYPE_FLOW_REMOVED, NULL);
    struct ofp_flow_removed got;
    ck_assert_int_eq(ofp_flow_removed_decode(m->data, m->size, &got), 0);
    ck_assert_uint_eq(got.cookie, 0x1234);
    ck_assert_int_eq(got.priority, 7);
    ofpbuf_delete(m);

    struct ofp_port_status ps_msg;
    memset(&ps_msg, 0, sizeof ps_msg);
    ps_msg.reason = OFPPR_ADD;
    ps_msg.desc.port_no = 9;
    strcpy(ps_msg.desc.name, "eth9");
    connmgr_send_port_status(mgr, &ps_msg);
    m = peer_expect(&c, OFPTYPE_PORT_STATUS, NULL);
    struct ofp_port_status got_ps;
    ck_assert_int_eq(ofp_port_status_decode(m->data, m->size, &got_ps), 0);
    ck_assert_uint_eq(got_ps.desc.port_no, 9);
    ofpbuf_delete(m);

    /* OpenFlow 1.3 has no eviction reason: it is reported as a delete. */
    fr.reason = OFPRR_EVICTION;
    connmgr_send_flow_removed(mgr, &fr);
    m = peer_expect(&c, OFPTYPE_FLOW_REMOVED, NULL);
    ck_assert_int_eq(ofp_flow_removed_decode(m->data, m->size, &got), 0);
    ck_assert_int_eq(got.reason, OFPRR_DELETE);
    ofpbuf_delete(m);

    /* A slave still gets port status, but not flow removed. */
    struct ofp_role_request rr = { OFPCR_ROLE_SLAVE, true, 1 };
    peer_send(&c, ofp_role_encode(OFPTYPE_ROLE_REQUEST, &rr, OFP13_VERSION,
                                  2));
    ofpbuf_delete(peer_expect(&c, OFPTYPE_ROLE_REPLY, NULL));
    connmgr_send_flow_removed(mgr, &fr);
    connmgr_send_port_status(mgr, &ps_msg);
    ofpbuf_delete(peer_expect(&c, OFPTYPE_PORT_STATUS, NULL));
    expect_nothing_before_barrier(&c, OFP13_VERSION);

    peer_close(&c);
    pstream_close(ps);
    free(target);
}
END_TEST

static bool
fail_open_engaged(void)
{
    return fail_open_flow;
}

static bool
fail_open_disengaged(void)
{
    return !fail_open_flow;
}

START_TEST(test_fail_open_added_and_removed)
{
    /* A controller that is not there yet; probe 1 s: fail open after 3 s. */
    char *target = xasprintf("unix:%s/later.sock", tmpdir);
    set_one_controller(target, 1000, 0, 0);
    pump(1000);
    ck_assert(!fail_open_flow);
    long long start = time_msec();
    ck_assert(pump_until(5000, fail_open_engaged));
    ck_assert_int_ge(time_msec() - start, 1500);
    ck_assert_int_eq(internal_flow_priority, OFPROTO_FAIL_OPEN_PRIORITY);

    /* The controller appears: the flow goes once it connects. */
    char *t2;
    struct pstream *ps = controller_listen("later.sock", &t2);
    struct peer c;
    ck_assert(controller_accept(ps, &c, 5000));
    ck_assert(fail_open_flow);          /* Not before the hello. */
    peer_hello(&c, OFP_VERSION_BIT(OFP13_VERSION));
    ck_assert(pump_until(2000, fail_open_disengaged));
    int calls = n_internal_flow_calls;
    ck_assert_int_eq(calls, 2);

    /* Secure mode never fails open. */
    connmgr_set_fail_mode(mgr, OFPROTO_FAIL_SECURE);
    ck_assert_int_eq(connmgr_get_fail_mode(mgr), OFPROTO_FAIL_SECURE);
    peer_close(&c);
    pump(4000);
    ck_assert(!fail_open_flow);
    ck_assert_int_eq(n_internal_flow_calls, calls);

    /* Back to standalone: fails open (the controller has been gone long
     * enough), and switching to secure removes the flow at once. */
    connmgr_set_fail_mode(mgr, OFPROTO_FAIL_STANDALONE);
    ck_assert(pump_until(5000, fail_open_engaged));
    connmgr_set_fail_mode(mgr, OFPROTO_FAIL_SECURE);
    ck_assert(!fail_open_flow);

    struct ds s;
    ds_init(&s);
    connmgr_show(mgr, &s);
    ck_assert(strstr(ds_cstr(&s), "fail_mode=secure") != NULL);
    ds_destroy(&s);
    pstream_close(ps);
    free(t2);
    free(target);
}
END_TEST

START_TEST(test_status_of_unusable_targets)
{
    struct ofproto_controller cfgs[] = {
        { .target = "ssl:127.0.0.1:6653" },
        { .target = "bogus:thing" },
        { .target = "ptcp:0:127.0.0.1" },
    };
    connmgr_set_controllers(mgr, cfgs, ARRAY_SIZE(cfgs));
    pump(100);

    struct ofproto_controller_status *st;
    size_t n;
    connmgr_get_controller_status(mgr, &st, &n);
    ck_assert_uint_eq(n, 3);
    ck_assert(!st[0].is_connected);
    ck_assert_ptr_nonnull(st[0].last_error);
    ck_assert_msg(strstr(st[0].last_error, "SSL") != NULL, "%s",
                  st[0].last_error);
    ck_assert(!st[1].is_connected);
    ck_assert_str_eq(st[1].state, "VOID");
    ck_assert_ptr_nonnull(st[1].last_error);
    ck_assert_str_eq(st[2].state, "LISTENING");
    ck_assert_ptr_null(st[2].last_error);
    connmgr_free_controller_status(st, n);
}
END_TEST

START_TEST(test_passive_controller_listener)
{
    char *ptarget = xasprintf("punix:%s/ctl-listen.sock", tmpdir);
    set_one_controller(ptarget, -1, 0, 0);
    pump(50);
    char *name = xasprintf("unix:%s/ctl-listen.sock", tmpdir);
    struct stream *s;
    ck_assert_int_eq(stream_open_block(name, 5000, &s), 0);
    struct peer c;
    peer_init(&c, s);
    peer_hello(&c, OFP_VERSION_BIT(OFP13_VERSION));
    ck_assert(pump_until(2000, controller_connected));

    /* A controller, not a management client: packet-ins by default. */
    send_test_packet_in(OFPR_NO_MATCH, 50, 0);
    expect_packet_in(&c, 50, 50);

    size_t n;
    struct ofproto_controller_status *st = status_of_only_controller(&n);
    ck_assert(st[0].is_connected);
    ck_assert_str_eq(st[0].state, "LISTENING");
    connmgr_free_controller_status(st, n);

    peer_close(&c);
    ck_assert(pump_until(2000, no_peer_connections));
    ck_assert(!connmgr_is_any_controller_connected(mgr));
    free(name);
    free(ptarget);
}
END_TEST

/* Runs "ovs-ofctl ARGS unix:MGMT [MORE]" (Open vSwitch's client, a real
 * peer) while the switch runs; returns its exit status and its output in
 * '*out' (caller frees).  Bounded: the child is killed after 10 s. */
static int
run_ovs_ofctl2(const char *args, const char *more, char **out)
{
    char *outfile = xasprintf("%s/ofctl.out", tmpdir);
    char *cmd = xasprintf("exec ovs-ofctl %s unix:%s %s >'%s' 2>&1", args,
                          mgmt_path, more, outfile);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (!pid) {
        execl("/bin/sh", "sh", "-c", cmd, (char *) NULL);
        _exit(127);
    }
    int status = -1;
    long long deadline = time_msec() + 10000;
    while (waitpid(pid, &status, WNOHANG) == 0) {
        if (time_msec() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            ck_abort_msg("ovs-ofctl %s did not finish", args);
        }
        connmgr_run(mgr);
        connmgr_wait(mgr);
        poll_timer_wait(10);
        poll_block();
    }
    FILE *f = fopen(outfile, "r");
    ck_assert_ptr_nonnull(f);
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    *out = xstrdup(buf);
    free(cmd);
    free(outfile);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int
run_ovs_ofctl(const char *args, char **out)
{
    return run_ovs_ofctl2(args, "", out);
}

/* Random but well-framed messages of every type, in the connection's
 * version: each is answered, ignored or refused, and the connection and
 * the switch keep working.  Bounded: 3000 messages, fixed seed. */
START_TEST(test_random_messages_do_not_crash)
{
    struct peer p;
    peer_connect_mgmt(&p);
    peer_hello(&p, OFP_VERSION_BIT(OFP14_VERSION));

    unsigned int seed = 12345;
    for (int i = 0; i < 3000; i++) {
        uint8_t msg[256];
        size_t len = OFP_HEADER_LEN + rand_r(&seed) % (sizeof msg - 8);
        for (size_t j = 0; j < len; j++) {
            msg[j] = rand_r(&seed);
        }
        msg[0] = OFP14_VERSION;
        msg[1] = rand_r(&seed) % 36;
        if (msg[1] == OFPT_HELLO || msg[1] == OFPT_ECHO_REPLY) {
            msg[1] = OFPT_ECHO_REQUEST;
        }
        msg[2] = len >> 8;
        msg[3] = len;
        put_be32(msg + 4, 1000 + i);
        peer_send_raw(&p, msg, len);
        if (i % 100 == 0) {
            /* Drain replies so neither side's buffers fill up. */
            struct ofpbuf *m;
            while ((m = peer_recv(&p, 0)) != NULL) {
                ofpbuf_delete(m);
            }
            ck_assert(!p.eof);
        }
    }

    /* Everything before the barrier was handled; the link is sound. */
    peer_send(&p, simple_msg(OFPTYPE_BARRIER_REQUEST, OFP14_VERSION, 7));
    bool got_barrier = false;
    for (int i = 0; i < 10000 && !got_barrier; i++) {
        struct ofpbuf *m = peer_recv(&p, 5000);
        ck_assert_msg(m != NULL, "connection lost");
        struct ofp_msg_header h;
        if (!ofptype_decode(m->data, m->size, &h, NULL)
            && h.type == OFPTYPE_BARRIER_REPLY && h.xid == 7) {
            got_barrier = true;
        }
        ofpbuf_delete(m);
    }
    ck_assert(got_barrier);
    peer_close(&p);

    peer_connect_mgmt(&p);
    peer_hello(&p, OFP_VERSION_BIT(OFP13_VERSION));
    peer_close(&p);
}
END_TEST

START_TEST(test_ovs_ofctl_as_peer)
{
    if (system("command -v ovs-ofctl >/dev/null 2>&1")) {
        fprintf(stderr, "ovs-ofctl not installed: interop check skipped\n");
        return;
    }
    static const char *versions[] = {
        "OpenFlow10", "OpenFlow13", "OpenFlow14", "OpenFlow15",
    };
    pump(10);
    for (size_t i = 0; i < ARRAY_SIZE(versions); i++) {
        char *args = xasprintf("-O %s probe", versions[i]);
        char *out;
        ck_assert_msg(run_ovs_ofctl(args, &out) == 0, "%s: %s", args, out);
        free(out);
        free(args);

        /* set-frags sends set_config, then reads it back with
         * get_config and compares. */
        args = xasprintf("-O %s set-frags", versions[i]);
        const char *mode = i % 2 ? "drop" : "normal";
        ck_assert_msg(run_ovs_ofctl2(args, mode, &out) == 0, "%s %s: %s",
                      args, mode, out);
        free(out);
        free(args);

        args = xasprintf("-O %s get-frags", versions[i]);
        ck_assert_int_eq(run_ovs_ofctl(args, &out), 0);
        ck_assert_msg(strstr(out, i % 2 ? "drop" : "normal") != NULL,
                      "%s: %s", args, out);
        free(out);
        free(args);
    }

    /* A version the bridge does not allow: ovs-ofctl fails cleanly. */
    connmgr_set_versions(mgr, OFP_VERSION_BIT(OFP13_VERSION));
    char *out;
    ck_assert_int_ne(run_ovs_ofctl("-O OpenFlow10 probe", &out), 0);
    free(out);
    ck_assert_int_eq(run_ovs_ofctl("-O OpenFlow13 probe", &out), 0);
    free(out);
}
END_TEST

/* An os-ken application: on the switch's features it asks to be master
 * (generation id 5) and writes what it sees, one line per event. */
static const char os_ken_app[] =
"from os_ken.base import app_manager\n"
"from os_ken.controller import ofp_event\n"
"from os_ken.controller.handler import CONFIG_DISPATCHER, MAIN_DISPATCHER\n"
"from os_ken.controller.handler import set_ev_cls\n"
"from os_ken.ofproto import ofproto_v1_3, ofproto_v1_4\n"
"import os\n"
"OUT = os.environ['CONNMGR_TEST_OUT']\n"
"def note(s):\n"
"    with open(OUT, 'a') as f:\n"
"        f.write(s + '\\n')\n"
"class T(app_manager.OSKenApp):\n"
"    OFP_VERSIONS = [int(os.environ['CONNMGR_TEST_OFP'])]\n"
"    @set_ev_cls(ofp_event.EventOFPSwitchFeatures, CONFIG_DISPATCHER)\n"
"    def features(self, ev):\n"
"        dp = ev.msg.datapath\n"
"        note('features dpid=%x tables=%d' % (ev.msg.datapath_id,\n"
"                                               ev.msg.n_tables))\n"
"        p = dp.ofproto_parser\n"
"        dp.send_msg(p.OFPRoleRequest(dp, dp.ofproto.OFPCR_ROLE_MASTER, 5))\n"
"    @set_ev_cls(ofp_event.EventOFPRoleReply, [CONFIG_DISPATCHER, MAIN_DISPATCHER])\n"
"    def role(self, ev):\n"
"        note('role %d gen=%d' % (ev.msg.role, ev.msg.generation_id))\n"
"    @set_ev_cls(ofp_event.EventOFPPortDescStatsReply, [CONFIG_DISPATCHER, MAIN_DISPATCHER])\n"
"    def ports(self, ev):\n"
"        note('ports %s' % ','.join(sorted(p.name.decode() for p in ev.msg.body)))\n"
"    @set_ev_cls(ofp_event.EventOFPPacketIn, MAIN_DISPATCHER)\n"
"    def packet_in(self, ev):\n"
"        m = ev.msg\n"
"        note('packet_in reason=%d total_len=%d len=%d in_port=%d' %\n"
"             (m.reason, m.total_len, len(m.data), m.match['in_port']))\n";

static char *
read_file_text(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        return xstrdup("");
    }
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return xstrdup(buf);
}

static const char *os_ken_out;
static const char *os_ken_want;

static bool
os_ken_saw_wanted(void)
{
    char *text = read_file_text(os_ken_out);
    bool found = strstr(text, os_ken_want) != NULL;
    free(text);
    return found;
}

/* A free loopback TCP port (a listener opened and closed). */
static int
free_tcp_port(void)
{
    struct pstream *ps;
    ck_assert_int_eq(pstream_open("ptcp:0:127.0.0.1", &ps), 0);
    int port = pstream_get_bound_port(ps);
    pstream_close(ps);
    return port;
}

static void
os_ken_controller_test(uint8_t version)
{
    if (access("/usr/bin/osken-manager", X_OK)) {
        fprintf(stderr, "osken-manager not installed: interop skipped\n");
        return;
    }
    char *app = xasprintf("%s/app.py", tmpdir);
    char *out = xasprintf("%s/os-ken.out", tmpdir);
    char *log = xasprintf("%s/os-ken.log", tmpdir);
    FILE *f = fopen(app, "w");
    ck_assert_ptr_nonnull(f);
    fputs(os_ken_app, f);
    fclose(f);

    int port = free_tcp_port();
    char *cmd = xasprintf("CONNMGR_TEST_OUT='%s' CONNMGR_TEST_OFP=%d exec "
                          "/usr/bin/osken-manager --ofp-listen-host 127.0.0.1"
                          " --ofp-tcp-listen-port %d '%s' >'%s' 2>&1",
                          out, version, port, app, log);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (!pid) {
        execl("/bin/sh", "sh", "-c", cmd, (char *) NULL);
        _exit(127);
    }

    char *target = xasprintf("tcp:127.0.0.1:%d", port);
    set_one_controller(target, 0, 0, 0);
    os_ken_out = out;

    /* os-ken takes a while to start; the switch retries meanwhile. */
    char *want = xasprintf("features dpid=%llx tables=255",
                           (unsigned long long) TEST_DPID);
    os_ken_want = want;
    bool ok = pump_until(20000, os_ken_saw_wanted);
    if (ok) {
        os_ken_want = "role 2 gen=5";
        ok = pump_until(5000, os_ken_saw_wanted);
    }
    if (ok) {
        os_ken_want = "ports p1,p2";
        ok = pump_until(5000, os_ken_saw_wanted);
    }
    if (ok) {
        /* In MAIN_DISPATCHER after the port description: packet-ins. */
        pump(200);
        send_test_packet_in(OFPR_NO_MATCH, 300, 0);
        os_ken_want = "packet_in reason=0 total_len=300 len=128 in_port=1";
        ok = pump_until(5000, os_ken_saw_wanted);
    }
    size_t n;
    struct ofproto_controller_status *st = status_of_only_controller(&n);
    bool connected = st[0].is_connected;
    const char *role = st[0].role;
    connmgr_free_controller_status(st, n);

    char *text = read_file_text(out);
    char *logtext = read_file_text(log);
    kill(pid, SIGTERM);
    int status;
    waitpid(pid, &status, 0);
    ck_assert_msg(ok, "os-ken did not report \"%s\"; it saw:\n%s\nlog:\n%s",
                  os_ken_want, text, logtext);
    ck_assert(connected);
    ck_assert_str_eq(role, "master");
    free(text);
    free(logtext);
    free(want);
    free(target);
    free(cmd);
    free(app);
    free(out);
    free(log);
}

static const char *monitor_out;
static const char *monitor_want;

static bool
monitor_saw_wanted(void)
{
    char *text = read_file_text(monitor_out);
    bool found = strstr(text, monitor_want) != NULL;
    free(text);
    return found;
}

/* "ovs-ofctl monitor SWITCH 128" sets miss_send_len on a management
 * connection and then prints the packet-ins it gets. */
START_TEST(test_ovs_ofctl_monitor_gets_packet_ins)
{
    if (system("command -v ovs-ofctl >/dev/null 2>&1")) {
        fprintf(stderr, "ovs-ofctl not installed: interop check skipped\n");
        return;
    }
    pump(10);
    char *out = xasprintf("%s/monitor.out", tmpdir);
    char *cmd = xasprintf("exec ovs-ofctl --unixctl=%s/ofctl.ctl "
                          "-O OpenFlow13 monitor unix:%s 128 >'%s' 2>&1",
                          tmpdir, mgmt_path, out);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (!pid) {
        execl("/bin/sh", "sh", "-c", cmd, (char *) NULL);
        _exit(127);
    }
    /* Wait until its set_config was handled: a packet-in reaches it, in
     * the format ovs-ofctl asks for first, NXT_PACKET_IN2. */
    monitor_out = out;
    monitor_want = "NXT_PACKET_IN2 (OF1.3)";
    bool ok = false;
    for (int i = 0; i < 50 && !ok; i++) {
        send_test_packet_in(OFPR_NO_MATCH, 300, 0);
        ok = pump_until(200, monitor_saw_wanted);
    }
    monitor_want = "total_len=300";
    ok = ok && pump_until(2000, monitor_saw_wanted);
    char *text = read_file_text(out);
    kill(pid, SIGTERM);
    int status;
    waitpid(pid, &status, 0);
    ck_assert_msg(ok, "ovs-ofctl monitor printed:\n%s", text);
    free(text);
    free(cmd);
    free(out);
}
END_TEST

START_TEST(test_os_ken_controller_of13)
{
    os_ken_controller_test(OFP13_VERSION);
}
END_TEST

START_TEST(test_os_ken_controller_of14)
{
    os_ken_controller_test(OFP14_VERSION);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("connmgr");
    TCase *tc = tcase_create("connmgr");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_pinsched_token_bucket);
    tcase_add_test(tc, test_mgmt_socket_is_0750_and_hello_negotiates_each_version);
    tcase_add_test(tc, test_hello_disjoint_versions_fail);
    tcase_add_test(tc, test_first_message_must_be_hello);
    tcase_add_test(tc, test_echo_and_wrong_version);
    tcase_add_test(tc, test_barrier_replies_after_earlier_messages);
    tcase_add_test(tc, test_set_and_get_config);
    tcase_add_test(tc, test_role_changes_between_two_connections);
    tcase_add_test(tc, test_nicira_role_request_of10);
    tcase_add_test(tc, test_garbage_input_disconnects_without_crash);
    tcase_add_test(tc, test_big_reply_reaches_slow_reader);
    tcase_add_test(tc, test_requests_without_reading_pause_input);
    tcase_add_test(tc, test_stalled_peer_is_disconnected);
    tcase_add_test(tc, test_active_controller_connects_and_reconnects);
    tcase_add_test(tc, test_inactivity_probe_then_disconnect);
    tcase_add_test(tc, test_packet_in_delivery_and_truncation);
    tcase_add_test(tc, test_packet_in_rate_limit);
    tcase_add_test(tc, test_nicira_packet_in_format_and_controller_id);
    tcase_add_test(tc, test_nicira_packet_in_format_on_openflow13);
    tcase_add_test(tc, test_flow_removed_and_port_status);
    tcase_add_test(tc, test_fail_open_added_and_removed);
    tcase_add_test(tc, test_status_of_unusable_targets);
    tcase_add_test(tc, test_passive_controller_listener);
    tcase_add_test(tc, test_random_messages_do_not_crash);
    tcase_add_test(tc, test_ovs_ofctl_as_peer);
    tcase_add_test(tc, test_ovs_ofctl_monitor_gets_packet_ins);
    tcase_add_test(tc, test_os_ken_controller_of13);
    tcase_add_test(tc, test_os_ken_controller_of14);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
