/* Unit tests for lib/reconnect: the state machine driven by fake times. */
#include <config.h>
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "reconnect.h"
#include "test-util.h"

START_TEST(test_reconnect_first_attempt_is_immediate)
{
    struct reconnect *fsm = reconnect_create(1000);
    ck_assert_int_eq(reconnect_run(fsm, 1000), RECONNECT_NONE);
    ck_assert(!reconnect_is_enabled(fsm));
    ck_assert_int_eq(reconnect_timeout(fsm, 1000), -1);

    reconnect_enable(fsm, 1000);
    ck_assert_int_eq(reconnect_timeout(fsm, 1000), 0);
    ck_assert_int_eq(reconnect_run(fsm, 1000), RECONNECT_CONNECT);
    reconnect_connecting(fsm, 1000);
    ck_assert_int_eq(reconnect_get_state(fsm), RECONNECT_CONNECTING);
    reconnect_connected(fsm, 1010);
    ck_assert(reconnect_is_connected(fsm));
    ck_assert_uint_eq(reconnect_get_n_connects(fsm), 1);
    reconnect_destroy(fsm);
}
END_TEST

START_TEST(test_reconnect_backoff_doubles_up_to_max)
{
    struct reconnect *fsm = reconnect_create(0);
    long long now = 0;
    static const int expected[] = { 100, 200, 400, 800, 800, 800 };

    reconnect_set_backoff(fsm, 100, 800);
    reconnect_enable(fsm, now);
    for (size_t i = 0; i < sizeof expected / sizeof *expected; i++) {
        ck_assert_int_eq(reconnect_run(fsm, now), RECONNECT_CONNECT);
        reconnect_connecting(fsm, now);
        reconnect_connect_failed(fsm, now, ECONNREFUSED);
        ck_assert_int_eq(reconnect_get_backoff(fsm), expected[i]);
        ck_assert_int_eq(reconnect_get_last_error(fsm), ECONNREFUSED);
        ck_assert_int_eq(reconnect_timeout(fsm, now), expected[i]);
        ck_assert_int_eq(reconnect_run(fsm, now + expected[i] - 1),
                         RECONNECT_NONE);
        now += expected[i];
    }
    reconnect_destroy(fsm);
}
END_TEST

START_TEST(test_reconnect_stable_connection_resets_backoff)
{
    struct reconnect *fsm = reconnect_create(0);
    reconnect_set_backoff(fsm, 100, 1600);
    reconnect_set_probe_interval(fsm, 0);
    reconnect_enable(fsm, 0);

    /* Fail three times: backoff 100, 200, 400. */
    long long now = 0;
    for (int i = 0; i < 3; i++) {
        reconnect_connecting(fsm, now);
        reconnect_connect_failed(fsm, now, ECONNREFUSED);
        now += reconnect_get_backoff(fsm);
    }
    ck_assert_int_eq(reconnect_get_backoff(fsm), 400);

    /* A connection that dies at once keeps doubling. */
    reconnect_connecting(fsm, now);
    reconnect_connected(fsm, now);
    reconnect_disconnected(fsm, now + 10, EOF);
    ck_assert_int_eq(reconnect_get_backoff(fsm), 800);
    now += 10 + 800;

    /* One that lasts longer than the backoff resets it. */
    reconnect_connecting(fsm, now);
    reconnect_connected(fsm, now);
    reconnect_disconnected(fsm, now + 5000, EOF);
    ck_assert_int_eq(reconnect_get_backoff(fsm), 100);
    ck_assert_int_eq(reconnect_get_state(fsm), RECONNECT_BACKOFF);
    ck_assert_uint_eq(reconnect_get_n_connects(fsm), 2);
    reconnect_destroy(fsm);
}
END_TEST

START_TEST(test_reconnect_probe_then_disconnect_when_idle)
{
    struct reconnect *fsm = reconnect_create(0);
    reconnect_set_probe_interval(fsm, 5000);
    reconnect_enable(fsm, 0);
    reconnect_connecting(fsm, 0);
    reconnect_connected(fsm, 0);

    ck_assert_int_eq(reconnect_run(fsm, 4999), RECONNECT_NONE);
    reconnect_activity(fsm, 3000);
    ck_assert_int_eq(reconnect_timeout(fsm, 4000), 4000);
    ck_assert_int_eq(reconnect_run(fsm, 7999), RECONNECT_NONE);
    ck_assert_int_eq(reconnect_run(fsm, 8000), RECONNECT_PROBE);
    ck_assert_int_eq(reconnect_get_state(fsm), RECONNECT_IDLE);
    ck_assert(reconnect_is_connected(fsm));

    /* The answer brings it back to ACTIVE. */
    reconnect_activity(fsm, 9000);
    ck_assert_int_eq(reconnect_get_state(fsm), RECONNECT_ACTIVE);
    ck_assert_int_eq(reconnect_run(fsm, 13999), RECONNECT_NONE);
    ck_assert_int_eq(reconnect_run(fsm, 14000), RECONNECT_PROBE);

    /* No answer: disconnect after one more interval. */
    ck_assert_int_eq(reconnect_run(fsm, 18999), RECONNECT_NONE);
    ck_assert_int_eq(reconnect_run(fsm, 19000), RECONNECT_DISCONNECT);
    reconnect_disconnected(fsm, 19000, ETIMEDOUT);
    ck_assert_int_eq(reconnect_get_state(fsm), RECONNECT_BACKOFF);
    reconnect_destroy(fsm);
}
END_TEST

START_TEST(test_reconnect_no_probes_when_disabled)
{
    struct reconnect *fsm = reconnect_create(0);
    reconnect_set_probe_interval(fsm, 0);
    reconnect_enable(fsm, 0);
    reconnect_connecting(fsm, 0);
    reconnect_connected(fsm, 0);
    ck_assert_int_eq(reconnect_run(fsm, 1000000), RECONNECT_NONE);
    ck_assert_int_eq(reconnect_timeout(fsm, 1000000), -1);
    reconnect_destroy(fsm);
}
END_TEST

START_TEST(test_reconnect_connect_attempt_times_out)
{
    struct reconnect *fsm = reconnect_create(0);
    reconnect_set_backoff(fsm, 100, 200);
    reconnect_enable(fsm, 0);
    reconnect_connecting(fsm, 0);
    /* At least a second per attempt even with a short backoff. */
    ck_assert_int_eq(reconnect_run(fsm, 999), RECONNECT_NONE);
    ck_assert_int_eq(reconnect_run(fsm, 1000), RECONNECT_DISCONNECT);
    reconnect_connect_failed(fsm, 1000, ETIMEDOUT);
    ck_assert_int_eq(reconnect_get_state(fsm), RECONNECT_BACKOFF);
    reconnect_destroy(fsm);
}
END_TEST

START_TEST(test_reconnect_max_tries_gives_up)
{
    struct reconnect *fsm = reconnect_create(0);
    reconnect_set_max_tries(fsm, 2);
    reconnect_enable(fsm, 0);
    reconnect_connecting(fsm, 0);
    reconnect_connect_failed(fsm, 0, ECONNREFUSED);
    ck_assert(reconnect_is_enabled(fsm));
    reconnect_connecting(fsm, 1000);
    reconnect_connect_failed(fsm, 1000, ECONNREFUSED);
    ck_assert(!reconnect_is_enabled(fsm));
    ck_assert_int_eq(reconnect_run(fsm, 100000), RECONNECT_NONE);
    reconnect_destroy(fsm);
}
END_TEST

START_TEST(test_reconnect_force_reconnect)
{
    struct reconnect *fsm = reconnect_create(0);
    reconnect_set_backoff(fsm, 1000, 8000);
    reconnect_enable(fsm, 0);
    reconnect_connecting(fsm, 0);
    reconnect_connected(fsm, 0);
    reconnect_force_reconnect(fsm, 50);
    ck_assert_int_eq(reconnect_run(fsm, 50), RECONNECT_DISCONNECT);
    reconnect_disconnected(fsm, 50, 0);
    /* Straight back to connecting, no backoff. */
    ck_assert_int_eq(reconnect_run(fsm, 50), RECONNECT_CONNECT);
    ck_assert_str_eq(reconnect_state_name(reconnect_get_state(fsm)),
                     "BACKOFF");
    reconnect_destroy(fsm);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("reconnect");
    TCase *tc = tcase_create("reconnect");
    tcase_add_test(tc, test_reconnect_first_attempt_is_immediate);
    tcase_add_test(tc, test_reconnect_backoff_doubles_up_to_max);
    tcase_add_test(tc, test_reconnect_stable_connection_resets_backoff);
    tcase_add_test(tc, test_reconnect_probe_then_disconnect_when_idle);
    tcase_add_test(tc, test_reconnect_no_probes_when_disabled);
    tcase_add_test(tc, test_reconnect_connect_attempt_times_out);
    tcase_add_test(tc, test_reconnect_max_tries_gives_up);
    tcase_add_test(tc, test_reconnect_force_reconnect);
    suite_add_tcase(s, tc);

    return test_run_suite(s);
}
