/* NXM: Nicira's TLV match format (OpenFlow 1.0 extensions, e.g. the
 * NXST_FLOW_MONITOR match), the ancestor of OXM.  Same TLV layout as OXM;
 * the classic fields live in class 0x0000 (NXM_OF_*) and 0x0001 (NXM_NX_*)
 * with their own numbers, in_port is 16 bits, ip_tos carries DSCP in
 * place, and the VLAN is one TCI field.  Open vSwitch also accepts OXM
 * TLVs inside an NXM match, and so do we.
 *
 * Both directions translate to and from OXM TLVs and reuse lib/oxm.c for
 * the field table, masks and prerequisites. */
#ifndef VS_NXM_H
#define VS_NXM_H 1

#include <stddef.h>
#include <stdint.h>
#include "ofp-errors.h"

struct match;
struct ofpbuf;

/* Decodes 'len' bytes of NXM (or OXM) TLVs into 'match'. */
enum ofperr nxm_decode_fields(const uint8_t *p, size_t len, struct match *);
/* Appends 'match' as NXM TLVs (no padding); returns their length.
 * Fields NXM lacks are written as OXM TLVs, as Open vSwitch does. */
size_t nxm_put_fields(struct ofpbuf *, const struct match *);

#endif /* nxm.h */
