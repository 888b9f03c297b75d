/* Packet parsing into a struct dp_key, shared by the XDP and tc programs.
 * Works on [data, data_end) direct packet pointers; bounded and
 * verifier-friendly (no loops, every access checked). */
#ifndef DP_PARSE_H
#define DP_PARSE_H 1

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/in.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/icmp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "dp-key.h"

struct vlan_hdr {
    __be16 tci;
    __be16 encap_proto;
};

struct arp_eth {
    __be16 htype, ptype;
    __u8 hlen, plen;
    __be16 op;
    __u8 sha[6];
    __be32 spa;
    __u8 tha[6];
    __be32 tpa;
} __attribute__((packed));

/* Where parse_packet() found the headers (offsets from data), for callers
 * that look further (the UDP checksum check). */
struct dp_layout {
    __u16 l3;
    __u16 l4;
};

static __always_inline void
parse_l4(void *l4, void *data_end, struct dp_key *k)
{
    if (k->nw_frag & DP_FRAG_LATER) {
        return;
    }
    if (k->nw_proto == IPPROTO_TCP || k->nw_proto == IPPROTO_UDP
        || k->nw_proto == IPPROTO_SCTP) {
        __be16 *ports = l4;
        if ((void *) (ports + 2) <= data_end) {
            k->tp_src = ports[0];
            k->tp_dst = ports[1];
        }
    } else if (k->nw_proto == IPPROTO_ICMP || k->nw_proto == 58 /* ICMPv6 */) {
        __u8 *t = l4;
        if ((void *) (t + 2) <= data_end) {
            k->tp_src = bpf_htons(t[0]);
            k->tp_dst = bpf_htons(t[1]);
        }
    }
}

/* Fills 'k' (except in_port) from the frame.  'vlan_tci' is an 802.1Q tag
 * already taken out of the frame by the kernel (tc), 0 if none.  Returns 0,
 * or -1 if the frame is shorter than an Ethernet header. */
static __always_inline int
parse_packet(void *data, void *data_end, __u16 vlan_tci, struct dp_key *k,
             struct dp_layout *lay)
{
    struct ethhdr *eth = data;
    void *p;
    __be16 proto;

    if ((void *) (eth + 1) > data_end) {
        return -1;
    }
    __builtin_memcpy(k->eth_dst, eth->h_dest, 6);
    __builtin_memcpy(k->eth_src, eth->h_source, 6);
    proto = eth->h_proto;
    p = eth + 1;
    k->vlan_tci = vlan_tci;
    if (!vlan_tci && (proto == bpf_htons(ETH_P_8021Q)
                      || proto == bpf_htons(ETH_P_8021AD))) {
        struct vlan_hdr *vh = p;
        if ((void *) (vh + 1) > data_end) {
            k->eth_type = proto;
            return 0;
        }
        k->vlan_tci = (bpf_ntohs(vh->tci) & ~DP_VLAN_PRESENT) | DP_VLAN_PRESENT;
        proto = vh->encap_proto;
        p = vh + 1;
    }
    k->eth_type = proto;
    lay->l3 = p - data;

    if (proto == bpf_htons(ETH_P_IP)) {
        struct iphdr *ip = p;
        if ((void *) (ip + 1) > data_end) {
            return 0;
        }
        k->nw_src = ip->saddr;
        k->nw_dst = ip->daddr;
        k->nw_proto = ip->protocol;
        k->nw_tos = ip->tos;
        k->nw_ttl = ip->ttl;
        if (ip->frag_off & bpf_htons(0x3fff)) {
            k->nw_frag = DP_FRAG_ANY;
            if (ip->frag_off & bpf_htons(0x1fff)) {
                k->nw_frag |= DP_FRAG_LATER;
            }
        }
        __u32 ihl = ip->ihl * 4;
        if (ihl < sizeof *ip) {
            return 0;
        }
        lay->l4 = lay->l3 + ihl;
        parse_l4(p + ihl, data_end, k);
    } else if (proto == bpf_htons(ETH_P_IPV6)) {
        struct ipv6hdr *ip6 = p;
        if ((void *) (ip6 + 1) > data_end) {
            return 0;
        }
        __builtin_memcpy(k->ipv6_src, &ip6->saddr, 16);
        __builtin_memcpy(k->ipv6_dst, &ip6->daddr, 16);
        k->nw_proto = ip6->nexthdr;
        k->nw_ttl = ip6->hop_limit;
        lay->l4 = lay->l3 + sizeof *ip6;
        parse_l4(ip6 + 1, data_end, k);
    } else if (proto == bpf_htons(ETH_P_MPLS_UC)
               || proto == bpf_htons(ETH_P_MPLS_MC)) {
        /* Only the top entry: the megaflow tells labels apart by it, and
         * what follows the stack is not parsed (it has no type field). */
        __be32 *lse = p;
        if ((void *) (lse + 1) > data_end) {
            return 0;
        }
        k->mpls_lse = *lse;
    } else if (proto == bpf_htons(ETH_P_ARP)) {
        struct arp_eth *arp = p;
        if ((void *) (arp + 1) > data_end) {
            return 0;
        }
        if (arp->htype == bpf_htons(1) && arp->ptype == bpf_htons(ETH_P_IP)) {
            k->nw_proto = bpf_ntohs(arp->op) & 0xff;
            k->nw_src = arp->spa;
            k->nw_dst = arp->tpa;
        }
    }
    return 0;
}

#endif /* dp-parse.h */
