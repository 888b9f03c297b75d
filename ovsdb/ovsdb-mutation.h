/* "mutate" mutations (RFC 7047 section 5.1): [column, mutator, value] with
 * mutators +=, -=, *=, /=, %=, insert and delete. */
#ifndef VS_OVSDB_MUTATION_H
#define VS_OVSDB_MUTATION_H 1

#include <json-c/json.h>
#include "ovsdb/ovsdb-datum.h"
#include "ovsdb/ovsdb-schema.h"

struct ovsdb_row;

enum ovsdb_mutator {
    OVSDB_M_ADD, OVSDB_M_SUB, OVSDB_M_MUL, OVSDB_M_DIV, OVSDB_M_MOD,
    OVSDB_M_INSERT, OVSDB_M_DELETE
};

struct ovsdb_mutation {
    enum ovsdb_mutator mutator;
    const struct ovsdb_column *column;
    struct ovsdb_type arg_type;     /* Shallow copy, may differ from column's. */
    struct ovsdb_datum arg;
};

struct ovsdb_mutation_set {
    struct ovsdb_mutation *mutations;   /* Owned. */
    size_t n;
};

struct ovsdb_error *ovsdb_mutation_set_from_json(const struct ovsdb_table_schema *,
                                                 struct json_object *,
                                                 struct ovsdb_symbol_table *,
                                                 struct ovsdb_mutation_set *)
    __attribute__((warn_unused_result));
/* Applies every mutation to 'row'; on error 'row' may be partly changed
 * (the caller aborts the transaction). */
struct ovsdb_error *ovsdb_mutation_set_execute(struct ovsdb_row *,
                                               const struct ovsdb_mutation_set *)
    __attribute__((warn_unused_result));
void ovsdb_mutation_set_destroy(struct ovsdb_mutation_set *);

#endif /* ovsdb/ovsdb-mutation.h */
