#include <config.h>
#include "handle-pool.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "util.h"

#define WORDS_PER_CHUNK (HANDLE_POOL_CHUNK / 64)
#define PREFETCH_AHEAD 4   /* How many allocations ahead to prefetch. */

void
handle_pool_init(struct handle_pool *p, size_t obj_size)
{
    memset(p, 0, sizeof *p);
    p->obj_size = ROUND_UP(obj_size ? obj_size : 1, 8);
}

void
handle_pool_destroy(struct handle_pool *p)
{
    for (size_t i = 0; i < p->n_chunks; i++) {
        munmap(p->chunks[i], p->obj_size * HANDLE_POOL_CHUNK);
    }
    free(p->chunks);
    free(p->in_use);
    free(p->free);
    memset(p, 0, sizeof *p);
}

/* Maps one more chunk and puts its handles under those on the free stack
 * (freed ones are warmer in the cache, earlier chunks were made first),
 * lowest on top. */
static void
add_chunk(struct handle_pool *p)
{
    void *mem = mmap(NULL, p->obj_size * HANDLE_POOL_CHUNK,
                     PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (mem == MAP_FAILED) {
        vs_fatal(errno, "handle pool: cannot map %zu bytes",
                 p->obj_size * HANDLE_POOL_CHUNK);
    }
    /* MAP_POPULATE faulted the pages in for the kernel, yet on this VM
     * the first write to each page from user space still costs about
     * 5 us: pay it here, where handle_pool_reserve() can do it ahead of
     * need, rather than in whatever first writes each object. */
    for (size_t ofs = 0; ofs < p->obj_size * HANDLE_POOL_CHUNK; ofs += 4096) {
        ((volatile uint8_t *) mem)[ofs] = 0;
    }
    size_t n = p->n_chunks++;
    p->chunks = xrealloc(p->chunks, p->n_chunks * sizeof *p->chunks);
    p->chunks[n] = mem;
    p->in_use = xrealloc(p->in_use,
                         p->n_chunks * WORDS_PER_CHUNK * sizeof *p->in_use);
    memset(&p->in_use[n * WORDS_PER_CHUNK], 0,
           WORDS_PER_CHUNK * sizeof *p->in_use);
    p->free_cap = MAX(p->free_cap, p->n_free + HANDLE_POOL_CHUNK);
    p->free = xrealloc(p->free, p->free_cap * sizeof *p->free);
    memmove(p->free + HANDLE_POOL_CHUNK, p->free, p->n_free * sizeof *p->free);
    uint32_t last = (n + 1) * HANDLE_POOL_CHUNK;
    for (size_t i = 0; i < HANDLE_POOL_CHUNK; i++) {
        p->free[i] = last - i;
    }
    p->n_free += HANDLE_POOL_CHUNK;
}

static inline void *
object(const struct handle_pool *p, uint32_t handle)
{
    size_t idx = handle - 1;
    return p->chunks[idx / HANDLE_POOL_CHUNK]
           + idx % HANDLE_POOL_CHUNK * p->obj_size;
}

bool
handle_pool_reserve(struct handle_pool *p, size_t n, size_t max_chunks)
{
    for (; p->n_chunks * HANDLE_POOL_CHUNK < n; max_chunks--) {
        if (!max_chunks) {
            return false;
        }
        add_chunk(p);
    }
    return true;
}

void *
handle_pool_alloc(struct handle_pool *p, uint32_t *handle)
{
    uint32_t h;
    do {
        if (!p->n_free) {
            add_chunk(p);
        }
        h = p->free[--p->n_free];
    } while (handle_pool_get(p, h));    /* Taken by handle_pool_alloc_at(). */
    p->in_use[(h - 1) / 64] |= 1ULL << ((h - 1) % 64);
    p->n_used++;
    *handle = h;
    if (p->n_free >= PREFETCH_AHEAD) {
        /* The objects handed out next are likely cold (a fresh chunk is
         * not in the cache): fetch one a few allocations ahead for
         * writing, so that it has arrived when its turn comes. */
        const uint8_t *next = object(p, p->free[p->n_free - PREFETCH_AHEAD]);
        for (size_t ofs = 0; ofs < p->obj_size; ofs += 64) {
            __builtin_prefetch(next + ofs, 1);
        }
    }
    return object(p, h);
}

void *
handle_pool_alloc_at(struct handle_pool *p, uint32_t handle)
{
    if (!handle || handle > HANDLE_POOL_MAX_AT
        || handle_pool_get(p, handle)) {
        return NULL;
    }
    while ((size_t) handle > p->n_chunks * HANDLE_POOL_CHUNK) {
        add_chunk(p);
    }
    /* It stays on the free stack; handle_pool_alloc() skips it there. */
    p->in_use[(handle - 1) / 64] |= 1ULL << ((handle - 1) % 64);
    p->n_used++;
    return object(p, handle);
}

void
handle_pool_free(struct handle_pool *p, uint32_t handle)
{
    vs_assert(handle_pool_get(p, handle));
    p->in_use[(handle - 1) / 64] &= ~(1ULL << ((handle - 1) % 64));
    p->n_used--;
    if (p->n_free >= p->free_cap) {
        /* Handles taken by handle_pool_alloc_at() may still be on it. */
        p->free_cap = 2 * p->free_cap;
        p->free = xrealloc(p->free, p->free_cap * sizeof *p->free);
    }
    p->free[p->n_free++] = handle;
}

void *
handle_pool_get(const struct handle_pool *p, uint32_t handle)
{
    size_t idx = (size_t) handle - 1;
    if (!handle || idx >= p->n_chunks * HANDLE_POOL_CHUNK
        || !(p->in_use[idx / 64] & (1ULL << (idx % 64)))) {
        return NULL;
    }
    return object(p, handle);
}

uint32_t
handle_pool_next(const struct handle_pool *p, uint32_t after)
{
    size_t n_words = p->n_chunks * WORDS_PER_CHUNK;
    size_t idx = after;                 /* Index of handle 'after' + 1. */
    size_t w = idx / 64;
    if (w >= n_words) {
        return 0;
    }
    uint64_t bits = p->in_use[w] & (~0ULL << (idx % 64));
    while (!bits) {
        if (++w >= n_words) {
            return 0;
        }
        bits = p->in_use[w];
    }
    return w * 64 + __builtin_ctzll(bits) + 1;
}
