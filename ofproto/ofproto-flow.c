/* ofproto flow tables: flow_mod semantics, timeouts, eviction.
 *
 * Every change goes through a transaction ('struct ofproto_txn'): adding,
 * modifying or deleting a rule takes effect in the classifier at once (so
 * later messages of a bundle see it) but keeps what is needed to undo it.
 * Committing frees what was replaced and sends the flow_removed messages
 * owed; aborting restores the tables as they were.  A lone flow_mod is a
 * transaction of one message; a bundle is one of many. */
#include <config.h>
#include "ofp-monitor.h"
#include "ofproto/ofproto-txn.h"
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "connmgr.h"
#include "ofp-msgs.h"
#include "ofproto/learned-cookies.h"
#include "ofproto/ofproto-provider.h"
#include "ofproto/rule-dump-cache.h"
#include "timeval.h"
#include "util.h"

/* ---- Rules. ---- */

static struct rule *
rule_create(const struct ofp_flow_mod *fm, int priority, uint8_t table_id,
            long long now)
{
    struct rule *rule = xzalloc(sizeof *rule);
    cls_rule_init(&rule->cr, &fm->match, priority);
    rule->table_id = table_id;
    rule->cookie = fm->cookie;
    rule->idle_timeout = fm->idle_timeout;
    rule->hard_timeout = fm->hard_timeout;
    rule->importance = fm->importance;
    rule->flags = fm->flags;
    rule->created = rule->modified = rule->used = now;
    ofpacts_clone(&rule->ofpacts, &fm->ofpacts);
    vs_list_init(&rule->expirable_node);
    return rule;
}

static void
rule_free(struct rule *rule)
{
    if (rule) {
        rule_dump_cache_drop(rule);
        ofpacts_uninit(&rule->ofpacts);
        free(rule);
    }
}

static bool
rule_is_expirable(const struct rule *rule)
{
    return rule->idle_timeout || rule->hard_timeout;
}

/* Puts 'rule' in its table (the caller has checked there is no identical
 * rule, or wants it displaced: returned). */
static struct rule *
rule_insert(struct ofproto *p, struct rule *rule)
{
    struct oftable *table = &p->tables[rule->table_id];
    struct cls_rule *old = classifier_replace(&table->cls, &rule->cr);
    table->n_hidden += rule_is_hidden(rule);
    table_order_add(&table->order, rule);
    if (rule_is_expirable(rule)) {
        vs_list_push_back(&p->expirable, &rule->expirable_node);
    }
    struct rule *displaced = old ? CONTAINER_OF(old, struct rule, cr) : NULL;
    if (displaced) {
        table->n_hidden -= rule_is_hidden(displaced);
        table_order_remove(&table->order, displaced);
    }
    if (displaced && !vs_list_is_empty(&displaced->expirable_node)) {
        vs_list_remove(&displaced->expirable_node);
        vs_list_init(&displaced->expirable_node);
    }
    return displaced;
}

static void
rule_remove(struct ofproto *p, struct rule *rule)
{
    struct oftable *table = &p->tables[rule->table_id];
    classifier_remove(&table->cls, &rule->cr);
    table->n_hidden -= rule_is_hidden(rule);
    table_order_remove(&table->order, rule);
    if (!vs_list_is_empty(&rule->expirable_node)) {
        vs_list_remove(&rule->expirable_node);
        vs_list_init(&rule->expirable_node);
    }
}

void
rule_duration(const struct rule *rule, uint32_t *sec, uint32_t *nsec)
{
    long long ms = time_msec() - rule->created;
    if (ms < 0) {
        ms = 0;
    }
    *sec = ms / 1000;
    *nsec = (ms % 1000) * 1000000;
}

static void
send_flow_removed(struct ofproto *p, const struct rule *rule, uint8_t reason)
{
    if (!(rule->flags & OFPFF_SEND_FLOW_REM) || rule_is_hidden(rule)) {
        return;
    }
    struct ofp_flow_removed fr;
    memset(&fr, 0, sizeof fr);
    fr.match = rule->cr.match;
    fr.priority = rule->cr.priority;
    fr.cookie = rule->cookie;
    fr.reason = reason;
    fr.table_id = rule->table_id;
    rule_duration(rule, &fr.duration_sec, &fr.duration_nsec);
    fr.idle_timeout = rule->idle_timeout;
    fr.hard_timeout = rule->hard_timeout;
    fr.packet_count = rule->packet_count;
    fr.byte_count = rule->byte_count;
    connmgr_send_flow_removed(p->connmgr, &fr);
}

/* ---- Transactions. ---- */

void
ofproto_txn_init(struct ofproto_txn *txn)
{
    memset(txn, 0, sizeof *txn);
}

static struct rule_change *
txn_add(struct ofproto_txn *txn, enum rule_change_type type,
        struct rule *rule)
{
    if (txn->n >= txn->allocated) {
        txn->changes = x2nrealloc(txn->changes, &txn->allocated,
                                  sizeof *txn->changes);
    }
    struct rule_change *c = &txn->changes[txn->n++];
    memset(c, 0, sizeof *c);
    c->type = type;
    c->rule = rule;
    return c;
}

void
ofproto_txn_commit(struct ofproto *p, struct ofproto_txn *txn)
{
    struct learned_cookies *lc = &p->learned_cookies;
    for (size_t i = 0; i < txn->n; i++) {
        struct rule_change *c = &txn->changes[i];
        switch (c->type) {
        case RULE_CHANGE_ADD:
            /* Replacing an identical match+priority is reported as an
             * addition, as Open vSwitch does. */
            ofproto_monitor_report(p, c->rule, OFPFME_ADDED, 0,
                                   c->replaced ? &c->replaced->ofpacts : NULL);
            if (c->replaced) {
                learned_cookies_add(lc, &c->replaced->ofpacts);
            }
            rule_free(c->replaced);
            break;
        case RULE_CHANGE_DELETE:
            send_flow_removed(p, c->rule, c->reason);
            ofproto_monitor_report(p, c->rule, OFPFME_REMOVED, c->reason, NULL);
            learned_cookies_add(lc, &c->rule->ofpacts);
            rule_free(c->rule);
            break;
        case RULE_CHANGE_MODIFY:
            ofproto_monitor_report(p, c->rule, OFPFME_MODIFIED, 0,
                                   &c->old_ofpacts);
            learned_cookies_add(lc, &c->old_ofpacts);
            ofpacts_uninit(&c->old_ofpacts);
            break;
        }
    }
    if (txn->n) {
        ofproto_changed(p);
    }
    free(txn->changes);
    ofproto_txn_init(txn);
}

void
ofproto_txn_abort(struct ofproto *p, struct ofproto_txn *txn)
{
    for (size_t i = txn->n; i-- > 0;) {
        struct rule_change *c = &txn->changes[i];
        switch (c->type) {
        case RULE_CHANGE_ADD:
            rule_remove(p, c->rule);
            rule_free(c->rule);
            if (c->replaced) {
                rule_insert(p, c->replaced);
            }
            break;
        case RULE_CHANGE_DELETE:
            rule_insert(p, c->rule);
            break;
        case RULE_CHANGE_MODIFY: {
            struct rule *r = c->rule;
            ofpacts_uninit(&r->ofpacts);
            r->ofpacts = c->old_ofpacts;
            rule_dump_cache_drop(r);
            r->cookie = c->old_cookie;
            r->packet_count = c->old_packet_count;
            r->byte_count = c->old_byte_count;
            r->modified = c->old_modified;
            break;
        }
        }
    }
    free(txn->changes);
    ofproto_txn_init(txn);
}

static void
txn_delete_rule(struct ofproto *p, struct ofproto_txn *txn, struct rule *rule,
                uint8_t reason)
{
    rule_remove(p, rule);
    txn_add(txn, RULE_CHANGE_DELETE, rule)->reason = reason;
}

/* ---- Selection. ---- */

bool
rule_matches_filters(const struct rule *rule, uint64_t cookie,
                     uint64_t cookie_mask, uint32_t out_port,
                     uint32_t out_group)
{
    if ((rule->cookie ^ cookie) & cookie_mask) {
        return false;
    }
    if (out_port != OFPP_ANY
        && !ofpacts_output_to_port(&rule->ofpacts, out_port)) {
        return false;
    }
    if (out_group != OFPG_ANY
        && !ofpacts_output_to_group(&rule->ofpacts, out_group)) {
        return false;
    }
    return true;
}

/* A rule's position in sort_rules()' order as one number, for the part
 * before age: table ascending, then priority descending. */
static inline uint64_t
rule_major_key(const struct rule *r)
{
    /* Priority is an int; flipping its sign bit maps it onto uint32_t in
     * order, and the complement puts higher priorities first. */
    uint32_t prio = (uint32_t) r->cr.priority ^ UINT32_C(0x80000000);
    return ((uint64_t) r->table_id << 32) | (UINT32_MAX - prio);
}

/* A rule's place in a reply, copied out of the rule so that sorting
 * 100,000 of them compares contiguous keys instead of chasing a pointer
 * into each rule (cache misses dominated the sort). */
struct rule_sort_key {
    uint64_t major;                 /* Table ascending, priority descending. */
    long long created;              /* Then oldest first. */
    struct rule *rule;
};

static inline bool
rule_key_less(const struct rule_sort_key *a, const struct rule_sort_key *b)
{
    return a->major != b->major ? a->major < b->major
                                : a->created < b->created;
}

/* Stable bottom-up merge sort of 'keys' with 'tmp' (as big) as scratch:
 * the comparison inlined, which qsort() cannot do, makes it quicker. */
static void
merge_sort_keys(struct rule_sort_key *keys, struct rule_sort_key *tmp,
                size_t n)
{
    struct rule_sort_key *src = keys, *dst = tmp;
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = MIN(lo + width, n), hi = MIN(lo + 2 * width, n);
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                dst[k++] = rule_key_less(&src[j], &src[i]) ? src[j++]
                                                           : src[i++];
            }
            while (i < mid) {
                dst[k++] = src[i++];
            }
            while (j < hi) {
                dst[k++] = src[j++];
            }
        }
        struct rule_sort_key *t = src;
        src = dst;
        dst = t;
    }
    if (src != keys) {
        memcpy(keys, src, n * sizeof *keys);
    }
}

/* Sorts 'rules' by table, then priority (highest first), then age. */
static void
sort_rules(struct rule **rules, size_t n)
{
    struct rule_sort_key *keys = xmalloc(2 * n * sizeof *keys);
    for (size_t i = 0; i < n; i++) {
        struct rule *r = rules[i];
        keys[i].major = rule_major_key(r);
        keys[i].created = r->created;
        keys[i].rule = r;
    }
    merge_sort_keys(keys, keys + n, n);
    for (size_t i = 0; i < n; i++) {
        rules[i] = keys[i].rule;
    }
    free(keys);
}

static bool
rule_is_selected(const struct rule *rule, const struct rule_criteria *c,
                 bool any_match)
{
    return ((c->include_hidden || !rule_is_hidden(rule))
            && (any_match || match_is_subset(&rule->cr.match, c->match))
            && rule_matches_filters(rule, c->cookie, c->cookie_mask,
                                    c->out_port, c->out_group));
}

/* How far ahead of the rule being looked at a walk prefetches. */
#define COLLECT_PREFETCH 8

struct rule **
ofproto_collect_rules(const struct ofproto *p, const struct rule_criteria *c,
                      size_t *np)
{
    struct rule **rules = NULL;
    size_t n = 0, allocated = 0;
    unsigned first = c->table_id == OFPTT_ALL ? 0 : c->table_id;
    unsigned last = c->table_id == OFPTT_ALL ? OFPROTO_N_TABLES - 1
                                             : c->table_id;
    bool any_match = !c->match || match_is_catchall(c->match);
    /* Whether the rules came out in sort_rules()' order already, as a walk
     * in insertion order mostly yields them. */
    bool sorted = true;
    uint64_t prev_major = 0;
    long long prev_created = LLONG_MIN;
    for (unsigned t = first; t <= last && t < OFPROTO_N_TABLES; t++) {
        const struct oftable *table = &p->tables[t];
        if (c->strict) {
            const struct cls_rule *cr = classifier_find_exactly(&table->cls,
                                                                c->match,
                                                                c->priority);
            struct rule *rule = cr ? CONTAINER_OF(cr, struct rule, cr) : NULL;
            if (rule && (c->include_hidden || !rule_is_hidden(rule))
                && rule_matches_filters(rule, c->cookie, c->cookie_mask,
                                        c->out_port, c->out_group)) {
                if (n >= allocated) {
                    rules = x2nrealloc(rules, &allocated, sizeof *rules);
                }
                rules[n++] = rule;
            }
            continue;
        }
        const struct table_order *o = &table->order;
        if (!table_order_count(o)) {
            continue;
        }
        if (allocated - n < table_order_count(o)) {
            allocated = n + table_order_count(o);
            rules = xrealloc(rules, allocated * sizeof *rules);
        }
        for (size_t i = 0; i < o->n; i++) {
            if (i + COLLECT_PREFETCH < o->n && o->rules[i + COLLECT_PREFETCH]) {
                const struct rule *ahead = o->rules[i + COLLECT_PREFETCH];
                __builtin_prefetch(&ahead->cr.priority);
                __builtin_prefetch(&ahead->created);
            }
            struct rule *rule = o->rules[i];
            if (!rule || !rule_is_selected(rule, c, any_match)) {
                continue;
            }
            uint64_t major = rule_major_key(rule);
            if (major < prev_major
                || (major == prev_major && rule->created < prev_created)) {
                sorted = false;
            }
            prev_major = major;
            prev_created = rule->created;
            rules[n++] = rule;
        }
    }
    if (n > 1 && !sorted) {
        sort_rules(rules, n);
    }
    *np = n;
    return rules;
}

/* ---- Checks. ---- */

static bool
port_is_valid_output(uint32_t port)
{
    return port < OFPP_MAX || (port >= OFPP_IN_PORT && port <= OFPP_LOCAL);
}

enum ofperr
ofproto_check_ofpacts(const struct ofproto *p, const struct ofpacts *ofpacts,
                      const struct match *match, uint8_t table_id)
{
    enum ofperr error = ofpacts_check(ofpacts, match, table_id,
                                      OFPROTO_N_TABLES);
    if (error) {
        return error;
    }
    for (size_t i = 0; i < ofpacts->n; i++) {
        const struct ofpact *a = &ofpacts->acts[i];
        switch (a->type) {
        case OFPACT_OUTPUT:
            if (!port_is_valid_output(a->u.output.port)) {
                return OFPERR_OFPBAC_BAD_OUT_PORT;
            }
            break;
        case OFPACT_ENQUEUE:
            if (!port_is_valid_output(a->u.enqueue.port)) {
                return OFPERR_OFPBAC_BAD_OUT_PORT;
            }
            break;
        case OFPACT_GROUP:
            if (!ofproto_group_find(p, a->u.id)) {
                return OFPERR_OFPBAC_BAD_OUT_GROUP;
            }
            break;
        case OFPACT_METER:
            if (!ofproto_meter_find(p, a->u.id)) {
                return OFPERR_OFPMMFC_INVALID_METER;
            }
            break;
        default:
            break;
        }
    }
    return 0;
}

enum ofperr
ofproto_flow_mod_check(const struct ofproto *p, const struct ofp_flow_mod *fm)
{
    switch (fm->command) {
    case OFPFC_ADD:
        if (fm->table_id >= OFPROTO_N_TABLES) {
            return OFPERR_OFPFMFC_BAD_TABLE_ID;
        }
        /* Fall through. */
    case OFPFC_MODIFY:
    case OFPFC_MODIFY_STRICT: {
        uint8_t table_id = fm->table_id == OFPTT_ALL ? 0 : fm->table_id;
        return ofproto_check_ofpacts(p, &fm->ofpacts, &fm->match, table_id);
    }
    case OFPFC_DELETE:
    case OFPFC_DELETE_STRICT:
        return 0;
    default:
        return OFPERR_OFPFMFC_BAD_COMMAND;
    }
}

/* ---- Add. ---- */

/* The rule to evict from a full table: least important, then the one
 * that would expire soonest, then the least recently used. */
static struct rule *
choose_eviction_victim(const struct ofproto *p, uint8_t table_id)
{
    struct rule *best = NULL;
    struct cls_cursor cursor = cls_cursor_start(&p->tables[table_id].cls,
                                                NULL);
    const struct cls_rule *cr;
    while ((cr = cls_cursor_next(&cursor))) {
        struct rule *r = CONTAINER_OF(cr, struct rule, cr);
        if (rule_is_hidden(r)) {
            continue;
        }
        if (!best || r->importance < best->importance
            || (r->importance == best->importance && r->used < best->used)) {
            best = r;
        }
    }
    return best;
}

void
ofproto_evict_excess(struct ofproto *p, uint8_t table_id)
{
    struct oftable *table = &p->tables[table_id];
    if (!table->flow_limit
        || !(table->evict || table->config & OFPTC_EVICTION)) {
        return;
    }
    while (classifier_count(&table->cls) > table->flow_limit) {
        struct rule *victim = choose_eviction_victim(p, table_id);
        if (!victim) {
            break;              /* Only hidden flows left. */
        }
        ofproto_rule_delete(p, victim, OFPRR_EVICTION);
    }
}

static enum ofperr
add_rule(struct ofproto *p, struct ofproto_txn *txn,
         const struct ofp_flow_mod *fm, int priority, uint8_t table_id,
         uint8_t version)
{
    struct oftable *table = &p->tables[table_id];
    long long now = time_msec();
    struct rule *rule = rule_create(fm, priority, table_id, now);

    if (fm->flags & OFPFF_CHECK_OVERLAP
        && classifier_rule_overlaps(&table->cls, &rule->cr)) {
        rule_free(rule);
        return OFPERR_OFPFMFC_OVERLAP;
    }

    const struct cls_rule *same = classifier_find_rule_exactly(&table->cls,
                                                               &rule->cr);
    if (!same && table->flow_limit
        && classifier_count(&table->cls) >= table->flow_limit) {
        struct rule *victim = (table->evict || table->config & OFPTC_EVICTION
                               ? choose_eviction_victim(p, table_id) : NULL);
        if (!victim) {
            rule_free(rule);
            return OFPERR_OFPFMFC_TABLE_FULL;
        }
        txn_delete_rule(p, txn, victim, OFPRR_EVICTION);
    }

    struct rule *old = rule_insert(p, rule);
    if (old && version != OFP10_VERSION
        && !(fm->flags & OFPFF_RESET_COUNTS)) {
        /* OF1.1+: replacing keeps the counters unless reset_counts. */
        rule->packet_count = old->packet_count;
        rule->byte_count = old->byte_count;
    }
    txn_add(txn, RULE_CHANGE_ADD, rule)->replaced = old;
    rule_dump_cache_build(rule, version);
    return 0;
}

/* ---- Modify and delete. ---- */

static void
modify_rule(struct ofproto_txn *txn, struct rule *rule,
            const struct ofp_flow_mod *fm, uint8_t version)
{
    struct rule_change *c = txn_add(txn, RULE_CHANGE_MODIFY, rule);
    c->old_ofpacts = rule->ofpacts;
    c->old_cookie = rule->cookie;
    c->old_packet_count = rule->packet_count;
    c->old_byte_count = rule->byte_count;
    c->old_modified = rule->modified;

    ofpacts_init(&rule->ofpacts);
    ofpacts_clone(&rule->ofpacts, &fm->ofpacts);
    rule_dump_cache_build(rule, version);
    if (fm->new_cookie != UINT64_MAX) {
        /* OF1.0 (and NXM) modify sets the cookie. */
        rule->cookie = fm->new_cookie;
    }
    if (fm->flags & OFPFF_RESET_COUNTS) {
        rule->packet_count = rule->byte_count = 0;
    }
    rule->modified = time_msec();
}

static void
criteria_from_flow_mod(struct rule_criteria *c, const struct ofp_flow_mod *fm,
                       bool strict, bool use_filters)
{
    memset(c, 0, sizeof *c);
    c->table_id = fm->table_id;
    c->match = &fm->match;
    c->strict = strict;
    c->priority = fm->priority;
    c->cookie = fm->cookie;
    c->cookie_mask = fm->cookie_mask;
    c->out_port = use_filters ? fm->out_port : OFPP_ANY;
    c->out_group = use_filters ? fm->out_group : OFPG_ANY;
}

enum ofperr
ofproto_flow_mod_txn(struct ofproto *p, struct ofproto_txn *txn,
                     const struct ofp_flow_mod *fm, uint8_t version)
{
    enum ofperr error = ofproto_flow_mod_check(p, fm);
    if (error) {
        return error;
    }

    struct rule_criteria c;
    struct rule **rules;
    size_t n;
    switch (fm->command) {
    case OFPFC_ADD:
        return add_rule(p, txn, fm, fm->priority, fm->table_id, version);

    case OFPFC_MODIFY:
    case OFPFC_MODIFY_STRICT:
        criteria_from_flow_mod(&c, fm, fm->command == OFPFC_MODIFY_STRICT,
                               false);
        rules = ofproto_collect_rules(p, &c, &n);
        for (size_t i = 0; i < n; i++) {
            modify_rule(txn, rules[i], fm, version);
        }
        free(rules);
        if (!n && version == OFP10_VERSION) {
            /* OpenFlow 1.0: modifying nothing adds the flow. */
            uint8_t table_id = fm->table_id == OFPTT_ALL ? 0 : fm->table_id;
            struct ofp_flow_mod add = *fm;    /* Shares the actions. */
            add.cookie = fm->new_cookie != UINT64_MAX ? fm->new_cookie : 0;
            return add_rule(p, txn, &add, fm->priority, table_id, version);
        }
        return 0;

    case OFPFC_DELETE:
    case OFPFC_DELETE_STRICT:
        if (fm->table_id != OFPTT_ALL && fm->table_id >= OFPROTO_N_TABLES) {
            return OFPERR_OFPFMFC_BAD_TABLE_ID;
        }
        criteria_from_flow_mod(&c, fm, fm->command == OFPFC_DELETE_STRICT,
                               true);
        rules = ofproto_collect_rules(p, &c, &n);
        /* Lowest priority first: the classifier's bookkeeping is cheap
         * when a subtable's top priority goes last. */
        for (size_t i = n; i-- > 0;) {
            txn_delete_rule(p, txn, rules[i], OFPRR_DELETE);
        }
        free(rules);
        return 0;

    default:
        return OFPERR_OFPFMFC_BAD_COMMAND;
    }
}

enum ofperr
ofproto_flow_mod__(struct ofproto *p, const struct ofp_flow_mod *fm,
                   uint8_t version)
{
    struct ofproto_txn txn;
    ofproto_txn_init(&txn);
    enum ofperr error = ofproto_flow_mod_txn(p, &txn, fm, version);
    if (error) {
        ofproto_txn_abort(p, &txn);
    } else {
        ofproto_txn_commit(p, &txn);
    }
    return error;
}

enum ofperr
ofproto_flow_mod(struct ofproto *p, const struct ofp_flow_mod *fm)
{
    return ofproto_flow_mod__(p, fm, OFP15_VERSION);
}

enum ofperr
ofproto_flow_mod_learn(struct ofproto *p, const struct ofp_flow_mod *fm,
                       long long now)
{
    if (fm->table_id >= OFPROTO_N_TABLES) {
        return OFPERR_OFPFMFC_BAD_TABLE_ID;
    }
    const struct cls_rule *cr = classifier_find_exactly(
        &p->tables[fm->table_id].cls, &fm->match, fm->priority);
    if (cr) {
        struct rule *rule = CONTAINER_OF(cr, struct rule, cr);
        if (ofpacts_equal(&rule->ofpacts, &fm->ofpacts)
            && rule->cookie == fm->cookie
            && rule->idle_timeout == fm->idle_timeout
            && rule->hard_timeout == fm->hard_timeout) {
            /* Learned again: only the hard timeout starts over, so the
             * tables (and every megaflow) stay as they are. */
            rule->modified = now;
            return 0;
        }
    }
    return ofproto_flow_mod(p, fm);
}

enum ofperr
ofproto_add_rule(struct ofproto *p, const struct ofp_flow_mod *fm,
                 int priority, uint8_t version)
{
    if (fm->table_id >= OFPROTO_N_TABLES) {
        return OFPERR_OFPFMFC_BAD_TABLE_ID;
    }
    enum ofperr error = ofproto_check_ofpacts(p, &fm->ofpacts, &fm->match,
                                              fm->table_id);
    if (error) {
        return error;
    }
    struct ofproto_txn txn;
    ofproto_txn_init(&txn);
    error = add_rule(p, &txn, fm, priority, fm->table_id, version);
    if (error) {
        ofproto_txn_abort(p, &txn);
    } else {
        ofproto_txn_commit(p, &txn);
    }
    return error;
}

void
ofproto_rule_delete(struct ofproto *p, struct rule *rule, uint8_t reason)
{
    rule_remove(p, rule);
    send_flow_removed(p, rule, reason);
    ofproto_monitor_report(p, rule, OFPFME_REMOVED, reason, NULL);
    learned_cookies_add(&p->learned_cookies, &rule->ofpacts);
    rule_free(rule);
    ofproto_changed(p);
}

void
ofproto_flush_flows(struct ofproto *p)
{
    struct rule_criteria c = {
        .table_id = OFPTT_ALL, .match = NULL, .out_port = OFPP_ANY,
        .out_group = OFPG_ANY, .include_hidden = true,
    };
    size_t n;
    struct rule **rules = ofproto_collect_rules(p, &c, &n);
    for (size_t i = n; i-- > 0;) {      /* Lowest priority first. */
        rule_remove(p, rules[i]);
        rule_free(rules[i]);
    }
    free(rules);
}

/* ---- Group and meter references. ---- */

bool
ofpacts_use_meter(const struct ofpacts *ofpacts, uint32_t meter_id)
{
    for (size_t i = 0; i < ofpacts->n; i++) {
        if (ofpacts->acts[i].type == OFPACT_METER
            && (meter_id == OFPM_ALL || ofpacts->acts[i].u.id == meter_id)) {
            return true;
        }
    }
    return false;
}

static bool
ofpacts_use_group(const struct ofpacts *ofpacts, uint32_t group_id)
{
    for (size_t i = 0; i < ofpacts->n; i++) {
        if (ofpacts->acts[i].type == OFPACT_GROUP
            && (group_id == OFPG_ALL || ofpacts->acts[i].u.id == group_id)) {
            return true;
        }
    }
    return false;
}

/* Every rule (hidden too) for which 'pred' holds, sorted as
 * ofproto_collect_rules() sorts. */
static struct rule **
collect_by(const struct ofproto *p,
           bool (*pred)(const struct ofpacts *, uint32_t), uint32_t id,
           size_t *np)
{
    struct rule **rules = NULL;
    size_t n = 0, allocated = 0;
    for (size_t t = 0; t < OFPROTO_N_TABLES; t++) {
        struct cls_cursor cursor = cls_cursor_start(&p->tables[t].cls, NULL);
        const struct cls_rule *cr;
        while ((cr = cls_cursor_next(&cursor))) {
            struct rule *rule = CONTAINER_OF(cr, struct rule, cr);
            if (pred(&rule->ofpacts, id)) {
                if (n >= allocated) {
                    rules = x2nrealloc(rules, &allocated, sizeof *rules);
                }
                rules[n++] = rule;
            }
        }
    }
    if (n > 1) {
        sort_rules(rules, n);
    }
    *np = n;
    return rules;
}

static void
delete_rules(struct ofproto *p, struct ofproto_txn *txn, struct rule **rules,
             size_t n, uint8_t reason)
{
    for (size_t i = n; i-- > 0;) {      /* Lowest priority first. */
        if (txn) {
            txn_delete_rule(p, txn, rules[i], reason);
        } else {
            ofproto_rule_delete(p, rules[i], reason);
        }
    }
    free(rules);
}

void
ofproto_delete_flows_by_group(struct ofproto *p, struct ofproto_txn *txn,
                              uint32_t group_id)
{
    size_t n;
    struct rule **rules = collect_by(p, ofpacts_use_group, group_id, &n);
    delete_rules(p, txn, rules, n, OFPRR_GROUP_DELETE);
}

void
ofproto_delete_flows_by_meter(struct ofproto *p, struct ofproto_txn *txn,
                              uint32_t meter_id)
{
    size_t n;
    struct rule **rules = collect_by(p, ofpacts_use_meter, meter_id, &n);
    delete_rules(p, txn, rules, n, OFPRR_METER_DELETE);
}

static int
compare_u32(const void *a_, const void *b_)
{
    uint32_t a = *(const uint32_t *) a_, b = *(const uint32_t *) b_;
    return a < b ? -1 : a > b;
}

void
ofproto_count_refs(const struct ofproto *p, enum ofpact_type type,
                   const uint32_t *ids, size_t n, uint32_t *counts)
{
    /* One pass over the flows, whatever the number of ids: a stamp per id
     * makes a flow that names an id twice count once. */
    size_t *stamps = xcalloc(n + 1, sizeof *stamps);
    size_t ordinal = 0;
    memset(counts, 0, n * sizeof *counts);
    for (size_t t = 0; t < OFPROTO_N_TABLES; t++) {
        struct cls_cursor cursor = cls_cursor_start(&p->tables[t].cls, NULL);
        const struct cls_rule *cr;
        while ((cr = cls_cursor_next(&cursor))) {
            const struct rule *rule = CONTAINER_OF(cr, struct rule, cr);
            ordinal++;
            for (size_t i = 0; i < rule->ofpacts.n; i++) {
                const struct ofpact *a = &rule->ofpacts.acts[i];
                if (a->type != type) {
                    continue;
                }
                const uint32_t *hit = bsearch(&a->u.id, ids, n, sizeof *ids,
                                              compare_u32);
                if (hit && stamps[hit - ids] != ordinal) {
                    stamps[hit - ids] = ordinal;
                    counts[hit - ids]++;
                }
            }
        }
    }
    free(stamps);
}

/* ---- Expiry. ---- */

void
ofproto_expire(struct ofproto *p)
{
    long long now = time_msec();
    struct rule *rule, *next;
    VS_LIST_FOR_EACH_SAFE (rule, next, expirable_node, &p->expirable) {
        if (rule->hard_timeout
            && now >= rule->modified + rule->hard_timeout * 1000LL) {
            ofproto_rule_delete(p, rule, OFPRR_HARD_TIMEOUT);
        } else if (rule->idle_timeout
                   && now >= rule->used + rule->idle_timeout * 1000LL) {
            ofproto_rule_delete(p, rule, OFPRR_IDLE_TIMEOUT);
        }
    }
}

static bool
reduce_timeout(uint16_t max, uint16_t *timeout)
{
    if (max && (!*timeout || *timeout > max)) {
        *timeout = max;
        return true;
    }
    return false;
}

void
ofproto_rule_reduce_timeouts(struct ofproto *p, struct rule *rule,
                             uint16_t idle, uint16_t hard)
{
    bool changed = reduce_timeout(idle, &rule->idle_timeout);
    changed |= reduce_timeout(hard, &rule->hard_timeout);
    if (changed && vs_list_is_empty(&rule->expirable_node)) {
        vs_list_push_back(&p->expirable, &rule->expirable_node);
    }
}

void
ofproto_rule_credit(struct rule *rule, uint64_t packets, uint64_t bytes,
                    long long used)
{
    if (!(rule->flags & OFPFF_NO_PKT_COUNTS)) {
        rule->packet_count += packets;
    }
    if (!(rule->flags & OFPFF_NO_BYT_COUNTS)) {
        rule->byte_count += bytes;
    }
    if (used > rule->used) {
        rule->used = used;
    }
}
