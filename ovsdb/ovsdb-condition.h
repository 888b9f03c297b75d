/* "where" conditions (RFC 7047 section 5.1): [column, function, value]
 * clauses, all of which must hold; monitor_cond also allows true/false. */
#ifndef VS_OVSDB_CONDITION_H
#define VS_OVSDB_CONDITION_H 1

#include <stdbool.h>
#include <json-c/json.h>
#include "ovsdb/ovsdb-datum.h"
#include "ovsdb/ovsdb-schema.h"

struct ovsdb_row;

enum ovsdb_function {
    OVSDB_F_FALSE, OVSDB_F_TRUE,
    OVSDB_F_LT, OVSDB_F_LE, OVSDB_F_EQ, OVSDB_F_NE, OVSDB_F_GE, OVSDB_F_GT,
    OVSDB_F_INCLUDES, OVSDB_F_EXCLUDES
};

struct ovsdb_clause {
    enum ovsdb_function function;
    const struct ovsdb_column *column;  /* NULL for true/false. */
    struct ovsdb_type arg_type;         /* Shallow: no owned parts. */
    struct ovsdb_datum arg;
};

struct ovsdb_condition {
    struct ovsdb_clause *clauses;       /* Owned. */
    size_t n;
};

#define OVSDB_CONDITION_INITIALIZER { NULL, 0 }

struct ovsdb_error *ovsdb_condition_from_json(const struct ovsdb_table_schema *,
                                              struct json_object *,
                                              struct ovsdb_symbol_table *,
                                              struct ovsdb_condition *)
    __attribute__((warn_unused_result));
bool ovsdb_condition_match(const struct ovsdb_row *, const struct ovsdb_condition *);
void ovsdb_condition_destroy(struct ovsdb_condition *);
/* If the condition pins _uuid with "==", returns that UUID (for a direct
 * lookup instead of a scan), else NULL. */
const struct uuid *ovsdb_condition_get_uuid(const struct ovsdb_condition *);
/* True if the condition is empty or only "true" clauses. */
bool ovsdb_condition_is_true(const struct ovsdb_condition *);

#endif /* ovsdb/ovsdb-condition.h */
