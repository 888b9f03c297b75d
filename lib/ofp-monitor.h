/* Flow monitoring messages: a controller asks to be told about changes to
 * the flows that match a filter, and the switch streams updates.
 *
 * Three wire forms carry the same thing, and 'struct ofp_flow_monitor_
 * request' / 'struct ofp_flow_update' are the one form inside:
 *  - OpenFlow 1.0 (and what Open vSwitch accepts in every version):
 *    Nicira's NXST_FLOW_MONITOR experimenter multipart, NXM matches,
 *    NXT_FLOW_MONITOR_CANCEL / _PAUSED / _RESUMED experimenter messages;
 *  - OpenFlow 1.3: the ONF extension ONFST_FLOW_MONITOR (experimenter
 *    0x4f4e4600, type 1870) with the Nicira layout but 32-bit out_port and
 *    OXM matches (what ovs-ofctl -O OpenFlow13 sends);
 *  - OpenFlow 1.4/1.5: OFPMP_FLOW_MONITOR, with the command (add, modify,
 *    delete) in the request and pause/resume as events in the reply.
 * No I/O, no state: ofproto/ofproto-monitor.c is the switch side,
 * utilities/ofctl-watch.c the tool side. */
#ifndef VS_OFP_MONITOR_H
#define VS_OFP_MONITOR_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "match.h"
#include "ofp-actions.h"
#include "ofp-errors.h"

struct ds;
struct ofp_msg_header;
struct ofpbuf;

/* Monitor flags, version independent (Nicira's NXFMF_* bit values for the
 * first six). */
#define OFPFMF_INITIAL   (1u << 0)  /* Dump matching flows at once. */
#define OFPFMF_ADD       (1u << 1)  /* Report additions. */
#define OFPFMF_REMOVED   (1u << 2)  /* Report deletions. */
#define OFPFMF_MODIFY    (1u << 3)  /* Report modifications. */
#define OFPFMF_ACTIONS   (1u << 4)  /* Include actions / instructions. */
#define OFPFMF_OWN       (1u << 5)  /* Report this connection's own changes
                                     * (abbreviated unless NO_ABBREV). */
#define OFPFMF_NO_ABBREV (1u << 6)  /* Own changes in full (OF1.4). */

/* OF1.4 request commands (the others always add). */
enum ofp_flow_monitor_command {
    OFPFMC_ADD = 0,
    OFPFMC_MODIFY = 1,
    OFPFMC_DELETE = 2,
};

struct ofp_flow_monitor_request {
    uint32_t id;
    uint16_t flags;                 /* OFPFMF_*. */
    uint32_t out_port;              /* OFPP_ANY: no filter. */
    uint32_t out_group;             /* OFPG_ANY: no filter. */
    uint8_t table_id;               /* OFPTT_ALL: every table. */
    uint8_t command;                /* enum ofp_flow_monitor_command. */
    struct match match;
};

/* Events in OpenFlow 1.4 numbering (Nicira's ADDED/DELETED/MODIFIED/ABBREV
 * are converted at the edge; Nicira has no INITIAL, which is sent as
 * ADDED, and pause/resume are separate messages there). */
enum ofp_flow_update_event {
    OFPFME_INITIAL = 0,
    OFPFME_ADDED = 1,
    OFPFME_REMOVED = 2,
    OFPFME_MODIFIED = 3,
    OFPFME_ABBREV = 4,
    OFPFME_PAUSED = 5,
    OFPFME_RESUMED = 6,
};

struct ofp_flow_update {
    enum ofp_flow_update_event event;
    uint32_t xid;                   /* ABBREV: the request that did it. */
    uint8_t reason;                 /* REMOVED: OFPRR_*. */
    uint8_t table_id;
    uint16_t idle_timeout, hard_timeout, priority;
    uint64_t cookie;
    struct match match;
    bool has_actions;
    struct ofpacts ofpacts;         /* Decoded: owned; encoded: read. */
};

/* What a received message is, as far as flow monitoring goes. */
enum ofp_monitor_msg_type {
    OFPMON_NONE,                    /* Not a flow monitoring message. */
    OFPMON_REQUEST,
    OFPMON_REPLY,
    OFPMON_CANCEL,                  /* Nicira/ONF cancel (OF1.0-1.3). */
    OFPMON_PAUSED,                  /* Nicira/ONF paused. */
    OFPMON_RESUMED,                 /* Nicira/ONF resumed. */
    OFPMON_UNKNOWN_EXPERIMENTER,    /* Experimenter multipart not ours. */
};
enum ofp_monitor_msg_type ofp_monitor_classify(const void *msg, size_t len,
                                               const struct ofp_msg_header *);

/* Requests.  A request message holds one or more; decode returns them in
 * a malloc'd array ('*n' >= 1) or the OFPT_ERROR to send. */
struct ofpbuf *ofp_flow_monitor_request_encode(
    const struct ofp_flow_monitor_request *, size_t n, uint8_t version,
    uint32_t xid);
enum ofperr ofp_flow_monitor_request_decode(
    const void *msg, size_t len, struct ofp_flow_monitor_request **rqs,
    size_t *n);

/* Cancel (Nicira/ONF, OF1.0-1.3), paused and resumed messages. */
struct ofpbuf *ofp_flow_monitor_cancel_encode(uint32_t id, uint8_t version,
                                              uint32_t xid);
enum ofperr ofp_flow_monitor_cancel_decode(const void *msg, size_t len,
                                           uint32_t *id);
/* PAUSED or RESUMED for versions before 1.4 (1.4+ use reply events). */
struct ofpbuf *ofp_flow_monitor_pause_encode(enum ofp_flow_update_event,
                                             uint8_t version);

/* Replies: updates are appended to a series of multipart replies that
 * stays under 64 kB per message (OFPSF_REPLY_MORE on all but the last). */
struct ofp_fm_replies {
    struct ofpbuf **msgs;           /* Owned. */
    size_t n, allocated;
    uint8_t version;
    uint32_t xid;
};
void ofp_fm_replies_init(struct ofp_fm_replies *, uint8_t version,
                         uint32_t xid);
/* Appends 'u' (its ofpacts only if 'u->has_actions'). */
void ofp_fm_replies_append(struct ofp_fm_replies *,
                           const struct ofp_flow_update *);
/* Hands the messages to the caller (who frees them and the array). */
struct ofpbuf **ofp_fm_replies_steal(struct ofp_fm_replies *, size_t *n);
void ofp_fm_replies_destroy(struct ofp_fm_replies *);

/* Decodes every update of a reply into a malloc'd array of '*n'. */
enum ofperr ofp_flow_update_decode_all(const void *msg, size_t len,
                                       struct ofp_flow_update **ups,
                                       size_t *n);
void ofp_flow_updates_free(struct ofp_flow_update *, size_t n);

/* ovs-ofctl's text: " event=ADDED table=0 cookie=0 ip actions=output:2". */
void ofp_flow_update_format(const struct ofp_flow_update *, struct ds *);
const char *ofp_flow_removed_reason_name(uint8_t reason);
/* Formats a whole flow monitoring message as ovs-ofctl prints it (header
 * line included); false if 'msg' is not one. */
bool ofp_monitor_msg_format(const void *msg, size_t len,
                            const struct ofp_msg_header *, struct ds *);

/* ovs-ofctl's "watch:" syntax: "[!initial][!add][!delete][!modify]
 * [!actions][!own][id=N][table=N][out_port=P],MATCH".  Returns NULL or
 * an error string (caller frees). */
char *ofp_flow_monitor_request_parse(struct ofp_flow_monitor_request *,
                                     const char *);

#endif /* ofp-monitor.h */
