/* dpif: the one interface between the switch (ofproto, vs-dpctl) and a
 * datapath provider (dpif-xdp today, dpif-dpdk later).
 *
 * A datapath has ports (numbered 1..DP_MAX_PORTS-1), a megaflow cache
 * (entries = masked key + mask + action list, with packet/byte counters and
 * a last-used time) and an upcall channel that hands up packets that missed
 * the cache.  Keys, masks and actions use the datapath-neutral encoding of
 * datapath/bpf/dp-key.h (struct dp_key, struct dp_action), which the BPF
 * programs also read; a provider that is not BPF simply uses the same
 * structs.
 *
 * Packets crossing this interface (upcalls, execute) are whole Ethernet
 * frames with any 802.1Q tag in-band.
 *
 * All functions return 0 or a positive errno value.  Not thread-safe: one
 * thread owns a struct dpif. */
#ifndef DPIF_H
#define DPIF_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "datapath/bpf/dp-key.h"

struct dpif;
struct ds;

#define DPIF_PORT_ANY 0           /* Let the datapath pick a port number. */

struct dpif_port {
    uint32_t port_no;
    char name[16];
    char type[16];                /* "system", "internal", "tap". */
    int ifindex;
    uint32_t flags;               /* Provider-specific (DP_PORT_*). */
};

/* A port's counters as the switch sees them: rx came into the switch. */
struct dpif_port_stats {
    uint64_t rx_packets, rx_bytes;
    uint64_t tx_packets, tx_bytes;
};

struct dpif_dp_stats {
    uint64_t n_hit;               /* Megaflow hits. */
    uint64_t n_missed;            /* Upcalls sent. */
    uint64_t n_lost;              /* Upcalls dropped (channel full). */
    uint64_t n_mask_probes;       /* Masks probed, summed over lookups. */
    uint64_t n_xdp_fwd;           /* Hits handled by XDP alone (dpif-xdp). */
    uint64_t n_flows;
    uint32_t n_masks;
};

struct dpif_flow_stats {
    uint64_t packets;
    uint64_t bytes;
    long long used_msec;          /* time_msec()-style monotonic, 0 = never. */
    uint16_t tcp_flags;           /* OR of the TCP packets' flags (TCP_*
                                   * bits of packets.h); 0 where the
                                   * datapath does not keep them. */
};

struct dpif_flow {
    struct dp_key key;            /* Already masked. */
    struct dp_key mask;
    struct dp_action actions[DP_MAX_ACTIONS];
    size_t n_actions;
    struct dpif_flow_stats stats;
    uint32_t handle;              /* As put (see dpif_op_flow_put). */
};

enum dpif_put_flags {
    DPIF_FP_CREATE = 1 << 0,      /* Fail with EEXIST if present. */
    DPIF_FP_MODIFY = 1 << 1,      /* Fail with ENOENT if absent (unless CREATE). */
    DPIF_FP_ZERO_STATS = 1 << 2,
};

/* A meter with one drop band (OpenFlow meter with a drop band): packets
 * over 'rate' are dropped; 'burst' is the bucket size (0: a default).  The
 * fast path counts a GSO skb as its segments for packet meters. */
struct dpif_meter {
    bool pktps;                   /* Packets/s and packets; else kbit/s and
                                   * kbit. */
    uint32_t rate;                /* 1..DP_METER_MAX_RATE. */
    uint32_t burst;
};

struct dpif_meter_stats {
    uint64_t n_packets;           /* Passed. */
    uint64_t n_bytes;
    uint64_t n_dropped;
};

struct dpif_upcall {
    uint32_t reason;              /* DP_UPCALL_MISS or DP_UPCALL_ACTION. */
    struct dp_key key;            /* Unmasked; key.in_port is the ingress. */
    uint8_t *packet;              /* Owned by the dpif until the next recv. */
    size_t len;                   /* Bytes at 'packet'. */
    size_t pkt_len;               /* Original length (> len if truncated). */
};

/* Batches (dpif_operate()): flow puts and packet executions handed to
 * the provider together, so that it can pass a whole poll iteration's
 * worth to the kernel in a few syscalls. */
enum dpif_op_type {
    DPIF_OP_FLOW_PUT,             /* As dpif_flow_put(), no old stats. */
    DPIF_OP_EXECUTE,              /* As dpif_execute(). */
};

struct dpif_op_flow_put {
    const struct dp_key *key;
    const struct dp_key *mask;
    const struct dp_action *actions;
    size_t n_actions;
    enum dpif_put_flags flags;
    /* The caller's number for its own record of the flow, kept with the
     * flow and given back by dumps, so that finding the record of a
     * dumped flow needs no hash of its key.  0: none, or with
     * DPIF_FP_MODIFY, keep the flow's.  dpif_flow_put() passes 0. */
    uint32_t handle;
};

struct dpif_op_execute {
    const void *packet;
    size_t len;
    const struct dp_key *key;
    const struct dp_action *actions;
    size_t n_actions;
};

struct dpif_op {
    enum dpif_op_type type;
    union {
        struct dpif_op_flow_put put;
        struct dpif_op_execute execute;
    };
    int error;                    /* Set by dpif_operate(): 0 or errno. */
};

struct dpif_class {
    const char *type;             /* "xdp", "dpdk". */

    int (*open)(const char *name, bool create, struct dpif **);
    void (*close)(struct dpif *);
    int (*destroy)(struct dpif *);          /* Deletes the datapath; closes. */
    void (*run)(struct dpif *);
    void (*wait)(struct dpif *);
    int (*get_stats)(struct dpif *, struct dpif_dp_stats *);

    /* 'options' is "key=value,..." or NULL. */
    int (*port_add)(struct dpif *, const char *devname, const char *type,
                    const char *options, uint32_t *port_no);
    int (*port_del)(struct dpif *, uint32_t port_no);
    int (*port_query_by_number)(struct dpif *, uint32_t port_no,
                                struct dpif_port *);
    int (*port_query_by_name)(struct dpif *, const char *devname,
                              struct dpif_port *);
    /* Sets '*ports' to a malloc'd array of '*n' ports. */
    int (*port_dump)(struct dpif *, struct dpif_port **ports, size_t *n);
    /* With 'tc_only', everything port 'port_no' receives goes through the
     * tc hook (after any tc filter of a lower priority number, e.g. an
     * ingress policer), never the XDP fast path.  Optional. */
    int (*port_set_tc_only)(struct dpif *, uint32_t port_no, bool tc_only);
    /* With 'qdisc', what goes out of port 'port_no' passes its root qdisc
     * (QoS): never a fast path that goes around it.  Optional. */
    int (*port_set_qdisc_egress)(struct dpif *, uint32_t port_no,
                                 bool qdisc);

    int (*flow_put)(struct dpif *, const struct dp_key *key,
                    const struct dp_key *mask, const struct dp_action *,
                    size_t n_actions, enum dpif_put_flags,
                    struct dpif_flow_stats *old_stats);
    int (*flow_get)(struct dpif *, const struct dp_key *key,
                    const struct dp_key *mask, struct dpif_flow *);
    int (*flow_del)(struct dpif *, const struct dp_key *key,
                    const struct dp_key *mask, struct dpif_flow_stats *);
    int (*flow_flush)(struct dpif *);
    /* Sets '*flows' to a malloc'd array of '*n' flows. */
    int (*flow_dump)(struct dpif *, struct dpif_flow **flows, size_t *n);
    /* Optional: one piece of an incremental dump, see
     * dpif_flow_dump_chunk(). */
    int (*flow_dump_chunk)(struct dpif *, uint64_t *cursor, size_t max,
                           struct dpif_flow **flows, size_t *n, bool *done);
    /* Optional: see dpif_flow_stats_by_handle(). */
    int (*flow_stats_by_handle)(struct dpif *, uint32_t handle,
                                struct dpif_flow_stats *);

    /* Sends 'packet' as if it had arrived on key->in_port (which floods
     * exclude) and hit a flow with these actions. */
    int (*execute)(struct dpif *, const void *packet, size_t len,
                   const struct dp_key *key, const struct dp_action *,
                   size_t n_actions);

    /* Optional: carries out 'ops' (see dpif_operate()); NULL: one by one
     * through flow_put and execute. */
    void (*operate)(struct dpif *, struct dpif_op *ops, size_t n);

    /* Returns EAGAIN when no upcall is waiting. */
    int (*recv)(struct dpif *, struct dpif_upcall *);
    /* Optional: up to 'max' upcalls at once (see dpif_recv_batch()). */
    size_t (*recv_batch)(struct dpif *, struct dpif_upcall *, size_t max);
    void (*recv_wait)(struct dpif *);
    /* Fd that becomes readable when upcalls arrive, or -1. */
    int (*upcall_fd)(struct dpif *);

    /* Meters, ids 0..DP_MAX_METERS-1, used by DP_ACT_METER.  Setting an
     * existing meter changes its band and keeps its counters.  Optional:
     * NULL means EOPNOTSUPP. */
    int (*meter_set)(struct dpif *, uint32_t id, const struct dpif_meter *);
    int (*meter_get)(struct dpif *, uint32_t id, struct dpif_meter *,
                     struct dpif_meter_stats *);
    int (*meter_del)(struct dpif *, uint32_t id);
    /* Optional: counters of a port that has no netdev of its own to read
     * them from (tunnel ports); NULL or EOPNOTSUPP: none. */
    int (*port_stats)(struct dpif *, uint32_t port_no,
                      struct dpif_port_stats *);
};

struct dpif {
    const struct dpif_class *class;
    char *name;                   /* Owned. */
};

/* Generic calls; 'type' NULL or "" means the default ("xdp"). */
const struct dpif_class *dpif_class_lookup(const char *type);
/* Adds a provider (e.g. "dpdk") at startup.  Returns 0, EEXIST or ENOSPC. */
int dpif_register_class(const struct dpif_class *);
int dpif_open(const char *type, const char *name, bool create, struct dpif **);
void dpif_close(struct dpif *);
int dpif_delete(struct dpif *);
void dpif_run(struct dpif *);
void dpif_wait(struct dpif *);
int dpif_get_stats(struct dpif *, struct dpif_dp_stats *);
const char *dpif_name(const struct dpif *);
const char *dpif_type(const struct dpif *);

int dpif_port_add(struct dpif *, const char *devname, const char *type,
                  const char *options, uint32_t *port_no);
int dpif_port_del(struct dpif *, uint32_t port_no);
int dpif_port_query_by_number(struct dpif *, uint32_t, struct dpif_port *);
int dpif_port_query_by_name(struct dpif *, const char *, struct dpif_port *);
int dpif_port_dump(struct dpif *, struct dpif_port **, size_t *n);
int dpif_port_set_tc_only(struct dpif *, uint32_t port_no, bool tc_only);
int dpif_port_set_qdisc_egress(struct dpif *, uint32_t port_no, bool qdisc);

int dpif_flow_put(struct dpif *, const struct dp_key *key,
                  const struct dp_key *mask, const struct dp_action *,
                  size_t n_actions, enum dpif_put_flags,
                  struct dpif_flow_stats *old_stats);
int dpif_flow_get(struct dpif *, const struct dp_key *key,
                  const struct dp_key *mask, struct dpif_flow *);
int dpif_flow_del(struct dpif *, const struct dp_key *key,
                  const struct dp_key *mask, struct dpif_flow_stats *);
int dpif_flow_flush(struct dpif *);
int dpif_flow_dump(struct dpif *, struct dpif_flow **, size_t *n);
/* An incremental dump, for callers that must not stall on a big table:
 * start with '*cursor' = 0; each call sets '*flows' to a malloc'd array of
 * '*n' flows (about 'max' at most) and advances '*cursor', and sets '*done'
 * with the last piece.  No flow shows twice in one dump; flows added or
 * deleted meanwhile may or may not show. */
/* The counters of the flow put with record 'handle' (dpif_op_flow_put),
 * read without a system call where the provider counts flows by handle
 * in memory it shares with the process.  Returns 0, or EOPNOTSUPP if it
 * does not (or not for this handle): dumps are then the way.  The
 * counters of a handle start when a put gives it to a flow; a handle no
 * flow has gives those of the last one that had it. */
int dpif_flow_stats_by_handle(struct dpif *, uint32_t handle,
                              struct dpif_flow_stats *);
int dpif_flow_dump_chunk(struct dpif *, uint64_t *cursor, size_t max,
                         struct dpif_flow **, size_t *n, bool *done);
int dpif_execute(struct dpif *, const void *packet, size_t len,
                 const struct dp_key *key, const struct dp_action *,
                 size_t n_actions);
/* Carries out the 'n' operations in 'ops', setting each one's 'error'; a
 * failed operation (an existing flow: EEXIST, a bad one...) does not keep
 * the others from happening.  Executed packets leave in the order of
 * their ops; a put of the batch takes effect no earlier than the executes
 * before it (so an upcalled packet leaves before later packets of its flow
 * can hit the megaflow installed for it).  The buffers the ops point to
 * must stay valid until the call returns. */
void dpif_operate(struct dpif *, struct dpif_op *ops, size_t n);
int dpif_recv(struct dpif *, struct dpif_upcall *);
/* Receives up to 'max' upcalls into 'upcalls' and returns how many (0: none
 * waiting).  Their packets stay valid until the next dpif_recv() or
 * dpif_recv_batch(), so they can go into one dpif_operate().  A provider
 * without batches returns at most one. */
size_t dpif_recv_batch(struct dpif *, struct dpif_upcall *upcalls,
                       size_t max);
void dpif_recv_wait(struct dpif *);
/* An fd that polls readable when upcalls wait, or -1.  It stays open until
 * dpif_close(), which poll_fd_forget()s it: callers may wait on it with
 * poll_fd_wait_kept(). */
int dpif_upcall_fd(struct dpif *);
int dpif_meter_set(struct dpif *, uint32_t id, const struct dpif_meter *);
/* ENOENT if meter 'id' is not set. */
int dpif_meter_get(struct dpif *, uint32_t id, struct dpif_meter *,
                   struct dpif_meter_stats *);
int dpif_meter_del(struct dpif *, uint32_t id);
int dpif_port_get_stats(struct dpif *, uint32_t port_no,
                        struct dpif_port_stats *);

/* Helpers shared by providers and tools (dpif-format.c). */
void dp_key_apply_mask(struct dp_key *key, const struct dp_key *mask);
bool dp_key_is_masked_by(const struct dp_key *key, const struct dp_key *mask);
void dp_flow_format(struct ds *, const struct dp_key *key,
                    const struct dp_key *mask, const struct dp_action *,
                    size_t n_actions);
void dp_actions_format(struct ds *, const struct dp_action *, size_t n);
/* Parses the syntax dp_flow_format() prints ("in_port=1,eth_dst=...,
 * actions=output:2").  Returns NULL or a malloc'd error message. */
char *dp_flow_parse(const char *s, struct dp_key *key, struct dp_key *mask,
                    struct dp_action *actions, size_t *n_actions);

extern const struct dpif_class dpif_xdp_class;

#endif /* dpif.h */
