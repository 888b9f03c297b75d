#include <config.h>
#include "ovsdb/ovsdb-jsonrpc-server.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "dynamic-string.h"
#include "json.h"
#include "jsonrpc.h"
#include "list.h"
#include "poll-loop.h"
#include "socket-util.h"
#include "stream.h"
#include "timeval.h"
#include "vlog.h"
#include "ovsdb/ovsdb.h"
#include "ovsdb/ovsdb-error.h"
#include "ovsdb/ovsdb-execute.h"
#include "ovsdb/ovsdb-file.h"
#include "ovsdb/ovsdb-lock.h"
#include "ovsdb/ovsdb-monitor.h"
#include "ovsdb/ovsdb-schema.h"

VLOG_DEFINE_THIS_MODULE(ovsdb_jsonrpc_server);

/* Messages handled per session per run, so one busy client cannot starve
 * the others. */
#define MAX_MSGS_PER_RUN 50

struct served_db {
    struct ovsdb *db;
    struct ovsdb_file *file;            /* Its journal, or NULL. */
    bool read_only;
    unsigned long long seen_commits;    /* For retrying "wait" triggers. */
};

struct remote {
    struct vs_list node;
    char *name;
    struct pstream *listener;           /* Passive remote, or... */
    struct jsonrpc_session *connector;  /* ...active remote (reconnects). */
    struct session *session;            /* The active remote's session. */
    bool dynamic;
};

struct session_monitor {
    struct vs_list node;
    struct ovsdb_monitor *monitor;
};

struct trigger {
    struct vs_list node;
    struct json_object *id;         /* Owned. */
    struct json_object *params;     /* Owned. */
    struct served_db *sdb;
    long long created;
    long long deadline;             /* time_msec() when it times out. */
};

struct session {
    struct vs_list node;
    struct ovsdb_jsonrpc_server *server;
    struct remote *active;          /* Set if we connected out for it. */
    struct jsonrpc_session *js;     /* Owned, unless 'active' owns it. */
    unsigned int js_seqno;          /* A change means a new connection. */
    struct vs_list monitors;        /* session_monitor. */
    struct vs_list triggers;
    struct ovsdb_lock_owner locks;
};

/* A transact reply held back until the journal is synced (group commit). */
struct deferred {
    struct vs_list node;            /* In server->deferred. */
    struct session *session;
    struct jsonrpc_msg *msg;        /* Owned. */
};

struct ovsdb_jsonrpc_server {
    struct vs_list deferred;        /* struct deferred, in arrival order. */
    struct served_db *dbs;
    size_t n_dbs;
    struct vs_list remotes;
    struct vs_list sessions;
    struct ovsdb_lock_table *locks;
    char server_id[UUID_LEN + 1];
    size_t max_msg_size, max_backlog;   /* Per connection. */
};

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(10, 30);
/* Separate, so many ordinary disconnects never hide an error. */
static struct vlog_rate_limit disconnect_rl = VLOG_RATE_LIMIT_INIT(10, 30);

static void session_destroy(struct session *);
static struct session *session_create(struct ovsdb_jsonrpc_server *,
                                      struct jsonrpc_session *);
static void remote_destroy(struct remote *);
static void lock_notify(void *sess, const char *event, const char *name);
static void retry_triggers(struct ovsdb_jsonrpc_server *, struct served_db *, bool all);

struct ovsdb_jsonrpc_server *
ovsdb_jsonrpc_server_create(void)
{
    struct ovsdb_jsonrpc_server *s = xzalloc(sizeof *s);
    struct uuid id;
    vs_list_init(&s->remotes);
    vs_list_init(&s->sessions);
    s->locks = ovsdb_lock_table_create(lock_notify);
    vs_list_init(&s->deferred);
    s->max_msg_size = 64 * 1024 * 1024;
    s->max_backlog = 64 * 1024 * 1024;
    uuid_generate(&id);
    uuid_format(&id, s->server_id);
    return s;
}

void
ovsdb_jsonrpc_server_destroy(struct ovsdb_jsonrpc_server *s)
{
    if (!s) {
        return;
    }
    struct session *sess, *next_sess;
    VS_LIST_FOR_EACH_SAFE (sess, next_sess, node, &s->sessions) {
        session_destroy(sess);
    }
    struct remote *r, *next_r;
    VS_LIST_FOR_EACH_SAFE (r, next_r, node, &s->remotes) {
        remote_destroy(r);
    }
    ovsdb_lock_table_destroy(s->locks);
    free(s->dbs);
    free(s);
}

void
ovsdb_jsonrpc_server_set_limits(struct ovsdb_jsonrpc_server *s,
                                size_t max_msg_size, size_t max_backlog)
{
    s->max_msg_size = max_msg_size;
    s->max_backlog = max_backlog;
}

/* Gives a new connection the server's limits; no echo probes (clients
 * probe us if they want to). */
static void
configure_js(const struct ovsdb_jsonrpc_server *s, struct jsonrpc_session *js)
{
    jsonrpc_session_set_probe_interval(js, 0);
    jsonrpc_session_set_max_msg_size(js, s->max_msg_size);
    jsonrpc_session_set_max_backlog(js, s->max_backlog);
}

void
ovsdb_jsonrpc_server_add_db(struct ovsdb_jsonrpc_server *s, struct ovsdb *db,
                            bool read_only)
{
    s->dbs = xrealloc(s->dbs, (s->n_dbs + 1) * sizeof *s->dbs);
    s->dbs[s->n_dbs].db = db;
    s->dbs[s->n_dbs].read_only = read_only;
    s->dbs[s->n_dbs].seen_commits = db->n_commits;
    s->dbs[s->n_dbs].file = ovsdb_file_from_db(db);
    if (s->dbs[s->n_dbs].file) {
        ovsdb_file_set_group_commit(s->dbs[s->n_dbs].file, true);
    }
    s->n_dbs++;
}

static struct served_db *
find_db(struct ovsdb_jsonrpc_server *s, const char *name)
{
    for (size_t i = 0; i < s->n_dbs; i++) {
        if (!strcmp(s->dbs[i].db->schema->name, name)) {
            return &s->dbs[i];
        }
    }
    return NULL;
}

static struct remote *
find_remote(const struct ovsdb_jsonrpc_server *s, const char *name)
{
    struct remote *r;
    VS_LIST_FOR_EACH (r, node, &s->remotes) {
        if (!strcmp(r->name, name)) {
            return r;
        }
    }
    return NULL;
}

static void
remote_destroy(struct remote *r)
{
    vs_list_remove(&r->node);
    if (r->session) {
        r->session->active = NULL;
        session_destroy(r->session);
    }
    pstream_close(r->listener);
    jsonrpc_session_close(r->connector);
    free(r->name);
    free(r);
}

/* A typo in an active remote fails at once, as a listener's would, rather
 * than in every reconnection attempt. */
static int
verify_active_name(const char *name)
{
    int error = stream_verify_name(name);
    if (!error && (str_starts_with(name, "tcp:")
                   || str_starts_with(name, "ssl:"))) {
        struct sockaddr_storage ss;
        socklen_t len;
        error = inet_parse_active(name + 4, &ss, &len);
    }
    return error;
}

int
ovsdb_jsonrpc_server_add_remote(struct ovsdb_jsonrpc_server *s, const char *name,
                                bool dynamic)
{
    struct remote *r = find_remote(s, name);
    if (r) {
        r->dynamic &= dynamic;
        return 0;
    }
    r = xzalloc(sizeof *r);
    int error;
    if (!pstream_verify_name(name)) {
        error = pstream_open(name, &r->listener);
    } else {
        error = verify_active_name(name);
        if (!error) {
            /* Reconnects with a 1 s to 8 s backoff. */
            r->connector = jsonrpc_session_open(name, true);
            jsonrpc_session_set_backoff(r->connector, 1000, 8000);
            configure_js(s, r->connector);
        }
    }
    if (error) {
        free(r);
        return error;
    }
    r->name = xstrdup(name);
    r->dynamic = dynamic;
    vs_list_push_back(&s->remotes, &r->node);
    VLOG_INFO("%s: %s", name, r->listener ? "listening" : "connecting");
    return 0;
}

bool
ovsdb_jsonrpc_server_remove_remote(struct ovsdb_jsonrpc_server *s, const char *name)
{
    struct remote *r = find_remote(s, name);
    if (!r) {
        return false;
    }
    remote_destroy(r);
    return true;
}

void
ovsdb_jsonrpc_server_sync_dynamic(struct ovsdb_jsonrpc_server *s, char **names, size_t n)
{
    struct remote *r, *next;
    VS_LIST_FOR_EACH_SAFE (r, next, node, &s->remotes) {
        if (!r->dynamic) {
            continue;
        }
        bool keep = false;
        for (size_t i = 0; i < n && !keep; i++) {
            keep = !strcmp(names[i], r->name);
        }
        if (!keep) {
            VLOG_INFO("%s: no longer listed in the database, closing", r->name);
            remote_destroy(r);
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (!find_remote(s, names[i])) {
            int error = ovsdb_jsonrpc_server_add_remote(s, names[i], true);
            if (error) {
                VLOG_WARN_RL(&rl, "%s: cannot use remote (%s)", names[i], vs_strerror(error));
            }
        }
    }
}

void
ovsdb_jsonrpc_server_list_remotes(const struct ovsdb_jsonrpc_server *s, struct ds *ds)
{
    struct remote *r;
    VS_LIST_FOR_EACH (r, node, &s->remotes) {
        ds_put_format(ds, "%s%s\n", r->name,
                      r->connector ? (r->session ? " (connected)" : " (connecting)") : "");
    }
}

int
ovsdb_jsonrpc_server_get_port(const struct ovsdb_jsonrpc_server *s, const char *name)
{
    struct remote *r = find_remote(s, name);
    return r && r->listener ? pstream_get_bound_port(r->listener) : 0;
}

/* ---- Messages ---- */

/* A send that overflows the backlog breaks the connection; session_run()
 * then notices and logs it. */
static void
send_msg(struct session *sess, struct jsonrpc_msg *msg)
{
    jsonrpc_session_send(sess->js, msg);
}

static void
send_reply(struct session *sess, struct json_object *id, struct json_object *result)
{
    send_msg(sess, jsonrpc_create_reply(result, id));
}

static void
send_error(struct session *sess, struct json_object *id, struct json_object *error)
{
    send_msg(sess, jsonrpc_create_error(error, id));
}

static void
send_error_str(struct session *sess, struct json_object *id, const char *error)
{
    send_error(sess, id, json_object_new_string(error));
}

static void
send_ovsdb_error(struct session *sess, struct json_object *id, struct ovsdb_error *e)
{
    send_error(sess, id, ovsdb_error_to_json(e));
    ovsdb_error_destroy(e);
}

static void
send_notify(struct session *sess, const char *method, struct json_object *params)
{
    send_msg(sess, jsonrpc_create_notify(method, params));
}

static void
monitor_notify(void *owner, const char *method, struct json_object *params)
{
    send_notify(owner, method, params);
}

/* ---- Locks ---- */

static void
lock_notify(void *sess, const char *event, const char *name)
{
    send_notify(sess, event, json_array_build(1, json_object_new_string(name)));
}

static bool
session_has_lock(void *sess_, const char *name)
{
    struct session *sess = sess_;
    return ovsdb_lock_is_held(&sess->locks, name);
}

static void
handle_lock(struct session *sess, const char *method, struct json_object *params,
            struct json_object *id)
{
    struct json_object *name_json = json_object_array_length(params) == 1
                                    ? json_object_array_get_idx(params, 0) : NULL;
    if (!json_object_is_type(name_json, json_type_string)) {
        send_error_str(sess, id, "invalid lock name");
        return;
    }
    const char *name = json_object_get_string(name_json);
    struct ovsdb_lock_table *locks = sess->server->locks;

    if (!strcmp(method, "unlock")) {
        if (ovsdb_lock_release(locks, &sess->locks, name)) {
            send_error_str(sess, id, "not locking");
        } else {
            send_reply(sess, id, json_object_new_object());
        }
        return;
    }
    bool locked;
    if (ovsdb_lock_acquire(locks, &sess->locks, name, !strcmp(method, "steal"), &locked)) {
        send_error_str(sess, id, "duplicate lock");
        return;
    }
    send_reply(sess, id, json_object_build(1, "locked", json_object_new_boolean(locked)));
}

/* ---- Transactions and triggers ---- */

/* Runs the transaction; returns true if it completed (reply sent). */
static bool
try_transact(struct session *sess, struct served_db *sdb, struct json_object *id,
             struct json_object *params, long long elapsed, long long *timeout)
{
    struct ovsdb_exec_env env = { session_has_lock, sess, sdb->read_only };
    struct json_object *result = ovsdb_execute(sdb->db, &env, params, elapsed, timeout);
    if (!result) {
        return false;
    }
    if (sdb->file && ovsdb_file_needs_sync(sdb->file)) {
        /* Durable: the reply waits for the sync at the end of this round,
         * which covers every transaction committed in the round. */
        struct deferred *d = xmalloc(sizeof *d);
        d->session = sess;
        d->msg = jsonrpc_create_reply(result, id);
        vs_list_push_back(&sess->server->deferred, &d->node);
        return true;
    }
    send_reply(sess, id, result);
    return true;
}

static void
trigger_destroy(struct trigger *t)
{
    vs_list_remove(&t->node);
    json_object_put(t->id);
    json_object_put(t->params);
    free(t);
}

static void
handle_transact(struct session *sess, struct json_object *params, struct json_object *id)
{
    struct json_object *db_name = json_object_array_length(params)
                                  ? json_object_array_get_idx(params, 0) : NULL;
    struct served_db *sdb = json_object_is_type(db_name, json_type_string)
                            ? find_db(sess->server, json_object_get_string(db_name))
                            : NULL;
    if (!sdb) {
        send_ovsdb_error(sess, id, ovsdb_error("unknown database", NULL));
        return;
    }
    long long timeout;
    if (try_transact(sess, sdb, id, params, 0, &timeout)) {
        return;
    }
    struct trigger *t = xzalloc(sizeof *t);
    t->id = json_object_get(id);
    t->params = json_object_get(params);
    t->sdb = sdb;
    t->created = time_msec();
    t->deadline = timeout == LLONG_MAX ? LLONG_MAX : t->created + timeout;
    vs_list_push_back(&sess->triggers, &t->node);
}

static void
retry_triggers(struct ovsdb_jsonrpc_server *s, struct served_db *sdb, bool all)
{
    long long now = time_msec();
    struct session *sess;
    VS_LIST_FOR_EACH (sess, node, &s->sessions) {
        struct trigger *t, *next;
        VS_LIST_FOR_EACH_SAFE (t, next, node, &sess->triggers) {
            if ((all || t->sdb == sdb || now >= t->deadline)) {
                long long timeout;
                if (try_transact(sess, t->sdb, t->id, t->params, now - t->created,
                                 &timeout)) {
                    trigger_destroy(t);
                }
            }
        }
    }
}

static void
handle_cancel(struct session *sess, struct json_object *params)
{
    struct json_object *target = json_object_array_length(params) == 1
                                 ? json_object_array_get_idx(params, 0) : NULL;
    struct trigger *t, *next;
    VS_LIST_FOR_EACH_SAFE (t, next, node, &sess->triggers) {
        if (json_equal(t->id, target)) {
            send_ovsdb_error(sess, t->id, ovsdb_error("canceled", NULL));
            trigger_destroy(t);
            return;
        }
    }
}

/* ---- Monitors ---- */

static struct session_monitor *
find_monitor(struct session *sess, struct json_object *id)
{
    struct session_monitor *sm;
    VS_LIST_FOR_EACH (sm, node, &sess->monitors) {
        if (json_equal(ovsdb_monitor_get_id(sm->monitor), id)) {
            return sm;
        }
    }
    return NULL;
}

static void
handle_monitor(struct session *sess, const char *method, struct json_object *params,
               struct json_object *id)
{
    int version = !strcmp(method, "monitor") ? 1
                  : !strcmp(method, "monitor_cond") ? 2 : 3;
    size_t n = json_object_array_length(params);
    if (n != (version == 3 ? 4u : 3u) && !(version == 1 && n == 2)) {
        send_ovsdb_error(sess, id, ovsdb_syntax_error(params, "bad %s parameters", method));
        return;
    }
    struct json_object *db_name = json_object_array_get_idx(params, 0);
    struct served_db *sdb = json_object_is_type(db_name, json_type_string)
                            ? find_db(sess->server, json_object_get_string(db_name))
                            : NULL;
    if (!sdb) {
        send_ovsdb_error(sess, id, ovsdb_error("unknown database", NULL));
        return;
    }
    struct json_object *mon_id = json_object_array_get_idx(params, 1);
    struct json_object *reqs = n > 2 ? json_object_array_get_idx(params, 2) : NULL;
    if (find_monitor(sess, mon_id)) {
        send_error_str(sess, id, "duplicate monitor ID");
        return;
    }
    struct json_object *empty = NULL;
    if (!reqs) {
        reqs = empty = json_object_new_object();
    }
    struct ovsdb_monitor *m;
    struct json_object *initial;
    struct ovsdb_error *error = ovsdb_monitor_create(sdb->db, version, mon_id, reqs,
                                                     monitor_notify, sess, &m, &initial);
    json_object_put(empty);
    if (error) {
        send_ovsdb_error(sess, id, error);
        return;
    }
    struct session_monitor *sm = xzalloc(sizeof *sm);
    sm->monitor = m;
    vs_list_push_back(&sess->monitors, &sm->node);
    if (version == 3) {
        /* No transaction history is kept: always a full resync. */
        initial = json_array_build(3, json_object_new_boolean(false),
                                   json_object_new_string("00000000-0000-0000-0000-000000000000"),
                                   initial);
    }
    send_reply(sess, id, initial);
}

static void
monitor_remove(struct session_monitor *sm)
{
    vs_list_remove(&sm->node);
    ovsdb_monitor_destroy(sm->monitor);
    free(sm);
}

static void
handle_monitor_cancel(struct session *sess, struct json_object *params,
                      struct json_object *id)
{
    struct session_monitor *sm = json_object_array_length(params) == 1
        ? find_monitor(sess, json_object_array_get_idx(params, 0)) : NULL;
    if (!sm) {
        send_error_str(sess, id, "unknown monitor");
        return;
    }
    monitor_remove(sm);
    send_reply(sess, id, json_object_new_object());
}

static void
handle_monitor_cond_change(struct session *sess, struct json_object *params,
                           struct json_object *id)
{
    if (json_object_array_length(params) != 3) {
        send_ovsdb_error(sess, id, ovsdb_syntax_error(params, "bad monitor_cond_change parameters"));
        return;
    }
    struct session_monitor *sm = find_monitor(sess, json_object_array_get_idx(params, 0));
    struct json_object *new_id = json_object_array_get_idx(params, 1);
    if (!sm) {
        send_error_str(sess, id, "unknown monitor");
        return;
    }
    if (!json_equal(new_id, ovsdb_monitor_get_id(sm->monitor))) {
        if (find_monitor(sess, new_id)) {
            send_error_str(sess, id, "duplicate monitor ID");
            return;
        }
        ovsdb_monitor_set_id(sm->monitor, new_id);
    }
    struct ovsdb_error *error = ovsdb_monitor_change_conditions(
        sm->monitor, json_object_array_get_idx(params, 2));
    if (error) {
        send_ovsdb_error(sess, id, error);
        return;
    }
    send_reply(sess, id, json_object_new_object());
}

/* ---- Dispatch ---- */

static void
handle_request(struct session *sess, const char *method, struct json_object *params,
               struct json_object *id)
{
    struct ovsdb_jsonrpc_server *s = sess->server;

    if (!strcmp(method, "transact")) {
        handle_transact(sess, params, id);
    } else if (!strcmp(method, "monitor") || !strcmp(method, "monitor_cond")
               || !strcmp(method, "monitor_cond_since")) {
        handle_monitor(sess, method, params, id);
    } else if (!strcmp(method, "monitor_cancel")) {
        handle_monitor_cancel(sess, params, id);
    } else if (!strcmp(method, "monitor_cond_change")) {
        handle_monitor_cond_change(sess, params, id);
    } else if (!strcmp(method, "echo")) {
        send_reply(sess, id, json_object_get(params));
    } else if (!strcmp(method, "list_dbs")) {
        struct json_object *dbs = json_object_new_array();
        for (size_t i = 0; i < s->n_dbs; i++) {
            json_object_array_add(dbs, json_object_new_string(s->dbs[i].db->schema->name));
        }
        send_reply(sess, id, dbs);
    } else if (!strcmp(method, "get_schema")) {
        struct json_object *name = json_object_array_length(params) == 1
                                   ? json_object_array_get_idx(params, 0) : NULL;
        struct served_db *sdb = json_object_is_type(name, json_type_string)
                                ? find_db(s, json_object_get_string(name)) : NULL;
        if (!sdb) {
            send_ovsdb_error(sess, id, ovsdb_error("unknown database", NULL));
        } else {
            send_reply(sess, id, ovsdb_schema_to_json(sdb->db->schema));
        }
    } else if (!strcmp(method, "lock") || !strcmp(method, "steal")
               || !strcmp(method, "unlock")) {
        handle_lock(sess, method, params, id);
    } else if (!strcmp(method, "get_server_id")) {
        send_reply(sess, id, json_object_new_string(s->server_id));
    } else if (!strcmp(method, "set_db_change_aware")) {
        send_reply(sess, id, json_object_new_object());
    } else {
        send_error_str(sess, id, "unknown method");
    }
}

static void
handle_msg(struct session *sess, struct json_object *msg)
{
    struct json_object *method = NULL, *params = NULL, *id = NULL;
    bool has_id = json_object_is_type(msg, json_type_object)
                  && json_object_object_get_ex(msg, "id", &id);

    if (!json_object_is_type(msg, json_type_object)) {
        VLOG_WARN_RL(&rl, "%s: received non-object JSON-RPC message",
                     jsonrpc_session_get_name(sess->js));
        send_error_str(sess, NULL, "invalid JSON-RPC message");
        return;
    }
    json_object_object_get_ex(msg, "method", &method);
    json_object_object_get_ex(msg, "params", &params);
    if (!method) {
        /* A reply (to nothing we asked) or junk: replies are ignored. */
        if (!json_object_object_get_ex(msg, "result", NULL)
            && !json_object_object_get_ex(msg, "error", NULL)) {
            send_error_str(sess, id, "invalid JSON-RPC message");
        }
        return;
    }
    if (!json_object_is_type(method, json_type_string)
        || !json_object_is_type(params, json_type_array)) {
        VLOG_WARN_RL(&rl, "%s: malformed JSON-RPC request",
                     jsonrpc_session_get_name(sess->js));
        if (has_id && id) {
            send_error_str(sess, id, "invalid JSON-RPC request: needs a string "
                           "\"method\" and array \"params\"");
        }
        return;
    }
    const char *m = json_object_get_string(method);
    if (!has_id || !id) {
        /* Notifications: only "cancel" means something. */
        if (!strcmp(m, "cancel")) {
            handle_cancel(sess, params);
        }
        return;
    }
    handle_request(sess, m, params, id);
}

static struct session *
session_create(struct ovsdb_jsonrpc_server *s, struct jsonrpc_session *js)
{
    struct session *sess = xzalloc(sizeof *sess);
    sess->server = s;
    sess->js = js;
    sess->js_seqno = jsonrpc_session_get_seqno(js);
    vs_list_init(&sess->monitors);
    vs_list_init(&sess->triggers);
    ovsdb_lock_owner_init(&sess->locks, sess);
    vs_list_push_back(&s->sessions, &sess->node);
    VLOG_DBG("%s: connected", jsonrpc_session_get_name(js));
    return sess;
}

static void
session_destroy(struct session *sess)
{
    if (sess->active) {
        /* The remote keeps its jsonrpc_session, which reconnects. */
        sess->active->session = NULL;
        sess->js = NULL;
    }
    struct deferred *d, *next_d;
    VS_LIST_FOR_EACH_SAFE (d, next_d, node, &sess->server->deferred) {
        if (d->session == sess) {
            vs_list_remove(&d->node);
            jsonrpc_msg_destroy(d->msg);
            free(d);
        }
    }
    struct session_monitor *sm, *next_sm;
    VS_LIST_FOR_EACH_SAFE (sm, next_sm, node, &sess->monitors) {
        monitor_remove(sm);
    }
    struct trigger *t, *next_t;
    VS_LIST_FOR_EACH_SAFE (t, next_t, node, &sess->triggers) {
        trigger_destroy(t);
    }
    vs_list_remove(&sess->node);
    /* Releasing locks may notify other sessions, not this one. */
    ovsdb_lock_owner_release_all(sess->server->locks, &sess->locks);
    jsonrpc_session_close(sess->js);
    free(sess);
}

static void
session_run(struct session *sess)
{
    struct jsonrpc_session *js = sess->js;
    struct json_object *msg;
    for (int i = 0; i < MAX_MSGS_PER_RUN && jsonrpc_session_recv_json(js, &msg);
         i++) {
        handle_msg(sess, msg);
        json_object_put(msg);
    }
    jsonrpc_session_run(js);
    if (!jsonrpc_session_is_connected(js)
        || jsonrpc_session_get_seqno(js) != sess->js_seqno) {
        int error = jsonrpc_session_get_last_error(js);
        if (error == EOF) {
            VLOG_INFO_RL(&disconnect_rl, "%s: disconnected",
                         jsonrpc_session_get_name(js));
        } else {
            VLOG_WARN_RL(&rl, "%s: %s; disconnecting",
                         jsonrpc_session_get_name(js), vs_strerror(error));
        }
        session_destroy(sess);
    }
}

/* Syncs the journals that need it, then sends the replies that waited. */
static void
flush_deferred(struct ovsdb_jsonrpc_server *s)
{
    for (size_t i = 0; i < s->n_dbs; i++) {
        if (s->dbs[i].file && ovsdb_file_needs_sync(s->dbs[i].file)) {
            struct ovsdb_error *error = ovsdb_file_sync(s->dbs[i].file);
            if (error) {
                char *msg = ovsdb_error_to_string(error);
                VLOG_ERR_RL(&rl, "%s", msg);
                free(msg);
                ovsdb_error_destroy(error);
            }
        }
    }
    struct deferred *d;
    VS_LIST_FOR_EACH_POP (d, node, &s->deferred) {
        send_msg(d->session, d->msg);
        free(d);
    }
}

void
ovsdb_jsonrpc_server_run(struct ovsdb_jsonrpc_server *s)
{
    struct remote *r;
    VS_LIST_FOR_EACH (r, node, &s->remotes) {
        if (r->connector) {
            if (!r->session) {
                /* Connecting or backing off; session_run() runs it once a
                 * session holds it. */
                jsonrpc_session_run(r->connector);
                if (jsonrpc_session_is_connected(r->connector)) {
                    r->session = session_create(s, r->connector);
                    r->session->active = r;
                }
            }
            continue;
        }
        for (int i = 0; i < 32; i++) {
            struct stream *stream;
            int error = pstream_accept(r->listener, &stream);
            if (error) {
                if (error != EAGAIN) {
                    VLOG_WARN_RL(&rl, "%s: accept failed (%s)",
                                 r->name, vs_strerror(error));
                }
                break;
            }
            struct jsonrpc_session *js = jsonrpc_session_open_accepted(stream);
            configure_js(s, js);
            session_create(s, js);
        }
    }
    struct session *sess, *next;
    VS_LIST_FOR_EACH_SAFE (sess, next, node, &s->sessions) {
        session_run(sess);
    }
    /* Commits may have satisfied waits; deadlines may have passed. */
    for (size_t i = 0; i < s->n_dbs; i++) {
        if (s->dbs[i].seen_commits != s->dbs[i].db->n_commits) {
            s->dbs[i].seen_commits = s->dbs[i].db->n_commits;
            retry_triggers(s, &s->dbs[i], false);
        }
    }
    retry_triggers(s, NULL, false);
    flush_deferred(s);
}

void
ovsdb_jsonrpc_server_wait(struct ovsdb_jsonrpc_server *s)
{
    struct remote *r;
    VS_LIST_FOR_EACH (r, node, &s->remotes) {
        if (r->connector) {
            if (!r->session) {
                jsonrpc_session_wait(r->connector);
            }
        } else {
            pstream_wait(r->listener);
        }
    }
    struct session *sess;
    VS_LIST_FOR_EACH (sess, node, &s->sessions) {
        jsonrpc_session_wait(sess->js);
        jsonrpc_session_recv_wait(sess->js);
        struct trigger *t;
        VS_LIST_FOR_EACH (t, node, &sess->triggers) {
            if (t->deadline != LLONG_MAX) {
                poll_timer_wait_until(t->deadline);
            }
        }
    }
}

void
ovsdb_jsonrpc_server_get_memory_usage(const struct ovsdb_jsonrpc_server *s, struct ds *ds)
{
    size_t sessions = 0, monitors = 0, triggers = 0, backlog = 0, rows = 0;
    struct session *sess;
    VS_LIST_FOR_EACH (sess, node, &s->sessions) {
        sessions++;
        monitors += vs_list_size(&sess->monitors);
        triggers += vs_list_size(&sess->triggers);
        backlog += jsonrpc_session_get_backlog(sess->js);
    }
    for (size_t i = 0; i < s->n_dbs; i++) {
        for (size_t t = 0; t < s->dbs[i].db->schema->n_tables; t++) {
            rows += ovsdb_table_n_rows(s->dbs[i].db->tables[t]);
        }
    }
    ds_put_format(ds, "backlog:%zu monitors:%zu rows:%zu sessions:%zu triggers:%zu",
                  backlog, monitors, rows, sessions, triggers);
}
