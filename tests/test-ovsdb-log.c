/* Unit tests for the journal's preallocated tail (ovsdb/ovsdb-log.c): the
 * zeros after the last record are free space after a crash, never a record
 * and never corruption; a record torn inside them is cut off. */
#include <config.h>
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dynamic-string.h"
#include "ovsdb/ovsdb-error.h"
#include "ovsdb/ovsdb-log.h"

#define N_RECORDS 40

static char *
temp_name(const char *tag)
{
    const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    return xasprintf("%s/test-ovsdb-log-%ld-%s", dir, (long) getpid(), tag);
}

static off_t
file_size(const char *name)
{
    struct stat st;
    ck_assert_int_eq(stat(name, &st), 0);
    return st.st_size;
}

/* Copies the file as it is now, as a crash at this moment leaves it. */
static void
copy_file(const char *from, const char *to)
{
    int in = open(from, O_RDONLY);
    int out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0640);
    ck_assert_int_ge(in, 0);
    ck_assert_int_ge(out, 0);
    char buf[65536];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0) {
        ck_assert_int_eq(write(out, buf, n), n);
    }
    ck_assert_int_eq(n, 0);
    close(in);
    close(out);
}

static void
write_record(struct ovsdb_log *log, int i)
{
    char *text = xasprintf("{\"n\":%d,\"pad\":\"%0*d\"}", i, 40 + i % 7, i);
    struct ovsdb_error *error = ovsdb_log_write_string(log, text, strlen(text));
    ck_assert_ptr_null(error);
    error = ovsdb_log_commit(log);
    ck_assert_ptr_null(error);
    free(text);
}

/* Reads all records of 'log', checking they are 0, 1, 2...; returns how
 * many, and the read error (if any) in '*errorp'. */
static int
read_all(struct ovsdb_log *log, struct ovsdb_error **errorp)
{
    int n = 0;
    *errorp = NULL;
    for (;;) {
        struct json_object *json;
        struct ovsdb_error *error = ovsdb_log_read(log, &json);
        if (error) {
            *errorp = error;
            return n;
        }
        if (!json) {
            return n;
        }
        struct json_object *v;
        ck_assert(json_object_object_get_ex(json, "n", &v));
        ck_assert_int_eq(json_object_get_int(v), n);
        json_object_put(json);
        n++;
    }
}

/* Writes N_RECORDS records to a new log and leaves a copy of the file as a
 * crash would (with its preallocated tail) in 'crash'; returns the end of
 * the last record. */
static off_t
make_crash_image(const char *name, const char *crash)
{
    struct ovsdb_log *log;
    unlink(name);
    ck_assert_ptr_null(ovsdb_log_open(name, OVSDB_LOG_CREATE_EXCL, &log));
    for (int i = 0; i < N_RECORDS; i++) {
        write_record(log, i);
    }
    off_t end = ovsdb_log_get_offset(log);
    copy_file(name, crash);
    ovsdb_log_close(log);
    /* A clean close trims the preallocation. */
    ck_assert_int_eq(file_size(name), end);
    unlink(name);
    return end;
}

START_TEST(test_preallocated_tail_is_free_space)
{
    char *name = temp_name("a"), *crash = temp_name("a-crash");
    off_t end = make_crash_image(name, crash);

    /* The crash image is preallocated past the records, with zeros. */
    off_t size = file_size(crash);
    ck_assert_int_gt(size, end);
    int fd = open(crash, O_RDONLY);
    char *tail = xmalloc(size - end);
    ck_assert_int_eq(pread(fd, tail, size - end, end), size - end);
    for (off_t i = 0; i < size - end; i++) {
        ck_assert_int_eq(tail[i], 0);
    }
    free(tail);
    close(fd);

    /* Reopening finds every record, no error, nothing discarded. */
    struct ovsdb_log *log;
    struct ovsdb_error *error;
    ck_assert_ptr_null(ovsdb_log_open(crash, OVSDB_LOG_READ_WRITE, &log));
    ck_assert_int_eq(read_all(log, &error), N_RECORDS);
    ck_assert_msg(!error, "%s", error ? error->details : "");
    ck_assert_int_eq(ovsdb_log_bad_tail(log), 0);
    ck_assert_int_eq(ovsdb_log_get_offset(log), end);

    /* Appending reuses the zeros: the file does not grow. */
    write_record(log, N_RECORDS);
    ck_assert_int_eq(file_size(crash), size);
    off_t end2 = ovsdb_log_get_offset(log);
    ovsdb_log_close(log);
    ck_assert_int_eq(file_size(crash), end2);

    ck_assert_ptr_null(ovsdb_log_open(crash, OVSDB_LOG_READ_ONLY, &log));
    ck_assert_int_eq(read_all(log, &error), N_RECORDS + 1);
    ck_assert_ptr_null(error);
    ovsdb_log_close(log);

    unlink(crash);
    free(name);
    free(crash);
}
END_TEST

/* Puts 'len' bytes of 'data' at 'offset' of 'name'. */
static void
scribble(const char *name, const char *data, size_t len, off_t offset)
{
    int fd = open(name, O_WRONLY);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(pwrite(fd, data, len, offset), (ssize_t) len);
    close(fd);
}

static void
check_torn(const char *data, size_t len, off_t delta)
{
    char *name = temp_name("b"), *crash = temp_name("b-crash");
    off_t end = make_crash_image(name, crash);
    scribble(crash, data, len, end + delta);

    /* The torn record is reported, the good ones are all there. */
    struct ovsdb_log *log;
    struct ovsdb_error *error;
    ck_assert_ptr_null(ovsdb_log_open(crash, OVSDB_LOG_READ_WRITE, &log));
    ck_assert_int_eq(read_all(log, &error), N_RECORDS);
    ck_assert_ptr_nonnull(error);
    ovsdb_error_destroy(error);
    ck_assert_int_gt(ovsdb_log_bad_tail(log), 0);
    ck_assert_int_eq(ovsdb_log_get_offset(log), end);

    /* Writing cuts it off; the next open sees a clean log. */
    ck_assert_ptr_null(ovsdb_log_repair(log));
    write_record(log, N_RECORDS);
    ovsdb_log_close(log);
    ck_assert_ptr_null(ovsdb_log_open(crash, OVSDB_LOG_READ_ONLY, &log));
    ck_assert_int_eq(read_all(log, &error), N_RECORDS + 1);
    ck_assert_msg(!error, "%s", error ? error->details : "");
    ck_assert_int_eq(ovsdb_log_bad_tail(log), 0);
    ovsdb_log_close(log);

    unlink(crash);
    free(name);
    free(crash);
}

START_TEST(test_torn_record_in_preallocated_area)
{
    /* Header and part of the body reached the disk, the rest is zeros. */
    struct ds rec = DS_EMPTY_INITIALIZER;
    const char *text = "{\"n\":40,\"pad\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}";
    ovsdb_log_format_record(&rec, text, strlen(text));
    check_torn(rec.string, rec.length / 2, 0);
    /* Only part of the header. */
    check_torn(rec.string, 7, 0);
    /* The first block is still zeros but a later one was written. */
    check_torn(rec.string + 30, rec.length - 30, 30);
    /* Whole record but its final newline is still a zero byte. */
    check_torn(rec.string, rec.length - 1, 0);
    ds_destroy(&rec);
}
END_TEST

/* The preallocation keeps going as the log grows past a chunk. */
START_TEST(test_grows_past_chunk)
{
    char *name = temp_name("c");
    struct ovsdb_log *log;
    struct ovsdb_error *error;
    unlink(name);
    ck_assert_ptr_null(ovsdb_log_open(name, OVSDB_LOG_CREATE_EXCL, &log));
    struct ds big = DS_EMPTY_INITIALIZER;
    int n = 0;
    while (ovsdb_log_get_offset(log) < 3 * 1024 * 1024) {
        ds_clear(&big);
        ds_put_format(&big, "{\"n\":%d,\"pad\":\"", n++);
        for (int i = 0; i < 100000; i++) {
            ds_put_char(&big, 'a' + i % 26);
        }
        ds_put_cstr(&big, "\"}");
        ck_assert_ptr_null(ovsdb_log_write_string(log, big.string, big.length));
        ck_assert_ptr_null(ovsdb_log_commit(log));
        ck_assert_int_ge(file_size(name), ovsdb_log_get_offset(log));
    }
    ds_destroy(&big);
    ovsdb_log_close(log);
    ck_assert_ptr_null(ovsdb_log_open(name, OVSDB_LOG_READ_ONLY, &log));
    ck_assert_int_eq(read_all(log, &error), n);
    ck_assert_ptr_null(error);
    ovsdb_log_close(log);
    unlink(name);
    free(name);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("ovsdb-log");
    TCase *tc = tcase_create("preallocation");
    tcase_add_test(tc, test_preallocated_tail_is_free_space);
    tcase_add_test(tc, test_torn_record_in_preallocated_area);
    tcase_add_test(tc, test_grows_past_chunk);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
