/* ofproto bundles (OpenFlow 1.4+): a controller opens a bundle, adds
 * messages to it and commits them as one change.  A bundle may carry
 * flow_mod, group_mod, meter_mod, port_mod and packet_out.  Messages are
 * decoded when added (so malformed ones are refused at once) and kept as
 * received; their meaning is checked at commit, in order, so a flow may use
 * a group added earlier in the same bundle.
 *
 * Commit is all or nothing: flow changes go through one flow-table
 * transaction (ofproto-txn.h), the group and meter tables are snapshotted
 * first if the bundle touches them, port_mods and packet_outs are only
 * checked during the pass and carried out once everything else has
 * succeeded.  If any message fails, the tables are put back as they were,
 * the failing message's error is sent, then OFPBFC_MSG_FAILED.
 *
 * Bundles belong to the connection that opened them: another connection
 * cannot see them, and they are discarded when it closes
 * (ofproto_ofconn_closed()). */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include "connmgr.h"
#include "ofp-bundle.h"
#include "ofp-group.h"
#include "ofp-meter.h"
#include "ofp-switch.h"
#include "ofp-msgs.h"
#include "ofproto/ofproto-provider.h"
#include "ofproto/ofproto-txn.h"
#include "util.h"

#define MAX_BUNDLES_PER_CONN 16
#define MAX_BUNDLE_MSGS 65536

struct bundle_msg {
    uint8_t *data;              /* Owned copy of the inner message. */
    size_t len;
};

struct ofbundle {
    struct hmap_node node;      /* In ofproto->bundles. */
    struct ofconn *ofconn;      /* Not owned. */
    uint32_t id;
    uint16_t flags;
    bool closed;
    struct bundle_msg *msgs;
    size_t n_msgs, allocated;
};

static uint32_t
bundle_hash(const struct ofconn *ofconn, uint32_t id)
{
    return hash_int(id, hash_pointer(ofconn, 0));
}

static struct ofbundle *
bundle_find(const struct ofproto *p, const struct ofconn *ofconn, uint32_t id)
{
    struct ofbundle *b;
    HMAP_FOR_EACH_WITH_HASH (b, node, bundle_hash(ofconn, id), &p->bundles) {
        if (b->ofconn == ofconn && b->id == id) {
            return b;
        }
    }
    return NULL;
}

static size_t
bundles_of_conn(const struct ofproto *p, const struct ofconn *ofconn)
{
    size_t n = 0;
    const struct ofbundle *b;
    HMAP_FOR_EACH (b, node, &p->bundles) {
        n += b->ofconn == ofconn;
    }
    return n;
}

static enum ofperr
bundle_open(struct ofproto *p, struct ofconn *ofconn, uint32_t id,
            uint16_t flags, struct ofbundle **bp)
{
    if (bundle_find(p, ofconn, id)) {
        return OFPERR_OFPBFC_BUNDLE_EXIST;
    }
    if (bundles_of_conn(p, ofconn) >= MAX_BUNDLES_PER_CONN) {
        return OFPERR_OFPBFC_OUT_OF_BUNDLES;
    }
    struct ofbundle *b = xzalloc(sizeof *b);
    b->ofconn = ofconn;
    b->id = id;
    b->flags = flags;
    hmap_insert(&p->bundles, &b->node, bundle_hash(ofconn, id));
    *bp = b;
    return 0;
}

static void
bundle_free(struct ofproto *p, struct ofbundle *b)
{
    hmap_remove(&p->bundles, &b->node);
    for (size_t i = 0; i < b->n_msgs; i++) {
        free(b->msgs[i].data);
    }
    free(b->msgs);
    free(b);
}

/* One message of a bundle being committed. */
static enum ofperr
commit_one(struct ofproto *p, struct ofproto_txn *txn,
           const struct bundle_msg *m, enum ofptype type)
{
    enum ofperr error;
    switch (type) {
    case OFPTYPE_FLOW_MOD: {
        struct ofp_flow_mod fm;
        ofp_flow_mod_init(&fm);
        error = ofp_flow_mod_decode(m->data, m->len, &fm);
        if (!error) {
            error = ofproto_flow_mod_txn(p, txn, &fm, m->data[0]);
        }
        ofp_flow_mod_uninit(&fm);
        return error;
    }
    case OFPTYPE_GROUP_MOD: {
        struct ofp_group_mod gm;
        ofp_group_mod_init(&gm);
        error = ofp_group_mod_decode(m->data, m->len, &gm);
        if (!error) {
            error = ofproto_group_mod_txn(p, txn, &gm);
        }
        ofp_group_mod_uninit(&gm);
        return error;
    }
    case OFPTYPE_METER_MOD: {
        struct ofp_meter_mod mm;
        ofp_meter_mod_init(&mm);
        error = ofp_meter_mod_decode(m->data, m->len, &mm);
        if (!error) {
            error = ofproto_meter_mod_txn(p, txn, &mm);
        }
        ofp_meter_mod_uninit(&mm);
        return error;
    }
    case OFPTYPE_PORT_MOD: {
        struct ofp_port_mod pm;
        error = ofp_port_mod_decode(m->data, m->len, &pm);
        return error ? error : ofproto_port_mod_check(p, &pm);
    }
    case OFPTYPE_PACKET_OUT: {
        struct ofp_packet_out po;
        ofp_packet_out_init(&po);
        error = ofp_packet_out_decode(m->data, m->len, &po);
        if (!error) {
            error = ofproto_packet_out_check(p, &po);
        }
        ofp_packet_out_uninit(&po);
        return error;
    }
    default:
        return OFPERR_OFPBFC_MSG_UNSUP;
    }
}

/* The part of a commit that cannot fail any more: port_mods (checked
 * during the pass) and packet_outs, in bundle order. */
static void
commit_finish(struct ofproto *p, struct ofconn *ofconn,
              const struct bundle_msg *m, enum ofptype type)
{
    if (type == OFPTYPE_PORT_MOD) {
        struct ofp_port_mod pm;
        if (!ofp_port_mod_decode(m->data, m->len, &pm)) {
            ofproto_port_set_config(p, pm.port_no, pm.config, pm.mask);
        }
    } else if (type == OFPTYPE_PACKET_OUT) {
        struct ofp_packet_out po;
        ofp_packet_out_init(&po);
        if (!ofp_packet_out_decode(m->data, m->len, &po)) {
            /* The bundle has been committed; a packet the datapath could
             * not send is reported on its own. */
            enum ofperr error = ofproto_packet_out_execute(p, &po);
            if (error) {
                ofconn_send_error(ofconn, m->data, m->len, error);
            }
        }
        ofp_packet_out_uninit(&po);
    }
}

static enum ofptype
msg_type(const struct bundle_msg *m)
{
    struct ofp_msg_header h;
    return ofptype_decode(m->data, m->len, &h, NULL) ? OFPTYPE_N_TYPES
                                                     : h.type;
}

/* Applies every message of 'b' or none.  On failure sends the error of
 * the message that failed and returns OFPBFC_MSG_FAILED. */
static enum ofperr
bundle_commit(struct ofproto *p, struct ofconn *ofconn, struct ofbundle *b)
{
    bool groups = false, meters = false;
    for (size_t i = 0; i < b->n_msgs; i++) {
        enum ofptype t = msg_type(&b->msgs[i]);
        groups |= t == OFPTYPE_GROUP_MOD;
        meters |= t == OFPTYPE_METER_MOD;
    }
    struct hmap *group_snap = groups ? ofproto_groups_snapshot(p) : NULL;
    struct hmap *meter_snap = meters ? ofproto_meters_snapshot(p) : NULL;

    struct ofproto_txn txn;
    ofproto_txn_init(&txn);
    for (size_t i = 0; i < b->n_msgs; i++) {
        const struct bundle_msg *m = &b->msgs[i];
        enum ofperr error = commit_one(p, &txn, m, msg_type(m));
        if (error) {
            /* Groups and meters first: the flows the transaction puts
             * back may refer to them. */
            if (group_snap) {
                ofproto_groups_restore(p, group_snap);
            }
            if (meter_snap) {
                ofproto_meters_restore(p, meter_snap);
            }
            ofproto_txn_abort(p, &txn);
            ofconn_send_error(ofconn, m->data, m->len, error);
            return OFPERR_OFPBFC_MSG_FAILED;
        }
    }
    ofproto_groups_snapshot_free(group_snap);
    ofproto_meters_snapshot_free(meter_snap);
    ofproto_txn_commit(p, &txn);
    for (size_t i = 0; i < b->n_msgs; i++) {
        commit_finish(p, ofconn, &b->msgs[i], msg_type(&b->msgs[i]));
    }
    return 0;
}

void
ofproto_bundle_control(struct ofproto *p, struct ofconn *ofconn,
                       const void *msg, size_t len,
                       const struct ofp_msg_header *h)
{
    struct ofp_bundle_ctrl bc;
    enum ofperr error = ofp_bundle_ctrl_decode(msg, len, &bc);
    if (error) {
        ofconn_send_error(ofconn, msg, len, error);
        return;
    }
    struct ofbundle *b = bundle_find(p, ofconn, bc.bundle_id);
    switch (bc.type) {
    case OFPBCT_OPEN_REQUEST:
        error = bundle_open(p, ofconn, bc.bundle_id, bc.flags, &b);
        break;
    case OFPBCT_CLOSE_REQUEST:
        error = (!b ? OFPERR_OFPBFC_BAD_ID
                 : b->closed ? OFPERR_OFPBFC_BUNDLE_CLOSED
                 : b->flags != bc.flags ? OFPERR_OFPBFC_BAD_FLAGS : 0);
        if (!error) {
            b->closed = true;
        }
        break;
    case OFPBCT_COMMIT_REQUEST:
        if (!b) {
            error = OFPERR_OFPBFC_BAD_ID;
        } else if (b->flags != bc.flags) {
            error = OFPERR_OFPBFC_BAD_FLAGS;
            bundle_free(p, b);
        } else {
            error = bundle_commit(p, ofconn, b);
            bundle_free(p, b);
        }
        break;
    case OFPBCT_DISCARD_REQUEST:
        if (!b) {
            error = OFPERR_OFPBFC_BAD_ID;
        } else {
            bundle_free(p, b);
        }
        break;
    default:
        error = OFPERR_OFPBFC_BAD_TYPE;
        break;
    }
    if (error) {
        ofconn_send_error(ofconn, msg, len, error);
        return;
    }
    struct ofp_bundle_ctrl reply = {
        .bundle_id = bc.bundle_id, .type = bc.type + 1, .flags = bc.flags,
    };
    ofconn_send(ofconn, ofp_bundle_ctrl_encode(&reply, h->version, h->xid));
}

static enum ofperr
check_decodes(const void *msg, size_t len, enum ofptype type)
{
    enum ofperr error;
    switch (type) {
    case OFPTYPE_FLOW_MOD: {
        struct ofp_flow_mod fm;
        ofp_flow_mod_init(&fm);
        error = ofp_flow_mod_decode(msg, len, &fm);
        ofp_flow_mod_uninit(&fm);
        return error;
    }
    case OFPTYPE_GROUP_MOD: {
        struct ofp_group_mod gm;
        ofp_group_mod_init(&gm);
        error = ofp_group_mod_decode(msg, len, &gm);
        ofp_group_mod_uninit(&gm);
        return error;
    }
    case OFPTYPE_METER_MOD: {
        struct ofp_meter_mod mm;
        ofp_meter_mod_init(&mm);
        error = ofp_meter_mod_decode(msg, len, &mm);
        ofp_meter_mod_uninit(&mm);
        return error;
    }
    case OFPTYPE_PORT_MOD: {
        struct ofp_port_mod pm;
        return ofp_port_mod_decode(msg, len, &pm);
    }
    case OFPTYPE_PACKET_OUT: {
        struct ofp_packet_out po;
        ofp_packet_out_init(&po);
        error = ofp_packet_out_decode(msg, len, &po);
        ofp_packet_out_uninit(&po);
        return error;
    }
    default:
        return OFPERR_OFPBFC_MSG_UNSUP;
    }
}

void
ofproto_bundle_add(struct ofproto *p, struct ofconn *ofconn,
                   const void *msg, size_t len)
{
    struct ofp_bundle_add ba;
    enum ofperr error = ofp_bundle_add_decode(msg, len, &ba);
    struct ofbundle *b = NULL;
    if (error) {
        goto err;
    }

    /* The inner message must decode; its meaning is checked at commit. */
    struct ofp_msg_header ih;
    error = ofptype_decode(ba.msg, ba.msg_len, &ih, NULL);
    if (!error) {
        error = check_decodes(ba.msg, ba.msg_len, ih.type);
    }
    if (error) {
        goto err;
    }

    b = bundle_find(p, ofconn, ba.bundle_id);
    if (!b) {
        /* Adding to a bundle that is not open opens it. */
        error = bundle_open(p, ofconn, ba.bundle_id, ba.flags, &b);
        if (error) {
            goto err;
        }
    } else if (b->closed) {
        error = OFPERR_OFPBFC_BUNDLE_CLOSED;
        goto err;
    } else if (b->flags != ba.flags) {
        error = OFPERR_OFPBFC_BAD_FLAGS;
        goto err;
    } else if (b->n_msgs >= MAX_BUNDLE_MSGS) {
        error = OFPERR_OFPBFC_MSG_TOO_MANY;
        goto err;
    }
    if (b->n_msgs >= b->allocated) {
        b->msgs = x2nrealloc(b->msgs, &b->allocated, sizeof *b->msgs);
    }
    b->msgs[b->n_msgs].data = xmemdup(ba.msg, ba.msg_len);
    b->msgs[b->n_msgs].len = ba.msg_len;
    b->n_msgs++;
    return;

err:
    ofconn_send_error(ofconn, msg, len, error);
}

void
ofproto_bundles_discard_ofconn(struct ofproto *p, struct ofconn *ofconn)
{
    struct ofbundle *b, *next;
    HMAP_FOR_EACH_SAFE (b, next, node, &p->bundles) {
        if (b->ofconn == ofconn) {
            bundle_free(p, b);
        }
    }
}

void
ofproto_ofconn_closed(struct ofproto *p, struct ofconn *ofconn)
{
    ofproto_bundles_discard_ofconn(p, ofconn);
    ofproto_monitor_ofconn_closed(p, ofconn);
}

void
ofproto_bundles_destroy(struct ofproto *p)
{
    struct ofbundle *b, *next;
    HMAP_FOR_EACH_SAFE (b, next, node, &p->bundles) {
        bundle_free(p, b);
    }
}
