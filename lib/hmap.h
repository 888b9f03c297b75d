/* Hash map with embedded nodes and chaining; the caller supplies hashes.
 * Not thread-safe. */
#ifndef VS_HMAP_H
#define VS_HMAP_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "util.h"

struct hmap_node {
    uint32_t hash;
    struct hmap_node *next;
};

struct hmap {
    struct hmap_node **buckets;   /* Owned; 'one' when mask == 0. */
    struct hmap_node *one;
    size_t mask;                  /* Number of buckets minus one. */
    size_t n;
};

#define HMAP_INITIALIZER(HMAP) { (struct hmap_node **) &(HMAP)->one, NULL, 0, 0 }

void hmap_init(struct hmap *);
void hmap_destroy(struct hmap *);
void hmap_clear(struct hmap *);
void hmap_swap(struct hmap *, struct hmap *);
void hmap_moved(struct hmap *);
static inline size_t hmap_count(const struct hmap *h) { return h->n; }
static inline bool hmap_is_empty(const struct hmap *h) { return h->n == 0; }

void hmap_expand(struct hmap *);
void hmap_shrink(struct hmap *);
void hmap_reserve(struct hmap *, size_t capacity);

static inline void
hmap_insert_fast(struct hmap *h, struct hmap_node *node, uint32_t hash)
{
    struct hmap_node **bucket = &h->buckets[hash & h->mask];
    node->hash = hash;
    node->next = *bucket;
    *bucket = node;
    h->n++;
}

static inline void
hmap_insert(struct hmap *h, struct hmap_node *node, uint32_t hash)
{
    hmap_insert_fast(h, node, hash);
    if (h->n / 2 > h->mask) {
        hmap_expand(h);
    }
}

static inline void
hmap_remove(struct hmap *h, struct hmap_node *node)
{
    struct hmap_node **bucket = &h->buckets[node->hash & h->mask];
    while (*bucket != node) {
        bucket = &(*bucket)->next;
    }
    *bucket = node->next;
    h->n--;
}

/* Replaces 'old' by 'new' (same hash) in place. */
static inline void
hmap_replace(struct hmap *h, const struct hmap_node *old, struct hmap_node *new)
{
    struct hmap_node **bucket = &h->buckets[old->hash & h->mask];
    while (*bucket != old) {
        bucket = &(*bucket)->next;
    }
    *bucket = new;
    new->hash = old->hash;
    new->next = old->next;
}

static inline struct hmap_node *
hmap_first_with_hash(const struct hmap *h, uint32_t hash)
{
    struct hmap_node *node = h->buckets[hash & h->mask];
    while (node && node->hash != hash) {
        node = node->next;
    }
    return node;
}

static inline struct hmap_node *
hmap_next_with_hash(const struct hmap_node *node)
{
    uint32_t hash = node->hash;
    for (node = node->next; node && node->hash != hash; node = node->next) {
        continue;
    }
    return (struct hmap_node *) node;
}

struct hmap_node *hmap_first(const struct hmap *);
struct hmap_node *hmap_next(const struct hmap *, const struct hmap_node *);
/* Returns some node, chosen at random-ish; NULL if empty (for eviction). */
struct hmap_node *hmap_random_node(const struct hmap *);

#define HMAP_NODE_TO(NODE, ITER, MEMBER) \
    ((NODE) ? OBJECT_CONTAINING(NODE, ITER, MEMBER) : NULL)

#define HMAP_FOR_EACH_WITH_HASH(ITER, MEMBER, HASH, HMAP)                  \
    for (ITER = HMAP_NODE_TO(hmap_first_with_hash(HMAP, HASH), ITER, MEMBER); \
         ITER != NULL;                                                       \
         ITER = HMAP_NODE_TO(hmap_next_with_hash(&(ITER)->MEMBER), ITER, MEMBER))

#define HMAP_FOR_EACH(ITER, MEMBER, HMAP)                                    \
    for (ITER = HMAP_NODE_TO(hmap_first(HMAP), ITER, MEMBER);                \
         ITER != NULL;                                                       \
         ITER = HMAP_NODE_TO(hmap_next(HMAP, &(ITER)->MEMBER), ITER, MEMBER))

/* Safe against removal of ITER; NEXT is a variable of the same type. */
#define HMAP_FOR_EACH_SAFE(ITER, NEXT, MEMBER, HMAP)                         \
    for (ITER = HMAP_NODE_TO(hmap_first(HMAP), ITER, MEMBER);                \
         (ITER != NULL                                                       \
          ? (NEXT = HMAP_NODE_TO(hmap_next(HMAP, &(ITER)->MEMBER), ITER, MEMBER), 1) \
          : 0);                                                              \
         ITER = NEXT)

#define HMAP_FOR_EACH_POP(ITER, MEMBER, HMAP)                                \
    while (!hmap_is_empty(HMAP)                                              \
           && (ITER = OBJECT_CONTAINING(hmap_first(HMAP), ITER, MEMBER),     \
               hmap_remove(HMAP, &(ITER)->MEMBER), 1))

#endif /* hmap.h */
