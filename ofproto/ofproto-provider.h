/* ofproto internals shared by its modules (ofproto.c: the object, ports
 * and the pipeline API; ofproto-flow.c: flow tables and flow_mod;
 * ofproto-group.c, ofproto-meter.c; ofproto-handlers.c: the OpenFlow
 * message handlers; ofproto-bundle.c).  Not for other parts of vswitch,
 * except unit tests that need to reach inside. */
#ifndef OFPROTO_PROVIDER_H
#define OFPROTO_PROVIDER_H 1

#include "ofproto/learned-cookies.h"
#include "hmap.h"
#include "list.h"
#include "ofp-msgs.h"
#include "ofp-switch.h"
#include "ofproto/ofproto.h"
#include "ofproto/table-order.h"

struct ofpbuf;

/* OF1.0's "no flood" port config bit (OF1.1+ dropped it; vswitch keeps
 * it for ports a controller excludes from FLOOD). */
#ifndef OFPPC_NO_FLOOD
#define OFPPC_NO_FLOOD (1u << 4)
#endif

/* Upper bounds we advertise and enforce. */
#define OFPROTO_MAX_GROUPS 65536
#define OFPROTO_MAX_METERS 65536
#define OFPROTO_MAX_BANDS 8         /* ofp_meter_stats holds 8 bands. */

struct oftable {
    struct classifier cls;          /* Contains "struct rule"s. */
    char *name;                     /* Owned; NULL: default name. */
    unsigned int flow_limit;        /* 0 = unlimited. */
    bool evict;                     /* Evict instead of TABLE_FULL. */
    uint32_t config;                /* From table_mod (OFPTC_*). */
    uint64_t lookup_count, matched_count;
    unsigned int n_hidden;          /* Hidden rules in 'cls'. */
    struct table_order order;       /* The rules of 'cls', oldest first. */
};

struct ofport {
    struct hmap_node node;          /* In ofproto->ports, by port_no. */
    struct ofp_port pp;             /* 'pp.config' has the controller bits. */
};

struct ofproto {
    char *name;
    struct connmgr *connmgr;
    const struct ofproto_dp_ops *dp_ops;
    void *dp_aux;
    uint64_t datapath_id;
    char *dp_desc;
    uint32_t allowed_versions;

    struct oftable tables[OFPROTO_N_TABLES];
    struct vs_list expirable;       /* Rules with a timeout. */
    long long next_expiry_check;
    struct hmap groups;             /* "struct ofgroup"s by group_id. */
    struct hmap meters;             /* "struct ofmeter"s by meter_id. */
    struct hmap ports;              /* "struct ofport"s by port_no. */
    struct hmap bundles;            /* "struct ofbundle"s, ofproto-bundle.c. */
    uint64_t version;

    /* Flow monitors (ofproto-monitor.c). */
    struct vs_list monitor_conns;   /* "struct fm_conn"s. */
    struct ofconn *fm_origin;       /* Connection whose request is being
                                     * handled (its changes are "own"). */
    uint32_t fm_origin_xid;
    size_t fm_pause_limit;          /* Output queue bytes that pause. */

    /* Port queues (ofproto_set_queue_ops()); NULL: none anywhere. */
    const struct ofproto_queue_ops *queue_ops;
    void *queue_aux;

    /* delete_learned learns of flows that went, flushed by the next
     * ofproto_run() (not where they go: callers may be walking rules). */
    struct learned_cookies learned_cookies;
};

/* What bumps the version and everything that follows a change. */
void ofproto_changed(struct ofproto *);
struct ofport *ofproto_port_find(const struct ofproto *, uint32_t port_no);
/* port_mod: sets the 'mask' bits of the port's config to 'config'. */
enum ofperr ofproto_port_set_config(struct ofproto *, uint32_t port_no,
                                    uint32_t config, uint32_t mask);
/* Checks what ofproto_port_set_config() would refuse. */
enum ofperr ofproto_port_check_config(const struct ofproto *, uint32_t port_no,
                                      uint32_t config, uint32_t mask);

/* ofproto-flow.c. */
static inline bool rule_is_hidden(const struct rule *r)
{ return r->cr.priority > 0xffff; }
/* Applies 'fm' as a connection speaking 'version' asked (the version
 * decides OF1.0's modify-adds and cookie rules). */
enum ofperr ofproto_flow_mod__(struct ofproto *, const struct ofp_flow_mod *,
                               uint8_t version);
/* Checks a flow_mod without changing anything (bundles, prechecks). */
enum ofperr ofproto_flow_mod_check(const struct ofproto *,
                                   const struct ofp_flow_mod *);
/* Adds a rule with any priority (hidden ones too). */
enum ofperr ofproto_add_rule(struct ofproto *, const struct ofp_flow_mod *,
                             int priority, uint8_t version);
/* Removes and frees 'rule', sending flow_removed with 'reason' if it
 * asked for one. */
void ofproto_rule_delete(struct ofproto *, struct rule *, uint8_t reason);
/* Removes every rule (no flow_removed). */
void ofproto_flush_flows(struct ofproto *);
/* Evicts rules from 'table_id' while it holds more than its flow limit
 * (if eviction is on); for a limit lowered below the current count. */
void ofproto_evict_excess(struct ofproto *, uint8_t table_id);
/* Expires idle and hard timeouts now. */
void ofproto_expire(struct ofproto *);
/* Deletes the flows that output to group 'group_id' / use meter
 * 'meter_id' (OFPG_ALL / OFPM_ALL: any), within 'txn' if nonnull (else at
 * once). */
struct ofproto_txn;
void ofproto_delete_flows_by_group(struct ofproto *, struct ofproto_txn *,
                                   uint32_t group_id);
void ofproto_delete_flows_by_meter(struct ofproto *, struct ofproto_txn *,
                                   uint32_t meter_id);
/* For each of the 'n' ids (ascending), the number of flows (hidden too)
 * with an action of 'type' (OFPACT_GROUP, OFPACT_METER) naming it, in one
 * pass over the tables. */
void ofproto_count_refs(const struct ofproto *, enum ofpact_type,
                        const uint32_t *ids, size_t n, uint32_t *counts);
bool ofpacts_use_meter(const struct ofpacts *, uint32_t meter_id);
/* True if 'rule' passes a flow_mod / stats request's selection filters. */
bool rule_matches_filters(const struct rule *, uint64_t cookie,
                          uint64_t cookie_mask, uint32_t out_port,
                          uint32_t out_group);
void rule_duration(const struct rule *, uint32_t *sec, uint32_t *nsec);

/* ofproto-group.c. */
enum ofperr ofproto_group_mod(struct ofproto *, const struct ofp_group_mod *);
/* The same, but the flows it deletes go through 'txn'.  Groups themselves
 * are not in the transaction: a caller that may need to undo takes a
 * snapshot first. */
enum ofperr ofproto_group_mod_txn(struct ofproto *, struct ofproto_txn *,
                                  const struct ofp_group_mod *);
/* A deep copy of the group table, to put back with
 * ofproto_groups_restore() (which consumes it) or free. */
struct hmap *ofproto_groups_snapshot(const struct ofproto *);
void ofproto_groups_restore(struct ofproto *, struct hmap *snapshot);
void ofproto_groups_snapshot_free(struct hmap *snapshot);
enum ofperr ofproto_group_mod_check(const struct ofproto *,
                                    const struct ofp_group_mod *);
void ofproto_groups_destroy(struct ofproto *);
/* Groups sorted by id (for stable replies); malloc'd array. */
struct ofgroup **ofproto_groups_sorted(const struct ofproto *, size_t *n);
void ofgroup_to_group_mod(const struct ofgroup *, struct ofp_group_mod *);

/* ofproto-meter.c. */
enum ofperr ofproto_meter_mod(struct ofproto *, const struct ofp_meter_mod *);
enum ofperr ofproto_meter_mod_txn(struct ofproto *, struct ofproto_txn *,
                                  const struct ofp_meter_mod *);
struct hmap *ofproto_meters_snapshot(const struct ofproto *);
void ofproto_meters_restore(struct ofproto *, struct hmap *snapshot);
void ofproto_meters_snapshot_free(struct hmap *snapshot);
enum ofperr ofproto_meter_mod_check(const struct ofproto *,
                                    const struct ofp_meter_mod *);
void ofproto_meters_destroy(struct ofproto *);
struct ofmeter **ofproto_meters_sorted(const struct ofproto *, size_t *n);
void ofmeter_to_meter_mod(const struct ofmeter *, struct ofp_meter_mod *);

/* ofproto-bundle.c. */
struct ofconn;
struct ofp_msg_header;
void ofproto_bundle_control(struct ofproto *, struct ofconn *,
                            const void *msg, size_t len,
                            const struct ofp_msg_header *);
void ofproto_bundle_add(struct ofproto *, struct ofconn *,
                        const void *msg, size_t len);
void ofproto_bundles_destroy(struct ofproto *);
void ofproto_bundles_discard_ofconn(struct ofproto *, struct ofconn *);

/* ofproto-handlers.c: a modifying message (flow_mod, group_mod, ...)
 * decoded and applied; replies/errors are the caller's. */
enum ofperr ofproto_apply_mod_msg(struct ofproto *, const void *msg,
                                  size_t len, bool *buffer_unknown);
/* ofproto-stats.c: multipart (stats) requests and queue config. */
bool ofproto_is_stats_request(enum ofptype);
/* Nicira's NXST_FLOW / NXST_AGGREGATE (OpenFlow 1.0 vendor stats). */
enum ofperr ofproto_nx_flow_stats(struct ofproto *, struct ofconn *,
                                  const void *msg, size_t len,
                                  const struct ofp_msg_header *);
enum ofperr ofproto_handle_stats_request(struct ofproto *, struct ofconn *,
                                         const void *msg, size_t len,
                                         const struct ofp_msg_header *);
/* port_mod and packet_out split into check and apply, for bundles. */
struct ofp_port_mod;
struct ofp_packet_out;
enum ofperr ofproto_port_mod_check(const struct ofproto *,
                                   const struct ofp_port_mod *);
enum ofperr ofproto_packet_out_check(const struct ofproto *,
                                     const struct ofp_packet_out *);
enum ofperr ofproto_packet_out_execute(struct ofproto *,
                                       const struct ofp_packet_out *);

/* ofproto-monitor.c: flow monitors (see the comment there). */
#define OFPROTO_MONITOR_PAUSE_LIMIT (128 * 1024)
enum ofp_flow_update_event;
/* A flow monitor request (any wire form) or cancel from 'ofconn'. */
enum ofperr ofproto_monitor_request(struct ofproto *, struct ofconn *,
                                    const void *msg, size_t len,
                                    const struct ofp_msg_header *);
enum ofperr ofproto_monitor_cancel(struct ofproto *, struct ofconn *,
                                   const void *msg, size_t len);
/* The changes reported until the next call come from 'ofconn''s request
 * 'xid' (NULL: from the switch itself, e.g. timeouts). */
void ofproto_monitor_set_origin(struct ofproto *, struct ofconn *,
                                uint32_t xid);
/* A committed change of 'rule': OFPFME_ADDED, _MODIFIED (with the actions
 * it had before, if they changed) or _REMOVED (with an OFPRR_* reason). */
void ofproto_monitor_report(struct ofproto *, const struct rule *,
                            enum ofp_flow_update_event, uint8_t reason,
                            const struct ofpacts *old_actions);
/* Sends the updates queued so far. */
void ofproto_monitor_flush(struct ofproto *);
/* Flush, and resume paused connections whose queue drained. */
void ofproto_monitor_run(struct ofproto *);
void ofproto_monitor_ofconn_closed(struct ofproto *, struct ofconn *);
void ofproto_monitor_destroy(struct ofproto *);
/* Output queue length above which a connection's monitors pause
 * (0: OFPROTO_MONITOR_PAUSE_LIMIT). */
void ofproto_monitor_set_pause_limit(struct ofproto *, size_t bytes);

#endif /* ofproto-provider.h */
