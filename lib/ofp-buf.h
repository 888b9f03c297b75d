/* A growable byte buffer for building and taking apart OpenFlow messages.
 *
 * Encoding appends at the tail (ofpbuf_put*); decoding consumes from the
 * head (ofpbuf_try_pull), never reading past 'size'.  Multi-byte values on
 * the wire are big-endian; the get/put helpers convert. */
#ifndef VS_OFP_BUF_H
#define VS_OFP_BUF_H 1

#include <endian.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct ofpbuf {
    uint8_t *base;          /* Owned unless 'is_const'; NULL when empty. */
    size_t allocated;
    uint8_t *data;          /* First valid byte. */
    size_t size;            /* Bytes from 'data'. */
    bool is_const;          /* Wraps caller's memory: never freed/grown. */
};

#define OFPBUF_INITIALIZER { NULL, 0, NULL, 0, false }

void ofpbuf_init(struct ofpbuf *, size_t capacity);
void ofpbuf_uninit(struct ofpbuf *);
struct ofpbuf *ofpbuf_new(size_t capacity);
void ofpbuf_delete(struct ofpbuf *);
struct ofpbuf *ofpbuf_clone(const struct ofpbuf *);
void ofpbuf_use_const(struct ofpbuf *, const void *, size_t);
void ofpbuf_clear(struct ofpbuf *);

void ofpbuf_prealloc_tailroom(struct ofpbuf *, size_t);
void *ofpbuf_put_uninit(struct ofpbuf *, size_t);
void *ofpbuf_put_zeros(struct ofpbuf *, size_t);
void *ofpbuf_put(struct ofpbuf *, const void *, size_t);
void ofpbuf_put_u8(struct ofpbuf *, uint8_t);
void ofpbuf_put_be16(struct ofpbuf *, uint16_t host);
void ofpbuf_put_be32(struct ofpbuf *, uint32_t host);
void ofpbuf_put_be64(struct ofpbuf *, uint64_t host);
/* Pads with zeros to a multiple of 'align' bytes from 'start'. */
void ofpbuf_pad_from(struct ofpbuf *, size_t start, size_t align);

/* Returns a pointer to 'n' bytes at offset 'ofs', or NULL if out of range. */
static inline void *
ofpbuf_at(const struct ofpbuf *b, size_t ofs, size_t n)
{
    return ofs <= b->size && n <= b->size - ofs ? b->data + ofs : NULL;
}

/* Consumes 'n' bytes from the head; NULL (and nothing consumed) if short. */
static inline const void *
ofpbuf_try_pull(struct ofpbuf *b, size_t n)
{
    if (n > b->size) {
        return NULL;
    }
    const void *p = b->data;
    b->data += n;
    b->size -= n;
    return p;
}

static inline uint16_t get_be16(const void *p)
{ uint16_t x; memcpy(&x, p, 2); return be16toh(x); }
static inline uint32_t get_be32(const void *p)
{ uint32_t x; memcpy(&x, p, 4); return be32toh(x); }
static inline uint64_t get_be64(const void *p)
{ uint64_t x; memcpy(&x, p, 8); return be64toh(x); }
static inline void put_be16(void *p, uint16_t v)
{ v = htobe16(v); memcpy(p, &v, 2); }
static inline void put_be32(void *p, uint32_t v)
{ v = htobe32(v); memcpy(p, &v, 4); }
static inline void put_be64(void *p, uint64_t v)
{ v = htobe64(v); memcpy(p, &v, 8); }

#endif /* ofp-buf.h */
