#!/bin/sh
# lib/stream + lib/jsonrpc against real third-party peers: our client
# against Open vSwitch's ovsdb-server, and ovsdb-client against our server,
# over unix sockets and TCP on loopback.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/system/lib.sh"
require_cmd ovsdb-server ovsdb-tool ovsdb-client
tool=$top_builddir/tests/test-jsonrpc-tool
[ -x "$tool" ] || fail "$tool not built"

# A one-table schema of our own for ovsdb-server to serve.
cat >"$VS_TEST_DIR/test.ovsschema" <<'SCHEMA'
{"name": "Interop", "version": "1.0.0",
 "tables": {"T": {"columns": {"name": {"type": "string"}}}}}
SCHEMA
ovsdb-tool create "$VS_DBDIR/interop.db" "$VS_TEST_DIR/test.ovsschema" \
    || fail "ovsdb-tool create"

# 1. Our client, ovsdb-server as the server.
sock=$VS_RUNDIR/ovsdb.sock
start_daemon ovsdb-server ovsdb-server --remote="punix:$sock" \
    --pidfile="$VS_RUNDIR/ovsdb-server.pid" --unixctl="$VS_RUNDIR/ovsdb.ctl" \
    "$VS_DBDIR/interop.db"
wait_until 10 test -S "$sock" || fail "ovsdb-server did not start"

out=$("$tool" request "unix:$sock" list_dbs '[]') || fail "list_dbs: $out"
log "ovsdb-server list_dbs -> $out"
case $out in *'"Interop"'*) ;; *) fail "list_dbs reply lacks Interop: $out" ;; esac

out=$("$tool" request "unix:$sock" echo '["x\u00e9", 1.5, {"k": [null]}]') \
    || fail "echo: $out"
[ "$out" = '["x'"$(printf '\303\251')"'",1.5,{"k":[null]}]' ] || fail "echo reply: $out"

out=$("$tool" request "unix:$sock" transact \
      '["Interop", {"op": "insert", "table": "T", "row": {"name": "r1"}}]') \
    || fail "transact: $out"
case $out in '[{"uuid":["uuid",'*) ;; *) fail "transact reply: $out" ;; esac
out=$("$tool" request "unix:$sock" transact \
      '["Interop", {"op": "select", "table": "T", "where": [], "columns": ["name"]}]')
[ "$out" = '[{"rows":[{"name":"r1"}]}]' ] || fail "select reply: $out"

# An unknown method gets an error reply, not a hang.
out=$("$tool" request "unix:$sock" no_such_method '[]') && fail "expected error"
case $out in error:*) ;; *) fail "unknown method: $out" ;; esac

# 2. ovsdb-client against our server, unix and tcp.
start_daemon ours "$tool" serve "punix:$VS_RUNDIR/ours.sock" OurDb
wait_until 10 test -S "$VS_RUNDIR/ours.sock" || fail "our server did not start"
out=$(ovsdb-client list-dbs "unix:$VS_RUNDIR/ours.sock") || fail "ovsdb-client: $out"
[ "$out" = OurDb ] || fail "ovsdb-client list-dbs over unix: $out"

start_daemon ours-tcp "$tool" serve "ptcp:0:127.0.0.1" TcpDb
wait_until 10 test -s "$VS_LOGDIR/ours-tcp.out" || fail "no port"
port=$(head -1 "$VS_LOGDIR/ours-tcp.out")
out=$(ovsdb-client list-dbs "tcp:127.0.0.1:$port") || fail "ovsdb-client tcp: $out"
[ "$out" = TcpDb ] || fail "ovsdb-client list-dbs over tcp: $out"

# Garbage from a peer closes that connection only; the server lives on.
python3 - "$VS_RUNDIR/ours.sock" <<'PY' || fail "garbage test"
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.sendall(b'{"method": nope}'); s.settimeout(5)
assert s.recv(100) == b''     # closed by the server
PY
out=$(ovsdb-client list-dbs "unix:$VS_RUNDIR/ours.sock") || fail "server died after garbage"
[ "$out" = OurDb ] || fail "after garbage: $out"
pass
