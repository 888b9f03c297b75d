/* Unit tests for lib/latch, across real threads. */
#include <config.h>
#include <check.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "latch.h"
#include "poll-loop.h"
#include "timeval.h"
#include "test-util.h"

START_TEST(test_set_poll_clear)
{
    struct latch l;
    ck_assert_int_eq(latch_init(&l), 0);
    ck_assert(!latch_is_set(&l));
    ck_assert(!latch_poll(&l));
    latch_set(&l);
    latch_set(&l);
    ck_assert(latch_is_set(&l));
    ck_assert(latch_poll(&l));          /* Clears however many sets. */
    ck_assert(!latch_is_set(&l));
    ck_assert(!latch_poll(&l));
    latch_destroy(&l);
}
END_TEST

static void *
set_later(void *l_)
{
    struct timespec ts = { 0, 100 * 1000 * 1000 };
    nanosleep(&ts, NULL);
    latch_set(l_);
    return NULL;
}

START_TEST(test_other_thread_wakes_poll_block)
{
    struct latch l;
    pthread_t t;
    ck_assert_int_eq(latch_init(&l), 0);
    long long start = time_msec();
    ck_assert_int_eq(pthread_create(&t, NULL, set_later, &l), 0);
    while (!latch_poll(&l)) {
        latch_wait(&l);
        poll_timer_wait(10000);
        poll_block();
        ck_assert_int_lt(time_msec() - start, 5000);
    }
    long long elapsed = time_msec() - start;
    ck_assert_int_ge(elapsed, 90);
    ck_assert_int_lt(elapsed, 5000);
    pthread_join(t, NULL);
    latch_destroy(&l);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("latch");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_set_poll_clear);
    tcase_add_test(tc, test_other_thread_wakes_poll_block);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
