/* Kept flow stats bodies: see rule-dump-cache.h. */
#include <config.h>
#include "ofproto/rule-dump-cache.h"
#include <stdlib.h>
#include <string.h>
#include "ofp-buf.h"
#include "ofp-flow.h"
#include "ofproto/ofproto.h"
#include "util.h"

static size_t limit = RULE_DUMP_CACHE_DEFAULT_LIMIT;
static size_t kept;             /* Bytes of all rules' bodies. */

void
rule_dump_cache_set_limit(size_t bytes)
{
    limit = bytes;
}

size_t
rule_dump_cache_bytes(void)
{
    return kept;
}

void
rule_dump_cache_drop(struct rule *rule)
{
    if (rule->dump_body) {
        kept -= rule->dump_body_len;
        free(rule->dump_body);
        rule->dump_body = NULL;
        rule->dump_body_len = 0;
        rule->dump_version = 0;
    }
}

void
rule_dump_cache_keep(struct rule *rule, uint8_t version, const void *body,
                     size_t len)
{
    rule_dump_cache_drop(rule);
    /* An entry's length, header included, is 16 bits. */
    if (!ofp_flow_stats_body_cacheable(version) || !len
        || len > UINT16_MAX - OFP11_FLOW_STATS_HEADER_LEN
        || len > limit - kept) {
        return;
    }
    rule->dump_body = xmemdup(body, len);
    rule->dump_body_len = len;
    rule->dump_version = version;
    kept += len;
}

void
rule_dump_cache_build(struct rule *rule, uint8_t version)
{
    rule_dump_cache_drop(rule);
    if (!ofp_flow_stats_body_cacheable(version) || kept >= limit) {
        return;
    }
    /* One buffer for every build: adding 100,000 rules allocates it once. */
    static struct ofpbuf b = OFPBUF_INITIALIZER;
    ofpbuf_clear(&b);
    if (!ofp_flow_stats_body_put(&b, version, &rule->cr.match,
                                 &rule->ofpacts)) {
        rule_dump_cache_keep(rule, version, b.data, b.size);
    }
}
