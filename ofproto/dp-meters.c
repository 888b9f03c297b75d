/* dp-meters: OpenFlow meters in the datapath (see dp-meters.h). */
#include <config.h>
#include "ofproto/dp-meters.h"
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include "datapath/dpif.h"
#include "hmap.h"
#include "ofp-meter.h"
#include "ofproto/ofproto.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(dp_meters);

struct dp_meter_map {
    struct hmap_node node;          /* By 'of_id'. */
    uint32_t of_id;
    uint32_t dp_id;
    struct dpif_meter cfg;          /* What the datapath has. */
    struct dpif_meter_stats last;   /* Counters already credited. */
};

struct dp_meters {
    struct dpif *dpif;              /* Not owned. */
    struct hmap map;                /* struct dp_meter_map. */
    uint8_t used[DP_MAX_METERS];    /* Datapath ids taken. */
    bool unsupported;               /* The datapath has no meters. */
};

struct dp_meters *
dp_meters_create(struct dpif *dpif)
{
    struct dp_meters *dm = xzalloc(sizeof *dm);
    dm->dpif = dpif;
    hmap_init(&dm->map);
    return dm;
}

static void
map_remove(struct dp_meters *dm, struct dp_meter_map *mm)
{
    dpif_meter_del(dm->dpif, mm->dp_id);
    dm->used[mm->dp_id] = 0;
    hmap_remove(&dm->map, &mm->node);
    free(mm);
}

void
dp_meters_destroy(struct dp_meters *dm)
{
    struct dp_meter_map *mm, *next;
    if (!dm) {
        return;
    }
    HMAP_FOR_EACH_SAFE (mm, next, node, &dm->map) {
        map_remove(dm, mm);
    }
    hmap_destroy(&dm->map);
    free(dm);
}

static struct dp_meter_map *
map_find(const struct dp_meters *dm, uint32_t of_id)
{
    struct dp_meter_map *mm;
    HMAP_FOR_EACH_WITH_HASH (mm, node, hash_int(of_id, 0), &dm->map) {
        if (mm->of_id == of_id) {
            return mm;
        }
    }
    return NULL;
}

/* The datapath form of 'm', false if it has none. */
static bool
meter_to_dp(const struct ofmeter *m, struct dpif_meter *cfg)
{
    if (m->n_bands != 1 || m->bands[0].type != OFPMBT_DROP
        || !m->bands[0].rate || m->bands[0].rate > DP_METER_MAX_RATE) {
        return false;
    }
    memset(cfg, 0, sizeof *cfg);
    cfg->pktps = (m->flags & OFPMF_PKTPS) != 0;
    cfg->rate = m->bands[0].rate;
    cfg->burst = m->flags & OFPMF_BURST ? m->bands[0].burst_size : 0;
    return true;
}

uint32_t
dp_meters_get(struct dp_meters *dm, const struct ofmeter *m)
{
    struct dpif_meter cfg;
    struct dp_meter_map *mm;

    if (!dm || dm->unsupported || !meter_to_dp(m, &cfg)) {
        return UINT32_MAX;
    }
    mm = map_find(dm, m->meter_id);
    if (mm && !memcmp(&mm->cfg, &cfg, sizeof cfg)) {
        return mm->dp_id;
    }
    if (!mm) {
        uint32_t id;
        for (id = 0; id < DP_MAX_METERS && dm->used[id]; id++) {
            continue;
        }
        if (id == DP_MAX_METERS) {
            return UINT32_MAX;
        }
        mm = xzalloc(sizeof *mm);
        mm->of_id = m->meter_id;
        mm->dp_id = id;
        dm->used[id] = 1;
        hmap_insert(&dm->map, &mm->node, hash_int(m->meter_id, 0));
    }
    int error = dpif_meter_set(dm->dpif, mm->dp_id, &cfg);
    if (error) {
        if (error == EOPNOTSUPP) {
            dm->unsupported = true;
        } else {
            VLOG_WARN("meter %"PRIu32": datapath meter %"PRIu32": %s",
                      m->meter_id, mm->dp_id, vs_strerror(error));
        }
        map_remove(dm, mm);
        return UINT32_MAX;
    }
    if (!mm->cfg.rate) {
        /* New: counters from before (a previous user of the id) are not
         * this meter's. */
        struct dpif_meter cur;
        dpif_meter_get(dm->dpif, mm->dp_id, &cur, &mm->last);
    }
    mm->cfg = cfg;
    return mm->dp_id;
}

void
dp_meters_run(struct dp_meters *dm, struct ofproto *ofproto)
{
    struct dp_meter_map *mm, *next;

    HMAP_FOR_EACH_SAFE (mm, next, node, &dm->map) {
        struct ofmeter *m = ofproto_meter_find(ofproto, mm->of_id);
        struct dpif_meter cfg, cur;
        struct dpif_meter_stats st;

        if (!m || !meter_to_dp(m, &cfg)) {
            map_remove(dm, mm);
            continue;
        }
        if (dpif_meter_get(dm->dpif, mm->dp_id, &cur, &st)) {
            continue;
        }
        uint64_t passed = st.n_packets - MIN(st.n_packets, mm->last.n_packets);
        uint64_t dropped = st.n_dropped - MIN(st.n_dropped,
                                              mm->last.n_dropped);
        uint64_t bytes = st.n_bytes - MIN(st.n_bytes, mm->last.n_bytes);
        m->packet_count += passed + dropped;
        m->byte_count += bytes;
        m->bands[0].packet_count += dropped;
        mm->last = st;
    }
}
