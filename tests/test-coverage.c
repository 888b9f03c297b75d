/* Unit tests for lib/coverage. */
#include <config.h>
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coverage.h"
#include "dynamic-string.h"
#include "poll-loop.h"
#include "test-util.h"

COVERAGE_DEFINE(test_hits);
COVERAGE_DEFINE(test_threaded);
COVERAGE_DEFINE(test_never);
COVERAGE_DEFINE(test_live);

START_TEST(test_counts_show_in_text)
{
    for (int i = 0; i < 17; i++) {
        COVERAGE_INC(test_hits);
    }
    COVERAGE_ADD(test_hits, 3);
    ck_assert_uint_eq(coverage_get_total("test_hits"), 20);
    ck_assert_uint_eq(coverage_get_total("no_such_counter"), 0);

    coverage_run();
    struct ds s = DS_EMPTY_INITIALIZER;
    coverage_show(&s);
    const char *text = ds_cstr(&s);
    ck_assert_ptr_nonnull(strstr(text, "Event coverage"));
    const char *line = strstr(text, "\ntest_hits ");
    ck_assert_ptr_nonnull(line);
    const char *total = strstr(line, "total: ");
    ck_assert_ptr_nonnull(total);
    ck_assert_int_eq(atoi(total + 7), 20);
    /* Zero counters are summarized, not listed. */
    ck_assert_ptr_null(strstr(text, "test_never"));
    ck_assert_ptr_nonnull(strstr(text, "events never hit"));
    ds_destroy(&s);
}
END_TEST

START_TEST(test_poll_block_samples_rates)
{
    /* poll_block() calls coverage_run(), which takes the first sample;
     * hits after it show up as a nonzero 5-second rate. */
    poll_immediate_wake();
    poll_block();
    for (int i = 0; i < 1000; i++) {
        COVERAGE_INC(test_hits);
    }
    poll_timer_wait(100);
    poll_block();
    struct ds s = DS_EMPTY_INITIALIZER;
    coverage_show(&s);
    const char *line = strstr(ds_cstr(&s), "\ntest_hits ");
    ck_assert_ptr_nonnull(line);
    double r5;
    ck_assert_int_eq(sscanf(line, " test_hits %lf/sec", &r5), 1);
    ck_assert_msg(r5 > 0, "rate %f", r5);
    ck_assert_uint_ge(coverage_get_total("poll_block"), 2);
    ds_destroy(&s);
}
END_TEST

static void *
bump(void *arg VS_UNUSED)
{
    for (int i = 0; i < 100000; i++) {
        COVERAGE_INC(test_threaded);
    }
    return NULL;
}

START_TEST(test_concurrent_increments_are_not_lost)
{
    pthread_t threads[4];
    for (int i = 0; i < 4; i++) {
        ck_assert_int_eq(pthread_create(&threads[i], NULL, bump, NULL), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(threads[i], NULL);
    }
    ck_assert_uint_eq(coverage_get_total("test_threaded"), 400000);
}
END_TEST

static pthread_barrier_t barrier;

static void *
bump_and_wait(void *arg VS_UNUSED)
{
    for (int i = 0; i < 1000; i++) {
        COVERAGE_INC(test_live);
    }
    pthread_barrier_wait(&barrier);     /* Counted... */
    pthread_barrier_wait(&barrier);     /* ...and read while alive. */
    return NULL;
}

/* Counts of threads still running are summed in too. */
START_TEST(test_live_threads_are_summed)
{
    pthread_t threads[3];
    pthread_barrier_init(&barrier, NULL, 4);
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(pthread_create(&threads[i], NULL, bump_and_wait,
                                        NULL), 0);
    }
    pthread_barrier_wait(&barrier);
    COVERAGE_ADD(test_live, 5);
    ck_assert_uint_eq(coverage_get_total("test_live"), 3005);
    pthread_barrier_wait(&barrier);
    for (int i = 0; i < 3; i++) {
        pthread_join(threads[i], NULL);
    }
    /* And still after they exit. */
    ck_assert_uint_eq(coverage_get_total("test_live"), 3005);
    pthread_barrier_destroy(&barrier);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("coverage");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_counts_show_in_text);
    tcase_add_test(tc, test_poll_block_samples_rates);
    tcase_add_test(tc, test_concurrent_increments_are_not_lost);
    tcase_add_test(tc, test_live_threads_are_summed);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
