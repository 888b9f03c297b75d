/* Match encodings on the wire: OpenFlow 1.0's fixed 'ofp_match' (40 bytes,
 * wildcard bits) and, for 1.1+, OXM (see oxm.h), behind one interface. */
#ifndef VS_OFP_MATCH_H
#define VS_OFP_MATCH_H 1

#include <stdbool.h>
#include <stdint.h>
#include "ofp-errors.h"

struct match;
struct ofpbuf;

#define OFP10_MATCH_LEN 40

/* Pulls a match in the encoding of 'version' from 'b'. */
enum ofperr ofp_match_pull(struct ofpbuf *b, uint8_t version, struct match *);
/* Appends 'match' in the encoding of 'version'.  Returns 0, or an error
 * if OpenFlow 1.0 cannot express the match (e.g. IPv6, arbitrary masks);
 * the bytes then still hold the closest looser match. */
enum ofperr ofp_match_put(struct ofpbuf *b, uint8_t version, const struct match *);

enum ofperr ofp10_match_decode(const uint8_t *m, struct match *);
enum ofperr ofp10_match_encode(const struct match *, uint8_t *m);
/* True if OpenFlow 1.0 can express 'match' exactly. */
bool ofp10_match_is_expressible(const struct match *);

#endif /* ofp-match.h */
