/* Logging for vs-vmm: every file logs as vlog module "vmm".  The _RL
 * variants are rate-limited per call site; use them for anything the guest
 * or a backend can trigger. */
#ifndef VMM_LOG_H
#define VMM_LOG_H 1

#include "util.h"
#include "vlog.h"

extern struct vlog_module VLM_vmm;

#define VMM_LOG__(LEVEL, ...)                                   \
    do {                                                        \
        if (vlog_is_enabled(&VLM_vmm, LEVEL)) {                 \
            vlog(&VLM_vmm, LEVEL, __VA_ARGS__);                 \
        }                                                       \
    } while (0)
#define VMM_LOG_RL__(LEVEL, ...)                                \
    do {                                                        \
        static struct vlog_rate_limit rl__                      \
            = VLOG_RATE_LIMIT_INIT(60, 10);                     \
        if (vlog_is_enabled(&VLM_vmm, LEVEL)) {                 \
            vlog_rate_limit(&VLM_vmm, LEVEL, &rl__, __VA_ARGS__); \
        }                                                       \
    } while (0)

#define VMM_ERR(...) VMM_LOG__(VLL_ERR, __VA_ARGS__)
#define VMM_WARN(...) VMM_LOG__(VLL_WARN, __VA_ARGS__)
#define VMM_INFO(...) VMM_LOG__(VLL_INFO, __VA_ARGS__)
#define VMM_DBG(...) VMM_LOG__(VLL_DBG, __VA_ARGS__)
#define VMM_ERR_RL(...) VMM_LOG_RL__(VLL_ERR, __VA_ARGS__)
#define VMM_WARN_RL(...) VMM_LOG_RL__(VLL_WARN, __VA_ARGS__)
#define VMM_INFO_RL(...) VMM_LOG_RL__(VLL_INFO, __VA_ARGS__)

#endif /* vmm/log.h */
