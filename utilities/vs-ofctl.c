/* vs-ofctl: administers an OpenFlow switch the way ovs-ofctl does (same
 * commands, options, flow syntax and output).  This file has main(), the
 * options, the helpers the command modules share, and the switch-level
 * commands (show, ports, tables, packet-out, monitor, snoop, probe, ping).
 * Flow commands are in ofctl-flows.c, groups and meters in
 * ofctl-groups.c, the connection in ofctl-conn.c. */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dirs.h"
#include "dp-packet.h"
#include "dynamic-string.h"
#include "flow.h"
#include "ofctl-conn.h"
#include "ofctl.h"
#include "ofp-msgs.h"
#include "ofp-parse.h"
#include "ofp-print.h"
#include "ofp-switch.h"
#include "ofp-table.h"
#include "timeval.h"
#include "util.h"
#include "vlog.h"

struct ofctl_options ofctl_opts = {
    /* Like ovs-ofctl: OpenFlow 1.0 only unless -O says otherwise. */
    .versions = OFP_VERSION_BIT(OFP10_VERSION),
    .timeout_ms = -1,
};

struct ofctl_conn *
ofctl_open_switch(const char *target)
{
    return ofctl_open(target, "mgmt", ofctl_opts.versions, ofctl_opts.timeout_ms);
}

/* ---- Shared helpers. ---- */

void
ofctl_read_lines(const char *file_name,
                 void (*cb)(char *line, int line_no, void *aux), void *aux)
{
    FILE *f = !strcmp(file_name, "-") ? stdin : fopen(file_name, "r");
    if (!f) {
        vs_fatal(errno, "%s: open failed", file_name);
    }
    char *line = NULL;
    size_t size = 0;
    ssize_t len;
    int line_no = 0;
    while ((len = getline(&line, &size, f)) >= 0) {
        line_no++;
        char *hash = strchr(line, '#');
        if (hash) {
            *hash = '\0';
        }
        char *start = line + strspn(line, " \t\r\n");
        char *end = start + strlen(start);
        while (end > start && isspace((unsigned char) end[-1])) {
            *--end = '\0';
        }
        if (*start) {
            cb(start, line_no, aux);
        }
    }
    if (ferror(f)) {
        vs_fatal(errno, "%s: read failed", file_name);
    }
    free(line);
    if (f != stdin) {
        fclose(f);
    }
}

void
ofctl_put_duration(struct ds *s, uint32_t sec, uint32_t nsec)
{
    ds_put_format(s, "%"PRIu32, sec);
    if (nsec) {
        ds_put_format(s, ".%03"PRIu32, nsec / 1000000);
        if (nsec % 1000000) {
            ds_put_format(s, "%06"PRIu32, nsec % 1000000);
        }
    }
    ds_put_char(s, 's');
}

void
ofctl_print_replies(struct ofpbuf **replies, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *s = ofp_msg_to_string(replies[i]->data, replies[i]->size);
        puts(s);
        free(s);
    }
}

/* Port descriptions: from the features reply in OF1.0, from the port desc
 * multipart in OF1.3+.  Returns a malloc'd array sorted by port number. */
static int
compare_ports(const void *a_, const void *b_)
{
    const struct ofp_port *a = a_, *b = b_;
    return a->port_no < b->port_no ? -1 : a->port_no > b->port_no;
}

static struct ofp_port *
fetch_ports(struct ofctl_conn *c, size_t *np)
{
    struct ofp_port *ports = NULL;
    size_t n = 0, allocated = 0;
    if (c->version == OFP10_VERSION) {
        struct ofpbuf *reply = ofctl_transact(c, ofpmsg_alloc(OFPTYPE_FEATURES_REQUEST,
                                                              c->version, ofctl_xid(c), 0));
        struct ofp_switch_features f;
        enum ofperr e = ofp_features_reply_decode(reply->data, reply->size, &f);
        if (e) {
            vs_fatal(0, "%s: bad features reply (%s)", c->name, ofperr_get_name(e));
        }
        ports = f.ports;
        n = f.n_ports;
        ofpbuf_delete(reply);
    } else {
        struct ofpbuf *rq = ofpmsg_alloc(OFPTYPE_PORT_DESC_STATS_REQUEST,
                                         c->version, ofctl_xid(c), 8);
        if (c->version >= OFP15_VERSION) {
            ofpbuf_put_be32(rq, OFPP_ANY);  /* OF1.5 names the port(s) wanted. */
            ofpbuf_put_zeros(rq, 4);
            ofpmsg_update_length(rq);
        }
        struct ofpbuf **replies;
        size_t n_replies = ofctl_dump(c, rq, &replies);
        for (size_t i = 0; i < n_replies; i++) {
            struct ofp_msg_header h;
            struct ofpbuf body;
            ofptype_decode(replies[i]->data, replies[i]->size, &h, &body);
            while (body.size) {
                if (n >= allocated) {
                    ports = x2nrealloc(ports, &allocated, sizeof *ports);
                }
                enum ofperr e = ofp_port_pull(&body, h.version, &ports[n]);
                if (e) {
                    vs_fatal(0, "%s: bad port description (%s)", c->name,
                             ofperr_get_name(e));
                }
                n++;
            }
        }
        ofctl_free_replies(replies, n_replies);
    }
    if (n) {
        qsort(ports, n, sizeof *ports, compare_ports);
    }
    *np = n;
    return ports;
}

static struct ofp_port *port_names;
static size_t n_port_names;

void
ofctl_load_port_names(struct ofctl_conn *c)
{
    if (!port_names) {
        port_names = fetch_ports(c, &n_port_names);
        if (!port_names) {
            port_names = xzalloc(sizeof *port_names);
        }
    }
}

const char *
ofctl_port_name(uint32_t port)
{
    for (size_t i = 0; i < n_port_names; i++) {
        if (port_names[i].port_no == port) {
            return port_names[i].name;
        }
    }
    return NULL;
}

static bool
port_from_name(const char *name, size_t len, uint32_t *port)
{
    for (size_t i = 0; i < n_port_names; i++) {
        if (strlen(port_names[i].name) == len
            && !strncmp(port_names[i].name, name, len)) {
            *port = port_names[i].port_no;
            return true;
        }
    }
    return false;
}

/* The keywords after which a port appears in flow text. */
static const char *const port_keys[] = { "in_port=", "output:", "watch_port:",
                                         "out_port=", "enqueue:" };

/* Rewrites every port after a port keyword with 'map' (true: number ->
 * name, false: name -> number). */
static char *
rewrite_ports(const char *text, bool to_names)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    const char *p = text;
    while (*p) {
        size_t key_len = 0;
        for (size_t i = 0; i < sizeof port_keys / sizeof *port_keys; i++) {
            size_t n = strlen(port_keys[i]);
            if (!strncmp(p, port_keys[i], n)
                && (p == text || !isalnum((unsigned char) p[-1]))) {
                key_len = n;
                break;
            }
        }
        if (!key_len) {
            ds_put_char(&s, *p++);
            continue;
        }
        ds_put_buffer(&s, p, key_len);
        p += key_len;
        size_t len = strcspn(p, ",: \t\n)");
        char *word = xstrndup(p, len);
        uint32_t port;
        const char *name;
        char *end;
        unsigned long num = strtoul(word, &end, 10);
        if (to_names && len && !*end && (name = ofctl_port_name(num)) != NULL) {
            ds_put_cstr(&s, name);
        } else if (!to_names && len && !ofp_port_parse(word, &port)
                   && (port_names || !ofctl_current
                       || (ofctl_load_port_names(ofctl_current), true))
                   && port_from_name(p, len, &port)) {
            ds_put_format(&s, "%"PRIu32, port);
        } else {
            ds_put_buffer(&s, p, len);
        }
        free(word);
        p += len;
    }
    return ds_steal_cstr(&s);
}

char *
ofctl_ports_to_names(const char *text)
{
    return rewrite_ports(text, true);
}

char *
ofctl_names_to_ports(const char *text)
{
    return rewrite_ports(text, false);
}

/* ---- show, dump-desc, dump-ports-desc, dump-ports, mod-port. ---- */

static void
put_bit_names(struct ds *s, uint32_t bits, const char *const names[], size_t n)
{
    size_t start = s->length;
    for (size_t i = 0; i < n && i < 32; i++) {
        if (bits & (1u << i)) {
            if (names[i]) {
                ds_put_format(s, "%s ", names[i]);
            } else {
                ds_put_format(s, "0x%x ", 1u << i);
            }
        }
    }
    for (size_t i = n; i < 32; i++) {
        if (bits & (1u << i)) {
            ds_put_format(s, "0x%x ", 1u << i);
        }
    }
    if (s->length == start) {
        ds_put_char(s, '0');
    } else {
        ds_chomp(s, ' ');
    }
}

/* The fastest rate in a feature bitmap, in Mbps (OF1.0 has no speed
 * fields, only these bits). */
static uint32_t
speed_from_bits(uint32_t bits)
{
    static const uint32_t mbps[] = { 10, 10, 100, 100, 1000, 1000, 10000, 40000,
                                     100000, 1000000 };
    uint32_t best = 0;
    for (size_t i = 0; i < sizeof mbps / sizeof *mbps; i++) {
        if (bits & (1u << i) && mbps[i] > best) {
            best = mbps[i];
        }
    }
    return best;
}

static void
format_port_desc(const struct ofp_port *p, struct ds *s)
{
    static const char *const config[] = { "PORT_DOWN", "NO_STP", "NO_RECV",
        "NO_RECV_STP", "NO_FLOOD", "NO_FWD", "NO_PACKET_IN" };
    static const char *const state[] = { "LINK_DOWN", "BLOCKED", "LIVE" };
    static const char *const features[] = { "10MB-HD", "10MB-FD", "100MB-HD",
        "100MB-FD", "1GB-HD", "1GB-FD", "10GB-FD", "40GB-FD", "100GB-FD", "1TB-FD",
        "OTHER", "COPPER", "FIBER", "AUTO_NEG", "AUTO_PAUSE", "AUTO_PAUSE_ASYM" };
    ds_put_char(s, ' ');
    ofp_port_format(p->port_no, s);
    ds_put_format(s, "(%s): addr:"ETH_ADDR_FMT"\n     config:     ", p->name,
                  ETH_ADDR_ARGS(p->hw_addr));
    put_bit_names(s, p->config, config, 7);
    ds_put_cstr(s, "\n     state:      ");
    put_bit_names(s, p->state, state, 3);
    ds_put_char(s, '\n');
    const struct { const char *name; uint32_t bits; } feats[] = {
        { "current:   ", p->curr }, { "advertised:", p->advertised },
        { "supported: ", p->supported }, { "peer:      ", p->peer },
    };
    for (size_t i = 0; i < 4; i++) {
        if (feats[i].bits) {
            ds_put_format(s, "     %s ", feats[i].name);
            put_bit_names(s, feats[i].bits, features, 16);
            ds_put_char(s, '\n');
        }
    }
    uint32_t curr = p->curr_speed ? p->curr_speed / 1000 : speed_from_bits(p->curr);
    uint32_t max = p->max_speed ? p->max_speed / 1000 : speed_from_bits(p->supported);
    if (curr || max) {
        ds_put_format(s, "     speed: %"PRIu32" Mbps now, %"PRIu32" Mbps max\n",
                      curr, max);
    }
}

static const char *
version_suffix(uint8_t version)
{
    switch (version) {
    case OFP10_VERSION: return "";
    case OFP13_VERSION: return " (OF1.3)";
    case OFP14_VERSION: return " (OF1.4)";
    default: return " (OF1.5)";
    }
}

static void
cmd_show(int argc VS_UNUSED, char *argv[])
{
    static const char *const caps[] = { "FLOW_STATS", "TABLE_STATS", "PORT_STATS",
        "GROUP_STATS", NULL, "IP_REASM", "QUEUE_STATS", "ARP_MATCH_IP", "PORT_BLOCKED",
        "BUNDLES", "FLOW_MONITORING" };
    static const char *const caps10[] = { "FLOW_STATS", "TABLE_STATS", "PORT_STATS",
        "STP", NULL, "IP_REASM", "QUEUE_STATS", "ARP_MATCH_IP" };
    struct ofctl_conn *c = ofctl_open_switch(argv[1]);
    uint32_t xid = ofctl_xid(c);
    struct ofpbuf *reply = ofctl_transact(c, ofpmsg_alloc(OFPTYPE_FEATURES_REQUEST,
                                                          c->version, xid, 0));
    struct ofp_switch_features f;
    enum ofperr e = ofp_features_reply_decode(reply->data, reply->size, &f);
    if (e) {
        vs_fatal(0, "%s: bad features reply (%s)", c->name, ofperr_get_name(e));
    }
    struct ds s = DS_EMPTY_INITIALIZER;
    ds_put_format(&s, "OFPT_FEATURES_REPLY%s (xid=0x%"PRIx32"): dpid:%016"PRIx64
                  "\nn_tables:%u, n_buffers:%"PRIu32"\ncapabilities: ",
                  version_suffix(c->version), xid, f.datapath_id, f.n_tables,
                  f.n_buffers);
    if (c->version == OFP10_VERSION) {
        put_bit_names(&s, f.capabilities, caps10, 8);
        /* OF1.0 action bits, in the order ovs-ofctl lists them. */
        static const struct { int bit; const char *name; } acts[] = {
            { 0, "output" }, { 11, "enqueue" }, { 1, "set_vlan_vid" },
            { 2, "set_vlan_pcp" }, { 3, "strip_vlan" }, { 4, "mod_dl_src" },
            { 5, "mod_dl_dst" }, { 6, "mod_nw_src" }, { 7, "mod_nw_dst" },
            { 8, "mod_nw_tos" }, { 9, "mod_tp_src" }, { 10, "mod_tp_dst" },
        };
        ds_put_cstr(&s, "\nactions:");
        for (size_t i = 0; i < sizeof acts / sizeof *acts; i++) {
            if (f.actions & (1u << acts[i].bit)) {
                ds_put_format(&s, " %s", acts[i].name);
            }
        }
    } else {
        put_bit_names(&s, f.capabilities, caps, 11);
    }
    ds_put_char(&s, '\n');
    ofpbuf_delete(reply);
    free(f.ports);

    size_t n;
    uint32_t desc_xid = c->next_xid;
    struct ofp_port *ports = fetch_ports(c, &n);
    if (c->version != OFP10_VERSION) {
        /* The ports came in their own reply, which ovs-ofctl names. */
        ds_put_format(&s, "OFPST_PORT_DESC reply%s (xid=0x%"PRIx32"):\n",
                      version_suffix(c->version), desc_xid);
    }
    for (size_t i = 0; i < n; i++) {
        format_port_desc(&ports[i], &s);
    }
    free(ports);
    fputs(ds_cstr(&s), stdout);
    ds_destroy(&s);

    reply = ofctl_transact(c, ofpmsg_alloc(OFPTYPE_GET_CONFIG_REQUEST, c->version,
                                           ofctl_xid(c), 0));
    char *text = ofp_msg_to_string(reply->data, reply->size);
    puts(text);
    free(text);
    ofpbuf_delete(reply);
    ofctl_close(c);
}

static void
dump_simple(const char *target, enum ofptype request_type)
{
    struct ofctl_conn *c = ofctl_open_switch(target);
    if (!ofptype_exists(request_type, c->version)) {
        vs_fatal(0, "%s does not have %s (use -O to choose another version)",
                 ofp_version_to_string(c->version), ofptype_get_name(request_type));
    }
    struct ofpbuf **replies;
    size_t n = ofctl_dump(c, ofpmsg_alloc(request_type, c->version, ofctl_xid(c), 0),
                          &replies);
    ofctl_print_replies(replies, n);
    ofctl_free_replies(replies, n);
    ofctl_close(c);
}

static void
cmd_dump_desc(int argc VS_UNUSED, char *argv[])
{
    dump_simple(argv[1], OFPTYPE_DESC_STATS_REQUEST);
}

static void
cmd_dump_ports_desc(int argc, char *argv[])
{
    struct ofctl_conn *c = ofctl_open_switch(argv[1]);
    size_t n;
    struct ofp_port *ports = fetch_ports(c, &n);
    uint32_t only = OFPP_ANY;
    if (argc > 2) {
        ofctl_load_port_names(c);
        char *num = ofctl_names_to_ports(xasprintf("in_port=%s", argv[2]));
        if (!ofp_port_parse(num + strlen("in_port="), &only)) {
            vs_fatal(0, "%s: unknown port", argv[2]);
        }
        free(num);
    }
    struct ds s = DS_EMPTY_INITIALIZER;
    ds_put_format(&s, "OFPST_PORT_DESC reply%s (xid=0x%"PRIx32"):\n",
                  version_suffix(c->version), c->next_xid - 1);
    for (size_t i = 0; i < n; i++) {
        if (only == OFPP_ANY || ports[i].port_no == only) {
            format_port_desc(&ports[i], &s);
        }
    }
    fputs(ds_cstr(&s), stdout);
    ds_destroy(&s);
    free(ports);
    ofctl_close(c);
}

static void
put_counter(struct ds *s, const char *name, uint64_t value, bool last)
{
    if (value == UINT64_MAX) {
        ds_put_format(s, "%s=?%s", name, last ? "" : ", ");
    } else {
        ds_put_format(s, "%s=%"PRIu64"%s", name, value, last ? "" : ", ");
    }
}

static uint32_t
port_arg(struct ofctl_conn *c, const char *arg)
{
    uint32_t port;
    if (ofp_port_parse(arg, &port)) {
        return port;
    }
    ofctl_load_port_names(c);
    if (port_from_name(arg, strlen(arg), &port)) {
        return port;
    }
    vs_fatal(0, "%s: unknown port", arg);
}

static void
cmd_dump_ports(int argc, char *argv[])
{
    struct ofctl_conn *c = ofctl_open_switch(argv[1]);
    uint32_t port = argc > 2 ? port_arg(c, argv[2]) : OFPP_ANY;
    uint32_t xid = ofctl_xid(c);
    struct ofpbuf **replies;
    size_t n = ofctl_dump(c, ofp_port_stats_request_encode(port, c->version, xid),
                          &replies);
    struct ds s = DS_EMPTY_INITIALIZER;
    for (size_t i = 0; i < n; i++) {
        struct ofp_msg_header h;
        struct ofpbuf body;
        ofptype_decode(replies[i]->data, replies[i]->size, &h, &body);
        struct ofp_port_stats *stats = NULL;
        size_t n_stats = 0, allocated = 0;
        while (body.size) {
            if (n_stats >= allocated) {
                stats = x2nrealloc(stats, &allocated, sizeof *stats);
            }
            enum ofperr e = ofp_port_stats_pull(&body, h.version, &stats[n_stats]);
            if (e) {
                vs_fatal(0, "%s: bad port stats (%s)", c->name, ofperr_get_name(e));
            }
            n_stats++;
        }
        ds_put_format(&s, "OFPST_PORT reply%s (xid=0x%"PRIx32"): %zu ports\n",
                      version_suffix(h.version), h.xid, n_stats);
        for (size_t j = 0; j < n_stats; j++) {
            const struct ofp_port_stats *ps = &stats[j];
            struct ds name = DS_EMPTY_INITIALIZER;
            ofp_port_format(ps->port_no, &name);
            ds_put_format(&s, "  port %2s: rx ", ds_cstr(&name));
            ds_destroy(&name);
            put_counter(&s, "pkts", ps->rx_packets, false);
            put_counter(&s, "bytes", ps->rx_bytes, false);
            put_counter(&s, "drop", ps->rx_dropped, false);
            put_counter(&s, "errs", ps->rx_errors, false);
            put_counter(&s, "frame", ps->rx_frame_err, false);
            put_counter(&s, "over", ps->rx_over_err, false);
            put_counter(&s, "crc", ps->rx_crc_err, true);
            ds_put_cstr(&s, "\n           tx ");
            put_counter(&s, "pkts", ps->tx_packets, false);
            put_counter(&s, "bytes", ps->tx_bytes, false);
            put_counter(&s, "drop", ps->tx_dropped, false);
            put_counter(&s, "errs", ps->tx_errors, false);
            put_counter(&s, "coll", ps->collisions, true);
            ds_put_char(&s, '\n');
            if (h.version != OFP10_VERSION) {
                ds_put_cstr(&s, "           duration=");
                ofctl_put_duration(&s, ps->duration_sec, ps->duration_nsec);
                ds_put_char(&s, '\n');
            }
        }
        free(stats);
    }
    fputs(ds_cstr(&s), stdout);
    ds_destroy(&s);
    ofctl_free_replies(replies, n);
    ofctl_close(c);
}

static void
cmd_mod_port(int argc VS_UNUSED, char *argv[])
{
    static const struct {
        const char *name;
        uint32_t bit;
        bool set;
    } actions[] = {
        { "up", OFPPC_PORT_DOWN, false }, { "down", OFPPC_PORT_DOWN, true },
        { "receive", OFPPC_NO_RECV, false }, { "no-receive", OFPPC_NO_RECV, true },
        { "noreceive", OFPPC_NO_RECV, true },
        { "forward", OFPPC_NO_FWD, false }, { "fwd", OFPPC_NO_FWD, false },
        { "no-forward", OFPPC_NO_FWD, true }, { "nofwd", OFPPC_NO_FWD, true },
        { "no-fwd", OFPPC_NO_FWD, true },
        { "flood", 1 << 4, false }, { "no-flood", 1 << 4, true },
        { "noflood", 1 << 4, true },
        { "packet-in", OFPPC_NO_PACKET_IN, false },
        { "no-packet-in", OFPPC_NO_PACKET_IN, true },
        { "nopacket-in", OFPPC_NO_PACKET_IN, true },
    };
    size_t i;
    for (i = 0; i < sizeof actions / sizeof *actions; i++) {
        if (!strcasecmp(argv[3], actions[i].name)) {
            break;
        }
    }
    if (i == sizeof actions / sizeof *actions) {
        vs_fatal(0, "unknown mod-port command '%s' (use up, down, receive, "
                 "no-receive, forward, no-forward, flood, no-flood, packet-in "
                 "or no-packet-in)", argv[3]);
    }
    struct ofctl_conn *c = ofctl_open_switch(argv[1]);
    if (actions[i].bit == 1 << 4 && c->version != OFP10_VERSION) {
        vs_fatal(0, "%s: only OpenFlow 1.0 has a per-port flood setting",
                 argv[3]);
    }
    uint32_t port = port_arg(c, argv[2]);
    size_t n;
    struct ofp_port *ports = fetch_ports(c, &n);
    const struct ofp_port *p = NULL;
    for (size_t j = 0; j < n; j++) {
        if (ports[j].port_no == port) {
            p = &ports[j];
        }
    }
    if (!p) {
        vs_fatal(0, "%s: switch has no port %s", c->name, argv[2]);
    }
    struct ofp_port_mod pm = {
        .port_no = p->port_no, .hw_addr = p->hw_addr,
        .config = actions[i].set ? actions[i].bit : 0,
        .mask = actions[i].bit, .advertise = 0,
    };
    free(ports);
    bool ok = ofctl_transact_noreply(c, ofp_port_mod_encode(&pm, c->version,
                                                            ofctl_xid(c)));
    ofctl_close(c);
    exit(ok ? 0 : 1);
}

/* ---- Queues and fragment handling. ---- */

static void
cmd_queue_stats(int argc, char *argv[])
{
    struct ofctl_conn *c = ofctl_open_switch(argv[1]);
    uint32_t port = argc > 2 && strcasecmp(argv[2], "ALL") ? port_arg(c, argv[2])
                    : OFPP_ANY;
    unsigned int queue = OFPQ_ALL;
    if (argc > 3 && strcasecmp(argv[3], "ALL")
        && !str_to_uint(argv[3], 0, &queue)) {
        vs_fatal(0, "%s: not a queue number", argv[3]);
    }
    struct ofpbuf **replies;
    size_t n = ofctl_dump(c, ofp_queue_stats_request_encode(port, queue, c->version,
                                                            ofctl_xid(c)), &replies);
    struct ds s = DS_EMPTY_INITIALIZER;
    for (size_t i = 0; i < n; i++) {
        struct ofp_msg_header h;
        struct ofpbuf body;
        ofptype_decode(replies[i]->data, replies[i]->size, &h, &body);
        struct ds lines = DS_EMPTY_INITIALIZER;
        size_t n_queues = 0;
        while (body.size) {
            struct ofp_queue_stats qs;
            enum ofperr e = ofp_queue_stats_pull(&body, h.version, &qs);
            if (e) {
                vs_fatal(0, "%s: bad queue stats (%s)", c->name, ofperr_get_name(e));
            }
            ds_put_cstr(&lines, "  port ");
            ofp_port_format(qs.port_no, &lines);
            ds_put_format(&lines, " queue %"PRIu32": bytes=%"PRIu64", pkts=%"PRIu64
                          ", errors=%"PRIu64, qs.queue_id, qs.tx_bytes,
                          qs.tx_packets, qs.tx_errors);
            if (h.version != OFP10_VERSION) {
                ds_put_cstr(&lines, ", duration=");
                ofctl_put_duration(&lines, qs.duration_sec, qs.duration_nsec);
            }
            ds_put_char(&lines, '\n');
            n_queues++;
        }
        ds_put_format(&s, "OFPST_QUEUE reply%s (xid=0x%"PRIx32"): %zu queues\n%s",
                      version_suffix(h.version), h.xid, n_queues, ds_cstr(&lines));
        ds_destroy(&lines);
    }
    fputs(ds_cstr(&s), stdout);
    ds_destroy(&s);
    ofctl_free_replies(replies, n);
    ofctl_close(c);
}

static const char *const frag_modes[] = { "normal", "drop", "reassemble" };

static struct ofp_switch_config
get_switch_config(struct ofctl_conn *c)
{
    struct ofpbuf *reply = ofctl_transact(c, ofpmsg_alloc(OFPTYPE_GET_CONFIG_REQUEST,
                                                          c->version, ofctl_xid(c), 0));
    struct ofp_switch_config sc;
    enum ofperr e = ofp_switch_config_decode(reply->data, reply->size, &sc);
    if (e) {
        vs_fatal(0, "%s: bad switch config (%s)", c->name, ofperr_get_name(e));
    }
    ofpbuf_delete(reply);
    return sc;
}

static void
cmd_get_frags(int argc VS_UNUSED, char *argv[])
{
    struct ofctl_conn *c = ofctl_open_switch(argv[1]);
    struct ofp_switch_config sc = get_switch_config(c);
    unsigned int mode = sc.flags & OFPC_FRAG_MASK;
    puts(mode < 3 ? frag_modes[mode] : "nx-match");
    ofctl_close(c);
}

static void
cmd_set_frags(int argc VS_UNUSED, char *argv[])
{
    size_t mode;
    for (mode = 0; mode < 3; mode++) {
        if (!strcmp(argv[2], frag_modes[mode])) {
            break;
        }
    }
    if (mode == 3) {
        vs_fatal(0, "%s: unknown fragment handling mode (use normal, drop or "
                 "reassemble)", argv[2]);
    }
    struct ofctl_conn *c = ofctl_open_switch(argv[1]);
    struct ofp_switch_config sc = get_switch_config(c);
    sc.flags = (sc.flags & ~OFPC_FRAG_MASK) | mode;
    bool ok = ofctl_transact_noreply(c, ofp_switch_config_encode(OFPTYPE_SET_CONFIG,
                                                                 &sc, c->version,
                                                                 ofctl_xid(c)));
    if (ok && (get_switch_config(c).flags & OFPC_FRAG_MASK) != mode) {
        vs_fatal(0, "%s: switch did not change fragment handling to %s",
                 c->name, argv[2]);
    }
    ofctl_close(c);
    exit(ok ? 0 : 1);
}

/* ---- Tables. ---- */

static bool
same_table_stats(const struct ofp_table_stats *a, const struct ofp_table_stats *b)
{
    return a->active_count == b->active_count && a->lookup_count == b->lookup_count
           && a->matched_count == b->matched_count;
}

static void
flush_ditto(struct ds *s, int first, int last)
{
    if (first < 0) {
        return;
    }
    if (first == last) {
        ds_put_format(s, "  table %d: ditto\n", first);
    } else {
        ds_put_format(s, "  tables %d...%d: ditto\n", first, last);
    }
}

static void
cmd_dump_tables(int argc VS_UNUSED, char *argv[])
{
    struct ofctl_conn *c = ofctl_open_switch(argv[1]);
    struct ofpbuf **replies;
    size_t n = ofctl_dump(c, ofpmsg_alloc(OFPTYPE_TABLE_STATS_REQUEST, c->version,
                                          ofctl_xid(c), 0), &replies);
    struct ds s = DS_EMPTY_INITIALIZER;
    struct ofp_table_stats prev;
    bool have_prev = false;
    for (size_t i = 0; i < n; i++) {
        struct ofp_msg_header h;
        struct ofpbuf body;
        ofptype_decode(replies[i]->data, replies[i]->size, &h, &body);
        ds_put_format(&s, "OFPST_TABLE reply%s (xid=0x%"PRIx32"):\n",
                      version_suffix(h.version), h.xid);
        int ditto_first = -1, ditto_last = -1;
        while (body.size) {
            struct ofp_table_stats ts;
            enum ofperr e = ofp_table_stats_pull(&body, h.version, &ts);
            if (e) {
                vs_fatal(0, "%s: bad table stats (%s)", c->name, ofperr_get_name(e));
            }
            if (have_prev && same_table_stats(&prev, &ts)) {
                if (ditto_first < 0) {
                    ditto_first = ts.table_id;
                }
                ditto_last = ts.table_id;
                continue;
            }
            flush_ditto(&s, ditto_first, ditto_last);
            ditto_first = -1;
            ds_put_format(&s, "  table %u:\n    active=%"PRIu32", lookup=%"PRIu64
                          ", matched=%"PRIu64"\n\n", ts.table_id, ts.active_count,
                          ts.lookup_count, ts.matched_count);
            prev = ts;
            have_prev = true;
        }
        flush_ditto(&s, ditto_first, ditto_last);
    }
    fputs(ds_cstr(&s), stdout);
    ds_destroy(&s);
    ofctl_free_replies(replies, n);
    ofctl_close(c);
}

static void
cmd_dump_table_features(int argc VS_UNUSED, char *argv[])
{
    struct ofctl_conn *c = ofctl_open_switch(argv[1]);
    if (c->version < OFP13_VERSION) {
        vs_fatal(0, "dump-table-features needs OpenFlow 1.3 or later "
                 "(use -O OpenFlow13)");
    }
    struct ofpbuf **replies;
    size_t n = ofctl_dump(c, ofpmsg_alloc(OFPTYPE_TABLE_FEATURES_STATS_REQUEST,
                                          c->version, ofctl_xid(c), 0), &replies);
    struct ds s = DS_EMPTY_INITIALIZER;
    for (size_t i = 0; i < n; i++) {
        struct ofp_msg_header h;
        struct ofpbuf body;
        ofptype_decode(replies[i]->data, replies[i]->size, &h, &body);
        ds_put_format(&s, "OFPST_TABLE_FEATURES reply%s (xid=0x%"PRIx32"):\n",
                      version_suffix(h.version), h.xid);
        while (body.size) {
            struct ofp_table_features tf;
            enum ofperr e = ofp_table_features_pull(&body, &tf);
            if (e) {
                vs_fatal(0, "%s: bad table features (%s)", c->name,
                         ofperr_get_name(e));
            }
            ds_put_format(&s, "  table %u (\"%s\"):\n    metadata: match=%#"PRIx64
                          " write=%#"PRIx64"\n    max_entries=%"PRIu32"\n",
                          tf.table_id, tf.name, tf.metadata_match, tf.metadata_write,
                          tf.max_entries);
        }
    }
    fputs(ds_cstr(&s), stdout);
    ds_destroy(&s);
    ofctl_free_replies(replies, n);
    ofctl_close(c);
}

/* ---- packet-out. ---- */

static uint8_t *
parse_hex_packet(const char *s, size_t *n)
{
    uint8_t *buf = xmalloc(strlen(s) / 2 + 1);
    *n = 0;
    while (*s) {
        if (isspace((unsigned char) *s) || *s == '.') {
            s++;
            continue;
        }
        if (!isxdigit((unsigned char) s[0]) || !isxdigit((unsigned char) s[1])) {
            vs_fatal(0, "packet: bad hex digits at \"%.10s\"", s);
        }
        char byte[3] = { s[0], s[1], 0 };
        buf[(*n)++] = strtoul(byte, NULL, 16);
        s += 2;
    }
    return buf;
}

static void
cmd_packet_out(int argc, char *argv[])
{
    struct ofctl_conn *c = ofctl_open_switch(argv[1]);
    struct ofp_packet_out po;
    ofp_packet_out_init(&po);
    char *in_port = NULL, *actions = NULL;
    uint8_t **packets = NULL;
    size_t *lens = NULL, n_packets = 0;

    if (argc == 3) {
        /* "in_port=1,packet=HEX,actions=..." ("actions" takes the rest). */
        char *s = xstrdup(argv[2]);
        char *act = strstr(s, "actions=");
        if (!act) {
            vs_fatal(0, "packet-out: missing actions=");
        }
        actions = xstrdup(act + strlen("actions="));
        *act = '\0';
        char *save = NULL;
        for (char *tok = strtok_r(s, ", \t", &save); tok;
             tok = strtok_r(NULL, ", \t", &save)) {
            char *eq = strchr(tok, '=');
            if (!eq) {
                vs_fatal(0, "packet-out: expected KEY=VALUE, got \"%s\"", tok);
            }
            *eq = '\0';
            if (!strcmp(tok, "in_port")) {
                in_port = xstrdup(eq + 1);
            } else if (!strcmp(tok, "packet")) {
                packets = xrealloc(packets, sizeof *packets);
                lens = xrealloc(lens, sizeof *lens);
                packets[0] = parse_hex_packet(eq + 1, &lens[0]);
                n_packets = 1;
            } else {
                vs_fatal(0, "packet-out: unknown field \"%s\"", tok);
            }
        }
        free(s);
        if (!n_packets) {
            vs_fatal(0, "packet-out: missing packet=");
        }
    } else {
        /* Older form: IN_PORT ACTIONS PACKET... */
        if (argc < 5) {
            vs_fatal(0, "packet-out: expected IN_PORT ACTIONS PACKET... or "
                     "\"in_port=...,packet=...,actions=...\"");
        }
        in_port = xstrdup(argv[2]);
        actions = xstrdup(argv[3]);
        n_packets = argc - 4;
        packets = xcalloc(n_packets, sizeof *packets);
        lens = xcalloc(n_packets, sizeof *lens);
        for (size_t i = 0; i < n_packets; i++) {
            packets[i] = parse_hex_packet(argv[4 + i], &lens[i]);
        }
    }
    po.in_port = in_port ? port_arg(c, in_port) : OFPP_CONTROLLER;
    struct match match;
    match_init_catchall(&match);
    char *converted = ofctl_names_to_ports(actions);
    char *error = ofp_parse_actions(converted, &match, &po.ofpacts);
    free(converted);
    if (error) {
        vs_fatal(0, "packet-out: %s", error);
    }
    bool ok = true;
    for (size_t i = 0; i < n_packets; i++) {
        po.packet = packets[i];
        po.packet_len = lens[i];
        struct ofpbuf *msg;
        enum ofperr e = ofp_packet_out_encode(&po, c->version, ofctl_xid(c), &msg);
        if (e) {
            vs_fatal(0, "packet-out: cannot encode (%s)", ofperr_get_name(e));
        }
        ok = ofctl_transact_noreply(c, msg) && ok;
        free(packets[i]);
    }
    free(packets);
    free(lens);
    free(in_port);
    free(actions);
    ofp_packet_out_uninit(&po);
    ofctl_close(c);
    exit(ok ? 0 : 1);
}

/* ---- monitor, snoop, probe, ping. ---- */

static volatile sig_atomic_t stop_requested;

static void
on_signal(int sig VS_UNUSED)
{
    stop_requested = 1;
}

/* Prints every message until interrupted, --timeout passes (counted from
 * the last message) or the switch closes the connection. */
static void
print_messages(struct ofctl_conn *c)
{
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    while (!stop_requested) {
        struct ofpbuf *msg = ofctl_recv(c, true, true);
        if (!msg) {
            break;
        }
        struct ds s = DS_EMPTY_INITIALIZER;
        ofp_print_msg(msg->data, msg->size, &s);
        struct ofp_packet_in pin;
        struct ofp_msg_header h;
        if (!ofptype_decode(msg->data, msg->size, &h, NULL)
            && h.type == OFPTYPE_PACKET_IN
            && !ofp_packet_in_decode(msg->data, msg->size, &pin)
            && pin.packet_len >= 14) {
            /* The frame's header fields, as ovs-ofctl shows them. */
            struct dp_packet pkt;
            struct flow flow;
            dp_packet_use_const(&pkt, pin.packet, pin.packet_len);
            flow_extract(&pkt, &flow);
            ds_put_char(&s, '\n');
            flow_format(&s, &flow);
            dp_packet_uninit(&pkt);
        }
        printf("%s\n", ds_cstr(&s));
        fflush(stdout);
        ds_destroy(&s);
        ofpbuf_delete(msg);
    }
}

static void
cmd_monitor(int argc, char *argv[])
{
    struct ofctl_conn *c = ofctl_open_switch(argv[1]);
    for (int i = 2; i < argc; i++) {
        if (str_starts_with(argv[i], "watch:")) {
            vs_fatal(0, "monitor: flow monitoring (watch:) is not supported");
        } else if (!strcmp(argv[i], "invalid_ttl")) {
            continue;
        }
        unsigned int miss_len;
        if (!str_to_uint(argv[i], 10, &miss_len) || miss_len > 65535) {
            vs_fatal(0, "monitor: \"%s\" is not a miss length", argv[i]);
        }
        struct ofp_switch_config sc = { OFPC_FRAG_NORMAL, miss_len };
        if (!ofctl_transact_noreply(c, ofp_switch_config_encode(OFPTYPE_SET_CONFIG,
                                                                &sc, c->version,
                                                                ofctl_xid(c)))) {
            exit(1);
        }
        if (c->version >= OFP13_VERSION) {
            /* Ask for every asynchronous message, in any role. */
            struct ofp_async_config ac = {
                { UINT32_MAX, UINT32_MAX }, { UINT32_MAX, UINT32_MAX },
                { UINT32_MAX, UINT32_MAX },
            };
            if (!ofctl_transact_noreply(c, ofp_async_config_encode(
                                            OFPTYPE_SET_ASYNC_CONFIG, &ac,
                                            c->version, ofctl_xid(c)))) {
                exit(1);
            }
        }
    }
    print_messages(c);
    ofctl_close(c);
}

static void
cmd_snoop(int argc VS_UNUSED, char *argv[])
{
    char *name = ofctl_target_to_stream(argv[1], "snoop");
    if (str_starts_with(name, "unix:") && !strchr(argv[1], ':')) {
        struct stat st;
        if (stat(name + 5, &st)) {
            vs_fatal(0, "%s: no snoop socket %s (the switch does not offer "
                     "snooping for this bridge)", argv[1], name + 5);
        }
    }
    free(name);
    struct ofctl_conn *c = ofctl_open(argv[1], "snoop", ofctl_opts.versions
                                      | OFP_SUPPORTED_VERSIONS, ofctl_opts.timeout_ms);
    print_messages(c);
    ofctl_close(c);
}

static void
cmd_probe(int argc VS_UNUSED, char *argv[])
{
    struct ofctl_conn *c = ofctl_open_switch(argv[1]);
    ofpbuf_delete(ofctl_transact(c, ofp_echo_request(c->version, ofctl_xid(c))));
    ofctl_close(c);
}

static void
cmd_ping(int argc, char *argv[])
{
    unsigned int payload = 64;
    if (argc > 2 && (!str_to_uint(argv[2], 10, &payload)
                     || payload > OFP_MAX_MSG_LEN - OFP_HEADER_LEN)) {
        vs_fatal(0, "ping: payload must be 0 to %d bytes",
                 OFP_MAX_MSG_LEN - OFP_HEADER_LEN);
    }
    struct ofctl_conn *c = ofctl_open_switch(argv[1]);
    for (int i = 0; i < 10; i++) {
        uint32_t xid = ofctl_xid(c);
        struct ofpbuf *rq = ofp_echo_request(c->version, xid);
        uint8_t *p = ofpbuf_put_uninit(rq, payload);
        for (unsigned int j = 0; j < payload; j++) {
            p[j] = random();
        }
        ofpmsg_update_length(rq);
        struct ofpbuf *copy = ofpbuf_clone(rq);
        long long start = time_usec();
        struct ofpbuf *reply = ofctl_transact(c, rq);
        long long usec = time_usec() - start;
        if (reply->size != copy->size
            || memcmp(reply->data + OFP_HEADER_LEN, copy->data + OFP_HEADER_LEN,
                      payload)) {
            printf("Reply does not match request.\n");
        } else {
            printf("%u bytes from %s: xid=%08"PRIx32" time=%.1f ms\n",
                   payload + OFP_HEADER_LEN, argv[1], xid, usec / 1000.0);
        }
        ofpbuf_delete(copy);
        ofpbuf_delete(reply);
    }
    ofctl_close(c);
}

/* ---- Options and main. ---- */

static void VS_NORETURN
usage(void)
{
    printf("%s: OpenFlow switch management utility\n"
           "usage: %s [OPTIONS] COMMAND [ARG...]\n"
           "\nFor OpenFlow switches:\n"
           "  show SWITCH                 show OpenFlow information\n"
           "  dump-desc SWITCH            print switch description\n"
           "  dump-tables SWITCH          print table stats\n"
           "  dump-table-features SWITCH  print table features\n"
           "  dump-ports SWITCH [PORT]    print port statistics\n"
           "  dump-ports-desc SWITCH [PORT]  print port descriptions\n"
           "  mod-port SWITCH IFACE ACT   modify port behavior (up, down, receive,\n"
           "                              no-receive, forward, no-forward, flood,\n"
           "                              no-flood, packet-in, no-packet-in)\n"
           "  queue-stats SWITCH [PORT [QUEUE]]  print queue statistics\n"
           "  get-frags SWITCH            print fragment handling behavior\n"
           "  set-frags SWITCH FRAG_MODE  set fragment handling behavior\n"
           "                              (normal, drop, reassemble)\n"
           "  dump-flows SWITCH [FLOW]    print flows matching FLOW\n"
           "  dump-aggregate SWITCH [FLOW]  print aggregate stats for FLOW\n"
           "  add-flow SWITCH FLOW        add flow described by FLOW\n"
           "  add-flows SWITCH FILE       add flows from FILE (- for stdin)\n"
           "  mod-flows SWITCH FLOW       modify actions of matching FLOWs\n"
           "  del-flows SWITCH [FLOW]     delete matching FLOWs\n"
           "  replace-flows SWITCH FILE   replace flows with those in FILE\n"
           "  diff-flows SOURCE1 SOURCE2  compare flows from two sources\n"
           "  packet-out SWITCH \"in_port=P,packet=HEX,actions=A\"\n"
           "  packet-out SWITCH IN_PORT ACTIONS PACKET...\n"
           "                              execute ACTIONS on PACKET\n"
           "  monitor SWITCH [MISSLEN]    print packets received from SWITCH\n"
           "  snoop SWITCH                snoop on SWITCH and its controller\n"
           "  add-group SWITCH GROUP      add group described by GROUP\n"
           "  add-groups SWITCH FILE      add groups from FILE\n"
           "  mod-group SWITCH GROUP      modify specific group\n"
           "  del-groups SWITCH [GROUP]   delete matching GROUPs\n"
           "  dump-groups SWITCH [GROUP]  print group descriptions\n"
           "  dump-group-stats SWITCH [GROUP]  print group statistics\n"
           "  dump-group-features SWITCH  print group features\n"
           "  add-meter SWITCH METER      add meter described by METER\n"
           "  mod-meter SWITCH METER      modify specific METER\n"
           "  del-meters SWITCH [METER]   delete meters matching METER\n"
           "  dump-meters SWITCH [METER]  print METER configuration\n"
           "  meter-stats SWITCH [METER]  print meter statistics\n"
           "  meter-features SWITCH       print meter features\n"
           "  probe TARGET                probe whether TARGET is up\n"
           "  ping TARGET [N]             latency of N-byte echos\n"
           "\nSWITCH is a bridge name (its %s/BRIDGE.mgmt socket),\n"
           "unix:PATH or tcp:IP[:PORT] (default port 6653).\n"
           "\nOptions:\n"
           "  -O, --protocols=LIST        OpenFlow versions to allow, e.g.\n"
           "                              OpenFlow10,OpenFlow13 (default OpenFlow10)\n"
           "  --strict                    use strict match for mod-flows, del-flows\n"
           "  --bundle                    send flow changes as one atomic bundle\n"
           "  --no-stats                  leave statistics out of dump-flows\n"
           "  --names, --no-names         show port names (default: numbers)\n"
           "  --sort[=FIELD], --rsort[=FIELD]  sort dump-flows output\n"
           "  -t, --timeout=SECS          give up after SECS seconds\n"
           "  -v, --verbose               print messages sent and received\n"
           "  -h, --help                  display this help message\n"
           "  -V, --version               display version information\n",
           program_name, program_name, vs_rundir());
    exit(0);
}

static void
add_sort(const char *field, bool descending)
{
    if (ofctl_opts.n_sorts >= sizeof ofctl_opts.sorts / sizeof *ofctl_opts.sorts) {
        vs_fatal(0, "too many --sort/--rsort options");
    }
    if (field && strcmp(field, "priority") && !ofp_field_from_name(field)) {
        vs_fatal(0, "%s: unknown field to sort by", field);
    }
    ofctl_opts.sorts[ofctl_opts.n_sorts++] = (struct ofctl_sort) { field, descending };
}

static void
parse_options(int argc, char *argv[])
{
    enum {
        OPT_STRICT = 256, OPT_NO_STATS, OPT_NAMES, OPT_NO_NAMES, OPT_SORT,
        OPT_RSORT, OPT_BUNDLE, OPT_READD,
    };
    static const struct option long_options[] = {
        { "protocols", required_argument, NULL, 'O' },
        { "timeout", required_argument, NULL, 't' },
        { "strict", no_argument, NULL, OPT_STRICT },
        { "no-stats", no_argument, NULL, OPT_NO_STATS },
        { "names", no_argument, NULL, OPT_NAMES },
        { "no-names", no_argument, NULL, OPT_NO_NAMES },
        { "sort", optional_argument, NULL, OPT_SORT },
        { "rsort", optional_argument, NULL, OPT_RSORT },
        { "bundle", no_argument, NULL, OPT_BUNDLE },
        { "readd", no_argument, NULL, OPT_READD },
        { "verbose", optional_argument, NULL, 'v' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    bool versions_given = false;
    for (;;) {
        int c = getopt_long(argc, argv, "O:t:v::hV", long_options, NULL);
        if (c == -1) {
            break;
        }
        switch (c) {
        case 'O':
            versions_given = true;
            ofctl_opts.versions = ofp_versions_from_string(optarg);
            if (!ofctl_opts.versions) {
                vs_fatal(0, "%s: unknown or unsupported OpenFlow version list "
                         "(this build speaks OpenFlow10, OpenFlow13, OpenFlow14, "
                         "OpenFlow15)", optarg);
            }
            break;
        case 't': {
            unsigned int secs;
            if (!str_to_uint(optarg, 10, &secs) || !secs || secs > 86400) {
                vs_fatal(0, "value %s on -t or --timeout is not a positive "
                         "number of seconds", optarg);
            }
            ofctl_opts.timeout_ms = secs * 1000;
            break;
        }
        case OPT_STRICT:
            ofctl_opts.strict = true;
            break;
        case OPT_NO_STATS:
            ofctl_opts.no_stats = true;
            break;
        case OPT_NAMES:
            ofctl_opts.names = true;
            break;
        case OPT_NO_NAMES:
            ofctl_opts.names = false;
            break;
        case OPT_SORT:
        case OPT_RSORT:
            add_sort(optarg, c == OPT_RSORT);
            break;
        case OPT_BUNDLE:
            ofctl_opts.bundle = true;
            break;
        case OPT_READD:
            break;
        case 'v':
            ofctl_opts.verbosity++;
            ofctl_conn_verbosity = ofctl_opts.verbosity;
            break;
        case 'h':
            usage();
        case 'V':
            vs_print_version();
            printf("OpenFlow versions 0x1:0x6 (0x1, 0x4, 0x5, 0x6)\n");
            exit(0);
        default:
            fprintf(stderr, "Try `%s --help' for more information.\n", program_name);
            exit(2);
        }
    }
    if (ofctl_opts.bundle && !versions_given) {
        /* Bundles exist from OpenFlow 1.4 on: ask for it, as ovs-ofctl does. */
        ofctl_opts.versions = OFP_VERSION_BIT(OFP14_VERSION);
    }
}

static const struct ofctl_command switch_commands[] = {
    { "show", 1, 1, cmd_show },
    { "dump-desc", 1, 1, cmd_dump_desc },
    { "dump-tables", 1, 1, cmd_dump_tables },
    { "dump-table-features", 1, 1, cmd_dump_table_features },
    { "dump-ports", 1, 2, cmd_dump_ports },
    { "dump-ports-desc", 1, 2, cmd_dump_ports_desc },
    { "mod-port", 3, 3, cmd_mod_port },
    { "queue-stats", 1, 3, cmd_queue_stats },
    { "get-frags", 1, 1, cmd_get_frags },
    { "set-frags", 2, 2, cmd_set_frags },
    { "packet-out", 2, INT32_MAX, cmd_packet_out },
    { "monitor", 1, 4, cmd_monitor },
    { "snoop", 1, 1, cmd_snoop },
    { "probe", 1, 1, cmd_probe },
    { "ping", 1, 2, cmd_ping },
    { NULL, 0, 0, NULL },
};

static const struct ofctl_command *
find_command(const char *name)
{
    const struct ofctl_command *tables[] = { switch_commands, ofctl_flow_commands,
                                             ofctl_group_commands };
    for (size_t t = 0; t < sizeof tables / sizeof *tables; t++) {
        for (const struct ofctl_command *cmd = tables[t]; cmd->name; cmd++) {
            if (!strcmp(cmd->name, name)) {
                return cmd;
            }
        }
    }
    return NULL;
}

int
main(int argc, char *argv[])
{
    set_program_name(argv[0]);
    signal(SIGPIPE, SIG_IGN);
    /* A command-line tool parses and prints between polls by design: the
     * poll loop's "long poll interval" warning is only noise here. */
    vlog_set_levels_from_string_assert("poll_loop:console:err");
    parse_options(argc, argv);
    argc -= optind;
    argv += optind;
    if (argc < 1) {
        vs_fatal(0, "missing command name; use --help for help");
    }
    const struct ofctl_command *cmd = find_command(argv[0]);
    if (!cmd) {
        vs_fatal(0, "unknown command '%s'; use --help for help", argv[0]);
    }
    int n_args = argc - 1;
    if (n_args < cmd->min_args) {
        vs_fatal(0, "'%s' command requires at least %d arguments", cmd->name,
                 cmd->min_args);
    }
    if (n_args > cmd->max_args) {
        vs_fatal(0, "'%s' command takes at most %d arguments", cmd->name,
                 cmd->max_args);
    }
    cmd->handler(argc, argv);
    return 0;
}
