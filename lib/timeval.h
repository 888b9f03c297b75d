/* Clocks and one-shot timers.
 *
 * time_msec() is monotonic (CLOCK_MONOTONIC) and is what timers, rate limits
 * and the poll loop use; time_wall_msec() is wall-clock time for log stamps
 * and anything shown to users. */
#ifndef VS_TIMEVAL_H
#define VS_TIMEVAL_H 1

#include <limits.h>
#include <stdbool.h>
#include <time.h>

long long time_msec(void);        /* Monotonic milliseconds. */
long long time_usec(void);        /* Monotonic microseconds. */
long long time_wall_msec(void);   /* Milliseconds since the Unix epoch. */
time_t time_now(void);            /* Monotonic seconds. */

/* Converts a (positive) millisecond count to a struct timespec. */
void msec_to_timespec(long long ms, struct timespec *);

/* A one-shot timer.  A zeroed or TIMER_INITIALIZER timer never expires. */
struct timer {
    long long t;                  /* Expiry, time_msec() units; LLONG_MAX: never. */
};

#define TIMER_INITIALIZER { LLONG_MAX }

static inline void timer_init(struct timer *t) { t->t = LLONG_MAX; }
/* Expires 'ms' milliseconds from now. */
void timer_set_duration(struct timer *, long long ms);
/* Expires at once. */
void timer_set_expired(struct timer *);
/* Never expires. */
static inline void timer_set_infinite(struct timer *t) { t->t = LLONG_MAX; }
bool timer_expired(const struct timer *);
/* Milliseconds until expiry: 0 if expired, LLONG_MAX if never. */
long long timer_msecs_until_expired(const struct timer *);
/* Makes the next poll_block() wake when the timer expires. */
void timer_wait(const struct timer *);

#endif /* timeval.h */
