/* Shared by datapath/bpf/dp-put.bpf.c and dpif-xdp: one flow to create,
 * and the count of them, for the dp_put_batch program. */
#ifndef DP_PUT_H
#define DP_PUT_H 1

#define DP_PUT_BATCH 128          /* Flows per run. */

struct dp_put_req {
    struct dp_flow_key key;
    struct dp_flow flow;
    __s32 result;                 /* Out: 0 or a negative errno. */
    __u32 pad;
};

struct dp_put_args {
    __u32 n;                      /* Entries 0..n-1 of 'put_reqs'. */
    __u32 pad;
};

#endif /* dp-put.h */
