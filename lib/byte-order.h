/* Network byte order types and 64-bit conversions.
 *
 * vs_be16/32/64 are plain integers holding a value in network byte order;
 * the names only document intent (use htons()/ntohs() and friends). */
#ifndef VS_BYTE_ORDER_H
#define VS_BYTE_ORDER_H 1

#include <arpa/inet.h>
#include <endian.h>
#include <stdint.h>

typedef uint16_t vs_be16;
typedef uint32_t vs_be32;
typedef uint64_t vs_be64;

static inline uint64_t vs_htonll(uint64_t x) { return htobe64(x); }
static inline uint64_t vs_ntohll(uint64_t x) { return be64toh(x); }

/* Compile-time constants in network byte order (usable in initializers). */
#if __BYTE_ORDER == __BIG_ENDIAN
#define VS_BE16(x) ((vs_be16) (x))
#define VS_BE32(x) ((vs_be32) (x))
#define VS_BE64(x) ((vs_be64) (x))
#else
#define VS_BE16(x) ((vs_be16) ((((uint16_t) (x) & 0xff) << 8) | ((uint16_t) (x) >> 8)))
#define VS_BE32(x) ((vs_be32) __builtin_bswap32((uint32_t) (x)))
#define VS_BE64(x) ((vs_be64) __builtin_bswap64((uint64_t) (x)))
#endif

#endif /* byte-order.h */
