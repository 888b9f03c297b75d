/* Reconnection policy as a pure state machine: exponential backoff between
 * connection attempts, a timeout on attempts, and keepalive probing of an
 * established connection.  It does no I/O and reads no clock: callers pass
 * 'now' (time_msec()) and act on what reconnect_run() returns, which makes
 * it easy to test.
 *
 *   VOID ──enable──> BACKOFF ──(backoff over)──> CONNECT action
 *   caller: reconnect_connecting() -> CONNECTING
 *           reconnect_connected()  -> ACTIVE    (or connect_failed -> BACKOFF)
 *   ACTIVE ──(probe_interval idle)──> PROBE action, IDLE
 *   IDLE ──(activity)──> ACTIVE;  IDLE ──(probe_interval more)──> DISCONNECT
 *   any connected state ──reconnect_disconnected()──> BACKOFF
 *
 * The backoff starts at 'min_backoff', doubles after each failure up to
 * 'max_backoff', and resets to 'min_backoff' after a connection that stayed
 * up longer than the backoff in force.  The first attempt is immediate. */
#ifndef VS_RECONNECT_H
#define VS_RECONNECT_H 1

#include <stdbool.h>

enum reconnect_state {
    RECONNECT_VOID,         /* Disabled. */
    RECONNECT_BACKOFF,      /* Waiting to try again. */
    RECONNECT_CONNECTING,   /* Attempt in progress. */
    RECONNECT_ACTIVE,       /* Connected, recent activity. */
    RECONNECT_IDLE,         /* Connected, probe sent, awaiting activity. */
    RECONNECT_RECONNECT,    /* Forced reconnection pending. */
};

enum reconnect_action {
    RECONNECT_NONE,
    RECONNECT_CONNECT,      /* Start a connection attempt. */
    RECONNECT_DISCONNECT,   /* Drop the connection or attempt. */
    RECONNECT_PROBE,        /* Send a keepalive probe (e.g. "echo"). */
};

#define RECONNECT_DEFAULT_MIN_BACKOFF 1000
#define RECONNECT_DEFAULT_MAX_BACKOFF 8000
#define RECONNECT_DEFAULT_PROBE_INTERVAL 5000

struct reconnect;

struct reconnect *reconnect_create(long long now);
void reconnect_destroy(struct reconnect *);

/* Name used in log messages (copied). */
void reconnect_set_name(struct reconnect *, const char *name);
const char *reconnect_get_name(const struct reconnect *);

/* Backoff bounds in ms (min >= 1, max >= min; adjusted if not). */
void reconnect_set_backoff(struct reconnect *, int min_backoff,
                           int max_backoff);
/* Idle time in ms before probing, and again before giving up; 0 turns
 * probing off.  Values below 1000 become 1000. */
void reconnect_set_probe_interval(struct reconnect *, int probe_interval);
int reconnect_get_probe_interval(const struct reconnect *);
/* After 'max_tries' failed attempts in a row the machine stops (VOID).
 * Default: unlimited. */
void reconnect_set_max_tries(struct reconnect *, unsigned int max_tries);

void reconnect_enable(struct reconnect *, long long now);
void reconnect_disable(struct reconnect *, long long now);
/* Drops a connection (or attempt) and tries again at once. */
void reconnect_force_reconnect(struct reconnect *, long long now);

/* Events reported by the caller. */
void reconnect_connecting(struct reconnect *, long long now);
void reconnect_connected(struct reconnect *, long long now);
void reconnect_connect_failed(struct reconnect *, long long now, int error);
void reconnect_disconnected(struct reconnect *, long long now, int error);
/* Something was received: the connection is alive. */
void reconnect_activity(struct reconnect *, long long now);

enum reconnect_action reconnect_run(struct reconnect *, long long now);
/* Makes poll_block() wake when reconnect_run() will have something to do. */
void reconnect_wait(struct reconnect *, long long now);
/* Milliseconds until reconnect_run() will have something to do, or -1 if
 * nothing is scheduled. */
long long reconnect_timeout(const struct reconnect *, long long now);

enum reconnect_state reconnect_get_state(const struct reconnect *);
const char *reconnect_state_name(enum reconnect_state);
bool reconnect_is_connected(const struct reconnect *);
bool reconnect_is_enabled(const struct reconnect *);
/* Current backoff in ms. */
int reconnect_get_backoff(const struct reconnect *);
/* Number of successful connections so far. */
unsigned int reconnect_get_n_connects(const struct reconnect *);
/* Error of the last failure or disconnection (0 for EOF). */
int reconnect_get_last_error(const struct reconnect *);

#endif /* reconnect.h */
