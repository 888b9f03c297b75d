/* Message framing over a byte stream. */
#include <config.h>
#include "ofp-framer.h"

#include <errno.h>
#include <string.h>
#include "ofp-msgs.h"
#include "util.h"

void
ofp_framer_init(struct ofp_framer *f)
{
    ofpbuf_init(&f->buf, 0);
}

void
ofp_framer_destroy(struct ofp_framer *f)
{
    ofpbuf_uninit(&f->buf);
}

void
ofp_framer_put(struct ofp_framer *f, const void *data, size_t n)
{
    /* Move the unconsumed tail to the front before growing, so a long
     * connection does not grow the buffer without bound. */
    if (f->buf.data != f->buf.base && f->buf.size) {
        memmove(f->buf.base, f->buf.data, f->buf.size);
    }
    f->buf.data = f->buf.base;
    ofpbuf_put(&f->buf, data, n);
}

struct ofpbuf *
ofp_framer_next(struct ofp_framer *f, int *error)
{
    *error = 0;
    int len = ofp_frame_length(f->buf.data, f->buf.size);
    if (len < 0) {
        *error = EPROTO;
        return NULL;
    }
    if (!len || (size_t) len > f->buf.size) {
        return NULL;
    }
    struct ofpbuf *msg = ofpbuf_new(len);
    ofpbuf_put(msg, ofpbuf_try_pull(&f->buf, len), len);
    return msg;
}

size_t
ofp_framer_pending(const struct ofp_framer *f)
{
    return f->buf.size;
}
