/* Unit tests for vswitchd/cfg-file: the JSON configuration, OpenFlow keys
 * included. */
#include <config.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ofp-msgs.h"
#include "test-util.h"
#include "util.h"
#include "vswitchd/bridge.h"
#include "vswitchd/cfg-file.h"

/* Parses 'json' from a temporary file; returns the error (caller frees). */
static char *
read_json(const char *json, struct vs_cfg *cfg)
{
    char path[] = "/tmp/test-cfg-file.XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, json, strlen(json)), (ssize_t) strlen(json));
    close(fd);
    char *error = cfg_file_read(path, cfg);
    unlink(path);
    return error;
}

START_TEST(test_openflow_keys)
{
    struct vs_cfg cfg;
    char *error = read_json(
        "{\"bridges\": {\"br0\": {"
        "  \"other_config\": {\"datapath-id\": \"00000000000000ab\","
        "                     \"dp-desc\": \"lab\"},"
        "  \"controller\": [\"tcp:127.0.0.1:6653\","
        "                   {\"target\": \"ptcp:6654\", \"max_backoff\": 2000,"
        "                    \"inactivity_probe\": 0,"
        "                    \"controller_rate_limit\": 100,"
        "                    \"controller_burst_limit\": 25}],"
        "  \"fail_mode\": \"secure\","
        "  \"protocols\": [\"OpenFlow10\", \"OpenFlow13\"],"
        "  \"flow_tables\": {\"7\": {\"name\": \"acl\", \"flow_limit\": 3,"
        "                            \"overflow_policy\": \"evict\"},"
        "                    \"2\": {}},"
        "  \"ports\": {\"p1\": {}}}}}", &cfg);
    ck_assert_msg(!error, "%s", error);
    ck_assert_uint_eq(cfg.n_bridges, 1);
    const struct vs_openflow_cfg *of = &cfg.bridges[0].of;
    ck_assert_uint_eq(of->datapath_id, 0xab);
    ck_assert_str_eq(of->dp_desc, "lab");
    ck_assert_uint_eq(of->n_controllers, 2);
    ck_assert_str_eq(of->controllers[0].target, "tcp:127.0.0.1:6653");
    ck_assert_int_eq(of->controllers[0].probe_interval_ms, 0);
    ck_assert_str_eq(of->controllers[1].target, "ptcp:6654");
    ck_assert_int_eq(of->controllers[1].max_backoff_ms, 2000);
    ck_assert_int_eq(of->controllers[1].probe_interval_ms, -1);
    ck_assert_int_eq(of->controllers[1].rate_limit, 100);
    ck_assert_int_eq(of->controllers[1].burst_limit, 25);
    ck_assert(of->fail_secure);
    ck_assert_uint_eq(of->versions, OFP_VERSION_BIT(OFP10_VERSION)
                                    | OFP_VERSION_BIT(OFP13_VERSION));
    ck_assert_uint_eq(of->n_tables, 2);
    ck_assert_int_eq(of->tables[0].table_id, 2);
    ck_assert_ptr_null(of->tables[0].name);
    ck_assert_int_eq(of->tables[1].table_id, 7);
    ck_assert_str_eq(of->tables[1].name, "acl");
    ck_assert_uint_eq(of->tables[1].flow_limit, 3);
    ck_assert(of->tables[1].evict);
    vs_cfg_destroy(&cfg);
}
END_TEST

START_TEST(test_openflow_defaults)
{
    struct vs_cfg cfg;
    char *error = read_json("{\"bridges\": {\"br0\": {}}}", &cfg);
    ck_assert_msg(!error, "%s", error);
    const struct vs_openflow_cfg *of = &cfg.bridges[0].of;
    ck_assert_uint_eq(of->n_controllers, 0);
    ck_assert(!of->fail_secure);
    ck_assert_uint_eq(of->versions, 0);
    ck_assert_uint_eq(of->datapath_id, 0);
    ck_assert_ptr_null(of->dp_desc);
    ck_assert_uint_eq(of->n_tables, 0);
    vs_cfg_destroy(&cfg);
}
END_TEST

START_TEST(test_openflow_errors)
{
    static const struct { const char *json, *msg; } cases[] = {
        { "{\"bridges\": {\"b\": {\"fail_mode\": \"open\"}}}",
          "fail_mode must be standalone or secure" },
        { "{\"bridges\": {\"b\": {\"protocols\": [\"OpenFlow16\"]}}}",
          "unknown protocol \"OpenFlow16\"" },
        { "{\"bridges\": {\"b\": {\"other_config\": "
          "{\"datapath-id\": \"abc\"}}}}", "is not 16 hex digits" },
        { "{\"bridges\": {\"b\": {\"controller\": \"tcp:1.2.3.4:5\"}}}",
          "controller must be an array" },
        { "{\"bridges\": {\"b\": {\"controller\": [{\"max_backoff\": 1}]}}}",
          "a controller must be a target" },
        { "{\"bridges\": {\"b\": {\"flow_tables\": {\"255\": {}}}}}",
          "flow table \"255\" is not 0..254" },
        { "{\"bridges\": {\"b\": {\"flow_tables\": {\"1\": "
          "{\"overflow_policy\": \"drop\"}}}}}", "refuse or evict" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct vs_cfg cfg;
        char *error = read_json(cases[i].json, &cfg);
        ck_assert_msg(error && strstr(error, cases[i].msg),
                      "case %zu: got \"%s\"", i, error ? error : "(none)");
        ck_assert_uint_eq(cfg.n_bridges, 0);     /* Freed on error. */
        free(error);
    }
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("cfg-file");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_openflow_keys);
    tcase_add_test(tc, test_openflow_defaults);
    tcase_add_test(tc, test_openflow_errors);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
