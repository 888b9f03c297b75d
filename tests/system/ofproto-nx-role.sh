#!/bin/sh
# OpenFlow 1.0's Nicira role request against vs-vswitchd, sent by a real
# os-ken app (tests/system/osken-nx-role.py, OpenFlow 1.0 only): master,
# slave, then other (equal), each answered with the Nicira role reply, and
# the flow_mod it sends then is taken; the Controller row's role column
# follows.  (A slave's refused flow_mod is in test-connmgr: this os-ken
# cannot take an OpenFlow 1.0 error.)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/system/lib.sh"
. "$top_srcdir/tests/system/ofctl-lib.sh"
. "$top_srcdir/tests/system/osken-lib.sh"
require_cmd ss
/usr/bin/python3 -c 'import os_ken' 2>/dev/null || skip "needs python3-os-ken"
NET=232
ofctl_setup 2

OSKEN_PORT=$(free_tcp_port)
export NX_ROLE_LOG="$VS_TEST_DIR/nx-role.log"
: >"$NX_ROLE_LOG"
start_daemon "osken" /usr/bin/python3 -m os_ken.cmd.manager \
    --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port "$OSKEN_PORT" \
    "$top_srcdir/tests/system/osken-nx-role.py"
wait_until 30 sh -c "ss -Hltn 'sport = :$OSKEN_PORT' | grep -q LISTEN" \
    || fail "os-ken did not listen"
$VSCTL set-controller "$BR" "tcp:127.0.0.1:$OSKEN_PORT" || fail "set-controller"
wait_until 30 grep -q flow_added "$NX_ROLE_LOG" \
    || fail "os-ken's role sequence did not finish: $(cat "$NX_ROLE_LOG")"
want="role_reply master
role_reply slave
role_reply other
flow_added"
same "os-ken's view" "$want" "$(cat "$NX_ROLE_LOG")"
ovs-ofctl -O OpenFlow10 dump-flows "$OFT" | grep -q "priority=33,in_port=1 actions=output:2" \
    || fail "the flow added as 'other' is missing: $(ovs-ofctl dump-flows "$OFT")"
wait_until 10 sh -c "[ \"\$($VSCTL get Controller $BR role)\" = other ]" \
    || fail "Controller role: $($VSCTL get Controller "$BR" role)"
pass
