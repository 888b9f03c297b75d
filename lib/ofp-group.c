/* Groups: codec and syntax. */
#include <config.h>
#include "ofp-group.h"

#include <inttypes.h>
#include <string.h>
#include "dynamic-string.h"
#include "ofp-buf.h"
#include "ofp-flow.h"
#include "ofp-msgs.h"
#include "ofp-parse.h"
#include "ofp-prop.h"
#include "util.h"

void
ofp_group_mod_init(struct ofp_group_mod *gm)
{
    memset(gm, 0, sizeof *gm);
    gm->type = OFPGT_ALL;
}

static void
clear_buckets(struct ofp_group_mod *gm)
{
    for (size_t i = 0; i < gm->n_buckets; i++) {
        ofpacts_uninit(&gm->buckets[i].ofpacts);
    }
    free(gm->buckets);
    gm->buckets = NULL;
    gm->n_buckets = 0;
}

void
ofp_group_mod_uninit(struct ofp_group_mod *gm)
{
    clear_buckets(gm);
}

struct ofp_bucket *
ofp_group_mod_add_bucket(struct ofp_group_mod *gm)
{
    gm->buckets = xrealloc(gm->buckets, (gm->n_buckets + 1) * sizeof *gm->buckets);
    struct ofp_bucket *b = &gm->buckets[gm->n_buckets];
    memset(b, 0, sizeof *b);
    b->bucket_id = gm->n_buckets++;
    b->weight = gm->type == OFPGT_SELECT ? 1 : 0;
    b->watch_port = OFPP_ANY;
    b->watch_group = OFPG_ANY;
    ofpacts_init(&b->ofpacts);
    return b;
}

static enum ofperr
pull_buckets(struct ofpbuf *b, size_t len, uint8_t version,
             struct ofp_group_mod *gm)
{
    const uint8_t *p = ofpbuf_try_pull(b, len);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    while (len > 0) {
        if (len < 16) {
            return OFPERR_OFPGMFC_BAD_BUCKET;
        }
        uint16_t blen = get_be16(p);
        if (blen < 16 || blen % 8 || blen > len) {
            return OFPERR_OFPGMFC_BAD_BUCKET;
        }
        struct ofp_bucket *bk = ofp_group_mod_add_bucket(gm);
        bk->weight = get_be16(p + 2);
        bk->watch_port = get_be32(p + 4);
        bk->watch_group = get_be32(p + 8);
        struct ofpbuf acts;
        ofpbuf_use_const(&acts, p + 16, blen - 16);
        enum ofperr error = ofpacts_pull_actions(&acts, blen - 16, version,
                                                 &bk->ofpacts);
        if (error) {
            return error;
        }
        p += blen;
        len -= blen;
    }
    return 0;
}

/* OpenFlow 1.5 buckets: actions, then weight/watch properties. */
enum { OFPGBPT15_WEIGHT = 0, OFPGBPT15_WATCH_PORT = 1, OFPGBPT15_WATCH_GROUP = 2 };
#define OFPG15_BUCKET_ALL 0xffffffff

static enum ofperr
pull_buckets15(const uint8_t *p, size_t len, struct ofp_group_mod *gm)
{
    while (len > 0) {
        if (len < 8) {
            return OFPERR_OFPGMFC_BAD_BUCKET;
        }
        uint16_t blen = get_be16(p), alen = get_be16(p + 2);
        if (blen < 8 || blen % 8 || blen > len || alen > blen - 8 || alen % 8) {
            return OFPERR_OFPGMFC_BAD_BUCKET;
        }
        struct ofp_bucket *bk = ofp_group_mod_add_bucket(gm);
        bk->bucket_id = get_be32(p + 4);
        bk->weight = gm->type == OFPGT_SELECT ? 1 : 0;
        struct ofpbuf acts;
        ofpbuf_use_const(&acts, p + 8, alen);
        enum ofperr error = ofpacts_pull_actions(&acts, alen, OFP15_VERSION,
                                                 &bk->ofpacts);
        if (error) {
            return error;
        }
        struct ofpbuf props;
        ofpbuf_use_const(&props, p + 8 + alen, blen - 8 - alen);
        while (props.size) {
            uint16_t type;
            struct ofpbuf v;
            error = ofpprop_pull(&props, &type, &v);
            if (error) {
                return error;
            }
            if (type <= OFPGBPT15_WATCH_GROUP && v.size != 4) {
                return OFPERR_OFPBPC_BAD_LEN;
            }
            if (type == OFPGBPT15_WEIGHT) {
                bk->weight = get_be16(v.data);
            } else if (type == OFPGBPT15_WATCH_PORT) {
                bk->watch_port = get_be32(v.data);
            } else if (type == OFPGBPT15_WATCH_GROUP) {
                bk->watch_group = get_be32(v.data);
            } else if (type != 0xffff) {
                return OFPERR_OFPBPC_BAD_TYPE;
            }
        }
        p += blen;
        len -= blen;
    }
    return 0;
}

static enum ofperr
put_buckets15(struct ofpbuf *b, const struct ofp_group_mod *gm)
{
    for (size_t i = 0; i < gm->n_buckets; i++) {
        const struct ofp_bucket *bk = &gm->buckets[i];
        size_t start = b->size;
        ofpbuf_put_be16(b, 0);
        ofpbuf_put_be16(b, 0);
        ofpbuf_put_be32(b, bk->bucket_id);
        enum ofperr error = ofpacts_put_actions(bk->ofpacts.acts, bk->ofpacts.n,
                                                b, OFP15_VERSION);
        if (error) {
            return error;
        }
        put_be16(b->data + start + 2, b->size - start - 8);
        if (gm->type == OFPGT_SELECT) {
            ofpbuf_put_be16(b, OFPGBPT15_WEIGHT);
            ofpbuf_put_be16(b, 8);
            ofpbuf_put_be16(b, bk->weight);
            ofpbuf_put_zeros(b, 2);
        }
        if (bk->watch_port != OFPP_ANY) {
            ofpbuf_put_be16(b, OFPGBPT15_WATCH_PORT);
            ofpbuf_put_be16(b, 8);
            ofpbuf_put_be32(b, bk->watch_port);
        }
        if (bk->watch_group != OFPG_ANY) {
            ofpbuf_put_be16(b, OFPGBPT15_WATCH_GROUP);
            ofpbuf_put_be16(b, 8);
            ofpbuf_put_be32(b, bk->watch_group);
        }
        put_be16(b->data + start, b->size - start);
    }
    return 0;
}

static enum ofperr
check_group(const struct ofp_group_mod *gm)
{
    if (gm->type > OFPGT_FF) {
        return OFPERR_OFPGMFC_BAD_TYPE;
    }
    if (gm->type == OFPGT_INDIRECT && gm->n_buckets != 1
        && gm->command != OFPGC_DELETE) {
        return OFPERR_OFPGMFC_INVALID_GROUP;
    }
    for (size_t i = 0; i < gm->n_buckets; i++) {
        const struct ofp_bucket *b = &gm->buckets[i];
        if (gm->type != OFPGT_SELECT && b->weight) {
            return OFPERR_OFPGMFC_BAD_BUCKET;
        }
        if (gm->type == OFPGT_FF && b->watch_port == OFPP_ANY
            && b->watch_group == OFPG_ANY) {
            return OFPERR_OFPGMFC_BAD_WATCH;
        }
    }
    return 0;
}

enum ofperr
ofp_group_mod_decode(const void *msg, size_t len, struct ofp_group_mod *gm)
{
    struct ofp_msg_header h;
    struct ofpbuf b;
    enum ofperr error = ofptype_decode(msg, len, &h, &b);
    if (error) {
        return error;
    }
    if (h.type != OFPTYPE_GROUP_MOD) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    clear_buckets(gm);
    const uint8_t *p = ofpbuf_try_pull(&b, h.version >= OFP15_VERSION ? 16 : 8);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    gm->command = get_be16(p);
    gm->type = p[2];
    gm->group_id = get_be32(p + 4);
    gm->show_bucket_ids = h.version >= OFP15_VERSION;
    if (gm->command > OFPGC_DELETE) {
        return OFPERR_OFPGMFC_BAD_COMMAND;
    }
    if (gm->group_id > OFPG_MAX && !(gm->command == OFPGC_DELETE
                                     && gm->group_id == OFPG_ALL)) {
        return OFPERR_OFPGMFC_INVALID_GROUP;
    }
    if (h.version >= OFP15_VERSION) {
        uint16_t blen = get_be16(p + 8);
        if (blen > b.size) {
            return OFPERR_OFPGMFC_BAD_BUCKET;
        }
        /* Group properties after the buckets: none defined but
         * experimenter ones, which we ignore. */
        error = pull_buckets15(b.data, blen, gm);
    } else {
        error = pull_buckets(&b, b.size, h.version, gm);
    }
    return error ? error : check_group(gm);
}

static enum ofperr
put_buckets(struct ofpbuf *b, const struct ofp_group_mod *gm, uint8_t version)
{
    for (size_t i = 0; i < gm->n_buckets; i++) {
        const struct ofp_bucket *bk = &gm->buckets[i];
        size_t start = b->size;
        ofpbuf_put_be16(b, 0);
        ofpbuf_put_be16(b, bk->weight);
        ofpbuf_put_be32(b, bk->watch_port);
        ofpbuf_put_be32(b, bk->watch_group);
        ofpbuf_put_zeros(b, 4);
        enum ofperr error = ofpacts_put_actions(bk->ofpacts.acts, bk->ofpacts.n,
                                                b, version);
        if (error) {
            return error;
        }
        put_be16(b->data + start, b->size - start);
    }
    return 0;
}

enum ofperr
ofp_group_mod_encode(const struct ofp_group_mod *gm, uint8_t version,
                     uint32_t xid, struct ofpbuf **msgp)
{
    *msgp = NULL;
    if (version == OFP10_VERSION) {
        return OFPERR_OFPBRC_BAD_VERSION;
    }
    struct ofpbuf *b = ofpmsg_alloc(OFPTYPE_GROUP_MOD, version, xid, 64);
    ofpbuf_put_be16(b, gm->command);
    ofpbuf_put_u8(b, gm->type);
    ofpbuf_put_u8(b, 0);
    ofpbuf_put_be32(b, gm->group_id);
    enum ofperr error;
    if (version >= OFP15_VERSION) {
        size_t len_ofs = b->size;
        ofpbuf_put_be16(b, 0);
        ofpbuf_put_zeros(b, 2);
        ofpbuf_put_be32(b, OFPG15_BUCKET_ALL);
        size_t start = b->size;
        error = put_buckets15(b, gm);
        put_be16(b->data + len_ofs, b->size - start);
    } else {
        error = put_buckets(b, gm, version);
    }
    if (error) {
        ofpbuf_delete(b);
        return error;
    }
    ofpmsg_update_length(b);
    *msgp = b;
    return 0;
}

enum ofperr
ofp_group_desc_append(struct ofpbuf *reply, uint8_t version,
                      const struct ofp_group_mod *gm)
{
    size_t start = reply->size;
    ofpbuf_put_be16(reply, 0);
    ofpbuf_put_u8(reply, gm->type);
    ofpbuf_put_u8(reply, 0);
    ofpbuf_put_be32(reply, gm->group_id);
    enum ofperr error;
    if (version >= OFP15_VERSION) {
        size_t len_ofs = reply->size;
        ofpbuf_put_be16(reply, 0);
        ofpbuf_put_zeros(reply, 6);
        size_t bstart = reply->size;
        error = put_buckets15(reply, gm);
        put_be16(reply->data + len_ofs, reply->size - bstart);
    } else {
        error = put_buckets(reply, gm, version);
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
ofp_group_desc_pull(struct ofpbuf *body, uint8_t version, struct ofp_group_mod *gm)
{
    clear_buckets(gm);
    const uint8_t *p = ofpbuf_at(body, 0, 8);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    uint16_t len = get_be16(p);
    if (len < 8 || len > body->size) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    gm->command = OFPGC_ADD;
    gm->type = p[2];
    gm->group_id = get_be32(p + 4);
    if (version >= OFP15_VERSION) {
        if (len < 16 || get_be16(p + 8) > len - 16) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        ofpbuf_try_pull(body, len);
        gm->show_bucket_ids = true;
        return pull_buckets15(p + 16, get_be16(p + 8), gm);
    }
    ofpbuf_try_pull(body, 8);
    return pull_buckets(body, len - 8, version, gm);
}

struct ofpbuf *
ofp_group_stats_request_encode(uint32_t group_id, uint8_t version, uint32_t xid)
{
    struct ofpbuf *b = ofpmsg_alloc(OFPTYPE_GROUP_STATS_REQUEST, version, xid, 8);
    ofpbuf_put_be32(b, group_id);
    ofpbuf_put_zeros(b, 4);
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_group_stats_request_decode(const void *msg, size_t len, uint32_t *group_id)
{
    struct ofp_msg_header h;
    struct ofpbuf b;
    enum ofperr error = ofptype_decode(msg, len, &h, &b);
    if (error) {
        return error;
    }
    const uint8_t *p = ofpbuf_try_pull(&b, 8);
    if (h.type != OFPTYPE_GROUP_STATS_REQUEST || !p) {
        return h.type != OFPTYPE_GROUP_STATS_REQUEST ? OFPERR_OFPBRC_BAD_TYPE
                                                     : OFPERR_OFPBRC_BAD_LEN;
    }
    *group_id = get_be32(p);
    return 0;
}

void
ofp_group_stats_append(struct ofpbuf *r, const struct ofp_group_stats *gs)
{
    ofpbuf_put_be16(r, 40 + 16 * gs->n_buckets);
    ofpbuf_put_zeros(r, 2);
    ofpbuf_put_be32(r, gs->group_id);
    ofpbuf_put_be32(r, gs->ref_count);
    ofpbuf_put_zeros(r, 4);
    ofpbuf_put_be64(r, gs->packet_count);
    ofpbuf_put_be64(r, gs->byte_count);
    ofpbuf_put_be32(r, gs->duration_sec);
    ofpbuf_put_be32(r, gs->duration_nsec);
    for (size_t i = 0; i < gs->n_buckets; i++) {
        ofpbuf_put_be64(r, gs->bucket_packets[i]);
        ofpbuf_put_be64(r, gs->bucket_bytes[i]);
    }
    ofpmsg_update_length(r);
}

enum ofperr
ofp_group_stats_pull(struct ofpbuf *body, struct ofp_group_stats *gs)
{
    memset(gs, 0, sizeof *gs);
    const uint8_t *p = ofpbuf_at(body, 0, 40);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    uint16_t len = get_be16(p);
    if (len < 40 || (len - 40) % 16 || len > body->size) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    ofpbuf_try_pull(body, len);
    gs->group_id = get_be32(p + 4);
    gs->ref_count = get_be32(p + 8);
    gs->packet_count = get_be64(p + 16);
    gs->byte_count = get_be64(p + 24);
    gs->duration_sec = get_be32(p + 32);
    gs->duration_nsec = get_be32(p + 36);
    gs->n_buckets = (len - 40) / 16;
    if (gs->n_buckets) {
        gs->bucket_packets = xcalloc(gs->n_buckets, sizeof *gs->bucket_packets);
        gs->bucket_bytes = xcalloc(gs->n_buckets, sizeof *gs->bucket_bytes);
    }
    for (size_t i = 0; i < gs->n_buckets; i++) {
        gs->bucket_packets[i] = get_be64(p + 40 + 16 * i);
        gs->bucket_bytes[i] = get_be64(p + 48 + 16 * i);
    }
    return 0;
}

void
ofp_group_stats_uninit(struct ofp_group_stats *gs)
{
    free(gs->bucket_packets);
    free(gs->bucket_bytes);
}

struct ofpbuf *
ofp_group_features_reply_encode(const struct ofp_group_features *gf,
                                const struct ofp_msg_header *rq)
{
    struct ofpbuf *b = ofpmsg_alloc_reply(OFPTYPE_GROUP_FEATURES_STATS_REPLY, rq, 40);
    ofpbuf_put_be32(b, gf->types);
    ofpbuf_put_be32(b, gf->capabilities);
    for (int i = 0; i < 4; i++) {
        ofpbuf_put_be32(b, gf->max_groups[i]);
    }
    for (int i = 0; i < 4; i++) {
        ofpbuf_put_be32(b, gf->actions[i]);
    }
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_group_features_reply_decode(const void *msg, size_t len,
                                struct ofp_group_features *gf)
{
    struct ofp_msg_header h;
    struct ofpbuf b;
    enum ofperr error = ofptype_decode(msg, len, &h, &b);
    if (error) {
        return error;
    }
    const uint8_t *p = ofpbuf_try_pull(&b, 40);
    if (h.type != OFPTYPE_GROUP_FEATURES_STATS_REPLY) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    gf->types = get_be32(p);
    gf->capabilities = get_be32(p + 4);
    for (int i = 0; i < 4; i++) {
        gf->max_groups[i] = get_be32(p + 8 + 4 * i);
        gf->actions[i] = get_be32(p + 24 + 4 * i);
    }
    return 0;
}

/* ---- Syntax. ---- */

static const char *const type_names[] = { "all", "select", "indirect", "ff" };

static char *
parse_bucket(char *s, struct ofp_group_mod *gm)
{
    struct ofp_bucket *b = ofp_group_mod_add_bucket(gm);
    /* "weight:N,watch_port:P,watch_group:G,actions=A" or plain actions. */
    for (;;) {
        unsigned long long x;
        char *comma = strchr(s, ',');
        size_t n = comma ? (size_t) (comma - s) : strlen(s);
        const char *keys[] = { "weight", "watch_port", "watch_group", "bucket_id" };
        size_t k;
        for (k = 0; k < ARRAY_SIZE(keys); k++) {
            size_t kl = strlen(keys[k]);
            if (!strncmp(s, keys[k], kl) && (s[kl] == ':' || s[kl] == '=')) {
                break;
            }
        }
        if (k == ARRAY_SIZE(keys)) {
            break;
        }
        char *val = xstrndup(s + strlen(keys[k]) + 1, n - strlen(keys[k]) - 1);
        bool ok;
        if (k == 1) {
            ok = ofp_port_parse(val, &b->watch_port);
        } else if (k == 3) {
            ok = str_to_ullong(val, 0, &x) && x <= 0xffffff00;
            b->bucket_id = x;
        } else {
            ok = str_to_ullong(val, 0, &x) && x <= (k ? UINT32_MAX : 0xffff);
            if (k == 0) {
                b->weight = x;
            } else {
                b->watch_group = x;
            }
        }
        free(val);
        if (!ok) {
            return xasprintf("bucket: bad %s", keys[k]);
        }
        if (!comma) {
            s += n;
            break;
        }
        s = comma + 1;
    }
    if (!strncmp(s, "actions=", 8) || !strncmp(s, "actions:", 8)) {
        s += 8;
    }
    return ofp_parse_actions(s, NULL, &b->ofpacts);
}

char *
ofp_parse_group_mod(const char *s_, int command, struct ofp_group_mod *gm)
{
    char *s = xstrdup(s_), *error = NULL;
    bool have_id = false;
    ofp_group_mod_uninit(gm);
    ofp_group_mod_init(gm);
    gm->command = command;

    /* Split at "bucket=" boundaries: bucket contents contain commas. */
    char *p = s;
    char *first_bucket = strstr(s, "bucket=");
    char *head_end = first_bucket ? first_bucket : s + strlen(s);
    char saved = *head_end;
    *head_end = '\0';
    char *save = NULL;
    for (char *tok = strtok_r(p, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
        char *eq = strchr(tok, '=');
        unsigned long long x;
        if (!eq) {
            error = xasprintf("%s: expected KEY=VALUE", tok);
            goto out;
        }
        *eq++ = '\0';
        if (!strcmp(tok, "group_id")) {
            if (!strcmp(eq, "all")) {
                x = OFPG_ALL;
            } else if (!str_to_ullong(eq, 0, &x) || x > OFPG_MAX) {
                error = xasprintf("group_id: bad value \"%s\"", eq);
                goto out;
            }
            gm->group_id = x;
            have_id = true;
        } else if (!strcmp(tok, "type")) {
            size_t i;
            for (i = 0; i < ARRAY_SIZE(type_names); i++) {
                if (!strcmp(eq, type_names[i]) || (i == 3 && !strcmp(eq, "fast_failover"))) {
                    break;
                }
            }
            if (i == ARRAY_SIZE(type_names)) {
                error = xasprintf("type: unknown group type \"%s\"", eq);
                goto out;
            }
            gm->type = i;
        } else {
            error = xasprintf("unknown group keyword \"%s\"", tok);
            goto out;
        }
    }
    *head_end = saved;
    if (!have_id) {
        error = xstrdup("must specify a group_id");
        goto out;
    }
    for (char *b = first_bucket; b; ) {
        b += strlen("bucket=");
        char *next = strstr(b, ",bucket=");
        if (next) {
            *next = '\0';
        }
        if (command == OFPGC_DELETE) {
            error = xstrdup("buckets are not allowed when deleting groups");
            goto out;
        }
        error = parse_bucket(b, gm);
        if (error) {
            goto out;
        }
        b = next ? next + 1 : NULL;
    }
    if (check_group(gm)) {
        error = xasprintf("group %"PRIu32": %s", gm->group_id,
                          ofperr_get_name(check_group(gm)));
    }
out:
    free(s);
    return error;
}

void
ofp_group_mod_format(const struct ofp_group_mod *gm, struct ds *s)
{
    static const char *cmds[] = { "ADD", "MOD", "DEL" };
    ds_put_format(s, "%s group_id=", gm->command <= OFPGC_DELETE ? cmds[gm->command] : "???");
    if (gm->group_id == OFPG_ALL) {
        ds_put_cstr(s, "all");
    } else {
        ds_put_format(s, "%"PRIu32, gm->group_id);
    }
    if (gm->command != OFPGC_DELETE) {
        ds_put_format(s, ",type=%s", gm->type <= OFPGT_FF ? type_names[gm->type] : "?");
    }
    for (size_t i = 0; i < gm->n_buckets; i++) {
        const struct ofp_bucket *b = &gm->buckets[i];
        ds_put_cstr(s, ",bucket=");
        if (gm->show_bucket_ids) {
            ds_put_format(s, "bucket_id:%"PRIu32",", b->bucket_id);
        }
        if (b->weight != 1 && gm->type == OFPGT_SELECT) {
            ds_put_format(s, "weight:%u,", b->weight);
        }
        if (b->watch_port != OFPP_ANY) {
            ds_put_cstr(s, "watch_port:");
            ofp_port_format(b->watch_port, s);
            ds_put_char(s, ',');
        }
        if (b->watch_group != OFPG_ANY) {
            ds_put_format(s, "watch_group:%"PRIu32",", b->watch_group);
        }
        ds_put_cstr(s, "actions=");
        ofpacts_format(&b->ofpacts, s);
    }
}
