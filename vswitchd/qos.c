/* qos: egress queues and ingress policing with tc (see qos.h). */
#include <config.h>
#include "vswitchd/qos.h"
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/pkt_sched.h>
#include <netlink/netlink.h>
#include <netlink/route/class.h>
#include <netlink/route/qdisc.h>
#include <netlink/route/qdisc/hfsc.h>
#include <netlink/route/qdisc/htb.h>
#include <netlink/route/tc.h>
#include "util.h"

#define HANDLE(MINOR) TC_HANDLE(1, (MINOR))
#define DEFAULT_LINK_RATE 100000000ULL  /* bit/s when the link speed is
                                         * unknown, as Open vSwitch does. */

const char *
qos_type_name(enum qos_type t)
{
    return t == QOS_HTB ? "linux-htb" : t == QOS_HFSC ? "linux-hfsc" : "";
}

/* ---- Parsing -------------------------------------------------------- */

/* A non-negative decimal from the database; 'what' names it for errors. */
static int
parse_u64(const char *s, const char *what, uint64_t *v, char **errp)
{
    char *end;
    if (!s) {
        *v = 0;
        return 0;
    }
    errno = 0;
    unsigned long long n = strtoull(s, &end, 10);
    if (!s[0] || *end || errno || s[0] == '-' || s[0] == '+') {
        *errp = xasprintf("%s \"%s\" is not a non-negative integer", what, s);
        return EINVAL;
    }
    *v = n;
    return 0;
}

/* Link speed of 'dev' in bit/s, or the default. */
static uint64_t
link_rate(const char *dev)
{
    char path[128];
    long long mbps = 0;
    snprintf(path, sizeof path, "/sys/class/net/%s/speed", dev);
    FILE *f = fopen(path, "r");
    if (f) {
        if (fscanf(f, "%lld", &mbps) != 1) {
            mbps = 0;
        }
        fclose(f);
    }
    return mbps > 0 ? (uint64_t) mbps * 1000000 : DEFAULT_LINK_RATE;
}

static int
queue_cmp(const void *a_, const void *b_)
{
    const struct qos_queue *a = a_, *b = b_;
    return a->id < b->id ? -1 : a->id > b->id;
}

int
qos_parse(const struct qos_text *t, const char *dev, struct qos_spec *spec,
          char **errp)
{
    int error = 0;

    memset(spec, 0, sizeof *spec);
    *errp = NULL;
    if (!t || !t->type) {
        return 0;
    }
    enum qos_type type = !strcmp(t->type, "linux-htb") ? QOS_HTB
                         : !strcmp(t->type, "linux-hfsc") ? QOS_HFSC
                         : QOS_NONE;
    if (type == QOS_NONE) {
        *errp = xasprintf("QoS type \"%s\" is not supported (linux-htb and "
                          "linux-hfsc are)", t->type);
        return EINVAL;
    }
    uint64_t max_rate;
    error = parse_u64(t->max_rate, "QoS other_config:max-rate", &max_rate,
                      errp);
    if (error) {
        return error;
    }
    if (!max_rate) {
        max_rate = link_rate(dev);
    }
    struct qos_queue *q = xcalloc(t->n_queues ? t->n_queues : 1, sizeof *q);
    for (size_t i = 0; i < t->n_queues && !error; i++) {
        const struct qos_queue_text *qt = &t->queues[i];
        char what[64];
        uint64_t prio;

        if (qt->id < 0 || qt->id > QOS_MAX_QUEUE) {
            *errp = xasprintf("queue %lld: queue numbers go up to %d "
                              "(one tc class each)", qt->id, QOS_MAX_QUEUE);
            error = EINVAL;
            break;
        }
        q[i].id = qt->id;
#define QPARSE(FIELD, KEY, DST)                                             \
        snprintf(what, sizeof what, "queue %lld other_config:" KEY, qt->id); \
        error = error ? error : parse_u64(qt->FIELD, what, DST, errp);
        QPARSE(min_rate, "min-rate", &q[i].min_rate);
        QPARSE(max_rate, "max-rate", &q[i].max_rate);
        QPARSE(burst, "burst", &q[i].burst);
        QPARSE(priority, "priority", &prio);
#undef QPARSE
        if (error) {
            break;
        }
        if (prio > 7) {
            *errp = xasprintf("queue %lld other_config:priority %llu: "
                              "priorities go from 0 to 7", qt->id,
                              (unsigned long long) prio);
            error = EINVAL;
            break;
        }
        q[i].priority = prio;
        q[i].min_rate_set = qt->min_rate != NULL;
        if (qt->dscp > 63) {
            *errp = xasprintf("queue %lld dscp %d: DSCPs go from 0 to 63",
                              qt->id, qt->dscp);
            error = EINVAL;
            break;
        }
        q[i].dscp = qt->dscp < 0 ? -1 : qt->dscp;
        /* As Open vSwitch: a queue may use the whole port unless capped,
         * and is guaranteed at least one frame a second. */
        if (!q[i].max_rate || q[i].max_rate > max_rate) {
            q[i].max_rate = max_rate;
        }
        if (q[i].min_rate < QOS_MIN_RATE) {
            q[i].min_rate = QOS_MIN_RATE;
        }
        if (q[i].min_rate > q[i].max_rate) {
            q[i].min_rate = q[i].max_rate;
        }
    }
    if (error) {
        free(q);
        return error;
    }
    qsort(q, t->n_queues, sizeof *q, queue_cmp);
    spec->type = type;
    spec->max_rate = max_rate;
    spec->queues = q;
    spec->n_queues = t->n_queues;
    return 0;
}

void
qos_spec_uninit(struct qos_spec *spec)
{
    free(spec->queues);
    memset(spec, 0, sizeof *spec);
}

static bool
queue_equal(const struct qos_queue *a, const struct qos_queue *b)
{
    return a->id == b->id && a->min_rate == b->min_rate
           && a->max_rate == b->max_rate && a->burst == b->burst
           && a->priority == b->priority
           && a->min_rate_set == b->min_rate_set && a->dscp == b->dscp;
}

bool
qos_spec_equal(const struct qos_spec *a, const struct qos_spec *b)
{
    if (a->type != b->type || a->max_rate != b->max_rate
        || a->n_queues != b->n_queues) {
        return false;
    }
    for (size_t i = 0; i < a->n_queues; i++) {
        if (!queue_equal(&a->queues[i], &b->queues[i])) {
            return false;
        }
    }
    return true;
}

/* ---- Netlink plumbing ----------------------------------------------- */

/* libnl errors are negative NLE_* codes; the callers want errnos. */
static int
nl_errno(int nle)
{
    switch (-nle) {
    case 0: return 0;
    case NLE_EXIST: return EEXIST;
    case NLE_OBJ_NOTFOUND: return ENOENT;
    case NLE_NODEV: return ENODEV;
    case NLE_PERM: return EPERM;
    case NLE_NOMEM: return ENOMEM;
    case NLE_INVAL: return EINVAL;
    case NLE_OPNOTSUPP: return EOPNOTSUPP;
    case NLE_RANGE: return ERANGE;
    case NLE_BUSY: return EBUSY;
    default: return EPROTO;
    }
}

static struct nl_sock *
route_sock(void)
{
    struct nl_sock *sk = nl_socket_alloc();
    if (sk && nl_connect(sk, NETLINK_ROUTE)) {
        nl_socket_free(sk);
        sk = NULL;
    }
    return sk;
}

/* ifindex of 'dev', with a message if it is gone. */
static int
dev_index(const char *dev, char **errp)
{
    int ifindex = if_nametoindex(dev);
    if (!ifindex && errp) {
        *errp = xasprintf("no device %s", dev);
    }
    return ifindex;
}

/* "WHAT: strerror" into '*errp' (takes 'what'); the caller's log names
 * the device, the status column is the device's own. */
static void
set_error(char **errp, int error, char *what)
{
    if (errp && !*errp) {
        *errp = xasprintf("%s: %s", what, vs_strerror(error));
    }
    free(what);
}

/* ---- Egress queues -------------------------------------------------- */

/* Bytes of a bucket that holds 'bits', at least one frame. */
static uint32_t
burst_bytes(uint64_t bits)
{
    uint64_t b = bits / 8;
    return b < 1600 ? 1600 : b > UINT32_MAX / 2 ? UINT32_MAX / 2 : b;
}

/* Bytes of a bucket for 'rate' (bit/s) when none is configured: what the
 * rate sends in one 250 Hz timer tick plus a frame, as tc computes it (a
 * one-frame bucket would hold a fast class under its rate). */
static uint32_t
default_buffer(uint64_t rate)
{
    uint64_t b = rate / 8 / 250 + 1600;
    return b > UINT32_MAX / 2 ? UINT32_MAX / 2 : b;
}

static int
add_root_qdisc(struct nl_sock *sk, int ifindex, enum qos_type type)
{
    struct rtnl_qdisc *q = rtnl_qdisc_alloc();
    struct rtnl_tc *tc = TC_CAST(q);
    int err;

    rtnl_tc_set_ifindex(tc, ifindex);
    rtnl_tc_set_parent(tc, TC_H_ROOT);
    rtnl_tc_set_handle(tc, HANDLE(0));
    rtnl_tc_set_kind(tc, type == QOS_HTB ? "htb" : "hfsc");
    if (type == QOS_HTB) {
        rtnl_htb_set_defcls(q, QOS_QUEUE_CLASS(0));
        /* Quantums are set per class; this only silences the kernel's
         * warning about ones computed from small rates. */
        rtnl_htb_set_rate2quantum(q, 10);
    } else {
        rtnl_qdisc_hfsc_set_defcls(q, QOS_QUEUE_CLASS(0));
    }
    err = rtnl_qdisc_add(sk, q, NLM_F_CREATE | NLM_F_REPLACE);
    rtnl_qdisc_put(q);
    return nl_errno(err);
}

static void
hfsc_curve(struct tc_service_curve *sc, uint64_t bits)
{
    memset(sc, 0, sizeof *sc);
    sc->m2 = bits / 8 > UINT32_MAX ? UINT32_MAX : bits / 8;
}

/* Adds or changes class 1:'minor' under 'parent' with the given rates. */
static int
put_class(struct nl_sock *sk, int ifindex, enum qos_type type,
          uint32_t parent, uint32_t minor, uint64_t min_rate,
          uint64_t max_rate, uint64_t burst, uint32_t prio)
{
    struct rtnl_class *c = rtnl_class_alloc();
    struct rtnl_tc *tc = TC_CAST(c);
    int err;

    rtnl_tc_set_ifindex(tc, ifindex);
    rtnl_tc_set_parent(tc, parent);
    rtnl_tc_set_handle(tc, HANDLE(minor));
    rtnl_tc_set_kind(tc, type == QOS_HTB ? "htb" : "hfsc");
    if (type == QOS_HTB) {
        uint64_t quantum = min_rate / 8 / 10;
        rtnl_htb_set_rate64(c, min_rate / 8);
        rtnl_htb_set_ceil64(c, max_rate / 8);
        rtnl_htb_set_prio(c, prio);
        rtnl_htb_set_quantum(c, quantum < 1600 ? 1600
                                : quantum > 200000 ? 200000 : quantum);
        rtnl_htb_set_rbuffer(c, burst ? burst_bytes(burst)
                                : default_buffer(min_rate));
        rtnl_htb_set_cbuffer(c, burst ? burst_bytes(burst)
                                : default_buffer(max_rate));
    } else {
        struct tc_service_curve rsc, usc;
        hfsc_curve(&rsc, min_rate);
        hfsc_curve(&usc, max_rate);
        rtnl_class_hfsc_set_rsc(c, &rsc);
        rtnl_class_hfsc_set_fsc(c, &rsc);
        rtnl_class_hfsc_set_usc(c, &usc);
    }
    err = rtnl_class_add(sk, c, NLM_F_CREATE | NLM_F_REPLACE);
    rtnl_class_put(c);
    return nl_errno(err);
}

static int
del_class(struct nl_sock *sk, int ifindex, uint32_t minor)
{
    struct rtnl_class *c = rtnl_class_alloc();
    rtnl_tc_set_ifindex(TC_CAST(c), ifindex);
    rtnl_tc_set_handle(TC_CAST(c), HANDLE(minor));
    rtnl_tc_set_parent(TC_CAST(c), HANDLE(QOS_ROOT_CLASS));
    int err = rtnl_class_delete(sk, c);
    rtnl_class_put(c);
    return nl_errno(err);
}

static int
del_root_qdisc(struct nl_sock *sk, int ifindex)
{
    struct rtnl_qdisc *q = rtnl_qdisc_alloc();
    rtnl_tc_set_ifindex(TC_CAST(q), ifindex);
    rtnl_tc_set_parent(TC_CAST(q), TC_H_ROOT);
    rtnl_tc_set_handle(TC_CAST(q), HANDLE(0));
    int err = nl_errno(rtnl_qdisc_delete(sk, q));
    rtnl_qdisc_put(q);
    return err == ENOENT || err == EINVAL ? 0 : err;
}

static const struct qos_queue *find_queue(const struct qos_spec *,
                                          uint32_t id);

/* Whether 'ifindex' has a root qdisc 1: of the kind 'type' wants. */
static bool
has_root_qdisc(struct nl_sock *sk, int ifindex, enum qos_type type)
{
    struct nl_cache *cache;
    bool found = false;

    if (rtnl_qdisc_alloc_cache(sk, &cache)) {
        return false;
    }
    struct rtnl_qdisc *q = rtnl_qdisc_get_by_parent(cache, ifindex,
                                                    TC_H_ROOT);
    if (q) {
        const char *kind = rtnl_tc_get_kind(TC_CAST(q));
        found = rtnl_tc_get_handle(TC_CAST(q)) == HANDLE(0) && kind
                && !strcmp(kind, type == QOS_HTB ? "htb" : "hfsc");
        rtnl_qdisc_put(q);
    }
    nl_cache_free(cache);
    return found;
}

/* Whether class 'handle' under 'parent' has a place in the tree of 's':
 * the root class, the default class, or a queue's class under the root. */
static bool
class_wanted(const struct qos_spec *s, uint32_t handle, uint32_t parent)
{
    uint32_t minor = TC_H_MIN(handle);
    if (TC_H_MAJ(handle) != HANDLE(0)) {
        return true;            /* Not in our tree. */
    }
    if (minor == QOS_ROOT_CLASS) {
        /* The kernel reports a class right under the qdisc as "root". */
        return parent == HANDLE(0) || parent == TC_H_ROOT;
    }
    return parent == HANDLE(QOS_ROOT_CLASS)
           && (minor == QOS_QUEUE_CLASS(0)
               || (minor >= 1 && find_queue(s, minor - 1)));
}

/* A root qdisc of the kind 's' wants is already there (a vs-vswitchd
 * before this one, or a hand-made one): keep it, and its counters, and
 * delete the classes that have no place in 's' (leaves first: our tree is
 * two deep).  The caller then puts every class of 's'. */
static int
adopt_root_qdisc(struct nl_sock *sk, int ifindex, const struct qos_spec *s)
{
    struct nl_cache *cache;
    int error = 0;

    if (rtnl_class_alloc_cache(sk, ifindex, &cache)) {
        return EPROTO;
    }
    for (int pass = 0; pass < 2 && !error; pass++) {
        for (struct nl_object *o = nl_cache_get_first(cache); o;
             o = nl_cache_get_next(o)) {
            struct rtnl_tc *tc = TC_CAST(o);
            uint32_t handle = rtnl_tc_get_handle(tc);
            uint32_t parent = rtnl_tc_get_parent(tc);
            bool inner = parent == HANDLE(0) || parent == TC_H_ROOT;
            if ((pass == 0) == inner
                || class_wanted(s, handle, parent)) {
                continue;
            }
            int err = nl_errno(rtnl_class_delete(sk, (struct rtnl_class *) o));
            if (err && err != ENOENT) {
                error = err;
                break;
            }
        }
    }
    nl_cache_free(cache);
    return error;
}

static const struct qos_queue *
find_queue(const struct qos_spec *s, uint32_t id)
{
    for (size_t i = 0; i < s->n_queues; i++) {
        if (s->queues[i].id == id) {
            return &s->queues[i];
        }
    }
    return NULL;
}

int
qos_install(const char *dev, const struct qos_spec *old,
            const struct qos_spec *new, char **errp)
{
    int ifindex = dev_index(dev, errp);
    struct nl_sock *sk;
    int error = 0;

    *errp = NULL;
    if (!ifindex) {
        return ENODEV;
    }
    if (!(sk = route_sock())) {
        *errp = xstrdup("cannot open an rtnetlink socket");
        return EPROTO;
    }
    if (new->type == QOS_NONE) {
        error = old->type != QOS_NONE ? del_root_qdisc(sk, ifindex) : 0;
        if (error) {
            set_error(errp, error, xstrdup("removing root qdisc"));
        }
        goto out;
    }
    if (old->type != new->type) {
        /* The kernel cannot "replace" a qdisc with one of its own kind
         * (ours from before a restart, most likely): adopt that one. */
        error = (old->type == QOS_NONE
                 && has_root_qdisc(sk, ifindex, new->type)
                 ? adopt_root_qdisc(sk, ifindex, new)
                 : add_root_qdisc(sk, ifindex, new->type));
        if (error) {
            const char *kind = new->type == QOS_HTB ? "htb" : "hfsc";
            if (error == ENOENT) {
                /* What the kernel says for a qdisc kind it does not
                 * have. */
                *errp = xasprintf("%s: this kernel has no %s qdisc "
                                  "(sch_%s)", qos_type_name(new->type),
                                  kind, kind);
            }
            set_error(errp, error, xasprintf("adding %s root qdisc",
                                                  qos_type_name(new->type)));
            goto out;
        }
        old = NULL;             /* Nothing of the old classes is left. */
    }
    error = put_class(sk, ifindex, new->type, HANDLE(0), QOS_ROOT_CLASS,
                      new->max_rate, new->max_rate, 0, 0);
    if (error) {
        set_error(errp, error, xasprintf("class 1:%x", QOS_ROOT_CLASS));
        goto out;
    }
    /* Queue 0's class takes the unqueued traffic: make it even when the
     * database has no queue 0. */
    if (!find_queue(new, 0)) {
        error = put_class(sk, ifindex, new->type, HANDLE(QOS_ROOT_CLASS),
                          QOS_QUEUE_CLASS(0), QOS_MIN_RATE, new->max_rate,
                          0, 0);
        if (error) {
            set_error(errp, error, xasprintf("default class 1:%x",
                                                  QOS_QUEUE_CLASS(0)));
            goto out;
        }
    }
    for (size_t i = 0; i < new->n_queues; i++) {
        const struct qos_queue *q = &new->queues[i];
        const struct qos_queue *was = old ? find_queue(old, q->id) : NULL;
        if (was && queue_equal(was, q)) {
            continue;
        }
        error = put_class(sk, ifindex, new->type, HANDLE(QOS_ROOT_CLASS),
                          QOS_QUEUE_CLASS(q->id), q->min_rate, q->max_rate,
                          q->burst, q->priority);
        if (error) {
            set_error(errp, error,
                      xasprintf("class 1:%x", QOS_QUEUE_CLASS(q->id)));
            goto out;
        }
    }
    for (size_t i = 0; old && i < old->n_queues; i++) {
        uint32_t id = old->queues[i].id;
        if (id && !find_queue(new, id)) {
            error = del_class(sk, ifindex, QOS_QUEUE_CLASS(id));
            if (error && error != ENOENT) {
                set_error(errp, error, xasprintf("deleting class 1:%x",
                                                      QOS_QUEUE_CLASS(id)));
                goto out;
            }
            error = 0;
        }
    }
out:
    nl_socket_free(sk);
    return error;
}

/* Whether 'ifindex' has the class 1:fffe, which only our trees use. */
static bool
has_our_root_class(struct nl_sock *sk, int ifindex)
{
    struct nl_cache *cache;
    bool found = false;

    if (rtnl_class_alloc_cache(sk, ifindex, &cache)) {
        return false;
    }
    for (struct nl_object *o = nl_cache_get_first(cache); o && !found;
         o = nl_cache_get_next(o)) {
        found = rtnl_tc_get_handle(TC_CAST(o)) == HANDLE(QOS_ROOT_CLASS);
    }
    nl_cache_free(cache);
    return found;
}

int
qos_remove_stale(const char *dev, char **errp)
{
    int ifindex = dev_index(dev, NULL);
    struct nl_sock *sk;
    int error = 0;

    *errp = NULL;
    if (!ifindex || !(sk = route_sock())) {
        return 0;               /* Nothing to find, then. */
    }
    bool stale = has_our_root_class(sk, ifindex);
    if (stale) {
        error = del_root_qdisc(sk, ifindex);
        if (error) {
            set_error(errp, error, xstrdup("removing a stale root qdisc"));
        }
    }
    nl_socket_free(sk);
    return error ? error : stale;
}

int
qos_queues_stats(const char *dev, const uint32_t *ids, size_t n,
                 struct qos_queue_stats *stats)
{
    int ifindex = dev_index(dev, NULL);
    struct nl_cache *cache;
    struct nl_sock *sk;
    size_t found = 0;

    memset(stats, 0, n * sizeof *stats);
    if (!ifindex) {
        return ENODEV;
    }
    if (!(sk = route_sock())) {
        return EPROTO;
    }
    if (rtnl_class_alloc_cache(sk, ifindex, &cache)) {
        nl_socket_free(sk);
        return EPROTO;
    }
    for (struct nl_object *o = nl_cache_get_first(cache); o;
         o = nl_cache_get_next(o)) {
        struct rtnl_tc *tc = TC_CAST(o);
        uint32_t handle = rtnl_tc_get_handle(tc);
        for (size_t i = 0; i < n; i++) {
            if (ids[i] <= QOS_MAX_QUEUE
                && handle == HANDLE(QOS_QUEUE_CLASS(ids[i]))) {
                stats[i].tx_bytes = rtnl_tc_get_stat(tc, RTNL_TC_BYTES);
                stats[i].tx_packets = rtnl_tc_get_stat(tc, RTNL_TC_PACKETS);
                stats[i].tx_drops = rtnl_tc_get_stat(tc, RTNL_TC_DROPS);
                found++;
            }
        }
    }
    nl_cache_free(cache);
    nl_socket_free(sk);
    return found || !n ? 0 : ENOENT;
}
