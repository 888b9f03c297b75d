#include <config.h>
#include "hmap.h"

#include <string.h>

void
hmap_init(struct hmap *h)
{
    h->buckets = &h->one;
    h->one = NULL;
    h->mask = 0;
    h->n = 0;
}

void
hmap_destroy(struct hmap *h)
{
    if (h && h->buckets != &h->one) {
        free(h->buckets);
    }
}

void
hmap_clear(struct hmap *h)
{
    if (h->n) {
        h->n = 0;
        memset(h->buckets, 0, (h->mask + 1) * sizeof *h->buckets);
    }
}

void
hmap_swap(struct hmap *a, struct hmap *b)
{
    struct hmap tmp = *a;
    *a = *b;
    *b = tmp;
    hmap_moved(a);
    hmap_moved(b);
}

/* Fixes up 'h' after it was moved in memory (e.g. by memcpy). */
void
hmap_moved(struct hmap *h)
{
    if (!h->mask) {
        h->buckets = &h->one;
    }
}

static void
resize(struct hmap *h, size_t new_mask)
{
    struct hmap tmp;
    tmp.mask = new_mask;
    tmp.n = h->n;
    if (new_mask) {
        tmp.buckets = xcalloc(new_mask + 1, sizeof *tmp.buckets);
    } else {
        tmp.buckets = &tmp.one;
        tmp.one = NULL;
    }
    for (size_t i = 0; i <= h->mask; i++) {
        struct hmap_node *node, *next;
        for (node = h->buckets[i]; node; node = next) {
            next = node->next;
            struct hmap_node **b = &tmp.buckets[node->hash & new_mask];
            node->next = *b;
            *b = node;
        }
    }
    hmap_destroy(h);
    *h = tmp;
    hmap_moved(h);
}

static size_t
calc_mask(size_t capacity)
{
    size_t mask = capacity / 2;
    mask |= mask >> 1;
    mask |= mask >> 2;
    mask |= mask >> 4;
    mask |= mask >> 8;
    mask |= mask >> 16;
#if SIZE_MAX > UINT32_MAX
    mask |= mask >> 32;
#endif
    /* Small maps still get a few buckets to avoid thrashing. */
    return mask ? mask : 0;
}

void
hmap_expand(struct hmap *h)
{
    size_t new_mask = calc_mask(h->n);
    if (new_mask > h->mask) {
        resize(h, new_mask);
    }
}

void
hmap_shrink(struct hmap *h)
{
    size_t new_mask = calc_mask(h->n);
    if (new_mask < h->mask) {
        resize(h, new_mask);
    }
}

void
hmap_reserve(struct hmap *h, size_t n)
{
    size_t new_mask = calc_mask(n);
    if (new_mask > h->mask) {
        resize(h, new_mask);
    }
}

static struct hmap_node *
next_in_buckets(const struct hmap *h, size_t start)
{
    for (size_t i = start; i <= h->mask; i++) {
        if (h->buckets[i]) {
            return h->buckets[i];
        }
    }
    return NULL;
}

struct hmap_node *
hmap_first(const struct hmap *h)
{
    return next_in_buckets(h, 0);
}

struct hmap_node *
hmap_next(const struct hmap *h, const struct hmap_node *node)
{
    return node->next ? node->next
                      : next_in_buckets(h, (node->hash & h->mask) + 1);
}

struct hmap_node *
hmap_random_node(const struct hmap *h)
{
    static uint32_t seed = 0x9e3779b9;
    if (!h->n) {
        return NULL;
    }
    seed = hash_int(seed, 0);
    struct hmap_node *node = next_in_buckets(h, seed & h->mask);
    return node ? node : hmap_first(h);
}
