/* Parser for ovs-ofctl flow syntax. */
#include <config.h>
#include "ofp-parse.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "dynamic-string.h"
#include "match.h"
#include "ofp-actions.h"
#include "ofp-actions-nx.h"
#include "ofp-fields.h"
#include "ofp-flow.h"
#include "ofp-print.h"
#include "util.h"

/* Splits "k=v" / "k:v" / "k(v)" items on ',' or whitespace, honouring
 * parentheses.  Returns false at the end.  '*pos' advances. */
static bool
next_item(char **pos, char **key, char **value)
{
    char *p = *pos;
    p += strspn(p, ", \t\r\n");
    if (!*p) {
        return false;
    }
    *key = p;
    *value = NULL;
    size_t klen = strcspn(p, ":=(, \t\r\n");
    p += klen;
    char c = *p;
    if (c == ':' || c == '=' || c == '(') {
        *p++ = '\0';
        *value = p;
        int depth = c == '(';
        for (; *p; p++) {
            if (*p == '(') {
                depth++;
            } else if (*p == ')') {
                if (--depth == 0 && c == '(') {
                    *p++ = '\0';
                    break;
                }
            } else if (!depth && (*p == ',' || isspace((unsigned char) *p))) {
                break;
            }
        }
    }
    if (*p) {
        *p++ = '\0';
    }
    *pos = p;
    return true;
}

static char *
parse_u64(const char *name, const char *s, uint64_t max, uint64_t *out)
{
    unsigned long long x;
    *out = 0;
    if (!s || !str_to_ullong(s, 0, &x) || x > max) {
        return xasprintf("%s: invalid value \"%s\"", name, s ? s : "");
    }
    *out = x;
    return NULL;
}

struct proto_shorthand {
    const char *name;
    uint16_t dl_type;
    int nw_proto;               /* -1: none. */
};

static const struct proto_shorthand shorthands[] = {
    { "ip", ETH_TYPE_IP, -1 }, { "ipv6", ETH_TYPE_IPV6, -1 },
    { "icmp", ETH_TYPE_IP, IPPROTO_ICMP },
    { "icmp6", ETH_TYPE_IPV6, IPPROTO_ICMPV6 },
    { "tcp", ETH_TYPE_IP, IPPROTO_TCP }, { "tcp6", ETH_TYPE_IPV6, IPPROTO_TCP },
    { "udp", ETH_TYPE_IP, IPPROTO_UDP }, { "udp6", ETH_TYPE_IPV6, IPPROTO_UDP },
    { "sctp", ETH_TYPE_IP, IPPROTO_SCTP },
    { "sctp6", ETH_TYPE_IPV6, IPPROTO_SCTP },
    { "arp", ETH_TYPE_ARP, -1 }, { "rarp", ETH_TYPE_RARP, -1 },
    { "mpls", ETH_TYPE_MPLS, -1 }, { "mplsm", ETH_TYPE_MPLS_MCAST, -1 },
};

static const struct proto_shorthand *
find_shorthand(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(shorthands); i++) {
        if (!strcmp(name, shorthands[i].name)) {
            return &shorthands[i];
        }
    }
    return NULL;
}

static char *
parse_tcp_flags(const char *s, struct match *m)
{
    static const char *names[] = { "fin", "syn", "rst", "psh", "ack", "urg",
                                   "ece", "cwr", "ns" };
    uint16_t v = 0, mask = 0;
    if (*s != '+' && *s != '-') {
        const struct ofp_field *f = ofp_field_get(OFPF_TCP_FLAGS);
        union ofp_value value, maskv;
        char *error = ofp_field_parse_value(f, s, &value, &maskv);
        if (error) {
            return error;
        }
        match_set_tcp_flags_masked(m, value.be16, maskv.be16);
        return NULL;
    }
    while (*s) {
        bool on = *s == '+';
        if (*s != '+' && *s != '-') {
            return xasprintf("tcp_flags: expected + or - at \"%s\"", s);
        }
        s++;
        size_t n = strcspn(s, "+-");
        size_t i;
        for (i = 0; i < ARRAY_SIZE(names); i++) {
            if (strlen(names[i]) == n && !strncmp(s, names[i], n)) {
                break;
            }
        }
        if (i == ARRAY_SIZE(names)) {
            return xasprintf("tcp_flags: unknown flag \"%.*s\"", (int) n, s);
        }
        mask |= 1 << i;
        v |= on ? 1 << i : 0;
        s += n;
    }
    match_set_tcp_flags_masked(m, htons(v), htons(mask));
    return NULL;
}

static char *
parse_nw_frag(const char *s, struct match *m)
{
    static const struct { const char *name; uint8_t v, mask; } frags[] = {
        { "no", 0, FLOW_NW_FRAG_ANY }, { "yes", FLOW_NW_FRAG_ANY, FLOW_NW_FRAG_ANY },
        { "first", FLOW_NW_FRAG_ANY, FLOW_NW_FRAG_MASK },
        { "later", FLOW_NW_FRAG_MASK, FLOW_NW_FRAG_MASK },
        { "not_later", 0, FLOW_NW_FRAG_LATER },
    };
    for (size_t i = 0; i < ARRAY_SIZE(frags); i++) {
        if (!strcmp(s, frags[i].name)) {
            match_set_nw_frag_masked(m, frags[i].v, frags[i].mask);
            return NULL;
        }
    }
    return xasprintf("nw_frag: unknown value \"%s\"", s);
}

/* Resolves generic names that depend on the protocol ("tp_src",
 * "icmp_type") to a field. */
static const struct ofp_field *
resolve_field(const char *name, const struct match *m)
{
    /* Group buckets parse actions without a match: guess from nothing. */
    struct match any;
    if (!m) {
        match_init_catchall(&any);
        m = &any;
    }
    uint8_t proto = m->flow.nw_proto;
    bool v6 = match_dl_type_is(m, ETH_TYPE_IPV6);
    bool src = !strcmp(name, "tp_src");
    if (src || !strcmp(name, "tp_dst")) {
        if (match_nw_proto_is(m, IPPROTO_UDP)) {
            return ofp_field_get(src ? OFPF_UDP_SRC : OFPF_UDP_DST);
        } else if (match_nw_proto_is(m, IPPROTO_SCTP)) {
            return ofp_field_get(src ? OFPF_SCTP_SRC : OFPF_SCTP_DST);
        }
        return ofp_field_get(src ? OFPF_TCP_SRC : OFPF_TCP_DST);
    }
    if (!strcmp(name, "icmp_type") || !strcmp(name, "icmp_code")) {
        bool type = !strcmp(name, "icmp_type");
        if (v6 || proto == IPPROTO_ICMPV6) {
            return ofp_field_get(type ? OFPF_ICMPV6_TYPE : OFPF_ICMPV6_CODE);
        }
        return ofp_field_get(type ? OFPF_ICMPV4_TYPE : OFPF_ICMPV4_CODE);
    }
    return ofp_field_from_name(name);
}

static char *
parse_match_field(const char *key, const char *value, struct match *m)
{
    if (!value) {
        return xasprintf("field %s missing value", key);
    }
    if (!strcmp(key, "in_port")) {
        uint32_t port;
        if (!ofp_port_parse(value, &port)) {
            return xasprintf("in_port: bad port \"%s\"", value);
        }
        match_set_in_port(m, port);
        return NULL;
    }
    if (!strcmp(key, "dl_vlan")) {
        uint64_t vid;
        char *error = parse_u64(key, value, 0xffff, &vid);
        if (error) {
            return error;
        }
        if (vid == 0xffff) {
            match_set_no_vlan(m);
        } else if (vid > VLAN_VID_MASK) {
            return xasprintf("dl_vlan: %s is not a valid VLAN id", value);
        } else {
            match_set_dl_vlan(m, vid);
        }
        return NULL;
    }
    if (!strcmp(key, "dl_vlan_pcp")) {
        uint64_t pcp;
        char *error = parse_u64(key, value, 7, &pcp);
        if (!error) {
            match_set_dl_vlan_pcp(m, pcp);
        }
        return error;
    }
    if (!strcmp(key, "vlan_tci")) {
        uint64_t tci, mask = 0xffff;
        char *copy = xstrdup(value), *slash = strchr(copy, '/');
        if (slash) {
            *slash++ = '\0';
        }
        char *error = parse_u64(key, copy, 0xffff, &tci);
        if (!error && slash) {
            error = parse_u64(key, slash, 0xffff, &mask);
        }
        free(copy);
        if (!error) {
            match_set_vlan_tci_masked(m, htons(tci & mask), htons(mask));
        }
        return error;
    }
    if (!strcmp(key, "nw_tos")) {
        uint64_t tos;
        char *error = parse_u64(key, value, 255, &tos);
        if (!error && (tos & IP_ECN_MASK)) {
            error = xasprintf("nw_tos: %s has ECN bits set (use nw_ecn)", value);
        }
        if (!error) {
            match_set_nw_dscp(m, tos);
        }
        return error;
    }
    if (!strcmp(key, "tcp_flags")) {
        return parse_tcp_flags(value, m);
    }
    if (!strcmp(key, "nw_frag")) {
        return parse_nw_frag(value, m);
    }
    if (!strcmp(key, "dl_type") || !strcmp(key, "eth_type")) {
        uint64_t t;
        char *error = parse_u64(key, value, 0xffff, &t);
        if (!error) {
            match_set_dl_type(m, htons(t));
        }
        return error;
    }
    const struct ofp_field *f = resolve_field(key, m);
    if (!f) {
        return xasprintf("unknown field \"%s\"", key);
    }
    union ofp_value v, mask;
    char *error = ofp_field_parse_value(f, value, &v, f->maskable ? &mask : NULL);
    if (error) {
        return error;
    }
    ofp_field_set_match(f, &v, f->maskable ? &mask : NULL, m);
    return NULL;
}

/* Checks every field's prerequisites, as the OpenFlow 1.1+ wire format
 * would: some field of each alias group in use must have them met. */
static char *
check_prereqs(const struct match *m)
{
    for (int id = 0; id < OFPF_N_FIELDS; id++) {
        const struct ofp_field *f = ofp_field_get(id);
        union ofp_value mask;
        ofp_field_get_mask(f, m, &mask);
        if (ofp_value_is_zero(f, &mask) || id == OFPF_VLAN_PCP) {
            continue;
        }
        bool ok = false;
        for (int j = 0; j < OFPF_N_FIELDS && !ok; j++) {
            ok = ofp_field_alias_group(j) == ofp_field_alias_group(id)
                 && ofp_field_prereqs_ok(ofp_field_get(j), m);
        }
        if (!ok) {
            return xasprintf("%s: prerequisites not met", f->flow_name);
        }
    }
    return NULL;
}

static char *
parse_match__(char *s, struct match *m, int *priority,
              struct ofp_flow_mod *fm, char **actions)
{
    char *key, *value, *pos;
    char *error = NULL;
    match_init_catchall(m);

    /* "actions=" takes the rest of the string, commas and all. */
    for (char *p = s; (p = strstr(p, "actions")) != NULL; p++) {
        if ((p == s || strchr(", \t", p[-1])) && (p[7] == '=' || p[7] == ':')) {
            if (!actions) {
                return xstrdup("actions are not allowed here");
            }
            *p = '\0';
            *actions = p + 8;
            break;
        }
    }

    /* Pass 1: protocol shorthands and dl_type/nw_proto, which other fields
     * need to be understood. */
    char *copy = xstrdup(s);
    pos = copy;
    while (next_item(&pos, &key, &value)) {
        const struct proto_shorthand *sh = find_shorthand(key);
        if (sh && !value) {
            match_set_dl_type(m, htons(sh->dl_type));
            if (sh->nw_proto >= 0) {
                match_set_nw_proto(m, sh->nw_proto);
            }
        } else if (!strcmp(key, "dl_type") || !strcmp(key, "nw_proto")
                   || !strcmp(key, "ip_proto")) {
            error = parse_match_field(key, value, m);
            if (error) {
                free(copy);
                return error;
            }
        }
    }
    free(copy);

    pos = s;
    while (next_item(&pos, &key, &value)) {
        uint64_t x;
        if (find_shorthand(key) && !value) {
            continue;
        }
        if (!strcmp(key, "dl_type") || !strcmp(key, "nw_proto")
            || !strcmp(key, "ip_proto")) {
            continue;
        }
        if (!strcmp(key, "priority") && priority) {
            error = parse_u64(key, value, 0xffff, &x);
            if (error) {
                return error;
            }
            *priority = x;
            continue;
        }
        if (fm) {
            if (!strcmp(key, "table")) {
                error = parse_u64(key, value, 255, &x);
                fm->table_id = x;
            } else if (!strcmp(key, "idle_timeout")) {
                error = parse_u64(key, value, 0xffff, &x);
                fm->idle_timeout = x;
            } else if (!strcmp(key, "hard_timeout")) {
                error = parse_u64(key, value, 0xffff, &x);
                fm->hard_timeout = x;
            } else if (!strcmp(key, "importance")) {
                error = parse_u64(key, value, 0xffff, &x);
                fm->importance = x;
            } else if (!strcmp(key, "buffer_id")) {
                error = parse_u64(key, value, UINT32_MAX, &x);
                fm->buffer_id = x;
            } else if (!strcmp(key, "out_group")) {
                error = parse_u64(key, value, UINT32_MAX, &x);
                fm->out_group = x;
            } else if (!strcmp(key, "out_port")) {
                if (!value || !ofp_port_parse(value, &fm->out_port)) {
                    error = xasprintf("out_port: bad port");
                }
            } else if (!strcmp(key, "cookie")) {
                char *slash = value ? strchr(value, '/') : NULL;
                if (slash) {
                    *slash++ = '\0';
                }
                error = parse_u64(key, value, UINT64_MAX, &fm->cookie);
                if (!error && slash) {
                    if (!strcmp(slash, "-1")) {
                        fm->cookie_mask = UINT64_MAX;
                    } else {
                        error = parse_u64(key, slash, UINT64_MAX, &fm->cookie_mask);
                    }
                }
            } else if (!strcmp(key, "send_flow_rem") && !value) {
                fm->flags |= OFPFF_SEND_FLOW_REM;
            } else if (!strcmp(key, "check_overlap") && !value) {
                fm->flags |= OFPFF_CHECK_OVERLAP;
            } else if (!strcmp(key, "reset_counts") && !value) {
                fm->flags |= OFPFF_RESET_COUNTS;
            } else if (!strcmp(key, "no_packet_counts") && !value) {
                fm->flags |= OFPFF_NO_PKT_COUNTS;
            } else if (!strcmp(key, "no_byte_counts") && !value) {
                fm->flags |= OFPFF_NO_BYT_COUNTS;
            } else {
                goto field;
            }
            if (error) {
                return error;
            }
            continue;
        }
    field:
        error = parse_match_field(key, value, m);
        if (error) {
            return error;
        }
    }
    return check_prereqs(m);
}

char *
ofp_parse_match(const char *s_, struct match *m, int *priority)
{
    char *s = xstrdup(s_);
    if (priority) {
        *priority = OFP_DEFAULT_PRIORITY;
    }
    char *error = parse_match__(s, m, priority, NULL, NULL);
    free(s);
    return error;
}

char *
ofp_parse_flow_mod(const char *s_, int command, struct ofp_flow_mod *fm)
{
    char *s = xstrdup(s_);
    char *actions = NULL;
    int priority = OFP_DEFAULT_PRIORITY;
    bool is_delete = command == OFPFC_DELETE || command == OFPFC_DELETE_STRICT;

    fm->command = command;
    if (is_delete) {
        fm->table_id = OFPTT_ALL;
    }
    char *error = parse_match__(s, &fm->match, &priority, fm, &actions);
    if (error) {
        goto out;
    }
    fm->priority = priority;
    if (fm->cookie_mask && command == OFPFC_ADD) {
        error = xstrdup("flow additions cannot use a cookie mask");
        goto out;
    }
    if (is_delete) {
        if (actions) {
            error = xstrdup("actions are not allowed when deleting flows");
        }
        goto out;
    }
    if (!actions) {
        error = xstrdup("must specify an action");
        goto out;
    }
    error = ofp_parse_actions(actions, &fm->match, &fm->ofpacts);

out:
    free(s);
    return error;
}

/* ---- Actions. ---- */

static char *
parse_ethertype(const char *name, const char *v, uint16_t *out)
{
    uint64_t x;
    char *error = parse_u64(name, v, 0xffff, &x);
    *out = x;
    return error;
}

static char *
parse_set_field(char *arg, const struct match *m, struct ofpacts *o)
{
    char *arrow = arg ? strstr(arg, "->") : NULL;
    if (!arrow) {
        return xasprintf("set_field: expected VALUE->FIELD");
    }
    *arrow = '\0';
    const struct ofp_field *f = resolve_field(arrow + 2, m);
    if (!f || !f->writable) {
        return xasprintf("set_field: %s is not a writable field", arrow + 2);
    }
    struct ofpact *a = ofpact_put(o, OFPACT_SET_FIELD);
    a->u.set_field.field = f->id;
    return ofp_field_parse_value(f, arg, &a->u.set_field.value, NULL);
}

static char *
parse_one_action(char *key, char *arg, const struct match *m,
                 struct ofpacts *o)
{
    struct ofpact *a;
    uint64_t x;
    uint32_t port;
    char *error = NULL;
    bool handled;

    error = nx_action_parse(key, arg, o, &handled);
    if (handled) {
        return error;
    }
    if (!strcasecmp(key, "output") || !strcasecmp(key, "controller")
        || ((!arg || !strcasecmp(key, "controller")) && ofp_port_parse(key, &port))) {
        bool controller = !strcasecmp(key, "controller");
        if (!strcasecmp(key, "output")) {
            if (!arg || !ofp_port_parse(arg, &port)) {
                return xasprintf("output: bad port \"%s\"", arg ? arg : "");
            }
            controller = port == OFPP_CONTROLLER;
            arg = NULL;
        } else if (controller) {
            port = OFPP_CONTROLLER;
        }
        if (port == OFPP_ANY || port == 0) {
            return xasprintf("%s: not a valid output port", key);
        }
        a = ofpact_put(o, OFPACT_OUTPUT);
        a->u.output.port = port;
        if (controller) {
            a->u.output.max_len = OFPCML_NO_BUFFER;
            if (arg) {
                if (!strncmp(arg, "max_len=", 8)) {
                    arg += 8;
                }
                error = parse_u64(key, arg, 0xffff, &x);
                a->u.output.max_len = x;
            }
        }
        return error;
    }
    if (!strcasecmp(key, "drop")) {
        return xstrdup("\"drop\" must not be accompanied by any other action");
    }
    if (!strcmp(key, "enqueue")) {
        char *colon = arg ? strchr(arg, ':') : NULL;
        if (!colon) {
            return xstrdup("enqueue: expected PORT:QUEUE");
        }
        *colon = '\0';
        a = ofpact_put(o, OFPACT_ENQUEUE);
        if (!ofp_port_parse(arg, &a->u.enqueue.port)) {
            return xasprintf("enqueue: bad port \"%s\"", arg);
        }
        error = parse_u64(key, colon + 1, UINT32_MAX, &x);
        a->u.enqueue.queue = x;
        return error;
    }
    if (!strcmp(key, "group") || !strcmp(key, "set_queue") || !strcmp(key, "meter")) {
        error = parse_u64(key, arg, UINT32_MAX, &x);
        a = ofpact_put(o, !strcmp(key, "group") ? OFPACT_GROUP
                       : !strcmp(key, "meter") ? OFPACT_METER : OFPACT_SET_QUEUE);
        a->u.id = x;
        return error;
    }
    if (!strcmp(key, "set_tunnel") || !strcmp(key, "set_tunnel64")) {
        bool is64 = !strcmp(key, "set_tunnel64");
        error = parse_u64(key, arg, is64 ? UINT64_MAX : UINT32_MAX, &x);
        a = ofpact_put(o, OFPACT_SET_TUNNEL);
        a->u.tunnel.id = x;
        a->u.tunnel.is64 = is64;
        return error;
    }
    if (!strcmp(key, "mod_vlan_vid")) {
        error = parse_u64(key, arg, VLAN_VID_MASK, &x);
        a = ofpact_put(o, OFPACT_SET_VLAN_VID);
        a->u.vlan.vid = x;
        a->u.vlan.push = !m || !ofp_field_prereqs_ok(ofp_field_get(OFPF_VLAN_PCP), m);
        return error;
    }
    if (!strcmp(key, "mod_vlan_pcp")) {
        error = parse_u64(key, arg, 7, &x);
        a = ofpact_put(o, OFPACT_SET_VLAN_PCP);
        a->u.vlan.pcp = x;
        a->u.vlan.push = !m || !ofp_field_prereqs_ok(ofp_field_get(OFPF_VLAN_PCP), m);
        return error;
    }
    if (!strcmp(key, "strip_vlan") || !strcmp(key, "pop_vlan")) {
        ofpact_put(o, OFPACT_STRIP_VLAN)->u.u8 = !strcmp(key, "strip_vlan");
        return NULL;
    }
    if (!strcmp(key, "push_vlan") || !strcmp(key, "push_mpls")
        || !strcmp(key, "pop_mpls")) {
        bool vlan = !strcmp(key, "push_vlan");
        a = ofpact_put(o, vlan ? OFPACT_PUSH_VLAN
                       : !strcmp(key, "push_mpls") ? OFPACT_PUSH_MPLS
                       : OFPACT_POP_MPLS);
        error = parse_ethertype(key, arg, &a->u.ethertype);
        if (!error && a->type != OFPACT_POP_MPLS) {
            uint16_t t = a->u.ethertype;
            if (vlan ? t != ETH_TYPE_VLAN_8021Q && t != ETH_TYPE_VLAN_8021AD
                : t != ETH_TYPE_MPLS && t != ETH_TYPE_MPLS_MCAST) {
                error = xasprintf("%s: bad ethertype 0x%04x", key, t);
            }
        }
        return error;
    }
    if (!strcmp(key, "mod_dl_src") || !strcmp(key, "mod_dl_dst")) {
        const struct ofp_field *f = ofp_field_get(OFPF_ETH_SRC);
        union ofp_value v;
        error = ofp_field_parse_value(f, arg ? arg : "", &v, NULL);
        a = ofpact_put(o, !strcmp(key, "mod_dl_src") ? OFPACT_SET_ETH_SRC
                       : OFPACT_SET_ETH_DST);
        a->u.mac = v.mac;
        return error;
    }
    if (!strcmp(key, "mod_nw_src") || !strcmp(key, "mod_nw_dst")) {
        a = ofpact_put(o, !strcmp(key, "mod_nw_src") ? OFPACT_SET_IPV4_SRC
                       : OFPACT_SET_IPV4_DST);
        if (!arg || inet_pton(AF_INET, arg, &a->u.ipv4) != 1) {
            return xasprintf("%s: bad IPv4 address", key);
        }
        return NULL;
    }
    if (!strcmp(key, "mod_nw_tos")) {
        error = parse_u64(key, arg, 255, &x);
        if (!error && (x & IP_ECN_MASK)) {
            error = xasprintf("%s: %"PRIu64" has ECN bits set", key, x);
        }
        ofpact_put(o, OFPACT_SET_IP_DSCP)->u.u8 = x;
        return error;
    }
    if (!strcmp(key, "mod_tp_src") || !strcmp(key, "mod_tp_dst")) {
        error = parse_u64(key, arg, 0xffff, &x);
        a = ofpact_put(o, !strcmp(key, "mod_tp_src") ? OFPACT_SET_L4_SRC
                       : OFPACT_SET_L4_DST);
        a->u.l4.port = x;
        a->u.l4.proto = m ? m->flow.nw_proto : IPPROTO_TCP;
        return error;
    }
    if (!strcmp(key, "mod_nw_ttl") || !strcmp(key, "set_mpls_ttl")) {
        error = parse_u64(key, arg, 255, &x);
        ofpact_put(o, !strcmp(key, "mod_nw_ttl") ? OFPACT_SET_NW_TTL
                   : OFPACT_SET_MPLS_TTL)->u.u8 = x;
        return error;
    }
    if (!strcmp(key, "set_field")) {
        return parse_set_field(arg, m, o);
    }
    if (!strcmp(key, "set_mpls_label") || !strcmp(key, "set_mpls_tc")) {
        bool label = !strcmp(key, "set_mpls_label");
        error = parse_u64(key, arg, label ? 0xfffff : 7, &x);
        a = ofpact_put(o, OFPACT_SET_FIELD);
        a->u.set_field.field = label ? OFPF_MPLS_LABEL : OFPF_MPLS_TC;
        if (label) {
            a->u.set_field.value.be32 = htonl(x);
        } else {
            a->u.set_field.value.u8 = x;
        }
        return error;
    }
    static const struct { const char *name; enum ofpact_type type; } simple[] = {
        { "dec_ttl", OFPACT_DEC_TTL }, { "dec_mpls_ttl", OFPACT_DEC_MPLS_TTL },
        { "copy_ttl_out", OFPACT_COPY_TTL_OUT }, { "copy_ttl_in", OFPACT_COPY_TTL_IN },
        { "clear_actions", OFPACT_CLEAR_ACTIONS },
        { "pop_queue", OFPACT_POP_QUEUE },
    };
    for (size_t i = 0; i < ARRAY_SIZE(simple); i++) {
        if (!strcmp(key, simple[i].name)) {
            if (arg) {
                return xasprintf("%s takes no argument", key);
            }
            ofpact_put(o, simple[i].type);
            return NULL;
        }
    }
    if (!strcmp(key, "goto_table")) {
        error = parse_u64(key, arg, 254, &x);
        ofpact_put(o, OFPACT_GOTO_TABLE)->u.u8 = x;
        return error;
    }
    if (!strcmp(key, "write_metadata")) {
        char *slash = arg ? strchr(arg, '/') : NULL;
        uint64_t mask = UINT64_MAX;
        if (slash) {
            *slash++ = '\0';
            error = parse_u64(key, slash, UINT64_MAX, &mask);
        }
        if (!error) {
            error = parse_u64(key, arg, UINT64_MAX, &x);
        }
        a = ofpact_put(o, OFPACT_WRITE_METADATA);
        a->u.metadata.value = x & mask;
        a->u.metadata.mask = mask;
        return error;
    }
    if (!strcmp(key, "write_actions")) {
        size_t at = o->n;
        ofpact_put(o, OFPACT_WRITE_ACTIONS);
        char *pos = arg ? arg : key + strlen(key), *k, *v;
        while (next_item(&pos, &k, &v)) {
            if (!strcmp(k, "write_actions") || !strcmp(k, "goto_table")
                || !strcmp(k, "clear_actions") || !strcmp(k, "write_metadata")
                || !strcmp(k, "meter")) {
                return xasprintf("%s is not allowed inside write_actions", k);
            }
            error = parse_one_action(k, v, m, o);
            if (error) {
                return error;
            }
        }
        o->acts[at].n_nested = o->n - at - 1;
        return NULL;
    }
    return xasprintf("unknown action %s", key);
}

char *
ofp_parse_actions(const char *s_, const struct match *m, struct ofpacts *o)
{
    char *s = xstrdup(s_), *pos = s, *key, *arg;
    char *error = NULL;
    ofpacts_clear(o);

    /* "drop" alone means no actions. */
    char *trimmed = s + strspn(s, " \t");
    if (!strcasecmp(trimmed, "drop") || !*trimmed) {
        free(s);
        return NULL;
    }
    while (!error && next_item(&pos, &key, &arg)) {
        error = parse_one_action(key, arg, m, o);
    }
    free(s);
    if (error) {
        return error;
    }
    /* Order and consistency as OpenFlow 1.1+ requires. */
    enum ofperr e = ofpacts_check(o, m ? m : &(struct match) { 0 }, 0, 255);
    if (e == OFPERR_OFPBAC_UNSUPPORTED_ORDER) {
        return xstrdup("invalid instruction ordering: use meter, actions, "
                       "clear_actions, write_actions, write_metadata, goto_table");
    } else if (e == OFPERR_OFPBAC_MATCH_INCONSISTENT && m) {
        return xstrdup("actions are invalid with specified match "
                       "(OFPBAC_MATCH_INCONSISTENT)");
    }
    return NULL;
}
