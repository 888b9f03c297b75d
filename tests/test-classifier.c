/* Unit tests for lib/classifier: against a brute-force linear search on
 * random rules and packets, wildcard soundness and narrowness, replace,
 * remove, exact find, iteration with a target, and a 100,000-rule run
 * whose rates are printed (never asserted). */
#include <config.h>
#include <check.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "classifier.h"
#include "match.h"
#include "ofp-parse.h"
#include "util.h"

static uint32_t rng_state = 12345;
static uint32_t
rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

/* A small value space so that random packets often match random rules. */
static const uint32_t addrs[] = { 0x0a000001, 0x0a000102, 0x0a010203, 0xc0a80001,
                                  0xc0a80164, 0xac100001 };
static const int plens[] = { 8, 16, 24, 32 };
static const uint16_t ports[] = { 22, 80, 443, 8080 };

static void
random_flow(struct flow *f)
{
    memset(f, 0, sizeof *f);
    f->in_port = 1 + rnd() % 4;
    f->dl_type = htons(rnd() % 4 ? ETH_TYPE_IP : ETH_TYPE_ARP);
    f->dl_src.ea[5] = rnd() % 3;
    f->nw_src = htonl(addrs[rnd() % ARRAY_SIZE(addrs)] ^ (rnd() % 4));
    f->nw_dst = htonl(addrs[rnd() % ARRAY_SIZE(addrs)] ^ (rnd() % 4));
    f->nw_proto = rnd() % 2 ? IPPROTO_TCP : IPPROTO_UDP;
    f->tp_src = htons(ports[rnd() % ARRAY_SIZE(ports)]);
    f->tp_dst = htons(ports[rnd() % ARRAY_SIZE(ports)]);
    if (rnd() % 2) {
        f->vlans[0].tci = htons(VLAN_CFI | (rnd() % 3));
    }
}

static void
random_match(struct match *m)
{
    struct flow f;
    random_flow(&f);
    match_init_catchall(m);
    if (rnd() % 3 == 0) {
        match_set_in_port(m, f.in_port);
    }
    if (rnd() % 2) {
        match_set_dl_type(m, f.dl_type);
    }
    if (rnd() % 5 == 0) {
        struct eth_addr mask = ETH_ADDR_C(ff, ff, ff, ff, ff, ff);
        match_set_dl_src_masked(m, f.dl_src, mask);
    }
    if (rnd() % 3 == 0) {
        int p = plens[rnd() % ARRAY_SIZE(plens)];
        match_set_nw_src_masked(m, f.nw_src, htonl(UINT32_MAX << (32 - p)));
    }
    if (rnd() % 2) {
        int p = plens[rnd() % ARRAY_SIZE(plens)];
        match_set_nw_dst_masked(m, f.nw_dst, htonl(UINT32_MAX << (32 - p)));
    }
    if (rnd() % 3 == 0) {
        match_set_nw_proto(m, f.nw_proto);
    }
    if (rnd() % 3 == 0) {
        match_set_tp_dst_masked(m, f.tp_dst, 0xffff);
    }
    if (rnd() % 6 == 0) {
        match_set_vlan_tci_masked(m, f.vlans[0].tci, htons(0x1fff));
    }
}

static const struct cls_rule *
brute_lookup(struct cls_rule **rules, size_t n, const struct flow *flow)
{
    const struct cls_rule *best = NULL;
    for (size_t i = 0; i < n; i++) {
        if (rules[i] && match_matches_flow(&rules[i]->match, flow)
            && (!best || rules[i]->priority > best->priority)) {
            best = rules[i];
        }
    }
    return best;
}

static int
prio(const struct cls_rule *r)
{
    return r ? r->priority : -1;
}

/* Checks one lookup against brute force, then that changing bits outside
 * the reported wildcards does not change the answer. */
static size_t n_hits;

static void
check_lookup(const struct classifier *cls, struct cls_rule **rules, size_t n,
             const struct flow *flow)
{
    struct flow_wildcards wc;
    memset(&wc, 0, sizeof wc);
    const struct cls_rule *got = classifier_lookup(cls, flow, &wc);
    const struct cls_rule *want = brute_lookup(rules, n, flow);
    ck_assert_int_eq(prio(got), prio(want));
    n_hits += got != NULL;
    if (got) {
        ck_assert(match_matches_flow(&got->match, flow));
    }

    struct flow other;
    random_flow(&other);
    uint64_t *o = flow_u64_rw(&other);
    const uint64_t *f = flow_u64(flow), *w = flow_u64(&wc.masks);
    for (size_t i = 0; i < FLOW_U64S; i++) {
        o[i] = (f[i] & w[i]) | (o[i] & ~w[i]);
    }
    const struct cls_rule *got2 = classifier_lookup(cls, &other, NULL);
    ck_assert_int_eq(prio(got2), prio(want));
}

START_TEST(test_classifier_matches_brute_force_on_random_rules)
{
    enum { N_RULES = 2000, N_PACKETS = 5000 };
    struct classifier cls;
    struct cls_rule **rules = xcalloc(N_RULES, sizeof *rules);
    size_t n = 0;

    classifier_init(&cls);
    for (size_t i = 0; i < N_RULES; i++) {
        struct match m;
        random_match(&m);
        int priority = rnd() % 1000;
        if (classifier_find_exactly(&cls, &m, priority)) {
            continue;
        }
        rules[n] = xmalloc(sizeof *rules[n]);
        cls_rule_init(rules[n], &m, priority);
        classifier_insert(&cls, rules[n]);
        n++;
    }
    ck_assert_uint_eq(classifier_count(&cls), n);
    for (size_t i = 0; i < N_PACKETS; i++) {
        struct flow f;
        random_flow(&f);
        check_lookup(&cls, rules, n, &f);
    }

    /* The value space is small enough that most packets hit something. */
    ck_assert_uint_gt(n_hits, N_PACKETS / 2);
    printf("random rules: %zu rules, %zu subtables, %zu/%d packets hit\n",
           n, classifier_n_subtables(&cls), n_hits, N_PACKETS);

    /* Remove a random half and check again. */
    for (size_t i = 0; i < n; i++) {
        if (rnd() % 2) {
            classifier_remove(&cls, rules[i]);
            free(rules[i]);
            rules[i] = NULL;
        }
    }
    for (size_t i = 0; i < N_PACKETS; i++) {
        struct flow f;
        random_flow(&f);
        check_lookup(&cls, rules, n, &f);
    }
    for (size_t i = 0; i < n; i++) {
        if (rules[i]) {
            classifier_remove(&cls, rules[i]);
            free(rules[i]);
        }
    }
    ck_assert(classifier_is_empty(&cls));
    ck_assert_uint_eq(classifier_n_subtables(&cls), 0);
    classifier_destroy(&cls);
    free(rules);
}
END_TEST

static void
parse_match_or_die(const char *s, struct match *m, int *priority)
{
    char *error = ofp_parse_match(s, m, priority);
    if (error) {
        ck_abort_msg("%s: %s", s, error);
    }
}

START_TEST(test_classifier_prefix_trie_keeps_nw_dst_wildcards_narrow)
{
    struct classifier cls;
    struct cls_rule r1, r2;
    struct match m;
    int priority;
    classifier_init(&cls);
    parse_match_or_die("priority=10,ip,nw_dst=10.0.0.0/8", &m, &priority);
    cls_rule_init(&r1, &m, priority);
    classifier_insert(&cls, &r1);
    parse_match_or_die("priority=20,ip,nw_dst=192.168.0.0/16", &m, &priority);
    cls_rule_init(&r2, &m, priority);
    classifier_insert(&cls, &r2);

    struct flow f;
    memset(&f, 0, sizeof f);
    f.dl_type = htons(ETH_TYPE_IP);
    inet_pton(AF_INET, "172.16.5.5", &f.nw_dst);
    struct flow_wildcards wc;
    memset(&wc, 0, sizeof wc);
    ck_assert_ptr_null(classifier_lookup(&cls, &f, &wc));
    /* 172 = 1010 1100; 10 = 0000 1010; 192 = 1100 0000: the trie looks at
     * no more than the first few bits to rule out both prefixes. */
    ck_assert_int_le(__builtin_popcount(wc.masks.nw_dst), 8);

    inet_pton(AF_INET, "10.1.2.3", &f.nw_dst);
    memset(&wc, 0, sizeof wc);
    ck_assert_ptr_eq(classifier_lookup(&cls, &f, &wc), &r1);
    ck_assert_int_le(__builtin_popcount(wc.masks.nw_dst), 16);
    classifier_remove(&cls, &r1);
    classifier_remove(&cls, &r2);
    classifier_destroy(&cls);
}
END_TEST

START_TEST(test_classifier_staged_lookup_ignores_l4_after_metadata_miss)
{
    struct classifier cls;
    struct cls_rule r;
    struct match m;
    int priority;
    classifier_init(&cls);
    parse_match_or_die("in_port=1,tcp,tp_dst=80", &m, &priority);
    cls_rule_init(&r, &m, priority);
    classifier_insert(&cls, &r);

    struct flow f;
    memset(&f, 0, sizeof f);
    f.in_port = 2;
    f.dl_type = htons(ETH_TYPE_IP);
    f.nw_proto = IPPROTO_TCP;
    f.tp_dst = htons(80);
    struct flow_wildcards wc;
    memset(&wc, 0, sizeof wc);
    ck_assert_ptr_null(classifier_lookup(&cls, &f, &wc));
    ck_assert_uint_eq(wc.masks.in_port, UINT32_MAX);
    ck_assert_uint_eq(wc.masks.tp_dst, 0);
    ck_assert_uint_eq(wc.masks.nw_proto, 0);

    f.in_port = 1;
    memset(&wc, 0, sizeof wc);
    ck_assert_ptr_eq(classifier_lookup(&cls, &f, &wc), &r);
    ck_assert_uint_eq(wc.masks.tp_dst, 0xffff);
    classifier_remove(&cls, &r);
    classifier_destroy(&cls);
}
END_TEST

START_TEST(test_classifier_replace_find_collect_overlap)
{
    struct classifier cls;
    struct cls_rule a, b, c, d;
    struct match m, loose;
    int priority;
    classifier_init(&cls);

    parse_match_or_die("priority=5,tcp,nw_src=1.2.3.4,tp_dst=80", &m, &priority);
    cls_rule_init(&a, &m, priority);
    cls_rule_init(&b, &m, priority);
    cls_rule_init(&c, &m, 7);
    ck_assert_ptr_null(classifier_replace(&cls, &a));
    ck_assert_ptr_eq(classifier_replace(&cls, &b), &a);
    ck_assert_ptr_null(classifier_replace(&cls, &c));
    ck_assert_uint_eq(classifier_count(&cls), 2);
    ck_assert_ptr_eq(classifier_find_exactly(&cls, &m, 5), &b);
    ck_assert_ptr_eq(classifier_find_exactly(&cls, &m, 7), &c);
    ck_assert_ptr_null(classifier_find_exactly(&cls, &m, 6));

    parse_match_or_die("priority=5,udp,nw_src=1.2.3.4", &m, &priority);
    cls_rule_init(&d, &m, priority);
    classifier_insert(&cls, &d);

    /* Non-strict target "ip,nw_src=1.2.3.0/24" covers all three. */
    parse_match_or_die("ip,nw_src=1.2.3.0/24", &loose, NULL);
    size_t n;
    struct cls_rule **rules = classifier_collect(&cls, &loose, &n);
    ck_assert_uint_eq(n, 3);
    free(rules);
    parse_match_or_die("tcp", &loose, NULL);
    rules = classifier_collect(&cls, &loose, &n);
    ck_assert_uint_eq(n, 2);
    free(rules);

    /* tcp,tp_dst=80 vs udp: disjoint; same-priority tcp rule overlaps. */
    ck_assert(!classifier_rule_overlaps(&cls, &d));
    struct cls_rule e;
    parse_match_or_die("priority=5,ip,tcp", &m, &priority);
    cls_rule_init(&e, &m, priority);
    ck_assert(classifier_rule_overlaps(&cls, &e));

    struct flow f;
    memset(&f, 0, sizeof f);
    f.dl_type = htons(ETH_TYPE_IP);
    f.nw_proto = IPPROTO_TCP;
    inet_pton(AF_INET, "1.2.3.4", &f.nw_src);
    f.tp_dst = htons(80);
    ck_assert_ptr_eq(classifier_lookup(&cls, &f, NULL), &c);
    classifier_remove(&cls, &c);
    ck_assert_ptr_eq(classifier_lookup(&cls, &f, NULL), &b);
    classifier_remove(&cls, &b);
    ck_assert_ptr_null(classifier_lookup(&cls, &f, NULL));
    classifier_remove(&cls, &d);
    ck_assert(classifier_is_empty(&cls));
    classifier_destroy(&cls);
}
END_TEST

static double
now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

START_TEST(test_classifier_100k_rules_insert_and_lookup_rate)
{
    enum { N = 100000, N_LOOKUPS = 200000 };
    struct classifier cls;
    struct cls_rule *rules = xcalloc(N, sizeof *rules);
    classifier_init(&cls);

    /* Realistic shapes: /32 host routes, /24 subnets, 5-tuple-ish ACLs. */
    double t0 = now();
    for (uint32_t i = 0; i < N; i++) {
        struct match m;
        match_init_catchall(&m);
        match_set_dl_type(&m, htons(ETH_TYPE_IP));
        switch (i % 3) {
        case 0:
            match_set_nw_dst_masked(&m, htonl(0x0a000000 + i), UINT32_MAX);
            break;
        case 1:
            match_set_nw_dst_masked(&m, htonl(0x0b000000 + (i << 8)), htonl(0xffffff00));
            break;
        default:
            match_set_nw_proto(&m, IPPROTO_TCP);
            match_set_nw_src_masked(&m, htonl(0x0c000000 + i), UINT32_MAX);
            match_set_tp_dst_masked(&m, htons(i % 1024), 0xffff);
            break;
        }
        cls_rule_init(&rules[i], &m, i % 3 == 0 ? 300 : i % 3 == 1 ? 200 : 400);
        classifier_insert(&cls, &rules[i]);
    }
    double t1 = now();
    size_t hits = 0;
    for (uint32_t i = 0; i < N_LOOKUPS; i++) {
        struct flow f;
        memset(&f, 0, sizeof f);
        f.dl_type = htons(ETH_TYPE_IP);
        f.nw_proto = IPPROTO_TCP;
        uint32_t k = rnd() % N;
        f.nw_dst = htonl(k % 2 ? 0x0a000000 + k : 0x0b000000 + (k << 8) + 7);
        f.nw_src = htonl(0x0c000000 + (rnd() % N));
        f.tp_dst = htons(rnd() % 1024);
        struct flow_wildcards wc;
        memset(&wc, 0, sizeof wc);
        hits += classifier_lookup(&cls, &f, &wc) != NULL;
    }
    double t2 = now();
    printf("classifier: %d rules in %zu subtables: %.0f inserts/s, "
           "%.0f lookups/s (%zu hits)\n", N, classifier_n_subtables(&cls),
           N / (t1 - t0), N_LOOKUPS / (t2 - t1), hits);
    ck_assert_uint_eq(classifier_count(&cls), N);
    ck_assert_uint_gt(hits, 0);
    for (uint32_t i = 0; i < N; i++) {
        classifier_remove(&cls, &rules[i]);
    }
    ck_assert(classifier_is_empty(&cls));
    classifier_destroy(&cls);
    free(rules);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("classifier");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_classifier_matches_brute_force_on_random_rules);
    tcase_add_test(tc, test_classifier_prefix_trie_keeps_nw_dst_wildcards_narrow);
    tcase_add_test(tc, test_classifier_staged_lookup_ignores_l4_after_metadata_miss);
    tcase_add_test(tc, test_classifier_replace_find_collect_overlap);
    tcase_add_test(tc, test_classifier_100k_rules_insert_and_lookup_rate);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
