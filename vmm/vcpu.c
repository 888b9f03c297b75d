/* vCPU setup (CPUID, MSRs, 64-bit entry state) and the vCPU thread loop. */
#include <config.h>
#include "vcpu.h"

#include <errno.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dynamic-string.h"
#include "log.h"
#include "util.h"
#include "vmm.h"

#define VCPU_KICK_SIGNAL SIGUSR1

/* x86 architectural constants used to enter long mode. */
#define CR0_PE 0x1ULL
#define CR0_MP 0x2ULL
#define CR0_ET 0x10ULL
#define CR0_NE 0x20ULL
#define CR0_WP 0x10000ULL
#define CR0_PG 0x80000000ULL
#define CR4_PAE 0x20ULL
#define EFER_LME 0x100ULL
#define EFER_LMA 0x400ULL

#define MSR_IA32_SYSENTER_CS  0x174
#define MSR_IA32_SYSENTER_ESP 0x175
#define MSR_IA32_SYSENTER_EIP 0x176
#define MSR_IA32_MISC_ENABLE  0x1a0
#define MSR_STAR              0xc0000081
#define MSR_LSTAR             0xc0000082
#define MSR_CSTAR             0xc0000083
#define MSR_SYSCALL_MASK      0xc0000084
#define MSR_KERNEL_GS_BASE    0xc0000102
#define MSR_IA32_TSC          0x10
#define MISC_ENABLE_FAST_STRING 0x1

static void
kick_handler(int sig VS_UNUSED)
{
    /* Only interrupts KVM_RUN. */
}

static int
setup_cpuid(struct vcpu *vcpu)
{
    struct kvm_cpuid2 *cpuid = NULL;
    int nent = 64;
    int error;

    for (;;) {
        cpuid = xrealloc(cpuid, sizeof *cpuid + nent * sizeof cpuid->entries[0]);
        memset(cpuid, 0, sizeof *cpuid);
        cpuid->nent = nent;
        if (!ioctl(vcpu->vmm->kvm_fd, KVM_GET_SUPPORTED_CPUID, cpuid)) {
            break;
        }
        if (errno != E2BIG || nent >= 1024) {
            error = errno;
            VMM_ERR("KVM_GET_SUPPORTED_CPUID: %s", strerror(error));
            free(cpuid);
            return error;
        }
        nent *= 2;
    }
    for (uint32_t i = 0; i < cpuid->nent; i++) {
        struct kvm_cpuid_entry2 *e = &cpuid->entries[i];
        switch (e->function) {
        case 1:
            /* Initial APIC ID, and tell the guest it runs on a hypervisor. */
            e->ebx = (e->ebx & 0x00ffffff) | ((uint32_t) vcpu->id << 24);
            e->ecx |= 1U << 31;
            break;
        case 0xb:
        case 0x1f:
            e->edx = vcpu->id;  /* x2APIC ID. */
            break;
        }
    }
    error = ioctl(vcpu->fd, KVM_SET_CPUID2, cpuid) < 0 ? errno : 0;
    if (error) {
        VMM_ERR("KVM_SET_CPUID2: %s", strerror(error));
    }
    free(cpuid);
    return error;
}

static int
setup_msrs(struct vcpu *vcpu)
{
    static const struct { uint32_t index; uint64_t value; } init[] = {
        { MSR_IA32_SYSENTER_CS, 0 },
        { MSR_IA32_SYSENTER_ESP, 0 },
        { MSR_IA32_SYSENTER_EIP, 0 },
        { MSR_STAR, 0 },
        { MSR_LSTAR, 0 },
        { MSR_CSTAR, 0 },
        { MSR_SYSCALL_MASK, 0 },
        { MSR_KERNEL_GS_BASE, 0 },
        { MSR_IA32_TSC, 0 },
        { MSR_IA32_MISC_ENABLE, MISC_ENABLE_FAST_STRING },
    };
    struct kvm_msrs *msrs = xzalloc(sizeof *msrs
                                    + ARRAY_SIZE(init) * sizeof msrs->entries[0]);
    for (size_t i = 0; i < ARRAY_SIZE(init); i++) {
        msrs->entries[i].index = init[i].index;
        msrs->entries[i].data = init[i].value;
    }
    msrs->nmsrs = ARRAY_SIZE(init);
    int n = ioctl(vcpu->fd, KVM_SET_MSRS, msrs);
    free(msrs);
    if (n != (int) ARRAY_SIZE(init)) {
        VMM_ERR("KVM_SET_MSRS: set %d of %zu MSRs", n, ARRAY_SIZE(init));
        return EINVAL;
    }
    return 0;
}

int
vcpu_create(struct vmm *vmm, int id, struct vcpu **vcpup)
{
    struct vcpu *vcpu = xzalloc(sizeof *vcpu);
    int error;

    vcpu->vmm = vmm;
    vcpu->id = id;
    vcpu->fd = ioctl(vmm->vm_fd, KVM_CREATE_VCPU, (unsigned long) id);
    if (vcpu->fd < 0) {
        error = errno;
        VMM_ERR("KVM_CREATE_VCPU %d: %s", id, strerror(error));
        free(vcpu);
        return error;
    }
    vcpu->run = mmap(NULL, vmm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
                     vcpu->fd, 0);
    if (vcpu->run == MAP_FAILED) {
        error = errno;
        VMM_ERR("mmap kvm_run: %s", strerror(error));
        close(vcpu->fd);
        free(vcpu);
        return error;
    }
    error = setup_cpuid(vcpu);
    if (!error) {
        error = setup_msrs(vcpu);
    }
    if (!error) {
        struct kvm_fpu fpu = { .fcw = 0x37f, .mxcsr = 0x1f80 };
        if (ioctl(vcpu->fd, KVM_SET_FPU, &fpu) < 0) {
            error = errno;
            VMM_ERR("KVM_SET_FPU: %s", strerror(error));
        }
    }
    if (error) {
        vcpu_destroy(vcpu);
        return error;
    }
    *vcpup = vcpu;
    return 0;
}

static void
set_segment(struct kvm_segment *s, uint16_t selector, uint8_t type, bool code)
{
    memset(s, 0, sizeof *s);
    s->base = 0;
    s->limit = 0xffffffff;
    s->selector = selector;
    s->type = type;
    s->present = 1;
    s->s = 1;
    s->g = 1;
    s->l = code;
    s->db = !code;
}

int
vcpu_set_boot_entry(struct vcpu *vcpu, const struct boot_entry *be)
{
    struct kvm_sregs sregs;
    struct kvm_regs regs;

    if (ioctl(vcpu->fd, KVM_GET_SREGS, &sregs) < 0) {
        return errno;
    }
    /* 64-bit: flat code (selector 0x10) and data (0x18), as the Linux 64-bit
     * boot protocol requires.  PVH: flat 32-bit code (0x08) and data (0x10).
     * boot.c puts the same GDT in guest memory. */
    set_segment(&sregs.cs, be->pvh ? 0x08 : 0x10, 0xb, !be->pvh);
    if (be->pvh) {
        sregs.cs.db = 1;
    }
    set_segment(&sregs.ds, be->pvh ? 0x10 : 0x18, 0x3, false);
    sregs.es = sregs.fs = sregs.gs = sregs.ss = sregs.ds;
    memset(&sregs.tr, 0, sizeof sregs.tr);
    sregs.tr.selector = be->pvh ? 0x18 : 0x20;
    sregs.tr.limit = 0x67;
    sregs.tr.type = 0xb;        /* Busy 64-bit TSS, needed by VM entry. */
    sregs.tr.present = 1;
    sregs.gdt.base = be->gdt_base;
    sregs.gdt.limit = be->gdt_limit;
    sregs.idt.base = 0;
    sregs.idt.limit = 0;
    if (be->pvh) {
        sregs.cr0 = CR0_PE | CR0_ET;
        sregs.cr3 = 0;
        sregs.cr4 = 0;
        sregs.efer = 0;
    } else {
        sregs.cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
        sregs.cr3 = be->cr3;
        sregs.cr4 = CR4_PAE;
        sregs.efer = EFER_LME | EFER_LMA;
    }
    if (ioctl(vcpu->fd, KVM_SET_SREGS, &sregs) < 0) {
        int error = errno;
        VMM_ERR("KVM_SET_SREGS: %s", strerror(error));
        return error;
    }

    memset(&regs, 0, sizeof regs);
    regs.rflags = 0x2;
    regs.rip = be->rip;
    regs.rsi = be->rsi;
    regs.rbx = be->rbx;
    if (ioctl(vcpu->fd, KVM_SET_REGS, &regs) < 0) {
        int error = errno;
        VMM_ERR("KVM_SET_REGS: %s", strerror(error));
        return error;
    }
    return 0;
}

/* Appends up to 15 bytes of guest code at 'rip' to 'ds', if mapped. */
static void
format_code_bytes(struct vcpu *vcpu, uint64_t rip, struct ds *ds)
{
    struct kvm_translation tr = { .linear_address = rip };
    if (ioctl(vcpu->fd, KVM_TRANSLATE, &tr) < 0 || !tr.valid) {
        ds_put_cstr(ds, " (code not mapped)");
        return;
    }
    uint64_t page_left = 4096 - (tr.physical_address & 4095);
    uint64_t n = MIN(15, page_left);
    const uint8_t *code = vmm_gpa_to_hva(vcpu->vmm, tr.physical_address, n);
    if (!code) {
        ds_put_cstr(ds, " (code outside RAM)");
        return;
    }
    ds_put_cstr(ds, ", code:");
    for (uint64_t i = 0; i < n; i++) {
        ds_put_format(ds, " %02x", code[i]);
    }
}

static uint64_t
vcpu_rip(struct vcpu *vcpu)
{
    struct kvm_regs regs;
    return ioctl(vcpu->fd, KVM_GET_REGS, &regs) < 0 ? 0 : regs.rip;
}

/* Reports a fatal exit with its reason and guest RIP, and stops the VM. */
static void
vcpu_fatal_exit(struct vcpu *vcpu, const char *what)
{
    struct ds ds = DS_EMPTY_INITIALIZER;
    uint64_t rip = vcpu_rip(vcpu);
    struct kvm_run *run = vcpu->run;

    ds_put_format(&ds, "vCPU %d: %s (KVM exit reason %u) at guest RIP %#llx",
                  vcpu->id, what, run->exit_reason, (unsigned long long) rip);
    if (run->exit_reason == KVM_EXIT_INTERNAL_ERROR) {
        ds_put_format(&ds, ", suberror %u%s", run->internal.suberror,
                      run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION
                      ? " (instruction emulation failed)" : "");
        for (uint32_t i = 0; i < run->internal.ndata
                 && i < ARRAY_SIZE(run->internal.data); i++) {
            ds_put_format(&ds, "%s%#llx", i ? " " : ", data ",
                          (unsigned long long) run->internal.data[i]);
        }
    } else if (run->exit_reason == KVM_EXIT_FAIL_ENTRY) {
        ds_put_format(&ds, ", hardware entry failure reason %#llx",
                      (unsigned long long)
                      run->fail_entry.hardware_entry_failure_reason);
    }
    format_code_bytes(vcpu, rip, &ds);
    VMM_ERR("%s", ds_cstr(&ds));
    ds_destroy(&ds);
    vmm_request_stop(vcpu->vmm, VMM_STOP_ERROR);
}

static void
handle_io(struct vcpu *vcpu)
{
    struct kvm_run *run = vcpu->run;
    uint8_t *data = (uint8_t *) run + run->io.data_offset;
    bool is_write = run->io.direction == KVM_EXIT_IO_OUT;
    struct vmm *vmm = vcpu->vmm;

    pthread_mutex_lock(&vmm->dev_lock);
    for (uint32_t i = 0; i < run->io.count; i++) {
        uint8_t *p = data + i * run->io.size;
        if (!io_bus_dispatch(&vmm->pio, run->io.port, p, run->io.size,
                             is_write) && !is_write) {
            memset(p, 0xff, run->io.size);
        }
    }
    pthread_mutex_unlock(&vmm->dev_lock);
}

static void
handle_mmio(struct vcpu *vcpu)
{
    struct kvm_run *run = vcpu->run;
    struct vmm *vmm = vcpu->vmm;
    unsigned int len = MIN(run->mmio.len, sizeof run->mmio.data);

    pthread_mutex_lock(&vmm->dev_lock);
    if (!io_bus_dispatch(&vmm->mmio, run->mmio.phys_addr, run->mmio.data,
                         len, run->mmio.is_write)) {
        if (!run->mmio.is_write) {
            memset(run->mmio.data, 0xff, len);
        }
        VMM_WARN_RL("vCPU %d: %s of %u bytes at unassigned MMIO %#llx",
                    vcpu->id, run->mmio.is_write ? "write" : "read", len,
                    (unsigned long long) run->mmio.phys_addr);
    }
    pthread_mutex_unlock(&vmm->dev_lock);
}

static void
handle_system_event(struct vcpu *vcpu)
{
    switch (vcpu->run->system_event.type) {
    case KVM_SYSTEM_EVENT_SHUTDOWN:
        VMM_INFO("guest powered off");
        vmm_request_stop(vcpu->vmm, VMM_STOP_POWEROFF);
        break;
    case KVM_SYSTEM_EVENT_RESET:
        VMM_INFO("guest requested reset; stopping");
        vmm_request_stop(vcpu->vmm, VMM_STOP_RESET);
        break;
    default:
        vcpu_fatal_exit(vcpu, "guest crash event");
        break;
    }
}

/* Waits while the VM is paused.  Returns false when the VM is stopping. */
static bool
vcpu_wait_runnable(struct vcpu *vcpu)
{
    struct vmm *vmm = vcpu->vmm;
    bool run;

    pthread_mutex_lock(&vmm->state_lock);
    while (vmm->state == VMM_PAUSED) {
        vmm->n_paused++;
        pthread_cond_broadcast(&vmm->state_cond);
        pthread_cond_wait(&vmm->state_cond, &vmm->state_lock);
        vmm->n_paused--;
    }
    run = vmm->state == VMM_RUNNING;
    pthread_mutex_unlock(&vmm->state_lock);
    return run;
}

static void *
vcpu_thread(void *vcpu_)
{
    struct vcpu *vcpu = vcpu_;
    struct kvm_run *run = vcpu->run;
    char name[16];

    snprintf(name, sizeof name, "vcpu%d", vcpu->id);
    pthread_setname_np(pthread_self(), name);

    while (vcpu_wait_runnable(vcpu)) {
        if (ioctl(vcpu->fd, KVM_RUN, 0) < 0) {
            if (errno == EINTR || errno == EAGAIN) {
                __atomic_store_n(&run->immediate_exit, 0, __ATOMIC_SEQ_CST);
                continue;
            }
            VMM_ERR("vCPU %d: KVM_RUN: %s", vcpu->id, strerror(errno));
            vmm_request_stop(vcpu->vmm, VMM_STOP_ERROR);
            break;
        }
        vcpu->n_exits++;
        switch (run->exit_reason) {
        case KVM_EXIT_IO:
            handle_io(vcpu);
            break;
        case KVM_EXIT_MMIO:
            handle_mmio(vcpu);
            break;
        case KVM_EXIT_INTR:
            break;
        case KVM_EXIT_SYSTEM_EVENT:
            handle_system_event(vcpu);
            break;
        case KVM_EXIT_SHUTDOWN:
            vcpu_fatal_exit(vcpu, "triple fault (guest reset by shutdown)");
            break;
        case KVM_EXIT_HLT:
            vcpu_fatal_exit(vcpu, "halt with interrupts off");
            break;
        case KVM_EXIT_INTERNAL_ERROR:
            vcpu_fatal_exit(vcpu, "KVM internal error");
            break;
        case KVM_EXIT_FAIL_ENTRY:
            vcpu_fatal_exit(vcpu, "VM entry failed");
            break;
        default:
            vcpu_fatal_exit(vcpu, "unexpected exit");
            break;
        }
    }
    return NULL;
}

int
vcpu_start(struct vcpu *vcpu)
{
    static bool handler_installed;
    if (!handler_installed) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = kick_handler;   /* No SA_RESTART: KVM_RUN returns. */
        sigemptyset(&sa.sa_mask);
        sigaction(VCPU_KICK_SIGNAL, &sa, NULL);
        handler_installed = true;
    }
    int error = pthread_create(&vcpu->thread, NULL, vcpu_thread, vcpu);
    if (error) {
        VMM_ERR("cannot start vCPU %d thread: %s", vcpu->id, strerror(error));
        return error;
    }
    vcpu->started = true;
    return 0;
}

void
vcpu_kick(struct vcpu *vcpu)
{
    if (vcpu->started) {
        __atomic_store_n(&vcpu->run->immediate_exit, 1, __ATOMIC_SEQ_CST);
        pthread_kill(vcpu->thread, VCPU_KICK_SIGNAL);
    }
}

void
vcpu_join(struct vcpu *vcpu)
{
    if (vcpu->started) {
        pthread_join(vcpu->thread, NULL);
        vcpu->started = false;
    }
}

void
vcpu_destroy(struct vcpu *vcpu)
{
    if (vcpu) {
        vcpu_join(vcpu);
        munmap(vcpu->run, vcpu->vmm->run_size);
        close(vcpu->fd);
        free(vcpu);
    }
}
