#!/bin/sh
# A big multipart reply over a real connection: the real ovs-ofctl adds
# N_FLOWS (100,000) flows to vs-vswitchd and dumps them back whole (the
# reply is tens of MB, far above the connection's 4 MiB output bound,
# which must slow input down rather than drop the connection), then a
# dump read slowly through a pipe also arrives whole, and vs-vswitchd
# is still there and answering afterwards.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/system/lib.sh"
. "$top_srcdir/tests/system/dp-lib.sh"
require_root
require_cmd ovs-ofctl timeout
[ -f "$top_srcdir/ofproto/ofproto.c" ] && [ -f "$top_srcdir/ofproto/connmgr.c" ] \
    || skip "needs the whole OpenFlow switch (ofproto and connmgr parts)"
N_FLOWS=${N_FLOWS:-100000}
NET=214
bpffs_setup
BR=br$$
CFG=$VS_TEST_DIR/vswitchd.json
on_exit "vs-dpctl del-dp $BR"
host 1
vsw_config "$CFG" $BR "$(link_name p1)"
vsw_start "$CFG"
MGMT=unix:$VS_RUNDIR/$BR.mgmt
wait_until 10 test -S "$VS_RUNDIR/$BR.mgmt" || fail "no mgmt socket"
OF="ovs-ofctl -O OpenFlow13"

awk -v n="$N_FLOWS" 'BEGIN {
    for (i = 0; i < n; i++)
        printf "tcp,nw_src=10.%d.%d.%d,tp_dst=%d,actions=drop\n",
            int(i / 65536) % 256, int(i / 256) % 256, i % 256, 1 + i % 1000
}' >"$VS_TEST_DIR/flows"
log "add-flows: $N_FLOWS flows"
timeout 300 $OF add-flows $MGMT "$VS_TEST_DIR/flows" || fail "add-flows"
n=$($OF dump-aggregate $MGMT | sed -n 's/.*flow_count=\([0-9]*\).*/\1/p')
# The bridge (no controller) also has its priority=0 NORMAL flow.
[ "$n" -ge "$N_FLOWS" ] || fail "table holds $n flows, expected $N_FLOWS"

log "dump-flows at full speed"
t0=$(date +%s.%N)
timeout 300 $OF dump-flows $MGMT >"$VS_TEST_DIR/dump" 2>"$VS_TEST_DIR/dump.err" \
    || fail "dump-flows: $(head -3 "$VS_TEST_DIR/dump.err")"
t1=$(date +%s.%N)
n=$(grep -c 'nw_src=' "$VS_TEST_DIR/dump")
[ "$n" = "$N_FLOWS" ] || fail "dump-flows listed $n flows, expected $N_FLOWS"
log "  $n flows, $(wc -c <"$VS_TEST_DIR/dump") bytes of text in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s"

log "dump-flows read slowly (a pipe drained 64 kB every 20 ms)"
timeout 300 sh -c "$OF dump-flows $MGMT 2>'$VS_TEST_DIR/slow.err' | \
    while dd bs=65536 count=1 iflag=fullblock 2>/dev/null | grep -c 'nw_src='; do sleep 0.02; done" \
    >"$VS_TEST_DIR/slow-counts" || fail "slow dump-flows: $(head -3 "$VS_TEST_DIR/slow.err")"
[ -s "$VS_TEST_DIR/slow.err" ] && fail "slow dump-flows: $(head -3 "$VS_TEST_DIR/slow.err")"
n=$(awk '{ s += $1 } END { print s + 0 }' "$VS_TEST_DIR/slow-counts")
# A line cut between two 64 kB blocks may count twice or not at all.
blocks=$(wc -l <"$VS_TEST_DIR/slow-counts")
[ "$n" -ge $((N_FLOWS - blocks)) ] && [ "$n" -le $((N_FLOWS + blocks)) ] \
    || fail "slow dump-flows listed about $n flows, expected $N_FLOWS"
log "  about $n flows in $blocks blocks"

kill -0 "$VSW_PID" 2>/dev/null || fail "vs-vswitchd died"
$OF show $MGMT >/dev/null || fail "vs-vswitchd does not answer after the dumps"
log "vs-vswitchd peak RSS: $(sed -n 's/^VmHWM: *//p' /proc/$VSW_PID/status)"
pass
