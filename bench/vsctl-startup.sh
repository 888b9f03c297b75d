#!/bin/sh
# Benchmark: CPU per vs-vsctl run (user+sys, ms), for --version and for a
# real --no-wait add-br then list-br against vs-ovsdb-server, i.e. what a
# script that calls vs-vsctl once per command pays in process startup.
#
#   bench/vsctl-startup.sh [OTHER_VS_VSCTL] [ROUNDS]
#
# With OTHER_VS_VSCTL (say, a build from before a change), both are
# measured in alternating rounds (the machine is shared and noisy) and the
# median of the rounds is printed for each.  ROUNDS defaults to 5; each
# round is 200 --version runs and 50 add-br + 50 list-br runs.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${top_builddir:-$top/_build}
other=${1:-}
rounds=${2:-5}
[ "$rounds" -ge 1 ] && [ "$rounds" -le 50 ] || { echo "ROUNDS: 1..50" >&2; exit 2; }
ours=$build/utilities/vs-vsctl
server=$build/ovsdb/vs-ovsdb-server
tool=$build/ovsdb/vs-ovsdb-tool
for f in "$ours" "$server" "$tool" ${other:+"$other"}; do
    [ -x "$f" ] || { echo "needs $f" >&2; exit 77; }
done
dir=$(mktemp -d /tmp/vsbench-startup.XXXXXX)
server_pid=
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT INT TERM

"$tool" create "$dir/conf.db" "$top/vswitchd/vswitch.ovsschema" >/dev/null || exit 1
"$server" --remote="punix:$dir/db.sock" --unixctl="$dir/ctl" "$dir/conf.db" \
    >"$dir/server.log" 2>&1 &
server_pid=$!
i=0
until "$ours" --db="unix:$dir/db.sock" --timeout=1 list-br >/dev/null 2>&1; do
    i=$((i + 1))
    [ $i -lt 100 ] || { echo "vs-ovsdb-server did not start" >&2; exit 1; }
    sleep 0.05
done
DB=unix:$dir/db.sock

# cpu_ms CMD...: CPU (user+sys of the children, ms) that CMD costs.
cpu_ms() {
    /usr/bin/time -f "%U %S" -o "$dir/time" "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
    awk '{ printf "%.0f", ($1 + $2) * 1000 }' "$dir/time"
}

# version_round CTL: ms of CPU per --version run, over 200 runs.
version_round() {
    t=$(cpu_ms sh -c 'i=0; while [ $i -lt 200 ]; do "$0" --version; i=$((i + 1)); done' "$1")
    echo "$t" | awk '{ printf "%.2f", $1 / 200 }'
}

# db_round CTL TAG: ms of CPU per run, over 50 add-br and 50 list-br.
db_round() {
    t=$(cpu_ms sh -c 'i=0; while [ $i -lt 50 ]; do
            "$0" --no-wait --db="$1" --timeout=10 add-br "$2$i" || exit 1
            "$0" --db="$1" --timeout=10 list-br >/dev/null || exit 1
            i=$((i + 1)); done' "$1" "$DB" "$2")
    i=1
    args="del-br ${2}0"
    while [ $i -lt 50 ]; do args="$args -- del-br $2$i"; i=$((i + 1)); done
    "$1" --no-wait --db="$DB" --timeout=10 $args >/dev/null || exit 1
    echo "$t" | awk '{ printf "%.2f", $1 / 100 }'
}

median() { tr ' ' '\n' | grep . | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

ov= od= tv= td=
r=1
while [ $r -le "$rounds" ]; do
    ov="$ov $(version_round "$ours")"
    od="$od $(db_round "$ours" bo$r-)"
    if [ -n "$other" ]; then
        tv="$tv $(version_round "$other")"
        td="$td $(db_round "$other" bt$r-)"
    fi
    r=$((r + 1))
done
echo "this build ($ours): --version $(echo $ov | median) ms CPU/run [$ov ];" \
     "add-br/list-br $(echo $od | median) ms CPU/run [$od ]"
if [ -n "$other" ]; then
    echo "other ($other): --version $(echo $tv | median) ms CPU/run [$tv ];" \
         "add-br/list-br $(echo $td | median) ms CPU/run [$td ]"
fi
