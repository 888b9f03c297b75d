/* vCPUs: one thread each, running KVM_RUN and emulating exits. */
#ifndef VMM_VCPU_H
#define VMM_VCPU_H 1

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

struct vmm;
struct kvm_run;

/* Where and how the boot vCPU enters the guest (filled by boot.c). */
struct boot_entry {
    bool pvh;                   /* 32-bit protected mode, no paging (PVH);
                                 * otherwise 64-bit long mode. */
    uint64_t rip;
    uint64_t rsi;               /* Linux: the boot_params address. */
    uint64_t rbx;               /* PVH: the hvm_start_info address. */
    uint64_t cr3;               /* Identity page tables. */
    uint64_t gdt_base;
    uint16_t gdt_limit;
};

struct vcpu {
    struct vmm *vmm;
    int id;
    int fd;
    struct kvm_run *run;        /* Shared with KVM, run_size bytes. */
    pthread_t thread;
    bool started;
    uint64_t n_exits;           /* Exits handled in user space. */
};

int vcpu_create(struct vmm *, int id, struct vcpu **);
int vcpu_set_boot_entry(struct vcpu *, const struct boot_entry *);
int vcpu_start(struct vcpu *);
void vcpu_kick(struct vcpu *);
void vcpu_join(struct vcpu *);
void vcpu_destroy(struct vcpu *);

#endif /* vmm/vcpu.h */
