#!/bin/sh
# Debian's ovsdb-client (Open vSwitch 3.x) against vs-ovsdb-server:
# list-dbs, get-schema, list-tables, list-columns, transact with every
# operation (good and bad), dump and monitor (insert, modify, delete).
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/system/lib.sh"
. "$top_srcdir/tests/ovsdb-lib.sh"
require_cmd ovsdb-client ovs-appctl python3

vs-ovsdb-tool create "$VS_DBDIR/test.db" "$OVSDB_TEST_SCHEMA" || fail "create"
ovsdb_start "$VS_DBDIR/test.db"
C="ovsdb-client --timeout=10"
R=$DB_REMOTE

log "list-dbs, get-schema, list-tables, list-columns"
dbs=$($C list-dbs "$R") || fail "list-dbs"
echo "$dbs" | grep -qx TestDB || fail "list-dbs lacks TestDB: $dbs"
echo "$dbs" | grep -qx _Server || fail "list-dbs lacks _Server: $dbs"
schema=$($C get-schema "$R" TestDB) || fail "get-schema"
json_check "$schema" 'r["name"] == "TestDB" and r["version"] == "1.0.0" and r["cksum"] == "12345 678" and set(r["tables"]) == {"Root","Child","Grandchild","Single"} and r["tables"]["Single"]["maxRows"] == 1'
[ "$($C get-schema-version "$R" TestDB)" = 1.0.0 ] || fail "get-schema-version"
tables=$($C list-tables "$R" TestDB) || fail "list-tables"
for t in Root Child Grandchild Single; do
    echo "$tables" | grep -qw "$t" || fail "list-tables lacks $t"
done
cols=$($C list-columns "$R" TestDB Root) || fail "list-columns"
echo "$cols" | grep -q '^children .*refTable.*Child' || fail "list-columns: $cols"
echo "$cols" | grep -q '^_uuid ' || fail "list-columns lacks _uuid"

log "monitors"
ovsdb-client monitor "$R" TestDB Root name,n >"$VS_TEST_DIR/mon1" 2>&1 &
track_pid $!
ovsdb-client monitor-cond "$R" TestDB '[["n",">=",10]]' Root name,n >"$VS_TEST_DIR/mon2" 2>&1 &
track_pid $!
ovsdb-client --format=json monitor "$R" TestDB Child >"$VS_TEST_DIR/mon3" 2>&1 &
track_pid $!
sleep 1

log "transact: every operation, good"
t() { $C transact "$R" "[\"TestDB\",$1]"; }
r=$(t '{"op":"insert","table":"Root","uuid-name":"r","row":{"name":"alpha","n":1,"children":["named-uuid","c"],"tags":["map",[["a","1"],["b","2"]]]}},
       {"op":"insert","table":"Child","uuid-name":"c","row":{"name":"kid"}},
       {"op":"comment","comment":"first"},{"op":"commit","durable":true}') || fail "transact"
json_check "$r" 'len(r) == 4 and r[0]["uuid"][0] == "uuid" and r[1]["uuid"][0] == "uuid" and r[2] == {} and r[3] == {}'
ROOT=$(echo "$r" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["uuid"][1])')
r=$(t '{"op":"select","table":"Root","where":[["_uuid","==",["uuid","'"$ROOT"'"]]],"columns":["name","n","tags"]}')
json_check "$r" 'r == [{"rows":[{"name":"alpha","n":1,"tags":["map",[["a","1"],["b","2"]]]}]}]'
r=$(t '{"op":"update","table":"Root","where":[["name","==","alpha"]],"row":{"n":12}}')
json_check "$r" 'r == [{"count":1}]'
r=$(t '{"op":"mutate","table":"Root","where":[["n","==",12]],"mutations":[["n","+=",3],["nums","insert",["set",[7,8]]],["tags","delete",["set",["a"]]],["tags","insert",["map",[["c","3"]]]]]}')
json_check "$r" 'r == [{"count":1}]'
r=$(t '{"op":"wait","table":"Root","timeout":0,"where":[],"columns":["name","n"],"until":"==","rows":[{"name":"alpha","n":15}]},
       {"op":"select","table":"Root","where":[["nums","includes",7],["tags","excludes",["map",[["a","1"]]]]],"columns":["nums","tags"]}')
json_check "$r" 'r == [{}, {"rows":[{"nums":["set",[7,8]],"tags":["map",[["b","2"],["c","3"]]]}]}]'
r=$(t '{"op":"insert","table":"Root","row":{"name":"beta"}},{"op":"delete","table":"Root","where":[["name","==","beta"]]}')
json_check "$r" 'len(r) == 2 and r[1] == {"count":1}'

log "transact: every operation, bad"
bad() {
    r=$(t "$1")
    json_check "$r" "$2"
}
bad '{"op":"insert","table":"Root","row":{"name":"alpha"}}' 'len(r) == 2 and r[1]["error"] == "constraint violation"'
bad '{"op":"insert","table":"Root","row":{"nope":1}}' 'r[0]["error"] == "unknown column"'
bad '{"op":"insert","table":"Root","row":{"n":-5}}' 'r[0]["error"] == "constraint violation"'
bad '{"op":"insert","table":"Root","row":{"mode":"c"}}' 'r[0]["error"] == "constraint violation"'
bad '{"op":"insert","table":"Root","row":{"name":7}}' 'r[0]["error"] == "syntax error"'
bad '{"op":"insert","table":"Nope","row":{}}' 'r[0]["error"] == "syntax error"'
bad '{"op":"insert","table":"Root","uuid-name":"x","row":{"name":"x1"}},{"op":"insert","table":"Root","uuid-name":"x","row":{"name":"x2"}}' 'r[1]["error"] == "duplicate uuid-name"'
bad '{"op":"insert","table":"Root","row":{"name":"g","children":["uuid","01234567-89ab-cdef-0123-456789abcdef"]}}' 'r[-1]["error"] == "referential integrity violation"'
bad '{"op":"select","table":"Root","where":[["n","~~",1]]}' 'r[0]["error"] == "syntax error"'
bad '{"op":"select","table":"Root"}' 'r[0]["error"] == "syntax error"'
bad '{"op":"update","table":"Root","where":[],"row":{"fixed":"x"}}' 'r[0]["error"] == "constraint violation"'
bad '{"op":"mutate","table":"Root","where":[],"mutations":[["n","/=",0]]}' 'r[0]["error"] == "domain error"'
bad '{"op":"mutate","table":"Root","where":[],"mutations":[["nums","insert",["set",[1,2,3]]]]}' 'r[0]["error"] == "constraint violation"'
bad '{"op":"mutate","table":"Root","where":[],"mutations":[["name","frob","x"]]}' 'r[0]["error"] == "syntax error"'
bad '{"op":"delete","table":"Child","where":[]}' 'r[-1]["error"] == "referential integrity violation"'
bad '{"op":"wait","table":"Root","timeout":0,"where":[],"columns":["name"],"until":"==","rows":[]}' 'r[0]["error"] == "timed out"'
bad '{"op":"insert","table":"Root","row":{"name":"z"}},{"op":"abort"},{"op":"select","table":"Root","where":[]}' 'r[1]["error"] == "aborted" and r[2] is None'
bad '{"op":"assert","lock":"nobody"}' 'r[0]["error"] == "not owner"'
bad '{"op":"commit"}' 'r[0]["error"] == "syntax error"'
bad '{"op":"frobnicate"}' 'r[0]["error"] == "syntax error"'
bad '{"op":"insert","table":"Single"},{"op":"insert","table":"Single"}' 'r[-1]["error"] == "constraint violation"'
r=$($C transact "$R" '["NoSuchDB",{"op":"comment","comment":"x"}]' 2>&1)
echo "$r" | grep -q "unknown database" || fail "unknown database not reported: $r"
# Nothing from the failed transactions is left behind.
r=$(t '{"op":"select","table":"Root","where":[],"columns":["name"]}')
json_check "$r" 'sorted(x["name"] for x in r[0]["rows"]) == ["alpha"]'
r=$(t '{"op":"select","table":"Single","where":[]}')
json_check "$r" 'r[0]["rows"] == []'

log "dump"
dump=$($C dump "$R" TestDB) || fail "dump"
echo "$dump" | grep -q 'alpha' || fail "dump lacks alpha: $dump"
echo "$dump" | grep -q 'kid' || fail "dump lacks kid"

log "monitor updates"
t '{"op":"delete","table":"Root","where":[]}' >/dev/null
sleep 1
m1=$(cat "$VS_TEST_DIR/mon1")
echo "$m1" | grep -q 'insert.*alpha.*1' || fail "monitor: no insert: $m1"
echo "$m1" | grep -q 'old.* 1$' || fail "monitor: no old value: $m1"
echo "$m1" | grep -q 'new.*alpha.*12' || fail "monitor: no modify: $m1"
echo "$m1" | grep -q 'delete.*alpha' || fail "monitor: no delete: $m1"
m2=$(cat "$VS_TEST_DIR/mon2")
echo "$m2" | grep -q 'insert.*alpha.*12' || fail "monitor-cond: row entering the condition: $m2"
echo "$m2" | grep -q 'delete' || fail "monitor-cond: no delete: $m2"
# The garbage-collected child shows up as a delete too.
grep -q '"delete"' "$VS_TEST_DIR/mon3" || fail "monitor of Child: no delete: $(cat "$VS_TEST_DIR/mon3")"
grep -q '"insert"' "$VS_TEST_DIR/mon3" || fail "monitor of Child: no insert"

server_alive
ovsdb_stop
pass
