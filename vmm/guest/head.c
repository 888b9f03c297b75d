/* The bzImage setup header and the 64-bit entry of vs-test-guest.
 *
 * Only what a loader reads is filled in (Linux boot protocol 2.15): the
 * boot flag, "HdrS", the protocol version, loadflags (loaded high),
 * xloadflags (64-bit entry), sizes and the command-line limit.  The loader
 * enters startup_64, 0x200 bytes into the protected-mode part, in long mode
 * with %rsi pointing to boot_params. */

__asm__(
    ".section .setup, \"a\"\n"
    ".org 0x1f1\n"
    "    .byte 1\n"                     /* setup_sects: one after sector 0. */
    "    .word 0\n"                     /* root_flags */
    "    .long _syssize\n"              /* syssize, 16-byte units */
    "    .word 0\n"                     /* ram_size */
    "    .word 0xffff\n"                /* vid_mode */
    "    .word 0\n"                     /* root_dev */
    "    .word 0xaa55\n"                /* boot_flag */
    "    .byte 0xeb, 0x6a\n"            /* jump: header ends at 0x26c */
    "    .ascii \"HdrS\"\n"
    "    .word 0x020f\n"                /* version 2.15 */
    "    .long 0\n"                     /* realmode_swtch */
    "    .word 0\n"                     /* start_sys_seg */
    "    .word 0\n"                     /* kernel_version */
    "    .byte 0\n"                     /* type_of_loader */
    "    .byte 0x01\n"                  /* loadflags: LOADED_HIGH */
    "    .word 0\n"                     /* setup_move_size */
    "    .long 0x100000\n"              /* code32_start */
    "    .long 0, 0\n"                  /* ramdisk_image, ramdisk_size */
    "    .long 0\n"                     /* bootsect_kludge */
    "    .word 0\n"                     /* heap_end_ptr */
    "    .byte 0, 0\n"                  /* ext_loader_ver, ext_loader_type */
    "    .long 0\n"                     /* cmd_line_ptr */
    "    .long 0x7fffffff\n"            /* initrd_addr_max */
    "    .long 0x200000\n"              /* kernel_alignment */
    "    .byte 0, 0\n"                  /* relocatable_kernel, min_alignment */
    "    .word 0x0001\n"                /* xloadflags: XLF_KERNEL_64 */
    "    .long 2047\n"                  /* cmdline_size */
    "    .long 0\n"                     /* hardware_subarch */
    "    .quad 0\n"                     /* hardware_subarch_data */
    "    .long 0, 0\n"                  /* payload_offset, payload_length */
    "    .quad 0\n"                     /* setup_data */
    "    .quad 0x100000\n"              /* pref_address */
    "    .long _init_size\n"            /* init_size */
    "    .long 0\n"                     /* handover_offset */
    "    .long 0\n"                     /* kernel_info_offset */
    ".org 0x400\n"

    ".section .head.text, \"ax\"\n"
    ".code32\n"
    "startup_32:\n"                     /* 32-bit entry: unsupported. */
    "    hlt\n"
    "    jmp startup_32\n"
    ".org 0x200\n"
    ".code64\n"
    ".globl startup_64\n"
    "startup_64:\n"
    "    cli\n"
    "    leaq stack_top(%rip), %rsp\n"
    "    movq %rsi, %rdi\n"
    "    call guest_main\n"
    "1:  hlt\n"
    "    jmp 1b\n"
    ".text\n"
);

/* The stack lives in .bss, which the link puts in the image. */
__attribute__((aligned(16))) char guest_stack[16384];
__asm__(".globl stack_top\n.set stack_top, guest_stack + 16384\n");
