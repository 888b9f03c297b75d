/* OpenFlow queue descriptions: OFPT_QUEUE_GET_CONFIG request/reply
 * (OF1.0-1.3) and the OFPMP_QUEUE_DESC multipart (OF1.4+) that replaced
 * them.  One queue is one struct ofp_queue_desc in every version; rates
 * are in tenths of a percent of the port's maximum rate, as the spec
 * defines them (OF1.0 has only the minimum rate). */
#ifndef OFP_QUEUE_H
#define OFP_QUEUE_H 1

#include <stdint.h>
#include "ofp-errors.h"

struct ofpbuf;
struct ofp_msg_header;

#define OFPQ_RATE_NONE 0xffff           /* Rate property absent/disabled. */

struct ofp_queue_desc {
    uint32_t port_no, queue_id;
    uint16_t min_rate, max_rate;        /* 1/10 %, or OFPQ_RATE_NONE. */
};

/* Request for 'port' (OFPP_ANY: all) and, in OF1.4+, 'queue' (OFPQ_ALL);
 * OF1.0-1.3 requests always ask for all queues of the port. */
struct ofpbuf *ofp_queue_desc_request_encode(uint32_t port, uint32_t queue,
                                             uint8_t version, uint32_t xid);
enum ofperr ofp_queue_desc_request_decode(const void *msg, size_t len,
                                          uint32_t *port, uint32_t *queue);

/* The start of an OF1.0-1.3 reply for 'port' (the queues follow); OF1.4+
 * replies are multipart (ofpmp_init() with OFPTYPE_QUEUE_DESC_STATS_REPLY)
 * and have no start. */
struct ofpbuf *ofp_queue_get_config_reply_start(const struct ofp_msg_header *rq,
                                                uint32_t port);
/* Appends one queue to a reply of 'version'. */
void ofp_queue_desc_append(struct ofpbuf *reply, uint8_t version,
                           const struct ofp_queue_desc *);
/* Body of a reply 'h' (from ofptype_decode()): skips the OF1.0-1.3 port
 * header, reporting its port in '*port' (OFPP_ANY for OF1.4+). */
enum ofperr ofp_queue_desc_reply_start(struct ofpbuf *body, uint8_t version,
                                       uint32_t *port);
/* Pulls the next queue off a reply body of 'version'. */
enum ofperr ofp_queue_desc_pull(struct ofpbuf *body, uint8_t version,
                                uint32_t port, struct ofp_queue_desc *);

#endif /* ofp-queue.h */
