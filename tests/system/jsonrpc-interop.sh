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

# 3. TLS both ways (ssl:, pssl:) with certificates made here.
require_cmd openssl
(
    set -e; cd "$VS_TEST_DIR"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
        -keyout ca.key -out ca.pem -days 2 -subj /CN=interop-ca
    for n in server client; do
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
            -keyout $n.key -out $n.csr -subj /CN=$n
        openssl x509 -req -in $n.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
            -out $n.pem -days 2
    done
) >"$VS_LOGDIR/openssl.out" 2>&1 || fail "openssl could not make certificates"
d=$VS_TEST_DIR
ovsdb-tool create "$VS_DBDIR/interop-ssl.db" "$d/test.ovsschema" || fail "ovsdb-tool create"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
start_daemon ovsdb-server-ssl ovsdb-server --remote="pssl:$port:127.0.0.1" \
    --private-key="$d/server.key" --certificate="$d/server.pem" \
    --ca-cert="$d/ca.pem" --pidfile="$VS_RUNDIR/ovsdb-ssl.pid" \
    --unixctl="$VS_RUNDIR/ovsdb-ssl.ctl" "$VS_DBDIR/interop-ssl.db"
wait_until 10 "$tool" --ssl "$d/client.key" "$d/client.pem" "$d/ca.pem" \
    request "ssl:127.0.0.1:$port" list_dbs '[]' || fail "ssl: to ovsdb-server"
out=$("$tool" --ssl "$d/client.key" "$d/client.pem" "$d/ca.pem" \
      request "ssl:127.0.0.1:$port" list_dbs '[]')
case $out in *'"Interop"'*) ;; *) fail "ssl list_dbs: $out" ;; esac
log "ovsdb-server over TLS -> $out"

start_daemon ours-ssl "$tool" --ssl "$d/server.key" "$d/server.pem" "$d/ca.pem" \
    serve "pssl:0:127.0.0.1" SslDb
wait_until 10 test -s "$VS_LOGDIR/ours-ssl.out" || fail "no ssl port"
port=$(head -1 "$VS_LOGDIR/ours-ssl.out")
out=$(ovsdb-client -p "$d/client.key" -c "$d/client.pem" -C "$d/ca.pem" \
      list-dbs "ssl:127.0.0.1:$port") || fail "ovsdb-client ssl: $out"
[ "$out" = SslDb ] || fail "ovsdb-client list-dbs over TLS: $out"

# A client with a certificate from another CA is turned away.
(
    cd "$VS_TEST_DIR"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
        -keyout rogue.key -out rogue.pem -days 2 -subj /CN=rogue
) >>"$VS_LOGDIR/openssl.out" 2>&1
ovsdb-client -t 5 -p "$d/rogue.key" -c "$d/rogue.pem" -C "$d/ca.pem" \
    list-dbs "ssl:127.0.0.1:$port" >/dev/null 2>&1 && fail "rogue client accepted"
out=$(ovsdb-client -p "$d/client.key" -c "$d/client.pem" -C "$d/ca.pem" \
      list-dbs "ssl:127.0.0.1:$port") || fail "server died after rogue: $out"
pass
