/* Table features (OFPMP_TABLE_FEATURES, OpenFlow 1.3+).  ovs-ofctl asks for
 * them before add-flow, so a switch must answer with every required
 * property.  The properties describe what this codec supports. */
#ifndef VS_OFP_TABLE_H
#define VS_OFP_TABLE_H 1

#include <stddef.h>
#include <stdint.h>
#include "ofp-errors.h"

struct ofpbuf;
struct ofp_msg_header;

#define OFP_MAX_TABLE_NAME_LEN 32

struct ofp_table_features {
    uint8_t table_id;
    char name[OFP_MAX_TABLE_NAME_LEN];
    uint64_t metadata_match, metadata_write;
    uint32_t max_entries;
    uint8_t n_tables;           /* Tables in the switch: for next-tables. */
};

/* Builds the reply to 'rq' for 'n' tables, split into as many multipart
 * messages as the 64 kB limit needs (all but the last with REPLY_MORE).
 * Returns the number of messages; '*msgs' is a malloc'd array. */
size_t ofp_table_features_reply_encode(const struct ofp_msg_header *rq,
                                       const struct ofp_table_features *, size_t n,
                                       struct ofpbuf ***msgs);
/* Pulls one entry from a reply (or set request) body, checking the
 * framing of its properties. */
enum ofperr ofp_table_features_pull(struct ofpbuf *body, struct ofp_table_features *);
/* True if a table features request only asks (empty body); a request that
 * would reconfigure the tables is refused by the caller with
 * OFPERR_OFPTFFC_EPERM. */
bool ofp_table_features_request_is_query(const void *msg, size_t len);

#endif /* ofp-table.h */
