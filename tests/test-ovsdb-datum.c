/* Unit tests for ovsdb/ovsdb-types, ovsdb-datum and ovsdb-schema. */
#include <config.h>
#include <check.h>
#include <string.h>

#include "dynamic-string.h"
#include "json.h"
#include "ovsdb/ovsdb-datum.h"
#include "ovsdb/ovsdb-error.h"
#include "ovsdb/ovsdb-schema.h"
#include "ovsdb/ovsdb-types.h"

static struct ovsdb_type
parse_type(const char *s)
{
    struct json_object *j = json_tokener_parse(s);
    struct ovsdb_type type;
    ck_assert_ptr_nonnull(j);
    struct ovsdb_error *error = ovsdb_type_from_json(&type, j);
    ck_assert_msg(!error, "%s", error ? error->details : "");
    json_object_put(j);
    return type;
}

/* Parses 's' as a datum of 'type'; returns the error tag or NULL, and the
 * re-serialized JSON in 'out' on success. */
static char *
roundtrip(const struct ovsdb_type *type, const char *s, char **tag)
{
    struct json_object *j = json_tokener_parse(s);
    struct ovsdb_datum d;
    ck_assert_ptr_nonnull(j);
    struct ovsdb_error *error = ovsdb_datum_from_json(&d, type, j, NULL);
    json_object_put(j);
    if (error) {
        *tag = xstrdup(error->tag);
        ovsdb_error_destroy(error);
        return NULL;
    }
    *tag = NULL;
    struct json_object *out = ovsdb_datum_to_json(&d, type);
    char *r = xstrdup(json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN
                                                     | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(out);
    ovsdb_datum_destroy(&d, type);
    return r;
}

/* The journal's direct writer escapes strings exactly as lib/json's
 * serializer does (both use json_string_escape()). */
START_TEST(test_to_json_ds_escapes_strings_like_json_serializer)
{
    struct ovsdb_type t = parse_type("{\"key\":\"string\",\"value\":\"string\","
                                     "\"min\":0,\"max\":\"unlimited\"}");
    struct json_object *j = json_tokener_parse(
        "[\"map\",[[\"q\\\"b\\\\s\",\"\\b\\f\\n\\r\\t\\u0001\\u007f\u00e9/\"]]]");
    ck_assert_ptr_nonnull(j);
    struct ovsdb_datum d;
    struct ovsdb_error *error = ovsdb_datum_from_json(&d, &t, j, NULL);
    ck_assert_ptr_null(error);
    json_object_put(j);

    struct ds direct = DS_EMPTY_INITIALIZER, via_json = DS_EMPTY_INITIALIZER;
    ovsdb_datum_to_json_ds(&d, &t, &direct);
    struct json_object *out = ovsdb_datum_to_json(&d, &t);
    json_to_ds(out, 0, &via_json);
    json_object_put(out);
    ck_assert_str_eq(ds_cstr(&direct), ds_cstr(&via_json));
    ck_assert_str_eq(ds_cstr(&direct),
                     "[\"map\",[[\"q\\\"b\\\\s\",\"\\b\\f\\n\\r\\t\\u0001\\u007f\u00e9/\"]]]");
    ds_destroy(&direct);
    ds_destroy(&via_json);
    ovsdb_datum_destroy(&d, &t);
    ovsdb_type_destroy(&t);
}
END_TEST

START_TEST(test_set_is_sorted_and_rejects_duplicates)
{
    struct ovsdb_type t = parse_type("{\"key\":\"integer\",\"min\":0,\"max\":\"unlimited\"}");
    char *tag;
    char *r = roundtrip(&t, "[\"set\",[3,1,2]]", &tag);
    ck_assert_str_eq(r, "[\"set\",[1,2,3]]");
    free(r);
    r = roundtrip(&t, "5", &tag);
    ck_assert_str_eq(r, "5");
    free(r);
    ck_assert_ptr_null(roundtrip(&t, "[\"set\",[1,1]]", &tag));
    ck_assert_str_eq(tag, "constraint violation");
    free(tag);
    ck_assert_ptr_null(roundtrip(&t, "\"x\"", &tag));
    ck_assert_str_eq(tag, "syntax error");
    free(tag);
    ovsdb_type_destroy(&t);
}
END_TEST

START_TEST(test_map_roundtrip_and_bounds)
{
    struct ovsdb_type t = parse_type("{\"key\":\"string\",\"value\":{\"type\":\"integer\","
                                     "\"minInteger\":0,\"maxInteger\":10},"
                                     "\"min\":0,\"max\":2}");
    char *tag;
    char *r = roundtrip(&t, "[\"map\",[[\"b\",2],[\"a\",1]]]", &tag);
    ck_assert_str_eq(r, "[\"map\",[[\"a\",1],[\"b\",2]]]");
    free(r);
    ck_assert_ptr_null(roundtrip(&t, "[\"map\",[[\"a\",11]]]", &tag));
    ck_assert_str_eq(tag, "constraint violation");
    free(tag);
    ck_assert_ptr_null(roundtrip(&t, "[\"map\",[[\"a\",1],[\"b\",1],[\"c\",1]]]", &tag));
    ck_assert_str_eq(tag, "constraint violation");
    free(tag);
    ovsdb_type_destroy(&t);
}
END_TEST

START_TEST(test_enum_and_string_length)
{
    struct ovsdb_type t = parse_type("{\"key\":{\"type\":\"string\","
                                     "\"enum\":[\"set\",[\"secure\",\"standalone\"]]}}");
    char *tag;
    char *r = roundtrip(&t, "\"secure\"", &tag);
    ck_assert_str_eq(r, "\"secure\"");
    free(r);
    ck_assert_ptr_null(roundtrip(&t, "\"other\"", &tag));
    ck_assert_str_eq(tag, "constraint violation");
    free(tag);
    ovsdb_type_destroy(&t);

    t = parse_type("{\"key\":{\"type\":\"string\",\"minLength\":2,\"maxLength\":3}}");
    ck_assert_ptr_null(roundtrip(&t, "\"a\"", &tag));
    free(tag);
    r = roundtrip(&t, "\"\xc3\xa9\xc3\xa9\xc3\xa9\"", &tag);  /* 3 code points */
    ck_assert_ptr_nonnull(r);
    free(r);
    ovsdb_type_destroy(&t);
}
END_TEST

START_TEST(test_uuid_and_named_uuid)
{
    struct ovsdb_type t = ovsdb_type_scalar(OVSDB_TYPE_UUID);
    char *tag;
    char *r = roundtrip(&t, "[\"uuid\",\"01234567-89ab-cdef-0123-456789abcdef\"]", &tag);
    ck_assert_str_eq(r, "[\"uuid\",\"01234567-89ab-cdef-0123-456789abcdef\"]");
    free(r);
    ck_assert_ptr_null(roundtrip(&t, "[\"uuid\",\"0123\"]", &tag));
    free(tag);
    /* named-uuid needs a symbol table. */
    ck_assert_ptr_null(roundtrip(&t, "[\"named-uuid\",\"x\"]", &tag));
    free(tag);

    struct ovsdb_symbol_table symtab;
    ovsdb_symbol_table_init(&symtab);
    struct json_object *j = json_tokener_parse("[\"named-uuid\",\"row1\"]");
    struct ovsdb_datum d;
    ck_assert_ptr_null(ovsdb_datum_from_json(&d, &t, j, &symtab));
    struct ovsdb_symbol *sym = ovsdb_symbol_table_get(&symtab, "row1");
    ck_assert_ptr_nonnull(sym);
    ck_assert(uuid_equals(&sym->uuid, &d.keys[0].uuid));
    ovsdb_datum_destroy(&d, &t);
    json_object_put(j);
    ovsdb_symbol_table_destroy(&symtab);
}
END_TEST

START_TEST(test_diff_apply_roundtrip)
{
    struct ovsdb_type t = parse_type("{\"key\":\"string\",\"value\":\"string\","
                                     "\"min\":0,\"max\":\"unlimited\"}");
    struct json_object *a = json_tokener_parse("[\"map\",[[\"a\",\"1\"],[\"b\",\"2\"],[\"c\",\"3\"]]]");
    struct json_object *b = json_tokener_parse("[\"map\",[[\"b\",\"2\"],[\"c\",\"x\"],[\"d\",\"4\"]]]");
    struct ovsdb_datum da, db, diff, applied;
    ck_assert_ptr_null(ovsdb_datum_from_json(&da, &t, a, NULL));
    ck_assert_ptr_null(ovsdb_datum_from_json(&db, &t, b, NULL));
    ovsdb_datum_diff(&diff, &da, &db, &t);
    ck_assert_uint_eq(diff.n, 3);   /* a removed, c changed, d added */
    ck_assert_ptr_null(ovsdb_datum_apply_diff(&applied, &da, &diff, &t));
    ck_assert(ovsdb_datum_equals(&applied, &db, &t));
    ovsdb_datum_destroy(&da, &t);
    ovsdb_datum_destroy(&db, &t);
    ovsdb_datum_destroy(&diff, &t);
    ovsdb_datum_destroy(&applied, &t);
    json_object_put(a);
    json_object_put(b);
    ovsdb_type_destroy(&t);
}
END_TEST

START_TEST(test_union_subtract)
{
    struct ovsdb_type t = parse_type("{\"key\":\"integer\",\"min\":0,\"max\":\"unlimited\"}");
    struct json_object *a = json_tokener_parse("[\"set\",[1,3,5]]");
    struct json_object *b = json_tokener_parse("[\"set\",[2,3,4]]");
    struct ovsdb_datum da, db;
    ck_assert_ptr_null(ovsdb_datum_from_json(&da, &t, a, NULL));
    ck_assert_ptr_null(ovsdb_datum_from_json(&db, &t, b, NULL));
    ovsdb_datum_union(&da, &db, &t);
    ck_assert_uint_eq(da.n, 5);
    for (unsigned int i = 0; i < 5; i++) {
        ck_assert_int_eq(da.keys[i].integer, i + 1);
    }
    ovsdb_datum_subtract(&da, &t, &db, &t);
    ck_assert_uint_eq(da.n, 2);
    ck_assert_int_eq(da.keys[0].integer, 1);
    ck_assert_int_eq(da.keys[1].integer, 5);
    ovsdb_datum_destroy(&da, &t);
    ovsdb_datum_destroy(&db, &t);
    json_object_put(a);
    json_object_put(b);
    ovsdb_type_destroy(&t);
}
END_TEST

static const char *schema_text =
    "{\"name\":\"T\",\"version\":\"1.2.3\",\"tables\":{"
    "\"A\":{\"columns\":{\"name\":{\"type\":\"string\"},"
    "\"b\":{\"type\":{\"key\":{\"type\":\"uuid\",\"refTable\":\"B\"},\"min\":0,\"max\":\"unlimited\"}}},"
    "\"isRoot\":true,\"indexes\":[[\"name\"]]},"
    "\"B\":{\"columns\":{\"x\":{\"type\":\"integer\",\"mutable\":false}}}}}";

START_TEST(test_schema_parse_and_roundtrip)
{
    struct json_object *j = json_tokener_parse(schema_text);
    struct ovsdb_schema *s;
    ck_assert_ptr_null(ovsdb_schema_from_json(j, &s));
    ck_assert_str_eq(s->name, "T");
    struct ovsdb_table_schema *a = ovsdb_schema_find_table(s, "A");
    struct ovsdb_table_schema *b = ovsdb_schema_find_table(s, "B");
    ck_assert(a->is_root);
    ck_assert(!b->is_root);
    ck_assert_uint_eq(a->n_indexes, 1);
    const struct ovsdb_column *c = ovsdb_table_schema_find_column(a, "b");
    ck_assert_ptr_eq(c->type.key.uuid.ref_table, b);
    ck_assert(!ovsdb_table_schema_find_column(b, "x")->mutable);

    struct ovsdb_schema *clone = ovsdb_schema_clone(s);
    ck_assert(ovsdb_schema_equal(s, clone));
    ovsdb_schema_destroy(clone);
    ovsdb_schema_destroy(s);
    json_object_put(j);

    /* A reference to a missing table is rejected. */
    j = json_tokener_parse("{\"name\":\"T\",\"version\":\"1.0.0\",\"tables\":{\"A\":{\"columns\":"
                           "{\"r\":{\"type\":{\"key\":{\"type\":\"uuid\",\"refTable\":\"Z\"}}}}}}}");
    struct ovsdb_error *error = ovsdb_schema_from_json(j, &s);
    ck_assert_ptr_nonnull(error);
    ck_assert_str_eq(error->tag, "syntax error");
    ovsdb_error_destroy(error);
    json_object_put(j);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("ovsdb-datum");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_set_is_sorted_and_rejects_duplicates);
    tcase_add_test(tc, test_map_roundtrip_and_bounds);
    tcase_add_test(tc, test_enum_and_string_length);
    tcase_add_test(tc, test_uuid_and_named_uuid);
    tcase_add_test(tc, test_diff_apply_roundtrip);
    tcase_add_test(tc, test_union_subtract);
    tcase_add_test(tc, test_schema_parse_and_roundtrip);
    tcase_add_test(tc, test_to_json_ds_escapes_strings_like_json_serializer);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
