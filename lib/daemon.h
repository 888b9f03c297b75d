/* Running as a daemon: --detach, --pidfile, --monitor, --no-chdir,
 * --log-file, --overwrite-pidfile.
 *
 *     static const struct option long_options[] = {
 *         ...,
 *         DAEMON_LONG_OPTIONS,
 *         VLOG_LONG_OPTIONS,
 *         {NULL, 0, NULL, 0},
 *     };
 *     ... switch (c) { DAEMON_OPTION_HANDLERS VLOG_OPTION_HANDLERS ... }
 *
 *     daemonize_start();          -- detach, monitor, write the pidfile
 *     ... open sockets, unixctl_server_create() ...
 *     daemonize_complete();       -- now "vs-foo --detach" returns 0
 *
 * With --detach the starting process waits until the daemon calls
 * daemonize_complete(), so when the command returns the daemon is really
 * ready (its sockets exist); if the daemon dies first, the command fails.
 * The pidfile is locked with fcntl() for the daemon's life, so a stale
 * pidfile (daemon gone) is told apart from a live one.
 *
 * --monitor keeps a supervisor process that restarts the daemon when it
 * dies of a signal other than SIGTERM/SIGINT/SIGHUP (a crash or kill -9),
 * with a backoff when it keeps dying quickly. */
#ifndef VS_DAEMON_H
#define VS_DAEMON_H 1

#include <getopt.h>
#include <stdbool.h>
#include <sys/types.h>

/* Option codes, above any short option or program's UCHAR_MAX+1 range. */
enum {
    OPT_DETACH = 0x7100,
    OPT_NO_CHDIR,
    OPT_PIDFILE,
    OPT_OVERWRITE_PIDFILE,
    OPT_MONITOR,
    OPT_LOG_FILE,
};
/* For programs that list option enums OVS-style; expands to nothing useful. */
#define DAEMON_OPTION_ENUMS OPT_DAEMON_ENUMS_UNUSED__

#define DAEMON_LONG_OPTIONS                                             \
    {"detach", no_argument, NULL, OPT_DETACH},                          \
    {"no-chdir", no_argument, NULL, OPT_NO_CHDIR},                      \
    {"pidfile", optional_argument, NULL, OPT_PIDFILE},                  \
    {"overwrite-pidfile", no_argument, NULL, OPT_OVERWRITE_PIDFILE},    \
    {"monitor", no_argument, NULL, OPT_MONITOR},                        \
    {"log-file", optional_argument, NULL, OPT_LOG_FILE}

#define DAEMON_OPTION_HANDLERS                                          \
    case OPT_DETACH:                                                    \
        set_detach();                                                   \
        break;                                                          \
    case OPT_NO_CHDIR:                                                  \
        set_no_chdir();                                                 \
        break;                                                          \
    case OPT_PIDFILE:                                                   \
        set_pidfile(optarg);                                            \
        break;                                                          \
    case OPT_OVERWRITE_PIDFILE:                                         \
        ignore_existing_pidfile();                                      \
        break;                                                          \
    case OPT_MONITOR:                                                   \
        set_monitor();                                                  \
        break;                                                          \
    case OPT_LOG_FILE:                                                  \
        daemon_set_log_file(optarg);                                    \
        break;

void set_detach(void);
bool get_detach(void);
void set_no_chdir(void);
void set_monitor(void);
/* NULL: $VS_RUNDIR/PROGRAM.pid.  Relative names are made absolute now. */
void set_pidfile(const char *name);
const char *get_pidfile(void);            /* NULL if no pidfile. */
void ignore_existing_pidfile(void);
/* Opens the log file now (NULL: $VS_LOGDIR/PROGRAM.log); exits on error. */
void daemon_set_log_file(const char *name);

/* Prints the daemon options for --help. */
void daemon_usage(void);

/* Detaches, starts the monitor and creates the pidfile, as asked; exits
 * with a message if that fails.  Call before opening sockets. */
void daemonize_start(void);
/* Tells the waiting parent that the daemon is ready and, if detached,
 * points stdin/stdout/stderr at /dev/null.  Idempotent. */
void daemonize_complete(void);
/* Both, for daemons that are ready at once. */
void daemonize(void);

/* Reads the pid of the live process that holds pidfile 'path'.  Returns 0,
 * ENOENT if there is no such file, ESRCH if the file is stale (no process
 * holds its lock), or another positive errno. */
int read_pidfile(const char *path, pid_t *pidp);

#endif /* daemon.h */
