/* JSON-RPC 1.0 messages: construction, validation, JSON conversion. */
#include <config.h>
#include "jsonrpc.h"

#include <errno.h>
#include <stdatomic.h>
#include <string.h>

#include "dynamic-string.h"
#include "util.h"

static struct jsonrpc_msg *
msg_create(enum jsonrpc_msg_type type)
{
    struct jsonrpc_msg *msg = xzalloc(sizeof *msg);
    msg->type = type;
    return msg;
}

static struct json_object *
params_or_empty(struct json_object *params)
{
    return params ? params : json_object_new_array();
}

struct jsonrpc_msg *
jsonrpc_create_request(const char *method, struct json_object *params,
                       struct json_object **idp)
{
    static atomic_llong next_id = 0;
    struct jsonrpc_msg *msg = msg_create(JSONRPC_REQUEST);

    msg->method = xstrdup(method);
    msg->params = params_or_empty(params);
    msg->id = json_object_new_int64(atomic_fetch_add(&next_id, 1));
    if (idp) {
        *idp = json_object_get(msg->id);
    }
    return msg;
}

struct jsonrpc_msg *
jsonrpc_create_notify(const char *method, struct json_object *params)
{
    struct jsonrpc_msg *msg = msg_create(JSONRPC_NOTIFY);
    msg->method = xstrdup(method);
    msg->params = params_or_empty(params);
    return msg;
}

struct jsonrpc_msg *
jsonrpc_create_reply(struct json_object *result, const struct json_object *id)
{
    struct jsonrpc_msg *msg = msg_create(JSONRPC_REPLY);
    msg->result = result;
    msg->id = json_object_get((struct json_object *) id);
    return msg;
}

struct jsonrpc_msg *
jsonrpc_create_error(struct json_object *error, const struct json_object *id)
{
    struct jsonrpc_msg *msg = msg_create(JSONRPC_ERROR);
    msg->error = error;
    msg->id = json_object_get((struct json_object *) id);
    return msg;
}

void
jsonrpc_msg_destroy(struct jsonrpc_msg *msg)
{
    if (msg) {
        free(msg->method);
        json_object_put(msg->params);
        json_object_put(msg->result);
        json_object_put(msg->error);
        json_object_put(msg->id);
        free(msg);
    }
}

const char *
jsonrpc_msg_type_to_string(enum jsonrpc_msg_type type)
{
    switch (type) {
    case JSONRPC_REQUEST: return "request";
    case JSONRPC_NOTIFY: return "notification";
    case JSONRPC_REPLY: return "reply";
    case JSONRPC_ERROR: return "error";
    }
    return "(unknown)";
}

/* Takes member 'name' out of 'json' (a new reference in '*valuep') and
 * returns whether it was there. */
static bool
take_member(struct json_object *json, const char *name,
            struct json_object **valuep)
{
    struct json_object *value;
    if (!json_object_object_get_ex(json, name, &value)) {
        *valuep = NULL;
        return false;
    }
    *valuep = json_object_get(value);
    json_object_object_del(json, name);
    return true;
}

/* Checks the members of 'msg' against the rules for its type.  Returns
 * NULL or an error message (caller frees). */
static char *
msg_check(const struct jsonrpc_msg *msg, bool has_params, bool has_result,
          bool has_error)
{
    const char *type = jsonrpc_msg_type_to_string(msg->type);

    switch (msg->type) {
    case JSONRPC_REQUEST:
    case JSONRPC_NOTIFY:
        if (!has_params) {
            return xasprintf("%s \"%s\" lacks \"params\"", type,
                             msg->method);
        }
        if (!json_object_is_type(msg->params, json_type_array)) {
            return xasprintf("\"params\" of %s \"%s\" is %s, expected an "
                             "array", type, msg->method,
                             json_type_describe(
                                 json_object_get_type(msg->params)));
        }
        if (has_result || has_error) {
            return xasprintf("%s \"%s\" must not have \"result\" or "
                             "\"error\"", type, msg->method);
        }
        break;
    case JSONRPC_REPLY:
        if (!msg->id) {
            return xstrdup("reply has null or missing \"id\"");
        }
        if (has_params) {
            return xstrdup("reply must not have \"params\"");
        }
        break;
    case JSONRPC_ERROR:
        if (msg->result) {
            return xstrdup("error reply has non-null \"result\"");
        }
        if (has_params) {
            return xstrdup("error reply must not have \"params\"");
        }
        break;
    }
    return NULL;
}

int
jsonrpc_msg_from_json(struct json_object *json, struct jsonrpc_msg **msgp,
                      char **errorp)
{
    struct jsonrpc_msg *msg = NULL;
    char *error = NULL;

    *msgp = NULL;
    if (!json_object_is_type(json, json_type_object)) {
        error = xasprintf("message is %s, expected an object",
                          json_type_describe(json_object_get_type(json)));
        goto out;
    }

    struct json_object *method, *params, *result, *err, *id;
    bool has_method = take_member(json, "method", &method);
    bool has_params = take_member(json, "params", &params);
    bool has_result = take_member(json, "result", &result);
    bool has_error = take_member(json, "error", &err);
    take_member(json, "id", &id);

    msg = xzalloc(sizeof *msg);
    msg->params = params;
    msg->result = result;
    msg->error = err;
    msg->id = id;

    if (json_object_object_length(json)) {
        json_object_object_foreach (json, name, value) {
            (void) value;
            error = xasprintf("message has unexpected member \"%s\"", name);
            break;
        }
        json_object_put(method);
    } else if (has_method) {
        if (!json_object_is_type(method, json_type_string)) {
            error = xasprintf("\"method\" is %s, expected a string",
                              json_type_describe(
                                  json_object_get_type(method)));
        } else {
            msg->method = xstrdup(json_object_get_string(method));
            msg->type = id ? JSONRPC_REQUEST : JSONRPC_NOTIFY;
        }
        json_object_put(method);
    } else if (has_error && err) {
        msg->type = JSONRPC_ERROR;
    } else if (has_result) {
        msg->type = JSONRPC_REPLY;
    } else {
        error = xstrdup("message has no \"method\", \"result\" or \"error\"");
    }
    if (!error) {
        error = msg_check(msg, has_params, has_result, has_error);
    }

out:
    json_object_put(json);
    if (error) {
        jsonrpc_msg_destroy(msg);
        if (errorp) {
            *errorp = error;
        } else {
            free(error);
        }
        return EPROTO;
    }
    if (errorp) {
        *errorp = NULL;
    }
    *msgp = msg;
    return 0;
}

static struct json_object *
ref(struct json_object *j)
{
    return json_object_get(j);
}

struct json_object *
jsonrpc_msg_to_json(const struct jsonrpc_msg *msg)
{
    struct json_object *json = json_object_new_object();

    switch (msg->type) {
    case JSONRPC_REQUEST:
    case JSONRPC_NOTIFY:
        json_object_object_add(json, "method",
                               json_object_new_string(msg->method));
        json_object_object_add(json, "params", ref(msg->params));
        json_object_object_add(json, "id", ref(msg->id));
        break;
    case JSONRPC_REPLY:
    case JSONRPC_ERROR:
        json_object_object_add(json, "result", ref(msg->result));
        json_object_object_add(json, "error", ref(msg->error));
        json_object_object_add(json, "id", ref(msg->id));
        break;
    }
    return json;
}

char *
jsonrpc_msg_to_string(const struct jsonrpc_msg *msg)
{
    struct json_object *json = jsonrpc_msg_to_json(msg);
    char *s = json_to_string(json, 0);
    json_object_put(json);
    return s;
}
