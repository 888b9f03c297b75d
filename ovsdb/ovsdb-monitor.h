/* Monitors (RFC 7047 "monitor" and the later "monitor_cond" and
 * "monitor_cond_since"): a client's standing request for a table's rows
 * and changes.  All monitors of a database share one replica that turns
 * each committed transaction into "update" (v1), "update2" (v2) or
 * "update3" (v3) notifications. */
#ifndef VS_OVSDB_MONITOR_H
#define VS_OVSDB_MONITOR_H 1

#include <json-c/json.h>

struct ovsdb;
struct ovsdb_error;
struct ovsdb_monitor;

/* Delivers a notification (method, params; ownership passes) to 'owner'. */
typedef void ovsdb_monitor_notify_cb(void *owner, const char *method,
                                     struct json_object *params);

/* Creates a monitor of 'version' (1, 2 or 3) on 'db' from 'requests' (the
 * {table: request(s)} object).  On success stores the initial contents in
 * '*initial' (table-updates or table-updates2) and returns NULL. */
struct ovsdb_error *ovsdb_monitor_create(struct ovsdb *, int version,
                                         struct json_object *monitor_id,
                                         struct json_object *requests,
                                         ovsdb_monitor_notify_cb *, void *owner,
                                         struct ovsdb_monitor **,
                                         struct json_object **initial)
    __attribute__((warn_unused_result));
void ovsdb_monitor_destroy(struct ovsdb_monitor *);
struct json_object *ovsdb_monitor_get_id(const struct ovsdb_monitor *);
void ovsdb_monitor_set_id(struct ovsdb_monitor *, struct json_object *);
/* monitor_cond_change: new conditions (columns stay).  Sends the rows that
 * enter or leave the monitored set as an update notification. */
struct ovsdb_error *ovsdb_monitor_change_conditions(struct ovsdb_monitor *,
                                                    struct json_object *requests)
    __attribute__((warn_unused_result));
/* Number of monitors open on 'db'. */
size_t ovsdb_monitor_count(const struct ovsdb *);

#endif /* ovsdb/ovsdb-monitor.h */
