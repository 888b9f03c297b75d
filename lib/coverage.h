/* Coverage counters: cheap event counts for "how often does this happen",
 * shown by "vs-appctl coverage/show" with recent rates.
 *
 *     COVERAGE_DEFINE(flow_miss);      -- once, at file scope
 *     COVERAGE_INC(flow_miss);         -- anywhere, any thread
 *
 * Counts are per thread: an increment is a plain add to this thread's
 * slot (no lock, no shared cache line), so counters are fine on fast
 * paths; reading sums all threads (and threads that have exited).  Rates
 * are sampled by coverage_run(), which poll_block() calls, so every daemon
 * gets them without doing anything. */
#ifndef VS_COVERAGE_H
#define VS_COVERAGE_H 1

#include <stdint.h>
#include "dynamic-string.h"
#include "util.h"

#define COVERAGE_N_MINUTE 12          /* 5-second samples over a minute. */
#define COVERAGE_N_HOUR 60            /* 1-minute samples over an hour. */
#define COVERAGE_MAX_COUNTERS 1024

struct coverage_counter {
    const char *name;
    unsigned int idx;                 /* Slot in each thread's array. */
    struct coverage_counter *next;    /* In the registry. */
    /* Totals at past sample times; owned by coverage_run(). */
    unsigned long long minute[COVERAGE_N_MINUTE];
    unsigned long long hour[COVERAGE_N_HOUR];
};

void coverage_counter_register(struct coverage_counter *);

#define COVERAGE_DEFINE(NAME)                                           \
    static struct coverage_counter counter_##NAME = { #NAME, 0, NULL,   \
                                                      {0}, {0} };       \
    __attribute__((constructor)) static void                            \
    coverage_init_##NAME(void)                                          \
    {                                                                   \
        coverage_counter_register(&counter_##NAME);                     \
    }

/* This thread's counts, COVERAGE_MAX_COUNTERS of them; NULL until the
 * thread's first increment. */
extern __thread unsigned long long *coverage_tls__;
unsigned long long *coverage_tls_create__(void);

static inline void
coverage_add__(const struct coverage_counter *c, unsigned long long n)
{
    unsigned long long *counts = coverage_tls__;
    if (VS_UNLIKELY(!counts)) {
        counts = coverage_tls_create__();
    }
    /* Only this thread writes the slot; the relaxed store keeps readers in
     * other threads well defined without a locked instruction. */
    __atomic_store_n(&counts[c->idx], counts[c->idx] + n, __ATOMIC_RELAXED);
}

#define COVERAGE_ADD(NAME, AMOUNT) coverage_add__(&counter_##NAME, (AMOUNT))
#define COVERAGE_INC(NAME) COVERAGE_ADD(NAME, 1)

/* Total count of the counter named 'name' (all counters of that name), or 0
 * if none. */
unsigned long long coverage_get_total(const char *name);

/* Appends the "coverage/show" text: one line per nonzero counter with its
 * average rate over the last 5 s, minute and hour and its total. */
void coverage_show(struct ds *);

/* Takes a rate sample if one is due (every 5 s); cheap otherwise. */
void coverage_run(void);

#endif /* coverage.h */
