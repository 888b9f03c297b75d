/* OpenFlow 1.5 spellings of load and move (see ofp-actions-of15.h). */
#include <config.h>
#include "ofp-actions-of15.h"

#include <string.h>
#include "nxm.h"
#include "ofp-actions.h"
#include "ofp-actions-nx.h"
#include "ofp-buf.h"
#include "ofp-msgs.h"
#include "oxm.h"
#include "util.h"

static bool
bit_get(const struct ofp_field *f, const union ofp_value *v, unsigned int bit)
{
    return v->b[f->n_bytes - 1 - bit / 8] >> (bit % 8) & 1;
}

static void
bit_set(const struct ofp_field *f, union ofp_value *v, unsigned int bit)
{
    v->b[f->n_bytes - 1 - bit / 8] |= 1u << (bit % 8);
}

/* Loads and moves name a field by an NXM or OXM header. */
static bool
can_load(const struct ofp_field *f)
{
    uint32_t header;
    const char *name;
    return nxm_field_header(f->id, &header, &name);
}

enum ofperr
of15_masked_set_field(const struct ofp_field *f, const union ofp_value *value,
                      const union ofp_value *mask, struct ofpacts *o)
{
    if (!can_load(f)) {
        return OFPERR_OFPBAC_BAD_SET_ARGUMENT;
    }
    size_t first = o->n;
    for (unsigned int bit = 0; bit < f->n_bits;) {
        if (!bit_get(f, mask, bit)) {
            bit++;
            continue;
        }
        unsigned int n = 0;
        uint64_t x = 0;
        while (bit + n < f->n_bits && n < 64 && bit_get(f, mask, bit + n)) {
            x |= (uint64_t) bit_get(f, value, bit + n) << n;
            n++;
        }
        struct ofpact *a = ofpact_put(o, OFPACT_REG_LOAD);
        a->u.load.field = f->id;
        a->u.load.ofs = bit;
        a->u.load.n_bits = n;
        a->u.load.value = x;
        a->u.load.more = o->n - 1 > first;
        o->acts[first].u.load.n_more = o->n - 1 - first;
        bit += n;
    }
    return 0;
}

/* A field from the header of a copy_field: NXM or OXM, 4 bytes. */
static int
field_from_header(uint32_t header)
{
    int id = nxm_field_from_header(header);
    if (id >= 0) {
        return id;
    }
    const struct ofp_field *f = ofp_field_from_oxm(header >> 16,
                                                   (header >> 9) & 0x7f);
    return (f && !(header & 0x100) && (header & 0xff) == f->n_bytes
            ? (int) f->id : -1);
}

enum ofperr
of15_decode_copy_field(const uint8_t *p, size_t len, struct ofpacts *o)
{
    /* type, len, n_bits, src_offset, dst_offset, pad[2], src, dst, pad. */
    if (len != 24) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    int src = field_from_header(get_be32(p + 12));
    int dst = field_from_header(get_be32(p + 16));
    if (src < 0 || dst < 0
        || !can_load(ofp_field_get(src)) || !can_load(ofp_field_get(dst))) {
        return OFPERR_OFPBAC_BAD_SET_TYPE;
    }
    return nx_put_reg_move(src, get_be16(p + 6), dst, get_be16(p + 8),
                           get_be16(p + 4), o);
}

void
of15_put_load(const struct ofpact *a, struct ofpbuf *b)
{
    if (a->u.load.more) {
        return;                 /* In the set_field of the load before. */
    }
    const struct ofp_field *f = ofp_field_get(a->u.load.field);
    union ofp_value v, m;
    memset(&v, 0, sizeof v);
    memset(&m, 0, sizeof m);
    for (size_t k = 0; k <= a->u.load.n_more; k++) {
        const struct ofpact *l = &a[k];
        for (unsigned int i = 0; i < l->u.load.n_bits; i++) {
            bit_set(f, &m, l->u.load.ofs + i);
            if (l->u.load.value >> i & 1) {
                bit_set(f, &v, l->u.load.ofs + i);
            }
        }
    }
    size_t start = b->size;
    ofpbuf_put_be16(b, 25);                 /* OFPAT_SET_FIELD. */
    ofpbuf_put_be16(b, 0);
    oxm_put_field(b, f, &v, &m, OFP15_VERSION);
    ofpbuf_pad_from(b, start, 8);
    put_be16(b->data + start + 2, b->size - start);
}

/* The header a copy_field names 'id' by: OXM's own where the field is a
 * basic one, else NXM's (in_port as 16 bits, registers), as Open vSwitch
 * writes them. */
static uint32_t
copy_field_header(enum ofp_field_id id)
{
    const struct ofp_field *f = ofp_field_get(id);
    uint32_t header;
    const char *name;
    if (f->oxm_class == OXM_CLASS_BASIC && !f->view) {
        return ((uint32_t) f->oxm_class << 16) | (f->oxm_field << 9)
               | f->n_bytes;
    }
    nxm_field_header(id, &header, &name);
    return header;
}

void
of15_put_copy_field(const struct ofpact *a, struct ofpbuf *b)
{
    ofpbuf_put_be16(b, OFPAT_COPY_FIELD);
    ofpbuf_put_be16(b, 24);
    ofpbuf_put_be16(b, a->u.move.n_bits);
    ofpbuf_put_be16(b, a->u.move.src_ofs);
    ofpbuf_put_be16(b, a->u.move.dst_ofs);
    ofpbuf_put_zeros(b, 2);
    ofpbuf_put_be32(b, copy_field_header(a->u.move.src));
    ofpbuf_put_be32(b, copy_field_header(a->u.move.dst));
    ofpbuf_put_zeros(b, 4);
}
