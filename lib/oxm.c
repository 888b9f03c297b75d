/* OXM TLV match encoding and decoding (OpenFlow 1.2+). */
#include <config.h>
#include "oxm.h"

#include <string.h>
#include "match.h"
#include "ofp-buf.h"
#include "ofp-msgs.h"
#include "util.h"

#define OFPMT_OXM 1

enum ofperr
oxm_pull_one(const uint8_t *p, size_t len, const struct ofp_field **fieldp,
             union ofp_value *value, union ofp_value *mask, bool *has_mask,
             size_t *len_out)
{
    if (len < 4) {
        return OFPERR_OFPBMC_BAD_LEN;
    }
    uint16_t oxm_class = get_be16(p);
    uint8_t field_id = p[2] >> 1;
    bool hm = p[2] & 1;
    uint8_t plen = p[3];
    if ((size_t) plen > len - 4) {
        return OFPERR_OFPBMC_BAD_LEN;
    }
    const uint8_t *payload = p + 4;
    size_t payload_len = plen;

    const struct ofp_field *f = NULL;
    if (oxm_class == OXM_CLASS_BASIC || oxm_class == OXM_CLASS_NXM_1
        || oxm_class == OXM_CLASS_PKT_REGS) {
        f = ofp_field_from_oxm(oxm_class, field_id);
    } else if (oxm_class == 0 && field_id == 4) {
        /* NXM_OF_VLAN_TCI: what NXM's TCI masks without the CFI bit
         * become (lib/nxm.c); Open vSwitch takes it in OXM too. */
        f = ofp_field_get(OFPF_VLAN_TCI);
    } else if (oxm_class == OXM_CLASS_EXPERIMENTER) {
        if (payload_len < 4) {
            return OFPERR_OFPBMC_BAD_LEN;
        }
        /* ONF's TCP flags extension for OF1.3 (EXT-233). */
        if (get_be32(payload) == ONF_EXPERIMENTER_ID
            && field_id == OXM_TCP_FLAGS_FIELD) {
            f = ofp_field_get(OFPF_TCP_FLAGS);
        }
        payload += 4;
        payload_len -= 4;
    }
    if (!f) {
        return OFPERR_OFPBMC_BAD_FIELD;
    }
    if (payload_len != (size_t) f->n_bytes * (hm ? 2 : 1)) {
        return OFPERR_OFPBMC_BAD_LEN;
    }
    if (hm && !f->maskable) {
        return OFPERR_OFPBMC_BAD_MASK;
    }
    memset(value, 0, sizeof *value);
    memset(mask, 0, sizeof *mask);
    memcpy(value->b, payload, f->n_bytes);
    if (hm) {
        memcpy(mask->b, payload + f->n_bytes, f->n_bytes);
        for (int i = 0; i < f->n_bytes; i++) {
            if (value->b[i] & ~mask->b[i]) {
                return OFPERR_OFPBMC_BAD_WILDCARDS;
            }
        }
    } else {
        memset(mask->b, 0xff, f->n_bytes);
    }
    if (!ofp_field_value_is_valid(f, value)) {
        return OFPERR_OFPBMC_BAD_VALUE;
    }
    *fieldp = f;
    *has_mask = hm;
    *len_out = 4 + plen;
    return 0;
}

static bool
is_register(enum ofp_field_id id)
{
    return id >= OFPF_REG0 && id <= OFPF_XXREG(FLOW_N_XXREGS - 1);
}

static bool
register_is_set(const struct ofp_field *f, const struct match *match)
{
    union ofp_value mask;
    ofp_field_get_mask(f, match, &mask);
    return !ofp_value_is_zero(f, &mask);
}

enum ofperr
oxm_decode_fields(const uint8_t *p, size_t len, struct match *match)
{
    bool seen[OFPF_N_FIELDS] = { false };

    match_init_catchall(match);
    while (len > 0) {
        const struct ofp_field *f;
        union ofp_value value, mask;
        bool has_mask;
        size_t n;
        enum ofperr error = oxm_pull_one(p, len, &f, &value, &mask,
                                         &has_mask, &n);
        if (error) {
            return error;
        }
        if (seen[f->id] || (is_register(f->id) && register_is_set(f, match))) {
            /* A register named twice, also through an xreg or xxreg. */
            return OFPERR_OFPBMC_DUP_FIELD;
        }
        seen[f->id] = true;

        if (f->id == OFPF_VLAN_VID) {
            /* A VID without the present bit names no VLAN at all. */
            uint16_t v = ntohs(value.be16), m = ntohs(mask.be16);
            /* (With the present bit masked out, VID bits with or without
             * a tag: learn's NXM_OF_VLAN_TCI[0..11], as OVS sends it.) */
            if ((m & OFPVID_PRESENT) && !(v & OFPVID_PRESENT)
                && (v & m & VLAN_VID_MASK)) {
                return OFPERR_OFPBMC_BAD_VALUE;
            }
        }
        ofp_field_set_match(f, &value, &mask, match);
        p += n;
        len -= n;
    }

    /* Prerequisites, once every field is known (OXM does not fix the
     * order). */
    for (int id = 0; id < OFPF_N_FIELDS; id++) {
        if (seen[id] && !ofp_field_prereqs_ok(ofp_field_get(id), match)) {
            return OFPERR_OFPBMC_BAD_PREREQ;
        }
    }
    return 0;
}

enum ofperr
oxm_pull_match(struct ofpbuf *b, struct match *match)
{
    const uint8_t *h = ofpbuf_at(b, 0, 4);
    if (!h) {
        return OFPERR_OFPBMC_BAD_LEN;
    }
    uint16_t type = get_be16(h);
    uint16_t length = get_be16(h + 2);
    if (type != OFPMT_OXM) {
        return OFPERR_OFPBMC_BAD_TYPE;
    }
    if (length < 4 || !ofpbuf_at(b, 0, ROUND_UP(length, 8))) {
        return OFPERR_OFPBMC_BAD_LEN;
    }
    enum ofperr error = oxm_decode_fields(h + 4, length - 4, match);
    if (!error) {
        ofpbuf_try_pull(b, ROUND_UP(length, 8));
    }
    return error;
}

void
oxm_put_field(struct ofpbuf *b, const struct ofp_field *f,
              const union ofp_value *value, const union ofp_value *mask,
              uint8_t version)
{
    bool hm = mask && !ofp_value_is_exact(f, mask);
    size_t plen = f->n_bytes * (hm ? 2 : 1);
    bool onf = f->id == OFPF_TCP_FLAGS && version < 0x06;

    ofpbuf_put_be16(b, onf ? OXM_CLASS_EXPERIMENTER : f->oxm_class);
    ofpbuf_put_u8(b, (f->oxm_field << 1) | hm);
    ofpbuf_put_u8(b, plen + (onf ? 4 : 0));
    if (onf) {
        ofpbuf_put_be32(b, ONF_EXPERIMENTER_ID);
    }
    ofpbuf_put(b, value->b, f->n_bytes);
    if (hm) {
        ofpbuf_put(b, mask->b, f->n_bytes);
    }
}

static void
put_match_field(struct ofpbuf *b, const struct ofp_field *f,
                const struct match *match, uint8_t version)
{
    union ofp_value value, mask;
    ofp_field_get_mask(f, match, &mask);
    ofp_field_get_value(f, &match->flow, &value);
    oxm_put_field(b, f, &value, &mask, version);
}

void
oxm_put_fields__(struct ofpbuf *b, const struct match *match, uint8_t version,
                 bool xregs)
{
    const uint64_t regs = ((UINT64_C(1) << FLOW_N_REGS) - 1) << OFPF_REG0;

    /* In id order, as before: the order of the TLVs is the same. */
    uint64_t present = ofp_fields_with_mask(match);
    uint64_t skip = xregs ? regs : 0;
    for (uint64_t fields = present & ~skip; fields; fields &= fields - 1) {
        int id = __builtin_ctzll(fields);
        const struct ofp_field *f = ofp_field_get(id);
        if (ofp_field_prereqs_ok(f, match)) {
            put_match_field(b, f, match, version);
        }
    }
    /* OpenFlow 1.5's packet registers: reg2n and reg2n+1 as one xreg. */
    for (int i = 0; xregs && i < FLOW_N_XREGS; i++) {
        if (present & (UINT64_C(3) << OFPF_REG(2 * i))) {
            put_match_field(b, ofp_field_get(OFPF_XREG(i)), match, version);
        }
    }
}

void
oxm_put_fields(struct ofpbuf *b, const struct match *match, uint8_t version)
{
    /* Open vSwitch sends registers as xregs from OpenFlow 1.5 on, and as
     * NXM_NX_REGn (class 0x0001) inside OXM before. */
    oxm_put_fields__(b, match, version, version >= OFP15_VERSION);
}

size_t
oxm_put_match(struct ofpbuf *b, const struct match *match, uint8_t version)
{
    size_t start = b->size;
    ofpbuf_put_be16(b, OFPMT_OXM);
    ofpbuf_put_be16(b, 0);
    oxm_put_fields(b, match, version);
    size_t len = b->size - start;
    put_be16(b->data + start + 2, len);
    ofpbuf_pad_from(b, start, 8);
    return len;
}
