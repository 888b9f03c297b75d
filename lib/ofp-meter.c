/* Meters: codec and syntax. */
#include <config.h>
#include "ofp-meter.h"

#include <inttypes.h>
#include <string.h>
#include "dynamic-string.h"
#include "ofp-buf.h"
#include "ofp-msgs.h"
#include "util.h"

#define MAX_BANDS 8

void
ofp_meter_mod_init(struct ofp_meter_mod *mm)
{
    memset(mm, 0, sizeof *mm);
}

void
ofp_meter_mod_uninit(struct ofp_meter_mod *mm)
{
    free(mm->bands);
    mm->bands = NULL;
    mm->n_bands = 0;
}

static struct ofp_meter_band *
add_band(struct ofp_meter_mod *mm)
{
    mm->bands = xrealloc(mm->bands, (mm->n_bands + 1) * sizeof *mm->bands);
    struct ofp_meter_band *b = &mm->bands[mm->n_bands++];
    memset(b, 0, sizeof *b);
    return b;
}

static enum ofperr
pull_bands(const uint8_t *p, size_t len, struct ofp_meter_mod *mm)
{
    while (len > 0) {
        if (len < 16) {
            return OFPERR_OFPMMFC_BAD_BAND;
        }
        uint16_t type = get_be16(p), blen = get_be16(p + 2);
        if (blen < 16 || blen % 8 || blen > len) {
            return OFPERR_OFPMMFC_BAD_BAND;
        }
        if (mm->n_bands >= MAX_BANDS) {
            return OFPERR_OFPMMFC_OUT_OF_BANDS;
        }
        if (type != OFPMBT_DROP && type != OFPMBT_DSCP_REMARK) {
            return OFPERR_OFPMMFC_BAD_BAND;
        }
        struct ofp_meter_band *b = add_band(mm);
        b->type = type;
        b->rate = get_be32(p + 4);
        b->burst_size = get_be32(p + 8);
        b->prec_level = type == OFPMBT_DSCP_REMARK ? p[12] : 0;
        if (!b->rate) {
            return OFPERR_OFPMMFC_BAD_RATE;
        }
        p += blen;
        len -= blen;
    }
    return 0;
}

static enum ofperr
check_meter(const struct ofp_meter_mod *mm)
{
    if (mm->command > OFPMC_DELETE) {
        return OFPERR_OFPMMFC_BAD_COMMAND;
    }
    if (!mm->meter_id || (mm->meter_id > OFPM_MAX && mm->meter_id != OFPM_ALL)) {
        return OFPERR_OFPMMFC_INVALID_METER;
    }
    if (mm->command == OFPMC_DELETE) {
        return 0;
    }
    if (mm->flags & ~0xf || !(mm->flags & (OFPMF_KBPS | OFPMF_PKTPS))
        || (mm->flags & OFPMF_KBPS && mm->flags & OFPMF_PKTPS)) {
        return OFPERR_OFPMMFC_BAD_FLAGS;
    }
    if (!mm->n_bands) {
        return OFPERR_OFPMMFC_BAD_BAND;
    }
    for (size_t i = 0; i < mm->n_bands; i++) {
        if (!(mm->flags & OFPMF_BURST) && mm->bands[i].burst_size) {
            return OFPERR_OFPMMFC_BAD_BURST;
        }
        if (mm->bands[i].type == OFPMBT_DSCP_REMARK && mm->bands[i].prec_level > 63) {
            return OFPERR_OFPMMFC_BAD_BAND_VALUE;
        }
    }
    return 0;
}

enum ofperr
ofp_meter_mod_decode(const void *msg, size_t len, struct ofp_meter_mod *mm)
{
    struct ofp_msg_header h;
    struct ofpbuf b;
    enum ofperr error = ofptype_decode(msg, len, &h, &b);
    if (error) {
        return error;
    }
    if (h.type != OFPTYPE_METER_MOD) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    ofp_meter_mod_uninit(mm);
    const uint8_t *p = ofpbuf_try_pull(&b, 8);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    mm->command = get_be16(p);
    mm->flags = get_be16(p + 2);
    mm->meter_id = get_be32(p + 4);
    error = pull_bands(b.data, b.size, mm);
    return error ? error : check_meter(mm);
}

static void
put_bands(struct ofpbuf *b, const struct ofp_meter_mod *mm)
{
    for (size_t i = 0; i < mm->n_bands; i++) {
        const struct ofp_meter_band *band = &mm->bands[i];
        ofpbuf_put_be16(b, band->type);
        ofpbuf_put_be16(b, 16);
        ofpbuf_put_be32(b, band->rate);
        ofpbuf_put_be32(b, band->burst_size);
        ofpbuf_put_u8(b, band->type == OFPMBT_DSCP_REMARK ? band->prec_level : 0);
        ofpbuf_put_zeros(b, 3);
    }
}

enum ofperr
ofp_meter_mod_encode(const struct ofp_meter_mod *mm, uint8_t version,
                     uint32_t xid, struct ofpbuf **msgp)
{
    *msgp = NULL;
    if (!ofptype_exists(OFPTYPE_METER_MOD, version)) {
        return OFPERR_OFPBRC_BAD_VERSION;
    }
    struct ofpbuf *b = ofpmsg_alloc(OFPTYPE_METER_MOD, version, xid, 64);
    ofpbuf_put_be16(b, mm->command);
    ofpbuf_put_be16(b, mm->flags);
    ofpbuf_put_be32(b, mm->meter_id);
    put_bands(b, mm);
    ofpmsg_update_length(b);
    *msgp = b;
    return 0;
}

void
ofp_meter_config_append(struct ofpbuf *r, const struct ofp_meter_mod *mm)
{
    ofpbuf_put_be16(r, 8 + 16 * mm->n_bands);
    ofpbuf_put_be16(r, mm->flags);
    ofpbuf_put_be32(r, mm->meter_id);
    put_bands(r, mm);
    ofpmsg_update_length(r);
}

enum ofperr
ofp_meter_config_pull(struct ofpbuf *body, struct ofp_meter_mod *mm)
{
    ofp_meter_mod_uninit(mm);
    const uint8_t *p = ofpbuf_at(body, 0, 8);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    uint16_t len = get_be16(p);
    if (len < 8 || len > body->size) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    ofpbuf_try_pull(body, len);
    mm->command = OFPMC_ADD;
    mm->flags = get_be16(p + 2);
    mm->meter_id = get_be32(p + 4);
    return pull_bands(p + 8, len - 8, mm);
}

struct ofpbuf *
ofp_meter_request_encode(int type, uint32_t meter_id, uint8_t version, uint32_t xid)
{
    struct ofpbuf *b = ofpmsg_alloc(type, version, xid, 8);
    ofpbuf_put_be32(b, meter_id);
    ofpbuf_put_zeros(b, 4);
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_meter_request_decode(const void *msg, size_t len, uint32_t *meter_id)
{
    struct ofp_msg_header h;
    struct ofpbuf b;
    enum ofperr error = ofptype_decode(msg, len, &h, &b);
    if (error) {
        return error;
    }
    if (h.type != OFPTYPE_METER_STATS_REQUEST
        && h.type != OFPTYPE_METER_CONFIG_STATS_REQUEST) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    const uint8_t *p = ofpbuf_try_pull(&b, 8);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    *meter_id = get_be32(p);
    return 0;
}

void
ofp_meter_stats_append(struct ofpbuf *r, const struct ofp_meter_stats *ms)
{
    size_t n = MIN(ms->n_bands, (size_t) MAX_BANDS);
    ofpbuf_put_be32(r, ms->meter_id);
    ofpbuf_put_be16(r, 40 + 16 * n);
    ofpbuf_put_zeros(r, 6);
    ofpbuf_put_be32(r, ms->flow_count);
    ofpbuf_put_be64(r, ms->packet_in_count);
    ofpbuf_put_be64(r, ms->byte_in_count);
    ofpbuf_put_be32(r, ms->duration_sec);
    ofpbuf_put_be32(r, ms->duration_nsec);
    for (size_t i = 0; i < n; i++) {
        ofpbuf_put_be64(r, ms->band_packets[i]);
        ofpbuf_put_be64(r, ms->band_bytes[i]);
    }
    ofpmsg_update_length(r);
}

enum ofperr
ofp_meter_stats_pull(struct ofpbuf *body, struct ofp_meter_stats *ms)
{
    memset(ms, 0, sizeof *ms);
    const uint8_t *p = ofpbuf_at(body, 0, 40);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    uint16_t len = get_be16(p + 4);
    if (len < 40 || (len - 40) % 16 || len > body->size) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    ofpbuf_try_pull(body, len);
    ms->meter_id = get_be32(p);
    ms->flow_count = get_be32(p + 12);
    ms->packet_in_count = get_be64(p + 16);
    ms->byte_in_count = get_be64(p + 24);
    ms->duration_sec = get_be32(p + 32);
    ms->duration_nsec = get_be32(p + 36);
    size_t n = (len - 40) / 16;
    ms->n_bands = MIN(n, (size_t) MAX_BANDS);
    for (size_t i = 0; i < ms->n_bands; i++) {
        ms->band_packets[i] = get_be64(p + 40 + 16 * i);
        ms->band_bytes[i] = get_be64(p + 48 + 16 * i);
    }
    return 0;
}

struct ofpbuf *
ofp_meter_features_reply_encode(const struct ofp_meter_features *mf,
                                const struct ofp_msg_header *rq)
{
    struct ofpbuf *b = ofpmsg_alloc_reply(OFPTYPE_METER_FEATURES_STATS_REPLY, rq, 16);
    ofpbuf_put_be32(b, mf->max_meter);
    ofpbuf_put_be32(b, mf->band_types);
    ofpbuf_put_be32(b, mf->capabilities);
    ofpbuf_put_u8(b, mf->max_bands);
    ofpbuf_put_u8(b, mf->max_color);
    ofpbuf_put_zeros(b, 2);
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_meter_features_reply_decode(const void *msg, size_t len,
                                struct ofp_meter_features *mf)
{
    struct ofp_msg_header h;
    struct ofpbuf b;
    enum ofperr error = ofptype_decode(msg, len, &h, &b);
    if (error) {
        return error;
    }
    if (h.type != OFPTYPE_METER_FEATURES_STATS_REPLY) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    const uint8_t *p = ofpbuf_try_pull(&b, 16);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    mf->max_meter = get_be32(p);
    mf->band_types = get_be32(p + 4);
    mf->capabilities = get_be32(p + 8);
    mf->max_bands = p[12];
    mf->max_color = p[13];
    return 0;
}

/* ---- Syntax. ---- */

static char *
parse_u32(const char *name, const char *v, uint32_t *out)
{
    unsigned long long x;
    if (!v || !str_to_ullong(v, 0, &x) || x > UINT32_MAX) {
        return xasprintf("%s: bad value \"%s\"", name, v ? v : "");
    }
    *out = x;
    return NULL;
}

char *
ofp_parse_meter_mod(const char *s_, int command, struct ofp_meter_mod *mm)
{
    char *s = xstrdup(s_), *save = NULL, *error = NULL;
    struct ofp_meter_band *band = NULL;
    ofp_meter_mod_uninit(mm);
    ofp_meter_mod_init(mm);
    mm->command = command;

    for (char *tok = strtok_r(s, ", ", &save); tok && !error;
         tok = strtok_r(NULL, ", ", &save)) {
        char *eq = strchr(tok, '=');
        char *val = eq ? eq + 1 : NULL;
        if (eq) {
            *eq = '\0';
        }
        uint32_t x = 0;
        if (!strcmp(tok, "meter")) {
            if (val && !strcmp(val, "all")) {
                mm->meter_id = OFPM_ALL;
            } else {
                error = parse_u32(tok, val, &mm->meter_id);
            }
        } else if (!strcmp(tok, "kbps") && !val) {
            mm->flags |= OFPMF_KBPS;
        } else if (!strcmp(tok, "pktps") && !val) {
            mm->flags |= OFPMF_PKTPS;
        } else if (!strcmp(tok, "burst") && !val) {
            mm->flags |= OFPMF_BURST;
        } else if (!strcmp(tok, "stats") && !val) {
            mm->flags |= OFPMF_STATS;
        } else if (!strcmp(tok, "band")) {
            /* "band=type=drop": the next key=value pairs describe it. */
            if (!val || strncmp(val, "type=", 5)) {
                error = xstrdup("band: expected band=type=...");
                break;
            }
            if (mm->n_bands >= MAX_BANDS) {
                error = xstrdup("too many bands");
                break;
            }
            band = add_band(mm);
            val += 5;
            if (!strcmp(val, "drop")) {
                band->type = OFPMBT_DROP;
            } else if (!strcmp(val, "dscp_remark")) {
                band->type = OFPMBT_DSCP_REMARK;
            } else {
                error = xasprintf("band: unknown type \"%s\"", val);
            }
        } else if (band && !strcmp(tok, "rate")) {
            error = parse_u32(tok, val, &band->rate);
        } else if (band && !strcmp(tok, "burst_size")) {
            error = parse_u32(tok, val, &band->burst_size);
        } else if (band && !strcmp(tok, "prec_level")) {
            error = parse_u32(tok, val, &x);
            band->prec_level = x;
            if (!error && x > 63) {
                error = xstrdup("prec_level: must be at most 63");
            }
        } else {
            error = xasprintf("unknown meter keyword \"%s\"", tok);
        }
    }
    free(s);
    if (!error && !mm->meter_id) {
        error = xstrdup("must specify a meter id");
    }
    if (!error && command != OFPMC_DELETE) {
        for (size_t i = 0; i < mm->n_bands && !error; i++) {
            if (!mm->bands[i].rate) {
                error = xstrdup("band: rate must be nonzero");
            }
        }
        enum ofperr e = error ? 0 : check_meter(mm);
        if (e) {
            error = xasprintf("meter %"PRIu32": %s", mm->meter_id, ofperr_get_name(e));
        }
    }
    return error;
}

void
ofp_meter_mod_format(const struct ofp_meter_mod *mm, struct ds *s)
{
    static const char *cmds[] = { "ADD", "MOD", "DEL" };
    ds_put_format(s, "%s meter=", mm->command <= OFPMC_DELETE ? cmds[mm->command] : "???");
    if (mm->meter_id == OFPM_ALL) {
        ds_put_cstr(s, "all");
    } else {
        ds_put_format(s, "%"PRIu32, mm->meter_id);
    }
    if (mm->flags & OFPMF_KBPS) {
        ds_put_cstr(s, " kbps");
    }
    if (mm->flags & OFPMF_PKTPS) {
        ds_put_cstr(s, " pktps");
    }
    if (mm->flags & OFPMF_BURST) {
        ds_put_cstr(s, " burst");
    }
    if (mm->flags & OFPMF_STATS) {
        ds_put_cstr(s, " stats");
    }
    if (mm->n_bands) {
        ds_put_cstr(s, " bands=");
    }
    for (size_t i = 0; i < mm->n_bands; i++) {
        const struct ofp_meter_band *b = &mm->bands[i];
        ds_put_format(s, "\ntype=%s rate=%"PRIu32,
                      b->type == OFPMBT_DROP ? "drop" : "dscp_remark", b->rate);
        if (b->burst_size) {
            ds_put_format(s, " burst_size=%"PRIu32, b->burst_size);
        }
        if (b->type == OFPMBT_DSCP_REMARK) {
            ds_put_format(s, " prec_level=%u", b->prec_level);
        }
    }
}
