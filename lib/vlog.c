#include <config.h>
#include "vlog.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include "dirs.h"
#include "dynamic-string.h"
#include "timeval.h"

VLOG_DEFINE_THIS_MODULE(vlog);

static const char *const level_names[VLL_N_LEVELS] = {
    "off", "emer", "err", "warn", "info", "dbg"
};
static const char *const level_names_upper[VLL_N_LEVELS] = {
    "OFF", "EMER", "ERR", "WARN", "INFO", "DBG"
};
/* EMER maps to LOG_ALERT, not LOG_EMERG, which would wall every terminal. */
static const int syslog_levels[VLL_N_LEVELS] = {
    0, LOG_ALERT, LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG
};
static const char *const destination_names[VLF_N_DESTINATIONS] = {
    "console", "syslog", "file"
};
static const char *const default_patterns[VLF_N_DESTINATIONS] = {
    "%D{%Y-%m-%dT%H:%M:%SZ}|%05N|%c|%p|%m",
    "%05N|%c|%p|%m",
    "%D{%Y-%m-%dT%H:%M:%S.###Z}|%05N|%c|%p|%m",
};

/* Protects everything below and every module's 'levels'. */
static pthread_mutex_t log_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct vs_list vlog_modules = VS_LIST_INITIALIZER(&vlog_modules);
static char *patterns[VLF_N_DESTINATIONS];    /* NULL: default. */
static char *log_file_name;
static int log_fd = -1;
static int syslog_facility = LOG_DAEMON;
static bool syslog_opened;
static unsigned long long msg_num;
static long long start_wall_msec;

const char *
vlog_get_level_name(enum vlog_level level)
{
    return level < VLL_N_LEVELS ? level_names[level] : "?";
}

int
vlog_get_level_val(const char *name)
{
    static const struct { const char *name; int level; } aliases[] = {
        { "debug", VLL_DBG }, { "warning", VLL_WARN }, { "error", VLL_ERR },
        { "emergency", VLL_EMER },
    };
    for (int i = 0; i < VLL_N_LEVELS; i++) {
        if (!strcasecmp(name, level_names[i])) {
            return i;
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(aliases); i++) {
        if (!strcasecmp(name, aliases[i].name)) {
            return aliases[i].level;
        }
    }
    return -1;
}

const char *
vlog_get_destination_name(enum vlog_destination dest)
{
    return dest >= 0 && dest < VLF_N_DESTINATIONS ? destination_names[dest]
                                                    : "any";
}

int
vlog_get_destination_val(const char *name)
{
    for (int i = 0; i < VLF_N_DESTINATIONS; i++) {
        if (!strcasecmp(name, destination_names[i])) {
            return i;
        }
    }
    return !strcasecmp(name, "any") ? VLF_ANY_DESTINATION : -2;
}

/* Whether 'dest' can take messages at all. */
static bool
destination_active(enum vlog_destination dest)
{
    return dest != VLF_FILE || log_fd >= 0;
}

static void
update_min_level(struct vlog_module *module)
{
    int min_level = VLL_OFF;

    for (int dest = 0; dest < VLF_N_DESTINATIONS; dest++) {
        if (destination_active(dest)) {
            min_level = MAX(min_level, module->levels[dest]);
        }
    }
    __atomic_store_n(&module->min_level, min_level, __ATOMIC_RELAXED);
}

static void
update_all_min_levels(void)
{
    struct vlog_module *module;

    VS_LIST_FOR_EACH (module, list_node, &vlog_modules) {
        update_min_level(module);
    }
}

void
vlog_insert_module(struct vlog_module *new)
{
    struct vlog_module *module;

    pthread_mutex_lock(&log_mutex);
    /* Keep the list sorted by name, for "vlog/list". */
    VS_LIST_FOR_EACH (module, list_node, &vlog_modules) {
        if (strcmp(new->name, module->name) < 0) {
            break;
        }
    }
    vs_list_insert(&module->list_node, &new->list_node);
    update_min_level(new);
    pthread_mutex_unlock(&log_mutex);
}

struct vlog_module *
vlog_module_from_name(const char *name)
{
    struct vlog_module *module, *found = NULL;

    pthread_mutex_lock(&log_mutex);
    VS_LIST_FOR_EACH (module, list_node, &vlog_modules) {
        if (!strcasecmp(name, module->name)) {
            found = module;
            break;
        }
    }
    pthread_mutex_unlock(&log_mutex);
    return found;
}

void
vlog_init(void)
{
    pthread_mutex_lock(&log_mutex);
    if (!start_wall_msec) {
        start_wall_msec = time_wall_msec();
    }
    pthread_mutex_unlock(&log_mutex);
}

bool
vlog_is_enabled(const struct vlog_module *module, enum vlog_level level)
{
    return __atomic_load_n(&module->min_level, __ATOMIC_RELAXED) >= (int) level;
}

/* Sets one module; with 'log_mutex' held.  Several modules may share a name
 * (one per file that defines it), so setting by name sets them all. */
static void
set_module_levels(struct vlog_module *module, enum vlog_destination dest,
                  enum vlog_level level)
{
    if (dest == VLF_ANY_DESTINATION) {
        for (int i = 0; i < VLF_N_DESTINATIONS; i++) {
            module->levels[i] = level;
        }
    } else {
        module->levels[dest] = level;
    }
    update_min_level(module);
}

void
vlog_set_levels(struct vlog_module *target, enum vlog_destination dest,
                enum vlog_level level)
{
    struct vlog_module *module;

    pthread_mutex_lock(&log_mutex);
    VS_LIST_FOR_EACH (module, list_node, &vlog_modules) {
        if (!target || !strcmp(module->name, target->name)) {
            set_module_levels(module, dest, level);
        }
    }
    pthread_mutex_unlock(&log_mutex);
}

void
vlog_set_rate_limits(struct vlog_module *target, bool honor)
{
    struct vlog_module *module;

    pthread_mutex_lock(&log_mutex);
    VS_LIST_FOR_EACH (module, list_node, &vlog_modules) {
        if (!target || !strcmp(module->name, target->name)) {
            __atomic_store_n(&module->honor_rate_limits, honor,
                             __ATOMIC_RELAXED);
        }
    }
    pthread_mutex_unlock(&log_mutex);
}

int
vlog_get_level(const struct vlog_module *module, enum vlog_destination dest)
{
    pthread_mutex_lock(&log_mutex);
    int level = module->levels[dest];
    pthread_mutex_unlock(&log_mutex);
    return level;
}

void
vlog_set_pattern(enum vlog_destination dest, const char *pattern)
{
    pthread_mutex_lock(&log_mutex);
    for (int i = 0; i < VLF_N_DESTINATIONS; i++) {
        if (dest == VLF_ANY_DESTINATION || (int) dest == i) {
            free(patterns[i]);
            patterns[i] = xstrdup(pattern);
        }
    }
    pthread_mutex_unlock(&log_mutex);
}

const char *
vlog_get_pattern(enum vlog_destination dest)
{
    return patterns[dest] ? patterns[dest] : default_patterns[dest];
}

static char *
set_pattern_from_string(const char *rest)
{
    const char *colon = strchr(rest, ':');
    if (!colon) {
        return xstrdup("pattern needs a destination and a pattern "
                       "(pattern:DESTINATION:PATTERN)");
    }
    char *dest_name = xstrndup(rest, colon - rest);
    int dest = vlog_get_destination_val(dest_name);
    char *error = dest < VLF_ANY_DESTINATION
        ? xasprintf("unknown destination \"%s\"", dest_name) : NULL;
    free(dest_name);
    if (!error) {
        vlog_set_pattern(dest, colon + 1);
    }
    return error;
}

static const struct { const char *name; int value; } facilities[] = {
    { "kern", LOG_KERN }, { "user", LOG_USER }, { "mail", LOG_MAIL },
    { "daemon", LOG_DAEMON }, { "auth", LOG_AUTH }, { "syslog", LOG_SYSLOG },
    { "lpr", LOG_LPR }, { "news", LOG_NEWS }, { "uucp", LOG_UUCP },
    { "cron", LOG_CRON }, { "authpriv", LOG_AUTHPRIV }, { "ftp", LOG_FTP },
    { "local0", LOG_LOCAL0 }, { "local1", LOG_LOCAL1 },
    { "local2", LOG_LOCAL2 }, { "local3", LOG_LOCAL3 },
    { "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 },
    { "local6", LOG_LOCAL6 }, { "local7", LOG_LOCAL7 },
};

int
vlog_set_syslog_facility(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(facilities); i++) {
        if (!strcasecmp(name, facilities[i].name)) {
            pthread_mutex_lock(&log_mutex);
            syslog_facility = facilities[i].value;
            pthread_mutex_unlock(&log_mutex);
            return 0;
        }
    }
    return EINVAL;
}

char *
vlog_set_levels_from_string(const char *spec)
{
    struct vlog_module *module = NULL;
    bool any_module = false;
    int dest = VLF_ANY_DESTINATION, level = -1;
    bool have_dest = false;
    char *error = NULL;

    if (!spec || !spec[0]) {
        return xstrdup("empty log level specification");
    }
    if (!strncasecmp(spec, "pattern:", 8)) {
        return set_pattern_from_string(spec + 8);
    }
    if (!strncasecmp(spec, "facility:", 9)) {
        return vlog_set_syslog_facility(spec + 9)
               ? xasprintf("unknown syslog facility \"%s\"", spec + 9)
               : NULL;
    }

    char *copy = xstrdup(spec), *save = NULL;
    for (char *word = strtok_r(copy, ":", &save); word && !error;
         word = strtok_r(NULL, ":", &save)) {
        int val;
        if (!strcasecmp(word, "any")) {
            /* "ANY" fills the module slot first, then the destination;
             * both mean "all". */
            if (!module && !any_module) {
                any_module = true;
            } else if (!have_dest) {
                have_dest = true;
            } else {
                error = xstrdup("cannot specify multiple destinations");
            }
        } else if ((val = vlog_get_destination_val(word)) >= 0) {
            if (have_dest) {
                error = xstrdup("cannot specify multiple destinations");
            }
            dest = val;
            have_dest = true;
        } else if ((val = vlog_get_level_val(word)) >= 0) {
            if (level >= 0) {
                error = xstrdup("cannot specify multiple levels");
            }
            level = val;
        } else if (vlog_module_from_name(word)) {
            if (module || any_module) {
                error = xstrdup("cannot specify multiple modules");
            }
            module = vlog_module_from_name(word);
        } else {
            error = xasprintf("unknown module, destination, or level "
                              "\"%s\"", word);
        }
    }
    free(copy);
    if (!error) {
        vlog_set_levels(module, dest, level >= 0 ? level : VLL_DBG);
    }
    return error;
}

void
vlog_set_levels_from_string_assert(const char *spec)
{
    char *error = vlog_set_levels_from_string(spec);
    if (error) {
        vs_fatal(0, "%s", error);
    }
}

void
vlog_set_verbosity(const char *arg)
{
    if (!arg || !arg[0]) {
        vlog_set_levels(NULL, VLF_CONSOLE, VLL_DBG);
        return;
    }
    char *copy = xstrdup(arg), *save = NULL;
    for (char *spec = strtok_r(copy, " ,\t", &save); spec;
         spec = strtok_r(NULL, " ,\t", &save)) {
        vlog_set_levels_from_string_assert(spec);
    }
    free(copy);
}

char *
vlog_get_levels(void)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    struct vlog_module *module;
    const char *prev = NULL;

    ds_put_format(&s, "%-16s %8s %8s %8s\n", "", "console", "syslog", "file");
    ds_put_format(&s, "%-16s %8s %8s %8s\n", "", "-------", "------", "----");
    pthread_mutex_lock(&log_mutex);
    VS_LIST_FOR_EACH (module, list_node, &vlog_modules) {
        if (prev && !strcmp(prev, module->name)) {
            continue;           /* Same module defined in another file. */
        }
        prev = module->name;
        ds_put_format(&s, "%-16s %8s %8s %8s\n", module->name,
                      level_names_upper[module->levels[VLF_CONSOLE]],
                      level_names_upper[module->levels[VLF_SYSLOG]],
                      level_names_upper[module->levels[VLF_FILE]]);
    }
    pthread_mutex_unlock(&log_mutex);
    return ds_steal_cstr(&s);
}

/* Log file. */

static int
open_log_file(const char *name, int *fdp)
{
    int fd = open(name, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (fd < 0) {
        return errno;
    }
    *fdp = fd;
    return 0;
}

int
vlog_set_log_file(const char *path)
{
    char *name = path ? xstrdup(path)
                      : xasprintf("%s/%s.log", vs_logdir(), program_name);
    if (!path) {
        /* The default directory may not exist yet on a fresh system. */
        mkdir(vs_logdir(), 0755);
    }
    int fd = -1;
    int error = open_log_file(name, &fd);

    if (error) {
        VLOG_WARN("failed to open %s for logging (%s)",
                  name, vs_strerror(error));
        free(name);
        return error;
    }

    pthread_mutex_lock(&log_mutex);
    int old_fd = log_fd;
    char *old_name = log_file_name;
    log_fd = fd;
    log_file_name = name;
    update_all_min_levels();
    pthread_mutex_unlock(&log_mutex);

    if (old_fd >= 0) {
        close(old_fd);
    }
    free(old_name);
    VLOG_INFO("opened log file %s", name);
    return 0;
}

int
vlog_reopen_log_file(void)
{
    pthread_mutex_lock(&log_mutex);
    char *name = log_file_name ? xstrdup(log_file_name) : NULL;
    pthread_mutex_unlock(&log_mutex);

    if (!name) {
        return EINVAL;
    }
    int error = vlog_set_log_file(name);
    free(name);
    return error;
}

const char *
vlog_get_log_file(void)
{
    return log_file_name;
}

void
vlog_close_log_file(void)
{
    pthread_mutex_lock(&log_mutex);
    int old_fd = log_fd;
    char *old_name = log_file_name;
    log_fd = -1;
    log_file_name = NULL;
    update_all_min_levels();
    pthread_mutex_unlock(&log_mutex);
    if (old_fd >= 0) {
        close(old_fd);
    }
    free(old_name);
}

/* Formatting. */

static void
format_time(struct ds *s, const char *fmt, bool utc, long long now_ms)
{
    time_t secs = now_ms / 1000;
    struct tm tm;
    char buf[128];

    if (utc) {
        gmtime_r(&secs, &tm);
    } else {
        localtime_r(&secs, &tm);
    }
    size_t n = strftime(buf, sizeof buf, fmt, &tm);
    if (!n) {
        return;
    }
    char *ms = strstr(buf, "###");
    if (ms) {
        char digits[24];
        snprintf(digits, sizeof digits, "%03lld", now_ms % 1000);
        memcpy(ms, digits, 3);
    }
    ds_put_buffer(s, buf, n);
}

/* Appends the text of one directive 'c' (with optional {arg}) to 's'. */
static void
format_directive(struct ds *s, char c, const char *arg,
                 const struct vlog_module *module, enum vlog_level level,
                 const char *message, unsigned long long seq, long long now)
{
    char name[16];

    switch (c) {
    case 'A':
        ds_put_cstr(s, program_name);
        break;
    case 'c':
        ds_put_cstr(s, module->name);
        break;
    case 'd':
    case 'D':
        format_time(s, arg ? arg : "%Y-%m-%d %H:%M:%S.###", c == 'D', now);
        break;
    case 'm':
        ds_put_cstr(s, message);
        break;
    case 'N':
        ds_put_format(s, "%llu", seq);
        break;
    case 'p':
        ds_put_cstr(s, level_names_upper[level]);
        break;
    case 'P':
        ds_put_format(s, "%ld", (long) getpid());
        break;
    case 'r':
        ds_put_format(s, "%lld", now - start_wall_msec);
        break;
    case 't':
        if (pthread_getname_np(pthread_self(), name, sizeof name)) {
            snprintf(name, sizeof name, "?");
        }
        ds_put_cstr(s, name);
        break;
    case 'n':
        ds_put_char(s, '\n');
        break;
    default:
        ds_put_char(s, c);
        break;
    }
}

static void
format_line(struct ds *s, const char *pattern,
            const struct vlog_module *module, enum vlog_level level,
            const char *message, unsigned long long seq, long long now)
{
    struct ds field = DS_EMPTY_INITIALIZER;

    for (const char *p = pattern; *p; p++) {
        if (*p != '%' || !p[1]) {
            ds_put_char(s, *p);
            continue;
        }
        p++;
        bool left = false, zero = false;
        for (; *p == '-' || *p == '0'; p++) {
            left |= *p == '-';
            zero |= *p == '0';
        }
        size_t width = 0;
        for (; isdigit((unsigned char) *p); p++) {
            width = MIN(width * 10 + (*p - '0'), 1000);
        }
        if (!*p) {
            break;
        }
        char c = *p;
        char *arg = NULL;
        if (p[1] == '{') {
            const char *end = strchr(p + 2, '}');
            if (end) {
                arg = xstrndup(p + 2, end - (p + 2));
                p = end;
            }
        }
        ds_clear(&field);
        format_directive(&field, c, arg, module, level, message, seq, now);
        free(arg);
        size_t pad = field.length < width ? width - field.length : 0;
        if (!left) {
            ds_put_char_multiple(s, zero ? '0' : ' ', pad);
        }
        ds_put_buffer(s, ds_cstr(&field), field.length);
        if (left) {
            ds_put_char_multiple(s, ' ', pad);
        }
    }
    ds_destroy(&field);
}

static void
write_fully(int fd, const char *buf, size_t n)
{
    while (n > 0) {
        ssize_t r = write(fd, buf, n);
        if (r < 0) {
            if (errno == EINTR) {
                continue;
            }
            return;             /* Nowhere left to report it. */
        }
        buf += r;
        n -= r;
    }
}

void
vlog_valist(const struct vlog_module *module, enum vlog_level level,
            const char *fmt, va_list args)
{
    if (level <= VLL_OFF || level >= VLL_N_LEVELS) {
        return;
    }
    struct ds message = DS_EMPTY_INITIALIZER;
    struct ds line = DS_EMPTY_INITIALIZER;
    long long now = time_wall_msec();

    ds_put_format_valist(&message, fmt, args);
    ds_chomp(&message, '\n');

    pthread_mutex_lock(&log_mutex);
    if (!start_wall_msec) {
        start_wall_msec = now;
    }
    unsigned long long seq = ++msg_num;
    for (int dest = 0; dest < VLF_N_DESTINATIONS; dest++) {
        if (module->levels[dest] < (int) level || !destination_active(dest)) {
            continue;
        }
        ds_clear(&line);
        format_line(&line, vlog_get_pattern(dest), module, level,
                    ds_cstr(&message), seq, now);
        if (dest == VLF_SYSLOG) {
            if (!syslog_opened) {
                openlog(program_name, LOG_NDELAY | LOG_PID, syslog_facility);
                syslog_opened = true;
            }
            syslog(syslog_facility | syslog_levels[level], "%s",
                   ds_cstr(&line));
            continue;
        }
        ds_put_char(&line, '\n');
        write_fully(dest == VLF_CONSOLE ? STDERR_FILENO : log_fd,
                    line.string, line.length);
    }
    pthread_mutex_unlock(&log_mutex);
    ds_destroy(&line);
    ds_destroy(&message);
}

void
vlog(const struct vlog_module *module, enum vlog_level level,
     const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    vlog_valist(module, level, fmt, args);
    va_end(args);
}

/* Rate limiting. */

bool
vlog_should_drop(const struct vlog_module *module, enum vlog_level level,
                 struct vlog_rate_limit *rl)
{
    if (!vlog_is_enabled(module, level)) {
        return true;
    }
    if (!__atomic_load_n(&module->honor_rate_limits, __ATOMIC_RELAXED)) {
        return false;
    }

    long long now = time_msec();
    unsigned int n_dropped = 0;
    long long first = 0, last = 0;
    bool drop;

    pthread_mutex_lock(&rl->mutex);
    unsigned long long cap = rl->burst * 60000ULL;
    if (rl->tokens < cap) {
        unsigned long long elapsed = now - rl->last_fill;
        unsigned long long add = elapsed * rl->rate;
        rl->tokens = add >= cap - rl->tokens ? cap : rl->tokens + add;
    }
    rl->last_fill = now;
    drop = rl->tokens < 60000;
    if (drop) {
        if (!rl->n_dropped) {
            rl->first_dropped = now;
        }
        rl->last_dropped = now;
        rl->n_dropped++;
    } else {
        rl->tokens -= 60000;
        n_dropped = rl->n_dropped;
        first = rl->first_dropped;
        last = rl->last_dropped;
        rl->n_dropped = 0;
    }
    pthread_mutex_unlock(&rl->mutex);

    if (n_dropped) {
        vlog(module, level, "Dropped %u log messages in last %lld seconds "
             "(most recently, %lld seconds ago) due to excessive rate",
             n_dropped, (now - first) / 1000 + 1, (now - last) / 1000);
    }
    return drop;
}

void
vlog_rate_limit(const struct vlog_module *module, enum vlog_level level,
                struct vlog_rate_limit *rl, const char *fmt, ...)
{
    if (!vlog_should_drop(module, level, rl)) {
        va_list args;
        va_start(args, fmt);
        vlog_valist(module, level, fmt, args);
        va_end(args);
    }
}
