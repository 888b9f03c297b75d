#!/bin/sh
# vs-ovsdb-tool: create, versions and checksums, transact/query, show-log,
# compact, needs-conversion and convert (keeping data), and the server's
# --detach/--pidfile start.
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/system/lib.sh"
. "$top_srcdir/tests/ovsdb-lib.sh"
require_cmd python3

DB="$VS_DBDIR/t.db"
T=vs-ovsdb-tool
$T create "$DB" "$OVSDB_TEST_SCHEMA" || fail "create"
$T create "$DB" "$OVSDB_TEST_SCHEMA" 2>/dev/null && fail "create over an existing db"
[ "$($T db-version "$DB")" = 1.0.0 ] || fail "db-version"
[ "$($T schema-version "$OVSDB_TEST_SCHEMA")" = 1.0.0 ] || fail "schema-version"
[ "$($T db-cksum "$DB")" = "12345 678" ] || fail "db-cksum"
[ "$($T db-name "$DB")" = TestDB ] || fail "db-name"
[ "$($T needs-conversion "$DB" "$OVSDB_TEST_SCHEMA")" = no ] || fail "needs-conversion no"

r=$($T transact "$DB" '["TestDB",{"op":"insert","table":"Root","row":{"name":"a","n":5,"children":["named-uuid","c"]}},{"op":"insert","table":"Child","uuid-name":"c","row":{"name":"kid"}},{"op":"comment","comment":"hello"}]') || fail "transact"
json_check "$r" 'len(r) == 3 and "uuid" in r[0]'
r=$($T transact "$DB" '["TestDB",{"op":"insert","table":"Root","row":{"name":"a"}}]')
json_check "$r" 'r[-1]["error"] == "constraint violation"'
r=$($T query "$DB" '["TestDB",{"op":"select","table":"Root","where":[],"columns":["name","n"]}]') || fail "query"
json_check "$r" 'r == [{"rows":[{"name":"a","n":5}]}]'
r=$($T query "$DB" '["TestDB",{"op":"delete","table":"Root","where":[]}]')
json_check "$r" 'r[0]["error"] == "not allowed"'
$T show-log "$DB" | grep -q 'record 1:.*"hello"' || fail "show-log: $($T show-log "$DB")"
$T show-log -m "$DB" | grep -q '"name":"kid"' || fail "show-log -m"
for i in 1 2 3 4 5 6 7 8 9 10; do
    $T transact "$DB" "[\"TestDB\",{\"op\":\"update\",\"table\":\"Root\",\"where\":[],\"row\":{\"n\":$i}}]" >/dev/null
done
before=$(stat -c %s "$DB")
$T compact "$DB" || fail "compact"
after=$(stat -c %s "$DB")
[ "$after" -lt "$before" ] || fail "compact did not shrink ($before -> $after)"
[ "$($T show-log "$DB" | grep -c '^record')" = 2 ] || fail "compacted log has more than 2 records"
$T compact "$DB" "$VS_DBDIR/copy.db" || fail "compact to a copy"
r=$($T query "$VS_DBDIR/copy.db" '["TestDB",{"op":"select","table":"Root","where":[],"columns":["n"]}]')
json_check "$r" 'r == [{"rows":[{"n":10}]}]'

log "convert"
python3 - "$OVSDB_TEST_SCHEMA" "$VS_TEST_DIR/v2.ovsschema" <<'PYEOF'
import json, sys
s = json.load(open(sys.argv[1]))
s["version"] = "1.1.0"
del s["tables"]["Single"]
del s["tables"]["Root"]["columns"]["ratio"]
s["tables"]["Root"]["columns"]["extra"] = {"type": {"key": "string", "min": 0, "max": 1}}
s["tables"]["Root"]["columns"]["n"]["type"]["key"]["maxInteger"] = 100
json.dump(s, open(sys.argv[2], "w"))
PYEOF
[ "$($T needs-conversion "$DB" "$VS_TEST_DIR/v2.ovsschema")" = yes ] || fail "needs-conversion yes"
$T convert "$DB" "$VS_TEST_DIR/v2.ovsschema" || fail "convert"
[ "$($T db-version "$DB")" = 1.1.0 ] || fail "version after convert"
r=$($T query "$DB" '["TestDB",{"op":"select","table":"Root","where":[],"columns":["name","n","extra","children"]},{"op":"select","table":"Child","where":[],"columns":["name"]}]')
json_check "$r" 'r[0]["rows"][0]["name"] == "a" and r[0]["rows"][0]["n"] == 10 and r[0]["rows"][0]["extra"] == ["set",[]] and r[0]["rows"][0]["children"][0] == "uuid" and r[1]["rows"] == [{"name":"kid"}]'
# Data that no longer fits the new schema stops the conversion, keeping the db.
$T transact "$DB" '["TestDB",{"op":"update","table":"Root","where":[],"row":{"n":99}}]' >/dev/null
python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); s["version"]="1.2.0"; s["tables"]["Root"]["columns"]["n"]["type"]["key"]["maxInteger"]=50; json.dump(s,open(sys.argv[2],"w"))' \
    "$VS_TEST_DIR/v2.ovsschema" "$VS_TEST_DIR/v3.ovsschema"
$T convert "$DB" "$VS_TEST_DIR/v3.ovsschema" 2>/dev/null && fail "lossy convert succeeded"
[ "$($T db-version "$DB")" = 1.1.0 ] || fail "failed convert changed the db"

log "server --detach --pidfile"
# Default pidfile and control socket names, as vs-appctl -t finds them.
vs-ovsdb-server "$DB" --remote="punix:$VS_RUNDIR/d.sock" \
    --pidfile --log-file="$VS_LOGDIR/d.log" --detach --no-chdir || fail "detach"
pid=$(cat "$VS_RUNDIR/vs-ovsdb-server.pid")
track_pid "$pid"
[ -S "$VS_RUNDIR/d.sock" ] || fail "socket missing after --detach returned"
r=$(ovsdb-client --timeout=5 transact "unix:$VS_RUNDIR/d.sock" '["TestDB",{"op":"select","table":"Root","where":[],"columns":["n"]}]')
json_check "$r" 'r == [{"rows":[{"n":99}]}]'
# A second server on the same file is refused (the journal is locked).
vs-ovsdb-server "$DB" --remote="punix:$VS_RUNDIR/e.sock" --unixctl="$VS_RUNDIR/e.ctl" \
    >/dev/null 2>&1 && fail "second server on a locked database"
vs-appctl -t vs-ovsdb-server version | grep -q vs-ovsdb-server || fail "vs-appctl version"
vs-appctl -t vs-ovsdb-server list-commands | grep -q ovsdb-server/compact || fail "list-commands"
vs-appctl -t vs-ovsdb-server exit || fail "exit"
wait_until 10 sh -c "! kill -0 $pid 2>/dev/null" || fail "server did not exit"
[ -e "$VS_RUNDIR/vs-ovsdb-server.pid" ] && fail "pidfile left behind"
ls "$VS_RUNDIR"/vs-ovsdb-server.*.ctl 2>/dev/null && fail "control socket left behind"
pass
