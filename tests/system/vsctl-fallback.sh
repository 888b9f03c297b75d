#!/bin/sh
# The IDL falls back from monitor_cond to monitor with a server that lacks
# monitor_cond (a minimal fake server in Python), reads its v1 updates and
# sends well-formed transactions to it.
. "$top_srcdir/tests/system/lib.sh"
require_cmd vs-vsctl python3
SOCK="$VS_RUNDIR/fake.sock"

log "--retry: a client started before its server connects when it comes up"
vs-vsctl --db="unix:$SOCK" --no-wait --retry --timeout=15 list-br >"$VS_TEST_DIR/early" 2>&1 &
_early=$!
track_pid $_early
sleep 1
kill -0 $_early 2>/dev/null || fail "--retry gave up early: $(cat "$VS_TEST_DIR/early")"
start_daemon fake python3 "$top_srcdir/tests/system/vsctl-fallback.py" \
    "$SOCK" "$top_srcdir/vswitchd/vswitch.ovsschema" "$VS_TEST_DIR/txns"
wait_until 10 test -S "$SOCK" || fail "fake server did not start"
wait $_early || fail "--retry client failed: $(cat "$VS_TEST_DIR/early")"
[ "$(cat "$VS_TEST_DIR/early")" = legacy0 ] || fail "--retry output: $(cat "$VS_TEST_DIR/early")"
vs-vsctl --db="unix:$VS_RUNDIR/none.sock" --no-wait list-br 2>"$VS_TEST_DIR/err" \
    && fail "no server, no --retry: succeeded"
grep -q "database connection failed" "$VS_TEST_DIR/err" || fail "message: $(cat "$VS_TEST_DIR/err")"
V="vs-vsctl --db=unix:$SOCK --no-wait --timeout=10"

log "reads through plain monitor"
[ "$($V list-br)" = legacy0 ] || fail "list-br: $($V list-br 2>&1)"
[ "$($V get Interface legacy0 type)" = internal ] || fail "get type"
[ "$($V list-ports legacy0)" = "" ] || fail "list-ports"

log "writes a transaction the server can execute"
$V add-port legacy0 p1 tag=3 || fail "add-port"
python3 - "$VS_TEST_DIR/txns" <<'EOP' || fail "transaction shape"
import json, sys
txn = json.loads(open(sys.argv[1]).read().splitlines()[-1])
assert txn[0] == "Open_vSwitch", txn[0]
ops = [op["op"] for op in txn[1:]]
# Guard on the bridge set, inserts before they are referred to, the port
# added to the bridge by a mutation, then the comment.
assert ops[0] == "wait" and ops[1:3] == ["insert", "insert"], ops
assert "mutate" in ops and ops[-1] == "comment", ops
ins = {op["table"]: op for op in txn[1:] if op["op"] == "insert"}
assert ins["Port"]["row"]["name"] == "p1" and ins["Port"]["row"]["tag"] == 3
assert ins["Port"]["row"]["interfaces"][0] == "named-uuid"
mut = [op for op in txn[1:] if op["op"] == "mutate"][0]
assert mut["table"] == "Bridge"
assert mut["mutations"][0][:2] == ["ports", "insert"], mut
assert mut["mutations"][0][2][1][0] == ["named-uuid", ins["Port"]["uuid-name"]]
EOP
pass
