#include <config.h>
#include "dynamic-string.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

void
ds_init(struct ds *ds)
{
    ds->string = NULL;
    ds->length = 0;
    ds->allocated = 0;
}

void
ds_clear(struct ds *ds)
{
    ds->length = 0;
    if (ds->string) {
        ds->string[0] = '\0';
    }
}

void
ds_truncate(struct ds *ds, size_t new_length)
{
    if (ds->length > new_length) {
        ds->length = new_length;
        ds->string[new_length] = '\0';
    }
}

void
ds_reserve(struct ds *ds, size_t min_length)
{
    if (min_length > ds->allocated || !ds->string) {
        ds->allocated += MAX(min_length, ds->allocated);
        ds->allocated = MAX(8, ds->allocated);
        ds->string = xrealloc(ds->string, ds->allocated + 1);
    }
}

char *
ds_put_uninit(struct ds *ds, size_t n)
{
    ds_reserve(ds, ds->length + n);
    ds->length += n;
    ds->string[ds->length] = '\0';
    return &ds->string[ds->length - n];
}

void
ds_put_char(struct ds *ds, char c)
{
    *ds_put_uninit(ds, 1) = c;
}

void
ds_put_uint(struct ds *ds, uint64_t x)
{
    char buf[20];
    size_t n = 0;
    do {
        buf[sizeof buf - ++n] = '0' + x % 10;
        x /= 10;
    } while (x);
    ds_put_buffer(ds, buf + sizeof buf - n, n);
}

void
ds_put_dotted_hex(struct ds *ds, const void *data, size_t n)
{
    const uint8_t *p = data;
    for (size_t i = 0; i < n; i++) {
        ds_put_format(ds, "%s%02x", i ? "." : "", p[i]);
    }
}

void
ds_put_hex(struct ds *ds, uint64_t x)
{
    char buf[16];
    size_t n = 0;
    do {
        buf[sizeof buf - ++n] = "0123456789abcdef"[x & 15];
        x >>= 4;
    } while (x);
    ds_put_buffer(ds, buf + sizeof buf - n, n);
}

void
ds_put_char_multiple(struct ds *ds, char c, size_t n)
{
    memset(ds_put_uninit(ds, n), c, n);
}

void
ds_put_buffer(struct ds *ds, const char *s, size_t n)
{
    memcpy(ds_put_uninit(ds, n), s, n);
}

void
ds_put_cstr(struct ds *ds, const char *s)
{
    ds_put_buffer(ds, s, strlen(s));
}

void
ds_put_format_valist(struct ds *ds, const char *format, va_list args)
{
    va_list args2;
    va_copy(args2, args);
    ds_reserve(ds, ds->length + 64);
    size_t available = ds->allocated - ds->length + 1;
    int needed = vsnprintf(&ds->string[ds->length], available, format, args);
    if (needed >= 0 && (size_t) needed >= available) {
        ds_reserve(ds, ds->length + needed);
        vsnprintf(&ds->string[ds->length], needed + 1, format, args2);
    }
    if (needed > 0) {
        ds->length += needed;
    } else {
        ds->string[ds->length] = '\0';
    }
    va_end(args2);
}

void
ds_put_format(struct ds *ds, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    ds_put_format_valist(ds, format, args);
    va_end(args);
}

void
ds_put_hex_dump(struct ds *ds, const void *buf_, size_t size, uintptr_t ofs)
{
    const uint8_t *buf = buf_;
    for (size_t i = 0; i < size; i += 16) {
        size_t n = MIN(16, size - i);
        ds_put_format(ds, "%08jx ", (uintmax_t) (ofs + i));
        for (size_t j = 0; j < 16; j++) {
            if (j < n) {
                ds_put_format(ds, " %02x", buf[i + j]);
            } else {
                ds_put_cstr(ds, "   ");
            }
        }
        ds_put_cstr(ds, "  |");
        for (size_t j = 0; j < n; j++) {
            ds_put_char(ds, isprint(buf[i + j]) ? buf[i + j] : '.');
        }
        ds_put_cstr(ds, "|\n");
    }
}

const char *
ds_cstr(struct ds *ds)
{
    if (!ds->string) {
        ds_reserve(ds, 0);
        ds->string[0] = '\0';
    }
    return ds->string;
}

char *
ds_steal_cstr(struct ds *ds)
{
    ds_cstr(ds);
    char *s = ds->string;
    ds_init(ds);
    return s;
}

void
ds_destroy(struct ds *ds)
{
    free(ds->string);
    ds_init(ds);
}

void
ds_swap(struct ds *a, struct ds *b)
{
    struct ds tmp = *a;
    *a = *b;
    *b = tmp;
}

void
ds_chomp(struct ds *ds, int c)
{
    if (ds->length > 0 && ds->string[ds->length - 1] == (char) c) {
        ds->string[--ds->length] = '\0';
    }
}

int
ds_last(const struct ds *ds)
{
    return ds->length > 0 ? (unsigned char) ds->string[ds->length - 1] : EOF;
}
