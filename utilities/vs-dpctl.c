/* vs-dpctl: drives a vswitch datapath directly (no vs-vswitchd needed). */
#include <config.h>
#include <ctype.h>
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "datapath/dpif.h"
#include "dynamic-string.h"
#include "packets.h"
#include "util.h"

static const char *dp_type = "xdp";

static void
usage(void)
{
    printf("%s: drive a vswitch datapath\n"
           "usage: %s [OPTIONS] COMMAND [ARG...]\n"
           "  add-dp DP                 create datapath DP\n"
           "  del-dp DP                 delete DP, its ports and flows\n"
           "  add-if DP IFACE [type=system|internal|tap] [port_no=N]\n"
           "         [xdp-tx=true|false] [xdp-mode=native|generic]\n"
           "  add-if DP NAME type=vxlan|geneve remote_ip=IP|flow\n"
           "         [key=N|flow] [local_ip=IP] [dst_port=N]  a tunnel port\n"
           "  del-if DP IFACE|PORT_NO\n"
           "  show [DP]                 ports and statistics\n"
           "  dump-flows DP             megaflows with counters\n"
           "  add-flow DP FLOW          e.g. in_port=1,eth_dst=..,actions=output:2\n"
           "  mod-flow DP FLOW\n"
           "  add-flows DP FILE         the flows of FILE (one a line; \"modify \"\n"
           "                            first: a mod-flow) in one batch; prints\n"
           "                            each line's result\n"
           "  del-flow DP FLOW          (the match part of FLOW)\n"
           "  del-flows DP\n"
           "  recv-upcalls DP N [SECS]  print the next N upcalls\n"
           "  set-meter DP ID kbps|pktps RATE [BURST]\n"
           "                            a meter with one drop band (meter:ID)\n"
           "  del-meter DP ID\n"
           "  dump-meters DP            meters with passed/dropped counters\n"
           "  execute DP FLOW HEX [N]   run FLOW's actions on the frame HEX in\n"
           "                            userspace (FLOW: in_port=N,actions=..),\n"
           "                            N times (default 1)\n"
           "Options: -t, --type=TYPE (datapath type, default xdp)\n"
           "         -h, --help  -V, --version\n"
           "The bpffs directory is $VS_BPF_DIR (default /sys/fs/bpf/vswitch).\n",
           program_name, program_name);
}

static struct dpif *
open_dp(const char *name, bool create)
{
    struct dpif *dpif;
    int error = dpif_open(dp_type, name, create, &dpif);
    if (error == EMEDIUMTYPE) {
        vs_fatal(0, "%s: the BPF pin directory is not on a bpffs "
                 "(mount -t bpf bpf DIR; set VS_BPF_DIR)", name);
    } else if (error) {
        vs_fatal(error, "opening datapath %s", name);
    }
    return dpif;
}

static void
cmd_add_dp(int argc VS_UNUSED, char *argv[])
{
    dpif_close(open_dp(argv[1], true));
}

static void
cmd_del_dp(int argc VS_UNUSED, char *argv[])
{
    int error = dpif_delete(open_dp(argv[1], false));
    if (error) {
        vs_fatal(error, "deleting %s", argv[1]);
    }
}

static void
cmd_add_if(int argc, char *argv[])
{
    struct dpif *dpif = open_dp(argv[1], false);
    const char *type = "system";
    unsigned int port_no = DPIF_PORT_ANY;
    struct ds opts = DS_EMPTY_INITIALIZER;

    for (int i = 3; i < argc; i++) {
        if (str_starts_with(argv[i], "type=")) {
            type = argv[i] + 5;
        } else if (str_starts_with(argv[i], "port_no=")) {
            if (!str_to_uint(argv[i] + 8, 10, &port_no) || !port_no) {
                vs_fatal(0, "%s: bad port number", argv[i]);
            }
        } else if (strchr(argv[i], '=')) {
            ds_put_format(&opts, "%s%s", opts.length ? "," : "", argv[i]);
        } else {
            vs_fatal(0, "%s: expected KEY=VALUE", argv[i]);
        }
    }
    uint32_t pno = port_no;
    int error = dpif_port_add(dpif, argv[2], type, ds_cstr(&opts), &pno);
    ds_destroy(&opts);
    if (error) {
        vs_fatal(error, "adding %s to %s", argv[2], argv[1]);
    }
    printf("%u\n", pno);
    dpif_close(dpif);
}

static uint32_t
lookup_port(struct dpif *dpif, const char *s)
{
    struct dpif_port port;
    unsigned int n;
    if (str_to_uint(s, 10, &n)) {
        return n;
    }
    if (dpif_port_query_by_name(dpif, s, &port)) {
        vs_fatal(0, "%s: no such port", s);
    }
    return port.port_no;
}

static void
cmd_del_if(int argc VS_UNUSED, char *argv[])
{
    struct dpif *dpif = open_dp(argv[1], false);
    int error = dpif_port_del(dpif, lookup_port(dpif, argv[2]));
    if (error) {
        vs_fatal(error, "deleting %s from %s", argv[2], argv[1]);
    }
    dpif_close(dpif);
}

static void
show_dp(struct dpif *dpif)
{
    struct dpif_dp_stats st;
    struct dpif_port *ports;
    size_t n;

    dpif_get_stats(dpif, &st);
    printf("%s@%s:\n", dpif_type(dpif), dpif_name(dpif));
    printf("  lookups: hit:%llu missed:%llu lost:%llu xdp:%llu\n",
           (unsigned long long) st.n_hit, (unsigned long long) st.n_missed,
           (unsigned long long) st.n_lost, (unsigned long long) st.n_xdp_fwd);
    printf("  flows: %llu\n", (unsigned long long) st.n_flows);
    printf("  masks: %u probes/lookup:%.2f\n", st.n_masks,
           st.n_hit + st.n_missed
           ? (double) st.n_mask_probes / (st.n_hit + st.n_missed) : 0.0);
    dpif_port_dump(dpif, &ports, &n);
    for (size_t i = 0; i < n; i++) {
        const struct dpif_port *p = &ports[i];
        printf("  port %u: %s", p->port_no, p->name);
        if (strcmp(p->type, "system")) {
            printf(" (%s)", p->type);
        }
        printf(" [%s%s]\n",
               p->flags & DP_PORT_XDP_NATIVE ? "xdp-native"
               : p->flags & DP_PORT_XDP_SKB ? "xdp-generic" : "tc",
               p->flags & DP_PORT_XDP_TX ? ",xdp-tx" : "");
    }
    free(ports);
}

static void
cmd_show(int argc, char *argv[])
{
    if (argc > 1) {
        struct dpif *dpif = open_dp(argv[1], false);
        show_dp(dpif);
        dpif_close(dpif);
        return;
    }
    const char *root = getenv("VS_BPF_DIR");
    DIR *dir = opendir(root && root[0] ? root : "/sys/fs/bpf/vswitch");
    struct dirent *de;
    while (dir && (de = readdir(dir))) {
        struct dpif *dpif;
        if (de->d_name[0] != '.'
            && !dpif_open(dp_type, de->d_name, false, &dpif)) {
            show_dp(dpif);
            dpif_close(dpif);
        }
    }
    if (dir) {
        closedir(dir);
    }
}

/* The TCP flags a megaflow's packets had, one letter each in the order
 * and letters ovs-dpctl uses ('.' for ACK): "SFP.", "F.", "R". */
static void
format_tcp_flags(struct ds *s, uint16_t flags)
{
    static const struct { uint16_t bit; char c; } letters[] = {
        { TCP_SYN, 'S' }, { TCP_FIN, 'F' }, { TCP_PSH, 'P' },
        { TCP_RST, 'R' }, { TCP_URG, 'U' }, { TCP_ACK, '.' },
        { TCP_ECE, 'E' }, { TCP_CWR, 'C' }, { TCP_NS, 'N' },
    };
    for (size_t i = 0; i < ARRAY_SIZE(letters); i++) {
        if (flags & letters[i].bit) {
            ds_put_char(s, letters[i].c);
        }
    }
}

static void
cmd_dump_flows(int argc VS_UNUSED, char *argv[])
{
    struct dpif *dpif = open_dp(argv[1], false);
    struct dpif_flow *flows;
    size_t n;
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    long long now = ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
    dpif_flow_dump(dpif, &flows, &n);
    for (size_t i = 0; i < n; i++) {
        struct ds s = DS_EMPTY_INITIALIZER;
        const struct dpif_flow *f = &flows[i];
        dp_flow_format(&s, &f->key, &f->mask, NULL, 0);
        ds_truncate(&s, s.length - strlen("actions=drop"));
        ds_chomp(&s, ',');
        ds_put_format(&s, "%spackets:%llu bytes:%llu used:",
                      s.length ? " " : "",
                      (unsigned long long) f->stats.packets,
                      (unsigned long long) f->stats.bytes);
        if (f->stats.used_msec) {
            ds_put_format(&s, "%.3fs", (now - f->stats.used_msec) / 1000.0);
        } else {
            ds_put_cstr(&s, "never");
        }
        if (f->stats.tcp_flags) {
            ds_put_cstr(&s, " flags:");
            format_tcp_flags(&s, f->stats.tcp_flags);
        }
        ds_put_cstr(&s, " actions=");
        dp_actions_format(&s, f->actions, f->n_actions);
        puts(ds_cstr(&s));
        ds_destroy(&s);
    }
    free(flows);
    dpif_close(dpif);
}

static void
put_flow(char *argv[], enum dpif_put_flags flags)
{
    struct dpif *dpif = open_dp(argv[1], false);
    struct dp_action acts[DP_MAX_ACTIONS];
    struct dp_key key, mask;
    size_t n;
    char *error = dp_flow_parse(argv[2], &key, &mask, acts, &n);

    if (error) {
        vs_fatal(0, "%s: %s", argv[2], error);
    }
    int err = dpif_flow_put(dpif, &key, &mask, acts, n, flags, NULL);
    if (err) {
        vs_fatal(err, "%s", argv[2]);
    }
    dpif_close(dpif);
}

static void cmd_add_flow(int argc VS_UNUSED, char *argv[]) { put_flow(argv, DPIF_FP_CREATE); }
static void cmd_mod_flow(int argc VS_UNUSED, char *argv[]) { put_flow(argv, DPIF_FP_MODIFY); }

/* One batch (dpif_operate()) of the flows in a file, so that tests can
 * see what a batch does with duplicates and failures. */
static void
cmd_add_flows(int argc VS_UNUSED, char *argv[])
{
    FILE *f = fopen(argv[2], "r");
    if (!f) {
        vs_fatal(errno, "%s", argv[2]);
    }
    struct dpif *dpif = open_dp(argv[1], false);
    struct flow_line {
        struct dp_key key, mask;
        struct dp_action acts[DP_MAX_ACTIONS];
        unsigned int line_no;
    } *lines = NULL;
    struct dpif_op *ops = NULL;
    size_t n = 0, allocated = 0;
    unsigned int line_no = 0;
    bool ok = true;
    char buf[4096];

    while (fgets(buf, sizeof buf, f)) {
        char *s = buf;
        line_no++;
        s[strcspn(s, "\r\n")] = '\0';
        if (!s[0] || s[0] == '#') {
            continue;
        }
        enum dpif_put_flags flags = DPIF_FP_CREATE;
        if (!strncmp(s, "modify ", 7)) {
            flags = DPIF_FP_MODIFY;
            s += 7;
        }
        if (n >= allocated) {
            allocated = allocated ? 2 * allocated : 64;
            lines = xrealloc(lines, allocated * sizeof *lines);
            ops = xrealloc(ops, allocated * sizeof *ops);
        }
        struct flow_line *l = &lines[n];
        size_t n_acts;
        char *error = dp_flow_parse(s, &l->key, &l->mask, l->acts, &n_acts);
        if (error) {
            printf("line %u: %s\n", line_no, error);
            free(error);
            ok = false;
            continue;
        }
        l->line_no = line_no;
        memset(&ops[n], 0, sizeof ops[n]);
        ops[n].type = DPIF_OP_FLOW_PUT;
        ops[n].put.key = &l->key;
        ops[n].put.mask = &l->mask;
        ops[n].put.actions = l->acts;
        ops[n].put.n_actions = n_acts;
        ops[n].put.flags = flags;
        n++;
    }
    fclose(f);
    /* 'lines' no longer moves: the ops may point into it. */
    for (size_t i = 0; i < n; i++) {
        ops[i].put.key = &lines[i].key;
        ops[i].put.mask = &lines[i].mask;
        ops[i].put.actions = lines[i].acts;
    }
    dpif_operate(dpif, ops, n);
    for (size_t i = 0; i < n; i++) {
        printf("line %u: %s\n", lines[i].line_no,
               ops[i].error ? vs_strerror(ops[i].error) : "ok");
        ok = ok && !ops[i].error;
    }
    free(lines);
    free(ops);
    dpif_close(dpif);
    exit(ok ? EXIT_SUCCESS : EXIT_FAILURE);
}

static void
cmd_del_flow(int argc VS_UNUSED, char *argv[])
{
    struct dpif *dpif = open_dp(argv[1], false);
    struct dp_action acts[DP_MAX_ACTIONS];
    struct dp_key key, mask;
    size_t n;
    char *s = xasprintf("%s,actions=drop", argv[2]);
    char *error = dp_flow_parse(s, &key, &mask, acts, &n);

    if (error) {
        vs_fatal(0, "%s: %s", argv[2], error);
    }
    int err = dpif_flow_del(dpif, &key, &mask, NULL);
    if (err) {
        vs_fatal(err, "%s", argv[2]);
    }
    free(s);
    dpif_close(dpif);
}

static void
cmd_del_flows(int argc VS_UNUSED, char *argv[])
{
    struct dpif *dpif = open_dp(argv[1], false);
    dpif_flow_flush(dpif);
    dpif_close(dpif);
}

/* Runs actions on a frame given in hex through the datapath's userspace
 * execute, as the switch does for first packets. */
static void
cmd_execute(int argc, char *argv[])
{
    struct dp_action actions[DP_MAX_ACTIONS];
    struct dp_key key, mask;
    size_t n_actions, len = 0;
    char *error = dp_flow_parse(argv[2], &key, &mask, actions, &n_actions);
    if (error) {
        vs_fatal(0, "%s: %s", argv[2], error);
    }
    const char *hex = argv[3];
    size_t n_hex = strlen(hex);
    if (n_hex % 2 || n_hex / 2 > 65535) {
        vs_fatal(0, "%s: bad hex frame", "execute");
    }
    uint8_t *pkt = xmalloc(n_hex / 2 + 1);
    for (; len < n_hex / 2; len++) {
        unsigned int b;
        if (!isxdigit((unsigned char) hex[2 * len])
            || !isxdigit((unsigned char) hex[2 * len + 1])
            || sscanf(hex + 2 * len, "%2x", &b) != 1) {
            vs_fatal(0, "execute: bad hex at offset %zu", 2 * len);
        }
        pkt[len] = b;
    }
    unsigned int count = 1;
    if (argc > 4 && (!str_to_uint(argv[4], 10, &count) || !count)) {
        vs_fatal(0, "%s: bad count", argv[4]);
    }
    struct dpif *dpif = open_dp(argv[1], false);
    for (unsigned int i = 0; i < count; i++) {
        int err = dpif_execute(dpif, pkt, len, &key, actions, n_actions);
        if (err) {
            vs_fatal(err, "execute");
        }
    }
    dpif_close(dpif);
    free(pkt);
}

static uint32_t
parse_meter_id(const char *s)
{
    unsigned int id;
    if (!str_to_uint(s, 10, &id) || id >= DP_MAX_METERS) {
        vs_fatal(0, "%s: bad meter id (0..%d)", s, DP_MAX_METERS - 1);
    }
    return id;
}

static void
cmd_set_meter(int argc, char *argv[])
{
    struct dpif_meter m = { .pktps = !strcmp(argv[3], "pktps") };
    if (!m.pktps && strcmp(argv[3], "kbps")) {
        vs_fatal(0, "%s: expected kbps or pktps", argv[3]);
    }
    if (!str_to_uint(argv[4], 10, &m.rate) || !m.rate
        || m.rate > DP_METER_MAX_RATE
        || (argc > 5 && !str_to_uint(argv[5], 10, &m.burst))) {
        vs_fatal(0, "bad rate or burst");
    }
    uint32_t id = parse_meter_id(argv[2]);
    struct dpif *dpif = open_dp(argv[1], false);
    int error = dpif_meter_set(dpif, id, &m);
    if (error) {
        vs_fatal(error, "setting meter %u", id);
    }
    dpif_close(dpif);
}

static void
cmd_del_meter(int argc VS_UNUSED, char *argv[])
{
    uint32_t id = parse_meter_id(argv[2]);
    struct dpif *dpif = open_dp(argv[1], false);
    int error = dpif_meter_del(dpif, id);
    if (error) {
        vs_fatal(error, "deleting meter %u", id);
    }
    dpif_close(dpif);
}

static void
cmd_dump_meters(int argc VS_UNUSED, char *argv[])
{
    struct dpif *dpif = open_dp(argv[1], false);
    for (uint32_t id = 0; id < DP_MAX_METERS; id++) {
        struct dpif_meter_stats st;
        struct dpif_meter m;
        if (!dpif_meter_get(dpif, id, &m, &st)) {
            printf("meter:%u %s rate:%u burst:%u packets:%llu bytes:%llu "
                   "dropped:%llu\n", id, m.pktps ? "pktps" : "kbps", m.rate,
                   m.burst, (unsigned long long) st.n_packets,
                   (unsigned long long) st.n_bytes,
                   (unsigned long long) st.n_dropped);
        }
    }
    dpif_close(dpif);
}

static void
cmd_recv_upcalls(int argc, char *argv[])
{
    struct dpif *dpif = open_dp(argv[1], false);
    unsigned int n, secs = 10;
    if (!str_to_uint(argv[2], 10, &n) || (argc > 3 && !str_to_uint(argv[3], 10, &secs))) {
        vs_fatal(0, "bad count or time");
    }
    time_t deadline = time(NULL) + secs;
    while (n > 0 && time(NULL) < deadline) {
        struct dpif_upcall u;
        if (dpif_recv(dpif, &u)) {
            struct timespec ts = { 0, 10 * 1000 * 1000 };
            nanosleep(&ts, NULL);
            continue;
        }
        struct ds s = DS_EMPTY_INITIALIZER;
        struct dp_key all;
        memset(&all, 0xff, sizeof all);
        if (u.key.eth_type != htons(0x8847) && u.key.eth_type != htons(0x8848)) {
            all.mpls_lse = 0;
        }
        /* Show only the address fields of the packet's family. */
        if (u.key.eth_type == htons(0x86dd)) {
            all.nw_src = all.nw_dst = 0;
        } else {
            memset(all.ipv6_src, 0, sizeof all.ipv6_src);
            memset(all.ipv6_dst, 0, sizeof all.ipv6_dst);
        }
        /* Tunnel metadata only for what came from a tunnel port. */
        if (!u.key.tun_id && !u.key.tun_src && !u.key.tun_dst) {
            all.tun_id = 0;
            all.tun_src = all.tun_dst = 0;
        }
        dp_flow_format(&s, &u.key, &all, NULL, 0);
        ds_truncate(&s, s.length - strlen(",actions=drop"));
        printf("%s len=%zu%s\n", ds_cstr(&s), u.pkt_len,
               u.reason == DP_UPCALL_MISS ? " miss" : " action");
        fflush(stdout);
        ds_destroy(&s);
        n--;
    }
    dpif_close(dpif);
    if (n) {
        exit(1);
    }
}

struct command {
    const char *name;
    int min_args, max_args;
    void (*handler)(int argc, char *argv[]);
};

static const struct command commands[] = {
    { "add-dp", 1, 1, cmd_add_dp },
    { "del-dp", 1, 1, cmd_del_dp },
    { "add-if", 2, 8, cmd_add_if },
    { "del-if", 2, 2, cmd_del_if },
    { "show", 0, 1, cmd_show },
    { "dump-flows", 1, 1, cmd_dump_flows },
    { "add-flow", 2, 2, cmd_add_flow },
    { "add-flows", 2, 2, cmd_add_flows },
    { "mod-flow", 2, 2, cmd_mod_flow },
    { "del-flow", 2, 2, cmd_del_flow },
    { "del-flows", 1, 1, cmd_del_flows },
    { "recv-upcalls", 2, 3, cmd_recv_upcalls },
    { "execute", 3, 4, cmd_execute },
    { "set-meter", 4, 5, cmd_set_meter },
    { "del-meter", 2, 2, cmd_del_meter },
    { "dump-meters", 1, 1, cmd_dump_meters },
};

int
main(int argc, char *argv[])
{
    static const struct option long_options[] = {
        { "type", required_argument, NULL, 't' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    int c;

    set_program_name(argv[0]);
    while ((c = getopt_long(argc, argv, "+t:hV", long_options, NULL)) != -1) {
        switch (c) {
        case 't':
            dp_type = optarg;
            break;
        case 'h':
            usage();
            return 0;
        case 'V':
            vs_print_version();
            return 0;
        default:
            return 2;
        }
    }
    argc -= optind;
    argv += optind;
    if (argc < 1) {
        vs_fatal(0, "missing command; try --help");
    }
    for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
        const struct command *cmd = &commands[i];
        if (!strcmp(cmd->name, argv[0])) {
            if (argc - 1 < cmd->min_args || argc - 1 > cmd->max_args) {
                vs_fatal(0, "%s: wrong number of arguments", argv[0]);
            }
            cmd->handler(argc, argv);
            return 0;
        }
    }
    vs_fatal(0, "%s: unknown command; try --help", argv[0]);
}
