/* MAC learning table (see mac-learning.h). */
#include <config.h>
#include "ofproto/mac-learning.h"
#include <limits.h>
#include <string.h>
#include "util.h"

static uint32_t
mac_hash(const uint8_t mac[6], uint16_t vlan)
{
    uint32_t a = (uint32_t) mac[0] << 24 | mac[1] << 16 | mac[2] << 8 | mac[3];
    uint32_t b = (uint32_t) mac[4] << 24 | mac[5] << 16 | vlan;
    return hash_finish(hash_add(hash_add(0, a), b), 8);
}

struct mac_learning *
mac_learning_create(unsigned int idle_time)
{
    struct mac_learning *ml = xzalloc(sizeof *ml);
    hmap_init(&ml->table);
    vs_list_init(&ml->lru);
    ml->idle_time = idle_time ? idle_time : MAC_AGING_DEFAULT;
    ml->max_entries = MAC_TABLE_SIZE_DEFAULT;
    return ml;
}

static void
remove_entry(struct mac_learning *ml, struct mac_entry *e)
{
    hmap_remove(&ml->table, &e->hmap_node);
    vs_list_remove(&e->lru_node);
    free(e);
    ml->seq++;
}

void
mac_learning_destroy(struct mac_learning *ml)
{
    if (ml) {
        mac_learning_flush(ml);
        hmap_destroy(&ml->table);
        free(ml);
    }
}

void
mac_learning_set_idle_time(struct mac_learning *ml, unsigned int secs)
{
    long long delta;
    struct mac_entry *e;

    secs = secs ? secs : MAC_AGING_DEFAULT;
    /* Existing entries age by the new time too, from when last seen. */
    delta = ((long long) secs - ml->idle_time) * 1000;
    VS_LIST_FOR_EACH (e, lru_node, &ml->lru) {
        e->expires += delta;
    }
    ml->idle_time = secs;
}

void
mac_learning_set_max_entries(struct mac_learning *ml, size_t n)
{
    ml->max_entries = n ? n : MAC_TABLE_SIZE_DEFAULT;
    while (hmap_count(&ml->table) > ml->max_entries) {
        remove_entry(ml, CONTAINER_OF(vs_list_front(&ml->lru),
                                      struct mac_entry, lru_node));
    }
}

static struct mac_entry *
find(const struct mac_learning *ml, const uint8_t mac[6], uint16_t vlan)
{
    struct mac_entry *e;
    HMAP_FOR_EACH_WITH_HASH (e, hmap_node, mac_hash(mac, vlan), &ml->table) {
        if (e->vlan == vlan && !memcmp(e->mac, mac, 6)) {
            return e;
        }
    }
    return NULL;
}

bool
mac_learning_learn(struct mac_learning *ml, const uint8_t mac[6],
                   uint16_t vlan, uint32_t port, long long now)
{
    struct mac_entry *e;
    bool news = false;

    if (mac_is_multicast(mac)) {
        return false;
    }
    e = find(ml, mac, vlan);
    if (!e) {
        if (hmap_count(&ml->table) >= ml->max_entries) {
            remove_entry(ml, CONTAINER_OF(vs_list_front(&ml->lru),
                                          struct mac_entry, lru_node));
        }
        e = xzalloc(sizeof *e);
        memcpy(e->mac, mac, 6);
        e->vlan = vlan;
        hmap_insert(&ml->table, &e->hmap_node, mac_hash(mac, vlan));
        vs_list_push_back(&ml->lru, &e->lru_node);
        news = true;
    } else {
        vs_list_remove(&e->lru_node);
        vs_list_push_back(&ml->lru, &e->lru_node);
        news = e->port != port;
    }
    e->port = port;
    e->expires = now + ml->idle_time * 1000LL;
    if (news) {
        ml->seq++;
    }
    return news;
}

uint32_t
mac_learning_lookup(const struct mac_learning *ml, const uint8_t mac[6],
                    uint16_t vlan)
{
    const struct mac_entry *e = find(ml, mac, vlan);
    return e ? e->port : 0;
}

size_t
mac_learning_expire(struct mac_learning *ml, long long now)
{
    struct mac_entry *e, *next;
    size_t n = 0;

    /* The LRU list is in refresh order, so expiry times are sorted too
     * (until the idle time changes; then a full pass is still right). */
    VS_LIST_FOR_EACH_SAFE (e, next, lru_node, &ml->lru) {
        if (e->expires <= now) {
            remove_entry(ml, e);
            n++;
        }
    }
    return n;
}

long long
mac_learning_next_expiry(const struct mac_learning *ml)
{
    long long t = LLONG_MAX;
    const struct mac_entry *e;
    MAC_LEARNING_FOR_EACH (e, ml) {
        t = MIN(t, e->expires);
    }
    return t;
}

void
mac_learning_flush(struct mac_learning *ml)
{
    struct mac_entry *e, *next;
    VS_LIST_FOR_EACH_SAFE (e, next, lru_node, &ml->lru) {
        remove_entry(ml, e);
    }
}

void
mac_learning_flush_port(struct mac_learning *ml, uint32_t port)
{
    struct mac_entry *e, *next;
    VS_LIST_FOR_EACH_SAFE (e, next, lru_node, &ml->lru) {
        if (e->port == port) {
            remove_entry(ml, e);
        }
    }
}
