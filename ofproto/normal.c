/* NORMAL switching translation (see normal.h). */
#include <config.h>
#include "ofproto/normal.h"
#include <string.h>
#include "ofproto/mac-learning.h"
#include "util.h"

void
normal_bridge_init(struct normal_bridge *br, struct mac_learning *ml)
{
    hmap_init(&br->ports);
    br->ml = ml;
}

void
normal_bridge_destroy(struct normal_bridge *br)
{
    struct normal_port *p;
    HMAP_FOR_EACH_POP (p, node, &br->ports) {
        free(p);
    }
    hmap_destroy(&br->ports);
}

struct normal_port *
normal_port_find(const struct normal_bridge *br, uint32_t port_no)
{
    struct normal_port *p;
    HMAP_FOR_EACH_WITH_HASH (p, node, hash_int(port_no, 0), &br->ports) {
        if (p->port_no == port_no) {
            return p;
        }
    }
    return NULL;
}

void
normal_port_set(struct normal_bridge *br, uint32_t port_no,
                enum port_vlan_mode mode, int tag, const int *trunks,
                size_t n_trunks)
{
    struct normal_port *p = normal_port_find(br, port_no);
    if (!p) {
        p = xzalloc(sizeof *p);
        p->port_no = port_no;
        hmap_insert(&br->ports, &p->node, hash_int(port_no, 0));
    }
    if (tag < 0 || tag > 4095) {
        tag = -1;
    }
    if (mode == PORT_VLAN_DEFAULT) {
        mode = tag >= 0 ? PORT_VLAN_ACCESS : PORT_VLAN_TRUNK;
    }
    if (mode != PORT_VLAN_TRUNK && tag < 0) {
        /* access/native without a tag: VLAN 0. */
        tag = 0;
    }
    p->mode = mode;
    p->tag = tag;
    memset(p->trunks, 0, sizeof p->trunks);
    p->all_trunks = n_trunks == 0;
    for (size_t i = 0; i < n_trunks; i++) {
        if (trunks[i] >= 0 && trunks[i] < 4096) {
            p->trunks[trunks[i] / 8] |= 1 << (trunks[i] % 8);
        }
    }
}

void
normal_port_remove(struct normal_bridge *br, uint32_t port_no)
{
    struct normal_port *p = normal_port_find(br, port_no);
    if (p) {
        hmap_remove(&br->ports, &p->node);
        free(p);
    }
}

bool
port_vlan_mode_from_string(const char *s, enum port_vlan_mode *mode)
{
    static const char *const names[] = {
        "", "access", "trunk", "native-tagged", "native-untagged",
    };
    if (!s) {
        s = "";
    }
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (!strcmp(s, names[i])) {
            *mode = i;
            return true;
        }
    }
    return false;
}

static bool
trunk_has(const struct normal_port *p, int vlan)
{
    return p->all_trunks || (p->trunks[vlan / 8] & (1 << (vlan % 8)));
}

/* The VLAN a frame belongs to on input port 'p', -1 to drop it.
 * 'vid' is the frame's VID, -1 if untagged. */
static int
input_vlan(const struct normal_port *p, int vid)
{
    switch (p->mode) {
    case PORT_VLAN_ACCESS:
        /* A priority-tagged frame (VID 0) is untagged for this purpose. */
        return vid <= 0 ? p->tag : -1;
    case PORT_VLAN_TRUNK:
        vid = vid < 0 ? 0 : vid;
        return trunk_has(p, vid) ? vid : -1;
    case PORT_VLAN_NATIVE_TAGGED:
    case PORT_VLAN_NATIVE_UNTAGGED:
        if (vid <= 0) {
            return p->tag;
        }
        return vid == p->tag || trunk_has(p, vid) ? vid : -1;
    case PORT_VLAN_DEFAULT:
    default:
        return -1;
    }
}

/* How VLAN 'vlan' leaves port 'p': -1 not at all, 0 untagged, 1 tagged. */
static int
output_encap(const struct normal_port *p, int vlan)
{
    switch (p->mode) {
    case PORT_VLAN_ACCESS:
        return vlan == p->tag ? 0 : -1;
    case PORT_VLAN_TRUNK:
        return trunk_has(p, vlan) ? (vlan != 0) : -1;
    case PORT_VLAN_NATIVE_TAGGED:
        return vlan == p->tag || trunk_has(p, vlan) ? (vlan != 0) : -1;
    case PORT_VLAN_NATIVE_UNTAGGED:
        if (vlan == p->tag) {
            return 0;
        }
        return trunk_has(p, vlan) ? (vlan != 0) : -1;
    case PORT_VLAN_DEFAULT:
    default:
        return -1;
    }
}

static void
add_action(struct normal_xlate *x, uint16_t type, uint16_t tci, uint32_t port)
{
    if (x->n_actions < NORMAL_MAX_ACTIONS) {
        struct dp_action *a = &x->actions[x->n_actions++];
        a->type = type;
        a->tci = tci;
        a->port = port;
    }
}

/* Emits the actions that bring the frame from its current encapsulation
 * ('*tagged') to 'want' (0 untagged, 1 tagged with 'vlan'). */
static void
set_encap(struct normal_xlate *x, int *tagged, int want, int vlan, int pcp)
{
    if (*tagged == want) {
        return;
    }
    if (*tagged) {
        add_action(x, DP_ACT_POP_VLAN, 0, 0);
    } else {
        add_action(x, DP_ACT_PUSH_VLAN, vlan | (pcp << DP_VLAN_PCP_SHIFT), 0);
    }
    *tagged = want;
}

void
normal_xlate(struct normal_bridge *br, const struct dp_key *key, bool learn,
             long long now, struct normal_xlate *x)
{
    const struct normal_port *in;
    int vid = key->vlan_tci & DP_VLAN_PRESENT
              ? key->vlan_tci & DP_VLAN_VID_MASK : -1;
    int pcp = key->vlan_tci >> DP_VLAN_PCP_SHIFT;

    memset(&x->mask, 0, sizeof x->mask);
    x->n_actions = 0;
    x->learned = false;
    x->mask.in_port = UINT32_MAX;
    x->mask.vlan_tci = DP_VLAN_PRESENT | DP_VLAN_VID_MASK;

    in = normal_port_find(br, key->in_port);
    int vlan = in ? input_vlan(in, vid) : -1;
    if (vlan < 0) {
        return;                 /* Unknown port or VLAN not allowed: drop. */
    }

    /* Learning looks at the source; the megaflow must match it so a new
     * source comes up again. */
    memset(x->mask.eth_src, 0xff, 6);
    if (learn && br->ml) {
        x->learned = mac_learning_learn(br->ml, key->eth_src, vlan,
                                        key->in_port, now);
    }

    memset(x->mask.eth_dst, 0xff, 6);
    int tagged = vid >= 0;
    uint32_t out = 0;
    if (!mac_is_multicast(key->eth_dst) && br->ml) {
        out = mac_learning_lookup(br->ml, key->eth_dst, vlan);
    }
    if (out) {
        const struct normal_port *p = normal_port_find(br, out);
        int encap = p ? output_encap(p, vlan) : -1;
        if (out != key->in_port && encap >= 0) {
            set_encap(x, &tagged, encap, vlan, pcp);
            add_action(x, DP_ACT_OUTPUT, 0, out);
        }
        return;
    }

    /* Flood within the VLAN, never back to the ingress port: first the
     * ports that take the frame as it is, then the others. */
    const struct normal_port *p;
    size_t n_out = 0, n_same = 0, n_ports = hmap_count(&br->ports);
    for (int pass = 0; pass < 2; pass++) {
        int want = pass == 0 ? tagged : !tagged;
        HMAP_FOR_EACH (p, node, &br->ports) {
            if (p->port_no != key->in_port
                && output_encap(p, vlan) == want) {
                set_encap(x, &tagged, want, vlan, pcp);
                add_action(x, DP_ACT_OUTPUT, 0, p->port_no);
                n_out++;
                n_same += pass == 0;
            }
        }
    }
    /* Every other port, unchanged: the datapath's flood (an XDP devmap
     * broadcast where it can). */
    if (n_out && n_out == n_same && n_out + 1 == n_ports) {
        x->n_actions = 0;
        add_action(x, DP_ACT_FLOOD, 0, 0);
    }
}
