/* Text forms of matches, flows and OpenFlow messages. */
#include <config.h>
#include "ofp-print.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>
#include "dynamic-string.h"
#include "match.h"
#include "ofp-actions.h"
#include "ofp-buf.h"
#include "ofp-bundle.h"
#include "ofp-fields.h"
#include "ofp-flow.h"
#include "ofp-group.h"
#include "ofp-meter.h"
#include "ofp-monitor.h"
#include "ofp-nx.h"
#include "ofp-packet-in2.h"
#include "ofp-msgs.h"
#include "ofp-switch.h"
#include "util.h"

static void
put_sep(struct ds *s)
{
    if (s->length && ds_last(s) != ' ' && ds_last(s) != ',') {
        ds_put_char(s, ',');
    }
}

/* Prints 'name=value[/mask]' for a field if its mask is nonzero, i.e. its
 * bit in 'present' (ofp_fields_with_mask()) is set. */
static void
format_field(const struct match *m, uint64_t present, enum ofp_field_id id,
             const char *name, struct ds *s)
{
    if (!(present & (UINT64_C(1) << id))) {
        return;
    }
    const struct ofp_field *f = ofp_field_get(id);
    union ofp_value v, mask;
    ofp_field_get_mask(f, m, &mask);
    ofp_field_get_value(f, &m->flow, &v);
    put_sep(s);
    ds_put_cstr(s, name ? name : f->flow_name);
    ds_put_char(s, '=');
    if (f->format == OFPFF_IPV4 && !ofp_value_is_exact(f, &mask)) {
        uint32_t mm = ntohl(mask.be32);
        int n = __builtin_popcount(mm);
        ofp_field_format_value(f, &v, s);
        if (n && (mm >> (32 - n)) == (1u << n) - 1 && mm << n == 0) {
            ds_put_char(s, '/');
            ds_put_uint(s, n);
        } else {
            ds_put_char(s, '/');
            ofp_field_format_value(f, &mask, s);
        }
        return;
    }
    if (f->format == OFPFF_IPV6 && !ofp_value_is_exact(f, &mask)) {
        int n = 0;
        bool cidr = true;
        for (int i = 0; i < 128; i++) {
            bool bit = mask.b[i / 8] & (0x80 >> (i % 8));
            if (bit && n != i) {
                cidr = false;
            }
            n += bit;
        }
        ofp_field_format_value(f, &v, s);
        if (cidr) {
            ds_put_format(s, "/%d", n);
        } else {
            ds_put_char(s, '/');
            ofp_field_format_value(f, &mask, s);
        }
        return;
    }
    if (id == OFPF_IPV6_FLABEL) {
        ds_put_format(s, "0x%05"PRIx32, ntohl(v.be32));
        if (!ofp_value_is_exact(f, &mask)) {
            ds_put_format(s, "/0x%05"PRIx32, ntohl(mask.be32));
        }
        return;
    }
    if (f->format == OFPFF_DEC && !ofp_value_is_exact(f, &mask)) {
        ds_put_format(s, "0x%"PRIx64"/0x%"PRIx64, ofp_value_to_u64(f, &v),
                      ofp_value_to_u64(f, &mask));
        return;
    }
    ofp_field_format_value(f, &v, s);
    if (!ofp_value_is_exact(f, &mask)) {
        ds_put_char(s, '/');
        ofp_field_format_value(f, &mask, s);
    }
}

static void
format_tcp_flags(const struct match *m, struct ds *s)
{
    static const char *names[] = { "fin", "syn", "rst", "psh", "ack", "urg",
                                   "ece", "cwr", "ns" };
    uint16_t v = ntohs(m->flow.tcp_flags), mask = ntohs(m->wc.masks.tcp_flags);
    if (!mask) {
        return;
    }
    put_sep(s);
    if (mask & ~0x1ff) {
        ds_put_format(s, "tcp_flags=0x%03"PRIx16"/0x%03"PRIx16, v, mask);
        return;
    }
    ds_put_cstr(s, "tcp_flags=");
    for (int i = 0; i < 9; i++) {
        if (mask & (1 << i)) {
            ds_put_format(s, "%c%s", v & (1 << i) ? '+' : '-', names[i]);
        }
    }
}

static const char *
protocol_name(const struct match *m, bool *is_proto, bool *is_dl)
{
    *is_proto = *is_dl = false;
    if (!m->wc.masks.dl_type) {
        return NULL;
    }
    uint16_t t = ntohs(m->flow.dl_type);
    bool v4 = t == ETH_TYPE_IP, v6 = t == ETH_TYPE_IPV6;
    if ((v4 || v6) && m->wc.masks.nw_proto == 0xff) {
        *is_proto = *is_dl = true;
        switch (m->flow.nw_proto) {
        case IPPROTO_TCP: return v4 ? "tcp" : "tcp6";
        case IPPROTO_UDP: return v4 ? "udp" : "udp6";
        case IPPROTO_SCTP: return v4 ? "sctp" : "sctp6";
        case IPPROTO_ICMP: if (v4) return "icmp"; break;
        case IPPROTO_ICMPV6: if (v6) return "icmp6"; break;
        }
        *is_proto = false;
    }
    *is_dl = true;
    switch (t) {
    case ETH_TYPE_IP: return "ip";
    case ETH_TYPE_IPV6: return "ipv6";
    case ETH_TYPE_ARP: return "arp";
    case ETH_TYPE_RARP: return "rarp";
    case ETH_TYPE_MPLS: return "mpls";
    case ETH_TYPE_MPLS_MCAST: return "mplsm";
    }
    *is_dl = false;
    return NULL;
}

static void
format_vlan(const struct match *m, struct ds *s)
{
    uint16_t tci = ntohs(m->flow.vlans[0].tci);
    uint16_t mask = ntohs(m->wc.masks.vlans[0].tci);
    if (!mask) {
        return;
    }
    put_sep(s);
    if (mask == 0xffff && !tci) {
        ds_put_cstr(s, "vlan_tci=0x0000");
        return;
    }
    uint16_t vid_bits = VLAN_VID_MASK | VLAN_CFI, pcp_bits = VLAN_PCP_MASK | VLAN_CFI;
    bool cfi = (tci & VLAN_CFI) && (mask & VLAN_CFI);
    if (cfi && (mask == vid_bits || mask == pcp_bits || mask == 0xffff)) {
        if ((mask & VLAN_VID_MASK) == VLAN_VID_MASK) {
            ds_put_format(s, "dl_vlan=%u", tci & VLAN_VID_MASK);
        }
        if ((mask & VLAN_PCP_MASK) == VLAN_PCP_MASK) {
            put_sep(s);
            ds_put_format(s, "dl_vlan_pcp=%u", tci >> VLAN_PCP_SHIFT);
        }
        return;
    }
    ds_put_format(s, "vlan_tci=0x%04"PRIx16, tci);
    if (mask != 0xffff) {
        ds_put_format(s, "/0x%04"PRIx16, mask);
    }
}

static void
format_nw_frag(const struct match *m, struct ds *s)
{
    uint8_t v = m->flow.nw_frag, mask = m->wc.masks.nw_frag;
    const char *name = NULL;
    if (!mask) {
        return;
    }
    if (mask == FLOW_NW_FRAG_MASK) {
        name = v == 0 ? "no" : v == FLOW_NW_FRAG_ANY ? "first" : "later";
    } else if (mask == FLOW_NW_FRAG_ANY) {
        name = v ? "yes" : "no";
    } else {
        name = v ? "later" : "not_later";
    }
    put_sep(s);
    ds_put_format(s, "nw_frag=%s", name);
}

void
ofp_match_format(const struct match *m, int priority, struct ds *s)
{
    size_t start = s->length;
    uint64_t present = ofp_fields_with_mask(m);
    bool is_proto, is_dl;
    const char *proto = protocol_name(m, &is_proto, &is_dl);
    bool is_arp = match_dl_type_is(m, ETH_TYPE_ARP)
                  || match_dl_type_is(m, ETH_TYPE_RARP);
    bool is_v6 = match_dl_type_is(m, ETH_TYPE_IPV6);

    if (priority != OFP_DEFAULT_PRIORITY) {
        ds_put_cstr(s, "priority=");
        if (priority < 0) {
            ds_put_char(s, '-');
        }
        ds_put_uint(s, priority < 0 ? -(int64_t) priority : priority);
    }
    if (proto) {
        put_sep(s);
        ds_put_cstr(s, proto);
    }
    for (int i = 0; i < FLOW_N_REGS; i++) {
        format_field(m, present, OFPF_REG(i), NULL, s);
    }
    format_field(m, present, OFPF_TUNNEL_ID, NULL, s);
    format_field(m, present, OFPF_TUN_SRC, NULL, s);
    format_field(m, present, OFPF_TUN_DST, NULL, s);
    format_field(m, present, OFPF_METADATA, NULL, s);
    if (m->wc.masks.in_port) {
        put_sep(s);
        ds_put_cstr(s, "in_port=");
        ofp_port_format(m->flow.in_port, s);
    }
    format_vlan(m, s);
    format_field(m, present, OFPF_ETH_SRC, NULL, s);
    format_field(m, present, OFPF_ETH_DST, NULL, s);
    if (!is_dl && m->wc.masks.dl_type) {
        put_sep(s);
        ds_put_format(s, "dl_type=0x%04"PRIx16, ntohs(m->flow.dl_type));
    }
    format_field(m, present, OFPF_IPV6_SRC, NULL, s);
    format_field(m, present, OFPF_IPV6_DST, NULL, s);
    format_field(m, present, OFPF_IPV6_FLABEL, NULL, s);
    if (is_arp) {
        format_field(m, present, OFPF_ARP_SPA, NULL, s);
        format_field(m, present, OFPF_ARP_TPA, NULL, s);
        format_field(m, present, OFPF_IP_PROTO, "arp_op", s);
        format_field(m, present, OFPF_ARP_SHA, NULL, s);
        format_field(m, present, OFPF_ARP_THA, NULL, s);
    } else {
        format_field(m, present, OFPF_IPV4_SRC, NULL, s);
        format_field(m, present, OFPF_IPV4_DST, NULL, s);
        if (!is_proto) {
            format_field(m, present, OFPF_IP_PROTO, NULL, s);
        }
    }
    if (m->wc.masks.nw_tos & IP_DSCP_MASK) {
        put_sep(s);
        ds_put_format(s, "nw_tos=%u", m->flow.nw_tos & IP_DSCP_MASK);
    }
    if (m->wc.masks.nw_tos & IP_ECN_MASK) {
        put_sep(s);
        ds_put_format(s, "nw_ecn=%u", m->flow.nw_tos & IP_ECN_MASK);
    }
    format_field(m, present, OFPF_NW_TTL, NULL, s);
    format_field(m, present, OFPF_MPLS_LABEL, NULL, s);
    format_field(m, present, OFPF_MPLS_TC, NULL, s);
    format_field(m, present, OFPF_MPLS_BOS, NULL, s);
    format_nw_frag(m, s);
    bool icmp = match_nw_proto_is(m, is_v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
    if (icmp) {
        format_field(m, present, is_v6 ? OFPF_ICMPV6_TYPE : OFPF_ICMPV4_TYPE, "icmp_type", s);
        format_field(m, present, is_v6 ? OFPF_ICMPV6_CODE : OFPF_ICMPV4_CODE, "icmp_code", s);
        format_field(m, present, OFPF_ND_TARGET, NULL, s);
        format_field(m, present, OFPF_ND_SLL, NULL, s);
        format_field(m, present, OFPF_ND_TLL, NULL, s);
    } else if (!is_arp) {
        format_field(m, present, OFPF_TCP_SRC, "tp_src", s);
        format_field(m, present, OFPF_TCP_DST, "tp_dst", s);
    }
    format_tcp_flags(m, s);
    (void) start;
}

static const char *
command_name(uint8_t command)
{
    switch (command) {
    case OFPFC_ADD: return "ADD";
    case OFPFC_MODIFY: return "MOD";
    case OFPFC_MODIFY_STRICT: return "MOD_STRICT";
    case OFPFC_DELETE: return "DEL";
    case OFPFC_DELETE_STRICT: return "DEL_STRICT";
    default: return "???";
    }
}

static void
format_flags(uint16_t flags, struct ds *s, char sep)
{
    static const struct { uint16_t bit; const char *name; } names[] = {
        { OFPFF_SEND_FLOW_REM, "send_flow_rem" },
        { OFPFF_CHECK_OVERLAP, "check_overlap" },
        { OFPFF_RESET_COUNTS, "reset_counts" },
        { OFPFF_NO_PKT_COUNTS, "no_packet_counts" },
        { OFPFF_NO_BYT_COUNTS, "no_byte_counts" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (flags & names[i].bit) {
            ds_put_format(s, "%s%c", names[i].name, sep);
        }
    }
}

void
ofp_flow_mod_format(const struct ofp_flow_mod *fm, struct ds *s)
{
    ds_put_format(s, "%s ", command_name(fm->command));
    if (fm->table_id && (fm->table_id != OFPTT_ALL || fm->command < OFPFC_DELETE)) {
        ds_put_format(s, "table:%u ", fm->table_id);
    }
    size_t before = s->length;
    ofp_match_format(&fm->match, fm->priority, s);
    if (s->length != before) {
        ds_put_char(s, ' ');
    }
    if (fm->cookie || fm->cookie_mask) {
        ds_put_format(s, "cookie:0x%"PRIx64, fm->cookie);
        if (fm->cookie_mask && fm->command != OFPFC_ADD) {
            ds_put_format(s, "/0x%"PRIx64, fm->cookie_mask);
        }
        ds_put_char(s, ' ');
    }
    if (fm->idle_timeout) {
        ds_put_format(s, "idle:%u ", fm->idle_timeout);
    }
    if (fm->hard_timeout) {
        ds_put_format(s, "hard:%u ", fm->hard_timeout);
    }
    if (fm->importance) {
        ds_put_format(s, "importance:%u ", fm->importance);
    }
    if (fm->buffer_id != OFP_NO_BUFFER) {
        ds_put_format(s, "buf:0x%"PRIx32" ", fm->buffer_id);
    }
    if (fm->out_port != OFPP_ANY) {
        ds_put_cstr(s, "out_port:");
        ofp_port_format(fm->out_port, s);
        ds_put_char(s, ' ');
    }
    if (fm->out_group != OFPG_ANY) {
        ds_put_format(s, "out_group:%"PRIu32" ", fm->out_group);
    }
    format_flags(fm->flags, s, ' ');
    ds_put_cstr(s, "actions=");
    ofpacts_format(&fm->ofpacts, s);
}

/* "3s", "2.500s", "2.000000001s": as ovs-ofctl prints durations, no
 * fraction when there is none, milliseconds when they say it all,
 * otherwise nanoseconds. */
/* 'x' in at least 'width' decimal digits, zeros in front: printf's "%0*u"
 * without printf (once per flow of a dump). */
static void
put_zero_padded(struct ds *s, uint32_t x, int width)
{
    uint32_t limit = 1;
    for (int i = 0; i < width; i++) {
        limit *= 10;
    }
    if (x >= limit) {
        ds_put_uint(s, x);
        return;
    }
    char *p = ds_put_uninit(s, width);
    for (int i = width; i-- > 0; x /= 10) {
        p[i] = '0' + x % 10;
    }
}

static void
format_duration(uint32_t sec, uint32_t nsec, struct ds *s)
{
    ds_put_uint(s, sec);
    if (nsec) {
        ds_put_char(s, '.');
        put_zero_padded(s, nsec / 1000000, 3);
        if (nsec % 1000000) {
            put_zero_padded(s, nsec % 1000000, 6);
        }
    }
    ds_put_char(s, 's');
}

void
ofp_flow_stats_format(const struct ofp_flow_stats *fs, struct ds *s)
{
    /* No printf here: this runs once per flow of a dump. */
    ds_put_cstr(s, " cookie=0x");
    ds_put_hex(s, fs->cookie);
    ds_put_cstr(s, ", duration=");
    format_duration(fs->duration_sec, fs->duration_nsec, s);
    ds_put_cstr(s, ", table=");
    ds_put_uint(s, fs->table_id);
    ds_put_cstr(s, ", n_packets=");
    ds_put_uint(s, fs->packet_count);
    ds_put_cstr(s, ", n_bytes=");
    ds_put_uint(s, fs->byte_count);
    ds_put_cstr(s, ", ");
    if (fs->idle_timeout) {
        ds_put_cstr(s, "idle_timeout=");
        ds_put_uint(s, fs->idle_timeout);
        ds_put_cstr(s, ", ");
    }
    if (fs->hard_timeout) {
        ds_put_cstr(s, "hard_timeout=");
        ds_put_uint(s, fs->hard_timeout);
        ds_put_cstr(s, ", ");
    }
    format_flags(fs->flags, s, ' ');
    /* Ages, as ovs-ofctl prints a Nicira dump (hard_age only when it is
     * not the flow's whole life). */
    if (fs->nx_idle_age) {
        ds_put_cstr(s, "idle_age=");
        ds_put_uint(s, fs->nx_idle_age - 1);
        ds_put_cstr(s, ", ");
    }
    if (fs->nx_hard_age && fs->nx_hard_age - 1u != fs->duration_sec) {
        ds_put_cstr(s, "hard_age=");
        ds_put_uint(s, fs->nx_hard_age - 1);
        ds_put_cstr(s, ", ");
    }
    size_t before = s->length;
    ofp_match_format(&fs->match, fs->priority, s);
    if (s->length != before) {
        ds_put_char(s, ' ');
    }
    ds_put_cstr(s, "actions=");
    ofpacts_format(&fs->ofpacts, s);
}

const char *
ofp_version_tag(uint8_t version)
{
    switch (version) {
    case OFP10_VERSION: return "";
    case OFP13_VERSION: return " (OF1.3)";
    case OFP14_VERSION: return " (OF1.4)";
    case OFP15_VERSION: return " (OF1.5)";
    default: return " (OF?)";
    }
}

void
ofp_print_msg(const void *msg, size_t len, struct ds *s)
{
    struct ofp_msg_header h;
    struct ofpbuf body;
    enum ofperr error = ofptype_decode(msg, len, &h, &body);
    if (error) {
        ds_put_format(s, "***decode error: %s***", ofperr_get_name(error));
        return;
    }
    if (ofp_monitor_msg_format(msg, len, &h, s)) {
        return;                 /* Flow monitoring has names of its own. */
    }
    if (h.type == OFPTYPE_EXPERIMENTER
        && nx_msg_subtype(msg, len) == NXT_PACKET_IN2) {
        nx_packet_in2_format(msg, len, &h, s);
        return;                 /* Any version, as ovs-ofctl names it. */
    }
    if (h.type == OFPTYPE_EXPERIMENTER && h.version != OFP10_VERSION
        && nx_msg_subtype(msg, len) == NXT_PACKET_IN) {
        nx_packet_in_format(msg, len, &h, s);
        return;                 /* -P nxt_packet_in on OF1.1+. */
    }
    if (nx_msg_format(msg, len, &h, s)) {
        return;                 /* So do Nicira's OpenFlow 1.0 messages. */
    }
    ds_put_format(s, "%s%s (xid=0x%"PRIx32"):", ofptype_get_name(h.type),
                  ofp_version_tag(h.version), h.xid);
    switch (h.type) {
    case OFPTYPE_HELLO: {
        uint32_t versions;
        error = ofp_hello_decode(msg, len, &versions);
        if (!error) {
            ds_put_cstr(s, " version bitmap:");
            for (int v = 1; v < 32; v++) {
                if (versions & OFP_VERSION_BIT(v)) {
                    ds_put_format(s, " 0x%02x", v);
                }
            }
        }
        break;
    }
    case OFPTYPE_ERROR: {
        struct ofp_error_msg em;
        error = ofp_error_decode(msg, len, &em);
        if (!error) {
            ds_put_format(s, " %s", em.error ? ofperr_get_name(em.error)
                          : "unknown error");
            if (!em.error) {
                ds_put_format(s, " type=%u code=%u", em.type, em.code);
            }
        }
        break;
    }
    case OFPTYPE_FLOW_MOD: {
        struct ofp_flow_mod fm;
        ofp_flow_mod_init(&fm);
        error = ofp_flow_mod_decode(msg, len, &fm);
        if (!error) {
            ds_put_char(s, ' ');
            ofp_flow_mod_format(&fm, s);
        }
        ofp_flow_mod_uninit(&fm);
        break;
    }
    case OFPTYPE_FLOW_STATS_REPLY: {
        struct ofp_flow_stats fs;
        bool done = false;
        memset(&fs, 0, sizeof fs);
        while (!error) {
            error = ofp_flow_stats_pull(&body, h.version, &fs, &done);
            if (error || done) {
                break;
            }
            ds_put_char(s, '\n');
            ofp_flow_stats_format(&fs, s);
        }
        ofp_flow_stats_uninit(&fs);
        break;
    }
    case OFPTYPE_FLOW_REMOVED: {
        static const char *reasons[] = { "idle", "hard", "delete", "group_delete",
                                         "meter_delete", "eviction" };
        struct ofp_flow_removed fr;
        error = ofp_flow_removed_decode(msg, len, &fr);
        if (!error) {
            ds_put_char(s, ' ');
            ofp_match_format(&fr.match, fr.priority, s);
            if (fr.cookie) {
                ds_put_format(s, " cookie:0x%"PRIx64, fr.cookie);
            }
            ds_put_format(s, " reason=%s", fr.reason < 6 ? reasons[fr.reason] : "?");
            if (h.version != OFP10_VERSION) {
                ds_put_format(s, " table_id=%u", fr.table_id);
            }
            ds_put_cstr(s, " duration");
            format_duration(fr.duration_sec, fr.duration_nsec, s);
            ds_put_format(s, " idle%u", fr.idle_timeout);
            if (fr.hard_timeout) {
                ds_put_format(s, " hard%u", fr.hard_timeout);
            }
            ds_put_format(s, " pkts%"PRIu64" bytes%"PRIu64, fr.packet_count,
                          fr.byte_count);
        }
        break;
    }
    case OFPTYPE_AGGREGATE_STATS_REPLY: {
        struct ofp_aggregate_stats as;
        error = ofp_aggregate_stats_reply_decode(msg, len, &as);
        if (!error) {
            ds_put_format(s, " packet_count=%"PRIu64" byte_count=%"PRIu64
                          " flow_count=%"PRIu32, as.packet_count, as.byte_count,
                          as.flow_count);
        }
        break;
    }
    case OFPTYPE_GROUP_MOD: {
        struct ofp_group_mod gm;
        ofp_group_mod_init(&gm);
        error = ofp_group_mod_decode(msg, len, &gm);
        if (!error) {
            ds_put_cstr(s, "\n ");
            ofp_group_mod_format(&gm, s);
        }
        ofp_group_mod_uninit(&gm);
        break;
    }
    case OFPTYPE_METER_MOD: {
        struct ofp_meter_mod mm;
        ofp_meter_mod_init(&mm);
        error = ofp_meter_mod_decode(msg, len, &mm);
        if (!error) {
            ds_put_char(s, ' ');
            ofp_meter_mod_format(&mm, s);
        }
        ofp_meter_mod_uninit(&mm);
        break;
    }
    case OFPTYPE_BUNDLE_CONTROL: {
        static const char *types[] = { "OPEN_REQUEST", "OPEN_REPLY", "CLOSE_REQUEST",
                                       "CLOSE_REPLY", "COMMIT_REQUEST", "COMMIT_REPLY",
                                       "DISCARD_REQUEST", "DISCARD_REPLY" };
        struct ofp_bundle_ctrl bc;
        error = ofp_bundle_ctrl_decode(msg, len, &bc);
        if (!error) {
            ds_put_format(s, "\n bundle_id=%#"PRIx32" type=%s flags=%s%s",
                          bc.bundle_id, types[bc.type],
                          bc.flags & OFPBF_ATOMIC ? "atomic " : "",
                          bc.flags & OFPBF_ORDERED ? "ordered" : "");
            ds_chomp(s, ' ');
        }
        break;
    }
    case OFPTYPE_BUNDLE_ADD_MESSAGE: {
        struct ofp_bundle_add ba;
        error = ofp_bundle_add_decode(msg, len, &ba);
        if (!error) {
            ds_put_format(s, "\n bundle_id=%#"PRIx32"\n", ba.bundle_id);
            ofp_print_msg(ba.msg, ba.msg_len, s);
        }
        break;
    }
    default:
        error = ofp_switch_msg_format(msg, len, &h, s);
        break;
    }
    if (error) {
        ds_put_format(s, " ***decode error: %s***", ofperr_get_name(error));
    }
}

char *
ofp_msg_to_string(const void *msg, size_t len)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    ofp_print_msg(msg, len, &s);
    return ds_steal_cstr(&s);
}
