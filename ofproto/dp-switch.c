/* dp-switch: a bridge's OpenFlow pipeline over a dpif (see dp-switch.h). */
#include <config.h>
#include "ofproto/dp-switch.h"
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "coverage.h"
#include "datapath/dpif.h"
#include "datapath/netdev-linux.h"
#include "dirs.h"
#include "dp-packet.h"
#include "dynamic-string.h"
#include "handle-pool.h"
#include "ofp-parse.h"
#include "ofproto/connmgr.h"
#include "ofproto/dp-meters.h"
#include "ofproto/mac-learning.h"
#include "ofproto/ofproto.h"
#include "ofproto/xlate.h"
#include "poll-loop.h"
#include "timeval.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(dp_switch);
COVERAGE_DEFINE(dp_switch_upcall);
COVERAGE_DEFINE(dp_switch_flow_put);
COVERAGE_DEFINE(dp_switch_revalidate);
COVERAGE_DEFINE(dp_switch_flow_expired);
COVERAGE_DEFINE(dp_switch_flow_evicted);
COVERAGE_DEFINE(dp_switch_flow_adopted);
COVERAGE_DEFINE(dp_switch_pass_dump);
COVERAGE_DEFINE(dp_switch_pass_records);
/* FIN or RST seen on a megaflow with fin_timeout actions: in the
 * datapath's counters (a pass) or in an upcalled packet. */
COVERAGE_DEFINE(dp_switch_fin_counters);
COVERAGE_DEFINE(dp_switch_fin_upcall);

#define UPCALL_BATCH 64
#define REVALIDATE_MIN_MS 100     /* At most this often on changes. */
#define MAINTAIN_MS 1000          /* Expiry and MAC refresh period. */

/* A revalidation pass goes over the megaflows a piece at a time (one
 * piece per dp_switch_run()), so that upcalls are handled in between: a
 * pass over tens of thousands of megaflows in one go stalled flow setup
 * for a few hundred ms every second. */
#define REVALIDATE_CHUNK 2048     /* Megaflows per piece. */

/* A pass reads the megaflows' counters by handle, from memory the
 * datapath shares (dpif_flow_stats_by_handle()), and walks the records:
 * a dump of every megaflow is a kernel walk of the whole flow table, a
 * few ms per 10,000 flows, and it stalled flow setup.  Every DUMP_PASS_MS,
 * and whenever reading by handle fails, a pass dumps the datapath
 * instead, to take in flows put by others (vs-dpctl, the vs-vswitchd
 * before a restart: the first pass always dumps) and to drop records of
 * flows deleted behind our back. */
#define DUMP_PASS_MS 10000       /* VS_DUMP_PASS_MS overrides, for tests. */

struct reval_pass {
    bool active;
    bool recheck, maintain;
    bool from_dump;               /* Walks a dump, not the records. */
    uint64_t cursor;              /* dpif_flow_dump_chunk()'s, or the
                                   * last handle walked. */
    uint64_t seq;                 /* MAC table seq at the start. */
    uint64_t last_seq;            /* ... at the end of the last piece. */
    bool dirty;                   /* It changed between pieces. */
    uint64_t version;             /* ofproto version at the start. */
    size_t n_live;                /* Megaflows kept so far. */
};

struct dp_switch {
    char *name;
    struct dpif *dpif;
    struct mac_learning *ml;
    struct normal_bridge nb;
    long long flow_idle_ms;
    size_t flow_limit;
    bool reserving;               /* Records still being made ahead. */

    struct ofproto *ofproto;      /* The OpenFlow tables; owned. */
    struct dp_meters *meters;     /* OpenFlow meters in the datapath. */
    uint32_t local_dp_port;       /* The bridge's internal port, 0: none. */
    bool normal_flow;             /* The priority-0 NORMAL flow is in. */
    struct xlate_out xout;        /* Scratch for translations. */
    struct handle_pool megaflows; /* struct megaflow, by handle. */
    struct upcall_batch *batch;   /* Scratch for dp_switch_run(). */

    uint64_t revalidated_seq;     /* MAC table seq at the last pass. */
    uint64_t revalidated_version; /* ofproto version at the last pass. */
    bool ports_changed;
    bool more_upcalls;            /* The last batch was full. */
    bool dp_full;                 /* A flow_put found the datapath full. */
    struct reval_pass pass;       /* The revalidation pass under way. */
    /* Records are marked with the number of the pass that found them, and
     * counted, so that a pass need not walk them all to clear marks first
     * and, when it found every one, to look for those it did not. */
    uint64_t pass_no;
    size_t n_seen;                /* Records marked with 'pass_no'. */
    long long next_revalidate;
    long long next_maintain;
    bool stats_by_handle;         /* The dpif counts flows by handle. */
    bool dump_due;                /* The next pass dumps the datapath. */
    long long next_dump_pass;
    long long dump_pass_ms;
    unsigned int spin_backoff;    /* See handle_upcalls(). */
    unsigned int spin_skip;
};

/* Hits kept inside a megaflow record, so that the usual record (a rule or
 * two, no group) is a single malloc. */
#define MF_INLINE_RULES 4
#define MF_INLINE_TABLES 4
#define MF_INLINE_GROUPS 2

/* What userspace remembers of one installed megaflow: the OpenFlow rules
 * that produced it, so the datapath's counters can be credited to them.
 * The datapath keeps 'handle' with the flow and dumps give it back. */
struct megaflow {
    uint32_t handle;              /* In dp_switch 'megaflows'. */
    struct dp_key key, mask;      /* 'key' masked by 'mask'. */
    struct rule **rules;          /* Valid while 'version' is current. */
    size_t n_rules;
    struct xlate_table_hit *tables;
    size_t n_tables;
    struct xlate_group_hit *groups;
    size_t n_groups;
    struct xlate_fin_hit *fins;   /* fin_timeout actions run (rare: always
                                   * on the heap, NULL if none). */
    size_t n_fins;
    uint64_t version;             /* ofproto_get_version() at translation. */
    bool slow;                    /* UPCALL-only: packets counted at upcall. */
    uint64_t seen_pass;           /* Last pass that found it ('pass_no'). */
    uint64_t packets, bytes;      /* Datapath counters already credited. */
    uint64_t actions_hash;        /* Of the actions the flow has. */
    /* 'rules', 'tables', 'groups' point here when they fit. */
    struct rule *rules_buf[MF_INLINE_RULES];
    struct xlate_table_hit tables_buf[MF_INLINE_TABLES];
    struct xlate_group_hit groups_buf[MF_INLINE_GROUPS];
};

/* One upcall's part of a batch: what its dpif ops point to. */
struct upcall_slot {
    struct dp_key mask;
    struct dp_action actions[DP_MAX_ACTIONS];
};

/* The upcalls of one dp_switch_run() and the datapath operations they
 * make, carried out together by one dpif_operate(). */
struct upcall_batch {
    struct dpif_upcall upcalls[UPCALL_BATCH];
    struct upcall_slot slots[UPCALL_BATCH];
    struct dpif_op ops[2 * UPCALL_BATCH];         /* An execute and a put
                                                   * per upcall at most. */
    struct megaflow *put_records[2 * UPCALL_BATCH]; /* By op: its put's
                                                     * record, to keep if
                                                     * the put works. */
    size_t n_ops;
};

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

static const struct ofproto_dp_ops dp_switch_dp_ops;

/* ---- Megaflow records. ---- */

/* A 64-bit digest of 'n' datapath actions: a pass over the records (which
 * do not keep the actions) tells from it whether a flow's actions must
 * change.  (A pass over a dump compares the actions themselves.) */
static uint64_t
actions_hash(const struct dp_action *actions, size_t n)
{
    const uint32_t *w = (const uint32_t *) actions;
    size_t n_words = n * sizeof *actions / 4;
    uint32_t a = n, b = ~(uint32_t) n;

    for (size_t i = 0; i < n_words; i++) {
        a = hash_add(a, w[i]);
        b = hash_add(b, w[i] ^ 0x9e3779b9);
    }
    return (uint64_t) hash_finish(a, n_words) << 32 | hash_finish(b, n);
}

/* The record of dumped flow 'f', or NULL if the flow has none of ours:
 * put by another process (vs-dpctl, the vs-vswitchd before a restart),
 * or its record went (a record of another megaflow may have its handle
 * now, hence the comparison). */
static struct megaflow *
megaflow_of(const struct dp_switch *sw, const struct dpif_flow *f)
{
    struct megaflow *mf = handle_pool_get(&sw->megaflows, f->handle);
    return mf && !memcmp(&mf->key, &f->key, sizeof f->key)
           && !memcmp(&mf->mask, &f->mask, sizeof f->mask) ? mf : NULL;
}

/* Copies the 'n' hits of 'size' bytes at 'src' into 'inline_buf' (room
 * for 'inline_n') or, if more, into a new array. */
static void *
hits_copy(void *inline_buf, size_t inline_n, const void *src, size_t n,
          size_t size)
{
    if (!n) {
        return NULL;
    }
    void *dst = n <= inline_n ? inline_buf : xmalloc(n * size);
    memcpy(dst, src, n * size);
    return dst;
}

static void
megaflow_free_hits(struct megaflow *mf)
{
    if (mf->rules != mf->rules_buf) {
        free(mf->rules);
    }
    if (mf->tables != mf->tables_buf) {
        free(mf->tables);
    }
    if (mf->groups != mf->groups_buf) {
        free(mf->groups);
    }
    free(mf->fins);
}

static void
megaflow_mark_seen(struct dp_switch *sw, struct megaflow *mf)
{
    if (mf->seen_pass != sw->pass_no) {
        mf->seen_pass = sw->pass_no;
        sw->n_seen++;
    }
}

/* Sets what 'mf' remembers to what 'xo' hit, with the datapath counters at
 * 'packets'/'bytes'. */
static void
megaflow_set(struct dp_switch *sw, struct megaflow *mf,
             const struct xlate_out *xo, uint64_t packets, uint64_t bytes)
{
    megaflow_free_hits(mf);
    mf->n_rules = xo->n_rules;
    mf->rules = hits_copy(mf->rules_buf, MF_INLINE_RULES, xo->rules,
                          xo->n_rules, sizeof *xo->rules);
    mf->n_tables = xo->n_tables;
    mf->tables = hits_copy(mf->tables_buf, MF_INLINE_TABLES, xo->tables,
                           xo->n_tables, sizeof *xo->tables);
    mf->n_groups = xo->n_groups;
    mf->groups = hits_copy(mf->groups_buf, MF_INLINE_GROUPS, xo->groups,
                           xo->n_groups, sizeof *xo->groups);
    mf->n_fins = xo->n_fins;
    mf->fins = hits_copy(NULL, 0, xo->fins, xo->n_fins, sizeof *xo->fins);
    mf->version = ofproto_get_version(sw->ofproto);
    mf->slow = xo->slow != 0;
    mf->packets = packets;
    mf->bytes = bytes;
}

/* Starts record 'mf' of megaflow (key, mask), hitting nothing yet, not
 * marked seen. */
static void
megaflow_init(struct dp_switch *sw, struct megaflow *mf, uint32_t handle,
              const struct dp_key *key, const struct dp_key *mask)
{
    memset(mf, 0, offsetof(struct megaflow, rules_buf));
    mf->handle = handle;
    mf->key = *key;
    dp_key_apply_mask(&mf->key, mask);
    mf->mask = *mask;
    mf->seen_pass = sw->pass_no - 1;  /* Marked once inserted. */
}

/* A new record for megaflow (key, mask) from 'xo', not marked seen. */
static struct megaflow *
megaflow_new(struct dp_switch *sw, const struct dp_key *key,
             const struct dp_key *mask, const struct xlate_out *xo)
{
    uint32_t handle;
    struct megaflow *mf = handle_pool_alloc(&sw->megaflows, &handle);
    megaflow_init(sw, mf, handle, key, mask);
    megaflow_set(sw, mf, xo, 0, 0);
    return mf;
}

/* The megaflows a vs-vswitchd before us left in the datapath keep the
 * handles it gave them: their counters are kept by handle, so numbering
 * new flows over them would mix the two.  Each gets a record with its
 * handle, translated at the first pass (others are adopted there, under
 * new handles). */
static void
adopt_flows(struct dp_switch *sw)
{
    struct dpif_flow *flows;
    size_t n;

    if (!sw->stats_by_handle || dpif_flow_dump(sw->dpif, &flows, &n)) {
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const struct dpif_flow *f = &flows[i];
        struct megaflow *mf = f->handle ? handle_pool_alloc_at(&sw->megaflows,
                                                               f->handle)
                                        : NULL;
        if (mf) {
            megaflow_init(sw, mf, f->handle, &f->key, &f->mask);
            mf->version = UINT64_MAX;   /* Never current. */
            mf->packets = f->stats.packets;
            mf->bytes = f->stats.bytes;
            mf->actions_hash = actions_hash(f->actions, f->n_actions);
            COVERAGE_INC(dp_switch_flow_adopted);
        }
    }
    free(flows);
}

static void
megaflow_remove(struct dp_switch *sw, struct megaflow *mf)
{
    if (mf) {
        if (mf->seen_pass == sw->pass_no) {
            sw->n_seen--;
        }
        megaflow_free_hits(mf);
        handle_pool_free(&sw->megaflows, mf->handle);
    }
}

static bool
xout_has_rule(const struct xlate_out *xo, const struct rule *rule)
{
    for (size_t i = 0; i < xo->n_rules; i++) {
        if (xo->rules[i] == rule) {
            return true;
        }
    }
    return false;
}

static bool
xout_has_group(const struct xlate_out *xo, const struct xlate_group_hit *h)
{
    for (size_t i = 0; i < xo->n_groups; i++) {
        if (xo->groups[i].group == h->group
            && xo->groups[i].bucket == h->bucket) {
            return true;
        }
    }
    return false;
}

/* Credits what the datapath counted since the last look to the rules and
 * tables that made the megaflow.  If the OpenFlow tables changed since,
 * its rule pointers may be stale: only those that the new translation
 * 'xo' hit as well are known to be alive. */
static void
megaflow_credit(struct dp_switch *sw, struct megaflow *mf,
                const struct dpif_flow_stats *st, const struct xlate_out *xo)
{
    if (!mf || mf->slow || st->packets <= mf->packets) {
        if (mf && st->packets < mf->packets) {
            mf->packets = st->packets;
            mf->bytes = st->bytes;
        }
        return;
    }
    uint64_t packets = st->packets - mf->packets;
    uint64_t bytes = st->bytes > mf->bytes ? st->bytes - mf->bytes : 0;
    bool current = mf->version == ofproto_get_version(sw->ofproto);

    for (size_t i = 0; i < mf->n_rules; i++) {
        if (current || (xo && xout_has_rule(xo, mf->rules[i]))) {
            ofproto_rule_credit(mf->rules[i], packets, bytes,
                                st->used_msec);
        }
    }
    for (size_t i = 0; i < mf->n_tables; i++) {
        ofproto_table_count(sw->ofproto, mf->tables[i].table_id,
                            mf->tables[i].matched, packets);
    }
    for (size_t i = 0; i < mf->n_groups; i++) {
        if (current || (xo && xout_has_group(xo, &mf->groups[i]))) {
            xlate_credit_groups(&mf->groups[i], 1, packets, bytes);
        }
    }
    /* The datapath ORs the flags of every TCP packet it counts: a FIN or
     * RST among them lowers the timeouts of fin_timeout rules (again at
     * each pass that sees packets, which changes nothing more, as in Open
     * vSwitch). */
    if (mf->n_fins && st->tcp_flags & (TCP_FIN | TCP_RST)) {
        COVERAGE_INC(dp_switch_fin_counters);
        for (size_t i = 0; i < mf->n_fins; i++) {
            if (current || (xo && xout_has_rule(xo, mf->fins[i].rule))) {
                xlate_fin_apply(sw->ofproto, &mf->fins[i], 1, st->tcp_flags);
            }
        }
    }
    mf->packets = st->packets;
    mf->bytes = st->bytes;
}

/* ---- OpenFlow ports. ---- */

static bool
is_local_port(const struct dp_switch *sw, const struct dpif_port *p)
{
    return !strcmp(p->type, "internal") && !strcmp(p->name, sw->name);
}

static void
port_describe(const struct dp_switch *sw, const struct dpif_port *dp,
              struct ofp_port *op)
{
    unsigned int flags = 0;

    memset(op, 0, sizeof *op);
    op->port_no = xlate_of_port(dp->port_no, sw->local_dp_port);
    snprintf(op->name, sizeof op->name, "%s", dp->name);
    netdev_get_mac(dp->name, op->hw_addr.ea);
    if (dp->flags & DP_PORT_TUNNEL) {
        flags = IFF_RUNNING;    /* Not a netdev: always up, as in OVS. */
    } else {
        netdev_get_flags(dp->name, &flags);
    }
    op->state = flags & IFF_RUNNING ? OFPPS_LIVE : OFPPS_LINK_DOWN;
    op->curr_speed = op->max_speed = 10000000;  /* 10 Gb/s, as veth. */
}

/* Tells ofproto about datapath port 'dp'; 'add' for a new one. */
static void
port_sync(struct dp_switch *sw, const struct dpif_port *dp, bool add)
{
    struct ofp_port op;

    if (is_local_port(sw, dp)) {
        sw->local_dp_port = dp->port_no;
    }
    port_describe(sw, dp, &op);
    const struct ofp_port *old = ofproto_port_get(sw->ofproto, op.port_no);
    if (!old) {
        ofproto_port_add(sw->ofproto, &op);
    } else if (add || old->state != op.state
               || !eth_addr_equals(old->hw_addr, op.hw_addr)) {
        op.config = old->config;
        ofproto_port_update(sw->ofproto, &op);
    }
}

/* Refreshes link state and MAC of every port (a link went down...). */
static void
ports_refresh(struct dp_switch *sw)
{
    struct dpif_port *ports;
    size_t n;

    if (dpif_port_dump(sw->dpif, &ports, &n)) {
        return;
    }
    for (size_t i = 0; i < n; i++) {
        port_sync(sw, &ports[i], false);
    }
    free(ports);
}

/* ---- Lifecycle and configuration. ---- */

int
dp_switch_create(const char *name, const char *dp_type,
                 struct dp_switch **swp)
{
    char *mgmt = xasprintf("%s/%s.mgmt", vs_rundir(), name);
    int error = dp_switch_create_mgmt(name, dp_type, mgmt, swp);
    free(mgmt);
    return error;
}

int
dp_switch_create_mgmt(const char *name, const char *dp_type,
                      const char *mgmt_path, struct dp_switch **swp)
{
    struct dp_switch *sw;
    struct dpif *dpif;
    int error = dpif_open(dp_type, name, true, &dpif);

    *swp = NULL;
    if (error) {
        return error;
    }
    sw = xzalloc(sizeof *sw);
    sw->name = xstrdup(name);
    sw->dpif = dpif;
    sw->ml = mac_learning_create(MAC_AGING_DEFAULT);
    normal_bridge_init(&sw->nb, sw->ml);
    sw->flow_idle_ms = DP_SWITCH_FLOW_IDLE_MS;
    sw->flow_limit = DP_SWITCH_FLOW_LIMIT;
    sw->next_maintain = time_msec() + MAINTAIN_MS;
    xlate_out_init(&sw->xout);
    handle_pool_init(&sw->megaflows, sizeof(struct megaflow));
    sw->batch = xmalloc(sizeof *sw->batch);
    sw->batch->n_ops = 0;
    sw->ofproto = ofproto_create(name, mgmt_path, &dp_switch_dp_ops, sw);
    sw->meters = dp_meters_create(dpif);
    struct dpif_flow_stats st;
    sw->stats_by_handle = !dpif_flow_stats_by_handle(dpif, 1, &st);
    const char *env = getenv("VS_DUMP_PASS_MS");
    sw->dump_pass_ms = env && atoi(env) > 0 ? atoi(env) : DUMP_PASS_MS;
    adopt_flows(sw);

    /* Adopted ports keep their numbers; until the configuration says
     * otherwise they behave as plain (VLAN-less) NORMAL ports, which is
     * what the adopted megaflows were made from. */
    struct dpif_port *ports;
    size_t n;
    dpif_port_dump(dpif, &ports, &n);
    for (size_t i = 0; i < n; i++) {
        normal_port_set(&sw->nb, ports[i].port_no, PORT_VLAN_DEFAULT, -1,
                        NULL, 0);
        if (is_local_port(sw, &ports[i])) {
            sw->local_dp_port = ports[i].port_no;
        }
    }
    for (size_t i = 0; i < n; i++) {
        port_sync(sw, &ports[i], true);
    }
    free(ports);

    /* No controller yet, standalone: an ordinary NORMAL switch. */
    dp_switch_set_controllers_configured(sw, false, OFPROTO_FAIL_STANDALONE);
    *swp = sw;
    return 0;
}

void
dp_switch_destroy(struct dp_switch *sw, bool delete_dp)
{
    if (!sw) {
        return;
    }
    dp_meters_destroy(sw->meters);
    if (delete_dp) {
        dpif_delete(sw->dpif);
    } else {
        dpif_close(sw->dpif);
    }
    ofproto_destroy(sw->ofproto);
    for (uint32_t h = handle_pool_next(&sw->megaflows, 0); h;
         h = handle_pool_next(&sw->megaflows, h)) {
        megaflow_free_hits(handle_pool_get(&sw->megaflows, h));
    }
    handle_pool_destroy(&sw->megaflows);
    free(sw->batch);
    xlate_out_uninit(&sw->xout);
    normal_bridge_destroy(&sw->nb);
    mac_learning_destroy(sw->ml);
    free(sw->name);
    free(sw);
}

struct dpif *dp_switch_get_dpif(const struct dp_switch *sw) { return sw->dpif; }
const char *dp_switch_name(const struct dp_switch *sw) { return sw->name; }
struct ofproto *dp_switch_get_ofproto(struct dp_switch *sw) { return sw->ofproto; }

void
dp_switch_set_controllers_configured(struct dp_switch *sw,
                                     bool has_controllers,
                                     enum ofproto_fail_mode mode)
{
    bool want = !has_controllers && mode == OFPROTO_FAIL_STANDALONE;
    struct ofp_flow_mod fm;

    if (want == sw->normal_flow) {
        return;
    }
    ofp_flow_mod_init(&fm);
    char *err = ofp_parse_flow_mod(want ? "table=0,priority=0,actions=NORMAL"
                                        : "table=0,priority=0",
                                   want ? OFPFC_ADD : OFPFC_DELETE_STRICT,
                                   &fm);
    if (err) {
        VLOG_ERR("%s: default flow: %s", sw->name, err);
        free(err);
    } else {
        enum ofperr error = ofproto_flow_mod(sw->ofproto, &fm);
        if (error) {
            VLOG_ERR("%s: default NORMAL flow: %s", sw->name,
                     ofperr_get_name(error));
        } else {
            sw->normal_flow = want;
        }
    }
    ofp_flow_mod_uninit(&fm);
}

int
dp_switch_port_add(struct dp_switch *sw, const char *devname,
                   const char *type, const char *options, uint32_t *port_no)
{
    return dp_switch_port_add_at(sw, devname, type, options, DPIF_PORT_ANY,
                                 port_no);
}

int
dp_switch_port_add_at(struct dp_switch *sw, const char *devname,
                      const char *type, const char *options,
                      uint32_t request, uint32_t *port_no)
{
    struct dpif_port port;
    int error;

    if (!dpif_port_query_by_name(sw->dpif, devname, &port)) {
        *port_no = port.port_no;
    } else {
        error = EBUSY;
        if (request != DPIF_PORT_ANY && request < DP_MAX_PORTS) {
            *port_no = request;
            error = dpif_port_add(sw->dpif, devname, type, options, port_no);
        }
        if (error == EBUSY) {
            if (request != DPIF_PORT_ANY) {
                VLOG_INFO("%s: port number %u for %s is %s: picking another",
                          sw->name, request, devname,
                          request < DP_MAX_PORTS ? "in use" : "out of range");
            }
            *port_no = DPIF_PORT_ANY;
            error = dpif_port_add(sw->dpif, devname, type, options, port_no);
        }
        if (error) {
            return error;
        }
        if (dpif_port_query_by_number(sw->dpif, *port_no, &port)) {
            memset(&port, 0, sizeof port);
            port.port_no = *port_no;
            snprintf(port.name, sizeof port.name, "%s", devname);
            snprintf(port.type, sizeof port.type, "%s", type ? type : "");
        }
    }
    if (!normal_port_find(&sw->nb, *port_no)) {
        normal_port_set(&sw->nb, *port_no, PORT_VLAN_DEFAULT, -1, NULL, 0);
    }
    port_sync(sw, &port, true);
    sw->ports_changed = true;
    return 0;
}

int
dp_switch_port_del(struct dp_switch *sw, const char *devname)
{
    struct dpif_port port;
    int error = dpif_port_query_by_name(sw->dpif, devname, &port);
    if (error) {
        return error;
    }
    /* The datapath removes the port's megaflows itself: a dump tells
     * which records went with them. */
    error = dpif_port_del(sw->dpif, port.port_no);
    sw->dump_due = true;
    ofproto_port_del(sw->ofproto, xlate_of_port(port.port_no,
                                                sw->local_dp_port));
    if (port.port_no == sw->local_dp_port) {
        sw->local_dp_port = 0;
    }
    normal_port_remove(&sw->nb, port.port_no);
    mac_learning_flush_port(sw->ml, port.port_no);
    sw->ports_changed = true;
    return error;
}

void
dp_switch_port_set_vlan(struct dp_switch *sw, uint32_t port_no,
                        enum port_vlan_mode mode, int tag, const int *trunks,
                        size_t n_trunks)
{
    struct normal_port old, *p = normal_port_find(&sw->nb, port_no);
    if (p) {
        old = *p;
    }
    normal_port_set(&sw->nb, port_no, mode, tag, trunks, n_trunks);
    p = normal_port_find(&sw->nb, port_no);
    if (!p || p->mode != old.mode || p->tag != old.tag
        || p->all_trunks != old.all_trunks
        || memcmp(p->trunks, old.trunks, sizeof p->trunks)) {
        /* Learned VLAN memberships may no longer hold. */
        mac_learning_flush_port(sw->ml, port_no);
        sw->ports_changed = true;
    }
}

void dp_switch_set_mac_aging(struct dp_switch *sw, unsigned int s) { mac_learning_set_idle_time(sw->ml, s); }
void dp_switch_set_mac_table_size(struct dp_switch *sw, size_t n) { mac_learning_set_max_entries(sw->ml, n); }
void dp_switch_set_flow_idle(struct dp_switch *sw, long long ms) { sw->flow_idle_ms = ms > 0 ? ms : DP_SWITCH_FLOW_IDLE_MS; }
void dp_switch_set_flow_limit(struct dp_switch *sw, size_t n) { sw->flow_limit = n ? n : DP_SWITCH_FLOW_LIMIT; }

/* ---- Translation. ---- */

static void
xlate(struct dp_switch *sw, const struct dp_key *key, const void *packet,
      size_t len, bool learn, long long now)
{
    struct xlate_in xin = {
        .ofproto = sw->ofproto,
        .nb = &sw->nb,
        .meters = sw->meters,
        .local_dp_port = sw->local_dp_port,
        .key = key,
        .packet = packet,
        .packet_len = len,
        .learn = learn,
        .now = now,
    };
    xlate_actions(&xin, &sw->xout);
}

/* Carries out the operations 'b' holds and keeps the records of the
 * megaflows that went in. */
static void
batch_flush(struct dp_switch *sw, struct upcall_batch *b)
{
    dpif_operate(sw->dpif, b->ops, b->n_ops);
    for (size_t i = 0; i < b->n_ops; i++) {
        const struct dpif_op *op = &b->ops[i];
        if (op->type != DPIF_OP_FLOW_PUT) {
            continue;
        }
        struct megaflow *mf = b->put_records[i];
        if (!op->error) {
            /* A create worked, so the datapath had no such flow: a record
             * of it from before is of a flow that went without us, and
             * the pass after the next sweeps it, unseen. */
            COVERAGE_INC(dp_switch_flow_put);
            megaflow_mark_seen(sw, mf);
            continue;
        }
        megaflow_remove(sw, mf);
        if (op->error == ENOSPC) {
            /* The packet went out all the same; make room at the next
             * maintenance pass. */
            sw->dp_full = true;
        }
        if (op->error != EEXIST) {
            /* EEXIST: an earlier upcall of the same megaflow installed
             * it, in this batch or before. */
            VLOG_WARN_RL(&rl, "%s: installing megaflow: %s", sw->name,
                         vs_strerror(op->error));
        }
    }
    b->n_ops = 0;
}

/* Translates upcall 'u' (slot 'slot' of 'b') and adds what it needs done
 * in the datapath to 'b': the execute of its packet, then the put of its
 * megaflow.  Packets leave in the order they came up, so that those of
 * one flow are not reordered. */
static void
handle_upcall(struct dp_switch *sw, struct upcall_batch *b, size_t slot)
{
    const struct dpif_upcall *u = &b->upcalls[slot];
    struct upcall_slot *us = &b->slots[slot];
    struct xlate_out *xo = &sw->xout;
    long long now = time_msec();

    COVERAGE_INC(dp_switch_upcall);
    xlate(sw, &u->key, u->packet, u->len, true, now);

    const struct dp_action *actions;
    size_t n_actions = xlate_megaflow_actions(xo, &actions);
    if (n_actions && n_actions <= DP_MAX_ACTIONS) {
        /* For a fast path flow, also the actions to execute.  (A drop
         * may have no array.) */
        memcpy(us->actions, actions, n_actions * sizeof *actions);
    }
    if (u->len != u->pkt_len) {
        VLOG_WARN_RL(&rl, "%s: upcall of a %zu-byte packet truncated to "
                     "%zu bytes: not forwarded", sw->name, u->pkt_len, u->len);
    } else if (xo->slow || xo->n_actions > DP_MAX_ACTIONS) {
        /* Userspace work (packet-ins, meters, ...) on this packet, now,
         * after the packets before it. */
        batch_flush(sw, b);
        xlate_execute(xo, sw->dpif, sw->ofproto, sw->local_dp_port, &u->key,
                      u->packet, u->len, now);
    } else if (xo->n_actions) {
        struct dpif_op *op = &b->ops[b->n_ops++];
        op->type = DPIF_OP_EXECUTE;
        op->execute.packet = u->packet;
        op->execute.len = u->len;
        op->execute.key = &u->key;
        op->execute.actions = us->actions;
        op->execute.n_actions = xo->n_actions;
    }
    /* This packet never shows in a megaflow's counters. */
    for (size_t i = 0; i < xo->n_rules; i++) {
        ofproto_rule_credit(xo->rules[i], 1, u->pkt_len, now);
    }
    for (size_t i = 0; i < xo->n_tables; i++) {
        ofproto_table_count(sw->ofproto, xo->tables[i].table_id,
                            xo->tables[i].matched, 1);
    }
    xlate_credit_groups(xo->groups, xo->n_groups, 1, u->pkt_len);
    if (xo->n_fins) {
        uint16_t flags = xlate_packet_tcp_flags(u->packet, u->len);
        if (flags & (TCP_FIN | TCP_RST)) {
            COVERAGE_INC(dp_switch_fin_upcall);
            xlate_fin_apply(sw->ofproto, xo->fins, xo->n_fins, flags);
        }
    }

    if (u->reason == DP_UPCALL_MISS && n_actions <= DP_MAX_ACTIONS) {
        us->mask = xo->mask;
        b->put_records[b->n_ops] = megaflow_new(sw, &u->key, &xo->mask, xo);
        struct dpif_op *op = &b->ops[b->n_ops++];
        op->type = DPIF_OP_FLOW_PUT;
        op->put.key = &u->key;
        op->put.mask = &us->mask;
        op->put.actions = us->actions;
        op->put.n_actions = n_actions;
        op->put.flags = DPIF_FP_CREATE;
        op->put.handle = b->put_records[b->n_ops - 1]->handle;
        b->put_records[b->n_ops - 1]->actions_hash
            = actions_hash(us->actions, n_actions);
    }
    /* Last: a learned flow may replace a rule the credits and the record
     * name (the record then has the old version: it is looked at again). */
    xlate_learned_apply(xo, sw->ofproto, now);
}

/* Handles up to UPCALL_BATCH upcalls; returns how many there were.
 *
 * Upcalls come in bursts of round trips: a flow's next packets follow its
 * first one's delivery.  Going back to sleep between them costs a wakeup
 * (tens of microseconds on a VM) per handful of upcalls, so after a batch
 * the ring is watched for up to UPCALL_SPIN_US more, as long as such
 * watching keeps paying off: a watch that finds nothing doubles the number
 * of batches before the next one (up to 64), so an idle or CPU-starved
 * switch soon stops spending time on it. */
#define UPCALL_SPIN_US 30
static size_t
handle_upcalls(struct dp_switch *sw)
{
    struct upcall_batch *b = sw->batch;
    size_t total = 0;
    long long deadline = 0;

    /* A provider without batches hands out one upcall at a time. */
    while (total < UPCALL_BATCH) {
        size_t n = dpif_recv_batch(sw->dpif, b->upcalls,
                                   UPCALL_BATCH - total);
        if (!n) {
            if (!total || sw->spin_skip) {
                break;
            }
            long long now = time_usec();
            if (!deadline) {
                deadline = now + UPCALL_SPIN_US;
            } else if (now >= deadline) {
                sw->spin_backoff = MIN(sw->spin_backoff * 2 + 1, 64);
                sw->spin_skip = sw->spin_backoff;
                break;
            }
            continue;
        }
        if (deadline) {
            sw->spin_backoff = 0;   /* The watch paid off. */
            deadline = 0;
        }
        for (size_t i = 0; i < n; i++) {
            handle_upcall(sw, b, i);
        }
        /* Before the next receive frees these packets. */
        batch_flush(sw, b);
        total += n;
    }
    if (total && sw->spin_skip) {
        sw->spin_skip--;
    }
    return total;
}

static bool
same_actions(const struct dpif_flow *f, const struct dp_action *actions,
             size_t n)
{
    /* 'actions' may be NULL for a drop (n == 0). */
    return f->n_actions == n
           && (!n || !memcmp(f->actions, actions, n * sizeof actions[0]));
}

static int
cmp_used(const void *a_, const void *b_)
{
    const struct dpif_flow *a = a_, *b = b_;
    return a->stats.used_msec < b->stats.used_msec ? -1
           : a->stats.used_msec > b->stats.used_msec;
}

static void
flow_delete(struct dp_switch *sw, struct dpif_flow *f, struct megaflow *mf)
{
    dpif_flow_del(sw->dpif, &f->key, &f->mask, NULL);
    megaflow_remove(sw, mf);
    f->stats.used_msec = -1;
}

/* Gives datapath flow 'f' these actions and, unless 0, the record
 * 'handle'. */
static void
flow_modify(struct dp_switch *sw, const struct dpif_flow *f,
            const struct dp_action *actions, size_t n_actions,
            uint32_t handle)
{
    struct dpif_op op = {
        .type = DPIF_OP_FLOW_PUT,
        .put = {
            .key = &f->key,
            .mask = &f->mask,
            .actions = actions,
            .n_actions = n_actions,
            .flags = DPIF_FP_MODIFY,
            .handle = handle,
        },
    };
    dpif_operate(sw->dpif, &op, 1);
}

/* Starts a pass over the megaflows.  'recheck': translate each again (the
 * OpenFlow tables, MAC table or ports changed).  'maintain': expire idle
 * flows, refresh the MAC entries of active ones, enforce the flow limit.
 * Every pass credits the datapath's counters to the OpenFlow rules. */
static void
revalidate_start(struct dp_switch *sw, bool recheck, bool maintain)
{
    struct reval_pass *p = &sw->pass;

    COVERAGE_INC(dp_switch_revalidate);
    memset(p, 0, sizeof *p);
    p->active = true;
    p->recheck = recheck;
    p->maintain = maintain;
    p->seq = p->last_seq = sw->ml->seq;
    p->version = ofproto_get_version(sw->ofproto);
    long long now = time_msec();
    if (now >= sw->next_dump_pass) {
        sw->dump_due = true;
    }
    p->from_dump = sw->dump_due || !sw->stats_by_handle;
    if (p->from_dump) {
        COVERAGE_INC(dp_switch_pass_dump);
        sw->dump_due = false;
        sw->next_dump_pass = now + sw->dump_pass_ms;
    } else {
        COVERAGE_INC(dp_switch_pass_records);
    }
    /* No record is marked with the new number; those installed during the
     * pass are marked when recorded. */
    sw->pass_no++;
    sw->n_seen = 0;
}

/* Evicts the least recently used megaflows down to 'target'. */
static void
evict(struct dp_switch *sw, size_t target)
{
    struct dpif_flow *flows;
    size_t n, n_live;

    if (dpif_flow_dump(sw->dpif, &flows, &n)) {
        return;
    }
    n_live = n;
    qsort(flows, n, sizeof *flows, cmp_used);
    for (size_t i = 0; i < n && n_live > target; i++) {
        flow_delete(sw, &flows[i], megaflow_of(sw, &flows[i]));
        COVERAGE_INC(dp_switch_flow_evicted);
        n_live--;
    }
    free(flows);
}

/* What a pass does with megaflow 'f' and its record 'mf' (NULL if none):
 * credits its counters, expires it if idle, translates it again if the
 * pass or the flow asks for it, and changes or deletes it to match.
 * 'f' comes from a dump, or from 'mf' with the counters read by handle:
 * then 'actions_known' is false and mf->actions_hash stands for the
 * flow's actions. */
static void
revalidate_flow(struct dp_switch *sw, struct dpif_flow *f,
                struct megaflow *mf, bool actions_known, long long now,
                uint64_t version)
{
    struct reval_pass *p = &sw->pass;
    struct xlate_out *xo = &sw->xout;
    long long idle = now - f->stats.used_msec;

    /* Only flows the datapath forwarded packets on since the last pass
     * refresh MAC entries: a new flow's one packet was its upcall, which
     * learned already. */
    bool refresh = p->maintain && idle < MAINTAIN_MS
                   && (!mf || f->stats.packets != mf->packets);
    if (mf) {
        megaflow_mark_seen(sw, mf);
    }
    if (p->maintain && idle >= sw->flow_idle_ms) {
        megaflow_credit(sw, mf, &f->stats, NULL);
        flow_delete(sw, f, mf);
        COVERAGE_INC(dp_switch_flow_expired);
        return;
    }
    p->n_live++;
    if (!p->recheck && !refresh && mf && mf->version == version) {
        megaflow_credit(sw, mf, &f->stats, NULL);
        return;
    }
    /* The masked key has every field the translation looks at.  Recently
     * used flows also refresh their source MAC's entry. */
    xlate(sw, &f->key, NULL, 0, refresh, now);
    megaflow_credit(sw, mf, &f->stats, xo);

    const struct dp_action *actions;
    size_t n_actions = xlate_megaflow_actions(xo, &actions);
    if (memcmp(&xo->mask, &f->mask, sizeof xo->mask)
        || n_actions > DP_MAX_ACTIONS) {
        flow_delete(sw, f, mf);
        p->n_live--;
        return;
    }
    uint64_t hash = actions_hash(actions, n_actions);
    bool changed = actions_known ? !same_actions(f, actions, n_actions)
                                 : hash != mf->actions_hash;
    /* A flow without a record gets one, and its handle. */
    uint32_t new_handle = 0;
    if (mf) {
        megaflow_set(sw, mf, xo, f->stats.packets, f->stats.bytes);
    } else {
        mf = megaflow_new(sw, &f->key, &f->mask, xo);
        mf->packets = f->stats.packets;
        mf->bytes = f->stats.bytes;
        new_handle = mf->handle;
        COVERAGE_INC(dp_switch_flow_adopted);
    }
    mf->actions_hash = hash;
    megaflow_mark_seen(sw, mf);
    /* Traffic keeps what it learned (a refresh, unless the learned flow
     * is gone); after the record, as in handle_upcall(). */
    xlate_learned_apply(xo, sw->ofproto, now);
    if (new_handle || changed) {
        flow_modify(sw, f, actions, n_actions, new_handle);
    }
}

/* One piece of a pass over a dump.  Returns true if the dump is over. */
static bool
revalidate_dump_chunk(struct dp_switch *sw, long long now, uint64_t version)
{
    struct reval_pass *p = &sw->pass;
    struct dpif_flow *flows;
    size_t n;
    bool done;

    if (dpif_flow_dump_chunk(sw->dpif, &p->cursor, REVALIDATE_CHUNK,
                             &flows, &n, &done)) {
        /* Keeps the records (the sweep does not run) rather than drop
         * them. */
        p->dirty = true;
        sw->dump_due = true;
        return true;
    }
    for (size_t i = 0; i < n; i++) {
        revalidate_flow(sw, &flows[i], megaflow_of(sw, &flows[i]), true,
                        now, version);
    }
    free(flows);
    if (!done) {
        return false;
    }
    /* Records of megaflows the datapath no longer has, if any. */
    if (sw->n_seen < handle_pool_count(&sw->megaflows)) {
        for (uint32_t h = handle_pool_next(&sw->megaflows, 0); h;
             h = handle_pool_next(&sw->megaflows, h)) {
            struct megaflow *mf = handle_pool_get(&sw->megaflows, h);
            if (mf->seen_pass != sw->pass_no) {
                megaflow_remove(sw, mf);
            }
        }
    }
    return true;
}

/* One piece of a pass over the records.  Returns true if it is over. */
static bool
revalidate_records_chunk(struct dp_switch *sw, long long now,
                         uint64_t version)
{
    struct reval_pass *p = &sw->pass;
    struct dpif_flow f;
    uint32_t h = p->cursor;

    for (size_t n = 0; n < REVALIDATE_CHUNK; n++) {
        h = handle_pool_next(&sw->megaflows, h);
        if (!h) {
            return true;
        }
        struct megaflow *mf = handle_pool_get(&sw->megaflows, h);
        if (mf->seen_pass == sw->pass_no) {
            p->n_live++;            /* Installed during this pass. */
            continue;
        }
        if (dpif_flow_stats_by_handle(sw->dpif, h, &f.stats)) {
            sw->dump_due = true;    /* It will see this one. */
            megaflow_mark_seen(sw, mf);
            p->n_live++;
            continue;
        }
        f.key = mf->key;
        f.mask = mf->mask;
        f.n_actions = 0;
        f.handle = h;
        revalidate_flow(sw, &f, mf, false, now, version);
    }
    p->cursor = h;
    return false;
}

/* One piece of the pass under way.  Returns true if the pass is over. */
static bool
revalidate_chunk(struct dp_switch *sw)
{
    struct reval_pass *p = &sw->pass;
    long long now = time_msec();
    uint64_t version = ofproto_get_version(sw->ofproto);

    if (sw->ml->seq != p->last_seq) {
        p->dirty = true;            /* Learned between pieces. */
    }
    bool done = p->from_dump ? revalidate_dump_chunk(sw, now, version)
                             : revalidate_records_chunk(sw, now, version);
    p->last_seq = sw->ml->seq;
    if (!done) {
        return false;
    }
    p->active = false;
    /* Down to 90% of the limit, or of what the datapath holds if that
     * is less and it ran full (its map may be smaller than the limit). */
    if (p->maintain && (p->n_live > sw->flow_limit || sw->dp_full)) {
        size_t cap = MIN(p->n_live, sw->flow_limit);
        evict(sw, cap - cap / 10);
        sw->dp_full = false;
    }
    return true;
}

static bool
needs_recheck(const struct dp_switch *sw)
{
    return sw->ports_changed || sw->ml->seq != sw->revalidated_seq
           || ofproto_get_version(sw->ofproto) != sw->revalidated_version;
}

/* Makes records for the flow table's capacity, one chunk per idle turn
 * of the loop (a few milliseconds), so that a burst of new flows finds
 * them ready instead of writing fresh memory: on the VMs measured, the
 * first write to each new page cost about 5 us even after MAP_POPULATE,
 * 10-13% of a flow setup (docs/performance.md, "sixth round"). */
static void
reserve_records(struct dp_switch *sw)
{
    size_t n = MIN(sw->flow_limit, DP_SWITCH_FLOW_LIMIT);
    sw->reserving = !handle_pool_reserve(&sw->megaflows, n, 1);
}

void
dp_switch_run(struct dp_switch *sw)
{
    long long now = time_msec();

    ofproto_run(sw->ofproto);
    dpif_run(sw->dpif);
    size_t n_upcalls = handle_upcalls(sw);
    /* Upcalls already taken off the ring do not wake the poll loop. */
    sw->more_upcalls = n_upcalls >= UPCALL_BATCH;
    if (!n_upcalls && !sw->pass.active) {
        reserve_records(sw);
    }

    if (!sw->pass.active) {
        bool maintain = now >= sw->next_maintain;
        if (maintain) {
            mac_learning_expire(sw->ml, now);
            ports_refresh(sw);
            sw->next_maintain = now + MAINTAIN_MS;
        }
        bool recheck = needs_recheck(sw) && now >= sw->next_revalidate;
        if (recheck) {
            sw->ports_changed = false;
            sw->next_revalidate = now + REVALIDATE_MIN_MS;
        }
        if (recheck || maintain) {
            revalidate_start(sw, recheck, maintain);
        }
    }
    if (sw->pass.active && revalidate_chunk(sw)) {
        const struct reval_pass *p = &sw->pass;
        /* Frees the datapath meters of deleted OpenFlow meters (the pass
         * above retranslated their megaflows); credits meter counters. */
        dp_meters_run(sw->meters, sw->ofproto);
        /* Refreshes during the pass are not news; what upcalls learned
         * between its pieces is (the pieces before did not see it). */
        if (!p->dirty && (p->recheck || p->seq == sw->revalidated_seq)) {
            sw->revalidated_seq = sw->ml->seq;
        }
        if (p->recheck) {
            sw->revalidated_version = p->version;
        }
    }
}

void
dp_switch_wait(struct dp_switch *sw)
{
    int fd = dpif_upcall_fd(sw->dpif);
    if (fd >= 0) {
        /* The dpif forgets it when it closes it. */
        poll_fd_wait_kept(fd, POLLIN);
    }
    ofproto_wait(sw->ofproto);
    dpif_wait(sw->dpif);
    if (sw->more_upcalls || sw->pass.active || sw->reserving) {
        poll_immediate_wake();
    }
    poll_timer_wait_until(sw->next_maintain);
    if (needs_recheck(sw)) {
        poll_timer_wait_until(sw->next_revalidate);
    }
}

/* ---- What ofproto asks of the datapath. ---- */

static enum ofperr
dp_switch_packet_out(void *sw_, const void *packet, size_t len,
                     uint32_t in_port, const struct ofpacts *ofpacts)
{
    struct dp_switch *sw = sw_;
    struct xlate_out xo;
    struct dp_packet p;
    struct flow flow;
    struct dp_key key;
    long long now = time_msec();

    if (len < ETH_HEADER_LEN) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    dp_packet_use_const(&p, packet, len);
    flow_extract(&p, &flow);
    flow.in_port = in_port;
    xlate_flow_to_key(&flow, sw->local_dp_port, &key);

    struct xlate_in xin = {
        .ofproto = sw->ofproto,
        .nb = &sw->nb,
        .meters = sw->meters,
        .local_dp_port = sw->local_dp_port,
        .packet = packet,
        .packet_len = len,
        .ofpacts = ofpacts,
        .of_in_port = in_port,
        /* As a packet through the tables: its learn actions add flows,
         * and NORMAL learns its source MAC. */
        .learn = true,
        .now = now,
    };
    xlate_out_init(&xo);
    xlate_actions(&xin, &xo);
    xlate_execute(&xo, sw->dpif, sw->ofproto, sw->local_dp_port, &key,
                  packet, len, now);
    /* output:TABLE: the rules it ran see its FIN as an upcall's. */
    xlate_fin_apply(sw->ofproto, xo.fins, xo.n_fins, ntohs(flow.tcp_flags));
    xlate_learned_apply(&xo, sw->ofproto, now);
    xlate_out_uninit(&xo);
    return 0;
}

static uint64_t
read_stat(const char *dev, const char *name)
{
    char path[128];
    unsigned long long v = 0;
    snprintf(path, sizeof path, "/sys/class/net/%s/statistics/%s", dev, name);
    FILE *f = fopen(path, "r");
    if (f) {
        if (fscanf(f, "%llu", &v) != 1) {
            v = 0;
        }
        fclose(f);
    }
    return v;
}

static int
dp_switch_port_stats(void *sw_, uint32_t port_no, struct ofp_port_stats *st)
{
    struct dp_switch *sw = sw_;
    struct dpif_port port;
    uint32_t dp_port = xlate_dp_port(port_no, sw->local_dp_port);
    int error = dp_port ? dpif_port_query_by_number(sw->dpif, dp_port, &port)
                        : ENOENT;
    if (error) {
        return error;
    }
    memset(st, 0, sizeof *st);
    st->port_no = port_no;
    if (port.flags & DP_PORT_TUNNEL) {
        /* No netdev of its own: the datapath counts for it. */
        struct dpif_port_stats ps;
        dpif_port_get_stats(sw->dpif, dp_port, &ps);
        st->rx_packets = ps.rx_packets;
        st->rx_bytes = ps.rx_bytes;
        st->tx_packets = ps.tx_packets;
        st->tx_bytes = ps.tx_bytes;
        return 0;
    }
    /* The kernel counts from the device's side: what it received is what
     * the switch sent out of it, except for an internal port, whose
     * device is the host's end. */
    st->rx_packets = read_stat(port.name, "rx_packets");
    st->tx_packets = read_stat(port.name, "tx_packets");
    st->rx_bytes = read_stat(port.name, "rx_bytes");
    st->tx_bytes = read_stat(port.name, "tx_bytes");
    st->rx_dropped = read_stat(port.name, "rx_dropped");
    st->tx_dropped = read_stat(port.name, "tx_dropped");
    st->rx_errors = read_stat(port.name, "rx_errors");
    st->tx_errors = read_stat(port.name, "tx_errors");
    st->rx_frame_err = read_stat(port.name, "rx_frame_errors");
    st->rx_over_err = read_stat(port.name, "rx_over_errors");
    st->rx_crc_err = read_stat(port.name, "rx_crc_errors");
    st->collisions = read_stat(port.name, "collisions");
    return 0;
}

static const struct ofproto_dp_ops dp_switch_dp_ops = {
    .packet_out = dp_switch_packet_out,
    .port_stats = dp_switch_port_stats,
};

void
dp_switch_fdb_show(const struct dp_switch *sw, struct ds *s)
{
    const struct mac_entry *e;
    long long now = time_msec();

    ds_put_cstr(s, " port  VLAN  MAC                Age\n");
    MAC_LEARNING_FOR_EACH (e, sw->ml) {
        long long age = (now - (e->expires - sw->ml->idle_time * 1000LL))
                        / 1000;
        ds_put_format(s, "%5u  %4u  %02x:%02x:%02x:%02x:%02x:%02x  %4lld\n",
                      e->port, e->vlan, e->mac[0], e->mac[1], e->mac[2],
                      e->mac[3], e->mac[4], e->mac[5], age < 0 ? 0 : age);
    }
}

void
dp_switch_fdb_flush(struct dp_switch *sw)
{
    mac_learning_flush(sw->ml);
}

size_t
dp_switch_mac_count(const struct dp_switch *sw)
{
    return mac_learning_count(sw->ml);
}

void
dp_switch_dump_flows(struct dp_switch *sw, struct ds *s)
{
    struct dpif_flow *flows;
    size_t n;
    long long now = time_msec();

    dpif_flow_dump(sw->dpif, &flows, &n);
    for (size_t i = 0; i < n; i++) {
        const struct dpif_flow *f = &flows[i];
        size_t start = s->length;
        dp_flow_format(s, &f->key, &f->mask, NULL, 0);
        ds_truncate(s, s->length - strlen("actions=drop"));
        ds_chomp(s, ',');
        ds_put_format(s, "%spackets:%llu bytes:%llu used:%.3fs actions=",
                      s->length > start ? " " : "",
                      (unsigned long long) f->stats.packets,
                      (unsigned long long) f->stats.bytes,
                      (now - f->stats.used_msec) / 1000.0);
        dp_actions_format(s, f->actions, f->n_actions);
        ds_put_char(s, '\n');
    }
    free(flows);
}

void
dp_switch_show(struct dp_switch *sw, struct ds *s)
{
    struct dpif_dp_stats st;
    struct dpif_port *ports;
    size_t n;

    dpif_get_stats(sw->dpif, &st);
    ds_put_format(s, "%s@%s:\n", dpif_type(sw->dpif), sw->name);
    ds_put_format(s, "  lookups: hit:%llu missed:%llu lost:%llu xdp:%llu\n",
                  (unsigned long long) st.n_hit,
                  (unsigned long long) st.n_missed,
                  (unsigned long long) st.n_lost,
                  (unsigned long long) st.n_xdp_fwd);
    ds_put_format(s, "  flows: %llu  masks: %u\n",
                  (unsigned long long) st.n_flows, st.n_masks);
    dpif_port_dump(sw->dpif, &ports, &n);
    for (size_t i = 0; i < n; i++) {
        ds_put_format(s, "  port %u: %s (%s)\n", ports[i].port_no,
                      ports[i].name, ports[i].type);
    }
    free(ports);
}
