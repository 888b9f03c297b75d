/* Database configuration source (see cfg-ovsdb.h). */
#include <config.h>
#include "vswitchd/cfg-ovsdb.h"
#include <errno.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "datapath/dpif.h"
#include "datapath/netdev-linux.h"
#include "datapath/tunnel.h"
#include "dynamic-string.h"
#include "ofproto/connmgr.h"
#include "ovsdb/idl.h"
#include "poll-loop.h"
#include "timeval.h"
#include "util.h"
#include "vlog.h"
#include "vswitchd/bridge.h"
#include "vswitchd/openflow-cfg.h"

VLOG_DEFINE_THIS_MODULE(cfg_ovsdb);

#define RECONNECT_MS 1000
#define CONNECT_TIMEOUT_MS 2000
#define COMMIT_TIMEOUT_MS 2000

struct cfg_ovsdb {
    char *remote;
    struct ovsdb_idl *idl;        /* NULL until the first connection. */
    long long next_connect;       /* Next first-connection attempt. */
    bool connected;               /* For logging connection changes. */
    unsigned int applied_seqno;   /* IDL seqno of the applied config. */
    bool need_apply;
    long long next_cfg;           /* Open_vSwitch next_cfg applied. */
};

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

struct cfg_ovsdb *
cfg_ovsdb_create(const char *remote)
{
    struct cfg_ovsdb *db = xzalloc(sizeof *db);
    db->remote = xstrdup(remote);
    return db;
}

void
cfg_ovsdb_destroy(struct cfg_ovsdb *db)
{
    if (db) {
        ovsdb_idl_destroy(db->idl);
        free(db->remote);
        free(db);
    }
}

static bool
try_connect(struct cfg_ovsdb *db)
{
    static const char *const tables[] = {
        "Open_vSwitch", "Bridge", "Port", "Interface", "Controller",
        "Flow_Table", "SSL", "QoS", "Queue",
    };
    char *err = NULL;

    db->idl = ovsdb_idl_create(db->remote, "Open_vSwitch",
                               CONNECT_TIMEOUT_MS, &err);
    if (!db->idl) {
        VLOG_WARN_RL(&rl, "%s: %s", db->remote, err ? err : "cannot connect");
        free(err);
        db->next_connect = time_msec() + RECONNECT_MS;
        return false;
    }
    for (size_t i = 0; i < ovsdb_idl_n_tables(db->idl); i++) {
        struct idl_table *t = ovsdb_idl_table_at(db->idl, i);
        bool want = false;
        for (size_t j = 0; j < ARRAY_SIZE(tables); j++) {
            want |= !strcmp(t->name, tables[j]);
        }
        ovsdb_idl_set_monitored(db->idl, t->name, want);
    }
    if (ovsdb_idl_monitor(db->idl, CONNECT_TIMEOUT_MS, &err)) {
        VLOG_WARN_RL(&rl, "%s: monitor: %s", db->remote, err ? err : "failed");
        free(err);
        ovsdb_idl_destroy(db->idl);
        db->idl = NULL;
        db->next_connect = time_msec() + RECONNECT_MS;
        return false;
    }
    /* From now on the IDL reconnects by itself (with backoff) and swaps in
     * a new snapshot; the replica, and so the configuration, stays as it
     * was while the server is away. */
    ovsdb_idl_set_reconnect(db->idl, true);
    db->connected = true;
    VLOG_INFO("%s: connected", db->remote);
    db->need_apply = true;
    return true;
}

static struct idl_row *
root_row(struct cfg_ovsdb *db)
{
    struct idl_table *t = ovsdb_idl_get_table(db->idl, "Open_vSwitch");
    return t ? idl_table_first(t) : NULL;
}

/* Rows referenced by uuid column 'col' of 'row' in table 'tname'. */
static size_t
refs(struct cfg_ovsdb *db, const struct idl_row *row, const char *col,
     const char *tname, struct idl_row ***rowsp)
{
    struct idl_table *t = ovsdb_idl_get_table(db->idl, tname);
    const struct idl_column *c = idl_table_get_column(row->table, col);
    const struct idl_datum *d = c ? idl_row_get(row, c) : NULL;
    size_t n = 0;

    *rowsp = xcalloc(d && d->n ? d->n : 1, sizeof **rowsp);
    for (size_t i = 0; d && t && i < d->n; i++) {
        struct idl_row *r = idl_table_find_row(t, d->keys[i].string);
        if (r) {
            (*rowsp)[n++] = r;
        }
    }
    return n;
}

static const char *
map_get(const struct idl_row *row, const char *col, const char *key)
{
    const struct idl_column *c = idl_table_get_column(row->table, col);
    const struct idl_datum *d = c ? idl_row_get(row, c) : NULL;
    for (size_t i = 0; d && d->values && i < d->n; i++) {
        if (!strcmp(d->keys[i].string, key)) {
            return d->values[i].string;
        }
    }
    return NULL;
}

static long long
map_get_num(const struct idl_row *row, const char *col, const char *key)
{
    const char *s = map_get(row, col, key);
    long long n;
    return s && str_to_llong(s, 10, &n) && n > 0 ? n : 0;
}

static long long opt_int(const struct idl_row *, const char *col,
                         long long dflt);

static char *
map_dup(const struct idl_row *row, const char *col, const char *key)
{
    const char *v = map_get(row, col, key);
    return v ? xstrdup(v) : NULL;
}

/* The QoS row 'port' refers to with its Queue rows, or NULL. */
static struct vs_qos_cfg *
build_qos(struct cfg_ovsdb *db, const struct idl_row *port)
{
    struct idl_row **rows;
    size_t n = refs(db, port, "qos", "QoS", &rows);
    struct idl_row *row = n ? rows[0] : NULL;
    free(rows);
    if (!row) {
        return NULL;
    }
    struct vs_qos_cfg *qos = xzalloc(sizeof *qos);
    const char *type = idl_row_get_string(row, "type");
    qos->type = xstrdup(type ? type : "");
    qos->max_rate = map_dup(row, "other_config", "max-rate");

    /* queues: a map from queue number to Queue row. */
    struct idl_table *qt = ovsdb_idl_get_table(db->idl, "Queue");
    const struct idl_column *c = idl_table_get_column(row->table, "queues");
    const struct idl_datum *d = c ? idl_row_get(row, c) : NULL;
    qos->queues = xcalloc(d && d->n ? d->n : 1, sizeof *qos->queues);
    for (size_t i = 0; qt && d && d->values && i < d->n; i++) {
        struct idl_row *q = idl_table_find_row(qt, d->values[i].string);
        if (!q) {
            continue;
        }
        struct vs_queue_cfg *qc = &qos->queues[qos->n_queues++];
        qc->id = d->keys[i].integer;
        qc->min_rate = map_dup(q, "other_config", "min-rate");
        qc->max_rate = map_dup(q, "other_config", "max-rate");
        qc->burst = map_dup(q, "other_config", "burst");
        qc->priority = map_dup(q, "other_config", "priority");
        qc->dscp = opt_int(q, "dscp", -1);
    }
    return qos;
}

static void
build_port(struct cfg_ovsdb *db, const struct idl_row *port,
           const struct idl_row *iface, struct vs_port_cfg *p)
{
    const struct idl_column *c;
    const struct idl_datum *d;

    memset(p, 0, sizeof *p);
    p->name = xstrdup(idl_row_get_string(iface, "name"));
    p->type = xstrdup(idl_row_get_string(iface, "type")
                      ? idl_row_get_string(iface, "type") : "");
    p->tag = idl_row_get_int(port, "tag", -1);
    p->ofport_request = idl_row_get_int(iface, "ofport_request", 0);
    const char *mode = idl_row_get_string(port, "vlan_mode");
    p->vlan_mode = mode ? xstrdup(mode) : NULL;
    c = idl_table_get_column(port->table, "trunks");
    d = c ? idl_row_get(port, c) : NULL;
    p->trunks = xcalloc(d && d->n ? d->n : 1, sizeof *p->trunks);
    for (size_t i = 0; d && i < d->n; i++) {
        p->trunks[p->n_trunks++] = d->keys[i].integer;
    }
    c = idl_table_get_column(iface->table, "options");
    d = c ? idl_row_get(iface, c) : NULL;
    if (d && d->n && d->values) {
        struct ds s = DS_EMPTY_INITIALIZER;
        for (size_t i = 0; i < d->n; i++) {
            ds_put_format(&s, "%s%s=%s", i ? "," : "", d->keys[i].string,
                          d->values[i].string);
        }
        p->options = ds_steal_cstr(&s);
    }
    p->qos = build_qos(db, port);
    p->ingress_policing_rate = opt_int(iface, "ingress_policing_rate", 0);
    p->ingress_policing_burst = opt_int(iface, "ingress_policing_burst", 0);
}

/* An optional integer column; 'dflt' when empty. */
static long long
opt_int(const struct idl_row *row, const char *col, long long dflt)
{
    const struct idl_column *c = idl_table_get_column(row->table, col);
    const struct idl_datum *d = c ? idl_row_get(row, c) : NULL;
    return d && d->n ? d->keys[0].integer : dflt;
}

static void
build_controller(const struct idl_row *row, struct vs_controller_cfg *c)
{
    const char *mode = idl_row_get_string(row, "connection_mode");
    long long probe = opt_int(row, "inactivity_probe", -1);

    memset(c, 0, sizeof *c);
    c->target = xstrdup(idl_row_get_string(row, "target")
                        ? idl_row_get_string(row, "target") : "");
    c->max_backoff_ms = opt_int(row, "max_backoff", 0);
    /* The column's 0 means "no probes"; connmgr's 0 means "default". */
    c->probe_interval_ms = probe < 0 ? 0 : probe == 0 ? -1
                           : probe < 1000 ? 1000 : probe;
    c->rate_limit = opt_int(row, "controller_rate_limit", 0);
    c->burst_limit = opt_int(row, "controller_burst_limit", 0);
    if (mode && !strcmp(mode, "in-band")) {
        VLOG_WARN_RL(&rl, "controller %s: in-band connection_mode is not "
                     "supported; connecting out of band", c->target);
    }
}

static void
build_openflow(struct cfg_ovsdb *db, const struct idl_row *br,
               struct vs_openflow_cfg *of)
{
    const char *name = idl_row_get_string(br, "name");
    const struct idl_column *c;
    const struct idl_datum *d;
    struct idl_row **rows;
    size_t n;

    memset(of, 0, sizeof *of);
    n = refs(db, br, "controller", "Controller", &rows);
    of->controllers = xcalloc(n ? n : 1, sizeof *of->controllers);
    for (size_t i = 0; i < n; i++) {
        struct vs_controller_cfg *cc = &of->controllers[of->n_controllers];
        build_controller(rows[i], cc);
        if (!cc->target[0]) {
            free(cc->target);
            continue;
        }
        of->n_controllers++;
    }
    free(rows);

    const char *fail_mode = idl_row_get_string(br, "fail_mode");
    of->fail_secure = fail_mode && !strcmp(fail_mode, "secure");

    c = idl_table_get_column(br->table, "protocols");
    d = c ? idl_row_get(br, c) : NULL;
    if (d && d->n) {
        const char **names = xcalloc(d->n, sizeof *names);
        for (size_t i = 0; i < d->n; i++) {
            names[i] = d->keys[i].string;
        }
        of->versions = vs_openflow_versions(names, d->n);
        free(names);
    }

    const char *dpid = map_get(br, "other_config", "datapath-id");
    if (dpid && !vs_dpid_from_string(dpid, &of->datapath_id)) {
        VLOG_WARN_RL(&rl, "%s: other_config:datapath-id \"%s\" is not 16 "
                     "hex digits; using the default", name, dpid);
    }
    const char *desc = map_get(br, "other_config", "dp-desc");
    of->dp_desc = desc ? xstrdup(desc) : NULL;

    /* flow_tables: a map from table number to Flow_Table row. */
    struct idl_table *ft = ovsdb_idl_get_table(db->idl, "Flow_Table");
    c = idl_table_get_column(br->table, "flow_tables");
    d = c ? idl_row_get(br, c) : NULL;
    of->tables = xcalloc(d && d->n ? d->n : 1, sizeof *of->tables);
    for (size_t i = 0; ft && d && d->values && i < d->n; i++) {
        struct idl_row *row = idl_table_find_row(ft, d->values[i].string);
        if (!row) {
            continue;
        }
        struct vs_flow_table_cfg *t = &of->tables[of->n_tables++];
        const char *tname = idl_row_get_string(row, "name");
        const char *policy = idl_row_get_string(row, "overflow_policy");
        long long limit = opt_int(row, "flow_limit", 0);
        t->table_id = d->keys[i].integer;
        t->name = tname ? xstrdup(tname) : NULL;
        t->flow_limit = limit > 0 && limit < UINT32_MAX ? limit : 0;
        t->evict = policy && !strcmp(policy, "evict");
    }
    vs_flow_tables_sort(of);
}

static void
build_cfg(struct cfg_ovsdb *db, struct vs_cfg *cfg)
{
    struct idl_row *root = root_row(db), **brs;
    memset(cfg, 0, sizeof *cfg);
    if (!root) {
        return;
    }
    size_t n_br = refs(db, root, "bridges", "Bridge", &brs);
    cfg->bridges = xcalloc(n_br ? n_br : 1, sizeof *cfg->bridges);
    for (size_t i = 0; i < n_br; i++) {
        struct vs_bridge_cfg *b = &cfg->bridges[cfg->n_bridges++];
        struct idl_row **ports;
        const char *dpt = idl_row_get_string(brs[i], "datapath_type");

        b->name = xstrdup(idl_row_get_string(brs[i], "name"));
        b->datapath_type = xstrdup(dpt ? dpt : "");
        b->mac_aging = map_get_num(brs[i], "other_config", "mac-aging-time");
        b->mac_table_size = map_get_num(brs[i], "other_config",
                                        "mac-table-size");
        b->flow_idle_ms = map_get_num(root, "other_config", "max-idle");
        b->flow_limit = map_get_num(root, "other_config", "flow-limit");
        build_openflow(db, brs[i], &b->of);
        size_t n_ports = refs(db, brs[i], "ports", "Port", &ports);
        b->ports = xcalloc(n_ports ? n_ports : 1, sizeof *b->ports);
        for (size_t j = 0; j < n_ports; j++) {
            struct idl_row **ifaces;
            size_t n_if = refs(db, ports[j], "interfaces", "Interface",
                               &ifaces);
            /* One interface per port (no bonds on this datapath yet). */
            if (n_if) {
                build_port(db, ports[j], ifaces[0], &b->ports[b->n_ports++]);
            }
            free(ifaces);
        }
        free(ports);
    }
    free(brs);
}

bool
cfg_ovsdb_run(struct cfg_ovsdb *db, struct vs_cfg *cfg)
{
    if (!db->idl) {
        if (time_msec() < db->next_connect || !try_connect(db)) {
            return false;
        }
    }
    ovsdb_idl_run(db->idl, 0);
    bool connected = ovsdb_idl_is_connected(db->idl);
    if (connected != db->connected) {
        db->connected = connected;
        if (connected) {
            VLOG_INFO("%s: reconnected", db->remote);
        } else {
            VLOG_WARN("%s: connection lost; keeping the current "
                      "configuration", db->remote);
        }
    }
    if (!connected) {
        return false;
    }
    unsigned int seqno = ovsdb_idl_get_seqno(db->idl);
    if (!db->need_apply && seqno == db->applied_seqno) {
        return false;
    }
    db->need_apply = false;
    db->applied_seqno = seqno;
    struct idl_row *root = root_row(db);
    db->next_cfg = root ? idl_row_get_int(root, "next_cfg", 0) : 0;
    build_cfg(db, cfg);
    return true;
}

bool
cfg_ovsdb_get_ssl(struct cfg_ovsdb *db, struct cfg_ovsdb_ssl *ssl)
{
    struct idl_row *root = db->idl ? root_row(db) : NULL, **rows;
    memset(ssl, 0, sizeof *ssl);
    if (!root || !refs(db, root, "ssl", "SSL", &rows)) {
        if (root) {
            free(rows);
        }
        return false;
    }
    ssl->private_key = idl_row_get_string(rows[0], "private_key");
    ssl->certificate = idl_row_get_string(rows[0], "certificate");
    ssl->ca_cert = idl_row_get_string(rows[0], "ca_cert");
    const struct idl_column *c = idl_table_get_column(rows[0]->table,
                                                      "bootstrap_ca_cert");
    const struct idl_datum *d = c ? idl_row_get(rows[0], c) : NULL;
    ssl->bootstrap_ca_cert = d && d->n && d->keys[0].boolean;
    free(rows);
    return true;
}

void
cfg_ovsdb_wait(struct cfg_ovsdb *db)
{
    if (!db->idl) {
        poll_timer_wait_until(db->next_connect);
        return;
    }
    ovsdb_idl_wait(db->idl);
}

/* ---- status ---------------------------------------------------------- */

static void datum_smap(struct idl_datum *, const char *const *keys,
                       char **values, size_t n);

static void
write_if_changed(struct ovsdb_idl_txn *txn, struct idl_row *row,
                 const char *col, struct idl_datum *d)
{
    const struct idl_column *c = idl_table_get_column(row->table, col);
    if (!c) {
        return;
    }
    const struct idl_datum *cur = idl_row_get(row, c);
    if (cur && idl_datum_equals(cur, d, &c->type)) {
        idl_datum_destroy(d, &c->type);
        return;
    }
    ovsdb_idl_txn_write(txn, row, c, d);
}

static void
datum_int(struct idl_datum *d, long long v)
{
    idl_datum_init_empty(d);
    d->n = 1;
    d->keys = xmalloc(sizeof *d->keys);
    d->keys[0].integer = v;
}

static void
datum_str(struct idl_datum *d, const char *s)
{
    idl_datum_init_empty(d);
    if (s) {
        d->n = 1;
        d->keys = xmalloc(sizeof *d->keys);
        d->keys[0].string = xstrdup(s);
    }
}

static void
datum_strs(struct idl_datum *d, const char *const *s, size_t n)
{
    idl_datum_init_empty(d);
    d->keys = xcalloc(n ? n : 1, sizeof *d->keys);
    for (size_t i = 0; i < n; i++) {
        d->keys[d->n++].string = xstrdup(s[i]);  /* 's' is sorted. */
    }
}

static bool
read_sys_counter(const char *dev, const char *name, long long *v)
{
    char path[128];
    snprintf(path, sizeof path, "/sys/class/net/%s/statistics/%s", dev, name);
    FILE *f = fopen(path, "r");
    bool ok = f && fscanf(f, "%lld", v) == 1;
    if (f) {
        fclose(f);
    }
    return ok;
}

static void
datum_stats(struct idl_datum *d, const char *dev)
{
    /* Sorted by name, as a datum must be. */
    static const char *const names[] = {
        "rx_bytes", "rx_dropped", "rx_errors", "rx_packets",
        "tx_bytes", "tx_dropped", "tx_errors", "tx_packets",
    };
    idl_datum_init_empty(d);
    d->keys = xcalloc(ARRAY_SIZE(names), sizeof *d->keys);
    d->values = xcalloc(ARRAY_SIZE(names), sizeof *d->values);
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        long long v;
        if (read_sys_counter(dev, names[i], &v)) {
            d->keys[d->n].string = xstrdup(names[i]);
            d->values[d->n++].integer = v;
        }
    }
}

/* The same from the datapath's own counters (tunnel Interfaces). */
static void
datum_dp_stats(struct idl_datum *d, const struct dpif_port_stats *st)
{
    static const char *const names[] = {    /* Sorted. */
        "rx_bytes", "rx_packets", "tx_bytes", "tx_packets",
    };
    const uint64_t values[] = {
        st->rx_bytes, st->rx_packets, st->tx_bytes, st->tx_packets,
    };
    idl_datum_init_empty(d);
    d->keys = xcalloc(ARRAY_SIZE(names), sizeof *d->keys);
    d->values = xcalloc(ARRAY_SIZE(names), sizeof *d->values);
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        d->keys[d->n].string = xstrdup(names[i]);
        d->values[d->n++].integer = values[i];
    }
}

static void
report_iface(struct ovsdb_idl_txn *txn, const char *br, struct idl_row *iface,
             bool stats)
{
    const char *name = idl_row_get_string(iface, "name");
    const struct vs_port_status *st = bridge_port_status(br, name);
    struct idl_datum d;

    if (!name || !st) {
        return;
    }
    datum_int(&d, st->error ? -1 : (long long) st->ofport);
    write_if_changed(txn, iface, "ofport", &d);
    datum_str(&d, st->error);
    write_if_changed(txn, iface, "error", &d);
    /* Why the port's QoS or ingress policing is not in force. */
    static const char *const status_keys[] = { "qos_error" };
    char *status_values[] = { st->qos_error };
    datum_smap(&d, status_keys, status_values, ARRAY_SIZE(status_keys));
    write_if_changed(txn, iface, "status", &d);

    /* A tunnel Interface is no netdev (its traffic goes through a shared
     * one): up while it is in the datapath, as Open vSwitch shows it. */
    bool tunnel = tunnel_type_from_name(idl_row_get_string(iface, "type"));
    bool exists = !tunnel && if_nametoindex(name) != 0;
    uint8_t mac[6];
    char macs[18];
    int mtu;
    unsigned int flags = 0;
    if (exists && !netdev_get_mac(name, mac)) {
        snprintf(macs, sizeof macs, "%02x:%02x:%02x:%02x:%02x:%02x",
                 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
        datum_str(&d, macs);
    } else {
        datum_str(&d, NULL);
    }
    write_if_changed(txn, iface, "mac_in_use", &d);
    if (exists && !netdev_get_mtu(name, &mtu)) {
        datum_int(&d, mtu);
    } else {
        idl_datum_init_empty(&d);
    }
    write_if_changed(txn, iface, "mtu", &d);
    if (exists) {
        netdev_get_flags(name, &flags);
    }
    if (tunnel && !st->error) {
        flags = IFF_UP | IFF_RUNNING;
    }
    exists |= tunnel && !st->error;
    datum_str(&d, !exists ? NULL : flags & IFF_UP ? "up" : "down");
    write_if_changed(txn, iface, "admin_state", &d);
    datum_str(&d, !exists ? NULL : flags & IFF_RUNNING ? "up" : "down");
    write_if_changed(txn, iface, "link_state", &d);
    struct dpif_port_stats ps;
    if (stats && tunnel && bridge_port_dp_stats(br, name, &ps)) {
        datum_dp_stats(&d, &ps);
        write_if_changed(txn, iface, "statistics", &d);
    } else if (stats && exists && !tunnel) {
        datum_stats(&d, name);
        write_if_changed(txn, iface, "statistics", &d);
    }
}

static void
datum_bool(struct idl_datum *d, bool b)
{
    idl_datum_init_empty(d);
    d->n = 1;
    d->keys = xmalloc(sizeof *d->keys);
    d->keys[0].boolean = b;
}

/* A string map from 'n' pairs whose keys are already sorted; pairs with a
 * NULL value are left out. */
static void
datum_smap(struct idl_datum *d, const char *const *keys, char **values,
           size_t n)
{
    idl_datum_init_empty(d);
    d->keys = xcalloc(n ? n : 1, sizeof *d->keys);
    d->values = xcalloc(n ? n : 1, sizeof *d->values);
    for (size_t i = 0; i < n; i++) {
        if (values[i]) {
            d->keys[d->n].string = xstrdup(keys[i]);
            d->values[d->n++].string = xstrdup(values[i]);
        }
    }
}

static void
report_controller(struct ovsdb_idl_txn *txn, struct idl_row *row,
                  const struct ofproto_controller_status *st)
{
    static const char *const keys[] = {   /* Sorted. */
        "last_error", "sec_since_connect", "sec_since_disconnect", "state",
    };
    char *values[ARRAY_SIZE(keys)] = {
        st->last_error,
        st->sec_since_connect >= 0
        ? xasprintf("%d", st->sec_since_connect) : NULL,
        st->sec_since_disconnect >= 0
        ? xasprintf("%d", st->sec_since_disconnect) : NULL,
        (char *) st->state,
    };
    struct idl_datum d;

    datum_bool(&d, st->is_connected);
    write_if_changed(txn, row, "is_connected", &d);
    /* The column is an enum: a value outside it would fail the whole
     * status transaction (cur_cfg included). */
    const char *role = st->is_connected ? st->role : NULL;
    if (role && strcmp(role, "other") && strcmp(role, "master")
        && strcmp(role, "slave")) {
        role = NULL;
    }
    datum_str(&d, role);
    write_if_changed(txn, row, "role", &d);
    datum_smap(&d, keys, values, ARRAY_SIZE(keys));
    write_if_changed(txn, row, "status", &d);
    free(values[1]);
    free(values[2]);
}

/* Bridge datapath_id and the status of the bridge's Controller rows. */
static void
report_openflow(struct cfg_ovsdb *db, struct ovsdb_idl_txn *txn,
                struct idl_row *br)
{
    const char *brname = idl_row_get_string(br, "name");
    struct ofproto_controller_status *st;
    struct idl_row **rows;
    struct idl_datum d;
    uint64_t dpid;
    size_t n_st;

    if (!brname) {
        return;
    }
    if (bridge_get_datapath_id(brname, &dpid)) {
        char buf[17];
        vs_dpid_format(dpid, buf);
        datum_str(&d, buf);
        write_if_changed(txn, br, "datapath_id", &d);
    }
    bridge_get_controller_status(brname, &st, &n_st);
    size_t n = refs(db, br, "controller", "Controller", &rows);
    for (size_t i = 0; i < n; i++) {
        const char *target = idl_row_get_string(rows[i], "target");
        for (size_t j = 0; target && j < n_st; j++) {
            if (!strcmp(st[j].target, target)) {
                report_controller(txn, rows[i], &st[j]);
                break;
            }
        }
    }
    free(rows);
    connmgr_free_controller_status(st, n_st);
}

bool
cfg_ovsdb_report(struct cfg_ovsdb *db, bool applied, bool stats)
{
    static const char *const dp_types[] = { "xdp" };
    static const char *const if_types[] = { "geneve", "internal", "system",
                                            "tap", "vxlan" };
    struct idl_row *root, **brs;
    struct idl_datum d;

    if (!db->idl || !ovsdb_idl_is_connected(db->idl)
        || !(root = root_row(db))) {
        return true;
    }
    struct ovsdb_idl_txn *txn = ovsdb_idl_txn_create(db->idl);
    datum_str(&d, PACKAGE_VERSION);
    write_if_changed(txn, root, "ovs_version", &d);
    datum_strs(&d, dp_types, ARRAY_SIZE(dp_types));
    write_if_changed(txn, root, "datapath_types", &d);
    datum_strs(&d, if_types, ARRAY_SIZE(if_types));
    write_if_changed(txn, root, "iface_types", &d);

    size_t n_br = refs(db, root, "bridges", "Bridge", &brs);
    for (size_t i = 0; i < n_br; i++) {
        const char *brname = idl_row_get_string(brs[i], "name");
        struct idl_row **ports;

        report_openflow(db, txn, brs[i]);
        size_t n_ports = refs(db, brs[i], "ports", "Port", &ports);
        for (size_t j = 0; j < n_ports; j++) {
            struct idl_row **ifaces;
            size_t n_if = refs(db, ports[j], "interfaces", "Interface",
                               &ifaces);
            for (size_t k = 0; k < n_if; k++) {
                report_iface(txn, brname, ifaces[k], stats);
            }
            free(ifaces);
        }
        free(ports);
    }
    free(brs);
    if (applied) {
        datum_int(&d, db->next_cfg);
        write_if_changed(txn, root, "cur_cfg", &d);
    }
    enum ovsdb_idl_txn_status status
        = ovsdb_idl_txn_commit_block(txn, COMMIT_TIMEOUT_MS);
    if (status == IDL_TXN_ERROR) {
        VLOG_WARN_RL(&rl, "writing status: %s",
                     ovsdb_idl_txn_get_error(txn));
    }
    ovsdb_idl_txn_destroy(txn);
    return status == IDL_TXN_SUCCESS || status == IDL_TXN_UNCHANGED;
}
