/* Unit tests for vswitchd/openflow-cfg. */
#include <config.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "ofp-msgs.h"
#include "test-util.h"
#include "util.h"
#include "vswitchd/bridge.h"
#include "vswitchd/openflow-cfg.h"

START_TEST(test_dpid_accepts_exactly_16_hex_digits)
{
    uint64_t dpid = 7;
    ck_assert(vs_dpid_from_string("00000000000000aB", &dpid));
    ck_assert_uint_eq(dpid, 0xab);
    ck_assert(vs_dpid_from_string("0x0123456789abcdef", &dpid));
    ck_assert_uint_eq(dpid, 0x0123456789abcdefULL);
    dpid = 7;
    ck_assert(!vs_dpid_from_string("123456789abcdef", &dpid));     /* 15 */
    ck_assert(!vs_dpid_from_string("0123456789abcdef0", &dpid));   /* 17 */
    ck_assert(!vs_dpid_from_string("0123456789abcdeg", &dpid));
    ck_assert(!vs_dpid_from_string("0000000000000000", &dpid));
    ck_assert(!vs_dpid_from_string("", &dpid));
    ck_assert(!vs_dpid_from_string(NULL, &dpid));
    ck_assert(!vs_dpid_from_string("0x", &dpid));
    ck_assert_uint_eq(dpid, 7);     /* Untouched on failure. */
}
END_TEST

START_TEST(test_dpid_from_mac_and_name)
{
    static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
    char buf[17];

    ck_assert_uint_eq(vs_dpid_from_mac(mac), 0x0000525400123456ULL);
    vs_dpid_format(vs_dpid_from_mac(mac), buf);
    ck_assert_str_eq(buf, "0000525400123456");

    /* Stable, distinct per name, a local unicast MAC in the low 48 bits. */
    uint64_t a = vs_dpid_from_name("br0"), b = vs_dpid_from_name("br1");
    ck_assert_uint_eq(a, vs_dpid_from_name("br0"));
    ck_assert_uint_ne(a, b);
    ck_assert_uint_eq(a >> 48, 0);
    ck_assert_uint_eq((a >> 40) & 0xff, 0x02);
    vs_dpid_format(a, buf);
    ck_assert_uint_eq(strlen(buf), 16);
}
END_TEST

START_TEST(test_protocol_names)
{
    static const char *const some[] = { "OpenFlow13", "OpenFlow10", "bogus" };
    ck_assert_uint_eq(vs_openflow_version_bit("OpenFlow10"),
                      OFP_VERSION_BIT(OFP10_VERSION));
    ck_assert_uint_eq(vs_openflow_version_bit("OpenFlow15"),
                      OFP_VERSION_BIT(OFP15_VERSION));
    ck_assert_uint_eq(vs_openflow_version_bit("openflow13"), 0);
    ck_assert_uint_eq(vs_openflow_versions(some, 3),
                      OFP_VERSION_BIT(OFP10_VERSION)
                      | OFP_VERSION_BIT(OFP13_VERSION));
    ck_assert_uint_eq(vs_openflow_versions(NULL, 0), 0);
}
END_TEST

static void
fill(struct vs_openflow_cfg *of)
{
    memset(of, 0, sizeof *of);
    of->n_controllers = 2;
    of->controllers = xcalloc(2, sizeof *of->controllers);
    of->controllers[0].target = xstrdup("tcp:127.0.0.1:6653");
    of->controllers[1].target = xstrdup("punix:/tmp/x");
    of->controllers[1].probe_interval_ms = -1;
    of->n_tables = 3;
    of->tables = xcalloc(3, sizeof *of->tables);
    of->tables[0] = (struct vs_flow_table_cfg) { 5, xstrdup("five"), 10,
                                                 true };
    of->tables[1] = (struct vs_flow_table_cfg) { 0, NULL, 0, false };
    of->tables[2] = (struct vs_flow_table_cfg) { 5, xstrdup("last"), 20,
                                                 false };
    of->dp_desc = xstrdup("desc");
    of->versions = OFP_VERSION_BIT(OFP13_VERSION);
}

START_TEST(test_tables_sorted_last_duplicate_wins)
{
    struct vs_openflow_cfg of;
    fill(&of);
    vs_flow_tables_sort(&of);
    ck_assert_uint_eq(of.n_tables, 2);
    ck_assert_int_eq(of.tables[0].table_id, 0);
    ck_assert_int_eq(of.tables[1].table_id, 5);
    ck_assert_str_eq(of.tables[1].name, "last");
    ck_assert_uint_eq(of.tables[1].flow_limit, 20);
    vs_openflow_cfg_destroy(&of);
}
END_TEST

START_TEST(test_clone_compares_equal_until_a_field_changes)
{
    struct vs_openflow_cfg a, b;
    fill(&a);
    vs_flow_tables_sort(&a);
    vs_openflow_cfg_clone(&b, &a);
    ck_assert_ptr_ne(a.controllers[0].target, b.controllers[0].target);
    ck_assert(vs_controllers_equal(a.controllers, a.n_controllers,
                                   b.controllers, b.n_controllers));
    ck_assert(vs_flow_tables_equal(&a, &b));
    ck_assert_str_eq(b.dp_desc, "desc");

    b.controllers[1].probe_interval_ms = 5000;
    ck_assert(!vs_controllers_equal(a.controllers, a.n_controllers,
                                    b.controllers, b.n_controllers));
    b.controllers[1].probe_interval_ms = -1;
    ck_assert(!vs_controllers_equal(a.controllers, 2, b.controllers, 1));

    free(b.tables[1].name);
    b.tables[1].name = NULL;
    ck_assert(!vs_flow_tables_equal(&a, &b));
    b.tables[1].name = xstrdup("last");
    b.tables[0].evict = true;
    ck_assert(!vs_flow_tables_equal(&a, &b));

    vs_openflow_cfg_destroy(&a);
    vs_openflow_cfg_destroy(&b);
    ck_assert_uint_eq(b.n_controllers, 0);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("openflow-cfg");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_dpid_accepts_exactly_16_hex_digits);
    tcase_add_test(tc, test_dpid_from_mac_and_name);
    tcase_add_test(tc, test_protocol_names);
    tcase_add_test(tc, test_tables_sorted_last_duplicate_wins);
    tcase_add_test(tc, test_clone_compares_equal_until_a_field_changes);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
