/* JSON parse and serialize throughput: lib/json against json-c's own
 * json_tokener and json_object_to_json_string_ext (the yardstick) on the
 * same OVSDB-like document, measured in the same run.  Prints MB/s and our
 * speed as a ratio of json-c's (> 1: faster). */
#include <config.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "dynamic-string.h"
#include "json.h"
#include "util.h"

static double
now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* An "update" notification for 'n' rows of a Bridge-like table. */
static char *
make_doc(int n)
{
    struct ds ds = DS_EMPTY_INITIALIZER;
    ds_put_cstr(&ds, "{\"method\":\"update\",\"params\":[null,{\"Interface\":{");
    for (int i = 0; i < n; i++) {
        ds_put_format(&ds, "%s\"%08x-1d2b-4c3d-9e8f-%012x\":{\"new\":{"
                      "\"name\":\"vif%d.%d\",\"ofport\":%d,\"mtu\":1500,"
                      "\"link_speed\":10000000000,\"admin_state\":\"up\","
                      "\"statistics\":[\"map\",[[\"rx_bytes\",%d],"
                      "[\"tx_bytes\",%d],[\"rx_packets\",%d]]],"
                      "\"external_ids\":[\"map\",[[\"iface-id\",\"port-%d\"],"
                      "[\"attached-mac\",\"52:54:00:%02x:%02x:%02x\"]]],"
                      "\"ratio\":%d.25}}", i ? "," : "", i, i, i / 4, i % 4,
                      i + 1, i * 1000, i * 2000, i * 3, i, i & 0xff,
                      (i >> 8) & 0xff, i % 7, i % 100);
    }
    ds_put_cstr(&ds, "}}],\"id\":null}");
    return ds_steal_cstr(&ds);
}

int
main(int argc, char *argv[])
{
    int rounds = argc > 1 ? atoi(argv[1]) : 20;
    char *doc = make_doc(5000);
    size_t len = strlen(doc);
    double mb = (double) len * rounds / 1e6;

    /* Parse: ours. */
    double t0 = now();
    struct json_object *v = NULL;
    for (int r = 0; r < rounds; r++) {
        json_object_put(v);
        if (json_from_string(doc, &v, NULL)) {
            vs_fatal(0, "our parser rejected the document");
        }
    }
    double ours_parse = now() - t0;

    /* Parse: json-c. */
    t0 = now();
    struct json_object *w = NULL;
    for (int r = 0; r < rounds; r++) {
        json_object_put(w);
        struct json_tokener *tok = json_tokener_new();
        w = json_tokener_parse_ex(tok, doc, len);
        json_tokener_free(tok);
        if (!w) {
            vs_fatal(0, "json-c rejected the document");
        }
    }
    double jsonc_parse = now() - t0;

    /* Serialize: ours (compact) and json-c (plain, no slash escaping). */
    t0 = now();
    for (int r = 0; r < rounds; r++) {
        free(json_to_string(v, 0));
    }
    double ours_ser = now() - t0;
    double jsonc_ser = 0;
    for (int r = 0; r < rounds; r++) {
        /* json-c caches the string in the object: serialize a fresh copy
         * each round and time only the serialization. */
        struct json_object *copy = NULL;
        json_object_deep_copy(w, &copy, NULL);
        t0 = now();
        json_object_to_json_string_ext(copy, JSON_C_TO_STRING_PLAIN
                                       | JSON_C_TO_STRING_NOSLASHESCAPE);
        jsonc_ser += now() - t0;
        json_object_put(copy);
    }

    printf("document: %zu bytes, %d rounds\n", len, rounds);
    printf("parse      ours %7.1f MB/s   json-c %7.1f MB/s   ratio %.2f\n",
           mb / ours_parse, mb / jsonc_parse, jsonc_parse / ours_parse);
    printf("serialize  ours %7.1f MB/s   json-c %7.1f MB/s   ratio %.2f\n",
           mb / ours_ser, mb / jsonc_ser, jsonc_ser / ours_ser);
    json_object_put(v);
    json_object_put(w);
    free(doc);
    return 0;
}
