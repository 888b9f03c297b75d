// SPDX-License-Identifier: GPL-2.0
/* BPF helpers for bench/xdp-bench.sh: a frame generator (XDP_TX under
 * BPF_PROG_TEST_RUN live frames), a receiver that counts and drops, and the
 * bare XDP redirect yardstick. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __type(key, __u32);
    __type(value, __u64);
    __uint(max_entries, 1);
} counter SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __type(key, __u32);
    __type(value, __u32);
    __uint(max_entries, 1);
} target SEC(".maps");

SEC("xdp")
int xdp_gen(struct xdp_md *ctx)
{
    return XDP_TX;
}

SEC("xdp")
int xdp_count(struct xdp_md *ctx)
{
    __u32 k = 0;
    __u64 *v = bpf_map_lookup_elem(&counter, &k);
    if (v) {
        *v += 1;
    }
    return XDP_DROP;
}

SEC("xdp")
int xdp_redirect(struct xdp_md *ctx)
{
    __u32 k = 0;
    __u32 *ifindex = bpf_map_lookup_elem(&target, &k);
    return ifindex ? bpf_redirect(*ifindex, 0) : XDP_PASS;
}

SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
    return XDP_PASS;
}
