/* Unit tests for lib/ofp-queue: queue config requests and replies in
 * OF1.0, 1.3 and 1.4, byte layouts the specs give, and the errors
 * malformed replies get. */
#include <config.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"
#include "ofp-buf.h"
#include "ofp-msgs.h"
#include "ofp-queue.h"
#include "ofp-switch.h"
#include "test-util.h"

static const uint8_t versions[] = { OFP10_VERSION, OFP13_VERSION,
                                    OFP14_VERSION };

/* Builds a reply of version 'v' with two queues of port 3 and decodes it. */
START_TEST(test_queue_desc_reply_roundtrip)
{
    uint8_t v = versions[_i];
    struct ofp_msg_header rq = { .version = v, .xid = 9 };
    struct ofp_queue_desc in[2] = {
        { .port_no = 3, .queue_id = 0, .min_rate = 10, .max_rate = 500 },
        { .port_no = 3, .queue_id = 7, .min_rate = OFPQ_RATE_NONE,
          .max_rate = 20 },
    };
    struct ofpbuf *b;
    if (v >= OFP14_VERSION) {
        b = ofpmsg_alloc_reply(OFPTYPE_QUEUE_DESC_STATS_REPLY, &rq, 0);
    } else {
        b = ofp_queue_get_config_reply_start(&rq, 3);
    }
    for (int i = 0; i < 2; i++) {
        ofp_queue_desc_append(b, v, &in[i]);
    }

    struct ofp_msg_header h;
    struct ofpbuf body;
    uint32_t port;
    ck_assert_int_eq(ofptype_decode(b->data, b->size, &h, &body), 0);
    ck_assert_int_eq(h.type, v >= OFP14_VERSION
                     ? OFPTYPE_QUEUE_DESC_STATS_REPLY
                     : OFPTYPE_QUEUE_GET_CONFIG_REPLY);
    ck_assert_int_eq(ofp_queue_desc_reply_start(&body, v, &port), 0);
    ck_assert_uint_eq(port, v >= OFP14_VERSION ? OFPP_ANY : 3);
    for (int i = 0; i < 2; i++) {
        struct ofp_queue_desc q;
        ck_assert_int_eq(ofp_queue_desc_pull(&body, v, port, &q), 0);
        ck_assert_uint_eq(q.port_no, 3);
        ck_assert_uint_eq(q.queue_id, in[i].queue_id);
        ck_assert_uint_eq(q.min_rate, in[i].min_rate);
        /* OF1.0 has no maximum rate property. */
        ck_assert_uint_eq(q.max_rate, v == OFP10_VERSION ? OFPQ_RATE_NONE
                          : in[i].max_rate);
    }
    ck_assert_uint_eq(body.size, 0);
    ofpbuf_delete(b);
}
END_TEST

/* The OF1.3 layout: ofp_packet_queue (16 bytes) then 16-byte rate
 * properties; the OF1.4 one: ofp_queue_desc (16) then 8-byte ones. */
START_TEST(test_queue_desc_bytes_match_spec)
{
    struct ofp_msg_header rq13 = { .version = OFP13_VERSION, .xid = 1 };
    struct ofp_queue_desc q = { .port_no = 2, .queue_id = 1,
                                .min_rate = 100, .max_rate = 1000 };
    struct ofpbuf *b = ofp_queue_get_config_reply_start(&rq13, 2);
    ofp_queue_desc_append(b, OFP13_VERSION, &q);
    static const uint8_t want13[] = {
        0x04, 23, 0, 64, 0, 0, 0, 1,        /* Header. */
        0, 0, 0, 2, 0, 0, 0, 0,             /* port, pad. */
        0, 0, 0, 1, 0, 0, 0, 2, 0, 48, 0, 0, 0, 0, 0, 0,    /* queue. */
        0, 1, 0, 16, 0, 0, 0, 0, 0, 100, 0, 0, 0, 0, 0, 0,  /* min. */
        0, 2, 0, 16, 0, 0, 0, 0, 0x03, 0xe8, 0, 0, 0, 0, 0, 0, /* max. */
    };
    ck_assert_uint_eq(b->size, sizeof want13);
    ck_assert(!memcmp(b->data, want13, sizeof want13));
    ofpbuf_delete(b);

    struct ofp_msg_header rq14 = { .version = OFP14_VERSION, .xid = 1 };
    b = ofpmsg_alloc_reply(OFPTYPE_QUEUE_DESC_STATS_REPLY, &rq14, 0);
    ofp_queue_desc_append(b, OFP14_VERSION, &q);
    static const uint8_t want14[] = {
        0x05, 19, 0, 48, 0, 0, 0, 1, 0, 15, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 2, 0, 0, 0, 1, 0, 32, 0, 0, 0, 0, 0, 0,
        0, 1, 0, 8, 0, 100, 0, 0,
        0, 2, 0, 8, 0x03, 0xe8, 0, 0,
    };
    ck_assert_uint_eq(b->size, sizeof want14);
    ck_assert(!memcmp(b->data, want14, sizeof want14));
    ofpbuf_delete(b);
}
END_TEST

START_TEST(test_queue_desc_request_roundtrip)
{
    uint8_t v = versions[_i];
    struct ofpbuf *b = ofp_queue_desc_request_encode(5, v >= OFP14_VERSION
                                                     ? 2 : OFPQ_ALL, v, 4);
    uint32_t port, queue;
    ck_assert_int_eq(ofp_queue_desc_request_decode(b->data, b->size, &port,
                                                   &queue), 0);
    ck_assert_uint_eq(port, 5);
    ck_assert_uint_eq(queue, v >= OFP14_VERSION ? 2 : OFPQ_ALL);
    /* Cut short: the port does not fit. */
    ck_assert_int_eq(ofp_queue_desc_request_decode(b->data, b->size - 4,
                                                   &port, &queue) != 0, 1);
    ofpbuf_delete(b);
}
END_TEST

START_TEST(test_queue_desc_malformed)
{
    struct ofp_msg_header rq = { .version = OFP13_VERSION, .xid = 1 };
    struct ofp_queue_desc q = { .port_no = 2, .queue_id = 1,
                                .min_rate = 100, .max_rate = 1000 };
    struct ofpbuf *b = ofp_queue_get_config_reply_start(&rq, 2);
    ofp_queue_desc_append(b, OFP13_VERSION, &q);
    struct ofp_msg_header h;
    struct ofpbuf body;
    uint32_t port;

    /* A queue length past the end of the message. */
    put_be16((uint8_t *) b->data + 16 + 8, 200);
    ck_assert_int_eq(ofptype_decode(b->data, b->size, &h, &body), 0);
    ck_assert_int_eq(ofp_queue_desc_reply_start(&body, h.version, &port), 0);
    ck_assert_int_eq(ofp_queue_desc_pull(&body, h.version, port, &q),
                     OFPERR_OFPBRC_BAD_LEN);
    /* A property of length 0 (would loop forever). */
    put_be16((uint8_t *) b->data + 16 + 8, 48);
    put_be16((uint8_t *) b->data + 32 + 2, 0);
    ck_assert_int_eq(ofptype_decode(b->data, b->size, &h, &body), 0);
    ck_assert_int_eq(ofp_queue_desc_reply_start(&body, h.version, &port), 0);
    ck_assert_int_eq(ofp_queue_desc_pull(&body, h.version, port, &q),
                     OFPERR_OFPBRC_BAD_LEN);
    ofpbuf_delete(b);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("ofp-queue");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_queue_desc_reply_roundtrip, 0,
                        ARRAY_SIZE(versions));
    tcase_add_test(tc, test_queue_desc_bytes_match_spec);
    tcase_add_loop_test(tc, test_queue_desc_request_roundtrip, 0,
                        ARRAY_SIZE(versions));
    tcase_add_test(tc, test_queue_desc_malformed);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
