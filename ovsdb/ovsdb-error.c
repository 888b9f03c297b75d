#include <config.h>
#include "ovsdb/ovsdb-error.h"

#include <stdio.h>
#include <string.h>

struct ovsdb_error *
ovsdb_error(const char *tag, const char *details_fmt, ...)
{
    struct ovsdb_error *error = xmalloc(sizeof *error);
    error->tag = xstrdup(tag);
    error->details = NULL;
    if (details_fmt) {
        va_list args;
        va_start(args, details_fmt);
        error->details = xvasprintf(details_fmt, args);
        va_end(args);
    }
    return error;
}

struct ovsdb_error *
ovsdb_syntax_error(struct json_object *json, const char *fmt, ...)
{
    struct ovsdb_error *error = xmalloc(sizeof *error);
    va_list args;

    error->tag = xstrdup("syntax error");
    va_start(args, fmt);
    char *msg = xvasprintf(fmt, args);
    va_end(args);
    if (json) {
        const char *s = json_object_to_json_string_ext(json, JSON_C_TO_STRING_PLAIN);
        size_t len = strlen(s);
        /* Quote at most a bounded part of what the peer sent. */
        error->details = len > 200
            ? xasprintf("%s (in %.200s...)", msg, s)
            : xasprintf("%s (in %s)", msg, s);
        free(msg);
    } else {
        error->details = msg;
    }
    return error;
}

void
ovsdb_error_destroy(struct ovsdb_error *error)
{
    if (error) {
        free(error->tag);
        free(error->details);
        free(error);
    }
}

struct json_object *
ovsdb_error_to_json(const struct ovsdb_error *error)
{
    struct json_object *obj = json_object_new_object();
    json_object_object_add(obj, "error", json_object_new_string(error->tag));
    if (error->details) {
        json_object_object_add(obj, "details",
                               json_object_new_string(error->details));
    }
    return obj;
}

char *
ovsdb_error_to_string(const struct ovsdb_error *error)
{
    return error->details
        ? xasprintf("%s: %s", error->tag, error->details)
        : xstrdup(error->tag);
}

void
ovsdb_error_prefix(struct ovsdb_error *error, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    char *prefix = xvasprintf(fmt, args);
    va_end(args);
    char *details = xasprintf("%s: %s", prefix, error->details ? error->details : "");
    free(prefix);
    free(error->details);
    error->details = details;
}
