#!/bin/sh
# An os-ken controller drives a bridge in secure fail mode: without the
# controller nothing passes; with it, the table-miss flow it installs sends
# packets to it, it learns MACs from packet-ins, answers with packet-outs
# and installs per-destination flows, and namespaced hosts ping through
# those flows.  The app is tests/system/osken-l2-learning.py, a MAC-learning
# switch in the manner of os-ken's simple_switch_13 sample (which Debian's
# python3-os-ken does not ship), shared with osken-controller.sh.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/system/lib.sh"
. "$top_srcdir/tests/system/dp-lib.sh"
require_root
require_cmd ovs-ofctl osken-manager
NET=213
PORT=$((20000 + $$ % 20000))
bpffs_setup
BR=br$$
CFG=$VS_TEST_DIR/vswitchd.json
on_exit "vs-dpctl del-dp $BR"
for i in 1 2 3; do host $i; done
cat >"$CFG" <<EOT
{"bridges": {"$BR": {"controller": ["tcp:127.0.0.1:$PORT"], "fail_mode": "secure",
  "protocols": ["OpenFlow13"],
  "ports": {"$(link_name p1)": {}, "$(link_name p2)": {}, "$(link_name p3)": {}}}}}
EOT
vsw_start "$CFG"
wait_until 10 dp_has_ports $BR 3 || fail "ports not added"
MGMT=unix:$VS_RUNDIR/$BR.mgmt
wait_until 10 test -S "$VS_RUNDIR/$BR.mgmt" || fail "no mgmt socket"
of() { ovs-ofctl -O OpenFlow13 "$@"; }

log "secure mode without a controller: nothing passes"
ping_ok 1 2 && fail "secure bridge switched without a controller: $(of dump-flows $MGMT)"

log "the os-ken app connects and installs its table-miss flow"
start_daemon osken osken-manager --ofp-tcp-listen-port $PORT \
    --ofp-listen-host 127.0.0.1 "$top_srcdir/tests/system/osken-l2-learning.py"
wait_until 20 sh -c "ovs-ofctl -O OpenFlow13 dump-flows $MGMT | grep -q 'priority=0 actions=CONTROLLER:65535'" \
    || fail "no table-miss flow: $(of dump-flows $MGMT); $(tail -20 "$VS_LOGDIR/osken.out")"

log "hosts ping through the flows the controller installs"
ping_retry 1 2 || fail "1 -> 2: $(of dump-flows $MGMT)"
ping_retry 2 3 || fail "2 -> 3: $(of dump-flows $MGMT)"
ping_retry 3 1 || fail "3 -> 1: $(of dump-flows $MGMT)"
n=$(of dump-flows $MGMT | grep -c "priority=1,in_port=")
[ "$n" -ge 4 ] || fail "learned flows: $(of dump-flows $MGMT)"
log "$n learned flows"
kill -0 $VSW_PID || fail "vs-vswitchd died"
pass
