#include <config.h>
#include "ovsdb/ovsdb-types.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "ovsdb/ovsdb-datum.h"
#include "ovsdb/ovsdb-error.h"

static const char *const atomic_names[OVSDB_N_TYPES] = {
    [OVSDB_TYPE_VOID] = "void",
    [OVSDB_TYPE_INTEGER] = "integer",
    [OVSDB_TYPE_REAL] = "real",
    [OVSDB_TYPE_BOOLEAN] = "boolean",
    [OVSDB_TYPE_STRING] = "string",
    [OVSDB_TYPE_UUID] = "uuid",
};

const char *
ovsdb_atomic_type_to_string(enum ovsdb_atomic_type type)
{
    return type < OVSDB_N_TYPES ? atomic_names[type] : "<invalid>";
}

bool
ovsdb_atomic_type_from_string(const char *s, enum ovsdb_atomic_type *type)
{
    for (int i = OVSDB_TYPE_INTEGER; i < OVSDB_N_TYPES; i++) {
        if (!strcmp(s, atomic_names[i])) {
            *type = i;
            return true;
        }
    }
    return false;
}

void
ovsdb_base_type_init(struct ovsdb_base_type *base, enum ovsdb_atomic_type type)
{
    memset(base, 0, sizeof *base);
    base->type = type;
    switch (type) {
    case OVSDB_TYPE_INTEGER:
        base->integer.min = LLONG_MIN;
        base->integer.max = LLONG_MAX;
        break;
    case OVSDB_TYPE_REAL:
        base->real.min = -DBL_MAX;
        base->real.max = DBL_MAX;
        break;
    case OVSDB_TYPE_STRING:
        base->string.min_len = 0;
        base->string.max_len = UINT_MAX;
        break;
    case OVSDB_TYPE_UUID:
        base->uuid.ref_type = OVSDB_REF_STRONG;
        break;
    default:
        break;
    }
}

void
ovsdb_base_type_clone(struct ovsdb_base_type *dst,
                      const struct ovsdb_base_type *src)
{
    *dst = *src;
    if (src->enum_) {
        dst->enum_ = xmalloc(sizeof *dst->enum_);
        struct ovsdb_type enum_type = ovsdb_type_scalar(src->type);
        enum_type.n_max = OVSDB_UNLIMITED;
        ovsdb_datum_clone(dst->enum_, src->enum_, &enum_type);
    }
    if (src->type == OVSDB_TYPE_UUID && src->uuid.ref_table_name) {
        dst->uuid.ref_table_name = xstrdup(src->uuid.ref_table_name);
    }
}

void
ovsdb_base_type_destroy(struct ovsdb_base_type *base)
{
    if (base->enum_) {
        struct ovsdb_type enum_type = ovsdb_type_scalar(base->type);
        enum_type.n_max = OVSDB_UNLIMITED;
        ovsdb_datum_destroy(base->enum_, &enum_type);
        free(base->enum_);
        base->enum_ = NULL;
    }
    if (base->type == OVSDB_TYPE_UUID) {
        free(base->uuid.ref_table_name);
        base->uuid.ref_table_name = NULL;
    }
}

bool
ovsdb_base_type_is_ref(const struct ovsdb_base_type *base)
{
    return base->type == OVSDB_TYPE_UUID && base->uuid.ref_table_name;
}

bool
ovsdb_base_type_is_strong_ref(const struct ovsdb_base_type *base)
{
    return ovsdb_base_type_is_ref(base) && base->uuid.ref_type == OVSDB_REF_STRONG;
}

bool
ovsdb_base_type_is_weak_ref(const struct ovsdb_base_type *base)
{
    return ovsdb_base_type_is_ref(base) && base->uuid.ref_type == OVSDB_REF_WEAK;
}

bool
ovsdb_base_type_has_constraints(const struct ovsdb_base_type *base)
{
    if (base->enum_) {
        return true;
    }
    switch (base->type) {
    case OVSDB_TYPE_INTEGER:
        return base->integer.min != LLONG_MIN || base->integer.max != LLONG_MAX;
    case OVSDB_TYPE_REAL:
        return base->real.min != -DBL_MAX || base->real.max != DBL_MAX;
    case OVSDB_TYPE_STRING:
        return base->string.min_len != 0 || base->string.max_len != UINT_MAX;
    case OVSDB_TYPE_UUID:
        return base->uuid.ref_table_name != NULL;
    default:
        return false;
    }
}

/* Reads optional member 'name' of 'obj' as an integer into '*out'. */
static struct ovsdb_error *
get_opt_integer(struct json_object *obj, const char *name, long long *out,
                bool *present)
{
    struct json_object *v;
    *present = false;
    if (!json_object_object_get_ex(obj, name, &v)) {
        return NULL;
    }
    if (!json_object_is_type(v, json_type_int)) {
        return ovsdb_syntax_error(obj, "\"%s\" must be an integer", name);
    }
    *out = json_object_get_int64(v);
    *present = true;
    return NULL;
}

static struct ovsdb_error *
get_opt_real(struct json_object *obj, const char *name, double *out,
             bool *present)
{
    struct json_object *v;
    *present = false;
    if (!json_object_object_get_ex(obj, name, &v)) {
        return NULL;
    }
    if (!json_object_is_type(v, json_type_int)
        && !json_object_is_type(v, json_type_double)) {
        return ovsdb_syntax_error(obj, "\"%s\" must be a number", name);
    }
    *out = json_object_get_double(v);
    *present = true;
    return NULL;
}

/* Only these members may appear in a base type object. */
static bool
base_member_allowed(const char *name)
{
    static const char *const names[] = {
        "type", "enum", "minInteger", "maxInteger", "minReal", "maxReal",
        "minLength", "maxLength", "refTable", "refType",
    };
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (!strcmp(name, names[i])) {
            return true;
        }
    }
    return false;
}

struct ovsdb_error *
ovsdb_base_type_from_json(struct ovsdb_base_type *base, struct json_object *json)
{
    struct ovsdb_error *error;
    enum ovsdb_atomic_type type;
    bool present;

    ovsdb_base_type_init(base, OVSDB_TYPE_VOID);
    if (json_object_is_type(json, json_type_string)) {
        if (!ovsdb_atomic_type_from_string(json_object_get_string(json), &type)) {
            return ovsdb_syntax_error(json, "unknown atomic type");
        }
        ovsdb_base_type_init(base, type);
        return NULL;
    }
    if (!json_object_is_type(json, json_type_object)) {
        return ovsdb_syntax_error(json, "base type must be a string or an object");
    }
    json_object_object_foreach(json, key, val_unused) {
        (void) val_unused;
        if (!base_member_allowed(key)) {
            return ovsdb_syntax_error(json, "unknown member \"%s\" in base type", key);
        }
    }
    struct json_object *type_json;
    if (!json_object_object_get_ex(json, "type", &type_json)
        || !json_object_is_type(type_json, json_type_string)
        || !ovsdb_atomic_type_from_string(json_object_get_string(type_json), &type)) {
        return ovsdb_syntax_error(json, "base type needs a valid \"type\"");
    }
    ovsdb_base_type_init(base, type);

    struct json_object *enum_json;
    if (json_object_object_get_ex(json, "enum", &enum_json)) {
        struct ovsdb_type enum_type = ovsdb_type_scalar(type);
        enum_type.n_min = 1;
        enum_type.n_max = OVSDB_UNLIMITED;
        base->enum_ = xmalloc(sizeof *base->enum_);
        error = ovsdb_datum_from_json(base->enum_, &enum_type, enum_json, NULL);
        if (error) {
            free(base->enum_);
            base->enum_ = NULL;
            return error;
        }
    }

    if (type == OVSDB_TYPE_INTEGER) {
        long long v;
        if ((error = get_opt_integer(json, "minInteger", &v, &present))) {
            goto fail;
        }
        if (present) {
            base->integer.min = v;
        }
        if ((error = get_opt_integer(json, "maxInteger", &v, &present))) {
            goto fail;
        }
        if (present) {
            base->integer.max = v;
        }
        if (base->integer.min > base->integer.max) {
            error = ovsdb_syntax_error(json, "minInteger exceeds maxInteger");
            goto fail;
        }
    } else if (type == OVSDB_TYPE_REAL) {
        double v;
        if ((error = get_opt_real(json, "minReal", &v, &present))) {
            goto fail;
        }
        if (present) {
            base->real.min = v;
        }
        if ((error = get_opt_real(json, "maxReal", &v, &present))) {
            goto fail;
        }
        if (present) {
            base->real.max = v;
        }
        if (base->real.min > base->real.max) {
            error = ovsdb_syntax_error(json, "minReal exceeds maxReal");
            goto fail;
        }
    } else if (type == OVSDB_TYPE_STRING) {
        long long v;
        if ((error = get_opt_integer(json, "minLength", &v, &present))) {
            goto fail;
        }
        if (present) {
            if (v < 0 || v > UINT_MAX) {
                error = ovsdb_syntax_error(json, "minLength out of range");
                goto fail;
            }
            base->string.min_len = v;
        }
        if ((error = get_opt_integer(json, "maxLength", &v, &present))) {
            goto fail;
        }
        if (present) {
            if (v < 0 || v > UINT_MAX) {
                error = ovsdb_syntax_error(json, "maxLength out of range");
                goto fail;
            }
            base->string.max_len = v;
        }
        if (base->string.min_len > base->string.max_len) {
            error = ovsdb_syntax_error(json, "minLength exceeds maxLength");
            goto fail;
        }
    } else if (type == OVSDB_TYPE_UUID) {
        struct json_object *ref;
        if (json_object_object_get_ex(json, "refTable", &ref)) {
            if (!json_object_is_type(ref, json_type_string)) {
                error = ovsdb_syntax_error(json, "refTable must be a string");
                goto fail;
            }
            base->uuid.ref_table_name = xstrdup(json_object_get_string(ref));
            struct json_object *rt;
            if (json_object_object_get_ex(json, "refType", &rt)) {
                const char *s = json_object_get_string(rt);
                if (json_object_is_type(rt, json_type_string) && !strcmp(s, "strong")) {
                    base->uuid.ref_type = OVSDB_REF_STRONG;
                } else if (json_object_is_type(rt, json_type_string) && !strcmp(s, "weak")) {
                    base->uuid.ref_type = OVSDB_REF_WEAK;
                } else {
                    error = ovsdb_syntax_error(json, "refType must be \"strong\" or \"weak\"");
                    goto fail;
                }
            }
        }
    }
    return NULL;

fail:
    ovsdb_base_type_destroy(base);
    return error;
}

struct json_object *
ovsdb_base_type_to_json(const struct ovsdb_base_type *base)
{
    if (!ovsdb_base_type_has_constraints(base)) {
        return json_object_new_string(ovsdb_atomic_type_to_string(base->type));
    }
    struct json_object *obj = json_object_new_object();
    json_object_object_add(obj, "type",
                           json_object_new_string(ovsdb_atomic_type_to_string(base->type)));
    if (base->enum_) {
        struct ovsdb_type t = ovsdb_type_scalar(base->type);
        t.n_max = OVSDB_UNLIMITED;
        json_object_object_add(obj, "enum", ovsdb_datum_to_json(base->enum_, &t));
    }
    switch (base->type) {
    case OVSDB_TYPE_INTEGER:
        if (base->integer.min != LLONG_MIN) {
            json_object_object_add(obj, "minInteger", json_object_new_int64(base->integer.min));
        }
        if (base->integer.max != LLONG_MAX) {
            json_object_object_add(obj, "maxInteger", json_object_new_int64(base->integer.max));
        }
        break;
    case OVSDB_TYPE_REAL:
        if (base->real.min != -DBL_MAX) {
            json_object_object_add(obj, "minReal", json_object_new_double(base->real.min));
        }
        if (base->real.max != DBL_MAX) {
            json_object_object_add(obj, "maxReal", json_object_new_double(base->real.max));
        }
        break;
    case OVSDB_TYPE_STRING:
        if (base->string.min_len) {
            json_object_object_add(obj, "minLength", json_object_new_int64(base->string.min_len));
        }
        if (base->string.max_len != UINT_MAX) {
            json_object_object_add(obj, "maxLength", json_object_new_int64(base->string.max_len));
        }
        break;
    case OVSDB_TYPE_UUID:
        if (base->uuid.ref_table_name) {
            json_object_object_add(obj, "refTable",
                                   json_object_new_string(base->uuid.ref_table_name));
            if (base->uuid.ref_type == OVSDB_REF_WEAK) {
                json_object_object_add(obj, "refType", json_object_new_string("weak"));
            }
        }
        break;
    default:
        break;
    }
    return obj;
}

void
ovsdb_type_init(struct ovsdb_type *type)
{
    ovsdb_base_type_init(&type->key, OVSDB_TYPE_VOID);
    ovsdb_base_type_init(&type->value, OVSDB_TYPE_VOID);
    type->n_min = 1;
    type->n_max = 1;
}

struct ovsdb_type
ovsdb_type_scalar(enum ovsdb_atomic_type atomic)
{
    struct ovsdb_type type;
    ovsdb_type_init(&type);
    ovsdb_base_type_init(&type.key, atomic);
    return type;
}

void
ovsdb_type_clone(struct ovsdb_type *dst, const struct ovsdb_type *src)
{
    ovsdb_base_type_clone(&dst->key, &src->key);
    ovsdb_base_type_clone(&dst->value, &src->value);
    dst->n_min = src->n_min;
    dst->n_max = src->n_max;
}

void
ovsdb_type_destroy(struct ovsdb_type *type)
{
    ovsdb_base_type_destroy(&type->key);
    ovsdb_base_type_destroy(&type->value);
}

struct ovsdb_error *
ovsdb_type_from_json(struct ovsdb_type *type, struct json_object *json)
{
    struct ovsdb_error *error;

    ovsdb_type_init(type);
    if (json_object_is_type(json, json_type_string)) {
        return ovsdb_base_type_from_json(&type->key, json);
    }
    if (!json_object_is_type(json, json_type_object)) {
        return ovsdb_syntax_error(json, "type must be a string or an object");
    }

    struct json_object *key, *value, *min, *max;
    if (!json_object_object_get_ex(json, "key", &key)) {
        return ovsdb_syntax_error(json, "type object needs \"key\"");
    }
    json_object_object_foreach(json, name, v_unused) {
        (void) v_unused;
        if (strcmp(name, "key") && strcmp(name, "value")
            && strcmp(name, "min") && strcmp(name, "max")) {
            return ovsdb_syntax_error(json, "unknown member \"%s\" in type", name);
        }
    }
    if ((error = ovsdb_base_type_from_json(&type->key, key))) {
        return error;
    }
    if (json_object_object_get_ex(json, "value", &value)) {
        if ((error = ovsdb_base_type_from_json(&type->value, value))) {
            ovsdb_type_destroy(type);
            return error;
        }
    }
    if (json_object_object_get_ex(json, "min", &min)) {
        if (!json_object_is_type(min, json_type_int)
            || json_object_get_int64(min) < 0 || json_object_get_int64(min) > 1) {
            error = ovsdb_syntax_error(json, "\"min\" must be 0 or 1");
            goto fail;
        }
        type->n_min = json_object_get_int64(min);
    }
    if (json_object_object_get_ex(json, "max", &max)) {
        if (json_object_is_type(max, json_type_string)
            && !strcmp(json_object_get_string(max), "unlimited")) {
            type->n_max = OVSDB_UNLIMITED;
        } else if (json_object_is_type(max, json_type_int)
                   && json_object_get_int64(max) >= 1
                   && json_object_get_int64(max) < UINT_MAX) {
            type->n_max = json_object_get_int64(max);
        } else {
            error = ovsdb_syntax_error(json, "\"max\" must be a positive integer or \"unlimited\"");
            goto fail;
        }
    }
    if (type->n_min > type->n_max) {
        error = ovsdb_syntax_error(json, "\"min\" exceeds \"max\"");
        goto fail;
    }
    return NULL;

fail:
    ovsdb_type_destroy(type);
    return error;
}

struct json_object *
ovsdb_type_to_json(const struct ovsdb_type *type)
{
    if (ovsdb_type_is_scalar(type) && !ovsdb_base_type_has_constraints(&type->key)) {
        return ovsdb_base_type_to_json(&type->key);
    }
    struct json_object *obj = json_object_new_object();
    json_object_object_add(obj, "key", ovsdb_base_type_to_json(&type->key));
    if (type->value.type != OVSDB_TYPE_VOID) {
        json_object_object_add(obj, "value", ovsdb_base_type_to_json(&type->value));
    }
    if (type->n_min != 1) {
        json_object_object_add(obj, "min", json_object_new_int64(type->n_min));
    }
    if (type->n_max == OVSDB_UNLIMITED) {
        json_object_object_add(obj, "max", json_object_new_string("unlimited"));
    } else if (type->n_max != 1) {
        json_object_object_add(obj, "max", json_object_new_int64(type->n_max));
    }
    return obj;
}
