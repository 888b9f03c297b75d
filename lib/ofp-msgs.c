/* OpenFlow framing: message classification, headers, hello, echo, error. */
#include <config.h>
#include "ofp-msgs.h"

#include <string.h>
#include <strings.h>
#include "ofp-buf.h"
#include "util.h"

struct ofptype_info {
    const char *name;
    int type10;         /* OF1.0 wire type, -1 if none. */
    int type11;         /* OF1.1+ wire type, -1 if none. */
    uint8_t min_version, max_version;   /* For OF1.1+ encodings. */
    int mp_type;        /* Multipart type, -1 if not multipart. */
    bool mp_reply;
};

#define V10 OFP10_VERSION
#define V13 OFP13_VERSION
#define V14 OFP14_VERSION
#define V15 OFP15_VERSION

static const struct ofptype_info types[OFPTYPE_N_TYPES] = {
    [OFPTYPE_HELLO] = { "OFPT_HELLO", 0, 0, V13, V15, -1, false },
    [OFPTYPE_ERROR] = { "OFPT_ERROR", 1, 1, V13, V15, -1, false },
    [OFPTYPE_ECHO_REQUEST] = { "OFPT_ECHO_REQUEST", 2, 2, V13, V15, -1, false },
    [OFPTYPE_ECHO_REPLY] = { "OFPT_ECHO_REPLY", 3, 3, V13, V15, -1, false },
    [OFPTYPE_EXPERIMENTER] = { "OFPT_EXPERIMENTER", 4, 4, V13, V15, -1, false },
    [OFPTYPE_FEATURES_REQUEST] = { "OFPT_FEATURES_REQUEST", 5, 5, V13, V15, -1, false },
    [OFPTYPE_FEATURES_REPLY] = { "OFPT_FEATURES_REPLY", 6, 6, V13, V15, -1, false },
    [OFPTYPE_GET_CONFIG_REQUEST] = { "OFPT_GET_CONFIG_REQUEST", 7, 7, V13, V15, -1, false },
    [OFPTYPE_GET_CONFIG_REPLY] = { "OFPT_GET_CONFIG_REPLY", 8, 8, V13, V15, -1, false },
    [OFPTYPE_SET_CONFIG] = { "OFPT_SET_CONFIG", 9, 9, V13, V15, -1, false },
    [OFPTYPE_PACKET_IN] = { "OFPT_PACKET_IN", 10, 10, V13, V15, -1, false },
    [OFPTYPE_FLOW_REMOVED] = { "OFPT_FLOW_REMOVED", 11, 11, V13, V15, -1, false },
    [OFPTYPE_PORT_STATUS] = { "OFPT_PORT_STATUS", 12, 12, V13, V15, -1, false },
    [OFPTYPE_PACKET_OUT] = { "OFPT_PACKET_OUT", 13, 13, V13, V15, -1, false },
    [OFPTYPE_FLOW_MOD] = { "OFPT_FLOW_MOD", 14, 14, V13, V15, -1, false },
    [OFPTYPE_GROUP_MOD] = { "OFPT_GROUP_MOD", -1, 15, V13, V15, -1, false },
    [OFPTYPE_PORT_MOD] = { "OFPT_PORT_MOD", 15, 16, V13, V15, -1, false },
    [OFPTYPE_TABLE_MOD] = { "OFPT_TABLE_MOD", -1, 17, V13, V15, -1, false },
    [OFPTYPE_BARRIER_REQUEST] = { "OFPT_BARRIER_REQUEST", 18, 20, V13, V15, -1, false },
    [OFPTYPE_BARRIER_REPLY] = { "OFPT_BARRIER_REPLY", 19, 21, V13, V15, -1, false },
    [OFPTYPE_QUEUE_GET_CONFIG_REQUEST] = { "OFPT_QUEUE_GET_CONFIG_REQUEST", 20, 22, V13, V13, -1, false },
    [OFPTYPE_QUEUE_GET_CONFIG_REPLY] = { "OFPT_QUEUE_GET_CONFIG_REPLY", 21, 23, V13, V13, -1, false },
    [OFPTYPE_ROLE_REQUEST] = { "OFPT_ROLE_REQUEST", -1, 24, V13, V15, -1, false },
    [OFPTYPE_ROLE_REPLY] = { "OFPT_ROLE_REPLY", -1, 25, V13, V15, -1, false },
    [OFPTYPE_GET_ASYNC_REQUEST] = { "OFPT_GET_ASYNC_REQUEST", -1, 26, V13, V15, -1, false },
    [OFPTYPE_GET_ASYNC_REPLY] = { "OFPT_GET_ASYNC_REPLY", -1, 27, V13, V15, -1, false },
    [OFPTYPE_SET_ASYNC_CONFIG] = { "OFPT_SET_ASYNC", -1, 28, V13, V15, -1, false },
    [OFPTYPE_METER_MOD] = { "OFPT_METER_MOD", -1, 29, V13, V15, -1, false },
    [OFPTYPE_ROLE_STATUS] = { "OFPT_ROLE_STATUS", -1, 30, V14, V15, -1, false },
    [OFPTYPE_TABLE_STATUS] = { "OFPT_TABLE_STATUS", -1, 31, V14, V15, -1, false },
    [OFPTYPE_REQUESTFORWARD] = { "OFPT_REQUESTFORWARD", -1, 32, V14, V15, -1, false },
    [OFPTYPE_BUNDLE_CONTROL] = { "OFPT_BUNDLE_CONTROL", -1, 33, V14, V15, -1, false },
    [OFPTYPE_BUNDLE_ADD_MESSAGE] = { "OFPT_BUNDLE_ADD_MESSAGE", -1, 34, V14, V15, -1, false },
    [OFPTYPE_CONTROLLER_STATUS] = { "OFPT_CONTROLLER_STATUS", -1, 35, V15, V15, -1, false },
#define MP(NAME, T10, MPT, MINV)                                        \
    [OFPTYPE_##NAME##_STATS_REQUEST] = { "OFPST_" #NAME " request",     \
                                         T10 >= 0 ? 16 : -1, 18, MINV, V15, MPT, false }, \
    [OFPTYPE_##NAME##_STATS_REPLY] = { "OFPST_" #NAME " reply",         \
                                       T10 >= 0 ? 17 : -1, 19, MINV, V15, MPT, true },
    MP(DESC, 0, 0, V13)
    MP(FLOW, 1, 1, V13)
    MP(AGGREGATE, 2, 2, V13)
    MP(TABLE, 3, 3, V13)
    MP(PORT, 4, 4, V13)
    MP(QUEUE, 5, 5, V13)
    MP(GROUP, -1, 6, V13)
    MP(GROUP_DESC, -1, 7, V13)
    MP(GROUP_FEATURES, -1, 8, V13)
    MP(METER, -1, 9, V13)
    MP(METER_CONFIG, -1, 10, V13)
    MP(METER_FEATURES, -1, 11, V13)
    MP(TABLE_FEATURES, -1, 12, V13)
    /* OpenFlow 1.0 has no port description request; Open vSwitch answers
     * stats type 13 there and ovs-ofctl sends it. */
    MP(PORT_DESC, 13, 13, V13)
    MP(FLOW_MONITOR, -1, 16, V14)
    MP(EXPERIMENTER, 0xffff, 0xffff, V13)
    MP(QUEUE_DESC, -1, 15, V14)
    MP(TABLE_DESC, -1, 14, V14)
#undef MP
};

bool
ofp_version_is_supported(uint8_t v)
{
    return v < 32 && (OFP_SUPPORTED_VERSIONS & OFP_VERSION_BIT(v));
}

const char *
ofp_version_to_string(uint8_t v)
{
    switch (v) {
    case OFP10_VERSION: return "OpenFlow10";
    case OFP11_VERSION: return "OpenFlow11";
    case OFP12_VERSION: return "OpenFlow12";
    case OFP13_VERSION: return "OpenFlow13";
    case OFP14_VERSION: return "OpenFlow14";
    case OFP15_VERSION: return "OpenFlow15";
    default: return "OpenFlow??";
    }
}

uint8_t
ofp_version_from_string(const char *s)
{
    static const struct { const char *a, *b, *c; uint8_t v; } names[] = {
        { "OpenFlow10", "1.0", "of10", OFP10_VERSION },
        { "OpenFlow11", "1.1", "of11", OFP11_VERSION },
        { "OpenFlow12", "1.2", "of12", OFP12_VERSION },
        { "OpenFlow13", "1.3", "of13", OFP13_VERSION },
        { "OpenFlow14", "1.4", "of14", OFP14_VERSION },
        { "OpenFlow15", "1.5", "of15", OFP15_VERSION },
    };
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (!strcasecmp(s, names[i].a) || !strcmp(s, names[i].b)
            || !strcasecmp(s, names[i].c)) {
            return names[i].v;
        }
    }
    return 0;
}

uint32_t
ofp_versions_from_string(const char *s)
{
    uint32_t bitmap = 0;
    char *copy = xstrdup(s), *save = NULL;
    for (char *tok = strtok_r(copy, ", ", &save); tok;
         tok = strtok_r(NULL, ", ", &save)) {
        uint8_t v = ofp_version_from_string(tok);
        if (!v) {
            bitmap = 0;
            break;
        }
        bitmap |= OFP_VERSION_BIT(v);
    }
    free(copy);
    return bitmap;
}

const char *
ofptype_get_name(enum ofptype t)
{
    return (unsigned) t < OFPTYPE_N_TYPES ? types[t].name : "OFPT_UNKNOWN";
}

bool
ofptype_is_multipart(enum ofptype t)
{
    return (unsigned) t < OFPTYPE_N_TYPES && types[t].mp_type >= 0;
}

bool
ofptype_exists(enum ofptype t, uint8_t version)
{
    if ((unsigned) t >= OFPTYPE_N_TYPES || !ofp_version_is_supported(version)) {
        return false;
    }
    const struct ofptype_info *ti = &types[t];
    if (version == OFP10_VERSION) {
        return ti->type10 >= 0 && (ti->mp_type < 0 || ti->mp_type <= 5
                                   || ti->mp_type == 13
                                   || ti->mp_type == 0xffff);
    }
    return ti->type11 >= 0 && version >= ti->min_version
           && version <= ti->max_version;
}

static size_t
mp_header_len(uint8_t version)
{
    return version == OFP10_VERSION ? 12 : 16;
}

int
ofp_frame_length(const void *data, size_t size)
{
    if (size < OFP_HEADER_LEN) {
        return 0;
    }
    uint16_t len = get_be16((const uint8_t *) data + 2);
    return len < OFP_HEADER_LEN ? -1 : len;
}

enum ofperr
ofptype_decode(const void *data, size_t size, struct ofp_msg_header *h,
               struct ofpbuf *body)
{
    const uint8_t *p = data;
    if (size < OFP_HEADER_LEN) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    memset(h, 0, sizeof *h);
    h->version = p[0];
    h->raw_type = p[1];
    h->length = get_be16(p + 2);
    h->xid = get_be32(p + 4);
    if (h->length != size) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    /* Hello is version independent: any version may open negotiation. */
    if (h->raw_type == OFPT_HELLO) {
        h->type = OFPTYPE_HELLO;
        if (body) {
            ofpbuf_use_const(body, p + OFP_HEADER_LEN, size - OFP_HEADER_LEN);
        }
        return 0;
    }
    if (!ofp_version_is_supported(h->version)) {
        return OFPERR_OFPBRC_BAD_VERSION;
    }

    bool is_mp_raw = h->version == OFP10_VERSION
                     ? h->raw_type == 16 || h->raw_type == 17
                     : h->raw_type == 18 || h->raw_type == 19;
    int mp_type = -1;
    size_t hlen = OFP_HEADER_LEN;
    if (is_mp_raw) {
        hlen = mp_header_len(h->version);
        if (size < hlen) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        mp_type = get_be16(p + 8);
        h->mp_flags = get_be16(p + 10);
    }

    for (int t = 0; t < OFPTYPE_N_TYPES; t++) {
        const struct ofptype_info *ti = &types[t];
        int raw = h->version == OFP10_VERSION ? ti->type10 : ti->type11;
        if (raw != h->raw_type || !ofptype_exists(t, h->version)) {
            continue;
        }
        if (is_mp_raw && ti->mp_type != mp_type) {
            continue;
        }
        h->type = t;
        if (body) {
            ofpbuf_use_const(body, p + hlen, size - hlen);
        }
        return 0;
    }
    return is_mp_raw ? OFPERR_OFPBRC_BAD_MULTIPART : OFPERR_OFPBRC_BAD_TYPE;
}

struct ofpbuf *
ofpraw_alloc(uint8_t raw, uint8_t version, uint32_t xid, size_t extra)
{
    struct ofpbuf *b = ofpbuf_new(OFP_HEADER_LEN + 8 + extra);
    ofpbuf_put_u8(b, version);
    ofpbuf_put_u8(b, raw);
    ofpbuf_put_be16(b, OFP_HEADER_LEN);
    ofpbuf_put_be32(b, xid);
    return b;
}

struct ofpbuf *
ofpmsg_alloc(enum ofptype t, uint8_t version, uint32_t xid, size_t extra)
{
    vs_assert(ofptype_exists(t, version));
    const struct ofptype_info *ti = &types[t];
    int raw = version == OFP10_VERSION ? ti->type10 : ti->type11;
    struct ofpbuf *b = ofpraw_alloc(raw, version, xid, extra + 8);
    if (ti->mp_type >= 0) {
        ofpbuf_put_be16(b, ti->mp_type);
        ofpbuf_put_be16(b, 0);
        if (version != OFP10_VERSION) {
            ofpbuf_put_zeros(b, 4);
        }
    }
    ofpmsg_update_length(b);
    return b;
}

struct ofpbuf *
ofpmsg_alloc_reply(enum ofptype t, const struct ofp_msg_header *rq,
                   size_t extra)
{
    return ofpmsg_alloc(t, rq->version, rq->xid, extra);
}

void
ofpmsg_update_length(struct ofpbuf *b)
{
    put_be16(b->data + 2, b->size);
}

void
ofpmsg_set_mp_flags(struct ofpbuf *b, uint16_t flags)
{
    put_be16(b->data + 10, flags);
}

void
ofpmp_init(struct ofpmp_replies *r, enum ofptype reply_type,
           const struct ofp_msg_header *request)
{
    r->allocated = 1;
    r->msgs = xmalloc(sizeof *r->msgs);
    r->msgs[0] = ofpmsg_alloc_reply(reply_type, request, 1024);
    r->n = 1;
    r->hlen = 0;
}

struct ofpbuf *
ofpmp_last(const struct ofpmp_replies *r)
{
    return r->msgs[r->n - 1];
}

void
ofpmp_postappend(struct ofpmp_replies *r, size_t entry_start)
{
    struct ofpbuf *last = ofpmp_last(r);
    size_t hlen = (r->hlen ? r->hlen
                   : last->data[0] == OFP10_VERSION ? 12 : 16);
    if (last->size <= OFP_MAX_MSG_LEN || entry_start <= hlen) {
        ofpmsg_update_length(last);
        return;
    }
    struct ofpbuf *next = ofpbuf_new(hlen + last->size - entry_start);
    ofpbuf_put(next, last->data, hlen);
    ofpbuf_put(next, last->data + entry_start, last->size - entry_start);
    ofpmsg_update_length(next);
    last->size = entry_start;
    ofpmsg_set_mp_flags(last, OFPSF_REPLY_MORE);
    ofpmsg_update_length(last);
    if (r->n >= r->allocated) {
        r->msgs = x2nrealloc(r->msgs, &r->allocated, sizeof *r->msgs);
    }
    r->msgs[r->n++] = next;
}

void
ofpmp_destroy(struct ofpmp_replies *r)
{
    for (size_t i = 0; i < r->n; i++) {
        ofpbuf_delete(r->msgs[i]);
    }
    free(r->msgs);
    r->msgs = NULL;
    r->n = r->allocated = 0;
}

/* Hello elements. */
#define OFPHET_VERSIONBITMAP 1

struct ofpbuf *
ofp_hello_encode(uint32_t allowed, uint32_t xid)
{
    uint8_t max = 0;
    for (int v = 31; v > 0; v--) {
        if (allowed & OFP_VERSION_BIT(v)) {
            max = v;
            break;
        }
    }
    vs_assert(max);
    struct ofpbuf *b = ofpraw_alloc(OFPT_HELLO, max, xid, 16);
    if (max >= OFP13_VERSION) {
        ofpbuf_put_be16(b, OFPHET_VERSIONBITMAP);
        ofpbuf_put_be16(b, 8);
        ofpbuf_put_be32(b, allowed);
    }
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_hello_decode(const void *msg, size_t size, uint32_t *peer_versions)
{
    const uint8_t *p = msg;
    if (size < OFP_HEADER_LEN || get_be16(p + 2) != size) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    uint8_t version = p[0];
    /* Without a bitmap the peer supports every version up to its own. */
    *peer_versions = version >= 31 ? 0xfffffffe
                     : (OFP_VERSION_BIT(version + 1) - 1) & ~1u;

    size_t ofs = OFP_HEADER_LEN;
    while (size - ofs >= 4) {
        uint16_t type = get_be16(p + ofs);
        uint16_t len = get_be16(p + ofs + 2);
        if (len < 4 || len > size - ofs) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        if (type == OFPHET_VERSIONBITMAP) {
            if (len < 8 || (len - 4) % 4) {
                return OFPERR_OFPBRC_BAD_LEN;
            }
            /* Versions above 31 are not ours to speak: first word only. */
            *peer_versions = get_be32(p + ofs + 4);
        }
        /* Elements are padded to 8 bytes; the padding may be cut from the
         * last one. */
        size_t padded = ROUND_UP(len, 8);
        ofs += MIN(padded, size - ofs);
    }
    return 0;
}

uint8_t
ofp_negotiate_version(uint32_t ours, uint32_t theirs)
{
    uint32_t common = ours & theirs;
    for (int v = 31; v > 0; v--) {
        if (common & OFP_VERSION_BIT(v)) {
            return v;
        }
    }
    return 0;
}

enum ofperr
ofp_hello_process(uint32_t allowed, const void *msg, size_t len,
                  uint8_t *version, struct ofpbuf **error_msg)
{
    const uint8_t *p = msg;
    uint32_t theirs;
    enum ofperr error;

    *version = 0;
    *error_msg = NULL;
    if (len < OFP_HEADER_LEN || p[1] != OFPT_HELLO) {
        error = OFPERR_OFPHFC_EPERM;
    } else {
        error = ofp_hello_decode(msg, len, &theirs);
        if (!error) {
            *version = ofp_negotiate_version(allowed, theirs);
            if (*version) {
                return 0;
            }
            error = OFPERR_OFPHFC_INCOMPATIBLE;
        }
    }
    /* Answer in the highest of our versions the peer might read. */
    uint8_t peer = len >= 1 ? p[0] : 0, reply = 0;
    for (int v = 1; v < 32; v++) {
        if (allowed & OFP_VERSION_BIT(v) && (!reply || v <= peer)) {
            reply = v;
        }
    }
    uint32_t xid = len >= OFP_HEADER_LEN ? get_be32(p + 4) : 0;
    if (error != OFPERR_OFPHFC_EPERM && error != OFPERR_OFPHFC_INCOMPATIBLE) {
        error = OFPERR_OFPHFC_INCOMPATIBLE;
    }
    *error_msg = ofperr_encode(error, reply, xid, msg, len);
    return error;
}

struct ofpbuf *
ofp_echo_request(uint8_t version, uint32_t xid)
{
    struct ofpbuf *b = ofpraw_alloc(OFPT_ECHO_REQUEST, version, xid, 0);
    return b;
}

struct ofpbuf *
ofp_echo_reply(const void *request, size_t size)
{
    struct ofpbuf *b = ofpbuf_new(size);
    ofpbuf_put(b, request, size);
    b->data[1] = OFPT_ECHO_REPLY;
    return b;
}

enum ofperr
ofp_error_decode(const void *msg, size_t size, struct ofp_error_msg *em)
{
    const uint8_t *p = msg;
    if (size < OFP_HEADER_LEN + 4) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    em->type = get_be16(p + 8);
    em->code = get_be16(p + 10);
    em->error = ofperr_decode_type_code(p[0], em->type, em->code);
    em->data = p + 12;
    em->data_len = size - 12;
    return 0;
}
