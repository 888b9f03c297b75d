#!/bin/sh
# Debian's ovs-vsctl (--no-wait) against vs-ovsdb-server with the project's
# Open_vSwitch schema: add-br, add-port, set, list, get, find, del-port,
# del-br and show; then managers from the database (--remote=db:...).
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/system/lib.sh"
. "$top_srcdir/tests/ovsdb-lib.sh"
require_cmd ovs-vsctl ovsdb-client ovs-appctl python3

vs-ovsdb-tool create "$VS_DBDIR/conf.db" "$VSWITCH_SCHEMA" || fail "create"
ovsdb_start "$VS_DBDIR/conf.db" --remote=db:Open_vSwitch,Open_vSwitch,manager_options
V="ovs-vsctl --db=$DB_REMOTE --no-wait --timeout=10"

$V init || fail "init"
$V add-br br0 || fail "add-br"
$V add-br br1 -- set Bridge br1 fail_mode=secure || fail "add-br br1"
$V add-port br0 p1 || fail "add-port p1"
$V add-port br0 p2 -- set Interface p2 type=internal || fail "add-port p2"
$V set Bridge br0 other_config:hwaddr=00:11:22:33:44:55 external_ids:owner=test || fail "set"
$V set Port p1 tag=42 || fail "set tag"

[ "$($V get Bridge br0 other_config:hwaddr)" = '"00:11:22:33:44:55"' ] || fail "get hwaddr: $($V get Bridge br0 other_config:hwaddr)"
[ "$($V get Port p1 tag)" = 42 ] || fail "get tag"
[ "$($V get Bridge br1 fail_mode)" = secure ] || fail "get fail_mode"
[ "$($V --bare --columns=name find Interface type=internal | grep . | sort | tr '\n' ' ')" = "br0 br1 p2 " ] \
    || fail "find: $($V --bare --columns=name find Interface type=internal)"
$V list Bridge br0 | grep -q '^name *: br0' || fail "list"
[ "$($V list-br | tr '\n' ' ')" = "br0 br1 " ] || fail "list-br"
[ "$($V list-ports br0 | tr '\n' ' ')" = "p1 p2 " ] || fail "list-ports"
show=$($V show) || fail "show"
echo "$show" | grep -q 'Bridge br0' || fail "show: $show"
echo "$show" | grep -q 'Port p1' || fail "show lacks p1"
echo "$show" | grep -q 'tag: 42' || fail "show lacks tag"
echo "$show" | grep -q 'type: internal' || fail "show lacks type"

# Errors come back as errors, not crashes.
$V add-br br0 2>/dev/null && fail "duplicate add-br succeeded"
$V set Bridge br0 fail_mode=bogus 2>/dev/null && fail "bad enum accepted"

$V del-port br0 p1 || fail "del-port"
$V list-ports br0 | grep -qx p1 && fail "p1 still there"
# Deleting the port garbage-collects its Interface.
$V --bare --columns=name list Interface | grep -qx p1 && fail "interface p1 not collected"
$V del-br br1 || fail "del-br"
[ "$($V list-br)" = br0 ] || fail "list-br after del-br"

log "managers from the database"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
$V set-manager "ptcp:$port:127.0.0.1" || fail "set-manager"
wait_until 10 ovsdb-client --timeout=2 list-dbs "tcp:127.0.0.1:$port" \
    || fail "no listener on the manager's ptcp:$port"
[ "$(ovs-vsctl --db=tcp:127.0.0.1:$port --no-wait list-br)" = br0 ] || fail "vsctl over tcp"
$V del-manager || fail "del-manager"
wait_until 10 sh -c "! ovsdb-client --timeout=1 list-dbs tcp:127.0.0.1:$port" \
    || fail "manager listener still open"

# An active manager ("unix:" target): the server connects out to it, and
# reconnects after the manager drops the connection.
python3 - "$VS_RUNDIR/mgr.sock" "$V" <<'PYEOF' || fail "active manager"
import json, socket, subprocess, sys
path, vsctl = sys.argv[1], sys.argv[2].split()
l = socket.socket(socket.AF_UNIX)
l.bind(path)
l.listen(1)
l.settimeout(10)
subprocess.run(vsctl + ["set-manager", "unix:" + path], check=True)
for attempt in range(2):
    c, _ = l.accept()
    c.settimeout(10)
    c.sendall(json.dumps({"method": "transact", "id": 1, "params": ["Open_vSwitch",
        {"op": "select", "table": "Bridge", "where": [], "columns": ["name"]}]}).encode())
    r = json.loads(c.recv(65536))
    assert r["result"][0]["rows"] == [{"name": "br0"}], r
    c.close()
print("active manager served twice")
PYEOF
$V del-manager || fail "del-manager (active)"

server_alive
# The data is in the journal: it survives a restart.
ovsdb_stop
ovsdb_start "$VS_DBDIR/conf.db"
[ "$(ovs-vsctl --db=$DB_REMOTE --no-wait list-ports br0)" = p2 ] || fail "after restart"
ovsdb_stop
pass
