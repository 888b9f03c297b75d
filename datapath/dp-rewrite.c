/* Userspace twin of the BPF rewrite actions (see dp-rewrite.h). */
#include <config.h>
#include "datapath/dp-rewrite.h"
#include <string.h>
#include "csum.h"
#include "packets.h"

bool
dp_action_is_rewrite(uint16_t type)
{
    return (type >= DP_ACT_SET_ETH_SRC && type <= DP_ACT_SET_IP_TTL)
           || type == DP_ACT_SET_MPLS;
}

/* Offset of the Ethernet type that says what follows L2 (after up to two
 * VLAN tags), or 0 if the frame is too short. */
static size_t
l2_type_ofs(const uint8_t *pkt, size_t len)
{
    size_t ofs = 12;
    for (int i = 0; i < 2 && len >= ofs + 6; i++) {
        uint16_t t = pkt[ofs] << 8 | pkt[ofs + 1];
        if (t != 0x8100 && t != 0x88a8) {
            break;
        }
        ofs += 4;
    }
    return len >= ofs + 2 ? ofs : 0;
}

static bool
is_mpls_type(const uint8_t *p)
{
    uint16_t t = p[0] << 8 | p[1];
    return t == 0x8847 || t == 0x8848;
}

bool
dp_mpls_push_pop(uint8_t *pkt, size_t *len, size_t cap,
                 const struct dp_action *a)
{
    size_t tofs = l2_type_ofs(pkt, *len);
    size_t l3 = tofs + 2;

    if (!tofs) {
        return false;
    }
    if (a->type == DP_ACT_PUSH_MPLS) {
        if (cap < *len + MPLS_HLEN) {
            return false;
        }
        memmove(pkt + l3 + MPLS_HLEN, pkt + l3, *len - l3);
        memcpy(pkt + l3, &a->mpls_lse, MPLS_HLEN);
        *len += MPLS_HLEN;
    } else if (a->type == DP_ACT_POP_MPLS) {
        if (!is_mpls_type(pkt + tofs) || *len < l3 + MPLS_HLEN) {
            return false;
        }
        memmove(pkt + l3, pkt + l3 + MPLS_HLEN, *len - l3 - MPLS_HLEN);
        *len -= MPLS_HLEN;
    } else {
        return false;
    }
    memcpy(pkt + tofs, &a->mpls_ethertype, 2);
    return true;
}

/* Where the headers are; 0 means absent. */
struct layout {
    size_t l3;
    size_t l4;                  /* TCP/UDP header, whole and not a later
                                 * fragment. */
    uint8_t ip_version;         /* 4, 6 or 0. */
    uint8_t l4_proto;           /* 6 or 17 when l4 != 0. */
};

static void
locate(const uint8_t *pkt, size_t len, struct layout *lay)
{
    size_t l3 = 14;
    memset(lay, 0, sizeof *lay);
    if (len < 14) {
        return;
    }
    uint16_t type = pkt[12] << 8 | pkt[13];
    if (type == 0x8100 || type == 0x88a8) {
        if (len < 18) {
            return;
        }
        type = pkt[16] << 8 | pkt[17];
        l3 = 18;
    }
    const uint8_t *ip = pkt + l3;
    uint8_t proto;
    size_t l4;
    if (type == 0x0800 && len >= l3 + 20 && ip[0] >> 4 == 4) {
        size_t ihl = (ip[0] & 0xf) * 4;
        if (ihl < 20 || l3 + ihl > len) {
            return;
        }
        lay->l3 = l3;
        lay->ip_version = 4;
        if ((ip[6] & 0x1f) || ip[7]) {
            return;             /* A later fragment: no L4 header. */
        }
        proto = ip[9];
        l4 = l3 + ihl;
    } else if (type == 0x86dd && len >= l3 + 40 && ip[0] >> 4 == 6) {
        lay->l3 = l3;
        lay->ip_version = 6;
        proto = ip[6];          /* No extension headers, as in BPF. */
        l4 = l3 + 40;
    } else {
        return;
    }
    if ((proto == 6 && len >= l4 + 20) || (proto == 17 && len >= l4 + 8)) {
        lay->l4 = l4;
        lay->l4_proto = proto;
    }
}

static uint8_t *
l4_csum(uint8_t *pkt, const struct layout *lay)
{
    return pkt + lay->l4 + (lay->l4_proto == 6 ? 16 : 6);
}

/* Applies a change of the 16-bit word at 'field' to the TCP/UDP checksum,
 * keeping a UDP "no checksum" 0 and never producing one. */
static void
l4_csum_update(uint8_t *pkt, const struct layout *lay, const uint8_t *old,
               const uint8_t *new, size_t n)
{
    uint8_t *p = l4_csum(pkt, lay);
    vs_be16 c;
    memcpy(&c, p, 2);
    if (lay->l4_proto == 17 && !c) {
        return;
    }
    for (size_t i = 0; i < n; i += 2) {
        vs_be16 o, w;
        memcpy(&o, old + i, 2);
        memcpy(&w, new + i, 2);
        c = recalc_csum16(c, o, w);
    }
    if (lay->l4_proto == 17 && !c) {
        c = 0xffff;
    }
    memcpy(p, &c, 2);
}

static void
ip_csum_update(uint8_t *pkt, const struct layout *lay, const uint8_t *old,
               const uint8_t *new, size_t n)
{
    uint8_t *p = pkt + lay->l3 + 10;
    vs_be16 c;
    memcpy(&c, p, 2);
    for (size_t i = 0; i < n; i += 2) {
        vs_be16 o, w;
        memcpy(&o, old + i, 2);
        memcpy(&w, new + i, 2);
        c = recalc_csum16(c, o, w);
    }
    memcpy(p, &c, 2);
}

bool
dp_rewrite(uint8_t *pkt, size_t len, const struct dp_action *a)
{
    struct layout lay;
    uint8_t old[4];

    if (len < 14) {
        return false;
    }
    switch (a->type) {
    case DP_ACT_SET_ETH_SRC:
        memcpy(pkt + 6, a->mac, 6);
        return true;
    case DP_ACT_SET_ETH_DST:
        memcpy(pkt, a->mac, 6);
        return true;
    case DP_ACT_SET_MPLS: {
        size_t tofs = l2_type_ofs(pkt, len);
        if (!tofs || !is_mpls_type(pkt + tofs) || len < tofs + 2 + MPLS_HLEN) {
            return false;
        }
        memcpy(pkt + tofs + 2, &a->mpls_lse, MPLS_HLEN);
        return true;
    }
    default:
        break;
    }

    locate(pkt, len, &lay);
    uint8_t *ip = pkt + lay.l3;
    switch (a->type) {
    case DP_ACT_SET_IPV4_SRC:
    case DP_ACT_SET_IPV4_DST: {
        if (lay.ip_version != 4) {
            return false;
        }
        uint8_t *addr = ip + (a->type == DP_ACT_SET_IPV4_SRC ? 12 : 16);
        memcpy(old, addr, 4);
        memcpy(addr, &a->ipv4, 4);
        ip_csum_update(pkt, &lay, old, addr, 4);
        if (lay.l4) {
            l4_csum_update(pkt, &lay, old, addr, 4);
        }
        return true;
    }
    case DP_ACT_SET_TP_SRC:
    case DP_ACT_SET_TP_DST: {
        if (!lay.l4) {
            return false;
        }
        uint8_t *port = pkt + lay.l4 + (a->type == DP_ACT_SET_TP_SRC ? 0 : 2);
        memcpy(old, port, 2);
        memcpy(port, &a->tp_port, 2);
        l4_csum_update(pkt, &lay, old, port, 2);
        return true;
    }
    case DP_ACT_SET_IP_TOS:
        if (lay.ip_version == 4) {
            memcpy(old, ip, 2);
            ip[1] = (ip[1] & ~a->tos_mask) | (a->tos & a->tos_mask);
            ip_csum_update(pkt, &lay, old, ip, 2);
            return true;
        } else if (lay.ip_version == 6) {
            /* Traffic class: the low nibble of byte 0, high of byte 1. */
            uint8_t tc = (ip[0] & 0x0f) << 4 | ip[1] >> 4;
            tc = (tc & ~a->tos_mask) | (a->tos & a->tos_mask);
            ip[0] = (ip[0] & 0xf0) | tc >> 4;
            ip[1] = (ip[1] & 0x0f) | (tc & 0x0f) << 4;
            return true;
        }
        return false;
    case DP_ACT_SET_IP_TTL:
        if (lay.ip_version == 4) {
            memcpy(old, ip + 8, 2);
            ip[8] = a->ttl;
            ip_csum_update(pkt, &lay, old, ip + 8, 2);
            return true;
        } else if (lay.ip_version == 6) {
            ip[7] = a->ttl;
            return true;
        }
        return false;
    default:
        return false;
    }
}
