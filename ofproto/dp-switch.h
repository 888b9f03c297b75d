/* dp-switch: one bridge: its OpenFlow switch (struct ofproto) over one
 * datapath (dpif).
 *
 * Owns the dpif, the MAC table (for the NORMAL action) and the bridge's
 * ofproto.  Handles upcalls: runs the OpenFlow pipeline (xlate.h),
 * forwards the packet itself so the first packet is never lost, installs
 * the megaflow (UPCALL-only for slow path results).  Revalidates: when the
 * OpenFlow tables, the MAC table or the ports change every megaflow is
 * translated again and fixed or removed; idle megaflows expire; the number
 * of megaflows is capped with least-recently-used eviction; every pass
 * credits the datapath's counters to the OpenFlow rules that made each
 * megaflow.  Tells ofproto about ports; the internal port named like the
 * bridge is OpenFlow's OFPP_LOCAL.  Runs in the main thread (run/wait). */
#ifndef DP_SWITCH_H
#define DP_SWITCH_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ofproto/connmgr.h"
#include "ofproto/normal.h"

struct dp_switch;
struct dpif;
struct ds;
struct ofproto;

#define DP_SWITCH_FLOW_IDLE_MS 10000
#define DP_SWITCH_FLOW_LIMIT 65536

/* Opens (creating if needed, adopting what is pinned) datapath 'name' of
 * 'dp_type' ("" for the default), with its OpenFlow switch listening on
 * $VS_RUNDIR/<name>.mgmt.  The switch starts as a standalone bridge
 * without controllers: it has the visible "priority=0,actions=NORMAL"
 * flow. */
int dp_switch_create(const char *name, const char *dp_type,
                     struct dp_switch **);
/* The same with the management socket at 'mgmt_path'. */
int dp_switch_create_mgmt(const char *name, const char *dp_type,
                          const char *mgmt_path, struct dp_switch **);
/* The bridge's OpenFlow switch (for controllers, fail mode, dpid...). */
struct ofproto *dp_switch_get_ofproto(struct dp_switch *);
/* Adds the visible priority-0 NORMAL flow when the bridge has no
 * controllers in standalone fail mode, and deletes it otherwise (as Open
 * vSwitch does).  Call whenever the Controller set or fail_mode changes. */
void dp_switch_set_controllers_configured(struct dp_switch *,
                                          bool has_controllers,
                                          enum ofproto_fail_mode);
/* With 'delete_dp', also removes the datapath (ports, flows, pins). */
void dp_switch_destroy(struct dp_switch *, bool delete_dp);
void dp_switch_run(struct dp_switch *);
void dp_switch_wait(struct dp_switch *);
struct dpif *dp_switch_get_dpif(const struct dp_switch *);
const char *dp_switch_name(const struct dp_switch *);

/* Adds 'devname' (or finds it, if the adopted datapath has it already). */
int dp_switch_port_add(struct dp_switch *, const char *devname,
                       const char *type, const char *options,
                       uint32_t *port_no);
/* The same, asking for datapath (= OpenFlow) port number 'request' first;
 * if that number is taken, or beyond the datapath's ports, the port gets
 * another one, as Open vSwitch does with an ofport_request in use. */
int dp_switch_port_add_at(struct dp_switch *, const char *devname,
                          const char *type, const char *options,
                          uint32_t request, uint32_t *port_no);
int dp_switch_port_del(struct dp_switch *, const char *devname);
void dp_switch_port_set_vlan(struct dp_switch *, uint32_t port_no,
                             enum port_vlan_mode, int tag, const int *trunks,
                             size_t n_trunks);

void dp_switch_set_mac_aging(struct dp_switch *, unsigned int secs);
void dp_switch_set_mac_table_size(struct dp_switch *, size_t);
void dp_switch_set_flow_idle(struct dp_switch *, long long ms);
void dp_switch_set_flow_limit(struct dp_switch *, size_t);

/* Text for the unixctl commands. */
void dp_switch_fdb_show(const struct dp_switch *, struct ds *);
void dp_switch_fdb_flush(struct dp_switch *);
size_t dp_switch_mac_count(const struct dp_switch *);
void dp_switch_dump_flows(struct dp_switch *, struct ds *);
void dp_switch_show(struct dp_switch *, struct ds *);

#endif /* dp-switch.h */
