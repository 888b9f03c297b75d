/* Helpers shared by the OpenFlow codec unit tests: see test-ofp-util.h. */
#include <config.h>
#include "test-ofp-util.h"
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "dynamic-string.h"
#include "ofp-buf.h"
#include "ofp-flow.h"
#include "ofp-parse.h"
#include "ofp-print.h"

struct ofpbuf *
test_ofpbuf_from_hex(const char *hex)
{
    struct ofpbuf *b = ofpbuf_new(strlen(hex) / 2);
    for (const char *p = hex; p[0] && p[1]; p += 2) {
        char byte[3] = { p[0], p[1], 0 };
        ofpbuf_put_u8(b, strtoul(byte, NULL, 16));
    }
    return b;
}

char *
test_ofpbuf_to_hex(const struct ofpbuf *b)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    for (size_t i = 0; i < b->size; i++) {
        ds_put_format(&s, "%02x", ((const uint8_t *) b->data)[i]);
    }
    return ds_steal_cstr(&s);
}

void
test_check_bytes(const struct ofpbuf *got, const char *want_hex)
{
    struct ofpbuf *want = test_ofpbuf_from_hex(want_hex);
    char *g = test_ofpbuf_to_hex(got), *w = test_ofpbuf_to_hex(want);
    ck_assert_msg(!strcmp(g, w), "got  %s\nwant %s", g, w);
    free(g);
    free(w);
    ofpbuf_delete(want);
}

void
test_parse_flow(const char *text, struct ofp_flow_mod *fm)
{
    ofp_flow_mod_init(fm);
    char *error = ofp_parse_flow_mod(text, OFPFC_ADD, fm);
    ck_assert_msg(!error, "%s: %s", text, error);
}

void
test_check_flow_text(const struct ofp_flow_mod *fm, const char *want)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    ofp_flow_mod_format(fm, &s);
    ck_assert_msg(!strncmp(ds_cstr(&s), "ADD ", 4), "%s", ds_cstr(&s));
    ck_assert_msg(!strcmp(ds_cstr(&s) + 4, want), "got  %s\nwant %s",
                  ds_cstr(&s) + 4, want);
    ds_destroy(&s);
}
