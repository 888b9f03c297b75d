/* Each rule's flow stats body (its match and instructions, encoded for one
 * OpenFlow version), kept between dumps.
 *
 * Dumping 100,000 rules spent most of its time encoding matches that had
 * not changed since the last dump, reading each rule's whole match (flow
 * and masks, hundreds of bytes far apart) to do it.  A rule's match never
 * changes and its instructions change only by a modify, so the encoded
 * bytes are kept in the rule: built when the rule is added (for the
 * version of the connection that added it, the one most likely to dump
 * it) or by the first dump in another version, dropped when the
 * instructions change.  A dump then copies about 100 bytes per rule and
 * writes the counters in front of them.
 *
 * Only versions whose entries have a fixed header before the match and
 * instructions are kept (OpenFlow 1.1 to 1.4, ofp_flow_stats_body_cacheable()).
 * The bytes kept by all rules together are bounded
 * (rule_dump_cache_set_limit()): past the bound, rules are encoded at each
 * dump as before.  Single-threaded, like ofproto. */
#ifndef OFPROTO_RULE_DUMP_CACHE_H
#define OFPROTO_RULE_DUMP_CACHE_H 1

#include <stddef.h>
#include <stdint.h>

struct rule;

/* Encodes and keeps 'rule''s body for 'version' (replacing what was kept),
 * if the version is cacheable and the bound allows. */
void rule_dump_cache_build(struct rule *, uint8_t version);
/* Keeps 'body' (a body just encoded into a reply for 'version') as
 * 'rule''s, if the bound allows. */
void rule_dump_cache_keep(struct rule *, uint8_t version,
                          const void *body, size_t len);
/* Forgets 'rule''s kept body (its instructions changed, or it is freed). */
void rule_dump_cache_drop(struct rule *);

/* The body kept for 'version', or NULL. */
static inline const uint8_t *
rule_dump_cache_get(const struct rule *, uint8_t version, size_t *len);

/* Bytes kept by all rules at most (default RULE_DUMP_CACHE_DEFAULT_LIMIT),
 * and kept now. */
#define RULE_DUMP_CACHE_DEFAULT_LIMIT (64u << 20)
void rule_dump_cache_set_limit(size_t bytes);
size_t rule_dump_cache_bytes(void);

#include "ofproto/ofproto.h"

static inline const uint8_t *
rule_dump_cache_get(const struct rule *rule, uint8_t version, size_t *len)
{
    if (rule->dump_body && rule->dump_version == version) {
        *len = rule->dump_body_len;
        return rule->dump_body;
    }
    return NULL;
}

#endif
