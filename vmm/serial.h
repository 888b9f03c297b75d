/* 16550A UART at COM1 (port 0x3f8, IRQ 4): the guest console. */
#ifndef VMM_SERIAL_H
#define VMM_SERIAL_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vmm;
struct serial;
struct mainloop;

/* 'spec' is "stdio" or "unix:PATH" (vs-vmm listens on PATH; one client at a
 * time sees output and types input). */
int serial_create(struct vmm *, struct mainloop *, const char *spec,
                  struct serial **);
void serial_destroy(struct serial *);

/* Feeds host input bytes to the guest (main thread). */
void serial_input(struct serial *, const uint8_t *, size_t);

#endif /* vmm/serial.h */
