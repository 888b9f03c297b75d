/* xlate: the OpenFlow pipeline -> datapath actions (see xlate.h). */
#include <config.h>
#include "ofproto/xlate.h"
#include <string.h>
#include "dp-packet.h"
#include "match.h"
#include "ofp-actions.h"
#include "ofp-actions-controller2.h"
#include "ofp-fields.h"
#include "ofp-flow.h"
#include "ofp-learn.h"
#include "ofp-switch.h"
#include "ofproto/dp-meters.h"
#include "ofproto/normal.h"
#include "ofproto/ofproto.h"
#include "packets.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(xlate);

static struct vlog_rate_limit learn_rl = VLOG_RATE_LIMIT_INIT(1, 5);

/* OpenFlow 1.0's port config bit, kept by port_mod for FLOOD. */
#ifndef OFPPC_NO_FLOOD
#define OFPPC_NO_FLOOD (1 << 4)
#endif

#define MAX_DEPTH 32            /* Nested groups / packet-out TABLE. */
/* Nested resubmits, as deep as Open vSwitch allows; a deeper one is
 * skipped (and logged), the rest of the actions still run.  Two resubmits
 * a level would still make 2^64 lookups: the total is bounded too. */
#define MAX_RESUBMIT_DEPTH 64
#define MAX_RESUBMITS (MAX_RESUBMIT_DEPTH * MAX_RESUBMIT_DEPTH)
#define MAX_ACTION_SET 64

struct xlate_ctx {
    const struct xlate_in *xin;
    struct xlate_out *xout;
    struct ofproto *ofproto;
    uint32_t local;             /* Datapath port of OFPP_LOCAL. */

    struct flow flow;           /* What the pipeline sees now. */
    struct flow base;           /* What the datapath's packet is now. */
    struct flow_wildcards *wc;  /* &xout->wc. */
    struct dp_key extra_mask;   /* Bits NORMAL looked at. */

    const struct rule *rule;    /* Whose actions are running, or NULL. */
    uint8_t table_id;
    int depth;
    int n_resubmits;            /* In this translation (MAX_RESUBMITS). */
    bool exit;                  /* Stop translating: the packet is gone. */
    uint8_t pin_reason;         /* OFPR_* for a CONTROLLER output now. */
    uint16_t pin_controller_id; /* Nicira controller(id=N) running now. */
    const struct ofpact *pin_controller;    /* Its action (for userdata). */

    const struct ofpact *action_set[MAX_ACTION_SET];
    size_t n_action_set;

    /* MPLS: the pipeline popped the stack down to a payload whose L3/L4
     * fields the datapath key does not hold (it stops at the label). */
    bool inner_l3;
    bool use_packet;            /* Fill such fields from the packet. */
    int inner_ttl;              /* TTL of the IP header under the stack,
                                 * if the pipeline knows it, else -1. */
    struct flow base_in;        /* The packet as it came. */

    /* DP_ACT_METER actions emitted: where, and for which OpenFlow meter,
     * so a slow path result can meter in userspace instead. */
    struct { size_t idx; uint32_t of_id; } dp_meters[8];
    size_t n_dp_meters;
};

static void do_actions(struct xlate_ctx *, const struct ofpact *, size_t n);
static void xlate_table(struct xlate_ctx *, uint8_t table_id);
static void xlate_resubmit(struct xlate_ctx *, const struct ofpact *);

void
xlate_out_init(struct xlate_out *xout)
{
    memset(xout, 0, sizeof *xout);
}

static void
learned_clear(struct xlate_out *xout)
{
    for (size_t i = 0; i < xout->n_learned; i++) {
        ofp_flow_mod_uninit(&xout->learned[i]);
    }
    xout->n_learned = 0;
}

void
xlate_learned_apply(struct xlate_out *xout, struct ofproto *ofproto,
                    long long now)
{
    for (size_t i = 0; i < xout->n_learned; i++) {
        enum ofperr error = ofproto_flow_mod_learn(ofproto,
                                                   &xout->learned[i], now);
        if (error) {
            VLOG_WARN_RL(&learn_rl, "%s: learned flow not added: %s",
                         ofproto_name(ofproto), ofperr_get_name(error));
        }
    }
    learned_clear(xout);
}

void
xlate_out_uninit(struct xlate_out *xout)
{
    if (xout) {
        learned_clear(xout);
        free(xout->learned);
        free(xout->actions);
        free(xout->uops);
        free(xout->pin_userdata);
        free(xout->rules);
        free(xout->tables);
        free(xout->groups);
        free(xout->fins);
    }
}

/* ---- Output helpers. ---- */

static struct dp_action *
emit(struct xlate_ctx *ctx, uint16_t type)
{
    struct xlate_out *x = ctx->xout;
    if (x->n_actions >= x->allocated) {
        x->allocated = x->allocated ? 2 * x->allocated : 16;
        x->actions = xrealloc(x->actions, x->allocated * sizeof *x->actions);
    }
    struct dp_action *a = &x->actions[x->n_actions++];
    memset(a, 0, sizeof *a);
    a->type = type;
    return a;
}

static struct xlate_uop *
emit_uop(struct xlate_ctx *ctx, enum xlate_uop_type type)
{
    struct xlate_out *x = ctx->xout;
    if (x->n_uops >= x->allocated_uops) {
        x->uops = x2nrealloc(x->uops, &x->allocated_uops, sizeof *x->uops);
    }
    struct xlate_uop *u = &x->uops[x->n_uops];
    memset(u, 0, sizeof *u);
    u->type = type;
    emit(ctx, XLATE_ACT_UOP)->port = x->n_uops++;
    return u;
}

static void
record_rule(struct xlate_ctx *ctx, struct rule *rule)
{
    struct xlate_out *x = ctx->xout;
    if (x->n_rules >= x->allocated_rules) {
        x->rules = x2nrealloc(x->rules, &x->allocated_rules, sizeof *x->rules);
    }
    x->rules[x->n_rules++] = rule;
}

/* fin_timeout: only the rule that holds it changes, and only when a FIN
 * or RST goes through, which the caller sees (the upcalled packet, the
 * datapath's counters): the translation only notes it.  The flags are not
 * in the megaflow; nw_proto is, as Open vSwitch makes it. */
static void
xlate_fin_timeout(struct xlate_ctx *ctx, const struct ofpact *a)
{
    struct xlate_out *x = ctx->xout;
    ctx->wc->masks.nw_proto = 0xff;
    if (!ctx->rule) {
        return;                 /* Packet-out: no rule to change. */
    }
    if (x->n_fins >= x->allocated_fins) {
        x->fins = x2nrealloc(x->fins, &x->allocated_fins, sizeof *x->fins);
    }
    struct xlate_fin_hit *h = &x->fins[x->n_fins++];
    h->rule = (struct rule *) ctx->rule;   /* xlate_pipeline()'s own. */
    h->idle = a->u.fin_timeout.idle;
    h->hard = a->u.fin_timeout.hard;
}

void
xlate_fin_apply(struct ofproto *ofproto, const struct xlate_fin_hit *hits,
                size_t n, uint16_t tcp_flags)
{
    if (!(tcp_flags & (TCP_FIN | TCP_RST))) {
        return;
    }
    for (size_t i = 0; i < n; i++) {
        ofproto_rule_reduce_timeouts(ofproto, hits[i].rule, hits[i].idle,
                                     hits[i].hard);
    }
}

uint16_t
xlate_packet_tcp_flags(const void *packet, size_t len)
{
    struct dp_packet p;
    struct flow f;

    dp_packet_use_const(&p, packet, len);
    flow_extract(&p, &f);
    return f.nw_proto == IPPROTO_TCP && (f.dl_type == htons(ETH_TYPE_IP)
                                         || f.dl_type == htons(ETH_TYPE_IPV6))
           ? ntohs(f.tcp_flags) : 0;
}

static void
record_table(struct xlate_ctx *ctx, uint8_t table_id, bool matched)
{
    struct xlate_out *x = ctx->xout;
    if (x->n_tables >= x->allocated_tables) {
        x->tables = x2nrealloc(x->tables, &x->allocated_tables,
                               sizeof *x->tables);
    }
    x->tables[x->n_tables].table_id = table_id;
    x->tables[x->n_tables++].matched = matched;
}

static void
record_group(struct xlate_ctx *ctx, struct ofgroup *g, size_t bucket)
{
    struct xlate_out *x = ctx->xout;
    if (x->n_groups >= x->allocated_groups) {
        x->groups = x2nrealloc(x->groups, &x->allocated_groups,
                               sizeof *x->groups);
    }
    x->groups[x->n_groups].group = g;
    x->groups[x->n_groups++].bucket = bucket;
}

void
xlate_credit_groups(const struct xlate_group_hit *hits, size_t n,
                    uint64_t packets, uint64_t bytes)
{
    for (size_t i = 0; i < n; i++) {
        struct ofgroup *g = hits[i].group;
        if (hits[i].bucket == SIZE_MAX) {
            g->packet_count += packets;
            g->byte_count += bytes;
        } else if (hits[i].bucket < g->n_buckets) {
            g->buckets[hits[i].bucket].packet_count += packets;
            g->buckets[hits[i].bucket].byte_count += bytes;
        }
    }
}

/* Makes 'id' significant in the megaflow: a rewrite of it or a decision
 * on it depends on the packet's value. */
static void
unwildcard_field(struct xlate_ctx *ctx, enum ofp_field_id id)
{
    const struct ofp_field *f = ofp_field_get(id);
    struct match m;
    union ofp_value v;

    if (!f) {
        return;
    }
    m.flow = ctx->flow;
    m.wc = *ctx->wc;
    ofp_field_get_value(f, &ctx->flow, &v);
    ofp_field_set_match(f, &v, NULL, &m);
    *ctx->wc = m.wc;
}

static bool
is_ip_any(struct xlate_ctx *ctx)
{
    ctx->wc->masks.dl_type = htons(0xffff);
    return ctx->flow.dl_type == htons(ETH_TYPE_IP)
           || ctx->flow.dl_type == htons(ETH_TYPE_IPV6);
}

/* ---- Committing header changes to the datapath packet. ---- */

static bool
vlan_present(vs_be16 tci)
{
    return (tci & htons(VLAN_CFI)) != 0;
}

static void
emit_push_vlan(struct xlate_ctx *ctx, vs_be16 tci, bool onto_tag)
{
    emit(ctx, DP_ACT_PUSH_VLAN)->tci = ntohs(tci) & ~VLAN_CFI;
    if (onto_tag) {
        /* The datapath only tags untagged frames. */
        ctx->xout->slow |= XLATE_SLOW_REWRITE;
    }
}

static void
commit_vlan(struct xlate_ctx *ctx)
{
    const union flow_vlan_hdr *b = ctx->base.vlans, *f = ctx->flow.vlans;

    if (b[0].tci == f[0].tci && b[1].tci == f[1].tci) {
        return;
    }
    if (b[1].tci == f[1].tci) {
        /* Only the outer tag changed. */
        if (vlan_present(b[0].tci)) {
            emit(ctx, DP_ACT_POP_VLAN);
        }
        if (vlan_present(f[0].tci)) {
            emit_push_vlan(ctx, f[0].tci, vlan_present(f[1].tci));
        }
    } else if (f[1].tci == b[0].tci && vlan_present(f[0].tci)) {
        emit_push_vlan(ctx, f[0].tci, vlan_present(b[0].tci));
    } else if (f[0].tci == b[1].tci && vlan_present(b[0].tci)) {
        emit(ctx, DP_ACT_POP_VLAN);
    } else {
        for (int i = 0; i < 2; i++) {
            if (vlan_present(b[i].tci)) {
                emit(ctx, DP_ACT_POP_VLAN);
            }
        }
        for (int i = 1; i >= 0; i--) {
            if (vlan_present(f[i].tci)) {
                emit_push_vlan(ctx, f[i].tci, i == 0 && vlan_present(f[1].tci));
            }
        }
    }
}

/* Tunnel metadata for the outputs to flow-based tunnel ports (key=flow,
 * remote_ip=flow) that follow.  The datapath starts from the packet's own
 * metadata (which the megaflow of a packet from a tunnel matches exactly,
 * see xlate_actions__()). */
static void
commit_tunnel(struct xlate_ctx *ctx)
{
    const struct flow *b = &ctx->base, *f = &ctx->flow;

    if (b->tun_id != f->tun_id) {
        /* VNIs are 24 bits; the datapath carries 32. */
        emit(ctx, DP_ACT_SET_TUN_ID)->tun_id = (uint32_t) vs_ntohll(f->tun_id);
    }
    if (b->tun_dst != f->tun_dst) {
        emit(ctx, DP_ACT_SET_TUN_DST)->ipv4 = f->tun_dst;
    }
}

/* Emits the actions that make the datapath's packet look like 'flow'. */
static void
commit(struct xlate_ctx *ctx)
{
    const struct flow *b = &ctx->base, *f = &ctx->flow;
    bool userspace = false;

    commit_vlan(ctx);
    commit_tunnel(ctx);
    if (b->skb_priority != f->skb_priority) {
        if (f->skb_priority == ctx->base_in.skb_priority) {
            emit(ctx, DP_ACT_POP_PRIORITY);
        } else {
            emit(ctx, DP_ACT_SET_PRIORITY)->priority = f->skb_priority;
        }
    }
    if (eth_type_mpls(f->dl_type) && b->mpls_lse[0] != f->mpls_lse[0]) {
        /* The datapath writes the whole entry: the megaflow depends on
         * the bits the pipeline left alone. */
        ctx->wc->masks.mpls_lse[0] = htonl(UINT32_MAX);
        emit(ctx, DP_ACT_SET_MPLS)->mpls_lse = f->mpls_lse[0];
    }
    if (!eth_addr_equals(b->dl_src, f->dl_src)) {
        memcpy(emit(ctx, DP_ACT_SET_ETH_SRC)->mac, f->dl_src.ea, 6);
    }
    if (!eth_addr_equals(b->dl_dst, f->dl_dst)) {
        memcpy(emit(ctx, DP_ACT_SET_ETH_DST)->mac, f->dl_dst.ea, 6);
    }

    bool ip4 = f->dl_type == htons(ETH_TYPE_IP);
    bool ip6 = f->dl_type == htons(ETH_TYPE_IPV6);
    if (ip4) {
        if (b->nw_src != f->nw_src) {
            emit(ctx, DP_ACT_SET_IPV4_SRC)->ipv4 = f->nw_src;
        }
        if (b->nw_dst != f->nw_dst) {
            emit(ctx, DP_ACT_SET_IPV4_DST)->ipv4 = f->nw_dst;
        }
    } else if (ip6) {
        userspace |= memcmp(&b->ipv6_src, &f->ipv6_src, 16)
                     || memcmp(&b->ipv6_dst, &f->ipv6_dst, 16)
                     || b->ipv6_label != f->ipv6_label;
    } else if (f->dl_type == htons(ETH_TYPE_ARP)
               || f->dl_type == htons(ETH_TYPE_RARP)) {
        userspace |= b->nw_src != f->nw_src || b->nw_dst != f->nw_dst
                     || b->nw_proto != f->nw_proto
                     || !eth_addr_equals(b->arp_sha, f->arp_sha)
                     || !eth_addr_equals(b->arp_tha, f->arp_tha);
    }
    if (ip4 || ip6) {
        if (b->nw_tos != f->nw_tos) {
            struct dp_action *a = emit(ctx, DP_ACT_SET_IP_TOS);
            a->tos = f->nw_tos;
            a->tos_mask = 0xff;
        }
        if (b->nw_ttl != f->nw_ttl) {
            emit(ctx, DP_ACT_SET_IP_TTL)->ttl = f->nw_ttl;
        }
        if (!(f->nw_frag & FLOW_NW_FRAG_LATER)
            && (b->tp_src != f->tp_src || b->tp_dst != f->tp_dst)) {
            if (f->nw_proto == IPPROTO_TCP || f->nw_proto == IPPROTO_UDP) {
                if (b->tp_src != f->tp_src) {
                    emit(ctx, DP_ACT_SET_TP_SRC)->tp_port = f->tp_src;
                }
                if (b->tp_dst != f->tp_dst) {
                    emit(ctx, DP_ACT_SET_TP_DST)->tp_port = f->tp_dst;
                }
            } else {
                userspace = true;       /* SCTP, ICMP type/code. */
            }
        }
    }
    if (userspace) {
        emit_uop(ctx, XLATE_UOP_SET_FIELDS)->flow = *f;
        ctx->xout->slow |= XLATE_SLOW_REWRITE;
    }
    ctx->base = *f;
}

/* ---- Outputs. ---- */

static bool
port_may_output(struct xlate_ctx *ctx, uint32_t of_port, uint32_t deny)
{
    return ofproto_port_get(ctx->ofproto, of_port)
           && !(ofproto_port_config(ctx->ofproto, of_port) & deny)
           && xlate_dp_port(of_port, ctx->local);
}

/* A queue with a DSCP (the Queue table's dscp column) marks the IP
 * packets it sends: rewrites the flow's DSCP for an output to 'of_port'
 * in the queue the packet is in.  Returns true if it did. */
static bool
queue_remark(struct xlate_ctx *ctx, uint32_t of_port)
{
    uint32_t prio = ctx->flow.skb_priority;
    if ((prio >> 16) != 1 || !(prio & 0xffff)) {
        return false;           /* Not DP_QUEUE_PRIORITY(q). */
    }
    int dscp = ofproto_queue_dscp(ctx->ofproto, of_port, (prio & 0xffff) - 1);
    if (dscp < 0 || !is_ip_any(ctx)) {
        return false;
    }
    ctx->wc->masks.nw_tos |= IP_DSCP_MASK;
    ctx->flow.nw_tos = (ctx->flow.nw_tos & ~IP_DSCP_MASK)
                       | ((dscp << 2) & IP_DSCP_MASK);
    return true;
}

static void
output_to_port(struct xlate_ctx *ctx, uint32_t of_port, bool allow_in_port)
{
    if ((of_port == ctx->flow.in_port && !allow_in_port)
        || !port_may_output(ctx, of_port, OFPPC_NO_FWD | OFPPC_PORT_DOWN)) {
        return;
    }
    uint8_t tos = ctx->flow.nw_tos;
    bool remarked = queue_remark(ctx, of_port);
    commit(ctx);
    emit(ctx, DP_ACT_OUTPUT)->port = xlate_dp_port(of_port, ctx->local);
    if (remarked) {
        ctx->flow.nw_tos = tos;     /* For this output only. */
    }
}

static void
xlate_flood(struct xlate_ctx *ctx, bool all)
{
    uint32_t deny = OFPPC_NO_FWD | OFPPC_PORT_DOWN | (all ? 0 : OFPPC_NO_FLOOD);
    size_t n, n_out = 0, n_others = 0;
    const struct ofp_port **ports = ofproto_ports(ctx->ofproto, &n);
    uint32_t *out = xmalloc((n + 1) * sizeof *out);

    for (size_t i = 0; i < n; i++) {
        uint32_t p = ports[i]->port_no;
        if (p == ctx->flow.in_port) {
            continue;
        }
        n_others++;
        if (port_may_output(ctx, p, deny)) {
            out[n_out++] = xlate_dp_port(p, ctx->local);
        }
    }
    if (n_out) {
        commit(ctx);
        if (n_out == n_others && n_out > 1) {
            /* Every port but the ingress: one datapath flood. */
            emit(ctx, DP_ACT_FLOOD);
        } else {
            for (size_t i = 0; i < n_out; i++) {
                emit(ctx, DP_ACT_OUTPUT)->port = out[i];
            }
        }
    }
    free(out);
    free(ports);
}

static void
xlate_normal(struct xlate_ctx *ctx)
{
    struct normal_bridge *nb = ctx->xin->nb;
    if (!nb) {
        return;
    }
    commit(ctx);

    struct dp_key key;
    struct normal_xlate *nx = xmalloc(sizeof *nx);
    xlate_flow_to_key(&ctx->flow, ctx->local, &key);
    normal_xlate(nb, &key, ctx->xin->learn, ctx->xin->now, nx);

    uint8_t *em = (uint8_t *) &ctx->extra_mask;
    const uint8_t *nm = (const uint8_t *) &nx->mask;
    for (size_t i = 0; i < sizeof key; i++) {
        em[i] |= nm[i];
    }
    for (size_t i = 0; i < nx->n_actions; i++) {
        const struct dp_action *a = &nx->actions[i];
        *emit(ctx, a->type) = *a;
        /* Keep 'base' in step with the datapath's packet. */
        if (a->type == DP_ACT_PUSH_VLAN) {
            ctx->base.vlans[0].tpid = htons(ETH_TYPE_VLAN_8021Q);
            ctx->base.vlans[0].tci = htons((a->tci & ~DP_VLAN_PRESENT)
                                           | VLAN_CFI);
        } else if (a->type == DP_ACT_POP_VLAN) {
            ctx->base.vlans[0] = ctx->base.vlans[1];
            memset(&ctx->base.vlans[1], 0, sizeof ctx->base.vlans[1]);
        }
    }
    free(nx);
}

/* Copies the userdata of controller action 'a' (if any) for uop 'u'. */
static void
pin_userdata_copy(struct xlate_out *x, const struct ofpact *a,
                  struct xlate_uop *u)
{
    size_t n = a ? a->u.controller.userdata_len : 0;
    if (!n) {
        return;
    }
    while (x->pin_userdata_len + n > x->pin_userdata_allocated) {
        x->pin_userdata = x2nrealloc(x->pin_userdata,
                                     &x->pin_userdata_allocated, 1);
    }
    u->userdata_ofs = x->pin_userdata_len;
    u->userdata_len = n;
    ofpact_controller_get_userdata(a, x->pin_userdata + x->pin_userdata_len);
    x->pin_userdata_len += n;
}

static void
xlate_controller(struct xlate_ctx *ctx, uint8_t reason, uint16_t max_len)
{
    if (ofproto_port_config(ctx->ofproto, ctx->flow.in_port)
        & OFPPC_NO_PACKET_IN) {
        return;
    }
    commit(ctx);
    struct xlate_uop *u = emit_uop(ctx, XLATE_UOP_PACKET_IN);
    u->reason = reason;
    u->table_id = ctx->table_id;
    u->cookie = ctx->rule ? ctx->rule->cookie : UINT64_MAX;
    u->max_len = max_len;
    u->in_port = ctx->flow.in_port;
    u->metadata = ctx->flow.metadata;
    memcpy(u->regs, ctx->flow.regs, sizeof u->regs);
    u->controller_id = ctx->pin_controller_id;
    pin_userdata_copy(ctx->xout, ctx->pin_controller, u);
    ctx->xout->slow |= XLATE_SLOW_CONTROLLER;
}

static void
xlate_output(struct xlate_ctx *ctx, uint32_t port, uint16_t max_len)
{
    switch (port) {
    case OFPP_IN_PORT:
        output_to_port(ctx, ctx->flow.in_port, true);
        break;
    case OFPP_TABLE:
        /* Only packet-out may resubmit to the pipeline. */
        if (ctx->xin->ofpacts && !ctx->rule && ctx->depth < MAX_DEPTH) {
            size_t n_set = ctx->n_action_set;
            uint8_t reason = ctx->pin_reason;
            ctx->depth++;
            ctx->n_action_set = 0;
            xlate_table(ctx, 0);
            ctx->n_action_set = n_set;
            ctx->rule = NULL;
            ctx->pin_reason = reason;
            ctx->table_id = 0;
            ctx->depth--;
        }
        break;
    case OFPP_NORMAL:
        xlate_normal(ctx);
        break;
    case OFPP_FLOOD:
    case OFPP_ALL:
        xlate_flood(ctx, port == OFPP_ALL);
        break;
    case OFPP_CONTROLLER:
        xlate_controller(ctx, ctx->pin_reason, max_len);
        break;
    case OFPP_NONE:
        break;
    default:
        output_to_port(ctx, port, false);
        break;
    }
}

/* output:FIELD[bits]: to the port number the field holds now (a register
 * a previous table loaded, usually).  The decision depends on the field,
 * so it is significant in the megaflow; registers are not packet bits, and
 * what loaded them made its own inputs significant already. */
static void
xlate_output_reg(struct xlate_ctx *ctx, const struct ofpact *a)
{
    unwildcard_field(ctx, a->u.output_reg.src);
    uint64_t v = ofpact_subfield_read(a->u.output_reg.src, a->u.output_reg.ofs,
                                      a->u.output_reg.n_bits, &ctx->flow);
    /* 16-bit values are OpenFlow 1.0 port numbers (0xfffe is LOCAL), as
     * in Open vSwitch; wider ones that do not fit 32 bits name no port. */
    uint32_t port = v <= UINT16_MAX ? ofp_port_from_ofp10(v)
                    : v <= UINT32_MAX ? v : OFPP_NONE;
    xlate_output(ctx, port, a->u.output_reg.max_len);
}

/* learn(...): the flow it makes depends on the fields it reads, which
 * become significant in the megaflow whether or not this translation may
 * add flows (an upcall, or a revalidation of a megaflow in use, so that
 * learned flows live as long as traffic uses them). */
static void
xlate_learn(struct xlate_ctx *ctx, const struct ofpact *a)
{
    struct xlate_out *xo = ctx->xout;
    struct flow_wildcards read;
    struct ofp_flow_mod scratch, *fm = &scratch;

    flow_wildcards_init_catchall(&read);
    if (ctx->xin->learn && xo->n_learned < XLATE_MAX_LEARNED) {
        if (!xo->learned) {
            xo->learned = xcalloc(XLATE_MAX_LEARNED, sizeof *xo->learned);
        }
        fm = &xo->learned[xo->n_learned++];
    } else if (ctx->xin->learn) {
        VLOG_WARN_RL(&learn_rl, "%s: more than %d learn actions in one "
                     "translation: the rest learn nothing",
                     ofproto_name(ctx->ofproto), XLATE_MAX_LEARNED);
    }
    ofp_flow_mod_init(fm);
    learn_execute(a, &ctx->flow, fm, &read.masks);
    if (fm == &scratch) {
        ofp_flow_mod_uninit(fm);
    }
    flow_wildcards_or(ctx->wc, ctx->wc, &read);
}

/* ---- Groups. ---- */

static bool group_is_live(struct xlate_ctx *, const struct ofgroup *, int);

static bool
bucket_is_live(struct xlate_ctx *ctx, const struct ofgroup_bucket *b,
               int depth)
{
    if (b->watch_port && b->watch_port != OFPP_ANY
        && !ofproto_port_is_live(ctx->ofproto, b->watch_port)) {
        return false;
    }
    if (b->watch_group != OFPG_ANY && depth < MAX_DEPTH) {
        const struct ofgroup *g = ofproto_group_find(ctx->ofproto,
                                                     b->watch_group);
        return g && group_is_live(ctx, g, depth + 1);
    }
    return true;
}

static bool
group_is_live(struct xlate_ctx *ctx, const struct ofgroup *g, int depth)
{
    for (size_t i = 0; i < g->n_buckets; i++) {
        if (bucket_is_live(ctx, &g->buckets[i], depth)) {
            return true;
        }
    }
    return false;
}

/* Runs a bucket on a copy of the packet: its rewrites do not leak into
 * what follows the group. */
static void
xlate_bucket(struct xlate_ctx *ctx, struct ofgroup *g, size_t idx)
{
    const struct ofgroup_bucket *b = &g->buckets[idx];
    struct flow saved = ctx->flow;

    record_group(ctx, g, idx);
    uint8_t reason = ctx->pin_reason;
    bool exit = ctx->exit;

    ctx->pin_reason = OFPR_GROUP;
    do_actions(ctx, b->ofpacts.acts, b->ofpacts.n);
    ctx->flow = saved;
    ctx->pin_reason = reason;
    ctx->exit = exit;
}

/* Hash of the 5-tuple (addresses for non-IP), made significant. */
static uint32_t
select_hash(struct xlate_ctx *ctx)
{
    struct flow *f = &ctx->flow, *m = &ctx->wc->masks;
    uint32_t h = 0;

    m->dl_type = htons(0xffff);
    if (f->dl_type == htons(ETH_TYPE_IP)
        || f->dl_type == htons(ETH_TYPE_IPV6)) {
        if (f->dl_type == htons(ETH_TYPE_IP)) {
            m->nw_src = m->nw_dst = htonl(UINT32_MAX);
            h = hash_bytes(&f->nw_src, 8, h);
        } else {
            memset(&m->ipv6_src, 0xff, 16);
            memset(&m->ipv6_dst, 0xff, 16);
            h = hash_bytes(&f->ipv6_src, 32, h);
        }
        m->nw_proto = 0xff;
        h = hash_int(f->nw_proto, h);
        if (f->nw_proto == IPPROTO_TCP || f->nw_proto == IPPROTO_UDP
            || f->nw_proto == IPPROTO_SCTP) {
            m->nw_frag |= FLOW_NW_FRAG_LATER;
            if (!(f->nw_frag & FLOW_NW_FRAG_LATER)) {
                m->tp_src = m->tp_dst = htons(0xffff);
                h = hash_int((uint32_t) f->tp_src << 16 | f->tp_dst, h);
            }
        }
    } else {
        memset(&m->dl_src, 0xff, sizeof m->dl_src);
        memset(&m->dl_dst, 0xff, sizeof m->dl_dst);
        h = hash_bytes(&f->dl_dst, 12, h);
    }
    return h;
}

static const struct ofgroup_bucket *
select_bucket(struct xlate_ctx *ctx, const struct ofgroup *g)
{
    uint64_t total = 0;
    const struct ofgroup_bucket *first_live = NULL;

    for (size_t i = 0; i < g->n_buckets; i++) {
        if (bucket_is_live(ctx, &g->buckets[i], 0)) {
            total += g->buckets[i].weight;
            first_live = first_live ? first_live : &g->buckets[i];
        }
    }
    if (!total) {
        return first_live;
    }
    uint64_t pick = select_hash(ctx) % total;
    for (size_t i = 0; i < g->n_buckets; i++) {
        const struct ofgroup_bucket *b = &g->buckets[i];
        if (b->weight && bucket_is_live(ctx, b, 0)) {
            if (pick < b->weight) {
                return b;
            }
            pick -= b->weight;
        }
    }
    return first_live;
}

static void
xlate_group(struct xlate_ctx *ctx, uint32_t group_id)
{
    struct ofgroup *g = ofproto_group_find(ctx->ofproto, group_id);
    const struct ofgroup_bucket *b = NULL;

    if (!g || ctx->depth >= MAX_DEPTH) {
        return;
    }
    record_group(ctx, g, SIZE_MAX);
    ctx->depth++;
    switch (g->type) {
    case OFPGT_ALL:
        for (size_t i = 0; i < g->n_buckets && !ctx->exit; i++) {
            xlate_bucket(ctx, g, i);
        }
        break;
    case OFPGT_SELECT:
        b = select_bucket(ctx, g);
        break;
    case OFPGT_INDIRECT:
        b = g->n_buckets ? &g->buckets[0] : NULL;
        break;
    case OFPGT_FF:
        for (size_t i = 0; i < g->n_buckets && !b; i++) {
            if (bucket_is_live(ctx, &g->buckets[i], 0)) {
                b = &g->buckets[i];
            }
        }
        break;
    default:
        break;
    }
    if (b) {
        xlate_bucket(ctx, g, b - g->buckets);
    }
    ctx->depth--;
}

/* ---- Actions. ---- */

static void
set_vlan(struct xlate_ctx *ctx, const struct ofpact *a)
{
    union flow_vlan_hdr *v = &ctx->flow.vlans[0];

    ctx->wc->masks.vlans[0].tci = htons(0xffff);
    if (!vlan_present(v->tci)) {
        if (!a->u.vlan.push) {
            return;
        }
        ctx->flow.vlans[1] = *v;
        v->tpid = htons(ETH_TYPE_VLAN_8021Q);
        v->tci = htons(VLAN_CFI);
    }
    if (a->type == OFPACT_SET_VLAN_VID) {
        v->tci = (v->tci & ~htons(VLAN_VID_MASK))
                 | htons(a->u.vlan.vid & VLAN_VID_MASK);
    } else {
        v->tci = (v->tci & ~htons(VLAN_PCP_MASK))
                 | htons((a->u.vlan.pcp & 7) << VLAN_PCP_SHIFT);
    }
}

static void
dec_ttl(struct xlate_ctx *ctx, const struct ofpact *a)
{
    if (!is_ip_any(ctx)) {
        return;
    }
    ctx->wc->masks.nw_ttl = 0xff;
    if (ctx->flow.nw_ttl > 1) {
        ctx->flow.nw_ttl--;
        return;
    }
    /* OpenFlow: a controller that asked for it gets the packet; it goes
     * nowhere else.  Nicira's dec_ttl(ids) names the controllers. */
    if (!a->u.dec_ttl.n_ids) {
        xlate_controller(ctx, OFPR_INVALID_TTL, OFPCML_NO_BUFFER);
    }
    for (size_t i = 0; i < a->u.dec_ttl.n_ids; i++) {
        ctx->pin_controller_id = a->u.dec_ttl.ids[i];
        xlate_controller(ctx, OFPR_INVALID_TTL, OFPCML_NO_BUFFER);
        ctx->pin_controller_id = 0;
    }
    ctx->exit = true;
}

static void
set_l4_port(struct xlate_ctx *ctx, const struct ofpact *a)
{
    struct flow *f = &ctx->flow;
    if (!is_ip_any(ctx)) {
        return;
    }
    ctx->wc->masks.nw_proto = 0xff;
    ctx->wc->masks.nw_frag |= FLOW_NW_FRAG_LATER;
    if ((f->nw_proto != IPPROTO_TCP && f->nw_proto != IPPROTO_UDP
         && f->nw_proto != IPPROTO_SCTP) || (f->nw_frag & FLOW_NW_FRAG_LATER)) {
        return;
    }
    if (a->type == OFPACT_SET_L4_SRC) {
        unwildcard_field(ctx, OFPF_TCP_SRC);
        f->tp_src = htons(a->u.l4.port);
    } else {
        unwildcard_field(ctx, OFPF_TCP_DST);
        f->tp_dst = htons(a->u.l4.port);
    }
}

/* ---- MPLS. ----
 *
 * Pushes and pops change where the headers are, so they are emitted at
 * once (after committing what came before: an IP rewrite must reach the
 * packet before a label hides it); label, TC and TTL changes are lazy like
 * other rewrites (DP_ACT_SET_MPLS in commit()). */

/* Clears what a packet has no more once it is MPLS: L3 and L4. */
static void
flow_clear_l3(struct flow *f)
{
    size_t ofs = offsetof(struct flow, nw_src);
    memset((uint8_t *) f + ofs, 0, sizeof *f - ofs);
}

static void
push_mpls(struct xlate_ctx *ctx, uint16_t ethertype)
{
    struct flow *f = &ctx->flow;
    vs_be32 lse;

    ctx->wc->masks.dl_type = htons(0xffff);
    commit(ctx);
    if (eth_type_mpls(f->dl_type)) {
        /* A copy of the old top entry, no longer the bottom one. */
        ctx->wc->masks.mpls_lse[0] = htonl(UINT32_MAX);
        lse = f->mpls_lse[0] & ~htonl(MPLS_BOS_MASK);
        memmove(&f->mpls_lse[1], &f->mpls_lse[0],
                sizeof f->mpls_lse - sizeof f->mpls_lse[0]);
    } else {
        /* Label 0 (IPv4 explicit null) or 2 (IPv6), TC from the DSCP's
         * class, TTL from the IP TTL (64 for non-IP payloads). */
        uint32_t label = f->dl_type == htons(ETH_TYPE_IPV6) ? 2 : 0;
        uint8_t tc = 0, ttl = 64;
        if (is_ip_any(ctx)) {
            ctx->wc->masks.nw_tos |= IP_DSCP_MASK;
            ctx->wc->masks.nw_ttl = 0xff;
            tc = (f->nw_tos & IP_DSCP_MASK) >> 5;
            ttl = f->nw_ttl ? f->nw_ttl : 64;
        }
        lse = mpls_lse_build(label, tc, true, ttl);
        ctx->inner_ttl = is_ip_any(ctx) ? f->nw_ttl : -1;
        memset(f->mpls_lse, 0, sizeof f->mpls_lse);
        flow_clear_l3(f);
        ctx->inner_l3 = false;
    }
    f->mpls_lse[0] = lse;
    f->dl_type = htons(ethertype);

    struct dp_action *a = emit(ctx, DP_ACT_PUSH_MPLS);
    a->mpls_ethertype = htons(ethertype);
    a->mpls_lse = lse;
    ctx->base = *f;
}

/* The L3/L4 fields of what follows the MPLS stack of the packet being
 * translated, into 'f' (whose dl_type says what that is). */
static void
fill_inner_l3(struct xlate_ctx *ctx, struct flow *f)
{
    struct dp_packet p;
    struct flow pf;
    const uint8_t *pkt = ctx->xin->packet;
    size_t len = ctx->xin->packet_len;

    dp_packet_use_const(&p, pkt, len);
    flow_extract(&p, &pf);
    if (!eth_type_mpls(pf.dl_type) || p.l2_5_ofs == DP_PACKET_OFS_NONE) {
        return;
    }
    /* The payload starts after the bottom entry. */
    size_t ofs = p.l2_5_ofs;
    for (int i = 0; ofs + MPLS_HLEN <= len && i < 16; i++) {
        vs_be32 lse;
        memcpy(&lse, pkt + ofs, MPLS_HLEN);
        ofs += MPLS_HLEN;
        if (lse & htonl(MPLS_BOS_MASK)) {
            break;
        }
    }
    if (ofs > len) {
        return;
    }
    /* A frame of the payload alone behind a plain Ethernet header. */
    uint8_t *frame = xmalloc(ETH_HEADER_LEN + (len - ofs));
    memcpy(frame, pkt, 2 * ETH_ADDR_LEN);
    memcpy(frame + 2 * ETH_ADDR_LEN, &f->dl_type, 2);
    memcpy(frame + ETH_HEADER_LEN, pkt + ofs, len - ofs);
    dp_packet_use_const(&p, frame, ETH_HEADER_LEN + (len - ofs));
    flow_extract(&p, &pf);
    size_t l3 = offsetof(struct flow, nw_src);
    memcpy((uint8_t *) f + l3, (uint8_t *) &pf + l3, sizeof *f - l3);
    free(frame);
}

static void
pop_mpls(struct xlate_ctx *ctx, uint16_t ethertype)
{
    struct flow *f = &ctx->flow;

    ctx->wc->masks.dl_type = htons(0xffff);
    if (!eth_type_mpls(f->dl_type)) {
        return;
    }
    commit(ctx);
    memmove(&f->mpls_lse[0], &f->mpls_lse[1],
            sizeof f->mpls_lse - sizeof f->mpls_lse[0]);
    f->mpls_lse[FLOW_MAX_MPLS_LABELS - 1] = 0;
    f->dl_type = htons(ethertype);
    if (!eth_type_mpls(f->dl_type)) {
        /* What follows is news to the datapath key: from the packet if
         * this translation has it, and looking at it makes the result a
         * slow path one (see xlate_actions__()). */
        memset(f->mpls_lse, 0, sizeof f->mpls_lse);
        flow_clear_l3(f);
        ctx->inner_l3 = true;
        if (ctx->use_packet && ctx->xin->packet) {
            fill_inner_l3(ctx, f);
            if (ctx->inner_ttl >= 0 && is_ip_any(ctx)) {
                f->nw_ttl = ctx->inner_ttl;     /* copy_ttl_in wrote it. */
            }
        }
    }
    emit(ctx, DP_ACT_POP_MPLS)->mpls_ethertype = htons(ethertype);
    ctx->base = *f;
}

static void
set_mpls_ttl(struct xlate_ctx *ctx, uint8_t ttl)
{
    vs_be32 *lse = &ctx->flow.mpls_lse[0];

    ctx->wc->masks.dl_type = htons(0xffff);
    if (eth_type_mpls(ctx->flow.dl_type)) {
        *lse = (*lse & ~htonl(MPLS_TTL_MASK)) | htonl(ttl);
    }
}

static void
dec_mpls_ttl(struct xlate_ctx *ctx)
{
    vs_be32 *lse = &ctx->flow.mpls_lse[0];
    uint8_t ttl = mpls_lse_to_ttl(*lse);

    ctx->wc->masks.dl_type = htons(0xffff);
    if (!eth_type_mpls(ctx->flow.dl_type)) {
        return;
    }
    ctx->wc->masks.mpls_lse[0] |= htonl(MPLS_TTL_MASK);
    if (ttl > 1) {
        set_mpls_ttl(ctx, ttl - 1);
        return;
    }
    /* As for dec_ttl: to a controller that asked for it, else dropped. */
    xlate_controller(ctx, OFPR_INVALID_TTL, OFPCML_NO_BUFFER);
    ctx->exit = true;
}

/* The IP TTL under the MPLS stack of the packet being translated (its
 * version nibble tells IPv4 from IPv6), or -1. */
static int
packet_inner_ttl(struct xlate_ctx *ctx)
{
    struct flow inner;
    const uint8_t *pkt = ctx->xin->packet;
    struct dp_packet p;

    dp_packet_use_const(&p, pkt, ctx->xin->packet_len);
    flow_extract(&p, &inner);
    if (p.l2_5_ofs == DP_PACKET_OFS_NONE) {
        return -1;
    }
    /* After the bottom entry. */
    size_t ofs = p.l2_5_ofs, len = ctx->xin->packet_len;
    for (int i = 0; ofs + MPLS_HLEN <= len && i < 16; i++) {
        ofs += MPLS_HLEN;
        if (pkt[ofs - 2] & 1) {                 /* BOS bit. */
            break;
        }
    }
    if (ofs < len && pkt[ofs] >> 4 == 4 && ofs + 20 <= len) {
        return pkt[ofs + 8];
    } else if (ofs < len && pkt[ofs] >> 4 == 6 && ofs + 40 <= len) {
        return pkt[ofs + 7];
    }
    return -1;
}

/* copy_ttl_out: outermost TTL = the next one in (the IP TTL when the stack
 * has one entry).  copy_ttl_in: the other way.  What lies under the top
 * entry is beyond the datapath key, so unless the pipeline itself put it
 * there (push_mpls onto IP) the result is per packet: slow path. */
static void
copy_ttl(struct xlate_ctx *ctx, bool out)
{
    struct flow *f = &ctx->flow;
    bool bos;

    ctx->wc->masks.dl_type = htons(0xffff);
    if (!eth_type_mpls(f->dl_type)) {
        return;
    }
    ctx->wc->masks.mpls_lse[0] |= htonl(MPLS_BOS_MASK | MPLS_TTL_MASK);
    bos = mpls_lse_to_bos(f->mpls_lse[0]);
    if (!out) {
        /* The datapath cannot write under the top entry. */
        uint8_t ttl = mpls_lse_to_ttl(f->mpls_lse[0]);
        commit(ctx);
        emit_uop(ctx, XLATE_UOP_COPY_TTL_IN);
        ctx->xout->slow |= XLATE_SLOW_REWRITE;
        if (!bos) {
            f->mpls_lse[1] = (f->mpls_lse[1] & ~htonl(MPLS_TTL_MASK))
                             | htonl(ttl);
        } else {
            ctx->inner_ttl = ttl;
        }
        ctx->base = *f;
        return;
    }
    if (!bos) {
        ctx->wc->masks.mpls_lse[1] |= htonl(MPLS_TTL_MASK);
        set_mpls_ttl(ctx, mpls_lse_to_ttl(f->mpls_lse[1]));
    } else if (ctx->inner_ttl >= 0) {
        set_mpls_ttl(ctx, ctx->inner_ttl);
    } else {
        /* Read from the packet: a look beyond the key. */
        ctx->xout->slow |= XLATE_SLOW_FIELDS;
        int ttl = ctx->use_packet && ctx->xin->packet ? packet_inner_ttl(ctx)
                                                      : -1;
        if (ttl >= 0) {
            set_mpls_ttl(ctx, ttl);
        }
    }
}

static void
do_action(struct xlate_ctx *ctx, const struct ofpact *a)
{
    struct flow *f = &ctx->flow;

    switch (a->type) {
    case OFPACT_OUTPUT:
        xlate_output(ctx, a->u.output.port, a->u.output.max_len);
        break;
    case OFPACT_ENQUEUE: {
        /* The queue holds for this output only. */
        uint32_t saved = f->skb_priority;
        f->skb_priority = DP_QUEUE_PRIORITY(a->u.enqueue.queue);
        xlate_output(ctx, a->u.enqueue.port, 0);
        f->skb_priority = saved;
        break;
    }
    case OFPACT_GROUP:
        xlate_group(ctx, a->u.id);
        break;
    case OFPACT_SET_QUEUE:
        f->skb_priority = DP_QUEUE_PRIORITY(a->u.id);
        break;
    case OFPACT_POP_QUEUE:
        f->skb_priority = ctx->base_in.skb_priority;
        break;
    case OFPACT_SET_TUNNEL:
        f->tun_id = vs_htonll(a->u.tunnel.id);
        break;
    case OFPACT_SET_VLAN_VID:
    case OFPACT_SET_VLAN_PCP:
        set_vlan(ctx, a);
        break;
    case OFPACT_STRIP_VLAN:
        ctx->wc->masks.vlans[0].tci = htons(0xffff);
        if (vlan_present(f->vlans[0].tci)) {
            f->vlans[0] = f->vlans[1];
            memset(&f->vlans[1], 0, sizeof f->vlans[1]);
        }
        break;
    case OFPACT_PUSH_VLAN:
        ctx->wc->masks.vlans[0].tci = htons(0xffff);
        f->vlans[1] = f->vlans[0];
        f->vlans[0].tpid = htons(a->u.ethertype);
        /* OpenFlow 1.3: the new tag copies the VID/PCP of the old one. */
        f->vlans[0].tci = (vlan_present(f->vlans[1].tci) ? f->vlans[1].tci
                                                         : 0)
                          | htons(VLAN_CFI);
        break;
    case OFPACT_SET_ETH_SRC:
        unwildcard_field(ctx, OFPF_ETH_SRC);
        f->dl_src = a->u.mac;
        break;
    case OFPACT_SET_ETH_DST:
        unwildcard_field(ctx, OFPF_ETH_DST);
        f->dl_dst = a->u.mac;
        break;
    case OFPACT_SET_IPV4_SRC:
    case OFPACT_SET_IPV4_DST:
        ctx->wc->masks.dl_type = htons(0xffff);
        if (f->dl_type == htons(ETH_TYPE_IP)) {
            if (a->type == OFPACT_SET_IPV4_SRC) {
                ctx->wc->masks.nw_src = htonl(UINT32_MAX);
                f->nw_src = a->u.ipv4;
            } else {
                ctx->wc->masks.nw_dst = htonl(UINT32_MAX);
                f->nw_dst = a->u.ipv4;
            }
        }
        break;
    case OFPACT_SET_IP_DSCP:
        if (is_ip_any(ctx)) {
            ctx->wc->masks.nw_tos |= IP_DSCP_MASK;
            f->nw_tos = (f->nw_tos & ~IP_DSCP_MASK) | (a->u.u8 & IP_DSCP_MASK);
        }
        break;
    case OFPACT_SET_L4_SRC:
    case OFPACT_SET_L4_DST:
        set_l4_port(ctx, a);
        break;
    case OFPACT_SET_FIELD: {
        const struct ofp_field *field = ofp_field_get(a->u.set_field.field);
        if (field) {
            unwildcard_field(ctx, field->id);
            if (field->id == OFPF_VLAN_VID || field->id == OFPF_VLAN_PCP) {
                /* Setting a VLAN field of an untagged frame does nothing. */
                if (!vlan_present(f->vlans[0].tci)) {
                    break;
                }
            }
            ofp_field_set_flow(field, &a->u.set_field.value, f);
        }
        break;
    }
    case OFPACT_SET_NW_TTL:
        if (is_ip_any(ctx)) {
            ctx->wc->masks.nw_ttl = 0xff;
            f->nw_ttl = a->u.u8;
        }
        break;
    case OFPACT_DEC_TTL:
        dec_ttl(ctx, a);
        break;
    case OFPACT_PUSH_MPLS:
        push_mpls(ctx, a->u.ethertype);
        break;
    case OFPACT_POP_MPLS:
        pop_mpls(ctx, a->u.ethertype);
        break;
    case OFPACT_SET_MPLS_TTL:
        set_mpls_ttl(ctx, a->u.u8);
        break;
    case OFPACT_DEC_MPLS_TTL:
        dec_mpls_ttl(ctx);
        break;
    case OFPACT_COPY_TTL_OUT:
    case OFPACT_COPY_TTL_IN:
        copy_ttl(ctx, a->type == OFPACT_COPY_TTL_OUT);
        break;
    case OFPACT_RESUBMIT:
        xlate_resubmit(ctx, a);
        break;
    case OFPACT_REG_LOAD:
        unwildcard_field(ctx, a->u.load.field);
        ofpact_load_apply(a, f);
        break;
    case OFPACT_REG_MOVE:
        /* The result depends on the source; the destination changes. */
        unwildcard_field(ctx, a->u.move.src);
        unwildcard_field(ctx, a->u.move.dst);
        ofpact_move_apply(a, f);
        break;
    case OFPACT_OUTPUT_REG:
        xlate_output_reg(ctx, a);
        break;
    case OFPACT_LEARN:
        xlate_learn(ctx, a);
        break;
    case OFPACT_EXIT:
        ctx->exit = true;
        break;
    case OFPACT_FIN_TIMEOUT:
        xlate_fin_timeout(ctx, a);
        break;
    case OFPACT_CONTROLLER: {
        uint8_t reason = ctx->pin_reason;
        ctx->pin_reason = a->u.controller.reason;
        ctx->pin_controller_id = a->u.controller.id;
        ctx->pin_controller = a;
        xlate_output(ctx, OFPP_CONTROLLER, a->u.controller.max_len);
        ctx->pin_reason = reason;
        ctx->pin_controller_id = 0;
        ctx->pin_controller = NULL;
        break;
    }
    case OFPACT_NOTE:
    case OFPACT_METER:
    case OFPACT_CLEAR_ACTIONS:
    case OFPACT_WRITE_ACTIONS:
    case OFPACT_WRITE_METADATA:
    case OFPACT_GOTO_TABLE:
    case OFPACT_N_TYPES:
    default:
        break;
    }
}

static void
do_actions(struct xlate_ctx *ctx, const struct ofpact *acts, size_t n)
{
    for (size_t i = 0; i < n && !ctx->exit; i++) {
        do_action(ctx, &acts[i]);
        if (acts[i].type == OFPACT_WRITE_ACTIONS) {
            i += acts[i].n_nested;
        }
    }
}

/* ---- The action set (OpenFlow 1.3, 5.10). ---- */

static int
action_set_order(const struct ofpact *a)
{
    switch (a->type) {
    case OFPACT_COPY_TTL_IN: return 0;
    case OFPACT_STRIP_VLAN: case OFPACT_POP_MPLS: return 1;
    case OFPACT_PUSH_MPLS: return 2;
    case OFPACT_PUSH_VLAN: return 3;
    case OFPACT_COPY_TTL_OUT: return 4;
    case OFPACT_DEC_TTL: case OFPACT_DEC_MPLS_TTL: return 5;
    case OFPACT_SET_QUEUE: case OFPACT_POP_QUEUE: return 7;
    case OFPACT_GROUP: return 8;
    case OFPACT_OUTPUT: case OFPACT_ENQUEUE: case OFPACT_OUTPUT_REG: return 9;
    default: return 6;          /* The set-field family. */
    }
}

static bool
action_set_same_slot(const struct ofpact *a, const struct ofpact *b)
{
    if (action_set_order(a) == 9 && action_set_order(b) == 9) {
        return true;            /* One output. */
    }
    if (a->type != b->type) {
        return false;
    }
    return a->type != OFPACT_SET_FIELD
           || a->u.set_field.field == b->u.set_field.field;
}

static void
action_set_write(struct xlate_ctx *ctx, const struct ofpact *acts, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct ofpact *a = &acts[i];
        size_t j;
        for (j = 0; j < ctx->n_action_set; j++) {
            if (action_set_same_slot(ctx->action_set[j], a)) {
                ctx->action_set[j] = a;
                break;
            }
        }
        if (j == ctx->n_action_set && j < MAX_ACTION_SET) {
            ctx->action_set[ctx->n_action_set++] = a;
        }
    }
}

static void
action_set_execute(struct xlate_ctx *ctx)
{
    const struct ofpact *set[MAX_ACTION_SET];
    size_t n = ctx->n_action_set;
    bool has_group = false;

    memcpy(set, ctx->action_set, n * sizeof set[0]);
    for (size_t i = 1; i < n; i++) {      /* Stable insertion sort. */
        const struct ofpact *a = set[i];
        size_t j = i;
        for (; j > 0 && action_set_order(set[j - 1]) > action_set_order(a);
             j--) {
            set[j] = set[j - 1];
        }
        set[j] = a;
    }
    for (size_t i = 0; i < n; i++) {
        has_group |= set[i]->type == OFPACT_GROUP;
    }
    ctx->pin_reason = OFPR_ACTION_SET;
    for (size_t i = 0; i < n && !ctx->exit; i++) {
        if (has_group && action_set_order(set[i]) == 9) {
            continue;           /* A group takes the place of output. */
        }
        do_action(ctx, set[i]);
    }
    ctx->pin_reason = OFPR_ACTION;
}

/* ---- Meters. ---- */

static void
xlate_meter(struct xlate_ctx *ctx, uint32_t meter_id)
{
    const struct ofmeter *m = ofproto_meter_find(ctx->ofproto, meter_id);
    uint32_t dp_id = m ? dp_meters_get(ctx->xin->meters, m) : UINT32_MAX;

    if (dp_id != UINT32_MAX && ctx->n_dp_meters < ARRAY_SIZE(ctx->dp_meters)) {
        ctx->dp_meters[ctx->n_dp_meters].idx = ctx->xout->n_actions;
        ctx->dp_meters[ctx->n_dp_meters++].of_id = meter_id;
        emit(ctx, DP_ACT_METER)->meter_id = dp_id;
        return;
    }
    commit(ctx);
    emit_uop(ctx, XLATE_UOP_METER)->meter_id = meter_id;
    ctx->xout->slow |= XLATE_SLOW_METER;
}

/* A slow path result runs in xlate_execute(), which has no datapath
 * meters: its meters become userspace ones. */
static void
meters_to_userspace(struct xlate_ctx *ctx)
{
    for (size_t i = 0; i < ctx->n_dp_meters; i++) {
        struct dp_action *a = &ctx->xout->actions[ctx->dp_meters[i].idx];
        size_t n = ctx->xout->n_actions;

        emit_uop(ctx, XLATE_UOP_METER)->meter_id = ctx->dp_meters[i].of_id;
        *a = ctx->xout->actions[n];     /* The UOP action emit_uop() added. */
        ctx->xout->n_actions = n;
    }
}

/* ---- Tables. ---- */

/* Runs a rule's instructions; returns the goto_table target or -1. */
static int
run_instructions(struct xlate_ctx *ctx, const struct ofpacts *ofpacts)
{
    int next = -1;

    for (size_t i = 0; i < ofpacts->n && !ctx->exit; i++) {
        const struct ofpact *a = &ofpacts->acts[i];
        switch (a->type) {
        case OFPACT_METER:
            xlate_meter(ctx, a->u.id);
            break;
        case OFPACT_CLEAR_ACTIONS:
            ctx->n_action_set = 0;
            break;
        case OFPACT_WRITE_ACTIONS:
            action_set_write(ctx, a + 1,
                             MIN(a->n_nested, ofpacts->n - i - 1));
            i += a->n_nested;
            break;
        case OFPACT_WRITE_METADATA: {
            uint64_t md = vs_ntohll(ctx->flow.metadata);
            md = (md & ~a->u.metadata.mask)
                 | (a->u.metadata.value & a->u.metadata.mask);
            ctx->flow.metadata = vs_htonll(md);
            break;
        }
        case OFPACT_GOTO_TABLE:
            next = a->u.u8;
            break;
        default:
            do_action(ctx, a);
            break;
        }
    }
    return next;
}

/* Runs the pipeline from 'table_id'; at its end the action set runs if
 * 'run_action_set' (the top level, not a resubmit). */
static void
xlate_pipeline(struct xlate_ctx *ctx, uint8_t table_id, bool run_action_set)
{
    for (int hops = 0; hops < OFPROTO_N_TABLES && !ctx->exit; hops++) {
        struct rule *rule = ofproto_rule_lookup(ctx->ofproto, table_id,
                                                &ctx->flow, ctx->wc);
        record_table(ctx, table_id, rule != NULL);
        if (!rule) {
            return;             /* Table miss: drop, as Open vSwitch does. */
        }
        record_rule(ctx, rule);
        ctx->rule = rule;
        ctx->table_id = table_id;
        ctx->pin_reason = OFPR_ACTION;

        int next = run_instructions(ctx, &rule->ofpacts);
        if (next <= table_id) {
            /* End of the pipeline (goto_table only goes forward). */
            if (!ctx->exit && run_action_set) {
                action_set_execute(ctx);
            }
            return;
        }
        table_id = next;
    }
}

static void
xlate_table(struct xlate_ctx *ctx, uint8_t table_id)
{
    xlate_pipeline(ctx, table_id, true);
}

/* Nicira resubmit: looks the packet up again (as the pipeline has changed
 * it, with another in_port if asked) in a table, runs what matches, then
 * carries on with the actions after the resubmit, with the original
 * in_port back. */
static void
xlate_resubmit(struct xlate_ctx *ctx, const struct ofpact *a)
{
    if (ctx->depth >= MAX_RESUBMIT_DEPTH
        || ctx->n_resubmits >= MAX_RESUBMITS) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
        VLOG_WARN_RL(&rl, "resubmits nested deeper than %d or more than %d "
                     "in all: skipped", MAX_RESUBMIT_DEPTH, MAX_RESUBMITS);
        return;
    }
    ctx->n_resubmits++;
    uint8_t table_id = (a->u.resubmit.table == 255 ? ctx->table_id
                        : a->u.resubmit.table);
    if (table_id >= OFPROTO_N_TABLES) {
        return;
    }
    const struct rule *rule = ctx->rule;
    uint8_t cur_table = ctx->table_id, reason = ctx->pin_reason;
    uint32_t in_port = ctx->flow.in_port;
    if (a->u.resubmit.in_port != OFPP_IN_PORT) {
        ctx->flow.in_port = a->u.resubmit.in_port;
    }
    ctx->depth++;
    xlate_pipeline(ctx, table_id, false);
    ctx->depth--;
    ctx->flow.in_port = in_port;
    ctx->rule = rule;
    ctx->table_id = cur_table;
    ctx->pin_reason = reason;
}

/* ---- Entry points. ---- */

/* Fills the fields the datapath key lacks from the packet itself. */
static void
fill_from_packet(struct flow *flow, const void *packet, size_t len)
{
    struct dp_packet p;
    struct flow pf;

    dp_packet_use_const(&p, packet, len);
    flow_extract(&p, &pf);
    flow->vlans[1] = pf.vlans[1];
    memcpy(flow->mpls_lse, pf.mpls_lse, sizeof flow->mpls_lse);
    flow->ipv6_label = pf.ipv6_label;
    flow->arp_sha = pf.arp_sha;
    flow->arp_tha = pf.arp_tha;
    flow->nd_target = pf.nd_target;
    flow->tcp_flags = pf.tcp_flags;
    if (flow->vlans[0].tci) {
        flow->vlans[0].tpid = pf.vlans[0].tpid;
    }
}

/* True if 'wc' looks at no L3/L4 field. */
static bool
l3_is_wildcarded(const struct flow_wildcards *wc)
{
    const uint8_t *m = (const uint8_t *) &wc->masks;
    for (size_t i = offsetof(struct flow, nw_src); i < sizeof wc->masks; i++) {
        if (m[i]) {
            return false;
        }
    }
    return true;
}

static void
xlate_actions__(const struct xlate_in *xin, struct xlate_out *xout,
                bool use_packet)
{
    struct xlate_ctx *ctx = xzalloc(sizeof *ctx);

    xout->n_actions = xout->n_uops = xout->n_rules = xout->n_tables = 0;
    xout->pin_userdata_len = 0;
    xout->n_groups = 0;
    xout->n_fins = 0;
    learned_clear(xout);
    xout->slow = 0;
    flow_wildcards_init_catchall(&xout->wc);

    ctx->xin = xin;
    ctx->xout = xout;
    ctx->ofproto = xin->ofproto;
    ctx->local = xin->local_dp_port;
    ctx->wc = &xout->wc;
    ctx->pin_reason = OFPR_ACTION;
    ctx->use_packet = use_packet || !xin->key;
    ctx->inner_ttl = -1;

    if (xin->key) {
        xlate_key_to_flow(xin->key, ctx->local, &ctx->flow);
        if (xin->packet && use_packet) {
            fill_from_packet(&ctx->flow, xin->packet, xin->packet_len);
        }
    } else if (xin->packet) {
        struct dp_packet p;
        dp_packet_use_const(&p, xin->packet, xin->packet_len);
        flow_extract(&p, &ctx->flow);
    }
    if (xin->ofpacts) {
        ctx->flow.in_port = xin->of_in_port;
    }
    ctx->base = ctx->flow;
    ctx->base_in = ctx->flow;
    /* Outputs depend on the ingress port (never back out of it). */
    ctx->wc->masks.in_port = UINT32_MAX;
    if (ctx->flow.tun_id || ctx->flow.tun_dst) {
        /* From a tunnel: the datapath chose in_port by tun_src and tun_id,
         * and flow-based tunnel outputs reuse tun_id and tun_dst. */
        ctx->wc->masks.tun_id = UINT64_MAX;
        ctx->wc->masks.tun_src = UINT32_MAX;
        ctx->wc->masks.tun_dst = UINT32_MAX;
    }

    if (xin->ofpacts) {
        ctx->pin_reason = OFPR_PACKET_OUT;
        do_actions(ctx, xin->ofpacts->acts, xin->ofpacts->n);
    } else if (!(ofproto_port_config(ctx->ofproto, ctx->flow.in_port)
                 & OFPPC_NO_RECV)) {
        xlate_table(ctx, 0);
    }

    if (!eth_type_mpls(ctx->base_in.dl_type)
        && xout->wc.masks.dl_type == htons(0xffff)) {
        /* Label bits looked at after a push_mpls are the pipeline's own,
         * not the packet's (whose entries are zero: it was not MPLS). */
        memset(xout->wc.masks.mpls_lse, 0, sizeof xout->wc.masks.mpls_lse);
    }
    if (!xlate_wc_to_mask(&xout->wc, &xout->mask)) {
        xout->slow |= XLATE_SLOW_FIELDS;
    }
    if (ctx->inner_l3 && !l3_is_wildcarded(&xout->wc)) {
        /* Decided on what was under the labels: per packet, in
         * userspace. */
        xout->slow |= XLATE_SLOW_FIELDS;
    }
    uint8_t *m = (uint8_t *) &xout->mask;
    const uint8_t *em = (const uint8_t *) &ctx->extra_mask;
    for (size_t i = 0; i < sizeof xout->mask; i++) {
        m[i] |= em[i];
    }
    if (xout->n_actions > DP_MAX_ACTIONS) {
        xout->slow |= XLATE_SLOW_TOO_MANY;
    }
    if (xout->slow) {
        meters_to_userspace(ctx);
    }
    free(ctx);
}

void
xlate_actions(const struct xlate_in *xin, struct xlate_out *xout)
{
    /* Parsing the packet for the fields the key lacks is only worth it if
     * the pipeline looks at them, which the key alone shows (they are zero
     * there and the wildcards say they were looked at). */
    xlate_actions__(xin, xout, false);
    if (xin->key && xin->packet && (xout->slow & XLATE_SLOW_FIELDS)) {
        xlate_actions__(xin, xout, true);
    }
}

size_t
xlate_megaflow_actions(const struct xlate_out *xout,
                       const struct dp_action **actions)
{
    static const struct dp_action upcall = { .type = DP_ACT_UPCALL };

    if (xout->slow) {
        *actions = &upcall;
        return 1;
    }
    *actions = xout->actions;
    return xout->n_actions;
}
