/* xlate: forwarding one packet by a translation, in userspace when the
 * datapath cannot do it all (see xlate.h, xlate_execute()). */
#include <config.h>
#include "ofproto/xlate.h"
#include <string.h>
#include "csum.h"
#include "datapath/dp-rewrite.h"
#include "datapath/dpif.h"
#include "dp-packet.h"
#include "match.h"
#include "ofp-flow.h"
#include "ofp-meter.h"
#include "ofp-switch.h"
#include "ofproto/connmgr.h"
#include "ofproto/ofproto.h"
#include "packet-rewrite.h"
#include "packets.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(xlate_exec);

/* ARP has no rewrite helper in packet-rewrite.h: op, SHA, SPA, THA, TPA. */
static void
set_arp(struct dp_packet *p, const struct flow *t)
{
    uint8_t *arp = dp_packet_l3(p);
    if (!arp || dp_packet_l3_size(p) < 28) {
        return;
    }
    arp[6] = 0;
    arp[7] = t->nw_proto;
    memcpy(arp + 8, t->arp_sha.ea, 6);
    memcpy(arp + 14, &t->nw_src, 4);
    memcpy(arp + 18, t->arp_tha.ea, 6);
    memcpy(arp + 24, &t->nw_dst, 4);
}

static void
set_fields(struct dp_packet *p, const struct flow *cur, const struct flow *t)
{
    if (cur->dl_type == htons(ETH_TYPE_IPV6)) {
        packet_set_ipv6(p, &t->ipv6_src, &t->ipv6_dst, t->nw_tos,
                        t->ipv6_label, t->nw_ttl);
    } else if (cur->dl_type == htons(ETH_TYPE_ARP)
               || cur->dl_type == htons(ETH_TYPE_RARP)) {
        set_arp(p, t);
        return;
    }
    if (cur->nw_frag & FLOW_NW_FRAG_LATER) {
        return;
    }
    if (cur->nw_proto == IPPROTO_SCTP) {
        packet_set_sctp_port(p, t->tp_src, t->tp_dst);
    } else if (cur->nw_proto == IPPROTO_ICMP || cur->nw_proto == 58) {
        packet_set_icmp(p, ntohs(t->tp_src), ntohs(t->tp_dst));
    }
}

/* copy_ttl_in: the top MPLS entry's TTL into the next entry, or into the
 * IP header under a one-entry stack (IPv4 checksum fixed).  False if the
 * packet has no such thing. */
static bool
copy_ttl_in(struct dp_packet *p)
{
    uint8_t *l25 = dp_packet_l2_5(p);
    uint8_t *end = (uint8_t *) dp_packet_data(p) + dp_packet_size(p);
    vs_be32 lse;

    if (!l25 || l25 + 2 * MPLS_HLEN > end) {
        return false;
    }
    memcpy(&lse, l25, MPLS_HLEN);
    uint8_t ttl = mpls_lse_to_ttl(lse);
    uint8_t *next = l25 + MPLS_HLEN;
    if (!mpls_lse_to_bos(lse)) {
        next[3] = ttl;
        return true;
    }
    if (next[0] >> 4 == 4 && next + 20 <= end) {
        vs_be16 old, new, c;
        memcpy(&old, next + 8, 2);
        next[8] = ttl;
        memcpy(&new, next + 8, 2);
        memcpy(&c, next + 10, 2);
        c = recalc_csum16(c, old, new);
        memcpy(next + 10, &c, 2);
        return true;
    } else if (next[0] >> 4 == 6 && next + 40 <= end) {
        next[7] = ttl;
        return true;
    }
    return false;
}

/* One datapath rewrite action done here; false if 'a' is not one. */
static bool
rewrite(struct dp_packet *p, const struct flow *f, const struct dp_action *a)
{
    bool ip4 = f->dl_type == htons(ETH_TYPE_IP);
    bool ip6 = f->dl_type == htons(ETH_TYPE_IPV6);
    struct eth_addr mac;

    switch (a->type) {
    case DP_ACT_PUSH_VLAN:
        eth_push_vlan(p, htons(ETH_TYPE_VLAN_8021Q),
                      htons(a->tci & ~DP_VLAN_PRESENT));
        return true;
    case DP_ACT_POP_VLAN:
        eth_pop_vlan(p);
        return true;
    case DP_ACT_PUSH_MPLS:
        return !eth_push_mpls(p, a->mpls_ethertype, a->mpls_lse);
    case DP_ACT_POP_MPLS:
        return !eth_pop_mpls(p, a->mpls_ethertype);
    case DP_ACT_SET_MPLS:
        return dp_rewrite(dp_packet_data(p), dp_packet_size(p), a);
    case DP_ACT_SET_ETH_SRC:
    case DP_ACT_SET_ETH_DST:
        memcpy(mac.ea, a->mac, 6);
        packet_set_eth(p, a->type == DP_ACT_SET_ETH_SRC ? mac : f->dl_src,
                       a->type == DP_ACT_SET_ETH_DST ? mac : f->dl_dst);
        return true;
    case DP_ACT_SET_IPV4_SRC:
    case DP_ACT_SET_IPV4_DST:
        if (ip4) {
            packet_set_ipv4(p,
                            a->type == DP_ACT_SET_IPV4_SRC ? a->ipv4 : f->nw_src,
                            a->type == DP_ACT_SET_IPV4_DST ? a->ipv4 : f->nw_dst,
                            f->nw_tos, f->nw_ttl);
        }
        return true;
    case DP_ACT_SET_TP_SRC:
    case DP_ACT_SET_TP_DST: {
        vs_be16 src = a->type == DP_ACT_SET_TP_SRC ? a->tp_port : f->tp_src;
        vs_be16 dst = a->type == DP_ACT_SET_TP_DST ? a->tp_port : f->tp_dst;
        if (f->nw_proto == IPPROTO_TCP) {
            packet_set_tcp_port(p, src, dst);
        } else if (f->nw_proto == IPPROTO_UDP) {
            packet_set_udp_port(p, src, dst);
        }
        return true;
    }
    case DP_ACT_SET_IP_TOS:
    case DP_ACT_SET_IP_TTL: {
        uint8_t tos = f->nw_tos, ttl = f->nw_ttl;
        if (a->type == DP_ACT_SET_IP_TOS) {
            tos = (tos & ~a->tos_mask) | (a->tos & a->tos_mask);
        } else {
            ttl = a->ttl;
        }
        if (ip4) {
            packet_set_ipv4(p, f->nw_src, f->nw_dst, tos, ttl);
        } else if (ip6) {
            packet_set_ipv6(p, &f->ipv6_src, &f->ipv6_dst, tos,
                            f->ipv6_label, ttl);
        }
        return true;
    }
    default:
        return false;
    }
}

/* Meter 'm' for a 'len'-byte packet: true to pass.  Each band has its own
 * token bucket filling at the band's rate; the packet takes tokens from
 * every bucket that has them, and the bands whose buckets run dry are the
 * ones the measured rate exceeds.  Of those the one with the highest rate
 * applies (OpenFlow 1.3, 5.7.1): drop, or DSCP remark ('*remark' gets the
 * precedence levels to add). */
bool
xlate_meter_allows(struct ofmeter *m, size_t len, long long now, int *remark)
{
    /* Tokens: bits for kbps meters (kbit/s = bit/ms), millipackets for
     * pps meters, so both fill by 'rate' per millisecond. */
    bool pps = (m->flags & OFPMF_PKTPS) != 0;
    uint64_t cost = pps ? 1000 : (uint64_t) len * 8;
    long long elapsed = m->last_fill && now > m->last_fill
                        ? now - m->last_fill : 0;
    struct ofmeter_band *hit = NULL;

    m->packet_count++;
    m->byte_count += len;
    *remark = 0;
    for (size_t i = 0; i < m->n_bands; i++) {
        struct ofmeter_band *b = &m->bands[i];
        if (!b->rate) {
            continue;
        }
        uint64_t cap = (m->flags & OFPMF_BURST) && b->burst_size
                       ? (uint64_t) b->burst_size * 1000
                       : (uint64_t) b->rate * 1000;     /* One second. */
        cap = MAX(cap, cost);
        b->tokens = !m->last_fill ? cap
                    : MIN(cap, b->tokens + (uint64_t) elapsed * b->rate);
        if (b->tokens >= cost) {
            b->tokens -= cost;
        } else if (!hit || b->rate > hit->rate) {
            hit = b;
        }
    }
    m->last_fill = now;
    if (!hit) {
        return true;
    }
    hit->packet_count++;
    hit->byte_count += len;
    if (hit->type == OFPMBT_DSCP_REMARK) {
        *remark = hit->prec_level;
        return true;
    }
    return false;
}

/* Raises the drop precedence of an AFxy DSCP by 'levels' (y = bits 1-2). */
static void
remark_dscp(struct dp_packet *p, const struct flow *f, int levels)
{
    uint8_t dscp = f->nw_tos >> 2;
    int prec = MIN(3, ((dscp >> 1) & 3) + levels);
    uint8_t tos = (uint8_t) (((dscp & ~6) | (prec << 1)) << 2)
                  | (f->nw_tos & IP_ECN_MASK);
    if (f->dl_type == htons(ETH_TYPE_IP)) {
        packet_set_ipv4(p, f->nw_src, f->nw_dst, tos, f->nw_ttl);
    } else if (f->dl_type == htons(ETH_TYPE_IPV6)) {
        packet_set_ipv6(p, &f->ipv6_src, &f->ipv6_dst, tos, f->ipv6_label,
                        f->nw_ttl);
    }
}

static void
send_packet_in(struct ofproto *ofproto, const struct xlate_out *xo,
               const struct xlate_uop *u, const struct dp_packet *p)
{
    struct connmgr *cm = ofproto_get_connmgr(ofproto);
    struct ofp_packet_in pin;

    if (!cm) {
        return;
    }
    memset(&pin, 0, sizeof pin);
    pin.buffer_id = OFP_NO_BUFFER;
    pin.total_len = MIN(dp_packet_size(p), UINT16_MAX);
    pin.reason = u->reason;
    pin.table_id = u->table_id;
    pin.cookie = u->cookie;
    match_init_catchall(&pin.metadata);
    match_set_in_port(&pin.metadata, u->in_port);
    if (u->metadata) {
        match_set_metadata_masked(&pin.metadata, u->metadata,
                                  vs_htonll(UINT64_MAX));
    }
    /* Controllers see the registers (ofp_packet_in_match() sends those
     * that are not zero). */
    memcpy(pin.metadata.flow.regs, u->regs, sizeof u->regs);
    memset(pin.metadata.wc.masks.regs, 0xff, sizeof u->regs);
    pin.packet = dp_packet_data(p);
    pin.packet_len = dp_packet_size(p);
    pin.controller_id = u->controller_id;
    if (u->userdata_len) {
        pin.userdata = xo->pin_userdata + u->userdata_ofs;
        pin.userdata_len = u->userdata_len;
    }
    connmgr_send_packet_in(cm, &pin, u->max_len);
}

static bool
is_output(const struct dp_action *a)
{
    return a->type == DP_ACT_OUTPUT || a->type == DP_ACT_FLOOD;
}

void
xlate_execute(const struct xlate_out *xo, struct dpif *dpif,
              struct ofproto *ofproto, uint32_t local_dp_port,
              const struct dp_key *key, const void *packet, size_t len,
              long long now)
{
    if (!xo->slow) {
        if (xo->n_actions) {
            dpif_execute(dpif, packet, len, key, xo->actions, xo->n_actions);
        }
        return;
    }

    struct dp_packet *p = dp_packet_new(len);
    struct flow f;
    bool modified = false;
    /* The queue priority in force: the datapath gets it with each batch
     * of outputs (slot 0 of 'outs'). */
    struct dp_action outs[DP_MAX_ACTIONS + 1];
    memset(&outs[0], 0, sizeof outs[0]);

    dp_packet_put(p, packet, len);
    flow_extract(p, &f);
    if (key) {
        /* Tunnel metadata is not in the frame; outputs to flow-based
         * tunnel ports take it from the key given with them. */
        f.tun_id = key->tun_id;
        f.tun_src = key->tun_src;
        f.tun_dst = key->tun_dst;
    }
    for (size_t i = 0; i < xo->n_actions; i++) {
        const struct dp_action *a = &xo->actions[i];
        bool changed = false;

        if (is_output(a)) {
            /* Consecutive outputs in one call; the original buffer while
             * unmodified (it may carry a GSO size). */
            size_t j = i + 1;
            while (j < xo->n_actions && j - i < DP_MAX_ACTIONS - 1
                   && is_output(&xo->actions[j])) {
                j++;
            }
            struct dp_key k;
            xlate_flow_to_key(&f, local_dp_port, &k);
            k.in_port = key ? key->in_port : 0;
            bool prio = outs[0].type != 0;
            memcpy(&outs[1], a, (j - i) * sizeof *a);
            dpif_execute(dpif, modified ? dp_packet_data(p) : packet,
                         modified ? dp_packet_size(p) : len, &k,
                         prio ? outs : outs + 1, j - i + prio);
            i = j - 1;
        } else if (a->type == DP_ACT_SET_PRIORITY
                   || a->type == DP_ACT_POP_PRIORITY) {
            outs[0] = *a;
        } else if (a->type == DP_ACT_SET_TUN_ID) {
            f.tun_id = vs_htonll(a->tun_id);
        } else if (a->type == DP_ACT_SET_TUN_DST) {
            f.tun_dst = a->ipv4;
        } else if (a->type == XLATE_ACT_UOP && a->port < xo->n_uops) {
            const struct xlate_uop *u = &xo->uops[a->port];
            int remark = 0;
            switch (u->type) {
            case XLATE_UOP_SET_FIELDS:
                set_fields(p, &f, &u->flow);
                changed = true;
                break;
            case XLATE_UOP_COPY_TTL_IN:
                changed = copy_ttl_in(p);
                break;
            case XLATE_UOP_PACKET_IN:
                send_packet_in(ofproto, xo, u, p);
                break;
            case XLATE_UOP_METER: {
                struct ofmeter *m = ofproto_meter_find(ofproto, u->meter_id);
                if (m && !xlate_meter_allows(m, dp_packet_size(p), now, &remark)) {
                    goto out;
                }
                if (remark) {
                    remark_dscp(p, &f, remark);
                    changed = true;
                }
                break;
            }
            }
        } else {
            changed = rewrite(p, &f, a);
        }
        if (changed) {
            modified = true;
            flow_extract(p, &f);
        }
    }
out:
    dp_packet_delete(p);
}
