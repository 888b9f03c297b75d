#!/bin/sh
# Traffic follows the OpenFlow tables of a vs-vswitchd bridge, programmed
# with the real ovs-ofctl: a standalone bridge without controller switches
# through its visible NORMAL flow; after del-flows nothing passes; explicit
# in_port flows connect exactly the hosts they name; a drop flow on one
# 5-tuple blocks that traffic only; n_packets counts what the datapath
# forwarded.  Then the Controller table: fail_mode=secure with a controller
# that is down passes nothing, the Controller row reports the failure, a
# listening controller (tests/system/of-raw.py) shows up as connected, and
# in standalone mode a lost controller makes the bridge fail open.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/system/lib.sh"
. "$top_srcdir/tests/system/ofctl-lib.sh"
require_cmd tcpdump /usr/bin/python3
NET=206
ofctl_setup 3
OF="ovs-ofctl -O OpenFlow13"

# udp_probe FROM TO PORT: sends 5 UDP datagrams hFROM -> hTO:PORT and says
# whether any arrived (a receiver bound in hTO, bounded by a timeout).
udp_probe() {
    ns "h$2" timeout 4 /usr/bin/python3 -c "
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('10.$NET.0.$2', $3))
s.settimeout(3)
try:
    s.recv(100)
except socket.timeout:
    sys.exit(1)
" &
    _rx=$!
    sleep 0.5
    ns "h$1" /usr/bin/python3 -c "
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(5):
    s.sendto(b'x' * 32, ('10.$NET.0.$2', $3))
    time.sleep(0.1)
"
    wait "$_rx"
}

# n_packets MATCH: the n_packets of the one flow whose line contains MATCH.
n_packets() {
    $OF dump-flows "$OFT" | grep -- "$1" | sed -E 's/.*n_packets=([0-9]+),.*/\1/'
}

log "standalone, no controller: hosts ping through the NORMAL flow"
dump_sorted OpenFlow13 | grep -qx " priority=0 actions=NORMAL" || fail "no NORMAL flow: $(dump_sorted OpenFlow13)"
ping_retry 1 2 || fail "1 -> 2 with NORMAL"
ping_retry 3 1 || fail "3 -> 1 with NORMAL"
[ "$(n_packets 'priority=0 ')" -gt 0 ] || fail "NORMAL flow counted nothing: $($OF dump-flows "$OFT")"

log "del-flows: nothing passes"
$OF del-flows "$OFT" || fail "del-flows"
ping_ok 1 2 && fail "ping passed with no flows"
ping_ok 3 1 && fail "ping passed with no flows (3 -> 1)"

log "explicit flows connect only the ports they name"
$OF add-flow "$OFT" "priority=10,in_port=$P1,actions=output:$P2" || fail "flow 1->2"
$OF add-flow "$OFT" "priority=10,in_port=$P2,actions=output:$P1" || fail "flow 2->1"
ping_retry 1 2 || fail "1 -> 2 with in_port flows"
ping_ok 1 3 && fail "1 reached 3 without a flow"
before=$(n_packets "in_port=$P1 ")
ns h1 ping -c 5 -i 0.2 -W 1 "10.$NET.0.2" >/dev/null 2>&1 || fail "5 pings 1 -> 2"
sleep 1
after=$(n_packets "in_port=$P1 ")
[ "$after" -ge $((before + 5)) ] || fail "n_packets $before -> $after after 5 pings"
log "n_packets of in_port=$P1: $before -> $after"
# Those counters came from passes that read the datapath's by-handle array.
rpasses=$(vs-appctl -t vs-vswitchd coverage/show \
          | awk '$1 == "dp_switch_pass_records" { n = $NF } END { print n + 0 }')
[ "$rpasses" -gt 0 ] || fail "no pass read counters by handle: $(vs-appctl -t vs-vswitchd coverage/show)"

log "a drop flow on one 5-tuple blocks only that traffic"
udp_probe 1 2 7777 || fail "udp 7777 before the drop flow"
$OF add-flow "$OFT" "priority=100,udp,nw_src=10.$NET.0.1,nw_dst=10.$NET.0.2,tp_src=7001,tp_dst=7777,actions=drop" \
    || fail "drop flow"
# The probe's source port is random; pin it with a second sender.
blocked() {
    ns h2 timeout 4 /usr/bin/python3 -c "
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('10.$NET.0.2', $2))
s.settimeout(3)
try:
    s.recv(100)
except socket.timeout:
    sys.exit(1)
" &
    _rx=$!
    sleep 0.5
    ns h1 /usr/bin/python3 -c "
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('10.$NET.0.1', $1))
for i in range(5):
    s.sendto(b'x' * 32, ('10.$NET.0.2', $2))
    time.sleep(0.1)
"
    ! wait "$_rx"
}
blocked 7001 7777 || fail "the dropped 5-tuple passed"
blocked 7002 7777 && fail "another source port was dropped"
blocked 7001 7778 && fail "another destination port was dropped"
ping_retry 1 2 || fail "ping hit by the udp drop flow"
[ "$(n_packets 'tp_dst=7777')" -ge 5 ] || fail "drop flow counted $(n_packets 'tp_dst=7777')"

log "secure fail mode with a controller that is down: nothing passes"
CPORT=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 20000))
$VSCTL set-controller "$BR" "tcp:127.0.0.1:$CPORT" -- set-fail-mode "$BR" secure \
    -- set Controller "$BR" max_backoff=1000 || fail "set-controller"
$OF del-flows "$OFT"
ping_ok 1 2 && fail "secure mode passed traffic"
wait_until 10 sh -c "$VSCTL get Controller $BR status | grep -q last_error" \
    || fail "no last_error: $($VSCTL list Controller)"
[ "$($VSCTL get Controller "$BR" is_connected)" = false ] || fail "is_connected with no controller"
$VSCTL get Controller "$BR" status | grep -q 'state=\(BACKOFF\|CONNECTING\)' \
    || fail "status: $($VSCTL get Controller "$BR" status)"
sleep 3
ping_ok 1 2 && fail "secure mode failed open"

log "a controller that listens shows up connected"
start_daemon controller /usr/bin/python3 "$top_srcdir/tests/system/of-raw.py" listen "127.0.0.1:$CPORT" 60
CTRL_PID=$DAEMON_PID
wait_until 15 sh -c "[ \"\$($VSCTL get Controller $BR is_connected)\" = true ]" \
    || fail "is_connected stays false: $($VSCTL list Controller)"
$VSCTL get Controller "$BR" status | grep -q 'state=ACTIVE' || fail "state: $($VSCTL get Controller "$BR" status)"
[ -n "$($VSCTL get Controller "$BR" role)" ] || fail "no role"
grep -q connected "$VS_LOGDIR/controller.out" || fail "controller saw no hello"
ping_ok 1 2 && fail "secure mode passed traffic with an idle controller"
log "adding a second controller leaves the first connection alone"
c2=$($VSCTL -- --id=@c create Controller target="\"ptcp:0:127.0.0.1\"" \
    -- add Bridge "$BR" controller @c) || fail "add a second controller"
sleep 2
$VSCTL remove Bridge "$BR" controller "$c2" || fail "remove the second controller"
sleep 1
[ "$(grep -c connected "$VS_LOGDIR/controller.out")" = 1 ] \
    || fail "the first controller reconnected: $(cat "$VS_LOGDIR/controller.out")"
[ "$($VSCTL get Controller "$BR" is_connected)" = true ] || fail "first controller lost"
$OF add-flow "$OFT" "priority=10,actions=NORMAL" || fail "NORMAL flow beside the controller"
ping_retry 1 2 || fail "flow added beside the controller"
$OF del-flows "$OFT"

log "the controller goes away: the row says so"
kill "$CTRL_PID"
wait_until 15 sh -c "[ \"\$($VSCTL get Controller $BR is_connected)\" = false ]" \
    || fail "is_connected stays true: $($VSCTL list Controller)"

log "standalone with a lost controller fails open"
$VSCTL set-fail-mode "$BR" standalone || fail "set-fail-mode standalone"
wait_until 40 ping_ok 1 2 || fail "standalone bridge did not fail open"
hidden=$(printf '%d' 0xf0f0f0)
vs-appctl -t vs-vswitchd bridge/dump-flows "$BR" | grep -q "priority=$hidden" \
    || fail "bridge/dump-flows lacks the fail-open flow: $(vs-appctl -t vs-vswitchd bridge/dump-flows "$BR")"
$OF dump-flows "$OFT" | grep -q "priority=$hidden" && fail "ovs-ofctl sees the hidden flow"
log "no controller again: the NORMAL flow comes back"
$VSCTL del-controller "$BR" || fail "del-controller"
wait_until 5 sh -c "$OF dump-flows --no-stats $OFT | grep -qx ' priority=0 actions=NORMAL'" \
    || fail "NORMAL flow not restored: $($OF dump-flows "$OFT")"
ping_retry 3 2 || fail "3 -> 2 after del-controller"
kill -0 "$VSW_PID" || fail "vs-vswitchd died"

log "a restarted vs-vswitchd takes the OpenFlow configuration up again"
dpid=$($VSCTL get Bridge "$BR" datapath_id)
start_daemon controller2 /usr/bin/python3 "$top_srcdir/tests/system/of-raw.py" listen "127.0.0.1:$CPORT" 60
$VSCTL set-controller "$BR" "tcp:127.0.0.1:$CPORT" -- set-fail-mode "$BR" secure \
    -- set Controller "$BR" max_backoff=1000 || fail "set-controller"
wait_until 15 sh -c "[ \"\$($VSCTL get Controller $BR is_connected)\" = true ]" || fail "not connected"
kill "$VSW_PID"
wait_until 10 sh -c "! kill -0 $VSW_PID" || fail "vs-vswitchd did not stop"
$VSCTL --no-wait set Controller "$BR" is_connected=false
start_daemon vswitchd2 vs-vswitchd "$DB" --pidfile
VSW_PID=$DAEMON_PID
wait_until 10 ovs-ofctl probe "$OFT" || fail "no listener after restart"
[ -z "$($OF dump-flows --no-stats "$OFT" | grep -v reply)" ] \
    || fail "secure bridge has flows after restart: $($OF dump-flows "$OFT")"
wait_until 15 sh -c "[ \"\$($VSCTL get Controller $BR is_connected)\" = true ]" \
    || fail "controller not reconnected after restart: $($VSCTL list Controller)"
[ "$(grep -c connected "$VS_LOGDIR/controller2.out")" = 2 ] \
    || fail "controller saw $(grep -c connected "$VS_LOGDIR/controller2.out") connections"
[ "$($VSCTL get Bridge "$BR" datapath_id)" = "$dpid" ] \
    || fail "datapath_id changed across the restart: $dpid -> $($VSCTL get Bridge "$BR" datapath_id)"
ping_ok 1 2 && fail "restarted secure bridge passed traffic"
kill -0 "$VSW_PID" || fail "vs-vswitchd died"
pass
