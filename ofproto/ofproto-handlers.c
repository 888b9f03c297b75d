/* ofproto's OpenFlow message handlers: everything connmgr does not handle
 * itself arrives in ofproto_handle_openflow(), is decoded with the lib/ofp-*
 * codecs, executed, and answered through the connection.  Every failure
 * becomes an OFPT_ERROR for the sender; nothing a peer sends can crash the
 * switch.  This file has the modifying messages and the dispatch;
 * ofproto-stats.c answers the multipart requests. */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include "connmgr.h"
#include "ofp-buf.h"
#include "ofp-monitor.h"
#include "ofp-msgs.h"
#include "ofp-nx.h"
#include "ofproto/ofproto-provider.h"
#include "ofproto/ofproto-txn.h"
#include "timeval.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(ofproto_handlers);

/* ---- Modifying messages. ---- */

enum ofperr
ofproto_port_mod_check(const struct ofproto *p, const struct ofp_port_mod *pm)
{
    const struct ofp_port *pp = ofproto_port_get(p, pm->port_no);
    if (!pp) {
        return OFPERR_OFPPMFC_BAD_PORT;
    }
    if (!eth_addr_equals(pp->hw_addr, pm->hw_addr)) {
        return OFPERR_OFPPMFC_BAD_HW_ADDR;
    }
    return ofproto_port_check_config(p, pm->port_no, pm->config, pm->mask);
}

static enum ofperr
handle_port_mod(struct ofproto *p, const void *msg, size_t len)
{
    struct ofp_port_mod pm;
    enum ofperr error = ofp_port_mod_decode(msg, len, &pm);
    if (!error) {
        error = ofproto_port_mod_check(p, &pm);
    }
    return error ? error : ofproto_port_set_config(p, pm.port_no, pm.config,
                                                   pm.mask);
}

static enum ofperr
handle_table_mod(struct ofproto *p, const void *msg, size_t len)
{
    struct ofp_table_mod tm;
    enum ofperr error = ofp_table_mod_decode(msg, len, &tm);
    if (error) {
        return error;
    }
    if (tm.table_id != OFPTT_ALL && tm.table_id >= OFPROTO_N_TABLES) {
        return OFPERR_OFPTMFC_BAD_TABLE;
    }
    for (size_t t = 0; t < OFPROTO_N_TABLES; t++) {
        if (tm.table_id == OFPTT_ALL || tm.table_id == t) {
            p->tables[t].config = tm.config;
        }
    }
    return 0;
}

enum ofperr
ofproto_apply_mod_msg(struct ofproto *p, const void *msg, size_t len,
                      bool *buffer_unknown)
{
    struct ofp_msg_header h;
    enum ofperr error = ofptype_decode(msg, len, &h, NULL);
    *buffer_unknown = false;
    if (error) {
        return error;
    }
    switch (h.type) {
    case OFPTYPE_FLOW_MOD: {
        struct ofp_flow_mod fm;
        ofp_flow_mod_init(&fm);
        error = ofp_flow_mod_decode(msg, len, &fm);
        if (!error) {
            error = ofproto_flow_mod__(p, &fm, h.version);
            /* vswitch never buffers packets: the flow is in, but the
             * packet the controller meant is not. */
            *buffer_unknown = (!error && fm.buffer_id != OFP_NO_BUFFER
                               && fm.command < OFPFC_DELETE);
        }
        ofp_flow_mod_uninit(&fm);
        return error;
    }
    case OFPTYPE_GROUP_MOD: {
        struct ofp_group_mod gm;
        ofp_group_mod_init(&gm);
        error = ofp_group_mod_decode(msg, len, &gm);
        if (!error) {
            error = ofproto_group_mod(p, &gm);
        }
        ofp_group_mod_uninit(&gm);
        return error;
    }
    case OFPTYPE_METER_MOD: {
        struct ofp_meter_mod mm;
        ofp_meter_mod_init(&mm);
        error = ofp_meter_mod_decode(msg, len, &mm);
        if (!error) {
            error = ofproto_meter_mod(p, &mm);
        }
        ofp_meter_mod_uninit(&mm);
        return error;
    }
    case OFPTYPE_PORT_MOD:
        return handle_port_mod(p, msg, len);
    case OFPTYPE_TABLE_MOD:
        return handle_table_mod(p, msg, len);
    default:
        return OFPERR_OFPBRC_BAD_TYPE;
    }
}

/* An OpenFlow 1.0 flow mod from a connection that enabled the table id
 * (NXT_FLOW_MOD_TABLE_ID), or a Nicira NXT_FLOW_MOD. */
static enum ofperr
handle_flow_mod_nx(struct ofproto *p, struct ofconn *ofconn, const void *msg,
                   size_t len, bool nxm)
{
    bool tid = ofconn_get_flow_mod_table_id(ofconn);
    struct ofp_flow_mod fm;
    ofp_flow_mod_init(&fm);
    enum ofperr error = (nxm ? nx_flow_mod_decode(msg, len, tid, &fm)
                         : ofp_flow_mod_decode_ext(msg, len, tid, &fm));
    if (!error) {
        error = ofproto_flow_mod__(p, &fm, OFP10_VERSION);
        /* As in ofproto_apply_mod_msg(): nothing is ever buffered. */
        if (!error && fm.buffer_id != OFP_NO_BUFFER
            && fm.command < OFPFC_DELETE) {
            error = OFPERR_OFPBRC_BUFFER_UNKNOWN;
        }
    }
    ofp_flow_mod_uninit(&fm);
    return error;
}

static bool
in_port_is_valid(uint32_t port)
{
    return (port < OFPP_MAX || port == OFPP_LOCAL || port == OFPP_CONTROLLER
            || port == OFPP_NONE);
}

enum ofperr
ofproto_packet_out_check(const struct ofproto *p,
                         const struct ofp_packet_out *po)
{
    if (po->buffer_id != OFP_NO_BUFFER) {
        return OFPERR_OFPBRC_BUFFER_UNKNOWN;
    }
    if (!in_port_is_valid(po->in_port)) {
        return OFPERR_OFPBRC_BAD_PORT;
    }
    struct match match;
    match_init_catchall(&match);
    match_set_in_port(&match, po->in_port);
    enum ofperr error = ofproto_check_ofpacts(p, &po->ofpacts, &match, 0);
    if (error) {
        return error;
    }
    for (size_t i = 0; i < po->ofpacts.n; i++) {
        /* A packet-out has an action list, not a pipeline position. */
        enum ofpact_type t = po->ofpacts.acts[i].type;
        if (t == OFPACT_GOTO_TABLE || t == OFPACT_WRITE_ACTIONS
            || t == OFPACT_CLEAR_ACTIONS || t == OFPACT_WRITE_METADATA
            || t == OFPACT_METER) {
            return OFPERR_OFPBAC_BAD_TYPE;
        }
    }
    return 0;
}

enum ofperr
ofproto_packet_out_execute(struct ofproto *p, const struct ofp_packet_out *po)
{
    if (p->dp_ops && p->dp_ops->packet_out) {
        return p->dp_ops->packet_out(p->dp_aux, po->packet, po->packet_len,
                                     po->in_port, &po->ofpacts);
    }
    return 0;
}

static enum ofperr
handle_packet_out(struct ofproto *p, const void *msg, size_t len)
{
    struct ofp_packet_out po;
    ofp_packet_out_init(&po);
    enum ofperr error = ofp_packet_out_decode(msg, len, &po);
    if (!error) {
        error = ofproto_packet_out_check(p, &po);
    }
    if (!error) {
        error = ofproto_packet_out_execute(p, &po);
    }
    ofp_packet_out_uninit(&po);
    return error;
}

/* ---- Dispatch. ---- */

/* An experimenter multipart request that is not ours: the id at 'ofs'
 * (after the multipart header) decides the error. */
static enum ofperr
experimenter_error(const void *msg, size_t len, size_t ofs)
{
    return (len >= ofs + 4
            && (get_be32((const uint8_t *) msg + ofs) == 0x2320
                || get_be32((const uint8_t *) msg + ofs) == 0x4f4e4600)
            ? OFPERR_OFPBRC_BAD_EXP_TYPE : OFPERR_OFPBRC_BAD_EXPERIMENTER);
}

static bool
type_modifies(enum ofptype type)
{
    switch (type) {
    case OFPTYPE_FLOW_MOD:
    case OFPTYPE_GROUP_MOD:
    case OFPTYPE_METER_MOD:
    case OFPTYPE_PORT_MOD:
    case OFPTYPE_TABLE_MOD:
    case OFPTYPE_PACKET_OUT:
    case OFPTYPE_BUNDLE_CONTROL:
    case OFPTYPE_BUNDLE_ADD_MESSAGE:
        return true;
    default:
        return false;
    }
}

static enum ofperr
handle__(struct ofproto *p, struct ofconn *ofconn, const void *msg,
         size_t len, const struct ofp_msg_header *h)
{
    if (type_modifies(h->type) && !ofconn_may_modify(ofconn)) {
        return OFPERR_OFPBRC_IS_SLAVE;
    }
    if (ofptype_is_multipart(h->type) && h->mp_flags & 1
        && h->type != OFPTYPE_TABLE_FEATURES_STATS_REQUEST) {
        /* A request split over several messages: none of ours needs it. */
        return OFPERR_OFPBRC_BAD_MULTIPART;
    }

    enum ofperr error;
    bool buffer_unknown;
    if (h->type == OFPTYPE_FLOW_MOD && h->version == OFP10_VERSION
        && ofconn_get_flow_mod_table_id(ofconn)) {
        return handle_flow_mod_nx(p, ofconn, msg, len, false);
    }
    switch (h->type) {
    case OFPTYPE_FLOW_MOD:
    case OFPTYPE_GROUP_MOD:
    case OFPTYPE_METER_MOD:
    case OFPTYPE_PORT_MOD:
    case OFPTYPE_TABLE_MOD:
        error = ofproto_apply_mod_msg(p, msg, len, &buffer_unknown);
        if (!error && buffer_unknown) {
            error = OFPERR_OFPBRC_BUFFER_UNKNOWN;
        }
        return error;
    case OFPTYPE_PACKET_OUT:
        return handle_packet_out(p, msg, len);

    case OFPTYPE_BUNDLE_CONTROL:
        ofproto_bundle_control(p, ofconn, msg, len, h);
        return 0;
    case OFPTYPE_BUNDLE_ADD_MESSAGE:
        ofproto_bundle_add(p, ofconn, msg, len);
        return 0;

    case OFPTYPE_FLOW_MONITOR_STATS_REQUEST:
        return ofproto_monitor_request(p, ofconn, msg, len, h);
    case OFPTYPE_EXPERIMENTER_STATS_REQUEST:
        if (ofp_monitor_classify(msg, len, h) == OFPMON_REQUEST) {
            return ofproto_monitor_request(p, ofconn, msg, len, h);
        }
        switch (nx_stats_subtype(msg, len)) {
        case NXST_FLOW:
        case NXST_AGGREGATE:
            return ofproto_nx_flow_stats(p, ofconn, msg, len, h);
        default:
            return experimenter_error(msg, len,
                                      h->version == OFP10_VERSION ? 12 : 16);
        }

    case OFPTYPE_EXPERIMENTER:
        if (ofp_monitor_classify(msg, len, h) == OFPMON_CANCEL) {
            return ofproto_monitor_cancel(p, ofconn, msg, len);
        }
        if (h->version == OFP10_VERSION
            && nx_msg_subtype(msg, len) == NXT_FLOW_MOD) {
            return (ofconn_may_modify(ofconn)
                    ? handle_flow_mod_nx(p, ofconn, msg, len, true)
                    : OFPERR_OFPBRC_IS_SLAVE);
        }
        /* Nicira's other extensions (0x2320) are known by id, not type. */
        return (len >= 12
                && get_be32((const uint8_t *) msg + 8) == 0x2320
                ? OFPERR_OFPBRC_BAD_EXP_TYPE
                : OFPERR_OFPBRC_BAD_EXPERIMENTER);

    default:
        return (ofproto_is_stats_request(h->type)
                ? ofproto_handle_stats_request(p, ofconn, msg, len, h)
                : OFPERR_OFPBRC_BAD_TYPE);
    }
}

void
ofproto_handle_openflow(struct ofproto *p, struct ofconn *ofconn,
                        const void *msg, size_t len)
{
    struct ofp_msg_header h;
    enum ofperr error = ofptype_decode(msg, len, &h, NULL);
    if (!error) {
        /* Flow changes this message makes are this connection's own. */
        ofproto_monitor_set_origin(p, ofconn, h.xid);
        error = handle__(p, ofconn, msg, len, &h);
        ofproto_monitor_set_origin(p, NULL, 0);
        ofproto_monitor_flush(p);
    }
    if (error) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
        VLOG_DBG_RL(&rl, "%s: %s", p->name, ofperr_get_name(error));
        ofconn_send_error(ofconn, msg, len, error);
    }
}
