/* A packet buffer: the frame bytes with headroom in front (for pushing VLAN
 * tags or MPLS labels without copying), the header offsets flow_extract()
 * found, and metadata that travels with the packet.
 *
 *     base                data                      data + size
 *      |<--- headroom --->|<-------- packet -------->|<-- tailroom -->|
 *      |<------------------------- allocated ------------------------->|
 */
#ifndef VS_DP_PACKET_H
#define VS_DP_PACKET_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "byte-order.h"
#include "packets.h"
#include "util.h"

/* Headroom dp_packet_new() leaves: two VLAN tags or a few MPLS labels. */
#define DP_PACKET_DEFAULT_HEADROOM 64

enum dp_packet_source {
    DPBUF_MALLOC,                       /* Owned, from malloc(): may grow. */
    DPBUF_STUB,                         /* Caller's memory, copied to malloc on growth. */
    DPBUF_CONST,                        /* Caller's read-only memory: never written. */
};

/* Metadata that is not in the frame. */
struct pkt_metadata {
    uint32_t in_port;                   /* Input port number. */
    uint32_t skb_priority;
    uint32_t pkt_mark;
    uint32_t recirc_id;
    vs_be64 tun_id;                     /* Tunnel key, 0 if none. */
    vs_be32 tun_src;
    vs_be32 tun_dst;
};

#define DP_PACKET_OFS_NONE UINT16_MAX

struct dp_packet {
    void *base;                         /* Start of buffer; see 'source'. */
    uint32_t allocated;                 /* Bytes at 'base'. */
    uint32_t data_ofs;                  /* Headroom: data = base + data_ofs. */
    uint32_t size;                      /* Bytes of packet data. */
    enum dp_packet_source source;

    /* Offsets from 'data', or DP_PACKET_OFS_NONE; set by flow_extract(). */
    uint16_t l2_5_ofs;                  /* MPLS label stack. */
    uint16_t l3_ofs;                    /* IPv4/IPv6/ARP header. */
    uint16_t l4_ofs;                    /* TCP/UDP/SCTP/ICMP header. */

    struct pkt_metadata md;
};

/* Lifetime. */
void dp_packet_init(struct dp_packet *, size_t allocated);
void dp_packet_use(struct dp_packet *, void *base, size_t allocated);
void dp_packet_use_stub(struct dp_packet *, void *base, size_t allocated);
void dp_packet_use_const(struct dp_packet *, const void *data, size_t size);
void dp_packet_uninit(struct dp_packet *);
struct dp_packet *dp_packet_new(size_t size);
struct dp_packet *dp_packet_new_with_headroom(size_t size, size_t headroom);
struct dp_packet *dp_packet_clone(const struct dp_packet *);
struct dp_packet *dp_packet_clone_data(const void *, size_t);
void dp_packet_delete(struct dp_packet *);

static inline void *dp_packet_data(const struct dp_packet *b)
{
    return (char *) b->base + b->data_ofs;
}
static inline uint32_t dp_packet_size(const struct dp_packet *b) { return b->size; }
static inline void *dp_packet_tail(const struct dp_packet *b)
{
    return (char *) dp_packet_data(b) + b->size;
}
static inline size_t dp_packet_headroom(const struct dp_packet *b) { return b->data_ofs; }
static inline size_t dp_packet_tailroom(const struct dp_packet *b)
{
    return b->allocated - b->data_ofs - b->size;
}

/* Growing and shrinking.  The _uninit functions return a pointer to the
 * new bytes; all may move the data (offsets stay valid, pointers do not). */
void dp_packet_prealloc_headroom(struct dp_packet *, size_t);
void dp_packet_prealloc_tailroom(struct dp_packet *, size_t);
void *dp_packet_put_uninit(struct dp_packet *, size_t);
void *dp_packet_put_zeros(struct dp_packet *, size_t);
void *dp_packet_put(struct dp_packet *, const void *, size_t);
void *dp_packet_push_uninit(struct dp_packet *, size_t);
void *dp_packet_push(struct dp_packet *, const void *, size_t);
/* Removes 'n' bytes from the front (returns the old data) or back. */
void *dp_packet_pull(struct dp_packet *, size_t n);
void dp_packet_trim(struct dp_packet *, size_t n);
void dp_packet_clear(struct dp_packet *);
/* Appends the bytes written as hex in 's' (whitespace and ':' ignored).
 * Returns 0, or EINVAL (packet unchanged) on a bad digit or odd count. */
int dp_packet_put_hex(struct dp_packet *, const char *s);

/* Header offsets. */
static inline void dp_packet_reset_offsets(struct dp_packet *b)
{
    b->l2_5_ofs = b->l3_ofs = b->l4_ofs = DP_PACKET_OFS_NONE;
}
static inline void *dp_packet_at_ofs(const struct dp_packet *b, uint16_t ofs)
{
    return ofs != DP_PACKET_OFS_NONE ? (char *) dp_packet_data(b) + ofs : NULL;
}
static inline void *dp_packet_eth(const struct dp_packet *b)
{
    return b->size >= ETH_HEADER_LEN ? dp_packet_data(b) : NULL;
}
static inline void *dp_packet_l2_5(const struct dp_packet *b) { return dp_packet_at_ofs(b, b->l2_5_ofs); }
static inline void *dp_packet_l3(const struct dp_packet *b) { return dp_packet_at_ofs(b, b->l3_ofs); }
static inline void *dp_packet_l4(const struct dp_packet *b) { return dp_packet_at_ofs(b, b->l4_ofs); }
static inline size_t dp_packet_l3_size(const struct dp_packet *b)
{
    return b->l3_ofs != DP_PACKET_OFS_NONE ? b->size - b->l3_ofs : 0;
}
static inline size_t dp_packet_l4_size(const struct dp_packet *b)
{
    return b->l4_ofs != DP_PACKET_OFS_NONE ? b->size - b->l4_ofs : 0;
}

/* VLAN and MPLS push/pop on an Ethernet frame.  Offsets shift with the
 * headers.  Pushing onto a frame shorter than an Ethernet header, or
 * popping where there is nothing to pop, returns EINVAL and leaves the
 * packet unchanged. */
int eth_push_vlan(struct dp_packet *, vs_be16 tpid, vs_be16 tci);
int eth_pop_vlan(struct dp_packet *);
/* Pushes 'lse' as the outermost label (after any VLAN tags) and sets the
 * Ethernet type to 'eth_type' (ETH_TYPE_MPLS or _MCAST, network order). */
int eth_push_mpls(struct dp_packet *, vs_be16 eth_type, vs_be32 lse);
/* Pops the outermost label; 'next_type' becomes the Ethernet type. */
int eth_pop_mpls(struct dp_packet *, vs_be16 next_type);

#endif /* dp-packet.h */
