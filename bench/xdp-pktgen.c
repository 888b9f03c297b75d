/* bench helper: XDP frame generator, counter and bare redirect.
 *   xdp-pktgen gen OBJ IFACE SECS SRC_MAC DST_MAC SRC_IP DST_IP
 *   xdp-pktgen count OBJ IFACE SECS          (prints received frames/s)
 *   xdp-pktgen redirect OBJ IN_IFACE OUT_IFACE SECS
 * Built and run by bench/xdp-bench.sh; not installed. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

static double
now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct bpf_object *
load(const char *path)
{
    struct bpf_object *obj = bpf_object__open_file(path, NULL);
    if (!obj || bpf_object__load(obj)) {
        fprintf(stderr, "cannot load %s\n", path);
        exit(1);
    }
    return obj;
}

static int
prog_fd(struct bpf_object *obj, const char *name)
{
    return bpf_program__fd(bpf_object__find_program_by_name(obj, name));
}

static void
parse_mac(const char *s, unsigned char *mac)
{
    unsigned int b[6];
    if (sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6) {
        fprintf(stderr, "bad MAC %s\n", s);
        exit(1);
    }
    for (int i = 0; i < 6; i++) {
        mac[i] = b[i];
    }
}

static unsigned short
csum(const unsigned char *p, size_t n, unsigned int sum)
{
    for (size_t i = 0; i + 1 < n; i += 2) {
        sum += p[i] << 8 | p[i + 1];
    }
    if (n & 1) {
        sum += p[n - 1] << 8;
    }
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return ~sum & 0xffff;
}

/* A 60-byte Ethernet/IPv4/UDP frame (64 with the FCS) with valid sums. */
static size_t
build_frame(unsigned char *f, char **argv)
{
    struct in_addr s, d;
    memset(f, 0, 60);
    parse_mac(argv[1], f + 6);
    parse_mac(argv[2], f);
    f[12] = 0x08;
    unsigned char *ip = f + 14, *udp = ip + 20;
    inet_pton(AF_INET, argv[3], &s);
    inet_pton(AF_INET, argv[4], &d);
    ip[0] = 0x45;
    ip[3] = 46;
    ip[6] = 0x40;
    ip[8] = 64;
    ip[9] = 17;
    memcpy(ip + 12, &s, 4);
    memcpy(ip + 16, &d, 4);
    unsigned short c = csum(ip, 20, 0);
    ip[10] = c >> 8;
    ip[11] = c & 0xff;
    udp[0] = 0x13; udp[1] = 0x88;     /* 5000 */
    udp[2] = 0x13; udp[3] = 0x89;     /* 5001 */
    udp[5] = 26;
    unsigned int sum = 17 + 26;
    for (int i = 0; i < 8; i += 2) {
        sum += ip[12 + i] << 8 | ip[13 + i];
    }
    c = csum(udp, 26, sum);
    udp[6] = c >> 8;
    udp[7] = c & 0xff;
    return 60;
}

static int
cmd_gen(char **argv)
{
    struct bpf_object *obj = load(argv[0]);
    int ifindex = if_nametoindex(argv[1]);
    double secs = atof(argv[2]), end;
    unsigned char frame[64];
    size_t len = build_frame(frame, argv + 2);
    /* The kernel wants data_end to be the frame length. */
    struct xdp_md ctx = { .data_end = len, .ingress_ifindex = ifindex };
    unsigned long long sent = 0;

    if (!ifindex) {
        fprintf(stderr, "no interface %s\n", argv[1]);
        return 1;
    }
    LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = len,
                .ctx_in = &ctx, .ctx_size_in = sizeof ctx,
                .flags = BPF_F_TEST_XDP_LIVE_FRAMES, .repeat = 1 << 16);
    end = now() + secs;
    while (now() < end) {
        if (bpf_prog_test_run_opts(prog_fd(obj, "xdp_gen"), &opts)) {
            perror("BPF_PROG_TEST_RUN");
            return 1;
        }
        sent += opts.repeat;
    }
    printf("%llu\n", sent);
    return 0;
}

static unsigned long long
read_counter(struct bpf_object *obj)
{
    int n = libbpf_num_possible_cpus(), fd;
    unsigned long long vals[n], sum = 0;
    unsigned int k = 0;
    fd = bpf_map__fd(bpf_object__find_map_by_name(obj, "counter"));
    if (!bpf_map_lookup_elem(fd, &k, vals)) {
        for (int i = 0; i < n; i++) {
            sum += vals[i];
        }
    }
    return sum;
}

static int
cmd_count(char **argv)
{
    struct bpf_object *obj = load(argv[0]);
    int ifindex = if_nametoindex(argv[1]);
    double secs = atof(argv[2]);
    if (bpf_xdp_attach(ifindex, prog_fd(obj, "xdp_count"), XDP_FLAGS_DRV_MODE, NULL)) {
        perror("attach counter");
        return 1;
    }
    usleep(500 * 1000);
    unsigned long long a = read_counter(obj);
    double t0 = now();
    usleep(secs * 1e6);
    unsigned long long b = read_counter(obj);
    double t1 = now();
    bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL);
    printf("%.0f\n", (b - a) / (t1 - t0));
    return 0;
}

static int
cmd_redirect(char **argv)
{
    struct bpf_object *obj = load(argv[0]);
    int in = if_nametoindex(argv[1]);
    unsigned int out = if_nametoindex(argv[2]), k = 0;
    double secs = atof(argv[3]);
    bpf_map_update_elem(bpf_map__fd(bpf_object__find_map_by_name(obj, "target")),
                        &k, &out, BPF_ANY);
    if (bpf_xdp_attach(in, prog_fd(obj, "xdp_redirect"), XDP_FLAGS_DRV_MODE, NULL)
        || bpf_xdp_attach(out, prog_fd(obj, "xdp_pass"), XDP_FLAGS_DRV_MODE, NULL)) {
        perror("attach redirect");
        return 1;
    }
    usleep(secs * 1e6);
    bpf_xdp_detach(in, XDP_FLAGS_DRV_MODE, NULL);
    bpf_xdp_detach(out, XDP_FLAGS_DRV_MODE, NULL);
    return 0;
}

int
main(int argc, char **argv)
{
    libbpf_set_strict_mode(LIBBPF_STRICT_ALL);
    if (argc >= 9 && !strcmp(argv[1], "gen")) {
        return cmd_gen(argv + 2);
    } else if (argc >= 5 && !strcmp(argv[1], "count")) {
        return cmd_count(argv + 2);
    } else if (argc >= 6 && !strcmp(argv[1], "redirect")) {
        return cmd_redirect(argv + 2);
    }
    fprintf(stderr, "usage: see the comment at the top of xdp-pktgen.c\n");
    return 2;
}
