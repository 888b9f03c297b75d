/* qos: Linux traffic control for the ports of a bridge, over rtnetlink
 * (libnl-route-3).  Two jobs, both on one device at a time:
 *
 *   - egress queues: a root HTB (or HFSC) qdisc with handle 1:, a root
 *     class 1:fffe that caps the whole port at the QoS max-rate, and one
 *     class per OpenFlow queue, queue N being class 1:N+1 (the skb
 *     priority that set_queue/enqueue give a packet, DP_QUEUE_PRIORITY()).
 *     Unqueued traffic goes to class 1:1 (queue 0), which always exists.
 *
 *   - ingress policing: a token bucket filter (BPF) on the clsact ingress
 *     hook, ahead of the datapath's own tc program.
 *
 * The caller (bridge-qos.c) decides when; this module never looks at a
 * device it is not given.  Functions return 0 or a positive errno and, for
 * the caller's status, may set '*errp' to a malloc'd message. */
#ifndef VSWITCHD_QOS_H
#define VSWITCHD_QOS_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Handles, as Open vSwitch users know them from `tc class show`. */
#define QOS_ROOT_CLASS 0xfffe          /* Minor of the class under 1:. */
#define QOS_QUEUE_CLASS(Q) ((Q) + 1)   /* Minor of queue Q's class. */
#define QOS_MAX_QUEUE 0xfffd           /* Highest queue id a class fits. */
#define QOS_MIN_RATE 12000ULL          /* bit/s: one 1500-byte frame/s. */

enum qos_type {
    QOS_NONE,                   /* No qdisc of ours. */
    QOS_HTB,                    /* "linux-htb". */
    QOS_HFSC,                   /* "linux-hfsc". */
};

/* One queue, validated: rates in bit/s, burst in bits (0: the kernel's
 * default for the rate). */
struct qos_queue {
    uint32_t id;
    uint64_t min_rate, max_rate;
    uint64_t burst;
    uint32_t priority;          /* HTB priority, 0 is served first. */
    bool min_rate_set;          /* min-rate configured (else a default);
                                 * OpenFlow reports only configured ones. */
    int dscp;                   /* Queue dscp column: the DSCP its IP
                                 * packets get; -1 for none. */
};

/* A port's QoS, validated and with defaults filled in. */
struct qos_spec {
    enum qos_type type;
    uint64_t max_rate;          /* bit/s of the whole port. */
    struct qos_queue *queues;   /* Sorted by id; owned. */
    size_t n_queues;
};

/* The strings of a QoS row and its queues, as the database has them
 * (NULL when a key is absent).  qos_parse() turns them into a spec. */
struct qos_queue_text {
    long long id;
    const char *min_rate, *max_rate, *burst, *priority;
    int dscp;                   /* -1: none. */
};
struct qos_text {
    const char *type;
    const char *max_rate;
    const struct qos_queue_text *queues;
    size_t n_queues;
};

/* Validates 'text' for device 'dev' (whose link speed is the default
 * max-rate).  On error returns EINVAL with '*errp' saying which key and
 * value, and leaves 'spec' empty. */
int qos_parse(const struct qos_text *text, const char *dev,
              struct qos_spec *spec, char **errp);
void qos_spec_uninit(struct qos_spec *);
bool qos_spec_equal(const struct qos_spec *, const struct qos_spec *);
const char *qos_type_name(enum qos_type);

/* Makes the egress qdisc of 'dev' match 'new'.  'old' is what this module
 * installed before (type QOS_NONE if nothing): same type means classes
 * are changed in place (their counters go on) and removed queues' classes
 * deleted; otherwise the root qdisc is replaced.  'new' of type QOS_NONE
 * removes our root qdisc, giving the device back its default. */
int qos_install(const char *dev, const struct qos_spec *old,
                const struct qos_spec *new, char **errp);

/* Counters of the classes of 'n' queues 'ids' of 'dev', in one dump of
 * the classes: fills 'stats[i]' (zeros for a queue without a class). */
struct qos_queue_stats {
    uint64_t tx_bytes, tx_packets, tx_drops;
};
int qos_queues_stats(const char *dev, const uint32_t *ids, size_t n,
                     struct qos_queue_stats *stats);

/* Ingress policing of 'dev' (vswitchd/qos-police.c): 'rate_kbps' (kbit/s)
 * with a bucket of 'burst_kb' kbit (0: a default of 8000 kbit, as Open
 * vSwitch uses); rate 0 removes the policer.  The kernels this runs on
 * need not have tc's police action: the policer is a small BPF program,
 * attached as a tc filter on clsact ingress at QOS_POLICE_PRIO, before
 * the datapath's program (priority 2, see dpif-xdp.c). */
/* Removes from 'dev' the root qdisc, or the ingress policer, that a
 * vs-vswitchd installed and that nothing now asks for (the database changed
 * while none ran).  Only what is recognisably ours goes: a qdisc 1: with
 * the class 1:fffe (QOS_ROOT_CLASS), a filter with our handle and
 * priority.  Return 0 if nothing was there, 1 if it went, or a positive
 * errno (with '*errp' set; the caller frees it). */
int qos_remove_stale(const char *dev, char **errp);
int qos_remove_stale_policer(const char *dev);

int qos_set_policing(const char *dev, uint32_t rate_kbps, uint32_t burst_kb,
                     char **errp);
/* Packets the policer of 'dev' let through and dropped. */
int qos_policing_stats(const char *dev, uint64_t *passed, uint64_t *dropped);

#define QOS_POLICE_PRIO 1
#define QOS_POLICE_HANDLE 0x5150       /* "QP" */
#define QOS_MAX_POLICED_PORTS 1024

#endif /* vswitchd/qos.h */
