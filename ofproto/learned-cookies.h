/* learn(...,delete_learned): the flows a learn action made (in its table,
 * with its cookie) go when the last flow holding that learn action goes,
 * as in Open vSwitch.  The flow table code collects the (table, cookie)
 * pairs of the learn actions of every flow it removes or whose actions it
 * replaces, and flushes them once the change is committed. */
#ifndef OFPROTO_LEARNED_COOKIES_H
#define OFPROTO_LEARNED_COOKIES_H 1

#include <stddef.h>
#include <stdint.h>

struct ofpacts;
struct ofproto;

struct learned_cookie {
    uint8_t table_id;
    uint64_t cookie;
};

struct learned_cookies {
    struct learned_cookie *v;       /* Owned. */
    size_t n, allocated;
};

#define LEARNED_COOKIES_INITIALIZER { NULL, 0, 0 }

/* Adds the delete_learned learns of 'ofpacts'. */
void learned_cookies_add(struct learned_cookies *, const struct ofpacts *);
/* Deletes, for each pair no remaining flow has a delete_learned learn
 * for, the flows of that table with that cookie; empties 'lc'. */
void learned_cookies_flush(struct ofproto *, struct learned_cookies *lc);

#endif /* learned-cookies.h */
