#!/bin/sh
# A/B timing of dump-flows: one vs-vswitchd per build directory, each with
# the same N_FLOWS flows (bench/openflow-bench.sh's flow file), dumped
# DUMPS times per tool and per round, the builds taking turns so that the
# machine's load falls on both alike.  Prints, per round and build, the
# median wall time of a dump with that build's vs-ofctl and with
# ovs-ofctl, the daemon's CPU time (user + system, from /proc) and page
# faults per dump, and the tool's median CPU time (with /usr/bin/time).
# Also checks that every build gives the same output (durations and the
# order of ties aside), byte for byte.  Never fails on timing.
#
# usage: bench/dump-ab.sh BUILD_DIR... (as root; e.g. _build /tmp/main/_build)
# environment: N_FLOWS (100000), DUMPS (7), ROUNDS (2); PERF=FILE records
# (perf record -g) the first build's daemon during its vs-ofctl dumps,
# PERF_TOOL=FILE one vs-ofctl dump of the first build.
set -u
N_FLOWS=${N_FLOWS:-100000}
DUMPS=${DUMPS:-7}
ROUNDS=${ROUNDS:-2}
top_srcdir=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 1 ] || { echo "usage: $0 BUILD_DIR..." >&2; exit 1; }
BUILDS=
for b in "$@"; do
    [ -x "$b/vswitchd/vs-vswitchd" ] && [ -x "$b/utilities/vs-ofctl" ] \
        || { echo "$b: no vswitchd/vs-vswitchd or utilities/vs-ofctl" >&2; exit 1; }
    BUILDS="$BUILDS $(cd "$b" && pwd)"
done
. "$top_srcdir/tests/system/lib.sh"
. "$top_srcdir/tests/system/dp-lib.sh"
require_root
require_cmd ovs-ofctl
NET=215
bpffs_setup
B=$VS_TEST_DIR/ab
mkdir -p "$B"
awk -v n="$N_FLOWS" 'BEGIN {
    for (i = 0; i < n; i++)
        printf "tcp,nw_src=10.%d.%d.%d,nw_dst=172.16.%d.1,tp_dst=%d,actions=output:2\n",
            int(i / 65536) % 256, int(i / 256) % 256, i % 256, i % 7, 1 + i % 1000
}' >"$B/flows.txt"

now() { date +%s.%N; }
# cpu_ticks PID: user + system clock ticks of PID so far.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# minor_faults PID: page faults of PID so far that needed no I/O.
minor_faults() { awk '{ print $10 }' "/proc/$1/stat"; }
TICK=$(getconf CLK_TCK)
TIME=
[ -x /usr/bin/time ] && TIME=timed
timed() { /usr/bin/time -f "%U %S" -o "$B/tool-cpu" "$@"; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
# Durations differ between dumps, and so does the order of rules added in
# the same millisecond (ties in dump order); everything else must not.
strip() { sed "s/duration=[0-9.]*s, //" "$1" | LC_ALL=C sort; }

# One switch per build, each with one port (a veth) and the flows.
i=0
for b in $BUILDS; do
    i=$((i + 1))
    host $i
    br=$(link_name ab$i)
    on_exit "$b/utilities/vs-dpctl del-dp $br"
    vsw_config "$B/sw$i.json" "$br" "$(link_name p$i)"
    start_daemon "vswitchd$i" "$b/vswitchd/vs-vswitchd" --config="$B/sw$i.json"
    eval "PID$i=\$DAEMON_PID TGT$i=unix:$VS_RUNDIR/$br.mgmt"
    eval "tgt=\$TGT$i"
    wait_until 10 ovs-ofctl show "$tgt" || fail "$b: vs-vswitchd does not answer on $tgt"
    ovs-ofctl del-flows "$tgt"
    "$b/utilities/vs-ofctl" -O OpenFlow13 add-flows "$tgt" "$B/flows.txt" \
        || fail "$b: add-flows"
    log "build $i: $b, pid $DAEMON_PID, $N_FLOWS flows"
done

# dump_series N TOOL...: DUMPS dumps of switch N with TOOL; prints
# "MEDIAN_SECONDS CPU_MS_PER_DUMP FAULTS_PER_DUMP TOOL_CPU_MS" (the tool's
# median CPU, "-" without /usr/bin/time); the last dump's output
# in $B/out.
dump_series() {
    _n=$1; shift
    eval "_pid=\$PID$_n _tgt=\$TGT$_n"
    _perf=
    if [ -n "${PERF_TOOL:-}" ] && [ "$_n" = 1 ] && [ "$1" != ovs-ofctl ]; then
        perf record -q ${PERF_OPTS:--g} -o "$PERF_TOOL" "$@" dump-flows "$_tgt" >/dev/null 2>&1
        PERF_TOOL=
    fi
    if [ -n "${PERF:-}" ] && [ "$_n" = 1 ] && [ "$1" != ovs-ofctl ]; then
        perf record -q ${PERF_OPTS:--g} -o "$PERF" -p "$_pid" >/dev/null 2>&1 &
        _perf=$!
        sleep 0.5
    fi
    _c0=$(cpu_ticks "$_pid") _f0=$(minor_faults "$_pid")
    _k=0
    : >"$B/times"
    : >"$B/tool-cpus"
    while [ $_k -lt "$DUMPS" ]; do
        _t=$(now)
        $TIME "$@" dump-flows "$_tgt" >"$B/out" 2>"$B/err" || fail "dump-flows: $(head -3 "$B/err")"
        awk -v a="$_t" -v b="$(now)" 'BEGIN { printf "%.3f\n", b - a }' >>"$B/times"
        [ -n "$TIME" ] && awk '{ printf "%d\n", ($1 + $2) * 1000 }' "$B/tool-cpu" >>"$B/tool-cpus"
        _k=$((_k + 1))
    done
    _c1=$(cpu_ticks "$_pid") _f1=$(minor_faults "$_pid")
    if [ -n "$_perf" ]; then
        kill -INT "$_perf"
        wait "$_perf"
        PERF=
    fi
    _lines=$(grep -c "actions=" "$B/out")
    [ "$_lines" = "$N_FLOWS" ] || fail "dump-flows listed $_lines flows, expected $N_FLOWS"
    _tool_cpu=-
    [ -n "$TIME" ] && _tool_cpu=$(median <"$B/tool-cpus")
    echo "$(median <"$B/times") $(( (_c1 - _c0) * 1000 / TICK / DUMPS )) $(( (_f1 - _f0) / DUMPS )) $_tool_cpu"
}

printf "%-5s %-5s %-30s %9s %7s %7s %7s %9s %7s %7s %7s\n" round build dir \
    "vs-ofctl" "cpu ms" faults "tool ms" "ovs-ofctl" "cpu ms" faults "tool ms"
r=1
while [ $r -le "$ROUNDS" ]; do
    i=0
    for b in $BUILDS; do
        i=$((i + 1))
        set -- $(dump_series $i "$b/utilities/vs-ofctl" -O OpenFlow13)
        vs_t=$1 vs_cpu=$2 vs_f=$3 vs_tool=$4
        strip "$B/out" >"$B/vs-out$i"
        set -- $(dump_series $i ovs-ofctl -O OpenFlow13)
        ovs_t=$1 ovs_cpu=$2 ovs_f=$3 ovs_tool=$4
        strip "$B/out" >"$B/ovs-out$i"
        printf "%-5s %-5s %-30s %9s %7s %7s %7s %9s %7s %7s %7s\n" $r $i "$b" \
            "$vs_t" "$vs_cpu" "$vs_f" "$vs_tool" "$ovs_t" "$ovs_cpu" "$ovs_f" "$ovs_tool"
    done
    r=$((r + 1))
done

# Every build's output, per tool, must be the same bytes.
i=0
for b in $BUILDS; do
    i=$((i + 1))
    cmp -s "$B/vs-out1" "$B/vs-out$i" || fail "vs-ofctl output of build $i differs from build 1"
    cmp -s "$B/ovs-out1" "$B/ovs-out$i" || fail "ovs-ofctl output of build $i differs from build 1"
done
log "outputs identical across builds (durations aside)"
pass
