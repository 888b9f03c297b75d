/* Fuzz target for the values people and peers hand to vs-vsctl and the
 * IDL: command-line text ("{a=1, b=\"x y\"}", "1,2,3", "@name") and OVSDB
 * JSON wire values, for a handful of column types.  The first input byte
 * picks the type; the rest is the text.  Properties: nothing crashes; what
 * parses prints back to text (and to JSON) that parses to the same value.
 *
 * Under 'make check' (gcc) tests/fuzz/fuzz-main.c runs built-in seeds plus
 * deterministic mutations; "tests/fuzz/run-fuzz.sh vsctl-values" runs it
 * under libFuzzer. */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dynamic-string.h"
#include "fuzz-main.h"
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

static struct ovsdb_type types[ARRAY_SIZE(type_json)];

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
check_text(const struct ovsdb_type *t, const char *text)
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
    if (t->key.type != OVSDB_TYPE_REAL) {
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
check_json(const struct ovsdb_type *t, const char *text)
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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    init_types();
    if (!size || size > 4096) {
        return 0;
    }
    const struct ovsdb_type *t = &types[data[0] % ARRAY_SIZE(types)];
    char *text = xstrndup((const char *) data + 1, size - 1);
    check_text(t, text);
    check_json(t, text);
    free(text);
    return 0;
}

#ifndef VS_LIBFUZZER
/* Seeds start with a type byte that may be NUL. */
static const struct fuzz_seed seeds[] = {
    FUZZ_SEED("\0plain"),
    FUZZ_SEED("\0\"quo\\\"ted, with \\u0001 comma\""), FUZZ_SEED("\0a,b"),
    FUZZ_SEED("\1-42"), FUZZ_SEED("\1 12x"),
    FUZZ_SEED("\2[1, 2, 3]"), FUZZ_SEED("\0024096"), FUZZ_SEED("\2{}"),
    FUZZ_SEED("\0021,2,,3"),
    FUZZ_SEED("\3{a=1, b=\"x y\"}"), FUZZ_SEED("\3k=v"),
    FUZZ_SEED("\3a=1,a=2"), FUZZ_SEED("\3{\"k=\"=\"v,\"}"),
    FUZZ_SEED("\4secure"), FUZZ_SEED("\4open"), FUZZ_SEED("\4[]"),
    FUZZ_SEED("\5@q1"), FUZZ_SEED("\00501234567-89ab-4def-8123-456789abcdef"),
    FUZZ_SEED("\6{1=@p, 2=01234567-89ab-4def-8123-456789abcdef}"),
    FUZZ_SEED("\7true"), FUZZ_SEED("\7[false]"), FUZZ_SEED("\10{1.5, -2e3}"),
    FUZZ_SEED("\3[\"map\", [[\"a\", \"b\"]]]"),
    FUZZ_SEED("\2[\"set\", [1, 2]]"),
    FUZZ_SEED("\6[\"map\", [[1, [\"uuid\", "
              "\"01234567-89ab-4def-8123-456789abcdef\"]]]]"),
};

/* Runs 'seed' and 'n_mutations' copies with bytes replaced, inserted or
 * deleted, from tokens of the value syntax; the type byte stays. */
static size_t
run_mutations(const uint8_t *seed, size_t len, int n_mutations,
              uint64_t *rng)
{
    static const char tokens[] = "{}[]\",=:@\\ -.0123456789abcdefu";
    size_t cap = MAX(len + 1, 512);     /* Room to grow a seed. */
    uint8_t *buf = xmalloc(cap);

    LLVMFuzzerTestOneInput(seed, len);
    for (int m = 0; m < n_mutations; m++) {
        size_t n = len;
        memcpy(buf, seed, len);
        for (int e = 1 + fuzz_random(rng) % 3; e > 0; e--) {
            size_t pos = fuzz_random(rng) % (n + 1);
            char c = tokens[fuzz_random(rng) % (sizeof tokens - 1)];
            switch (fuzz_random(rng) % 3) {
            case 0:             /* Replace. */
                if (pos < n && pos > 0) {
                    buf[pos] = c;
                }
                break;
            case 1:             /* Insert. */
                if (n + 1 < cap && pos > 0) {
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
    }
    free(buf);
    return 1 + n_mutations;
}

static void
destroy_types(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
        ovsdb_type_destroy(&types[i]);
    }
}

const struct fuzz_replay fuzz_replay = {
    .seeds = seeds,
    .n_seeds = ARRAY_SIZE(seeds),
    .n_mutations = 2000,
    .rng_seed = 0x9e3779b97f4a7c15ULL,
    .run = run_mutations,
    .finish = destroy_types,
};
#endif
