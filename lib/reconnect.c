#include <config.h>
#include "reconnect.h"

#include <limits.h>

#include "poll-loop.h"
#include "util.h"

struct reconnect {
    char *name;                 /* Owned. */
    int min_backoff, max_backoff;
    int probe_interval;         /* 0: no probes. */
    unsigned int max_tries;     /* Failed attempts in a row before giving up. */

    enum reconnect_state state;
    long long state_entered;
    int backoff;                /* Wait in BACKOFF, ms. */
    long long last_activity;
    long long last_connected;
    unsigned int n_failures;    /* Failed attempts in a row. */
    unsigned int n_connects;
    int last_error;
};

struct reconnect *
reconnect_create(long long now)
{
    struct reconnect *fsm = xzalloc(sizeof *fsm);
    fsm->name = xstrdup("void");
    fsm->min_backoff = RECONNECT_DEFAULT_MIN_BACKOFF;
    fsm->max_backoff = RECONNECT_DEFAULT_MAX_BACKOFF;
    fsm->probe_interval = RECONNECT_DEFAULT_PROBE_INTERVAL;
    fsm->max_tries = UINT_MAX;
    fsm->state = RECONNECT_VOID;
    fsm->state_entered = now;
    fsm->last_activity = now;
    return fsm;
}

void
reconnect_destroy(struct reconnect *fsm)
{
    if (fsm) {
        free(fsm->name);
        free(fsm);
    }
}

void
reconnect_set_name(struct reconnect *fsm, const char *name)
{
    free(fsm->name);
    fsm->name = xstrdup(name ? name : "void");
}

const char *
reconnect_get_name(const struct reconnect *fsm)
{
    return fsm->name;
}

void
reconnect_set_backoff(struct reconnect *fsm, int min_backoff, int max_backoff)
{
    fsm->min_backoff = MAX(min_backoff, 1);
    fsm->max_backoff = MAX(max_backoff, fsm->min_backoff);
    if (fsm->state == RECONNECT_BACKOFF && fsm->backoff > fsm->max_backoff) {
        fsm->backoff = fsm->max_backoff;
    }
}

void
reconnect_set_probe_interval(struct reconnect *fsm, int probe_interval)
{
    fsm->probe_interval = probe_interval > 0 ? MAX(probe_interval, 1000) : 0;
}

int
reconnect_get_probe_interval(const struct reconnect *fsm)
{
    return fsm->probe_interval;
}

void
reconnect_set_max_tries(struct reconnect *fsm, unsigned int max_tries)
{
    fsm->max_tries = max_tries;
}

static void
transition(struct reconnect *fsm, enum reconnect_state state, long long now)
{
    fsm->state = state;
    fsm->state_entered = now;
}

void
reconnect_enable(struct reconnect *fsm, long long now)
{
    if (fsm->state == RECONNECT_VOID) {
        fsm->n_failures = 0;
        fsm->backoff = 0;           /* First attempt at once. */
        transition(fsm, RECONNECT_BACKOFF, now);
    }
}

void
reconnect_disable(struct reconnect *fsm, long long now)
{
    transition(fsm, RECONNECT_VOID, now);
}

void
reconnect_force_reconnect(struct reconnect *fsm, long long now)
{
    if (fsm->state != RECONNECT_VOID) {
        transition(fsm, RECONNECT_RECONNECT, now);
    }
}

void
reconnect_connecting(struct reconnect *fsm, long long now)
{
    if (fsm->state != RECONNECT_CONNECTING) {
        transition(fsm, RECONNECT_CONNECTING, now);
    }
}

void
reconnect_connected(struct reconnect *fsm, long long now)
{
    if (fsm->state != RECONNECT_ACTIVE && fsm->state != RECONNECT_IDLE) {
        fsm->n_connects++;
        fsm->n_failures = 0;
        fsm->last_connected = now;
        fsm->last_activity = now;
        transition(fsm, RECONNECT_ACTIVE, now);
    }
}

/* Enters BACKOFF after a failure, or VOID once out of tries. */
static void
back_off(struct reconnect *fsm, long long now, bool was_stable)
{
    if (was_stable) {
        fsm->backoff = fsm->min_backoff;
    } else if (fsm->backoff < fsm->min_backoff) {
        fsm->backoff = fsm->min_backoff;
    } else {
        fsm->backoff = MIN((long long) fsm->backoff * 2, fsm->max_backoff);
    }
    if (!was_stable && ++fsm->n_failures >= fsm->max_tries) {
        transition(fsm, RECONNECT_VOID, now);
    } else {
        transition(fsm, RECONNECT_BACKOFF, now);
    }
}

void
reconnect_connect_failed(struct reconnect *fsm, long long now, int error)
{
    fsm->last_error = error;
    if (fsm->state != RECONNECT_VOID) {
        back_off(fsm, now, false);
    }
}

void
reconnect_disconnected(struct reconnect *fsm, long long now, int error)
{
    fsm->last_error = error;
    switch (fsm->state) {
    case RECONNECT_VOID:
    case RECONNECT_BACKOFF:
        break;
    case RECONNECT_CONNECTING:
        back_off(fsm, now, false);
        break;
    case RECONNECT_RECONNECT:
        fsm->n_failures = 0;
        fsm->backoff = 0;
        transition(fsm, RECONNECT_BACKOFF, now);
        break;
    case RECONNECT_ACTIVE:
    case RECONNECT_IDLE:
        /* A connection that lasted resets the backoff; one that died at
         * once (a server accepting and closing) keeps doubling it. */
        back_off(fsm, now, now - fsm->last_connected > fsm->backoff);
        break;
    }
}

void
reconnect_activity(struct reconnect *fsm, long long now)
{
    fsm->last_activity = now;
    if (fsm->state == RECONNECT_IDLE) {
        transition(fsm, RECONNECT_ACTIVE, now);
    }
}

/* When the current state calls for action, or LLONG_MAX. */
static long long
deadline(const struct reconnect *fsm)
{
    switch (fsm->state) {
    case RECONNECT_VOID:
        return LLONG_MAX;
    case RECONNECT_BACKOFF:
        return fsm->state_entered + fsm->backoff;
    case RECONNECT_CONNECTING:
        /* Give an attempt at least a second, or the backoff if longer. */
        return fsm->state_entered + MAX(1000, fsm->backoff);
    case RECONNECT_ACTIVE:
        return fsm->probe_interval
               ? MAX(fsm->last_activity, fsm->state_entered)
                 + fsm->probe_interval
               : LLONG_MAX;
    case RECONNECT_IDLE:
        return fsm->probe_interval
               ? fsm->state_entered + fsm->probe_interval : LLONG_MAX;
    case RECONNECT_RECONNECT:
        return fsm->state_entered;
    }
    return LLONG_MAX;
}

enum reconnect_action
reconnect_run(struct reconnect *fsm, long long now)
{
    if (now < deadline(fsm)) {
        return RECONNECT_NONE;
    }
    switch (fsm->state) {
    case RECONNECT_BACKOFF:
        return RECONNECT_CONNECT;
    case RECONNECT_CONNECTING:
    case RECONNECT_IDLE:
    case RECONNECT_RECONNECT:
        return RECONNECT_DISCONNECT;
    case RECONNECT_ACTIVE:
        transition(fsm, RECONNECT_IDLE, now);
        return RECONNECT_PROBE;
    case RECONNECT_VOID:
        break;
    }
    return RECONNECT_NONE;
}

void
reconnect_wait(struct reconnect *fsm, long long now)
{
    long long timeout = reconnect_timeout(fsm, now);
    if (timeout >= 0) {
        poll_timer_wait(timeout);
    }
}

long long
reconnect_timeout(const struct reconnect *fsm, long long now)
{
    long long d = deadline(fsm);
    return d == LLONG_MAX ? -1 : d > now ? d - now : 0;
}

enum reconnect_state
reconnect_get_state(const struct reconnect *fsm)
{
    return fsm->state;
}

const char *
reconnect_state_name(enum reconnect_state state)
{
    switch (state) {
    case RECONNECT_VOID: return "VOID";
    case RECONNECT_BACKOFF: return "BACKOFF";
    case RECONNECT_CONNECTING: return "CONNECTING";
    case RECONNECT_ACTIVE: return "ACTIVE";
    case RECONNECT_IDLE: return "IDLE";
    case RECONNECT_RECONNECT: return "RECONNECT";
    }
    return "UNKNOWN";
}

bool
reconnect_is_connected(const struct reconnect *fsm)
{
    return fsm->state == RECONNECT_ACTIVE || fsm->state == RECONNECT_IDLE;
}

bool
reconnect_is_enabled(const struct reconnect *fsm)
{
    return fsm->state != RECONNECT_VOID;
}

int
reconnect_get_backoff(const struct reconnect *fsm)
{
    return fsm->backoff;
}

unsigned int
reconnect_get_n_connects(const struct reconnect *fsm)
{
    return fsm->n_connects;
}

int
reconnect_get_last_error(const struct reconnect *fsm)
{
    return fsm->last_error;
}
