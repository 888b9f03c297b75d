/* Address parsing and formatting for Ethernet, IPv4 and IPv6. */
#include <config.h>
#include "packets.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "dynamic-string.h"
#include "util.h"

const struct in6_addr in6addr_exact = { { {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } } };

/* Parses exactly one Ethernet address at the start of 's'; returns the
 * number of characters consumed or 0. */
static size_t
eth_addr_scan(const char *s, struct eth_addr *ea)
{
    const char *p = s;

    for (int i = 0; i < ETH_ADDR_LEN; i++) {
        int hi, lo;

        if (i && *p++ != ':') {
            return 0;
        }
        hi = hexit(p[0]);
        if (hi < 0) {
            return 0;
        }
        lo = hexit(p[1]);
        if (lo < 0) {
            /* Allow single-digit octets ("0:1:2:3:4:5"), as users type them. */
            ea->ea[i] = hi;
            p += 1;
        } else {
            ea->ea[i] = hi * 16 + lo;
            p += 2;
        }
    }
    return p - s;
}

int
eth_addr_parse(const char *s, struct eth_addr *ea)
{
    struct eth_addr tmp;
    size_t n = eth_addr_scan(s, &tmp);

    if (!n || s[n]) {
        return EINVAL;
    }
    *ea = tmp;
    return 0;
}

int
eth_addr_parse_masked(const char *s, struct eth_addr *ea, struct eth_addr *mask)
{
    struct eth_addr a, m = eth_addr_exact;
    size_t n = eth_addr_scan(s, &a);

    if (!n) {
        return EINVAL;
    }
    if (s[n] == '/') {
        size_t n2 = eth_addr_scan(s + n + 1, &m);
        if (!n2 || s[n + 1 + n2]) {
            return EINVAL;
        }
    } else if (s[n]) {
        return EINVAL;
    }
    *ea = a;
    *mask = m;
    return 0;
}

void
eth_addr_format(struct eth_addr ea, char buf[ETH_ADDR_STRLEN + 1])
{
    snprintf(buf, ETH_ADDR_STRLEN + 1, ETH_ADDR_FMT, ETH_ADDR_ARGS(ea));
}

void
eth_addr_format_masked(struct ds *s, struct eth_addr ea, struct eth_addr mask)
{
    ds_put_format(s, ETH_ADDR_FMT, ETH_ADDR_ARGS(ea));
    if (!eth_addr_is_broadcast(mask)) {
        ds_put_format(s, "/"ETH_ADDR_FMT, ETH_ADDR_ARGS(mask));
    }
}

/* ---- IPv4. ---- */

int
ip_count_cidr_bits(vs_be32 mask)
{
    uint32_t x = ntohl(mask);
    int n = x ? __builtin_popcount(x) : 0;

    /* CIDR: all ones are leading, i.e. ~x is 2^k - 1. */
    return ((~x & (~x + 1)) == 0) ? n : -1;
}

/* Parses a strict dotted quad from 's' (up to 'len' characters). */
static int
ip_parse_n(const char *s, size_t len, vs_be32 *ip)
{
    char buf[IP_STRLEN + 1];
    struct in_addr a;

    if (len > IP_STRLEN || len == 0) {
        return EINVAL;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (inet_pton(AF_INET, buf, &a) != 1) {
        return EINVAL;
    }
    *ip = a.s_addr;
    return 0;
}

int
ip_parse(const char *s, vs_be32 *ip)
{
    return ip_parse_n(s, strlen(s), ip);
}

/* Parses a decimal prefix length in [0, max]. */
static int
parse_prefix_len(const char *s, int max)
{
    int n = 0;

    if (!*s || strlen(s) > 3) {
        return -1;
    }
    for (; *s; s++) {
        if (!isdigit((unsigned char) *s)) {
            return -1;
        }
        n = n * 10 + (*s - '0');
    }
    return n <= max ? n : -1;
}

int
ip_parse_masked(const char *s, vs_be32 *ip, vs_be32 *mask)
{
    const char *slash = strchr(s, '/');
    vs_be32 a, m;

    if (!slash) {
        if (ip_parse(s, &a)) {
            return EINVAL;
        }
        m = 0xffffffff;
    } else {
        if (ip_parse_n(s, slash - s, &a)) {
            return EINVAL;
        }
        if (strchr(slash + 1, '.')) {
            if (ip_parse(slash + 1, &m)) {
                return EINVAL;
            }
        } else {
            int n = parse_prefix_len(slash + 1, 32);
            if (n < 0) {
                return EINVAL;
            }
            m = be32_prefix_mask(n);
        }
    }
    *ip = a;
    *mask = m;
    return 0;
}

void
ip_format_masked(struct ds *s, vs_be32 ip, vs_be32 mask)
{
    ds_put_format(s, IP_FMT, IP_ARGS(ip));
    if (mask != 0xffffffff) {
        int n = ip_count_cidr_bits(mask);
        if (n >= 0) {
            ds_put_format(s, "/%d", n);
        } else {
            ds_put_format(s, "/"IP_FMT, IP_ARGS(mask));
        }
    }
}

/* ---- IPv6. ---- */

struct in6_addr
ipv6_addr_bitand(const struct in6_addr *a, const struct in6_addr *b)
{
    struct in6_addr r;

    for (int i = 0; i < 16; i++) {
        r.s6_addr[i] = a->s6_addr[i] & b->s6_addr[i];
    }
    return r;
}

struct in6_addr
ipv6_create_mask(int n)
{
    struct in6_addr m;

    n = n < 0 ? 0 : n > 128 ? 128 : n;
    memset(&m, 0, sizeof m);
    for (int i = 0; i < 16; i++, n -= 8) {
        m.s6_addr[i] = n >= 8 ? 0xff : n > 0 ? (uint8_t) (0xff << (8 - n)) : 0;
    }
    return m;
}

int
ipv6_count_cidr_bits(const struct in6_addr *mask)
{
    int n = 0, i = 0;

    for (; i < 16 && mask->s6_addr[i] == 0xff; i++) {
        n += 8;
    }
    if (i < 16) {
        uint8_t b = mask->s6_addr[i];
        uint8_t inv = ~b;

        if (inv & (inv + 1)) {
            return -1;                  /* Ones after a zero in this byte. */
        }
        n += __builtin_popcount(b);
        for (i++; i < 16; i++) {
            if (mask->s6_addr[i]) {
                return -1;
            }
        }
    }
    return n;
}

static int
ipv6_parse_n(const char *s, size_t len, struct in6_addr *ip)
{
    char buf[IPV6_SCAN_LEN + 1];

    if (len > IPV6_SCAN_LEN || len == 0) {
        return EINVAL;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    return inet_pton(AF_INET6, buf, ip) == 1 ? 0 : EINVAL;
}

int
ipv6_parse(const char *s, struct in6_addr *ip)
{
    return ipv6_parse_n(s, strlen(s), ip);
}

int
ipv6_parse_masked(const char *s, struct in6_addr *ip, struct in6_addr *mask)
{
    const char *slash = strchr(s, '/');
    struct in6_addr a, m;

    if (!slash) {
        if (ipv6_parse(s, &a)) {
            return EINVAL;
        }
        m = in6addr_exact;
    } else {
        if (ipv6_parse_n(s, slash - s, &a)) {
            return EINVAL;
        }
        if (strchr(slash + 1, ':')) {
            if (ipv6_parse(slash + 1, &m)) {
                return EINVAL;
            }
        } else {
            int n = parse_prefix_len(slash + 1, 128);
            if (n < 0) {
                return EINVAL;
            }
            m = ipv6_create_mask(n);
        }
    }
    *ip = a;
    *mask = m;
    return 0;
}

void
ipv6_format_addr(struct ds *s, const struct in6_addr *ip)
{
    char buf[INET6_ADDRSTRLEN];

    inet_ntop(AF_INET6, ip, buf, sizeof buf);
    ds_put_cstr(s, buf);
}

void
ipv6_format_masked(struct ds *s, const struct in6_addr *ip,
                   const struct in6_addr *mask)
{
    ipv6_format_addr(s, ip);
    if (!ipv6_addr_equals(mask, &in6addr_exact)) {
        int n = ipv6_count_cidr_bits(mask);
        if (n >= 0) {
            ds_put_format(s, "/%d", n);
        } else {
            ds_put_char(s, '/');
            ipv6_format_addr(s, mask);
        }
    }
}

/* ---- TCP. ---- */

void
packet_format_tcp_flags(struct ds *s, uint16_t flags)
{
    static const char *const names[] = {
        "fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", "ns",
        "[200]", "[400]", "[800]",
    };
    bool first = true;

    if (!flags) {
        ds_put_cstr(s, "0");
        return;
    }
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (flags & (1u << i)) {
            ds_put_format(s, "%s%s", first ? "" : "|", names[i]);
            first = false;
        }
    }
}
