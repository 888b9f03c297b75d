/* OVSDB values: atoms (one integer, real, boolean, string or uuid) and
 * datums (a sorted set of atoms, or a map of atoms to atoms), with the
 * RFC 7047 JSON forms: "x", 1, ["uuid","..."], ["named-uuid","..."],
 * ["set",[...]] and ["map",[[k,v],...]].  Shared by server and IDL. */
#ifndef VS_OVSDB_DATUM_H
#define VS_OVSDB_DATUM_H 1

#include <stdbool.h>
#include <json-c/json.h>
#include "hmap.h"
#include "ovsdb/ovsdb-types.h"
#include "ovsdb/uuid.h"

union ovsdb_atom {
    long long integer;
    double real;
    bool boolean;
    char *string;               /* Owned, NUL-terminated UTF-8. */
    struct uuid uuid;
};

void ovsdb_atom_init_default(union ovsdb_atom *, enum ovsdb_atomic_type);
void ovsdb_atom_clone(union ovsdb_atom *dst, const union ovsdb_atom *src,
                      enum ovsdb_atomic_type);
void ovsdb_atom_destroy(union ovsdb_atom *, enum ovsdb_atomic_type);
int ovsdb_atom_compare_3way(const union ovsdb_atom *, const union ovsdb_atom *,
                            enum ovsdb_atomic_type);
static inline bool
ovsdb_atom_equals(const union ovsdb_atom *a, const union ovsdb_atom *b,
                  enum ovsdb_atomic_type type)
{
    return !ovsdb_atom_compare_3way(a, b, type);
}
uint32_t ovsdb_atom_hash(const union ovsdb_atom *, enum ovsdb_atomic_type,
                         uint32_t basis);

/* Named UUIDs of one transaction ("uuid-name" in insert, ["named-uuid", x]
 * elsewhere). */
struct ovsdb_symbol {
    struct hmap_node node;
    char *name;                 /* Owned. */
    struct uuid uuid;
    bool created;               /* Defined by an insert's "uuid-name". */
    bool referenced;            /* Used in a ["named-uuid", x]. */
};

struct ovsdb_symbol_table {
    struct hmap symbols;
};

void ovsdb_symbol_table_init(struct ovsdb_symbol_table *);
void ovsdb_symbol_table_destroy(struct ovsdb_symbol_table *);
struct ovsdb_symbol *ovsdb_symbol_table_get(const struct ovsdb_symbol_table *,
                                            const char *name);
/* Returns the symbol 'name', creating it with a fresh UUID if needed. */
struct ovsdb_symbol *ovsdb_symbol_table_insert(struct ovsdb_symbol_table *,
                                               const char *name);

/* Parses 'json' as an atom of 'base' (checking base's constraints).  With a
 * NULL 'symtab', named-uuid forms are rejected. */
struct ovsdb_error *ovsdb_atom_from_json(union ovsdb_atom *,
                                         const struct ovsdb_base_type *,
                                         struct json_object *,
                                         struct ovsdb_symbol_table *symtab)
    __attribute__((warn_unused_result));
struct json_object *ovsdb_atom_to_json(const union ovsdb_atom *,
                                       enum ovsdb_atomic_type);
struct ovsdb_error *ovsdb_atom_check_constraints(const union ovsdb_atom *,
                                                 const struct ovsdb_base_type *)
    __attribute__((warn_unused_result));
/* Appends a human-readable form of the atom (strings quoted if needed). */
struct ds;
void ovsdb_atom_to_string(const union ovsdb_atom *, enum ovsdb_atomic_type,
                          struct ds *);

struct ovsdb_datum {
    unsigned int n;             /* Number of elements. */
    union ovsdb_atom *keys;     /* Owned; 'n' sorted, unique keys. */
    union ovsdb_atom *values;   /* Owned; NULL for a set. */
};

void ovsdb_datum_init_empty(struct ovsdb_datum *);
/* The default value of 'type': empty if n_min is 0, else one default atom. */
void ovsdb_datum_init_default(struct ovsdb_datum *, const struct ovsdb_type *);
bool ovsdb_datum_is_default(const struct ovsdb_datum *, const struct ovsdb_type *);
void ovsdb_datum_clone(struct ovsdb_datum *dst, const struct ovsdb_datum *src,
                       const struct ovsdb_type *);
void ovsdb_datum_destroy(struct ovsdb_datum *, const struct ovsdb_type *);
void ovsdb_datum_swap(struct ovsdb_datum *, struct ovsdb_datum *);

struct ovsdb_error *ovsdb_datum_from_json(struct ovsdb_datum *,
                                          const struct ovsdb_type *,
                                          struct json_object *,
                                          struct ovsdb_symbol_table *symtab)
    __attribute__((warn_unused_result));
struct json_object *ovsdb_datum_to_json(const struct ovsdb_datum *,
                                        const struct ovsdb_type *);
void ovsdb_datum_to_string(const struct ovsdb_datum *, const struct ovsdb_type *,
                           struct ds *);
/* Appends the JSON text of ovsdb_datum_to_json() directly, without building
 * json-c objects (for the journal, where this is the hot path). */
void ovsdb_datum_to_json_ds(const struct ovsdb_datum *, const struct ovsdb_type *,
                            struct ds *);
/* Appends the JSON text of ovsdb_atom_to_json(). */
void ovsdb_atom_to_json_ds(const union ovsdb_atom *, enum ovsdb_atomic_type,
                           struct ds *);

/* Sorts keys and rejects duplicates ("constraint violation"). */
struct ovsdb_error *ovsdb_datum_sort(struct ovsdb_datum *,
                                     const struct ovsdb_type *)
    __attribute__((warn_unused_result));
/* Checks the size against n_min/n_max and every atom against its base type. */
struct ovsdb_error *ovsdb_datum_check_constraints(const struct ovsdb_datum *,
                                                  const struct ovsdb_type *)
    __attribute__((warn_unused_result));

int ovsdb_datum_compare_3way(const struct ovsdb_datum *,
                             const struct ovsdb_datum *,
                             const struct ovsdb_type *);
bool ovsdb_datum_equals(const struct ovsdb_datum *, const struct ovsdb_datum *,
                        const struct ovsdb_type *);
uint32_t ovsdb_datum_hash(const struct ovsdb_datum *, const struct ovsdb_type *,
                          uint32_t basis);

/* Index of 'key' in 'datum', or UINT_MAX. */
unsigned int ovsdb_datum_find_key(const struct ovsdb_datum *,
                                  const union ovsdb_atom *key,
                                  enum ovsdb_atomic_type);
/* True if every element (key, or key/value pair for maps) of 'a' is in 'b'. */
bool ovsdb_datum_includes_all(const struct ovsdb_datum *a,
                              const struct ovsdb_datum *b,
                              const struct ovsdb_type *);
/* True if no element of 'a' is in 'b'. */
bool ovsdb_datum_excludes_all(const struct ovsdb_datum *a,
                              const struct ovsdb_datum *b,
                              const struct ovsdb_type *);
/* Adds to 'a' the elements of 'b' whose keys 'a' lacks. */
void ovsdb_datum_union(struct ovsdb_datum *a, const struct ovsdb_datum *b,
                       const struct ovsdb_type *);
/* Removes from 'a' what 'b' names: keys if 'b_type' is a set, matching
 * key/value pairs if it is a map. */
void ovsdb_datum_subtract(struct ovsdb_datum *a, const struct ovsdb_type *a_type,
                          const struct ovsdb_datum *b,
                          const struct ovsdb_type *b_type);
/* Adds one element (takes ownership of the atoms).  Keeps order. */
void ovsdb_datum_add_unsafe(struct ovsdb_datum *, union ovsdb_atom *key,
                            union ovsdb_atom *value, const struct ovsdb_type *);
/* Removes element 'idx', destroying its atoms. */
void ovsdb_datum_remove(struct ovsdb_datum *, unsigned int idx,
                        const struct ovsdb_type *);

/* The "update2" difference: for a scalar, the new value; for a set, the
 * symmetric difference; for a map, removed and changed pairs (old removed
 * pairs, new values for added or changed keys). */
void ovsdb_datum_diff(struct ovsdb_datum *diff, const struct ovsdb_datum *old,
                      const struct ovsdb_datum *new, const struct ovsdb_type *);
/* Applies a diff made by ovsdb_datum_diff() to 'old', giving 'new'. */
struct ovsdb_error *ovsdb_datum_apply_diff(struct ovsdb_datum *new,
                                           const struct ovsdb_datum *old,
                                           const struct ovsdb_datum *diff,
                                           const struct ovsdb_type *)
    __attribute__((warn_unused_result));
/* Parses a diff (sizes are not checked against n_max). */
struct ovsdb_error *ovsdb_datum_diff_from_json(struct ovsdb_datum *,
                                               const struct ovsdb_type *,
                                               struct json_object *)
    __attribute__((warn_unused_result));

#endif /* ovsdb/ovsdb-datum.h */
