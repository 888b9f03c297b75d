/* struct match: setters that keep value & mask consistent. */
#include <config.h>
#include "match.h"

#include <string.h>
#include "util.h"

uint32_t
ofp_port_from_ofp10(uint16_t p)
{
    return p >= 0xff00 ? 0xffff0000u | p : p;
}

bool
ofp_port_to_ofp10(uint32_t port, uint16_t *out)
{
    if (port < 0xff00) {
        *out = port;
        return true;
    }
    if (port >= OFPP_MAX) {
        *out = port & 0xffff;
        return true;
    }
    return false;
}

void
match_init_catchall(struct match *m)
{
    memset(m, 0, sizeof *m);
}

void
match_init_exact(struct match *m, const struct flow *flow)
{
    m->flow = *flow;
    memset(&m->wc.masks, 0xff, sizeof m->wc.masks);
    /* Pads stay zero in both, as struct flow requires. */
    memset(m->wc.masks.pad1, 0, sizeof m->wc.masks.pad1);
    memset(m->wc.masks.pad2, 0, sizeof m->wc.masks.pad2);
    memset(m->wc.masks.pad3, 0, sizeof m->wc.masks.pad3);
}

bool
match_equal(const struct match *a, const struct match *b)
{
    return !memcmp(&a->flow, &b->flow, sizeof a->flow)
           && !memcmp(&a->wc, &b->wc, sizeof a->wc);
}

uint32_t
match_hash(const struct match *m, uint32_t basis)
{
    return hash_bytes(m, sizeof *m, basis);
}

bool
match_is_catchall(const struct match *m)
{
    const uint64_t *w = flow_u64(&m->wc.masks);
    for (size_t i = 0; i < FLOW_U64S; i++) {
        if (w[i]) {
            return false;
        }
    }
    return true;
}

void
match_zero_wildcarded_fields(struct match *m)
{
    uint64_t *f = flow_u64_rw(&m->flow);
    const uint64_t *w = flow_u64(&m->wc.masks);
    for (size_t i = 0; i < FLOW_U64S; i++) {
        f[i] &= w[i];
    }
}

bool
match_is_subset(const struct match *a, const struct match *b)
{
    const uint64_t *af = flow_u64(&a->flow), *am = flow_u64(&a->wc.masks);
    const uint64_t *bf = flow_u64(&b->flow), *bm = flow_u64(&b->wc.masks);
    for (size_t i = 0; i < FLOW_U64S; i++) {
        /* 'b' may only care about bits 'a' also cares about, with the
         * same values. */
        if ((bm[i] & ~am[i]) || ((af[i] ^ bf[i]) & bm[i])) {
            return false;
        }
    }
    return true;
}

bool
match_matches_flow(const struct match *m, const struct flow *flow)
{
    const uint64_t *mf = flow_u64(&m->flow), *mm = flow_u64(&m->wc.masks);
    const uint64_t *f = flow_u64(flow);
    for (size_t i = 0; i < FLOW_U64S; i++) {
        if ((f[i] ^ mf[i]) & mm[i]) {
            return false;
        }
    }
    return true;
}

#define SET_MASKED(M, FIELD, V, MASK)           \
    do {                                        \
        (M)->wc.masks.FIELD = (MASK);           \
        (M)->flow.FIELD = (V) & (MASK);         \
    } while (0)

static void
set_bytes_masked(void *value, void *maskp, const void *v, const void *m,
                 size_t n)
{
    uint8_t *dv = value, *dm = maskp;
    const uint8_t *sv = v, *sm = m;
    for (size_t i = 0; i < n; i++) {
        dm[i] = sm[i];
        dv[i] = sv[i] & sm[i];
    }
}

void match_set_in_port(struct match *m, uint32_t port)
{ SET_MASKED(m, in_port, port, UINT32_MAX); }
void match_set_tun_id_masked(struct match *m, vs_be64 id, vs_be64 mask)
{ SET_MASKED(m, tun_id, id, mask); }
void match_set_metadata_masked(struct match *m, vs_be64 md, vs_be64 mask)
{ SET_MASKED(m, metadata, md, mask); }
void match_set_dl_type(struct match *m, vs_be16 t)
{ SET_MASKED(m, dl_type, t, UINT16_MAX); }

void
match_set_dl_src_masked(struct match *m, struct eth_addr a, struct eth_addr mask)
{
    set_bytes_masked(&m->flow.dl_src, &m->wc.masks.dl_src, &a, &mask, 6);
}

void
match_set_dl_dst_masked(struct match *m, struct eth_addr a, struct eth_addr mask)
{
    set_bytes_masked(&m->flow.dl_dst, &m->wc.masks.dl_dst, &a, &mask, 6);
}

void
match_set_vlan_tci_masked(struct match *m, vs_be16 tci, vs_be16 mask)
{
    /* "No tag" is tci 0 with the CFI bit significant: say so with the whole
     * TCI so that equivalent matches are equal. */
    if ((mask & htons(VLAN_CFI)) && !(tci & htons(VLAN_CFI))) {
        tci = 0;
        mask = 0xffff;
    }
    SET_MASKED(m, vlans[0].tci, tci, mask);
}

void
match_set_dl_vlan(struct match *m, uint16_t vid)
{
    vs_be16 mask = htons(VLAN_VID_MASK | VLAN_CFI);
    vs_be16 tci = (m->flow.vlans[0].tci & ~mask) | htons((vid & VLAN_VID_MASK) | VLAN_CFI);
    match_set_vlan_tci_masked(m, tci, m->wc.masks.vlans[0].tci | mask);
}

void
match_set_no_vlan(struct match *m)
{
    match_set_vlan_tci_masked(m, 0, 0xffff);
}

void
match_set_dl_vlan_pcp(struct match *m, uint8_t pcp)
{
    vs_be16 mask = htons(VLAN_PCP_MASK | VLAN_CFI);
    vs_be16 tci = (m->flow.vlans[0].tci & ~mask)
                  | htons(((pcp & 7) << VLAN_PCP_SHIFT) | VLAN_CFI);
    match_set_vlan_tci_masked(m, tci, m->wc.masks.vlans[0].tci | mask);
}

static void
set_lse_bits(struct match *m, uint32_t bits, uint32_t mask)
{
    uint32_t v = ntohl(m->flow.mpls_lse[0]) & ~mask;
    m->flow.mpls_lse[0] = htonl(v | (bits & mask));
    m->wc.masks.mpls_lse[0] |= htonl(mask);
}

void match_set_mpls_label(struct match *m, uint32_t label)
{ set_lse_bits(m, label << MPLS_LABEL_SHIFT, MPLS_LABEL_MASK); }
void match_set_mpls_tc(struct match *m, uint8_t tc)
{ set_lse_bits(m, (uint32_t) tc << MPLS_TC_SHIFT, MPLS_TC_MASK); }
void match_set_mpls_bos(struct match *m, uint8_t bos)
{ set_lse_bits(m, (uint32_t) bos << MPLS_BOS_SHIFT, MPLS_BOS_MASK); }

void match_set_nw_src_masked(struct match *m, vs_be32 a, vs_be32 mask)
{ SET_MASKED(m, nw_src, a, mask); }
void match_set_nw_dst_masked(struct match *m, vs_be32 a, vs_be32 mask)
{ SET_MASKED(m, nw_dst, a, mask); }

void
match_set_ipv6_src_masked(struct match *m, const struct in6_addr *a,
                          const struct in6_addr *mask)
{
    set_bytes_masked(&m->flow.ipv6_src, &m->wc.masks.ipv6_src, a, mask, 16);
}

void
match_set_ipv6_dst_masked(struct match *m, const struct in6_addr *a,
                          const struct in6_addr *mask)
{
    set_bytes_masked(&m->flow.ipv6_dst, &m->wc.masks.ipv6_dst, a, mask, 16);
}

void
match_set_nd_target_masked(struct match *m, const struct in6_addr *a,
                           const struct in6_addr *mask)
{
    set_bytes_masked(&m->flow.nd_target, &m->wc.masks.nd_target, a, mask, 16);
}

void match_set_ipv6_label_masked(struct match *m, vs_be32 l, vs_be32 mask)
{ SET_MASKED(m, ipv6_label, l, mask & htonl(0xfffff)); }
void match_set_nw_proto(struct match *m, uint8_t p)
{ SET_MASKED(m, nw_proto, p, UINT8_MAX); }

void
match_set_nw_dscp(struct match *m, uint8_t tos)
{
    m->flow.nw_tos = (m->flow.nw_tos & ~IP_DSCP_MASK) | (tos & IP_DSCP_MASK);
    m->wc.masks.nw_tos |= IP_DSCP_MASK;
}

void
match_set_nw_ecn(struct match *m, uint8_t ecn)
{
    m->flow.nw_tos = (m->flow.nw_tos & ~IP_ECN_MASK) | (ecn & IP_ECN_MASK);
    m->wc.masks.nw_tos |= IP_ECN_MASK;
}

void match_set_nw_ttl(struct match *m, uint8_t ttl)
{ SET_MASKED(m, nw_ttl, ttl, UINT8_MAX); }
void match_set_nw_frag_masked(struct match *m, uint8_t f, uint8_t mask)
{ SET_MASKED(m, nw_frag, f, mask & FLOW_NW_FRAG_MASK); }

void
match_set_arp_sha_masked(struct match *m, struct eth_addr a, struct eth_addr mask)
{
    set_bytes_masked(&m->flow.arp_sha, &m->wc.masks.arp_sha, &a, &mask, 6);
}

void
match_set_arp_tha_masked(struct match *m, struct eth_addr a, struct eth_addr mask)
{
    set_bytes_masked(&m->flow.arp_tha, &m->wc.masks.arp_tha, &a, &mask, 6);
}

void match_set_tp_src_masked(struct match *m, vs_be16 p, vs_be16 mask)
{ SET_MASKED(m, tp_src, p, mask); }
void match_set_tp_dst_masked(struct match *m, vs_be16 p, vs_be16 mask)
{ SET_MASKED(m, tp_dst, p, mask); }
void match_set_tcp_flags_masked(struct match *m, vs_be16 f, vs_be16 mask)
{ SET_MASKED(m, tcp_flags, f, mask & htons(TCP_FLAGS_MASK)); }

bool
match_dl_type_is(const struct match *m, uint16_t eth_type)
{
    return m->wc.masks.dl_type == 0xffff && m->flow.dl_type == htons(eth_type);
}

bool
match_is_ip_any(const struct match *m)
{
    return match_dl_type_is(m, ETH_TYPE_IP) || match_dl_type_is(m, ETH_TYPE_IPV6);
}

bool
match_nw_proto_is(const struct match *m, uint8_t proto)
{
    return match_is_ip_any(m) && m->wc.masks.nw_proto == 0xff
           && m->flow.nw_proto == proto;
}
