#!/bin/sh
# OpenFlow benchmark: vswitch (vs-vswitchd over dpif-xdp) against Debian's
# Open vSwitch (ovs-vswitchd, userspace "netdev" datapath), measured in the
# same run, each on its own pair of namespaced hosts:
#   a) add-flows of N_FLOWS distinct flows (tcp,nw_src=..,nw_dst=..,tp_dst=..
#      actions=output:2) from a file: ovs-ofctl against OVS, vs-ofctl against
#      vswitch, and ovs-ofctl against vswitch (separates tool from switch);
#      then dump-flows of them all (output counted, so it must be complete);
#   b) flow setup: N_TUPLES UDP frames, each its own 5-tuple, from one host to
#      the other; the table holds one exact flow per 5-tuple (nw_src, nw_dst,
#      tp_src, tp_dst -> output) and drops the rest, so every frame misses the
#      datapath cache, goes up, and installs its own megaflow.  At most 64
#      frames in flight (bench/flow-setup-gen.c).  Run REPEAT (3) times on
#      fresh 5-tuples; prints the best run's frames delivered per second and
#      the megaflows the datapath holds afterwards (of REPEAT x N_TUPLES).
#      Frames go to a MAC no host has (SINK=1), so the receiving host's
#      IP stack does not take them; SINK=0 addresses the receiving host.
# Prints seconds, rates, and the vswitch speedup (OVS time / vswitch time,
# or vswitch rate / OVS rate: > 1 means vswitch is faster; the target is 2).
# Never fails on timing.  A switch that does not answer OpenFlow gets "n/a".
#
# usage: bench/openflow-bench.sh [N_FLOWS [N_TUPLES]]
#        (as root, after a build in _build; defaults 100000 and 20000;
#        environment: WINDOW=64 frames in flight, REPEAT=3 flow-setup runs,
#        SINK=1: frames addressed to no host, see dst_mac())
# OVS runs in its own network namespace (see bench/ovs-lib.sh), so other
# ovs-vswitchd processes on the machine are no obstacle.
set -u
N_FLOWS=${1:-100000}
N_TUPLES=${2:-20000}
WINDOW=${WINDOW:-64}
REPEAT=${REPEAT:-3}
SINK=${SINK:-1}
top_srcdir=$(cd "$(dirname "$0")/.." && pwd)
top_builddir=${top_builddir:-$top_srcdir/_build}
. "$top_srcdir/tests/system/lib.sh"
. "$top_srcdir/tests/system/dp-lib.sh"
. "$top_srcdir/tests/system/vsctl-lib.sh"
. "$top_srcdir/bench/ovs-lib.sh"
require_root
require_cmd ovs-ofctl vs-vswitchd vs-vsctl vs-dpctl cc
case $N_FLOWS$N_TUPLES in *[!0-9]*) fail "usage: $0 [N_FLOWS [N_TUPLES]]" ;; esac
[ $((N_TUPLES * REPEAT)) -le 500000 ] || fail "N_TUPLES x REPEAT must be <= 500000"
NET=209
B=$VS_TEST_DIR/bench
mkdir -p "$B"
cc -O2 -Wall -o "$B/flow-setup-gen" "$top_srcdir/bench/flow-setup-gen.c" || fail "cc"
GEN=$B/flow-setup-gen
OFCTL="ovs-ofctl -O OpenFlow13"
VSOFCTL=
command -v vs-ofctl >/dev/null 2>&1 && VSOFCTL="vs-ofctl -O OpenFlow13"

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }
# speedup OVS_SECONDS VS_SECONDS (times: bigger OVS time = vswitch faster)
speedup() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2fx", a / b; else print "n/a" }'; }
# rate_speedup VS_RATE OVS_RATE
rate_speedup() { speedup "$1" "$2"; }

log "flow file: $N_FLOWS distinct tcp flows"
awk -v n="$N_FLOWS" 'BEGIN {
    for (i = 0; i < n; i++)
        printf "tcp,nw_src=10.%d.%d.%d,nw_dst=172.16.%d.1,tp_dst=%d,actions=output:2\n",
            int(i / 65536) % 256, int(i / 256) % 256, i % 256, i % 7, 1 + i % 1000
}' >"$B/flows.txt"
[ "$(sort -u "$B/flows.txt" | wc -l)" = "$N_FLOWS" ] || fail "flow file not distinct"

# of_flow_count TOOL TARGET: flows in the switch (dump-aggregate's flow_count).
of_flow_count() { $1 dump-aggregate "$2" 2>/dev/null | sed -n 's/.*flow_count=\([0-9]*\).*/\1/p'; }

# cpu_us PID: CPU microseconds of all of PID's threads so far, to the
# nanosecond (schedstat; /proc/PID/stat counts in 10 ms ticks).
cpu_us() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%d", s / 1000 }'; }
# cpu_ms PID: the same in milliseconds.
cpu_ms() { echo $(( $(cpu_us "$1") / 1000 )); }

# time_add_dump TOOL TARGET SWITCH_PID: "ADD_SECONDS DUMP_SECONDS
# DUMP_SWITCH_CPU_MS" (the switch's CPU during the dump), or "n/a n/a n/a"
# if the tool or switch failed (message on stderr).  Starts from an empty
# table.
time_add_dump() {
    _tool=$1 _tgt=$2 _pid=$3
    $_tool del-flows "$_tgt" || { echo "n/a n/a n/a"; return; }
    _t=$(now)
    if ! $_tool add-flows "$_tgt" "$B/flows.txt" >"$B/add.err" 2>&1; then
        echo "$_tool add-flows failed: $(head -3 "$B/add.err")" >&2
        echo "n/a n/a n/a"; return
    fi
    _add=$(since "$_t")
    # The table must hold them all (one aggregate reply, independent of dump).
    _n=$(of_flow_count "$_tool" "$_tgt")
    if [ "$_n" != "$N_FLOWS" ]; then
        echo "$_tool dump-aggregate: flow_count=$_n after add-flows, expected $N_FLOWS" >&2
        _add=n/a
    fi
    _c=$(cpu_ms "$_pid")
    _t=$(now)
    $_tool dump-flows "$_tgt" >"$B/dump.txt" 2>"$B/dump.err"
    _dump=$(since "$_t")
    _cpu=$(( $(cpu_ms "$_pid") - _c ))
    _n=$(grep -c "actions=" "$B/dump.txt")
    if [ "$_n" != "$N_FLOWS" ]; then
        echo "$_tool dump-flows listed $_n flows, expected $N_FLOWS: $(head -3 "$B/dump.err")" >&2
        _dump=n/a _cpu=n/a
    fi
    $_tool del-flows "$_tgt"
    echo "$_add $_dump $_cpu"
}

# dst_mac H_RX: where the generator addresses its frames.  With SINK=1 (the
# default) a MAC no host has: the receiving host's packet socket counts
# them and its IP stack drops them at once (PACKET_OTHERHOST), as a traffic
# generator's sink port would.  Otherwise host H_RX's own MAC: its UDP stack
# takes each frame and answers port-unreachable, work done inside whichever
# switch's system call delivered the frame (a fifth of its CPU).
dst_mac() { if [ "$SINK" = 1 ]; then echo 02:00:00:00:5e:ed; else mac_of "$1"; fi; }

# flow_setup TOOL TARGET OUT_PORT H_TX H_RX SWITCH_PID: loads the
# per-5-tuple table (REPEAT x N_TUPLES flows), runs the generator from host
# H_TX to H_RX REPEAT times, each time on 5-tuples not sent before; sets
# FS_RATE (the best run), FS_RECEIVED (frames delivered in that run) and
# FS_CPU_US (the switch's CPU microseconds per frame delivered, all its
# threads, over all runs).
flow_setup() {
    _tool=$1 _tgt=$2 _pid=$6
    "$GEN" flows $((REPEAT * N_TUPLES)) "$3" "10.$NET.0.$4" "10.$NET.0.$5" >"$B/tuples.txt" \
        || fail "gen flows"
    echo "priority=0,actions=drop" >>"$B/tuples.txt"
    FS_RATE=n/a FS_RECEIVED=n/a FS_CPU_US=n/a
    $_tool del-flows "$_tgt" && $_tool add-flows "$_tgt" "$B/tuples.txt" || return
    _n=$(of_flow_count "$_tool" "$_tgt")
    [ "$_n" = $((REPEAT * N_TUPLES + 1)) ] || { echo "tuple flows: $_n installed" >&2; return; }
    sleep 1
    _r=0 _cpu=0 _got=0
    while [ $_r -lt "$REPEAT" ]; do
        _c=$(cpu_us "$_pid")
        _out=$("$GEN" run "$VS_T-h$4" "h$4" "$VS_T-h$5" "h$5" "$N_TUPLES" "$WINDOW" \
            "$(mac_of "$4")" "$(dst_mac "$5")" "10.$NET.0.$4" "10.$NET.0.$5" $((_r * N_TUPLES))) \
            || echo "generator: $_out" >&2
        _cpu=$((_cpu + $(cpu_us "$_pid") - _c))
        _got=$((_got + $(echo "$_out" | awk '{ print $4 + 0 }')))
        log "  run $((_r + 1)): $_out"
        _rate=$(echo "$_out" | awk '{ print $8 }')
        if [ -n "$_rate" ] && { [ "$FS_RATE" = n/a ] || [ "$_rate" -gt "$FS_RATE" ]; }; then
            FS_RATE=$_rate
            FS_RECEIVED=$(echo "$_out" | awk '{ print $4 }')
        fi
        _r=$((_r + 1))
    done
    [ "$_got" -gt 0 ] && FS_CPU_US=$(awk -v c="$_cpu" -v n="$_got" 'BEGIN { printf "%.2f", c / n }')
}

for i in 1 2 3 4; do host $i; done

log "Open vSwitch (Debian), netdev datapath, hosts h1 h2"
ovs_start "$VS_TEST_DIR/ovs"
OBR=$(link_name ob)
ovs_add_bridge "$OBR" "$(link_name p1)" "$(link_name p2)"
$OVSCTL set-fail-mode "$OBR" secure || fail "ovs set-fail-mode"
OTGT="unix:$OVS_DIR/$OBR.mgmt"
wait_until 10 $OFCTL show "$OTGT" || fail "ovs-vswitchd does not answer on $OTGT"
set -- $(time_add_dump "$OFCTL" "$OTGT" "$OVS_VSWITCHD_PID"); ovs_add=$1 ovs_dump=$2 ovs_dump_cpu=$3
log "  add-flows $ovs_add s, dump-flows $ovs_dump s (ovs-vswitchd CPU $ovs_dump_cpu ms)"
ovs_out=$($OVSCTL get Interface "$(link_name p2)" ofport)
flow_setup "$OFCTL" "$OTGT" "$ovs_out" 1 2 "$OVS_VSWITCHD_PID"
ovs_rate=$FS_RATE ovs_recv=$FS_RECEIVED ovs_fs_cpu=$FS_CPU_US
ovs_mf=$(ovs-appctl -t "$OVS_DIR/vswitchd.ctl" dpctl/dump-flows 2>/dev/null | grep -c "udp(src=")
log "  megaflows: $ovs_mf"
ovs_stop

log "vswitch (vs-vswitchd, dpif-xdp), hosts h3 h4"
bpffs_setup
start_db "$top_srcdir/vswitchd/vswitch.ovsschema" vs
VBR=$(link_name vb)
on_exit "vs-dpctl del-dp $VBR"
start_daemon vswitchd vs-vswitchd "$DB" --pidfile
$VSCTL add-br "$VBR" -- set-fail-mode "$VBR" secure \
    -- add-port "$VBR" "$(link_name p3)" -- add-port "$VBR" "$(link_name p4)" || fail "vs-vsctl add-br"
VTGT="unix:$VS_RUNDIR/$VBR.mgmt"
VS_PID=$DAEMON_PID
vs_add=n/a vs_dump=n/a vs_ovsofctl_add=n/a vs_ovsofctl_dump=n/a vs_rate=n/a vs_recv=n/a vs_mf=n/a
vs_dump_cpu=n/a vs_ovsofctl_dump_cpu=n/a vs_fs_cpu=n/a
if wait_until 10 $OFCTL show "$VTGT"; then
    if [ -n "$VSOFCTL" ]; then
        set -- $(time_add_dump "$VSOFCTL" "$VTGT" "$VS_PID"); vs_add=$1 vs_dump=$2 vs_dump_cpu=$3
        log "  vs-ofctl: add-flows $vs_add s, dump-flows $vs_dump s (vs-vswitchd CPU $vs_dump_cpu ms)"
    fi
    set -- $(time_add_dump "$OFCTL" "$VTGT" "$VS_PID"); vs_ovsofctl_add=$1 vs_ovsofctl_dump=$2 vs_ovsofctl_dump_cpu=$3
    log "  ovs-ofctl: add-flows $vs_ovsofctl_add s, dump-flows $vs_ovsofctl_dump s (vs-vswitchd CPU $vs_ovsofctl_dump_cpu ms)"
    vs_out=$($VSCTL get Interface "$(link_name p4)" ofport)
    flow_setup "${VSOFCTL:-$OFCTL}" "$VTGT" "$vs_out" 3 4 "$VS_PID"
    vs_rate=$FS_RATE vs_recv=$FS_RECEIVED vs_fs_cpu=$FS_CPU_US
    vs_mf=$(vs-dpctl dump-flows "$VBR" 2>/dev/null | grep -c "tp_src=")
    log "  megaflows: $vs_mf"
else
    echo "vs-vswitchd does not answer OpenFlow on $VTGT: vswitch figures are n/a" >&2
fi

echo
echo "OpenFlow benchmark: $N_FLOWS flows; $N_TUPLES new 5-tuples, best of $REPEAT runs, window $WINDOW"
printf "  %-40s %12s %12s %9s\n" "" "OVS" "vswitch" "speedup"
printf "  %-40s %12s %12s %9s\n" "add-flows, seconds (vs-ofctl)" "$ovs_add" "$vs_add" "$(speedup "$ovs_add" "$vs_add")"
printf "  %-40s %12s %12s %9s\n" "add-flows, seconds (ovs-ofctl)" "$ovs_add" "$vs_ovsofctl_add" "$(speedup "$ovs_add" "$vs_ovsofctl_add")"
printf "  %-40s %12s %12s %9s\n" "dump-flows, seconds (vs-ofctl)" "$ovs_dump" "$vs_dump" "$(speedup "$ovs_dump" "$vs_dump")"
printf "  %-40s %12s %12s %9s\n" "dump-flows, seconds (ovs-ofctl)" "$ovs_dump" "$vs_ovsofctl_dump" "$(speedup "$ovs_dump" "$vs_ovsofctl_dump")"
# The switch's own share of a dump, whatever the tool costs: ovs-ofctl
# alone spends about 0.2 s decoding and printing 100,000 flows, so the
# wall-clock line with ovs-ofctl is mostly the tool's.
printf "  %-40s %12s %12s %9s\n" "  dump, switch CPU ms (vs-ofctl)" "$ovs_dump_cpu" "$vs_dump_cpu" "$(speedup "$ovs_dump_cpu" "$vs_dump_cpu")"
printf "  %-40s %12s %12s %9s\n" "  dump, switch CPU ms (ovs-ofctl)" "$ovs_dump_cpu" "$vs_ovsofctl_dump_cpu" "$(speedup "$ovs_dump_cpu" "$vs_ovsofctl_dump_cpu")"
printf "  %-40s %12s %12s %9s\n" "flow setup, 5-tuples delivered/s (SINK=$SINK)" "$ovs_rate" "$vs_rate" "$(rate_speedup "$vs_rate" "$ovs_rate")"
printf "  %-40s %12s %12s\n" "  delivered in that run (of $N_TUPLES)" "$ovs_recv" "$vs_recv"
# What the switch spends per new flow, whatever the machine's cores: on a
# small machine both switches' rates are bound by CPU the generator and
# the kernel share, so this is the switch's own part.
printf "  %-40s %12s %12s %9s\n" "  switch CPU us per frame (all threads)" "$ovs_fs_cpu" "$vs_fs_cpu" "$(speedup "$ovs_fs_cpu" "$vs_fs_cpu")"
printf "  %-40s %12s %12s\n" "  megaflows after (of $((REPEAT * N_TUPLES)))" "$ovs_mf" "$vs_mf"
pass
