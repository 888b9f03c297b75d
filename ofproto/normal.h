/* NORMAL switching: translates a datapath flow key into megaflow actions
 * and a mask that covers only the fields the decision looked at (in_port,
 * VLAN, Ethernet source and destination), learning MACs on the way.
 *
 * VLAN semantics follow the Port columns users know: 'tag', 'trunks',
 * 'vlan_mode' (access, trunk, native-tagged, native-untagged). */
#ifndef NORMAL_H
#define NORMAL_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "datapath/bpf/dp-key.h"
#include "hmap.h"

struct mac_learning;

enum port_vlan_mode {
    PORT_VLAN_DEFAULT,          /* access if 'tag' is set, else trunk. */
    PORT_VLAN_ACCESS,
    PORT_VLAN_TRUNK,
    PORT_VLAN_NATIVE_TAGGED,
    PORT_VLAN_NATIVE_UNTAGGED,
};

struct normal_port {
    struct hmap_node node;      /* In normal_bridge 'ports', by port_no. */
    uint32_t port_no;
    enum port_vlan_mode mode;
    int tag;                    /* Access or native VLAN, -1 if none. */
    uint8_t trunks[4096 / 8];   /* Bitmap; used if 'all_trunks' is false. */
    bool all_trunks;            /* Empty 'trunks' column: every VLAN. */
};

struct normal_bridge {
    struct hmap ports;          /* Contains struct normal_port. */
    struct mac_learning *ml;    /* Not owned. */
};

#define NORMAL_MAX_ACTIONS 256

struct normal_xlate {
    struct dp_key mask;
    struct dp_action actions[NORMAL_MAX_ACTIONS];
    size_t n_actions;
    bool learned;               /* The MAC table changed. */
};

void normal_bridge_init(struct normal_bridge *, struct mac_learning *);
void normal_bridge_destroy(struct normal_bridge *);
struct normal_port *normal_port_find(const struct normal_bridge *,
                                     uint32_t port_no);
/* Adds or replaces port 'port_no' with VLAN settings.  'trunks' holds
 * 'n_trunks' VLAN ids (0 means all VLANs). */
void normal_port_set(struct normal_bridge *, uint32_t port_no,
                     enum port_vlan_mode, int tag, const int *trunks,
                     size_t n_trunks);
void normal_port_remove(struct normal_bridge *, uint32_t port_no);
/* Parses "access", "trunk", "native-tagged", "native-untagged" ("" or NULL:
 * default); false if unknown. */
bool port_vlan_mode_from_string(const char *, enum port_vlan_mode *);

/* Translates 'key' (the full key of a packet); with 'learn', updates the
 * MAC table at 'now'.  Always succeeds: a packet the bridge must not
 * forward gets empty actions (drop). */
void normal_xlate(struct normal_bridge *, const struct dp_key *key,
                  bool learn, long long now, struct normal_xlate *);

#endif /* normal.h */
