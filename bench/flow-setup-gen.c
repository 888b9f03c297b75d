/* bench helper for bench/openflow-bench.sh: new-flow (upcall) rate.
 *
 *   flow-setup-gen flows N OUT_PORT SRC_IP DST_IP
 *       prints N OpenFlow flows, one per UDP 5-tuple the run below sends:
 *       priority=100,udp,nw_src=..,nw_dst=..,tp_src=S,tp_dst=D,actions=output:P
 *   flow-setup-gen run TX_NETNS TX_IF RX_NETNS RX_IF N WINDOW SRC_MAC DST_MAC SRC_IP DST_IP [FIRST]
 *       sends N UDP frames, each of its own 5-tuple (flows FIRST..FIRST+N-1
 *       of the list above, FIRST defaults to 0), out of TX_IF (in the
 *       `ip netns` namespace TX_NETNS) and counts the distinct ones that
 *       arrive on RX_IF (in RX_NETNS).  At most WINDOW frames are in flight:
 *       the switch is measured setting flows up, not dropping a burst at a
 *       full queue.  When nothing comes back for 50 ms the frames in flight
 *       count as lost.  Ends 1 s after the last frame, at most after 120 s.
 *       Prints: "sent S received R seconds T rate R/T".
 *
 * One process holds a packet socket in each namespace, so both ends share
 * one clock and no pipe between processes adds latency.  Frames go out with
 * sendmmsg() and come in with recvmmsg(), up to BURST per system call: with
 * a system call per frame the generator spent as much CPU per frame as
 * either switch, and its own round trip decided the rate.  Not installed. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PORTS_PER_DST 50000     /* source ports 10000..59999 per dest port */
#define MAX_FLOWS (PORTS_PER_DST * 10)
#define FRAME_LEN 60
#define MAX_SECONDS 120.0
#define BURST 64               /* Frames per sendmmsg()/recvmmsg(). */

/* The 5-tuple of flow I: only the UDP ports vary. */
static uint16_t sport_of(unsigned i) { return 10000 + i % PORTS_PER_DST; }
static uint16_t dport_of(unsigned i) { return 5000 + i / PORTS_PER_DST; }

static double
now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
die(const char *what)
{
    fprintf(stderr, "flow-setup-gen: %s: %s\n", what, strerror(errno));
    exit(1);
}

static unsigned
parse_uint(const char *s, unsigned min, unsigned max)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < min || v > max) {
        fprintf(stderr, "flow-setup-gen: bad number %s (%u..%u)\n", s, min, max);
        exit(1);
    }
    return v;
}

static unsigned parse_count(const char *s, unsigned max) { return parse_uint(s, 1, max); }

static void
parse_mac(const char *s, uint8_t *mac)
{
    unsigned b[6];
    if (sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6) {
        fprintf(stderr, "flow-setup-gen: bad MAC %s\n", s);
        exit(1);
    }
    for (int i = 0; i < 6; i++) {
        mac[i] = b[i];
    }
}

static struct in_addr
parse_ip(const char *s)
{
    struct in_addr a;
    if (inet_pton(AF_INET, s, &a) != 1) {
        fprintf(stderr, "flow-setup-gen: bad IPv4 address %s\n", s);
        exit(1);
    }
    return a;
}

static uint16_t
ip_csum(const void *p, size_t n)
{
    const uint16_t *w = p;
    uint32_t sum = 0;
    for (size_t i = 0; i < n / 2; i++) {
        sum += w[i];
    }
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return ~sum;
}

static int
cmd_flows(char **argv)
{
    unsigned n = parse_count(argv[0], MAX_FLOWS);
    unsigned out = parse_count(argv[1], 0xfeff);
    parse_ip(argv[2]);
    parse_ip(argv[3]);
    for (unsigned i = 0; i < n; i++) {
        printf("priority=100,udp,nw_src=%s,nw_dst=%s,tp_src=%u,tp_dst=%u,actions=output:%u\n",
               argv[2], argv[3], sport_of(i), dport_of(i), out);
    }
    return 0;
}

/* A packet socket on IFNAME inside namespace NETNS (`ip netns` name). */
static int
ns_socket(const char *netns, const char *ifname, int proto)
{
    char path[256];
    snprintf(path, sizeof path, "/var/run/netns/%s", netns);
    int nsfd = open(path, O_RDONLY | O_CLOEXEC);
    if (nsfd < 0) {
        die(path);
    }
    if (setns(nsfd, CLONE_NEWNET) < 0) {
        die("setns");
    }
    close(nsfd);
    int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(proto));
    if (fd < 0) {
        die("socket(AF_PACKET)");
    }
    struct sockaddr_ll sll = {
        .sll_family = AF_PACKET,
        .sll_protocol = htons(proto),
        .sll_ifindex = if_nametoindex(ifname),
    };
    if (!sll.sll_ifindex) {
        die(ifname);
    }
    if (bind(fd, (struct sockaddr *) &sll, sizeof sll) < 0) {
        die("bind");
    }
    return fd;
}

/* Frames start 2 bytes into 4-aligned storage so that the IP header that
 * follows the 14-byte Ethernet header is 4-aligned. */
#define ALIGN_PAD 2

struct frame_tmpl {
    uint32_t storage[(ALIGN_PAD + FRAME_LEN + 3) / 4];
    uint8_t *bytes;
};

static void
build_frame(struct frame_tmpl *t, const uint8_t *src_mac, const uint8_t *dst_mac,
            struct in_addr src, struct in_addr dst)
{
    memset(t, 0, sizeof *t);
    t->bytes = (uint8_t *) t->storage + ALIGN_PAD;
    struct ether_header *eth = (void *) t->bytes;
    memcpy(eth->ether_dhost, dst_mac, 6);
    memcpy(eth->ether_shost, src_mac, 6);
    eth->ether_type = htons(ETHERTYPE_IP);
    struct iphdr *ip = (void *) (eth + 1);
    ip->version = 4;
    ip->ihl = 5;
    ip->ttl = 64;
    ip->protocol = IPPROTO_UDP;
    ip->tot_len = htons(FRAME_LEN - sizeof *eth);
    ip->saddr = src.s_addr;
    ip->daddr = dst.s_addr;
    ip->check = ip_csum(ip, sizeof *ip);
    struct udphdr *udp = (void *) (ip + 1);
    udp->len = htons(FRAME_LEN - sizeof *eth - sizeof *ip);
    /* UDP checksum 0: none (allowed for IPv4). */
}

static void
set_ports(struct frame_tmpl *t, unsigned i)
{
    struct udphdr *udp = (void *) (t->bytes + sizeof(struct ether_header) + sizeof(struct iphdr));
    udp->source = htons(sport_of(i));
    udp->dest = htons(dport_of(i));
}

/* The flow index of a received frame from SRC, or -1 if not one of ours. */
static long
flow_index(const uint8_t *p, ssize_t len, struct in_addr src)
{
    if (len < (ssize_t) (sizeof(struct ether_header) + sizeof(struct iphdr) + sizeof(struct udphdr))) {
        return -1;
    }
    const struct ether_header *eth = (const void *) p;
    const struct iphdr *ip = (const void *) (eth + 1);
    if (eth->ether_type != htons(ETHERTYPE_IP) || ip->ihl != 5
        || ip->protocol != IPPROTO_UDP || ip->saddr != src.s_addr) {
        return -1;
    }
    const struct udphdr *udp = (const void *) (ip + 1);
    unsigned s = ntohs(udp->source), d = ntohs(udp->dest);
    if (s < 10000 || s >= 10000 + PORTS_PER_DST || d < 5000 || d >= 5000 + MAX_FLOWS / PORTS_PER_DST) {
        return -1;
    }
    return (long) (d - 5000) * PORTS_PER_DST + (s - 10000);
}

static int
cmd_run(char **argv)
{
    unsigned n = parse_count(argv[4], MAX_FLOWS);
    unsigned window = parse_count(argv[5], 4096);
    uint8_t src_mac[6], dst_mac[6];
    parse_mac(argv[6], src_mac);
    parse_mac(argv[7], dst_mac);
    struct in_addr src = parse_ip(argv[8]), dst = parse_ip(argv[9]);
    unsigned first = argv[10] ? parse_uint(argv[10], 0, MAX_FLOWS) : 0;
    if (first + n > MAX_FLOWS) {
        fprintf(stderr, "flow-setup-gen: FIRST + N > %u\n", MAX_FLOWS);
        return 1;
    }

    int rx = ns_socket(argv[2], argv[3], ETH_P_IP);
    /* Protocol 0: the sending socket receives nothing. */
    int tx = ns_socket(argv[0], argv[1], 0);
    struct sockaddr_ll to = {
        .sll_family = AF_PACKET,
        .sll_ifindex = if_nametoindex(argv[1]),
        .sll_halen = 6,
    };
    memcpy(to.sll_addr, dst_mac, 6);

    uint8_t *seen = calloc(n, 1);
    if (!seen) {
        die("calloc");
    }
    /* BURST frames from one template; each gets its 5-tuple when sent. */
    static struct frame_tmpl frames[BURST];
    static struct iovec tx_iov[BURST];
    static struct mmsghdr tx_msgs[BURST];
    for (unsigned i = 0; i < BURST; i++) {
        build_frame(&frames[i], src_mac, dst_mac, src, dst);
        tx_iov[i].iov_base = frames[i].bytes;
        tx_iov[i].iov_len = FRAME_LEN;
        tx_msgs[i].msg_hdr.msg_iov = &tx_iov[i];
        tx_msgs[i].msg_hdr.msg_iovlen = 1;
        tx_msgs[i].msg_hdr.msg_name = &to;
        tx_msgs[i].msg_hdr.msg_namelen = sizeof to;
    }
    static uint32_t rx_storage[BURST][2048 / 4];
    static struct iovec rx_iov[BURST];
    static struct mmsghdr rx_msgs[BURST];
    for (unsigned i = 0; i < BURST; i++) {
        rx_iov[i].iov_base = (uint8_t *) rx_storage[i] + ALIGN_PAD;
        rx_iov[i].iov_len = sizeof rx_storage[i] - ALIGN_PAD;
        rx_msgs[i].msg_hdr.msg_iov = &rx_iov[i];
        rx_msgs[i].msg_hdr.msg_iovlen = 1;
    }

    unsigned sent = 0, got = 0, written_off = 0;
    /* t_last: last new frame received; quiet_since: last frame received or
     * window written off; t_all_sent: when the last frame went out. */
    double t0 = now(), t_last = t0, quiet_since = t0, t_all_sent = 0;
    for (;;) {
        /* Frames in flight: sent, not back, not yet given up on. */
        for (;;) {
            long room = (long) window - ((long) sent - got - written_off);
            unsigned k = 0;
            while (k < BURST && (long) k < room && sent + k < n) {
                set_ports(&frames[k], first + sent + k);
                k++;
            }
            if (!k) {
                break;
            }
            int r = sendmmsg(tx, tx_msgs, k, 0);
            if (r < 0) {
                if (errno == EAGAIN || errno == ENOBUFS) {
                    break;
                }
                die("sendmmsg");
            }
            sent += r;
            if ((unsigned) r < k) {
                break;
            }
        }
        struct pollfd pfd = { .fd = rx, .events = POLLIN };
        int r = poll(&pfd, 1, 10);
        if (r < 0 && errno != EINTR) {
            die("poll");
        }
        for (;;) {
            int m = recvmmsg(rx, rx_msgs, BURST, MSG_DONTWAIT, NULL);
            if (m <= 0) {
                break;
            }
            unsigned before = got;
            for (int i = 0; i < m; i++) {
                long idx = flow_index(rx_iov[i].iov_base, rx_msgs[i].msg_len, src)
                           - (long) first;
                if (idx >= 0 && (unsigned long) idx < n && !seen[idx]) {
                    seen[idx] = 1;
                    got++;
                }
            }
            if (got != before) {
                t_last = now();
                quiet_since = t_last;
            }
        }
        double t = now();
        if (sent == n && !t_all_sent) {
            t_all_sent = t;
        }
        /* Done when all are back, or 1 s after the last frame (sent or
         * received) with nothing new; never more than MAX_SECONDS. */
        if (got == n || t - t0 > MAX_SECONDS
            || (t_all_sent && t - (t_last > t_all_sent ? t_last : t_all_sent) > 1.0)) {
            break;
        }
        if (t - quiet_since > 0.05) {
            /* Nothing back for 50 ms: what is in flight is lost. */
            written_off = sent - got;
            quiet_since = t;
        }
    }
    double secs = t_last - t0;
    printf("sent %u received %u seconds %.6f rate %.0f\n", sent, got, secs,
           secs > 0 ? got / secs : 0.0);
    free(seen);
    return got ? 0 : 1;
}

int
main(int argc, char **argv)
{
    if (argc == 6 && !strcmp(argv[1], "flows")) {
        return cmd_flows(argv + 2);
    } else if ((argc == 12 || argc == 13) && !strcmp(argv[1], "run")) {
        return cmd_run(argv + 2);
    }
    fprintf(stderr, "usage: see the comment at the top of flow-setup-gen.c\n");
    return 2;
}
