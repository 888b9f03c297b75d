/* Split virtqueue access from the VMM (virtio 1.x, section 2.7). */
#include <config.h>
#include "virtq.h"

#include <errno.h>
#include <string.h>

#include "log.h"
#include "util.h"
#include "vmm.h"

#define VIRTQ_DESC_F_NEXT     1
#define VIRTQ_DESC_F_WRITE    2
#define VIRTQ_DESC_F_INDIRECT 4
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1

struct virtq_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};

int
virtq_init(struct virtq *vq, struct vmm *vmm, uint16_t size, uint64_t desc,
           uint64_t avail, uint64_t used)
{
    memset(vq, 0, sizeof *vq);
    if (!size || size > VIRTQ_MAX_SIZE || (size & (size - 1))
        || !vmm_gpa_to_hva(vmm, desc, 16ULL * size)
        || !vmm_gpa_to_hva(vmm, avail, 6 + 2ULL * size)
        || !vmm_gpa_to_hva(vmm, used, 6 + 8ULL * size)) {
        return EINVAL;
    }
    vq->vmm = vmm;
    vq->size = size;
    vq->desc_gpa = desc;
    vq->avail_gpa = avail;
    vq->used_gpa = used;
    return 0;
}

static volatile uint16_t *
avail_ring(const struct virtq *vq)
{
    return vmm_gpa_to_hva(vq->vmm, vq->avail_gpa, 6 + 2ULL * vq->size);
}

static volatile uint8_t *
used_ring(const struct virtq *vq)
{
    return vmm_gpa_to_hva(vq->vmm, vq->used_gpa, 6 + 8ULL * vq->size);
}

int
virtq_pop(struct virtq *vq, struct virtq_elem *elem)
{
    if (!vq->size) {
        return EAGAIN;
    }
    volatile uint16_t *avail = avail_ring(vq);
    uint16_t avail_idx = avail[1];
    if (avail_idx == vq->last_avail) {
        return EAGAIN;
    }
    if ((uint16_t) (avail_idx - vq->last_avail) > vq->size) {
        VMM_WARN_RL("virtqueue: driver's avail index %u is %u ahead of %u",
                    avail_idx, (uint16_t) (avail_idx - vq->last_avail),
                    vq->last_avail);
        return EINVAL;
    }
    /* Read the ring entry only after seeing the index. */
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    uint16_t head = avail[2 + vq->last_avail % vq->size];
    if (head >= vq->size) {
        VMM_WARN_RL("virtqueue: descriptor head %u out of range", head);
        return EINVAL;
    }

    const struct virtq_desc *table = vmm_gpa_to_hva(vq->vmm, vq->desc_gpa,
                                                   16ULL * vq->size);
    elem->head = head;
    elem->n_in = elem->n_out = 0;
    uint16_t i = head;
    for (unsigned int n = 0; ; n++) {
        struct virtq_desc d = table[i];
        if (n >= vq->size || d.flags & VIRTQ_DESC_F_INDIRECT) {
            VMM_WARN_RL("virtqueue: %s descriptor chain",
                        n >= vq->size ? "looping" : "unsupported indirect");
            return EINVAL;
        }
        void *p = vmm_gpa_to_hva(vq->vmm, d.addr, d.len);
        if (!p) {
            VMM_WARN_RL("virtqueue: buffer %#llx+%u outside guest memory",
                        (unsigned long long) d.addr, d.len);
            return EINVAL;
        }
        if (d.flags & VIRTQ_DESC_F_WRITE) {
            if (elem->n_in >= VIRTQ_MAX_IOV) {
                return EINVAL;
            }
            elem->in[elem->n_in++] = (struct iovec) { p, d.len };
        } else {
            if (elem->n_in || elem->n_out >= VIRTQ_MAX_IOV) {
                /* Readable after writable is not allowed (2.7.4.2). */
                VMM_WARN_RL("virtqueue: malformed descriptor chain");
                return EINVAL;
            }
            elem->out[elem->n_out++] = (struct iovec) { p, d.len };
        }
        if (!(d.flags & VIRTQ_DESC_F_NEXT)) {
            break;
        }
        if (d.next >= vq->size) {
            VMM_WARN_RL("virtqueue: next descriptor %u out of range", d.next);
            return EINVAL;
        }
        i = d.next;
    }
    vq->last_avail++;
    return 0;
}

void
virtq_push(struct virtq *vq, uint16_t head, uint32_t len)
{
    volatile uint8_t *used = used_ring(vq);
    volatile uint16_t *used_idx = (volatile uint16_t *) (used + 2);
    uint16_t idx = *used_idx;
    volatile uint32_t *e = (volatile uint32_t *) (used + 4 + 8 * (idx % vq->size));

    e[0] = head;
    e[1] = len;
    /* The element must be visible before the index that publishes it. */
    __atomic_thread_fence(__ATOMIC_RELEASE);
    *used_idx = idx + 1;
}

bool
virtq_should_notify(const struct virtq *vq)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    return !(avail_ring(vq)[0] & VIRTQ_AVAIL_F_NO_INTERRUPT);
}

size_t
iov_size(const struct iovec *iov, unsigned int n)
{
    size_t total = 0;
    for (unsigned int i = 0; i < n; i++) {
        total += iov[i].iov_len;
    }
    return total;
}

size_t
iov_to_buf(const struct iovec *iov, unsigned int n, void *dst_, size_t len)
{
    uint8_t *dst = dst_;
    size_t done = 0;
    for (unsigned int i = 0; i < n && done < len; i++) {
        size_t chunk = MIN(iov[i].iov_len, len - done);
        memcpy(dst + done, iov[i].iov_base, chunk);
        done += chunk;
    }
    return done;
}

size_t
buf_to_iov(const void *src_, size_t len, const struct iovec *iov,
           unsigned int n, size_t skip)
{
    const uint8_t *src = src_;
    size_t done = 0;
    for (unsigned int i = 0; i < n && done < len; i++) {
        if (skip >= iov[i].iov_len) {
            skip -= iov[i].iov_len;
            continue;
        }
        size_t chunk = MIN(iov[i].iov_len - skip, len - done);
        memcpy((uint8_t *) iov[i].iov_base + skip, src + done, chunk);
        done += chunk;
        skip = 0;
    }
    return done;
}
