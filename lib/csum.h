/* The Internet checksum (RFC 1071), its incremental update (RFC 1624) and
 * the pseudo-headers of TCP/UDP/ICMPv6 over IPv4 and IPv6.
 *
 * A "partial" is a 32-bit one's complement accumulator of 16-bit words in
 * network byte order; csum_finish() folds it and returns the value to store
 * in a checksum field (network byte order). */
#ifndef VS_CSUM_H
#define VS_CSUM_H 1

#include <stddef.h>
#include <stdint.h>
#include "byte-order.h"

struct in6_addr;
struct ip_header;
struct ipv6_header;

/* Checksum of 'n' bytes: the value for a checksum field that was zero
 * while summing.  Summing data whose checksum field is correct gives 0. */
vs_be16 csum(const void *, size_t n);
/* Adds 'n' bytes to 'partial'.  An odd 'n' is padded with a zero byte, so
 * only the last call of a chain may have an odd length. */
uint32_t csum_continue(uint32_t partial, const void *, size_t n);
static inline uint32_t csum_add16(uint32_t partial, vs_be16 x) { return partial + x; }
static inline uint32_t csum_add32(uint32_t partial, vs_be32 x)
{
    return partial + (x >> 16) + (x & 0xffff);
}
vs_be16 csum_finish(uint32_t partial);

/* New checksum after a 16-, 32- or 128-bit field changed from 'old' to
 * 'new' (RFC 1624, eqn. 3), without touching the rest of the data. */
vs_be16 recalc_csum16(vs_be16 old_csum, vs_be16 old_u16, vs_be16 new_u16);
vs_be16 recalc_csum32(vs_be16 old_csum, vs_be32 old_u32, vs_be32 new_u32);
/* For 128-bit fields (IPv6 addresses) at any alignment: 16 bytes each. */
vs_be16 recalc_csum128(vs_be16 old_csum, const void *old_addr,
                       const void *new_addr);

/* Partial sums of the pseudo-headers.  'ip' must be a whole IPv4 header
 * (the L4 length comes from ip_tot_len minus the header length); for IPv6
 * the caller gives the upper-layer protocol and length because extension
 * headers may lie in between. */
uint32_t packet_csum_pseudoheader(const struct ip_header *ip);
uint32_t packet_csum_pseudoheader6(const struct ipv6_header *ip6,
                                   uint8_t l4_proto, uint32_t l4_len);

/* Checksum of an L4 segment ('l4', 'n' bytes, with its checksum field
 * zeroed or not: the result is what a correct field holds only when it was
 * zero; with a correct field in place the result is 0). */
vs_be16 packet_csum_l4_ipv4(const struct ip_header *, const void *l4, size_t n);
vs_be16 packet_csum_l4_ipv6(const struct ipv6_header *, uint8_t l4_proto,
                            const void *l4, size_t n);

/* CRC32c (Castagnoli) of 'n' bytes, as SCTP uses it (RFC 4960 appendix
 * B).  The result is in host order; SCTP stores it little-endian, so the
 * value for sctp_csum is htole32(crc32c(...)) computed with the field
 * zeroed. */
uint32_t crc32c(const void *, size_t n);

#endif /* csum.h */
