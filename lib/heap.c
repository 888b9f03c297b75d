#include <config.h>
#include "heap.h"

void
heap_init(struct heap *h)
{
    h->array = NULL;
    h->n = 0;
    h->allocated = 0;
}

void
heap_destroy(struct heap *h)
{
    free(h->array);
    heap_init(h);
}

void
heap_clear(struct heap *h)
{
    h->n = 0;
}

static void
put_node(struct heap *h, struct heap_node *node, size_t i)
{
    h->array[i] = node;
    node->idx = i;
}

static void
float_up(struct heap *h, size_t i)
{
    struct heap_node *node = h->array[i];

    while (i > 1 && h->array[i / 2]->priority < node->priority) {
        put_node(h, h->array[i / 2], i);
        i /= 2;
    }
    put_node(h, node, i);
}

static void
sink_down(struct heap *h, size_t i)
{
    struct heap_node *node = h->array[i];

    for (;;) {
        size_t child = i * 2;
        if (child > h->n) {
            break;
        }
        if (child + 1 <= h->n
            && h->array[child + 1]->priority > h->array[child]->priority) {
            child++;
        }
        if (h->array[child]->priority <= node->priority) {
            break;
        }
        put_node(h, h->array[child], i);
        i = child;
    }
    put_node(h, node, i);
}

void
heap_insert(struct heap *h, struct heap_node *node, long long priority)
{
    if (h->n + 1 >= h->allocated) {
        h->array = x2nrealloc(h->array, &h->allocated, sizeof *h->array);
    }
    node->priority = priority;
    put_node(h, node, ++h->n);
    float_up(h, h->n);
}

void
heap_remove(struct heap *h, struct heap_node *node)
{
    size_t i = node->idx;

    vs_assert(i >= 1 && i <= h->n && h->array[i] == node);
    struct heap_node *last = h->array[h->n--];
    if (last != node) {
        put_node(h, last, i);
        /* 'last' may belong above or below slot 'i'. */
        float_up(h, i);
        sink_down(h, last->idx);
    }
}

void
heap_change(struct heap *h, struct heap_node *node, long long priority)
{
    vs_assert(node->idx >= 1 && node->idx <= h->n
              && h->array[node->idx] == node);
    long long old = node->priority;
    node->priority = priority;
    if (priority > old) {
        float_up(h, node->idx);
    } else if (priority < old) {
        sink_down(h, node->idx);
    }
}

struct heap_node *
heap_pop(struct heap *h)
{
    struct heap_node *top = heap_max(h);
    if (top) {
        heap_remove(h, top);
    }
    return top;
}
