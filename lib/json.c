/* JSON serializer and helpers (the parser is in json-parser.c). */
#include <config.h>
#include "json.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dynamic-string.h"

void
json_string_escape(const char *s, size_t n, struct ds *ds)
{
    ds_put_char(ds, '"');
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = s[i];
        if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f) {
            continue;           /* Copied in bulk below. */
        }
        ds_put_buffer(ds, s + start, i - start);
        start = i + 1;
        switch (c) {
        case '"': ds_put_cstr(ds, "\\\""); break;
        case '\\': ds_put_cstr(ds, "\\\\"); break;
        case '\b': ds_put_cstr(ds, "\\b"); break;
        case '\f': ds_put_cstr(ds, "\\f"); break;
        case '\n': ds_put_cstr(ds, "\\n"); break;
        case '\r': ds_put_cstr(ds, "\\r"); break;
        case '\t': ds_put_cstr(ds, "\\t"); break;
        default: ds_put_format(ds, "\\u%04x", c); break;
        }
    }
    ds_put_buffer(ds, s + start, n - start);
    ds_put_char(ds, '"');
}

void
json_string_escape_cstr(const char *s, struct ds *ds)
{
    json_string_escape(s, strlen(s), ds);
}

/* Appends 'v' in decimal; faster than printf for the many small integers
 * of OVSDB traffic. */
static void
put_int(long long v, struct ds *ds)
{
    char buf[24];
    char *p = buf + sizeof buf;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long) v
                                 : (unsigned long long) v;

    do {
        *--p = '0' + u % 10;
        u /= 10;
    } while (u);
    if (v < 0) {
        *--p = '-';
    }
    ds_put_buffer(ds, p, buf + sizeof buf - p);
}

/* The shortest of %.15g..%.17g that reads back as 'd', marked as a real. */
static void
put_double(double d, struct ds *ds)
{
    char buf[40];

    if (!isfinite(d)) {
        ds_put_cstr(ds, "null");
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, d);
        if (strtod(buf, NULL) == d) {
            break;
        }
    }
    ds_put_cstr(ds, buf);
    if (!strpbrk(buf, ".eE")) {
        ds_put_cstr(ds, ".0");
    }
}

static void
put_indent(struct ds *ds, int flags, int level)
{
    if (flags & JSON_PRETTY) {
        ds_put_char(ds, '\n');
        ds_put_char_multiple(ds, ' ', level * 2);
    }
}

static int
compare_names(const void *a_, const void *b_)
{
    const char *const *a = a_;
    const char *const *b = b_;
    return strcmp(*a, *b);
}

static void json_to_ds__(const struct json_object *, int flags, int level,
                         struct ds *);

static void
put_member(const char *name, const struct json_object *value, int flags,
           int level, bool first, struct ds *ds)
{
    if (!first) {
        ds_put_char(ds, ',');
    }
    put_indent(ds, flags, level + 1);
    json_string_escape_cstr(name, ds);
    ds_put_cstr(ds, flags & JSON_PRETTY ? ": " : ":");
    json_to_ds__(value, flags, level + 1, ds);
}

static void
put_object(const struct json_object *obj, int flags, int level, struct ds *ds)
{
    struct json_object *o = (struct json_object *) obj;
    size_t n = json_object_object_length(o);

    if (!n) {
        ds_put_cstr(ds, "{}");
        return;
    }
    ds_put_char(ds, '{');
    if (flags & JSON_SORT_KEYS) {
        const char **names = xmalloc(n * sizeof *names);
        size_t i = 0;
        json_object_object_foreach (o, name, value) {
            (void) value;
            names[i++] = name;
        }
        qsort(names, n, sizeof *names, compare_names);
        for (i = 0; i < n; i++) {
            put_member(names[i], json_object_object_get(o, names[i]), flags,
                       level, i == 0, ds);
        }
        free(names);
    } else {
        bool first = true;
        json_object_object_foreach (o, name, value) {
            put_member(name, value, flags, level, first, ds);
            first = false;
        }
    }
    put_indent(ds, flags, level);
    ds_put_char(ds, '}');
}

static void
put_array(const struct json_object *array, int flags, int level,
          struct ds *ds)
{
    size_t n = json_object_array_length(array);

    if (!n) {
        ds_put_cstr(ds, "[]");
        return;
    }
    ds_put_char(ds, '[');
    for (size_t i = 0; i < n; i++) {
        if (i) {
            ds_put_char(ds, ',');
        }
        put_indent(ds, flags, level + 1);
        json_to_ds__(json_object_array_get_idx(array, i), flags, level + 1,
                     ds);
    }
    put_indent(ds, flags, level);
    ds_put_char(ds, ']');
}

static void
json_to_ds__(const struct json_object *value, int flags, int level,
             struct ds *ds)
{
    size_t len;
    const char *s;

    switch (json_object_get_type(value)) {
    case json_type_null:
        ds_put_cstr(ds, "null");
        break;
    case json_type_boolean:
        ds_put_cstr(ds, json_object_get_boolean(value) ? "true" : "false");
        break;
    case json_type_int:
        put_int(json_object_get_int64(value), ds);
        break;
    case json_type_double:
        put_double(json_object_get_double(value), ds);
        break;
    case json_type_string:
        s = json_string_value(value, &len);
        json_string_escape(s, len, ds);
        break;
    case json_type_object:
        put_object(value, flags, level, ds);
        break;
    case json_type_array:
        put_array(value, flags, level, ds);
        break;
    }
}

void
json_to_ds(const struct json_object *value, int flags, struct ds *ds)
{
    json_to_ds__(value, flags, 0, ds);
}

char *
json_to_string(const struct json_object *value, int flags)
{
    struct ds ds = DS_EMPTY_INITIALIZER;
    json_to_ds(value, flags, &ds);
    return ds_steal_cstr(&ds);
}

const char *
json_type_describe(enum json_type type)
{
    switch (type) {
    case json_type_null: return "null";
    case json_type_boolean: return "a boolean";
    case json_type_double: return "a real";
    case json_type_int: return "an integer";
    case json_type_object: return "an object";
    case json_type_array: return "an array";
    case json_type_string: return "a string";
    }
    return "an unknown type";
}

static int
get_member(const struct json_object *obj, const char *name,
           enum json_type type, bool optional, struct json_object **valuep,
           char **errorp)
{
    struct json_object *value = NULL;

    *valuep = NULL;
    if (errorp) {
        *errorp = NULL;
    }
    if (!json_object_is_type(obj, json_type_object)) {
        if (errorp) {
            *errorp = xasprintf("expected an object with member \"%s\", "
                                "got %s", name,
                                json_type_describe(json_object_get_type(obj)));
        }
        return EINVAL;
    }
    if (!json_object_object_get_ex(obj, name, &value)) {
        if (optional) {
            return 0;
        }
        if (errorp) {
            *errorp = xasprintf("missing member \"%s\"", name);
        }
        return EINVAL;
    }

    enum json_type actual = json_object_get_type(value);
    if (actual == type
        || (type == json_type_double && actual == json_type_int)
        || (optional && actual == json_type_null)) {
        *valuep = value;
        return 0;
    }
    if (errorp) {
        *errorp = xasprintf("member \"%s\" is %s, expected %s", name,
                            json_type_describe(actual),
                            json_type_describe(type));
    }
    return EINVAL;
}

int
json_get_member(const struct json_object *obj, const char *name,
                enum json_type type, struct json_object **valuep,
                char **errorp)
{
    return get_member(obj, name, type, false, valuep, errorp);
}

int
json_get_optional_member(const struct json_object *obj, const char *name,
                         enum json_type type, struct json_object **valuep,
                         char **errorp)
{
    return get_member(obj, name, type, true, valuep, errorp);
}

struct json_object *
json_array_build(size_t n, ...)
{
    struct json_object *array = json_object_new_array_ext(n);
    va_list args;

    va_start(args, n);
    for (size_t i = 0; i < n; i++) {
        json_object_array_add(array, va_arg(args, struct json_object *));
    }
    va_end(args);
    return array;
}

struct json_object *
json_object_build(size_t n, ...)
{
    struct json_object *obj = json_object_new_object();
    va_list args;

    va_start(args, n);
    for (size_t i = 0; i < n; i++) {
        const char *name = va_arg(args, const char *);
        json_object_object_add(obj, name, va_arg(args, struct json_object *));
    }
    va_end(args);
    return obj;
}

const char *
json_string_value(const struct json_object *string, size_t *lenp)
{
    struct json_object *s = (struct json_object *) string;
    if (!json_object_is_type(s, json_type_string)) {
        if (lenp) {
            *lenp = 0;
        }
        return NULL;
    }
    if (lenp) {
        *lenp = json_object_get_string_len(s);
    }
    return json_object_get_string(s);
}

bool
json_equal(const struct json_object *a_, const struct json_object *b_)
{
    struct json_object *a = (struct json_object *) a_;
    struct json_object *b = (struct json_object *) b_;
    enum json_type type = json_object_get_type(a);

    if (type != json_object_get_type(b)) {
        return false;
    }
    switch (type) {
    case json_type_null:
        return true;
    case json_type_boolean:
        return !json_object_get_boolean(a) == !json_object_get_boolean(b);
    case json_type_int:
        return json_object_get_int64(a) == json_object_get_int64(b);
    case json_type_double:
        return json_object_get_double(a) == json_object_get_double(b);
    case json_type_string: {
        size_t la, lb;
        const char *sa = json_string_value(a, &la);
        const char *sb = json_string_value(b, &lb);
        return la == lb && !memcmp(sa, sb, la);
    }
    case json_type_array: {
        size_t n = json_object_array_length(a);
        if (n != json_object_array_length(b)) {
            return false;
        }
        for (size_t i = 0; i < n; i++) {
            if (!json_equal(json_object_array_get_idx(a, i),
                            json_object_array_get_idx(b, i))) {
                return false;
            }
        }
        return true;
    }
    case json_type_object: {
        if (json_object_object_length(a) != json_object_object_length(b)) {
            return false;
        }
        json_object_object_foreach (a, name, value) {
            struct json_object *other;
            if (!json_object_object_get_ex(b, name, &other)
                || !json_equal(value, other)) {
                return false;
            }
        }
        return true;
    }
    }
    return false;
}
