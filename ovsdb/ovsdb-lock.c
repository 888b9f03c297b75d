#include <config.h>
#include "ovsdb/ovsdb-lock.h"

#include <errno.h>
#include <string.h>

#include "util.h"

struct lock {
    struct vs_list node;            /* In table->locks. */
    char *name;                     /* Owned. */
    struct vs_list waiters;         /* First one holds the lock. */
};

struct lock_waiter {
    struct vs_list lock_node;       /* In lock->waiters. */
    struct vs_list owner_node;      /* In owner->waiters. */
    struct lock *lock;
    struct ovsdb_lock_owner *owner;
};

struct ovsdb_lock_table {
    struct vs_list locks;
    ovsdb_lock_notify_cb *notify;
};

struct ovsdb_lock_table *
ovsdb_lock_table_create(ovsdb_lock_notify_cb *notify)
{
    struct ovsdb_lock_table *t = xzalloc(sizeof *t);
    vs_list_init(&t->locks);
    t->notify = notify;
    return t;
}

void
ovsdb_lock_table_destroy(struct ovsdb_lock_table *t)
{
    /* Owners release everything before the table goes. */
    if (t) {
        vs_assert(vs_list_is_empty(&t->locks));
        free(t);
    }
}

void
ovsdb_lock_owner_init(struct ovsdb_lock_owner *owner, void *aux)
{
    vs_list_init(&owner->waiters);
    owner->aux = aux;
}

static struct lock_waiter *
owner_find(const struct ovsdb_lock_owner *owner, const char *name)
{
    struct lock_waiter *w;
    VS_LIST_FOR_EACH (w, owner_node, &owner->waiters) {
        if (!strcmp(w->lock->name, name)) {
            return w;
        }
    }
    return NULL;
}

static struct lock_waiter *
lock_holder(const struct lock *lock)
{
    return vs_list_is_empty(&lock->waiters) ? NULL
           : CONTAINER_OF(vs_list_front(&lock->waiters), struct lock_waiter, lock_node);
}

static void
waiter_remove(struct ovsdb_lock_table *t, struct lock_waiter *w)
{
    struct lock *lock = w->lock;
    bool was_holder = lock_holder(lock) == w;

    vs_list_remove(&w->lock_node);
    vs_list_remove(&w->owner_node);
    free(w);
    if (vs_list_is_empty(&lock->waiters)) {
        vs_list_remove(&lock->node);
        free(lock->name);
        free(lock);
    } else if (was_holder) {
        t->notify(lock_holder(lock)->owner->aux, "locked", lock->name);
    }
}

void
ovsdb_lock_owner_release_all(struct ovsdb_lock_table *t, struct ovsdb_lock_owner *owner)
{
    while (!vs_list_is_empty(&owner->waiters)) {
        waiter_remove(t, CONTAINER_OF(vs_list_front(&owner->waiters),
                                      struct lock_waiter, owner_node));
    }
}

int
ovsdb_lock_acquire(struct ovsdb_lock_table *t, struct ovsdb_lock_owner *owner,
                   const char *name, bool steal, bool *locked)
{
    *locked = false;
    if (owner_find(owner, name)) {
        return EEXIST;
    }
    struct lock *lock;
    VS_LIST_FOR_EACH (lock, node, &t->locks) {
        if (!strcmp(lock->name, name)) {
            goto found;
        }
    }
    lock = xzalloc(sizeof *lock);
    lock->name = xstrdup(name);
    vs_list_init(&lock->waiters);
    vs_list_push_back(&t->locks, &lock->node);
found:;
    struct lock_waiter *w = xzalloc(sizeof *w);
    w->lock = lock;
    w->owner = owner;
    vs_list_push_back(&owner->waiters, &w->owner_node);
    struct lock_waiter *holder = lock_holder(lock);
    if (steal && holder) {
        /* The old holder loses the lock for good. */
        struct ovsdb_lock_owner *loser = holder->owner;
        vs_list_remove(&holder->lock_node);
        vs_list_remove(&holder->owner_node);
        free(holder);
        vs_list_push_front(&lock->waiters, &w->lock_node);
        t->notify(loser->aux, "stolen", name);
    } else {
        vs_list_push_back(&lock->waiters, &w->lock_node);
    }
    *locked = lock_holder(lock) == w;
    return 0;
}

int
ovsdb_lock_release(struct ovsdb_lock_table *t, struct ovsdb_lock_owner *owner,
                   const char *name)
{
    struct lock_waiter *w = owner_find(owner, name);
    if (!w) {
        return ENOENT;
    }
    waiter_remove(t, w);
    return 0;
}

bool
ovsdb_lock_is_held(const struct ovsdb_lock_owner *owner, const char *name)
{
    struct lock_waiter *w = owner_find(owner, name);
    return w && lock_holder(w->lock) == w;
}
