/* vs-vmm logging (see log.h). */
#include <config.h>
#include "log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

enum vmm_log_level vmm_log_max_level = VMM_LOG_INFO;

static const char *const level_names[] = { "ERR", "WARN", "INFO", "DBG" };
static pthread_mutex_t log_mutex = PTHREAD_MUTEX_INITIALIZER;

void
vmm_log(enum vmm_log_level level, const char *fmt, ...)
{
    va_list args;

    pthread_mutex_lock(&log_mutex);
    fprintf(stderr, "vs-vmm|%s|", level_names[level]);
    va_start(args, fmt);
    vfprintf(stderr, fmt, args);
    va_end(args);
    fputc('\n', stderr);
    fflush(stderr);
    pthread_mutex_unlock(&log_mutex);
}

bool
vmm_log_rl_allow(struct vmm_log_rl *rl)
{
    enum { BURST = 10 };
    struct timespec ts;
    bool allow;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    pthread_mutex_lock(&log_mutex);
    if (ts.tv_sec != rl->window_start) {
        rl->window_start = ts.tv_sec;
        rl->count = rl->count >= BURST ? BURST - 1 : 0;
    }
    allow = rl->count++ < BURST;
    pthread_mutex_unlock(&log_mutex);
    return allow;
}
