// SPDX-License-Identifier: GPL-2.0
/* Ingress policing: a tc classifier (direct action) on clsact ingress, at
 * a priority before the datapath's dp_tc.  A packet within its port's
 * token bucket goes on to the next filter (TC_ACT_UNSPEC), one over it is
 * dropped; ports without a bucket are not touched.  The map is sized by
 * the loader. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "police.h"
#include "token-bucket.h"

char LICENSE[] SEC("license") = "GPL";

#define TC_ACT_UNSPEC (-1)
#define TC_ACT_SHOT 2
#define NS_PER_SEC 1000000000ULL

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __type(key, __u32);                   /* ifindex. */
    __type(value, struct police_bucket);
    __uint(max_entries, 1);               /* Set by the loader. */
} buckets SEC(".maps");

SEC("tc")
int
police_ingress(struct __sk_buff *skb)
{
    __u32 ifindex = skb->ifindex;
    struct police_bucket *b = bpf_map_lookup_elem(&buckets, &ifindex);
    if (!b) {
        return TC_ACT_UNSPEC;
    }
    __u64 now = bpf_ktime_get_ns();
    __s64 cap = (__s64) b->burst_kbit * NS_PER_SEC;
    __s64 cost = (__s64) skb->len * 8 * 1000000;
    if (token_bucket_take(&b->lock, &b->tokens, &b->last_ns, now,
                          b->rate_kbps, cap, cost)) {
        __sync_fetch_and_add(&b->n_passed, 1);
        return TC_ACT_UNSPEC;
    }
    __sync_fetch_and_add(&b->n_dropped, 1);
    return TC_ACT_SHOT;
}
