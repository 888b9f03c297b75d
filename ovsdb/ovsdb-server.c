/* vs-ovsdb-server: serves OVSDB databases over JSON-RPC (RFC 7047). */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"
#include "dirs.h"
#include "dynamic-string.h"
#include "fatal-signal.h"
#include "json.h"
#include "poll-loop.h"
#include "stream-ssl.h"
#include "timeval.h"
#include "unixctl.h"
#include "vlog.h"
#include "ovsdb/ovsdb.h"
#include "ovsdb/ovsdb-error.h"
#include "ovsdb/ovsdb-execute.h"
#include "ovsdb/ovsdb-file.h"
#include "ovsdb/ovsdb-jsonrpc-server.h"
#include "ovsdb/ovsdb-monitor.h"
#include "ovsdb/ovsdb-row.h"
#include "ovsdb/ovsdb-schema.h"

VLOG_DEFINE_THIS_MODULE(ovsdb_server);

/* The _Server database that clients (the IDL, ovs-vsctl) ask about the
 * databases served: written here, never by clients. */
static const char server_schema[] =
    "{\"name\":\"_Server\",\"version\":\"1.2.0\",\"tables\":{\"Database\":{"
    "\"columns\":{\"name\":{\"type\":\"string\"},"
    "\"model\":{\"type\":{\"key\":{\"type\":\"string\",\"enum\":[\"set\","
    "[\"clustered\",\"relay\",\"standalone\"]]}}},"
    "\"connected\":{\"type\":\"boolean\"},\"leader\":{\"type\":\"boolean\"},"
    "\"schema\":{\"type\":{\"key\":{\"type\":\"string\"},\"min\":0,\"max\":1}},"
    "\"cid\":{\"type\":{\"key\":{\"type\":\"uuid\"},\"min\":0,\"max\":1}},"
    "\"sid\":{\"type\":{\"key\":{\"type\":\"uuid\"},\"min\":0,\"max\":1}},"
    "\"index\":{\"type\":{\"key\":{\"type\":\"integer\"},\"min\":0,\"max\":1}}},"
    "\"isRoot\":true}}}";

struct served {
    struct ovsdb *db;
    struct ovsdb_file *file;        /* NULL for _Server. */
};

static struct served *served;
static size_t n_served;
static char **db_remotes;           /* "db:DB,TABLE,COLUMN" specs. */
static size_t n_db_remotes;
static bool exiting;
static struct ovsdb_jsonrpc_server *jsonrpc;

/* --private-key, --certificate, --ca-cert (or --bootstrap-ca-cert): each a
 * file name or "db:DB,TABLE,COLUMN" (read from the database, as Open
 * vSwitch's init scripts pass them).  NULL if not given. */
static const char *ssl_key_opt, *ssl_cert_opt, *ssl_ca_opt;
static bool ssl_bootstrap;

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 10);

static void VS_NORETURN
usage(void)
{
    printf("%s: OVSDB server\n"
           "usage: %s [OPTIONS] [DATABASE...]\n"
           "where each DATABASE is a database file (default: %s/conf.db).\n\n"
           "  --remote=REMOTE         listen on REMOTE: punix:PATH, ptcp:PORT[:IP],\n"
           "                          pssl:PORT[:IP]; connect to unix:PATH, tcp:IP:PORT,\n"
           "                          ssl:IP:PORT; or db:DB,TABLE,COLUMN to read remotes\n"
           "                          from a table\n"
           "  --unixctl=SOCKET        control socket (default: %s/%s.PID.ctl)\n"
           "  --max-message-size=N    largest JSON-RPC message accepted, in bytes\n"
           "  --max-backlog=N         largest send backlog per client before\n"
           "                          it is disconnected, in bytes\n"
           "  --compact-min=N         compact a journal once it is N bytes and has\n"
           "                          grown 4 times since the last snapshot\n"
           "TLS for pssl:PORT[:IP] and ssl:IP:PORT remotes; each value is a file\n"
           "or db:DB,TABLE,COLUMN (e.g. db:Open_vSwitch,SSL,private_key):\n"
           "  -p, --private-key=FILE  private key\n"
           "  -c, --certificate=FILE  certificate for the private key\n"
           "  -C, --ca-cert=FILE      CA certificate peers must be signed by\n"
           "  --bootstrap-ca-cert=FILE  same, saved from the first ssl: peer if\n"
           "                          FILE does not exist\n",
           program_name, program_name, vs_dbdir(), vs_rundir(), program_name);
    daemon_usage();
    printf("  -v, --verbose[=SPEC]    set logging levels\n"
           "  -h, --help              display this help message\n"
           "  -V, --version           display version information\n");
    exit(0);
}

static struct ovsdb *
create_server_db(void)
{
    struct json_object *json;
    struct ovsdb_schema *schema;
    char *msg;
    vs_assert(!json_from_string(server_schema, &json, &msg));
    struct ovsdb_error *error = ovsdb_schema_from_json(json, &schema);
    vs_assert(!error);
    json_object_put(json);
    return ovsdb_create(schema);
}

/* Fills _Server's Database table with one row per served database. */
static void
populate_server_db(struct ovsdb *sdb)
{
    struct json_object *params = json_object_new_array();
    json_object_array_add(params, json_object_new_string("_Server"));
    for (size_t i = 0; i < n_served; i++) {
        struct ovsdb *db = served[i].db;
        struct json_object *schema_json = ovsdb_schema_to_json(db->schema);
        char *schema = json_to_string(schema_json, 0);
        json_object_put(schema_json);
        struct json_object *row = json_object_build(
            5, "name", json_object_new_string(db->schema->name),
            "model", json_object_new_string("standalone"),
            "connected", json_object_new_boolean(true),
            "leader", json_object_new_boolean(true),
            "schema", json_object_new_string(schema));
        free(schema);
        json_object_array_add(params, json_object_build(
                                  3, "op", json_object_new_string("insert"),
                                  "table", json_object_new_string("Database"),
                                  "row", row));
    }
    long long timeout;
    struct json_object *result = ovsdb_execute(sdb, NULL, params, 0, &timeout);
    json_object_put(result);
    json_object_put(params);
}

/* ---- Remotes read from the database ---- */

/* Finds the column named by 'spec' ("db:DB,TABLE,COLUMN").  Returns false,
 * with a rate-limited warning, if there is no such database, table or
 * column. */
static bool
find_db_column(const char *spec, struct ovsdb **dbp,
               struct ovsdb_table **tablep,
               const struct ovsdb_column **columnp)
{
    char *copy = xstrdup(spec + 3);
    char *save = NULL;
    char *db_name = strtok_r(copy, ",", &save);
    char *table_name = strtok_r(NULL, ",", &save);
    char *column_name = strtok_r(NULL, ",", &save);
    struct ovsdb *db = NULL;
    for (size_t i = 0; i < n_served && db_name; i++) {
        if (!strcmp(served[i].db->schema->name, db_name)) {
            db = served[i].db;
        }
    }
    struct ovsdb_table *table = db && table_name ? ovsdb_get_table(db, table_name) : NULL;
    const struct ovsdb_column *column = table && column_name
        ? ovsdb_table_schema_find_column(table->schema, column_name) : NULL;
    free(copy);
    if (!column) {
        VLOG_WARN_RL(&rl, "%s: no such database, table or column", spec);
        return false;
    }
    *dbp = db;
    *tablep = table;
    *columnp = column;
    return true;
}

static void
collect_targets(const char *spec, char ***names, size_t *n)
{
    struct ovsdb *db;
    struct ovsdb_table *table;
    const struct ovsdb_column *column;
    if (!find_db_column(spec, &db, &table, &column)) {
        return;
    }
    const struct ovsdb_base_type *key = &column->type.key;
    struct ovsdb_table *ref = NULL;
    const struct ovsdb_column *target = NULL;
    if (ovsdb_base_type_is_ref(key)) {
        ref = ovsdb_get_table(db, key->uuid.ref_table->name);
        target = ovsdb_table_schema_find_column(ref->schema, "target");
        if (!target || target->type.key.type != OVSDB_TYPE_STRING) {
            VLOG_WARN_RL(&rl, "%s: referenced table has no string \"target\" column", spec);
            return;
        }
    } else if (key->type != OVSDB_TYPE_STRING) {
        VLOG_WARN_RL(&rl, "%s: column is neither strings nor references", spec);
        return;
    }
    struct ovsdb_row *row;
    HMAP_FOR_EACH (row, hmap_node, &table->rows) {
        const struct ovsdb_datum *d = &row->fields[column->index];
        for (unsigned int i = 0; i < d->n; i++) {
            const char *name = NULL;
            if (ref) {
                struct ovsdb_row *r = ovsdb_table_get_row(ref, &d->keys[i].uuid);
                const struct ovsdb_datum *t = r ? &r->fields[target->index] : NULL;
                name = t && t->n ? t->keys[0].string : NULL;
            } else {
                name = d->keys[i].string;
            }
            if (!name) {
                continue;
            }
            if (str_starts_with(name, "punix:") || str_starts_with(name, "ptcp:")
                || str_starts_with(name, "pssl:") || str_starts_with(name, "unix:")
                || str_starts_with(name, "tcp:") || str_starts_with(name, "ssl:")) {
                *names = xrealloc(*names, (*n + 1) * sizeof **names);
                (*names)[(*n)++] = xstrdup(name);
            } else {
                VLOG_WARN_RL(&rl, "%s: remote \"%s\" not supported", spec, name);
            }
        }
    }
}

/* The file named by an SSL option: the option itself, or for
 * "db:DB,TABLE,COLUMN" the first nonempty string in that column. */
static const char *
resolve_ssl_option(const char *opt)
{
    if (!opt || !str_starts_with(opt, "db:")) {
        return opt;
    }
    struct ovsdb *db;
    struct ovsdb_table *table;
    const struct ovsdb_column *column;
    if (!find_db_column(opt, &db, &table, &column)) {
        return NULL;
    }
    if (column->type.key.type != OVSDB_TYPE_STRING) {
        VLOG_WARN_RL(&rl, "%s: not a string column", opt);
        return NULL;
    }
    struct ovsdb_row *row;
    HMAP_FOR_EACH (row, hmap_node, &table->rows) {
        const struct ovsdb_datum *d = &row->fields[column->index];
        if (d->n && d->keys[0].string[0]) {
            return d->keys[0].string;
        }
    }
    return NULL;
}

/* Applies the TLS options after each commit (a db: value may have changed)
 * and once a second (renewed files); only what changed is loaded again
 * (see stream_ssl_follow_files()). */
static void
update_ssl(void)
{
    static unsigned long long last_commits = ULLONG_MAX;
    static long long next_check;
    unsigned long long commits = 0;
    for (size_t i = 0; i < n_served; i++) {
        commits += served[i].db->n_commits;
    }
    long long now = time_msec();
    if (commits == last_commits && now < next_check) {
        return;
    }
    last_commits = commits;
    next_check = now + 1000;
    if (ssl_key_opt || ssl_cert_opt || ssl_ca_opt) {
        stream_ssl_follow_files(resolve_ssl_option(ssl_key_opt),
                                resolve_ssl_option(ssl_cert_opt),
                                resolve_ssl_option(ssl_ca_opt),
                                ssl_bootstrap);
    }
}

static void
update_db_remotes(void)
{
    static unsigned long long last_commits = ULLONG_MAX;
    unsigned long long commits = 0;
    for (size_t i = 0; i < n_served; i++) {
        commits += served[i].db->n_commits;
    }
    if (!n_db_remotes || commits == last_commits) {
        return;
    }
    last_commits = commits;
    char **names = NULL;
    size_t n = 0;
    for (size_t i = 0; i < n_db_remotes; i++) {
        collect_targets(db_remotes[i], &names, &n);
    }
    ovsdb_jsonrpc_server_sync_dynamic(jsonrpc, names, n);
    for (size_t i = 0; i < n; i++) {
        free(names[i]);
    }
    free(names);
}

/* ---- Control commands ---- */

/* The commands below fill 'reply' and return false for an error reply. */
typedef bool control_cb(int argc, const char *argv[], struct ds *reply, void *aux);

static void
control_adapter(struct unixctl_conn *conn, int argc, const char *argv[], void *cb_)
{
    control_cb *cb = (control_cb *) cb_;
    struct ds reply = DS_EMPTY_INITIALIZER;
    if (cb(argc, argv, &reply, NULL)) {
        unixctl_command_reply(conn, ds_cstr(&reply));
    } else {
        unixctl_command_reply_error(conn, ds_cstr(&reply));
    }
    ds_destroy(&reply);
}

static void
control_register(const char *name, const char *usage, int min, int max, control_cb *cb)
{
    unixctl_command_register(name, usage, min, max, control_adapter, (void *) cb);
}

static bool
cmd_exit(int argc VS_UNUSED, const char *argv[] VS_UNUSED, struct ds *reply VS_UNUSED,
         void *aux VS_UNUSED)
{
    exiting = true;
    return true;
}

static bool
cmd_compact(int argc, const char *argv[], struct ds *reply, void *aux VS_UNUSED)
{
    bool ok = true, found = false;
    for (size_t i = 0; i < n_served; i++) {
        struct served *s = &served[i];
        if (!s->file || (argc > 1 && strcmp(argv[1], s->db->schema->name))) {
            continue;
        }
        found = true;
        if (ovsdb_file_is_compacting(s->file)) {
            ds_put_format(reply, "%s: compaction already in progress\n", s->db->schema->name);
            continue;
        }
        struct ovsdb_error *error = ovsdb_file_compact(s->file);
        if (error) {
            char *msg = ovsdb_error_to_string(error);
            ds_put_format(reply, "%s: %s\n", s->db->schema->name, msg);
            free(msg);
            ovsdb_error_destroy(error);
            ok = false;
        }
    }
    if (!found) {
        ds_put_format(reply, "%s: no such database", argc > 1 ? argv[1] : "");
        ok = false;
    }
    return ok;
}

static bool
cmd_add_remote(int argc VS_UNUSED, const char *argv[], struct ds *reply, void *aux VS_UNUSED)
{
    if (str_starts_with(argv[1], "db:")) {
        db_remotes = xrealloc(db_remotes, (n_db_remotes + 1) * sizeof *db_remotes);
        db_remotes[n_db_remotes++] = xstrdup(argv[1]);
        for (size_t i = 0; i < n_served; i++) {
            served[i].db->n_commits++;      /* Forces re-evaluation. */
        }
        return true;
    }
    int error = ovsdb_jsonrpc_server_add_remote(jsonrpc, argv[1], false);
    if (error) {
        ds_put_format(reply, "%s: %s", argv[1], vs_strerror(error));
        return false;
    }
    return true;
}

static bool
cmd_remove_remote(int argc VS_UNUSED, const char *argv[], struct ds *reply,
                  void *aux VS_UNUSED)
{
    for (size_t i = 0; i < n_db_remotes; i++) {
        if (!strcmp(db_remotes[i], argv[1])) {
            free(db_remotes[i]);
            db_remotes[i] = db_remotes[--n_db_remotes];
            served[0].db->n_commits++;
            return true;
        }
    }
    if (!ovsdb_jsonrpc_server_remove_remote(jsonrpc, argv[1])) {
        ds_put_format(reply, "%s: no such remote", argv[1]);
        return false;
    }
    return true;
}

static bool
cmd_list_remotes(int argc VS_UNUSED, const char *argv[] VS_UNUSED, struct ds *reply,
                 void *aux VS_UNUSED)
{
    for (size_t i = 0; i < n_db_remotes; i++) {
        ds_put_format(reply, "%s\n", db_remotes[i]);
    }
    ovsdb_jsonrpc_server_list_remotes(jsonrpc, reply);
    return true;
}

static bool
cmd_list_dbs(int argc VS_UNUSED, const char *argv[] VS_UNUSED, struct ds *reply,
             void *aux VS_UNUSED)
{
    for (size_t i = 0; i < n_served; i++) {
        ds_put_format(reply, "%s\n", served[i].db->schema->name);
    }
    return true;
}

static bool
cmd_memory_show(int argc VS_UNUSED, const char *argv[] VS_UNUSED, struct ds *reply,
                void *aux VS_UNUSED)
{
    ovsdb_jsonrpc_server_get_memory_usage(jsonrpc, reply);
    for (size_t i = 0; i < n_served; i++) {
        if (served[i].file) {
            ds_put_format(reply, " %s:journal-bytes:%lld compactions:%llu",
                          served[i].db->schema->name, ovsdb_file_size(served[i].file),
                          ovsdb_file_n_compactions(served[i].file));
        }
    }
    ds_put_char(reply, '\n');
    return true;
}


int
main(int argc, char *argv[])
{
    enum {
        OPT_REMOTE = UCHAR_MAX + 1, OPT_UNIXCTL, OPT_MAX_MSG, OPT_MAX_BACKLOG,
        OPT_COMPACT_MIN, OPT_BOOTSTRAP_CA,
    };
    static const struct option long_options[] = {
        { "remote", required_argument, NULL, OPT_REMOTE },
        { "unixctl", required_argument, NULL, OPT_UNIXCTL },
        { "max-message-size", required_argument, NULL, OPT_MAX_MSG },
        { "max-backlog", required_argument, NULL, OPT_MAX_BACKLOG },
        { "compact-min", required_argument, NULL, OPT_COMPACT_MIN },
        { "private-key", required_argument, NULL, 'p' },
        { "certificate", required_argument, NULL, 'c' },
        { "ca-cert", required_argument, NULL, 'C' },
        { "bootstrap-ca-cert", required_argument, NULL, OPT_BOOTSTRAP_CA },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        DAEMON_LONG_OPTIONS,
        VLOG_LONG_OPTIONS,
        { NULL, 0, NULL, 0 },
    };
    char **remotes = NULL;
    size_t n_remotes = 0;
    const char *unixctl_path = NULL;
    unsigned long long max_msg = 64ULL << 20, max_backlog = 64ULL << 20;
    long long compact_min = -1;

    set_program_name(argv[0]);
    /* Big transactions free tens of thousands of small objects at once;
     * glibc's fastbins then make every larger allocation consolidate them.
     * Without fastbins (tcache still serves small sizes) a 1000-row insert
     * takes about a fifth less CPU. */
    mallopt(M_MXFAST, 0);
    vlog_init();
    for (;;) {
        int c = getopt_long(argc, argv, "hVv::p:c:C:", long_options, NULL);
        if (c == -1) {
            break;
        }
        switch (c) {
        case OPT_REMOTE:
            remotes = xrealloc(remotes, (n_remotes + 1) * sizeof *remotes);
            remotes[n_remotes++] = optarg;
            break;
        case OPT_UNIXCTL:
            unixctl_path = optarg;
            break;
        case 'p':
            ssl_key_opt = optarg;
            break;
        case 'c':
            ssl_cert_opt = optarg;
            break;
        case 'C':
        case OPT_BOOTSTRAP_CA:
            ssl_ca_opt = optarg;
            ssl_bootstrap = c == OPT_BOOTSTRAP_CA;
            break;
        case OPT_MAX_MSG:
            if (!str_to_ullong(optarg, 10, &max_msg) || !max_msg) {
                vs_fatal(0, "--max-message-size: bad value %s", optarg);
            }
            break;
        case OPT_MAX_BACKLOG:
            if (!str_to_ullong(optarg, 10, &max_backlog) || !max_backlog) {
                vs_fatal(0, "--max-backlog: bad value %s", optarg);
            }
            break;
        case OPT_COMPACT_MIN:
            if (!str_to_llong(optarg, 10, &compact_min) || compact_min < 0) {
                vs_fatal(0, "--compact-min: bad value %s", optarg);
            }
            break;
        case 'h':
            usage();
        case 'V':
            vs_print_version();
            return 0;
        DAEMON_OPTION_HANDLERS
        VLOG_OPTION_HANDLERS
        default:
            exit(1);
        }
    }

    /* Open the databases first, so a bad file fails before detaching. */
    char *default_db = xasprintf("%s/conf.db", vs_dbdir());
    char **files = argc > optind ? argv + optind : &default_db;
    size_t n_files = argc > optind ? (size_t) (argc - optind) : 1;
    served = xcalloc(n_files + 1, sizeof *served);
    for (size_t i = 0; i < n_files; i++) {
        char *warning;
        struct ovsdb_error *error = ovsdb_file_open(files[i], false, &served[i].db,
                                                    &served[i].file, &warning);
        if (error) {
            char *msg = ovsdb_error_to_string(error);
            vs_fatal(0, "%s", msg);
        }
        if (warning) {
            VLOG_WARN("%s", warning);
            free(warning);
        }
        for (size_t j = 0; j < n_served; j++) {
            if (!strcmp(served[j].db->schema->name, served[i].db->schema->name)) {
                vs_fatal(0, "%s: database name %s served twice", files[i],
                         served[i].db->schema->name);
            }
        }
        if (compact_min >= 0) {
            ovsdb_file_set_compaction(served[i].file, compact_min, 4);
        }
        n_served++;
    }
    struct ovsdb *server_db = create_server_db();
    served[n_served].db = server_db;
    served[n_served].file = NULL;
    n_served++;
    populate_server_db(server_db);

    daemonize_start();

    jsonrpc = ovsdb_jsonrpc_server_create();
    ovsdb_jsonrpc_server_set_limits(jsonrpc, max_msg, max_backlog);
    for (size_t i = 0; i < n_served; i++) {
        ovsdb_jsonrpc_server_add_db(jsonrpc, served[i].db, served[i].db == server_db);
    }
    update_ssl();               /* Before pssl: remotes listen. */
    for (size_t i = 0; i < n_remotes; i++) {
        if (str_starts_with(remotes[i], "db:")) {
            db_remotes = xrealloc(db_remotes, (n_db_remotes + 1) * sizeof *db_remotes);
            db_remotes[n_db_remotes++] = xstrdup(remotes[i]);
            continue;
        }
        int error = ovsdb_jsonrpc_server_add_remote(jsonrpc, remotes[i], false);
        if (error) {
            vs_fatal(0, "%s: cannot listen (%s)", remotes[i], vs_strerror(error));
        }
        if (str_starts_with(remotes[i], "punix:")) {
            fatal_signal_add_file_to_unlink(remotes[i] + 6);
        }
    }
    update_db_remotes();

    struct unixctl_server *control;
    int error = unixctl_server_create(unixctl_path, &control);
    if (error) {
        vs_fatal(0, "cannot create control socket (%s)", vs_strerror(error));
    }
    /* Our own "exit" replaces the built-in one, so a running compaction is
     * finished and the journal left whole before the process ends. */
    control_register("exit", "", 0, 0, cmd_exit);
    control_register("ovsdb-server/compact", "[DB]", 0, 1, cmd_compact);
    control_register("ovsdb-server/add-remote", "REMOTE", 1, 1, cmd_add_remote);
    control_register("ovsdb-server/remove-remote", "REMOTE", 1, 1, cmd_remove_remote);
    control_register("ovsdb-server/list-remotes", "", 0, 0, cmd_list_remotes);
    control_register("ovsdb-server/list-dbs", "", 0, 0, cmd_list_dbs);
    control_register("memory/show", "", 0, 0, cmd_memory_show);

    daemonize_complete();
    VLOG_INFO("%s (vswitch) %s: serving %zu database(s)", program_name,
              PACKAGE_VERSION, n_served);

    while (!exiting) {
        ovsdb_jsonrpc_server_run(jsonrpc);
        unixctl_server_run(control);
        update_ssl();
        update_db_remotes();
        bool compacting = false;
        for (size_t i = 0; i < n_served; i++) {
            if (served[i].file) {
                ovsdb_file_run(served[i].file);
                compacting |= ovsdb_file_is_compacting(served[i].file);
            }
        }
        if (exiting) {
            break;
        }
        ovsdb_jsonrpc_server_wait(jsonrpc);
        unixctl_server_wait(control);
        if (compacting) {
            poll_timer_wait(10);    /* Check on the compaction child. */
        }
        if (ssl_key_opt || ssl_cert_opt || ssl_ca_opt) {
            poll_timer_wait(1000);  /* Notice renewed certificate files. */
        }
        poll_block();
    }

    /* Finish a running compaction so the journal is left whole. */
    for (size_t i = 0; i < n_served; i++) {
        while (served[i].file && ovsdb_file_is_compacting(served[i].file)) {
            ovsdb_file_run(served[i].file);
            usleep(1000);
        }
    }
    /* Let the "exit" reply go out. */
    unixctl_server_run(control);
    unixctl_server_destroy(control);
    ovsdb_jsonrpc_server_destroy(jsonrpc);
    for (size_t i = 0; i < n_served; i++) {
        ovsdb_destroy(served[i].db);
    }
    free(served);
    free(remotes);
    for (size_t i = 0; i < n_db_remotes; i++) {
        free(db_remotes[i]);
    }
    free(db_remotes);
    free(default_db);
    VLOG_INFO("exiting");
    return 0;
}
