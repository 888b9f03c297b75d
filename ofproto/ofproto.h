/* ofproto: one bridge's OpenFlow switch state, independent of the datapath.
 *
 * Holds the 255 flow tables (one classifier each), groups, meters, the
 * OpenFlow view of the ports and the connection manager (connmgr.h).  It
 * executes what controllers ask (flow_mod, group_mod, meter_mod,
 * port_mod, multipart requests, packet-out, bundles) and emits what they
 * are owed (flow_removed, port_status, packet_in).
 *
 * It never touches a datapath.  The owner (ofproto/dp-switch.c) gives it a
 * 'struct ofproto_dp_ops' for the few things that need one (packet-out,
 * port counters) and runs the OpenFlow pipeline itself through xlate.h,
 * reading the tables with ofproto_rule_lookup() and friends.  Anything that
 * changes what a translation would produce (a flow, group or meter
 * modified, a port's config/state changed) bumps ofproto_get_version(), so
 * the owner knows when to revalidate its megaflows.
 *
 * Port numbers: OpenFlow port numbers are the datapath port numbers
 * (1..254); OFPP_LOCAL is the bridge's internal port.
 *
 * Single-threaded: everything runs in vs-vswitchd's main loop. */
#ifndef OFPROTO_H
#define OFPROTO_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "classifier.h"
#include "list.h"
#include "ofp-actions.h"
#include "ofp-errors.h"
#include "ofp-flow.h"
#include "ofp-group.h"
#include "ofp-meter.h"
#include "ofp-switch.h"

struct ds;
struct ofproto;
struct connmgr;

#define OFPROTO_N_TABLES 255

/* Priorities above 0xffff are internal ("hidden") flows: never shown to
 * or changeable by controllers (fail-open uses one). */
#define OFPROTO_FAIL_OPEN_PRIORITY 0xf0f0f0

/* One OpenFlow flow entry.  A pointer to a rule stays valid at least until
 * ofproto_get_version() changes: rules are freed only by a delete, a
 * replacing add, an eviction or a timeout, all of which bump the version
 * (a modify changes the rule in place). */
struct rule {
    struct cls_rule cr;             /* cr.match, cr.priority. */
    uint8_t table_id;
    uint64_t cookie;                /* Host order. */
    uint16_t idle_timeout, hard_timeout;    /* Seconds, 0 = none. */
    uint16_t importance;
    uint16_t flags;                 /* OFPFF_*. */
    long long created;              /* time_msec() of add. */
    long long modified;             /* Last add/modify (hard timeout base). */
    long long used;                 /* Last packet (idle timeout base). */
    uint64_t packet_count, byte_count;
    struct ofpacts ofpacts;
    /* Private to ofproto. */
    struct vs_list expirable_node;
    /* The rule's match and instructions as a flow stats entry of
     * 'dump_version' carries them, kept so that a dump copies them instead
     * of encoding them again (ofproto/rule-dump-cache.h).  Owned; NULL if
     * none. */
    uint8_t *dump_body;
    uint16_t dump_body_len;
    uint8_t dump_version;
    size_t order_idx;               /* Slot in its table's table_order. */
};

/* Group types are 'enum ofp_group_type' (OFPGT_*, ofp-group.h). */

struct ofgroup_bucket {
    uint32_t bucket_id;
    uint16_t weight;
    uint32_t watch_port, watch_group;
    struct ofpacts ofpacts;
    uint64_t packet_count, byte_count;
};

struct ofgroup {
    struct hmap_node node;          /* Private. */
    uint32_t group_id;
    uint8_t type;                   /* enum ofp_group_type. */
    struct ofgroup_bucket *buckets;
    size_t n_buckets;
    long long created;
    uint64_t packet_count, byte_count;
};

struct ofmeter_band {
    uint16_t type;                  /* OFPMBT_DROP, OFPMBT_DSCP_REMARK. */
    uint32_t rate;                  /* kbps or pps per the meter's flags. */
    uint32_t burst_size;
    uint8_t prec_level;
    uint64_t packet_count, byte_count;
    uint64_t tokens;                /* The enforcer's bucket for this band. */
};

struct ofmeter {
    struct hmap_node node;          /* Private. */
    uint32_t meter_id;
    uint16_t flags;                 /* OFPMF_KBPS, OFPMF_PKTPS, ... */
    struct ofmeter_band *bands;
    size_t n_bands;
    long long created;
    uint64_t packet_count, byte_count;
    /* When the bands' token buckets were last filled (0: never), owned by
     * whoever enforces the meter (xlate's slow path). */
    long long last_fill;
};

/* What ofproto needs from its datapath owner. */
struct ofproto_dp_ops {
    /* Runs 'packet' (a whole Ethernet frame) through 'ofpacts' as if it had
     * arrived on 'in_port' (OFPP_CONTROLLER or OFPP_NONE for none); used by
     * packet-out.  Returns 0 or an OpenFlow error for the sender. */
    enum ofperr (*packet_out)(void *aux, const void *packet, size_t len,
                              uint32_t in_port, const struct ofpacts *);
    /* Counters of OpenFlow port 'port_no'; 0 or an errno. */
    int (*port_stats)(void *aux, uint32_t port_no, struct ofp_port_stats *);
};

/* The OpenFlow queues of a port, from whoever configures them (vswitchd's
 * QoS, vswitchd/bridge-qos.c): what queue stats and queue config replies
 * list.  Without ops every port has no queues. */
struct ofproto_queue {
    uint32_t queue_id;
    uint64_t min_rate, max_rate;    /* bit/s; 0: not limited. */
    uint64_t tx_bytes, tx_packets, tx_errors;   /* Filled if asked for. */
    long long created;              /* time_msec() it was configured. */
    int dscp;                       /* DSCP its IP packets get, -1: none. */
};
struct ofproto_queue_ops {
    /* Queues of port 'port_name', sorted by id, into '*queues' (malloc'd,
     * the caller frees it) and the port's maximum rate in bit/s into
     * '*port_rate'; counters too if 'stats'.  Returns how many. */
    size_t (*port_queues)(void *aux, const char *port_name, bool stats,
                          struct ofproto_queue **queues,
                          uint64_t *port_rate);
};
void ofproto_set_queue_ops(struct ofproto *, const struct ofproto_queue_ops *,
                           void *aux);
/* The DSCP queue 'queue_id' of port 'port_no' marks packets with, or -1
 * (for xlate). */
int ofproto_queue_dscp(struct ofproto *, uint32_t port_no, uint32_t queue_id);
/* The queues' configuration changed (a DSCP may have): translations must
 * be done again. */
void ofproto_queues_changed(struct ofproto *);

/* Creates the OpenFlow side of bridge 'name'.  Its connmgr listens on
 * 'mgmt_path' (normally $VS_RUNDIR/<name>.mgmt). */
struct ofproto *ofproto_create(const char *name, const char *mgmt_path,
                               const struct ofproto_dp_ops *, void *aux);
void ofproto_destroy(struct ofproto *);
void ofproto_run(struct ofproto *);
void ofproto_wait(struct ofproto *);
const char *ofproto_name(const struct ofproto *);
struct connmgr *ofproto_get_connmgr(struct ofproto *);

/* Configuration from the database (bridge.c). */
void ofproto_set_datapath_id(struct ofproto *, uint64_t dpid);
uint64_t ofproto_get_datapath_id(const struct ofproto *);
void ofproto_set_dp_desc(struct ofproto *, const char *);
/* Allowed versions (bitmap of OFP_VERSION_BIT()); 0 = all supported. */
void ofproto_set_versions(struct ofproto *, uint32_t allowed);
/* Flow_Table row: 'name', 'flow_limit' (0 = none), 'overflow_policy_evict'. */
void ofproto_set_table_config(struct ofproto *, uint8_t table_id,
                              const char *name, unsigned int flow_limit,
                              bool evict);

/* Ports.  'desc.port_no' is the datapath port number; the name, MAC and
 * state come from the netdev.  Adding or removing sends port_status. */
void ofproto_port_add(struct ofproto *, const struct ofp_port *desc);
void ofproto_port_del(struct ofproto *, uint32_t port_no);
/* Updates state/MAC (e.g. link went down); sends port_status if changed. */
void ofproto_port_update(struct ofproto *, const struct ofp_port *desc);
const struct ofp_port *ofproto_port_get(const struct ofproto *,
                                        uint32_t port_no);
/* All ports, in port number order; malloc'd array of '*n' pointers. */
const struct ofp_port **ofproto_ports(const struct ofproto *, size_t *n);
/* OFPPC_* config bits a controller set with port_mod (no_flood,
 * no_fwd, no_packet_in, port_down). */
uint32_t ofproto_port_config(const struct ofproto *, uint32_t port_no);
bool ofproto_port_is_live(const struct ofproto *, uint32_t port_no);

/* Changes whenever the result of a translation could change. */
uint64_t ofproto_get_version(const struct ofproto *);

/* Pipeline access for xlate.  The highest-priority rule of 'table_id'
 * matching 'flow', ORing into 'wc' the bits the lookup looked at; NULL on
 * a table miss. */
struct rule *ofproto_rule_lookup(const struct ofproto *, uint8_t table_id,
                                 const struct flow *,
                                 struct flow_wildcards *wc);
/* Counts a table lookup and whether it matched (table stats). */
void ofproto_table_count(struct ofproto *, uint8_t table_id, bool matched,
                         uint64_t n_packets);
struct ofgroup *ofproto_group_find(const struct ofproto *, uint32_t id);
struct ofmeter *ofproto_meter_find(const struct ofproto *, uint32_t id);
/* Accounts datapath hits to a rule (for idle timeouts and flow stats). */
/* fin_timeout: lowers 'rule''s idle and hard timeouts to 'idle' and 'hard'
 * seconds, each if it is nonzero and the rule had none or a longer one
 * (the hard timeout still counts from the rule's last add or modify). */
void ofproto_rule_reduce_timeouts(struct ofproto *, struct rule *,
                                  uint16_t idle, uint16_t hard);
void ofproto_rule_credit(struct rule *, uint64_t packets, uint64_t bytes,
                         long long used);

/* Adds or deletes a flow as if a controller had sent this flow_mod (used
 * by bridge.c for the fail-mode NORMAL flow and by tests).  Takes
 * ownership of nothing. */
enum ofperr ofproto_flow_mod(struct ofproto *, const struct ofp_flow_mod *);
/* A flow a learn action made (an add): if the table has it already, with
 * the same actions, cookie and timeouts, only its hard timeout starts
 * over at 'now' and the version stays; else as ofproto_flow_mod(). */
enum ofperr ofproto_flow_mod_learn(struct ofproto *, const struct ofp_flow_mod *,
                                   long long now);
/* Adds a flow with 'priority' (may be hidden, > 0xffff) and 'actions' in
 * ovs-ofctl syntax matching 'match_str' in table 0, or deletes it when
 * 'actions' is NULL. */
enum ofperr ofproto_set_internal_flow(struct ofproto *, const char *match_str,
                                      int priority, const char *actions);

/* Hands one received OpenFlow message ('msg', 'len' bytes, already framed
 * and of a version the connection negotiated) to the switch.  Replies and
 * errors go back through connmgr to 'ofconn'.  Called by connmgr for
 * everything it does not handle itself. */
struct ofconn;
void ofproto_handle_openflow(struct ofproto *, struct ofconn *,
                             const void *msg, size_t len);

/* connmgr calls this when 'ofconn' goes away, before freeing it, so that
 * state tied to the connection (open bundles) is dropped. */
void ofproto_ofconn_closed(struct ofproto *, struct ofconn *);

/* Text for unixctl (bridge/dump-flows, ofproto/show). */
void ofproto_dump_flows(const struct ofproto *, bool hidden, struct ds *);

#endif /* ofproto.h */
