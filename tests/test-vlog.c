/* Unit tests for lib/vlog: levels, specs, patterns, the log file, reopening
 * and rate limiting, checked against what actually lands in the file. */
#include <config.h>
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dynamic-string.h"
#include "vlog.h"
#include "test-util.h"

VLOG_DEFINE_THIS_MODULE(test_vlog);

static char dir[64];
static char log_path[128];

static void
setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/vs-vlog-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(log_path, sizeof log_path, "%s/test.log", dir);
    ck_assert_int_eq(vlog_set_log_file(log_path), 0);
    /* Keep the test's stderr quiet. */
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_OFF);
}

static void
teardown(void)
{
    char cmd[128];
    vlog_close_log_file();
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* Returns the contents of 'path' (caller frees). */
static char *
slurp(const char *path)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    FILE *f = fopen(path, "r");
    if (f) {
        int c;
        while ((c = getc(f)) != EOF) {
            ds_put_char(&s, c);
        }
        fclose(f);
    }
    return ds_steal_cstr(&s);
}

static int
count_substr(const char *s, const char *needle)
{
    int n = 0;
    for (const char *p = s; (p = strstr(p, needle)) != NULL; p++) {
        n++;
    }
    return n;
}

START_TEST(test_file_gets_info_but_not_dbg_by_default)
{
    VLOG_INFO("hello %d", 42);
    VLOG_DBG("hidden debug");
    VLOG_WARN("a warning");
    char *text = slurp(log_path);
    ck_assert_ptr_nonnull(strstr(text, "|test_vlog|INFO|hello 42\n"));
    ck_assert_ptr_nonnull(strstr(text, "|test_vlog|WARN|a warning\n"));
    ck_assert_ptr_null(strstr(text, "hidden debug"));
    /* Default file pattern: ISO-8601 UTC time with milliseconds, then a
     * 5-digit sequence number. */
    const char *line = strstr(text, "hello 42");
    while (line > text && line[-1] != '\n') {
        line--;
    }
    int y, mo, d, h, mi, s, ms, seq;
    ck_assert_int_eq(sscanf(line, "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ|%5d|",
                            &y, &mo, &d, &h, &mi, &s, &ms, &seq), 8);
    ck_assert_int_ge(y, 2020);
    free(text);
}
END_TEST

START_TEST(test_spec_sets_module_destination_level)
{
    char *error = vlog_set_levels_from_string("test_vlog:file:dbg");
    ck_assert_ptr_null(error);
    ck_assert_int_eq(vlog_get_level(THIS_MODULE, VLF_FILE), VLL_DBG);
    ck_assert_int_eq(vlog_get_level(THIS_MODULE, VLF_CONSOLE), VLL_OFF);
    VLOG_DBG("now visible");
    char *text = slurp(log_path);
    ck_assert_ptr_nonnull(strstr(text, "|test_vlog|DBG|now visible"));
    free(text);

    /* Words in any order, ANY for all modules, level names any case. */
    ck_assert_ptr_null(vlog_set_levels_from_string("ERR:file:ANY"));
    ck_assert_int_eq(vlog_get_level(THIS_MODULE, VLF_FILE), VLL_ERR);
    ck_assert_int_eq(vlog_get_level(vlog_module_from_name("vlog"), VLF_FILE),
                     VLL_ERR);
    ck_assert_ptr_null(vlog_set_levels_from_string("ANY:console:warn"));
    ck_assert_int_eq(vlog_get_level(THIS_MODULE, VLF_CONSOLE), VLL_WARN);
    ck_assert_int_eq(vlog_get_level(THIS_MODULE, VLF_FILE), VLL_ERR);
    /* Omitted level means dbg; omitted destination means all. */
    ck_assert_ptr_null(vlog_set_levels_from_string("test_vlog"));
    ck_assert_int_eq(vlog_get_level(THIS_MODULE, VLF_SYSLOG), VLL_DBG);
    ck_assert_ptr_null(vlog_set_levels_from_string("test_vlog:off"));
    VLOG_EMER("must not appear");
    text = slurp(log_path);
    ck_assert_ptr_null(strstr(text, "must not appear"));
    free(text);
}
END_TEST

START_TEST(test_bad_specs_are_rejected_with_message)
{
    static const char *bad[] = {
        "nosuchmodule:file:dbg", "test_vlog:file:loud", "file:console",
        "dbg:info", "test_vlog:vlog", "", "pattern:nowhere:%m",
        "pattern:file", "facility:nosuch",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *error = vlog_set_levels_from_string(bad[i]);
        ck_assert_msg(error != NULL, "spec \"%s\" accepted", bad[i]);
        free(error);
    }
    char *error = vlog_set_levels_from_string("test_vlog:file:loud");
    ck_assert_str_eq(error,
                     "unknown module, destination, or level \"loud\"");
    free(error);
    /* Nothing changed. */
    ck_assert_int_eq(vlog_get_level(THIS_MODULE, VLF_FILE), VLL_INFO);
}
END_TEST

START_TEST(test_list_shows_every_module)
{
    vlog_set_levels(THIS_MODULE, VLF_FILE, VLL_DBG);
    char *list = vlog_get_levels();
    ck_assert_ptr_nonnull(strstr(list, "console"));
    ck_assert_ptr_nonnull(strstr(list, "poll_loop"));
    const char *line = strstr(list, "\ntest_vlog ");
    ck_assert_ptr_nonnull(line);
    char name[32], c[8], s[8], f[8];
    ck_assert_int_eq(sscanf(line + 1, "%31s %7s %7s %7s", name, c, s, f), 4);
    ck_assert_str_eq(c, "OFF");
    ck_assert_str_eq(s, "OFF");
    ck_assert_str_eq(f, "DBG");
    free(list);
}
END_TEST

START_TEST(test_pattern_controls_line_format)
{
    ck_assert_ptr_null(
        vlog_set_levels_from_string("pattern:file:<%c|%-5p|%5p|%A|%m>"));
    VLOG_WARN("patterned");
    char *text = slurp(log_path);
    ck_assert_ptr_nonnull(
        strstr(text, "<test_vlog|WARN | WARN|test-vlog|patterned>\n"));
    free(text);
    vlog_set_pattern(VLF_FILE, "%D{%Y}~%m");
    VLOG_WARN("dated");
    text = slurp(log_path);
    ck_assert_ptr_nonnull(strstr(text, "~dated\n"));
    free(text);
}
END_TEST

START_TEST(test_reopen_follows_rotated_file)
{
    char rotated[160];
    VLOG_INFO("before rotation");
    snprintf(rotated, sizeof rotated, "%s.1", log_path);
    ck_assert_int_eq(rename(log_path, rotated), 0);
    VLOG_INFO("still old file");
    ck_assert_int_eq(vlog_reopen_log_file(), 0);
    VLOG_INFO("after rotation");

    char *old = slurp(rotated), *new = slurp(log_path);
    ck_assert_ptr_nonnull(strstr(old, "before rotation"));
    ck_assert_ptr_nonnull(strstr(old, "still old file"));
    ck_assert_ptr_null(strstr(old, "after rotation"));
    ck_assert_ptr_nonnull(strstr(new, "after rotation"));
    free(old);
    free(new);

    vlog_close_log_file();
    ck_assert_int_eq(vlog_reopen_log_file(), EINVAL);
    ck_assert_ptr_null(vlog_get_log_file());
    ck_assert_int_ne(vlog_set_log_file("/nonexistent-dir/x.log"), 0);
}
END_TEST

START_TEST(test_rate_limit_drops_and_reports)
{
    /* 600 per minute = one token per 100 ms; burst of 2. */
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(600, 2);
    for (int i = 0; i < 10; i++) {
        VLOG_WARN_RL(&rl, "flood %d", i);
    }
    char *text = slurp(log_path);
    ck_assert_int_eq(count_substr(text, "flood "), 2);
    free(text);

    struct timespec ts = { 0, 150 * 1000 * 1000 };
    nanosleep(&ts, NULL);
    VLOG_WARN_RL(&rl, "flood after pause");
    text = slurp(log_path);
    ck_assert_ptr_nonnull(strstr(text, "Dropped 8 log messages in last"));
    ck_assert_ptr_nonnull(strstr(text, "flood after pause"));
    free(text);

    /* Disabled levels neither log nor use tokens. */
    static struct vlog_rate_limit rl2 = VLOG_RATE_LIMIT_INIT(1, 1);
    VLOG_DBG_RL(&rl2, "dbg is off");
    VLOG_WARN_RL(&rl2, "first warn");
    text = slurp(log_path);
    ck_assert_ptr_null(strstr(text, "dbg is off"));
    ck_assert_ptr_nonnull(strstr(text, "first warn"));
    free(text);
}
END_TEST

START_TEST(test_rate_limit_can_be_disabled_per_module)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 1);
    vlog_set_rate_limits(vlog_module_from_name("vlog"), false);
    VLOG_WARN_RL(&rl, "limited A");
    VLOG_WARN_RL(&rl, "limited B");     /* Dropped: other module changed. */
    vlog_set_rate_limits(THIS_MODULE, false);
    for (int i = 0; i < 5; i++) {
        VLOG_WARN_RL(&rl, "unlimited %d", i);
    }
    vlog_set_rate_limits(NULL, true);
    VLOG_WARN_RL(&rl, "limited again");
    char *text = slurp(log_path);
    ck_assert_ptr_nonnull(strstr(text, "limited A"));
    ck_assert_ptr_null(strstr(text, "limited B"));
    ck_assert_int_eq(count_substr(text, "unlimited "), 5);
    ck_assert_ptr_null(strstr(text, "limited again"));
    free(text);
}
END_TEST

START_TEST(test_console_gets_lines_on_stderr)
{
    char path[160];
    snprintf(path, sizeof path, "%s/stderr", dir);
    ck_assert_ptr_nonnull(freopen(path, "w", stderr));
    vlog_set_verbosity("test_vlog:console:info,vlog:console:off");
    VLOG_INFO("to the console");
    VLOG_DBG("not to the console");
    vlog_set_verbosity(NULL);           /* -v: everything dbg on console. */
    VLOG_DBG("dbg to the console");
    fflush(stderr);
    char *text = slurp(path);
    ck_assert_ptr_nonnull(strstr(text, "|test_vlog|INFO|to the console\n"));
    ck_assert_ptr_null(strstr(text, "not to the console"));
    ck_assert_ptr_nonnull(strstr(text, "dbg to the console"));
    free(text);
}
END_TEST

int
main(int argc VS_UNUSED, char *argv[])
{
    set_program_name(argv[0]);
    Suite *s = suite_create("vlog");
    TCase *tc = tcase_create("core");
    /* Each test runs in its own forked process (Check's default), so level
     * changes do not leak between tests. */
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_file_gets_info_but_not_dbg_by_default);
    tcase_add_test(tc, test_spec_sets_module_destination_level);
    tcase_add_test(tc, test_bad_specs_are_rejected_with_message);
    tcase_add_test(tc, test_list_shows_every_module);
    tcase_add_test(tc, test_pattern_controls_line_format);
    tcase_add_test(tc, test_reopen_follows_rotated_file);
    tcase_add_test(tc, test_rate_limit_drops_and_reports);
    tcase_add_test(tc, test_rate_limit_can_be_disabled_per_module);
    tcase_add_test(tc, test_console_gets_lines_on_stderr);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
