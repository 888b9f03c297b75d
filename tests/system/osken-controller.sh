#!/bin/sh
# An os-ken controller (python3-os-ken; its simple_switch_13 app, or our
# equivalent tests/system/osken-l2-learning.py when the package does not ship
# it) drives a vs-vswitchd bridge over OpenFlow 1.3 on tcp:127.0.0.1:
#   - fail_mode=secure without a controller forwards nothing;
#   - with os-ken connected, hosts ping through the flows it installs
#     (dump-flows by ovs-ofctl shows them, their packet counters grow) and
#     Controller.is_connected is written back;
#   - os-ken stopped in secure mode: no new flows, unknown pairs stay cut off;
#   - fail_mode=standalone: os-ken stopped, the bridge falls back to NORMAL
#     after the fail-open delay (bounded wait).
# The same scenario (tests/system/osken-lib.sh) passes against Debian's
# ovs-vswitchd: bench/osken-ovs.sh.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/system/lib.sh"
. "$top_srcdir/tests/system/dp-lib.sh"
. "$top_srcdir/tests/system/vsctl-lib.sh"
. "$top_srcdir/tests/system/osken-lib.sh"
require_root
require_cmd vs-ovsdb-server vs-vsctl vs-vswitchd ovs-ofctl ss
/usr/bin/python3 -c 'import os_ken' 2>/dev/null || skip "needs python3-os-ken"
NET=208
bpffs_setup
start_db "$top_srcdir/vswitchd/vswitch.ovsschema" vs
BR=$(link_name br)
on_exit "vs-dpctl del-dp $BR"
start_daemon vswitchd vs-vswitchd "$DB" --pidfile
for i in 1 2 3; do host $i; done
$VSCTL add-br "$BR" -- add-port "$BR" "$(link_name p1)" -- add-port "$BR" "$(link_name p2)" \
    -- add-port "$BR" "$(link_name p3)" || fail "add-br"
dp_has_ports "$BR" 4 || fail "datapath ports: $(vs-dpctl show "$BR")"
SW_VSCTL=$VSCTL
SW_OFCTL="ovs-ofctl -O OpenFlow13"
SW_MGMT="unix:$VS_RUNDIR/$BR.mgmt"
osken_scenario

if command -v vs-ofctl >/dev/null 2>&1; then
    log "vs-ofctl reads the same app flows"
    out=$(vs-ofctl -O OpenFlow13 dump-flows "$SW_MGMT" 2>&1) || fail "vs-ofctl dump-flows: $out"
    echo "$out" | grep "priority=1," | grep -i "dl_src=$m1" | grep -qi "dl_dst=$m3" \
        || fail "vs-ofctl dump-flows lacks h1 -> h3: $out"
fi
pass
