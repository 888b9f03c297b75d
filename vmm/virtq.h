/* Split virtqueues read and written by the VMM itself (virtio-blk, the tap
 * backend of virtio-net).  vhost-user queues never come here: the backend
 * maps guest memory and processes them directly. */
#ifndef VMM_VIRTQ_H
#define VMM_VIRTQ_H 1

#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

struct vmm;

#define VIRTQ_MAX_SIZE 1024
#define VIRTQ_MAX_IOV 64

struct virtq {
    struct vmm *vmm;
    uint16_t size;              /* 0: not set up. */
    uint64_t desc_gpa, avail_gpa, used_gpa;
    uint16_t last_avail;        /* Next avail ring entry to take. */
};

/* One descriptor chain, split into what the device reads ('out', driver to
 * device) and writes ('in'), as host pointers into guest memory. */
struct virtq_elem {
    uint16_t head;
    unsigned int n_out, n_in;
    struct iovec out[VIRTQ_MAX_IOV];
    struct iovec in[VIRTQ_MAX_IOV];
};

/* Checks that the rings lie in guest RAM.  Returns 0 or EINVAL. */
int virtq_init(struct virtq *, struct vmm *, uint16_t size, uint64_t desc,
               uint64_t avail, uint64_t used);
/* Takes the next available chain.  Returns 0 with '*elem' filled, EAGAIN if
 * none is available, or EINVAL for a malformed chain (loop, address outside
 * RAM, too many segments); the queue is then broken until reset. */
int virtq_pop(struct virtq *, struct virtq_elem *);
/* Returns chain 'head' to the driver with 'len' bytes written. */
void virtq_push(struct virtq *, uint16_t head, uint32_t len);
/* Whether the driver wants an interrupt now. */
bool virtq_should_notify(const struct virtq *);
/* Copies up to 'len' bytes from an iovec array into 'dst'. */
size_t iov_to_buf(const struct iovec *, unsigned int n, void *dst, size_t len);
size_t buf_to_iov(const void *src, size_t len, const struct iovec *,
                  unsigned int n, size_t skip);
size_t iov_size(const struct iovec *, unsigned int n);

#endif /* vmm/virtq.h */
