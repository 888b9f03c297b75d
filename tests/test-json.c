/* Unit tests for lib/json (parser, serializer, helpers). */
#include <config.h>
#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dynamic-string.h"
#include "json.h"
#include "test-util.h"

/* Parses 's', checks success and returns its compact sorted form. */
static char *
roundtrip(const char *s)
{
    struct json_object *v;
    char *error;
    int retval = json_from_string(s, &v, &error);
    ck_assert_msg(!retval, "parsing %s: %s", s, error);
    char *out = json_to_string(v, JSON_SORT_KEYS);
    json_object_put(v);
    return out;
}

static void
check_roundtrip(const char *in, const char *expected)
{
    char *out = roundtrip(in);
    ck_assert_str_eq(out, expected);
    free(out);
}

/* Parses 's' expecting 'error' and an error message containing 'substr'. */
static void
check_error(const char *s, int expected, const char *substr)
{
    struct json_object *v = (void *) 1;
    char *error = NULL;
    int retval = json_from_string(s, &v, &error);
    ck_assert_msg(retval == expected, "parsing '%s' returned %d, expected %d",
                  s, retval, expected);
    ck_assert_ptr_null(v);
    ck_assert_ptr_nonnull(error);
    ck_assert_msg(strstr(error, substr), "error '%s' lacks '%s'", error,
                  substr);
    free(error);
}

START_TEST(test_json_scalars_and_containers_roundtrip)
{
    check_roundtrip("  {\"b\": [1, -2, true, false, null], \"a\": {}} ",
                    "{\"a\":{},\"b\":[1,-2,true,false,null]}");
    check_roundtrip("[]", "[]");
    check_roundtrip("{\"\":\"\"}", "{\"\":\"\"}");    /* Empty names. */
    check_roundtrip("\"\"", "\"\"");
    check_roundtrip("12", "12");
    check_roundtrip("-0", "0");
    check_roundtrip("null", "null");
    check_roundtrip("[9223372036854775807,-9223372036854775808]",
                    "[9223372036854775807,-9223372036854775808]");
}
END_TEST

START_TEST(test_json_reals_roundtrip_exactly)
{
    static const double values[] = {
        0.1, 1.0 / 3, 1e300, -2.5e-308, 123456789.125, 5e-324,
        1.7976931348623157e308, 0.0, -0.0, 100.0,
    };
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        struct json_object *v = json_object_new_double(values[i]);
        char *s = json_to_string(v, 0);
        struct json_object *back;
        ck_assert_int_eq(json_from_string(s, &back, NULL), 0);
        ck_assert_msg(json_object_is_type(back, json_type_double),
                      "%s did not read back as a real", s);
        ck_assert_msg(json_object_get_double(back) == values[i]
                      && signbit(json_object_get_double(back))
                         == signbit(values[i]), "%s", s);
        free(s);
        json_object_put(v);
        json_object_put(back);
    }
    check_roundtrip("[0.1, 1.0, 1e2, 2E-3]", "[0.1,1.0,100.0,0.002]");
}
END_TEST

START_TEST(test_json_strings_escapes_and_utf8)
{
    check_roundtrip("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"",
                    "\"a\\\"b\\\\c/d\\b\\f\\n\\r\\t\"");
    /* \u escapes become UTF-8; a surrogate pair becomes one 4-byte char. */
    check_roundtrip("\"\\u00e9\\u20ac\\ud83d\\ude00\"",
                    "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"");
    check_roundtrip("\"\xc3\xa9\"", "\"\xc3\xa9\"");

    /* Embedded NUL survives with its length. */
    struct json_object *v;
    ck_assert_int_eq(json_from_string("\"x\\u0000y\"", &v, NULL), 0);
    size_t len;
    const char *s = json_string_value(v, &len);
    ck_assert_uint_eq(len, 3);
    ck_assert_mem_eq(s, "x\0y", 3);
    char *out = json_to_string(v, 0);
    ck_assert_str_eq(out, "\"x\\u0000y\"");
    free(out);
    json_object_put(v);
}
END_TEST

START_TEST(test_json_rejects_malformed_input)
{
    check_error("{'a':1}", EPROTO, "syntax error");
    check_error("[1,]", EPROTO, "expected a value");
    check_error("{\"a\":1,}", EPROTO, "expected a member name");
    check_error("{\"a\" 1}", EPROTO, "expected ':'");
    check_error("{1:2}", EPROTO, "expected a member name or '}'");
    check_error("[1 2]", EPROTO, "expected ',' or ']'");
    check_error("[1}", EPROTO, "expected ',' or ']'");
    check_error("[01]", EPROTO, "bad number");
    check_error("[1.]", EPROTO, "bad number");
    check_error("[-]", EPROTO, "bad number");
    check_error("[1e]", EPROTO, "bad number");
    check_error("[NaN]", EPROTO, "expected a value");
    check_error("[nan]", EPROTO, "invalid literal");
    check_error("[tru]", EPROTO, "invalid literal");
    check_error("[truefalse]", EPROTO, "invalid literal");
    check_error("[9223372036854775808]", EPROTO, "out of 64-bit range");
    check_error("[1e400]", EPROTO, "out of range");
    check_error("\"a\tb\"", EPROTO, "control character");
    check_error("\"\\x\"", EPROTO, "bad escape");
    check_error("\"\\u12G4\"", EPROTO, "bad \\u escape");
    check_error("\"\\ud800\"", EPROTO, "unpaired");
    check_error("\"\\ud800\\u0041\"", EPROTO, "unpaired");
    check_error("\"\\udc00\"", EPROTO, "unpaired");
    check_error("\"\xff\"", EPROTO, "invalid UTF-8");
    check_error("\"\xc0\xaf\"", EPROTO, "invalid UTF-8");       /* Overlong. */
    check_error("\"\xed\xa0\x80\"", EPROTO, "invalid UTF-8");   /* Surrogate. */
    check_error("\"\xf4\x90\x80\x80\"", EPROTO, "invalid UTF-8"); /* >10FFFF */
    check_error("{\"a\\u0000\":1}", EPROTO, "NUL");
    check_error("[1, 2", EPROTO, "end of input");
    check_error("\"abc", EPROTO, "end of input");
    check_error("", EPROTO, "empty input");
    check_error("   ", EPROTO, "empty input");
    check_error("{} x", EPROTO, "trailing data");
    check_error("]", EPROTO, "expected a value");
    check_error("[\x01]", EPROTO, "byte 0x01");
}
END_TEST

START_TEST(test_json_stream_split_at_every_byte)
{
    const char *msgs = "{\"id\":1,\"method\":\"echo\",\"params\":[\"\\u00e9\","
                       "1.5,{\"k\":[null]}]}\n[1,2]  \"s\"{}";
    const char *expected[] = {
        "{\"id\":1,\"method\":\"echo\",\"params\":[\"\xc3\xa9\",1.5,"
        "{\"k\":[null]}]}",
        "[1,2]", "\"s\"", "{}",
    };
    size_t n = strlen(msgs);

    /* Feeds the stream in chunks of every size from 1 byte up. */
    for (size_t chunk = 1; chunk <= n; chunk++) {
        struct json_parser *p = json_parser_create(0, 0);
        size_t n_got = 0;
        size_t ofs = 0;
        while (ofs < n) {
            size_t len = MIN(chunk, n - ofs);
            size_t used = json_parser_feed(p, msgs + ofs, len);
            ofs += used;
            if (json_parser_is_done(p)) {
                struct json_object *v;
                char *error;
                ck_assert_int_eq(json_parser_take(p, &v, &error), 0);
                ck_assert_uint_lt(n_got, 4);
                char *s = json_to_string(v, JSON_SORT_KEYS);
                ck_assert_str_eq(s, expected[n_got]);
                n_got++;
                free(s);
                json_object_put(v);
            } else {
                ck_assert_uint_eq(used, len);
            }
        }
        ck_assert_uint_eq(n_got, 4);
        ck_assert(!json_parser_is_busy(p));
        json_parser_destroy(p);
    }
}
END_TEST

START_TEST(test_json_stream_take_before_done_is_eagain)
{
    struct json_parser *p = json_parser_create(0, 0);
    struct json_object *v;
    char *error;

    ck_assert_uint_eq(json_parser_feed(p, "{\"a\":", 5), 5);
    ck_assert(json_parser_is_busy(p));
    ck_assert_int_eq(json_parser_take(p, &v, &error), EAGAIN);
    ck_assert_uint_eq(json_parser_feed(p, "null}", 5), 5);
    ck_assert_int_eq(json_parser_take(p, &v, &error), 0);
    ck_assert(json_object_is_type(v, json_type_object));
    json_object_put(v);

    /* A syntax error stops consumption at the offending byte. */
    ck_assert_uint_eq(json_parser_feed(p, "[1,,2]", 6), 3);
    ck_assert_int_eq(json_parser_take(p, &v, &error), EPROTO);
    ck_assert_ptr_nonnull(strstr(error, "byte 3"));
    free(error);
    json_parser_destroy(p);
}
END_TEST

START_TEST(test_json_size_limit)
{
    struct json_parser *p = json_parser_create(100, 0);
    struct json_object *v;
    char *error;
    char big[300];

    /* 98 bytes: fits. */
    memset(big, 'x', sizeof big);
    big[0] = '"';
    big[97] = '"';
    ck_assert_uint_eq(json_parser_feed(p, big, 98), 98);
    ck_assert_int_eq(json_parser_take(p, &v, &error), 0);
    ck_assert_uint_eq(json_object_get_string_len(v), 96);
    json_object_put(v);

    /* 300 bytes split in two reads: stopped at the limit. */
    big[97] = 'x';
    big[299] = '"';
    size_t used = json_parser_feed(p, big, 60);
    used += json_parser_feed(p, big + 60, 240);
    ck_assert_uint_eq(used, 100);
    ck_assert_int_eq(json_parser_take(p, &v, &error), EMSGSIZE);
    ck_assert_ptr_nonnull(strstr(error, "exceeds 100 bytes"));
    free(error);
    json_parser_destroy(p);
}
END_TEST

START_TEST(test_json_huge_string)
{
    size_t n = 8 * 1024 * 1024;
    char *s = xmalloc(n + 3);
    s[0] = '"';
    for (size_t i = 1; i <= n; i++) {
        s[i] = 'a' + i % 26;
    }
    s[n + 1] = '"';
    s[n + 2] = '\0';

    struct json_object *v;
    ck_assert_int_eq(json_from_string(s, &v, NULL), 0);
    ck_assert_uint_eq(json_object_get_string_len(v), n);
    char *out = json_to_string(v, 0);
    ck_assert_str_eq(out, s);
    free(out);
    json_object_put(v);
    free(s);
}
END_TEST

START_TEST(test_json_deep_nesting_limited)
{
    enum { DEPTH = 100000 };
    char *s = xmalloc(2 * DEPTH + 1);
    memset(s, '[', DEPTH);
    memset(s + DEPTH, ']', DEPTH);
    s[2 * DEPTH] = '\0';
    check_error(s, EPROTO, "nesting deeper than 128 levels");

    /* Exactly the limit is fine. */
    struct ds ds = DS_EMPTY_INITIALIZER;
    ds_put_char_multiple(&ds, '[', 128);
    ds_put_char_multiple(&ds, ']', 128);
    char *out = roundtrip(ds_cstr(&ds));
    ck_assert_str_eq(out, ds_cstr(&ds));
    free(out);
    ds_destroy(&ds);
    free(s);
}
END_TEST

START_TEST(test_json_pretty_output)
{
    struct json_object *v;
    ck_assert_int_eq(json_from_string("{\"b\":[1,{}],\"a\":\"x\"}", &v, NULL),
                     0);
    char *s = json_to_string(v, JSON_PRETTY | JSON_SORT_KEYS);
    ck_assert_str_eq(s, "{\n  \"a\": \"x\",\n  \"b\": [\n    1,\n    {}\n  ]\n}");
    free(s);
    json_object_put(v);
}
END_TEST

START_TEST(test_json_get_member_checks_types)
{
    struct json_object *obj = json_object_build(
        3, "i", json_object_new_int64(5), "s", json_object_new_string("x"),
        "n", NULL);
    struct json_object *m;
    char *error;

    ck_assert_int_eq(json_get_member(obj, "i", json_type_int, &m, &error), 0);
    ck_assert_int_eq(json_object_get_int64(m), 5);
    /* An integer is acceptable where a real is wanted. */
    ck_assert_int_eq(json_get_member(obj, "i", json_type_double, &m, NULL), 0);

    ck_assert_int_eq(json_get_member(obj, "s", json_type_int, &m, &error),
                     EINVAL);
    ck_assert_str_eq(error, "member \"s\" is a string, expected an integer");
    free(error);

    ck_assert_int_eq(json_get_member(obj, "zz", json_type_int, &m, &error),
                     EINVAL);
    ck_assert_str_eq(error, "missing member \"zz\"");
    free(error);

    ck_assert_int_eq(json_get_optional_member(obj, "zz", json_type_int, &m,
                                              &error), 0);
    ck_assert_ptr_null(m);
    ck_assert_int_eq(json_get_optional_member(obj, "n", json_type_array, &m,
                                              &error), 0);
    ck_assert_ptr_null(m);

    struct json_object *arr = json_array_build(2, json_object_new_int64(1),
                                               NULL);
    ck_assert_int_eq(json_get_member(arr, "x", json_type_int, &m, &error),
                     EINVAL);
    ck_assert_str_eq(error, "expected an object with member \"x\", got an array");
    free(error);

    char *s = json_to_string(arr, 0);
    ck_assert_str_eq(s, "[1,null]");
    free(s);
    json_object_put(arr);
    json_object_put(obj);
}
END_TEST

START_TEST(test_json_equal)
{
    struct json_object *a, *b;
    ck_assert_int_eq(json_from_string("{\"x\":[1,\"a\",null],\"y\":2.5}", &a,
                                      NULL), 0);
    ck_assert_int_eq(json_from_string("{\"y\":2.5,\"x\":[1,\"a\",null]}", &b,
                                      NULL), 0);
    ck_assert(json_equal(a, b));
    json_object_put(b);
    ck_assert_int_eq(json_from_string("{\"y\":2.5,\"x\":[1.0,\"a\",null]}", &b,
                                      NULL), 0);
    ck_assert(!json_equal(a, b));
    json_object_put(a);
    json_object_put(b);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("json");
    TCase *tc = tcase_create("json");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_json_scalars_and_containers_roundtrip);
    tcase_add_test(tc, test_json_reals_roundtrip_exactly);
    tcase_add_test(tc, test_json_strings_escapes_and_utf8);
    tcase_add_test(tc, test_json_rejects_malformed_input);
    tcase_add_test(tc, test_json_stream_split_at_every_byte);
    tcase_add_test(tc, test_json_stream_take_before_done_is_eagain);
    tcase_add_test(tc, test_json_size_limit);
    tcase_add_test(tc, test_json_huge_string);
    tcase_add_test(tc, test_json_deep_nesting_limited);
    tcase_add_test(tc, test_json_pretty_output);
    tcase_add_test(tc, test_json_get_member_checks_types);
    tcase_add_test(tc, test_json_equal);
    suite_add_tcase(s, tc);

    return test_run_suite(s);
}
