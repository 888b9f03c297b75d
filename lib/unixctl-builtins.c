/* The commands every unixctl server answers. */
#include <config.h>
#include "unixctl.h"

#include <limits.h>
#include <stdlib.h>
#include "coverage.h"
#include "dynamic-string.h"
#include "util.h"
#include "vlog.h"

static void
list_commands(struct unixctl_conn *conn, int argc VS_UNUSED,
              const char *argv[] VS_UNUSED, void *aux VS_UNUSED)
{
    char *text = unixctl_list_commands__();
    unixctl_command_reply(conn, text);
    free(text);
}

static void
version(struct unixctl_conn *conn, int argc VS_UNUSED,
        const char *argv[] VS_UNUSED, void *aux VS_UNUSED)
{
    char *text = xasprintf("%s (vswitch) %s\n", program_name, PACKAGE_VERSION);
    unixctl_command_reply(conn, text);
    free(text);
}

static void
exit_(struct unixctl_conn *conn, int argc VS_UNUSED,
      const char *argv[] VS_UNUSED, void *aux VS_UNUSED)
{
    unixctl_command_reply(conn, NULL);
    unixctl_request_exit__();
}

static void
vlog_list(struct unixctl_conn *conn, int argc VS_UNUSED,
          const char *argv[] VS_UNUSED, void *aux VS_UNUSED)
{
    char *text = vlog_get_levels();
    unixctl_command_reply(conn, text);
    free(text);
}

static void
vlog_list_pattern(struct unixctl_conn *conn, int argc VS_UNUSED,
                  const char *argv[] VS_UNUSED, void *aux VS_UNUSED)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    for (int dest = 0; dest < VLF_N_DESTINATIONS; dest++) {
        ds_put_format(&s, "%s: %s\n", vlog_get_destination_name(dest),
                      vlog_get_pattern(dest));
    }
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
vlog_set(struct unixctl_conn *conn, int argc, const char *argv[],
         void *aux VS_UNUSED)
{
    for (int i = 1; i < argc; i++) {
        char *error = vlog_set_levels_from_string(argv[i]);
        if (error) {
            unixctl_command_reply_error(conn, error);
            free(error);
            return;
        }
    }
    unixctl_command_reply(conn, NULL);
}

/* "vlog/disable-rate-limit [MODULE...]" and "vlog/enable-rate-limit". */
static void
vlog_rate_limit_cmd(struct unixctl_conn *conn, int argc, const char *argv[],
                    void *honor_)
{
    bool honor = honor_ != NULL;

    for (int i = 1; i < argc; i++) {
        if (!vlog_module_from_name(argv[i])) {
            char *msg = xasprintf("unknown module \"%s\"", argv[i]);
            unixctl_command_reply_error(conn, msg);
            free(msg);
            return;
        }
    }
    if (argc == 1) {
        vlog_set_rate_limits(NULL, honor);
    }
    for (int i = 1; i < argc; i++) {
        vlog_set_rate_limits(vlog_module_from_name(argv[i]), honor);
    }
    unixctl_command_reply(conn, NULL);
}

static void
vlog_reopen(struct unixctl_conn *conn, int argc VS_UNUSED,
            const char *argv[] VS_UNUSED, void *aux VS_UNUSED)
{
    if (!vlog_get_log_file()) {
        unixctl_command_reply_error(conn, "Logging to file not configured");
        return;
    }
    int error = vlog_reopen_log_file();
    if (error) {
        char *msg = xasprintf("could not reopen log file (%s)",
                              vs_strerror(error));
        unixctl_command_reply_error(conn, msg);
        free(msg);
    } else {
        unixctl_command_reply(conn, NULL);
    }
}

static void
coverage_show_(struct unixctl_conn *conn, int argc VS_UNUSED,
               const char *argv[] VS_UNUSED, void *aux VS_UNUSED)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    coverage_show(&s);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
coverage_read_counter(struct unixctl_conn *conn, int argc VS_UNUSED,
                      const char *argv[], void *aux VS_UNUSED)
{
    char *text = xasprintf("%llu\n", coverage_get_total(argv[1]));
    unixctl_command_reply(conn, text);
    free(text);
}

void
unixctl_register_builtins__(void)
{
    unixctl_command_register("list-commands", "", 0, 0, list_commands, NULL);
    unixctl_command_register("help", "", 0, 0, list_commands, NULL);
    unixctl_command_register("version", "", 0, 0, version, NULL);
    unixctl_command_register("exit", "", 0, 0, exit_, NULL);
    unixctl_command_register("vlog/list", "", 0, 0, vlog_list, NULL);
    unixctl_command_register("vlog/list-pattern", "", 0, 0,
                             vlog_list_pattern, NULL);
    unixctl_command_register("vlog/set",
                             "{spec | pattern:destination:pattern}",
                             1, INT_MAX, vlog_set, NULL);
    unixctl_command_register("vlog/reopen", "", 0, 0, vlog_reopen, NULL);
    unixctl_command_register("vlog/disable-rate-limit", "[module]...", 0,
                             INT_MAX, vlog_rate_limit_cmd, NULL);
    unixctl_command_register("vlog/enable-rate-limit", "[module]...", 0,
                             INT_MAX, vlog_rate_limit_cmd, "honor");
    unixctl_command_register("coverage/show", "", 0, 0, coverage_show_,
                             NULL);
    unixctl_command_register("coverage/read-counter", "COUNTER", 1, 1,
                             coverage_read_counter, NULL);
}
