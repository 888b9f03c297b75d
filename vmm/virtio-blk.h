/* virtio-blk on a raw image file. */
#ifndef VMM_VIRTIO_BLK_H
#define VMM_VIRTIO_BLK_H 1

struct vmm;
struct mainloop;
struct pci_bus;
struct virtio_blk;
struct ds;

/* 'spec' is "PATH[,readonly]". */
int virtio_blk_create(struct vmm *, struct mainloop *, struct pci_bus *,
                      const char *spec, int index, struct virtio_blk **);
void virtio_blk_destroy(struct virtio_blk *);
void virtio_blk_format(const struct virtio_blk *, struct ds *);

#endif /* vmm/virtio-blk.h */
