/* Flow classifier: finds the highest-priority rule matching a packet.
 *
 * Tuple space search: rules are grouped into subtables by their mask (one
 * hash table per distinct mask); a lookup probes each subtable with the
 * packet masked by that subtable's mask.  Three things keep lookups fast
 * and the wildcards they report (the bits the lookup depended on) narrow,
 * which matters because those wildcards become datapath megaflow masks:
 *
 *   - Subtables are kept sorted by the highest priority they hold, so a
 *     lookup stops once no later subtable can beat the match in hand.
 *   - Staged lookup: each subtable also indexes its rules by partial
 *     hashes over metadata, metadata+L2, metadata+L2+L3; a packet that
 *     misses at an early stage skips the subtable having looked only at
 *     the fields of the stages so far.
 *   - Prefix tries on nw_src and nw_dst: when a subtable whose rules all
 *     use a /P prefix misses at or after the L3 stage, and no rule anywhere
 *     has a /P prefix of the packet's address, the lookup reports only the
 *     address bits the trie walk looked at (the trie is walked at most once
 *     per lookup, and not at all without a wildcards argument).
 *
 * Not thread-safe: one writer and readers on the same thread (ofproto's
 * main loop).  Rules are owned by the caller and must outlive their
 * membership. */
#ifndef VS_CLASSIFIER_H
#define VS_CLASSIFIER_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "flow.h"
#include "hmap.h"
#include "match.h"

struct cls_subtable;

struct cls_rule {
    struct match match;             /* Normalized: flow &= mask. */
    int priority;                   /* Higher wins. */
    /* Private to the classifier. */
    struct hmap_node hmap_node;     /* In subtable 'rules', if list head. */
    struct cls_rule *next;          /* Same match, lower priority. */
    struct cls_subtable *subtable;  /* NULL if not in a classifier. */
};

#define CLS_N_TRIES 2               /* nw_src, nw_dst. */

struct cls_trie_node;

struct classifier {
    struct hmap subtables;          /* Contains "struct cls_subtable"s. */
    struct cls_subtable **sorted;   /* By max_priority, descending. */
    size_t n_sorted, n_sorted_alloc;
    size_t n_rules;
    struct cls_trie_node *tries[CLS_N_TRIES];
};

void cls_rule_init(struct cls_rule *, const struct match *, int priority);
bool cls_rule_equal(const struct cls_rule *, const struct cls_rule *);
bool cls_rule_is_catchall(const struct cls_rule *);

void classifier_init(struct classifier *);
/* Frees the classifier's own memory; rules still in it are abandoned (not
 * freed).  Remove them first if they are to be reused. */
void classifier_destroy(struct classifier *);
bool classifier_is_empty(const struct classifier *);
size_t classifier_count(const struct classifier *);
size_t classifier_n_subtables(const struct classifier *);

/* Inserts 'rule'.  If a rule with the same match and priority is there,
 * 'rule' replaces it and the displaced rule is returned; else NULL. */
struct cls_rule *classifier_replace(struct classifier *, struct cls_rule *);
/* Like classifier_replace() but asserts nothing was displaced. */
void classifier_insert(struct classifier *, struct cls_rule *);
void classifier_remove(struct classifier *, struct cls_rule *);

/* The highest-priority rule that matches 'flow', or NULL.  If 'wc' is
 * nonnull, ORs into it every bit of 'flow' that the result depended on:
 * any packet that agrees with 'flow' on those bits gets the same answer. */
const struct cls_rule *classifier_lookup(const struct classifier *,
                                         const struct flow *,
                                         struct flow_wildcards *wc);
/* The rule with exactly this match and priority, or NULL. */
const struct cls_rule *classifier_find_exactly(const struct classifier *,
                                               const struct match *,
                                               int priority);
/* The rule with exactly this match and priority, or NULL. */
const struct cls_rule *classifier_find_rule_exactly(const struct classifier *,
                                                    const struct cls_rule *);
/* True if some other rule of the same priority could match a packet that
 * 'rule' matches (for OFPFF_CHECK_OVERLAP). */
bool classifier_rule_overlaps(const struct classifier *, const struct cls_rule *);

/* Rules that 'target' covers (every packet such a rule matches, 'target'
 * matches too: OpenFlow's non-strict modify/delete/dump), all rules if
 * 'target' is NULL.  Returns a malloc'd array of '*n' pointers (caller
 * frees the array, not the rules), so callers may remove rules while
 * walking it. */
struct cls_rule **classifier_collect(const struct classifier *,
                                     const struct match *target, size_t *n);

/* Iteration without modification: 'cursor' state is private. */
struct cls_cursor {
    const struct classifier *cls;
    const struct match *target;
    size_t subtable_idx;
    struct hmap_node *node;
    const struct cls_rule *rule;
};
struct cls_cursor cls_cursor_start(const struct classifier *,
                                   const struct match *target);
/* Returns the next rule or NULL at the end. */
const struct cls_rule *cls_cursor_next(struct cls_cursor *);

#endif /* classifier.h */
