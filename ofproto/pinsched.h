/* pinsched: packet-in rate limiting for one OpenFlow connection.
 *
 * A token bucket: 'rate' packet-ins per second on average, bursts of up to
 * 'burst'.  A packet-in that finds the bucket empty is dropped (and
 * counted) rather than queued: a controller that asked for a rate limit
 * wants the switch to shed load, and a queue would only delay the
 * packets it does get.  Reads no clock itself: callers pass time_msec(). */
#ifndef PINSCHED_H
#define PINSCHED_H 1

#include <stdbool.h>
#include <stdint.h>

struct pinsched;

/* 'rate' <= 0 means "no limit": returns NULL, which every function below
 * accepts and treats as "always admit".  'burst' <= 0 means rate / 4,
 * at least 1. */
struct pinsched *pinsched_create(int rate, int burst, long long now);
void pinsched_destroy(struct pinsched *);

/* Changes the limits, keeping the tokens already in the bucket (up to the
 * new burst).  May turn a NULL scheduler into one, or one into NULL. */
struct pinsched *pinsched_reconfigure(struct pinsched *, int rate, int burst,
                                      long long now);

/* True if a packet-in may be sent now (takes a token); false if it must be
 * dropped. */
bool pinsched_admit(struct pinsched *, long long now);

void pinsched_get_limits(const struct pinsched *, int *rate, int *burst);
uint64_t pinsched_n_admitted(const struct pinsched *);
uint64_t pinsched_n_dropped(const struct pinsched *);

#endif /* pinsched.h */
