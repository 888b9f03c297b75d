/* Strict incremental JSON parser (RFC 8259) producing json-c values.
 *
 * Bytes go through a small lexer (strings, numbers, keywords) one at a time,
 * so a value may arrive split across any number of reads; the parser keeps
 * an explicit stack of open containers, so deep nesting costs heap, not C
 * stack, and is capped by 'max_depth'. */
#include <config.h>
#include "json.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "dynamic-string.h"

enum lex_state {
    LEX_IDLE,           /* Between tokens. */
    LEX_STRING,         /* Inside "...". */
    LEX_ESCAPE,         /* After a backslash. */
    LEX_UNICODE,        /* Reading the 4 hex digits of \uXXXX. */
    LEX_LOW_BACKSLASH,  /* After a high surrogate, want '\'. */
    LEX_LOW_U,          /* After a high surrogate and '\', want 'u'. */
    LEX_NUMBER,
    LEX_KEYWORD,        /* true, false, null. */
};

enum expect {
    EXPECT_VALUE_OR_CLOSE,      /* Just after '['. */
    EXPECT_VALUE,
    EXPECT_COMMA_OR_CLOSE,
    EXPECT_NAME_OR_CLOSE,       /* Just after '{'. */
    EXPECT_NAME,
    EXPECT_COLON,
};

struct frame {
    struct json_object *container;  /* Owned until closed. */
    bool is_object;
    enum expect expect;
    char *name;                     /* Pending member name (owned) or NULL. */
};

struct json_parser {
    size_t max_size;
    int max_depth;

    /* Lexer. */
    enum lex_state lex;
    struct ds token;            /* String, number or keyword bytes so far. */
    unsigned int utf8_need;     /* UTF-8 continuation bytes still expected. */
    unsigned char utf8_lo, utf8_hi; /* Range allowed for the next one. */
    unsigned int n_hex;         /* Hex digits read in \uXXXX. */
    unsigned int code;          /* Code point being read. */
    unsigned int high;          /* Pending high surrogate or 0. */

    /* Parser. */
    struct frame *stack;
    size_t n_stack, allocated_stack;
    size_t n_bytes;             /* Bytes of the current value so far. */

    /* Result. */
    bool done;
    struct json_object *value;  /* Owned. */
    int error;                  /* 0, EPROTO or EMSGSIZE. */
    char *error_msg;            /* Owned. */
};

struct json_parser *
json_parser_create(size_t max_size, int max_depth)
{
    struct json_parser *p = xzalloc(sizeof *p);
    p->max_size = max_size ? max_size : JSON_DEFAULT_MAX_SIZE;
    p->max_depth = max_depth > 0 ? max_depth : JSON_DEFAULT_MAX_DEPTH;
    ds_init(&p->token);
    return p;
}

static void
parser_clear(struct json_parser *p)
{
    for (size_t i = 0; i < p->n_stack; i++) {
        json_object_put(p->stack[i].container);
        free(p->stack[i].name);
    }
    p->n_stack = 0;
    json_object_put(p->value);
    p->value = NULL;
    free(p->error_msg);
    p->error_msg = NULL;
    p->error = 0;
    p->done = false;
    p->lex = LEX_IDLE;
    p->utf8_need = 0;
    p->high = 0;
    p->n_bytes = 0;
    ds_clear(&p->token);
}

void
json_parser_destroy(struct json_parser *p)
{
    if (p) {
        parser_clear(p);
        free(p->stack);
        ds_destroy(&p->token);
        free(p);
    }
}

static void VS_PRINTF(3, 4)
parser_error(struct json_parser *p, int error, const char *fmt, ...)
{
    if (p->done) {
        return;
    }
    struct ds s = DS_EMPTY_INITIALIZER;
    va_list args;

    ds_put_format(&s, "byte %zu: ", p->n_bytes);
    va_start(args, fmt);
    ds_put_format_valist(&s, fmt, args);
    va_end(args);

    p->done = true;
    p->error = error;
    p->error_msg = ds_steal_cstr(&s);
    json_object_put(p->value);
    p->value = NULL;
}

static void
syntax_error(struct json_parser *p, const char *what, int c)
{
    if (c < 0) {
        parser_error(p, EPROTO, "syntax error: %s", what);
    } else if (c > 0x20 && c < 0x7f) {
        parser_error(p, EPROTO, "syntax error: %s, found '%c'", what, c);
    } else {
        parser_error(p, EPROTO, "syntax error: %s, found byte 0x%02x",
                     what, c);
    }
}

static struct frame *
top(struct json_parser *p)
{
    return p->n_stack ? &p->stack[p->n_stack - 1] : NULL;
}

static bool
expecting_value(struct json_parser *p)
{
    struct frame *f = top(p);
    return f ? f->expect == EXPECT_VALUE || f->expect == EXPECT_VALUE_OR_CLOSE
             : !p->done;
}

static bool
expecting_name(struct json_parser *p)
{
    struct frame *f = top(p);
    return f && (f->expect == EXPECT_NAME || f->expect == EXPECT_NAME_OR_CLOSE);
}

static const char *
expectation(struct json_parser *p)
{
    struct frame *f = top(p);
    if (!f) {
        return "expected a value";
    }
    switch (f->expect) {
    case EXPECT_VALUE_OR_CLOSE: return "expected a value or ']'";
    case EXPECT_VALUE: return "expected a value";
    case EXPECT_COMMA_OR_CLOSE:
        return f->is_object ? "expected ',' or '}'" : "expected ',' or ']'";
    case EXPECT_NAME_OR_CLOSE: return "expected a member name or '}'";
    case EXPECT_NAME: return "expected a member name";
    case EXPECT_COLON: return "expected ':'";
    }
    return "unexpected input";
}

/* A complete value 'v' (owned) goes into its container or becomes the
 * result. */
static void
value_done(struct json_parser *p, struct json_object *v)
{
    struct frame *f = top(p);
    if (!f) {
        p->value = v;
        p->done = true;
    } else if (f->is_object) {
        json_object_object_add(f->container, f->name, v);
        free(f->name);
        f->name = NULL;
        f->expect = EXPECT_COMMA_OR_CLOSE;
    } else {
        json_object_array_add(f->container, v);
        f->expect = EXPECT_COMMA_OR_CLOSE;
    }
}

static void
push(struct json_parser *p, bool is_object)
{
    if (p->n_stack >= (size_t) p->max_depth) {
        parser_error(p, EPROTO, "nesting deeper than %d levels",
                     p->max_depth);
        return;
    }
    if (p->n_stack >= p->allocated_stack) {
        p->stack = x2nrealloc(p->stack, &p->allocated_stack, sizeof *p->stack);
    }
    struct frame *f = &p->stack[p->n_stack++];
    f->container = is_object ? json_object_new_object()
                             : json_object_new_array();
    f->is_object = is_object;
    f->expect = is_object ? EXPECT_NAME_OR_CLOSE : EXPECT_VALUE_OR_CLOSE;
    f->name = NULL;
}

static void
pop(struct json_parser *p)
{
    struct frame *f = top(p);
    struct json_object *v = f->container;
    p->n_stack--;
    value_done(p, v);
}

static void
string_done(struct json_parser *p)
{
    struct frame *f = top(p);
    if (f && f->is_object
        && (f->expect == EXPECT_NAME || f->expect == EXPECT_NAME_OR_CLOSE)) {
        if (p->token.length
            && memchr(p->token.string, '\0', p->token.length)) {
            parser_error(p, EPROTO, "member name contains a NUL character");
            return;
        }
        f->name = xstrdup(ds_cstr(&p->token));
        f->expect = EXPECT_COLON;
    } else {
        value_done(p, json_object_new_string_len(ds_cstr(&p->token),
                                                 p->token.length));
    }
}

/* Checks the RFC 8259 number grammar; sets '*is_int' if 's' has neither a
 * fraction nor an exponent. */
static bool
number_is_valid(const char *s, bool *is_int)
{
    const char *c = s;
    *is_int = true;
    if (*c == '-') {
        c++;
    }
    if (*c == '0') {
        c++;
    } else if (*c >= '1' && *c <= '9') {
        while (*c >= '0' && *c <= '9') {
            c++;
        }
    } else {
        return false;
    }
    if (*c == '.') {
        c++;
        if (*c < '0' || *c > '9') {
            return false;
        }
        while (*c >= '0' && *c <= '9') {
            c++;
        }
        *is_int = false;
    }
    if (*c == 'e' || *c == 'E') {
        c++;
        if (*c == '+' || *c == '-') {
            c++;
        }
        if (*c < '0' || *c > '9') {
            return false;
        }
        while (*c >= '0' && *c <= '9') {
            c++;
        }
        *is_int = false;
    }
    return *c == '\0';
}

static void
number_done(struct json_parser *p)
{
    const char *s = ds_cstr(&p->token);
    bool is_int;

    if (!number_is_valid(s, &is_int)) {
        parser_error(p, EPROTO, "syntax error: bad number \"%.40s\"", s);
    } else if (is_int) {
        errno = 0;
        long long ll = strtoll(s, NULL, 10);
        if (errno == ERANGE) {
            parser_error(p, EPROTO, "integer %.40s out of 64-bit range", s);
        } else {
            value_done(p, json_object_new_int64(ll));
        }
    } else {
        double d = strtod(s, NULL);
        if (isinf(d)) {
            parser_error(p, EPROTO, "number %.40s out of range", s);
        } else {
            value_done(p, json_object_new_double(d));
        }
    }
}

static void
keyword_done(struct json_parser *p)
{
    const char *s = ds_cstr(&p->token);
    if (!strcmp(s, "true")) {
        value_done(p, json_object_new_boolean(1));
    } else if (!strcmp(s, "false")) {
        value_done(p, json_object_new_boolean(0));
    } else if (!strcmp(s, "null")) {
        value_done(p, NULL);
    } else {
        parser_error(p, EPROTO, "syntax error: invalid literal \"%.8s\"", s);
    }
}

static void
put_utf8(struct ds *ds, unsigned int c)
{
    if (c < 0x80) {
        ds_put_char(ds, c);
    } else if (c < 0x800) {
        ds_put_char(ds, 0xc0 | (c >> 6));
        ds_put_char(ds, 0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
        ds_put_char(ds, 0xe0 | (c >> 12));
        ds_put_char(ds, 0x80 | ((c >> 6) & 0x3f));
        ds_put_char(ds, 0x80 | (c & 0x3f));
    } else {
        ds_put_char(ds, 0xf0 | (c >> 18));
        ds_put_char(ds, 0x80 | ((c >> 12) & 0x3f));
        ds_put_char(ds, 0x80 | ((c >> 6) & 0x3f));
        ds_put_char(ds, 0x80 | (c & 0x3f));
    }
}

/* A raw byte inside a string: checks UTF-8 well-formedness (no overlong
 * forms, no surrogates, nothing above U+10FFFF). */
static void
string_byte(struct json_parser *p, unsigned char c)
{
    if (p->utf8_need) {
        if (c < p->utf8_lo || c > p->utf8_hi) {
            parser_error(p, EPROTO, "invalid UTF-8 in string");
            return;
        }
        p->utf8_need--;
        p->utf8_lo = 0x80;
        p->utf8_hi = 0xbf;
    } else if (c == '"') {
        p->lex = LEX_IDLE;
        string_done(p);
        return;
    } else if (c == '\\') {
        p->lex = LEX_ESCAPE;
        return;
    } else if (c < 0x20) {
        parser_error(p, EPROTO, "control character 0x%02x in string", c);
        return;
    } else if (c >= 0x80) {
        p->utf8_lo = 0x80;
        p->utf8_hi = 0xbf;
        if (c >= 0xc2 && c <= 0xdf) {
            p->utf8_need = 1;
        } else if (c >= 0xe0 && c <= 0xef) {
            p->utf8_need = 2;
            if (c == 0xe0) {
                p->utf8_lo = 0xa0;
            } else if (c == 0xed) {
                p->utf8_hi = 0x9f;
            }
        } else if (c >= 0xf0 && c <= 0xf4) {
            p->utf8_need = 3;
            if (c == 0xf0) {
                p->utf8_lo = 0x90;
            } else if (c == 0xf4) {
                p->utf8_hi = 0x8f;
            }
        } else {
            parser_error(p, EPROTO, "invalid UTF-8 in string");
            return;
        }
    }
    ds_put_char(&p->token, c);
}

static void
escape_byte(struct json_parser *p, unsigned char c)
{
    static const char from[] = "\"\\/bfnrt";
    static const char to[] = "\"\\/\b\f\n\r\t";
    const char *e = c ? strchr(from, c) : NULL;

    if (c == 'u') {
        p->lex = LEX_UNICODE;
        p->n_hex = 0;
        p->code = 0;
    } else if (e) {
        ds_put_char(&p->token, to[e - from]);
        p->lex = LEX_STRING;
    } else {
        syntax_error(p, "bad escape in string", c);
    }
}

static void
unicode_byte(struct json_parser *p, unsigned char c)
{
    int digit = (c >= '0' && c <= '9' ? c - '0'
                 : c >= 'a' && c <= 'f' ? c - 'a' + 10
                 : c >= 'A' && c <= 'F' ? c - 'A' + 10
                 : -1);
    if (digit < 0) {
        syntax_error(p, "bad \\u escape in string", c);
        return;
    }
    p->code = p->code * 16 + digit;
    if (++p->n_hex < 4) {
        return;
    }

    unsigned int code = p->code;
    p->lex = LEX_STRING;
    if (p->high) {
        if (code < 0xdc00 || code > 0xdfff) {
            parser_error(p, EPROTO, "unpaired UTF-16 surrogate in string");
            return;
        }
        code = 0x10000 + ((p->high - 0xd800) << 10) + (code - 0xdc00);
        p->high = 0;
    } else if (code >= 0xd800 && code <= 0xdbff) {
        p->high = code;
        p->lex = LEX_LOW_BACKSLASH;
        return;
    } else if (code >= 0xdc00 && code <= 0xdfff) {
        parser_error(p, EPROTO, "unpaired UTF-16 surrogate in string");
        return;
    }
    put_utf8(&p->token, code);
}

/* A byte outside any token: whitespace, punctuation or a token start. */
static void
idle_byte(struct json_parser *p, unsigned char c)
{
    struct frame *f = top(p);

    switch (c) {
    case ' ': case '\t': case '\n': case '\r':
        return;

    case '{': case '[':
        if (!expecting_value(p)) {
            syntax_error(p, expectation(p), c);
        } else {
            push(p, c == '{');
        }
        return;

    case '}': case ']':
        if (f && f->is_object == (c == '}')
            && (f->expect == EXPECT_COMMA_OR_CLOSE
                || f->expect == (c == '}' ? EXPECT_NAME_OR_CLOSE
                                          : EXPECT_VALUE_OR_CLOSE))) {
            pop(p);
        } else {
            syntax_error(p, expectation(p), c);
        }
        return;

    case ',':
        if (f && f->expect == EXPECT_COMMA_OR_CLOSE) {
            f->expect = f->is_object ? EXPECT_NAME : EXPECT_VALUE;
        } else {
            syntax_error(p, expectation(p), c);
        }
        return;

    case ':':
        if (f && f->expect == EXPECT_COLON) {
            f->expect = EXPECT_VALUE;
        } else {
            syntax_error(p, expectation(p), c);
        }
        return;

    case '"':
        if (!expecting_value(p) && !expecting_name(p)) {
            syntax_error(p, expectation(p), c);
        } else {
            ds_clear(&p->token);
            p->lex = LEX_STRING;
        }
        return;
    }

    if (c == '-' || (c >= '0' && c <= '9')) {
        p->lex = LEX_NUMBER;
    } else if (c >= 'a' && c <= 'z') {
        p->lex = LEX_KEYWORD;
    } else {
        syntax_error(p, expectation(p), c);
        return;
    }
    if (!expecting_value(p)) {
        syntax_error(p, expectation(p), c);
        return;
    }
    ds_clear(&p->token);
    ds_put_char(&p->token, c);
}

/* Processes one byte.  Returns false if the byte ended a number or keyword
 * without being part of it, so the caller must feed it again. */
static bool
parse_byte(struct json_parser *p, unsigned char c)
{
    switch (p->lex) {
    case LEX_IDLE:
        idle_byte(p, c);
        break;
    case LEX_STRING:
        string_byte(p, c);
        break;
    case LEX_ESCAPE:
        escape_byte(p, c);
        break;
    case LEX_UNICODE:
        unicode_byte(p, c);
        break;
    case LEX_LOW_BACKSLASH:
        if (c == '\\') {
            p->lex = LEX_LOW_U;
        } else {
            parser_error(p, EPROTO, "unpaired UTF-16 surrogate in string");
        }
        break;
    case LEX_LOW_U:
        if (c == 'u') {
            p->lex = LEX_UNICODE;
            p->n_hex = 0;
            p->code = 0;
        } else {
            parser_error(p, EPROTO, "unpaired UTF-16 surrogate in string");
        }
        break;
    case LEX_NUMBER:
        if ((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E'
            || c == '+' || c == '-') {
            ds_put_char(&p->token, c);
        } else {
            p->lex = LEX_IDLE;
            number_done(p);
            return false;
        }
        break;
    case LEX_KEYWORD:
        if (c >= 'a' && c <= 'z') {
            if (p->token.length >= 5) {
                ds_put_char(&p->token, c);
                keyword_done(p);    /* Too long to be valid: fails. */
            } else {
                ds_put_char(&p->token, c);
            }
        } else {
            p->lex = LEX_IDLE;
            keyword_done(p);
            return false;
        }
        break;
    }
    return true;
}

size_t
json_parser_feed(struct json_parser *p, const char *data, size_t n)
{
    size_t i = 0;
    while (i < n && !p->done) {
        if (p->lex == LEX_STRING && !p->utf8_need) {
            /* Fast path: a run of plain ASCII inside a string. */
            size_t limit = MIN(n, i + (p->max_size - p->n_bytes));
            size_t j = i;
            while (j < limit) {
                unsigned char c = data[j];
                if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
                    break;
                }
                j++;
            }
            if (j > i) {
                ds_put_buffer(&p->token, data + i, j - i);
                p->n_bytes += j - i;
                i = j;
                continue;
            }
        }
        if (p->n_bytes >= p->max_size) {
            parser_error(p, EMSGSIZE, "JSON value exceeds %zu bytes",
                         p->max_size);
            break;
        }
        if (parse_byte(p, (unsigned char) data[i]) && !p->error) {
            i++;
            p->n_bytes++;
        }
    }
    return i;
}

void
json_parser_eof(struct json_parser *p)
{
    if (p->done) {
        return;
    }
    if (!p->n_stack && p->lex == LEX_NUMBER) {
        p->lex = LEX_IDLE;
        number_done(p);
    } else if (!p->n_stack && p->lex == LEX_KEYWORD) {
        p->lex = LEX_IDLE;
        keyword_done(p);
    } else if (json_parser_is_busy(p)) {
        parser_error(p, EPROTO, "unexpected end of input");
    } else {
        parser_error(p, EPROTO, "empty input");
    }
}

bool
json_parser_is_done(const struct json_parser *p)
{
    return p->done;
}

bool
json_parser_is_busy(const struct json_parser *p)
{
    return !p->done && (p->n_stack || p->lex != LEX_IDLE);
}

int
json_parser_take(struct json_parser *p, struct json_object **valuep,
                 char **errorp)
{
    *valuep = NULL;
    if (errorp) {
        *errorp = NULL;
    }
    if (!p->done) {
        return EAGAIN;
    }

    int error = p->error;
    if (error) {
        if (errorp) {
            *errorp = p->error_msg;
            p->error_msg = NULL;
        }
    } else {
        *valuep = p->value;
        p->value = NULL;
    }
    parser_clear(p);
    return error;
}

int
json_from_buffer(const char *data, size_t n, struct json_object **valuep,
                 char **errorp)
{
    struct json_parser *p = json_parser_create(0, 0);
    size_t used = json_parser_feed(p, data, n);
    json_parser_eof(p);

    int error = json_parser_take(p, valuep, errorp);
    if (!error) {
        for (; used < n; used++) {
            if (!strchr(" \t\r\n", data[used]) || !data[used]) {
                json_object_put(*valuep);
                *valuep = NULL;
                if (errorp) {
                    *errorp = xasprintf("byte %zu: trailing data after "
                                        "JSON value", used);
                }
                error = EPROTO;
                break;
            }
        }
    }
    json_parser_destroy(p);
    return error;
}

int
json_from_string(const char *string, struct json_object **valuep,
                 char **errorp)
{
    return json_from_buffer(string, strlen(string), valuep, errorp);
}
