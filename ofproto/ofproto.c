/* ofproto: the switch object, its configuration, its ports and the
 * pipeline API that xlate reads.  Flow tables are in ofproto-flow.c,
 * groups and meters in their own files, message handlers in
 * ofproto-handlers.c. */
#include <config.h>
#include "ofproto/ofproto.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "connmgr.h"
#include "dynamic-string.h"
#include "ofp-msgs.h"
#include "ofp-parse.h"
#include "ofp-print.h"
#include "ofproto/ofproto-provider.h"
#include "ofproto/ofproto-txn.h"
#include "poll-loop.h"
#include "timeval.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(ofproto);

/* How often timeouts are checked: OpenFlow timeouts are in seconds. */
#define EXPIRY_INTERVAL_MS 250

struct ofproto *
ofproto_create(const char *name, const char *mgmt_path,
               const struct ofproto_dp_ops *dp_ops, void *aux)
{
    struct ofproto *p = xzalloc(sizeof *p);
    p->name = xstrdup(name);
    p->dp_ops = dp_ops;
    p->dp_aux = aux;
    p->datapath_id = 0;
    p->version = 1;
    for (size_t i = 0; i < OFPROTO_N_TABLES; i++) {
        classifier_init(&p->tables[i].cls);
        table_order_init(&p->tables[i].order);
    }
    vs_list_init(&p->expirable);
    p->next_expiry_check = time_msec() + EXPIRY_INTERVAL_MS;
    hmap_init(&p->groups);
    hmap_init(&p->meters);
    hmap_init(&p->ports);
    hmap_init(&p->bundles);
    vs_list_init(&p->monitor_conns);
    p->fm_pause_limit = OFPROTO_MONITOR_PAUSE_LIMIT;
    p->connmgr = connmgr_create(p, name, mgmt_path);
    return p;
}

void
ofproto_destroy(struct ofproto *p)
{
    if (!p) {
        return;
    }
    connmgr_destroy(p->connmgr);
    p->connmgr = NULL;
    ofproto_monitor_destroy(p);
    ofproto_bundles_destroy(p);
    ofproto_flush_flows(p);
    free(p->learned_cookies.v);
    ofproto_groups_destroy(p);
    ofproto_meters_destroy(p);
    for (size_t i = 0; i < OFPROTO_N_TABLES; i++) {
        classifier_destroy(&p->tables[i].cls);
        table_order_destroy(&p->tables[i].order);
        free(p->tables[i].name);
    }
    struct ofport *port;
    HMAP_FOR_EACH_POP (port, node, &p->ports) {
        free(port);
    }
    hmap_destroy(&p->ports);
    hmap_destroy(&p->groups);
    hmap_destroy(&p->meters);
    hmap_destroy(&p->bundles);
    free(p->dp_desc);
    free(p->name);
    free(p);
}

void
ofproto_run(struct ofproto *p)
{
    connmgr_run(p->connmgr);
    long long now = time_msec();
    if (now >= p->next_expiry_check) {
        ofproto_expire(p);
        p->next_expiry_check = now + EXPIRY_INTERVAL_MS;
    }
    learned_cookies_flush(p, &p->learned_cookies);
    ofproto_monitor_run(p);
}

void
ofproto_wait(struct ofproto *p)
{
    connmgr_wait(p->connmgr);
    if (!vs_list_is_empty(&p->expirable)) {
        poll_timer_wait_until(p->next_expiry_check);
    }
    if (p->learned_cookies.n) {
        poll_immediate_wake();      /* delete_learned flows to go. */
    }
}

const char *
ofproto_name(const struct ofproto *p)
{
    return p->name;
}

struct connmgr *
ofproto_get_connmgr(struct ofproto *p)
{
    return p->connmgr;
}

void
ofproto_changed(struct ofproto *p)
{
    p->version++;
}

uint64_t
ofproto_get_version(const struct ofproto *p)
{
    return p->version;
}

/* ---- Configuration. ---- */

void
ofproto_set_datapath_id(struct ofproto *p, uint64_t dpid)
{
    p->datapath_id = dpid;
}

uint64_t
ofproto_get_datapath_id(const struct ofproto *p)
{
    return p->datapath_id;
}

void
ofproto_set_dp_desc(struct ofproto *p, const char *desc)
{
    free(p->dp_desc);
    p->dp_desc = desc ? xstrdup(desc) : NULL;
}

void
ofproto_set_versions(struct ofproto *p, uint32_t allowed)
{
    p->allowed_versions = allowed;
    connmgr_set_versions(p->connmgr, allowed);
}

void
ofproto_set_table_config(struct ofproto *p, uint8_t table_id,
                         const char *name, unsigned int flow_limit,
                         bool evict)
{
    if (table_id >= OFPROTO_N_TABLES) {
        return;
    }
    struct oftable *t = &p->tables[table_id];
    free(t->name);
    t->name = name && name[0] ? xstrdup(name) : NULL;
    t->flow_limit = flow_limit;
    t->evict = evict;
    ofproto_evict_excess(p, table_id);
}

/* ---- Ports. ---- */

struct ofport *
ofproto_port_find(const struct ofproto *p, uint32_t port_no)
{
    struct ofport *port;
    HMAP_FOR_EACH_WITH_HASH (port, node, hash_int(port_no, 0), &p->ports) {
        if (port->pp.port_no == port_no) {
            return port;
        }
    }
    return NULL;
}

static void
send_port_status(struct ofproto *p, const struct ofp_port *pp, uint8_t reason)
{
    struct ofp_port_status ps;
    memset(&ps, 0, sizeof ps);
    ps.reason = reason;
    ps.desc = *pp;
    connmgr_send_port_status(p->connmgr, &ps);
}

void
ofproto_port_add(struct ofproto *p, const struct ofp_port *desc)
{
    struct ofport *port = ofproto_port_find(p, desc->port_no);
    if (port) {
        ofproto_port_update(p, desc);
        return;
    }
    port = xzalloc(sizeof *port);
    port->pp = *desc;
    port->pp.name[OFP_MAX_PORT_NAME_LEN - 1] = '\0';
    hmap_insert(&p->ports, &port->node, hash_int(desc->port_no, 0));
    send_port_status(p, &port->pp, OFPPR_ADD);
    ofproto_changed(p);
}

void
ofproto_port_del(struct ofproto *p, uint32_t port_no)
{
    struct ofport *port = ofproto_port_find(p, port_no);
    if (port) {
        hmap_remove(&p->ports, &port->node);
        send_port_status(p, &port->pp, OFPPR_DELETE);
        free(port);
        ofproto_changed(p);
    }
}

void
ofproto_port_update(struct ofproto *p, const struct ofp_port *desc)
{
    struct ofport *port = ofproto_port_find(p, desc->port_no);
    if (!port) {
        ofproto_port_add(p, desc);
        return;
    }
    struct ofp_port pp = *desc;
    pp.config = port->pp.config;        /* The controller's bits stay. */
    pp.name[OFP_MAX_PORT_NAME_LEN - 1] = '\0';
    if (memcmp(&pp, &port->pp, sizeof pp)) {
        port->pp = pp;
        send_port_status(p, &port->pp, OFPPR_MODIFY);
        ofproto_changed(p);
    }
}

/* Changes the controller-settable config bits of 'port_no' ('mask' says
 * which); returns 0 or an OFPPMFC error. */
#define PORT_SETTABLE (OFPPC_PORT_DOWN | OFPPC_NO_RECV | OFPPC_NO_FWD \
                       | OFPPC_NO_PACKET_IN | OFPPC_NO_FLOOD)

enum ofperr
ofproto_port_check_config(const struct ofproto *p, uint32_t port_no,
                          uint32_t config, uint32_t mask)
{
    if (!ofproto_port_find(p, port_no)) {
        return OFPERR_OFPPMFC_BAD_PORT;
    }
    /* OF1.0's STP bits (no_stp 1<<1, no_recv_stp 1<<3) are accepted and
     * ignored, as there is no STP; anything else is an error. */
    if (config & mask & ~(PORT_SETTABLE | (1u << 1) | (1u << 3))) {
        return OFPERR_OFPPMFC_BAD_CONFIG;
    }
    return 0;
}

enum ofperr
ofproto_port_set_config(struct ofproto *p, uint32_t port_no,
                        uint32_t config, uint32_t mask)
{
    enum ofperr error = ofproto_port_check_config(p, port_no, config, mask);
    if (error) {
        return error;
    }
    struct ofport *port = ofproto_port_find(p, port_no);
    uint32_t settable = PORT_SETTABLE;
    uint32_t new = (port->pp.config & ~mask) | (config & mask & settable);
    if (new != port->pp.config) {
        port->pp.config = new;
        send_port_status(p, &port->pp, OFPPR_MODIFY);
        ofproto_changed(p);
    }
    return 0;
}

const struct ofp_port *
ofproto_port_get(const struct ofproto *p, uint32_t port_no)
{
    const struct ofport *port = ofproto_port_find(p, port_no);
    return port ? &port->pp : NULL;
}

static int
compare_ports(const void *a_, const void *b_)
{
    const struct ofp_port *a = *(const struct ofp_port *const *) a_;
    const struct ofp_port *b = *(const struct ofp_port *const *) b_;
    return a->port_no < b->port_no ? -1 : a->port_no > b->port_no;
}

const struct ofp_port **
ofproto_ports(const struct ofproto *p, size_t *n)
{
    const struct ofp_port **ports = xcalloc(hmap_count(&p->ports) + 1,
                                            sizeof *ports);
    size_t i = 0;
    const struct ofport *port;
    HMAP_FOR_EACH (port, node, &p->ports) {
        ports[i++] = &port->pp;
    }
    qsort(ports, i, sizeof *ports, compare_ports);
    *n = i;
    return ports;
}

uint32_t
ofproto_port_config(const struct ofproto *p, uint32_t port_no)
{
    const struct ofport *port = ofproto_port_find(p, port_no);
    return port ? port->pp.config : 0;
}

bool
ofproto_port_is_live(const struct ofproto *p, uint32_t port_no)
{
    const struct ofport *port = ofproto_port_find(p, port_no);
    return (port && !(port->pp.config & OFPPC_PORT_DOWN)
            && !(port->pp.state & OFPPS_LINK_DOWN));
}

/* ---- Pipeline access. ---- */

struct rule *
ofproto_rule_lookup(const struct ofproto *p, uint8_t table_id,
                    const struct flow *flow, struct flow_wildcards *wc)
{
    if (table_id >= OFPROTO_N_TABLES) {
        return NULL;
    }
    const struct cls_rule *cr = classifier_lookup(&p->tables[table_id].cls,
                                                  flow, wc);
    return cr ? CONTAINER_OF(cr, struct rule, cr) : NULL;
}

void
ofproto_table_count(struct ofproto *p, uint8_t table_id, bool matched,
                    uint64_t n_packets)
{
    if (table_id < OFPROTO_N_TABLES) {
        p->tables[table_id].lookup_count += n_packets;
        if (matched) {
            p->tables[table_id].matched_count += n_packets;
        }
    }
}

/* ---- Internal flows. ---- */

enum ofperr
ofproto_set_internal_flow(struct ofproto *p, const char *match_str,
                          int priority, const char *actions)
{
    struct ofp_flow_mod fm;
    ofp_flow_mod_init(&fm);
    char *err = ofp_parse_match(match_str, &fm.match, NULL);
    if (err) {
        VLOG_WARN("%s: bad internal flow match \"%s\": %s",
                  p->name, match_str, err);
        free(err);
        ofp_flow_mod_uninit(&fm);
        return OFPERR_OFPBMC_BAD_FIELD;
    }
    enum ofperr error = 0;
    if (actions) {
        err = ofp_parse_actions(actions, &fm.match, &fm.ofpacts);
        if (err) {
            VLOG_WARN("%s: bad internal flow actions \"%s\": %s",
                      p->name, actions, err);
            free(err);
            error = OFPERR_OFPBAC_BAD_ARGUMENT;
        } else {
            error = ofproto_add_rule(p, &fm, priority, OFP15_VERSION);
        }
    } else {
        struct rule_criteria c = {
            .table_id = 0, .match = &fm.match, .strict = true,
            .priority = priority, .out_port = OFPP_ANY,
            .out_group = OFPG_ANY, .include_hidden = true,
        };
        size_t n;
        struct rule **rules = ofproto_collect_rules(p, &c, &n);
        for (size_t i = 0; i < n; i++) {
            ofproto_rule_delete(p, rules[i], OFPRR_DELETE);
        }
        free(rules);
    }
    ofp_flow_mod_uninit(&fm);
    return error;
}

/* ---- Text. ---- */

void
ofproto_dump_flows(const struct ofproto *p, bool hidden, struct ds *s)
{
    struct rule_criteria c = {
        .table_id = OFPTT_ALL, .match = NULL, .out_port = OFPP_ANY,
        .out_group = OFPG_ANY, .include_hidden = hidden,
    };
    size_t n;
    struct rule **rules = ofproto_collect_rules(p, &c, &n);
    for (size_t i = 0; i < n; i++) {
        /* The layout of Open vSwitch's bridge/dump-flows. */
        const struct rule *r = rules[i];
        uint32_t sec, nsec;
        rule_duration(r, &sec, &nsec);
        if (r->table_id) {
            ds_put_format(s, "table_id=%u, ", r->table_id);
        }
        ds_put_format(s, "duration=%"PRIu32"s, n_packets=%"PRIu64", "
                      "n_bytes=%"PRIu64", ", sec, r->packet_count,
                      r->byte_count);
        if (r->cookie) {
            ds_put_format(s, "cookie=0x%"PRIx64", ", r->cookie);
        }
        if (r->idle_timeout) {
            ds_put_format(s, "idle_timeout=%u, ", r->idle_timeout);
        }
        if (r->hard_timeout) {
            ds_put_format(s, "hard_timeout=%u, ", r->hard_timeout);
        }
        /* Always print the priority: hidden ones are above 0xffff. */
        ds_put_format(s, "priority=%d", r->cr.priority);
        struct ds m = DS_EMPTY_INITIALIZER;
        ofp_match_format(&r->cr.match, OFP_DEFAULT_PRIORITY, &m);
        if (m.length) {
            ds_put_format(s, ",%s", ds_cstr(&m));
        }
        ds_destroy(&m);
        ds_put_cstr(s, ",actions=");
        ofpacts_format(&r->ofpacts, s);
        ds_put_char(s, '\n');
    }
    free(rules);
}
