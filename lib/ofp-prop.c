/* Nicira property lists (see ofp-prop.h). */
#include <config.h>
#include "ofp-prop.h"

#include <string.h>
#include "ofp-buf.h"
#include "util.h"

#define PROP_HEADER_LEN 4

size_t
ofpprop_start(struct ofpbuf *b, uint16_t type)
{
    size_t start = b->size;
    ofpbuf_put_be16(b, type);
    ofpbuf_put_be16(b, 0);          /* Length: ofpprop_end(). */
    return start;
}

void
ofpprop_end(struct ofpbuf *b, size_t start)
{
    put_be16(b->data + start + 2, b->size - start);
    ofpbuf_pad_from(b, start, 8);
}

void
ofpprop_put(struct ofpbuf *b, uint16_t type, const void *value, size_t len)
{
    size_t start = ofpprop_start(b, type);
    if (len) {
        ofpbuf_put(b, value, len);
    }
    ofpprop_end(b, start);
}

void
ofpprop_put_u8(struct ofpbuf *b, uint16_t type, uint8_t value)
{
    ofpprop_put(b, type, &value, 1);
}

void
ofpprop_put_be16(struct ofpbuf *b, uint16_t type, uint16_t host)
{
    /* OpenFlow gives 16-bit properties a length of 8, not 6. */
    uint8_t v[4] = { host >> 8, host & 0xff, 0, 0 };
    ofpprop_put(b, type, v, sizeof v);
}

void
ofpprop_put_be32(struct ofpbuf *b, uint16_t type, uint32_t host)
{
    uint8_t v[4];
    put_be32(v, host);
    ofpprop_put(b, type, v, sizeof v);
}

void
ofpprop_put_be64(struct ofpbuf *b, uint16_t type, uint64_t host)
{
    uint8_t v[12] = { 0 };          /* 4 pad bytes align the value. */
    put_be64(v + 4, host);
    ofpprop_put(b, type, v, sizeof v);
}

enum ofperr
ofpprop_pull(struct ofpbuf *list, uint16_t *type, struct ofpbuf *value)
{
    const uint8_t *h = ofpbuf_at(list, 0, PROP_HEADER_LEN);
    if (!h) {
        return OFPERR_OFPBPC_BAD_LEN;
    }
    size_t len = get_be16(h + 2);
    if (len < PROP_HEADER_LEN || len > list->size) {
        return OFPERR_OFPBPC_BAD_LEN;
    }
    *type = get_be16(h);
    ofpbuf_use_const(value, h + PROP_HEADER_LEN, len - PROP_HEADER_LEN);
    ofpbuf_try_pull(list, MIN(ROUND_UP(len, 8), list->size));
    return 0;
}

enum ofperr
ofpprop_parse_u8(const struct ofpbuf *value, uint8_t *x)
{
    if (value->size < 1) {
        return OFPERR_OFPBPC_BAD_LEN;
    }
    *x = value->data[0];
    return 0;
}

enum ofperr
ofpprop_parse_be16(const struct ofpbuf *value, uint16_t *x)
{
    if (value->size < 2) {
        return OFPERR_OFPBPC_BAD_LEN;
    }
    *x = get_be16(value->data);
    return 0;
}

enum ofperr
ofpprop_parse_be32(const struct ofpbuf *value, uint32_t *x)
{
    if (value->size < 4) {
        return OFPERR_OFPBPC_BAD_LEN;
    }
    *x = get_be32(value->data);
    return 0;
}

enum ofperr
ofpprop_parse_be64(const struct ofpbuf *value, uint64_t *x)
{
    if (value->size != 12) {
        return OFPERR_OFPBPC_BAD_LEN;
    }
    *x = get_be64(value->data + 4);
    return 0;
}
