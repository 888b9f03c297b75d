/* Unit tests for lib/packets: wire struct sizes, Ethernet/IPv4/IPv6
 * address parsing and formatting, VLAN TCI and MPLS LSE helpers. */
#include <config.h>
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dynamic-string.h"
#include "packets.h"
#include "test-util.h"

START_TEST(test_wire_structs_have_wire_sizes)
{
    ck_assert_uint_eq(sizeof(struct eth_header), ETH_HEADER_LEN);
    ck_assert_uint_eq(sizeof(struct vlan_eth_header), VLAN_ETH_HEADER_LEN);
    ck_assert_uint_eq(sizeof(struct llc_snap_header), LLC_HEADER_LEN + SNAP_HEADER_LEN);
    ck_assert_uint_eq(sizeof(struct arp_eth_header), ARP_ETH_HEADER_LEN);
    ck_assert_uint_eq(sizeof(struct ip_header), IP_HEADER_LEN);
    ck_assert_uint_eq(sizeof(struct ipv6_header), IPV6_HEADER_LEN);
    ck_assert_uint_eq(sizeof(struct ipv6_frag_header), IPV6_FRAG_HEADER_LEN);
    ck_assert_uint_eq(sizeof(struct tcp_header), TCP_HEADER_LEN);
    ck_assert_uint_eq(sizeof(struct udp_header), UDP_HEADER_LEN);
    ck_assert_uint_eq(sizeof(struct sctp_header), SCTP_HEADER_LEN);
    ck_assert_uint_eq(sizeof(struct icmp_header), ICMP_HEADER_LEN);
    ck_assert_uint_eq(sizeof(struct icmp6_header), ICMP6_HEADER_LEN);
    ck_assert_uint_eq(sizeof(struct nd_msg), ND_MSG_LEN);
    ck_assert_uint_eq(sizeof(struct nd_lla_opt), ND_LLA_OPT_LEN);
    ck_assert_uint_eq(sizeof(struct mpls_hdr), MPLS_HLEN);
    ck_assert_uint_eq(sizeof(struct vxlan_header), VXLAN_HEADER_LEN);
}
END_TEST

START_TEST(test_eth_addr_parse_format_and_classify)
{
    struct eth_addr ea, mask;
    char buf[ETH_ADDR_STRLEN + 1];
    struct ds s = DS_EMPTY_INITIALIZER;

    ck_assert_int_eq(eth_addr_parse("0A:1b:2c:3D:4e:5f", &ea), 0);
    eth_addr_format(ea, buf);
    ck_assert_str_eq(buf, "0a:1b:2c:3d:4e:5f");
    ck_assert_uint_eq(eth_addr_to_uint64(ea), 0x0a1b2c3d4e5fULL);
    ck_assert(eth_addr_equals(eth_addr_from_uint64(0x0a1b2c3d4e5fULL), ea));
    ck_assert(eth_addr_is_local(ea));
    ck_assert(!eth_addr_is_multicast(ea));

    ck_assert_int_eq(eth_addr_parse("0:1:2:3:4:5", &ea), 0);
    ck_assert_uint_eq(eth_addr_to_uint64(ea), 0x000102030405ULL);

    static const char *const bad[] = {
        "", "00:11:22:33:44", "00:11:22:33:44:55:66", "00:11:22:33:44:5g",
        "001122334455", "00-11-22-33-44-55", "00:11:22:33:44:555", " 00:11:22:33:44:55",
    };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        ck_assert_msg(eth_addr_parse(bad[i], &ea) == EINVAL, "accepted '%s'", bad[i]);
    }

    ck_assert_int_eq(eth_addr_parse_masked("01:00:00:00:00:00/01:00:00:00:00:00",
                                           &ea, &mask), 0);
    ck_assert(eth_addr_is_multicast(ea) && !eth_addr_is_broadcast(mask));
    eth_addr_format_masked(&s, ea, mask);
    ck_assert_str_eq(ds_cstr(&s), "01:00:00:00:00:00/01:00:00:00:00:00");
    ck_assert_int_eq(eth_addr_parse_masked("ff:ff:ff:ff:ff:ff", &ea, &mask), 0);
    ck_assert(eth_addr_is_broadcast(ea) && eth_addr_is_broadcast(mask));
    ck_assert(eth_addr_is_multicast(ea));
    ck_assert_int_eq(eth_addr_parse_masked("ff:ff:ff:ff:ff:ff/", &ea, &mask), EINVAL);

    ck_assert_int_eq(eth_addr_parse("01:80:c2:00:00:0e", &ea), 0);
    ck_assert(eth_addr_is_reserved(ea));
    ck_assert_int_eq(eth_addr_parse("01:80:c2:00:00:10", &ea), 0);
    ck_assert(!eth_addr_is_reserved(ea));
    ck_assert(eth_addr_is_zero(eth_addr_zero));
    ds_destroy(&s);
}
END_TEST

START_TEST(test_vlan_tci_and_mpls_lse_fields)
{
    /* 802.1Q TCI: PCP 5, DEI 1, VID 4094 -> 0xbffe. */
    vs_be16 tci = vlan_tci_build(4094, 5, true);
    ck_assert_uint_eq(ntohs(tci), 0xbffe);
    ck_assert_uint_eq(vlan_tci_to_vid(tci), 4094);
    ck_assert_uint_eq(vlan_tci_to_pcp(tci), 5);
    ck_assert_uint_eq(vlan_tci_to_cfi(tci), 1);
    ck_assert_uint_eq(vlan_tci_to_cfi(vlan_tci_build(1, 0, false)), 0);
    ck_assert(eth_type_vlan(htons(ETH_TYPE_VLAN_8021AD)));
    ck_assert(!eth_type_vlan(htons(ETH_TYPE_IP)));

    /* Label 100, TC 3, bottom of stack, TTL 64 (RFC 3032 layout). */
    vs_be32 lse = mpls_lse_build(100, 3, true, 64);
    ck_assert_uint_eq(ntohl(lse), (100u << 12) | (3 << 9) | (1 << 8) | 64);
    ck_assert_uint_eq(mpls_lse_to_label(lse), 100);
    ck_assert_uint_eq(mpls_lse_to_tc(lse), 3);
    ck_assert_uint_eq(mpls_lse_to_bos(lse), 1);
    ck_assert_uint_eq(mpls_lse_to_ttl(lse), 64);
    ck_assert_uint_eq(mpls_lse_to_label(mpls_lse_build(0xfffff, 7, false, 255)), 0xfffff);
    ck_assert(eth_type_mpls(htons(ETH_TYPE_MPLS_MCAST)));
}
END_TEST

START_TEST(test_ip_parse_masks_and_format)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    vs_be32 ip, mask;

    ck_assert_int_eq(ip_parse("192.168.1.254", &ip), 0);
    ck_assert_uint_eq(ntohl(ip), 0xc0a801fe);
    ck_assert_int_eq(ip_parse("192.168.1", &ip), EINVAL);
    ck_assert_int_eq(ip_parse("192.168.1.256", &ip), EINVAL);
    ck_assert_int_eq(ip_parse("1.2.3.4 ", &ip), EINVAL);

    ck_assert_int_eq(ip_parse_masked("10.0.0.0/8", &ip, &mask), 0);
    ck_assert_uint_eq(ntohl(mask), 0xff000000);
    ck_assert_int_eq(ip_parse_masked("10.1.2.3", &ip, &mask), 0);
    ck_assert_uint_eq(mask, 0xffffffff);
    ck_assert_int_eq(ip_parse_masked("10.0.0.0/0", &ip, &mask), 0);
    ck_assert_uint_eq(mask, 0);
    ck_assert_int_eq(ip_parse_masked("10.0.0.0/255.0.255.0", &ip, &mask), 0);
    ck_assert_uint_eq(ntohl(mask), 0xff00ff00);
    ck_assert_int_eq(ip_parse_masked("10.0.0.0/33", &ip, &mask), EINVAL);
    ck_assert_int_eq(ip_parse_masked("10.0.0.0/", &ip, &mask), EINVAL);
    ck_assert_int_eq(ip_parse_masked("10.0.0.0/2x", &ip, &mask), EINVAL);
    ck_assert_int_eq(ip_parse_masked("/24", &ip, &mask), EINVAL);

    ck_assert_int_eq(ip_count_cidr_bits(htonl(0xffffff00)), 24);
    ck_assert_int_eq(ip_count_cidr_bits(0), 0);
    ck_assert_int_eq(ip_count_cidr_bits(0xffffffff), 32);
    ck_assert_int_eq(ip_count_cidr_bits(htonl(0xff00ff00)), -1);
    ck_assert_int_eq(ip_count_cidr_bits(htonl(0x00ffffff)), -1);
    for (int n = 0; n <= 32; n++) {
        ck_assert_int_eq(ip_count_cidr_bits(be32_prefix_mask(n)), n);
    }

    ip_format_masked(&s, htonl(0x0a000000), htonl(0xffff0000));
    ds_put_char(&s, ' ');
    ip_format_masked(&s, htonl(0x0a000001), 0xffffffff);
    ds_put_char(&s, ' ');
    ip_format_masked(&s, htonl(0x0a000000), htonl(0xff00ff00));
    ck_assert_str_eq(ds_cstr(&s), "10.0.0.0/16 10.0.0.1 10.0.0.0/255.0.255.0");
    ck_assert(ip_is_multicast(htonl(0xe0000001)));
    ck_assert(!ip_is_multicast(htonl(0xc0000001)));
    ds_destroy(&s);
}
END_TEST

START_TEST(test_ipv6_parse_masks_and_format)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    struct in6_addr ip, mask;

    ck_assert_int_eq(ipv6_parse("2001:db8::1", &ip), 0);
    ck_assert_uint_eq(ip.s6_addr[0], 0x20);
    ck_assert_uint_eq(ip.s6_addr[15], 1);
    ck_assert_int_eq(ipv6_parse("2001:db8::g", &ip), EINVAL);
    ck_assert_int_eq(ipv6_parse("10.0.0.1", &ip), EINVAL);

    ck_assert_int_eq(ipv6_parse_masked("fe80::/10", &ip, &mask), 0);
    ck_assert_int_eq(ipv6_count_cidr_bits(&mask), 10);
    ck_assert_uint_eq(mask.s6_addr[1], 0xc0);
    ck_assert_int_eq(ipv6_parse_masked("::1", &ip, &mask), 0);
    ck_assert(ipv6_addr_equals(&mask, &in6addr_exact));
    ck_assert_int_eq(ipv6_parse_masked("::/0", &ip, &mask), 0);
    ck_assert(ipv6_is_zero(&mask));
    ck_assert_int_eq(ipv6_parse_masked("2001:db8::/ffff:0:ffff::", &ip, &mask), 0);
    ck_assert_int_eq(ipv6_count_cidr_bits(&mask), -1);
    ck_assert_int_eq(ipv6_parse_masked("::/129", &ip, &mask), EINVAL);
    ck_assert_int_eq(ipv6_parse_masked("::/", &ip, &mask), EINVAL);

    for (int n = 0; n <= 128; n++) {
        struct in6_addr m = ipv6_create_mask(n);
        ck_assert_int_eq(ipv6_count_cidr_bits(&m), n);
    }

    ck_assert_int_eq(ipv6_parse_masked("2001:db8:0:1::/64", &ip, &mask), 0);
    ipv6_format_masked(&s, &ip, &mask);
    ds_put_char(&s, ' ');
    ipv6_format_masked(&s, &ip, &in6addr_exact);
    ds_put_char(&s, ' ');
    ck_assert_int_eq(ipv6_parse("ffff:0:ffff::", &mask), 0);
    ipv6_format_masked(&s, &ip, &mask);
    ck_assert_str_eq(ds_cstr(&s),
                     "2001:db8:0:1::/64 2001:db8:0:1:: 2001:db8:0:1::/ffff:0:ffff::");

    ck_assert_int_eq(ipv6_parse("ff02::1", &ip), 0);
    ck_assert(ipv6_addr_is_multicast(&ip));
    mask = ipv6_create_mask(8);
    ip = ipv6_addr_bitand(&ip, &mask);
    ck_assert_uint_eq(ip.s6_addr[0], 0xff);
    ck_assert_uint_eq(ip.s6_addr[15], 0);
    ds_destroy(&s);
}
END_TEST

START_TEST(test_tcp_flags_format)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    packet_format_tcp_flags(&s, TCP_SYN | TCP_ACK);
    ds_put_char(&s, ' ');
    packet_format_tcp_flags(&s, 0);
    ds_put_char(&s, ' ');
    packet_format_tcp_flags(&s, TCP_FIN | TCP_NS | 0x800);
    ck_assert_str_eq(ds_cstr(&s), "syn|ack 0 fin|ns|[800]");
    ck_assert_uint_eq(TCP_FLAGS(htons(0x5012)), TCP_SYN | TCP_ACK);
    ck_assert_uint_eq(TCP_OFFSET(htons(0x5012)), 5);
    ds_destroy(&s);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("packets");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_wire_structs_have_wire_sizes);
    tcase_add_test(tc, test_eth_addr_parse_format_and_classify);
    tcase_add_test(tc, test_vlan_tci_and_mpls_lse_fields);
    tcase_add_test(tc, test_ip_parse_masks_and_format);
    tcase_add_test(tc, test_ipv6_parse_masks_and_format);
    tcase_add_test(tc, test_tcp_flags_format);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
