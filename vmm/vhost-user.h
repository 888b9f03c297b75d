/* The frontend side of the vhost-user protocol (QEMU's docs/interop/
 * vhost-user.rst): messages over a unix socket, file descriptors passed
 * with SCM_RIGHTS, replies read with a timeout so a silent or broken
 * backend yields an error instead of a hang. */
#ifndef VMM_VHOST_USER_H
#define VMM_VHOST_USER_H 1

#include <stdbool.h>
#include <stdint.h>

enum vhost_user_request {
    VHOST_USER_GET_FEATURES = 1,
    VHOST_USER_SET_FEATURES = 2,
    VHOST_USER_SET_OWNER = 3,
    VHOST_USER_SET_MEM_TABLE = 5,
    VHOST_USER_SET_VRING_NUM = 8,
    VHOST_USER_SET_VRING_ADDR = 9,
    VHOST_USER_SET_VRING_BASE = 10,
    VHOST_USER_GET_VRING_BASE = 11,
    VHOST_USER_SET_VRING_KICK = 12,
    VHOST_USER_SET_VRING_CALL = 13,
    VHOST_USER_GET_PROTOCOL_FEATURES = 15,
    VHOST_USER_SET_PROTOCOL_FEATURES = 16,
    VHOST_USER_GET_QUEUE_NUM = 17,
    VHOST_USER_SET_VRING_ENABLE = 18,
};

#define VHOST_USER_PROTOCOL_F_MQ 0
#define VHOST_USER_PROTOCOL_F_REPLY_ACK 3

#define VHOST_USER_MAX_REGIONS 8
#define VHOST_USER_VRING_NOFD 0x100

struct vhost_user_region {
    uint64_t guest_addr;
    uint64_t size;
    uint64_t user_addr;
    uint64_t mmap_offset;
};

struct vhost_user_msg {
    uint32_t request;
    uint32_t flags;
    uint32_t size;              /* Of the payload. */
    union {
        uint64_t u64;
        struct {
            uint32_t index;
            uint32_t num;
        } state;
        struct {
            uint32_t index;
            uint32_t flags;
            uint64_t desc, used, avail, log;
        } addr;
        struct {
            uint32_t n_regions;
            uint32_t padding;
            struct vhost_user_region regions[VHOST_USER_MAX_REGIONS];
        } mem;
    } payload;
} __attribute__((packed));

#define VHOST_USER_HDR_SIZE 12

struct vhost_user_conn {
    int fd;
    bool reply_ack;             /* REPLY_ACK negotiated. */
    int timeout_ms;
    const char *name;           /* For messages. */
};

const char *vhost_user_request_name(uint32_t request);

/* Sends 'request' with 'payload' ('size' bytes) and 'fds'.  With
 * 'want_ack' and REPLY_ACK negotiated, waits for the backend's status. */
int vhost_user_send(struct vhost_user_conn *, uint32_t request,
                    const void *payload, uint32_t size, const int *fds,
                    int n_fds, bool want_ack);
/* Sends a request without payload and reads a u64 reply. */
int vhost_user_get_u64(struct vhost_user_conn *, uint32_t request,
                       uint64_t *value);
/* Reads one reply to 'request' whose payload must be 'size' bytes.
 * Returns 0, ETIMEDOUT, ECONNRESET (backend closed) or EPROTO (malformed:
 * wrong request, flags or size), logging why. */
int vhost_user_recv_reply(struct vhost_user_conn *, uint32_t request,
                          struct vhost_user_msg *, uint32_t size);

#endif /* vmm/vhost-user.h */
