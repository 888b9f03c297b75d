#!/bin/sh
# vs-vsctl against Debian's own ovsdb-server running Open vSwitch's own
# schema: the same command battery must pass, and ovs-vsctl and vs-vsctl
# must read each other's changes.  Proof that the two are interchangeable.
. "$top_srcdir/tests/system/lib.sh"
. "$top_srcdir/tests/system/vsctl-lib.sh"
. "$top_srcdir/tests/system/vsctl-cases.sh"
OVS_SCHEMA=/usr/share/openvswitch/vswitch.ovsschema
require_cmd vs-vsctl ovs-vsctl ovsdb-server ovsdb-tool ovsdb-client
[ -f "$OVS_SCHEMA" ] || skip "no $OVS_SCHEMA (Debian package openvswitch-common)"

start_db "$OVS_SCHEMA" debian
run_vsctl_cases

log "cross-check: ovs-vsctl reads what vs-vsctl wrote, and back"
OVSCTL="ovs-vsctl --db=$DB --no-wait --timeout=20"
vsok "" add-br xb -- add-port xb xp1 tag=7 -- set Interface xp1 type=internal
[ "$($OVSCTL list-ports xb)" = xp1 ] || fail "ovs-vsctl list-ports xb"
[ "$($OVSCTL get Port xp1 tag)" = 7 ] || fail "ovs-vsctl get Port xp1 tag"
$OVSCTL add-br yb -- add-br yb.5 yb 5 -- add-port yb.5 yp1 || fail "ovs-vsctl add-br"
vsok "xb
yb
yb.5" list-br
vsok "yb.5" port-to-br yp1
vsok "5" br-to-vlan yb.5
vsok "" del-br yb
[ "$($OVSCTL list-br)" = xb ] || fail "ovs-vsctl list-br after vs-vsctl del-br"
pass
