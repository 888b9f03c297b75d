/* Groups (OpenFlow 1.1+): group_mod, group desc/stats/features bodies,
 * and the ovs-ofctl group syntax
 *   "group_id=1,type=select,bucket=output:1,bucket=weight:50,actions=output:2". */
#ifndef VS_OFP_GROUP_H
#define VS_OFP_GROUP_H 1

#include <stdbool.h>
#include <stdint.h>
#include "ofp-actions.h"
#include "ofp-errors.h"

struct ds;
struct ofpbuf;
struct ofp_msg_header;

enum ofp_group_type { OFPGT_ALL = 0, OFPGT_SELECT = 1, OFPGT_INDIRECT = 2,
                      OFPGT_FF = 3 };
enum ofp_group_command { OFPGC_ADD = 0, OFPGC_MODIFY = 1, OFPGC_DELETE = 2 };

struct ofp_bucket {
    uint32_t bucket_id;         /* OF1.5; the index before. */
    uint16_t weight;
    uint32_t watch_port, watch_group;
    struct ofpacts ofpacts;     /* Owned. */
};

struct ofp_group_mod {
    uint16_t command;
    uint8_t type;
    uint32_t group_id;          /* OFPG_ALL for "delete all". */
    struct ofp_bucket *buckets; /* Owned. */
    size_t n_buckets;
    bool show_bucket_ids;       /* Print bucket ids (decoded from OF1.5). */
};

void ofp_group_mod_init(struct ofp_group_mod *);
void ofp_group_mod_uninit(struct ofp_group_mod *);
struct ofp_bucket *ofp_group_mod_add_bucket(struct ofp_group_mod *);
enum ofperr ofp_group_mod_decode(const void *msg, size_t len, struct ofp_group_mod *);
enum ofperr ofp_group_mod_encode(const struct ofp_group_mod *, uint8_t version,
                                 uint32_t xid, struct ofpbuf **);

/* Group desc reply entries use the same struct (command unused). */
enum ofperr ofp_group_desc_append(struct ofpbuf *reply, uint8_t version,
                                  const struct ofp_group_mod *);
enum ofperr ofp_group_desc_pull(struct ofpbuf *body, uint8_t version,
                                struct ofp_group_mod *);

struct ofp_group_stats {
    uint32_t group_id, ref_count;
    uint64_t packet_count, byte_count;
    uint32_t duration_sec, duration_nsec;
    size_t n_buckets;
    uint64_t *bucket_packets, *bucket_bytes;    /* 'n_buckets' each; owned. */
};
struct ofpbuf *ofp_group_stats_request_encode(uint32_t group_id, uint8_t version,
                                              uint32_t xid);
enum ofperr ofp_group_stats_request_decode(const void *msg, size_t len,
                                           uint32_t *group_id);
void ofp_group_stats_append(struct ofpbuf *reply, const struct ofp_group_stats *);
enum ofperr ofp_group_stats_pull(struct ofpbuf *body, struct ofp_group_stats *);
void ofp_group_stats_uninit(struct ofp_group_stats *);

struct ofp_group_features {
    uint32_t types, capabilities;
    uint32_t max_groups[4], actions[4];
};
struct ofpbuf *ofp_group_features_reply_encode(const struct ofp_group_features *,
                                               const struct ofp_msg_header *rq);
enum ofperr ofp_group_features_reply_decode(const void *msg, size_t len,
                                            struct ofp_group_features *);

/* Syntax.  'command' is OFPGC_*; for deletes only group_id is allowed. */
char *ofp_parse_group_mod(const char *, int command, struct ofp_group_mod *)
    __attribute__((warn_unused_result));
void ofp_group_mod_format(const struct ofp_group_mod *, struct ds *);

#endif /* ofp-group.h */
