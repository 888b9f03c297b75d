/* dpif-xdp: the eBPF/XDP datapath provider.
 *
 * A datapath NAME is one loaded BPF object (bpf/dp.bpf.c) whose maps are
 * pinned in $VS_BPF_DIR/NAME (default /sys/fs/bpf/vswitch/NAME).  Its
 * programs are attached to every port: XDP (native if the driver can,
 * generic otherwise) plus tc clsact ingress; an "internal" port (a tap
 * whose host side is the bridge's own interface) gets tc egress instead,
 * since what the host sends on it is what enters the switch.
 *
 * Opening an existing datapath adopts it: libbpf reuses the pinned maps
 * (flows, ports, masks...), and the freshly loaded programs replace the old
 * ones on each port atomically, so traffic never stops.  Nothing is
 * detached on close(); only destroy() tears the datapath down.
 *
 * Megaflows live in one BPF hash map keyed by (mask id, masked key); the
 * 'masks' array lists the mask ids in probe order, which run() keeps sorted
 * by recent hits.  Upcalls arrive through a BPF ring buffer. */
#include <config.h>
#include "datapath/dpif.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <linux/magic.h>
#include <linux/virtio_net.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "datapath/dp.skel.h"
#include "datapath/dp-put.skel.h"
#include "datapath/bpf/dp-put.h"
#include "datapath/dp-rewrite.h"
#include "datapath/netdev-linux.h"
#include "datapath/tunnel.h"
#include "packets.h"
#include "poll-loop.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(dpif_xdp);

#define DP_TC_HANDLE 0x5653       /* "VS" */
/* tc filter priority of the datapath's program on clsact: 2, leaving 1
 * for a filter that must see packets first (ingress policing, see
 * vswitchd/qos.h).  Older vs-vswitchd attached it at 1 (DP_TC_OLD_PRIO). */
#define DP_TC_PRIO 2
#define DP_TC_OLD_PRIO 1
/* A tunnel netdev is shared by every bridge (each a datapath of its own)
 * with tunnels of its type and UDP port: each has its filter there at a
 * priority of its own from DP_TC_PRIO on, asked in that order.  What none
 * of a bridge's ports takes goes on to the next filter, and the last one
 * (dp_tc_drop) drops what no bridge took. */
#define DP_TC_TUN_MAX_BRIDGES 16
#define DP_TC_TUN_DROP_PRIO 0xfff0
#define MAX_QUEUED_UPCALLS 4096
#define REORDER_INTERVAL_MS 1000
#define MASK_COUNT_MAX_AGE_MS 60000 /* Then masks_gc_and_reorder() reads. */
#define RECV_BATCH_MAX 256        /* Upcalls per dpif_recv_batch(). */
#define EXEC_BATCH 256            /* Packets per sendmmsg(). */

struct xdp_mask {
    struct dp_key mask;
    bool in_use;                  /* In the BPF probe list. */
    unsigned int n_flows;         /* Counted by masks_gc(). */
    uint64_t last_hits;           /* Hit counter at the last reorder. */
    uint64_t recent;              /* Hits during the last interval. */
};

struct queued_upcall {
    uint32_t reason;
    struct dp_key key;
    size_t pkt_len;
    size_t len;
    uint32_t gso_size;            /* Of the skb; 0 if not GSO. */
    uint8_t data[];
};

/* Packets of a dpif_operate() waiting for one sendmmsg() on 'pkt_sock',
 * in the order their executes came.  'bufs' are copies that rewrites made,
 * freed once sent. */
struct exec_batch {
    struct mmsghdr msgs[EXEC_BATCH];
    struct iovec iovs[EXEC_BATCH];
    struct sockaddr_ll addrs[EXEC_BATCH];
    size_t n;
    uint8_t *bufs[EXEC_BATCH];    /* Each one is in a message queued. */
    size_t n_bufs;
    uint64_t n_queued, n_flushes; /* Ever, to tell what a send did. */
};

/* Plain creates of a dpif_operate() waiting for one run of dp_put_batch
 * (datapath/bpf/dp-put.bpf.c); the requests are in 'put_reqs'. */
struct put_batch {
    struct dpif_op *ops[DP_PUT_BATCH];
    size_t n;
};

struct dpif_xdp {
    struct dpif up;
    char *dir;                    /* bpffs directory of this datapath. */
    struct dp_bpf *skel;
    int n_cpus;

    struct xdp_mask masks[DP_MAX_MASKS];   /* Indexed by mask id. */
    uint32_t order[DP_MAX_MASKS];          /* Probe order (mask ids). */
    size_t n_order;
    long long next_reorder;

    /* flows_read() buffers, kept between dumps: a fresh 10+ MB every
     * second cost more in page faults than the read itself. */
    struct dp_flow_key *rd_keys;
    struct dp_flow *rd_vals;
    size_t rd_allocated;
    /* Flows per mask id as counted by the last dump, and when: the
     * once-a-second mask maintenance uses them instead of reading every
     * flow a second time. */
    unsigned int dump_n_flows[DP_MAX_MASKS];
    unsigned int chunk_n_flows[DP_MAX_MASKS]; /* Of the dump in progress. */
    long long dump_msec;

    struct ring_buffer *rb;
    struct queued_upcall **queue; /* Ring of pending upcalls. */
    size_t q_head, q_n;
    struct queued_upcall *last;   /* Returned by the last recv. */
    struct queued_upcall *received[RECV_BATCH_MAX]; /* ... recv_batch. */
    size_t n_received;
    uint64_t n_queue_drops;

    /* The 'masks' and 'ports' arrays mapped read-only (BPF_F_MMAPABLE),
     * so that the upcall path reads them without a syscall and still sees
     * every change (other processes' too); NULL: maps pinned by an older
     * version without the flag, read with syscalls. */
    const volatile struct dp_mask *masks_mm;
    const volatile struct dp_port *ports_mm;
    size_t masks_mm_size, ports_mm_size;
    /* The 'flow_stats' array mapped read-write: flows' counters by handle
     * (struct dp_flow_counters); NULL: pinned by a version without it. */
    volatile struct dp_flow_counters *fstats;
    size_t fstats_size;
    uint32_t n_fstats;

    int tap_fds[DP_MAX_PORTS];    /* Internal ports: fd into the host. */
    int pkt_sock;                 /* AF_PACKET, for execute. */
    struct exec_batch *eb;        /* dpif_operate()'s, made on first use. */
    struct put_batch *pb;
    /* dp_put_batch and its request array, mapped read-write; NULL: puts
     * one by one (a kernel without syscall programs, or by request). */
    struct dp_put_bpf *put_skel;
    struct dp_put_req *put_reqs;
    size_t put_reqs_size;
    int gso_sock;                 /* AF_PACKET with virtio_net_hdr: GSO
                                   * packets (bigger than the MTU). */
    /* Tunnel metadata that execute__()'s outputs to flow-based tunnel
     * ports use now (the packet's, then DP_ACT_SET_TUN_*). */
    uint32_t exec_tun_id;
    vs_be32 exec_tun_dst;
    int tun_sock;                 /* UDP, for those outputs; -1 until used. */
    struct {
        uint64_t packets, bytes;
    } tun_user_tx[DP_MAX_PORTS];  /* Sent by tunnel_send(), per port. */
};

static struct dpif_xdp *
dpif_xdp_cast(const struct dpif *dpif)
{
    return CONTAINER_OF(dpif, struct dpif_xdp, up);
}

static long long
mono_msec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static uint64_t
mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);   /* bpf_ktime_get_ns()'s clock. */
    return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static const char *
bpf_root(void)
{
    const char *d = getenv("VS_BPF_DIR");
    return d && d[0] ? d : "/sys/fs/bpf/vswitch";
}

static int fd_of(const struct bpf_map *m) { return bpf_map__fd(m); }
#define MAPFD(DP, NAME) fd_of((DP)->skel->maps.NAME)

/* ---- masks ---------------------------------------------------------------- */

static void
masks_publish(struct dpif_xdp *dp, size_t from)
{
    for (size_t i = from; i <= dp->n_order && i < DP_MAX_MASKS; i++) {
        struct dp_mask m;
        uint32_t idx = i;
        memset(&m, 0, sizeof m);
        if (i < dp->n_order) {
            m.mask = dp->masks[dp->order[i]].mask;
            m.id = dp->order[i];
            m.in_use = 1;
        }
        bpf_map_update_elem(MAPFD(dp, masks), &idx, &m, BPF_ANY);
    }
}

static uint64_t
percpu_sum(struct dpif_xdp *dp, int fd, uint32_t idx)
{
    uint64_t vals[dp->n_cpus], sum = 0;
    if (!bpf_map_lookup_elem(fd, &idx, vals)) {
        for (int i = 0; i < dp->n_cpus; i++) {
            sum += vals[i];
        }
    }
    return sum;
}

/* Reads the whole mask list into 'out' with one syscall (BPF array maps
 * support batch lookup); falls back to one lookup per entry.  Returns the
 * number of entries read. */
static size_t
masks_read(struct dpif_xdp *dp, struct dp_mask out[DP_MAX_MASKS])
{
    static bool no_batch;
    uint32_t out_batch, count = DP_MAX_MASKS;
    uint32_t keys[DP_MAX_MASKS];
    LIBBPF_OPTS(bpf_map_batch_opts, opts);

    if (dp->masks_mm) {
        for (size_t i = 0; i < DP_MAX_MASKS; i++) {
            memcpy(&out[i], (const void *) &dp->masks_mm[i], sizeof out[i]);
        }
        return DP_MAX_MASKS;
    }
    if (!no_batch) {
        int err = bpf_map_lookup_batch(MAPFD(dp, masks), NULL, &out_batch,
                                       keys, out, &count, &opts);
        if (!err || errno == ENOENT) {
            return count;
        }
        no_batch = true;
    }
    size_t n = 0;
    for (uint32_t i = 0; i < DP_MAX_MASKS; i++) {
        if (bpf_map_lookup_elem(MAPFD(dp, masks), &i, &out[n])) {
            break;
        }
        n++;
    }
    return n;
}

/* Reloads the probe list from the BPF map: it is the truth, and other
 * processes (vs-dpctl) may change it. */
static void
masks_load(struct dpif_xdp *dp)
{
    struct dp_mask list[DP_MAX_MASKS];
    size_t n = masks_read(dp, list);

    for (int id = 0; id < DP_MAX_MASKS; id++) {
        dp->masks[id].in_use = false;
    }
    dp->n_order = 0;
    for (size_t i = 0; i < n; i++) {
        const struct dp_mask *m = &list[i];
        if (!m->in_use) {
            break;
        }
        if (m->id < DP_MAX_MASKS && !dp->masks[m->id].in_use) {
            dp->masks[m->id].mask = m->mask;
            dp->masks[m->id].in_use = true;
            dp->order[dp->n_order++] = m->id;
        }
    }
}

static int
find_mask(struct dpif_xdp *dp, const struct dp_key *mask)
{
    masks_load(dp);
    for (int id = 0; id < DP_MAX_MASKS; id++) {
        if (dp->masks[id].in_use
            && !memcmp(&dp->masks[id].mask, mask, sizeof *mask)) {
            return id;
        }
    }
    return -1;
}

/* Returns the id of 'mask', reserving a new one ('*newp') if it is not in
 * the probe list yet; -1 if the list is full. */
static int
mask_ref(struct dpif_xdp *dp, const struct dp_key *mask, bool *newp)
{
    int id = find_mask(dp, mask);

    *newp = false;
    if (id >= 0) {
        return id;
    }
    for (id = 0; id < DP_MAX_MASKS; id++) {
        if (!dp->masks[id].in_use) {
            dp->masks[id].mask = *mask;
            dp->masks[id].recent = 0;
            dp->masks[id].last_hits = percpu_sum(dp, MAPFD(dp, mask_hits), id);
            *newp = true;
            return id;
        }
    }
    return -1;
}

/* Appends mask 'id' to the probe list (after its first flow exists). */
static void
mask_publish_new(struct dpif_xdp *dp, int id)
{
    dp->masks[id].in_use = true;
    dp->order[dp->n_order++] = id;
    masks_publish(dp, dp->n_order - 1);
}

static size_t flows_read(struct dpif_xdp *);

/* Drops masks that no flow uses any more and sorts the rest by hits in the
 * last interval, busiest first. */
static void
masks_gc_and_reorder(struct dpif_xdp *dp)
{
    bool changed = false;
    long long now = mono_msec();

    /* The counts of the last complete dump, plus the flows put and minus
     * those deleted since, are exact for the flows of this process and
     * count others' deletions as none, so a mask they give as used is:
     * they serve unless they say a mask went unused, or grew old.  A
     * mask is only dropped on a count read from the flows themselves:
     * reading them all takes ~30 ms per 60,000 flows, once a second. */
    bool trust = dp->dump_msec && now - dp->dump_msec < MASK_COUNT_MAX_AGE_MS;
    for (size_t i = 0; trust && i < dp->n_order; i++) {
        trust = dp->dump_n_flows[dp->order[i]] > 0;
    }
    masks_load(dp);
    if (!trust) {
        size_t n = flows_read(dp);
        memset(dp->dump_n_flows, 0, sizeof dp->dump_n_flows);
        for (size_t i = 0; i < n; i++) {
            if (dp->rd_keys[i].mask_id < DP_MAX_MASKS) {
                dp->dump_n_flows[dp->rd_keys[i].mask_id]++;
            }
        }
        dp->dump_msec = now;
    }
    for (int id = 0; id < DP_MAX_MASKS; id++) {
        dp->masks[id].n_flows = dp->dump_n_flows[id];
    }
    for (size_t i = 0; i < dp->n_order; ) {
        uint32_t id = dp->order[i];
        if (!dp->masks[id].n_flows) {
            dp->masks[id].in_use = false;
            memmove(&dp->order[i], &dp->order[i + 1],
                    (dp->n_order - i - 1) * sizeof dp->order[0]);
            dp->n_order--;
            changed = true;
        } else {
            i++;
        }
    }
    for (size_t i = 0; i < dp->n_order; i++) {
        struct xdp_mask *m = &dp->masks[dp->order[i]];
        uint64_t hits = percpu_sum(dp, MAPFD(dp, mask_hits), dp->order[i]);
        m->recent = hits - m->last_hits;
        m->last_hits = hits;
    }
    for (size_t i = 1; i < dp->n_order; i++) {
        for (size_t j = i; j > 0; j--) {
            uint32_t a = dp->order[j - 1], b = dp->order[j];
            if (dp->masks[b].recent <= dp->masks[a].recent) {
                break;
            }
            dp->order[j - 1] = b;
            dp->order[j] = a;
            changed = true;
        }
    }
    if (changed) {
        masks_publish(dp, 0);
    }
}

/* ---- upcalls ------------------------------------------------------------- */

static uint32_t
csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i + 1 < n; i += 2) {
        sum += (uint32_t) p[i] << 8 | p[i + 1];
    }
    if (n & 1) {
        sum += (uint32_t) p[n - 1] << 8;
    }
    return sum;
}

static uint16_t
csum_fold(uint32_t sum)
{
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return ~sum & 0xffff;
}

/* tc hands up skbs whose TCP/UDP checksum may be left for the NIC to fill
 * in (CHECKSUM_PARTIAL: only the pseudo-header sum is there).  Such a
 * packet re-sent from userspace would be dropped by its receiver, so
 * complete the checksum of every whole TCP/UDP packet. */
static void
fix_l4_csum(uint8_t *pkt, size_t len)
{
    size_t l3 = 14;
    uint16_t type;

    if (len < 14) {
        return;
    }
    type = pkt[12] << 8 | pkt[13];
    if (type == 0x8100 && len >= 18) {
        type = pkt[16] << 8 | pkt[17];
        l3 = 18;
    }
    uint8_t *ip = pkt + l3, proto;
    size_t l4, l4_len;
    uint32_t sum;
    if (type == 0x0800 && len >= l3 + 20 && (ip[0] >> 4) == 4) {
        size_t ihl = (ip[0] & 0xf) * 4, tot = ip[2] << 8 | ip[3];
        if (ihl < 20 || (ip[6] & 0x3f) || ip[7] || tot < ihl
            || l3 + tot > len) {
            return;             /* Fragments and bad lengths: leave. */
        }
        proto = ip[9];
        l4 = l3 + ihl;
        l4_len = tot - ihl;
        sum = csum_add(0, ip + 12, 8);
    } else if (type == 0x86dd && len >= l3 + 40) {
        size_t plen = ip[4] << 8 | ip[5];
        if (l3 + 40 + plen > len) {
            return;
        }
        proto = ip[6];
        l4 = l3 + 40;
        l4_len = plen;
        sum = csum_add(0, ip + 8, 32);
    } else {
        return;
    }
    size_t ofs = proto == 6 ? 16 : proto == 17 ? 6 : 0;
    if (!ofs || l4_len < ofs + 2 || (proto == 17 && type == 0x0800
                                     && !pkt[l4 + 6] && !pkt[l4 + 7])) {
        return;
    }
    sum += proto + l4_len;
    pkt[l4 + ofs] = pkt[l4 + ofs + 1] = 0;
    uint16_t c = csum_fold(csum_add(sum, pkt + l4, l4_len));
    if (proto == 17 && !c) {
        c = 0xffff;
    }
    pkt[l4 + ofs] = c >> 8;
    pkt[l4 + ofs + 1] = c & 0xff;
}

static int
upcall_cb(void *ctx, void *data, size_t size)
{
    struct dpif_xdp *dp = ctx;
    const struct dp_upcall *u = data;

    if (size < sizeof *u || u->cap_len > size - sizeof *u) {
        return 0;
    }
    if (dp->q_n >= MAX_QUEUED_UPCALLS) {
        dp->n_queue_drops++;
        return 0;
    }
    const uint8_t *pkt = (const uint8_t *) (u + 1);
    size_t len = u->cap_len, extra = 0;
    /* tc sees 802.1Q tags already pulled out of the frame; put it back so
     * the upcall carries the frame as it was on the wire. */
    bool reinsert = (u->key.vlan_tci & DP_VLAN_PRESENT) && len >= 14
                    && !(pkt[12] == 0x81 && pkt[13] == 0x00);
    if (reinsert) {
        extra = 4;
    }
    struct queued_upcall *q = xmalloc(sizeof *q + len + extra);
    q->reason = u->reason;
    q->key = u->key;
    q->pkt_len = u->pkt_len + extra;
    q->len = len + extra;
    q->gso_size = u->gso_size;
    if (reinsert) {
        uint16_t tci = u->key.vlan_tci & ~DP_VLAN_PRESENT;
        memcpy(q->data, pkt, 12);
        q->data[12] = 0x81;
        q->data[13] = 0x00;
        q->data[14] = tci >> 8;
        q->data[15] = tci & 0xff;
        memcpy(q->data + 16, pkt + 12, len - 12);
    } else {
        memcpy(q->data, pkt, len);
    }
    if (q->len == q->pkt_len) {
        fix_l4_csum(q->data, q->len);
    }
    dp->queue[(dp->q_head + dp->q_n++) % MAX_QUEUED_UPCALLS] = q;
    return 0;
}

/* Frees the upcalls handed out by the last recv or recv_batch. */
static void
release_received(struct dpif_xdp *dp)
{
    free(dp->last);
    dp->last = NULL;
    for (size_t i = 0; i < dp->n_received; i++) {
        free(dp->received[i]);
    }
    dp->n_received = 0;
}

static struct queued_upcall *
dequeue_upcall(struct dpif_xdp *dp, struct dpif_upcall *upcall)
{
    struct queued_upcall *q = dp->queue[dp->q_head];
    dp->q_head = (dp->q_head + 1) % MAX_QUEUED_UPCALLS;
    dp->q_n--;
    upcall->reason = q->reason;
    upcall->key = q->key;
    upcall->packet = q->data;
    upcall->len = q->len;
    upcall->pkt_len = q->pkt_len;
    return q;
}

static int
dpif_xdp_recv(struct dpif *dpif, struct dpif_upcall *upcall)
{
    struct dpif_xdp *dp = dpif_xdp_cast(dpif);

    release_received(dp);
    if (!dp->q_n) {
        ring_buffer__consume(dp->rb);
        if (!dp->q_n) {
            return EAGAIN;
        }
    }
    dp->last = dequeue_upcall(dp, upcall);
    return 0;
}

static size_t
dpif_xdp_recv_batch(struct dpif *dpif, struct dpif_upcall *upcalls,
                    size_t max)
{
    struct dpif_xdp *dp = dpif_xdp_cast(dpif);

    release_received(dp);
    max = MIN(max, RECV_BATCH_MAX);
    if (dp->q_n < max) {
        /* One pass over the ring takes all it holds. */
        ring_buffer__consume(dp->rb);
    }
    while (dp->n_received < max && dp->q_n) {
        size_t i = dp->n_received++;
        dp->received[i] = dequeue_upcall(dp, &upcalls[i]);
    }
    return dp->n_received;
}

/* The GSO size of the skb whose upcall handed out 'packet', else 0. */
static uint32_t
received_gso_size(const struct dpif_xdp *dp, const void *packet)
{
    if (dp->last && packet == dp->last->data) {
        return dp->last->gso_size;
    }
    for (size_t i = 0; i < dp->n_received; i++) {
        if (packet == dp->received[i]->data) {
            return dp->received[i]->gso_size;
        }
    }
    return 0;
}

static int
dpif_xdp_upcall_fd(struct dpif *dpif)
{
    return ring_buffer__epoll_fd(dpif_xdp_cast(dpif)->rb);
}

static void
dpif_xdp_recv_wait(struct dpif *dpif VS_UNUSED)
{
    /* Callers poll dpif_upcall_fd(). */
}

/* ---- ports --------------------------------------------------------------- */

static int
port_get(struct dpif_xdp *dp, uint32_t port_no, struct dp_port *p)
{
    if (port_no == 0 || port_no >= DP_MAX_PORTS) {
        return ENOENT;
    }
    if (dp->ports_mm) {
        memcpy(p, (const void *) &dp->ports_mm[port_no], sizeof *p);
    } else if (bpf_map_lookup_elem(MAPFD(dp, ports), &port_no, p)) {
        return ENOENT;
    }
    return p->flags & DP_PORT_IN_USE ? 0 : ENOENT;
}

static void
port_to_dpif_port(uint32_t port_no, const struct dp_port *p,
                  struct dpif_port *out)
{
    static const char *const types[] = { "system", "internal", "tap",
                                         "vxlan", "geneve" };
    memset(out, 0, sizeof *out);
    out->port_no = port_no;
    memcpy(out->name, p->name, sizeof out->name);
    out->name[sizeof out->name - 1] = '\0';
    snprintf(out->type, sizeof out->type, "%s",
             p->type < ARRAY_SIZE(types) ? types[p->type] : "system");
    out->ifindex = p->ifindex;
    out->flags = p->flags;
}

/* ---- tunnel ports -------------------------------------------------------- */

static void
tun_port_key(const struct dp_port *p, struct dp_tun_port_key *k)
{
    memset(k, 0, sizeof *k);
    k->ifindex = p->ifindex;
    k->remote = p->tun_remote;
    k->key = p->tun_key;
    k->wild = p->tun_flags & (DP_TUN_KEY_FLOW | DP_TUN_REMOTE_FLOW);
}

/* Another tunnel port than 'except' on netdev 'ifindex', or 0. */
static uint32_t
tunnel_port_sharing(struct dpif_xdp *dp, uint32_t ifindex, uint32_t except)
{
    for (uint32_t i = 1; i < DP_MAX_PORTS; i++) {
        struct dp_port q;
        if (i != except && !port_get(dp, i, &q)
            && (q.flags & DP_PORT_TUNNEL) && q.ifindex == ifindex) {
            return i;
        }
    }
    return 0;
}

static int tc_attach(struct dpif_xdp *, int ifindex, bool egress);
static int tc_attach_prog(int ifindex, bool egress, uint32_t prio,
                          int prog_fd, uint32_t flags);
static void tc_detach(int ifindex, bool egress);
static void tc_detach_prio(int ifindex, bool egress, uint32_t prio);

enum tc_owner {
    TC_NONE,                    /* No filter there. */
    TC_OURS,                    /* This datapath's (perhaps from before a
                                 * restart): its program uses our maps. */
    TC_OTHERS,                  /* Another bridge's. */
};

/* Whose is the filter at tc ingress priority 'prio' of 'ifindex'?  Ours
 * if its program uses map 'ports_id' (this datapath's 'ports'; 0: not
 * known, so no filter is ours). */
static enum tc_owner
tc_ingress_owner(int ifindex, uint32_t prio, uint32_t ports_id)
{
    LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
                .attach_point = BPF_TC_INGRESS);
    LIBBPF_OPTS(bpf_tc_opts, opts, .handle = DP_TC_HANDLE,
                .priority = prio);
    if (bpf_tc_query(&hook, &opts)) {
        return TC_NONE;
    }
    int fd = bpf_prog_get_fd_by_id(opts.prog_id);
    if (fd < 0) {
        return TC_NONE;             /* Gone meanwhile. */
    }
    uint32_t ids[64];
    struct bpf_prog_info pinfo;
    memset(&pinfo, 0, sizeof pinfo);
    pinfo.nr_map_ids = ARRAY_SIZE(ids);
    pinfo.map_ids = (uintptr_t) ids;
    uint32_t len = sizeof pinfo;
    enum tc_owner owner = TC_OTHERS;
    if (ports_id && !bpf_obj_get_info_by_fd(fd, &pinfo, &len)) {
        for (uint32_t i = 0; i < pinfo.nr_map_ids && i < ARRAY_SIZE(ids);
             i++) {
            if (ids[i] == ports_id) {
                owner = TC_OURS;
            }
        }
    }
    close(fd);
    return owner;
}

/* The bridges' priorities on a tunnel netdev, as tunnel_tc_scan() finds
 * them. */
struct tunnel_tc_slots {
    uint32_t ours;              /* This datapath's filter's, or 0. */
    uint32_t free;              /* The first one no filter has, or 0. */
    bool others;                /* Another bridge has a filter there. */
};

static void
tunnel_tc_scan(struct dpif_xdp *dp, int ifindex, struct tunnel_tc_slots *s)
{
    struct bpf_map_info minfo;
    uint32_t len = sizeof minfo;
    memset(&minfo, 0, sizeof minfo);
    if (bpf_obj_get_info_by_fd(MAPFD(dp, ports), &minfo, &len)) {
        minfo.id = 0;
    }
    memset(s, 0, sizeof *s);
    for (uint32_t prio = DP_TC_PRIO;
         prio < DP_TC_PRIO + DP_TC_TUN_MAX_BRIDGES; prio++) {
        switch (tc_ingress_owner(ifindex, prio, minfo.id)) {
        case TC_OURS:
            s->ours = s->ours ? s->ours : prio;
            break;
        case TC_NONE:
            s->free = s->free ? s->free : prio;
            break;
        case TC_OTHERS:
            s->others = true;
            break;
        }
    }
}

/* Attaches this datapath's filter to tunnel netdev 'ifindex' (again,
 * after a restart, at the priority it had, else at the first free one),
 * and the drop filter after all bridges' if it is not there yet. */
static int
tunnel_tc_attach(struct dpif_xdp *dp, int ifindex)
{
    struct tunnel_tc_slots slots;
    tunnel_tc_scan(dp, ifindex, &slots);
    uint32_t prio = slots.ours ? slots.ours : slots.free;
    if (!prio) {
        return EBUSY;
    }
    int err = tc_attach_prog(ifindex, false, prio,
                             bpf_program__fd(dp->skel->progs.dp_tc),
                             BPF_TC_F_REPLACE);
    if (!err) {
        err = tc_attach_prog(ifindex, false, DP_TC_TUN_DROP_PRIO,
                             bpf_program__fd(dp->skel->progs.dp_tc_drop), 0);
    }
    return err == EEXIST ? 0 : err;
}

/* Detaches this datapath's filter from tunnel netdev 'ifindex'.  Returns
 * true if other bridges' filters stay (the netdev is still theirs). */
static bool
tunnel_tc_detach(struct dpif_xdp *dp, int ifindex)
{
    struct tunnel_tc_slots slots;
    tunnel_tc_scan(dp, ifindex, &slots);
    if (slots.ours) {
        tc_detach_prio(ifindex, false, slots.ours);
    }
    return slots.others;
}

/* Adds tunnel port 'devname' (an Interface name, not a netdev) as
 * 'port_no' on the shared flow-based netdev of its type and UDP port.
 * What it receives enters at tc ingress of that netdev. */
static int
tunnel_port_add(struct dpif_xdp *dp, const char *devname, const char *type,
                const char *options, uint32_t port_no)
{
    struct tunnel_cfg cfg;
    struct dp_port p;
    bool created;
    char *msg;
    int ifindex;

    int error = tunnel_cfg_parse(type, options, &cfg, &msg);
    if (error) {
        VLOG_WARN("%s: %s", devname, msg);
        free(msg);
        return error;
    }
    error = tunnel_netdev_ensure(&cfg, &ifindex, &created);
    if (error) {
        return error;
    }
    memset(&p, 0, sizeof p);
    p.ifindex = ifindex;
    p.flags = DP_PORT_IN_USE | DP_PORT_TUNNEL;
    p.type = cfg.type;
    snprintf(p.name, sizeof p.name, "%s", devname);
    p.tun_remote = cfg.remote;
    p.tun_local = cfg.local;
    p.tun_key = cfg.key;
    p.tun_flags = cfg.flags;
    p.tun_udp_port = cfg.udp_port;

    struct dp_tun_port_key tk;
    tun_port_key(&p, &tk);
    uint32_t owner = 0;         /* A port of ours already on the netdev. */
    if (!bpf_map_lookup_elem(MAPFD(dp, tun_ports), &tk, &(uint32_t) { 0 })) {
        VLOG_WARN("%s: another tunnel port has the same remote_ip and key",
                  devname);
        error = EEXIST;
    } else if (!bpf_map_lookup_elem(MAPFD(dp, port_by_ifindex), &ifindex,
                                    &owner)) {
        /* Our tc program is there already; a netdev added as a system
         * port is not a tunnel's. */
        struct dp_port o;
        if (port_get(dp, owner, &o) || !(o.flags & DP_PORT_TUNNEL)) {
            error = EEXIST;
        }
    } else {
        owner = 0;
        error = tunnel_tc_attach(dp, ifindex);
        if (error == EBUSY) {
            VLOG_WARN("%s: %d other bridges' tunnels use the netdev of UDP "
                      "port %u: give this one another dst_port", devname,
                      DP_TC_TUN_MAX_BRIDGES, cfg.udp_port);
        }
    }
    if (!error) {
        /* A new port starts from zero (the number may have been
         * another's). */
        struct dp_tun_stats *zero = xcalloc(dp->n_cpus, sizeof *zero);
        bpf_map_update_elem(MAPFD(dp, tun_stats), &port_no, zero, BPF_ANY);
        free(zero);
        dp->tun_user_tx[port_no].packets = 0;
        dp->tun_user_tx[port_no].bytes = 0;
        if (bpf_map_update_elem(MAPFD(dp, ports), &port_no, &p, BPF_ANY)
            || bpf_map_update_elem(MAPFD(dp, tun_ports), &tk, &port_no,
                                   BPF_ANY)
            || (!owner && bpf_map_update_elem(MAPFD(dp, port_by_ifindex),
                                              &ifindex, &port_no, BPF_ANY))) {
            error = errno;
            bpf_map_delete_elem(MAPFD(dp, tun_ports), &tk);
            memset(&p, 0, sizeof p);
            bpf_map_update_elem(MAPFD(dp, ports), &port_no, &p, BPF_ANY);
            if (!owner) {
                tunnel_tc_detach(dp, ifindex);
            }
        }
    }
    if (error && created && !tunnel_tc_detach(dp, ifindex)) {
        char name[16];
        tunnel_netdev_name(&cfg, name);
        tunnel_netdev_delete(name);
    }
    return error;
}

/* Undoes tunnel_port_add(); 'p' is already out of the 'ports' map.  The
 * last port of the last bridge on a netdev takes the netdev with it. */
static void
tunnel_port_del(struct dpif_xdp *dp, uint32_t port_no, const struct dp_port *p)
{
    struct dp_tun_port_key tk;
    tun_port_key(p, &tk);
    bpf_map_delete_elem(MAPFD(dp, tun_ports), &tk);

    uint32_t other = tunnel_port_sharing(dp, p->ifindex, port_no);
    if (other) {
        bpf_map_update_elem(MAPFD(dp, port_by_ifindex), &p->ifindex, &other,
                            BPF_ANY);
        return;
    }
    bpf_map_delete_elem(MAPFD(dp, port_by_ifindex), &p->ifindex);
    struct tunnel_cfg cfg = { .type = p->type,
                              .udp_port = p->tun_udp_port };
    char name[16];
    tunnel_netdev_name(&cfg, name);
    if (if_nametoindex(name) == p->ifindex
        && !tunnel_tc_detach(dp, p->ifindex)) {
        tunnel_netdev_delete(name);
    }
}

static void
update_flood_cfg(struct dpif_xdp *dp)
{
    uint32_t all = 1, n = 0, idx = DP_CFG_XDP_FLOOD;
    for (uint32_t i = 1; i < DP_MAX_PORTS; i++) {
        struct dp_port p;
        if (!port_get(dp, i, &p)) {
            n++;
            if (!(p.flags & DP_PORT_XDP_TX)
                || (p.flags & (DP_PORT_INTERNAL | DP_PORT_TC_EGRESS))) {
                all = 0;
            }
        }
    }
    all = all && n;
    bpf_map_update_elem(MAPFD(dp, config), &idx, &all, BPF_ANY);
}

/* Attaches 'prog_fd' at tc priority 'prio' of 'ifindex', making the
 * clsact hook if there is none.  'flags': BPF_TC_F_REPLACE, or 0 to leave
 * a filter already there (then EEXIST).  Returns 0 or a positive errno. */
static int
tc_attach_prog(int ifindex, bool egress, uint32_t prio, int prog_fd,
               uint32_t flags)
{
    LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
                .attach_point = egress ? BPF_TC_EGRESS : BPF_TC_INGRESS);
    LIBBPF_OPTS(bpf_tc_opts, opts, .handle = DP_TC_HANDLE, .priority = prio,
                .flags = flags, .prog_fd = prog_fd);
    int err = bpf_tc_hook_create(&hook);
    if (err && err != -EEXIST) {
        return -err;
    }
    err = bpf_tc_attach(&hook, &opts);
    return err < 0 ? -err : 0;
}

static int
tc_attach(struct dpif_xdp *dp, int ifindex, bool egress)
{
    /* Adopted from an older version (no hook yet: nothing to detach). */
    tc_detach_prio(ifindex, egress, DP_TC_OLD_PRIO);
    return tc_attach_prog(ifindex, egress, DP_TC_PRIO,
                          bpf_program__fd(dp->skel->progs.dp_tc),
                          BPF_TC_F_REPLACE);
}

static void
tc_detach_prio(int ifindex, bool egress, uint32_t prio)
{
    LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
                .attach_point = egress ? BPF_TC_EGRESS : BPF_TC_INGRESS);
    LIBBPF_OPTS(bpf_tc_opts, opts, .handle = DP_TC_HANDLE, .priority = prio);
    bpf_tc_detach(&hook, &opts);
}

static void
tc_detach(int ifindex, bool egress)
{
    tc_detach_prio(ifindex, egress, DP_TC_PRIO);
}

/* Attaches (or re-attaches, replacing an older program) the programs to
 * port 'p', updating its XDP mode flags. */
static int
port_attach(struct dpif_xdp *dp, struct dp_port *p, bool want_native)
{
    if (p->type == DP_PORT_TYPE_INTERNAL) {
        return tc_attach(dp, p->ifindex, true);
    }
    int fd = bpf_program__fd(dp->skel->progs.dp_xdp);
    int err = -1;
    if (want_native && !(p->flags & DP_PORT_XDP_SKB)) {
        err = bpf_xdp_attach(p->ifindex, fd, XDP_FLAGS_DRV_MODE, NULL);
        if (!err) {
            p->flags = (p->flags & ~DP_PORT_XDP_SKB) | DP_PORT_XDP_NATIVE;
        }
    }
    if (err) {
        err = bpf_xdp_attach(p->ifindex, fd, XDP_FLAGS_SKB_MODE, NULL);
        if (err == -EEXIST || err == -EBUSY) {
            /* A program in the other mode (a datapath that died while
             * detached from its daemon): a port belongs to one switch. */
            bpf_xdp_detach(p->ifindex, XDP_FLAGS_DRV_MODE, NULL);
            err = bpf_xdp_attach(p->ifindex, fd, XDP_FLAGS_SKB_MODE, NULL);
        }
        if (err) {
            return -err;
        }
        p->flags = (p->flags & ~DP_PORT_XDP_NATIVE) | DP_PORT_XDP_SKB;
    }
    return tc_attach(dp, p->ifindex, false);
}

static void
port_detach(const struct dp_port *p)
{
    if (p->type == DP_PORT_TYPE_INTERNAL) {
        tc_detach(p->ifindex, true);
        return;
    }
    uint32_t mode = (p->flags & DP_PORT_XDP_NATIVE) ? XDP_FLAGS_DRV_MODE
                                                    : XDP_FLAGS_SKB_MODE;
    bpf_xdp_detach(p->ifindex, mode, NULL);
    tc_detach(p->ifindex, false);
}

/* Returns true if option 'key' in "k=v,k=v" is "true"/"on"/"1"; sets
 * '*present'. */
static bool
option_bool(const char *options, const char *key, bool *present)
{
    size_t klen = strlen(key);
    *present = false;
    for (const char *s = options; s && *s; ) {
        const char *end = strchr(s, ',');
        size_t len = end ? (size_t) (end - s) : strlen(s);
        if (len > klen && !strncmp(s, key, klen) && s[klen] == '=') {
            const char *v = s + klen + 1;
            size_t vlen = len - klen - 1;
            *present = true;
            return (vlen == 4 && !strncmp(v, "true", 4))
                   || (vlen == 2 && !strncmp(v, "on", 2))
                   || (vlen == 1 && v[0] == '1')
                   || (vlen == 6 && !strncmp(v, "native", 6));
        }
        s = end ? end + 1 : NULL;
    }
    return false;
}

static void flows_del_port(struct dpif_xdp *, uint32_t port_no);
static int dpif_xdp_port_query_by_name(struct dpif *, const char *,
                                       struct dpif_port *);

static int
dpif_xdp_port_add(struct dpif *dpif, const char *devname, const char *type,
                  const char *options, uint32_t *port_nop)
{
    struct dpif_xdp *dp = dpif_xdp_cast(dpif);
    struct dp_port p;
    uint32_t port_no = *port_nop;
    int tap_fd = -1, error;
    bool present;

    memset(&p, 0, sizeof p);
    if (strlen(devname) >= sizeof p.name) {
        return ENAMETOOLONG;
    }
    if (!type || !type[0] || !strcmp(type, "system")) {
        p.type = DP_PORT_TYPE_SYSTEM;
    } else if (!strcmp(type, "internal")) {
        p.type = DP_PORT_TYPE_INTERNAL;
    } else if (!strcmp(type, "tap")) {
        p.type = DP_PORT_TYPE_TAP;
    } else if (!tunnel_type_from_name(type)) {
        return EAFNOSUPPORT;
    }

    if (port_no == DPIF_PORT_ANY) {
        struct dp_port tmp;
        for (port_no = 1; port_no < DP_MAX_PORTS; port_no++) {
            if (port_get(dp, port_no, &tmp) == ENOENT) {
                break;
            }
        }
        if (port_no >= DP_MAX_PORTS) {
            return EFBIG;
        }
    } else {
        struct dp_port old;
        if (port_no >= DP_MAX_PORTS) {
            return EINVAL;
        }
        if (!port_get(dp, port_no, &old)) {
            return EBUSY;
        }
    }
    if (!dpif_xdp_port_query_by_name(dpif, devname, &(struct dpif_port) {0})) {
        return EEXIST;
    }
    if (tunnel_type_from_name(type)) {
        error = tunnel_port_add(dp, devname, type, options, port_no);
        if (!error) {
            update_flood_cfg(dp);
            *port_nop = port_no;
        }
        return error;
    }

    char driver[32];
    if (p.type != DP_PORT_TYPE_SYSTEM) {
        error = netdev_tap_create(devname, p.type == DP_PORT_TYPE_INTERNAL,
                                  &tap_fd);
        if (error) {
            return error;
        }
        p.flags |= DP_PORT_CREATED;
    }
    p.ifindex = if_nametoindex(devname);
    if (!p.ifindex) {
        error = ENODEV;
        goto err;
    }
    if (!bpf_map_lookup_elem(MAPFD(dp, port_by_ifindex), &p.ifindex,
                             &(uint32_t) { 0 })) {
        error = EEXIST;
        goto err;
    }
    snprintf(p.name, sizeof p.name, "%s", devname);
    p.flags |= DP_PORT_IN_USE;
    if (p.type == DP_PORT_TYPE_INTERNAL) {
        p.flags |= DP_PORT_INTERNAL;
    } else {
        netdev_get_driver(devname, driver, sizeof driver);
        bool tx = option_bool(options, "xdp-tx", &present);
        /* A tap always accepts XDP frames; a veth only if its peer runs
         * XDP or GRO, which only the user knows (NOTES: EOPNOTSUPP). */
        if (present ? tx : !strcmp(driver, "tun")) {
            p.flags |= DP_PORT_XDP_TX;
        }
    }
    /* Native XDP on a veth takes TSO away from its peer (the kernel's
     * veth_fix_features), which cuts the hosts' TCP several times; so a
     * veth gets generic XDP unless the user asks for native (for packet
     * rates).  Everything else gets native where the driver has it. */
    netdev_get_driver(devname, driver, sizeof driver);
    bool native = option_bool(options, "xdp-mode", &present);
    if (!present) {
        native = strcmp(driver, "veth") != 0;
    }

    error = bpf_map_update_elem(MAPFD(dp, ports), &port_no, &p, BPF_ANY);
    if (!error) {
        error = port_attach(dp, &p, native);
    } else {
        error = errno;
    }
    if (error) {
        goto err_map;
    }
    /* Record the XDP mode, then publish: from here packets enter. */
    bpf_map_update_elem(MAPFD(dp, ports), &port_no, &p, BPF_ANY);
    if (p.flags & DP_PORT_XDP_TX) {
        bpf_map_update_elem(MAPFD(dp, tx_ports), &port_no, &p.ifindex,
                            BPF_ANY);
    }
    if (bpf_map_update_elem(MAPFD(dp, port_by_ifindex), &p.ifindex,
                            &port_no, BPF_ANY)) {
        error = errno;
        port_detach(&p);
        goto err_map;
    }
    dp->tap_fds[port_no] = tap_fd;
    update_flood_cfg(dp);
    *port_nop = port_no;
    return 0;

err_map:
    memset(&p.ifindex, 0, sizeof p - offsetof(struct dp_port, ifindex));
    bpf_map_update_elem(MAPFD(dp, ports), &port_no, &p, BPF_ANY);
err:
    if (tap_fd >= 0) {
        close(tap_fd);
    }
    if (p.type != DP_PORT_TYPE_SYSTEM) {
        netdev_tap_delete(devname);
    }
    return error;
}

static int
dpif_xdp_port_del(struct dpif *dpif, uint32_t port_no)
{
    struct dpif_xdp *dp = dpif_xdp_cast(dpif);
    struct dp_port p, empty;

    if (port_get(dp, port_no, &p)) {
        return ENOENT;
    }
    if (p.flags & DP_PORT_TUNNEL) {
        memset(&empty, 0, sizeof empty);
        bpf_map_update_elem(MAPFD(dp, ports), &port_no, &empty, BPF_ANY);
        tunnel_port_del(dp, port_no, &p);
        flows_del_port(dp, port_no);
        update_flood_cfg(dp);
        return 0;
    }
    /* Stop ingress first, then outputs, then detach. */
    bpf_map_delete_elem(MAPFD(dp, port_by_ifindex), &p.ifindex);
    bpf_map_delete_elem(MAPFD(dp, tx_ports), &port_no);
    memset(&empty, 0, sizeof empty);
    bpf_map_update_elem(MAPFD(dp, ports), &port_no, &empty, BPF_ANY);
    if (if_nametoindex(p.name) == p.ifindex) {
        port_detach(&p);
    }
    if (dp->tap_fds[port_no] >= 0) {
        close(dp->tap_fds[port_no]);
        dp->tap_fds[port_no] = -1;
    }
    if (p.flags & DP_PORT_CREATED) {
        netdev_tap_delete(p.name);
    }
    flows_del_port(dp, port_no);
    update_flood_cfg(dp);
    return 0;
}

static int
dpif_xdp_port_query_by_number(struct dpif *dpif, uint32_t port_no,
                              struct dpif_port *out)
{
    struct dp_port p;
    int error = port_get(dpif_xdp_cast(dpif), port_no, &p);
    if (!error) {
        port_to_dpif_port(port_no, &p, out);
    }
    return error;
}

static int
dpif_xdp_port_query_by_name(struct dpif *dpif, const char *name,
                            struct dpif_port *out)
{
    struct dpif_xdp *dp = dpif_xdp_cast(dpif);
    for (uint32_t i = 1; i < DP_MAX_PORTS; i++) {
        struct dp_port p;
        if (!port_get(dp, i, &p) && !strncmp(p.name, name, sizeof p.name)) {
            port_to_dpif_port(i, &p, out);
            return 0;
        }
    }
    return ENOENT;
}

static int
dpif_xdp_port_dump(struct dpif *dpif, struct dpif_port **portsp, size_t *np)
{
    struct dpif_xdp *dp = dpif_xdp_cast(dpif);
    struct dpif_port *ports = NULL;
    size_t n = 0, allocated = 0;

    for (uint32_t i = 1; i < DP_MAX_PORTS; i++) {
        struct dp_port p;
        if (!port_get(dp, i, &p)) {
            if (n >= allocated) {
                ports = x2nrealloc(ports, &allocated, sizeof *ports);
            }
            port_to_dpif_port(i, &p, &ports[n++]);
        }
    }
    *portsp = ports;
    *np = n;
    return 0;
}

static int dpif_xdp_flow_flush(struct dpif *);

/* A tc-only port has no XDP program (its mode flags stay, to attach it
 * again in the same mode): XDP runs before tc and would forward around a
 * tc filter.  Detaching is done every time, since re-adopting a datapath
 * attaches XDP to every port. */
static int
dpif_xdp_port_set_tc_only(struct dpif *dpif, uint32_t port_no, bool tc_only)
{
    struct dpif_xdp *dp = dpif_xdp_cast(dpif);
    struct dp_port p;
    int error = port_get(dp, port_no, &p);
    if (error) {
        return error;
    }
    if (p.type == DP_PORT_TYPE_INTERNAL) {
        return tc_only ? EOPNOTSUPP : 0;    /* It has no XDP anyway. */
    }
    if (tc_only) {
        bpf_xdp_detach(p.ifindex, (p.flags & DP_PORT_XDP_NATIVE)
                       ? XDP_FLAGS_DRV_MODE : XDP_FLAGS_SKB_MODE, NULL);
        p.flags |= DP_PORT_TC_ONLY;
    } else if (p.flags & DP_PORT_TC_ONLY) {
        p.flags &= ~DP_PORT_TC_ONLY;
        error = port_attach(dp, &p, (p.flags & DP_PORT_XDP_NATIVE) != 0);
        if (error) {
            return error;
        }
    } else {
        return 0;
    }
    return bpf_map_update_elem(MAPFD(dp, ports), &port_no, &p, BPF_ANY)
           ? errno : 0;
}

static int
dpif_xdp_port_set_qdisc_egress(struct dpif *dpif, uint32_t port_no,
                               bool qdisc)
{
    struct dpif_xdp *dp = dpif_xdp_cast(dpif);
    struct dp_port p;
    int error = port_get(dp, port_no, &p);
    if (error) {
        return error;
    }
    uint32_t flags = qdisc ? p.flags | DP_PORT_TC_EGRESS
                     : p.flags & ~DP_PORT_TC_EGRESS;
    if (flags == p.flags) {
        return 0;
    }
    p.flags = flags;
    if (bpf_map_update_elem(MAPFD(dp, ports), &port_no, &p, BPF_ANY)) {
        return errno;
    }
    update_flood_cfg(dp);
    /* Megaflows already in the cache keep their XDP plan until they go:
     * remove them so that the next packets are planned again. */
    return dpif_xdp_flow_flush(dpif);
}

/* ---- flows --------------------------------------------------------------- */

static void
make_flow_key(struct dp_flow_key *fk, uint32_t mask_id,
              const struct dp_key *key, const struct dp_key *mask)
{
    memset(fk, 0, sizeof *fk);
    fk->mask_id = mask_id;
    fk->key = *key;
    dp_key_apply_mask(&fk->key, mask);
}


/* Where the datapath counts a flow with 'handle', if in the array. */
static volatile struct dp_flow_counters *
counters_by_handle(const struct dpif_xdp *dp, uint32_t handle)
{
    return dp->fstats && handle && handle < dp->n_fstats
           ? &dp->fstats[handle] : NULL;
}

static void
counters_to_stats(const volatile struct dp_flow_counters *c,
                  struct dpif_flow_stats *s)
{
    s->packets = c->packets;
    s->bytes = c->bytes;
    uint64_t used = c->used_ns;
    s->used_msec = used ? (long long) (used / 1000000) : 0;
    s->tcp_flags = c->tcp_flags;
}

/* The counters of flow 'f' (in the array or in 'f' itself). */
static struct dp_flow_counters
flow_counters(const struct dpif_xdp *dp, const struct dp_flow *f)
{
    const volatile struct dp_flow_counters *c = counters_by_handle(dp,
                                                                   f->handle);
    struct dp_flow_counters out = {
        .packets = c ? c->packets : f->packets,
        .bytes = c ? c->bytes : f->bytes,
        .used_ns = c ? c->used_ns : f->used_ns,
        .tcp_flags = c ? c->tcp_flags : 0,
    };
    return out;
}

static void
stats_from_flow(const struct dpif_xdp *dp, const struct dp_flow *f,
                struct dpif_flow_stats *s)
{
    struct dp_flow_counters c = flow_counters(dp, f);
    counters_to_stats(&c, s);
}

/* Gives flow 'f', about to be written with handle f->handle, the counters
 * 'c', in 'f' and, if it is counted there, in the array: written before
 * the flow, so that its first hit adds to them. */
static void
counters_start(struct dpif_xdp *dp, struct dp_flow *f,
               const struct dp_flow_counters *c)
{
    f->packets = c->packets;
    f->bytes = c->bytes;
    f->used_ns = c->used_ns;
    volatile struct dp_flow_counters *a = counters_by_handle(dp, f->handle);
    if (a) {
        a->packets = c->packets;
        a->bytes = c->bytes;
        a->used_ns = c->used_ns;
        a->tcp_flags = c->tcp_flags;    /* A new flow's start from none. */
    }
}

/* As dpif_flow_put(), with the record 'handle' (see dpif_op_flow_put). */
static int
flow_put__(struct dpif_xdp *dp, const struct dp_key *key,
           const struct dp_key *mask, const struct dp_action *actions,
           size_t n_actions, enum dpif_put_flags flags, uint32_t handle,
           struct dpif_flow_stats *old_stats)
{
    struct dp_flow_key fk;
    struct dp_flow f, old = { .handle = 0 };
    bool new_mask;

    if (old_stats) {
        memset(old_stats, 0, sizeof *old_stats);
    }
    int id = mask_ref(dp, mask, &new_mask);
    if (id < 0) {
        return ENOSPC;
    }
    make_flow_key(&fk, id, key, mask);
    /* A plain create (every upcall) needs no look-up first: BPF_NOEXIST
     * makes the update itself fail on an existing flow. */
    bool create_only = (flags & DPIF_FP_CREATE) && !(flags & DPIF_FP_MODIFY);
    bool exists = !new_mask && !create_only
                  && !bpf_map_lookup_elem(MAPFD(dp, flows), &fk, &old);
    if (exists && !(flags & DPIF_FP_MODIFY)) {
        return EEXIST;
    }
    if (!exists && !(flags & DPIF_FP_CREATE)) {
        return ENOENT;
    }
    memset(&f, 0, sizeof f);
    /* A new flow counts as used now, so idle expiry gives it time. */
    struct dp_flow_counters counters = { .used_ns = 0 };
    if (exists) {
        counters = flow_counters(dp, &old);
        if (old_stats) {
            counters_to_stats(&counters, old_stats);
        }
        f.handle = old.handle;
    }
    if (handle) {
        f.handle = handle;
    }
    if (!exists || (flags & DPIF_FP_ZERO_STATS)) {
        memset(&counters, 0, sizeof counters);
        counters.used_ns = mono_ns();
    }
    if (!exists || f.handle != old.handle || (flags & DPIF_FP_ZERO_STATS)) {
        counters_start(dp, &f, &counters);
    } else {
        /* Same place: leave the array to the fast path's counting. */
        f.packets = old.packets;
        f.bytes = old.bytes;
        f.used_ns = old.used_ns;
    }
    f.n_actions = n_actions;
    if (n_actions) {                /* A drop flow may pass no array. */
        memcpy(f.actions, actions, n_actions * sizeof *actions);
    }
    if (bpf_map_update_elem(MAPFD(dp, flows), &fk, &f,
                            create_only ? BPF_NOEXIST : BPF_ANY)) {
        return errno == E2BIG ? ENOSPC : errno;
    }
    if (new_mask) {
        mask_publish_new(dp, id);
    }
    dp->dump_n_flows[id]++;
    dp->chunk_n_flows[id]++;
    return 0;
}

static int
dpif_xdp_flow_put(struct dpif *dpif, const struct dp_key *key,
                  const struct dp_key *mask, const struct dp_action *actions,
                  size_t n_actions, enum dpif_put_flags flags,
                  struct dpif_flow_stats *old_stats)
{
    return flow_put__(dpif_xdp_cast(dpif), key, mask, actions, n_actions,
                      flags, 0, old_stats);
}

static int
dpif_xdp_flow_get(struct dpif *dpif, const struct dp_key *key,
                  const struct dp_key *mask, struct dpif_flow *out)
{
    struct dpif_xdp *dp = dpif_xdp_cast(dpif);
    struct dp_flow_key fk;
    struct dp_flow f;
    int id = find_mask(dp, mask);

    if (id < 0) {
        return ENOENT;
    }
    make_flow_key(&fk, id, key, mask);
    if (bpf_map_lookup_elem(MAPFD(dp, flows), &fk, &f)) {
        return ENOENT;
    }
    memset(out, 0, sizeof *out);
    out->key = fk.key;
    out->mask = *mask;
    out->n_actions = MIN(f.n_actions, DP_MAX_ACTIONS);
    memcpy(out->actions, f.actions, out->n_actions * sizeof f.actions[0]);
    stats_from_flow(dp, &f, &out->stats);
    out->handle = f.handle;
    return 0;
}

static int
flow_del__(struct dpif_xdp *dp, const struct dp_flow_key *fk,
           struct dpif_flow_stats *stats)
{
    struct dp_flow f;
    if ((stats && bpf_map_lookup_elem(MAPFD(dp, flows), fk, &f))
        || bpf_map_delete_elem(MAPFD(dp, flows), fk)) {
        return ENOENT;
    }
    if (stats) {
        stats_from_flow(dp, &f, stats);
    }
    /* Never below zero: a flow put by another process since the last
     * dump was not counted (see masks_gc_and_reorder()). */
    if (fk->mask_id < DP_MAX_MASKS && dp->dump_n_flows[fk->mask_id]) {
        dp->dump_n_flows[fk->mask_id]--;
    }
    return 0;
}

static int
dpif_xdp_flow_del(struct dpif *dpif, const struct dp_key *key,
                  const struct dp_key *mask, struct dpif_flow_stats *stats)
{
    struct dpif_xdp *dp = dpif_xdp_cast(dpif);
    struct dp_flow_key fk;
    int id = find_mask(dp, mask);

    if (id < 0) {
        return ENOENT;
    }
    make_flow_key(&fk, id, key, mask);
    return flow_del__(dp, &fk, stats);
}

#define FLOW_BATCH 4096          /* Flows per BPF_MAP_LOOKUP_BATCH call. */
#define MAX_FLOWS_READ (4 * 1024 * 1024)

/* Makes room for 'n' flows in the read buffers. */
static void
flows_reserve(struct dpif_xdp *dp, size_t n)
{
    if (n > dp->rd_allocated) {
        size_t a = MAX(n, 2 * dp->rd_allocated);
        free(dp->rd_keys);
        free(dp->rd_vals);
        dp->rd_keys = xmalloc(a * sizeof *dp->rd_keys);
        dp->rd_vals = xmalloc(a * sizeof *dp->rd_vals);
        dp->rd_allocated = a;
    }
}

/* Reads every flow, keys and values, into dp->rd_keys and dp->rd_vals
 * (valid until the next call), a chunk of FLOW_BATCH per syscall: a dump
 * of tens of thousands of megaflows then takes milliseconds instead of two
 * syscalls per flow, which stalled upcall handling.  Kernels without
 * batch ops on hash maps get the key walk.  Returns the number of flows. */
static size_t
flows_read(struct dpif_xdp *dp)
{
    static bool no_batch;
    size_t n = 0;
    int fd = MAPFD(dp, flows);

    if (!no_batch) {
        uint64_t in_batch, out_batch; /* Opaque; a bucket index for hash. */
        void *in = NULL;
        LIBBPF_OPTS(bpf_map_batch_opts, opts);

        for (;;) {
            /* Growing mid-walk would have to keep what was read. */
            if (n + FLOW_BATCH > dp->rd_allocated) {
                size_t a = MAX(n + FLOW_BATCH, 2 * dp->rd_allocated);
                dp->rd_keys = xrealloc(dp->rd_keys, a * sizeof *dp->rd_keys);
                dp->rd_vals = xrealloc(dp->rd_vals, a * sizeof *dp->rd_vals);
                dp->rd_allocated = a;
            }
            uint32_t count = FLOW_BATCH;
            int err = bpf_map_lookup_batch(fd, in, &out_batch,
                                           dp->rd_keys + n, dp->rd_vals + n,
                                           &count, &opts);
            if (err && errno != ENOENT) {
                if (n || count) {
                    /* Mid-walk failure: keep what was read. */
                    n += count;
                    break;
                }
                no_batch = true;
                break;
            }
            n += count;
            if (err || n >= MAX_FLOWS_READ) {
                break;              /* ENOENT: the walk is complete. */
            }
            in_batch = out_batch;
            in = &in_batch;
        }
        if (!no_batch) {
            return n;
        }
    }

    /* Deleting while iterating a BPF hash map restarts the walk, so the
     * callers only delete after this returns. */
    struct dp_flow_key cur, next;
    void *prev = NULL;
    n = 0;
    while (!bpf_map_get_next_key(fd, prev, &next) && n < MAX_FLOWS_READ) {
        flows_reserve(dp, n + 1);
        cur = next;
        prev = &cur;
        if (!bpf_map_lookup_elem(fd, &cur, &dp->rd_vals[n])) {
            dp->rd_keys[n++] = cur;
        }
    }
    return n;
}

/* Collects the keys of all flows (a copy: the caller may delete). */
static struct dp_flow_key *
collect_flow_keys(struct dpif_xdp *dp, size_t *np)
{
    *np = flows_read(dp);
    return xmemdup(dp->rd_keys, (*np ? *np : 1) * sizeof *dp->rd_keys);
}

static int
dpif_xdp_flow_flush(struct dpif *dpif)
{
    struct dpif_xdp *dp = dpif_xdp_cast(dpif);
    size_t n;
    struct dp_flow_key *keys = collect_flow_keys(dp, &n);

    for (size_t i = 0; i < n; i++) {
        flow_del__(dp, &keys[i], NULL);
    }
    free(keys);
    masks_load(dp);
    dp->n_order = 0;
    masks_publish(dp, 0);
    return 0;
}

static bool
flow_uses_port(const struct dp_flow_key *fk, const struct dp_flow *f,
               const struct dp_key *mask, uint32_t port_no)
{
    if (mask->in_port && fk->key.in_port == port_no) {
        return true;
    }
    for (uint32_t i = 0; i < f->n_actions && i < DP_MAX_ACTIONS; i++) {
        if (f->actions[i].type == DP_ACT_OUTPUT
            && f->actions[i].port == port_no) {
            return true;
        }
    }
    return false;
}

static void
flows_del_port(struct dpif_xdp *dp, uint32_t port_no)
{
    size_t n;
    struct dp_flow_key *keys = collect_flow_keys(dp, &n);

    masks_load(dp);
    for (size_t i = 0; i < n; i++) {
        struct dp_flow f;
        if (keys[i].mask_id < DP_MAX_MASKS
            && !bpf_map_lookup_elem(MAPFD(dp, flows), &keys[i], &f)
            && flow_uses_port(&keys[i], &f, &dp->masks[keys[i].mask_id].mask,
                              port_no)) {
            flow_del__(dp, &keys[i], NULL);
        }
    }
    free(keys);
}

/* Converts the 'n' flows read into dp->rd_keys/rd_vals to a malloc'd
 * array of dpif_flows (returned in '*flowsp', count in '*np'), counting
 * them per mask in 'counts'. */
static void
flows_convert(struct dpif_xdp *dp, size_t n_keys, unsigned int *counts,
              struct dpif_flow **flowsp, size_t *np)
{
    const struct dp_flow_key *keys = dp->rd_keys;
    const struct dp_flow *vals = dp->rd_vals;
    struct dpif_flow *flows = xcalloc(n_keys ? n_keys : 1, sizeof *flows);
    size_t n = 0;

    masks_load(dp);
    for (size_t i = 0; i < n_keys; i++) {
        const struct dp_flow *f = &vals[i];
        if (keys[i].mask_id >= DP_MAX_MASKS
            || !dp->masks[keys[i].mask_id].in_use) {
            continue;
        }
        counts[keys[i].mask_id]++;
        struct dpif_flow *out = &flows[n++];
        out->key = keys[i].key;
        out->mask = dp->masks[keys[i].mask_id].mask;
        out->n_actions = MIN(f->n_actions, DP_MAX_ACTIONS);
        memcpy(out->actions, f->actions, out->n_actions * sizeof f->actions[0]);
        stats_from_flow(dp, f, &out->stats);
        out->handle = f->handle;
    }
    *flowsp = flows;
    *np = n;
}

static int
dpif_xdp_flow_dump(struct dpif *dpif, struct dpif_flow **flowsp, size_t *np)
{
    struct dpif_xdp *dp = dpif_xdp_cast(dpif);
    size_t n_keys = flows_read(dp);

    memset(dp->dump_n_flows, 0, sizeof dp->dump_n_flows);
    flows_convert(dp, n_keys, dp->dump_n_flows, flowsp, np);
    dp->dump_msec = mono_msec();
    return 0;
}

/* The cursor is 0 to start, then 1 << 32 | the kernel's batch token (a
 * bucket index for hash maps), or 2 << 32 after a one-piece fallback. */
static int
dpif_xdp_flow_dump_chunk(struct dpif *dpif, uint64_t *cursor, size_t max,
                         struct dpif_flow **flowsp, size_t *np, bool *done)
{
    struct dpif_xdp *dp = dpif_xdp_cast(dpif);
    LIBBPF_OPTS(bpf_map_batch_opts, opts);
    uint32_t in_batch = *cursor, out_batch = 0;
    uint32_t count;
    size_t n_keys;

    *done = false;
    if (*cursor >> 32 == 2) {
        *done = true;
        *flowsp = NULL;
        *np = 0;
        return 0;
    }
    if (!*cursor) {
        memset(dp->chunk_n_flows, 0, sizeof dp->chunk_n_flows);
    }
    /* A hash bucket comes whole or not at all: leave room for a long one. */
    max = MAX(max, 64);
    flows_reserve(dp, max);
    count = max;
    if (bpf_map_lookup_batch(MAPFD(dp, flows), *cursor ? &in_batch : NULL,
                             &out_batch, dp->rd_keys, dp->rd_vals, &count,
                             &opts)) {
        if (errno != ENOENT) {
            if (*cursor) {
                return errno;
            }
            /* No batch ops here: the whole dump in one piece. */
            count = flows_read(dp);
            *cursor = 2ULL << 32;
        }
        *done = true;
    } else {
        *cursor = 1ULL << 32 | out_batch;
    }
    n_keys = count;
    flows_convert(dp, n_keys, dp->chunk_n_flows, flowsp, np);
    if (*done) {
        memcpy(dp->dump_n_flows, dp->chunk_n_flows, sizeof dp->dump_n_flows);
        dp->dump_msec = mono_msec();
    }
    return 0;
}

static int
dpif_xdp_flow_stats_by_handle(struct dpif *dpif, uint32_t handle,
                              struct dpif_flow_stats *s)
{
    const volatile struct dp_flow_counters *c
        = counters_by_handle(dpif_xdp_cast(dpif), handle);
    if (!c) {
        return EOPNOTSUPP;
    }
    counters_to_stats(c, s);
    return 0;
}

static int
dpif_xdp_get_stats(struct dpif *dpif, struct dpif_dp_stats *s)
{
    struct dpif_xdp *dp = dpif_xdp_cast(dpif);
    int fd = MAPFD(dp, stats);
    size_t n_flows = flows_read(dp);
    masks_load(dp);

    s->n_hit = percpu_sum(dp, fd, DP_STAT_HIT);
    s->n_missed = percpu_sum(dp, fd, DP_STAT_MISSED);
    s->n_lost = percpu_sum(dp, fd, DP_STAT_LOST) + dp->n_queue_drops;
    s->n_mask_probes = percpu_sum(dp, fd, DP_STAT_MASK_PROBES);
    s->n_xdp_fwd = percpu_sum(dp, fd, DP_STAT_XDP_FWD);
    s->n_flows = n_flows;
    s->n_masks = dp->n_order;
    return 0;
}

/* ---- meters -------------------------------------------------------------- */

/* A bucket must hold one whole 64 KB GSO skb, or such skbs never pass. */
#define METER_MIN_KBIT 600
#define METER_MIN_PKTS 64

static int
dpif_xdp_meter_set(struct dpif *dpif, uint32_t id, const struct dpif_meter *c)
{
    struct dpif_xdp *dp = dpif_xdp_cast(dpif);
    struct dp_meter m;

    if (id >= DP_MAX_METERS || !c->rate || c->rate > DP_METER_MAX_RATE) {
        return EINVAL;
    }
    if (bpf_map_lookup_elem_flags(MAPFD(dp, meters), &id, &m, BPF_F_LOCK)
        || !(m.flags & DP_METER_IN_USE)) {
        memset(&m, 0, sizeof m);
    }
    uint32_t min = c->pktps ? METER_MIN_PKTS : METER_MIN_KBIT;
    uint32_t burst = c->burst ? c->burst : c->rate / 10;   /* 100 ms. */
    m.flags = DP_METER_IN_USE | (c->pktps ? DP_METER_PKTPS : 0);
    m.rate = c->rate;
    m.burst = burst < min ? min : burst;
    m.tokens = (int64_t) m.burst * 1000000000;            /* Starts full. */
    m.last_ns = mono_ns();
    if (bpf_map_update_elem(MAPFD(dp, meters), &id, &m, BPF_F_LOCK)) {
        return errno;
    }
    return 0;
}

static int
dpif_xdp_meter_get(struct dpif *dpif, uint32_t id, struct dpif_meter *c,
                   struct dpif_meter_stats *st)
{
    struct dpif_xdp *dp = dpif_xdp_cast(dpif);
    struct dp_meter m;

    if (id >= DP_MAX_METERS) {
        return EINVAL;
    }
    if (bpf_map_lookup_elem_flags(MAPFD(dp, meters), &id, &m, BPF_F_LOCK)) {
        return errno;
    }
    if (!(m.flags & DP_METER_IN_USE)) {
        return ENOENT;
    }
    if (c) {
        c->pktps = (m.flags & DP_METER_PKTPS) != 0;
        c->rate = m.rate;
        c->burst = m.burst;
    }
    if (st) {
        st->n_packets = m.n_packets;
        st->n_bytes = m.n_bytes;
        st->n_dropped = m.n_dropped;
    }
    return 0;
}

static int
dpif_xdp_meter_del(struct dpif *dpif, uint32_t id)
{
    struct dpif_xdp *dp = dpif_xdp_cast(dpif);
    struct dp_meter m;

    if (id >= DP_MAX_METERS) {
        return EINVAL;
    }
    memset(&m, 0, sizeof m);
    return bpf_map_update_elem(MAPFD(dp, meters), &id, &m, BPF_F_LOCK)
           ? errno : 0;
}

/* The token bucket of dp.bpf.c's meter_pass(), for userspace execute.
 * The read-modify-write is not atomic against the fast path, so a packet
 * charged here may lose a concurrent fast-path count: first packets are
 * few. */
static bool
meter_pass(struct dpif_xdp *dp, uint32_t id, size_t bytes, uint32_t segs)
{
    struct dp_meter m;

    if (id >= DP_MAX_METERS
        || bpf_map_lookup_elem_flags(MAPFD(dp, meters), &id, &m, BPF_F_LOCK)
        || !(m.flags & DP_METER_IN_USE)) {
        return true;
    }
    uint64_t now = mono_ns();
    uint64_t elapsed = now > m.last_ns ? now - m.last_ns : 0;
    int64_t cap = (int64_t) m.burst * 1000000000;
    int64_t cost = m.flags & DP_METER_PKTPS ? (int64_t) segs * 1000000000
                   : (int64_t) bytes * 8 * 1000000;
    if (elapsed > 10000000000ULL) {
        elapsed = 10000000000ULL;
    }
    int64_t t = m.tokens + (int64_t) (elapsed * m.rate);
    bool ok = (t > cap ? cap : t) >= cost;
    m.tokens = (t > cap ? cap : t) - (ok ? cost : 0);
    m.last_ns = now;
    if (ok) {
        m.n_packets++;
        m.n_bytes += bytes;
    } else {
        m.n_dropped++;
    }
    bpf_map_update_elem(MAPFD(dp, meters), &id, &m, BPF_F_LOCK);
    return ok;
}

/* ---- execute ------------------------------------------------------------- */

/* Finds the TCP/UDP header of 'pkt' (after an optional 802.1Q tag).
 * Returns its offset and sets '*proto', '*l4_len', '*v6' and the
 * pseudo-header sum (addresses only) in '*sum', or returns 0. */
static size_t
locate_l4(const uint8_t *pkt, size_t len, uint8_t *proto, size_t *l4_len,
          bool *v6, uint32_t *sum)
{
    size_t l3 = 14;
    if (len < 18) {
        return 0;
    }
    uint16_t type = pkt[12] << 8 | pkt[13];
    if (type == 0x8100) {
        type = pkt[16] << 8 | pkt[17];
        l3 = 18;
    }
    const uint8_t *ip = pkt + l3;
    size_t l4;
    if (type == 0x0800 && len >= l3 + 20 && (ip[0] >> 4) == 4) {
        size_t ihl = (ip[0] & 0xf) * 4, tot = ip[2] << 8 | ip[3];
        if (ihl < 20 || (ip[6] & 0x3f) || ip[7] || tot < ihl
            || l3 + tot > len) {
            return 0;
        }
        *proto = ip[9];
        *v6 = false;
        l4 = l3 + ihl;
        *l4_len = tot - ihl;
        *sum = csum_add(0, ip + 12, 8);
    } else if (type == 0x86dd && len >= l3 + 40) {
        size_t plen = ip[4] << 8 | ip[5];
        if (l3 + 40 + plen > len) {
            return 0;
        }
        *proto = ip[6];
        *v6 = true;
        l4 = l3 + 40;
        *l4_len = plen;
        *sum = csum_add(0, ip + 8, 32);
    } else {
        return 0;
    }
    return *proto == 6 || *proto == 17 ? l4 : 0;
}

/* Sends a packet that was a GSO skb (bigger than the MTU) as one GSO
 * packet: the kernel segments it, or hands it whole to a peer that takes
 * GSO (veth, tap).  The checksum is left to the kernel (NEEDS_CSUM), so its
 * field gets the pseudo-header sum, as for any CHECKSUM_PARTIAL skb. */
static int
send_gso(struct dpif_xdp *dp, const struct sockaddr_ll *sll,
         const uint8_t *pkt, size_t len, uint32_t gso_size)
{
    uint8_t proto, hdr[14 + 4 + 40 + 60];
    size_t l4_len, hdr_len;
    uint32_t sum;
    bool v6;

    size_t l4 = locate_l4(pkt, len, &proto, &l4_len, &v6, &sum);
    if (!l4 || dp->gso_sock < 0 || gso_size > UINT16_MAX) {
        return EINVAL;
    }
    if (proto == 6) {
        if (l4_len < 20 || len < l4 + 13) {
            return EINVAL;
        }
        hdr_len = l4 + (pkt[l4 + 12] >> 4) * 4;
    } else {
        hdr_len = l4 + 8;
    }
    if (hdr_len > sizeof hdr || hdr_len > len || hdr_len < l4 + 8) {
        return EINVAL;
    }
    memcpy(hdr, pkt, hdr_len);
    size_t ofs = l4 + (proto == 6 ? 16 : 6);
    uint16_t c = ~csum_fold(sum + proto + l4_len) & 0xffff;
    hdr[ofs] = c >> 8;
    hdr[ofs + 1] = c & 0xff;

    struct virtio_net_hdr vh;
    memset(&vh, 0, sizeof vh);
    vh.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
    vh.gso_type = proto == 17 ? 5 /* VIRTIO_NET_HDR_GSO_UDP_L4 */
                  : v6 ? VIRTIO_NET_HDR_GSO_TCPV6 : VIRTIO_NET_HDR_GSO_TCPV4;
    vh.hdr_len = hdr_len;
    vh.gso_size = gso_size;
    vh.csum_start = l4;
    vh.csum_offset = proto == 6 ? 16 : 6;
    struct iovec iov[3] = {
        { &vh, sizeof vh },
        { hdr, hdr_len },
        { (void *) (pkt + hdr_len), len - hdr_len },
    };
    struct msghdr msg = {
        .msg_name = (void *) sll, .msg_namelen = sizeof *sll,
        .msg_iov = iov, .msg_iovlen = 3,
    };
    return sendmsg(dp->gso_sock, &msg, 0) < 0 ? errno : 0;
}

/* Sends what 'eb' holds, in order, with as few sendmmsg() calls as the
 * kernel allows.  A packet the kernel refuses is skipped, as a failed
 * sendto() was. */
static void
exec_flush(struct dpif_xdp *dp, struct exec_batch *eb)
{
    size_t i = 0;
    while (i < eb->n) {
        int n = sendmmsg(dp->pkt_sock, &eb->msgs[i], eb->n - i, 0);
        if (n > 0) {
            i += n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else {
            i++;
        }
    }
    eb->n = 0;
    eb->n_flushes++;
    for (size_t j = 0; j < eb->n_bufs; j++) {
        free(eb->bufs[j]);
    }
    eb->n_bufs = 0;
}

/* Queues 'pkt' for 'sll' in 'eb', sending what is queued if it is full. */
static void
exec_queue(struct dpif_xdp *dp, struct exec_batch *eb,
           const struct sockaddr_ll *sll, const uint8_t *pkt, size_t len)
{
    if (eb->n >= EXEC_BATCH) {
        exec_flush(dp, eb);
    }
    size_t i = eb->n++;
    eb->n_queued++;
    eb->addrs[i] = *sll;
    eb->iovs[i].iov_base = (void *) pkt;
    eb->iovs[i].iov_len = len;
    struct msghdr *m = &eb->msgs[i].msg_hdr;
    m->msg_name = &eb->addrs[i];
    m->msg_namelen = sizeof eb->addrs[i];
    m->msg_iov = &eb->iovs[i];
    m->msg_iovlen = 1;
    m->msg_control = NULL;
    m->msg_controllen = 0;
    m->msg_flags = 0;
}

/* Sends 'pkt' out of 'port_no' now, or through 'eb' if nonnull.  Packets
 * that cannot go through 'eb' (into a tap, GSO) first send what 'eb'
 * holds, so that packets leave in order. */
static void
send_to_port(struct dpif_xdp *dp, uint32_t port_no, const uint8_t *pkt,
             size_t len, uint32_t gso_size, struct exec_batch *eb)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
    struct dp_port p;
    if (port_get(dp, port_no, &p)) {
        return;
    }
    if (p.flags & DP_PORT_TUNNEL) {
        /* A packet socket cannot give the netdev tunnel metadata: the
         * kernel's UDP stack encapsulates instead (tunnel.h). */
        if (eb) {
            exec_flush(dp, eb);
        }
        struct tunnel_cfg cfg = {
            .type = p.type, .local = p.tun_local,
            .udp_port = p.tun_udp_port,
        };
        uint32_t key = p.tun_flags & DP_TUN_KEY_FLOW ? dp->exec_tun_id
                                                     : p.tun_key;
        vs_be32 dst = p.tun_flags & DP_TUN_REMOTE_FLOW ? dp->exec_tun_dst
                                                       : p.tun_remote;
        int error = tunnel_send(&cfg, key, dst, pkt, len, &dp->tun_sock);
        if (!error) {
            dp->tun_user_tx[port_no].packets++;
            dp->tun_user_tx[port_no].bytes += len;
        }
        if (error) {
            VLOG_WARN_RL(&rl, "port %u: tunnel send to "IP_FMT": %s",
                         port_no, IP_ARGS(dst), vs_strerror(error));
        }
        return;
    }
    if (p.type == DP_PORT_TYPE_INTERNAL) {
        if (dp->tap_fds[port_no] >= 0) {
            if (eb) {
                exec_flush(dp, eb);
            }
            /* A write into the tap is a frame the host receives. */
            (void) !write(dp->tap_fds[port_no], pkt, len);
        }
        return;
    }
    struct sockaddr_ll sll;
    memset(&sll, 0, sizeof sll);
    sll.sll_family = AF_PACKET;
    sll.sll_ifindex = p.ifindex;
    sll.sll_halen = 6;
    memcpy(sll.sll_addr, pkt, 6);
    if (gso_size) {
        if (eb) {
            exec_flush(dp, eb);
        }
        int error = send_gso(dp, &sll, pkt, len, gso_size);
        if (!error) {
            return;
        }
        VLOG_WARN_RL(&rl, "port %u: sending a %zu-byte GSO packet: %s",
                     port_no, len, vs_strerror(error));
    }
    if (eb) {
        exec_queue(dp, eb, &sll, pkt, len);
    } else {
        (void) !sendto(dp->pkt_sock, pkt, len, 0, (struct sockaddr *) &sll,
                       sizeof sll);
    }
}

/* skb->priority of what the packet sockets send next (SO_PRIORITY, set
 * only when it changes). */
static void
set_send_priority(struct dpif_xdp *dp, uint32_t priority)
{
    int p = priority;
    if (dp->pkt_sock >= 0) {
        setsockopt(dp->pkt_sock, SOL_SOCKET, SO_PRIORITY, &p, sizeof p);
    }
    if (dp->gso_sock >= 0) {
        setsockopt(dp->gso_sock, SOL_SOCKET, SO_PRIORITY, &p, sizeof p);
    }
}

/* Runs 'actions' on 'packet'.  With 'eb', packets are only queued there
 * and must stay valid until it is flushed; copies made for rewrites are
 * then 'eb''s to free. */
static int
execute__(struct dpif_xdp *dp, const void *packet, size_t len,
          const struct dp_key *key, const struct dp_action *actions,
          size_t n_actions, struct exec_batch *eb)
{
    if (len < 14 || len > 65535) {
        return EINVAL;
    }
    /* A priority is a socket option, so it applies to what is sent
     * while it is set: such a packet is not queued with others. */
    for (size_t i = 0; eb && i < n_actions && i < DP_MAX_ACTIONS; i++) {
        if (actions[i].type == DP_ACT_SET_PRIORITY) {
            exec_flush(dp, eb);
            eb = NULL;
        }
    }
    /* A packet from an upcall keeps that skb's GSO size. */
    uint32_t gso_size = received_gso_size(dp, packet);
    dp->exec_tun_id = key ? (uint32_t) vs_ntohll(key->tun_id) : 0;
    dp->exec_tun_dst = key ? key->tun_dst : 0;
    uint32_t priority = 0;
    /* The packet is sent from the caller's buffer until an action changes
     * it; a copy that a queued send still points to is copied again
     * before it changes. */
    const uint8_t *data = packet;
    uint8_t *buf = NULL;
    size_t cap = 0;             /* Of 'buf'. */
    bool buf_sent = false;      /* Queued in 'eb' since 'buf_flushes'. */
    uint64_t buf_flushes = 0;
#define BUF_QUEUED (buf && buf_sent && eb->n_flushes == buf_flushes)
#define SEND(PORT)                                                      \
    do {                                                                \
        uint64_t queued = eb ? eb->n_queued : 0;                        \
        send_to_port(dp, PORT, data, len, gso_size, eb);                \
        if (eb && eb->n_queued != queued) {                             \
            buf_sent = true;                                            \
            buf_flushes = eb->n_flushes;                                \
        }                                                               \
    } while (0)
    for (size_t i = 0; i < n_actions && i < DP_MAX_ACTIONS; i++) {
        const struct dp_action *a = &actions[i];
        bool tagged = len >= 18 && data[12] == 0x81 && data[13] == 0x00;
        /* Every action but these may change the packet (new ones too). */
        bool writes = a->type != DP_ACT_OUTPUT && a->type != DP_ACT_FLOOD
                      && a->type != DP_ACT_METER && a->type != DP_ACT_UPCALL
                      && a->type != DP_ACT_SET_PRIORITY
                      && a->type != DP_ACT_POP_PRIORITY
                      && a->type != DP_ACT_SET_TUN_ID
                      && a->type != DP_ACT_SET_TUN_DST;
        if (writes && (!buf || BUF_QUEUED)) {
            cap = len + 4 * DP_MAX_ACTIONS;     /* Room for every push. */
            uint8_t *copy = xmalloc(cap);
            memcpy(copy, data, len);
            if (buf) {
                eb->bufs[eb->n_bufs++] = buf;
            }
            data = buf = copy;
            buf_sent = false;
        }
        switch (a->type) {
        case DP_ACT_OUTPUT:
            SEND(a->port);
            break;
        case DP_ACT_FLOOD:
            for (uint32_t p = 1; p < DP_MAX_PORTS; p++) {
                if (p != key->in_port) {
                    SEND(p);
                }
            }
            break;
        case DP_ACT_PUSH_VLAN:
            if (!tagged) {
                uint16_t tci = a->tci & ~DP_VLAN_PRESENT;
                memmove(buf + 16, buf + 12, len - 12);
                buf[12] = 0x81;
                buf[13] = 0x00;
                buf[14] = tci >> 8;
                buf[15] = tci & 0xff;
                len += 4;
            }
            break;
        case DP_ACT_POP_VLAN:
            if (tagged) {
                memmove(buf + 12, buf + 16, len - 16);
                len -= 4;
            }
            break;
        case DP_ACT_PUSH_MPLS:
        case DP_ACT_POP_MPLS:
            dp_mpls_push_pop(buf, &len, cap, a);
            break;
        case DP_ACT_SET_TUN_ID:
            dp->exec_tun_id = a->tun_id;
            break;
        case DP_ACT_SET_TUN_DST:
            dp->exec_tun_dst = a->ipv4;
            break;
        case DP_ACT_SET_PRIORITY:
        case DP_ACT_POP_PRIORITY:
            priority = a->type == DP_ACT_SET_PRIORITY ? a->priority : 0;
            set_send_priority(dp, priority);
            break;
        case DP_ACT_METER:
            if (!meter_pass(dp, a->meter_id, len,
                            gso_size ? len / gso_size + 1 : 1)) {
                n_actions = 0;          /* Dropped: nothing more runs. */
            }
            break;
        default:
            /* Rewrites change 'buf' in place, so outputs after them send
             * the rewritten packet and earlier ones did not. */
            if (dp_action_is_rewrite(a->type)) {
                dp_rewrite(buf, len, a);
            }
            break;
        }
    }
    if (priority) {
        set_send_priority(dp, 0);
    }
    /* Each 'buf' handed to 'eb' is in a message of its own there, so
     * 'bufs' cannot run out before 'msgs'. */
    if (BUF_QUEUED) {
        eb->bufs[eb->n_bufs++] = buf;
    } else {
        free(buf);
    }
    return 0;
#undef SEND
#undef BUF_QUEUED
}

static int
dpif_xdp_execute(struct dpif *dpif, const void *packet, size_t len,
                 const struct dp_key *key, const struct dp_action *actions,
                 size_t n_actions)
{
    return execute__(dpif_xdp_cast(dpif), packet, len, key, actions,
                     n_actions, NULL);
}

/* ---- batches (dpif_operate) ---------------------------------------------- */

/* Installs what 'pb' holds with one run of dp_put_batch, which creates
 * each flow with BPF_NOEXIST: one that exists already (the same megaflow
 * upcalled twice) fails with EEXIST and keeps its counters, and does not
 * keep the others out. */
static void
put_flush(struct dpif_xdp *dp, struct put_batch *pb)
{
    if (!pb->n) {
        return;
    }
    struct dp_put_args args = { .n = pb->n };
    LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &args,
                .ctx_size_in = sizeof args);
    int prog = bpf_program__fd(dp->put_skel->progs.dp_put_batch);
    if (bpf_prog_test_run_opts(prog, &opts) || opts.retval) {
        /* Cannot happen short of a kernel problem: one by one. */
        for (size_t i = 0; i < pb->n; i++) {
            struct dp_put_req *r = &dp->put_reqs[i];
            r->result = bpf_map_update_elem(MAPFD(dp, flows), &r->key,
                                            &r->flow, BPF_NOEXIST)
                        ? -errno : 0;
        }
    }
    for (size_t i = 0; i < pb->n; i++) {
        const struct dp_put_req *r = &dp->put_reqs[i];
        int error = -r->result;
        pb->ops[i]->error = error == E2BIG ? ENOSPC : error;
        if (!error) {
            dp->dump_n_flows[r->key.mask_id]++;
            dp->chunk_n_flows[r->key.mask_id]++;
        }
    }
    pb->n = 0;
}

/* Adds 'op', a plain create, to 'pb'; false if it needs flow_put() (a mask
 * not in the datapath yet, or no dp_put_batch). */
static bool
put_queue(struct dpif_xdp *dp, struct put_batch *pb, struct dpif_op *op,
          uint64_t now_ns)
{
    const struct dpif_op_flow_put *put = &op->put;
    int id = dp->put_reqs ? find_mask(dp, put->mask) : -1;
    if (id < 0) {
        return false;
    }
    if (pb->n >= DP_PUT_BATCH) {
        put_flush(dp, pb);
    }
    size_t i = pb->n++;
    struct dp_put_req *r = &dp->put_reqs[i];
    make_flow_key(&r->key, id, put->key, put->mask);
    struct dp_flow *f = &r->flow;
    f->n_actions = put->n_actions;
    f->handle = put->handle;
    /* A new flow counts as used now, so idle expiry gives it time. */
    struct dp_flow_counters c = { .used_ns = now_ns };
    counters_start(dp, f, &c);
    if (put->n_actions) {
        memcpy(f->actions, put->actions, put->n_actions * sizeof *f->actions);
    }
    memset(&f->actions[put->n_actions], 0,
           (DP_MAX_ACTIONS - put->n_actions) * sizeof *f->actions);
    r->result = -EINPROGRESS;
    pb->ops[i] = op;
    return true;
}

/* Loads dp_put_batch over this datapath's flows.  Without it (a kernel
 * before 5.17: no syscall programs or bpf_loop), puts go one by one. */
static void
put_prog_open(struct dpif_xdp *dp)
{
    if (getenv("VS_DP_NO_BATCH_UPDATE")) {
        return;                     /* Tests and A/B runs. */
    }
    struct dp_put_bpf *skel = dp_put_bpf__open();
    if (!skel) {
        return;
    }
    if (bpf_map__reuse_fd(skel->maps.flows, MAPFD(dp, flows))
        || dp_put_bpf__load(skel)) {
        VLOG_INFO("%s: no batched flow puts (%s): one by one",
                  dp->up.name, vs_strerror(errno));
        dp_put_bpf__destroy(skel);
        return;
    }
    long page = sysconf(_SC_PAGESIZE);
    size_t size = sizeof *dp->put_reqs * DP_PUT_BATCH;
    size = (size + page - 1) / page * page;
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
                   bpf_map__fd(skel->maps.put_reqs), 0);
    if (p == MAP_FAILED) {
        dp_put_bpf__destroy(skel);
        return;
    }
    dp->put_skel = skel;
    dp->put_reqs = p;
    dp->put_reqs_size = size;
}

static void
dpif_xdp_operate(struct dpif *dpif, struct dpif_op *ops, size_t n)
{
    struct dpif_xdp *dp = dpif_xdp_cast(dpif);

    if (!dp->eb) {
        dp->eb = xzalloc(sizeof *dp->eb);
        dp->pb = xzalloc(sizeof *dp->pb);
    }
    uint64_t now_ns = mono_ns();

    /* Executes are queued for sendmmsg() and sent before any put of the
     * batch goes in (see dpif_operate()).  Puts other than plain creates
     * go in one by one, in order with the queued ones. */
    for (size_t i = 0; i < n; i++) {
        struct dpif_op *op = &ops[i];
        if (op->error) {
            continue;               /* Rejected by dpif_operate(). */
        }
        if (op->type == DPIF_OP_EXECUTE) {
            const struct dpif_op_execute *e = &op->execute;
            op->error = execute__(dp, e->packet, e->len, e->key, e->actions,
                                  e->n_actions, dp->eb);
        }
    }
    exec_flush(dp, dp->eb);
    for (size_t i = 0; i < n; i++) {
        struct dpif_op *op = &ops[i];
        if (op->error || op->type != DPIF_OP_FLOW_PUT) {
            continue;
        }
        const struct dpif_op_flow_put *p = &op->put;
        bool create_only = (p->flags & DPIF_FP_CREATE)
                           && !(p->flags & DPIF_FP_MODIFY);
        if (!create_only || !put_queue(dp, dp->pb, op, now_ns)) {
            put_flush(dp, dp->pb);
            op->error = flow_put__(dp, p->key, p->mask, p->actions,
                                   p->n_actions, p->flags, p->handle, NULL);
        }
    }
    put_flush(dp, dp->pb);
}

/* ---- lifecycle ----------------------------------------------------------- */

static int
mkdir_p(const char *path)
{
    char *copy = xstrdup(path);
    for (char *p = copy + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(copy, 0700);
            *p = '/';
        }
    }
    int error = mkdir(copy, 0700) && errno != EEXIST ? errno : 0;
    free(copy);
    return error;
}

/* Rebuilds the userspace view (masks, internal-port fds) from the pinned
 * maps and moves every port onto the new programs. */
static void
adopt(struct dpif_xdp *dp)
{
    masks_gc_and_reorder(dp);
    for (uint32_t i = 1; i < DP_MAX_PORTS; i++) {
        struct dp_port p;
        if (port_get(dp, i, &p)) {
            continue;
        }
        if (p.flags & DP_PORT_TUNNEL) {
            /* Its netdev is shared and named after its type and port. */
            struct tunnel_cfg cfg = { .type = p.type,
                                      .udp_port = p.tun_udp_port };
            char name[16];
            tunnel_netdev_name(&cfg, name);
            if (if_nametoindex(name) == p.ifindex) {
                tunnel_tc_attach(dp, p.ifindex);
                continue;
            }
            struct dp_port empty;
            memset(&empty, 0, sizeof empty);
            bpf_map_update_elem(MAPFD(dp, ports), &i, &empty, BPF_ANY);
            tunnel_port_del(dp, i, &p);
            continue;
        }
        if (if_nametoindex(p.name) != p.ifindex) {
            /* The device went away while we were down. */
            struct dp_port empty;
            memset(&empty, 0, sizeof empty);
            bpf_map_delete_elem(MAPFD(dp, port_by_ifindex), &p.ifindex);
            bpf_map_delete_elem(MAPFD(dp, tx_ports), &i);
            bpf_map_update_elem(MAPFD(dp, ports), &i, &empty, BPF_ANY);
            continue;
        }
        if (p.type == DP_PORT_TYPE_INTERNAL) {
            netdev_tap_create(p.name, true, &dp->tap_fds[i]);
        }
        port_attach(dp, &p, (p.flags & DP_PORT_XDP_NATIVE) != 0);
        bpf_map_update_elem(MAPFD(dp, ports), &i, &p, BPF_ANY);
    }
    update_flood_cfg(dp);
}

static void
pin_programs(struct dpif_xdp *dp)
{
    struct bpf_program *progs[] = { dp->skel->progs.dp_xdp,
                                    dp->skel->progs.dp_tc };
    const char *names[] = { "prog_xdp", "prog_tc" };
    for (size_t i = 0; i < ARRAY_SIZE(progs); i++) {
        char *path = xasprintf("%s/%s", dp->dir, names[i]);
        unlink(path);
        bpf_program__pin(progs[i], path);
        free(path);
    }
}

static int
silent_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
    if (level == LIBBPF_WARN && getenv("VS_BPF_DEBUG")) {
        return vfprintf(stderr, fmt, ap);
    }
    return 0;
}

static void dpif_xdp_close(struct dpif *);

/* Gives the skeleton's map 'm' the flags of the same map pinned as 'name'
 * by whatever version created the datapath (libbpf reuses a pinned map
 * only if they match); returns those flags. */
static uint32_t
adopt_map_flags(const char *dir, const char *name, struct bpf_map *m)
{
    char *pin = xasprintf("%s/%s", dir, name);
    int fd = bpf_obj_get(pin);
    uint32_t flags = bpf_map__map_flags(m);

    free(pin);
    if (fd >= 0) {
        struct bpf_map_info info;
        uint32_t len = sizeof info;
        memset(&info, 0, sizeof info);
        if (!bpf_obj_get_info_by_fd(fd, &info, &len)) {
            flags = info.map_flags;
            bpf_map__set_map_flags(m, flags);
        }
        close(fd);
    }
    return flags;
}

/* Maps array map 'm' if it is BPF_F_MMAPABLE, else returns NULL:
 * read-only, or read-write if 'writable'. */
static volatile void *
map_array__(struct bpf_map *m, size_t *sizep, bool writable)
{
    long page = sysconf(_SC_PAGESIZE);
    size_t size = ROUND_UP(bpf_map__value_size(m), 8)
                  * bpf_map__max_entries(m);

    size = (size + page - 1) / page * page;
    *sizep = size;
    if (!(bpf_map__map_flags(m) & BPF_F_MMAPABLE)) {
        return NULL;
    }
    void *p = mmap(NULL, size, PROT_READ | (writable ? PROT_WRITE : 0),
                   MAP_SHARED, bpf_map__fd(m), 0);
    return p == MAP_FAILED ? NULL : p;
}

static const volatile void *
map_array(struct bpf_map *m, size_t *sizep)
{
    return map_array__(m, sizep, false);
}

static int
dpif_xdp_open(const char *name, bool create, struct dpif **dpifp)
{
    struct dpif_xdp *dp;
    struct statfs sfs;
    struct stat st;
    int error;

    if (!name[0] || strchr(name, '/') || strlen(name) > 64) {
        return EINVAL;
    }
    libbpf_set_print(silent_print);

    dp = xzalloc(sizeof *dp);
    dp->up.name = xstrdup(name);
    dp->dir = xasprintf("%s/%s", bpf_root(), name);
    dp->pkt_sock = -1;
    dp->gso_sock = -1;
    dp->tun_sock = -1;
    for (size_t i = 0; i < DP_MAX_PORTS; i++) {
        dp->tap_fds[i] = -1;
    }
    dp->queue = xcalloc(MAX_QUEUED_UPCALLS, sizeof *dp->queue);
    dp->n_cpus = libbpf_num_possible_cpus();
    *dpifp = &dp->up;

    char *flows_pin = xasprintf("%s/flows", dp->dir);
    bool exists = !stat(flows_pin, &st);
    if (!exists && !create) {
        free(flows_pin);
        error = ENOENT;
        goto err;
    }
    error = mkdir_p(dp->dir);
    if (error) {
        free(flows_pin);
        goto err;
    }
    if (statfs(dp->dir, &sfs) || sfs.f_type != BPF_FS_MAGIC) {
        /* Pins need a bpffs: mount -t bpf bpf /sys/fs/bpf. */
        free(flows_pin);
        rmdir(dp->dir);             /* If we just made it, empty. */
        error = EMEDIUMTYPE;
        goto err;
    }

    LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = dp->dir);
    dp->skel = dp_bpf__open_opts(&opts);
    if (!dp->skel) {
        free(flows_pin);
        error = errno ? errno : EINVAL;
        goto err;
    }
    uint32_t max_flows = 65536;
    const char *env = getenv("VS_DP_MAX_FLOWS");
    if (exists) {
        int fd = bpf_obj_get(flows_pin);
        struct bpf_map_info info;
        uint32_t len = sizeof info;
        memset(&info, 0, sizeof info);
        if (fd >= 0 && !bpf_obj_get_info_by_fd(fd, &info, &len)) {
            max_flows = info.max_entries;
        }
        if (fd >= 0) {
            close(fd);
        }
        /* The kernel adds this flag to a devmap it creates; libbpf
         * wants the same flags to reuse the pinned one. */
        bpf_map__set_map_flags(dp->skel->maps.tx_ports, BPF_F_RDONLY_PROG);
        adopt_map_flags(dp->dir, "masks", dp->skel->maps.masks);
        adopt_map_flags(dp->dir, "ports", dp->skel->maps.ports);
    } else if (env && atoi(env) > 0) {
        max_flows = atoi(env);
    }
    free(flows_pin);
    bpf_map__set_max_entries(dp->skel->maps.flows, max_flows);
    /* Handles are dense, but records outlive their flows for a while. */
    bpf_map__set_max_entries(dp->skel->maps.flow_stats, 2 * max_flows);
    bpf_map__set_max_entries(dp->skel->maps.upcall_big, dp->n_cpus);
    error = dp_bpf__load(dp->skel);
    if (error) {
        error = -error;
        goto err;
    }
    pin_programs(dp);
    put_prog_open(dp);
    dp->masks_mm = map_array(dp->skel->maps.masks, &dp->masks_mm_size);
    dp->ports_mm = map_array(dp->skel->maps.ports, &dp->ports_mm_size);
    dp->fstats = map_array__(dp->skel->maps.flow_stats, &dp->fstats_size,
                             true);
    dp->n_fstats = dp->fstats ? bpf_map__max_entries(dp->skel->maps.flow_stats)
                              : 0;
    adopt(dp);

    dp->rb = ring_buffer__new(MAPFD(dp, upcalls), upcall_cb, dp, NULL);
    if (!dp->rb) {
        error = errno ? errno : ENOMEM;
        goto err;
    }
    dp->pkt_sock = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
    if (dp->pkt_sock < 0) {
        error = errno;
        goto err;
    }
    int one = 1;
    dp->gso_sock = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
    if (dp->gso_sock < 0
        || setsockopt(dp->gso_sock, SOL_PACKET, PACKET_VNET_HDR, &one,
                      sizeof one)) {
        error = errno;
        goto err;
    }
    dp->next_reorder = mono_msec() + REORDER_INTERVAL_MS;
    return 0;

err:
    dpif_xdp_close(&dp->up);
    *dpifp = NULL;
    return error;
}

static void
dpif_xdp_close(struct dpif *dpif)
{
    struct dpif_xdp *dp = dpif_xdp_cast(dpif);

    if (dp->rb) {
        /* Callers may wait on it with poll_fd_wait_kept(). */
        poll_fd_forget(ring_buffer__epoll_fd(dp->rb));
    }
    ring_buffer__free(dp->rb);
    if (dp->skel) {
        dp_bpf__destroy(dp->skel);
    }
    for (size_t i = 0; i < DP_MAX_PORTS; i++) {
        if (dp->tap_fds[i] >= 0) {
            close(dp->tap_fds[i]);
        }
    }
    if (dp->gso_sock >= 0) {
        close(dp->gso_sock);
    }
    if (dp->tun_sock >= 0) {
        close(dp->tun_sock);
    }
    if (dp->pkt_sock >= 0) {
        close(dp->pkt_sock);
    }
    while (dp->q_n) {
        free(dp->queue[dp->q_head]);
        dp->q_head = (dp->q_head + 1) % MAX_QUEUED_UPCALLS;
        dp->q_n--;
    }
    free(dp->queue);
    release_received(dp);
    free(dp->eb);
    free(dp->pb);
    if (dp->put_reqs) {
        munmap(dp->put_reqs, dp->put_reqs_size);
    }
    dp_put_bpf__destroy(dp->put_skel);
    free(dp->rd_keys);
    free(dp->rd_vals);
    if (dp->masks_mm) {
        munmap((void *) dp->masks_mm, dp->masks_mm_size);
    }
    if (dp->ports_mm) {
        munmap((void *) dp->ports_mm, dp->ports_mm_size);
    }
    if (dp->fstats) {
        munmap((void *) dp->fstats, dp->fstats_size);
    }
    free(dp->dir);
    free(dp->up.name);
    free(dp);
}

static int
dpif_xdp_destroy(struct dpif *dpif)
{
    struct dpif_xdp *dp = dpif_xdp_cast(dpif);
    static const char *const pins[] = {
        "flows", "masks", "mask_hits", "ports", "port_by_ifindex",
        "tx_ports", "config", "upcalls", "stats", "meters", "prog_xdp",
        "prog_tc", "tun_ports", "tun_stats", "flow_stats",
    };

    for (uint32_t i = 1; i < DP_MAX_PORTS; i++) {
        struct dp_port p;
        if (!port_get(dp, i, &p)) {
            dpif_xdp_port_del(dpif, i);
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(pins); i++) {
        char *path = xasprintf("%s/%s", dp->dir, pins[i]);
        unlink(path);
        free(path);
    }
    int error = rmdir(dp->dir) ? errno : 0;
    dpif_xdp_close(dpif);
    return error;
}

static void
dpif_xdp_run(struct dpif *dpif)
{
    struct dpif_xdp *dp = dpif_xdp_cast(dpif);
    long long now = mono_msec();
    if (now >= dp->next_reorder) {
        masks_gc_and_reorder(dp);
        dp->next_reorder = now + REORDER_INTERVAL_MS;
    }
}

static void
dpif_xdp_wait(struct dpif *dpif VS_UNUSED)
{
}

/* Tunnel ports only: the fast path's per-CPU counters plus what userspace
 * sent into the tunnel itself. */
static int
dpif_xdp_port_stats(struct dpif *dpif, uint32_t port_no,
                    struct dpif_port_stats *st)
{
    struct dpif_xdp *dp = dpif_xdp_cast(dpif);
    struct dp_port p;

    if (port_get(dp, port_no, &p)) {
        return ENOENT;
    }
    if (!(p.flags & DP_PORT_TUNNEL)) {
        return EOPNOTSUPP;
    }
    struct dp_tun_stats *v = xcalloc(dp->n_cpus, sizeof *v);
    if (!bpf_map_lookup_elem(MAPFD(dp, tun_stats), &port_no, v)) {
        for (int i = 0; i < dp->n_cpus; i++) {
            st->rx_packets += v[i].rx_packets;
            st->rx_bytes += v[i].rx_bytes;
            st->tx_packets += v[i].tx_packets;
            st->tx_bytes += v[i].tx_bytes;
        }
    }
    free(v);
    st->tx_packets += dp->tun_user_tx[port_no].packets;
    st->tx_bytes += dp->tun_user_tx[port_no].bytes;
    return 0;
}

const struct dpif_class dpif_xdp_class = {
    .type = "xdp",
    .open = dpif_xdp_open,
    .close = dpif_xdp_close,
    .destroy = dpif_xdp_destroy,
    .run = dpif_xdp_run,
    .wait = dpif_xdp_wait,
    .get_stats = dpif_xdp_get_stats,
    .port_add = dpif_xdp_port_add,
    .port_del = dpif_xdp_port_del,
    .port_query_by_number = dpif_xdp_port_query_by_number,
    .port_query_by_name = dpif_xdp_port_query_by_name,
    .port_dump = dpif_xdp_port_dump,
    .port_set_tc_only = dpif_xdp_port_set_tc_only,
    .port_set_qdisc_egress = dpif_xdp_port_set_qdisc_egress,
    .flow_put = dpif_xdp_flow_put,
    .flow_get = dpif_xdp_flow_get,
    .flow_del = dpif_xdp_flow_del,
    .flow_flush = dpif_xdp_flow_flush,
    .flow_dump = dpif_xdp_flow_dump,
    .flow_dump_chunk = dpif_xdp_flow_dump_chunk,
    .flow_stats_by_handle = dpif_xdp_flow_stats_by_handle,
    .execute = dpif_xdp_execute,
    .operate = dpif_xdp_operate,
    .recv = dpif_xdp_recv,
    .recv_batch = dpif_xdp_recv_batch,
    .recv_wait = dpif_xdp_recv_wait,
    .upcall_fd = dpif_xdp_upcall_fd,
    .meter_set = dpif_xdp_meter_set,
    .meter_get = dpif_xdp_meter_get,
    .meter_del = dpif_xdp_meter_del,
    .port_stats = dpif_xdp_port_stats,
};
