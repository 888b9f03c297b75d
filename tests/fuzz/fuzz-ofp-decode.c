/* Fuzz target for the OpenFlow codec: every decoder that takes bytes from
 * a peer, and the flow syntax parser.
 *
 * With libFuzzer:  clang -fsanitize=fuzzer,address -DVS_LIBFUZZER ...
 * Standalone (built by make check): replays the committed corpus in
 * tests/fuzz/corpus/ofp-decode, then every truncation of each file and a
 * bounded set of deterministic byte mutations, so the error paths run
 * under the sanitizers in CI. */
#include <config.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofp-buf.h"
#include "ofp-bundle.h"
#include "ofp-flow.h"
#include "ofp-group.h"
#include "ofp-meter.h"
#include "ofp-monitor.h"
#include "ofp-msgs.h"
#include "ofp-nx.h"
#include "ofp-parse.h"
#include "ofp-print.h"
#include "ofp-switch.h"
#include "ofp-queue.h"
#include "ofp-table.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every queue of a queue config reply (OF1.0-1.3 or OF1.4 queue desc). */
static void
pull_queue_descs(const uint8_t *data, size_t size)
{
    struct ofp_msg_header h;
    struct ofpbuf body;
    uint32_t port;
    if (ofptype_decode(data, size, &h, &body)
        || ofp_queue_desc_reply_start(&body, h.version, &port)) {
        return;
    }
    for (int guard = 0; body.size && guard < 1000; guard++) {
        struct ofp_queue_desc q;
        if (ofp_queue_desc_pull(&body, h.version, port, &q)) {
            break;
        }
    }
}

/* Pulls every entry of a multipart reply body with 'pull'. */
static void
pull_all(const uint8_t *data, size_t size, const struct ofp_msg_header *h)
{
    struct ofp_msg_header hh;
    struct ofpbuf body;
    if (ofptype_decode(data, size, &hh, &body)) {
        return;
    }
    for (int guard = 0; body.size && guard < 1000; guard++) {
        enum ofperr e = 0;
        switch (h->type) {
        case OFPTYPE_TABLE_STATS_REPLY: {
            struct ofp_table_stats ts;
            e = ofp_table_stats_pull(&body, h->version, &ts);
            break;
        }
        case OFPTYPE_PORT_STATS_REPLY: {
            struct ofp_port_stats ps;
            e = ofp_port_stats_pull(&body, h->version, &ps);
            break;
        }
        case OFPTYPE_QUEUE_STATS_REPLY: {
            struct ofp_queue_stats qs;
            e = ofp_queue_stats_pull(&body, h->version, &qs);
            break;
        }
        case OFPTYPE_GROUP_DESC_STATS_REPLY: {
            struct ofp_group_mod gm;
            ofp_group_mod_init(&gm);
            e = ofp_group_desc_pull(&body, h->version, &gm);
            ofp_group_mod_uninit(&gm);
            break;
        }
        case OFPTYPE_GROUP_STATS_REPLY: {
            struct ofp_group_stats gs;
            e = ofp_group_stats_pull(&body, &gs);
            ofp_group_stats_uninit(&gs);
            break;
        }
        case OFPTYPE_METER_CONFIG_STATS_REPLY: {
            struct ofp_meter_mod mm;
            ofp_meter_mod_init(&mm);
            e = ofp_meter_config_pull(&body, &mm);
            ofp_meter_mod_uninit(&mm);
            break;
        }
        case OFPTYPE_METER_STATS_REPLY: {
            struct ofp_meter_stats ms;
            e = ofp_meter_stats_pull(&body, &ms);
            break;
        }
        case OFPTYPE_PORT_DESC_STATS_REPLY: {
            struct ofp_port p;
            e = ofp_port_pull(&body, h->version, &p);
            break;
        }
        default:
            return;
        }
        if (e) {
            return;
        }
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* As a message: the printer calls the decoder of each message type. */
    char *s = ofp_msg_to_string(data, size);
    free(s);

    /* As the first message on a connection. */
    uint8_t version;
    struct ofpbuf *error_msg;
    ofp_hello_process(OFP_SUPPORTED_VERSIONS, data, size, &version, &error_msg);
    ofpbuf_delete(error_msg);

    struct ofp_msg_header h;
    if (!ofptype_decode(data, size, &h, NULL)) {
        uint32_t u32, u32b;
        switch (h.type) {
        case OFPTYPE_HELLO:
            ofp_hello_decode(data, size, &u32);
            break;
        case OFPTYPE_FLOW_STATS_REQUEST:
        case OFPTYPE_AGGREGATE_STATS_REQUEST: {
            struct ofp_flow_stats_request rq;
            ofp_flow_stats_request_decode(data, size, &rq);
            break;
        }
        case OFPTYPE_AGGREGATE_STATS_REPLY: {
            struct ofp_aggregate_stats as;
            ofp_aggregate_stats_reply_decode(data, size, &as);
            break;
        }
        case OFPTYPE_PORT_STATS_REQUEST:
            ofp_port_stats_request_decode(data, size, &u32);
            break;
        case OFPTYPE_QUEUE_STATS_REQUEST:
            ofp_queue_stats_request_decode(data, size, &u32, &u32b);
            break;
        case OFPTYPE_QUEUE_GET_CONFIG_REQUEST:
        case OFPTYPE_QUEUE_DESC_STATS_REQUEST:
            ofp_queue_desc_request_decode(data, size, &u32, &u32b);
            break;
        case OFPTYPE_QUEUE_GET_CONFIG_REPLY:
        case OFPTYPE_QUEUE_DESC_STATS_REPLY:
            pull_queue_descs(data, size);
            break;
        case OFPTYPE_GROUP_STATS_REQUEST:
            ofp_group_stats_request_decode(data, size, &u32);
            break;
        case OFPTYPE_METER_STATS_REQUEST:
        case OFPTYPE_METER_CONFIG_STATS_REQUEST:
            ofp_meter_request_decode(data, size, &u32);
            break;
        case OFPTYPE_PORT_MOD: {
            struct ofp_port_mod pm;
            ofp_port_mod_decode(data, size, &pm);
            break;
        }
        case OFPTYPE_SET_ASYNC_CONFIG:
        case OFPTYPE_GET_ASYNC_REPLY: {
            struct ofp_async_config ac;
            ofp_async_config_default(&ac);
            ofp_async_config_decode(data, size, &ac);
            break;
        }
        case OFPTYPE_GROUP_FEATURES_STATS_REPLY: {
            struct ofp_group_features gf;
            ofp_group_features_reply_decode(data, size, &gf);
            break;
        }
        case OFPTYPE_METER_FEATURES_STATS_REPLY: {
            struct ofp_meter_features mf;
            ofp_meter_features_reply_decode(data, size, &mf);
            break;
        }
        case OFPTYPE_FLOW_REMOVED: {
            struct ofp_flow_removed fr;
            ofp_flow_removed_decode(data, size, &fr);
            break;
        }
        case OFPTYPE_TABLE_MOD: {
            struct ofp_table_mod tm;
            ofp_table_mod_decode(data, size, &tm);
            break;
        }
        case OFPTYPE_TABLE_FEATURES_STATS_REQUEST:
        case OFPTYPE_TABLE_FEATURES_STATS_REPLY: {
            struct ofpbuf body;
            struct ofp_msg_header hh;
            ofp_table_features_request_is_query(data, size);
            if (!ofptype_decode(data, size, &hh, &body)) {
                struct ofp_table_features tf;
                for (int i = 0; i < 300 && body.size; i++) {
                    if (ofp_table_features_pull(&body, &tf)) {
                        break;
                    }
                }
            }
            break;
        }
        case OFPTYPE_EXPERIMENTER:
        case OFPTYPE_EXPERIMENTER_STATS_REQUEST:
        case OFPTYPE_EXPERIMENTER_STATS_REPLY:
        case OFPTYPE_FLOW_MONITOR_STATS_REQUEST:
        case OFPTYPE_FLOW_MONITOR_STATS_REPLY: {
            /* Flow monitors in every wire form. */
            struct ofp_flow_monitor_request *rqs;
            struct ofp_flow_update *ups;
            size_t n;
            if (!ofp_flow_monitor_request_decode(data, size, &rqs, &n)) {
                free(rqs);
            }
            if (!ofp_flow_update_decode_all(data, size, &ups, &n)) {
                ofp_flow_updates_free(ups, n);
            }
            ofp_flow_monitor_cancel_decode(data, size, &u32);

            /* Nicira's OpenFlow 1.0 extensions (the printer above ran the
             * table-id form of NXT_FLOW_MOD; this is the other). */
            struct ofp_flow_mod nfm;
            ofp_flow_mod_init(&nfm);
            nx_flow_mod_decode(data, size, false, &nfm);
            ofp_flow_mod_uninit(&nfm);
            struct ofp_flow_stats_request nrq;
            nx_flow_stats_request_decode(data, size, &nrq);
            struct ofp_flow_removed nfr;
            nx_flow_removed_decode(data, size, &nfr);
            enum nx_packet_in_format pif;
            nx_set_packet_in_format_decode(data, size, &pif);
            uint16_t id;
            nx_set_controller_id_decode(data, size, &id);
            break;
        }
        default:
            pull_all(data, size, &h);
            break;
        }
    }

    /* As text for the flow, group and meter parsers. */
    char *text = xmalloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    struct ofp_flow_mod fm;
    ofp_flow_mod_init(&fm);
    free(ofp_parse_flow_mod(text, OFPFC_ADD, &fm));
    ofp_flow_mod_uninit(&fm);
    struct ofp_flow_monitor_request fmr;
    free(ofp_flow_monitor_request_parse(&fmr, text));
    struct ofp_group_mod gm;
    ofp_group_mod_init(&gm);
    free(ofp_parse_group_mod(text, OFPGC_ADD, &gm));
    ofp_group_mod_uninit(&gm);
    struct ofp_meter_mod mm;
    ofp_meter_mod_init(&mm);
    free(ofp_parse_meter_mod(text, OFPMC_ADD, &mm));
    ofp_meter_mod_uninit(&mm);
    free(text);
    return 0;
}

#ifndef VS_LIBFUZZER
static void
run_one(const uint8_t *data, size_t size)
{
    /* Exact-size heap copies so ASan catches any overread. */
    uint8_t *copy = xmemdup(data, size ? size : 1);
    LLVMFuzzerTestOneInput(copy, size);
    free(copy);
}

static size_t
replay(const uint8_t *data, size_t size)
{
    size_t runs = 0;
    run_one(data, size);
    runs++;
    /* Every truncation, with the length field made to agree so decoding
     * goes past the framing checks. */
    for (size_t n = 0; n < size; n++) {
        uint8_t *t = xmemdup(data, n ? n : 1);
        if (n >= 4) {
            put_be16(t + 2, n);
        }
        run_one(t, n);
        free(t);
        runs++;
    }
    /* Deterministic single-byte mutations, bounded per file. */
    uint32_t x = 2463534242u ^ size;
    for (int i = 0; i < 300 && size > 8; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        uint8_t *m = xmemdup(data, size);
        size_t pos = 8 + x % (size - 8);
        m[pos] = i % 3 == 0 ? 0xff : i % 3 == 1 ? 0 : (uint8_t) (x >> 8);
        run_one(m, size);
        free(m);
        runs++;
    }
    return runs;
}

int
main(int argc, char *argv[])
{
    set_program_name(argv[0]);
    const char *top = getenv("top_srcdir");
    char *dir = argc > 1 ? xstrdup(argv[1])
                : xasprintf("%s/tests/fuzz/corpus/ofp-decode", top ? top : ".");
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "%s: cannot open corpus %s\n", argv[0], dir);
        return 1;
    }
    size_t files = 0, runs = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.') {
            continue;
        }
        char *path = xasprintf("%s/%s", dir, de->d_name);
        FILE *f = fopen(path, "rb");
        if (f) {
            uint8_t buf[65536];
            size_t n = fread(buf, 1, sizeof buf, f);
            fclose(f);
            runs += replay(buf, n);
            files++;
        }
        free(path);
    }
    closedir(d);
    free(dir);
    printf("fuzz-ofp-decode: %zu corpus files, %zu inputs\n", files, runs);
    return files ? 0 : 1;
}
#endif
