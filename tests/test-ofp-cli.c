/* Command-line access to the OpenFlow codec for interop tests:
 *   test-ofp-cli parse-flow VERSION FLOW      -> hex of an OFPT_FLOW_MOD (add)
 *   test-ofp-cli parse-del VERSION FLOW       -> hex of a delete flow_mod
 *   test-ofp-cli print HEX                    -> decoded text
 *   test-ofp-cli roundtrip VERSION FLOW       -> parse, encode, decode, print
 * Exits 1 with a message on any error. */
#include <config.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dynamic-string.h"
#include "ofp-buf.h"
#include "ofp-flow.h"
#include "ofp-msgs.h"
#include "ofp-parse.h"
#include "ofp-print.h"
#include "util.h"

static uint8_t *
parse_hex(const char *s, size_t *n)
{
    uint8_t *buf = xmalloc(strlen(s) / 2 + 1);
    *n = 0;
    while (*s) {
        if (isspace((unsigned char) *s)) {
            s++;
            continue;
        }
        unsigned int byte;
        if (sscanf(s, "%2x", &byte) != 1) {
            vs_fatal(0, "bad hex at \"%s\"", s);
        }
        buf[(*n)++] = byte;
        s += 2;
    }
    return buf;
}

static struct ofpbuf *
encode_flow(const char *vs, const char *flow, int command)
{
    uint8_t version = ofp_version_from_string(vs);
    if (!version) {
        vs_fatal(0, "unknown version %s", vs);
    }
    struct ofp_flow_mod fm;
    ofp_flow_mod_init(&fm);
    char *error = ofp_parse_flow_mod(flow, command, &fm);
    if (error) {
        vs_fatal(0, "%s", error);
    }
    struct ofpbuf *msg;
    enum ofperr e = ofp_flow_mod_encode(&fm, version, 1, &msg);
    if (e) {
        vs_fatal(0, "encode: %s", ofperr_get_name(e));
    }
    ofp_flow_mod_uninit(&fm);
    return msg;
}

int
main(int argc, char *argv[])
{
    set_program_name(argv[0]);
    if (argc == 4 && (!strcmp(argv[1], "parse-flow") || !strcmp(argv[1], "parse-del"))) {
        struct ofpbuf *msg = encode_flow(argv[2], argv[3], argv[1][6] == 'f'
                                         ? OFPFC_ADD : OFPFC_DELETE);
        for (size_t i = 0; i < msg->size; i++) {
            printf("%02x", msg->data[i]);
        }
        printf("\n");
        ofpbuf_delete(msg);
    } else if (argc == 4 && !strcmp(argv[1], "roundtrip")) {
        struct ofpbuf *msg = encode_flow(argv[2], argv[3], OFPFC_ADD);
        char *s = ofp_msg_to_string(msg->data, msg->size);
        printf("%s\n", s);
        free(s);
        ofpbuf_delete(msg);
    } else if (argc == 3 && !strcmp(argv[1], "print")) {
        size_t n;
        uint8_t *buf = parse_hex(argv[2], &n);
        char *s = ofp_msg_to_string(buf, n);
        printf("%s\n", s);
        free(s);
        free(buf);
    } else {
        fprintf(stderr, "usage: %s parse-flow|parse-del|roundtrip VERSION FLOW | print HEX\n",
                argv[0]);
        return 2;
    }
    return 0;
}
