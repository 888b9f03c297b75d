/* vs-vmm event loop (see mainloop.h). */
#include <config.h>
#include "mainloop.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

struct watch {
    int fd;
    short events;
    bool unlocked;              /* Run the callback without ml->lock. */
    mainloop_fd_cb *cb;
    void *aux;
};

struct ml_timer {
    long long deadline;
    mainloop_timer_cb *cb;
    void *aux;
};

struct mainloop {
    struct watch *watches;
    size_t n_watches, allocated;
    struct ml_timer *timers;
    size_t n_timers, timers_allocated;
    pthread_mutex_t *lock;
    bool changed;               /* Watch list changed during callbacks. */
    int wake_fd;                /* eventfd: other threads changed a watch. */
};

void mainloop_wake(struct mainloop *);

static long long
now_msec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

struct mainloop *
mainloop_create(void)
{
    struct mainloop *ml = xzalloc(sizeof *ml);
    ml->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    return ml;
}

void
mainloop_wake(struct mainloop *ml)
{
    uint64_t one = 1;
    if (write(ml->wake_fd, &one, sizeof one) < 0) {
        /* Counter already set: the loop wakes anyway. */
    }
}

void
mainloop_destroy(struct mainloop *ml)
{
    if (ml) {
        free(ml->watches);
        free(ml->timers);
        close(ml->wake_fd);
        free(ml);
    }
}

void
mainloop_set_lock(struct mainloop *ml, void *mutex)
{
    ml->lock = mutex;
}

static struct watch *
find_watch(struct mainloop *ml, int fd)
{
    for (size_t i = 0; i < ml->n_watches; i++) {
        if (ml->watches[i].fd == fd) {
            return &ml->watches[i];
        }
    }
    return NULL;
}

static void add_fd(struct mainloop *, int fd, short events, mainloop_fd_cb *,
                   void *aux, bool unlocked);

void
mainloop_add_fd(struct mainloop *ml, int fd, short events, mainloop_fd_cb *cb,
                void *aux)
{
    add_fd(ml, fd, events, cb, aux, false);
}

void
mainloop_add_fd_unlocked(struct mainloop *ml, int fd, short events,
                         mainloop_fd_cb *cb, void *aux)
{
    add_fd(ml, fd, events, cb, aux, true);
}

static void
add_fd(struct mainloop *ml, int fd, short events, mainloop_fd_cb *cb,
       void *aux, bool unlocked)
{
    struct watch *w = find_watch(ml, fd);
    if (!w) {
        if (ml->n_watches >= ml->allocated) {
            ml->watches = x2nrealloc(ml->watches, &ml->allocated,
                                     sizeof *ml->watches);
        }
        w = &ml->watches[ml->n_watches++];
    }
    *w = (struct watch) { fd, events, unlocked, cb, aux };
    ml->changed = true;
    mainloop_wake(ml);
}

void
mainloop_set_events(struct mainloop *ml, int fd, short events)
{
    struct watch *w = find_watch(ml, fd);
    if (w && w->events != events) {
        w->events = events;
        mainloop_wake(ml);
    }
}

void
mainloop_remove_fd(struct mainloop *ml, int fd)
{
    struct watch *w = find_watch(ml, fd);
    if (w) {
        *w = ml->watches[--ml->n_watches];
        ml->changed = true;
        mainloop_wake(ml);
    }
}

void
mainloop_set_timer(struct mainloop *ml, long long ms, mainloop_timer_cb *cb,
                   void *aux)
{
    mainloop_cancel_timer(ml, aux);
    if (ml->n_timers >= ml->timers_allocated) {
        ml->timers = x2nrealloc(ml->timers, &ml->timers_allocated,
                                sizeof *ml->timers);
    }
    ml->timers[ml->n_timers++] = (struct ml_timer) { now_msec() + ms, cb, aux };
    mainloop_wake(ml);
}

void
mainloop_cancel_timer(struct mainloop *ml, void *aux)
{
    for (size_t i = 0; i < ml->n_timers; i++) {
        if (ml->timers[i].aux == aux) {
            ml->timers[i] = ml->timers[--ml->n_timers];
            return;
        }
    }
}

void
mainloop_run_once(struct mainloop *ml, int max_ms)
{
    if (ml->lock) {
        pthread_mutex_lock(ml->lock);
    }
    size_t n = ml->n_watches;
    struct pollfd *pfds = xcalloc(n + 1, sizeof *pfds);
    long long now = now_msec();
    int timeout = max_ms;

    for (size_t i = 0; i < ml->n_timers; i++) {
        long long left = MAX(0, ml->timers[i].deadline - now);
        if (timeout < 0 || left < timeout) {
            timeout = left;
        }
    }
    for (size_t i = 0; i < n; i++) {
        pfds[i].fd = ml->watches[i].events ? ml->watches[i].fd : -1;
        pfds[i].events = ml->watches[i].events;
    }
    pfds[n].fd = ml->wake_fd;
    pfds[n].events = POLLIN;
    if (ml->lock) {
        pthread_mutex_unlock(ml->lock);
    }

    int retval = poll(pfds, n + 1, timeout);

    if (ml->lock) {
        pthread_mutex_lock(ml->lock);
    }
    if (pfds[n].revents) {
        uint64_t count;
        if (read(ml->wake_fd, &count, sizeof count) < 0) {
            /* Nothing to drain. */
        }
    }
    if (retval > 0) {
        ml->changed = false;
        for (size_t i = 0; i < n && !ml->changed; i++) {
            if (pfds[i].revents) {
                struct watch *w = find_watch(ml, pfds[i].fd);
                if (w && w->events) {
                    if (w->unlocked && ml->lock) {
                        struct watch copy = *w;
                        pthread_mutex_unlock(ml->lock);
                        copy.cb(copy.aux, copy.fd, pfds[i].revents);
                        pthread_mutex_lock(ml->lock);
                    } else {
                        w->cb(w->aux, w->fd, pfds[i].revents);
                    }
                }
            }
        }
    }
    now = now_msec();
    for (size_t i = 0; i < ml->n_timers; ) {
        if (ml->timers[i].deadline <= now) {
            struct ml_timer t = ml->timers[i];
            ml->timers[i] = ml->timers[--ml->n_timers];
            t.cb(t.aux);
            i = 0;
        } else {
            i++;
        }
    }
    if (ml->lock) {
        pthread_mutex_unlock(ml->lock);
    }
    free(pfds);
}
