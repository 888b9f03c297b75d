/* The poll loop: every daemon's main loop is
 *
 *     for (;;) {
 *         foo_run(); bar_run();       -- do what is ready, never block
 *         foo_wait(); bar_wait();     -- say what would make work ready
 *         poll_block();               -- sleep until one of those happens
 *     }
 *
 * The *_wait() calls below register interest for the next poll_block() only;
 * poll_block() forgets them all when it returns.  Wakeups can be spurious:
 * run functions must tolerate "nothing to do" (use non-blocking I/O).
 *
 * Built on epoll.  State is per thread: each thread that calls poll_block()
 * has its own loop.  poll_block() also runs fatal_signal_run() (cleanup and
 * exit on SIGTERM and the like) and coverage_run() (rate sampling). */
#ifndef VS_POLL_LOOP_H
#define VS_POLL_LOOP_H 1

#include <poll.h>
#include <stdbool.h>

/* Wake when 'fd' becomes ready for 'events' (POLLIN, POLLOUT, or both).
 * Errors and hangups on 'fd' wake too.  An fd that epoll cannot watch (a
 * regular file) counts as ready at once, as with poll(2). */
#define poll_fd_wait(FD, EVENTS) poll_fd_wait_at(FD, EVENTS, VS_WHERE__)
/* As poll_fd_wait(), for an fd whose owner calls poll_fd_forget() before
 * closing it: its registration is then level-triggered and left armed
 * from one iteration to the next while the fd is waited for the same
 * events, instead of being re-armed with a system call each time. */
#define poll_fd_wait_kept(FD, EVENTS) \
    poll_fd_wait_kept_at(FD, EVENTS, VS_WHERE__)
/* Wake 'ms' milliseconds from now (<= 0: at once). */
#define poll_timer_wait(MS) poll_timer_wait_at(MS, VS_WHERE__)
/* Wake when time_msec() reaches 'abs_ms'. */
#define poll_timer_wait_until(ABS_MS) poll_timer_wait_until_at(ABS_MS, VS_WHERE__)
/* Do not sleep in the next poll_block(). */
#define poll_immediate_wake() poll_immediate_wake_at(VS_WHERE__)

#define VS_WHERE__ __FILE__ ":" VS_STRINGIZE__(__LINE__)
#define VS_STRINGIZE__(X) VS_STRINGIZE2__(X)
#define VS_STRINGIZE2__(X) #X

/* 'where' names the caller (file:line) for the "wakeup due to" debug log. */
void poll_fd_wait_at(int fd, short events, const char *where);
void poll_fd_wait_kept_at(int fd, short events, const char *where);
/* Before close(fd), for an fd waited with poll_fd_wait_kept(): drops its
 * registration, so that a new file given the same number is registered
 * afresh.  Harmless for other fds. */
void poll_fd_forget(int fd);
void poll_timer_wait_at(long long ms, const char *where);
void poll_timer_wait_until_at(long long abs_ms, const char *where);
void poll_immediate_wake_at(const char *where);

/* Sleeps until a registered event happens, then clears all registrations. */
void poll_block(void);

/* After poll_block(): the events (POLLIN, POLLOUT, POLLERR, POLLHUP) that
 * woke 'fd' in the last poll_block() of this thread, 0 if none.  Optional:
 * callers may simply retry their non-blocking I/O. */
short poll_fd_revents(int fd);

/* True if this thread's last poll_block() waited on 'fd' for all of
 * 'events' and the fd reported nothing at all.  A level-triggered "not
 * ready": non-blocking I/O on 'fd' would most likely give EAGAIN, so it
 * may return that without a system call.  What came in since is reported
 * by the next poll_block(), if the caller waits on 'fd' again, as a
 * caller that got EAGAIN does.  False for an fd not waited on. */
bool poll_fd_was_idle(int fd, short events);

#endif /* poll-loop.h */
