/* Atoms (one integer, real, boolean, string or UUID) and the symbol table
 * of named UUIDs; datums are in ovsdb-datum.c.  API in ovsdb-datum.h. */
#include <config.h>
#include "ovsdb/ovsdb-datum.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "dynamic-string.h"
#include "json.h"
#include "ovsdb/ovsdb-error.h"

/* ---- Atoms ---- */

void
ovsdb_atom_init_default(union ovsdb_atom *atom, enum ovsdb_atomic_type type)
{
    memset(atom, 0, sizeof *atom);
    if (type == OVSDB_TYPE_STRING) {
        atom->string = xstrdup("");
    }
}

void
ovsdb_atom_clone(union ovsdb_atom *dst, const union ovsdb_atom *src,
                 enum ovsdb_atomic_type type)
{
    if (type == OVSDB_TYPE_STRING) {
        dst->string = xstrdup(src->string);
    } else {
        *dst = *src;
    }
}

void
ovsdb_atom_destroy(union ovsdb_atom *atom, enum ovsdb_atomic_type type)
{
    if (type == OVSDB_TYPE_STRING) {
        free(atom->string);
        atom->string = NULL;
    }
}

int
ovsdb_atom_compare_3way(const union ovsdb_atom *a, const union ovsdb_atom *b,
                        enum ovsdb_atomic_type type)
{
    switch (type) {
    case OVSDB_TYPE_INTEGER:
        return a->integer < b->integer ? -1 : a->integer > b->integer;
    case OVSDB_TYPE_REAL:
        return a->real < b->real ? -1 : a->real > b->real;
    case OVSDB_TYPE_BOOLEAN:
        return (int) a->boolean - (int) b->boolean;
    case OVSDB_TYPE_STRING:
        return strcmp(a->string, b->string);
    case OVSDB_TYPE_UUID:
        return uuid_compare_3way(&a->uuid, &b->uuid);
    default:
        return 0;
    }
}

uint32_t
ovsdb_atom_hash(const union ovsdb_atom *atom, enum ovsdb_atomic_type type,
                uint32_t basis)
{
    switch (type) {
    case OVSDB_TYPE_INTEGER:
        return hash_uint64(atom->integer, basis);
    case OVSDB_TYPE_REAL: {
        double d = atom->real == 0 ? 0 : atom->real;   /* -0 == 0 */
        return hash_bytes(&d, sizeof d, basis);
    }
    case OVSDB_TYPE_BOOLEAN:
        return hash_int(atom->boolean, basis);
    case OVSDB_TYPE_STRING:
        return hash_string(atom->string, basis);
    case OVSDB_TYPE_UUID:
        return hash_bytes(&atom->uuid, sizeof atom->uuid, basis);
    default:
        return basis;
    }
}

/* Returns the number of code points in 's' or -1 if it is not UTF-8. */
static long long
utf8_length(const char *s)
{
    const unsigned char *p = (const unsigned char *) s;
    long long n = 0;
    while (*p) {
        int extra;
        if (*p < 0x80) {
            extra = 0;
        } else if ((*p & 0xe0) == 0xc0 && *p >= 0xc2) {
            extra = 1;
        } else if ((*p & 0xf0) == 0xe0) {
            extra = 2;
        } else if ((*p & 0xf8) == 0xf0 && *p <= 0xf4) {
            extra = 3;
        } else {
            return -1;
        }
        p++;
        for (int i = 0; i < extra; i++, p++) {
            if ((*p & 0xc0) != 0x80) {
                return -1;
            }
        }
        n++;
    }
    return n;
}

struct ovsdb_error *
ovsdb_atom_check_constraints(const union ovsdb_atom *atom,
                             const struct ovsdb_base_type *base)
{
    if (base->enum_
        && ovsdb_datum_find_key(base->enum_, atom, base->type) == UINT_MAX) {
        struct ds s = DS_EMPTY_INITIALIZER;
        ovsdb_atom_to_string(atom, base->type, &s);
        struct ovsdb_error *error = ovsdb_error(
            "constraint violation", "%s is not one of the allowed values",
            ds_cstr(&s));
        ds_destroy(&s);
        return error;
    }
    switch (base->type) {
    case OVSDB_TYPE_INTEGER:
        if (atom->integer < base->integer.min || atom->integer > base->integer.max) {
            return ovsdb_error("constraint violation",
                               "%lld is not in the valid range %lld to %lld",
                               atom->integer, base->integer.min, base->integer.max);
        }
        break;
    case OVSDB_TYPE_REAL:
        if (atom->real < base->real.min || atom->real > base->real.max) {
            return ovsdb_error("constraint violation",
                               "%.17g is not in the valid range %.17g to %.17g",
                               atom->real, base->real.min, base->real.max);
        }
        break;
    case OVSDB_TYPE_STRING: {
        long long len = utf8_length(atom->string);
        if (len < 0) {
            return ovsdb_error("constraint violation", "string is not valid UTF-8");
        }
        if (len < base->string.min_len || len > base->string.max_len) {
            return ovsdb_error("constraint violation",
                               "\"%.64s\" length %lld is not in the range %u to %u",
                               atom->string, len, base->string.min_len,
                               base->string.max_len);
        }
        break;
    }
    default:
        break;
    }
    return NULL;
}

void
ovsdb_symbol_table_init(struct ovsdb_symbol_table *symtab)
{
    hmap_init(&symtab->symbols);
}

void
ovsdb_symbol_table_destroy(struct ovsdb_symbol_table *symtab)
{
    struct ovsdb_symbol *sym, *next;
    /* Not HMAP_FOR_EACH_POP: popping rescans from the first bucket. */
    HMAP_FOR_EACH_SAFE (sym, next, node, &symtab->symbols) {
        free(sym->name);
        free(sym);
    }
    hmap_destroy(&symtab->symbols);
}

struct ovsdb_symbol *
ovsdb_symbol_table_get(const struct ovsdb_symbol_table *symtab, const char *name)
{
    struct ovsdb_symbol *sym;
    HMAP_FOR_EACH_WITH_HASH (sym, node, hash_string(name, 0), &symtab->symbols) {
        if (!strcmp(sym->name, name)) {
            return sym;
        }
    }
    return NULL;
}

struct ovsdb_symbol *
ovsdb_symbol_table_insert(struct ovsdb_symbol_table *symtab, const char *name)
{
    struct ovsdb_symbol *sym = ovsdb_symbol_table_get(symtab, name);
    if (!sym) {
        sym = xzalloc(sizeof *sym);
        sym->name = xstrdup(name);
        uuid_generate(&sym->uuid);
        hmap_insert(&symtab->symbols, &sym->node, hash_string(name, 0));
    }
    return sym;
}

static struct ovsdb_error *
uuid_from_json(struct uuid *uuid, struct json_object *json,
               struct ovsdb_symbol_table *symtab)
{
    if (!json_object_is_type(json, json_type_array)
        || json_object_array_length(json) != 2) {
        return ovsdb_syntax_error(json, "expected [\"uuid\", ...] or [\"named-uuid\", ...]");
    }
    struct json_object *tag = json_object_array_get_idx(json, 0);
    struct json_object *val = json_object_array_get_idx(json, 1);
    if (!json_object_is_type(tag, json_type_string)
        || !json_object_is_type(val, json_type_string)) {
        return ovsdb_syntax_error(json, "expected [\"uuid\", ...] or [\"named-uuid\", ...]");
    }
    const char *t = json_object_get_string(tag);
    const char *v = json_object_get_string(val);
    if (!strcmp(t, "uuid")) {
        if (!uuid_from_string(uuid, v)) {
            return ovsdb_syntax_error(json, "\"%s\" is not a valid UUID", v);
        }
        return NULL;
    } else if (!strcmp(t, "named-uuid")) {
        if (!symtab) {
            return ovsdb_syntax_error(json, "named-uuid not allowed here");
        }
        struct ovsdb_symbol *sym = ovsdb_symbol_table_insert(symtab, v);
        sym->referenced = true;
        *uuid = sym->uuid;
        return NULL;
    }
    return ovsdb_syntax_error(json, "expected [\"uuid\", ...] or [\"named-uuid\", ...]");
}

/* Parses without checking constraints. */
static struct ovsdb_error *
atom_from_json__(union ovsdb_atom *atom, enum ovsdb_atomic_type type,
                 struct json_object *json, struct ovsdb_symbol_table *symtab)
{
    switch (type) {
    case OVSDB_TYPE_INTEGER:
        if (json_object_is_type(json, json_type_int)) {
            atom->integer = json_object_get_int64(json);
            return NULL;
        }
        break;
    case OVSDB_TYPE_REAL:
        if (json_object_is_type(json, json_type_int)) {
            atom->real = json_object_get_int64(json);
            return NULL;
        } else if (json_object_is_type(json, json_type_double)) {
            atom->real = json_object_get_double(json);
            if (!isfinite(atom->real)) {
                break;
            }
            return NULL;
        }
        break;
    case OVSDB_TYPE_BOOLEAN:
        if (json_object_is_type(json, json_type_boolean)) {
            atom->boolean = json_object_get_boolean(json);
            return NULL;
        }
        break;
    case OVSDB_TYPE_STRING:
        if (json_object_is_type(json, json_type_string)) {
            atom->string = xstrdup(json_object_get_string(json));
            return NULL;
        }
        break;
    case OVSDB_TYPE_UUID:
        return uuid_from_json(&atom->uuid, json, symtab);
    default:
        break;
    }
    return ovsdb_syntax_error(json, "expected %s", ovsdb_atomic_type_to_string(type));
}

struct ovsdb_error *
ovsdb_atom_from_json(union ovsdb_atom *atom, const struct ovsdb_base_type *base,
                     struct json_object *json, struct ovsdb_symbol_table *symtab)
{
    struct ovsdb_error *error = atom_from_json__(atom, base->type, json, symtab);
    if (!error) {
        error = ovsdb_atom_check_constraints(atom, base);
        if (error) {
            ovsdb_atom_destroy(atom, base->type);
        }
    }
    return error;
}

struct json_object *
ovsdb_atom_to_json(const union ovsdb_atom *atom, enum ovsdb_atomic_type type)
{
    switch (type) {
    case OVSDB_TYPE_INTEGER:
        return json_object_new_int64(atom->integer);
    case OVSDB_TYPE_REAL:
        return json_object_new_double(atom->real);
    case OVSDB_TYPE_BOOLEAN:
        return json_object_new_boolean(atom->boolean);
    case OVSDB_TYPE_STRING:
        return json_object_new_string(atom->string);
    case OVSDB_TYPE_UUID: {
        char buf[UUID_LEN + 1];
        uuid_format(&atom->uuid, buf);
        struct json_object *a = json_object_new_array_ext(2);
        json_object_array_add(a, json_object_new_string("uuid"));
        json_object_array_add(a, json_object_new_string(buf));
        return a;
    }
    default:
        return json_object_new_null();
    }
}

void
ovsdb_atom_to_string(const union ovsdb_atom *atom, enum ovsdb_atomic_type type,
                     struct ds *s)
{
    switch (type) {
    case OVSDB_TYPE_INTEGER:
        ds_put_format(s, "%lld", atom->integer);
        break;
    case OVSDB_TYPE_REAL:
        ds_put_format(s, "%.17g", atom->real);
        break;
    case OVSDB_TYPE_BOOLEAN:
        ds_put_cstr(s, atom->boolean ? "true" : "false");
        break;
    case OVSDB_TYPE_STRING: {
        struct json_object *j = json_object_new_string(atom->string);
        ds_put_cstr(s, json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN
                                                      | JSON_C_TO_STRING_NOSLASHESCAPE));
        json_object_put(j);
        break;
    }
    case OVSDB_TYPE_UUID: {
        char buf[UUID_LEN + 1];
        uuid_format(&atom->uuid, buf);
        ds_put_cstr(s, buf);
        break;
    }
    default:
        break;
    }
}

void
ovsdb_atom_to_json_ds(const union ovsdb_atom *atom, enum ovsdb_atomic_type type,
                struct ds *ds)
{
    char buf[UUID_LEN + 1];
    switch (type) {
    case OVSDB_TYPE_INTEGER:
        ds_put_format(ds, "%lld", atom->integer);
        break;
    case OVSDB_TYPE_REAL: {
        /* Same text as json-c produces, so both paths agree. */
        struct json_object *j = json_object_new_double(atom->real);
        ds_put_cstr(ds, json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN));
        json_object_put(j);
        break;
    }
    case OVSDB_TYPE_BOOLEAN:
        ds_put_cstr(ds, atom->boolean ? "true" : "false");
        break;
    case OVSDB_TYPE_STRING:
        json_string_escape_cstr(atom->string, ds);
        break;
    case OVSDB_TYPE_UUID:
        uuid_format(&atom->uuid, buf);
        ds_put_cstr(ds, "[\"uuid\",\"");
        ds_put_buffer(ds, buf, UUID_LEN);
        ds_put_cstr(ds, "\"]");
        break;
    default:
        ds_put_cstr(ds, "null");
        break;
    }
}

