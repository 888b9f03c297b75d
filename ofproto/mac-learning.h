/* MAC learning table for NORMAL switching: (MAC, VLAN) -> port, with
 * aging, a size limit (least recently seen entry evicted first) and moves.
 * Times are passed in (monotonic msec) so tests control the clock.  Not
 * thread-safe: owned by the thread that runs the bridge. */
#ifndef MAC_LEARNING_H
#define MAC_LEARNING_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hmap.h"
#include "list.h"

#define MAC_AGING_DEFAULT 300       /* Seconds. */
#define MAC_TABLE_SIZE_DEFAULT 8192

struct mac_entry {
    struct hmap_node hmap_node;     /* In mac_learning 'table'. */
    struct vs_list lru_node;        /* In mac_learning 'lru', oldest first. */
    uint8_t mac[6];
    uint16_t vlan;
    uint32_t port;
    long long expires;              /* Msec. */
};

struct mac_learning {
    struct hmap table;
    struct vs_list lru;
    unsigned int idle_time;         /* Seconds. */
    size_t max_entries;
    uint64_t seq;                   /* Bumped on every change that can
                                     * alter a forwarding decision. */
};

struct mac_learning *mac_learning_create(unsigned int idle_time);
void mac_learning_destroy(struct mac_learning *);
void mac_learning_set_idle_time(struct mac_learning *, unsigned int secs);
void mac_learning_set_max_entries(struct mac_learning *, size_t);

static inline bool
mac_is_multicast(const uint8_t mac[6])
{
    return mac[0] & 1;
}

/* Records that 'mac' on 'vlan' was seen on 'port' at 'now'.  Returns true
 * if that is news (a new entry or a move), false for a refresh or a MAC
 * that cannot be learned (multicast). */
bool mac_learning_learn(struct mac_learning *, const uint8_t mac[6],
                        uint16_t vlan, uint32_t port, long long now);
/* Returns the port for 'mac' on 'vlan', 0 if unknown. */
uint32_t mac_learning_lookup(const struct mac_learning *, const uint8_t mac[6],
                             uint16_t vlan);
/* Removes entries idle too long; returns how many. */
size_t mac_learning_expire(struct mac_learning *, long long now);
/* Earliest expiry time, LLONG_MAX if empty. */
long long mac_learning_next_expiry(const struct mac_learning *);
void mac_learning_flush(struct mac_learning *);
void mac_learning_flush_port(struct mac_learning *, uint32_t port);
static inline size_t mac_learning_count(const struct mac_learning *ml) { return hmap_count(&ml->table); }

#define MAC_LEARNING_FOR_EACH(E, ML) VS_LIST_FOR_EACH (E, lru_node, &(ML)->lru)

#endif /* mac-learning.h */
