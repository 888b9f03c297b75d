/* The vlog module all of vs-vmm logs as (see log.h). */
#include <config.h>
#include "log.h"

VLOG_DEFINE_MODULE__(vmm)
