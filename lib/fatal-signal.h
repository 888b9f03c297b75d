/* Cleanup on fatal signals and at exit.
 *
 * SIGTERM, SIGINT, SIGHUP and SIGALRM are caught once fatal_signal_init()
 * has run (any of the add functions below runs it): the handler only notes
 * the signal; poll_block() then calls fatal_signal_run(), which runs the
 * hooks (unlinking pidfiles and sockets, ...) and dies of the same signal,
 * so the exit status still says what happened.  Hooks registered with
 * 'run_at_exit' also run at normal exit().  SIGPIPE is ignored: writers see
 * EPIPE instead. */
#ifndef VS_FATAL_SIGNAL_H
#define VS_FATAL_SIGNAL_H 1

#include <stdbool.h>

void fatal_signal_init(void);

/* Adds 'hook(aux)', run at most once.  'cancel(aux)' (may be NULL) is what
 * fatal_signal_fork() calls instead in a child that must not run it. */
void fatal_signal_add_hook(void (*hook)(void *aux), void (*cancel)(void *aux),
                           void *aux, bool run_at_exit);

/* Unlinks 'file' at a fatal signal or exit, unless removed meanwhile. */
void fatal_signal_add_file_to_unlink(const char *file);
void fatal_signal_remove_file_to_unlink(const char *file);
/* Unlinks 'file' now and forgets it.  Returns 0 or a positive errno. */
int fatal_signal_unlink_file_now(const char *file);

/* Runs the hooks and dies if a fatal signal arrived; else does nothing. */
void fatal_signal_run(void);
/* Makes poll_block() wake when a fatal signal arrives. */
void fatal_signal_wait(void);

/* In a freshly forked child: forgets all hooks (calling their 'cancel'), so
 * the child's exit does not unlink the parent's files. */
void fatal_signal_fork(void);

/* Test helper: true if a fatal signal is pending. */
bool fatal_signal_pending(void);

#endif /* fatal-signal.h */
