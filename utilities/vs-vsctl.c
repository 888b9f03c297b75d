/* vs-vsctl: configures vswitch through its database, the way people and
 * scripts drive ovs-vsctl.  All commands of one invocation (separated by
 * "--") form one transaction: all or nothing. */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "dirs.h"
#include "dynamic-string.h"
#include "stream-ssl.h"
#include "util.h"
#include "vlog.h"
#include "vsctl.h"

static const char *db_remote;
static int timeout_secs;
static bool no_wait;
static bool dry_run;
static bool oneline;
static bool retry;
static int verbose;
static char *global_columns;

enum vsctl_format vsctl_format = FMT_LIST;
bool vsctl_format_set;
bool vsctl_headings = true;

void
vsctl_fatal(const char *fmt, ...)
{
    va_list args;

    fprintf(stderr, "%s: ", program_name);
    va_start(args, fmt);
    vfprintf(stderr, fmt, args);
    va_end(args);
    fputc('\n', stderr);
    exit(1);
}

static void
alarm_handler(int sig VS_UNUSED)
{
    static const char msg[] = "vs-vsctl: timeout\n";
    if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0) {
        /* Nothing to do. */
    }
    _exit(142);
}

static const char *
default_db(void)
{
    static char *db;
    if (!db) {
        db = xasprintf("unix:%s/db.sock", vs_rundir());
    }
    return db;
}

static const struct vsctl_command_syntax *
find_syntax(const char *name)
{
    static const struct vsctl_command_syntax *tables[] = {
        vsctl_bridge_commands, vsctl_db_commands
    };
    for (size_t i = 0; i < ARRAY_SIZE(tables); i++) {
        for (const struct vsctl_command_syntax *s = tables[i]; s->name; s++) {
            if (!strcmp(s->name, name)) {
                return s;
            }
        }
    }
    return NULL;
}

static void
usage(void)
{
    printf("%s: vswitch configuration utility\n"
           "usage: %s [OPTIONS] COMMAND [ARG...] [-- [OPTIONS] COMMAND "
           "[ARG...]]...\n\nCommands:\n", program_name, program_name);
    static const struct vsctl_command_syntax *tables[] = {
        vsctl_bridge_commands, vsctl_db_commands
    };
    for (size_t i = 0; i < ARRAY_SIZE(tables); i++) {
        for (const struct vsctl_command_syntax *s = tables[i]; s->name; s++) {
            printf("  %s %s\n", s->name, s->arguments);
        }
    }
    printf("\nOptions:\n"
           "  --db=DATABASE         connect to DATABASE (default: %s)\n"
           "  --no-wait             do not wait for vs-vswitchd to reconfigure\n"
           "  --retry               keep trying to connect to the database\n"
           "  -t, --timeout=SECS    give up after SECS seconds\n"
           "  --dry-run             do not commit changes to the database\n"
           "  --oneline             print output of each command on one line\n"
           "  -f, --format=FORMAT   table, list, csv, json or bare\n"
           "  --columns=COLS        columns to print (list and find)\n"
           "  --no-headings         omit table headings\n"
           "  -d, --data=FORMAT     accepted for compatibility (string)\n"
           "  -p, --private-key=FILE  TLS private key (for --db=ssl:IP:PORT)\n"
           "  -c, --certificate=FILE  TLS certificate for the private key\n"
           "  -C, --ca-cert=FILE      CA certificate the server must be signed by\n"
           "  --bootstrap-ca-cert=FILE  same, saved from the server if missing\n"
           "  -v, --verbose[=SPEC]  debug logging (or vlog levels SPEC), and print\n"
           "                        the transaction to stderr\n"
           "  -h, --help            this help\n"
           "  -V, --version         print the version\n", default_db());
    exit(0);
}

static bool
parse_format(const char *s)
{
    static const struct { const char *name; enum vsctl_format f; } fmts[] = {
        { "table", FMT_TABLE }, { "list", FMT_LIST }, { "csv", FMT_CSV },
        { "json", FMT_JSON }, { "bare", FMT_BARE },
    };
    for (size_t i = 0; i < ARRAY_SIZE(fmts); i++) {
        if (!strcmp(s, fmts[i].name)) {
            vsctl_format = fmts[i].f;
            vsctl_format_set = true;
            return true;
        }
    }
    return false;
}

/* TLS files for an ssl: database, from -p, -c, -C. */
static const char *ssl_key, *ssl_cert, *ssl_ca;
static bool ssl_bootstrap;

/* Global options come before the first command; they end at the first
 * argument that does not start with "-".  Returns the index of it. */
static int
parse_global_options(int argc, char *argv[])
{
    enum { OPT_DB = 256, OPT_NO_WAIT, OPT_DRY_RUN, OPT_ONELINE, OPT_RETRY,
           OPT_COLUMNS, OPT_NO_HEADINGS, OPT_NO_SYSLOG, OPT_BARE,
           OPT_BOOTSTRAP_CA };
    static const struct option long_options[] = {
        { "db", required_argument, NULL, OPT_DB },
        { "no-wait", no_argument, NULL, OPT_NO_WAIT },
        { "dry-run", no_argument, NULL, OPT_DRY_RUN },
        { "oneline", no_argument, NULL, OPT_ONELINE },
        { "retry", no_argument, NULL, OPT_RETRY },
        { "timeout", required_argument, NULL, 't' },
        { "format", required_argument, NULL, 'f' },
        { "data", required_argument, NULL, 'd' },
        { "columns", required_argument, NULL, OPT_COLUMNS },
        { "no-headings", no_argument, NULL, OPT_NO_HEADINGS },
        { "no-syslog", no_argument, NULL, OPT_NO_SYSLOG },
        { "bare", no_argument, NULL, OPT_BARE },
        { "private-key", required_argument, NULL, 'p' },
        { "certificate", required_argument, NULL, 'c' },
        { "ca-cert", required_argument, NULL, 'C' },
        { "bootstrap-ca-cert", required_argument, NULL, OPT_BOOTSTRAP_CA },
        { "verbose", optional_argument, NULL, 'v' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };

    opterr = 0;
    for (;;) {
        int optind_before = optind;
        /* "--bootstrap" belongs to set-ssl; getopt would take it for an
         * abbreviation of --bootstrap-ca-cert. */
        if (optind < argc && !strcmp(argv[optind], "--bootstrap")) {
            return optind;
        }
        int c = getopt_long(argc, argv, "+t:f:d:p:c:C:v::hV", long_options, NULL);
        if (c == -1) {
            break;
        }
        switch (c) {
        case OPT_DB: db_remote = optarg; break;
        case OPT_NO_WAIT: no_wait = true; break;
        case OPT_DRY_RUN: dry_run = true; break;
        case OPT_ONELINE: oneline = true; break;
        case OPT_RETRY: retry = true; break;
        case OPT_NO_HEADINGS: vsctl_headings = false; break;
        case OPT_NO_SYSLOG: break;
        case OPT_BARE:
            vsctl_format = FMT_BARE;
            vsctl_format_set = true;
            vsctl_headings = false;
            break;
        case OPT_COLUMNS:
            free(global_columns);
            global_columns = xstrdup(optarg);
            break;
        case 't':
            if (!str_to_int(optarg, 10, &timeout_secs) || timeout_secs < 0) {
                vsctl_fatal("value %s on -t or --timeout is invalid", optarg);
            }
            break;
        case 'f':
            if (!parse_format(optarg)) {
                vsctl_fatal("unknown output format \"%s\"", optarg);
            }
            break;
        case 'd':
            if (strcmp(optarg, "string") && strcmp(optarg, "bare")
                && strcmp(optarg, "json")) {
                vsctl_fatal("unknown data format \"%s\"", optarg);
            }
            break;
        case 'v':
            /* Like ovs-vsctl: -v turns on debug logging (or sets levels
             * from SPEC); we also print the transaction we send. */
            vlog_set_verbosity(optarg);
            verbose++;
            break;
        case 'p': ssl_key = optarg; break;
        case 'c': ssl_cert = optarg; break;
        case 'C':
        case OPT_BOOTSTRAP_CA:
            ssl_ca = optarg;
            ssl_bootstrap = c == OPT_BOOTSTRAP_CA;
            break;
        case 'h': usage(); break;
        case 'V': vs_print_version(); exit(0);
        case '?':
            /* An option of a command ("--may-exist"): stop here. */
            optind = optind_before;
            return optind;
        default:
            vsctl_fatal("unknown option");
        }
    }
    return optind;
}

/* Splits argv[i..] into commands separated by "--"; each command may start
 * with its own "--options". */
static struct vsctl_command *
parse_commands(int argc, char *argv[], size_t *n_cmds)
{
    struct vsctl_command *cmds = NULL;
    size_t n = 0, allocated = 0;
    int i = 0;

    while (i < argc) {
        int start = i;
        while (i < argc && strcmp(argv[i], "--")) {
            i++;
        }
        int end = i++;          /* Skip the "--". */
        if (end == start) {
            continue;           /* "-- --" or leading "--". */
        }
        if (n >= allocated) {
            cmds = x2nrealloc(cmds, &allocated, sizeof *cmds);
        }
        struct vsctl_command *cmd = &cmds[n++];
        memset(cmd, 0, sizeof *cmd);
        ds_init(&cmd->output);
        int j = start;
        for (; j < end && argv[j][0] == '-' && argv[j][1] == '-'; j++) {
            cmd->options = xrealloc(cmd->options, (cmd->n_options + 1)
                                    * sizeof *cmd->options);
            cmd->options[cmd->n_options++] = argv[j];
        }
        if (j == end) {
            /* Only options: they apply to the next command ("--id=@x --
             * create" is not OVS syntax, but "--if-exists -- cmd" isn't
             * either), so it is an error. */
            vsctl_fatal("missing command name (use --help for help)");
        }
        cmd->syntax = find_syntax(argv[j]);
        if (!cmd->syntax) {
            vsctl_fatal("unknown command '%s'; use --help for help", argv[j]);
        }
        cmd->argv = &argv[j];
        cmd->argc = end - j;
        int n_args = cmd->argc - 1;
        if (n_args < cmd->syntax->min_args) {
            vsctl_fatal("'%s' command requires at least %d arguments",
                        cmd->syntax->name, cmd->syntax->min_args);
        }
        if (cmd->syntax->max_args >= 0 && n_args > cmd->syntax->max_args) {
            vsctl_fatal("'%s' command takes at most %d arguments",
                        cmd->syntax->name, cmd->syntax->max_args);
        }
        for (size_t k = 0; k < cmd->n_options; k++) {
            char *name = xstrdup(cmd->options[k]);
            char *eq = strchr(name, '=');
            if (eq) {
                *eq = '\0';
            }
            const char *allowed = cmd->syntax->options;
            const char *p = allowed ? strstr(allowed, name) : NULL;
            size_t len = strlen(name);
            if (!p || (p[len] && p[len] != ',' && p[len] != '=')) {
                vsctl_fatal("'%s' command has no '%s' option",
                            cmd->syntax->name, name);
            }
            free(name);
        }
    }
    if (!n) {
        vsctl_fatal("missing command name (use --help for help)");
    }
    *n_cmds = n;
    return cmds;
}

bool
vsctl_has_option(const struct vsctl_ctx *ctx, const char *name)
{
    return vsctl_option_value(ctx, name) != NULL;
}

const char *
vsctl_option_value(const struct vsctl_ctx *ctx, const char *name)
{
    size_t len = strlen(name);
    for (size_t i = 0; i < ctx->cmd->n_options; i++) {
        const char *o = ctx->cmd->options[i];
        if (!strncmp(o, name, len) && (o[len] == '\0' || o[len] == '=')) {
            return o[len] == '=' ? o + len + 1 : "";
        }
    }
    return NULL;
}

static void
symbols_clear(struct hmap *symbols)
{
    struct vsctl_symbol *s, *next;
    HMAP_FOR_EACH_SAFE (s, next, node, symbols) {
        hmap_remove(symbols, &s->node);
        free(s->name);
        free(s);
    }
}

/* What the bridge, port, controller, manager and SSL commands (and show)
 * read: replicating only this makes them fast on big databases.  The
 * database commands can touch anything, so they replicate everything. */
static const char *const minimal_columns[] = {
    "Open_vSwitch", "bridges", "manager_options", "ssl", "next_cfg",
    "cur_cfg", "ovs_version", NULL,
    "Bridge", "name", "ports", "controller", "fail_mode", "datapath_type",
    "external_ids", NULL,
    "Port", "name", "interfaces", "tag", "trunks", "vlan_mode", "bond_mode",
    "fake_bridge", "external_ids", NULL,
    "Interface", "name", "type", "options", "error", NULL,
    "Controller", "target", "is_connected", NULL,
    "Manager", "target", "is_connected", NULL,
    "SSL", "private_key", "certificate", "ca_cert", "bootstrap_ca_cert",
    NULL,
    NULL,
};

static void
monitor_minimal(struct ovsdb_idl *idl)
{
    for (size_t i = 0; i < ovsdb_idl_n_tables(idl); i++) {
        struct idl_table *t = ovsdb_idl_table_at(idl, i);
        bool listed = false;
        for (const char *const *p = minimal_columns; *p; p++) {
            bool this = !strcmp(*p, t->name);
            listed |= this;
            for (p++; *p; p++) {
                if (this) {
                    ovsdb_idl_set_column_monitored(idl, t->name, *p, true);
                }
            }
        }
        if (!listed) {
            ovsdb_idl_set_monitored(idl, t->name, false);
            continue;
        }
        /* Listed: only the listed columns. */
        for (size_t c = 1; c < t->n_columns; c++) {
            bool want = false;
            for (const char *const *p = minimal_columns; *p; p++) {
                bool this = !strcmp(*p, t->name);
                for (p++; *p; p++) {
                    want |= this && !strcmp(*p, t->columns[c].name);
                }
            }
            ovsdb_idl_set_column_monitored(idl, t->name, t->columns[c].name,
                                           want);
        }
    }
}

static struct ovsdb_idl *
connect_db(const char *remote, bool minimal, bool snapshot_only)
{
    long long deadline = timeout_secs ? time(NULL) + timeout_secs : 0;
    struct ovsdb_idl *idl;
    char *err;

    for (;;) {
        idl = ovsdb_idl_create(remote, "Open_vSwitch",
                               timeout_secs ? timeout_secs * 1000 : -1, &err);
        if (idl) {
            break;
        }
        if (!retry || (deadline && time(NULL) >= deadline)) {
            vsctl_fatal("%s", err);
        }
        free(err);
        usleep(100 * 1000);
    }
    if (minimal) {
        monitor_minimal(idl);
    }
    /* Without waiting for vs-vswitchd, one snapshot is all we need; it
     * spares the server sending our own changes back. */
    ovsdb_idl_set_snapshot_only(idl, snapshot_only);
    if (ovsdb_idl_monitor(idl, timeout_secs ? timeout_secs * 1000 : -1,
                          &err)) {
        vsctl_fatal("%s: monitor failed (%s)", remote, err);
    }
    if (!ovsdb_idl_get_table(idl, "Open_vSwitch")
        || !ovsdb_idl_get_table(idl, "Bridge")
        || !ovsdb_idl_get_table(idl, "Port")
        || !ovsdb_idl_get_table(idl, "Interface")) {
        vsctl_fatal("%s: database lacks the Open_vSwitch, Bridge, Port or "
                    "Interface table", remote);
    }
    return idl;
}

/* Runs all commands once against the replica; returns false if one asked
 * to be run again later (wait-until). */
static bool
run_commands(struct vsctl_ctx *ctx, struct vsctl_command *cmds, size_t n)
{
    struct idl_table *ovs_table = ovsdb_idl_get_table(ctx->idl,
                                                      "Open_vSwitch");

    ctx->ovs = idl_table_first(ovs_table);
    if (!ctx->ovs) {
        ctx->ovs = ovsdb_idl_txn_insert(ctx->txn, ovs_table, NULL);
    }
    for (size_t i = 0; i < n; i++) {
        struct vsctl_command *cmd = &cmds[i];
        ds_clear(&cmd->output);
        cmd->created = NULL;
        ctx->cmd = cmd;
        ctx->argc = cmd->argc;
        ctx->argv = cmd->argv;
        ctx->output = &cmd->output;
        cmd->syntax->run(ctx);
        if (ctx->try_again) {
            return false;
        }
    }
    struct vsctl_symbol *s;
    HMAP_FOR_EACH (s, node, &ctx->symbols) {
        if (!s->created) {
            vsctl_fatal("row id \"%s\" is referenced but never created "
                        "(e.g. with \"-- --id=%s create ...\")",
                        s->name, s->name);
        }
    }
    return true;
}

static void
print_outputs(struct vsctl_command *cmds, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct ds *o = &cmds[i].output;
        if (oneline) {
            for (size_t j = 0; j < o->length; j++) {
                char c = o->string[j];
                if (c == '\n' && j + 1 < o->length) {
                    fputs("\\n", stdout);
                } else if (c == '\\') {
                    fputs("\\\\", stdout);
                } else if (c != '\n') {
                    putchar(c);
                }
            }
            putchar('\n');
        } else {
            fputs(ds_cstr(o), stdout);
        }
    }
}

/* Waits until vs-vswitchd reports (cur_cfg) that it applied 'next_cfg',
 * then reports interface errors it wrote back for 'ifaces'. */
static void
wait_for_reload(struct ovsdb_idl *idl, long long next_cfg,
                char (*ifaces)[37], size_t n_ifaces)
{
    struct idl_table *ovs_table = ovsdb_idl_get_table(idl, "Open_vSwitch");
    struct idl_table *if_table = ovsdb_idl_get_table(idl, "Interface");

    for (;;) {
        struct idl_row *ovs = idl_table_first(ovs_table);
        if (ovs && idl_row_get_int(ovs, "cur_cfg", 0) >= next_cfg) {
            break;
        }
        int error = ovsdb_idl_run(idl, -1);
        if (error) {
            vsctl_fatal("%s while waiting for vs-vswitchd",
                        error == EOF ? "database connection closed"
                        : vs_strerror(error));
        }
    }
    for (size_t i = 0; i < n_ifaces; i++) {
        struct idl_row *row = idl_table_find_row(if_table, ifaces[i]);
        const char *err = row ? idl_row_get_string(row, "error") : NULL;
        if (err) {
            fprintf(stderr, "%s: Error detected while setting up '%s': %s.  "
                    "See vs-vswitchd log for details.\n", program_name,
                    idl_row_get_string(row, "name"), err);
        }
    }
}

int
main(int argc, char *argv[])
{
    set_program_name(argv[0]);
    /* The IDL's errors come back to us and are reported as vs-vsctl's own;
     * the session's connection log would only repeat them, and the poll
     * loop's timing warnings (a long run of commands on a loaded machine)
     * are no concern of a command-line user. */
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_WARN);
    static const char *const quiet[] = { "jsonrpc_session", "poll_loop" };
    for (size_t i = 0; i < ARRAY_SIZE(quiet); i++) {
        struct vlog_module *m = vlog_module_from_name(quiet[i]);
        if (m) {
            vlog_set_levels(m, VLF_CONSOLE, VLL_ERR);
        }
    }
    int first = parse_global_options(argc, argv);
    if (ssl_key || ssl_cert || ssl_ca) {
        stream_ssl_follow_files(ssl_key, ssl_cert, ssl_ca, ssl_bootstrap);
    }
    size_t n_cmds;
    struct vsctl_command *cmds = parse_commands(argc - first, argv + first,
                                                &n_cmds);
    if (global_columns) {
        /* --columns before the first command applies to list/find. */
        for (size_t i = 0; i < n_cmds; i++) {
            cmds[i].options = xrealloc(cmds[i].options, (cmds[i].n_options + 1)
                                       * sizeof *cmds[i].options);
            cmds[i].options[cmds[i].n_options++]
                = xasprintf("--columns=%s", global_columns);
        }
    }
    if (timeout_secs) {
        signal(SIGALRM, alarm_handler);
        alarm(timeout_secs);
    }

    bool minimal = true;
    for (size_t i = 0; i < n_cmds; i++) {
        for (const struct vsctl_command_syntax *s = vsctl_db_commands;
             s->name; s++) {
            minimal &= cmds[i].syntax != s;
        }
    }
    /* wait-until needs updates; so does waiting for vs-vswitchd. */
    bool snapshot_only = no_wait;
    for (size_t i = 0; i < n_cmds; i++) {
        snapshot_only &= strcmp(cmds[i].syntax->name, "wait-until") != 0;
    }
    struct ovsdb_idl *idl = connect_db(db_remote ? db_remote : default_db(),
                                       minimal, snapshot_only);
    struct vsctl_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.idl = idl;
    ctx.dry_run = dry_run;
    hmap_init(&ctx.symbols);

    long long next_cfg = -1;
    char (*new_ifaces)[37] = NULL;
    size_t n_new_ifaces = 0;
    for (;;) {
        ctx.txn = ovsdb_idl_txn_create(idl);
        ctx.try_again = false;
        ctx.ports_verified = false;
        symbols_clear(&ctx.symbols);
        vsctl_invalidate_cache(&ctx);
        ovsdb_idl_txn_add_comment(ctx.txn, "vs-vsctl");
        if (!run_commands(&ctx, cmds, n_cmds)) {
            /* wait-until: block for the next change, then run again. */
            ovsdb_idl_txn_destroy(ctx.txn);
            vsctl_invalidate_cache(&ctx);
            unsigned int seqno = ovsdb_idl_get_seqno(idl);
            while (ovsdb_idl_get_seqno(idl) == seqno) {
                int error = ovsdb_idl_run(idl, -1);
                if (error) {
                    vsctl_fatal("database connection failed (%s)",
                                error == EOF ? "closed" : vs_strerror(error));
                }
            }
            continue;
        }
        if (!no_wait) {
            ovsdb_idl_txn_increment(ctx.txn, ctx.ovs,
                                    idl_table_get_column(ctx.ovs->table,
                                                         "next_cfg"));
        }
        if (verbose || dry_run) {
            struct json_object *ops = ovsdb_idl_txn_build_ops(ctx.txn);
            if (verbose) {
                fprintf(stderr, "transact: %s\n",
                        json_object_to_json_string_ext(ops,
                                                       JSON_C_TO_STRING_PLAIN));
            }
            json_object_put(ops);
        }
        enum ovsdb_idl_txn_status status = (dry_run ? IDL_TXN_UNCHANGED
                                            : ovsdb_idl_txn_commit_block(
                                                ctx.txn, -1));
        if (status == IDL_TXN_TRY_AGAIN) {
            /* Someone changed what we read: refresh the replica. */
            if (verbose) {
                fprintf(stderr, "%s: transaction guard failed, trying "
                        "again\n", program_name);
            }
            ovsdb_idl_txn_destroy(ctx.txn);
            vsctl_invalidate_cache(&ctx);
            if (snapshot_only) {
                char *err;
                if (ovsdb_idl_resnapshot(idl, -1, &err)) {
                    vsctl_fatal("%s", err);
                }
                continue;
            }
            unsigned int seqno = ovsdb_idl_get_seqno(idl);
            for (int i = 0; i < 50 && ovsdb_idl_get_seqno(idl) == seqno; i++) {
                if (ovsdb_idl_run(idl, 100)) {
                    break;
                }
            }
            continue;
        }
        if (status == IDL_TXN_ERROR) {
            vsctl_fatal("%s", ovsdb_idl_txn_get_error(ctx.txn));
        }
        for (size_t i = 0; i < n_cmds; i++) {
            if (cmds[i].syntax->post) {
                ctx.cmd = &cmds[i];
                ctx.argc = cmds[i].argc;
                ctx.argv = cmds[i].argv;
                ctx.output = &cmds[i].output;
                cmds[i].syntax->post(&ctx);
            }
        }
        if (status == IDL_TXN_SUCCESS && !no_wait) {
            next_cfg = ovsdb_idl_txn_get_increment_new_value(ctx.txn);
            /* Interfaces this transaction created, to report errors. */
            struct idl_table *ift = ovsdb_idl_get_table(idl, "Interface");
            struct idl_row *row;
            IDL_ROW_FOR_EACH (row, ift) {
                const char *u = row->old ? NULL
                    : ovsdb_idl_txn_get_insert_uuid(ctx.txn, row);
                if (u) {
                    new_ifaces = xrealloc(new_ifaces, (n_new_ifaces + 1)
                                          * sizeof *new_ifaces);
                    snprintf(new_ifaces[n_new_ifaces++], 37, "%s", u);
                }
            }
        }
        break;
    }
    print_outputs(cmds, n_cmds);
    fflush(stdout);
    if (next_cfg < 0 && !getenv("VS_VSCTL_FREE_ALL")) {
        /* Nothing left to do: the kernel frees memory faster than freeing
         * thousands of rows one by one (VS_VSCTL_FREE_ALL for leak
         * checkers). */
        exit(ferror(stdout) ? 1 : 0);
    }
    ovsdb_idl_txn_destroy(ctx.txn);
    vsctl_invalidate_cache(&ctx);
    if (next_cfg >= 0) {
        wait_for_reload(idl, next_cfg, new_ifaces, n_new_ifaces);
    }

    free(new_ifaces);
    symbols_clear(&ctx.symbols);
    hmap_destroy(&ctx.symbols);
    for (size_t i = 0; i < n_cmds; i++) {
        ds_destroy(&cmds[i].output);
        if (global_columns) {
            /* The --columns= we appended is the last option. */
            free(cmds[i].options[cmds[i].n_options - 1]);
        }
        free(cmds[i].options);
    }
    free(cmds);
    free(global_columns);
    ovsdb_idl_destroy(idl);
    return 0;
}
