# Helpers for the OVSDB interop, robustness and crash tests; source it after
# tests/system/lib.sh.  These tests need no root: they talk to a private
# vs-ovsdb-server over a unix socket in $VS_TEST_DIR.

OVSDB_TEST_SCHEMA="$top_srcdir/tests/ovsdb-test.ovsschema"
VSWITCH_SCHEMA="$top_srcdir/vswitchd/vswitch.ovsschema"

# ovsdb_start DB [EXTRA-ARGS...]: starts vs-ovsdb-server on DB with a unix
# remote $SOCK ("unix:..." form in $DB_REMOTE) and control socket $CTL.
ovsdb_start() {
    _db=$1; shift
    SOCK="$VS_RUNDIR/db.sock"
    CTL="$VS_RUNDIR/ovsdb-server.ctl"
    DB_REMOTE="unix:$SOCK"
    rm -f "$SOCK"
    start_daemon ovsdb-server vs-ovsdb-server "$_db" --remote="punix:$SOCK" \
        --unixctl="$CTL" --log-file="$VS_LOGDIR/ovsdb-server.log" "$@"
    SERVER_PID=$DAEMON_PID
    wait_until 10 test -S "$SOCK" || fail "vs-ovsdb-server did not start"
    wait_until 10 test -S "$CTL" || fail "vs-ovsdb-server control socket missing"
}

# ovsdb_stop: asks the server to exit and waits for it.
ovsdb_stop() {
    vs-appctl -t "$CTL" exit >/dev/null 2>&1 || kill "$SERVER_PID" 2>/dev/null
    wait_until 10 sh -c "! kill -0 $SERVER_PID 2>/dev/null" || fail "server did not exit"
}

# server_alive: fails the test if the server died.
server_alive() {
    kill -0 "$SERVER_PID" 2>/dev/null || fail "vs-ovsdb-server died"
}

# json_check JSON PYTHON-EXPR: evaluates EXPR with the parsed JSON as 'r';
# fails the test (showing JSON) if it is false.
json_check() {
    python3 -c 'import json,sys
r = json.loads(sys.argv[1])
sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2" || fail "check '$2' failed on: $1"
}
