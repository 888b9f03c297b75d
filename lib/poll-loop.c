#include <config.h>
#include "poll-loop.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>
#include "coverage.h"
#include "fatal-signal.h"
#include "hmap.h"
#include "timeval.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(poll_loop);

COVERAGE_DEFINE(poll_block);
COVERAGE_DEFINE(poll_zero_timeout);
COVERAGE_DEFINE(poll_fd_still_armed);

/* One fd this thread's loop knows about.
 *
 * Registrations use EPOLLONESHOT and are re-armed with EPOLL_CTL_MOD each
 * time they are waited on.  The epoll set keys on (fd, open file), so if an
 * fd is closed and its number reused, MOD fails with ENOENT and we ADD the
 * new file; a stale entry left behind (its file still open elsewhere, e.g. in
 * a child) can fire at most once and only causes a spurious wakeup. */
struct poll_fd {
    struct hmap_node node;        /* In poll_loop's 'fds', by fd. */
    int fd;
    short events;                 /* Wanted in the coming poll_block(). */
    short waited;                 /* Wanted in the last poll_block(). */
    short revents;                /* Seen in the last poll_block(). */
    bool in_epoll;                /* Registered in 'epfd' (maybe disarmed). */
    short armed;                  /* Events of the registration, if armed. */
    bool armed_level;             /* It is level-triggered, not one-shot. */
    bool kept_wait;               /* Waited with poll_fd_wait_kept() ... */
    bool plain_wait;              /* ... or poll_fd_wait() this iteration. */
    const char *where;            /* Who waited, for the debug log. */
};

struct poll_loop {
    int epfd;                     /* -1 until first needed. */
    struct hmap fds;              /* Contains "struct poll_fd"s. */
    size_t n_waiting;             /* Entries with nonzero 'events'. */
    long long deadline;           /* time_msec() to wake; LLONG_MAX: none. */
    const char *deadline_where;
    long long last_wakeup;        /* When poll_block() last returned. */
};

static __thread struct poll_loop *loop_;
static pthread_key_t loop_key;
static pthread_once_t loop_once = PTHREAD_ONCE_INIT;

static void
poll_loop_free(void *loop_)
{
    struct poll_loop *loop = loop_;
    struct poll_fd *pfd;

    if (!loop) {
        return;
    }
    HMAP_FOR_EACH_POP (pfd, node, &loop->fds) {
        free(pfd);
    }
    hmap_destroy(&loop->fds);
    if (loop->epfd >= 0) {
        close(loop->epfd);
    }
    free(loop);
}

/* A forked child shares the parent's epoll instance: give the child its own,
 * so that neither disturbs the other's registrations. */
static void
poll_loop_atfork_child(void)
{
    struct poll_loop *loop = loop_;
    struct poll_fd *pfd;

    if (loop && loop->epfd >= 0) {
        close(loop->epfd);
        loop->epfd = -1;
        HMAP_FOR_EACH (pfd, node, &loop->fds) {
            pfd->in_epoll = false;
        }
    }
}

static void
poll_loop_init_once(void)
{
    pthread_key_create(&loop_key, poll_loop_free);
    pthread_atfork(NULL, NULL, poll_loop_atfork_child);
}

static struct poll_loop *
poll_loop(void)
{
    if (!loop_) {
        pthread_once(&loop_once, poll_loop_init_once);
        loop_ = xzalloc(sizeof *loop_);
        loop_->epfd = -1;
        hmap_init(&loop_->fds);
        loop_->deadline = LLONG_MAX;
        pthread_setspecific(loop_key, loop_);
    }
    return loop_;
}

static struct poll_fd *
poll_fd_find(struct poll_loop *loop, int fd)
{
    struct poll_fd *pfd;

    HMAP_FOR_EACH_WITH_HASH (pfd, node, hash_int(fd, 0), &loop->fds) {
        if (pfd->fd == fd) {
            return pfd;
        }
    }
    return NULL;
}

static struct poll_fd *
poll_fd_wait__(int fd, short events, const char *where)
{
    struct poll_loop *loop = poll_loop();
    struct poll_fd *pfd;

    events &= POLLIN | POLLOUT | POLLPRI;
    if (fd < 0 || !events) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
        VLOG_WARN_RL(&rl, "%s: ignoring wait on fd %d for events %#x",
                     where, fd, (unsigned) events);
        return NULL;
    }
    pfd = poll_fd_find(loop, fd);
    if (!pfd) {
        pfd = xzalloc(sizeof *pfd);
        pfd->fd = fd;
        hmap_insert(&loop->fds, &pfd->node, hash_int(fd, 0));
    }
    if (!pfd->events) {
        loop->n_waiting++;
        pfd->where = where;
    }
    pfd->events |= events;
    return pfd;
}

void
poll_fd_wait_at(int fd, short events, const char *where)
{
    struct poll_fd *pfd = poll_fd_wait__(fd, events, where);
    if (pfd) {
        pfd->plain_wait = true;
    }
}

void
poll_fd_wait_kept_at(int fd, short events, const char *where)
{
    struct poll_fd *pfd = poll_fd_wait__(fd, events, where);
    if (pfd) {
        pfd->kept_wait = true;
    }
}

void
poll_fd_forget(int fd)
{
    struct poll_loop *loop = poll_loop();
    struct poll_fd *pfd = poll_fd_find(loop, fd);
    if (pfd) {
        if (pfd->in_epoll) {
            epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, NULL);
        }
        if (pfd->events) {
            loop->n_waiting--;
        }
        hmap_remove(&loop->fds, &pfd->node);
        free(pfd);
    }
}


void
poll_timer_wait_until_at(long long abs_ms, const char *where)
{
    struct poll_loop *loop = poll_loop();

    if (abs_ms < loop->deadline) {
        loop->deadline = abs_ms;
        loop->deadline_where = where;
    }
}

void
poll_timer_wait_at(long long ms, const char *where)
{
    long long now = time_msec();

    poll_timer_wait_until_at(ms <= 0 ? now
                             : ms >= LLONG_MAX - now ? LLONG_MAX
                             : now + ms, where);
}

void
poll_immediate_wake_at(const char *where)
{
    poll_timer_wait_until_at(LLONG_MIN, where);
}

static uint32_t
poll_to_epoll(short events)
{
    return ((events & POLLIN ? EPOLLIN : 0)
            | (events & POLLOUT ? EPOLLOUT : 0)
            | (events & POLLPRI ? EPOLLPRI : 0));
}

static short
epoll_to_poll(uint32_t events)
{
    return ((events & EPOLLIN ? POLLIN : 0)
            | (events & EPOLLOUT ? POLLOUT : 0)
            | (events & EPOLLPRI ? POLLPRI : 0)
            | (events & EPOLLERR ? POLLERR : 0)
            | (events & EPOLLHUP ? POLLHUP : 0));
}

/* Arms 'pfd' in the epoll set.  Returns 0, or a positive errno if epoll
 * cannot watch it (then the caller treats it as ready). */
static int
poll_fd_arm(struct poll_loop *loop, struct poll_fd *pfd)
{
    struct epoll_event ev;

    /* Kept registrations are level-triggered, so they stay armed after
     * they fire; the others are one-shot (see struct poll_fd). */
    bool level = pfd->kept_wait && !pfd->plain_wait;
    memset(&ev, 0, sizeof ev);
    ev.events = poll_to_epoll(pfd->events) | (level ? 0 : EPOLLONESHOT);
    ev.data.fd = pfd->fd;
    if (pfd->in_epoll) {
        if (!epoll_ctl(loop->epfd, EPOLL_CTL_MOD, pfd->fd, &ev)) {
            pfd->armed = pfd->events;
            pfd->armed_level = level;
            return 0;
        } else if (errno != ENOENT) {
            return errno;
        }
        pfd->in_epoll = false;
    }
    if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, pfd->fd, &ev)) {
        return errno;
    }
    pfd->in_epoll = true;
    pfd->armed = pfd->events;
    pfd->armed_level = level;
    return 0;
}

/* Registers every waited fd with epoll and drops the ones no longer waited
 * for.  Returns true if some fd is ready without waiting. */
static bool
poll_loop_sync(struct poll_loop *loop)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(10, 10);
    struct poll_fd *pfd, *next;
    bool ready = false;

    if (loop->epfd < 0) {
        loop->epfd = epoll_create1(EPOLL_CLOEXEC);
        if (loop->epfd < 0) {
            vs_fatal(errno, "epoll_create1 failed");
        }
    }

    HMAP_FOR_EACH_SAFE (pfd, next, node, &loop->fds) {
        pfd->revents = 0;
        /* A kept (level-triggered) registration for the same events is
         * still armed.  Only an owner that forgets the fd before closing it
         * may rely on that: otherwise a new file with the same number
         * would go unwatched. */
        if (pfd->events && pfd->kept_wait && !pfd->plain_wait
            && pfd->in_epoll && pfd->armed_level
            && pfd->armed == pfd->events) {
            COVERAGE_INC(poll_fd_still_armed);
            continue;
        }
        if (pfd->events) {
            int error = poll_fd_arm(loop, pfd);
            if (error) {
                /* poll(2) reports regular files as always ready and bad
                 * fds as POLLNVAL; do the same. */
                if (error != EPERM) {
                    VLOG_WARN_RL(&rl, "%s: cannot wait on fd %d (%s)",
                                 pfd->where, pfd->fd, vs_strerror(error));
                }
                pfd->revents = error == EPERM ? pfd->events : POLLNVAL;
                ready = true;
            }
        } else {
            if (pfd->in_epoll) {
                /* Fails harmlessly if the fd was closed meanwhile. */
                epoll_ctl(loop->epfd, EPOLL_CTL_DEL, pfd->fd, NULL);
            }
            hmap_remove(&loop->fds, &pfd->node);
            free(pfd);
        }
    }
    return ready;
}

static void
log_wakeup(const struct poll_loop *loop, const struct epoll_event *events,
           int n)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(600, 600);

    if (!n) {
        VLOG_DBG_RL(&rl, "wakeup due to timeout (%s)",
                    loop->deadline_where ? loop->deadline_where : "?");
        return;
    }
    for (int i = 0; i < n; i++) {
        struct poll_fd *pfd = poll_fd_find((struct poll_loop *) loop,
                                           events[i].data.fd);
        VLOG_DBG_RL(&rl, "wakeup due to %#x on fd %d (%s)",
                    (unsigned) events[i].events, events[i].data.fd,
                    pfd && pfd->where ? pfd->where : "?");
    }
}

void
poll_block(void)
{
    struct poll_loop *loop = poll_loop();
    struct epoll_event *events;
    long long now = time_msec();
    int timeout, max, n;

    COVERAGE_INC(poll_block);
    /* Work between two blocks should be short; a long gap usually means
     * blocking I/O or a runaway loop on this thread. */
    if (loop->last_wakeup && now - loop->last_wakeup >= 1000) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(3, 3);
        VLOG_WARN_RL(&rl, "unreasonably long %lldms poll interval",
                     now - loop->last_wakeup);
    }
    /* Every loop notices fatal signals, so cleanup hooks run promptly. */
    fatal_signal_wait();
    if (poll_loop_sync(loop) || loop->deadline <= now) {
        COVERAGE_INC(poll_zero_timeout);
        timeout = 0;
    } else if (loop->deadline == LLONG_MAX) {
        timeout = -1;
    } else {
        timeout = MIN(loop->deadline - now, (long long) INT_MAX);
    }

    max = MAX(loop->n_waiting, 1);
    events = xmalloc(max * sizeof *events);
    n = epoll_wait(loop->epfd, events, max, timeout);
    if (n < 0) {
        if (errno != EINTR) {
            VLOG_ERR("epoll_wait failed (%s)", vs_strerror(errno));
        }
        n = 0;
    }
    if (vlog_is_enabled(THIS_MODULE, VLL_DBG)) {
        log_wakeup(loop, events, n);
    }
    for (int i = 0; i < n; i++) {
        struct poll_fd *pfd = poll_fd_find(loop, events[i].data.fd);
        if (pfd && pfd->events) {
            pfd->revents |= epoll_to_poll(events[i].events);
            if (!pfd->armed_level) {
                pfd->armed = 0;     /* One-shot: fired, so disarmed. */
            }
        }
    }
    free(events);

    /* Forget this iteration's registrations; keep entries in the epoll set
     * (disarmed) so that waiting again next time costs one MOD. */
    struct poll_fd *pfd;
    HMAP_FOR_EACH (pfd, node, &loop->fds) {
        pfd->waited = pfd->events;
        pfd->events = 0;
        pfd->kept_wait = pfd->plain_wait = false;
        pfd->where = NULL;
    }
    loop->n_waiting = 0;
    loop->deadline = LLONG_MAX;
    loop->deadline_where = NULL;
    loop->last_wakeup = time_msec();

    fatal_signal_run();
    coverage_run();
}

short
poll_fd_revents(int fd)
{
    struct poll_fd *pfd = poll_fd_find(poll_loop(), fd);
    return pfd ? pfd->revents : 0;
}

bool
poll_fd_was_idle(int fd, short events)
{
    struct poll_fd *pfd = poll_fd_find(poll_loop(), fd);
    return pfd && (pfd->waited & events) == events && !pfd->revents;
}
