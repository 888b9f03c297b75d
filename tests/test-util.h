/* Helpers shared by the Check unit tests in tests/. */
#ifndef TEST_UTIL_H
#define TEST_UTIL_H 1

#include <check.h>

struct dp_packet;
struct flow;

/* Runs every test in 's', frees it, and returns EXIT_SUCCESS if all passed,
 * else EXIT_FAILURE: what a test's main() returns. */
int test_run_suite(Suite *s);

/* Returns a new packet holding the frame written in 'hex' (asserting that
 * it parses); if 'flow' is nonnull, also extracts the packet's flow into
 * it.  The caller frees the packet with dp_packet_delete(). */
struct dp_packet *test_packet_from_hex(const char *hex, struct flow *flow);

#endif /* test-util.h */
