#include <config.h>
#include "coverage.h"

#include <pthread.h>
#include <string.h>
#include "timeval.h"
#include "util.h"

#define SAMPLE_MSEC 5000

/* Protects the registry, the thread list and the sample rings. */
static pthread_mutex_t coverage_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct coverage_counter *counters;
static unsigned int n_counters;

/* Per-thread count arrays, and what exited threads counted. */
__thread unsigned long long *coverage_tls__;
struct thread_counts {
    struct thread_counts *next;
    unsigned long long counts[COVERAGE_MAX_COUNTERS];
};
static struct thread_counts *threads;
static unsigned long long dead_counts[COVERAGE_MAX_COUNTERS];
static pthread_key_t tls_key;
static pthread_once_t tls_once = PTHREAD_ONCE_INIT;

/* At thread exit: keeps the thread's counts, frees its array. */
static void
thread_counts_destroy(void *tc_)
{
    struct thread_counts *tc = tc_;

    pthread_mutex_lock(&coverage_mutex);
    for (struct thread_counts **p = &threads; *p; p = &(*p)->next) {
        if (*p == tc) {
            *p = tc->next;
            break;
        }
    }
    for (unsigned int i = 0; i < n_counters; i++) {
        dead_counts[i] += tc->counts[i];
    }
    pthread_mutex_unlock(&coverage_mutex);
    free(tc);
}

static void
tls_init_once(void)
{
    pthread_key_create(&tls_key, thread_counts_destroy);
}

unsigned long long *
coverage_tls_create__(void)
{
    struct thread_counts *tc = xzalloc(sizeof *tc);

    pthread_once(&tls_once, tls_init_once);
    pthread_mutex_lock(&coverage_mutex);
    tc->next = threads;
    threads = tc;
    pthread_mutex_unlock(&coverage_mutex);
    pthread_setspecific(tls_key, tc);
    coverage_tls__ = tc->counts;
    return tc->counts;
}
static long long next_sample;         /* time_msec() of the next sample. */
static unsigned int n_samples;        /* 5-second samples taken so far. */
static long long first_sample_msec;   /* When counting started. */

void
coverage_counter_register(struct coverage_counter *c)
{
    pthread_mutex_lock(&coverage_mutex);
    vs_assert(n_counters < COVERAGE_MAX_COUNTERS);
    c->idx = n_counters++;
    /* Keep the list sorted by name for stable output. */
    struct coverage_counter **p = &counters;
    while (*p && strcmp((*p)->name, c->name) < 0) {
        p = &(*p)->next;
    }
    c->next = *p;
    *p = c;
    pthread_mutex_unlock(&coverage_mutex);
}

/* With the mutex held. */
static unsigned long long
read_count(const struct coverage_counter *c)
{
    unsigned long long total = dead_counts[c->idx];

    for (const struct thread_counts *tc = threads; tc; tc = tc->next) {
        total += __atomic_load_n(&tc->counts[c->idx], __ATOMIC_RELAXED);
    }
    return total;
}

unsigned long long
coverage_get_total(const char *name)
{
    unsigned long long total = 0;

    pthread_mutex_lock(&coverage_mutex);
    for (struct coverage_counter *c = counters; c; c = c->next) {
        if (!strcmp(c->name, name)) {
            total += read_count(c);
        }
    }
    pthread_mutex_unlock(&coverage_mutex);
    return total;
}

/* With the mutex held. */
static void
take_sample(void)
{
    unsigned int slot = n_samples % COVERAGE_N_MINUTE;
    bool minute_mark = n_samples % COVERAGE_N_MINUTE == 0;
    unsigned int hslot = (n_samples / COVERAGE_N_MINUTE) % COVERAGE_N_HOUR;

    for (struct coverage_counter *c = counters; c; c = c->next) {
        unsigned long long count = read_count(c);
        c->minute[slot] = count;
        if (minute_mark) {
            c->hour[hslot] = count;
        }
    }
    n_samples++;
}

void
coverage_run(void)
{
    long long now = time_msec();

    if (now < __atomic_load_n(&next_sample, __ATOMIC_RELAXED)) {
        return;
    }
    pthread_mutex_lock(&coverage_mutex);
    if (!first_sample_msec) {
        first_sample_msec = now;
        next_sample = now;
    }
    /* Catch up on samples missed while the loop slept, so that the rings
     * stay aligned with wall time. */
    for (int i = 0; now >= next_sample && i < COVERAGE_N_MINUTE + 1; i++) {
        take_sample();
        next_sample += SAMPLE_MSEC;
    }
    if (now >= next_sample) {
        next_sample = now + SAMPLE_MSEC;
    }
    pthread_mutex_unlock(&coverage_mutex);
}

/* Rate per second of 'c' over the last 'n' samples of 'ring' (of 'size'
 * slots, newest at index 'newest', 'period' ms apart), ending now. */
static double
ring_rate(const unsigned long long *ring, unsigned int size,
          unsigned int n_taken, unsigned int newest_index, unsigned long long now_count,
          unsigned int want, long long period_msec, long long since_newest)
{
    if (!n_taken) {
        return 0.0;
    }
    unsigned int back = MIN(want, n_taken) - 1;
    unsigned int idx = (newest_index + size - back) % size;
    double secs = (back * period_msec + since_newest) / 1000.0;
    if (secs <= 0) {
        return 0.0;
    }
    return (now_count - ring[idx]) / secs;
}

void
coverage_show(struct ds *s)
{
    long long now = time_msec();
    unsigned int n_zero = 0;

    pthread_mutex_lock(&coverage_mutex);
    /* Index of newest samples and how long ago they were taken. */
    unsigned int n_min = MIN(n_samples, COVERAGE_N_MINUTE);
    unsigned int newest = n_samples ? (n_samples - 1) % COVERAGE_N_MINUTE : 0;
    long long since_min = n_samples ? now - (next_sample - SAMPLE_MSEC) : 0;
    unsigned int n_hours_taken = DIV_ROUND_UP(n_samples, COVERAGE_N_MINUTE);
    unsigned int n_hr = MIN(n_hours_taken, COVERAGE_N_HOUR);
    unsigned int hnewest = n_hours_taken
        ? (n_hours_taken - 1) % COVERAGE_N_HOUR : 0;
    long long since_hr = n_samples
        ? since_min + ((n_samples - 1) % COVERAGE_N_MINUTE) * SAMPLE_MSEC : 0;

    ds_put_format(s, "Event coverage, avg rate over last: 5 seconds, "
                  "last minute, last hour\n");
    for (struct coverage_counter *c = counters; c; c = c->next) {
        unsigned long long count = read_count(c);
        if (!count) {
            n_zero++;
            continue;
        }
        double r5 = ring_rate(c->minute, COVERAGE_N_MINUTE, n_min, newest,
                              count, 1, SAMPLE_MSEC, since_min);
        double rmin = ring_rate(c->minute, COVERAGE_N_MINUTE, n_min, newest,
                                count, COVERAGE_N_MINUTE, SAMPLE_MSEC,
                                since_min);
        double rhr = ring_rate(c->hour, COVERAGE_N_HOUR, n_hr, hnewest, count,
                               COVERAGE_N_HOUR, 60000, since_hr);
        ds_put_format(s, "%-24s %9.1f/sec %11.3f/sec %11.4f/sec   "
                      "total: %llu\n", c->name, r5, rmin, rhr, count);
    }
    pthread_mutex_unlock(&coverage_mutex);
    ds_put_format(s, "%u events never hit\n", n_zero);
}
