/* Table features replies. */
#include <config.h>
#include "ofp-table.h"

#include <string.h>
#include "ofp-buf.h"
#include "ofp-fields.h"
#include "ofp-msgs.h"
#include "ofp-prop.h"
#include "util.h"

enum {
    OFPTFPT_INSTRUCTIONS = 0, OFPTFPT_NEXT_TABLES = 2,
    OFPTFPT_WRITE_ACTIONS = 4, OFPTFPT_APPLY_ACTIONS = 6, OFPTFPT_MATCH = 8,
    OFPTFPT_WILDCARDS = 10, OFPTFPT_WRITE_SETFIELD = 12,
    OFPTFPT_APPLY_SETFIELD = 14,
};

static size_t
prop_start(struct ofpbuf *b, uint16_t type)
{
    size_t start = b->size;
    ofpbuf_put_be16(b, type);
    ofpbuf_put_be16(b, 0);
    return start;
}

static void
prop_end(struct ofpbuf *b, size_t start)
{
    put_be16(b->data + start + 2, b->size - start);
    ofpbuf_pad_from(b, start, 8);
}

static void
put_oxm_headers(struct ofpbuf *b, uint16_t type, bool masked_only, bool writable,
                uint8_t version)
{
    size_t start = prop_start(b, type);
    /* Match fields only: views (xregs, NXM's in_port...) name bits these
     * already list. */
    for (int id = 0; id < OFPF_N_MATCH_FIELDS; id++) {
        const struct ofp_field *f = ofp_field_get(id);
        if ((masked_only && !f->maskable) || (writable && !f->writable)) {
            continue;
        }
        bool onf = id == OFPF_TCP_FLAGS && version < OFP15_VERSION;
        bool hm = masked_only;
        if (onf) {
            /* Experimenter OXM headers carry the experimenter id. */
            ofpbuf_put_be16(b, OXM_CLASS_EXPERIMENTER);
            ofpbuf_put_u8(b, (f->oxm_field << 1) | hm);
            ofpbuf_put_u8(b, 4 + f->n_bytes * (hm ? 2 : 1));
            ofpbuf_put_be32(b, ONF_EXPERIMENTER_ID);
        } else {
            ofpbuf_put_be16(b, f->oxm_class);
            ofpbuf_put_u8(b, (f->oxm_field << 1) | hm);
            ofpbuf_put_u8(b, f->n_bytes * (hm ? 2 : 1));
        }
    }
    prop_end(b, start);
}

static void
put_action_list(struct ofpbuf *b, uint16_t type)
{
    /* OF1.1+ action types this codec decodes. */
    static const uint16_t actions[] = { 0, 11, 12, 15, 16, 17, 18, 19, 20, 21,
                                        22, 23, 24, 25 };
    size_t start = prop_start(b, type);
    for (size_t i = 0; i < ARRAY_SIZE(actions); i++) {
        ofpbuf_put_be16(b, actions[i]);
        ofpbuf_put_be16(b, 4);
    }
    prop_end(b, start);
}

static void
put_table(struct ofpbuf *b, uint8_t version, const struct ofp_table_features *tf)
{
    size_t start = b->size;
    ofpbuf_put_be16(b, 0);
    ofpbuf_put_u8(b, tf->table_id);
    ofpbuf_put_zeros(b, 5);
    char *name = ofpbuf_put_zeros(b, OFP_MAX_TABLE_NAME_LEN);
    memcpy(name, tf->name, strnlen(tf->name, OFP_MAX_TABLE_NAME_LEN - 1));
    ofpbuf_put_be64(b, tf->metadata_match);
    ofpbuf_put_be64(b, tf->metadata_write);
    ofpbuf_put_be32(b, 0);
    ofpbuf_put_be32(b, tf->max_entries);

    size_t p = prop_start(b, OFPTFPT_INSTRUCTIONS);
    for (uint16_t it = 1; it <= 6; it++) {
        if (it == 1 && tf->table_id + 1 >= tf->n_tables) {
            continue;           /* No goto_table from the last table. */
        }
        ofpbuf_put_be16(b, it);
        ofpbuf_put_be16(b, 4);
    }
    prop_end(b, p);

    p = prop_start(b, OFPTFPT_NEXT_TABLES);
    for (unsigned int t = tf->table_id + 1; t < tf->n_tables; t++) {
        ofpbuf_put_u8(b, t);
    }
    prop_end(b, p);

    put_action_list(b, OFPTFPT_WRITE_ACTIONS);
    put_action_list(b, OFPTFPT_APPLY_ACTIONS);
    put_oxm_headers(b, OFPTFPT_MATCH, false, false, version);
    put_oxm_headers(b, OFPTFPT_WILDCARDS, false, false, version);
    put_oxm_headers(b, OFPTFPT_WRITE_SETFIELD, false, true, version);
    put_oxm_headers(b, OFPTFPT_APPLY_SETFIELD, false, true, version);
    put_be16(b->data + start, b->size - start);
}

size_t
ofp_table_features_reply_encode(const struct ofp_msg_header *rq,
                                const struct ofp_table_features *tfs, size_t n,
                                struct ofpbuf ***msgsp)
{
    struct ofpbuf **msgs = NULL;
    size_t n_msgs = 0, allocated = 0;
    struct ofpbuf *cur = NULL;

    for (size_t i = 0; i < n || !cur; i++) {
        if (!cur) {
            cur = ofpmsg_alloc_reply(OFPTYPE_TABLE_FEATURES_STATS_REPLY, rq, 4096);
            if (n_msgs >= allocated) {
                msgs = x2nrealloc(msgs, &allocated, sizeof *msgs);
            }
            msgs[n_msgs++] = cur;
        }
        if (i >= n) {
            break;
        }
        size_t before = cur->size;
        put_table(cur, rq->version, &tfs[i]);
        if (cur->size > OFP_MAX_MSG_LEN && before > 16) {
            /* Too big: move this table into a new message. */
            cur->size = before;
            ofpmsg_set_mp_flags(cur, OFPSF_REPLY_MORE);
            ofpmsg_update_length(cur);
            cur = NULL;
            i--;
            continue;
        }
        ofpmsg_update_length(cur);
    }
    *msgsp = msgs;
    return n_msgs;
}

enum ofperr
ofp_table_features_pull(struct ofpbuf *body, struct ofp_table_features *tf)
{
    const uint8_t *p = ofpbuf_at(body, 0, 64);
    if (!p) {
        return OFPERR_OFPTFFC_BAD_LEN;
    }
    uint16_t len = get_be16(p);
    if (len < 64 || len % 8 || len > body->size) {
        return OFPERR_OFPTFFC_BAD_LEN;
    }
    ofpbuf_try_pull(body, len);
    memset(tf, 0, sizeof *tf);
    tf->table_id = p[2];
    memcpy(tf->name, p + 8, OFP_MAX_TABLE_NAME_LEN);
    tf->name[OFP_MAX_TABLE_NAME_LEN - 1] = '\0';
    tf->metadata_match = get_be64(p + 40);
    tf->metadata_write = get_be64(p + 48);
    tf->max_entries = get_be32(p + 60);
    /* Properties: framing checked (a bad one is a table features error,
     * not a property one), contents ignored. */
    struct ofpbuf props;
    ofpbuf_use_const(&props, p + 64, len - 64);
    while (props.size) {
        uint16_t type;
        struct ofpbuf v;
        if (ofpprop_pull(&props, &type, &v)) {
            return OFPERR_OFPTFFC_BAD_LEN;
        }
    }
    return 0;
}

bool
ofp_table_features_request_is_query(const void *msg, size_t len)
{
    struct ofp_msg_header h;
    struct ofpbuf body;
    return !ofptype_decode(msg, len, &h, &body)
           && h.type == OFPTYPE_TABLE_FEATURES_STATS_REQUEST && !body.size;
}
