/* Unit tests for tunnel ports: option parsing (datapath/tunnel.c), the
 * userspace encapsulation, the datapath text form of tunnel keys and
 * actions (dpif-format.c), and the OpenFlow tunnel fields and set_tunnel
 * actions (lib/ofp-*): syntax, wire encoding as Open vSwitch writes it, and
 * back. */
#include <config.h>
#include <check.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include "datapath/dpif.h"
#include "datapath/tunnel.h"
#include "dynamic-string.h"
#include "match.h"
#include "ofp-actions.h"
#include "ofp-buf.h"
#include "ofp-msgs.h"
#include "ofp-parse.h"
#include "ofp-print.h"

static vs_be32
ip(const char *s)
{
    struct in_addr a;
    ck_assert_int_eq(inet_pton(AF_INET, s, &a), 1);
    return a.s_addr;
}

/* Parses; returns the error message (caller frees) or NULL. */
static char *
parse(const char *type, const char *options, struct tunnel_cfg *c)
{
    char *msg;
    int error = tunnel_cfg_parse(type, options, c, &msg);
    ck_assert(!error == !msg);
    return msg;
}

static void
expect_error(const char *type, const char *options, const char *part)
{
    struct tunnel_cfg c;
    char *msg = parse(type, options, &c);
    ck_assert_msg(msg && strstr(msg, part), "\"%s\": got \"%s\", want \"%s\"",
                  options, msg ? msg : "(no error)", part);
    free(msg);
}

START_TEST(test_tunnel_options_fixed_and_flow)
{
    struct tunnel_cfg c;

    ck_assert(!parse("vxlan", "remote_ip=10.9.0.2,key=123", &c));
    ck_assert_uint_eq(c.type, DP_PORT_TYPE_VXLAN);
    ck_assert_uint_eq(c.remote, ip("10.9.0.2"));
    ck_assert_uint_eq(c.key, 123);
    ck_assert_uint_eq(c.flags, 0);
    ck_assert_uint_eq(c.udp_port, 4789);
    ck_assert_uint_eq(c.local, 0);

    ck_assert(!parse("vxlan", "key=flow,remote_ip=flow,local_ip=10.9.0.1,"
                     "dst_port=8472", &c));
    ck_assert_uint_eq(c.flags, DP_TUN_KEY_FLOW | DP_TUN_REMOTE_FLOW);
    ck_assert_uint_eq(c.remote, 0);
    ck_assert_uint_eq(c.local, ip("10.9.0.1"));
    ck_assert_uint_eq(c.udp_port, 8472);

    /* Geneve's own port; hex keys; the datapath's own options pass. */
    ck_assert(!parse("geneve", "remote_ip=10.0.0.1,key=0xffffff,xdp-mode=native",
                     &c));
    ck_assert_uint_eq(c.type, DP_PORT_TYPE_GENEVE);
    ck_assert_uint_eq(c.udp_port, 6081);
    ck_assert_uint_eq(c.key, 0xffffff);

    char name[16];
    tunnel_netdev_name(&c, name);
    ck_assert_str_eq(name, "vs_geneve_6081");
}
END_TEST

START_TEST(test_tunnel_bad_options_say_what)
{
    expect_error("vxlan", NULL, "needs options:remote_ip");
    expect_error("vxlan", "key=5", "needs options:remote_ip");
    expect_error("vxlan", "remote_ip=10.0.0.300", "bad remote_ip");
    expect_error("vxlan", "remote_ip=0.0.0.0", "bad remote_ip");
    expect_error("vxlan", "remote_ip=10.0.0.1,key=abc", "bad key");
    expect_error("vxlan", "remote_ip=10.0.0.1,key=16777216", "bad key");
    expect_error("vxlan", "remote_ip=10.0.0.1,key=-1", "bad key");
    expect_error("vxlan", "remote_ip=10.0.0.1,dst_port=0", "bad dst_port");
    expect_error("vxlan", "remote_ip=10.0.0.1,dst_port=65536", "bad dst_port");
    expect_error("vxlan", "remote_ip=10.0.0.1,local_ip=x", "bad local_ip");
    expect_error("vxlan", "remote_ip=10.0.0.1,csum=true", "unsupported");
    expect_error("vxlan", "remote_ip", "has no value");
    expect_error("gre", "remote_ip=10.0.0.1", "not a tunnel type");
}
END_TEST

START_TEST(test_tunnel_encap_headers)
{
    static const uint8_t frame[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
                                     0x08, 0x00, 0xaa };
    struct tunnel_cfg c = { .type = DP_PORT_TYPE_VXLAN, .udp_port = 4789 };
    uint8_t buf[64];

    /* RFC 7348: flags I, VNI in bytes 4..6. */
    size_t n = tunnel_encap(&c, 0x123456, frame, sizeof frame, buf, sizeof buf);
    static const uint8_t vxlan[8] = { 0x08, 0, 0, 0, 0x12, 0x34, 0x56, 0 };
    ck_assert_uint_eq(n, sizeof frame + 8);
    ck_assert(!memcmp(buf, vxlan, 8));
    ck_assert(!memcmp(buf + 8, frame, sizeof frame));

    /* RFC 8926: version 0, no options, Transparent Ethernet Bridging. */
    c.type = DP_PORT_TYPE_GENEVE;
    n = tunnel_encap(&c, 123, frame, sizeof frame, buf, sizeof buf);
    static const uint8_t geneve[8] = { 0, 0, 0x65, 0x58, 0, 0, 123, 0 };
    ck_assert_uint_eq(n, sizeof frame + 8);
    ck_assert(!memcmp(buf, geneve, 8));

    /* No room: nothing. */
    ck_assert_uint_eq(tunnel_encap(&c, 1, frame, sizeof frame, buf, 20), 0);
}
END_TEST

START_TEST(test_dp_flow_text_tunnel_fields_round_trip)
{
    const char *text = "in_port=3,tun_id=0x7b,tun_src=10.9.0.2,"
                       "tun_dst=10.9.0.1,actions=set_tun_id(0x7b),"
                       "set_tun_dst(10.9.0.3),output:1";
    struct dp_key key, mask;
    struct dp_action acts[DP_MAX_ACTIONS];
    size_t n;
    char *error = dp_flow_parse(text, &key, &mask, acts, &n);
    ck_assert_msg(!error, "%s", error);
    ck_assert_uint_eq(key.tun_id, vs_htonll(123));
    ck_assert_uint_eq(key.tun_src, ip("10.9.0.2"));
    ck_assert_uint_eq(key.tun_dst, ip("10.9.0.1"));
    ck_assert_uint_eq(n, 3);
    ck_assert_uint_eq(acts[0].type, DP_ACT_SET_TUN_ID);
    ck_assert_uint_eq(acts[0].tun_id, 123);
    ck_assert_uint_eq(acts[1].type, DP_ACT_SET_TUN_DST);
    ck_assert_uint_eq(acts[1].ipv4, ip("10.9.0.3"));

    struct ds s = DS_EMPTY_INITIALIZER;
    dp_flow_format(&s, &key, &mask, acts, n);
    ck_assert_str_eq(ds_cstr(&s), text);
    ds_destroy(&s);
}
END_TEST

/* Encodes 'acts' for 'version', decodes them back and returns the text. */
static char *
round_trip(const char *acts_text, uint8_t version, const uint8_t *want,
           size_t want_len)
{
    struct match m;
    struct ofpacts o = OFPACTS_INITIALIZER, back = OFPACTS_INITIALIZER;
    struct ofpbuf b;

    match_init_catchall(&m);
    char *error = ofp_parse_actions(acts_text, &m, &o);
    ck_assert_msg(!error, "%s: %s", acts_text, error);
    ofpbuf_init(&b, 64);
    ck_assert_int_eq(ofpacts_put_actions(o.acts, o.n, &b, version), 0);
    if (want) {
        ck_assert_uint_eq(b.size, want_len);
        ck_assert(!memcmp(b.data, want, want_len));
    }
    ck_assert_int_eq(ofpacts_pull_actions(&b, b.size, version, &back), 0);
    struct ds s = DS_EMPTY_INITIALIZER;
    ofpacts_format(&back, &s);
    ofpbuf_uninit(&b);
    ofpacts_uninit(&o);
    ofpacts_uninit(&back);
    return ds_steal_cstr(&s);
}

START_TEST(test_set_tunnel_nicira_encoding)
{
    /* NXAST_SET_TUNNEL (2): 32-bit id in a 16-byte action. */
    static const uint8_t st[] = {
        0xff, 0xff, 0, 16, 0, 0, 0x23, 0x20, 0, 2, 0, 0, 0, 0, 0, 0x7b,
    };
    /* NXAST_SET_TUNNEL64 (9): 64-bit id in 24 bytes. */
    static const uint8_t st64[] = {
        0xff, 0xff, 0, 24, 0, 0, 0x23, 0x20, 0, 9, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 1, 0, 0, 0, 2,
    };
    char *t = round_trip("set_tunnel:123", OFP10_VERSION, st, sizeof st);
    ck_assert_str_eq(t, "set_tunnel:0x7b");
    free(t);
    t = round_trip("set_tunnel64:0x100000002", OFP10_VERSION, st64,
                   sizeof st64);
    ck_assert_str_eq(t, "set_tunnel64:0x100000002");
    free(t);
    t = round_trip("set_tunnel64:5", OFP10_VERSION, NULL, 0);
    ck_assert_str_eq(t, "set_tunnel64:0x5");
    free(t);

    /* OpenFlow 1.3: set_field on tunnel_id (OXM 38), as ovs-ofctl sends
     * and prints it. */
    static const uint8_t sf[] = {
        0, 25, 0, 16, 0x80, 0, 38 << 1, 8, 0, 0, 0, 0, 0, 0, 0, 0x7b,
    };
    t = round_trip("set_tunnel:123", OFP13_VERSION, sf, sizeof sf);
    ck_assert_str_eq(t, "set_field:0x7b->tun_id");
    free(t);
    /* ... and the Nicira forms still decode there. */
    struct ofpbuf nb;
    struct ofpacts back = OFPACTS_INITIALIZER;
    ofpbuf_init(&nb, 32);
    ofpbuf_put(&nb, st64, sizeof st64);
    ck_assert_int_eq(ofpacts_pull_actions(&nb, nb.size, OFP13_VERSION, &back),
                     0);
    ck_assert_uint_eq(back.n, 1);
    ck_assert_uint_eq(back.acts[0].u.tunnel.id, 0x100000002ULL);
    ofpbuf_uninit(&nb);
    ofpacts_uninit(&back);
    /* A 32-bit set_tunnel cannot take more. */
    struct match m;
    struct ofpacts o = OFPACTS_INITIALIZER;
    match_init_catchall(&m);
    char *error = ofp_parse_actions("set_tunnel:0x100000000", &m, &o);
    ck_assert(error);
    free(error);
    ofpacts_uninit(&o);
}
END_TEST

START_TEST(test_tunnel_set_field_and_match_of13)
{
    char *t = round_trip("set_field:10.9.0.3->tun_dst,set_field:123->tun_id,"
                         "output:2", OFP13_VERSION, NULL, 0);
    ck_assert_str_eq(t, "set_field:10.9.0.3->tun_dst,set_field:0x7b->tun_id,"
                        "output:2");
    free(t);

    struct match m;
    int prio;
    char *error = ofp_parse_match("in_port=1,tun_id=0x7b,tun_src=10.9.0.2,"
                                  "tun_dst=10.9.0.1/24", &m, &prio);
    ck_assert_msg(!error, "%s", error);
    ck_assert_uint_eq(m.flow.tun_src, ip("10.9.0.2"));
    ck_assert_uint_eq(m.wc.masks.tun_src, 0xffffffff);
    ck_assert_uint_eq(m.flow.tun_dst, ip("10.9.0.0"));
    ck_assert_uint_eq(m.wc.masks.tun_dst, ip("255.255.255.0"));
    ck_assert_uint_eq(m.flow.tun_id, vs_htonll(123));
}
END_TEST

/* An OpenFlow 1.3 flow_mod built by hand (tests/fuzz/corpus/ofp-decode/
 * tunnel-flow-mod-13): tunnel_id (OXM 38), tun_src/tun_dst (NXM_1 31/32),
 * set_tunnel64, set_field on tun_dst.  The expected text is what Open
 * vSwitch's "ovs-ofctl ofp-print" prints for the same bytes. */
START_TEST(test_tunnel_flow_mod_prints_as_ovs_ofctl)
{
    static const uint8_t msg[] = {
        0x04, 0x0e, 0x00, 0x98, 0x00, 0x00, 0x00, 0x01,
        0, 0, 0, 0, 0, 0, 0, 0,  0, 0, 0, 0, 0, 0, 0, 0,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x64,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00,
        /* Match. */
        0x00, 0x01, 0x00, 0x28,
        0x80, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x02,
        0x80, 0x00, 0x4c, 0x08, 0, 0, 0, 0, 0, 0, 0, 0x7b,
        0x00, 0x01, 0x3e, 0x04, 10, 9, 0, 2,
        0x00, 0x01, 0x40, 0x04, 10, 9, 0, 1,
        /* Apply-actions. */
        0x00, 0x04, 0x00, 0x40, 0, 0, 0, 0,
        0xff, 0xff, 0x00, 0x18, 0x00, 0x00, 0x23, 0x20,
        0x00, 0x09, 0, 0, 0, 0, 0, 0,  0, 0, 0, 1, 0, 0, 0, 2,
        0x00, 0x19, 0x00, 0x10, 0x00, 0x01, 0x40, 0x04,
        10, 9, 0, 3, 0, 0, 0, 0,
        0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x03,
        0xff, 0xff, 0, 0, 0, 0, 0, 0,
    };
    ck_assert_uint_eq(sizeof msg, 0x98);
    char *s = ofp_msg_to_string(msg, sizeof msg);
    ck_assert_str_eq(s, "OFPT_FLOW_MOD (OF1.3) (xid=0x1): ADD priority=100,"
                     "tun_id=0x7b,tun_src=10.9.0.2,tun_dst=10.9.0.1,in_port=2 "
                     "actions=set_tunnel64:0x100000002,"
                     "set_field:10.9.0.3->tun_dst,output:3");
    free(s);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("tunnel");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_tunnel_options_fixed_and_flow);
    tcase_add_test(tc, test_tunnel_bad_options_say_what);
    tcase_add_test(tc, test_tunnel_encap_headers);
    tcase_add_test(tc, test_dp_flow_text_tunnel_fields_round_trip);
    tcase_add_test(tc, test_set_tunnel_nicira_encoding);
    tcase_add_test(tc, test_tunnel_set_field_and_match_of13);
    tcase_add_test(tc, test_tunnel_flow_mod_prints_as_ovs_ofctl);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
