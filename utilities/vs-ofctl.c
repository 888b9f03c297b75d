/* vs-ofctl: administers an OpenFlow switch the way ovs-ofctl does (same
 * commands, options, flow syntax and output).  This file has main(), the
 * options and help, and the helpers the command modules share (flow
 * files, port descriptions and names, durations).  The commands are in
 * ofctl-switch.c, ofctl-watch.c, ofctl-flows.c and ofctl-groups.c, the
 * connection in ofctl-conn.c. */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dirs.h"
#include "dp-packet.h"
#include "dynamic-string.h"
#include "flow.h"
#include "ofctl-conn.h"
#include "ofctl.h"
#include "ofp-msgs.h"
#include "ofp-parse.h"
#include "ofp-print.h"
#include "ofp-switch.h"
#include "stream-ssl.h"
#include "ofp-table.h"
#include "timeval.h"
#include "util.h"
#include "ofp-nx.h"
#include "vlog.h"

struct ofctl_options ofctl_opts = {
    /* Like ovs-ofctl: OpenFlow 1.0 only unless -O says otherwise. */
    .versions = OFP_VERSION_BIT(OFP10_VERSION),
    .timeout_ms = -1,
    .packet_in_format = -1,
};

struct ofctl_conn *
ofctl_open_switch(const char *target)
{
    return ofctl_open(target, "mgmt", ofctl_opts.versions, ofctl_opts.timeout_ms);
}

struct ofctl_conn *
ofctl_open_for(const char *target, uint8_t min_version, const char *what)
{
    struct ofctl_conn *c = ofctl_open_switch(target);
    if (c->version < min_version) {
        vs_fatal(0, "%s needs %s or later, but %s was negotiated (use -O %s)",
                 what, ofp_version_to_string(min_version),
                 ofp_version_to_string(c->version), ofp_version_to_string(min_version));
    }
    return c;
}

void
ofctl_put_reply_header(struct ds *s, const struct ofpbuf *reply,
                       struct ofpbuf *body)
{
    struct ofp_msg_header h;
    ofptype_decode(reply->data, reply->size, &h, body);
    ds_put_format(s, "%s%s (xid=0x%"PRIx32"):\n", ofptype_get_name(h.type),
                  ofp_version_tag(h.version), h.xid);
}

/* ---- Shared helpers. ---- */

void
ofctl_read_lines(const char *file_name,
                 void (*cb)(char *line, int line_no, void *aux), void *aux)
{
    FILE *f = !strcmp(file_name, "-") ? stdin : fopen(file_name, "r");
    if (!f) {
        vs_fatal(errno, "%s: open failed", file_name);
    }
    char *line = NULL;
    size_t size = 0;
    ssize_t len;
    int line_no = 0;
    while ((len = getline(&line, &size, f)) >= 0) {
        line_no++;
        char *hash = strchr(line, '#');
        if (hash) {
            *hash = '\0';
        }
        char *start = line + strspn(line, " \t\r\n");
        char *end = start + strlen(start);
        while (end > start && isspace((unsigned char) end[-1])) {
            *--end = '\0';
        }
        if (*start) {
            cb(start, line_no, aux);
        }
    }
    if (ferror(f)) {
        vs_fatal(errno, "%s: read failed", file_name);
    }
    free(line);
    if (f != stdin) {
        fclose(f);
    }
}

void
ofctl_put_duration(struct ds *s, uint32_t sec, uint32_t nsec)
{
    ds_put_format(s, "%"PRIu32, sec);
    if (nsec) {
        ds_put_format(s, ".%03"PRIu32, nsec / 1000000);
        if (nsec % 1000000) {
            ds_put_format(s, "%06"PRIu32, nsec % 1000000);
        }
    }
    ds_put_char(s, 's');
}

void
ofctl_print_replies(struct ofpbuf **replies, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *s = ofp_msg_to_string(replies[i]->data, replies[i]->size);
        puts(s);
        free(s);
    }
}

/* Port descriptions: from the features reply in OF1.0, from the port desc
 * multipart in OF1.3+.  Returns a malloc'd array sorted by port number. */
static int
compare_ports(const void *a_, const void *b_)
{
    const struct ofp_port *a = a_, *b = b_;
    return a->port_no < b->port_no ? -1 : a->port_no > b->port_no;
}

struct ofp_port *
ofctl_fetch_ports(struct ofctl_conn *c, size_t *np)
{
    struct ofp_port *ports = NULL;
    size_t n = 0, allocated = 0;
    if (c->version == OFP10_VERSION) {
        struct ofpbuf *reply = ofctl_transact(c, ofpmsg_alloc(OFPTYPE_FEATURES_REQUEST,
                                                              c->version, ofctl_xid(c), 0));
        struct ofp_switch_features f;
        enum ofperr e = ofp_features_reply_decode(reply->data, reply->size, &f);
        if (e) {
            vs_fatal(0, "%s: bad features reply (%s)", c->name, ofperr_get_name(e));
        }
        ports = f.ports;
        n = f.n_ports;
        ofpbuf_delete(reply);
    } else {
        struct ofpbuf *rq = ofpmsg_alloc(OFPTYPE_PORT_DESC_STATS_REQUEST,
                                         c->version, ofctl_xid(c), 8);
        if (c->version >= OFP15_VERSION) {
            ofpbuf_put_be32(rq, OFPP_ANY);  /* OF1.5 names the port(s) wanted. */
            ofpbuf_put_zeros(rq, 4);
            ofpmsg_update_length(rq);
        }
        struct ofpbuf **replies;
        size_t n_replies = ofctl_dump(c, rq, &replies);
        for (size_t i = 0; i < n_replies; i++) {
            struct ofp_msg_header h;
            struct ofpbuf body;
            ofptype_decode(replies[i]->data, replies[i]->size, &h, &body);
            while (body.size) {
                if (n >= allocated) {
                    ports = x2nrealloc(ports, &allocated, sizeof *ports);
                }
                enum ofperr e = ofp_port_pull(&body, h.version, &ports[n]);
                if (e) {
                    vs_fatal(0, "%s: bad port description (%s)", c->name,
                             ofperr_get_name(e));
                }
                n++;
            }
        }
        ofctl_free_replies(replies, n_replies);
    }
    if (n) {
        qsort(ports, n, sizeof *ports, compare_ports);
    }
    *np = n;
    return ports;
}

static struct ofp_port *port_names;
static size_t n_port_names;

void
ofctl_load_port_names(struct ofctl_conn *c)
{
    if (!port_names) {
        port_names = ofctl_fetch_ports(c, &n_port_names);
        if (!port_names) {
            port_names = xzalloc(sizeof *port_names);
        }
    }
}

const char *
ofctl_port_name(uint32_t port)
{
    for (size_t i = 0; i < n_port_names; i++) {
        if (port_names[i].port_no == port) {
            return port_names[i].name;
        }
    }
    return NULL;
}

static bool
port_from_name(const char *name, size_t len, uint32_t *port)
{
    for (size_t i = 0; i < n_port_names; i++) {
        if (strlen(port_names[i].name) == len
            && !strncmp(port_names[i].name, name, len)) {
            *port = port_names[i].port_no;
            return true;
        }
    }
    return false;
}

/* The keywords after which a port appears in flow text. */
static const char *const port_keys[] = { "in_port=", "output:", "watch_port:",
                                         "out_port=", "enqueue:" };

/* Rewrites every port after a port keyword with 'map' (true: number ->
 * name, false: name -> number). */
static char *
rewrite_ports(const char *text, bool to_names)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    const char *p = text;
    while (*p) {
        size_t key_len = 0;
        for (size_t i = 0; i < sizeof port_keys / sizeof *port_keys; i++) {
            size_t n = strlen(port_keys[i]);
            if (!strncmp(p, port_keys[i], n)
                && (p == text || !isalnum((unsigned char) p[-1]))) {
                key_len = n;
                break;
            }
        }
        if (!key_len) {
            ds_put_char(&s, *p++);
            continue;
        }
        ds_put_buffer(&s, p, key_len);
        p += key_len;
        size_t len = strcspn(p, ",: \t\n)");
        char *word = xstrndup(p, len);
        uint32_t port;
        const char *name;
        char *end;
        unsigned long num = strtoul(word, &end, 10);
        if (to_names && len && !*end && (name = ofctl_port_name(num)) != NULL) {
            ds_put_cstr(&s, name);
        } else if (!to_names && len && !ofp_port_parse(word, &port)
                   && (port_names || !ofctl_current
                       || (ofctl_load_port_names(ofctl_current), true))
                   && port_from_name(p, len, &port)) {
            ds_put_format(&s, "%"PRIu32, port);
        } else {
            ds_put_buffer(&s, p, len);
        }
        free(word);
        p += len;
    }
    return ds_steal_cstr(&s);
}

char *
ofctl_ports_to_names(const char *text)
{
    return rewrite_ports(text, true);
}

char *
ofctl_names_to_ports(const char *text)
{
    return rewrite_ports(text, false);
}

uint32_t
ofctl_port_arg(struct ofctl_conn *c, const char *arg)
{
    uint32_t port;
    if (ofp_port_parse(arg, &port)) {
        return port;
    }
    ofctl_load_port_names(c);
    if (port_from_name(arg, strlen(arg), &port)) {
        return port;
    }
    vs_fatal(0, "%s: unknown port", arg);
}

/* ---- Options and main. ---- */

static void VS_NORETURN
usage(void)
{
    printf("%s: OpenFlow switch management utility\n"
           "usage: %s [OPTIONS] COMMAND [ARG...]\n"
           "\nFor OpenFlow switches:\n"
           "  show SWITCH                 show OpenFlow information\n"
           "  dump-desc SWITCH            print switch description\n"
           "  dump-tables SWITCH          print table stats\n"
           "  dump-table-features SWITCH  print table features\n"
           "  dump-ports SWITCH [PORT]    print port statistics\n"
           "  dump-ports-desc SWITCH [PORT]  print port descriptions\n"
           "  mod-table SWITCH TABLE SETTING  evict or noevict (OpenFlow 1.4+)\n"
           "  dump-table-desc SWITCH      print each table's eviction (OF1.4+)\n"
           "  mod-port SWITCH IFACE ACT   modify port behavior (up, down, receive,\n"
           "                              no-receive, forward, no-forward, flood,\n"
           "                              no-flood, packet-in, no-packet-in)\n"
           "  queue-stats SWITCH [PORT [QUEUE]]  print queue statistics\n"
           "  queue-get-config SWITCH [PORT [QUEUE]]  print queue config\n"
           "  get-frags SWITCH            print fragment handling behavior\n"
           "  set-frags SWITCH FRAG_MODE  set fragment handling behavior\n"
           "                              (normal, drop, reassemble)\n"
           "  dump-flows SWITCH [FLOW]    print flows matching FLOW\n"
           "  dump-aggregate SWITCH [FLOW]  print aggregate stats for FLOW\n"
           "  add-flow SWITCH FLOW        add flow described by FLOW\n"
           "  add-flows SWITCH FILE       add flows from FILE (- for stdin)\n"
           "  mod-flows SWITCH FLOW       modify actions of matching FLOWs\n"
           "  del-flows SWITCH [FLOW]     delete matching FLOWs\n"
           "  replace-flows SWITCH FILE   replace flows with those in FILE\n"
           "  diff-flows SOURCE1 SOURCE2  compare flows from two sources\n"
           "  packet-out SWITCH \"in_port=P,packet=HEX,actions=A\"\n"
           "  packet-out SWITCH IN_PORT ACTIONS PACKET...\n"
           "                              execute ACTIONS on PACKET\n"
           "  monitor SWITCH [MISSLEN] [watch:[SPEC]...]\n"
           "                              print packets received from SWITCH\n"
           "                              and changes to the flows SPEC matches\n"
           "  snoop SWITCH                snoop on SWITCH and its controller\n"
           "  add-group SWITCH GROUP      add group described by GROUP\n"
           "  add-groups SWITCH FILE      add groups from FILE\n"
           "  mod-group SWITCH GROUP      modify specific group\n"
           "  del-groups SWITCH [GROUP]   delete matching GROUPs\n"
           "  dump-groups SWITCH [GROUP]  print group descriptions\n"
           "  dump-group-stats SWITCH [GROUP]  print group statistics\n"
           "  dump-group-features SWITCH  print group features\n"
           "  add-meter SWITCH METER      add meter described by METER\n"
           "  mod-meter SWITCH METER      modify specific METER\n"
           "  del-meters SWITCH [METER]   delete meters matching METER\n"
           "  dump-meters SWITCH [METER]  print METER configuration\n"
           "  meter-stats SWITCH [METER]  print meter statistics\n"
           "  meter-features SWITCH       print meter features\n"
           "  probe TARGET                probe whether TARGET is up\n"
           "  ping TARGET [N]             latency of N-byte echos\n"
           "  ofp-print HEX               print the OpenFlow message in HEX\n"
           "\nSWITCH is a bridge name (its %s/BRIDGE.mgmt socket),\n"
           "unix:PATH, tcp:IP[:PORT] or ssl:IP[:PORT] (default port 6653).\n"
           "\nOptions:\n"
           "  -O, --protocols=LIST        OpenFlow versions to allow, e.g.\n"
           "                              OpenFlow10,OpenFlow13 (default OpenFlow10)\n"
           "  --strict                    use strict match for mod-flows, del-flows\n"
           "  --bundle                    send flow changes as one atomic bundle\n"
           "  --no-stats                  leave statistics out of dump-flows\n"
           "  --names, --no-names         show port names (default: numbers)\n"
           "  --sort[=FIELD], --rsort[=FIELD]  sort dump-flows output\n"
           "  -t, --timeout=SECS          give up after SECS seconds\n"
           "  -P, --packet-in-format=FMT  monitor asks for FMT: standard,\n"
           "                              nxt_packet_in or nxt_packet_in2\n"
           "  -p, --private-key=FILE      TLS private key (for ssl: switches)\n"
           "  -c, --certificate=FILE      TLS certificate for the private key\n"
           "  -C, --ca-cert=FILE          CA certificate the switch must be signed by\n"
           "  --bootstrap-ca-cert=FILE    same, saved from the switch if missing\n"
           "  -v, --verbose               print messages sent and received\n"
           "  -h, --help                  display this help message\n"
           "  -V, --version               display version information\n",
           program_name, program_name, vs_rundir());
    exit(0);
}

static void
add_sort(const char *field, bool descending)
{
    if (ofctl_opts.n_sorts >= sizeof ofctl_opts.sorts / sizeof *ofctl_opts.sorts) {
        vs_fatal(0, "too many --sort/--rsort options");
    }
    if (field && strcmp(field, "priority") && !ofp_field_from_name(field)) {
        vs_fatal(0, "%s: unknown field to sort by", field);
    }
    ofctl_opts.sorts[ofctl_opts.n_sorts++] = (struct ofctl_sort) { field, descending };
}

static void
parse_options(int argc, char *argv[])
{
    enum {
        OPT_STRICT = 256, OPT_NO_STATS, OPT_NAMES, OPT_NO_NAMES, OPT_SORT,
        OPT_RSORT, OPT_BUNDLE, OPT_READD, OPT_BOOTSTRAP_CA,
    };
    static const struct option long_options[] = {
        { "protocols", required_argument, NULL, 'O' },
        { "timeout", required_argument, NULL, 't' },
        { "strict", no_argument, NULL, OPT_STRICT },
        { "no-stats", no_argument, NULL, OPT_NO_STATS },
        { "names", no_argument, NULL, OPT_NAMES },
        { "no-names", no_argument, NULL, OPT_NO_NAMES },
        { "sort", optional_argument, NULL, OPT_SORT },
        { "rsort", optional_argument, NULL, OPT_RSORT },
        { "bundle", no_argument, NULL, OPT_BUNDLE },
        { "readd", no_argument, NULL, OPT_READD },
        { "private-key", required_argument, NULL, 'p' },
        { "certificate", required_argument, NULL, 'c' },
        { "ca-cert", required_argument, NULL, 'C' },
        { "bootstrap-ca-cert", required_argument, NULL, OPT_BOOTSTRAP_CA },
        { "verbose", optional_argument, NULL, 'v' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { "packet-in-format", required_argument, NULL, 'P' },
        { NULL, 0, NULL, 0 },
    };
    bool versions_given = false;
    const char *ssl_key = NULL, *ssl_cert = NULL, *ssl_ca = NULL;
    bool ssl_bootstrap = false;
    for (;;) {
        int c = getopt_long(argc, argv, "O:t:p:c:C:v::hVP:", long_options, NULL);
        if (c == -1) {
            break;
        }
        switch (c) {
        case 'O':
            versions_given = true;
            ofctl_opts.versions = ofp_versions_from_string(optarg);
            if (!ofctl_opts.versions) {
                vs_fatal(0, "%s: unknown or unsupported OpenFlow version list "
                         "(this build speaks OpenFlow10, OpenFlow13, OpenFlow14, "
                         "OpenFlow15)", optarg);
            }
            break;
        case 't': {
            unsigned int secs;
            if (!str_to_uint(optarg, 10, &secs) || !secs || secs > 86400) {
                vs_fatal(0, "value %s on -t or --timeout is not a positive "
                         "number of seconds", optarg);
            }
            ofctl_opts.timeout_ms = secs * 1000;
            break;
        }
        case OPT_STRICT:
            ofctl_opts.strict = true;
            break;
        case OPT_NO_STATS:
            ofctl_opts.no_stats = true;
            break;
        case OPT_NAMES:
            ofctl_opts.names = true;
            break;
        case OPT_NO_NAMES:
            ofctl_opts.names = false;
            break;
        case OPT_SORT:
        case OPT_RSORT:
            add_sort(optarg, c == OPT_RSORT);
            break;
        case OPT_BUNDLE:
            ofctl_opts.bundle = true;
            break;
        case OPT_READD:
            break;
        case 'P':
            ofctl_opts.packet_in_format = nx_packet_in_format_from_string(optarg);
            if (ofctl_opts.packet_in_format < 0) {
                vs_fatal(0, "%s: unknown packet-in format (standard, "
                         "nxt_packet_in or nxt_packet_in2)", optarg);
            }
            break;
        case 'p':
            ssl_key = optarg;
            break;
        case 'c':
            ssl_cert = optarg;
            break;
        case 'C':
        case OPT_BOOTSTRAP_CA:
            ssl_ca = optarg;
            ssl_bootstrap = c == OPT_BOOTSTRAP_CA;
            break;
        case 'v':
            ofctl_opts.verbosity++;
            ofctl_conn_verbosity = ofctl_opts.verbosity;
            break;
        case 'h':
            usage();
        case 'V':
            vs_print_version();
            printf("OpenFlow versions 0x1:0x6 (0x1, 0x4, 0x5, 0x6)\n");
            exit(0);
        default:
            fprintf(stderr, "Try `%s --help' for more information.\n", program_name);
            exit(2);
        }
    }
    if (ssl_key || ssl_cert || ssl_ca) {
        stream_ssl_follow_files(ssl_key, ssl_cert, ssl_ca, ssl_bootstrap);
    }
    if (ofctl_opts.bundle && !versions_given) {
        /* Bundles exist from OpenFlow 1.4 on: ask for it, as ovs-ofctl does. */
        ofctl_opts.versions = OFP_VERSION_BIT(OFP14_VERSION);
    }
}



static const struct ofctl_command *
find_command(const char *name)
{
    const struct ofctl_command *tables[] = { ofctl_switch_commands,
        ofctl_watch_commands, ofctl_flow_commands, ofctl_group_commands };
    for (size_t t = 0; t < sizeof tables / sizeof *tables; t++) {
        for (const struct ofctl_command *cmd = tables[t]; cmd->name; cmd++) {
            if (!strcmp(cmd->name, name)) {
                return cmd;
            }
        }
    }
    return NULL;
}

int
main(int argc, char *argv[])
{
    set_program_name(argv[0]);
    signal(SIGPIPE, SIG_IGN);
    /* A command-line tool parses and prints between polls by design: the
     * poll loop's "long poll interval" warning is only noise here. */
    vlog_set_levels_from_string_assert("poll_loop:console:err");
    parse_options(argc, argv);
    argc -= optind;
    argv += optind;
    if (argc < 1) {
        vs_fatal(0, "missing command name; use --help for help");
    }
    const struct ofctl_command *cmd = find_command(argv[0]);
    if (!cmd) {
        vs_fatal(0, "unknown command '%s'; use --help for help", argv[0]);
    }
    int n_args = argc - 1;
    if (n_args < cmd->min_args) {
        vs_fatal(0, "'%s' command requires at least %d arguments", cmd->name,
                 cmd->min_args);
    }
    if (n_args > cmd->max_args) {
        vs_fatal(0, "'%s' command takes at most %d arguments", cmd->name,
                 cmd->max_args);
    }
    cmd->handler(argc, argv);
    return 0;
}
