/* Unit tests for the Nicira extension messages of OpenFlow 1.0
 * (lib/ofp-nx.c), the nx_match with its cookie, and the Nicira actions
 * (lib/ofp-actions-nx.c).
 *
 * Round trips: flow text -> parse -> NXT_FLOW_MOD -> decode -> print, with
 * the exact text expected; the bytes of one message are compared with
 * what Debian's ovs-ofctl decodes them as (see golden_flow_mod).  Malformed
 * messages and actions get the exact error, and every truncation of a
 * valid message fails cleanly. */
#include <config.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test-ofp-util.h"
#include "dynamic-string.h"
#include "flow.h"
#include "match.h"
#include "ofp-actions.h"
#include "ofp-buf.h"
#include "ofp-flow.h"
#include "ofp-msgs.h"
#include "ofp-nx.h"
#include "ofp-parse.h"
#include "ofp-print.h"
#include "ofp-switch.h"
#include "util.h"

struct roundtrip {
    int command;
    const char *in;
    const char *out;            /* ofp_flow_mod_format() of the decoded. */
};

static const struct roundtrip roundtrips[] = {
    { OFPFC_ADD, "ipv6,ipv6_src=2001:db8::1,actions=drop",
      "ADD ipv6,ipv6_src=2001:db8::1 actions=drop" },
    { OFPFC_ADD, "table=1,tcp,tcp_flags=+syn,actions=resubmit(,2)",
      "ADD table:1 tcp,tcp_flags=+syn actions=resubmit(,2)" },
    { OFPFC_ADD, "priority=10,ip,actions=load:0xa000001->NXM_OF_IP_SRC[],"
      "load:0x5->NXM_NX_IP_TTL[],load:0x2->NXM_NX_IP_ECN[]",
      "ADD priority=10,ip actions=load:0xa000001->NXM_OF_IP_SRC[],"
      "load:0x5->NXM_NX_IP_TTL[],load:0x2->NXM_NX_IP_ECN[]" },
    { OFPFC_ADD, "ipv6,actions=load:0x5->NXM_NX_IPV6_DST[0..63],"
      "load:0x20010db800000000->NXM_NX_IPV6_DST[64..127],"
      "load:1->NXM_NX_TUN_ID[3]",
      "ADD ipv6 actions=load:0x5->NXM_NX_IPV6_DST[0..63],"
      "load:0x20010db800000000->NXM_NX_IPV6_DST[64..127],"
      "load:0x1->NXM_NX_TUN_ID[3]" },
    { OFPFC_ADD, "ipv6,actions=move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],"
      "move:NXM_NX_IPV6_SRC[]->NXM_NX_IPV6_DST[],"
      "move:NXM_NX_TUN_ID[0..31]->OXM_OF_METADATA[32..63]",
      "ADD ipv6 actions=move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],"
      "move:NXM_NX_IPV6_SRC[]->NXM_NX_IPV6_DST[],"
      "move:NXM_NX_TUN_ID[0..31]->OXM_OF_METADATA[32..63]" },
    { OFPFC_ADD, "cookie=0x99,actions=resubmit:3,resubmit(1,3),resubmit(,2),"
      "note:01.02.03,exit",
      "ADD cookie:0x99 actions=resubmit:3,resubmit(1,3),resubmit(,2),"
      "note:01.02.03.00.00.00,exit" },
    /* Notes longer than one ofpact holds, padded as Open vSwitch pads. */
    { OFPFC_ADD, "actions=note:01.02.03.04.05.06.07.08.09.10.11.12.13.14.15.16.17.18.19.20.21.22.23.24.25,output:2",
      "ADD actions=note:01.02.03.04.05.06.07.08.09.10.11.12.13.14.15.16.17.18.19.20.21.22.23.24.25.00.00.00.00.00,output:2" },
    { OFPFC_ADD, "ip,actions=dec_ttl(1,2),dec_ttl,dec_ttl(7)",
      "ADD ip actions=dec_ttl(1,2),dec_ttl,dec_ttl(7)" },
    { OFPFC_ADD, "actions=controller(reason=no_match,max_len=100),"
      "controller(id=5),CONTROLLER:30",
      "ADD actions=controller(reason=no_match,max_len=100),"
      "controller(id=5),CONTROLLER:30" },
    { OFPFC_ADD, "table=2,metadata=0x5/0xff,tun_id=0x10,actions=resubmit(,3),"
      "write_metadata:0x1/0xff",
      "ADD table:2 tun_id=0x10,metadata=0x5/0xff actions=resubmit(,3),"
      "write_metadata:0x1/0xff" },
    { OFPFC_ADD, "table=3,actions=goto_table:6",
      "ADD table:3 actions=resubmit(,6)" },
    { OFPFC_ADD, "priority=2,vlan_tci=0x1000/0x1000,arp,"
      "arp_sha=00:11:22:00:00:00/ff:ff:ff:00:00:00,actions=drop",
      "ADD priority=2,arp,vlan_tci=0x1000/0x1000,"
      "arp_sha=00:11:22:00:00:00/ff:ff:ff:00:00:00 actions=drop" },
    { OFPFC_ADD, "icmp6,icmp_type=135,nd_target=fe80::1,ipv6_label=0x12345,"
      "actions=output:1",
      "ADD icmp6,ipv6_label=0x12345,icmp_type=135,nd_target=fe80::1 "
      "actions=output:1" },
    { OFPFC_ADD, "ip,nw_tos=8,nw_ecn=1,nw_ttl=3,nw_frag=later,actions=drop",
      "ADD ip,nw_tos=8,nw_ecn=1,nw_ttl=3,nw_frag=later actions=drop" },
    { OFPFC_ADD, "mpls,mpls_label=5,actions=pop_mpls:0x0800,output:2",
      "ADD mpls,mpls_label=5 actions=pop_mpls:0x0800,output:2" },
    { OFPFC_MODIFY_STRICT,
      "table=4,priority=7,udp6,tp_dst=53,actions=output:1",
      "MOD_STRICT table:4 priority=7,udp6,tp_dst=53 actions=output:1" },
    { OFPFC_DELETE, "table=9,cookie=0x5/0xff",
      "DEL table:9 cookie:0x5/0xff actions=drop" },
};

static void
format_decoded(const struct ofp_flow_mod *fm, struct ds *s)
{
    ds_clear(s);
    ofp_flow_mod_format(fm, s);
}

START_TEST(test_nx_flow_mod_roundtrip)
{
    const struct roundtrip *rt = &roundtrips[_i];
    struct ofp_flow_mod fm, fm2;
    ofp_flow_mod_init(&fm);
    ofp_flow_mod_init(&fm2);
    char *error = ofp_parse_flow_mod(rt->in, rt->command, &fm);
    ck_assert_msg(!error, "%s: %s", rt->in, error);

    struct ofpbuf *msg;
    ck_assert_int_eq(nx_flow_mod_encode(&fm, true, 7, &msg), 0);
    ck_assert_int_eq(nx_msg_subtype(msg->data, msg->size), NXT_FLOW_MOD);
    ck_assert_uint_eq(get_be16(msg->data + 2), msg->size);
    enum ofperr e = nx_flow_mod_decode(msg->data, msg->size, true, &fm2);
    ck_assert_msg(!e, "%s: %s", rt->in, ofperr_get_name(e));
    /* The actions compare as text: a note keeps its padding and
     * goto_table comes back as resubmit, as with Open vSwitch. */
    ck_assert(match_equal(&fm.match, &fm2.match));
    ck_assert_uint_eq(fm.table_id, fm2.table_id);
    ck_assert_uint_eq(fm.priority, fm2.priority);

    struct ds s = DS_EMPTY_INITIALIZER;
    format_decoded(&fm2, &s);
    ck_assert_msg(!strcmp(ds_cstr(&s), rt->out), "got  %s\nwant %s",
                  ds_cstr(&s), rt->out);
    ds_destroy(&s);
    ofpbuf_delete(msg);
    ofp_flow_mod_uninit(&fm);
    ofp_flow_mod_uninit(&fm2);
}
END_TEST

/* Bytes our encoder makes for
 *   "table=1,cookie=0x5,priority=9,ipv6,ipv6_src=2001:db8::1,
 *    actions=load:0x3f->NXM_NX_IP_TTL[],resubmit(,2)"
 * which Debian's ovs-ofctl (3.1) prints with `ovs-ofctl ofp-print` as
 *   NXT_FLOW_MOD (xid=0x7): ADD table:1 priority=9,ipv6,
 *   ipv6_src=2001:db8::1 cookie:0x5 actions=load:0x3f->NXM_NX_IP_TTL[],
 *   resubmit(,2)   (on one line). */
static const char golden_flow_mod[] =
    "0104007800000007" "00002320" "0000000d"      /* Nicira header. */
    "0000000000000005" "0100" "0000" "0000" "0009" /* cookie..priority */
    "ffffffff" "ffff" "0000" "001a" "000000000000" /* ..match_len, pad */
    "00000602" "86dd"                               /* eth_type */
    "00012610" "20010db8000000000000000000000001"   /* ipv6_src */
    "000000000000"                                  /* pad to 8 */
    "ffff0018" "00002320" "0007" "0007" "00013a01" "000000000000003f"
    "ffff0010" "00002320" "000e" "fff8" "02" "000000";

static void
put_hex(struct ds *s, const struct ofpbuf *b)
{
    for (size_t i = 0; i < b->size; i++) {
        ds_put_format(s, "%02x", b->data[i]);
    }
}

START_TEST(test_nx_flow_mod_bytes_are_what_ovs_ofctl_reads)
{
    struct ofp_flow_mod fm;
    ofp_flow_mod_init(&fm);
    ck_assert_ptr_null(ofp_parse_flow_mod(
        "table=1,cookie=0x5,priority=9,ipv6,ipv6_src=2001:db8::1,"
        "actions=load:0x3f->NXM_NX_IP_TTL[],resubmit(,2)", OFPFC_ADD, &fm));
    struct ofpbuf *msg;
    ck_assert_int_eq(nx_flow_mod_encode(&fm, true, 7, &msg), 0);
    struct ofpbuf *want = test_ofpbuf_from_hex(golden_flow_mod);
    struct ds got = DS_EMPTY_INITIALIZER, exp = DS_EMPTY_INITIALIZER;
    put_hex(&got, msg);
    put_hex(&exp, want);
    ck_assert_msg(!strcmp(ds_cstr(&got), ds_cstr(&exp)), "got  %s\nwant %s",
                  ds_cstr(&got), ds_cstr(&exp));
    ds_destroy(&got);
    ds_destroy(&exp);
    ofpbuf_delete(msg);
    ofpbuf_delete(want);
    ofp_flow_mod_uninit(&fm);
}
END_TEST

/* A valid message for the malformed-message tests to spoil. */
static struct ofpbuf *
valid_flow_mod(const char *flow, int command)
{
    struct ofp_flow_mod fm;
    ofp_flow_mod_init(&fm);
    ck_assert_ptr_null(ofp_parse_flow_mod(flow, command, &fm));
    struct ofpbuf *msg;
    ck_assert_int_eq(nx_flow_mod_encode(&fm, true, 1, &msg), 0);
    ofp_flow_mod_uninit(&fm);
    return msg;
}

static enum ofperr
decode(const struct ofpbuf *msg)
{
    struct ofp_flow_mod fm;
    ofp_flow_mod_init(&fm);
    enum ofperr e = nx_flow_mod_decode(msg->data, msg->size, true, &fm);
    ofp_flow_mod_uninit(&fm);
    return e;
}

/* Offsets in an NXT_FLOW_MOD: header 16, then the nx_flow_mod. */
#define FM_COMMAND 24
#define FM_FLAGS 38
#define FM_MATCH_LEN 40
#define FM_MATCH 48

START_TEST(test_nx_flow_mod_malformed_gets_exact_error)
{
    struct ofpbuf *m = valid_flow_mod("tcp,tp_dst=80,actions=output:1",
                                      OFPFC_ADD);
    ck_assert_int_eq(decode(m), 0);

    /* nx_match longer than the message. */
    put_be16(m->data + FM_MATCH_LEN, 2000);
    ck_assert_int_eq(decode(m), OFPERR_OFPBMC_BAD_LEN);
    ofpbuf_delete(m);

    /* tcp_dst without ip_proto: the prerequisite error. */
    m = valid_flow_mod("actions=drop", OFPFC_ADD);
    static const uint8_t tcp_dst[] = { 0, 0, 0x14, 2, 0, 80, 0, 0 };
    m->size = FM_MATCH;
    ofpbuf_put(m, tcp_dst, sizeof tcp_dst);
    put_be16(m->data + FM_MATCH_LEN, 6);
    ofpmsg_update_length(m);
    ck_assert_int_eq(decode(m), OFPERR_OFPBMC_BAD_PREREQ);

    /* An unknown field (class 1, field 120). */
    put_be32(m->data + FM_MATCH, 0x0001f002);
    ck_assert_int_eq(decode(m), OFPERR_OFPBMC_BAD_FIELD);

    /* A TLV with length 0. */
    put_be32(m->data + FM_MATCH, 0x00001400);
    ck_assert_int_eq(decode(m), OFPERR_OFPBMC_BAD_LEN);
    ofpbuf_delete(m);

    /* Bad command, bad flags (OF1.0's EMERG). */
    m = valid_flow_mod("actions=drop", OFPFC_ADD);
    put_be16(m->data + FM_COMMAND, 0x0107);
    ck_assert_int_eq(decode(m), OFPERR_OFPFMFC_BAD_COMMAND);
    put_be16(m->data + FM_COMMAND, 0);
    put_be16(m->data + FM_FLAGS, 4);
    ck_assert_int_eq(decode(m), OFPERR_OFPFMFC_BAD_FLAGS);
    ofpbuf_delete(m);

    /* A cookie in an add's match selects nothing: refused. */
    struct ofp_flow_mod fm;
    ofp_flow_mod_init(&fm);
    ck_assert_ptr_null(ofp_parse_flow_mod("cookie=0x5/0xff", OFPFC_DELETE,
                                          &fm));
    ck_assert_int_eq(nx_flow_mod_encode(&fm, false, 1, &m), 0);
    put_be16(m->data + FM_COMMAND, OFPFC_ADD);
    ck_assert_int_eq(decode(m), OFPERR_OFPBMC_BAD_FIELD);
    ofpbuf_delete(m);
    ofp_flow_mod_uninit(&fm);

    /* A table id without NXT_FLOW_MOD_TABLE_ID is not ours to encode. */
    ofp_flow_mod_init(&fm);
    ck_assert_ptr_null(ofp_parse_flow_mod("table=3,actions=drop", OFPFC_ADD,
                                          &fm));
    ck_assert_int_eq(nx_flow_mod_encode(&fm, false, 1, &m),
                     OFPERR_OFPBRC_BAD_TABLE_ID);
    ofp_flow_mod_uninit(&fm);
}
END_TEST

struct bad_action {
    const char *flow;           /* A valid flow with one action... */
    size_t ofs;                 /* ...whose byte at 'ofs' (from the
                                 * actions' start)... */
    uint8_t byte;               /* ...becomes 'byte'. */
    enum ofperr error;
};

static const struct bad_action bad_actions[] = {
    /* Subtype 99: unknown. */
    { "actions=exit", 9, 99, OFPERR_OFPBAC_BAD_EXP_TYPE },
    /* resubmit(,2) with a nonzero pad byte. */
    { "actions=resubmit(,2)", 13, 1, OFPERR_OFPBAC_BAD_ARGUMENT },
    /* load to a header no field has (class 0x7f). */
    { "ip,actions=load:1->NXM_NX_IP_TTL[]", 12, 0x7f,
      OFPERR_OFPBAC_BAD_SET_TYPE },
    /* load of 0x3f into 8 bits made 4 bits wide. */
    { "ip,actions=load:0x3f->NXM_NX_IP_TTL[]", 11, 3,
      OFPERR_OFPBAC_BAD_SET_ARGUMENT },
    /* load of bits 0..7 moved to 8..15 of an 8-bit field. */
    { "ip,actions=load:1->NXM_NX_IP_TTL[]", 10, 2,
      OFPERR_OFPBAC_BAD_SET_ARGUMENT },
    /* Lengths: exit as 24 bytes is not an exit. */
    { "actions=exit", 3, 24, OFPERR_OFPBAC_BAD_LEN },
    /* A note action whose length is not a multiple of 8. */
    { "actions=note:01", 3, 20, OFPERR_OFPBAC_BAD_LEN },
};

START_TEST(test_nx_action_malformed_gets_exact_error)
{
    const struct bad_action *ba = &bad_actions[_i];
    struct ofpbuf *m = valid_flow_mod(ba->flow, OFPFC_ADD);
    size_t actions = FM_MATCH + ROUND_UP(get_be16(m->data + FM_MATCH_LEN), 8);
    if (ba->ofs == 3 && ba->byte > m->size - actions) {
        /* A longer action: the message grows with it. */
        ofpbuf_put_zeros(m, ba->byte - (m->size - actions));
        ofpmsg_update_length(m);
    }
    m->data[actions + ba->ofs] = ba->byte;
    ck_assert_msg(decode(m) == ba->error, "%s: got %s", ba->flow,
                  ofperr_get_name(decode(m)));
    ofpbuf_delete(m);
}
END_TEST

START_TEST(test_nx_flow_mod_truncated_at_every_length_fails_cleanly)
{
    struct ofpbuf *m = valid_flow_mod(
        "table=2,ipv6,ipv6_src=2001:db8::/32,tcp6,tcp_flags=+syn,"
        "actions=load:1->NXM_NX_IP_TTL[],resubmit(,3),note:aa.bb,exit",
        OFPFC_ADD);
    /* Cut inside the header or the match: an error.  Cut between two
     * actions the message is valid (fewer actions); anywhere, no read
     * past the end (the ASan build checks). */
    size_t actions = FM_MATCH + ROUND_UP(get_be16(m->data + FM_MATCH_LEN), 8);
    for (size_t n = 0; n < m->size; n++) {
        uint8_t *copy = xmemdup(m->data, n ? n : 1);
        if (n >= 4) {
            put_be16(copy + 2, n);
        }
        struct ofp_flow_mod fm;
        ofp_flow_mod_init(&fm);
        enum ofperr e = nx_flow_mod_decode(copy, n, true, &fm);
        ck_assert(n >= actions || e);
        ofp_flow_mod_uninit(&fm);
        free(copy);
    }
    ofpbuf_delete(m);
}
END_TEST

START_TEST(test_nx_flow_mod_table_id_and_cookies)
{
    struct ofp_flow_mod fm;
    ofp_flow_mod_init(&fm);
    ck_assert_ptr_null(ofp_parse_flow_mod("table=5,cookie=0x77,actions=drop",
                                          OFPFC_MODIFY, &fm));
    fm.new_cookie = 0x77;
    struct ofpbuf *m;
    ck_assert_int_eq(nx_flow_mod_encode(&fm, true, 1, &m), 0);
    ck_assert_uint_eq(get_be16(m->data + FM_COMMAND), 0x0501);

    /* With the extension: table 5; without: the command is 0x0501. */
    struct ofp_flow_mod d;
    ofp_flow_mod_init(&d);
    ck_assert_int_eq(nx_flow_mod_decode(m->data, m->size, true, &d), 0);
    ck_assert_uint_eq(d.table_id, 5);
    ck_assert_uint_eq(d.command, OFPFC_MODIFY);
    ck_assert_uint_eq(d.new_cookie, 0x77);
    ck_assert_int_eq(nx_flow_mod_decode(m->data, m->size, false, &d),
                     OFPERR_OFPFMFC_BAD_COMMAND);
    ofpbuf_delete(m);

    /* A modify without a new cookie leaves them (all ones). */
    fm.new_cookie = UINT64_MAX;
    ck_assert_int_eq(nx_flow_mod_encode(&fm, true, 1, &m), 0);
    ck_assert_int_eq(nx_flow_mod_decode(m->data, m->size, true, &d), 0);
    ck_assert_uint_eq(d.new_cookie, UINT64_MAX);
    ofpbuf_delete(m);

    /* An add without a table id goes to table 0; a delete to every table. */
    fm.table_id = OFPTT_ALL;
    fm.command = OFPFC_ADD;
    ck_assert_int_eq(nx_flow_mod_encode(&fm, true, 1, &m), 0);
    ck_assert_int_eq(nx_flow_mod_decode(m->data, m->size, true, &d), 0);
    ck_assert_uint_eq(d.table_id, 0);
    ofpbuf_delete(m);
    fm.command = OFPFC_DELETE;
    ck_assert_int_eq(nx_flow_mod_encode(&fm, false, 1, &m), 0);
    ck_assert_int_eq(nx_flow_mod_decode(m->data, m->size, false, &d), 0);
    ck_assert_uint_eq(d.table_id, OFPTT_ALL);
    ofpbuf_delete(m);
    ofp_flow_mod_uninit(&fm);
    ofp_flow_mod_uninit(&d);
}
END_TEST

START_TEST(test_nx_settings_decode)
{
    enum nx_flow_format ff;
    struct ofpbuf *m = nx_set_flow_format_encode(NXFF_NXM, 3);
    ck_assert_uint_eq(m->size, 20);
    ck_assert_int_eq(nx_set_flow_format_decode(m->data, m->size, &ff), 0);
    ck_assert_int_eq(ff, NXFF_NXM);
    put_be32(m->data + 16, 1);          /* NXFF_TUN_ID_FROM_COOKIE: gone. */
    ck_assert_int_eq(nx_set_flow_format_decode(m->data, m->size, &ff),
                     OFPERR_OFPBRC_EPERM);
    ck_assert_int_eq(nx_set_flow_format_decode(m->data, m->size - 1, &ff),
                     OFPERR_OFPBRC_BAD_LEN);
    ofpbuf_delete(m);

    bool on;
    m = nx_flow_mod_table_id_encode(true, 4);
    ck_assert_uint_eq(m->size, 24);
    ck_assert_int_eq(nx_msg_subtype(m->data, m->size), NXT_FLOW_MOD_TABLE_ID);
    ck_assert_int_eq(nx_flow_mod_table_id_decode(m->data, m->size, &on), 0);
    ck_assert(on);
    ck_assert_int_eq(nx_flow_mod_table_id_decode(m->data, 20, &on),
                     OFPERR_OFPBRC_BAD_LEN);
    ofpbuf_delete(m);

    /* Not Nicira: no subtype. */
    static const uint8_t onf[] = { 1, 4, 0, 16, 0, 0, 0, 1,
                                   0x4f, 0x4e, 0x46, 0, 0, 0, 0, 12 };
    ck_assert_int_eq(nx_msg_subtype(onf, sizeof onf), -1);
}
END_TEST

START_TEST(test_nx_flow_stats_roundtrip)
{
    /* Request with a cookie mask, a table and an out_port. */
    struct ofp_flow_stats_request rq, rq2;
    memset(&rq, 0, sizeof rq);
    int prio;
    ck_assert_ptr_null(ofp_parse_match("tcp6,tcp_flags=+syn", &rq.match,
                                       &prio));
    rq.table_id = 3;
    rq.out_port = 7;
    rq.out_group = OFPG_ANY;
    rq.cookie = 0x50;
    rq.cookie_mask = 0xf0;
    struct ofpbuf *m = nx_flow_stats_request_encode(&rq, 9);
    ck_assert_int_eq(nx_stats_subtype(m->data, m->size), NXST_FLOW);
    ck_assert_int_eq(nx_flow_stats_request_decode(m->data, m->size, &rq2), 0);
    ck_assert(match_equal(&rq.match, &rq2.match));
    ck_assert_uint_eq(rq2.table_id, 3);
    ck_assert_uint_eq(rq2.out_port, 7);
    ck_assert_uint_eq(rq2.cookie, 0x50);
    ck_assert_uint_eq(rq2.cookie_mask, 0xf0);
    ck_assert(!rq2.aggregate);
    ck_assert_int_eq(nx_flow_stats_request_decode(m->data, m->size - 8, &rq2),
                     OFPERR_OFPBMC_BAD_LEN);
    ofpbuf_delete(m);

    /* Reply entries, split at 64 kB with the Nicira header repeated. */
    struct ofp_msg_header h = { .version = OFP10_VERSION, .xid = 9 };
    struct ofpmp_replies r;
    nx_stats_replies_init(&r, NXST_FLOW, &h);
    struct ofp_flow_stats fs;
    memset(&fs, 0, sizeof fs);
    ofpacts_init(&fs.ofpacts);
    ck_assert_ptr_null(ofp_parse_match("ipv6,ipv6_src=2001:db8::1",
                                       &fs.match, &prio));
    ck_assert_ptr_null(ofp_parse_actions("resubmit(,2),exit", &fs.match,
                                         &fs.ofpacts));
    fs.table_id = 4;
    fs.priority = 33;
    fs.cookie = 0xabc;
    fs.packet_count = 5;
    fs.byte_count = 500;
    fs.duration_sec = 12;
    for (int i = 0; i < 1000; i++) {
        struct ofpbuf *last = ofpmp_last(&r);
        size_t start = last->size;
        nx_flow_stats_append_rule(last, &fs, &fs.match, &fs.ofpacts, 3, -1);
        ofpmp_postappend(&r, start);
    }
    ck_assert_uint_gt(r.n, 1);
    size_t n_entries = 0;
    for (size_t i = 0; i < r.n; i++) {
        struct ofpbuf *msg = r.msgs[i];
        ofpmsg_update_length(msg);
        ck_assert_int_eq(nx_stats_subtype(msg->data, msg->size), NXST_FLOW);
        ck_assert_uint_eq(get_be16(msg->data + 10),
                          i + 1 < r.n ? OFPSF_REPLY_MORE : 0);
        struct ofpbuf body;
        ofpbuf_use_const(&body, msg->data + NX_STATS_HEADER_LEN,
                         msg->size - NX_STATS_HEADER_LEN);
        for (;;) {
            struct ofp_flow_stats got;
            bool done;
            memset(&got, 0, sizeof got);
            ofpacts_init(&got.ofpacts);
            ck_assert_int_eq(nx_flow_stats_pull(&body, &got, &done), 0);
            if (done) {
                ofpacts_uninit(&got.ofpacts);
                break;
            }
            ck_assert(match_equal(&got.match, &fs.match));
            ck_assert(ofpacts_equal(&got.ofpacts, &fs.ofpacts));
            ck_assert_uint_eq(got.table_id, 4);
            ck_assert_uint_eq(got.priority, 33);
            ck_assert_uint_eq(got.cookie, 0xabc);
            ck_assert_uint_eq(got.byte_count, 500);
            ofpacts_uninit(&got.ofpacts);
            n_entries++;
        }
    }
    ck_assert_uint_eq(n_entries, 1000);
    ofpmp_destroy(&r);
    ofpacts_uninit(&fs.ofpacts);

    /* Aggregate. */
    struct ofp_aggregate_stats as = { 7, 700, 3 }, as2;
    m = nx_aggregate_stats_reply_encode(&h, &as);
    ck_assert_uint_eq(m->size, 48);
    ck_assert_int_eq(nx_aggregate_stats_reply_decode(m->data, m->size, &as2),
                     0);
    ck_assert_uint_eq(as2.packet_count, 7);
    ck_assert_uint_eq(as2.byte_count, 700);
    ck_assert_uint_eq(as2.flow_count, 3);
    ofpbuf_delete(m);
}
END_TEST

START_TEST(test_nx_flow_removed_roundtrip)
{
    struct ofp_flow_removed fr, fr2;
    memset(&fr, 0, sizeof fr);
    int prio;
    ck_assert_ptr_null(ofp_parse_match("tcp6,tcp_flags=+syn,metadata=0x5",
                                       &fr.match, &prio));
    fr.priority = 5;
    fr.cookie = 0x1234;
    fr.reason = OFPRR_HARD_TIMEOUT;
    fr.table_id = 7;
    fr.duration_sec = 3;
    fr.idle_timeout = 9;
    fr.packet_count = 11;
    fr.byte_count = 1100;
    struct ofpbuf *m = nx_flow_removed_encode(&fr);
    ck_assert_int_eq(nx_msg_subtype(m->data, m->size), NXT_FLOW_REMOVED);
    ck_assert_int_eq(nx_flow_removed_decode(m->data, m->size, &fr2), 0);
    ck_assert(match_equal(&fr.match, &fr2.match));
    ck_assert_uint_eq(fr2.cookie, 0x1234);
    ck_assert_uint_eq(fr2.reason, OFPRR_HARD_TIMEOUT);
    ck_assert_uint_eq(fr2.table_id, 7);
    ck_assert_uint_eq(fr2.byte_count, 1100);
    ofpbuf_delete(m);
}
END_TEST

START_TEST(test_nx_packet_in_roundtrip)
{
    static const uint8_t frame[80] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
    struct ofp_packet_in pin, pin2;
    memset(&pin, 0, sizeof pin);
    match_init_catchall(&pin.metadata);
    match_set_in_port(&pin.metadata, 3);
    match_set_tun_id_masked(&pin.metadata, vs_htonll(0x10), UINT64_MAX);
    pin.buffer_id = OFP_NO_BUFFER;
    pin.reason = OFPR_NO_MATCH;
    pin.table_id = 3;
    pin.cookie = 0x99;
    pin.packet = frame;
    pin.packet_len = sizeof frame;
    struct ofpbuf *m = nx_packet_in_encode(&pin, 64);
    ck_assert_int_eq(nx_msg_subtype(m->data, m->size), NXT_PACKET_IN);
    ck_assert_int_eq(nx_packet_in_decode(m->data, m->size, &pin2), 0);
    ck_assert_uint_eq(pin2.total_len, sizeof frame);
    ck_assert_uint_eq(pin2.packet_len, 64);         /* Cut to max_len. */
    ck_assert(!memcmp(pin2.packet, frame, 64));
    ck_assert_uint_eq(pin2.metadata.flow.in_port, 3);
    ck_assert_uint_eq(vs_ntohll(pin2.metadata.flow.tun_id), 0x10);
    ck_assert_uint_eq(pin2.table_id, 3);
    ck_assert_uint_eq(pin2.cookie, 0x99);
    ck_assert_uint_eq(pin2.reason, OFPR_NO_MATCH);
    /* The IP header after the 14-byte Ethernet header is 4-aligned. */
    ck_assert_uint_eq(((const uint8_t *) pin2.packet - m->data + 14) % 4, 0);
    ck_assert_int_eq(nx_packet_in_decode(m->data, 30, &pin2),
                     OFPERR_OFPBRC_BAD_LEN);
    /* Printed as ovs-ofctl prints it. */
    char *text = ofp_msg_to_string(m->data, m->size);
    ck_assert_str_eq(text, "NXT_PACKET_IN (xid=0x0): table_id=3 cookie=0x99 "
                     "total_len=80 tun_id=0x10,in_port=3 (via no_match) "
                     "data_len=64 (unbuffered)");
    free(text);
    ofpbuf_delete(m);
}
END_TEST

START_TEST(test_load_sets_only_its_bits)
{
    struct ofpacts o;
    ofpacts_init(&o);
    ck_assert_ptr_null(ofp_parse_actions(
        "load:0xff->NXM_NX_IPV6_DST[8..15],load:0x3f->NXM_NX_IP_TTL[],"
        "load:0->NXM_NX_TUN_ID[0]", NULL, &o));
    ck_assert_uint_eq(o.n, 3);
    struct flow f;
    memset(&f, 0, sizeof f);
    f.nw_ttl = 1;
    f.tun_id = vs_htonll(0x11);
    for (size_t i = 0; i < o.n; i++) {
        ofpact_load_apply(&o.acts[i], &f);
    }
    ck_assert_uint_eq(f.ipv6_dst.s6_addr[14], 0xff);
    ck_assert_uint_eq(f.ipv6_dst.s6_addr[15], 0);
    ck_assert_uint_eq(f.ipv6_dst.s6_addr[13], 0);
    ck_assert_uint_eq(f.nw_ttl, 0x3f);
    ck_assert_uint_eq(vs_ntohll(f.tun_id), 0x10);

    /* move: bits 0..7 of the IPv4 source into the TTL. */
    ofpacts_clear(&o);
    ck_assert_ptr_null(ofp_parse_actions(
        "move:NXM_OF_IP_SRC[0..7]->NXM_NX_IP_TTL[],"
        "move:NXM_OF_ETH_SRC[40..47]->NXM_OF_ETH_DST[0..7]", NULL, &o));
    f.nw_src = htonl(0x0a0000fe);
    f.dl_src.ea[0] = 0xaa;
    for (size_t i = 0; i < o.n; i++) {
        ofpact_move_apply(&o.acts[i], &f);
    }
    ck_assert_uint_eq(f.nw_ttl, 0xfe);
    ck_assert_uint_eq(f.dl_dst.ea[5], 0xaa);
    ck_assert_uint_eq(f.dl_dst.ea[4], 0);

    /* The parser refuses what the wire could not carry. */
    static const char *const bad[] = {
        "move:NXM_OF_IP_SRC[]->NXM_NX_IP_TTL[]",
        "move:NXM_OF_IP_SRC[0..7]->NXM_OF_ETH_TYPE[0..7]",
        "load:0x100->NXM_NX_IP_TTL[]", "load:1->NXM_NX_IP_TTL[4..8]",
        "load:1->NXM_NX_REG16[]", "load:0x10000->NXM_OF_IN_PORT[]",
        "resubmit(,)", "note:1",
    };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        char *error = ofp_parse_actions(bad[i], NULL, &o);
        ck_assert_msg(error != NULL, "%s parsed", bad[i]);
        free(error);
    }
    ofpacts_uninit(&o);
}
END_TEST

/* NXT_FLOW_AGE: no body, accepted and printed as ovs-ofctl prints it. */
START_TEST(test_nx_flow_age)
{
    struct ofpbuf *m = nx_flow_age_encode(7);
    ck_assert_uint_eq(m->size, 16);
    ck_assert_int_eq(nx_msg_subtype(m->data, m->size), NXT_FLOW_AGE);
    ck_assert_int_eq(nx_flow_age_decode(m->data, m->size), 0);
    struct ds s = DS_EMPTY_INITIALIZER;
    ofp_print_msg(m->data, m->size, &s);
    ck_assert_str_eq(ds_cstr(&s), "NXT_FLOW_AGE (xid=0x7):");
    ofpbuf_put_zeros(m, 8);
    ofpmsg_update_length(m);
    ck_assert_int_eq(nx_flow_age_decode(m->data, m->size),
                     OFPERR_OFPBRC_BAD_LEN);
    ds_destroy(&s);
    ofpbuf_delete(m);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("ofp-nx");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_nx_flow_mod_roundtrip, 0,
                        ARRAY_SIZE(roundtrips));
    tcase_add_test(tc, test_nx_flow_mod_bytes_are_what_ovs_ofctl_reads);
    tcase_add_test(tc, test_nx_flow_mod_malformed_gets_exact_error);
    tcase_add_loop_test(tc, test_nx_action_malformed_gets_exact_error, 0,
                        ARRAY_SIZE(bad_actions));
    tcase_add_test(tc,
                   test_nx_flow_mod_truncated_at_every_length_fails_cleanly);
    tcase_add_test(tc, test_nx_flow_mod_table_id_and_cookies);
    tcase_add_test(tc, test_nx_settings_decode);
    tcase_add_test(tc, test_nx_flow_stats_roundtrip);
    tcase_add_test(tc, test_nx_flow_removed_roundtrip);
    tcase_add_test(tc, test_nx_packet_in_roundtrip);
    tcase_add_test(tc, test_load_sets_only_its_bits);
    tcase_add_test(tc, test_nx_flow_age);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
