#!/bin/sh
# kill -9 of vs-vswitchd: an established iperf3 stream keeps flowing on the
# pinned megaflows, and a restarted vs-vswitchd adopts the datapath (same
# port numbers, megaflows and their counters kept, traffic undisturbed).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/system/lib.sh"
. "$top_srcdir/tests/system/dp-lib.sh"
. "$top_srcdir/tests/system/vsctl-lib.sh"
require_root
require_cmd iperf3 vs-ovsdb-server vs-vsctl
NET=205
bpffs_setup
start_db "$top_srcdir/vswitchd/vswitch.ovsschema" vs
BR=$(link_name br)
on_exit "vs-dpctl del-dp $BR"
start_daemon vswitchd vs-vswitchd "$DB" --pidfile
VSW=$DAEMON_PID
host 1; host 2
$VSCTL add-br $BR -- add-port $BR "$(link_name p1)" -- add-port $BR "$(link_name p2)" \
    || fail "add ports"
ping_retry 1 2 || fail "ping before"
ofport=$($VSCTL get Interface "$(link_name p2)" ofport)

ns h2 iperf3 -s -1 -p 5201 >/dev/null 2>&1 </dev/null &
track_pid $!
sleep 0.5
ns h1 iperf3 -c 10.205.0.2 -p 5201 -t 8 -i 1 -J >"$VS_TEST_DIR/iperf.json" 2>&1 &
cli=$!
track_pid $cli
sleep 2
flow_packets() {
    vs-dpctl dump-flows $BR | sed -n 's/.*packets:\([0-9]*\).*/\1/p' | awk '{s += $1} END {print s + 0}'
}
before=$(flow_packets)
log "kill -9 vs-vswitchd (megaflow packets so far: $before)"
kill_hard $VSW
sleep 3
# Every pass dumps the datapath (most read counters by handle instead), so
# that the adoption check below sees the handles in the flows.
export VS_DUMP_PASS_MS=1000
start_daemon vswitchd2 vs-vswitchd "$DB" --pidfile
unset VS_DUMP_PASS_MS
wait $cli || fail "iperf3 failed across the restart: $(tail -5 "$VS_TEST_DIR/iperf.json")"

/usr/bin/python3 - "$VS_TEST_DIR/iperf.json" <<'PY' || fail "a 1-second interval carried no data"
import json, sys
iv = json.load(open(sys.argv[1]))["intervals"]
rates = [i["sum"]["bits_per_second"] for i in iv]
print("per-second Gbit/s:", " ".join("%.1f" % (r / 1e9) for r in rates))
sys.exit(0 if len(rates) >= 7 and min(rates[:7]) > 1e6 else 1)
PY
after=$(flow_packets)
[ -n "$after" ] && [ "$after" -gt "$before" ] || fail "megaflow not kept: before $before, after $after"
grep -q "added port" "$VS_LOGDIR/vswitchd2.out" && fail "restart re-created ports: $(cat "$VS_LOGDIR/vswitchd2.out")"
[ "$(grep -c "adopted port" "$VS_LOGDIR/vswitchd2.out")" = 3 ] || fail "ports not adopted"
[ "$($VSCTL get Interface "$(link_name p2)" ofport)" = "$ofport" ] || fail "port number changed"
ping_retry 1 2 || fail "ping after restart"

# The new vs-vswitchd makes a record for each megaflow it adopted and
# gives the flow that record's handle, once: passes after that find the
# records by handle (dp_switch_flow_adopted stops growing).
adopted() {
    vs-appctl -t vs-vswitchd coverage/show \
        | awk '$1 == "dp_switch_flow_adopted" { n = $NF } END { print n + 0 }'
}
adopted_some() { [ "$(adopted)" -gt 0 ]; }
wait_until 5 adopted_some || fail "no megaflow adopted: $(vs-appctl -t vs-vswitchd coverage/show)"
a1=$(adopted)
sleep 2.5                       # two more maintenance passes
a2=$(adopted)
log "megaflows adopted: $a1, then $a2"
[ "$a1" = "$a2" ] || fail "adopted megaflows re-recorded: $a1 then $a2"
pass
