#include <config.h>
#include "ovsdb/uuid.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

/* Random bits come from a small per-process xorshift generator seeded once
 * from getrandom(): UUIDs need uniqueness, not secrecy, and a syscall per
 * inserted row would show up in the insert benchmark. */
static uint64_t rng_state[2];

static uint64_t
rng_next(void)
{
    uint64_t s1 = rng_state[0];
    const uint64_t s0 = rng_state[1];
    rng_state[0] = s0;
    s1 ^= s1 << 23;
    rng_state[1] = s1 ^ s0 ^ (s1 >> 17) ^ (s0 >> 26);
    return rng_state[1] + s0;
}

void
uuid_generate(struct uuid *u)
{
    if (!rng_state[0] && !rng_state[1]) {
        if (getrandom(rng_state, sizeof rng_state, 0) != sizeof rng_state) {
            rng_state[0] = (uint64_t) (uintptr_t) u ^ 0x9e3779b97f4a7c15ULL;
            rng_state[1] = 0x2545f4914f6cdd1dULL;
        }
        rng_state[0] |= 1;
    }
    uint64_t a = rng_next(), b = rng_next();
    u->parts[0] = a >> 32;
    u->parts[1] = (uint32_t) a;
    u->parts[2] = b >> 32;
    u->parts[3] = (uint32_t) b;
    /* Version 4, variant 10xx. */
    u->parts[1] = (u->parts[1] & 0xffff0fff) | 0x00004000;
    u->parts[2] = (u->parts[2] & 0x3fffffff) | 0x80000000;
}

void
uuid_zero(struct uuid *u)
{
    memset(u, 0, sizeof *u);
}

bool
uuid_is_zero(const struct uuid *u)
{
    return !(u->parts[0] | u->parts[1] | u->parts[2] | u->parts[3]);
}

bool
uuid_equals(const struct uuid *a, const struct uuid *b)
{
    return !memcmp(a, b, sizeof *a);
}

int
uuid_compare_3way(const struct uuid *a, const struct uuid *b)
{
    for (int i = 0; i < 4; i++) {
        if (a->parts[i] != b->parts[i]) {
            return a->parts[i] < b->parts[i] ? -1 : 1;
        }
    }
    return 0;
}

static char *
put_hex(char *p, uint32_t x, int digits)
{
    static const char hex[] = "0123456789abcdef";
    for (int i = digits - 1; i >= 0; i--) {
        p[i] = hex[x & 15];
        x >>= 4;
    }
    return p + digits;
}

/* By hand rather than snprintf(): this runs for every row serialized. */
void
uuid_format(const struct uuid *u, char buf[UUID_LEN + 1])
{
    char *p = buf;
    p = put_hex(p, u->parts[0], 8);
    *p++ = '-';
    p = put_hex(p, u->parts[1] >> 16, 4);
    *p++ = '-';
    p = put_hex(p, u->parts[1] & 0xffff, 4);
    *p++ = '-';
    p = put_hex(p, u->parts[2] >> 16, 4);
    *p++ = '-';
    p = put_hex(p, u->parts[2] & 0xffff, 4);
    p = put_hex(p, u->parts[3], 8);
    *p = '\0';
}

static int
hexval(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    } else if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

bool
uuid_from_string(struct uuid *u, const char *s)
{
    static const int dashes[] = { 8, 13, 18, 23 };
    uint32_t parts[4] = { 0, 0, 0, 0 };
    int nibble = 0;

    if (strlen(s) != UUID_LEN) {
        return false;
    }
    for (int i = 0, d = 0; i < UUID_LEN; i++) {
        if (d < 4 && i == dashes[d]) {
            if (s[i] != '-') {
                return false;
            }
            d++;
            continue;
        }
        int v = hexval(s[i]);
        if (v < 0) {
            return false;
        }
        parts[nibble / 8] = (parts[nibble / 8] << 4) | v;
        nibble++;
    }
    memcpy(u->parts, parts, sizeof parts);
    return true;
}

bool
uuid_is_partial_string(const char *s)
{
    size_t n = strlen(s);
    if (n < 4 || n > UUID_LEN) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '-' && !isxdigit((unsigned char) s[i])) {
            return false;
        }
    }
    return true;
}
