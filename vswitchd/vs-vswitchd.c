/* vs-vswitchd: the switch daemon.  Follows its configuration, runs every
 * bridge's NORMAL switching over its datapath, and leaves the datapaths
 * forwarding (pinned) when it exits or dies, so the next instance adopts
 * them. */
#include <config.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "daemon.h"
#include "dirs.h"
#include "fatal-signal.h"
#include "poll-loop.h"
#include "stream-ssl.h"
#include "timeval.h"
#include "unixctl.h"
#include "util.h"
#include "vlog.h"
#include "vswitchd/bridge.h"
#include "vswitchd/cfg-file.h"
#include "vswitchd/cfg-ovsdb.h"
#include "vswitchd/vswitchd-unixctl.h"

VLOG_DEFINE_THIS_MODULE(vswitchd);

#define CFG_POLL_MS 200
#define STATS_INTERVAL_MS 5000
#define CONTROLLER_CHECK_MS 500   /* Connection changes reach the DB this fast. */

static const char *unixctl_path;  /* --unixctl=PATH. */
static const char *config_file;   /* --config=FILE, or... */
static const char *db_remote;     /* ...the database (unix:PATH, tcp:...). */
static bool delete_on_exit;

/* TLS files from the command line, used while the database has no SSL
 * row (as in Open vSwitch, a row overrides them). */
static const char *ssl_private_key, *ssl_certificate, *ssl_ca_cert;
static bool ssl_bootstrap;

static void
usage(void)
{
    printf("%s: vswitch daemon\n"
           "usage: %s [OPTIONS] [DATABASE]\n"
           "DATABASE is the Open_vSwitch database, e.g. unix:$VS_RUNDIR/db.sock\n"
           "(the default).\n"
           "  --config=FILE        instead, read bridges and ports from JSON FILE\n"
           "                       (re-read when it changes)\n"
           "  --delete-datapaths   remove the datapaths at exit (default:\n"
           "                       leave them forwarding for the next start)\n"
           "  --unixctl=PATH       control socket (default\n"
           "                       $VS_RUNDIR/vs-vswitchd.PID.ctl)\n"
           "  --private-key=FILE   TLS private key for ssl:/pssl: controllers\n"
           "  --certificate=FILE   TLS certificate for the private key\n"
           "  --ca-cert=FILE       CA certificate that peers must be signed by\n"
           "  --bootstrap-ca-cert=FILE  same, but if FILE is missing, save the\n"
           "                       CA of the first controller connected to\n"
           "                       (the database's SSL row overrides these)\n"
           "  -v, --verbose=SPEC   set log levels (module:destination:level)\n"
           "  -h, --help  -V, --version\n",
           program_name, program_name);
    daemon_usage();
    printf("The datapaths pin their BPF state in $VS_BPF_DIR "
           "(default /sys/fs/bpf/vswitch).\n");
}

static void
parse_options(int argc, char *argv[])
{
    enum { OPT_CONFIG = UCHAR_MAX + 1, OPT_DELETE, OPT_UNIXCTL,
           OPT_PRIVATE_KEY, OPT_CERTIFICATE, OPT_CA_CERT, OPT_BOOTSTRAP_CA };
    static const struct option long_options[] = {
        {"config", required_argument, NULL, OPT_CONFIG},
        {"delete-datapaths", no_argument, NULL, OPT_DELETE},
        {"unixctl", required_argument, NULL, OPT_UNIXCTL},
        {"private-key", required_argument, NULL, OPT_PRIVATE_KEY},
        {"certificate", required_argument, NULL, OPT_CERTIFICATE},
        {"ca-cert", required_argument, NULL, OPT_CA_CERT},
        {"bootstrap-ca-cert", required_argument, NULL, OPT_BOOTSTRAP_CA},
        {"verbose", optional_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        DAEMON_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    int c;

    while ((c = getopt_long(argc, argv, "v::hV", long_options, NULL)) != -1) {
        switch (c) {
        case OPT_CONFIG:
            config_file = optarg;
            break;
        case OPT_DELETE:
            delete_on_exit = true;
            break;
        case OPT_UNIXCTL:
            unixctl_path = optarg;
            break;
        case OPT_PRIVATE_KEY:
            ssl_private_key = optarg;
            break;
        case OPT_CERTIFICATE:
            ssl_certificate = optarg;
            break;
        case OPT_CA_CERT:
        case OPT_BOOTSTRAP_CA:
            ssl_ca_cert = optarg;
            ssl_bootstrap = c == OPT_BOOTSTRAP_CA;
            break;
        case 'v':
            vlog_set_verbosity(optarg);
            break;
        case 'h':
            usage();
            exit(EXIT_SUCCESS);
        case 'V':
            vs_print_version();
            exit(EXIT_SUCCESS);
        DAEMON_OPTION_HANDLERS
        default:
            exit(EXIT_FAILURE);
        }
    }
    if (argc - optind > 1) {
        vs_fatal(0, "unexpected argument \"%s\"; try --help", argv[optind + 1]);
    }
    if (optind < argc) {
        if (config_file) {
            vs_fatal(0, "give either DATABASE or --config, not both");
        }
        db_remote = argv[optind];
    } else if (!config_file) {
        db_remote = xasprintf("unix:%s/db.sock", vs_rundir());
    }
}

static void
reload_config(void)
{
    struct vs_cfg cfg;
    char *error = cfg_file_read(config_file, &cfg);
    if (error) {
        /* Keep running with the previous configuration. */
        VLOG_ERR("%s", error);
        free(error);
        return;
    }
    bridge_reconfigure(&cfg);
    vs_cfg_destroy(&cfg);
}

#define SSL_CHECK_MS 1000         /* Renewed certificate files, this fast. */

/* Applies the TLS configuration: the database's SSL row if there is one,
 * else the command line.  Only changed files are loaded again
 * (stream-ssl.h); 'force' after a reconfiguration, else once a second, so
 * that a busy main loop does not stat() the files on every pass. */
static void
run_ssl(struct cfg_ovsdb *db, bool force)
{
    static long long next_check;
    long long now = time_msec();
    if (!force && now < next_check) {
        return;
    }
    next_check = now + SSL_CHECK_MS;

    struct cfg_ovsdb_ssl row;
    if (db && cfg_ovsdb_get_ssl(db, &row)) {
        stream_ssl_follow_files(row.private_key, row.certificate,
                                row.ca_cert, row.bootstrap_ca_cert);
    } else if (ssl_private_key || ssl_certificate || ssl_ca_cert) {
        stream_ssl_follow_files(ssl_private_key, ssl_certificate,
                                ssl_ca_cert, ssl_bootstrap);
    }
}

static void
exit_hook(void *aux VS_UNUSED)
{
    bridge_exit(delete_on_exit);
}

static void
run_db(struct cfg_ovsdb *db)
{
    static long long next_stats, next_controller_check;
    static uint32_t controller_hash;
    static bool report_pending;
    struct vs_cfg cfg;
    bool applied = false;

    if (cfg_ovsdb_run(db, &cfg)) {
        run_ssl(db, true);      /* Before the controllers connect. */
        bridge_reconfigure(&cfg);
        vs_cfg_destroy(&cfg);
        applied = report_pending = true;
    }
    long long now = time_msec();
    bool stats = now >= next_stats;
    if (now >= next_controller_check) {
        uint32_t hash = bridge_controller_status_hash();
        if (hash != controller_hash) {
            controller_hash = hash;
            report_pending = true;
        }
        next_controller_check = now + CONTROLLER_CHECK_MS;
    }
    if (applied || report_pending || stats) {
        report_pending = !cfg_ovsdb_report(db, true, stats);
        if (stats) {
            next_stats = now + STATS_INTERVAL_MS;
        }
    }
    (void) applied;
    poll_timer_wait_until(next_stats);
    poll_timer_wait_until(next_controller_check);
    if (report_pending) {
        poll_timer_wait(100);
    }
}

int
main(int argc, char *argv[])
{
    long long next_cfg_check = 0;
    struct cfg_ovsdb *db = NULL;
    struct unixctl_server *unixctl;

    set_program_name(argv[0]);
    vlog_init();
    parse_options(argc, argv);
    daemonize_start();
    fatal_signal_add_hook(exit_hook, NULL, NULL, true);
    int error = unixctl_server_create(unixctl_path, &unixctl);
    if (error) {
        vs_fatal(error, "cannot create the control socket");
    }
    vswitchd_unixctl_register();

    if (config_file) {
        run_ssl(NULL, true);    /* Before the controllers connect. */
        cfg_file_changed(config_file);
        reload_config();
    } else {
        db = cfg_ovsdb_create(db_remote);
    }
    daemonize_complete();
    VLOG_INFO("%s started (%s)", program_name,
              config_file ? config_file : db_remote);

    for (;;) {
        if (db) {
            run_db(db);
            run_ssl(db, false);
        } else {
            long long now = time_msec();
            run_ssl(NULL, false);
            if (now >= next_cfg_check) {
                if (cfg_file_changed(config_file)) {
                    reload_config();
                }
                next_cfg_check = now + CFG_POLL_MS;
            }
            poll_timer_wait_until(next_cfg_check);
        }
        bridge_run();
        unixctl_server_run(unixctl);

        bridge_wait();
        unixctl_server_wait(unixctl);
        if (db) {
            cfg_ovsdb_wait(db);
        }
        poll_block();
    }
}
