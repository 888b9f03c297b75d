#!/bin/sh
# Benchmark: add-flows of N flows (default 100,000) and dump-flows of them,
# vs-ofctl against Debian's ovs-ofctl, both programming the same Debian
# ovs-vswitchd bridge (userspace datapath, private directory and network
# namespace) in the same run, for OpenFlow 1.0 and 1.3.  Prints the times
# and the speedups (ovs-ofctl time / vs-ofctl time).  Needs root (netns).
#
#   bench/ofctl-add-flows.sh [N]     (at most 200000)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${top_builddir:-$top/_build}
N=${1:-100000}
[ "$N" -le 200000 ] || { echo "N must be <= 200000" >&2; exit 2; }
export PATH="$build/utilities:$PATH:/usr/sbin:/sbin"
for c in vs-ofctl ovs-ofctl ovs-vsctl ovs-vswitchd ovsdb-server ovsdb-tool python3; do
    command -v $c >/dev/null || { echo "needs $c" >&2; exit 77; }
done
[ "$(id -u)" = 0 ] || { echo "needs root (network namespace)" >&2; exit 77; }

dir=$(mktemp -d /tmp/vsbench.XXXXXX)
ns="vsb$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"
pids=
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null; done
    sleep 0.2
    ip netns del "$ns" 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export OVS_RUNDIR="$dir" OVS_DBDIR="$dir" OVS_LOGDIR="$dir" OVS_SYSCONFDIR="$dir"
ovsdb-tool create "$dir/conf.db" /usr/share/openvswitch/vswitch.ovsschema || exit 1
ovsdb-server "$dir/conf.db" --remote="punix:$dir/db.sock" --unixctl="$dir/db.ctl" \
    >"$dir/ovsdb.log" 2>&1 &
pids="$pids $!"
ip netns add "$ns" || exit 1
i=0
until [ -S "$dir/db.sock" ] || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
V="ovs-vsctl --db=unix:$dir/db.sock --timeout=20"
$V --no-wait init || exit 1
ip netns exec "$ns" ovs-vswitchd "unix:$dir/db.sock" --disable-system \
    --unixctl="$dir/vswitchd.ctl" >"$dir/vswitchd.log" 2>&1 &
pids="$pids $!"
$V add-br benchbr -- set bridge benchbr datapath_type=netdev \
    protocols=OpenFlow10,OpenFlow13 || exit 1
SW="unix:$dir/benchbr.mgmt"

python3 -c "
for i in range($N):
    print('priority=%d,ip,nw_src=10.%d.%d.%d,actions=output:%d'
          % (100 + i % 1000, (i >> 16) & 255, (i >> 8) & 255, i & 255, 1 + i % 4))
" >"$dir/flows"

now() { date +%s.%N; }
# timed VAR CMD...: runs CMD with output discarded, stores seconds in VAR.
timed() {
    _v=$1; shift
    _t0=$(now)
    "$@" >/dev/null || { echo "failed: $*" >&2; exit 1; }
    eval "$_v=$(awk -v a="$_t0" -v b="$(now)" 'BEGIN { print b - a }')"
}
count() { ovs-ofctl -O "$1" dump-aggregate "$SW" | sed 's/.*flow_count=//'; }

for ver in OpenFlow10 OpenFlow13; do
    ovs-ofctl -O $ver del-flows "$SW"
    timed vs_add vs-ofctl -O $ver add-flows "$SW" "$dir/flows"
    [ "$(count $ver)" = "$N" ] || { echo "vs-ofctl added $(count $ver) flows" >&2; exit 1; }
    timed vs_dump vs-ofctl -O $ver dump-flows "$SW"
    ovs-ofctl -O $ver del-flows "$SW"
    timed ovs_add ovs-ofctl -O $ver add-flows "$SW" "$dir/flows"
    [ "$(count $ver)" = "$N" ] || { echo "ovs-ofctl added $(count $ver) flows" >&2; exit 1; }
    timed ovs_dump ovs-ofctl -O $ver dump-flows "$SW"
    awk -v v=$ver -v n="$N" -v va="$vs_add" -v oa="$ovs_add" -v vd="$vs_dump" -v od="$ovs_dump" 'BEGIN {
        printf "%s, %d flows: add-flows vs-ofctl %.2fs ovs-ofctl %.2fs (x%.1f); dump-flows vs-ofctl %.2fs ovs-ofctl %.2fs (x%.1f)\n",
               v, n, va, oa, oa / va, vd, od, od / vd }'
    ovs-ofctl -O $ver del-flows "$SW"
done
