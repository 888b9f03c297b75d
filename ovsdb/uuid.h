/* 128-bit UUIDs as OVSDB uses them (RFC 4122 text form, random version 4). */
#ifndef VS_OVSDB_UUID_H
#define VS_OVSDB_UUID_H 1

#include <stdbool.h>
#include <stdint.h>
#include "util.h"

struct uuid {
    uint32_t parts[4];
};

#define UUID_LEN 36             /* Text form, without the terminating NUL. */

void uuid_generate(struct uuid *);
void uuid_zero(struct uuid *);
bool uuid_is_zero(const struct uuid *);
bool uuid_equals(const struct uuid *, const struct uuid *);
int uuid_compare_3way(const struct uuid *, const struct uuid *);
/* Writes the 36-character text form plus NUL into 'buf'. */
void uuid_format(const struct uuid *, char buf[UUID_LEN + 1]);
/* Parses exactly the 36-character text form; false if malformed. */
bool uuid_from_string(struct uuid *, const char *);
bool uuid_is_partial_string(const char *);

static inline uint32_t
uuid_hash(const struct uuid *u)
{
    return u->parts[0];
}

#endif /* ovsdb/uuid.h */
