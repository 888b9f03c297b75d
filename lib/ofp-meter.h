/* Meters (OpenFlow 1.3+): meter_mod, meter config/stats/features bodies
 * and the ovs-ofctl meter syntax
 *   "meter=1,kbps,burst,stats,band=type=drop,rate=1000,burst_size=100". */
#ifndef VS_OFP_METER_H
#define VS_OFP_METER_H 1

#include <stddef.h>
#include <stdint.h>
#include "ofp-errors.h"

struct ds;
struct ofpbuf;
struct ofp_msg_header;

enum { OFPMC_ADD = 0, OFPMC_MODIFY = 1, OFPMC_DELETE = 2 };
enum { OFPMF_KBPS = 1, OFPMF_PKTPS = 2, OFPMF_BURST = 4, OFPMF_STATS = 8 };
enum { OFPMBT_DROP = 1, OFPMBT_DSCP_REMARK = 2 };
#define OFPM_MAX 0xffff0000
#define OFPM_ALL 0xffffffff

struct ofp_meter_band {
    uint16_t type;
    uint32_t rate, burst_size;
    uint8_t prec_level;         /* DSCP remark only. */
};

struct ofp_meter_mod {
    uint16_t command;
    uint16_t flags;
    uint32_t meter_id;
    struct ofp_meter_band *bands;   /* Owned. */
    size_t n_bands;
};

void ofp_meter_mod_init(struct ofp_meter_mod *);
void ofp_meter_mod_uninit(struct ofp_meter_mod *);
enum ofperr ofp_meter_mod_decode(const void *msg, size_t len, struct ofp_meter_mod *);
enum ofperr ofp_meter_mod_encode(const struct ofp_meter_mod *, uint8_t version,
                                 uint32_t xid, struct ofpbuf **);

/* Meter config reply entries reuse the struct (command unused). */
void ofp_meter_config_append(struct ofpbuf *reply, const struct ofp_meter_mod *);
enum ofperr ofp_meter_config_pull(struct ofpbuf *body, struct ofp_meter_mod *);

struct ofp_meter_stats {
    uint32_t meter_id, flow_count;
    uint64_t packet_in_count, byte_in_count;
    uint32_t duration_sec, duration_nsec;
    size_t n_bands;
    uint64_t band_packets[8], band_bytes[8];    /* First 'n_bands'. */
};
/* Meter stats and config requests: one meter or OFPM_ALL. */
struct ofpbuf *ofp_meter_request_encode(int type, uint32_t meter_id,
                                        uint8_t version, uint32_t xid);
enum ofperr ofp_meter_request_decode(const void *msg, size_t len, uint32_t *meter_id);
void ofp_meter_stats_append(struct ofpbuf *reply, const struct ofp_meter_stats *);
enum ofperr ofp_meter_stats_pull(struct ofpbuf *body, struct ofp_meter_stats *);

struct ofp_meter_features {
    uint32_t max_meter, band_types, capabilities;
    uint8_t max_bands, max_color;
};
struct ofpbuf *ofp_meter_features_reply_encode(const struct ofp_meter_features *,
                                               const struct ofp_msg_header *rq);
enum ofperr ofp_meter_features_reply_decode(const void *msg, size_t len,
                                            struct ofp_meter_features *);

char *ofp_parse_meter_mod(const char *, int command, struct ofp_meter_mod *)
    __attribute__((warn_unused_result));
void ofp_meter_mod_format(const struct ofp_meter_mod *, struct ds *);

#endif /* ofp-meter.h */
