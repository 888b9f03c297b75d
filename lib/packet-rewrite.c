/* Header field rewrites with checksum fixups. */
#include <config.h>
#include "packet-rewrite.h"

#include <endian.h>
#include <errno.h>
#include <string.h>
#include "csum.h"
#include "dp-packet.h"

#define IP_CSUM(IP) ((uint8_t *) (IP) + offsetof(struct ip_header, ip_csum))

/* The parsed L3 header, or NULL if there is not one of 'len' bytes. */
static void *
l3_header(const struct dp_packet *b, size_t len)
{
    return dp_packet_l3_size(b) >= len ? dp_packet_l3(b) : NULL;
}

static struct ip_header *
ipv4_header(const struct dp_packet *b)
{
    struct ip_header *ip = l3_header(b, IP_HEADER_LEN);
    return ip && IP_VER(ip->ip_ihl_ver) == 4 ? ip : NULL;
}

static struct ipv6_header *
ipv6_header(const struct dp_packet *b)
{
    struct ipv6_header *ip6 = l3_header(b, IPV6_HEADER_LEN);
    return ip6 && (((const uint8_t *) ip6)[0] >> 4) == 6 ? ip6 : NULL;
}

/* The protocol of the L4 header flow_extract() found, or -1 if none.  For
 * IPv6 it walks the extension headers again up to l4_ofs (flow_extract()
 * validated them), so no field in dp_packet has to carry it. */
static int
l4_proto(const struct dp_packet *b)
{
    const uint8_t *data = dp_packet_data(b);
    const struct ipv6_header *ip6;
    const struct ip_header *ip;
    size_t ofs;
    uint8_t nxt;

    if (b->l4_ofs == DP_PACKET_OFS_NONE) {
        return -1;
    }
    ip = ipv4_header(b);
    if (ip) {
        return ip->ip_proto;
    }
    ip6 = ipv6_header(b);
    if (!ip6) {
        return -1;
    }
    nxt = ip6->ip6_nxt;
    for (ofs = b->l3_ofs + IPV6_HEADER_LEN; ofs < b->l4_ofs; ) {
        if (ofs + 2 > b->size) {
            return -1;
        }
        if (nxt == IPPROTO_FRAGMENT) {
            nxt = data[ofs];
            ofs += IPV6_FRAG_HEADER_LEN;
        } else if (nxt == IPPROTO_AH) {
            nxt = data[ofs];
            ofs += (data[ofs + 1] + 2) * 4;
        } else {
            nxt = data[ofs];
            ofs += (data[ofs + 1] + 1) * 8;
        }
    }
    return ofs == b->l4_ofs ? nxt : -1;
}

/* Length of the L4 segment by the IP header (excludes Ethernet padding). */
static size_t
l4_len(const struct dp_packet *b)
{
    const struct ip_header *ip = ipv4_header(b);
    size_t end;

    if (ip) {
        end = b->l3_ofs + ntohs(ip->ip_tot_len);
    } else {
        const struct ipv6_header *ip6 = ipv6_header(b);
        end = b->l3_ofs + IPV6_HEADER_LEN + ntohs(ip6->ip6_plen);
    }
    end = MIN(end, b->size);
    return end > b->l4_ofs ? end - b->l4_ofs : 0;
}

/* The L4 header if it is 'proto' and at least 'len' bytes, else NULL. */
static void *
l4_header(const struct dp_packet *b, int proto, size_t len)
{
    return l4_proto(b) == proto && l4_len(b) >= len ? dp_packet_l4(b) : NULL;
}

/* Where the checksum that covers the pseudo-header lives, or NULL if the
 * L4 protocol has none (or it is a UDP checksum of 0, meaning "none"). */
static void *
pseudo_csum_field(const struct dp_packet *b, bool ipv6)
{
    int proto = l4_proto(b);
    uint8_t *l4 = dp_packet_l4(b);
    size_t size = proto >= 0 ? l4_len(b) : 0;

    if (proto == IPPROTO_TCP && size >= TCP_HEADER_LEN) {
        return l4 + offsetof(struct tcp_header, tcp_csum);
    } else if (proto == IPPROTO_UDP && size >= UDP_HEADER_LEN) {
        uint8_t *f = l4 + offsetof(struct udp_header, udp_csum);
        vs_be16 v;
        memcpy(&v, f, 2);
        return v ? f : NULL;
    } else if (proto == IPPROTO_ICMPV6 && ipv6 && size >= ICMP6_HEADER_LEN) {
        return l4 + offsetof(struct icmp6_header, icmp6_cksum);
    }
    return NULL;
}

/* 'field' points to a checksum at any alignment. */
static void
update_csum16(void *field, vs_be16 old, vs_be16 new, bool udp)
{
    vs_be16 c;

    memcpy(&c, field, 2);
    c = recalc_csum16(c, old, new);
    if (udp && !c) {
        c = 0xffff;                     /* 0 would mean "no checksum". */
    }
    memcpy(field, &c, 2);
}

static void
update_csum32(void *field, vs_be32 old, vs_be32 new, bool udp)
{
    update_csum16(field, old & 0xffff, new & 0xffff, false);
    update_csum16(field, old >> 16, new >> 16, udp);
}

static void
update_csum128(void *field, const void *old_, const void *new_, bool udp)
{
    const uint8_t *old = old_, *new = new_;

    for (int i = 0; i < 16; i += 2) {
        vs_be16 o, n;
        memcpy(&o, old + i, 2);
        memcpy(&n, new + i, 2);
        update_csum16(field, o, n, udp && i == 14);
    }
}

int
packet_set_eth(struct dp_packet *b, struct eth_addr src, struct eth_addr dst)
{
    struct eth_header *eth = dp_packet_eth(b);

    if (!eth || b->source == DPBUF_CONST) {
        return EINVAL;
    }
    eth->eth_src = src;
    eth->eth_dst = dst;
    return 0;
}

/* Sets the IPv4 address at 'ofs' (of ip_src or ip_dst) in header 'ip'. */
static void
ipv4_set_addr(struct dp_packet *b, struct ip_header *ip, size_t ofs, vs_be32 new)
{
    uint8_t *addr = (uint8_t *) ip + ofs;
    void *l4_csum = pseudo_csum_field(b, false);
    vs_be32 old;

    memcpy(&old, addr, 4);
    if (old == new) {
        return;
    }
    if (l4_csum) {
        update_csum32(l4_csum, old, new, l4_proto(b) == IPPROTO_UDP);
    }
    update_csum32(IP_CSUM(ip), old, new, false);
    memcpy(addr, &new, 4);
}

int
packet_set_ipv4(struct dp_packet *b, vs_be32 src, vs_be32 dst,
                uint8_t tos, uint8_t ttl)
{
    struct ip_header *ip = ipv4_header(b);
    uint8_t *hdr = (uint8_t *) ip;
    vs_be16 old, new;

    if (!ip || b->source == DPBUF_CONST) {
        return EINVAL;
    }
    ipv4_set_addr(b, ip, offsetof(struct ip_header, ip_src), src);
    ipv4_set_addr(b, ip, offsetof(struct ip_header, ip_dst), dst);

    /* TOS shares a 16-bit word with version/IHL, TTL with the protocol. */
    memcpy(&old, hdr, 2);
    hdr[1] = tos;
    memcpy(&new, hdr, 2);
    update_csum16(IP_CSUM(ip), old, new, false);

    memcpy(&old, hdr + 8, 2);
    hdr[8] = ttl;
    memcpy(&new, hdr + 8, 2);
    update_csum16(IP_CSUM(ip), old, new, false);
    return 0;
}

int
packet_set_ipv6(struct dp_packet *b, const struct in6_addr *src,
                const struct in6_addr *dst, uint8_t tc, vs_be32 label,
                uint8_t hlim)
{
    struct ipv6_header *ip6 = ipv6_header(b);
    void *l4_csum;
    uint32_t vtcfl;
    bool udp;

    if (!ip6 || b->source == DPBUF_CONST) {
        return EINVAL;
    }
    l4_csum = pseudo_csum_field(b, true);
    udp = l4_proto(b) == IPPROTO_UDP;
    if (l4_csum) {
        update_csum128(l4_csum, &ip6->ip6_src, src, udp);
        update_csum128(l4_csum, &ip6->ip6_dst, dst, udp);
    }
    memcpy(&ip6->ip6_src, src, sizeof *src);
    memcpy(&ip6->ip6_dst, dst, sizeof *dst);

    vtcfl = htonl((6u << 28) | ((uint32_t) tc << 20)
                  | (ntohl(label) & IPV6_LABEL_MASK));
    memcpy(&ip6->ip6_vtcfl, &vtcfl, 4);
    ip6->ip6_hlim = hlim;
    return 0;
}

static int
set_ports(struct dp_packet *b, int proto, size_t hlen, size_t csum_ofs,
          vs_be16 src, vs_be16 dst)
{
    uint8_t *l4 = l4_header(b, proto, hlen);
    vs_be16 old_src, old_dst, csum;
    bool udp = proto == IPPROTO_UDP;

    if (!l4 || b->source == DPBUF_CONST) {
        return EINVAL;
    }
    memcpy(&old_src, l4, 2);
    memcpy(&old_dst, l4 + 2, 2);
    memcpy(l4, &src, 2);
    memcpy(l4 + 2, &dst, 2);
    memcpy(&csum, l4 + csum_ofs, 2);
    if (!udp || csum) {
        update_csum16(l4 + csum_ofs, old_src, src, false);
        update_csum16(l4 + csum_ofs, old_dst, dst, udp);
    }
    return 0;
}

int
packet_set_tcp_port(struct dp_packet *b, vs_be16 src, vs_be16 dst)
{
    return set_ports(b, IPPROTO_TCP, TCP_HEADER_LEN,
                     offsetof(struct tcp_header, tcp_csum), src, dst);
}

int
packet_set_udp_port(struct dp_packet *b, vs_be16 src, vs_be16 dst)
{
    return set_ports(b, IPPROTO_UDP, UDP_HEADER_LEN,
                     offsetof(struct udp_header, udp_csum), src, dst);
}

int
packet_set_sctp_port(struct dp_packet *b, vs_be16 src, vs_be16 dst)
{
    struct sctp_header *sh = l4_header(b, IPPROTO_SCTP, SCTP_HEADER_LEN);
    size_t len;
    uint32_t crc;

    if (!sh || b->source == DPBUF_CONST) {
        return EINVAL;
    }
    sh->sctp_src = src;
    sh->sctp_dst = dst;
    /* CRC32c has no incremental form worth having: recompute. */
    len = l4_len(b);
    sh->sctp_csum = 0;
    crc = htole32(crc32c(sh, len));
    sh->sctp_csum = crc;
    return 0;
}

int
packet_set_icmp(struct dp_packet *b, uint8_t type, uint8_t code)
{
    bool ipv6 = ipv6_header(b) != NULL;
    uint8_t *l4 = l4_header(b, ipv6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP,
                            ipv6 ? ICMP6_HEADER_LEN : ICMP_HEADER_LEN);
    vs_be16 old, new;

    if (!l4 || b->source == DPBUF_CONST) {
        return EINVAL;
    }
    memcpy(&old, l4, 2);
    l4[0] = type;
    l4[1] = code;
    memcpy(&new, l4, 2);
    update_csum16(l4 + 2, old, new, false);
    return 0;
}
