/* OVSDB column types (RFC 7047 section 3.2): atomic types, base types with
 * constraints, and set/map types with min/max sizes.  Shared by the server
 * and the client IDL; depends only on json-c and lib/. */
#ifndef VS_OVSDB_TYPES_H
#define VS_OVSDB_TYPES_H 1

#include <limits.h>
#include <stdbool.h>
#include <json-c/json.h>
#include "util.h"

struct ovsdb_datum;
struct ovsdb_error;
struct ovsdb_table_schema;

enum ovsdb_atomic_type {
    OVSDB_TYPE_VOID,            /* No value (a set's "value" part). */
    OVSDB_TYPE_INTEGER,
    OVSDB_TYPE_REAL,
    OVSDB_TYPE_BOOLEAN,
    OVSDB_TYPE_STRING,
    OVSDB_TYPE_UUID,
    OVSDB_N_TYPES
};

const char *ovsdb_atomic_type_to_string(enum ovsdb_atomic_type);
bool ovsdb_atomic_type_from_string(const char *, enum ovsdb_atomic_type *);

enum ovsdb_ref_type {
    OVSDB_REF_STRONG,
    OVSDB_REF_WEAK
};

struct ovsdb_base_type {
    enum ovsdb_atomic_type type;
    struct ovsdb_datum *enum_;      /* Owned; allowed values, or NULL. */
    union {
        struct { long long min, max; } integer;
        struct { double min, max; } real;
        struct { unsigned int min_len, max_len; } string;
        struct {
            char *ref_table_name;   /* Owned; NULL if not a reference. */
            struct ovsdb_table_schema *ref_table;  /* Resolved by schema. */
            enum ovsdb_ref_type ref_type;
        } uuid;
    };
};

#define OVSDB_UNLIMITED UINT_MAX

struct ovsdb_type {
    struct ovsdb_base_type key;
    struct ovsdb_base_type value;   /* OVSDB_TYPE_VOID for a set. */
    unsigned int n_min, n_max;      /* n_max may be OVSDB_UNLIMITED. */
};

void ovsdb_base_type_init(struct ovsdb_base_type *, enum ovsdb_atomic_type);
void ovsdb_base_type_clone(struct ovsdb_base_type *dst,
                           const struct ovsdb_base_type *src);
void ovsdb_base_type_destroy(struct ovsdb_base_type *);
bool ovsdb_base_type_is_ref(const struct ovsdb_base_type *);
bool ovsdb_base_type_is_strong_ref(const struct ovsdb_base_type *);
bool ovsdb_base_type_is_weak_ref(const struct ovsdb_base_type *);
bool ovsdb_base_type_has_constraints(const struct ovsdb_base_type *);
struct ovsdb_error *ovsdb_base_type_from_json(struct ovsdb_base_type *,
                                              struct json_object *)
    __attribute__((warn_unused_result));
struct json_object *ovsdb_base_type_to_json(const struct ovsdb_base_type *);

void ovsdb_type_init(struct ovsdb_type *);
void ovsdb_type_clone(struct ovsdb_type *dst, const struct ovsdb_type *src);
void ovsdb_type_destroy(struct ovsdb_type *);
struct ovsdb_error *ovsdb_type_from_json(struct ovsdb_type *,
                                         struct json_object *)
    __attribute__((warn_unused_result));
struct json_object *ovsdb_type_to_json(const struct ovsdb_type *);

static inline bool ovsdb_type_is_map(const struct ovsdb_type *t)
{ return t->value.type != OVSDB_TYPE_VOID; }
static inline bool ovsdb_type_is_set(const struct ovsdb_type *t)
{ return t->value.type == OVSDB_TYPE_VOID && (t->n_min != 1 || t->n_max != 1); }
static inline bool ovsdb_type_is_scalar(const struct ovsdb_type *t)
{ return t->value.type == OVSDB_TYPE_VOID && t->n_min == 1 && t->n_max == 1; }
static inline bool ovsdb_type_is_optional(const struct ovsdb_type *t)
{ return t->n_min == 0 && t->n_max == 1; }
static inline bool ovsdb_type_is_composite(const struct ovsdb_type *t)
{ return t->n_max > 1; }

/* Convenience initializer for a scalar of 'atomic' type. */
struct ovsdb_type ovsdb_type_scalar(enum ovsdb_atomic_type atomic);

#endif /* ovsdb/ovsdb-types.h */
