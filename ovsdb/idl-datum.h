/* OVSDB types and values as the client IDL and vs-vsctl see them: parsed
 * from the schema, converted from and to the JSON wire format (RFC 7047
 * section 5.1) and from and to the text that people type on a command line.
 *
 * A datum is a sorted array of keys (and values, for maps); scalars and
 * optional values are sets of 0 or 1 elements, as in the protocol. */
#ifndef VS_OVSDB_IDL_DATUM_H
#define VS_OVSDB_IDL_DATUM_H 1

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>
#include "ovsdb/ovsdb-types.h"
#include "ovsdb/uuid.h"

struct ds;

union idl_atom {
    long long integer;
    double real;
    bool boolean;
    char *string;               /* Owned; strings, and UUIDs as text. */
};

struct idl_datum {
    size_t n;
    union idl_atom *keys;       /* Owned, sorted, unique. */
    union idl_atom *values;     /* Owned, NULL unless a map. */
};

/* Types are the engine's (ovsdb/ovsdb-types.h), parsed by the same code as
 * the server's schema.  Returns NULL or an error message (caller frees). */
char *idl_type_from_json(struct ovsdb_type *, struct json_object *);
void idl_type_to_string(const struct ovsdb_type *, struct ds *);

/* Atoms. */
int idl_atom_compare(const union idl_atom *, const union idl_atom *,
                     enum ovsdb_atomic_type);
void idl_atom_clone(union idl_atom *dst, const union idl_atom *,
                    enum ovsdb_atomic_type);
void idl_atom_destroy(union idl_atom *, enum ovsdb_atomic_type);
char *idl_atom_check(const union idl_atom *, const struct ovsdb_base_type *);
/* Text-form UUIDs on top of ovsdb/uuid.c (the IDL keys rows by text). */
bool idl_uuid_is_valid(const char *);
void idl_uuid_generate(char out[UUID_LEN + 1]);

/* Datums. */
void idl_datum_init_empty(struct idl_datum *);
void idl_datum_init_default(struct idl_datum *, const struct ovsdb_type *);
void idl_datum_clone(struct idl_datum *dst, const struct idl_datum *,
                     const struct ovsdb_type *);
void idl_datum_destroy(struct idl_datum *, const struct ovsdb_type *);
bool idl_datum_equals(const struct idl_datum *, const struct idl_datum *,
                      const struct ovsdb_type *);
int idl_datum_compare(const struct idl_datum *, const struct idl_datum *,
                      const struct ovsdb_type *);
/* Index of 'key' in 'd', or -1. */
long idl_datum_find_key(const struct idl_datum *, const union idl_atom *key,
                        enum ovsdb_atomic_type);
/* Moves 'key' (and 'value') into 'd' keeping it sorted; if the key exists,
 * a map's value is replaced (when 'replace') and the new atoms freed. */
void idl_datum_add(struct idl_datum *, union idl_atom *key,
                   union idl_atom *value, const struct ovsdb_type *,
                   bool replace);
void idl_datum_remove_index(struct idl_datum *, size_t,
                            const struct ovsdb_type *);
/* 'a' becomes a union b (map: existing keys of 'a' win, as OVSDB "insert"). */
void idl_datum_union(struct idl_datum *a, const struct idl_datum *b,
                     const struct ovsdb_type *);
/* Removes from 'a' the keys of 'b' ('b' is a set of keys or a map, in which
 * case a pair goes only if key and value match). */
void idl_datum_subtract(struct idl_datum *a, const struct idl_datum *b,
                        const struct ovsdb_type *,
                        const struct ovsdb_type *btype);
bool idl_datum_includes(const struct idl_datum *sup,
                        const struct idl_datum *sub,
                        const struct ovsdb_type *);
char *idl_datum_check(const struct idl_datum *, const struct ovsdb_type *);

/* Wire format.  'resolve' maps a uuid to a uuid-name ("named-uuid" in the
 * output) for rows being inserted by a transaction; may be NULL. */
typedef const char *idl_named_uuid_cb(const char *uuid, void *aux);
char *idl_datum_from_json(struct idl_datum *, const struct ovsdb_type *,
                          struct json_object *);
struct json_object *idl_datum_to_json(const struct idl_datum *,
                                      const struct ovsdb_type *,
                                      idl_named_uuid_cb *, void *aux);
struct json_object *idl_atom_to_json(const union idl_atom *,
                                     enum ovsdb_atomic_type,
                                     idl_named_uuid_cb *, void *aux);

/* Command-line text.  'symbol' resolves "@name" to a uuid (may create the
 * symbol); NULL means @names are not allowed. */
typedef char *idl_symbol_cb(const char *name, void *aux, char uuid[37]);
char *idl_atom_from_string(union idl_atom *, const struct ovsdb_base_type *,
                           const char *, idl_symbol_cb *, void *aux);
char *idl_datum_from_string(struct idl_datum *, const struct ovsdb_type *,
                            const char *, idl_symbol_cb *, void *aux);
void idl_atom_to_string(const union idl_atom *, enum ovsdb_atomic_type,
                        struct ds *);
void idl_datum_to_string(const struct idl_datum *, const struct ovsdb_type *,
                         struct ds *);
/* Bare format: no quotes or brackets, elements separated by spaces. */
void idl_datum_to_bare(const struct idl_datum *, const struct ovsdb_type *,
                       struct ds *);
/* Splits one token of command-line syntax off 's' at one of 'delims' outside
 * quotes and brackets; returns the token's length. */
size_t idl_token_length(const char *s, const char *delims);

#endif /* idl-datum.h */
