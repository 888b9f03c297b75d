/* Text forms of matches, flows and whole OpenFlow messages, in the
 * notation ovs-ofctl users read (dump-flows, ofp-print). */
#ifndef VS_OFP_PRINT_H
#define VS_OFP_PRINT_H 1

#include <stddef.h>
#include <stdint.h>

struct ds;
struct match;
struct ofp_flow_mod;
struct ofp_flow_stats;

#define OFP_DEFAULT_PRIORITY 0x8000

/* "priority=100,tcp,nw_dst=10.0.0.0/24,tp_dst=80"; priority is left out
 * when it is OFP_DEFAULT_PRIORITY, "" for a catch-all at that priority. */
void ofp_match_format(const struct match *, int priority, struct ds *);
/* "ADD table:1 priority=100,ip cookie:0x5 idle:10 actions=output:2" */
void ofp_flow_mod_format(const struct ofp_flow_mod *, struct ds *);
/* One dump-flows line: " cookie=0x0, duration=1.500s, table=0, n_packets=0,
 * n_bytes=0, priority=100,ip actions=output:2" */
void ofp_flow_stats_format(const struct ofp_flow_stats *, struct ds *);
/* Decodes and describes any message ("OFPT_HELLO (OF1.3) (xid=0x1): ..."),
 * or the decode error. */
/* " (OF1.3)" and the like after a message name, as ovs-ofctl prints it;
 * "" for OpenFlow 1.0. */
const char *ofp_version_tag(uint8_t version);
void ofp_print_msg(const void *msg, size_t len, struct ds *);
char *ofp_msg_to_string(const void *msg, size_t len);

#endif /* ofp-print.h */
