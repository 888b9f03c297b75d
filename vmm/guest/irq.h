/* vs-test-guest interrupts (see irq.c). */
#ifndef GUEST_IRQ_H
#define GUEST_IRQ_H 1

#include <stdint.h>

#define IRQ_N_VECTORS 4
extern volatile unsigned long irq_counts[IRQ_N_VECTORS];

void irq_init(void);
/* Enables MSI-X on the device in 'slot' with vectors 0..n-1 delivering
 * IDT vectors 0x40+v to APIC 0. */
int irq_msix_enable(int slot, uint64_t (*bar_addr)(int slot, int bar),
                    int n_vectors);

#endif
