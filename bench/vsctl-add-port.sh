#!/bin/sh
# Benchmark: 1000 add-port in one vs-vsctl invocation, and as 1000
# invocations, against ovs-vsctl + Debian's ovsdb-server measured in the same
# run (both --no-wait, fresh databases).  Prints times and the speedup
# (yardstick time / our time; the target is >= 2).
#
#   bench/vsctl-add-port.sh [N]     (N ports, default 1000, at most 5000)
#
# Our side uses vs-ovsdb-server when it is built, else Debian's
# ovsdb-server (then the ratio measures the client alone).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${top_builddir:-$top/_build}
N=${1:-1000}
[ "$N" -le 5000 ] || { echo "N must be <= 5000" >&2; exit 2; }
export PATH="$build/utilities:$build/ovsdb:$PATH:/usr/sbin"
for c in vs-vsctl ovs-vsctl ovsdb-server ovsdb-tool; do
    command -v $c >/dev/null || { echo "needs $c" >&2; exit 77; }
done
dir=$(mktemp -d /tmp/vsbench.XXXXXX)
server_pid=
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT INT TERM

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc -l; }

# start_server SERVER TOOL SCHEMA: fresh database; sets DB.
start_server() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && sleep 0.2
    rm -f "$dir/conf.db" "$dir/db.sock"
    "$2" create "$dir/conf.db" "$3" >/dev/null || exit 1
    "$1" --remote="punix:$dir/db.sock" --unixctl="$dir/ctl" "$dir/conf.db" \
        >"$dir/server.log" 2>&1 &
    server_pid=$!
    i=0
    # The socket appears at bind(), before listen(): wait for an answer.
    while ! ovsdb-client list-dbs "unix:$dir/db.sock" >/dev/null 2>&1 \
          && [ $i -lt 200 ]; do
        sleep 0.05
        i=$((i + 1))
    done
    DB="unix:$dir/db.sock"
}

# one_invocation CTL: add-br plus N add-port in one transaction, on a
# fresh database; best of 3 runs (the machine is shared).
one_invocation() {
    best=
    for run in 1 2 3; do
        start_server "$2" "$3" "$4"
        t=$(one_run "$1")
        if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then
            best=$t
        fi
    done
    # Runs in a subshell: stop the server it started.
    kill "$server_pid" 2>/dev/null
    echo "$best"
}

one_run() {
    args="--no-wait --db=$DB --timeout=600 add-br br0"
    i=1
    while [ $i -le "$N" ]; do
        args="$args -- add-port br0 p$i"
        i=$((i + 1))
    done
    t0=$(now)
    $1 $args || { echo "$1 failed" >&2; exit 1; }
    t1=$(now)
    [ "$($1 --db=$DB list-ports br0 | wc -l)" = "$N" ] || { echo "$1: wrong port count" >&2; exit 1; }
    elapsed "$t0" "$t1"
}

# many_invocations CTL: N invocations of one add-port each.
many_invocations() {
    $1 --no-wait --db=$DB add-br br0 || exit 1
    t0=$(now)
    i=1
    while [ $i -le "$N" ]; do
        $1 --no-wait --db=$DB --timeout=60 add-port br0 p$i || { echo "$1 failed" >&2; exit 1; }
        i=$((i + 1))
    done
    t1=$(now)
    [ "$($1 --db=$DB list-ports br0 | wc -l)" = "$N" ] || { echo "$1: wrong port count" >&2; exit 1; }
    elapsed "$t0" "$t1"
}

OVS_SCHEMA=/usr/share/openvswitch/vswitch.ovsschema
OUR_SCHEMA=$top/vswitchd/vswitch.ovsschema
if command -v vs-ovsdb-server >/dev/null 2>&1; then
    OUR_SERVER=vs-ovsdb-server OUR_TOOL=vs-ovsdb-tool
else
    OUR_SERVER=ovsdb-server OUR_TOOL=ovsdb-tool
fi

echo "vs-vsctl add-port benchmark, N=$N (ours: vs-vsctl + $OUR_SERVER; yardstick: ovs-vsctl + Debian ovsdb-server)"
ovs_one=$(one_invocation ovs-vsctl ovsdb-server ovsdb-tool "$OVS_SCHEMA")
vs_one=$(one_invocation vs-vsctl "$OUR_SERVER" "$OUR_TOOL" "$OUR_SCHEMA")
start_server ovsdb-server ovsdb-tool "$OVS_SCHEMA"
ovs_many=$(many_invocations ovs-vsctl)
start_server "$OUR_SERVER" "$OUR_TOOL" "$OUR_SCHEMA"
vs_many=$(many_invocations vs-vsctl)

printf '%-28s %10s %10s %8s\n' "case" "ovs (s)" "vs (s)" "speedup"
printf '%-28s %10.3f %10.3f %7.2fx\n' "$N add-port, 1 invocation" "$ovs_one" "$vs_one" \
    "$(echo "$ovs_one / $vs_one" | bc -l)"
printf '%-28s %10.3f %10.3f %7.2fx\n' "$N add-port, $N invocations" "$ovs_many" "$vs_many" \
    "$(echo "$ovs_many / $vs_many" | bc -l)"
