/* Unit tests for vswitchd/qos.c's validation of QoS and Queue rows: the
 * defaults filled in, and the exact message each kind of bad input gets
 * (nothing here touches a device). */
#include <config.h>
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "test-util.h"
#include "util.h"
#include "vswitchd/qos.h"

START_TEST(test_qos_parse_fills_defaults_and_sorts_queues)
{
    struct qos_queue_text qt[] = {
        { .id = 5, .max_rate = "2000000", .priority = "3", .dscp = 46 },
        { .id = 0, .min_rate = "1000000", .max_rate = "500000000",
          .burst = "80000", .dscp = -1 },
    };
    struct qos_text t = { .type = "linux-htb", .max_rate = "100000000",
                          .queues = qt, .n_queues = 2 };
    struct qos_spec s;
    char *err;
    ck_assert_int_eq(qos_parse(&t, "none0", &s, &err), 0);
    ck_assert_ptr_null(err);
    ck_assert_int_eq(s.type, QOS_HTB);
    ck_assert_uint_eq(s.max_rate, 100000000);
    ck_assert_uint_eq(s.n_queues, 2);
    /* Sorted by id; a max-rate above the port's is capped to it. */
    ck_assert_uint_eq(s.queues[0].id, 0);
    ck_assert_uint_eq(s.queues[0].min_rate, 1000000);
    ck_assert_uint_eq(s.queues[0].max_rate, 100000000);
    ck_assert_uint_eq(s.queues[0].burst, 80000);
    ck_assert(s.queues[0].min_rate_set);
    /* No min-rate: one frame a second, not "configured". */
    ck_assert_uint_eq(s.queues[1].id, 5);
    ck_assert_uint_eq(s.queues[1].min_rate, QOS_MIN_RATE);
    ck_assert(!s.queues[1].min_rate_set);
    ck_assert_uint_eq(s.queues[1].max_rate, 2000000);
    ck_assert_uint_eq(s.queues[1].priority, 3);
    ck_assert_int_eq(s.queues[1].dscp, 46);
    ck_assert_int_eq(s.queues[0].dscp, -1);

    struct qos_spec s2;
    t.type = "linux-hfsc";
    ck_assert_int_eq(qos_parse(&t, "none0", &s2, &err), 0);
    ck_assert_int_eq(s2.type, QOS_HFSC);
    ck_assert(!qos_spec_equal(&s, &s2));
    qos_spec_uninit(&s2);
    t.type = "linux-htb";
    ck_assert_int_eq(qos_parse(&t, "none0", &s2, &err), 0);
    ck_assert(qos_spec_equal(&s, &s2));
    qos_spec_uninit(&s2);
    qos_spec_uninit(&s);
}
END_TEST

static const struct {
    const char *type, *qos_max, *min, *prio;
    long long id;
    const char *error;
} bad[] = {
    { "foo", NULL, NULL, NULL, 0,
      "QoS type \"foo\" is not supported (linux-htb and linux-hfsc are)" },
    { "linux-htb", "-5", NULL, NULL, 0,
      "QoS other_config:max-rate \"-5\" is not a non-negative integer" },
    { "linux-htb", "10M", NULL, NULL, 0,
      "QoS other_config:max-rate \"10M\" is not a non-negative integer" },
    { "linux-htb", NULL, "-1", NULL, 2,
      "queue 2 other_config:min-rate \"-1\" is not a non-negative integer" },
    { "linux-htb", NULL, "", NULL, 2,
      "queue 2 other_config:min-rate \"\" is not a non-negative integer" },
    { "linux-htb", NULL, NULL, "8", 1,
      "queue 1 other_config:priority 8: priorities go from 0 to 7" },
    { "linux-htb", NULL, NULL, NULL, 70000,
      "queue 70000: queue numbers go up to 65533 (one tc class each)" },
};

START_TEST(test_qos_parse_refuses_bad_input_with_a_message)
{
    struct qos_queue_text qt = { .id = bad[_i].id, .min_rate = bad[_i].min,
                                 .priority = bad[_i].prio };
    struct qos_text t = { .type = bad[_i].type, .max_rate = bad[_i].qos_max,
                          .queues = &qt, .n_queues = 1 };
    struct qos_spec s;
    char *err;
    ck_assert_int_eq(qos_parse(&t, "none0", &s, &err), EINVAL);
    ck_assert_str_eq(err, bad[_i].error);
    ck_assert_int_eq(s.type, QOS_NONE);
    ck_assert_uint_eq(s.n_queues, 0);
    free(err);
}
END_TEST

START_TEST(test_qos_parse_no_row_is_no_qos)
{
    struct qos_spec s;
    char *err;
    ck_assert_int_eq(qos_parse(NULL, "none0", &s, &err), 0);
    ck_assert_int_eq(s.type, QOS_NONE);
    ck_assert_ptr_null(err);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("qos");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_qos_parse_fills_defaults_and_sorts_queues);
    tcase_add_loop_test(tc, test_qos_parse_refuses_bad_input_with_a_message,
                        0, ARRAY_SIZE(bad));
    tcase_add_test(tc, test_qos_parse_no_row_is_no_qos);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
