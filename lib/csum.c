/* Internet checksum and CRC32c. */
#include <config.h>
#include "csum.h"

#include <netinet/in.h>
#include <pthread.h>
#include <string.h>
#include "packets.h"

/* Folds a 64-bit sum of native-order loads into a 32-bit partial.  Summing
 * wider words is equivalent because 2^16 == 1 (mod 2^16 - 1). */
static uint32_t
fold64(uint64_t sum)
{
    sum = (sum & 0xffffffff) + (sum >> 32);
    sum = (sum & 0xffffffff) + (sum >> 32);
    return sum;
}

uint32_t
csum_continue(uint32_t partial, const void *data_, size_t n)
{
    const uint8_t *data = data_;
    uint64_t sum = partial;

    for (; n >= 4; n -= 4, data += 4) {
        uint32_t w;
        memcpy(&w, data, 4);
        sum += w;
    }
    if (n >= 2) {
        uint16_t w;
        memcpy(&w, data, 2);
        sum += w;
        n -= 2;
        data += 2;
    }
    if (n) {
        /* The odd byte is the high-order (first) byte of a zero-padded word. */
        uint8_t pad[2] = { data[0], 0 };
        uint16_t w;
        memcpy(&w, pad, 2);
        sum += w;
    }
    return fold64(sum);
}

vs_be16
csum_finish(uint32_t partial)
{
    while (partial >> 16) {
        partial = (partial & 0xffff) + (partial >> 16);
    }
    return ~partial & 0xffff;
}

vs_be16
csum(const void *data, size_t n)
{
    return csum_finish(csum_continue(0, data, n));
}

vs_be16
recalc_csum16(vs_be16 old_csum, vs_be16 old_u16, vs_be16 new_u16)
{
    /* RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'). */
    uint32_t hc = (uint16_t) ~old_csum;

    hc += (uint16_t) ~old_u16;
    hc += new_u16;
    return csum_finish(hc);
}

vs_be16
recalc_csum32(vs_be16 old_csum, vs_be32 old_u32, vs_be32 new_u32)
{
    return recalc_csum16(recalc_csum16(old_csum, old_u32, new_u32),
                         old_u32 >> 16, new_u32 >> 16);
}

vs_be16
recalc_csum128(vs_be16 old_csum, const void *old_addr_, const void *new_addr_)
{
    const uint8_t *old_addr = old_addr_, *new_addr = new_addr_;

    for (int i = 0; i < 16; i += 2) {
        vs_be16 o, n;
        memcpy(&o, old_addr + i, 2);
        memcpy(&n, new_addr + i, 2);
        old_csum = recalc_csum16(old_csum, o, n);
    }
    return old_csum;
}

uint32_t
packet_csum_pseudoheader(const struct ip_header *ip)
{
    uint16_t hlen = IP_IHL(ip->ip_ihl_ver) * 4;
    uint16_t tot_len = ntohs(ip->ip_tot_len);
    uint32_t partial = 0;

    partial = csum_add32(partial, ip->ip_src);
    partial = csum_add32(partial, ip->ip_dst);
    partial = csum_add16(partial, htons(ip->ip_proto));
    partial = csum_add16(partial, htons(tot_len > hlen ? tot_len - hlen : 0));
    return partial;
}

uint32_t
packet_csum_pseudoheader6(const struct ipv6_header *ip6, uint8_t l4_proto,
                          uint32_t l4_len)
{
    uint32_t partial = 0;

    partial = csum_continue(partial, &ip6->ip6_src, sizeof ip6->ip6_src);
    partial = csum_continue(partial, &ip6->ip6_dst, sizeof ip6->ip6_dst);
    partial = csum_add32(partial, htonl(l4_len));
    partial = csum_add16(partial, htons(l4_proto));
    return partial;
}

vs_be16
packet_csum_l4_ipv4(const struct ip_header *ip, const void *l4, size_t n)
{
    return csum_finish(csum_continue(packet_csum_pseudoheader(ip), l4, n));
}

vs_be16
packet_csum_l4_ipv6(const struct ipv6_header *ip6, uint8_t l4_proto,
                    const void *l4, size_t n)
{
    uint32_t partial = packet_csum_pseudoheader6(ip6, l4_proto, n);
    return csum_finish(csum_continue(partial, l4, n));
}

/* Reflected CRC32c, polynomial 0x1edc6f41 (reversed 0x82f63b78), computed
 * bytewise from a table built on first use. */
static uint32_t crc32c_table[256];

static void
crc32c_init_table(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) {
            c = c & 1 ? (c >> 1) ^ 0x82f63b78 : c >> 1;
        }
        crc32c_table[i] = c;
    }
}

uint32_t
crc32c(const void *data_, size_t n)
{
    const uint8_t *data = data_;
    uint32_t crc = 0xffffffff;

    static pthread_once_t once = PTHREAD_ONCE_INIT;

    pthread_once(&once, crc32c_init_table);
    while (n--) {
        crc = crc32c_table[(crc ^ *data++) & 0xff] ^ (crc >> 8);
    }
    return ~crc;
}
