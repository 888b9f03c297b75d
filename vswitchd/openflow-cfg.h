/* openflow-cfg: the OpenFlow part of a bridge's configuration (struct
 * vs_openflow_cfg in bridge.h) as plain data: parsing the database's
 * spellings (protocols, datapath-id), copying and comparing, so that
 * bridge.c touches the switch only where something changed.  No I/O. */
#ifndef OPENFLOW_CFG_H
#define OPENFLOW_CFG_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ds;
struct vs_controller_cfg;
struct vs_openflow_cfg;

void vs_openflow_cfg_destroy(struct vs_openflow_cfg *);
void vs_openflow_cfg_clone(struct vs_openflow_cfg *dst,
                           const struct vs_openflow_cfg *);

/* Field by field, what changed between two configurations. */
bool vs_controllers_equal(const struct vs_controller_cfg *, size_t,
                          const struct vs_controller_cfg *, size_t);
bool vs_flow_tables_equal(const struct vs_openflow_cfg *,
                          const struct vs_openflow_cfg *);

/* "OpenFlow10".."OpenFlow15" -> OFP_VERSION_BIT() of that version, or 0
 * for a name that is not a protocol.  (A version the codec does not speak,
 * 1.1 and 1.2, still gets its bit; the switch ignores it.) */
uint32_t vs_openflow_version_bit(const char *name);
/* Parses a Bridge.protocols set; names that are not protocols are
 * ignored.  Returns 0 for an empty set (= every supported version). */
uint32_t vs_openflow_versions(const char *const *names, size_t n);

/* Parses other_config:datapath-id: exactly 16 hex digits (an "0x" prefix
 * is allowed), not all zero.  Returns false for anything else. */
bool vs_dpid_from_string(const char *, uint64_t *dpid);
/* The datapath id that goes with Ethernet address 'mac' (the low 48 bits,
 * as Open vSwitch does). */
uint64_t vs_dpid_from_mac(const uint8_t mac[6]);
/* A stable stand-in when the bridge has no MAC of its own: a locally
 * administered address hashed from the bridge's name. */
uint64_t vs_dpid_from_name(const char *name);
/* 16 lowercase hex digits, as Bridge.datapath_id wants them. */
void vs_dpid_format(uint64_t dpid, char buf[17]);

/* Orders 'tables' by table_id and drops duplicates (the last wins). */
void vs_flow_tables_sort(struct vs_openflow_cfg *);

#endif /* openflow-cfg.h */
