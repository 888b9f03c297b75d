/* Fixed-size objects named by small integer handles.
 *
 * For records that something outside the process refers to by number:
 * the XDP datapath keeps the handle of each megaflow's userspace record
 * in the flow and gives it back in dumps, so finding the record of a
 * dumped flow is an array index rather than a hash of its key, and a
 * record costs no malloc.
 *
 * Objects are carved from chunks of HANDLE_POOL_CHUNK objects mapped
 * with MAP_POPULATE: one system call faults a chunk in, where a growing
 * heap takes a page fault per 4 kB (about 20 us each on a VM).  Freed
 * objects are reused, most recently freed first; chunks are returned
 * to the kernel only by handle_pool_destroy().
 *
 * Handle 0 is never given out, so it can mean "none".  Not thread-safe. */
#ifndef HANDLE_POOL_H
#define HANDLE_POOL_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HANDLE_POOL_CHUNK 4096

struct handle_pool {
    size_t obj_size;            /* Rounded up to 8 bytes. */
    uint8_t **chunks;
    size_t n_chunks;
    uint64_t *in_use;           /* Bit (handle - 1) per object. */
    uint32_t *free;             /* Handles to reuse, as a stack. */
    size_t n_free, free_cap;
    size_t n_used;
};

void handle_pool_init(struct handle_pool *, size_t obj_size);
void handle_pool_destroy(struct handle_pool *);

/* Returns a new object (contents undefined) and stores its handle in
 * '*handle'. */
void *handle_pool_alloc(struct handle_pool *, uint32_t *handle);
void handle_pool_free(struct handle_pool *, uint32_t handle);

/* Maps chunks, at most 'max_chunks' of them, until the pool has room for
 * 'n' objects in all; true once it has.  Objects are cheapest to hand out
 * from chunks made ahead of need, at idle (see add_chunk()). */
bool handle_pool_reserve(struct handle_pool *, size_t n, size_t max_chunks);

/* Returns the object 'handle' names, newly in use, or NULL if it is in
 * use already or above HANDLE_POOL_MAX_AT: for a number that something
 * outside the process holds already. */
#define HANDLE_POOL_MAX_AT (1u << 20)
void *handle_pool_alloc_at(struct handle_pool *, uint32_t handle);

/* The object 'handle' names, or NULL if it names none in use (any value
 * is safe to pass: it may come from another process). */
void *handle_pool_get(const struct handle_pool *, uint32_t handle);

/* The first handle in use greater than 'after', or 0 if none: iterate
 * with 'for (h = handle_pool_next(p, 0); h; h = handle_pool_next(p, h))'.
 * Freeing 'h' during the walk is fine. */
uint32_t handle_pool_next(const struct handle_pool *, uint32_t after);

static inline size_t
handle_pool_count(const struct handle_pool *p)
{
    return p->n_used;
}

#endif
