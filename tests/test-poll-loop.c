/* Unit tests for lib/poll-loop, with real pipes, files, timers and threads. */
#include <config.h>
#include <check.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "coverage.h"
#include "poll-loop.h"
#include "timeval.h"
#include "test-util.h"

static void
make_pipe(int fds[2])
{
    ck_assert_int_eq(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
}

START_TEST(test_timer_wakes_after_timeout)
{
    int fds[2];
    make_pipe(fds);
    long long start = time_msec();
    poll_fd_wait(fds[0], POLLIN);
    poll_timer_wait(60);
    poll_block();
    long long elapsed = time_msec() - start;
    ck_assert_int_ge(elapsed, 59);
    ck_assert_int_lt(elapsed, 3000);
    ck_assert_int_eq(poll_fd_revents(fds[0]), 0);
    close(fds[0]);
    close(fds[1]);
}
END_TEST

START_TEST(test_readable_pipe_wakes_with_pollin)
{
    int fds[2];
    make_pipe(fds);
    ck_assert_int_eq(write(fds[1], "x", 1), 1);
    long long start = time_msec();
    poll_fd_wait(fds[0], POLLIN);
    poll_timer_wait(10000);
    poll_block();
    ck_assert_int_lt(time_msec() - start, 1000);
    ck_assert(poll_fd_revents(fds[0]) & POLLIN);

    /* Registrations last one iteration: without a new wait, data still in
     * the pipe must not wake the next block. */
    start = time_msec();
    poll_timer_wait(50);
    poll_block();
    ck_assert_int_ge(time_msec() - start, 49);
    close(fds[0]);
    close(fds[1]);
}
END_TEST

START_TEST(test_writable_and_hangup_are_reported)
{
    int fds[2];
    make_pipe(fds);
    poll_fd_wait(fds[1], POLLOUT);
    poll_block();
    ck_assert(poll_fd_revents(fds[1]) & POLLOUT);

    close(fds[1]);
    poll_fd_wait(fds[0], POLLIN);
    poll_timer_wait(10000);
    long long start = time_msec();
    poll_block();
    ck_assert_int_lt(time_msec() - start, 1000);
    ck_assert(poll_fd_revents(fds[0]) & POLLHUP);
    close(fds[0]);
}
END_TEST

START_TEST(test_same_fd_waited_twice_merges_events)
{
    int fds[2];
    make_pipe(fds);
    poll_fd_wait(fds[0], POLLIN);
    poll_fd_wait(fds[0], POLLIN);
    poll_fd_wait(fds[1], POLLOUT);
    poll_block();
    ck_assert_int_eq(poll_fd_revents(fds[0]), 0);
    ck_assert(poll_fd_revents(fds[1]) & POLLOUT);
    close(fds[0]);
    close(fds[1]);
}
END_TEST

/* An fd closed and reused for another file must be watched afresh, not
 * mistaken for the old registration. */
START_TEST(test_reused_fd_number_is_watched)
{
    int a[2], b[2];
    make_pipe(a);
    poll_fd_wait(a[0], POLLIN);
    poll_timer_wait(10);
    poll_block();

    int old = a[0];
    close(a[0]);
    close(a[1]);
    make_pipe(b);
    ck_assert_int_eq(b[0], old);        /* Lowest free fd gets reused. */
    ck_assert_int_eq(write(b[1], "y", 1), 1);
    long long start = time_msec();
    poll_fd_wait(b[0], POLLIN);
    poll_timer_wait(5000);
    poll_block();
    ck_assert_int_lt(time_msec() - start, 1000);
    ck_assert(poll_fd_revents(b[0]) & POLLIN);
    close(b[0]);
    close(b[1]);
}
END_TEST

START_TEST(test_was_idle_follows_last_block)
{
    int a[2];
    make_pipe(a);
    /* Never waited on: unknown, so not idle. */
    ck_assert(!poll_fd_was_idle(a[0], POLLIN));

    poll_fd_wait(a[0], POLLIN);
    poll_immediate_wake();
    poll_block();
    ck_assert(poll_fd_was_idle(a[0], POLLIN));
    ck_assert(!poll_fd_was_idle(a[0], POLLIN | POLLOUT));   /* Not waited. */

    /* Data after the block shows at the next one, once waited for. */
    ck_assert_int_eq(write(a[1], "x", 1), 1);
    ck_assert(poll_fd_was_idle(a[0], POLLIN));
    poll_fd_wait(a[0], POLLIN);
    poll_immediate_wake();
    poll_block();
    ck_assert(!poll_fd_was_idle(a[0], POLLIN));

    /* Not waited on in the last block: unknown again. */
    poll_immediate_wake();
    poll_block();
    ck_assert(!poll_fd_was_idle(a[0], POLLIN));

    /* A hangup is not idle either. */
    char c;
    ck_assert_int_eq(read(a[0], &c, 1), 1);
    close(a[1]);
    poll_fd_wait(a[0], POLLIN);
    poll_immediate_wake();
    poll_block();
    ck_assert(!poll_fd_was_idle(a[0], POLLIN));
    close(a[0]);
}
END_TEST

START_TEST(test_kept_wait_stays_armed_and_forget_rearms)
{
    int a[2], b[2];
    make_pipe(a);
    unsigned long long kept0 = coverage_get_total("poll_fd_still_armed");

    /* Waited twice without firing: the second wait needs no re-arm. */
    poll_fd_wait_kept(a[0], POLLIN);
    poll_immediate_wake();
    poll_block();
    poll_fd_wait_kept(a[0], POLLIN);
    poll_immediate_wake();
    poll_block();
    ck_assert_uint_gt(coverage_get_total("poll_fd_still_armed"), kept0);

    /* ... and still wakes for data. */
    ck_assert_int_eq(write(a[1], "x", 1), 1);
    long long start = time_msec();
    poll_fd_wait_kept(a[0], POLLIN);
    poll_timer_wait(5000);
    poll_block();
    ck_assert_int_lt(time_msec() - start, 1000);
    ck_assert(poll_fd_revents(a[0]) & POLLIN);

    /* Fired, so re-armed: wakes again while the byte is unread. */
    poll_fd_wait_kept(a[0], POLLIN);
    poll_timer_wait(5000);
    poll_block();
    ck_assert(poll_fd_revents(a[0]) & POLLIN);

    /* Not fired this time (drained), then forgotten and closed: a new
     * file with the same number is watched. */
    char c;
    ck_assert_int_eq(read(a[0], &c, 1), 1);
    poll_fd_wait_kept(a[0], POLLIN);
    poll_immediate_wake();
    poll_block();
    int old = a[0];
    poll_fd_forget(a[0]);
    close(a[0]);
    close(a[1]);
    make_pipe(b);
    ck_assert_int_eq(b[0], old);
    poll_fd_wait_kept(b[0], POLLIN);
    poll_immediate_wake();
    poll_block();
    ck_assert_int_eq(write(b[1], "y", 1), 1);
    start = time_msec();
    poll_fd_wait_kept(b[0], POLLIN);
    poll_timer_wait(5000);
    poll_block();
    ck_assert_int_lt(time_msec() - start, 1000);
    ck_assert(poll_fd_revents(b[0]) & POLLIN);
    poll_fd_forget(b[0]);
    close(b[0]);
    close(b[1]);
}
END_TEST

START_TEST(test_regular_file_is_ready_at_once)
{
    char name[] = "/tmp/vs-poll-XXXXXX";
    int fd = mkstemp(name);
    ck_assert_int_ge(fd, 0);
    unlink(name);
    long long start = time_msec();
    poll_fd_wait(fd, POLLIN);
    poll_timer_wait(5000);
    poll_block();
    ck_assert_int_lt(time_msec() - start, 1000);
    ck_assert(poll_fd_revents(fd) & POLLIN);
    close(fd);
}
END_TEST

START_TEST(test_immediate_wake_does_not_sleep)
{
    long long start = time_msec();
    for (int i = 0; i < 100; i++) {
        poll_timer_wait(10000);
        poll_immediate_wake();
        poll_block();
    }
    ck_assert_int_lt(time_msec() - start, 1000);

    /* A past deadline also means "now". */
    start = time_msec();
    poll_timer_wait_until(time_msec() - 100);
    poll_block();
    ck_assert_int_lt(time_msec() - start, 1000);
}
END_TEST

START_TEST(test_timer_wait_follows_timer)
{
    struct timer t;
    timer_set_duration(&t, 40);
    long long start = time_msec();
    while (!timer_expired(&t)) {
        timer_wait(&t);
        poll_block();
        ck_assert_int_lt(time_msec() - start, 3000);
    }
    ck_assert_int_ge(time_msec() - start, 39);
}
END_TEST

struct thread_arg {
    int fd;
    short revents;
    long long waited;
};

static void *
waiter_thread(void *arg_)
{
    struct thread_arg *arg = arg_;
    long long start = time_msec();
    poll_fd_wait(arg->fd, POLLIN);
    poll_timer_wait(5000);
    poll_block();
    arg->waited = time_msec() - start;
    arg->revents = poll_fd_revents(arg->fd);
    return NULL;
}

/* Each thread has its own loop: a thread blocked on a pipe wakes when the
 * main thread writes, while the main thread's own waits are untouched. */
START_TEST(test_threads_have_separate_loops)
{
    int fds[2], other[2];
    make_pipe(fds);
    make_pipe(other);
    poll_fd_wait(other[0], POLLIN);     /* Main thread's, never fires. */

    struct thread_arg arg = { fds[0], 0, 0 };
    pthread_t thread;
    ck_assert_int_eq(pthread_create(&thread, NULL, waiter_thread, &arg), 0);
    struct timespec ts = { 0, 50 * 1000 * 1000 };
    nanosleep(&ts, NULL);
    ck_assert_int_eq(write(fds[1], "z", 1), 1);
    pthread_join(thread, NULL);
    ck_assert(arg.revents & POLLIN);
    ck_assert_int_lt(arg.waited, 4000);

    poll_timer_wait(20);
    poll_block();
    ck_assert_int_eq(poll_fd_revents(other[0]), 0);
    close(fds[0]);
    close(fds[1]);
    close(other[0]);
    close(other[1]);
}
END_TEST

/* A forked child gets its own epoll set: its waits work and do not disturb
 * the parent's. */
START_TEST(test_fork_child_gets_own_loop)
{
    int fds[2];
    make_pipe(fds);
    poll_fd_wait(fds[0], POLLIN);
    poll_timer_wait(5);
    poll_block();

    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (!pid) {
        int c[2];
        if (pipe(c) || write(c[1], "c", 1) != 1) {
            _exit(2);
        }
        poll_fd_wait(c[0], POLLIN);
        poll_timer_wait(5000);
        poll_block();
        _exit(poll_fd_revents(c[0]) & POLLIN ? 0 : 1);
    }
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);

    ck_assert_int_eq(write(fds[1], "p", 1), 1);
    poll_fd_wait(fds[0], POLLIN);
    poll_timer_wait(5000);
    long long start = time_msec();
    poll_block();
    ck_assert_int_lt(time_msec() - start, 1000);
    ck_assert(poll_fd_revents(fds[0]) & POLLIN);
    close(fds[0]);
    close(fds[1]);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("poll-loop");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_timer_wakes_after_timeout);
    tcase_add_test(tc, test_readable_pipe_wakes_with_pollin);
    tcase_add_test(tc, test_writable_and_hangup_are_reported);
    tcase_add_test(tc, test_same_fd_waited_twice_merges_events);
    tcase_add_test(tc, test_reused_fd_number_is_watched);
    tcase_add_test(tc, test_regular_file_is_ready_at_once);
    tcase_add_test(tc, test_was_idle_follows_last_block);
    tcase_add_test(tc, test_kept_wait_stays_armed_and_forget_rearms);
    tcase_add_test(tc, test_immediate_wake_does_not_sleep);
    tcase_add_test(tc, test_timer_wait_follows_timer);
    tcase_add_test(tc, test_threads_have_separate_loops);
    tcase_add_test(tc, test_fork_child_gets_own_loop);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
