/* NXM <-> OXM translation (see nxm.h). */
#include <config.h>
#include "nxm.h"

#include <string.h>
#include <strings.h>
#include "match.h"
#include "ofp-buf.h"
#include "ofp-fields.h"
#include "ofp-msgs.h"
#include "oxm.h"
#include "util.h"

enum nxm_kind {
    NXM_SAME,           /* Same value bytes as the OXM basic field. */
    NXM_IN_PORT16,      /* 16-bit OF1.0 port <-> 32-bit port. */
    NXM_TOS,            /* ip_tos (DSCP bits in place) <-> ip_dscp. */
};

/* NXM field <-> OXM basic field, for the fields whose header differs. */
struct nxm_map {
    uint16_t nxm_class;
    uint8_t nxm_field;
    uint8_t oxm_field;
    enum nxm_kind kind;
};

static const struct nxm_map maps[] = {
    { 0, 0, 0, NXM_IN_PORT16 },
    { 0, 1, 3, NXM_SAME },          /* eth_dst */
    { 0, 2, 4, NXM_SAME },          /* eth_src */
    { 0, 3, 5, NXM_SAME },          /* eth_type */
    { 0, 5, 8, NXM_TOS },
    { 1, 28, 9, NXM_SAME },         /* ip_ecn */
    { 0, 6, 10, NXM_SAME },         /* ip_proto */
    { 0, 7, 11, NXM_SAME },         /* ipv4_src */
    { 0, 8, 12, NXM_SAME },         /* ipv4_dst */
    { 0, 9, 13, NXM_SAME },         /* tcp_src */
    { 0, 10, 14, NXM_SAME },        /* tcp_dst */
    { 0, 11, 15, NXM_SAME },        /* udp_src */
    { 0, 12, 16, NXM_SAME },        /* udp_dst */
    { 0, 13, 19, NXM_SAME },        /* icmpv4_type */
    { 0, 14, 20, NXM_SAME },        /* icmpv4_code */
    { 0, 15, 21, NXM_SAME },        /* arp_op */
    { 0, 16, 22, NXM_SAME },        /* arp_spa */
    { 0, 17, 23, NXM_SAME },        /* arp_tpa */
    { 1, 17, 24, NXM_SAME },        /* arp_sha */
    { 1, 18, 25, NXM_SAME },        /* arp_tha */
    { 1, 19, 26, NXM_SAME },        /* ipv6_src */
    { 1, 20, 27, NXM_SAME },        /* ipv6_dst */
    { 1, 27, 28, NXM_SAME },        /* ipv6_flabel */
    { 1, 21, 29, NXM_SAME },        /* icmpv6_type */
    { 1, 22, 30, NXM_SAME },        /* icmpv6_code */
    { 1, 23, 31, NXM_SAME },        /* nd_target */
    { 1, 24, 32, NXM_SAME },        /* nd_sll */
    { 1, 25, 33, NXM_SAME },        /* nd_tll */
    { 1, 16, 38, NXM_SAME },        /* tunnel_id */
    { 1, 34, 42, NXM_SAME },        /* tcp_flags (OXM from OF1.5) */
};

#define NXM_OF_VLAN_TCI_FIELD 4
#define OXM_VLAN_VID_FIELD 6
#define OXM_VLAN_PCP_FIELD 7
#define VLAN_CFI 0x1000

static void
put_tlv(struct ofpbuf *b, uint16_t class, uint8_t field, const void *value,
        const void *mask, size_t n)
{
    ofpbuf_put_be32(b, ((uint32_t) class << 16) | (field << 9)
                       | (mask ? 1u << 8 : 0) | (mask ? 2 * n : n));
    ofpbuf_put(b, value, n);
    if (mask) {
        ofpbuf_put(b, mask, n);
    }
}

static void
put_u16_tlv(struct ofpbuf *b, uint16_t class, uint8_t field, uint16_t v,
            uint16_t m, bool masked)
{
    uint8_t vb[2], mb[2];
    put_be16(vb, v);
    put_be16(mb, m);
    put_tlv(b, class, field, vb, masked ? mb : NULL, 2);
}

/* NXM_OF_VLAN_TCI(_W) as OXM vlan_vid / vlan_pcp. */
static enum ofperr
tci_to_oxm(uint16_t v, uint16_t m, struct ofpbuf *out)
{
    v &= m;
    if (!(m & VLAN_CFI)) {
        /* Without the CFI bit (learn's NXM_OF_VLAN_TCI[0..11]: a VID
         * with or without a tag) OXM's vlan_vid cannot say it: the TCI
         * goes as it is (the field view OFPF_VLAN_TCI); an all-zero mask
         * is no match at all. */
        if (m) {
            put_u16_tlv(out, 0, NXM_OF_VLAN_TCI_FIELD, v, m, m != 0xffff);
        }
        return 0;
    }
    if (!(v & VLAN_CFI)) {
        /* "No VLAN": the other bits must not be asked for. */
        if (v) {
            return OFPERR_OFPBMC_BAD_VALUE;
        }
        put_u16_tlv(out, OXM_CLASS_BASIC, OXM_VLAN_VID_FIELD, 0, 0, false);
        return 0;
    }
    uint16_t vid_mask = m & 0x0fff;
    put_u16_tlv(out, OXM_CLASS_BASIC, OXM_VLAN_VID_FIELD,
                VLAN_CFI | (v & 0x0fff), VLAN_CFI | vid_mask,
                vid_mask != 0x0fff);
    uint16_t pcp_mask = m >> 13;
    if (pcp_mask == 7) {
        uint8_t pcp = v >> 13;
        put_tlv(out, OXM_CLASS_BASIC, OXM_VLAN_PCP_FIELD, &pcp, NULL, 1);
    } else if (pcp_mask) {
        return OFPERR_OFPBMC_BAD_MASK;
    }
    return 0;
}

static const struct nxm_map *
map_from_nxm(uint16_t class, uint8_t field)
{
    for (size_t i = 0; i < ARRAY_SIZE(maps); i++) {
        if (maps[i].nxm_class == class && maps[i].nxm_field == field) {
            return &maps[i];
        }
    }
    return NULL;
}

static const struct nxm_map *
map_from_oxm(uint8_t field)
{
    for (size_t i = 0; i < ARRAY_SIZE(maps); i++) {
        if (maps[i].oxm_field == field) {
            return &maps[i];
        }
    }
    return NULL;
}

enum ofperr
nxm_decode_fields(const uint8_t *p, size_t len, struct match *match)
{
    struct ofpbuf oxm;
    ofpbuf_init(&oxm, len + 64);
    enum ofperr error = 0;
    while (len > 0 && !error) {
        if (len < 4) {
            error = OFPERR_OFPBMC_BAD_LEN;
            break;
        }
        uint32_t hdr = get_be32(p);
        uint16_t class = hdr >> 16;
        uint8_t field = (hdr >> 9) & 0x7f;
        bool has_mask = (hdr >> 8) & 1;
        size_t n = hdr & 0xff;
        if (!n || n > len - 4 || (has_mask && n % 2)) {
            error = OFPERR_OFPBMC_BAD_LEN;
            break;
        }
        const uint8_t *value = p + 4;
        size_t vlen = has_mask ? n / 2 : n;
        const uint8_t *mask = has_mask ? value + vlen : NULL;
        const struct nxm_map *map = (class <= 1 ? map_from_nxm(class, field)
                                     : NULL);

        if (class == 0 && field == NXM_OF_VLAN_TCI_FIELD) {
            error = (vlen != 2 ? OFPERR_OFPBMC_BAD_LEN
                     : tci_to_oxm(get_be16(value),
                                  mask ? get_be16(mask) : 0xffff, &oxm));
        } else if (!map) {
            /* OXM (or NXM_1 fields OXM shares): as is. */
            ofpbuf_put(&oxm, p, 4 + n);
        } else if (map->kind == NXM_IN_PORT16) {
            if (vlen != 2 || mask) {
                error = vlen != 2 ? OFPERR_OFPBMC_BAD_LEN
                                  : OFPERR_OFPBMC_BAD_MASK;
            } else {
                uint8_t port[4];
                put_be32(port, ofp_port_from_ofp10(get_be16(value)));
                put_tlv(&oxm, OXM_CLASS_BASIC, map->oxm_field, port, NULL, 4);
            }
        } else if (map->kind == NXM_TOS) {
            if (vlen != 1 || mask) {
                error = vlen != 1 ? OFPERR_OFPBMC_BAD_LEN
                                  : OFPERR_OFPBMC_BAD_MASK;
            } else if (value[0] & 0x03) {
                error = OFPERR_OFPBMC_BAD_VALUE;
            } else {
                uint8_t dscp = value[0] >> 2;
                put_tlv(&oxm, OXM_CLASS_BASIC, map->oxm_field, &dscp, NULL, 1);
            }
        } else {
            put_tlv(&oxm, OXM_CLASS_BASIC, map->oxm_field, value, mask, vlen);
        }
        p += 4 + n;
        len -= 4 + n;
    }
    if (!error) {
        error = oxm_decode_fields(oxm.data, oxm.size, match);
    }
    ofpbuf_uninit(&oxm);
    return error;
}

size_t
nxm_put_fields(struct ofpbuf *b, const struct match *match)
{
    struct ofpbuf oxm;
    ofpbuf_init(&oxm, 256);
    oxm_put_fields__(&oxm, match, OFP15_VERSION, false);
    size_t start = b->size;

    /* VLAN: OXM's vid and pcp become one TCI. */
    bool has_pcp = false, vid_masked = false;
    uint16_t vid = 0, vid_mask = 0;
    uint8_t pcp = 0;
    for (size_t ofs = 0; ofs + 4 <= oxm.size;) {
        const uint8_t *p = oxm.data + ofs;
        uint32_t hdr = get_be32(p);
        size_t n = hdr & 0xff;
        if (hdr >> 16 == OXM_CLASS_BASIC) {
            uint8_t field = (hdr >> 9) & 0x7f;
            if (field == OXM_VLAN_VID_FIELD) {
                vid = get_be16(p + 4);
                vid_masked = (hdr >> 8) & 1;
                vid_mask = vid_masked ? get_be16(p + 6) : 0x1fff;
            } else if (field == OXM_VLAN_PCP_FIELD) {
                has_pcp = true;
                pcp = p[4];
            }
        }
        ofs += 4 + n;
    }

    for (size_t ofs = 0; ofs + 4 <= oxm.size;) {
        const uint8_t *p = oxm.data + ofs;
        uint32_t hdr = get_be32(p);
        size_t n = hdr & 0xff;
        bool has_mask = (hdr >> 8) & 1;
        size_t vlen = has_mask ? n / 2 : n;
        uint8_t field = (hdr >> 9) & 0x7f;
        const struct nxm_map *map = (hdr >> 16 == OXM_CLASS_BASIC
                                     ? map_from_oxm(field) : NULL);
        ofs += 4 + n;

        if (hdr >> 16 == OXM_CLASS_BASIC && field == OXM_VLAN_PCP_FIELD) {
            continue;           /* Folded into the TCI. */
        } else if (hdr >> 16 == OXM_CLASS_BASIC
                   && field == OXM_VLAN_VID_FIELD) {
            if (!(vid & VLAN_CFI) && !vid_masked) {
                put_u16_tlv(b, 0, NXM_OF_VLAN_TCI_FIELD, 0, 0, false);
                continue;
            }
            uint16_t tci = vid & 0x1fff, tci_mask = vid_mask & 0x1fff;
            if (has_pcp) {
                tci |= pcp << 13;
                tci_mask |= 0xe000;
            }
            put_u16_tlv(b, 0, NXM_OF_VLAN_TCI_FIELD, tci, tci_mask,
                        tci_mask != 0xffff);
        } else if (!map) {
            ofpbuf_put(b, p, 4 + n);
        } else if (map->kind == NXM_IN_PORT16) {
            uint16_t port;
            if (!ofp_port_to_ofp10(get_be32(p + 4), &port)) {
                ofpbuf_put(b, p, 4 + n);    /* Keep the 32-bit OXM form. */
            } else {
                put_u16_tlv(b, 0, 0, port, 0, false);
            }
        } else if (map->kind == NXM_TOS) {
            uint8_t tos = p[4] << 2;
            put_tlv(b, 0, map->nxm_field, &tos, NULL, 1);
        } else {
            put_tlv(b, map->nxm_class, map->nxm_field, p + 4,
                    has_mask ? p + 4 + vlen : NULL, vlen);
        }
    }
    ofpbuf_uninit(&oxm);
    return b->size - start;
}

/* ---- Field names for load and move actions. ---- */

struct nxm_name {
    enum ofp_field_id id;
    uint16_t class;
    uint8_t field;
    const char *name;
};

static const struct nxm_name names[] = {
    { OFPF_METADATA, OXM_CLASS_BASIC, 2, "OXM_OF_METADATA" },
    { OFPF_TUNNEL_ID, 1, 16, "NXM_NX_TUN_ID" },
    { OFPF_ETH_DST, 0, 1, "NXM_OF_ETH_DST" },
    { OFPF_ETH_SRC, 0, 2, "NXM_OF_ETH_SRC" },
    { OFPF_ETH_TYPE, 0, 3, "NXM_OF_ETH_TYPE" },
    { OFPF_MPLS_LABEL, OXM_CLASS_BASIC, 34, "OXM_OF_MPLS_LABEL" },
    { OFPF_MPLS_TC, OXM_CLASS_BASIC, 35, "OXM_OF_MPLS_TC" },
    { OFPF_MPLS_BOS, OXM_CLASS_BASIC, 36, "OXM_OF_MPLS_BOS" },
    { OFPF_IP_ECN, 1, 28, "NXM_NX_IP_ECN" },
    { OFPF_IP_PROTO, 0, 6, "NXM_OF_IP_PROTO" },
    { OFPF_IPV4_SRC, 0, 7, "NXM_OF_IP_SRC" },
    { OFPF_IPV4_DST, 0, 8, "NXM_OF_IP_DST" },
    { OFPF_IPV6_SRC, 1, 19, "NXM_NX_IPV6_SRC" },
    { OFPF_IPV6_DST, 1, 20, "NXM_NX_IPV6_DST" },
    { OFPF_IPV6_FLABEL, 1, 27, "NXM_NX_IPV6_LABEL" },
    { OFPF_ARP_OP, 0, 15, "NXM_OF_ARP_OP" },
    { OFPF_ARP_SPA, 0, 16, "NXM_OF_ARP_SPA" },
    { OFPF_ARP_TPA, 0, 17, "NXM_OF_ARP_TPA" },
    { OFPF_ARP_SHA, 1, 17, "NXM_NX_ARP_SHA" },
    { OFPF_ARP_THA, 1, 18, "NXM_NX_ARP_THA" },
    { OFPF_TCP_SRC, 0, 9, "NXM_OF_TCP_SRC" },
    { OFPF_TCP_DST, 0, 10, "NXM_OF_TCP_DST" },
    { OFPF_UDP_SRC, 0, 11, "NXM_OF_UDP_SRC" },
    { OFPF_UDP_DST, 0, 12, "NXM_OF_UDP_DST" },
    { OFPF_SCTP_SRC, OXM_CLASS_BASIC, 17, "OXM_OF_SCTP_SRC" },
    { OFPF_SCTP_DST, OXM_CLASS_BASIC, 18, "OXM_OF_SCTP_DST" },
    { OFPF_ICMPV4_TYPE, 0, 13, "NXM_OF_ICMP_TYPE" },
    { OFPF_ICMPV4_CODE, 0, 14, "NXM_OF_ICMP_CODE" },
    { OFPF_ICMPV6_TYPE, 1, 21, "NXM_NX_ICMPV6_TYPE" },
    { OFPF_ICMPV6_CODE, 1, 22, "NXM_NX_ICMPV6_CODE" },
    { OFPF_ND_TARGET, 1, 23, "NXM_NX_ND_TARGET" },
    { OFPF_ND_SLL, 1, 24, "NXM_NX_ND_SLL" },
    { OFPF_ND_TLL, 1, 25, "NXM_NX_ND_TLL" },
    { OFPF_TCP_FLAGS, 1, 34, "NXM_NX_TCP_FLAGS" },
    { OFPF_NW_TTL, 1, 29, "NXM_NX_IP_TTL" },
    { OFPF_NXM_IN_PORT, 0, 0, "NXM_OF_IN_PORT" },
    { OFPF_VLAN_TCI, 0, 4, "NXM_OF_VLAN_TCI" },
    { OFPF_IN_PORT, OXM_CLASS_BASIC, 0, "OXM_OF_IN_PORT" },
    { OFPF_REG0, 1, 0, "NXM_NX_REG0" },
    { OFPF_REG1, 1, 1, "NXM_NX_REG1" },
    { OFPF_REG2, 1, 2, "NXM_NX_REG2" },
    { OFPF_REG3, 1, 3, "NXM_NX_REG3" },
    { OFPF_REG4, 1, 4, "NXM_NX_REG4" },
    { OFPF_REG5, 1, 5, "NXM_NX_REG5" },
    { OFPF_REG6, 1, 6, "NXM_NX_REG6" },
    { OFPF_REG7, 1, 7, "NXM_NX_REG7" },
    { OFPF_REG8, 1, 8, "NXM_NX_REG8" },
    { OFPF_REG9, 1, 9, "NXM_NX_REG9" },
    { OFPF_REG10, 1, 10, "NXM_NX_REG10" },
    { OFPF_REG11, 1, 11, "NXM_NX_REG11" },
    { OFPF_REG12, 1, 12, "NXM_NX_REG12" },
    { OFPF_REG13, 1, 13, "NXM_NX_REG13" },
    { OFPF_REG14, 1, 14, "NXM_NX_REG14" },
    { OFPF_REG15, 1, 15, "NXM_NX_REG15" },
    { OFPF_XREG0, OXM_CLASS_PKT_REGS, 0, "OXM_OF_PKT_REG0" },
    { OFPF_XREG1, OXM_CLASS_PKT_REGS, 1, "OXM_OF_PKT_REG1" },
    { OFPF_XREG2, OXM_CLASS_PKT_REGS, 2, "OXM_OF_PKT_REG2" },
    { OFPF_XREG3, OXM_CLASS_PKT_REGS, 3, "OXM_OF_PKT_REG3" },
    { OFPF_XREG4, OXM_CLASS_PKT_REGS, 4, "OXM_OF_PKT_REG4" },
    { OFPF_XREG5, OXM_CLASS_PKT_REGS, 5, "OXM_OF_PKT_REG5" },
    { OFPF_XREG6, OXM_CLASS_PKT_REGS, 6, "OXM_OF_PKT_REG6" },
    { OFPF_XREG7, OXM_CLASS_PKT_REGS, 7, "OXM_OF_PKT_REG7" },
    { OFPF_XXREG0, 1, 111, "NXM_NX_XXREG0" },
    { OFPF_XXREG1, 1, 112, "NXM_NX_XXREG1" },
    { OFPF_XXREG2, 1, 113, "NXM_NX_XXREG2" },
    { OFPF_XXREG3, 1, 114, "NXM_NX_XXREG3" },
};

bool
nxm_field_header(enum ofp_field_id id, uint32_t *header, const char **name)
{
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (names[i].id == id) {
            const struct ofp_field *f = ofp_field_get(id);
            *header = ((uint32_t) names[i].class << 16)
                      | (names[i].field << 9) | f->n_bytes;
            *name = names[i].name;
            return true;
        }
    }
    return false;
}

int
nxm_field_from_header(uint32_t header)
{
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        uint32_t h = ((uint32_t) names[i].class << 16) | (names[i].field << 9)
                     | ofp_field_get(names[i].id)->n_bytes;
        if (h == header) {
            return names[i].id;
        }
    }
    return -1;
}

int
nxm_field_from_name(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (!strcasecmp(names[i].name, name)) {
            return names[i].id;
        }
    }
    /* The flow syntax's names too ("reg0[]", "xreg1[0..3]"), as
     * ovs-ofctl accepts them; "in_port" is NXM's 16-bit one there. */
    const struct ofp_field *f = ofp_field_from_name(name);
    if (!f) {
        return -1;
    }
    int id = f->id == OFPF_IN_PORT ? OFPF_NXM_IN_PORT : (int) f->id;
    uint32_t header;
    const char *nxm_name;
    return nxm_field_header(id, &header, &nxm_name) ? id : -1;
}
