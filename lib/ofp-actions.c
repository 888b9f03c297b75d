/* OpenFlow actions and instructions: decoding, encoding, formatting. */
#include <config.h>
#include "ofp-actions.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <strings.h>
#include <string.h>
#include "dynamic-string.h"
#include "match.h"
#include "nxm.h"
#include "ofp-actions-nx.h"
#include "ofp-actions-of15.h"
#include "ofp-learn.h"
#include "ofp-buf.h"
#include "ofp-msgs.h"
#include "oxm.h"
#include "util.h"

/* OF1.0 action types. */
enum {
    OFPAT10_OUTPUT = 0, OFPAT10_SET_VLAN_VID = 1, OFPAT10_SET_VLAN_PCP = 2,
    OFPAT10_STRIP_VLAN = 3, OFPAT10_SET_DL_SRC = 4, OFPAT10_SET_DL_DST = 5,
    OFPAT10_SET_NW_SRC = 6, OFPAT10_SET_NW_DST = 7, OFPAT10_SET_NW_TOS = 8,
    OFPAT10_SET_TP_SRC = 9, OFPAT10_SET_TP_DST = 10, OFPAT10_ENQUEUE = 11,
};
/* OF1.1+ action types (OF1.3 numbering). */
enum {
    OFPAT_OUTPUT = 0, OFPAT_COPY_TTL_OUT = 11, OFPAT_COPY_TTL_IN = 12,
    OFPAT_SET_MPLS_TTL = 15, OFPAT_DEC_MPLS_TTL = 16, OFPAT_PUSH_VLAN = 17,
    OFPAT_POP_VLAN = 18, OFPAT_PUSH_MPLS = 19, OFPAT_POP_MPLS = 20,
    OFPAT_SET_QUEUE = 21, OFPAT_GROUP = 22, OFPAT_SET_NW_TTL = 23,
    OFPAT_DEC_NW_TTL = 24, OFPAT_SET_FIELD = 25, OFPAT_METER = 29,
    OFPAT_EXPERIMENTER = 0xffff,
};
/* Nicira vendor actions, for what OF1.0 lacks. */
#define NX_VENDOR_ID 0x00002320
enum {
    NXAST_SET_QUEUE = 4, NXAST_POP_QUEUE = 5, NXAST_DEC_TTL = 18, NXAST_PUSH_MPLS = 23,
    NXAST_POP_MPLS = 24, NXAST_SET_MPLS_TTL = 25, NXAST_DEC_MPLS_TTL = 26,
    NXAST_SET_MPLS_LABEL = 30, NXAST_SET_MPLS_TC = 31,
};
/* Tunnel ids (set_tunnel: 32 bits in 16 bytes; set_tunnel64: 24 bytes). */
enum { NXAST_SET_TUNNEL = 2, NXAST_SET_TUNNEL64 = 9 };
/* Instruction types. */
enum {
    OFPIT_GOTO_TABLE = 1, OFPIT_WRITE_METADATA = 2, OFPIT_WRITE_ACTIONS = 3,
    OFPIT_APPLY_ACTIONS = 4, OFPIT_CLEAR_ACTIONS = 5, OFPIT_METER = 6,
};

void
ofpacts_init(struct ofpacts *o)
{
    o->acts = NULL;
    o->n = o->allocated = 0;
}

void
ofpacts_uninit(struct ofpacts *o)
{
    free(o->acts);
    ofpacts_init(o);
}

void
ofpacts_clear(struct ofpacts *o)
{
    o->n = 0;
}

void
ofpacts_clone(struct ofpacts *dst, const struct ofpacts *src)
{
    dst->n = dst->allocated = src->n;
    dst->acts = src->n ? xmemdup(src->acts, src->n * sizeof *src->acts) : NULL;
}

struct ofpact *
ofpact_put(struct ofpacts *o, enum ofpact_type type)
{
    if (o->n >= o->allocated) {
        o->acts = x2nrealloc(o->acts, &o->allocated, sizeof *o->acts);
    }
    struct ofpact *a = &o->acts[o->n++];
    memset(a, 0, sizeof *a);
    a->type = type;
    return a;
}

void
ofpact_put_note(struct ofpacts *o, const uint8_t *data, size_t len)
{
    struct ofpact *a = ofpact_put(o, OFPACT_NOTE);
    size_t n = MIN(len, OFPACT_NOTE_MAX);
    a->u.note.len = len;
    memcpy(a->u.note.data, data, n);
    ofpact_put_more(o, data + n, len - n);
}

void
ofpact_put_more(struct ofpacts *o, const uint8_t *data, size_t len)
{
    for (size_t n = 0; n < len; n += OFPACT_NOTE_MORE_BYTES) {
        size_t m = MIN(len - n, OFPACT_NOTE_MORE_BYTES);
        memcpy(ofpact_put(o, OFPACT_NOTE_MORE)->u.note_more, data + n, m);
    }
}

void
ofpact_get_more(const struct ofpact *more, size_t len, uint8_t *out)
{
    for (size_t n = 0; n < len; n += OFPACT_NOTE_MORE_BYTES, more++) {
        memcpy(out + n, more->u.note_more, MIN(len - n, OFPACT_NOTE_MORE_BYTES));
    }
}

size_t
ofpact_note_n_more(const struct ofpact *a)
{
    size_t len = a->u.note.len;
    return len <= OFPACT_NOTE_MAX ? 0
           : DIV_ROUND_UP(len - OFPACT_NOTE_MAX, OFPACT_NOTE_MORE_BYTES);
}

uint8_t
ofpact_note_byte(const struct ofpact *a, size_t i)
{
    if (i < OFPACT_NOTE_MAX) {
        return a->u.note.data[i];
    }
    i -= OFPACT_NOTE_MAX;
    return a[1 + i / OFPACT_NOTE_MORE_BYTES].u.note_more[i % OFPACT_NOTE_MORE_BYTES];
}

bool
ofpacts_equal(const struct ofpacts *a, const struct ofpacts *b)
{
    return a->n == b->n
           && (!a->n || !memcmp(a->acts, b->acts, a->n * sizeof *a->acts));
}

bool
ofpacts_output_to_port(const struct ofpacts *o, uint32_t port)
{
    for (size_t i = 0; i < o->n; i++) {
        const struct ofpact *a = &o->acts[i];
        if ((a->type == OFPACT_OUTPUT && a->u.output.port == port)
            || (a->type == OFPACT_ENQUEUE && a->u.enqueue.port == port)) {
            return true;
        }
    }
    return false;
}

bool
ofpacts_output_to_group(const struct ofpacts *o, uint32_t group)
{
    for (size_t i = 0; i < o->n; i++) {
        if (o->acts[i].type == OFPACT_GROUP && o->acts[i].u.id == group) {
            return true;
        }
    }
    return false;
}

const char *
ofpact_name(enum ofpact_type t)
{
    static const char *const names[OFPACT_N_TYPES] = {
        [OFPACT_OUTPUT] = "output", [OFPACT_ENQUEUE] = "enqueue",
        [OFPACT_GROUP] = "group", [OFPACT_SET_QUEUE] = "set_queue",
        [OFPACT_POP_QUEUE] = "pop_queue", [OFPACT_SET_TUNNEL] = "set_tunnel",
        [OFPACT_SET_VLAN_VID] = "mod_vlan_vid",
        [OFPACT_SET_VLAN_PCP] = "mod_vlan_pcp",
        [OFPACT_STRIP_VLAN] = "strip_vlan", [OFPACT_PUSH_VLAN] = "push_vlan",
        [OFPACT_PUSH_MPLS] = "push_mpls", [OFPACT_POP_MPLS] = "pop_mpls",
        [OFPACT_SET_ETH_SRC] = "mod_dl_src", [OFPACT_SET_ETH_DST] = "mod_dl_dst",
        [OFPACT_SET_IPV4_SRC] = "mod_nw_src", [OFPACT_SET_IPV4_DST] = "mod_nw_dst",
        [OFPACT_SET_IP_DSCP] = "mod_nw_tos", [OFPACT_SET_L4_SRC] = "mod_tp_src",
        [OFPACT_SET_L4_DST] = "mod_tp_dst", [OFPACT_SET_FIELD] = "set_field",
        [OFPACT_SET_NW_TTL] = "mod_nw_ttl", [OFPACT_DEC_TTL] = "dec_ttl",
        [OFPACT_SET_MPLS_TTL] = "set_mpls_ttl",
        [OFPACT_DEC_MPLS_TTL] = "dec_mpls_ttl",
        [OFPACT_COPY_TTL_OUT] = "copy_ttl_out",
        [OFPACT_COPY_TTL_IN] = "copy_ttl_in", [OFPACT_METER] = "meter",
        [OFPACT_CLEAR_ACTIONS] = "clear_actions",
        [OFPACT_WRITE_ACTIONS] = "write_actions",
        [OFPACT_WRITE_METADATA] = "write_metadata",
        [OFPACT_GOTO_TABLE] = "goto_table",
        [OFPACT_RESUBMIT] = "resubmit", [OFPACT_REG_LOAD] = "load",
        [OFPACT_REG_MOVE] = "move", [OFPACT_OUTPUT_REG] = "output",
        [OFPACT_LEARN] = "learn", [OFPACT_LEARN_SPEC] = "learn",
        [OFPACT_NOTE] = "note", [OFPACT_NOTE_MORE] = "note",
        [OFPACT_EXIT] = "exit",
        [OFPACT_FIN_TIMEOUT] = "fin_timeout",
        [OFPACT_CONTROLLER] = "controller",
    };
    return (unsigned) t < OFPACT_N_TYPES ? names[t] : "<unknown>";
}

/* ---- Decoding. ---- */

static bool
port_is_valid_output(uint32_t port)
{
    return (port > 0 && port < OFPP_MAX)
           || (port >= OFPP_IN_PORT && port <= OFPP_LOCAL);
}

static enum ofperr
decode_output(struct ofpacts *o, uint32_t port, uint16_t max_len)
{
    if (!port_is_valid_output(port)) {
        return OFPERR_OFPBAC_BAD_OUT_PORT;
    }
    struct ofpact *a = ofpact_put(o, OFPACT_OUTPUT);
    a->u.output.port = port;
    a->u.output.max_len = port == OFPP_CONTROLLER ? max_len : 0;
    return 0;
}

static enum ofperr
check_ethertype_arg(uint16_t t, bool vlan)
{
    if (vlan) {
        return t == ETH_TYPE_VLAN_8021Q || t == ETH_TYPE_VLAN_8021AD
               ? 0 : OFPERR_OFPBAC_BAD_ARGUMENT;
    }
    return t == ETH_TYPE_MPLS || t == ETH_TYPE_MPLS_MCAST
           ? 0 : OFPERR_OFPBAC_BAD_ARGUMENT;
}

static enum ofperr
decode_nicira(const uint8_t *p, size_t len, struct ofpacts *o)
{
    if (len < 16) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    if (get_be32(p + 4) != NX_VENDOR_ID) {
        return OFPERR_OFPBAC_BAD_EXPERIMENTER;
    }
    uint16_t subtype = get_be16(p + 8);
    if (len != (subtype == NXAST_SET_TUNNEL64 ? 24 : 16)) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    struct ofpact *a;
    switch (subtype) {
    case NXAST_SET_TUNNEL:
    case NXAST_SET_TUNNEL64:
        a = ofpact_put(o, OFPACT_SET_TUNNEL);
        a->u.tunnel.is64 = subtype == NXAST_SET_TUNNEL64;
        a->u.tunnel.id = a->u.tunnel.is64
                         ? (uint64_t) get_be32(p + 16) << 32 | get_be32(p + 20)
                         : get_be32(p + 12);
        return 0;
    case NXAST_SET_QUEUE:
        ofpact_put(o, OFPACT_SET_QUEUE)->u.id = get_be32(p + 12);
        return 0;
    case NXAST_DEC_TTL:
        ofpact_put(o, OFPACT_DEC_TTL);
        return 0;
    case NXAST_POP_QUEUE:
        ofpact_put(o, OFPACT_POP_QUEUE);
        return 0;
    case NXAST_PUSH_MPLS:
    case NXAST_POP_MPLS: {
        uint16_t t = get_be16(p + 10);
        if (subtype == NXAST_PUSH_MPLS && check_ethertype_arg(t, false)) {
            return OFPERR_OFPBAC_BAD_ARGUMENT;
        }
        a = ofpact_put(o, subtype == NXAST_PUSH_MPLS ? OFPACT_PUSH_MPLS
                       : OFPACT_POP_MPLS);
        a->u.ethertype = t;
        return 0;
    }
    case NXAST_SET_MPLS_TTL:
        ofpact_put(o, OFPACT_SET_MPLS_TTL)->u.u8 = p[10];
        return 0;
    case NXAST_DEC_MPLS_TTL:
        ofpact_put(o, OFPACT_DEC_MPLS_TTL);
        return 0;
    case NXAST_SET_MPLS_LABEL:              /* set_mpls_label: a set_field. */
        if (get_be32(p + 12) > (MPLS_LABEL_MASK >> MPLS_LABEL_SHIFT)) {
            return OFPERR_OFPBAC_BAD_ARGUMENT;
        }
        a = ofpact_put(o, OFPACT_SET_FIELD);
        a->u.set_field.field = OFPF_MPLS_LABEL;
        a->u.set_field.value.be32 = htonl(get_be32(p + 12));
        return 0;
    case NXAST_SET_MPLS_TC:
        if (p[10] > 7) {
            return OFPERR_OFPBAC_BAD_ARGUMENT;
        }
        a = ofpact_put(o, OFPACT_SET_FIELD);
        a->u.set_field.field = OFPF_MPLS_TC;
        a->u.set_field.value.u8 = p[10];
        return 0;
    default:
        return OFPERR_OFPBAC_BAD_EXP_TYPE;
    }
}

/* An experimenter action: the Nicira ones of lib/ofp-actions-nx.c first
 * (several are longer than 16 bytes), then decode_nicira()'s. */
static enum ofperr
decode_experimenter(const uint8_t *p, size_t len, struct ofpacts *o)
{
    if (len >= 16 && get_be32(p + 4) == NX_VENDOR_ID) {
        bool handled;
        enum ofperr error = nx_action_decode(get_be16(p + 8), p, len, o,
                                             &handled);
        if (handled) {
            return error;
        }
    }
    return decode_nicira(p, len, o);
}

static enum ofperr
decode_action10(const uint8_t *p, uint16_t type, size_t len, struct ofpacts *o)
{
    static const uint8_t lens[] = {
        [OFPAT10_OUTPUT] = 8, [OFPAT10_SET_VLAN_VID] = 8,
        [OFPAT10_SET_VLAN_PCP] = 8, [OFPAT10_STRIP_VLAN] = 8,
        [OFPAT10_SET_DL_SRC] = 16, [OFPAT10_SET_DL_DST] = 16,
        [OFPAT10_SET_NW_SRC] = 8, [OFPAT10_SET_NW_DST] = 8,
        [OFPAT10_SET_NW_TOS] = 8, [OFPAT10_SET_TP_SRC] = 8,
        [OFPAT10_SET_TP_DST] = 8, [OFPAT10_ENQUEUE] = 16,
    };
    if (type == OFPAT_EXPERIMENTER) {
        return decode_experimenter(p, len, o);
    }
    if (type >= ARRAY_SIZE(lens)) {
        return OFPERR_OFPBAC_BAD_TYPE;
    }
    if (len != lens[type]) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    struct ofpact *a;
    switch (type) {
    case OFPAT10_OUTPUT:
        return decode_output(o, ofp_port_from_ofp10(get_be16(p + 4)),
                             get_be16(p + 6));
    case OFPAT10_SET_VLAN_VID: {
        uint16_t vid = get_be16(p + 4);
        if (vid > VLAN_VID_MASK) {
            return OFPERR_OFPBAC_BAD_ARGUMENT;
        }
        ofpact_put(o, OFPACT_SET_VLAN_VID)->u.vlan.vid = vid;
        return 0;
    }
    case OFPAT10_SET_VLAN_PCP:
        if (p[4] > 7) {
            return OFPERR_OFPBAC_BAD_ARGUMENT;
        }
        ofpact_put(o, OFPACT_SET_VLAN_PCP)->u.vlan.pcp = p[4];
        return 0;
    case OFPAT10_STRIP_VLAN:
        ofpact_put(o, OFPACT_STRIP_VLAN)->u.u8 = 1;
        return 0;
    case OFPAT10_SET_DL_SRC:
    case OFPAT10_SET_DL_DST:
        a = ofpact_put(o, type == OFPAT10_SET_DL_SRC ? OFPACT_SET_ETH_SRC
                       : OFPACT_SET_ETH_DST);
        memcpy(a->u.mac.ea, p + 4, 6);
        return 0;
    case OFPAT10_SET_NW_SRC:
    case OFPAT10_SET_NW_DST:
        a = ofpact_put(o, type == OFPAT10_SET_NW_SRC ? OFPACT_SET_IPV4_SRC
                       : OFPACT_SET_IPV4_DST);
        memcpy(&a->u.ipv4, p + 4, 4);
        return 0;
    case OFPAT10_SET_NW_TOS:
        if (p[4] & IP_ECN_MASK) {
            return OFPERR_OFPBAC_BAD_ARGUMENT;
        }
        ofpact_put(o, OFPACT_SET_IP_DSCP)->u.u8 = p[4];
        return 0;
    case OFPAT10_SET_TP_SRC:
    case OFPAT10_SET_TP_DST:
        a = ofpact_put(o, type == OFPAT10_SET_TP_SRC ? OFPACT_SET_L4_SRC
                       : OFPACT_SET_L4_DST);
        a->u.l4.port = get_be16(p + 4);
        return 0;
    case OFPAT10_ENQUEUE: {
        uint32_t port = ofp_port_from_ofp10(get_be16(p + 4));
        if (port != OFPP_IN_PORT && (port == 0 || port >= OFPP_MAX)) {
            return OFPERR_OFPBAC_BAD_OUT_PORT;
        }
        a = ofpact_put(o, OFPACT_ENQUEUE);
        a->u.enqueue.port = port;
        a->u.enqueue.queue = get_be32(p + 12);
        return 0;
    }
    }
    return OFPERR_OFPBAC_BAD_TYPE;
}

static enum ofperr
decode_set_field(const uint8_t *p, size_t len, uint8_t version,
                 struct ofpacts *o)
{
    const struct ofp_field *f;
    union ofp_value value, mask;
    bool has_mask;
    size_t n;
    enum ofperr error = oxm_pull_one(p + 4, len - 4, &f, &value, &mask,
                                     &has_mask, &n);
    switch (error) {
    case 0:
        break;
    case OFPERR_OFPBMC_BAD_LEN:
        return OFPERR_OFPBAC_BAD_SET_LEN;
    case OFPERR_OFPBMC_BAD_FIELD:
        return OFPERR_OFPBAC_BAD_SET_TYPE;
    default:
        return OFPERR_OFPBAC_BAD_SET_ARGUMENT;
    }
    /* The TLV plus header, padded to 8, must be the whole action. */
    if (ROUND_UP(4 + n, 8) != len) {
        return OFPERR_OFPBAC_BAD_SET_LEN;
    }
    if (!f->writable) {
        return OFPERR_OFPBAC_BAD_SET_TYPE;
    }
    if (has_mask) {
        /* OF1.5 sets only the bits under the mask: loads. */
        return (version >= OFP15_VERSION
                ? of15_masked_set_field(f, &value, &mask, o)
                : OFPERR_OFPBAC_BAD_SET_ARGUMENT);
    }
    if (f->id == OFPF_VLAN_VID && !(ntohs(value.be16) & OFPVID_PRESENT)) {
        return OFPERR_OFPBAC_BAD_SET_ARGUMENT;
    }
    struct ofpact *a = ofpact_put(o, OFPACT_SET_FIELD);
    a->u.set_field.field = f->id;
    a->u.set_field.value = value;
    return 0;
}

static enum ofperr
decode_action11(const uint8_t *p, uint16_t type, size_t len, uint8_t version,
                struct ofpacts *o)
{
    struct ofpact *a;
    if (type == OFPAT_OUTPUT) {
        if (len != 16) {
            return OFPERR_OFPBAC_BAD_LEN;
        }
        return decode_output(o, get_be32(p + 4), get_be16(p + 8));
    }
    if (type == OFPAT_SET_FIELD) {
        return decode_set_field(p, len, version, o);
    }
    if (type == OFPAT_COPY_FIELD && version >= OFP15_VERSION) {
        return of15_decode_copy_field(p, len, o);
    }
    if (type == OFPAT_EXPERIMENTER) {
        return decode_experimenter(p, len, o);
    }
    switch (type) {
    case OFPAT_COPY_TTL_OUT: case OFPAT_COPY_TTL_IN: case OFPAT_SET_MPLS_TTL:
    case OFPAT_DEC_MPLS_TTL: case OFPAT_PUSH_VLAN: case OFPAT_POP_VLAN:
    case OFPAT_PUSH_MPLS: case OFPAT_POP_MPLS: case OFPAT_SET_QUEUE:
    case OFPAT_GROUP: case OFPAT_SET_NW_TTL: case OFPAT_DEC_NW_TTL:
        break;
    case OFPAT_METER:
        if (version >= OFP15_VERSION) {
            break;
        }
        /* fall through */
    default:
        return OFPERR_OFPBAC_BAD_TYPE;
    }
    if (len != 8) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    uint16_t ethertype = get_be16(p + 4);
    uint32_t arg32 = get_be32(p + 4);
    switch (type) {
    case OFPAT_COPY_TTL_OUT: ofpact_put(o, OFPACT_COPY_TTL_OUT); break;
    case OFPAT_COPY_TTL_IN: ofpact_put(o, OFPACT_COPY_TTL_IN); break;
    case OFPAT_SET_MPLS_TTL: ofpact_put(o, OFPACT_SET_MPLS_TTL)->u.u8 = p[4]; break;
    case OFPAT_DEC_MPLS_TTL: ofpact_put(o, OFPACT_DEC_MPLS_TTL); break;
    case OFPAT_SET_NW_TTL: ofpact_put(o, OFPACT_SET_NW_TTL)->u.u8 = p[4]; break;
    case OFPAT_DEC_NW_TTL: ofpact_put(o, OFPACT_DEC_TTL); break;
    case OFPAT_POP_VLAN: ofpact_put(o, OFPACT_STRIP_VLAN); break;
    case OFPAT_PUSH_VLAN:
    case OFPAT_PUSH_MPLS:
        if (check_ethertype_arg(ethertype, type == OFPAT_PUSH_VLAN)) {
            return OFPERR_OFPBAC_BAD_ARGUMENT;
        }
        a = ofpact_put(o, type == OFPAT_PUSH_VLAN ? OFPACT_PUSH_VLAN
                       : OFPACT_PUSH_MPLS);
        a->u.ethertype = ethertype;
        break;
    case OFPAT_POP_MPLS:
        ofpact_put(o, OFPACT_POP_MPLS)->u.ethertype = ethertype;
        break;
    case OFPAT_SET_QUEUE: ofpact_put(o, OFPACT_SET_QUEUE)->u.id = arg32; break;
    case OFPAT_GROUP:
        if (arg32 > 0xffffff00) {
            return OFPERR_OFPBAC_BAD_OUT_GROUP;
        }
        ofpact_put(o, OFPACT_GROUP)->u.id = arg32;
        break;
    case OFPAT_METER: ofpact_put(o, OFPACT_METER)->u.id = arg32; break;
    }
    return 0;
}

static enum ofperr
decode_actions(const uint8_t *p, size_t len, uint8_t version,
               struct ofpacts *o)
{
    while (len > 0) {
        if (len < 8) {
            return OFPERR_OFPBAC_BAD_LEN;
        }
        uint16_t type = get_be16(p);
        uint16_t alen = get_be16(p + 2);
        if (alen < 8 || alen % 8 || alen > len) {
            return OFPERR_OFPBAC_BAD_LEN;
        }
        enum ofperr error = version == OFP10_VERSION
                            ? decode_action10(p, type, alen, o)
                            : decode_action11(p, type, alen, version, o);
        if (error) {
            return error;
        }
        p += alen;
        len -= alen;
    }
    return 0;
}

enum ofperr
ofpacts_pull_actions(struct ofpbuf *b, size_t len, uint8_t version,
                     struct ofpacts *o)
{
    const uint8_t *p = ofpbuf_try_pull(b, len);
    if (!p) {
        return OFPERR_OFPBAC_BAD_LEN;
    }
    ofpacts_clear(o);
    return decode_actions(p, len, version, o);
}

enum ofperr
ofpacts_pull_instructions(struct ofpbuf *b, size_t len, uint8_t version,
                          struct ofpacts *o)
{
    if (version == OFP10_VERSION) {
        return ofpacts_pull_actions(b, len, version, o);
    }
    const uint8_t *p = ofpbuf_try_pull(b, len);
    if (!p) {
        return OFPERR_OFPBIC_BAD_LEN;
    }
    ofpacts_clear(o);

    /* Instructions arrive in any order; each at most once. */
    const uint8_t *insts[7] = { NULL };
    uint16_t lens[7] = { 0 };
    while (len > 0) {
        if (len < 8) {
            return OFPERR_OFPBIC_BAD_LEN;
        }
        uint16_t type = get_be16(p), ilen = get_be16(p + 2);
        if (ilen < 8 || ilen % 8 || ilen > len) {
            return OFPERR_OFPBIC_BAD_LEN;
        }
        if (type == 0xffff) {
            return OFPERR_OFPBIC_BAD_EXPERIMENTER;
        }
        if (type < OFPIT_GOTO_TABLE || type > OFPIT_METER) {
            return OFPERR_OFPBIC_UNKNOWN_INST;
        }
        if (insts[type]) {
            return OFPERR_OFPBIC_DUP_INST;
        }
        insts[type] = p;
        lens[type] = ilen;
        p += ilen;
        len -= ilen;
    }

    enum ofperr error;
    if (insts[OFPIT_METER]) {
        if (lens[OFPIT_METER] != 8) {
            return OFPERR_OFPBIC_BAD_LEN;
        }
        ofpact_put(o, OFPACT_METER)->u.id = get_be32(insts[OFPIT_METER] + 4);
    }
    if (insts[OFPIT_APPLY_ACTIONS]) {
        error = decode_actions(insts[OFPIT_APPLY_ACTIONS] + 8,
                               lens[OFPIT_APPLY_ACTIONS] - 8, version, o);
        if (error) {
            return error;
        }
    }
    if (insts[OFPIT_CLEAR_ACTIONS]) {
        if (lens[OFPIT_CLEAR_ACTIONS] != 8) {
            return OFPERR_OFPBIC_BAD_LEN;
        }
        ofpact_put(o, OFPACT_CLEAR_ACTIONS);
    }
    if (insts[OFPIT_WRITE_ACTIONS]) {
        size_t at = o->n;
        ofpact_put(o, OFPACT_WRITE_ACTIONS);
        error = decode_actions(insts[OFPIT_WRITE_ACTIONS] + 8,
                               lens[OFPIT_WRITE_ACTIONS] - 8, version, o);
        if (error) {
            return error;
        }
        for (size_t i = at + 1; i < o->n; i++) {
            if (o->acts[i].type == OFPACT_METER) {
                return OFPERR_OFPBAC_UNSUPPORTED_ORDER;
            }
        }
        o->acts[at].n_nested = o->n - at - 1;
    }
    if (insts[OFPIT_WRITE_METADATA]) {
        const uint8_t *w = insts[OFPIT_WRITE_METADATA];
        if (lens[OFPIT_WRITE_METADATA] != 24) {
            return OFPERR_OFPBIC_BAD_LEN;
        }
        struct ofpact *a = ofpact_put(o, OFPACT_WRITE_METADATA);
        a->u.metadata.value = get_be64(w + 8);
        a->u.metadata.mask = get_be64(w + 16);
        if (a->u.metadata.value & ~a->u.metadata.mask) {
            return OFPERR_OFPBIC_UNSUP_METADATA;
        }
    }
    if (insts[OFPIT_GOTO_TABLE]) {
        if (lens[OFPIT_GOTO_TABLE] != 8) {
            return OFPERR_OFPBIC_BAD_LEN;
        }
        ofpact_put(o, OFPACT_GOTO_TABLE)->u.u8 = insts[OFPIT_GOTO_TABLE][4];
    }
    return 0;
}

/* ---- Encoding. ---- */

static void
put_hdr(struct ofpbuf *b, uint16_t type, uint16_t len)
{
    ofpbuf_put_be16(b, type);
    ofpbuf_put_be16(b, len);
}

static void
put_nicira(struct ofpbuf *b, uint16_t subtype)
{
    put_hdr(b, OFPAT_EXPERIMENTER, 16);
    ofpbuf_put_be32(b, NX_VENDOR_ID);
    ofpbuf_put_be16(b, subtype);
}

/* Nicira set_tunnel (OpenFlow 1.0), as Open vSwitch encodes it; the
 * 64-bit form when the id needs it or was spelled so. */
static void
put_set_tunnel(struct ofpbuf *b, const struct ofpact *a)
{
    uint64_t id = a->u.tunnel.id;
    if (a->u.tunnel.is64 || id > UINT32_MAX) {
        put_hdr(b, OFPAT_EXPERIMENTER, 24);
        ofpbuf_put_be32(b, NX_VENDOR_ID);
        ofpbuf_put_be16(b, NXAST_SET_TUNNEL64);
        ofpbuf_put_zeros(b, 6);
        ofpbuf_put_be32(b, id >> 32);
        ofpbuf_put_be32(b, id);
    } else {
        put_nicira(b, NXAST_SET_TUNNEL);
        ofpbuf_put_zeros(b, 2);
        ofpbuf_put_be32(b, id);
    }
}

static void
put_set_field(struct ofpbuf *b, enum ofp_field_id id, const union ofp_value *v,
              uint8_t version)
{
    size_t start = b->size;
    put_hdr(b, OFPAT_SET_FIELD, 0);
    oxm_put_field(b, ofp_field_get(id), v, NULL, version);
    ofpbuf_pad_from(b, start, 8);
    put_be16(b->data + start + 2, b->size - start);
}

static void
put_set_field_u64(struct ofpbuf *b, enum ofp_field_id id, uint64_t x,
                  uint8_t version)
{
    union ofp_value v;
    ofp_value_from_u64(ofp_field_get(id), x, &v);
    put_set_field(b, id, &v, version);
}

static enum ofp_field_id
l4_field(uint8_t proto, bool src)
{
    switch (proto) {
    case IPPROTO_UDP: return src ? OFPF_UDP_SRC : OFPF_UDP_DST;
    case IPPROTO_SCTP: return src ? OFPF_SCTP_SRC : OFPF_SCTP_DST;
    default: return src ? OFPF_TCP_SRC : OFPF_TCP_DST;
    }
}

/* Maps a set_field onto an OF1.0 action; false if it has none. */
static bool
set_field_to_of10(const struct ofpact *a, struct ofpact *out)
{
    const struct ofp_field *f = ofp_field_get(a->u.set_field.field);
    const union ofp_value *v = &a->u.set_field.value;
    memset(out, 0, sizeof *out);
    switch (f->id) {
    case OFPF_ETH_SRC: out->type = OFPACT_SET_ETH_SRC; out->u.mac = v->mac; break;
    case OFPF_ETH_DST: out->type = OFPACT_SET_ETH_DST; out->u.mac = v->mac; break;
    case OFPF_IPV4_SRC: out->type = OFPACT_SET_IPV4_SRC; out->u.ipv4 = v->be32; break;
    case OFPF_IPV4_DST: out->type = OFPACT_SET_IPV4_DST; out->u.ipv4 = v->be32; break;
    case OFPF_IP_DSCP: out->type = OFPACT_SET_IP_DSCP; out->u.u8 = v->u8 << 2; break;
    case OFPF_VLAN_VID:
        out->type = OFPACT_SET_VLAN_VID;
        out->u.vlan.vid = ntohs(v->be16) & VLAN_VID_MASK;
        break;
    case OFPF_VLAN_PCP: out->type = OFPACT_SET_VLAN_PCP; out->u.vlan.pcp = v->u8; break;
    case OFPF_TCP_SRC: case OFPF_UDP_SRC: case OFPF_SCTP_SRC:
        out->type = OFPACT_SET_L4_SRC;
        out->u.l4.port = ntohs(v->be16);
        break;
    case OFPF_TCP_DST: case OFPF_UDP_DST: case OFPF_SCTP_DST:
        out->type = OFPACT_SET_L4_DST;
        out->u.l4.port = ntohs(v->be16);
        break;
    case OFPF_NW_TTL: out->type = OFPACT_SET_NW_TTL; out->u.u8 = v->u8; break;
    default:
        return false;
    }
    return true;
}

/* A set_field OpenFlow 1.0 has no action for, as Nicira loads of 64 bits
 * at most each, lowest bits first (as ovs-ofctl sends it); false if the
 * field has no name loads can use. */
static bool
put_set_field_as_loads(const struct ofpact *a, struct ofpbuf *b)
{
    const struct ofp_field *f = ofp_field_get(a->u.set_field.field);
    const union ofp_value *v = &a->u.set_field.value;
    uint32_t header;
    const char *name;
    if (!nxm_field_header(f->id, &header, &name)) {
        return false;
    }
    for (unsigned int ofs = 0; ofs < f->n_bits; ofs += 64) {
        struct ofpact load = { .type = OFPACT_REG_LOAD };
        load.u.load.field = f->id;
        load.u.load.ofs = ofs;
        load.u.load.n_bits = MIN(64, f->n_bits - ofs);
        for (unsigned int i = 0; i < load.u.load.n_bits; i++) {
            unsigned int bit = ofs + i;
            if (v->b[f->n_bytes - 1 - bit / 8] >> (bit % 8) & 1) {
                load.u.load.value |= UINT64_C(1) << i;
            }
        }
        nx_action_encode(&load, b);
    }
    return true;
}

static enum ofperr
put_action10(const struct ofpact *a, struct ofpbuf *b)
{
    uint16_t port;
    switch (a->type) {
    case OFPACT_OUTPUT:
        if (!ofp_port_to_ofp10(a->u.output.port, &port)) {
            return OFPERR_OFPBAC_BAD_OUT_PORT;
        }
        put_hdr(b, OFPAT10_OUTPUT, 8);
        ofpbuf_put_be16(b, port);
        ofpbuf_put_be16(b, a->u.output.max_len);
        return 0;
    case OFPACT_ENQUEUE:
        if (!ofp_port_to_ofp10(a->u.enqueue.port, &port)) {
            return OFPERR_OFPBAC_BAD_OUT_PORT;
        }
        put_hdr(b, OFPAT10_ENQUEUE, 16);
        ofpbuf_put_be16(b, port);
        ofpbuf_put_zeros(b, 6);
        ofpbuf_put_be32(b, a->u.enqueue.queue);
        return 0;
    case OFPACT_SET_VLAN_VID:
        put_hdr(b, OFPAT10_SET_VLAN_VID, 8);
        ofpbuf_put_be16(b, a->u.vlan.vid);
        ofpbuf_put_zeros(b, 2);
        return 0;
    case OFPACT_SET_VLAN_PCP:
        put_hdr(b, OFPAT10_SET_VLAN_PCP, 8);
        ofpbuf_put_u8(b, a->u.vlan.pcp);
        ofpbuf_put_zeros(b, 3);
        return 0;
    case OFPACT_STRIP_VLAN:
        put_hdr(b, OFPAT10_STRIP_VLAN, 8);
        ofpbuf_put_zeros(b, 4);
        return 0;
    case OFPACT_SET_ETH_SRC:
    case OFPACT_SET_ETH_DST:
        put_hdr(b, a->type == OFPACT_SET_ETH_SRC ? OFPAT10_SET_DL_SRC
                : OFPAT10_SET_DL_DST, 16);
        ofpbuf_put(b, a->u.mac.ea, 6);
        ofpbuf_put_zeros(b, 6);
        return 0;
    case OFPACT_SET_IPV4_SRC:
    case OFPACT_SET_IPV4_DST:
        put_hdr(b, a->type == OFPACT_SET_IPV4_SRC ? OFPAT10_SET_NW_SRC
                : OFPAT10_SET_NW_DST, 8);
        ofpbuf_put(b, &a->u.ipv4, 4);
        return 0;
    case OFPACT_SET_IP_DSCP:
        put_hdr(b, OFPAT10_SET_NW_TOS, 8);
        ofpbuf_put_u8(b, a->u.u8);
        ofpbuf_put_zeros(b, 3);
        return 0;
    case OFPACT_SET_L4_SRC:
    case OFPACT_SET_L4_DST:
        put_hdr(b, a->type == OFPACT_SET_L4_SRC ? OFPAT10_SET_TP_SRC
                : OFPAT10_SET_TP_DST, 8);
        ofpbuf_put_be16(b, a->u.l4.port);
        ofpbuf_put_zeros(b, 2);
        return 0;
    case OFPACT_SET_FIELD: {
        struct ofpact a10;
        /* OpenFlow 1.0 spells MPLS label and TC sets as Nicira actions. */
        if (a->u.set_field.field == OFPF_MPLS_LABEL) {
            put_nicira(b, NXAST_SET_MPLS_LABEL);
            ofpbuf_put_zeros(b, 2);
            ofpbuf_put_be32(b, ntohl(a->u.set_field.value.be32));
            return 0;
        } else if (a->u.set_field.field == OFPF_MPLS_TC) {
            put_nicira(b, NXAST_SET_MPLS_TC);
            ofpbuf_put_u8(b, a->u.set_field.value.u8);
            ofpbuf_put_zeros(b, 5);
            return 0;
        }
        if (!set_field_to_of10(a, &a10) || a10.type == OFPACT_SET_NW_TTL) {
            return (put_set_field_as_loads(a, b) ? 0
                    : OFPERR_OFPBAC_BAD_SET_TYPE);
        }
        return put_action10(&a10, b);
    }
    case OFPACT_SET_QUEUE:
        put_nicira(b, NXAST_SET_QUEUE);
        ofpbuf_put_zeros(b, 2);
        ofpbuf_put_be32(b, a->u.id);
        return 0;
    case OFPACT_DEC_TTL:
        if (nx_action_encode(a, b)) {
            return 0;           /* With controller ids. */
        }
        put_nicira(b, NXAST_DEC_TTL);
        ofpbuf_put_zeros(b, 6);
        return 0;
    case OFPACT_POP_QUEUE:
        put_nicira(b, NXAST_POP_QUEUE);
        ofpbuf_put_zeros(b, 6);
        return 0;
    case OFPACT_SET_TUNNEL:
        put_set_tunnel(b, a);
        return 0;
    case OFPACT_PUSH_MPLS:
    case OFPACT_POP_MPLS:
        put_nicira(b, a->type == OFPACT_PUSH_MPLS ? NXAST_PUSH_MPLS
                   : NXAST_POP_MPLS);
        ofpbuf_put_be16(b, a->u.ethertype);
        ofpbuf_put_zeros(b, 4);
        return 0;
    case OFPACT_SET_MPLS_TTL:
        put_nicira(b, NXAST_SET_MPLS_TTL);
        ofpbuf_put_u8(b, a->u.u8);
        ofpbuf_put_zeros(b, 5);
        return 0;
    case OFPACT_DEC_MPLS_TTL:
        put_nicira(b, NXAST_DEC_MPLS_TTL);
        ofpbuf_put_zeros(b, 6);
        return 0;
    case OFPACT_WRITE_METADATA:
        /* Nicira's action form of the instruction (always last). */
        put_hdr(b, OFPAT_EXPERIMENTER, 32);
        ofpbuf_put_be32(b, NX_VENDOR_ID);
        ofpbuf_put_be16(b, NXAST_WRITE_METADATA);
        ofpbuf_put_zeros(b, 6);
        ofpbuf_put_be64(b, a->u.metadata.value);
        ofpbuf_put_be64(b, a->u.metadata.mask);
        return 0;
    case OFPACT_GOTO_TABLE: {
        /* As Open vSwitch spells goto_table in OpenFlow 1.0. */
        struct ofpact r = { .type = OFPACT_RESUBMIT };
        r.u.resubmit.in_port = OFPP_IN_PORT;
        r.u.resubmit.table = a->u.u8;
        return nx_action_encode(&r, b) ? 0 : OFPERR_OFPBAC_BAD_TYPE;
    }
    default:
        return nx_action_encode(a, b) ? 0 : OFPERR_OFPBAC_BAD_TYPE;
    }
}

static void
put_simple11(struct ofpbuf *b, uint16_t type)
{
    put_hdr(b, type, 8);
    ofpbuf_put_zeros(b, 4);
}

static void
put_arg16_11(struct ofpbuf *b, uint16_t type, uint16_t arg)
{
    put_hdr(b, type, 8);
    ofpbuf_put_be16(b, arg);
    ofpbuf_put_zeros(b, 2);
}

static void
put_arg32_11(struct ofpbuf *b, uint16_t type, uint32_t arg)
{
    put_hdr(b, type, 8);
    ofpbuf_put_be32(b, arg);
}

static void
put_arg8_11(struct ofpbuf *b, uint16_t type, uint8_t arg)
{
    put_hdr(b, type, 8);
    ofpbuf_put_u8(b, arg);
    ofpbuf_put_zeros(b, 3);
}

static enum ofperr
put_action11(const struct ofpact *a, struct ofpbuf *b, uint8_t version)
{
    switch (a->type) {
    case OFPACT_REG_LOAD:
    case OFPACT_REG_MOVE:
        if (version < OFP15_VERSION) {
            return nx_action_encode(a, b) ? 0 : OFPERR_OFPBAC_BAD_TYPE;
        }
        /* OF1.5's own actions, as Open vSwitch sends them. */
        if (a->type == OFPACT_REG_LOAD) {
            of15_put_load(a, b);
        } else {
            of15_put_copy_field(a, b);
        }
        return 0;
    case OFPACT_OUTPUT:
        put_hdr(b, OFPAT_OUTPUT, 16);
        ofpbuf_put_be32(b, a->u.output.port);
        ofpbuf_put_be16(b, a->u.output.max_len);
        ofpbuf_put_zeros(b, 6);
        return 0;
    case OFPACT_ENQUEUE:
        /* OF1.1+ splits enqueue into set_queue and output. */
        put_arg32_11(b, OFPAT_SET_QUEUE, a->u.enqueue.queue);
        put_hdr(b, OFPAT_OUTPUT, 16);
        ofpbuf_put_be32(b, a->u.enqueue.port);
        ofpbuf_put_be16(b, 0);
        ofpbuf_put_zeros(b, 6);
        return 0;
    case OFPACT_GROUP: put_arg32_11(b, OFPAT_GROUP, a->u.id); return 0;
    case OFPACT_SET_QUEUE: put_arg32_11(b, OFPAT_SET_QUEUE, a->u.id); return 0;
    case OFPACT_SET_VLAN_VID:
    case OFPACT_SET_VLAN_PCP:
        if (a->u.vlan.push) {
            put_arg16_11(b, OFPAT_PUSH_VLAN, ETH_TYPE_VLAN_8021Q);
        }
        if (a->type == OFPACT_SET_VLAN_VID) {
            put_set_field_u64(b, OFPF_VLAN_VID, a->u.vlan.vid | OFPVID_PRESENT,
                              version);
        } else {
            put_set_field_u64(b, OFPF_VLAN_PCP, a->u.vlan.pcp, version);
        }
        return 0;
    case OFPACT_STRIP_VLAN: put_simple11(b, OFPAT_POP_VLAN); return 0;
    case OFPACT_PUSH_VLAN: put_arg16_11(b, OFPAT_PUSH_VLAN, a->u.ethertype); return 0;
    case OFPACT_PUSH_MPLS: put_arg16_11(b, OFPAT_PUSH_MPLS, a->u.ethertype); return 0;
    case OFPACT_POP_MPLS: put_arg16_11(b, OFPAT_POP_MPLS, a->u.ethertype); return 0;
    case OFPACT_SET_ETH_SRC: case OFPACT_SET_ETH_DST: {
        union ofp_value v;
        memset(&v, 0, sizeof v);
        v.mac = a->u.mac;
        put_set_field(b, a->type == OFPACT_SET_ETH_SRC ? OFPF_ETH_SRC : OFPF_ETH_DST,
                      &v, version);
        return 0;
    }
    case OFPACT_SET_IPV4_SRC: case OFPACT_SET_IPV4_DST: {
        union ofp_value v;
        memset(&v, 0, sizeof v);
        v.be32 = a->u.ipv4;
        put_set_field(b, a->type == OFPACT_SET_IPV4_SRC ? OFPF_IPV4_SRC
                      : OFPF_IPV4_DST, &v, version);
        return 0;
    }
    case OFPACT_SET_IP_DSCP:
        put_set_field_u64(b, OFPF_IP_DSCP, a->u.u8 >> 2, version);
        return 0;
    case OFPACT_SET_L4_SRC: case OFPACT_SET_L4_DST:
        put_set_field_u64(b, l4_field(a->u.l4.proto, a->type == OFPACT_SET_L4_SRC),
                          a->u.l4.port, version);
        return 0;
    case OFPACT_SET_FIELD:
        put_set_field(b, a->u.set_field.field, &a->u.set_field.value, version);
        return 0;
    case OFPACT_SET_NW_TTL: put_arg8_11(b, OFPAT_SET_NW_TTL, a->u.u8); return 0;
    case OFPACT_DEC_TTL:
        if (!nx_action_encode(a, b)) {      /* Ids: Nicira's form. */
            put_simple11(b, OFPAT_DEC_NW_TTL);
        }
        return 0;
    case OFPACT_SET_MPLS_TTL: put_arg8_11(b, OFPAT_SET_MPLS_TTL, a->u.u8); return 0;
    case OFPACT_DEC_MPLS_TTL: put_simple11(b, OFPAT_DEC_MPLS_TTL); return 0;
    case OFPACT_COPY_TTL_OUT: put_simple11(b, OFPAT_COPY_TTL_OUT); return 0;
    case OFPACT_COPY_TTL_IN: put_simple11(b, OFPAT_COPY_TTL_IN); return 0;
    case OFPACT_POP_QUEUE:
        put_nicira(b, NXAST_POP_QUEUE);
        ofpbuf_put_zeros(b, 6);
        return 0;
    case OFPACT_SET_TUNNEL: {
        /* OpenFlow 1.2+ has set_field for it, and Open vSwitch uses it. */
        union ofp_value v;
        memset(&v, 0, sizeof v);
        v.be64 = vs_htonll(a->u.tunnel.id);
        put_set_field(b, OFPF_TUNNEL_ID, &v, version);
        return 0;
    }
    case OFPACT_METER:
        if (version >= OFP15_VERSION) {
            put_arg32_11(b, OFPAT_METER, a->u.id);
            return 0;
        }
        return OFPERR_OFPBAC_BAD_TYPE;
    default:
        return nx_action_encode(a, b) ? 0 : OFPERR_OFPBAC_BAD_TYPE;
    }
}

enum ofperr
ofpacts_put_actions(const struct ofpact *acts, size_t n, struct ofpbuf *b,
                    uint8_t version)
{
    for (size_t i = 0; i < n; i++) {
        enum ofperr error = version == OFP10_VERSION
                            ? put_action10(&acts[i], b)
                            : put_action11(&acts[i], b, version);
        if (error) {
            return error;
        }
    }
    return 0;
}

static bool
is_instruction(enum ofpact_type t)
{
    return t >= OFPACT_METER;
}

enum ofperr
ofpacts_put_instructions(const struct ofpacts *o, struct ofpbuf *b,
                         uint8_t version)
{
    if (version == OFP10_VERSION) {
        bool wrote_metadata = false;
        for (size_t i = 0; i < o->n; i++) {
            enum ofpact_type t = o->acts[i].type;
            /* These two have Nicira action spellings (put_action10). */
            if (is_instruction(t) && t != OFPACT_WRITE_METADATA
                && t != OFPACT_GOTO_TABLE) {
                return OFPERR_OFPBIC_UNSUP_INST;
            }
            /* goto_table goes out as resubmit, an action, and readers
             * (ovs-ofctl) refuse an action after write_metadata. */
            if (t == OFPACT_GOTO_TABLE && wrote_metadata) {
                return OFPERR_OFPBIC_UNSUP_INST;
            }
            wrote_metadata |= t == OFPACT_WRITE_METADATA;
        }
        return ofpacts_put_actions(o->acts, o->n, b, version);
    }

    size_t i = 0;
    if (i < o->n && o->acts[i].type == OFPACT_METER && version < OFP15_VERSION) {
        put_arg32_11(b, OFPIT_METER, o->acts[i].u.id);
        i++;
    }
    /* Apply-actions: the plain actions up to the first instruction (in
     * OF1.5 the meter action leads them). */
    size_t first = i;
    while (i < o->n && (!is_instruction(o->acts[i].type)
                        || (o->acts[i].type == OFPACT_METER && version >= OFP15_VERSION))) {
        i++;
    }
    if (i > first) {
        size_t start = b->size;
        put_hdr(b, OFPIT_APPLY_ACTIONS, 0);
        ofpbuf_put_zeros(b, 4);
        enum ofperr error = ofpacts_put_actions(&o->acts[first], i - first, b,
                                                version);
        if (error) {
            return error;
        }
        put_be16(b->data + start + 2, b->size - start);
    }
    for (; i < o->n; i++) {
        const struct ofpact *a = &o->acts[i];
        switch (a->type) {
        case OFPACT_CLEAR_ACTIONS:
            put_hdr(b, OFPIT_CLEAR_ACTIONS, 8);
            ofpbuf_put_zeros(b, 4);
            break;
        case OFPACT_WRITE_ACTIONS: {
            size_t start = b->size;
            put_hdr(b, OFPIT_WRITE_ACTIONS, 0);
            ofpbuf_put_zeros(b, 4);
            if (a->n_nested > o->n - i - 1) {
                return OFPERR_OFPBIC_BAD_LEN;
            }
            enum ofperr error = ofpacts_put_actions(a + 1, a->n_nested, b, version);
            if (error) {
                return error;
            }
            put_be16(b->data + start + 2, b->size - start);
            i += a->n_nested;
            break;
        }
        case OFPACT_WRITE_METADATA:
            put_hdr(b, OFPIT_WRITE_METADATA, 24);
            ofpbuf_put_zeros(b, 4);
            ofpbuf_put_be64(b, a->u.metadata.value);
            ofpbuf_put_be64(b, a->u.metadata.mask);
            break;
        case OFPACT_GOTO_TABLE:
            put_hdr(b, OFPIT_GOTO_TABLE, 8);
            ofpbuf_put_u8(b, a->u.u8);
            ofpbuf_put_zeros(b, 3);
            break;
        default:
            /* An action after an instruction: not representable. */
            return OFPERR_OFPBAC_UNSUPPORTED_ORDER;
        }
    }
    return 0;
}

/* ---- Consistency. ---- */

static int
order_rank(enum ofpact_type t)
{
    switch (t) {
    case OFPACT_METER: return 0;
    case OFPACT_CLEAR_ACTIONS: return 2;
    case OFPACT_WRITE_ACTIONS: return 3;
    case OFPACT_WRITE_METADATA: return 4;
    case OFPACT_GOTO_TABLE: return 5;
    default: return 1;
    }
}

/* Tracks how actions change what the packet is, so later set_fields are
 * checked against the packet as it is then (push_mpls makes it MPLS...). */
static void
track_packet(const struct ofpact *a, struct match *m)
{
    switch (a->type) {
    case OFPACT_PUSH_MPLS:
    case OFPACT_POP_MPLS:
        match_set_dl_type(m, htons(a->u.ethertype));
        break;
    case OFPACT_PUSH_VLAN:
        match_set_vlan_tci_masked(m, htons(VLAN_CFI), htons(VLAN_CFI));
        break;
    case OFPACT_SET_VLAN_VID:
    case OFPACT_SET_VLAN_PCP:
        if (a->u.vlan.push) {
            match_set_vlan_tci_masked(m, htons(VLAN_CFI), htons(VLAN_CFI));
        }
        break;
    case OFPACT_STRIP_VLAN:
        match_set_vlan_tci_masked(m, 0, 0);
        break;
    default:
        break;
    }
}

static enum ofperr
check_action(const struct ofpact *a, const struct match *m)
{
    switch (a->type) {
    case OFPACT_SET_FIELD:
        if (!ofp_field_prereqs_ok(ofp_field_get(a->u.set_field.field), m)) {
            return OFPERR_OFPBAC_MATCH_INCONSISTENT;
        }
        break;
    case OFPACT_REG_LOAD:
        if (!ofp_field_prereqs_ok(ofp_field_get(a->u.load.field), m)) {
            return OFPERR_OFPBAC_MATCH_INCONSISTENT;
        }
        break;
    case OFPACT_REG_MOVE:
        if (!ofp_field_prereqs_ok(ofp_field_get(a->u.move.src), m)
            || !ofp_field_prereqs_ok(ofp_field_get(a->u.move.dst), m)) {
            return OFPERR_OFPBAC_MATCH_INCONSISTENT;
        }
        break;
    case OFPACT_OUTPUT_REG:
        if (!ofp_field_prereqs_ok(ofp_field_get(a->u.output_reg.src), m)) {
            return OFPERR_OFPBAC_MATCH_INCONSISTENT;
        }
        break;
    case OFPACT_LEARN:
        return learn_check(a, m);
    case OFPACT_SET_IPV4_SRC: case OFPACT_SET_IPV4_DST:
        if (!match_dl_type_is(m, ETH_TYPE_IP)) {
            return OFPERR_OFPBAC_MATCH_INCONSISTENT;
        }
        break;
    case OFPACT_SET_IP_DSCP: case OFPACT_SET_NW_TTL: case OFPACT_DEC_TTL:
        if (!match_is_ip_any(m)) {
            return OFPERR_OFPBAC_MATCH_INCONSISTENT;
        }
        break;
    case OFPACT_SET_L4_SRC: case OFPACT_SET_L4_DST:
        if (!match_nw_proto_is(m, IPPROTO_TCP) && !match_nw_proto_is(m, IPPROTO_UDP)
            && !match_nw_proto_is(m, IPPROTO_SCTP)) {
            return OFPERR_OFPBAC_MATCH_INCONSISTENT;
        }
        break;
    default:
        break;
    }
    return 0;
}

enum ofperr
ofpacts_check(const struct ofpacts *o, const struct match *match,
              uint8_t table_id, uint8_t n_tables)
{
    struct match m = *match;
    int rank = -1;
    for (size_t i = 0; i < o->n; i++) {
        const struct ofpact *a = &o->acts[i];
        int r = order_rank(a->type);
        if (r < rank || (r == rank && r != 1)) {
            return OFPERR_OFPBAC_UNSUPPORTED_ORDER;
        }
        rank = r;
        if (a->type == OFPACT_GOTO_TABLE
            && (a->u.u8 <= table_id || a->u.u8 >= n_tables)) {
            return OFPERR_OFPBIC_BAD_TABLE_ID;
        }
        if (a->type == OFPACT_WRITE_ACTIONS) {
            /* The action set runs after the apply-actions list: check it
             * against the packet as that list leaves it. */
            for (size_t j = 1; j <= a->n_nested && i + j < o->n; j++) {
                if (is_instruction(a[j].type)) {
                    return OFPERR_OFPBAC_UNSUPPORTED_ORDER;
                }
                enum ofperr error = check_action(&a[j], &m);
                if (error) {
                    return error;
                }
            }
            i += a->n_nested;
            continue;
        }
        enum ofperr error = check_action(a, &m);
        if (error) {
            return error;
        }
        track_packet(a, &m);
    }
    return 0;
}

/* ---- Formatting. ---- */

static const struct { uint32_t port; const char *name; } port_names[] = {
    { OFPP_IN_PORT, "IN_PORT" }, { OFPP_TABLE, "TABLE" },
    { OFPP_NORMAL, "NORMAL" }, { OFPP_FLOOD, "FLOOD" }, { OFPP_ALL, "ALL" },
    { OFPP_CONTROLLER, "CONTROLLER" }, { OFPP_LOCAL, "LOCAL" },
    { OFPP_ANY, "ANY" },
};

void
ofp_port_format(uint32_t port, struct ds *s)
{
    for (size_t i = 0; i < ARRAY_SIZE(port_names); i++) {
        if (port_names[i].port == port) {
            ds_put_cstr(s, port_names[i].name);
            return;
        }
    }
    ds_put_uint(s, port);
}

bool
ofp_port_parse(const char *s, uint32_t *port)
{
    for (size_t i = 0; i < ARRAY_SIZE(port_names); i++) {
        if (!strcasecmp(s, port_names[i].name)) {
            *port = port_names[i].port;
            return true;
        }
    }
    if (!strcasecmp(s, "NONE")) {
        *port = OFPP_NONE;
        return true;
    }
    unsigned long long x;
    if (!str_to_ullong(s, 0, &x) || x > UINT32_MAX) {
        return false;
    }
    /* OF1.0-style reserved numbers, as ovs-ofctl accepts them. */
    *port = x >= 0xff00 && x <= 0xffff ? ofp_port_from_ofp10(x) : x;
    return true;
}

static void
format_action(const struct ofpact *a, struct ds *s)
{
    char buf[INET_ADDRSTRLEN];
    switch (a->type) {
    case OFPACT_OUTPUT:
        if (a->u.output.port == OFPP_CONTROLLER) {
            ds_put_format(s, "CONTROLLER:%"PRIu16, a->u.output.max_len);
        } else if (a->u.output.port >= OFPP_MAX) {
            ofp_port_format(a->u.output.port, s);
        } else {
            ds_put_cstr(s, "output:");
            ds_put_uint(s, a->u.output.port);
        }
        break;
    case OFPACT_ENQUEUE:
        ds_put_cstr(s, "enqueue:");
        ofp_port_format(a->u.enqueue.port, s);
        ds_put_format(s, ":%"PRIu32, a->u.enqueue.queue);
        break;
    case OFPACT_GROUP: case OFPACT_SET_QUEUE: case OFPACT_METER:
        ds_put_format(s, "%s:%"PRIu32, ofpact_name(a->type), a->u.id);
        break;
    case OFPACT_SET_VLAN_VID:
        ds_put_format(s, "mod_vlan_vid:%"PRIu16, a->u.vlan.vid);
        break;
    case OFPACT_SET_VLAN_PCP:
        ds_put_format(s, "mod_vlan_pcp:%u", a->u.vlan.pcp);
        break;
    case OFPACT_SET_IP_DSCP: case OFPACT_SET_NW_TTL:
    case OFPACT_SET_MPLS_TTL: case OFPACT_GOTO_TABLE:
        ds_put_format(s, "%s:%u", ofpact_name(a->type), a->u.u8);
        break;
    case OFPACT_STRIP_VLAN:
        ds_put_cstr(s, a->u.u8 ? "strip_vlan" : "pop_vlan");
        break;
    case OFPACT_PUSH_VLAN: case OFPACT_PUSH_MPLS: case OFPACT_POP_MPLS:
        ds_put_format(s, "%s:0x%04"PRIx16, ofpact_name(a->type), a->u.ethertype);
        break;
    case OFPACT_SET_ETH_SRC: case OFPACT_SET_ETH_DST:
        ds_put_format(s, "%s:"ETH_ADDR_FMT, ofpact_name(a->type),
                      ETH_ADDR_ARGS(a->u.mac));
        break;
    case OFPACT_SET_IPV4_SRC: case OFPACT_SET_IPV4_DST:
        inet_ntop(AF_INET, &a->u.ipv4, buf, sizeof buf);
        ds_put_format(s, "%s:%s", ofpact_name(a->type), buf);
        break;
    case OFPACT_SET_L4_SRC: case OFPACT_SET_L4_DST:
        ds_put_format(s, "%s:%"PRIu16, ofpact_name(a->type), a->u.l4.port);
        break;
    case OFPACT_SET_FIELD: {
        const struct ofp_field *f = ofp_field_get(a->u.set_field.field);
        ds_put_cstr(s, "set_field:");
        ofp_field_format_value(f, &a->u.set_field.value, s);
        ds_put_format(s, "->%s", f->name);
        break;
    }
    case OFPACT_DEC_TTL: case OFPACT_DEC_MPLS_TTL: case OFPACT_COPY_TTL_OUT:
    case OFPACT_POP_QUEUE:
    case OFPACT_COPY_TTL_IN: case OFPACT_CLEAR_ACTIONS:
        if (!nx_action_format(a, s)) {      /* dec_ttl(ids) is Nicira's. */
            ds_put_cstr(s, ofpact_name(a->type));
        }
        break;
    case OFPACT_SET_TUNNEL:
        ds_put_format(s, "set_tunnel%s:0x%"PRIx64,
                      a->u.tunnel.is64 || a->u.tunnel.id > UINT32_MAX
                      ? "64" : "", a->u.tunnel.id);
        break;
    case OFPACT_WRITE_METADATA:
        ds_put_format(s, "write_metadata:0x%"PRIx64, a->u.metadata.value);
        if (a->u.metadata.mask != UINT64_MAX) {
            ds_put_format(s, "/0x%"PRIx64, a->u.metadata.mask);
        }
        break;
    case OFPACT_RESUBMIT: case OFPACT_REG_LOAD: case OFPACT_REG_MOVE:
    case OFPACT_NOTE: case OFPACT_NOTE_MORE: case OFPACT_OUTPUT_REG:
    case OFPACT_LEARN: case OFPACT_LEARN_SPEC:
    case OFPACT_EXIT: case OFPACT_CONTROLLER:
    case OFPACT_FIN_TIMEOUT:
        nx_action_format(a, s);
        break;
    case OFPACT_WRITE_ACTIONS:
    case OFPACT_N_TYPES:
        break;
    }
}

void
ofpacts_format(const struct ofpacts *o, struct ds *s)
{
    if (!o->n) {
        ds_put_cstr(s, "drop");
        return;
    }
    for (size_t i = 0; i < o->n; i++) {
        const struct ofpact *a = &o->acts[i];
        if (a->type == OFPACT_NOTE_MORE || a->type == OFPACT_LEARN_SPEC) {
            continue;           /* Printed with its note or learn. */
        }
        if (i) {
            ds_put_char(s, ',');
        }
        if (a->type == OFPACT_WRITE_ACTIONS) {
            ds_put_cstr(s, "write_actions(");
            size_t n = MIN(a->n_nested, o->n - i - 1);
            for (size_t j = 1; j <= n; j++) {
                if (a[j].type == OFPACT_NOTE_MORE
                    || a[j].type == OFPACT_LEARN_SPEC) {
                    continue;
                }
                if (j > 1) {
                    ds_put_char(s, ',');
                }
                format_action(&a[j], s);
            }
            ds_put_char(s, ')');
            i += n;
        } else {
            format_action(a, s);
        }
    }
}
