/* Unit tests for groups, meters and bundles: syntax round trips, codec
 * round trips and the errors malformed messages get. */
#include <config.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dynamic-string.h"
#include "ofp-buf.h"
#include "ofp-bundle.h"
#include "ofp-flow.h"
#include "ofp-group.h"
#include "ofp-meter.h"
#include "ofp-msgs.h"
#include "ofp-parse.h"
#include "util.h"

#define V13 OFP13_VERSION
#define V14 OFP14_VERSION

static const struct { const char *in, *out; } groups[] = {
    { "group_id=1,type=select,bucket=output:1,bucket=weight:50,watch_port=3,actions=output:2",
      "ADD group_id=1,type=select,bucket=actions=output:1,bucket=weight:50,watch_port:3,actions=output:2" },
    { "group_id=7,type=ff,bucket=watch_port:1,actions=output:1,bucket=watch_port:2,actions=output:2",
      "ADD group_id=7,type=ff,bucket=watch_port:1,actions=output:1,bucket=watch_port:2,actions=output:2" },
    { "group_id=9,type=indirect,bucket=actions=mod_dl_src:00:00:00:00:00:01,output:3",
      "ADD group_id=9,type=indirect,bucket=actions=set_field:00:00:00:00:00:01->eth_src,output:3" },
    { "group_id=2,type=all,bucket=output:1,bucket=output:2,bucket=output:3",
      "ADD group_id=2,type=all,bucket=actions=output:1,bucket=actions=output:2,bucket=actions=output:3" },
};

START_TEST(test_group_syntax_codec_roundtrip)
{
    for (uint8_t v = V13; v <= V14; v++) {
        struct ofp_group_mod gm, gm2;
        ofp_group_mod_init(&gm);
        ofp_group_mod_init(&gm2);
        char *error = ofp_parse_group_mod(groups[_i].in, OFPGC_ADD, &gm);
        ck_assert_msg(!error, "%s", error);
        struct ofpbuf *b;
        ck_assert_int_eq(ofp_group_mod_encode(&gm, v, 1, &b), 0);
        ck_assert_int_eq(ofp_group_mod_decode(b->data, b->size, &gm2), 0);
        struct ds s = DS_EMPTY_INITIALIZER;
        ofp_group_mod_format(&gm2, &s);
        ck_assert_str_eq(ds_cstr(&s), groups[_i].out);
        ds_destroy(&s);

        /* Group desc entries carry the same buckets. */
        struct ofp_msg_header rq = { .version = v, .xid = 2 };
        struct ofpbuf *reply = ofpmsg_alloc_reply(OFPTYPE_GROUP_DESC_STATS_REPLY, &rq, 0);
        ck_assert_int_eq(ofp_group_desc_append(reply, v, &gm), 0);
        struct ofp_msg_header h;
        struct ofpbuf body;
        ck_assert_int_eq(ofptype_decode(reply->data, reply->size, &h, &body), 0);
        ck_assert_int_eq(ofp_group_desc_pull(&body, v, &gm2), 0);
        ck_assert_uint_eq(gm2.n_buckets, gm.n_buckets);
        ck_assert_uint_eq(gm2.group_id, gm.group_id);
        ofpbuf_delete(reply);
        ofpbuf_delete(b);
        ofp_group_mod_uninit(&gm);
        ofp_group_mod_uninit(&gm2);
    }
}
END_TEST

/* What ovs-ofctl -O OpenFlow15 add-group sends for groups[0] (captured):
 * our encoding must be byte for byte the same. */
START_TEST(test_group_of15_matches_ovs_ofctl_bytes)
{
    static const char *hex =
        "060f006000000002000001000000000100480000ffffffff0020001000000000"
        "0000001000000001000000000000000000000008000100000028001000000001"
        "0000001000000002000000000000000000000008003200000001000800000003";
    uint8_t want[96];
    for (size_t i = 0; i < sizeof want; i++) {
        unsigned int byte;
        sscanf(hex + 2 * i, "%2x", &byte);
        want[i] = byte;
    }
    struct ofp_group_mod gm, gm2;
    ofp_group_mod_init(&gm);
    ofp_group_mod_init(&gm2);
    ck_assert_ptr_null(ofp_parse_group_mod(groups[0].in, OFPGC_ADD, &gm));
    struct ofpbuf *b;
    ck_assert_int_eq(ofp_group_mod_encode(&gm, OFP15_VERSION, 2, &b), 0);
    ck_assert_uint_eq(b->size, sizeof want);
    ck_assert(!memcmp(b->data, want, sizeof want));
    ck_assert_int_eq(ofp_group_mod_decode(want, sizeof want, &gm2), 0);
    struct ds s = DS_EMPTY_INITIALIZER;
    ofp_group_mod_format(&gm2, &s);
    ck_assert_str_eq(ds_cstr(&s), "ADD group_id=1,type=select,bucket=bucket_id:0,"
                     "actions=output:1,bucket=bucket_id:1,weight:50,watch_port:3,"
                     "actions=output:2");
    ds_destroy(&s);

    struct ofp_msg_header rq = { .version = OFP15_VERSION, .xid = 2 };
    struct ofpbuf *reply = ofpmsg_alloc_reply(OFPTYPE_GROUP_DESC_STATS_REPLY, &rq, 0);
    ck_assert_int_eq(ofp_group_desc_append(reply, OFP15_VERSION, &gm), 0);
    struct ofp_msg_header h;
    struct ofpbuf body;
    ck_assert_int_eq(ofptype_decode(reply->data, reply->size, &h, &body), 0);
    ck_assert_int_eq(ofp_group_desc_pull(&body, OFP15_VERSION, &gm2), 0);
    ck_assert_uint_eq(gm2.n_buckets, 2);
    ck_assert_uint_eq(gm2.buckets[1].weight, 50);
    ck_assert_uint_eq(gm2.buckets[1].watch_port, 3);
    ofpbuf_delete(reply);
    ofpbuf_delete(b);
    ofp_group_mod_uninit(&gm);
    ofp_group_mod_uninit(&gm2);
}
END_TEST

START_TEST(test_group_errors)
{
    struct ofp_group_mod gm;
    ofp_group_mod_init(&gm);
    char *error = ofp_parse_group_mod("group_id=1,type=indirect,bucket=output:1,"
                                      "bucket=output:2", OFPGC_ADD, &gm);
    ck_assert_ptr_nonnull(error);
    ck_assert(strstr(error, "OFPGMFC_INVALID_GROUP"));
    free(error);
    error = ofp_parse_group_mod("type=all,bucket=output:1", OFPGC_ADD, &gm);
    ck_assert_str_eq(error, "must specify a group_id");
    free(error);

    ck_assert_ptr_null(ofp_parse_group_mod("group_id=3,type=select,bucket=output:1",
                                           OFPGC_ADD, &gm));
    struct ofpbuf *b;
    ck_assert_int_eq(ofp_group_mod_encode(&gm, V13, 1, &b), 0);
    b->data[10] = 9;                        /* Unknown group type. */
    ck_assert_int_eq(ofp_group_mod_decode(b->data, b->size, &gm), OFPERR_OFPGMFC_BAD_TYPE);
    b->data[10] = OFPGT_SELECT;
    put_be16(b->data + 8, 7);               /* Unknown command. */
    ck_assert_int_eq(ofp_group_mod_decode(b->data, b->size, &gm), OFPERR_OFPGMFC_BAD_COMMAND);
    put_be16(b->data + 8, OFPGC_ADD);
    put_be16(b->data + 16, 12);             /* Bucket length not a multiple of 8. */
    ck_assert_int_eq(ofp_group_mod_decode(b->data, b->size, &gm), OFPERR_OFPGMFC_BAD_BUCKET);
    ofpbuf_delete(b);
    ofp_group_mod_uninit(&gm);
}
END_TEST

START_TEST(test_meter_syntax_codec_and_errors)
{
    static const struct { const char *in, *out; } meters[] = {
        { "meter=1,kbps,band=type=drop,rate=1000", "ADD meter=1 kbps bands=\ntype=drop rate=1000" },
        { "meter=2,pktps,burst,stats,band=type=dscp_remark,rate=100,burst_size=10,prec_level=1",
          "ADD meter=2 pktps burst stats bands=\ntype=dscp_remark rate=100 burst_size=10 prec_level=1" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(meters); i++) {
        struct ofp_meter_mod mm, mm2;
        ofp_meter_mod_init(&mm);
        ofp_meter_mod_init(&mm2);
        char *error = ofp_parse_meter_mod(meters[i].in, OFPMC_ADD, &mm);
        ck_assert_msg(!error, "%s", error);
        struct ofpbuf *b;
        ck_assert_int_eq(ofp_meter_mod_encode(&mm, V13, 1, &b), 0);
        ck_assert_int_eq(ofp_meter_mod_decode(b->data, b->size, &mm2), 0);
        struct ds s = DS_EMPTY_INITIALIZER;
        ofp_meter_mod_format(&mm2, &s);
        ck_assert_str_eq(ds_cstr(&s), meters[i].out);
        ds_destroy(&s);

        put_be32(b->data + 20, 0);          /* Rate 0. */
        ck_assert_int_eq(ofp_meter_mod_decode(b->data, b->size, &mm2), OFPERR_OFPMMFC_BAD_RATE);
        put_be16(b->data + 16, 9);          /* Unknown band type. */
        ck_assert_int_eq(ofp_meter_mod_decode(b->data, b->size, &mm2), OFPERR_OFPMMFC_BAD_BAND);
        put_be16(b->data + 10, OFPMF_KBPS | OFPMF_PKTPS);
        ck_assert_int_eq(ofp_meter_mod_decode(b->data, b->size, &mm2), OFPERR_OFPMMFC_BAD_BAND);
        ofpbuf_delete(b);
        ofp_meter_mod_uninit(&mm);
        ofp_meter_mod_uninit(&mm2);
    }
    struct ofp_meter_mod mm;
    ofp_meter_mod_init(&mm);
    char *error = ofp_parse_meter_mod("meter=1,band=type=drop,rate=10", OFPMC_ADD, &mm);
    ck_assert(error && strstr(error, "OFPMMFC_BAD_FLAGS"));
    free(error);
    error = ofp_parse_meter_mod("meter=1,kbps,band=type=drop,rate=10,burst_size=5",
                                OFPMC_ADD, &mm);
    ck_assert(error && strstr(error, "OFPMMFC_BAD_BURST"));
    free(error);
    ofp_meter_mod_uninit(&mm);
}
END_TEST

START_TEST(test_bundle_control_and_add)
{
    struct ofp_bundle_ctrl bc = { 42, OFPBCT_COMMIT_REQUEST, OFPBF_ATOMIC | OFPBF_ORDERED }, bc2;
    struct ofpbuf *b = ofp_bundle_ctrl_encode(&bc, V14, 5);
    ck_assert_int_eq(ofp_bundle_ctrl_decode(b->data, b->size, &bc2), 0);
    ck_assert_uint_eq(bc2.bundle_id, 42);
    ck_assert_uint_eq(bc2.type, OFPBCT_COMMIT_REQUEST);
    ck_assert_uint_eq(bc2.flags, OFPBF_ATOMIC | OFPBF_ORDERED);
    put_be16(b->data + 12, 9);
    ck_assert_int_eq(ofp_bundle_ctrl_decode(b->data, b->size, &bc2), OFPERR_OFPBFC_BAD_TYPE);
    ofpbuf_delete(b);

    /* Bundles do not exist before OF1.4. */
    static const uint8_t ctrl13[] = { 0x04, 33, 0, 16, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0 };
    ck_assert_int_eq(ofp_bundle_ctrl_decode(ctrl13, sizeof ctrl13, &bc2),
                     OFPERR_OFPBRC_BAD_TYPE);

    struct ofp_flow_mod fm;
    ofp_flow_mod_init(&fm);
    ck_assert_ptr_null(ofp_parse_flow_mod("ip,actions=output:1", OFPFC_ADD, &fm));
    struct ofpbuf *inner;
    ck_assert_int_eq(ofp_flow_mod_encode(&fm, V14, 77, &inner), 0);
    b = ofp_bundle_add_encode(42, OFPBF_ATOMIC, inner->data, inner->size, V14, 77);
    struct ofp_bundle_add ba;
    ck_assert_int_eq(ofp_bundle_add_decode(b->data, b->size, &ba), 0);
    ck_assert_uint_eq(ba.bundle_id, 42);
    ck_assert_uint_eq(ba.msg_len, inner->size);
    struct ofp_flow_mod fm2;
    ofp_flow_mod_init(&fm2);
    ck_assert_int_eq(ofp_flow_mod_decode(ba.msg, ba.msg_len, &fm2), 0);
    ofp_flow_mod_uninit(&fm2);
    ofpbuf_delete(b);

    /* Inner xid must match the outer one. */
    b = ofp_bundle_add_encode(42, 0, inner->data, inner->size, V14, 78);
    ck_assert_int_eq(ofp_bundle_add_decode(b->data, b->size, &ba), OFPERR_OFPBFC_MSG_BAD_XID);
    ofpbuf_delete(b);
    /* Inner length past the end. */
    b = ofp_bundle_add_encode(42, 0, inner->data, inner->size, V14, 77);
    put_be16(b->data + 16 + 2, inner->size + 8);
    ck_assert_int_eq(ofp_bundle_add_decode(b->data, b->size, &ba), OFPERR_OFPBFC_MSG_BAD_LEN);
    ofpbuf_delete(b);
    /* A barrier cannot go in a bundle. */
    static const uint8_t barrier[] = { 0x05, 20, 0, 8, 0, 0, 0, 77 };
    b = ofp_bundle_add_encode(42, 0, barrier, sizeof barrier, V14, 77);
    ck_assert_int_eq(ofp_bundle_add_decode(b->data, b->size, &ba), OFPERR_OFPBFC_MSG_UNSUP);
    ofpbuf_delete(b);
    ofpbuf_delete(inner);
    ofp_flow_mod_uninit(&fm);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("ofp-group");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_group_syntax_codec_roundtrip, 0, ARRAY_SIZE(groups));
    tcase_add_test(tc, test_group_of15_matches_ovs_ofctl_bytes);
    tcase_add_test(tc, test_group_errors);
    tcase_add_test(tc, test_meter_syntax_codec_and_errors);
    tcase_add_test(tc, test_bundle_control_and_add);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
