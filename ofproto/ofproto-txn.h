/* ofproto flow-table transactions (ofproto-flow.c): changes that apply at
 * once and can still be undone, so that a bundle commits all of its
 * flow_mods or none. */
#ifndef OFPROTO_TXN_H
#define OFPROTO_TXN_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ofproto/ofproto.h"

enum rule_change_type {
    RULE_CHANGE_ADD,            /* 'rule' added, displacing 'replaced'. */
    RULE_CHANGE_DELETE,         /* 'rule' removed ('reason' for it). */
    RULE_CHANGE_MODIFY,         /* 'rule' changed; old_* restore it. */
};

struct rule_change {
    enum rule_change_type type;
    struct rule *rule;
    struct rule *replaced;      /* ADD: owned until commit, or NULL. */
    uint8_t reason;             /* DELETE: OFPRR_*. */
    struct ofpacts old_ofpacts; /* MODIFY: owned until commit. */
    uint64_t old_cookie, old_packet_count, old_byte_count;
    long long old_modified;
};

struct ofproto_txn {
    struct rule_change *changes;
    size_t n, allocated;
};

void ofproto_txn_init(struct ofproto_txn *);
/* Applies 'fm' within 'txn'.  On error the caller aborts 'txn' (changes
 * of this flow_mod may already be in it). */
enum ofperr ofproto_flow_mod_txn(struct ofproto *, struct ofproto_txn *,
                                 const struct ofp_flow_mod *, uint8_t version);
/* Makes the changes final: frees what they replaced, sends flow_removed,
 * bumps the version.  Leaves 'txn' empty. */
void ofproto_txn_commit(struct ofproto *, struct ofproto_txn *);
/* Undoes every change, newest first.  Leaves 'txn' empty. */
void ofproto_txn_abort(struct ofproto *, struct ofproto_txn *);

/* Which rules a flow_mod or a stats request selects. */
struct rule_criteria {
    uint8_t table_id;           /* OFPTT_ALL: every table. */
    const struct match *match;
    bool strict;                /* Exact match and 'priority'. */
    int priority;
    uint64_t cookie, cookie_mask;
    uint32_t out_port, out_group;   /* OFPP_ANY / OFPG_ANY: no filter. */
    bool include_hidden;
};
/* The selected rules, sorted by table then priority (highest first);
 * malloc'd array of '*n'. */
struct rule **ofproto_collect_rules(const struct ofproto *,
                                    const struct rule_criteria *, size_t *n);

/* ofpacts_check() plus the switch's own checks: groups and meters exist,
 * output ports are valid. */
enum ofperr ofproto_check_ofpacts(const struct ofproto *,
                                  const struct ofpacts *,
                                  const struct match *, uint8_t table_id);

#endif /* ofproto-txn.h */
