/* Growable, always NUL-terminated string buffer. */
#ifndef VS_DYNAMIC_STRING_H
#define VS_DYNAMIC_STRING_H 1

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include "util.h"

struct ds {
    char *string;       /* Owned; NULL until first use. */
    size_t length;
    size_t allocated;
};

#define DS_EMPTY_INITIALIZER { NULL, 0, 0 }

void ds_init(struct ds *);
void ds_clear(struct ds *);
void ds_truncate(struct ds *, size_t new_length);
void ds_reserve(struct ds *, size_t min_length);
char *ds_put_uninit(struct ds *, size_t n);
void ds_put_char(struct ds *, char);
void ds_put_char_multiple(struct ds *, char, size_t n);
void ds_put_buffer(struct ds *, const char *, size_t n);
void ds_put_cstr(struct ds *, const char *);
void ds_put_format(struct ds *, const char *, ...) VS_PRINTF(2, 3);
/* "%"PRIu64 and "%"PRIx64 without printf's parsing: the hot loops of
 * flow dumps print several numbers per line. */
void ds_put_uint(struct ds *, uint64_t);
void ds_put_hex(struct ds *, uint64_t);
void ds_put_format_valist(struct ds *, const char *, va_list);
/* Appends 'n' bytes as "01.02.03", as OpenFlow tools print notes and
 * controller userdata. */
void ds_put_dotted_hex(struct ds *, const void *, size_t n);
/* Appends 'n' bytes as a hex dump with offsets and ASCII, 16 per line. */
void ds_put_hex_dump(struct ds *, const void *, size_t n, uintptr_t ofs);
const char *ds_cstr(struct ds *);           /* Never NULL. */
char *ds_steal_cstr(struct ds *);           /* Caller frees; 'ds' is reset. */
void ds_destroy(struct ds *);
void ds_swap(struct ds *, struct ds *);
void ds_chomp(struct ds *, int c);
int ds_last(const struct ds *);

#endif /* dynamic-string.h */
