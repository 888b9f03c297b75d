#include <config.h>
#include "fatal-signal.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include "poll-loop.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(fatal_signal);

static const int fatal_signals[] = { SIGTERM, SIGINT, SIGHUP, SIGALRM };

struct hook {
    void (*func)(void *aux);
    void (*cancel)(void *aux);
    void *aux;
    bool run_at_exit;
};

#define MAX_HOOKS 64
static struct hook hooks[MAX_HOOKS];
static size_t n_hooks;
/* Recursive: a hook may add or remove files while hooks run. */
static pthread_mutex_t hook_mutex;

static volatile sig_atomic_t stored_sig_nr;
static int signal_fds[2] = { -1, -1 };
static bool inited;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static char **files;            /* Files to unlink. */
static size_t n_files, allocated_files;

static void call_hooks(int sig_nr);

static void
fatal_signal_handler(int sig_nr)
{
    int save_errno = errno;
    ssize_t VS_UNUSED r;

    stored_sig_nr = sig_nr;
    r = write(signal_fds[1], "", 1);
    errno = save_errno;
}

static void
atexit_handler(void)
{
    call_hooks(0);
}

static void
do_init(void)
{
    pthread_mutexattr_t attr;

    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&hook_mutex, &attr);
    pthread_mutexattr_destroy(&attr);

    if (pipe2(signal_fds, O_NONBLOCK | O_CLOEXEC)) {
        vs_fatal(errno, "could not create fatal-signal pipe");
    }
    for (size_t i = 0; i < ARRAY_SIZE(fatal_signals); i++) {
        struct sigaction old, sa;
        int sig = fatal_signals[i];

        if (sigaction(sig, NULL, &old)) {
            vs_fatal(errno, "sigaction(%d) failed", sig);
        }
        /* An ignored signal stays ignored (nohup and the like). */
        if (old.sa_handler == SIG_IGN) {
            continue;
        }
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = fatal_signal_handler;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_RESTART;
        if (sigaction(sig, &sa, NULL)) {
            vs_fatal(errno, "sigaction(%d) failed", sig);
        }
    }
    signal(SIGPIPE, SIG_IGN);
    atexit(atexit_handler);
    inited = true;
}

void
fatal_signal_init(void)
{
    pthread_once(&init_once, do_init);
}

void
fatal_signal_add_hook(void (*func)(void *aux), void (*cancel)(void *aux),
                      void *aux, bool run_at_exit)
{
    fatal_signal_init();
    pthread_mutex_lock(&hook_mutex);
    vs_assert(n_hooks < MAX_HOOKS);
    hooks[n_hooks].func = func;
    hooks[n_hooks].cancel = cancel;
    hooks[n_hooks].aux = aux;
    hooks[n_hooks].run_at_exit = run_at_exit;
    n_hooks++;
    pthread_mutex_unlock(&hook_mutex);
}

/* Runs the hooks once: for a signal (sig_nr > 0) all of them, at exit
 * (sig_nr == 0) those that asked for it. */
static void
call_hooks(int sig_nr)
{
    static bool recurse;

    if (!inited) {
        return;
    }
    pthread_mutex_lock(&hook_mutex);
    if (!recurse) {
        recurse = true;
        for (size_t i = 0; i < n_hooks; i++) {
            if (sig_nr || hooks[i].run_at_exit) {
                hooks[i].func(hooks[i].aux);
            }
        }
    }
    pthread_mutex_unlock(&hook_mutex);
}

void
fatal_signal_run(void)
{
    int sig_nr = stored_sig_nr;

    if (!inited || !sig_nr) {
        return;
    }
    VLOG_WARN("terminating with signal %d (%s)", sig_nr, strsignal(sig_nr));
    call_hooks(sig_nr);
    /* Die of the same signal, so the parent sees how we ended. */
    signal(sig_nr, SIG_DFL);
    raise(sig_nr);
    _exit(128 + sig_nr);        /* Only if the signal was blocked. */
}

void
fatal_signal_wait(void)
{
    if (inited) {
        poll_fd_wait_kept(signal_fds[0], POLLIN);   /* Never closed. */
    }
}

bool
fatal_signal_pending(void)
{
    return stored_sig_nr != 0;
}

void
fatal_signal_fork(void)
{
    if (!inited) {
        return;
    }
    pthread_mutex_lock(&hook_mutex);
    for (size_t i = 0; i < n_hooks; i++) {
        if (hooks[i].cancel) {
            hooks[i].cancel(hooks[i].aux);
        }
    }
    n_hooks = 0;
    /* The files hook is registered again when a file is added. */
    for (size_t i = 0; i < n_files; i++) {
        free(files[i]);
    }
    n_files = 0;
    pthread_mutex_unlock(&hook_mutex);
}

/* Files to unlink. */

static bool files_hook_added;

static void
unlink_files(void *aux VS_UNUSED)
{
    for (size_t i = 0; i < n_files; i++) {
        unlink(files[i]);
    }
}

static void
cancel_files(void *aux VS_UNUSED)
{
    files_hook_added = false;
}

void
fatal_signal_add_file_to_unlink(const char *file)
{
    fatal_signal_init();
    pthread_mutex_lock(&hook_mutex);
    if (!files_hook_added) {
        files_hook_added = true;
        fatal_signal_add_hook(unlink_files, cancel_files, NULL, true);
    }
    for (size_t i = 0; i < n_files; i++) {
        if (!strcmp(files[i], file)) {
            pthread_mutex_unlock(&hook_mutex);
            return;
        }
    }
    if (n_files >= allocated_files) {
        files = x2nrealloc(files, &allocated_files, sizeof *files);
    }
    files[n_files++] = xstrdup(file);
    pthread_mutex_unlock(&hook_mutex);
}

void
fatal_signal_remove_file_to_unlink(const char *file)
{
    if (!inited) {
        return;
    }
    pthread_mutex_lock(&hook_mutex);
    for (size_t i = 0; i < n_files; i++) {
        if (!strcmp(files[i], file)) {
            free(files[i]);
            files[i] = files[--n_files];
            break;
        }
    }
    pthread_mutex_unlock(&hook_mutex);
}

int
fatal_signal_unlink_file_now(const char *file)
{
    int error = unlink(file) ? errno : 0;

    if (error) {
        VLOG_WARN("could not unlink \"%s\" (%s)", file, vs_strerror(error));
    }
    fatal_signal_remove_file_to_unlink(file);
    return error;
}
