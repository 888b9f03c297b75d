/* Basic helpers shared by all of vswitch.
 *
 * Error convention: functions that can fail return 0 on success or a
 * positive errno value; callers decide what to do.  Library and daemon code
 * never exit()s on a runtime error; only out-of-memory is fatal. */
#ifndef VS_UTIL_H
#define VS_UTIL_H 1

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#define ARRAY_SIZE(a) (sizeof (a) / sizeof (a)[0])
#define CONTAINER_OF(ptr, type, member) \
    ((type *) (void *) ((char *) (ptr) - offsetof(type, member)))
/* Like CONTAINER_OF but takes the type from 'obj'; usable on NULL-ish loops. */
#define OBJECT_CONTAINING(ptr, obj, member) \
    ((__typeof__(obj)) (void *) ((char *) (ptr) - offsetof(__typeof__(*(obj)), member)))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define DIV_ROUND_UP(x, y) (((x) + (y) - 1) / (y))
#define ROUND_UP(x, y) (DIV_ROUND_UP(x, y) * (y))
#define VS_UNUSED __attribute__((unused))
#define VS_NORETURN __attribute__((noreturn))
#define VS_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define VS_LIKELY(x) __builtin_expect(!!(x), 1)
#define VS_UNLIKELY(x) __builtin_expect(!!(x), 0)

/* Aborts with a message naming the failed condition; for programming errors
 * only, never for anything a peer or user can cause. */
#define vs_assert(cond) \
    ((cond) ? (void) 0 : vs_assert_failure(__FILE__, __LINE__, #cond))
void vs_assert_failure(const char *file, int line, const char *cond)
    VS_NORETURN;

void *xmalloc(size_t);
void *xzalloc(size_t);
void *xcalloc(size_t, size_t);
void *xrealloc(void *, size_t);
void *xmemdup(const void *, size_t);
char *xstrdup(const char *);
char *xstrndup(const char *, size_t);
char *xasprintf(const char *fmt, ...) VS_PRINTF(1, 2);
char *xvasprintf(const char *fmt, va_list);
/* Grows '*array' (of '*n_allocated' elements of 'elem_size') by at least one. */
void *x2nrealloc(void *array, size_t *n_allocated, size_t elem_size);

void vs_fatal(int err_no, const char *fmt, ...) VS_PRINTF(2, 3) VS_NORETURN;
void vs_error(int err_no, const char *fmt, ...) VS_PRINTF(2, 3);

/* Program name for messages, set by set_program_name(argv[0]). */
extern const char *program_name;
void set_program_name(const char *argv0);
/* Prints "NAME (vswitch) VERSION" for --version. */
void vs_print_version(void);

/* Returns a static string describing positive errno 'error' (0 -> "Success"). */
const char *vs_strerror(int error);

bool str_to_int(const char *s, int base, int *out);
bool str_to_uint(const char *s, int base, unsigned int *out);
bool str_to_llong(const char *s, int base, long long *out);
bool str_to_ullong(const char *s, int base, unsigned long long *out);
/* True if the 'n' bytes at 'p' are all zero. */
bool is_all_zeros(const void *p, size_t n);
bool str_to_double(const char *s, double *out);
/* The value of hex digit 'c', or -1 if it is not one. */
int hexit(int c);
bool str_starts_with(const char *s, const char *prefix);
bool str_ends_with(const char *s, const char *suffix);

/* 32-bit hashing (Murmur-style finalizers, written here). */
static inline uint32_t hash_rot(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }
static inline uint32_t
hash_add(uint32_t hash, uint32_t data)
{
    data *= 0xcc9e2d51;
    data = hash_rot(data, 15);
    data *= 0x1b873593;
    hash ^= data;
    hash = hash_rot(hash, 13);
    return hash * 5 + 0xe6546b64;
}
static inline uint32_t
hash_finish(uint32_t hash, uint32_t final)
{
    hash ^= final;
    hash ^= hash >> 16;
    hash *= 0x85ebca6b;
    hash ^= hash >> 13;
    hash *= 0xc2b2ae35;
    hash ^= hash >> 16;
    return hash;
}
uint32_t hash_bytes(const void *, size_t n, uint32_t basis);
uint32_t hash_string(const char *, uint32_t basis);
static inline uint32_t hash_int(uint32_t x, uint32_t basis) { return hash_finish(hash_add(basis, x), 4); }
static inline uint32_t
hash_uint64(uint64_t x, uint32_t basis)
{
    return hash_finish(hash_add(hash_add(basis, (uint32_t) x), (uint32_t) (x >> 32)), 8);
}
static inline uint32_t hash_pointer(const void *p, uint32_t basis) { return hash_uint64((uintptr_t) p, basis); }

#endif /* util.h */
