/* Nicira extension actions (see ofp-actions-nx.h). */
#include <config.h>
#include "ofp-actions-nx.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "dynamic-string.h"
#include "flow.h"
#include "match.h"
#include "nxm.h"
#include "ofp-actions.h"
#include "ofp-buf.h"
#include "ofp-fields.h"
#include "ofp-learn.h"
#include "ofp-actions-controller2.h"
#include "ofp-switch.h"
#include "util.h"

#define NX_VENDOR 0x00002320
#define OFPAT_VENDOR 0xffff

/* ---- Decoding. ---- */

static enum ofperr
decode_resubmit(uint16_t subtype, const uint8_t *p, size_t len,
                struct ofpacts *o)
{
    if (len != 16) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    if (subtype == NXAST_RESUBMIT_TABLE && (p[13] || p[14] || p[15])) {
        return OFPERR_OFPBAC_BAD_ARGUMENT;
    }
    struct ofpact *a = ofpact_put(o, OFPACT_RESUBMIT);
    a->u.resubmit.in_port = ofp_port_from_ofp10(get_be16(p + 10));
    a->u.resubmit.table = subtype == NXAST_RESUBMIT_TABLE ? p[12] : 255;
    return 0;
}

static enum ofperr
decode_reg_load(const uint8_t *p, size_t len, struct ofpacts *o)
{
    if (len != 24) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    uint16_t ofs_nbits = get_be16(p + 10);
    unsigned int ofs = ofs_nbits >> 6, n_bits = (ofs_nbits & 0x3f) + 1;
    int id = nxm_field_from_header(get_be32(p + 12));
    const struct ofp_field *f = id >= 0 ? ofp_field_get(id) : NULL;
    if (!f || !f->writable) {
        return OFPERR_OFPBAC_BAD_SET_TYPE;
    }
    uint64_t value = get_be64(p + 16);
    if (ofs + n_bits > f->n_bits
        || (n_bits < 64 && value >> n_bits)) {
        return OFPERR_OFPBAC_BAD_SET_ARGUMENT;
    }
    struct ofpact *a = ofpact_put(o, OFPACT_REG_LOAD);
    a->u.load.field = f->id;
    a->u.load.ofs = ofs;
    a->u.load.n_bits = n_bits;
    a->u.load.value = value;
    return 0;
}

enum ofperr
nx_put_reg_move(enum ofp_field_id src, unsigned int src_ofs,
                enum ofp_field_id dst, unsigned int dst_ofs,
                unsigned int n_bits, struct ofpacts *o)
{
    if (!ofp_field_get(dst)->writable) {
        return OFPERR_OFPBAC_BAD_SET_TYPE;
    }
    if (!n_bits || src_ofs + n_bits > ofp_field_get(src)->n_bits
        || dst_ofs + n_bits > ofp_field_get(dst)->n_bits) {
        return OFPERR_OFPBAC_BAD_SET_ARGUMENT;
    }
    struct ofpact *a = ofpact_put(o, OFPACT_REG_MOVE);
    a->u.move.src = src;
    a->u.move.dst = dst;
    a->u.move.src_ofs = src_ofs;
    a->u.move.dst_ofs = dst_ofs;
    a->u.move.n_bits = n_bits;
    return 0;
}

static enum ofperr
decode_reg_move(const uint8_t *p, size_t len, struct ofpacts *o)
{
    if (len != 24) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    int src = nxm_field_from_header(get_be32(p + 16));
    int dst = nxm_field_from_header(get_be32(p + 20));
    if (src < 0 || dst < 0) {
        return OFPERR_OFPBAC_BAD_SET_TYPE;
    }
    return nx_put_reg_move(src, get_be16(p + 12), dst, get_be16(p + 14),
                           get_be16(p + 10), o);
}

/* The source of output:FIELD[bits]: a field NXM or OXM names, bits that
 * fit it. */
static enum ofperr
put_output_reg(uint32_t header, uint16_t ofs_nbits, uint16_t max_len,
               struct ofpacts *o)
{
    unsigned int ofs = ofs_nbits >> 6, n_bits = (ofs_nbits & 0x3f) + 1;
    int id = nxm_field_from_header(header);
    if (id < 0) {
        return OFPERR_OFPBAC_BAD_ARGUMENT;
    }
    if (ofs + n_bits > ofp_field_get(id)->n_bits) {
        return OFPERR_OFPBAC_BAD_ARGUMENT;
    }
    struct ofpact *a = ofpact_put(o, OFPACT_OUTPUT_REG);
    a->u.output_reg.src = id;
    a->u.output_reg.ofs = ofs;
    a->u.output_reg.n_bits = n_bits;
    a->u.output_reg.max_len = max_len;
    return 0;
}

/* NXAST_OUTPUT_REG: ofs_nbits, NXM header, max_len, 6 zero bytes.
 * NXAST_OUTPUT_REG2: ofs_nbits, max_len, then the header (an OXM one may
 * be 8 bytes: experimenter) and zeros to 24 bytes. */
static enum ofperr
decode_output_reg(uint16_t subtype, const uint8_t *p, size_t len,
                  struct ofpacts *o)
{
    if (len != 24) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    if (subtype == NXAST_OUTPUT_REG) {
        if (!is_all_zeros(p + 18, 6)) {
            return OFPERR_OFPBAC_BAD_ARGUMENT;
        }
        return put_output_reg(get_be32(p + 12), get_be16(p + 10),
                              get_be16(p + 16), o);
    }
    uint32_t header = get_be32(p + 14);
    if (header >> 16 == OXM_CLASS_EXPERIMENTER) {
        return OFPERR_OFPBAC_BAD_ARGUMENT;  /* No such field known here. */
    }
    if (!is_all_zeros(p + 18, 6)) {
        return OFPERR_OFPBAC_BAD_ARGUMENT;
    }
    return put_output_reg(header, get_be16(p + 10), get_be16(p + 12), o);
}

static enum ofperr
decode_note(const uint8_t *p, size_t len, struct ofpacts *o)
{
    /* 10 bytes of header, then the note (the action's padding is part of
     * it, as Open vSwitch keeps it). */
    if (len < 16) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    if (len - 10 > OFPACT_NOTE_LIMIT) {
        return OFPERR_OFPBAC_BAD_ARGUMENT;     /* Longer than we keep. */
    }
    ofpact_put_note(o, p + 10, len - 10);
    return 0;
}

static enum ofperr
decode_controller(const uint8_t *p, size_t len, struct ofpacts *o)
{
    if (len != 16) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    struct ofpact *a = ofpact_put(o, OFPACT_CONTROLLER);
    a->u.controller.max_len = get_be16(p + 10);
    a->u.controller.id = get_be16(p + 12);
    a->u.controller.reason = p[14];
    return 0;
}

/* dec_ttl with the controller ids its invalid_ttl packet-ins go to. */
static enum ofperr
decode_dec_ttl_cnt_ids(const uint8_t *p, size_t len, struct ofpacts *o)
{
    if (len < 16) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    size_t n = get_be16(p + 10);
    if (len != ROUND_UP(16 + 2 * n, 8)) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    if (get_be32(p + 12) || n > OFPACT_DEC_TTL_MAX_IDS) {
        return OFPERR_OFPBAC_BAD_ARGUMENT;
    }
    struct ofpact *a = ofpact_put(o, OFPACT_DEC_TTL);
    a->u.dec_ttl.n_ids = n;
    for (size_t i = 0; i < n; i++) {
        a->u.dec_ttl.ids[i] = get_be16(p + 16 + 2 * i);
    }
    return 0;
}

static enum ofperr
decode_write_metadata(const uint8_t *p, size_t len, struct ofpacts *o)
{
    if (len != 32) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    struct ofpact *a = ofpact_put(o, OFPACT_WRITE_METADATA);
    a->u.metadata.mask = get_be64(p + 24);
    a->u.metadata.value = get_be64(p + 16) & a->u.metadata.mask;
    return 0;
}

/* NXAST_FIN_TIMEOUT: fin_idle_timeout, fin_hard_timeout, 2 pad bytes
 * (not checked, as Open vSwitch does not). */
static enum ofperr
decode_fin_timeout(const uint8_t *p, size_t len, struct ofpacts *o)
{
    if (len != 16) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    struct ofpact *a = ofpact_put(o, OFPACT_FIN_TIMEOUT);
    a->u.fin_timeout.idle = get_be16(p + 10);
    a->u.fin_timeout.hard = get_be16(p + 12);
    return 0;
}

enum ofperr
nx_action_decode(uint16_t subtype, const uint8_t *p, size_t len,
                 struct ofpacts *o, bool *handled)
{
    *handled = true;
    switch (subtype) {
    case NXAST_RESUBMIT:
    case NXAST_RESUBMIT_TABLE:
        return decode_resubmit(subtype, p, len, o);
    case NXAST_REG_LOAD:
        return decode_reg_load(p, len, o);
    case NXAST_REG_MOVE:
        return decode_reg_move(p, len, o);
    case NXAST_OUTPUT_REG:
    case NXAST_OUTPUT_REG2:
        return decode_output_reg(subtype, p, len, o);
    case NXAST_LEARN:
        return learn_decode(p, len, o);
    case NXAST_NOTE:
        return decode_note(p, len, o);
    case NXAST_EXIT:
        if (len != 16) {
            return OFPERR_OFPBAC_BAD_LEN;
        }
        ofpact_put(o, OFPACT_EXIT);
        return 0;
    case NXAST_CONTROLLER:
        return decode_controller(p, len, o);
    case NXAST_CONTROLLER2:
        return nx_controller2_decode(p, len, o);
    case NXAST_DEC_TTL_CNT_IDS:
        return decode_dec_ttl_cnt_ids(p, len, o);
    case NXAST_WRITE_METADATA:
        return decode_write_metadata(p, len, o);
    case NXAST_FIN_TIMEOUT:
        return decode_fin_timeout(p, len, o);
    default:
        *handled = false;
        return 0;
    }
}

/* ---- Encoding. ---- */

/* Starts a Nicira action of 'len' bytes; the caller fills in what follows
 * the subtype ('len' - 10 bytes). */
static void
put_nx_header(struct ofpbuf *b, uint16_t subtype, uint16_t len)
{
    ofpbuf_put_be16(b, OFPAT_VENDOR);
    ofpbuf_put_be16(b, len);
    ofpbuf_put_be32(b, NX_VENDOR);
    ofpbuf_put_be16(b, subtype);
}

bool
nx_action_encode(const struct ofpact *a, struct ofpbuf *b)
{
    uint16_t port;
    switch (a->type) {
    case OFPACT_RESUBMIT: {
        bool plain = (a->u.resubmit.table == 255
                      && a->u.resubmit.in_port != OFPP_IN_PORT);
        if (!ofp_port_to_ofp10(a->u.resubmit.in_port, &port)) {
            port = 0xfff8;      /* OF1.0 IN_PORT. */
        }
        put_nx_header(b, plain ? NXAST_RESUBMIT : NXAST_RESUBMIT_TABLE, 16);
        ofpbuf_put_be16(b, port);
        ofpbuf_put_u8(b, plain ? 0 : a->u.resubmit.table);
        ofpbuf_put_zeros(b, 3);
        return true;
    }
    case OFPACT_REG_LOAD: {
        uint32_t header;
        const char *name;
        if (!nxm_field_header(a->u.load.field, &header, &name)) {
            return false;
        }
        put_nx_header(b, NXAST_REG_LOAD, 24);
        ofpbuf_put_be16(b, (a->u.load.ofs << 6) | (a->u.load.n_bits - 1));
        ofpbuf_put_be32(b, header);
        ofpbuf_put_be64(b, a->u.load.value);
        return true;
    }
    case OFPACT_REG_MOVE: {
        uint32_t src, dst;
        const char *name;
        if (!nxm_field_header(a->u.move.src, &src, &name)
            || !nxm_field_header(a->u.move.dst, &dst, &name)) {
            return false;
        }
        put_nx_header(b, NXAST_REG_MOVE, 24);
        ofpbuf_put_be16(b, a->u.move.n_bits);
        ofpbuf_put_be16(b, a->u.move.src_ofs);
        ofpbuf_put_be16(b, a->u.move.dst_ofs);
        ofpbuf_put_be32(b, src);
        ofpbuf_put_be32(b, dst);
        return true;
    }
    case OFPACT_OUTPUT_REG: {
        const struct ofp_field *f = ofp_field_get(a->u.output_reg.src);
        uint16_t ofs_nbits = (a->u.output_reg.ofs << 6)
                             | (a->u.output_reg.n_bits - 1);
        uint32_t header;
        const char *name;
        if (!nxm_field_header(f->id, &header, &name)) {
            return false;
        }
        /* Every header here is 4 bytes (OXM ones too, an xreg's): the
         * original action, as ovs-ofctl sends it; OUTPUT_REG2 exists for
         * 8-byte experimenter headers. */
        put_nx_header(b, NXAST_OUTPUT_REG, 24);
        ofpbuf_put_be16(b, ofs_nbits);
        ofpbuf_put_be32(b, header);
        ofpbuf_put_be16(b, a->u.output_reg.max_len);
        ofpbuf_put_zeros(b, 6);
        return true;
    }
    case OFPACT_NOTE: {
        /* As many 8-byte units as it takes. */
        size_t n = a->u.note.len;
        size_t len = MAX(16, ROUND_UP(10 + n, 8));
        put_nx_header(b, NXAST_NOTE, len);
        ofpbuf_put(b, a->u.note.data, MIN(n, OFPACT_NOTE_MAX));
        if (n > OFPACT_NOTE_MAX) {
            ofpact_get_more(a + 1, n - OFPACT_NOTE_MAX,
                            ofpbuf_put_uninit(b, n - OFPACT_NOTE_MAX));
        }
        ofpbuf_put_zeros(b, len - 10 - n);
        return true;
    }
    case OFPACT_NOTE_MORE:
        return true;            /* Encoded with its note. */
    case OFPACT_LEARN:
        learn_encode(a, b);
        return true;
    case OFPACT_LEARN_SPEC:
        return true;            /* Encoded with its learn. */
    case OFPACT_EXIT:
        put_nx_header(b, NXAST_EXIT, 16);
        ofpbuf_put_zeros(b, 6);
        return true;
    case OFPACT_DEC_TTL: {
        if (!a->u.dec_ttl.n_ids) {
            return false;           /* Plain: the caller's encoding. */
        }
        size_t n = a->u.dec_ttl.n_ids, len = ROUND_UP(16 + 2 * n, 8);
        put_nx_header(b, NXAST_DEC_TTL_CNT_IDS, len);
        ofpbuf_put_be16(b, n);
        ofpbuf_put_zeros(b, 4);
        for (size_t i = 0; i < n; i++) {
            ofpbuf_put_be16(b, a->u.dec_ttl.ids[i]);
        }
        ofpbuf_put_zeros(b, len - 16 - 2 * n);
        return true;
    }
    case OFPACT_FIN_TIMEOUT:
        put_nx_header(b, NXAST_FIN_TIMEOUT, 16);
        ofpbuf_put_be16(b, a->u.fin_timeout.idle);
        ofpbuf_put_be16(b, a->u.fin_timeout.hard);
        ofpbuf_put_zeros(b, 2);
        return true;
    case OFPACT_CONTROLLER:
        if (nx_controller2_needed(a)) {
            nx_controller2_encode(a, b);
            return true;
        }
        put_nx_header(b, NXAST_CONTROLLER, 16);
        ofpbuf_put_be16(b, a->u.controller.max_len);
        ofpbuf_put_be16(b, a->u.controller.id);
        ofpbuf_put_u8(b, a->u.controller.reason);
        ofpbuf_put_u8(b, 0);
        return true;
    default:
        return false;
    }
}

/* ---- Formatting. ---- */

static const char *const reason_names[] = {
    [OFPR_NO_MATCH] = "no_match", [OFPR_ACTION] = "action",
    [OFPR_INVALID_TTL] = "invalid_ttl", [OFPR_ACTION_SET] = "action_set",
    [OFPR_GROUP] = "group", [OFPR_PACKET_OUT] = "packet_out",
};

static void
format_controller(const struct ofpact *a, struct ds *s)
{
    uint8_t reason = a->u.controller.reason;
    if (reason == OFPR_ACTION && !a->u.controller.id
        && !a->u.controller.userdata_len) {
        ds_put_format(s, "CONTROLLER:%"PRIu16, a->u.controller.max_len);
        return;
    }
    ds_put_cstr(s, "controller(");
    if (reason != OFPR_ACTION) {
        if (reason < ARRAY_SIZE(reason_names)) {
            ds_put_format(s, "reason=%s,", reason_names[reason]);
        } else {
            ds_put_format(s, "reason=%u,", reason);
        }
    }
    if (a->u.controller.max_len != UINT16_MAX) {
        ds_put_format(s, "max_len=%"PRIu16",", a->u.controller.max_len);
    }
    if (a->u.controller.id) {
        ds_put_format(s, "id=%"PRIu16",", a->u.controller.id);
    }
    nx_controller2_format_userdata(a, s);
    ds_chomp(s, ',');
    ds_put_char(s, ')');
}

void
nx_format_subfield(enum ofp_field_id id, unsigned int ofs, unsigned int n_bits,
                   struct ds *s)
{
    const struct ofp_field *f = ofp_field_get(id);
    uint32_t header;
    const char *name;
    if (!nxm_field_header(id, &header, &name)) {
        name = f->name;
    }
    ds_put_format(s, "%s[", name);
    if (ofs || n_bits != f->n_bits) {
        ds_put_format(s, "%u", ofs);
        if (n_bits > 1) {
            ds_put_format(s, "..%u", ofs + n_bits - 1);
        }
    }
    ds_put_char(s, ']');
}

/* "fin_timeout(idle_timeout=N,hard_timeout=M)", each only if set. */
static void
format_fin_timeout(const struct ofpact *a, struct ds *s)
{
    ds_put_cstr(s, "fin_timeout(");
    if (a->u.fin_timeout.idle) {
        ds_put_format(s, "idle_timeout=%"PRIu16",", a->u.fin_timeout.idle);
    }
    if (a->u.fin_timeout.hard) {
        ds_put_format(s, "hard_timeout=%"PRIu16",", a->u.fin_timeout.hard);
    }
    ds_chomp(s, ',');
    ds_put_char(s, ')');
}

bool
nx_action_format(const struct ofpact *a, struct ds *s)
{
    switch (a->type) {
    case OFPACT_RESUBMIT:
        if (a->u.resubmit.in_port != OFPP_IN_PORT
            && a->u.resubmit.table == 255) {
            ds_put_cstr(s, "resubmit:");
            ofp_port_format(a->u.resubmit.in_port, s);
        } else {
            ds_put_cstr(s, "resubmit(");
            if (a->u.resubmit.in_port != OFPP_IN_PORT) {
                ofp_port_format(a->u.resubmit.in_port, s);
            }
            ds_put_char(s, ',');
            if (a->u.resubmit.table != 255) {
                ds_put_format(s, "%u", a->u.resubmit.table);
            }
            ds_put_char(s, ')');
        }
        return true;
    case OFPACT_REG_LOAD:
        /* Zero as "0", as ovs-ofctl prints it. */
        ds_put_format(s, "load:%#"PRIx64"->", a->u.load.value);
        nx_format_subfield(a->u.load.field, a->u.load.ofs, a->u.load.n_bits, s);
        return true;
    case OFPACT_REG_MOVE:
        ds_put_cstr(s, "move:");
        nx_format_subfield(a->u.move.src, a->u.move.src_ofs, a->u.move.n_bits,
                        s);
        ds_put_cstr(s, "->");
        nx_format_subfield(a->u.move.dst, a->u.move.dst_ofs, a->u.move.n_bits,
                        s);
        return true;
    case OFPACT_OUTPUT_REG:
        if (a->u.output_reg.max_len == UINT16_MAX) {
            ds_put_cstr(s, "output:");
            nx_format_subfield(a->u.output_reg.src, a->u.output_reg.ofs,
                            a->u.output_reg.n_bits, s);
        } else {
            ds_put_cstr(s, "output(port=");
            nx_format_subfield(a->u.output_reg.src, a->u.output_reg.ofs,
                            a->u.output_reg.n_bits, s);
            ds_put_format(s, ",max_len=%"PRIu16")", a->u.output_reg.max_len);
        }
        return true;
    case OFPACT_NOTE:
        ds_put_cstr(s, "note:");
        for (size_t i = 0; i < a->u.note.len; i++) {
            ds_put_format(s, "%s%02x", i ? "." : "", ofpact_note_byte(a, i));
        }
        return true;
    case OFPACT_NOTE_MORE:
    case OFPACT_LEARN_SPEC:
        return true;            /* Printed with its note or learn. */
    case OFPACT_LEARN:
        learn_format(a, s);
        return true;
    case OFPACT_EXIT:
        ds_put_cstr(s, "exit");
        return true;
    case OFPACT_FIN_TIMEOUT:
        format_fin_timeout(a, s);
        return true;
    case OFPACT_CONTROLLER:
        format_controller(a, s);
        return true;
    case OFPACT_DEC_TTL:
        if (!a->u.dec_ttl.n_ids) {
            return false;
        }
        ds_put_cstr(s, "dec_ttl(");
        for (size_t i = 0; i < a->u.dec_ttl.n_ids; i++) {
            ds_put_format(s, "%s%"PRIu16, i ? "," : "", a->u.dec_ttl.ids[i]);
        }
        ds_put_char(s, ')');
        return true;
    default:
        return false;
    }
}

/* ---- Parsing. ---- */

static char *
parse_resubmit(char *arg, struct ofpacts *o)
{
    struct ofpact *a = ofpact_put(o, OFPACT_RESUBMIT);
    a->u.resubmit.in_port = OFPP_IN_PORT;
    a->u.resubmit.table = 255;
    if (!arg || !*arg) {
        return xstrdup("resubmit: expected PORT or ([PORT],[TABLE])");
    }
    char *comma = strchr(arg, ',');
    if (comma) {
        *comma = '\0';
    }
    if (*arg && !ofp_port_parse(arg, &a->u.resubmit.in_port)) {
        return xasprintf("resubmit: bad port \"%s\"", arg);
    }
    if (comma && comma[1]) {
        unsigned long long t;
        if (!str_to_ullong(comma + 1, 10, &t) || t > 254) {
            return xasprintf("resubmit: bad table \"%s\"", comma + 1);
        }
        a->u.resubmit.table = t;
    }
    if (a->u.resubmit.in_port == OFPP_IN_PORT
        && a->u.resubmit.table == 255) {
        return xstrdup("resubmit: at least one of port and table needed");
    }
    return NULL;
}

char *
nx_parse_subfield(char *text, bool writable, enum ofp_field_id *id,
                  unsigned int *ofs, unsigned int *n_bits)
{
    char *bracket = strchr(text, '[');
    size_t len = strlen(text);
    if (!bracket || !len || text[len - 1] != ']') {
        return xasprintf("%s: expected FIELD[BITS]", text);
    }
    *bracket = '\0';
    int field = nxm_field_from_name(text);
    const struct ofp_field *f = field >= 0 ? ofp_field_get(field) : NULL;
    if (!f || (writable && !f->writable)) {
        return xasprintf("%s is not a field %s", text,
                         writable ? "that can be written" : "known here");
    }
    char *bits = bracket + 1;
    bits[strlen(bits) - 1] = '\0';
    unsigned int start = 0, end = f->n_bits - 1;
    if (*bits) {
        char *dots = strstr(bits, "..");
        unsigned long long x, y = 0;
        if (dots) {
            *dots = '\0';
        }
        if (!str_to_ullong(bits, 10, &x)
            || (dots && !str_to_ullong(dots + 2, 10, &y))) {
            return xasprintf("bad bit range for %s", text);
        }
        start = x;
        end = dots ? y : x;
    }
    if (start > end || end >= f->n_bits) {
        return xasprintf("bits %u..%u do not fit %s", start, end, text);
    }
    *id = f->id;
    *ofs = start;
    *n_bits = end - start + 1;
    return NULL;
}

/* "VALUE->FIELD[]", "VALUE->FIELD[ofs..end]" or "VALUE->FIELD[bit]". */
static char *
parse_load(char *arg, struct ofpacts *o)
{
    char *arrow = arg ? strstr(arg, "->") : NULL;
    if (!arrow) {
        return xstrdup("load: expected VALUE->FIELD[BITS]");
    }
    *arrow = '\0';
    enum ofp_field_id id;
    unsigned int ofs, n_bits;
    char *error = nx_parse_subfield(arrow + 2, true, &id, &ofs, &n_bits);
    if (error) {
        char *e = xasprintf("load: %s", error);
        free(error);
        return e;
    }
    unsigned long long value;
    if (!str_to_ullong(arg, 0, &value)) {
        return xasprintf("load: bad value \"%s\"", arg);
    }
    if (n_bits < 64 && value >> n_bits) {
        return xasprintf("load: 0x%llx does not fit in %u bits", value,
                         n_bits);
    }
    /* An action loads at most 64 bits: wider ranges (of an xxreg) become
     * one load per 64 bits, lowest first, as ovs-ofctl splits them. */
    for (unsigned int done = 0; done < n_bits; done += 64) {
        struct ofpact *a = ofpact_put(o, OFPACT_REG_LOAD);
        a->u.load.field = id;
        a->u.load.ofs = ofs + done;
        a->u.load.n_bits = MIN(64, n_bits - done);
        a->u.load.value = done ? 0 : value;
        a->u.load.n_more = done ? 0 : (n_bits - 1) / 64;
        a->u.load.more = done != 0;
    }
    return NULL;
}

/* "SRC[bits]->DST[bits]", both as wide. */
static char *
parse_move(char *arg, struct ofpacts *o)
{
    char *arrow = arg ? strstr(arg, "->") : NULL;
    if (!arrow) {
        return xstrdup("move: expected SRC[BITS]->DST[BITS]");
    }
    *arrow = '\0';
    enum ofp_field_id src, dst;
    unsigned int src_ofs, dst_ofs, src_bits, dst_bits;
    char *error = nx_parse_subfield(arg, false, &src, &src_ofs, &src_bits);
    if (!error) {
        error = nx_parse_subfield(arrow + 2, true, &dst, &dst_ofs, &dst_bits);
    }
    if (error) {
        char *e = xasprintf("move: %s", error);
        free(error);
        return e;
    }
    if (src_bits != dst_bits) {
        return xasprintf("move: source is %u bits wide, destination %u",
                         src_bits, dst_bits);
    }
    struct ofpact *a = ofpact_put(o, OFPACT_REG_MOVE);
    a->u.move.src = src;
    a->u.move.dst = dst;
    a->u.move.src_ofs = src_ofs;
    a->u.move.dst_ofs = dst_ofs;
    a->u.move.n_bits = src_bits;
    return NULL;
}

/* "output:FIELD[bits]" or "output(port=FIELD[bits],max_len=N)". */
static char *
parse_output_reg(char *arg, struct ofpacts *o)
{
    uint16_t max_len = UINT16_MAX;
    if (!strncmp(arg, "port=", 5)) {
        arg += 5;
        char *comma = strchr(arg, ',');
        if (comma) {
            *comma = '\0';
            unsigned long long x;
            if (strncmp(comma + 1, "max_len=", 8)
                || !str_to_ullong(comma + 9, 0, &x) || x > UINT16_MAX) {
                return xasprintf("output: expected max_len=N after the port, "
                                 "got \"%s\"", comma + 1);
            }
            max_len = x;
        }
    }
    enum ofp_field_id id;
    unsigned int ofs, n_bits;
    char *error = nx_parse_subfield(arg, false, &id, &ofs, &n_bits);
    if (error) {
        char *e = xasprintf("output: %s", error);
        free(error);
        return e;
    }
    if (n_bits > 64) {
        return xstrdup("output: a port is at most 64 bits of a field");
    }
    struct ofpact *a = ofpact_put(o, OFPACT_OUTPUT_REG);
    a->u.output_reg.src = id;
    a->u.output_reg.ofs = ofs;
    a->u.output_reg.n_bits = n_bits;
    a->u.output_reg.max_len = max_len;
    return NULL;
}

static char *
parse_note(const char *arg, struct ofpacts *o)
{
    uint8_t *data = xmalloc(strlen(arg ? arg : "") / 2 + 1);
    size_t len = 0;
    char *error = NULL;
    for (const char *p = arg ? arg : ""; *p;) {
        if (*p == '.') {
            p++;
            continue;
        }
        char hex[3] = { p[0], p[1], '\0' };
        char *end;
        unsigned long byte = strtoul(hex, &end, 16);
        if (!p[1] || *end || !isxdigit((unsigned char) p[0])) {
            error = xasprintf("note: bad hex byte at \"%s\"", p);
            break;
        }
        if (len >= OFPACT_NOTE_LIMIT) {
            error = xasprintf("note: longer than %d bytes", OFPACT_NOTE_LIMIT);
            break;
        }
        data[len++] = byte;
        p += 2;
    }
    if (!error) {
        ofpact_put_note(o, data, len);
    }
    free(data);
    return error;
}

/* "fin_timeout(idle_timeout=N,hard_timeout=M)", either or both (or
 * neither: an action that does nothing, as ovs-ofctl takes it). */
static char *
parse_fin_timeout(char *arg, struct ofpacts *o)
{
    struct ofpact *a = ofpact_put(o, OFPACT_FIN_TIMEOUT);
    char *save = NULL;
    for (char *kv = strtok_r(arg ? arg : "", ", ", &save); kv;
         kv = strtok_r(NULL, ", ", &save)) {
        char *eq = strchr(kv, '=');
        if (eq) {
            *eq++ = '\0';
        }
        uint16_t *t = (!strcmp(kv, "idle_timeout") ? &a->u.fin_timeout.idle
                       : !strcmp(kv, "hard_timeout") ? &a->u.fin_timeout.hard
                       : NULL);
        if (!t) {
            return xasprintf("invalid key '%s' in 'fin_timeout' argument",
                             kv);
        }
        unsigned long long x;
        if (!eq || !str_to_ullong(eq, 0, &x) || x > UINT16_MAX) {
            return xasprintf("invalid %s \"%s\"", kv, eq ? eq : "");
        }
        *t = x;
    }
    return NULL;
}

/* "dec_ttl(ID,...)": the controller ids of its invalid_ttl packet-ins. */
static char *
parse_dec_ttl_ids(char *arg, struct ofpacts *o)
{
    struct ofpact *a = ofpact_put(o, OFPACT_DEC_TTL);
    char *save = NULL;
    for (char *id = strtok_r(arg, ", ", &save); id;
         id = strtok_r(NULL, ", ", &save)) {
        unsigned long long x;
        if (!str_to_ullong(id, 0, &x) || x > UINT16_MAX) {
            return xasprintf("dec_ttl: bad controller id \"%s\"", id);
        }
        if (a->u.dec_ttl.n_ids >= OFPACT_DEC_TTL_MAX_IDS) {
            return xasprintf("dec_ttl: more than %d controller ids",
                             OFPACT_DEC_TTL_MAX_IDS);
        }
        a->u.dec_ttl.ids[a->u.dec_ttl.n_ids++] = x;
    }
    if (!a->u.dec_ttl.n_ids) {
        return xstrdup("dec_ttl: expected controller ids in ()");
    }
    return NULL;
}

static char *parse_controller__(char *arg, struct ofpacts *,
                                struct ofpbuf *userdata);

/* The userdata goes after the action, once its other fields are set. */
static char *
parse_controller(char *arg, struct ofpacts *o)
{
    struct ofpbuf userdata = OFPBUF_INITIALIZER;
    char *error = parse_controller__(arg, o, &userdata);
    if (!error && userdata.size) {
        ofpact_controller_put_userdata(o, userdata.data, userdata.size);
    }
    ofpbuf_uninit(&userdata);
    return error;
}

static char *
parse_controller__(char *arg, struct ofpacts *o, struct ofpbuf *userdata)
{
    struct ofpact *a = ofpact_put(o, OFPACT_CONTROLLER);
    a->u.controller.max_len = UINT16_MAX;
    a->u.controller.reason = OFPR_ACTION;
    char *save = NULL;
    for (char *kv = strtok_r(arg, ",", &save); kv;
         kv = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(kv, '=');
        if (!strcmp(kv, "pause")) {
            return xstrdup("controller: pause is not supported (vswitch "
                           "has no continuations)");
        }
        if (!eq) {
            return xasprintf("controller: expected KEY=VALUE, got \"%s\"",
                             kv);
        }
        *eq++ = '\0';
        unsigned long long x;
        if (!strcmp(kv, "reason")) {
            size_t i;
            for (i = 0; i < ARRAY_SIZE(reason_names); i++) {
                if (!strcmp(eq, reason_names[i])) {
                    break;
                }
            }
            if (i == ARRAY_SIZE(reason_names)) {
                return xasprintf("controller: unknown reason \"%s\"", eq);
            }
            a->u.controller.reason = i;
        } else if (!strcmp(kv, "max_len") || !strcmp(kv, "id")) {
            if (!str_to_ullong(eq, 0, &x) || x > UINT16_MAX) {
                return xasprintf("controller: bad %s \"%s\"", kv, eq);
            }
            if (!strcmp(kv, "id")) {
                a->u.controller.id = x;
            } else {
                a->u.controller.max_len = x;
            }
        } else if (!strcmp(kv, "userdata")) {
            char *error = nx_controller2_parse_userdata(eq, userdata);
            if (error) {
                return error;
            }
        } else {
            return xasprintf("controller: unknown key \"%s\"", kv);
        }
    }
    return NULL;
}

char *
nx_action_parse(const char *key, char *arg, struct ofpacts *o,
                bool *handled)
{
    *handled = true;
    if (!strcmp(key, "resubmit")) {
        return parse_resubmit(arg, o);
    } else if (!strcmp(key, "load")) {
        return parse_load(arg, o);
    } else if (!strcmp(key, "move")) {
        return parse_move(arg, o);
    } else if (!strcmp(key, "note")) {
        return parse_note(arg, o);
    } else if (!strcasecmp(key, "output") && arg && strchr(arg, '[')) {
        return parse_output_reg(arg, o);
    } else if (!strcmp(key, "learn")) {
        return learn_parse(arg, o);
    } else if (!strcmp(key, "dec_ttl") && arg) {
        return parse_dec_ttl_ids(arg, o);
    } else if (!strcmp(key, "fin_timeout")) {
        return parse_fin_timeout(arg, o);
    } else if (!strcmp(key, "exit")) {
        if (arg) {
            return xstrdup("exit takes no argument");
        }
        ofpact_put(o, OFPACT_EXIT);
        return NULL;
    } else if (!strcasecmp(key, "controller") && arg
               && (strstr(arg, "reason=") || strstr(arg, "id=")
                   || strstr(arg, "userdata=") || strstr(arg, "pause"))) {
        return parse_controller(arg, o);
    }
    *handled = false;
    return NULL;
}

/* ---- Execution helper. ---- */

/* Bit 'bit' (from the least significant) of field value 'v'. */
static bool
get_bit(const struct ofp_field *f, const union ofp_value *v, unsigned int bit)
{
    return v->b[f->n_bytes - 1 - bit / 8] >> (bit % 8) & 1;
}

static void
set_bit(const struct ofp_field *f, union ofp_value *v, unsigned int bit,
        bool on)
{
    uint8_t *byte = &v->b[f->n_bytes - 1 - bit / 8];
    uint8_t m = 1u << (bit % 8);
    *byte = on ? *byte | m : *byte & ~m;
}

void
ofpact_move_apply(const struct ofpact *a, struct flow *flow)
{
    const struct ofp_field *src = ofp_field_get(a->u.move.src);
    const struct ofp_field *dst = ofp_field_get(a->u.move.dst);
    union ofp_value sv, dv;
    ofp_field_get_value(src, flow, &sv);
    ofp_field_get_value(dst, flow, &dv);
    for (unsigned int i = 0; i < a->u.move.n_bits; i++) {
        set_bit(dst, &dv, a->u.move.dst_ofs + i,
                get_bit(src, &sv, a->u.move.src_ofs + i));
    }
    ofp_field_set_flow(dst, &dv, flow);
}

uint64_t
ofpact_subfield_read(enum ofp_field_id id, unsigned int ofs,
                     unsigned int n_bits, const struct flow *flow)
{
    const struct ofp_field *f = ofp_field_get(id);
    union ofp_value v;
    uint64_t x = 0;
    ofp_field_get_value(f, flow, &v);
    for (unsigned int i = 0; i < n_bits && i < 64; i++) {
        x |= (uint64_t) get_bit(f, &v, ofs + i) << i;
    }
    return x;
}

void
ofpact_load_apply(const struct ofpact *a, struct flow *flow)
{
    const struct ofp_field *f = ofp_field_get(a->u.load.field);
    union ofp_value v;
    ofp_field_get_value(f, flow, &v);
    for (unsigned int i = 0; i < a->u.load.n_bits; i++) {
        set_bit(f, &v, a->u.load.ofs + i, a->u.load.value >> i & 1);
    }
    ofp_field_set_flow(f, &v, flow);
}
