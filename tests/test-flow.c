/* Unit tests for lib/flow (flow_extract, hashing, wildcards, formatting).
 *
 * The reference frames were built with scapy by tests/gen-flow-vectors.py;
 * each comes with the flow it must give, written out by hand, and the L3/L4
 * offsets.  Every frame is also parsed at every truncated length and with
 * random corruption, from buffers of exactly that size, so that ASan (in
 * the --sanitizers run) catches any read past the end. */
#include <config.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "dp-packet.h"
#include "dynamic-string.h"
#include "flow.h"
#include "flow-compose.h"
#include "csum.h"
#include "packets.h"
#include "test-util.h"

struct vector {
    const char *name;
    const char *hex;
    const char *expected;               /* flow_to_string(), in_port 1. */
    int l3_ofs, l4_ofs;                 /* -1: none. */
};

static const struct vector vectors[] = {
    { "tcp4",
    "66778899aabb00112233445508004500002800010000400666cd0a0000010a00"
    "0002303900500000000000000000500220004b570000",
      "tcp,in_port=1,vlan_tci=0x0000,dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb,nw_src=10.0.0.1,nw_dst=10.0.0.2,nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=no,tp_src=12345,tp_dst=80,tcp_flags=syn",
      14, 34 },
    { "udp4_vlan",
    "66778899aabb0011223344558100a00a080045b9001d000100000311a3140a00"
    "00010a00000214e90035000965bb71",
      "udp,in_port=1,dl_vlan=10,dl_vlan_pcp=5,vlan_tci1=0x0000,dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb,nw_src=10.0.0.1,nw_dst=10.0.0.2,nw_tos=184,nw_ecn=1,nw_ttl=3,nw_frag=no,tp_src=5353,tp_dst=53",
      18, 38 },
    { "qinq_udp6",
    "66778899aabb00112233445588a82064810000c886dd62012345000811092001"
    "0db800000000000000000000000120010db800000000000000000000000203e8"
    "07d0000898b1",
      "udp6,in_port=1,dl_vlan=100,dl_vlan_pcp=1,vlan_tpid=0x88a8,dl_vlan1=200,dl_vlan_pcp1=0,dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb,ipv6_src=2001:db8::1,ipv6_dst=2001:db8::2,ipv6_label=0x12345,nw_tos=32,nw_ecn=0,nw_ttl=9,nw_frag=no,tp_src=1000,tp_dst=2000",
      22, 62 },
    { "three_tags",
    "66778899aabb00112233445588a8000181000002810000030800450000140001"
    "0000400066e70a0000010a000002",
      "in_port=1,dl_vlan=1,dl_vlan_pcp=0,vlan_tpid=0x88a8,dl_vlan1=2,dl_vlan_pcp1=0,dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb,dl_type=0x8100",
      -1, -1 },
    { "icmp4_echo",
    "66778899aabb00112233445508004500002000010000400166da0a0000010a00"
    "0002080019270007000170696e67",
      "icmp,in_port=1,vlan_tci=0x0000,dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb,nw_src=10.0.0.1,nw_dst=10.0.0.2,nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=no,icmp_type=8,icmp_code=0",
      14, 34 },
    { "ip4_options_tcp",
    "66778899aabb00112233445508004700003000010000400659be0a0000010a00"
    "00020707040000000000000100020000000000000000501220007bcd0000",
      "tcp,in_port=1,vlan_tci=0x0000,dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb,nw_src=10.0.0.1,nw_dst=10.0.0.2,nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=no,tp_src=1,tp_dst=2,tcp_flags=syn|ack",
      14, 42 },
    { "ip4_frag_first",
    "66778899aabb00112233445508004500002c006320004011465c0a0000010a00"
    "000200070009001827e878787878787878787878787878787878",
      "udp,in_port=1,vlan_tci=0x0000,dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb,nw_src=10.0.0.1,nw_dst=10.0.0.2,nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=first,tp_src=7,tp_dst=9",
      14, 34 },
    { "ip4_frag_later",
    "66778899aabb001122334455080045000024006300b9401165ab0a0000010a00"
    "000279797979797979797979797979797979",
      "udp,in_port=1,vlan_tci=0x0000,dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb,nw_src=10.0.0.1,nw_dst=10.0.0.2,nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=later",
      14, -1 },
    { "ip4_bad_ihl",
    "66778899aabb00112233445508004400001c00010000401166ce0a0000010a00"
    "0002000100020008ebd8",
      "ip,in_port=1,vlan_tci=0x0000,dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb,nw_src=0.0.0.0,nw_dst=0.0.0.0,nw_proto=0,nw_tos=0,nw_ecn=0,nw_ttl=0,nw_frag=no",
      14, -1 },
    { "ip4_bad_totlen",
    "66778899aabb0011223344550800450003e800010000401166ce0a0000010a00"
    "0002000100020008ebd8",
      "ip,in_port=1,vlan_tci=0x0000,dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb,nw_src=0.0.0.0,nw_dst=0.0.0.0,nw_proto=0,nw_tos=0,nw_ecn=0,nw_ttl=0,nw_frag=no",
      14, -1 },
    { "ip4_totlen_lt_ihl",
    "66778899aabb00112233445508004500001000010000401166ce0a0000010a00"
    "0002000100020008ebd8",
      "ip,in_port=1,vlan_tci=0x0000,dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb,nw_src=0.0.0.0,nw_dst=0.0.0.0,nw_proto=0,nw_tos=0,nw_ecn=0,nw_ttl=0,nw_frag=no",
      14, -1 },
    { "arp_request",
    "ffffffffffff001122334455080600010800060400010011223344550a000001"
    "0000000000000a000002",
      "arp,in_port=1,vlan_tci=0x0000,dl_src=00:11:22:33:44:55,dl_dst=ff:ff:ff:ff:ff:ff,arp_spa=10.0.0.1,arp_tpa=10.0.0.2,arp_op=1,arp_sha=00:11:22:33:44:55,arp_tha=00:00:00:00:00:00",
      14, -1 },
    { "rarp",
    "66778899aabb0011223344558035000108000604000300112233445500000000"
    "00112233445500000000",
      "rarp,in_port=1,vlan_tci=0x0000,dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb,arp_spa=0.0.0.0,arp_tpa=0.0.0.0,arp_op=3,arp_sha=00:11:22:33:44:55,arp_tha=00:11:22:33:44:55",
      14, -1 },
    { "arp_bad_hln",
    "66778899aabb001122334455080600010800080400020011223344550a000001"
    "0000000000000a000002",
      "arp,in_port=1,vlan_tci=0x0000,dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb,arp_spa=0.0.0.0,arp_tpa=0.0.0.0,arp_op=0,arp_sha=00:00:00:00:00:00,arp_tha=00:00:00:00:00:00",
      14, -1 },
    { "tcp6",
    "66778899aabb00112233445586dd600000000014064020010db8000000000000"
    "00000000000120010db800000000000000000000000201bbc350000000000000"
    "0000501120006f530000",
      "tcp6,in_port=1,vlan_tci=0x0000,dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb,ipv6_src=2001:db8::1,ipv6_dst=2001:db8::2,ipv6_label=0x00000,nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=no,tp_src=443,tp_dst=50000,tcp_flags=fin|ack",
      14, 54 },
    { "ext_chain_udp6",
    "66778899aabb00112233445586dd600000000030004020010db8000000000000"
    "00000000000120010db80000000000000000000000022b000104000000003c02"
    "00010000000020010db80000000000000000000000991100010400000000000b"
    "00160008a3b1",
      "udp6,in_port=1,vlan_tci=0x0000,dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb,ipv6_src=2001:db8::1,ipv6_dst=2001:db8::2,ipv6_label=0x00000,nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=no,tp_src=11,tp_dst=22",
      14, 94 },
    { "frag6_first",
    "66778899aabb00112233445586dd6000000000182c4020010db8000000000000"
    "00000000000120010db800000000000000000000000211000001000000050021"
    "002c0010ba227a7a7a7a7a7a7a7a",
      "udp6,in_port=1,vlan_tci=0x0000,dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb,ipv6_src=2001:db8::1,ipv6_dst=2001:db8::2,ipv6_label=0x00000,nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=first,tp_src=33,tp_dst=44",
      14, 62 },
    { "frag6_later",
    "66778899aabb00112233445586dd6000000000102c4020010db8000000000000"
    "00000000000120010db800000000000000000000000211000320000000057a7a"
    "7a7a7a7a7a7a",
      "ipv6,in_port=1,vlan_tci=0x0000,dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb,ipv6_src=2001:db8::1,ipv6_dst=2001:db8::2,ipv6_label=0x00000,nw_proto=44,nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=later",
      14, -1 },
    { "ext_chain_16",
    "66778899aabb00112233445586dd6000000000883c4020010db8000000000000"
    "00000000000120010db80000000000000000000000023c000104000000003c00"
    "0104000000003c000104000000003c000104000000003c000104000000003c00"
    "0104000000003c000104000000003c000104000000003c000104000000003c00"
    "0104000000003c000104000000003c000104000000003c000104000000003c00"
    "0104000000003c000104000000001100010400000000000100020008a466",
      "udp6,in_port=1,vlan_tci=0x0000,dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb,ipv6_src=2001:db8::1,ipv6_dst=2001:db8::2,ipv6_label=0x00000,nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=no,tp_src=1,tp_dst=2",
      14, 182 },
    { "ext_chain_too_long",
    "66778899aabb00112233445586dd6000000000903c4020010db8000000000000"
    "00000000000120010db80000000000000000000000023c000104000000003c00"
    "0104000000003c000104000000003c000104000000003c000104000000003c00"
    "0104000000003c000104000000003c000104000000003c000104000000003c00"
    "0104000000003c000104000000003c000104000000003c000104000000003c00"
    "0104000000003c000104000000003c0001040000000011000104000000000001"
    "00020008a466",
      "ipv6,in_port=1,vlan_tci=0x0000,dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb,ipv6_src=2001:db8::1,ipv6_dst=2001:db8::2,ipv6_label=0x00000,nw_proto=0,nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=no",
      14, -1 },
    { "ext_truncated",
    "66778899aabb00112233445586dd600000000010004020010db8000000000000"
    "00000000000120010db800000000000000000000000211050104000000000001"
    "00020008a466",
      "ipv6,in_port=1,vlan_tci=0x0000,dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb,ipv6_src=2001:db8::1,ipv6_dst=2001:db8::2,ipv6_label=0x00000,nw_proto=0,nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=no",
      14, -1 },
    { "ip6_bad_plen",
    "66778899aabb00112233445586dd6000000001f4114020010db8000000000000"
    "00000000000120010db8000000000000000000000002000100020008a466",
      "ipv6,in_port=1,vlan_tci=0x0000,dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb,ipv6_src=::,ipv6_dst=::,ipv6_label=0x00000,nw_proto=0,nw_tos=0,nw_ecn=0,nw_ttl=0,nw_frag=no",
      14, -1 },
    { "ah6_tcp",
    "66778899aabb00112233445586dd60000000002c334020010db8000000000000"
    "00000000000120010db800000000000000000000000206040000000000010000"
    "0001000000000000000000000000000500060000000000000000500420000000"
    "0000",
      "tcp6,in_port=1,vlan_tci=0x0000,dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb,ipv6_src=2001:db8::1,ipv6_dst=2001:db8::2,ipv6_label=0x00000,nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=no,tp_src=5,tp_dst=6,tcp_flags=rst",
      14, 78 },
    { "ip6_no_next",
    "66778899aabb00112233445586dd6000000000083b4020010db8000000000000"
    "00000000000120010db80000000000000000000000020000000000000000",
      "ipv6,in_port=1,vlan_tci=0x0000,dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb,ipv6_src=2001:db8::1,ipv6_dst=2001:db8::2,ipv6_label=0x00000,nw_proto=59,nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=no",
      14, -1 },
    { "nd_ns_sll",
    "3333ff00000200112233445586dd6000000000203aff20010db8000000000000"
    "000000000001ff0200000000000000000001ff0000028700b78e000000002001"
    "0db80000000000000000000000020101001122334455",
      "icmp6,in_port=1,vlan_tci=0x0000,dl_src=00:11:22:33:44:55,dl_dst=33:33:ff:00:00:02,ipv6_src=2001:db8::1,ipv6_dst=ff02::1:ff00:2,ipv6_label=0x00000,nw_tos=0,nw_ecn=0,nw_ttl=255,nw_frag=no,icmp_type=135,icmp_code=0,nd_target=2001:db8::2,nd_sll=00:11:22:33:44:55,nd_tll=00:00:00:00:00:00",
      14, 54 },
    { "nd_na_tll",
    "66778899aabb00112233445586dd6000000000203aff20010db8000000000000"
    "00000000000220010db80000000000000000000000018800f2a6600000002001"
    "0db8000000000000000000000002020166778899aabb",
      "icmp6,in_port=1,vlan_tci=0x0000,dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb,ipv6_src=2001:db8::2,ipv6_dst=2001:db8::1,ipv6_label=0x00000,nw_tos=0,nw_ecn=0,nw_ttl=255,nw_frag=no,icmp_type=136,icmp_code=0,nd_target=2001:db8::2,nd_sll=00:00:00:00:00:00,nd_tll=66:77:88:99:aa:bb",
      14, 54 },
    { "nd_ns_bad_opt",
    "66778899aabb00112233445586dd6000000000203aff20010db8000000000000"
    "00000000000120010db8000000000000000000000002870087da000000002001"
    "0db80000000000000000000000020100001122334455",
      "icmp6,in_port=1,vlan_tci=0x0000,dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb,ipv6_src=2001:db8::1,ipv6_dst=2001:db8::2,ipv6_label=0x00000,nw_tos=0,nw_ecn=0,nw_ttl=255,nw_frag=no,icmp_type=135,icmp_code=0,nd_target=2001:db8::2,nd_sll=00:00:00:00:00:00,nd_tll=00:00:00:00:00:00",
      14, 54 },
    { "icmp6_echo",
    "66778899aabb00112233445586dd6000000000083a4020010db8000000000000"
    "00000000000120010db80000000000000000000000028000244500010002",
      "icmp6,in_port=1,vlan_tci=0x0000,dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb,ipv6_src=2001:db8::1,ipv6_dst=2001:db8::2,ipv6_label=0x00000,nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=no,icmp_type=128,icmp_code=0",
      14, 54 },
    { "sctp4",
    "66778899aabb00112233445508004500002000010000408466570a0000010a00"
    "00020f1c0f1d000000005bb5ce4e",
      "sctp,in_port=1,vlan_tci=0x0000,dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb,nw_src=10.0.0.1,nw_dst=10.0.0.2,nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=no,tp_src=3868,tp_dst=3869",
      14, 34 },
    { "mpls2",
    "66778899aabb001122334455884700064640000c813f45000014000100004000"
    "66e70a0000010a000002",
      "mpls,in_port=1,vlan_tci=0x0000,dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb,mpls_label=100,mpls_tc=3,mpls_ttl=64,mpls_bos=0,mpls_lse1=819519",
      -1, -1 },
    { "llc_stp",
    "0180c20000000011223344550026424203000000000000000000000000000000"
    "0000000000000000000000000100140002000f00",
      "in_port=1,vlan_tci=0x0000,dl_src=00:11:22:33:44:55,dl_dst=01:80:c2:00:00:00,dl_type=0x05ff",
      -1, -1 },
    { "snap_ip",
    "66778899aabb0011223344550024aaaa0300000008004500001c000100004011"
    "66ce0a0000010a000002000100020008ebd8",
      "udp,in_port=1,vlan_tci=0x0000,dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb,nw_src=10.0.0.1,nw_dst=10.0.0.2,nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=no,tp_src=1,tp_dst=2",
      22, 42 },
    { "udp4_padded",
    "66778899aabb00112233445508004500001c00010000401166ce0a0000010a00"
    "0002004300440008eb54eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee",
      "udp,in_port=1,vlan_tci=0x0000,dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb,nw_src=10.0.0.1,nw_dst=10.0.0.2,nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=no,tp_src=67,tp_dst=68",
      14, 34 },
    { "tcp4_bad_doff",
    "66778899aabb00112233445508004500002800010000400666cd0a0000010a00"
    "0002000100020000000000000000400220007bdd0000",
      "tcp,in_port=1,vlan_tci=0x0000,dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb,nw_src=10.0.0.1,nw_dst=10.0.0.2,nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=no,tp_src=0,tp_dst=0,tcp_flags=0",
      14, 34 },
    { "lldp",
    "0180c200000e00112233445588cc020704000000000000",
      "in_port=1,vlan_tci=0x0000,dl_src=00:11:22:33:44:55,dl_dst=01:80:c2:00:00:0e,dl_type=0x88cc",
      14, -1 },
    /* Frames the Linux kernel sent between two namespaces over veth,
     * captured with tcpdump (see tests/test-csum.c). */
    { "captured_mld2_hbh",
    "333300000016b6741691288086dd600000000038000100000000000000000000"
    "000000000000ff0200000000000000000000000000163a000502000001008f00"
    "445e0000000204000000ff0200000000000000000001ff00000104000000ff02"
    "00000000000000000001ff912880",
      "icmp6,in_port=1,vlan_tci=0x0000,dl_src=b6:74:16:91:28:80,dl_dst=33:33:00:00:00:16,ipv6_src=::,ipv6_dst=ff02::16,ipv6_label=0x00000,nw_tos=0,nw_ecn=0,nw_ttl=1,nw_frag=no,icmp_type=143,icmp_code=0",
      14, 62 },
    { "captured_nd_ns",
    "3333ff000002b6741691288086dd6000000000203afffd000077000000000000"
    "000000000001ff0200000000000000000001ff0000028700892400000000fd00"
    "00770000000000000000000000020101b67416912880",
      "icmp6,in_port=1,vlan_tci=0x0000,dl_src=b6:74:16:91:28:80,dl_dst=33:33:ff:00:00:02,ipv6_src=fd00:77::1,ipv6_dst=ff02::1:ff00:2,ipv6_label=0x00000,nw_tos=0,nw_ecn=0,nw_ttl=255,nw_frag=no,icmp_type=135,icmp_code=0,nd_target=fd00:77::2,nd_sll=b6:74:16:91:28:80,nd_tll=00:00:00:00:00:00",
      14, 54 },
    { "captured_icmp6_echo",
    "0a424b20a1a7b6741691288086dd600c545e00403a40fd000077000000000000"
    "000000000001fd0000770000000000000000000000028000a569488c0001484f"
    "086b000000007f0e080000000000101112131415161718191a1b1c1d1e1f2021"
    "22232425262728292a2b2c2d2e2f3031323334353637",
      "icmp6,in_port=1,vlan_tci=0x0000,dl_src=b6:74:16:91:28:80,dl_dst=0a:42:4b:20:a1:a7,ipv6_src=fd00:77::1,ipv6_dst=fd00:77::2,ipv6_label=0xc545e,nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=no,icmp_type=128,icmp_code=0",
      14, 54 },
    { "captured_tcp4_syn",
    "0a424b20a1a7b6741691288008004500003cb761400040066ebe0a4d00010a4d"
    "0002c0ce1e61f1b693af00000000a002faf0c3dc0000020405b40402080a6fcc"
    "a030000000000103030a",
      "tcp,in_port=1,vlan_tci=0x0000,dl_src=b6:74:16:91:28:80,dl_dst=0a:42:4b:20:a1:a7,nw_src=10.77.0.1,nw_dst=10.77.0.2,nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=no,tp_src=49358,tp_dst=7777,tcp_flags=syn",
      14, 34 },
};

/* Returns the bytes of 'v' in a malloc()ed buffer of exactly their size. */
static uint8_t *
vector_bytes(const struct vector *v, size_t *n)
{
    struct dp_packet b;
    uint8_t *bytes;

    dp_packet_init(&b, 0);
    ck_assert_int_eq(dp_packet_put_hex(&b, v->hex), 0);
    *n = dp_packet_size(&b);
    bytes = malloc(*n ? *n : 1);
    memcpy(bytes, dp_packet_data(&b), *n);
    dp_packet_uninit(&b);
    return bytes;
}

/* Parses 'n' bytes at 'data' (a buffer of exactly 'n' bytes). */
static void
extract(const uint8_t *data, size_t n, struct flow *flow, struct dp_packet *b)
{
    dp_packet_use_const(b, data, n);
    b->md.in_port = 1;
    flow_extract(b, flow);
}

static void
check_pads_zero(const struct flow *f)
{
    static const uint8_t zeros[8];

    ck_assert(!memcmp(f->pad1, zeros, sizeof f->pad1));
    ck_assert(!memcmp(f->pad2, zeros, sizeof f->pad2));
    ck_assert(!memcmp(f->pad3, zeros, sizeof f->pad3));
}

START_TEST(test_flow_extract_reference_frames)
{
    const struct vector *v = &vectors[_i];
    struct dp_packet b;
    struct flow flow;
    uint8_t *data, *copy;
    size_t n;
    char *s;

    data = vector_bytes(v, &n);
    copy = xmemdup(data, n);
    extract(data, n, &flow, &b);
    s = flow_to_string(&flow);
    ck_assert_msg(!strcmp(s, v->expected), "%s:\n  got      %s\n  expected %s",
                  v->name, s, v->expected);
    ck_assert_msg(b.l3_ofs == (v->l3_ofs < 0 ? DP_PACKET_OFS_NONE : v->l3_ofs),
                  "%s: l3_ofs %d, expected %d", v->name, b.l3_ofs, v->l3_ofs);
    ck_assert_msg(b.l4_ofs == (v->l4_ofs < 0 ? DP_PACKET_OFS_NONE : v->l4_ofs),
                  "%s: l4_ofs %d, expected %d", v->name, b.l4_ofs, v->l4_ofs);
    check_pads_zero(&flow);
    ck_assert(!memcmp(data, copy, n));          /* Parsing never writes. */
    free(s);
    free(copy);
    free(data);
}
END_TEST

/* True if every byte of 'part' is zero or equal to the same byte of
 * 'full', ignoring 'dl_type' (a cut VLAN tag leaves the TPID there). */
static bool
flow_is_subset(const struct flow *part, const struct flow *full)
{
    const uint8_t *p = (const uint8_t *) part, *f = (const uint8_t *) full;
    size_t skip = offsetof(struct flow, dl_type);

    for (size_t i = 0; i < sizeof *part; i++) {
        if (i == skip || i == skip + 1) {
            continue;
        }
        if (p[i] && p[i] != f[i]) {
            return false;
        }
    }
    return true;
}

START_TEST(test_flow_extract_every_truncation_stays_in_bounds)
{
    const struct vector *v = &vectors[_i];
    struct flow full, part;
    struct dp_packet b;
    uint8_t *data;
    size_t n;

    data = vector_bytes(v, &n);
    extract(data, n, &full, &b);
    for (size_t len = 0; len < n; len++) {
        uint8_t *prefix = malloc(len ? len : 1);

        memcpy(prefix, data, len);
        extract(prefix, len, &part, &b);
        check_pads_zero(&part);
        ck_assert_msg(flow_is_subset(&part, &full),
                      "%s cut at %zu has fields the full frame lacks",
                      v->name, len);
        ck_assert(b.l3_ofs == DP_PACKET_OFS_NONE || b.l3_ofs <= len);
        ck_assert(b.l4_ofs == DP_PACKET_OFS_NONE || b.l4_ofs <= len);
        if (len < ETH_HEADER_LEN) {
            ck_assert(!part.dl_type);
        }
        free(prefix);
    }
    free(data);
}
END_TEST

START_TEST(test_flow_compose_round_trips_every_reference_flow)
{
    const struct vector *v = &vectors[_i];
    struct dp_packet b, *composed;
    struct flow flow, again;
    uint8_t *data;
    size_t n;

    data = vector_bytes(v, &n);
    extract(data, n, &flow, &b);
    flow.pkt_mark = 42;                         /* Metadata goes through md. */

    composed = dp_packet_new(0);
    flow_compose(composed, &flow);
    flow_extract(composed, &again);
    if (!flow_equal(&flow, &again)) {
        char *s1 = flow_to_string(&flow), *s2 = flow_to_string(&again);
        ck_abort_msg("%s:\n  extracted %s\n  composed  %s", v->name, s1, s2);
    }

    /* The composed frame's checksums are right. */
    const uint8_t *l4 = dp_packet_l4(composed);
    size_t l4_size = dp_packet_l4_size(composed);
    bool pseudo = again.nw_proto == IPPROTO_TCP || again.nw_proto == IPPROTO_UDP;
    if (again.dl_type == htons(ETH_TYPE_IP)) {
        const struct ip_header *ip = dp_packet_l3(composed);
        ck_assert_uint_eq(csum(ip, IP_HEADER_LEN), 0);
        if (l4 && pseudo) {
            ck_assert_uint_eq(packet_csum_l4_ipv4(ip, l4, l4_size), 0);
        } else if (l4 && again.nw_proto == IPPROTO_ICMP) {
            ck_assert_uint_eq(csum(l4, l4_size), 0);
        }
    } else if (again.dl_type == htons(ETH_TYPE_IPV6) && l4
               && (pseudo || again.nw_proto == IPPROTO_ICMPV6)) {
        ck_assert_uint_eq(packet_csum_l4_ipv6(dp_packet_l3(composed),
                                              again.nw_proto, l4, l4_size), 0);
    }
    free(data);
    dp_packet_delete(composed);
}
END_TEST

static uint32_t
prng(uint32_t *state)
{
    /* xorshift32: deterministic, so a failure reproduces. */
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

START_TEST(test_flow_extract_random_corruption_stays_in_bounds)
{
    const struct vector *v = &vectors[_i];
    uint32_t state = 0x9e3779b9 + _i;
    struct dp_packet b;
    struct flow flow;
    uint8_t *data;
    size_t n;

    data = vector_bytes(v, &n);
    for (int iter = 0; iter < 3000; iter++) {
        size_t len = n - prng(&state) % (n / 4 + 1);
        uint8_t *buf = malloc(len ? len : 1);
        int flips = 1 + prng(&state) % 4;
        char *s;

        memcpy(buf, data, len);
        for (int k = 0; k < flips && len; k++) {
            buf[prng(&state) % len] = prng(&state);
        }
        extract(buf, len, &flow, &b);
        check_pads_zero(&flow);
        ck_assert(b.l4_ofs == DP_PACKET_OFS_NONE || b.l4_ofs <= len);
        s = flow_to_string(&flow);
        ck_assert(s[0]);
        free(s);
        free(buf);
    }
    free(data);
}
END_TEST

static void
flow_from_vector(const char *name, struct flow *flow)
{
    for (size_t i = 0; i < ARRAY_SIZE(vectors); i++) {
        if (!strcmp(vectors[i].name, name)) {
            struct dp_packet b;
            uint8_t *data;
            size_t n;

            data = vector_bytes(&vectors[i], &n);
            extract(data, n, flow, &b);
            free(data);
            return;
        }
    }
    ck_abort_msg("no vector %s", name);
}

START_TEST(test_flow_hash_single_bit_changes_give_distinct_hashes)
{
    enum { N = sizeof(struct flow) * 8 };
    uint32_t *hashes = calloc(N + 1, sizeof *hashes);
    struct flow base, f;
    size_t n = 0, collisions = 0;

    flow_from_vector("tcp4", &base);
    hashes[n++] = flow_hash(&base, 0);
    ck_assert_uint_eq(flow_hash(&base, 0), hashes[0]);
    ck_assert_uint_ne(flow_hash(&base, 1), hashes[0]);
    for (size_t bit = 0; bit < N; bit++) {
        f = base;
        ((uint8_t *) &f)[bit / 8] ^= 1u << (bit % 8);
        ck_assert(!flow_equal(&f, &base));
        hashes[n++] = flow_hash(&f, 0);
    }
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++) {
            collisions += hashes[i] == hashes[j];
        }
    }
    /* 1601 random 32-bit values collide with probability ~3e-4. */
    ck_assert_uint_eq(collisions, 0);
    free(hashes);
}
END_TEST

START_TEST(test_flow_hash_spreads_over_buckets)
{
    enum { N_BUCKETS = 1024, N = 65536 };
    unsigned *buckets = calloc(N_BUCKETS, sizeof *buckets);
    unsigned max = 0, min = N;
    struct flow f;

    flow_from_vector("udp4_vlan", &f);
    for (uint32_t i = 0; i < N; i++) {
        /* Typical traffic: sequential ports and neighbouring hosts. */
        f.tp_src = htons(i & 0xff);
        f.nw_src = htonl(0x0a000000 | (i >> 8));
        buckets[flow_hash(&f, 0) % N_BUCKETS]++;
    }
    for (int i = 0; i < N_BUCKETS; i++) {
        max = MAX(max, buckets[i]);
        min = MIN(min, buckets[i]);
    }
    /* 64 expected per bucket; a binomial spread stays well inside this. */
    ck_assert_uint_lt(max, 110);
    ck_assert_uint_gt(min, 25);
    free(buckets);
}
END_TEST

START_TEST(test_flow_hash_masked_ignores_wildcarded_bits)
{
    struct flow_wildcards wc;
    struct flow a, b, zeroed;

    flow_from_vector("tcp4", &a);
    flow_wildcards_init_catchall(&wc);
    wc.masks.dl_type = 0xffff;
    wc.masks.nw_proto = 0xff;
    wc.masks.nw_dst = htonl(0xffffff00);
    wc.masks.tp_dst = 0xffff;

    b = a;
    b.tp_src = htons(999);                      /* Wildcarded. */
    b.nw_dst = htonl(0x0a0000fe);               /* Outside the /24 mask. */
    b.dl_src = eth_addr_broadcast;
    ck_assert(flow_equal_masked(&a, &b, &wc));
    ck_assert_uint_eq(flow_hash_masked(&a, &wc, 7), flow_hash_masked(&b, &wc, 7));

    b.tp_dst = htons(81);                       /* Significant. */
    ck_assert(!flow_equal_masked(&a, &b, &wc));
    ck_assert_uint_ne(flow_hash_masked(&a, &wc, 7), flow_hash_masked(&b, &wc, 7));

    /* Zeroing the wildcarded bits first gives the same hash unmasked. */
    zeroed = a;
    flow_zero_wildcards(&zeroed, &wc);
    ck_assert_uint_eq(flow_hash(&zeroed, 7), flow_hash_masked(&a, &wc, 7));
    ck_assert(zeroed.tp_src == 0 && zeroed.nw_dst == htonl(0x0a000000));
}
END_TEST

START_TEST(test_flow_hash_masked_with_exact_mask_equals_flow_hash)
{
    struct flow_wildcards exact;

    flow_wildcards_init_exact(&exact);
    for (size_t i = 0; i < ARRAY_SIZE(vectors); i++) {
        struct flow f;

        flow_from_vector(vectors[i].name, &f);
        ck_assert_uint_eq(flow_hash_masked(&f, &exact, 3), flow_hash(&f, 3));
        ck_assert(flow_equal_masked(&f, &f, &exact));
    }
}
END_TEST

START_TEST(test_flow_wildcards_union_and_intersection)
{
    struct flow_wildcards a, b, u, x, all, none;

    flow_wildcards_init_catchall(&a);
    flow_wildcards_init_catchall(&b);
    flow_wildcards_init_exact(&all);
    flow_wildcards_init_catchall(&none);
    ck_assert(flow_wildcards_is_catchall(&none));
    ck_assert(!flow_wildcards_is_exact(&none));
    ck_assert(flow_wildcards_is_exact(&all));
    ck_assert(!flow_wildcards_is_catchall(&all));

    a.masks.nw_src = htonl(0xff000000);
    b.masks.nw_src = htonl(0x00ff0000);
    b.masks.in_port = UINT32_MAX;
    flow_wildcards_or(&u, &a, &b);
    ck_assert(u.masks.nw_src == htonl(0xffff0000) && u.masks.in_port == UINT32_MAX);
    flow_wildcards_and(&x, &a, &b);
    ck_assert(flow_wildcards_is_catchall(&x));
    flow_wildcards_and(&x, &u, &all);
    ck_assert(flow_wildcards_equal(&x, &u));
    ck_assert_uint_eq(flow_wildcards_hash(&x, 0), flow_wildcards_hash(&u, 0));
    ck_assert(!flow_wildcards_equal(&a, &b));
}
END_TEST

START_TEST(test_flow_wildcards_for_packet_follow_protocols)
{
    struct flow_wildcards wc;
    struct flow f;

    flow_from_vector("tcp4", &f);
    flow_wildcards_init_for_packet(&wc, &f);
    ck_assert(wc.masks.tp_dst == 0xffff && wc.masks.tcp_flags == 0xffff);
    ck_assert(wc.masks.nw_src == UINT32_MAX && ipv6_is_zero(&wc.masks.ipv6_src));
    ck_assert(eth_addr_is_zero(wc.masks.arp_sha));

    flow_from_vector("ip4_frag_later", &f);
    flow_wildcards_init_for_packet(&wc, &f);
    ck_assert(wc.masks.nw_frag == FLOW_NW_FRAG_MASK && !wc.masks.tp_src);

    flow_from_vector("nd_ns_sll", &f);
    flow_wildcards_init_for_packet(&wc, &f);
    ck_assert(eth_addr_is_broadcast(wc.masks.arp_sha));
    ck_assert(ipv6_addr_equals(&wc.masks.nd_target, &in6addr_exact));

    flow_from_vector("arp_request", &f);
    flow_wildcards_init_for_packet(&wc, &f);
    ck_assert(wc.masks.nw_proto == 0xff && !wc.masks.tp_src && !wc.masks.nw_ttl);

    flow_from_vector("lldp", &f);
    flow_wildcards_init_for_packet(&wc, &f);
    ck_assert(!wc.masks.nw_proto && wc.masks.dl_type == 0xffff);
}
END_TEST

START_TEST(test_flow_format_masked_shows_only_significant_bits)
{
    struct flow_wildcards wc;
    struct ds s = DS_EMPTY_INITIALIZER;
    struct flow f;

    flow_from_vector("udp4_vlan", &f);
    flow_wildcards_init_catchall(&wc);
    flow_format_masked(&s, &f, &wc);
    ck_assert_str_eq(ds_cstr(&s), "");

    wc.masks.dl_type = 0xffff;
    wc.masks.nw_proto = 0xff;
    wc.masks.in_port = UINT32_MAX;
    wc.masks.nw_dst = htonl(0xffffff00);
    wc.masks.nw_src = htonl(0xff00ff00);
    wc.masks.tp_dst = htons(0xfff0);
    wc.masks.vlans[0].tci = htons(VLAN_VID_MASK | VLAN_CFI);
    wc.masks.dl_dst = eth_addr_from_uint64(0x010000000000ULL);
    wc.masks.nw_frag = FLOW_NW_FRAG_ANY;
    wc.masks.nw_tos = IP_ECN_MASK;
    ds_clear(&s);
    flow_format_masked(&s, &f, &wc);
    ck_assert_str_eq(ds_cstr(&s),
                     "udp,in_port=1,vlan_tci=0x100a/0x1fff,"
                     "dl_dst=00:00:00:00:00:00/01:00:00:00:00:00,"
                     "nw_src=10.0.0.0/255.0.255.0,nw_dst=10.0.0.0/24,"
                     "nw_ecn=1,nw_frag=no,tp_dst=0x30/0xfff0");

    /* Without nw_proto, IP prints as "ip" and no shorthand. */
    wc.masks.nw_proto = 0;
    wc.masks.tp_dst = 0;
    f.nw_frag = FLOW_NW_FRAG_ANY | FLOW_NW_FRAG_LATER;
    wc.masks.nw_frag = FLOW_NW_FRAG_LATER;
    ds_clear(&s);
    flow_format_masked(&s, &f, &wc);
    ck_assert_str_eq(ds_cstr(&s),
                     "ip,in_port=1,vlan_tci=0x100a/0x1fff,"
                     "dl_dst=00:00:00:00:00:00/01:00:00:00:00:00,"
                     "nw_src=10.0.0.0/255.0.255.0,nw_dst=10.0.0.0/24,"
                     "nw_ecn=1,nw_frag=later");
    ds_destroy(&s);
}
END_TEST

START_TEST(test_flow_format_masked_ipv6_tcp_flags_and_mpls)
{
    struct flow_wildcards wc;
    struct ds s = DS_EMPTY_INITIALIZER;
    struct flow f;

    flow_from_vector("tcp6", &f);
    flow_wildcards_init_catchall(&wc);
    wc.masks.dl_type = 0xffff;
    wc.masks.nw_proto = 0xff;
    wc.masks.ipv6_src = ipv6_create_mask(32);
    ck_assert_int_eq(ipv6_parse("ffff::ffff", &wc.masks.ipv6_dst), 0);
    wc.masks.ipv6_label = htonl(0xff);
    wc.masks.tcp_flags = htons(TCP_FIN | TCP_SYN);
    flow_format_masked(&s, &f, &wc);
    ck_assert_str_eq(ds_cstr(&s), "tcp6,ipv6_src=2001:db8::/32,"
                     "ipv6_dst=2001::2/ffff::ffff,ipv6_label=0x0/0xff,"
                     "tcp_flags=fin/0x003");

    flow_from_vector("mpls2", &f);
    flow_wildcards_init_catchall(&wc);
    wc.masks.dl_type = 0xffff;
    wc.masks.mpls_lse[0] = htonl(MPLS_LABEL_MASK);
    ds_clear(&s);
    flow_format_masked(&s, &f, &wc);
    ck_assert_str_eq(ds_cstr(&s), "mpls,mpls_label=100");
    ds_destroy(&s);
}
END_TEST

START_TEST(test_flow_format_shows_metadata_only_when_set)
{
    struct flow f;
    char *s;

    flow_from_vector("lldp", &f);
    f.tun_id = vs_htonll(0x1234);
    f.regs[3] = 0xabc;
    f.pkt_mark = 7;
    s = flow_to_string(&f);
    ck_assert_str_eq(s, "tun_id=0x1234,reg3=0xabc,pkt_mark=0x7,"
                     "in_port=1,vlan_tci=0x0000,dl_src=00:11:22:33:44:55,"
                     "dl_dst=01:80:c2:00:00:0e,dl_type=0x88cc");
    free(s);
}
END_TEST

int
main(void)
{
    int n = ARRAY_SIZE(vectors);
    Suite *s = suite_create("flow");
    TCase *tc = tcase_create("extract");
    TCase *th = tcase_create("hash");

    tcase_add_loop_test(tc, test_flow_extract_reference_frames, 0, n);
    tcase_add_loop_test(tc, test_flow_extract_every_truncation_stays_in_bounds, 0, n);
    tcase_add_loop_test(tc, test_flow_extract_random_corruption_stays_in_bounds, 0, n);
    tcase_add_loop_test(tc, test_flow_compose_round_trips_every_reference_flow, 0, n);
    suite_add_tcase(s, tc);

    tcase_add_test(th, test_flow_hash_single_bit_changes_give_distinct_hashes);
    tcase_add_test(th, test_flow_hash_spreads_over_buckets);
    tcase_add_test(th, test_flow_hash_masked_ignores_wildcarded_bits);
    tcase_add_test(th, test_flow_hash_masked_with_exact_mask_equals_flow_hash);
    tcase_add_test(th, test_flow_wildcards_union_and_intersection);
    tcase_add_test(th, test_flow_wildcards_for_packet_follow_protocols);
    tcase_add_test(th, test_flow_format_masked_shows_only_significant_bits);
    tcase_add_test(th, test_flow_format_shows_metadata_only_when_set);
    tcase_add_test(th, test_flow_format_masked_ipv6_tcp_flags_and_mpls);
    suite_add_tcase(s, th);

    return test_run_suite(s);
}
