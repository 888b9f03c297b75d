#include <config.h>
#include "daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "dirs.h"
#include "fatal-signal.h"
#include "timeval.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(daemon);

static bool detach;
static bool chdir_ = true;
static bool monitor;
static bool overwrite_pidfile;
static char *pidfile;
static int pidfile_fd = -1;     /* Held open: its fcntl lock marks us live. */
static int ready_fd = -1;       /* Write end of the readiness pipe. */
static int monitor_ready_fd = -1;   /* Same, to the monitor. */
static bool detached;           /* This process is the detached daemon. */

/* Returns 'name' as an absolute path (we may chdir("/") later). */
static char *
make_absolute(const char *name)
{
    if (name[0] == '/') {
        return xstrdup(name);
    }
    char *cwd = getcwd(NULL, 0);
    if (!cwd) {
        vs_fatal(errno, "getcwd failed");
    }
    char *abs = xasprintf("%s/%s", cwd, name);
    free(cwd);
    return abs;
}

void
set_detach(void)
{
    detach = true;
}

bool
get_detach(void)
{
    return detach;
}

void
set_no_chdir(void)
{
    chdir_ = false;
}

void
set_monitor(void)
{
    monitor = true;
}

void
set_pidfile(const char *name)
{
    free(pidfile);
    if (name && name[0]) {
        pidfile = make_absolute(name);
    } else {
        /* The default directory may not exist yet on a fresh system. */
        mkdir(vs_rundir(), 0755);
        pidfile = xasprintf("%s/%s.pid", vs_rundir(), program_name);
    }
}

const char *
get_pidfile(void)
{
    return pidfile;
}

void
ignore_existing_pidfile(void)
{
    overwrite_pidfile = true;
}

void
daemon_set_log_file(const char *name)
{
    char *abs = name && name[0] ? make_absolute(name) : NULL;
    int error = vlog_set_log_file(abs);
    if (error) {
        vs_fatal(error, "could not open log file %s",
                 abs ? abs : "(default)");
    }
    free(abs);
}

void
daemon_usage(void)
{
    printf("\nDaemon options:\n"
           "  --detach                run in background as daemon\n"
           "  --monitor               restart the daemon if it crashes\n"
           "  --no-chdir              do not chdir to '/' when detached\n"
           "  --pidfile[=FILE]        create pidfile (default: %s/%s.pid)\n"
           "  --overwrite-pidfile     with --pidfile, start even if already "
           "running\n"
           "  --log-file[=FILE]       log to FILE (default: %s/%s.log)\n"
           "  -v, --verbose[=SPEC]    set log levels, e.g. ANY:console:dbg\n",
           vs_rundir(), program_name, vs_logdir(), program_name);
}

/* Pidfile. */

int
read_pidfile(const char *path, pid_t *pidp)
{
    char buf[32];
    struct flock lck;
    ssize_t n;
    int fd, error = 0;

    *pidp = 0;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return errno;
    }
    n = read(fd, buf, sizeof buf - 1);
    if (n < 0) {
        error = errno;
        goto out;
    }
    buf[n] = '\0';
    long long pid;
    buf[strcspn(buf, "\n")] = '\0';
    if (!str_to_llong(buf, 10, &pid) || pid <= 0) {
        error = EINVAL;
        goto out;
    }
    if (pid == getpid()) {
        *pidp = pid;            /* Our own lock never conflicts with us. */
        goto out;
    }

    memset(&lck, 0, sizeof lck);
    lck.l_type = F_WRLCK;
    lck.l_whence = SEEK_SET;
    if (fcntl(fd, F_GETLK, &lck)) {
        error = errno;
    } else if (lck.l_type == F_UNLCK) {
        error = ESRCH;          /* Nobody holds it: stale. */
    } else {
        *pidp = lck.l_pid;
    }
out:
    close(fd);
    return error;
}

static void
make_pidfile(void)
{
    pid_t other;
    int error;

    if (!overwrite_pidfile && !read_pidfile(pidfile, &other)
        && other != getpid()) {
        vs_fatal(0, "%s: already running as pid %ld, aborting",
                 pidfile, (long) other);
    }

    char *tmp = xasprintf("%s.tmp", pidfile);
    unlink(tmp);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        vs_fatal(errno, "%s: create failed", tmp);
    }
    struct flock lck;
    memset(&lck, 0, sizeof lck);
    lck.l_type = F_WRLCK;
    lck.l_whence = SEEK_SET;
    if (fcntl(fd, F_SETLK, &lck)) {
        error = errno;
        unlink(tmp);
        vs_fatal(error, "%s: fcntl lock failed", tmp);
    }
    char *line = xasprintf("%ld\n", (long) getpid());
    size_t len = strlen(line);
    if (write(fd, line, len) != (ssize_t) len) {
        error = errno;
        unlink(tmp);
        vs_fatal(error, "%s: write failed", tmp);
    }
    free(line);
    fatal_signal_add_file_to_unlink(pidfile);
    if (rename(tmp, pidfile)) {
        error = errno;
        unlink(tmp);
        vs_fatal(error, "failed to rename %s to %s", tmp, pidfile);
    }
    free(tmp);
    if (pidfile_fd >= 0) {
        close(pidfile_fd);
    }
    pidfile_fd = fd;
}

/* Detaching. */

/* Forks twice.  Returns in the grandchild (the daemon, not a session
 * leader, not a child of the shell).  The original process stays in this
 * function until the daemon says it is ready, then exits 0; if the daemon
 * dies first, it exits 1. */
static void
detach_process(void)
{
    int fds[2];

    if (pipe2(fds, O_CLOEXEC)) {
        vs_fatal(errno, "pipe failed");
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        vs_fatal(errno, "fork failed");
    } else if (pid > 0) {
        /* Original process: wait for readiness. */
        char c;
        ssize_t n;

        close(fds[1]);
        do {
            n = read(fds[0], &c, 1);
        } while (n < 0 && errno == EINTR);
        waitpid(pid, NULL, 0);
        if (n == 1) {
            _exit(0);
        }
        fprintf(stderr, "%s: daemon exited before becoming ready\n",
                program_name);
        _exit(1);
    }

    /* First child. */
    close(fds[0]);
    if (setsid() < 0) {
        vs_fatal(errno, "setsid failed");
    }
    pid = fork();
    if (pid < 0) {
        vs_fatal(errno, "fork failed");
    } else if (pid > 0) {
        _exit(0);
    }

    /* The daemon. */
    ready_fd = fds[1];
    detached = true;
    if (chdir_ && chdir("/")) {
        vs_fatal(errno, "chdir(\"/\") failed");
    }
}

static void
redirect_stdio_to_null(void)
{
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null >= 0) {
        dup2(null, STDIN_FILENO);
        dup2(null, STDOUT_FILENO);
        dup2(null, STDERR_FILENO);
        if (null > STDERR_FILENO) {
            close(null);
        }
    }
}

/* Monitoring. */

static volatile sig_atomic_t monitor_stop_sig;

static void
monitor_signal_handler(int sig)
{
    monitor_stop_sig = sig;
}

static bool
is_stop_signal(int sig)
{
    return sig == SIGTERM || sig == SIGINT || sig == SIGHUP;
}

/* Sleeps 'ms' unless a stop signal arrives.  Returns false if one did. */
static bool
monitor_sleep(long long ms)
{
    struct timespec ts;

    msec_to_timespec(ms, &ts);
    while (!monitor_stop_sig && nanosleep(&ts, &ts) && errno == EINTR) {
        continue;
    }
    return !monitor_stop_sig;
}

static void
remove_stale_ctl_socket(pid_t pid)
{
    char *path = xasprintf("%s/%s.%ld.ctl", vs_rundir(), program_name,
                           (long) pid);
    unlink(path);
    free(path);
}

/* Becomes the monitor: forks the daemon and restarts it when it crashes.
 * Returns only in a daemon child. */
static void
monitor_daemon(void)
{
    static const int stop_signals[] = { SIGTERM, SIGINT, SIGHUP };
    struct sigaction old[ARRAY_SIZE(stop_signals)], sa;
    long long backoff = 0;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = monitor_signal_handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;            /* No SA_RESTART: waitpid() must return. */
    for (size_t i = 0; i < ARRAY_SIZE(stop_signals); i++) {
        sigaction(stop_signals[i], &sa, &old[i]);
    }

    for (bool first = true; ; first = false) {
        int mon[2];

        if (pipe2(mon, O_CLOEXEC | O_NONBLOCK)) {
            vs_fatal(errno, "pipe failed");
        }
        fflush(stdout);
        fflush(stderr);
        pid_t pid = fork();
        if (pid < 0) {
            vs_fatal(errno, "fork failed");
        } else if (pid == 0) {
            for (size_t i = 0; i < ARRAY_SIZE(stop_signals); i++) {
                sigaction(stop_signals[i], &old[i], NULL);
            }
            close(mon[0]);
            monitor_ready_fd = mon[1];
            return;
        }
        close(mon[1]);

        /* The daemon owns readiness reporting from here on; a restarted
         * daemon has nobody to report to. */
        if (ready_fd >= 0) {
            close(ready_fd);
            ready_fd = -1;
        }
        /* A detached monitor must not hold the starter's terminal or pipe
         * open (a shell's $(...) would wait for it forever). */
        if (detached) {
            redirect_stdio_to_null();
            detached = false;
        }
        VLOG_INFO("monitoring pid %ld", (long) pid);
        long long started = time_msec();
        int status;
        while (waitpid(pid, &status, 0) < 0) {
            if (errno != EINTR) {
                vs_fatal(errno, "waitpid failed");
            }
            if (monitor_stop_sig) {
                kill(pid, monitor_stop_sig);
            }
        }

        char c;
        bool was_ready = read(mon[0], &c, 1) == 1;
        close(mon[0]);

        if (monitor_stop_sig) {
            VLOG_INFO("stopping with signal %d", (int) monitor_stop_sig);
            remove_stale_ctl_socket(pid);
            signal(monitor_stop_sig, SIG_DFL);
            raise(monitor_stop_sig);
            _exit(1);
        }
        if (WIFEXITED(status)) {
            if (WEXITSTATUS(status)) {
                VLOG_ERR("pid %ld exited with status %d, not restarting",
                         (long) pid, WEXITSTATUS(status));
            }
            exit(WEXITSTATUS(status));
        }
        int sig = WTERMSIG(status);
        if (is_stop_signal(sig)) {
            VLOG_INFO("pid %ld stopped by signal %d (%s)", (long) pid, sig,
                      strsignal(sig));
            remove_stale_ctl_socket(pid);
            exit(0);
        }

        /* Crashed.  A daemon that never got through its first start-up
         * would only crash again: give up.  Otherwise restart at once if
         * it ran a while, else back off. */
        remove_stale_ctl_socket(pid);
        if (first && !was_ready) {
            VLOG_ERR("pid %ld died during start-up, killed by signal %d "
                     "(%s), not restarting", (long) pid, sig, strsignal(sig));
            exit(1);
        }
        backoff = time_msec() - started >= 10000 ? 0
                  : MIN(MAX(backoff * 2, 1000), 30000);
        VLOG_ERR("pid %ld died, killed by signal %d (%s), restarting%s",
                 (long) pid, sig, strsignal(sig),
                 backoff ? " after a delay" : "");
        if (backoff && !monitor_sleep(backoff)) {
            exit(0);
        }
    }
}

void
daemonize_start(void)
{
    if (detach) {
        detach_process();
    }
    if (monitor) {
        monitor_daemon();
    }
    if (pidfile) {
        make_pidfile();
    }
    fatal_signal_init();
}

void
daemonize_complete(void)
{
    /* Let go of the starter's stdio first, so that when it exits nothing
     * of ours holds its terminal or pipe. */
    if (detached) {
        redirect_stdio_to_null();
        detached = false;       /* Done once. */
    }
    if (ready_fd >= 0) {
        ssize_t VS_UNUSED n = write(ready_fd, "", 1);
        close(ready_fd);
        ready_fd = -1;
    }
    if (monitor_ready_fd >= 0) {
        ssize_t VS_UNUSED n = write(monitor_ready_fd, "", 1);
        close(monitor_ready_fd);
        monitor_ready_fd = -1;
    }
}

void
daemonize(void)
{
    daemonize_start();
    daemonize_complete();
}
