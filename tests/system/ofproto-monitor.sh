#!/bin/sh
# Flow monitors and the snoop socket of a running vs-vswitchd, watched by
# the real ovs-ofctl (OpenFlow 1.0: Nicira NXST_FLOW_MONITOR, 1.3: ONF's
# extension, 1.4: OFPMP_FLOW_MONITOR) and by vs-ofctl, while flows are
# added, modified, replaced, deleted and expire (idle and hard timeouts):
# every monitor's printed updates must equal the expected lines (the same
# lines Debian's ovs-vswitchd gives ovs-ofctl for this sequence).  A
# monitor that stops reading is paused and later refreshed and resumed
# (tests/system/monitor-stall.py).  Then
# ovs-ofctl snoop and vs-ofctl snoop on <br>.snoop see the messages a
# controller connection exchanges, and not those of a management client.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/system/lib.sh"
. "$top_srcdir/tests/system/dp-lib.sh"
require_root
require_cmd ovs-ofctl timeout
NET=214
bpffs_setup
BR=br$$
CFG=$VS_TEST_DIR/vswitchd.json
# A Controller listener on loopback: connections to it are controller
# connections (snooped); the mgmt socket's are not.
CPORT=$((20000 + $$ % 20000))
on_exit "vs-dpctl del-dp $BR"
host 1
cat >"$CFG" <<EOF
{"bridges": {"$BR": {"ports": {"$(link_name p1)": {}},
  "controller": [{"target": "ptcp:$CPORT:127.0.0.1", "inactivity_probe": 0}],
  "protocols": ["OpenFlow10", "OpenFlow13", "OpenFlow14", "OpenFlow15"]}}}
EOF
vsw_start "$CFG"
wait_until 10 test -S "$VS_RUNDIR/$BR.mgmt" || fail "no mgmt socket"
wait_until 10 test -S "$VS_RUNDIR/$BR.snoop" || fail "no snoop socket"
MGMT=unix:$VS_RUNDIR/$BR.mgmt
CTL=tcp:127.0.0.1:$CPORT
# ovs-ofctl monitor makes a unixctl socket in OVS_RUNDIR.
export OVS_RUNDIR="$VS_RUNDIR"
W=$VS_TEST_DIR/mon
mkdir -p "$W"

ovs-ofctl del-flows $MGMT || fail "del-flows"
ovs-ofctl add-flow $MGMT "priority=9,arp,actions=NORMAL" || fail "add arp"

# watch NAME TOOL VERSION SPEC: a monitor in the background (at most 60 s),
# output in $W/NAME; waits for its initial reply.
watch() {
    # (ovs-ofctl prints the updates after the first reply on stderr.)
    timeout 60 $2 -O $3 monitor $MGMT "watch:$4" >"$W/$1" 2>&1 &
    track_pid $!
    MONITOR_PIDS="${MONITOR_PIDS:-} $!"
    wait_until 10 grep -q reply "$W/$1" || fail "monitor $1 did not start: $(cat "$W/$1")"
}
for V in OpenFlow10 OpenFlow13 OpenFlow14; do
    watch ovs-$V ovs-ofctl $V ""
    watch vs-$V vs-ofctl $V ""
done
watch ovs-ip ovs-ofctl OpenFlow13 "!initial,ip"
watch ovs-port3 ovs-ofctl OpenFlow10 "!actions,out_port=3"
watch vs-del vs-ofctl OpenFlow14 "!initial,!add,!modify"

log "changes: add, modify, replace, delete, idle and hard timeouts"
of() { ovs-ofctl "$@" || fail "ovs-ofctl $*"; }
of add-flow $MGMT "cookie=0x1,priority=5,ip,nw_dst=10.0.0.1,actions=output:2"
of -O OpenFlow13 mod-flows $MGMT "ip,nw_dst=10.0.0.1,actions=output:3"
of add-flow $MGMT "cookie=0x2,priority=5,ip,nw_dst=10.0.0.1,actions=output:3,output:4"
of -O OpenFlow13 add-flow $CTL "priority=3,tcp,actions=drop"
of del-flows $MGMT "ip,nw_dst=10.0.0.1"
of add-flow $MGMT "cookie=0x3,idle_timeout=1,priority=6,udp,tp_dst=53,actions=output:3"
sleep 0.5
of add-flow $MGMT "cookie=0x4,hard_timeout=2,priority=6,udp,tp_dst=67,actions=drop"
wait_until 10 grep -q "reason=hard" "$W/vs-OpenFlow14" || fail "no hard timeout seen"
sleep 0.5
# ovs-ofctl writes its output when it exits (vs-ofctl line by line).
for pid in $MONITOR_PIDS; do kill "$pid"; done
for pid in $MONITOR_PIDS; do wait "$pid"; done

# The lines each monitor must print; replies with updates not caused by
# the monitor's own request have xid 0, the initial reply the request's.
body() { # INITIAL_EVENT
    cat <<EOF
 event=$1 table=0 cookie=0 arp actions=NORMAL
R
 event=ADDED table=0 cookie=0x1 ip,nw_dst=10.0.0.1 actions=output:2
R
 event=MODIFIED table=0 cookie=0x1 ip,nw_dst=10.0.0.1 actions=output:3
R
 event=ADDED table=0 cookie=0x2 ip,nw_dst=10.0.0.1 actions=output:3,output:4
R
 event=ADDED table=0 cookie=0 tcp actions=drop
R
 event=DELETED reason=delete table=0 cookie=0x2 ip,nw_dst=10.0.0.1 actions=output:3,output:4
R
 event=ADDED table=0 idle_timeout=1 cookie=0x3 udp,tp_dst=53 actions=output:3
R
 event=ADDED table=0 hard_timeout=2 cookie=0x4 udp,tp_dst=67
R
 event=DELETED reason=idle table=0 idle_timeout=1 cookie=0x3 udp,tp_dst=53 actions=output:3
R
 event=DELETED reason=hard table=0 hard_timeout=2 cookie=0x4 udp,tp_dst=67
EOF
}
# ovs-ofctl prints "tcp" for a drop flow without "actions=drop".
expected() { # HEADER INITIAL_EVENT
    echo "$1 (xid=N):"
    body "$2" | sed -e "s/^R\$/$1 (xid=0x0):/" -e 's/ actions=drop$//'
}
norm() { grep -v fatal_signal "$1" | sed 's/(xid=0x[1-9a-f][0-9a-f]*)/(xid=N)/'; }
compare() { # NAME EXPECTED-TEXT
    printf '%s\n' "$2" >"$W/$1.want"
    norm "$W/$1" >"$W/$1.got"
    diff -u "$W/$1.want" "$W/$1.got" >&2 || fail "monitor $1 printed other updates"
    log "monitor $1: $(grep -c 'event=' "$W/$1.got") updates as expected"
}
for T in ovs vs; do
    compare $T-OpenFlow10 "$(expected 'NXST_FLOW_MONITOR reply' ADDED)"
    compare $T-OpenFlow13 "$(expected 'ONFST_FLOW_MONITOR reply (OF1.3)' ADDED)"
    compare $T-OpenFlow14 "$(expected 'OFPST_FLOW_MONITOR reply (OF1.4)' INITIAL)"
done
# Filters: only ip flows, no initial dump; out_port=3 without actions;
# only deletions.
H='ONFST_FLOW_MONITOR reply (OF1.3)'
compare ovs-ip "$H (xid=N):
$H (xid=0x0):
 event=ADDED table=0 cookie=0x1 ip,nw_dst=10.0.0.1 actions=output:2
$H (xid=0x0):
 event=MODIFIED table=0 cookie=0x1 ip,nw_dst=10.0.0.1 actions=output:3
$H (xid=0x0):
 event=ADDED table=0 cookie=0x2 ip,nw_dst=10.0.0.1 actions=output:3,output:4
$H (xid=0x0):
 event=ADDED table=0 cookie=0 tcp
$H (xid=0x0):
 event=DELETED reason=delete table=0 cookie=0x2 ip,nw_dst=10.0.0.1 actions=output:3,output:4
$H (xid=0x0):
 event=ADDED table=0 idle_timeout=1 cookie=0x3 udp,tp_dst=53 actions=output:3
$H (xid=0x0):
 event=ADDED table=0 hard_timeout=2 cookie=0x4 udp,tp_dst=67
$H (xid=0x0):
 event=DELETED reason=idle table=0 idle_timeout=1 cookie=0x3 udp,tp_dst=53 actions=output:3
$H (xid=0x0):
 event=DELETED reason=hard table=0 hard_timeout=2 cookie=0x4 udp,tp_dst=67"
H='NXST_FLOW_MONITOR reply'
compare ovs-port3 "$H (xid=N):
$H (xid=0x0):
 event=MODIFIED table=0 cookie=0x1 ip,nw_dst=10.0.0.1
$H (xid=0x0):
 event=ADDED table=0 cookie=0x2 ip,nw_dst=10.0.0.1
$H (xid=0x0):
 event=DELETED reason=delete table=0 cookie=0x2 ip,nw_dst=10.0.0.1
$H (xid=0x0):
 event=ADDED table=0 idle_timeout=1 cookie=0x3 udp,tp_dst=53
$H (xid=0x0):
 event=DELETED reason=idle table=0 idle_timeout=1 cookie=0x3 udp,tp_dst=53"
H='OFPST_FLOW_MONITOR reply (OF1.4)'
compare vs-del "$H (xid=N):
$H (xid=0x0):
 event=DELETED reason=delete table=0 cookie=0x2 ip,nw_dst=10.0.0.1 actions=output:3,output:4
$H (xid=0x0):
 event=DELETED reason=idle table=0 idle_timeout=1 cookie=0x3 udp,tp_dst=53 actions=output:3
$H (xid=0x0):
 event=DELETED reason=hard table=0 hard_timeout=2 cookie=0x4 udp,tp_dst=67"

log "a bad monitor request gets an error and the switch goes on"
out=$(timeout 3 vs-ofctl -O OpenFlow14 monitor $MGMT watch:id=7 watch:id=7 2>&1)
echo "$out" | grep -q "OFPMOFC_MONITOR_EXISTS" || fail "duplicate monitor id: $out"
ovs-ofctl probe $MGMT || fail "switch gone after a bad monitor request"

log "flow control: a monitor that does not read is paused, then refreshed"
# OF1.4 OFPMP_FLOW_MONITOR request, id 0, flags add|removed|modify|own,
# all tables, any port, catch-all match ("test-ofp-cli monitor-request
# OpenFlow14 '!initial,!actions'").
REQ=0512002800000006001000000000000000000000ffffffffffffffff004eff000001000400000000
timeout 90 python3 "$top_srcdir/tests/system/monitor-stall.py" "$VS_RUNDIR/$BR.mgmt" \
    "$REQ" "$W/go" 60 >"$W/stall" 2>&1 &
STALL_PID=$!
track_pid $STALL_PID
wait_until 10 grep -q ready "$W/stall" || fail "stalled monitor: $(cat "$W/stall")"
# 10,000 updates (~900 kB) cannot all sit in the socket: over 128 kB
# queued, the switch pauses this monitor.
i=0
while [ $i -lt 10000 ]; do
    echo "priority=5,ip,nw_dst=10.$((i / 250)).$((i % 250)).1,actions=drop"
    i=$((i + 1))
done >"$W/flows"
of add-flows $MGMT "$W/flows"
touch "$W/go"
wait $STALL_PID || fail "stalled monitor: $(cat "$W/stall")"
n=$(ovs-ofctl dump-aggregate $MGMT | sed -n 's/.*flow_count=\([0-9]*\).*/\1/p')
[ "$(cat "$W/stall")" = "ready
paused
refresh $n
resumed" ] || fail "stalled monitor, $n flows: $(cat "$W/stall")"
log "stalled monitor: paused, refreshed with all $n flows, resumed"
of del-flows $MGMT "ip"

log "snoop: a controller connection's messages, both ways"
timeout 30 ovs-ofctl -O OpenFlow13 snoop "unix:$VS_RUNDIR/$BR.snoop" >"$W/snoop-ovs" 2>&1 &
track_pid $!
timeout 30 vs-ofctl snoop $BR >"$W/snoop-vs" 2>&1 &
track_pid $!
sleep 1
of -O OpenFlow13 dump-flows $MGMT >/dev/null         # Not a controller.
of -O OpenFlow13 add-flow $CTL "priority=4,sctp,actions=drop"
of -O OpenFlow13 dump-aggregate $CTL >/dev/null
for f in snoop-ovs snoop-vs; do
    wait_until 10 grep -q "OFPST_AGGREGATE reply" "$W/$f" \
        || fail "$f: no aggregate reply seen: $(cat "$W/$f")"
    # Both hellos: the controller's (1.3 only) and the switch's (up to 1.5).
    for want in "OFPT_HELLO (OF1.3)" "OFPT_HELLO (OF1.5)" "OFPT_FLOW_MOD (OF1.3)" \
                "ADD priority=4,sctp actions=drop" "OFPT_BARRIER_REQUEST (OF1.3)" \
                "OFPT_BARRIER_REPLY (OF1.3)" "OFPST_AGGREGATE request (OF1.3)"; do
        grep -qF "$want" "$W/$f" || fail "$f: no \"$want\": $(cat "$W/$f")"
    done
    grep -q "OFPST_FLOW request" "$W/$f" && fail "$f: snooped a management client"
    log "$f: $(grep -c '^OFP' "$W/$f") controller messages"
done

kill -0 "$VSW_PID" || fail "vs-vswitchd died"
pass
