/* Property lists (type be16, length be16 counting the 4-byte header and
 * the value but not the padding, value, zeros to a multiple of 8): those
 * of OpenFlow 1.3+ messages (port descriptions and mods, async config,
 * table mods and descriptions, table features, bundles, OF1.5 buckets),
 * and those NXT_PACKET_IN2 and NXAST_CONTROLLER2 carry.
 *
 * The encoders pad small values as Open vSwitch does (a be16 takes 4
 * bytes and a be64 starts after 4 zero bytes, so that it is aligned);
 * the captures in tests/test-ofp-pin2.c check the bytes. */
#ifndef VS_OFP_PROP_H
#define VS_OFP_PROP_H 1

#include <stddef.h>
#include <stdint.h>
#include "ofp-errors.h"

struct ofpbuf;

void ofpprop_put(struct ofpbuf *, uint16_t type, const void *value,
                 size_t len);
void ofpprop_put_u8(struct ofpbuf *, uint16_t type, uint8_t value);
void ofpprop_put_be16(struct ofpbuf *, uint16_t type, uint16_t host);
void ofpprop_put_be32(struct ofpbuf *, uint16_t type, uint32_t host);
void ofpprop_put_be64(struct ofpbuf *, uint16_t type, uint64_t host);
/* A property whose value the caller appends between start and end
 * (ofpprop_start() returns the offset to give ofpprop_end()). */
size_t ofpprop_start(struct ofpbuf *, uint16_t type);
void ofpprop_end(struct ofpbuf *, size_t start);

/* Pulls the next property from 'list' (which must start with one):
 * '*type' and the value (without padding) in 'value', which points into
 * 'list's data.  A length below 4 or past the end is OFPBPC_BAD_LEN; the
 * padding after the last property may be missing, as Open vSwitch allows
 * it. */
enum ofperr ofpprop_pull(struct ofpbuf *list, uint16_t *type,
                         struct ofpbuf *value);
/* Value readers: OFPBPC_BAD_LEN if 'value' is shorter than they read
 * (longer is fine: Open vSwitch pads be16 values to 4 bytes). */
enum ofperr ofpprop_parse_u8(const struct ofpbuf *value, uint8_t *);
enum ofperr ofpprop_parse_be16(const struct ofpbuf *value, uint16_t *);
enum ofperr ofpprop_parse_be32(const struct ofpbuf *value, uint32_t *);
/* A be64 value comes after 4 bytes of padding: exactly 12 bytes. */
enum ofperr ofpprop_parse_be64(const struct ofpbuf *value, uint64_t *);

#endif /* ofp-prop.h */
