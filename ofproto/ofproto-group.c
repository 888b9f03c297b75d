/* ofproto groups: the group table and group_mod semantics.
 *
 * Buckets may chain to other groups ("group:N" in a bucket); such a group
 * must exist, a chain may not loop back, and a group others chain to can
 * only go away together with them (OFPG_ALL).  Deleting a group deletes
 * the flows that use it, as OpenFlow requires. */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include "ofp-msgs.h"
#include "ofproto/ofproto-provider.h"
#include "ofproto/ofproto-txn.h"
#include "timeval.h"
#include "util.h"

struct ofgroup *
ofproto_group_find(const struct ofproto *p, uint32_t id)
{
    struct ofgroup *g;
    HMAP_FOR_EACH_WITH_HASH (g, node, hash_int(id, 0), &p->groups) {
        if (g->group_id == id) {
            return g;
        }
    }
    return NULL;
}

static void
free_buckets(struct ofgroup_bucket *buckets, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ofpacts_uninit(&buckets[i].ofpacts);
    }
    free(buckets);
}

static void
ofgroup_free(struct ofgroup *g)
{
    free_buckets(g->buckets, g->n_buckets);
    free(g);
}

static struct ofgroup_bucket *
buckets_from_group_mod(const struct ofp_group_mod *gm)
{
    struct ofgroup_bucket *b = xcalloc(gm->n_buckets + 1, sizeof *b);
    for (size_t i = 0; i < gm->n_buckets; i++) {
        const struct ofp_bucket *src = &gm->buckets[i];
        b[i].bucket_id = src->bucket_id;
        b[i].weight = src->weight;
        b[i].watch_port = src->watch_port;
        b[i].watch_group = src->watch_group;
        ofpacts_init(&b[i].ofpacts);
        ofpacts_clone(&b[i].ofpacts, &src->ofpacts);
    }
    return b;
}

/* True if group 'from' can reach group 'target' through bucket actions,
 * taking the buckets of 'gm' in place of those of the group it modifies.
 * 'depth' bounds the walk. */
static bool
group_reaches(const struct ofproto *p, const struct ofp_group_mod *gm,
              uint32_t from, uint32_t target, int depth)
{
    if (from == target) {
        return true;
    }
    if (depth > 32) {
        return true;            /* Refuse absurdly deep chains too. */
    }
    const struct ofgroup *g = ofproto_group_find(p, from);
    if (!g) {
        return false;
    }
    if (from == gm->group_id) {
        for (size_t i = 0; i < gm->n_buckets; i++) {
            const struct ofpacts *o = &gm->buckets[i].ofpacts;
            for (size_t j = 0; j < o->n; j++) {
                if (o->acts[j].type == OFPACT_GROUP
                    && group_reaches(p, gm, o->acts[j].u.id, target,
                                     depth + 1)) {
                    return true;
                }
            }
        }
        return false;
    }
    for (size_t i = 0; i < g->n_buckets; i++) {
        const struct ofpacts *o = &g->buckets[i].ofpacts;
        for (size_t j = 0; j < o->n; j++) {
            if (o->acts[j].type == OFPACT_GROUP
                && group_reaches(p, gm, o->acts[j].u.id, target, depth + 1)) {
                return true;
            }
        }
    }
    return false;
}

/* True if some group other than 'id' has a bucket that outputs to 'id'. */
static bool
group_is_chained_to(const struct ofproto *p, uint32_t id)
{
    const struct ofgroup *g;
    HMAP_FOR_EACH (g, node, &p->groups) {
        if (g->group_id == id) {
            continue;
        }
        for (size_t i = 0; i < g->n_buckets; i++) {
            if (ofpacts_output_to_group(&g->buckets[i].ofpacts, id)) {
                return true;
            }
        }
    }
    return false;
}

enum ofperr
ofproto_group_mod_check(const struct ofproto *p,
                        const struct ofp_group_mod *gm)
{
    if (gm->command == OFPGC_DELETE) {
        if (gm->group_id != OFPG_ALL && gm->group_id > OFPG_MAX) {
            return OFPERR_OFPGMFC_INVALID_GROUP;
        }
        if (gm->group_id != OFPG_ALL && group_is_chained_to(p, gm->group_id)) {
            return OFPERR_OFPGMFC_CHAINED_GROUP;
        }
        return 0;
    }
    if (gm->command != OFPGC_ADD && gm->command != OFPGC_MODIFY) {
        return OFPERR_OFPGMFC_BAD_COMMAND;
    }
    if (gm->group_id > OFPG_MAX) {
        return OFPERR_OFPGMFC_INVALID_GROUP;
    }
    if (gm->type > OFPGT_FF) {
        return OFPERR_OFPGMFC_BAD_TYPE;
    }
    if (gm->type == OFPGT_INDIRECT && gm->n_buckets != 1) {
        return OFPERR_OFPGMFC_INVALID_GROUP;
    }
    bool exists = ofproto_group_find(p, gm->group_id) != NULL;
    if (gm->command == OFPGC_ADD) {
        if (exists) {
            return OFPERR_OFPGMFC_GROUP_EXISTS;
        }
        if (hmap_count(&p->groups) >= OFPROTO_MAX_GROUPS) {
            return OFPERR_OFPGMFC_OUT_OF_GROUPS;
        }
    } else if (!exists) {
        return OFPERR_OFPGMFC_UNKNOWN_GROUP;
    }

    struct match catchall;
    match_init_catchall(&catchall);
    for (size_t i = 0; i < gm->n_buckets; i++) {
        const struct ofp_bucket *b = &gm->buckets[i];
        if (gm->type != OFPGT_SELECT && b->weight) {
            return OFPERR_OFPGMFC_BAD_BUCKET;
        }
        if (gm->type == OFPGT_FF && b->watch_port == OFPP_ANY
            && b->watch_group == OFPG_ANY) {
            return OFPERR_OFPGMFC_BAD_WATCH;
        }
        if (b->watch_group != OFPG_ANY
            && !ofproto_group_find(p, b->watch_group)) {
            return OFPERR_OFPGMFC_BAD_WATCH;
        }
        /* A bucket that sends to its own group loops. */
        if (ofpacts_output_to_group(&b->ofpacts, gm->group_id)) {
            return OFPERR_OFPGMFC_LOOP;
        }
        for (size_t j = 0; j < b->ofpacts.n; j++) {
            const struct ofpact *a = &b->ofpacts.acts[j];
            if (a->type != OFPACT_GROUP) {
                continue;
            }
            if (!ofproto_group_find(p, a->u.id)) {
                return OFPERR_OFPGMFC_UNKNOWN_GROUP;
            }
            if (exists && group_reaches(p, gm, a->u.id, gm->group_id, 0)) {
                return OFPERR_OFPGMFC_LOOP;
            }
        }
        enum ofperr error = ofproto_check_ofpacts(p, &b->ofpacts, &catchall,
                                                  0);
        if (error) {
            return error;
        }
    }
    return 0;
}

static void
group_delete(struct ofproto *p, struct ofproto_txn *txn, struct ofgroup *g)
{
    ofproto_delete_flows_by_group(p, txn, g->group_id);
    hmap_remove(&p->groups, &g->node);
    ofgroup_free(g);
}

enum ofperr
ofproto_group_mod(struct ofproto *p, const struct ofp_group_mod *gm)
{
    return ofproto_group_mod_txn(p, NULL, gm);
}

enum ofperr
ofproto_group_mod_txn(struct ofproto *p, struct ofproto_txn *txn,
                      const struct ofp_group_mod *gm)
{
    enum ofperr error = ofproto_group_mod_check(p, gm);
    if (error) {
        return error;
    }
    struct ofgroup *g;
    switch (gm->command) {
    case OFPGC_ADD:
        g = xzalloc(sizeof *g);
        g->group_id = gm->group_id;
        g->type = gm->type;
        g->buckets = buckets_from_group_mod(gm);
        g->n_buckets = gm->n_buckets;
        g->created = time_msec();
        hmap_insert(&p->groups, &g->node, hash_int(g->group_id, 0));
        break;

    case OFPGC_MODIFY:
        /* The group's counters stay; its buckets (and theirs) are new. */
        g = ofproto_group_find(p, gm->group_id);
        free_buckets(g->buckets, g->n_buckets);
        g->type = gm->type;
        g->buckets = buckets_from_group_mod(gm);
        g->n_buckets = gm->n_buckets;
        break;

    case OFPGC_DELETE:
        if (gm->group_id == OFPG_ALL) {
            struct ofgroup *next;
            HMAP_FOR_EACH_SAFE (g, next, node, &p->groups) {
                group_delete(p, txn, g);
            }
        } else if ((g = ofproto_group_find(p, gm->group_id))) {
            group_delete(p, txn, g);
        }
        break;
    }
    ofproto_changed(p);
    return 0;
}

void
ofproto_groups_destroy(struct ofproto *p)
{
    struct ofgroup *g;
    HMAP_FOR_EACH_POP (g, node, &p->groups) {
        ofgroup_free(g);
    }
}

struct hmap *
ofproto_groups_snapshot(const struct ofproto *p)
{
    struct hmap *snap = xmalloc(sizeof *snap);
    hmap_init(snap);
    const struct ofgroup *g;
    HMAP_FOR_EACH (g, node, &p->groups) {
        struct ofgroup *copy = xmemdup(g, sizeof *g);
        copy->buckets = xmemdup(g->buckets,
                                (g->n_buckets + 1) * sizeof *g->buckets);
        for (size_t i = 0; i < g->n_buckets; i++) {
            ofpacts_clone(&copy->buckets[i].ofpacts, &g->buckets[i].ofpacts);
        }
        hmap_insert(snap, &copy->node, hash_int(copy->group_id, 0));
    }
    return snap;
}

void
ofproto_groups_snapshot_free(struct hmap *snap)
{
    if (snap) {
        struct ofgroup *g;
        HMAP_FOR_EACH_POP (g, node, snap) {
            ofgroup_free(g);
        }
        hmap_destroy(snap);
        free(snap);
    }
}

void
ofproto_groups_restore(struct ofproto *p, struct hmap *snap)
{
    ofproto_groups_destroy(p);
    hmap_swap(&p->groups, snap);
    ofproto_groups_snapshot_free(snap);
    ofproto_changed(p);
}

static int
compare_groups(const void *a_, const void *b_)
{
    const struct ofgroup *a = *(struct ofgroup *const *) a_;
    const struct ofgroup *b = *(struct ofgroup *const *) b_;
    return a->group_id < b->group_id ? -1 : a->group_id > b->group_id;
}

struct ofgroup **
ofproto_groups_sorted(const struct ofproto *p, size_t *n)
{
    struct ofgroup **groups = xcalloc(hmap_count(&p->groups) + 1,
                                      sizeof *groups);
    size_t i = 0;
    struct ofgroup *g;
    HMAP_FOR_EACH (g, node, &p->groups) {
        groups[i++] = g;
    }
    qsort(groups, i, sizeof *groups, compare_groups);
    *n = i;
    return groups;
}

void
ofgroup_to_group_mod(const struct ofgroup *g, struct ofp_group_mod *gm)
{
    ofp_group_mod_init(gm);
    gm->command = OFPGC_ADD;
    gm->type = g->type;
    gm->group_id = g->group_id;
    for (size_t i = 0; i < g->n_buckets; i++) {
        const struct ofgroup_bucket *src = &g->buckets[i];
        struct ofp_bucket *b = ofp_group_mod_add_bucket(gm);
        b->bucket_id = src->bucket_id;
        b->weight = src->weight;
        b->watch_port = src->watch_port;
        b->watch_group = src->watch_group;
        ofpacts_clone(&b->ofpacts, &src->ofpacts);
    }
}
