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
#include "util.h"

const char *
idl_atype_name(enum idl_atype t)
{
    switch (t) {
    case IDL_VOID: return "void";
    case IDL_INTEGER: return "integer";
    case IDL_REAL: return "real";
    case IDL_BOOLEAN: return "boolean";
    case IDL_STRING: return "string";
    case IDL_UUID: return "uuid";
    }
    return "?";
}

static bool
atype_from_name(const char *s, enum idl_atype *t)
{
    static const enum idl_atype all[] = {
        IDL_INTEGER, IDL_REAL, IDL_BOOLEAN, IDL_STRING, IDL_UUID
    };
    for (size_t i = 0; i < ARRAY_SIZE(all); i++) {
        if (!strcmp(s, idl_atype_name(all[i]))) {
            *t = all[i];
            return true;
        }
    }
    return false;
}

static void
base_init(struct idl_base *b, enum idl_atype t)
{
    memset(b, 0, sizeof *b);
    b->type = t;
    b->min_int = LLONG_MIN;
    b->max_int = LLONG_MAX;
    b->min_real = -DBL_MAX;
    b->max_real = DBL_MAX;
    b->max_len = UINT_MAX;
}

static void
base_destroy(struct idl_base *b)
{
    if (b->enums) {
        struct idl_type et;
        memset(&et, 0, sizeof et);
        et.key.type = b->type;
        idl_datum_destroy(b->enums, &et);
        free(b->enums);
    }
    free(b->ref_table);
    b->enums = NULL;
    b->ref_table = NULL;
}

static bool
json_get_int(struct json_object *j, long long *out)
{
    if (!json_object_is_type(j, json_type_int)) {
        return false;
    }
    *out = json_object_get_int64(j);
    return true;
}

static char *
base_from_json(struct idl_base *b, struct json_object *j)
{
    struct json_object *m;

    if (json_object_is_type(j, json_type_string)) {
        enum idl_atype t;
        if (!atype_from_name(json_object_get_string(j), &t)) {
            return xasprintf("unknown atomic type \"%s\"",
                             json_object_get_string(j));
        }
        base_init(b, t);
        return NULL;
    }
    if (!json_object_is_type(j, json_type_object)
        || !json_object_object_get_ex(j, "type", &m)
        || !json_object_is_type(m, json_type_string)) {
        return xstrdup("base type must be a string or an object with \"type\"");
    }
    enum idl_atype t;
    if (!atype_from_name(json_object_get_string(m), &t)) {
        return xasprintf("unknown atomic type \"%s\"", json_object_get_string(m));
    }
    base_init(b, t);
    long long v;
    if (json_object_object_get_ex(j, "minInteger", &m) && json_get_int(m, &v)) {
        b->min_int = v;
    }
    if (json_object_object_get_ex(j, "maxInteger", &m) && json_get_int(m, &v)) {
        b->max_int = v;
    }
    if (json_object_object_get_ex(j, "minReal", &m)) {
        b->min_real = json_object_get_double(m);
    }
    if (json_object_object_get_ex(j, "maxReal", &m)) {
        b->max_real = json_object_get_double(m);
    }
    if (json_object_object_get_ex(j, "minLength", &m) && json_get_int(m, &v)) {
        b->min_len = v;
    }
    if (json_object_object_get_ex(j, "maxLength", &m) && json_get_int(m, &v)) {
        b->max_len = v;
    }
    if (json_object_object_get_ex(j, "refTable", &m)) {
        b->ref_table = xstrdup(json_object_get_string(m));
    }
    if (json_object_object_get_ex(j, "refType", &m)) {
        b->weak = !strcmp(json_object_get_string(m), "weak");
    }
    if (json_object_object_get_ex(j, "enum", &m)) {
        struct idl_type et;
        memset(&et, 0, sizeof et);
        base_init(&et.key, t);
        et.n_min = 0;
        et.n_max = UINT_MAX;
        b->enums = xmalloc(sizeof *b->enums);
        char *err = idl_datum_from_json(b->enums, &et, m);
        if (err) {
            free(b->enums);
            b->enums = NULL;
            return err;
        }
    }
    return NULL;
}

char *
idl_type_from_json(struct idl_type *t, struct json_object *j)
{
    struct json_object *m;
    char *err;

    memset(t, 0, sizeof *t);
    t->value.type = IDL_VOID;
    t->n_min = t->n_max = 1;
    if (json_object_is_type(j, json_type_string)) {
        return base_from_json(&t->key, j);
    }
    if (!json_object_is_type(j, json_type_object)
        || !json_object_object_get_ex(j, "key", &m)) {
        return xstrdup("type must be a string or an object with \"key\"");
    }
    err = base_from_json(&t->key, m);
    if (err) {
        return err;
    }
    if (json_object_object_get_ex(j, "value", &m)) {
        err = base_from_json(&t->value, m);
        if (err) {
            base_destroy(&t->key);
            return err;
        }
    }
    long long v;
    if (json_object_object_get_ex(j, "min", &m) && json_get_int(m, &v)) {
        t->n_min = v;
    }
    if (json_object_object_get_ex(j, "max", &m)) {
        if (json_get_int(m, &v)) {
            t->n_max = v;
        } else if (json_object_is_type(m, json_type_string)
                   && !strcmp(json_object_get_string(m), "unlimited")) {
            t->n_max = UINT_MAX;
        }
    }
    if (t->n_min > 1 || t->n_max < 1 || t->n_min > t->n_max) {
        idl_type_destroy(t);
        return xstrdup("bad min or max in type");
    }
    return NULL;
}

void
idl_type_destroy(struct idl_type *t)
{
    base_destroy(&t->key);
    base_destroy(&t->value);
}

void
idl_type_to_string(const struct idl_type *t, struct ds *s)
{
    if (idl_type_is_scalar(t)) {
        ds_put_cstr(s, idl_atype_name(t->key.type));
        return;
    }
    if (idl_type_is_map(t)) {
        ds_put_format(s, "map of %s-%s pairs", idl_atype_name(t->key.type),
                      idl_atype_name(t->value.type));
    } else if (idl_type_is_optional(t)) {
        ds_put_format(s, "optional %s", idl_atype_name(t->key.type));
    } else {
        ds_put_format(s, "set of %s", idl_atype_name(t->key.type));
    }
}

/* Atoms. */

int
idl_atom_compare(const union idl_atom *a, const union idl_atom *b,
                 enum idl_atype t)
{
    switch (t) {
    case IDL_INTEGER:
        return a->integer < b->integer ? -1 : a->integer > b->integer;
    case IDL_REAL:
        return a->real < b->real ? -1 : a->real > b->real;
    case IDL_BOOLEAN:
        return (int) a->boolean - (int) b->boolean;
    case IDL_STRING:
    case IDL_UUID:
        return strcmp(a->string, b->string);
    case IDL_VOID:
        return 0;
    }
    return 0;
}

void
idl_atom_clone(union idl_atom *dst, const union idl_atom *src,
               enum idl_atype t)
{
    if (t == IDL_STRING || t == IDL_UUID) {
        dst->string = xstrdup(src->string);
    } else {
        *dst = *src;
    }
}

void
idl_atom_destroy(union idl_atom *a, enum idl_atype t)
{
    if (t == IDL_STRING || t == IDL_UUID) {
        free(a->string);
        a->string = NULL;
    }
}

bool
idl_uuid_is_valid(const char *s)
{
    for (int i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-') {
                return false;
            }
        } else if (!isxdigit((unsigned char) s[i])) {
            return false;
        }
    }
    return s[36] == '\0';
}

void
idl_uuid_generate(char out[37])
{
    /* Random bytes come in batches: a transaction may insert thousands of
     * rows, and one read per row showed up in profiles. */
    static uint8_t pool[4096];
    static size_t pool_ofs = sizeof pool;
    uint8_t b[16];

    if (pool_ofs + sizeof b > sizeof pool) {
        int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
        if (fd < 0 || read(fd, pool, sizeof pool) != sizeof pool) {
            for (size_t i = 0; i < sizeof pool; i++) {
                pool[i] = random();
            }
        }
        if (fd >= 0) {
            close(fd);
        }
        pool_ofs = 0;
    }
    memcpy(b, &pool[pool_ofs], sizeof b);
    pool_ofs += sizeof b;
    b[6] = (b[6] & 0x0f) | 0x40;        /* Version 4 (random). */
    b[8] = (b[8] & 0x3f) | 0x80;        /* RFC 4122 variant. */
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
             "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5],
             b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

char *
idl_atom_check(const union idl_atom *a, const struct idl_base *b)
{
    if (b->enums) {
        if (idl_datum_find_key(b->enums, a, b->type) < 0) {
            struct ds s = DS_EMPTY_INITIALIZER;
            struct idl_type et;
            ds_put_cstr(&s, "constraint violation: ");
            memset(&et, 0, sizeof et);
            et.key.type = b->type;
            et.n_max = UINT_MAX;
            idl_atom_to_string(a, b->type, &s);
            ds_put_cstr(&s, " is not one of the allowed values (");
            idl_datum_to_string(b->enums, &et, &s);
            ds_put_cstr(&s, ")");
            return ds_steal_cstr(&s);
        }
        return NULL;
    }
    switch (b->type) {
    case IDL_INTEGER:
        if (a->integer < b->min_int || a->integer > b->max_int) {
            if (b->max_int == LLONG_MAX) {
                return xasprintf("constraint violation: %lld is less than "
                                 "minimum allowed value "
                                 "%lld", a->integer, b->min_int);
            }
            return xasprintf("constraint violation: %lld is not in the "
                             "valid range %lld to %lld "
                             "(inclusive)", a->integer, b->min_int,
                             b->max_int);
        }
        break;
    case IDL_REAL:
        if (a->real < b->min_real || a->real > b->max_real) {
            return xasprintf("%g is not in the valid range %g to %g",
                             a->real, b->min_real, b->max_real);
        }
        break;
    case IDL_STRING: {
        size_t len = strlen(a->string);
        if (len < b->min_len || len > b->max_len) {
            return xasprintf("\"%s\" length %zu is not in the valid range "
                             "%u to %u", a->string, len, b->min_len,
                             b->max_len);
        }
        break;
    }
    case IDL_BOOLEAN:
    case IDL_UUID:
    case IDL_VOID:
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
atom_init_default(union idl_atom *a, enum idl_atype t)
{
    switch (t) {
    case IDL_INTEGER: a->integer = 0; break;
    case IDL_REAL: a->real = 0; break;
    case IDL_BOOLEAN: a->boolean = false; break;
    case IDL_STRING: a->string = xstrdup(""); break;
    case IDL_UUID:
        a->string = xstrdup("00000000-0000-0000-0000-000000000000");
        break;
    case IDL_VOID: break;
    }
}

void
idl_datum_init_default(struct idl_datum *d, const struct idl_type *t)
{
    idl_datum_init_empty(d);
    if (t->n_min > 0) {
        d->n = 1;
        d->keys = xmalloc(sizeof *d->keys);
        atom_init_default(&d->keys[0], t->key.type);
        if (idl_type_is_map(t)) {
            d->values = xmalloc(sizeof *d->values);
            atom_init_default(&d->values[0], t->value.type);
        }
    }
}

void
idl_datum_clone(struct idl_datum *dst, const struct idl_datum *src,
                const struct idl_type *t)
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
idl_datum_destroy(struct idl_datum *d, const struct idl_type *t)
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
                  const struct idl_type *t)
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
                 const struct idl_type *t)
{
    return a->n == b->n && !idl_datum_compare(a, b, t);
}

/* Binary search: returns the index of 'key' or, if absent, -(insert
 * position) - 1. */
static long
datum_bsearch(const struct idl_datum *d, const union idl_atom *key,
              enum idl_atype t)
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
                   enum idl_atype t)
{
    long i = datum_bsearch(d, key, t);
    return i >= 0 ? i : -1;
}

void
idl_datum_add(struct idl_datum *d, union idl_atom *key, union idl_atom *value,
              const struct idl_type *t, bool replace)
{
    bool is_map = idl_type_is_map(t);
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
idl_datum_remove_index(struct idl_datum *d, size_t i, const struct idl_type *t)
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
                const struct idl_type *t)
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
                   const struct idl_type *t, const struct idl_type *bt)
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
                   const struct idl_type *t)
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
idl_datum_check(const struct idl_datum *d, const struct idl_type *t)
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
atom_from_json(union idl_atom *a, enum idl_atype t, struct json_object *j)
{
    switch (t) {
    case IDL_INTEGER:
        if (!json_object_is_type(j, json_type_int)) {
            return xstrdup("expected integer");
        }
        a->integer = json_object_get_int64(j);
        return NULL;
    case IDL_REAL:
        if (!json_object_is_type(j, json_type_int)
            && !json_object_is_type(j, json_type_double)) {
            return xstrdup("expected real");
        }
        a->real = json_object_get_double(j);
        return NULL;
    case IDL_BOOLEAN:
        if (!json_object_is_type(j, json_type_boolean)) {
            return xstrdup("expected boolean");
        }
        a->boolean = json_object_get_boolean(j);
        return NULL;
    case IDL_STRING:
        if (!json_object_is_type(j, json_type_string)) {
            return xstrdup("expected string");
        }
        a->string = xstrdup(json_object_get_string(j));
        return NULL;
    case IDL_UUID: {
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
    case IDL_VOID:
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
idl_datum_from_json(struct idl_datum *d, const struct idl_type *t,
                    struct json_object *j)
{
    bool is_map = idl_type_is_map(t);
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
idl_atom_to_json(const union idl_atom *a, enum idl_atype t,
                 idl_named_uuid_cb *cb, void *aux)
{
    switch (t) {
    case IDL_INTEGER: return json_object_new_int64(a->integer);
    case IDL_REAL: return json_object_new_double(a->real);
    case IDL_BOOLEAN: return json_object_new_boolean(a->boolean);
    case IDL_STRING: return json_object_new_string(a->string);
    case IDL_UUID: {
        const char *name = cb ? cb(a->string, aux) : NULL;
        struct json_object *arr = json_object_new_array();
        json_object_array_add(arr, json_object_new_string(name ? "named-uuid"
                                                          : "uuid"));
        json_object_array_add(arr, json_object_new_string(name ? name
                                                          : a->string));
        return arr;
    }
    case IDL_VOID: break;
    }
    return json_object_new_null();
}

struct json_object *
idl_datum_to_json(const struct idl_datum *d, const struct idl_type *t,
                  idl_named_uuid_cb *cb, void *aux)
{
    bool is_map = idl_type_is_map(t);

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
                /* \uXXXX, as put_quoted() writes control characters. */
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
atom_from_token(union idl_atom *a, const struct idl_base *b, const char *s,
                size_t len, idl_symbol_cb *sym, void *aux)
{
    char *text = xstrndup(s, len);
    char *err = NULL;

    switch (b->type) {
    case IDL_INTEGER:
        if (!str_to_llong(text, 10, &a->integer)) {
            err = xasprintf("\"%s\" is not a valid integer", text);
        }
        break;
    case IDL_REAL:
        if (!str_to_double(text, &a->real)) {
            err = xasprintf("\"%s\" is not a valid real number", text);
        }
        break;
    case IDL_BOOLEAN:
        if (!strcmp(text, "true")) {
            a->boolean = true;
        } else if (!strcmp(text, "false")) {
            a->boolean = false;
        } else {
            err = xasprintf("\"%s\" is not a valid boolean (use \"true\" or "
                            "\"false\")", text);
        }
        break;
    case IDL_STRING:
        if (text[0] == '"') {
            err = unquote(text, len, &a->string);
        } else {
            a->string = text;
            text = NULL;
        }
        break;
    case IDL_UUID:
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
    case IDL_VOID:
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
idl_atom_from_string(union idl_atom *a, const struct idl_base *b,
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
add_int_range(struct idl_datum *d, const struct idl_type *t, const char *s,
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
        if (idl_datum_find_key(d, &a, IDL_INTEGER) >= 0) {
            return xasprintf("%s: %lld appears more than once", s, v);
        }
        idl_datum_add(d, &a, NULL, t, true);
    }
    return NULL;
}

char *
idl_datum_from_string(struct idl_datum *d, const struct idl_type *t,
                      const char *s, idl_symbol_cb *sym, void *aux)
{
    bool is_map = idl_type_is_map(t);
    size_t len = strlen(s);
    char *err = NULL;

    idl_datum_init_empty(d);
    /* A scalar is one atom: the whole text, so that "a,b" is one string. */
    if (idl_type_is_scalar(t)) {
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
        if (!is_map && t->key.type == IDL_INTEGER
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
put_quoted(struct ds *out, const char *s)
{
    ds_put_char(out, '"');
    for (; *s; s++) {
        switch (*s) {
        case '"': ds_put_cstr(out, "\\\""); break;
        case '\\': ds_put_cstr(out, "\\\\"); break;
        case '\n': ds_put_cstr(out, "\\n"); break;
        case '\t': ds_put_cstr(out, "\\t"); break;
        case '\r': ds_put_cstr(out, "\\r"); break;
        default:
            if ((unsigned char) *s < 0x20) {
                ds_put_format(out, "\\u%04x", (unsigned char) *s);
            } else {
                ds_put_char(out, *s);
            }
        }
    }
    ds_put_char(out, '"');
}

static void
atom_put(const union idl_atom *a, enum idl_atype t, struct ds *out,
         bool quote)
{
    switch (t) {
    case IDL_INTEGER: ds_put_format(out, "%lld", a->integer); break;
    case IDL_REAL: ds_put_format(out, "%.*g", DBL_DIG, a->real); break;
    case IDL_BOOLEAN: ds_put_cstr(out, a->boolean ? "true" : "false"); break;
    case IDL_STRING:
        if (quote && string_needs_quotes(a->string)) {
            put_quoted(out, a->string);
        } else {
            ds_put_cstr(out, a->string);
        }
        break;
    case IDL_UUID: ds_put_cstr(out, a->string); break;
    case IDL_VOID: break;
    }
}

void
idl_atom_to_string(const union idl_atom *a, enum idl_atype t, struct ds *out)
{
    atom_put(a, t, out, true);
}

void
idl_datum_to_string(const struct idl_datum *d, const struct idl_type *t,
                    struct ds *out)
{
    bool is_map = idl_type_is_map(t);

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
idl_datum_to_bare(const struct idl_datum *d, const struct idl_type *t,
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
