/* vs-testd: a small real daemon built only for tests.  It uses the whole
 * core runtime (daemon options, vlog, poll loop, coverage, unixctl) and
 * adds a few commands of its own, so that system tests can drive it with
 * vs-appctl end to end. */
#include <config.h>

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "coverage.h"
#include "daemon.h"
#include "dynamic-string.h"
#include "poll-loop.h"
#include "timeval.h"
#include "unixctl.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(testd);

COVERAGE_DEFINE(testd_echo);

/* A reply owed by "testd/defer", sent from the main loop. */
static struct unixctl_conn *deferred_conn;
static struct timer deferred_timer = TIMER_INITIALIZER;

static void
echo(struct unixctl_conn *conn, int argc, const char *argv[],
     void *aux VS_UNUSED)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    for (int i = 1; i < argc; i++) {
        ds_put_format(&s, "%s%s", i > 1 ? " " : "", argv[i]);
    }
    ds_put_char(&s, '\n');
    COVERAGE_INC(testd_echo);
    VLOG_INFO("echo: %s", argc > 1 ? argv[1] : "");
    VLOG_DBG("echo debug: %d arguments", argc - 1);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
error(struct unixctl_conn *conn, int argc VS_UNUSED, const char *argv[],
      void *aux VS_UNUSED)
{
    unixctl_command_reply_error(conn, argv[1]);
}

static void
defer(struct unixctl_conn *conn, int argc VS_UNUSED,
      const char *argv[] VS_UNUSED, void *aux VS_UNUSED)
{
    if (deferred_conn) {
        unixctl_command_reply_error(conn, "busy");
        return;
    }
    deferred_conn = conn;
    timer_set_duration(&deferred_timer, 200);
}

/* Never replies (the connection keeps its pending request), to test
 * client timeouts. */
static void
hang(struct unixctl_conn *conn VS_UNUSED, int argc VS_UNUSED,
     const char *argv[] VS_UNUSED, void *aux VS_UNUSED)
{
}

static void
crash(struct unixctl_conn *conn VS_UNUSED, int argc VS_UNUSED,
      const char *argv[] VS_UNUSED, void *aux VS_UNUSED)
{
    abort();
}

static void VS_NORETURN
usage(void)
{
    printf("%s: a test daemon\n"
           "usage: %s [OPTIONS]\n"
           "  --unixctl=PATH          control socket (default: "
           "RUNDIR/%s.PID.ctl)\n"
           "  -h, --help              print this help\n"
           "  -V, --version           print the version\n",
           program_name, program_name, program_name);
    daemon_usage();
    exit(EXIT_SUCCESS);
}

int
main(int argc, char *argv[])
{
    enum { OPT_UNIXCTL = UCHAR_MAX + 1 };
    static const struct option long_options[] = {
        {"unixctl", required_argument, NULL, OPT_UNIXCTL},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        DAEMON_LONG_OPTIONS,
        VLOG_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    const char *unixctl_path = NULL;
    struct unixctl_server *server;

    set_program_name(argv[0]);
    vlog_init();
    for (;;) {
        int c = getopt_long(argc, argv, "hVv::", long_options, NULL);
        if (c == -1) {
            break;
        }
        switch (c) {
        case OPT_UNIXCTL:
            unixctl_path = optarg;
            break;
        case 'h':
            usage();
        case 'V':
            vs_print_version();
            exit(EXIT_SUCCESS);
        DAEMON_OPTION_HANDLERS
        VLOG_OPTION_HANDLERS
        case '?':
            exit(EXIT_FAILURE);
        default:
            abort();
        }
    }

    daemonize_start();
    int err = unixctl_server_create(unixctl_path, &server);
    if (err) {
        vs_fatal(err, "could not create control socket");
    }
    unixctl_command_register("testd/echo", "[ARG...]", 0, INT_MAX, echo,
                             NULL);
    unixctl_command_register("testd/error", "MESSAGE", 1, 1, error, NULL);
    unixctl_command_register("testd/defer", "", 0, 0, defer, NULL);
    unixctl_command_register("testd/crash", "", 0, 0, crash, NULL);
    unixctl_command_register("testd/hang", "", 0, 0, hang, NULL);
    daemonize_complete();
    VLOG_INFO("ready, control socket %s", unixctl_server_get_path(server));

    for (;;) {
        unixctl_server_run(server);
        if (deferred_conn && timer_expired(&deferred_timer)) {
            unixctl_command_reply(deferred_conn, "deferred reply\n");
            deferred_conn = NULL;
            timer_set_infinite(&deferred_timer);
        }
        unixctl_server_wait(server);
        timer_wait(&deferred_timer);
        poll_block();
    }
}
