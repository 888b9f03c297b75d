/* The vs-vmm main thread's event loop: file descriptors with callbacks and
 * an optional timeout, on poll(2).  Callbacks run with vmm->dev_lock held
 * when registered with 'locked'. */
#ifndef VMM_MAINLOOP_H
#define VMM_MAINLOOP_H 1

#include <stdbool.h>

struct mainloop;
typedef void mainloop_fd_cb(void *aux, int fd, short revents);
typedef void mainloop_timer_cb(void *aux);

struct mainloop *mainloop_create(void);
void mainloop_destroy(struct mainloop *);

/* Watches 'fd' for 'events' (POLLIN/POLLOUT).  Re-adding an fd replaces its
 * callback and events; events 0 pauses the watch. */
void mainloop_add_fd(struct mainloop *, int fd, short events,
                     mainloop_fd_cb *, void *aux);
/* Same, but the callback runs without the loop's lock. */
void mainloop_add_fd_unlocked(struct mainloop *, int fd, short events,
                              mainloop_fd_cb *, void *aux);
void mainloop_set_events(struct mainloop *, int fd, short events);
void mainloop_remove_fd(struct mainloop *, int fd);

/* Calls 'cb' once after 'ms' milliseconds (one timer per aux). */
void mainloop_set_timer(struct mainloop *, long long ms, mainloop_timer_cb *,
                        void *aux);
void mainloop_cancel_timer(struct mainloop *, void *aux);

/* Blocks until at least one fd is ready or a timer fires (or 'max_ms'
 * passes, if >= 0), then runs the callbacks. */
void mainloop_run_once(struct mainloop *, int max_ms);

/* Makes a blocked mainloop_run_once() return (any thread). */
void mainloop_wake(struct mainloop *);

/* Lock taken around callbacks (may be NULL). */
void mainloop_set_lock(struct mainloop *, void *pthread_mutex);

#endif /* vmm/mainloop.h */
