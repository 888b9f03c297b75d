/* Unit tests for NXT_PACKET_IN2 (lib/ofp-packet-in2.c), the property
 * lists under it (lib/ofp-prop.c) and NXAST_CONTROLLER2
 * (lib/ofp-actions-controller2.c).
 *
 * The golden bytes were captured from Debian's Open vSwitch 3.1: the
 * packet-ins from ovs-vswitchd (a client that asked for format 2, a
 * packet-out through "load:0x55->reg3[],controller(userdata=...)"), the
 * actions from ovs-ofctl add-flow (tests/ofp-capture.py). */
#include <config.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test-ofp-util.h"
#include "dynamic-string.h"
#include "flow.h"
#include "match.h"
#include "ofp-actions.h"
#include "ofp-actions-controller2.h"
#include "ofp-buf.h"
#include "ofp-flow.h"
#include "ofp-msgs.h"
#include "ofp-nx.h"
#include "ofp-packet-in2.h"
#include "ofp-parse.h"
#include "ofp-print.h"
#include "ofp-switch.h"
#include "util.h"

/* A 34-byte IPv4/UDP frame (header only). */
#define FRAME "0202020202020101010101010800450000140001000040117cd20a0000010a000002"

/* OF1.0, in_port LOCAL, reg3=0x55, table 0, cookie 0, reason action,
 * userdata 01.02.03.04. */
static const char golden_pin2_action[] =
    "0104007800000000" "00002320" "0000001e"
    "00000026" FRAME "0000"                         /* packet */
    "0003000500000000"                              /* table_id 0 */
    "00040010000000000000000000000000"              /* cookie 0 */
    "0005000501000000"                              /* reason action */
    "0006001480000004fffffffe000106040000005500000000"   /* metadata */
    "0007000801020304";                             /* userdata */

/* Table 1, cookie 0x1234, reason no_match, 9 bytes of userdata. */
static const char golden_pin2_no_match[] =
    "0104007800000000" "00002320" "0000001e"
    "00000026" FRAME "0000"
    "0003000501000000"
    "00040010000000000000000000001234"
    "0005000500000000"
    "0006000c80000004fffffffe00000000"
    "0007000d001122334455667788000000";

/* tun_id 5, metadata 7, reg0 9, reg3 0x55, userdata 01: Open vSwitch's
 * field order, and NXM_NX_TUN_ID before OpenFlow 1.3 (OXM_OF_TUNNEL_ID
 * from it: golden_pin2_tunnel_of13). */
#define PIN2_TUNNEL_HEAD(V) \
    V "04009800000000" "00002320" "0000001e" \
    "00000026" FRAME "0000" \
    "0003000500000000" "00040010000000000000000000000000" \
    "0005000501000000" "00060034" "80000004fffffffe"
#define PIN2_TUNNEL_TAIL \
    "0000000000000005" "0001000400000009" "0001060400000055" \
    "800004080000000000000007" "00000000" "0007000501000000"
static const char golden_pin2_tunnel_of10[] =
    PIN2_TUNNEL_HEAD("01") "00012008" PIN2_TUNNEL_TAIL;
static const char golden_pin2_tunnel_of13[] =
    PIN2_TUNNEL_HEAD("04") "80004c08" PIN2_TUNNEL_TAIL;

static char *print(const struct ofpbuf *);

/* The packet-in of the golden messages; 'frame' must outlive it. */
static void
make_pin(struct ofp_packet_in *pin, struct ofpbuf *frame, uint8_t table,
         uint64_t cookie, uint8_t reason, uint32_t reg3,
         const char *userdata_hex, struct ofpbuf **userdata)
{
    memset(pin, 0, sizeof *pin);
    pin->buffer_id = OFP_NO_BUFFER;
    pin->table_id = table;
    pin->cookie = cookie;
    pin->reason = reason;
    match_init_catchall(&pin->metadata);
    match_set_in_port(&pin->metadata, OFPP_LOCAL);
    pin->metadata.flow.regs[3] = reg3;
    pin->metadata.wc.masks.regs[3] = UINT32_MAX;
    pin->packet = frame->data;
    pin->packet_len = frame->size;
    pin->total_len = frame->size;
    *userdata = test_ofpbuf_from_hex(userdata_hex);
    pin->userdata = (*userdata)->data;
    pin->userdata_len = (*userdata)->size;
}

START_TEST(test_packet_in2_bytes_are_ovs_vswitchds)
{
    struct ofpbuf *frame = test_ofpbuf_from_hex(FRAME), *ud;
    struct ofp_packet_in pin;
    make_pin(&pin, frame, 0, 0, OFPR_ACTION, 0x55, "01020304", &ud);
    struct ofpbuf *m = nx_packet_in2_encode(&pin, OFP10_VERSION,
                                            OFPCML_NO_BUFFER);
    test_check_bytes(m, golden_pin2_action);
    ofpbuf_delete(m);

    /* OpenFlow 1.3: the same but for the version byte. */
    m = nx_packet_in2_encode(&pin, OFP13_VERSION, OFPCML_NO_BUFFER);
    char *want = xstrdup(golden_pin2_action);
    want[1] = '4';
    test_check_bytes(m, want);
    free(want);
    ofpbuf_delete(m);
    ofpbuf_delete(ud);

    make_pin(&pin, frame, 1, 0x1234, OFPR_NO_MATCH, 0, "001122334455667788",
             &ud);
    m = nx_packet_in2_encode(&pin, OFP10_VERSION, OFPCML_NO_BUFFER);
    test_check_bytes(m, golden_pin2_no_match);
    ofpbuf_delete(m);
    ofpbuf_delete(ud);
    ofpbuf_delete(frame);
}
END_TEST

static char *
print(const struct ofpbuf *m)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    ofp_print_msg(m->data, m->size, &s);
    return ds_steal_cstr(&s);
}

START_TEST(test_packet_in2_tunnel_and_metadata_in_ovs_order)
{
    struct ofpbuf *frame = test_ofpbuf_from_hex(FRAME), *ud;
    struct ofp_packet_in pin;
    make_pin(&pin, frame, 0, 0, OFPR_ACTION, 0x55, "01", &ud);
    pin.metadata.flow.regs[0] = 9;
    pin.metadata.wc.masks.regs[0] = UINT32_MAX;
    match_set_tun_id_masked(&pin.metadata, htobe64(5), UINT64_MAX);
    match_set_metadata_masked(&pin.metadata, htobe64(7), UINT64_MAX);
    struct ofpbuf *m = nx_packet_in2_encode(&pin, OFP10_VERSION,
                                            OFPCML_NO_BUFFER);
    test_check_bytes(m, golden_pin2_tunnel_of10);
    char *s = print(m);
    /* As `ovs-ofctl ofp-print` prints the golden message. */
    ck_assert_str_eq(s, "NXT_PACKET_IN2 (xid=0x0): cookie=0x0 total_len=34 "
                     "reg0=0x9,reg3=0x55,tun_id=0x5,metadata=0x7,"
                     "in_port=LOCAL (via action) data_len=34 (unbuffered)\n"
                     " userdata=01");
    free(s);
    ofpbuf_delete(m);
    m = nx_packet_in2_encode(&pin, OFP13_VERSION, OFPCML_NO_BUFFER);
    test_check_bytes(m, golden_pin2_tunnel_of13);
    ofpbuf_delete(m);
    ofpbuf_delete(ud);
    ofpbuf_delete(frame);
}
END_TEST

START_TEST(test_packet_in2_prints_as_ovs_ofctl)
{
    struct ofpbuf *m = test_ofpbuf_from_hex(golden_pin2_action);
    char *s = print(m);
    ck_assert_str_eq(s, "NXT_PACKET_IN2 (xid=0x0): cookie=0x0 total_len=34 "
                     "reg3=0x55,in_port=LOCAL (via action) data_len=34 "
                     "(unbuffered)\n userdata=01.02.03.04");
    free(s);
    m->data[0] = OFP13_VERSION;
    s = print(m);
    ck_assert_str_eq(s, "NXT_PACKET_IN2 (OF1.3) (xid=0x0): cookie=0x0 "
                     "total_len=34 reg3=0x55,in_port=LOCAL (via action) "
                     "data_len=34 (unbuffered)\n userdata=01.02.03.04");
    free(s);
    ofpbuf_delete(m);

    m = test_ofpbuf_from_hex(golden_pin2_no_match);
    s = print(m);
    ck_assert_str_eq(s, "NXT_PACKET_IN2 (xid=0x0): table_id=1 cookie=0x1234 "
                     "total_len=34 in_port=LOCAL (via no_match) data_len=34 "
                     "(unbuffered)\n userdata=00.11.22.33.44.55.66.77.88");
    free(s);
    ofpbuf_delete(m);
}
END_TEST

START_TEST(test_packet_in2_truncated_has_full_len_and_decodes)
{
    struct ofpbuf *frame = test_ofpbuf_from_hex(FRAME), *ud;
    struct ofp_packet_in pin, back;
    make_pin(&pin, frame, 2, UINT64_MAX, OFPR_GROUP, 7, "", &ud);
    struct ofpbuf *m = nx_packet_in2_encode(&pin, OFP13_VERSION, 20);
    ck_assert_int_eq(nx_packet_in2_decode(m->data, m->size, &back), 0);
    ck_assert_uint_eq(back.packet_len, 20);
    ck_assert_uint_eq(back.total_len, 34);
    ck_assert_int_eq(memcmp(back.packet, frame->data, 20), 0);
    ck_assert_uint_eq(back.table_id, 2);
    ck_assert(back.cookie == UINT64_MAX);       /* No cookie property. */
    ck_assert_uint_eq(back.reason, OFPR_ACTION);    /* Group: OF1.4+. */
    ck_assert_uint_eq(back.metadata.flow.regs[3], 7);
    ck_assert_uint_eq(back.metadata.flow.in_port, OFPP_LOCAL);
    ck_assert_uint_eq(back.userdata_len, 0);
    ck_assert_uint_eq(back.buffer_id, OFP_NO_BUFFER);
    char *s = print(m);
    ck_assert_str_eq(s, "NXT_PACKET_IN2 (OF1.3) (xid=0x0): table_id=2 "
                     "total_len=34 reg3=0x7,in_port=LOCAL (via action) "
                     "data_len=20 (unbuffered)");
    free(s);
    ofpbuf_delete(m);

    /* OF1.4 keeps the group reason. */
    m = nx_packet_in2_encode(&pin, OFP14_VERSION, OFPCML_NO_BUFFER);
    ck_assert_int_eq(nx_packet_in2_decode(m->data, m->size, &back), 0);
    ck_assert_uint_eq(back.reason, OFPR_GROUP);
    ck_assert_uint_eq(back.packet_len, 34);
    ofpbuf_delete(m);
    ofpbuf_delete(ud);
    ofpbuf_delete(frame);
}
END_TEST

/* A packet-in2 of the golden header and 'props_hex'. */
static enum ofperr
decode_props(const char *props_hex)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    ds_put_format(&s, "0104000000000000" "00002320" "0000001e%s", props_hex);
    struct ofpbuf *m = test_ofpbuf_from_hex(ds_cstr(&s));
    put_be16(m->data + 2, m->size);
    struct ofp_packet_in pin;
    enum ofperr e = nx_packet_in2_decode(m->data, m->size, &pin);
    ofpbuf_delete(m);
    ds_destroy(&s);
    return e;
}

/* A packet property: 18 bytes of frame, 2 of padding. */
#define PACKET_PROP "00000016" "020202020202010101010101080045000000" "0000"

START_TEST(test_packet_in2_bad_properties_get_exact_errors)
{
    ck_assert_int_eq(decode_props(PACKET_PROP), 0);
    /* Property length below its header. */
    ck_assert_int_eq(decode_props(PACKET_PROP "0003000300000000"),
                     OFPERR_OFPBPC_BAD_LEN);
    /* Property running past the message. */
    ck_assert_int_eq(decode_props(PACKET_PROP "0003002000000000"),
                     OFPERR_OFPBPC_BAD_LEN);
    /* A header cut short. */
    ck_assert_int_eq(decode_props(PACKET_PROP "0003"), OFPERR_OFPBPC_BAD_LEN);
    /* table_id without its byte; a cookie of 8 bytes, not 4 + 8. */
    ck_assert_int_eq(decode_props(PACKET_PROP "0003000400000000"),
                     OFPERR_OFPBPC_BAD_LEN);
    ck_assert_int_eq(decode_props(PACKET_PROP "0004000c0000000000001234"),
                     OFPERR_OFPBPC_BAD_LEN);
    /* full_len of 2 bytes. */
    ck_assert_int_eq(decode_props(PACKET_PROP "0001000600220000"),
                     OFPERR_OFPBPC_BAD_LEN);
    /* Unknown property. */
    ck_assert_int_eq(decode_props(PACKET_PROP "0063000400000000"),
                     OFPERR_OFPBPC_BAD_TYPE);
    /* No packet at all. */
    ck_assert_int_eq(decode_props("0005000501000000"), OFPERR_OFPBRC_BAD_LEN);
    /* Metadata: a TLV longer than the property. */
    ck_assert_int_eq(decode_props(PACKET_PROP "0006000c80000008fffffffe"),
                     OFPERR_OFPBMC_BAD_LEN);
    /* A continuation (controller(pause) elsewhere) is skipped. */
    ck_assert_int_eq(decode_props(PACKET_PROP "0008000c0000000000000000"), 0);
}
END_TEST

START_TEST(test_packet_in2_truncated_at_every_length_fails_cleanly)
{
    struct ofpbuf *m = test_ofpbuf_from_hex(golden_pin2_no_match);
    for (size_t n = 16; n < m->size; n++) {
        struct ofp_packet_in pin;
        /* Cut at a property boundary, the rest is valid; else an error. */
        enum ofperr e = nx_packet_in2_decode(m->data, n, &pin);
        ck_assert(e == 0 || e == OFPERR_OFPBPC_BAD_LEN
                  || e == OFPERR_OFPBRC_BAD_LEN);
    }
    ofpbuf_delete(m);
}
END_TEST

/* ---- NXAST_CONTROLLER2. ---- */

/* ovs-ofctl add-flow "actions=controller(userdata=01.02.03.04),
 * controller(reason=no_match,max_len=100,id=5,userdata=00.11.22),
 * controller(max_len=10,id=3)": two NXAST_CONTROLLER2, one plain
 * NXAST_CONTROLLER. */
static const char golden_controller_actions[] =
    "ffff00180000232000250000000000000003000801020304"
    "ffff003000002320002500000000000000000008006400000001000800050000"
    "00020005000000000003000700112200"
    "ffff0010000023200014000a00030100";
static const char controller_actions_text[] =
    "controller(userdata=01.02.03.04),"
    "controller(reason=no_match,max_len=100,id=5,userdata=00.11.22),"
    "controller(max_len=10,id=3)";
/* controller(pause), which vswitch refuses. */
static const char golden_pause[] =
    "ffff0018000023200025000000000000" "0004000400000000";

static enum ofperr
decode_actions(const char *hex, uint8_t version, struct ofpacts *o)
{
    struct ofpbuf *b = test_ofpbuf_from_hex(hex);
    ofpacts_clear(o);
    enum ofperr e = ofpacts_pull_actions(b, b->size, version, o);
    ofpbuf_delete(b);
    return e;
}

START_TEST(test_controller2_bytes_are_ovs_ofctls)
{
    static const uint8_t versions[] = { OFP10_VERSION, OFP13_VERSION };
    for (size_t i = 0; i < ARRAY_SIZE(versions); i++) {
        struct ofpacts o = OFPACTS_INITIALIZER;
        char *error = ofp_parse_actions(controller_actions_text, NULL, &o);
        ck_assert_msg(!error, "%s", error ? error : "");
        struct ofpbuf b = OFPBUF_INITIALIZER;
        ck_assert_int_eq(ofpacts_put_actions(o.acts, o.n, &b, versions[i]),
                         0);
        test_check_bytes(&b, golden_controller_actions);
        ofpbuf_uninit(&b);

        /* And back, printed as ovs-ofctl prints them. */
        ck_assert_int_eq(decode_actions(golden_controller_actions,
                                        versions[i], &o), 0);
        struct ds s = DS_EMPTY_INITIALIZER;
        ofpacts_format(&o, &s);
        ck_assert_str_eq(ds_cstr(&s), controller_actions_text);
        ds_destroy(&s);
        ofpacts_uninit(&o);
    }
}
END_TEST

START_TEST(test_controller2_long_userdata_roundtrip)
{
    struct ds text = DS_EMPTY_INITIALIZER;
    ds_put_cstr(&text, "controller(id=9,userdata=");
    for (int i = 0; i < 100; i++) {
        ds_put_format(&text, "%s%02x", i ? "." : "", (i * 7) & 0xff);
    }
    ds_put_cstr(&text, "),output:3");
    struct ofpacts o = OFPACTS_INITIALIZER;
    ck_assert_ptr_null(ofp_parse_actions(ds_cstr(&text), NULL, &o));
    ck_assert_uint_eq(o.acts[0].u.controller.userdata_len, 100);
    struct ofpbuf b = OFPBUF_INITIALIZER;
    ck_assert_int_eq(ofpacts_put_actions(o.acts, o.n, &b, OFP13_VERSION), 0);
    /* 16 header + 8 id + 4 + 100 userdata padded to 8, then output. */
    ck_assert_uint_eq(b.size, 16 + 8 + 104 + 16);
    struct ofpacts back = OFPACTS_INITIALIZER;
    ck_assert_int_eq(ofpacts_pull_actions(&b, b.size, OFP13_VERSION, &back),
                     0);
    ck_assert(ofpacts_equal(&o, &back));
    struct ds s = DS_EMPTY_INITIALIZER;
    ofpacts_format(&back, &s);
    ck_assert_str_eq(ds_cstr(&s), ds_cstr(&text));
    ds_destroy(&s);
    ds_destroy(&text);
    ofpbuf_uninit(&b);
    ofpacts_uninit(&o);
    ofpacts_uninit(&back);
}
END_TEST

START_TEST(test_controller2_bad_gets_exact_error)
{
    struct ofpacts o = OFPACTS_INITIALIZER;
    ck_assert_int_eq(decode_actions(golden_pause, OFP13_VERSION, &o),
                     OFPERR_OFPBAC_BAD_ARGUMENT);
    /* Unknown property 9. */
    ck_assert_int_eq(decode_actions("ffff0018000023200025000000000000"
                                    "0009000400000000", OFP13_VERSION, &o),
                     OFPERR_OFPBPC_BAD_TYPE);
    /* A property longer than the action. */
    ck_assert_int_eq(decode_actions("ffff0018000023200025000000000000"
                                    "0003001001020304", OFP10_VERSION, &o),
                     OFPERR_OFPBAC_BAD_LEN);
    /* max_len without its value. */
    ck_assert_int_eq(decode_actions("ffff0018000023200025000000000000"
                                    "0000000400000000", OFP10_VERSION, &o),
                     OFPERR_OFPBAC_BAD_LEN);
    /* No properties: a plain controller action, reason action. */
    ck_assert_int_eq(decode_actions("ffff0010000023200025000000000000",
                                    OFP10_VERSION, &o), 0);
    struct ds s = DS_EMPTY_INITIALIZER;
    ofpacts_format(&o, &s);
    ck_assert_str_eq(ds_cstr(&s), "CONTROLLER:65535");
    ds_destroy(&s);
    ofpacts_uninit(&o);

    char *error = ofp_parse_actions("controller(pause)", NULL, &o);
    ck_assert_ptr_nonnull(error);
    ck_assert_msg(strstr(error, "pause is not supported"), "%s", error);
    free(error);
    ofpacts_uninit(&o);
    error = ofp_parse_actions("controller(userdata=0g)", NULL, &o);
    ck_assert_ptr_nonnull(error);
    ck_assert_msg(strstr(error, "bad userdata"), "%s", error);
    free(error);
    ofpacts_uninit(&o);
}
END_TEST

START_TEST(test_set_packet_in_format_takes_0_1_2)
{
    for (uint32_t f = 0; f <= 3; f++) {
        struct ofpbuf *m = nx_set_packet_in_format_encode(f, OFP13_VERSION, 5);
        enum nx_packet_in_format got;
        ck_assert_int_eq(nx_set_packet_in_format_decode(m->data, m->size,
                                                        &got),
                         f <= 2 ? 0 : OFPERR_OFPBRC_EPERM);
        if (f <= 2) {
            ck_assert_int_eq(got, f);
        }
        ofpbuf_delete(m);
    }
    ck_assert_int_eq(nx_packet_in_format_from_string("nxt_packet_in2"),
                     NXPIF_NXT_PACKET_IN2);
    ck_assert_int_eq(nx_packet_in_format_from_string("standard"),
                     NXPIF_OPENFLOW10);
    ck_assert_int_eq(nx_packet_in_format_from_string("bogus"), -1);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("ofp-pin2");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_packet_in2_bytes_are_ovs_vswitchds);
    tcase_add_test(tc, test_packet_in2_prints_as_ovs_ofctl);
    tcase_add_test(tc, test_packet_in2_tunnel_and_metadata_in_ovs_order);
    tcase_add_test(tc, test_packet_in2_truncated_has_full_len_and_decodes);
    tcase_add_test(tc, test_packet_in2_bad_properties_get_exact_errors);
    tcase_add_test(tc, test_packet_in2_truncated_at_every_length_fails_cleanly);
    tcase_add_test(tc, test_controller2_bytes_are_ovs_ofctls);
    tcase_add_test(tc, test_controller2_long_userdata_roundtrip);
    tcase_add_test(tc, test_controller2_bad_gets_exact_error);
    tcase_add_test(tc, test_set_packet_in_format_takes_0_1_2);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
