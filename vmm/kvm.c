/* The virtual machine: /dev/kvm, memfd guest RAM, in-kernel irqchip and PIT,
 * GSI routing for MSI, ioeventfd and irqfd. */
#include <config.h>
#include "vmm.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

/* Addresses KVM needs for its own use on Intel; outside RAM and PCI BARs. */
#define VMM_IDENTITY_MAP_ADDR 0xFEFFC000ULL
#define VMM_TSS_ADDR          0xFEFFD000ULL

static int
open_kvm(int *fdp)
{
    int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        int error = errno;
        if (error == ENOENT) {
            VMM_ERR("/dev/kvm does not exist: KVM is not available on this "
                    "host (load kvm_intel or kvm_amd, or enable "
                    "virtualization)");
        } else {
            VMM_ERR("cannot open /dev/kvm: %s", strerror(error));
        }
        return error;
    }
    int version = ioctl(fd, KVM_GET_API_VERSION, 0);
    if (version != KVM_API_VERSION) {
        VMM_ERR("/dev/kvm speaks API version %d, need %d", version,
                KVM_API_VERSION);
        close(fd);
        return ENOTSUP;
    }
    static const struct { int cap; const char *name; } caps[] = {
        { KVM_CAP_IRQCHIP, "in-kernel irqchip" },
        { KVM_CAP_USER_MEMORY, "user memory" },
        { KVM_CAP_IRQFD, "irqfd" },
        { KVM_CAP_IOEVENTFD, "ioeventfd" },
        { KVM_CAP_IRQ_ROUTING, "irq routing" },
        { KVM_CAP_EXT_CPUID, "cpuid2" },
        { KVM_CAP_PIT2, "PIT" },
        { KVM_CAP_IMMEDIATE_EXIT, "immediate exit" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(caps); i++) {
        if (ioctl(fd, KVM_CHECK_EXTENSION, caps[i].cap) <= 0) {
            VMM_ERR("/dev/kvm lacks a capability vs-vmm needs: %s",
                    caps[i].name);
            close(fd);
            return ENOTSUP;
        }
    }
    *fdp = fd;
    return 0;
}

static int
setup_memory(struct vmm *vmm, uint64_t mem_mib)
{
    vmm->mem_size = mem_mib << 20;
    vmm->lowmem_size = MIN(vmm->mem_size, VMM_LOWMEM_MAX);

    vmm->mem_fd = memfd_create("vs-vmm-ram", MFD_CLOEXEC);
    if (vmm->mem_fd < 0) {
        int error = errno;
        VMM_ERR("memfd_create: %s", strerror(error));
        return error;
    }
    if (ftruncate(vmm->mem_fd, vmm->mem_size) < 0) {
        int error = errno;
        VMM_ERR("cannot size guest memory to %llu MiB: %s",
                (unsigned long long) mem_mib, strerror(error));
        return error;
    }
    vmm->mem = mmap(NULL, vmm->mem_size, PROT_READ | PROT_WRITE,
                    MAP_SHARED | MAP_NORESERVE, vmm->mem_fd, 0);
    if (vmm->mem == MAP_FAILED) {
        int error = errno;
        vmm->mem = NULL;
        VMM_ERR("cannot map %llu MiB of guest memory: %s",
                (unsigned long long) mem_mib, strerror(error));
        return error;
    }
    madvise(vmm->mem, vmm->mem_size, MADV_MERGEABLE);

    struct kvm_userspace_memory_region low = {
        .slot = 0,
        .guest_phys_addr = 0,
        .memory_size = vmm->lowmem_size,
        .userspace_addr = (uintptr_t) vmm->mem,
    };
    if (ioctl(vmm->vm_fd, KVM_SET_USER_MEMORY_REGION, &low) < 0) {
        int error = errno;
        VMM_ERR("KVM_SET_USER_MEMORY_REGION: %s", strerror(error));
        return error;
    }
    if (vmm->mem_size > vmm->lowmem_size) {
        struct kvm_userspace_memory_region high = {
            .slot = 1,
            .guest_phys_addr = VMM_HIGHMEM_BASE,
            .memory_size = vmm->mem_size - vmm->lowmem_size,
            .userspace_addr = (uintptr_t) vmm->mem + vmm->lowmem_size,
        };
        if (ioctl(vmm->vm_fd, KVM_SET_USER_MEMORY_REGION, &high) < 0) {
            int error = errno;
            VMM_ERR("KVM_SET_USER_MEMORY_REGION (high): %s", strerror(error));
            return error;
        }
    }
    return 0;
}

int
vmm_create(uint64_t mem_mib, int n_vcpus, struct vmm **vmmp)
{
    struct vmm *vmm = xzalloc(sizeof *vmm);
    int error;

    *vmmp = NULL;
    vmm->kvm_fd = vmm->vm_fd = vmm->mem_fd = vmm->wake_fd = -1;
    vmm->n_vcpus = n_vcpus;
    vmm->next_gsi = 24;         /* 0..23 are the IOAPIC pins. */
    pthread_mutex_init(&vmm->dev_lock, NULL);
    pthread_mutex_init(&vmm->state_lock, NULL);
    pthread_cond_init(&vmm->state_cond, NULL);

    error = open_kvm(&vmm->kvm_fd);
    if (error) {
        goto error;
    }
    vmm->run_size = ioctl(vmm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
    vmm->vm_fd = ioctl(vmm->kvm_fd, KVM_CREATE_VM, 0);
    if (vmm->vm_fd < 0 || vmm->run_size <= 0) {
        error = errno;
        VMM_ERR("KVM_CREATE_VM: %s", strerror(error));
        goto error;
    }
    if (ioctl(vmm->vm_fd, KVM_SET_TSS_ADDR, (unsigned long) VMM_TSS_ADDR) < 0) {
        error = errno;
        VMM_ERR("KVM_SET_TSS_ADDR: %s", strerror(error));
        goto error;
    }
    uint64_t idmap = VMM_IDENTITY_MAP_ADDR;
    if (ioctl(vmm->vm_fd, KVM_SET_IDENTITY_MAP_ADDR, &idmap) < 0) {
        error = errno;
        VMM_ERR("KVM_SET_IDENTITY_MAP_ADDR: %s", strerror(error));
        goto error;
    }
    if (ioctl(vmm->vm_fd, KVM_CREATE_IRQCHIP, 0) < 0) {
        error = errno;
        VMM_ERR("KVM_CREATE_IRQCHIP: %s", strerror(error));
        goto error;
    }
    struct kvm_pit_config pit = { .flags = KVM_PIT_SPEAKER_DUMMY };
    if (ioctl(vmm->vm_fd, KVM_CREATE_PIT2, &pit) < 0) {
        error = errno;
        VMM_ERR("KVM_CREATE_PIT2: %s", strerror(error));
        goto error;
    }
    error = setup_memory(vmm, mem_mib);
    if (error) {
        goto error;
    }
    vmm->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (vmm->wake_fd < 0) {
        error = errno;
        goto error;
    }
    vmm->vcpus = xcalloc(n_vcpus, sizeof *vmm->vcpus);
    *vmmp = vmm;
    return 0;

error:
    vmm_destroy(vmm);
    return error;
}

void
vmm_destroy(struct vmm *vmm)
{
    if (!vmm) {
        return;
    }
    free(vmm->vcpus);
    free(vmm->msi_routes);
    free(vmm->pio.ranges);
    free(vmm->mmio.ranges);
    if (vmm->mem) {
        munmap(vmm->mem, vmm->mem_size);
    }
    if (vmm->mem_fd >= 0) {
        close(vmm->mem_fd);
    }
    if (vmm->wake_fd >= 0) {
        close(vmm->wake_fd);
    }
    if (vmm->vm_fd >= 0) {
        close(vmm->vm_fd);
    }
    if (vmm->kvm_fd >= 0) {
        close(vmm->kvm_fd);
    }
    pthread_mutex_destroy(&vmm->dev_lock);
    pthread_mutex_destroy(&vmm->state_lock);
    pthread_cond_destroy(&vmm->state_cond);
    free(vmm);
}

void *
vmm_gpa_to_hva(const struct vmm *vmm, uint64_t gpa, uint64_t len)
{
    if (gpa + len < gpa) {
        return NULL;
    }
    if (gpa + len <= vmm->lowmem_size) {
        return vmm->mem + gpa;
    }
    uint64_t high = vmm->mem_size - vmm->lowmem_size;
    if (gpa >= VMM_HIGHMEM_BASE && gpa + len <= VMM_HIGHMEM_BASE + high) {
        return vmm->mem + vmm->lowmem_size + (gpa - VMM_HIGHMEM_BASE);
    }
    return NULL;
}

int
vmm_irq_line(struct vmm *vmm, uint32_t irq, int level)
{
    struct kvm_irq_level l = { .irq = irq, .level = level };
    return ioctl(vmm->vm_fd, KVM_IRQ_LINE, &l) < 0 ? errno : 0;
}

/* KVM_SET_GSI_ROUTING replaces the whole table, so every commit includes the
 * default legacy routes (GSI 0-15 to both PICs and the IOAPIC, 16-23 to the
 * IOAPIC) followed by our MSI routes. */
static int
commit_routes(struct vmm *vmm)
{
    size_t n_legacy = 16 * 2 + 8;
    size_t n = n_legacy + vmm->n_msi_routes;
    struct kvm_irq_routing *r = xzalloc(sizeof *r + n * sizeof r->entries[0]);
    size_t i = 0;

    for (uint32_t gsi = 0; gsi < 24; gsi++) {
        if (gsi < 16) {
            r->entries[i].gsi = gsi;
            r->entries[i].type = KVM_IRQ_ROUTING_IRQCHIP;
            r->entries[i].u.irqchip.irqchip = gsi < 8 ? KVM_IRQCHIP_PIC_MASTER
                                                      : KVM_IRQCHIP_PIC_SLAVE;
            r->entries[i].u.irqchip.pin = gsi % 8;
            i++;
        }
        r->entries[i].gsi = gsi;
        r->entries[i].type = KVM_IRQ_ROUTING_IRQCHIP;
        r->entries[i].u.irqchip.irqchip = KVM_IRQCHIP_IOAPIC;
        r->entries[i].u.irqchip.pin = gsi;
        i++;
    }
    memcpy(&r->entries[i], vmm->msi_routes,
           vmm->n_msi_routes * sizeof r->entries[0]);
    r->nr = n;
    int error = ioctl(vmm->vm_fd, KVM_SET_GSI_ROUTING, r) < 0 ? errno : 0;
    if (error) {
        VMM_ERR("KVM_SET_GSI_ROUTING: %s", strerror(error));
    }
    free(r);
    return error;
}

int
vmm_gsi_alloc(struct vmm *vmm, uint32_t *gsi)
{
    struct kvm_irq_routing_entry *e;

    vmm->msi_routes = xrealloc(vmm->msi_routes,
                               (vmm->n_msi_routes + 1) * sizeof *e);
    e = &vmm->msi_routes[vmm->n_msi_routes++];
    memset(e, 0, sizeof *e);
    e->gsi = *gsi = vmm->next_gsi++;
    e->type = KVM_IRQ_ROUTING_MSI;
    /* An MSI to the unusable address 0 until the guest programs it; no
     * irqfd is attached before then. */
    return commit_routes(vmm);
}

int
vmm_gsi_set_msi(struct vmm *vmm, uint32_t gsi, uint64_t addr, uint32_t data)
{
    for (size_t i = 0; i < vmm->n_msi_routes; i++) {
        struct kvm_irq_routing_entry *e = &vmm->msi_routes[i];
        if (e->gsi == gsi) {
            if (e->u.msi.address_lo == (uint32_t) addr
                && e->u.msi.address_hi == (uint32_t) (addr >> 32)
                && e->u.msi.data == data) {
                return 0;
            }
            e->u.msi.address_lo = addr;
            e->u.msi.address_hi = addr >> 32;
            e->u.msi.data = data;
            return commit_routes(vmm);
        }
    }
    return ENOENT;
}

int
vmm_irqfd(struct vmm *vmm, int fd, uint32_t gsi, bool assign)
{
    struct kvm_irqfd irqfd = {
        .fd = fd,
        .gsi = gsi,
        .flags = assign ? 0 : KVM_IRQFD_FLAG_DEASSIGN,
    };
    if (ioctl(vmm->vm_fd, KVM_IRQFD, &irqfd) < 0) {
        int error = errno;
        VMM_ERR("KVM_IRQFD (%s gsi %u): %s", assign ? "assign" : "deassign",
                gsi, strerror(error));
        return error;
    }
    return 0;
}

int
vmm_ioeventfd(struct vmm *vmm, int fd, uint64_t addr, unsigned int len,
              bool assign)
{
    struct kvm_ioeventfd io = {
        .addr = addr,
        .len = len,
        .fd = fd,
        .flags = assign ? 0 : KVM_IOEVENTFD_FLAG_DEASSIGN,
    };
    if (ioctl(vmm->vm_fd, KVM_IOEVENTFD, &io) < 0) {
        int error = errno;
        VMM_ERR("KVM_IOEVENTFD (%#llx): %s", (unsigned long long) addr,
                strerror(error));
        return error;
    }
    return 0;
}

void
io_bus_register(struct io_bus *bus, uint64_t base, uint64_t len,
                io_handler_fn *fn, void *aux)
{
    if (bus->n >= bus->allocated) {
        bus->ranges = x2nrealloc(bus->ranges, &bus->allocated,
                                 sizeof *bus->ranges);
    }
    bus->ranges[bus->n++] = (struct io_range) { base, len, fn, aux };
}

void
io_bus_move(struct io_bus *bus, void *aux, uint64_t old_base,
            uint64_t new_base)
{
    for (size_t i = 0; i < bus->n; i++) {
        if (bus->ranges[i].aux == aux && bus->ranges[i].base == old_base) {
            bus->ranges[i].base = new_base;
        }
    }
}

bool
io_bus_dispatch(struct io_bus *bus, uint64_t addr, void *data,
                unsigned int len, bool is_write)
{
    for (size_t i = 0; i < bus->n; i++) {
        struct io_range *r = &bus->ranges[i];
        if (addr >= r->base && addr - r->base < r->len) {
            r->fn(r->aux, addr - r->base, data, len, is_write);
            return true;
        }
    }
    return false;
}
