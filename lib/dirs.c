#include <config.h>
#include "dirs.h"

#include <stdlib.h>

static const char *
dir_from_env(const char *var, const char *dflt)
{
    const char *value = getenv(var);
    return value && value[0] ? value : dflt;
}

const char *
vs_rundir(void)
{
    return dir_from_env("VS_RUNDIR", RUNDIR);
}

const char *
vs_dbdir(void)
{
    return dir_from_env("VS_DBDIR", DBDIR);
}

const char *
vs_logdir(void)
{
    return dir_from_env("VS_LOGDIR", LOGDIR);
}

const char *
vs_pkgdatadir(void)
{
    return dir_from_env("VS_PKGDATADIR", PKGDATADIR);
}
