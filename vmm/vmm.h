/* vs-vmm: the virtual machine, its guest memory and its I/O buses.
 *
 * Threads: one thread per vCPU (vcpu.c) runs KVM_RUN and emulates the port
 * and MMIO accesses that exit to user space; the main thread (vs-vmm.c) runs
 * the event loop that feeds serial input, tap packets, virtio-blk requests and
 * the vhost-user connection.  Device state is guarded by one lock,
 * vmm->dev_lock, taken around every emulated access and every event-loop
 * callback: devices are small and slow paths only (vhost-user datapaths never
 * come here), so one lock keeps them simple. */
#ifndef VMM_VMM_H
#define VMM_VMM_H 1

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* Guest physical layout. */
#define VMM_LOWMEM_MAX   0xC0000000ULL  /* RAM below the 32-bit PCI hole. */
#define VMM_HIGHMEM_BASE 0x100000000ULL /* RAM above 4 GiB, if any. */
#define VMM_PCI_MMIO_BASE 0xE0000000ULL /* BARs are placed from here. */
#define VMM_PCI_MMIO_SIZE 0x10000000ULL
#define VMM_MIN_MEMORY_MIB 4
#define VMM_MAX_MEMORY_MIB (64 * 1024)
#define VMM_MAX_VCPUS 8

struct vcpu;

/* A handler for a range of port or MMIO addresses.  'offset' is relative to
 * the range base; 'data' holds 'len' bytes (little endian). */
typedef void io_handler_fn(void *aux, uint64_t offset, void *data,
                           unsigned int len, bool is_write);

struct io_range {
    uint64_t base;
    uint64_t len;
    io_handler_fn *fn;
    void *aux;
};

struct io_bus {
    struct io_range *ranges;
    size_t n, allocated;
};

enum vmm_state {
    VMM_RUNNING,
    VMM_PAUSED,
    VMM_STOPPING,
};

/* Why the machine stopped, and the exit status vs-vmm returns. */
enum vmm_stop_reason {
    VMM_STOP_NONE,
    VMM_STOP_POWEROFF,      /* Guest powered off: status 0. */
    VMM_STOP_RESET,         /* Guest asked for reset: status 0. */
    VMM_STOP_SIGNAL,        /* SIGTERM/SIGINT or "vmm/poweroff": status 0. */
    VMM_STOP_ERROR,         /* KVM error, failed entry, triple fault: 1. */
};

struct vmm {
    int kvm_fd;
    int vm_fd;
    int run_size;               /* Size of each vCPU's kvm_run mapping. */

    /* Guest RAM: one memfd mapped once; [0, lowmem_size) at GPA 0 and the
     * rest at VMM_HIGHMEM_BASE.  The fd is what vhost-user backends map. */
    int mem_fd;
    uint8_t *mem;
    uint64_t mem_size;
    uint64_t lowmem_size;

    int n_vcpus;
    struct vcpu **vcpus;

    struct io_bus pio;
    struct io_bus mmio;

    pthread_mutex_t dev_lock;   /* Guards all device state (see above). */

    /* Run state, changed by any thread under state_lock. */
    pthread_mutex_t state_lock;
    pthread_cond_t state_cond;
    enum vmm_state state;
    enum vmm_stop_reason stop_reason;
    int n_paused;               /* vCPUs parked in the paused state. */
    int wake_fd;                /* eventfd: wakes the main loop on stop. */

    /* GSI routing: KVM's default irqchip routes plus MSI routes. */
    struct kvm_irq_routing_entry *msi_routes;
    size_t n_msi_routes;
    uint32_t next_gsi;
};

int vmm_create(uint64_t mem_mib, int n_vcpus, struct vmm **);
void vmm_destroy(struct vmm *);

/* Returns a host pointer for guest physical [gpa, gpa + len), or NULL if the
 * range is not entirely guest RAM.  Safe for guest-supplied addresses. */
void *vmm_gpa_to_hva(const struct vmm *, uint64_t gpa, uint64_t len);

/* I/O buses. */
void io_bus_register(struct io_bus *, uint64_t base, uint64_t len,
                     io_handler_fn *, void *aux);
void io_bus_move(struct io_bus *, void *aux, uint64_t old_base,
                 uint64_t new_base);
bool io_bus_dispatch(struct io_bus *, uint64_t addr, void *data,
                     unsigned int len, bool is_write);

/* Interrupts. */
int vmm_irq_line(struct vmm *, uint32_t irq, int level);
int vmm_gsi_alloc(struct vmm *, uint32_t *gsi);
int vmm_gsi_set_msi(struct vmm *, uint32_t gsi, uint64_t addr, uint32_t data);
int vmm_irqfd(struct vmm *, int fd, uint32_t gsi, bool assign);
int vmm_ioeventfd(struct vmm *, int fd, uint64_t addr, unsigned int len,
                  bool assign);

/* Run state. */
void vmm_request_stop(struct vmm *, enum vmm_stop_reason);
int vmm_pause(struct vmm *);
int vmm_resume(struct vmm *);
const char *vmm_state_name(const struct vmm *);
const char *vmm_stop_reason_name(enum vmm_stop_reason);

/* Power-off and reset ports (platform.c). */
void platform_init(struct vmm *);

#endif /* vmm/vmm.h */
