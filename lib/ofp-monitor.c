/* Flow monitoring messages (see ofp-monitor.h). */
#include <config.h>
#include "ofp-monitor.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "dynamic-string.h"
#include "nxm.h"
#include "ofp-buf.h"
#include "ofp-flow.h"
#include "ofp-match.h"
#include "ofp-msgs.h"
#include "ofp-parse.h"
#include "ofp-print.h"
#include "oxm.h"
#include "util.h"

#define NX_VENDOR_ID 0x00002320
#define NXST_FLOW_MONITOR 2
#define NXT_FLOW_MONITOR_CANCEL 21
#define NXT_FLOW_MONITOR_PAUSED 22
#define NXT_FLOW_MONITOR_RESUMED 23
#define ONF_VENDOR_ID 0x4f4e4600
#define ONFST_FLOW_MONITOR 1870
#define ONFT_FLOW_MONITOR_CANCEL 1870
#define ONFT_FLOW_MONITOR_PAUSED 1871
#define ONFT_FLOW_MONITOR_RESUMED 1872

/* Nicira event numbers. */
enum { NXFME_ADDED, NXFME_DELETED, NXFME_MODIFIED, NXFME_ABBREV };

/* Wire forms (see ofp-monitor.h). */
enum fm_wire { FM_NX, FM_ONF13, FM_OF14 };

#define NX_FLAGS_MASK 0x3f
#define OF14_FLAGS_MASK 0x7f
#define FM_REQUEST_LEN 16           /* Fixed part of each wire form. */
#define FM_UPDATE_FULL_LEN 24
#define FM_UPDATE_SHORT_LEN 8
#define FM_REPLY_SPLIT 60000        /* Start a new reply beyond this. */

static enum fm_wire
wire_for_version(uint8_t version)
{
    return (version == OFP10_VERSION ? FM_NX
            : version == OFP13_VERSION ? FM_ONF13 : FM_OF14);
}

/* ---- Classification and experimenter headers. ---- */

/* The experimenter id and type after the multipart header, and how many
 * body bytes they take (OF1.0 pads to 8). */
static bool
exp_stats_header(const struct ofpbuf *body, uint8_t version,
                 uint32_t *vendor, uint32_t *subtype, size_t *hlen)
{
    *hlen = version == OFP10_VERSION ? 12 : 8;
    const uint8_t *p = ofpbuf_at(body, 0, *hlen);
    if (!p) {
        return false;
    }
    *vendor = get_be32(p);
    *subtype = get_be32(p + 4);
    return true;
}

enum ofp_monitor_msg_type
ofp_monitor_classify(const void *msg, size_t len,
                     const struct ofp_msg_header *h)
{
    const uint8_t *p = msg;
    switch (h->type) {
    case OFPTYPE_FLOW_MONITOR_STATS_REQUEST:
        return OFPMON_REQUEST;
    case OFPTYPE_FLOW_MONITOR_STATS_REPLY:
        return OFPMON_REPLY;
    case OFPTYPE_EXPERIMENTER_STATS_REQUEST:
    case OFPTYPE_EXPERIMENTER_STATS_REPLY: {
        struct ofpbuf body;
        struct ofp_msg_header hh;
        uint32_t vendor, subtype;
        size_t hlen;
        if (ofptype_decode(msg, len, &hh, &body)
            || !exp_stats_header(&body, h->version, &vendor, &subtype, &hlen)
            || !((vendor == NX_VENDOR_ID && subtype == NXST_FLOW_MONITOR)
                 || (vendor == ONF_VENDOR_ID
                     && subtype == ONFST_FLOW_MONITOR))) {
            return OFPMON_UNKNOWN_EXPERIMENTER;
        }
        return (h->type == OFPTYPE_EXPERIMENTER_STATS_REQUEST
                ? OFPMON_REQUEST : OFPMON_REPLY);
    }
    case OFPTYPE_EXPERIMENTER:
        if (len >= 16) {
            uint32_t vendor = get_be32(p + 8), subtype = get_be32(p + 12);
            if (vendor == NX_VENDOR_ID || vendor == ONF_VENDOR_ID) {
                bool nx = vendor == NX_VENDOR_ID;
                if (subtype == (nx ? NXT_FLOW_MONITOR_CANCEL
                                : ONFT_FLOW_MONITOR_CANCEL)) {
                    return OFPMON_CANCEL;
                } else if (subtype == (nx ? NXT_FLOW_MONITOR_PAUSED
                                       : ONFT_FLOW_MONITOR_PAUSED)) {
                    return OFPMON_PAUSED;
                } else if (subtype == (nx ? NXT_FLOW_MONITOR_RESUMED
                                       : ONFT_FLOW_MONITOR_RESUMED)) {
                    return OFPMON_RESUMED;
                }
            }
        }
        return OFPMON_NONE;
    default:
        return OFPMON_NONE;
    }
}

/* Starts a request or reply message of the wire form for 'version'. */
static struct ofpbuf *
fm_msg_alloc(bool reply, uint8_t version, uint32_t xid)
{
    enum fm_wire wire = wire_for_version(version);
    if (wire == FM_OF14) {
        return ofpmsg_alloc(reply ? OFPTYPE_FLOW_MONITOR_STATS_REPLY
                            : OFPTYPE_FLOW_MONITOR_STATS_REQUEST,
                            version, xid, 256);
    }
    struct ofpbuf *b = ofpmsg_alloc(reply ? OFPTYPE_EXPERIMENTER_STATS_REPLY
                                    : OFPTYPE_EXPERIMENTER_STATS_REQUEST,
                                    version, xid, 256);
    if (wire == FM_NX) {
        ofpbuf_put_be32(b, NX_VENDOR_ID);
        ofpbuf_put_be32(b, NXST_FLOW_MONITOR);
        ofpbuf_put_zeros(b, 4);
    } else {
        ofpbuf_put_be32(b, ONF_VENDOR_ID);
        ofpbuf_put_be32(b, ONFST_FLOW_MONITOR);
    }
    ofpmsg_update_length(b);
    return b;
}

/* The body of a request or reply after every header; its wire form. */
static enum ofperr
fm_msg_body(const void *msg, size_t len, struct ofpbuf *body,
            struct ofp_msg_header *h, enum fm_wire *wire)
{
    enum ofperr error = ofptype_decode(msg, len, h, body);
    if (error) {
        return error;
    }
    if (h->type == OFPTYPE_FLOW_MONITOR_STATS_REQUEST
        || h->type == OFPTYPE_FLOW_MONITOR_STATS_REPLY) {
        *wire = FM_OF14;
        return 0;
    }
    uint32_t vendor, subtype;
    size_t hlen;
    if (!exp_stats_header(body, h->version, &vendor, &subtype, &hlen)) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    if (vendor == NX_VENDOR_ID && subtype == NXST_FLOW_MONITOR) {
        *wire = FM_NX;
    } else if (vendor == ONF_VENDOR_ID && subtype == ONFST_FLOW_MONITOR) {
        *wire = FM_ONF13;
    } else {
        return (vendor == NX_VENDOR_ID || vendor == ONF_VENDOR_ID
                ? OFPERR_OFPBRC_BAD_EXP_TYPE : OFPERR_OFPBRC_BAD_EXPERIMENTER);
    }
    ofpbuf_try_pull(body, hlen);
    return 0;
}

/* ---- Matches in each wire form. ---- */

/* NX: bare NXM TLVs of 'match_len' bytes, padded to 8. */
static enum ofperr
pull_nx_match(struct ofpbuf *b, size_t match_len, struct match *match)
{
    const uint8_t *p = ofpbuf_at(b, 0, ROUND_UP(match_len, 8));
    if (!p) {
        return OFPERR_OFPBMC_BAD_LEN;
    }
    enum ofperr error = nxm_decode_fields(p, match_len, match);
    if (!error) {
        ofpbuf_try_pull(b, ROUND_UP(match_len, 8));
    }
    return error;
}

static size_t
put_nx_match(struct ofpbuf *b, const struct match *match)
{
    size_t start = b->size;
    size_t n = nxm_put_fields(b, match);
    ofpbuf_pad_from(b, start, 8);
    return n;
}

/* ---- Requests. ---- */

/* OF1.4 flag bits 5 and 6.  The spec calls bit 6 ONLY_OWN; Open vSwitch
 * (ovs-ofctl and ovs-vswitchd) uses it as Nicira's "own" (report this
 * connection's changes too, abbreviated), and reports other connections'
 * changes either way.  We do as Open vSwitch does, so that ovs-ofctl
 * sees the same updates from both switches. */
#define OF14_NO_ABBREV (1u << 5)
#define OF14_OWN (1u << 6)

static uint16_t
flags_to_wire(uint16_t flags, enum fm_wire wire)
{
    if (wire != FM_OF14) {
        return flags & NX_FLAGS_MASK;
    }
    return ((flags & (OFPFMF_INITIAL | OFPFMF_ADD | OFPFMF_REMOVED
                      | OFPFMF_MODIFY | OFPFMF_ACTIONS))
            | (flags & OFPFMF_NO_ABBREV ? OF14_NO_ABBREV : 0)
            | (flags & OFPFMF_OWN ? OF14_OWN : 0));
}

static enum ofperr
flags_from_wire(uint16_t wire_flags, enum fm_wire wire, uint16_t *flags)
{
    if (wire != FM_OF14) {
        if (wire_flags & ~NX_FLAGS_MASK
            || !(wire_flags & (OFPFMF_ADD | OFPFMF_REMOVED | OFPFMF_MODIFY))) {
            return OFPERR_OFPMOFC_BAD_FLAGS;
        }
        *flags = wire_flags;
        return 0;
    }
    if (wire_flags & ~OF14_FLAGS_MASK) {
        return OFPERR_OFPMOFC_BAD_FLAGS;
    }
    /* no_abbrev asks for own changes in full, so it implies "own". */
    *flags = ((wire_flags & 0x1f)
              | (wire_flags & (OF14_OWN | OF14_NO_ABBREV) ? OFPFMF_OWN : 0)
              | (wire_flags & OF14_NO_ABBREV ? OFPFMF_NO_ABBREV : 0));
    return 0;
}

struct ofpbuf *
ofp_flow_monitor_request_encode(const struct ofp_flow_monitor_request *rqs,
                                size_t n, uint8_t version, uint32_t xid)
{
    enum fm_wire wire = wire_for_version(version);
    struct ofpbuf *b = fm_msg_alloc(false, version, xid);
    for (size_t i = 0; i < n; i++) {
        const struct ofp_flow_monitor_request *rq = &rqs[i];
        size_t start = b->size;
        uint16_t flags = flags_to_wire(rq->flags, wire);
        if (wire == FM_NX) {
            uint16_t port;
            if (!ofp_port_to_ofp10(rq->out_port, &port)) {
                port = 0xffff;      /* OFPP_NONE */
            }
            ofpbuf_put_be32(b, rq->id);
            ofpbuf_put_be16(b, flags);
            ofpbuf_put_be16(b, port);
            ofpbuf_put_be16(b, 0);              /* match_len, below. */
            ofpbuf_put_u8(b, rq->table_id);
            ofpbuf_put_zeros(b, 5);
            put_be16(b->data + start + 8, put_nx_match(b, &rq->match));
        } else if (wire == FM_ONF13) {
            ofpbuf_put_be32(b, rq->id);
            ofpbuf_put_be16(b, flags);
            ofpbuf_put_be16(b, 0);              /* match_len, below. */
            ofpbuf_put_be32(b, rq->out_port);
            ofpbuf_put_u8(b, rq->table_id);
            ofpbuf_put_zeros(b, 3);
            put_be16(b->data + start + 6,
                     oxm_put_match(b, &rq->match, version));
        } else {
            ofpbuf_put_be32(b, rq->id);
            ofpbuf_put_be32(b, rq->out_port);
            ofpbuf_put_be32(b, rq->out_group);
            ofpbuf_put_be16(b, flags);
            ofpbuf_put_u8(b, rq->table_id);
            ofpbuf_put_u8(b, rq->command);
            oxm_put_match(b, &rq->match, version);
        }
    }
    ofpmsg_update_length(b);
    return b;
}

static enum ofperr
pull_request(struct ofpbuf *b, enum fm_wire wire, uint8_t version,
             struct ofp_flow_monitor_request *rq)
{
    const uint8_t *p = ofpbuf_try_pull(b, FM_REQUEST_LEN);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    memset(rq, 0, sizeof *rq);
    rq->id = get_be32(p);
    rq->out_group = OFPG_ANY;
    rq->command = OFPFMC_ADD;
    enum ofperr error;
    if (wire == FM_NX) {
        error = flags_from_wire(get_be16(p + 4), wire, &rq->flags);
        if (error) {
            return error;
        }
        rq->out_port = ofp_port_from_ofp10(get_be16(p + 6));
        rq->table_id = p[10];
        static const uint8_t zeros[5];
        if (memcmp(p + 11, zeros, 5)) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        return pull_nx_match(b, get_be16(p + 8), &rq->match);
    } else if (wire == FM_ONF13) {
        error = flags_from_wire(get_be16(p + 4), wire, &rq->flags);
        if (error) {
            return error;
        }
        rq->out_port = get_be32(p + 8);
        rq->table_id = p[12];
        return ofp_match_pull(b, version, &rq->match);
    }
    rq->out_port = get_be32(p + 4);
    rq->out_group = get_be32(p + 8);
    error = flags_from_wire(get_be16(p + 12), wire, &rq->flags);
    if (error) {
        return error;
    }
    rq->table_id = p[14];
    rq->command = p[15];
    if (rq->command > OFPFMC_DELETE) {
        return OFPERR_OFPMOFC_BAD_COMMAND;
    }
    if (rq->command != OFPFMC_DELETE
        && !(rq->flags & (OFPFMF_ADD | OFPFMF_REMOVED | OFPFMF_MODIFY
                          | OFPFMF_INITIAL))) {
        return OFPERR_OFPMOFC_BAD_FLAGS;
    }
    return ofp_match_pull(b, version, &rq->match);
}

enum ofperr
ofp_flow_monitor_request_decode(const void *msg, size_t len,
                                struct ofp_flow_monitor_request **rqs,
                                size_t *n)
{
    struct ofpbuf b;
    struct ofp_msg_header h;
    enum fm_wire wire;
    *rqs = NULL;
    *n = 0;
    enum ofperr error = fm_msg_body(msg, len, &b, &h, &wire);
    if (error) {
        return error;
    }
    if (!b.size) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    size_t allocated = 0;
    while (b.size && !error) {
        if (*n >= allocated) {
            *rqs = x2nrealloc(*rqs, &allocated, sizeof **rqs);
        }
        error = pull_request(&b, wire, h.version, &(*rqs)[*n]);
        if (!error) {
            (*n)++;
        }
    }
    if (error) {
        free(*rqs);
        *rqs = NULL;
        *n = 0;
    }
    return error;
}

/* ---- Cancel, paused, resumed. ---- */

static struct ofpbuf *
exp_msg_alloc(uint8_t version, uint32_t xid, uint32_t nx_subtype,
              uint32_t onf_subtype)
{
    struct ofpbuf *b = ofpraw_alloc(OFPT_EXPERIMENTER, version, xid, 16);
    bool onf = version == OFP13_VERSION;
    ofpbuf_put_be32(b, onf ? ONF_VENDOR_ID : NX_VENDOR_ID);
    ofpbuf_put_be32(b, onf ? onf_subtype : nx_subtype);
    ofpmsg_update_length(b);
    return b;
}

struct ofpbuf *
ofp_flow_monitor_cancel_encode(uint32_t id, uint8_t version, uint32_t xid)
{
    if (version >= OFP14_VERSION) {
        /* OF1.4: a request with the delete command. */
        struct ofp_flow_monitor_request rq;
        memset(&rq, 0, sizeof rq);
        rq.id = id;
        rq.out_port = OFPP_ANY;
        rq.out_group = OFPG_ANY;
        rq.table_id = OFPTT_ALL;
        rq.command = OFPFMC_DELETE;
        match_init_catchall(&rq.match);
        return ofp_flow_monitor_request_encode(&rq, 1, version, xid);
    }
    struct ofpbuf *b = exp_msg_alloc(version, xid, NXT_FLOW_MONITOR_CANCEL,
                                     ONFT_FLOW_MONITOR_CANCEL);
    ofpbuf_put_be32(b, id);
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_flow_monitor_cancel_decode(const void *msg, size_t len, uint32_t *id)
{
    if (len != 20) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    *id = get_be32((const uint8_t *) msg + 16);
    return 0;
}

struct ofpbuf *
ofp_flow_monitor_pause_encode(enum ofp_flow_update_event event,
                              uint8_t version)
{
    bool paused = event == OFPFME_PAUSED;
    return exp_msg_alloc(version, 0,
                         paused ? NXT_FLOW_MONITOR_PAUSED
                                : NXT_FLOW_MONITOR_RESUMED,
                         paused ? ONFT_FLOW_MONITOR_PAUSED
                                : ONFT_FLOW_MONITOR_RESUMED);
}

/* ---- Updates. ---- */

static uint16_t
event_to_nx(enum ofp_flow_update_event e)
{
    switch (e) {
    case OFPFME_INITIAL:
    case OFPFME_ADDED: return NXFME_ADDED;
    case OFPFME_REMOVED: return NXFME_DELETED;
    case OFPFME_MODIFIED: return NXFME_MODIFIED;
    case OFPFME_ABBREV: return NXFME_ABBREV;
    default: return 0xffff;     /* PAUSED/RESUMED: not in NX replies. */
    }
}

static void
put_update(struct ofpbuf *b, const struct ofp_flow_update *u, uint8_t version)
{
    enum fm_wire wire = wire_for_version(version);
    size_t start = b->size;
    if (u->event == OFPFME_ABBREV) {
        ofpbuf_put_be16(b, FM_UPDATE_SHORT_LEN);
        ofpbuf_put_be16(b, wire == FM_OF14 ? u->event : NXFME_ABBREV);
        ofpbuf_put_be32(b, u->xid);
        return;
    }
    if (u->event == OFPFME_PAUSED || u->event == OFPFME_RESUMED) {
        /* Only OF1.4 replies carry these. */
        ofpbuf_put_be16(b, FM_UPDATE_SHORT_LEN);
        ofpbuf_put_be16(b, u->event);
        ofpbuf_put_zeros(b, 4);
        return;
    }
    ofpbuf_put_be16(b, 0);                      /* Length, below. */
    if (wire == FM_OF14) {
        ofpbuf_put_be16(b, u->event);
        ofpbuf_put_u8(b, u->table_id);
        ofpbuf_put_u8(b, u->reason);
        ofpbuf_put_be16(b, u->idle_timeout);
        ofpbuf_put_be16(b, u->hard_timeout);
        ofpbuf_put_be16(b, u->priority);
        ofpbuf_put_zeros(b, 4);
        ofpbuf_put_be64(b, u->cookie);
        oxm_put_match(b, &u->match, version);
    } else {
        ofpbuf_put_be16(b, event_to_nx(u->event));
        ofpbuf_put_be16(b, u->reason);
        ofpbuf_put_be16(b, u->priority);
        ofpbuf_put_be16(b, u->idle_timeout);
        ofpbuf_put_be16(b, u->hard_timeout);
        ofpbuf_put_be16(b, 0);                  /* match_len, below. */
        ofpbuf_put_u8(b, u->table_id);
        ofpbuf_put_u8(b, 0);
        ofpbuf_put_be64(b, u->cookie);
        size_t mlen = (wire == FM_NX ? put_nx_match(b, &u->match)
                       : oxm_put_match(b, &u->match, version));
        put_be16(b->data + start + 12, mlen);
    }
    if (u->has_actions) {
        /* Actions the version cannot express are left out rather than
         * sent half-written. */
        size_t before = b->size;
        if (ofpacts_put_instructions(&u->ofpacts, b, version)) {
            b->size = before;
        }
    }
    put_be16(b->data + start, b->size - start);
}

void
ofp_fm_replies_init(struct ofp_fm_replies *r, uint8_t version, uint32_t xid)
{
    r->msgs = NULL;
    r->n = r->allocated = 0;
    r->version = version;
    r->xid = xid;
}

static struct ofpbuf *
fm_replies_new(struct ofp_fm_replies *r)
{
    if (r->n) {
        ofpmsg_set_mp_flags(r->msgs[r->n - 1], OFPSF_REPLY_MORE);
    }
    if (r->n >= r->allocated) {
        r->msgs = x2nrealloc(r->msgs, &r->allocated, sizeof *r->msgs);
    }
    r->msgs[r->n] = fm_msg_alloc(true, r->version, r->xid);
    return r->msgs[r->n++];
}

void
ofp_fm_replies_append(struct ofp_fm_replies *r,
                      const struct ofp_flow_update *u)
{
    struct ofpbuf *b = (!r->n || r->msgs[r->n - 1]->size > FM_REPLY_SPLIT
                        ? fm_replies_new(r) : r->msgs[r->n - 1]);
    put_update(b, u, r->version);
    ofpmsg_update_length(b);
}

struct ofpbuf **
ofp_fm_replies_steal(struct ofp_fm_replies *r, size_t *n)
{
    if (!r->n) {
        fm_replies_new(r);      /* An empty reply still answers. */
    }
    struct ofpbuf **msgs = r->msgs;
    *n = r->n;
    r->msgs = NULL;
    r->n = r->allocated = 0;
    return msgs;
}

void
ofp_fm_replies_destroy(struct ofp_fm_replies *r)
{
    for (size_t i = 0; i < r->n; i++) {
        ofpbuf_delete(r->msgs[i]);
    }
    free(r->msgs);
    r->msgs = NULL;
    r->n = r->allocated = 0;
}

static enum ofperr
event_from_wire(uint16_t e, enum fm_wire wire,
                enum ofp_flow_update_event *event)
{
    if (wire == FM_OF14) {
        if (e > OFPFME_RESUMED) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        *event = e;
        return 0;
    }
    switch (e) {
    case NXFME_ADDED: *event = OFPFME_ADDED; return 0;
    case NXFME_DELETED: *event = OFPFME_REMOVED; return 0;
    case NXFME_MODIFIED: *event = OFPFME_MODIFIED; return 0;
    case NXFME_ABBREV: *event = OFPFME_ABBREV; return 0;
    default: return OFPERR_OFPBRC_BAD_LEN;
    }
}

static enum ofperr
pull_update(struct ofpbuf *b, enum fm_wire wire, uint8_t version,
            struct ofp_flow_update *u)
{
    /* '*u' is the caller's to free whatever happens. */
    memset(u, 0, sizeof *u);
    ofpacts_init(&u->ofpacts);
    const uint8_t *p = ofpbuf_at(b, 0, 4);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    size_t length = get_be16(p);
    enum ofperr error = event_from_wire(get_be16(p + 2), wire, &u->event);
    if (error || length < FM_UPDATE_SHORT_LEN || length % 8
        || !ofpbuf_at(b, 0, length)) {
        return error ? error : OFPERR_OFPBRC_BAD_LEN;
    }
    struct ofpbuf e;
    ofpbuf_use_const(&e, p, length);
    ofpbuf_try_pull(b, length);
    if (u->event == OFPFME_ABBREV || u->event == OFPFME_PAUSED
        || u->event == OFPFME_RESUMED) {
        u->xid = get_be32(p + 4);
        return length == FM_UPDATE_SHORT_LEN ? 0 : OFPERR_OFPBRC_BAD_LEN;
    }
    if (!ofpbuf_try_pull(&e, FM_UPDATE_FULL_LEN)) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    if (wire == FM_OF14) {
        u->table_id = p[4];
        u->reason = p[5];
        u->idle_timeout = get_be16(p + 6);
        u->hard_timeout = get_be16(p + 8);
        u->priority = get_be16(p + 10);
        u->cookie = get_be64(p + 16);
        error = ofp_match_pull(&e, version, &u->match);
    } else {
        u->reason = get_be16(p + 4);
        u->priority = get_be16(p + 6);
        u->idle_timeout = get_be16(p + 8);
        u->hard_timeout = get_be16(p + 10);
        u->table_id = p[14];
        u->cookie = get_be64(p + 16);
        error = (wire == FM_NX ? pull_nx_match(&e, get_be16(p + 12), &u->match)
                 : ofp_match_pull(&e, version, &u->match));
    }
    if (!error && e.size) {
        u->has_actions = true;
        error = ofpacts_pull_instructions(&e, e.size, version, &u->ofpacts);
    }
    return error;
}

enum ofperr
ofp_flow_update_decode_all(const void *msg, size_t len,
                           struct ofp_flow_update **ups, size_t *n)
{
    struct ofpbuf b;
    struct ofp_msg_header h;
    enum fm_wire wire;
    *ups = NULL;
    *n = 0;
    enum ofperr error = fm_msg_body(msg, len, &b, &h, &wire);
    size_t allocated = 0;
    while (!error && b.size) {
        if (*n >= allocated) {
            *ups = x2nrealloc(*ups, &allocated, sizeof **ups);
        }
        error = pull_update(&b, wire, h.version, &(*ups)[*n]);
        (*n)++;                 /* Owns ofpacts even on error. */
    }
    if (error) {
        ofp_flow_updates_free(*ups, *n);
        *ups = NULL;
        *n = 0;
    }
    return error;
}

void
ofp_flow_updates_free(struct ofp_flow_update *ups, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ofpacts_uninit(&ups[i].ofpacts);
    }
    free(ups);
}

/* ---- Text. ---- */

const char *
ofp_flow_removed_reason_name(uint8_t reason)
{
    switch (reason) {
    case OFPRR_IDLE_TIMEOUT: return "idle";
    case OFPRR_HARD_TIMEOUT: return "hard";
    case OFPRR_DELETE: return "delete";
    case OFPRR_GROUP_DELETE: return "group_delete";
    case OFPRR_METER_DELETE: return "meter_delete";
    case OFPRR_EVICTION: return "eviction";
    default: return "unknown";
    }
}

static const char *
event_name(enum ofp_flow_update_event e)
{
    switch (e) {
    case OFPFME_INITIAL: return "INITIAL";
    case OFPFME_ADDED: return "ADDED";
    case OFPFME_REMOVED: return "DELETED";
    case OFPFME_MODIFIED: return "MODIFIED";
    case OFPFME_ABBREV: return "ABBREV";
    case OFPFME_PAUSED: return "PAUSED";
    case OFPFME_RESUMED: return "RESUMED";
    default: return "UNKNOWN";
    }
}

void
ofp_flow_update_format(const struct ofp_flow_update *u, struct ds *s)
{
    ds_put_format(s, " event=%s", event_name(u->event));
    if (u->event == OFPFME_ABBREV) {
        ds_put_format(s, " xid=0x%"PRIx32, u->xid);
        return;
    }
    if (u->event == OFPFME_PAUSED || u->event == OFPFME_RESUMED) {
        return;
    }
    if (u->event == OFPFME_REMOVED) {
        ds_put_format(s, " reason=%s", ofp_flow_removed_reason_name(u->reason));
    }
    ds_put_format(s, " table=%"PRIu8, u->table_id);
    if (u->idle_timeout) {
        ds_put_format(s, " idle_timeout=%"PRIu16, u->idle_timeout);
    }
    if (u->hard_timeout) {
        ds_put_format(s, " hard_timeout=%"PRIu16, u->hard_timeout);
    }
    ds_put_format(s, " cookie=%#"PRIx64" ", u->cookie);
    /* ovs-ofctl shows no priority in updates. */
    ofp_match_format(&u->match, OFP_DEFAULT_PRIORITY, s);
    if (u->has_actions && u->ofpacts.n) {
        if (s->string[s->length - 1] != ' ') {
            ds_put_char(s, ' ');
        }
        ds_put_cstr(s, "actions=");
        ofpacts_format(&u->ofpacts, s);
    }
}

static const char *
fm_msg_name(enum fm_wire wire, bool reply)
{
    switch (wire) {
    case FM_NX: return reply ? "NXST_FLOW_MONITOR reply"
                             : "NXST_FLOW_MONITOR request";
    case FM_ONF13: return reply ? "ONFST_FLOW_MONITOR reply"
                                : "ONFST_FLOW_MONITOR request";
    default: return reply ? "OFPST_FLOW_MONITOR reply"
                          : "OFPST_FLOW_MONITOR request";
    }
}

static void
format_request(const struct ofp_flow_monitor_request *rq, struct ds *s)
{
    static const struct { uint16_t bit; const char *name; } names[] = {
        { OFPFMF_INITIAL, "initial" }, { OFPFMF_ADD, "add" },
        { OFPFMF_REMOVED, "delete" }, { OFPFMF_MODIFY, "modify" },
        { OFPFMF_ACTIONS, "actions" }, { OFPFMF_OWN, "own" },
        { OFPFMF_NO_ABBREV, "no_abbrev" },
    };
    ds_put_format(s, "\n id=%"PRIu32" flags=", rq->id);
    bool first = true;
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (rq->flags & names[i].bit) {
            ds_put_format(s, "%s%s", first ? "" : ",", names[i].name);
            first = false;
        }
    }
    if (rq->command == OFPFMC_MODIFY) {
        ds_put_cstr(s, " command=modify");
    } else if (rq->command == OFPFMC_DELETE) {
        ds_put_cstr(s, " command=delete");
    }
    if (rq->out_port != OFPP_ANY) {
        ds_put_cstr(s, " out_port=");
        ofp_port_format(rq->out_port, s);
    }
    if (rq->table_id != OFPTT_ALL) {
        ds_put_format(s, " table=%"PRIu8, rq->table_id);
    }
    ds_put_char(s, ' ');
    ofp_match_format(&rq->match, OFP_DEFAULT_PRIORITY, s);
    ds_chomp(s, ' ');
}

bool
ofp_monitor_msg_format(const void *msg, size_t len,
                       const struct ofp_msg_header *h, struct ds *s)
{
    enum ofp_monitor_msg_type t = ofp_monitor_classify(msg, len, h);
    enum fm_wire wire = wire_for_version(h->version);
    bool onf = h->version == OFP13_VERSION;
    enum ofperr error = 0;
    switch (t) {
    case OFPMON_NONE:
    case OFPMON_UNKNOWN_EXPERIMENTER:
        return false;
    case OFPMON_REQUEST:
    case OFPMON_REPLY: {
        struct ofpbuf b;
        struct ofp_msg_header hh;
        if (!fm_msg_body(msg, len, &b, &hh, &wire)) {
            ds_put_format(s, "%s%s (xid=0x%"PRIx32"):",
                          fm_msg_name(wire, t == OFPMON_REPLY),
                          ofp_version_tag(h->version), h->xid);
        }
        if (t == OFPMON_REQUEST) {
            struct ofp_flow_monitor_request *rqs;
            size_t n;
            error = ofp_flow_monitor_request_decode(msg, len, &rqs, &n);
            for (size_t i = 0; i < n; i++) {
                format_request(&rqs[i], s);
            }
            free(rqs);
        } else {
            struct ofp_flow_update *ups;
            size_t n;
            error = ofp_flow_update_decode_all(msg, len, &ups, &n);
            for (size_t i = 0; i < n; i++) {
                ds_put_char(s, '\n');
                ofp_flow_update_format(&ups[i], s);
            }
            ofp_flow_updates_free(ups, n);
        }
        break;
    }
    case OFPMON_CANCEL: {
        uint32_t id = 0;
        error = ofp_flow_monitor_cancel_decode(msg, len, &id);
        ds_put_format(s, "%s_FLOW_MONITOR_CANCEL%s (xid=0x%"PRIx32"):",
                      onf ? "ONFT" : "NXT", ofp_version_tag(h->version),
                      h->xid);
        if (!error) {
            ds_put_format(s, " id=%"PRIu32, id);
        }
        break;
    }
    case OFPMON_PAUSED:
    case OFPMON_RESUMED:
        ds_put_format(s, "%s_FLOW_MONITOR_%s%s (xid=0x%"PRIx32"):",
                      onf ? "ONFT" : "NXT",
                      t == OFPMON_PAUSED ? "PAUSED" : "RESUMED",
                      ofp_version_tag(h->version), h->xid);
        break;
    }
    if (error) {
        ds_put_format(s, " ***decode error: %s***", ofperr_get_name(error));
    }
    return true;
}

/* ---- "watch:" syntax. ---- */

char *
ofp_flow_monitor_request_parse(struct ofp_flow_monitor_request *rq,
                               const char *spec)
{
    memset(rq, 0, sizeof *rq);
    rq->flags = (OFPFMF_INITIAL | OFPFMF_ADD | OFPFMF_REMOVED
                 | OFPFMF_MODIFY | OFPFMF_ACTIONS | OFPFMF_OWN);
    rq->out_port = OFPP_ANY;
    rq->out_group = OFPG_ANY;
    rq->table_id = OFPTT_ALL;
    rq->command = OFPFMC_ADD;

    /* Our own keys come out; the rest is the match. */
    char *copy = xstrdup(spec), *save = NULL;
    struct ds rest = DS_EMPTY_INITIALIZER;
    char *error = NULL;
    static const struct { const char *name; uint16_t bit; } flags[] = {
        { "initial", OFPFMF_INITIAL }, { "add", OFPFMF_ADD },
        { "delete", OFPFMF_REMOVED }, { "modify", OFPFMF_MODIFY },
        { "actions", OFPFMF_ACTIONS }, { "own", OFPFMF_OWN },
    };
    for (char *tok = strtok_r(copy, ", \t", &save); tok && !error;
         tok = strtok_r(NULL, ", \t", &save)) {
        bool handled = false;
        if (tok[0] == '!') {
            for (size_t i = 0; i < ARRAY_SIZE(flags); i++) {
                if (!strcmp(tok + 1, flags[i].name)) {
                    rq->flags &= ~flags[i].bit;
                    handled = true;
                }
            }
            if (!handled) {
                error = xasprintf("%s: unknown flow monitor flag", tok + 1);
            }
            continue;
        }
        char *eq = strchr(tok, '=');
        unsigned int u;
        if (eq && !strncmp(tok, "id=", 3)) {
            if (!str_to_uint(eq + 1, 0, &u)) {
                error = xasprintf("%s: bad id", eq + 1);
            }
            rq->id = u;
        } else if (eq && !strncmp(tok, "table=", 6)) {
            if (!str_to_uint(eq + 1, 0, &u) || u > 255) {
                error = xasprintf("%s: bad table", eq + 1);
            }
            rq->table_id = u;
        } else if (eq && !strncmp(tok, "out_port=", 9)) {
            if (!ofp_port_parse(eq + 1, &rq->out_port)) {
                error = xasprintf("%s: bad out_port", eq + 1);
            }
        } else {
            if (rest.length) {
                ds_put_char(&rest, ',');
            }
            ds_put_cstr(&rest, tok);
        }
    }
    if (!error) {
        error = ofp_parse_match(ds_cstr(&rest), &rq->match, NULL);
    }
    ds_destroy(&rest);
    free(copy);
    return error;
}
