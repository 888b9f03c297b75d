/* Unit tests for lib/heap. */
#include <config.h>
#include <check.h>
#include <stdlib.h>

#include "heap.h"
#include "test-util.h"

struct item {
    struct heap_node node;
    int id;
};

/* Checks the heap property and that every node knows its index. */
static void
check_heap(const struct heap *h)
{
    for (size_t i = 1; i <= h->n; i++) {
        ck_assert_uint_eq(h->array[i]->idx, i);
        if (i > 1) {
            ck_assert_int_le(h->array[i]->priority,
                             h->array[i / 2]->priority);
        }
    }
}

START_TEST(test_pop_returns_descending_priorities)
{
    enum { N = 1000 };
    struct heap h = HEAP_INITIALIZER(&h);
    struct item *items = calloc(N, sizeof *items);
    srand(7);
    for (int i = 0; i < N; i++) {
        items[i].id = i;
        heap_insert(&h, &items[i].node, rand() % 200 - 100);
    }
    check_heap(&h);
    ck_assert_uint_eq(heap_count(&h), N);
    long long prev = 1000;
    for (int i = 0; i < N; i++) {
        struct heap_node *n = heap_pop(&h);
        ck_assert_ptr_nonnull(n);
        ck_assert_int_le(n->priority, prev);
        prev = n->priority;
    }
    ck_assert(heap_is_empty(&h));
    ck_assert_ptr_null(heap_pop(&h));
    ck_assert_ptr_null(heap_max(&h));
    heap_destroy(&h);
    free(items);
}
END_TEST

START_TEST(test_change_and_remove_keep_order)
{
    enum { N = 300 };
    struct heap h;
    struct item *items = calloc(N, sizeof *items);
    heap_init(&h);
    for (int i = 0; i < N; i++) {
        items[i].id = i;
        heap_insert(&h, &items[i].node, i);
    }
    struct item *top = OBJECT_CONTAINING(heap_max(&h), top, node);
    ck_assert_int_eq(top->id, N - 1);

    /* Raise a low one to the top, drop the top to the bottom. */
    heap_change(&h, &items[3].node, 10000);
    heap_change(&h, &items[N - 1].node, -5);
    check_heap(&h);
    top = OBJECT_CONTAINING(heap_max(&h), top, node);
    ck_assert_int_eq(top->id, 3);

    /* Remove every third item from the middle. */
    for (int i = 0; i < N; i += 3) {
        heap_remove(&h, &items[i].node);
        check_heap(&h);
    }
    ck_assert_uint_eq(heap_count(&h), N - N / 3);

    int seen = 0;
    struct item *it;
    HEAP_FOR_EACH (it, node, &h) {
        ck_assert_int_ne(it->id % 3, 0);
        seen++;
    }
    ck_assert_int_eq(seen, N - N / 3);

    long long prev = 1000000;
    while (!heap_is_empty(&h)) {
        struct heap_node *n = heap_pop(&h);
        ck_assert_int_le(n->priority, prev);
        prev = n->priority;
    }
    ck_assert_int_eq(prev, -5);
    heap_destroy(&h);
    free(items);
}
END_TEST

START_TEST(test_random_operations_match_invariant)
{
    enum { N = 200, OPS = 20000 };
    struct heap h = HEAP_INITIALIZER(&h);
    struct item items[N];
    bool in[N] = { false };
    srand(11);
    for (int op = 0; op < OPS; op++) {
        int i = rand() % N;
        long long prio = rand() % 1000;
        if (!in[i]) {
            heap_insert(&h, &items[i].node, prio);
            in[i] = true;
        } else if (rand() % 2) {
            heap_change(&h, &items[i].node, prio);
            ck_assert_int_eq(items[i].node.priority, prio);
        } else {
            heap_remove(&h, &items[i].node);
            in[i] = false;
        }
        if (op % 97 == 0) {
            check_heap(&h);
        }
    }
    check_heap(&h);
    heap_destroy(&h);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("heap");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_pop_returns_descending_priorities);
    tcase_add_test(tc, test_change_and_remove_keep_order);
    tcase_add_test(tc, test_random_operations_match_invariant);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
