/* A token bucket in a BPF map value, shared by the datapath's meters
 * (dp.bpf.c) and ingress policing (police.bpf.c).  Inline: the verifier
 * allows no calls while a spin lock is held. */
#ifndef TOKEN_BUCKET_H
#define TOKEN_BUCKET_H 1

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define TOKEN_BUCKET_MAX_ELAPSED_NS 10000000000ULL  /* Bounds the product;
                                                     * the bucket is full
                                                     * long before. */

/* Under 'lock', refills '*tokens' by 'rate' per nanosecond since
 * '*last_ns' up to 'cap', then takes 'cost' if that many are there.
 * Returns true if it took them (the packet passes). */
static __always_inline int
token_bucket_take(struct bpf_spin_lock *lock, __s64 *tokens, __u64 *last_ns,
                  __u64 now, __u64 rate, __s64 cap, __s64 cost)
{
    int ok;

    bpf_spin_lock(lock);
    __u64 elapsed = now > *last_ns ? now - *last_ns : 0;
    if (elapsed > TOKEN_BUCKET_MAX_ELAPSED_NS) {
        elapsed = TOKEN_BUCKET_MAX_ELAPSED_NS;
    }
    __s64 t = *tokens + (__s64) (elapsed * rate);
    if (t > cap) {
        t = cap;
    }
    *last_ns = now;
    ok = t >= cost;
    *tokens = ok ? t - cost : t;
    bpf_spin_unlock(lock);
    return ok;
}

#endif /* token-bucket.h */
