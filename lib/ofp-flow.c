/* flow_mod, flow_removed, flow/aggregate stats for OpenFlow 1.0 and 1.3+. */
#include <config.h>
#include "ofp-flow.h"

#include <string.h>
#include "ofp-buf.h"
#include "ofp-match.h"
#include "ofp-msgs.h"
#include "util.h"

void
ofp_flow_mod_init(struct ofp_flow_mod *fm)
{
    memset(fm, 0, sizeof *fm);
    match_init_catchall(&fm->match);
    fm->priority = 0x8000;
    fm->command = OFPFC_ADD;
    fm->buffer_id = OFP_NO_BUFFER;
    fm->out_port = OFPP_ANY;
    fm->out_group = OFPG_ANY;
    fm->new_cookie = UINT64_MAX;
    ofpacts_init(&fm->ofpacts);
}

void
ofp_flow_mod_uninit(struct ofp_flow_mod *fm)
{
    ofpacts_uninit(&fm->ofpacts);
}

static enum ofperr
decode_body(const void *msg, size_t len, enum ofptype want,
            struct ofp_msg_header *h, struct ofpbuf *body)
{
    enum ofperr error = ofptype_decode(msg, len, h, body);
    if (error) {
        return error;
    }
    return h->type == want ? 0 : OFPERR_OFPBRC_BAD_TYPE;
}

/* OpenFlow 1.5 carries statistics as OXS TLVs in a 'struct ofp_stats'. */
#define OXS_CLASS_BASIC 0x8002
enum { OXS_DURATION = 0, OXS_IDLE_TIME = 1, OXS_FLOW_COUNT = 3,
       OXS_PACKET_COUNT = 4, OXS_BYTE_COUNT = 5 };

struct oxs_stats {
    uint32_t duration_sec, duration_nsec;
    uint64_t packet_count, byte_count;
    uint32_t flow_count;
};

static void
put_oxs(struct ofpbuf *b, uint8_t field, uint8_t len)
{
    ofpbuf_put_be16(b, OXS_CLASS_BASIC);
    ofpbuf_put_u8(b, field << 1);
    ofpbuf_put_u8(b, len);
}

static void
put_stats15(struct ofpbuf *b, const struct oxs_stats *st, bool aggregate)
{
    size_t start = b->size;
    ofpbuf_put_be16(b, 0);
    ofpbuf_put_be16(b, 0);
    if (aggregate) {
        put_oxs(b, OXS_FLOW_COUNT, 4);
        ofpbuf_put_be32(b, st->flow_count);
    } else {
        put_oxs(b, OXS_DURATION, 8);
        ofpbuf_put_be32(b, st->duration_sec);
        ofpbuf_put_be32(b, st->duration_nsec);
    }
    put_oxs(b, OXS_PACKET_COUNT, 8);
    ofpbuf_put_be64(b, st->packet_count);
    put_oxs(b, OXS_BYTE_COUNT, 8);
    ofpbuf_put_be64(b, st->byte_count);
    put_be16(b->data + start + 2, b->size - start);
    ofpbuf_pad_from(b, start, 8);
}

static enum ofperr
pull_stats15(struct ofpbuf *b, struct oxs_stats *st)
{
    memset(st, 0, sizeof *st);
    const uint8_t *p = ofpbuf_at(b, 0, 4);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    uint16_t len = get_be16(p + 2);
    if (len < 4 || !ofpbuf_at(b, 0, ROUND_UP(len, 8))) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    size_t ofs = 4;
    while (ofs < len) {
        if (len - ofs < 4) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        uint16_t cls = get_be16(p + ofs);
        uint8_t field = p[ofs + 2] >> 1, flen = p[ofs + 3];
        const uint8_t *v = p + ofs + 4;
        if (flen > len - ofs - 4) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        if (cls == OXS_CLASS_BASIC) {
            if (field == OXS_DURATION && flen == 8) {
                st->duration_sec = get_be32(v);
                st->duration_nsec = get_be32(v + 4);
            } else if (field == OXS_FLOW_COUNT && flen == 4) {
                st->flow_count = get_be32(v);
            } else if (field == OXS_PACKET_COUNT && flen == 8) {
                st->packet_count = get_be64(v);
            } else if (field == OXS_BYTE_COUNT && flen == 8) {
                st->byte_count = get_be64(v);
            }
        }
        ofs += 4 + flen;
    }
    ofpbuf_try_pull(b, ROUND_UP(len, 8));
    return 0;
}

enum ofperr
ofp_flow_mod_decode(const void *msg, size_t len, struct ofp_flow_mod *fm)
{
    return ofp_flow_mod_decode_ext(msg, len, false, fm);
}

enum ofperr
ofp_flow_mod_decode_ext(const void *msg, size_t len, bool table_id_ext,
                        struct ofp_flow_mod *fm)
{
    struct ofp_msg_header h;
    struct ofpbuf b;
    enum ofperr error = decode_body(msg, len, OFPTYPE_FLOW_MOD, &h, &b);
    if (error) {
        return error;
    }
    ofp_flow_mod_uninit(fm);
    ofp_flow_mod_init(fm);

    if (h.version == OFP10_VERSION) {
        error = ofp_match_pull(&b, h.version, &fm->match);
        if (error) {
            return error;
        }
        const uint8_t *p = ofpbuf_try_pull(&b, 24);
        if (!p) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        uint16_t command = get_be16(p + 8);
        uint8_t table_id = OFPTT_ALL;
        if (table_id_ext) {
            table_id = command >> 8;
            command &= 0xff;
        }
        fm->cookie = get_be64(p);
        fm->cookie_mask = 0;
        fm->command = command;
        if (command == OFPFC_MODIFY || command == OFPFC_MODIFY_STRICT) {
            /* All ones leaves the cookies alone (ovs-ofctl's mod-flows
             * without cookie=). */
            fm->new_cookie = fm->cookie;
        }
        fm->idle_timeout = get_be16(p + 10);
        fm->hard_timeout = get_be16(p + 12);
        fm->priority = get_be16(p + 14);
        fm->buffer_id = get_be32(p + 16);
        fm->out_port = ofp_port_from_ofp10(get_be16(p + 20));
        fm->flags = get_be16(p + 22);
        if (command > OFPFC_DELETE_STRICT) {
            return OFPERR_OFPFMFC_BAD_COMMAND;
        }
        /* OF1.0 EMERG (bit 2) is not supported. */
        if (fm->flags & ~(OFPFF_SEND_FLOW_REM | OFPFF_CHECK_OVERLAP)) {
            return OFPERR_OFPFMFC_BAD_FLAGS;
        }
        fm->table_id = (table_id != OFPTT_ALL ? table_id
                        : fm->command >= OFPFC_DELETE ? OFPTT_ALL : 0);
        if (fm->command == OFPFC_ADD && fm->match.wc.masks.tcp_flags) {
            return OFPERR_OFPBMC_BAD_FIELD;
        }
        /* A 1.0 match has no prerequisite order; the actions' L4 fields
         * follow the match's protocol. */
        error = ofpacts_pull_actions(&b, b.size, h.version, &fm->ofpacts);
    } else {
        const uint8_t *p = ofpbuf_try_pull(&b, 40);
        if (!p) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        fm->cookie = get_be64(p);
        fm->cookie_mask = get_be64(p + 8);
        fm->table_id = p[16];
        fm->command = p[17];
        fm->idle_timeout = get_be16(p + 18);
        fm->hard_timeout = get_be16(p + 20);
        fm->priority = get_be16(p + 22);
        fm->buffer_id = get_be32(p + 24);
        fm->out_port = get_be32(p + 28);
        fm->out_group = get_be32(p + 32);
        fm->flags = get_be16(p + 36);
        fm->importance = h.version >= OFP14_VERSION ? get_be16(p + 38) : 0;
        if (fm->command > OFPFC_DELETE_STRICT) {
            return OFPERR_OFPFMFC_BAD_COMMAND;
        }
        if (fm->flags & ~0x1f) {
            return OFPERR_OFPFMFC_BAD_FLAGS;
        }
        if (fm->table_id == OFPTT_ALL && fm->command < OFPFC_DELETE) {
            return OFPERR_OFPFMFC_BAD_TABLE_ID;
        }
        error = ofp_match_pull(&b, h.version, &fm->match);
        if (error) {
            return error;
        }
        error = ofpacts_pull_instructions(&b, b.size, h.version, &fm->ofpacts);
    }
    if (error) {
        return error;
    }
    /* Fill in the protocol of mod_tp_* from the match. */
    for (size_t i = 0; i < fm->ofpacts.n; i++) {
        struct ofpact *a = &fm->ofpacts.acts[i];
        if (a->type == OFPACT_SET_L4_SRC || a->type == OFPACT_SET_L4_DST) {
            a->u.l4.proto = fm->match.flow.nw_proto;
        }
    }
    return 0;
}

enum ofperr
ofp_flow_mod_encode(const struct ofp_flow_mod *fm, uint8_t version,
                    uint32_t xid, struct ofpbuf **msgp)
{
    struct ofpbuf *b = ofpmsg_alloc(OFPTYPE_FLOW_MOD, version, xid, 128);
    enum ofperr error;
    *msgp = NULL;

    if (version == OFP10_VERSION) {
        uint16_t out_port;
        if (!ofp_port_to_ofp10(fm->out_port, &out_port)) {
            error = OFPERR_OFPBRC_BAD_PORT;
            goto fail;
        }
        if (fm->table_id && fm->table_id != OFPTT_ALL) {
            error = OFPERR_OFPBRC_BAD_TABLE_ID;
            goto fail;
        }
        error = ofp_match_put(b, version, &fm->match);
        if (error) {
            goto fail;
        }
        ofpbuf_put_be64(b, fm->cookie);
        ofpbuf_put_be16(b, fm->command);
        ofpbuf_put_be16(b, fm->idle_timeout);
        ofpbuf_put_be16(b, fm->hard_timeout);
        ofpbuf_put_be16(b, fm->priority);
        ofpbuf_put_be32(b, fm->buffer_id);
        ofpbuf_put_be16(b, out_port);
        ofpbuf_put_be16(b, fm->flags & (OFPFF_SEND_FLOW_REM | OFPFF_CHECK_OVERLAP));
        error = ofpacts_put_instructions(&fm->ofpacts, b, version);
    } else {
        ofpbuf_put_be64(b, fm->cookie);
        ofpbuf_put_be64(b, fm->cookie_mask);
        ofpbuf_put_u8(b, fm->table_id);
        ofpbuf_put_u8(b, fm->command);
        ofpbuf_put_be16(b, fm->idle_timeout);
        ofpbuf_put_be16(b, fm->hard_timeout);
        ofpbuf_put_be16(b, fm->priority);
        ofpbuf_put_be32(b, fm->buffer_id);
        ofpbuf_put_be32(b, fm->out_port);
        ofpbuf_put_be32(b, fm->out_group);
        ofpbuf_put_be16(b, fm->flags);
        ofpbuf_put_be16(b, version >= OFP14_VERSION ? fm->importance : 0);
        ofp_match_put(b, version, &fm->match);
        error = ofpacts_put_instructions(&fm->ofpacts, b, version);
    }
    if (error) {
        goto fail;
    }
    if (b->size > OFP_MAX_MSG_LEN) {
        error = OFPERR_OFPBRC_BAD_LEN;
        goto fail;
    }
    ofpmsg_update_length(b);
    *msgp = b;
    return 0;

fail:
    ofpbuf_delete(b);
    return error;
}

enum ofperr
ofp_flow_removed_decode(const void *msg, size_t len, struct ofp_flow_removed *fr)
{
    struct ofp_msg_header h;
    struct ofpbuf b;
    enum ofperr error = decode_body(msg, len, OFPTYPE_FLOW_REMOVED, &h, &b);
    if (error) {
        return error;
    }
    memset(fr, 0, sizeof *fr);
    if (h.version == OFP10_VERSION) {
        error = ofp_match_pull(&b, h.version, &fr->match);
        if (error) {
            return error;
        }
        const uint8_t *p = ofpbuf_try_pull(&b, 40);
        if (!p || b.size) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        fr->cookie = get_be64(p);
        fr->priority = get_be16(p + 8);
        fr->reason = p[10];
        fr->duration_sec = get_be32(p + 12);
        fr->duration_nsec = get_be32(p + 16);
        fr->idle_timeout = get_be16(p + 20);
        fr->packet_count = get_be64(p + 24);
        fr->byte_count = get_be64(p + 32);
        return 0;
    }
    if (h.version >= OFP15_VERSION) {
        const uint8_t *p = ofpbuf_try_pull(&b, 16);
        struct oxs_stats st;
        if (!p) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        fr->table_id = p[0];
        fr->reason = p[1];
        fr->priority = get_be16(p + 2);
        fr->idle_timeout = get_be16(p + 4);
        fr->hard_timeout = get_be16(p + 6);
        fr->cookie = get_be64(p + 8);
        error = ofp_match_pull(&b, h.version, &fr->match);
        if (!error) {
            error = pull_stats15(&b, &st);
        }
        fr->duration_sec = st.duration_sec;
        fr->duration_nsec = st.duration_nsec;
        fr->packet_count = st.packet_count;
        fr->byte_count = st.byte_count;
        return error;
    }
    const uint8_t *p = ofpbuf_try_pull(&b, 40);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    fr->cookie = get_be64(p);
    fr->priority = get_be16(p + 8);
    fr->reason = p[10];
    fr->table_id = p[11];
    fr->duration_sec = get_be32(p + 12);
    fr->duration_nsec = get_be32(p + 16);
    fr->idle_timeout = get_be16(p + 20);
    fr->hard_timeout = get_be16(p + 22);
    fr->packet_count = get_be64(p + 24);
    fr->byte_count = get_be64(p + 32);
    return ofp_match_pull(&b, h.version, &fr->match);
}

struct ofpbuf *
ofp_flow_removed_encode(const struct ofp_flow_removed *fr, uint8_t version)
{
    struct ofpbuf *b = ofpmsg_alloc(OFPTYPE_FLOW_REMOVED, version, 0, 128);
    if (version == OFP10_VERSION) {
        ofp_match_put(b, version, &fr->match);
        ofpbuf_put_be64(b, fr->cookie);
        ofpbuf_put_be16(b, fr->priority);
        ofpbuf_put_u8(b, fr->reason);
        ofpbuf_put_u8(b, 0);
        ofpbuf_put_be32(b, fr->duration_sec);
        ofpbuf_put_be32(b, fr->duration_nsec);
        ofpbuf_put_be16(b, fr->idle_timeout);
        ofpbuf_put_zeros(b, 2);
        ofpbuf_put_be64(b, fr->packet_count);
        ofpbuf_put_be64(b, fr->byte_count);
    } else if (version >= OFP15_VERSION) {
        struct oxs_stats st = { fr->duration_sec, fr->duration_nsec,
                                fr->packet_count, fr->byte_count, 0 };
        ofpbuf_put_u8(b, fr->table_id);
        ofpbuf_put_u8(b, fr->reason);
        ofpbuf_put_be16(b, fr->priority);
        ofpbuf_put_be16(b, fr->idle_timeout);
        ofpbuf_put_be16(b, fr->hard_timeout);
        ofpbuf_put_be64(b, fr->cookie);
        ofp_match_put(b, version, &fr->match);
        put_stats15(b, &st, false);
    } else {
        ofpbuf_put_be64(b, fr->cookie);
        ofpbuf_put_be16(b, fr->priority);
        ofpbuf_put_u8(b, fr->reason);
        ofpbuf_put_u8(b, fr->table_id);
        ofpbuf_put_be32(b, fr->duration_sec);
        ofpbuf_put_be32(b, fr->duration_nsec);
        ofpbuf_put_be16(b, fr->idle_timeout);
        ofpbuf_put_be16(b, fr->hard_timeout);
        ofpbuf_put_be64(b, fr->packet_count);
        ofpbuf_put_be64(b, fr->byte_count);
        ofp_match_put(b, version, &fr->match);
    }
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_flow_stats_request_decode(const void *msg, size_t len,
                              struct ofp_flow_stats_request *rq)
{
    struct ofp_msg_header h;
    struct ofpbuf b;
    enum ofperr error = ofptype_decode(msg, len, &h, &b);
    if (error) {
        return error;
    }
    if (h.type != OFPTYPE_FLOW_STATS_REQUEST
        && h.type != OFPTYPE_AGGREGATE_STATS_REQUEST) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    memset(rq, 0, sizeof *rq);
    rq->aggregate = h.type == OFPTYPE_AGGREGATE_STATS_REQUEST;
    rq->out_group = OFPG_ANY;
    if (h.version == OFP10_VERSION) {
        error = ofp_match_pull(&b, h.version, &rq->match);
        if (error) {
            return error;
        }
        const uint8_t *p = ofpbuf_try_pull(&b, 4);
        if (!p || b.size) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        rq->table_id = p[0];
        rq->out_port = ofp_port_from_ofp10(get_be16(p + 2));
        return 0;
    }
    const uint8_t *p = ofpbuf_try_pull(&b, 32);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    rq->table_id = p[0];
    rq->out_port = get_be32(p + 4);
    rq->out_group = get_be32(p + 8);
    rq->cookie = get_be64(p + 16);
    rq->cookie_mask = get_be64(p + 24);
    error = ofp_match_pull(&b, h.version, &rq->match);
    if (!error && b.size) {
        error = OFPERR_OFPBRC_BAD_LEN;
    }
    return error;
}

struct ofpbuf *
ofp_flow_stats_request_encode(const struct ofp_flow_stats_request *rq,
                              uint8_t version, uint32_t xid)
{
    struct ofpbuf *b = ofpmsg_alloc(rq->aggregate
                                    ? OFPTYPE_AGGREGATE_STATS_REQUEST
                                    : OFPTYPE_FLOW_STATS_REQUEST,
                                    version, xid, 128);
    if (version == OFP10_VERSION) {
        uint16_t port = 0xffff;
        ofp_match_put(b, version, &rq->match);
        ofpbuf_put_u8(b, rq->table_id);
        ofpbuf_put_u8(b, 0);
        ofp_port_to_ofp10(rq->out_port, &port);
        ofpbuf_put_be16(b, port);
    } else {
        ofpbuf_put_u8(b, rq->table_id);
        ofpbuf_put_zeros(b, 3);
        ofpbuf_put_be32(b, rq->out_port);
        ofpbuf_put_be32(b, rq->out_group);
        ofpbuf_put_zeros(b, 4);
        ofpbuf_put_be64(b, rq->cookie);
        ofpbuf_put_be64(b, rq->cookie_mask);
        ofp_match_put(b, version, &rq->match);
    }
    ofpmsg_update_length(b);
    return b;
}

void
ofp_flow_stats_uninit(struct ofp_flow_stats *fs)
{
    ofpacts_uninit(&fs->ofpacts);
}

enum ofperr
ofp_flow_stats_append(struct ofpbuf *reply, uint8_t version,
                      const struct ofp_flow_stats *fs)
{
    return ofp_flow_stats_append_rule(reply, version, fs, &fs->match,
                                      &fs->ofpacts);
}

enum ofperr
ofp_flow_stats_append_rule(struct ofpbuf *reply, uint8_t version,
                           const struct ofp_flow_stats *fs,
                           const struct match *match,
                           const struct ofpacts *ofpacts)
{
    size_t start = reply->size;
    enum ofperr error;
    if (version >= OFP15_VERSION) {
        struct oxs_stats st = { fs->duration_sec, fs->duration_nsec,
                                fs->packet_count, fs->byte_count, 0 };
        ofpbuf_put_be16(reply, 0);
        ofpbuf_put_zeros(reply, 2);
        ofpbuf_put_u8(reply, fs->table_id);
        ofpbuf_put_u8(reply, 0);
        ofpbuf_put_be16(reply, fs->priority);
        ofpbuf_put_be16(reply, fs->idle_timeout);
        ofpbuf_put_be16(reply, fs->hard_timeout);
        ofpbuf_put_be16(reply, fs->flags);
        ofpbuf_put_be16(reply, 0);              /* Importance. */
        ofpbuf_put_be64(reply, fs->cookie);
        error = ofp_match_put(reply, version, match);
        put_stats15(reply, &st, false);
        goto instructions;
    }
    ofpbuf_put_be16(reply, 0);
    ofpbuf_put_u8(reply, fs->table_id);
    ofpbuf_put_u8(reply, 0);
    if (version == OFP10_VERSION) {
        error = ofp_match_put(reply, version, match);
        ofpbuf_put_be32(reply, fs->duration_sec);
        ofpbuf_put_be32(reply, fs->duration_nsec);
        ofpbuf_put_be16(reply, fs->priority);
        ofpbuf_put_be16(reply, fs->idle_timeout);
        ofpbuf_put_be16(reply, fs->hard_timeout);
        ofpbuf_put_zeros(reply, 6);
        ofpbuf_put_be64(reply, fs->cookie);
        ofpbuf_put_be64(reply, fs->packet_count);
        ofpbuf_put_be64(reply, fs->byte_count);
    } else {
        ofpbuf_put_be32(reply, fs->duration_sec);
        ofpbuf_put_be32(reply, fs->duration_nsec);
        ofpbuf_put_be16(reply, fs->priority);
        ofpbuf_put_be16(reply, fs->idle_timeout);
        ofpbuf_put_be16(reply, fs->hard_timeout);
        ofpbuf_put_be16(reply, fs->flags);
        ofpbuf_put_zeros(reply, 4);
        ofpbuf_put_be64(reply, fs->cookie);
        ofpbuf_put_be64(reply, fs->packet_count);
        ofpbuf_put_be64(reply, fs->byte_count);
        error = ofp_match_put(reply, version, match);
    }
instructions:
    if (!error) {
        error = ofpacts_put_instructions(ofpacts, reply, version);
    }
    if (error) {
        reply->size = start;
        return error;
    }
    put_be16(reply->data + start, reply->size - start);
    ofpmsg_update_length(reply);
    return 0;
}

enum ofperr
ofp_flow_stats_body_put(struct ofpbuf *b, uint8_t version,
                        const struct match *match,
                        const struct ofpacts *ofpacts)
{
    if (!ofp_flow_stats_body_cacheable(version)) {
        return OFPERR_OFPBRC_BAD_VERSION;
    }
    size_t start = b->size;
    enum ofperr error = ofp_match_put(b, version, match);
    if (!error) {
        error = ofpacts_put_instructions(ofpacts, b, version);
    }
    if (error) {
        b->size = start;
    }
    return error;
}

void
ofp_flow_stats_append_body(struct ofpbuf *reply, uint8_t version,
                           const struct ofp_flow_stats *fs,
                           const void *body, size_t body_len)
{
    (void) version;             /* All cacheable versions: one layout. */
    size_t len = OFP11_FLOW_STATS_HEADER_LEN + body_len;
    uint8_t *p = ofpbuf_put_uninit(reply, len);
    put_be16(p, len);
    p[2] = fs->table_id;
    p[3] = 0;
    put_be32(p + 4, fs->duration_sec);
    put_be32(p + 8, fs->duration_nsec);
    put_be16(p + 12, fs->priority);
    put_be16(p + 14, fs->idle_timeout);
    put_be16(p + 16, fs->hard_timeout);
    put_be16(p + 18, fs->flags);
    memset(p + 20, 0, 4);
    put_be64(p + 24, fs->cookie);
    put_be64(p + 32, fs->packet_count);
    put_be64(p + 40, fs->byte_count);
    memcpy(p + OFP11_FLOW_STATS_HEADER_LEN, body, body_len);
    ofpmsg_update_length(reply);
}

enum ofperr
ofp_flow_stats_entry_pull(struct ofpbuf *body, size_t min_len,
                          struct ofpbuf *entry, bool *done)
{
    *done = !body->size;
    if (*done) {
        return 0;
    }
    const uint8_t *lp = ofpbuf_at(body, 0, 2);
    if (!lp) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    uint16_t len = get_be16(lp);
    if (len < min_len || len > body->size) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    ofpbuf_use_const(entry, ofpbuf_try_pull(body, len), len);
    return 0;
}

enum ofperr
ofp_flow_stats_pull(struct ofpbuf *body, uint8_t version,
                    struct ofp_flow_stats *fs, bool *done)
{
    size_t fixed = version == OFP10_VERSION ? 88 : version >= OFP15_VERSION ? 32 : 48;
    struct ofpbuf e;
    enum ofperr error = ofp_flow_stats_entry_pull(body, fixed, &e, done);
    if (error || *done) {
        return error;
    }
    ofpacts_clear(&fs->ofpacts);
    if (version >= OFP15_VERSION) {
        const uint8_t *q = ofpbuf_try_pull(&e, 24);
        struct oxs_stats st;
        fs->table_id = q[4];
        fs->priority = get_be16(q + 6);
        fs->idle_timeout = get_be16(q + 8);
        fs->hard_timeout = get_be16(q + 10);
        fs->flags = get_be16(q + 12);
        fs->cookie = get_be64(q + 16);
        error = ofp_match_pull(&e, version, &fs->match);
        if (!error) {
            error = pull_stats15(&e, &st);
        }
        if (error) {
            return error;
        }
        fs->duration_sec = st.duration_sec;
        fs->duration_nsec = st.duration_nsec;
        fs->packet_count = st.packet_count;
        fs->byte_count = st.byte_count;
        return ofpacts_pull_instructions(&e, e.size, version, &fs->ofpacts);
    }
    const uint8_t *p = ofpbuf_try_pull(&e, 4);
    fs->table_id = p[2];
    if (version == OFP10_VERSION) {
        error = ofp_match_pull(&e, version, &fs->match);
        if (error) {
            return error;
        }
        p = ofpbuf_try_pull(&e, 44);
        fs->duration_sec = get_be32(p);
        fs->duration_nsec = get_be32(p + 4);
        fs->priority = get_be16(p + 8);
        fs->idle_timeout = get_be16(p + 10);
        fs->hard_timeout = get_be16(p + 12);
        fs->flags = 0;
        fs->cookie = get_be64(p + 20);
        fs->packet_count = get_be64(p + 28);
        fs->byte_count = get_be64(p + 36);
    } else {
        p = ofpbuf_try_pull(&e, 44);
        fs->duration_sec = get_be32(p);
        fs->duration_nsec = get_be32(p + 4);
        fs->priority = get_be16(p + 8);
        fs->idle_timeout = get_be16(p + 10);
        fs->hard_timeout = get_be16(p + 12);
        fs->flags = get_be16(p + 14);
        fs->cookie = get_be64(p + 20);
        fs->packet_count = get_be64(p + 28);
        fs->byte_count = get_be64(p + 36);
        error = ofp_match_pull(&e, version, &fs->match);
        if (error) {
            return error;
        }
    }
    return ofpacts_pull_instructions(&e, e.size, version, &fs->ofpacts);
}

void
ofp_aggregate_body_put(struct ofpbuf *b, const struct ofp_aggregate_stats *as)
{
    ofpbuf_put_be64(b, as->packet_count);
    ofpbuf_put_be64(b, as->byte_count);
    ofpbuf_put_be32(b, as->flow_count);
    ofpbuf_put_zeros(b, 4);
}

void
ofp_aggregate_body_get(const uint8_t *p, struct ofp_aggregate_stats *as)
{
    as->packet_count = get_be64(p);
    as->byte_count = get_be64(p + 8);
    as->flow_count = get_be32(p + 16);
}

struct ofpbuf *
ofp_aggregate_stats_reply_encode(const struct ofp_msg_header *rq,
                                 const struct ofp_aggregate_stats *as)
{
    struct ofpbuf *b = ofpmsg_alloc_reply(OFPTYPE_AGGREGATE_STATS_REPLY, rq, 24);
    if (rq->version >= OFP15_VERSION) {
        struct oxs_stats st = { 0, 0, as->packet_count, as->byte_count,
                                as->flow_count };
        put_stats15(b, &st, true);
        ofpmsg_update_length(b);
        return b;
    }
    ofp_aggregate_body_put(b, as);
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_aggregate_stats_reply_decode(const void *msg, size_t len,
                                 struct ofp_aggregate_stats *as)
{
    struct ofp_msg_header h;
    struct ofpbuf b;
    enum ofperr error = decode_body(msg, len, OFPTYPE_AGGREGATE_STATS_REPLY, &h, &b);
    if (error) {
        return error;
    }
    if (h.version >= OFP15_VERSION) {
        struct oxs_stats st;
        error = pull_stats15(&b, &st);
        as->packet_count = st.packet_count;
        as->byte_count = st.byte_count;
        as->flow_count = st.flow_count;
        return error;
    }
    const uint8_t *p = ofpbuf_try_pull(&b, OFP_AGGREGATE_BODY_LEN);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    ofp_aggregate_body_get(p, as);
    return 0;
}
