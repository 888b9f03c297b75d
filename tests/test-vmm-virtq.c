/* Unit tests for vmm/virtq.c: the VMM's reading of guest-written split
 * virtqueues, including hostile rings. */
#include <config.h>
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vmm/virtq.h"
#include "vmm/vmm.h"

enum { MEM = 1 << 20, QSIZE = 8, DESC = 0x1000, AVAIL = 0x2000, USED = 0x3000 };

struct desc { uint64_t addr; uint32_t len; uint16_t flags, next; };

static struct vmm vmm;
static struct virtq vq;

static struct desc *descs(void) { return (struct desc *) (vmm.mem + DESC); }
static uint16_t *avail(void) { return (uint16_t *) (vmm.mem + AVAIL); }
static uint16_t *used_idx(void) { return (uint16_t *) (vmm.mem + USED + 2); }
static uint32_t *used_elem(int i) { return (uint32_t *) (vmm.mem + USED + 4 + 8 * i); }

static void
setup(void)
{
    memset(&vmm, 0, sizeof vmm);
    vmm.mem = calloc(1, MEM);
    vmm.mem_size = vmm.lowmem_size = MEM;
    ck_assert_int_eq(virtq_init(&vq, &vmm, QSIZE, DESC, AVAIL, USED), 0);
}

static void
teardown(void)
{
    free(vmm.mem);
}

static void
publish(uint16_t head)
{
    avail()[2 + avail()[1] % QSIZE] = head;
    avail()[1]++;
}

START_TEST(test_virtq_init_checks_ring_placement)
{
    struct virtq q;
    ck_assert_int_eq(virtq_init(&q, &vmm, 6, DESC, AVAIL, USED), EINVAL);
    ck_assert_int_eq(virtq_init(&q, &vmm, 0, DESC, AVAIL, USED), EINVAL);
    ck_assert_int_eq(virtq_init(&q, &vmm, QSIZE, MEM - 8, AVAIL, USED), EINVAL);
    ck_assert_int_eq(virtq_init(&q, &vmm, QSIZE, DESC, AVAIL, ~0ULL - 4), EINVAL);
    ck_assert_int_eq(virtq_init(&q, &vmm, 2048, DESC, AVAIL, USED), EINVAL);
}
END_TEST

START_TEST(test_virtq_pop_splits_readable_and_writable)
{
    struct virtq_elem e;

    descs()[3] = (struct desc) { 0x10000, 16, 1, 5 };
    descs()[5] = (struct desc) { 0x11000, 512, 1 | 2, 6 };
    descs()[6] = (struct desc) { 0x12000, 1, 2, 0 };
    ck_assert_int_eq(virtq_pop(&vq, &e), EAGAIN);
    publish(3);
    ck_assert_int_eq(virtq_pop(&vq, &e), 0);
    ck_assert_uint_eq(e.head, 3);
    ck_assert_uint_eq(e.n_out, 1);
    ck_assert_uint_eq(e.n_in, 2);
    ck_assert_ptr_eq(e.out[0].iov_base, vmm.mem + 0x10000);
    ck_assert_uint_eq(e.in[0].iov_len, 512);
    ck_assert_ptr_eq(e.in[1].iov_base, vmm.mem + 0x12000);
    ck_assert_int_eq(virtq_pop(&vq, &e), EAGAIN);

    virtq_push(&vq, 3, 513);
    ck_assert_uint_eq(*used_idx(), 1);
    ck_assert_uint_eq(used_elem(0)[0], 3);
    ck_assert_uint_eq(used_elem(0)[1], 513);
}
END_TEST

START_TEST(test_virtq_pop_rejects_loop)
{
    struct virtq_elem e;
    descs()[0] = (struct desc) { 0x10000, 16, 1, 1 };
    descs()[1] = (struct desc) { 0x10000, 16, 1, 0 };
    publish(0);
    ck_assert_int_eq(virtq_pop(&vq, &e), EINVAL);
}
END_TEST

START_TEST(test_virtq_pop_rejects_buffer_outside_memory)
{
    struct virtq_elem e;
    descs()[0] = (struct desc) { MEM - 8, 16, 0, 0 };
    publish(0);
    ck_assert_int_eq(virtq_pop(&vq, &e), EINVAL);
}
END_TEST

START_TEST(test_virtq_pop_rejects_bad_indexes)
{
    struct virtq_elem e;
    struct virtq q2;

    /* Head out of range. */
    publish(QSIZE + 1);
    ck_assert_int_eq(virtq_pop(&vq, &e), EINVAL);

    /* Next out of range. */
    ck_assert_int_eq(virtq_init(&q2, &vmm, QSIZE, DESC, AVAIL, USED), 0);
    memset(avail(), 0, 4 + 2 * QSIZE);
    descs()[0] = (struct desc) { 0x10000, 16, 1, 99 };
    publish(0);
    ck_assert_int_eq(virtq_pop(&q2, &e), EINVAL);

    /* Avail index more than a ring ahead. */
    ck_assert_int_eq(virtq_init(&q2, &vmm, QSIZE, DESC, AVAIL, USED), 0);
    avail()[1] = QSIZE + 5;
    ck_assert_int_eq(virtq_pop(&q2, &e), EINVAL);
}
END_TEST

START_TEST(test_virtq_pop_rejects_readable_after_writable)
{
    struct virtq_elem e;
    descs()[0] = (struct desc) { 0x10000, 16, 1 | 2, 1 };
    descs()[1] = (struct desc) { 0x11000, 16, 0, 0 };
    publish(0);
    ck_assert_int_eq(virtq_pop(&vq, &e), EINVAL);
}
END_TEST

START_TEST(test_virtq_pop_rejects_indirect)
{
    struct virtq_elem e;
    descs()[0] = (struct desc) { 0x10000, 32, 4, 0 };
    publish(0);
    ck_assert_int_eq(virtq_pop(&vq, &e), EINVAL);
}
END_TEST

START_TEST(test_virtq_notify_honours_no_interrupt)
{
    avail()[0] = 0;
    ck_assert(virtq_should_notify(&vq));
    avail()[0] = 1;
    ck_assert(!virtq_should_notify(&vq));
}
END_TEST

START_TEST(test_iov_helpers_copy_across_segments)
{
    char a[3], b[5], out[8];
    struct iovec iov[2] = { { a, sizeof a }, { b, sizeof b } };

    ck_assert_uint_eq(iov_size(iov, 2), 8);
    ck_assert_uint_eq(buf_to_iov("abcdefgh", 8, iov, 2, 0), 8);
    ck_assert_uint_eq(iov_to_buf(iov, 2, out, 8), 8);
    ck_assert(!memcmp(out, "abcdefgh", 8));
    ck_assert_uint_eq(buf_to_iov("XY", 2, iov, 2, 2), 2);
    ck_assert(!memcmp(a, "abX", 3) && b[0] == 'Y');
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("vmm-virtq");
    TCase *tc = tcase_create("virtq");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_virtq_init_checks_ring_placement);
    tcase_add_test(tc, test_virtq_pop_splits_readable_and_writable);
    tcase_add_test(tc, test_virtq_pop_rejects_loop);
    tcase_add_test(tc, test_virtq_pop_rejects_buffer_outside_memory);
    tcase_add_test(tc, test_virtq_pop_rejects_bad_indexes);
    tcase_add_test(tc, test_virtq_pop_rejects_readable_after_writable);
    tcase_add_test(tc, test_virtq_pop_rejects_indirect);
    tcase_add_test(tc, test_virtq_notify_honours_no_interrupt);
    tcase_add_test(tc, test_iov_helpers_copy_across_segments);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
