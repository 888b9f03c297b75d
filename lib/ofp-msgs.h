/* OpenFlow framing: versions, message types, headers, hello negotiation.
 *
 * Every OpenFlow message starts with an 8-byte header (version, type,
 * length, xid).  Wire type numbers differ between OpenFlow 1.0 and 1.1+,
 * and multipart (stats) messages add a second-level type; 'enum ofptype'
 * names each message once, independent of version.  ofptype_decode()
 * classifies a received message and checks its framing; ofpmsg_alloc()
 * starts an outgoing one (header and, for multipart, the multipart
 * header), ofpmsg_update_length() finishes it. */
#ifndef VS_OFP_MSGS_H
#define VS_OFP_MSGS_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ofp-errors.h"

struct ofpbuf;
struct ds;

enum {
    OFP10_VERSION = 0x01,
    OFP11_VERSION = 0x02,
    OFP12_VERSION = 0x03,
    OFP13_VERSION = 0x04,
    OFP14_VERSION = 0x05,
    OFP15_VERSION = 0x06,
};

/* Bitmaps of versions: bit N set means wire version N is allowed. */
#define OFP_VERSION_BIT(V) (1u << (V))
#define OFP_SUPPORTED_VERSIONS (OFP_VERSION_BIT(OFP10_VERSION)  \
                                | OFP_VERSION_BIT(OFP13_VERSION) \
                                | OFP_VERSION_BIT(OFP14_VERSION) \
                                | OFP_VERSION_BIT(OFP15_VERSION))

bool ofp_version_is_supported(uint8_t version);
const char *ofp_version_to_string(uint8_t version);   /* "OpenFlow13". */
/* Parses "OpenFlow13" (also "1.3", "of13"); returns 0 if unknown. */
uint8_t ofp_version_from_string(const char *);
/* Parses a comma-separated list of versions into a bitmap; 0 on error. */
uint32_t ofp_versions_from_string(const char *);

#define OFP_HEADER_LEN 8
#define OFP_MAX_MSG_LEN 65535

/* Wire type numbers used by every version. */
enum {
    OFPT_HELLO = 0,
    OFPT_ERROR = 1,
    OFPT_ECHO_REQUEST = 2,
    OFPT_ECHO_REPLY = 3,
    OFPT_EXPERIMENTER = 4,
};

enum ofptype {
    OFPTYPE_HELLO,
    OFPTYPE_ERROR,
    OFPTYPE_ECHO_REQUEST,
    OFPTYPE_ECHO_REPLY,
    OFPTYPE_EXPERIMENTER,
    OFPTYPE_FEATURES_REQUEST,
    OFPTYPE_FEATURES_REPLY,
    OFPTYPE_GET_CONFIG_REQUEST,
    OFPTYPE_GET_CONFIG_REPLY,
    OFPTYPE_SET_CONFIG,
    OFPTYPE_PACKET_IN,
    OFPTYPE_FLOW_REMOVED,
    OFPTYPE_PORT_STATUS,
    OFPTYPE_PACKET_OUT,
    OFPTYPE_FLOW_MOD,
    OFPTYPE_GROUP_MOD,
    OFPTYPE_PORT_MOD,
    OFPTYPE_TABLE_MOD,
    OFPTYPE_BARRIER_REQUEST,
    OFPTYPE_BARRIER_REPLY,
    OFPTYPE_QUEUE_GET_CONFIG_REQUEST,
    OFPTYPE_QUEUE_GET_CONFIG_REPLY,
    OFPTYPE_ROLE_REQUEST,
    OFPTYPE_ROLE_REPLY,
    OFPTYPE_GET_ASYNC_REQUEST,
    OFPTYPE_GET_ASYNC_REPLY,
    OFPTYPE_SET_ASYNC_CONFIG,
    OFPTYPE_METER_MOD,
    OFPTYPE_ROLE_STATUS,
    OFPTYPE_TABLE_STATUS,
    OFPTYPE_REQUESTFORWARD,
    OFPTYPE_BUNDLE_CONTROL,
    OFPTYPE_BUNDLE_ADD_MESSAGE,
    OFPTYPE_CONTROLLER_STATUS,
    /* Multipart (OF1.0 "stats") requests and replies. */
    OFPTYPE_DESC_STATS_REQUEST,
    OFPTYPE_DESC_STATS_REPLY,
    OFPTYPE_FLOW_STATS_REQUEST,
    OFPTYPE_FLOW_STATS_REPLY,
    OFPTYPE_AGGREGATE_STATS_REQUEST,
    OFPTYPE_AGGREGATE_STATS_REPLY,
    OFPTYPE_TABLE_STATS_REQUEST,
    OFPTYPE_TABLE_STATS_REPLY,
    OFPTYPE_PORT_STATS_REQUEST,
    OFPTYPE_PORT_STATS_REPLY,
    OFPTYPE_QUEUE_STATS_REQUEST,
    OFPTYPE_QUEUE_STATS_REPLY,
    OFPTYPE_GROUP_STATS_REQUEST,
    OFPTYPE_GROUP_STATS_REPLY,
    OFPTYPE_GROUP_DESC_STATS_REQUEST,
    OFPTYPE_GROUP_DESC_STATS_REPLY,
    OFPTYPE_GROUP_FEATURES_STATS_REQUEST,
    OFPTYPE_GROUP_FEATURES_STATS_REPLY,
    OFPTYPE_METER_STATS_REQUEST,
    OFPTYPE_METER_STATS_REPLY,
    OFPTYPE_METER_CONFIG_STATS_REQUEST,
    OFPTYPE_METER_CONFIG_STATS_REPLY,
    OFPTYPE_METER_FEATURES_STATS_REQUEST,
    OFPTYPE_METER_FEATURES_STATS_REPLY,
    OFPTYPE_TABLE_FEATURES_STATS_REQUEST,
    OFPTYPE_TABLE_FEATURES_STATS_REPLY,
    OFPTYPE_PORT_DESC_STATS_REQUEST,
    OFPTYPE_PORT_DESC_STATS_REPLY,
    /* Flow monitoring (lib/ofp-monitor.h): OF1.4+ multipart type 16, and
     * the experimenter multipart (type 0xffff) that carries Nicira's
     * NXST_FLOW_MONITOR in OF1.0-1.3 (its body starts with the
     * experimenter id and subtype). */
    OFPTYPE_FLOW_MONITOR_STATS_REQUEST,
    OFPTYPE_FLOW_MONITOR_STATS_REPLY,
    OFPTYPE_EXPERIMENTER_STATS_REQUEST,
    OFPTYPE_EXPERIMENTER_STATS_REPLY,
    /* OF1.4+ queue descriptions (lib/ofp-queue.h). */
    OFPTYPE_QUEUE_DESC_STATS_REQUEST,
    OFPTYPE_QUEUE_DESC_STATS_REPLY,
    /* OF1.4+ table descriptions (eviction config): ofp_table_desc_put(). */
    OFPTYPE_TABLE_DESC_STATS_REQUEST,
    OFPTYPE_TABLE_DESC_STATS_REPLY,
    OFPTYPE_N_TYPES
};

const char *ofptype_get_name(enum ofptype);     /* "OFPT_FLOW_MOD". */
bool ofptype_is_multipart(enum ofptype);

/* Multipart flags. */
#define OFPSF_REPLY_MORE 0x0001

/* Header fields of a message, host byte order. */
struct ofp_msg_header {
    uint8_t version;
    uint8_t raw_type;
    uint16_t length;
    uint32_t xid;
    enum ofptype type;
    uint16_t mp_flags;          /* Multipart flags, 0 otherwise. */
};

/* Returns the length of the first message in 'data' (from its header), 0
 * if fewer than 8 bytes are there, or -1 if the length field is less than
 * the header (the stream is unusable). */
int ofp_frame_length(const void *data, size_t size);

/* Classifies the message 'data' of 'size' bytes (its whole length).
 * Checks that the version is supported, that the length field equals
 * 'size', that the type exists in this version.  On success fills 'h'
 * and, if 'body' is nonnull, points it at the bytes after the header(s). */
enum ofperr ofptype_decode(const void *data, size_t size,
                           struct ofp_msg_header *h, struct ofpbuf *body);

/* Starts a message: header (and multipart header) with 'extra' bytes of
 * room.  Returns NULL-free buffer; abort if 'type' has no encoding in
 * 'version' (a programming error: check ofptype_exists() first). */
struct ofpbuf *ofpmsg_alloc(enum ofptype, uint8_t version, uint32_t xid,
                            size_t extra);
/* A reply to the request described by 'rq': same version and xid. */
struct ofpbuf *ofpmsg_alloc_reply(enum ofptype, const struct ofp_msg_header *rq,
                                  size_t extra);
bool ofptype_exists(enum ofptype, uint8_t version);
/* Starts a message with raw wire type 'raw'. */
struct ofpbuf *ofpraw_alloc(uint8_t raw, uint8_t version, uint32_t xid,
                            size_t extra);
/* Stores the buffer's size into the header's length field. */
void ofpmsg_update_length(struct ofpbuf *);
/* Sets the multipart flags of a multipart message being built. */
void ofpmsg_set_mp_flags(struct ofpbuf *, uint16_t flags);

/* Multipart replies may not pass 64 kB.  Build replies in an array: start
 * with ofpmp_init(), append each entry to the last reply, then call
 * ofpmp_postappend() with the offset where the entry started; if the
 * reply grew too long the entry moves into a fresh reply (same header)
 * and the full one gets OFPSF_REPLY_MORE. */
struct ofpmp_replies {
    struct ofpbuf **msgs;       /* Owned, as are the buffers. */
    size_t n, allocated;
    size_t hlen;                /* Header bytes each continuation repeats;
                                 * 0: the plain multipart header.  Vendor
                                 * stats (lib/ofp-nx.h) have a longer one. */
};
void ofpmp_init(struct ofpmp_replies *, enum ofptype reply_type,
                const struct ofp_msg_header *request);
struct ofpbuf *ofpmp_last(const struct ofpmp_replies *);
void ofpmp_postappend(struct ofpmp_replies *, size_t entry_start);
/* Frees the array (and any buffers the caller did not take). */
void ofpmp_destroy(struct ofpmp_replies *);

/* Hello.  ofp_hello_encode() announces the versions in 'allowed' (a
 * bitmap): header version is the highest, plus a version bitmap element
 * when any allowed version is OF1.3 or later.  ofp_hello_decode() returns
 * the peer's bitmap (from the element, else every version up to the
 * header's). */
struct ofpbuf *ofp_hello_encode(uint32_t allowed, uint32_t xid);
enum ofperr ofp_hello_decode(const void *msg, size_t size,
                             uint32_t *peer_versions);
/* Highest version in both bitmaps, or 0 (then send HELLO_FAILED). */
uint8_t ofp_negotiate_version(uint32_t ours, uint32_t theirs);

/* The connection layer's whole hello step: given the peer's hello, sets
 * '*version' to the version to speak and returns 0; or returns an error
 * and sets '*error_msg' to the OFPT_ERROR (HELLO_FAILED) to send before
 * closing the connection.  'allowed' is our version bitmap. */
enum ofperr ofp_hello_process(uint32_t allowed, const void *msg, size_t len,
                              uint8_t *version, struct ofpbuf **error_msg);

/* Echo: reply copies the request's payload and xid. */
struct ofpbuf *ofp_echo_request(uint8_t version, uint32_t xid);
struct ofpbuf *ofp_echo_reply(const void *request, size_t size);

/* Error messages received from a peer. */
struct ofp_error_msg {
    enum ofperr error;          /* 0 if (type, code) unknown to us. */
    uint16_t type, code;
    const uint8_t *data;        /* Points into the message. */
    size_t data_len;
};
enum ofperr ofp_error_decode(const void *msg, size_t size,
                             struct ofp_error_msg *);

#endif /* ofp-msgs.h */
