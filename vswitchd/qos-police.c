/* qos-police: ingress policing with a BPF token bucket filter (see
 * qos.h).  One program and one map (buckets by ifindex) for all ports,
 * loaded on first use; each policed port gets the program as a tc filter
 * on its clsact ingress. */
#include <config.h>
#include "vswitchd/qos.h"
#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "datapath/bpf/police.h"
#include "util.h"
#include "vswitchd/police.skel.h"

#define DEFAULT_BURST_KBIT 8000
#define MIN_BURST_KBIT 13               /* One 1600-byte frame. */

static struct police_bpf *skel;         /* NULL until first needed. */

static int
load(char **errp)
{
    if (skel) {
        return 0;
    }
    struct police_bpf *s = police_bpf__open();
    int error = s ? 0 : errno;
    if (!error) {
        bpf_map__set_max_entries(s->maps.buckets, QOS_MAX_POLICED_PORTS);
        error = -police_bpf__load(s);
    }
    if (error) {
        police_bpf__destroy(s);
        *errp = xasprintf("loading the ingress policer program: %s",
                          vs_strerror(error));
        return error;
    }
    skel = s;
    return 0;
}

static int
attach(int ifindex)
{
    LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
                .attach_point = BPF_TC_INGRESS);
    LIBBPF_OPTS(bpf_tc_opts, opts, .handle = QOS_POLICE_HANDLE,
                .priority = QOS_POLICE_PRIO, .flags = BPF_TC_F_REPLACE,
                .prog_fd = bpf_program__fd(skel->progs.police_ingress));
    int err = bpf_tc_hook_create(&hook);
    if (err && err != -EEXIST) {
        return -err;
    }
    err = bpf_tc_attach(&hook, &opts);
    return err < 0 ? -err : 0;
}

/* Removes our filter only: it is named by handle and priority. */
static void
detach(int ifindex)
{
    LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
                .attach_point = BPF_TC_INGRESS);
    LIBBPF_OPTS(bpf_tc_opts, opts, .handle = QOS_POLICE_HANDLE,
                .priority = QOS_POLICE_PRIO);
    bpf_tc_detach(&hook, &opts);
}

int
qos_remove_stale_policer(const char *dev)
{
    uint32_t ifindex = if_nametoindex(dev);
    if (!ifindex) {
        return 0;
    }
    LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
                .attach_point = BPF_TC_INGRESS);
    LIBBPF_OPTS(bpf_tc_opts, opts, .handle = QOS_POLICE_HANDLE,
                .priority = QOS_POLICE_PRIO);
    if (bpf_tc_query(&hook, &opts)) {
        return 0;               /* None, or no clsact at all. */
    }
    detach(ifindex);
    return 1;
}

int
qos_set_policing(const char *dev, uint32_t rate_kbps, uint32_t burst_kb,
                 char **errp)
{
    uint32_t ifindex = if_nametoindex(dev);
    int error;

    *errp = NULL;
    if (!ifindex) {
        *errp = xasprintf("no device %s", dev);
        return ENODEV;
    }
    if (!rate_kbps) {
        detach(ifindex);
        if (skel) {
            bpf_map_delete_elem(bpf_map__fd(skel->maps.buckets), &ifindex);
        }
        return 0;
    }
    error = load(errp);
    if (error) {
        return error;
    }
    struct police_bucket b;
    memset(&b, 0, sizeof b);
    b.rate_kbps = rate_kbps;
    b.burst_kbit = burst_kb ? burst_kb : DEFAULT_BURST_KBIT;
    if (b.burst_kbit < MIN_BURST_KBIT) {
        b.burst_kbit = MIN_BURST_KBIT;
    }
    /* tokens 0 and last_ns 0: the first packet finds the bucket full. */
    if (bpf_map_update_elem(bpf_map__fd(skel->maps.buckets), &ifindex, &b,
                            BPF_ANY)) {
        error = errno;
        *errp = xasprintf("ingress policer bucket: %s", vs_strerror(error));
        return error;
    }
    error = attach(ifindex);
    if (error) {
        *errp = xasprintf("attaching the ingress policer: %s",
                          vs_strerror(error));
    }
    return error;
}

int
qos_policing_stats(const char *dev, uint64_t *passed, uint64_t *dropped)
{
    uint32_t ifindex = if_nametoindex(dev);
    struct police_bucket b;

    *passed = *dropped = 0;
    if (!skel || !ifindex
        || bpf_map_lookup_elem(bpf_map__fd(skel->maps.buckets), &ifindex,
                               &b)) {
        return ENOENT;
    }
    *passed = b.n_passed;
    *dropped = b.n_dropped;
    return 0;
}
