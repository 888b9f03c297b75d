/* Unit tests for fin_timeout (NXAST_FIN_TIMEOUT) and learn's fin timeouts:
 * the bytes Debian's ovs-ofctl 3.1 sends for
 *   tcp,idle_timeout=60,actions=fin_timeout(idle_timeout=2,hard_timeout=30),
 *   output:2
 * in OpenFlow 1.0 and 1.3 (captured with tests/ofp-capture.py) are ours and
 * read back as it prints them; bad lengths and bad text get their errors;
 * a translation notes the fin_timeout and a FIN or RST, not another flag,
 * lowers the rule's timeouts as Open vSwitch does; a learned flow gets the
 * learn's fin timeouts as a fin_timeout action. */
#include <config.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlate-fixture.h"
#include "test-ofp-util.h"
#include "dynamic-string.h"
#include "flow.h"
#include "match.h"
#include "ofp-actions.h"
#include "ofp-buf.h"
#include "ofp-flow.h"
#include "ofp-msgs.h"
#include "ofp-parse.h"
#include "ofp-print.h"
#include "ofproto/mac-learning.h"
#include "ofproto/normal.h"
#include "ofproto/ofproto-provider.h"
#include "ofproto/ofproto.h"
#include "ofproto/xlate.h"
#include "packets.h"
#include "util.h"

static const char flow_text[] =
    "tcp,idle_timeout=60,actions=fin_timeout(idle_timeout=2,hard_timeout=30),"
    "output:2";
/* What ovs-ofctl ofp-print shows for both messages (after "ADD "). */
static const char printed[] =
    "tcp idle:60 actions=fin_timeout(idle_timeout=2,hard_timeout=30),output:2";

static const char golden10[] =
    "010e006000000002003820cf0000000000000000000000000000000000000800"
    "0006000000000000000000000000000000000000000000000000003c00008000"
    "ffffffffffff0000ffff00100000232000130002001e00000000000800020000";
static const char golden13[] =
    "040e006800000002000000000000000000000000000000000000003c00008000"
    "ffffffffffffffffffffffff000000000001000f80000a020800800014010600"
    "0004002800000000ffff00100000232000130002001e00000000001000000002"
    "0000000000000000";

static void
check_version(uint8_t version, const char *golden)
{
    struct ofp_flow_mod fm, fm2;
    test_parse_flow(flow_text, &fm);
    struct ofpbuf *msg;
    ck_assert_int_eq(ofp_flow_mod_encode(&fm, version, 2, &msg), 0);
    char *got = test_ofpbuf_to_hex(msg);
    ck_assert_msg(!strcmp(got, golden), "got  %s\nwant %s", got, golden);
    free(got);

    ofp_flow_mod_init(&fm2);
    struct ofpbuf *theirs = test_ofpbuf_from_hex(golden);
    enum ofperr e = ofp_flow_mod_decode(theirs->data, theirs->size, &fm2);
    ck_assert_msg(!e, "%s", ofperr_get_name(e));
    ck_assert(ofpacts_equal(&fm.ofpacts, &fm2.ofpacts));
    test_check_flow_text(&fm2, printed);
    ofpbuf_delete(theirs);
    ofpbuf_delete(msg);
    ofp_flow_mod_uninit(&fm);
    ofp_flow_mod_uninit(&fm2);
}

START_TEST(test_fin_timeout_is_what_ovs_ofctl_sends)
{
    check_version(OFP10_VERSION, golden10);
    check_version(OFP13_VERSION, golden13);
}
END_TEST

/* Decodes the 16-byte action of golden13, 'len' bytes long as its header
 * says (zeros added or cut), in 'version'. */
static enum ofperr
decode_with_len(size_t len, uint8_t version, struct ofpacts *o)
{
    struct ofpbuf *b = test_ofpbuf_from_hex("ffff00100000232000130002001e0000");
    while (b->size < len) {
        ofpbuf_put_u8(b, 0);
    }
    b->size = len;
    put_be16(b->data + 2, len);
    enum ofperr e = ofpacts_pull_actions(b, b->size, version, o);
    ofpbuf_delete(b);
    return e;
}

START_TEST(test_fin_timeout_bad_lengths)
{
    struct ofpacts o;
    ofpacts_init(&o);
    ck_assert_int_eq(decode_with_len(16, OFP10_VERSION, &o), 0);
    ck_assert_uint_eq(o.n, 1);
    ck_assert_int_eq(o.acts[0].type, OFPACT_FIN_TIMEOUT);
    ck_assert_uint_eq(o.acts[0].u.fin_timeout.idle, 2);
    ck_assert_uint_eq(o.acts[0].u.fin_timeout.hard, 30);
    for (uint8_t v = OFP10_VERSION; v <= OFP13_VERSION; v += 3) {
        ofpacts_clear(&o);
        ck_assert_int_eq(decode_with_len(24, v, &o), OFPERR_OFPBAC_BAD_LEN);
        ofpacts_clear(&o);
        ck_assert_int_eq(decode_with_len(32, v, &o), OFPERR_OFPBAC_BAD_LEN);
    }
    ofpacts_uninit(&o);
}
END_TEST

static char *
actions_round_trip(const char *actions)
{
    struct ofp_flow_mod fm;
    char *text = xasprintf("tcp,actions=%s", actions);
    ofp_flow_mod_init(&fm);
    char *error = ofp_parse_flow_mod(text, OFPFC_ADD, &fm);
    free(text);
    if (error) {
        ofp_flow_mod_uninit(&fm);
        return error;
    }
    struct ds s = DS_EMPTY_INITIALIZER;
    ofpacts_format(&fm.ofpacts, &s);
    ofp_flow_mod_uninit(&fm);
    return ds_steal_cstr(&s);
}

static void
check_round_trip(const char *in, const char *want)
{
    char *got = actions_round_trip(in);
    ck_assert_msg(!strcmp(got, want), "%s: got %s, want %s", in, got, want);
    free(got);
}

/* The text as ovs-ofctl parse-flow takes and prints it, its errors too. */
START_TEST(test_fin_timeout_text)
{
    check_round_trip("fin_timeout()", "fin_timeout()");
    check_round_trip("fin_timeout", "fin_timeout()");
    check_round_trip("fin_timeout(hard_timeout=3)", "fin_timeout(hard_timeout=3)");
    check_round_trip("fin_timeout(idle_timeout=0x10)",
                     "fin_timeout(idle_timeout=16)");
    check_round_trip("fin_timeout(hard_timeout=9,idle_timeout=8),output:1",
                     "fin_timeout(idle_timeout=8,hard_timeout=9),output:1");
    check_round_trip("fin_timeout(foo=1)",
                     "invalid key 'foo' in 'fin_timeout' argument");
    check_round_trip("fin_timeout(idle_timeout=70000)",
                     "invalid idle_timeout \"70000\"");
    check_round_trip("fin_timeout(hard_timeout)", "invalid hard_timeout \"\"");
}
END_TEST

/* ---- Semantics, on a real ofproto (tests/xlate-fixture.h). ---- */

/* Port 1 (02:..:01) talks to port 2 (02:..:02) and back. */
static struct dp_key
tcp_key(uint32_t in_port)
{
    return xf_tcp_key(in_port, in_port, 3 - in_port, 0x0a000002);
}

static bool
dump_contains(const char *want, bool quiet)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    ofproto_dump_flows(ofp, false, &s);
    bool found = strstr(ds_cstr(&s), want) != NULL;
    if (!found && !quiet) {
        fprintf(stderr, "no \"%s\" in:\n%s", want, ds_cstr(&s));
    }
    ds_destroy(&s);
    return found;
}

static bool dump_has(const char *want) { return dump_contains(want, false); }
static bool dump_lacks(const char *no) { return !dump_contains(no, true); }

/* FIN or RST lowers the timeouts the action names, each only if the rule
 * had none or a longer one; other flags change nothing. */
START_TEST(test_fin_or_rst_lowers_timeouts)
{
    xf_add_flow("priority=5,tcp,in_port=1,idle_timeout=60,hard_timeout=100,"
             "actions=fin_timeout(idle_timeout=2,hard_timeout=300),output:2");
    xf_add_flow("priority=5,tcp,in_port=2,"
             "actions=fin_timeout(hard_timeout=5),output:1");
    struct dp_key k = tcp_key(1);
    xf_run(&k);
    ck_assert_uint_eq(xo.n_fins, 1);
    ck_assert_uint_eq(xo.fins[0].idle, 2);
    ck_assert_uint_eq(xo.fins[0].hard, 300);
    ck_assert_uint_eq(xo.mask.nw_proto, 0xff);
    ck_assert_uint_eq(xo.slow, 0);

    xlate_fin_apply(ofp, xo.fins, xo.n_fins, TCP_SYN | TCP_ACK | TCP_PSH);
    ck_assert(dump_has("idle_timeout=60, hard_timeout=100, priority=5,"
                       "tcp,in_port=1"));
    xlate_fin_apply(ofp, xo.fins, xo.n_fins, TCP_ACK | TCP_FIN);
    ck_assert(dump_has("idle_timeout=2, hard_timeout=100, priority=5,"
                       "tcp,in_port=1"));

    /* A rule without timeouts gets one, and expires by it. */
    k = tcp_key(2);
    xf_run(&k);
    ck_assert_uint_eq(xo.n_fins, 1);
    xlate_fin_apply(ofp, xo.fins, xo.n_fins, TCP_RST);
    ck_assert(dump_has("hard_timeout=5, priority=5,tcp,in_port=2"));
    struct rule *r = xo.fins[0].rule;
    ck_assert(!vs_list_is_empty(&r->expirable_node));
    uint64_t v = ofproto_get_version(ofp);
    r->modified -= 6000;        /* As if added 6 s ago. */
    ofproto_expire(ofp);
    ck_assert(ofproto_get_version(ofp) != v);
    ck_assert(dump_lacks("in_port=2"));
}
END_TEST

/* A packet-out's own actions have no rule to change: nothing noted. */
START_TEST(test_fin_timeout_without_rule)
{
    struct ofpacts acts;
    ofpacts_init(&acts);
    struct ofpact *a = ofpact_put(&acts, OFPACT_FIN_TIMEOUT);
    a->u.fin_timeout.idle = 1;
    struct dp_key k = tcp_key(1);
    struct xlate_in xin = {
        .ofproto = ofp, .nb = &nb, .key = &k, .ofpacts = &acts,
        .of_in_port = 1, .now = 1000,
    };
    xlate_actions(&xin, &xo);
    ck_assert_uint_eq(xo.n_fins, 0);
    ofpacts_uninit(&acts);
}
END_TEST

/* learn(fin_idle_timeout=..,fin_hard_timeout=..): the learned flow has
 * them as a fin_timeout action before what the specs make, as Open vSwitch
 * builds it (tests/system/ofproto-fin.sh compares its dump). */
START_TEST(test_learn_gives_learned_flow_fin_timeout)
{
    xf_add_flow("tcp,actions=learn(table=1,idle_timeout=30,fin_idle_timeout=5,"
             "fin_hard_timeout=10,NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],"
             "output:NXM_OF_IN_PORT[]),output:2");
    struct dp_key k = tcp_key(1);
    xf_run(&k);
    ck_assert_uint_eq(xo.n_learned, 1);
    xlate_learned_apply(&xo, ofp, 1000);
    ck_assert(dump_has("idle_timeout=30, priority=32768,"
                       "dl_dst=02:00:00:00:00:01,"
                       "actions=fin_timeout(idle_timeout=5,"
                       "hard_timeout=10),output:1"));
    /* Without fin timeouts, no action. */
    xf_add_flow("tcp,actions=learn(table=2,NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],"
             "output:NXM_OF_IN_PORT[]),output:2");
    xf_run(&k);
    xlate_learned_apply(&xo, ofp, 1000);
    ck_assert(dump_has("n_bytes=0, priority=32768,dl_dst=02:00:00:00:00:01,"
                       "actions=output:1"));
    ck_assert(dump_lacks("n_bytes=0, priority=32768,dl_dst=02:00:00:00:00:01,"
                         "actions=fin"));
}
END_TEST

/* The flags of a real frame: Ethernet, IPv4, TCP with FIN|ACK. */
START_TEST(test_packet_tcp_flags)
{
    uint8_t frame[54];
    memset(frame, 0, sizeof frame);
    frame[0] = 0x02;
    frame[6] = 0x02;
    frame[12] = 0x08;                   /* IPv4. */
    frame[14] = 0x45;
    frame[17] = 40;                     /* Total length. */
    frame[22] = 64;
    frame[23] = IPPROTO_TCP;
    frame[14 + 20 + 12] = 0x50;         /* Data offset 5. */
    frame[14 + 20 + 13] = 0x11;         /* FIN | ACK. */
    ck_assert_uint_eq(xlate_packet_tcp_flags(frame, sizeof frame),
                      TCP_FIN | TCP_ACK);
    frame[23] = IPPROTO_UDP;
    ck_assert_uint_eq(xlate_packet_tcp_flags(frame, sizeof frame), 0);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("ofp-fin");
    TCase *tc = tcase_create("codec");
    tcase_add_test(tc, test_fin_timeout_is_what_ovs_ofctl_sends);
    tcase_add_test(tc, test_fin_timeout_bad_lengths);
    tcase_add_test(tc, test_fin_timeout_text);
    tcase_add_test(tc, test_packet_tcp_flags);
    suite_add_tcase(s, tc);
    TCase *tx = tcase_create("xlate");
    tcase_add_checked_fixture(tx, xlate_fixture_setup,
                              xlate_fixture_teardown);
    tcase_add_test(tx, test_fin_or_rst_lowers_timeouts);
    tcase_add_test(tx, test_fin_timeout_without_rule);
    tcase_add_test(tx, test_learn_gives_learned_flow_fin_timeout);
    suite_add_tcase(s, tx);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
