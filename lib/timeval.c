#include <config.h>
#include "timeval.h"

#include <errno.h>
#include <sys/time.h>
#include "poll-loop.h"
#include "util.h"

static long long
clock_usec(clockid_t id)
{
    struct timespec ts;
    /* CLOCK_MONOTONIC and CLOCK_REALTIME cannot fail on Linux. */
    clock_gettime(id, &ts);
    return (long long) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

long long
time_usec(void)
{
    return clock_usec(CLOCK_MONOTONIC);
}

long long
time_msec(void)
{
    return clock_usec(CLOCK_MONOTONIC) / 1000;
}

long long
time_wall_msec(void)
{
    return clock_usec(CLOCK_REALTIME) / 1000;
}

time_t
time_now(void)
{
    return time_msec() / 1000;
}

void
msec_to_timespec(long long ms, struct timespec *ts)
{
    ts->tv_sec = ms / 1000;
    ts->tv_nsec = (ms % 1000) * 1000000;
}

void
timer_set_duration(struct timer *timer, long long ms)
{
    long long now = time_msec();
    timer->t = ms >= LLONG_MAX - now ? LLONG_MAX : now + ms;
}

void
timer_set_expired(struct timer *timer)
{
    timer->t = LLONG_MIN;
}

bool
timer_expired(const struct timer *timer)
{
    return timer->t != LLONG_MAX && time_msec() >= timer->t;
}

long long
timer_msecs_until_expired(const struct timer *timer)
{
    if (timer->t == LLONG_MAX) {
        return LLONG_MAX;
    }
    long long now = time_msec();
    return timer->t > now ? timer->t - now : 0;
}

void
timer_wait(const struct timer *timer)
{
    if (timer->t != LLONG_MAX) {
        poll_timer_wait_until(timer->t);
    }
}
