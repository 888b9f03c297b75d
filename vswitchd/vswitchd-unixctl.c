/* vs-vswitchd's unixctl commands (vs-appctl -t vs-vswitchd CMD):
 *   fdb/show BR, fdb/flush [BR], dpif/show, dpctl/show [DP],
 *   dpctl/dump-flows [DP] (megaflows), bridge/dump-flows BR (OpenFlow
 *   flows, hidden ones too), ofproto/list, memory/show.
 * (vlog/set, coverage/show, exit... are the unixctl built-ins.) */
#include <config.h>
#include "vswitchd/vswitchd-unixctl.h"
#include <stdio.h>
#include <string.h>
#include "dynamic-string.h"
#include "ofproto/dp-switch.h"
#include "unixctl.h"
#include "util.h"
#include "vswitchd/bridge.h"

/* Runs 'fn' on bridge argv[1], or on every bridge when 'all_if_none' and
 * no argument was given. */
static void
for_bridges(struct unixctl_conn *conn, int argc, const char *argv[],
            bool all_if_none, void (*fn)(struct dp_switch *, struct ds *))
{
    struct ds s = DS_EMPTY_INITIALIZER;

    if (argc > 1) {
        struct dp_switch *sw = bridge_find(argv[1]);
        if (!sw) {
            char *msg = xasprintf("no such bridge: %s", argv[1]);
            unixctl_command_reply_error(conn, msg);
            free(msg);
            return;
        }
        fn(sw, &s);
    } else if (all_if_none) {
        struct ds names = DS_EMPTY_INITIALIZER;
        bridge_list(&names);
        char *save = NULL, *copy = ds_steal_cstr(&names);
        for (char *n = strtok_r(copy, "\n", &save); n;
             n = strtok_r(NULL, "\n", &save)) {
            struct dp_switch *sw = bridge_find(n);
            if (sw) {
                fn(sw, &s);
            }
        }
        free(copy);
        ds_destroy(&names);
    }
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void fdb_show(struct dp_switch *sw, struct ds *s) { dp_switch_fdb_show(sw, s); }
static void show(struct dp_switch *sw, struct ds *s) { dp_switch_show(sw, s); }
static void dump_flows(struct dp_switch *sw, struct ds *s) { dp_switch_dump_flows(sw, s); }
static void
fdb_flush(struct dp_switch *sw, struct ds *s)
{
    dp_switch_fdb_flush(sw);
    (void) s;
}

static void
cmd_fdb_show(struct unixctl_conn *conn, int argc, const char *argv[], void *aux)
{
    for_bridges(conn, argc, argv, false, fdb_show);
    (void) aux;
}

static void
cmd_fdb_flush(struct unixctl_conn *conn, int argc, const char *argv[], void *aux)
{
    for_bridges(conn, argc, argv, true, fdb_flush);
    (void) aux;
}

static void
cmd_show(struct unixctl_conn *conn, int argc, const char *argv[], void *aux)
{
    for_bridges(conn, argc, argv, true, show);
    (void) aux;
}

static void
cmd_dump_flows(struct unixctl_conn *conn, int argc, const char *argv[],
               void *aux)
{
    for_bridges(conn, argc, argv, true, dump_flows);
    (void) aux;
}

static void
cmd_bridge_dump_flows(struct unixctl_conn *conn, int argc VS_UNUSED,
                      const char *argv[], void *aux VS_UNUSED)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    if (bridge_dump_openflow(argv[1], &s)) {
        unixctl_command_reply(conn, ds_cstr(&s));
    } else {
        char *msg = xasprintf("no such bridge: %s", argv[1]);
        unixctl_command_reply_error(conn, msg);
        free(msg);
    }
    ds_destroy(&s);
}

static void
cmd_ofproto_list(struct unixctl_conn *conn, int argc VS_UNUSED,
                 const char *argv[] VS_UNUSED, void *aux VS_UNUSED)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    bridge_list(&s);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
cmd_memory_show(struct unixctl_conn *conn, int argc VS_UNUSED,
                const char *argv[] VS_UNUSED, void *aux VS_UNUSED)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    char line[128];
    FILE *f = fopen("/proc/self/status", "r");
    while (f && fgets(line, sizeof line, f)) {
        if (str_starts_with(line, "VmRSS:") || str_starts_with(line, "VmHWM:")) {
            ds_put_cstr(&s, line);
        }
    }
    if (f) {
        fclose(f);
    }
    bridge_memory_usage(&s);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

void
vswitchd_unixctl_register(void)
{
    unixctl_command_register("fdb/show", "BRIDGE", 1, 1, cmd_fdb_show, NULL);
    unixctl_command_register("fdb/flush", "[BRIDGE]", 0, 1, cmd_fdb_flush,
                             NULL);
    unixctl_command_register("dpif/show", "", 0, 0, cmd_show, NULL);
    unixctl_command_register("dpctl/show", "[DP]", 0, 1, cmd_show, NULL);
    unixctl_command_register("dpctl/dump-flows", "[DP]", 0, 1,
                             cmd_dump_flows, NULL);
    unixctl_command_register("bridge/dump-flows", "BRIDGE", 1, 1,
                             cmd_bridge_dump_flows, NULL);
    unixctl_command_register("ofproto/list", "", 0, 0, cmd_ofproto_list,
                             NULL);
    unixctl_command_register("memory/show", "", 0, 0, cmd_memory_show, NULL);
}
