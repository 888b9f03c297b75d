/* Ingress policing of a port (vswitchd/qos-police.c loads police.bpf.c):
 * the map value shared by the BPF program and userspace.  Tokens count in
 * millionths of a bit, so that a rate in kbit/s times the nanoseconds
 * elapsed is the refill. */
#ifndef POLICE_H
#define POLICE_H 1

#include <linux/types.h>

struct police_bucket {
    struct bpf_spin_lock lock;    /* Guards tokens and last_ns. */
    __u32 rate_kbps;
    __u32 burst_kbit;             /* Bucket size; at least one frame. */
    __u32 pad;
    __s64 tokens;
    __u64 last_ns;                /* CLOCK_MONOTONIC of the last refill. */
    __u64 n_passed;               /* Packets let through. */
    __u64 n_dropped;              /* Packets over the rate, dropped. */
};
_Static_assert(sizeof(struct police_bucket) == 48,
               "police_bucket has no hidden padding");

#endif /* police.h */
