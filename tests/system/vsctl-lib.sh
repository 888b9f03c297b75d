# Helpers for the vs-vsctl system tests: a private database server and
# checks that compare a command's exact output, or that a bad command fails
# with a one-line message and leaves the database unchanged.
# Source after tests/system/lib.sh.

DB="unix:$VS_RUNDIR/db.sock"
VSCTL="vs-vsctl --db=$DB --timeout=20"

# start_db SCHEMA SERVER: creates conf.db from SCHEMA and starts SERVER
# ("vs" = vs-ovsdb-server if built, else Debian's; "debian" = Debian's).
start_db() {
    _schema=$1 _which=$2
    if [ "$_which" = vs ] && command -v vs-ovsdb-server >/dev/null 2>&1; then
        _tool=vs-ovsdb-tool _server=vs-ovsdb-server
    else
        require_cmd ovsdb-tool ovsdb-server
        _tool=ovsdb-tool _server=ovsdb-server
    fi
    log "database server: $_server, schema: $_schema"
    "$_tool" create "$VS_DBDIR/conf.db" "$_schema" || fail "$_tool create"
    start_daemon ovsdb "$_server" --remote="punix:$VS_RUNDIR/db.sock" \
        --unixctl="$VS_RUNDIR/ovsdb.ctl" "$VS_DBDIR/conf.db"
    # The socket file appears at bind(), before listen(): wait for a reply.
    wait_until 10 ovsdb-client list-dbs "unix:$VS_RUNDIR/db.sock" \
        || fail "$_server did not start"
}

# The whole database as an independent peer (ovsdb-client) sees it.
db_dump() {
    ovsdb-client dump "$DB" Open_vSwitch 2>&1
}

# vsok EXPECTED ARGS...: runs vs-vsctl --no-wait ARGS; must succeed and
# print exactly EXPECTED (several lines allowed).
vsok() {
    _exp=$1; shift
    _out=$($VSCTL --no-wait "$@" 2>&1) || fail "vs-vsctl $*: exit status $? ($_out)"
    [ "$_out" = "$_exp" ] || fail "vs-vsctl $*:
--- got ---
$_out
--- expected ---
$_exp"
}

# vserr PATTERN ARGS...: vs-vsctl --no-wait ARGS must fail with exit status 1
# and one line on stderr containing PATTERN, nothing on stdout, and the
# database must be unchanged.
vserr() {
    _pat=$1; shift
    _before=$(db_dump)
    $VSCTL --no-wait "$@" >"$VS_TEST_DIR/out" 2>"$VS_TEST_DIR/err"
    _rc=$?
    _err=$(cat "$VS_TEST_DIR/err")
    [ $_rc = 1 ] || fail "vs-vsctl $*: exit status $_rc, expected 1 ($_err)"
    [ ! -s "$VS_TEST_DIR/out" ] || fail "vs-vsctl $*: unexpected output: $(cat "$VS_TEST_DIR/out")"
    [ "$(wc -l <"$VS_TEST_DIR/err")" = 1 ] || fail "vs-vsctl $*: not one line: $_err"
    case $_err in
        *"$_pat"*) ;;
        *) fail "vs-vsctl $*: message [$_err] lacks [$_pat]" ;;
    esac
    [ "$(db_dump)" = "$_before" ] || fail "vs-vsctl $*: database changed"
}
