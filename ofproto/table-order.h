/* A flow table's rules in the order they were put in, beside the
 * classifier that holds them.
 *
 * Dumps and other selections of many rules used to walk the classifier,
 * whose hash order jumps between rules all over the heap (a cache and TLB
 * miss per rule), and then sort them by priority and age, reading each
 * rule again.  Rules are allocated in about the order they are added, and
 * age is the last sort key, so walking this array visits the heap about
 * in address order, can prefetch ahead, and mostly yields the rules
 * already sorted.
 *
 * Adding appends; removing leaves a hole (NULL), and the array is packed
 * when holes pass half of it, so both are O(1) amortized.  Each rule knows
 * its slot ('struct rule''s 'order_idx').  Single-threaded, like ofproto. */
#ifndef OFPROTO_TABLE_ORDER_H
#define OFPROTO_TABLE_ORDER_H 1

#include <stddef.h>

struct rule;

struct table_order {
    struct rule **rules;        /* Owned array; NULL slots are holes. */
    size_t n;                   /* Slots used, holes included. */
    size_t allocated;
    size_t n_holes;
};

void table_order_init(struct table_order *);
void table_order_destroy(struct table_order *);
void table_order_add(struct table_order *, struct rule *);
void table_order_remove(struct table_order *, struct rule *);
/* Rules (not holes) in the table. */
static inline size_t
table_order_count(const struct table_order *o)
{
    return o->n - o->n_holes;
}

#endif
