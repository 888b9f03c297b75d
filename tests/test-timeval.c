/* Unit tests for lib/timeval. */
#include <config.h>
#include <check.h>
#include <limits.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "timeval.h"
#include "test-util.h"

static void
sleep_msec(long long ms)
{
    struct timespec ts;
    msec_to_timespec(ms, &ts);
    while (nanosleep(&ts, &ts)) {
        continue;
    }
}

START_TEST(test_time_msec_is_monotonic_and_advances)
{
    long long a = time_msec();
    long long ua = time_usec();
    sleep_msec(30);
    long long b = time_msec();
    long long ub = time_usec();
    ck_assert_int_ge(b - a, 29);
    ck_assert_int_lt(b - a, 2000);
    ck_assert_int_ge(ub - ua, 29000);
}
END_TEST

START_TEST(test_wall_clock_is_near_time_of_day)
{
    long long wall = time_wall_msec();
    long long t = (long long) time(NULL) * 1000;
    ck_assert_int_lt(llabs(wall - t), 2000);
}
END_TEST

START_TEST(test_timer_expires_after_duration)
{
    struct timer t;
    timer_set_duration(&t, 40);
    ck_assert(!timer_expired(&t));
    long long left = timer_msecs_until_expired(&t);
    ck_assert_int_gt(left, 0);
    ck_assert_int_le(left, 40);
    sleep_msec(50);
    ck_assert(timer_expired(&t));
    ck_assert_int_eq(timer_msecs_until_expired(&t), 0);
}
END_TEST

START_TEST(test_timer_infinite_and_expired_states)
{
    struct timer t = TIMER_INITIALIZER;
    ck_assert(!timer_expired(&t));
    ck_assert(timer_msecs_until_expired(&t) == LLONG_MAX);
    timer_set_expired(&t);
    ck_assert(timer_expired(&t));
    ck_assert_int_eq(timer_msecs_until_expired(&t), 0);
    /* A huge duration must not overflow into the past. */
    timer_set_duration(&t, LLONG_MAX - 5);
    ck_assert(!timer_expired(&t));
    timer_set_infinite(&t);
    ck_assert(!timer_expired(&t));
}
END_TEST

START_TEST(test_msec_to_timespec_splits_seconds)
{
    struct timespec ts;
    msec_to_timespec(2345, &ts);
    ck_assert_int_eq(ts.tv_sec, 2);
    ck_assert_int_eq(ts.tv_nsec, 345000000);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("timeval");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_time_msec_is_monotonic_and_advances);
    tcase_add_test(tc, test_wall_clock_is_near_time_of_day);
    tcase_add_test(tc, test_timer_expires_after_duration);
    tcase_add_test(tc, test_timer_infinite_and_expired_states);
    tcase_add_test(tc, test_msec_to_timespec_splits_seconds);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
