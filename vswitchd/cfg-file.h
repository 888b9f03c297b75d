/* A configuration source for vs-vswitchd that reads a JSON file, for use
 * without a database (tests, bring-up, embedded hosts):
 *
 *   { "bridges": { "br0": {
 *       "datapath_type": "xdp",
 *       "other_config": { "mac-aging-time": "300", "mac-table-size": "8192",
 *                         "flow-idle-ms": "10000", "flow-limit": "65536" },
 *       "ports": { "p1": { "type": "system", "tag": 10, "trunks": [10, 20],
 *                          "vlan_mode": "trunk",
 *                          "options": { "xdp-tx": "true" } } },
 *       "controller": [ "tcp:127.0.0.1:6653",
 *                       { "target": "ptcp:6653", "max_backoff": 1000,
 *                         "inactivity_probe": 0,
 *                         "controller_rate_limit": 100,
 *                         "controller_burst_limit": 25 } ],
 *       "fail_mode": "secure", "protocols": [ "OpenFlow13" ],
 *       "flow_tables": { "5": { "name": "acl", "flow_limit": 100,
 *                               "overflow_policy": "refuse" } } } } }
 *
 * with "datapath-id" and "dp-desc" among the bridge's other_config.
 *
 * Names mirror the database columns.  The file is re-read when it changes. */
#ifndef CFG_FILE_H
#define CFG_FILE_H 1

#include <stdbool.h>

struct vs_cfg;

/* Parses file 'path' into 'cfg'.  Returns NULL or an error message (caller
 * frees). */
char *cfg_file_read(const char *path, struct vs_cfg *cfg);
/* True if 'path' changed since the last call (by mtime and size). */
bool cfg_file_changed(const char *path);

#endif /* cfg-file.h */
