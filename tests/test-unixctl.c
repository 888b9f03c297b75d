/* Unit tests for lib/unixctl: a real server on a unix socket, run by its
 * own thread's poll loop, and the client API in the test thread. */
#include <config.h>
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "coverage.h"
#include "poll-loop.h"
#include "unixctl.h"
#include "util.h"
#include "vlog.h"
#include "test-util.h"

VLOG_DEFINE_THIS_MODULE(test_unixctl);

static char dir[64];
static char sock[128];
static struct unixctl_server *server;
static pthread_t server_thread;
static volatile int stop;
static int stop_pipe[2];
static struct unixctl_conn *deferred;

static void
join(struct unixctl_conn *conn, int argc, const char *argv[], void *aux)
{
    char *text = xstrdup(aux);
    for (int i = 1; i < argc; i++) {
        char *next = xasprintf("%s[%s]", text, argv[i]);
        free(text);
        text = next;
    }
    unixctl_command_reply(conn, text);
    free(text);
}

static void
fail_cmd(struct unixctl_conn *conn, int argc VS_UNUSED,
         const char *argv[] VS_UNUSED, void *aux VS_UNUSED)
{
    unixctl_command_reply_error(conn, "deliberate failure");
}

static void
defer_cmd(struct unixctl_conn *conn, int argc VS_UNUSED,
          const char *argv[] VS_UNUSED, void *aux VS_UNUSED)
{
    deferred = conn;            /* Answered by the server loop below. */
}

static void *
serve(void *arg VS_UNUSED)
{
    while (!stop) {
        unixctl_server_run(server);
        if (deferred) {
            unixctl_command_reply(deferred, "late");
            deferred = NULL;
        }
        unixctl_server_wait(server);
        poll_fd_wait(stop_pipe[0], POLLIN);
        poll_block();
    }
    return NULL;
}

static void
setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/vs-unixctl-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(sock, sizeof sock, "%s/t.ctl", dir);
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_OFF);
    unixctl_command_register("t/join", "[ARG...]", 0, 3, join, "J");
    unixctl_command_register("t/two", "A B", 2, 2, join, "T");
    unixctl_command_register("t/fail", "", 0, 0, fail_cmd, NULL);
    unixctl_command_register("t/defer", "", 0, 0, defer_cmd, NULL);
    ck_assert_int_eq(unixctl_server_create(sock, &server), 0);
    ck_assert_str_eq(unixctl_server_get_path(server), sock);
    ck_assert_int_eq(pipe(stop_pipe), 0);
    stop = 0;
    ck_assert_int_eq(pthread_create(&server_thread, NULL, serve, NULL), 0);
}

static void
teardown(void)
{
    char cmd[128];
    stop = 1;
    ck_assert_int_eq(write(stop_pipe[1], "x", 1), 1);
    pthread_join(server_thread, NULL);
    unixctl_server_destroy(server);
    struct stat st;
    ck_assert_int_ne(stat(sock, &st), 0);     /* Socket removed. */
    close(stop_pipe[0]);
    close(stop_pipe[1]);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* Runs 'cmd' with the given args; returns the result or "ERR:error". */
static char *
call(const char *cmd, int argc, const char *argv[])
{
    char *result, *error;
    int status = unixctl_client_transact(sock, cmd, argc, argv, 5000,
                                         &result, &error);
    if (status) {
        char *s = xasprintf("FAIL(%d):%s", status, error);
        free(error);
        return s;
    }
    if (error) {
        char *s = xasprintf("ERR:%s", error);
        free(error);
        return s;
    }
    return result;
}

START_TEST(test_command_gets_arguments_and_replies)
{
    const char *args[] = { "a", "b c", "" };
    char *r = call("t/join", 3, args);
    ck_assert_str_eq(r, "J[a][b c][]");
    free(r);
    r = call("t/join", 0, NULL);
    ck_assert_str_eq(r, "J");
    free(r);
}
END_TEST

START_TEST(test_argument_counts_are_enforced)
{
    const char *args[] = { "1", "2", "3", "4" };
    char *r = call("t/two", 1, args);
    ck_assert_str_eq(r, "ERR:\"t/two\" command requires at least 2 arguments");
    free(r);
    r = call("t/join", 4, args);
    ck_assert_str_eq(r, "ERR:\"t/join\" command takes at most 3 arguments");
    free(r);
    r = call("t/two", 2, args);
    ck_assert_str_eq(r, "T[1][2]");
    free(r);
}
END_TEST

START_TEST(test_unknown_command_and_error_reply)
{
    char *r = call("t/nope", 0, NULL);
    ck_assert(str_starts_with(r, "ERR:\"t/nope\" is not a valid command"));
    free(r);
    r = call("t/fail", 0, NULL);
    ck_assert_str_eq(r, "ERR:deliberate failure");
    free(r);
}
END_TEST

START_TEST(test_builtins_answer)
{
    char *r = call("list-commands", 0, NULL);
    ck_assert_ptr_nonnull(strstr(r, "\n  t/two                   A B\n"));
    ck_assert_ptr_nonnull(strstr(r, "\n  vlog/set "));
    ck_assert_ptr_nonnull(strstr(r, "\n  coverage/show "));
    free(r);

    r = call("version", 0, NULL);
    ck_assert(str_starts_with(r, "test-unixctl (vswitch) "));
    free(r);

    const char *spec[] = { "test_unixctl:file:dbg" };
    r = call("vlog/set", 1, spec);
    ck_assert_str_eq(r, "");
    free(r);
    ck_assert_int_eq(vlog_get_level(THIS_MODULE, VLF_FILE), VLL_DBG);
    const char *bad[] = { "test_unixctl:file:loud" };
    r = call("vlog/set", 1, bad);
    ck_assert_str_eq(r, "ERR:unknown module, destination, or level \"loud\"");
    free(r);

    r = call("vlog/list", 0, NULL);
    ck_assert_ptr_nonnull(strstr(r, "\ntest_unixctl "));
    free(r);

    const char *mod[] = { "test_unixctl" }, *nomod[] = { "nosuch" };
    r = call("vlog/disable-rate-limit", 1, mod);
    ck_assert_str_eq(r, "");
    free(r);
    ck_assert(!THIS_MODULE->honor_rate_limits);
    r = call("vlog/enable-rate-limit", 0, NULL);
    ck_assert_str_eq(r, "");
    free(r);
    ck_assert(THIS_MODULE->honor_rate_limits);
    r = call("vlog/disable-rate-limit", 1, nomod);
    ck_assert_str_eq(r, "ERR:unknown module \"nosuch\"");
    free(r);

    r = call("vlog/reopen", 0, NULL);
    ck_assert_str_eq(r, "ERR:Logging to file not configured");
    free(r);

    r = call("coverage/show", 0, NULL);
    ck_assert_ptr_nonnull(strstr(r, "\npoll_block "));
    free(r);

    const char *counter[] = { "poll_block" };
    r = call("coverage/read-counter", 1, counter);
    ck_assert_int_gt(atoi(r), 0);
    ck_assert(str_ends_with(r, "\n"));
    free(r);
    const char *nosuch[] = { "no_such_counter" };
    r = call("coverage/read-counter", 1, nosuch);
    ck_assert_str_eq(r, "0\n");
    free(r);
}
END_TEST

START_TEST(test_deferred_reply_arrives)
{
    char *r = call("t/defer", 0, NULL);
    ck_assert_str_eq(r, "late");
    free(r);
}
END_TEST

START_TEST(test_missing_socket_fails_with_message)
{
    char *result, *error;
    char path[160];
    snprintf(path, sizeof path, "%s/none.ctl", dir);
    int status = unixctl_client_transact(path, "version", 0, NULL, 1000,
                                         &result, &error);
    ck_assert_int_eq(status, ENOENT);
    ck_assert_ptr_null(result);
    char *want = xasprintf("cannot connect to %s: No such file or directory",
                           path);
    ck_assert_str_eq(error, want);
    free(want);
    free(error);
}
END_TEST

START_TEST(test_many_sequential_clients)
{
    for (int i = 0; i < 200; i++) {
        char *r = call("t/join", 0, NULL);
        ck_assert_str_eq(r, "J");
        free(r);
    }
}
END_TEST

int
main(int argc VS_UNUSED, char *argv[])
{
    set_program_name(argv[0]);
    Suite *s = suite_create("unixctl");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_command_gets_arguments_and_replies);
    tcase_add_test(tc, test_argument_counts_are_enforced);
    tcase_add_test(tc, test_unknown_command_and_error_reply);
    tcase_add_test(tc, test_builtins_answer);
    tcase_add_test(tc, test_deferred_reply_arrives);
    tcase_add_test(tc, test_missing_socket_fails_with_message);
    tcase_add_test(tc, test_many_sequential_clients);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
