/* Text form of datapath flows, shared by vs-dpctl and the unixctl dumps:
 *   in_port=1,eth_dst=aa:bb:cc:dd:ee:ff,eth_type=0x0800,nw_dst=10.0.0.0/255.0.0.0,
 *   actions=pop_vlan,output:2
 * A field is printed only if its mask is not zero; "/MASK" only if the mask
 * is not all-ones. */
#include <config.h>
#include "datapath/dpif.h"
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "dynamic-string.h"
#include "util.h"

enum field_kind { FK_INT, FK_BE, FK_MAC, FK_IP, FK_IP6 };

struct field {
    const char *name;
    size_t ofs;
    size_t size;
    enum field_kind kind;
};

#define F(NAME, MEMBER, KIND) \
    { NAME, offsetof(struct dp_key, MEMBER), \
      sizeof ((struct dp_key *) 0)->MEMBER, KIND }
static const struct field fields[] = {
    F("in_port", in_port, FK_INT),
    F("vlan_tci", vlan_tci, FK_INT),
    F("eth_src", eth_src, FK_MAC),
    F("eth_dst", eth_dst, FK_MAC),
    F("eth_type", eth_type, FK_BE),
    F("nw_src", nw_src, FK_IP),
    F("nw_dst", nw_dst, FK_IP),
    F("nw_proto", nw_proto, FK_INT),
    F("nw_tos", nw_tos, FK_INT),
    F("nw_ttl", nw_ttl, FK_INT),
    F("nw_frag", nw_frag, FK_INT),
    F("tp_src", tp_src, FK_BE),
    F("tp_dst", tp_dst, FK_BE),
    F("mpls_lse", mpls_lse, FK_BE),
    F("ipv6_src", ipv6_src, FK_IP6),
    F("ipv6_dst", ipv6_dst, FK_IP6),
    /* The datapath's VNIs fit the low half of tun_id. */
    { "tun_id", offsetof(struct dp_key, tun_id) + 4, 4, FK_BE },
    F("tun_src", tun_src, FK_IP),
    F("tun_dst", tun_dst, FK_IP),
};
#undef F

void
dp_key_apply_mask(struct dp_key *key, const struct dp_key *mask)
{
    uint8_t *k = (uint8_t *) key;
    const uint8_t *m = (const uint8_t *) mask;
    for (size_t i = 0; i < sizeof *key; i++) {
        k[i] &= m[i];
    }
}

bool
dp_key_is_masked_by(const struct dp_key *key, const struct dp_key *mask)
{
    const uint8_t *k = (const uint8_t *) key;
    const uint8_t *m = (const uint8_t *) mask;
    for (size_t i = 0; i < sizeof *key; i++) {
        if (k[i] & ~m[i]) {
            return false;
        }
    }
    return true;
}

/* Reads a field of up to 4 bytes as a host-order integer. */
static uint32_t
field_get_int(const struct field *f, const struct dp_key *key)
{
    const uint8_t *p = (const uint8_t *) key + f->ofs;
    uint32_t v = 0;
    if (f->kind == FK_BE || f->kind == FK_IP) {
        for (size_t i = 0; i < f->size; i++) {
            v = (v << 8) | p[i];
        }
    } else if (f->size == 1) {
        v = p[0];
    } else if (f->size == 2) {
        uint16_t x;
        memcpy(&x, p, 2);
        v = x;
    } else {
        memcpy(&v, p, 4);
    }
    return v;
}

static void
field_set_int(const struct field *f, struct dp_key *key, uint32_t v)
{
    uint8_t *p = (uint8_t *) key + f->ofs;
    if (f->kind == FK_BE || f->kind == FK_IP) {
        for (size_t i = f->size; i-- > 0; v >>= 8) {
            p[i] = v & 0xff;
        }
    } else if (f->size == 1) {
        p[0] = v;
    } else if (f->size == 2) {
        uint16_t x = v;
        memcpy(p, &x, 2);
    } else {
        memcpy(p, &v, 4);
    }
}

static bool
field_is_all_ones(const struct field *f, const struct dp_key *mask)
{
    const uint8_t *p = (const uint8_t *) mask + f->ofs;
    for (size_t i = 0; i < f->size; i++) {
        if (p[i] != 0xff) {
            return false;
        }
    }
    return true;
}

static void
put_value(struct ds *s, const struct field *f, const struct dp_key *k)
{
    const uint8_t *p = (const uint8_t *) k + f->ofs;
    uint32_t v = f->kind == FK_IP6 ? 0 : field_get_int(f, k);
    char buf[INET6_ADDRSTRLEN];

    switch (f->kind) {
    case FK_IP6:
        ds_put_cstr(s, inet_ntop(AF_INET6, p, buf, sizeof buf));
        break;
    case FK_MAC:
        ds_put_format(s, "%02x:%02x:%02x:%02x:%02x:%02x",
                      p[0], p[1], p[2], p[3], p[4], p[5]);
        break;
    case FK_IP:
        ds_put_format(s, "%u.%u.%u.%u", p[0], p[1], p[2], p[3]);
        break;
    case FK_BE:
        ds_put_format(s, f->size == 2 && !strcmp(f->name, "eth_type")
                      ? "0x%04x"
                      : !strcmp(f->name, "mpls_lse") ? "0x%08x"
                      : !strcmp(f->name, "tun_id") ? "0x%x" : "%u", v);
        break;
    case FK_INT:
        ds_put_format(s, !strcmp(f->name, "vlan_tci") ? "0x%04x" : "%u", v);
        break;
    }
}

void
dp_actions_format(struct ds *s, const struct dp_action *a, size_t n)
{
    if (!n) {
        ds_put_cstr(s, "drop");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (i) {
            ds_put_char(s, ',');
        }
        switch (a[i].type) {
        case DP_ACT_OUTPUT:
            ds_put_format(s, "output:%u", a[i].port);
            break;
        case DP_ACT_PUSH_VLAN:
            ds_put_format(s, "push_vlan:%u", a[i].tci & DP_VLAN_VID_MASK);
            if (a[i].tci >> DP_VLAN_PCP_SHIFT) {
                ds_put_format(s, "/pcp=%u", a[i].tci >> DP_VLAN_PCP_SHIFT);
            }
            break;
        case DP_ACT_POP_VLAN:
            ds_put_cstr(s, "pop_vlan");
            break;
        case DP_ACT_FLOOD:
            ds_put_cstr(s, "flood");
            break;
        case DP_ACT_UPCALL:
            ds_put_cstr(s, "upcall");
            break;
        case DP_ACT_SET_ETH_SRC:
        case DP_ACT_SET_ETH_DST: {
            const uint8_t *m = a[i].mac;
            ds_put_format(s, "set_eth_%s(%02x:%02x:%02x:%02x:%02x:%02x)",
                          a[i].type == DP_ACT_SET_ETH_SRC ? "src" : "dst",
                          m[0], m[1], m[2], m[3], m[4], m[5]);
            break;
        }
        case DP_ACT_SET_IPV4_SRC:
        case DP_ACT_SET_IPV4_DST: {
            const uint8_t *ip = (const uint8_t *) &a[i].ipv4;
            ds_put_format(s, "set_ipv4_%s(%u.%u.%u.%u)",
                          a[i].type == DP_ACT_SET_IPV4_SRC ? "src" : "dst",
                          ip[0], ip[1], ip[2], ip[3]);
            break;
        }
        case DP_ACT_SET_TP_SRC:
        case DP_ACT_SET_TP_DST:
            ds_put_format(s, "set_tp_%s(%u)",
                          a[i].type == DP_ACT_SET_TP_SRC ? "src" : "dst",
                          ntohs(a[i].tp_port));
            break;
        case DP_ACT_SET_IP_TOS:
            ds_put_format(s, "set_ip_tos(0x%02x", a[i].tos);
            if (a[i].tos_mask != 0xff) {
                ds_put_format(s, "/0x%02x", a[i].tos_mask);
            }
            ds_put_char(s, ')');
            break;
        case DP_ACT_SET_IP_TTL:
            ds_put_format(s, "set_ip_ttl(%u)", a[i].ttl);
            break;
        case DP_ACT_METER:
            ds_put_format(s, "meter:%u", a[i].meter_id);
            break;
        case DP_ACT_PUSH_MPLS:
            ds_put_format(s, "push_mpls(0x%04x:0x%08x)",
                          ntohs(a[i].mpls_ethertype), ntohl(a[i].mpls_lse));
            break;
        case DP_ACT_POP_MPLS:
            ds_put_format(s, "pop_mpls(0x%04x)", ntohs(a[i].mpls_ethertype));
            break;
        case DP_ACT_SET_MPLS:
            ds_put_format(s, "set_mpls(0x%08x)", ntohl(a[i].mpls_lse));
            break;
        case DP_ACT_SET_PRIORITY:
            ds_put_format(s, "set_priority(0x%x)", a[i].priority);
            break;
        case DP_ACT_POP_PRIORITY:
            ds_put_cstr(s, "pop_priority");
            break;
        case DP_ACT_SET_TUN_ID:
            ds_put_format(s, "set_tun_id(0x%x)", a[i].tun_id);
            break;
        case DP_ACT_SET_TUN_DST: {
            const uint8_t *ip = (const uint8_t *) &a[i].ipv4;
            ds_put_format(s, "set_tun_dst(%u.%u.%u.%u)",
                          ip[0], ip[1], ip[2], ip[3]);
            break;
        }
        default:
            ds_put_format(s, "unknown(%u)", a[i].type);
            break;
        }
    }
}

void
dp_flow_format(struct ds *s, const struct dp_key *key,
               const struct dp_key *mask, const struct dp_action *actions,
               size_t n_actions)
{
    for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
        const struct field *f = &fields[i];
        const uint8_t *m = (const uint8_t *) mask + f->ofs;
        bool any = false;
        for (size_t j = 0; j < f->size; j++) {
            any |= m[j] != 0;
        }
        if (!any) {
            continue;
        }
        ds_put_format(s, "%s=", f->name);
        put_value(s, f, key);
        if (!field_is_all_ones(f, mask)) {
            ds_put_char(s, '/');
            put_value(s, f, mask);
        }
        ds_put_char(s, ',');
    }
    ds_put_cstr(s, "actions=");
    dp_actions_format(s, actions, n_actions);
}

static bool
parse_mac(const char *s, uint8_t mac[6])
{
    unsigned int b[6];
    char c;
    if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4],
               &b[5], &c) != 6) {
        return false;
    }
    for (int i = 0; i < 6; i++) {
        if (b[i] > 255) {
            return false;
        }
        mac[i] = b[i];
    }
    return true;
}

/* Parses 'value' of field 'f' into 'dst' (a key or a mask). */
static bool
parse_value(const struct field *f, const char *value, struct dp_key *dst)
{
    uint8_t *p = (uint8_t *) dst + f->ofs;
    unsigned long long v;

    if (f->kind == FK_MAC) {
        return parse_mac(value, p);
    }
    if (f->kind == FK_IP) {
        struct in_addr a;
        if (inet_pton(AF_INET, value, &a) == 1) {
            memcpy(p, &a, 4);
            return true;
        }
        /* A prefix length is also fine as a mask. */
        unsigned int plen;
        if (str_to_uint(value, 10, &plen) && plen <= 32) {
            uint32_t m = plen ? htonl(~0u << (32 - plen)) : 0;
            memcpy(p, &m, 4);
            return true;
        }
        return false;
    }
    if (f->kind == FK_IP6) {
        unsigned int plen;
        if (inet_pton(AF_INET6, value, p) == 1) {
            return true;
        }
        if (str_to_uint(value, 10, &plen) && plen <= 128) {
            memset(p, 0, 16);
            for (unsigned int i = 0; i < plen; i++) {
                p[i / 8] |= 0x80 >> (i % 8);
            }
            return true;
        }
        return false;
    }
    if (!str_to_ullong(value, 0, &v) || (f->size < 4 && v >> (8 * f->size))
        || v > UINT32_MAX) {
        return false;
    }
    field_set_int(f, dst, v);
    return true;
}

/* If 'tok' is "NAME(ARG)", returns ARG (NUL-terminated in place), else
 * NULL. */
static char *
call_arg(char *tok, const char *name)
{
    size_t n = strlen(name), len = strlen(tok);
    if (strncmp(tok, name, n) || tok[n] != '(' || len < n + 2
        || tok[len - 1] != ')') {
        return NULL;
    }
    tok[len - 1] = '\0';
    return tok + n + 1;
}

/* Parses a set_*(...) rewrite into 'a'.  Returns NULL if 'tok' is not a
 * rewrite, an error message if it is a bad one, or "" on success. */
static char *
parse_rewrite(char *tok, struct dp_action *a)
{
    static const struct {
        const char *name;
        enum dp_action_type type;
    } rewrites[] = {
        { "set_eth_src", DP_ACT_SET_ETH_SRC },
        { "set_eth_dst", DP_ACT_SET_ETH_DST },
        { "set_ipv4_src", DP_ACT_SET_IPV4_SRC },
        { "set_ipv4_dst", DP_ACT_SET_IPV4_DST },
        { "set_tp_src", DP_ACT_SET_TP_SRC },
        { "set_tp_dst", DP_ACT_SET_TP_DST },
        { "set_ip_tos", DP_ACT_SET_IP_TOS },
        { "set_ip_ttl", DP_ACT_SET_IP_TTL },
        { "set_tun_id", DP_ACT_SET_TUN_ID },
        { "set_tun_dst", DP_ACT_SET_TUN_DST },
    };
    char *name = xstrdup(tok), *arg = NULL;
    enum dp_action_type type = 0;
    for (size_t i = 0; i < ARRAY_SIZE(rewrites) && !arg; i++) {
        arg = call_arg(tok, rewrites[i].name);
        type = rewrites[i].type;
    }
    if (!arg) {
        free(name);
        return NULL;
    }

    bool ok = false;
    unsigned int v, m = 0xff;
    struct in_addr ip;
    memset(a, 0, sizeof *a);
    a->type = type;
    switch (type) {
    case DP_ACT_SET_ETH_SRC:
    case DP_ACT_SET_ETH_DST:
        ok = parse_mac(arg, a->mac);
        break;
    case DP_ACT_SET_TUN_ID:
        ok = str_to_uint(arg, 0, &v);
        a->tun_id = v;
        break;
    case DP_ACT_SET_IPV4_SRC:
    case DP_ACT_SET_IPV4_DST:
    case DP_ACT_SET_TUN_DST:
        ok = inet_pton(AF_INET, arg, &ip) == 1;
        a->ipv4 = ip.s_addr;
        break;
    case DP_ACT_SET_TP_SRC:
    case DP_ACT_SET_TP_DST:
        ok = str_to_uint(arg, 10, &v) && v <= UINT16_MAX;
        a->tp_port = htons(ok ? v : 0);
        break;
    case DP_ACT_SET_IP_TOS: {
        char *slash = strchr(arg, '/');
        if (slash) {
            *slash = '\0';
        }
        ok = str_to_uint(arg, 0, &v) && v <= 0xff
             && (!slash || (str_to_uint(slash + 1, 0, &m) && m && m <= 0xff));
        a->tos = v & m;
        a->tos_mask = m;
        break;
    }
    case DP_ACT_SET_IP_TTL:
        ok = str_to_uint(arg, 0, &v) && v <= 0xff;
        a->ttl = v;
        break;
    default:
        break;
    }
    char *error = ok ? xstrdup("") : xasprintf("bad argument in \"%s\"", name);
    free(name);
    return error;
}

/* "push_mpls(0x8847:0x000641ff)", "pop_mpls(0x0800)", "set_mpls(0x...)".
 * Returns false for a bad one; leaves 'a' untouched if 'tok' is none. */
static bool
parse_mpls_action(const char *tok, struct dp_action *a)
{
    unsigned int type, lse;
    char end;

    if (sscanf(tok, "push_mpls(%x:%x%c", &type, &lse, &end) == 3) {
        a->type = DP_ACT_PUSH_MPLS;
    } else if (sscanf(tok, "pop_mpls(%x%c", &type, &end) == 2) {
        a->type = DP_ACT_POP_MPLS;
        lse = 0;
    } else if (sscanf(tok, "set_mpls(%x%c", &lse, &end) == 2) {
        a->type = DP_ACT_SET_MPLS;
        type = 0;
    } else {
        return !str_starts_with(tok, "push_mpls")
               && !str_starts_with(tok, "pop_mpls")
               && !str_starts_with(tok, "set_mpls");
    }
    if (end != ')' || type > 0xffff || tok[strlen(tok) - 1] != ')') {
        return false;
    }
    a->mpls_ethertype = htons(type);
    a->mpls_lse = htonl(lse);
    return true;
}

static char *
parse_actions(const char *s, struct dp_action *acts, size_t *n)
{
    char *copy = xstrdup(s), *save = NULL, *error = NULL;

    *n = 0;
    for (char *tok = strtok_r(copy, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        struct dp_action a = { .type = 0 };
        unsigned int v;
        if (!strcmp(tok, "drop")) {
            continue;
        } else if (!strcmp(tok, "pop_vlan")) {
            a.type = DP_ACT_POP_VLAN;
        } else if (!strcmp(tok, "pop_priority")) {
            a.type = DP_ACT_POP_PRIORITY;
        } else if (sscanf(tok, "set_priority(%x)", &v) == 1
                   && tok[strlen(tok) - 1] == ')') {
            a.type = DP_ACT_SET_PRIORITY;
            a.priority = v;
        } else if (!strcmp(tok, "flood")) {
            a.type = DP_ACT_FLOOD;
        } else if (!strcmp(tok, "upcall")) {
            a.type = DP_ACT_UPCALL;
        } else if (str_starts_with(tok, "meter:")) {
            if (!str_to_uint(tok + 6, 10, &v) || v >= DP_MAX_METERS) {
                error = xasprintf("bad meter id in \"%s\"", tok);
                break;
            }
            a.type = DP_ACT_METER;
            a.meter_id = v;
        } else if (str_starts_with(tok, "output:")
                   && str_to_uint(tok + 7, 10, &v) && v && v < DP_MAX_PORTS) {
            a.type = DP_ACT_OUTPUT;
            a.port = v;
        } else if ((error = parse_rewrite(tok, &a)) != NULL) {
            if (*error) {
                break;
            }
            free(error);
            error = NULL;
        } else if (str_starts_with(tok, "push_vlan:")) {
            char *pcp = strstr(tok, "/pcp=");
            unsigned int p = 0;
            if (pcp) {
                *pcp = '\0';
                if (!str_to_uint(pcp + 5, 10, &p) || p > 7) {
                    error = xasprintf("bad pcp in \"%s\"", tok);
                    break;
                }
            }
            if (!str_to_uint(tok + 10, 10, &v) || v > DP_VLAN_VID_MASK) {
                error = xasprintf("bad VLAN id in \"%s\"", tok);
                break;
            }
            a.type = DP_ACT_PUSH_VLAN;
            a.tci = v | (p << DP_VLAN_PCP_SHIFT);
        } else if (!parse_mpls_action(tok, &a)) {
            error = xasprintf("bad MPLS action \"%s\"", tok);
            break;
        } else if (!a.type) {
            error = xasprintf("unknown action \"%s\"", tok);
            break;
        }
        if (*n >= DP_MAX_ACTIONS) {
            error = xasprintf("more than %d actions", DP_MAX_ACTIONS);
            break;
        }
        acts[(*n)++] = a;
    }
    free(copy);
    return error;
}

char *
dp_flow_parse(const char *s, struct dp_key *key, struct dp_key *mask,
              struct dp_action *actions, size_t *n_actions)
{
    const char *acts = strstr(s, "actions=");
    char *error = NULL;

    memset(key, 0, sizeof *key);
    memset(mask, 0, sizeof *mask);
    *n_actions = 0;
    if (!acts) {
        return xstrdup("missing \"actions=\"");
    }

    char *match = xstrndup(s, acts - s), *save = NULL;
    for (char *tok = strtok_r(match, ", ", &save); tok && !error;
         tok = strtok_r(NULL, ", ", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq) {
            error = xasprintf("\"%s\": expected FIELD=VALUE", tok);
            break;
        }
        *eq = '\0';
        const struct field *f = NULL;
        for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
            if (!strcmp(fields[i].name, tok)) {
                f = &fields[i];
            }
        }
        if (!f) {
            error = xasprintf("unknown field \"%s\"", tok);
            break;
        }
        char *slash = strchr(eq + 1, '/');
        if (slash) {
            *slash = '\0';
        }
        if (!parse_value(f, eq + 1, key)) {
            error = xasprintf("bad value \"%s\" for %s", eq + 1, f->name);
        } else if (slash && !parse_value(f, slash + 1, mask)) {
            error = xasprintf("bad mask \"%s\" for %s", slash + 1, f->name);
        } else if (!slash) {
            memset((uint8_t *) mask + f->ofs, 0xff, f->size);
        }
    }
    free(match);
    if (!error) {
        error = parse_actions(acts + 8, actions, n_actions);
    }
    if (!error) {
        dp_key_apply_mask(key, mask);
    }
    return error;
}
