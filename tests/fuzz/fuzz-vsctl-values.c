/* Fuzz target for the values people and peers hand to vs-vsctl and the
 * IDL: command-line text ("{a=1, b=\"x y\"}", "1,2,3", "@name") and OVSDB
 * JSON wire values, for a handful of column types.  The first input byte
 * picks the type; the rest is the text.  Properties: nothing crashes; what
 * parses prints back to text (and to JSON) that parses to the same value.
 *
 * Under 'make check' (gcc) it runs built-in seeds plus deterministic
 * mutations; tests/fuzz/run-fuzz-vsctl.sh runs it under libFuzzer. */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dynamic-string.h"
#include "ovsdb/idl-datum.h"
#include "util.h"

static const char *const type_json[] = {
    "\"string\"",
    "\"integer\"",
    "{\"key\": {\"type\": \"integer\", \"minInteger\": 0, \"maxInteger\": 4095},"
    " \"min\": 0, \"max\": 4096}",
    "{\"key\": \"string\", \"value\": \"string\", \"min\": 0,"
    " \"max\": \"unlimited\"}",
    "{\"key\": {\"type\": \"string\", \"enum\": [\"set\", [\"secure\","
    " \"standalone\"]]}, \"min\": 0, \"max\": 1}",
    "{\"key\": {\"type\": \"uuid\", \"refTable\": \"Port\"}, \"min\": 0,"
    " \"max\": \"unlimited\"}",
    "{\"key\": \"integer\", \"value\": {\"type\": \"uuid\"}, \"min\": 0,"
    " \"max\": \"unlimited\"}",
    "{\"key\": \"boolean\", \"min\": 0, \"max\": 1}",
    "{\"key\": \"real\", \"min\": 0, \"max\": \"unlimited\"}",
};

static struct idl_type types[ARRAY_SIZE(type_json)];

static void
init_types(void)
{
    static bool done;
    if (!done) {
        for (size_t i = 0; i < ARRAY_SIZE(type_json); i++) {
            struct json_object *j = json_tokener_parse(type_json[i]);
            char *err = idl_type_from_json(&types[i], j);
            vs_assert(!err);
            json_object_put(j);
        }
        done = true;
    }
}

static char *
symbol(const char *name, void *aux VS_UNUSED, char uuid[37])
{
    if (strlen(name) > 8) {
        return xstrdup("symbol too long");
    }
    strcpy(uuid, "01234567-89ab-4def-8123-456789abcdef");
    return NULL;
}

static void
check_text(const struct idl_type *t, const char *text)
{
    struct idl_datum d, d2, d3;
    char *err = idl_datum_from_string(&d, t, text, symbol, NULL);
    if (err) {
        free(err);
        return;
    }
    struct ds s = DS_EMPTY_INITIALIZER;
    idl_datum_to_string(&d, t, &s);
    err = idl_datum_from_string(&d2, t, ds_cstr(&s), symbol, NULL);
    vs_assert(!err);
    /* Reals print with 15 digits: compare them only for not crashing. */
    if (t->key.type != IDL_REAL) {
        vs_assert(idl_datum_equals(&d, &d2, t));
    }
    struct json_object *j = idl_datum_to_json(&d, t, NULL, NULL);
    err = idl_datum_from_json(&d3, t, j);
    vs_assert(!err);
    vs_assert(idl_datum_equals(&d, &d3, t));
    json_object_put(j);
    ds_clear(&s);
    idl_datum_to_bare(&d, t, &s);
    ds_destroy(&s);
    idl_datum_destroy(&d, t);
    idl_datum_destroy(&d2, t);
    idl_datum_destroy(&d3, t);
}

static void
check_json(const struct idl_type *t, const char *text)
{
    struct json_object *j = json_tokener_parse(text);
    struct idl_datum d, d2;
    if (!j) {
        return;
    }
    char *err = idl_datum_from_json(&d, t, j);
    json_object_put(j);
    if (err) {
        free(err);
        return;
    }
    free(idl_datum_check(&d, t));
    j = idl_datum_to_json(&d, t, NULL, NULL);
    err = idl_datum_from_json(&d2, t, j);
    vs_assert(!err);
    vs_assert(idl_datum_equals(&d, &d2, t));
    json_object_put(j);
    idl_datum_destroy(&d, t);
    idl_datum_destroy(&d2, t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    init_types();
    if (!size || size > 4096) {
        return 0;
    }
    const struct idl_type *t = &types[data[0] % ARRAY_SIZE(types)];
    char *text = xstrndup((const char *) data + 1, size - 1);
    check_text(t, text);
    check_json(t, text);
    free(text);
    return 0;
}

#ifndef VS_LIBFUZZER
static uint64_t
next_random(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

int
main(void)
{
    static const char *const seeds[] = {
        "\0plain", "\0\"quo\\\"ted, with \\u0001 comma\"", "\0a,b",
        "\1-42", "\1 12x",
        "\2[1, 2, 3]", "\0024096", "\2{}", "\0021,2,,3",
        "\3{a=1, b=\"x y\"}", "\3k=v", "\3a=1,a=2", "\3{\"k=\"=\"v,\"}",
        "\4secure", "\4open", "\4[]",
        "\5@q1", "\00501234567-89ab-4def-8123-456789abcdef",
        "\6{1=@p, 2=01234567-89ab-4def-8123-456789abcdef}",
        "\7true", "\7[false]", "\10{1.5, -2e3}",
        "\3[\"map\", [[\"a\", \"b\"]]]", "\2[\"set\", [1, 2]]",
        "\6[\"map\", [[1, [\"uuid\", \"01234567-89ab-4def-8123-456789abcdef\"]]]]",
    };
    static const char tokens[] = "{}[]\",=:@\\ -.0123456789abcdefu";
    uint64_t rng = 0x9e3779b97f4a7c15ULL;
    size_t runs = 0;

    for (size_t i = 0; i < ARRAY_SIZE(seeds); i++) {
        /* Seeds start with a type byte that may be NUL. */
        size_t len = 1 + strlen(seeds[i] + 1);
        uint8_t buf[512];
        LLVMFuzzerTestOneInput((const uint8_t *) seeds[i], len);
        for (int m = 0; m < 2000; m++) {
            size_t n = len;
            memcpy(buf, seeds[i], len);
            for (int e = 1 + next_random(&rng) % 3; e > 0; e--) {
                size_t pos = next_random(&rng) % (n + 1);
                char c = tokens[next_random(&rng) % (sizeof tokens - 1)];
                switch (next_random(&rng) % 3) {
                case 0:             /* Replace. */
                    if (pos < n && pos > 0) {
                        buf[pos] = c;
                    }
                    break;
                case 1:             /* Insert. */
                    if (n + 1 < sizeof buf && pos > 0) {
                        memmove(&buf[pos + 1], &buf[pos], n - pos);
                        buf[pos] = c;
                        n++;
                    }
                    break;
                default:            /* Delete. */
                    if (pos < n && pos > 0) {
                        memmove(&buf[pos], &buf[pos + 1], n - pos - 1);
                        n--;
                    }
                }
            }
            LLVMFuzzerTestOneInput(buf, n);
            runs++;
        }
    }
    printf("fuzz-vsctl-values: %zu mutated inputs, no failures\n", runs);
    for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
        idl_type_destroy(&types[i]);
    }
    return 0;
}
#endif
