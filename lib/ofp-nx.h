/* Nicira extension messages of OpenFlow 1.0 (vendor 0x2320), as plain
 * `ovs-ofctl` (no -O) speaks them.
 *
 * OpenFlow 1.0's fixed match cannot say IPv6, tcp_flags, metadata, VLAN
 * masks and the like, and its flow_mod has no table id.  ovs-ofctl then
 * switches the connection to the NXM "flow format" (NXT_SET_FLOW_FORMAT),
 * optionally enables a table id in the high byte of the flow_mod command
 * (NXT_FLOW_MOD_TABLE_ID), and sends NXT_FLOW_MOD with an nx_match
 * (lib/nxm.h); dumps use the NXST_FLOW / NXST_AGGREGATE vendor stats, and
 * an NXM connection gets NXT_FLOW_REMOVED instead of OFPT_FLOW_REMOVED.
 *
 * Every message here is an OF1.0 OFPT_VENDOR message (16-byte header:
 * OpenFlow header, vendor, subtype) or an OF1.0 vendor stats message
 * (24 bytes: stats header, vendor, subtype, 4 pad bytes).  The decoders
 * check every length and return the OpenFlow error a switch sends back;
 * the flow-level structures are the version-independent ones of
 * lib/ofp-flow.h. */
#ifndef VS_OFP_NX_H
#define VS_OFP_NX_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ofp-errors.h"

struct match;
struct ofp_aggregate_stats;
struct ofp_flow_mod;
struct ofp_flow_removed;
struct ofp_flow_stats;
struct ofp_flow_stats_request;
struct ofp_msg_header;
struct ofpacts;
struct ofpbuf;
struct ofpmp_replies;

#define NX_VENDOR_ID 0x00002320

/* Subtypes of OFPT_VENDOR messages (struct nicira_header). */
enum nx_msg_subtype {
    NXT_ROLE_REQUEST = 10,
    NXT_ROLE_REPLY = 11,
    NXT_SET_FLOW_FORMAT = 12,
    NXT_FLOW_MOD = 13,
    NXT_FLOW_REMOVED = 14,
    NXT_FLOW_MOD_TABLE_ID = 15,
    NXT_SET_PACKET_IN_FORMAT = 16,
    NXT_PACKET_IN = 17,
    NXT_FLOW_AGE = 18,
    NXT_SET_ASYNC_CONFIG = 19,
    NXT_SET_CONTROLLER_ID = 20,
};

/* Subtypes of OF1.0 vendor stats (NXST_*). */
enum nx_stats_subtype {
    NXST_FLOW = 0,
    NXST_AGGREGATE = 1,
};

/* Flow formats (NXT_SET_FLOW_FORMAT). */
enum nx_flow_format {
    NXFF_OPENFLOW10 = 0,
    NXFF_NXM = 2,
};

/* Packet-in formats (NXT_SET_PACKET_IN_FORMAT). */
enum nx_packet_in_format {
    NXPIF_OPENFLOW10 = 0,
    NXPIF_NXM = 1,
    NXPIF_NXT_PACKET_IN2 = 2,    /* lib/ofp-packet-in2.h */
};

#define NX_HEADER_LEN 16
#define NX_STATS_HEADER_LEN 24

/* The Nicira subtype of OFPT_VENDOR message 'msg' (an OF1.0 or later
 * experimenter message of at least 16 bytes with vendor 0x2320), or -1. */
int nx_msg_subtype(const void *msg, size_t len);
/* The NXST_* subtype of an OF1.0 vendor stats request or reply, or -1
 * if it is not a Nicira one of at least 24 bytes. */
int nx_stats_subtype(const void *msg, size_t len);

/* Starts an OFPT_VENDOR message with 'subtype' (length fixed by
 * ofpmsg_update_length()). */
struct ofpbuf *nx_msg_alloc(uint32_t subtype, uint32_t xid, size_t extra);

/* Small per-connection settings.  Each decoder checks the length and the
 * value and returns OFPBRC_BAD_LEN or OFPBRC_EPERM (as Open vSwitch does
 * for a format it does not know). */
enum ofperr nx_set_flow_format_decode(const void *msg, size_t len,
                                      enum nx_flow_format *);
struct ofpbuf *nx_set_flow_format_encode(enum nx_flow_format, uint32_t xid);
enum ofperr nx_flow_mod_table_id_decode(const void *msg, size_t len,
                                        bool *enable);
struct ofpbuf *nx_flow_mod_table_id_encode(bool enable, uint32_t xid);
enum ofperr nx_set_packet_in_format_decode(const void *msg, size_t len,
                                           enum nx_packet_in_format *);
/* NXT_SET_PACKET_IN_FORMAT for an OpenFlow 'version' connection (Open
 * vSwitch takes it in every version). */
struct ofpbuf *nx_set_packet_in_format_encode(enum nx_packet_in_format,
                                              uint8_t version, uint32_t xid);
/* "standard", "nxt_packet_in", "nxt_packet_in2" (ovs-ofctl -P), or -1. */
int nx_packet_in_format_from_string(const char *);
enum ofperr nx_set_controller_id_decode(const void *msg, size_t len,
                                        uint16_t *id);
/* NXT_FLOW_AGE: no body.  Open vSwitch accepts it and does nothing (flows
 * always carry their ages in the Nicira stats), and so do we. */
enum ofperr nx_flow_age_decode(const void *msg, size_t len);
struct ofpbuf *nx_flow_age_encode(uint32_t xid);

/* nx_match with the cookie: NXM_NX_COOKIE(_W) selects flows by cookie in
 * flow mods and stats requests; it is not a packet field, so it is taken
 * out of the TLVs here.  'len' is the unpadded match length. */
enum ofperr nx_match_decode(const uint8_t *p, size_t len, struct match *,
                            uint64_t *cookie, uint64_t *cookie_mask);
/* Appends 'match' (and a cookie TLV if 'cookie_mask' is nonzero) padded
 * to 8 bytes; returns the unpadded length. */
size_t nx_match_put(struct ofpbuf *, const struct match *, uint64_t cookie,
                    uint64_t cookie_mask);

/* NXT_FLOW_MOD.  With 'table_id_ext' (the connection enabled
 * NXT_FLOW_MOD_TABLE_ID) the command's high byte is the table id. */
enum ofperr nx_flow_mod_decode(const void *msg, size_t len, bool table_id_ext,
                               struct ofp_flow_mod *);
/* Encodes 'fm'; a table id other than 0 / OFPTT_ALL needs 'table_id_ext'
 * (else OFPBRC_BAD_TABLE_ID). */
enum ofperr nx_flow_mod_encode(const struct ofp_flow_mod *, bool table_id_ext,
                               uint32_t xid, struct ofpbuf **msgp);

/* NXST_FLOW and NXST_AGGREGATE requests (one body). */
enum ofperr nx_flow_stats_request_decode(const void *msg, size_t len,
                                         struct ofp_flow_stats_request *);
struct ofpbuf *nx_flow_stats_request_encode(
    const struct ofp_flow_stats_request *, uint32_t xid);

/* Replies: a reply array whose messages carry the 24-byte Nicira stats
 * header (ofpmp_postappend() copies it into each continuation). */
void nx_stats_replies_init(struct ofpmp_replies *, uint32_t subtype,
                           const struct ofp_msg_header *request);
/* Appends one NXST_FLOW entry; 'idle_age' and 'hard_age' are seconds
 * since the flow was last used / modified, or -1 if unknown. */
void nx_flow_stats_append_rule(struct ofpbuf *reply,
                               const struct ofp_flow_stats *,
                               const struct match *, const struct ofpacts *,
                               int idle_age, int hard_age);
/* Pulls the next entry of an NXST_FLOW reply body (after the 24-byte
 * header); sets '*done' at the end. */
enum ofperr nx_flow_stats_pull(struct ofpbuf *body, struct ofp_flow_stats *,
                               bool *done);
struct ofpbuf *nx_aggregate_stats_reply_encode(
    const struct ofp_msg_header *rq, const struct ofp_aggregate_stats *);
enum ofperr nx_aggregate_stats_reply_decode(const void *msg, size_t len,
                                            struct ofp_aggregate_stats *);

/* NXT_FLOW_REMOVED. */
struct ofpbuf *nx_flow_removed_encode(const struct ofp_flow_removed *);
enum ofperr nx_flow_removed_decode(const void *msg, size_t len,
                                   struct ofp_flow_removed *);

/* NXT_PACKET_IN: OpenFlow 1.0's packet-in with the table, the cookie and
 * the metadata (in_port, tun_id and metadata if nonzero) as an nx_match,
 * for a connection that asked with NXT_SET_PACKET_IN_FORMAT.  At most
 * 'max_len' bytes of the packet (OFPCML_NO_BUFFER: all). */
struct ofp_packet_in;
struct ofpbuf *nx_packet_in_encode(const struct ofp_packet_in *,
                                   uint16_t max_len);
/* The same for a connection of any OpenFlow 'version' (Open vSwitch 2.6+
 * sends NXT_PACKET_IN to OF1.1+ connections that ask for it). */
struct ofpbuf *nx_packet_in_encode_version(const struct ofp_packet_in *,
                                           uint8_t version, uint16_t max_len);
/* 'pin->packet' points into 'msg'. */
enum ofperr nx_packet_in_decode(const void *msg, size_t len,
                                struct ofp_packet_in *);

/* "NXT_PACKET_IN (OF1.3) (xid=0x0): table_id=3 cookie=0x0 ..." */
struct ds;
void nx_packet_in_format(const void *msg, size_t len,
                         const struct ofp_msg_header *, struct ds *);

/* Describes 'msg' as ovs-ofctl does ("NXT_FLOW_MOD (xid=0x2): ADD ...")
 * if it is a Nicira message of this module; false if not. */
struct ds;
bool nx_msg_format(const void *msg, size_t len,
                   const struct ofp_msg_header *, struct ds *);

#endif /* ofp-nx.h */
