/* NXT_PACKET_IN2 (see ofp-packet-in2.h). */
#include <config.h>
#include "ofp-packet-in2.h"

#include <inttypes.h>
#include <string.h>
#include "dynamic-string.h"
#include "match.h"
#include "nxm.h"
#include "ofp-actions.h"
#include "ofp-buf.h"
#include "ofp-flow.h"
#include "ofp-msgs.h"
#include "ofp-nx.h"
#include "ofp-print.h"
#include "ofp-prop.h"
#include "ofp-switch.h"
#include "oxm.h"
#include "util.h"

/* Open vSwitch keeps every reason an OpenFlow 1.0 connection knows from
 * NXT_PACKET_IN (invalid_ttl too); those of OF1.4 become "action" before
 * it. */
static uint8_t
reason_for_version(uint8_t reason, uint8_t version)
{
    return version < OFP14_VERSION && reason > OFPR_INVALID_TTL
           ? OFPR_ACTION : reason;
}

/* The metadata fields in Open vSwitch's order (in_port, tun_id,
 * registers, metadata) and with its headers: before OpenFlow 1.3 the
 * tunnel id is NXM_NX_TUN_ID (class 1, field 16), OXM_OF_TUNNEL_ID does
 * not exist yet.  Captured from ovs-vswitchd 3.1, see test-ofp-pin2.c. */
static void
put_metadata(struct ofpbuf *b, const struct ofp_packet_in *pin,
             uint8_t version)
{
    struct match all, one;
    ofp_packet_in_match(pin, &all);

    match_init_catchall(&one);
    match_set_in_port(&one, all.flow.in_port);
    oxm_put_fields(b, &one, version);

    if (all.flow.tun_id) {
        if (version < OFP13_VERSION) {
            ofpbuf_put_be16(b, 0x0001);         /* NXM_NX_TUN_ID. */
            ofpbuf_put_u8(b, 16 << 1);
            ofpbuf_put_u8(b, 8);
            ofpbuf_put(b, &all.flow.tun_id, 8);
        } else {
            match_init_catchall(&one);
            match_set_tun_id_masked(&one, all.flow.tun_id, UINT64_MAX);
            oxm_put_fields(b, &one, version);
        }
    }

    match_init_catchall(&one);
    memcpy(one.flow.regs, all.flow.regs, sizeof one.flow.regs);
    memcpy(one.wc.masks.regs, all.wc.masks.regs, sizeof one.wc.masks.regs);
    oxm_put_fields(b, &one, version);

    if (all.flow.metadata) {
        match_init_catchall(&one);
        match_set_metadata_masked(&one, all.flow.metadata, UINT64_MAX);
        oxm_put_fields(b, &one, version);
    }
}

struct ofpbuf *
nx_packet_in2_encode(const struct ofp_packet_in *pin, uint8_t version,
                     uint16_t max_len)
{
    size_t n = ofp_packet_in_data_len(pin, max_len);
    struct ofpbuf *b = ofpraw_alloc(OFPT_EXPERIMENTER, version, 0,
                                    128 + n + pin->userdata_len);
    ofpbuf_put_be32(b, NX_VENDOR_ID);
    ofpbuf_put_be32(b, NXT_PACKET_IN2);

    ofpprop_put(b, NXPINT_PACKET, pin->packet, n);
    size_t full_len = pin->total_len ? pin->total_len : pin->packet_len;
    if (n != full_len) {
        ofpprop_put_be32(b, NXPINT_FULL_LEN, full_len);
    }
    if (pin->buffer_id != OFP_NO_BUFFER) {
        ofpprop_put_be32(b, NXPINT_BUFFER_ID, pin->buffer_id);
    }
    ofpprop_put_u8(b, NXPINT_TABLE_ID, pin->table_id);
    if (pin->cookie != UINT64_MAX) {
        ofpprop_put_be64(b, NXPINT_COOKIE, pin->cookie);
    }
    ofpprop_put_u8(b, NXPINT_REASON, reason_for_version(pin->reason, version));

    size_t start = ofpprop_start(b, NXPINT_METADATA);
    put_metadata(b, pin, version);
    ofpprop_end(b, start);

    if (pin->userdata_len) {
        ofpprop_put(b, NXPINT_USERDATA, pin->userdata, pin->userdata_len);
    }
    ofpmsg_update_length(b);
    return b;
}

/* Applies one property to 'pin'; '*have_packet' is set by the packet. */
static enum ofperr
decode_prop(uint16_t type, const struct ofpbuf *v, struct ofp_packet_in *pin,
            bool *have_packet, uint32_t *full_len)
{
    switch (type) {
    case NXPINT_PACKET:
        pin->packet = v->data;
        pin->packet_len = v->size;
        *have_packet = true;
        return 0;
    case NXPINT_FULL_LEN:
        return ofpprop_parse_be32(v, full_len);
    case NXPINT_BUFFER_ID:
        return ofpprop_parse_be32(v, &pin->buffer_id);
    case NXPINT_TABLE_ID:
        return ofpprop_parse_u8(v, &pin->table_id);
    case NXPINT_COOKIE:
        return ofpprop_parse_be64(v, &pin->cookie);
    case NXPINT_REASON:
        return ofpprop_parse_u8(v, &pin->reason);
    case NXPINT_METADATA:
        /* NXM_NX_TUN_ID before OF1.3, OXM TLVs otherwise. */
        return nxm_decode_fields(v->data, v->size, &pin->metadata);
    case NXPINT_USERDATA:
        pin->userdata = v->data;
        pin->userdata_len = v->size;
        return 0;
    case NXPINT_CONTINUATION:
        return 0;               /* Only for controller(pause): ignored. */
    default:
        return OFPERR_OFPBPC_BAD_TYPE;
    }
}

enum ofperr
nx_packet_in2_decode(const void *msg, size_t len, struct ofp_packet_in *pin)
{
    if (nx_msg_subtype(msg, len) != NXT_PACKET_IN2) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    memset(pin, 0, sizeof *pin);
    pin->buffer_id = OFP_NO_BUFFER;
    pin->cookie = UINT64_MAX;
    match_init_catchall(&pin->metadata);

    struct ofpbuf props;
    ofpbuf_use_const(&props, (const uint8_t *) msg + NX_HEADER_LEN,
                     len - NX_HEADER_LEN);
    bool have_packet = false;
    uint32_t full_len = UINT32_MAX;
    while (props.size) {
        uint16_t type;
        struct ofpbuf v;
        enum ofperr error = ofpprop_pull(&props, &type, &v);
        if (!error) {
            error = decode_prop(type, &v, pin, &have_packet, &full_len);
        }
        if (error) {
            return error;
        }
    }
    if (!have_packet) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    full_len = full_len == UINT32_MAX ? pin->packet_len : full_len;
    pin->total_len = MIN(full_len, UINT16_MAX);
    return 0;
}

void
nx_packet_in2_format(const void *msg, size_t len,
                     const struct ofp_msg_header *h, struct ds *s)
{
    ds_put_format(s, "NXT_PACKET_IN2%s (xid=0x%"PRIx32"):",
                  ofp_version_tag(h->version), h->xid);
    struct ofp_packet_in pin;
    enum ofperr error = nx_packet_in2_decode(msg, len, &pin);
    if (error) {
        ds_put_format(s, " ***decode error: %s***", ofperr_get_name(error));
        return;
    }
    if (pin.table_id) {
        ds_put_format(s, " table_id=%u", pin.table_id);
    }
    if (pin.cookie != UINT64_MAX) {
        ds_put_format(s, " cookie=0x%"PRIx64, pin.cookie);
    }
    ofp_packet_in_format_body(&pin, s);
    if (pin.userdata_len) {
        ds_put_cstr(s, "\n userdata=");
        ds_put_dotted_hex(s, pin.userdata, pin.userdata_len);
    }
}
