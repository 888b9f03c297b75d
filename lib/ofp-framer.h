/* Cuts a byte stream (from lib/stream) into whole OpenFlow messages.
 *
 *     struct ofp_framer f;
 *     ofp_framer_init(&f);
 *     ...on readable: n = stream_recv(s, buf, sizeof buf);
 *     ofp_framer_put(&f, buf, n);
 *     while ((msg = ofp_framer_next(&f, &error)) != NULL) { handle; free }
 *     if (error) { close: the peer's length field is unusable }
 *
 * Keeps at most one partial message plus what the caller hands it. */
#ifndef VS_OFP_FRAMER_H
#define VS_OFP_FRAMER_H 1

#include <stddef.h>
#include "ofp-buf.h"

struct ofp_framer {
    struct ofpbuf buf;          /* Unconsumed bytes. */
};

void ofp_framer_init(struct ofp_framer *);
void ofp_framer_destroy(struct ofp_framer *);
void ofp_framer_put(struct ofp_framer *, const void *, size_t);
/* Returns the next complete message (caller owns it) or NULL.  Sets
 * '*error' to EPROTO (and returns NULL) if a header's length is less
 * than 8: the stream cannot be resynchronized and must be closed. */
struct ofpbuf *ofp_framer_next(struct ofp_framer *, int *error);
/* Bytes received but not yet returned as messages. */
size_t ofp_framer_pending(const struct ofp_framer *);

#endif /* ofp-framer.h */
