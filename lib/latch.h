/* A latch: a flag one thread sets and another thread's poll loop wakes on.
 * Use it to hand work from a worker thread (upcall handler, PMD thread) to
 * the main loop:
 *
 *     worker:  enqueue(item); latch_set(&latch);
 *     main:    if (latch_poll(&latch)) { drain queue; }  ...
 *              latch_wait(&latch); poll_block();
 *
 * Built on an eventfd.  latch_set() is async-signal-safe. */
#ifndef VS_LATCH_H
#define VS_LATCH_H 1

#include <stdbool.h>

struct latch {
    int fd;                       /* eventfd; -1 when not initialized. */
};

/* Returns 0 or a positive errno. */
int latch_init(struct latch *);
void latch_destroy(struct latch *);

void latch_set(struct latch *);
/* Clears the latch; returns true if it was set. */
bool latch_poll(struct latch *);
/* True if set, without clearing. */
bool latch_is_set(const struct latch *);
/* Makes poll_block() wake while the latch is set. */
void latch_wait(const struct latch *);

#endif /* latch.h */
