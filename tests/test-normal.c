/* Unit tests for ofproto/normal: NORMAL translation, VLANs and masks. */
#include <config.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "ofproto/mac-learning.h"
#include "ofproto/normal.h"

static struct mac_learning *ml;
static struct normal_bridge br;

static void
setup(void)
{
    ml = mac_learning_create(0);
    normal_bridge_init(&br, ml);
}

static void
teardown(void)
{
    normal_bridge_destroy(&br);
    mac_learning_destroy(ml);
}

static struct dp_key
make_key(uint32_t in_port, int vid, uint8_t src, uint8_t dst)
{
    struct dp_key k;
    memset(&k, 0, sizeof k);
    k.in_port = in_port;
    k.vlan_tci = vid >= 0 ? DP_VLAN_PRESENT | vid : 0;
    k.eth_src[0] = 0x02;
    k.eth_src[5] = src;
    if (dst == 0xff) {
        memset(k.eth_dst, 0xff, 6);
    } else {
        k.eth_dst[0] = 0x02;
        k.eth_dst[5] = dst;
    }
    k.eth_type = 0x0008;          /* 0x0800, network order on x86. */
    k.nw_proto = 6;
    k.tp_src = 1234;
    k.tp_dst = 80;
    return k;
}

static bool
outputs_to(const struct normal_xlate *x, uint32_t port)
{
    for (size_t i = 0; i < x->n_actions; i++) {
        if (x->actions[i].type == DP_ACT_OUTPUT && x->actions[i].port == port) {
            return true;
        }
    }
    return false;
}

START_TEST(test_unknown_dst_floods_then_learned_unicast)
{
    struct normal_xlate x;
    for (uint32_t p = 1; p <= 3; p++) {
        normal_port_set(&br, p, PORT_VLAN_DEFAULT, -1, NULL, 0);
    }
    struct dp_key k = make_key(1, -1, 1, 2);
    normal_xlate(&br, &k, true, 0, &x);
    ck_assert(x.learned);
    /* All other ports, unchanged: the datapath flood action. */
    ck_assert_uint_eq(x.n_actions, 1);
    ck_assert_uint_eq(x.actions[0].type, DP_ACT_FLOOD);

    struct dp_key r = make_key(2, -1, 2, 1);
    normal_xlate(&br, &r, true, 0, &x);
    ck_assert_uint_eq(x.n_actions, 1);
    ck_assert(outputs_to(&x, 1));
}
END_TEST

START_TEST(test_megaflow_mask_ignores_tcp_ports)
{
    struct normal_xlate x;
    normal_port_set(&br, 1, PORT_VLAN_DEFAULT, -1, NULL, 0);
    normal_port_set(&br, 2, PORT_VLAN_DEFAULT, -1, NULL, 0);
    struct dp_key k = make_key(1, -1, 1, 2);
    normal_xlate(&br, &k, true, 0, &x);
    ck_assert_uint_eq(x.mask.in_port, UINT32_MAX);
    ck_assert_uint_eq(x.mask.eth_dst[0], 0xff);
    ck_assert_uint_eq(x.mask.eth_src[5], 0xff);
    ck_assert_uint_eq(x.mask.tp_src, 0);
    ck_assert_uint_eq(x.mask.tp_dst, 0);
    ck_assert_uint_eq(x.mask.nw_src, 0);
    ck_assert_uint_eq(x.mask.nw_proto, 0);
    ck_assert_uint_eq(x.mask.eth_type, 0);
}
END_TEST

START_TEST(test_no_output_back_to_ingress)
{
    struct normal_xlate x;
    normal_port_set(&br, 1, PORT_VLAN_DEFAULT, -1, NULL, 0);
    normal_port_set(&br, 2, PORT_VLAN_DEFAULT, -1, NULL, 0);
    struct dp_key a = make_key(1, -1, 1, 9);
    normal_xlate(&br, &a, true, 0, &x);
    /* MAC 1 is behind port 1; a frame to it arriving on port 1: drop. */
    struct dp_key b = make_key(1, -1, 3, 1);
    normal_xlate(&br, &b, true, 0, &x);
    ck_assert_uint_eq(x.n_actions, 0);
}
END_TEST

START_TEST(test_vlan_isolation_access_ports)
{
    struct normal_xlate x;
    normal_port_set(&br, 1, PORT_VLAN_ACCESS, 10, NULL, 0);
    normal_port_set(&br, 2, PORT_VLAN_ACCESS, 10, NULL, 0);
    normal_port_set(&br, 3, PORT_VLAN_ACCESS, 20, NULL, 0);
    int trunks[] = { 10, 20 };
    normal_port_set(&br, 4, PORT_VLAN_TRUNK, -1, trunks, 2);

    struct dp_key k = make_key(1, -1, 1, 0xff);
    normal_xlate(&br, &k, true, 0, &x);
    ck_assert(outputs_to(&x, 2));
    ck_assert(!outputs_to(&x, 3));
    ck_assert(outputs_to(&x, 4));
    ck_assert(!outputs_to(&x, 1));
    /* Port 2 first (untagged as received), then push VLAN 10 for 4. */
    ck_assert_uint_eq(x.n_actions, 3);
    ck_assert_uint_eq(x.actions[0].type, DP_ACT_OUTPUT);
    ck_assert_uint_eq(x.actions[1].type, DP_ACT_PUSH_VLAN);
    ck_assert_uint_eq(x.actions[1].tci & DP_VLAN_VID_MASK, 10);
    ck_assert_uint_eq(x.actions[2].port, 4);

    /* MAC 1 was learned on VLAN 10 only. */
    ck_assert_uint_eq(mac_learning_lookup(ml, k.eth_src, 10), 1);
    ck_assert_uint_eq(mac_learning_lookup(ml, k.eth_src, 20), 0);
}
END_TEST

START_TEST(test_trunk_tagged_input_pops_for_access)
{
    struct normal_xlate x;
    normal_port_set(&br, 1, PORT_VLAN_ACCESS, 20, NULL, 0);
    int trunks[] = { 10, 20 };
    normal_port_set(&br, 2, PORT_VLAN_TRUNK, -1, trunks, 2);
    struct dp_key learn = make_key(1, -1, 1, 0xff);
    normal_xlate(&br, &learn, true, 0, &x);

    struct dp_key k = make_key(2, 20, 2, 1);
    normal_xlate(&br, &k, true, 0, &x);
    ck_assert_uint_eq(x.n_actions, 2);
    ck_assert_uint_eq(x.actions[0].type, DP_ACT_POP_VLAN);
    ck_assert(outputs_to(&x, 1));
    ck_assert_uint_eq(x.mask.vlan_tci, DP_VLAN_PRESENT | DP_VLAN_VID_MASK);

    /* VLAN 30 is not trunked: drop. */
    struct dp_key bad = make_key(2, 30, 2, 1);
    normal_xlate(&br, &bad, true, 0, &x);
    ck_assert_uint_eq(x.n_actions, 0);
    /* A tagged frame on an access port: drop. */
    struct dp_key tagged = make_key(1, 20, 1, 2);
    normal_xlate(&br, &tagged, true, 0, &x);
    ck_assert_uint_eq(x.n_actions, 0);
}
END_TEST

START_TEST(test_native_untagged_and_tagged)
{
    struct normal_xlate x;
    int trunks[] = { 10 };
    normal_port_set(&br, 1, PORT_VLAN_NATIVE_UNTAGGED, 5, trunks, 1);
    normal_port_set(&br, 2, PORT_VLAN_NATIVE_TAGGED, 5, trunks, 1);
    normal_port_set(&br, 3, PORT_VLAN_ACCESS, 5, NULL, 0);
    /* Untagged on 1 is VLAN 5: 3 gets it untagged, 2 tagged 5. */
    struct dp_key k = make_key(1, -1, 1, 0xff);
    normal_xlate(&br, &k, true, 0, &x);
    ck_assert_uint_eq(x.n_actions, 3);
    ck_assert_uint_eq(x.actions[0].port, 3);
    ck_assert_uint_eq(x.actions[1].type, DP_ACT_PUSH_VLAN);
    ck_assert_uint_eq(x.actions[1].tci & DP_VLAN_VID_MASK, 5);
    ck_assert_uint_eq(x.actions[2].port, 2);
    ck_assert_uint_eq(mac_learning_lookup(ml, k.eth_src, 5), 1);
    /* Tagged 10 on 2 reaches 1 tagged (10 is not 1's native VLAN). */
    struct dp_key t = make_key(2, 10, 2, 0xff);
    normal_xlate(&br, &t, true, 0, &x);
    ck_assert_uint_eq(x.n_actions, 1);
    ck_assert(outputs_to(&x, 1));
}
END_TEST

START_TEST(test_mac_move_changes_output)
{
    struct normal_xlate x;
    for (uint32_t p = 1; p <= 3; p++) {
        normal_port_set(&br, p, PORT_VLAN_DEFAULT, -1, NULL, 0);
    }
    struct dp_key a = make_key(1, -1, 1, 0xff);
    normal_xlate(&br, &a, true, 0, &x);
    struct dp_key to1 = make_key(2, -1, 2, 1);
    normal_xlate(&br, &to1, true, 0, &x);
    ck_assert(outputs_to(&x, 1));
    struct dp_key moved = make_key(3, -1, 1, 0xff);
    normal_xlate(&br, &moved, true, 0, &x);
    ck_assert(x.learned);
    normal_xlate(&br, &to1, true, 0, &x);
    ck_assert(outputs_to(&x, 3));
    ck_assert(!outputs_to(&x, 1));
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("normal");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_unknown_dst_floods_then_learned_unicast);
    tcase_add_test(tc, test_megaflow_mask_ignores_tcp_ports);
    tcase_add_test(tc, test_no_output_back_to_ingress);
    tcase_add_test(tc, test_vlan_isolation_access_ports);
    tcase_add_test(tc, test_trunk_tagged_input_pops_for_access);
    tcase_add_test(tc, test_native_untagged_and_tagged);
    tcase_add_test(tc, test_mac_move_changes_output);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
