/* Unit tests for ofproto/xlate: OpenFlow flows in a real ofproto, run for
 * datapath keys, checked against the datapath actions and megaflow masks
 * they must give. */
#include <config.h>
#include "dynamic-string.h"
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xlate-fixture.h"
#include "ofp-flow.h"
#include "ofp-group.h"
#include "ofp-parse.h"
#include "ofproto/mac-learning.h"
#include "ofproto/normal.h"
#include "ofproto/ofproto-provider.h"
#include "ofproto/ofproto.h"
#include "ofproto/xlate.h"
#include "packets.h"

static void
add_group(const char *s)
{
    struct ofp_group_mod gm;
    ofp_group_mod_init(&gm);
    char *err = ofp_parse_group_mod(s, OFPGC_ADD, &gm);
    ck_assert_msg(!err, "%s: %s", s, err);
    enum ofperr e = ofproto_group_mod(ofp, &gm);
    ck_assert_msg(!e, "%s: %s", s, ofperr_get_name(e));
    ofp_group_mod_uninit(&gm);
}

/* A TCP packet 10.0.0.1:1234 -> 'dst':80 from 02:..:01 to 02:..:02. */
static struct dp_key
tcp_key(uint32_t in_port, uint32_t dst)
{
    return xf_tcp_key(in_port, 1, 2, dst);
}

static bool
has_action(uint16_t type, uint32_t port)
{
    for (size_t i = 0; i < xo.n_actions; i++) {
        if (xo.actions[i].type == type
            && (type != DP_ACT_OUTPUT || xo.actions[i].port == port)) {
            return true;
        }
    }
    return false;
}

static size_t
n_outputs(void)
{
    size_t n = 0;
    for (size_t i = 0; i < xo.n_actions; i++) {
        n += xo.actions[i].type == DP_ACT_OUTPUT;
    }
    return n;
}

START_TEST(test_output_to_port)
{
    xf_add_flow("in_port=1,actions=output:2");
    struct dp_key k = tcp_key(1, 0x0a000002);
    xf_run(&k);
    ck_assert_uint_eq(xo.slow, 0);
    ck_assert_uint_eq(xo.n_actions, 1);
    ck_assert(has_action(DP_ACT_OUTPUT, 2));
    ck_assert_uint_eq(xo.n_rules, 1);
    ck_assert_uint_eq(xo.mask.in_port, UINT32_MAX);
}
END_TEST

START_TEST(test_table_miss_drops)
{
    xf_add_flow("in_port=1,actions=output:2");
    struct dp_key k = tcp_key(3, 0x0a000002);
    xf_run(&k);
    ck_assert_uint_eq(xo.n_actions, 0);
    ck_assert_uint_eq(xo.n_rules, 0);
    ck_assert_uint_eq(xo.n_tables, 1);
    ck_assert(!xo.tables[0].matched);
    ck_assert_uint_eq(xo.slow, 0);
}
END_TEST

START_TEST(test_drop_action)
{
    xf_add_flow("priority=10,tcp,actions=drop");
    xf_add_flow("priority=0,actions=output:2");
    struct dp_key k = tcp_key(1, 0x0a000002);
    xf_run(&k);
    ck_assert_uint_eq(xo.n_actions, 0);
    ck_assert_uint_eq(xo.n_rules, 1);
    ck_assert_int_eq(xo.mask.nw_proto, 0xff);
}
END_TEST

START_TEST(test_no_output_back_to_in_port_unless_in_port)
{
    xf_add_flow("in_port=1,actions=output:1");
    xf_add_flow("in_port=2,actions=in_port");
    struct dp_key k = tcp_key(1, 0x0a000002);
    xf_run(&k);
    ck_assert_uint_eq(xo.n_actions, 0);
    k.in_port = 2;
    xf_run(&k);
    ck_assert(has_action(DP_ACT_OUTPUT, 2));
}
END_TEST

START_TEST(test_normal_learns_and_floods)
{
    xf_add_flow("priority=0,actions=NORMAL");
    struct dp_key k = tcp_key(1, 0x0a000002);
    xf_run(&k);
    /* Unknown destination: every other port, one datapath flood. */
    ck_assert(has_action(DP_ACT_FLOOD, 0));
    /* NORMAL's view: in_port, VLAN and both MACs, nothing of L3/L4. */
    ck_assert_uint_eq(xo.mask.in_port, UINT32_MAX);
    ck_assert_int_eq(xo.mask.eth_src[0], 0xff);
    ck_assert_int_eq(xo.mask.eth_dst[5], 0xff);
    ck_assert_uint_eq(xo.mask.nw_dst, 0);
    ck_assert_uint_eq(xo.mask.tp_dst, 0);
    /* The reply goes straight back to the learned port. */
    struct dp_key r = tcp_key(2, 0x0a000001);
    memcpy(r.eth_src, k.eth_dst, 6);
    memcpy(r.eth_dst, k.eth_src, 6);
    xf_run(&r);
    ck_assert_uint_eq(xo.n_actions, 1);
    ck_assert(has_action(DP_ACT_OUTPUT, 1));
}
END_TEST

START_TEST(test_flood_and_all)
{
    xf_add_flow("in_port=1,actions=FLOOD");
    xf_add_flow("in_port=2,actions=ALL");
    struct dp_key k = tcp_key(1, 0x0a000002);
    xf_run(&k);
    ck_assert_uint_eq(xo.n_actions, 1);
    ck_assert(has_action(DP_ACT_FLOOD, 0));
    /* A port that disappears turns the flood into explicit outputs. */
    ofproto_port_del(ofp, 4);
    k.in_port = 2;
    xf_run(&k);
    ck_assert(has_action(DP_ACT_FLOOD, 0));
    ofproto_port_del(ofp, 3);
    xf_run(&k);
    ck_assert_uint_eq(xo.n_actions, 1);
    ck_assert(has_action(DP_ACT_OUTPUT, 1));
}
END_TEST

START_TEST(test_goto_table_and_metadata)
{
    xf_add_flow("table=0,tcp,actions=write_metadata:0x5/0xff,goto_table:1");
    xf_add_flow("table=1,metadata=0x5/0xff,actions=output:3");
    xf_add_flow("table=1,priority=0,actions=output:4");
    struct dp_key k = tcp_key(1, 0x0a000002);
    xf_run(&k);
    ck_assert_uint_eq(xo.n_actions, 1);
    ck_assert(has_action(DP_ACT_OUTPUT, 3));
    ck_assert_uint_eq(xo.n_rules, 2);
    ck_assert_uint_eq(xo.n_tables, 2);
    ck_assert_int_eq(xo.tables[1].table_id, 1);
    /* Metadata starts at zero on every packet: not a datapath bit, and
     * not a reason for the slow path. */
    ck_assert_uint_eq(xo.slow, 0);
}
END_TEST

START_TEST(test_resubmit_runs_another_table_and_comes_back)
{
    /* Table 1 rewrites and outputs, table 2 matches on the rewritten
     * packet and the in_port the resubmit gave it; after both, the
     * original in_port is back (output:1 is dropped, IN_PORT is not). */
    xf_add_flow("table=0,in_port=1,actions=resubmit(,1),resubmit(4,2),"
             "output:1,IN_PORT");
    xf_add_flow("table=1,tcp,actions=mod_nw_dst:10.0.0.9,output:3");
    xf_add_flow("table=2,in_port=4,ip,nw_dst=10.0.0.9,actions=output:2");
    xf_add_flow("table=2,priority=0,actions=output:4");
    struct dp_key k = tcp_key(1, 0x0a000002);
    xf_run(&k);
    ck_assert(has_action(DP_ACT_OUTPUT, 3));
    ck_assert(has_action(DP_ACT_OUTPUT, 2));
    ck_assert(!has_action(DP_ACT_OUTPUT, 4));
    ck_assert(has_action(DP_ACT_OUTPUT, 1));
    ck_assert_uint_eq(n_outputs(), 3);
    ck_assert_uint_eq(xo.n_rules, 3);
}
END_TEST

START_TEST(test_resubmit_loops_are_bounded)
{
    /* Each level resubmits twice to itself: without a total bound, 2^64
     * lookups.  The translation ends, and the output after all of them
     * still happens. */
    xf_add_flow("table=0,actions=resubmit(,1),output:2");
    xf_add_flow("table=1,actions=resubmit(,1),resubmit(,1)");
    struct dp_key k = tcp_key(1, 0x0a000002);
    xf_run(&k);
    ck_assert(has_action(DP_ACT_OUTPUT, 2));
}
END_TEST

START_TEST(test_exit_stops_outer_actions_too)
{
    xf_add_flow("table=0,actions=output:2,resubmit(,1),output:3");
    xf_add_flow("table=1,actions=output:4,exit,output:5");
    struct dp_key k = tcp_key(1, 0x0a000002);
    xf_run(&k);
    ck_assert(has_action(DP_ACT_OUTPUT, 2));
    ck_assert(has_action(DP_ACT_OUTPUT, 4));
    ck_assert(!has_action(DP_ACT_OUTPUT, 5));
    ck_assert(!has_action(DP_ACT_OUTPUT, 3));
}
END_TEST

START_TEST(test_load_and_move_rewrite_the_packet)
{
    xf_add_flow("table=0,ip,actions=load:0x0a000009->NXM_OF_IP_DST[],"
             "move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],output:2");
    struct dp_key k = tcp_key(1, 0x0a000002);
    xf_run(&k);
    ck_assert(has_action(DP_ACT_OUTPUT, 2));
    ck_assert_uint_eq(xo.slow, 0);
    /* The source MAC, read by the move, is part of the megaflow. */
    ck_assert_uint_eq(xo.mask.eth_src[5], 0xff);
    bool set_dst = false, set_mac = false;
    for (size_t i = 0; i < xo.n_actions; i++) {
        set_dst |= xo.actions[i].type == DP_ACT_SET_IPV4_DST;
        set_mac |= xo.actions[i].type == DP_ACT_SET_ETH_DST;
    }
    ck_assert(set_dst);
    ck_assert(set_mac);
}
END_TEST

START_TEST(test_dec_ttl_ids_and_controller_id_pick_controllers)
{
    xf_add_flow("table=0,ip,actions=controller(id=5,max_len=40),dec_ttl(1,2),"
             "output:2");
    struct dp_key k = tcp_key(1, 0x0a000002);
    k.nw_ttl = 1;
    xf_run(&k);
    /* One packet-in for controller 5, then the expired TTL's for 1 and 2;
     * the packet goes nowhere else. */
    ck_assert_uint_eq(xo.n_uops, 3);
    ck_assert_uint_eq(xo.uops[0].controller_id, 5);
    ck_assert_uint_eq(xo.uops[0].max_len, 40);
    ck_assert_uint_eq(xo.uops[1].controller_id, 1);
    ck_assert_uint_eq(xo.uops[1].reason, OFPR_INVALID_TTL);
    ck_assert_uint_eq(xo.uops[2].controller_id, 2);
    ck_assert(!has_action(DP_ACT_OUTPUT, 2));
}
END_TEST

START_TEST(test_write_actions_run_at_the_end_in_order)
{
    xf_add_flow("table=0,actions=write_actions(output:2,mod_dl_dst:02:00:00:00:00:99),goto_table:1");
    xf_add_flow("table=1,actions=output:3");
    struct dp_key k = tcp_key(1, 0x0a000002);
    xf_run(&k);
    /* apply: output:3 first; then the set: rewrite before output:2. */
    ck_assert_uint_eq(xo.n_actions, 3);
    ck_assert_int_eq(xo.actions[0].type, DP_ACT_OUTPUT);
    ck_assert_uint_eq(xo.actions[0].port, 3);
    ck_assert_int_eq(xo.actions[1].type, DP_ACT_SET_ETH_DST);
    ck_assert_int_eq(xo.actions[1].mac[5], 0x99);
    ck_assert_int_eq(xo.actions[2].type, DP_ACT_OUTPUT);
    ck_assert_uint_eq(xo.actions[2].port, 2);
}
END_TEST

START_TEST(test_clear_actions)
{
    xf_add_flow("table=0,actions=write_actions(output:2),goto_table:1");
    xf_add_flow("table=1,actions=clear_actions,write_actions(output:4)");
    struct dp_key k = tcp_key(1, 0x0a000002);
    xf_run(&k);
    ck_assert_uint_eq(xo.n_actions, 1);
    ck_assert(has_action(DP_ACT_OUTPUT, 4));
}
END_TEST

START_TEST(test_set_field_to_datapath_rewrites)
{
    xf_add_flow("tcp,actions=mod_nw_dst:10.0.0.9,mod_tp_dst:8080,"
             "set_field:00:11:22:33:44:55->eth_dst,mod_nw_tos:32,output:2");
    struct dp_key k = tcp_key(1, 0x0a000002);
    xf_run(&k);
    ck_assert_uint_eq(xo.slow, 0);
    ck_assert(has_action(DP_ACT_SET_IPV4_DST, 0));
    ck_assert(has_action(DP_ACT_SET_TP_DST, 0));
    ck_assert(has_action(DP_ACT_SET_ETH_DST, 0));
    ck_assert(has_action(DP_ACT_SET_IP_TOS, 0));
    ck_assert_int_eq(xo.actions[xo.n_actions - 1].type, DP_ACT_OUTPUT);
    for (size_t i = 0; i < xo.n_actions; i++) {
        const struct dp_action *a = &xo.actions[i];
        if (a->type == DP_ACT_SET_IPV4_DST) {
            ck_assert_uint_eq(ntohl(a->ipv4), 0x0a000009);
        } else if (a->type == DP_ACT_SET_TP_DST) {
            ck_assert_uint_eq(ntohs(a->tp_port), 8080);
        } else if (a->type == DP_ACT_SET_IP_TOS) {
            ck_assert_int_eq(a->tos, 32);
        }
    }
    /* A rewrite that changes nothing still depends on the packet's value:
     * the rewritten field is exact in the mask. */
    ck_assert_uint_eq(xo.mask.nw_dst, UINT32_MAX);
}
END_TEST

START_TEST(test_rewrite_is_lazy_and_restored_between_buckets)
{
    add_group("group_id=1,type=all,bucket=mod_dl_src:02:00:00:00:00:aa,output:2,"
              "bucket=output:3");
    xf_add_flow("actions=group:1");
    struct dp_key k = tcp_key(1, 0x0a000002);
    xf_run(&k);
    /* set src, out 2, set src back, out 3. */
    ck_assert_uint_eq(xo.n_actions, 4);
    ck_assert_int_eq(xo.actions[0].type, DP_ACT_SET_ETH_SRC);
    ck_assert_int_eq(xo.actions[1].type, DP_ACT_OUTPUT);
    ck_assert_int_eq(xo.actions[2].type, DP_ACT_SET_ETH_SRC);
    ck_assert_int_eq(xo.actions[2].mac[5], 1);
    ck_assert_int_eq(xo.actions[3].type, DP_ACT_OUTPUT);
    ck_assert_uint_eq(xo.actions[3].port, 3);
    /* The group and both buckets are counted. */
    ck_assert_uint_eq(xo.n_groups, 3);
    xlate_credit_groups(xo.groups, xo.n_groups, 2, 200);
    struct ofgroup *g = ofproto_group_find(ofp, 1);
    ck_assert_uint_eq(g->packet_count, 2);
    ck_assert_uint_eq(g->byte_count, 200);
    ck_assert_uint_eq(g->buckets[0].packet_count, 2);
    ck_assert_uint_eq(g->buckets[1].packet_count, 2);
}
END_TEST

START_TEST(test_group_select_hashes_5tuple)
{
    add_group("group_id=2,type=select,bucket=weight:1,actions=output:2,"
              "bucket=weight:1,actions=output:3");
    xf_add_flow("actions=group:2");
    bool seen2 = false, seen3 = false;
    for (int port = 1000; port < 1064; port++) {
        struct dp_key k = tcp_key(1, 0x0a000002);
        k.tp_src = htons(port);
        xf_run(&k);
        ck_assert_uint_eq(n_outputs(), 1);
        seen2 |= has_action(DP_ACT_OUTPUT, 2);
        seen3 |= has_action(DP_ACT_OUTPUT, 3);
        /* The choice depends on the 5-tuple: all of it is in the mask. */
        ck_assert_uint_eq(xo.mask.tp_src, 0xffff);
        ck_assert_uint_eq(xo.mask.nw_src, UINT32_MAX);
        ck_assert_int_eq(xo.mask.nw_proto, 0xff);
    }
    ck_assert(seen2 && seen3);
    /* Same packet, same bucket. */
    struct dp_key k = tcp_key(1, 0x0a000002);
    xf_run(&k);
    bool first2 = has_action(DP_ACT_OUTPUT, 2);
    xf_run(&k);
    ck_assert(first2 == has_action(DP_ACT_OUTPUT, 2));
}
END_TEST

START_TEST(test_group_fast_failover)
{
    add_group("group_id=3,type=ff,bucket=watch_port:2,actions=output:2,"
              "bucket=watch_port:3,actions=output:3");
    xf_add_flow("actions=group:3");
    struct dp_key k = tcp_key(1, 0x0a000002);
    xf_run(&k);
    ck_assert_uint_eq(n_outputs(), 1);
    ck_assert(has_action(DP_ACT_OUTPUT, 2));

    struct ofp_port p = *ofproto_port_get(ofp, 2);
    p.state = OFPPS_LINK_DOWN;
    ofproto_port_update(ofp, &p);
    xf_run(&k);
    ck_assert_uint_eq(n_outputs(), 1);
    ck_assert(has_action(DP_ACT_OUTPUT, 3));
    ck_assert_uint_eq(xo.n_groups, 2);
    ck_assert_uint_eq(xo.groups[1].bucket, 1);
}
END_TEST

START_TEST(test_group_indirect)
{
    add_group("group_id=4,type=indirect,bucket=actions=output:4");
    xf_add_flow("actions=group:4");
    struct dp_key k = tcp_key(1, 0x0a000002);
    xf_run(&k);
    ck_assert_uint_eq(xo.n_actions, 1);
    ck_assert(has_action(DP_ACT_OUTPUT, 4));
}
END_TEST

START_TEST(test_controller_is_slow_path)
{
    xf_add_flow("actions=CONTROLLER:128,output:2");
    struct dp_key k = tcp_key(1, 0x0a000002);
    xf_run(&k);
    ck_assert(xo.slow & XLATE_SLOW_CONTROLLER);
    ck_assert_uint_eq(xo.n_uops, 1);
    ck_assert_int_eq(xo.uops[0].type, XLATE_UOP_PACKET_IN);
    ck_assert_int_eq(xo.uops[0].max_len, 128);
    ck_assert_int_eq(xo.uops[0].reason, OFPR_ACTION);
    ck_assert_uint_eq(xo.uops[0].in_port, 1);
    ck_assert(has_action(DP_ACT_OUTPUT, 2));
    const struct dp_action *acts;
    ck_assert_uint_eq(xlate_megaflow_actions(&xo, &acts), 1);
    ck_assert_int_eq(acts[0].type, DP_ACT_UPCALL);
}
END_TEST

START_TEST(test_fields_outside_the_key_are_slow_path)
{
    xf_add_flow("priority=10,arp,arp_sha=02:00:00:00:00:01,actions=output:2");
    xf_add_flow("priority=0,actions=output:3");
    struct dp_key k = tcp_key(1, 0);
    k.eth_type = htons(ETH_TYPE_ARP);
    k.nw_proto = 1;
    k.tp_src = k.tp_dst = 0;
    xf_run(&k);
    ck_assert(xo.slow & XLATE_SLOW_FIELDS);
    /* Without the packet arp_sha is zero: the low-priority flow. */
    ck_assert(has_action(DP_ACT_OUTPUT, 3));

    /* With the packet (an upcall) the SHA is read from it. */
    static const uint8_t arp[42] = {
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 0x01,
        0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01,
        0x02, 0, 0, 0, 0, 0x01, 10, 0, 0, 1,
        0, 0, 0, 0, 0, 0, 10, 0, 0, 2,
    };
    struct dp_key ka;
    memset(&ka, 0, sizeof ka);
    ka.in_port = 1;
    memset(ka.eth_dst, 0xff, 6);
    ka.eth_src[0] = 0x02;
    ka.eth_src[5] = 1;
    ka.eth_type = htons(ETH_TYPE_ARP);
    ka.nw_src = htonl(0x0a000001);
    ka.nw_dst = htonl(0x0a000002);
    ka.nw_proto = 1;
    struct xlate_in xin = {
        .ofproto = ofp, .nb = &nb, .key = &ka,
        .packet = arp, .packet_len = sizeof arp,
    };
    xlate_actions(&xin, &xo);
    ck_assert(xo.slow & XLATE_SLOW_FIELDS);
    ck_assert(has_action(DP_ACT_OUTPUT, 2));
    ck_assert(!has_action(DP_ACT_OUTPUT, 3));
}
END_TEST

START_TEST(test_ipv6_rewrite_is_slow_path)
{
    xf_add_flow("ipv6,actions=set_field:fe80::99->ipv6_dst,output:2");
    struct dp_key k = tcp_key(1, 0);
    k.eth_type = htons(ETH_TYPE_IPV6);
    k.nw_src = k.nw_dst = 0;
    k.ipv6_dst[0] = 0xfe;
    k.ipv6_dst[1] = 0x80;
    k.ipv6_dst[15] = 2;
    xf_run(&k);
    ck_assert(xo.slow & XLATE_SLOW_REWRITE);
    ck_assert_uint_eq(xo.n_uops, 1);
    ck_assert_int_eq(xo.uops[0].type, XLATE_UOP_SET_FIELDS);
    ck_assert_int_eq(xo.uops[0].flow.ipv6_dst.s6_addr[15], 0x99);
    ck_assert_int_eq(xo.actions[xo.n_actions - 1].type, DP_ACT_OUTPUT);
}
END_TEST

START_TEST(test_too_many_actions_is_slow_path)
{
    xf_add_flow("actions=output:2,output:3,output:2,output:3,output:2,output:3,"
             "output:2,output:3,output:2,output:3,output:2,output:3,"
             "output:2,output:3,output:2,output:3,output:2");
    struct dp_key k = tcp_key(1, 0x0a000002);
    xf_run(&k);
    ck_assert_uint_eq(xo.n_actions, 17);
    ck_assert(xo.slow & XLATE_SLOW_TOO_MANY);
}
END_TEST

START_TEST(test_dec_ttl)
{
    xf_add_flow("ip,actions=dec_ttl,output:2");
    struct dp_key k = tcp_key(1, 0x0a000002);
    xf_run(&k);
    ck_assert_uint_eq(xo.slow, 0);
    ck_assert(has_action(DP_ACT_SET_IP_TTL, 0));
    ck_assert_int_eq(xo.actions[0].ttl, 63);
    ck_assert_int_eq(xo.mask.nw_ttl, 0xff);
    /* TTL 1: to the controller (invalid TTL), nowhere else. */
    k.nw_ttl = 1;
    xf_run(&k);
    ck_assert(!has_action(DP_ACT_OUTPUT, 2));
    ck_assert_uint_eq(xo.n_uops, 1);
    ck_assert_int_eq(xo.uops[0].reason, OFPR_INVALID_TTL);
}
END_TEST

START_TEST(test_mask_covers_only_fields_looked_at)
{
    xf_add_flow("ip,nw_dst=10.0.0.0/24,actions=output:2");
    struct dp_key k = tcp_key(1, 0x0a000002);
    xf_run(&k);
    struct dp_key want;
    memset(&want, 0, sizeof want);
    want.in_port = UINT32_MAX;
    want.eth_type = htons(0xffff);
    want.nw_dst = htonl(0xffffff00);
    ck_assert_msg(!memcmp(&xo.mask, &want, sizeof want),
                  "mask: in_port %x eth_type %x nw_src %x nw_dst %x "
                  "proto %x tp %x/%x eth_dst[0] %x vlan %x",
                  xo.mask.in_port, xo.mask.eth_type, xo.mask.nw_src,
                  xo.mask.nw_dst, xo.mask.nw_proto, xo.mask.tp_src,
                  xo.mask.tp_dst, xo.mask.eth_dst[0], xo.mask.vlan_tci);
    ck_assert(has_action(DP_ACT_OUTPUT, 2));
}
END_TEST

START_TEST(test_vlan_push_and_pop)
{
    xf_add_flow("in_port=1,actions=push_vlan:0x8100,set_field:4106->vlan_vid,output:2");
    xf_add_flow("in_port=2,dl_vlan=10,actions=strip_vlan,output:1");
    struct dp_key k = tcp_key(1, 0x0a000002);
    xf_run(&k);
    ck_assert_uint_eq(xo.n_actions, 2);
    ck_assert_int_eq(xo.actions[0].type, DP_ACT_PUSH_VLAN);
    ck_assert_int_eq(xo.actions[0].tci & DP_VLAN_VID_MASK, 10);
    k.in_port = 2;
    k.vlan_tci = DP_VLAN_PRESENT | 10;
    xf_run(&k);
    ck_assert_uint_eq(xo.n_actions, 2);
    ck_assert_int_eq(xo.actions[0].type, DP_ACT_POP_VLAN);
    ck_assert(has_action(DP_ACT_OUTPUT, 1));
    ck_assert_uint_eq(xo.slow, 0);
}
END_TEST

START_TEST(test_local_port_mapping)
{
    struct ofp_port p;
    memset(&p, 0, sizeof p);
    p.port_no = OFPP_LOCAL;
    snprintf(p.name, sizeof p.name, "br0");
    p.state = OFPPS_LIVE;
    ofproto_port_add(ofp, &p);
    xf_add_flow("in_port=LOCAL,actions=output:1");
    xf_add_flow("in_port=1,actions=LOCAL");
    struct dp_key k = tcp_key(7, 0x0a000002);     /* dp port 7 = LOCAL. */
    struct xlate_in xin = {
        .ofproto = ofp, .nb = &nb, .key = &k, .local_dp_port = 7,
    };
    xlate_actions(&xin, &xo);
    ck_assert(has_action(DP_ACT_OUTPUT, 1));
    k.in_port = 1;
    xlate_actions(&xin, &xo);
    ck_assert(has_action(DP_ACT_OUTPUT, 7));
}
END_TEST

START_TEST(test_packet_out_table_runs_pipeline)
{
    xf_add_flow("in_port=1,actions=output:3");
    uint8_t frame[64];
    memset(frame, 0, sizeof frame);
    frame[0] = 0x02;
    frame[5] = 2;
    frame[6] = 0x02;
    frame[11] = 1;
    frame[12] = 0x88;             /* Some ethertype. */
    frame[13] = 0xb5;
    struct ofpacts acts = OFPACTS_INITIALIZER;
    struct match m;
    match_init_catchall(&m);
    char *err = ofp_parse_actions("output:2,output:TABLE", &m, &acts);
    ck_assert_msg(!err, "%s", err);
    struct xlate_in xin = {
        .ofproto = ofp, .nb = &nb, .packet = frame,
        .packet_len = sizeof frame, .ofpacts = &acts, .of_in_port = 1,
    };
    xlate_actions(&xin, &xo);
    ck_assert_uint_eq(xo.n_actions, 2);
    ck_assert_uint_eq(xo.actions[0].port, 2);
    ck_assert_uint_eq(xo.actions[1].port, 3);
    ofpacts_uninit(&acts);
}
END_TEST

static void
add_port_with_config(uint32_t port_no, uint32_t config)
{
    struct ofp_port p;
    memset(&p, 0, sizeof p);
    p.port_no = port_no;
    snprintf(p.name, sizeof p.name, "p%u", port_no);
    p.state = OFPPS_LIVE;
    p.config = config;
    ofproto_port_add(ofp, &p);
}

START_TEST(test_port_config_no_recv_no_fwd_no_flood)
{
    add_port_with_config(5, OFPPC_NO_RECV);
    add_port_with_config(6, OFPPC_NO_FWD);
    add_port_with_config(7, 1 << 4);            /* OF1.0 NO_FLOOD. */
    xf_add_flow("in_port=5,actions=output:2");
    xf_add_flow("in_port=1,actions=output:6,output:7,output:2");
    xf_add_flow("in_port=2,actions=FLOOD");
    xf_add_flow("in_port=3,actions=ALL");
    struct dp_key k = tcp_key(5, 0x0a000002);
    xf_run(&k);
    ck_assert_uint_eq(xo.n_actions, 0);         /* Not received. */
    k.in_port = 1;
    xf_run(&k);
    ck_assert(!has_action(DP_ACT_OUTPUT, 6));   /* Not forwarded to. */
    ck_assert(has_action(DP_ACT_OUTPUT, 7));
    ck_assert(has_action(DP_ACT_OUTPUT, 2));
    k.in_port = 2;
    xf_run(&k);
    /* FLOOD skips 2 (ingress), 6 (no_fwd), 7 (no_flood). */
    ck_assert(!has_action(DP_ACT_FLOOD, 0));
    ck_assert_uint_eq(n_outputs(), 4);
    ck_assert(!has_action(DP_ACT_OUTPUT, 7) && !has_action(DP_ACT_OUTPUT, 6));
    k.in_port = 3;
    xf_run(&k);
    /* ALL includes the no_flood port. */
    ck_assert(has_action(DP_ACT_OUTPUT, 7));
    ck_assert(!has_action(DP_ACT_OUTPUT, 6));
}
END_TEST

START_TEST(test_key_flow_round_trip_and_local_port)
{
    struct dp_key k = tcp_key(7, 0x0a000002), back;
    struct flow f;
    k.vlan_tci = DP_VLAN_PRESENT | (5 << DP_VLAN_PCP_SHIFT) | 100;
    k.nw_tos = 0x20;
    k.nw_frag = DP_FRAG_ANY;
    xlate_key_to_flow(&k, 7, &f);
    ck_assert_uint_eq(f.in_port, OFPP_LOCAL);
    ck_assert_uint_eq(ntohs(f.vlans[0].tci) & VLAN_VID_MASK, 100);
    ck_assert(f.vlans[0].tci & htons(VLAN_CFI));
    ck_assert_int_eq(f.nw_frag, FLOW_NW_FRAG_ANY);
    xlate_flow_to_key(&f, 7, &back);
    ck_assert(!memcmp(&k, &back, sizeof k));
    /* Another local port number: an ordinary port. */
    xlate_key_to_flow(&k, 0, &f);
    ck_assert_uint_eq(f.in_port, 7);
    ck_assert_uint_eq(xlate_dp_port(OFPP_CONTROLLER, 7), 0);
}
END_TEST

START_TEST(test_wildcards_outside_the_key_and_metadata)
{
    struct flow_wildcards wc;
    struct dp_key m;
    flow_wildcards_init_catchall(&wc);
    wc.masks.metadata = UINT64_MAX;
    wc.masks.regs[3] = UINT32_MAX;
    wc.masks.nw_dst = htonl(0xffff0000);
    ck_assert(xlate_wc_to_mask(&wc, &m));
    ck_assert_uint_eq(m.nw_dst, htonl(0xffff0000));
    ck_assert_uint_eq(m.in_port, 0);
    wc.masks.tcp_flags = htons(0x02);
    ck_assert(!xlate_wc_to_mask(&wc, &m));
    wc.masks.tcp_flags = 0;
    wc.masks.vlans[1].tci = htons(0xffff);
    ck_assert(!xlate_wc_to_mask(&wc, &m));
}
END_TEST

/* A packet that came from a tunnel port: VNI 123 from 10.9.0.2. */
static struct dp_key
tunnel_key(uint32_t in_port)
{
    struct dp_key k = tcp_key(in_port, 0x0a000002);
    k.tun_id = vs_htonll(123);
    k.tun_src = htonl(0x0a090002);
    k.tun_dst = htonl(0x0a090001);
    return k;
}

START_TEST(test_tun_id_match_and_mask_from_a_tunnel)
{
    xf_add_flow("priority=10,in_port=1,tun_id=123,actions=output:2");
    xf_add_flow("priority=0,actions=drop");
    struct dp_key k = tunnel_key(1);
    xf_run(&k);
    ck_assert_uint_eq(xo.slow, 0);
    ck_assert(has_action(DP_ACT_OUTPUT, 2));
    /* The datapath chose in_port by these: the megaflow is exact on them. */
    ck_assert_uint_eq(xo.mask.tun_id, UINT64_MAX);
    ck_assert_uint_eq(xo.mask.tun_src, UINT32_MAX);
    ck_assert_uint_eq(xo.mask.tun_dst, UINT32_MAX);

    k.tun_id = vs_htonll(124);
    xf_run(&k);
    ck_assert_uint_eq(n_outputs(), 0);

    /* Not from a tunnel: tun_id is in the mask only because the
     * classifier looked at it; the outer addresses are not. */
    struct dp_key plain = tcp_key(1, 0x0a000002);
    xf_add_flow("priority=5,in_port=1,actions=output:3");
    xf_run(&plain);
    ck_assert(has_action(DP_ACT_OUTPUT, 3));
    ck_assert_uint_eq(xo.mask.tun_id, UINT64_MAX);
    ck_assert_uint_eq(xo.mask.tun_src, 0);
    ck_assert_uint_eq(xo.mask.tun_dst, 0);
}
END_TEST

START_TEST(test_set_tunnel_is_lazy_and_before_its_output)
{
    xf_add_flow("in_port=1,actions=output:2,set_tunnel:123,"
             "set_field:10.9.0.3->tun_dst,output:3,set_tunnel:123,output:4");
    struct dp_key k = tcp_key(1, 0x0a000002);
    xf_run(&k);
    ck_assert_uint_eq(xo.slow, 0);
    ck_assert_uint_eq(xo.n_actions, 5);
    ck_assert_uint_eq(xo.actions[0].type, DP_ACT_OUTPUT);
    ck_assert_uint_eq(xo.actions[1].type, DP_ACT_SET_TUN_ID);
    ck_assert_uint_eq(xo.actions[1].tun_id, 123);
    ck_assert_uint_eq(xo.actions[2].type, DP_ACT_SET_TUN_DST);
    ck_assert_uint_eq(xo.actions[2].ipv4, htonl(0x0a090003));
    ck_assert_uint_eq(xo.actions[3].type, DP_ACT_OUTPUT);
    ck_assert_uint_eq(xo.actions[3].port, 3);
    /* The same id again: nothing to commit. */
    ck_assert_uint_eq(xo.actions[4].type, DP_ACT_OUTPUT);
    ck_assert_uint_eq(xo.actions[4].port, 4);
    ck_assert_uint_eq(xo.mask.tun_id, 0);
}
END_TEST

START_TEST(test_tunnel_fields_round_trip_key_flow)
{
    struct dp_key k = tunnel_key(2), back;
    struct flow f;
    xlate_key_to_flow(&k, 0, &f);
    ck_assert_uint_eq(f.tun_id, vs_htonll(123));
    ck_assert_uint_eq(f.tun_src, htonl(0x0a090002));
    xlate_flow_to_key(&f, 0, &back);
    ck_assert(!memcmp(&k, &back, sizeof k));

    struct flow_wildcards wc;
    struct dp_key m;
    flow_wildcards_init_catchall(&wc);
    wc.masks.tun_src = UINT32_MAX;
    ck_assert(xlate_wc_to_mask(&wc, &m));
    ck_assert_uint_eq(m.tun_src, UINT32_MAX);
}
END_TEST

/* An MPLS packet's key: label 'label', TTL 'ttl', bottom of stack. */
static struct dp_key
mpls_key(uint32_t in_port, uint32_t label, uint8_t ttl)
{
    struct dp_key k = tcp_key(in_port, 0);
    k.eth_type = htons(ETH_TYPE_MPLS);
    k.nw_src = k.nw_dst = 0;
    k.nw_proto = k.nw_ttl = 0;
    k.tp_src = k.tp_dst = 0;
    k.mpls_lse = mpls_lse_build(label, 0, true, ttl);
    return k;
}

START_TEST(test_push_mpls_and_set_label)
{
    xf_add_flow("ip,in_port=1,actions=push_mpls:0x8847,"
             "set_field:100->mpls_label,output:2");
    struct dp_key k = tcp_key(1, 0x0a000002);
    k.nw_tos = 0xb8;                    /* DSCP 46 (EF): class 5. */
    xf_run(&k);
    ck_assert_uint_eq(xo.slow, 0);
    ck_assert_uint_eq(xo.n_actions, 3);
    ck_assert_int_eq(xo.actions[0].type, DP_ACT_PUSH_MPLS);
    ck_assert_int_eq(ntohs(xo.actions[0].mpls_ethertype), ETH_TYPE_MPLS);
    /* Label 0 (IPv4 explicit null), TC from the DSCP class, TTL from IP. */
    ck_assert_uint_eq(ntohl(xo.actions[0].mpls_lse),
                      ntohl(mpls_lse_build(0, 5, true, 64)));
    ck_assert_int_eq(xo.actions[1].type, DP_ACT_SET_MPLS);
    ck_assert_uint_eq(ntohl(xo.actions[1].mpls_lse),
                      ntohl(mpls_lse_build(100, 5, true, 64)));
    ck_assert(has_action(DP_ACT_OUTPUT, 2));
    /* The new entry came from the TTL and DSCP. */
    ck_assert_int_eq(xo.mask.nw_ttl, 0xff);
    ck_assert_int_eq(xo.mask.nw_tos & IP_DSCP_MASK, IP_DSCP_MASK);
    ck_assert_int_eq(xo.mask.eth_type, 0xffff);
    /* The pushed entry is the pipeline's: no packet bits to match. */
    ck_assert_uint_eq(xo.mask.mpls_lse, 0);
}
END_TEST

START_TEST(test_match_mpls_label_and_pop)
{
    xf_add_flow("in_port=2,mpls,mpls_label=100,actions=pop_mpls:0x0800,output:1");
    struct dp_key k = mpls_key(2, 100, 63);
    xf_run(&k);
    ck_assert_uint_eq(xo.slow, 0);
    ck_assert_uint_eq(xo.n_actions, 2);
    ck_assert_int_eq(xo.actions[0].type, DP_ACT_POP_MPLS);
    ck_assert_int_eq(ntohs(xo.actions[0].mpls_ethertype), ETH_TYPE_IP);
    ck_assert(has_action(DP_ACT_OUTPUT, 1));
    /* The megaflow tells labels apart, and only labels. */
    ck_assert_uint_eq(ntohl(xo.mask.mpls_lse), MPLS_LABEL_MASK);
    k = mpls_key(2, 101, 63);
    xf_run(&k);
    ck_assert_uint_eq(xo.n_actions, 0);
}
END_TEST

START_TEST(test_dec_mpls_ttl)
{
    xf_add_flow("mpls,actions=dec_mpls_ttl,output:2");
    struct dp_key k = mpls_key(1, 16, 64);
    xf_run(&k);
    ck_assert_uint_eq(xo.slow, 0);
    ck_assert_int_eq(xo.actions[0].type, DP_ACT_SET_MPLS);
    ck_assert_uint_eq(ntohl(xo.actions[0].mpls_lse),
                      ntohl(mpls_lse_build(16, 0, true, 63)));
    ck_assert_uint_eq(ntohl(xo.mask.mpls_lse), UINT32_MAX);
    /* TTL 1: to the controller (invalid TTL), nowhere else. */
    k = mpls_key(1, 16, 1);
    xf_run(&k);
    ck_assert(!has_action(DP_ACT_OUTPUT, 2));
    ck_assert_uint_eq(xo.n_uops, 1);
    ck_assert_int_eq(xo.uops[0].reason, OFPR_INVALID_TTL);
}
END_TEST

START_TEST(test_set_mpls_ttl_and_push_onto_mpls)
{
    xf_add_flow("mpls,actions=set_mpls_ttl:9,push_mpls:0x8847,"
             "set_field:7->mpls_label,output:2");
    struct dp_key k = mpls_key(1, 16, 64);
    xf_run(&k);
    ck_assert_uint_eq(xo.slow, 0);
    ck_assert_uint_eq(xo.n_actions, 4);
    ck_assert_int_eq(xo.actions[0].type, DP_ACT_SET_MPLS);
    ck_assert_uint_eq(ntohl(xo.actions[0].mpls_lse),
                      ntohl(mpls_lse_build(16, 0, true, 9)));
    /* The pushed entry copies the old top one, BOS cleared. */
    ck_assert_int_eq(xo.actions[1].type, DP_ACT_PUSH_MPLS);
    ck_assert_uint_eq(ntohl(xo.actions[1].mpls_lse),
                      ntohl(mpls_lse_build(16, 0, false, 9)));
    ck_assert_int_eq(xo.actions[2].type, DP_ACT_SET_MPLS);
    ck_assert_uint_eq(ntohl(xo.actions[2].mpls_lse),
                      ntohl(mpls_lse_build(7, 0, false, 9)));
}
END_TEST

/* After pop_mpls, a match on the IP header under the labels cannot be a
 * megaflow (the key stops at the label): per packet in userspace, with the
 * fields read from the packet. */
START_TEST(test_match_after_pop_mpls_is_slow_path)
{
    xf_add_flow("table=0,mpls,actions=pop_mpls:0x0800,goto_table:1");
    xf_add_flow("table=1,ip,nw_dst=10.0.0.2,actions=output:2");
    xf_add_flow("table=1,priority=0,actions=output:3");
    static const uint8_t pkt[] = {
        0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x88, 0x47,
        0x00, 0x06, 0x41, 0x40,                 /* Label 100, BOS, TTL 64. */
        0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17, 0, 0,
        10, 0, 0, 1, 10, 0, 0, 2,
    };
    struct dp_key k = mpls_key(1, 100, 64);
    struct xlate_in xin = {
        .ofproto = ofp, .nb = &nb, .key = &k,
        .packet = pkt, .packet_len = sizeof pkt,
    };
    xlate_actions(&xin, &xo);
    ck_assert(xo.slow & XLATE_SLOW_FIELDS);
    ck_assert(has_action(DP_ACT_POP_MPLS, 0));
    ck_assert(has_action(DP_ACT_OUTPUT, 2));
    ck_assert(!has_action(DP_ACT_OUTPUT, 3));
}
END_TEST

START_TEST(test_queues_set_skb_priority)
{
    xf_add_flow("in_port=1,actions=set_queue:1,output:2");
    xf_add_flow("in_port=3,actions=enqueue:2:0,output:4");
    struct dp_key k = tcp_key(1, 0x0a000002);
    xf_run(&k);
    ck_assert_uint_eq(xo.slow, 0);
    ck_assert_uint_eq(xo.n_actions, 2);
    ck_assert_int_eq(xo.actions[0].type, DP_ACT_SET_PRIORITY);
    ck_assert_uint_eq(xo.actions[0].priority, 0x10002);    /* 1:2 */
    ck_assert(has_action(DP_ACT_OUTPUT, 2));

    /* enqueue: the queue is for its own output only. */
    k.in_port = 3;
    xf_run(&k);
    ck_assert_uint_eq(xo.n_actions, 4);
    ck_assert_int_eq(xo.actions[0].type, DP_ACT_SET_PRIORITY);
    ck_assert_uint_eq(xo.actions[0].priority, 0x10001);    /* 1:1 */
    ck_assert_int_eq(xo.actions[1].type, DP_ACT_OUTPUT);
    ck_assert_uint_eq(xo.actions[1].port, 2);
    ck_assert_int_eq(xo.actions[2].type, DP_ACT_POP_PRIORITY);
    ck_assert_int_eq(xo.actions[3].type, DP_ACT_OUTPUT);
    ck_assert_uint_eq(xo.actions[3].port, 4);
}
END_TEST

START_TEST(test_copy_ttl)
{
    /* After a push onto IP the inner TTL is known: fast path. */
    xf_add_flow("in_port=1,ip,actions=push_mpls:0x8847,set_mpls_ttl:5,"
             "copy_ttl_out,output:2");
    struct dp_key k = tcp_key(1, 0x0a000002);
    xf_run(&k);
    ck_assert_uint_eq(xo.slow, 0);
    ck_assert_uint_eq(xo.n_actions, 2);
    ck_assert_uint_eq(mpls_lse_to_ttl(xo.actions[0].mpls_lse), 64);

    /* On an MPLS packet the IP TTL is under the label: per packet. */
    xf_add_flow("in_port=3,mpls,actions=copy_ttl_out,output:2");
    xf_add_flow("in_port=4,mpls,actions=copy_ttl_in,pop_mpls:0x0800,output:2");
    static const uint8_t pkt[] = {
        0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x88, 0x47,
        0x00, 0x06, 0x41, 0x0a,                 /* Label 100, BOS, TTL 10. */
        0x45, 0, 0, 20, 0, 0, 0, 0, 33, 17, 0, 0,
        10, 0, 0, 1, 10, 0, 0, 2,
    };
    struct dp_key km = mpls_key(3, 100, 10);
    struct xlate_in xin = {
        .ofproto = ofp, .nb = &nb, .key = &km,
        .packet = pkt, .packet_len = sizeof pkt,
    };
    xlate_actions(&xin, &xo);
    ck_assert(xo.slow & XLATE_SLOW_FIELDS);
    ck_assert_int_eq(xo.actions[0].type, DP_ACT_SET_MPLS);
    ck_assert_uint_eq(mpls_lse_to_ttl(xo.actions[0].mpls_lse), 33);

    /* copy_ttl_in writes under the label: userspace. */
    km = mpls_key(4, 100, 10);
    xlate_actions(&xin, &xo);
    ck_assert(xo.slow & XLATE_SLOW_REWRITE);
    ck_assert_uint_eq(xo.n_uops, 1);
    ck_assert_int_eq(xo.uops[0].type, XLATE_UOP_COPY_TTL_IN);
    ck_assert(has_action(DP_ACT_POP_MPLS, 0));
}
END_TEST

/* Two bands, drop at 1000 pps and remark at 100 pps: at 500 pps the
 * packets over 100 pps are remarked, none dropped; at 2000 pps those over
 * 1000 pps are dropped (the band with the highest exceeded rate). */
static void
meter_run(struct ofmeter *m, int pps, int n, int *passed, int *remarked)
{
    *passed = *remarked = 0;
    for (int i = 0; i < n; i++) {
        int remark;
        long long now = 1000000 + (long long) i * 1000 / pps;
        if (xlate_meter_allows(m, 100, now, &remark)) {
            (*passed)++;
            *remarked += remark > 0;
        }
    }
}

START_TEST(test_meter_bands_highest_exceeded_applies)
{
    struct ofmeter_band bands[2] = {
        { .type = OFPMBT_DROP, .rate = 1000 },
        { .type = OFPMBT_DSCP_REMARK, .rate = 100, .prec_level = 1 },
    };
    struct ofmeter m = { .flags = OFPMF_PKTPS, .bands = bands, .n_bands = 2 };
    int passed, remarked;

    /* 10 s at 500 pps: the first second's bucket (100) passes clean. */
    meter_run(&m, 500, 5000, &passed, &remarked);
    ck_assert_int_eq(passed, 5000);
    ck_assert_int_ge(remarked, 5000 - 100 - 10 * 100 - 10);
    ck_assert_int_le(remarked, 5000 - 10 * 100 + 10);
    ck_assert_uint_eq(bands[0].packet_count, 0);
    ck_assert_uint_eq(bands[1].packet_count, (uint64_t) remarked);

    /* Restart; 5 s at 2000 pps: about 1000/s pass (bucket of 1000 first). */
    m.last_fill = 0;
    bands[0].packet_count = bands[1].packet_count = 0;
    meter_run(&m, 2000, 10000, &passed, &remarked);
    ck_assert_int_ge(passed, 1000 + 5 * 1000 - 10);
    ck_assert_int_le(passed, 1000 + 5 * 1000 + 10);
    ck_assert_uint_eq(bands[0].packet_count, (uint64_t) (10000 - passed));
    ck_assert_uint_eq(m.packet_count, 15000);
}
END_TEST

/* Registers: zero on entry, set by one table, matched by the next
 * (resubmit and goto_table keep them), never in the datapath mask. */
START_TEST(test_registers_carry_across_tables_not_into_the_mask)
{
    xf_add_flow("table=0,in_port=1,actions=load:3->NXM_NX_REG0[0..15],"
             "load:1->reg1[],resubmit(,1)");
    xf_add_flow("table=0,in_port=2,actions=set_field:4->reg0,load:2->reg1[],"
             "goto_table:1");
    xf_add_flow("table=1,reg1=1,actions=goto_table:2");
    xf_add_flow("table=1,reg1=2,reg0=4,actions=output:reg0[0..15]");
    xf_add_flow("table=2,reg0=0x3/0xffff,actions=output:NXM_NX_REG0[0..15]");
    xf_add_flow("table=1,priority=0,reg0=0,actions=output:4");
    struct dp_key k = tcp_key(1, 0x0a000002);
    xf_run(&k);
    ck_assert(has_action(DP_ACT_OUTPUT, 3));
    ck_assert_uint_eq(n_outputs(), 1);
    ck_assert_uint_eq(xo.slow, 0);
    struct dp_key want;
    memset(&want, 0, sizeof want);
    want.in_port = UINT32_MAX;
    ck_assert_msg(!memcmp(&xo.mask, &want, sizeof want),
                  "only in_port decides: eth_type %x nw_dst %x",
                  xo.mask.eth_type, xo.mask.nw_dst);

    k = tcp_key(2, 0x0a000002);
    xf_run(&k);
    ck_assert(has_action(DP_ACT_OUTPUT, 4));
    ck_assert_uint_eq(n_outputs(), 1);
    ck_assert(!memcmp(&xo.mask, &want, sizeof want));

    /* A port with no table 0 flow: no register loaded, table miss. */
    k = tcp_key(3, 0x0a000002);
    xf_run(&k);
    ck_assert_uint_eq(n_outputs(), 0);
}
END_TEST

/* A register loaded from a packet field: the megaflow depends on that
 * field (the move reads it), here the low byte of the IPv4 destination
 * picks the output port. */
START_TEST(test_register_from_a_packet_field_unwildcards_it)
{
    xf_add_flow("table=0,ip,actions=move:NXM_OF_IP_DST[0..7]->NXM_NX_REG2[0..7],"
             "resubmit(,1)");
    xf_add_flow("table=1,reg2=2,actions=output:2");
    xf_add_flow("table=1,reg2=3,actions=output:3");
    struct dp_key k = tcp_key(1, 0x0a000002);
    xf_run(&k);
    ck_assert(has_action(DP_ACT_OUTPUT, 2));
    ck_assert_uint_eq(xo.mask.nw_dst, htonl(UINT32_MAX));
    k = tcp_key(1, 0x0a000003);
    xf_run(&k);
    ck_assert(has_action(DP_ACT_OUTPUT, 3));
    ck_assert(!has_action(DP_ACT_OUTPUT, 2));
}
END_TEST

/* output:FIELD[]: 16-bit values are OpenFlow 1.0 ports (0xfff8 is
 * IN_PORT); a register holding no port outputs nothing. */
START_TEST(test_output_reg_ports)
{
    xf_add_flow("table=0,in_port=1,actions=load:0xfff8->reg5[16..31],"
             "output:reg5[16..31]");
    xf_add_flow("table=0,in_port=2,actions=load:0x1234->reg5[],output:reg5[]");
    xf_add_flow("table=0,in_port=3,actions=load:2->xreg3[],output:xreg3[0..31],"
             "move:NXM_OF_IN_PORT[]->reg0[0..15],load:0->reg0[0],"
             "output:NXM_NX_REG0[0..15]");
    struct dp_key k = tcp_key(1, 0x0a000002);
    xf_run(&k);
    ck_assert(has_action(DP_ACT_OUTPUT, 1));
    ck_assert_uint_eq(n_outputs(), 1);
    k = tcp_key(2, 0x0a000002);
    xf_run(&k);
    ck_assert_uint_eq(n_outputs(), 0);
    /* xreg3[0..31] is reg7 (2); in_port 3 with bit 0 cleared is 2 too. */
    k = tcp_key(3, 0x0a000002);
    xf_run(&k);
    ck_assert(has_action(DP_ACT_OUTPUT, 2));
    ck_assert_uint_eq(n_outputs(), 2);
}
END_TEST

/* learn: the flow it makes from the packet (VLAN, source MAC, in_port),
 * added once; learning it again changes nothing; the megaflow matches
 * what learn read; the next packet the other way takes the learned flow. */
START_TEST(test_learn_adds_a_flow_once)
{
    xf_add_flow("table=0,actions=learn(table=1,hard_timeout=60,"
             "NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],"
             "load:NXM_OF_IN_PORT[]->NXM_NX_REG0[0..15],"
             "output:NXM_OF_IN_PORT[]),resubmit(,1)");
    xf_add_flow("table=1,priority=0,actions=output:4");
    struct dp_key k = tcp_key(1, 0x0a000002);
    xf_run(&k);
    ck_assert(has_action(DP_ACT_OUTPUT, 4));
    ck_assert_uint_eq(xo.n_learned, 1);
    ck_assert_uint_eq(xo.mask.eth_src[0], 0xff);
    ck_assert_uint_eq(xo.mask.eth_src[5], 0xff);
    ck_assert_uint_eq(xo.mask.vlan_tci & 0x0fff, 0x0fff);

    uint64_t v0 = ofproto_get_version(ofp);
    xlate_learned_apply(&xo, ofp, 1000);
    ck_assert_uint_eq(xo.n_learned, 0);
    uint64_t v1 = ofproto_get_version(ofp);
    ck_assert(v1 != v0);
    struct ds s = DS_EMPTY_INITIALIZER;
    ofproto_dump_flows(ofp, false, &s);
    ck_assert_msg(strstr(ds_cstr(&s), "table_id=1, ")
                  && strstr(ds_cstr(&s), "hard_timeout=60, priority=32768,"
                            "vlan_tci=0x0000/0x0fff,dl_dst=02:00:00:00:00:01,"
                            "actions=load:0x1->NXM_NX_REG0[0..15],output:1"),
                  "%s", ds_cstr(&s));
    ds_destroy(&s);

    /* The same packet again: the same flow, no new version. */
    xf_run(&k);
    xlate_learned_apply(&xo, ofp, 2000);
    ck_assert_uint_eq(ofproto_get_version(ofp), v1);

    /* Back from port 2 to the learned MAC: the learned flow. */
    struct dp_key r = tcp_key(2, 0x0a000001);
    memcpy(r.eth_dst, k.eth_src, 6);
    memcpy(r.eth_src, k.eth_dst, 6);
    xf_run(&r);
    ck_assert(has_action(DP_ACT_OUTPUT, 1));
    ck_assert(!has_action(DP_ACT_OUTPUT, 4));
}
END_TEST

static size_t
n_flows_in_table(uint8_t table_id)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    char tag[32];
    ofproto_dump_flows(ofp, false, &s);
    snprintf(tag, sizeof tag, "table_id=%u,", table_id);
    size_t n = 0;
    for (const char *p = ds_cstr(&s); (p = strstr(p, tag)); p++) {
        n++;
    }
    ds_destroy(&s);
    return n;
}

/* delete_learned: deleting the last flow with that learn deletes what it
 * learned (its table, its cookie); a learn without it leaves them. */
START_TEST(test_learn_delete_learned)
{
    xf_add_flow("table=0,in_port=1,actions=learn(table=1,cookie=0x7,"
             "delete_learned,NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],"
             "output:NXM_OF_IN_PORT[])");
    xf_add_flow("table=0,in_port=2,actions=learn(table=2,cookie=0x8,"
             "NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],output:NXM_OF_IN_PORT[])");
    xf_add_flow("table=1,cookie=0x9,priority=0,actions=drop");
    struct dp_key k1 = tcp_key(1, 0x0a000002), k2 = tcp_key(2, 0x0a000002);
    xf_run(&k1);
    xlate_learned_apply(&xo, ofp, 1000);
    xf_run(&k2);
    xlate_learned_apply(&xo, ofp, 1000);
    ck_assert_uint_eq(n_flows_in_table(1), 2);
    ck_assert_uint_eq(n_flows_in_table(2), 1);

    struct ofp_flow_mod fm;
    ofp_flow_mod_init(&fm);
    ck_assert_ptr_null(ofp_parse_flow_mod("table=0", OFPFC_DELETE, &fm));
    ck_assert_int_eq(ofproto_flow_mod(ofp, &fm), 0);
    ofp_flow_mod_uninit(&fm);
    ofproto_run(ofp);
    /* Cookie 0x7 went from table 1 (not 0x9); table 2's stay. */
    ck_assert_uint_eq(n_flows_in_table(1), 1);
    ck_assert_uint_eq(n_flows_in_table(2), 1);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("xlate");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, xlate_fixture_setup,
                              xlate_fixture_teardown);
    tcase_add_test(tc, test_output_to_port);
    tcase_add_test(tc, test_registers_carry_across_tables_not_into_the_mask);
    tcase_add_test(tc, test_register_from_a_packet_field_unwildcards_it);
    tcase_add_test(tc, test_output_reg_ports);
    tcase_add_test(tc, test_learn_adds_a_flow_once);
    tcase_add_test(tc, test_learn_delete_learned);
    tcase_add_test(tc, test_table_miss_drops);
    tcase_add_test(tc, test_drop_action);
    tcase_add_test(tc, test_no_output_back_to_in_port_unless_in_port);
    tcase_add_test(tc, test_normal_learns_and_floods);
    tcase_add_test(tc, test_flood_and_all);
    tcase_add_test(tc, test_goto_table_and_metadata);
    tcase_add_test(tc, test_resubmit_runs_another_table_and_comes_back);
    tcase_add_test(tc, test_resubmit_loops_are_bounded);
    tcase_add_test(tc, test_exit_stops_outer_actions_too);
    tcase_add_test(tc, test_load_and_move_rewrite_the_packet);
    tcase_add_test(tc, test_dec_ttl_ids_and_controller_id_pick_controllers);
    tcase_add_test(tc, test_write_actions_run_at_the_end_in_order);
    tcase_add_test(tc, test_clear_actions);
    tcase_add_test(tc, test_set_field_to_datapath_rewrites);
    tcase_add_test(tc, test_rewrite_is_lazy_and_restored_between_buckets);
    tcase_add_test(tc, test_group_select_hashes_5tuple);
    tcase_add_test(tc, test_group_fast_failover);
    tcase_add_test(tc, test_group_indirect);
    tcase_add_test(tc, test_controller_is_slow_path);
    tcase_add_test(tc, test_meter_bands_highest_exceeded_applies);
    tcase_add_test(tc, test_fields_outside_the_key_are_slow_path);
    tcase_add_test(tc, test_ipv6_rewrite_is_slow_path);
    tcase_add_test(tc, test_too_many_actions_is_slow_path);
    tcase_add_test(tc, test_dec_ttl);
    tcase_add_test(tc, test_mask_covers_only_fields_looked_at);
    tcase_add_test(tc, test_vlan_push_and_pop);
    tcase_add_test(tc, test_local_port_mapping);
    tcase_add_test(tc, test_packet_out_table_runs_pipeline);
    tcase_add_test(tc, test_port_config_no_recv_no_fwd_no_flood);
    tcase_add_test(tc, test_key_flow_round_trip_and_local_port);
    tcase_add_test(tc, test_wildcards_outside_the_key_and_metadata);
    tcase_add_test(tc, test_push_mpls_and_set_label);
    tcase_add_test(tc, test_match_mpls_label_and_pop);
    tcase_add_test(tc, test_dec_mpls_ttl);
    tcase_add_test(tc, test_set_mpls_ttl_and_push_onto_mpls);
    tcase_add_test(tc, test_match_after_pop_mpls_is_slow_path);
    tcase_add_test(tc, test_queues_set_skb_priority);
    tcase_add_test(tc, test_copy_ttl);
    tcase_add_test(tc, test_tun_id_match_and_mask_from_a_tunnel);
    tcase_add_test(tc, test_set_tunnel_is_lazy_and_before_its_output);
    tcase_add_test(tc, test_tunnel_fields_round_trip_key_flow);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
