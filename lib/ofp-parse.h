/* Flow syntax as ovs-ofctl users type it:
 *   "priority=100,ip,nw_dst=10.0.0.0/24,tcp,tp_dst=80,actions=output:2"
 * Every function returns NULL on success or a malloc'd error message. */
#ifndef VS_OFP_PARSE_H
#define VS_OFP_PARSE_H 1

#include <stdint.h>

struct match;
struct ofp_flow_mod;
struct ofpacts;

/* Parses a whole flow for 'command' (OFPFC_*): match, priority, table,
 * cookie, timeouts, flags and (except for deletes) actions.  Fills 'fm',
 * which the caller has ofp_flow_mod_init()ed. */
char *ofp_parse_flow_mod(const char *, int command, struct ofp_flow_mod *)
    __attribute__((warn_unused_result));
/* Parses only match fields (and "priority=" if 'priority' is nonnull). */
char *ofp_parse_match(const char *, struct match *, int *priority)
    __attribute__((warn_unused_result));
/* Parses an action list ("output:1,mod_vlan_vid:5", "drop"); 'match'
 * gives the protocol for mod_tp_* and is checked for set_field
 * prerequisites. */
char *ofp_parse_actions(const char *, const struct match *, struct ofpacts *)
    __attribute__((warn_unused_result));

#endif /* ofp-parse.h */
