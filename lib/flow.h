/* struct flow: the packet key shared by the OpenFlow classifier, xlate and
 * the datapaths' megaflow caches.
 *
 * Layout rules:
 *   - Fields that exist on the wire are stored in network byte order
 *     (vs_be16/vs_be32, struct in6_addr, struct eth_addr); metadata that has
 *     no wire form (in_port, regs, skb_priority, pkt_mark, recirc_id) is in
 *     host byte order.
 *   - The struct is a multiple of 8 bytes, 8-byte aligned, and every pad byte
 *     is a named field that stays zero, so a flow (and a mask, which is a
 *     struct flow too) can be hashed, compared and masked as an array of
 *     FLOW_U64S uint64_t words.
 *   - Fields are grouped metadata, L2, L3, L4 in that order, so a lookup can
 *     be staged by word ranges (FLOW_SEGMENT_*_U64).
 *
 * Conventions taken from what OpenFlow users know:
 *   - vlans[i].tci has VLAN_CFI set when tag 'i' is present (the wire's
 *     DEI bit is not kept); vlans[0] is the outermost tag.  A zero tci means
 *     no tag.
 *   - dl_type is the innermost Ethernet type (after VLAN tags);
 *     FLOW_DL_TYPE_NONE for 802.3 frames without SNAP.
 *   - ARP/RARP: nw_src = SPA, nw_dst = TPA, nw_proto = low 8 bits of the
 *     opcode, arp_sha/arp_tha = SHA/THA.
 *   - ICMPv4/ICMPv6: tp_src = htons(type), tp_dst = htons(code).
 *   - ND: nd_target, arp_sha = source link-layer address option (NS),
 *     arp_tha = target link-layer address option (NA).
 *   - nw_frag: 0, FLOW_NW_FRAG_ANY (first fragment) or
 *     FLOW_NW_FRAG_ANY | FLOW_NW_FRAG_LATER (later fragment: no L4; for
 *     IPv6, nw_proto is then IPPROTO_FRAGMENT, as in Open vSwitch).
 *   - lib/flow-compose.h builds the frame for a flow (the inverse).
 */
#ifndef VS_FLOW_H
#define VS_FLOW_H 1

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "byte-order.h"
#include "packets.h"
#include "util.h"

struct dp_packet;
struct ds;

/* Nicira registers reg0..reg15: pipeline scratch space, zero when a packet
 * enters the pipeline.  They are never in a datapath key: only xlate reads
 * and writes them, so the megaflow depends only on the packet fields that
 * produced their values (which xlate un-wildcards as it reads them). */
#define FLOW_N_REGS 16
#define FLOW_N_XREGS (FLOW_N_REGS / 2)     /* 64-bit views: reg2n:reg2n+1. */
#define FLOW_N_XXREGS (FLOW_N_REGS / 4)    /* 128-bit views. */
#define FLOW_MAX_VLAN_HEADERS 2
#define FLOW_MAX_MPLS_LABELS 3

#define FLOW_NW_FRAG_ANY   (1 << 0)    /* Set for any IP fragment. */
#define FLOW_NW_FRAG_LATER (1 << 1)    /* Set for all but the first fragment. */
#define FLOW_NW_FRAG_MASK  (FLOW_NW_FRAG_ANY | FLOW_NW_FRAG_LATER)

/* One VLAN tag.  'tci' has VLAN_CFI set iff the tag is present. */
union flow_vlan_hdr {
    vs_be32 qtag;
    struct {
        vs_be16 tpid;                   /* ETH_TYPE_VLAN_8021Q or _8021AD. */
        vs_be16 tci;
    };
};

struct flow {
    /* Metadata (words 0..12). */
    vs_be64 tun_id;                     /* Tunnel key (VXLAN/Geneve VNI), 0 if none. */
    vs_be32 tun_src;                    /* Outer IPv4 source of a tunnel, 0 if none. */
    vs_be32 tun_dst;                    /* Outer IPv4 destination. */
    vs_be64 metadata;                   /* OpenFlow metadata. */
    uint32_t regs[FLOW_N_REGS];         /* OpenFlow/NXM registers. */
    uint32_t in_port;                   /* Input port number. */
    uint32_t skb_priority;              /* Packet priority for QoS. */
    uint32_t pkt_mark;                  /* Packet mark. */
    uint32_t recirc_id;                 /* Recirculation id; 0 if none. */

    /* L2 (words 13..17). */
    struct eth_addr dl_dst;
    struct eth_addr dl_src;
    vs_be16 dl_type;                    /* Innermost Ethernet type. */
    uint8_t pad1[2];                    /* Zero. */
    union flow_vlan_hdr vlans[FLOW_MAX_VLAN_HEADERS];   /* Outermost first. */
    vs_be32 mpls_lse[FLOW_MAX_MPLS_LABELS];             /* Outermost first. */
    uint8_t pad2[4];                    /* Zero. */

    /* L3 (words 18..25). */
    vs_be32 nw_src;                     /* IPv4 source or ARP SPA. */
    vs_be32 nw_dst;                     /* IPv4 destination or ARP TPA. */
    struct in6_addr ipv6_src;
    struct in6_addr ipv6_dst;
    vs_be32 ipv6_label;                 /* Low 20 bits: IPv6 flow label. */
    uint8_t nw_proto;                   /* IP protocol or low 8 bits of ARP op. */
    uint8_t nw_tos;                     /* DSCP and ECN, as on the wire. */
    uint8_t nw_ttl;                     /* TTL / hop limit. */
    uint8_t nw_frag;                    /* FLOW_NW_FRAG_*. */
    struct eth_addr arp_sha;            /* ARP SHA or ND source LL address. */
    struct eth_addr arp_tha;            /* ARP THA or ND target LL address. */

    /* L4 (words 25..28; word 25 is shared with L3). */
    struct in6_addr nd_target;          /* IPv6 ND target address. */
    vs_be16 tp_src;                     /* Port, or ICMP type. */
    vs_be16 tp_dst;                     /* Port, or ICMP code. */
    vs_be16 tcp_flags;                  /* TCP flags (low 12 bits). */
    uint8_t pad3[6];                    /* Zero. */
} __attribute__((aligned(8)));

#define FLOW_U64S (sizeof(struct flow) / sizeof(uint64_t))
_Static_assert(sizeof(struct flow) % sizeof(uint64_t) == 0,
               "struct flow must be a whole number of 64-bit words");
_Static_assert(sizeof(struct flow) == 232, "struct flow layout changed");

/* Word ranges for staged lookups: [0, METADATA), [METADATA, L2), ... */
#define FLOW_SEGMENT_METADATA_U64 (offsetof(struct flow, dl_dst) / 8)
#define FLOW_SEGMENT_L2_U64 (offsetof(struct flow, nw_src) / 8)
#define FLOW_SEGMENT_L3_U64 (offsetof(struct flow, nd_target) / 8)

static inline const uint64_t *flow_u64(const struct flow *f)
{
    return (const uint64_t *) (const void *) f;
}
static inline uint64_t *flow_u64_rw(struct flow *f)
{
    return (uint64_t *) (void *) f;
}

/* A mask over a struct flow: 1-bits are significant, 0-bits wildcarded. */
struct flow_wildcards {
    struct flow masks;
};

/* Parses the frame in 'packet' into 'flow' (fully overwritten).  Metadata
 * comes from the packet's metadata; it also sets the packet's l2/l2_5/l3/l4
 * offsets.  Never reads outside the packet: a truncated or malformed frame
 * yields a flow with the layers that could be parsed (e.g. bad IPv4 header
 * length: dl_type is IPv4 but nw_* are zero). */
void flow_extract(struct dp_packet *packet, struct flow *flow);

/* Hashing and comparison.  All are word-wise over the whole struct. */
uint32_t flow_hash(const struct flow *, uint32_t basis);
uint32_t flow_hash_masked(const struct flow *, const struct flow_wildcards *,
                          uint32_t basis);
bool flow_equal(const struct flow *, const struct flow *);
/* True if 'a' and 'b' agree in every bit that 'wc' makes significant. */
bool flow_equal_masked(const struct flow *a, const struct flow *b,
                       const struct flow_wildcards *wc);
/* Clears the wildcarded bits of 'flow' ('flow' &= 'wc'). */
void flow_zero_wildcards(struct flow *, const struct flow_wildcards *);

void flow_wildcards_init_catchall(struct flow_wildcards *);
void flow_wildcards_init_exact(struct flow_wildcards *);
bool flow_wildcards_is_catchall(const struct flow_wildcards *);
bool flow_wildcards_is_exact(const struct flow_wildcards *);
/* dst = a | b: significant in either (megaflow masks grow by union). */
void flow_wildcards_or(struct flow_wildcards *dst, const struct flow_wildcards *a,
                       const struct flow_wildcards *b);
/* dst = a & b. */
void flow_wildcards_and(struct flow_wildcards *dst, const struct flow_wildcards *a,
                        const struct flow_wildcards *b);
/* Makes significant every field that flow_extract() could have set for a
 * packet like 'flow' (by its dl_type, nw_proto, nw_frag...): all metadata,
 * L2, and the L3/L4 fields of its protocols. */
void flow_wildcards_init_for_packet(struct flow_wildcards *, const struct flow *);
bool flow_wildcards_equal(const struct flow_wildcards *, const struct flow_wildcards *);
uint32_t flow_wildcards_hash(const struct flow_wildcards *, uint32_t basis);

/* Formats 'flow' as "in_port=1,dl_src=..,dl_dst=..,tcp,nw_src=..".
 * flow_format_masked() omits wildcarded fields and prints partial masks
 * as "field=value/mask"; a NULL 'wc' means exact. */
void flow_format(struct ds *, const struct flow *);
/* The header fields of the frame 'data' ('len' bytes) as ovs-ofctl prints
 * a packet-in's frame: flow_format() without in_port (a frame has none),
 * then the TCP, UDP or SCTP checksum ("udp_csum:1a2b"). */
void flow_format_frame(struct ds *, const void *data, size_t len);
void flow_format_masked(struct ds *, const struct flow *, const struct flow_wildcards *);
char *flow_to_string(const struct flow *);          /* Caller frees. */

#endif /* flow.h */
