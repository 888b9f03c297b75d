/* OpenFlow queue descriptions (see ofp-queue.h). */
#include <config.h>
#include "ofp-queue.h"
#include "match.h"
#include "ofp-buf.h"
#include "ofp-msgs.h"
#include "ofp-switch.h"

#define OFPQT_MIN_RATE 1
#define OFPQT_MAX_RATE 2

static bool
is_desc_multipart(uint8_t version)
{
    return version >= OFP14_VERSION;
}

struct ofpbuf *
ofp_queue_desc_request_encode(uint32_t port, uint32_t queue, uint8_t version,
                              uint32_t xid)
{
    struct ofpbuf *b;
    if (is_desc_multipart(version)) {
        b = ofpmsg_alloc(OFPTYPE_QUEUE_DESC_STATS_REQUEST, version, xid, 8);
        ofpbuf_put_be32(b, port);
        ofpbuf_put_be32(b, queue);
    } else if (version == OFP10_VERSION) {
        uint16_t p10 = 0xffff;
        ofp_port_to_ofp10(port, &p10);
        b = ofpmsg_alloc(OFPTYPE_QUEUE_GET_CONFIG_REQUEST, version, xid, 4);
        ofpbuf_put_be16(b, p10);
        ofpbuf_put_zeros(b, 2);
    } else {
        b = ofpmsg_alloc(OFPTYPE_QUEUE_GET_CONFIG_REQUEST, version, xid, 8);
        ofpbuf_put_be32(b, port);
        ofpbuf_put_zeros(b, 4);
    }
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_queue_desc_request_decode(const void *msg, size_t len, uint32_t *port,
                              uint32_t *queue)
{
    struct ofp_msg_header h;
    struct ofpbuf b;
    enum ofperr error = ofptype_decode(msg, len, &h, &b);
    if (error) {
        return error;
    }
    if (h.type != OFPTYPE_QUEUE_DESC_STATS_REQUEST
        && h.type != OFPTYPE_QUEUE_GET_CONFIG_REQUEST) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    const uint8_t *p = ofpbuf_try_pull(&b, h.version == OFP10_VERSION ? 4 : 8);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    *queue = OFPQ_ALL;
    if (h.version == OFP10_VERSION) {
        uint32_t p32 = ofp_port_from_ofp10(get_be16(p));
        /* OF1.0 has no "any port" here; OFPP_ALL is the nearest. */
        *port = p32 == OFPP_ALL ? OFPP_ANY : p32;
    } else {
        *port = get_be32(p);
        if (h.type == OFPTYPE_QUEUE_DESC_STATS_REQUEST) {
            *queue = get_be32(p + 4);
        }
    }
    return 0;
}

struct ofpbuf *
ofp_queue_get_config_reply_start(const struct ofp_msg_header *rq,
                                 uint32_t port)
{
    struct ofpbuf *b = ofpmsg_alloc_reply(OFPTYPE_QUEUE_GET_CONFIG_REPLY, rq,
                                          8);
    ofp_port_put_padded(b, port, rq->version);
    ofpmsg_update_length(b);
    return b;
}

/* An OF1.0-1.3 rate property (16 bytes). */
static void
put_old_rate_prop(struct ofpbuf *b, uint16_t type, uint16_t rate)
{
    ofpbuf_put_be16(b, type);
    ofpbuf_put_be16(b, 16);
    ofpbuf_put_zeros(b, 4);
    ofpbuf_put_be16(b, rate);
    ofpbuf_put_zeros(b, 6);
}

void
ofp_queue_desc_append(struct ofpbuf *b, uint8_t version,
                      const struct ofp_queue_desc *q)
{
    size_t start = b->size;
    bool has_max = q->max_rate != OFPQ_RATE_NONE && version != OFP10_VERSION;
    bool has_min = q->min_rate != OFPQ_RATE_NONE;

    if (is_desc_multipart(version)) {
        ofpbuf_put_be32(b, q->port_no);
        ofpbuf_put_be32(b, q->queue_id);
        ofpbuf_put_be16(b, 16 + 8 * (has_min + has_max));
        ofpbuf_put_zeros(b, 6);
        for (int i = 0; i < 2; i++) {
            if (i ? has_max : has_min) {
                ofpbuf_put_be16(b, i ? OFPQT_MAX_RATE : OFPQT_MIN_RATE);
                ofpbuf_put_be16(b, 8);
                ofpbuf_put_be16(b, i ? q->max_rate : q->min_rate);
                ofpbuf_put_zeros(b, 2);
            }
        }
    } else {
        ofpbuf_put_be32(b, q->queue_id);
        if (version != OFP10_VERSION) {
            ofpbuf_put_be32(b, q->port_no);
        }
        ofpbuf_put_be16(b, 0);              /* Length, set below. */
        ofpbuf_put_zeros(b, version == OFP10_VERSION ? 2 : 6);
        if (has_min) {
            put_old_rate_prop(b, OFPQT_MIN_RATE, q->min_rate);
        }
        if (has_max) {
            put_old_rate_prop(b, OFPQT_MAX_RATE, q->max_rate);
        }
        put_be16((uint8_t *) b->data + start + (version == OFP10_VERSION
                                                ? 4 : 8),
                 b->size - start);
    }
    ofpmsg_update_length(b);
}

enum ofperr
ofp_queue_desc_reply_start(struct ofpbuf *body, uint8_t version,
                           uint32_t *port)
{
    *port = OFPP_ANY;
    if (is_desc_multipart(version)) {
        return 0;
    }
    const uint8_t *p = ofpbuf_try_pull(body, 8);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    *port = version == OFP10_VERSION ? ofp_port_from_ofp10(get_be16(p))
            : get_be32(p);
    return 0;
}

enum ofperr
ofp_queue_desc_pull(struct ofpbuf *body, uint8_t version, uint32_t port,
                    struct ofp_queue_desc *q)
{
    bool mp = is_desc_multipart(version);
    size_t hdr = version == OFP10_VERSION ? 8 : 16;
    const uint8_t *p = body->size >= hdr ? body->data : NULL;
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    size_t len = get_be16(p + (mp ? 8 : version == OFP10_VERSION ? 4 : 8));
    if (len < hdr || len > body->size) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    q->port_no = mp ? get_be32(p) : version == OFP10_VERSION ? port
                 : get_be32(p + 4);
    q->queue_id = get_be32(p + (mp ? 4 : 0));
    q->min_rate = q->max_rate = OFPQ_RATE_NONE;
    /* Properties: type, length, then the rate (after 4 bytes of padding
     * before OF1.4).  Unknown ones are skipped. */
    for (size_t off = hdr; off + 4 <= len;) {
        uint16_t type = get_be16(p + off), plen = get_be16(p + off + 2);
        size_t rate_at = mp ? 4 : 8;
        if (plen < rate_at + 2 || off + plen > len) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        uint16_t rate = get_be16(p + off + rate_at);
        if (type == OFPQT_MIN_RATE) {
            q->min_rate = rate;
        } else if (type == OFPQT_MAX_RATE) {
            q->max_rate = rate;
        }
        off += plen;
    }
    ofpbuf_try_pull(body, len);
    return 0;
}
