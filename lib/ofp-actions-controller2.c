/* NXAST_CONTROLLER2 (see ofp-actions-controller2.h). */
#include <config.h>
#include "ofp-actions-controller2.h"

#include <string.h>
#include "dynamic-string.h"
#include "ofp-actions.h"
#include "ofp-actions-nx.h"
#include "ofp-buf.h"
#include "ofp-nx.h"
#include "ofp-prop.h"
#include "ofp-switch.h"
#include "util.h"

#define NX_ACTION_HEADER_LEN 16

void
ofpact_controller_put_userdata(struct ofpacts *o, const uint8_t *data,
                               size_t len)
{
    o->acts[o->n - 1].u.controller.userdata_len = len;
    ofpact_put_more(o, data, len);
}

void
ofpact_controller_get_userdata(const struct ofpact *a, uint8_t *out)
{
    ofpact_get_more(a + 1, a->u.controller.userdata_len, out);
}

/* Applies one property; userdata is left in '*userdata' for the caller
 * to append once the action's other fields are set. */
static enum ofperr
decode_prop(uint16_t type, const struct ofpbuf *v, struct ofpact *a,
            struct ofpbuf *userdata)
{
    switch (type) {
    case NXAC2PT_MAX_LEN:
        return ofpprop_parse_be16(v, &a->u.controller.max_len);
    case NXAC2PT_CONTROLLER_ID:
        return ofpprop_parse_be16(v, &a->u.controller.id);
    case NXAC2PT_REASON:
        return ofpprop_parse_u8(v, &a->u.controller.reason);
    case NXAC2PT_USERDATA:
        if (v->size > OFPACT_CONTROLLER_USERDATA_MAX) {
            return OFPERR_OFPBAC_BAD_ARGUMENT;
        }
        *userdata = *v;
        return 0;
    case NXAC2PT_PAUSE:
        /* No continuations here (see docs/architecture.md). */
        return OFPERR_OFPBAC_BAD_ARGUMENT;
    default:
        return OFPERR_OFPBPC_BAD_TYPE;
    }
}

enum ofperr
nx_controller2_decode(const uint8_t *p, size_t len, struct ofpacts *o)
{
    if (len < NX_ACTION_HEADER_LEN || len % 8) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    struct ofpact a;
    memset(&a, 0, sizeof a);
    a.type = OFPACT_CONTROLLER;
    a.u.controller.max_len = UINT16_MAX;
    a.u.controller.reason = OFPR_ACTION;

    struct ofpbuf props, userdata = OFPBUF_INITIALIZER;
    ofpbuf_use_const(&props, p + NX_ACTION_HEADER_LEN,
                     len - NX_ACTION_HEADER_LEN);
    while (props.size) {
        uint16_t type;
        struct ofpbuf v;
        enum ofperr error = ofpprop_pull(&props, &type, &v);
        if (!error) {
            error = decode_prop(type, &v, &a, &userdata);
        }
        if (error) {
            return error == OFPERR_OFPBPC_BAD_LEN ? OFPERR_OFPBAC_BAD_LEN
                                                  : error;
        }
    }
    *ofpact_put(o, OFPACT_CONTROLLER) = a;
    if (userdata.size) {
        ofpact_controller_put_userdata(o, userdata.data, userdata.size);
    }
    return 0;
}

bool
nx_controller2_needed(const struct ofpact *a)
{
    return a->u.controller.userdata_len != 0;
}

void
nx_controller2_encode(const struct ofpact *a, struct ofpbuf *b)
{
    size_t start = b->size;
    ofpbuf_put_be16(b, 0xffff);                 /* OFPAT_VENDOR. */
    ofpbuf_put_be16(b, 0);                      /* Length: below. */
    ofpbuf_put_be32(b, NX_VENDOR_ID);
    ofpbuf_put_be16(b, NXAST_CONTROLLER2);
    ofpbuf_put_zeros(b, 6);
    if (a->u.controller.max_len != UINT16_MAX) {
        ofpprop_put_be16(b, NXAC2PT_MAX_LEN, a->u.controller.max_len);
    }
    if (a->u.controller.id) {
        ofpprop_put_be16(b, NXAC2PT_CONTROLLER_ID, a->u.controller.id);
    }
    if (a->u.controller.reason != OFPR_ACTION) {
        ofpprop_put_u8(b, NXAC2PT_REASON, a->u.controller.reason);
    }
    size_t n = a->u.controller.userdata_len;
    if (n) {
        uint8_t *data = xmalloc(n);
        ofpact_controller_get_userdata(a, data);
        ofpprop_put(b, NXAC2PT_USERDATA, data, n);
        free(data);
    }
    put_be16(b->data + start + 2, b->size - start);
}

void
nx_controller2_format_userdata(const struct ofpact *a, struct ds *s)
{
    size_t n = a->u.controller.userdata_len;
    if (!n) {
        return;
    }
    uint8_t *data = xmalloc(n);
    ofpact_controller_get_userdata(a, data);
    ds_put_cstr(s, "userdata=");
    ds_put_dotted_hex(s, data, n);
    ds_put_char(s, ',');
    free(data);
}

char *
nx_controller2_parse_userdata(const char *s, struct ofpbuf *out)
{
    const char *p = s;
    while (*p) {
        if (*p == '.' && p != s) {
            p++;
            continue;
        }
        int hi = hexit(p[0]);
        int lo = hi < 0 ? -1 : hexit(p[1]);
        if (lo < 0) {
            return xasprintf("controller: bad userdata \"%s\" (expected hex "
                             "bytes such as 01.02.03)", s);
        }
        if (out->size >= OFPACT_CONTROLLER_USERDATA_MAX) {
            return xasprintf("controller: userdata longer than %d bytes",
                             OFPACT_CONTROLLER_USERDATA_MAX);
        }
        ofpbuf_put_u8(out, hi * 16 + lo);
        p += 2;
    }
    return NULL;
}
