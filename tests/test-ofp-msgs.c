/* Unit tests for OpenFlow framing, hello negotiation, errors and the
 * switch messages (features, config, packet-in/out, ports, role, async,
 * stats bodies). */
#include <config.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "dynamic-string.h"
#include "ofp-buf.h"
#include "ofp-errors.h"
#include "ofp-flow.h"
#include "ofp-framer.h"
#include "ofp-msgs.h"
#include "ofp-parse.h"
#include "ofp-print.h"
#include "ofp-switch.h"
#include "util.h"

#define V10 OFP10_VERSION
#define V13 OFP13_VERSION
#define V14 OFP14_VERSION
#define V15 OFP15_VERSION

static const uint8_t supported_versions[] = { V10, V13, V14, V15 };

START_TEST(test_hello_bitmap_negotiates_highest_common_version)
{
    uint32_t ours = OFP_VERSION_BIT(V10) | OFP_VERSION_BIT(V13);
    struct ofpbuf *hello = ofp_hello_encode(ours, 1);
    /* Header version is the highest; the bitmap element follows. */
    static const uint8_t want[] = { 0x04, 0x00, 0x00, 0x10, 0, 0, 0, 1,
                                    0x00, 0x01, 0x00, 0x08, 0x00, 0x00, 0x00, 0x12 };
    ck_assert_uint_eq(hello->size, sizeof want);
    ck_assert(!memcmp(hello->data, want, sizeof want));

    uint32_t theirs;
    ck_assert_int_eq(ofp_hello_decode(hello->data, hello->size, &theirs), 0);
    ck_assert_uint_eq(theirs, ours);
    ck_assert_uint_eq(ofp_negotiate_version(OFP_SUPPORTED_VERSIONS, theirs), V13);
    ofpbuf_delete(hello);

    /* A bare OF1.4 hello means "1.4 and earlier". */
    static const uint8_t bare14[] = { 0x05, 0x00, 0x00, 0x08, 0, 0, 0, 2 };
    ck_assert_int_eq(ofp_hello_decode(bare14, sizeof bare14, &theirs), 0);
    ck_assert_uint_eq(ofp_negotiate_version(OFP_SUPPORTED_VERSIONS, theirs), V14);

    /* Peer only speaks 1.1 and 1.2: no common version. */
    static const uint8_t only12[] = { 0x03, 0x00, 0x00, 0x10, 0, 0, 0, 3,
                                      0x00, 0x01, 0x00, 0x08, 0, 0, 0, 0x0c };
    ck_assert_int_eq(ofp_hello_decode(only12, sizeof only12, &theirs), 0);
    ck_assert_uint_eq(ofp_negotiate_version(OFP_SUPPORTED_VERSIONS, theirs), 0);
    struct ofpbuf *err = ofperr_encode(OFPERR_OFPHFC_INCOMPATIBLE, V13, 3, NULL, 0);
    struct ofp_error_msg em;
    ck_assert_int_eq(ofp_error_decode(err->data, err->size, &em), 0);
    ck_assert_int_eq(em.error, OFPERR_OFPHFC_INCOMPATIBLE);
    ck_assert_uint_eq(em.type, 0);
    ck_assert_uint_eq(em.code, 0);
    ofpbuf_delete(err);

    /* Unknown elements are skipped; a bad element length is an error. */
    static const uint8_t unknown_elem[] = { 0x06, 0x00, 0x00, 0x18, 0, 0, 0, 4,
                                            0x00, 0x07, 0x00, 0x06, 1, 2, 0, 0,
                                            0x00, 0x01, 0x00, 0x08, 0, 0, 0, 0x52 };
    ck_assert_int_eq(ofp_hello_decode(unknown_elem, sizeof unknown_elem, &theirs), 0);
    ck_assert_uint_eq(theirs, 0x52);
    static const uint8_t bad_elem[] = { 0x06, 0x00, 0x00, 0x10, 0, 0, 0, 4,
                                        0x00, 0x01, 0x00, 0x20, 0, 0, 0, 0x52 };
    ck_assert_int_eq(ofp_hello_decode(bad_elem, sizeof bad_elem, &theirs),
                     OFPERR_OFPBRC_BAD_LEN);
}
END_TEST

START_TEST(test_framer_cuts_stream_into_messages)
{
    /* Three messages delivered one byte at a time, then all at once. */
    struct ofpbuf *h = ofp_hello_encode(OFP_SUPPORTED_VERSIONS, 1);
    struct ofpbuf *e = ofp_echo_request(V13, 2);
    static const uint8_t barrier[] = { 0x04, 20, 0, 8, 0, 0, 0, 3 };
    struct ofpbuf *all = ofpbuf_new(64);
    ofpbuf_put(all, h->data, h->size);
    ofpbuf_put(all, e->data, e->size);
    ofpbuf_put(all, barrier, sizeof barrier);

    for (int mode = 0; mode < 2; mode++) {
        struct ofp_framer f;
        ofp_framer_init(&f);
        uint32_t xids[3];
        int n = 0, error;
        for (size_t i = 0; i < all->size; i++) {
            size_t chunk = mode ? all->size : 1;
            ofp_framer_put(&f, all->data + i, chunk);
            i += chunk - 1;
            struct ofpbuf *msg;
            while ((msg = ofp_framer_next(&f, &error)) != NULL) {
                ck_assert_int_lt(n, 3);
                xids[n++] = get_be32(msg->data + 4);
                ofpbuf_delete(msg);
            }
            ck_assert_int_eq(error, 0);
        }
        ck_assert_int_eq(n, 3);
        ck_assert_uint_eq(xids[0], 1);
        ck_assert_uint_eq(xids[2], 3);
        ck_assert_uint_eq(ofp_framer_pending(&f), 0);
        ofp_framer_destroy(&f);
    }

    /* A length below the header size poisons the stream. */
    struct ofp_framer f;
    ofp_framer_init(&f);
    static const uint8_t bad[] = { 0x04, 2, 0, 4, 0, 0, 0, 1 };
    ofp_framer_put(&f, bad, sizeof bad);
    int error;
    ck_assert_ptr_null(ofp_framer_next(&f, &error));
    ck_assert_int_ne(error, 0);
    ofp_framer_destroy(&f);
    ofpbuf_delete(all);
    ofpbuf_delete(h);
    ofpbuf_delete(e);
}
END_TEST

START_TEST(test_hello_process)
{
    uint8_t version;
    struct ofpbuf *err;
    struct ofpbuf *h = ofp_hello_encode(OFP_VERSION_BIT(V10) | OFP_VERSION_BIT(V14), 5);
    ck_assert_int_eq(ofp_hello_process(OFP_SUPPORTED_VERSIONS, h->data, h->size,
                                       &version, &err), 0);
    ck_assert_uint_eq(version, V14);
    ck_assert_ptr_null(err);
    ofpbuf_delete(h);

    /* A bare 1.1 hello means "1.1 and earlier": we speak 1.0. */
    static const uint8_t bare11[] = { 0x02, 0, 0, 8, 0, 0, 0, 7 };
    ck_assert_int_eq(ofp_hello_process(OFP_SUPPORTED_VERSIONS, bare11, 8,
                                       &version, &err), 0);
    ck_assert_uint_eq(version, V10);

    /* Peer offers only 1.1 and 1.2: HELLO_FAILED/INCOMPATIBLE in OF1.0
     * (the highest of ours not above its header version). */
    static const uint8_t hello12[] = { 0x03, 0, 0, 16, 0, 0, 0, 7,
                                       0, 1, 0, 8, 0, 0, 0, 0x0c };
    ck_assert_int_eq(ofp_hello_process(OFP_SUPPORTED_VERSIONS, hello12,
                                       sizeof hello12, &version, &err),
                     OFPERR_OFPHFC_INCOMPATIBLE);
    ck_assert_ptr_nonnull(err);
    ck_assert_uint_eq(err->data[0], V10);
    ck_assert_uint_eq(err->data[1], OFPT_ERROR);
    struct ofp_error_msg em;
    ck_assert_int_eq(ofp_error_decode(err->data, err->size, &em), 0);
    ck_assert_int_eq(em.error, OFPERR_OFPHFC_INCOMPATIBLE);
    ofpbuf_delete(err);

    /* Something other than hello first. */
    static const uint8_t echo[] = { 0x04, 2, 0, 8, 0, 0, 0, 7 };
    ck_assert_int_eq(ofp_hello_process(OFP_SUPPORTED_VERSIONS, echo, 8,
                                       &version, &err), OFPERR_OFPHFC_EPERM);
    ofpbuf_delete(err);
}
END_TEST

START_TEST(test_framing_classifies_and_rejects)
{
    struct ofp_msg_header h;
    struct ofpbuf body;
    static const uint8_t barrier13[] = { 0x04, 20, 0x00, 0x08, 0, 0, 0, 9 };
    ck_assert_int_eq(ofptype_decode(barrier13, 8, &h, &body), 0);
    ck_assert_int_eq(h.type, OFPTYPE_BARRIER_REQUEST);
    ck_assert_uint_eq(h.xid, 9);
    static const uint8_t barrier10[] = { 0x01, 18, 0x00, 0x08, 0, 0, 0, 9 };
    ck_assert_int_eq(ofptype_decode(barrier10, 8, &h, &body), 0);
    ck_assert_int_eq(h.type, OFPTYPE_BARRIER_REQUEST);

    static const uint8_t bad_version[] = { 0x02, 2, 0x00, 0x08, 0, 0, 0, 1 };
    ck_assert_int_eq(ofptype_decode(bad_version, 8, &h, &body), OFPERR_OFPBRC_BAD_VERSION);
    static const uint8_t bad_type[] = { 0x04, 99, 0x00, 0x08, 0, 0, 0, 1 };
    ck_assert_int_eq(ofptype_decode(bad_type, 8, &h, &body), OFPERR_OFPBRC_BAD_TYPE);
    /* Group mod does not exist in OF1.0; bundles not before OF1.4. */
    static const uint8_t group10[] = { 0x01, 15, 0x00, 0x08, 0, 0, 0, 1 };
    ck_assert_int_eq(ofptype_decode(group10, 8, &h, &body), 0);
    ck_assert_int_eq(h.type, OFPTYPE_PORT_MOD);
    static const uint8_t bundle13[] = { 0x04, 33, 0x00, 0x08, 0, 0, 0, 1 };
    ck_assert_int_eq(ofptype_decode(bundle13, 8, &h, &body), OFPERR_OFPBRC_BAD_TYPE);
    static const uint8_t len_mismatch[] = { 0x04, 2, 0x00, 0x09, 0, 0, 0, 1 };
    ck_assert_int_eq(ofptype_decode(len_mismatch, 8, &h, &body), OFPERR_OFPBRC_BAD_LEN);
    static const uint8_t bad_mp[] = { 0x04, 18, 0x00, 0x10, 0, 0, 0, 1,
                                      0x00, 0x63, 0, 0, 0, 0, 0, 0 };
    ck_assert_int_eq(ofptype_decode(bad_mp, 16, &h, &body), OFPERR_OFPBRC_BAD_MULTIPART);
    static const uint8_t port_desc[] = { 0x05, 18, 0x00, 0x10, 0, 0, 0, 1,
                                         0x00, 0x0d, 0, 0, 0, 0, 0, 0 };
    ck_assert_int_eq(ofptype_decode(port_desc, 16, &h, &body), 0);
    ck_assert_int_eq(h.type, OFPTYPE_PORT_DESC_STATS_REQUEST);
    /* OpenFlow 1.0: Open vSwitch's stats type 13. */
    static const uint8_t port_desc10[] = { 0x01, 16, 0x00, 0x0c, 0, 0, 0, 1,
                                           0x00, 0x0d, 0, 0 };
    ck_assert_int_eq(ofptype_decode(port_desc10, 12, &h, &body), 0);
    ck_assert_int_eq(h.type, OFPTYPE_PORT_DESC_STATS_REQUEST);
    static const uint8_t group_desc10[] = { 0x01, 16, 0x00, 0x0c, 0, 0, 0, 1,
                                            0x00, 0x07, 0, 0 };
    ck_assert_int_ne(ofptype_decode(group_desc10, 12, &h, &body), 0);

    ck_assert_int_eq(ofp_frame_length(barrier13, 4), 0);
    ck_assert_int_eq(ofp_frame_length(barrier13, 8), 8);
    static const uint8_t short_len[] = { 0x04, 2, 0x00, 0x04, 0, 0, 0, 1 };
    ck_assert_int_eq(ofp_frame_length(short_len, 8), -1);

    /* Echo reply mirrors the request. */
    static const uint8_t echo[] = { 0x04, 2, 0x00, 0x0b, 0, 0, 0, 5, 'a', 'b', 'c' };
    struct ofpbuf *reply = ofp_echo_reply(echo, sizeof echo);
    ck_assert_uint_eq(reply->data[1], OFPT_ECHO_REPLY);
    ck_assert(!memcmp(reply->data + 2, echo + 2, sizeof echo - 2));
    ofpbuf_delete(reply);
}
END_TEST

START_TEST(test_errors_map_per_version)
{
    uint16_t type, code;
    ck_assert(ofperr_get_type_code(OFPERR_OFPBMC_BAD_PREREQ, V13, &type, &code));
    ck_assert_uint_eq(type, 4);
    ck_assert_uint_eq(code, 9);
    /* OpenFlow 1.0 has no match errors: Nicira's NXBRC_NXM_BAD_PREREQ. */
    ck_assert(ofperr_get_type_code(OFPERR_OFPBMC_BAD_PREREQ, V10, &type, &code));
    ck_assert_uint_eq(type, 1);
    ck_assert_uint_eq(code, 0x104);
    ck_assert(!ofperr_get_type_code(OFPERR_OFPBMC_BAD_TAG, V10, &type, &code));
    ck_assert(ofperr_get_type_code(OFPERR_OFPFMFC_OVERLAP, V10, &type, &code));
    ck_assert_uint_eq(type, 3);
    ck_assert_uint_eq(code, 1);
    ck_assert(ofperr_get_type_code(OFPERR_OFPBFC_BAD_ID, V14, &type, &code));
    ck_assert_uint_eq(type, 17);
    ck_assert(!ofperr_get_type_code(OFPERR_OFPBFC_BAD_ID, V13, &type, &code));
    ck_assert_int_eq(ofperr_from_name("OFPBAC_BAD_OUT_PORT"), OFPERR_OFPBAC_BAD_OUT_PORT);

    /* The error echoes at most 64 bytes of the request. */
    uint8_t req[100];
    memset(req, 0xaa, sizeof req);
    struct ofpbuf *b = ofperr_encode(OFPERR_OFPBRC_BAD_TYPE, V13, 42, req, sizeof req);
    ck_assert_uint_eq(b->size, 12 + 64);
    struct ofp_error_msg em;
    ck_assert_int_eq(ofp_error_decode(b->data, b->size, &em), 0);
    ck_assert_int_eq(em.error, OFPERR_OFPBRC_BAD_TYPE);
    ck_assert_uint_eq(em.data_len, 64);
    char *s = ofp_msg_to_string(b->data, b->size);
    ck_assert_str_eq(s, "OFPT_ERROR (OF1.3) (xid=0x2a): OFPBRC_BAD_TYPE");
    free(s);
    ofpbuf_delete(b);
}
END_TEST

static struct ofp_port
sample_port(uint32_t no)
{
    struct ofp_port p;
    memset(&p, 0, sizeof p);
    p.port_no = no;
    p.hw_addr = (struct eth_addr) ETH_ADDR_C(00, 11, 22, 33, 44, 55);
    strcpy(p.name, "vport7");
    p.config = OFPPC_NO_PACKET_IN;
    p.state = OFPPS_LIVE;
    p.curr = 1 << 6 | 1 << 11;      /* 10GB_FD, copper */
    p.curr_speed = 10000000;
    p.max_speed = 10000000;
    return p;
}

START_TEST(test_port_status_features_and_port_mod_roundtrip)
{
    for (size_t i = 0; i < ARRAY_SIZE(supported_versions); i++) {
        uint8_t v = supported_versions[i];
        struct ofp_port_status ps = { OFPPR_MODIFY, sample_port(7) }, ps2;
        struct ofpbuf *b = ofp_port_status_encode(&ps, v);
        ck_assert_int_eq(ofp_port_status_decode(b->data, b->size, &ps2), 0);
        ck_assert_uint_eq(ps2.reason, OFPPR_MODIFY);
        ck_assert_uint_eq(ps2.desc.port_no, 7);
        ck_assert_str_eq(ps2.desc.name, "vport7");
        ck_assert_uint_eq(ps2.desc.curr, ps.desc.curr);
        ck_assert_uint_eq(ps2.desc.config, OFPPC_NO_PACKET_IN);
        if (v != V10) {
            ck_assert_uint_eq(ps2.desc.state, OFPPS_LIVE);
            ck_assert_uint_eq(ps2.desc.curr_speed, 10000000);
        }
        ofpbuf_delete(b);

        struct ofp_port ports[2] = { sample_port(1), sample_port(OFPP_LOCAL) };
        struct ofp_switch_features f = {
            .datapath_id = 0x123456789a, .n_buffers = 0, .n_tables = 254,
            .capabilities = OFPC_FLOW_STATS | OFPC_PORT_STATS, .ports = ports,
            .n_ports = 2,
        }, f2;
        struct ofp_msg_header rq = { .version = v, .xid = 77 };
        b = ofp_features_reply_encode(&f, &rq);
        ck_assert_int_eq(ofp_features_reply_decode(b->data, b->size, &f2), 0);
        ck_assert_uint_eq(f2.datapath_id, 0x123456789a);
        ck_assert_uint_eq(f2.n_tables, 254);
        ck_assert_uint_eq(f2.capabilities, f.capabilities);
        ck_assert_uint_eq(f2.n_ports, v == V10 ? 2 : 0);
        if (v == V10) {
            ck_assert_uint_eq(f2.ports[1].port_no, OFPP_LOCAL);
        }
        free(f2.ports);
        ofpbuf_delete(b);

        struct ofp_port_mod pm = { 3, ETH_ADDR_C(00, 00, 00, 00, 00, 03),
                                   OFPPC_PORT_DOWN, OFPPC_PORT_DOWN, 1 << 5 }, pm2;
        b = ofp_port_mod_encode(&pm, v, 1);
        ck_assert_int_eq(ofp_port_mod_decode(b->data, b->size, &pm2), 0);
        ck_assert_uint_eq(pm2.port_no, 3);
        ck_assert_uint_eq(pm2.config, OFPPC_PORT_DOWN);
        ck_assert_uint_eq(pm2.mask, OFPPC_PORT_DOWN);
        ck_assert_uint_eq(pm2.advertise, 1 << 5);
        ofpbuf_delete(b);
    }
}
END_TEST

START_TEST(test_packet_in_full_and_truncated)
{
    uint8_t frame[100];
    for (size_t i = 0; i < sizeof frame; i++) {
        frame[i] = i;
    }
    for (size_t i = 0; i < ARRAY_SIZE(supported_versions); i++) {
        uint8_t v = supported_versions[i];
        struct ofp_packet_in pin, pin2;
        memset(&pin, 0, sizeof pin);
        pin.buffer_id = OFP_NO_BUFFER;
        pin.reason = OFPR_ACTION;
        pin.table_id = 2;
        pin.cookie = 0xfeed;
        match_init_catchall(&pin.metadata);
        match_set_in_port(&pin.metadata, 5);
        pin.packet = frame;
        pin.packet_len = sizeof frame;

        struct ofpbuf *b = ofp_packet_in_encode(&pin, v, OFPCML_NO_BUFFER);
        ck_assert_int_eq(ofp_packet_in_decode(b->data, b->size, &pin2), 0);
        ck_assert_uint_eq(pin2.packet_len, sizeof frame);
        ck_assert_uint_eq(pin2.total_len, sizeof frame);
        ck_assert(!memcmp(pin2.packet, frame, sizeof frame));
        ck_assert_uint_eq(pin2.metadata.flow.in_port, 5);
        ck_assert_uint_eq(pin2.reason, OFPR_ACTION);
        if (v != V10) {
            ck_assert_uint_eq(pin2.cookie, 0xfeed);
            ck_assert_uint_eq(pin2.table_id, 2);
        }
        ofpbuf_delete(b);

        b = ofp_packet_in_encode(&pin, v, 40);
        ck_assert_int_eq(ofp_packet_in_decode(b->data, b->size, &pin2), 0);
        ck_assert_uint_eq(pin2.packet_len, 40);
        ck_assert_uint_eq(pin2.total_len, sizeof frame);
        ofpbuf_delete(b);
    }
}
END_TEST

START_TEST(test_packet_out_roundtrip_and_errors)
{
    static const uint8_t frame[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    for (size_t i = 0; i < ARRAY_SIZE(supported_versions); i++) {
        uint8_t v = supported_versions[i];
        struct ofp_packet_out po, po2;
        ofp_packet_out_init(&po);
        po.in_port = 4;
        ck_assert_ptr_null(ofp_parse_actions("output:1,FLOOD", NULL, &po.ofpacts));
        po.packet = frame;
        po.packet_len = sizeof frame;
        struct ofpbuf *b;
        ck_assert_int_eq(ofp_packet_out_encode(&po, v, 3, &b), 0);
        ofp_packet_out_init(&po2);
        ck_assert_int_eq(ofp_packet_out_decode(b->data, b->size, &po2), 0);
        ck_assert_uint_eq(po2.in_port, 4);
        ck_assert(ofpacts_equal(&po.ofpacts, &po2.ofpacts));
        ck_assert_uint_eq(po2.packet_len, sizeof frame);
        ck_assert_uint_eq(po2.buffer_id, OFP_NO_BUFFER);

        /* actions_len pointing past the end. */
        size_t ofs = v == V10 ? 14 : v < V15 ? 16 : 12;
        put_be16(b->data + ofs, 0x4000);
        ck_assert_int_eq(ofp_packet_out_decode(b->data, b->size, &po2),
                         OFPERR_OFPBRC_BAD_LEN);
        ofpbuf_delete(b);
        ofp_packet_out_uninit(&po2);
        ofp_packet_out_uninit(&po);
    }
}
END_TEST

START_TEST(test_role_async_config_roundtrip)
{
    for (size_t i = 1; i < ARRAY_SIZE(supported_versions); i++) {
        uint8_t v = supported_versions[i];
        struct ofp_role_request rr = { OFPCR_ROLE_MASTER, true, 99 }, rr2;
        struct ofpbuf *b = ofp_role_encode(OFPTYPE_ROLE_REQUEST, &rr, v, 1);
        ck_assert_int_eq(ofp_role_decode(b->data, b->size, &rr2), 0);
        ck_assert_uint_eq(rr2.role, OFPCR_ROLE_MASTER);
        ck_assert_uint_eq(rr2.generation_id, 99);
        put_be32(b->data + 8, 7);
        ck_assert_int_eq(ofp_role_decode(b->data, b->size, &rr2),
                         OFPERR_OFPRRFC_BAD_ROLE);
        ofpbuf_delete(b);

        struct ofp_async_config ac, ac2;
        ofp_async_config_default(&ac);
        ac.packet_in[1] = 0x5;
        ac.flow_removed[0] = 0x3;
        b = ofp_async_config_encode(OFPTYPE_SET_ASYNC_CONFIG, &ac, v, 2);
        memset(&ac2, 0, sizeof ac2);
        ck_assert_int_eq(ofp_async_config_decode(b->data, b->size, &ac2), 0);
        ck_assert(!memcmp(&ac, &ac2, sizeof ac));
        ofpbuf_delete(b);
    }
}
END_TEST

START_TEST(test_switch_config_and_stats_bodies)
{
    for (size_t i = 0; i < ARRAY_SIZE(supported_versions); i++) {
        uint8_t v = supported_versions[i];
        struct ofp_switch_config c = { OFPC_FRAG_DROP, 128 }, c2;
        struct ofpbuf *b = ofp_switch_config_encode(OFPTYPE_SET_CONFIG, &c, v, 1);
        ck_assert_int_eq(ofp_switch_config_decode(b->data, b->size, &c2), 0);
        ck_assert_uint_eq(c2.flags, OFPC_FRAG_DROP);
        ck_assert_uint_eq(c2.miss_send_len, 128);
        put_be16(b->data + 8, 0x80);
        ck_assert_int_eq(ofp_switch_config_decode(b->data, b->size, &c2),
                         OFPERR_OFPSCFC_BAD_FLAGS);
        ofpbuf_delete(b);

        struct ofp_msg_header rq = { .version = v, .xid = 1 };
        struct ofp_desc_stats d, d2;
        memset(&d, 0, sizeof d);
        strcpy(d.mfr_desc, "vswitch project");
        strcpy(d.dp_desc, "br0");
        b = ofp_desc_stats_reply_encode(&d, &rq);
        ck_assert_int_eq(ofp_desc_stats_reply_decode(b->data, b->size, &d2), 0);
        ck_assert_str_eq(d2.mfr_desc, "vswitch project");
        ck_assert_str_eq(d2.dp_desc, "br0");
        ofpbuf_delete(b);

        b = ofpmsg_alloc_reply(OFPTYPE_PORT_STATS_REPLY, &rq, 0);
        struct ofp_port_stats ps = { .port_no = 2, .rx_packets = 10, .tx_bytes = 999,
                                     .collisions = 3, .duration_sec = 4 }, ps2;
        ofp_port_stats_append(b, v, &ps);
        ofp_port_stats_append(b, v, &ps);
        struct ofp_msg_header h;
        struct ofpbuf body;
        ck_assert_int_eq(ofptype_decode(b->data, b->size, &h, &body), 0);
        for (int k = 0; k < 2; k++) {
            ck_assert_int_eq(ofp_port_stats_pull(&body, v, &ps2), 0);
            ck_assert_uint_eq(ps2.port_no, 2);
            ck_assert_uint_eq(ps2.rx_packets, 10);
            ck_assert_uint_eq(ps2.tx_bytes, 999);
            ck_assert_uint_eq(ps2.collisions, 3);
        }
        ck_assert_uint_eq(body.size, 0);
        ofpbuf_delete(b);

        b = ofp_port_stats_request_encode(OFPP_ANY, v, 1);
        uint32_t port;
        ck_assert_int_eq(ofp_port_stats_request_decode(b->data, b->size, &port), 0);
        ck_assert_uint_eq(port, v == V10 ? OFPP_NONE : OFPP_ANY);
        ofpbuf_delete(b);

        b = ofpmsg_alloc_reply(OFPTYPE_QUEUE_STATS_REPLY, &rq, 0);
        struct ofp_queue_stats qs = { 1, 2, 300, 4, 0, 5, 6 }, qs2;
        ofp_queue_stats_append(b, v, &qs);
        ck_assert_int_eq(ofptype_decode(b->data, b->size, &h, &body), 0);
        ck_assert_int_eq(ofp_queue_stats_pull(&body, v, &qs2), 0);
        ck_assert_uint_eq(qs2.queue_id, 2);
        ck_assert_uint_eq(qs2.tx_bytes, 300);
        ofpbuf_delete(b);

        b = ofpmsg_alloc_reply(OFPTYPE_TABLE_STATS_REPLY, &rq, 0);
        struct ofp_table_stats ts = { 3, 10, 1000, 900 }, ts2;
        ofp_table_stats_append(b, v, &ts);
        ck_assert_int_eq(ofptype_decode(b->data, b->size, &h, &body), 0);
        ck_assert_int_eq(ofp_table_stats_pull(&body, v, &ts2), 0);
        ck_assert_uint_eq(ts2.table_id, 3);
        ck_assert_uint_eq(ts2.matched_count, 900);
        ofpbuf_delete(b);
    }
}
END_TEST

START_TEST(test_multipart_replies_split_at_64k)
{
    struct ofp_msg_header rq = { .version = V13, .xid = 9 };
    struct ofpmp_replies r;
    ofpmp_init(&r, OFPTYPE_PORT_STATS_REPLY, &rq);
    struct ofp_port_stats ps = { .port_no = 1, .rx_packets = 1 };
    enum { N = 1000 };              /* 1000 * 112 bytes > 64 kB. */
    for (int i = 0; i < N; i++) {
        struct ofpbuf *last = ofpmp_last(&r);
        size_t start = last->size;
        ps.port_no = i + 1;
        ofp_port_stats_append(last, V13, &ps);
        ofpmp_postappend(&r, start);
    }
    ck_assert_uint_eq(r.n, 2);
    int seen = 0;
    for (size_t m = 0; m < r.n; m++) {
        struct ofp_msg_header h;
        struct ofpbuf body;
        ck_assert_uint_le(r.msgs[m]->size, OFP_MAX_MSG_LEN);
        ck_assert_int_eq(ofptype_decode(r.msgs[m]->data, r.msgs[m]->size, &h, &body), 0);
        ck_assert_uint_eq(h.xid, 9);
        ck_assert_uint_eq(h.mp_flags, m + 1 < r.n ? OFPSF_REPLY_MORE : 0);
        while (body.size) {
            struct ofp_port_stats got;
            ck_assert_int_eq(ofp_port_stats_pull(&body, V13, &got), 0);
            ck_assert_uint_eq(got.port_no, ++seen);
        }
    }
    ck_assert_int_eq(seen, N);
    ofpmp_destroy(&r);
}
END_TEST

START_TEST(test_role_status_roundtrip)
{
    struct ofp_table_mod tm = { 3, 0 }, tm2;
    struct ofpbuf *t = ofp_table_mod_encode(&tm, V13, 1);
    ck_assert_int_eq(ofp_table_mod_decode(t->data, t->size, &tm2), 0);
    ck_assert_uint_eq(tm2.table_id, 3);
    put_be32(t->data + 12, 0x100);
    ck_assert_int_eq(ofp_table_mod_decode(t->data, t->size, &tm2), OFPERR_OFPTMFC_BAD_CONFIG);
    ofpbuf_delete(t);

    struct ofp_role_status rs = { OFPCR_ROLE_SLAVE, OFPCRR_MASTER_REQUEST, 12 }, rs2;
    struct ofpbuf *b = ofp_role_status_encode(&rs, V14);
    ck_assert_int_eq(ofp_role_status_decode(b->data, b->size, &rs2), 0);
    ck_assert_uint_eq(rs2.role, OFPCR_ROLE_SLAVE);
    ck_assert_uint_eq(rs2.generation_id, 12);
    char *s = ofp_msg_to_string(b->data, b->size);
    ck_assert_str_eq(s, "OFPT_ROLE_STATUS (OF1.4) (xid=0x0): role=slave "
                     "generation_id=12 reason=master_request");
    free(s);
    ofpbuf_delete(b);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("ofp-msgs");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_hello_bitmap_negotiates_highest_common_version);
    tcase_add_test(tc, test_framer_cuts_stream_into_messages);
    tcase_add_test(tc, test_hello_process);
    tcase_add_test(tc, test_framing_classifies_and_rejects);
    tcase_add_test(tc, test_errors_map_per_version);
    tcase_add_test(tc, test_port_status_features_and_port_mod_roundtrip);
    tcase_add_test(tc, test_packet_in_full_and_truncated);
    tcase_add_test(tc, test_packet_out_roundtrip_and_errors);
    tcase_add_test(tc, test_role_async_config_roundtrip);
    tcase_add_test(tc, test_switch_config_and_stats_bodies);
    tcase_add_test(tc, test_multipart_replies_split_at_64k);
    tcase_add_test(tc, test_role_status_roundtrip);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
