#!/bin/sh
# The JSON-RPC side of vs-ovsdb-server under bad and hostile input (see
# tests/ovsdb-protocol.py): errors or clean disconnects, never a crash.
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/system/lib.sh"
. "$top_srcdir/tests/ovsdb-lib.sh"
require_cmd python3 ovs-appctl vs-appctl

vs-ovsdb-tool create "$VS_DBDIR/test.db" "$OVSDB_TEST_SCHEMA" || fail "create"
ovsdb_start "$VS_DBDIR/test.db" --max-message-size=1048576 --max-backlog=262144
python3 "$top_srcdir/tests/ovsdb-protocol.py" "$SOCK" || fail "protocol checks"
server_alive
mem=$(vs-appctl -t "$CTL" memory/show) || fail "memory/show"
echo "$mem" | grep -q 'sessions:' || fail "memory/show: $mem"
vs-appctl -t "$CTL" ovsdb-server/compact || fail "compact"
vs-appctl -t "$CTL" ovsdb-server/add-remote "punix:$VS_RUNDIR/second.sock" || fail "add-remote"
ovs-appctl -t "$CTL" ovsdb-server/list-remotes | grep -q second.sock || fail "list-remotes"
ovsdb-client --timeout=5 list-dbs "unix:$VS_RUNDIR/second.sock" | grep -q TestDB || fail "second remote"
[ "$(stat -c %a "$VS_RUNDIR/second.sock")" = 750 ] || fail "socket mode $(stat -c %a "$VS_RUNDIR/second.sock")"
grep -q 'disconnecting' "$VS_LOGDIR/ovsdb-server.log" || fail "disconnects not logged"
ovsdb_stop
# After the compaction and all that traffic the file still opens cleanly.
vs-ovsdb-tool check "$VS_DBDIR/test.db" | grep -q 'torn' && fail "torn tail after clean exit"
pass
