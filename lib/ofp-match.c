/* OpenFlow 1.0 'struct ofp_match' and the version switch to OXM. */
#include <config.h>
#include "ofp-match.h"

#include <string.h>
#include "match.h"
#include "ofp-buf.h"
#include "ofp-fields.h"
#include "ofp-msgs.h"
#include "oxm.h"
#include "util.h"

/* OF1.0 wildcard bits. */
enum {
    OFPFW10_IN_PORT = 1 << 0,
    OFPFW10_DL_VLAN = 1 << 1,
    OFPFW10_DL_SRC = 1 << 2,
    OFPFW10_DL_DST = 1 << 3,
    OFPFW10_DL_TYPE = 1 << 4,
    OFPFW10_NW_PROTO = 1 << 5,
    OFPFW10_TP_SRC = 1 << 6,
    OFPFW10_TP_DST = 1 << 7,
    OFPFW10_NW_SRC_SHIFT = 8,
    OFPFW10_NW_DST_SHIFT = 14,
    OFPFW10_DL_VLAN_PCP = 1 << 20,
    OFPFW10_NW_TOS = 1 << 21,
    OFPFW10_ALL = (1 << 22) - 1,
};
#define OFP10_VLAN_NONE 0xffff

/* Offsets within the 40-byte ofp_match. */
enum {
    M_WILDCARDS = 0, M_IN_PORT = 4, M_DL_SRC = 6, M_DL_DST = 12,
    M_DL_VLAN = 18, M_DL_VLAN_PCP = 20, M_DL_TYPE = 22, M_NW_TOS = 24,
    M_NW_PROTO = 25, M_NW_SRC = 28, M_NW_DST = 32, M_TP_SRC = 36,
    M_TP_DST = 38,
};

static vs_be32
prefix_mask(unsigned int wild_bits)
{
    return wild_bits >= 32 ? 0 : htonl(UINT32_MAX << wild_bits);
}

static void
set_field(struct match *m, enum ofp_field_id id, uint64_t x)
{
    const struct ofp_field *f = ofp_field_get(id);
    union ofp_value v;
    ofp_value_from_u64(f, x, &v);
    ofp_field_set_match(f, &v, NULL, m);
}

enum ofperr
ofp10_match_decode(const uint8_t *p, struct match *m)
{
    uint32_t wc = get_be32(p + M_WILDCARDS);
    match_init_catchall(m);

    if (!(wc & OFPFW10_IN_PORT)) {
        match_set_in_port(m, ofp_port_from_ofp10(get_be16(p + M_IN_PORT)));
    }
    if (!(wc & OFPFW10_DL_SRC)) {
        struct eth_addr a;
        memcpy(a.ea, p + M_DL_SRC, 6);
        match_set_dl_src_masked(m, a, eth_addr_exact);
    }
    if (!(wc & OFPFW10_DL_DST)) {
        struct eth_addr a;
        memcpy(a.ea, p + M_DL_DST, 6);
        match_set_dl_dst_masked(m, a, eth_addr_exact);
    }
    if (!(wc & OFPFW10_DL_VLAN)) {
        uint16_t vid = get_be16(p + M_DL_VLAN);
        if (vid == OFP10_VLAN_NONE) {
            match_set_no_vlan(m);
        } else if (vid > VLAN_VID_MASK) {
            return OFPERR_OFPBMC_BAD_VALUE;
        } else {
            match_set_dl_vlan(m, vid);
        }
    }
    if (!(wc & OFPFW10_DL_VLAN_PCP)
        && !((~wc & OFPFW10_DL_VLAN) && get_be16(p + M_DL_VLAN) == OFP10_VLAN_NONE)) {
        if (p[M_DL_VLAN_PCP] > 7) {
            return OFPERR_OFPBMC_BAD_VALUE;
        }
        match_set_dl_vlan_pcp(m, p[M_DL_VLAN_PCP]);
    }
    if (wc & OFPFW10_DL_TYPE) {
        return 0;
    }
    uint16_t dl_type = get_be16(p + M_DL_TYPE);
    match_set_dl_type(m, htons(dl_type));

    /* Fields that do not apply to the Ethernet type are ignored, as the
     * OpenFlow 1.0 specification says. */
    bool is_ip = dl_type == ETH_TYPE_IP;
    bool is_arp = dl_type == ETH_TYPE_ARP;
    if (!is_ip && !is_arp) {
        return 0;
    }
    if (!(wc & OFPFW10_NW_PROTO)) {
        match_set_nw_proto(m, p[M_NW_PROTO]);
    }
    vs_be32 src_mask = prefix_mask((wc >> OFPFW10_NW_SRC_SHIFT) & 0x3f);
    vs_be32 dst_mask = prefix_mask((wc >> OFPFW10_NW_DST_SHIFT) & 0x3f);
    vs_be32 src, dst;
    memcpy(&src, p + M_NW_SRC, 4);
    memcpy(&dst, p + M_NW_DST, 4);
    if (src_mask) {
        match_set_nw_src_masked(m, src, src_mask);
    }
    if (dst_mask) {
        match_set_nw_dst_masked(m, dst, dst_mask);
    }
    if (!is_ip) {
        return 0;
    }
    if (!(wc & OFPFW10_NW_TOS)) {
        match_set_nw_dscp(m, p[M_NW_TOS]);
    }
    if (wc & OFPFW10_NW_PROTO) {
        return 0;
    }
    uint8_t proto = p[M_NW_PROTO];
    uint16_t tp_src = get_be16(p + M_TP_SRC), tp_dst = get_be16(p + M_TP_DST);
    if (proto == IPPROTO_ICMP) {
        if (!(wc & OFPFW10_TP_SRC)) {
            set_field(m, OFPF_ICMPV4_TYPE, tp_src & 0xff);
        }
        if (!(wc & OFPFW10_TP_DST)) {
            set_field(m, OFPF_ICMPV4_CODE, tp_dst & 0xff);
        }
    } else if (proto == IPPROTO_TCP || proto == IPPROTO_UDP
               || proto == IPPROTO_SCTP) {
        if (!(wc & OFPFW10_TP_SRC)) {
            match_set_tp_src_masked(m, htons(tp_src), 0xffff);
        }
        if (!(wc & OFPFW10_TP_DST)) {
            match_set_tp_dst_masked(m, htons(tp_dst), 0xffff);
        }
    }
    return 0;
}

static int
cidr_wild_bits(vs_be32 mask, bool *ok)
{
    uint32_t m = ntohl(mask);
    int n = m ? __builtin_ctz(m) : 32;
    if (m && (m | ((1u << n) - 1)) != UINT32_MAX) {
        *ok = false;
    }
    return n;
}

/* Fields OpenFlow 1.0 has no room for, as a mask that must be zero. */
static bool
has_non_of10_fields(const struct match *m)
{
    const struct flow *w = &m->wc.masks;
    static const struct in6_addr zero6;
    return w->tun_id || w->tun_src || w->tun_dst || w->metadata
           || w->mpls_lse[0]
           || memcmp(&w->ipv6_src, &zero6, 16) || memcmp(&w->ipv6_dst, &zero6, 16)
           || memcmp(&w->nd_target, &zero6, 16) || w->ipv6_label
           || (w->nw_tos & IP_ECN_MASK) || w->nw_ttl || w->nw_frag
           || !eth_addr_is_zero(w->arp_sha) || !eth_addr_is_zero(w->arp_tha)
           || w->tcp_flags
           || !is_all_zeros(w->regs, sizeof w->regs);
}

enum ofperr
ofp10_match_encode(const struct match *m, uint8_t *p)
{
    const struct flow *f = &m->flow, *w = &m->wc.masks;
    uint32_t wc = OFPFW10_ALL;
    bool ok = !has_non_of10_fields(m);

    memset(p, 0, OFP10_MATCH_LEN);
    if (w->in_port) {
        uint16_t port;
        if (!ofp_port_to_ofp10(f->in_port, &port)) {
            ok = false;
        } else {
            wc &= ~OFPFW10_IN_PORT;
            put_be16(p + M_IN_PORT, port);
        }
    }
    if (!eth_addr_is_zero(w->dl_src)) {
        ok &= eth_addr_equals(w->dl_src, eth_addr_exact);
        wc &= ~OFPFW10_DL_SRC;
        memcpy(p + M_DL_SRC, f->dl_src.ea, 6);
    }
    if (!eth_addr_is_zero(w->dl_dst)) {
        ok &= eth_addr_equals(w->dl_dst, eth_addr_exact);
        wc &= ~OFPFW10_DL_DST;
        memcpy(p + M_DL_DST, f->dl_dst.ea, 6);
    }
    uint16_t tci = ntohs(f->vlans[0].tci), tci_mask = ntohs(w->vlans[0].tci);
    if (tci_mask) {
        if (!(tci & VLAN_CFI)) {
            wc &= ~OFPFW10_DL_VLAN;
            put_be16(p + M_DL_VLAN, OFP10_VLAN_NONE);
        } else {
            if ((tci_mask & VLAN_VID_MASK) == VLAN_VID_MASK) {
                wc &= ~OFPFW10_DL_VLAN;
                put_be16(p + M_DL_VLAN, tci & VLAN_VID_MASK);
            } else if (tci_mask & VLAN_VID_MASK) {
                ok = false;
            }
            if ((tci_mask & VLAN_PCP_MASK) == VLAN_PCP_MASK) {
                wc &= ~OFPFW10_DL_VLAN_PCP;
                p[M_DL_VLAN_PCP] = tci >> VLAN_PCP_SHIFT;
            } else if (tci_mask & VLAN_PCP_MASK) {
                ok = false;
            }
            /* "Some tag, any VID" has no OF1.0 form. */
            if (!(tci_mask & (VLAN_VID_MASK | VLAN_PCP_MASK))) {
                ok = false;
            }
        }
    }
    if (w->dl_type) {
        wc &= ~OFPFW10_DL_TYPE;
        memcpy(p + M_DL_TYPE, &f->dl_type, 2);
    }
    if (w->nw_tos & IP_DSCP_MASK) {
        ok &= (w->nw_tos & IP_DSCP_MASK) == IP_DSCP_MASK;
        wc &= ~OFPFW10_NW_TOS;
        p[M_NW_TOS] = f->nw_tos & IP_DSCP_MASK;
    }
    if (w->nw_proto) {
        wc &= ~OFPFW10_NW_PROTO;
        p[M_NW_PROTO] = f->nw_proto;
    }
    wc &= ~(0x3f << OFPFW10_NW_SRC_SHIFT) & ~(0x3f << OFPFW10_NW_DST_SHIFT);
    wc |= cidr_wild_bits(w->nw_src, &ok) << OFPFW10_NW_SRC_SHIFT;
    wc |= cidr_wild_bits(w->nw_dst, &ok) << OFPFW10_NW_DST_SHIFT;
    memcpy(p + M_NW_SRC, &f->nw_src, 4);
    memcpy(p + M_NW_DST, &f->nw_dst, 4);
    if (w->tp_src) {
        wc &= ~OFPFW10_TP_SRC;
        put_be16(p + M_TP_SRC, ntohs(f->tp_src));
        ok &= w->tp_src == 0xffff || (f->nw_proto == IPPROTO_ICMP
                                      && w->tp_src == htons(0xff));
    }
    if (w->tp_dst) {
        wc &= ~OFPFW10_TP_DST;
        put_be16(p + M_TP_DST, ntohs(f->tp_dst));
        ok &= w->tp_dst == 0xffff || (f->nw_proto == IPPROTO_ICMP
                                      && w->tp_dst == htons(0xff));
    }
    put_be32(p + M_WILDCARDS, wc);
    return ok ? 0 : OFPERR_OFPBMC_BAD_FIELD;
}

bool
ofp10_match_is_expressible(const struct match *m)
{
    uint8_t buf[OFP10_MATCH_LEN];
    return !ofp10_match_encode(m, buf);
}

enum ofperr
ofp_match_pull(struct ofpbuf *b, uint8_t version, struct match *m)
{
    if (version == OFP10_VERSION) {
        const uint8_t *p = ofpbuf_try_pull(b, OFP10_MATCH_LEN);
        return p ? ofp10_match_decode(p, m) : OFPERR_OFPBRC_BAD_LEN;
    }
    return oxm_pull_match(b, m);
}

enum ofperr
ofp_match_put(struct ofpbuf *b, uint8_t version, const struct match *m)
{
    if (version == OFP10_VERSION) {
        return ofp10_match_encode(m, ofpbuf_put_uninit(b, OFP10_MATCH_LEN));
    }
    oxm_put_match(b, m, version);
    return 0;
}
