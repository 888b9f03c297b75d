/* Unit tests for lib/csum.
 *
 * The "captured" frames were sent by the Linux kernel between two network
 * namespaces over veth with checksum offload off, captured with tcpdump,
 * and their checksums confirmed good by tshark; they are the ground truth
 * that csum must agree with. */
#include <config.h>
#include <check.h>
#include <endian.h>
#include <stdlib.h>
#include <string.h>

#include "csum.h"
#include "dp-packet.h"
#include "packets.h"
#include "test-util.h"

enum l4_kind { L4_ICMP4, L4_TCP4, L4_UDP4, L4_ICMP6, L4_UDP6 };

struct captured {
    const char *name;
    const char *hex;
    enum l4_kind kind;
    int l4_ofs;                         /* After any extension headers. */
    size_t csum_ofs;                    /* Of the L4 checksum, from l4_ofs. */
};

static const struct captured captured[] = {
    { "icmp4_echo",
      "0a424b20a1a7b67416912880080045000054ac5e4000400179ae0a4d00010a4d"
      "0002080058ec488b0001484f086b000000003ffa070000000000101112131415"
      "161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435"
      "3637", L4_ICMP4, 34, 2 },
    { "tcp4_syn",
      "0a424b20a1a7b6741691288008004500003cb761400040066ebe0a4d00010a4d"
      "0002c0ce1e61f1b693af00000000a002faf0c3dc0000020405b40402080a6fcc"
      "a030000000000103030a", L4_TCP4, 34, 16 },
    { "tcp4_rst",
      "b674169128800a424b20a1a708004500002800004000400626340a4d00020a4d"
      "00011e61c0ce00000000f1b693b050140000369d0000", L4_TCP4, 34, 16 },
    { "udp4",
      "0a8470eef10f12ca3b7a61d508004500002642ef40004011e33b0a4d00010a4d"
      "0002b8a6270f0012e20968656c6c6f2d7564700a", L4_UDP4, 34, 6 },
    { "mld2_hbh",
      "333300000016b6741691288086dd600000000038000100000000000000000000"
      "000000000000ff0200000000000000000000000000163a000502000001008f00"
      "445e0000000204000000ff0200000000000000000001ff00000104000000ff02"
      "00000000000000000001ff912880", L4_ICMP6, 62, 2 },
    { "nd_ns",
      "3333ff000002b6741691288086dd6000000000203afffd000077000000000000"
      "000000000001ff0200000000000000000001ff0000028700892400000000fd00"
      "00770000000000000000000000020101b67416912880", L4_ICMP6, 54, 2 },
    { "nd_na",
      "b674169128800a424b20a1a786dd6000000000203afffd000077000000000000"
      "000000000002fd0000770000000000000000000000018800262d60000000fd00"
      "007700000000000000000000000202010a424b20a1a7", L4_ICMP6, 54, 2 },
    { "icmp6_echo",
      "0a424b20a1a7b6741691288086dd600c545e00403a40fd000077000000000000"
      "000000000001fd0000770000000000000000000000028000a569488c0001484f"
      "086b000000007f0e080000000000101112131415161718191a1b1c1d1e1f2021"
      "22232425262728292a2b2c2d2e2f3031323334353637", L4_ICMP6, 54, 2 },
    { "udp6",
      "0a8470eef10f12ca3b7a61d586dd6000198000131140fd000077000000000000"
      "000000000001fd000077000000000000000000000002c799270f0013e2926865"
      "6c6c6f2d756470360a", L4_UDP6, 54, 6 },
};

/* Checksum over the L4 segment of 'c' in 'b', pseudo-header included where
 * the protocol has one.  0 means the stored checksum is right. */
static vs_be16
l4_csum(const struct captured *c, const struct dp_packet *b)
{
    const uint8_t *data = dp_packet_data(b);
    const uint8_t *l4 = data + c->l4_ofs;
    size_t l4_len = dp_packet_size(b) - c->l4_ofs;

    switch (c->kind) {
    case L4_ICMP4:
        return csum(l4, l4_len);
    case L4_TCP4:
    case L4_UDP4:
        return packet_csum_l4_ipv4((const void *) (data + ETH_HEADER_LEN), l4, l4_len);
    case L4_ICMP6:
        return packet_csum_l4_ipv6((const void *) (data + ETH_HEADER_LEN),
                                   IPPROTO_ICMPV6, l4, l4_len);
    case L4_UDP6:
        return packet_csum_l4_ipv6((const void *) (data + ETH_HEADER_LEN),
                                   IPPROTO_UDP, l4, l4_len);
    }
    return 0xffff;
}

START_TEST(test_csum_verifies_captured_kernel_packets)
{
    const struct captured *c = &captured[_i];
    struct dp_packet *b = test_packet_from_hex(c->hex, NULL);
    uint8_t *data = dp_packet_data(b);
    vs_be16 stored;

    if (c->kind <= L4_UDP4) {
        ck_assert_msg(csum(data + ETH_HEADER_LEN, IP_HEADER_LEN) == 0,
                      "%s: IPv4 header checksum", c->name);
    }
    ck_assert_msg(l4_csum(c, b) == 0, "%s: L4 checksum", c->name);

    /* Recomputing from a zeroed field reproduces what the kernel stored. */
    memcpy(&stored, data + c->l4_ofs + c->csum_ofs, 2);
    memset(data + c->l4_ofs + c->csum_ofs, 0, 2);
    ck_assert_msg(l4_csum(c, b) == stored, "%s: recomputed %#x, stored %#x",
                  c->name, ntohs(l4_csum(c, b)), ntohs(stored));
    dp_packet_delete(b);
}
END_TEST

START_TEST(test_csum_rfc1071_example_and_odd_lengths)
{
    /* RFC 1071 section 3: the sum of these words is 0xddf2. */
    static const uint8_t ex[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
    uint8_t buf[101];
    uint32_t state = 12345;

    ck_assert_uint_eq(ntohs(csum(ex, sizeof ex)), (uint16_t) ~0xddf2);
    ck_assert_uint_eq(csum(NULL, 0), 0xffff);

    for (size_t i = 0; i < sizeof buf; i++) {
        state = state * 1103515245 + 12345;
        buf[i] = state >> 16;
    }
    for (size_t n = 0; n <= sizeof buf; n++) {
        /* Textbook version: big-endian 16-bit words, odd byte padded. */
        uint32_t sum = 0;
        for (size_t i = 0; i < n; i += 2) {
            sum += (buf[i] << 8) | (i + 1 < n ? buf[i + 1] : 0);
        }
        while (sum >> 16) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        ck_assert_uint_eq(ntohs(csum(buf, n)), (uint16_t) ~sum);

        /* Summing in even-length pieces gives the same answer. */
        uint32_t partial = csum_continue(0, buf, n & ~(size_t) 3);
        partial = csum_continue(partial, buf + (n & ~(size_t) 3), n & 3);
        ck_assert_uint_eq(csum_finish(partial), csum(buf, n));
    }
}
END_TEST

START_TEST(test_recalc_csum_matches_full_recompute)
{
    uint8_t buf[64];
    uint32_t state = 777;

    for (int iter = 0; iter < 20000; iter++) {
        vs_be16 before, after, old16, new16;
        vs_be32 old32, new32;
        size_t ofs;

        for (size_t i = 0; i < sizeof buf; i++) {
            state = state * 1103515245 + 12345;
            buf[i] = state >> 16;
        }
        before = csum(buf, sizeof buf);

        state = state * 1103515245 + 12345;
        ofs = (state >> 16) % (sizeof buf / 2) * 2;
        memcpy(&old16, buf + ofs, 2);
        new16 = state & 0xffff;
        memcpy(buf + ofs, &new16, 2);
        after = recalc_csum16(before, old16, new16);
        ck_assert_uint_eq(after, csum(buf, sizeof buf));

        ofs = (state >> 8) % (sizeof buf / 4) * 4;
        memcpy(&old32, buf + ofs, 4);
        new32 = state * 2654435761u;
        memcpy(buf + ofs, &new32, 4);
        ck_assert_uint_eq(recalc_csum32(after, old32, new32), csum(buf, sizeof buf));
    }
}
END_TEST

START_TEST(test_recalc_csum_after_nat_rewrite_of_captured_packets)
{
    struct dp_packet *b = test_packet_from_hex(captured[1].hex, NULL); /* tcp4_syn */
    uint8_t *data = dp_packet_data(b);
    struct ip_header *ip = (void *) (data + ETH_HEADER_LEN);
    struct tcp_header *tcp = (void *) (data + 34);
    vs_be32 new_src = htonl(0xc0a8014d);        /* 192.168.1.77 */
    vs_be16 new_port = htons(40000);

    /* Source NAT: the address is in both the IP header and the TCP
     * pseudo-header; the port only in TCP. */
    tcp->tcp_csum = recalc_csum32(tcp->tcp_csum, ip->ip_src, new_src);
    ip->ip_csum = recalc_csum32(ip->ip_csum, ip->ip_src, new_src);
    ip->ip_src = new_src;
    tcp->tcp_csum = recalc_csum16(tcp->tcp_csum, tcp->tcp_src, new_port);
    tcp->tcp_src = new_port;
    ck_assert(csum(ip, IP_HEADER_LEN) == 0);
    ck_assert(packet_csum_l4_ipv4(ip, tcp, dp_packet_size(b) - 34) == 0);
    dp_packet_delete(b);

    b = test_packet_from_hex(captured[8].hex, NULL);   /* udp6 */
    data = dp_packet_data(b);
    struct ipv6_header *ip6 = (void *) (data + ETH_HEADER_LEN);
    struct udp_header *udp = (void *) (data + 54);
    struct in6_addr new6;
    ck_assert_int_eq(ipv6_parse("2001:db8:ffff::1234", &new6), 0);
    udp->udp_csum = recalc_csum128(udp->udp_csum, &ip6->ip6_src, &new6);
    memcpy(&ip6->ip6_src, &new6, sizeof new6);
    ck_assert(packet_csum_l4_ipv6(ip6, IPPROTO_UDP, udp, dp_packet_size(b) - 54) == 0);
    dp_packet_delete(b);
}
END_TEST

START_TEST(test_crc32c_check_value_and_sctp_packet)
{
    /* The standard check value of CRC-32C. */
    ck_assert_uint_eq(crc32c("123456789", 9), 0xe3069283);
    ck_assert_uint_eq(crc32c("", 0), 0);

    /* SCTP common header built by scapy, with its checksum. */
    struct dp_packet *b = test_packet_from_hex(
        "66778899aabb00112233445508004500002000010000408466570a0000010a00"
        "00020f1c0f1d000000005bb5ce4e", NULL);
    struct sctp_header *sh = (void *) ((uint8_t *) dp_packet_data(b) + 34);
    vs_be32 stored = sh->sctp_csum;

    sh->sctp_csum = 0;
    ck_assert_uint_eq(htole32(crc32c(sh, SCTP_HEADER_LEN)), stored);
    dp_packet_delete(b);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("csum");
    TCase *tc = tcase_create("core");

    tcase_add_loop_test(tc, test_csum_verifies_captured_kernel_packets,
                        0, ARRAY_SIZE(captured));
    tcase_add_test(tc, test_csum_rfc1071_example_and_odd_lengths);
    tcase_add_test(tc, test_recalc_csum_matches_full_recompute);
    tcase_add_test(tc, test_recalc_csum_after_nat_rewrite_of_captured_packets);
    tcase_add_test(tc, test_crc32c_check_value_and_sctp_packet);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
