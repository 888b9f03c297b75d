/* Unit tests for ofproto/mac-learning. */
#include <config.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "ofproto/mac-learning.h"

static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t mac_b[6] = { 0x02, 0, 0, 0, 0, 0x0b };
static const uint8_t mac_bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

START_TEST(test_learn_lookup_per_vlan)
{
    struct mac_learning *ml = mac_learning_create(0);
    ck_assert(mac_learning_learn(ml, mac_a, 10, 3, 0));
    ck_assert_uint_eq(mac_learning_lookup(ml, mac_a, 10), 3);
    ck_assert_uint_eq(mac_learning_lookup(ml, mac_a, 20), 0);
    ck_assert(!mac_learning_learn(ml, mac_bcast, 10, 3, 0));
    ck_assert_uint_eq(mac_learning_count(ml), 1);
    mac_learning_destroy(ml);
}
END_TEST

START_TEST(test_refresh_is_not_news_but_move_is)
{
    struct mac_learning *ml = mac_learning_create(0);
    uint64_t seq;
    mac_learning_learn(ml, mac_a, 0, 1, 0);
    seq = ml->seq;
    ck_assert(!mac_learning_learn(ml, mac_a, 0, 1, 1000));
    ck_assert_uint_eq(ml->seq, seq);
    ck_assert(mac_learning_learn(ml, mac_a, 0, 2, 2000));
    ck_assert_uint_eq(mac_learning_lookup(ml, mac_a, 0), 2);
    ck_assert_uint_gt(ml->seq, seq);
    mac_learning_destroy(ml);
}
END_TEST

START_TEST(test_aging_expires_idle_entries_only)
{
    struct mac_learning *ml = mac_learning_create(300);
    mac_learning_learn(ml, mac_a, 0, 1, 0);
    mac_learning_learn(ml, mac_b, 0, 2, 100 * 1000);
    ck_assert_int_eq(mac_learning_next_expiry(ml), 300 * 1000);
    ck_assert_uint_eq(mac_learning_expire(ml, 299 * 1000), 0);
    ck_assert_uint_eq(mac_learning_expire(ml, 300 * 1000), 1);
    ck_assert_uint_eq(mac_learning_lookup(ml, mac_a, 0), 0);
    ck_assert_uint_eq(mac_learning_lookup(ml, mac_b, 0), 2);
    /* Refreshing pushes expiry out. */
    mac_learning_learn(ml, mac_b, 0, 2, 390 * 1000);
    ck_assert_uint_eq(mac_learning_expire(ml, 400 * 1000), 0);
    mac_learning_set_idle_time(ml, 5);
    mac_learning_learn(ml, mac_a, 0, 1, 400 * 1000);
    ck_assert_uint_eq(mac_learning_expire(ml, 405 * 1000), 2);
    mac_learning_destroy(ml);
}
END_TEST

START_TEST(test_shorter_aging_applies_to_existing_entries)
{
    struct mac_learning *ml = mac_learning_create(300);
    mac_learning_learn(ml, mac_a, 0, 1, 10 * 1000);
    mac_learning_set_idle_time(ml, 2);
    ck_assert_uint_eq(mac_learning_expire(ml, 11 * 1000), 0);
    ck_assert_uint_eq(mac_learning_expire(ml, 12 * 1000), 1);
    mac_learning_destroy(ml);
}
END_TEST

START_TEST(test_size_limit_evicts_least_recently_seen)
{
    struct mac_learning *ml = mac_learning_create(0);
    uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0 };
    mac_learning_set_max_entries(ml, 4);
    for (int i = 1; i <= 4; i++) {
        mac[5] = i;
        mac_learning_learn(ml, mac, 0, i, i);
    }
    mac[5] = 1;
    mac_learning_learn(ml, mac, 0, 1, 10);     /* 1 is now the freshest. */
    mac[5] = 5;
    mac_learning_learn(ml, mac, 0, 5, 11);
    ck_assert_uint_eq(mac_learning_count(ml), 4);
    mac[5] = 2;
    ck_assert_uint_eq(mac_learning_lookup(ml, mac, 0), 0);
    mac[5] = 1;
    ck_assert_uint_eq(mac_learning_lookup(ml, mac, 0), 1);
    mac_learning_set_max_entries(ml, 2);
    ck_assert_uint_eq(mac_learning_count(ml), 2);
    mac_learning_destroy(ml);
}
END_TEST

START_TEST(test_flush_port)
{
    struct mac_learning *ml = mac_learning_create(0);
    mac_learning_learn(ml, mac_a, 0, 1, 0);
    mac_learning_learn(ml, mac_b, 0, 2, 0);
    mac_learning_flush_port(ml, 1);
    ck_assert_uint_eq(mac_learning_count(ml), 1);
    ck_assert_uint_eq(mac_learning_lookup(ml, mac_b, 0), 2);
    mac_learning_flush(ml);
    ck_assert_uint_eq(mac_learning_count(ml), 0);
    mac_learning_destroy(ml);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("mac-learning");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_learn_lookup_per_vlan);
    tcase_add_test(tc, test_refresh_is_not_news_but_move_is);
    tcase_add_test(tc, test_aging_expires_idle_entries_only);
    tcase_add_test(tc, test_shorter_aging_applies_to_existing_entries);
    tcase_add_test(tc, test_size_limit_evicts_least_recently_seen);
    tcase_add_test(tc, test_flush_port);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
