/* flow_extract(): parses a frame into a struct flow.
 *
 * Every read goes through pull() or peek(), which check the bytes left,
 * so a truncated or malformed frame stops the parse where it went wrong and
 * leaves the fields found so far.  Loops are bounded by the frame length
 * and, for IPv6 extension headers, by IPV6_MAX_EXT_HEADERS. */
#include <config.h>
#include "flow.h"

#include <string.h>
#include "dp-packet.h"
#include "packets.h"

/* More extension headers than this before the upper layer make the chain
 * malformed (no legitimate packet comes close; RFC 8200 expects at most a
 * handful). */
#define IPV6_MAX_EXT_HEADERS 16

struct parser {
    const uint8_t *data;                /* Start of the frame. */
    size_t ofs;                         /* Next byte to parse. */
    size_t end;                         /* End of the current layer. */
};

static inline const void *
peek(const struct parser *p, size_t n)
{
    return p->end - p->ofs >= n ? p->data + p->ofs : NULL;
}

static inline const void *
pull(struct parser *p, size_t n)
{
    const void *h = peek(p, n);
    if (h) {
        p->ofs += n;
    }
    return h;
}

static inline vs_be16
get_be16(const void *p)
{
    vs_be16 x;
    memcpy(&x, p, 2);
    return x;
}

static inline uint16_t
ofs16(size_t ofs)
{
    return ofs < DP_PACKET_OFS_NONE ? ofs : DP_PACKET_OFS_NONE;
}

/* Parses the Ethernet type after the MAC addresses and VLAN tags, and any
 * LLC/SNAP header.  Returns false if the frame ends first. */
static bool
parse_l2(struct parser *p, struct flow *flow)
{
    const struct eth_header *eth = pull(p, 2 * ETH_ADDR_LEN);
    const vs_be16 *typep;
    vs_be16 type;

    if (!eth) {
        return false;
    }
    flow->dl_dst = eth->eth_dst;
    flow->dl_src = eth->eth_src;
    if (!(typep = pull(p, 2))) {
        return false;
    }
    type = get_be16(typep);

    for (int n = 0; eth_type_vlan(type); n++) {
        const struct vlan_header *vh;

        if (n == FLOW_MAX_VLAN_HEADERS || !(vh = pull(p, VLAN_HEADER_LEN))) {
            /* Too many tags, or a cut tag: the TPID is all we know. */
            flow->dl_type = type;
            return false;
        }
        flow->vlans[n].tpid = type;
        flow->vlans[n].tci = get_be16(&vh->vlan_tci) | htons(VLAN_CFI);
        type = get_be16(&vh->vlan_next_type);
    }

    if (ntohs(type) >= ETH_TYPE_MIN) {
        flow->dl_type = type;
        return true;
    }

    /* 802.3: a length, then LLC; only SNAP with a zero OUI carries a type. */
    const struct llc_snap_header *llc = peek(p, LLC_HEADER_LEN + SNAP_HEADER_LEN);
    if (llc && llc->llc.llc_dsap == LLC_DSAP_SNAP
        && llc->llc.llc_ssap == LLC_SSAP_SNAP
        && llc->llc.llc_cntl == LLC_CNTL_SNAP
        && !(llc->snap.snap_org[0] | llc->snap.snap_org[1] | llc->snap.snap_org[2])
        && ntohs(get_be16(&llc->snap.snap_type)) >= ETH_TYPE_MIN) {
        flow->dl_type = get_be16(&llc->snap.snap_type);
        p->ofs += LLC_HEADER_LEN + SNAP_HEADER_LEN;
        return true;
    }
    flow->dl_type = htons(FLOW_DL_TYPE_NONE);
    return false;
}

static void
parse_mpls(struct parser *p, struct flow *flow)
{
    for (int i = 0; i < FLOW_MAX_MPLS_LABELS; i++) {
        const struct mpls_hdr *mh = pull(p, MPLS_HLEN);
        vs_be32 lse;

        if (!mh) {
            break;
        }
        memcpy(&lse, &mh->mpls_lse, 4);
        flow->mpls_lse[i] = lse;
        if (lse & htonl(MPLS_BOS_MASK)) {
            break;
        }
    }
}

static void
parse_arp(struct parser *p, struct flow *flow)
{
    const struct arp_eth_header *arp = peek(p, ARP_ETH_HEADER_LEN);

    if (!arp
        || arp->ar_hrd != htons(ARP_HRD_ETHERNET)
        || arp->ar_pro != htons(ARP_PRO_IP)
        || arp->ar_hln != ETH_ADDR_LEN || arp->ar_pln != 4) {
        return;
    }
    /* Opcodes above 255 do not fit nw_proto: leave it 0. */
    if (ntohs(arp->ar_op) <= 0xff) {
        flow->nw_proto = ntohs(arp->ar_op);
    }
    memcpy(&flow->nw_src, &arp->ar_spa, 4);
    memcpy(&flow->nw_dst, &arp->ar_tpa, 4);
    flow->arp_sha = arp->ar_sha;
    flow->arp_tha = arp->ar_tha;
}

/* Parses an IPv4 header; returns false if L4 must not be parsed. */
static bool
parse_ipv4(struct parser *p, struct flow *flow)
{
    const struct ip_header *ip = peek(p, IP_HEADER_LEN);
    size_t hlen, tot_len;

    if (!ip || IP_VER(ip->ip_ihl_ver) != 4) {
        return false;
    }
    hlen = IP_IHL(ip->ip_ihl_ver) * 4;
    tot_len = ntohs(get_be16(&ip->ip_tot_len));
    if (hlen < IP_HEADER_LEN || hlen > tot_len || tot_len > p->end - p->ofs) {
        return false;                   /* Bad IHL or total length. */
    }

    memcpy(&flow->nw_src, &ip->ip_src, 4);
    memcpy(&flow->nw_dst, &ip->ip_dst, 4);
    flow->nw_proto = ip->ip_proto;
    flow->nw_tos = ip->ip_tos;
    flow->nw_ttl = ip->ip_ttl;
    if (ip_is_fragment(get_be16(&ip->ip_frag_off))) {
        flow->nw_frag = FLOW_NW_FRAG_ANY;
        if (get_be16(&ip->ip_frag_off) & htons(IP_FRAG_OFF_MASK)) {
            flow->nw_frag |= FLOW_NW_FRAG_LATER;
        }
    }
    /* Ethernet padding after the datagram is not L4 payload. */
    p->end = p->ofs + tot_len;
    p->ofs += hlen;
    return !(flow->nw_frag & FLOW_NW_FRAG_LATER);
}

/* Walks the IPv6 extension header chain starting with 'nxt' and sets
 * nw_proto and nw_frag.  Returns false if L4 must not be parsed: a later
 * fragment, or a truncated, too long or otherwise malformed chain (then
 * nw_proto is left 0). */
static bool
parse_ipv6_ext_headers(struct parser *p, struct flow *flow, uint8_t nxt)
{
    for (int i = 0; i <= IPV6_MAX_EXT_HEADERS; i++) {
        const struct ipv6_ext_header *eh;
        size_t len;

        switch (nxt) {
        case IPPROTO_HOPOPTS:
        case IPPROTO_ROUTING:
        case IPPROTO_DSTOPTS:
        case IPPROTO_AH:
            break;
        case IPPROTO_FRAGMENT: {
            const struct ipv6_frag_header *fh = pull(p, IPV6_FRAG_HEADER_LEN);
            if (!fh || i == IPV6_MAX_EXT_HEADERS) {
                return false;
            }
            flow->nw_frag = FLOW_NW_FRAG_ANY;
            nxt = fh->ip6f_nxt;
            if (get_be16(&fh->ip6f_offlg) & htons(IP6F_OFF_MASK)) {
                /* What follows is the middle of some header, not L4: say
                 * "fragment" as OVS and the kernel datapath do. */
                flow->nw_frag |= FLOW_NW_FRAG_LATER;
                flow->nw_proto = IPPROTO_FRAGMENT;
                return false;
            }
            continue;
        }
        default:
            /* Upper layer (or ESP/No Next Header, which end the chain). */
            flow->nw_proto = nxt;
            return nxt != IPPROTO_NONE;
        }

        if (i == IPV6_MAX_EXT_HEADERS || !(eh = peek(p, 2))) {
            return false;
        }
        len = nxt == IPPROTO_AH ? (eh->ip6e_len + 2) * 4 : (eh->ip6e_len + 1) * 8;
        nxt = eh->ip6e_nxt;
        if (!pull(p, len)) {
            return false;
        }
    }
    return false;
}

/* Parses an IPv6 header and its extension headers; returns false if L4
 * must not be parsed. */
static bool
parse_ipv6(struct parser *p, struct flow *flow)
{
    const struct ipv6_header *ip6 = peek(p, IPV6_HEADER_LEN);
    uint32_t vtcfl;
    size_t plen;

    if (!ip6) {
        return false;
    }
    memcpy(&vtcfl, &ip6->ip6_vtcfl, 4);
    vtcfl = ntohl(vtcfl);
    plen = ntohs(get_be16(&ip6->ip6_plen));
    if (vtcfl >> 28 != 6 || plen > p->end - p->ofs - IPV6_HEADER_LEN) {
        return false;                   /* Bad version or payload length. */
    }

    memcpy(&flow->ipv6_src, &ip6->ip6_src, sizeof flow->ipv6_src);
    memcpy(&flow->ipv6_dst, &ip6->ip6_dst, sizeof flow->ipv6_dst);
    flow->ipv6_label = htonl(vtcfl & IPV6_LABEL_MASK);
    flow->nw_tos = vtcfl >> 20;
    flow->nw_ttl = ip6->ip6_hlim;
    p->end = p->ofs + IPV6_HEADER_LEN + plen;
    p->ofs += IPV6_HEADER_LEN;
    return parse_ipv6_ext_headers(p, flow, ip6->ip6_nxt);
}

/* Neighbor solicitation/advertisement: target and link-layer address
 * options.  Malformed options clear both link-layer addresses (the target,
 * from the fixed part, stays). */
static void
parse_nd(struct parser *p, struct flow *flow)
{
    const struct nd_msg *nd = pull(p, ND_MSG_LEN);

    if (!nd || flow->tp_dst != htons(0)) {
        return;
    }
    memcpy(&flow->nd_target, &nd->target, sizeof flow->nd_target);

    while (p->ofs < p->end) {
        const struct nd_opt_header *opt = peek(p, 2);
        size_t len;

        if (!opt || !opt->nd_opt_len || !peek(p, opt->nd_opt_len * 8)) {
            goto invalid;
        }
        len = opt->nd_opt_len * 8;
        if (len == ND_LLA_OPT_LEN
            && (opt->nd_opt_type == ND_OPT_SOURCE_LINKADDR
                || opt->nd_opt_type == ND_OPT_TARGET_LINKADDR)) {
            const struct nd_lla_opt *lla = peek(p, ND_LLA_OPT_LEN);
            struct eth_addr *dst = (opt->nd_opt_type == ND_OPT_SOURCE_LINKADDR
                                    ? &flow->arp_sha : &flow->arp_tha);
            if (!eth_addr_is_zero(*dst)) {
                goto invalid;           /* The same option twice. */
            }
            *dst = lla->mac;
        }
        p->ofs += len;
    }
    return;

invalid:
    flow->arp_sha = eth_addr_zero;
    flow->arp_tha = eth_addr_zero;
}

static void
parse_l4(struct parser *p, struct flow *flow, bool ipv6)
{
    switch (flow->nw_proto) {
    case IPPROTO_TCP: {
        const struct tcp_header *tcp = peek(p, TCP_HEADER_LEN);
        vs_be16 ctl;

        if (tcp) {
            ctl = get_be16(&tcp->tcp_ctl);
            if (TCP_OFFSET(ctl) * 4 >= TCP_HEADER_LEN
                && TCP_OFFSET(ctl) * 4 <= p->end - p->ofs) {
                flow->tp_src = get_be16(&tcp->tcp_src);
                flow->tp_dst = get_be16(&tcp->tcp_dst);
                flow->tcp_flags = TCP_FLAGS_BE16(ctl);
            }
        }
        break;
    }
    case IPPROTO_UDP: {
        const struct udp_header *udp = peek(p, UDP_HEADER_LEN);
        if (udp) {
            flow->tp_src = get_be16(&udp->udp_src);
            flow->tp_dst = get_be16(&udp->udp_dst);
        }
        break;
    }
    case IPPROTO_SCTP: {
        const struct sctp_header *sctp = peek(p, SCTP_HEADER_LEN);
        if (sctp) {
            flow->tp_src = get_be16(&sctp->sctp_src);
            flow->tp_dst = get_be16(&sctp->sctp_dst);
        }
        break;
    }
    case IPPROTO_ICMP: {
        const struct icmp_header *icmp = peek(p, ICMP_HEADER_LEN);
        if (icmp && !ipv6) {
            flow->tp_src = htons(icmp->icmp_type);
            flow->tp_dst = htons(icmp->icmp_code);
        }
        break;
    }
    case IPPROTO_ICMPV6: {
        const struct icmp6_header *icmp6 = peek(p, ICMP6_HEADER_LEN);
        if (icmp6 && ipv6) {
            flow->tp_src = htons(icmp6->icmp6_type);
            flow->tp_dst = htons(icmp6->icmp6_code);
            if (icmp6->icmp6_type == ND_NEIGHBOR_SOLICIT
                || icmp6->icmp6_type == ND_NEIGHBOR_ADVERT) {
                parse_nd(p, flow);
            }
        }
        break;
    }
    default:
        break;
    }
}

void
flow_extract(struct dp_packet *packet, struct flow *flow)
{
    const struct pkt_metadata *md = &packet->md;
    struct parser p = {
        .data = dp_packet_data(packet),
        .ofs = 0,
        .end = dp_packet_size(packet),
    };
    bool l4;

    memset(flow, 0, sizeof *flow);
    flow->tun_id = md->tun_id;
    flow->tun_src = md->tun_src;
    flow->tun_dst = md->tun_dst;
    flow->in_port = md->in_port;
    flow->skb_priority = md->skb_priority;
    flow->pkt_mark = md->pkt_mark;
    flow->recirc_id = md->recirc_id;
    dp_packet_reset_offsets(packet);

    if (!parse_l2(&p, flow)) {
        return;
    }

    if (eth_type_mpls(flow->dl_type)) {
        packet->l2_5_ofs = ofs16(p.ofs);
        parse_mpls(&p, flow);
        return;
    }

    packet->l3_ofs = ofs16(p.ofs);
    switch (ntohs(flow->dl_type)) {
    case ETH_TYPE_IP:
        l4 = parse_ipv4(&p, flow);
        break;
    case ETH_TYPE_IPV6:
        l4 = parse_ipv6(&p, flow);
        break;
    case ETH_TYPE_ARP:
    case ETH_TYPE_RARP:
        parse_arp(&p, flow);
        return;
    default:
        return;
    }
    if (l4) {
        packet->l4_ofs = ofs16(p.ofs);
        parse_l4(&p, flow, flow->dl_type == htons(ETH_TYPE_IPV6));
    }
}
