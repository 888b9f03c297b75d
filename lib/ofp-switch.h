/* Switch-level OpenFlow messages in version-independent form: features,
 * switch config, packet-in, packet-out, ports (status, description,
 * stats), queues, role, async config, description and table stats.
 *
 * For each message: *_decode(msg, len, &struct) from a whole received
 * message, *_encode(&struct, version, xid) for a new one. */
#ifndef VS_OFP_SWITCH_H
#define VS_OFP_SWITCH_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "match.h"
#include "ofp-actions.h"
#include "ofp-errors.h"

struct ds;
struct ofpbuf;
struct ofp_msg_header;

/* ---- Ports. ---- */

#define OFP_MAX_PORT_NAME_LEN 16

/* Port config and state bits (OF1.3 values). */
enum {
    OFPPC_PORT_DOWN = 1 << 0, OFPPC_NO_RECV = 1 << 2,
    OFPPC_NO_FWD = 1 << 5, OFPPC_NO_PACKET_IN = 1 << 6,
};
enum { OFPPS_LINK_DOWN = 1 << 0, OFPPS_BLOCKED = 1 << 1, OFPPS_LIVE = 1 << 2 };

struct ofp_port {
    uint32_t port_no;
    struct eth_addr hw_addr;
    char name[OFP_MAX_PORT_NAME_LEN];   /* NUL-terminated. */
    uint32_t config, state;
    uint32_t curr, advertised, supported, peer;     /* OF1.3 feature bits. */
    uint32_t curr_speed, max_speed;                 /* kbps. */
};

/* Appends one port description in 'version's format. */
void ofp_port_put(struct ofpbuf *, const struct ofp_port *, uint8_t version);
/* An 8-byte port field: OF1.0's 16-bit port and 6 bytes of padding, or a
 * 32-bit port and 4 bytes of padding. */
void ofp_port_put_padded(struct ofpbuf *, uint32_t port, uint8_t version);
/* Pulls one port description; 0, or an error. */
enum ofperr ofp_port_pull(struct ofpbuf *, uint8_t version, struct ofp_port *);

enum ofp_port_reason { OFPPR_ADD = 0, OFPPR_DELETE = 1, OFPPR_MODIFY = 2 };
struct ofp_port_status {
    uint8_t reason;
    struct ofp_port desc;
};
struct ofpbuf *ofp_port_status_encode(const struct ofp_port_status *, uint8_t version);
enum ofperr ofp_port_status_decode(const void *msg, size_t len,
                                   struct ofp_port_status *);

struct ofp_port_mod {
    uint32_t port_no;
    struct eth_addr hw_addr;
    uint32_t config, mask, advertise;
};
struct ofpbuf *ofp_port_mod_encode(const struct ofp_port_mod *, uint8_t version,
                                   uint32_t xid);
enum ofperr ofp_port_mod_decode(const void *msg, size_t len, struct ofp_port_mod *);

/* ---- Features. ---- */

struct ofp_switch_features {
    uint64_t datapath_id;
    uint32_t n_buffers;
    uint8_t n_tables;
    uint8_t auxiliary_id;
    uint32_t capabilities;
    uint32_t actions;           /* OF1.0 only. */
    struct ofp_port *ports;     /* OF1.0 only; owned by the caller. */
    size_t n_ports;
};
/* Capabilities (OF1.3 bits). */
enum {
    OFPC_FLOW_STATS = 1 << 0, OFPC_TABLE_STATS = 1 << 1,
    OFPC_PORT_STATS = 1 << 2, OFPC_GROUP_STATS = 1 << 3,
    OFPC_IP_REASM = 1 << 5, OFPC_QUEUE_STATS = 1 << 6,
    OFPC_PORT_BLOCKED = 1 << 8,
};
struct ofpbuf *ofp_features_reply_encode(const struct ofp_switch_features *,
                                         const struct ofp_msg_header *rq);
/* On success 'features->ports' is malloc'd (OF1.0) or NULL. */
enum ofperr ofp_features_reply_decode(const void *msg, size_t len,
                                      struct ofp_switch_features *);

/* ---- Switch config. ---- */

enum { OFPC_FRAG_NORMAL = 0, OFPC_FRAG_DROP = 1, OFPC_FRAG_REASM = 2,
       OFPC_FRAG_MASK = 3 };
struct ofp_switch_config {
    uint16_t flags;
    uint16_t miss_send_len;
};
/* 'type' is OFPTYPE_SET_CONFIG or OFPTYPE_GET_CONFIG_REPLY. */
struct ofpbuf *ofp_switch_config_encode(int type, const struct ofp_switch_config *,
                                        uint8_t version, uint32_t xid);
enum ofperr ofp_switch_config_decode(const void *msg, size_t len,
                                     struct ofp_switch_config *);

/* ---- Packet-in and packet-out. ---- */

enum ofp_packet_in_reason {
    OFPR_NO_MATCH = 0, OFPR_ACTION = 1, OFPR_INVALID_TTL = 2,
    OFPR_ACTION_SET = 3, OFPR_GROUP = 4, OFPR_PACKET_OUT = 5,
};
struct ofp_packet_in {
    uint32_t buffer_id;         /* OFP_NO_BUFFER: 'packet' is all there is. */
    uint16_t total_len;         /* Length of the frame before truncation. */
    uint8_t reason;
    uint8_t table_id;
    uint64_t cookie;
    struct match metadata;      /* in_port, metadata, tun_id, registers
                                 * (exact). */
    const void *packet;         /* Not owned; points into the message. */
    size_t packet_len;
    uint16_t controller_id;     /* Not on the wire: only controllers with
                                 * this Nicira id (NXT_SET_CONTROLLER_ID,
                                 * default 0) get it. */
    const void *userdata;       /* controller(userdata=...): not owned; only
                                 * NXT_PACKET_IN2 carries it. */
    size_t userdata_len;
};
/* How many bytes of the packet a packet-in with 'max_len' carries: at most
 * 'max_len' (OFPCML_NO_BUFFER: all).  Every packet-in format cuts alike. */
size_t ofp_packet_in_data_len(const struct ofp_packet_in *, uint16_t max_len);
/* Encodes with at most 'max_len' bytes of the packet (OFPCML_NO_BUFFER:
 * all).  Reasons the version lacks become OFPR_ACTION. */
struct ofpbuf *ofp_packet_in_encode(const struct ofp_packet_in *, uint8_t version,
                                    uint16_t max_len);
enum ofperr ofp_packet_in_decode(const void *msg, size_t len,
                                 struct ofp_packet_in *);
/* The match a packet-in (OF1.1+ or Nicira's) carries for 'pin': in_port,
 * and metadata, tun_id and registers that are not zero, as exact values
 * (as Open vSwitch sends them). */
void ofp_packet_in_match(const struct ofp_packet_in *pin, struct match *);
/* Appends what every packet-in format prints alike, as ovs-ofctl does:
 * " total_len=N MATCH (via REASON) data_len=N (unbuffered)". */
void ofp_packet_in_format_body(const struct ofp_packet_in *, struct ds *);

struct ofp_packet_out {
    uint32_t buffer_id;
    uint32_t in_port;           /* OFPP_CONTROLLER if none. */
    struct ofpacts ofpacts;     /* Owned. */
    const void *packet;         /* Not owned; into the message. */
    size_t packet_len;
};
void ofp_packet_out_init(struct ofp_packet_out *);
void ofp_packet_out_uninit(struct ofp_packet_out *);
enum ofperr ofp_packet_out_decode(const void *msg, size_t len,
                                  struct ofp_packet_out *);
enum ofperr ofp_packet_out_encode(const struct ofp_packet_out *, uint8_t version,
                                  uint32_t xid, struct ofpbuf **);

/* ---- Controller role and async config. ---- */

enum ofp_controller_role {
    OFPCR_ROLE_NOCHANGE = 0, OFPCR_ROLE_EQUAL = 1,
    OFPCR_ROLE_MASTER = 2, OFPCR_ROLE_SLAVE = 3,
};
struct ofp_role_request {
    uint32_t role;
    bool have_generation_id;    /* False for EQUAL and NOCHANGE. */
    uint64_t generation_id;
};
/* 'type': OFPTYPE_ROLE_REQUEST or OFPTYPE_ROLE_REPLY. */
struct ofpbuf *ofp_role_encode(int type, const struct ofp_role_request *,
                               uint8_t version, uint32_t xid);
enum ofperr ofp_role_decode(const void *msg, size_t len, struct ofp_role_request *);

/* Nicira role request/reply (NXT_ROLE_REQUEST/REPLY): an experimenter
 * message with vendor 0x2320, how OpenFlow 1.0 controllers (os-ken's
 * NXTRoleRequest, Open vSwitch's tools) ask for a role.  It has no
 * generation id; its roles are "other" (= equal), master and slave.
 * nx_role_decode() returns OFPERR_OFPBRC_BAD_EXP_TYPE for any other
 * Nicira message and OFPERR_OFPBRC_BAD_EXPERIMENTER for other vendors. */
enum ofperr nx_role_decode(const void *msg, size_t len, bool *is_reply,
                           enum ofp_controller_role *);
struct ofpbuf *nx_role_encode(bool reply, enum ofp_controller_role,
                              uint8_t version, uint32_t xid);

/* Role status (OF1.4+): the switch tells a controller its role changed. */
enum { OFPCRR_MASTER_REQUEST = 0, OFPCRR_CONFIG = 1, OFPCRR_EXPERIMENTER = 2 };
struct ofp_role_status {
    uint32_t role;
    uint8_t reason;
    uint64_t generation_id;
};
struct ofpbuf *ofp_role_status_encode(const struct ofp_role_status *, uint8_t version);
enum ofperr ofp_role_status_decode(const void *msg, size_t len,
                                   struct ofp_role_status *);

/* Which async messages a controller gets, per role: [0] for master and
 * equal, [1] for slave; bit N enables reason N. */
struct ofp_async_config {
    uint32_t packet_in[2];
    uint32_t port_status[2];
    uint32_t flow_removed[2];
};
void ofp_async_config_default(struct ofp_async_config *);
/* 'type': OFPTYPE_SET_ASYNC_CONFIG or OFPTYPE_GET_ASYNC_REPLY. */
struct ofpbuf *ofp_async_config_encode(int type, const struct ofp_async_config *,
                                       uint8_t version, uint32_t xid);
/* Properties missing from an OF1.4+ message leave 'ac' as it was. */
enum ofperr ofp_async_config_decode(const void *msg, size_t len,
                                    struct ofp_async_config *);

/* ---- Table mod (OF1.1+): per-table config (eviction etc., OF1.4). ---- */

struct ofp_table_mod {
    uint8_t table_id;           /* OFPTT_ALL for every table. */
    uint32_t config;
};
/* OF1.4 table config bits: this table may evict flows when full; it
 * sends vacancy events (not implemented here). */
#define OFPTC_EVICTION (1u << 2)
#define OFPTC_VACANCY_EVENTS (1u << 3)

/* Appends to an OF1.4+ table description reply the entry of table
 * 'table_id' with 'config' (OFPTC_*), and its eviction property: what an
 * evicting table weighs, as Open vSwitch says it (other, importance,
 * lifetime). */
void ofp_table_desc_put(struct ofpbuf *reply, uint8_t table_id,
                        uint32_t config);
/* Pulls one table description off a reply's 'body': its table, config,
 * and eviction flags (-1 without an eviction property).  Returns 0, or
 * an OFPERR for a bad length. */
enum ofperr ofp_table_desc_pull(struct ofpbuf *body, uint8_t *table_id,
                                uint32_t *config, int64_t *eviction_flags);
struct ofpbuf *ofp_table_mod_encode(const struct ofp_table_mod *, uint8_t version,
                                    uint32_t xid);
enum ofperr ofp_table_mod_decode(const void *msg, size_t len, struct ofp_table_mod *);

/* ---- Multipart bodies. ---- */

struct ofp_desc_stats {
    char mfr_desc[256], hw_desc[256], sw_desc[256], serial_num[32], dp_desc[256];
};
struct ofpbuf *ofp_desc_stats_reply_encode(const struct ofp_desc_stats *,
                                           const struct ofp_msg_header *rq);
enum ofperr ofp_desc_stats_reply_decode(const void *msg, size_t len,
                                        struct ofp_desc_stats *);

struct ofp_table_stats {
    uint8_t table_id;
    uint32_t active_count;
    uint64_t lookup_count, matched_count;
};
void ofp_table_stats_append(struct ofpbuf *reply, uint8_t version,
                            const struct ofp_table_stats *);
enum ofperr ofp_table_stats_pull(struct ofpbuf *body, uint8_t version,
                                 struct ofp_table_stats *);

struct ofp_port_stats {
    uint32_t port_no;
    uint64_t rx_packets, tx_packets, rx_bytes, tx_bytes;
    uint64_t rx_dropped, tx_dropped, rx_errors, tx_errors;
    uint64_t rx_frame_err, rx_over_err, rx_crc_err, collisions;
    uint32_t duration_sec, duration_nsec;
};
/* Request: one port or OFPP_ANY. */
struct ofpbuf *ofp_port_stats_request_encode(uint32_t port, uint8_t version,
                                             uint32_t xid);
enum ofperr ofp_port_stats_request_decode(const void *msg, size_t len,
                                          uint32_t *port);
void ofp_port_stats_append(struct ofpbuf *reply, uint8_t version,
                           const struct ofp_port_stats *);
enum ofperr ofp_port_stats_pull(struct ofpbuf *body, uint8_t version,
                                struct ofp_port_stats *);

#define OFPQ_ALL 0xffffffff
struct ofp_queue_stats {
    uint32_t port_no, queue_id;
    uint64_t tx_bytes, tx_packets, tx_errors;
    uint32_t duration_sec, duration_nsec;
};
struct ofpbuf *ofp_queue_stats_request_encode(uint32_t port, uint32_t queue,
                                              uint8_t version, uint32_t xid);
enum ofperr ofp_queue_stats_request_decode(const void *msg, size_t len,
                                           uint32_t *port, uint32_t *queue);
void ofp_queue_stats_append(struct ofpbuf *reply, uint8_t version,
                            const struct ofp_queue_stats *);
enum ofperr ofp_queue_stats_pull(struct ofpbuf *body, uint8_t version,
                                 struct ofp_queue_stats *);

/* Describes messages of this module for ofp-print. */
enum ofperr ofp_switch_msg_format(const void *msg, size_t len,
                                  const struct ofp_msg_header *, struct ds *);

#endif /* ofp-switch.h */
