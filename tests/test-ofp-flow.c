/* Unit tests for flow_mod encoding/decoding, OXM and OF1.0 matches,
 * actions and instructions, the flow syntax parser and printer.
 *
 * Round trips: flow text -> parse -> encode (1.0, 1.3, 1.4, 1.5) ->
 * decode -> print, compared with the canonical text (checked against
 * ovs-ofctl's decoding of the same bytes when the table was written).
 * Malformed messages: each gets the exact OFPT_ERROR type/code. */
#include <config.h>
#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dynamic-string.h"
#include "match.h"
#include "ofp-buf.h"
#include "ofp-flow.h"
#include "ofp-match.h"
#include "ofp-msgs.h"
#include "ofp-parse.h"
#include "ofp-print.h"
#include "oxm.h"
#include "util.h"

#define V10 OFP10_VERSION
#define V13 OFP13_VERSION
#define V14 OFP14_VERSION
#define V15 OFP15_VERSION

struct roundtrip {
    uint8_t version;
    const char *in;
    const char *out;            /* NULL: encoding must fail. */
};

static const struct roundtrip roundtrips[] = {
    { V10, "priority=100,ip,nw_dst=10.0.0.0/24,tcp,tp_dst=80,actions=output:2,mod_vlan_vid:10",
      "ADD priority=100,tcp,nw_dst=10.0.0.0/24,tp_dst=80 actions=output:2,mod_vlan_vid:10" },
    { V13, "priority=100,ip,nw_dst=10.0.0.0/24,tcp,tp_dst=80,actions=output:2,mod_vlan_vid:10",
      "ADD priority=100,tcp,nw_dst=10.0.0.0/24,tp_dst=80 actions=output:2,push_vlan:0x8100,set_field:4106->vlan_vid" },
    { V15, "priority=100,ip,nw_dst=10.0.0.0/24,tcp,tp_dst=80,actions=output:2,mod_vlan_vid:10",
      "ADD priority=100,tcp,nw_dst=10.0.0.0/24,tp_dst=80 actions=output:2,push_vlan:0x8100,set_field:4106->vlan_vid" },
    { V10, "in_port=3,dl_vlan=5,dl_vlan_pcp=2,dl_src=00:11:22:33:44:55,arp,arp_op=1,arp_spa=1.2.3.4,actions=normal",
      "ADD arp,in_port=3,dl_vlan=5,dl_vlan_pcp=2,dl_src=00:11:22:33:44:55,arp_spa=1.2.3.4,arp_op=1 actions=NORMAL" },
    { V13, "in_port=3,dl_vlan=5,dl_vlan_pcp=2,dl_src=00:11:22:33:44:55,arp,arp_op=1,arp_spa=1.2.3.4,actions=normal",
      "ADD arp,in_port=3,dl_vlan=5,dl_vlan_pcp=2,dl_src=00:11:22:33:44:55,arp_spa=1.2.3.4,arp_op=1 actions=NORMAL" },
    { V10, "in_port=65534,dl_vlan=0xffff,udp,nw_src=1.2.3.0/24,tp_src=53,actions=strip_vlan,IN_PORT,FLOOD,ALL,LOCAL,NORMAL,controller:100",
      "ADD udp,in_port=LOCAL,vlan_tci=0x0000,nw_src=1.2.3.0/24,tp_src=53 actions=strip_vlan,IN_PORT,FLOOD,ALL,LOCAL,NORMAL,CONTROLLER:100" },
    { V13, "table=2,cookie=0x1234,idle_timeout=10,hard_timeout=20,send_flow_rem,tcp6,ipv6_src=2001:db8::/32,ipv6_label=5,nw_tos=16,nw_ecn=1,tcp_flags=+syn-ack,actions=dec_ttl,push_mpls:0x8847,set_field:10->mpls_label,set_queue:3,group:4,goto_table:5",
      "ADD table:2 tcp6,ipv6_src=2001:db8::/32,ipv6_label=0x00005,nw_tos=16,nw_ecn=1,tcp_flags=+syn-ack cookie:0x1234 idle:10 hard:20 send_flow_rem actions=dec_ttl,push_mpls:0x8847,set_field:10->mpls_label,set_queue:3,group:4,goto_table:5" },
    { V14, "table=2,cookie=0x1234,importance=7,tcp6,tcp_flags=+syn-ack,actions=output:1",
      "ADD table:2 tcp6,tcp_flags=+syn-ack cookie:0x1234 importance:7 actions=output:1" },
    { V15, "tcp,tcp_flags=-fin+rst,actions=output:1",
      "ADD tcp,tcp_flags=-fin+rst actions=output:1" },
    { V13, "icmp6,icmp_type=135,nd_target=fe80::1,nd_sll=00:00:00:00:00:01,metadata=0x5/0xff,tun_id=0x10,actions=meter:2,controller,write_actions(output:1),write_metadata:0x1/0x1,goto_table:3",
      "ADD icmp6,tun_id=0x10,metadata=0x5/0xff,icmp_type=135,nd_target=fe80::1,nd_sll=00:00:00:00:00:01 actions=meter:2,CONTROLLER:65535,write_actions(output:1),write_metadata:0x1/0x1,goto_table:3" },
    { V15, "icmp6,icmp_type=136,nd_tll=00:00:00:00:00:02,actions=meter:2,output:3",
      "ADD icmp6,icmp_type=136,nd_tll=00:00:00:00:00:02 actions=meter:2,output:3" },
    /* OpenFlow 1.0: MPLS label and TC sets as Nicira actions (what
     * ovs-ofctl -O OpenFlow10 sends for set_mpls_label/set_mpls_tc). */
    { V10, "dl_type=0x8847,actions=set_mpls_label:300,set_mpls_tc:2,set_mpls_ttl:9,dec_mpls_ttl,pop_mpls:0x0800,output:1",
      "ADD mpls actions=set_field:300->mpls_label,set_field:2->mpls_tc,set_mpls_ttl:9,dec_mpls_ttl,pop_mpls:0x0800,output:1" },
    { V10, "icmp6,icmp_type=135,actions=drop", NULL },
    { V13, "mpls,mpls_label=5,mpls_tc=1,mpls_bos=1,actions=pop_mpls:0x0800,dec_mpls_ttl,set_mpls_ttl:9,output:7",
      "ADD mpls,mpls_label=5,mpls_tc=1,mpls_bos=1 actions=pop_mpls:0x0800,dec_mpls_ttl,set_mpls_ttl:9,output:7" },
    { V13, "arp,arp_sha=00:00:00:00:00:01,arp_tha=00:00:00:00:00:02,arp_tpa=1.2.3.0/24,arp_op=2,actions=drop",
      "ADD arp,arp_tpa=1.2.3.0/24,arp_op=2,arp_sha=00:00:00:00:00:01,arp_tha=00:00:00:00:00:02 actions=drop" },
    { V13, "icmp,icmp_type=8,icmp_code=0,nw_src=1.2.3.4,actions=clear_actions",
      "ADD icmp,nw_src=1.2.3.4,icmp_type=8,icmp_code=0 actions=clear_actions" },
    { V10, "icmp,icmp_type=8,icmp_code=0,nw_src=1.2.3.4,actions=output:1",
      "ADD icmp,nw_src=1.2.3.4,icmp_type=8,icmp_code=0 actions=output:1" },
    { V10, "icmp,actions=clear_actions", NULL },
    { V10, "sctp,tp_src=9,tp_dst=10,actions=set_field:5->sctp_dst",
      "ADD sctp,tp_src=9,tp_dst=10 actions=mod_tp_dst:5" },
    { V13, "sctp,tp_src=9,tp_dst=10,actions=set_field:5->sctp_dst",
      "ADD sctp,tp_src=9,tp_dst=10 actions=set_field:5->sctp_dst" },
    { V13, "ip,nw_frag=later,nw_ttl=5,actions=mod_nw_ttl:7",
      "ADD ip,nw_ttl=5,nw_frag=later actions=mod_nw_ttl:7" },
    { V13, "dl_type=0x1234,vlan_tci=0x1000/0x1000,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00,actions=push_vlan:0x88a8,output:1",
      "ADD vlan_tci=0x1000/0x1000,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00,dl_type=0x1234 actions=push_vlan:0x88a8,output:1" },
    { V13, "udp,tp_src=0x100/0xff00,actions=mod_tp_src:99,mod_nw_dst:9.9.9.9,mod_dl_src:00:00:00:00:00:07",
      "ADD udp,tp_src=0x100/0xff00 actions=set_field:99->udp_src,set_field:9.9.9.9->ip_dst,set_field:00:00:00:00:00:07->eth_src" },
    { V10, "priority=0,actions=drop", "ADD priority=0 actions=drop" },
    { V15, "priority=0,actions=drop", "ADD priority=0 actions=drop" },
    { V10, "tcp,in_port=1,nw_src=10.0.0.1,nw_dst=10.0.0.2,tp_src=1000,tp_dst=22,actions=enqueue:2:1",
      "ADD tcp,in_port=1,nw_src=10.0.0.1,nw_dst=10.0.0.2,tp_src=1000,tp_dst=22 actions=enqueue:2:1" },
    { V13, "tcp,in_port=1,nw_src=10.0.0.1,nw_dst=10.0.0.2,tp_src=1000,tp_dst=22,actions=enqueue:2:1",
      "ADD tcp,in_port=1,nw_src=10.0.0.1,nw_dst=10.0.0.2,tp_src=1000,tp_dst=22 actions=set_queue:1,output:2" },
    { V10, "ip,nw_tos=12,actions=mod_nw_tos:8,mod_nw_src:1.1.1.1,mod_dl_dst:00:00:00:00:00:09,mod_vlan_pcp:3,dec_ttl,set_queue:4",
      "ADD ip,nw_tos=12 actions=mod_nw_tos:8,mod_nw_src:1.1.1.1,mod_dl_dst:00:00:00:00:00:09,mod_vlan_pcp:3,dec_ttl,set_queue:4" },
    { V13, "dl_vlan=7,ip,actions=mod_vlan_vid:8,mod_nw_tos:8",
      "ADD ip,dl_vlan=7 actions=set_field:4104->vlan_vid,set_field:2->ip_dscp" },
    { V10, "ipv6,actions=drop", "ADD ipv6 actions=drop" },
    { V10, "ipv6,ipv6_src=::1,actions=drop", NULL },
    { V10, "table=3,ip,actions=drop", NULL },
    { V10, "ip,actions=group:1", NULL },
};

static char *
roundtrip_one(const struct roundtrip *rt, enum ofperr *errorp)
{
    struct ofp_flow_mod fm, fm2;
    ofp_flow_mod_init(&fm);
    char *perr = ofp_parse_flow_mod(rt->in, OFPFC_ADD, &fm);
    if (perr) {
        ck_abort_msg("parse \"%s\": %s", rt->in, perr);
    }
    struct ofpbuf *msg;
    *errorp = ofp_flow_mod_encode(&fm, rt->version, 7, &msg);
    ofp_flow_mod_uninit(&fm);
    if (*errorp) {
        return NULL;
    }
    ofp_flow_mod_init(&fm2);
    enum ofperr e = ofp_flow_mod_decode(msg->data, msg->size, &fm2);
    ck_assert_msg(!e, "decode \"%s\" (v%d): %s", rt->in, rt->version,
                  ofperr_get_name(e));
    struct ds s = DS_EMPTY_INITIALIZER;
    ofp_flow_mod_format(&fm2, &s);

    /* Re-encoding the decoded flow_mod gives the same bytes. */
    struct ofpbuf *msg2;
    e = ofp_flow_mod_encode(&fm2, rt->version, 7, &msg2);
    ck_assert_msg(!e, "re-encode \"%s\": %s", rt->in, ofperr_get_name(e));
    ck_assert_uint_eq(msg2->size, msg->size);
    ck_assert(!memcmp(msg2->data, msg->data, msg->size));
    ofpbuf_delete(msg2);
    ofp_flow_mod_uninit(&fm2);
    ofpbuf_delete(msg);
    return ds_steal_cstr(&s);
}

START_TEST(test_flow_mod_roundtrip_parse_encode_decode_print)
{
    const struct roundtrip *rt = &roundtrips[_i];
    enum ofperr error;
    char *s = roundtrip_one(rt, &error);
    if (!rt->out) {
        ck_assert_msg(error, "\"%s\" should not encode in version %d", rt->in,
                      rt->version);
        return;
    }
    ck_assert_msg(s, "encode \"%s\" v%d: %s", rt->in, rt->version,
                  ofperr_get_name(error));
    ck_assert_str_eq(s, rt->out);
    free(s);
}
END_TEST

static const struct { const char *in, *error_prefix; } bad_flows[] = {
    { "tp_dst=80,actions=drop", "tcp_dst: prerequisites" },
    { "arp,tcp_flags=+syn,actions=drop", "tcp_flags: prerequisites" },
    { "tcp,nw_tos=3,actions=drop", "nw_tos:" },
    { "dl_vlan=4096,actions=drop", "dl_vlan:" },
    { "ip,actions=output:2,drop", "\"drop\" must" },
    { "ip,actions=goto_table:3,output:1", "invalid instruction ordering" },
    { "ip,actions=set_field:1->tcp_dst", "actions are invalid" },
    { "ip,actions=frobnicate", "unknown action frobnicate" },
    { "ip,bogus=1,actions=drop", "unknown field" },
    { "cookie=0x1/0xff,ip,actions=drop", "flow additions cannot use a cookie mask" },
    { "ip", "must specify an action" },
    { "nw_src=1.2.3.4.5,ip,actions=drop", "nw_src: bad value" },
};

START_TEST(test_flow_parse_errors_are_clear)
{
    struct ofp_flow_mod fm;
    ofp_flow_mod_init(&fm);
    char *error = ofp_parse_flow_mod(bad_flows[_i].in, OFPFC_ADD, &fm);
    ck_assert_msg(error, "\"%s\" should fail", bad_flows[_i].in);
    ck_assert_msg(str_starts_with(error, bad_flows[_i].error_prefix),
                  "\"%s\": got \"%s\"", bad_flows[_i].in, error);
    free(error);
    ofp_flow_mod_uninit(&fm);
}
END_TEST

/* Builds an OF1.3 flow_mod (48 bytes of header and fixed part) with the
 * given OXM TLV bytes and instruction bytes. */
static struct ofpbuf *
of13_flow_mod(const uint8_t *oxm, size_t oxm_len, const uint8_t *inst,
              size_t inst_len)
{
    struct ofpbuf *b = ofpmsg_alloc(OFPTYPE_FLOW_MOD, V13, 1, 256);
    ofpbuf_put_zeros(b, 16);                /* cookie, cookie_mask */
    ofpbuf_put_u8(b, 0);                    /* table */
    ofpbuf_put_u8(b, OFPFC_ADD);
    ofpbuf_put_zeros(b, 4);                 /* timeouts */
    ofpbuf_put_be16(b, 100);
    ofpbuf_put_be32(b, OFP_NO_BUFFER);
    ofpbuf_put_be32(b, OFPP_ANY);
    ofpbuf_put_be32(b, OFPG_ANY);
    ofpbuf_put_zeros(b, 4);
    size_t start = b->size;
    ofpbuf_put_be16(b, 1);
    ofpbuf_put_be16(b, 4 + oxm_len);
    ofpbuf_put(b, oxm, oxm_len);
    ofpbuf_pad_from(b, start, 8);
    ofpbuf_put(b, inst, inst_len);
    ofpmsg_update_length(b);
    return b;
}

#define BYTES(...) (const uint8_t[]) { __VA_ARGS__ }, sizeof((const uint8_t[]) { __VA_ARGS__ })

static const uint8_t eth_ip[] = { 0x80, 0x00, 0x0a, 0x02, 0x08, 0x00 };

struct bad_msg {
    const char *what;
    const uint8_t *oxm;
    size_t oxm_len;
    const uint8_t *inst;
    size_t inst_len;
    const char *error;
};

static const uint8_t apply_output_any[] = {
    0x00, 0x04, 0x00, 0x18, 0, 0, 0, 0,
    0x00, 0x00, 0x00, 0x10, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0 };

static const struct bad_msg bad_msgs[] = {
    { "tcp_dst without ip_proto", BYTES(0x80, 0x00, 0x0a, 0x02, 0x08, 0x00,
                                        0x80, 0x00, 0x1c, 0x02, 0x00, 0x50),
      NULL, 0, "OFPBMC_BAD_PREREQ" },
    { "ipv4_dst without eth_type", BYTES(0x80, 0x00, 0x18, 0x04, 10, 0, 0, 1),
      NULL, 0, "OFPBMC_BAD_PREREQ" },
    { "duplicate eth_type", BYTES(0x80, 0x00, 0x0a, 0x02, 0x08, 0x00,
                                  0x80, 0x00, 0x0a, 0x02, 0x08, 0x00),
      NULL, 0, "OFPBMC_DUP_FIELD" },
    { "masked eth_type", BYTES(0x80, 0x00, 0x0b, 0x04, 0x08, 0x00, 0xff, 0xff),
      NULL, 0, "OFPBMC_BAD_MASK" },
    { "vlan_pcp 8", BYTES(0x80, 0x00, 0x0c, 0x02, 0x10, 0x05,
                          0x80, 0x00, 0x0e, 0x01, 0x08),
      NULL, 0, "OFPBMC_BAD_VALUE" },
    { "value outside mask", BYTES(0x80, 0x00, 0x0a, 0x02, 0x08, 0x00,
                                  0x80, 0x00, 0x19, 0x08, 10, 0, 0, 1, 255, 0, 0, 0),
      NULL, 0, "OFPBMC_BAD_WILDCARDS" },
    { "unknown field", BYTES(0x80, 0x00, 0x7e, 0x02, 0, 0), NULL, 0,
      "OFPBMC_BAD_FIELD" },
    { "field length wrong", BYTES(0x80, 0x00, 0x0a, 0x03, 0x08, 0x00, 0x00),
      NULL, 0, "OFPBMC_BAD_LEN" },
    { "TLV past end", BYTES(0x80, 0x00, 0x0a, 0x08, 0x08, 0x00), NULL, 0,
      "OFPBMC_BAD_LEN" },
    { "output to ANY", eth_ip, sizeof eth_ip, apply_output_any,
      sizeof apply_output_any, "OFPBAC_BAD_OUT_PORT" },
    { "unknown action", eth_ip, sizeof eth_ip,
      BYTES(0x00, 0x04, 0x00, 0x10, 0, 0, 0, 0, 0x00, 0x63, 0x00, 0x08, 0, 0, 0, 0),
      "OFPBAC_BAD_TYPE" },
    { "action length 12", eth_ip, sizeof eth_ip,
      BYTES(0x00, 0x04, 0x00, 0x18, 0, 0, 0, 0, 0x00, 0x16, 0x00, 0x0c, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0),
      "OFPBAC_BAD_LEN" },
    { "unknown instruction", eth_ip, sizeof eth_ip,
      BYTES(0x00, 0x09, 0x00, 0x08, 0, 0, 0, 0), "OFPBIC_UNKNOWN_INST" },
    { "duplicate goto_table", eth_ip, sizeof eth_ip,
      BYTES(0x00, 0x01, 0x00, 0x08, 3, 0, 0, 0, 0x00, 0x01, 0x00, 0x08, 4, 0, 0, 0),
      "OFPBIC_DUP_INST" },
    { "instruction length 0", eth_ip, sizeof eth_ip,
      BYTES(0x00, 0x01, 0x00, 0x00, 3, 0, 0, 0), "OFPBIC_BAD_LEN" },
    { "push_vlan 0x0800", eth_ip, sizeof eth_ip,
      BYTES(0x00, 0x04, 0x00, 0x10, 0, 0, 0, 0, 0x00, 0x11, 0x00, 0x08, 0x08, 0x00, 0, 0),
      "OFPBAC_BAD_ARGUMENT" },
    { "set_field of unknown field", eth_ip, sizeof eth_ip,
      BYTES(0x00, 0x04, 0x00, 0x18, 0, 0, 0, 0, 0x00, 0x19, 0x00, 0x10,
            0x80, 0x00, 0x7e, 0x02, 0, 0, 0, 0, 0, 0, 0, 0),
      "OFPBAC_BAD_SET_TYPE" },
    { "set_field of eth_type", eth_ip, sizeof eth_ip,
      BYTES(0x00, 0x04, 0x00, 0x18, 0, 0, 0, 0, 0x00, 0x19, 0x00, 0x10,
            0x80, 0x00, 0x0a, 0x02, 0x08, 0x00, 0, 0, 0, 0, 0, 0),
      "OFPBAC_BAD_SET_TYPE" },
};

START_TEST(test_malformed_flow_mod_gets_exact_error)
{
    const struct bad_msg *bm = &bad_msgs[_i];
    struct ofpbuf *b = of13_flow_mod(bm->oxm, bm->oxm_len, bm->inst, bm->inst_len);
    struct ofp_flow_mod fm;
    ofp_flow_mod_init(&fm);
    enum ofperr e = ofp_flow_mod_decode(b->data, b->size, &fm);
    ck_assert_msg(e, "%s: decoded without error", bm->what);
    ck_assert_msg(!strcmp(ofperr_get_name(e), bm->error), "%s: got %s, want %s",
                  bm->what, ofperr_get_name(e), bm->error);
    ofp_flow_mod_uninit(&fm);
    ofpbuf_delete(b);
}
END_TEST

START_TEST(test_flow_mod_truncated_at_every_length_fails_cleanly)
{
    struct ofp_flow_mod fm;
    ofp_flow_mod_init(&fm);
    char *error = ofp_parse_flow_mod("tcp6,ipv6_src=2001:db8::/32,tp_dst=80,"
                                     "actions=output:1,write_actions(group:3),goto_table:2",
                                     OFPFC_ADD, &fm);
    ck_assert_ptr_null(error);
    for (uint8_t v = V13; v <= V15; v++) {
        struct ofpbuf *msg;
        ck_assert_int_eq(ofp_flow_mod_encode(&fm, v, 1, &msg), 0);
        for (size_t n = 0; n < msg->size; n++) {
            /* A copy of exactly 'n' bytes so ASan sees any overread; the
             * length field is fixed up so only the body is short. */
            uint8_t *copy = xmemdup(msg->data, n ? n : 1);
            if (n >= 4) {
                put_be16(copy + 2, n);
            }
            struct ofp_flow_mod fm2;
            ofp_flow_mod_init(&fm2);
            /* Cutting whole instructions off leaves a valid message;
             * anything shorter than the fixed part and match cannot be. */
            enum ofperr e = ofp_flow_mod_decode(copy, n, &fm2);
            if (n < 56) {
                ck_assert(e != 0);
            }
            ofp_flow_mod_uninit(&fm2);
            free(copy);
        }
        ofpbuf_delete(msg);
    }
    ofp_flow_mod_uninit(&fm);
}
END_TEST

START_TEST(test_flow_removed_and_flow_stats_roundtrip)
{
    for (uint8_t v = V10; v <= V15; v++) {
        if (v == 2 || v == 3) {
            continue;
        }
        struct ofp_flow_removed fr, fr2;
        memset(&fr, 0, sizeof fr);
        int prio;
        ck_assert_ptr_null(ofp_parse_match("udp,nw_dst=10.1.0.0/16,tp_dst=53",
                                           &fr.match, &prio));
        fr.priority = 9;
        fr.cookie = 0xabc;
        fr.reason = OFPRR_IDLE_TIMEOUT;
        fr.duration_sec = 5;
        fr.idle_timeout = 10;
        fr.packet_count = 77;
        fr.byte_count = 7700;
        fr.table_id = v == V10 ? 0 : 3;
        struct ofpbuf *b = ofp_flow_removed_encode(&fr, v);
        ck_assert_int_eq(ofp_flow_removed_decode(b->data, b->size, &fr2), 0);
        ck_assert(match_equal(&fr.match, &fr2.match));
        ck_assert_uint_eq(fr2.packet_count, 77);
        ck_assert_uint_eq(fr2.byte_count, 7700);
        ck_assert_uint_eq(fr2.cookie, 0xabc);
        ck_assert_uint_eq(fr2.table_id, fr.table_id);
        ofpbuf_delete(b);

        struct ofp_msg_header rq = { .version = v, .xid = 5 };
        struct ofpbuf *reply = ofpmsg_alloc_reply(OFPTYPE_FLOW_STATS_REPLY, &rq, 0);
        struct ofp_flow_stats fs;
        memset(&fs, 0, sizeof fs);
        fs.match = fr.match;
        fs.priority = 9;
        fs.packet_count = 3;
        fs.duration_sec = 2;
        fs.duration_nsec = 500000000;
        ck_assert_ptr_null(ofp_parse_actions("output:1", &fs.match, &fs.ofpacts));
        for (int i = 0; i < 3; i++) {
            ck_assert_int_eq(ofp_flow_stats_append(reply, v, &fs), 0);
        }
        char *s = ofp_msg_to_string(reply->data, reply->size);
        const char *line = strchr(s, '\n');
        ck_assert_ptr_nonnull(line);
        ck_assert_str_eq(line + 1, " cookie=0x0, duration=2.500s, table=0, "
                         "n_packets=3, n_bytes=0, priority=9,udp,"
                         "nw_dst=10.1.0.0/16,tp_dst=53 actions=output:1\n"
                         " cookie=0x0, duration=2.500s, table=0, n_packets=3, "
                         "n_bytes=0, priority=9,udp,nw_dst=10.1.0.0/16,tp_dst=53 "
                         "actions=output:1\n cookie=0x0, duration=2.500s, "
                         "table=0, n_packets=3, n_bytes=0, priority=9,udp,"
                         "nw_dst=10.1.0.0/16,tp_dst=53 actions=output:1");
        free(s);
        ofp_flow_stats_uninit(&fs);
        ofpbuf_delete(reply);
    }
}
END_TEST

START_TEST(test_flow_stats_request_roundtrip)
{
    for (uint8_t v = V10; v <= V15; v++) {
        if (v == 2 || v == 3) {
            continue;
        }
        struct ofp_flow_stats_request rq, rq2;
        memset(&rq, 0, sizeof rq);
        ck_assert_ptr_null(ofp_parse_match("ip,nw_src=1.2.3.4", &rq.match, NULL));
        rq.table_id = OFPTT_ALL;
        rq.out_port = OFPP_ANY;
        rq.out_group = OFPG_ANY;
        rq.aggregate = v == V13;
        struct ofpbuf *b = ofp_flow_stats_request_encode(&rq, v, 3);
        ck_assert_int_eq(ofp_flow_stats_request_decode(b->data, b->size, &rq2), 0);
        ck_assert(match_equal(&rq.match, &rq2.match));
        ck_assert_uint_eq(rq2.table_id, OFPTT_ALL);
        ck_assert_uint_eq(rq2.out_port, OFPP_ANY);
        ck_assert_int_eq(rq2.aggregate, rq.aggregate);
        ofpbuf_delete(b);

        struct ofp_msg_header h = { .version = v, .xid = 4 };
        struct ofp_aggregate_stats as = { 10, 2000, 3 }, as2;
        b = ofp_aggregate_stats_reply_encode(&h, &as);
        ck_assert_int_eq(ofp_aggregate_stats_reply_decode(b->data, b->size, &as2), 0);
        ck_assert_uint_eq(as2.packet_count, 10);
        ck_assert_uint_eq(as2.byte_count, 2000);
        ck_assert_uint_eq(as2.flow_count, 3);
        ofpbuf_delete(b);
    }
}
END_TEST

START_TEST(test_ofpacts_check_errors)
{
    struct match m;
    struct ofpacts o = OFPACTS_INITIALIZER;
    ck_assert_ptr_null(ofp_parse_match("ip", &m, NULL));

    ck_assert_ptr_null(ofp_parse_actions("goto_table:2", &m, &o));
    ck_assert_int_eq(ofpacts_check(&o, &m, 2, 10), OFPERR_OFPBIC_BAD_TABLE_ID);
    ck_assert_int_eq(ofpacts_check(&o, &m, 1, 10), 0);
    ck_assert_int_eq(ofpacts_check(&o, &m, 0, 2), OFPERR_OFPBIC_BAD_TABLE_ID);

    /* set_field tcp_dst needs tcp in the match... */
    struct ofpact *a;
    ofpacts_clear(&o);
    a = ofpact_put(&o, OFPACT_SET_FIELD);
    a->u.set_field.field = OFPF_TCP_DST;
    ck_assert_int_eq(ofpacts_check(&o, &m, 0, 10), OFPERR_OFPBAC_MATCH_INCONSISTENT);
    /* ...and mpls_label is fine after push_mpls turns the packet MPLS. */
    ofpacts_clear(&o);
    ofpact_put(&o, OFPACT_PUSH_MPLS)->u.ethertype = ETH_TYPE_MPLS;
    a = ofpact_put(&o, OFPACT_SET_FIELD);
    a->u.set_field.field = OFPF_MPLS_LABEL;
    ck_assert_int_eq(ofpacts_check(&o, &m, 0, 10), 0);
    ofpact_put(&o, OFPACT_DEC_TTL);
    ck_assert_int_eq(ofpacts_check(&o, &m, 0, 10), OFPERR_OFPBAC_MATCH_INCONSISTENT);

    /* An action after an instruction cannot be expressed. */
    ofpacts_clear(&o);
    ofpact_put(&o, OFPACT_GOTO_TABLE)->u.u8 = 3;
    ofpact_put(&o, OFPACT_OUTPUT)->u.output.port = 1;
    ck_assert_int_eq(ofpacts_check(&o, &m, 0, 10), OFPERR_OFPBAC_UNSUPPORTED_ORDER);
    ofpacts_uninit(&o);
}
END_TEST

/* The hand-written number printing against printf, at the edges. */
START_TEST(test_ds_put_uint_and_hex_match_printf)
{
    static const uint64_t values[] = {
        0, 1, 9, 10, 99, 100, 65535, 4294967295u, 4294967296u,
        UINT64_C(1234567890123456789), UINT64_MAX,
    };
    for (size_t i = 0; i < ARRAY_SIZE(values); i++) {
        struct ds s = DS_EMPTY_INITIALIZER;
        char want[64];
        ds_put_uint(&s, values[i]);
        ds_put_char(&s, ' ');
        ds_put_hex(&s, values[i]);
        snprintf(want, sizeof want, "%"PRIu64" %"PRIx64, values[i], values[i]);
        ck_assert_str_eq(ds_cstr(&s), want);
        ds_destroy(&s);
    }
}
END_TEST

/* A dump line with every number at its widest, as ovs-ofctl prints it. */
START_TEST(test_flow_stats_line_with_big_numbers)
{
    struct ofp_flow_stats fs;
    memset(&fs, 0, sizeof fs);
    int prio;
    ck_assert_ptr_null(ofp_parse_match("tcp,nw_src=192.168.255.1,"
                                       "nw_dst=10.0.0.0/255.0.255.0,tp_dst=65535",
                                       &fs.match, &prio));
    fs.priority = 65535;
    fs.table_id = 254;
    fs.cookie = UINT64_MAX;
    fs.packet_count = UINT64_MAX;
    fs.byte_count = 1234567890123456789u;
    fs.duration_sec = 4294967295u;
    fs.duration_nsec = 1;
    fs.idle_timeout = 65535;
    fs.hard_timeout = 1;
    ck_assert_ptr_null(ofp_parse_actions("output:4294967039", &fs.match,
                                         &fs.ofpacts));
    struct ds s = DS_EMPTY_INITIALIZER;
    ofp_flow_stats_format(&fs, &s);
    ck_assert_str_eq(ds_cstr(&s),
                     " cookie=0xffffffffffffffff, duration=4294967295.000000001s,"
                     " table=254, n_packets=18446744073709551615,"
                     " n_bytes=1234567890123456789, idle_timeout=65535,"
                     " hard_timeout=1, priority=65535,tcp,nw_src=192.168.255.1,"
                     "nw_dst=10.0.0.0/255.0.255.0,tp_dst=65535"
                     " actions=output:4294967039");
    ds_destroy(&s);
    ofp_flow_stats_uninit(&fs);
}
END_TEST

/* The OXM encoder reuses the field set of the last mask: rules of one
 * mask but other prerequisites (tcp/udp ports share the flow's bits), and
 * masks that alternate, must still encode exactly their own fields. */
START_TEST(test_oxm_encode_alternating_shapes)
{
    static const char *specs[] = {
        "tcp,tp_dst=80", "udp,tp_dst=53", "tcp,tp_dst=443",
        "ip,nw_src=10.0.0.1", "tcp,tp_dst=22", "arp,arp_tpa=10.0.0.9",
        "udp,tp_dst=67", "ipv6,ipv6_src=2001:db8::1",
    };
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < ARRAY_SIZE(specs); i++) {
            struct match m, m2;
            int prio;
            ck_assert_ptr_null(ofp_parse_match(specs[i], &m, &prio));
            struct ofpbuf b;
            ofpbuf_init(&b, 0);
            oxm_put_match(&b, &m, V13);
            ck_assert_int_eq(oxm_pull_match(&b, &m2), 0);
            ck_assert_uint_eq(b.size, 0);
            ck_assert_msg(match_equal(&m, &m2), "%s", specs[i]);
            ofpbuf_uninit(&b);
        }
    }
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("ofp-flow");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_flow_mod_roundtrip_parse_encode_decode_print, 0,
                        ARRAY_SIZE(roundtrips));
    tcase_add_loop_test(tc, test_flow_parse_errors_are_clear, 0,
                        ARRAY_SIZE(bad_flows));
    tcase_add_loop_test(tc, test_malformed_flow_mod_gets_exact_error, 0,
                        ARRAY_SIZE(bad_msgs));
    tcase_add_test(tc, test_flow_mod_truncated_at_every_length_fails_cleanly);
    tcase_add_test(tc, test_flow_removed_and_flow_stats_roundtrip);
    tcase_add_test(tc, test_flow_stats_request_roundtrip);
    tcase_add_test(tc, test_ofpacts_check_errors);
    tcase_add_test(tc, test_ds_put_uint_and_hex_match_printf);
    tcase_add_test(tc, test_flow_stats_line_with_big_numbers);
    tcase_add_test(tc, test_oxm_encode_alternating_shapes);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
