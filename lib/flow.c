/* Hashing, comparison and wildcards of struct flow, word by word. */
#include <config.h>
#include "flow.h"

#include <string.h>

/* One random odd constant per word (generated once, fixed forever so that
 * hashes are stable across runs and processes). */
static const uint64_t flow_hash_keys[30] = {
    0x71e273a87984a8abULL, 0x9fb93534081c5253ULL, 0xf93fe42eabd2d9f3ULL,
    0xdb149e4714be09abULL, 0x5323451b4a95902bULL, 0x3994693ea3ae6e69ULL,
    0xa061ae14a1dbf721ULL, 0x1aa615a94b6a5551ULL, 0x5856c32a687b253bULL,
    0x8b3a15353f137b71ULL, 0x20dd5386c9cf0801ULL, 0xa7213dfe89328293ULL,
    0x919e9bc7f4a02d93ULL, 0x67d1191fda80a0bdULL, 0xb14cf51964cd1715ULL,
    0xfd95588c5e4ef10bULL, 0x344d04cb5f0f2c03ULL, 0xd561cab77e4d173dULL,
    0x929e04e213311e91ULL, 0x3c85b930b9f0920fULL, 0xc5e1fb5bb643edf5ULL,
    0x1b0b5a92ca9f1dafULL, 0xf86c67b35a0ac811ULL, 0xfece6b989a323eafULL,
    0x419274d465ee28dfULL, 0x5da24106869b7c3dULL, 0xd5baa978983b6369ULL,
    0xfe4f526311d5d725ULL, 0x456d044bc1f49415ULL, 0xddc012f8a7865585ULL,
};
_Static_assert(ARRAY_SIZE(flow_hash_keys) >= FLOW_U64S + 1,
               "one hash key per flow word, plus one");

/* 64x64->128 multiply folded to 64 bits: the core of the hash.  Every
 * pair of words goes through one multiply; pairs are independent, so the
 * CPU overlaps them, and a flow (29 words) costs 15 multiplies. */
static inline uint64_t
mum(uint64_t a, uint64_t b)
{
    unsigned __int128 r = (unsigned __int128) a * b;
    return (uint64_t) r ^ (uint64_t) (r >> 64);
}

static inline uint32_t
hash_final(uint64_t acc, uint64_t seed)
{
    uint64_t h = mum(acc ^ flow_hash_keys[0], seed ^ flow_hash_keys[1]);
    return (uint32_t) (h ^ (h >> 32));
}

/* The loops below have a constant trip count; the compiler unrolls them. */
uint32_t
flow_hash(const struct flow *flow, uint32_t basis)
{
    const uint64_t *w = flow_u64(flow);
    const uint64_t *k = flow_hash_keys;
    uint64_t seed = basis * 0x9e3779b97f4a7c15ULL;
    uint64_t acc = 0;
    size_t i;

    for (i = 0; i + 1 < FLOW_U64S; i += 2) {
        acc += mum(w[i] ^ k[i] ^ seed, w[i + 1] ^ k[i + 1]);
    }
    if (i < FLOW_U64S) {
        acc += mum(w[i] ^ k[i] ^ seed, k[i + 1]);
    }
    return hash_final(acc, seed);
}

uint32_t
flow_hash_masked(const struct flow *flow, const struct flow_wildcards *wc,
                 uint32_t basis)
{
    const uint64_t *w = flow_u64(flow);
    const uint64_t *m = flow_u64(&wc->masks);
    const uint64_t *k = flow_hash_keys;
    uint64_t seed = basis * 0x9e3779b97f4a7c15ULL;
    uint64_t acc = 0;
    size_t i;

    for (i = 0; i + 1 < FLOW_U64S; i += 2) {
        acc += mum((w[i] & m[i]) ^ k[i] ^ seed, (w[i + 1] & m[i + 1]) ^ k[i + 1]);
    }
    if (i < FLOW_U64S) {
        acc += mum((w[i] & m[i]) ^ k[i] ^ seed, k[i + 1]);
    }
    return hash_final(acc, seed);
}

bool
flow_equal(const struct flow *a, const struct flow *b)
{
    const uint64_t *wa = flow_u64(a), *wb = flow_u64(b);
    uint64_t diff = 0;

    for (size_t i = 0; i < FLOW_U64S; i++) {
        diff |= wa[i] ^ wb[i];
    }
    return !diff;
}

bool
flow_equal_masked(const struct flow *a, const struct flow *b,
                  const struct flow_wildcards *wc)
{
    const uint64_t *wa = flow_u64(a), *wb = flow_u64(b);
    const uint64_t *m = flow_u64(&wc->masks);
    uint64_t diff = 0;

    for (size_t i = 0; i < FLOW_U64S; i++) {
        diff |= (wa[i] ^ wb[i]) & m[i];
    }
    return !diff;
}

void
flow_zero_wildcards(struct flow *flow, const struct flow_wildcards *wc)
{
    uint64_t *w = flow_u64_rw(flow);
    const uint64_t *m = flow_u64(&wc->masks);

    for (size_t i = 0; i < FLOW_U64S; i++) {
        w[i] &= m[i];
    }
}

void
flow_wildcards_init_catchall(struct flow_wildcards *wc)
{
    memset(&wc->masks, 0, sizeof wc->masks);
}

void
flow_wildcards_init_exact(struct flow_wildcards *wc)
{
    memset(&wc->masks, 0xff, sizeof wc->masks);
    /* Pad bytes are never significant: keeps masks canonical. */
    memset(wc->masks.pad1, 0, sizeof wc->masks.pad1);
    memset(wc->masks.pad2, 0, sizeof wc->masks.pad2);
    memset(wc->masks.pad3, 0, sizeof wc->masks.pad3);
    wc->masks.ipv6_label = htonl(IPV6_LABEL_MASK);
}

bool
flow_wildcards_is_catchall(const struct flow_wildcards *wc)
{
    const uint64_t *m = flow_u64(&wc->masks);
    uint64_t any = 0;

    for (size_t i = 0; i < FLOW_U64S; i++) {
        any |= m[i];
    }
    return !any;
}

bool
flow_wildcards_is_exact(const struct flow_wildcards *wc)
{
    struct flow_wildcards exact;

    flow_wildcards_init_exact(&exact);
    return flow_wildcards_equal(wc, &exact);
}

void
flow_wildcards_or(struct flow_wildcards *dst, const struct flow_wildcards *a,
                  const struct flow_wildcards *b)
{
    uint64_t *d = flow_u64_rw(&dst->masks);
    const uint64_t *ma = flow_u64(&a->masks), *mb = flow_u64(&b->masks);

    for (size_t i = 0; i < FLOW_U64S; i++) {
        d[i] = ma[i] | mb[i];
    }
}

void
flow_wildcards_and(struct flow_wildcards *dst, const struct flow_wildcards *a,
                   const struct flow_wildcards *b)
{
    uint64_t *d = flow_u64_rw(&dst->masks);
    const uint64_t *ma = flow_u64(&a->masks), *mb = flow_u64(&b->masks);

    for (size_t i = 0; i < FLOW_U64S; i++) {
        d[i] = ma[i] & mb[i];
    }
}

bool
flow_wildcards_equal(const struct flow_wildcards *a, const struct flow_wildcards *b)
{
    return flow_equal(&a->masks, &b->masks);
}

uint32_t
flow_wildcards_hash(const struct flow_wildcards *wc, uint32_t basis)
{
    return flow_hash(&wc->masks, basis);
}

#define WC_EXACT(WC, FIELD) memset(&(WC)->masks.FIELD, 0xff, sizeof (WC)->masks.FIELD)

void
flow_wildcards_init_for_packet(struct flow_wildcards *wc, const struct flow *flow)
{
    uint16_t dl_type = ntohs(flow->dl_type);
    bool ipv4 = dl_type == ETH_TYPE_IP, ipv6 = dl_type == ETH_TYPE_IPV6;

    flow_wildcards_init_catchall(wc);

    WC_EXACT(wc, tun_id);
    WC_EXACT(wc, tun_src);
    WC_EXACT(wc, tun_dst);
    WC_EXACT(wc, metadata);
    WC_EXACT(wc, regs);
    WC_EXACT(wc, in_port);
    WC_EXACT(wc, skb_priority);
    WC_EXACT(wc, pkt_mark);
    WC_EXACT(wc, recirc_id);

    WC_EXACT(wc, dl_dst);
    WC_EXACT(wc, dl_src);
    WC_EXACT(wc, dl_type);
    WC_EXACT(wc, vlans);

    if (eth_type_mpls(flow->dl_type)) {
        WC_EXACT(wc, mpls_lse);
        return;
    }
    if (dl_type == ETH_TYPE_ARP || dl_type == ETH_TYPE_RARP) {
        WC_EXACT(wc, nw_src);
        WC_EXACT(wc, nw_dst);
        WC_EXACT(wc, nw_proto);
        WC_EXACT(wc, arp_sha);
        WC_EXACT(wc, arp_tha);
        return;
    }
    if (!ipv4 && !ipv6) {
        return;
    }

    if (ipv4) {
        WC_EXACT(wc, nw_src);
        WC_EXACT(wc, nw_dst);
    } else {
        WC_EXACT(wc, ipv6_src);
        WC_EXACT(wc, ipv6_dst);
        wc->masks.ipv6_label = htonl(IPV6_LABEL_MASK);
    }
    WC_EXACT(wc, nw_proto);
    WC_EXACT(wc, nw_tos);
    WC_EXACT(wc, nw_ttl);
    wc->masks.nw_frag = FLOW_NW_FRAG_MASK;
    if (flow->nw_frag & FLOW_NW_FRAG_LATER) {
        return;
    }

    switch (flow->nw_proto) {
    case IPPROTO_TCP:
        WC_EXACT(wc, tcp_flags);
        /* fall through */
    case IPPROTO_UDP:
    case IPPROTO_SCTP:
        WC_EXACT(wc, tp_src);
        WC_EXACT(wc, tp_dst);
        break;
    case IPPROTO_ICMP:
        if (ipv4) {
            WC_EXACT(wc, tp_src);
            WC_EXACT(wc, tp_dst);
        }
        break;
    case IPPROTO_ICMPV6:
        if (ipv6) {
            WC_EXACT(wc, tp_src);
            WC_EXACT(wc, tp_dst);
            if (flow->tp_dst == htons(0)
                && (flow->tp_src == htons(ND_NEIGHBOR_SOLICIT)
                    || flow->tp_src == htons(ND_NEIGHBOR_ADVERT))) {
                WC_EXACT(wc, nd_target);
                WC_EXACT(wc, arp_sha);
                WC_EXACT(wc, arp_tha);
            }
        }
        break;
    default:
        break;
    }
}
