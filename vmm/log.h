/* Logging for vs-vmm: messages go to stderr as "vs-vmm|LEVEL|text".
 * VMM_*_RL variants are rate-limited per call site (at most 'burst'
 * messages, then one per second): use them for anything the guest or a
 * backend can trigger. */
#ifndef VMM_LOG_H
#define VMM_LOG_H 1

#include <stdbool.h>
#include "util.h"

enum vmm_log_level { VMM_LOG_ERR, VMM_LOG_WARN, VMM_LOG_INFO, VMM_LOG_DBG };

struct vmm_log_rl {
    long long window_start;     /* Monotonic seconds. */
    unsigned int count;
};

extern enum vmm_log_level vmm_log_max_level;

void vmm_log(enum vmm_log_level, const char *fmt, ...) VS_PRINTF(2, 3);
bool vmm_log_rl_allow(struct vmm_log_rl *);

#define VMM_LOG__(LEVEL, ...) \
    do { if ((LEVEL) <= vmm_log_max_level) vmm_log(LEVEL, __VA_ARGS__); } while (0)
#define VMM_LOG_RL__(LEVEL, ...)                                \
    do {                                                        \
        static struct vmm_log_rl rl__;                          \
        if ((LEVEL) <= vmm_log_max_level && vmm_log_rl_allow(&rl__)) \
            vmm_log(LEVEL, __VA_ARGS__);                        \
    } while (0)

#define VMM_ERR(...) VMM_LOG__(VMM_LOG_ERR, __VA_ARGS__)
#define VMM_WARN(...) VMM_LOG__(VMM_LOG_WARN, __VA_ARGS__)
#define VMM_INFO(...) VMM_LOG__(VMM_LOG_INFO, __VA_ARGS__)
#define VMM_DBG(...) VMM_LOG__(VMM_LOG_DBG, __VA_ARGS__)
#define VMM_ERR_RL(...) VMM_LOG_RL__(VMM_LOG_ERR, __VA_ARGS__)
#define VMM_WARN_RL(...) VMM_LOG_RL__(VMM_LOG_WARN, __VA_ARGS__)
#define VMM_INFO_RL(...) VMM_LOG_RL__(VMM_LOG_INFO, __VA_ARGS__)

#endif /* vmm/log.h */
