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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ofp-errors.h"
#include "ofp-fields.h"

struct match;
struct ofpbuf;

/* Decodes 'len' bytes of NXM (or OXM) TLVs into 'match'. */
enum ofperr nxm_decode_fields(const uint8_t *p, size_t len, struct match *);
/* Appends 'match' as NXM TLVs (no padding); returns their length.
 * Fields NXM lacks are written as OXM TLVs, as Open vSwitch does. */
size_t nxm_put_fields(struct ofpbuf *, const struct match *);

/* Field names and headers as Nicira's load and move actions spell them
 * ("load:0x5->NXM_NX_IP_TTL[]"): the NXM header where NXM has the field
 * with vswitch's width, else the OXM one (OXM_OF_METADATA, OXM_OF_IN_PORT,
 * OXM_OF_PKT_REGn); NXM_OF_IN_PORT is the 16-bit view OFPF_NXM_IN_PORT.
 * Fields whose NXM form differs (vlan_tci, ip_tos) have none: returns
 * false / -1 for them.  nxm_field_from_name() takes the flow syntax's
 * names too ("reg0", "xreg1"; "in_port" is the 16-bit one). */
bool nxm_field_header(enum ofp_field_id, uint32_t *header, const char **name);
/* The field of header 'header' (its length must be the field's), or -1. */
int nxm_field_from_header(uint32_t header);
/* The field named 'name' ("NXM_OF_IP_SRC", "OXM_OF_METADATA"), or -1. */
int nxm_field_from_name(const char *name);

#endif /* nxm.h */
