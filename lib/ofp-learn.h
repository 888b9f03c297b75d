/* Nicira's learn action (NXAST_LEARN): a flow that adds flows.
 *
 *   learn(table=1,hard_timeout=60,NXM_OF_VLAN_TCI[0..11],
 *         NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],
 *         load:NXM_OF_IN_PORT[]->NXM_NX_REG0[0..15],output:NXM_OF_IN_PORT[])
 *
 * In ofpacts an OFPACT_LEARN (table, timeouts, priority, cookie, flags) is
 * followed by 'n_nested' OFPACT_LEARN_SPEC entries, one per spec:
 *   FIELD[bits]               match the learned flow on these bits of the
 *                             packet (same field as source and destination)
 *   DST[bits]=SRC[bits]       match DST on the packet's SRC bits
 *   DST[bits]=VALUE, name=VALUE   match on a constant
 *   load:SRC[bits]->DST[bits], load:VALUE->DST[bits]
 *                             a load action in the learned flow
 *   output:SRC[bits]          output to the port in the packet's SRC bits
 * Everything outside this module skips the spec entries.  Decoding checks
 * lengths, fields and widths; ofpacts_check() calls learn_check(). */
#ifndef VS_OFP_LEARN_H
#define VS_OFP_LEARN_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ofp-errors.h"

struct ds;
struct flow;
struct match;
struct ofp_flow_mod;
struct ofpact;
struct ofpacts;
struct ofpbuf;

#define NXAST_LEARN 16

/* Flags (u.learn.flags), as on the wire. */
enum {
    NX_LEARN_F_SEND_FLOW_REM = 1 << 0,
    NX_LEARN_F_DELETE_LEARNED = 1 << 1,
};

/* Spec header bits, as on the wire (u.learn_spec.kind is them >> 8). */
enum {
    NX_LEARN_N_BITS_MASK = 0x3ff,
    NX_LEARN_SRC_FIELD = 0 << 13,
    NX_LEARN_SRC_IMMEDIATE = 1 << 13,
    NX_LEARN_SRC_MASK = 1 << 13,
    NX_LEARN_DST_MATCH = 0 << 11,
    NX_LEARN_DST_LOAD = 1 << 11,
    NX_LEARN_DST_OUTPUT = 2 << 11,
    NX_LEARN_DST_MASK = 3 << 11,
};

/* 'p' is the whole action ('len' bytes). */
enum ofperr learn_decode(const uint8_t *p, size_t len, struct ofpacts *);
/* 'a' is the OFPACT_LEARN, its specs after it. */
void learn_encode(const struct ofpact *a, struct ofpbuf *);
void learn_format(const struct ofpact *a, struct ds *);
/* 'arg' is what is inside "learn(...)"; modified.  Error string or NULL. */
char *learn_parse(char *arg, struct ofpacts *);
/* Source fields readable under 'match'; the learned flow's match and loads
 * have their prerequisites (in spec order, as Open vSwitch checks). */
enum ofperr learn_check(const struct ofpact *a, const struct match *);

/* The flow_mod that learn 'a' makes for a packet now described by 'flow'
 * ('fm' initialized by the caller).  Marks in '*read' (a mask flow, may be
 * NULL) the bits of 'flow' it read.  A learn with fin timeouts gives the
 * flow a fin_timeout action first, as Open vSwitch does. */
void learn_execute(const struct ofpact *a, const struct flow *flow,
                   struct ofp_flow_mod *fm, struct flow *read);

#endif /* ofp-learn.h */
