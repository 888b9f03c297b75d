/* The bridge the translation unit tests (test-xlate, test-ofp-fin) run on:
 * a real ofproto with live ports 1..XLATE_FIXTURE_PORTS, a NORMAL bridge
 * over a MAC table, and a translation output.  Check fixture functions
 * set it up and take it down around each test. */
#ifndef XLATE_FIXTURE_H
#define XLATE_FIXTURE_H 1

#include "ofproto/normal.h"
#include "ofproto/xlate.h"

#define XLATE_FIXTURE_PORTS 4

extern struct ofproto *ofp;
extern struct mac_learning *ml;
extern struct normal_bridge nb;
extern struct xlate_out xo;

void xlate_fixture_setup(void);
void xlate_fixture_teardown(void);

/* Adds flow 's' (ovs-ofctl's syntax), asserting that it goes in. */
void xf_add_flow(const char *s);
/* The key of a TCP packet 10.0.0.1:1234 -> 'nw_dst':80 (host order) on
 * 'in_port', from MAC 02:00:00:00:00:'src' to 02:00:00:00:00:'dst'. */
struct dp_key xf_tcp_key(uint32_t in_port, uint8_t src, uint8_t dst,
                         uint32_t nw_dst);
/* Translates 'key' as an upcall does (learning) at time 1000, into 'xo'. */
void xf_run(const struct dp_key *key);

#endif /* xlate-fixture.h */
