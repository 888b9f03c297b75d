#include <config.h>
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *program_name = "vswitch";

void
vs_assert_failure(const char *file, int line, const char *cond)
{
    fprintf(stderr, "%s: %s:%d: assertion %s failed\n",
            program_name, file, line, cond);
    abort();
}

static void VS_NORETURN
out_of_memory(void)
{
    fprintf(stderr, "%s: virtual memory exhausted\n", program_name);
    abort();
}

void *
xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        out_of_memory();
    }
    return p;
}

void *
xcalloc(size_t count, size_t size)
{
    void *p = count && size ? calloc(count, size) : calloc(1, 1);
    if (!p) {
        out_of_memory();
    }
    return p;
}

void *
xzalloc(size_t n)
{
    return xcalloc(1, n);
}

void *
xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) {
        out_of_memory();
    }
    return p;
}

void *
xmemdup(const void *p, size_t n)
{
    void *q = xmalloc(n);
    memcpy(q, p, n);
    return q;
}

char *
xstrndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *q = xmalloc(len + 1);
    memcpy(q, s, len);
    q[len] = '\0';
    return q;
}

char *
xstrdup(const char *s)
{
    return xmemdup(s, strlen(s) + 1);
}

char *
xvasprintf(const char *fmt, va_list args)
{
    va_list args2;
    va_copy(args2, args);
    int needed = vsnprintf(NULL, 0, fmt, args);
    char *s = xmalloc(needed + 1);
    vsnprintf(s, needed + 1, fmt, args2);
    va_end(args2);
    return s;
}

char *
xasprintf(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    char *s = xvasprintf(fmt, args);
    va_end(args);
    return s;
}

void *
x2nrealloc(void *array, size_t *n_allocated, size_t elem_size)
{
    size_t n = *n_allocated ? *n_allocated * 2 : MAX(1, 64 / MAX(elem_size, 1));
    *n_allocated = n;
    return xrealloc(array, n * elem_size);
}

static void
vs_verror(int err_no, const char *fmt, va_list args)
{
    fprintf(stderr, "%s: ", program_name);
    vfprintf(stderr, fmt, args);
    if (err_no) {
        fprintf(stderr, " (%s)", vs_strerror(err_no));
    }
    fputc('\n', stderr);
}

void
vs_fatal(int err_no, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    vs_verror(err_no, fmt, args);
    va_end(args);
    exit(EXIT_FAILURE);
}

void
vs_error(int err_no, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    vs_verror(err_no, fmt, args);
    va_end(args);
}

void
set_program_name(const char *argv0)
{
    const char *slash = strrchr(argv0, '/');
    program_name = slash ? slash + 1 : argv0;
    if (str_starts_with(program_name, "lt-")) {
        program_name += 3;
    }
}

void
vs_print_version(void)
{
    printf("%s (vswitch) %s\n", program_name, PACKAGE_VERSION);
}

const char *
vs_strerror(int error)
{
    if (!error) {
        return "Success";
    }
    if (error == EOF) {
        return "End of file";
    }
    return strerror(error);
}

static bool
str_to_ll__(const char *s, int base, long long *out, bool is_unsigned)
{
    char *end;
    errno = 0;
    if (!s || !*s) {
        return false;
    }
    if (is_unsigned) {
        if (strchr(s, '-')) {
            return false;
        }
        *out = (long long) strtoull(s, &end, base);
    } else {
        *out = strtoll(s, &end, base);
    }
    return !errno && *end == '\0';
}

bool
str_to_llong(const char *s, int base, long long *out)
{
    return str_to_ll__(s, base, out, false);
}

bool
str_to_ullong(const char *s, int base, unsigned long long *out)
{
    long long v;
    if (!str_to_ll__(s, base, &v, true)) {
        return false;
    }
    *out = (unsigned long long) v;
    return true;
}

bool
str_to_int(const char *s, int base, int *out)
{
    long long v;
    if (!str_to_llong(s, base, &v) || v < INT32_MIN || v > INT32_MAX) {
        return false;
    }
    *out = v;
    return true;
}

bool
str_to_uint(const char *s, int base, unsigned int *out)
{
    unsigned long long v;
    if (!str_to_ullong(s, base, &v) || v > UINT32_MAX) {
        return false;
    }
    *out = v;
    return true;
}

int
hexit(int c)
{
    return (c >= '0' && c <= '9' ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
            : -1);
}

bool
str_to_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    if (!s || !*s) {
        return false;
    }
    *out = strtod(s, &end);
    return !errno && *end == '\0' && isfinite(*out);
}

bool
str_starts_with(const char *s, const char *prefix)
{
    return !strncmp(s, prefix, strlen(prefix));
}

bool
str_ends_with(const char *s, const char *suffix)
{
    size_t s_len = strlen(s), suffix_len = strlen(suffix);
    return s_len >= suffix_len && !strcmp(s + s_len - suffix_len, suffix);
}

uint32_t
hash_bytes(const void *p_, size_t n, uint32_t basis)
{
    const uint8_t *p = p_;
    uint32_t hash = basis;
    size_t i;

    for (i = 0; i + 4 <= n; i += 4) {
        uint32_t w;
        memcpy(&w, p + i, 4);
        hash = hash_add(hash, w);
    }
    if (i < n) {
        uint32_t w = 0;
        memcpy(&w, p + i, n - i);
        hash = hash_add(hash, w);
    }
    return hash_finish(hash, n);
}

uint32_t
hash_string(const char *s, uint32_t basis)
{
    return hash_bytes(s, strlen(s), basis);
}

bool
is_all_zeros(const void *p_, size_t n)
{
    const uint8_t *p = p_;
    for (size_t i = 0; i < n; i++) {
        if (p[i]) {
            return false;
        }
    }
    return true;
}
