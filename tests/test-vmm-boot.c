/* Unit tests for vmm/boot.c: bzImage setup header validation. */
#include <config.h>
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vmm/boot.h"

enum { IMAGE_SIZE = 1024 + 4096 };

/* A minimal valid 64-bit bzImage: one setup sector, 4 KiB payload. */
static uint8_t *
make_image(void)
{
    uint8_t *img = calloc(1, IMAGE_SIZE);
    img[0x1f1] = 1;                             /* setup_sects */
    img[0x1f4] = 4096 / 16 & 0xff;              /* syssize */
    img[0x1f5] = 4096 / 16 >> 8;
    img[0x1fe] = 0x55;
    img[0x1ff] = 0xaa;
    img[0x200] = 0xeb;
    img[0x201] = 0x6a;                          /* header ends at 0x26c */
    memcpy(img + 0x202, "HdrS", 4);
    img[0x206] = 0x0f;
    img[0x207] = 0x02;                          /* version 2.15 */
    img[0x211] = 0x01;                          /* LOADED_HIGH */
    img[0x236] = 0x01;                          /* XLF_KERNEL_64 */
    img[0x238] = 0xff;                          /* cmdline_size 255 */
    img[0x261] = 0x20;                          /* init_size 0x2000 */
    return img;
}

static int
parse(const uint8_t *img, size_t size, const char **msg)
{
    struct bzimage_info info;
    *msg = "";
    return bzimage_parse(img, size, &info, msg);
}

START_TEST(test_bzimage_valid_header_parses)
{
    uint8_t *img = make_image();
    struct bzimage_info info;
    const char *msg = NULL;

    ck_assert_int_eq(bzimage_parse(img, IMAGE_SIZE, &info, &msg), 0);
    ck_assert_uint_eq(info.version, 0x020f);
    ck_assert_uint_eq(info.setup_size, 1024);
    ck_assert_uint_eq(info.payload_size, 4096);
    ck_assert_uint_eq(info.init_size, 0x2000);
    ck_assert_uint_eq(info.cmdline_max, 255);
    ck_assert_uint_eq(info.initrd_addr_max, 0x37ffffff);   /* Default. */
    free(img);
}
END_TEST

START_TEST(test_bzimage_zero_setup_sects_means_four)
{
    uint8_t *img = make_image();
    uint8_t *big = calloc(1, 2560 + 4096);
    const char *msg;

    img[0x1f1] = 0;
    memcpy(big, img, 1024);
    ck_assert_int_eq(parse(big, 2560 + 4096, &msg), 0);
    ck_assert_int_eq(parse(big, 2000, &msg), EINVAL);   /* Ends in setup. */
    ck_assert_str_eq(msg, "truncated: image ends inside the setup code");
    free(img);
    free(big);
}
END_TEST

START_TEST(test_bzimage_rejects_bad_images)
{
    static const struct {
        unsigned int offset;
        uint8_t value;
        const char *msg;
    } cases[] = {
        { 0x1fe, 0x00, "not a Linux bzImage (no 0xAA55 boot flag)" },
        { 0x202, 'X', "not a Linux bzImage (no \"HdrS\" setup header)" },
        { 0x206, 0x0b, "boot protocol older than 2.12 (no 64-bit entry)" },
        { 0x211, 0x00, "kernel is not loaded high (zImage not supported)" },
        { 0x236, 0x00, "kernel has no 64-bit entry point (XLF_KERNEL_64)" },
        { 0x1f5, 0x10, "truncated: image shorter than its header's syssize" },
        { 0x201, 0x10, "malformed setup header length" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t *img = make_image();
        const char *msg;
        img[cases[i].offset] = cases[i].value;
        ck_assert_int_eq(parse(img, IMAGE_SIZE, &msg), EINVAL);
        ck_assert_str_eq(msg, cases[i].msg);
        free(img);
    }
}
END_TEST

START_TEST(test_bzimage_rejects_short_and_truncated)
{
    uint8_t *img = make_image();
    const char *msg;

    ck_assert_int_eq(parse(img, 100, &msg), EINVAL);
    ck_assert_str_eq(msg, "too short to be a Linux kernel image");
    /* Header promises 4096 payload bytes; the file has 4095. */
    ck_assert_int_eq(parse(img, IMAGE_SIZE - 1, &msg), EINVAL);
    ck_assert_str_eq(msg, "truncated: image shorter than its header's syssize");
    /* A zero syssize is as bad. */
    img[0x1f4] = img[0x1f5] = 0;
    ck_assert_int_eq(parse(img, IMAGE_SIZE, &msg), EINVAL);
    free(img);
}
END_TEST

START_TEST(test_bzimage_random_bytes_never_crash)
{
    uint8_t *img = malloc(IMAGE_SIZE);
    unsigned int seed = 12345;
    const char *msg;

    for (int round = 0; round < 2000; round++) {
        uint8_t *good = make_image();
        memcpy(img, good, IMAGE_SIZE);
        free(good);
        /* Flip a few header bytes at random. */
        for (int k = 0; k < 4; k++) {
            seed = seed * 1103515245 + 12345;
            img[0x1f1 + (seed >> 8) % 0x80] = seed >> 16;
        }
        seed = seed * 1103515245 + 12345;
        size_t size = (seed >> 8) % (IMAGE_SIZE + 1);
        int error = parse(img, size, &msg);
        ck_assert(error == 0 || error == EINVAL);
        ck_assert(msg != NULL);
    }
    free(img);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("vmm-boot");
    TCase *tc = tcase_create("bzimage");
    tcase_add_test(tc, test_bzimage_valid_header_parses);
    tcase_add_test(tc, test_bzimage_zero_setup_sects_means_four);
    tcase_add_test(tc, test_bzimage_rejects_bad_images);
    tcase_add_test(tc, test_bzimage_rejects_short_and_truncated);
    tcase_add_test(tc, test_bzimage_random_bytes_never_crash);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
