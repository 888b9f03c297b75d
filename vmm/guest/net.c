/* vs-test-guest network test: ARP for the peer, then ICMP echo, over
 * virtio-net, polling with deadlines.  Prints "net: ..." lines the system
 * tests look for. */
#include "glib.h"
#include "virtio.h"

#define HDR 12
#define BUF_SIZE 2048
#define N_RX 8
#define MAX_PAIRS 2

static uint8_t rx_bufs[MAX_PAIRS][N_RX][BUF_SIZE] __attribute__((aligned(64)));
static int n_pairs = 1;         /* Queue pairs in use. */
static int TXQ = 1;             /* Transmit on the last pair's queue. */
static uint8_t tx_buf[BUF_SIZE] __attribute__((aligned(64)));
static struct gvdev dev;
static uint8_t my_mac[6], my_ip[4], peer_ip[4], peer_mac[6];
static uint16_t ip_id;
static unsigned long rx_count[MAX_PAIRS];


static uint16_t
csum(const uint8_t *p, size_t n)
{
    uint32_t s = 0;
    for (size_t i = 0; i + 1 < n; i += 2) {
        s += p[i] << 8 | p[i + 1];
    }
    if (n & 1) {
        s += p[n - 1] << 8;
    }
    while (s >> 16) {
        s = (s & 0xffff) + (s >> 16);
    }
    return ~s;
}

static void
post_rx(int pair, int i)
{
    struct gvq *q = &dev.q[2 * pair];
    q->desc[i].addr = (uintptr_t) rx_bufs[pair][i];
    q->desc[i].len = BUF_SIZE;
    q->desc[i].flags = GDESC_WRITE;
    gvq_submit(&dev, 2 * pair, i);
}

static int
send_frame(size_t len)
{
    struct gvq *q = &dev.q[TXQ];
    uint32_t used_len;

    memset(tx_buf, 0, HDR);
    q->desc[0].addr = (uintptr_t) tx_buf;
    q->desc[0].len = HDR + len;
    q->desc[0].flags = 0;
    gvq_submit(&dev, TXQ, 0);
    if (gvq_wait(q, &used_len, 2000) < 0) {
        gprintf("net: transmit not completed\n");
        return -1;
    }
    return 0;
}

static void
eth_header(uint8_t *f, const uint8_t *dst, uint16_t type)
{
    memcpy(f, dst, 6);
    memcpy(f + 6, my_mac, 6);
    f[12] = type >> 8;
    f[13] = type;
}

static int
send_arp(uint16_t op, const uint8_t *tha, const uint8_t *tpa)
{
    static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    uint8_t *f = tx_buf + HDR;

    memset(f, 0, 60);
    eth_header(f, op == 1 ? bcast : tha, 0x0806);
    uint8_t *a = f + 14;
    a[0] = 0; a[1] = 1;         /* Ethernet */
    a[2] = 8; a[3] = 0;         /* IPv4 */
    a[4] = 6; a[5] = 4;
    a[6] = 0; a[7] = op;
    memcpy(a + 8, my_mac, 6);
    memcpy(a + 14, my_ip, 4);
    if (op == 2) {
        memcpy(a + 18, tha, 6);
    }
    memcpy(a + 24, tpa, 4);
    return send_frame(60);
}

static int
send_echo(uint16_t seq)
{
    uint8_t *f = tx_buf + HDR;
    uint8_t *ip = f + 14, *icmp = ip + 20;
    size_t payload = 32;

    eth_header(f, peer_mac, 0x0800);
    memset(ip, 0, 20);
    ip[0] = 0x45;
    uint16_t tot = 20 + 8 + payload;
    ip[2] = tot >> 8; ip[3] = tot;
    ip_id++;
    ip[4] = ip_id >> 8; ip[5] = ip_id;
    ip[8] = 64;
    ip[9] = 1;                  /* ICMP */
    memcpy(ip + 12, my_ip, 4);
    memcpy(ip + 16, peer_ip, 4);
    uint16_t c = csum(ip, 20);
    ip[10] = c >> 8; ip[11] = c;
    icmp[0] = 8; icmp[1] = 0;
    icmp[2] = icmp[3] = 0;
    icmp[4] = 0x56; icmp[5] = 0x53;     /* id "VS" */
    icmp[6] = seq >> 8; icmp[7] = seq;
    for (size_t i = 0; i < payload; i++) {
        icmp[8 + i] = 'a' + i % 26;
    }
    c = csum(icmp, 8 + payload);
    icmp[2] = c >> 8; icmp[3] = c;
    return send_frame(14 + tot);
}

/* Handles one received frame.  Returns 1 for an ARP reply from the peer,
 * 2 for our echo reply 'seq', else 0 (answering ARP requests for us). */
static int
handle_frame(const uint8_t *f, uint32_t len, uint16_t seq)
{
    if (len < 14 + 28) {
        return 0;
    }
    uint16_t type = f[12] << 8 | f[13];
    if (type == 0x0806) {
        const uint8_t *a = f + 14;
        uint16_t op = a[6] << 8 | a[7];
        if (op == 2 && !memcmp(a + 14, peer_ip, 4)) {
            memcpy(peer_mac, a + 8, 6);
            return 1;
        }
        if (op == 1 && !memcmp(a + 24, my_ip, 4)) {
            uint8_t sha[6], spa[4];
            memcpy(sha, a + 8, 6);
            memcpy(spa, a + 14, 4);
            send_arp(2, sha, spa);
        }
    } else if (type == 0x0800) {
        const uint8_t *ip = f + 14;
        int ihl = (ip[0] & 15) * 4;
        const uint8_t *icmp = ip + ihl;
        if (ip[9] == 1 && len >= (uint32_t) (14 + ihl + 8)
            && !memcmp(ip + 12, peer_ip, 4) && icmp[0] == 0
            && icmp[4] == 0x56 && icmp[5] == 0x53
            && (icmp[6] << 8 | icmp[7]) == seq) {
            return 2;
        }
    }
    return 0;
}

/* Receives until handle_frame() returns 'want' or 'ms' pass. */
static bool
wait_for(int want, uint16_t seq, uint64_t ms)
{
    uint64_t end = now_ms() + ms;
    while (now_ms() < end) {
        for (int pair = 0; pair < n_pairs; pair++) {
            uint32_t len;
            int id = gvq_poll(&dev.q[2 * pair], &len);
            if (id < 0) {
                continue;
            }
            int r = 0;
            if (id < N_RX && len > HDR) {
                r = handle_frame(rx_bufs[pair][id] + HDR, len - HDR, seq);
                rx_count[pair]++;
            }
            post_rx(pair, id < N_RX ? id : 0);
            if (r == want) {
                return true;
            }
        }
    }
    return false;
}

/* One round: resolve the peer and ping it, retrying within 'ms'. */
static bool
net_round(int round, uint64_t ms)
{
    uint64_t end = now_ms() + ms;
    bool resolved = false;
    uint16_t seq = round * 100;

    while (now_ms() < end) {
        if (!resolved) {
            /* A send that does not complete (backend away) is retried
             * until the round's deadline, like a lost packet. */
            if (send_arp(1, NULL, peer_ip)) {
                continue;
            }
            resolved = wait_for(1, 0, 500);
            if (resolved) {
                gprintf("net: round %d: ARP reply from %u.%u.%u.%u is at "
                        "%02x:%02x:%02x:%02x:%02x:%02x\n", round, peer_ip[0],
                        peer_ip[1], peer_ip[2], peer_ip[3], peer_mac[0],
                        peer_mac[1], peer_mac[2], peer_mac[3], peer_mac[4],
                        peer_mac[5]);
            }
            continue;
        }
        seq++;
        if (send_echo(seq)) {
            continue;
        }
        if (wait_for(2, seq, 500)) {
            gprintf("net: round %d: ICMP echo reply from %u.%u.%u.%u seq %u\n",
                    round, peer_ip[0], peer_ip[1], peer_ip[2], peer_ip[3], seq);
            return true;
        }
    }
    return false;
}

int
net_test(void)
{
    char buf[32];
    uint32_t features;

    if (!cmdline_get("ip", buf, sizeof buf) || !parse_ip(buf, my_ip)
        || !cmdline_get("peer", buf, sizeof buf) || !parse_ip(buf, peer_ip)) {
        gprintf("net: needs ip=A.B.C.D peer=A.B.C.D\n");
        return -1;
    }
    int rounds = cmdline_get("rounds", buf, sizeof buf) ? parse_ulong(buf) : 1;
    uint64_t timeout = cmdline_get("net_timeout", buf, sizeof buf)
        ? parse_ulong(buf) * 1000 : 20000;

    int want_pairs = cmdline_get("mq", buf, sizeof buf) ? parse_ulong(buf) : 1;
    uint32_t want = 1u << 5 /* MAC */;
    if (want_pairs > 1) {
        want |= 1u << 22 /* MQ */ | 1u << 17 /* CTRL_VQ */;
    }
    if (gvirtio_open(&dev, 1, want, &features)) {
        gprintf("net: device setup failed\n");
        return -1;
    }
    int max_pairs = 1;
    if (features & (1u << 22)) {
        max_pairs = mmio_read16(dev.device + 8);
    }
    n_pairs = want_pairs < max_pairs ? want_pairs : max_pairs;
    if (n_pairs > MAX_PAIRS) {
        n_pairs = MAX_PAIRS;
    }
    int ctrlq = 2 * max_pairs;
    for (int q = 0; q < 2 * n_pairs; q++) {
        if (gvirtio_setup_queue(&dev, q)) {
            return -1;
        }
    }
    if (((features & (1u << 22)) && gvirtio_setup_queue(&dev, ctrlq))
        || gvirtio_driver_ok(&dev)) {
        gprintf("net: device setup failed\n");
        return -1;
    }
    if (features & (1u << 22)) {
        /* VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET, then wait for the ack. */
        static uint8_t cmd[4] __attribute__((aligned(16)));
        static volatile uint8_t ack;
        struct gvq *q = &dev.q[ctrlq];
        uint32_t len;
        cmd[0] = 4;
        cmd[1] = 0;
        cmd[2] = n_pairs;
        cmd[3] = 0;
        ack = 0xff;
        q->desc[0] = (struct gdesc) { (uintptr_t) cmd, 4, GDESC_NEXT, 1 };
        q->desc[1] = (struct gdesc) { (uintptr_t) &ack, 1, GDESC_WRITE, 0 };
        gvq_submit(&dev, ctrlq, 0);
        if (gvq_wait(q, &len, 2000) < 0 || ack != 0) {
            gprintf("net: VQ_PAIRS_SET %d failed (ack %u)\n", n_pairs, ack);
            return -1;
        }
    }
    TXQ = 2 * n_pairs - 1;
    gprintf("net: %d queue pairs (device max %d), transmitting on queue %d\n",
            n_pairs, max_pairs, TXQ);
    for (int i = 0; i < 6; i++) {
        my_mac[i] = mmio_read8(dev.device + i);
    }
    gprintf("net: virtio-net at 00:%02x.0, mac %02x:%02x:%02x:%02x:%02x:%02x\n",
            dev.slot, my_mac[0], my_mac[1], my_mac[2], my_mac[3], my_mac[4],
            my_mac[5]);
    for (int pair = 0; pair < n_pairs; pair++) {
        for (int i = 0; i < N_RX; i++) {
            post_rx(pair, i);
        }
    }
    bool wait_key = cmdline_has_word("net_wait", "key");
    for (int round = 1; round <= rounds; round++) {
        if (round > 1 && wait_key) {
            /* The host restarts the backend meanwhile, then presses a key. */
            bool got;
            gprintf("net: waiting for a key before round %d\n", round);
            serial_getc_timeout(120000, &got);
        }
        if (!net_round(round, timeout)) {
            gprintf("net: round %d: no reply from the peer\n", round);
            return -1;
        }
    }
    for (int pair = 0; pair < n_pairs; pair++) {
        gprintf("net: received %lu frames on queue %d\n", rx_count[pair],
                2 * pair);
    }
    return 0;
}
