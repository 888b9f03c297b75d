/* dp-switch: one bridge doing NORMAL switching over one datapath (dpif).
 *
 * Owns the dpif and the MAC table; handles upcalls (translate with
 * normal_xlate(), forward the packet itself so the first packet is never
 * lost, install the megaflow), and revalidates: when the MAC table or the
 * port configuration changes every megaflow is translated again and fixed
 * or removed; idle megaflows expire; the number of megaflows is capped with
 * least-recently-used eviction.  Runs in the main thread (run/wait). */
#ifndef DP_SWITCH_H
#define DP_SWITCH_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ofproto/normal.h"

struct dp_switch;
struct dpif;
struct ds;

#define DP_SWITCH_FLOW_IDLE_MS 10000
#define DP_SWITCH_FLOW_LIMIT 65536

/* Opens (creating if needed, adopting what is pinned) datapath 'name' of
 * 'dp_type' ("" for the default). */
int dp_switch_create(const char *name, const char *dp_type,
                     struct dp_switch **);
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
