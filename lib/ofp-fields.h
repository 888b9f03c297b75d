/* The OpenFlow match fields vswitch knows: names, OXM identity, width,
 * maskability, prerequisites, and how each maps onto struct flow.
 *
 * OXM encoding and decoding, set_field actions and the flow syntax all
 * work through this one table, so a field is added in one place.  Values
 * are handled in their OXM wire form ('union ofp_value', network byte
 * order, 'n_bytes' long). */
#ifndef VS_OFP_FIELDS_H
#define VS_OFP_FIELDS_H 1

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include "ofp-errors.h"
#include "packets.h"

struct flow;
struct match;
struct ds;

enum ofp_field_id {
    OFPF_IN_PORT,
    OFPF_METADATA,
    OFPF_TUNNEL_ID,
    OFPF_ETH_DST,
    OFPF_ETH_SRC,
    OFPF_ETH_TYPE,
    OFPF_VLAN_VID,
    OFPF_VLAN_PCP,
    OFPF_MPLS_LABEL,
    OFPF_MPLS_TC,
    OFPF_MPLS_BOS,
    OFPF_IP_DSCP,
    OFPF_IP_ECN,
    OFPF_IP_PROTO,
    OFPF_IPV4_SRC,
    OFPF_IPV4_DST,
    OFPF_IPV6_SRC,
    OFPF_IPV6_DST,
    OFPF_IPV6_FLABEL,
    OFPF_ARP_OP,
    OFPF_ARP_SPA,
    OFPF_ARP_TPA,
    OFPF_ARP_SHA,
    OFPF_ARP_THA,
    OFPF_TCP_SRC,
    OFPF_TCP_DST,
    OFPF_UDP_SRC,
    OFPF_UDP_DST,
    OFPF_SCTP_SRC,
    OFPF_SCTP_DST,
    OFPF_ICMPV4_TYPE,
    OFPF_ICMPV4_CODE,
    OFPF_ICMPV6_TYPE,
    OFPF_ICMPV6_CODE,
    OFPF_ND_TARGET,
    OFPF_ND_SLL,
    OFPF_ND_TLL,
    OFPF_TCP_FLAGS,
    OFPF_NW_TTL,                /* Nicira extension class (NXM_1). */
    OFPF_NW_FRAG,               /* Nicira extension class (NXM_1). */
    OFPF_TUN_SRC,               /* NXM_1: outer IPv4 source of a tunnel. */
    OFPF_TUN_DST,               /* NXM_1: outer IPv4 destination. */
    OFPF_REG0,                 /* NXM_NX_REG0..15: class 0x0001, 0..15. */
    OFPF_REG1,
    OFPF_REG2,
    OFPF_REG3,
    OFPF_REG4,
    OFPF_REG5,
    OFPF_REG6,
    OFPF_REG7,
    OFPF_REG8,
    OFPF_REG9,
    OFPF_REG10,
    OFPF_REG11,
    OFPF_REG12,
    OFPF_REG13,
    OFPF_REG14,
    OFPF_REG15,

    /* Views: other names for bits of the fields above.  A match never
     * lists them (it is printed and encoded with the fields they cover;
     * OF1.5 OXM is the exception, see oxm_put_fields()), but they may be
     * decoded, parsed, loaded, moved and set. */
    OFPF_XREG0,                /* OXM_OF_PKT_REG0..7: class 0x8001. */
    OFPF_XREG1,
    OFPF_XREG2,
    OFPF_XREG3,
    OFPF_XREG4,
    OFPF_XREG5,
    OFPF_XREG6,
    OFPF_XREG7,
    OFPF_XXREG0,               /* NXM_NX_XXREG0..3: class 0x0001, 111.. */
    OFPF_XXREG1,
    OFPF_XXREG2,
    OFPF_XXREG3,
    OFPF_NXM_IN_PORT,           /* NXM_OF_IN_PORT: in_port as 16 bits. */
    OFPF_VLAN_TCI,              /* NXM_OF_VLAN_TCI: the outer tag's TCI. */
    OFPF_N_FIELDS
};
/* Fields below this are the ones a match lists (ofp_fields_with_mask()). */
#define OFPF_N_MATCH_FIELDS OFPF_XREG0
#define OFPF_REG(I) (OFPF_REG0 + (I))
#define OFPF_XREG(I) (OFPF_XREG0 + (I))
#define OFPF_XXREG(I) (OFPF_XXREG0 + (I))

enum ofp_field_format {
    OFPFF_DEC,          /* Decimal integer. */
    OFPFF_HEX,          /* 0x-prefixed hex integer. */
    OFPFF_ETH,          /* aa:bb:cc:dd:ee:ff */
    OFPFF_IPV4,
    OFPFF_IPV6,
    OFPFF_PORT,         /* Port number or name (LOCAL, CONTROLLER...). */
    OFPFF_TCP_FLAGS,
};

union ofp_value {
    uint8_t u8;
    uint16_t be16;
    uint32_t be32;
    uint64_t be64;
    struct eth_addr mac;
    struct in6_addr ipv6;
    uint8_t b[16];
};

struct ofp_field {
    enum ofp_field_id id;
    const char *name;           /* OXM-style name: "eth_dst". */
    const char *flow_name;      /* ovs-ofctl match name: "dl_dst". */
    uint16_t oxm_class;         /* OXM_CLASS_BASIC or OXM_CLASS_NXM_1. */
    uint8_t oxm_field;          /* Field number within the class. */
    uint8_t n_bytes;            /* Width on the wire. */
    uint8_t n_bits;             /* Significant bits (<= 8 * n_bytes). */
    bool maskable;              /* OXM allows a mask (OF1.3 table 11, plus
                                 * L4 ports, as Open vSwitch allows). */
    bool writable;              /* set_field may change it. */
    enum ofp_field_format format;
    bool view;                  /* Id >= OFPF_N_MATCH_FIELDS (see above). */
};

#define OXM_CLASS_NXM_1 0x0001
#define OXM_CLASS_BASIC 0x8000
#define OXM_CLASS_PKT_REGS 0x8001     /* OF1.5 packet registers (xregs). */
#define OXM_CLASS_EXPERIMENTER 0xffff
#define ONF_EXPERIMENTER_ID 0x4f4e4600
#define OXM_TCP_FLAGS_FIELD 42  /* OF1.5 basic; ONF experimenter before. */

const struct ofp_field *ofp_field_get(enum ofp_field_id);
/* By OXM-style or ovs-ofctl name; NULL if unknown. */
const struct ofp_field *ofp_field_from_name(const char *);
const struct ofp_field *ofp_field_from_oxm(uint16_t oxm_class, uint8_t field);

/* Value and mask of 'field' in a flow / in a match's mask. */
void ofp_field_get_value(const struct ofp_field *, const struct flow *,
                         union ofp_value *);
void ofp_field_get_mask(const struct ofp_field *, const struct match *,
                        union ofp_value *);
/* Writes 'value' into 'flow' (for set_field). */
void ofp_field_set_flow(const struct ofp_field *, const union ofp_value *,
                        struct flow *);
/* Adds 'value'/'mask' (NULL: exact) to 'match'. */
void ofp_field_set_match(const struct ofp_field *, const union ofp_value *,
                         const union ofp_value *mask, struct match *);
/* True if 'value' fits the field (e.g. VLAN PCP <= 7). */
bool ofp_field_value_is_valid(const struct ofp_field *, const union ofp_value *);
/* True if 'match' satisfies the field's prerequisites. */
bool ofp_field_prereqs_ok(const struct ofp_field *, const struct match *);
/* Fields that read the same struct flow bits under different
 * prerequisites (nw_src is ip_src or arp_spa...) share a group number;
 * other fields have their own. */
int ofp_field_alias_group(enum ofp_field_id);
/* True if 'mask' is all-zero / all-ones over the field's bits. */
bool ofp_value_is_zero(const struct ofp_field *, const union ofp_value *);
bool ofp_value_is_exact(const struct ofp_field *, const union ofp_value *);
/* The match fields (id < OFPF_N_MATCH_FIELDS) whose mask in 'match' is
 * nonzero, as a bitmap of ids (bit 'id' for enum ofp_field_id 'id'). */
uint64_t ofp_fields_with_mask(const struct match *);
/* A value as an unsigned integer (fields up to 8 bytes). */
uint64_t ofp_value_to_u64(const struct ofp_field *, const union ofp_value *);
void ofp_value_from_u64(const struct ofp_field *, uint64_t, union ofp_value *);

/* Formats/parses a value in the field's usual notation. */
void ofp_field_format_value(const struct ofp_field *, const union ofp_value *,
                            struct ds *);
/* Returns NULL or an error string (caller frees).  'mask' may be NULL if
 * masks are not allowed here; else it is set (all-ones if none given). */
char *ofp_field_parse_value(const struct ofp_field *, const char *,
                            union ofp_value *, union ofp_value *mask);

#endif /* ofp-fields.h */
