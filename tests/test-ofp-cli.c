/* Command-line access to the OpenFlow codec for interop tests:
 *   test-ofp-cli parse-flow VERSION FLOW      -> hex of an OFPT_FLOW_MOD (add)
 *   test-ofp-cli parse-del VERSION FLOW       -> hex of a delete flow_mod
 *   test-ofp-cli print HEX                    -> decoded text
 *   test-ofp-cli roundtrip VERSION FLOW       -> parse, encode, decode, print
 *   test-ofp-cli parse-group VERSION GROUP    -> hex of an OFPT_GROUP_MOD (add)
 *   test-ofp-cli parse-meter VERSION METER    -> hex of an OFPT_METER_MOD (add)
 *   test-ofp-cli samples VERSION              -> hex of one of each message
 *   test-ofp-cli table-features VERSION N     -> hex of the replies for N tables
 *   test-ofp-cli monitor-request VERSION SPEC -> hex of a flow monitor request
 *                                                (ovs-ofctl "watch:" SPEC)
 *   test-ofp-cli monitor-update VERSION EVENT FLOW
 *                                             -> hex of a flow monitor reply with
 *                                                one update (EVENT 0-6, OF1.4
 *                                                numbering) of FLOW
 * Exits 1 with a message on any error. */
#include <config.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dynamic-string.h"
#include "ofp-buf.h"
#include "ofp-bundle.h"
#include "ofp-flow.h"
#include "ofp-group.h"
#include "ofp-meter.h"
#include "ofp-monitor.h"
#include "ofp-switch.h"
#include "ofp-table.h"
#include "ofp-msgs.h"
#include "ofp-parse.h"
#include "ofp-print.h"
#include "util.h"

static uint8_t *
parse_hex(const char *s, size_t *n)
{
    uint8_t *buf = xmalloc(strlen(s) / 2 + 1);
    *n = 0;
    while (*s) {
        if (isspace((unsigned char) *s)) {
            s++;
            continue;
        }
        unsigned int byte;
        if (sscanf(s, "%2x", &byte) != 1) {
            vs_fatal(0, "bad hex at \"%s\"", s);
        }
        buf[(*n)++] = byte;
        s += 2;
    }
    return buf;
}

static struct ofpbuf *
encode_flow(const char *vs, const char *flow, int command)
{
    uint8_t version = ofp_version_from_string(vs);
    if (!version) {
        vs_fatal(0, "unknown version %s", vs);
    }
    struct ofp_flow_mod fm;
    ofp_flow_mod_init(&fm);
    char *error = ofp_parse_flow_mod(flow, command, &fm);
    if (error) {
        vs_fatal(0, "%s", error);
    }
    struct ofpbuf *msg;
    enum ofperr e = ofp_flow_mod_encode(&fm, version, 1, &msg);
    if (e) {
        vs_fatal(0, "encode: %s", ofperr_get_name(e));
    }
    ofp_flow_mod_uninit(&fm);
    return msg;
}

static void
print_hex(const struct ofpbuf *msg)
{
    for (size_t i = 0; i < msg->size; i++) {
        printf("%02x", msg->data[i]);
    }
    printf("\n");
}

static uint8_t
version_arg(const char *s)
{
    uint8_t v = ofp_version_from_string(s);
    if (!v) {
        vs_fatal(0, "unknown version %s", s);
    }
    return v;
}

/* One message of each kind the switch sends or a controller sends it,
 * named on stderr, for decoding by another implementation. */
static void
samples(uint8_t v)
{
    struct ofp_msg_header rq = { .version = v, .xid = 0x10 };
    static uint8_t frame[64] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 1, 2, 3, 4, 5,
                                 0x08, 0x06 };
    struct ofpbuf *b;

    print_hex(b = ofp_hello_encode(OFP_SUPPORTED_VERSIONS & ((2u << v) - 1), 1));
    ofpbuf_delete(b);

    struct ofp_port port;
    memset(&port, 0, sizeof port);
    port.port_no = 3;
    port.hw_addr = (struct eth_addr) ETH_ADDR_C(aa, 55, aa, 55, 00, 03);
    strcpy(port.name, "p3");
    port.curr = 1 << 6;
    port.curr_speed = port.max_speed = 10000000;
    struct ofp_switch_features f = { .datapath_id = 0xabc, .n_buffers = 0,
                                     .n_tables = 254, .capabilities = 0x47,
                                     .ports = &port, .n_ports = 1 };
    print_hex(b = ofp_features_reply_encode(&f, &rq));
    ofpbuf_delete(b);

    struct ofp_port_status ps = { OFPPR_ADD, port };
    print_hex(b = ofp_port_status_encode(&ps, v));
    ofpbuf_delete(b);

    struct ofp_packet_in pin;
    memset(&pin, 0, sizeof pin);
    pin.buffer_id = OFP_NO_BUFFER;
    pin.reason = OFPR_NO_MATCH;
    pin.cookie = 0;
    match_init_catchall(&pin.metadata);
    match_set_in_port(&pin.metadata, 3);
    pin.packet = frame;
    pin.packet_len = sizeof frame;
    print_hex(b = ofp_packet_in_encode(&pin, v, 128));
    ofpbuf_delete(b);

    struct ofp_packet_out po;
    ofp_packet_out_init(&po);
    po.in_port = OFPP_CONTROLLER;
    ofpact_put(&po.ofpacts, OFPACT_OUTPUT)->u.output.port = OFPP_FLOOD;
    po.packet = frame;
    po.packet_len = sizeof frame;
    if (!ofp_packet_out_encode(&po, v, 0x11, &b)) {
        print_hex(b);
        ofpbuf_delete(b);
    }
    ofp_packet_out_uninit(&po);

    struct ofp_switch_config sc = { OFPC_FRAG_NORMAL, 128 };
    print_hex(b = ofp_switch_config_encode(OFPTYPE_GET_CONFIG_REPLY, &sc, v, 0x12));
    ofpbuf_delete(b);

    struct ofp_desc_stats *d = xzalloc(sizeof *d);
    strcpy(d->mfr_desc, "vswitch");
    strcpy(d->dp_desc, "br0");
    print_hex(b = ofp_desc_stats_reply_encode(d, &rq));
    ofpbuf_delete(b);
    free(d);

    b = ofpmsg_alloc_reply(OFPTYPE_PORT_STATS_REPLY, &rq, 0);
    struct ofp_port_stats pst = { .port_no = 3, .rx_packets = 5, .tx_bytes = 600 };
    ofp_port_stats_append(b, v, &pst);
    print_hex(b);
    ofpbuf_delete(b);

    struct ofp_flow_removed fr;
    memset(&fr, 0, sizeof fr);
    match_init_catchall(&fr.match);
    match_set_dl_type(&fr.match, htons(0x0800));
    fr.priority = 5;
    fr.reason = OFPRR_HARD_TIMEOUT;
    fr.duration_sec = 3;
    fr.packet_count = 10;
    print_hex(b = ofp_flow_removed_encode(&fr, v));
    ofpbuf_delete(b);

    struct ofpbuf *reply = ofpmsg_alloc_reply(OFPTYPE_FLOW_STATS_REPLY, &rq, 0);
    struct ofp_flow_stats fs;
    memset(&fs, 0, sizeof fs);
    fs.match = fr.match;
    fs.priority = 7;
    fs.packet_count = 4;
    fs.byte_count = 400;
    fs.duration_sec = 1;
    ofpact_put(&fs.ofpacts, OFPACT_OUTPUT)->u.output.port = 2;
    ofp_flow_stats_append(reply, v, &fs);
    ofp_flow_stats_append(reply, v, &fs);
    print_hex(reply);
    ofpbuf_delete(reply);
    ofp_flow_stats_uninit(&fs);

    struct ofp_aggregate_stats as = { 10, 2000, 3 };
    print_hex(b = ofp_aggregate_stats_reply_encode(&rq, &as));
    ofpbuf_delete(b);

    if (v >= OFP13_VERSION) {
        struct ofp_role_request rr = { OFPCR_ROLE_MASTER, true, 7 };
        print_hex(b = ofp_role_encode(OFPTYPE_ROLE_REPLY, &rr, v, 0x13));
        ofpbuf_delete(b);

        struct ofp_async_config ac;
        ofp_async_config_default(&ac);
        print_hex(b = ofp_async_config_encode(OFPTYPE_GET_ASYNC_REPLY, &ac, v, 0x14));
        ofpbuf_delete(b);

        struct ofp_meter_features mf = { 1000, 6, 0xf, 8, 0 };
        print_hex(b = ofp_meter_features_reply_encode(&mf, &rq));
        ofpbuf_delete(b);

        struct ofp_group_features gf = { 0xf, 0x5, { 100, 100, 100, 100 }, { 1, 1, 1, 1 } };
        print_hex(b = ofp_group_features_reply_encode(&gf, &rq));
        ofpbuf_delete(b);
    }
    if (v >= OFP14_VERSION) {
        struct ofp_role_status rs = { OFPCR_ROLE_SLAVE, OFPCRR_MASTER_REQUEST, 12 };
        print_hex(b = ofp_role_status_encode(&rs, v));
        ofpbuf_delete(b);

        struct ofp_bundle_ctrl bc = { 7, OFPBCT_OPEN_REQUEST, OFPBF_ATOMIC };
        print_hex(b = ofp_bundle_ctrl_encode(&bc, v, 0x20));
        ofpbuf_delete(b);
        struct ofpbuf *inner = encode_flow(ofp_version_to_string(v),
                                           "ip,actions=output:1", OFPFC_ADD);
        put_be32(inner->data + 4, 0x21);
        print_hex(b = ofp_bundle_add_encode(7, OFPBF_ATOMIC, inner->data,
                                            inner->size, v, 0x21));
        ofpbuf_delete(b);
        ofpbuf_delete(inner);
    }
}

int
main(int argc, char *argv[])
{
    set_program_name(argv[0]);
    if (argc == 4 && (!strcmp(argv[1], "parse-flow") || !strcmp(argv[1], "parse-del"))) {
        struct ofpbuf *msg = encode_flow(argv[2], argv[3], argv[1][6] == 'f'
                                         ? OFPFC_ADD : OFPFC_DELETE);
        for (size_t i = 0; i < msg->size; i++) {
            printf("%02x", msg->data[i]);
        }
        printf("\n");
        ofpbuf_delete(msg);
    } else if (argc == 4 && !strcmp(argv[1], "roundtrip")) {
        struct ofpbuf *msg = encode_flow(argv[2], argv[3], OFPFC_ADD);
        char *s = ofp_msg_to_string(msg->data, msg->size);
        printf("%s\n", s);
        free(s);
        ofpbuf_delete(msg);
    } else if (argc == 4 && !strcmp(argv[1], "parse-group")) {
        struct ofp_group_mod gm;
        ofp_group_mod_init(&gm);
        char *error = ofp_parse_group_mod(argv[3], OFPGC_ADD, &gm);
        if (error) {
            vs_fatal(0, "%s", error);
        }
        struct ofpbuf *msg;
        enum ofperr e = ofp_group_mod_encode(&gm, version_arg(argv[2]), 1, &msg);
        if (e) {
            vs_fatal(0, "encode: %s", ofperr_get_name(e));
        }
        print_hex(msg);
        ofpbuf_delete(msg);
        ofp_group_mod_uninit(&gm);
    } else if (argc == 4 && !strcmp(argv[1], "parse-meter")) {
        struct ofp_meter_mod mm;
        ofp_meter_mod_init(&mm);
        char *error = ofp_parse_meter_mod(argv[3], OFPMC_ADD, &mm);
        if (error) {
            vs_fatal(0, "%s", error);
        }
        struct ofpbuf *msg;
        enum ofperr e = ofp_meter_mod_encode(&mm, version_arg(argv[2]), 1, &msg);
        if (e) {
            vs_fatal(0, "encode: %s", ofperr_get_name(e));
        }
        print_hex(msg);
        ofpbuf_delete(msg);
        ofp_meter_mod_uninit(&mm);
    } else if (argc == 4 && !strcmp(argv[1], "table-features")) {
        struct ofp_msg_header rq = { .version = version_arg(argv[2]), .xid = 0 };
        int n = atoi(argv[3]);
        struct ofp_table_features *tfs = xcalloc(n, sizeof *tfs);
        for (int i = 0; i < n; i++) {
            tfs[i].table_id = i;
            snprintf(tfs[i].name, sizeof tfs[i].name, "table%d", i);
            tfs[i].metadata_match = tfs[i].metadata_write = UINT64_MAX;
            tfs[i].max_entries = 1000000;
            tfs[i].n_tables = n;
        }
        struct ofpbuf **msgs;
        size_t n_msgs = ofp_table_features_reply_encode(&rq, tfs, n, &msgs);
        for (size_t i = 0; i < n_msgs; i++) {
            print_hex(msgs[i]);
            ofpbuf_delete(msgs[i]);
        }
        free(msgs);
        free(tfs);
    } else if (argc == 3 && !strcmp(argv[1], "samples")) {
        samples(version_arg(argv[2]));
    } else if (argc == 4 && !strcmp(argv[1], "monitor-request")) {
        struct ofp_flow_monitor_request rq;
        char *error = ofp_flow_monitor_request_parse(&rq, argv[3]);
        if (error) {
            vs_fatal(0, "%s", error);
        }
        struct ofpbuf *b = ofp_flow_monitor_request_encode(&rq, 1,
                                                           version_arg(argv[2]), 6);
        print_hex(b);
        ofpbuf_delete(b);
    } else if (argc == 5 && !strcmp(argv[1], "monitor-update")) {
        struct ofp_flow_mod fm;
        ofp_flow_mod_init(&fm);
        char *error = ofp_parse_flow_mod(argv[4], OFPFC_ADD, &fm);
        if (error) {
            vs_fatal(0, "%s", error);
        }
        struct ofp_flow_update u = {
            .event = atoi(argv[3]), .xid = 0x1234, .reason = OFPRR_IDLE_TIMEOUT,
            .table_id = fm.table_id, .idle_timeout = fm.idle_timeout,
            .hard_timeout = fm.hard_timeout, .priority = fm.priority,
            .cookie = fm.cookie, .match = fm.match, .has_actions = true,
            .ofpacts = fm.ofpacts,
        };
        struct ofp_fm_replies r;
        ofp_fm_replies_init(&r, version_arg(argv[2]), 0);
        ofp_fm_replies_append(&r, &u);
        print_hex(r.msgs[0]);
        ofp_fm_replies_destroy(&r);
        ofp_flow_mod_uninit(&fm);
    } else if (argc == 3 && !strcmp(argv[1], "print")) {
        size_t n;
        uint8_t *buf = parse_hex(argv[2], &n);
        char *s = ofp_msg_to_string(buf, n);
        printf("%s\n", s);
        free(s);
        free(buf);
    } else {
        fprintf(stderr, "usage: %s parse-flow|parse-del|roundtrip VERSION FLOW | print HEX\n",
                argv[0]);
        return 2;
    }
    return 0;
}
