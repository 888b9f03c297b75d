/* OpenFlow 1.5's own spellings of Nicira's load and move (private to
 * lib/ofp-actions.c), as Open vSwitch sends them from OF1.5 on:
 *   load:V->FIELD[bits]      OFPAT_SET_FIELD with a mask (a whole field:
 *                            without one)
 *   move:SRC[bits]->DST[bits]  OFPAT_COPY_FIELD (28)
 * Decoded into OFPACT_REG_LOAD / OFPACT_REG_MOVE, so a flow reads back in
 * any version. */
#ifndef VS_OFP_ACTIONS_OF15_H
#define VS_OFP_ACTIONS_OF15_H 1

#include <stddef.h>
#include <stdint.h>
#include "ofp-errors.h"
#include "ofp-fields.h"

struct ofpact;
struct ofpacts;
struct ofpbuf;

#define OFPAT_COPY_FIELD 28

/* A masked set_field of 'f': one load per run of mask bits (64 bits at
 * most each).  Fields loads cannot name are refused. */
enum ofperr of15_masked_set_field(const struct ofp_field *f,
                                  const union ofp_value *value,
                                  const union ofp_value *mask,
                                  struct ofpacts *);
/* OFPAT_COPY_FIELD, 'len' bytes at 'p' (the whole action). */
enum ofperr of15_decode_copy_field(const uint8_t *p, size_t len,
                                   struct ofpacts *);
/* Encoders of OFPACT_REG_LOAD and OFPACT_REG_MOVE for OF1.5+. */
void of15_put_load(const struct ofpact *, struct ofpbuf *);
void of15_put_copy_field(const struct ofpact *, struct ofpbuf *);

#endif /* ofp-actions-of15.h */
