/* Unit tests for lib/dp-packet: growth, headroom, hex input, VLAN and MPLS
 * push/pop (checked by re-parsing with flow_extract()). */
#include <config.h>
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dp-packet.h"
#include "flow.h"
#include "packets.h"
#include "test-util.h"

/* UDP over IPv4, untagged (built with scapy). */
static const char udp4_hex[] =
    "66778899aabb00112233445508004500001c00010000401166ce0a0000010a00"
    "0002000100020008ebd8";

START_TEST(test_dp_packet_put_push_pull_keep_bytes)
{
    struct dp_packet *b = dp_packet_new(4);
    uint8_t expect[300];

    ck_assert_uint_eq(dp_packet_headroom(b), DP_PACKET_DEFAULT_HEADROOM);
    for (int i = 0; i < 300; i++) {
        expect[i] = i * 7;
    }
    /* Grow past the allocation at both ends. */
    dp_packet_put(b, expect + 100, 200);
    dp_packet_push(b, expect + 20, 80);
    dp_packet_push(b, expect, 20);
    ck_assert_uint_eq(dp_packet_size(b), 300);
    ck_assert(!memcmp(dp_packet_data(b), expect, 300));

    ck_assert(dp_packet_pull(b, 10) != NULL);
    dp_packet_trim(b, 90);
    ck_assert_uint_eq(dp_packet_size(b), 200);
    ck_assert(!memcmp(dp_packet_data(b), expect + 10, 200));

    struct dp_packet *c = dp_packet_clone(b);
    ck_assert(!memcmp(dp_packet_data(c), expect + 10, 200));
    dp_packet_delete(c);

    dp_packet_clear(b);
    ck_assert_uint_eq(dp_packet_size(b), 0);
    ck_assert(!memcmp(dp_packet_put_zeros(b, 3), "\0\0\0", 3));
    dp_packet_delete(b);
}
END_TEST

START_TEST(test_dp_packet_stub_moves_to_heap_on_growth)
{
    uint8_t stub[16];
    struct dp_packet b;

    dp_packet_use_stub(&b, stub, sizeof stub);
    dp_packet_put(&b, "0123456789", 10);
    ck_assert(dp_packet_data(&b) == (void *) stub);
    dp_packet_put(&b, "abcdefghij", 10);
    ck_assert(dp_packet_data(&b) != (void *) stub);
    ck_assert(!memcmp(dp_packet_data(&b), "0123456789abcdefghij", 20));
    dp_packet_uninit(&b);
}
END_TEST

START_TEST(test_dp_packet_put_hex_rejects_bad_input_unchanged)
{
    struct dp_packet *b = dp_packet_new(0);

    ck_assert_int_eq(dp_packet_put_hex(b, "0a 0B:cc\n dd"), 0);
    ck_assert_uint_eq(dp_packet_size(b), 4);
    ck_assert(!memcmp(dp_packet_data(b), "\x0a\x0b\xcc\xdd", 4));
    ck_assert_int_eq(dp_packet_put_hex(b, "abc"), EINVAL);
    ck_assert_int_eq(dp_packet_put_hex(b, "zz"), EINVAL);
    ck_assert_uint_eq(dp_packet_size(b), 4);
    dp_packet_delete(b);
}
END_TEST

/* Asserts that 'b', with everything pushed onto it popped again, holds the
 * 'size' bytes of 'orig_bytes' and parses to 'orig'. */
static void
assert_frame_restored(struct dp_packet *b, const uint8_t *orig_bytes,
                      size_t size, const struct flow *orig)
{
    struct flow f;

    ck_assert_uint_eq(dp_packet_size(b), size);
    ck_assert(!memcmp(dp_packet_data(b), orig_bytes, size));
    flow_extract(b, &f);
    ck_assert(flow_equal(&f, orig));
}

START_TEST(test_vlan_push_pop_round_trip)
{
    struct flow orig, f;
    struct dp_packet *b = test_packet_from_hex(udp4_hex, &orig);
    size_t size = dp_packet_size(b);
    uint8_t *copy = xmemdup(dp_packet_data(b), size);

    /* Push 802.1Q (inner) then 802.1ad (outer): a QinQ frame. */
    ck_assert_int_eq(eth_push_vlan(b, htons(ETH_TYPE_VLAN_8021Q),
                                   vlan_tci_build(200, 3, false)), 0);
    ck_assert_uint_eq(b->l3_ofs, 18);
    ck_assert_int_eq(eth_push_vlan(b, htons(ETH_TYPE_VLAN_8021AD),
                                   vlan_tci_build(100, 0, false)), 0);
    ck_assert_uint_eq(b->l3_ofs, 22);
    ck_assert_uint_eq(dp_packet_size(b), size + 8);

    flow_extract(b, &f);
    ck_assert_uint_eq(b->l3_ofs, 22);
    ck_assert(f.vlans[0].tpid == htons(ETH_TYPE_VLAN_8021AD));
    ck_assert_uint_eq(vlan_tci_to_vid(f.vlans[0].tci), 100);
    ck_assert(f.vlans[1].tpid == htons(ETH_TYPE_VLAN_8021Q));
    ck_assert_uint_eq(vlan_tci_to_vid(f.vlans[1].tci), 200);
    ck_assert_uint_eq(vlan_tci_to_pcp(f.vlans[1].tci), 3);
    ck_assert(f.dl_type == htons(ETH_TYPE_IP) && f.tp_dst == htons(2));
    ck_assert(eth_addr_equals(f.dl_src, orig.dl_src));

    ck_assert_int_eq(eth_pop_vlan(b), 0);
    ck_assert_int_eq(eth_pop_vlan(b), 0);
    ck_assert_int_eq(eth_pop_vlan(b), EINVAL);        /* Nothing left. */
    assert_frame_restored(b, copy, size, &orig);

    free(copy);
    dp_packet_delete(b);
}
END_TEST

START_TEST(test_mpls_push_pop_round_trip)
{
    struct flow orig, f;
    struct dp_packet *b = test_packet_from_hex(udp4_hex, &orig);
    size_t size = dp_packet_size(b);
    uint8_t *copy = xmemdup(dp_packet_data(b), size);

    ck_assert_int_eq(eth_push_vlan(b, htons(ETH_TYPE_VLAN_8021Q),
                                   vlan_tci_build(7, 0, false)), 0);
    ck_assert_int_eq(eth_push_mpls(b, htons(ETH_TYPE_MPLS),
                                   mpls_lse_build(16, 0, true, 64)), 0);
    ck_assert_int_eq(eth_push_mpls(b, htons(ETH_TYPE_MPLS),
                                   mpls_lse_build(17, 5, false, 63)), 0);
    flow_extract(b, &f);
    ck_assert(f.dl_type == htons(ETH_TYPE_MPLS));
    ck_assert_uint_eq(vlan_tci_to_vid(f.vlans[0].tci), 7);
    ck_assert_uint_eq(mpls_lse_to_label(f.mpls_lse[0]), 17);
    ck_assert_uint_eq(mpls_lse_to_tc(f.mpls_lse[0]), 5);
    ck_assert_uint_eq(mpls_lse_to_label(f.mpls_lse[1]), 16);
    ck_assert_uint_eq(mpls_lse_to_bos(f.mpls_lse[1]), 1);
    ck_assert_uint_eq(b->l2_5_ofs, 18);

    ck_assert_int_eq(eth_pop_mpls(b, htons(ETH_TYPE_MPLS)), 0);
    ck_assert_uint_eq(b->l2_5_ofs, 18);
    ck_assert_int_eq(eth_pop_mpls(b, htons(ETH_TYPE_IP)), 0);
    ck_assert_int_eq(eth_pop_mpls(b, htons(ETH_TYPE_IP)), EINVAL);
    ck_assert_int_eq(eth_pop_vlan(b), 0);
    assert_frame_restored(b, copy, size, &orig);

    free(copy);
    dp_packet_delete(b);
}
END_TEST

START_TEST(test_push_pop_refuse_short_and_const_frames)
{
    static const uint8_t frame[14] = { 0 };
    struct dp_packet c, *b = dp_packet_new(0);

    dp_packet_put(b, frame, 13);
    ck_assert_int_eq(eth_push_vlan(b, htons(ETH_TYPE_VLAN), 0), EINVAL);
    ck_assert_int_eq(eth_push_mpls(b, htons(ETH_TYPE_MPLS), 0), EINVAL);
    ck_assert_int_eq(eth_pop_mpls(b, htons(ETH_TYPE_IP)), EINVAL);
    ck_assert_uint_eq(dp_packet_size(b), 13);
    dp_packet_delete(b);

    dp_packet_use_const(&c, frame, sizeof frame);
    ck_assert_int_eq(eth_push_vlan(&c, htons(ETH_TYPE_VLAN), 0), EINVAL);
    ck_assert_int_eq(eth_push_mpls(&c, htons(ETH_TYPE_MPLS), 0), EINVAL);
    dp_packet_uninit(&c);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("dp-packet");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_dp_packet_put_push_pull_keep_bytes);
    tcase_add_test(tc, test_dp_packet_stub_moves_to_heap_on_growth);
    tcase_add_test(tc, test_dp_packet_put_hex_rejects_bad_input_unchanged);
    tcase_add_test(tc, test_vlan_push_pop_round_trip);
    tcase_add_test(tc, test_mpls_push_pop_round_trip);
    tcase_add_test(tc, test_push_pop_refuse_short_and_const_frames);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
