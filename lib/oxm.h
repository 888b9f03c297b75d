/* OXM: the TLV match encoding of OpenFlow 1.2+ ('struct ofp_match' of
 * type OFPMT_OXM), also used by set_field actions. */
#ifndef VS_OXM_H
#define VS_OXM_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ofp-errors.h"
#include "ofp-fields.h"

struct match;
struct ofpbuf;

/* Pulls a whole ofp_match (header, TLVs, padding to 8) from 'b' into
 * 'match'.  Checks lengths, duplicate fields, masks, values and
 * prerequisites; returns the OFPBMC_* error that fits. */
enum ofperr oxm_pull_match(struct ofpbuf *b, struct match *);
/* Decodes bare TLVs (no ofp_match header) of 'len' bytes. */
enum ofperr oxm_decode_fields(const uint8_t *p, size_t len, struct match *);

/* Appends an ofp_match with 'match' as OXM TLVs, padded to 8 bytes.
 * Returns the unpadded length. */
size_t oxm_put_match(struct ofpbuf *, const struct match *, uint8_t version);
/* Appends the TLVs alone (no header, no padding).  Registers go as
 * NXM_NX_REGn before OpenFlow 1.5 and as OXM_OF_PKT_REGn (xregs) from it. */
void oxm_put_fields(struct ofpbuf *, const struct match *, uint8_t version);
/* The same with the register encoding chosen by 'xregs' (NXM wants
 * OF1.5's other fields with OF1.0's registers). */
void oxm_put_fields__(struct ofpbuf *, const struct match *, uint8_t version,
                      bool xregs);

/* One TLV for 'field' (value and optional mask). */
void oxm_put_field(struct ofpbuf *, const struct ofp_field *,
                   const union ofp_value *value, const union ofp_value *mask,
                   uint8_t version);
/* Parses a single TLV at 'p' (for set_field): sets *field and *value,
 * consumes *len_out bytes.  Masked TLVs are refused (OFPBAC_BAD_SET_MASK
 * is not in OF1.3, so OFPBAC_BAD_SET_ARGUMENT). */
enum ofperr oxm_pull_one(const uint8_t *p, size_t len,
                         const struct ofp_field **field,
                         union ofp_value *value, union ofp_value *mask,
                         bool *has_mask, size_t *len_out);

#endif /* oxm.h */
