/* vs-appctl: sends a command to a running vswitch daemon's control socket
 * and prints the answer.
 *
 * Exit status: 0 on success, 1 if the daemon could not be reached (or did
 * not answer in time), 2 if it answered with an error. */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "daemon.h"
#include "dirs.h"
#include "unixctl.h"
#include "util.h"
#include "vlog.h"

static void VS_NORETURN
usage(void)
{
    printf("%s, for querying and controlling vswitch daemons\n"
           "usage: %s [TARGET] COMMAND [ARG...]\n"
           "Targets:\n"
           "  -t, --target=TARGET  daemon name (uses %s/TARGET.pid) or path\n"
           "                       of its control socket (default: "
           "vs-vswitchd)\n"
           "Common commands:\n"
           "  list-commands        list the commands the daemon supports\n"
           "  version              print the daemon's version\n"
           "  vlog/list            list log levels\n"
           "  vlog/set SPEC        set log levels, e.g. ANY:file:dbg\n"
           "  vlog/reopen          reopen the daemon's log file\n"
           "  coverage/show        show event counters\n"
           "  exit                 ask the daemon to exit\n"
           "Other options:\n"
           "  -T, --timeout=SECS   give up after SECS seconds\n"
           "  -h, --help           print this help\n"
           "  -V, --version        print the version\n",
           program_name, program_name, vs_rundir());
    exit(EXIT_SUCCESS);
}

/* Returns the socket path for 'target' (caller frees); exits on error. */
static char *
target_to_socket(const char *target)
{
    if (strchr(target, '/')) {
        return xstrdup(target);
    }
    char *pidfile = xasprintf("%s/%s.pid", vs_rundir(), target);
    pid_t pid;
    int error = read_pidfile(pidfile, &pid);
    if (error) {
        vs_fatal(0, "cannot read pidfile \"%s\" (%s)", pidfile,
                 error == ESRCH ? "stale: the daemon is not running"
                                : vs_strerror(error));
    }
    free(pidfile);
    return xasprintf("%s/%s.%ld.ctl", vs_rundir(), target, (long) pid);
}

int
main(int argc, char *argv[])
{
    static const struct option long_options[] = {
        {"target", required_argument, NULL, 't'},
        {"timeout", required_argument, NULL, 'T'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        VLOG_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    const char *target = "vs-vswitchd";
    int timeout_ms = -1;

    set_program_name(argv[0]);
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_WARN);
    for (;;) {
        /* '+': stop at the command, whose arguments may start with '-'. */
        int c = getopt_long(argc, argv, "+t:T:hVv::", long_options, NULL);
        if (c == -1) {
            break;
        }
        switch (c) {
        case 't':
            target = optarg;
            break;
        case 'T': {
            unsigned int secs;
            if (!str_to_uint(optarg, 10, &secs) || !secs
                || secs > INT_MAX / 1000) {
                vs_fatal(0, "value %s on --timeout is invalid", optarg);
            }
            timeout_ms = secs * 1000;
            break;
        }
        case 'h':
            usage();
        case 'V':
            vs_print_version();
            exit(EXIT_SUCCESS);
        VLOG_OPTION_HANDLERS
        case '?':
            exit(EXIT_FAILURE);
        default:
            abort();
        }
    }
    if (optind >= argc) {
        vs_fatal(0, "at least one non-option argument is required "
                 "(use --help for help)");
    }

    char *socket = target_to_socket(target);
    char *result, *error;
    int status = unixctl_client_transact(socket, argv[optind],
                                         argc - optind - 1,
                                         (const char **) argv + optind + 1,
                                         timeout_ms, &result, &error);
    if (status) {
        vs_fatal(0, "%s", error);
    }
    if (error) {
        fputs(error, stderr);
        if (error[0] && error[strlen(error) - 1] != '\n') {
            putc('\n', stderr);
        }
        fprintf(stderr, "%s: %s: server returned an error\n",
                program_name, target);
        free(error);
        free(socket);
        exit(2);
    }
    fputs(result, stdout);
    free(result);
    free(socket);
    return 0;
}
