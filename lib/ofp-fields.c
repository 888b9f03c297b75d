/* The OpenFlow match field table and its mapping onto struct flow. */
#include <config.h>
#include "ofp-fields.h"

#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "dynamic-string.h"
#include "flow.h"
#include "match.h"
#include "ofp-buf.h"
#include "util.h"

#define FC(ID, NAME, FNAME, CLASS, OXM, BYTES, BITS, MASKABLE, WRITABLE, FMT) \
    [OFPF_##ID] = { OFPF_##ID, NAME, FNAME, CLASS, OXM, BYTES, BITS, MASKABLE, \
                    WRITABLE, OFPFF_##FMT, OFPF_##ID >= OFPF_N_MATCH_FIELDS }
#define F(ID, NAME, FNAME, OXM, BYTES, BITS, MASKABLE, WRITABLE, FMT) \
    FC(ID, NAME, FNAME, OXM_CLASS_BASIC, OXM, BYTES, BITS, MASKABLE, WRITABLE, FMT)
static const struct ofp_field fields[OFPF_N_FIELDS] = {
    F(IN_PORT, "in_port", "in_port", 0, 4, 32, false, false, PORT),
    F(METADATA, "metadata", "metadata", 2, 8, 64, true, true, HEX),
    F(TUNNEL_ID, "tun_id", "tun_id", 38, 8, 64, true, true, HEX),
    F(ETH_DST, "eth_dst", "dl_dst", 3, 6, 48, true, true, ETH),
    F(ETH_SRC, "eth_src", "dl_src", 4, 6, 48, true, true, ETH),
    F(ETH_TYPE, "eth_type", "dl_type", 5, 2, 16, false, false, HEX),
    F(VLAN_VID, "vlan_vid", "vlan_vid", 6, 2, 13, true, true, DEC),
    F(VLAN_PCP, "vlan_pcp", "dl_vlan_pcp", 7, 1, 3, false, true, DEC),
    F(MPLS_LABEL, "mpls_label", "mpls_label", 34, 4, 20, false, true, DEC),
    F(MPLS_TC, "mpls_tc", "mpls_tc", 35, 1, 3, false, true, DEC),
    F(MPLS_BOS, "mpls_bos", "mpls_bos", 36, 1, 1, false, false, DEC),
    F(IP_DSCP, "ip_dscp", "ip_dscp", 8, 1, 6, false, true, DEC),
    F(IP_ECN, "nw_ecn", "nw_ecn", 9, 1, 2, false, true, DEC),
    F(IP_PROTO, "nw_proto", "nw_proto", 10, 1, 8, false, false, DEC),
    F(IPV4_SRC, "ip_src", "nw_src", 11, 4, 32, true, true, IPV4),
    F(IPV4_DST, "ip_dst", "nw_dst", 12, 4, 32, true, true, IPV4),
    F(IPV6_SRC, "ipv6_src", "ipv6_src", 26, 16, 128, true, true, IPV6),
    F(IPV6_DST, "ipv6_dst", "ipv6_dst", 27, 16, 128, true, true, IPV6),
    F(IPV6_FLABEL, "ipv6_label", "ipv6_label", 28, 4, 20, true, true, HEX),
    F(ARP_OP, "arp_op", "arp_op", 21, 2, 16, false, true, DEC),
    F(ARP_SPA, "arp_spa", "arp_spa", 22, 4, 32, true, true, IPV4),
    F(ARP_TPA, "arp_tpa", "arp_tpa", 23, 4, 32, true, true, IPV4),
    F(ARP_SHA, "arp_sha", "arp_sha", 24, 6, 48, true, true, ETH),
    F(ARP_THA, "arp_tha", "arp_tha", 25, 6, 48, true, true, ETH),
    F(TCP_SRC, "tcp_src", "tcp_src", 13, 2, 16, true, true, DEC),
    F(TCP_DST, "tcp_dst", "tcp_dst", 14, 2, 16, true, true, DEC),
    F(UDP_SRC, "udp_src", "udp_src", 15, 2, 16, true, true, DEC),
    F(UDP_DST, "udp_dst", "udp_dst", 16, 2, 16, true, true, DEC),
    F(SCTP_SRC, "sctp_src", "sctp_src", 17, 2, 16, true, true, DEC),
    F(SCTP_DST, "sctp_dst", "sctp_dst", 18, 2, 16, true, true, DEC),
    F(ICMPV4_TYPE, "icmp_type", "icmp_type", 19, 1, 8, false, true, DEC),
    F(ICMPV4_CODE, "icmp_code", "icmp_code", 20, 1, 8, false, true, DEC),
    F(ICMPV6_TYPE, "icmpv6_type", "icmpv6_type", 29, 1, 8, false, true, DEC),
    F(ICMPV6_CODE, "icmpv6_code", "icmpv6_code", 30, 1, 8, false, true, DEC),
    F(ND_TARGET, "nd_target", "nd_target", 31, 16, 128, false, true, IPV6),
    F(ND_SLL, "nd_sll", "nd_sll", 32, 6, 48, false, true, ETH),
    F(ND_TLL, "nd_tll", "nd_tll", 33, 6, 48, false, true, ETH),
    F(TCP_FLAGS, "tcp_flags", "tcp_flags", 42, 2, 12, true, false, TCP_FLAGS),
    FC(NW_TTL, "nw_ttl", "nw_ttl", OXM_CLASS_NXM_1, 29, 1, 8, false, true, DEC),
    FC(NW_FRAG, "nw_frag", "nw_frag", OXM_CLASS_NXM_1, 26, 1, 2, true, false, HEX),
    FC(TUN_SRC, "tun_src", "tun_src", OXM_CLASS_NXM_1, 31, 4, 32, true, true, IPV4),
    FC(TUN_DST, "tun_dst", "tun_dst", OXM_CLASS_NXM_1, 32, 4, 32, true, true, IPV4),
    FC(REG0, "reg0", "reg0", OXM_CLASS_NXM_1, 0, 4, 32, true, true, HEX),
    FC(REG1, "reg1", "reg1", OXM_CLASS_NXM_1, 1, 4, 32, true, true, HEX),
    FC(REG2, "reg2", "reg2", OXM_CLASS_NXM_1, 2, 4, 32, true, true, HEX),
    FC(REG3, "reg3", "reg3", OXM_CLASS_NXM_1, 3, 4, 32, true, true, HEX),
    FC(REG4, "reg4", "reg4", OXM_CLASS_NXM_1, 4, 4, 32, true, true, HEX),
    FC(REG5, "reg5", "reg5", OXM_CLASS_NXM_1, 5, 4, 32, true, true, HEX),
    FC(REG6, "reg6", "reg6", OXM_CLASS_NXM_1, 6, 4, 32, true, true, HEX),
    FC(REG7, "reg7", "reg7", OXM_CLASS_NXM_1, 7, 4, 32, true, true, HEX),
    FC(REG8, "reg8", "reg8", OXM_CLASS_NXM_1, 8, 4, 32, true, true, HEX),
    FC(REG9, "reg9", "reg9", OXM_CLASS_NXM_1, 9, 4, 32, true, true, HEX),
    FC(REG10, "reg10", "reg10", OXM_CLASS_NXM_1, 10, 4, 32, true, true, HEX),
    FC(REG11, "reg11", "reg11", OXM_CLASS_NXM_1, 11, 4, 32, true, true, HEX),
    FC(REG12, "reg12", "reg12", OXM_CLASS_NXM_1, 12, 4, 32, true, true, HEX),
    FC(REG13, "reg13", "reg13", OXM_CLASS_NXM_1, 13, 4, 32, true, true, HEX),
    FC(REG14, "reg14", "reg14", OXM_CLASS_NXM_1, 14, 4, 32, true, true, HEX),
    FC(REG15, "reg15", "reg15", OXM_CLASS_NXM_1, 15, 4, 32, true, true, HEX),
    FC(XREG0, "xreg0", "xreg0", OXM_CLASS_PKT_REGS, 0, 8, 64, true, true, HEX),
    FC(XREG1, "xreg1", "xreg1", OXM_CLASS_PKT_REGS, 1, 8, 64, true, true, HEX),
    FC(XREG2, "xreg2", "xreg2", OXM_CLASS_PKT_REGS, 2, 8, 64, true, true, HEX),
    FC(XREG3, "xreg3", "xreg3", OXM_CLASS_PKT_REGS, 3, 8, 64, true, true, HEX),
    FC(XREG4, "xreg4", "xreg4", OXM_CLASS_PKT_REGS, 4, 8, 64, true, true, HEX),
    FC(XREG5, "xreg5", "xreg5", OXM_CLASS_PKT_REGS, 5, 8, 64, true, true, HEX),
    FC(XREG6, "xreg6", "xreg6", OXM_CLASS_PKT_REGS, 6, 8, 64, true, true, HEX),
    FC(XREG7, "xreg7", "xreg7", OXM_CLASS_PKT_REGS, 7, 8, 64, true, true, HEX),
    FC(XXREG0, "xxreg0", "xxreg0", OXM_CLASS_NXM_1, 111, 16, 128, true, true, HEX),
    FC(XXREG1, "xxreg1", "xxreg1", OXM_CLASS_NXM_1, 112, 16, 128, true, true, HEX),
    FC(XXREG2, "xxreg2", "xxreg2", OXM_CLASS_NXM_1, 113, 16, 128, true, true, HEX),
    FC(XXREG3, "xxreg3", "xxreg3", OXM_CLASS_NXM_1, 114, 16, 128, true, true, HEX),
    /* NXM class 0: only load, move and output:FIELD[] name it (matches
     * use the 32-bit in_port). */
    FC(NXM_IN_PORT, "in_port", "in_port", 0, 0, 2, 16, false, true, PORT),
    FC(VLAN_TCI, "vlan_tci", "vlan_tci", 0, 4, 2, 16, true, true, HEX),
};
#undef F
#undef FC

const struct ofp_field *
ofp_field_get(enum ofp_field_id id)
{
    return (unsigned) id < OFPF_N_FIELDS ? &fields[id] : NULL;
}

const struct ofp_field *
ofp_field_from_name(const char *name)
{
    static const struct { const char *alias; enum ofp_field_id id; } aliases[] = {
        { "nw_src", OFPF_IPV4_SRC }, { "nw_dst", OFPF_IPV4_DST },
        { "ipv4_src", OFPF_IPV4_SRC }, { "ipv4_dst", OFPF_IPV4_DST },
        { "dl_dst", OFPF_ETH_DST }, { "dl_src", OFPF_ETH_SRC },
        { "dl_type", OFPF_ETH_TYPE }, { "ip_proto", OFPF_IP_PROTO },
        { "ip_ecn", OFPF_IP_ECN }, { "tunnel_id", OFPF_TUNNEL_ID },
        { "dl_vlan_pcp", OFPF_VLAN_PCP }, { "ipv6_flabel", OFPF_IPV6_FLABEL },
        { "icmpv4_type", OFPF_ICMPV4_TYPE }, { "icmpv4_code", OFPF_ICMPV4_CODE },
        { "ipv6_nd_target", OFPF_ND_TARGET }, { "ipv6_nd_sll", OFPF_ND_SLL },
        { "ipv6_nd_tll", OFPF_ND_TLL },
    };
    for (size_t i = 0; i < OFPF_N_FIELDS; i++) {
        if (!strcmp(name, fields[i].name) || !strcmp(name, fields[i].flow_name)) {
            return &fields[i];
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(aliases); i++) {
        if (!strcmp(name, aliases[i].alias)) {
            return &fields[aliases[i].id];
        }
    }
    return NULL;
}

/* Basic-class OXM field number -> index into 'fields' + 1 (0: none), so
 * that decoding a dump does not scan the field list for every TLV. */
static uint8_t basic_index[128];
static pthread_once_t basic_index_once = PTHREAD_ONCE_INIT;

static void
basic_index_init(void)
{
    for (size_t i = 0; i < OFPF_N_FIELDS; i++) {
        if (fields[i].oxm_class == OXM_CLASS_BASIC
            && fields[i].oxm_field < ARRAY_SIZE(basic_index)
            && !basic_index[fields[i].oxm_field]) {
            basic_index[fields[i].oxm_field] = i + 1;
        }
    }
}

const struct ofp_field *
ofp_field_from_oxm(uint16_t oxm_class, uint8_t oxm_field)
{
    if (oxm_class == OXM_CLASS_BASIC && oxm_field < ARRAY_SIZE(basic_index)) {
        pthread_once(&basic_index_once, basic_index_init);
        uint8_t idx = basic_index[oxm_field];
        return idx ? &fields[idx - 1] : NULL;
    }
    for (size_t i = 0; i < OFPF_N_FIELDS; i++) {
        if (fields[i].oxm_class == oxm_class && fields[i].oxm_field == oxm_field) {
            return &fields[i];
        }
    }
    return NULL;
}

/* Fields wider than 8 bytes (xxregs, IPv6) give and take their low 8. */
uint64_t
ofp_value_to_u64(const struct ofp_field *f, const union ofp_value *v)
{
    uint64_t x = 0;
    for (int i = f->n_bytes > 8 ? f->n_bytes - 8 : 0; i < f->n_bytes; i++) {
        x = (x << 8) | v->b[i];
    }
    return x;
}

void
ofp_value_from_u64(const struct ofp_field *f, uint64_t x, union ofp_value *v)
{
    memset(v, 0, sizeof *v);
    for (int i = f->n_bytes - 1; i >= 0 && i >= f->n_bytes - 8; i--, x >>= 8) {
        v->b[i] = x;
    }
}

/* Registers are host-order words in struct flow; a value is big-endian
 * with the lowest-numbered register most significant (xreg0 = reg0:reg1,
 * as Open vSwitch lays them out). */
static void
regs_get(const struct flow *flow, int first, int n, union ofp_value *v)
{
    for (int i = 0; i < n; i++) {
        put_be32(&v->b[4 * i], flow->regs[first + i]);
    }
}

static void
regs_put(struct flow *flow, int first, int n, const union ofp_value *v)
{
    for (int i = 0; i < n; i++) {
        flow->regs[first + i] = get_be32(&v->b[4 * i]);
    }
}

/* Reads or writes the flow bits behind each field.  'f' may be a value
 * flow or a mask flow: the mapping is the same. */
static void
get_from_flow(const struct ofp_field *f, const struct flow *flow,
              union ofp_value *v)
{
    memset(v, 0, sizeof *v);
    switch (f->id) {
    case OFPF_IN_PORT: v->be32 = htonl(flow->in_port); break;
    case OFPF_METADATA: v->be64 = flow->metadata; break;
    case OFPF_TUNNEL_ID: v->be64 = flow->tun_id; break;
    case OFPF_ETH_DST: v->mac = flow->dl_dst; break;
    case OFPF_ETH_SRC: v->mac = flow->dl_src; break;
    case OFPF_ETH_TYPE: v->be16 = flow->dl_type; break;
    case OFPF_VLAN_VID:
        v->be16 = flow->vlans[0].tci & htons(VLAN_VID_MASK | VLAN_CFI);
        break;
    case OFPF_VLAN_PCP: v->u8 = ntohs(flow->vlans[0].tci) >> VLAN_PCP_SHIFT; break;
    case OFPF_MPLS_LABEL:
        v->be32 = htonl(ntohl(flow->mpls_lse[0]) >> MPLS_LABEL_SHIFT);
        break;
    case OFPF_MPLS_TC:
        v->u8 = (ntohl(flow->mpls_lse[0]) & MPLS_TC_MASK) >> MPLS_TC_SHIFT;
        break;
    case OFPF_MPLS_BOS:
        v->u8 = (ntohl(flow->mpls_lse[0]) & MPLS_BOS_MASK) >> MPLS_BOS_SHIFT;
        break;
    case OFPF_IP_DSCP: v->u8 = flow->nw_tos >> 2; break;
    case OFPF_IP_ECN: v->u8 = flow->nw_tos & IP_ECN_MASK; break;
    case OFPF_IP_PROTO: v->u8 = flow->nw_proto; break;
    case OFPF_IPV4_SRC: case OFPF_ARP_SPA: v->be32 = flow->nw_src; break;
    case OFPF_IPV4_DST: case OFPF_ARP_TPA: v->be32 = flow->nw_dst; break;
    case OFPF_IPV6_SRC: v->ipv6 = flow->ipv6_src; break;
    case OFPF_IPV6_DST: v->ipv6 = flow->ipv6_dst; break;
    case OFPF_IPV6_FLABEL: v->be32 = flow->ipv6_label & htonl(0xfffff); break;
    case OFPF_ARP_OP: v->be16 = htons(flow->nw_proto); break;
    case OFPF_ARP_SHA: case OFPF_ND_SLL: v->mac = flow->arp_sha; break;
    case OFPF_ARP_THA: case OFPF_ND_TLL: v->mac = flow->arp_tha; break;
    case OFPF_TCP_SRC: case OFPF_UDP_SRC: case OFPF_SCTP_SRC:
        v->be16 = flow->tp_src;
        break;
    case OFPF_TCP_DST: case OFPF_UDP_DST: case OFPF_SCTP_DST:
        v->be16 = flow->tp_dst;
        break;
    case OFPF_ICMPV4_TYPE: case OFPF_ICMPV6_TYPE: v->u8 = ntohs(flow->tp_src); break;
    case OFPF_ICMPV4_CODE: case OFPF_ICMPV6_CODE: v->u8 = ntohs(flow->tp_dst); break;
    case OFPF_ND_TARGET: v->ipv6 = flow->nd_target; break;
    case OFPF_TCP_FLAGS: v->be16 = flow->tcp_flags & htons(TCP_FLAGS_MASK); break;
    case OFPF_NW_TTL: v->u8 = flow->nw_ttl; break;
    case OFPF_NW_FRAG: v->u8 = flow->nw_frag & FLOW_NW_FRAG_MASK; break;
    case OFPF_TUN_SRC: v->be32 = flow->tun_src; break;
    case OFPF_TUN_DST: v->be32 = flow->tun_dst; break;
    case OFPF_VLAN_TCI: v->be16 = flow->vlans[0].tci; break;
    case OFPF_NXM_IN_PORT: {
        uint16_t port;
        if (!ofp_port_to_ofp10(flow->in_port, &port)) {
            port = flow->in_port;   /* A mask, or beyond OF1.0's range. */
        }
        v->be16 = htons(port);
        break;
    }
    case OFPF_N_FIELDS: break;
    default:
        if (f->id >= OFPF_REG0 && f->id < OFPF_REG0 + FLOW_N_REGS) {
            regs_get(flow, f->id - OFPF_REG0, 1, v);
        } else if (f->id >= OFPF_XREG0 && f->id < OFPF_XREG0 + FLOW_N_XREGS) {
            regs_get(flow, 2 * (f->id - OFPF_XREG0), 2, v);
        } else if (f->id >= OFPF_XXREG0
                   && f->id < OFPF_XXREG0 + FLOW_N_XXREGS) {
            regs_get(flow, 4 * (f->id - OFPF_XXREG0), 4, v);
        }
        break;
    }
}

/* Stores the bits of 'v' under 'f' into 'flow', leaving other bits. */
static void
put_into_flow(const struct ofp_field *f, const union ofp_value *v,
              struct flow *flow)
{
    switch (f->id) {
    case OFPF_IN_PORT: flow->in_port = ntohl(v->be32); break;
    case OFPF_METADATA: flow->metadata = v->be64; break;
    case OFPF_TUNNEL_ID: flow->tun_id = v->be64; break;
    case OFPF_ETH_DST: flow->dl_dst = v->mac; break;
    case OFPF_ETH_SRC: flow->dl_src = v->mac; break;
    case OFPF_ETH_TYPE: flow->dl_type = v->be16; break;
    case OFPF_VLAN_VID:
        flow->vlans[0].tci = (flow->vlans[0].tci & ~htons(VLAN_VID_MASK | VLAN_CFI))
                             | (v->be16 & htons(VLAN_VID_MASK | VLAN_CFI));
        break;
    case OFPF_VLAN_PCP:
        flow->vlans[0].tci = (flow->vlans[0].tci & ~htons(VLAN_PCP_MASK))
                             | htons((v->u8 & 7) << VLAN_PCP_SHIFT);
        break;
    case OFPF_MPLS_LABEL:
        flow->mpls_lse[0] = htonl((ntohl(flow->mpls_lse[0]) & ~MPLS_LABEL_MASK)
                                  | (ntohl(v->be32) << MPLS_LABEL_SHIFT));
        break;
    case OFPF_MPLS_TC:
        flow->mpls_lse[0] = htonl((ntohl(flow->mpls_lse[0]) & ~MPLS_TC_MASK)
                                  | ((uint32_t) (v->u8 & 7) << MPLS_TC_SHIFT));
        break;
    case OFPF_MPLS_BOS:
        flow->mpls_lse[0] = htonl((ntohl(flow->mpls_lse[0]) & ~MPLS_BOS_MASK)
                                  | ((uint32_t) (v->u8 & 1) << MPLS_BOS_SHIFT));
        break;
    case OFPF_IP_DSCP:
        flow->nw_tos = (flow->nw_tos & IP_ECN_MASK) | (v->u8 << 2);
        break;
    case OFPF_IP_ECN:
        flow->nw_tos = (flow->nw_tos & IP_DSCP_MASK) | (v->u8 & IP_ECN_MASK);
        break;
    case OFPF_IP_PROTO: flow->nw_proto = v->u8; break;
    case OFPF_IPV4_SRC: case OFPF_ARP_SPA: flow->nw_src = v->be32; break;
    case OFPF_IPV4_DST: case OFPF_ARP_TPA: flow->nw_dst = v->be32; break;
    case OFPF_IPV6_SRC: flow->ipv6_src = v->ipv6; break;
    case OFPF_IPV6_DST: flow->ipv6_dst = v->ipv6; break;
    case OFPF_IPV6_FLABEL: flow->ipv6_label = v->be32 & htonl(0xfffff); break;
    case OFPF_ARP_OP: flow->nw_proto = ntohs(v->be16); break;
    case OFPF_ARP_SHA: case OFPF_ND_SLL: flow->arp_sha = v->mac; break;
    case OFPF_ARP_THA: case OFPF_ND_TLL: flow->arp_tha = v->mac; break;
    case OFPF_TCP_SRC: case OFPF_UDP_SRC: case OFPF_SCTP_SRC:
        flow->tp_src = v->be16;
        break;
    case OFPF_TCP_DST: case OFPF_UDP_DST: case OFPF_SCTP_DST:
        flow->tp_dst = v->be16;
        break;
    case OFPF_ICMPV4_TYPE: case OFPF_ICMPV6_TYPE: flow->tp_src = htons(v->u8); break;
    case OFPF_ICMPV4_CODE: case OFPF_ICMPV6_CODE: flow->tp_dst = htons(v->u8); break;
    case OFPF_ND_TARGET: flow->nd_target = v->ipv6; break;
    case OFPF_TCP_FLAGS: flow->tcp_flags = v->be16 & htons(TCP_FLAGS_MASK); break;
    case OFPF_NW_TTL: flow->nw_ttl = v->u8; break;
    case OFPF_NW_FRAG: flow->nw_frag = v->u8 & FLOW_NW_FRAG_MASK; break;
    case OFPF_TUN_SRC: flow->tun_src = v->be32; break;
    case OFPF_TUN_DST: flow->tun_dst = v->be32; break;
    case OFPF_NXM_IN_PORT:
        flow->in_port = ofp_port_from_ofp10(ntohs(v->be16));
        break;
    case OFPF_VLAN_TCI: flow->vlans[0].tci = v->be16; break;
    case OFPF_N_FIELDS: break;
    default:
        if (f->id >= OFPF_REG0 && f->id < OFPF_REG0 + FLOW_N_REGS) {
            regs_put(flow, f->id - OFPF_REG0, 1, v);
        } else if (f->id >= OFPF_XREG0 && f->id < OFPF_XREG0 + FLOW_N_XREGS) {
            regs_put(flow, 2 * (f->id - OFPF_XREG0), 2, v);
        } else if (f->id >= OFPF_XXREG0
                   && f->id < OFPF_XXREG0 + FLOW_N_XXREGS) {
            regs_put(flow, 4 * (f->id - OFPF_XXREG0), 4, v);
        }
        break;
    }
}

void
ofp_field_get_value(const struct ofp_field *f, const struct flow *flow,
                    union ofp_value *v)
{
    get_from_flow(f, flow, v);
}

void
ofp_field_get_mask(const struct ofp_field *f, const struct match *m,
                   union ofp_value *mask)
{
    get_from_flow(f, &m->wc.masks, mask);
    /* arp_op lives in the 8-bit nw_proto: a full byte is an exact match. */
    if (f->id == OFPF_ARP_OP && mask->be16 == htons(0xff)) {
        mask->be16 = 0xffff;
    }
}

void
ofp_field_set_flow(const struct ofp_field *f, const union ofp_value *v,
                   struct flow *flow)
{
    put_into_flow(f, v, flow);
}

static void
all_ones(const struct ofp_field *f, union ofp_value *v)
{
    memset(v, 0, sizeof *v);
    if (f->n_bits >= 8 * f->n_bytes) {
        memset(v->b, 0xff, f->n_bytes);
    } else {
        ofp_value_from_u64(f, (UINT64_C(1) << f->n_bits) - 1, v);
    }
}

void
ofp_field_set_match(const struct ofp_field *f, const union ofp_value *value,
                    const union ofp_value *mask, struct match *m)
{
    union ofp_value ones, v;
    if (!mask) {
        all_ones(f, &ones);
        mask = &ones;
    }
    for (int i = 0; i < 16; i++) {
        v.b[i] = value->b[i] & mask->b[i];
    }
    /* The field's own bits of the mask become exactly 'mask'. */
    put_into_flow(f, &v, &m->flow);
    put_into_flow(f, mask, &m->wc.masks);
    if (f->id == OFPF_VLAN_VID || f->id == OFPF_VLAN_PCP
        || f->id == OFPF_VLAN_TCI) {
        match_set_vlan_tci_masked(m, m->flow.vlans[0].tci,
                                  m->wc.masks.vlans[0].tci);
    }
}

bool
ofp_field_value_is_valid(const struct ofp_field *f, const union ofp_value *v)
{
    if (f->n_bits >= 8 * f->n_bytes) {
        return true;
    }
    return !(ofp_value_to_u64(f, v) >> f->n_bits);
}

int
ofp_field_alias_group(enum ofp_field_id id)
{
    switch (id) {
    case OFPF_ARP_OP: return OFPF_IP_PROTO;
    case OFPF_ARP_SPA: return OFPF_IPV4_SRC;
    case OFPF_ARP_TPA: return OFPF_IPV4_DST;
    case OFPF_ND_SLL: return OFPF_ARP_SHA;
    case OFPF_ND_TLL: return OFPF_ARP_THA;
    case OFPF_UDP_SRC: case OFPF_SCTP_SRC: case OFPF_ICMPV4_TYPE:
    case OFPF_ICMPV6_TYPE:
        return OFPF_TCP_SRC;
    case OFPF_UDP_DST: case OFPF_SCTP_DST: case OFPF_ICMPV4_CODE:
    case OFPF_ICMPV6_CODE:
        return OFPF_TCP_DST;
    default:
        return id;
    }
}

bool
ofp_value_is_zero(const struct ofp_field *f, const union ofp_value *v)
{
    for (int i = 0; i < f->n_bytes; i++) {
        if (v->b[i]) {
            return false;
        }
    }
    return true;
}

_Static_assert(OFPF_N_MATCH_FIELDS <= 64, "field bitmap must fit in 64 bits");

/* It depends on the masks alone, and a dump encodes (or prints) thousands
 * of rules of one shape in a row, so the last answer is kept (per thread)
 * and reused when the masks are the same: one memcmp instead of extracting
 * every field. */
uint64_t
ofp_fields_with_mask(const struct match *match)
{
    static _Thread_local struct {
        bool valid;
        struct flow masks;
        uint64_t fields;
    } last;
    if (last.valid && !memcmp(&last.masks, &match->wc.masks,
                              sizeof last.masks)) {
        return last.fields;
    }
    uint64_t fields = 0;
    for (int id = 0; id < OFPF_N_MATCH_FIELDS; id++) {
        const struct ofp_field *f = ofp_field_get(id);
        union ofp_value mask;
        ofp_field_get_mask(f, match, &mask);
        if (!ofp_value_is_zero(f, &mask)) {
            fields |= UINT64_C(1) << id;
        }
    }
    last.masks = match->wc.masks;
    last.fields = fields;
    last.valid = true;
    return fields;
}

bool
ofp_value_is_exact(const struct ofp_field *f, const union ofp_value *v)
{
    if (f->n_bits >= 8 * f->n_bytes) {
        /* Whole bytes (most fields): no need to build the ones. */
        for (int i = 0; i < f->n_bytes; i++) {
            if (v->b[i] != 0xff) {
                return false;
            }
        }
        return true;
    }
    union ofp_value ones;
    all_ones(f, &ones);
    return !memcmp(v->b, ones.b, f->n_bytes);
}

bool
ofp_field_prereqs_ok(const struct ofp_field *f, const struct match *m)
{
    switch (f->id) {
    case OFPF_IN_PORT: case OFPF_METADATA: case OFPF_TUNNEL_ID:
    case OFPF_TUN_SRC: case OFPF_TUN_DST: case OFPF_NXM_IN_PORT:
    case OFPF_VLAN_TCI:
    case OFPF_ETH_DST: case OFPF_ETH_SRC: case OFPF_ETH_TYPE:
    case OFPF_VLAN_VID:
        return true;
    case OFPF_VLAN_PCP:
        /* Needs VLAN_VID with the present bit matched as 1. */
        return (m->wc.masks.vlans[0].tci & htons(VLAN_CFI))
               && (m->flow.vlans[0].tci & htons(VLAN_CFI));
    case OFPF_MPLS_LABEL: case OFPF_MPLS_TC: case OFPF_MPLS_BOS:
        return match_dl_type_is(m, ETH_TYPE_MPLS)
               || match_dl_type_is(m, ETH_TYPE_MPLS_MCAST);
    case OFPF_IP_DSCP: case OFPF_IP_ECN: case OFPF_IP_PROTO:
    case OFPF_NW_TTL: case OFPF_NW_FRAG:
        return match_is_ip_any(m);
    case OFPF_IPV4_SRC: case OFPF_IPV4_DST:
        return match_dl_type_is(m, ETH_TYPE_IP);
    case OFPF_IPV6_SRC: case OFPF_IPV6_DST: case OFPF_IPV6_FLABEL:
        return match_dl_type_is(m, ETH_TYPE_IPV6);
    case OFPF_ARP_OP: case OFPF_ARP_SPA: case OFPF_ARP_TPA:
    case OFPF_ARP_SHA: case OFPF_ARP_THA:
        return match_dl_type_is(m, ETH_TYPE_ARP);
    case OFPF_TCP_SRC: case OFPF_TCP_DST: case OFPF_TCP_FLAGS:
        return match_nw_proto_is(m, IPPROTO_TCP);
    case OFPF_UDP_SRC: case OFPF_UDP_DST:
        return match_nw_proto_is(m, IPPROTO_UDP);
    case OFPF_SCTP_SRC: case OFPF_SCTP_DST:
        return match_nw_proto_is(m, IPPROTO_SCTP);
    case OFPF_ICMPV4_TYPE: case OFPF_ICMPV4_CODE:
        return match_dl_type_is(m, ETH_TYPE_IP) && match_nw_proto_is(m, IPPROTO_ICMP);
    case OFPF_ICMPV6_TYPE: case OFPF_ICMPV6_CODE:
        return match_dl_type_is(m, ETH_TYPE_IPV6)
               && match_nw_proto_is(m, IPPROTO_ICMPV6);
    case OFPF_ND_TARGET: case OFPF_ND_SLL: case OFPF_ND_TLL: {
        if (!match_dl_type_is(m, ETH_TYPE_IPV6)
            || !match_nw_proto_is(m, IPPROTO_ICMPV6)
            || (m->wc.masks.tp_src & htons(0xff)) != htons(0xff)) {
            return false;
        }
        uint8_t type = ntohs(m->flow.tp_src);
        return f->id == OFPF_ND_SLL ? type == ND_NEIGHBOR_SOLICIT
               : f->id == OFPF_ND_TLL ? type == ND_NEIGHBOR_ADVERT
               : type == ND_NEIGHBOR_SOLICIT || type == ND_NEIGHBOR_ADVERT;
    }
    case OFPF_N_FIELDS:
        break;
    default:
        return true;            /* Registers: pipeline metadata. */
    }
    return false;
}

/* 'n' big-endian bytes as "0x..." without leading zeros, zero as "0"
 * (printf's "%#x", which ovs-ofctl uses for hex fields). */
static void
format_hex(const uint8_t *b, size_t n, struct ds *s)
{
    if (n <= 8) {
        /* Most fields: one integer, no printf. */
        uint64_t x = 0;
        for (size_t i = 0; i < n; i++) {
            x = (x << 8) | b[i];
        }
        if (x) {
            ds_put_cstr(s, "0x");
            ds_put_hex(s, x);
        } else {
            ds_put_char(s, '0');
        }
        return;
    }
    size_t i = 0;
    while (i < n && !b[i]) {
        i++;
    }
    if (i == n) {
        ds_put_char(s, '0');
        return;
    }
    ds_put_format(s, "0x%x", b[i]);
    while (++i < n) {
        ds_put_format(s, "%02x", b[i]);
    }
}

void
ofp_field_format_value(const struct ofp_field *f, const union ofp_value *v,
                       struct ds *s)
{
    char buf[INET6_ADDRSTRLEN];
    switch (f->format) {
    case OFPFF_DEC:
    case OFPFF_PORT:
        ds_put_uint(s, ofp_value_to_u64(f, v));
        break;
    case OFPFF_HEX:
    case OFPFF_TCP_FLAGS:
        format_hex(v->b, f->n_bytes, s);
        break;
    case OFPFF_ETH:
        ds_put_format(s, ETH_ADDR_FMT, ETH_ADDR_ARGS(v->mac));
        break;
    case OFPFF_IPV4: {
        /* Dotted quad by hand: inet_ntop() was a visible share of dumps. */
        const uint8_t *q = (const uint8_t *) &v->be32;
        for (int i = 0; i < 4; i++) {
            if (i) {
                ds_put_char(s, '.');
            }
            ds_put_uint(s, q[i]);
        }
        break;
    }
    case OFPFF_IPV6:
        inet_ntop(AF_INET6, &v->ipv6, buf, sizeof buf);
        ds_put_cstr(s, buf);
        break;
    }
}

static bool
parse_u64(const char *s, uint64_t *x)
{
    unsigned long long v;
    if (!str_to_ullong(s, 0, &v)) {
        return false;
    }
    *x = v;
    return true;
}

static bool
parse_mac(const char *s, struct eth_addr *mac)
{
    unsigned int b[6];
    char extra;
    if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4],
               &b[5], &extra) != 6) {
        return false;
    }
    for (int i = 0; i < 6; i++) {
        if (b[i] > 0xff) {
            return false;
        }
        mac->ea[i] = b[i];
    }
    return true;
}

/* "0x" and up to 2 * 'n' hex digits into 'n' big-endian bytes (fields
 * wider than 64 bits: xxregs). */
static bool
parse_wide_hex(const char *s, size_t n, uint8_t *b)
{
    size_t len = strlen(s);
    if (len < 3 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')
        || strspn(s + 2, "0123456789abcdefABCDEF") != len - 2) {
        return false;
    }
    s += 2;
    len -= 2;
    while (len > 1 && *s == '0') {
        s++;
        len--;
    }
    if (len > 2 * n) {
        return false;
    }
    memset(b, 0, n);
    for (size_t i = 0; i < len; i++) {
        char c = s[len - 1 - i];
        int d = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
        b[n - 1 - i / 2] |= d << (4 * (i % 2));
    }
    return true;
}

static bool
parse_one(const struct ofp_field *f, const char *s, union ofp_value *v,
          bool is_mask)
{
    uint64_t x;
    memset(v, 0, sizeof *v);
    if (f->format == OFPFF_HEX && f->n_bytes > 8 && parse_wide_hex(s, f->n_bytes, v->b)) {
        return true;
    }
    switch (f->format) {
    case OFPFF_DEC: case OFPFF_HEX: case OFPFF_PORT: case OFPFF_TCP_FLAGS:
        if (!parse_u64(s, &x)) {
            return false;
        }
        if (f->n_bytes < 8 && x >> (8 * f->n_bytes)) {
            return false;
        }
        ofp_value_from_u64(f, x, v);
        return true;
    case OFPFF_ETH:
        return parse_mac(s, &v->mac);
    case OFPFF_IPV4:
        if (is_mask && strspn(s, "0123456789") == strlen(s)) {
            if (!parse_u64(s, &x) || x > 32) {
                return false;
            }
            v->be32 = x ? htonl(UINT32_MAX << (32 - x)) : 0;
            return true;
        }
        return inet_pton(AF_INET, s, &v->be32) == 1;
    case OFPFF_IPV6:
        if (is_mask && strspn(s, "0123456789") == strlen(s)) {
            if (!parse_u64(s, &x) || x > 128) {
                return false;
            }
            for (int i = 0; i < 16; i++) {
                int bits = MIN(8, MAX(0, (int) x - 8 * i));
                v->b[i] = bits ? 0xff << (8 - bits) : 0;
            }
            return true;
        }
        return inet_pton(AF_INET6, s, &v->ipv6) == 1;
    }
    return false;
}

char *
ofp_field_parse_value(const struct ofp_field *f, const char *s,
                      union ofp_value *value, union ofp_value *mask)
{
    const char *slash = strchr(s, '/');
    char *vs = slash ? xstrndup(s, slash - s) : xstrdup(s);
    char *error = NULL;
    if (!parse_one(f, vs, value, false)) {
        error = xasprintf("%s: bad value \"%s\"", f->flow_name, vs);
    } else if (!ofp_field_value_is_valid(f, value)) {
        error = xasprintf("%s: value %s out of range", f->flow_name, vs);
    } else if (slash) {
        if (!mask) {
            error = xasprintf("%s: a mask is not allowed here", f->flow_name);
        } else if (!parse_one(f, slash + 1, mask, true)) {
            error = xasprintf("%s: bad mask \"%s\"", f->flow_name, slash + 1);
        }
    } else if (mask) {
        all_ones(f, mask);
    }
    free(vs);
    return error;
}
