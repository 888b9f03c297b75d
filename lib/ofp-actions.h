/* Version-independent OpenFlow actions and instructions ("ofpacts").
 *
 * A flow's instructions are one flat array of 'struct ofpact' in the
 * order OpenFlow 1.1+ executes them: meter, the apply-actions list (plain
 * actions), clear_actions, write_actions (an OFPACT_WRITE_ACTIONS entry
 * followed by its 'n_nested' actions), write_metadata, goto_table.
 * OpenFlow 1.0 flows have only plain actions.
 *
 * Decoders check every length, type and argument and return the OFPBAC_*
 * or OFPBIC_* error that fits; encoders translate actions that the target
 * version spells differently (mod_vlan_vid becomes set_field in 1.1+, and
 * back). */
#ifndef VS_OFP_ACTIONS_H
#define VS_OFP_ACTIONS_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ofp-errors.h"
#include "ofp-fields.h"
#include "packets.h"

struct ds;
struct match;
struct ofpbuf;

enum ofpact_type {
    OFPACT_OUTPUT,              /* u.output */
    OFPACT_ENQUEUE,             /* u.enqueue (OF1.0) */
    OFPACT_GROUP,               /* u.id */
    OFPACT_SET_QUEUE,           /* u.id */
    OFPACT_POP_QUEUE,           /* Back to the queue the packet came with. */
    OFPACT_SET_VLAN_VID,        /* u.vlan: mod_vlan_vid */
    OFPACT_SET_VLAN_PCP,        /* u.vlan: mod_vlan_pcp */
    OFPACT_STRIP_VLAN,          /* u.u8 != 0: spelled strip_vlan (OF1.0). */
    OFPACT_PUSH_VLAN,           /* u.ethertype */
    OFPACT_PUSH_MPLS,           /* u.ethertype */
    OFPACT_POP_MPLS,            /* u.ethertype */
    OFPACT_SET_ETH_SRC,         /* u.mac */
    OFPACT_SET_ETH_DST,         /* u.mac */
    OFPACT_SET_IPV4_SRC,        /* u.ipv4 */
    OFPACT_SET_IPV4_DST,        /* u.ipv4 */
    OFPACT_SET_IP_DSCP,         /* u.u8: the ToS byte, DSCP << 2 */
    OFPACT_SET_L4_SRC,          /* u.l4 */
    OFPACT_SET_L4_DST,          /* u.l4 */
    OFPACT_SET_FIELD,           /* u.set_field */
    /* Nicira extension actions (experimenter actions in OF1.1+ too). */
    OFPACT_RESUBMIT,            /* u.resubmit */
    OFPACT_REG_LOAD,            /* u.load: "load:V->NXM_...[ofs..end]" */
    OFPACT_REG_MOVE,            /* u.move: "move:SRC[..]->DST[..]" */
    OFPACT_OUTPUT_REG,          /* u.output_reg: "output:reg0[0..15]" */
    OFPACT_LEARN,               /* u.learn; 'n_nested' OFPACT_LEARN_SPEC
                                 * entries follow (lib/ofp-learn.h). */
    OFPACT_LEARN_SPEC,          /* u.learn_spec: one of a learn's specs. */
    OFPACT_NOTE,                /* u.note: opaque bytes, no effect */
    OFPACT_NOTE_MORE,           /* u.note_more: the rest of a long note. */
    OFPACT_EXIT,                /* Stops all further actions. */
    OFPACT_FIN_TIMEOUT,         /* u.fin_timeout: NXAST_FIN_TIMEOUT. */
    OFPACT_CONTROLLER,          /* u.controller */
    OFPACT_SET_NW_TTL,          /* u.u8 */
    OFPACT_DEC_TTL,
    OFPACT_SET_MPLS_TTL,        /* u.u8 */
    OFPACT_DEC_MPLS_TTL,
    OFPACT_COPY_TTL_OUT,
    OFPACT_COPY_TTL_IN,
    OFPACT_SET_TUNNEL,          /* u.tunnel: Nicira set_tunnel(64). */
    /* Instructions (OF1.1+). */
    OFPACT_METER,               /* u.id */
    OFPACT_CLEAR_ACTIONS,
    OFPACT_WRITE_ACTIONS,       /* 'n_nested' actions follow. */
    OFPACT_WRITE_METADATA,      /* u.metadata */
    OFPACT_GOTO_TABLE,          /* u.u8 */
    OFPACT_N_TYPES
};

/* A note's first OFPACT_NOTE_MAX bytes are in its OFPACT_NOTE; longer
 * notes go on in OFPACT_NOTE_MORE entries right after it, as many as
 * ofpact_note_n_more() says (so 'struct ofpact' does not grow for a rare
 * long note).  Everything but the note's encoder and printer skips them:
 * they have no effect. */
#define OFPACT_NOTE_MAX 22
#define OFPACT_NOTE_MORE_BYTES 24
/* Longest note kept: a flow with it still fits in every reply format. */
#define OFPACT_NOTE_LIMIT 32768
/* Most controller ids a dec_ttl may name (again what fits). */
#define OFPACT_DEC_TTL_MAX_IDS 10

/* Max length sent to the controller: whole packet, no buffering. */
#define OFPCML_NO_BUFFER 0xffff

struct ofpact {
    enum ofpact_type type;
    uint16_t n_nested;
    union {
        struct { uint32_t port; uint16_t max_len; } output;
        struct { uint32_t port; uint32_t queue; } enqueue;
        uint32_t id;
        struct {
            uint16_t vid;
            uint8_t pcp;
            /* Pushes a tag first if there is none (as ovs-ofctl's
             * mod_vlan_*): set when the flow's match does not require a
             * tag; OF1.1+ then encodes push_vlan + set_field. */
            bool push;
        } vlan;
        uint16_t ethertype;
        uint8_t u8;
        struct eth_addr mac;
        uint32_t ipv4;                          /* Network order. */
        struct { uint16_t port; uint8_t proto; } l4;    /* Host order. */
        struct { uint64_t value, mask; } metadata;      /* Host order. */
        struct {
            uint32_t in_port;   /* OFPP_IN_PORT: the packet's own. */
            uint8_t table;      /* 255: the current table. */
        } resubmit;
        struct {
            enum ofp_field_id field;
            uint8_t ofs, n_bits;    /* Bits [ofs, ofs + n_bits) of it. */
            /* One load as the user wrote it (wider than 64 bits) or one
             * OF1.5 masked set_field: the first has 'n_more' loads of the
             * same field right after it, marked 'more'.  OF1.5 encodes
             * them as one set_field again, as Open vSwitch does. */
            uint8_t n_more;
            bool more;
            uint64_t value;         /* Host order, in the low n_bits. */
        } load;
        struct {
            enum ofp_field_id src, dst;
            uint8_t src_ofs, dst_ofs, n_bits;
        } move;
        struct {
            enum ofp_field_id src;
            uint8_t ofs, n_bits;    /* The port is bits [ofs, ofs + n_bits). */
            uint16_t max_len;       /* For output to the controller. */
        } output_reg;
        struct {
            uint16_t len;       /* Whole note, OFPACT_NOTE_MORE bytes too. */
            uint8_t data[OFPACT_NOTE_MAX];
        } note;
        uint8_t note_more[OFPACT_NOTE_MORE_BYTES];
        struct {
            uint64_t cookie;
            uint16_t idle_timeout, hard_timeout;
            uint16_t fin_idle_timeout, fin_hard_timeout;
            uint16_t priority;
            uint16_t flags;             /* NX_LEARN_F_*. */
            uint8_t table_id;
        } learn;
        struct {
            union ofp_value imm;        /* Immediate source: the low
                                         * 'n_bits' of a 128-bit number. */
            uint8_t src, src_ofs;       /* Field source (enum ofp_field_id). */
            uint8_t dst, dst_ofs;       /* Match or load destination. */
            uint8_t n_bits;
            uint8_t kind;               /* NX_LEARN_SRC_* | NX_LEARN_DST_*,
                                         * as on the wire (>> 8). */
        } learn_spec;
        struct {
            uint16_t max_len;
            uint16_t id;        /* Controller id (NXT_SET_CONTROLLER_ID). */
            uint8_t reason;     /* OFPR_* of the packet-in. */
            uint16_t userdata_len;  /* Bytes in the OFPACT_NOTE_MORE entries
                                     * after it (ofp-actions-controller2.h). */
        } controller;
        struct {                /* OFPACT_DEC_TTL: "dec_ttl(1,2)". */
            uint8_t n_ids;      /* 0: plain dec_ttl (controller id 0). */
            uint16_t ids[OFPACT_DEC_TTL_MAX_IDS];
        } dec_ttl;
        struct {
            enum ofp_field_id field;
            union ofp_value value;
        } set_field;
        struct {
            uint64_t id;                        /* Host order. */
            bool is64;                          /* Spelled set_tunnel64. */
        } tunnel;
        struct {                /* Seconds, 0: leave that timeout be. */
            uint16_t idle, hard;
        } fin_timeout;
    } u;
};

struct ofpacts {
    struct ofpact *acts;        /* Owned. */
    size_t n, allocated;
};

#define OFPACTS_INITIALIZER { NULL, 0, 0 }
void ofpacts_init(struct ofpacts *);
void ofpacts_uninit(struct ofpacts *);
void ofpacts_clear(struct ofpacts *);
void ofpacts_clone(struct ofpacts *dst, const struct ofpacts *src);
/* Appends a zeroed ofpact of 'type' and returns it. */
struct ofpact *ofpact_put(struct ofpacts *, enum ofpact_type);
/* Appends a note of 'len' (<= OFPACT_NOTE_LIMIT) bytes. */
void ofpact_put_note(struct ofpacts *, const uint8_t *data, size_t len);
/* Bytes carried in OFPACT_NOTE_MORE entries (the rest of a long note, a
 * controller action's userdata): appends 'len' bytes as entries of 'o';
 * copies 'len' bytes out of the entries from 'more' on. */
void ofpact_put_more(struct ofpacts *, const uint8_t *data, size_t len);
void ofpact_get_more(const struct ofpact *more, size_t len, uint8_t *out);
/* OFPACT_NOTE_MORE entries after note 'a'; byte 'i' of the note. */
size_t ofpact_note_n_more(const struct ofpact *a);
uint8_t ofpact_note_byte(const struct ofpact *a, size_t i);
bool ofpacts_equal(const struct ofpacts *, const struct ofpacts *);
/* True if some action outputs to 'port' (also inside write_actions). */
bool ofpacts_output_to_port(const struct ofpacts *, uint32_t port);
bool ofpacts_output_to_group(const struct ofpacts *, uint32_t group);
const char *ofpact_name(enum ofpact_type);

/* Decodes 'len' bytes of actions (an action list) for 'version'. */
enum ofperr ofpacts_pull_actions(struct ofpbuf *, size_t len, uint8_t version,
                                 struct ofpacts *);
/* Decodes 'len' bytes of OF1.1+ instructions; for OF1.0, actions. */
enum ofperr ofpacts_pull_instructions(struct ofpbuf *, size_t len,
                                      uint8_t version, struct ofpacts *);

/* Encoders.  Return 0 or an error if 'version' cannot express an action
 * (e.g. group in OF1.0); nothing useful is then in 'b'. */
enum ofperr ofpacts_put_actions(const struct ofpact *, size_t n,
                                struct ofpbuf *, uint8_t version);
enum ofperr ofpacts_put_instructions(const struct ofpacts *, struct ofpbuf *,
                                     uint8_t version);

/* Consistency of 'ofpacts' with a flow in table 'table_id' matching
 * 'match' (set_field prerequisites, goto_table forward only, instruction
 * order).  'n_tables' bounds goto_table. */
enum ofperr ofpacts_check(const struct ofpacts *, const struct match *,
                          uint8_t table_id, uint8_t n_tables);

/* Runs the load action 'a' (OFPACT_REG_LOAD) on 'flow'. */
struct flow;
void ofpact_load_apply(const struct ofpact *a, struct flow *);
/* Runs the move action 'a' (OFPACT_REG_MOVE) on 'flow'. */
void ofpact_move_apply(const struct ofpact *a, struct flow *);
/* Bits [ofs, ofs + n_bits) of field 'id' in 'flow' ('n_bits' <= 64). */
uint64_t ofpact_subfield_read(enum ofp_field_id id, unsigned int ofs,
                              unsigned int n_bits, const struct flow *);

/* Formats like ovs-ofctl: "output:2,mod_vlan_vid:10" or "drop". */
void ofpacts_format(const struct ofpacts *, struct ds *);
void ofp_port_format(uint32_t port, struct ds *);
/* Parses a port number or name ("LOCAL", "CONTROLLER"...); false if bad. */
bool ofp_port_parse(const char *, uint32_t *port);

#endif /* ofp-actions.h */
