/* Linux x86 boot protocol: loads a bzImage (and initrd, command line) into
 * guest memory and prepares the 64-bit entry (boot_params, e820 map, GDT,
 * identity page tables); or loads an ELF vmlinux and prepares its PVH entry
 * (hvm_start_info, memory map, 32-bit flat protected mode). */
#ifndef VMM_BOOT_H
#define VMM_BOOT_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vmm;
struct boot_entry;

/* Guest physical addresses of what the loader writes. */
#define BOOT_GDT_ADDR      0x500
#define BOOT_PARAMS_ADDR   0x7000
#define BOOT_PML4_ADDR     0x9000
#define BOOT_PDPT_ADDR     0xa000
#define BOOT_PD_ADDR       0xb000       /* Four page directories: 4 GiB. */
#define BOOT_CMDLINE_ADDR  0x20000
#define BOOT_CMDLINE_MAX   0x10000
#define BOOT_KERNEL_ADDR   0x100000
#define BOOT_EBDA_START    0x9fc00

/* What the setup header of a bzImage says, after validation. */
struct bzimage_info {
    uint16_t version;           /* Boot protocol, e.g. 0x020f. */
    size_t setup_size;          /* Bytes of real-mode setup, incl. sector 0. */
    size_t payload_size;        /* Protected-mode kernel bytes in the file. */
    uint32_t init_size;         /* Memory the kernel needs from its load. */
    uint32_t cmdline_max;       /* Longest command line accepted. */
    uint32_t initrd_addr_max;
};

/* Parses a bzImage held in 'image' ('size' bytes).  Returns 0, or EINVAL
 * with a message in '*errmsg' (static string) for anything that is not a
 * 64-bit bootable bzImage: too short, truncated, wrong magic, old protocol. */
int bzimage_parse(const uint8_t *image, size_t size, struct bzimage_info *,
                  const char **errmsg);

struct boot_config {
    const char *kernel_path;
    const char *initrd_path;    /* May be NULL. */
    const char *cmdline;        /* May be NULL. */
};

/* Whether 'image' is an ELF file (booted through its PVH entry). */
bool boot_is_elf(const uint8_t *image, size_t size);

/* Loads the kernel (and initrd) into 'vmm' memory and fills '*entry' for
 * the boot vCPU.  Errors are logged with the file name and the reason. */
int boot_load_linux(struct vmm *, const struct boot_config *,
                    struct boot_entry *entry);

#endif /* vmm/boot.h */
