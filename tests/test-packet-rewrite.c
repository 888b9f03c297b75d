/* Unit tests for lib/packet-rewrite: every rewrite must leave checksums
 * that a full recomputation agrees with, and flow_extract() must see the
 * new values.  Inputs are kernel-captured frames (see tests/test-csum.c)
 * and scapy-built ones. */
#include <config.h>
#include <check.h>
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "csum.h"
#include "dp-packet.h"
#include "flow.h"
#include "packet-rewrite.h"
#include "packets.h"
#include "test-util.h"

static const char tcp4_syn[] =      /* Kernel-captured. */
    "0a424b20a1a7b6741691288008004500003cb761400040066ebe0a4d00010a4d"
    "0002c0ce1e61f1b693af00000000a002faf0c3dc0000020405b40402080a6fcc"
    "a030000000000103030a";
static const char udp4[] =          /* Kernel-captured. */
    "0a8470eef10f12ca3b7a61d508004500002642ef40004011e33b0a4d00010a4d"
    "0002b8a6270f0012e20968656c6c6f2d7564700a";
static const char udp6[] =          /* Kernel-captured. */
    "0a8470eef10f12ca3b7a61d586dd6000198000131140fd000077000000000000"
    "000000000001fd000077000000000000000000000002c799270f0013e2926865"
    "6c6c6f2d756470360a";
static const char icmp6_echo[] =    /* Kernel-captured. */
    "0a424b20a1a7b6741691288086dd600c545e00403a40fd000077000000000000"
    "000000000001fd0000770000000000000000000000028000a569488c0001484f"
    "086b000000007f0e080000000000101112131415161718191a1b1c1d1e1f2021"
    "22232425262728292a2b2c2d2e2f3031323334353637";
static const char icmp4_echo[] =    /* Kernel-captured. */
    "0a424b20a1a7b67416912880080045000054ac5e4000400179ae0a4d00010a4d"
    "0002080058ec488b0001484f086b000000003ffa070000000000101112131415"
    "161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435"
    "3637";
static const char sctp4[] =         /* scapy: IP()/SCTP(sport=3868, dport=3869). */
    "66778899aabb00112233445508004500002000010000408466570a0000010a00"
    "00020f1c0f1d000000005bb5ce4e";
static const char udp4_nocsum[] =   /* scapy: UDP(chksum=0), no checksum. */
    "66778899aabb00112233445508004500001e00010000401166cc0a0000010a00"
    "000200070009000a00006869";
static const char tcp6_ext[] =      /* scapy: IPv6()/HBH()/DestOpt()/TCP(). */
    "66778899aabb00112233445586dd600000000024004020010db8000000000000"
    "00000000000120010db80000000000000000000000023c000104000000000600"
    "01040000000000010002000000000000000050022000346b0000";

/* Asserts that the IPv4 header checksum and the L4 checksum (if the
 * protocol has one) are right, by full recomputation. */
static void
check_csums(const struct dp_packet *b, const struct flow *flow)
{
    const void *l3 = dp_packet_l3(b), *l4 = dp_packet_l4(b);
    size_t l4_size = dp_packet_l4_size(b);

    if (flow->dl_type == htons(ETH_TYPE_IP)) {
        const struct ip_header *ip = l3;
        ck_assert_uint_eq(csum(ip, IP_IHL(ip->ip_ihl_ver) * 4), 0);
        l4_size = ntohs(ip->ip_tot_len) - IP_IHL(ip->ip_ihl_ver) * 4;
        if (flow->nw_proto == IPPROTO_TCP || flow->nw_proto == IPPROTO_UDP) {
            ck_assert_uint_eq(packet_csum_l4_ipv4(ip, l4, l4_size), 0);
        } else if (flow->nw_proto == IPPROTO_ICMP) {
            ck_assert_uint_eq(csum(l4, l4_size), 0);
        }
    } else {
        ck_assert_uint_eq(packet_csum_l4_ipv6(l3, flow->nw_proto, l4, l4_size), 0);
    }
}

START_TEST(test_set_ipv4_fields_keeps_ip_and_tcp_csums)
{
    struct flow f;
    struct dp_packet *b = test_packet_from_hex(tcp4_syn, &f);
    vs_be32 src, dst;

    ip_parse("192.0.2.10", &src);
    ip_parse("198.51.100.20", &dst);
    ck_assert_int_eq(packet_set_ipv4(b, src, dst, 0xb8 | IP_ECN_CE, 17), 0);
    flow_extract(b, &f);
    ck_assert(f.nw_src == src && f.nw_dst == dst);
    ck_assert_uint_eq(f.nw_tos, 0xbb);
    ck_assert_uint_eq(f.nw_ttl, 17);
    check_csums(b, &f);

    ck_assert_int_eq(packet_set_tcp_port(b, htons(1), htons(65535)), 0);
    flow_extract(b, &f);
    ck_assert(f.tp_src == htons(1) && f.tp_dst == htons(65535));
    check_csums(b, &f);
    ck_assert_int_eq(packet_set_udp_port(b, 0, 0), EINVAL);   /* Not UDP. */
    dp_packet_delete(b);
}
END_TEST

START_TEST(test_set_udp_keeps_csum_and_zero_csum_stays_zero)
{
    struct flow f;
    struct dp_packet *b = test_packet_from_hex(udp4, &f);
    vs_be32 dst;

    ip_parse("10.77.0.99", &dst);
    ck_assert_int_eq(packet_set_ipv4(b, f.nw_src, dst, f.nw_tos, f.nw_ttl - 1), 0);
    ck_assert_int_eq(packet_set_udp_port(b, htons(53), htons(5353)), 0);
    flow_extract(b, &f);
    ck_assert(f.nw_dst == dst && f.tp_src == htons(53) && f.tp_dst == htons(5353));
    check_csums(b, &f);
    dp_packet_delete(b);

    b = test_packet_from_hex(udp4_nocsum, &f);
    ck_assert_int_eq(packet_set_ipv4(b, dst, dst, 0, 1), 0);
    ck_assert_int_eq(packet_set_udp_port(b, htons(1000), htons(2000)), 0);
    const struct udp_header *udp = dp_packet_l4(b);
    ck_assert_uint_eq(udp->udp_csum, 0);
    flow_extract(b, &f);
    ck_assert_uint_eq(csum(dp_packet_l3(b), IP_HEADER_LEN), 0);
    ck_assert(f.tp_src == htons(1000));
    dp_packet_delete(b);
}
END_TEST

START_TEST(test_set_ipv6_fields_keeps_l4_csums)
{
    static const char *const frames[] = { udp6, icmp6_echo, tcp6_ext };
    struct in6_addr src, dst;

    ipv6_parse("2001:db8:aaaa::1", &src);
    ipv6_parse("fe80::1234:5678", &dst);
    for (size_t i = 0; i < ARRAY_SIZE(frames); i++) {
        struct flow f, before;
        struct dp_packet *b = test_packet_from_hex(frames[i], &before);

        check_csums(b, &before);
        ck_assert_int_eq(packet_set_ipv6(b, &src, &dst, 0x2e, htonl(0xabcde), 3), 0);
        flow_extract(b, &f);
        ck_assert(ipv6_addr_equals(&f.ipv6_src, &src));
        ck_assert(ipv6_addr_equals(&f.ipv6_dst, &dst));
        ck_assert_uint_eq(f.nw_tos, 0x2e);
        ck_assert_uint_eq(ntohl(f.ipv6_label), 0xabcde);
        ck_assert_uint_eq(f.nw_ttl, 3);
        ck_assert_uint_eq(f.nw_proto, before.nw_proto);
        check_csums(b, &f);
        dp_packet_delete(b);
    }
}
END_TEST

START_TEST(test_set_ports_through_ipv6_extension_headers)
{
    struct flow f;
    struct dp_packet *b = test_packet_from_hex(tcp6_ext, &f);

    ck_assert_uint_eq(b->l4_ofs, 54 + 16);
    ck_assert_int_eq(packet_set_tcp_port(b, htons(8080), htons(443)), 0);
    flow_extract(b, &f);
    ck_assert(f.tp_src == htons(8080) && f.tp_dst == htons(443));
    check_csums(b, &f);
    dp_packet_delete(b);
}
END_TEST

START_TEST(test_set_icmp_type_code_v4_and_v6)
{
    struct flow f;
    struct dp_packet *b = test_packet_from_hex(icmp4_echo, &f);

    ck_assert_int_eq(packet_set_icmp(b, ICMP4_ECHO_REPLY, 0), 0);
    flow_extract(b, &f);
    ck_assert(f.tp_src == htons(ICMP4_ECHO_REPLY));
    check_csums(b, &f);
    dp_packet_delete(b);

    b = test_packet_from_hex(icmp6_echo, &f);
    ck_assert_int_eq(packet_set_icmp(b, ICMP6_ECHO_REPLY, 0), 0);
    flow_extract(b, &f);
    ck_assert(f.tp_src == htons(ICMP6_ECHO_REPLY));
    check_csums(b, &f);
    ck_assert_int_eq(packet_set_ipv4(b, 0, 0, 0, 0), EINVAL);  /* Not IPv4. */
    dp_packet_delete(b);
}
END_TEST

START_TEST(test_set_sctp_ports_recomputes_crc32c)
{
    struct flow f;
    struct dp_packet *b = test_packet_from_hex(sctp4, &f);
    struct sctp_header *sh;
    vs_be32 stored;

    ck_assert_int_eq(packet_set_sctp_port(b, htons(100), htons(200)), 0);
    flow_extract(b, &f);
    ck_assert(f.tp_src == htons(100) && f.tp_dst == htons(200));
    sh = dp_packet_l4(b);
    stored = sh->sctp_csum;
    ck_assert_uint_ne(stored, htole32(0x4eceb55b));      /* Changed... */
    sh->sctp_csum = 0;
    ck_assert_uint_eq(htole32(crc32c(sh, SCTP_HEADER_LEN)), stored);  /* ...right. */
    dp_packet_delete(b);
}
END_TEST

START_TEST(test_rewrites_refuse_missing_headers)
{
    static const uint8_t short_frame[10];
    struct eth_addr a = eth_addr_broadcast;
    struct dp_packet c, *b;
    struct flow f;

    dp_packet_use_const(&c, short_frame, sizeof short_frame);
    flow_extract(&c, &f);
    ck_assert_int_eq(packet_set_eth(&c, a, a), EINVAL);
    ck_assert_int_eq(packet_set_ipv4(&c, 0, 0, 0, 0), EINVAL);
    ck_assert_int_eq(packet_set_tcp_port(&c, 0, 0), EINVAL);
    ck_assert_int_eq(packet_set_icmp(&c, 0, 0), EINVAL);

    b = test_packet_from_hex(udp4, &f);
    ck_assert_int_eq(packet_set_eth(b, eth_addr_zero, a), 0);
    flow_extract(b, &f);
    ck_assert(eth_addr_is_zero(f.dl_src) && eth_addr_is_broadcast(f.dl_dst));
    ck_assert_int_eq(packet_set_ipv6(b, &in6addr_any, &in6addr_any, 0, 0, 0), EINVAL);
    ck_assert_int_eq(packet_set_sctp_port(b, 0, 0), EINVAL);
    ck_assert_int_eq(packet_set_icmp(b, 0, 0), EINVAL);
    dp_packet_delete(b);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("packet-rewrite");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_set_ipv4_fields_keeps_ip_and_tcp_csums);
    tcase_add_test(tc, test_set_udp_keeps_csum_and_zero_csum_stays_zero);
    tcase_add_test(tc, test_set_ipv6_fields_keeps_l4_csums);
    tcase_add_test(tc, test_set_ports_through_ipv6_extension_headers);
    tcase_add_test(tc, test_set_icmp_type_code_v4_and_v6);
    tcase_add_test(tc, test_set_sctp_ports_recomputes_crc32c);
    tcase_add_test(tc, test_rewrites_refuse_missing_headers);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
