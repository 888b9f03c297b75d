/* Unit tests for lib/hmap, lib/list, lib/dynamic-string and
 * lib/handle-pool. */
#include <config.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "dynamic-string.h"
#include "handle-pool.h"
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

START_TEST(test_handle_pool_alloc_get_free_walk)
{
    enum { N = 3 * HANDLE_POOL_CHUNK + 7 };   /* Spans four chunks. */
    struct handle_pool p;
    static uint32_t handles[N];

    handle_pool_init(&p, 20);
    ck_assert_ptr_null(handle_pool_get(&p, 0));
    ck_assert_ptr_null(handle_pool_get(&p, 1));
    ck_assert_uint_eq(handle_pool_next(&p, 0), 0);
    for (uint32_t i = 0; i < N; i++) {
        uint32_t *obj = handle_pool_alloc(&p, &handles[i]);
        ck_assert_uint_ne(handles[i], 0);
        obj[0] = i;
        obj[4] = ~i;              /* The whole 20 bytes are the object's. */
    }
    ck_assert_uint_eq(handle_pool_count(&p), N);
    for (uint32_t i = 0; i < N; i++) {
        uint32_t *obj = handle_pool_get(&p, handles[i]);
        ck_assert_ptr_nonnull(obj);
        ck_assert_uint_eq(obj[0], i);
        ck_assert_uint_eq(obj[4], ~i);
    }
    /* Anything else is safe to ask about. */
    ck_assert_ptr_null(handle_pool_get(&p, UINT32_MAX));
    ck_assert_ptr_null(handle_pool_get(&p, 4 * HANDLE_POOL_CHUNK + 1));

    /* Free every third; the walk finds exactly the rest, in order. */
    for (uint32_t i = 0; i < N; i += 3) {
        handle_pool_free(&p, handles[i]);
        ck_assert_ptr_null(handle_pool_get(&p, handles[i]));
    }
    size_t n = 0;
    uint32_t last = 0;
    for (uint32_t h = handle_pool_next(&p, 0); h;
         h = handle_pool_next(&p, h)) {
        ck_assert_uint_gt(h, last);
        last = h;
        uint32_t *obj = handle_pool_get(&p, h);
        ck_assert_ptr_nonnull(obj);
        ck_assert_uint_ne(obj[0] % 3, 0);
        handle_pool_free(&p, h);  /* Freeing during the walk is fine. */
        n++;
    }
    ck_assert_uint_eq(n, N - DIV_ROUND_UP(N, 3));
    ck_assert_uint_eq(handle_pool_count(&p), 0);

    /* Freed objects come back before a new chunk is mapped. */
    uint32_t h;
    handle_pool_alloc(&p, &h);
    ck_assert_uint_le(h, N);
    ck_assert_uint_eq(p.n_chunks, 4);
    handle_pool_destroy(&p);
}
END_TEST

/* handle_pool_reserve() maps chunks ahead of need, as many per call as
 * allowed; what it made is handed out lowest handle first, after freed
 * objects, and no chunk is mapped until it is used up. */
START_TEST(test_handle_pool_reserve)
{
    struct handle_pool p;

    handle_pool_init(&p, 24);
    ck_assert(!handle_pool_reserve(&p, 3 * HANDLE_POOL_CHUNK, 0));
    ck_assert_uint_eq(p.n_chunks, 0);
    ck_assert(!handle_pool_reserve(&p, 3 * HANDLE_POOL_CHUNK, 2));
    ck_assert_uint_eq(p.n_chunks, 2);
    ck_assert(handle_pool_reserve(&p, 3 * HANDLE_POOL_CHUNK, 2));
    ck_assert_uint_eq(p.n_chunks, 3);
    ck_assert(handle_pool_reserve(&p, 3 * HANDLE_POOL_CHUNK, 0));
    ck_assert(handle_pool_reserve(&p, 1, 0));
    ck_assert_uint_eq(handle_pool_count(&p), 0);

    uint32_t h, first;
    handle_pool_alloc(&p, &first);
    ck_assert_uint_eq(first, 1);
    handle_pool_alloc(&p, &h);
    ck_assert_uint_eq(h, 2);
    handle_pool_free(&p, first);
    handle_pool_alloc(&p, &h);
    ck_assert_uint_eq(h, first);        /* The freed one first. */
    for (uint32_t want = 3; want <= 3 * HANDLE_POOL_CHUNK; want++) {
        handle_pool_alloc(&p, &h);
        ck_assert_uint_eq(h, want);
    }
    ck_assert_uint_eq(p.n_chunks, 3);
    handle_pool_alloc(&p, &h);          /* Now a fourth. */
    ck_assert_uint_eq(h, 3 * HANDLE_POOL_CHUNK + 1);
    ck_assert_uint_eq(p.n_chunks, 4);
    handle_pool_destroy(&p);
}
END_TEST

/* Handles taken with handle_pool_alloc_at() (records of flows another
 * process numbered) are never handed out again until freed, also when
 * taken out of order, beyond the mapped chunks, and many times over. */
START_TEST(test_handle_pool_alloc_at)
{
    enum { N = 2 * HANDLE_POOL_CHUNK };
    struct handle_pool p;
    static uint8_t taken[N + 1];

    handle_pool_init(&p, 16);
    ck_assert_ptr_null(handle_pool_alloc_at(&p, 0));
    ck_assert_ptr_null(handle_pool_alloc_at(&p, HANDLE_POOL_MAX_AT + 1));
    /* Every odd handle, from the top down (a dump's order is arbitrary):
     * the second chunk is mapped for them. */
    for (uint32_t h = N - 1; h >= 1 && h <= N; h -= 2) {
        ck_assert_ptr_nonnull(handle_pool_alloc_at(&p, h));
        taken[h] = 1;
    }
    ck_assert_ptr_null(handle_pool_alloc_at(&p, 1));     /* In use. */
    ck_assert_uint_eq(handle_pool_count(&p), N / 2);
    /* New handles are the even ones, each once, then a third chunk. */
    for (uint32_t i = 0; i < N / 2; i++) {
        uint32_t h;
        handle_pool_alloc(&p, &h);
        ck_assert_uint_le(h, N);
        ck_assert_uint_eq(taken[h], 0);
        taken[h] = 1;
    }
    uint32_t h;
    handle_pool_alloc(&p, &h);
    ck_assert_uint_gt(h, N);
    /* Freeing and taking them again many times keeps the free stack in
     * bounds (taken handles stay on it until popped). */
    for (int round = 0; round < 3; round++) {
        for (uint32_t k = 1; k <= N; k += 2) {
            handle_pool_free(&p, k);
        }
        for (uint32_t k = 1; k <= N; k += 2) {
            ck_assert_ptr_nonnull(handle_pool_alloc_at(&p, k));
        }
    }
    ck_assert_uint_eq(handle_pool_count(&p), N + 1);
    handle_pool_destroy(&p);
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
    tcase_add_test(tc, test_handle_pool_alloc_get_free_walk);
    tcase_add_test(tc, test_handle_pool_alloc_at);
    tcase_add_test(tc, test_handle_pool_reserve);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
