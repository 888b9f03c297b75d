/* Unit tests for lib/daemon: pidfiles with fcntl locks, --detach with real
 * readiness, --monitor restarting after kill -9.  Every daemon here is a
 * forked copy of this test that runs a poll loop until told to stop. */
#include <config.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"
#include "poll-loop.h"
#include "timeval.h"
#include "vlog.h"
#include "test-util.h"

static char dir[64];
static char pidfile_path[128];

static void
setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/vs-daemon-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(pidfile_path, sizeof pidfile_path, "%s/d.pid", dir);
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_OFF);
}

static void
teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static void
sleep_msec(long long ms)
{
    struct timespec ts;
    msec_to_timespec(ms, &ts);
    nanosleep(&ts, NULL);
}

static bool
exists(const char *path)
{
    struct stat st;
    return !stat(path, &st);
}

/* Runs a daemon's main loop for at most 30 s (tests kill it sooner). */
static void VS_NORETURN
serve(void)
{
    long long deadline = time_msec() + 30000;
    while (time_msec() < deadline) {
        poll_timer_wait_until(deadline);
        poll_block();
    }
    exit(0);
}

/* Waits up to 5 s for 'path' to hold a live pid other than 'not'. */
static pid_t
wait_for_pidfile(const char *path, pid_t not)
{
    for (int i = 0; i < 500; i++) {
        pid_t pid;
        if (!read_pidfile(path, &pid) && pid != not) {
            return pid;
        }
        sleep_msec(10);
    }
    return 0;
}

static bool
wait_for_death(pid_t pid)
{
    for (int i = 0; i < 500; i++) {
        if (kill(pid, 0) && errno == ESRCH) {
            return true;
        }
        sleep_msec(10);
    }
    return false;
}

START_TEST(test_read_pidfile_missing_and_stale)
{
    pid_t pid;
    ck_assert_int_eq(read_pidfile(pidfile_path, &pid), ENOENT);

    /* A pidfile nobody holds a lock on is stale, whatever pid it names. */
    FILE *f = fopen(pidfile_path, "w");
    fprintf(f, "%ld\n", (long) getppid());
    fclose(f);
    ck_assert_int_eq(read_pidfile(pidfile_path, &pid), ESRCH);

    f = fopen(pidfile_path, "w");
    fprintf(f, "garbage\n");
    fclose(f);
    ck_assert_int_eq(read_pidfile(pidfile_path, &pid), EINVAL);
}
END_TEST

START_TEST(test_pidfile_locked_while_running_and_removed_on_sigterm)
{
    /* Leave a stale pidfile behind: it must be taken over. */
    FILE *f = fopen(pidfile_path, "w");
    fprintf(f, "1\n");
    fclose(f);

    pid_t child = fork();
    ck_assert_int_ge(child, 0);
    if (!child) {
        set_pidfile(pidfile_path);
        daemonize();
        serve();
    }
    pid_t pid = wait_for_pidfile(pidfile_path, 0);
    ck_assert_int_eq(pid, child);

    /* A second instance refuses to start. */
    pid_t second = fork();
    ck_assert_int_ge(second, 0);
    if (!second) {
        freopen("/dev/null", "w", stderr);
        set_pidfile(pidfile_path);
        daemonize();
        _exit(0);
    }
    int status;
    ck_assert_int_eq(waitpid(second, &status, 0), second);
    ck_assert(WIFEXITED(status));
    ck_assert_int_eq(WEXITSTATUS(status), 1);
    ck_assert_int_eq(read_pidfile(pidfile_path, &pid), 0);
    ck_assert_int_eq(pid, child);

    kill(child, SIGTERM);
    ck_assert_int_eq(waitpid(child, &status, 0), child);
    ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
    ck_assert(!exists(pidfile_path));
}
END_TEST

START_TEST(test_detach_returns_only_when_ready)
{
    pid_t child = fork();
    ck_assert_int_ge(child, 0);
    if (!child) {
        set_detach();
        set_no_chdir();
        set_pidfile(pidfile_path);
        daemonize_start();
        sleep_msec(300);        /* "Initialization." */
        daemonize_complete();
        serve();
    }
    long long start = time_msec();
    int status;
    ck_assert_int_eq(waitpid(child, &status, 0), child);
    ck_assert(WIFEXITED(status));
    ck_assert_int_eq(WEXITSTATUS(status), 0);
    ck_assert_int_ge(time_msec() - start, 250);

    pid_t daemon;
    ck_assert_int_eq(read_pidfile(pidfile_path, &daemon), 0);
    ck_assert_int_ne(daemon, child);
    ck_assert_int_eq(kill(daemon, 0), 0);
    kill(daemon, SIGTERM);
    ck_assert(wait_for_death(daemon));
    ck_assert(!exists(pidfile_path));
}
END_TEST

START_TEST(test_detach_fails_if_daemon_dies_before_ready)
{
    pid_t child = fork();
    ck_assert_int_ge(child, 0);
    if (!child) {
        freopen("/dev/null", "w", stderr);
        set_detach();
        set_no_chdir();
        daemonize_start();
        exit(3);
    }
    int status;
    ck_assert_int_eq(waitpid(child, &status, 0), child);
    ck_assert(WIFEXITED(status));
    ck_assert_int_eq(WEXITSTATUS(status), 1);
}
END_TEST

START_TEST(test_monitor_restarts_after_kill_9)
{
    pid_t monitor = fork();
    ck_assert_int_ge(monitor, 0);
    if (!monitor) {
        set_monitor();
        set_pidfile(pidfile_path);
        daemonize();
        serve();
    }
    pid_t first = wait_for_pidfile(pidfile_path, 0);
    ck_assert_int_gt(first, 0);
    ck_assert_int_ne(first, monitor);

    kill(first, SIGKILL);
    pid_t second = wait_for_pidfile(pidfile_path, first);
    ck_assert_int_gt(second, 0);
    ck_assert_int_ne(second, first);

    /* SIGTERM to the monitor stops both, cleanly. */
    kill(monitor, SIGTERM);
    int status;
    ck_assert_int_eq(waitpid(monitor, &status, 0), monitor);
    ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
    ck_assert(wait_for_death(second));
    ck_assert(!exists(pidfile_path));
}
END_TEST

START_TEST(test_monitor_does_not_restart_clean_exit)
{
    pid_t monitor = fork();
    ck_assert_int_ge(monitor, 0);
    if (!monitor) {
        set_monitor();
        daemonize();
        exit(5);
    }
    int status;
    ck_assert_int_eq(waitpid(monitor, &status, 0), monitor);
    ck_assert(WIFEXITED(status));
    ck_assert_int_eq(WEXITSTATUS(status), 5);
}
END_TEST

START_TEST(test_monitor_gives_up_on_crash_during_startup)
{
    pid_t monitor = fork();
    ck_assert_int_ge(monitor, 0);
    if (!monitor) {
        set_monitor();
        daemonize_start();
        kill(getpid(), SIGKILL);    /* Before daemonize_complete(). */
    }
    int status;
    ck_assert_int_eq(waitpid(monitor, &status, 0), monitor);
    ck_assert(WIFEXITED(status));
    ck_assert_int_eq(WEXITSTATUS(status), 1);
}
END_TEST

int
main(int argc VS_UNUSED, char *argv[])
{
    set_program_name(argv[0]);
    Suite *s = suite_create("daemon");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_read_pidfile_missing_and_stale);
    tcase_add_test(tc, test_pidfile_locked_while_running_and_removed_on_sigterm);
    tcase_add_test(tc, test_detach_returns_only_when_ready);
    tcase_add_test(tc, test_detach_fails_if_daemon_dies_before_ready);
    tcase_add_test(tc, test_monitor_restarts_after_kill_9);
    tcase_add_test(tc, test_monitor_does_not_restart_clean_exit);
    tcase_add_test(tc, test_monitor_gives_up_on_crash_during_startup);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
