/* Binary max-heap with embedded nodes: the node with the highest priority is
 * on top.  For "earliest deadline first", insert with priority = -deadline.
 * Changing a node's priority and removing any node are O(log n).
 * Not thread-safe. */
#ifndef VS_HEAP_H
#define VS_HEAP_H 1

#include <stdbool.h>
#include <stddef.h>
#include "util.h"

struct heap_node {
    size_t idx;                   /* Position in the heap's array, from 1. */
    long long priority;
};

struct heap {
    struct heap_node **array;     /* array[1..n]; array[0] unused. */
    size_t n;
    size_t allocated;
};

#define HEAP_INITIALIZER(HEAP) { NULL, 0, 0 }

void heap_init(struct heap *);
void heap_destroy(struct heap *);       /* Does not free the nodes. */
void heap_clear(struct heap *);         /* Nor does this. */
static inline size_t heap_count(const struct heap *h) { return h->n; }
static inline bool heap_is_empty(const struct heap *h) { return h->n == 0; }

void heap_insert(struct heap *, struct heap_node *, long long priority);
void heap_remove(struct heap *, struct heap_node *);
void heap_change(struct heap *, struct heap_node *, long long priority);
/* The top node (NULL if empty), and the same with removal. */
static inline struct heap_node *
heap_max(const struct heap *h)
{
    return h->n ? h->array[1] : NULL;
}
struct heap_node *heap_pop(struct heap *);

/* Iterates in no particular order; do not change the heap meanwhile. */
#define HEAP_FOR_EACH(NODE, MEMBER, HEAP)                               \
    for (size_t heap_i__ = 1;                                           \
         (heap_i__ <= (HEAP)->n                                         \
          ? (NODE = OBJECT_CONTAINING((HEAP)->array[heap_i__], NODE,    \
                                      MEMBER), 1)                       \
          : 0);                                                         \
         heap_i__++)

#endif /* heap.h */
