/* vs-test-guest interrupts: an IDT whose vectors 0x40.. count MSI-X
 * messages, the local APIC enabled, and MSI-X programming for a virtio
 * device, so tests can prove interrupts arrive (through KVM irqfd, never
 * through vs-vmm, for vhost-user). */
#include "glib.h"
#include "irq.h"

#define LAPIC_BASE 0xfee00000ULL
#define LAPIC_EOI  0xb0
#define LAPIC_SVR  0xf0
#define IRQ_VECTOR_BASE 0x40

struct idt_gate {
    uint16_t off0, selector;
    uint8_t ist, type;
    uint16_t off1;
    uint32_t off2, zero;
} __attribute__((packed));

struct interrupt_frame;

static struct idt_gate idt[256] __attribute__((aligned(16)));
volatile unsigned long irq_counts[IRQ_N_VECTORS];

#define HANDLER(N)                                                      \
    __attribute__((interrupt)) static void                              \
    handler##N(struct interrupt_frame *frame)                           \
    {                                                                   \
        (void) frame;                                                   \
        irq_counts[N]++;                                                \
        mmio_write32(LAPIC_BASE + LAPIC_EOI, 0);                        \
    }
HANDLER(0)
HANDLER(1)
HANDLER(2)
HANDLER(3)

static void
set_gate(int vector, void (*fn)(struct interrupt_frame *))
{
    uint64_t a = (uintptr_t) fn;
    idt[vector] = (struct idt_gate) {
        .off0 = a, .selector = 0x10, .type = 0x8e,
        .off1 = a >> 16, .off2 = a >> 32,
    };
}

void
irq_init(void)
{
    static struct { uint16_t limit; uint64_t base; } __attribute__((packed)) idtr;

    set_gate(IRQ_VECTOR_BASE + 0, handler0);
    set_gate(IRQ_VECTOR_BASE + 1, handler1);
    set_gate(IRQ_VECTOR_BASE + 2, handler2);
    set_gate(IRQ_VECTOR_BASE + 3, handler3);
    idtr.limit = sizeof idt - 1;
    idtr.base = (uintptr_t) idt;
    __asm__ volatile("lidt %0" :: "m"(idtr));
    /* Software-enable the local APIC, spurious vector 0xff. */
    mmio_write32(LAPIC_BASE + LAPIC_SVR, 0x1ff);
    __asm__ volatile("sti");
}

int
irq_msix_enable(int slot, uint64_t (*bar_addr)(int slot, int bar),
                int n_vectors)
{
    int cap = pci_read8(slot, 0x34);
    for (int n = 0; cap && n < 16; n++) {
        if (pci_read8(slot, cap) == 0x11) {
            break;
        }
        cap = pci_read8(slot, cap + 1);
    }
    if (!cap || pci_read8(slot, cap) != 0x11) {
        gprintf("irq: no MSI-X capability\n");
        return -1;
    }
    uint32_t table = pci_read32(slot, cap + 4);
    uint64_t base = bar_addr(slot, table & 7) + (table & ~7u);
    for (int v = 0; v < n_vectors && v < IRQ_N_VECTORS; v++) {
        uint64_t e = base + v * 16;
        mmio_write32(e, LAPIC_BASE);            /* Destination: APIC 0. */
        mmio_write32(e + 4, 0);
        mmio_write32(e + 8, IRQ_VECTOR_BASE + v);       /* Fixed, edge. */
        mmio_write32(e + 12, 0);                /* Unmasked. */
    }
    uint16_t ctrl = pci_read16(slot, cap + 2);
    pci_write16(slot, cap + 2, (ctrl | 0x8000) & ~0x4000);
    return 0;
}
