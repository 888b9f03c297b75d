/* Unit tests for lib/fatal-signal, in forked children that really get
 * signals and really exit. */
#include <config.h>
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fatal-signal.h"
#include "poll-loop.h"
#include "test-util.h"

static char dir[64];

static void
setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/vs-fsig-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static char *
path_in_dir(const char *name)
{
    char *p = malloc(128);
    snprintf(p, 128, "%s/%s", dir, name);
    return p;
}

static void
touch(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT, 0644);
    ck_assert_int_ge(fd, 0);
    close(fd);
}

static bool
exists(const char *path)
{
    struct stat st;
    return !stat(path, &st);
}

static void
marker_hook(void *path)
{
    touch(path);
}

START_TEST(test_sigterm_unlinks_files_and_kills_with_sigterm)
{
    char *file = path_in_dir("pid");
    char *kept = path_in_dir("kept");
    touch(file);
    touch(kept);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (!pid) {
        fatal_signal_add_file_to_unlink(file);
        fatal_signal_add_file_to_unlink(kept);
        fatal_signal_remove_file_to_unlink(kept);
        kill(getpid(), SIGTERM);
        /* The handler only notes the signal; the loop acts on it. */
        for (int i = 0; i < 100; i++) {
            poll_timer_wait(100);
            poll_block();
        }
        _exit(0);
    }
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFSIGNALED(status));
    ck_assert_int_eq(WTERMSIG(status), SIGTERM);
    ck_assert(!exists(file));
    ck_assert(exists(kept));
    free(file);
    free(kept);
}
END_TEST

START_TEST(test_exit_runs_only_at_exit_hooks)
{
    char *at_exit = path_in_dir("at-exit");
    char *sig_only = path_in_dir("sig-only");
    char *file = path_in_dir("file");
    touch(file);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (!pid) {
        fatal_signal_add_hook(marker_hook, NULL, at_exit, true);
        fatal_signal_add_hook(marker_hook, NULL, sig_only, false);
        fatal_signal_add_file_to_unlink(file);
        exit(0);
    }
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    ck_assert(exists(at_exit));
    ck_assert(!exists(sig_only));
    ck_assert(!exists(file));
    free(at_exit);
    free(sig_only);
    free(file);
}
END_TEST

START_TEST(test_forked_child_does_not_run_parent_hooks)
{
    char *file = path_in_dir("parent-owned");
    touch(file);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (!pid) {
        fatal_signal_add_file_to_unlink(file);
        pid_t grandchild = fork();
        if (!grandchild) {
            fatal_signal_fork();
            exit(0);            /* Must not unlink 'file'. */
        }
        int st;
        waitpid(grandchild, &st, 0);
        _exit(exists(file) ? 0 : 1);
    }
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status));
    ck_assert_int_eq(WEXITSTATUS(status), 0);
    free(file);
}
END_TEST

START_TEST(test_unlink_now_removes_and_forgets)
{
    char *file = path_in_dir("now");
    touch(file);
    fatal_signal_add_file_to_unlink(file);
    ck_assert_int_eq(fatal_signal_unlink_file_now(file), 0);
    ck_assert(!exists(file));
    ck_assert_int_ne(fatal_signal_unlink_file_now(file), 0);
    ck_assert(!fatal_signal_pending());
    free(file);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("fatal-signal");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_sigterm_unlinks_files_and_kills_with_sigterm);
    tcase_add_test(tc, test_exit_runs_only_at_exit_hooks);
    tcase_add_test(tc, test_forked_child_does_not_run_parent_hooks);
    tcase_add_test(tc, test_unlink_now_removes_and_forgets);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
