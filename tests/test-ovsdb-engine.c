/* Unit tests for the OVSDB engine (transactions through ovsdb_execute) and
 * the journal (ovsdb-log, ovsdb-file), on tests/ovsdb-test.ovsschema. */
#include <config.h>
#include <check.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ovsdb/ovsdb.h"
#include "ovsdb/ovsdb-error.h"
#include "ovsdb/ovsdb-execute.h"
#include "ovsdb/ovsdb-file.h"
#include "ovsdb/ovsdb-log.h"
#include "ovsdb/ovsdb-schema.h"

#ifndef SRCDIR
#define SRCDIR "."
#endif

static struct ovsdb_schema *
load_schema(void)
{
    struct ovsdb_schema *schema;
    char *name = xasprintf("%s/tests/ovsdb-test.ovsschema", SRCDIR);
    struct ovsdb_error *error = ovsdb_schema_from_file(name, &schema);
    ck_assert_msg(!error, "%s", error ? error->details : "");
    free(name);
    return schema;
}

/* Runs transaction 'ops' (a JSON array of operations, without the db name)
 * and returns the result as a string (caller frees). */
static char *
run(struct ovsdb *db, const char *ops)
{
    char *text = xasprintf("[\"TestDB\",%s", ops + 1);
    struct json_object *params = json_tokener_parse(text);
    ck_assert_msg(params != NULL, "bad test JSON %s", text);
    long long timeout;
    struct json_object *result = ovsdb_execute(db, NULL, params, 0, &timeout);
    char *s = result ? xstrdup(json_object_to_json_string_ext(result, JSON_C_TO_STRING_PLAIN))
                     : xstrdup("RETRY");
    json_object_put(result);
    json_object_put(params);
    free(text);
    return s;
}

static bool
contains(const char *haystack, const char *needle)
{
    return strstr(haystack, needle) != NULL;
}

static size_t
count_rows(struct ovsdb *db, const char *table)
{
    return ovsdb_table_n_rows(ovsdb_get_table(db, table));
}

START_TEST(test_failed_operation_changes_nothing)
{
    struct ovsdb *db = ovsdb_create(load_schema());
    char *r = run(db, "[{\"op\":\"insert\",\"table\":\"Root\",\"row\":{\"name\":\"a\"}},"
                  "{\"op\":\"insert\",\"table\":\"Root\",\"row\":{\"n\":-1}},"
                  "{\"op\":\"select\",\"table\":\"Root\",\"where\":[]}]");
    /* Second op fails: error in its slot, null after it, nothing inserted. */
    ck_assert_msg(contains(r, "\"constraint violation\""), "%s", r);
    ck_assert_msg(contains(r, ",null]"), "%s", r);
    ck_assert_uint_eq(count_rows(db, "Root"), 0);
    free(r);
    ovsdb_destroy(db);
}
END_TEST

START_TEST(test_index_uniqueness_and_max_rows)
{
    struct ovsdb *db = ovsdb_create(load_schema());
    char *r = run(db, "[{\"op\":\"insert\",\"table\":\"Root\",\"row\":{\"name\":\"a\"}}]");
    free(r);
    r = run(db, "[{\"op\":\"insert\",\"table\":\"Root\",\"row\":{\"name\":\"a\"}}]");
    ck_assert_msg(contains(r, "constraint violation") && contains(r, "index"), "%s", r);
    free(r);
    /* Renaming the old row in the same transaction frees the name. */
    r = run(db, "[{\"op\":\"update\",\"table\":\"Root\",\"where\":[[\"name\",\"==\",\"a\"]],"
            "\"row\":{\"name\":\"b\"}},"
            "{\"op\":\"insert\",\"table\":\"Root\",\"row\":{\"name\":\"a\"}}]");
    ck_assert_msg(!contains(r, "error"), "%s", r);
    ck_assert_uint_eq(count_rows(db, "Root"), 2);
    free(r);
    r = run(db, "[{\"op\":\"insert\",\"table\":\"Single\"},{\"op\":\"insert\",\"table\":\"Single\"}]");
    ck_assert_msg(contains(r, "constraint violation"), "%s", r);
    ck_assert_uint_eq(count_rows(db, "Single"), 0);
    free(r);
    ovsdb_destroy(db);
}
END_TEST

START_TEST(test_strong_refs_and_garbage_collection)
{
    struct ovsdb *db = ovsdb_create(load_schema());
    /* A reference to a missing row is rejected. */
    char *r = run(db, "[{\"op\":\"insert\",\"table\":\"Root\",\"row\":{\"name\":\"a\","
                  "\"children\":[\"uuid\",\"01234567-89ab-cdef-0123-456789abcdef\"]}}]");
    ck_assert_msg(contains(r, "referential integrity violation"), "%s", r);
    free(r);
    /* Named UUIDs link rows inserted together. */
    r = run(db, "[{\"op\":\"insert\",\"table\":\"Root\",\"row\":{\"name\":\"a\","
            "\"children\":[\"set\",[[\"named-uuid\",\"c1\"],[\"named-uuid\",\"c2\"]]]}},"
            "{\"op\":\"insert\",\"table\":\"Child\",\"uuid-name\":\"c1\",\"row\":{\"name\":\"x\","
            "\"parent_only\":[\"named-uuid\",\"g\"]}},"
            "{\"op\":\"insert\",\"table\":\"Child\",\"uuid-name\":\"c2\",\"row\":{\"name\":\"y\"}},"
            "{\"op\":\"insert\",\"table\":\"Grandchild\",\"uuid-name\":\"g\",\"row\":{\"v\":1}},"
            "{\"op\":\"insert\",\"table\":\"Child\",\"row\":{\"name\":\"orphan\"}}]");
    ck_assert_msg(!contains(r, "error"), "%s", r);
    free(r);
    /* The unreferenced non-root row is collected at once. */
    ck_assert_uint_eq(count_rows(db, "Child"), 2);
    ck_assert_uint_eq(count_rows(db, "Grandchild"), 1);
    /* Deleting a referenced row directly is an error... */
    r = run(db, "[{\"op\":\"delete\",\"table\":\"Child\",\"where\":[]}]");
    ck_assert_msg(contains(r, "referential integrity violation"), "%s", r);
    free(r);
    /* ...dropping the reference collects the whole subtree. */
    r = run(db, "[{\"op\":\"mutate\",\"table\":\"Root\",\"where\":[],"
            "\"mutations\":[[\"children\",\"delete\",[\"set\",[]]]]},"
            "{\"op\":\"update\",\"table\":\"Root\",\"where\":[],\"row\":{\"children\":[\"set\",[]]}}]");
    ck_assert_msg(!contains(r, "error"), "%s", r);
    free(r);
    ck_assert_uint_eq(count_rows(db, "Child"), 0);
    ck_assert_uint_eq(count_rows(db, "Grandchild"), 0);
    ovsdb_destroy(db);
}
END_TEST

START_TEST(test_weak_refs_are_pruned)
{
    struct ovsdb *db = ovsdb_create(load_schema());
    char *r = run(db, "[{\"op\":\"insert\",\"table\":\"Root\",\"row\":{\"name\":\"a\","
                  "\"children\":[\"named-uuid\",\"c\"],\"watch\":[\"named-uuid\",\"c\"]}},"
                  "{\"op\":\"insert\",\"table\":\"Child\",\"uuid-name\":\"c\",\"row\":{\"name\":\"x\"}}]");
    ck_assert_msg(!contains(r, "error"), "%s", r);
    free(r);
    r = run(db, "[{\"op\":\"update\",\"table\":\"Root\",\"where\":[],\"row\":{\"children\":[\"set\",[]]}},"
            "{\"op\":\"select\",\"table\":\"Root\",\"where\":[],\"columns\":[\"watch\"]}]");
    ck_assert_msg(!contains(r, "error"), "%s", r);
    free(r);
    r = run(db, "[{\"op\":\"select\",\"table\":\"Root\",\"where\":[],\"columns\":[\"watch\"]}]");
    ck_assert_str_eq(r, "[{\"rows\":[{\"watch\":[\"set\",[]]}]}]");
    free(r);
    ovsdb_destroy(db);
}
END_TEST

START_TEST(test_mutate_errors_and_results)
{
    struct ovsdb *db = ovsdb_create(load_schema());
    free(run(db, "[{\"op\":\"insert\",\"table\":\"Root\",\"row\":{\"name\":\"a\",\"n\":10,"
             "\"nums\":[\"set\",[1,2]],\"tags\":[\"map\",[[\"k\",\"v\"],[\"j\",\"w\"]]]}}]"));
    char *r = run(db, "[{\"op\":\"mutate\",\"table\":\"Root\",\"where\":[],"
                  "\"mutations\":[[\"n\",\"/=\",0]]}]");
    ck_assert_msg(contains(r, "domain error"), "%s", r);
    free(r);
    r = run(db, "[{\"op\":\"mutate\",\"table\":\"Root\",\"where\":[],"
            "\"mutations\":[[\"n\",\"+=\",2000000]]}]");
    ck_assert_msg(contains(r, "constraint violation"), "%s", r);
    free(r);
    r = run(db, "[{\"op\":\"mutate\",\"table\":\"Root\",\"where\":[],"
            "\"mutations\":[[\"nums\",\"insert\",[\"set\",[3,4,5]]]]}]");
    ck_assert_msg(contains(r, "constraint violation"), "%s", r);   /* max 4 */
    free(r);
    r = run(db, "[{\"op\":\"mutate\",\"table\":\"Root\",\"where\":[],"
            "\"mutations\":[[\"fixed\",\"insert\",\"x\"]]}]");
    ck_assert_msg(contains(r, "constraint violation"), "%s", r);
    free(r);
    r = run(db, "[{\"op\":\"mutate\",\"table\":\"Root\",\"where\":[[\"n\",\">\",5]],"
            "\"mutations\":[[\"n\",\"*=\",3],[\"nums\",\"+=\",10],"
            "[\"tags\",\"delete\",[\"map\",[[\"k\",\"v\"]]]],[\"tags\",\"delete\",[\"set\",[\"j\"]]],"
            "[\"tags\",\"insert\",[\"map\",[[\"z\",\"1\"]]]]]},"
            "{\"op\":\"select\",\"table\":\"Root\",\"where\":[],\"columns\":[\"n\",\"nums\",\"tags\"]}]");
    ck_assert_str_eq(r, "[{\"count\":1},{\"rows\":[{\"n\":30,\"nums\":[\"set\",[11,12]],"
                     "\"tags\":[\"map\",[[\"z\",\"1\"]]]}]}]");
    free(r);
    r = run(db, "[{\"op\":\"update\",\"table\":\"Root\",\"where\":[],\"row\":{\"fixed\":\"y\"}}]");
    ck_assert_msg(contains(r, "constraint violation"), "%s", r);
    free(r);
    ovsdb_destroy(db);
}
END_TEST

START_TEST(test_wait_comment_abort_assert)
{
    struct ovsdb *db = ovsdb_create(load_schema());
    free(run(db, "[{\"op\":\"insert\",\"table\":\"Root\",\"row\":{\"name\":\"a\"}}]"));
    char *r = run(db, "[{\"op\":\"wait\",\"table\":\"Root\",\"where\":[],\"columns\":[\"name\"],"
                  "\"until\":\"==\",\"rows\":[{\"name\":\"a\"}],\"timeout\":0}]");
    ck_assert_str_eq(r, "[{}]");
    free(r);
    r = run(db, "[{\"op\":\"wait\",\"table\":\"Root\",\"where\":[],\"columns\":[\"name\"],"
            "\"until\":\"==\",\"rows\":[{\"name\":\"b\"}],\"timeout\":0}]");
    ck_assert_msg(contains(r, "timed out"), "%s", r);
    free(r);
    /* An unmet wait with time left asks to be retried. */
    r = run(db, "[{\"op\":\"wait\",\"table\":\"Root\",\"where\":[],\"columns\":[\"name\"],"
            "\"until\":\"!=\",\"rows\":[{\"name\":\"a\"}],\"timeout\":1000}]");
    ck_assert_str_eq(r, "RETRY");
    free(r);
    r = run(db, "[{\"op\":\"comment\",\"comment\":\"hi\"},{\"op\":\"insert\",\"table\":\"Root\","
            "\"row\":{\"name\":\"b\"}},{\"op\":\"abort\"}]");
    ck_assert_msg(contains(r, "\"aborted\""), "%s", r);
    ck_assert_uint_eq(count_rows(db, "Root"), 1);
    free(r);
    r = run(db, "[{\"op\":\"assert\",\"lock\":\"l\"}]");
    ck_assert_msg(contains(r, "not owner"), "%s", r);
    free(r);
    r = run(db, "[{\"op\":\"frobnicate\"}]");
    ck_assert_msg(contains(r, "syntax error"), "%s", r);
    free(r);
    r = run(db, "[{\"op\":\"select\",\"table\":\"Nope\",\"where\":[]}]");
    ck_assert_msg(contains(r, "syntax error"), "%s", r);
    free(r);
    r = run(db, "[{\"op\":\"insert\",\"table\":\"Root\",\"row\":{\"bogus\":1}}]");
    ck_assert_msg(contains(r, "unknown column"), "%s", r);
    free(r);
    ovsdb_destroy(db);
}
END_TEST

static char *
temp_db(struct ovsdb_schema *schema)
{
    char *name = xstrdup("/tmp/test-ovsdb-XXXXXX");
    int fd = mkstemp(name);
    ck_assert_int_ge(fd, 0);
    close(fd);
    unlink(name);
    struct ovsdb_error *error = ovsdb_file_create(name, schema);
    ck_assert_msg(!error, "%s", error ? error->details : "");
    return name;
}

static struct ovsdb *
open_file(const char *name, char **warning)
{
    struct ovsdb *db;
    struct ovsdb_file *file;
    struct ovsdb_error *error = ovsdb_file_open(name, false, &db, &file, warning);
    ck_assert_msg(!error, "%s", error ? error->details : "");
    return db;
}

START_TEST(test_journal_replays_and_truncates_torn_tail)
{
    struct ovsdb_schema *schema = load_schema();
    char *name = temp_db(schema);
    ovsdb_schema_destroy(schema);
    char *warning;

    struct ovsdb *db = open_file(name, &warning);
    ck_assert_ptr_null(warning);
    for (int i = 0; i < 20; i++) {
        char *ops = xasprintf("[{\"op\":\"insert\",\"table\":\"Root\",\"row\":{\"name\":\"r%d\","
                              "\"n\":%d}},{\"op\":\"commit\",\"durable\":%s}]",
                              i, i, i % 2 ? "true" : "false");
        free(run(db, ops));
        free(ops);
    }
    free(run(db, "[{\"op\":\"delete\",\"table\":\"Root\",\"where\":[[\"n\",\"<\",5]]}]"));
    ovsdb_destroy(db);

    struct stat st;
    ck_assert_int_eq(stat(name, &st), 0);
    off_t good_size = st.st_size;

    /* Reopen: same 15 rows. */
    db = open_file(name, &warning);
    ck_assert_ptr_null(warning);
    ck_assert_uint_eq(count_rows(db, "Root"), 15);
    ovsdb_destroy(db);

    /* A torn record (half written) is cut off and nothing else is lost. */
    int fd = open(name, O_WRONLY | O_APPEND);
    const char *torn = "VSDB 500 0badc0de\n{\"Root\":{\"01234567-89ab";
    ck_assert_int_eq(write(fd, torn, strlen(torn)), (ssize_t) strlen(torn));
    close(fd);
    db = open_file(name, &warning);
    ck_assert_ptr_nonnull(warning);
    free(warning);
    ck_assert_uint_eq(count_rows(db, "Root"), 15);
    ovsdb_destroy(db);
    ck_assert_int_eq(stat(name, &st), 0);
    ck_assert_int_eq(st.st_size, good_size);

    /* A flipped byte in the last record fails its checksum: that whole
     * transaction is dropped, never applied in part. */
    fd = open(name, O_RDWR);
    char c;
    ck_assert_int_eq(pread(fd, &c, 1, good_size - 5), 1);
    c ^= 0x20;
    ck_assert_int_eq(pwrite(fd, &c, 1, good_size - 5), 1);
    close(fd);
    db = open_file(name, &warning);
    ck_assert_ptr_nonnull(warning);
    ck_assert_msg(strstr(warning, "checksum") != NULL, "%s", warning);
    free(warning);
    ck_assert_uint_eq(count_rows(db, "Root"), 20);   /* The delete is gone. */
    ovsdb_destroy(db);

    unlink(name);
    free(name);
}
END_TEST

START_TEST(test_compaction_keeps_data)
{
    struct ovsdb_schema *schema = load_schema();
    char *name = temp_db(schema);
    ovsdb_schema_destroy(schema);
    char *warning;
    struct ovsdb *db;
    struct ovsdb_file *file;

    ck_assert_ptr_null(ovsdb_file_open(name, false, &db, &file, &warning));
    for (int i = 0; i < 50; i++) {
        char *ops = xasprintf("[{\"op\":\"insert\",\"table\":\"Root\",\"row\":{\"name\":\"r%d\"}}]", i);
        free(run(db, ops));
        free(ops);
    }
    free(run(db, "[{\"op\":\"update\",\"table\":\"Root\",\"where\":[],\"row\":{\"flag\":true}}]"));
    long long before = ovsdb_file_size(file);
    /* Background compaction, with a commit while it runs. */
    ck_assert_ptr_null(ovsdb_file_compact_start(file));
    free(run(db, "[{\"op\":\"insert\",\"table\":\"Root\",\"row\":{\"name\":\"late\"}}]"));
    for (int i = 0; i < 1000 && ovsdb_file_is_compacting(file); i++) {
        ovsdb_file_run(file);
        usleep(1000);
    }
    ck_assert(!ovsdb_file_is_compacting(file));
    ck_assert_uint_eq(ovsdb_file_n_compactions(file), 1);
    ck_assert_int_lt(ovsdb_file_size(file), before);
    ovsdb_destroy(db);

    db = open_file(name, &warning);
    ck_assert_ptr_null(warning);
    ck_assert_uint_eq(count_rows(db, "Root"), 51);
    /* The update before compaction survived: only "late" has flag false. */
    char *r = run(db, "[{\"op\":\"select\",\"table\":\"Root\",\"where\":[[\"flag\",\"==\",false]],"
                  "\"columns\":[\"name\"]}]");
    ck_assert_str_eq(r, "[{\"rows\":[{\"name\":\"late\"}]}]");
    free(r);
    ovsdb_destroy(db);
    unlink(name);
    free(name);
}
END_TEST

START_TEST(test_crc32c_known_value)
{
    /* The standard CRC-32C check value (RFC 3720 appendix B.4). */
    ck_assert_uint_eq(crc32c(0, "123456789", 9), 0xe3069283);
    /* Hardware and table paths agree on odd lengths and chaining. */
    ck_assert_uint_eq(crc32c(crc32c(0, "12345", 5), "6789", 4), 0xe3069283);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("ovsdb-engine");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_failed_operation_changes_nothing);
    tcase_add_test(tc, test_index_uniqueness_and_max_rows);
    tcase_add_test(tc, test_strong_refs_and_garbage_collection);
    tcase_add_test(tc, test_weak_refs_are_pruned);
    tcase_add_test(tc, test_mutate_errors_and_results);
    tcase_add_test(tc, test_wait_comment_abort_assert);
    tcase_add_test(tc, test_journal_replays_and_truncates_torn_tail);
    tcase_add_test(tc, test_compaction_keeps_data);
    tcase_add_test(tc, test_crc32c_known_value);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
