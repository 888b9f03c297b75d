/* Legacy platform ports a PC guest expects: the power-off register (ACPI
 * PM1a control at 0x604, as on QEMU's machines), reset through the keyboard
 * controller (0x64) and the reset control register (0xCF9), a CMOS clock
 * that reads as valid and idle, and the POST port (0x80), ignored. */
#include <config.h>
#include "vmm.h"

#include <string.h>

#include "log.h"

#define PORT_POST      0x80
#define PORT_CMOS      0x70
#define PORT_I8042     0x60
#define PORT_PM1A_CNT  0x604
#define PORT_RST_CNT   0xcf9

#define PM1_SLP_EN     0x2000
#define I8042_CMD_RESET 0xfe
#define RST_CNT_RESET  0x04

static void
pm_io(void *vmm_, uint64_t offset, void *data, unsigned int len, bool is_write)
{
    struct vmm *vmm = vmm_;
    uint16_t v = 0;

    if (!is_write) {
        memset(data, 0, len);
        return;
    }
    memcpy(&v, data, MIN(len, sizeof v));
    if (offset == 0 && (v & PM1_SLP_EN)) {
        VMM_INFO("guest powered off");
        vmm_request_stop(vmm, VMM_STOP_POWEROFF);
    }
}

static void
i8042_io(void *vmm_, uint64_t offset, void *data, unsigned int len,
         bool is_write)
{
    struct vmm *vmm = vmm_;

    if (!is_write) {
        memset(data, 0, len);   /* No data, input buffer empty. */
        return;
    }
    if (offset == 4 && *(uint8_t *) data == I8042_CMD_RESET) {
        VMM_INFO("guest requested reset (keyboard controller); stopping");
        vmm_request_stop(vmm, VMM_STOP_RESET);
    }
}

static void
rst_io(void *vmm_, uint64_t offset, void *data, unsigned int len,
       bool is_write)
{
    struct vmm *vmm = vmm_;

    if (!is_write) {
        memset(data, 0, len);
    } else if (*(uint8_t *) data & RST_CNT_RESET) {
        VMM_INFO("guest requested reset (port 0xcf9); stopping");
        vmm_request_stop(vmm, VMM_STOP_RESET);
    }
}

struct cmos {
    uint8_t index;
};

static void
cmos_io(void *cmos_, uint64_t offset, void *data, unsigned int len,
        bool is_write)
{
    struct cmos *cmos = cmos_;
    uint8_t *p = data;

    if (offset == 0) {
        if (is_write) {
            cmos->index = p[0] & 0x7f;
        } else {
            p[0] = cmos->index;
        }
        return;
    }
    if (is_write) {
        return;
    }
    switch (cmos->index) {
    case 0x0a: p[0] = 0x26; break;      /* Divider on, update not in progress. */
    case 0x0b: p[0] = 0x02; break;      /* 24-hour, BCD. */
    case 0x0d: p[0] = 0x80; break;      /* Battery good. */
    case 0x07: case 0x08: p[0] = 0x01; break;  /* Day 1, month 1. */
    default: p[0] = 0; break;
    }
}

static void
ignore_io(void *aux VS_UNUSED, uint64_t offset VS_UNUSED, void *data,
          unsigned int len, bool is_write)
{
    if (!is_write) {
        memset(data, 0xff, len);
    }
}

void
platform_init(struct vmm *vmm)
{
    static struct cmos cmos;

    io_bus_register(&vmm->pio, PORT_PM1A_CNT, 2, pm_io, vmm);
    io_bus_register(&vmm->pio, PORT_I8042, 5, i8042_io, vmm);
    io_bus_register(&vmm->pio, PORT_RST_CNT, 1, rst_io, vmm);
    io_bus_register(&vmm->pio, PORT_CMOS, 2, cmos_io, &cmos);
    io_bus_register(&vmm->pio, PORT_POST, 1, ignore_io, NULL);
}
