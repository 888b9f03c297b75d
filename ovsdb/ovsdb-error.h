/* Errors in the form RFC 7047 reports them: a short tag ("syntax error",
 * "constraint violation", ...) plus free-form details. */
#ifndef VS_OVSDB_ERROR_H
#define VS_OVSDB_ERROR_H 1

#include <json-c/json.h>
#include "util.h"

struct ovsdb_error {
    char *tag;                  /* Owned; one of the RFC 7047 error names. */
    char *details;              /* Owned; may be NULL. */
};

struct ovsdb_error *ovsdb_error(const char *tag, const char *details_fmt, ...)
    VS_PRINTF(2, 3);
struct ovsdb_error *ovsdb_syntax_error(struct json_object *json,
                                       const char *fmt, ...) VS_PRINTF(2, 3);
void ovsdb_error_destroy(struct ovsdb_error *);
/* Returns {"error": tag, "details": details}; caller owns it. */
struct json_object *ovsdb_error_to_json(const struct ovsdb_error *);
/* Returns "tag: details" (caller frees). */
char *ovsdb_error_to_string(const struct ovsdb_error *);
/* Prefixes the details with "where: ". */
void ovsdb_error_prefix(struct ovsdb_error *, const char *fmt, ...) VS_PRINTF(2, 3);

#endif /* ovsdb/ovsdb-error.h */
