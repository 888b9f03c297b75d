/* dp-switch: NORMAL switching over a dpif (see dp-switch.h). */
#include <config.h>
#include "ofproto/dp-switch.h"
#include <errno.h>
#include <poll.h>
#include <string.h>
#include "coverage.h"
#include "datapath/dpif.h"
#include "dynamic-string.h"
#include "ofproto/mac-learning.h"
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

#define UPCALL_BATCH 64
#define REVALIDATE_MIN_MS 100     /* At most this often on changes. */
#define MAINTAIN_MS 1000          /* Expiry and MAC refresh period. */

struct dp_switch {
    char *name;
    struct dpif *dpif;
    struct mac_learning *ml;
    struct normal_bridge nb;
    long long flow_idle_ms;
    size_t flow_limit;

    uint64_t revalidated_seq;     /* MAC table seq at the last pass. */
    bool ports_changed;
    bool more_upcalls;            /* The last batch was full. */
    long long next_revalidate;
    long long next_maintain;
};

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

int
dp_switch_create(const char *name, const char *dp_type,
                 struct dp_switch **swp)
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

    /* Adopted ports keep their numbers; until the configuration says
     * otherwise they behave as plain (VLAN-less) NORMAL ports, which is
     * what the adopted megaflows were made from. */
    struct dpif_port *ports;
    size_t n;
    dpif_port_dump(dpif, &ports, &n);
    for (size_t i = 0; i < n; i++) {
        normal_port_set(&sw->nb, ports[i].port_no, PORT_VLAN_DEFAULT, -1,
                        NULL, 0);
    }
    free(ports);
    *swp = sw;
    return 0;
}

void
dp_switch_destroy(struct dp_switch *sw, bool delete_dp)
{
    if (!sw) {
        return;
    }
    if (delete_dp) {
        dpif_delete(sw->dpif);
    } else {
        dpif_close(sw->dpif);
    }
    normal_bridge_destroy(&sw->nb);
    mac_learning_destroy(sw->ml);
    free(sw->name);
    free(sw);
}

struct dpif *dp_switch_get_dpif(const struct dp_switch *sw) { return sw->dpif; }
const char *dp_switch_name(const struct dp_switch *sw) { return sw->name; }

int
dp_switch_port_add(struct dp_switch *sw, const char *devname,
                   const char *type, const char *options, uint32_t *port_no)
{
    struct dpif_port port;
    int error;

    if (!dpif_port_query_by_name(sw->dpif, devname, &port)) {
        *port_no = port.port_no;
    } else {
        *port_no = DPIF_PORT_ANY;
        error = dpif_port_add(sw->dpif, devname, type, options, port_no);
        if (error) {
            return error;
        }
    }
    if (!normal_port_find(&sw->nb, *port_no)) {
        normal_port_set(&sw->nb, *port_no, PORT_VLAN_DEFAULT, -1, NULL, 0);
    }
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
    /* The datapath removes the port's megaflows itself. */
    error = dpif_port_del(sw->dpif, port.port_no);
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

static void
handle_upcall(struct dp_switch *sw, const struct dpif_upcall *u)
{
    struct normal_xlate *x = xmalloc(sizeof *x);

    COVERAGE_INC(dp_switch_upcall);
    normal_xlate(&sw->nb, &u->key, true, time_msec(), x);
    if (u->len == u->pkt_len) {
        dpif_execute(sw->dpif, u->packet, u->len, &u->key, x->actions,
                     x->n_actions);
    } else {
        VLOG_WARN_RL(&rl, "%s: upcall of a %zu-byte packet truncated to "
                     "%zu bytes: not forwarded", sw->name, u->pkt_len, u->len);
    }
    if (u->reason == DP_UPCALL_MISS && x->n_actions <= DP_MAX_ACTIONS) {
        int error = dpif_flow_put(sw->dpif, &u->key, &x->mask, x->actions,
                                  x->n_actions, DPIF_FP_CREATE, NULL);
        if (!error) {
            COVERAGE_INC(dp_switch_flow_put);
        } else if (error != EEXIST) {
            VLOG_WARN_RL(&rl, "%s: installing megaflow: %s", sw->name,
                         vs_strerror(error));
        }
    }
    free(x);
}

static bool
same_actions(const struct dpif_flow *f, const struct normal_xlate *x)
{
    return f->n_actions == x->n_actions
           && !memcmp(f->actions, x->actions,
                      x->n_actions * sizeof x->actions[0]);
}

static int
cmp_used(const void *a_, const void *b_)
{
    const struct dpif_flow *a = a_, *b = b_;
    return a->stats.used_msec < b->stats.used_msec ? -1
           : a->stats.used_msec > b->stats.used_msec;
}

/* One pass over the megaflows.  'recheck': translate each again (the MAC
 * table or ports changed).  'maintain': expire idle flows, refresh the MAC
 * entries of active ones, enforce the flow limit. */
static void
revalidate(struct dp_switch *sw, bool recheck, bool maintain)
{
    struct dpif_flow *flows;
    size_t n, n_live;
    long long now = time_msec();
    struct normal_xlate *x = xmalloc(sizeof *x);

    COVERAGE_INC(dp_switch_revalidate);
    dpif_flow_dump(sw->dpif, &flows, &n);
    n_live = n;
    for (size_t i = 0; i < n; i++) {
        struct dpif_flow *f = &flows[i];
        long long idle = now - f->stats.used_msec;

        if (maintain && idle >= sw->flow_idle_ms) {
            dpif_flow_del(sw->dpif, &f->key, &f->mask, NULL);
            COVERAGE_INC(dp_switch_flow_expired);
            f->stats.used_msec = -1;
            n_live--;
            continue;
        }
        if (!recheck && !(maintain && idle < MAINTAIN_MS)) {
            continue;
        }
        /* The masked key has every field NORMAL looks at.  Recently used
         * flows also refresh their source MAC's entry. */
        normal_xlate(&sw->nb, &f->key, maintain && idle < MAINTAIN_MS, now,
                     x);
        if (memcmp(&x->mask, &f->mask, sizeof x->mask)
            || x->n_actions > DP_MAX_ACTIONS) {
            dpif_flow_del(sw->dpif, &f->key, &f->mask, NULL);
            f->stats.used_msec = -1;
            n_live--;
        } else if (!same_actions(f, x)) {
            dpif_flow_put(sw->dpif, &f->key, &f->mask, x->actions,
                          x->n_actions, DPIF_FP_MODIFY, NULL);
        }
    }
    if (maintain && n_live > sw->flow_limit) {
        /* Evict the least recently used down to 90% of the limit. */
        qsort(flows, n, sizeof *flows, cmp_used);
        size_t target = sw->flow_limit - sw->flow_limit / 10;
        for (size_t i = 0; i < n && n_live > target; i++) {
            if (flows[i].stats.used_msec >= 0) {
                dpif_flow_del(sw->dpif, &flows[i].key, &flows[i].mask, NULL);
                COVERAGE_INC(dp_switch_flow_evicted);
                n_live--;
            }
        }
    }
    free(flows);
    free(x);
}

void
dp_switch_run(struct dp_switch *sw)
{
    long long now = time_msec();

    dpif_run(sw->dpif);
    int n_upcalls;
    for (n_upcalls = 0; n_upcalls < UPCALL_BATCH; n_upcalls++) {
        struct dpif_upcall u;
        if (dpif_recv(sw->dpif, &u)) {
            break;
        }
        handle_upcall(sw, &u);
    }
    /* Upcalls already taken off the ring do not wake the poll loop. */
    sw->more_upcalls = n_upcalls == UPCALL_BATCH;

    bool maintain = now >= sw->next_maintain;
    if (maintain) {
        mac_learning_expire(sw->ml, now);
        sw->next_maintain = now + MAINTAIN_MS;
    }
    bool changed = sw->ports_changed || sw->ml->seq != sw->revalidated_seq;
    bool recheck = changed && now >= sw->next_revalidate;
    if (recheck || maintain) {
        if (recheck) {
            sw->ports_changed = false;
            sw->next_revalidate = now + REVALIDATE_MIN_MS;
        }
        uint64_t seq = sw->ml->seq;
        revalidate(sw, recheck, maintain);
        /* Refreshes during the pass are not news. */
        if (recheck || seq == sw->revalidated_seq) {
            sw->revalidated_seq = sw->ml->seq;
        }
    }
}

void
dp_switch_wait(struct dp_switch *sw)
{
    int fd = dpif_upcall_fd(sw->dpif);
    if (fd >= 0) {
        poll_fd_wait(fd, POLLIN);
    }
    dpif_wait(sw->dpif);
    if (sw->more_upcalls) {
        poll_immediate_wake();
    }
    poll_timer_wait_until(sw->next_maintain);
    if (sw->ports_changed || sw->ml->seq != sw->revalidated_seq) {
        poll_timer_wait_until(sw->next_revalidate);
    }
}

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
