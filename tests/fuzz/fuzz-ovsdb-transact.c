/* Fuzz target for the OVSDB transaction path: bytes -> JSON -> "transact"
 * operations on a small populated database (tests/ovsdb-test.ovsschema).
 *
 * Built two ways, like tests/fuzz/fuzz-jsonrpc.c: with clang
 * -fsanitize=fuzzer (tests/fuzz/run-fuzz-ovsdb.sh) libFuzzer drives it;
 * otherwise ('make check') main() replays tests/fuzz/corpus-ovsdb and a
 * fixed-seed set of mutations of each file.
 *
 * Invariants checked on every input, beyond "does not crash":
 *   - a transaction whose result holds an error changed nothing (the
 *     database's snapshot is byte-for-byte what it was);
 *   - the result array has one element per operation (plus at most one
 *     commit error). */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "util.h"
#include "ovsdb/ovsdb.h"
#include "ovsdb/ovsdb-error.h"
#include "ovsdb/ovsdb-execute.h"
#include "ovsdb/ovsdb-file.h"
#include "ovsdb/ovsdb-schema.h"

static struct ovsdb_schema *schema;
static unsigned long n_parsed, n_failed, n_ok;  /* For the summary. */

static const char seed_txn[] =
    "[\"TestDB\",{\"op\":\"insert\",\"table\":\"Root\",\"row\":{\"name\":\"seed\","
    "\"n\":1,\"children\":[\"named-uuid\",\"c\"],\"watch\":[\"named-uuid\",\"c\"],"
    "\"tags\":[\"map\",[[\"k\",\"v\"]]]}},{\"op\":\"insert\",\"table\":\"Child\","
    "\"uuid-name\":\"c\",\"row\":{\"name\":\"kid\",\"parent_only\":[\"named-uuid\",\"g\"]}},"
    "{\"op\":\"insert\",\"table\":\"Grandchild\",\"uuid-name\":\"g\",\"row\":{\"v\":2}}]";

static void
load_schema(void)
{
    const char *top = getenv("top_srcdir");
    char *name = xasprintf("%s/tests/ovsdb-test.ovsschema", top ? top : SRCDIR);
    struct ovsdb_error *error = ovsdb_schema_from_file(name, &schema);
    if (error) {
        fprintf(stderr, "%s: %s\n", name, error->details);
        exit(1);
    }
    free(name);
}

static char *
snapshot(const struct ovsdb *db)
{
    struct json_object *snap = ovsdb_file_snapshot_json(db);
    json_object_object_del(snap, "_date");
    char *s = json_to_string(snap, JSON_SORT_KEYS);
    json_object_put(snap);
    return s;
}

static struct json_object *
run(struct ovsdb *db, struct json_object *params)
{
    long long timeout;
    return ovsdb_execute(db, NULL, params, LLONG_MAX, &timeout);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct json_object *params;
    char *msg;

    if (!schema) {
        load_schema();
    }
    if (json_from_buffer((const char *) data, size, &params, &msg)) {
        free(msg);
        return 0;
    }
    if (!json_object_is_type(params, json_type_array)) {
        json_object_put(params);
        return 0;
    }
    n_parsed++;
    struct ovsdb *db = ovsdb_create(ovsdb_schema_clone(schema));
    struct json_object *seed;
    vs_assert(!json_from_string(seed_txn, &seed, &msg));
    json_object_put(run(db, seed));
    json_object_put(seed);

    char *before = snapshot(db);
    struct json_object *result = run(db, params);
    vs_assert(result && json_object_is_type(result, json_type_array));

    size_t n_ops = json_object_array_length(params);
    size_t n_results = json_object_array_length(result);
    bool failed = false;
    for (size_t i = 0; i < n_results; i++) {
        struct json_object *r = json_object_array_get_idx(result, i);
        failed |= r && json_object_object_get_ex(r, "error", NULL);
    }
    if (n_ops >= 1 && json_object_is_type(json_object_array_get_idx(params, 0),
                                          json_type_string)) {
        /* One result per operation, plus at most a commit error. */
        vs_assert(n_results == n_ops - 1 || n_results == n_ops || failed);
    }
    n_failed += failed;
    n_ok += !failed;
    if (failed) {
        char *after = snapshot(db);
        if (strcmp(before, after)) {
            fprintf(stderr, "failed transaction changed the database:\n%s\n%s\n",
                    before, after);
            abort();
        }
        free(after);
    }
    free(before);
    json_object_put(result);
    json_object_put(params);
    ovsdb_destroy(db);
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

/* Snippets that make mutated transactions meaningful more often than
 * random bytes would. */
static const char *const snippets[] = {
    "\"seed\"", "\"kid\"", "-1", "1000001", "0", "[\"set\",[]]", "[\"map\",[]]",
    "\"delete\"", "\"insert\"", "\"update\"", "\"mutate\"", "\"Child\"",
    "\"Grandchild\"", "\"Single\"", "\"includes\"", "\"excludes\"", "\"/=\"",
    "\"%=\"", "[\"uuid\",\"01234567-89ab-cdef-0123-456789abcdef\"]",
    "[\"named-uuid\",\"c\"]", "null", "true", "{}", "[]", "\"_uuid\"",
    "\"_version\"", "\"children\"", "\"watch\"", "\"fixed\"", "\"status\"",
};

/* A place in a JSON tree: element 'idx' of array 'parent', or member 'key'
 * of object 'parent'. */
struct slot {
    struct json_object *parent;
    size_t idx;
    const char *key;
};

static void
collect_slots(struct json_object *j, struct slot **slots, size_t *n, size_t *cap)
{
    if (json_object_is_type(j, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(j); i++) {
            if (*n >= *cap) {
                *slots = x2nrealloc(*slots, cap, sizeof **slots);
            }
            (*slots)[(*n)++] = (struct slot) { j, i, NULL };
            collect_slots(json_object_array_get_idx(j, i), slots, n, cap);
        }
    } else if (json_object_is_type(j, json_type_object)) {
        json_object_object_foreach(j, key, val) {
            if (*n >= *cap) {
                *slots = x2nrealloc(*slots, cap, sizeof **slots);
            }
            (*slots)[(*n)++] = (struct slot) { j, 0, key };
            collect_slots(val, slots, n, cap);
        }
    }
}

/* Mutates the transaction as JSON (most inputs stay well-formed and get
 * deep into the engine), with an occasional raw byte flip on top. */
static void
run_mutations(const uint8_t *data, size_t size, int n, uint64_t *rng)
{
    struct json_object *orig;
    char *msg;

    LLVMFuzzerTestOneInput(data, size);
    if (json_from_buffer((const char *) data, size, &orig, &msg)) {
        free(msg);
        return;
    }
    for (int i = 0; i < n; i++) {
        char *text = json_to_string(orig, 0);
        struct json_object *copy;
        vs_assert(!json_from_string(text, &copy, &msg));
        free(text);
        int edits = 1 + next_random(rng) % 3;
        for (int e = 0; e < edits; e++) {
            struct slot *slots = NULL;
            size_t n_slots = 0, cap = 0;
            collect_slots(copy, &slots, &n_slots, &cap);
            if (!n_slots) {
                free(slots);
                break;
            }
            uint64_t r = next_random(rng);
            struct slot *sl = &slots[r % n_slots];
            const char *snip = snippets[(r >> 32) % ARRAY_SIZE(snippets)];
            struct json_object *v;
            vs_assert(!json_from_string(snip, &v, &msg));
            if (sl->key) {
                json_object_object_add(sl->parent, sl->key, v);
            } else {
                json_object_array_put_idx(sl->parent, sl->idx, v);
            }
            free(slots);
        }
        char *mutated = json_to_string(copy, 0);
        size_t len = strlen(mutated);
        uint64_t r = next_random(rng);
        if (len && r % 8 == 0) {
            mutated[(r >> 8) % len] ^= 1u << ((r >> 40) % 8);
        }
        LLVMFuzzerTestOneInput((const uint8_t *) mutated, len);
        free(mutated);
        json_object_put(copy);
    }
    json_object_put(orig);
}

int
main(int argc, char *argv[])
{
    int n_mutations = 1000;
    uint64_t rng = 0x2545f4914f6cdd1dULL;
    const char *top = getenv("top_srcdir");
    char *dir = xasprintf("%s/tests/fuzz/corpus-ovsdb", top ? top : SRCDIR);

    set_program_name(argv[0]);
    if (argc > 1) {
        free(dir);
        dir = xstrdup(argv[1]);
    }
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "%s: %s\n", dir, strerror(errno));
        return 1;
    }
    struct dirent *de;
    int files = 0;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.') {
            continue;
        }
        char *path = xasprintf("%s/%s", dir, de->d_name);
        FILE *f = fopen(path, "rb");
        if (f) {
            uint8_t data[65536];
            size_t size = fread(data, 1, sizeof data, f);
            fclose(f);
            run_mutations(data, size, n_mutations, &rng);
            files++;
        }
        free(path);
    }
    closedir(d);
    free(dir);
    printf("%d corpus files, %d mutations each: %lu transactions run, %lu "
           "committed, %lu failed without changing anything\n",
           files, n_mutations, n_parsed, n_ok, n_failed);
    ovsdb_schema_destroy(schema);
    return files ? 0 : 1;
}
#endif
