/* Helpers shared by the OpenFlow codec unit tests (test-ofp-*.c): golden
 * bytes written in hex, and flows written as ovs-ofctl's text. */
#ifndef TEST_OFP_UTIL_H
#define TEST_OFP_UTIL_H 1

struct ofpbuf;
struct ofp_flow_mod;

/* A new buffer holding the bytes written in 'hex' (pairs of digits). */
struct ofpbuf *test_ofpbuf_from_hex(const char *hex);
/* 'b''s bytes in lower-case hex, malloc'd. */
char *test_ofpbuf_to_hex(const struct ofpbuf *b);
/* Asserts that 'got' holds exactly the bytes written in 'want_hex'. */
void test_check_bytes(const struct ofpbuf *got, const char *want_hex);

/* Parses 'text' into 'fm' as an add (asserting that it parses). */
void test_parse_flow(const char *text, struct ofp_flow_mod *fm);
/* Asserts that 'fm' prints as "ADD " followed by 'want'. */
void test_check_flow_text(const struct ofp_flow_mod *fm, const char *want);

#endif /* test-ofp-util.h */
