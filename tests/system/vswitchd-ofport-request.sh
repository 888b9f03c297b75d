#!/bin/sh
# Interface ofport_request: vs-vsctl add-port ... -- set Interface P
# ofport_request=N gives OpenFlow port N (ovs-ofctl show, the ofport
# column, flows on it carry traffic); a second port asking for a number in
# use gets another one; changing the request renumbers the port; a request
# beyond the datapath's ports falls back to a free number.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/system/lib.sh"
. "$top_srcdir/tests/system/dp-lib.sh"
. "$top_srcdir/tests/system/vsctl-lib.sh"
. "$top_srcdir/tests/system/ofctl-lib.sh"
require_root
require_cmd ovs-ofctl vs-ovsdb-server vs-vsctl
NET=233
bpffs_setup
start_db "$top_srcdir/vswitchd/vswitch.ovsschema" vs
BR=$(link_name br)
on_exit "vs-dpctl del-dp $BR"
start_daemon vswitchd vs-vswitchd "$DB" --pidfile
for i in 1 2 3; do host $i; done
P1=$(link_name p1) P2=$(link_name p2) P3=$(link_name p3)
OFT="unix:$VS_RUNDIR/$BR.mgmt"
ofport() { $VSCTL get Interface "$1" ofport; }

log "add-port with ofport_request=5"
$VSCTL add-br "$BR" -- add-port "$BR" "$P1" -- set Interface "$P1" ofport_request=5 \
    || fail "add-port p1"
wait_until 10 ovs-ofctl probe "$OFT" || fail "no OpenFlow listener"
[ "$(ofport "$P1")" = 5 ] || fail "p1 ofport $(ofport "$P1"), want 5"
ovs-ofctl show "$OFT" | grep -q " 5($P1):" || fail "show: $(ovs-ofctl show "$OFT")"

log "a second port asking for 5 gets another number"
$VSCTL add-port "$BR" "$P2" -- set Interface "$P2" ofport_request=5 || fail "add-port p2"
o2=$(ofport "$P2")
[ "$o2" -gt 0 ] && [ "$o2" != 5 ] || fail "p2 ofport $o2"
[ "$(ofport "$P1")" = 5 ] || fail "p1 lost its number: $(ofport "$P1")"

log "a new request renumbers the port"
$VSCTL set Interface "$P2" ofport_request=7 || fail "set ofport_request"
wait_until 10 sh -c "[ \"\$($VSCTL get Interface $P2 ofport)\" = 7 ]" \
    || fail "p2 ofport $(ofport "$P2"), want 7"
ovs-ofctl show "$OFT" | grep -q " 7($P2):" || fail "show: $(ovs-ofctl show "$OFT")"

log "a number beyond the datapath's ports falls back to a free one"
$VSCTL add-port "$BR" "$P3" -- set Interface "$P3" ofport_request=4000 || fail "add-port p3"
o3=$(ofport "$P3")
[ "$o3" -gt 0 ] && [ "$o3" -lt 256 ] && [ "$o3" != 5 ] && [ "$o3" != 7 ] || fail "p3 ofport $o3"

log "flows on the requested numbers carry traffic"
ovs-ofctl del-flows "$OFT"
ovs-ofctl add-flow "$OFT" "in_port=5,actions=output:7" || fail "flow 5->7"
ovs-ofctl add-flow "$OFT" "in_port=7,actions=output:5" || fail "flow 7->5"
ping_retry 1 2 || fail "h1 -> h2 through ports 5 and 7"
ping_ok 1 3 && fail "h1 reached h3 without a flow"
pass
