/* Unit tests for ovsdb/idl-datum: OVSDB types and values as the IDL and
 * vs-vsctl parse and print them. */
#include <config.h>
#include <check.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "dynamic-string.h"
#include "ovsdb/idl-datum.h"

static struct ovsdb_type
type_of(const char *json)
{
    struct ovsdb_type t;
    struct json_object *j = json_tokener_parse(json);
    ck_assert_ptr_nonnull(j);
    char *err = idl_type_from_json(&t, j);
    ck_assert_msg(!err, "%s: %s", json, err);
    json_object_put(j);
    return t;
}

/* Parses 'in' as command-line text of type 't' and prints it back. */
static char *
roundtrip(const struct ovsdb_type *t, const char *in)
{
    struct idl_datum d;
    char *err = idl_datum_from_string(&d, t, in, NULL, NULL);
    if (err) {
        return err;
    }
    struct ds s = DS_EMPTY_INITIALIZER;
    idl_datum_to_string(&d, t, &s);
    idl_datum_destroy(&d, t);
    return ds_steal_cstr(&s);
}

#define CHECK_RT(T, IN, OUT) do {                       \
        char *got_ = roundtrip(&(T), IN);               \
        ck_assert_str_eq(got_, OUT);                    \
        free(got_);                                     \
    } while (0)

START_TEST(test_type_parses_schema_forms)
{
    struct ovsdb_type t = type_of("\"integer\"");
    ck_assert(ovsdb_type_is_scalar(&t));
    ovsdb_type_destroy(&t);

    t = type_of("{\"key\": {\"type\": \"integer\", \"minInteger\": 0,"
                " \"maxInteger\": 4095}, \"min\": 0, \"max\": 1}");
    ck_assert(ovsdb_type_is_optional(&t));
    ck_assert_int_eq(t.key.integer.max, 4095);
    ovsdb_type_destroy(&t);

    t = type_of("{\"key\": \"string\", \"value\": \"string\", \"min\": 0,"
                " \"max\": \"unlimited\"}");
    ck_assert(ovsdb_type_is_map(&t));
    ck_assert_uint_eq(t.n_max, UINT_MAX);
    ovsdb_type_destroy(&t);

    struct json_object *bad = json_tokener_parse("{\"key\": \"float\"}");
    char *err = idl_type_from_json(&t, bad);
    ck_assert_ptr_nonnull(err);
    free(err);
    json_object_put(bad);
}
END_TEST

START_TEST(test_string_syntax_sets_maps_scalars)
{
    struct ovsdb_type ints = type_of("{\"key\": \"integer\", \"min\": 0,"
                                     " \"max\": \"unlimited\"}");
    CHECK_RT(ints, "3,1,2", "[1, 2, 3]");
    CHECK_RT(ints, "[3, 1]", "[1, 3]");
    CHECK_RT(ints, "{}", "[]");
    CHECK_RT(ints, "[]", "[]");
    ovsdb_type_destroy(&ints);

    struct ovsdb_type map = type_of("{\"key\": \"string\", \"value\":"
                                    " \"string\", \"min\": 0, \"max\":"
                                  " \"unlimited\"}");
    CHECK_RT(map, "{b=2, a=x}", "{a=x, b=\"2\"}");
    CHECK_RT(map, "k=\"two words\"", "{k=\"two words\"}");
    CHECK_RT(map, "{ip=\"10.0.0.1\"}", "{ip=\"10.0.0.1\"}");
    ovsdb_type_destroy(&map);

    /* A scalar string takes the whole text, commas and all. */
    struct ovsdb_type str = type_of("\"string\"");
    CHECK_RT(str, "a,b", "\"a,b\"");
    CHECK_RT(str, "plain", "plain");
    CHECK_RT(str, "", "\"\"");
    CHECK_RT(str, "true", "\"true\"");
    CHECK_RT(str, "\"quo\\\"ted\"", "\"quo\\\"ted\"");
    /* Control characters print as JSON escapes and read back. */
    CHECK_RT(str, "\"a\\b\\f\\u0001\\tz\"", "\"a\\b\\f\\u0001\\tz\"");
    ovsdb_type_destroy(&str);

    struct ovsdb_type opt = type_of("{\"key\": \"integer\", \"min\": 0,"
                                    " \"max\": 1}");
    CHECK_RT(opt, "[]", "[]");
    CHECK_RT(opt, "7", "7");
    ovsdb_type_destroy(&opt);
}
END_TEST

/* Integer sets take ranges (VLAN trunks: trunks=10-20,30). */
START_TEST(test_integer_ranges)
{
    struct ovsdb_type ints = type_of("{\"key\": {\"type\": \"integer\","
                                     " \"minInteger\": 0, \"maxInteger\": 4095},"
                                   " \"min\": 0, \"max\": 4096}");
    CHECK_RT(ints, "1-3", "[1, 2, 3]");
    CHECK_RT(ints, "10, 2-4,7", "[2, 3, 4, 7, 10]");
    CHECK_RT(ints, "5-5", "[5]");

    struct idl_datum d;
    ck_assert(!idl_datum_from_string(&d, &ints, "0-4095", NULL, NULL));
    ck_assert_uint_eq(d.n, 4096);
    idl_datum_destroy(&d, &ints);

    static const char *bad[] = { "5-3", "1-3,2", "4000-4096", "1-x", "a-3" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *err = idl_datum_from_string(&d, &ints, bad[i], NULL, NULL);
        ck_assert_msg(err != NULL, "%s accepted", bad[i]);
        free(err);
    }
    ovsdb_type_destroy(&ints);

    /* A range wider than 4096 values is refused before it is expanded. */
    struct ovsdb_type any = type_of("{\"key\": \"integer\", \"min\": 0,"
                                    " \"max\": \"unlimited\"}");
    char *err = idl_datum_from_string(&d, &any, "0-100000", NULL, NULL);
    ck_assert_ptr_nonnull(err);
    ck_assert(strstr(err, "more than 4096") != NULL);
    free(err);
    CHECK_RT(any, "-2-1", "[-2, -1, 0, 1]");
    ovsdb_type_destroy(&any);
}
END_TEST

START_TEST(test_bad_values_are_rejected_with_a_message)
{
    struct ovsdb_type tag = type_of("{\"key\": {\"type\": \"integer\","
                                    " \"minInteger\": 0, \"maxInteger\": 4095},"
                                  " \"min\": 0, \"max\": 1}");
    char *e = roundtrip(&tag, "4096");
    ck_assert_ptr_nonnull(strstr(e, "not in the valid range 0 to 4095"));
    free(e);
    e = roundtrip(&tag, "12x");
    ck_assert_ptr_nonnull(strstr(e, "not a valid integer"));
    free(e);
    e = roundtrip(&tag, "1,2");
    ck_assert_ptr_nonnull(strstr(e, "at most 1"));
    free(e);
    ovsdb_type_destroy(&tag);

    struct ovsdb_type mode = type_of("{\"key\": {\"type\": \"string\", \"enum\":"
                                     " [\"set\", [\"secure\", \"standalone\"]]},"
                                   " \"min\": 0, \"max\": 1}");
    CHECK_RT(mode, "secure", "secure");
    e = roundtrip(&mode, "open");
    ck_assert_str_eq(e, "constraint violation: open is not one of the allowed "
                     "values ([secure, standalone])");
    free(e);
    ovsdb_type_destroy(&mode);

    struct ovsdb_type map = type_of("{\"key\": \"string\", \"value\":"
                                    " \"string\", \"min\": 0, \"max\":"
                                  " \"unlimited\"}");
    e = roundtrip(&map, "novalue");
    ck_assert_ptr_nonnull(strstr(e, "missing \"=\""));
    free(e);
    e = roundtrip(&map, "a=1,a=2");
    ck_assert_ptr_nonnull(strstr(e, "more than once"));
    free(e);
    e = roundtrip(&map, "a=\"unterminated");
    ck_assert_ptr_nonnull(e);
    free(e);
    ovsdb_type_destroy(&map);

    struct ovsdb_type uuid = type_of("{\"key\": \"uuid\"}");
    e = roundtrip(&uuid, "1234");
    ck_assert_ptr_nonnull(strstr(e, "not a valid UUID"));
    free(e);
    ovsdb_type_destroy(&uuid);
}
END_TEST

START_TEST(test_json_wire_format_roundtrip)
{
    struct ovsdb_type map = type_of("{\"key\": \"integer\", \"value\":"
                                    " {\"type\": \"uuid\"}, \"min\": 0,"
                                  " \"max\": \"unlimited\"}");
    const char *wire = "[\"map\",[[1,[\"uuid\",\"01234567-89ab-cdef-0123-"
                       "456789abcdef\"]],[0,[\"uuid\",\"11234567-89ab-cdef-"
                       "0123-456789abcdef\"]]]]";
    struct json_object *j = json_tokener_parse(wire);
    struct idl_datum d;
    char *err = idl_datum_from_json(&d, &map, j);
    ck_assert_msg(!err, "%s", err);
    ck_assert_uint_eq(d.n, 2);
    ck_assert_int_eq(d.keys[0].integer, 0);    /* Sorted. */
    struct json_object *back = idl_datum_to_json(&d, &map, NULL, NULL);
    ck_assert_str_eq(json_object_to_json_string_ext(back,
                                                    JSON_C_TO_STRING_PLAIN),
                     "[\"map\",[[0,[\"uuid\",\"11234567-89ab-cdef-0123-"
                     "456789abcdef\"]],[1,[\"uuid\",\"01234567-89ab-cdef-"
                     "0123-456789abcdef\"]]]]");
    json_object_put(back);
    json_object_put(j);
    idl_datum_destroy(&d, &map);

    /* A bad value from a peer is an error, not a crash. */
    j = json_tokener_parse("[\"map\",[[1]]]");
    err = idl_datum_from_json(&d, &map, j);
    ck_assert_ptr_nonnull(err);
    free(err);
    json_object_put(j);
    j = json_tokener_parse("[\"set\",[\"x\"]]");
    err = idl_datum_from_json(&d, &map, j);
    ck_assert_ptr_nonnull(err);
    free(err);
    json_object_put(j);
    ovsdb_type_destroy(&map);

    /* One-element sets travel as a bare atom. */
    struct ovsdb_type set = type_of("{\"key\": \"string\", \"min\": 0,"
                                    " \"max\": \"unlimited\"}");
    j = json_tokener_parse("\"solo\"");
    err = idl_datum_from_json(&d, &set, j);
    ck_assert(!err);
    ck_assert_uint_eq(d.n, 1);
    back = idl_datum_to_json(&d, &set, NULL, NULL);
    ck_assert_str_eq(json_object_get_string(back), "solo");
    json_object_put(back);
    json_object_put(j);
    idl_datum_destroy(&d, &set);
    ovsdb_type_destroy(&set);
}
END_TEST

START_TEST(test_union_subtract_includes)
{
    struct ovsdb_type ints = type_of("{\"key\": \"integer\", \"min\": 0,"
                                     " \"max\": \"unlimited\"}");
    struct idl_datum a, b;
    ck_assert(!idl_datum_from_string(&a, &ints, "1,2,3", NULL, NULL));
    ck_assert(!idl_datum_from_string(&b, &ints, "3,4", NULL, NULL));
    ck_assert(!idl_datum_includes(&a, &b, &ints));
    idl_datum_union(&a, &b, &ints);
    ck_assert_uint_eq(a.n, 4);
    ck_assert(idl_datum_includes(&a, &b, &ints));
    idl_datum_subtract(&a, &b, &ints, &ints);
    struct ds s = DS_EMPTY_INITIALIZER;
    idl_datum_to_string(&a, &ints, &s);
    ck_assert_str_eq(ds_cstr(&s), "[1, 2]");
    ds_destroy(&s);
    idl_datum_destroy(&a, &ints);
    idl_datum_destroy(&b, &ints);
    ovsdb_type_destroy(&ints);

    /* Removing a map pair needs the value to match. */
    struct ovsdb_type map = type_of("{\"key\": \"string\", \"value\":"
                                    " \"string\", \"min\": 0, \"max\":"
                                  " \"unlimited\"}");
    ck_assert(!idl_datum_from_string(&a, &map, "a=1,b=2", NULL, NULL));
    ck_assert(!idl_datum_from_string(&b, &map, "a=9,b=2", NULL, NULL));
    idl_datum_subtract(&a, &b, &map, &map);
    ck_assert_uint_eq(a.n, 1);
    ck_assert_str_eq(a.keys[0].string, "a");
    idl_datum_destroy(&a, &map);
    idl_datum_destroy(&b, &map);
    ovsdb_type_destroy(&map);
}
END_TEST

static char *
symbol(const char *name, void *aux, char uuid[37])
{
    int *calls = aux;
    (*calls)++;
    if (strcmp(name, "@ok")) {
        return strdup("unknown symbol");
    }
    strcpy(uuid, "01234567-89ab-cdef-0123-456789abcdef");
    return NULL;
}

START_TEST(test_named_uuid_symbols_resolve)
{
    struct ovsdb_type ref = type_of("{\"key\": {\"type\": \"uuid\", "
                                    "\"refTable\": \"QoS\"}, \"min\": 0,"
                                  " \"max\": 1}");
    struct idl_datum d;
    int calls = 0;
    ck_assert(!idl_datum_from_string(&d, &ref, "@ok", symbol, &calls));
    ck_assert_int_eq(calls, 1);
    ck_assert_str_eq(d.keys[0].string, "01234567-89ab-cdef-0123-456789abcdef");
    idl_datum_destroy(&d, &ref);
    char *e = idl_datum_from_string(&d, &ref, "@nope", symbol, &calls);
    ck_assert_ptr_nonnull(e);
    free(e);
    ck_assert_str_eq(ref.key.uuid.ref_table_name, "QoS");
    ovsdb_type_destroy(&ref);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("idl-datum");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_type_parses_schema_forms);
    tcase_add_test(tc, test_string_syntax_sets_maps_scalars);
    tcase_add_test(tc, test_integer_ranges);
    tcase_add_test(tc, test_bad_values_are_rejected_with_a_message);
    tcase_add_test(tc, test_json_wire_format_roundtrip);
    tcase_add_test(tc, test_union_subtract_includes);
    tcase_add_test(tc, test_named_uuid_symbols_resolve);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
