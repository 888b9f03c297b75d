/* vs-ofctl switch commands: show, dump-desc, dump-ports(-desc), mod-port,
 * queue-stats, get-frags/set-frags, dump-tables, dump-table-features. */
#include <config.h>

#include <ctype.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "dp-packet.h"
#include "dynamic-string.h"
#include "flow.h"
#include "ofctl-conn.h"
#include "ofctl.h"
#include "ofp-flow.h"
#include "ofp-msgs.h"
#include "ofp-parse.h"
#include "ofp-print.h"
#include "ofp-queue.h"
#include "ofp-switch.h"
#include "ofp-table.h"
#include "timeval.h"
#include "util.h"

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
                  ofp_version_tag(c->version), xid, f.datapath_id, f.n_tables,
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
    struct ofp_port *ports = ofctl_fetch_ports(c, &n);
    if (c->version != OFP10_VERSION) {
        /* The ports came in their own reply, which ovs-ofctl names. */
        ds_put_format(&s, "OFPST_PORT_DESC reply%s (xid=0x%"PRIx32"):\n",
                      ofp_version_tag(c->version), desc_xid);
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
    struct ofp_port *ports = ofctl_fetch_ports(c, &n);
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
                  ofp_version_tag(c->version), c->next_xid - 1);
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


static void
cmd_dump_ports(int argc, char *argv[])
{
    struct ofctl_conn *c = ofctl_open_switch(argv[1]);
    uint32_t port = argc > 2 ? ofctl_port_arg(c, argv[2]) : OFPP_ANY;
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
                      ofp_version_tag(h.version), h.xid, n_stats);
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
    uint32_t port = ofctl_port_arg(c, argv[2]);
    size_t n;
    struct ofp_port *ports = ofctl_fetch_ports(c, &n);
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

/* mod-table SWITCH TABLE SETTING: OpenFlow 1.4's per-table eviction
 * ("evict", "noevict") for table TABLE (0..254, or "all").  The other
 * settings ovs-ofctl knows are refused by name: table-miss configs
 * ("drop", "continue", "controller") are OpenFlow 1.1/1.2 only (a
 * priority-0 flow does that since 1.3), and vacancy events are not
 * implemented. */
static void
cmd_mod_table(int argc VS_UNUSED, char *argv[])
{
    struct ofp_table_mod tm = { .table_id = OFPTT_ALL };
    unsigned int table;
    if (strcasecmp(argv[2], "all")) {
        if (!str_to_uint(argv[2], 10, &table) || table >= OFPTT_ALL) {
            vs_fatal(0, "mod-table: bad table \"%s\" (want 0..254 or all)",
                     argv[2]);
        }
        tm.table_id = table;
    }
    if (!strcasecmp(argv[3], "evict")) {
        tm.config = OFPTC_EVICTION;
    } else if (strcasecmp(argv[3], "noevict")) {
        if (!strcasecmp(argv[3], "drop") || !strcasecmp(argv[3], "continue")
            || !strcasecmp(argv[3], "controller")) {
            vs_fatal(0, "mod-table: %s is an OpenFlow 1.1/1.2 table-miss "
                     "setting: add a priority=0 flow instead", argv[3]);
        }
        vs_fatal(0, "mod-table: unknown or unsupported setting '%s' (use "
                 "evict or noevict)", argv[3]);
    }
    struct ofctl_conn *c = ofctl_open_for(argv[1], OFP14_VERSION,
                                          "mod-table");
    bool ok = ofctl_transact_noreply(c, ofp_table_mod_encode(&tm, c->version,
                                                             ofctl_xid(c)));
    ofctl_close(c);
    exit(ok ? 0 : 1);
}

/* dump-table-desc SWITCH: each table's eviction and vacancy settings
 * (OpenFlow 1.4+), printed as ovs-ofctl prints them. */
static void
cmd_dump_table_desc(int argc VS_UNUSED, char *argv[])
{
    static const char *const flag_names[] = { "OTHER", "IMPORTANCE",
                                              "LIFETIME" };
    struct ofctl_conn *c = ofctl_open_for(argv[1], OFP14_VERSION,
                                          "dump-table-desc");
    struct ofpbuf **replies;
    size_t n = ofctl_dump(c, ofpmsg_alloc(OFPTYPE_TABLE_DESC_STATS_REQUEST,
                                          c->version, ofctl_xid(c), 0),
                          &replies);
    struct ds s = DS_EMPTY_INITIALIZER;
    for (size_t i = 0; i < n; i++) {
        struct ofpbuf body;
        ofctl_put_reply_header(&s, replies[i], &body);
        bool first = true;
        while (body.size) {
            uint8_t table;
            uint32_t config;
            int64_t flags;
            enum ofperr e = ofp_table_desc_pull(&body, &table, &config, &flags);
            if (e) {
                vs_fatal(0, "%s: bad table description (%s)", c->name,
                         ofperr_get_name(e));
            }
            ds_put_format(&s, "%s  table %u:\n   eviction=%s", first ? "" : "\n",
                          table, config & OFPTC_EVICTION ? "on" : "off");
            first = false;
            if (flags >= 0) {
                ds_put_cstr(&s, " eviction_flags=");
                size_t before = s.length;
                for (size_t b = 0; b < ARRAY_SIZE(flag_names); b++) {
                    if (flags & (1u << b)) {
                        ds_put_format(&s, "%s%s", s.length > before ? "|" : "",
                                      flag_names[b]);
                    }
                }
            }
            ds_put_format(&s, "\n   vacancy=%s\n",
                          config & OFPTC_VACANCY_EVENTS ? "on" : "off");
        }
        ofpbuf_delete(replies[i]);
    }
    free(replies);
    fputs(ds_cstr(&s), stdout);
    ds_destroy(&s);
    ofctl_close(c);
}

/* ---- Queues and fragment handling. ---- */

static void
cmd_queue_stats(int argc, char *argv[])
{
    struct ofctl_conn *c = ofctl_open_switch(argv[1]);
    uint32_t port = argc > 2 && strcasecmp(argv[2], "ALL") ? ofctl_port_arg(c, argv[2])
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
                      ofp_version_tag(h.version), h.xid, n_queues, ds_cstr(&lines));
        ds_destroy(&lines);
    }
    fputs(ds_cstr(&s), stdout);
    ds_destroy(&s);
    ofctl_free_replies(replies, n);
    ofctl_close(c);
}

/* A rate in tenths of a percent as ovs-ofctl shows it. */
static void
put_queue_rate(struct ds *s, const char *name, uint16_t rate)
{
    if (rate != OFPQ_RATE_NONE) {
        ds_put_format(s, " %s:%u.%u%%", name, rate / 10, rate % 10);
    }
}

static void
cmd_queue_get_config(int argc, char *argv[])
{
    struct ofctl_conn *c = ofctl_open_switch(argv[1]);
    uint32_t port = argc > 2 && strcasecmp(argv[2], "ANY")
                    && strcasecmp(argv[2], "ALL")
                    ? ofctl_port_arg(c, argv[2]) : OFPP_ANY;
    unsigned int queue = OFPQ_ALL;
    if (argc > 3 && strcasecmp(argv[3], "ALL")
        && !str_to_uint(argv[3], 0, &queue)) {
        vs_fatal(0, "%s: not a queue number", argv[3]);
    }
    if (port == OFPP_ANY && c->version == OFP10_VERSION) {
        vs_fatal(0, "OpenFlow 1.0 asks for the queues of one port at a time");
    }
    struct ofpbuf *rq = ofp_queue_desc_request_encode(port, queue, c->version,
                                                      ofctl_xid(c));
    struct ofpbuf **replies;
    size_t n = 1;
    if (c->version >= OFP14_VERSION) {
        n = ofctl_dump(c, rq, &replies);
    } else {
        /* Before OF1.4, one plain reply. */
        replies = xmalloc(sizeof *replies);
        replies[0] = ofctl_transact(c, rq);
    }
    struct ds s = DS_EMPTY_INITIALIZER;
    for (size_t i = 0; i < n; i++) {
        struct ofp_msg_header h;
        struct ofpbuf body;
        uint32_t rport;
        ofptype_decode(replies[i]->data, replies[i]->size, &h, &body);
        if (ofp_queue_desc_reply_start(&body, h.version, &rport)) {
            vs_fatal(0, "%s: bad queue config reply", c->name);
        }
        /* As ovs-ofctl prints it: the port on the first line, and again
         * on a line of its own where it changes. */
        ds_put_format(&s, "%s%s (xid=0x%"PRIx32"):",
                      h.version >= OFP14_VERSION ? "OFPST_QUEUE_DESC reply"
                      : "OFPT_QUEUE_GET_CONFIG_REPLY",
                      ofp_version_tag(h.version), h.xid);
        bool first = true;
        if (h.version < OFP14_VERSION) {
            ds_put_cstr(&s, " port=");
            ofp_port_format(rport, &s);
            first = false;
        }
        uint32_t last_port = rport;
        while (body.size) {
            struct ofp_queue_desc q;
            enum ofperr e = ofp_queue_desc_pull(&body, h.version, rport, &q);
            if (e) {
                vs_fatal(0, "%s: bad queue config (%s)", c->name,
                         ofperr_get_name(e));
            }
            if (queue != OFPQ_ALL && q.queue_id != queue) {
                continue;
            }
            if (first || q.port_no != last_port) {
                ds_put_cstr(&s, first ? " port=" : "\nport=");
                ofp_port_format(q.port_no, &s);
                first = false;
                last_port = q.port_no;
            }
            ds_put_format(&s, "\nqueue %"PRIu32":", q.queue_id);
            put_queue_rate(&s, "min_rate", q.min_rate);
            put_queue_rate(&s, "max_rate", q.max_rate);
        }
        ds_put_char(&s, '\n');
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
                      ofp_version_tag(h.version), h.xid);
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
                      ofp_version_tag(h.version), h.xid);
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

const struct ofctl_command ofctl_switch_commands[] = {
    { "show", 1, 1, cmd_show },
    { "dump-desc", 1, 1, cmd_dump_desc },
    { "dump-tables", 1, 1, cmd_dump_tables },
    { "dump-table-features", 1, 1, cmd_dump_table_features },
    { "dump-ports", 1, 2, cmd_dump_ports },
    { "dump-ports-desc", 1, 2, cmd_dump_ports_desc },
    { "mod-port", 3, 3, cmd_mod_port },
    { "mod-table", 3, 3, cmd_mod_table },
    { "dump-table-desc", 1, 1, cmd_dump_table_desc },
    { "queue-stats", 1, 3, cmd_queue_stats },
    { "queue-get-config", 1, 3, cmd_queue_get_config },
    { "get-frags", 1, 1, cmd_get_frags },
    { "set-frags", 2, 2, cmd_set_frags },
    { NULL, 0, 0, NULL },
};
