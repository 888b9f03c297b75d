/* virtio-blk (virtio 1.x, section 5.2) on a raw image, served by the main
 * thread with synchronous preadv/pwritev: simple, and guests of this VMM
 * issue few requests. */
#include <config.h>
#include "virtio-blk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dynamic-string.h"
#include "log.h"
#include "util.h"
#include "virtio-pci.h"
#include "vmm.h"

#define VIRTIO_BLK_F_SEG_MAX 2
#define VIRTIO_BLK_F_RO      5
#define VIRTIO_BLK_F_FLUSH   9

#define VIRTIO_BLK_T_IN     0
#define VIRTIO_BLK_T_OUT    1
#define VIRTIO_BLK_T_FLUSH  4
#define VIRTIO_BLK_T_GET_ID 8

#define VIRTIO_BLK_S_OK     0
#define VIRTIO_BLK_S_IOERR  1
#define VIRTIO_BLK_S_UNSUPP 2

#define BLK_QUEUE_SIZE 128
#define SECTOR_SIZE 512

struct virtio_blk {
    struct virtio_dev vdev;
    char name[32];
    char *path;
    int fd;
    bool readonly;
    uint64_t capacity;          /* In 512-byte sectors. */
    uint64_t n_reads, n_writes, n_flushes, n_errors;
};

struct blk_req_hdr {
    uint32_t type;
    uint32_t reserved;
    uint64_t sector;
};

static void
blk_read_config(struct virtio_dev *vdev, unsigned int off, void *data,
                unsigned int len)
{
    struct virtio_blk *blk = vdev->aux;
    uint8_t cfg[24];

    memset(cfg, 0, sizeof cfg);
    memcpy(cfg, &blk->capacity, 8);
    uint32_t seg_max = BLK_QUEUE_SIZE - 2;
    memcpy(cfg + 12, &seg_max, 4);
    if (off < sizeof cfg) {
        memcpy(data, cfg + off, MIN(len, sizeof cfg - off));
    }
}

/* Handles one request; returns its status and sets '*written'. */
static uint8_t
blk_do_request(struct virtio_blk *blk, struct virtq_elem *e, uint32_t *written)
{
    struct blk_req_hdr hdr;
    struct iovec data[VIRTQ_MAX_IOV];
    unsigned int n_data = 0;

    *written = 0;
    if (iov_to_buf(e->out, e->n_out, &hdr, sizeof hdr) != sizeof hdr) {
        VMM_WARN_RL("%s: request header too short", blk->name);
        return VIRTIO_BLK_S_IOERR;
    }

    /* Data: what follows the header in the readable part, or the writable
     * part without its last byte (the status). */
    if (hdr.type == VIRTIO_BLK_T_OUT) {
        size_t skip = sizeof hdr;
        for (unsigned int i = 0; i < e->n_out; i++) {
            if (skip >= e->out[i].iov_len) {
                skip -= e->out[i].iov_len;
                continue;
            }
            data[n_data].iov_base = (uint8_t *) e->out[i].iov_base + skip;
            data[n_data++].iov_len = e->out[i].iov_len - skip;
            skip = 0;
        }
    } else {
        memcpy(data, e->in, e->n_in * sizeof *data);
        n_data = e->n_in;
        data[n_data - 1].iov_len--;
    }
    size_t len = iov_size(data, n_data);
    uint64_t offset = hdr.sector * SECTOR_SIZE;

    switch (hdr.type) {
    case VIRTIO_BLK_T_IN:
    case VIRTIO_BLK_T_OUT: {
        bool is_write = hdr.type == VIRTIO_BLK_T_OUT;
        if (len % SECTOR_SIZE || hdr.sector > blk->capacity
            || len / SECTOR_SIZE > blk->capacity - hdr.sector) {
            VMM_WARN_RL("%s: %s of %zu bytes at sector %llu is out of range",
                        blk->name, is_write ? "write" : "read", len,
                        (unsigned long long) hdr.sector);
            return VIRTIO_BLK_S_IOERR;
        }
        if (is_write && blk->readonly) {
            return VIRTIO_BLK_S_IOERR;
        }
        ssize_t n = is_write ? pwritev(blk->fd, data, n_data, offset)
                             : preadv(blk->fd, data, n_data, offset);
        if (n != (ssize_t) len) {
            VMM_WARN_RL("%s: %s at sector %llu: %s", blk->name,
                        is_write ? "write" : "read",
                        (unsigned long long) hdr.sector,
                        n < 0 ? strerror(errno) : "short transfer");
            return VIRTIO_BLK_S_IOERR;
        }
        if (is_write) {
            blk->n_writes++;
        } else {
            blk->n_reads++;
            *written = len;
        }
        return VIRTIO_BLK_S_OK;
    }
    case VIRTIO_BLK_T_FLUSH:
        blk->n_flushes++;
        return fdatasync(blk->fd) ? VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_OK;
    case VIRTIO_BLK_T_GET_ID: {
        char id[20];
        memset(id, 0, sizeof id);
        memcpy(id, blk->name, MIN(strlen(blk->name), sizeof id));
        *written = buf_to_iov(id, MIN(len, sizeof id), data, n_data, 0);
        return VIRTIO_BLK_S_OK;
    }
    default:
        return VIRTIO_BLK_S_UNSUPP;
    }
}

static void
blk_queue_kick(struct virtio_dev *vdev, int q)
{
    struct virtio_blk *blk = vdev->aux;
    struct virtq *vq = &vdev->queues[q].vq;
    struct virtq_elem e;
    bool done = false;
    int error;

    while (!(error = virtq_pop(vq, &e))) {
        uint32_t written;
        uint8_t status;

        if (!e.n_in || !e.n_out) {
            VMM_WARN_RL("%s: request without header or status", blk->name);
            status = VIRTIO_BLK_S_IOERR;
            written = 0;
        } else {
            status = blk_do_request(blk, &e, &written);
        }
        if (status != VIRTIO_BLK_S_OK) {
            blk->n_errors++;
        }
        if (e.n_in) {
            struct iovec *last = &e.in[e.n_in - 1];
            if (last->iov_len) {
                ((uint8_t *) last->iov_base)[last->iov_len - 1] = status;
                written++;
            }
        }
        virtq_push(vq, e.head, written);
        done = true;
    }
    if (error == EINVAL) {
        vdev->status |= VIRTIO_STATUS_NEEDS_RESET;
    }
    if (done) {
        virtio_dev_notify(vdev, q);
    }
}

static const struct virtio_dev_ops blk_ops = {
    .read_config = blk_read_config,
    .queue_kick = blk_queue_kick,
};

int
virtio_blk_create(struct vmm *vmm, struct mainloop *ml, struct pci_bus *bus,
                  const char *spec, int index, struct virtio_blk **blkp)
{
    struct virtio_blk *blk = xzalloc(sizeof *blk);
    char *copy = xstrdup(spec);
    char *opt = strchr(copy, ',');
    struct stat st;
    int error;

    blk->fd = -1;
    snprintf(blk->name, sizeof blk->name, "virtio-blk%d", index);
    if (opt) {
        *opt++ = '\0';
        if (strcmp(opt, "readonly")) {
            VMM_ERR("--disk %s: unknown option \"%s\" (only readonly)", spec,
                    opt);
            error = EINVAL;
            goto error;
        }
        blk->readonly = true;
    }
    blk->path = xstrdup(copy);
    blk->fd = open(blk->path, (blk->readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
    if (blk->fd < 0 || fstat(blk->fd, &st) < 0) {
        error = errno;
        VMM_ERR("--disk %s: %s", blk->path, strerror(error));
        goto error;
    }
    if (!S_ISREG(st.st_mode) || st.st_size < SECTOR_SIZE) {
        VMM_ERR("--disk %s: must be a raw image file of at least %d bytes",
                blk->path, SECTOR_SIZE);
        error = EINVAL;
        goto error;
    }
    blk->capacity = st.st_size / SECTOR_SIZE;
    error = virtio_dev_init(&blk->vdev, vmm, ml, bus, blk->name,
                            VIRTIO_ID_BLOCK, 1, BLK_QUEUE_SIZE, &blk_ops, blk,
                            1);
    if (error) {
        goto error;
    }
    blk->vdev.host_features |= 1ULL << VIRTIO_BLK_F_SEG_MAX
        | 1ULL << VIRTIO_BLK_F_FLUSH
        | (blk->readonly ? 1ULL << VIRTIO_BLK_F_RO : 0);
    free(copy);
    *blkp = blk;
    return 0;

error:
    free(copy);
    virtio_blk_destroy(blk);
    return error;
}

void
virtio_blk_destroy(struct virtio_blk *blk)
{
    if (blk) {
        virtio_dev_uninit(&blk->vdev);
        if (blk->fd >= 0) {
            close(blk->fd);
        }
        free(blk->path);
        free(blk);
    }
}

void
virtio_blk_format(const struct virtio_blk *blk, struct ds *ds)
{
    ds_put_format(ds, "%s: pci 00:%02x.0, %s%s, %llu sectors, status %#x, "
                  "reads %llu, writes %llu, flushes %llu, errors %llu\n",
                  blk->name, blk->vdev.slot, blk->path,
                  blk->readonly ? " (readonly)" : "",
                  (unsigned long long) blk->capacity, blk->vdev.status,
                  (unsigned long long) blk->n_reads,
                  (unsigned long long) blk->n_writes,
                  (unsigned long long) blk->n_flushes,
                  (unsigned long long) blk->n_errors);
}
