/* delete_learned (see learned-cookies.h). */
#include <config.h>
#include "ofproto/learned-cookies.h"

#include <stdlib.h>
#include "ofp-actions.h"
#include "ofp-flow.h"
#include "ofp-learn.h"
#include "ofproto/ofproto-provider.h"
#include "ofproto/ofproto-txn.h"
#include "util.h"

static bool
is_delete_learned(const struct ofpact *a)
{
    return a->type == OFPACT_LEARN
           && a->u.learn.flags & NX_LEARN_F_DELETE_LEARNED;
}

void
learned_cookies_add(struct learned_cookies *lc, const struct ofpacts *o)
{
    for (size_t i = 0; i < o->n; i++) {
        const struct ofpact *a = &o->acts[i];
        if (!is_delete_learned(a)) {
            continue;
        }
        if (lc->n >= lc->allocated) {
            lc->v = x2nrealloc(lc->v, &lc->allocated, sizeof *lc->v);
        }
        lc->v[lc->n].table_id = a->u.learn.table_id;
        lc->v[lc->n].cookie = a->u.learn.cookie;
        lc->n++;
    }
}

static bool
still_learned(struct rule **rules, size_t n, const struct learned_cookie *c)
{
    for (size_t i = 0; i < n; i++) {
        const struct ofpacts *o = &rules[i]->ofpacts;
        for (size_t j = 0; j < o->n; j++) {
            const struct ofpact *a = &o->acts[j];
            if (is_delete_learned(a) && a->u.learn.table_id == c->table_id
                && a->u.learn.cookie == c->cookie) {
                return true;
            }
        }
    }
    return false;
}

void
learned_cookies_flush(struct ofproto *p, struct learned_cookies *lc)
{
    if (!lc->n) {
        return;
    }
    /* Taken over first: the deletes below may add pairs of their own. */
    struct learned_cookies todo = *lc;
    *lc = (struct learned_cookies) LEARNED_COOKIES_INITIALIZER;

    struct rule_criteria all = {
        .table_id = OFPTT_ALL, .match = NULL, .out_port = OFPP_ANY,
        .out_group = OFPG_ANY, .include_hidden = true,
    };
    size_t n;
    struct rule **rules = ofproto_collect_rules(p, &all, &n);
    for (size_t i = 0; i < todo.n; i++) {
        const struct learned_cookie *c = &todo.v[i];
        if (still_learned(rules, n, c)) {
            continue;
        }
        struct ofp_flow_mod fm;
        ofp_flow_mod_init(&fm);
        fm.command = OFPFC_DELETE;
        fm.table_id = c->table_id;
        fm.cookie = c->cookie;
        fm.cookie_mask = UINT64_MAX;
        free(rules);
        ofproto_flow_mod(p, &fm);       /* The rules may be gone now. */
        ofp_flow_mod_uninit(&fm);
        rules = ofproto_collect_rules(p, &all, &n);
    }
    free(rules);
    free(todo.v);
}
