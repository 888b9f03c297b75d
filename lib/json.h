/* JSON on top of json-c: a strict incremental parser for byte streams, a
 * serializer and small helpers.
 *
 * Values are json-c objects (struct json_object, reference counted with
 * json_object_get/json_object_put).  Remember that json-c represents JSON
 * null as a NULL pointer.
 *
 * The parser is our own (RFC 8259, strict): json-c's json_tokener accepts
 * single-quoted strings, NaN and "1." and silently clamps out-of-range
 * integers, none of which a protocol peer should get away with.  Integers
 * are 64-bit signed (json_type_int); anything with a fraction or exponent is
 * a double (json_type_double). */
#ifndef VS_JSON_H
#define VS_JSON_H 1

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "util.h"

struct ds;

/* ---- Parsing ---- */

/* Default limits, generous for OVSDB and OpenFlow-controller traffic. */
#define JSON_DEFAULT_MAX_SIZE (64u * 1024 * 1024)
#define JSON_DEFAULT_MAX_DEPTH 128

struct json_parser;

/* Creates a parser for a stream of consecutive JSON values, each of at most
 * 'max_size' bytes (0: JSON_DEFAULT_MAX_SIZE) nested at most 'max_depth'
 * levels (0: JSON_DEFAULT_MAX_DEPTH). */
struct json_parser *json_parser_create(size_t max_size, int max_depth);
void json_parser_destroy(struct json_parser *);

/* Feeds up to 'n' bytes of 'data'.  Returns how many were consumed: it stops
 * right after the end of a value or at an error, so the caller keeps the rest
 * for the next value.  Once json_parser_is_done(), take the result with
 * json_parser_take() before feeding more. */
size_t json_parser_feed(struct json_parser *, const char *data, size_t n);

/* Tells the parser that no more input follows (finishes a bare top-level
 * number such as "12"; anything else incomplete becomes an error). */
void json_parser_eof(struct json_parser *);

/* True once a complete value or an error is ready. */
bool json_parser_is_done(const struct json_parser *);

/* True if the parser holds part of a value (not only whitespace). */
bool json_parser_is_busy(const struct json_parser *);

/* Takes the result: on success returns 0 and stores the new value (owned by
 * the caller; NULL for JSON null) in '*valuep'.  On a syntax error returns
 * EPROTO, on a value over the size limit EMSGSIZE, with a message in
 * '*errorp' (caller frees); '*valuep' is then NULL.  Returns EAGAIN if
 * nothing is done yet.  Resets the parser for the next value (after an
 * error a stream is no longer in sync; callers normally give it up). */
int json_parser_take(struct json_parser *, struct json_object **valuep,
                     char **errorp);

/* Parses exactly one value in 'string' (surrounding whitespace allowed).
 * Returns 0 or EPROTO/EMSGSIZE with the same conventions as above. */
int json_from_string(const char *string, struct json_object **valuep,
                     char **errorp);
int json_from_buffer(const char *data, size_t n, struct json_object **valuep,
                     char **errorp);

/* ---- Serializing ---- */

enum {
    JSON_PRETTY = 1 << 0,       /* Newlines and two-space indentation. */
    JSON_SORT_KEYS = 1 << 1,    /* Object members in strcmp() order. */
};

/* Appends 'value' to 'ds'.  Doubles use the shortest form that reads back
 * to the same value and always look like reals ("1.0", not "1").  Infinity
 * and NaN have no JSON form and become null. */
void json_to_ds(const struct json_object *value, int flags, struct ds *);

/* Returns 'value' serialized as a new string (caller frees). */
char *json_to_string(const struct json_object *value, int flags);

/* Appends 's' ('n' bytes) as a quoted, escaped JSON string. */
void json_string_escape(const char *s, size_t n, struct ds *);
/* The same for a NUL-terminated string (the journal, vs-vsctl's output). */
void json_string_escape_cstr(const char *s, struct ds *);

/* ---- Helpers ---- */

/* Returns "an object", "an array", "a string", "an integer", "a real",
 * "a boolean" or "null" for error messages. */
const char *json_type_describe(enum json_type);

/* Looks up member 'name' of object 'obj' and checks it has 'type'
 * (json_type_double also accepts an integer, any number being a real).
 * On success returns 0 and stores the member, still owned by 'obj', in
 * '*valuep'.  Otherwise returns EINVAL with a message in '*errorp' (caller
 * frees).  'obj' that is not an object is an error too. */
int json_get_member(const struct json_object *obj, const char *name,
                    enum json_type type, struct json_object **valuep,
                    char **errorp);

/* Same, but a missing member is not an error: returns 0 with '*valuep' NULL
 * (as is a present member of type json_type_null). */
int json_get_optional_member(const struct json_object *obj, const char *name,
                             enum json_type type, struct json_object **valuep,
                             char **errorp);

/* Returns a new array of the 'n' json_object pointers that follow (the array
 * takes ownership of them; NULL is JSON null). */
struct json_object *json_array_build(size_t n, ...);

/* Returns a new object of the 'n' (const char *name, struct json_object
 * *value) pairs that follow (ownership of the values passes to it). */
struct json_object *json_object_build(size_t n, ...);

/* Returns the string value of 'string' (a json_type_string object) and its
 * length, which may include NUL bytes.  Returns NULL for a non-string. */
const char *json_string_value(const struct json_object *string, size_t *lenp);

/* Deep equality where object member order does not matter and an integer
 * never equals a real. */
bool json_equal(const struct json_object *, const struct json_object *);

#endif /* json.h */
