/* Logging with per-module levels, three destinations and rate limiting.
 *
 * In each .c file:
 *
 *     VLOG_DEFINE_THIS_MODULE(bridge);
 *     ...
 *     VLOG_WARN("port %s: %s", name, vs_strerror(error));
 *
 * Anything a peer can trigger must be rate-limited:
 *
 *     static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
 *     VLOG_WARN_RL(&rl, "bad message from %s", peer);
 *
 * Each module has one level per destination (console = stderr, syslog,
 * file); a message goes to each destination whose level admits it.
 * Defaults: console INFO, syslog OFF, file INFO (once a file is set).
 * Command-line tools usually lower the console to WARN with
 * vlog_set_levels(NULL, VLF_CONSOLE, VLL_WARN).
 *
 * Thread-safe: any thread may log. */
#ifndef VS_VLOG_H
#define VS_VLOG_H 1

#include <stdarg.h>
#include <stdbool.h>
#include <pthread.h>
#include "list.h"
#include "util.h"

enum vlog_level {
    VLL_OFF,
    VLL_EMER,
    VLL_ERR,
    VLL_WARN,
    VLL_INFO,
    VLL_DBG,
    VLL_N_LEVELS
};

enum vlog_destination {
    VLF_CONSOLE,
    VLF_SYSLOG,
    VLF_FILE,
    VLF_N_DESTINATIONS,
    VLF_ANY_DESTINATION = -1
};

const char *vlog_get_level_name(enum vlog_level);       /* "warn" */
int vlog_get_level_val(const char *name);               /* -1 if unknown. */
const char *vlog_get_destination_name(enum vlog_destination);
int vlog_get_destination_val(const char *name);         /* -1 if unknown. */

struct vlog_module {
    struct vs_list list_node;     /* In the global module list. */
    const char *name;
    int levels[VLF_N_DESTINATIONS];
    int min_level;                /* Most verbose active level (cache). */
    bool honor_rate_limits;       /* False: *_RL messages always log. */
};

void vlog_insert_module(struct vlog_module *);
struct vlog_module *vlog_module_from_name(const char *);

#define VLOG_DEFINE_MODULE__(MODULE)                                    \
    struct vlog_module VLM_##MODULE = {                                 \
        { NULL, NULL }, #MODULE,                                        \
        { VLL_INFO, VLL_OFF, VLL_INFO }, VLL_INFO, true };              \
    __attribute__((constructor)) static void init_vlm_##MODULE(void)    \
    {                                                                   \
        vlog_insert_module(&VLM_##MODULE);                              \
    }

/* Defines the module that this file's VLOG_* macros log as. */
#define VLOG_DEFINE_THIS_MODULE(MODULE)                                 \
    static VLOG_DEFINE_MODULE__(MODULE)                                 \
    static struct vlog_module *const this_module VS_UNUSED = &VLM_##MODULE
#define THIS_MODULE this_module

/* Token bucket: 'rate' messages per minute on average, bursts of 'burst'.
 * When messages were dropped, the next one logged says how many. */
struct vlog_rate_limit {
    unsigned int rate;            /* Tokens per minute. */
    unsigned int burst;           /* Bucket size. */
    unsigned long long tokens;    /* In 1/60000ths of a message. */
    long long last_fill;          /* time_msec() of last refill. */
    long long first_dropped;      /* time_msec() of first drop, or 0. */
    long long last_dropped;
    unsigned int n_dropped;
    pthread_mutex_t mutex;
};

#define VLOG_RATE_LIMIT_INIT(RATE, BURST)                               \
    { (RATE), (BURST), (BURST) * 60000ULL, 0, 0, 0, 0,                 \
      PTHREAD_MUTEX_INITIALIZER }

/* Idempotent; optional (logging works before it), sets the start time. */
void vlog_init(void);

bool vlog_is_enabled(const struct vlog_module *, enum vlog_level);
void vlog(const struct vlog_module *, enum vlog_level, const char *fmt, ...)
    VS_PRINTF(3, 4);
void vlog_valist(const struct vlog_module *, enum vlog_level,
                 const char *fmt, va_list) VS_PRINTF(3, 0);
void vlog_rate_limit(const struct vlog_module *, enum vlog_level,
                     struct vlog_rate_limit *, const char *fmt, ...)
    VS_PRINTF(4, 5);
/* True if 'rl' has no token for a message now (consumes one if it has). */
bool vlog_should_drop(const struct vlog_module *, enum vlog_level,
                      struct vlog_rate_limit *);

/* Sets 'module' (NULL: all) at 'dest' (VLF_ANY_DESTINATION: all) to
 * 'level'. */
void vlog_set_levels(struct vlog_module *, enum vlog_destination,
                     enum vlog_level);
int vlog_get_level(const struct vlog_module *, enum vlog_destination);

/* Applies a spec such as "bridge:file:dbg", "ANY:console:warn", "dbg",
 * "syslog:off" (words in any order; omitted module or destination means
 * all, omitted level means dbg) or "pattern:DEST:PATTERN".  Returns NULL on
 * success, otherwise an error message the caller must free. */
char *vlog_set_levels_from_string(const char *spec);
/* As above but exits with a message on error (for command-line options). */
void vlog_set_levels_from_string_assert(const char *spec);
/* For -v[SPEC]/--verbose[=SPEC]: NULL or "" sets everything to dbg on the
 * console; otherwise SPEC may hold several specs separated by spaces or
 * commas. */
void vlog_set_verbosity(const char *arg);

/* Makes rate-limited messages of 'module' (NULL: all) always log, or
 * restores rate limiting (for debugging: "vlog/disable-rate-limit"). */
void vlog_set_rate_limits(struct vlog_module *, bool honor);

/* The table printed by "vlog/list"; caller frees. */
char *vlog_get_levels(void);

/* Sets the pattern of 'dest' (VLF_ANY_DESTINATION: all).  Directives:
 * %A program, %c module, %d local time, %D UTC time (both take an optional
 * {strftime format}; "###" in it becomes milliseconds), %m message,
 * %N sequence number, %p level, %P pid, %t thread name, %n newline, %%.
 * Flags and width as in printf: "%-5p", "%05N". */
void vlog_set_pattern(enum vlog_destination, const char *pattern);
const char *vlog_get_pattern(enum vlog_destination);

/* Logs to 'path' (NULL: $VS_LOGDIR/PROGRAM.log), closing any previous log
 * file.  Returns 0 or a positive errno (the old file stays open then). */
int vlog_set_log_file(const char *path);
/* Reopens the log file (after logrotate moved it).  Returns 0, a positive
 * errno, or EINVAL if no log file is set. */
int vlog_reopen_log_file(void);
/* The current log file name, or NULL; caller must not free. */
const char *vlog_get_log_file(void);
/* Closes the log file (file logging becomes inactive). */
void vlog_close_log_file(void);

/* Sets the syslog facility name ("daemon", "local0", ...).  Returns 0 or
 * EINVAL. */
int vlog_set_syslog_facility(const char *);

#define VLOG(LEVEL, ...)                                                \
    do {                                                                \
        if (vlog_is_enabled(THIS_MODULE, LEVEL)) {                      \
            vlog(THIS_MODULE, LEVEL, __VA_ARGS__);                      \
        }                                                               \
    } while (0)
#define VLOG_RL(RL, LEVEL, ...)                                         \
    do {                                                                \
        if (vlog_is_enabled(THIS_MODULE, LEVEL)) {                      \
            vlog_rate_limit(THIS_MODULE, LEVEL, RL, __VA_ARGS__);       \
        }                                                               \
    } while (0)

#define VLOG_EMER(...) VLOG(VLL_EMER, __VA_ARGS__)
#define VLOG_ERR(...) VLOG(VLL_ERR, __VA_ARGS__)
#define VLOG_WARN(...) VLOG(VLL_WARN, __VA_ARGS__)
#define VLOG_INFO(...) VLOG(VLL_INFO, __VA_ARGS__)
#define VLOG_DBG(...) VLOG(VLL_DBG, __VA_ARGS__)

#define VLOG_ERR_RL(RL, ...) VLOG_RL(RL, VLL_ERR, __VA_ARGS__)
#define VLOG_WARN_RL(RL, ...) VLOG_RL(RL, VLL_WARN, __VA_ARGS__)
#define VLOG_INFO_RL(RL, ...) VLOG_RL(RL, VLL_INFO, __VA_ARGS__)
#define VLOG_DBG_RL(RL, ...) VLOG_RL(RL, VLL_DBG, __VA_ARGS__)

#define VLOG_IS_DBG_ENABLED() vlog_is_enabled(THIS_MODULE, VLL_DBG)
#define VLOG_IS_INFO_ENABLED() vlog_is_enabled(THIS_MODULE, VLL_INFO)

/* Command-line options -v[SPEC] and --verbose[=SPEC] (--log-file is in
 * daemon.h): put VLOG_LONG_OPTIONS in the getopt_long() table, "v::" in the
 * short options and VLOG_OPTION_HANDLERS in the switch. */
#define VLOG_LONG_OPTIONS                                               \
    {"verbose", optional_argument, NULL, 'v'}
#define VLOG_OPTION_HANDLERS                                            \
    case 'v':                                                           \
        vlog_set_verbosity(optarg);                                     \
        break;

#endif /* vlog.h */
