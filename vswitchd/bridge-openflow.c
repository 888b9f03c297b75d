/* The OpenFlow side of one bridge (see bridge-openflow.h). */
#include <config.h>
#include "vswitchd/bridge-openflow.h"
#include <string.h>
#include "datapath/netdev-linux.h"
#include "dynamic-string.h"
#include "match.h"
#include "ofproto/connmgr.h"
#include "ofproto/dp-switch.h"
#include "ofproto/ofproto.h"
#include "util.h"
#include "vlog.h"
#include "vswitchd/bridge.h"
#include "vswitchd/openflow-cfg.h"

VLOG_DEFINE_THIS_MODULE(bridge_openflow);

struct bridge_openflow {
    struct dp_switch *sw;           /* Not owned. */
    struct vs_openflow_cfg applied; /* What the switch was last told. */
    bool have_applied;              /* False until the first apply. */
};

struct bridge_openflow *
bridge_openflow_create(struct dp_switch *sw)
{
    struct bridge_openflow *bo = xzalloc(sizeof *bo);
    bo->sw = sw;
    return bo;
}

void
bridge_openflow_destroy(struct bridge_openflow *bo)
{
    if (bo) {
        vs_openflow_cfg_destroy(&bo->applied);
        free(bo);
    }
}

static struct ofproto *
ofproto_of(const struct bridge_openflow *bo)
{
    return dp_switch_get_ofproto(bo->sw);
}

/* The configured datapath id, else one from the MAC of the bridge's own
 * internal port (named like the bridge), else one from the name: stable
 * across restarts and port changes. */
static uint64_t
pick_datapath_id(const struct bridge_openflow *bo,
                 const struct vs_openflow_cfg *cfg)
{
    const char *name = dp_switch_name(bo->sw);
    uint8_t mac[6];

    if (cfg->datapath_id) {
        return cfg->datapath_id;
    }
    if (!netdev_get_mac(name, mac)
        && (mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5])) {
        return vs_dpid_from_mac(mac);
    }
    return vs_dpid_from_name(name);
}

static void
apply_tables(struct ofproto *of, const struct vs_openflow_cfg *old,
             const struct vs_openflow_cfg *new)
{
    /* Tables no longer configured go back to the defaults. */
    for (size_t i = 0; i < old->n_tables; i++) {
        bool still = false;
        for (size_t j = 0; j < new->n_tables; j++) {
            still |= new->tables[j].table_id == old->tables[i].table_id;
        }
        if (!still) {
            ofproto_set_table_config(of, old->tables[i].table_id, NULL, 0,
                                     false);
        }
    }
    for (size_t i = 0; i < new->n_tables; i++) {
        const struct vs_flow_table_cfg *t = &new->tables[i];
        ofproto_set_table_config(of, t->table_id, t->name, t->flow_limit,
                                 t->evict);
    }
}

static void
apply_controllers(struct connmgr *cm, const struct vs_openflow_cfg *cfg)
{
    struct ofproto_controller *c = xcalloc(cfg->n_controllers
                                           ? cfg->n_controllers : 1,
                                           sizeof *c);
    for (size_t i = 0; i < cfg->n_controllers; i++) {
        const struct vs_controller_cfg *cc = &cfg->controllers[i];
        c[i].target = cc->target;
        c[i].max_backoff_ms = cc->max_backoff_ms;
        c[i].probe_interval_ms = cc->probe_interval_ms;
        c[i].rate_limit = cc->rate_limit;
        c[i].burst_limit = cc->burst_limit;
    }
    connmgr_set_controllers(cm, c, cfg->n_controllers);
    free(c);
}

void
bridge_openflow_apply(struct bridge_openflow *bo,
                      const struct vs_openflow_cfg *cfg)
{
    struct ofproto *of = ofproto_of(bo);
    struct connmgr *cm = of ? ofproto_get_connmgr(of) : NULL;
    const struct vs_openflow_cfg *old = &bo->applied;
    bool first = !bo->have_applied;
    const char *name = dp_switch_name(bo->sw);

    if (!of || !cm) {
        return;
    }
    uint64_t dpid = pick_datapath_id(bo, cfg);
    if (dpid != ofproto_get_datapath_id(of)) {
        char buf[17];
        vs_dpid_format(dpid, buf);
        VLOG_INFO("%s: datapath id %s", name, buf);
        ofproto_set_datapath_id(of, dpid);
    }
    if (first || strcmp(old->dp_desc ? old->dp_desc : "",
                        cfg->dp_desc ? cfg->dp_desc : "")) {
        ofproto_set_dp_desc(of, cfg->dp_desc);
    }
    if (first || old->versions != cfg->versions) {
        ofproto_set_versions(of, cfg->versions);
    }
    if (first || !vs_flow_tables_equal(old, cfg)) {
        apply_tables(of, old, cfg);
    }
    if (first || !vs_controllers_equal(old->controllers, old->n_controllers,
                                       cfg->controllers,
                                       cfg->n_controllers)) {
        VLOG_INFO("%s: %zu controller%s", name, cfg->n_controllers,
                  cfg->n_controllers == 1 ? "" : "s");
        apply_controllers(cm, cfg);
    }
    enum ofproto_fail_mode mode = cfg->fail_secure ? OFPROTO_FAIL_SECURE
                                                   : OFPROTO_FAIL_STANDALONE;
    if (first || old->fail_secure != cfg->fail_secure) {
        connmgr_set_fail_mode(cm, mode);
    }
    /* Only on a change: a controller may have deleted the NORMAL flow, and
     * an unrelated database change must not bring it back. */
    if (first || old->fail_secure != cfg->fail_secure
        || !old->n_controllers != !cfg->n_controllers) {
        dp_switch_set_controllers_configured(bo->sw, cfg->n_controllers > 0,
                                             mode);
    }
    vs_openflow_cfg_destroy(&bo->applied);
    vs_openflow_cfg_clone(&bo->applied, cfg);
    bo->have_applied = true;
}

uint64_t
bridge_openflow_datapath_id(const struct bridge_openflow *bo)
{
    struct ofproto *of = ofproto_of(bo);
    return of ? ofproto_get_datapath_id(of) : 0;
}

void
bridge_openflow_controller_status(const struct bridge_openflow *bo,
                                  struct ofproto_controller_status **st,
                                  size_t *n)
{
    struct ofproto *of = ofproto_of(bo);
    *st = NULL;
    *n = 0;
    if (of) {
        connmgr_get_controller_status(ofproto_get_connmgr(of), st, n);
    }
}

uint32_t
bridge_openflow_ofport(const struct bridge_openflow *bo, const char *devname,
                       uint32_t dp_port_no)
{
    struct ofproto *of = ofproto_of(bo);
    uint32_t ofport = dp_port_no;
    size_t n;

    if (!of) {
        return ofport;
    }
    const struct ofp_port **ports = ofproto_ports(of, &n);
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(ports[i]->name, devname)) {
            /* The database speaks 16-bit port numbers, as Open vSwitch
             * does: LOCAL is 65534 there, not OpenFlow 1.1's 0xfffffffe. */
            uint16_t port16;
            ofport = (ofp_port_to_ofp10(ports[i]->port_no, &port16)
                      ? port16 : ports[i]->port_no);
            break;
        }
    }
    free(ports);
    return ofport;
}

void
bridge_openflow_dump_flows(const struct bridge_openflow *bo, struct ds *s)
{
    struct ofproto *of = ofproto_of(bo);
    if (of) {
        ofproto_dump_flows(of, true, s);
    }
}
