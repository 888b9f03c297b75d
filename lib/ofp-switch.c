/* Switch-level OpenFlow messages. */
#include <config.h>
#include "ofp-switch.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "dynamic-string.h"
#include "ofp-buf.h"
#include "ofp-flow.h"
#include "ofp-match.h"
#include "ofp-msgs.h"
#include "ofp-print.h"
#include "ofp-prop.h"
#include "util.h"

static enum ofperr
decode_as(const void *msg, size_t len, enum ofptype want,
          struct ofp_msg_header *h, struct ofpbuf *body)
{
    enum ofperr error = ofptype_decode(msg, len, h, body);
    return error ? error : h->type == want ? 0 : OFPERR_OFPBRC_BAD_TYPE;
}

static void
put_string(struct ofpbuf *b, const char *s, size_t n)
{
    char *p = ofpbuf_put_zeros(b, n);
    memcpy(p, s, MIN(strlen(s), n - 1));
}

static void
get_string(char *dst, const uint8_t *src, size_t n)
{
    memcpy(dst, src, n);
    dst[n - 1] = '\0';
}

/* ---- Ports. ---- */

/* OF1.0 moved the medium/autoneg/pause feature bits up four in OF1.1. */
static uint32_t
features_from_of10(uint32_t f)
{
    return (f & 0x7f) | ((f & 0xf80) << 4);
}

static uint32_t
features_to_of10(uint32_t f)
{
    return (f & 0x7f) | ((f >> 4) & 0xf80);
}

void
ofp_port_put(struct ofpbuf *b, const struct ofp_port *pp, uint8_t version)
{
    if (version == OFP10_VERSION) {
        uint16_t port = 0;
        ofp_port_to_ofp10(pp->port_no, &port);
        ofpbuf_put_be16(b, port);
        ofpbuf_put(b, pp->hw_addr.ea, 6);
        put_string(b, pp->name, OFP_MAX_PORT_NAME_LEN);
        ofpbuf_put_be32(b, pp->config);
        ofpbuf_put_be32(b, pp->state & OFPPS_LINK_DOWN);
        ofpbuf_put_be32(b, features_to_of10(pp->curr));
        ofpbuf_put_be32(b, features_to_of10(pp->advertised));
        ofpbuf_put_be32(b, features_to_of10(pp->supported));
        ofpbuf_put_be32(b, features_to_of10(pp->peer));
        return;
    }
    size_t start = b->size;
    ofpbuf_put_be32(b, pp->port_no);
    if (version >= OFP14_VERSION) {
        ofpbuf_put_be16(b, 72);
        ofpbuf_put_zeros(b, 2);
    } else {
        ofpbuf_put_zeros(b, 4);
    }
    ofpbuf_put(b, pp->hw_addr.ea, 6);
    ofpbuf_put_zeros(b, 2);
    put_string(b, pp->name, OFP_MAX_PORT_NAME_LEN);
    ofpbuf_put_be32(b, pp->config);
    ofpbuf_put_be32(b, pp->state);
    if (version >= OFP14_VERSION) {
        /* One Ethernet property. */
        ofpbuf_put_be16(b, 0);
        ofpbuf_put_be16(b, 32);
        ofpbuf_put_zeros(b, 4);
    }
    ofpbuf_put_be32(b, pp->curr);
    ofpbuf_put_be32(b, pp->advertised);
    ofpbuf_put_be32(b, pp->supported);
    ofpbuf_put_be32(b, pp->peer);
    ofpbuf_put_be32(b, pp->curr_speed);
    ofpbuf_put_be32(b, pp->max_speed);
    (void) start;
}

enum ofperr
ofp_port_pull(struct ofpbuf *b, uint8_t version, struct ofp_port *pp)
{
    memset(pp, 0, sizeof *pp);
    if (version == OFP10_VERSION) {
        const uint8_t *p = ofpbuf_try_pull(b, 48);
        if (!p) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        pp->port_no = ofp_port_from_ofp10(get_be16(p));
        memcpy(pp->hw_addr.ea, p + 2, 6);
        get_string(pp->name, p + 8, OFP_MAX_PORT_NAME_LEN);
        pp->config = get_be32(p + 24);
        pp->state = get_be32(p + 28) & OFPPS_LINK_DOWN;
        pp->curr = features_from_of10(get_be32(p + 32));
        pp->advertised = features_from_of10(get_be32(p + 36));
        pp->supported = features_from_of10(get_be32(p + 40));
        pp->peer = features_from_of10(get_be32(p + 44));
        return 0;
    }
    if (version >= OFP14_VERSION) {
        const uint8_t *p = ofpbuf_at(b, 0, 40);
        if (!p) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        uint16_t len = get_be16(p + 4);
        if (len < 40 || len % 8 || len > b->size) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        ofpbuf_try_pull(b, len);
        pp->port_no = get_be32(p);
        memcpy(pp->hw_addr.ea, p + 8, 6);
        get_string(pp->name, p + 16, OFP_MAX_PORT_NAME_LEN);
        pp->config = get_be32(p + 32);
        pp->state = get_be32(p + 36);
        /* Properties: take the Ethernet one, skip the others. */
        struct ofpbuf props;
        ofpbuf_use_const(&props, p + 40, len - 40);
        while (props.size >= 4) {
            uint16_t ptype;
            struct ofpbuf v;
            enum ofperr error = ofpprop_pull(&props, &ptype, &v);
            if (error) {
                return error;
            }
            if (ptype == 0) {
                if (v.size < 28) {
                    return OFPERR_OFPBPC_BAD_LEN;
                }
                const uint8_t *e = v.data + 4;
                pp->curr = get_be32(e);
                pp->advertised = get_be32(e + 4);
                pp->supported = get_be32(e + 8);
                pp->peer = get_be32(e + 12);
                pp->curr_speed = get_be32(e + 16);
                pp->max_speed = get_be32(e + 20);
            }
        }
        return 0;
    }
    const uint8_t *p = ofpbuf_try_pull(b, 64);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    pp->port_no = get_be32(p);
    memcpy(pp->hw_addr.ea, p + 8, 6);
    get_string(pp->name, p + 16, OFP_MAX_PORT_NAME_LEN);
    pp->config = get_be32(p + 32);
    pp->state = get_be32(p + 36);
    pp->curr = get_be32(p + 40);
    pp->advertised = get_be32(p + 44);
    pp->supported = get_be32(p + 48);
    pp->peer = get_be32(p + 52);
    pp->curr_speed = get_be32(p + 56);
    pp->max_speed = get_be32(p + 60);
    return 0;
}

struct ofpbuf *
ofp_port_status_encode(const struct ofp_port_status *ps, uint8_t version)
{
    struct ofpbuf *b = ofpmsg_alloc(OFPTYPE_PORT_STATUS, version, 0, 80);
    ofpbuf_put_u8(b, ps->reason);
    ofpbuf_put_zeros(b, 7);
    ofp_port_put(b, &ps->desc, version);
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_port_status_decode(const void *msg, size_t len, struct ofp_port_status *ps)
{
    struct ofp_msg_header h;
    struct ofpbuf b;
    enum ofperr error = decode_as(msg, len, OFPTYPE_PORT_STATUS, &h, &b);
    if (error) {
        return error;
    }
    const uint8_t *p = ofpbuf_try_pull(&b, 8);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    ps->reason = p[0];
    if (ps->reason > OFPPR_MODIFY) {
        return OFPERR_OFPBRC_BAD_PACKET;
    }
    return ofp_port_pull(&b, h.version, &ps->desc);
}

struct ofpbuf *
ofp_port_mod_encode(const struct ofp_port_mod *pm, uint8_t version, uint32_t xid)
{
    struct ofpbuf *b = ofpmsg_alloc(OFPTYPE_PORT_MOD, version, xid, 40);
    if (version == OFP10_VERSION) {
        uint16_t port = 0;
        ofp_port_to_ofp10(pm->port_no, &port);
        ofpbuf_put_be16(b, port);
        ofpbuf_put(b, pm->hw_addr.ea, 6);
        ofpbuf_put_be32(b, pm->config);
        ofpbuf_put_be32(b, pm->mask);
        ofpbuf_put_be32(b, features_to_of10(pm->advertise));
        ofpbuf_put_zeros(b, 4);
    } else {
        ofpbuf_put_be32(b, pm->port_no);
        ofpbuf_put_zeros(b, 4);
        ofpbuf_put(b, pm->hw_addr.ea, 6);
        ofpbuf_put_zeros(b, 2);
        ofpbuf_put_be32(b, pm->config);
        ofpbuf_put_be32(b, pm->mask);
        if (version >= OFP14_VERSION) {
            ofpbuf_put_be16(b, 0);      /* Ethernet property. */
            ofpbuf_put_be16(b, 8);
            ofpbuf_put_be32(b, pm->advertise);
        } else {
            ofpbuf_put_be32(b, pm->advertise);
            ofpbuf_put_zeros(b, 4);
        }
    }
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_port_mod_decode(const void *msg, size_t len, struct ofp_port_mod *pm)
{
    struct ofp_msg_header h;
    struct ofpbuf b;
    enum ofperr error = decode_as(msg, len, OFPTYPE_PORT_MOD, &h, &b);
    if (error) {
        return error;
    }
    memset(pm, 0, sizeof *pm);
    const uint8_t *p;
    if (h.version == OFP10_VERSION) {
        if (!(p = ofpbuf_try_pull(&b, 24))) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        pm->port_no = ofp_port_from_ofp10(get_be16(p));
        memcpy(pm->hw_addr.ea, p + 2, 6);
        pm->config = get_be32(p + 8);
        pm->mask = get_be32(p + 12);
        pm->advertise = features_from_of10(get_be32(p + 16));
        return 0;
    }
    if (!(p = ofpbuf_try_pull(&b, 24))) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    pm->port_no = get_be32(p);
    memcpy(pm->hw_addr.ea, p + 8, 6);
    pm->config = get_be32(p + 16);
    pm->mask = get_be32(p + 20);
    if (h.version >= OFP14_VERSION) {
        while (b.size >= 4) {
            uint16_t ptype;
            struct ofpbuf v;
            enum ofperr error = ofpprop_pull(&b, &ptype, &v);
            if (error) {
                return error;
            }
            if (ptype == 0 && v.size >= 4) {
                pm->advertise = get_be32(v.data);
            }
        }
    } else {
        if (!(p = ofpbuf_try_pull(&b, 8))) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        pm->advertise = get_be32(p);
    }
    return 0;
}

/* ---- Features. ---- */

struct ofpbuf *
ofp_features_reply_encode(const struct ofp_switch_features *f,
                          const struct ofp_msg_header *rq)
{
    struct ofpbuf *b = ofpmsg_alloc_reply(OFPTYPE_FEATURES_REPLY, rq, 32);
    ofpbuf_put_be64(b, f->datapath_id);
    ofpbuf_put_be32(b, f->n_buffers);
    ofpbuf_put_u8(b, f->n_tables);
    if (rq->version == OFP10_VERSION) {
        ofpbuf_put_zeros(b, 3);
        ofpbuf_put_be32(b, f->capabilities & 0xef);
        ofpbuf_put_be32(b, f->actions);
        for (size_t i = 0; i < f->n_ports; i++) {
            ofp_port_put(b, &f->ports[i], rq->version);
        }
    } else {
        ofpbuf_put_u8(b, f->auxiliary_id);
        ofpbuf_put_zeros(b, 2);
        ofpbuf_put_be32(b, f->capabilities);
        ofpbuf_put_be32(b, 0);
    }
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_features_reply_decode(const void *msg, size_t len,
                          struct ofp_switch_features *f)
{
    struct ofp_msg_header h;
    struct ofpbuf b;
    enum ofperr error = decode_as(msg, len, OFPTYPE_FEATURES_REPLY, &h, &b);
    if (error) {
        return error;
    }
    memset(f, 0, sizeof *f);
    const uint8_t *p = ofpbuf_try_pull(&b, 24);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    f->datapath_id = get_be64(p);
    f->n_buffers = get_be32(p + 8);
    f->n_tables = p[12];
    f->auxiliary_id = h.version == OFP10_VERSION ? 0 : p[13];
    f->capabilities = get_be32(p + 16);
    f->actions = h.version == OFP10_VERSION ? get_be32(p + 20) : 0;
    if (h.version == OFP10_VERSION) {
        if (b.size % 48) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        f->n_ports = b.size / 48;
        f->ports = f->n_ports ? xcalloc(f->n_ports, sizeof *f->ports) : NULL;
        for (size_t i = 0; i < f->n_ports; i++) {
            ofp_port_pull(&b, h.version, &f->ports[i]);
        }
    }
    return 0;
}

/* ---- Switch config. ---- */

struct ofpbuf *
ofp_switch_config_encode(int type, const struct ofp_switch_config *c,
                         uint8_t version, uint32_t xid)
{
    struct ofpbuf *b = ofpmsg_alloc(type, version, xid, 4);
    ofpbuf_put_be16(b, c->flags);
    ofpbuf_put_be16(b, c->miss_send_len);
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_switch_config_decode(const void *msg, size_t len, struct ofp_switch_config *c)
{
    struct ofp_msg_header h;
    struct ofpbuf b;
    enum ofperr error = ofptype_decode(msg, len, &h, &b);
    if (error) {
        return error;
    }
    if (h.type != OFPTYPE_SET_CONFIG && h.type != OFPTYPE_GET_CONFIG_REPLY) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    const uint8_t *p = ofpbuf_try_pull(&b, 4);
    if (!p || b.size) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    c->flags = get_be16(p);
    c->miss_send_len = get_be16(p + 2);
    if (c->flags & ~OFPC_FRAG_MASK) {
        return OFPERR_OFPSCFC_BAD_FLAGS;
    }
    return 0;
}

/* ---- Packet-in and packet-out. ---- */

size_t
ofp_packet_in_data_len(const struct ofp_packet_in *pin, uint16_t max_len)
{
    return (max_len != OFPCML_NO_BUFFER && pin->packet_len > max_len
            ? max_len : pin->packet_len);
}

struct ofpbuf *
ofp_packet_in_encode(const struct ofp_packet_in *pin, uint8_t version,
                     uint16_t max_len)
{
    size_t n = ofp_packet_in_data_len(pin, max_len);
    struct ofpbuf *b = ofpmsg_alloc(OFPTYPE_PACKET_IN, version, 0, 64 + n);
    ofpbuf_put_be32(b, pin->buffer_id);
    ofpbuf_put_be16(b, pin->total_len ? pin->total_len : pin->packet_len);
    uint8_t reason = pin->reason;
    if ((version < OFP14_VERSION && reason > OFPR_INVALID_TTL)
        || (version == OFP10_VERSION && reason == OFPR_INVALID_TTL)) {
        reason = OFPR_ACTION;
    }
    if (version == OFP10_VERSION) {
        uint16_t port = 0xffff;
        ofp_port_to_ofp10(pin->metadata.flow.in_port, &port);
        ofpbuf_put_be16(b, port);
        ofpbuf_put_u8(b, reason);
        ofpbuf_put_u8(b, 0);
    } else {
        ofpbuf_put_u8(b, reason);
        ofpbuf_put_u8(b, pin->table_id);
        ofpbuf_put_be64(b, pin->cookie);
        struct match m;
        ofp_packet_in_match(pin, &m);
        ofp_match_put(b, version, &m);
        ofpbuf_put_zeros(b, 2);
    }
    ofpbuf_put(b, pin->packet, n);
    ofpmsg_update_length(b);
    return b;
}

void
ofp_packet_in_format_body(const struct ofp_packet_in *pin, struct ds *s)
{
    static const char *const reasons[] = {
        "no_match", "action", "invalid_ttl", "action_set", "group",
        "packet_out",
    };
    ds_put_format(s, " total_len=%u ", pin->total_len);
    ofp_match_format(&pin->metadata, OFP_DEFAULT_PRIORITY, s);
    ds_put_format(s, " (via %s) data_len=%zu",
                  pin->reason < ARRAY_SIZE(reasons) ? reasons[pin->reason] : "?",
                  pin->packet_len);
    if (pin->buffer_id == OFP_NO_BUFFER) {
        ds_put_cstr(s, " (unbuffered)");
    } else {
        ds_put_format(s, " buffer=0x%08"PRIx32, pin->buffer_id);
    }
}

void
ofp_packet_in_match(const struct ofp_packet_in *pin, struct match *m)
{
    const struct flow *f = &pin->metadata.flow;
    match_init_catchall(m);
    match_set_in_port(m, f->in_port);
    if (f->metadata) {
        match_set_metadata_masked(m, f->metadata, UINT64_MAX);
    }
    if (f->tun_id) {
        match_set_tun_id_masked(m, f->tun_id, UINT64_MAX);
    }
    for (int i = 0; i < FLOW_N_REGS; i++) {
        if (f->regs[i]) {
            union ofp_value v;
            const struct ofp_field *reg = ofp_field_get(OFPF_REG(i));
            ofp_field_get_value(reg, f, &v);
            ofp_field_set_match(reg, &v, NULL, m);
        }
    }
}

enum ofperr
ofp_packet_in_decode(const void *msg, size_t len, struct ofp_packet_in *pin)
{
    struct ofp_msg_header h;
    struct ofpbuf b;
    enum ofperr error = decode_as(msg, len, OFPTYPE_PACKET_IN, &h, &b);
    if (error) {
        return error;
    }
    memset(pin, 0, sizeof *pin);
    match_init_catchall(&pin->metadata);
    const uint8_t *p;
    if (h.version == OFP10_VERSION) {
        if (!(p = ofpbuf_try_pull(&b, 10))) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        pin->buffer_id = get_be32(p);
        pin->total_len = get_be16(p + 4);
        match_set_in_port(&pin->metadata, ofp_port_from_ofp10(get_be16(p + 6)));
        pin->reason = p[8];
    } else {
        if (!(p = ofpbuf_try_pull(&b, 16))) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        pin->buffer_id = get_be32(p);
        pin->total_len = get_be16(p + 4);
        pin->reason = p[6];
        pin->table_id = p[7];
        pin->cookie = get_be64(p + 8);
        error = ofp_match_pull(&b, h.version, &pin->metadata);
        if (error) {
            return error;
        }
        if (!ofpbuf_try_pull(&b, 2)) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
    }
    pin->packet = b.data;
    pin->packet_len = b.size;
    return 0;
}

void
ofp_packet_out_init(struct ofp_packet_out *po)
{
    memset(po, 0, sizeof *po);
    po->buffer_id = OFP_NO_BUFFER;
    po->in_port = OFPP_CONTROLLER;
    ofpacts_init(&po->ofpacts);
}

void
ofp_packet_out_uninit(struct ofp_packet_out *po)
{
    ofpacts_uninit(&po->ofpacts);
}

static bool
packet_out_port_ok(uint32_t port)
{
    return (port > 0 && port < OFPP_MAX) || port == OFPP_LOCAL
           || port == OFPP_CONTROLLER || port == OFPP_NONE;
}

enum ofperr
ofp_packet_out_decode(const void *msg, size_t len, struct ofp_packet_out *po)
{
    struct ofp_msg_header h;
    struct ofpbuf b;
    enum ofperr error = decode_as(msg, len, OFPTYPE_PACKET_OUT, &h, &b);
    if (error) {
        return error;
    }
    ofpacts_clear(&po->ofpacts);
    const uint8_t *p;
    uint16_t actions_len;
    if (h.version == OFP10_VERSION) {
        if (!(p = ofpbuf_try_pull(&b, 8))) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        po->buffer_id = get_be32(p);
        po->in_port = ofp_port_from_ofp10(get_be16(p + 4));
        actions_len = get_be16(p + 6);
    } else if (h.version < OFP15_VERSION) {
        if (!(p = ofpbuf_try_pull(&b, 16))) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        po->buffer_id = get_be32(p);
        po->in_port = get_be32(p + 4);
        actions_len = get_be16(p + 8);
    } else {
        struct match m;
        if (!(p = ofpbuf_try_pull(&b, 8))) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        po->buffer_id = get_be32(p);
        actions_len = get_be16(p + 4);
        error = ofp_match_pull(&b, h.version, &m);
        if (error) {
            return error;
        }
        po->in_port = m.wc.masks.in_port ? m.flow.in_port : OFPP_CONTROLLER;
    }
    if (!packet_out_port_ok(po->in_port)) {
        return OFPERR_OFPBRC_BAD_PORT;
    }
    if (actions_len > b.size) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    error = ofpacts_pull_actions(&b, actions_len, h.version, &po->ofpacts);
    if (error) {
        return error;
    }
    po->packet = b.data;
    po->packet_len = b.size;
    if (po->buffer_id == OFP_NO_BUFFER && !b.size) {
        return OFPERR_OFPBRC_BAD_PACKET;
    }
    return 0;
}

enum ofperr
ofp_packet_out_encode(const struct ofp_packet_out *po, uint8_t version,
                      uint32_t xid, struct ofpbuf **msgp)
{
    struct ofpbuf *b = ofpmsg_alloc(OFPTYPE_PACKET_OUT, version, xid,
                                    64 + po->packet_len);
    size_t len_ofs;
    *msgp = NULL;
    ofpbuf_put_be32(b, po->buffer_id);
    if (version == OFP10_VERSION) {
        uint16_t port = 0xffff;
        ofp_port_to_ofp10(po->in_port, &port);
        ofpbuf_put_be16(b, port);
        len_ofs = b->size;
        ofpbuf_put_be16(b, 0);
    } else if (version < OFP15_VERSION) {
        ofpbuf_put_be32(b, po->in_port);
        len_ofs = b->size;
        ofpbuf_put_be16(b, 0);
        ofpbuf_put_zeros(b, 6);
    } else {
        struct match m;
        len_ofs = b->size;
        ofpbuf_put_be16(b, 0);
        ofpbuf_put_zeros(b, 2);
        match_init_catchall(&m);
        match_set_in_port(&m, po->in_port);
        ofp_match_put(b, version, &m);
    }
    size_t start = b->size;
    enum ofperr error = ofpacts_put_actions(po->ofpacts.acts, po->ofpacts.n, b,
                                            version);
    if (error) {
        ofpbuf_delete(b);
        return error;
    }
    put_be16(b->data + len_ofs, b->size - start);
    ofpbuf_put(b, po->packet, po->packet_len);
    ofpmsg_update_length(b);
    *msgp = b;
    return 0;
}

/* ---- Role and async config. ---- */

struct ofpbuf *
ofp_role_encode(int type, const struct ofp_role_request *rr, uint8_t version,
                uint32_t xid)
{
    struct ofpbuf *b = ofpmsg_alloc(type, version, xid, 16);
    ofpbuf_put_be32(b, rr->role);
    ofpbuf_put_zeros(b, 4);
    ofpbuf_put_be64(b, rr->have_generation_id ? rr->generation_id : 0);
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_role_decode(const void *msg, size_t len, struct ofp_role_request *rr)
{
    struct ofp_msg_header h;
    struct ofpbuf b;
    enum ofperr error = ofptype_decode(msg, len, &h, &b);
    if (error) {
        return error;
    }
    if (h.type != OFPTYPE_ROLE_REQUEST && h.type != OFPTYPE_ROLE_REPLY) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    const uint8_t *p = ofpbuf_try_pull(&b, 16);
    if (!p || b.size) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    rr->role = get_be32(p);
    if (rr->role > OFPCR_ROLE_SLAVE) {
        return OFPERR_OFPRRFC_BAD_ROLE;
    }
    rr->have_generation_id = rr->role == OFPCR_ROLE_MASTER
                             || rr->role == OFPCR_ROLE_SLAVE;
    rr->generation_id = get_be64(p + 8);
    return 0;
}

#define NX_VENDOR_ID 0x00002320
enum { NXT_ROLE_REQUEST = 10, NXT_ROLE_REPLY = 11 };
enum { NX_ROLE_OTHER = 0, NX_ROLE_MASTER = 1, NX_ROLE_SLAVE = 2 };

enum ofperr
nx_role_decode(const void *msg, size_t len, bool *is_reply,
               enum ofp_controller_role *role)
{
    struct ofp_msg_header h;
    struct ofpbuf b;
    enum ofperr error = ofptype_decode(msg, len, &h, &b);
    if (error) {
        return error;
    }
    if (h.type != OFPTYPE_EXPERIMENTER) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    const uint8_t *p = ofpbuf_try_pull(&b, 8);
    if (!p || get_be32(p) != NX_VENDOR_ID) {
        return OFPERR_OFPBRC_BAD_EXPERIMENTER;
    }
    uint32_t subtype = get_be32(p + 4);
    if (subtype != NXT_ROLE_REQUEST && subtype != NXT_ROLE_REPLY) {
        return OFPERR_OFPBRC_BAD_EXP_TYPE;
    }
    p = ofpbuf_try_pull(&b, 4);
    if (!p || b.size) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    switch (get_be32(p)) {
    case NX_ROLE_OTHER: *role = OFPCR_ROLE_EQUAL; break;
    case NX_ROLE_MASTER: *role = OFPCR_ROLE_MASTER; break;
    case NX_ROLE_SLAVE: *role = OFPCR_ROLE_SLAVE; break;
    default: return OFPERR_OFPRRFC_BAD_ROLE;
    }
    *is_reply = subtype == NXT_ROLE_REPLY;
    return 0;
}

struct ofpbuf *
nx_role_encode(bool reply, enum ofp_controller_role role, uint8_t version,
               uint32_t xid)
{
    struct ofpbuf *b = ofpmsg_alloc(OFPTYPE_EXPERIMENTER, version, xid, 12);
    ofpbuf_put_be32(b, NX_VENDOR_ID);
    ofpbuf_put_be32(b, reply ? NXT_ROLE_REPLY : NXT_ROLE_REQUEST);
    ofpbuf_put_be32(b, role == OFPCR_ROLE_MASTER ? NX_ROLE_MASTER
                       : role == OFPCR_ROLE_SLAVE ? NX_ROLE_SLAVE
                       : NX_ROLE_OTHER);
    ofpmsg_update_length(b);
    return b;
}

struct ofpbuf *
ofp_role_status_encode(const struct ofp_role_status *rs, uint8_t version)
{
    struct ofpbuf *b = ofpmsg_alloc(OFPTYPE_ROLE_STATUS, version, 0, 16);
    ofpbuf_put_be32(b, rs->role);
    ofpbuf_put_u8(b, rs->reason);
    ofpbuf_put_zeros(b, 3);
    ofpbuf_put_be64(b, rs->generation_id);
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_role_status_decode(const void *msg, size_t len, struct ofp_role_status *rs)
{
    struct ofp_msg_header h;
    struct ofpbuf b;
    enum ofperr error = decode_as(msg, len, OFPTYPE_ROLE_STATUS, &h, &b);
    if (error) {
        return error;
    }
    const uint8_t *p = ofpbuf_try_pull(&b, 16);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    rs->role = get_be32(p);
    rs->reason = p[4];
    rs->generation_id = get_be64(p + 8);
    return rs->role > OFPCR_ROLE_SLAVE ? OFPERR_OFPRRFC_BAD_ROLE : 0;
}

void
ofp_async_config_default(struct ofp_async_config *ac)
{
    /* The OpenFlow 1.3 defaults: master gets everything but invalid TTL
     * packet-ins; slave gets port status only. */
    ac->packet_in[0] = (1 << OFPR_NO_MATCH) | (1 << OFPR_ACTION);
    ac->packet_in[1] = 0;
    ac->port_status[0] = ac->port_status[1] = 0x7;
    ac->flow_removed[0] = 0xf;
    ac->flow_removed[1] = 0;
}

struct ofpbuf *
ofp_async_config_encode(int type, const struct ofp_async_config *ac,
                        uint8_t version, uint32_t xid)
{
    struct ofpbuf *b = ofpmsg_alloc(type, version, xid, 48);
    if (version < OFP14_VERSION) {
        for (int i = 0; i < 2; i++) {
            ofpbuf_put_be32(b, ac->packet_in[i]);
        }
        for (int i = 0; i < 2; i++) {
            ofpbuf_put_be32(b, ac->port_status[i]);
        }
        for (int i = 0; i < 2; i++) {
            ofpbuf_put_be32(b, ac->flow_removed[i]);
        }
    } else {
        /* Property types: even = slave, odd = master. */
        const uint32_t *masks[3] = { ac->packet_in, ac->port_status,
                                     ac->flow_removed };
        for (int t = 0; t < 6; t++) {
            ofpbuf_put_be16(b, t);
            ofpbuf_put_be16(b, 8);
            ofpbuf_put_be32(b, masks[t / 2][t % 2 ? 0 : 1]);
        }
    }
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_async_config_decode(const void *msg, size_t len, struct ofp_async_config *ac)
{
    struct ofp_msg_header h;
    struct ofpbuf b;
    enum ofperr error = ofptype_decode(msg, len, &h, &b);
    if (error) {
        return error;
    }
    if (h.type != OFPTYPE_SET_ASYNC_CONFIG && h.type != OFPTYPE_GET_ASYNC_REPLY) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    if (h.version < OFP14_VERSION) {
        const uint8_t *p = ofpbuf_try_pull(&b, 24);
        if (!p || b.size) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        for (int i = 0; i < 2; i++) {
            ac->packet_in[i] = get_be32(p + 4 * i);
            ac->port_status[i] = get_be32(p + 8 + 4 * i);
            ac->flow_removed[i] = get_be32(p + 16 + 4 * i);
        }
        return 0;
    }
    while (b.size) {
        uint16_t type;
        struct ofpbuf v;
        enum ofperr error = ofpprop_pull(&b, &type, &v);
        if (error) {
            return error;
        }
        if (type < 6) {
            if (v.size != 4) {
                return OFPERR_OFPBPC_BAD_LEN;
            }
            uint32_t *masks[3] = { ac->packet_in, ac->port_status,
                                   ac->flow_removed };
            masks[type / 2][type % 2 ? 0 : 1] = get_be32(v.data);
        } else if (type < 0xfffe && type > 11) {
            return OFPERR_OFPACFC_INVALID;
        }
    }
    return 0;
}

struct ofpbuf *
ofp_table_mod_encode(const struct ofp_table_mod *tm, uint8_t version, uint32_t xid)
{
    struct ofpbuf *b = ofpmsg_alloc(OFPTYPE_TABLE_MOD, version, xid, 8);
    ofpbuf_put_u8(b, tm->table_id);
    ofpbuf_put_zeros(b, 3);
    ofpbuf_put_be32(b, tm->config);
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_table_mod_decode(const void *msg, size_t len, struct ofp_table_mod *tm)
{
    struct ofp_msg_header h;
    struct ofpbuf b;
    enum ofperr error = decode_as(msg, len, OFPTYPE_TABLE_MOD, &h, &b);
    if (error) {
        return error;
    }
    const uint8_t *p = ofpbuf_try_pull(&b, 8);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    tm->table_id = p[0];
    tm->config = get_be32(p + 4);
    /* OF1.3 defines no config bits; OF1.4 eviction (4) and vacancy (8). */
    uint32_t allowed = h.version >= OFP14_VERSION ? 0xc : 0x3;
    if (tm->config & ~allowed) {
        return OFPERR_OFPTMFC_BAD_CONFIG;
    }
    /* OF1.4+ properties (eviction, vacancy): framing checked, ignored. */
    while (h.version >= OFP14_VERSION && b.size) {
        uint16_t type;
        struct ofpbuf v;
        error = ofpprop_pull(&b, &type, &v);
        if (error) {
            return error;
        }
    }
    return 0;
}

void
ofp_table_desc_put(struct ofpbuf *reply, uint8_t table_id, uint32_t config)
{
    enum { OFPTMPT_EVICTION = 2 };
    enum { OFPTMPEF_OTHER = 1, OFPTMPEF_IMPORTANCE = 2, OFPTMPEF_LIFETIME = 4 };
    ofpbuf_put_be16(reply, 16);             /* Entry length. */
    ofpbuf_put_u8(reply, table_id);
    ofpbuf_put_zeros(reply, 1);
    ofpbuf_put_be32(reply, config);
    ofpbuf_put_be16(reply, OFPTMPT_EVICTION);
    ofpbuf_put_be16(reply, 8);
    ofpbuf_put_be32(reply, OFPTMPEF_OTHER | OFPTMPEF_IMPORTANCE
                           | OFPTMPEF_LIFETIME);
}

enum ofperr
ofp_table_desc_pull(struct ofpbuf *body, uint8_t *table_id, uint32_t *config,
                    int64_t *eviction_flags)
{
    const uint8_t *p = ofpbuf_at(body, 0, 8);
    size_t len = p ? get_be16(p) : 0;
    if (!p || len < 8 || len > body->size || len % 8) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    *table_id = p[2];
    *config = get_be32(p + 4);
    *eviction_flags = -1;
    struct ofpbuf props;
    ofpbuf_use_const(&props, p + 8, len - 8);
    while (props.size) {
        uint16_t type;
        struct ofpbuf v;
        enum ofperr error = ofpprop_pull(&props, &type, &v);
        if (error) {
            return error;
        }
        if (type == 2 && v.size == 4) {                 /* Eviction. */
            *eviction_flags = get_be32(v.data);
        }
    }
    ofpbuf_try_pull(body, len);
    return 0;
}

/* ---- Multipart bodies. ---- */

struct ofpbuf *
ofp_desc_stats_reply_encode(const struct ofp_desc_stats *d,
                            const struct ofp_msg_header *rq)
{
    struct ofpbuf *b = ofpmsg_alloc_reply(OFPTYPE_DESC_STATS_REPLY, rq, 1056);
    put_string(b, d->mfr_desc, 256);
    put_string(b, d->hw_desc, 256);
    put_string(b, d->sw_desc, 256);
    put_string(b, d->serial_num, 32);
    put_string(b, d->dp_desc, 256);
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_desc_stats_reply_decode(const void *msg, size_t len, struct ofp_desc_stats *d)
{
    struct ofp_msg_header h;
    struct ofpbuf b;
    enum ofperr error = decode_as(msg, len, OFPTYPE_DESC_STATS_REPLY, &h, &b);
    if (error) {
        return error;
    }
    const uint8_t *p = ofpbuf_try_pull(&b, 1056);
    if (!p || b.size) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    get_string(d->mfr_desc, p, 256);
    get_string(d->hw_desc, p + 256, 256);
    get_string(d->sw_desc, p + 512, 256);
    get_string(d->serial_num, p + 768, 32);
    get_string(d->dp_desc, p + 800, 256);
    return 0;
}

void
ofp_table_stats_append(struct ofpbuf *reply, uint8_t version,
                       const struct ofp_table_stats *ts)
{
    ofpbuf_put_u8(reply, ts->table_id);
    ofpbuf_put_zeros(reply, 3);
    if (version == OFP10_VERSION) {
        char name[32];
        snprintf(name, sizeof name, "table%u", ts->table_id);
        put_string(reply, name, 32);
        ofpbuf_put_be32(reply, 0x3fffff);       /* All OF1.0 wildcards. */
        ofpbuf_put_be32(reply, 1000000);
    }
    ofpbuf_put_be32(reply, ts->active_count);
    ofpbuf_put_be64(reply, ts->lookup_count);
    ofpbuf_put_be64(reply, ts->matched_count);
    ofpmsg_update_length(reply);
}

enum ofperr
ofp_table_stats_pull(struct ofpbuf *body, uint8_t version,
                     struct ofp_table_stats *ts)
{
    size_t n = version == OFP10_VERSION ? 64 : 24;
    const uint8_t *p = ofpbuf_try_pull(body, n);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    ts->table_id = p[0];
    p += version == OFP10_VERSION ? 44 : 4;
    ts->active_count = get_be32(p);
    ts->lookup_count = get_be64(p + 4);
    ts->matched_count = get_be64(p + 12);
    return 0;
}

void
ofp_port_put_padded(struct ofpbuf *b, uint32_t port, uint8_t version)
{
    if (version == OFP10_VERSION) {
        uint16_t p10 = 0xffff;
        ofp_port_to_ofp10(port, &p10);
        ofpbuf_put_be16(b, p10);
        ofpbuf_put_zeros(b, 6);
    } else {
        ofpbuf_put_be32(b, port);
        ofpbuf_put_zeros(b, 4);
    }
}

struct ofpbuf *
ofp_port_stats_request_encode(uint32_t port, uint8_t version, uint32_t xid)
{
    struct ofpbuf *b = ofpmsg_alloc(OFPTYPE_PORT_STATS_REQUEST, version, xid, 8);
    ofp_port_put_padded(b, port, version);
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_port_stats_request_decode(const void *msg, size_t len, uint32_t *port)
{
    struct ofp_msg_header h;
    struct ofpbuf b;
    enum ofperr error = decode_as(msg, len, OFPTYPE_PORT_STATS_REQUEST, &h, &b);
    if (error) {
        return error;
    }
    const uint8_t *p = ofpbuf_try_pull(&b, 8);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    *port = h.version == OFP10_VERSION ? ofp_port_from_ofp10(get_be16(p))
            : get_be32(p);
    return 0;
}

void
ofp_port_stats_append(struct ofpbuf *r, uint8_t version,
                      const struct ofp_port_stats *ps)
{
    const uint64_t c[12] = {
        ps->rx_packets, ps->tx_packets, ps->rx_bytes, ps->tx_bytes,
        ps->rx_dropped, ps->tx_dropped, ps->rx_errors, ps->tx_errors,
        ps->rx_frame_err, ps->rx_over_err, ps->rx_crc_err, ps->collisions,
    };
    if (version >= OFP14_VERSION) {
        ofpbuf_put_be16(r, 120);
        ofpbuf_put_zeros(r, 2);
        ofpbuf_put_be32(r, ps->port_no);
        ofpbuf_put_be32(r, ps->duration_sec);
        ofpbuf_put_be32(r, ps->duration_nsec);
        for (int i = 0; i < 8; i++) {
            ofpbuf_put_be64(r, c[i]);
        }
        ofpbuf_put_be16(r, 0);          /* Ethernet property. */
        ofpbuf_put_be16(r, 40);
        ofpbuf_put_zeros(r, 4);
        for (int i = 8; i < 12; i++) {
            ofpbuf_put_be64(r, c[i]);
        }
    } else {
        ofp_port_put_padded(r, ps->port_no, version);
        for (int i = 0; i < 12; i++) {
            ofpbuf_put_be64(r, c[i]);
        }
        if (version != OFP10_VERSION) {
            ofpbuf_put_be32(r, ps->duration_sec);
            ofpbuf_put_be32(r, ps->duration_nsec);
        }
    }
    ofpmsg_update_length(r);
}

enum ofperr
ofp_port_stats_pull(struct ofpbuf *body, uint8_t version,
                    struct ofp_port_stats *ps)
{
    uint64_t c[12];
    memset(ps, 0, sizeof *ps);
    if (version >= OFP14_VERSION) {
        const uint8_t *p = ofpbuf_at(body, 0, 80);
        if (!p) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        uint16_t len = get_be16(p);
        if (len < 80 || len > body->size) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        ofpbuf_try_pull(body, len);
        ps->port_no = get_be32(p + 4);
        ps->duration_sec = get_be32(p + 8);
        ps->duration_nsec = get_be32(p + 12);
        for (int i = 0; i < 8; i++) {
            c[i] = get_be64(p + 16 + 8 * i);
        }
        memset(&c[8], 0, 4 * sizeof c[0]);
        if (len >= 120 && get_be16(p + 80) == 0 && get_be16(p + 82) >= 40) {
            for (int i = 8; i < 12; i++) {
                c[i] = get_be64(p + 88 + 8 * (i - 8));
            }
        }
    } else {
        size_t n = version == OFP10_VERSION ? 104 : 112;
        const uint8_t *p = ofpbuf_try_pull(body, n);
        if (!p) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        ps->port_no = version == OFP10_VERSION
                      ? ofp_port_from_ofp10(get_be16(p)) : get_be32(p);
        for (int i = 0; i < 12; i++) {
            c[i] = get_be64(p + 8 + 8 * i);
        }
        if (version != OFP10_VERSION) {
            ps->duration_sec = get_be32(p + 104);
            ps->duration_nsec = get_be32(p + 108);
        }
    }
    ps->rx_packets = c[0]; ps->tx_packets = c[1];
    ps->rx_bytes = c[2]; ps->tx_bytes = c[3];
    ps->rx_dropped = c[4]; ps->tx_dropped = c[5];
    ps->rx_errors = c[6]; ps->tx_errors = c[7];
    ps->rx_frame_err = c[8]; ps->rx_over_err = c[9];
    ps->rx_crc_err = c[10]; ps->collisions = c[11];
    return 0;
}

struct ofpbuf *
ofp_queue_stats_request_encode(uint32_t port, uint32_t queue, uint8_t version,
                               uint32_t xid)
{
    struct ofpbuf *b = ofpmsg_alloc(OFPTYPE_QUEUE_STATS_REQUEST, version, xid, 8);
    if (version == OFP10_VERSION) {
        uint16_t p10 = 0xfffc;      /* OFPP_ALL in OF1.0 queue requests. */
        if (port != OFPP_ANY) {
            ofp_port_to_ofp10(port, &p10);
        }
        ofpbuf_put_be16(b, p10);
        ofpbuf_put_zeros(b, 2);
    } else {
        ofpbuf_put_be32(b, port);
    }
    ofpbuf_put_be32(b, queue);
    ofpmsg_update_length(b);
    return b;
}

enum ofperr
ofp_queue_stats_request_decode(const void *msg, size_t len, uint32_t *port,
                               uint32_t *queue)
{
    struct ofp_msg_header h;
    struct ofpbuf b;
    enum ofperr error = decode_as(msg, len, OFPTYPE_QUEUE_STATS_REQUEST, &h, &b);
    if (error) {
        return error;
    }
    const uint8_t *p = ofpbuf_try_pull(&b, 8);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    if (h.version == OFP10_VERSION) {
        uint32_t port32 = ofp_port_from_ofp10(get_be16(p));
        *port = port32 == OFPP_ALL ? OFPP_ANY : port32;
    } else {
        *port = get_be32(p);
    }
    *queue = get_be32(p + 4);
    return 0;
}

void
ofp_queue_stats_append(struct ofpbuf *r, uint8_t version,
                       const struct ofp_queue_stats *qs)
{
    if (version >= OFP14_VERSION) {
        ofpbuf_put_be16(r, 48);
        ofpbuf_put_zeros(r, 6);
    }
    if (version == OFP10_VERSION) {
        uint16_t p10 = 0xffff;
        ofp_port_to_ofp10(qs->port_no, &p10);
        ofpbuf_put_be16(r, p10);
        ofpbuf_put_zeros(r, 2);
    } else {
        ofpbuf_put_be32(r, qs->port_no);
    }
    ofpbuf_put_be32(r, qs->queue_id);
    ofpbuf_put_be64(r, qs->tx_bytes);
    ofpbuf_put_be64(r, qs->tx_packets);
    ofpbuf_put_be64(r, qs->tx_errors);
    if (version != OFP10_VERSION) {
        ofpbuf_put_be32(r, qs->duration_sec);
        ofpbuf_put_be32(r, qs->duration_nsec);
    }
    ofpmsg_update_length(r);
}

enum ofperr
ofp_queue_stats_pull(struct ofpbuf *body, uint8_t version,
                     struct ofp_queue_stats *qs)
{
    size_t n = version == OFP10_VERSION ? 32 : version == OFP13_VERSION ? 40 : 48;
    const uint8_t *p = ofpbuf_try_pull(body, n);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    if (version >= OFP14_VERSION) {
        p += 8;
    }
    qs->port_no = version == OFP10_VERSION ? ofp_port_from_ofp10(get_be16(p))
                  : get_be32(p);
    qs->queue_id = get_be32(p + 4);
    qs->tx_bytes = get_be64(p + 8);
    qs->tx_packets = get_be64(p + 16);
    qs->tx_errors = get_be64(p + 24);
    qs->duration_sec = version == OFP10_VERSION ? 0 : get_be32(p + 32);
    qs->duration_nsec = version == OFP10_VERSION ? 0 : get_be32(p + 36);
    return 0;
}

/* ---- Printing. ---- */

static void
format_port(const struct ofp_port *pp, struct ds *s)
{
    ds_put_format(s, "\n ");
    ofp_port_format(pp->port_no, s);
    ds_put_format(s, "(%s): addr:"ETH_ADDR_FMT"\n     config: 0x%"PRIx32
                  "\n     state:  0x%"PRIx32, pp->name,
                  ETH_ADDR_ARGS(pp->hw_addr), pp->config, pp->state);
    if (pp->curr_speed) {
        ds_put_format(s, "\n     speed: %"PRIu32" Mbps now, %"PRIu32" Mbps max",
                      pp->curr_speed / 1000, pp->max_speed / 1000);
    }
}

enum ofperr
ofp_switch_msg_format(const void *msg, size_t len,
                      const struct ofp_msg_header *h, struct ds *s)
{
    enum ofperr error = 0;
    switch (h->type) {
    case OFPTYPE_FEATURES_REPLY: {
        struct ofp_switch_features f;
        error = ofp_features_reply_decode(msg, len, &f);
        if (!error) {
            ds_put_format(s, " dpid:%016"PRIx64"\nn_tables:%u, n_buffers:%"PRIu32
                          "\ncapabilities: 0x%"PRIx32, f.datapath_id, f.n_tables,
                          f.n_buffers, f.capabilities);
            for (size_t i = 0; i < f.n_ports; i++) {
                format_port(&f.ports[i], s);
            }
            free(f.ports);
        }
        break;
    }
    case OFPTYPE_SET_CONFIG:
    case OFPTYPE_GET_CONFIG_REPLY: {
        struct ofp_switch_config c;
        error = ofp_switch_config_decode(msg, len, &c);
        if (!error) {
            static const char *frags[] = { "normal", "drop", "reassemble", "nx_match" };
            ds_put_format(s, " frags=%s miss_send_len=%u", frags[c.flags & 3],
                          c.miss_send_len);
        }
        break;
    }
    case OFPTYPE_PACKET_IN: {
        struct ofp_packet_in pin;
        error = ofp_packet_in_decode(msg, len, &pin);
        if (!error) {
            ofp_packet_in_format_body(&pin, s);
        }
        break;
    }
    case OFPTYPE_PACKET_OUT: {
        struct ofp_packet_out po;
        ofp_packet_out_init(&po);
        error = ofp_packet_out_decode(msg, len, &po);
        if (!error) {
            ds_put_cstr(s, " in_port=");
            ofp_port_format(po.in_port, s);
            ds_put_cstr(s, " actions=");
            ofpacts_format(&po.ofpacts, s);
            if (po.buffer_id == OFP_NO_BUFFER) {
                ds_put_format(s, " data_len=%zu", po.packet_len);
            } else {
                ds_put_format(s, " buffer=0x%08"PRIx32, po.buffer_id);
            }
        }
        ofp_packet_out_uninit(&po);
        break;
    }
    case OFPTYPE_PORT_STATUS: {
        struct ofp_port_status ps;
        error = ofp_port_status_decode(msg, len, &ps);
        if (!error) {
            static const char *reasons[] = { "ADD", "DEL", "MOD" };
            ds_put_format(s, " %s:", reasons[ps.reason]);
            format_port(&ps.desc, s);
        }
        break;
    }
    case OFPTYPE_ROLE_REQUEST:
    case OFPTYPE_ROLE_REPLY: {
        struct ofp_role_request rr;
        error = ofp_role_decode(msg, len, &rr);
        if (!error) {
            static const char *roles[] = { "nochange", "equal", "master", "slave" };
            ds_put_format(s, " role=%s", roles[rr.role]);
            if (rr.have_generation_id) {
                ds_put_format(s, " generation_id=%"PRIu64, rr.generation_id);
            }
        }
        break;
    }
    case OFPTYPE_ROLE_STATUS: {
        struct ofp_role_status rs;
        error = ofp_role_status_decode(msg, len, &rs);
        if (!error) {
            static const char *roles[] = { "nochange", "equal", "master", "slave" };
            static const char *reasons[] = { "master_request", "configuration_changed",
                                             "experimenter_data_changed" };
            ds_put_format(s, " role=%s generation_id=%"PRIu64" reason=%s",
                          roles[rs.role], rs.generation_id,
                          rs.reason < 3 ? reasons[rs.reason] : "?");
        }
        break;
    }
    case OFPTYPE_DESC_STATS_REPLY: {
        struct ofp_desc_stats *d = xmalloc(sizeof *d);
        error = ofp_desc_stats_reply_decode(msg, len, d);
        if (!error) {
            ds_put_format(s, "\nManufacturer: %s\nHardware: %s\nSoftware: %s\n"
                          "Serial Num: %s\nDP Description: %s", d->mfr_desc,
                          d->hw_desc, d->sw_desc, d->serial_num, d->dp_desc);
        }
        free(d);
        break;
    }
    case OFPTYPE_PORT_DESC_STATS_REPLY: {
        struct ofpbuf b;
        struct ofp_msg_header hh;
        ofptype_decode(msg, len, &hh, &b);
        while (b.size && !error) {
            struct ofp_port pp;
            error = ofp_port_pull(&b, h->version, &pp);
            if (!error) {
                format_port(&pp, s);
            }
        }
        break;
    }
    default:
        break;
    }
    return error;
}
