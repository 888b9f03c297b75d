/* Packet-in token bucket; see pinsched.h. */
#include <config.h>
#include "pinsched.h"

#include "util.h"

/* Tokens are kept in thousandths of a packet-in so that refilling at
 * 'rate' per second adds exactly 'rate' units per millisecond. */
#define TOKEN 1000

struct pinsched {
    int rate;                   /* Packet-ins per second, > 0. */
    int burst;                  /* Bucket size in packet-ins, > 0. */
    long long tokens;           /* In 1/TOKEN packet-ins. */
    long long last_fill;        /* time_msec() of the last refill. */
    uint64_t n_admitted, n_dropped;
};

static int
effective_burst(int rate, int burst)
{
    if (burst > 0) {
        return burst;
    }
    return rate / 4 > 0 ? rate / 4 : 1;
}

struct pinsched *
pinsched_create(int rate, int burst, long long now)
{
    if (rate <= 0) {
        return NULL;
    }
    struct pinsched *ps = xzalloc(sizeof *ps);
    ps->rate = rate;
    ps->burst = effective_burst(rate, burst);
    ps->tokens = (long long) ps->burst * TOKEN;
    ps->last_fill = now;
    return ps;
}

void
pinsched_destroy(struct pinsched *ps)
{
    free(ps);
}

struct pinsched *
pinsched_reconfigure(struct pinsched *ps, int rate, int burst, long long now)
{
    if (!ps || rate <= 0) {
        pinsched_destroy(ps);
        return pinsched_create(rate, burst, now);
    }
    ps->rate = rate;
    ps->burst = effective_burst(rate, burst);
    if (ps->tokens > (long long) ps->burst * TOKEN) {
        ps->tokens = (long long) ps->burst * TOKEN;
    }
    return ps;
}

static void
refill(struct pinsched *ps, long long now)
{
    if (now > ps->last_fill) {
        long long cap = (long long) ps->burst * TOKEN;
        long long elapsed = now - ps->last_fill;
        /* Bound 'elapsed' before multiplying so a long idle period cannot
         * overflow. */
        if (elapsed > cap) {
            elapsed = cap;
        }
        ps->tokens += elapsed * ps->rate;
        if (ps->tokens > cap) {
            ps->tokens = cap;
        }
        ps->last_fill = now;
    }
}

bool
pinsched_admit(struct pinsched *ps, long long now)
{
    if (!ps) {
        return true;
    }
    refill(ps, now);
    if (ps->tokens >= TOKEN) {
        ps->tokens -= TOKEN;
        ps->n_admitted++;
        return true;
    }
    ps->n_dropped++;
    return false;
}

void
pinsched_get_limits(const struct pinsched *ps, int *rate, int *burst)
{
    *rate = ps ? ps->rate : 0;
    *burst = ps ? ps->burst : 0;
}

uint64_t
pinsched_n_admitted(const struct pinsched *ps)
{
    return ps ? ps->n_admitted : 0;
}

uint64_t
pinsched_n_dropped(const struct pinsched *ps)
{
    return ps ? ps->n_dropped : 0;
}
