/* Unit tests for lib/hmap, lib/list and lib/dynamic-string. */
#include <config.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "dynamic-string.h"
#include "hmap.h"
#include "list.h"
#include "test-util.h"

struct elem {
    struct hmap_node hmap_node;
    struct vs_list list_node;
    int value;
};

START_TEST(test_hmap_insert_find_remove_many)
{
    enum { N = 5000 };
    struct hmap map = HMAP_INITIALIZER(&map);
    struct elem *elems = calloc(N, sizeof *elems);

    for (int i = 0; i < N; i++) {
        elems[i].value = i;
        /* Weak hash on purpose: many collisions exercise the chains. */
        hmap_insert(&map, &elems[i].hmap_node, hash_int(i % 97, 0));
    }
    ck_assert_uint_eq(hmap_count(&map), N);

    for (int i = 0; i < N; i++) {
        struct elem *e;
        bool found = false;
        HMAP_FOR_EACH_WITH_HASH (e, hmap_node, hash_int(i % 97, 0), &map) {
            found |= e->value == i;
        }
        ck_assert(found);
    }

    for (int i = 0; i < N; i += 2) {
        hmap_remove(&map, &elems[i].hmap_node);
    }
    ck_assert_uint_eq(hmap_count(&map), N / 2);

    size_t seen = 0;
    struct elem *e;
    HMAP_FOR_EACH (e, hmap_node, &map) {
        ck_assert_int_eq(e->value % 2, 1);
        seen++;
    }
    ck_assert_uint_eq(seen, N / 2);

    struct elem *next;
    HMAP_FOR_EACH_SAFE (e, next, hmap_node, &map) {
        hmap_remove(&map, &e->hmap_node);
    }
    ck_assert(hmap_is_empty(&map));
    ck_assert_ptr_null(hmap_random_node(&map));
    hmap_destroy(&map);
    free(elems);
}
END_TEST

START_TEST(test_hmap_swap_keeps_contents)
{
    struct hmap a, b;
    struct elem e1 = { .value = 1 };
    hmap_init(&a);
    hmap_init(&b);
    hmap_insert(&a, &e1.hmap_node, 7);
    hmap_swap(&a, &b);
    ck_assert(hmap_is_empty(&a));
    ck_assert_ptr_eq(hmap_first_with_hash(&b, 7), &e1.hmap_node);
    hmap_destroy(&a);
    hmap_destroy(&b);
}
END_TEST

START_TEST(test_list_order_and_removal)
{
    struct vs_list list = VS_LIST_INITIALIZER(&list);
    struct elem elems[5];
    for (int i = 0; i < 5; i++) {
        elems[i].value = i;
        vs_list_push_back(&list, &elems[i].list_node);
    }
    ck_assert_uint_eq(vs_list_size(&list), 5);
    vs_list_remove(&elems[2].list_node);

    int expected[] = { 0, 1, 3, 4 }, i = 0;
    struct elem *e, *next;
    VS_LIST_FOR_EACH (e, list_node, &list) {
        ck_assert_int_eq(e->value, expected[i++]);
    }
    ck_assert_int_eq(i, 4);

    VS_LIST_FOR_EACH_SAFE (e, next, list_node, &list) {
        if (e->value == 3) {
            vs_list_remove(&e->list_node);
        }
    }
    e = OBJECT_CONTAINING(vs_list_pop_back(&list), e, list_node);
    ck_assert_int_eq(e->value, 4);
    e = OBJECT_CONTAINING(vs_list_pop_front(&list), e, list_node);
    ck_assert_int_eq(e->value, 0);
    ck_assert_uint_eq(vs_list_size(&list), 1);
}
END_TEST

START_TEST(test_ds_format_grows_and_steals)
{
    struct ds ds = DS_EMPTY_INITIALIZER;
    ck_assert_str_eq(ds_cstr(&ds), "");
    for (int i = 0; i < 1000; i++) {
        ds_put_format(&ds, "%d,", i);
    }
    ck_assert(str_starts_with(ds_cstr(&ds), "0,1,2,"));
    ck_assert(str_ends_with(ds_cstr(&ds), "998,999,"));
    ds_chomp(&ds, ',');
    ck_assert_int_eq(ds_last(&ds), '9');
    ds_truncate(&ds, 3);
    ck_assert_str_eq(ds_cstr(&ds), "0,1");
    char *s = ds_steal_cstr(&ds);
    ck_assert_str_eq(s, "0,1");
    ck_assert_ptr_null(ds.string);
    free(s);

    ds_put_hex_dump(&ds, "abc\n", 4, 0);
    ck_assert_str_eq(ds_cstr(&ds),
        "00000000  61 62 63 0a                                      |abc.|\n");
    ds_destroy(&ds);
}
END_TEST

START_TEST(test_util_string_to_number_rejects_garbage)
{
    int i;
    unsigned int u;
    double d;
    ck_assert(str_to_int("-42", 10, &i) && i == -42);
    ck_assert(!str_to_int("42x", 10, &i));
    ck_assert(!str_to_int("", 10, &i));
    ck_assert(!str_to_int("99999999999", 10, &i));
    ck_assert(str_to_uint("0x10", 16, &u) && u == 16);
    ck_assert(!str_to_uint("-1", 10, &u));
    ck_assert(str_to_double("1.5", &d) && d == 1.5);
    ck_assert(!str_to_double("nan", &d));
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("containers");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_hmap_insert_find_remove_many);
    tcase_add_test(tc, test_hmap_swap_keeps_contents);
    tcase_add_test(tc, test_list_order_and_removal);
    tcase_add_test(tc, test_ds_format_grows_and_steals);
    tcase_add_test(tc, test_util_string_to_number_rejects_garbage);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
