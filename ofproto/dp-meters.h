/* dp-meters: OpenFlow meters enforced by the datapath (DP_ACT_METER).
 *
 * A meter the datapath can do (one drop band, a rate it takes) gets a
 * datapath meter id the first time a translation asks for it; its rate and
 * burst follow the OpenFlow meter as it changes.  dp_meters_run() frees the
 * datapath meters of OpenFlow meters that are gone or no longer fit, and
 * adds what the datapath counted to the OpenFlow meter and band counters.
 * Other meters stay in userspace (xlate's slow path). */
#ifndef DP_METERS_H
#define DP_METERS_H 1

#include <stdint.h>

struct dp_meters;
struct dpif;
struct ofmeter;
struct ofproto;

struct dp_meters *dp_meters_create(struct dpif *);
/* Deletes the datapath meters too. */
void dp_meters_destroy(struct dp_meters *);
/* The datapath meter id for 'm', or UINT32_MAX if the datapath cannot
 * enforce it. */
uint32_t dp_meters_get(struct dp_meters *, const struct ofmeter *);
void dp_meters_run(struct dp_meters *, struct ofproto *);

#endif /* dp-meters.h */
