/* Linux x86 64-bit boot protocol (Documentation/arch/x86/boot.rst). */
#include <config.h>
#include "boot.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "util.h"
#include "vcpu.h"
#include "vmm.h"

/* Offsets in the setup header (relative to the image and to boot_params). */
#define HDR_SETUP_SECTS     0x1f1
#define HDR_SYSSIZE         0x1f4
#define HDR_VID_MODE        0x1fa
#define HDR_BOOT_FLAG       0x1fe
#define HDR_JUMP            0x200
#define HDR_MAGIC           0x202
#define HDR_VERSION         0x206
#define HDR_TYPE_OF_LOADER  0x210
#define HDR_LOADFLAGS       0x211
#define HDR_RAMDISK_IMAGE   0x218
#define HDR_RAMDISK_SIZE    0x21c
#define HDR_HEAP_END_PTR    0x224
#define HDR_CMD_LINE_PTR    0x228
#define HDR_INITRD_ADDR_MAX 0x22c
#define HDR_XLOADFLAGS      0x236
#define HDR_CMDLINE_SIZE    0x238
#define HDR_INIT_SIZE       0x260

/* boot_params fields outside the header. */
#define BP_EXT_RAMDISK_IMAGE 0x0c0
#define BP_EXT_RAMDISK_SIZE  0x0c4
#define BP_EXT_CMD_LINE_PTR  0x0c8
#define BP_E820_ENTRIES      0x1e8
#define BP_E820_TABLE        0x2d0
#define BP_E820_MAX          128
#define BP_SIZE              4096

#define LOADED_HIGH     0x01
#define CAN_USE_HEAP    0x80
#define XLF_KERNEL_64   0x01
#define E820_RAM        1
#define E820_RESERVED   2

static uint16_t get16(const uint8_t *p) { return p[0] | p[1] << 8; }
static uint32_t get32(const uint8_t *p) { return get16(p) | (uint32_t) get16(p + 2) << 16; }
static void put16(uint8_t *p, uint16_t v) { p[0] = v; p[1] = v >> 8; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v); put16(p + 2, v >> 16); }
static void put64(uint8_t *p, uint64_t v) { put32(p, v); put32(p + 4, v >> 32); }

int
bzimage_parse(const uint8_t *image, size_t size, struct bzimage_info *info,
              const char **errmsg)
{
    memset(info, 0, sizeof *info);
    if (size < 1024) {
        *errmsg = "too short to be a Linux kernel image";
        return EINVAL;
    }
    if (get16(image + HDR_BOOT_FLAG) != 0xaa55) {
        *errmsg = "not a Linux bzImage (no 0xAA55 boot flag)";
        return EINVAL;
    }
    if (memcmp(image + HDR_MAGIC, "HdrS", 4)) {
        *errmsg = "not a Linux bzImage (no \"HdrS\" setup header)";
        return EINVAL;
    }
    info->version = get16(image + HDR_VERSION);
    if (info->version < 0x020c) {
        *errmsg = "boot protocol older than 2.12 (no 64-bit entry)";
        return EINVAL;
    }
    if (!(image[HDR_LOADFLAGS] & LOADED_HIGH)) {
        *errmsg = "kernel is not loaded high (zImage not supported)";
        return EINVAL;
    }
    if (!(get16(image + HDR_XLOADFLAGS) & XLF_KERNEL_64)) {
        *errmsg = "kernel has no 64-bit entry point (XLF_KERNEL_64)";
        return EINVAL;
    }
    unsigned int setup_sects = image[HDR_SETUP_SECTS];
    if (!setup_sects) {
        setup_sects = 4;
    }
    info->setup_size = (setup_sects + 1) * 512;
    if (info->setup_size >= size) {
        *errmsg = "truncated: image ends inside the setup code";
        return EINVAL;
    }
    info->payload_size = size - info->setup_size;
    uint64_t syssize = (uint64_t) get32(image + HDR_SYSSIZE) * 16;
    if (!syssize || syssize > info->payload_size) {
        *errmsg = "truncated: image shorter than its header's syssize";
        return EINVAL;
    }
    size_t hdr_end = 0x202 + image[HDR_JUMP + 1];
    if (hdr_end < HDR_INIT_SIZE + 4 || hdr_end > info->setup_size) {
        *errmsg = "malformed setup header length";
        return EINVAL;
    }
    info->init_size = get32(image + HDR_INIT_SIZE);
    info->cmdline_max = get32(image + HDR_CMDLINE_SIZE);
    info->initrd_addr_max = get32(image + HDR_INITRD_ADDR_MAX);
    if (!info->initrd_addr_max) {
        info->initrd_addr_max = 0x37ffffff;
    }
    return 0;
}

/* Reads all of 'path' into a new buffer. */
static int
read_file(const char *path, const char *what, uint8_t **datap, size_t *sizep,
          size_t max_size)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    int error;

    if (fd < 0) {
        error = errno;
        VMM_ERR("%s %s: %s", what, path, strerror(error));
        return error;
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        VMM_ERR("%s %s: not a regular file", what, path);
        close(fd);
        return EINVAL;
    }
    if ((uint64_t) st.st_size > max_size) {
        VMM_ERR("%s %s: %lld bytes does not fit in guest memory", what, path,
                (long long) st.st_size);
        close(fd);
        return EFBIG;
    }
    uint8_t *data = xmalloc(st.st_size ? st.st_size : 1);
    size_t done = 0;
    while (done < (size_t) st.st_size) {
        ssize_t n = read(fd, data + done, st.st_size - done);
        if (n <= 0) {
            error = n < 0 ? errno : EIO;
            VMM_ERR("%s %s: read: %s", what, path, strerror(error));
            free(data);
            close(fd);
            return error;
        }
        done += n;
    }
    close(fd);
    *datap = data;
    *sizep = done;
    return 0;
}

static void
add_e820(uint8_t *bp, uint64_t addr, uint64_t size, uint32_t type)
{
    uint8_t n = bp[BP_E820_ENTRIES];
    uint8_t *e = bp + BP_E820_TABLE + n * 20;

    put64(e, addr);
    put64(e + 8, size);
    put32(e + 16, type);
    bp[BP_E820_ENTRIES] = n + 1;
}

/* GDT with the flat selectors the 64-bit boot protocol asks for (0x10 code,
 * 0x18 data), and identity-mapped page tables for the low 4 GiB in 2 MiB
 * pages, which cover the kernel, boot_params, command line and initrd. */
static void
setup_gdt_and_paging(struct vmm *vmm, struct boot_entry *entry)
{
    uint64_t *gdt = vmm_gpa_to_hva(vmm, BOOT_GDT_ADDR, 5 * 8);
    gdt[0] = 0;
    gdt[1] = 0;
    gdt[2] = 0x00af9b000000ffffULL;     /* 64-bit code. */
    gdt[3] = 0x00cf93000000ffffULL;     /* Data. */
    gdt[4] = 0x00008b0000000067ULL;     /* TSS (busy); KVM needs a valid TR. */
    entry->gdt_base = BOOT_GDT_ADDR;
    entry->gdt_limit = 5 * 8 - 1;

    uint64_t *pml4 = vmm_gpa_to_hva(vmm, BOOT_PML4_ADDR, 4096);
    uint64_t *pdpt = vmm_gpa_to_hva(vmm, BOOT_PDPT_ADDR, 4096);
    uint64_t *pd = vmm_gpa_to_hva(vmm, BOOT_PD_ADDR, 4 * 4096);
    memset(pml4, 0, 4096);
    memset(pdpt, 0, 4096);
    pml4[0] = BOOT_PDPT_ADDR | 0x3;             /* Present, writable. */
    for (uint64_t i = 0; i < 4; i++) {
        pdpt[i] = (BOOT_PD_ADDR + i * 4096) | 0x3;
    }
    for (uint64_t i = 0; i < 4 * 512; i++) {
        pd[i] = (i << 21) | 0x83;               /* Present, writable, 2 MiB. */
    }
    entry->cr3 = BOOT_PML4_ADDR;
}

/* Loads the initrd as high as possible below 'max_addr', page aligned and
 * above 'kernel_end'. */
static int
load_initrd(struct vmm *vmm, const char *path, uint64_t kernel_end,
            uint64_t max_addr, uint64_t *addrp, uint64_t *sizep)
{
    uint8_t *initrd;
    size_t size;
    int error = read_file(path, "initrd", &initrd, &size, vmm->lowmem_size);
    if (error) {
        return error;
    }
    uint64_t top = MIN(vmm->lowmem_size, max_addr + 1);
    uint64_t addr = top > size ? (top - size) & ~4095ULL : 0;
    if (!size || addr < kernel_end) {
        VMM_ERR(size ? "too little memory: initrd %s (%zu bytes) does not "
                "fit above the kernel" : "initrd %s is empty", path, size);
        free(initrd);
        return size ? ENOMEM : EINVAL;
    }
    memcpy(vmm_gpa_to_hva(vmm, addr, size), initrd, size);
    free(initrd);
    *addrp = addr;
    *sizep = size;
    return 0;
}

/* ---- ELF vmlinux through the PVH entry (x86/HVM direct boot ABI) ---- */

#define PVH_START_INFO_ADDR 0x6000
#define PVH_MODLIST_ADDR    0x6040
#define PVH_MEMMAP_ADDR     0x6080
#define PVH_START_MAGIC     0x336ec578
#define XEN_ELFNOTE_PHYS32_ENTRY 18

static uint64_t get64(const uint8_t *p) { return get32(p) | (uint64_t) get32(p + 4) << 32; }

bool
boot_is_elf(const uint8_t *image, size_t size)
{
    return size >= 4 && !memcmp(image, "\177ELF", 4);
}

/* Finds the PVH entry in the Xen notes of PT_NOTE segment [p, p + len). */
static bool
find_pvh_entry(const uint8_t *p, size_t len, uint32_t *entry)
{
    size_t off = 0;
    while (off + 12 <= len) {
        uint32_t namesz = get32(p + off), descsz = get32(p + off + 4);
        uint32_t type = get32(p + off + 8);
        size_t name_off = off + 12;
        size_t desc_off = name_off + ROUND_UP((size_t) namesz, 4);
        size_t next = desc_off + ROUND_UP((size_t) descsz, 4);
        if (namesz > len || descsz > len || next > len) {
            return false;
        }
        if (type == XEN_ELFNOTE_PHYS32_ENTRY && namesz == 4
            && !memcmp(p + name_off, "Xen", 4) && descsz >= 4) {
            *entry = get32(p + desc_off);
            return true;
        }
        off = next;
    }
    return false;
}

static int
load_elf_pvh(struct vmm *vmm, const struct boot_config *cfg,
             const uint8_t *img, size_t size, struct boot_entry *entry)
{
    const char *path = cfg->kernel_path;

    if (size < 64 || img[4] != 2 || img[5] != 1 || get16(img + 18) != 62) {
        VMM_ERR("kernel %s: not a 64-bit little-endian x86-64 ELF file", path);
        return EINVAL;
    }
    uint64_t phoff = get64(img + 32);
    uint16_t phentsize = get16(img + 54), phnum = get16(img + 56);
    if (phentsize < 56 || phoff > size
        || (uint64_t) phnum * phentsize > size - phoff) {
        VMM_ERR("kernel %s: truncated or malformed ELF program headers", path);
        return EINVAL;
    }

    uint64_t kernel_end = 0;
    uint32_t pvh_entry = 0;
    bool have_entry = false;
    for (int i = 0; i < phnum; i++) {
        const uint8_t *ph = img + phoff + (uint64_t) i * phentsize;
        uint32_t type = get32(ph);
        uint64_t offset = get64(ph + 8), paddr = get64(ph + 24);
        uint64_t filesz = get64(ph + 32), memsz = get64(ph + 40);

        if (offset > size || filesz > size - offset) {
            VMM_ERR("kernel %s: truncated: segment %d lies beyond the end of "
                    "the file", path, i);
            return EINVAL;
        }
        if (type == 4 /* PT_NOTE */ && !have_entry) {
            have_entry = find_pvh_entry(img + offset, filesz, &pvh_entry);
        } else if (type == 1 /* PT_LOAD */) {
            uint8_t *dst = filesz <= memsz ? vmm_gpa_to_hva(vmm, paddr, memsz)
                                           : NULL;
            if (filesz > memsz || paddr < 0x100000) {
                VMM_ERR("kernel %s: malformed segment %d", path, i);
                return EINVAL;
            }
            if (!dst) {
                VMM_ERR("too little memory: kernel %s needs %llu MiB, the "
                        "guest has %llu MiB", path,
                        (unsigned long long) DIV_ROUND_UP(paddr + memsz, 1 << 20),
                        (unsigned long long) (vmm->mem_size >> 20));
                return ENOMEM;
            }
            memcpy(dst, img + offset, filesz);
            memset(dst + filesz, 0, memsz - filesz);
            kernel_end = MAX(kernel_end, ROUND_UP(paddr + memsz, 4096));
        }
    }
    if (!have_entry) {
        VMM_ERR("kernel %s: ELF file without a PVH entry point "
                "(XEN_ELFNOTE_PHYS32_ENTRY); boot a bzImage instead", path);
        return EINVAL;
    }

    const char *cmdline = cfg->cmdline ? cfg->cmdline : "";
    size_t cmdline_len = strlen(cmdline);
    if (cmdline_len >= BOOT_CMDLINE_MAX) {
        VMM_ERR("kernel command line is too long (%zu bytes)", cmdline_len);
        return EINVAL;
    }
    memcpy(vmm_gpa_to_hva(vmm, BOOT_CMDLINE_ADDR, cmdline_len + 1), cmdline,
           cmdline_len + 1);

    uint8_t *si = vmm_gpa_to_hva(vmm, PVH_START_INFO_ADDR, 0x80 + 6 * 24);
    memset(si, 0, 0x80 + 6 * 24);
    put32(si, PVH_START_MAGIC);
    put32(si + 4, 1);                           /* Version. */
    put64(si + 24, BOOT_CMDLINE_ADDR);
    if (cfg->initrd_path) {
        uint64_t addr, isize;
        int error = load_initrd(vmm, cfg->initrd_path, kernel_end,
                                0xffffffffULL, &addr, &isize);
        if (error) {
            return error;
        }
        uint8_t *mod = si + (PVH_MODLIST_ADDR - PVH_START_INFO_ADDR);
        put64(mod, addr);
        put64(mod + 8, isize);
        put32(si + 12, 1);                      /* nr_modules */
        put64(si + 16, PVH_MODLIST_ADDR);
    }
    /* The memory map, in the same layout as the e820 one. */
    uint8_t *mm = si + (PVH_MEMMAP_ADDR - PVH_START_INFO_ADDR);
    int n = 0;
    uint64_t map[4][3] = {
        { 0, BOOT_EBDA_START, E820_RAM },
        { BOOT_EBDA_START, 0x100000 - BOOT_EBDA_START, E820_RESERVED },
        { 0x100000, vmm->lowmem_size - 0x100000, E820_RAM },
        { VMM_HIGHMEM_BASE, vmm->mem_size - vmm->lowmem_size, E820_RAM },
    };
    for (int i = 0; i < 4; i++) {
        if (map[i][1]) {
            put64(mm + n * 24, map[i][0]);
            put64(mm + n * 24 + 8, map[i][1]);
            put32(mm + n * 24 + 16, map[i][2]);
            n++;
        }
    }
    put64(si + 40, PVH_MEMMAP_ADDR);
    put32(si + 48, n);

    /* Flat 32-bit code 0x08, data 0x10, and a TSS 0x18 for VM entry. */
    uint64_t *gdt = vmm_gpa_to_hva(vmm, BOOT_GDT_ADDR, 4 * 8);
    gdt[0] = 0;
    gdt[1] = 0x00cf9b000000ffffULL;
    gdt[2] = 0x00cf93000000ffffULL;
    gdt[3] = 0x00008b0000000067ULL;
    entry->gdt_base = BOOT_GDT_ADDR;
    entry->gdt_limit = 4 * 8 - 1;
    entry->pvh = true;
    entry->rip = pvh_entry;
    entry->rbx = PVH_START_INFO_ADDR;
    VMM_INFO("loaded ELF kernel %s through its PVH entry %#x", path, pvh_entry);
    return 0;
}

int
boot_load_linux(struct vmm *vmm, const struct boot_config *cfg,
                struct boot_entry *entry)
{
    struct bzimage_info info;
    const char *errmsg;
    uint8_t *image;
    size_t image_size;
    int error;

    error = read_file(cfg->kernel_path, "kernel", &image, &image_size,
                      vmm->lowmem_size);
    if (error) {
        return error;
    }
    memset(entry, 0, sizeof *entry);
    if (boot_is_elf(image, image_size)) {
        error = load_elf_pvh(vmm, cfg, image, image_size, entry);
        goto out;
    }
    error = bzimage_parse(image, image_size, &info, &errmsg);
    if (error) {
        VMM_ERR("kernel %s: %s", cfg->kernel_path, errmsg);
        goto out;
    }

    /* The kernel decompresses itself in place: it needs init_size bytes
     * from its load address, plus room for the stack and heap after. */
    uint64_t kernel_need = MAX(info.payload_size, info.init_size);
    uint64_t kernel_end = ROUND_UP(BOOT_KERNEL_ADDR + kernel_need, 4096);
    if (kernel_end > vmm->lowmem_size) {
        VMM_ERR("too little memory: kernel %s needs %llu MiB from its load "
                "address, the guest has %llu MiB", cfg->kernel_path,
                (unsigned long long) DIV_ROUND_UP(kernel_end, 1 << 20),
                (unsigned long long) (vmm->mem_size >> 20));
        error = ENOMEM;
        goto out;
    }
    memcpy(vmm_gpa_to_hva(vmm, BOOT_KERNEL_ADDR, info.payload_size),
           image + info.setup_size, info.payload_size);

    uint8_t *bp = vmm_gpa_to_hva(vmm, BOOT_PARAMS_ADDR, BP_SIZE);
    memset(bp, 0, BP_SIZE);
    size_t hdr_end = 0x202 + image[HDR_JUMP + 1];
    memcpy(bp + HDR_SETUP_SECTS, image + HDR_SETUP_SECTS,
           hdr_end - HDR_SETUP_SECTS);
    bp[HDR_TYPE_OF_LOADER] = 0xff;              /* Undefined loader. */
    bp[HDR_LOADFLAGS] |= CAN_USE_HEAP;
    put16(bp + HDR_HEAP_END_PTR, 0xfe00);
    put16(bp + HDR_VID_MODE, 0xffff);           /* Normal VGA. */

    const char *cmdline = cfg->cmdline ? cfg->cmdline : "";
    size_t cmdline_len = strlen(cmdline);
    if (cmdline_len >= BOOT_CMDLINE_MAX
        || (info.cmdline_max && cmdline_len > info.cmdline_max)) {
        VMM_ERR("kernel command line is %zu bytes, the kernel accepts at "
                "most %u", cmdline_len, info.cmdline_max);
        error = EINVAL;
        goto out;
    }
    memcpy(vmm_gpa_to_hva(vmm, BOOT_CMDLINE_ADDR, cmdline_len + 1), cmdline,
           cmdline_len + 1);
    put32(bp + HDR_CMD_LINE_PTR, BOOT_CMDLINE_ADDR);
    put32(bp + BP_EXT_CMD_LINE_PTR, 0);

    if (cfg->initrd_path) {
        uint64_t addr, isize;
        error = load_initrd(vmm, cfg->initrd_path, kernel_end,
                            info.initrd_addr_max, &addr, &isize);
        if (error) {
            goto out;
        }
        put32(bp + HDR_RAMDISK_IMAGE, addr);
        put32(bp + HDR_RAMDISK_SIZE, isize);
    }

    add_e820(bp, 0, BOOT_EBDA_START, E820_RAM);
    add_e820(bp, BOOT_EBDA_START, 0x100000 - BOOT_EBDA_START, E820_RESERVED);
    add_e820(bp, 0x100000, vmm->lowmem_size - 0x100000, E820_RAM);
    if (vmm->mem_size > vmm->lowmem_size) {
        add_e820(bp, VMM_HIGHMEM_BASE, vmm->mem_size - vmm->lowmem_size,
                 E820_RAM);
    }

    setup_gdt_and_paging(vmm, entry);
    /* startup_64 is 512 bytes into the protected-mode kernel. */
    entry->rip = BOOT_KERNEL_ADDR + 0x200;
    entry->rsi = BOOT_PARAMS_ADDR;
    VMM_INFO("loaded kernel %s (boot protocol %d.%02d, %zu bytes)%s%s",
             cfg->kernel_path, info.version >> 8, info.version & 0xff,
             info.payload_size, cfg->initrd_path ? ", initrd " : "",
             cfg->initrd_path ? cfg->initrd_path : "");

out:
    free(image);
    return error;
}
