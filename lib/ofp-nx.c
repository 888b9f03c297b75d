/* Nicira extension messages of OpenFlow 1.0 (see ofp-nx.h). */
#include <config.h>
#include "ofp-nx.h"

#include <string.h>
#include "match.h"
#include "nxm.h"
#include "ofp-actions.h"
#include "ofp-buf.h"
#include "ofp-flow.h"
#include "ofp-msgs.h"
#include "ofp-print.h"
#include "ofp-switch.h"
#include "dynamic-string.h"
#include <inttypes.h>
#include "util.h"

/* NXM_NX_COOKIE: class 1, field 30, 8 bytes. */
#define NXM_NX_COOKIE_CLASS 0x0001
#define NXM_NX_COOKIE_FIELD 30

/* Fixed parts after the Nicira header / stats header. */
#define NX_FLOW_MOD_LEN 32
#define NX_FLOW_STATS_REQUEST_LEN 8
#define NX_FLOW_STATS_LEN 48
#define NX_FLOW_REMOVED_LEN 40

int
nx_msg_subtype(const void *msg, size_t len)
{
    const uint8_t *p = msg;
    if (len < NX_HEADER_LEN || p[1] != OFPT_EXPERIMENTER
        || get_be32(p + 8) != NX_VENDOR_ID) {
        return -1;
    }
    return get_be32(p + 12) > INT32_MAX ? -1 : (int) get_be32(p + 12);
}

int
nx_stats_subtype(const void *msg, size_t len)
{
    const uint8_t *p = msg;
    if (len < NX_STATS_HEADER_LEN || p[0] != OFP10_VERSION
        || (p[1] != 16 && p[1] != 17) || get_be16(p + 8) != 0xffff
        || get_be32(p + 12) != NX_VENDOR_ID) {
        return -1;
    }
    return get_be32(p + 16) > INT32_MAX ? -1 : (int) get_be32(p + 16);
}

struct ofpbuf *
nx_msg_alloc(uint32_t subtype, uint32_t xid, size_t extra)
{
    struct ofpbuf *b = ofpraw_alloc(OFPT_EXPERIMENTER, OFP10_VERSION, xid,
                                    8 + extra);
    ofpbuf_put_be32(b, NX_VENDOR_ID);
    ofpbuf_put_be32(b, subtype);
    ofpmsg_update_length(b);
    return b;
}

/* The body of a Nicira message of exactly 'body_len' bytes, or NULL. */
static const uint8_t *
fixed_body(const void *msg, size_t len, size_t body_len)
{
    return len == NX_HEADER_LEN + body_len
           ? (const uint8_t *) msg + NX_HEADER_LEN : NULL;
}

enum ofperr
nx_set_flow_format_decode(const void *msg, size_t len,
                          enum nx_flow_format *format)
{
    const uint8_t *p = fixed_body(msg, len, 4);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    uint32_t f = get_be32(p);
    if (f != NXFF_OPENFLOW10 && f != NXFF_NXM) {
        return OFPERR_OFPBRC_EPERM;
    }
    *format = f;
    return 0;
}

struct ofpbuf *
nx_set_flow_format_encode(enum nx_flow_format format, uint32_t xid)
{
    struct ofpbuf *b = nx_msg_alloc(NXT_SET_FLOW_FORMAT, xid, 4);
    ofpbuf_put_be32(b, format);
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
nx_flow_mod_table_id_decode(const void *msg, size_t len, bool *enable)
{
    const uint8_t *p = fixed_body(msg, len, 8);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    *enable = p[0] != 0;
    return 0;
}

struct ofpbuf *
nx_flow_mod_table_id_encode(bool enable, uint32_t xid)
{
    struct ofpbuf *b = nx_msg_alloc(NXT_FLOW_MOD_TABLE_ID, xid, 8);
    ofpbuf_put_u8(b, enable);
    ofpbuf_put_zeros(b, 7);
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
nx_set_packet_in_format_decode(const void *msg, size_t len,
                               enum nx_packet_in_format *format)
{
    const uint8_t *p = fixed_body(msg, len, 4);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    uint32_t f = get_be32(p);
    if (f != NXPIF_OPENFLOW10 && f != NXPIF_NXM && f != NXPIF_NXT_PACKET_IN2) {
        return OFPERR_OFPBRC_EPERM;
    }
    *format = f;
    return 0;
}

struct ofpbuf *
nx_set_packet_in_format_encode(enum nx_packet_in_format format,
                               uint8_t version, uint32_t xid)
{
    struct ofpbuf *b = ofpraw_alloc(OFPT_EXPERIMENTER, version, xid, 12);
    ofpbuf_put_be32(b, NX_VENDOR_ID);
    ofpbuf_put_be32(b, NXT_SET_PACKET_IN_FORMAT);
    ofpbuf_put_be32(b, format);
    ofpmsg_update_length(b);
    return b;
}

int
nx_packet_in_format_from_string(const char *s)
{
    return (!strcmp(s, "standard") || !strcmp(s, "openflow10")
            ? NXPIF_OPENFLOW10
            : !strcmp(s, "nxt_packet_in") || !strcmp(s, "nxm") ? NXPIF_NXM
            : !strcmp(s, "nxt_packet_in2") ? NXPIF_NXT_PACKET_IN2
            : -1);
}

enum ofperr
nx_set_controller_id_decode(const void *msg, size_t len, uint16_t *id)
{
    const uint8_t *p = fixed_body(msg, len, 8);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    *id = get_be16(p + 6);
    return 0;
}

enum ofperr
nx_flow_age_decode(const void *msg, size_t len)
{
    return fixed_body(msg, len, 0) ? 0 : OFPERR_OFPBRC_BAD_LEN;
}

struct ofpbuf *
nx_flow_age_encode(uint32_t xid)
{
    struct ofpbuf *b = nx_msg_alloc(NXT_FLOW_AGE, xid, 0);
    ofpmsg_update_length(b);
    return b;
}

/* ---- nx_match with a cookie. ---- */

enum ofperr
nx_match_decode(const uint8_t *p, size_t len, struct match *match,
                uint64_t *cookie, uint64_t *cookie_mask)
{
    struct ofpbuf rest;
    bool have_cookie = false;
    enum ofperr error = 0;

    *cookie = *cookie_mask = 0;
    ofpbuf_init(&rest, len);
    for (size_t ofs = 0; ofs < len;) {
        if (len - ofs < 4) {
            error = OFPERR_OFPBMC_BAD_LEN;
            break;
        }
        uint32_t hdr = get_be32(p + ofs);
        size_t n = hdr & 0xff;
        if (!n || n > len - ofs - 4) {
            error = OFPERR_OFPBMC_BAD_LEN;
            break;
        }
        if (hdr >> 16 == NXM_NX_COOKIE_CLASS
            && ((hdr >> 9) & 0x7f) == NXM_NX_COOKIE_FIELD) {
            bool has_mask = (hdr >> 8) & 1;
            if (n != (has_mask ? 16u : 8u)) {
                error = OFPERR_OFPBMC_BAD_LEN;
                break;
            }
            if (have_cookie) {
                error = OFPERR_OFPBMC_DUP_FIELD;
                break;
            }
            have_cookie = true;
            *cookie_mask = has_mask ? get_be64(p + ofs + 12) : UINT64_MAX;
            *cookie = get_be64(p + ofs + 4) & *cookie_mask;
        } else {
            ofpbuf_put(&rest, p + ofs, 4 + n);
        }
        ofs += 4 + n;
    }
    if (!error) {
        match_init_catchall(match);
        error = nxm_decode_fields(rest.data, rest.size, match);
    }
    ofpbuf_uninit(&rest);
    return error;
}

size_t
nx_match_put(struct ofpbuf *b, const struct match *match, uint64_t cookie,
             uint64_t cookie_mask)
{
    size_t start = b->size;
    nxm_put_fields(b, match);
    if (cookie_mask) {
        bool masked = cookie_mask != UINT64_MAX;
        ofpbuf_put_be32(b, ((uint32_t) NXM_NX_COOKIE_CLASS << 16)
                           | (NXM_NX_COOKIE_FIELD << 9)
                           | (masked ? 1u << 8 : 0) | (masked ? 16 : 8));
        ofpbuf_put_be64(b, cookie & cookie_mask);
        if (masked) {
            ofpbuf_put_be64(b, cookie_mask);
        }
    }
    size_t len = b->size - start;
    ofpbuf_put_zeros(b, ROUND_UP(len, 8) - len);
    return len;
}

/* Pulls an nx_match of 'match_len' bytes and its padding from 'b'. */
static enum ofperr
pull_match(struct ofpbuf *b, size_t match_len, struct match *match,
           uint64_t *cookie, uint64_t *cookie_mask)
{
    const uint8_t *p = ofpbuf_try_pull(b, ROUND_UP(match_len, 8));
    if (!p) {
        return OFPERR_OFPBMC_BAD_LEN;
    }
    return nx_match_decode(p, match_len, match, cookie, cookie_mask);
}

/* ---- NXT_FLOW_MOD. ---- */

/* The actions' L4 rewrites take their protocol from the match. */
static void
fill_l4_protocols(struct ofp_flow_mod *fm)
{
    for (size_t i = 0; i < fm->ofpacts.n; i++) {
        struct ofpact *a = &fm->ofpacts.acts[i];
        if (a->type == OFPACT_SET_L4_SRC || a->type == OFPACT_SET_L4_DST) {
            a->u.l4.proto = fm->match.flow.nw_proto;
        }
    }
}

enum ofperr
nx_flow_mod_decode(const void *msg, size_t len, bool table_id_ext,
                   struct ofp_flow_mod *fm)
{
    struct ofpbuf b;
    if (nx_msg_subtype(msg, len) != NXT_FLOW_MOD
        || ((const uint8_t *) msg)[0] != OFP10_VERSION) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    ofpbuf_use_const(&b, (const uint8_t *) msg + NX_HEADER_LEN,
                     len - NX_HEADER_LEN);
    ofp_flow_mod_uninit(fm);
    ofp_flow_mod_init(fm);

    const uint8_t *p = ofpbuf_try_pull(&b, NX_FLOW_MOD_LEN);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    uint16_t command = get_be16(p + 8);
    uint8_t table_id = OFPTT_ALL;
    if (table_id_ext) {
        table_id = command >> 8;
        command &= 0xff;
    }
    if (command > OFPFC_DELETE_STRICT) {
        return OFPERR_OFPFMFC_BAD_COMMAND;
    }
    fm->command = command;
    fm->idle_timeout = get_be16(p + 10);
    fm->hard_timeout = get_be16(p + 12);
    fm->priority = get_be16(p + 14);
    fm->buffer_id = get_be32(p + 16);
    fm->out_port = ofp_port_from_ofp10(get_be16(p + 20));
    fm->flags = get_be16(p + 22);
    if (fm->flags & ~(OFPFF_SEND_FLOW_REM | OFPFF_CHECK_OVERLAP)) {
        return OFPERR_OFPFMFC_BAD_FLAGS;
    }
    /* An add puts the flow in table 0 unless told otherwise; the others
     * look at every table unless told otherwise. */
    fm->table_id = (table_id == OFPTT_ALL && command == OFPFC_ADD
                    ? 0 : table_id);

    uint64_t header_cookie = get_be64(p);
    uint64_t cookie, cookie_mask;
    enum ofperr error = pull_match(&b, get_be16(p + 24), &fm->match,
                                   &cookie, &cookie_mask);
    if (error) {
        return error;
    }
    if (command == OFPFC_ADD) {
        /* The header's cookie is the new flow's; a cookie in the match
         * would select flows, which an add does not do. */
        if (cookie_mask) {
            return OFPERR_OFPBMC_BAD_FIELD;
        }
        fm->cookie = header_cookie;
    } else {
        fm->cookie = cookie;
        fm->cookie_mask = cookie_mask;
        /* All ones: "leave the cookie alone" (what ovs-ofctl sends when
         * mod-flows has no cookie=). */
        fm->new_cookie = (command == OFPFC_MODIFY
                          || command == OFPFC_MODIFY_STRICT
                          ? header_cookie : UINT64_MAX);
    }
    error = ofpacts_pull_actions(&b, b.size, OFP10_VERSION, &fm->ofpacts);
    if (!error) {
        fill_l4_protocols(fm);
    }
    return error;
}

enum ofperr
nx_flow_mod_encode(const struct ofp_flow_mod *fm, bool table_id_ext,
                   uint32_t xid, struct ofpbuf **msgp)
{
    uint16_t out_port;
    *msgp = NULL;
    if (!ofp_port_to_ofp10(fm->out_port, &out_port)) {
        return OFPERR_OFPBRC_BAD_PORT;
    }
    if (!table_id_ext && fm->table_id && fm->table_id != OFPTT_ALL) {
        return OFPERR_OFPBRC_BAD_TABLE_ID;
    }
    struct ofpbuf *b = nx_msg_alloc(NXT_FLOW_MOD, xid, 128);
    bool add = fm->command == OFPFC_ADD;
    ofpbuf_put_be64(b, add ? fm->cookie : fm->new_cookie);
    ofpbuf_put_be16(b, (table_id_ext ? fm->table_id << 8 : 0) | fm->command);
    ofpbuf_put_be16(b, fm->idle_timeout);
    ofpbuf_put_be16(b, fm->hard_timeout);
    ofpbuf_put_be16(b, fm->priority);
    ofpbuf_put_be32(b, fm->buffer_id);
    ofpbuf_put_be16(b, out_port);
    ofpbuf_put_be16(b, fm->flags);
    size_t match_len_ofs = b->size;
    ofpbuf_put_zeros(b, 8);
    size_t match_len = nx_match_put(b, &fm->match, add ? 0 : fm->cookie,
                                    add ? 0 : fm->cookie_mask);
    put_be16(b->data + match_len_ofs, match_len);
    enum ofperr error = ofpacts_put_actions(fm->ofpacts.acts, fm->ofpacts.n,
                                            b, OFP10_VERSION);
    if (error) {
        ofpbuf_delete(b);
        return error;
    }
    ofpmsg_update_length(b);
    *msgp = b;
    return 0;
}

/* ---- NXST_FLOW and NXST_AGGREGATE. ---- */

enum ofperr
nx_flow_stats_request_decode(const void *msg, size_t len,
                             struct ofp_flow_stats_request *rq)
{
    int subtype = nx_stats_subtype(msg, len);
    const uint8_t *m = msg;
    if ((subtype != NXST_FLOW && subtype != NXST_AGGREGATE) || m[1] != 16) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    struct ofpbuf b;
    ofpbuf_use_const(&b, m + NX_STATS_HEADER_LEN, len - NX_STATS_HEADER_LEN);
    const uint8_t *p = ofpbuf_try_pull(&b, NX_FLOW_STATS_REQUEST_LEN);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    memset(rq, 0, sizeof *rq);
    rq->aggregate = subtype == NXST_AGGREGATE;
    rq->out_port = ofp_port_from_ofp10(get_be16(p));
    rq->out_group = OFPG_ANY;
    rq->table_id = p[4];
    enum ofperr error = pull_match(&b, get_be16(p + 2), &rq->match,
                                   &rq->cookie, &rq->cookie_mask);
    if (!error && b.size) {
        error = OFPERR_OFPBRC_BAD_LEN;
    }
    return error;
}

/* Starts an OF1.0 vendor stats message of Nicira 'subtype'. */
static struct ofpbuf *
nx_stats_alloc(bool reply, uint32_t subtype, uint32_t xid, size_t extra)
{
    struct ofpbuf *b = ofpmsg_alloc(reply ? OFPTYPE_EXPERIMENTER_STATS_REPLY
                                    : OFPTYPE_EXPERIMENTER_STATS_REQUEST,
                                    OFP10_VERSION, xid, 12 + extra);
    ofpbuf_put_be32(b, NX_VENDOR_ID);
    ofpbuf_put_be32(b, subtype);
    ofpbuf_put_zeros(b, 4);
    ofpmsg_update_length(b);
    return b;
}

struct ofpbuf *
nx_flow_stats_request_encode(const struct ofp_flow_stats_request *rq,
                             uint32_t xid)
{
    struct ofpbuf *b = nx_stats_alloc(false, rq->aggregate ? NXST_AGGREGATE
                                      : NXST_FLOW, xid, 128);
    uint16_t port = 0xffff;
    ofp_port_to_ofp10(rq->out_port, &port);
    ofpbuf_put_be16(b, port);
    size_t match_len_ofs = b->size;
    ofpbuf_put_be16(b, 0);
    ofpbuf_put_u8(b, rq->table_id);
    ofpbuf_put_zeros(b, 3);
    size_t match_len = nx_match_put(b, &rq->match, rq->cookie,
                                    rq->cookie_mask);
    put_be16(b->data + match_len_ofs, match_len);
    ofpmsg_update_length(b);
    return b;
}

void
nx_stats_replies_init(struct ofpmp_replies *r, uint32_t subtype,
                      const struct ofp_msg_header *rq)
{
    r->allocated = 1;
    r->msgs = xmalloc(sizeof *r->msgs);
    r->msgs[0] = nx_stats_alloc(true, subtype, rq->xid, 1024);
    r->n = 1;
    r->hlen = NX_STATS_HEADER_LEN;
}

/* Ages go on the wire plus one, 0 meaning "unknown". */
static uint16_t
age_to_wire(int age)
{
    return age < 0 ? 0 : age < UINT16_MAX ? age + 1 : UINT16_MAX;
}

void
nx_flow_stats_append_rule(struct ofpbuf *reply,
                          const struct ofp_flow_stats *fs,
                          const struct match *match,
                          const struct ofpacts *ofpacts,
                          int idle_age, int hard_age)
{
    size_t start = reply->size;
    uint8_t *p = ofpbuf_put_zeros(reply, NX_FLOW_STATS_LEN);
    p[2] = fs->table_id;
    put_be32(p + 4, fs->duration_sec);
    put_be32(p + 8, fs->duration_nsec);
    put_be16(p + 12, fs->priority);
    put_be16(p + 14, fs->idle_timeout);
    put_be16(p + 16, fs->hard_timeout);
    put_be16(p + 20, age_to_wire(idle_age));
    put_be16(p + 22, age_to_wire(hard_age));
    put_be64(p + 24, fs->cookie);
    put_be64(p + 32, fs->packet_count);
    put_be64(p + 40, fs->byte_count);
    size_t match_len = nx_match_put(reply, match, 0, 0);
    put_be16(reply->data + start + 18, match_len);
    /* A flow whose instructions OF1.0 cannot spell (see
     * ofpacts_put_instructions()) is left out, as in OFPST_FLOW replies:
     * shown without its actions it would read as a drop. */
    if (ofpacts_put_instructions(ofpacts, reply, OFP10_VERSION)) {
        reply->size = start;
        ofpmsg_update_length(reply);
        return;
    }
    put_be16(reply->data + start, reply->size - start);
    ofpmsg_update_length(reply);
}

enum ofperr
nx_flow_stats_pull(struct ofpbuf *body, struct ofp_flow_stats *fs, bool *done)
{
    struct ofpbuf e;
    enum ofperr error = ofp_flow_stats_entry_pull(body, NX_FLOW_STATS_LEN,
                                                  &e, done);
    if (error || *done) {
        return error;
    }
    const uint8_t *p = ofpbuf_try_pull(&e, NX_FLOW_STATS_LEN);
    fs->table_id = p[2];
    fs->duration_sec = get_be32(p + 4);
    fs->duration_nsec = get_be32(p + 8);
    fs->priority = get_be16(p + 12);
    fs->idle_timeout = get_be16(p + 14);
    fs->hard_timeout = get_be16(p + 16);
    fs->flags = 0;
    fs->cookie = get_be64(p + 24);
    fs->packet_count = get_be64(p + 32);
    fs->byte_count = get_be64(p + 40);
    fs->nx_idle_age = get_be16(p + 20);
    fs->nx_hard_age = get_be16(p + 22);
    uint64_t cookie, cookie_mask;
    error = pull_match(&e, get_be16(p + 18), &fs->match, &cookie,
                       &cookie_mask);
    if (error) {
        return error;
    }
    ofpacts_clear(&fs->ofpacts);
    return ofpacts_pull_actions(&e, e.size, OFP10_VERSION, &fs->ofpacts);
}

struct ofpbuf *
nx_aggregate_stats_reply_encode(const struct ofp_msg_header *rq,
                                const struct ofp_aggregate_stats *as)
{
    struct ofpbuf *b = nx_stats_alloc(true, NXST_AGGREGATE, rq->xid,
                                      OFP_AGGREGATE_BODY_LEN);
    ofp_aggregate_body_put(b, as);
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
nx_aggregate_stats_reply_decode(const void *msg, size_t len,
                                struct ofp_aggregate_stats *as)
{
    const uint8_t *m = msg;
    if (nx_stats_subtype(msg, len) != NXST_AGGREGATE || m[1] != 17) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    if (len < NX_STATS_HEADER_LEN + OFP_AGGREGATE_BODY_LEN) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    ofp_aggregate_body_get(m + NX_STATS_HEADER_LEN, as);
    return 0;
}

/* ---- NXT_FLOW_REMOVED. ---- */

struct ofpbuf *
nx_flow_removed_encode(const struct ofp_flow_removed *fr)
{
    struct ofpbuf *b = nx_msg_alloc(NXT_FLOW_REMOVED, 0, 128);
    size_t start = b->size;
    uint8_t *p = ofpbuf_put_zeros(b, NX_FLOW_REMOVED_LEN);
    put_be64(p, fr->cookie);
    put_be16(p + 8, fr->priority);
    p[10] = fr->reason;
    p[11] = fr->table_id + 1;       /* 0 would mean "unknown". */
    put_be32(p + 12, fr->duration_sec);
    put_be32(p + 16, fr->duration_nsec);
    put_be16(p + 20, fr->idle_timeout);
    put_be64(p + 24, fr->packet_count);
    put_be64(p + 32, fr->byte_count);
    size_t match_len = nx_match_put(b, &fr->match, 0, 0);
    put_be16(b->data + start + 22, match_len);
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
nx_flow_removed_decode(const void *msg, size_t len,
                       struct ofp_flow_removed *fr)
{
    if (nx_msg_subtype(msg, len) != NXT_FLOW_REMOVED) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    struct ofpbuf b;
    ofpbuf_use_const(&b, (const uint8_t *) msg + NX_HEADER_LEN,
                     len - NX_HEADER_LEN);
    const uint8_t *p = ofpbuf_try_pull(&b, NX_FLOW_REMOVED_LEN);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    memset(fr, 0, sizeof *fr);
    fr->cookie = get_be64(p);
    fr->priority = get_be16(p + 8);
    fr->reason = p[10];
    fr->table_id = p[11] ? p[11] - 1 : 0;
    fr->duration_sec = get_be32(p + 12);
    fr->duration_nsec = get_be32(p + 16);
    fr->idle_timeout = get_be16(p + 20);
    fr->packet_count = get_be64(p + 24);
    fr->byte_count = get_be64(p + 32);
    uint64_t cookie, cookie_mask;
    return pull_match(&b, get_be16(p + 22), &fr->match, &cookie,
                      &cookie_mask);
}

/* ---- NXT_PACKET_IN. ---- */

#define NX_PACKET_IN_LEN 24

struct ofpbuf *
nx_packet_in_encode(const struct ofp_packet_in *pin, uint16_t max_len)
{
    return nx_packet_in_encode_version(pin, OFP10_VERSION, max_len);
}

struct ofpbuf *
nx_packet_in_encode_version(const struct ofp_packet_in *pin, uint8_t version,
                            uint16_t max_len)
{
    size_t n = ofp_packet_in_data_len(pin, max_len);
    struct ofpbuf *b = ofpraw_alloc(OFPT_EXPERIMENTER, version, 0, 72 + n);
    ofpbuf_put_be32(b, NX_VENDOR_ID);
    ofpbuf_put_be32(b, NXT_PACKET_IN);
    size_t start = b->size;
    uint8_t *p = ofpbuf_put_zeros(b, NX_PACKET_IN_LEN);
    put_be32(p, pin->buffer_id);
    put_be16(p + 4, pin->total_len ? pin->total_len : pin->packet_len);
    p[6] = pin->reason;
    p[7] = pin->table_id;
    put_be64(p + 8, pin->cookie);

    /* Metadata only, as exact values; zero ones are left out. */
    struct match m;
    ofp_packet_in_match(pin, &m);
    size_t match_len = nx_match_put(b, &m, 0, 0);
    put_be16(b->data + start + 16, match_len);
    ofpbuf_put_zeros(b, 2);         /* Aligns the IP header. */
    ofpbuf_put(b, pin->packet, n);
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
nx_packet_in_decode(const void *msg, size_t len, struct ofp_packet_in *pin)
{
    if (nx_msg_subtype(msg, len) != NXT_PACKET_IN) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    struct ofpbuf b;
    ofpbuf_use_const(&b, (const uint8_t *) msg + NX_HEADER_LEN,
                     len - NX_HEADER_LEN);
    const uint8_t *p = ofpbuf_try_pull(&b, NX_PACKET_IN_LEN);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    memset(pin, 0, sizeof *pin);
    pin->buffer_id = get_be32(p);
    pin->total_len = get_be16(p + 4);
    pin->reason = p[6];
    pin->table_id = p[7];
    pin->cookie = get_be64(p + 8);
    uint64_t cookie, cookie_mask;
    enum ofperr error = pull_match(&b, get_be16(p + 16), &pin->metadata,
                                   &cookie, &cookie_mask);
    if (error) {
        return error;
    }
    if (!ofpbuf_try_pull(&b, 2)) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    pin->packet = b.data;
    pin->packet_len = b.size;
    return 0;
}

/* ---- Printing. ---- */

void
nx_packet_in_format(const void *msg, size_t len,
                    const struct ofp_msg_header *h, struct ds *s)
{
    ds_put_format(s, "NXT_PACKET_IN%s (xid=0x%"PRIx32"):",
                  ofp_version_tag(h->version), h->xid);
    struct ofp_packet_in pin;
    enum ofperr error = nx_packet_in_decode(msg, len, &pin);
    if (error) {
        ds_put_format(s, " ***decode error: %s***", ofperr_get_name(error));
        return;
    }
    if (pin.table_id) {
        ds_put_format(s, " table_id=%u", pin.table_id);
    }
    ds_put_format(s, " cookie=0x%"PRIx64, pin.cookie);
    ofp_packet_in_format_body(&pin, s);
}

static void
format_flow_removed(const struct ofp_flow_removed *fr, struct ds *s)
{
    static const char *const reasons[] = {
        "idle", "hard", "delete", "group_delete", "meter_delete", "eviction",
    };
    ds_put_char(s, ' ');
    ofp_match_format(&fr->match, fr->priority, s);
    if (fr->cookie) {
        ds_put_format(s, " cookie:0x%"PRIx64, fr->cookie);
    }
    ds_put_format(s, " reason=%s table_id=%u duration%"PRIu32".%03"PRIu32"s"
                  " idle%u pkts%"PRIu64" bytes%"PRIu64,
                  fr->reason < ARRAY_SIZE(reasons) ? reasons[fr->reason] : "?",
                  fr->table_id, fr->duration_sec,
                  fr->duration_nsec / 1000000, fr->idle_timeout,
                  fr->packet_count, fr->byte_count);
}

static enum ofperr
format_flow_stats_reply(const void *msg, size_t len, struct ds *s)
{
    struct ofpbuf body;
    ofpbuf_use_const(&body, (const uint8_t *) msg + NX_STATS_HEADER_LEN,
                     len - NX_STATS_HEADER_LEN);
    struct ofp_flow_stats fs;
    memset(&fs, 0, sizeof fs);
    ofpacts_init(&fs.ofpacts);
    enum ofperr error = 0;
    for (;;) {
        bool done;
        error = nx_flow_stats_pull(&body, &fs, &done);
        if (error || done) {
            break;
        }
        ds_put_char(s, '\n');
        ofp_flow_stats_format(&fs, s);
    }
    ofpacts_uninit(&fs.ofpacts);
    return error;
}

bool
nx_msg_format(const void *msg, size_t len, const struct ofp_msg_header *h,
              struct ds *s)
{
    enum ofperr error = 0;
    if (h->version != OFP10_VERSION) {
        return false;
    }
    if (h->type == OFPTYPE_EXPERIMENTER_STATS_REQUEST
        || h->type == OFPTYPE_EXPERIMENTER_STATS_REPLY) {
        int subtype = nx_stats_subtype(msg, len);
        bool reply = h->type == OFPTYPE_EXPERIMENTER_STATS_REPLY;
        if (subtype != NXST_FLOW && subtype != NXST_AGGREGATE) {
            return false;
        }
        ds_put_format(s, "%s %s (xid=0x%"PRIx32"):",
                      subtype == NXST_FLOW ? "NXST_FLOW" : "NXST_AGGREGATE",
                      reply ? "reply" : "request", h->xid);
        if (!reply) {
            struct ofp_flow_stats_request rq;
            error = nx_flow_stats_request_decode(msg, len, &rq);
            if (!error) {
                ds_put_char(s, ' ');
                ofp_match_format(&rq.match, OFP_DEFAULT_PRIORITY, s);
            }
        } else if (subtype == NXST_FLOW) {
            error = format_flow_stats_reply(msg, len, s);
        } else {
            struct ofp_aggregate_stats as;
            error = nx_aggregate_stats_reply_decode(msg, len, &as);
            if (!error) {
                ds_put_format(s, " packet_count=%"PRIu64" byte_count=%"PRIu64
                              " flow_count=%"PRIu32, as.packet_count,
                              as.byte_count, as.flow_count);
            }
        }
    } else if (h->type == OFPTYPE_EXPERIMENTER) {
        enum nx_flow_format ff;
        bool enable;
        switch (nx_msg_subtype(msg, len)) {
        case NXT_SET_FLOW_FORMAT:
            ds_put_format(s, "NXT_SET_FLOW_FORMAT (xid=0x%"PRIx32"):", h->xid);
            error = nx_set_flow_format_decode(msg, len, &ff);
            if (!error) {
                ds_put_format(s, " format=%s",
                              ff == NXFF_NXM ? "nxm" : "openflow10");
            }
            break;
        case NXT_FLOW_MOD_TABLE_ID:
            ds_put_format(s, "NXT_FLOW_MOD_TABLE_ID (xid=0x%"PRIx32"):",
                          h->xid);
            error = nx_flow_mod_table_id_decode(msg, len, &enable);
            if (!error) {
                ds_put_cstr(s, enable ? " enable" : " disable");
            }
            break;
        case NXT_FLOW_AGE:
            ds_put_format(s, "NXT_FLOW_AGE (xid=0x%"PRIx32"):", h->xid);
            error = nx_flow_age_decode(msg, len);
            break;
        case NXT_FLOW_MOD: {
            ds_put_format(s, "NXT_FLOW_MOD (xid=0x%"PRIx32"):", h->xid);
            struct ofp_flow_mod fm;
            ofp_flow_mod_init(&fm);
            /* Printed as if the table id were on: ovs-ofctl enables it. */
            error = nx_flow_mod_decode(msg, len, true, &fm);
            if (!error) {
                ds_put_char(s, ' ');
                ofp_flow_mod_format(&fm, s);
            }
            ofp_flow_mod_uninit(&fm);
            break;
        }
        case NXT_PACKET_IN:
            nx_packet_in_format(msg, len, h, s);
            return true;
        case NXT_FLOW_REMOVED: {
            ds_put_format(s, "NXT_FLOW_REMOVED (xid=0x%"PRIx32"):", h->xid);
            struct ofp_flow_removed fr;
            error = nx_flow_removed_decode(msg, len, &fr);
            if (!error) {
                format_flow_removed(&fr, s);
            }
            break;
        }
        default:
            return false;
        }
    } else {
        return false;
    }
    if (error) {
        ds_put_format(s, " ***decode error: %s***", ofperr_get_name(error));
    }
    return true;
}
