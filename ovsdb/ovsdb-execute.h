/* The "transact" method (RFC 7047 section 4.1.3): runs the operations of
 * one request as a single transaction. */
#ifndef VS_OVSDB_EXECUTE_H
#define VS_OVSDB_EXECUTE_H 1

#include <stdbool.h>
#include <json-c/json.h>

struct ovsdb;

struct ovsdb_exec_env {
    /* Does the client hold lock 'name'?  NULL means no locks are held. */
    bool (*has_lock)(void *aux, const char *name);
    void *aux;
    bool read_only;             /* Only select, wait, comment, assert. */
};

/* Executes 'params' (["db-name", op...]) against 'db' and returns the
 * result array (caller owns it).  If a "wait" operation is not satisfied yet
 * and its timeout has not passed ('elapsed_msec' since the request came),
 * returns NULL, changes nothing and sets '*timeout_msec' to the time left
 * (LLONG_MAX if unlimited): the caller retries after the next commit or
 * when the time is up. */
struct json_object *ovsdb_execute(struct ovsdb *, const struct ovsdb_exec_env *,
                                  struct json_object *params,
                                  long long elapsed_msec, long long *timeout_msec);

#endif /* ovsdb/ovsdb-execute.h */
