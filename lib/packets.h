/* Wire formats of the packet headers vswitch parses and rewrites.
 *
 * Every header is a packed struct whose multi-byte fields are in network
 * byte order (vs_be16/32), so a pointer into a frame can be cast to it
 * whatever its alignment.  Also: Ethernet address helpers, VLAN TCI and
 * MPLS label stack entry helpers, IPv4/IPv6 address and mask parsing and
 * formatting (CIDR). */
#ifndef VS_PACKETS_H
#define VS_PACKETS_H 1

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "byte-order.h"
#include "util.h"

struct ds;

#define VS_PACKED __attribute__((packed))

/* ---- Ethernet. ---- */

#define ETH_ADDR_LEN 6
#define ETH_ADDR_STRLEN 17              /* "aa:bb:cc:dd:ee:ff" */

struct eth_addr {
    union {
        uint8_t ea[ETH_ADDR_LEN];
        vs_be16 be16[3];
    };
};

#define ETH_ADDR_C(A, B, C, D, E, F) \
    { { { 0x##A, 0x##B, 0x##C, 0x##D, 0x##E, 0x##F } } }

static const struct eth_addr eth_addr_broadcast VS_UNUSED
    = ETH_ADDR_C(ff, ff, ff, ff, ff, ff);
static const struct eth_addr eth_addr_zero VS_UNUSED
    = ETH_ADDR_C(00, 00, 00, 00, 00, 00);
static const struct eth_addr eth_addr_exact VS_UNUSED
    = ETH_ADDR_C(ff, ff, ff, ff, ff, ff);

static inline bool eth_addr_is_broadcast(struct eth_addr a)
{
    return (a.be16[0] & a.be16[1] & a.be16[2]) == 0xffff;
}
static inline bool eth_addr_is_multicast(struct eth_addr a) { return a.ea[0] & 1; }
static inline bool eth_addr_is_local(struct eth_addr a)
{
    /* Locally administered and not multicast. */
    return (a.ea[0] & 3) == 2;
}
static inline bool eth_addr_is_zero(struct eth_addr a)
{
    return !(a.be16[0] | a.be16[1] | a.be16[2]);
}
static inline bool eth_addr_equals(struct eth_addr a, struct eth_addr b)
{
    return !((a.be16[0] ^ b.be16[0]) | (a.be16[1] ^ b.be16[1])
             | (a.be16[2] ^ b.be16[2]));
}
/* 01:80:c2:00:00:0X: IEEE 802.1D link-local groups (STP, LACP, LLDP...)
 * that a bridge must not forward. */
static inline bool eth_addr_is_reserved(struct eth_addr a)
{
    return a.ea[0] == 0x01 && a.ea[1] == 0x80 && a.ea[2] == 0xc2
           && a.ea[3] == 0x00 && a.ea[4] == 0x00 && (a.ea[5] & 0xf0) == 0x00;
}
static inline uint64_t eth_addr_to_uint64(struct eth_addr a)
{
    return ((uint64_t) a.ea[0] << 40) | ((uint64_t) a.ea[1] << 32)
           | ((uint64_t) a.ea[2] << 24) | ((uint64_t) a.ea[3] << 16)
           | ((uint64_t) a.ea[4] << 8) | a.ea[5];
}
static inline struct eth_addr eth_addr_from_uint64(uint64_t x)
{
    struct eth_addr a;
    for (int i = ETH_ADDR_LEN - 1; i >= 0; i--, x >>= 8) {
        a.ea[i] = x;
    }
    return a;
}
static inline struct eth_addr eth_addr_and(struct eth_addr a, struct eth_addr m)
{
    for (int i = 0; i < 3; i++) {
        a.be16[i] &= m.be16[i];
    }
    return a;
}

#define ETH_ADDR_FMT "%02x:%02x:%02x:%02x:%02x:%02x"
#define ETH_ADDR_ARGS(A) \
    (A).ea[0], (A).ea[1], (A).ea[2], (A).ea[3], (A).ea[4], (A).ea[5]

/* Parses "aa:bb:cc:dd:ee:ff" (also "aabb.ccdd.eeff" is NOT accepted).
 * Returns 0 or EINVAL. */
int eth_addr_parse(const char *, struct eth_addr *);
/* Parses "ADDR" (mask all-ones) or "ADDR/MASK".  Returns 0 or EINVAL. */
int eth_addr_parse_masked(const char *, struct eth_addr *, struct eth_addr *mask);
/* Writes "aa:bb:cc:dd:ee:ff" and a NUL into 'buf'. */
void eth_addr_format(struct eth_addr, char buf[ETH_ADDR_STRLEN + 1]);
/* Appends "ADDR", or "ADDR/MASK" unless 'mask' is all-ones. */
void eth_addr_format_masked(struct ds *, struct eth_addr, struct eth_addr mask);

#define ETH_HEADER_LEN 14
#define ETH_PAYLOAD_MIN 46
#define ETH_PAYLOAD_MAX 1500
#define ETH_TOTAL_MIN (ETH_HEADER_LEN + ETH_PAYLOAD_MIN)
#define ETH_TOTAL_MAX (ETH_HEADER_LEN + ETH_PAYLOAD_MAX)
#define VLAN_HEADER_LEN 4
#define VLAN_ETH_HEADER_LEN (ETH_HEADER_LEN + VLAN_HEADER_LEN)

/* Values below ETH_TYPE_MIN in the type field are 802.3 lengths. */
#define ETH_TYPE_MIN           0x0600
#define ETH_TYPE_IP            0x0800
#define ETH_TYPE_ARP           0x0806
#define ETH_TYPE_TEB           0x6558     /* Transparent Ethernet bridging. */
#define ETH_TYPE_RARP          0x8035
#define ETH_TYPE_VLAN_8021Q    0x8100
#define ETH_TYPE_VLAN          ETH_TYPE_VLAN_8021Q
#define ETH_TYPE_IPV6          0x86dd
#define ETH_TYPE_SLOW          0x8809     /* LACP and marker protocol. */
#define ETH_TYPE_LACP          ETH_TYPE_SLOW
#define ETH_TYPE_MPLS          0x8847
#define ETH_TYPE_MPLS_MCAST    0x8848
#define ETH_TYPE_VLAN_8021AD   0x88a8
#define ETH_TYPE_LLDP          0x88cc
#define ETH_TYPE_CFM           0x8902

/* dl_type of an 802.3 frame that has no SNAP header, hence no Ethernet
 * type: one below the smallest valid type. */
#define FLOW_DL_TYPE_NONE      0x05ff

static inline bool eth_type_mpls(vs_be16 t)
{
    return t == htons(ETH_TYPE_MPLS) || t == htons(ETH_TYPE_MPLS_MCAST);
}
static inline bool eth_type_vlan(vs_be16 t)
{
    return t == htons(ETH_TYPE_VLAN_8021Q) || t == htons(ETH_TYPE_VLAN_8021AD);
}

struct eth_header {
    struct eth_addr eth_dst;
    struct eth_addr eth_src;
    vs_be16 eth_type;
} VS_PACKED;

/* 802.2 LLC and SNAP, for 802.3 frames. */
#define LLC_DSAP_SNAP 0xaa
#define LLC_SSAP_SNAP 0xaa
#define LLC_CNTL_SNAP 3
#define LLC_DSAP_STP  0x42
#define LLC_HEADER_LEN 3
#define SNAP_HEADER_LEN 5
struct llc_header {
    uint8_t llc_dsap;
    uint8_t llc_ssap;
    uint8_t llc_cntl;
} VS_PACKED;
struct snap_header {
    uint8_t snap_org[3];
    vs_be16 snap_type;
} VS_PACKED;
struct llc_snap_header {
    struct llc_header llc;
    struct snap_header snap;
} VS_PACKED;

/* ---- 802.1Q / 802.1ad VLAN tags. ---- */

#define VLAN_VID_MASK  0x0fff
#define VLAN_CFI       0x1000           /* Also called DEI. */
#define VLAN_CFI_SHIFT 12
#define VLAN_PCP_MASK  0xe000
#define VLAN_PCP_SHIFT 13

struct vlan_header {
    vs_be16 vlan_tci;
    vs_be16 vlan_next_type;
} VS_PACKED;

struct vlan_eth_header {
    struct eth_addr veth_dst;
    struct eth_addr veth_src;
    vs_be16 veth_type;                  /* TPID: 0x8100 or 0x88a8. */
    vs_be16 veth_tci;
    vs_be16 veth_next_type;
} VS_PACKED;

static inline uint16_t vlan_tci_to_vid(vs_be16 tci) { return ntohs(tci) & VLAN_VID_MASK; }
static inline uint8_t vlan_tci_to_pcp(vs_be16 tci) { return ntohs(tci) >> VLAN_PCP_SHIFT; }
static inline uint8_t vlan_tci_to_cfi(vs_be16 tci) { return (ntohs(tci) & VLAN_CFI) != 0; }
static inline vs_be16 vlan_tci_build(uint16_t vid, uint8_t pcp, bool cfi)
{
    return htons((vid & VLAN_VID_MASK) | ((pcp & 7) << VLAN_PCP_SHIFT)
                 | (cfi ? VLAN_CFI : 0));
}

/* ---- MPLS label stack entries. ---- */

#define MPLS_LABEL_MASK  0xfffff000
#define MPLS_LABEL_SHIFT 12
#define MPLS_TC_MASK     0x00000e00
#define MPLS_TC_SHIFT    9
#define MPLS_BOS_MASK    0x00000100
#define MPLS_BOS_SHIFT   8
#define MPLS_TTL_MASK    0x000000ff
#define MPLS_HLEN        4

struct mpls_hdr {
    vs_be32 mpls_lse;
} VS_PACKED;

static inline uint32_t mpls_lse_to_label(vs_be32 lse) { return ntohl(lse) >> MPLS_LABEL_SHIFT; }
static inline uint8_t mpls_lse_to_tc(vs_be32 lse) { return (ntohl(lse) & MPLS_TC_MASK) >> MPLS_TC_SHIFT; }
static inline uint8_t mpls_lse_to_bos(vs_be32 lse) { return (ntohl(lse) & MPLS_BOS_MASK) != 0; }
static inline uint8_t mpls_lse_to_ttl(vs_be32 lse) { return ntohl(lse) & MPLS_TTL_MASK; }
static inline vs_be32 mpls_lse_build(uint32_t label, uint8_t tc, bool bos, uint8_t ttl)
{
    return htonl((label << MPLS_LABEL_SHIFT) | ((tc & 7u) << MPLS_TC_SHIFT)
                 | (bos ? MPLS_BOS_MASK : 0) | ttl);
}

/* ---- ARP (Ethernet/IPv4 only). ---- */

#define ARP_HRD_ETHERNET 1
#define ARP_PRO_IP 0x0800
#define ARP_OP_REQUEST 1
#define ARP_OP_REPLY 2
#define ARP_OP_RARP_REQUEST 3
#define ARP_OP_RARP_REPLY 4
#define ARP_ETH_HEADER_LEN 28

struct arp_eth_header {
    vs_be16 ar_hrd;
    vs_be16 ar_pro;
    uint8_t ar_hln;
    uint8_t ar_pln;
    vs_be16 ar_op;
    struct eth_addr ar_sha;
    vs_be32 ar_spa;
    struct eth_addr ar_tha;
    vs_be32 ar_tpa;
} VS_PACKED;

/* ---- IP protocol numbers (those libc lacks on some systems). ---- */

#ifndef IPPROTO_SCTP
#define IPPROTO_SCTP 132
#endif
#ifndef IPPROTO_MH
#define IPPROTO_MH 135
#endif

/* ---- IPv4. ---- */

#define IP_HEADER_LEN 20
#define IP_VER(IHL_VER) ((IHL_VER) >> 4)
#define IP_IHL(IHL_VER) ((IHL_VER) & 15)
#define IP_IHL_VER(IHL, VER) (((VER) << 4) | (IHL))
#define IP_DSCP_MASK 0xfc
#define IP_ECN_MASK 0x03
#define IP_ECN_NOT_ECT 0x0
#define IP_ECN_ECT_1 0x01
#define IP_ECN_ECT_0 0x02
#define IP_ECN_CE 0x03
#define IP_DF 0x4000                    /* Don't fragment (host order). */
#define IP_MORE_FRAGMENTS 0x2000
#define IP_FRAG_OFF_MASK 0x1fff
static inline bool ip_is_fragment(vs_be16 frag_off)
{
    return (frag_off & htons(IP_MORE_FRAGMENTS | IP_FRAG_OFF_MASK)) != 0;
}

/* IPv4 option types (RFC 791 and later). */
#define IP_OPT_EOL 0
#define IP_OPT_NOP 1
#define IP_OPT_RR 7
#define IP_OPT_TS 68
#define IP_OPT_LSRR 131
#define IP_OPT_SSRR 137
#define IP_OPT_RA 148

struct ip_header {
    uint8_t ip_ihl_ver;
    uint8_t ip_tos;
    vs_be16 ip_tot_len;
    vs_be16 ip_id;
    vs_be16 ip_frag_off;
    uint8_t ip_ttl;
    uint8_t ip_proto;
    vs_be16 ip_csum;
    vs_be32 ip_src;
    vs_be32 ip_dst;
} VS_PACKED;

#define IP_FMT "%u.%u.%u.%u"
/* Takes any vs_be32 expression (evaluated four times). */
#define IP_ARGS(BE32)                           \
    (unsigned) (ntohl(BE32) >> 24),             \
    (unsigned) ((ntohl(BE32) >> 16) & 0xff),    \
    (unsigned) ((ntohl(BE32) >> 8) & 0xff),     \
    (unsigned) (ntohl(BE32) & 0xff)
#define IP_STRLEN 15                    /* "255.255.255.255" */

static inline bool ip_is_multicast(vs_be32 ip)
{
    return (ip & htonl(0xf0000000)) == htonl(0xe0000000);
}
/* Mask with the 'n' (0..32) leading bits set. */
static inline vs_be32 be32_prefix_mask(int n)
{
    return n >= 32 ? 0xffffffff : n <= 0 ? 0 : htonl(~(0xffffffffu >> n));
}
/* Prefix length of 'mask', or -1 if it is not a CIDR mask. */
int ip_count_cidr_bits(vs_be32 mask);
static inline bool ip_is_cidr(vs_be32 mask) { return ip_count_cidr_bits(mask) >= 0; }

/* Parses dotted quad "a.b.c.d".  Returns 0 or EINVAL. */
int ip_parse(const char *, vs_be32 *ip);
/* Parses "IP", "IP/LEN" or "IP/MASK" (any mask).  Without a mask, the mask
 * is all-ones.  Returns 0 or EINVAL. */
int ip_parse_masked(const char *, vs_be32 *ip, vs_be32 *mask);
/* Appends "IP", "IP/LEN" for CIDR masks, else "IP/MASK". */
void ip_format_masked(struct ds *, vs_be32 ip, vs_be32 mask);

/* ---- IPv6. ----
 *
 * The addresses inside the packed headers below may be unaligned: copy them
 * out with memcpy() rather than taking their address as a struct in6_addr
 * pointer (gcc rejects that with -Waddress-of-packed-member). */

#define IPV6_HEADER_LEN 40
#define IPV6_LABEL_MASK 0x000fffff
#define IPV6_SCAN_LEN 46                /* INET6_ADDRSTRLEN - 1. */

struct ipv6_header {
    vs_be32 ip6_vtcfl;                  /* Version 4, traffic class 8, label 20. */
    vs_be16 ip6_plen;
    uint8_t ip6_nxt;
    uint8_t ip6_hlim;
    struct in6_addr ip6_src;
    struct in6_addr ip6_dst;
} VS_PACKED;

/* Generic shape of hop-by-hop, routing and destination options headers:
 * length in 8-octet units, not counting the first 8 octets. */
struct ipv6_ext_header {
    uint8_t ip6e_nxt;
    uint8_t ip6e_len;
} VS_PACKED;

struct ipv6_rt_header {
    uint8_t ip6r_nxt;
    uint8_t ip6r_len;
    uint8_t ip6r_type;
    uint8_t ip6r_segleft;
} VS_PACKED;

#define IPV6_FRAG_HEADER_LEN 8
#define IP6F_OFF_MASK 0xfff8            /* Host order. */
#define IP6F_MORE_FRAG 0x0001
struct ipv6_frag_header {
    uint8_t ip6f_nxt;
    uint8_t ip6f_reserved;
    vs_be16 ip6f_offlg;
    vs_be32 ip6f_ident;
} VS_PACKED;

extern const struct in6_addr in6addr_exact;   /* All ones. */

static inline bool ipv6_addr_equals(const struct in6_addr *a, const struct in6_addr *b)
{
    return !memcmp(a, b, sizeof *a);
}
static inline bool ipv6_is_zero(const struct in6_addr *a)
{
    return ipv6_addr_equals(a, &in6addr_any);
}
static inline bool ipv6_addr_is_multicast(const struct in6_addr *a)
{
    return a->s6_addr[0] == 0xff;
}
struct in6_addr ipv6_addr_bitand(const struct in6_addr *, const struct in6_addr *);
/* Mask with the 'n' (0..128) leading bits set. */
struct in6_addr ipv6_create_mask(int n);
/* Prefix length of 'mask', or -1 if it is not a CIDR mask. */
int ipv6_count_cidr_bits(const struct in6_addr *mask);

/* Parses an IPv6 address.  Returns 0 or EINVAL. */
int ipv6_parse(const char *, struct in6_addr *);
/* Parses "IP6", "IP6/LEN" or "IP6/MASK".  Returns 0 or EINVAL. */
int ipv6_parse_masked(const char *, struct in6_addr *ip, struct in6_addr *mask);
void ipv6_format_addr(struct ds *, const struct in6_addr *);
/* Appends "IP6", "IP6/LEN" for CIDR masks, else "IP6/MASK". */
void ipv6_format_masked(struct ds *, const struct in6_addr *ip,
                        const struct in6_addr *mask);

/* ---- TCP, UDP, SCTP. ---- */

#define TCP_FIN 0x001
#define TCP_SYN 0x002
#define TCP_RST 0x004
#define TCP_PSH 0x008
#define TCP_ACK 0x010
#define TCP_URG 0x020
#define TCP_ECE 0x040
#define TCP_CWR 0x080
#define TCP_NS  0x100
#define TCP_FLAGS_MASK 0x0fff           /* Host order, of ntohs(tcp_ctl). */
#define TCP_HEADER_LEN 20
#define TCP_OFFSET(CTL) (ntohs(CTL) >> 12)          /* In 32-bit words. */
#define TCP_FLAGS(CTL) (ntohs(CTL) & TCP_FLAGS_MASK)
#define TCP_FLAGS_BE16(CTL) ((CTL) & htons(TCP_FLAGS_MASK))

struct tcp_header {
    vs_be16 tcp_src;
    vs_be16 tcp_dst;
    vs_be32 tcp_seq;
    vs_be32 tcp_ack;
    vs_be16 tcp_ctl;                    /* Offset 4, reserved 3, flags 9. */
    vs_be16 tcp_winsz;
    vs_be16 tcp_csum;
    vs_be16 tcp_urg;
} VS_PACKED;

/* Appends TCP flags as "syn|ack" (or "0" if none). */
void packet_format_tcp_flags(struct ds *, uint16_t flags);

#define UDP_HEADER_LEN 8
struct udp_header {
    vs_be16 udp_src;
    vs_be16 udp_dst;
    vs_be16 udp_len;
    vs_be16 udp_csum;
} VS_PACKED;

#define SCTP_HEADER_LEN 12
struct sctp_header {
    vs_be16 sctp_src;
    vs_be16 sctp_dst;
    vs_be32 sctp_vtag;
    vs_be32 sctp_csum;                  /* CRC32c, not the Internet checksum. */
} VS_PACKED;

/* ---- ICMPv4. ---- */

#define ICMP_HEADER_LEN 8
#define ICMP4_ECHO_REPLY 0
#define ICMP4_DST_UNREACH 3
#define ICMP4_REDIRECT 5
#define ICMP4_ECHO_REQUEST 8
#define ICMP4_TIME_EXCEEDED 11
#define ICMP4_FRAG_NEEDED 4             /* Code of ICMP4_DST_UNREACH. */

struct icmp_header {
    uint8_t icmp_type;
    uint8_t icmp_code;
    vs_be16 icmp_csum;
    union {
        struct {
            vs_be16 id;
            vs_be16 seq;
        } echo;
        struct {
            vs_be16 empty;
            vs_be16 mtu;
        } frag;
        vs_be32 gateway;
    } icmp_fields;
} VS_PACKED;

/* ---- ICMPv6 and Neighbor Discovery. ---- */

#define ICMP6_HEADER_LEN 4
#define ICMP6_DST_UNREACH 1
#define ICMP6_PACKET_TOO_BIG 2
#define ICMP6_TIME_EXCEEDED 3
#define ICMP6_ECHO_REQUEST 128
#define ICMP6_ECHO_REPLY 129
#define MLD_QUERY 130
#define MLD_REPORT 131
#define MLD_DONE 132
#define ND_ROUTER_SOLICIT 133
#define ND_ROUTER_ADVERT 134
#define ND_NEIGHBOR_SOLICIT 135
#define ND_NEIGHBOR_ADVERT 136
#define MLD2_REPORT 143

struct icmp6_header {
    uint8_t icmp6_type;
    uint8_t icmp6_code;
    vs_be16 icmp6_cksum;
} VS_PACKED;

/* Neighbor solicitation/advertisement (RFC 4861). */
#define ND_MSG_LEN 24
#define ND_RSO_ROUTER    0x80000000
#define ND_RSO_SOLICITED 0x40000000
#define ND_RSO_OVERRIDE  0x20000000
struct nd_msg {
    struct icmp6_header icmph;
    vs_be32 rso_flags;
    struct in6_addr target;
} VS_PACKED;

/* ND option: type, then length in units of 8 octets (0 is invalid). */
#define ND_OPT_SOURCE_LINKADDR 1
#define ND_OPT_TARGET_LINKADDR 2
#define ND_LLA_OPT_LEN 8
struct nd_opt_header {
    uint8_t nd_opt_type;
    uint8_t nd_opt_len;
} VS_PACKED;
struct nd_lla_opt {
    uint8_t type;
    uint8_t len;                        /* 1 for Ethernet. */
    struct eth_addr mac;
} VS_PACKED;

/* ---- UDP tunnels. ---- */

#define VXLAN_DST_PORT 4789
#define GENEVE_DST_PORT 6081
#define VXLAN_FLAG_VNI 0x08000000       /* Host order, of ntohl(vx_flags). */
#define VXLAN_HEADER_LEN 8
struct vxlan_header {
    vs_be32 vx_flags;
    vs_be32 vx_vni;                     /* VNI << 8. */
} VS_PACKED;

#endif /* packets.h */
