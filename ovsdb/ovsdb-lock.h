/* Named locks shared by the server's clients (RFC 7047 section 4.1.8):
 * "lock" waits in line, "steal" takes the lock at once (the old owner is
 * told it was "stolen" and drops out), "unlock" passes it on (the next in
 * line is told it is "locked"). */
#ifndef VS_OVSDB_LOCK_H
#define VS_OVSDB_LOCK_H 1

#include <stdbool.h>
#include "list.h"

struct ovsdb_lock_table;

/* What a client holds or waits for; embed one per client. */
struct ovsdb_lock_owner {
    struct vs_list waiters;         /* struct lock_waiter, by owner. */
    void *aux;                      /* Passed to the notify callback. */
};

/* Tells 'owner_aux' that it got ("locked") or lost ("stolen") lock 'name'. */
typedef void ovsdb_lock_notify_cb(void *owner_aux, const char *event,
                                  const char *name);

struct ovsdb_lock_table *ovsdb_lock_table_create(ovsdb_lock_notify_cb *);
void ovsdb_lock_table_destroy(struct ovsdb_lock_table *);

void ovsdb_lock_owner_init(struct ovsdb_lock_owner *, void *aux);
/* Gives up everything 'owner' holds or waits for. */
void ovsdb_lock_owner_release_all(struct ovsdb_lock_table *, struct ovsdb_lock_owner *);

/* Asks for lock 'name', waiting in line or ('steal') taking it now.
 * Returns 0 with '*locked' telling whether it is held now, or EEXIST if
 * 'owner' already holds or waits for it. */
int ovsdb_lock_acquire(struct ovsdb_lock_table *, struct ovsdb_lock_owner *,
                       const char *name, bool steal, bool *locked);
/* Returns 0, or ENOENT if 'owner' neither holds nor waits for 'name'. */
int ovsdb_lock_release(struct ovsdb_lock_table *, struct ovsdb_lock_owner *,
                       const char *name);
bool ovsdb_lock_is_held(const struct ovsdb_lock_owner *, const char *name);

#endif /* ovsdb/ovsdb-lock.h */
