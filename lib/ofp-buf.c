/* Growable byte buffer for OpenFlow messages. */
#include <config.h>
#include "ofp-buf.h"

#include <stdlib.h>
#include <string.h>
#include "util.h"

void
ofpbuf_init(struct ofpbuf *b, size_t capacity)
{
    b->base = capacity ? xmalloc(capacity) : NULL;
    b->allocated = capacity;
    b->data = b->base;
    b->size = 0;
    b->is_const = false;
}

void
ofpbuf_uninit(struct ofpbuf *b)
{
    if (b && !b->is_const) {
        free(b->base);
    }
}

struct ofpbuf *
ofpbuf_new(size_t capacity)
{
    struct ofpbuf *b = xmalloc(sizeof *b);
    ofpbuf_init(b, capacity);
    return b;
}

void
ofpbuf_delete(struct ofpbuf *b)
{
    if (b) {
        ofpbuf_uninit(b);
        free(b);
    }
}

struct ofpbuf *
ofpbuf_clone(const struct ofpbuf *src)
{
    struct ofpbuf *b = ofpbuf_new(src->size);
    ofpbuf_put(b, src->data, src->size);
    return b;
}

void
ofpbuf_use_const(struct ofpbuf *b, const void *data, size_t size)
{
    b->base = (uint8_t *) data;
    b->allocated = size;
    b->data = (uint8_t *) data;
    b->size = size;
    b->is_const = true;
}

void
ofpbuf_clear(struct ofpbuf *b)
{
    b->data = b->base;
    b->size = 0;
}

void
ofpbuf_prealloc_tailroom(struct ofpbuf *b, size_t n)
{
    vs_assert(!b->is_const);
    size_t headroom = b->data - b->base;
    if (b->base && headroom + b->size + n <= b->allocated) {
        return;
    }
    size_t want = MAX(64, 2 * (headroom + b->size + n));
    uint8_t *base = xrealloc(b->base, want);
    b->data = base + headroom;
    b->base = base;
    b->allocated = want;
}

void *
ofpbuf_put_uninit(struct ofpbuf *b, size_t n)
{
    ofpbuf_prealloc_tailroom(b, n);
    void *p = b->data + b->size;
    b->size += n;
    return p;
}

void *
ofpbuf_put_zeros(struct ofpbuf *b, size_t n)
{
    void *p = ofpbuf_put_uninit(b, n);
    memset(p, 0, n);
    return p;
}

void *
ofpbuf_put(struct ofpbuf *b, const void *src, size_t n)
{
    void *p = ofpbuf_put_uninit(b, n);
    if (n) {
        memcpy(p, src, n);
    }
    return p;
}

void ofpbuf_put_u8(struct ofpbuf *b, uint8_t v) { *(uint8_t *) ofpbuf_put_uninit(b, 1) = v; }
void ofpbuf_put_be16(struct ofpbuf *b, uint16_t v) { put_be16(ofpbuf_put_uninit(b, 2), v); }
void ofpbuf_put_be32(struct ofpbuf *b, uint32_t v) { put_be32(ofpbuf_put_uninit(b, 4), v); }
void ofpbuf_put_be64(struct ofpbuf *b, uint64_t v) { put_be64(ofpbuf_put_uninit(b, 8), v); }

void
ofpbuf_pad_from(struct ofpbuf *b, size_t start, size_t align)
{
    size_t len = b->size - start;
    ofpbuf_put_zeros(b, ROUND_UP(len, align) - len);
}
