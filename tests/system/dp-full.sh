#!/bin/sh
# A datapath whose megaflow map is full loses no first packets: every miss
# still goes up and out, vs-vswitchd notes the failed install, and its next
# maintenance pass evicts the least recently used megaflows so that new
# ones get in again.  The map is made small (VS_DP_MAX_FLOWS=128).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/system/lib.sh"
. "$top_srcdir/tests/system/dp-lib.sh"
. "$top_srcdir/tests/system/vsctl-lib.sh"
require_root
require_cmd vs-vswitchd vs-vsctl vs-dpctl vs-ofctl cc
NET=213
N=400
bpffs_setup
cc -O2 -Wall -o "$VS_TEST_DIR/gen" "$top_srcdir/bench/flow-setup-gen.c" || fail "cc"
GEN=$VS_TEST_DIR/gen
host 1; host 2
start_db "$top_srcdir/vswitchd/vswitch.ovsschema" vs
BR=$(link_name fb)
on_exit "vs-dpctl del-dp $BR"
VS_DP_MAX_FLOWS=128 start_daemon vswitchd vs-vswitchd "$DB" --pidfile
$VSCTL add-br "$BR" -- set-fail-mode "$BR" secure \
    -- add-port "$BR" "$(link_name p1)" -- add-port "$BR" "$(link_name p2)" \
    || fail "add-br"
TGT="unix:$VS_RUNDIR/$BR.mgmt"
wait_until 10 vs-ofctl show "$TGT" || fail "no OpenFlow on $TGT"
out=$($VSCTL get Interface "$(link_name p2)" ofport)
"$GEN" flows $((2 * N)) "$out" 10.$NET.0.1 10.$NET.0.2 >"$VS_TEST_DIR/flows" || fail "gen flows"
echo "priority=0,actions=drop" >>"$VS_TEST_DIR/flows"
vs-ofctl add-flows "$TGT" "$VS_TEST_DIR/flows" || fail "add-flows"

run() { # FIRST: sends N new 5-tuples from FIRST, prints how many arrived
    "$GEN" run "$VS_T-h1" h1 "$VS_T-h2" h2 $N 8 "$(mac_of 1)" "$(mac_of 2)" \
        10.$NET.0.1 10.$NET.0.2 "$1" | awk '{ print $4 }'
}
n_flows() { vs-dpctl dump-flows "$BR" 2>/dev/null | grep -c "tp_src="; }

log "$N new 5-tuples into a 128-megaflow map"
got=$(run 0)
log "  delivered $got, megaflows $(n_flows)"
[ "$got" = $N ] || fail "delivered $got of $N with a full megaflow map"
[ "$(n_flows)" -le 128 ] || fail "more megaflows than the map holds"
grep -q "installing megaflow: No space left" "$VS_LOGDIR/vswitchd.out" \
    || fail "a full map went unnoticed"

log "maintenance evicts, new megaflows get in again"
wait_until 5 sh -c "[ \$(vs-dpctl dump-flows $BR | grep -c tp_src=) -le 120 ]" \
    || fail "nothing evicted: $(n_flows) megaflows"
got=$(run $N)
[ "$got" = $N ] || fail "second run delivered $got of $N"
vs-dpctl dump-flows "$BR" | grep "tp_src=" | awk -v n=$N '
    { if (match($0, /tp_src=[0-9]+/)) print substr($0, RSTART + 7, RLENGTH - 7) }' \
    >"$VS_TEST_DIR/ports"
# The generator's 5-tuples FIRST.. use source ports 10000 + index.
new=$(awk -v n=$N '$1 >= 10000 + n' "$VS_TEST_DIR/ports" | wc -l)
log "  delivered $got, megaflows of the second run: $new"
[ "$new" -gt 0 ] || fail "no megaflow of the second run installed"
pass
