/* xlate: datapath key <-> OpenFlow flow, wildcards -> megaflow mask. */
#include <config.h>
#include "ofproto/xlate.h"
#include <string.h>
#include "match.h"
#include "packets.h"

uint32_t
xlate_of_port(uint32_t dp_port, uint32_t local_dp_port)
{
    return local_dp_port && dp_port == local_dp_port ? OFPP_LOCAL : dp_port;
}

uint32_t
xlate_dp_port(uint32_t of_port, uint32_t local_dp_port)
{
    if (of_port == OFPP_LOCAL) {
        return local_dp_port;
    }
    return of_port < DP_MAX_PORTS ? of_port : 0;
}

void
xlate_key_to_flow(const struct dp_key *k, uint32_t local_dp_port,
                  struct flow *f)
{
    memset(f, 0, sizeof *f);
    f->in_port = xlate_of_port(k->in_port, local_dp_port);
    memcpy(f->dl_dst.ea, k->eth_dst, 6);
    memcpy(f->dl_src.ea, k->eth_src, 6);
    f->dl_type = k->eth_type;
    if (k->vlan_tci & DP_VLAN_PRESENT) {
        f->vlans[0].tpid = htons(ETH_TYPE_VLAN_8021Q);
        f->vlans[0].tci = htons(k->vlan_tci | VLAN_CFI);
    }
    f->nw_src = k->nw_src;
    f->nw_dst = k->nw_dst;
    memcpy(&f->ipv6_src, k->ipv6_src, 16);
    memcpy(&f->ipv6_dst, k->ipv6_dst, 16);
    f->nw_proto = k->nw_proto;
    f->nw_tos = k->nw_tos;
    f->nw_ttl = k->nw_ttl;
    f->nw_frag = k->nw_frag & (DP_FRAG_ANY | DP_FRAG_LATER);
    f->tp_src = k->tp_src;
    f->tp_dst = k->tp_dst;
    if (eth_type_mpls(k->eth_type)) {
        f->mpls_lse[0] = k->mpls_lse;
    }
    f->tun_id = k->tun_id;
    f->tun_src = k->tun_src;
    f->tun_dst = k->tun_dst;
}

void
xlate_flow_to_key(const struct flow *f, uint32_t local_dp_port,
                  struct dp_key *k)
{
    memset(k, 0, sizeof *k);
    k->in_port = xlate_dp_port(f->in_port, local_dp_port);
    memcpy(k->eth_dst, f->dl_dst.ea, 6);
    memcpy(k->eth_src, f->dl_src.ea, 6);
    k->eth_type = f->dl_type;
    if (f->vlans[0].tci & htons(VLAN_CFI)) {
        k->vlan_tci = ntohs(f->vlans[0].tci) | DP_VLAN_PRESENT;
    }
    k->nw_src = f->nw_src;
    k->nw_dst = f->nw_dst;
    memcpy(k->ipv6_src, &f->ipv6_src, 16);
    memcpy(k->ipv6_dst, &f->ipv6_dst, 16);
    k->nw_proto = f->nw_proto;
    k->nw_tos = f->nw_tos;
    k->nw_ttl = f->nw_ttl;
    k->nw_frag = f->nw_frag;
    k->tp_src = f->tp_src;
    k->tp_dst = f->tp_dst;
    if (eth_type_mpls(f->dl_type)) {
        k->mpls_lse = f->mpls_lse[0];
    }
    k->tun_id = f->tun_id;
    k->tun_src = f->tun_src;
    k->tun_dst = f->tun_dst;
}

static bool
is_zero(const void *p_, size_t n)
{
    const uint8_t *p = p_;
    for (size_t i = 0; i < n; i++) {
        if (p[i]) {
            return false;
        }
    }
    return true;
}

bool
xlate_wc_to_mask(const struct flow_wildcards *wc, struct dp_key *m)
{
    const struct flow *w = &wc->masks;

    memset(m, 0, sizeof *m);
    /* Port numbers are mapped, so only "exact" makes sense. */
    m->in_port = w->in_port ? UINT32_MAX : 0;
    memcpy(m->eth_dst, w->dl_dst.ea, 6);
    memcpy(m->eth_src, w->dl_src.ea, 6);
    m->eth_type = w->dl_type;
    m->vlan_tci = ntohs(w->vlans[0].tci);
    m->nw_src = w->nw_src;
    m->nw_dst = w->nw_dst;
    memcpy(m->ipv6_src, &w->ipv6_src, 16);
    memcpy(m->ipv6_dst, &w->ipv6_dst, 16);
    m->nw_proto = w->nw_proto;
    m->nw_tos = w->nw_tos;
    m->nw_ttl = w->nw_ttl;
    m->nw_frag = w->nw_frag & (DP_FRAG_ANY | DP_FRAG_LATER);
    m->tp_src = w->tp_src;
    m->tp_dst = w->tp_dst;
    m->mpls_lse = w->mpls_lse[0];
    m->tun_id = w->tun_id;
    m->tun_src = w->tun_src;
    m->tun_dst = w->tun_dst;

    /* Packet fields the datapath key has no room for. */
    return !w->vlans[1].tci
           && !w->mpls_lse[1] && !w->mpls_lse[2]
           && !w->ipv6_label
           && eth_addr_is_zero(w->arp_sha) && eth_addr_is_zero(w->arp_tha)
           && is_zero(&w->nd_target, sizeof w->nd_target)
           && !w->tcp_flags;
}
