/* Database schemas (RFC 7047 section 3.2): tables, columns, indexes.
 * Shared by server and IDL; depends only on json-c and lib/. */
#ifndef VS_OVSDB_SCHEMA_H
#define VS_OVSDB_SCHEMA_H 1

#include <stdbool.h>
#include <json-c/json.h>
#include "ovsdb/ovsdb-types.h"

/* Every table has these two read-only columns first. */
enum {
    OVSDB_COL_UUID = 0,
    OVSDB_COL_VERSION = 1,
    OVSDB_N_FIXED_COLUMNS = 2
};

struct ovsdb_column {
    unsigned int index;         /* Position in the table's 'columns'. */
    char *name;                 /* Owned. */
    struct ovsdb_type type;
    bool mutable;               /* May "update"/"mutate" change it? */
    bool persistent;            /* False for "ephemeral": not journaled. */
};

struct ovsdb_column_set {
    const struct ovsdb_column **columns;   /* Owned array. */
    size_t n;
};

struct ovsdb_table_schema {
    char *name;                 /* Owned. */
    struct ovsdb_column **columns;  /* Owned; 'n_columns', by index. */
    size_t n_columns;
    bool is_root;
    unsigned int max_rows;      /* UINT_MAX if unlimited. */
    struct ovsdb_column_set *indexes;  /* Owned; 'n_indexes'. */
    size_t n_indexes;
    bool has_refs;              /* Some column refers to a table. */
};

struct ovsdb_schema {
    char *name, *version, *cksum;   /* Owned; 'cksum' may be NULL. */
    struct ovsdb_table_schema **tables;  /* Owned; 'n_tables'. */
    size_t n_tables;
};

struct ovsdb_error *ovsdb_schema_from_json(struct json_object *,
                                           struct ovsdb_schema **)
    __attribute__((warn_unused_result));
struct ovsdb_error *ovsdb_schema_from_file(const char *file_name,
                                           struct ovsdb_schema **)
    __attribute__((warn_unused_result));
struct json_object *ovsdb_schema_to_json(const struct ovsdb_schema *);
void ovsdb_schema_destroy(struct ovsdb_schema *);
struct ovsdb_schema *ovsdb_schema_clone(const struct ovsdb_schema *);
bool ovsdb_schema_equal(const struct ovsdb_schema *, const struct ovsdb_schema *);

struct ovsdb_table_schema *ovsdb_schema_find_table(const struct ovsdb_schema *,
                                                   const char *name);
const struct ovsdb_column *ovsdb_table_schema_find_column(
    const struct ovsdb_table_schema *, const char *name);

/* Version strings "x.y.z": returns false if malformed. */
bool ovsdb_version_parse(const char *, int *x, int *y, int *z);

void ovsdb_column_set_destroy(struct ovsdb_column_set *);

#endif /* ovsdb/ovsdb-schema.h */
