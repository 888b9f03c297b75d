/* xlate: runs a bridge's OpenFlow pipeline for one datapath flow and turns
 * the result into datapath actions plus a megaflow mask.
 *
 * Input is a datapath key (struct dp_key; its in_port is a datapath port
 * number) and, on an upcall, the packet itself, which supplies the fields
 * the datapath key lacks.  The pipeline starts at table 0 (or, for
 * packet-out, with the given actions), follows goto_table, applies
 * apply-actions in order and the action set at the end in the order
 * OpenFlow 1.3 section 5.10 gives.
 *
 * Header rewrites are "lazy": the pipeline edits a struct flow, and only
 * before something that emits the packet (output, NORMAL, controller...)
 * are the differences from what the datapath packet currently looks like
 * committed as DP_ACT_SET_* / push / pop actions.  So a group of type all
 * can restore the flow between buckets and the next output writes the old
 * values back.
 *
 * "Slow path": when the result cannot be a megaflow (the pipeline looked at
 * fields the datapath key has no room for, a rewrite the datapath cannot
 * do, a packet-in, a meter the datapath cannot enforce (see dp-meters.h),
 * more than DP_MAX_ACTIONS actions), 'slow' is
 * nonzero.  The owner then installs a megaflow whose only action is
 * DP_ACT_UPCALL, so every packet comes to userspace, and runs each packet
 * through xlate_execute(), which interprets the actions and the userspace
 * operations (XLATE_ACT_UOP entries) itself.
 *
 * Port numbers: OpenFlow port numbers equal datapath port numbers except
 * the bridge's internal port ('local_dp_port'), which OpenFlow calls
 * OFPP_LOCAL. */
#ifndef XLATE_H
#define XLATE_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "datapath/bpf/dp-key.h"
#include "flow.h"
#include "ofp-actions.h"

struct dp_meters;
struct dpif;
struct normal_bridge;
struct ofproto;
struct rule;
struct ofgroup;

/* Pseudo datapath action in xlate_out 'actions' (never given to a
 * datapath): userspace operation number 'port' of 'uops'. */
#define XLATE_ACT_UOP 0x100

/* Reasons for the slow path (bits of xlate_out 'slow'). */
enum xlate_slow {
    XLATE_SLOW_FIELDS = 1 << 0,     /* Looked at fields dp_key lacks. */
    XLATE_SLOW_REWRITE = 1 << 1,    /* Rewrite only userspace can do. */
    XLATE_SLOW_CONTROLLER = 1 << 2, /* Sends packet-ins. */
    XLATE_SLOW_METER = 1 << 3,      /* Meters enforced in userspace. */
    XLATE_SLOW_TOO_MANY = 1 << 4,   /* More than DP_MAX_ACTIONS actions. */
};

enum xlate_uop_type {
    XLATE_UOP_SET_FIELDS,           /* Write 'flow''s non-datapath fields. */
    XLATE_UOP_PACKET_IN,            /* Send the packet to controllers. */
    XLATE_UOP_METER,                /* Meter 'meter_id'; may drop. */
    XLATE_UOP_COPY_TTL_IN,          /* MPLS TTL -> the next one in (entry
                                     * or IP header under the stack). */
};

struct xlate_uop {
    enum xlate_uop_type type;
    struct flow flow;               /* SET_FIELDS: the values to write. */
    uint8_t reason, table_id;       /* PACKET_IN. */
    uint64_t cookie;                /* PACKET_IN, host order. */
    uint16_t max_len;               /* PACKET_IN. */
    uint32_t in_port;               /* PACKET_IN: OpenFlow in_port. */
    uint64_t metadata;              /* PACKET_IN: network order. */
    uint32_t regs[FLOW_N_REGS];     /* PACKET_IN: the registers. */
    uint32_t meter_id;              /* METER. */
    uint16_t controller_id;         /* PACKET_IN: only for controllers with
                                     * this Nicira controller id. */
    size_t userdata_ofs;            /* PACKET_IN: controller(userdata=...),
                                     * bytes in xlate_out.pin_userdata. */
    size_t userdata_len;
};

struct xlate_in {
    struct ofproto *ofproto;
    struct normal_bridge *nb;       /* For NORMAL; NULL: NORMAL drops. */
    struct dp_meters *meters;       /* Datapath meters; NULL: userspace. */
    uint32_t local_dp_port;         /* Datapath port of OFPP_LOCAL, 0: none. */
    const struct dp_key *key;       /* Datapath key, in_port a dp port. */
    /* Optional: the packet (upcall, packet-out), parsed for the fields
     * the key lacks.  For packet-out 'key' may be NULL. */
    const void *packet;
    size_t packet_len;
    /* Packet-out: OpenFlow in_port (may be OFPP_CONTROLLER) and the
     * actions to run instead of the pipeline; NULL for an upcall. */
    const struct ofpacts *ofpacts;
    uint32_t of_in_port;
    bool learn;                     /* Upcall: learn MACs, count tables. */
    long long now;
};

/* A table lookup, for the table counters. */
struct xlate_table_hit {
    uint8_t table_id;
    bool matched;
};

/* A group, or one of its buckets, that a translation ran. */
struct xlate_group_hit {
    struct ofgroup *group;
    size_t bucket;                  /* Index, or SIZE_MAX: the group. */
};

/* A fin_timeout action a translation ran, in the rule that holds it: when
 * TCP FIN or RST goes through the megaflow, the rule's timeouts come down
 * to these (xlate_fin_apply()). */
struct xlate_fin_hit {
    struct rule *rule;
    uint16_t idle, hard;            /* Seconds, 0: that one stays. */
};

struct xlate_out {
    struct dp_key mask;             /* Megaflow mask. */
    struct flow_wildcards wc;       /* The OpenFlow view of the same. */
    unsigned int slow;              /* enum xlate_slow bits; 0: fast. */

    struct dp_action *actions;      /* Owned. */
    size_t n_actions, allocated;
    struct xlate_uop *uops;         /* Owned. */
    size_t n_uops, allocated_uops;

    /* What the translation hit, for statistics (pointers are valid only
     * while ofproto_get_version() stays the same). */
    struct rule **rules;            /* Owned array. */
    size_t n_rules, allocated_rules;
    struct xlate_table_hit *tables; /* Owned array. */
    size_t n_tables, allocated_tables;
    struct xlate_group_hit *groups; /* Owned array. */
    size_t n_groups, allocated_groups;
    struct xlate_fin_hit *fins;     /* Owned array. */
    size_t n_fins, allocated_fins;

    /* Flows learn actions made (only when xlate_in.learn), for the caller
     * to add with xlate_learned_apply() once it no longer needs 'rules':
     * an add may replace one of them. */
    struct ofp_flow_mod *learned;   /* Owned array of XLATE_MAX_LEARNED. */
    size_t n_learned;

    /* The userdata of the packet-in uops, copied so that it outlives the
     * rules (a learned flow may replace one before the uops run). */
    uint8_t *pin_userdata;          /* Owned. */
    size_t pin_userdata_len, pin_userdata_allocated;
};
#define XLATE_MAX_LEARNED 8

/* Adds the flows in 'out->learned' to 'ofproto' (ofproto_flow_mod_learn())
 * and forgets them. */
void xlate_learned_apply(struct xlate_out *out, struct ofproto *,
                         long long now);

void xlate_out_init(struct xlate_out *);
void xlate_out_uninit(struct xlate_out *);

/* Translates; 'out' must have been initialized (its old contents are
 * replaced).  Always succeeds: a packet the pipeline drops gets no
 * actions. */
void xlate_actions(const struct xlate_in *, struct xlate_out *);

/* Adds 'packets'/'bytes' to the counters of the groups and buckets in
 * 'hits'. */
void xlate_credit_groups(const struct xlate_group_hit *hits, size_t n,
                         uint64_t packets, uint64_t bytes);

/* The actions a megaflow for 'out' carries: 'out''s own, or the single
 * DP_ACT_UPCALL of a slow path flow.  Returns the count. */
size_t xlate_megaflow_actions(const struct xlate_out *,
                              const struct dp_action **);

/* If 'tcp_flags' (TCP_* bits) has FIN or RST, lowers the timeouts of the
 * rules in 'hits' as their fin_timeout actions say (the rules must still
 * be in 'ofproto'). */
void xlate_fin_apply(struct ofproto *, const struct xlate_fin_hit *hits,
                     size_t n, uint16_t tcp_flags);
/* The TCP flags of the Ethernet frame 'packet', 0 if it is not TCP. */
uint16_t xlate_packet_tcp_flags(const void *packet, size_t len);

/* Userspace enforcement of meter 'm' for a 'len'-byte packet at 'now'
 * (msec): true to pass it; '*remark' gets the DSCP precedence levels to add
 * when a DSCP remark band applies.  Updates the meter's counters. */
struct ofmeter;
bool xlate_meter_allows(struct ofmeter *, size_t len, long long now,
                        int *remark);

/* Forwards one packet as 'out' says: straight through dpif_execute() for
 * a fast path result, else interpreted here (rewrites in userspace,
 * packet-ins, meters).  'key' is the packet's datapath key (its in_port
 * excluded from floods); 'packet' a whole Ethernet frame. */
void xlate_execute(const struct xlate_out *, struct dpif *,
                   struct ofproto *, uint32_t local_dp_port,
                   const struct dp_key *key, const void *packet, size_t len,
                   long long now);

/* Conversions between the datapath's key and OpenFlow's flow. */
void xlate_key_to_flow(const struct dp_key *, uint32_t local_dp_port,
                       struct flow *);
void xlate_flow_to_key(const struct flow *, uint32_t local_dp_port,
                       struct dp_key *);
/* Turns 'wc' into a dp_key mask; returns false if 'wc' covers bits the
 * dp_key cannot hold (slow path).  Metadata and registers are ignored:
 * they start at zero on every packet, so they are not packet bits. */
bool xlate_wc_to_mask(const struct flow_wildcards *, struct dp_key *mask);

/* OpenFlow <-> datapath port numbers. */
uint32_t xlate_of_port(uint32_t dp_port, uint32_t local_dp_port);
uint32_t xlate_dp_port(uint32_t of_port, uint32_t local_dp_port);

#endif /* xlate.h */
