#include <config.h>
#include "ovsdb/ovsdb-datum.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "dynamic-string.h"
#include "ovsdb/ovsdb-error.h"

/* ---- Datums ---- */

void
ovsdb_datum_init_empty(struct ovsdb_datum *d)
{
    d->n = 0;
    d->keys = NULL;
    d->values = NULL;
}

void
ovsdb_datum_init_default(struct ovsdb_datum *d, const struct ovsdb_type *type)
{
    ovsdb_datum_init_empty(d);
    if (type->n_min) {
        d->n = 1;
        d->keys = xmalloc(sizeof *d->keys);
        ovsdb_atom_init_default(&d->keys[0], type->key.type);
        if (type->value.type != OVSDB_TYPE_VOID) {
            d->values = xmalloc(sizeof *d->values);
            ovsdb_atom_init_default(&d->values[0], type->value.type);
        }
    }
}

bool
ovsdb_datum_is_default(const struct ovsdb_datum *d, const struct ovsdb_type *type)
{
    if (!type->n_min) {
        return d->n == 0;
    }
    if (d->n != 1) {
        return false;
    }
    union ovsdb_atom def;
    ovsdb_atom_init_default(&def, type->key.type);
    bool is = ovsdb_atom_equals(&d->keys[0], &def, type->key.type);
    ovsdb_atom_destroy(&def, type->key.type);
    if (is && type->value.type != OVSDB_TYPE_VOID) {
        ovsdb_atom_init_default(&def, type->value.type);
        is = ovsdb_atom_equals(&d->values[0], &def, type->value.type);
        ovsdb_atom_destroy(&def, type->value.type);
    }
    return is;
}

static union ovsdb_atom *
clone_atoms(const union ovsdb_atom *src, unsigned int n,
            enum ovsdb_atomic_type type)
{
    if (!n) {
        return NULL;
    }
    union ovsdb_atom *dst = xmalloc(n * sizeof *dst);
    if (type == OVSDB_TYPE_STRING) {
        for (unsigned int i = 0; i < n; i++) {
            dst[i].string = xstrdup(src[i].string);
        }
    } else {
        memcpy(dst, src, n * sizeof *dst);
    }
    return dst;
}

void
ovsdb_datum_clone(struct ovsdb_datum *dst, const struct ovsdb_datum *src,
                  const struct ovsdb_type *type)
{
    dst->n = src->n;
    dst->keys = clone_atoms(src->keys, src->n, type->key.type);
    dst->values = (type->value.type != OVSDB_TYPE_VOID
                   ? clone_atoms(src->values, src->n, type->value.type)
                   : NULL);
}

static void
free_atoms(union ovsdb_atom *atoms, unsigned int n, enum ovsdb_atomic_type type)
{
    if (type == OVSDB_TYPE_STRING) {
        for (unsigned int i = 0; i < n; i++) {
            free(atoms[i].string);
        }
    }
    free(atoms);
}

void
ovsdb_datum_destroy(struct ovsdb_datum *d, const struct ovsdb_type *type)
{
    free_atoms(d->keys, d->n, type->key.type);
    if (d->values) {
        free_atoms(d->values, d->n, type->value.type);
    }
    ovsdb_datum_init_empty(d);
}

void
ovsdb_datum_swap(struct ovsdb_datum *a, struct ovsdb_datum *b)
{
    struct ovsdb_datum tmp = *a;
    *a = *b;
    *b = tmp;
}

struct sort_aux {
    const struct ovsdb_datum *d;
    enum ovsdb_atomic_type key_type;
};

static int
compare_indexes(const void *a_, const void *b_, void *aux_)
{
    const struct sort_aux *aux = aux_;
    const unsigned int *a = a_, *b = b_;
    return ovsdb_atom_compare_3way(&aux->d->keys[*a], &aux->d->keys[*b],
                                   aux->key_type);
}

struct ovsdb_error *
ovsdb_datum_sort(struct ovsdb_datum *d, const struct ovsdb_type *type)
{
    enum ovsdb_atomic_type kt = type->key.type;
    bool sorted = true;

    for (unsigned int i = 1; i < d->n; i++) {
        int cmp = ovsdb_atom_compare_3way(&d->keys[i - 1], &d->keys[i], kt);
        if (cmp > 0) {
            sorted = false;
            break;
        } else if (!cmp) {
            return ovsdb_error("constraint violation",
                               ovsdb_type_is_map(type)
                               ? "map contains duplicate key"
                               : "set contains duplicate value");
        }
    }
    if (sorted) {
        return NULL;
    }

    unsigned int *idx = xmalloc(d->n * sizeof *idx);
    for (unsigned int i = 0; i < d->n; i++) {
        idx[i] = i;
    }
    struct sort_aux aux = { d, kt };
    qsort_r(idx, d->n, sizeof *idx, compare_indexes, &aux);

    union ovsdb_atom *keys = xmalloc(d->n * sizeof *keys);
    union ovsdb_atom *values = d->values ? xmalloc(d->n * sizeof *values) : NULL;
    for (unsigned int i = 0; i < d->n; i++) {
        keys[i] = d->keys[idx[i]];
        if (values) {
            values[i] = d->values[idx[i]];
        }
    }
    free(idx);
    free(d->keys);
    free(d->values);
    d->keys = keys;
    d->values = values;

    for (unsigned int i = 1; i < d->n; i++) {
        if (!ovsdb_atom_compare_3way(&d->keys[i - 1], &d->keys[i], kt)) {
            return ovsdb_error("constraint violation",
                               ovsdb_type_is_map(type)
                               ? "map contains duplicate key"
                               : "set contains duplicate value");
        }
    }
    return NULL;
}

struct ovsdb_error *
ovsdb_datum_check_constraints(const struct ovsdb_datum *d,
                              const struct ovsdb_type *type)
{
    if (d->n < type->n_min || d->n > type->n_max) {
        if (type->n_max == OVSDB_UNLIMITED) {
            return ovsdb_error("constraint violation",
                               "%u values when at least %u required",
                               d->n, type->n_min);
        }
        return ovsdb_error("constraint violation",
                           "%u values when between %u and %u required",
                           d->n, type->n_min, type->n_max);
    }
    for (unsigned int i = 0; i < d->n; i++) {
        struct ovsdb_error *error = ovsdb_atom_check_constraints(&d->keys[i], &type->key);
        if (!error && type->value.type != OVSDB_TYPE_VOID) {
            error = ovsdb_atom_check_constraints(&d->values[i], &type->value);
        }
        if (error) {
            return error;
        }
    }
    return NULL;
}

/* Parses the element list of a set or map into 'd' without sorting. */
static struct ovsdb_error *
parse_elements(struct ovsdb_datum *d, const struct ovsdb_type *type,
               struct json_object *list, bool is_map,
               struct ovsdb_symbol_table *symtab)
{
    size_t n = json_object_array_length(list);
    if (n > UINT_MAX / 2) {
        return ovsdb_syntax_error(NULL, "too many elements");
    }
    d->keys = n ? xmalloc(n * sizeof *d->keys) : NULL;
    d->values = is_map && n ? xmalloc(n * sizeof *d->values) : NULL;
    for (size_t i = 0; i < n; i++) {
        struct json_object *elem = json_object_array_get_idx(list, i);
        struct json_object *kj = elem, *vj = NULL;
        struct ovsdb_error *error;

        if (is_map) {
            if (!json_object_is_type(elem, json_type_array)
                || json_object_array_length(elem) != 2) {
                return ovsdb_syntax_error(elem, "map element must be a [key, value] pair");
            }
            kj = json_object_array_get_idx(elem, 0);
            vj = json_object_array_get_idx(elem, 1);
        }
        error = ovsdb_atom_from_json(&d->keys[i], &type->key, kj, symtab);
        if (error) {
            return error;
        }
        if (is_map) {
            error = ovsdb_atom_from_json(&d->values[i], &type->value, vj, symtab);
            if (error) {
                ovsdb_atom_destroy(&d->keys[i], type->key.type);
                return error;
            }
        }
        d->n++;
    }
    return NULL;
}

static bool
is_tagged(struct json_object *json, const char *tag)
{
    if (!json_object_is_type(json, json_type_array)
        || json_object_array_length(json) != 2) {
        return false;
    }
    struct json_object *t = json_object_array_get_idx(json, 0);
    return json_object_is_type(t, json_type_string)
           && !strcmp(json_object_get_string(t), tag);
}

static struct ovsdb_error *
datum_from_json__(struct ovsdb_datum *d, const struct ovsdb_type *type,
                  struct json_object *json, struct ovsdb_symbol_table *symtab)
{
    struct ovsdb_error *error;

    ovsdb_datum_init_empty(d);
    if (ovsdb_type_is_map(type)) {
        if (!is_tagged(json, "map")
            || !json_object_is_type(json_object_array_get_idx(json, 1), json_type_array)) {
            return ovsdb_syntax_error(json, "expected [\"map\", [...]]");
        }
        error = parse_elements(d, type, json_object_array_get_idx(json, 1), true, symtab);
    } else if (is_tagged(json, "set")) {
        struct json_object *list = json_object_array_get_idx(json, 1);
        if (!json_object_is_type(list, json_type_array)) {
            return ovsdb_syntax_error(json, "expected [\"set\", [...]]");
        }
        error = parse_elements(d, type, list, false, symtab);
    } else {
        d->keys = xmalloc(sizeof *d->keys);
        error = ovsdb_atom_from_json(&d->keys[0], &type->key, json, symtab);
        if (!error) {
            d->n = 1;
        }
    }
    if (!error) {
        error = ovsdb_datum_sort(d, type);
    }
    if (error) {
        ovsdb_datum_destroy(d, type);
    }
    return error;
}

struct ovsdb_error *
ovsdb_datum_from_json(struct ovsdb_datum *d, const struct ovsdb_type *type,
                      struct json_object *json, struct ovsdb_symbol_table *symtab)
{
    struct ovsdb_error *error = datum_from_json__(d, type, json, symtab);
    if (!error && (d->n < type->n_min || d->n > type->n_max)) {
        error = ovsdb_datum_check_constraints(d, type);
        ovsdb_datum_destroy(d, type);
    }
    return error;
}

struct ovsdb_error *
ovsdb_datum_diff_from_json(struct ovsdb_datum *d, const struct ovsdb_type *type,
                           struct json_object *json)
{
    struct ovsdb_type relaxed = *type;
    relaxed.n_min = 0;
    relaxed.n_max = OVSDB_UNLIMITED;
    return datum_from_json__(d, &relaxed, json, NULL);
}

struct json_object *
ovsdb_datum_to_json(const struct ovsdb_datum *d, const struct ovsdb_type *type)
{
    if (ovsdb_type_is_map(type)) {
        struct json_object *pairs = json_object_new_array_ext(d->n);
        for (unsigned int i = 0; i < d->n; i++) {
            struct json_object *pair = json_object_new_array_ext(2);
            json_object_array_add(pair, ovsdb_atom_to_json(&d->keys[i], type->key.type));
            json_object_array_add(pair, ovsdb_atom_to_json(&d->values[i], type->value.type));
            json_object_array_add(pairs, pair);
        }
        struct json_object *map = json_object_new_array_ext(2);
        json_object_array_add(map, json_object_new_string("map"));
        json_object_array_add(map, pairs);
        return map;
    }
    if (d->n == 1) {
        return ovsdb_atom_to_json(&d->keys[0], type->key.type);
    }
    struct json_object *elems = json_object_new_array_ext(d->n);
    for (unsigned int i = 0; i < d->n; i++) {
        json_object_array_add(elems, ovsdb_atom_to_json(&d->keys[i], type->key.type));
    }
    struct json_object *set = json_object_new_array_ext(2);
    json_object_array_add(set, json_object_new_string("set"));
    json_object_array_add(set, elems);
    return set;
}

void
ovsdb_datum_to_string(const struct ovsdb_datum *d, const struct ovsdb_type *type,
                      struct ds *s)
{
    bool is_map = ovsdb_type_is_map(type);
    bool brackets = is_map || ovsdb_type_is_composite(type);
    if (brackets) {
        ds_put_char(s, is_map ? '{' : '[');
    }
    for (unsigned int i = 0; i < d->n; i++) {
        if (i) {
            ds_put_cstr(s, ", ");
        }
        ovsdb_atom_to_string(&d->keys[i], type->key.type, s);
        if (is_map) {
            ds_put_char(s, '=');
            ovsdb_atom_to_string(&d->values[i], type->value.type, s);
        }
    }
    if (brackets) {
        ds_put_char(s, is_map ? '}' : ']');
    }
}

void
ovsdb_datum_to_json_ds(const struct ovsdb_datum *d, const struct ovsdb_type *type,
                       struct ds *ds)
{
    if (ovsdb_type_is_map(type)) {
        ds_put_cstr(ds, "[\"map\",[");
        for (unsigned int i = 0; i < d->n; i++) {
            ds_put_cstr(ds, i ? ",[" : "[");
            ovsdb_atom_to_json_ds(&d->keys[i], type->key.type, ds);
            ds_put_char(ds, ',');
            ovsdb_atom_to_json_ds(&d->values[i], type->value.type, ds);
            ds_put_char(ds, ']');
        }
        ds_put_cstr(ds, "]]");
    } else if (d->n == 1) {
        ovsdb_atom_to_json_ds(&d->keys[0], type->key.type, ds);
    } else {
        ds_put_cstr(ds, "[\"set\",[");
        for (unsigned int i = 0; i < d->n; i++) {
            if (i) {
                ds_put_char(ds, ',');
            }
            ovsdb_atom_to_json_ds(&d->keys[i], type->key.type, ds);
        }
        ds_put_cstr(ds, "]]");
    }
}

int
ovsdb_datum_compare_3way(const struct ovsdb_datum *a, const struct ovsdb_datum *b,
                         const struct ovsdb_type *type)
{
    if (a->n != b->n) {
        return a->n < b->n ? -1 : 1;
    }
    for (unsigned int i = 0; i < a->n; i++) {
        int cmp = ovsdb_atom_compare_3way(&a->keys[i], &b->keys[i], type->key.type);
        if (cmp) {
            return cmp;
        }
    }
    if (type->value.type != OVSDB_TYPE_VOID) {
        for (unsigned int i = 0; i < a->n; i++) {
            int cmp = ovsdb_atom_compare_3way(&a->values[i], &b->values[i],
                                              type->value.type);
            if (cmp) {
                return cmp;
            }
        }
    }
    return 0;
}

bool
ovsdb_datum_equals(const struct ovsdb_datum *a, const struct ovsdb_datum *b,
                   const struct ovsdb_type *type)
{
    return !ovsdb_datum_compare_3way(a, b, type);
}

uint32_t
ovsdb_datum_hash(const struct ovsdb_datum *d, const struct ovsdb_type *type,
                 uint32_t basis)
{
    for (unsigned int i = 0; i < d->n; i++) {
        basis = ovsdb_atom_hash(&d->keys[i], type->key.type, basis);
        if (type->value.type != OVSDB_TYPE_VOID) {
            basis = ovsdb_atom_hash(&d->values[i], type->value.type, basis);
        }
    }
    return hash_int(d->n, basis);
}

unsigned int
ovsdb_datum_find_key(const struct ovsdb_datum *d, const union ovsdb_atom *key,
                     enum ovsdb_atomic_type type)
{
    unsigned int lo = 0, hi = d->n;
    while (lo < hi) {
        unsigned int mid = lo + (hi - lo) / 2;
        int cmp = ovsdb_atom_compare_3way(key, &d->keys[mid], type);
        if (!cmp) {
            return mid;
        } else if (cmp < 0) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    return UINT_MAX;
}

/* Index in 'b' of element 'i' of 'a' (key and, for maps, value), or UINT_MAX. */
static unsigned int
find_element(const struct ovsdb_datum *a, unsigned int i,
             const struct ovsdb_datum *b, const struct ovsdb_type *type)
{
    unsigned int j = ovsdb_datum_find_key(b, &a->keys[i], type->key.type);
    if (j != UINT_MAX && type->value.type != OVSDB_TYPE_VOID
        && !ovsdb_atom_equals(&a->values[i], &b->values[j], type->value.type)) {
        return UINT_MAX;
    }
    return j;
}

bool
ovsdb_datum_includes_all(const struct ovsdb_datum *a, const struct ovsdb_datum *b,
                         const struct ovsdb_type *type)
{
    for (unsigned int i = 0; i < a->n; i++) {
        if (find_element(a, i, b, type) == UINT_MAX) {
            return false;
        }
    }
    return true;
}

bool
ovsdb_datum_excludes_all(const struct ovsdb_datum *a, const struct ovsdb_datum *b,
                         const struct ovsdb_type *type)
{
    for (unsigned int i = 0; i < a->n; i++) {
        if (find_element(a, i, b, type) != UINT_MAX) {
            return false;
        }
    }
    return true;
}

void
ovsdb_datum_add_unsafe(struct ovsdb_datum *d, union ovsdb_atom *key,
                       union ovsdb_atom *value, const struct ovsdb_type *type)
{
    d->keys = xrealloc(d->keys, (d->n + 1) * sizeof *d->keys);
    d->keys[d->n] = *key;
    if (type->value.type != OVSDB_TYPE_VOID) {
        d->values = xrealloc(d->values, (d->n + 1) * sizeof *d->values);
        d->values[d->n] = *value;
    }
    d->n++;
}

void
ovsdb_datum_remove(struct ovsdb_datum *d, unsigned int idx,
                   const struct ovsdb_type *type)
{
    ovsdb_atom_destroy(&d->keys[idx], type->key.type);
    memmove(&d->keys[idx], &d->keys[idx + 1], (d->n - idx - 1) * sizeof *d->keys);
    if (type->value.type != OVSDB_TYPE_VOID) {
        ovsdb_atom_destroy(&d->values[idx], type->value.type);
        memmove(&d->values[idx], &d->values[idx + 1],
                (d->n - idx - 1) * sizeof *d->values);
    }
    d->n--;
}

/* Re-sorts after appends; the caller guarantees keys stay unique. */
static void
resort(struct ovsdb_datum *d, const struct ovsdb_type *type)
{
    struct ovsdb_error *error = ovsdb_datum_sort(d, type);
    vs_assert(!error);
}

void
ovsdb_datum_union(struct ovsdb_datum *a, const struct ovsdb_datum *b,
                  const struct ovsdb_type *type)
{
    unsigned int n_orig = a->n;
    bool added = false;
    for (unsigned int i = 0; i < b->n; i++) {
        struct ovsdb_datum orig = { n_orig, a->keys, a->values };
        if (ovsdb_datum_find_key(&orig, &b->keys[i], type->key.type) == UINT_MAX) {
            union ovsdb_atom k, v;
            ovsdb_atom_clone(&k, &b->keys[i], type->key.type);
            if (type->value.type != OVSDB_TYPE_VOID) {
                ovsdb_atom_clone(&v, &b->values[i], type->value.type);
            }
            ovsdb_datum_add_unsafe(a, &k, &v, type);
            added = true;
        }
    }
    if (added) {
        resort(a, type);
    }
}

void
ovsdb_datum_subtract(struct ovsdb_datum *a, const struct ovsdb_type *a_type,
                     const struct ovsdb_datum *b, const struct ovsdb_type *b_type)
{
    bool pairs = ovsdb_type_is_map(b_type);
    for (unsigned int i = 0; i < b->n; i++) {
        unsigned int j = ovsdb_datum_find_key(a, &b->keys[i], a_type->key.type);
        if (j == UINT_MAX) {
            continue;
        }
        if (pairs && !ovsdb_atom_equals(&a->values[j], &b->values[i],
                                        a_type->value.type)) {
            continue;
        }
        ovsdb_datum_remove(a, j, a_type);
    }
}

void
ovsdb_datum_diff(struct ovsdb_datum *diff, const struct ovsdb_datum *old,
                 const struct ovsdb_datum *new, const struct ovsdb_type *type)
{
    ovsdb_datum_init_empty(diff);
    if (ovsdb_type_is_scalar(type)) {
        ovsdb_datum_clone(diff, new, type);
        return;
    }
    enum ovsdb_atomic_type kt = type->key.type, vt = type->value.type;
    bool is_map = vt != OVSDB_TYPE_VOID;
    unsigned int i = 0, j = 0;
    /* Both are sorted: merge. */
    while (i < old->n || j < new->n) {
        int cmp = (i >= old->n ? 1 : j >= new->n ? -1
                   : ovsdb_atom_compare_3way(&old->keys[i], &new->keys[j], kt));
        union ovsdb_atom k, v;
        if (cmp < 0) {
            ovsdb_atom_clone(&k, &old->keys[i], kt);
            if (is_map) {
                ovsdb_atom_clone(&v, &old->values[i], vt);
            }
            ovsdb_datum_add_unsafe(diff, &k, &v, type);
            i++;
        } else if (cmp > 0) {
            ovsdb_atom_clone(&k, &new->keys[j], kt);
            if (is_map) {
                ovsdb_atom_clone(&v, &new->values[j], vt);
            }
            ovsdb_datum_add_unsafe(diff, &k, &v, type);
            j++;
        } else {
            if (is_map && !ovsdb_atom_equals(&old->values[i], &new->values[j], vt)) {
                ovsdb_atom_clone(&k, &new->keys[j], kt);
                ovsdb_atom_clone(&v, &new->values[j], vt);
                ovsdb_datum_add_unsafe(diff, &k, &v, type);
            }
            i++;
            j++;
        }
    }
}

struct ovsdb_error *
ovsdb_datum_apply_diff(struct ovsdb_datum *new, const struct ovsdb_datum *old,
                       const struct ovsdb_datum *diff, const struct ovsdb_type *type)
{
    if (ovsdb_type_is_scalar(type)) {
        ovsdb_datum_clone(new, diff, type);
    } else {
        enum ovsdb_atomic_type kt = type->key.type, vt = type->value.type;
        bool is_map = vt != OVSDB_TYPE_VOID;
        unsigned int i = 0, j = 0;

        /* Both are sorted: merge, toggling or replacing what 'diff' names. */
        ovsdb_datum_init_empty(new);
        while (i < old->n || j < diff->n) {
            int cmp = (i >= old->n ? 1 : j >= diff->n ? -1
                       : ovsdb_atom_compare_3way(&old->keys[i], &diff->keys[j], kt));
            const union ovsdb_atom *key, *value = NULL;
            if (cmp < 0) {
                key = &old->keys[i];
                value = is_map ? &old->values[i] : NULL;
                i++;
            } else if (cmp > 0) {
                key = &diff->keys[j];
                value = is_map ? &diff->values[j] : NULL;
                j++;
            } else {
                bool same = !is_map || ovsdb_atom_equals(&old->values[i],
                                                         &diff->values[j], vt);
                key = &diff->keys[j];
                value = is_map ? &diff->values[j] : NULL;
                i++;
                j++;
                if (same) {
                    continue;       /* Present in both: removed. */
                }
            }
            union ovsdb_atom k, v;
            ovsdb_atom_clone(&k, key, kt);
            if (is_map) {
                ovsdb_atom_clone(&v, value, vt);
            }
            ovsdb_datum_add_unsafe(new, &k, &v, type);
        }
    }
    struct ovsdb_error *error = ovsdb_datum_check_constraints(new, type);
    if (error) {
        ovsdb_datum_destroy(new, type);
    }
    return error;
}
