/* vs-test-guest support routines (see glib.h). */
#include "glib.h"

#define COM1 0x3f8

void *
memset(void *d, int c, size_t n)
{
    uint8_t *p = d;
    while (n--) {
        *p++ = c;
    }
    return d;
}

void *
memcpy(void *d, const void *s, size_t n)
{
    uint8_t *p = d;
    const uint8_t *q = s;
    while (n--) {
        *p++ = *q++;
    }
    return d;
}

int
memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *p = a, *q = b;
    for (size_t i = 0; i < n; i++) {
        if (p[i] != q[i]) {
            return p[i] - q[i];
        }
    }
    return 0;
}

size_t
strlen(const char *s)
{
    size_t n = 0;
    while (s[n]) {
        n++;
    }
    return n;
}

int
strncmp(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (a[i] != b[i] || !a[i]) {
            return (uint8_t) a[i] - (uint8_t) b[i];
        }
    }
    return 0;
}

void
serial_putc(char c)
{
    if (c == '\n') {
        serial_putc('\r');
    }
    for (int i = 0; i < 1000 && !(inb(COM1 + 5) & 0x20); i++) {
        continue;
    }
    outb(COM1, c);
}

char
serial_getc_timeout(uint64_t ms, bool *got)
{
    uint64_t end = now_ms() + ms;
    while (now_ms() < end) {
        if (inb(COM1 + 5) & 0x01) {
            *got = true;
            return inb(COM1);
        }
    }
    *got = false;
    return 0;
}

static void
put_num(uint64_t v, unsigned int base, int width, char pad)
{
    char buf[24];
    int n = 0;
    do {
        buf[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    while (n < width--) {
        serial_putc(pad);
    }
    while (n) {
        serial_putc(buf[--n]);
    }
}

/* %s %c %d %u %x %lx %llx %lu with optional zero-padded width. */
void
gprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            serial_putc(*p);
            continue;
        }
        p++;
        char pad = ' ';
        int width = 0;
        bool is_long = false;
        if (*p == '0') {
            pad = '0';
            p++;
        }
        while (*p >= '0' && *p <= '9') {
            width = width * 10 + (*p++ - '0');
        }
        while (*p == 'l') {
            is_long = true;
            p++;
        }
        switch (*p) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            while (*s) {
                serial_putc(*s++);
            }
            break;
        }
        case 'c': serial_putc(va_arg(ap, int)); break;
        case 'd': {
            long v = is_long ? va_arg(ap, long) : va_arg(ap, int);
            if (v < 0) {
                serial_putc('-');
                v = -v;
            }
            put_num(v, 10, width, pad);
            break;
        }
        case 'u':
            put_num(is_long ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int),
                    10, width, pad);
            break;
        case 'x':
            put_num(is_long ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int),
                    16, width, pad);
            break;
        default: serial_putc('%'); serial_putc(*p); break;
        }
    }
    va_end(ap);
}

void
poweroff(void)
{
    outw(0x604, 0x2000);        /* PM1a control: SLP_EN. */
    for (;;) {
        __asm__ volatile("hlt");
    }
}

static const char *cmdline = "";

void
cmdline_init(const uint8_t *bp)
{
    uint32_t ptr = *(const uint32_t *) (bp + 0x228);
    if (ptr) {
        cmdline = (const char *) (uintptr_t) ptr;
    }
}

const char *
cmdline_get(const char *key, char *buf, size_t size)
{
    size_t klen = strlen(key);
    const char *p = cmdline;
    while (*p) {
        while (*p == ' ') {
            p++;
        }
        if (!strncmp(p, key, klen) && p[klen] == '=') {
            const char *v = p + klen + 1;
            size_t n = 0;
            while (v[n] && v[n] != ' ' && n + 1 < size) {
                buf[n] = v[n];
                n++;
            }
            buf[n] = '\0';
            return buf;
        }
        while (*p && *p != ' ') {
            p++;
        }
    }
    return NULL;
}

bool
cmdline_has_word(const char *list_key, const char *word)
{
    char buf[128];
    const char *v = cmdline_get(list_key, buf, sizeof buf);
    size_t wlen = strlen(word);
    while (v && *v) {
        if (!strncmp(v, word, wlen) && (v[wlen] == ',' || !v[wlen])) {
            return true;
        }
        while (*v && *v != ',') {
            v++;
        }
        if (*v == ',') {
            v++;
        }
    }
    return false;
}

unsigned long
parse_ulong(const char *s)
{
    unsigned long v = 0;
    while (*s >= '0' && *s <= '9') {
        v = v * 10 + (*s++ - '0');
    }
    return v;
}

bool
parse_ip(const char *s, uint8_t ip[4])
{
    for (int i = 0; i < 4; i++) {
        unsigned int v = 0;
        int digits = 0;
        while (*s >= '0' && *s <= '9') {
            v = v * 10 + (*s++ - '0');
            digits++;
        }
        if (!digits || v > 255 || (i < 3 && *s++ != '.')) {
            return false;
        }
        ip[i] = v;
    }
    return true;
}

static uint64_t tsc_per_ms = 1000000;
static uint64_t tsc_start;

/* Calibrates the TSC against PIT channel 2 (1193182 Hz) over 10 ms. */
void
time_init(void)
{
    uint16_t count = 11932;     /* 10 ms. */
    outb(0x61, (inb(0x61) & ~0x02) | 0x01);     /* Gate on, speaker off. */
    outb(0x43, 0xb0);           /* Channel 2, lobyte/hibyte, mode 0. */
    outb(0x42, count & 0xff);
    outb(0x42, count >> 8);
    uint64_t t0 = rdtsc();
    for (int i = 0; i < 1000000 && !(inb(0x61) & 0x20); i++) {
        continue;
    }
    uint64_t t1 = rdtsc();
    if (t1 > t0 && (t1 - t0) / 10 > 1000) {
        tsc_per_ms = (t1 - t0) / 10;
    }
    tsc_start = rdtsc();
}

uint64_t
now_ms(void)
{
    return (rdtsc() - tsc_start) / tsc_per_ms;
}

static void
pci_select(int slot, int off)
{
    outl(0xcf8, 0x80000000u | (uint32_t) slot << 11 | (off & 0xfc));
}

uint32_t
pci_read32(int slot, int off)
{
    pci_select(slot, off);
    return inl(0xcfc);
}

uint16_t
pci_read16(int slot, int off)
{
    pci_select(slot, off);
    return inw(0xcfc + (off & 2));
}

uint8_t
pci_read8(int slot, int off)
{
    pci_select(slot, off);
    return inb(0xcfc + (off & 3));
}

void
pci_write16(int slot, int off, uint16_t v)
{
    pci_select(slot, off);
    outw(0xcfc + (off & 2), v);
}

void
pci_write32(int slot, int off, uint32_t v)
{
    pci_select(slot, off);
    outl(0xcfc, v);
}

int
pci_find(uint16_t vendor, uint16_t device, int start)
{
    for (int slot = start; slot < 32; slot++) {
        uint32_t id = pci_read32(slot, 0);
        if ((id & 0xffff) == vendor && (id >> 16) == device) {
            return slot;
        }
    }
    return -1;
}
