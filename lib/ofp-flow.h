/* Flow table messages: flow_mod, flow_removed, flow and aggregate stats,
 * in version-independent form. */
#ifndef VS_OFP_FLOW_H
#define VS_OFP_FLOW_H 1

#include <stdbool.h>
#include <stdint.h>
#include "match.h"
#include "ofp-actions.h"
#include "ofp-errors.h"
#include "ofp-msgs.h"

struct ofpbuf;
struct ofp_msg_header;

enum ofp_flow_mod_command {
    OFPFC_ADD = 0,
    OFPFC_MODIFY = 1,
    OFPFC_MODIFY_STRICT = 2,
    OFPFC_DELETE = 3,
    OFPFC_DELETE_STRICT = 4,
};

/* Flow flags, OF1.3 values (OF1.0's EMERG is refused). */
enum {
    OFPFF_SEND_FLOW_REM = 1 << 0,
    OFPFF_CHECK_OVERLAP = 1 << 1,
    OFPFF_RESET_COUNTS = 1 << 2,
    OFPFF_NO_PKT_COUNTS = 1 << 3,
    OFPFF_NO_BYT_COUNTS = 1 << 4,
};

#define OFP_NO_BUFFER 0xffffffff
#define OFPTT_ALL 0xff
#define OFPG_ANY 0xffffffff
#define OFPG_ALL 0xfffffffc
#define OFPG_MAX 0xffffff00

struct ofp_flow_mod {
    struct match match;
    uint16_t priority;
    uint64_t cookie;            /* ADD: the new cookie; else selects... */
    uint64_t cookie_mask;       /* ...flows with (cookie & mask) equal. */
    uint64_t new_cookie;        /* OF1.0 modify: the flows' new cookie;
                                 * UINT64_MAX leaves them as they are. */
    uint8_t table_id;           /* OFPTT_ALL for delete in all tables. */
    uint8_t command;            /* OFPFC_*. */
    uint16_t idle_timeout, hard_timeout;
    uint16_t importance;        /* OF1.4+. */
    uint32_t buffer_id;
    uint32_t out_port;          /* Delete filter, OFPP_ANY for none. */
    uint32_t out_group;         /* Delete filter, OFPG_ANY for none. */
    uint16_t flags;             /* OFPFF_*. */
    struct ofpacts ofpacts;     /* Owned. */
};

void ofp_flow_mod_init(struct ofp_flow_mod *);     /* Sensible defaults. */
void ofp_flow_mod_uninit(struct ofp_flow_mod *);
/* Decodes a whole OFPT_FLOW_MOD message. */
enum ofperr ofp_flow_mod_decode(const void *msg, size_t len,
                                struct ofp_flow_mod *);
/* The same; for OpenFlow 1.0, with 'table_id_ext' (the connection enabled
 * Nicira's NXT_FLOW_MOD_TABLE_ID) the command's high byte is the table. */
enum ofperr ofp_flow_mod_decode_ext(const void *msg, size_t len,
                                    bool table_id_ext, struct ofp_flow_mod *);
/* Encodes; fails if 'version' cannot carry the match or actions. */
enum ofperr ofp_flow_mod_encode(const struct ofp_flow_mod *, uint8_t version,
                                uint32_t xid, struct ofpbuf **msgp);

enum ofp_flow_removed_reason {
    OFPRR_IDLE_TIMEOUT = 0,
    OFPRR_HARD_TIMEOUT = 1,
    OFPRR_DELETE = 2,
    OFPRR_GROUP_DELETE = 3,
    OFPRR_METER_DELETE = 4,
    OFPRR_EVICTION = 5,
};

struct ofp_flow_removed {
    struct match match;
    uint16_t priority;
    uint64_t cookie;
    uint8_t reason;
    uint8_t table_id;
    uint32_t duration_sec, duration_nsec;
    uint16_t idle_timeout, hard_timeout;
    uint64_t packet_count, byte_count;
};
enum ofperr ofp_flow_removed_decode(const void *msg, size_t len,
                                    struct ofp_flow_removed *);
struct ofpbuf *ofp_flow_removed_encode(const struct ofp_flow_removed *,
                                       uint8_t version);

/* Flow and aggregate stats requests share one body. */
struct ofp_flow_stats_request {
    bool aggregate;
    struct match match;
    uint8_t table_id;           /* OFPTT_ALL: every table. */
    uint32_t out_port, out_group;
    uint64_t cookie, cookie_mask;
};
enum ofperr ofp_flow_stats_request_decode(const void *msg, size_t len,
                                          struct ofp_flow_stats_request *);
struct ofpbuf *ofp_flow_stats_request_encode(const struct ofp_flow_stats_request *,
                                             uint8_t version, uint32_t xid);

struct ofp_flow_stats {
    struct match match;
    uint8_t table_id;
    uint16_t priority, idle_timeout, hard_timeout, flags;
    uint32_t duration_sec, duration_nsec;
    uint64_t cookie, packet_count, byte_count;
    struct ofpacts ofpacts;     /* Owned. */
    /* Nicira dumps (NXST_FLOW) only: seconds since last use and since last
     * change, plus one, as on the wire; 0: unknown (not printed). */
    uint16_t nx_idle_age, nx_hard_age;
};
void ofp_flow_stats_uninit(struct ofp_flow_stats *);
/* Appends one entry to a flow stats reply being built in 'reply' (started
 * with ofpmsg_alloc_reply()).  Returns an error if 'version' cannot
 * express the entry.  The caller splits replies that would pass 64 kB. */
enum ofperr ofp_flow_stats_append(struct ofpbuf *reply, uint8_t version,
                                  const struct ofp_flow_stats *);
/* The same with the match and actions taken from 'match' and 'ofpacts'
 * instead of 'fs' (whose own are ignored): a switch dumping its rules need
 * not copy each rule's match into an ofp_flow_stats. */
enum ofperr ofp_flow_stats_append_rule(struct ofpbuf *reply, uint8_t version,
                                       const struct ofp_flow_stats *fs,
                                       const struct match *match,
                                       const struct ofpacts *ofpacts);
/* Flow stats entries from a kept encoding.  In OpenFlow 1.1 to 1.4 an
 * entry is a fixed header of OFP11_FLOW_STATS_HEADER_LEN bytes (the rule's
 * counters, times, cookie...) followed by its match and instructions,
 * which do not change between dumps: a switch may keep those bytes (the
 * "body") from one dump and copy them into the next. */
#define OFP11_FLOW_STATS_HEADER_LEN 48
/* Whether entries of 'version' have that layout. */
static inline bool ofp_flow_stats_body_cacheable(uint8_t version)
{ return version >= OFP11_VERSION && version <= OFP14_VERSION; }
/* Encodes the body of an entry (match and instructions) for 'version'
 * into 'b'; an error if 'version' cannot express it or has no body. */
enum ofperr ofp_flow_stats_body_put(struct ofpbuf *b, uint8_t version,
                                    const struct match *,
                                    const struct ofpacts *);
/* Appends an entry to 'reply' from 'fs''s scalar members and a body kept
 * from ofp_flow_stats_body_put() or a reply entry for the same 'version'
 * (which must be cacheable): the same bytes as
 * ofp_flow_stats_append_rule() with that match and instructions. */
void ofp_flow_stats_append_body(struct ofpbuf *reply, uint8_t version,
                                const struct ofp_flow_stats *fs,
                                const void *body, size_t body_len);
/* Pulls the next entry from a flow stats reply body; EOF (as an ofperr 0
 * with *done set) at the end. */
/* Takes the next entry of a flow stats reply 'body' (OpenFlow or Nicira),
 * whose first 2 bytes give its length, at least 'min_len', into 'entry';
 * sets '*done' instead when 'body' is empty. */
enum ofperr ofp_flow_stats_entry_pull(struct ofpbuf *body, size_t min_len,
                                      struct ofpbuf *entry, bool *done);
enum ofperr ofp_flow_stats_pull(struct ofpbuf *body, uint8_t version,
                                struct ofp_flow_stats *, bool *done);

struct ofp_aggregate_stats {
    uint64_t packet_count, byte_count;
    uint32_t flow_count;
};
/* The 24-byte aggregate body of OF1.0-1.4 replies, which Nicira's
 * NXST_AGGREGATE reply has too. */
#define OFP_AGGREGATE_BODY_LEN 24
void ofp_aggregate_body_put(struct ofpbuf *, const struct ofp_aggregate_stats *);
void ofp_aggregate_body_get(const uint8_t *body, struct ofp_aggregate_stats *);
struct ofpbuf *ofp_aggregate_stats_reply_encode(const struct ofp_msg_header *rq,
                                                const struct ofp_aggregate_stats *);
enum ofperr ofp_aggregate_stats_reply_decode(const void *msg, size_t len,
                                             struct ofp_aggregate_stats *);

#endif /* ofp-flow.h */
