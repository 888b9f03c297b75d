/* vs-ofctl flow table commands: dump-flows, dump-aggregate, add-flow(s),
 * mod-flows, del-flows, replace-flows, diff-flows. */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "dynamic-string.h"
#include "ofctl-conn.h"
#include "ofctl.h"
#include "ofp-bundle.h"
#include "ofp-fields.h"
#include "ofp-flow.h"
#include "ofp-match.h"
#include "ofp-msgs.h"
#include "ofp-nx.h"
#include "ofp-parse.h"
#include "ofp-print.h"
#include "util.h"

/* ---- Parsing flows from the command line or a file. ---- */

/* Parses 'text' for 'command' into 'fm' (initialized here), accepting port
 * names.  Exits with the parser's message on error. */
static void
parse_flow_or_die(const char *text, int command, struct ofp_flow_mod *fm,
                  const char *where)
{
    char *converted = ofctl_names_to_ports(text);
    ofp_flow_mod_init(fm);
    char *error = ofp_parse_flow_mod(converted, command, fm);
    free(converted);
    if (error) {
        if (where) {
            vs_fatal(0, "%s: %s", where, error);
        }
        vs_fatal(0, "%s", error);
    }
}

/* Splits an optional leading command word off a flow file line ("add",
 * "modify", "modify_strict", "delete", "delete_strict"), as ovs-ofctl's
 * flow files allow; returns the command, or 'dflt'. */
static int
line_command(char **linep, int dflt)
{
    static const struct { const char *name; int command; } words[] = {
        { "add", OFPFC_ADD }, { "modify", OFPFC_MODIFY },
        { "modify_strict", OFPFC_MODIFY_STRICT }, { "delete", OFPFC_DELETE },
        { "delete_strict", OFPFC_DELETE_STRICT },
    };
    char *line = *linep;
    size_t n = strcspn(line, " \t");
    if (!line[n]) {
        return dflt;
    }
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        if (strlen(words[i].name) == n && !strncasecmp(line, words[i].name, n)) {
            *linep = line + n + strspn(line + n, " \t");
            return words[i].command;
        }
    }
    return dflt;
}

/* ---- OpenFlow 1.0 with Nicira extensions, as ovs-ofctl speaks it. ---- */

/* Switches the connection to Nicira's NXM flow format (and, if
 * 'table_id', on the table id in flow mods) once; exits if the switch
 * refuses. */
static void
nx_enable(struct ofctl_conn *c, bool table_id)
{
    if (!c->nxm) {
        if (!ofctl_transact_noreply(c, nx_set_flow_format_encode(
                                        NXFF_NXM, ofctl_xid(c)))) {
            vs_fatal(0, "%s: the switch refused Nicira's NXM flow format",
                     c->name);
        }
        c->nxm = true;
    }
    if (table_id && !c->nx_table_id) {
        if (!ofctl_transact_noreply(c, nx_flow_mod_table_id_encode(
                                        true, ofctl_xid(c)))) {
            vs_fatal(0, "%s: the switch refused table ids in flow mods",
                     c->name);
        }
        c->nx_table_id = true;
    }
}

/* True if OpenFlow 1.0's own flow_mod cannot carry 'fm': a match it has
 * no field for, a table other than 0, a cookie mask. */
static bool
flow_mod_needs_nxm(const struct ofp_flow_mod *fm)
{
    return (!ofp10_match_is_expressible(&fm->match)
            || (fm->table_id && fm->table_id != OFPTT_ALL)
            || (fm->command != OFPFC_ADD && fm->cookie_mask));
}

static struct ofpbuf *
encode_flow_mod(struct ofctl_conn *c, const struct ofp_flow_mod *fm_, uint32_t xid)
{
    struct ofpbuf *msg;
    enum ofperr e;
    struct ofp_flow_mod copy = *fm_;        /* Shares the actions. */
    struct ofp_flow_mod *fm = &copy;
    if (c->version == OFP10_VERSION
        && (fm->command == OFPFC_MODIFY || fm->command == OFPFC_MODIFY_STRICT)
        && !fm->cookie_mask) {
        /* OpenFlow 1.0's modify sets the cookie it carries; all ones
         * (no cookie= given) leaves the flows' own. */
        fm->new_cookie = fm->cookie ? fm->cookie : UINT64_MAX;
        fm->cookie = fm->new_cookie;
    }
    if (c->version == OFP10_VERSION
        && (c->nx_table_id || flow_mod_needs_nxm(fm))) {
        nx_enable(c, fm->table_id && fm->table_id != OFPTT_ALL);
        if (fm->command != OFPFC_ADD) {
            fm->cookie = fm_->cookie;
        }
        e = nx_flow_mod_encode(fm, c->nx_table_id, xid, &msg);
    } else {
        e = ofp_flow_mod_encode(fm, c->version, xid, &msg);
    }
    if (e) {
        struct ds s = DS_EMPTY_INITIALIZER;
        ofp_flow_mod_format(fm, &s);
        vs_fatal(0, "%s cannot express this flow (%s): %s",
                 ofp_version_to_string(c->version), ofperr_get_name(e), ds_cstr(&s));
    }
    return msg;
}

/* ---- Sending flow_mods: pipelined, or in one bundle (--bundle). ---- */

/* Flow_mods are encoded into 'pending' and sent only once every one of
 * them parsed and encoded, so that a bad line in a file changes nothing;
 * then they go out back to back, and one barrier waits for them all. */
struct flow_sender {
    struct ofctl_conn *conn;
    bool bundle;
    uint32_t bundle_id;
    size_t n;
    struct ofpbuf *pending;
};

static void
bundle_ctrl_or_die(struct ofctl_conn *c, uint32_t id, uint16_t type)
{
    struct ofp_bundle_ctrl bc = { id, type, OFPBF_ATOMIC | OFPBF_ORDERED };
    struct ofpbuf *reply = ofctl_transact(c, ofp_bundle_ctrl_encode(&bc, c->version,
                                                                    ofctl_xid(c)));
    struct ofp_bundle_ctrl got;
    if (ofp_bundle_ctrl_decode(reply->data, reply->size, &got)
        || got.type != type + 1) {
        vs_fatal(0, "%s: unexpected reply to a bundle control request", c->name);
    }
    ofpbuf_delete(reply);
}

static void
sender_start(struct flow_sender *fs, struct ofctl_conn *c)
{
    fs->conn = c;
    fs->bundle = ofctl_opts.bundle;
    fs->bundle_id = 1;
    fs->n = 0;
    fs->pending = ofpbuf_new(0);
    if (fs->bundle) {
        if (c->version < OFP14_VERSION) {
            vs_fatal(0, "--bundle needs OpenFlow 1.4 or later (use -O OpenFlow14)");
        }
        bundle_ctrl_or_die(c, fs->bundle_id, OFPBCT_OPEN_REQUEST);
    }
}

static void
sender_add(struct flow_sender *fs, const struct ofp_flow_mod *fm)
{
    struct ofctl_conn *c = fs->conn;
    uint32_t xid = ofctl_xid(c);
    struct ofpbuf *msg = encode_flow_mod(c, fm, xid);
    if (fs->bundle) {
        struct ofpbuf *wrapped = ofp_bundle_add_encode(fs->bundle_id,
                                                       OFPBF_ATOMIC | OFPBF_ORDERED,
                                                       msg->data, msg->size,
                                                       c->version, xid);
        ofpbuf_delete(msg);
        msg = wrapped;
    }
    ofctl_log_msg(c, "sent", msg);
    ofpbuf_put(fs->pending, msg->data, msg->size);
    ofpbuf_delete(msg);
    fs->n++;
}

/* Ends the batch; returns false if the switch reported errors. */
static bool
sender_finish(struct flow_sender *fs)
{
    struct ofctl_conn *c = fs->conn;
    int before = c->n_errors;
    ofctl_send_raw(c, fs->pending);
    fs->pending = NULL;
    ofctl_barrier(c);
    if (fs->bundle) {
        if (c->n_errors != before) {
            struct ofp_bundle_ctrl bc = { fs->bundle_id, OFPBCT_DISCARD_REQUEST,
                                          OFPBF_ATOMIC | OFPBF_ORDERED };
            ofctl_send(c, ofp_bundle_ctrl_encode(&bc, c->version, ofctl_xid(c)));
            ofctl_barrier(c);
            return false;
        }
        bundle_ctrl_or_die(c, fs->bundle_id, OFPBCT_COMMIT_REQUEST);
    }
    return c->n_errors == before;
}

/* ---- add-flow, add-flows, mod-flows, del-flows. ---- */

static void
cmd_add_flow(int argc VS_UNUSED, char *argv[])
{
    struct ofctl_conn *c = ofctl_open_switch(argv[1]);
    struct ofp_flow_mod fm;
    parse_flow_or_die(argv[2], OFPFC_ADD, &fm, NULL);
    struct flow_sender fs;
    sender_start(&fs, c);
    sender_add(&fs, &fm);
    ofp_flow_mod_uninit(&fm);
    bool ok = sender_finish(&fs);
    ofctl_close(c);
    exit(ok ? 0 : 1);
}

struct add_flows_aux {
    struct flow_sender *fs;
    const char *file;
};

static void
add_flows_line(char *line, int line_no, void *aux_)
{
    struct add_flows_aux *aux = aux_;
    int command = line_command(&line, OFPFC_ADD);
    char where[64];
    snprintf(where, sizeof where, "%.40s:%d", aux->file, line_no);
    struct ofp_flow_mod fm;
    parse_flow_or_die(line, command, &fm, where);
    sender_add(aux->fs, &fm);
    ofp_flow_mod_uninit(&fm);
}

static void
cmd_add_flows(int argc VS_UNUSED, char *argv[])
{
    struct ofctl_conn *c = ofctl_open_switch(argv[1]);
    struct flow_sender fs;
    sender_start(&fs, c);
    struct add_flows_aux aux = { &fs, argv[2] };
    ofctl_read_lines(argv[2], add_flows_line, &aux);
    bool ok = sender_finish(&fs);
    ofctl_close(c);
    exit(ok ? 0 : 1);
}

static void
mod_or_del(int argc, char *argv[], int command)
{
    struct ofctl_conn *c = ofctl_open_switch(argv[1]);
    struct ofp_flow_mod fm;
    parse_flow_or_die(argc > 2 ? argv[2] : "", command, &fm, NULL);
    struct flow_sender fs;
    sender_start(&fs, c);
    sender_add(&fs, &fm);
    ofp_flow_mod_uninit(&fm);
    bool ok = sender_finish(&fs);
    ofctl_close(c);
    exit(ok ? 0 : 1);
}

static void
cmd_mod_flows(int argc, char *argv[])
{
    mod_or_del(argc, argv, ofctl_opts.strict ? OFPFC_MODIFY_STRICT : OFPFC_MODIFY);
}

static void
cmd_del_flows(int argc, char *argv[])
{
    mod_or_del(argc, argv, ofctl_opts.strict ? OFPFC_DELETE_STRICT : OFPFC_DELETE);
}

/* ---- dump-flows and dump-aggregate. ---- */

static void
stats_request_from_text(const char *text, struct ofp_flow_stats_request *rq)
{
    struct ofp_flow_mod fm;
    parse_flow_or_die(text ? text : "", OFPFC_DELETE, &fm, NULL);
    memset(rq, 0, sizeof *rq);
    rq->match = fm.match;
    rq->table_id = fm.table_id;
    rq->out_port = fm.out_port;
    rq->out_group = fm.out_group;
    rq->cookie = fm.cookie;
    rq->cookie_mask = fm.cookie_mask;
    ofp_flow_mod_uninit(&fm);
}

/* A flow (or aggregate) stats request for 'rq'; OpenFlow 1.0 asks with
 * Nicira's NXST_FLOW, as ovs-ofctl does, so that flows OF1.0's match
 * cannot say are dumped too. */
static struct ofpbuf *
flow_stats_request(struct ofctl_conn *c,
                   const struct ofp_flow_stats_request *rq)
{
    if (c->version == OFP10_VERSION) {
        nx_enable(c, false);
        return nx_flow_stats_request_encode(rq, ofctl_xid(c));
    }
    return ofp_flow_stats_request_encode(rq, c->version, ofctl_xid(c));
}

/* Decodes flow stats reply 'reply' into 'h' and its entries 'body' (after
 * Nicira's longer header for NXST_FLOW). */
static void
flow_reply_body(const struct ofpbuf *reply, struct ofp_msg_header *h,
                struct ofpbuf *body)
{
    ofptype_decode(reply->data, reply->size, h, body);
    if (h->type == OFPTYPE_EXPERIMENTER_STATS_REPLY) {
        ofpbuf_use_const(body, reply->data + MIN(reply->size,
                                                 NX_STATS_HEADER_LEN),
                         reply->size - MIN(reply->size, NX_STATS_HEADER_LEN));
    }
}

/* Pulls the next entry of a flow stats reply (from flow_reply_body()),
 * Nicira's too. */
static enum ofperr
flow_stats_pull(const struct ofp_msg_header *h, struct ofpbuf *body,
                struct ofp_flow_stats *fs, bool *done)
{
    if (h->type == OFPTYPE_EXPERIMENTER_STATS_REPLY) {
        return nx_flow_stats_pull(body, fs, done);
    }
    return ofp_flow_stats_pull(body, h->version, fs, done);
}

/* Every flow the switch has that 'text' (a dump-flows filter) selects. */
static struct ofp_flow_stats *
fetch_flows(struct ofctl_conn *c, const char *text, size_t *np)
{
    struct ofp_flow_stats_request rq;
    stats_request_from_text(text, &rq);
    struct ofpbuf **replies;
    size_t n_replies = ofctl_dump(c, flow_stats_request(c, &rq), &replies);
    struct ofp_flow_stats *flows = NULL;
    size_t n = 0, allocated = 0;
    for (size_t i = 0; i < n_replies; i++) {
        struct ofp_msg_header h;
        struct ofpbuf body;
        flow_reply_body(replies[i], &h, &body);
        for (;;) {
            if (n >= allocated) {
                flows = x2nrealloc(flows, &allocated, sizeof *flows);
            }
            struct ofp_flow_stats *fs = &flows[n];
            memset(fs, 0, sizeof *fs);
            bool done = false;
            size_t before = body.size;
            enum ofperr e = flow_stats_pull(&h, &body, fs, &done);
            if (e && body.size < before) {
                /* One entry we cannot decode (e.g. a vendor action): say
                 * so and go on with the others. */
                fprintf(stderr, "%s: skipped a flow entry that cannot be "
                        "decoded (%s)\n", program_name, ofperr_get_name(e));
                ofp_flow_stats_uninit(fs);
                continue;
            } else if (e) {
                vs_fatal(0, "%s: bad flow stats reply (%s)", c->name,
                         ofperr_get_name(e));
            }
            if (done) {
                ofp_flow_stats_uninit(fs);
                break;
            }
            n++;
        }
    }
    ofctl_free_replies(replies, n_replies);
    *np = n;
    return flows;
}

/* "OFPST_FLOW reply (OF1.3)": a reply's name and version, as ofp-print
 * starts its description. */
static const char *
reply_name(const struct ofpbuf *reply)
{
    static char buf[64];
    struct ofp_msg_header h;
    ofptype_decode(reply->data, reply->size, &h, NULL);
    if (h.type == OFPTYPE_EXPERIMENTER_STATS_REPLY) {
        return "NXST_FLOW reply";
    }
    snprintf(buf, sizeof buf, "%s%s", ofptype_get_name(h.type),
             h.version == OFP10_VERSION ? ""
             : h.version == OFP13_VERSION ? " (OF1.3)"
             : h.version == OFP14_VERSION ? " (OF1.4)" : " (OF1.5)");
    return buf;
}

/* The dump-flows line for 'fs', honouring --no-stats and --names. */
static void
format_flow_line(const struct ofp_flow_stats *fs, struct ds *out)
{
    if (!ofctl_opts.no_stats && !ofctl_opts.names) {
        ofp_flow_stats_format(fs, out);     /* No copy for the common case. */
        return;
    }
    struct ds s = DS_EMPTY_INITIALIZER;
    struct ofp_flow_stats quiet = *fs;      /* Shares match and actions. */
    if (ofctl_opts.no_stats) {
        quiet.nx_idle_age = quiet.nx_hard_age = 0;     /* Statistics too. */
    }
    ofp_flow_stats_format(&quiet, &s);
    const char *line = ds_cstr(&s);
    if (ofctl_opts.no_stats) {
        /* Keep what describes the flow, drop what counts it: skip past
         * "n_bytes=N, " and put back a nonzero cookie and table. */
        const char *rest = strstr(line, "n_bytes=");
        rest = rest ? strstr(rest, ", ") : NULL;
        rest = rest ? rest + 2 : line;
        struct ds t = DS_EMPTY_INITIALIZER;
        ds_put_char(&t, ' ');
        if (fs->cookie) {
            ds_put_format(&t, "cookie=0x%"PRIx64", ", fs->cookie);
        }
        if (fs->table_id) {
            ds_put_format(&t, "table=%u, ", fs->table_id);
        }
        ds_put_cstr(&t, rest);
        ds_swap(&s, &t);
        ds_destroy(&t);
        line = ds_cstr(&s);
    }
    if (ofctl_opts.names) {
        char *named = ofctl_ports_to_names(line);
        ds_put_cstr(out, named);
        free(named);
    } else {
        ds_put_cstr(out, line);
    }
    ds_destroy(&s);
}

/* Sorting by --sort/--rsort criteria.  A flow that does not match on a
 * sort field at all goes after every flow that does. */
static int
compare_field(const struct ofp_field *f, const struct ofp_flow_stats *a,
              const struct ofp_flow_stats *b)
{
    union ofp_value ma, mb, va, vb;
    ofp_field_get_mask(f, &a->match, &ma);
    ofp_field_get_mask(f, &b->match, &mb);
    bool has_a = !ofp_value_is_zero(f, &ma), has_b = !ofp_value_is_zero(f, &mb);
    if (has_a != has_b) {
        return has_a ? -1 : 1;
    }
    if (!has_a) {
        return 0;
    }
    ofp_field_get_value(f, &a->match.flow, &va);
    ofp_field_get_value(f, &b->match.flow, &vb);
    for (size_t i = 0; i < f->n_bytes; i++) {
        uint8_t x = va.b[i] & ma.b[i], y = vb.b[i] & mb.b[i];
        if (x != y) {
            return x < y ? -1 : 1;
        }
    }
    return 0;
}

static int
compare_flows(const void *a_, const void *b_)
{
    const struct ofp_flow_stats *a = a_, *b = b_;
    for (size_t i = 0; i < ofctl_opts.n_sorts; i++) {
        const struct ofctl_sort *sort = &ofctl_opts.sorts[i];
        int cmp;
        if (!sort->field || !strcmp(sort->field, "priority")) {
            cmp = a->priority < b->priority ? -1 : a->priority > b->priority;
        } else {
            const struct ofp_field *f = ofp_field_from_name(sort->field);
            cmp = compare_field(f, a, b);
            /* Missing fields stay last in either direction. */
            union ofp_value ma, mb;
            ofp_field_get_mask(f, &a->match, &ma);
            ofp_field_get_mask(f, &b->match, &mb);
            if (ofp_value_is_zero(f, &ma) != ofp_value_is_zero(f, &mb)) {
                return cmp;
            }
        }
        if (cmp) {
            return sort->descending ? -cmp : cmp;
        }
    }
    return 0;
}

/* Unsorted dump-flows output, printed reply by reply as they arrive. */
static void
print_flow_reply(struct ofpbuf *reply, void *aux VS_UNUSED)
{
    bool plain = !ofctl_opts.names && !ofctl_opts.no_stats;
    /* One string for all replies: a fresh one per 64 kB reply grew past
     * malloc's mmap threshold and page-faulted in every time. */
    static struct ds s = DS_EMPTY_INITIALIZER;
    ds_clear(&s);
    struct ofp_msg_header h;
    struct ofpbuf body;
    flow_reply_body(reply, &h, &body);
    if (plain) {
        /* One header line per reply message, as ovs-ofctl prints. */
        ds_put_format(&s, "%s (xid=0x%"PRIx32"):\n", reply_name(reply), h.xid);
    }
    struct ofp_flow_stats fs;
    memset(&fs, 0, sizeof fs);
    for (;;) {
        bool done = false;
        size_t before = body.size;
        enum ofperr e = flow_stats_pull(&h, &body, &fs, &done);
        if (e && body.size < before) {
            fprintf(stderr, "%s: skipped a flow entry that cannot be decoded "
                    "(%s)\n", program_name, ofperr_get_name(e));
            continue;
        } else if (e) {
            vs_fatal(0, "bad flow stats reply (%s)", ofperr_get_name(e));
        } else if (done) {
            break;
        }
        format_flow_line(&fs, &s);
        ds_put_char(&s, '\n');
    }
    ofp_flow_stats_uninit(&fs);
    if (s.length) {
        fwrite(s.string, 1, s.length, stdout);
    }
    ofpbuf_delete(reply);
}

static void
cmd_dump_flows(int argc, char *argv[])
{
    struct ofctl_conn *c = ofctl_open_switch(argv[1]);
    if (ofctl_opts.names) {
        ofctl_load_port_names(c);
    }
    if (!ofctl_opts.n_sorts) {
        struct ofp_flow_stats_request rq;
        stats_request_from_text(argc > 2 ? argv[2] : NULL, &rq);
        ofctl_dump_each(c, flow_stats_request(c, &rq), print_flow_reply,
                        NULL);
        ofctl_close(c);
        return;
    }

    size_t n;
    struct ofp_flow_stats *flows = fetch_flows(c, argc > 2 ? argv[2] : NULL, &n);
    qsort(flows, n, sizeof *flows, compare_flows);
    struct ds s = DS_EMPTY_INITIALIZER;
    for (size_t i = 0; i < n; i++) {
        format_flow_line(&flows[i], &s);
        ds_put_char(&s, '\n');
        if (s.length > 65536) {
            fputs(ds_cstr(&s), stdout);
            ds_clear(&s);
        }
    }
    fputs(ds_cstr(&s), stdout);
    ds_destroy(&s);
    for (size_t i = 0; i < n; i++) {
        ofp_flow_stats_uninit(&flows[i]);
    }
    free(flows);
    ofctl_close(c);
}

static void
cmd_dump_aggregate(int argc, char *argv[])
{
    struct ofctl_conn *c = ofctl_open_switch(argv[1]);
    struct ofp_flow_stats_request rq;
    stats_request_from_text(argc > 2 ? argv[2] : NULL, &rq);
    rq.aggregate = true;
    struct ofpbuf **replies;
    size_t n = ofctl_dump(c, flow_stats_request(c, &rq), &replies);
    ofctl_print_replies(replies, n);
    ofctl_free_replies(replies, n);
    ofctl_close(c);
}

/* ---- Flow tables as sets, for replace-flows and diff-flows. ---- */

struct fte {
    char *key;                  /* "table=N priority=..,match": identity. */
    char *text;                 /* How diff-flows prints it. */
    char *value;                /* What a difference is measured on. */
    struct ofp_flow_mod fm;     /* For replace-flows: add or delete it. */
};

struct fte_set {
    struct fte *ftes;
    size_t n, allocated;
};

static void
fte_set_add(struct fte_set *set, const struct match *match, uint16_t priority,
            uint8_t table_id, uint64_t cookie, uint16_t idle, uint16_t hard,
            const struct ofpacts *ofpacts)
{
    if (set->n >= set->allocated) {
        set->ftes = x2nrealloc(set->ftes, &set->allocated, sizeof *set->ftes);
    }
    struct fte *f = &set->ftes[set->n++];
    struct ds key = DS_EMPTY_INITIALIZER, value = DS_EMPTY_INITIALIZER;
    if (table_id) {
        ds_put_format(&key, "table=%u ", table_id);
    }
    size_t match_start = key.length;
    ofp_match_format(match, priority, &key);
    if (key.length == match_start) {
        ds_put_format(&key, "priority=%u", priority);
    }
    if (cookie) {
        ds_put_format(&value, " cookie=0x%"PRIx64, cookie);
    }
    if (idle) {
        ds_put_format(&value, " idle_timeout=%u", idle);
    }
    if (hard) {
        ds_put_format(&value, " hard_timeout=%u", hard);
    }
    ds_put_cstr(&value, " actions=");
    ofpacts_format(ofpacts, &value);
    f->text = xasprintf("%s%s", ds_cstr(&key), ds_cstr(&value));
    f->key = ds_steal_cstr(&key);
    f->value = ds_steal_cstr(&value);
    ofp_flow_mod_init(&f->fm);
    f->fm.match = *match;
    f->fm.priority = priority;
    f->fm.table_id = table_id;
    f->fm.cookie = cookie;
    f->fm.idle_timeout = idle;
    f->fm.hard_timeout = hard;
    ofpacts_clone(&f->fm.ofpacts, ofpacts);
}

static void
fte_set_destroy(struct fte_set *set)
{
    for (size_t i = 0; i < set->n; i++) {
        free(set->ftes[i].key);
        free(set->ftes[i].text);
        free(set->ftes[i].value);
        ofp_flow_mod_uninit(&set->ftes[i].fm);
    }
    free(set->ftes);
}

static int
compare_ftes(const void *a_, const void *b_)
{
    const struct fte *a = a_, *b = b_;
    return strcmp(a->key, b->key);
}

static void
read_flows_from_switch(struct ofctl_conn *c, struct fte_set *set)
{
    size_t n;
    struct ofp_flow_stats *flows = fetch_flows(c, NULL, &n);
    for (size_t i = 0; i < n; i++) {
        const struct ofp_flow_stats *fs = &flows[i];
        fte_set_add(set, &fs->match, fs->priority, fs->table_id, fs->cookie,
                    fs->idle_timeout, fs->hard_timeout, &fs->ofpacts);
        ofp_flow_stats_uninit(&flows[i]);
    }
    free(flows);
}

struct file_flows_aux {
    struct fte_set *set;
    const char *file;
};

static void
file_flow_line(char *line, int line_no, void *aux_)
{
    struct file_flows_aux *aux = aux_;
    char where[64];
    snprintf(where, sizeof where, "%.40s:%d", aux->file, line_no);
    struct ofp_flow_mod fm;
    parse_flow_or_die(line, OFPFC_ADD, &fm, where);
    fte_set_add(aux->set, &fm.match, fm.priority, fm.table_id, fm.cookie,
                fm.idle_timeout, fm.hard_timeout, &fm.ofpacts);
    ofp_flow_mod_uninit(&fm);
}

static void
read_flows_from_file(const char *file, struct fte_set *set)
{
    struct file_flows_aux aux = { set, file };
    ofctl_read_lines(file, file_flow_line, &aux);
}

/* A source for diff-flows is a file if one exists by that name, else a
 * switch. */
static bool
source_is_file(const char *source)
{
    struct stat st;
    return !strcmp(source, "-") || (!stat(source, &st) && !S_ISSOCK(st.st_mode));
}

/* Reads one source into 'set'.  A switch stays connected (returned, for
 * the caller to close) so that port names in the other source, if it is
 * a file, can be looked up there. */
static struct ofctl_conn *
read_flows_from_source(const char *source, struct fte_set *set)
{
    struct ofctl_conn *c = NULL;
    if (source_is_file(source)) {
        read_flows_from_file(source, set);
    } else {
        c = ofctl_open_switch(source);
        read_flows_from_switch(c, set);
    }
    qsort(set->ftes, set->n, sizeof *set->ftes, compare_ftes);
    return c;
}

static void
cmd_diff_flows(int argc VS_UNUSED, char *argv[])
{
    struct fte_set a = { NULL, 0, 0 }, b = { NULL, 0, 0 };
    struct ofctl_conn *ca = NULL, *cb = NULL;
    if (source_is_file(argv[1]) && !source_is_file(argv[2])) {
        cb = read_flows_from_source(argv[2], &b);    /* Switch first. */
        ca = read_flows_from_source(argv[1], &a);
    } else {
        ca = read_flows_from_source(argv[1], &a);
        cb = read_flows_from_source(argv[2], &b);
    }
    ofctl_close(ca);
    ofctl_close(cb);
    bool differ = false;
    size_t i = 0, j = 0;
    struct ds s = DS_EMPTY_INITIALIZER;
    while (i < a.n || j < b.n) {
        int cmp = i >= a.n ? 1 : j >= b.n ? -1 : strcmp(a.ftes[i].key, b.ftes[j].key);
        if (cmp < 0) {
            ds_put_format(&s, "-%s\n", a.ftes[i++].text);
            differ = true;
        } else if (cmp > 0) {
            ds_put_format(&s, "+%s\n", b.ftes[j++].text);
            differ = true;
        } else {
            if (strcmp(a.ftes[i].value, b.ftes[j].value)) {
                ds_put_format(&s, "-%s\n+%s\n", a.ftes[i].text, b.ftes[j].text);
                differ = true;
            }
            i++, j++;
        }
    }
    if (ofctl_opts.names) {
        char *named = ofctl_ports_to_names(ds_cstr(&s));
        fputs(named, stdout);
        free(named);
    } else {
        fputs(ds_cstr(&s), stdout);
    }
    ds_destroy(&s);
    fte_set_destroy(&a);
    fte_set_destroy(&b);
    exit(differ ? 2 : 0);
}

/* Makes the switch's flow table equal the file's with as few changes as
 * it can: deletes (strict) flows the file lacks, adds the new and the
 * changed ones, all pipelined and ended by one barrier. */
static void
cmd_replace_flows(int argc VS_UNUSED, char *argv[])
{
    struct fte_set want = { NULL, 0, 0 }, have = { NULL, 0, 0 };
    struct ofctl_conn *c = ofctl_open_switch(argv[1]);
    read_flows_from_file(argv[2], &want);
    qsort(want.ftes, want.n, sizeof *want.ftes, compare_ftes);
    read_flows_from_switch(c, &have);
    qsort(have.ftes, have.n, sizeof *have.ftes, compare_ftes);

    struct flow_sender fs;
    sender_start(&fs, c);
    size_t i = 0, j = 0;
    while (i < have.n || j < want.n) {
        int cmp = i >= have.n ? 1 : j >= want.n ? -1
                  : strcmp(have.ftes[i].key, want.ftes[j].key);
        if (cmp < 0) {
            struct ofp_flow_mod *fm = &have.ftes[i++].fm;
            fm->command = OFPFC_DELETE_STRICT;
            ofpacts_clear(&fm->ofpacts);
            sender_add(&fs, fm);
        } else if (cmp > 0 || strcmp(have.ftes[i].value, want.ftes[j].value)) {
            sender_add(&fs, &want.ftes[j].fm);
            if (cmp == 0) {
                i++;
            }
            j++;
        } else {
            i++, j++;
        }
    }
    bool ok = sender_finish(&fs);
    fte_set_destroy(&want);
    fte_set_destroy(&have);
    ofctl_close(c);
    exit(ok ? 0 : 1);
}

const struct ofctl_command ofctl_flow_commands[] = {
    { "dump-flows", 1, 2, cmd_dump_flows },
    { "dump-aggregate", 1, 2, cmd_dump_aggregate },
    { "add-flow", 2, 2, cmd_add_flow },
    { "add-flows", 2, 2, cmd_add_flows },
    { "mod-flows", 2, 2, cmd_mod_flows },
    { "del-flows", 1, 2, cmd_del_flows },
    { "replace-flows", 2, 2, cmd_replace_flows },
    { "diff-flows", 2, 2, cmd_diff_flows },
    { NULL, 0, 0, NULL },
};
