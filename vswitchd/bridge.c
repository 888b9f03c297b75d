/* bridge: configuration -> dp_switch objects (see bridge.h). */
#include <config.h>
#include "vswitchd/bridge.h"
#include <errno.h>
#include <string.h>
#include "datapath/dpif.h"
#include "datapath/tunnel.h"
#include "dynamic-string.h"
#include "hmap.h"
#include "ofproto/dp-switch.h"
#include "util.h"
#include "vlog.h"
#include "vswitchd/bridge-openflow.h"
#include "vswitchd/bridge-qos.h"
#include "ofproto/ofproto.h"
#include "vswitchd/openflow-cfg.h"
#include "ofproto/connmgr.h"

VLOG_DEFINE_THIS_MODULE(bridge);

struct port {
    struct hmap_node node;      /* In bridge 'ports', by name. */
    char *name;
    char *type;
    char *options;
    uint32_t port_no;           /* 0 if not in the datapath. */
    int ofport_request;         /* What it was added with, 0: none. */
    struct vs_port_status status;
    struct port_qos *qos;       /* NULL until QoS/policing is asked for. */
};

struct bridge {
    struct hmap_node node;      /* In 'all_bridges', by name. */
    char *name;
    struct dp_switch *sw;       /* NULL if the datapath failed. */
    struct bridge_openflow *of; /* NULL iff 'sw' is. */
    struct hmap ports;
    bool seen;
};

static struct hmap all_bridges = HMAP_INITIALIZER(&all_bridges);

static struct bridge *
find_bridge(const char *name)
{
    struct bridge *br;
    HMAP_FOR_EACH_WITH_HASH (br, node, hash_string(name, 0), &all_bridges) {
        if (!strcmp(br->name, name)) {
            return br;
        }
    }
    return NULL;
}

static struct port *
find_port(const struct bridge *br, const char *name)
{
    struct port *p;
    HMAP_FOR_EACH_WITH_HASH (p, node, hash_string(name, 0), &br->ports) {
        if (!strcmp(p->name, name)) {
            return p;
        }
    }
    return NULL;
}

static bool
str_eq(const char *a, const char *b)
{
    return !strcmp(a ? a : "", b ? b : "");
}

static void
port_destroy(struct bridge *br, struct port *p, bool del_from_dp)
{
    if (del_from_dp) {
        port_qos_destroy(p->qos, p->name);
    } else {
        port_qos_forget(p->qos);
    }
    if (del_from_dp && br->sw && p->port_no) {
        int error = dp_switch_port_del(br->sw, p->name);
        if (error) {
            VLOG_WARN("%s: removing port %s: %s", br->name, p->name,
                      vs_strerror(error));
        } else {
            VLOG_INFO("%s: removed port %s", br->name, p->name);
        }
    }
    hmap_remove(&br->ports, &p->node);
    free(p->name);
    free(p->type);
    free(p->options);
    free(p->status.error);
    free(p->status.qos_error);
    free(p);
}

static void
bridge_destroy(struct bridge *br, bool delete_dp)
{
    struct port *p, *next;
    HMAP_FOR_EACH_SAFE (p, next, node, &br->ports) {
        if (delete_dp) {
            /* The ports stay: give them back their own qdiscs. */
            port_qos_destroy(p->qos, p->name);
            p->qos = NULL;
        }
        port_destroy(br, p, false);
    }
    hmap_destroy(&br->ports);
    bridge_openflow_destroy(br->of);
    dp_switch_destroy(br->sw, delete_dp);
    hmap_remove(&all_bridges, &br->node);
    free(br->name);
    free(br);
}

/* QoS and ingress policing of port 'p' (in the datapath), and the
 * datapath's paths that must pass them. */
static void
port_apply_qos(struct bridge *br, struct port *p, const struct vs_port_cfg *c)
{
    free(p->status.qos_error);
    /* An internal port's ingress hook sees what the switch sends to the
     * host, not what the host sends in: not a place to police. */
    struct vs_port_cfg qc = *c;
    bool no_police = !strcmp(p->type, "internal") && c->ingress_policing_rate;
    if (no_police) {
        qc.ingress_policing_rate = 0;
    }
    p->status.qos_error = port_qos_apply(&p->qos, p->name, &qc);
    if (port_qos_take_changed(p->qos)) {
        ofproto_queues_changed(dp_switch_get_ofproto(br->sw));
    }
    if (no_police && !p->status.qos_error) {
        p->status.qos_error = xstrdup("ingress policing is not supported on "
                                      "internal ports");
    }
    /* XDP runs before tc: a policed port's packets must all take the tc
     * path, where the policer filter comes first. */
    struct dpif *dpif = dp_switch_get_dpif(br->sw);
    int error = dpif_port_set_tc_only(dpif, p->port_no,
                                      qc.ingress_policing_rate > 0);
    if (error && !p->status.qos_error) {
        p->status.qos_error = xasprintf("ingress policing: datapath cannot "
                                        "pass all packets to tc: %s",
                                        vs_strerror(error));
    }
    /* And what goes out of a port with QoS must pass its qdisc, queued
     * or not (unqueued traffic takes the default class, as in OVS). */
    error = dpif_port_set_qdisc_egress(dpif, p->port_no,
                                       port_qos_has_qdisc(p->qos));
    if (error && !p->status.qos_error) {
        p->status.qos_error = xasprintf("QoS: datapath cannot send through "
                                        "the qdisc: %s", vs_strerror(error));
    }
}

static void
port_apply(struct bridge *br, struct port *p, const struct vs_port_cfg *c)
{
    enum port_vlan_mode mode = PORT_VLAN_DEFAULT;

    free(p->status.error);
    p->status.error = NULL;
    if (!br->sw) {
        p->status.error = xstrdup("bridge has no datapath");
        return;
    }
    if (!p->port_no && tunnel_type_from_name(p->type)) {
        /* Say what is wrong with the options, not just "invalid". */
        struct tunnel_cfg tc;
        char *msg;
        if (tunnel_cfg_parse(p->type, p->options, &tc, &msg)) {
            p->status.error = msg;
            VLOG_WARN("%s: %s: %s", br->name, p->name, msg);
            return;
        }
    }
    if (!p->port_no) {
        struct dpif_port existing;
        bool adopt = !dpif_port_query_by_name(dp_switch_get_dpif(br->sw),
                                              p->name, &existing);
        uint32_t port_no;
        int error = dp_switch_port_add_at(br->sw, p->name, p->type,
                                          p->options, c->ofport_request,
                                          &port_no);
        if (error == EBUSY && tunnel_type_from_name(p->type)) {
            p->status.error = xasprintf("could not add %s port %s: another "
                                        "bridge's tunnels use its UDP port "
                                        "(set options:dst_port)", p->type,
                                        p->name);
            VLOG_WARN("%s: %s", br->name, p->status.error);
            return;
        }
        if (error) {
            p->status.error = xasprintf("could not add %s port %s: %s",
                                        p->type && p->type[0] ? p->type
                                        : "system", p->name,
                                        vs_strerror(error));
            VLOG_WARN("%s: %s", br->name, p->status.error);
            return;
        }
        p->port_no = port_no;
        p->ofport_request = c->ofport_request;
        VLOG_INFO("%s: %s port %s as datapath port %u", br->name,
                  adopt ? "adopted" : "added", p->name, port_no);
    }
    p->status.ofport = p->port_no;
    if (!port_vlan_mode_from_string(c->vlan_mode, &mode)) {
        p->status.error = xasprintf("unknown vlan_mode \"%s\"", c->vlan_mode);
    }
    dp_switch_port_set_vlan(br->sw, p->port_no, mode, c->tag, c->trunks,
                            c->n_trunks);
    /* Only a port in the datapath: never the qdiscs of other devices. */
    port_apply_qos(br, p, c);
}

static void
bridge_apply(struct bridge *br, const struct vs_bridge_cfg *c)
{
    struct port *p, *next;

    if (br->sw) {
        dp_switch_set_mac_aging(br->sw, c->mac_aging);
        dp_switch_set_mac_table_size(br->sw, c->mac_table_size);
        dp_switch_set_flow_idle(br->sw, c->flow_idle_ms);
        dp_switch_set_flow_limit(br->sw, c->flow_limit);
    }
    /* Ports that went away, or whose type or options changed. */
    HMAP_FOR_EACH_SAFE (p, next, node, &br->ports) {
        const struct vs_port_cfg *pc = NULL;
        for (size_t i = 0; i < c->n_ports; i++) {
            if (!strcmp(c->ports[i].name, p->name)) {
                pc = &c->ports[i];
            }
        }
        /* A new ofport_request renumbers the port (delete, add again). */
        if (!pc || !str_eq(pc->type, p->type)
            || !str_eq(pc->options, p->options)
            || (pc->ofport_request
                && pc->ofport_request != p->ofport_request
                && (uint32_t) pc->ofport_request != p->port_no)) {
            port_destroy(br, p, true);
        }
    }
    /* Ports that ask for a number first, so that one without a request
     * does not take it. */
    for (size_t k = 0; k < 2 * c->n_ports; k++) {
        const struct vs_port_cfg *pc = &c->ports[k % c->n_ports];
        if ((k < c->n_ports) != (pc->ofport_request != 0)) {
            continue;
        }
        p = find_port(br, pc->name);
        if (!p) {
            p = xzalloc(sizeof *p);
            p->name = xstrdup(pc->name);
            p->type = xstrdup(pc->type ? pc->type : "");
            p->options = pc->options ? xstrdup(pc->options) : NULL;
            hmap_insert(&br->ports, &p->node, hash_string(p->name, 0));
        }
        port_apply(br, p, pc);
    }
    /* Ports an adopted datapath has but the configuration does not. */
    if (br->sw) {
        struct dpif_port *dports;
        size_t n;
        dpif_port_dump(dp_switch_get_dpif(br->sw), &dports, &n);
        for (size_t i = 0; i < n; i++) {
            if (!find_port(br, dports[i].name)) {
                VLOG_INFO("%s: removing unconfigured port %s", br->name,
                          dports[i].name);
                dp_switch_port_del(br->sw, dports[i].name);
            }
        }
        free(dports);
        /* After the ports: the default datapath id comes from the MAC of
         * the bridge's own port. */
        bridge_openflow_apply(br->of, &c->of);
    }
}

/* ofproto's view of the ports' queues (aux: the struct bridge). */
static size_t
bridge_port_queues(void *br_, const char *name, bool stats,
                   struct ofproto_queue **queues, uint64_t *port_rate)
{
    struct port *p = find_port(br_, name);
    *queues = NULL;
    *port_rate = 0;
    return p ? port_qos_queues(p->qos, p->name, stats, queues, port_rate) : 0;
}

static const struct ofproto_queue_ops bridge_queue_ops = {
    .port_queues = bridge_port_queues,
};

void
bridge_reconfigure(const struct vs_cfg *cfg)
{
    struct bridge *br, *next;

    HMAP_FOR_EACH (br, node, &all_bridges) {
        br->seen = false;
    }
    for (size_t i = 0; i < cfg->n_bridges; i++) {
        const struct vs_bridge_cfg *c = &cfg->bridges[i];
        br = find_bridge(c->name);
        if (!br) {
            br = xzalloc(sizeof *br);
            br->name = xstrdup(c->name);
            hmap_init(&br->ports);
            hmap_insert(&all_bridges, &br->node, hash_string(br->name, 0));
            int error = dp_switch_create(c->name, c->datapath_type, &br->sw);
            if (error) {
                VLOG_ERR("%s: cannot open datapath: %s%s", c->name,
                         vs_strerror(error), error == EMEDIUMTYPE
                         ? " (the BPF pin directory must be on a bpffs; "
                           "see VS_BPF_DIR)" : "");
            } else {
                br->of = bridge_openflow_create(br->sw);
                ofproto_set_queue_ops(dp_switch_get_ofproto(br->sw),
                                      &bridge_queue_ops, br);
                VLOG_INFO("%s: datapath %s ready", c->name, c->name);
            }
        }
        br->seen = true;
        bridge_apply(br, c);
    }
    HMAP_FOR_EACH_SAFE (br, next, node, &all_bridges) {
        if (!br->seen) {
            VLOG_INFO("%s: deleting bridge", br->name);
            bridge_destroy(br, true);
        }
    }
}

const struct vs_port_status *
bridge_port_status(const char *brname, const char *portname)
{
    struct bridge *br = find_bridge(brname);
    struct port *p = br ? find_port(br, portname) : NULL;
    if (p && p->port_no && br->of) {
        /* Asked afresh: the switch learns about ports as they come. */
        p->status.ofport = bridge_openflow_ofport(br->of, p->name,
                                                  p->port_no);
    }
    return p ? &p->status : NULL;
}

bool
bridge_port_dp_stats(const char *brname, const char *portname,
                     struct dpif_port_stats *st)
{
    struct bridge *br = find_bridge(brname);
    struct port *p = br ? find_port(br, portname) : NULL;
    return p && p->port_no && br->sw
           && !dpif_port_get_stats(dp_switch_get_dpif(br->sw), p->port_no, st);
}

bool
bridge_get_datapath_id(const char *name, uint64_t *dpid)
{
    struct bridge *br = find_bridge(name);
    *dpid = br && br->of ? bridge_openflow_datapath_id(br->of) : 0;
    return *dpid != 0;
}

void
bridge_get_controller_status(const char *name,
                             struct ofproto_controller_status **st,
                             size_t *n)
{
    struct bridge *br = find_bridge(name);
    *st = NULL;
    *n = 0;
    if (br && br->of) {
        bridge_openflow_controller_status(br->of, st, n);
    }
}

uint32_t
bridge_controller_status_hash(void)
{
    struct bridge *br;
    uint32_t hash = 0;

    HMAP_FOR_EACH (br, node, &all_bridges) {
        struct ofproto_controller_status *st;
        size_t n;
        if (!br->of) {
            continue;
        }
        bridge_openflow_controller_status(br->of, &st, &n);
        for (size_t i = 0; i < n; i++) {
            hash = hash_string(st[i].target, hash);
            hash = hash_string(st[i].role ? st[i].role : "", hash);
            hash = hash_string(st[i].state ? st[i].state : "", hash);
            hash = hash_string(st[i].last_error ? st[i].last_error : "",
                               hash);
            hash = hash_bytes(&st[i].is_connected,
                              sizeof st[i].is_connected, hash);
        }
        connmgr_free_controller_status(st, n);
    }
    return hash;
}

bool
bridge_dump_openflow(const char *name, struct ds *s)
{
    struct bridge *br = find_bridge(name);
    if (!br || !br->of) {
        return false;
    }
    bridge_openflow_dump_flows(br->of, s);
    return true;
}

void
bridge_run(void)
{
    struct bridge *br;
    HMAP_FOR_EACH (br, node, &all_bridges) {
        if (br->sw) {
            dp_switch_run(br->sw);
        }
    }
}

void
bridge_wait(void)
{
    struct bridge *br;
    HMAP_FOR_EACH (br, node, &all_bridges) {
        if (br->sw) {
            dp_switch_wait(br->sw);
        }
    }
}

void
bridge_exit(bool delete_dps)
{
    struct bridge *br, *next;
    HMAP_FOR_EACH_SAFE (br, next, node, &all_bridges) {
        bridge_destroy(br, delete_dps);
    }
}

struct dp_switch *
bridge_find(const char *name)
{
    struct bridge *br = find_bridge(name);
    return br ? br->sw : NULL;
}

void
bridge_list(struct ds *s)
{
    struct bridge *br;
    HMAP_FOR_EACH (br, node, &all_bridges) {
        ds_put_format(s, "%s\n", br->name);
    }
}

void
bridge_memory_usage(struct ds *s)
{
    struct bridge *br;
    size_t n_ports = 0, n_macs = 0, n_flows = 0;

    HMAP_FOR_EACH (br, node, &all_bridges) {
        n_ports += hmap_count(&br->ports);
        if (br->sw) {
            struct dpif_dp_stats st;
            dpif_get_stats(dp_switch_get_dpif(br->sw), &st);
            n_flows += st.n_flows;
            n_macs += dp_switch_mac_count(br->sw);
        }
    }
    ds_put_format(s, "bridges:%zu ports:%zu mac-entries:%zu megaflows:%zu\n",
                  hmap_count(&all_bridges), n_ports, n_macs, n_flows);
}
