/* Packet buffers. */
#include <config.h>
#include "dp-packet.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

static void
dp_packet_init__(struct dp_packet *b, void *base, size_t allocated,
                 enum dp_packet_source source)
{
    memset(b, 0, sizeof *b);
    b->base = base;
    b->allocated = allocated;
    b->source = source;
    dp_packet_reset_offsets(b);
}

void
dp_packet_init(struct dp_packet *b, size_t allocated)
{
    dp_packet_init__(b, allocated ? xmalloc(allocated) : NULL, allocated,
                     DPBUF_MALLOC);
}

/* 'base' is the caller's malloc()ed memory, now owned by 'b'. */
void
dp_packet_use(struct dp_packet *b, void *base, size_t allocated)
{
    dp_packet_init__(b, base, allocated, DPBUF_MALLOC);
}

/* 'base' stays the caller's; growing copies to malloc()ed memory. */
void
dp_packet_use_stub(struct dp_packet *b, void *base, size_t allocated)
{
    dp_packet_init__(b, base, allocated, DPBUF_STUB);
}

/* A read-only view of 'size' bytes at 'data' (e.g. for flow_extract()). */
void
dp_packet_use_const(struct dp_packet *b, const void *data, size_t size)
{
    dp_packet_init__(b, (void *) data, size, DPBUF_CONST);
    b->size = size;
}

void
dp_packet_uninit(struct dp_packet *b)
{
    if (b && b->source == DPBUF_MALLOC) {
        free(b->base);
        b->base = NULL;
    }
}

struct dp_packet *
dp_packet_new_with_headroom(size_t size, size_t headroom)
{
    struct dp_packet *b = xmalloc(sizeof *b);

    dp_packet_init(b, size + headroom);
    b->data_ofs = headroom;
    return b;
}

struct dp_packet *
dp_packet_new(size_t size)
{
    return dp_packet_new_with_headroom(size, DP_PACKET_DEFAULT_HEADROOM);
}

struct dp_packet *
dp_packet_clone_data(const void *data, size_t size)
{
    struct dp_packet *b = dp_packet_new(size);

    dp_packet_put(b, data, size);
    return b;
}

struct dp_packet *
dp_packet_clone(const struct dp_packet *src)
{
    struct dp_packet *b = dp_packet_clone_data(dp_packet_data(src), src->size);

    b->l2_5_ofs = src->l2_5_ofs;
    b->l3_ofs = src->l3_ofs;
    b->l4_ofs = src->l4_ofs;
    b->md = src->md;
    return b;
}

void
dp_packet_delete(struct dp_packet *b)
{
    if (b) {
        dp_packet_uninit(b);
        free(b);
    }
}

/* Moves the data into a new malloc()ed buffer with at least 'headroom' and
 * 'tailroom' bytes around it. */
static void
dp_packet_resize(struct dp_packet *b, size_t headroom, size_t tailroom)
{
    size_t allocated = headroom + b->size + tailroom;
    uint8_t *base;

    vs_assert(b->source != DPBUF_CONST);
    vs_assert(allocated <= UINT32_MAX);
    base = xmalloc(allocated ? allocated : 1);
    if (b->size) {
        memcpy(base + headroom, dp_packet_data(b), b->size);
    }
    if (b->source == DPBUF_MALLOC) {
        free(b->base);
    }
    b->base = base;
    b->allocated = allocated;
    b->data_ofs = headroom;
    b->source = DPBUF_MALLOC;
}

void
dp_packet_prealloc_tailroom(struct dp_packet *b, size_t n)
{
    if (n > dp_packet_tailroom(b)) {
        dp_packet_resize(b, dp_packet_headroom(b), MAX(n, 64 + b->size));
    }
}

void
dp_packet_prealloc_headroom(struct dp_packet *b, size_t n)
{
    if (n > dp_packet_headroom(b)) {
        dp_packet_resize(b, MAX(n, DP_PACKET_DEFAULT_HEADROOM),
                         dp_packet_tailroom(b));
    }
}

void *
dp_packet_put_uninit(struct dp_packet *b, size_t n)
{
    void *p;

    dp_packet_prealloc_tailroom(b, n);
    p = dp_packet_tail(b);
    b->size += n;
    return p;
}

void *
dp_packet_put_zeros(struct dp_packet *b, size_t n)
{
    void *p = dp_packet_put_uninit(b, n);
    memset(p, 0, n);
    return p;
}

void *
dp_packet_put(struct dp_packet *b, const void *data, size_t n)
{
    void *p = dp_packet_put_uninit(b, n);
    if (n) {
        memcpy(p, data, n);
    }
    return p;
}

void *
dp_packet_push_uninit(struct dp_packet *b, size_t n)
{
    dp_packet_prealloc_headroom(b, n);
    b->data_ofs -= n;
    b->size += n;
    return dp_packet_data(b);
}

void *
dp_packet_push(struct dp_packet *b, const void *data, size_t n)
{
    void *p = dp_packet_push_uninit(b, n);
    memcpy(p, data, n);
    return p;
}

void *
dp_packet_pull(struct dp_packet *b, size_t n)
{
    void *p = dp_packet_data(b);

    vs_assert(n <= b->size);
    b->data_ofs += n;
    b->size -= n;
    return p;
}

void
dp_packet_trim(struct dp_packet *b, size_t n)
{
    vs_assert(n <= b->size);
    b->size -= n;
}

void
dp_packet_clear(struct dp_packet *b)
{
    b->size = 0;
    dp_packet_reset_offsets(b);
}

static int
hex_value(int c)
{
    return (c >= '0' && c <= '9' ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
            : -1);
}

int
dp_packet_put_hex(struct dp_packet *b, const char *s)
{
    size_t n = 0;
    uint8_t *p;

    /* First pass validates and counts, so a bad string changes nothing. */
    for (const char *q = s; *q; q++) {
        if (hex_value(*q) >= 0) {
            n++;
        } else if (!isspace((unsigned char) *q) && *q != ':') {
            return EINVAL;
        }
    }
    if (n % 2) {
        return EINVAL;
    }
    p = dp_packet_put_uninit(b, n / 2);
    n = 0;
    for (const char *q = s; *q; q++) {
        int v = hex_value(*q);
        if (v >= 0) {
            p[n / 2] = n % 2 ? (p[n / 2] << 4) | v : v;
            n++;
        }
    }
    return 0;
}

/* Shifts recorded header offsets by 'delta' bytes (headers moved back). */
static void
dp_packet_adjust_offsets(struct dp_packet *b, int delta)
{
    uint16_t *ofs[] = { &b->l2_5_ofs, &b->l3_ofs, &b->l4_ofs };

    for (size_t i = 0; i < ARRAY_SIZE(ofs); i++) {
        if (*ofs[i] != DP_PACKET_OFS_NONE) {
            *ofs[i] += delta;
        }
    }
}

/* Returns the offset of the Ethernet type field that follows the VLAN
 * tags of the frame, or 0 if the tags run past the end. */
static size_t
eth_type_offset_after_vlans(const struct dp_packet *b)
{
    const uint8_t *data = dp_packet_data(b);
    size_t ofs = 2 * ETH_ADDR_LEN;

    for (;;) {
        vs_be16 type;

        if (ofs + 2 > b->size) {
            return 0;
        }
        memcpy(&type, data + ofs, 2);
        if (!eth_type_vlan(type)) {
            return ofs;
        }
        ofs += VLAN_HEADER_LEN;
    }
}

int
eth_push_vlan(struct dp_packet *b, vs_be16 tpid, vs_be16 tci)
{
    struct vlan_eth_header *veh;

    if (b->size < ETH_HEADER_LEN || b->source == DPBUF_CONST) {
        return EINVAL;
    }
    /* Make room in front, slide the MAC addresses there, write the tag. */
    veh = dp_packet_push_uninit(b, VLAN_HEADER_LEN);
    memmove(veh, (uint8_t *) veh + VLAN_HEADER_LEN, 2 * ETH_ADDR_LEN);
    veh->veth_type = tpid;
    veh->veth_tci = tci;
    dp_packet_adjust_offsets(b, VLAN_HEADER_LEN);
    return 0;
}

int
eth_pop_vlan(struct dp_packet *b)
{
    struct vlan_eth_header *veh = dp_packet_data(b);

    if (b->size < VLAN_ETH_HEADER_LEN || b->source == DPBUF_CONST
        || !eth_type_vlan(veh->veth_type)) {
        return EINVAL;
    }
    memmove((uint8_t *) veh + VLAN_HEADER_LEN, veh, 2 * ETH_ADDR_LEN);
    dp_packet_pull(b, VLAN_HEADER_LEN);
    dp_packet_adjust_offsets(b, -VLAN_HEADER_LEN);
    return 0;
}

int
eth_push_mpls(struct dp_packet *b, vs_be16 eth_type, vs_be32 lse)
{
    size_t type_ofs;
    uint8_t *data;

    if (b->source == DPBUF_CONST || !eth_type_mpls(eth_type)) {
        return EINVAL;
    }
    type_ofs = eth_type_offset_after_vlans(b);
    if (!type_ofs) {
        return EINVAL;
    }
    /* Everything up to and including the type field moves to the front. */
    data = dp_packet_push_uninit(b, MPLS_HLEN);
    memmove(data, data + MPLS_HLEN, type_ofs + 2);
    memcpy(data + type_ofs, &eth_type, 2);
    memcpy(data + type_ofs + 2, &lse, MPLS_HLEN);
    dp_packet_adjust_offsets(b, MPLS_HLEN);
    b->l2_5_ofs = type_ofs + 2;
    return 0;
}

int
eth_pop_mpls(struct dp_packet *b, vs_be16 next_type)
{
    size_t type_ofs;
    vs_be16 type;
    uint8_t *data;

    if (b->source == DPBUF_CONST) {
        return EINVAL;
    }
    type_ofs = eth_type_offset_after_vlans(b);
    if (!type_ofs || type_ofs + 2 + MPLS_HLEN > b->size) {
        return EINVAL;
    }
    data = dp_packet_data(b);
    memcpy(&type, data + type_ofs, 2);
    if (!eth_type_mpls(type)) {
        return EINVAL;
    }
    memcpy(data + type_ofs, &next_type, 2);
    memmove(data + MPLS_HLEN, data, type_ofs + 2);
    dp_packet_pull(b, MPLS_HLEN);
    dp_packet_adjust_offsets(b, -MPLS_HLEN);
    /* The new outermost header is at the old l2.5 offset (now shifted). */
    b->l2_5_ofs = eth_type_mpls(next_type) ? type_ofs + 2 : DP_PACKET_OFS_NONE;
    return 0;
}
