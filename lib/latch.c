#include <config.h>
#include "latch.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include "poll-loop.h"

int
latch_init(struct latch *latch)
{
    latch->fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    return latch->fd < 0 ? errno : 0;
}

void
latch_destroy(struct latch *latch)
{
    if (latch->fd >= 0) {
        close(latch->fd);
        latch->fd = -1;
    }
}

void
latch_set(struct latch *latch)
{
    uint64_t one = 1;
    /* Cannot fail short of a 2^64 overflow; a failed write leaves it set. */
    ssize_t r = write(latch->fd, &one, sizeof one);
    (void) r;
}

bool
latch_poll(struct latch *latch)
{
    uint64_t value;
    return read(latch->fd, &value, sizeof value) == sizeof value;
}

bool
latch_is_set(const struct latch *latch)
{
    struct pollfd pfd = { .fd = latch->fd, .events = POLLIN };
    return poll(&pfd, 1, 0) == 1;
}

void
latch_wait(const struct latch *latch)
{
    poll_fd_wait(latch->fd, POLLIN);
}
