/* Bundle control and bundle add messages. */
#include <config.h>
#include "ofp-bundle.h"

#include <string.h>
#include "ofp-buf.h"
#include "ofp-msgs.h"
#include "ofp-prop.h"
#include "util.h"

struct ofpbuf *
ofp_bundle_ctrl_encode(const struct ofp_bundle_ctrl *bc, uint8_t version,
                       uint32_t xid)
{
    struct ofpbuf *b = ofpmsg_alloc(OFPTYPE_BUNDLE_CONTROL, version, xid, 8);
    ofpbuf_put_be32(b, bc->bundle_id);
    ofpbuf_put_be16(b, bc->type);
    ofpbuf_put_be16(b, bc->flags);
    ofpmsg_update_length(b);
    return b;
}

/* Properties: only experimenter ones exist; check their framing. */
static enum ofperr
check_properties(const uint8_t *p, size_t len)
{
    struct ofpbuf props;
    ofpbuf_use_const(&props, p, len);
    while (props.size) {
        uint16_t type;
        struct ofpbuf v;
        enum ofperr error = ofpprop_pull(&props, &type, &v);
        if (error) {
            return error;
        }
        if (type != 0xffff) {
            return OFPERR_OFPBPC_BAD_TYPE;
        }
    }
    return 0;
}

enum ofperr
ofp_bundle_ctrl_decode(const void *msg, size_t len, struct ofp_bundle_ctrl *bc)
{
    struct ofp_msg_header h;
    struct ofpbuf b;
    enum ofperr error = ofptype_decode(msg, len, &h, &b);
    if (error) {
        return error;
    }
    if (h.type != OFPTYPE_BUNDLE_CONTROL) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    const uint8_t *p = ofpbuf_try_pull(&b, 8);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    bc->bundle_id = get_be32(p);
    bc->type = get_be16(p + 4);
    bc->flags = get_be16(p + 6);
    if (bc->type > OFPBCT_DISCARD_REPLY) {
        return OFPERR_OFPBFC_BAD_TYPE;
    }
    if (bc->flags & ~(OFPBF_ATOMIC | OFPBF_ORDERED)) {
        return OFPERR_OFPBFC_BAD_FLAGS;
    }
    return check_properties(b.data, b.size);
}

struct ofpbuf *
ofp_bundle_add_encode(uint32_t bundle_id, uint16_t flags, const void *inner,
                      size_t inner_len, uint8_t version, uint32_t xid)
{
    struct ofpbuf *b = ofpmsg_alloc(OFPTYPE_BUNDLE_ADD_MESSAGE, version, xid,
                                    8 + inner_len + 8);
    ofpbuf_put_be32(b, bundle_id);
    ofpbuf_put_zeros(b, 2);
    ofpbuf_put_be16(b, flags);
    ofpbuf_put(b, inner, inner_len);
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_bundle_add_decode(const void *msg, size_t len, struct ofp_bundle_add *ba)
{
    struct ofp_msg_header h, ih;
    struct ofpbuf b;
    enum ofperr error = ofptype_decode(msg, len, &h, &b);
    if (error) {
        return error;
    }
    if (h.type != OFPTYPE_BUNDLE_ADD_MESSAGE) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    const uint8_t *p = ofpbuf_try_pull(&b, 8);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    ba->bundle_id = get_be32(p);
    ba->flags = get_be16(p + 6);
    if (ba->flags & ~(OFPBF_ATOMIC | OFPBF_ORDERED)) {
        return OFPERR_OFPBFC_BAD_FLAGS;
    }
    int inner_len = ofp_frame_length(b.data, b.size);
    if (inner_len <= 0 || (size_t) inner_len > b.size) {
        return OFPERR_OFPBFC_MSG_BAD_LEN;
    }
    ba->msg = b.data;
    ba->msg_len = inner_len;
    if (ba->msg[0] != h.version) {
        return OFPERR_OFPBFC_MSG_BAD_LEN;
    }
    if (get_be32(ba->msg + 4) != h.xid) {
        return OFPERR_OFPBFC_MSG_BAD_XID;
    }
    error = ofptype_decode(ba->msg, ba->msg_len, &ih, NULL);
    if (error) {
        return error;
    }
    switch (ih.type) {
    case OFPTYPE_FLOW_MOD: case OFPTYPE_GROUP_MOD: case OFPTYPE_METER_MOD:
    case OFPTYPE_PORT_MOD: case OFPTYPE_PACKET_OUT:
        break;
    default:
        return OFPERR_OFPBFC_MSG_UNSUP;
    }
    /* Properties follow the inner message, which is padded to 8 bytes. */
    size_t padded = MIN((size_t) ROUND_UP(inner_len, 8), b.size);
    return check_properties(b.data + padded, b.size - padded);
}
