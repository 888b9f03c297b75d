/* OpenFlow error code tables and OFPT_ERROR encoding. */
#include <config.h>
#include "ofp-errors.h"

#include <string.h>
#include "ofp-buf.h"
#include "ofp-msgs.h"
#include "util.h"

struct ofperr_info {
    const char *name;
    int type, code;         /* OF1.1+. */
    int type10, code10;     /* OF1.0, -1 if none. */
};

static const struct ofperr_info infos[] = {
#define E(NAME, T, C, T10, C10) { #NAME, T, C, T10, C10 },
    OFPERR_LIST
#undef E
};

static const struct ofperr_info *
info(enum ofperr e)
{
    return ofperr_is_valid(e) ? &infos[e - OFPERR_OFS] : NULL;
}

bool
ofperr_is_valid(int e)
{
    return e >= OFPERR_OFS && e < OFPERR_LAST_;
}

const char *
ofperr_get_name(enum ofperr e)
{
    const struct ofperr_info *i = info(e);
    return i ? i->name : "<unknown error>";
}

enum ofperr
ofperr_from_name(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(infos); i++) {
        if (!strcmp(infos[i].name, name)) {
            return OFPERR_OFS + i;
        }
    }
    return 0;
}

bool
ofperr_get_type_code(enum ofperr e, uint8_t version,
                     uint16_t *type, uint16_t *code)
{
    const struct ofperr_info *i = info(e);
    if (!i) {
        return false;
    }
    if (version == OFP10_VERSION) {
        if (i->type10 < 0) {
            return false;
        }
        *type = i->type10;
        *code = i->code10;
    } else {
        /* Bundle and property errors exist from OF1.4 on. */
        if (version < OFP14_VERSION && i->type >= 14) {
            return false;
        }
        *type = i->type;
        *code = i->code;
    }
    return true;
}

enum ofperr
ofperr_decode_type_code(uint8_t version, uint16_t type, uint16_t code)
{
    for (size_t i = 0; i < ARRAY_SIZE(infos); i++) {
        const struct ofperr_info *in = &infos[i];
        if (version == OFP10_VERSION
            ? in->type10 == type && in->code10 == code
            : in->type == type && in->code == code) {
            return OFPERR_OFS + i;
        }
    }
    return 0;
}

struct ofpbuf *
ofperr_encode(enum ofperr e, uint8_t version, uint32_t xid,
              const void *request, size_t request_len)
{
    uint16_t type, code;
    if (!ofperr_get_type_code(e, version, &type, &code)) {
        /* No such error in this version: the closest generic one. */
        type = 1;               /* OFPET_BAD_REQUEST */
        code = 5;               /* OFPBRC_EPERM */
    }
    struct ofpbuf *b = ofpraw_alloc(OFPT_ERROR, version, xid, 64);
    ofpbuf_put_be16(b, type);
    ofpbuf_put_be16(b, code);
    if (e == OFPERR_OFPHFC_INCOMPATIBLE || e == OFPERR_OFPHFC_EPERM) {
        /* Hello failures carry an ASCII explanation. */
        const char *s = "no common OpenFlow version";
        ofpbuf_put(b, s, strlen(s));
    } else if (request) {
        ofpbuf_put(b, request, MIN(request_len, 64));
    }
    ofpmsg_update_length(b);
    return b;
}
