/* A flow table's rules in insertion order: see table-order.h. */
#include <config.h>
#include "ofproto/table-order.h"
#include <stdlib.h>
#include "ofproto/ofproto.h"
#include "util.h"

void
table_order_init(struct table_order *o)
{
    o->rules = NULL;
    o->n = o->allocated = o->n_holes = 0;
}

void
table_order_destroy(struct table_order *o)
{
    free(o->rules);
    table_order_init(o);
}

/* Moves the rules down over the holes, keeping their order. */
static void
table_order_pack(struct table_order *o)
{
    size_t k = 0;
    for (size_t i = 0; i < o->n; i++) {
        struct rule *rule = o->rules[i];
        if (rule) {
            rule->order_idx = k;
            o->rules[k++] = rule;
        }
    }
    o->n = k;
    o->n_holes = 0;
}

void
table_order_add(struct table_order *o, struct rule *rule)
{
    if (o->n >= o->allocated) {
        if (o->n_holes > o->n / 4) {
            table_order_pack(o);
        } else {
            o->rules = x2nrealloc(o->rules, &o->allocated, sizeof *o->rules);
        }
    }
    rule->order_idx = o->n;
    o->rules[o->n++] = rule;
}

void
table_order_remove(struct table_order *o, struct rule *rule)
{
    vs_assert(rule->order_idx < o->n && o->rules[rule->order_idx] == rule);
    o->rules[rule->order_idx] = NULL;
    o->n_holes++;
    if (o->n_holes == o->n) {
        o->n = o->n_holes = 0;
    } else if (o->n_holes > 64 && o->n_holes > o->n / 2) {
        table_order_pack(o);
    }
}
