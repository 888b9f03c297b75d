/* vs-test-guest support: port and MMIO access, the serial console, a tiny
 * printf, string helpers, PCI configuration access, time from the TSC, and
 * power-off.  Freestanding: no libc. */
#ifndef GUEST_GLIB_H
#define GUEST_GLIB_H 1

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" :: "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline uint16_t inw(uint16_t port) { uint16_t v; __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline uint32_t inl(uint16_t port) { uint32_t v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port)); return v; }

static inline uint8_t mmio_read8(uint64_t a) { return *(volatile uint8_t *) a; }
static inline uint16_t mmio_read16(uint64_t a) { return *(volatile uint16_t *) a; }
static inline uint32_t mmio_read32(uint64_t a) { return *(volatile uint32_t *) a; }
static inline void mmio_write8(uint64_t a, uint8_t v) { *(volatile uint8_t *) a = v; }
static inline void mmio_write16(uint64_t a, uint16_t v) { *(volatile uint16_t *) a = v; }
static inline void mmio_write32(uint64_t a, uint32_t v) { *(volatile uint32_t *) a = v; }
static inline void mmio_write64(uint64_t a, uint64_t v)
{
    mmio_write32(a, (uint32_t) v);
    mmio_write32(a + 4, (uint32_t) (v >> 32));
}
static inline void mb(void) { __asm__ volatile("mfence" ::: "memory"); }

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t) hi << 32 | lo;
}

void *memset(void *, int, size_t);
void *memcpy(void *, const void *, size_t);
int memcmp(const void *, const void *, size_t);
size_t strlen(const char *);
int strncmp(const char *, const char *, size_t);

void serial_putc(char);
char serial_getc_timeout(uint64_t ms, bool *got);
void gprintf(const char *fmt, ...);
void poweroff(void) __attribute__((noreturn));

/* Command line: the value of "key=" (copied into buf), or NULL. */
const char *cmdline_get(const char *key, char *buf, size_t size);
bool cmdline_has_word(const char *list_key, const char *word);
void cmdline_init(const uint8_t *boot_params);
bool parse_ip(const char *, uint8_t ip[4]);
unsigned long parse_ulong(const char *);

/* Milliseconds since boot, from the TSC (calibrated with the PIT). */
void time_init(void);
uint64_t now_ms(void);

/* PCI bus 0 configuration access. */
uint32_t pci_read32(int slot, int off);
uint16_t pci_read16(int slot, int off);
uint8_t pci_read8(int slot, int off);
void pci_write16(int slot, int off, uint16_t v);
void pci_write32(int slot, int off, uint32_t v);
/* Returns the slot of the first function with vendor:device, or -1. */
int pci_find(uint16_t vendor, uint16_t device, int start);

#endif
