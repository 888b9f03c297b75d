/* Nicira's learn action (see ofp-learn.h). */
#include <config.h>
#include "ofp-learn.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "dynamic-string.h"
#include "flow.h"
#include "match.h"
#include "nxm.h"
#include "ofp-actions.h"
#include "ofp-actions-nx.h"
#include "ofp-buf.h"
#include "ofp-fields.h"
#include "ofp-flow.h"
#include "util.h"

#define LEARN_HEADER_LEN 32
#define NX_VENDOR 0x00002320

/* ---- Bits of big-endian values. ---- */

static bool
bit_get(const uint8_t *b, size_t n_bytes, unsigned int bit)
{
    return b[n_bytes - 1 - bit / 8] >> (bit % 8) & 1;
}

static void
bit_set(uint8_t *b, size_t n_bytes, unsigned int bit, bool on)
{
    uint8_t *byte = &b[n_bytes - 1 - bit / 8];
    uint8_t m = 1u << (bit % 8);
    *byte = on ? *byte | m : *byte & ~m;
}

/* Copies 'n' bits from bit 'src_ofs' of 'src' to bit 'dst_ofs' of 'dst'. */
static void
bits_copy(const uint8_t *src, size_t src_bytes, unsigned int src_ofs,
          uint8_t *dst, size_t dst_bytes, unsigned int dst_ofs, unsigned int n)
{
    for (unsigned int i = 0; i < n; i++) {
        bit_set(dst, dst_bytes, dst_ofs + i,
                bit_get(src, src_bytes, src_ofs + i));
    }
}

static const struct ofp_field *
spec_src(const struct ofpact *s)
{
    return ofp_field_get(s->u.learn_spec.src);
}

static const struct ofp_field *
spec_dst(const struct ofpact *s)
{
    return ofp_field_get(s->u.learn_spec.dst);
}

static int
spec_src_kind(const struct ofpact *s)
{
    return (s->u.learn_spec.kind << 8) & NX_LEARN_SRC_MASK;
}

static int
spec_dst_kind(const struct ofpact *s)
{
    return (s->u.learn_spec.kind << 8) & NX_LEARN_DST_MASK;
}

/* ---- Decoding. ---- */

/* A field header and offset at 'p' for 'n_bits' bits: its id, or -1. */
static int
pull_subfield(const uint8_t *p, unsigned int n_bits, unsigned int *ofs)
{
    int id = nxm_field_from_header(get_be32(p));
    *ofs = get_be16(p + 4);
    if (id < 0 || *ofs + n_bits > ofp_field_get(id)->n_bits) {
        return -1;
    }
    return id;
}

static enum ofperr
decode_spec(const uint8_t *p, size_t left, struct ofpacts *o, size_t *used)
{
    uint16_t h = get_be16(p);
    unsigned int n_bits = h & NX_LEARN_N_BITS_MASK;
    int src = h & NX_LEARN_SRC_MASK, dst = h & NX_LEARN_DST_MASK;
    size_t n = 2;

    if (h & 0xc000 || dst == (3 << 11) || !n_bits || n_bits > 128) {
        return OFPERR_OFPBAC_BAD_ARGUMENT;
    }
    struct ofpact *s = ofpact_put(o, OFPACT_LEARN_SPEC);
    s->u.learn_spec.n_bits = n_bits;
    s->u.learn_spec.kind = (src | dst) >> 8;
    if (src == NX_LEARN_SRC_FIELD) {
        unsigned int ofs;
        int id = left >= n + 6 ? pull_subfield(p + n, n_bits, &ofs) : -2;
        if (id < 0) {
            return id == -2 ? OFPERR_OFPBAC_BAD_LEN : OFPERR_OFPBAC_BAD_ARGUMENT;
        }
        s->u.learn_spec.src = id;
        s->u.learn_spec.src_ofs = ofs;
        n += 6;
    } else {
        size_t bytes = 2 * DIV_ROUND_UP(n_bits, 16);
        if (left < n + bytes || dst == NX_LEARN_DST_OUTPUT) {
            return (left < n + bytes ? OFPERR_OFPBAC_BAD_LEN
                    : OFPERR_OFPBAC_BAD_ARGUMENT);
        }
        uint8_t *imm = s->u.learn_spec.imm.b;
        memcpy(imm + 16 - bytes, p + n, bytes);
        for (unsigned int bit = n_bits; bit < 8 * bytes; bit++) {
            if (bit_get(imm, 16, bit)) {
                return OFPERR_OFPBAC_BAD_ARGUMENT;  /* Beyond n_bits. */
            }
        }
        n += bytes;
    }
    if (dst != NX_LEARN_DST_OUTPUT) {
        unsigned int ofs;
        int id = left >= n + 6 ? pull_subfield(p + n, n_bits, &ofs) : -2;
        if (id < 0) {
            return id == -2 ? OFPERR_OFPBAC_BAD_LEN : OFPERR_OFPBAC_BAD_ARGUMENT;
        }
        if (dst == NX_LEARN_DST_LOAD && !ofp_field_get(id)->writable) {
            return OFPERR_OFPBAC_BAD_ARGUMENT;
        }
        s->u.learn_spec.dst = id;
        s->u.learn_spec.dst_ofs = ofs;
        n += 6;
    }
    *used = n;
    return 0;
}

enum ofperr
learn_decode(const uint8_t *p, size_t len, struct ofpacts *o)
{
    if (len < LEARN_HEADER_LEN || len % 8) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    if (p[26] == 255 || p[27]) {
        return OFPERR_OFPBAC_BAD_ARGUMENT;    /* Table 255; pad. */
    }
    if (get_be16(p + 24) & ~(NX_LEARN_F_SEND_FLOW_REM
                             | NX_LEARN_F_DELETE_LEARNED)) {
        return OFPERR_OFPBAC_BAD_ARGUMENT;
    }
    size_t at = o->n;
    struct ofpact *a = ofpact_put(o, OFPACT_LEARN);
    a->u.learn.idle_timeout = get_be16(p + 10);
    a->u.learn.hard_timeout = get_be16(p + 12);
    a->u.learn.priority = get_be16(p + 14);
    a->u.learn.cookie = get_be64(p + 16);
    a->u.learn.flags = get_be16(p + 24);
    a->u.learn.table_id = p[26];
    a->u.learn.fin_idle_timeout = get_be16(p + 28);
    a->u.learn.fin_hard_timeout = get_be16(p + 30);

    size_t ofs = LEARN_HEADER_LEN;
    while (ofs + 2 <= len && get_be16(p + ofs)) {
        size_t used;
        enum ofperr error = decode_spec(p + ofs, len - ofs, o, &used);
        if (error) {
            return error;
        }
        ofs += used;
    }
    if (!is_all_zeros(p + ofs, len - ofs)) {
        return OFPERR_OFPBAC_BAD_ARGUMENT;    /* Junk after the specs. */
    }
    o->acts[at].n_nested = o->n - at - 1;
    return 0;
}

/* ---- Encoding. ---- */

static void
put_subfield(struct ofpbuf *b, enum ofp_field_id id, unsigned int ofs)
{
    uint32_t header;
    const char *name;
    nxm_field_header(id, &header, &name);
    ofpbuf_put_be32(b, header);
    ofpbuf_put_be16(b, ofs);
}

void
learn_encode(const struct ofpact *a, struct ofpbuf *b)
{
    size_t start = b->size;
    ofpbuf_put_be16(b, 0xffff);
    ofpbuf_put_be16(b, 0);
    ofpbuf_put_be32(b, NX_VENDOR);
    ofpbuf_put_be16(b, NXAST_LEARN);
    ofpbuf_put_be16(b, a->u.learn.idle_timeout);
    ofpbuf_put_be16(b, a->u.learn.hard_timeout);
    ofpbuf_put_be16(b, a->u.learn.priority);
    ofpbuf_put_be64(b, a->u.learn.cookie);
    ofpbuf_put_be16(b, a->u.learn.flags);
    ofpbuf_put_u8(b, a->u.learn.table_id);
    ofpbuf_put_u8(b, 0);
    ofpbuf_put_be16(b, a->u.learn.fin_idle_timeout);
    ofpbuf_put_be16(b, a->u.learn.fin_hard_timeout);
    for (size_t i = 1; i <= a->n_nested; i++) {
        const struct ofpact *s = &a[i];
        unsigned int n_bits = s->u.learn_spec.n_bits;
        ofpbuf_put_be16(b, (s->u.learn_spec.kind << 8) | n_bits);
        if (spec_src_kind(s) == NX_LEARN_SRC_FIELD) {
            put_subfield(b, s->u.learn_spec.src, s->u.learn_spec.src_ofs);
        } else {
            size_t bytes = 2 * DIV_ROUND_UP(n_bits, 16);
            ofpbuf_put(b, s->u.learn_spec.imm.b + 16 - bytes, bytes);
        }
        if (spec_dst_kind(s) != NX_LEARN_DST_OUTPUT) {
            put_subfield(b, s->u.learn_spec.dst, s->u.learn_spec.dst_ofs);
        }
    }
    ofpbuf_pad_from(b, start, 8);
    put_be16(b->data + start + 2, b->size - start);
}

/* ---- Formatting, as ovs-ofctl prints it. ---- */

/* The low 'n_bits' of 'imm' as hex ("0x5", zero as "0"). */
static void
format_imm(const union ofp_value *imm, struct ds *s)
{
    size_t i = 0;
    while (i < 16 && !imm->b[i]) {
        i++;
    }
    if (i == 16) {
        ds_put_char(s, '0');
        return;
    }
    ds_put_format(s, "0x%x", imm->b[i]);
    while (++i < 16) {
        ds_put_format(s, "%02x", imm->b[i]);
    }
}

static void
format_spec(const struct ofpact *sp, struct ds *s)
{
    const struct ofp_field *dst = spec_dst(sp);
    unsigned int n_bits = sp->u.learn_spec.n_bits;
    bool imm = spec_src_kind(sp) == NX_LEARN_SRC_IMMEDIATE;

    switch (spec_dst_kind(sp)) {
    case NX_LEARN_DST_MATCH:
        if (imm && !sp->u.learn_spec.dst_ofs && n_bits == dst->n_bits) {
            /* A whole field: by its name, in its notation. */
            union ofp_value v;
            memset(&v, 0, sizeof v);
            memcpy(v.b, sp->u.learn_spec.imm.b + 16 - dst->n_bytes,
                   dst->n_bytes);
            ds_put_format(s, "%s=", dst->name);
            ofp_field_format_value(dst, &v, s);
            break;
        }
        nx_format_subfield(dst->id, sp->u.learn_spec.dst_ofs, n_bits, s);
        if (imm) {
            ds_put_char(s, '=');
            format_imm(&sp->u.learn_spec.imm, s);
        } else if (sp->u.learn_spec.src != sp->u.learn_spec.dst
                   || sp->u.learn_spec.src_ofs != sp->u.learn_spec.dst_ofs) {
            ds_put_char(s, '=');
            nx_format_subfield(sp->u.learn_spec.src, sp->u.learn_spec.src_ofs,
                               n_bits, s);
        }
        break;
    case NX_LEARN_DST_LOAD:
        ds_put_cstr(s, "load:");
        if (imm) {
            format_imm(&sp->u.learn_spec.imm, s);
        } else {
            nx_format_subfield(sp->u.learn_spec.src, sp->u.learn_spec.src_ofs,
                               n_bits, s);
        }
        ds_put_cstr(s, "->");
        nx_format_subfield(dst->id, sp->u.learn_spec.dst_ofs, n_bits, s);
        break;
    case NX_LEARN_DST_OUTPUT:
        ds_put_cstr(s, "output:");
        nx_format_subfield(sp->u.learn_spec.src, sp->u.learn_spec.src_ofs,
                           n_bits, s);
        break;
    }
}

void
learn_format(const struct ofpact *a, struct ds *s)
{
    ds_put_format(s, "learn(table=%u", a->u.learn.table_id);
    static const struct { const char *name; size_t ofs; } timeouts[] = {
        { "idle_timeout", offsetof(struct ofpact, u.learn.idle_timeout) },
        { "hard_timeout", offsetof(struct ofpact, u.learn.hard_timeout) },
        { "fin_idle_timeout",
          offsetof(struct ofpact, u.learn.fin_idle_timeout) },
        { "fin_hard_timeout",
          offsetof(struct ofpact, u.learn.fin_hard_timeout) },
    };
    for (size_t i = 0; i < ARRAY_SIZE(timeouts); i++) {
        uint16_t t;
        memcpy(&t, (const char *) a + timeouts[i].ofs, sizeof t);
        if (t) {
            ds_put_format(s, ",%s=%u", timeouts[i].name, t);
        }
    }
    if (a->u.learn.priority != 0x8000) {
        ds_put_format(s, ",priority=%u", a->u.learn.priority);
    }
    if (a->u.learn.flags & NX_LEARN_F_SEND_FLOW_REM) {
        ds_put_cstr(s, ",send_flow_rem");
    }
    if (a->u.learn.flags & NX_LEARN_F_DELETE_LEARNED) {
        ds_put_cstr(s, ",delete_learned");
    }
    if (a->u.learn.cookie) {
        ds_put_format(s, ",cookie=%#"PRIx64, a->u.learn.cookie);
    }
    for (size_t i = 1; i <= a->n_nested; i++) {
        ds_put_char(s, ',');
        format_spec(&a[i], s);
    }
    ds_put_char(s, ')');
}

/* ---- Parsing. ---- */

static char *
parse_u16(const char *name, const char *value, uint16_t *out)
{
    unsigned long long x;
    if (!value || !str_to_ullong(value, 0, &x) || x > UINT16_MAX) {
        return xasprintf("learn: bad %s \"%s\"", name, value ? value : "");
    }
    *out = x;
    return NULL;
}

/* "FIELD[bits]" or a bare field name (the whole field). */
static char *
parse_learn_subfield(char *text, bool writable, enum ofp_field_id *id,
                     unsigned int *ofs, unsigned int *n_bits)
{
    if (strchr(text, '[')) {
        return nx_parse_subfield(text, writable, id, ofs, n_bits);
    }
    int f = nxm_field_from_name(text);
    if (f < 0 || (writable && !ofp_field_get(f)->writable)) {
        return xasprintf("learn: %s is not a field %s", text,
                         writable ? "that can be written" : "known here");
    }
    *id = f;
    *ofs = 0;
    *n_bits = ofp_field_get(f)->n_bits;
    return NULL;
}

/* A value for 'n_bits' bits of 'dst' ("0x5", "10.0.0.1" for a whole IPv4
 * field...) into the low bits of 'imm'. */
static char *
parse_imm(const struct ofp_field *dst, unsigned int n_bits, bool whole,
          const char *text, union ofp_value *imm)
{
    union ofp_value v;
    memset(imm, 0, sizeof *imm);
    if (whole) {
        char *error = ofp_field_parse_value(dst, text, &v, NULL);
        if (error) {
            return error;
        }
        memcpy(imm->b + 16 - dst->n_bytes, v.b, dst->n_bytes);
        return NULL;
    }
    unsigned long long x;
    if (!str_to_ullong(text, 0, &x) || (n_bits < 64 && x >> n_bits)) {
        return xasprintf("learn: %s does not fit in %u bits", text, n_bits);
    }
    ofp_value_from_u64(ofp_field_get(OFPF_XXREG0), x, imm);
    return NULL;
}

static char *
parse_spec(char *item, struct ofpacts *o)
{
    struct ofpact *s = ofpact_put(o, OFPACT_LEARN_SPEC);
    enum ofp_field_id src, dst;
    unsigned int src_ofs, dst_ofs, src_bits, dst_bits;
    char *error;

    if (!strncmp(item, "load:", 5) || !strncmp(item, "output:", 7)) {
        bool load = item[0] == 'l';
        char *arg = item + (load ? 5 : 7);
        char *arrow = load ? strstr(arg, "->") : NULL;
        if (load && !arrow) {
            return xasprintf("learn: expected load:SRC->DST, got %s", item);
        }
        if (arrow) {
            *arrow = '\0';
            error = parse_learn_subfield(arrow + 2, true, &dst, &dst_ofs,
                                         &dst_bits);
            if (error) {
                return error;
            }
            s->u.learn_spec.dst = dst;
            s->u.learn_spec.dst_ofs = dst_ofs;
        }
        s->u.learn_spec.kind = (load ? NX_LEARN_DST_LOAD
                                : NX_LEARN_DST_OUTPUT) >> 8;
        if (load && !strchr(arg, '[') && nxm_field_from_name(arg) < 0) {
            s->u.learn_spec.kind |= NX_LEARN_SRC_IMMEDIATE >> 8;
            s->u.learn_spec.n_bits = dst_bits;
            return parse_imm(ofp_field_get(dst), dst_bits, false, arg,
                             &s->u.learn_spec.imm);
        }
        error = parse_learn_subfield(arg, false, &src, &src_ofs, &src_bits);
        if (error) {
            return error;
        }
        if (load && src_bits != dst_bits) {
            return xasprintf("learn: load of %u bits into %u", src_bits,
                             dst_bits);
        }
        s->u.learn_spec.src = src;
        s->u.learn_spec.src_ofs = src_ofs;
        s->u.learn_spec.n_bits = src_bits;
        return NULL;
    }

    /* Matches: "DST=SRC", "DST=VALUE" or "FIELD[bits]". */
    char *eq = strchr(item, '=');
    if (eq) {
        *eq = '\0';
    }
    error = parse_learn_subfield(item, false, &dst, &dst_ofs, &dst_bits);
    if (error) {
        return error;
    }
    s->u.learn_spec.kind = NX_LEARN_DST_MATCH >> 8;
    s->u.learn_spec.dst = dst;
    s->u.learn_spec.dst_ofs = dst_ofs;
    s->u.learn_spec.n_bits = dst_bits;
    if (!eq) {
        s->u.learn_spec.src = dst;
        s->u.learn_spec.src_ofs = dst_ofs;
        return NULL;
    }
    char *rhs = eq + 1;
    if (strchr(rhs, '[') || nxm_field_from_name(rhs) >= 0) {
        error = parse_learn_subfield(rhs, false, &src, &src_ofs, &src_bits);
        if (error) {
            return error;
        }
        if (src_bits != dst_bits) {
            return xasprintf("learn: %s is %u bits wide, its source %u",
                             item, dst_bits, src_bits);
        }
        s->u.learn_spec.src = src;
        s->u.learn_spec.src_ofs = src_ofs;
        return NULL;
    }
    s->u.learn_spec.kind |= NX_LEARN_SRC_IMMEDIATE >> 8;
    const struct ofp_field *f = ofp_field_get(dst);
    return parse_imm(f, dst_bits, !dst_ofs && dst_bits == f->n_bits, rhs,
                     &s->u.learn_spec.imm);
}

char *
learn_parse(char *arg, struct ofpacts *o)
{
    size_t at = o->n;
    struct ofpact *a = ofpact_put(o, OFPACT_LEARN);
    a->u.learn.table_id = 1;
    a->u.learn.priority = 0x8000;

    char *save = NULL;
    for (char *item = strtok_r(arg ? arg : "", ",", &save); item;
         item = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(item, '=');
        char *value = eq ? eq + 1 : NULL;
        size_t klen = eq ? (size_t) (eq - item) : strlen(item);
        char *error = NULL;
        a = &o->acts[at];       /* Specs may move the array. */
#define KEY(NAME) (klen == strlen(NAME) && !strncmp(item, NAME, klen))
        if (KEY("table")) {
            uint16_t t = 0;
            error = parse_u16("table", value, &t);
            if (!error && t > 254) {
                error = xasprintf("learn: bad table %u", t);
            }
            a->u.learn.table_id = t;
        } else if (KEY("priority")) {
            error = parse_u16("priority", value, &a->u.learn.priority);
        } else if (KEY("idle_timeout")) {
            error = parse_u16("idle_timeout", value, &a->u.learn.idle_timeout);
        } else if (KEY("hard_timeout")) {
            error = parse_u16("hard_timeout", value, &a->u.learn.hard_timeout);
        } else if (KEY("fin_idle_timeout")) {
            error = parse_u16("fin_idle_timeout", value,
                              &a->u.learn.fin_idle_timeout);
        } else if (KEY("fin_hard_timeout")) {
            error = parse_u16("fin_hard_timeout", value,
                              &a->u.learn.fin_hard_timeout);
        } else if (KEY("cookie")) {
            unsigned long long x;
            if (!value || !str_to_ullong(value, 0, &x)) {
                error = xasprintf("learn: bad cookie \"%s\"", value ? value : "");
            }
            a->u.learn.cookie = error ? 0 : x;
        } else if (!eq && KEY("send_flow_rem")) {
            a->u.learn.flags |= NX_LEARN_F_SEND_FLOW_REM;
        } else if (!eq && KEY("delete_learned")) {
            a->u.learn.flags |= NX_LEARN_F_DELETE_LEARNED;
        } else {
            error = parse_spec(item, o);
        }
#undef KEY
        if (error) {
            return error;
        }
    }
    o->acts[at].n_nested = o->n - at - 1;
    return NULL;
}

/* ---- Checking. ---- */

enum ofperr
learn_check(const struct ofpact *a, const struct match *m)
{
    struct match learned;
    match_init_catchall(&learned);
    for (size_t i = 1; i <= a->n_nested; i++) {
        const struct ofpact *s = &a[i];
        if (spec_src_kind(s) == NX_LEARN_SRC_FIELD
            && !ofp_field_prereqs_ok(spec_src(s), m)) {
            return OFPERR_OFPBAC_MATCH_INCONSISTENT;
        }
        if (spec_dst_kind(s) == NX_LEARN_DST_OUTPUT) {
            continue;
        }
        const struct ofp_field *dst = spec_dst(s);
        if (!ofp_field_prereqs_ok(dst, &learned)) {
            return OFPERR_OFPBAC_MATCH_INCONSISTENT;
        }
        if (spec_dst_kind(s) == NX_LEARN_DST_MATCH) {
            /* Later specs may depend on it (eth_type before ip_dst). */
            union ofp_value v, mask;
            ofp_field_get_value(dst, &learned.flow, &v);
            ofp_field_get_mask(dst, &learned, &mask);
            if (spec_src_kind(s) == NX_LEARN_SRC_IMMEDIATE) {
                bits_copy(s->u.learn_spec.imm.b, 16, 0, v.b, dst->n_bytes,
                          s->u.learn_spec.dst_ofs, s->u.learn_spec.n_bits);
            }
            for (unsigned int b = 0; b < s->u.learn_spec.n_bits; b++) {
                bit_set(mask.b, dst->n_bytes, s->u.learn_spec.dst_ofs + b,
                        true);
            }
            ofp_field_set_match(dst, &v, &mask, &learned);
        }
    }
    return 0;
}

/* ---- Running. ---- */

/* The spec's source bits (packet or immediate) into the low bits of a
 * 128-bit value; marks what it read of the packet in 'read'. */
static void
spec_value(const struct ofpact *s, const struct flow *flow,
           union ofp_value *out, struct flow *read)
{
    memset(out, 0, sizeof *out);
    if (spec_src_kind(s) == NX_LEARN_SRC_IMMEDIATE) {
        *out = s->u.learn_spec.imm;
        return;
    }
    const struct ofp_field *src = spec_src(s);
    union ofp_value v;
    ofp_field_get_value(src, flow, &v);
    bits_copy(v.b, src->n_bytes, s->u.learn_spec.src_ofs, out->b, 16, 0,
              s->u.learn_spec.n_bits);
    if (read) {
        ofp_field_get_value(src, read, &v);
        for (unsigned int b = 0; b < s->u.learn_spec.n_bits; b++) {
            bit_set(v.b, src->n_bytes, s->u.learn_spec.src_ofs + b, true);
        }
        ofp_field_set_flow(src, &v, read);
    }
}

void
learn_execute(const struct ofpact *a, const struct flow *flow,
              struct ofp_flow_mod *fm, struct flow *read)
{
    fm->command = OFPFC_ADD;
    fm->table_id = a->u.learn.table_id;
    fm->priority = a->u.learn.priority;
    fm->idle_timeout = a->u.learn.idle_timeout;
    fm->hard_timeout = a->u.learn.hard_timeout;
    fm->cookie = a->u.learn.cookie;
    fm->flags = (a->u.learn.flags & NX_LEARN_F_SEND_FLOW_REM
                 ? OFPFF_SEND_FLOW_REM : 0);
    /* The learned flow gets the learn's fin timeouts as its own
     * fin_timeout action, first, as Open vSwitch builds it (its dump
     * shows "actions=fin_timeout(...),output:1"). */
    if (a->u.learn.fin_idle_timeout || a->u.learn.fin_hard_timeout) {
        struct ofpact *ft = ofpact_put(&fm->ofpacts, OFPACT_FIN_TIMEOUT);
        ft->u.fin_timeout.idle = a->u.learn.fin_idle_timeout;
        ft->u.fin_timeout.hard = a->u.learn.fin_hard_timeout;
    }

    for (size_t i = 1; i <= a->n_nested; i++) {
        const struct ofpact *s = &a[i];
        unsigned int n_bits = s->u.learn_spec.n_bits;
        union ofp_value x;
        spec_value(s, flow, &x, read);

        switch (spec_dst_kind(s)) {
        case NX_LEARN_DST_MATCH: {
            const struct ofp_field *dst = spec_dst(s);
            union ofp_value v, mask;
            ofp_field_get_value(dst, &fm->match.flow, &v);
            ofp_field_get_mask(dst, &fm->match, &mask);
            bits_copy(x.b, 16, 0, v.b, dst->n_bytes, s->u.learn_spec.dst_ofs,
                      n_bits);
            for (unsigned int b = 0; b < n_bits; b++) {
                bit_set(mask.b, dst->n_bytes, s->u.learn_spec.dst_ofs + b,
                        true);
            }
            ofp_field_set_match(dst, &v, &mask, &fm->match);
            break;
        }
        case NX_LEARN_DST_LOAD:
            /* At most 64 bits a load, lowest first. */
            for (unsigned int done = 0; done < n_bits; done += 64) {
                struct ofpact *l = ofpact_put(&fm->ofpacts, OFPACT_REG_LOAD);
                l->u.load.field = s->u.learn_spec.dst;
                l->u.load.ofs = s->u.learn_spec.dst_ofs + done;
                l->u.load.n_bits = MIN(64, n_bits - done);
                l->u.load.n_more = done ? 0 : (n_bits - 1) / 64;
                l->u.load.more = done != 0;
                for (unsigned int b = 0; b < l->u.load.n_bits; b++) {
                    l->u.load.value |= (uint64_t) bit_get(x.b, 16, done + b) << b;
                }
            }
            break;
        case NX_LEARN_DST_OUTPUT: {
            uint64_t port = ofp_value_to_u64(ofp_field_get(OFPF_XXREG0), &x);
            struct ofpact *out = ofpact_put(&fm->ofpacts, OFPACT_OUTPUT);
            out->u.output.port = (port <= UINT16_MAX ? ofp_port_from_ofp10(port)
                                  : port <= UINT32_MAX ? port : OFPP_NONE);
            break;
        }
        }
    }
}
