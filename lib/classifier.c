/* Tuple space search classifier with priority-sorted subtables, staged
 * lookup and prefix tries.  See classifier.h for the design. */
#include <config.h>
#include "classifier.h"

#include <arpa/inet.h>
#include <limits.h>
#include <string.h>
#include "util.h"

/* Stages end at these word indexes of struct flow. */
#define CLS_N_STAGES 4

struct cls_subtable {
    struct hmap_node hmap_node;     /* In classifier 'subtables'. */
    struct flow_wildcards mask;
    struct hmap rules;              /* Heads of same-match lists. */
    struct hmap priorities;         /* "struct prio_count"s. */
    int max_priority;
    size_t n_rules;

    /* Words of the mask that are nonzero, in order, and how many of them
     * belong to stages 0..i (stage_end[CLS_N_STAGES - 1] == n_words). */
    uint8_t words[FLOW_U64S];
    uint8_t n_words;
    uint8_t stage_end[CLS_N_STAGES];
    uint8_t n_stages;
    struct hmap stage_index[CLS_N_STAGES - 1];     /* "struct stage_node"s. */

    /* Prefix length of nw_src/nw_dst if the mask there is a CIDR prefix
     * (0: wildcarded or not a prefix, no trie use). */
    uint8_t plen[CLS_N_TRIES];
};

struct prio_count {
    struct hmap_node node;
    int priority;
    size_t count;
};

struct stage_node {
    struct hmap_node node;          /* Hash is the partial hash. */
    size_t count;
};

struct cls_trie_node {
    struct cls_trie_node *edges[2];
    size_t n_rules;                 /* Rules whose prefix ends here. */
    size_t n_refs;                  /* Rules whose prefix passes or ends here. */
};

/* ---- Rules. ---- */

void
cls_rule_init(struct cls_rule *rule, const struct match *match, int priority)
{
    memset(rule, 0, sizeof *rule);
    rule->match = *match;
    match_zero_wildcarded_fields(&rule->match);
    rule->priority = priority;
}

bool
cls_rule_equal(const struct cls_rule *a, const struct cls_rule *b)
{
    return a->priority == b->priority && match_equal(&a->match, &b->match);
}

bool
cls_rule_is_catchall(const struct cls_rule *rule)
{
    return match_is_catchall(&rule->match);
}

/* ---- Hashing over a subtable's words. ---- */

static inline uint32_t
hash_words_step(uint32_t h, uint64_t w)
{
    return hash_add(hash_add(h, (uint32_t) w), (uint32_t) (w >> 32));
}

static uint32_t
hash_range(const struct cls_subtable *st, const struct flow *flow,
           size_t from, size_t to, uint32_t h)
{
    const uint64_t *f = flow_u64(flow), *m = flow_u64(&st->mask.masks);
    for (size_t i = from; i < to; i++) {
        size_t w = st->words[i];
        h = hash_words_step(h, f[w] & m[w]);
    }
    return h;
}

static uint32_t
stage_hash(uint32_t running, size_t stage)
{
    return hash_finish(running, stage);
}

static bool
rule_matches(const struct cls_subtable *st, const struct cls_rule *rule,
             const struct flow *flow)
{
    const uint64_t *f = flow_u64(flow), *m = flow_u64(&st->mask.masks);
    const uint64_t *r = flow_u64(&rule->match.flow);
    for (size_t i = 0; i < st->n_words; i++) {
        size_t w = st->words[i];
        if ((f[w] & m[w]) != r[w]) {
            return false;
        }
    }
    return true;
}

static uint32_t
rule_hash(const struct cls_subtable *st, const struct cls_rule *rule)
{
    uint32_t h = hash_range(st, &rule->match.flow, 0, st->n_words, 0);
    return stage_hash(h, st->n_stages - 1);
}

/* ---- Prefix tries. ---- */

static vs_be32
trie_field(const struct flow *f, int t)
{
    return t == 0 ? f->nw_src : f->nw_dst;
}

/* Prefix length if 'mask' is a nonzero CIDR mask, else 0. */
static uint8_t
cidr_len(vs_be32 mask)
{
    uint32_t m = ntohl(mask);
    if (!m || m == UINT32_MAX) {
        return m ? 32 : 0;
    }
    int n = __builtin_clz(~m);      /* Leading ones. */
    return (m << n) == 0 ? n : 0;
}

static int
addr_bit(uint32_t addr, unsigned int i)
{
    return (addr >> (31 - i)) & 1;
}

static void
trie_insert(struct cls_trie_node **rootp, uint32_t addr, unsigned int plen)
{
    struct cls_trie_node **np = rootp;
    for (unsigned int depth = 0; ; depth++) {
        if (!*np) {
            *np = xzalloc(sizeof **np);
        }
        (*np)->n_refs++;
        if (depth == plen) {
            (*np)->n_rules++;
            return;
        }
        np = &(*np)->edges[addr_bit(addr, depth)];
    }
}

static void
trie_remove(struct cls_trie_node **np, uint32_t addr, unsigned int plen,
            unsigned int depth)
{
    struct cls_trie_node *n = *np;
    if (depth == plen) {
        n->n_rules--;
    } else {
        trie_remove(&n->edges[addr_bit(addr, depth)], addr, plen, depth + 1);
    }
    if (!--n->n_refs) {
        free(n);
        *np = NULL;
    }
}

static void
trie_destroy(struct cls_trie_node *n)
{
    if (n) {
        trie_destroy(n->edges[0]);
        trie_destroy(n->edges[1]);
        free(n);
    }
}

/* Walks 'addr' down the trie.  Sets bit P of '*plens' for each prefix
 * length P that some rule has for 'addr', and returns how many leading
 * bits of 'addr' the walk examined. */
static unsigned int
trie_lookup(const struct cls_trie_node *n, uint32_t addr, uint64_t *plens)
{
    unsigned int depth = 0;
    *plens = 0;
    while (n) {
        if (n->n_rules) {
            *plens |= UINT64_C(1) << depth;
        }
        if (depth == 32) {
            return 32;
        }
        n = n->edges[addr_bit(addr, depth)];
        depth++;
    }
    return depth;                   /* Fell off after examining this bit. */
}

static void
trie_update(struct classifier *cls, const struct cls_subtable *st,
            const struct cls_rule *rule, bool insert)
{
    for (int t = 0; t < CLS_N_TRIES; t++) {
        if (st->plen[t]) {
            uint32_t addr = ntohl(trie_field(&rule->match.flow, t));
            if (insert) {
                trie_insert(&cls->tries[t], addr, st->plen[t]);
            } else {
                trie_remove(&cls->tries[t], addr, st->plen[t], 0);
            }
        }
    }
}

/* ---- Subtables. ---- */

static uint32_t
mask_hash(const struct flow_wildcards *wc)
{
    return hash_bytes(wc, sizeof *wc, 0);
}

static int
subtable_cmp(const void *a_, const void *b_)
{
    const struct cls_subtable *a = *(struct cls_subtable *const *) a_;
    const struct cls_subtable *b = *(struct cls_subtable *const *) b_;
    return a->max_priority > b->max_priority ? -1
           : a->max_priority < b->max_priority;
}

static void
resort(struct classifier *cls)
{
    qsort(cls->sorted, cls->n_sorted, sizeof *cls->sorted, subtable_cmp);
}

static struct cls_subtable *
subtable_create(struct classifier *cls, const struct flow_wildcards *mask)
{
    static const size_t seg[CLS_N_STAGES] = {
        FLOW_SEGMENT_METADATA_U64, FLOW_SEGMENT_L2_U64, FLOW_SEGMENT_L3_U64,
        FLOW_U64S,
    };
    struct cls_subtable *st = xzalloc(sizeof *st);
    st->mask = *mask;
    hmap_init(&st->rules);
    hmap_init(&st->priorities);
    st->max_priority = INT_MIN;

    const uint64_t *m = flow_u64(&mask->masks);
    size_t w = 0;
    for (size_t s = 0; s < CLS_N_STAGES; s++) {
        size_t before = st->n_words;
        for (; w < seg[s]; w++) {
            if (m[w]) {
                st->words[st->n_words++] = w;
            }
        }
        /* A stage without mask words adds nothing: merge it into the next. */
        if (st->n_words != before || s == CLS_N_STAGES - 1) {
            st->stage_end[st->n_stages++] = st->n_words;
        }
    }
    for (size_t s = 0; s + 1 < st->n_stages; s++) {
        hmap_init(&st->stage_index[s]);
    }
    st->plen[0] = cidr_len(mask->masks.nw_src);
    st->plen[1] = cidr_len(mask->masks.nw_dst);

    hmap_insert(&cls->subtables, &st->hmap_node, mask_hash(mask));
    if (cls->n_sorted >= cls->n_sorted_alloc) {
        cls->sorted = x2nrealloc(cls->sorted, &cls->n_sorted_alloc,
                                 sizeof *cls->sorted);
    }
    cls->sorted[cls->n_sorted++] = st;
    return st;
}

static void
subtable_destroy(struct classifier *cls, struct cls_subtable *st)
{
    for (size_t i = 0; i < cls->n_sorted; i++) {
        if (cls->sorted[i] == st) {
            memmove(&cls->sorted[i], &cls->sorted[i + 1],
                    (cls->n_sorted - i - 1) * sizeof *cls->sorted);
            cls->n_sorted--;
            break;
        }
    }
    hmap_remove(&cls->subtables, &st->hmap_node);
    for (size_t s = 0; s + 1 < st->n_stages; s++) {
        struct stage_node *sn;
        HMAP_FOR_EACH_POP (sn, node, &st->stage_index[s]) {
            free(sn);
        }
        hmap_destroy(&st->stage_index[s]);
    }
    struct prio_count *pc;
    HMAP_FOR_EACH_POP (pc, node, &st->priorities) {
        free(pc);
    }
    hmap_destroy(&st->priorities);
    hmap_destroy(&st->rules);
    free(st);
}

static struct cls_subtable *
find_subtable(const struct classifier *cls, const struct flow_wildcards *mask)
{
    struct cls_subtable *st;
    HMAP_FOR_EACH_WITH_HASH (st, hmap_node, mask_hash(mask), &cls->subtables) {
        if (!memcmp(&st->mask, mask, sizeof *mask)) {
            return st;
        }
    }
    return NULL;
}

static void
stage_index_update(struct cls_subtable *st, const struct cls_rule *rule,
                   bool insert)
{
    uint32_t h = 0;
    size_t from = 0;
    for (size_t s = 0; s + 1 < st->n_stages; s++) {
        h = hash_range(st, &rule->match.flow, from, st->stage_end[s], h);
        from = st->stage_end[s];
        uint32_t sh = stage_hash(h, s);
        struct stage_node *sn;
        bool found = false;
        HMAP_FOR_EACH_WITH_HASH (sn, node, sh, &st->stage_index[s]) {
            found = true;
            break;
        }
        if (insert) {
            if (!found) {
                sn = xzalloc(sizeof *sn);
                hmap_insert(&st->stage_index[s], &sn->node, sh);
            }
            sn->count++;
        } else if (found && !--sn->count) {
            hmap_remove(&st->stage_index[s], &sn->node);
            free(sn);
        }
    }
}

/* Adjusts the count of rules at 'priority'; returns true if the
 * subtable's max priority changed. */
static bool
priority_update(struct cls_subtable *st, int priority, bool insert)
{
    uint32_t h = hash_int(priority, 0);
    struct prio_count *pc;
    bool found = false;
    HMAP_FOR_EACH_WITH_HASH (pc, node, h, &st->priorities) {
        if (pc->priority == priority) {
            found = true;
            break;
        }
    }
    if (insert) {
        if (!found) {
            pc = xzalloc(sizeof *pc);
            pc->priority = priority;
            hmap_insert(&st->priorities, &pc->node, h);
        }
        pc->count++;
        if (priority > st->max_priority) {
            st->max_priority = priority;
            return true;
        }
        return false;
    }
    vs_assert(found);
    if (--pc->count) {
        return false;
    }
    hmap_remove(&st->priorities, &pc->node);
    free(pc);
    if (priority != st->max_priority) {
        return false;
    }
    st->max_priority = INT_MIN;
    HMAP_FOR_EACH (pc, node, &st->priorities) {
        st->max_priority = MAX(st->max_priority, pc->priority);
    }
    return true;
}

/* ---- The classifier. ---- */

void
classifier_init(struct classifier *cls)
{
    memset(cls, 0, sizeof *cls);
    hmap_init(&cls->subtables);
}

void
classifier_destroy(struct classifier *cls)
{
    if (!cls) {
        return;
    }
    while (cls->n_sorted) {
        subtable_destroy(cls, cls->sorted[cls->n_sorted - 1]);
    }
    hmap_destroy(&cls->subtables);
    free(cls->sorted);
    for (int t = 0; t < CLS_N_TRIES; t++) {
        trie_destroy(cls->tries[t]);
    }
}

bool classifier_is_empty(const struct classifier *cls) { return !cls->n_rules; }
size_t classifier_count(const struct classifier *cls) { return cls->n_rules; }
size_t classifier_n_subtables(const struct classifier *cls) { return cls->n_sorted; }

static struct cls_rule *
find_head(const struct cls_subtable *st, const struct match *m, uint32_t hash)
{
    struct cls_rule *head;
    HMAP_FOR_EACH_WITH_HASH (head, hmap_node, hash, &st->rules) {
        if (!memcmp(&head->match.flow, &m->flow, sizeof m->flow)) {
            return head;
        }
    }
    return NULL;
}

struct cls_rule *
classifier_replace(struct classifier *cls, struct cls_rule *rule)
{
    match_zero_wildcarded_fields(&rule->match);
    struct cls_subtable *st = find_subtable(cls, &rule->match.wc);
    if (!st) {
        st = subtable_create(cls, &rule->match.wc);
    }
    rule->subtable = st;
    rule->next = NULL;
    uint32_t hash = rule_hash(st, rule);
    struct cls_rule *head = find_head(st, &rule->match, hash);

    if (head) {
        /* Same match: keep the list sorted by priority, descending. */
        struct cls_rule *list = head, **prev = &list, *old = NULL;
        while (*prev && (*prev)->priority > rule->priority) {
            prev = &(*prev)->next;
        }
        if (*prev && (*prev)->priority == rule->priority) {
            old = *prev;
            rule->next = old->next;
        } else {
            rule->next = *prev;
        }
        *prev = rule;
        if (list != head) {
            hmap_replace(&st->rules, &head->hmap_node, &list->hmap_node);
        }
        if (old) {
            old->subtable = NULL;
            old->next = NULL;
            return old;
        }
    } else {
        hmap_insert(&st->rules, &rule->hmap_node, hash);
        stage_index_update(st, rule, true);
        trie_update(cls, st, rule, true);
    }
    st->n_rules++;
    cls->n_rules++;
    if (priority_update(st, rule->priority, true)) {
        resort(cls);
    }
    return NULL;
}

void
classifier_insert(struct classifier *cls, struct cls_rule *rule)
{
    struct cls_rule *displaced = classifier_replace(cls, rule);
    vs_assert(!displaced);
}

void
classifier_remove(struct classifier *cls, struct cls_rule *rule)
{
    struct cls_subtable *st = rule->subtable;
    vs_assert(st);
    uint32_t hash = rule_hash(st, rule);
    struct cls_rule *head = find_head(st, &rule->match, hash);
    vs_assert(head);

    if (head == rule) {
        if (rule->next) {
            hmap_replace(&st->rules, &rule->hmap_node, &rule->next->hmap_node);
        } else {
            hmap_remove(&st->rules, &rule->hmap_node);
            stage_index_update(st, rule, false);
            trie_update(cls, st, rule, false);
        }
    } else {
        struct cls_rule **prev = &head->next;
        while (*prev != rule) {
            vs_assert(*prev);
            prev = &(*prev)->next;
        }
        *prev = rule->next;
    }
    rule->subtable = NULL;
    rule->next = NULL;
    st->n_rules--;
    cls->n_rules--;
    bool changed = priority_update(st, rule->priority, false);
    if (!st->n_rules) {
        subtable_destroy(cls, st);
    } else if (changed) {
        resort(cls);
    }
}

static void
wc_or_words(struct flow_wildcards *wc, const struct cls_subtable *st,
            size_t n_words)
{
    uint64_t *w = flow_u64_rw(&wc->masks);
    const uint64_t *m = flow_u64(&st->mask.masks);
    for (size_t i = 0; i < n_words; i++) {
        w[st->words[i]] |= m[st->words[i]];
    }
}

static void
wc_or_prefix(struct flow_wildcards *wc, int t, unsigned int n_bits)
{
    vs_be32 mask = n_bits ? htonl(UINT32_MAX << (32 - n_bits)) : 0;
    if (t == 0) {
        wc->masks.nw_src |= mask;
    } else {
        wc->masks.nw_dst |= mask;
    }
}

/* Lazily walked prefix tries, once per lookup. */
struct trie_ctx {
    bool done[CLS_N_TRIES];
    uint64_t plens[CLS_N_TRIES];
    unsigned int examined[CLS_N_TRIES];
};

/* If a prefix trie proves that no rule of 'st' can match 'flow', adds the
 * few address bits that proof rests on to 'wc' and returns true. */
static bool
trie_narrow(const struct classifier *cls, const struct cls_subtable *st,
            const struct flow *flow, struct trie_ctx *ctx,
            struct flow_wildcards *wc)
{
    for (int t = 0; t < CLS_N_TRIES; t++) {
        if (!st->plen[t] || !cls->tries[t]) {
            continue;
        }
        if (!ctx->done[t]) {
            ctx->examined[t] = trie_lookup(cls->tries[t],
                                           ntohl(trie_field(flow, t)),
                                           &ctx->plens[t]);
            ctx->done[t] = true;
        }
        if (!(ctx->plens[t] & (UINT64_C(1) << st->plen[t]))) {
            wc_or_prefix(wc, t, MIN(st->plen[t], ctx->examined[t]));
            return true;
        }
    }
    return false;
}

const struct cls_rule *
classifier_lookup(const struct classifier *cls, const struct flow *flow,
                  struct flow_wildcards *wc)
{
    const struct cls_rule *best = NULL;
    struct trie_ctx ctx;
    memset(&ctx.done, 0, sizeof ctx.done);

    for (size_t i = 0; i < cls->n_sorted; i++) {
        const struct cls_subtable *st = cls->sorted[i];
        if (best && best->priority >= st->max_priority) {
            break;                  /* Nothing later can win. */
        }

        /* Stages: a miss means no rule here can match; which bits that
         * verdict depends on is decided below. */
        uint32_t h = 0;
        size_t from = 0;
        bool miss = false;
        for (size_t s = 0; s + 1 < st->n_stages && !miss; s++) {
            h = hash_range(st, flow, from, st->stage_end[s], h);
            from = st->stage_end[s];
            miss = !hmap_first_with_hash(&st->stage_index[s], stage_hash(h, s));
        }
        const struct cls_rule *found = NULL;
        if (!miss) {
            h = hash_range(st, flow, from, st->n_words, h);
            from = st->n_words;
            const struct cls_rule *head;
            HMAP_FOR_EACH_WITH_HASH (head, hmap_node,
                                     stage_hash(h, st->n_stages - 1), &st->rules) {
                if (rule_matches(st, head, flow)) {
                    found = head;
                    break;
                }
            }
        }
        if (wc) {
            /* A miss that got as far as the addresses may rest on a few
             * address bits instead (prefix tries); a hit or an earlier
             * miss rests on the stages looked at. */
            bool reached_l3 = from && st->words[from - 1] >= FLOW_SEGMENT_L2_U64;
            if (found || !reached_l3 || !trie_narrow(cls, st, flow, &ctx, wc)) {
                wc_or_words(wc, st, from);
            }
        }
        if (found && (!best || found->priority > best->priority)) {
            best = found;
        }
    }
    return best;
}

const struct cls_rule *
classifier_find_exactly(const struct classifier *cls, const struct match *m_,
                        int priority)
{
    struct match m = *m_;
    match_zero_wildcarded_fields(&m);
    const struct cls_subtable *st = find_subtable(cls, &m.wc);
    if (!st) {
        return NULL;
    }
    struct cls_rule tmp;
    tmp.match = m;
    const struct cls_rule *r = find_head(st, &m, rule_hash(st, &tmp));
    for (; r; r = r->next) {
        if (r->priority == priority) {
            return r;
        }
        if (r->priority < priority) {
            break;
        }
    }
    return NULL;
}

const struct cls_rule *
classifier_find_rule_exactly(const struct classifier *cls,
                             const struct cls_rule *rule)
{
    return classifier_find_exactly(cls, &rule->match, rule->priority);
}

/* True if some packet could match both 'a' and 'b'. */
static bool
matches_overlap(const struct match *a, const struct match *b)
{
    const uint64_t *af = flow_u64(&a->flow), *am = flow_u64(&a->wc.masks);
    const uint64_t *bf = flow_u64(&b->flow), *bm = flow_u64(&b->wc.masks);
    for (size_t i = 0; i < FLOW_U64S; i++) {
        if ((af[i] ^ bf[i]) & am[i] & bm[i]) {
            return false;
        }
    }
    return true;
}

bool
classifier_rule_overlaps(const struct classifier *cls,
                         const struct cls_rule *target)
{
    for (size_t i = 0; i < cls->n_sorted; i++) {
        const struct cls_subtable *st = cls->sorted[i];
        if (st->max_priority < target->priority) {
            break;
        }
        const struct cls_rule *head;
        HMAP_FOR_EACH (head, hmap_node, &st->rules) {
            for (const struct cls_rule *r = head; r; r = r->next) {
                if (r->priority == target->priority && r != target
                    && matches_overlap(&r->match, &target->match)) {
                    return true;
                }
            }
        }
    }
    return false;
}

/* ---- Iteration. ---- */

struct cls_cursor
cls_cursor_start(const struct classifier *cls, const struct match *target)
{
    /* Every rule is a subset of a catch-all: skip the per-rule check (a
     * full dump would otherwise compare every rule's whole match). */
    if (target && match_is_catchall(target)) {
        target = NULL;
    }
    struct cls_cursor c = { cls, target, 0, NULL, NULL };
    return c;
}

const struct cls_rule *
cls_cursor_next(struct cls_cursor *c)
{
    for (;;) {
        if (c->rule && c->rule->next) {
            c->rule = c->rule->next;
        } else {
            const struct cls_subtable *st;
            for (;;) {
                if (c->subtable_idx >= c->cls->n_sorted) {
                    return NULL;
                }
                st = c->cls->sorted[c->subtable_idx];
                c->node = c->node ? hmap_next(&st->rules, c->node)
                                  : hmap_first(&st->rules);
                if (c->node) {
                    break;
                }
                c->subtable_idx++;
            }
            c->rule = CONTAINER_OF(c->node, struct cls_rule, hmap_node);
        }
        if (!c->target || match_is_subset(&c->rule->match, c->target)) {
            return c->rule;
        }
    }
}

struct cls_rule **
classifier_collect(const struct classifier *cls, const struct match *target,
                   size_t *n)
{
    struct cls_rule **rules = NULL;
    size_t allocated = 0;
    struct cls_cursor c = cls_cursor_start(cls, target);
    const struct cls_rule *r;
    *n = 0;
    while ((r = cls_cursor_next(&c)) != NULL) {
        if (*n >= allocated) {
            rules = x2nrealloc(rules, &allocated, sizeof *rules);
        }
        rules[(*n)++] = (struct cls_rule *) r;
    }
    return rules;
}
