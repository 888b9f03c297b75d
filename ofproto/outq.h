/* outq: the output queue of one connection.
 *
 * Bytes are appended as messages are sent and leave from the front as the
 * socket drains.  They live in a list of fixed-size chunks, so appending
 * and sending are linear in the bytes queued however big the queue grows
 * (a 100,000-flow dump is tens of MB): nothing is ever moved within the
 * queue, and each send hands the socket up to one whole chunk.  The queue
 * itself has no bound; the owner decides what to do when it is long. */
#ifndef OUTQ_H
#define OUTQ_H 1

#include <stddef.h>
#include "list.h"

struct stream;

struct outq {
    struct vs_list chunks;      /* struct outq_chunk, oldest first. */
    size_t size;                /* Bytes queued. */
};

void outq_init(struct outq *);
void outq_destroy(struct outq *);
void outq_clear(struct outq *);

void outq_put(struct outq *, const void *data, size_t n);
static inline size_t outq_size(const struct outq *q) { return q->size; }

/* Sends from the front of the queue until it is empty or the stream takes
 * no more, adding the number of bytes sent to '*sent'.  Returns 0 if the
 * queue is now empty, EAGAIN if the stream is full, otherwise the positive
 * errno of the send failure (the bytes not sent stay queued). */
int outq_send(struct outq *, struct stream *, size_t *sent);

#endif /* outq.h */
