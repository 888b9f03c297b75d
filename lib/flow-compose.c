/* flow_compose(): a frame from a flow. */
#include <config.h>
#include "flow-compose.h"

#include <endian.h>
#include <string.h>
#include "csum.h"
#include "dp-packet.h"
#include "flow.h"
#include "packets.h"

/* Fragment offset (in 8-byte units) used for "later" fragments. */
#define COMPOSE_LATER_FRAG_OFS 100

static size_t
ofs_of(const struct dp_packet *b, const void *p)
{
    return (const uint8_t *) p - (const uint8_t *) dp_packet_data(b);
}

static void
compose_l2(struct dp_packet *b, const struct flow *flow)
{
    struct eth_addr macs[2] = { flow->dl_dst, flow->dl_src };

    dp_packet_put(b, macs, sizeof macs);
    for (int i = 0; i < FLOW_MAX_VLAN_HEADERS; i++) {
        vs_be16 tpid, tci;

        if (!(flow->vlans[i].tci & htons(VLAN_CFI))) {
            break;
        }
        tpid = flow->vlans[i].tpid ? flow->vlans[i].tpid : htons(ETH_TYPE_VLAN);
        dp_packet_put(b, &tpid, 2);
        /* VLAN_CFI is the "present" bit in a flow; on the wire it is DEI.
         * The next type is the next tag's TPID or dl_type, put next. */
        tci = flow->vlans[i].tci & ~htons(VLAN_CFI);
        dp_packet_put(b, &tci, 2);
    }

    if (ntohs(flow->dl_type) >= ETH_TYPE_MIN) {
        dp_packet_put(b, &flow->dl_type, 2);
    } else if (!flow->dl_type) {
        /* A frame cut before its type: the addresses are all there was. */
    } else {
        /* 802.3 with a plain LLC header (STP's SAPs): no Ethernet type. */
        static const struct llc_header llc = { LLC_DSAP_STP, LLC_DSAP_STP, LLC_CNTL_SNAP };
        vs_be16 len = htons(LLC_HEADER_LEN);

        dp_packet_put(b, &len, 2);
        dp_packet_put(b, &llc, sizeof llc);
    }
}

static void
compose_arp(struct dp_packet *b, const struct flow *flow)
{
    struct arp_eth_header *arp = dp_packet_put_zeros(b, sizeof *arp);

    b->l3_ofs = ofs_of(b, arp);
    arp->ar_hrd = htons(ARP_HRD_ETHERNET);
    arp->ar_pro = htons(ARP_PRO_IP);
    arp->ar_hln = ETH_ADDR_LEN;
    arp->ar_pln = 4;
    arp->ar_op = htons(flow->nw_proto);
    arp->ar_sha = flow->arp_sha;
    arp->ar_spa = flow->nw_src;
    arp->ar_tha = flow->arp_tha;
    arp->ar_tpa = flow->nw_dst;
}

/* Appends the L4 header of 'flow' (if its protocol has one we know) and
 * returns its length; the checksum is filled in by the caller. */
static size_t
compose_l4(struct dp_packet *b, const struct flow *flow, bool ipv6)
{
    size_t start = dp_packet_size(b);

    b->l4_ofs = start;
    switch (flow->nw_proto) {
    case IPPROTO_TCP: {
        struct tcp_header *tcp = dp_packet_put_zeros(b, sizeof *tcp);
        tcp->tcp_src = flow->tp_src;
        tcp->tcp_dst = flow->tp_dst;
        tcp->tcp_ctl = htons((5 << 12) | (ntohs(flow->tcp_flags) & TCP_FLAGS_MASK));
        tcp->tcp_winsz = htons(65535);
        break;
    }
    case IPPROTO_UDP: {
        struct udp_header *udp = dp_packet_put_zeros(b, sizeof *udp);
        udp->udp_src = flow->tp_src;
        udp->udp_dst = flow->tp_dst;
        udp->udp_len = htons(UDP_HEADER_LEN);
        break;
    }
    case IPPROTO_SCTP: {
        struct sctp_header *sh = dp_packet_put_zeros(b, sizeof *sh);
        sh->sctp_src = flow->tp_src;
        sh->sctp_dst = flow->tp_dst;
        sh->sctp_csum = htole32(crc32c(sh, sizeof *sh));
        break;
    }
    case IPPROTO_ICMP:
        if (!ipv6) {
            struct icmp_header *icmp = dp_packet_put_zeros(b, sizeof *icmp);
            icmp->icmp_type = ntohs(flow->tp_src);
            icmp->icmp_code = ntohs(flow->tp_dst);
            icmp->icmp_csum = csum(icmp, sizeof *icmp);
        }
        break;
    case IPPROTO_ICMPV6:
        if (ipv6) {
            uint8_t type = ntohs(flow->tp_src), code = ntohs(flow->tp_dst);

            if (!code && (type == ND_NEIGHBOR_SOLICIT || type == ND_NEIGHBOR_ADVERT)) {
                struct nd_msg *nd = dp_packet_put_zeros(b, sizeof *nd);
                struct nd_lla_opt opt;

                nd->icmph.icmp6_type = type;
                memcpy(&nd->target, &flow->nd_target, sizeof nd->target);
                if (!eth_addr_is_zero(flow->arp_sha)) {
                    opt.type = ND_OPT_SOURCE_LINKADDR;
                    opt.len = 1;
                    opt.mac = flow->arp_sha;
                    dp_packet_put(b, &opt, sizeof opt);
                }
                if (!eth_addr_is_zero(flow->arp_tha)) {
                    opt.type = ND_OPT_TARGET_LINKADDR;
                    opt.len = 1;
                    opt.mac = flow->arp_tha;
                    dp_packet_put(b, &opt, sizeof opt);
                }
            } else {
                struct icmp6_header *icmp6 = dp_packet_put_zeros(b, 8);
                icmp6->icmp6_type = type;
                icmp6->icmp6_code = code;
            }
        }
        break;
    default:
        break;
    }
    if (dp_packet_size(b) == start) {
        b->l4_ofs = DP_PACKET_OFS_NONE;
    }
    return dp_packet_size(b) - start;
}

static void
compose_ipv4(struct dp_packet *b, const struct flow *flow)
{
    size_t l3 = dp_packet_size(b), l4_len = 0;
    struct ip_header *ip;
    uint16_t frag = 0;

    dp_packet_put_zeros(b, sizeof *ip);
    b->l3_ofs = l3;
    if (flow->nw_frag & FLOW_NW_FRAG_ANY) {
        frag = IP_MORE_FRAGMENTS;
        if (flow->nw_frag & FLOW_NW_FRAG_LATER) {
            frag |= COMPOSE_LATER_FRAG_OFS;
        }
    }
    if (!(flow->nw_frag & FLOW_NW_FRAG_LATER)) {
        l4_len = compose_l4(b, flow, false);
    }

    ip = (struct ip_header *) ((uint8_t *) dp_packet_data(b) + l3);
    ip->ip_ihl_ver = IP_IHL_VER(5, 4);
    ip->ip_tos = flow->nw_tos;
    ip->ip_tot_len = htons(IP_HEADER_LEN + l4_len);
    ip->ip_frag_off = htons(frag);
    ip->ip_ttl = flow->nw_ttl;
    ip->ip_proto = flow->nw_proto;
    ip->ip_src = flow->nw_src;
    ip->ip_dst = flow->nw_dst;
    ip->ip_csum = csum(ip, IP_HEADER_LEN);

    if (flow->nw_proto == IPPROTO_TCP && l4_len) {
        struct tcp_header *tcp = dp_packet_l4(b);
        tcp->tcp_csum = packet_csum_l4_ipv4(ip, tcp, l4_len);
    } else if (flow->nw_proto == IPPROTO_UDP && l4_len) {
        struct udp_header *udp = dp_packet_l4(b);
        vs_be16 c = packet_csum_l4_ipv4(ip, udp, l4_len);
        udp->udp_csum = c ? c : 0xffff;
    }
}

static void
compose_ipv6(struct dp_packet *b, const struct flow *flow)
{
    size_t l3 = dp_packet_size(b), plen = 0;
    struct ipv6_header *ip6;
    uint8_t nxt = flow->nw_proto;
    uint32_t vtcfl;

    dp_packet_put_zeros(b, sizeof *ip6);
    b->l3_ofs = l3;
    if (flow->nw_frag & FLOW_NW_FRAG_ANY) {
        struct ipv6_frag_header *fh = dp_packet_put_zeros(b, sizeof *fh);
        bool later = flow->nw_frag & FLOW_NW_FRAG_LATER;

        /* A later fragment's flow has nw_proto 44, not what follows. */
        fh->ip6f_nxt = later ? IPPROTO_NONE : flow->nw_proto;
        fh->ip6f_offlg = htons((later ? COMPOSE_LATER_FRAG_OFS << 3 : 0)
                               | IP6F_MORE_FRAG);
        nxt = IPPROTO_FRAGMENT;
        plen += sizeof *fh;
        if (!later) {
            plen += compose_l4(b, flow, true);
        }
    } else {
        plen += compose_l4(b, flow, true);
    }

    ip6 = (struct ipv6_header *) ((uint8_t *) dp_packet_data(b) + l3);
    vtcfl = htonl((6u << 28) | ((uint32_t) flow->nw_tos << 20)
                  | (ntohl(flow->ipv6_label) & IPV6_LABEL_MASK));
    memcpy(&ip6->ip6_vtcfl, &vtcfl, 4);
    ip6->ip6_plen = htons(plen);
    ip6->ip6_nxt = nxt;
    ip6->ip6_hlim = flow->nw_ttl;
    memcpy(&ip6->ip6_src, &flow->ipv6_src, sizeof flow->ipv6_src);
    memcpy(&ip6->ip6_dst, &flow->ipv6_dst, sizeof flow->ipv6_dst);

    if (b->l4_ofs != DP_PACKET_OFS_NONE) {
        uint8_t *l4 = dp_packet_l4(b);
        size_t l4_len = dp_packet_size(b) - b->l4_ofs;
        vs_be16 c = packet_csum_l4_ipv6(ip6, flow->nw_proto, l4, l4_len);

        if (flow->nw_proto == IPPROTO_TCP) {
            memcpy(l4 + offsetof(struct tcp_header, tcp_csum), &c, 2);
        } else if (flow->nw_proto == IPPROTO_UDP) {
            c = c ? c : 0xffff;
            memcpy(l4 + offsetof(struct udp_header, udp_csum), &c, 2);
        } else if (flow->nw_proto == IPPROTO_ICMPV6) {
            memcpy(l4 + offsetof(struct icmp6_header, icmp6_cksum), &c, 2);
        }
    }
}

void
flow_compose(struct dp_packet *b, const struct flow *flow)
{
    dp_packet_reset_offsets(b);
    b->md.in_port = flow->in_port;
    b->md.skb_priority = flow->skb_priority;
    b->md.pkt_mark = flow->pkt_mark;
    b->md.recirc_id = flow->recirc_id;
    b->md.tun_id = flow->tun_id;
    b->md.tun_src = flow->tun_src;
    b->md.tun_dst = flow->tun_dst;

    compose_l2(b, flow);
    if (eth_type_mpls(flow->dl_type)) {
        b->l2_5_ofs = dp_packet_size(b);
        for (int i = 0; i < FLOW_MAX_MPLS_LABELS; i++) {
            dp_packet_put(b, &flow->mpls_lse[i], MPLS_HLEN);
            if (flow->mpls_lse[i] & htonl(MPLS_BOS_MASK)) {
                break;
            }
        }
        return;
    }

    switch (ntohs(flow->dl_type)) {
    case ETH_TYPE_ARP:
    case ETH_TYPE_RARP:
        compose_arp(b, flow);
        break;
    case ETH_TYPE_IP:
        compose_ipv4(b, flow);
        break;
    case ETH_TYPE_IPV6:
        compose_ipv6(b, flow);
        break;
    default:
        break;
    }
}
