/* Unit tests for datapath/dpif-format: the megaflow text syntax. */
#include <config.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "datapath/dpif.h"
#include "dynamic-string.h"

static void
roundtrip(const char *in, const char *expected)
{
    struct dp_action acts[DP_MAX_ACTIONS];
    struct dp_key key, mask;
    size_t n;
    char *error = dp_flow_parse(in, &key, &mask, acts, &n);
    ck_assert_msg(!error, "%s: %s", in, error);
    struct ds s = DS_EMPTY_INITIALIZER;
    dp_flow_format(&s, &key, &mask, acts, n);
    ck_assert_str_eq(ds_cstr(&s), expected);
    ds_destroy(&s);
}

START_TEST(test_flow_roundtrip_exact_and_masked)
{
    roundtrip("in_port=1,actions=output:2", "in_port=1,actions=output:2");
    roundtrip("eth_dst=02:00:00:00:00:0a,eth_type=0x0800,nw_dst=10.1.0.0/16,"
              "actions=push_vlan:10,output:3",
              "eth_dst=02:00:00:00:00:0a,eth_type=0x0800,"
              "nw_dst=10.1.0.0/255.255.0.0,actions=push_vlan:10,output:3");
    roundtrip("vlan_tci=0x100a/0x1fff,actions=pop_vlan,flood",
              "vlan_tci=0x100a/0x1fff,actions=pop_vlan,flood");
    roundtrip("tp_dst=80,nw_proto=6,actions=drop",
              "nw_proto=6,tp_dst=80,actions=drop");
}
END_TEST

START_TEST(test_flow_rewrite_actions)
{
    roundtrip("in_port=1,actions=set_eth_src(02:00:00:00:00:01),"
              "set_eth_dst(aa:bb:cc:dd:ee:ff),output:2,"
              "set_eth_dst(02:00:00:00:00:03),output:3",
              "in_port=1,actions=set_eth_src(02:00:00:00:00:01),"
              "set_eth_dst(aa:bb:cc:dd:ee:ff),output:2,"
              "set_eth_dst(02:00:00:00:00:03),output:3");
    roundtrip("eth_type=0x0800,actions=set_ipv4_src(10.0.0.1),"
              "set_ipv4_dst(192.168.1.254),set_tp_src(1024),set_tp_dst(80),"
              "output:1",
              "eth_type=0x0800,actions=set_ipv4_src(10.0.0.1),"
              "set_ipv4_dst(192.168.1.254),set_tp_src(1024),set_tp_dst(80),"
              "output:1");
    roundtrip("in_port=2,actions=set_ip_tos(0x28/0xfc),set_ip_tos(0xff),"
              "set_ip_ttl(63),output:1",
              "in_port=2,actions=set_ip_tos(0x28/0xfc),set_ip_tos(0xff),"
              "set_ip_ttl(63),output:1");
    roundtrip("in_port=1,actions=meter:1023,set_ip_ttl(1),output:2",
              "in_port=1,actions=meter:1023,set_ip_ttl(1),output:2");
    /* Bits outside the mask are dropped. */
    roundtrip("in_port=2,actions=set_ip_tos(0x2b/0xfc)",
              "in_port=2,actions=set_ip_tos(0x28/0xfc)");

    struct dp_action acts[DP_MAX_ACTIONS];
    struct dp_key key, mask;
    size_t n;
    ck_assert(!dp_flow_parse("in_port=1,actions=set_ipv4_dst(10.1.2.3),"
                             "set_tp_dst(8080),set_ip_ttl(0x3f)",
                             &key, &mask, acts, &n));
    ck_assert_uint_eq(n, 3);
    ck_assert_uint_eq(acts[0].type, DP_ACT_SET_IPV4_DST);
    ck_assert_uint_eq(((const uint8_t *) &acts[0].ipv4)[0], 10);
    ck_assert_uint_eq(((const uint8_t *) &acts[0].ipv4)[3], 3);
    ck_assert_uint_eq(acts[1].type, DP_ACT_SET_TP_DST);
    ck_assert_uint_eq(((const uint8_t *) &acts[1].tp_port)[0], 8080 >> 8);
    ck_assert_uint_eq(((const uint8_t *) &acts[1].tp_port)[1], 8080 & 0xff);
    ck_assert_uint_eq(acts[2].ttl, 63);
}
END_TEST

START_TEST(test_flow_parse_masks_the_key)
{
    struct dp_action acts[DP_MAX_ACTIONS];
    struct dp_key key, mask;
    size_t n;
    ck_assert(!dp_flow_parse("nw_src=10.1.2.3/255.255.255.0,actions=upcall",
                             &key, &mask, acts, &n));
    ck_assert(dp_key_is_masked_by(&key, &mask));
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_eq(acts[0].type, DP_ACT_UPCALL);
    const uint8_t *ip = (const uint8_t *) &key.nw_src;
    ck_assert_uint_eq(ip[3], 0);
    ck_assert_uint_eq(ip[2], 2);
}
END_TEST

START_TEST(test_flow_mpls_and_priority)
{
    roundtrip("eth_type=0x8847,mpls_lse=0x000c8000/0xfffff000,"
              "actions=pop_mpls(0x0800),output:1",
              "eth_type=0x8847,mpls_lse=0x000c8000/0xfffff000,"
              "actions=pop_mpls(0x0800),output:1");
    roundtrip("in_port=1,actions=push_mpls(0x8847:0x00000140),"
              "set_mpls(0x0006413f),set_priority(0x10002),output:2,"
              "pop_priority,output:3",
              "in_port=1,actions=push_mpls(0x8847:0x00000140),"
              "set_mpls(0x0006413f),set_priority(0x10002),output:2,"
              "pop_priority,output:3");
}
END_TEST

START_TEST(test_flow_parse_rejects_bad_input)
{
    static const char *const bad[] = {
        "in_port=1",                          /* no actions */
        "in_port=x,actions=drop",
        "eth_dst=02:00:00:00:00,actions=drop",
        "bogus=1,actions=drop",
        "in_port=1,actions=output:0",
        "in_port=1,actions=output:999",
        "in_port=1,actions=push_vlan:5000",
        "in_port=1,actions=jump",
        "nw_proto=300,actions=drop",
        "in_port,actions=drop",
        "ipv6_dst=2001:db8::g,actions=drop",
        "ipv6_src=2001:db8::1/129,actions=drop",
        "in_port=1,actions=set_eth_dst(02:00:00:00:00)",
        "in_port=1,actions=set_eth_dst 02:00:00:00:00:01",
        "in_port=1,actions=set_eth_dst(02:00:00:00:00:01",
        "in_port=1,actions=set_ipv4_dst(10.0.0.256)",
        "in_port=1,actions=set_tp_dst(65536)",
        "in_port=1,actions=set_tp_src()",
        "in_port=1,actions=set_ip_tos(0x100)",
        "in_port=1,actions=set_ip_tos(0x28/0)",
        "in_port=1,actions=set_ip_ttl(256)",
        "in_port=1,actions=set_ip_ttl(-1)",
        "in_port=1,actions=set_vlan(5)",
        "in_port=1,actions=meter:1024",
        "in_port=1,actions=meter:",
        "in_port=1,actions=push_mpls(0x8847)",
        "in_port=1,actions=push_mpls(0x18847:1)",
        "in_port=1,actions=pop_mpls(0x0800",
        "in_port=1,actions=set_mpls(zz)",
        "in_port=1,actions=set_priority(1",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct dp_action acts[DP_MAX_ACTIONS];
        struct dp_key key, mask;
        size_t n;
        char *error = dp_flow_parse(bad[i], &key, &mask, acts, &n);
        ck_assert_msg(error != NULL, "accepted: %s", bad[i]);
        free(error);
    }
}
END_TEST

/* The whole IPv6 address is in the key: two keys that differ only in the
 * upper 96 bits stay different under an exact or a /48 mask. */
START_TEST(test_flow_ipv6_full_address)
{
    struct dp_action acts[DP_MAX_ACTIONS];
    struct dp_key k1, m1, k2, m2;
    size_t n;

    roundtrip("eth_type=0x86dd,ipv6_src=2001:db8:1::5,ipv6_dst=fd00::/16,"
              "actions=output:2",
              "eth_type=0x86dd,ipv6_src=2001:db8:1::5,ipv6_dst=fd00::/ffff::,"
              "actions=output:2");
    ck_assert(!dp_flow_parse("ipv6_dst=2001:db8:1::2,actions=drop",
                             &k1, &m1, acts, &n));
    ck_assert(!dp_flow_parse("ipv6_dst=2001:db8:2::2,actions=drop",
                             &k2, &m2, acts, &n));
    ck_assert(!memcmp(&m1, &m2, sizeof m1));
    ck_assert(memcmp(&k1, &k2, sizeof k1));
    ck_assert_uint_eq(k1.ipv6_dst[0], 0x20);
    ck_assert_uint_eq(k1.ipv6_dst[5], 0x01);
    ck_assert_uint_eq(k1.ipv6_dst[15], 0x02);
    ck_assert_uint_eq(k1.nw_dst, 0);

    ck_assert(!dp_flow_parse("ipv6_dst=2001:db8:1::2/48,actions=drop",
                             &k1, &m1, acts, &n));
    ck_assert(!dp_flow_parse("ipv6_dst=2001:db8:2::2/48,actions=drop",
                             &k2, &m2, acts, &n));
    ck_assert(memcmp(&k1, &k2, sizeof k1));
    ck_assert_uint_eq(k1.ipv6_dst[15], 0);    /* Masked off. */
    ck_assert(dp_key_is_masked_by(&k1, &m1));
}
END_TEST

START_TEST(test_flow_parse_limits_action_count)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    ds_put_cstr(&s, "in_port=1,actions=");
    for (int i = 0; i < DP_MAX_ACTIONS + 1; i++) {
        ds_put_format(&s, "%soutput:%d", i ? "," : "", i % 200 + 1);
    }
    struct dp_action acts[DP_MAX_ACTIONS];
    struct dp_key key, mask;
    size_t n;
    char *error = dp_flow_parse(ds_cstr(&s), &key, &mask, acts, &n);
    ck_assert(error != NULL);
    free(error);
    ds_destroy(&s);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("dpif-format");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_flow_roundtrip_exact_and_masked);
    tcase_add_test(tc, test_flow_parse_masks_the_key);
    tcase_add_test(tc, test_flow_rewrite_actions);
    tcase_add_test(tc, test_flow_parse_rejects_bad_input);
    tcase_add_test(tc, test_flow_mpls_and_priority);
    tcase_add_test(tc, test_flow_parse_limits_action_count);
    tcase_add_test(tc, test_flow_ipv6_full_address);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
