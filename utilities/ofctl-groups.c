/* vs-ofctl group and meter commands (OpenFlow 1.1+ and 1.3+). */
#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dynamic-string.h"
#include "ofctl-conn.h"
#include "ofctl.h"
#include "ofp-flow.h"
#include "ofp-group.h"
#include "ofp-meter.h"
#include "ofp-msgs.h"
#include "ofp-print.h"
#include "util.h"

static void
print_and_free(struct ds *s)
{
    fputs(ds_cstr(s), stdout);
    ds_destroy(s);
}

/* ---- Groups. ---- */

static void
parse_group_or_die(const char *text, int command, struct ofp_group_mod *gm,
                   const char *where)
{
    char *converted = ofctl_names_to_ports(text);
    ofp_group_mod_init(gm);
    char *error = ofp_parse_group_mod(converted, command, gm);
    free(converted);
    if (error) {
        vs_fatal(0, "%s%s%s", where ? where : "", where ? ": " : "", error);
    }
}

static void
send_group_mod(struct ofctl_conn *c, const struct ofp_group_mod *gm)
{
    struct ofpbuf *msg;
    enum ofperr e = ofp_group_mod_encode(gm, c->version, ofctl_xid(c), &msg);
    if (e) {
        vs_fatal(0, "%s cannot express this group (%s)",
                 ofp_version_to_string(c->version), ofperr_get_name(e));
    }
    ofctl_send(c, msg);
}

static void
group_mod_cmd(const char *target, const char *text, int command)
{
    struct ofctl_conn *c = ofctl_open_for(target, OFP13_VERSION, "groups");
    struct ofp_group_mod gm;
    parse_group_or_die(text, command, &gm, NULL);
    send_group_mod(c, &gm);
    ofp_group_mod_uninit(&gm);
    int before = c->n_errors;
    ofctl_barrier(c);
    bool ok = c->n_errors == before;
    ofctl_close(c);
    exit(ok ? 0 : 1);
}

static void
cmd_add_group(int argc VS_UNUSED, char *argv[])
{
    group_mod_cmd(argv[1], argv[2], OFPGC_ADD);
}

static void
cmd_mod_group(int argc VS_UNUSED, char *argv[])
{
    group_mod_cmd(argv[1], argv[2], OFPGC_MODIFY);
}

static void
cmd_del_groups(int argc, char *argv[])
{
    group_mod_cmd(argv[1], argc > 2 ? argv[2] : "group_id=all", OFPGC_DELETE);
}

struct groups_aux {
    struct ofctl_conn *conn;
    const char *file;
};

static void
add_groups_line(char *line, int line_no, void *aux_)
{
    struct groups_aux *aux = aux_;
    char where[64];
    snprintf(where, sizeof where, "%.40s:%d", aux->file, line_no);
    struct ofp_group_mod gm;
    parse_group_or_die(line, OFPGC_ADD, &gm, where);
    send_group_mod(aux->conn, &gm);
    ofp_group_mod_uninit(&gm);
}

static void
cmd_add_groups(int argc VS_UNUSED, char *argv[])
{
    struct ofctl_conn *c = ofctl_open_for(argv[1], OFP13_VERSION, "groups");
    struct groups_aux aux = { c, argv[2] };
    ofctl_read_lines(argv[2], add_groups_line, &aux);
    ofctl_barrier(c);
    bool ok = !c->n_errors;
    ofctl_close(c);
    exit(ok ? 0 : 1);
}

/* The group id named by an optional "group_id=N" argument. */
static uint32_t
group_id_arg(int argc, char *argv[])
{
    if (argc <= 2) {
        return OFPG_ALL;
    }
    struct ofp_group_mod gm;
    parse_group_or_die(argv[2], OFPGC_DELETE, &gm, NULL);
    uint32_t id = gm.group_id;
    ofp_group_mod_uninit(&gm);
    return id;
}

static void
cmd_dump_groups(int argc, char *argv[])
{
    struct ofctl_conn *c = ofctl_open_for(argv[1], OFP13_VERSION, "groups");
    uint32_t only = group_id_arg(argc, argv);
    struct ofpbuf *rq = ofpmsg_alloc(OFPTYPE_GROUP_DESC_STATS_REQUEST, c->version,
                                     ofctl_xid(c), 8);
    if (c->version >= OFP15_VERSION) {
        ofpbuf_put_be32(rq, only);      /* OF1.5 asks for one group or all. */
        ofpbuf_put_zeros(rq, 4);
        ofpmsg_update_length(rq);
    }
    struct ofpbuf **replies;
    size_t n = ofctl_dump(c, rq, &replies);
    struct ds s = DS_EMPTY_INITIALIZER;
    for (size_t i = 0; i < n; i++) {
        struct ofpbuf body;
        ofctl_put_reply_header(&s, replies[i], &body);
        while (body.size) {
            struct ofp_group_mod gm;
            ofp_group_mod_init(&gm);
            enum ofperr e = ofp_group_desc_pull(&body, c->version, &gm);
            if (e) {
                vs_fatal(0, "%s: bad group description (%s)", c->name,
                         ofperr_get_name(e));
            }
            if (only == OFPG_ALL || gm.group_id == only) {
                /* The group_mod text without its "ADD " command word. */
                struct ds g = DS_EMPTY_INITIALIZER;
                gm.command = OFPGC_ADD;
                ofp_group_mod_format(&gm, &g);
                const char *text = ds_cstr(&g);
                text += strcspn(text, " ") + 1;
                if (ofctl_opts.names) {
                    char *named = ofctl_ports_to_names(text);
                    ds_put_format(&s, " %s\n", named);
                    free(named);
                } else {
                    ds_put_format(&s, " %s\n", text);
                }
                ds_destroy(&g);
            }
            ofp_group_mod_uninit(&gm);
        }
    }
    print_and_free(&s);
    ofctl_free_replies(replies, n);
    ofctl_close(c);
}

static void
cmd_dump_group_stats(int argc, char *argv[])
{
    struct ofctl_conn *c = ofctl_open_for(argv[1], OFP13_VERSION, "groups");
    uint32_t id = group_id_arg(argc, argv);
    struct ofpbuf **replies;
    size_t n = ofctl_dump(c, ofp_group_stats_request_encode(id, c->version,
                                                            ofctl_xid(c)), &replies);
    struct ds s = DS_EMPTY_INITIALIZER;
    for (size_t i = 0; i < n; i++) {
        struct ofpbuf body;
        ofctl_put_reply_header(&s, replies[i], &body);
        while (body.size) {
            struct ofp_group_stats gs;
            memset(&gs, 0, sizeof gs);
            enum ofperr e = ofp_group_stats_pull(&body, &gs);
            if (e) {
                vs_fatal(0, "%s: bad group stats (%s)", c->name, ofperr_get_name(e));
            }
            ds_put_format(&s, " group_id=%"PRIu32",duration=", gs.group_id);
            ofctl_put_duration(&s, gs.duration_sec, gs.duration_nsec);
            ds_put_format(&s, ",ref_count=%"PRIu32",packet_count=%"PRIu64
                          ",byte_count=%"PRIu64, gs.ref_count, gs.packet_count,
                          gs.byte_count);
            for (size_t b = 0; b < gs.n_buckets; b++) {
                ds_put_format(&s, ",bucket%zu:packet_count=%"PRIu64",byte_count=%"
                              PRIu64, b, gs.bucket_packets[b], gs.bucket_bytes[b]);
            }
            ds_put_char(&s, '\n');
            ofp_group_stats_uninit(&gs);
        }
    }
    print_and_free(&s);
    ofctl_free_replies(replies, n);
    ofctl_close(c);
}

/* OpenFlow 1.1+ action type numbers as ovs-ofctl names them. */
static void
put_action_bits(struct ds *s, uint32_t bits)
{
    static const char *const names[] = {
        [0] = "output", [11] = "copy_ttl_out", [12] = "copy_ttl_in",
        [15] = "set_mpls_ttl", [16] = "dec_mpls_ttl", [17] = "push_vlan",
        [18] = "strip_vlan", [19] = "push_mpls", [20] = "pop_mpls",
        [21] = "set_queue", [22] = "group", [23] = "mod_nw_ttl", [24] = "dec_ttl",
        [25] = "set_field", [26] = "push_pbb", [27] = "pop_pbb",
    };
    for (int i = 0; i < 32; i++) {
        if (bits & (1u << i)) {
            if (i < (int) (sizeof names / sizeof *names) && names[i]) {
                ds_put_format(s, " %s", names[i]);
            } else {
                ds_put_format(s, " 0x%x", 1u << i);
            }
        }
    }
}

static void
cmd_dump_group_features(int argc VS_UNUSED, char *argv[])
{
    static const char *const types[] = { "all", "select", "indirect",
                                         "fast failover" };
    struct ofctl_conn *c = ofctl_open_for(argv[1], OFP13_VERSION, "groups");
    struct ofpbuf **replies;
    size_t n = ofctl_dump(c, ofpmsg_alloc(OFPTYPE_GROUP_FEATURES_STATS_REQUEST,
                                          c->version, ofctl_xid(c), 0), &replies);
    struct ds s = DS_EMPTY_INITIALIZER;
    for (size_t i = 0; i < n; i++) {
        struct ofpbuf body;
        ofctl_put_reply_header(&s, replies[i], &body);
        struct ofp_group_features gf;
        enum ofperr e = ofp_group_features_reply_decode(replies[i]->data,
                                                        replies[i]->size, &gf);
        if (e) {
            vs_fatal(0, "%s: bad group features (%s)", c->name, ofperr_get_name(e));
        }
        ds_put_format(&s, " Group table:\n    Types:  0x%"PRIx32"\n    Capabilities:"
                      "  0x%"PRIx32"\n", gf.types, gf.capabilities);
        for (int t = 0; t < 4; t++) {
            if (gf.types & (1u << t)) {
                ds_put_format(&s, "    %s group:\n       max_groups=0x%"PRIx32
                              "\n       actions:", types[t], gf.max_groups[t]);
                put_action_bits(&s, gf.actions[t]);
                ds_put_char(&s, '\n');
            }
        }
    }
    print_and_free(&s);
    ofctl_free_replies(replies, n);
    ofctl_close(c);
}

/* ---- Meters. ---- */

static void
parse_meter_or_die(const char *text, int command, struct ofp_meter_mod *mm)
{
    ofp_meter_mod_init(mm);
    char *error = ofp_parse_meter_mod(text, command, mm);
    if (error) {
        vs_fatal(0, "%s", error);
    }
}

static void
meter_mod_cmd(const char *target, const char *text, int command)
{
    struct ofctl_conn *c = ofctl_open_for(target, OFP13_VERSION, "meters");
    struct ofp_meter_mod mm;
    parse_meter_or_die(text, command, &mm);
    struct ofpbuf *msg;
    enum ofperr e = ofp_meter_mod_encode(&mm, c->version, ofctl_xid(c), &msg);
    if (e) {
        vs_fatal(0, "cannot encode meter (%s)", ofperr_get_name(e));
    }
    ofp_meter_mod_uninit(&mm);
    bool ok = ofctl_transact_noreply(c, msg);
    ofctl_close(c);
    exit(ok ? 0 : 1);
}

static void
cmd_add_meter(int argc VS_UNUSED, char *argv[])
{
    meter_mod_cmd(argv[1], argv[2], OFPMC_ADD);
}

static void
cmd_mod_meter(int argc VS_UNUSED, char *argv[])
{
    meter_mod_cmd(argv[1], argv[2], OFPMC_MODIFY);
}

static void
cmd_del_meters(int argc, char *argv[])
{
    meter_mod_cmd(argv[1], argc > 2 ? argv[2] : "meter=all", OFPMC_DELETE);
}

static uint32_t
meter_id_arg(int argc, char *argv[])
{
    if (argc <= 2) {
        return OFPM_ALL;
    }
    struct ofp_meter_mod mm;
    parse_meter_or_die(argv[2], OFPMC_DELETE, &mm);
    uint32_t id = mm.meter_id;
    ofp_meter_mod_uninit(&mm);
    return id;
}

static void
cmd_dump_meters(int argc, char *argv[])
{
    struct ofctl_conn *c = ofctl_open_for(argv[1], OFP13_VERSION, "meters");
    uint32_t id = meter_id_arg(argc, argv);
    struct ofpbuf **replies;
    size_t n = ofctl_dump(c, ofp_meter_request_encode(OFPTYPE_METER_CONFIG_STATS_REQUEST,
                                                      id, c->version, ofctl_xid(c)),
                          &replies);
    struct ds s = DS_EMPTY_INITIALIZER;
    size_t n_meters = 0;
    for (size_t i = 0; i < n; i++) {
        struct ofpbuf body;
        ofctl_put_reply_header(&s, replies[i], &body);
        while (body.size) {
            struct ofp_meter_mod mm;
            ofp_meter_mod_init(&mm);
            enum ofperr e = ofp_meter_config_pull(&body, &mm);
            if (e) {
                vs_fatal(0, "%s: bad meter config (%s)", c->name, ofperr_get_name(e));
            }
            struct ds m = DS_EMPTY_INITIALIZER;
            mm.command = OFPMC_ADD;
            if (!(mm.flags & OFPMF_BURST)) {
                /* A switch may report a burst size it chose itself;
                 * ovs-ofctl shows it only for meters that asked for one. */
                for (size_t b = 0; b < mm.n_bands; b++) {
                    mm.bands[b].burst_size = 0;
                }
            }
            if (n_meters++) {
                ds_put_char(&s, '\n');     /* A blank line between meters. */
            }
            ofp_meter_mod_format(&mm, &m);
            const char *text = ds_cstr(&m);
            ds_put_format(&s, "%s\n", text + strcspn(text, " ") + 1);
            ds_destroy(&m);
            ofp_meter_mod_uninit(&mm);
        }
    }
    print_and_free(&s);
    ofctl_free_replies(replies, n);
    ofctl_close(c);
}

static void
cmd_meter_stats(int argc, char *argv[])
{
    struct ofctl_conn *c = ofctl_open_for(argv[1], OFP13_VERSION, "meters");
    uint32_t id = meter_id_arg(argc, argv);
    struct ofpbuf **replies;
    size_t n = ofctl_dump(c, ofp_meter_request_encode(OFPTYPE_METER_STATS_REQUEST, id,
                                                      c->version, ofctl_xid(c)),
                          &replies);
    struct ds s = DS_EMPTY_INITIALIZER;
    for (size_t i = 0; i < n; i++) {
        struct ofpbuf body;
        ofctl_put_reply_header(&s, replies[i], &body);
        while (body.size) {
            struct ofp_meter_stats ms;
            enum ofperr e = ofp_meter_stats_pull(&body, &ms);
            if (e) {
                vs_fatal(0, "%s: bad meter stats (%s)", c->name, ofperr_get_name(e));
            }
            ds_put_format(&s, "meter:%"PRIu32" flow_count:%"PRIu32" packet_in_count:%"
                          PRIu64" byte_in_count:%"PRIu64" duration:", ms.meter_id,
                          ms.flow_count, ms.packet_in_count, ms.byte_in_count);
            ofctl_put_duration(&s, ms.duration_sec, ms.duration_nsec);
            ds_put_cstr(&s, " bands:\n");
            for (size_t b = 0; b < ms.n_bands && b < 8; b++) {
                ds_put_format(&s, "%zu: packet_count:%"PRIu64" byte_count:%"PRIu64"\n",
                              b, ms.band_packets[b], ms.band_bytes[b]);
            }
        }
    }
    print_and_free(&s);
    ofctl_free_replies(replies, n);
    ofctl_close(c);
}

static void
cmd_meter_features(int argc VS_UNUSED, char *argv[])
{
    struct ofctl_conn *c = ofctl_open_for(argv[1], OFP13_VERSION, "meters");
    struct ofpbuf **replies;
    size_t n = ofctl_dump(c, ofpmsg_alloc(OFPTYPE_METER_FEATURES_STATS_REQUEST,
                                          c->version, ofctl_xid(c), 0), &replies);
    struct ds s = DS_EMPTY_INITIALIZER;
    for (size_t i = 0; i < n; i++) {
        struct ofpbuf body;
        ofctl_put_reply_header(&s, replies[i], &body);
        struct ofp_meter_features mf;
        enum ofperr e = ofp_meter_features_reply_decode(replies[i]->data,
                                                        replies[i]->size, &mf);
        if (e) {
            vs_fatal(0, "%s: bad meter features (%s)", c->name, ofperr_get_name(e));
        }
        ds_put_format(&s, "max_meter:%"PRIu32" max_bands:%u max_color:%u\nband_types:",
                      mf.max_meter, mf.max_bands, mf.max_color);
        if (mf.band_types & (1u << OFPMBT_DROP)) {
            ds_put_cstr(&s, " drop");
        }
        if (mf.band_types & (1u << OFPMBT_DSCP_REMARK)) {
            ds_put_cstr(&s, " dscp_remark");
        }
        ds_put_cstr(&s, "\ncapabilities:");
        static const char *const caps[] = { "kbps", "pktps", "burst", "stats" };
        for (int b = 0; b < 4; b++) {
            if (mf.capabilities & (1u << b)) {
                ds_put_format(&s, " %s", caps[b]);
            }
        }
        ds_put_char(&s, '\n');
    }
    print_and_free(&s);
    ofctl_free_replies(replies, n);
    ofctl_close(c);
}

const struct ofctl_command ofctl_group_commands[] = {
    { "add-group", 2, 2, cmd_add_group },
    { "add-groups", 2, 2, cmd_add_groups },
    { "mod-group", 2, 2, cmd_mod_group },
    { "del-groups", 1, 2, cmd_del_groups },
    { "dump-groups", 1, 2, cmd_dump_groups },
    { "dump-group-stats", 1, 2, cmd_dump_group_stats },
    { "dump-group-features", 1, 1, cmd_dump_group_features },
    { "add-meter", 2, 2, cmd_add_meter },
    { "mod-meter", 2, 2, cmd_mod_meter },
    { "del-meters", 1, 2, cmd_del_meters },
    { "dump-meters", 1, 2, cmd_dump_meters },
    { "meter-stats", 1, 2, cmd_meter_stats },
    { "meter-features", 1, 1, cmd_meter_features },
    { NULL, 0, 0, NULL },
};
