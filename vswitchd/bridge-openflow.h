/* bridge-openflow: the OpenFlow side of one bridge as the database sees it.
 *
 * Applies a struct vs_openflow_cfg to the bridge's ofproto and connmgr
 * (datapath id, description, protocol versions, Flow_Table settings,
 * controllers, fail mode, and through dp-switch the visible
 * "priority=0,actions=NORMAL" flow of a standalone bridge without
 * controllers), calling each setter only when its part of the
 * configuration changed, so connections and flows are never disturbed by
 * unrelated database changes.  Reads back what the database reports:
 * datapath_id, Controller status, OpenFlow port numbers. */
#ifndef BRIDGE_OPENFLOW_H
#define BRIDGE_OPENFLOW_H 1

#include <stddef.h>
#include <stdint.h>

struct dp_switch;
struct ds;
struct ofproto_controller_status;
struct vs_openflow_cfg;

struct bridge_openflow;

/* 'sw' must outlive the result. */
struct bridge_openflow *bridge_openflow_create(struct dp_switch *sw);
void bridge_openflow_destroy(struct bridge_openflow *);

/* Makes the switch follow 'cfg' (see above). */
void bridge_openflow_apply(struct bridge_openflow *,
                           const struct vs_openflow_cfg *cfg);

uint64_t bridge_openflow_datapath_id(const struct bridge_openflow *);
/* Status of every configured controller; free with
 * connmgr_free_controller_status(). */
void bridge_openflow_controller_status(const struct bridge_openflow *,
                                       struct ofproto_controller_status **,
                                       size_t *n);
/* The OpenFlow port number of interface 'devname' (datapath port
 * 'dp_port_no') in 16 bits, as Interface.ofport has it: the bridge's own
 * internal port is LOCAL (65534). */
uint32_t bridge_openflow_ofport(const struct bridge_openflow *,
                                const char *devname, uint32_t dp_port_no);
/* OpenFlow flows of every table, hidden (internal) ones included. */
void bridge_openflow_dump_flows(const struct bridge_openflow *, struct ds *);

#endif /* bridge-openflow.h */
