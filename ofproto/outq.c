/* A connection's output queue as a list of chunks; see outq.h. */
#include <config.h>
#include "outq.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "stream.h"
#include "util.h"

/* Big enough that one send() moves a useful amount when the socket
 * drains, small enough that a short queue wastes little. */
#define OUTQ_CHUNK_SIZE (64 * 1024)

struct outq_chunk {
    struct vs_list node;
    size_t head, tail;          /* Unsent bytes are data[head..tail). */
    uint8_t data[OUTQ_CHUNK_SIZE];
};

/* Chunks of queues that were sent, kept for the next ones (all queues
 * share them; ofconn runs in the main thread only), up to
 * OUTQ_SPARE_MAX.  A dump of 100,000 flows queues 10 MB faster than the
 * peer reads it; freed, that memory went back to the kernel (malloc trims
 * the top of the heap) and the next dump took a page fault for every 4 kB
 * of it again, a fifth of the switch's time per dump. */
#define OUTQ_SPARE_MAX (16 * 1024 * 1024 / OUTQ_CHUNK_SIZE)
static struct vs_list spare_chunks = VS_LIST_INITIALIZER(&spare_chunks);
static size_t n_spare_chunks;

static struct outq_chunk *
chunk_alloc(void)
{
    if (n_spare_chunks) {
        n_spare_chunks--;
        /* Most recently freed first: the likeliest to be in the cache. */
        return CONTAINER_OF(vs_list_pop_back(&spare_chunks),
                            struct outq_chunk, node);
    }
    return xmalloc(sizeof(struct outq_chunk));
}

static void
chunk_free(struct outq_chunk *chunk)
{
    if (n_spare_chunks < OUTQ_SPARE_MAX) {
        vs_list_push_back(&spare_chunks, &chunk->node);
        n_spare_chunks++;
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
