/* The database configuration source of vs-vswitchd: follows the
 * Open_vSwitch database through the client IDL, turns the Open_vSwitch,
 * Bridge, Port and Interface rows into a struct vs_cfg, and writes status
 * back (Interface ofport, mac_in_use, link_state, admin_state, mtu, error,
 * statistics; Open_vSwitch cur_cfg, ovs_version, datapath_types,
 * iface_types).  Reconnects when the server goes away. */
#ifndef CFG_OVSDB_H
#define CFG_OVSDB_H 1

#include <stdbool.h>

struct cfg_ovsdb;
struct vs_cfg;

struct cfg_ovsdb *cfg_ovsdb_create(const char *remote);
void cfg_ovsdb_destroy(struct cfg_ovsdb *);
/* Processes what the server sent.  Returns true, with '*cfg' filled in,
 * when the configuration must be (re)applied. */
bool cfg_ovsdb_run(struct cfg_ovsdb *, struct vs_cfg *cfg);
void cfg_ovsdb_wait(struct cfg_ovsdb *);

/* The SSL row the Open_vSwitch row refers to (strings owned by the
 * replica: valid until the next cfg_ovsdb_run()).  False if none. */
struct cfg_ovsdb_ssl {
    const char *private_key, *certificate, *ca_cert;
    bool bootstrap_ca_cert;
};
bool cfg_ovsdb_get_ssl(struct cfg_ovsdb *, struct cfg_ovsdb_ssl *);
/* Writes status back after the configuration was applied ('applied') or
 * periodically; 'stats' also refreshes the statistics columns.  Returns
 * false if the write must be retried. */
bool cfg_ovsdb_report(struct cfg_ovsdb *, bool applied, bool stats);

#endif /* cfg-ovsdb.h */
