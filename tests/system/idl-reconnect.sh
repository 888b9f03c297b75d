#!/bin/sh
# The IDL as a daemon uses it: it follows changes through the poll loop,
# survives a database server restart (reconnects, takes a new snapshot) and
# sees changes made while it was away.
. "$top_srcdir/tests/system/lib.sh"
. "$top_srcdir/tests/system/vsctl-lib.sh"
require_cmd vs-vsctl ovsdb-client
WATCH="$top_builddir/tests/idl-watch"
[ -x "$WATCH" ] || skip "tests/idl-watch not built"
start_db "$top_srcdir/vswitchd/vswitch.ovsschema" vs
db_pid=$DAEMON_PID
vsok "" add-br a

start_daemon watch "$WATCH" "$DB" 60
OUT="$VS_LOGDIR/watch.out"
wait_until 10 grep -qx "bridges: a" "$OUT" || fail "initial snapshot: $(cat "$OUT")"
vsok "" add-br b
wait_until 10 grep -qx "bridges: a b" "$OUT" || fail "update: $(cat "$OUT")"

log "restart the server under the client; change the database meanwhile"
kill "$db_pid"
wait_until 10 sh -c "! kill -0 $db_pid 2>/dev/null" || fail "server did not stop"
rm -f "$VS_RUNDIR/db.sock"
# Change the file while no server runs: the client must notice after it
# reconnects.
_server=ovsdb-server
command -v vs-ovsdb-server >/dev/null 2>&1 && _server=vs-ovsdb-server
start_daemon ovsdb2 "$_server" --remote="punix:$VS_RUNDIR/db.sock" \
    --unixctl="$VS_RUNDIR/ovsdb2.ctl" "$VS_DBDIR/conf.db"
wait_until 10 ovsdb-client list-dbs "$DB" || fail "server did not restart"
vsok "" del-br a -- add-br c
wait_until 20 grep -qx "bridges: b c" "$OUT" || fail "after reconnect: $(cat "$OUT")"
vsok "" add-br d
wait_until 10 grep -qx "bridges: b c d" "$OUT" || fail "updates after reconnect: $(cat "$OUT")"
pass
