/* vs-test-guest: a tiny guest for testing vs-vmm.  The kernel command line
 * picks what it does: "tests=hello,pci,blk,net,echo" runs those in order,
 * then it powers off; "tests=fault" triple-faults, "tests=hang" spins so
 * the host can pause, resume or stop it.  Every test prints "NAME: ok" or
 * "NAME: FAILED" on COM1; "guest: all ok" ends a passing run. */
#include "glib.h"
#include "irq.h"
#include "virtio.h"

int net_test(void);

static const uint8_t *boot_params;

static int
hello_test(void)
{
    uint8_t n = boot_params[0x1e8];
    uint64_t ram = 0;
    for (int i = 0; i < n && i < 128; i++) {
        const uint8_t *e = boot_params + 0x2d0 + i * 20;
        if (*(const uint32_t *) (e + 16) == 1) {
            ram += *(const uint64_t *) (e + 8);
        }
    }
    gprintf("hello: boot protocol %x, loader %x, %u e820 entries, %lu KiB RAM\n",
            *(const uint16_t *) (boot_params + 0x206), boot_params[0x210], n,
            (unsigned long) (ram >> 10));
    return n >= 3 && ram ? 0 : -1;
}

static int
pci_test(void)
{
    int n = 0;
    for (int slot = 0; slot < 32; slot++) {
        uint32_t id = pci_read32(slot, 0);
        if ((id & 0xffff) == 0xffff) {
            continue;
        }
        uint32_t class = pci_read32(slot, 8) >> 8;
        gprintf("pci: 00:%02x.0 %04x:%04x class %06x\n", slot, id & 0xffff,
                id >> 16, class);
        n++;
    }
    return n ? 0 : -1;
}

static struct gvdev blk;
static struct {
    uint32_t type, reserved;
    uint64_t sector;
} blk_hdr __attribute__((aligned(16)));
static uint8_t blk_data[512] __attribute__((aligned(512)));
static volatile uint8_t blk_status;

/* One request: type 0 read, 1 write, 4 flush.  Returns the status. */
static int
blk_request(uint32_t type, uint64_t sector)
{
    struct gvq *q = &blk.q[0];
    uint32_t len;
    int d = 0;

    blk_hdr.type = type;
    blk_hdr.sector = sector;
    blk_status = 0xff;
    q->desc[0] = (struct gdesc) { (uintptr_t) &blk_hdr, 16, GDESC_NEXT, 1 };
    if (type != 4) {
        q->desc[1] = (struct gdesc) { (uintptr_t) blk_data, 512,
                                      GDESC_NEXT | (type == 0 ? GDESC_WRITE : 0), 2 };
        d = 2;
    } else {
        d = 1;
    }
    q->desc[d] = (struct gdesc) { (uintptr_t) &blk_status, 1, GDESC_WRITE, 0 };
    if (d == 1) {
        q->desc[0].next = 1;
    }
    gvq_submit(&blk, 0, 0);
    if (gvq_wait(q, &len, 5000) < 0) {
        gprintf("blk: request %u timed out\n", type);
        return -1;
    }
    return blk_status;
}

static int
blk_test(void)
{
    uint32_t features;
    char buf[8];

    if (gvirtio_open(&blk, 2, 1u << 9 /* FLUSH */ | 1u << 5 /* RO */, &features)
        || gvirtio_setup_queue(&blk, 0) || gvirtio_driver_ok(&blk)) {
        return -1;
    }
    uint64_t capacity = mmio_read32(blk.device) | (uint64_t) mmio_read32(blk.device + 4) << 32;
    gprintf("blk: virtio-blk at 00:%02x.0, %lu sectors%s\n", blk.slot,
            (unsigned long) capacity, features & (1u << 5) ? ", read-only" : "");
    if (blk_request(0, 0)) {
        gprintf("blk: read failed\n");
        return -1;
    }
    blk_data[31] = 0;
    gprintf("blk: sector 0 says \"%s\"\n", (char *) blk_data);

    memset(blk_data, 0, sizeof blk_data);
    memcpy(blk_data, "written by vs-test-guest", 24);
    int st = blk_request(1, 1);
    gprintf("blk: write to sector 1: status %d\n", st);
    if (features & (1u << 5)) {
        return st == 1 ? 0 : -1;        /* Read-only: must fail. */
    }
    if (st || blk_request(4, 0)) {
        return -1;
    }
    /* Reading past the end must fail cleanly. */
    st = blk_request(0, capacity);
    gprintf("blk: read past the end: status %d\n", st);
    (void) buf;
    return st == 1 ? 0 : -1;
}

/* Echoes serial input, uppercased, until a newline. */
static int
echo_test(void)
{
    char line[64];
    size_t n = 0;
    bool got;

    gprintf("echo: ready\n");
    while (n + 1 < sizeof line) {
        char c = serial_getc_timeout(20000, &got);
        if (!got) {
            gprintf("echo: timed out\n");
            return -1;
        }
        if (c == '\r' || c == '\n') {
            break;
        }
        line[n++] = c >= 'a' && c <= 'z' ? c - 32 : c;
    }
    line[n] = 0;
    gprintf("echo: %s\n", line);
    return 0;
}

static void
fault_test(void)
{
    /* An empty IDT: the breakpoint faults, then double and triple faults. */
    static const struct { uint16_t limit; uint64_t base; } __attribute__((packed))
        idt = { 0, 0 };
    gprintf("fault: triple-faulting now\n");
    __asm__ volatile("lidt %0; int3" :: "m"(idt));
}

static void
hang_test(void)
{
    gprintf("hang: spinning\n");
    for (unsigned long tick = 0; ; tick++) {
        gprintf("hang: tick %lu\n", tick);
        /* About half a second of guest time at ~1 M instructions/s. */
        for (unsigned long i = 0; i < 150000; i++) {
            __asm__ volatile("" ::: "memory");
        }
    }
}

static const struct {
    const char *name;
    int (*fn)(void);
} tests[] = {
    { "hello", hello_test },
    { "pci", pci_test },
    { "blk", blk_test },
    { "net", net_test },
    { "echo", echo_test },
};

void
guest_main(const uint8_t *bp)
{
    int failed = 0;

    boot_params = bp;
    cmdline_init(bp);
    time_init();
    if (cmdline_has_word("msix", "1")) {
        irq_init();
    }
    gprintf("vs-test-guest: started\n");
    if (cmdline_has_word("tests", "fault")) {
        fault_test();
    }
    if (cmdline_has_word("tests", "hang")) {
        hang_test();
    }
    for (unsigned int i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        if (cmdline_has_word("tests", tests[i].name)) {
            int r = tests[i].fn();
            gprintf("%s: %s\n", tests[i].name, r ? "FAILED" : "ok");
            if (cmdline_has_word("msix", "1")) {
                gprintf("%s: MSI-X interrupts so far: %lu %lu\n", tests[i].name,
                        irq_counts[0], irq_counts[1]);
            }
            failed += r != 0;
        }
    }
    gprintf(failed ? "guest: %d FAILED\n" : "guest: all ok\n", failed);
    poweroff();
}
