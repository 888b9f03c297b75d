/* Unit tests for the generic batch calls of datapath/dpif.c:
 * dpif_operate() and dpif_recv_batch() over a provider that has neither
 * (a table-driven "memdp" provider kept in this file), so the one-by-one
 * fallback is what runs.  dpif-xdp's own batches are exercised against
 * the kernel by tests/system/dp-batch.sh. */
#include <config.h>
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "datapath/dpif.h"
#include "util.h"

#define MEM_FLOWS 8

/* A datapath that keeps flows in an array and logs executes. */
static struct memdp {
    struct dpif up;
    struct dp_key keys[MEM_FLOWS];
    size_t n_flows;
    uint32_t sent[16];            /* in_port of each executed packet. */
    size_t n_sent;
    int n_upcalls;                /* Waiting to be received. */
    uint8_t pkt[2][64];           /* The last two upcalls' buffers. */
    int n_recv;
} mem;

static int
mem_open(const char *name, bool create VS_UNUSED, struct dpif **dpifp)
{
    memset(&mem, 0, sizeof mem);
    mem.up.name = xstrdup(name);
    *dpifp = &mem.up;
    return 0;
}

static void mem_close(struct dpif *d) { free(d->name); }

static int
mem_flow_put(struct dpif *d VS_UNUSED, const struct dp_key *key,
             const struct dp_key *mask VS_UNUSED,
             const struct dp_action *a VS_UNUSED, size_t n VS_UNUSED,
             enum dpif_put_flags flags, struct dpif_flow_stats *st VS_UNUSED)
{
    for (size_t i = 0; i < mem.n_flows; i++) {
        if (!memcmp(&mem.keys[i], key, sizeof *key)) {
            return flags & DPIF_FP_MODIFY ? 0 : EEXIST;
        }
    }
    if (!(flags & DPIF_FP_CREATE)) {
        return ENOENT;
    }
    if (mem.n_flows >= MEM_FLOWS) {
        return ENOSPC;
    }
    mem.keys[mem.n_flows++] = *key;
    return 0;
}

static int
mem_execute(struct dpif *d VS_UNUSED, const void *p VS_UNUSED,
            size_t len VS_UNUSED, const struct dp_key *key,
            const struct dp_action *a VS_UNUSED, size_t n VS_UNUSED)
{
    mem.sent[mem.n_sent++] = key->in_port;
    return 0;
}

static int
mem_recv(struct dpif *d VS_UNUSED, struct dpif_upcall *u)
{
    if (!mem.n_upcalls) {
        return EAGAIN;
    }
    mem.n_upcalls--;
    memset(u, 0, sizeof *u);
    u->reason = DP_UPCALL_MISS;
    u->packet = mem.pkt[mem.n_recv++ % 2];
    u->len = u->pkt_len = 64;
    return 0;
}

static const struct dpif_class mem_class = {
    .type = "memdp",
    .open = mem_open,
    .close = mem_close,
    .flow_put = mem_flow_put,
    .execute = mem_execute,
    .recv = mem_recv,
};

static struct dpif *
open_mem(void)
{
    struct dpif *dpif;
    int error = dpif_register_class(&mem_class);
    ck_assert(!error || error == EEXIST);
    ck_assert_int_eq(dpif_open("memdp", "t", true, &dpif), 0);
    return dpif;
}

static void
put_op(struct dpif_op *op, const struct dp_key *key,
       const struct dp_key *mask, size_t n_actions,
       enum dpif_put_flags flags)
{
    static const struct dp_action acts[DP_MAX_ACTIONS + 1];
    memset(op, 0, sizeof *op);
    op->type = DPIF_OP_FLOW_PUT;
    op->put.key = key;
    op->put.mask = mask;
    op->put.actions = acts;
    op->put.n_actions = n_actions;
    op->put.flags = flags;
    op->error = -1;                 /* dpif_operate() must set it. */
}

START_TEST(test_operate_fallback_results_per_op)
{
    struct dpif *dpif = open_mem();
    struct dp_key k[4], mask;
    memset(k, 0, sizeof k);
    memset(&mask, 0xff, sizeof mask);
    for (int i = 0; i < 4; i++) {
        k[i].in_port = i + 1;
    }
    ck_assert_int_eq(dpif_flow_put(dpif, &k[3], &mask, NULL, 0,
                                   DPIF_FP_CREATE, NULL), 0);

    struct dpif_op ops[8];
    put_op(&ops[0], &k[0], &mask, 1, DPIF_FP_CREATE);
    put_op(&ops[1], &k[0], &mask, 1, DPIF_FP_CREATE);       /* Duplicate. */
    put_op(&ops[2], &k[1], &mask, DP_MAX_ACTIONS + 1,
           DPIF_FP_CREATE);                                  /* Too long. */
    put_op(&ops[3], &k[2], &mask, 1, DPIF_FP_MODIFY);       /* Absent. */
    put_op(&ops[4], &k[3], &mask, 1, DPIF_FP_CREATE);       /* Installed. */
    memset(&ops[5], 0, sizeof ops[5]);
    ops[5].type = DPIF_OP_EXECUTE;
    ops[5].execute.key = &k[2];
    ops[5].execute.len = 60;
    put_op(&ops[6], &k[1], &mask, 2, DPIF_FP_CREATE);
    memset(&ops[7], 0, sizeof ops[7]);
    ops[7].type = 99;                                        /* Bad type. */
    dpif_operate(dpif, ops, 8);

    ck_assert_int_eq(ops[0].error, 0);
    ck_assert_int_eq(ops[1].error, EEXIST);
    ck_assert_int_eq(ops[2].error, E2BIG);
    ck_assert_int_eq(ops[3].error, ENOENT);
    ck_assert_int_eq(ops[4].error, EEXIST);
    ck_assert_int_eq(ops[5].error, 0);
    ck_assert_int_eq(ops[6].error, 0);
    ck_assert_int_eq(ops[7].error, EINVAL);
    ck_assert_uint_eq(mem.n_flows, 3);          /* k[3], k[0], k[1]. */
    ck_assert_uint_eq(mem.n_sent, 1);
    ck_assert_uint_eq(mem.sent[0], 3);
    dpif_close(dpif);
}
END_TEST

START_TEST(test_recv_batch_fallback_one_at_a_time)
{
    struct dpif *dpif = open_mem();
    struct dpif_upcall u[4];

    mem.n_upcalls = 3;
    /* The next recv may reuse the buffer: one upcall per call. */
    ck_assert_uint_eq(dpif_recv_batch(dpif, u, 4), 1);
    ck_assert_uint_eq(dpif_recv_batch(dpif, u, 0), 0);
    ck_assert_uint_eq(dpif_recv_batch(dpif, u, 4), 1);
    ck_assert_uint_eq(dpif_recv_batch(dpif, u, 4), 1);
    ck_assert_uint_eq(dpif_recv_batch(dpif, u, 4), 0);
    dpif_close(dpif);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("dpif-batch");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_operate_fallback_results_per_op);
    tcase_add_test(tc, test_recv_batch_fallback_one_at_a_time);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
