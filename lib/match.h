/* A classifier rule's match: a flow and the bits of it that matter.
 *
 * 'flow' holds values, 'wc.masks' the significant bits; match_set_*()
 * keep the invariant flow == flow & mask, so two matches that select the
 * same packets compare equal bit for bit.  Wire fields are in network byte
 * order as in struct flow. */
#ifndef VS_MATCH_H
#define VS_MATCH_H 1

#include <stdbool.h>
#include <stdint.h>
#include "flow.h"

struct ds;

struct match {
    struct flow flow;
    struct flow_wildcards wc;
};

/* OpenFlow 1.1+ port numbers (32 bits) are used everywhere inside vswitch;
 * OpenFlow 1.0's 16-bit ones are converted at the edge. */
enum {
    OFPP_MAX = 0xffffff00,
    OFPP_UNSET = 0xfffffff7,    /* Internal: "no port given". */
    OFPP_IN_PORT = 0xfffffff8,
    OFPP_TABLE = 0xfffffff9,
    OFPP_NORMAL = 0xfffffffa,
    OFPP_FLOOD = 0xfffffffb,
    OFPP_ALL = 0xfffffffc,
    OFPP_CONTROLLER = 0xfffffffd,
    OFPP_LOCAL = 0xfffffffe,
    OFPP_ANY = 0xffffffff,
    OFPP_NONE = OFPP_ANY,
};
uint32_t ofp_port_from_ofp10(uint16_t);
/* Returns false if 'port' has no OF1.0 equivalent. */
bool ofp_port_to_ofp10(uint32_t port, uint16_t *out);

/* OpenFlow 1.1+ VLAN VID encoding: present bit plus 12-bit VID. */
#define OFPVID_PRESENT 0x1000
#define OFPVID_NONE 0x0000

void match_init_catchall(struct match *);
void match_init_exact(struct match *, const struct flow *);
bool match_equal(const struct match *, const struct match *);
uint32_t match_hash(const struct match *, uint32_t basis);
bool match_is_catchall(const struct match *);
/* Enforces flow &= mask. */
void match_zero_wildcarded_fields(struct match *);
/* True if every packet 'a' matches is matched by 'b' ('b' is looser). */
bool match_is_subset(const struct match *a, const struct match *b);
/* True if 'flow' matches. */
bool match_matches_flow(const struct match *, const struct flow *);

void match_set_in_port(struct match *, uint32_t port);
void match_set_tun_id_masked(struct match *, vs_be64 id, vs_be64 mask);
void match_set_metadata_masked(struct match *, vs_be64 md, vs_be64 mask);
void match_set_dl_src_masked(struct match *, struct eth_addr, struct eth_addr mask);
void match_set_dl_dst_masked(struct match *, struct eth_addr, struct eth_addr mask);
void match_set_dl_type(struct match *, vs_be16);
/* VLAN: the outermost tag's TCI, CFI bit = "tag present". */
void match_set_vlan_tci_masked(struct match *, vs_be16 tci, vs_be16 mask);
void match_set_dl_vlan(struct match *, uint16_t vid);       /* Tag with VID. */
void match_set_no_vlan(struct match *);                     /* No tag. */
void match_set_dl_vlan_pcp(struct match *, uint8_t pcp);
void match_set_mpls_label(struct match *, uint32_t label);
void match_set_mpls_tc(struct match *, uint8_t tc);
void match_set_mpls_bos(struct match *, uint8_t bos);
void match_set_nw_src_masked(struct match *, vs_be32, vs_be32 mask);
void match_set_nw_dst_masked(struct match *, vs_be32, vs_be32 mask);
void match_set_ipv6_src_masked(struct match *, const struct in6_addr *,
                               const struct in6_addr *mask);
void match_set_ipv6_dst_masked(struct match *, const struct in6_addr *,
                               const struct in6_addr *mask);
void match_set_ipv6_label_masked(struct match *, vs_be32, vs_be32 mask);
void match_set_nw_proto(struct match *, uint8_t);
void match_set_nw_dscp(struct match *, uint8_t tos_bits);  /* DSCP << 2. */
void match_set_nw_ecn(struct match *, uint8_t);
void match_set_nw_ttl(struct match *, uint8_t);
void match_set_nw_frag_masked(struct match *, uint8_t, uint8_t mask);
void match_set_arp_sha_masked(struct match *, struct eth_addr, struct eth_addr mask);
void match_set_arp_tha_masked(struct match *, struct eth_addr, struct eth_addr mask);
void match_set_tp_src_masked(struct match *, vs_be16, vs_be16 mask);
void match_set_tp_dst_masked(struct match *, vs_be16, vs_be16 mask);
void match_set_tcp_flags_masked(struct match *, vs_be16, vs_be16 mask);
void match_set_nd_target_masked(struct match *, const struct in6_addr *,
                                const struct in6_addr *mask);

/* Helpers for the prerequisites that OpenFlow imposes. */
bool match_dl_type_is(const struct match *, uint16_t eth_type);
bool match_is_ip_any(const struct match *);         /* IPv4 or IPv6. */
bool match_nw_proto_is(const struct match *, uint8_t proto);

#endif /* match.h */
