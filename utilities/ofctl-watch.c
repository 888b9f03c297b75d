/* vs-ofctl commands that inject or watch traffic and liveness: packet-out,
 * monitor, snoop, probe, ping. */
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
#include "ofp-monitor.h"
#include "ofp-msgs.h"
#include "ofp-nx.h"
#include "ofp-packet-in2.h"
#include "ofp-parse.h"
#include "ofp-print.h"
#include "ofp-switch.h"
#include "ofp-table.h"
#include "timeval.h"
#include "util.h"

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
    po.in_port = in_port ? ofctl_port_arg(c, in_port) : OFPP_CONTROLLER;
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

/* Every line is flushed as it is printed, so an interrupt may end the
 * program at once (a flag alone would wait for the next message, which
 * may never come: "timeout 5 vs-ofctl monitor" must end after 5 s). */
static void
on_signal(int sig)
{
    stop_requested = 1;
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Decodes 'msg' if it is a packet-in of any format (OpenFlow's,
 * NXT_PACKET_IN or NXT_PACKET_IN2). */
static bool
decode_any_packet_in(const struct ofpbuf *msg, struct ofp_packet_in *pin)
{
    struct ofp_msg_header h;
    if (ofptype_decode(msg->data, msg->size, &h, NULL)) {
        return false;
    }
    if (h.type == OFPTYPE_PACKET_IN) {
        return !ofp_packet_in_decode(msg->data, msg->size, pin);
    }
    if (h.type != OFPTYPE_EXPERIMENTER) {
        return false;
    }
    switch (nx_msg_subtype(msg->data, msg->size)) {
    case NXT_PACKET_IN:
        return !nx_packet_in_decode(msg->data, msg->size, pin);
    case NXT_PACKET_IN2:
        return !nx_packet_in2_decode(msg->data, msg->size, pin);
    default:
        return false;
    }
}

/* Prints 'msg' as ovs-ofctl does: the message, and after a packet-in
 * its frame's header fields. */
static void
print_message(const struct ofpbuf *msg)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    ofp_print_msg(msg->data, msg->size, &s);
    struct ofp_packet_in pin;
    if (decode_any_packet_in(msg, &pin) && pin.packet_len >= 14) {
        ds_put_char(&s, '\n');
        flow_format_frame(&s, pin.packet, pin.packet_len);
    }
    printf("%s\n", ds_cstr(&s));
    ds_destroy(&s);
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
        print_message(msg);
        fflush(stdout);
        ofpbuf_delete(msg);
    }
}

static void
cmd_monitor(int argc, char *argv[])
{
    struct ofctl_conn *c = ofctl_open_switch(argv[1]);
    uint32_t n_watches = 0;
    for (int i = 2; i < argc; i++) {
        if (str_starts_with(argv[i], "watch:")) {
            /* A flow monitor; its replies (the initial flows, then the
             * updates) are printed below with everything else. */
            struct ofp_flow_monitor_request rq;
            char *error = ofp_flow_monitor_request_parse(&rq, argv[i] + 6);
            if (error) {
                vs_fatal(0, "monitor: %s", error);
            }
            const char *spec = argv[i] + 6;
            if (strncmp(spec, "id=", 3) && !strstr(spec, ",id=")) {
                rq.id = n_watches;      /* Distinct ids for several. */
            }
            n_watches++;
            ofctl_send(c, ofp_flow_monitor_request_encode(&rq, 1, c->version,
                                                          ofctl_xid(c)));
            continue;
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
        if (ofctl_opts.packet_in_format >= 0
            && !ofctl_transact_noreply(c, nx_set_packet_in_format_encode(
                                           ofctl_opts.packet_in_format,
                                           c->version, ofctl_xid(c)))) {
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

/* ofp-print HEX: prints the OpenFlow message written in hex (spaces and
 * line breaks allowed), as monitor would. */
static void
cmd_ofp_print(int argc VS_UNUSED, char *argv[])
{
    size_t n;
    uint8_t *bytes = parse_hex_packet(argv[1], &n);
    struct ofpbuf msg;
    ofpbuf_use_const(&msg, bytes, n);
    print_message(&msg);
    free(bytes);
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

const struct ofctl_command ofctl_watch_commands[] = {
    { "packet-out", 2, INT32_MAX, cmd_packet_out },
    { "monitor", 1, 4, cmd_monitor },
    { "snoop", 1, 1, cmd_snoop },
    { "ofp-print", 1, 1, cmd_ofp_print },
    { "probe", 1, 1, cmd_probe },
    { "ping", 1, 2, cmd_ping },
    { NULL, 0, 0, NULL },
};
