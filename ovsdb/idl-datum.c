/* OVSDB types and values for the client IDL (see idl-datum.h). */
#include <config.h>
#include "idl-datum.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "dynamic-string.h"
#include "json.h"
#include "util.h"
#include "ovsdb/ovsdb-datum.h"
#include "ovsdb/ovsdb-error.h"

char *
idl_type_from_json(struct ovsdb_type *t, struct json_object *j)
{
    struct ovsdb_error *error = ovsdb_type_from_json(t, j);
    if (!error) {
        return NULL;
    }
    char *msg = ovsdb_error_to_string(error);
    ovsdb_error_destroy(error);
    return msg;
}

void
idl_type_to_string(const struct ovsdb_type *t, struct ds *s)
{
    const char *key = ovsdb_atomic_type_to_string(t->key.type);

    if (ovsdb_type_is_scalar(t)) {
        ds_put_cstr(s, key);
    } else if (ovsdb_type_is_map(t)) {
        ds_put_format(s, "map of %s-%s pairs", key,
                      ovsdb_atomic_type_to_string(t->value.type));
    } else if (ovsdb_type_is_optional(t)) {
        ds_put_format(s, "optional %s", key);
    } else {
        ds_put_format(s, "set of %s", key);
    }
}

/* Atoms. */

/* The IDL's atoms are the engine's except that UUIDs stay text: this
 * converts one to compare it or to look it up in a schema's enum (an
 * engine datum).  False for a malformed UUID. */
static bool
atom_to_engine(const union idl_atom *a, enum ovsdb_atomic_type t,
               union ovsdb_atom *out)
{
    switch (t) {
    case OVSDB_TYPE_INTEGER: out->integer = a->integer; return true;
    case OVSDB_TYPE_REAL: out->real = a->real; return true;
    case OVSDB_TYPE_BOOLEAN: out->boolean = a->boolean; return true;
    case OVSDB_TYPE_STRING: out->string = a->string; return true;
    case OVSDB_TYPE_UUID: return uuid_from_string(&out->uuid, a->string);
    case OVSDB_TYPE_VOID:
    case OVSDB_N_TYPES: break;
    }
    return false;
}

/* UUIDs compare as text (the same order as the engine's for the lowercase
 * form servers send); the rest as the engine compares them. */
int
idl_atom_compare(const union idl_atom *a, const union idl_atom *b,
                 enum ovsdb_atomic_type t)
{
    union ovsdb_atom x, y;

    if (t == OVSDB_TYPE_UUID) {
        return strcmp(a->string, b->string);
    }
    return (atom_to_engine(a, t, &x) && atom_to_engine(b, t, &y)
            ? ovsdb_atom_compare_3way(&x, &y, t) : 0);
}

void
idl_atom_clone(union idl_atom *dst, const union idl_atom *src,
               enum ovsdb_atomic_type t)
{
    if (t == OVSDB_TYPE_STRING || t == OVSDB_TYPE_UUID) {
        dst->string = xstrdup(src->string);
    } else {
        *dst = *src;
    }
}

void
idl_atom_destroy(union idl_atom *a, enum ovsdb_atomic_type t)
{
    if (t == OVSDB_TYPE_STRING || t == OVSDB_TYPE_UUID) {
        free(a->string);
        a->string = NULL;
    }
}

bool
idl_uuid_is_valid(const char *s)
{
    struct uuid uuid;
    return uuid_from_string(&uuid, s);
}

void
idl_uuid_generate(char out[UUID_LEN + 1])
{
    struct uuid uuid;
    uuid_generate(&uuid);
    uuid_format(&uuid, out);
}

/* Appends an engine atom as vs-vsctl prints one. */
static void
engine_atom_to_string(const union ovsdb_atom *a, enum ovsdb_atomic_type t,
                      struct ds *out)
{
    char uuid[UUID_LEN + 1];
    union idl_atom ia;

    switch (t) {
    case OVSDB_TYPE_INTEGER: ia.integer = a->integer; break;
    case OVSDB_TYPE_REAL: ia.real = a->real; break;
    case OVSDB_TYPE_BOOLEAN: ia.boolean = a->boolean; break;
    case OVSDB_TYPE_STRING: ia.string = a->string; break;
    case OVSDB_TYPE_UUID:
        uuid_format(&a->uuid, uuid);
        ia.string = uuid;
        break;
    case OVSDB_TYPE_VOID:
    case OVSDB_N_TYPES:
        return;
    }
    idl_atom_to_string(&ia, t, out);
}

char *
idl_atom_check(const union idl_atom *a, const struct ovsdb_base_type *b)
{
    if (b->enum_) {
        union ovsdb_atom atom;
        if (!atom_to_engine(a, b->type, &atom)
            || ovsdb_datum_find_key(b->enum_, &atom, b->type) == UINT_MAX) {
            struct ds s = DS_EMPTY_INITIALIZER;
            ds_put_cstr(&s, "constraint violation: ");
            idl_atom_to_string(a, b->type, &s);
            ds_put_cstr(&s, " is not one of the allowed values ([");
            for (unsigned int i = 0; i < b->enum_->n; i++) {
                ds_put_cstr(&s, i ? ", " : "");
                engine_atom_to_string(&b->enum_->keys[i], b->type, &s);
            }
            ds_put_cstr(&s, "])");
            return ds_steal_cstr(&s);
        }
        return NULL;
    }
    switch (b->type) {
    case OVSDB_TYPE_INTEGER:
        if (a->integer < b->integer.min || a->integer > b->integer.max) {
            if (b->integer.max == LLONG_MAX) {
                return xasprintf("constraint violation: %lld is less than "
                                 "minimum allowed value "
                                 "%lld", a->integer, b->integer.min);
            }
            return xasprintf("constraint violation: %lld is not in the "
                             "valid range %lld to %lld "
                             "(inclusive)", a->integer, b->integer.min,
                             b->integer.max);
        }
        break;
    case OVSDB_TYPE_REAL:
        if (a->real < b->real.min || a->real > b->real.max) {
            return xasprintf("%g is not in the valid range %g to %g",
                             a->real, b->real.min, b->real.max);
        }
        break;
    case OVSDB_TYPE_STRING: {
        size_t len = strlen(a->string);
        if (len < b->string.min_len || len > b->string.max_len) {
            return xasprintf("\"%s\" length %zu is not in the valid range "
                             "%u to %u", a->string, len, b->string.min_len,
                             b->string.max_len);
        }
        break;
    }
    case OVSDB_TYPE_BOOLEAN:
    case OVSDB_TYPE_UUID:
    case OVSDB_TYPE_VOID:
    case OVSDB_N_TYPES:
        break;
    }
    return NULL;
}

/* Datums. */

void
idl_datum_init_empty(struct idl_datum *d)
{
    d->n = 0;
    d->keys = NULL;
    d->values = NULL;
}

static void
atom_init_default(union idl_atom *a, enum ovsdb_atomic_type t)
{
    switch (t) {
    case OVSDB_TYPE_INTEGER: a->integer = 0; break;
    case OVSDB_TYPE_REAL: a->real = 0; break;
    case OVSDB_TYPE_BOOLEAN: a->boolean = false; break;
    case OVSDB_TYPE_STRING: a->string = xstrdup(""); break;
    case OVSDB_TYPE_UUID:
        a->string = xstrdup("00000000-0000-0000-0000-000000000000");
        break;
    case OVSDB_TYPE_VOID:
    case OVSDB_N_TYPES: break;
    }
}

void
idl_datum_init_default(struct idl_datum *d, const struct ovsdb_type *t)
{
    idl_datum_init_empty(d);
    if (t->n_min > 0) {
        d->n = 1;
        d->keys = xmalloc(sizeof *d->keys);
        atom_init_default(&d->keys[0], t->key.type);
        if (ovsdb_type_is_map(t)) {
            d->values = xmalloc(sizeof *d->values);
            atom_init_default(&d->values[0], t->value.type);
        }
    }
}

void
idl_datum_clone(struct idl_datum *dst, const struct idl_datum *src,
                const struct ovsdb_type *t)
{
    dst->n = src->n;
    dst->keys = src->n ? xmalloc(src->n * sizeof *dst->keys) : NULL;
    dst->values = (src->n && src->values
                   ? xmalloc(src->n * sizeof *dst->values) : NULL);
    for (size_t i = 0; i < src->n; i++) {
        idl_atom_clone(&dst->keys[i], &src->keys[i], t->key.type);
        if (dst->values) {
            idl_atom_clone(&dst->values[i], &src->values[i], t->value.type);
        }
    }
}

void
idl_datum_destroy(struct idl_datum *d, const struct ovsdb_type *t)
{
    for (size_t i = 0; i < d->n; i++) {
        idl_atom_destroy(&d->keys[i], t->key.type);
        if (d->values) {
            idl_atom_destroy(&d->values[i], t->value.type);
        }
    }
    free(d->keys);
    free(d->values);
    idl_datum_init_empty(d);
}

int
idl_datum_compare(const struct idl_datum *a, const struct idl_datum *b,
                  const struct ovsdb_type *t)
{
    for (size_t i = 0; i < a->n && i < b->n; i++) {
        int c = idl_atom_compare(&a->keys[i], &b->keys[i], t->key.type);
        if (!c && a->values && b->values) {
            c = idl_atom_compare(&a->values[i], &b->values[i], t->value.type);
        }
        if (c) {
            return c;
        }
    }
    return a->n < b->n ? -1 : a->n > b->n;
}

bool
idl_datum_equals(const struct idl_datum *a, const struct idl_datum *b,
                 const struct ovsdb_type *t)
{
    return a->n == b->n && !idl_datum_compare(a, b, t);
}

/* Binary search: returns the index of 'key' or, if absent, -(insert
 * position) - 1. */
static long
datum_bsearch(const struct idl_datum *d, const union idl_atom *key,
              enum ovsdb_atomic_type t)
{
    size_t lo = 0, hi = d->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = idl_atom_compare(key, &d->keys[mid], t);
        if (!c) {
            return mid;
        } else if (c < 0) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    return -(long) lo - 1;
}

long
idl_datum_find_key(const struct idl_datum *d, const union idl_atom *key,
                   enum ovsdb_atomic_type t)
{
    long i = datum_bsearch(d, key, t);
    return i >= 0 ? i : -1;
}

void
idl_datum_add(struct idl_datum *d, union idl_atom *key, union idl_atom *value,
              const struct ovsdb_type *t, bool replace)
{
    bool is_map = ovsdb_type_is_map(t);
    long i = datum_bsearch(d, key, t->key.type);

    if (i >= 0) {
        idl_atom_destroy(key, t->key.type);
        if (is_map) {
            if (replace) {
                idl_atom_destroy(&d->values[i], t->value.type);
                d->values[i] = *value;
            } else {
                idl_atom_destroy(value, t->value.type);
            }
        }
        return;
    }
    size_t pos = -(i + 1);
    d->keys = xrealloc(d->keys, (d->n + 1) * sizeof *d->keys);
    memmove(&d->keys[pos + 1], &d->keys[pos], (d->n - pos) * sizeof *d->keys);
    d->keys[pos] = *key;
    if (is_map) {
        d->values = xrealloc(d->values, (d->n + 1) * sizeof *d->values);
        memmove(&d->values[pos + 1], &d->values[pos],
                (d->n - pos) * sizeof *d->values);
        d->values[pos] = *value;
    }
    d->n++;
}

void
idl_datum_remove_index(struct idl_datum *d, size_t i,
                       const struct ovsdb_type *t)
{
    idl_atom_destroy(&d->keys[i], t->key.type);
    memmove(&d->keys[i], &d->keys[i + 1], (d->n - i - 1) * sizeof *d->keys);
    if (d->values) {
        idl_atom_destroy(&d->values[i], t->value.type);
        memmove(&d->values[i], &d->values[i + 1],
                (d->n - i - 1) * sizeof *d->values);
    }
    d->n--;
}

void
idl_datum_union(struct idl_datum *a, const struct idl_datum *b,
                const struct ovsdb_type *t)
{
    for (size_t i = 0; i < b->n; i++) {
        union idl_atom k, v;
        idl_atom_clone(&k, &b->keys[i], t->key.type);
        if (b->values) {
            idl_atom_clone(&v, &b->values[i], t->value.type);
        }
        idl_datum_add(a, &k, b->values ? &v : NULL, t, false);
    }
}

void
idl_datum_subtract(struct idl_datum *a, const struct idl_datum *b,
                   const struct ovsdb_type *t, const struct ovsdb_type *bt)
{
    for (size_t i = 0; i < b->n; i++) {
        long j = idl_datum_find_key(a, &b->keys[i], t->key.type);
        if (j < 0) {
            continue;
        }
        if (b->values && a->values
            && idl_atom_compare(&a->values[j], &b->values[i],
                                bt->value.type)) {
            continue;
        }
        idl_datum_remove_index(a, j, t);
    }
}

bool
idl_datum_includes(const struct idl_datum *sup, const struct idl_datum *sub,
                   const struct ovsdb_type *t)
{
    for (size_t i = 0; i < sub->n; i++) {
        long j = idl_datum_find_key(sup, &sub->keys[i], t->key.type);
        if (j < 0) {
            return false;
        }
        if (sub->values && sup->values
            && idl_atom_compare(&sup->values[j], &sub->values[i],
                                t->value.type)) {
            return false;
        }
    }
    return true;
}

char *
idl_datum_check(const struct idl_datum *d, const struct ovsdb_type *t)
{
    for (size_t i = 0; i < d->n; i++) {
        char *err = idl_atom_check(&d->keys[i], &t->key);
        if (!err && d->values) {
            err = idl_atom_check(&d->values[i], &t->value);
        }
        if (err) {
            return err;
        }
    }
    if (d->n < t->n_min) {
        return xasprintf("%zu values when type requires at least %u",
                         d->n, t->n_min);
    }
    if (d->n > t->n_max) {
        return xasprintf("%zu values when type requires at most %u",
                         d->n, t->n_max);
    }
    return NULL;
}

/* Wire format. */

static char *
atom_from_json(union idl_atom *a, enum ovsdb_atomic_type t,
               struct json_object *j)
{
    switch (t) {
    case OVSDB_TYPE_INTEGER:
        if (!json_object_is_type(j, json_type_int)) {
            return xstrdup("expected integer");
        }
        a->integer = json_object_get_int64(j);
        return NULL;
    case OVSDB_TYPE_REAL:
        if (!json_object_is_type(j, json_type_int)
            && !json_object_is_type(j, json_type_double)) {
            return xstrdup("expected real");
        }
        a->real = json_object_get_double(j);
        return NULL;
    case OVSDB_TYPE_BOOLEAN:
        if (!json_object_is_type(j, json_type_boolean)) {
            return xstrdup("expected boolean");
        }
        a->boolean = json_object_get_boolean(j);
        return NULL;
    case OVSDB_TYPE_STRING:
        if (!json_object_is_type(j, json_type_string)) {
            return xstrdup("expected string");
        }
        a->string = xstrdup(json_object_get_string(j));
        return NULL;
    case OVSDB_TYPE_UUID: {
        struct json_object *tag, *val;
        if (!json_object_is_type(j, json_type_array)
            || json_object_array_length(j) != 2
            || !(tag = json_object_array_get_idx(j, 0))
            || !(val = json_object_array_get_idx(j, 1))
            || !json_object_is_type(tag, json_type_string)
            || strcmp(json_object_get_string(tag), "uuid")
            || !json_object_is_type(val, json_type_string)
            || !idl_uuid_is_valid(json_object_get_string(val))) {
            return xstrdup("expected [\"uuid\", UUID]");
        }
        a->string = xstrdup(json_object_get_string(val));
        return NULL;
    }
    case OVSDB_TYPE_VOID:
    case OVSDB_N_TYPES:
        break;
    }
    return xstrdup("void atom");
}

/* Returns the tag of a ["set", ...] or ["map", ...] array, or NULL. */
static const char *
json_wrapper_tag(struct json_object *j)
{
    struct json_object *tag;
    if (json_object_is_type(j, json_type_array)
        && json_object_array_length(j) == 2
        && (tag = json_object_array_get_idx(j, 0))
        && json_object_is_type(tag, json_type_string)
        && json_object_is_type(json_object_array_get_idx(j, 1),
                               json_type_array)) {
        const char *s = json_object_get_string(tag);
        if (!strcmp(s, "set") || !strcmp(s, "map")) {
            return s;
        }
    }
    return NULL;
}

char *
idl_datum_from_json(struct idl_datum *d, const struct ovsdb_type *t,
                    struct json_object *j)
{
    bool is_map = ovsdb_type_is_map(t);
    const char *tag = json_wrapper_tag(j);
    char *err = NULL;

    idl_datum_init_empty(d);
    if (is_map) {
        if (!tag || strcmp(tag, "map")) {
            return xstrdup("expected [\"map\", [...]]");
        }
    } else if (!tag || strcmp(tag, "set")) {
        union idl_atom k;
        err = atom_from_json(&k, t->key.type, j);
        if (!err) {
            idl_datum_add(d, &k, NULL, t, false);
        }
        return err;
    }
    struct json_object *elems = json_object_array_get_idx(j, 1);
    size_t n = json_object_array_length(elems);
    for (size_t i = 0; i < n && !err; i++) {
        struct json_object *e = json_object_array_get_idx(elems, i);
        union idl_atom k, v;
        if (is_map) {
            if (!json_object_is_type(e, json_type_array)
                || json_object_array_length(e) != 2) {
                err = xstrdup("map element must be a [key, value] pair");
                break;
            }
            err = atom_from_json(&k, t->key.type,
                                 json_object_array_get_idx(e, 0));
            if (err) {
                break;
            }
            err = atom_from_json(&v, t->value.type,
                                 json_object_array_get_idx(e, 1));
            if (err) {
                idl_atom_destroy(&k, t->key.type);
                break;
            }
            idl_datum_add(d, &k, &v, t, true);
        } else {
            err = atom_from_json(&k, t->key.type, e);
            if (!err) {
                idl_datum_add(d, &k, NULL, t, false);
            }
        }
    }
    if (err) {
        idl_datum_destroy(d, t);
    }
    return err;
}

struct json_object *
idl_atom_to_json(const union idl_atom *a, enum ovsdb_atomic_type t,
                 idl_named_uuid_cb *cb, void *aux)
{
    switch (t) {
    case OVSDB_TYPE_INTEGER: return json_object_new_int64(a->integer);
    case OVSDB_TYPE_REAL: return json_object_new_double(a->real);
    case OVSDB_TYPE_BOOLEAN: return json_object_new_boolean(a->boolean);
    case OVSDB_TYPE_STRING: return json_object_new_string(a->string);
    case OVSDB_TYPE_UUID: {
        const char *name = cb ? cb(a->string, aux) : NULL;
        struct json_object *arr = json_object_new_array();
        json_object_array_add(arr, json_object_new_string(name ? "named-uuid"
                                                          : "uuid"));
        json_object_array_add(arr, json_object_new_string(name ? name
                                                          : a->string));
        return arr;
    }
    case OVSDB_TYPE_VOID:
    case OVSDB_N_TYPES: break;
    }
    return json_object_new_null();
}

struct json_object *
idl_datum_to_json(const struct idl_datum *d, const struct ovsdb_type *t,
                  idl_named_uuid_cb *cb, void *aux)
{
    bool is_map = ovsdb_type_is_map(t);

    if (!is_map && d->n == 1) {
        return idl_atom_to_json(&d->keys[0], t->key.type, cb, aux);
    }
    struct json_object *elems = json_object_new_array();
    for (size_t i = 0; i < d->n; i++) {
        struct json_object *k = idl_atom_to_json(&d->keys[i], t->key.type,
                                                 cb, aux);
        if (is_map) {
            struct json_object *pair = json_object_new_array();
            json_object_array_add(pair, k);
            json_object_array_add(pair, idl_atom_to_json(&d->values[i],
                                                         t->value.type,
                                                         cb, aux));
            json_object_array_add(elems, pair);
        } else {
            json_object_array_add(elems, k);
        }
    }
    struct json_object *arr = json_object_new_array();
    json_object_array_add(arr, json_object_new_string(is_map ? "map" : "set"));
    json_object_array_add(arr, elems);
    return arr;
}

/* Command-line text. */

size_t
idl_token_length(const char *s, const char *delims)
{
    const char *p = s;
    int depth = 0;

    while (*p) {
        if (*p == '"') {
            for (p++; *p && *p != '"'; p++) {
                if (*p == '\\' && p[1]) {
                    p++;
                }
            }
            if (*p) {
                p++;
            }
            continue;
        }
        if (!depth && strchr(delims, *p)) {
            break;
        }
        if (*p == '{' || *p == '[') {
            depth++;
        } else if ((*p == '}' || *p == ']') && depth > 0) {
            depth--;
        }
        p++;
    }
    return p - s;
}

/* Parses a double-quoted string with C/JSON escapes starting at 's' (which
 * must point at '"'), for exactly 'len' bytes. */
static char *
unquote(const char *s, size_t len, char **out)
{
    struct ds d = DS_EMPTY_INITIALIZER;
    size_t i;

    for (i = 1; i < len && s[i] != '"'; i++) {
        char c = s[i];
        if (c == '\\' && i + 1 < len) {
            c = s[++i];
            switch (c) {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'r': c = '\r'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'u': {
                /* \uXXXX, as json_string_escape() writes control
                 * characters. */
                unsigned int cp = 0;
                int k;
                for (k = 0; k < 4 && i + 1 < len
                     && isxdigit((unsigned char) s[i + 1]); k++) {
                    char h = s[++i];
                    cp = cp * 16 + (isdigit((unsigned char) h) ? h - '0'
                                    : (tolower((unsigned char) h) - 'a' + 10));
                }
                if (k != 4 || !cp) {
                    ds_destroy(&d);
                    return xasprintf("%.*s: bad \\u escape", (int) len, s);
                }
                if (cp < 0x80) {
                    ds_put_char(&d, cp);
                } else if (cp < 0x800) {
                    ds_put_char(&d, 0xc0 | (cp >> 6));
                    ds_put_char(&d, 0x80 | (cp & 0x3f));
                } else {
                    ds_put_char(&d, 0xe0 | (cp >> 12));
                    ds_put_char(&d, 0x80 | ((cp >> 6) & 0x3f));
                    ds_put_char(&d, 0x80 | (cp & 0x3f));
                }
                continue;
            }
            default: break;
            }
        }
        ds_put_char(&d, c);
    }
    if (i != len - 1) {
        ds_destroy(&d);
        return xasprintf("%.*s: badly quoted string", (int) len, s);
    }
    *out = ds_steal_cstr(&d);
    return NULL;
}

static char *
atom_from_token(union idl_atom *a, const struct ovsdb_base_type *b,
                const char *s, size_t len, idl_symbol_cb *sym, void *aux)
{
    char *text = xstrndup(s, len);
    char *err = NULL;

    switch (b->type) {
    case OVSDB_TYPE_INTEGER:
        if (!str_to_llong(text, 10, &a->integer)) {
            err = xasprintf("\"%s\" is not a valid integer", text);
        }
        break;
    case OVSDB_TYPE_REAL:
        if (!str_to_double(text, &a->real)) {
            err = xasprintf("\"%s\" is not a valid real number", text);
        }
        break;
    case OVSDB_TYPE_BOOLEAN:
        if (!strcmp(text, "true")) {
            a->boolean = true;
        } else if (!strcmp(text, "false")) {
            a->boolean = false;
        } else {
            err = xasprintf("\"%s\" is not a valid boolean (use \"true\" or "
                            "\"false\")", text);
        }
        break;
    case OVSDB_TYPE_STRING:
        if (text[0] == '"') {
            err = unquote(text, len, &a->string);
        } else {
            a->string = text;
            text = NULL;
        }
        break;
    case OVSDB_TYPE_UUID:
        if (text[0] == '@' && sym) {
            char uuid[37];
            err = sym(text, aux, uuid);
            if (!err) {
                a->string = xstrdup(uuid);
            }
        } else if (idl_uuid_is_valid(text)) {
            a->string = text;
            text = NULL;
        } else {
            err = xasprintf("\"%s\" is not a valid UUID", text);
        }
        break;
    case OVSDB_TYPE_VOID:
    case OVSDB_N_TYPES:
        err = xstrdup("void atom");
        break;
    }
    free(text);
    if (!err) {
        err = idl_atom_check(a, b);
        if (err) {
            idl_atom_destroy(a, b->type);
        }
    }
    return err;
}

char *
idl_atom_from_string(union idl_atom *a, const struct ovsdb_base_type *b,
                     const char *s, idl_symbol_cb *sym, void *aux)
{
    return atom_from_token(a, b, s, strlen(s), sym, aux);
}

static const char *
skip_spaces(const char *s)
{
    while (isspace((unsigned char) *s)) {
        s++;
    }
    return s;
}

/* Integer sets take ranges, "10-20" for 10,11,...,20 (as in a VLAN trunk
 * list).  True if the 'len'-byte token at 's' is one, with its ends. */
static bool
int_range_from_token(const char *s, size_t len, long long *lo, long long *hi)
{
    const char *dash = len > 1 ? memchr(s + 1, '-', len - 1) : NULL;
    if (!dash) {
        return false;
    }
    char *a = xstrndup(s, dash - s);
    char *b = xstrndup(dash + 1, s + len - dash - 1);
    bool ok = str_to_llong(a, 10, lo) && str_to_llong(b, 10, hi);
    free(a);
    free(b);
    return ok;
}

#define IDL_MAX_RANGE 4096

/* Adds lo..hi to set 'd' of type 't'; 's' is the whole text, for errors. */
static char *
add_int_range(struct idl_datum *d, const struct ovsdb_type *t, const char *s,
              long long lo, long long hi)
{
    if (hi < lo) {
        return xasprintf("%s: range end %lld is less than range start %lld",
                         s, hi, lo);
    }
    if (hi - lo >= IDL_MAX_RANGE) {
        return xasprintf("%s: range %lld-%lld has more than %d values",
                         s, lo, hi, IDL_MAX_RANGE);
    }
    for (long long v = lo; v <= hi; v++) {
        union idl_atom a = { .integer = v };
        char *err = idl_atom_check(&a, &t->key);
        if (err) {
            return err;
        }
        if (idl_datum_find_key(d, &a, OVSDB_TYPE_INTEGER) >= 0) {
            return xasprintf("%s: %lld appears more than once", s, v);
        }
        idl_datum_add(d, &a, NULL, t, true);
    }
    return NULL;
}

char *
idl_datum_from_string(struct idl_datum *d, const struct ovsdb_type *t,
                      const char *s, idl_symbol_cb *sym, void *aux)
{
    bool is_map = ovsdb_type_is_map(t);
    size_t len = strlen(s);
    char *err = NULL;

    idl_datum_init_empty(d);
    /* A scalar is one atom: the whole text, so that "a,b" is one string. */
    if (ovsdb_type_is_scalar(t)) {
        d->keys = xmalloc(sizeof *d->keys);
        err = atom_from_token(d->keys, &t->key, s, len, sym, aux);
        if (err) {
            free(d->keys);
            d->keys = NULL;
            return err;
        }
        d->n = 1;
        return NULL;
    }
    const char *p = skip_spaces(s);
    const char *end = s + len;
    while (end > p && isspace((unsigned char) end[-1])) {
        end--;
    }
    if (end - p >= 2
        && ((*p == '{' && end[-1] == '}') || (*p == '[' && end[-1] == ']'))
        && idl_token_length(p, "") >= (size_t) (end - p)) {
        p++;
        end--;
    }
    char *body = xstrndup(p, end - p);
    p = skip_spaces(body);
    while (*p && !err) {
        size_t klen = idl_token_length(p, is_map ? "=, " : ", ");
        union idl_atom k, v;
        if (!klen) {
            err = xasprintf("%s: syntax error at \"%s\"", s, p);
            break;
        }
        long long lo, hi;
        if (!is_map && t->key.type == OVSDB_TYPE_INTEGER
            && int_range_from_token(p, klen, &lo, &hi)) {
            err = add_int_range(d, t, s, lo, hi);
            p = skip_spaces(p + klen);
            if (*p == ',') {
                p = skip_spaces(p + 1);
            }
            continue;
        }
        err = atom_from_token(&k, &t->key, p, klen, sym, aux);
        if (err) {
            break;
        }
        p += klen;
        if (is_map) {
            if (*p != '=') {
                idl_atom_destroy(&k, t->key.type);
                err = xasprintf("%s: missing \"=\" in map (use KEY=VALUE)", s);
                break;
            }
            p++;
            size_t vlen = idl_token_length(p, ", ");
            err = atom_from_token(&v, &t->value, p, vlen, sym, aux);
            if (err) {
                idl_atom_destroy(&k, t->key.type);
                break;
            }
            p += vlen;
        }
        if (idl_datum_find_key(d, &k, t->key.type) >= 0) {
            struct ds ks = DS_EMPTY_INITIALIZER;
            idl_atom_to_string(&k, t->key.type, &ks);
            err = xasprintf("%s: %s appears more than once", s, ds_cstr(&ks));
            ds_destroy(&ks);
            idl_atom_destroy(&k, t->key.type);
            if (is_map) {
                idl_atom_destroy(&v, t->value.type);
            }
            break;
        }
        idl_datum_add(d, &k, is_map ? &v : NULL, t, true);
        p = skip_spaces(p);
        if (*p == ',') {
            p = skip_spaces(p + 1);
        }
    }
    free(body);
    if (!err && d->n > t->n_max) {
        err = xasprintf("\"%s\": %zu values when at most %u allowed",
                        s, d->n, t->n_max);
    }
    if (err) {
        idl_datum_destroy(d, t);
    }
    return err;
}

static bool
string_needs_quotes(const char *s)
{
    if (!*s || !strcmp(s, "true") || !strcmp(s, "false")) {
        return true;
    }
    if (!isalpha((unsigned char) *s) && *s != '_') {
        return true;
    }
    for (const char *p = s; *p; p++) {
        if (!isalnum((unsigned char) *p) && *p != '_' && *p != '-'
            && *p != '.') {
            return true;
        }
    }
    return false;
}

static void
atom_put(const union idl_atom *a, enum ovsdb_atomic_type t, struct ds *out,
         bool quote)
{
    switch (t) {
    case OVSDB_TYPE_INTEGER: ds_put_format(out, "%lld", a->integer); break;
    case OVSDB_TYPE_REAL: ds_put_format(out, "%.*g", DBL_DIG, a->real); break;
    case OVSDB_TYPE_BOOLEAN:
        ds_put_cstr(out, a->boolean ? "true" : "false");
        break;
    case OVSDB_TYPE_STRING:
        if (quote && string_needs_quotes(a->string)) {
            json_string_escape_cstr(a->string, out);
        } else {
            ds_put_cstr(out, a->string);
        }
        break;
    case OVSDB_TYPE_UUID: ds_put_cstr(out, a->string); break;
    case OVSDB_TYPE_VOID:
    case OVSDB_N_TYPES: break;
    }
}

void
idl_atom_to_string(const union idl_atom *a, enum ovsdb_atomic_type t,
                   struct ds *out)
{
    atom_put(a, t, out, true);
}

void
idl_datum_to_string(const struct idl_datum *d, const struct ovsdb_type *t,
                    struct ds *out)
{
    bool is_map = ovsdb_type_is_map(t);

    if (!is_map && t->n_max == 1 && d->n == 1) {
        idl_atom_to_string(&d->keys[0], t->key.type, out);
        return;
    }
    ds_put_char(out, is_map ? '{' : '[');
    for (size_t i = 0; i < d->n; i++) {
        if (i) {
            ds_put_cstr(out, ", ");
        }
        idl_atom_to_string(&d->keys[i], t->key.type, out);
        if (is_map) {
            ds_put_char(out, '=');
            idl_atom_to_string(&d->values[i], t->value.type, out);
        }
    }
    ds_put_char(out, is_map ? '}' : ']');
}

void
idl_datum_to_bare(const struct idl_datum *d, const struct ovsdb_type *t,
                  struct ds *out)
{
    for (size_t i = 0; i < d->n; i++) {
        if (i) {
            ds_put_char(out, ' ');
        }
        atom_put(&d->keys[i], t->key.type, out, false);
        if (d->values) {
            ds_put_char(out, '=');
            atom_put(&d->values[i], t->value.type, out, false);
        }
    }
}
