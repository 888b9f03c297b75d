/* vs-ovsdb-tool: offline operations on database files. */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "dynamic-string.h"
#include "ovsdb/ovsdb.h"
#include "ovsdb/ovsdb-error.h"
#include "ovsdb/ovsdb-execute.h"
#include "ovsdb/ovsdb-file.h"
#include "ovsdb/ovsdb-log.h"
#include "ovsdb/ovsdb-schema.h"

static int show_log_verbosity;

static const char *
default_db(void)
{
    static char *db;
    if (!db) {
        const char *dir = getenv("VS_DBDIR");
        db = xasprintf("%s/conf.db", dir && *dir ? dir : DBDIR);
    }
    return db;
}

static const char *
default_schema(void)
{
    static char *schema;
    if (!schema) {
        const char *dir = getenv("VS_PKGDATADIR");
        schema = xasprintf("%s/vswitch.ovsschema", dir && *dir ? dir : PKGDATADIR);
    }
    return schema;
}

static void VS_NORETURN
fail_error(struct ovsdb_error *error)
{
    char *s = ovsdb_error_to_string(error);
    fprintf(stderr, "%s: %s\n", program_name, s);
    exit(1);
}

static void
check(struct ovsdb_error *error)
{
    if (error) {
        fail_error(error);
    }
}

static struct ovsdb_schema *
read_schema(const char *name)
{
    struct ovsdb_schema *schema;
    check(ovsdb_schema_from_file(name, &schema));
    return schema;
}

static void
print_json(struct json_object *json)
{
    puts(json_object_to_json_string_ext(json, JSON_C_TO_STRING_PLAIN
                                        | JSON_C_TO_STRING_NOSLASHESCAPE));
}

static void
cmd_create(int argc, char *argv[])
{
    const char *db = argc > 1 ? argv[1] : default_db();
    const char *schema_file = argc > 2 ? argv[2] : default_schema();
    struct ovsdb_schema *schema = read_schema(schema_file);
    check(ovsdb_file_create(db, schema));
    ovsdb_schema_destroy(schema);
}

static struct ovsdb *
open_db(const char *name, bool read_only, struct ovsdb_file **file)
{
    struct ovsdb *db;
    char *warning;
    check(ovsdb_file_open(name, read_only, &db, file, &warning));
    if (warning) {
        fprintf(stderr, "%s: warning: %s\n", program_name, warning);
        free(warning);
    }
    return db;
}

static void
cmd_compact(int argc, char *argv[])
{
    const char *name = argc > 1 ? argv[1] : default_db();
    if (argc > 2) {
        struct ovsdb *db = open_db(name, true, NULL);
        check(ovsdb_file_save_as(db, argv[2]));
        ovsdb_destroy(db);
    } else {
        struct ovsdb_file *file;
        struct ovsdb *db = open_db(name, false, &file);
        check(ovsdb_file_compact(file));
        ovsdb_destroy(db);
    }
}

static void
cmd_convert(int argc, char *argv[])
{
    const char *name = argc > 1 ? argv[1] : default_db();
    const char *schema_file = argc > 2 ? argv[2] : default_schema();
    const char *target = argc > 3 ? argv[3] : name;
    struct ovsdb_schema *schema = read_schema(schema_file);
    struct ovsdb_file *file = NULL;
    /* Holding the lock on the source keeps a server from writing meanwhile. */
    struct ovsdb *db = open_db(name, argc > 3, argc > 3 ? NULL : &file);
    struct ovsdb *new;
    check(ovsdb_file_convert(db, schema, &new));
    check(ovsdb_file_save_as(new, target));
    ovsdb_destroy(new);
    ovsdb_destroy(db);
    ovsdb_schema_destroy(schema);
}

static void
cmd_needs_conversion(int argc, char *argv[])
{
    const char *name = argc > 1 ? argv[1] : default_db();
    const char *schema_file = argc > 2 ? argv[2] : default_schema();
    struct ovsdb_schema *a, *b = read_schema(schema_file);
    check(ovsdb_file_read_schema(name, &a));
    puts(ovsdb_schema_equal(a, b) ? "no" : "yes");
    ovsdb_schema_destroy(a);
    ovsdb_schema_destroy(b);
}

static void
print_schema_field(struct ovsdb_schema *schema, const char *field)
{
    const char *v = (!strcmp(field, "version") ? schema->version
                     : !strcmp(field, "cksum") ? schema->cksum
                     : schema->name);
    puts(v ? v : "");
    ovsdb_schema_destroy(schema);
}

static void
cmd_db_field(int argc, char *argv[], const char *field)
{
    struct ovsdb_schema *schema;
    check(ovsdb_file_read_schema(argc > 1 ? argv[1] : default_db(), &schema));
    print_schema_field(schema, field);
}

static void
cmd_schema_field(int argc, char *argv[], const char *field)
{
    print_schema_field(read_schema(argc > 1 ? argv[1] : default_schema()), field);
}

static void
do_transact(int argc, char *argv[], bool read_only)
{
    if (argc < 2) {
        vs_fatal(0, "%s: transaction argument required", argv[0]);
    }
    const char *name = argc > 2 ? argv[1] : default_db();
    const char *txn_text = argv[argc - 1];
    struct json_object *params = json_tokener_parse(txn_text);
    if (!params) {
        vs_fatal(0, "transaction is not valid JSON: %s", txn_text);
    }
    struct ovsdb_file *file = NULL;
    struct ovsdb *db = open_db(name, read_only, read_only ? NULL : &file);
    struct ovsdb_exec_env env = { NULL, NULL, read_only };
    long long timeout;
    /* An unmet wait cannot become true offline: run it as timed out. */
    struct json_object *result = ovsdb_execute(db, &env, params, LLONG_MAX, &timeout);
    if (!result) {
        vs_fatal(0, "transaction did not complete");
    }
    print_json(result);
    json_object_put(result);
    json_object_put(params);
    ovsdb_destroy(db);
}

static void
print_record_summary(struct json_object *json)
{
    struct json_object *v;
    if (json_object_object_get_ex(json, "_date", &v)) {
        time_t t = json_object_get_int64(v) / 1000;
        struct tm tm;
        char buf[64];
        gmtime_r(&t, &tm);
        strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
        printf(" %s", buf);
    }
    if (json_object_object_get_ex(json, "_comment", &v)) {
        printf(" \"%s\"", json_object_get_string(v));
    }
    putchar('\n');
    json_object_object_foreach(json, tname, tjson) {
        if (tname[0] == '_' || !json_object_is_type(tjson, json_type_object)) {
            continue;
        }
        printf("\ttable %s:\n", tname);
        json_object_object_foreach(tjson, uuid, row) {
            printf("\t\trow %.8s: %s", uuid, row ? "" : "delete");
            if (row && show_log_verbosity) {
                printf("%s", json_object_to_json_string_ext(row, JSON_C_TO_STRING_PLAIN));
            } else if (row) {
                printf("%d column(s)", json_object_object_length(row));
            }
            putchar('\n');
        }
    }
}

static void
cmd_show_log(int argc, char *argv[])
{
    const char *name = argc > 1 ? argv[1] : default_db();
    struct ovsdb_log *log;
    struct json_object *json;
    check(ovsdb_log_open(name, OVSDB_LOG_READ_ONLY, &log));
    for (unsigned int i = 0;; i++) {
        struct ovsdb_error *error = ovsdb_log_read(log, &json);
        if (error) {
            char *s = ovsdb_error_to_string(error);
            printf("%s\n", s);
            free(s);
            ovsdb_error_destroy(error);
            break;
        } else if (!json) {
            break;
        }
        printf("record %u:", i);
        if (i == 0) {
            struct json_object *n, *v;
            json_object_object_get_ex(json, "name", &n);
            json_object_object_get_ex(json, "version", &v);
            printf(" schema \"%s\", version \"%s\"\n", json_object_get_string(n),
                   json_object_get_string(v));
        } else {
            print_record_summary(json);
        }
        json_object_put(json);
    }
    ovsdb_log_close(log);
}

static void
cmd_check(int argc, char *argv[])
{
    const char *name = argc > 1 ? argv[1] : default_db();
    struct ovsdb *db;
    char *warning;
    check(ovsdb_file_open(name, true, &db, NULL, &warning));
    if (warning) {
        printf("torn tail: %s\n", warning);
        free(warning);
    }
    size_t n = 0;
    for (size_t i = 0; i < db->schema->n_tables; i++) {
        n += ovsdb_table_n_rows(db->tables[i]);
    }
    printf("%s: %zu rows in %zu tables\n", name, n, db->schema->n_tables);
    ovsdb_destroy(db);
}

static void
usage(void)
{
    printf("%s: OVSDB database file tool\n"
           "usage: %s [OPTIONS] COMMAND [ARG...]\n"
           "  create [DB [SCHEMA]]         create DB with the given SCHEMA\n"
           "  compact [DB [DST]]           compact DB in place, or into DST\n"
           "  convert [DB [SCHEMA [DST]]]  convert DB to SCHEMA keeping data\n"
           "  needs-conversion [DB [SCHEMA]] print yes if DB's schema differs\n"
           "  db-name, db-version, db-cksum [DB]\n"
           "  schema-name, schema-version, schema-cksum [SCHEMA]\n"
           "  query [DB] TRNS              run read-only transaction on DB\n"
           "  transact [DB] TRNS           run transaction on DB and commit it\n"
           "  show-log [-m] [DB]           print the records of DB\n"
           "  check [DB]                   open DB read-only and report its state\n"
           "Default DB: %s; default SCHEMA: %s\n"
           "Options: -m/--more, -h/--help, -V/--version\n",
           program_name, program_name, default_db(), default_schema());
}

int
main(int argc, char *argv[])
{
    static const struct option long_options[] = {
        { "more", no_argument, NULL, 'm' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    set_program_name(argv[0]);
    for (;;) {
        int c = getopt_long(argc, argv, "mhV", long_options, NULL);
        if (c == -1) {
            break;
        }
        switch (c) {
        case 'm':
            show_log_verbosity++;
            break;
        case 'h':
            usage();
            return 0;
        case 'V':
            vs_print_version();
            return 0;
        default:
            return 1;
        }
    }
    argc -= optind;
    argv += optind;
    if (argc < 1) {
        usage();
        return 1;
    }
    const char *cmd = argv[0];
    if (!strcmp(cmd, "create")) {
        cmd_create(argc, argv);
    } else if (!strcmp(cmd, "compact")) {
        cmd_compact(argc, argv);
    } else if (!strcmp(cmd, "convert")) {
        cmd_convert(argc, argv);
    } else if (!strcmp(cmd, "needs-conversion")) {
        cmd_needs_conversion(argc, argv);
    } else if (!strcmp(cmd, "db-version")) {
        cmd_db_field(argc, argv, "version");
    } else if (!strcmp(cmd, "db-cksum")) {
        cmd_db_field(argc, argv, "cksum");
    } else if (!strcmp(cmd, "db-name")) {
        cmd_db_field(argc, argv, "name");
    } else if (!strcmp(cmd, "schema-version")) {
        cmd_schema_field(argc, argv, "version");
    } else if (!strcmp(cmd, "schema-cksum")) {
        cmd_schema_field(argc, argv, "cksum");
    } else if (!strcmp(cmd, "schema-name")) {
        cmd_schema_field(argc, argv, "name");
    } else if (!strcmp(cmd, "query")) {
        do_transact(argc, argv, true);
    } else if (!strcmp(cmd, "transact")) {
        do_transact(argc, argv, false);
    } else if (!strcmp(cmd, "show-log")) {
        cmd_show_log(argc, argv);
    } else if (!strcmp(cmd, "check")) {
        cmd_check(argc, argv);
    } else {
        fprintf(stderr, "%s: unknown command \"%s\" (use --help)\n", program_name, cmd);
        return 1;
    }
    return 0;
}
