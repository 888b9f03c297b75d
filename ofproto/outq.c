/* A connection's output queue as a list of chunks; see outq.h. */
#include <config.h>
#include "outq.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "stream.h"
#include "util.h"

/* Big enough that one send() moves a useful amount when the socket
 * drains, small enough that a short queue wastes little: a chunk, header
 * included, is 64 KiB. */
#define OUTQ_CHUNK_BYTES (64 * 1024)

struct outq_chunk {
    struct vs_list node;
    size_t head, tail;          /* Unsent bytes are data[head..tail). */
    bool in_region;             /* Carved from a region (below). */
    uint8_t data[];
};
#define OUTQ_CHUNK_SIZE (OUTQ_CHUNK_BYTES - offsetof(struct outq_chunk, data))

/* Chunk memory.  A dump of 100,000 flows queues its 10 MB reply faster
 * than the peer reads it.  From malloc, that memory went back to the
 * kernel when freed (malloc trims the top of the heap) and every dump
 * took a page fault per 4 kB of it again: 2,900 faults, most of the
 * switch's time for the dump on a VM where a fault costs ~20 us.  So
 * chunks are carved from 2 MiB regions asking for transparent huge pages
 * (one fault per region where the kernel has them), and a sent chunk
 * goes back to a free list for the next queue, never to the kernel.  At
 * most OUTQ_MAX_REGIONS regions (16 MiB) are made; past that chunks come
 * from malloc and are freed as before.  All queues share them: ofconn
 * runs in the main thread only. */
#define OUTQ_REGION_BYTES (2 * 1024 * 1024)
#define OUTQ_MAX_REGIONS 8
static struct vs_list free_chunks = VS_LIST_INITIALIZER(&free_chunks);
static size_t n_regions;

/* Adds a region's chunks to 'free_chunks'; false if none could be made. */
static bool
add_region(void)
{
    /* Twice the size, to cut out a region aligned for a huge page. */
    size_t len = 2 * OUTQ_REGION_BYTES;
    uint8_t *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        return false;
    }
    uintptr_t start = ROUND_UP((uintptr_t) p, OUTQ_REGION_BYTES);
    uint8_t *region = (uint8_t *) start;
    size_t before = region - p, after = len - before - OUTQ_REGION_BYTES;
    if (before) {
        munmap(p, before);
    }
    if (after) {
        munmap(region + OUTQ_REGION_BYTES, after);
    }
    /* Only a hint: without huge pages the region faults in 4 kB pages,
     * once, and is reused from then on. */
    madvise(region, OUTQ_REGION_BYTES, MADV_HUGEPAGE);
    for (size_t ofs = 0; ofs < OUTQ_REGION_BYTES; ofs += OUTQ_CHUNK_BYTES) {
        struct outq_chunk *chunk = (struct outq_chunk *) (region + ofs);
        chunk->in_region = true;
        vs_list_push_back(&free_chunks, &chunk->node);
    }
    n_regions++;
    return true;
}

static struct outq_chunk *
chunk_alloc(void)
{
    if (vs_list_is_empty(&free_chunks) && n_regions < OUTQ_MAX_REGIONS) {
        add_region();
    }
    if (!vs_list_is_empty(&free_chunks)) {
        /* Most recently freed first: the likeliest to be in the cache. */
        return CONTAINER_OF(vs_list_pop_back(&free_chunks),
                            struct outq_chunk, node);
    }
    struct outq_chunk *chunk = xmalloc(OUTQ_CHUNK_BYTES);
    chunk->in_region = false;
    return chunk;
}

static void
chunk_free(struct outq_chunk *chunk)
{
    if (chunk->in_region) {
        vs_list_push_back(&free_chunks, &chunk->node);
    } else {
        free(chunk);
    }
}

void
outq_init(struct outq *q)
{
    vs_list_init(&q->chunks);
    q->size = 0;
}

void
outq_clear(struct outq *q)
{
    struct outq_chunk *chunk;
    VS_LIST_FOR_EACH_POP (chunk, node, &q->chunks) {
        chunk_free(chunk);
    }
    q->size = 0;
}

void
outq_destroy(struct outq *q)
{
    outq_clear(q);
}

void
outq_put(struct outq *q, const void *data_, size_t n)
{
    const uint8_t *data = data_;

    while (n) {
        struct outq_chunk *tail = NULL;
        if (!vs_list_is_empty(&q->chunks)) {
            tail = CONTAINER_OF(vs_list_back(&q->chunks), struct outq_chunk,
                                node);
        }
        if (!tail || tail->tail == OUTQ_CHUNK_SIZE) {
            tail = chunk_alloc();
            tail->head = tail->tail = 0;
            vs_list_push_back(&q->chunks, &tail->node);
        }
        size_t take = MIN(n, OUTQ_CHUNK_SIZE - tail->tail);
        memcpy(tail->data + tail->tail, data, take);
        tail->tail += take;
        q->size += take;
        data += take;
        n -= take;
    }
}

int
outq_send(struct outq *q, struct stream *stream, size_t *sent)
{
    while (!vs_list_is_empty(&q->chunks)) {
        struct outq_chunk *head = CONTAINER_OF(vs_list_front(&q->chunks),
                                               struct outq_chunk, node);
        ssize_t n = stream_send(stream, head->data + head->head,
                                head->tail - head->head);
        if (n <= 0) {
            return n == 0 ? EPIPE : (int) -n;
        }
        head->head += n;
        q->size -= n;
        *sent += n;
        if (head->head == head->tail) {
            vs_list_remove(&head->node);
            chunk_free(head);
        }
    }
    return 0;
}
