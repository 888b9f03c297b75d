/* Formats flows and masked flows in the syntax OpenFlow users type:
 * "tcp,in_port=1,vlan_tci=0x0000,dl_src=..,dl_dst=..,nw_src=..,tp_dst=80".
 * A field whose mask is zero is left out; an exact field prints its value;
 * a partial mask prints "value/mask". */
#include <config.h>
#include "flow.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "dp-packet.h"
#include "dynamic-string.h"

/* Unsigned field: decimal when exact, hex "value/mask" otherwise. */
static void
format_uint(struct ds *s, const char *name, uint64_t value, uint64_t mask,
            uint64_t all_ones, bool hex)
{
    if (!mask) {
        return;
    }
    if (mask == all_ones) {
        ds_put_format(s, hex ? "%s=0x%"PRIx64"," : "%s=%"PRIu64",", name, value);
    } else {
        ds_put_format(s, "%s=0x%"PRIx64"/0x%"PRIx64",", name, value & mask, mask);
    }
}

static void
format_be16(struct ds *s, const char *name, vs_be16 v, vs_be16 m, bool hex)
{
    format_uint(s, name, ntohs(v), ntohs(m), 0xffff, hex);
}

static void
format_eth(struct ds *s, const char *name, struct eth_addr v, struct eth_addr m)
{
    if (!eth_addr_is_zero(m)) {
        ds_put_format(s, "%s=", name);
        eth_addr_format_masked(s, eth_addr_and(v, m), m);
        ds_put_char(s, ',');
    }
}

static void
format_ip(struct ds *s, const char *name, vs_be32 v, vs_be32 m)
{
    if (m) {
        ds_put_format(s, "%s=", name);
        ip_format_masked(s, v & m, m);
        ds_put_char(s, ',');
    }
}

static void
format_ipv6(struct ds *s, const char *name, const struct in6_addr *v,
            const struct in6_addr *m)
{
    if (!ipv6_is_zero(m)) {
        struct in6_addr masked = ipv6_addr_bitand(v, m);

        ds_put_format(s, "%s=", name);
        ipv6_format_masked(s, &masked, m);
        ds_put_char(s, ',');
    }
}

/* Puts the protocol shorthand ("tcp", "arp", "ipv6"...) if dl_type (and,
 * for IP, nw_proto) is exact; returns true if nw_proto was covered.  Sets
 * '*dl_type_done' to false if dl_type still needs printing (after dl_dst,
 * where OpenFlow tools put it). */
static bool
format_protocol(struct ds *s, const struct flow *f, const struct flow *m,
                bool *dl_type_done)
{
    static const struct {
        uint8_t proto;
        const char *v4, *v6;
    } ip_protos[] = {
        { IPPROTO_TCP, "tcp", "tcp6" },
        { IPPROTO_UDP, "udp", "udp6" },
        { IPPROTO_SCTP, "sctp", "sctp6" },
        { IPPROTO_ICMP, "icmp", NULL },
        { IPPROTO_ICMPV6, NULL, "icmp6" },
    };
    uint16_t dl_type = ntohs(f->dl_type);

    *dl_type_done = true;
    if (m->dl_type != 0xffff) {
        *dl_type_done = !m->dl_type;
        return false;
    }
    if (dl_type == ETH_TYPE_IP || dl_type == ETH_TYPE_IPV6) {
        bool v6 = dl_type == ETH_TYPE_IPV6;
        if (m->nw_proto == 0xff) {
            for (size_t i = 0; i < ARRAY_SIZE(ip_protos); i++) {
                const char *name = v6 ? ip_protos[i].v6 : ip_protos[i].v4;
                if (name && ip_protos[i].proto == f->nw_proto) {
                    ds_put_format(s, "%s,", name);
                    return true;
                }
            }
        }
        ds_put_cstr(s, v6 ? "ipv6," : "ip,");
        return false;
    }
    switch (dl_type) {
    case ETH_TYPE_ARP: ds_put_cstr(s, "arp,"); break;
    case ETH_TYPE_RARP: ds_put_cstr(s, "rarp,"); break;
    case ETH_TYPE_MPLS: ds_put_cstr(s, "mpls,"); break;
    case ETH_TYPE_MPLS_MCAST: ds_put_cstr(s, "mplsm,"); break;
    default: *dl_type_done = false; break;
    }
    return false;
}

static void
format_vlans(struct ds *s, const struct flow *f, const struct flow *m)
{
    for (int i = 0; i < FLOW_MAX_VLAN_HEADERS; i++) {
        vs_be16 tci = f->vlans[i].tci, mask = m->vlans[i].tci;
        char name[16];

        if (!mask) {
            continue;
        }
        if (mask == 0xffff && (tci & htons(VLAN_CFI))) {
            const char *sfx = i ? "1" : "";
            ds_put_format(s, "dl_vlan%s=%u,dl_vlan_pcp%s=%u,",
                          sfx, vlan_tci_to_vid(tci), sfx, vlan_tci_to_pcp(tci));
        } else {
            snprintf(name, sizeof name, i ? "vlan_tci%d" : "vlan_tci", i);
            ds_put_format(s, "%s=0x%04x", name, ntohs(tci & mask));
            if (mask != 0xffff) {
                ds_put_format(s, "/0x%04x", ntohs(mask));
            }
            ds_put_char(s, ',');
        }
        if (m->vlans[i].tpid && (tci & htons(VLAN_CFI))
            && f->vlans[i].tpid != htons(ETH_TYPE_VLAN_8021Q)) {
            snprintf(name, sizeof name, i ? "vlan_tpid%d" : "vlan_tpid", i);
            format_be16(s, name, f->vlans[i].tpid, m->vlans[i].tpid, true);
        }
    }
}

static void
format_mpls(struct ds *s, const struct flow *f, const struct flow *m)
{
    uint32_t v = ntohl(f->mpls_lse[0]), mk = ntohl(m->mpls_lse[0]);

    format_uint(s, "mpls_label", v >> MPLS_LABEL_SHIFT, mk >> MPLS_LABEL_SHIFT,
                0xfffff, false);
    format_uint(s, "mpls_tc", (v & MPLS_TC_MASK) >> MPLS_TC_SHIFT,
                (mk & MPLS_TC_MASK) >> MPLS_TC_SHIFT, 7, false);
    format_uint(s, "mpls_ttl", v & MPLS_TTL_MASK, mk & MPLS_TTL_MASK, 0xff, false);
    format_uint(s, "mpls_bos", (v & MPLS_BOS_MASK) >> MPLS_BOS_SHIFT,
                (mk & MPLS_BOS_MASK) >> MPLS_BOS_SHIFT, 1, false);
    for (int i = 1; i < FLOW_MAX_MPLS_LABELS; i++) {
        char name[16];
        snprintf(name, sizeof name, "mpls_lse%d", i);
        format_uint(s, name, ntohl(f->mpls_lse[i]), ntohl(m->mpls_lse[i]),
                    0xffffffff, false);
    }
}

static void
format_nw_frag(struct ds *s, uint8_t frag, uint8_t mask)
{
    const char *name;

    switch (mask & FLOW_NW_FRAG_MASK) {
    case 0:
        return;
    case FLOW_NW_FRAG_MASK:
        name = !(frag & FLOW_NW_FRAG_ANY) ? "no"
               : frag & FLOW_NW_FRAG_LATER ? "later" : "first";
        break;
    case FLOW_NW_FRAG_ANY:
        name = frag & FLOW_NW_FRAG_ANY ? "yes" : "no";
        break;
    default:
        name = frag & FLOW_NW_FRAG_LATER ? "later" : "not_later";
        break;
    }
    ds_put_format(s, "nw_frag=%s,", name);
}

static void
format_l3_l4(struct ds *s, const struct flow *f, const struct flow *m,
             bool proto_done)
{
    uint16_t dl_type = ntohs(f->dl_type);
    bool arp = dl_type == ETH_TYPE_ARP || dl_type == ETH_TYPE_RARP;
    bool ipv6 = dl_type == ETH_TYPE_IPV6;
    bool icmp = (f->nw_proto == IPPROTO_ICMP && !ipv6)
                || (f->nw_proto == IPPROTO_ICMPV6 && ipv6);

    if (arp) {
        format_ip(s, "arp_spa", f->nw_src, m->nw_src);
        format_ip(s, "arp_tpa", f->nw_dst, m->nw_dst);
        format_uint(s, "arp_op", f->nw_proto, m->nw_proto, 0xff, false);
        format_eth(s, "arp_sha", f->arp_sha, m->arp_sha);
        format_eth(s, "arp_tha", f->arp_tha, m->arp_tha);
        return;
    }

    format_ip(s, "nw_src", f->nw_src, m->nw_src);
    format_ip(s, "nw_dst", f->nw_dst, m->nw_dst);
    format_ipv6(s, "ipv6_src", &f->ipv6_src, &m->ipv6_src);
    format_ipv6(s, "ipv6_dst", &f->ipv6_dst, &m->ipv6_dst);
    if ((ntohl(m->ipv6_label) & IPV6_LABEL_MASK) == IPV6_LABEL_MASK) {
        ds_put_format(s, "ipv6_label=0x%05"PRIx32",", ntohl(f->ipv6_label));
    } else {
        format_uint(s, "ipv6_label", ntohl(f->ipv6_label), ntohl(m->ipv6_label),
                    IPV6_LABEL_MASK, true);
    }
    if (!proto_done) {
        format_uint(s, "nw_proto", f->nw_proto, m->nw_proto, 0xff, false);
    }
    format_uint(s, "nw_tos", f->nw_tos & IP_DSCP_MASK, m->nw_tos & IP_DSCP_MASK,
                IP_DSCP_MASK, false);
    format_uint(s, "nw_ecn", f->nw_tos & IP_ECN_MASK, m->nw_tos & IP_ECN_MASK,
                IP_ECN_MASK, false);
    format_uint(s, "nw_ttl", f->nw_ttl, m->nw_ttl, 0xff, false);
    format_nw_frag(s, f->nw_frag, m->nw_frag);

    if (icmp && m->nw_proto) {
        format_uint(s, "icmp_type", ntohs(f->tp_src), ntohs(m->tp_src), 0xffff, false);
        format_uint(s, "icmp_code", ntohs(f->tp_dst), ntohs(m->tp_dst), 0xffff, false);
    } else {
        format_be16(s, "tp_src", f->tp_src, m->tp_src, false);
        format_be16(s, "tp_dst", f->tp_dst, m->tp_dst, false);
    }
    if (m->tcp_flags) {
        uint16_t flags = ntohs(f->tcp_flags), mask = ntohs(m->tcp_flags);

        ds_put_cstr(s, "tcp_flags=");
        packet_format_tcp_flags(s, flags & mask);
        if ((mask & TCP_FLAGS_MASK) != TCP_FLAGS_MASK) {
            ds_put_format(s, "/0x%03x", mask);
        }
        ds_put_char(s, ',');
    }
    format_ipv6(s, "nd_target", &f->nd_target, &m->nd_target);
    format_eth(s, "nd_sll", f->arp_sha, m->arp_sha);
    format_eth(s, "nd_tll", f->arp_tha, m->arp_tha);
}

void
flow_format_masked(struct ds *s, const struct flow *f,
                   const struct flow_wildcards *wc)
{
    struct flow_wildcards exact;
    const struct flow *m;
    size_t start = s->length;
    bool proto_done, dl_type_done;

    if (!wc) {
        flow_wildcards_init_exact(&exact);
        wc = &exact;
    }
    m = &wc->masks;

    proto_done = format_protocol(s, f, m, &dl_type_done);

    format_uint(s, "recirc_id", f->recirc_id, m->recirc_id, UINT32_MAX, true);
    format_uint(s, "tun_id", vs_ntohll(f->tun_id), vs_ntohll(m->tun_id),
                UINT64_MAX, true);
    format_ip(s, "tun_src", f->tun_src, m->tun_src);
    format_ip(s, "tun_dst", f->tun_dst, m->tun_dst);
    format_uint(s, "metadata", vs_ntohll(f->metadata), vs_ntohll(m->metadata),
                UINT64_MAX, true);
    for (int i = 0; i < FLOW_N_REGS; i++) {
        char name[8];
        snprintf(name, sizeof name, "reg%d", i);
        format_uint(s, name, f->regs[i], m->regs[i], UINT32_MAX, true);
    }
    format_uint(s, "skb_priority", f->skb_priority, m->skb_priority,
                UINT32_MAX, true);
    format_uint(s, "pkt_mark", f->pkt_mark, m->pkt_mark, UINT32_MAX, true);
    format_uint(s, "in_port", f->in_port, m->in_port, UINT32_MAX, false);

    format_vlans(s, f, m);
    format_eth(s, "dl_src", f->dl_src, m->dl_src);
    format_eth(s, "dl_dst", f->dl_dst, m->dl_dst);
    if (!dl_type_done) {
        if (m->dl_type == 0xffff) {
            ds_put_format(s, "dl_type=0x%04x,", ntohs(f->dl_type));
        } else {
            ds_put_format(s, "dl_type=0x%04x/0x%04x,",
                          ntohs(f->dl_type & m->dl_type), ntohs(m->dl_type));
        }
    }
    if (!is_all_zeros(m->mpls_lse, sizeof m->mpls_lse)) {
        format_mpls(s, f, m);
    }
    format_l3_l4(s, f, m, proto_done);

    if (s->length > start) {
        ds_chomp(s, ',');
    }
}

/* The wildcards flow_format() prints 'flow' with: every field of the
 * packet's kind, but metadata only where it is set. */
static void
packet_wildcards(const struct flow *flow, struct flow_wildcards *wc_)
{
    struct flow_wildcards wc;

    flow_wildcards_init_for_packet(&wc, flow);
    /* Metadata that is zero is noise in a packet's flow; in_port is not.
     * The masks stay only where the value is set. */
    wc.masks.recirc_id &= flow->recirc_id ? UINT32_MAX : 0;
    wc.masks.tun_id &= flow->tun_id ? UINT64_MAX : 0;
    wc.masks.tun_src &= flow->tun_src ? UINT32_MAX : 0;
    wc.masks.tun_dst &= flow->tun_dst ? UINT32_MAX : 0;
    wc.masks.metadata &= flow->metadata ? UINT64_MAX : 0;
    for (int i = 0; i < FLOW_N_REGS; i++) {
        wc.masks.regs[i] &= flow->regs[i] ? UINT32_MAX : 0;
    }
    wc.masks.skb_priority &= flow->skb_priority ? UINT32_MAX : 0;
    wc.masks.pkt_mark &= flow->pkt_mark ? UINT32_MAX : 0;
    /* "vlan_tci=0x0000" says "untagged"; below it nothing is worth saying.
     * Labels past the bottom of the MPLS stack are zero: noise too. */
    for (int i = 1; i < FLOW_MAX_MPLS_LABELS; i++) {
        wc.masks.mpls_lse[i] &= flow->mpls_lse[i] ? UINT32_MAX : 0;
    }
    if (!flow->vlans[0].tci) {
        memset(&wc.masks.vlans[1], 0, sizeof wc.masks.vlans[1]);
    }
    *wc_ = wc;
}

void
flow_format(struct ds *s, const struct flow *flow)
{
    struct flow_wildcards wc;

    packet_wildcards(flow, &wc);
    flow_format_masked(s, flow, &wc);
}

void
flow_format_frame(struct ds *s, const void *data, size_t len)
{
    struct dp_packet pkt;
    struct flow flow;
    struct flow_wildcards wc;

    dp_packet_use_const(&pkt, data, len);
    flow_extract(&pkt, &flow);
    packet_wildcards(&flow, &wc);
    wc.masks.in_port = 0;
    flow_format_masked(s, &flow, &wc);

    /* The checksum of a first fragment or a whole datagram. */
    const uint8_t *l4 = dp_packet_l4(&pkt);
    size_t l4_len = dp_packet_l4_size(&pkt);
    if (l4 && !(flow.nw_frag & FLOW_NW_FRAG_LATER)) {
        if (flow.nw_proto == IPPROTO_TCP && l4_len >= 18) {
            ds_put_format(s, " tcp_csum:%x", l4[16] << 8 | l4[17]);
        } else if (flow.nw_proto == IPPROTO_UDP && l4_len >= 8) {
            ds_put_format(s, " udp_csum:%x", l4[6] << 8 | l4[7]);
        } else if (flow.nw_proto == IPPROTO_SCTP && l4_len >= 12) {
            ds_put_format(s, " sctp_csum:%"PRIx32,
                          (uint32_t) l4[8] << 24 | l4[9] << 16
                          | l4[10] << 8 | l4[11]);
        }
    }
    dp_packet_uninit(&pkt);
}

char *
flow_to_string(const struct flow *flow)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    flow_format(&s, flow);
    return ds_steal_cstr(&s);
}
