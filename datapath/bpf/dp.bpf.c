// SPDX-License-Identifier: GPL-2.0
/* The vswitch fast path: one BPF object per datapath, two programs sharing
 * its maps.
 *
 *   dp_xdp  (XDP, every port): parse, look the megaflow up, and forward on
 *           its own what XDP does well: single-output flows (with VLAN
 *           push/pop), drops, and plain floods.  Everything else -- misses,
 *           TCP (whose skb carries checksum/GSO metadata that an XDP
 *           redirect would lose), UDP whose checksum is not complete, and
 *           multi-output flows -- is passed up unchanged, to...
 *   dp_tc   (tc clsact ingress, every port; egress on internal ports):
 *           the same lookup on the skb; executes any action list with
 *           bpf_clone_redirect/bpf_redirect (which keep the skb's offload
 *           metadata), and sends misses to userspace through the 'upcalls'
 *           ring buffer.
 *
 * Maps are pinned by name under the datapath's bpffs directory so that
 * forwarding goes on while vs-vswitchd restarts; sizes come from the
 * loader. */
#include "dp-parse.h"
#include "token-bucket.h"

char LICENSE[] SEC("license") = "GPL";

#define TC_ACT_UNSPEC (-1)       /* On to the next tc filter. */
#define TC_ACT_OK 0
#define TC_ACT_SHOT 2

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __type(key, struct dp_flow_key);
    __type(value, struct dp_flow);
    __uint(max_entries, 65536);
    __uint(pinning, LIBBPF_PIN_BY_NAME);
} flows SEC(".maps");

/* Counters by megaflow handle (see struct dp_flow_counters); sized by
 * userspace to twice the flow table. */
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __type(key, __u32);
    __type(value, struct dp_flow_counters);
    __uint(max_entries, 131072);
    __uint(map_flags, BPF_F_MMAPABLE);
    __uint(pinning, LIBBPF_PIN_BY_NAME);
} flow_stats SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __type(key, __u32);
    __type(value, struct dp_mask);
    __uint(max_entries, DP_MAX_MASKS);
    __uint(map_flags, BPF_F_MMAPABLE);  /* Userspace reads it per upcall. */
    __uint(pinning, LIBBPF_PIN_BY_NAME);
} masks SEC(".maps");

/* Hits per mask id, so userspace can probe the busiest masks first. */
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __type(key, __u32);
    __type(value, __u64);
    __uint(max_entries, DP_MAX_MASKS);
    __uint(pinning, LIBBPF_PIN_BY_NAME);
} mask_hits SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __type(key, __u32);
    __type(value, struct dp_port);
    __uint(max_entries, DP_MAX_PORTS);
    __uint(map_flags, BPF_F_MMAPABLE);  /* ... and per packet it sends. */
    __uint(pinning, LIBBPF_PIN_BY_NAME);
} ports SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __type(key, __u32);             /* ifindex */
    __type(value, __u32);           /* port number */
    __uint(max_entries, DP_MAX_PORTS);
    __uint(pinning, LIBBPF_PIN_BY_NAME);
} port_by_ifindex SEC(".maps");

/* Tunnel ports by what a received packet carries (see dp-key.h). */
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __type(key, struct dp_tun_port_key);
    __type(value, __u32);           /* port number */
    __uint(max_entries, DP_MAX_PORTS);
    __uint(pinning, LIBBPF_PIN_BY_NAME);
} tun_ports SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __type(key, __u32);
    __type(value, struct dp_tun_stats);
    __uint(max_entries, DP_MAX_PORTS);
    __uint(pinning, LIBBPF_PIN_BY_NAME);
} tun_stats SEC(".maps");

/* XDP redirect targets: port number -> ifindex, only ports with
 * DP_PORT_XDP_TX. */
struct {
    __uint(type, BPF_MAP_TYPE_DEVMAP);
    __type(key, __u32);
    __type(value, __u32);
    __uint(max_entries, DP_MAX_PORTS);
    __uint(pinning, LIBBPF_PIN_BY_NAME);
} tx_ports SEC(".maps");

/* Datapath-wide switches written by userspace (index DP_CFG_*). */
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __type(key, __u32);
    __type(value, __u32);
    __uint(max_entries, DP_CFG_N);
    __uint(pinning, LIBBPF_PIN_BY_NAME);
} config SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 1 << 22);
    __uint(pinning, LIBBPF_PIN_BY_NAME);
} upcalls SEC(".maps");

/* Indexed by CPU; the loader sizes it to the number of CPUs.  Not pinned:
 * scratch space only. */
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __type(key, __u32);
    __type(value, struct dp_upcall_big);
    __uint(max_entries, 1);
} upcall_big SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __type(key, __u32);
    __type(value, __u64);
    __uint(max_entries, DP_STAT_N);
    __uint(pinning, LIBBPF_PIN_BY_NAME);
} stats SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __type(key, __u32);
    __type(value, struct dp_meter);
    __uint(max_entries, DP_MAX_METERS);
    __uint(pinning, LIBBPF_PIN_BY_NAME);
} meters SEC(".maps");

/* Charges a packet of 'bytes' bytes ('segs' wire packets, for a GSO skb)
 * to meter 'id'.  Returns true if it passes; a meter that is not set up
 * passes everything. */
static __always_inline int
meter_pass(__u32 id, __u32 bytes, __u32 segs)
{
    struct dp_meter *m = bpf_map_lookup_elem(&meters, &id);
    if (!m || !(m->flags & DP_METER_IN_USE)) {
        return 1;
    }
    __u64 now = bpf_ktime_get_ns();
    __u64 rate = m->rate;
    __s64 cap = (__s64) m->burst * 1000000000;
    __s64 cost;
    if (rate > DP_METER_MAX_RATE) {
        rate = DP_METER_MAX_RATE;
    }
    if (m->flags & DP_METER_PKTPS) {
        cost = (__s64) (segs ? segs : 1) * 1000000000;
    } else {
        cost = (__s64) bytes * 8 * 1000000;
    }
    int ok = token_bucket_take(&m->lock, &m->tokens, &m->last_ns, now, rate,
                               cap, cost);
    if (ok) {
        __sync_fetch_and_add(&m->n_packets, 1);
        __sync_fetch_and_add(&m->n_bytes, bytes);
    } else {
        __sync_fetch_and_add(&m->n_dropped, 1);
    }
    return ok;
}

static __always_inline void
stat_add(__u32 idx, __u64 n)
{
    __u64 *v = bpf_map_lookup_elem(&stats, &idx);
    if (v) {
        *v += n;
    }
}

static __always_inline __u32
cfg_get(__u32 idx)
{
    __u32 *v = bpf_map_lookup_elem(&config, &idx);
    return v ? *v : 0;
}

/* Probes the masks in list order; the first hit wins (userspace never
 * installs overlapping megaflows). */
static __always_inline struct dp_flow *
lookup_flow(const struct dp_key *key)
{
    struct dp_flow_key fk;
    const __u64 *kw = (const __u64 *) key;
    __u64 *ow = (__u64 *) &fk.key;
    __u32 i;

    for (i = 0; i < DP_MAX_MASKS; i++) {
        __u32 idx = i;
        struct dp_mask *m = bpf_map_lookup_elem(&masks, &idx);
        if (!m || !m->in_use) {
            break;
        }
        const __u64 *mw = (const __u64 *) &m->mask;
        fk.mask_id = m->id;
        fk.pad = 0;
        for (__u32 w = 0; w < DP_KEY_WORDS; w++) {
            ow[w] = kw[w] & mw[w];
        }
        stat_add(DP_STAT_MASK_PROBES, 1);
        struct dp_flow *f = bpf_map_lookup_elem(&flows, &fk);
        if (f) {
            __u32 id = m->id;
            __u64 *h = bpf_map_lookup_elem(&mask_hits, &id);
            if (h) {
                *h += 1;
            }
            return f;
        }
    }
    return 0;
}

/* The 12 flag bits of a TCP segment whose header starts 'l4' bytes into
 * the frame, 0 for anything else (or a header cut short). */
static __always_inline __u64
tcp_flags_of(const struct dp_key *key, __u16 l4, void *data, void *data_end)
{
    if ((key->eth_type != bpf_htons(ETH_P_IP)
         && key->eth_type != bpf_htons(ETH_P_IPV6))
        || key->nw_proto != IPPROTO_TCP || (key->nw_frag & DP_FRAG_LATER)
        || !l4) {
        return 0;
    }
    __be16 *w = data + (l4 & 0xff) + 12;    /* Data offset and flags. */
    if ((void *) (w + 1) > data_end) {
        return 0;
    }
    return bpf_ntohs(*w) & 0x0fff;
}

static __always_inline void
flow_used(struct dp_flow *f, __u64 bytes, __u64 tcp_flags)
{
    struct dp_flow_counters *c = (struct dp_flow_counters *) f;
    __u32 h = f->handle;
    if (h) {
        struct dp_flow_counters *by_handle = bpf_map_lookup_elem(&flow_stats,
                                                                 &h);
        if (by_handle) {
            c = by_handle;
        }
    }
    __sync_fetch_and_add(&c->packets, 1);
    __sync_fetch_and_add(&c->bytes, bytes);
    /* Idle expiry needs ~ms precision: the coarse clock is much cheaper
     * and has the same (CLOCK_MONOTONIC) base. */
    __u64 t = bpf_ktime_get_coarse_ns();
    if (c->used_ns != t) {
        c->used_ns = t;
    }
    /* Only flows counted by handle have room for the flags (struct
     * dp_flow has its n_actions there); written only when new bits show,
     * so established connections cost a read. */
    if (tcp_flags && c != (struct dp_flow_counters *) f
        && (c->tcp_flags | tcp_flags) != c->tcp_flags) {
        __sync_fetch_and_or(&c->tcp_flags, tcp_flags);
    }
    stat_add(DP_STAT_HIT, 1);
}

/* ---- XDP ---------------------------------------------------------------- */

/* True if the IPv4 UDP datagram at 'udp' carries a complete, valid
 * checksum (or none).  A sender with TX checksum offload leaves only the
 * pseudo-header sum in the packet; such packets must keep their skb and go
 * the tc way.  Only small datagrams are checked here; big ones go tc too. */
static __always_inline int
udp_csum_ok(struct iphdr *ip, struct udphdr *udp, void *data_end)
{
    if ((void *) (udp + 1) > data_end) {
        return 0;
    }
    if (!udp->check) {
        return 1;
    }
    __u32 len = bpf_ntohs(udp->len);
    if (len < sizeof *udp || len > 256) {
        return 0;
    }
    __u32 sum = (ip->saddr & 0xffff) + (ip->saddr >> 16)
                + (ip->daddr & 0xffff) + (ip->daddr >> 16)
                + bpf_htons(IPPROTO_UDP) + udp->len;
    __u16 *w = (__u16 *) udp;
    for (__u32 i = 0; i < 128; i++) {
        if (2 * i + 1 >= len) {
            break;
        }
        if ((void *) (w + i + 1) > data_end) {
            return 0;
        }
        sum += w[i];
    }
    if (len & 1) {
        __u8 *b = (__u8 *) udp + ((len - 1) & 0xff);
        if ((void *) (b + 1) > data_end) {
            return 0;
        }
        sum += *b;
    }
    sum = (sum & 0xffff) + (sum >> 16);
    sum = (sum & 0xffff) + (sum >> 16);
    return sum == 0xffff;
}

/* ---- rewrites ------------------------------------------------------------ */

static __always_inline int
is_rewrite(__u16 type)
{
    return type >= DP_ACT_SET_ETH_SRC && type <= DP_ACT_SET_IP_TTL;
}

/* True if the key's packet has a TCP/UDP header whose checksum a rewrite
 * must follow (not a later fragment). */
static __always_inline int
has_l4_csum(const struct dp_key *key, const struct dp_layout *lay)
{
    return (key->nw_proto == IPPROTO_TCP || key->nw_proto == IPPROTO_UDP)
           && !(key->nw_frag & DP_FRAG_LATER) && lay->l4;
}

static __always_inline __u16
csum_fold32(__u32 s)
{
    s = (s & 0xffff) + (s >> 16);
    s = (s & 0xffff) + (s >> 16);
    return s;
}

/* New checksum after a 16-bit word changed from 'old' to 'new' (RFC 1624
 * eqn. 3).  Words are taken as loaded from the packet; the one's
 * complement sum does not depend on byte order. */
static __always_inline __u16
csum_replace16(__u16 check, __u16 old, __u16 new)
{
    return ~csum_fold32((__u32) (__u16) ~check + (__u16) ~old + new);
}

static __always_inline __u16
csum_replace32(__u16 check, __u32 old, __u32 new)
{
    check = csum_replace16(check, old & 0xffff, new & 0xffff);
    return csum_replace16(check, old >> 16, new >> 16);
}

/* The TCP/UDP checksum field of the packet, or NULL if it is not there. */
static __always_inline __u16 *
xdp_l4_csum(void *data, void *data_end, const struct dp_key *key,
            const struct dp_layout *lay)
{
    if (!has_l4_csum(key, lay)) {
        return 0;
    }
    void *l4 = data + (lay->l4 & 0xff);
    __u16 *c = l4 + (key->nw_proto == IPPROTO_TCP ? 16 : 6);
    if ((void *) (c + 1) > data_end) {
        return 0;
    }
    return c;
}

/* Folds a changed word into the TCP/UDP checksum at 'c': a UDP checksum
 * of 0 ("none") stays 0 and a computed 0 is sent as 0xffff. */
static __always_inline void
xdp_l4_csum_update(__u16 *c, const struct dp_key *key, __u32 old, __u32 new,
                   int is32)
{
    int udp = key->nw_proto == IPPROTO_UDP;
    if (udp && !*c) {
        return;
    }
    __u16 v = is32 ? csum_replace32(*c, old, new)
                   : csum_replace16(*c, old, new);
    *c = udp && !v ? 0xffff : v;
}

/* Rewrites the packet in place for 'a' (see dp-key.h).  XDP only sees
 * packets whose checksums are complete (TCP and checksum-offloaded UDP go
 * the tc way), so plain incremental updates are right.  'lay' is where
 * parse_packet() found the headers before any VLAN push/pop. */
static __always_inline void
xdp_rewrite(void *data, void *data_end, const struct dp_key *key,
            const struct dp_layout *lay, const struct dp_action *a)
{
    __u16 type = a->type;

    if (type == DP_ACT_SET_ETH_SRC || type == DP_ACT_SET_ETH_DST) {
        struct ethhdr *eth = data;
        if ((void *) (eth + 1) > data_end) {
            return;
        }
        if (type == DP_ACT_SET_ETH_SRC) {
            __builtin_memcpy(eth->h_source, a->mac, 6);
        } else {
            __builtin_memcpy(eth->h_dest, a->mac, 6);
        }
        return;
    }

    if (key->eth_type == bpf_htons(ETH_P_IPV6)) {
        __u8 *ip6 = data + (lay->l3 & 0xff);
        if ((void *) (ip6 + 40) > data_end) {
            return;
        }
        if (type == DP_ACT_SET_IP_TOS) {
            __u8 tc = (ip6[0] & 0x0f) << 4 | ip6[1] >> 4;
            tc = (tc & ~a->tos_mask) | (a->tos & a->tos_mask);
            ip6[0] = (ip6[0] & 0xf0) | tc >> 4;
            ip6[1] = (ip6[1] & 0x0f) | (tc & 0x0f) << 4;
        } else if (type == DP_ACT_SET_IP_TTL) {
            ip6[7] = a->ttl;
        } else if (type == DP_ACT_SET_TP_SRC || type == DP_ACT_SET_TP_DST) {
            goto ports;
        }
        return;
    }
    if (key->eth_type != bpf_htons(ETH_P_IP)) {
        return;
    }
    struct iphdr *ip = data + (lay->l3 & 0xff);
    if ((void *) (ip + 1) > data_end) {
        return;
    }
    __u16 *w = (__u16 *) ip;
    __u16 old16;
    switch (type) {
    case DP_ACT_SET_IPV4_SRC:
    case DP_ACT_SET_IPV4_DST: {
        __be32 *addr = type == DP_ACT_SET_IPV4_SRC ? &ip->saddr : &ip->daddr;
        __be32 old = *addr, new = a->ipv4;
        __u16 *c = xdp_l4_csum(data, data_end, key, lay);
        if (c) {
            xdp_l4_csum_update(c, key, old, new, 1);
        }
        ip->check = csum_replace32(ip->check, old, new);
        *addr = new;
        return;
    }
    case DP_ACT_SET_IP_TOS:
        old16 = w[0];
        ip->tos = (ip->tos & ~a->tos_mask) | (a->tos & a->tos_mask);
        ip->check = csum_replace16(ip->check, old16, w[0]);
        return;
    case DP_ACT_SET_IP_TTL:
        old16 = w[4];
        ip->ttl = a->ttl;
        ip->check = csum_replace16(ip->check, old16, w[4]);
        return;
    case DP_ACT_SET_TP_SRC:
    case DP_ACT_SET_TP_DST:
        goto ports;
    default:
        return;
    }

ports: ;
    __u16 *c = xdp_l4_csum(data, data_end, key, lay);
    __be16 *port = data + (lay->l4 & 0xff)
                   + (type == DP_ACT_SET_TP_SRC ? 0 : 2);
    if (!c || (void *) (port + 1) > data_end) {
        return;
    }
    __be16 oldp = *port, newp = a->tp_port;
    xdp_l4_csum_update(c, key, oldp, newp, 0);
    *port = newp;
}

static __always_inline int
xdp_pop_vlan(struct xdp_md *ctx)
{
    void *data = (void *) (long) ctx->data;
    void *data_end = (void *) (long) ctx->data_end;
    __u8 macs[12];

    if (data + 18 > data_end) {
        return -1;
    }
    __builtin_memcpy(macs, data, 12);
    if (bpf_xdp_adjust_head(ctx, 4)) {
        return -1;
    }
    data = (void *) (long) ctx->data;
    data_end = (void *) (long) ctx->data_end;
    if (data + 12 > data_end) {
        return -1;
    }
    __builtin_memcpy(data, macs, 12);
    return 0;
}

static __always_inline int
xdp_push_vlan(struct xdp_md *ctx, __u16 tci)
{
    void *data, *data_end;
    __u8 macs[12];

    if (bpf_xdp_adjust_head(ctx, -4)) {
        return -1;
    }
    data = (void *) (long) ctx->data;
    data_end = (void *) (long) ctx->data_end;
    if (data + 18 > data_end) {
        return -1;
    }
    __builtin_memcpy(macs, data + 4, 12);
    __builtin_memcpy(data, macs, 12);
    __be16 *tag = data + 12;
    tag[0] = bpf_htons(ETH_P_8021Q);
    tag[1] = bpf_htons(tci & ~DP_VLAN_PRESENT);
    return 0;
}

/* MPLS in XDP.  'hl' is the length of the MAC addresses and VLAN tags
 * (12 or 16, a constant once inlined): the label stack goes right after
 * them, behind the Ethernet type. */
static __always_inline int
is_mpls_type(__be16 t)
{
    return t == bpf_htons(ETH_P_MPLS_UC) || t == bpf_htons(ETH_P_MPLS_MC);
}

static __always_inline int
xdp_push_mpls(struct xdp_md *ctx, const struct dp_action *a, const __u32 hl)
{
    void *data, *data_end;
    __u8 l2[16];

    if (bpf_xdp_adjust_head(ctx, -4)) {
        return -1;
    }
    data = (void *) (long) ctx->data;
    data_end = (void *) (long) ctx->data_end;
    if (data + hl + 6 > data_end) {
        return -1;
    }
    __builtin_memcpy(l2, data + 4, hl);
    __builtin_memcpy(data, l2, hl);
    __be16 *type = data + hl;
    *type = a->mpls_ethertype;
    __builtin_memcpy(data + hl + 2, &a->mpls_lse, 4);
    return 0;
}

/* Leaves a frame that is not MPLS alone (as userspace does). */
static __always_inline int
xdp_pop_mpls(struct xdp_md *ctx, const struct dp_action *a, const __u32 hl)
{
    void *data = (void *) (long) ctx->data;
    void *data_end = (void *) (long) ctx->data_end;
    __u8 l2[16];

    if (data + hl + 6 > data_end) {
        return -1;
    }
    __be16 *type = data + hl;
    if (!is_mpls_type(*type)) {
        return 0;
    }
    __builtin_memcpy(l2, data, hl);
    /* The new Ethernet type takes the last two bytes of the entry. */
    type = data + hl + 4;
    *type = a->mpls_ethertype;
    if (bpf_xdp_adjust_head(ctx, 4)) {
        return -1;
    }
    data = (void *) (long) ctx->data;
    data_end = (void *) (long) ctx->data_end;
    if (data + hl > data_end) {
        return -1;
    }
    __builtin_memcpy(data, l2, hl);
    return 0;
}

static __always_inline int
xdp_set_mpls(struct xdp_md *ctx, const struct dp_action *a, const __u32 hl)
{
    void *data = (void *) (long) ctx->data;
    void *data_end = (void *) (long) ctx->data_end;

    if (data + hl + 6 > data_end) {
        return -1;
    }
    __be16 *type = data + hl;
    if (is_mpls_type(*type)) {
        __builtin_memcpy(data + hl + 2, &a->mpls_lse, 4);
    }
    return 0;
}

/* Runs one MPLS action on a frame with 'tagged' VLAN tags in it. */
static __always_inline int
xdp_mpls(struct xdp_md *ctx, const struct dp_action *a, int tagged)
{
    if (a->type == DP_ACT_PUSH_MPLS) {
        return tagged ? xdp_push_mpls(ctx, a, 16) : xdp_push_mpls(ctx, a, 12);
    } else if (a->type == DP_ACT_POP_MPLS) {
        return tagged ? xdp_pop_mpls(ctx, a, 16) : xdp_pop_mpls(ctx, a, 12);
    }
    return tagged ? xdp_set_mpls(ctx, a, 16) : xdp_set_mpls(ctx, a, 12);
}

/* Checks that XDP alone can run 'f': VLAN pushes/pops and then exactly one
 * output to a devmap port, or a lone flood when every port is in the
 * devmap, or nothing (drop).  Returns the output port, 0 for drop, -1 for
 * flood, -2 if tc must do it. */
static __always_inline int
xdp_plan(struct dp_flow *f, int tagged, int generic)
{
    __u32 n = f->n_actions;
    int out = -2;

    if (n == 0) {
        return 0;
    }
    if (n > DP_MAX_ACTIONS) {
        return -2;
    }
    for (__u32 i = 0; i < DP_MAX_ACTIONS; i++) {
        if (i >= n) {
            break;
        }
        struct dp_action *a = &f->actions[i];
        if (out != -2) {
            return -2;              /* Something after the output. */
        }
        switch (a->type) {
        case DP_ACT_PUSH_VLAN:
            if (tagged) {
                return -2;
            }
            tagged = 1;
            break;
        case DP_ACT_POP_VLAN:
            if (!tagged) {
                return -2;
            }
            tagged = 0;
            break;
        case DP_ACT_OUTPUT: {
            __u32 pno = a->port;
            struct dp_port *p = bpf_map_lookup_elem(&ports, &pno);
            /* Generic XDP redirects through the skb path, which any
             * device accepts; native redirects need a ready target. */
            if (!p || !(p->flags & (DP_PORT_XDP_TX | DP_PORT_IN_USE))
                || (!generic && !(p->flags & DP_PORT_XDP_TX))
                || (p->flags & (DP_PORT_INTERNAL | DP_PORT_TUNNEL
                                | DP_PORT_TC_EGRESS))) {
                return -2;
            }
            out = pno;
            break;
        }
        case DP_ACT_FLOOD:
            if (i != 0 || !cfg_get(DP_CFG_XDP_FLOOD)) {
                return -2;
            }
            out = -1;
            break;
        case DP_ACT_METER:
        case DP_ACT_PUSH_MPLS:
        case DP_ACT_POP_MPLS:
        case DP_ACT_SET_MPLS:
            break;
        default:
            if (!is_rewrite(a->type)) {
                return -2;
            }
            break;
        }
    }
    return out;
}

SEC("xdp")
int
dp_xdp(struct xdp_md *ctx)
{
    void *data = (void *) (long) ctx->data;
    void *data_end = (void *) (long) ctx->data_end;
    struct dp_layout lay = { 0, 0 };
    struct dp_key key;
    __u32 ifindex = ctx->ingress_ifindex;
    __u32 *pno;

    pno = bpf_map_lookup_elem(&port_by_ifindex, &ifindex);
    if (!pno) {
        return XDP_PASS;
    }
    __builtin_memset(&key, 0, sizeof key);
    if (parse_packet(data, data_end, 0, &key, &lay)) {
        return XDP_DROP;
    }
    key.in_port = *pno;

    /* Keep what needs the skb's offload metadata off the XDP path. */
    if (key.nw_proto == IPPROTO_TCP || key.nw_proto == IPPROTO_UDP) {
        if (key.eth_type != bpf_htons(ETH_P_IP) || key.nw_proto == IPPROTO_TCP
            || key.nw_frag) {
            return XDP_PASS;
        }
        struct iphdr *ip = data + (lay.l3 & 0xff);
        struct udphdr *udp = data + (lay.l4 & 0xff);
        if ((void *) (ip + 1) > data_end || !udp_csum_ok(ip, udp, data_end)) {
            return XDP_PASS;
        }
    }

    struct dp_flow *f = lookup_flow(&key);
    if (!f) {
        return XDP_PASS;            /* tc sends the upcall. */
    }
    int tagged = (key.vlan_tci & DP_VLAN_PRESENT) != 0;
    struct dp_port *in = bpf_map_lookup_elem(&ports, &key.in_port);
    int generic = in && (in->flags & DP_PORT_XDP_SKB);
    int out = xdp_plan(f, tagged, generic);
    if (out == -2) {
        return XDP_PASS;
    }
    flow_used(f, data_end - data, 0);     /* No TCP here (see above). */
    if (out == 0) {
        return XDP_DROP;
    }
    /* Rewrites commute with the VLAN push/pop before the one output
     * (those only move the headers), so do them first, at the offsets
     * parse_packet() found; meters too (all come before the output).
     * MPLS label rewrites are not among them: they go in order with the
     * pushes and pops (xlate never emits an IP rewrite after an MPLS push
     * or pop in a megaflow it lets the datapath run). */
    for (__u32 i = 0; i < DP_MAX_ACTIONS; i++) {
        if (i >= f->n_actions) {
            break;
        }
        struct dp_action *a = &f->actions[i];
        if (is_rewrite(a->type)) {
            xdp_rewrite(data, data_end, &key, &lay, a);
        } else if (a->type == DP_ACT_METER
                   && !meter_pass(a->meter_id, data_end - data, 1)) {
            return XDP_DROP;
        }
    }
    for (__u32 i = 0; i < DP_MAX_ACTIONS; i++) {
        if (i >= f->n_actions) {
            break;
        }
        struct dp_action *a = &f->actions[i];
        if (a->type == DP_ACT_PUSH_VLAN) {
            if (xdp_push_vlan(ctx, a->tci)) {
                return XDP_DROP;
            }
        } else if (a->type == DP_ACT_POP_VLAN) {
            if (xdp_pop_vlan(ctx)) {
                return XDP_DROP;
            }
        } else if (a->type == DP_ACT_PUSH_MPLS || a->type == DP_ACT_POP_MPLS
                   || a->type == DP_ACT_SET_MPLS) {
            if (xdp_mpls(ctx, a, tagged)) {
                return XDP_DROP;
            }
        }
        if (a->type == DP_ACT_PUSH_VLAN) {
            tagged = 1;
        } else if (a->type == DP_ACT_POP_VLAN) {
            tagged = 0;
        }
    }
    stat_add(DP_STAT_XDP_FWD, 1);
    if (out == -1) {
        return bpf_redirect_map(&tx_ports, 0,
                                BPF_F_BROADCAST | BPF_F_EXCLUDE_INGRESS);
    }
    __u32 out_no = out;
    struct dp_port *op = bpf_map_lookup_elem(&ports, &out_no);
    if (op && !(op->flags & DP_PORT_XDP_TX)) {
        return bpf_redirect(op->ifindex, 0);      /* Generic ingress only. */
    }
    return bpf_redirect_map(&tx_ports, out, 0);
}

/* ---- tc ----------------------------------------------------------------- */

/* A packet over DP_UPCALL_MAX_DATA (a GSO/GRO skb, a jumbo frame) goes up
 * whole, so that userspace can forward it like any first packet.  Returns
 * false if it could not (then a truncated upcall still installs the flow). */
static __always_inline int
upcall_skb_big(struct __sk_buff *skb, const struct dp_key *key, __u32 reason)
{
    __u32 cpu = bpf_get_smp_processor_id();
    struct dp_upcall_big *b = bpf_map_lookup_elem(&upcall_big, &cpu);
    __u32 n = skb->len;

    if (!b || n > DP_UPCALL_MAX_BIG || n < 1) {
        return 0;
    }
    n = (n - 1) & (DP_UPCALL_MAX_BIG - 1);
    if (bpf_skb_load_bytes(skb, 0, b->data, n + 1)) {
        return 0;
    }
    b->hdr.reason = reason;
    b->hdr.pkt_len = skb->len;
    b->hdr.cap_len = n + 1;
    b->hdr.gso_size = skb->gso_size;
    b->hdr.key = *key;
    if (bpf_ringbuf_output(&upcalls, b, sizeof b->hdr + n + 1, 0)) {
        stat_add(DP_STAT_LOST, 1);
    } else {
        stat_add(DP_STAT_MISSED, 1);
    }
    return 1;
}

static __always_inline void
upcall_skb(struct __sk_buff *skb, const struct dp_key *key, __u32 reason)
{
    struct dp_upcall *u;
    __u32 len = skb->len;

    if (len > DP_UPCALL_MAX_DATA && upcall_skb_big(skb, key, reason)) {
        return;
    }

    u = bpf_ringbuf_reserve(&upcalls, sizeof *u + DP_UPCALL_MAX_DATA, 0);
    if (!u) {
        stat_add(DP_STAT_LOST, 1);
        return;
    }
    u->reason = reason;
    u->pkt_len = skb->len;
    u->gso_size = 0;
    u->key = *key;
    if (len < 1) {
        len = 0;
    } else {
        /* The verifier wants a size it can prove is in [1, max]. */
        __u32 n = len - 1;
        if (n > DP_UPCALL_MAX_DATA - 1) {
            n = DP_UPCALL_MAX_DATA - 1;
        }
        asm volatile("" : "+r"(n));
        n &= 0x7ff;
        if (n > DP_UPCALL_MAX_DATA - 1) {
            n = DP_UPCALL_MAX_DATA - 1;
        }
        len = n + 1;
        if (bpf_skb_load_bytes(skb, 0, u + 1, n + 1)) {
            len = 0;
        }
    }
    u->cap_len = len;
    bpf_ringbuf_submit(u, 0);
    stat_add(DP_STAT_MISSED, 1);
}

/* What outputs to flow-based tunnel ports send with: the packet's own
 * tunnel metadata until DP_ACT_SET_TUN_* changes it. */
struct tun_out {
    __u32 id;
    __be32 dst;
};

static __always_inline void
tun_count(struct __sk_buff *skb, __u32 pno, int tx)
{
    struct dp_tun_stats *st = bpf_map_lookup_elem(&tun_stats, &pno);
    if (st) {
        __u64 segs = skb->gso_segs ? skb->gso_segs : 1;
        if (tx) {
            st->tx_packets += segs;
            st->tx_bytes += skb->len;
        } else {
            st->rx_packets += segs;
            st->rx_bytes += skb->len;
        }
    }
}

/* Attaches the tunnel metadata for an output to tunnel port 'p' (the
 * flow-based netdev then encapsulates).  Returns 0 or a negative errno. */
static __always_inline long
tc_set_tunnel(struct __sk_buff *skb, const struct dp_port *p,
              const struct tun_out *t)
{
    struct bpf_tunnel_key tk;
    __builtin_memset(&tk, 0, sizeof tk);
    tk.tunnel_id = p->tun_flags & DP_TUN_KEY_FLOW ? t->id : p->tun_key;
    tk.remote_ipv4 = bpf_ntohl(p->tun_flags & DP_TUN_REMOTE_FLOW
                               ? t->dst : p->tun_remote);
    tk.local_ipv4 = bpf_ntohl(p->tun_local);
    tk.tunnel_ttl = DP_TUN_TTL;
    if (!tk.remote_ipv4) {
        return -1;
    }
    /* No outer UDP checksum, as Open vSwitch's default (csum=false). */
    return bpf_skb_set_tunnel_key(skb, &tk, sizeof tk, BPF_F_ZERO_CSUM_TX);
}

static __always_inline long
tc_output(struct __sk_buff *skb, __u32 pno, int last, const struct tun_out *t)
{
    struct dp_port *p = bpf_map_lookup_elem(&ports, &pno);
    if (!p || !(p->flags & DP_PORT_IN_USE)) {
        return last ? TC_ACT_SHOT : 0;
    }
    if (p->flags & DP_PORT_TUNNEL) {
        if (tc_set_tunnel(skb, p, t)) {
            return last ? TC_ACT_SHOT : 0;
        }
        if (last) {
            tun_count(skb, pno, 1);
        }
    }
    __u64 flags = (p->flags & DP_PORT_INTERNAL) ? BPF_F_INGRESS : 0;
    return last ? bpf_redirect(p->ifindex, flags) : 0;
}

static __always_inline void
tc_clone_output(struct __sk_buff *skb, __u32 pno, const struct tun_out *t)
{
    struct dp_port *p = bpf_map_lookup_elem(&ports, &pno);
    if (p && (p->flags & DP_PORT_IN_USE)) {
        if (p->flags & DP_PORT_TUNNEL) {
            if (tc_set_tunnel(skb, p, t)) {
                return;
            }
            tun_count(skb, pno, 1);
        }
        __u64 flags = (p->flags & DP_PORT_INTERNAL) ? BPF_F_INGRESS : 0;
        bpf_clone_redirect(skb, p->ifindex, flags);
    }
}

/* Rewrites the skb for 'a' with the kernel's checksum helpers, which do
 * the right thing for each checksum state: for CHECKSUM_PARTIAL skbs (TCP
 * and UDP from senders with TX offload, GSO skbs) the TCP/UDP field holds
 * only the pseudo-header sum, so an address change updates it
 * (BPF_F_PSEUDO_HDR) and a port change leaves it alone; complete
 * checksums get the full incremental update.  Stores go through helpers
 * because a clone redirected before shares the data: the helpers make the
 * skb's head private first. */
static __always_inline void
tc_rewrite(struct __sk_buff *skb, const struct dp_key *key, __u32 l3,
           __u32 l4, const struct dp_action *a)
{
    struct dp_layout lay = { l3, l4 };
    __u16 type = a->type;
    __u64 l4_flags = 0;
    __u32 l4_csum = 0;

    if (has_l4_csum(key, &lay)) {
        int udp = key->nw_proto == IPPROTO_UDP;
        l4_csum = l4 + (udp ? 6 : 16);
        l4_flags = udp ? BPF_F_MARK_MANGLED_0 : 0;
    }

    switch (type) {
    case DP_ACT_SET_ETH_SRC:
    case DP_ACT_SET_ETH_DST: {
        __u8 mac[6];
        __builtin_memcpy(mac, a->mac, 6);
        bpf_skb_store_bytes(skb, type == DP_ACT_SET_ETH_SRC ? 6 : 0, mac, 6,
                            0);
        return;
    }
    case DP_ACT_SET_IPV4_SRC:
    case DP_ACT_SET_IPV4_DST: {
        __u32 off = l3 + (type == DP_ACT_SET_IPV4_SRC ? 12 : 16);
        __be32 old, new = a->ipv4;
        if (key->eth_type != bpf_htons(ETH_P_IP)
            || bpf_skb_load_bytes(skb, off, &old, 4)) {
            return;
        }
        if (l4_csum) {
            bpf_l4_csum_replace(skb, l4_csum, old, new,
                                l4_flags | BPF_F_PSEUDO_HDR | 4);
        }
        bpf_l3_csum_replace(skb, l3 + 10, old, new, 4);
        bpf_skb_store_bytes(skb, off, &new, 4, 0);
        return;
    }
    case DP_ACT_SET_TP_SRC:
    case DP_ACT_SET_TP_DST: {
        __u32 off = l4 + (type == DP_ACT_SET_TP_SRC ? 0 : 2);
        __be16 old, new = a->tp_port;
        if (!l4_csum || bpf_skb_load_bytes(skb, off, &old, 2)) {
            return;
        }
        bpf_l4_csum_replace(skb, l4_csum, old, new, l4_flags | 2);
        bpf_skb_store_bytes(skb, off, &new, 2, 0);
        return;
    }
    case DP_ACT_SET_IP_TOS:
    case DP_ACT_SET_IP_TTL:
        break;
    default:
        return;
    }

    __u8 w[2];
    if (key->eth_type == bpf_htons(ETH_P_IP)) {
        /* The 16-bit word holding the field, for the header checksum. */
        __u32 off = l3 + (type == DP_ACT_SET_IP_TOS ? 0 : 8);
        __u16 old, new;
        if (bpf_skb_load_bytes(skb, off, w, 2)) {
            return;
        }
        __builtin_memcpy(&old, w, 2);
        if (type == DP_ACT_SET_IP_TOS) {
            w[1] = (w[1] & ~a->tos_mask) | (a->tos & a->tos_mask);
        } else {
            w[0] = a->ttl;
        }
        __builtin_memcpy(&new, w, 2);
        bpf_l3_csum_replace(skb, l3 + 10, old, new, 2);
        bpf_skb_store_bytes(skb, off, w, 2, 0);
    } else if (key->eth_type == bpf_htons(ETH_P_IPV6)) {
        /* No header checksum; BPF_F_RECOMPUTE_CSUM keeps a
         * CHECKSUM_COMPLETE skb's sum right. */
        if (type == DP_ACT_SET_IP_TTL) {
            __u8 hl = a->ttl;
            bpf_skb_store_bytes(skb, l3 + 7, &hl, 1, BPF_F_RECOMPUTE_CSUM);
            return;
        }
        if (bpf_skb_load_bytes(skb, l3, w, 2)) {
            return;
        }
        __u8 tc = (w[0] & 0x0f) << 4 | w[1] >> 4;
        tc = (tc & ~a->tos_mask) | (a->tos & a->tos_mask);
        w[0] = (w[0] & 0xf0) | tc >> 4;
        w[1] = (w[1] & 0x0f) | (tc & 0x0f) << 4;
        bpf_skb_store_bytes(skb, l3, w, 2, BPF_F_RECOMPUTE_CSUM);
    }
}

struct flood_ctx {
    struct __sk_buff *skb;
    __u32 in_port;
    const struct tun_out *tun;
};

static long
flood_one(__u32 i, void *ctx_)
{
    struct flood_ctx *fc = ctx_;
    __u32 pno = i;
    if (pno != 0 && pno != fc->in_port) {
        struct dp_port *p = bpf_map_lookup_elem(&ports, &pno);
        if (p && (p->flags & DP_PORT_IN_USE)) {
            tc_clone_output(fc->skb, pno, fc->tun);
        }
    }
    return 0;
}

/* An action index the verifier can see is in range (the compiler would
 * otherwise drop a mask it knows to be redundant). */
static __always_inline __u32
bounded_index(__u32 i)
{
    asm volatile("" : "+r"(i));
    return i & (DP_MAX_ACTIONS - 1);
}

struct exec_ctx {
    struct __sk_buff *skb;
    struct dp_flow *f;
    struct dp_key *key;
    __u32 n;
    __s32 last_out;               /* Index of the output done without clone. */
    __u32 to_user;                /* An action tc cannot do: userspace
                                   * runs them all. */
    __u32 pushed_mpls;
    __u32 orig_priority;          /* skb->priority on arrival. */
    __u32 in_port;
    __u16 l3, l4;                 /* From parse_packet(); tc keeps VLAN tags
                                   * out of the frame, so they hold. */
    long verdict;
    struct tun_out tun;
};

static long
find_last_output(__u32 i, void *c_)
{
    struct exec_ctx *c = c_;
    if (i >= c->n || i >= DP_MAX_ACTIONS) {
        return 1;
    }
    __u16 t = c->f->actions[bounded_index(i)].type;
    if (t == DP_ACT_OUTPUT) {
        c->last_out = i;
    } else if (t == DP_ACT_FLOOD || t == DP_ACT_UPCALL) {
        c->last_out = -1;
    } else if (t == DP_ACT_POP_MPLS
               || (t == DP_ACT_PUSH_MPLS && c->pushed_mpls++)
               || (t == DP_ACT_PUSH_MPLS
                   && c->key->eth_type != bpf_htons(ETH_P_IP)
                   && c->key->eth_type != bpf_htons(ETH_P_IPV6))) {
        /* bpf_skb_adjust_room() moves headers of IP skbs only. */
        c->to_user = 1;
    }
    return 0;
}

static long
exec_action(__u32 i, void *c_)
{
    struct exec_ctx *c = c_;
    struct __sk_buff *skb = c->skb;

    if (i >= c->n || i >= DP_MAX_ACTIONS) {
        return 1;
    }
    struct dp_action *a = &c->f->actions[bounded_index(i)];
    switch (a->type) {
    case DP_ACT_OUTPUT:
        if ((__s32) i == c->last_out) {
            c->verdict = tc_output(skb, a->port, 1, &c->tun);
            return 1;
        }
        tc_clone_output(skb, a->port, &c->tun);
        break;
    case DP_ACT_PUSH_VLAN:
        if (skb->vlan_present) {
            return 1;
        }
        bpf_skb_vlan_push(skb, bpf_htons(ETH_P_8021Q),
                          a->tci & ~DP_VLAN_PRESENT);
        break;
    case DP_ACT_POP_VLAN:
        bpf_skb_vlan_pop(skb);
        break;
    case DP_ACT_FLOOD: {
        struct flood_ctx fc = { skb, c->in_port, &c->tun };
        bpf_loop(DP_MAX_PORTS, flood_one, &fc, 0);
        break;
    }
    case DP_ACT_UPCALL:
        upcall_skb(skb, c->key, DP_UPCALL_ACTION);
        break;
    case DP_ACT_PUSH_MPLS:
        /* tc keeps VLAN tags out of the frame: the entry goes at 14. */
        if (bpf_skb_adjust_room(skb, 4, BPF_ADJ_ROOM_MAC, 0)) {
            c->verdict = TC_ACT_SHOT;
            return 1;
        }
        bpf_skb_store_bytes(skb, 12, &a->mpls_ethertype, 2, 0);
        bpf_skb_store_bytes(skb, 14, &a->mpls_lse, 4, 0);
        break;
    case DP_ACT_SET_PRIORITY:
        skb->priority = a->priority;
        break;
    case DP_ACT_SET_TUN_ID:
        c->tun.id = a->tun_id;
        break;
    case DP_ACT_SET_TUN_DST:
        c->tun.dst = a->ipv4;
        break;
    case DP_ACT_POP_PRIORITY:
        skb->priority = c->orig_priority;
        break;
    case DP_ACT_SET_MPLS: {
        __be16 type;
        if (!bpf_skb_load_bytes(skb, 12, &type, 2) && is_mpls_type(type)) {
            bpf_skb_store_bytes(skb, 14, &a->mpls_lse, 4, 0);
        }
        break;
    }
    case DP_ACT_METER:
        if (!meter_pass(a->meter_id, skb->len, skb->gso_segs)) {
            c->verdict = TC_ACT_SHOT;
            return 1;
        }
        break;
    default:
        if (is_rewrite(a->type)) {
            tc_rewrite(skb, c->key, c->l3, c->l4, a);
        }
        break;
    }
    return 0;
}

/* A packet from a tunnel netdev: fills the key's tunnel fields and finds
 * the tunnel port it belongs to (exact remote and key first).  Returns 0,
 * 1 to drop it (no metadata), or 2 if no port of this bridge takes it
 * (another bridge's may; what none takes is dropped, as Open vSwitch
 * drops it). */
static __always_inline int
tc_tunnel_in(struct __sk_buff *skb, struct dp_key *key)
{
    struct dp_port *p = bpf_map_lookup_elem(&ports, &key->in_port);
    if (!p || !(p->flags & DP_PORT_TUNNEL)) {
        return 0;
    }
    struct bpf_tunnel_key tk;
    if (bpf_skb_get_tunnel_key(skb, &tk, sizeof tk, 0)) {
        return 1;
    }
    key->tun_id = bpf_cpu_to_be64((__u64) tk.tunnel_id);
    key->tun_src = bpf_htonl(tk.remote_ipv4);
    key->tun_dst = bpf_htonl(tk.local_ipv4);

    struct dp_tun_port_key tk2 = {
        .ifindex = skb->ifindex, .remote = key->tun_src,
        .key = tk.tunnel_id, .wild = 0,
    };
    __u32 *pno = bpf_map_lookup_elem(&tun_ports, &tk2);
    if (!pno) {
        tk2.key = 0;
        tk2.wild = DP_TUN_KEY_FLOW;
        pno = bpf_map_lookup_elem(&tun_ports, &tk2);
    }
    if (!pno) {
        tk2.key = tk.tunnel_id;
        tk2.remote = 0;
        tk2.wild = DP_TUN_REMOTE_FLOW;
        pno = bpf_map_lookup_elem(&tun_ports, &tk2);
    }
    if (!pno) {
        tk2.key = 0;
        tk2.wild = DP_TUN_KEY_FLOW | DP_TUN_REMOTE_FLOW;
        pno = bpf_map_lookup_elem(&tun_ports, &tk2);
    }
    if (!pno) {
        return 2;
    }
    /* A port with a local_ip takes only what was sent to that address. */
    __u32 found = *pno;
    struct dp_port *tp = bpf_map_lookup_elem(&ports, &found);
    if (!tp || (tp->tun_local && tp->tun_local != key->tun_dst)) {
        return 2;
    }
    key->in_port = found;
    tun_count(skb, found, 0);
    return 0;
}

/* Last filter on a tunnel netdev that bridges share: drops what none of
 * them took (see dpif-xdp.c, DP_TC_TUN_DROP_PRIO). */
SEC("tc")
int
dp_tc_drop(struct __sk_buff *skb)
{
    (void) skb;
    return TC_ACT_SHOT;
}

SEC("tc")
int
dp_tc(struct __sk_buff *skb)
{
    struct dp_layout lay = { 0, 0 };
    struct dp_key key;
    __u32 ifindex = skb->ifindex;
    __u32 *pno;

    pno = bpf_map_lookup_elem(&port_by_ifindex, &ifindex);
    if (!pno) {
        return TC_ACT_UNSPEC;       /* Not ours (a shared tunnel netdev). */
    }
    __u32 in_port = *pno;
    /* Headers must be in the linear part for direct access. */
    __u32 want = skb->len < 128 ? skb->len : 128;
    void *data = (void *) (long) skb->data;
    void *data_end = (void *) (long) skb->data_end;
    if (data + want > data_end) {
        bpf_skb_pull_data(skb, want);
        data = (void *) (long) skb->data;
        data_end = (void *) (long) skb->data_end;
    }
    __builtin_memset(&key, 0, sizeof key);
    __u16 tci = 0;
    if (skb->vlan_present) {
        tci = (skb->vlan_tci & ~DP_VLAN_PRESENT) | DP_VLAN_PRESENT;
    }
    if (parse_packet(data, data_end, tci, &key, &lay)) {
        return TC_ACT_SHOT;
    }
    key.in_port = in_port;
    switch (tc_tunnel_in(skb, &key)) {
    case 0:
        break;
    case 2:
        /* None of this bridge's tunnels: another bridge's filter on the
         * shared netdev is next (dpif-xdp.c, DP_TC_TUN_DROP_PRIO). */
        return TC_ACT_UNSPEC;
    default:
        return TC_ACT_SHOT;
    }
    in_port = key.in_port;

    struct dp_flow *f = lookup_flow(&key);
    if (!f) {
        upcall_skb(skb, &key, DP_UPCALL_MISS);
        return TC_ACT_SHOT;
    }
    flow_used(f, skb->len, tcp_flags_of(&key, lay.l4, data, data_end));

    struct exec_ctx c = {
        .skb = skb, .f = f, .key = &key, .n = f->n_actions,
        .last_out = -1, .in_port = in_port, .verdict = TC_ACT_SHOT,
        .l3 = lay.l3, .l4 = lay.l4, .orig_priority = skb->priority,
        .tun = { (__u32) bpf_be64_to_cpu(key.tun_id), key.tun_dst },
    };
    if (c.n > DP_MAX_ACTIONS) {
        return TC_ACT_SHOT;
    }
    /* Separate callbacks keep the verifier's work linear in the number
     * of actions. */
    bpf_loop(DP_MAX_ACTIONS, find_last_output, &c, 0);
    if (c.to_user) {
        upcall_skb(skb, &key, DP_UPCALL_ACTION);
        return TC_ACT_SHOT;
    }
    bpf_loop(DP_MAX_ACTIONS, exec_action, &c, 0);
    return c.verdict;
}
