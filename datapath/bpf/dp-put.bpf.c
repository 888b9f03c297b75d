// SPDX-License-Identifier: GPL-2.0
/* Batched megaflow creation: one BPF_PROG_RUN of dp_put_batch installs up
 * to DP_PUT_BATCH flows with BPF_NOEXIST and reports each one's result.
 * (BPF_MAP_UPDATE_BATCH would take them in one syscall too, but only as
 * BPF_ANY: it would overwrite a flow that exists already -- the same flow
 * upcalled twice -- and zero its counters.)
 *
 * Userspace writes the requests straight into the mmapped 'put_reqs'
 * array, runs the program (a SEC("syscall") program, run by the bpf()
 * syscall itself) with the count as its context, and reads each result
 * back from the same entry.  Its 'flows' is the datapath's own map
 * (bpf_map__reuse_fd() before loading). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "dp-key.h"

char LICENSE[] SEC("license") = "GPL";

#include "dp-put.h"

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __type(key, struct dp_flow_key);
    __type(value, struct dp_flow);
    __uint(max_entries, 65536);     /* Replaced by the datapath's map. */
} flows SEC(".maps");

/* Not pinned: each process that opens the datapath has its own. */
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __type(key, __u32);
    __type(value, struct dp_put_req);
    __uint(max_entries, DP_PUT_BATCH);
    __uint(map_flags, BPF_F_MMAPABLE);
} put_reqs SEC(".maps");

static long
put_one(__u32 i, void *ctx)
{
    struct dp_put_req *r = bpf_map_lookup_elem(&put_reqs, &i);
    if (r) {
        r->result = bpf_map_update_elem(&flows, &r->key, &r->flow,
                                        BPF_NOEXIST);
    }
    return 0;
}

SEC("syscall")
int
dp_put_batch(struct dp_put_args *args)
{
    __u32 n = args->n;
    if (n > DP_PUT_BATCH) {
        return -1;
    }
    bpf_loop(n, put_one, NULL, 0);
    return 0;
}
