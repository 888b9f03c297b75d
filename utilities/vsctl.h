/* vs-vsctl internals: the context that commands run in, and the command
 * tables of vsctl-bridge.c (bridges, ports, interfaces, controllers,
 * managers, SSL, show) and vsctl-db.c (commands on any table). */
#ifndef VS_VSCTL_H
#define VS_VSCTL_H 1

#include <stdbool.h>
#include "dynamic-string.h"
#include "hmap.h"
#include "ovsdb/idl.h"

struct vsctl_ctx;
struct vsctl_cache;

enum vsctl_mode { VSCTL_RO, VSCTL_RW };

struct vsctl_command_syntax {
    const char *name;
    int min_args, max_args;     /* Not counting the name; -1: unlimited. */
    const char *arguments;      /* For --help. */
    void (*run)(struct vsctl_ctx *);
    /* After a successful commit, may rewrite the command's output (e.g.
     * the uuids of created rows). */
    void (*post)(struct vsctl_ctx *);
    const char *options;        /* Accepted, e.g. "--may-exist,--if-exists". */
    enum vsctl_mode mode;
};

struct vsctl_command {
    const struct vsctl_command_syntax *syntax;
    int argc;
    char **argv;                /* argv[0] is the command name. */
    char **options;             /* "--name" or "--name=value". */
    size_t n_options;
    struct ds output;
    struct idl_row *created;    /* The row 'create' inserted. */
};

struct vsctl_symbol {
    struct hmap_node node;
    char *name;                 /* "@name". */
    char uuid[37];
    bool created;               /* Defined by --id= on a create. */
    bool strong_ref;            /* Referenced by a strong reference. */
};

struct vsctl_ctx {
    struct ovsdb_idl *idl;
    struct ovsdb_idl_txn *txn;
    struct idl_row *ovs;        /* The Open_vSwitch row. */
    struct vsctl_command *cmd;  /* The command running. */
    int argc;
    char **argv;
    struct ds *output;
    struct hmap symbols;        /* 'struct vsctl_symbol's. */
    struct vsctl_cache *cache;  /* Bridges/ports/ifaces; NULL if stale. */
    bool try_again;             /* wait-until: not yet, run again later. */
    bool dry_run;
    bool ports_verified;        /* verify_ports() done in this attempt. */
};

/* Prints "vs-vsctl: MESSAGE" and exits 1: the transaction is never
 * committed, so the database stays unchanged. */
void vsctl_fatal(const char *fmt, ...) VS_PRINTF(1, 2) VS_NORETURN;

bool vsctl_has_option(const struct vsctl_ctx *, const char *name);
const char *vsctl_option_value(const struct vsctl_ctx *, const char *name);

/* Tables and rows (vsctl-db.c). */
struct idl_table *vsctl_get_table(struct vsctl_ctx *, const char *name);
const struct idl_column *vsctl_get_column(const struct idl_table *,
                                          const char *name);
struct idl_row *vsctl_get_row(struct vsctl_ctx *, struct idl_table *,
                              const char *record, bool must_exist);
struct vsctl_symbol *vsctl_symbol_find(struct vsctl_ctx *, const char *name);
struct vsctl_symbol *vsctl_symbol_create(struct vsctl_ctx *,
                                         const char *name);
char *vsctl_symbol_cb(const char *name, void *ctx, char uuid[37]);
/* Parses "COLUMN[:KEY]=VALUE" and writes it to 'row'. */
void vsctl_set_column(struct vsctl_ctx *, struct idl_row *, const char *arg);
/* Generic helpers. */
/* Empties 'column' of 'row' (a set, a map or an optional value). */
void vsctl_clear_column(struct vsctl_ctx *, struct idl_row *,
                        const char *column);
void vsctl_write_string(struct vsctl_ctx *, struct idl_row *,
                        const char *column, const char *value);
void vsctl_write_int(struct vsctl_ctx *, struct idl_row *,
                     const char *column, long long value);
void vsctl_write_bool(struct vsctl_ctx *, struct idl_row *,
                      const char *column, bool value);
void vsctl_set_add_uuid(struct vsctl_ctx *, struct idl_row *,
                        const char *column, const char *uuid);
void vsctl_set_remove_uuid(struct vsctl_ctx *, struct idl_row *,
                           const char *column, const char *uuid);
const struct idl_datum *vsctl_read(struct vsctl_ctx *, struct idl_row *,
                                   const char *column);
void vsctl_map_set(struct vsctl_ctx *, struct idl_row *, const char *column,
                   const char *key, const char *value);
struct idl_row *vsctl_insert(struct vsctl_ctx *, const char *table);
void vsctl_invalidate_cache(struct vsctl_ctx *);

/* Output of records (vsctl-table.c). */
enum vsctl_format { FMT_TABLE, FMT_LIST, FMT_CSV, FMT_JSON, FMT_BARE };
extern enum vsctl_format vsctl_format;
extern bool vsctl_format_set;  /* -f given. */
extern bool vsctl_headings;    /* --no-headings clears it. */
struct vsctl_table_out;
struct vsctl_table_out *vsctl_table_create(struct idl_table *,
                                           const struct idl_column **,
                                           size_t n_columns);
void vsctl_table_add_row(struct vsctl_table_out *, struct idl_row *);
void vsctl_table_print(struct vsctl_table_out *, enum vsctl_format,
                       struct ds *);
void vsctl_table_destroy(struct vsctl_table_out *);

extern const struct vsctl_command_syntax vsctl_bridge_commands[];
extern const struct vsctl_command_syntax vsctl_db_commands[];

void vsctl_cache_destroy(struct vsctl_cache *);

#endif /* vsctl.h */
