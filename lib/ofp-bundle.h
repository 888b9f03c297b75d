/* Bundles (OpenFlow 1.4+): a controller opens a bundle, adds messages
 * (flow_mods and the like) to it, and commits them as one atomic change.
 * This module is the codec; applying the bundle atomically is ofproto's. */
#ifndef VS_OFP_BUNDLE_H
#define VS_OFP_BUNDLE_H 1

#include <stddef.h>
#include <stdint.h>
#include "ofp-errors.h"

struct ofpbuf;

enum ofp_bundle_ctrl_type {
    OFPBCT_OPEN_REQUEST = 0, OFPBCT_OPEN_REPLY = 1,
    OFPBCT_CLOSE_REQUEST = 2, OFPBCT_CLOSE_REPLY = 3,
    OFPBCT_COMMIT_REQUEST = 4, OFPBCT_COMMIT_REPLY = 5,
    OFPBCT_DISCARD_REQUEST = 6, OFPBCT_DISCARD_REPLY = 7,
};
enum { OFPBF_ATOMIC = 1 << 0, OFPBF_ORDERED = 1 << 1 };

struct ofp_bundle_ctrl {
    uint32_t bundle_id;
    uint16_t type;              /* OFPBCT_*. */
    uint16_t flags;             /* OFPBF_*. */
};
struct ofpbuf *ofp_bundle_ctrl_encode(const struct ofp_bundle_ctrl *,
                                      uint8_t version, uint32_t xid);
enum ofperr ofp_bundle_ctrl_decode(const void *msg, size_t len,
                                   struct ofp_bundle_ctrl *);

struct ofp_bundle_add {
    uint32_t bundle_id;
    uint16_t flags;
    const uint8_t *msg;         /* The inner message; points into 'msg'. */
    size_t msg_len;
};
/* Wraps the complete message 'inner' (its xid must equal 'xid'). */
struct ofpbuf *ofp_bundle_add_encode(uint32_t bundle_id, uint16_t flags,
                                     const void *inner, size_t inner_len,
                                     uint8_t version, uint32_t xid);
/* Checks the inner message: length, same version and xid, and a type a
 * bundle may carry (flow_mod, group_mod, meter_mod, port_mod,
 * packet_out). */
enum ofperr ofp_bundle_add_decode(const void *msg, size_t len,
                                  struct ofp_bundle_add *);

#endif /* ofp-bundle.h */
