/* ofproto meters: the meter table and meter_mod semantics.  Enforcing a
 * meter (the token buckets) is the pipeline's job; this file keeps the
 * configuration, the counters and the rule that deleting a meter deletes
 * the flows that use it. */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include "ofproto/ofproto-provider.h"
#include "timeval.h"
#include "util.h"

struct ofmeter *
ofproto_meter_find(const struct ofproto *p, uint32_t id)
{
    struct ofmeter *m;
    HMAP_FOR_EACH_WITH_HASH (m, node, hash_int(id, 0), &p->meters) {
        if (m->meter_id == id) {
            return m;
        }
    }
    return NULL;
}

static void
ofmeter_free(struct ofmeter *m)
{
    free(m->bands);
    free(m);
}

static void
set_bands(struct ofmeter *m, const struct ofp_meter_mod *mm)
{
    free(m->bands);
    m->flags = mm->flags;
    m->n_bands = mm->n_bands;
    m->bands = xcalloc(mm->n_bands + 1, sizeof *m->bands);
    for (size_t i = 0; i < mm->n_bands; i++) {
        m->bands[i].type = mm->bands[i].type;
        m->bands[i].rate = mm->bands[i].rate;
        m->bands[i].burst_size = mm->bands[i].burst_size;
        m->bands[i].prec_level = mm->bands[i].prec_level;
    }
    /* The enforcer's token state restarts with the new bands: zero means
     * "not yet filled". */
    m->last_fill = 0;
}

enum ofperr
ofproto_meter_mod_check(const struct ofproto *p,
                        const struct ofp_meter_mod *mm)
{
    if (mm->command > OFPMC_DELETE) {
        return OFPERR_OFPMMFC_BAD_COMMAND;
    }
    if (!mm->meter_id
        || (mm->meter_id > OFPM_MAX
            && !(mm->command == OFPMC_DELETE && mm->meter_id == OFPM_ALL))) {
        return OFPERR_OFPMMFC_INVALID_METER;
    }
    if (mm->command == OFPMC_DELETE) {
        return 0;
    }
    bool exists = ofproto_meter_find(p, mm->meter_id) != NULL;
    if (mm->command == OFPMC_ADD) {
        if (exists) {
            return OFPERR_OFPMMFC_METER_EXISTS;
        }
        if (hmap_count(&p->meters) >= OFPROTO_MAX_METERS) {
            return OFPERR_OFPMMFC_OUT_OF_METERS;
        }
    } else if (!exists) {
        return OFPERR_OFPMMFC_UNKNOWN_METER;
    }
    if (mm->flags & ~(OFPMF_KBPS | OFPMF_PKTPS | OFPMF_BURST | OFPMF_STATS)
        || !(mm->flags & (OFPMF_KBPS | OFPMF_PKTPS))
        || (mm->flags & OFPMF_KBPS && mm->flags & OFPMF_PKTPS)) {
        return OFPERR_OFPMMFC_BAD_FLAGS;
    }
    if (mm->n_bands > OFPROTO_MAX_BANDS) {
        return OFPERR_OFPMMFC_OUT_OF_BANDS;
    }
    for (size_t i = 0; i < mm->n_bands; i++) {
        const struct ofp_meter_band *b = &mm->bands[i];
        if (b->type != OFPMBT_DROP && b->type != OFPMBT_DSCP_REMARK) {
            return OFPERR_OFPMMFC_BAD_BAND;
        }
        if (!b->rate) {
            return OFPERR_OFPMMFC_BAD_RATE;
        }
        if (b->burst_size && !(mm->flags & OFPMF_BURST)) {
            return OFPERR_OFPMMFC_BAD_BURST;
        }
        if (b->type == OFPMBT_DSCP_REMARK && b->prec_level > 63) {
            return OFPERR_OFPMMFC_BAD_BAND_VALUE;
        }
    }
    return 0;
}

enum ofperr
ofproto_meter_mod(struct ofproto *p, const struct ofp_meter_mod *mm)
{
    return ofproto_meter_mod_txn(p, NULL, mm);
}

enum ofperr
ofproto_meter_mod_txn(struct ofproto *p, struct ofproto_txn *txn,
                      const struct ofp_meter_mod *mm)
{
    enum ofperr error = ofproto_meter_mod_check(p, mm);
    if (error) {
        return error;
    }
    struct ofmeter *m;
    switch (mm->command) {
    case OFPMC_ADD:
        m = xzalloc(sizeof *m);
        m->meter_id = mm->meter_id;
        m->created = time_msec();
        set_bands(m, mm);
        hmap_insert(&p->meters, &m->node, hash_int(m->meter_id, 0));
        break;

    case OFPMC_MODIFY:
        /* Counters stay; band counters restart with the new bands. */
        set_bands(ofproto_meter_find(p, mm->meter_id), mm);
        break;

    case OFPMC_DELETE:
        ofproto_delete_flows_by_meter(p, txn, mm->meter_id);
        if (mm->meter_id == OFPM_ALL) {
            HMAP_FOR_EACH_POP (m, node, &p->meters) {
                ofmeter_free(m);
            }
        } else if ((m = ofproto_meter_find(p, mm->meter_id))) {
            hmap_remove(&p->meters, &m->node);
            ofmeter_free(m);
        }
        break;
    }
    ofproto_changed(p);
    return 0;
}

void
ofproto_meters_destroy(struct ofproto *p)
{
    struct ofmeter *m;
    HMAP_FOR_EACH_POP (m, node, &p->meters) {
        ofmeter_free(m);
    }
}

struct hmap *
ofproto_meters_snapshot(const struct ofproto *p)
{
    struct hmap *snap = xmalloc(sizeof *snap);
    hmap_init(snap);
    const struct ofmeter *m;
    HMAP_FOR_EACH (m, node, &p->meters) {
        struct ofmeter *copy = xmemdup(m, sizeof *m);
        copy->bands = xmemdup(m->bands, (m->n_bands + 1) * sizeof *m->bands);
        hmap_insert(snap, &copy->node, hash_int(copy->meter_id, 0));
    }
    return snap;
}

void
ofproto_meters_snapshot_free(struct hmap *snap)
{
    if (snap) {
        struct ofmeter *m;
        HMAP_FOR_EACH_POP (m, node, snap) {
            ofmeter_free(m);
        }
        hmap_destroy(snap);
        free(snap);
    }
}

void
ofproto_meters_restore(struct ofproto *p, struct hmap *snap)
{
    ofproto_meters_destroy(p);
    hmap_swap(&p->meters, snap);
    ofproto_meters_snapshot_free(snap);
    ofproto_changed(p);
}

static int
compare_meters(const void *a_, const void *b_)
{
    const struct ofmeter *a = *(struct ofmeter *const *) a_;
    const struct ofmeter *b = *(struct ofmeter *const *) b_;
    return a->meter_id < b->meter_id ? -1 : a->meter_id > b->meter_id;
}

struct ofmeter **
ofproto_meters_sorted(const struct ofproto *p, size_t *n)
{
    struct ofmeter **meters = xcalloc(hmap_count(&p->meters) + 1,
                                      sizeof *meters);
    size_t i = 0;
    struct ofmeter *m;
    HMAP_FOR_EACH (m, node, &p->meters) {
        meters[i++] = m;
    }
    qsort(meters, i, sizeof *meters, compare_meters);
    *n = i;
    return meters;
}

void
ofmeter_to_meter_mod(const struct ofmeter *m, struct ofp_meter_mod *mm)
{
    ofp_meter_mod_init(mm);
    mm->command = OFPMC_ADD;
    mm->flags = m->flags;
    mm->meter_id = m->meter_id;
    mm->n_bands = m->n_bands;
    mm->bands = xcalloc(m->n_bands + 1, sizeof *mm->bands);
    for (size_t i = 0; i < m->n_bands; i++) {
        mm->bands[i].type = m->bands[i].type;
        mm->bands[i].rate = m->bands[i].rate;
        mm->bands[i].burst_size = m->bands[i].burst_size;
        mm->bands[i].prec_level = m->bands[i].prec_level;
    }
}
