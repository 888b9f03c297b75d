/* Fuzz target for the JSON-RPC input path: the incremental JSON parser fed
 * as a byte stream, then message validation.
 *
 * Built two ways:
 *   - with clang -fsanitize=fuzzer (tests/fuzz/run-fuzz.sh jsonrpc),
 *     libFuzzer provides main() and calls LLVMFuzzerTestOneInput();
 *   - otherwise (gcc, 'make check') tests/fuzz/fuzz-main.c replays a
 *     corpus directory and a fixed-seed set of mutations of each file.
 *
 * Invariants checked on every input, beyond "does not crash":
 *   - feeding the bytes whole or one at a time gives the same values;
 *   - every accepted message serializes to JSON that parses back to an
 *     equal message. */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-main.h"
#include "json.h"
#include "jsonrpc.h"
#include "util.h"

#define MAX_VALUES 64

/* Parses 'data' as a stream of values, 'chunk' bytes per feed (0: all at
 * once).  Stores up to MAX_VALUES values (or a NULL slot for a JSON null)
 * and returns how many; stops at the first error. */
static size_t
parse_stream(const uint8_t *data, size_t size, size_t chunk,
             struct json_object **values, int *errorp)
{
    struct json_parser *p = json_parser_create(1024 * 1024, 64);
    size_t n = 0, ofs = 0;

    *errorp = 0;
    while (n < MAX_VALUES) {
        if (!json_parser_is_done(p)) {
            if (ofs >= size) {
                break;
            }
            size_t len = chunk ? MIN(chunk, size - ofs) : size - ofs;
            ofs += json_parser_feed(p, (const char *) data + ofs, len);
            continue;
        }
        char *error;
        int retval = json_parser_take(p, &values[n], &error);
        if (retval) {
            free(error);
            *errorp = retval;
            break;
        }
        n++;
    }
    json_parser_destroy(p);
    return n;
}

static void
check_message(struct json_object *json)
{
    struct jsonrpc_msg *msg;
    char *error;

    if (jsonrpc_msg_from_json(json_object_get(json), &msg, &error)) {
        vs_assert(error != NULL);
        free(error);
        return;
    }

    char *s = jsonrpc_msg_to_string(msg);
    struct json_object *again;
    struct jsonrpc_msg *msg2;
    vs_assert(!json_from_string(s, &again, NULL));
    vs_assert(!jsonrpc_msg_from_json(again, &msg2, NULL));
    vs_assert(msg2->type == msg->type);
    char *s2 = jsonrpc_msg_to_string(msg2);
    vs_assert(!strcmp(s, s2));
    free(s);
    free(s2);
    jsonrpc_msg_destroy(msg);
    jsonrpc_msg_destroy(msg2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct json_object *whole[MAX_VALUES], *bytewise[MAX_VALUES];
    int error_whole, error_bytewise;

    size_t n = parse_stream(data, size, 0, whole, &error_whole);
    size_t n2 = parse_stream(data, size, 1, bytewise, &error_bytewise);
    vs_assert(n == n2);
    vs_assert(error_whole == error_bytewise);

    for (size_t i = 0; i < n; i++) {
        vs_assert(json_equal(whole[i], bytewise[i]));
        check_message(whole[i]);
        json_object_put(whole[i]);
        json_object_put(bytewise[i]);
    }
    return 0;
}

#ifndef VS_LIBFUZZER
/* Runs 'data' and 'n_mutations' mutated copies of it. */
static size_t
run_with_mutations(const uint8_t *data, size_t size, int n_mutations,
                   uint64_t *rng)
{
    static const char tokens[] = "{}[]\",:\\0123456789.eE-+truefalsnul \xc3\xff";
    uint8_t *buf = xmalloc(size + 16);

    LLVMFuzzerTestOneInput(data, size);
    for (int i = 0; i < n_mutations; i++) {
        size_t len = size;
        memcpy(buf, data, size);
        int n_edits = 1 + fuzz_random(rng) % 4;
        for (int e = 0; e < n_edits; e++) {
            uint64_t r = fuzz_random(rng);
            size_t pos = len ? r % (len + 1) : 0;
            switch ((r >> 32) % 4) {
            case 0:                 /* Flip a bit. */
                if (pos < len) {
                    buf[pos] ^= 1u << ((r >> 40) % 8);
                }
                break;
            case 1:                 /* Replace with a JSON-ish byte. */
                if (pos < len) {
                    buf[pos] = tokens[(r >> 40) % (sizeof tokens - 1)];
                }
                break;
            case 2:                 /* Insert a byte. */
                if (len < size + 16) {
                    memmove(buf + pos + 1, buf + pos, len - pos);
                    buf[pos] = tokens[(r >> 40) % (sizeof tokens - 1)];
                    len++;
                }
                break;
            case 3:                 /* Truncate. */
                len = pos;
                break;
            }
        }
        LLVMFuzzerTestOneInput(buf, len);
    }
    free(buf);
    return 1 + n_mutations;
}

const struct fuzz_replay fuzz_replay = {
    .corpus = "tests/fuzz/corpus-jsonrpc",
    .n_mutations = 2000,
    .rng_seed = 0x9e3779b97f4a7c15ULL,
    .run = run_with_mutations,
};
#endif /* !VS_LIBFUZZER */
