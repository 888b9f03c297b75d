/* Unit tests for datapath/dp-rewrite: the rewrite actions of userspace
 * execute change the right bytes and leave every checksum valid, checked
 * against a checksum recomputed from scratch here. */
#include <config.h>
#include <check.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include "datapath/dp-rewrite.h"

/* Reference one's complement sum of big-endian words. */
static uint32_t
sum_bytes(uint32_t s, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i + 1 < n; i += 2) {
        s += p[i] << 8 | p[i + 1];
    }
    if (n & 1) {
        s += p[n - 1] << 8;
    }
    return s;
}

static uint16_t
fold(uint32_t s)
{
    while (s >> 16) {
        s = (s & 0xffff) + (s >> 16);
    }
    return s;
}

static uint16_t get16(const uint8_t *p) { return p[0] << 8 | p[1]; }
static void put16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = v; }

/* Frame layout built by make_frame(). */
struct frame {
    uint8_t b[256];
    size_t len, l3, l4;
    uint8_t proto;
    bool v6;
};

/* Pseudo-header plus L4 sum; 0xffff when the checksum is right. */
static uint16_t
l4_sum(const struct frame *f)
{
    size_t l4_len = f->len - f->l4;
    uint32_t s;
    if (f->v6) {
        s = sum_bytes(0, f->b + f->l3 + 8, 32);
    } else {
        s = sum_bytes(0, f->b + f->l3 + 12, 8);
    }
    s += f->proto + l4_len;
    return fold(sum_bytes(s, f->b + f->l4, l4_len));
}

static uint16_t
ip_sum(const struct frame *f)
{
    return fold(sum_bytes(0, f->b + f->l3, 20));
}

/* A frame with valid checksums: IPv4 or IPv6, optionally VLAN-tagged,
 * carrying 'proto' (6, 17 or 1) with 'payload' bytes after its header. */
static void
make_frame(struct frame *f, bool v6, bool vlan, uint8_t proto, size_t payload)
{
    static const uint8_t macs[12] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 };
    memset(f, 0, sizeof *f);
    memcpy(f->b, macs, 12);
    size_t o = 12;
    if (vlan) {
        put16(f->b + 12, 0x8100);
        put16(f->b + 14, 10);
        o = 16;
    }
    put16(f->b + o, v6 ? 0x86dd : 0x0800);
    f->l3 = o + 2;
    f->v6 = v6;
    f->proto = proto;
    size_t l4_hdr = proto == 6 ? 20 : 8;
    uint8_t *ip = f->b + f->l3;
    f->l4 = f->l3 + (v6 ? 40 : 20);
    f->len = f->l4 + l4_hdr + payload;
    if (v6) {
        ip[0] = 0x60 | 0x0a;    /* Traffic class 0xab, flow label 0xcdef1. */
        ip[1] = 0xbc;
        ip[2] = 0xde;
        ip[3] = 0xf1;
        put16(ip + 4, l4_hdr + payload);
        ip[6] = proto;
        ip[7] = 64;
        for (int i = 0; i < 32; i++) {
            ip[8 + i] = 0x20 + i * 7;
        }
    } else {
        ip[0] = 0x45;
        ip[1] = 0x10;
        put16(ip + 2, 20 + l4_hdr + payload);
        put16(ip + 4, 0x1234);
        ip[8] = 64;
        ip[9] = proto;
        memcpy(ip + 12, "\x0a\x01\x00\x01\x0a\x01\x00\x02", 8);
        put16(ip + 10, ~fold(sum_bytes(0, ip, 20)));
    }
    uint8_t *l4 = f->b + f->l4;
    for (size_t i = 0; i < l4_hdr + payload; i++) {
        l4[i] = 0x11 * (i + 3);
    }
    if (proto == 6 || proto == 17) {
        put16(l4, 40000);
        put16(l4 + 2, 5201);
    }
    if (proto == 17) {
        put16(l4 + 4, 8 + payload);
    }
    size_t cofs = proto == 6 ? 16 : proto == 17 ? 6 : 2;
    put16(l4 + cofs, 0);
    uint16_t c = ~l4_sum(f);
    if (proto == 1) {           /* ICMP: no pseudo-header. */
        c = ~fold(sum_bytes(0, l4, l4_hdr + payload));
    }
    put16(l4 + cofs, proto == 17 && !c ? 0xffff : c);
}

static void
check_valid(const struct frame *f)
{
    if (!f->v6) {
        ck_assert_uint_eq(ip_sum(f), 0xffff);
    }
    if (f->proto == 6 || f->proto == 17) {
        ck_assert_uint_eq(l4_sum(f), 0xffff);
    }
}

static struct dp_action
act_ipv4(uint16_t type, const char *addr)
{
    struct dp_action a;
    memset(&a, 0, sizeof a);
    a.type = type;
    ck_assert_int_eq(inet_pton(AF_INET, addr, &a.ipv4), 1);
    return a;
}

static struct dp_action
act_port(uint16_t type, uint16_t port)
{
    struct dp_action a;
    memset(&a, 0, sizeof a);
    a.type = type;
    a.tp_port = htons(port);
    return a;
}

START_TEST(test_rewrite_ipv4_addresses_and_ports)
{
    for (int vlan = 0; vlan < 2; vlan++) {
        for (int udp = 0; udp < 2; udp++) {
            struct frame f;
            make_frame(&f, false, vlan, udp ? 17 : 6, 33);
            check_valid(&f);
            struct dp_action a = act_ipv4(DP_ACT_SET_IPV4_DST, "192.168.7.9");
            ck_assert(dp_rewrite(f.b, f.len, &a));
            ck_assert(!memcmp(f.b + f.l3 + 16, "\xc0\xa8\x07\x09", 4));
            check_valid(&f);
            a = act_ipv4(DP_ACT_SET_IPV4_SRC, "255.255.0.1");
            ck_assert(dp_rewrite(f.b, f.len, &a));
            ck_assert(!memcmp(f.b + f.l3 + 12, "\xff\xff\x00\x01", 4));
            check_valid(&f);
            a = act_port(DP_ACT_SET_TP_DST, 80);
            ck_assert(dp_rewrite(f.b, f.len, &a));
            ck_assert_uint_eq(get16(f.b + f.l4 + 2), 80);
            check_valid(&f);
            a = act_port(DP_ACT_SET_TP_SRC, 65535);
            ck_assert(dp_rewrite(f.b, f.len, &a));
            ck_assert_uint_eq(get16(f.b + f.l4), 65535);
            ck_assert_uint_eq(get16(f.b + f.l4 + 2), 80);
            check_valid(&f);
        }
    }
}
END_TEST

/* Many random rewrites in a row keep the checksums valid, including the
 * corner where a UDP checksum computes to 0 and must be sent as 0xffff. */
START_TEST(test_rewrite_random_sequences)
{
    srand(12345);
    for (int round = 0; round < 2000; round++) {
        struct frame f;
        bool udp = round & 1;
        make_frame(&f, false, round & 2, udp ? 17 : 6, rand() % 40);
        for (int k = 0; k < 6; k++) {
            struct dp_action a;
            memset(&a, 0, sizeof a);
            switch (rand() % 6) {
            case 0: a.type = DP_ACT_SET_IPV4_SRC; a.ipv4 = rand(); break;
            case 1: a.type = DP_ACT_SET_IPV4_DST; a.ipv4 = rand(); break;
            case 2: a.type = DP_ACT_SET_TP_SRC; a.tp_port = rand(); break;
            case 3: a.type = DP_ACT_SET_TP_DST; a.tp_port = rand(); break;
            case 4: a.type = DP_ACT_SET_IP_TTL; a.ttl = rand(); break;
            default:
                a.type = DP_ACT_SET_IP_TOS;
                a.tos_mask = rand() | 1;
                a.tos = rand() & a.tos_mask;
                break;
            }
            ck_assert(dp_rewrite(f.b, f.len, &a));
            check_valid(&f);
            if (udp) {
                ck_assert_uint_ne(get16(f.b + f.l4 + 6), 0);
            }
        }
    }
}
END_TEST

/* The one port value whose UDP checksum computes to 0 gets 0xffff (0
 * would mean "no checksum"). */
START_TEST(test_rewrite_udp_checksum_never_becomes_none)
{
    struct frame f;
    make_frame(&f, false, false, 17, 7);
    uint16_t c = get16(f.b + f.l4 + 6), old = get16(f.b + f.l4);

    /* The source port whose correct checksum, computed from scratch,
     * would be 0 (RFC 1624: ~C + ~old + new sums to 0xffff). */
    uint32_t port = 0;
    while (port <= 0xffff
           && fold((uint16_t) ~c + (uint16_t) ~old + port) != 0xffff) {
        port++;
    }
    ck_assert_uint_le(port, 0xffff);
    struct dp_action a = act_port(DP_ACT_SET_TP_SRC, port);
    ck_assert(dp_rewrite(f.b, f.len, &a));
    ck_assert_uint_eq(get16(f.b + f.l4 + 6), 0xffff);
    check_valid(&f);
    put16(f.b + f.l4 + 6, 0);
    ck_assert_uint_eq(l4_sum(&f), 0xffff);      /* Really computes to 0. */
}
END_TEST

START_TEST(test_rewrite_udp_without_checksum_keeps_none)
{
    struct frame f;
    make_frame(&f, false, false, 17, 10);
    put16(f.b + f.l4 + 6, 0);
    struct dp_action a = act_ipv4(DP_ACT_SET_IPV4_SRC, "10.9.9.9");
    ck_assert(dp_rewrite(f.b, f.len, &a));
    a = act_port(DP_ACT_SET_TP_DST, 53);
    ck_assert(dp_rewrite(f.b, f.len, &a));
    ck_assert_uint_eq(get16(f.b + f.l4 + 6), 0);
    ck_assert_uint_eq(get16(f.b + f.l4 + 2), 53);
    ck_assert_uint_eq(ip_sum(&f), 0xffff);
}
END_TEST

START_TEST(test_rewrite_tos_ttl)
{
    struct frame f;
    make_frame(&f, false, false, 6, 0);
    struct dp_action a = { .type = DP_ACT_SET_IP_TOS };
    a.tos = 0xb8;
    a.tos_mask = 0xfc;          /* DSCP only: ECN bits stay. */
    f.b[f.l3 + 1] = 0x13;
    put16(f.b + f.l3 + 10, 0);
    put16(f.b + f.l3 + 10, ~fold(sum_bytes(0, f.b + f.l3, 20)));
    ck_assert(dp_rewrite(f.b, f.len, &a));
    ck_assert_uint_eq(f.b[f.l3 + 1], 0xbb);
    check_valid(&f);
    struct dp_action t = { .type = DP_ACT_SET_IP_TTL };
    t.ttl = 1;
    ck_assert(dp_rewrite(f.b, f.len, &t));
    ck_assert_uint_eq(f.b[f.l3 + 8], 1);
    check_valid(&f);

    /* IPv6: traffic class across bytes 0-1, flow label untouched. */
    make_frame(&f, true, true, 17, 5);
    a.tos = 0x28;
    a.tos_mask = 0xff;
    ck_assert(dp_rewrite(f.b, f.len, &a));
    ck_assert_uint_eq(f.b[f.l3], 0x62);
    ck_assert_uint_eq(f.b[f.l3 + 1], 0x8c);
    ck_assert_uint_eq(f.b[f.l3 + 2], 0xde);
    t.ttl = 9;
    ck_assert(dp_rewrite(f.b, f.len, &t));
    ck_assert_uint_eq(f.b[f.l3 + 7], 9);
    check_valid(&f);
    struct dp_action p = act_port(DP_ACT_SET_TP_SRC, 7);
    ck_assert(dp_rewrite(f.b, f.len, &p));
    check_valid(&f);
    /* No IPv6 address rewrites in the encoding: set_ipv4_* is refused. */
    struct frame before = f;
    p = act_ipv4(DP_ACT_SET_IPV4_DST, "1.2.3.4");
    ck_assert(!dp_rewrite(f.b, f.len, &p));
    ck_assert(!memcmp(&before, &f, sizeof f));
}
END_TEST

START_TEST(test_rewrite_not_applicable_leaves_frame)
{
    struct frame f, before;
    make_frame(&f, false, false, 1, 20);        /* ICMP */
    before = f;
    struct dp_action a = act_port(DP_ACT_SET_TP_DST, 80);
    ck_assert(!dp_rewrite(f.b, f.len, &a));
    ck_assert(!memcmp(&before, &f, sizeof f));
    /* ICMP has no pseudo-header: only the IP checksum changes. */
    a = act_ipv4(DP_ACT_SET_IPV4_DST, "10.1.0.3");
    ck_assert(dp_rewrite(f.b, f.len, &a));
    ck_assert(!memcmp(f.b + f.l4, before.b + f.l4, f.len - f.l4));
    check_valid(&f);

    /* A later fragment has no L4 header to fix or rewrite. */
    make_frame(&f, false, false, 17, 20);
    put16(f.b + f.l3 + 6, 0x00b9);
    put16(f.b + f.l3 + 10, 0);
    put16(f.b + f.l3 + 10, ~fold(sum_bytes(0, f.b + f.l3, 20)));
    before = f;
    a = act_port(DP_ACT_SET_TP_DST, 80);
    ck_assert(!dp_rewrite(f.b, f.len, &a));
    ck_assert(!memcmp(&before, &f, sizeof f));
    a = act_ipv4(DP_ACT_SET_IPV4_SRC, "10.7.7.7");
    ck_assert(dp_rewrite(f.b, f.len, &a));
    ck_assert(!memcmp(f.b + f.l4, before.b + f.l4, f.len - f.l4));
    ck_assert_uint_eq(ip_sum(&f), 0xffff);

    /* ARP: no IP rewrites, Ethernet ones work; truncated frames refused. */
    uint8_t arp[42] = { 0 };
    arp[12] = 0x08;
    arp[13] = 0x06;
    ck_assert(!dp_rewrite(arp, sizeof arp, &a));
    struct dp_action e = { .type = DP_ACT_SET_ETH_DST };
    memcpy(e.mac, "\xaa\xbb\xcc\xdd\xee\xff", 6);
    ck_assert(dp_rewrite(arp, sizeof arp, &e));
    ck_assert(!memcmp(arp, "\xaa\xbb\xcc\xdd\xee\xff", 6));
    e.type = DP_ACT_SET_ETH_SRC;
    ck_assert(dp_rewrite(arp, sizeof arp, &e));
    ck_assert(!memcmp(arp + 6, "\xaa\xbb\xcc\xdd\xee\xff", 6));
    ck_assert(!dp_rewrite(arp, 13, &e));
    make_frame(&f, false, false, 6, 0);
    before = f;
    a = act_port(DP_ACT_SET_TP_DST, 80);
    ck_assert(!dp_rewrite(f.b, f.l4 + 10, &a));  /* TCP header cut short. */
    ck_assert(!memcmp(&before, &f, sizeof f));
    ck_assert(!dp_action_is_rewrite(DP_ACT_OUTPUT));
    ck_assert(dp_action_is_rewrite(DP_ACT_SET_IP_TTL));
}
END_TEST

/* An Ethernet/IPv4 frame of 'n' bytes, optionally with an 802.1Q tag. */
static size_t
ip_frame(uint8_t *b, bool tagged)
{
    static const uint8_t macs[12] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 };
    size_t ofs = 12;
    memcpy(b, macs, 12);
    if (tagged) {
        put16(b + 12, 0x8100);
        put16(b + 14, 10);
        ofs = 16;
    }
    put16(b + ofs, 0x0800);
    for (size_t i = 0; i < 20; i++) {
        b[ofs + 2 + i] = 0x45 + i;
    }
    return ofs + 22;
}

START_TEST(test_mpls_push_set_pop_round_trip)
{
    for (int tagged = 0; tagged < 2; tagged++) {
        uint8_t orig[64], b[64];
        size_t len = ip_frame(orig, tagged), n = len;
        size_t tofs = tagged ? 16 : 12;
        memcpy(b, orig, len);

        struct dp_action push = { .type = DP_ACT_PUSH_MPLS };
        push.mpls_ethertype = htons(0x8847);
        push.mpls_lse = htonl(100 << 12 | 1 << 8 | 64);
        ck_assert(dp_mpls_push_pop(b, &n, sizeof b, &push));
        ck_assert_uint_eq(n, len + 4);
        ck_assert_uint_eq(get16(b + tofs), 0x8847);
        ck_assert_uint_eq(get16(b + tofs + 2), (100 << 12 | 1 << 8 | 64) >> 16);
        ck_assert_uint_eq(get16(b + tofs + 4), (100 << 12 | 1 << 8 | 64) & 0xffff);
        ck_assert(!memcmp(b, orig, tofs));              /* L2 stays. */
        ck_assert(!memcmp(b + tofs + 6, orig + tofs + 2, 20));

        struct dp_action set = { .type = DP_ACT_SET_MPLS };
        set.mpls_lse = htonl(7 << 12 | 1 << 8 | 5);
        ck_assert(dp_action_is_rewrite(DP_ACT_SET_MPLS));
        ck_assert(dp_rewrite(b, n, &set));
        ck_assert_uint_eq(get16(b + tofs + 4), 7 << 12 | 1 << 8 | 5);
        ck_assert_uint_eq(get16(b + tofs + 2), 0);

        struct dp_action pop = { .type = DP_ACT_POP_MPLS };
        pop.mpls_ethertype = htons(0x0800);
        ck_assert(dp_mpls_push_pop(b, &n, sizeof b, &pop));
        ck_assert_uint_eq(n, len);
        ck_assert(!memcmp(b, orig, len));

        /* Nothing to pop or set now; a push without room fails. */
        ck_assert(!dp_mpls_push_pop(b, &n, sizeof b, &pop));
        ck_assert(!dp_rewrite(b, n, &set));
        ck_assert(!dp_mpls_push_pop(b, &n, n + 3, &push));
        ck_assert(!memcmp(b, orig, len));
    }
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("dp-rewrite");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_rewrite_ipv4_addresses_and_ports);
    tcase_add_test(tc, test_rewrite_random_sequences);
    tcase_add_test(tc, test_rewrite_udp_without_checksum_keeps_none);
    tcase_add_test(tc, test_rewrite_udp_checksum_never_becomes_none);
    tcase_add_test(tc, test_rewrite_tos_ttl);
    tcase_add_test(tc, test_rewrite_not_applicable_leaves_frame);
    tcase_add_test(tc, test_mpls_push_set_pop_round_trip);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
