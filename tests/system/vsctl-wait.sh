#!/bin/sh
# vs-vsctl without --no-wait: it bumps next_cfg and waits until the switch
# daemon reports cur_cfg, then reports interface errors the daemon wrote.
# The daemon here is a stand-in: a bounded shell loop that does what
# vs-vswitchd does to the database (ovsdb-client as an independent peer).
. "$top_srcdir/tests/system/lib.sh"
. "$top_srcdir/tests/system/vsctl-lib.sh"
require_cmd vs-vsctl ovsdb-client
start_db "$top_srcdir/vswitchd/vswitch.ovsschema" vs

get_cfg() {
    ovsdb-client transact "$DB" '["Open_vSwitch",{"op":"select","table":"Open_vSwitch","where":[],"columns":["'"$1"'"]}]' 2>/dev/null \
        | sed -n 's/.*"'"$1"'":\([0-9]*\).*/\1/p'
}

# Stand-in for vs-vswitchd: copies next_cfg to cur_cfg (at most 600 times,
# 0.1 s apart) and writes an error for the interface named "bad0".
fake_vswitchd() {
    _i=0
    while [ $_i -lt 600 ] && [ -S "$VS_RUNDIR/db.sock" ]; do
        _next=$(get_cfg next_cfg)
        _cur=$(get_cfg cur_cfg)
        if [ -n "$_next" ] && [ "$_next" != "$_cur" ]; then
            ovsdb-client transact "$DB" '["Open_vSwitch",
              {"op":"update","table":"Interface","where":[["name","==","bad0"]],
               "row":{"error":"could not open network device bad0 (No such device)"}},
              {"op":"update","table":"Open_vSwitch","where":[],"row":{"cur_cfg":'"$_next"'}}]' >/dev/null 2>&1
        fi
        sleep 0.1
        _i=$((_i + 1))
    done
}

vsok "" init
log "no daemon: a change waits, --timeout ends it"
_start=$(date +%s)
vs-vsctl --db="$DB" --timeout=2 add-br br0 2>"$VS_TEST_DIR/err"
_rc=$?
[ $_rc != 0 ] || fail "add-br returned 0 although nothing applied the change"
grep -q "timeout" "$VS_TEST_DIR/err" || fail "no timeout message: $(cat "$VS_TEST_DIR/err")"
[ $(( $(date +%s) - _start )) -ge 2 ] || fail "did not wait for the timeout"
[ "$(get_cfg next_cfg)" = 1 ] || fail "next_cfg not bumped: $(get_cfg next_cfg)"
[ "$(get_cfg cur_cfg)" = 0 ] || fail "cur_cfg changed"

log "read-only commands and --no-wait do not wait nor bump next_cfg"
vs-vsctl --db="$DB" --timeout=5 list-br >/dev/null || fail "list-br waited"
vsok "" add-port br0 p0
[ "$(get_cfg next_cfg)" = 1 ] || fail "next_cfg bumped by read-only/--no-wait"

log "with the stand-in daemon: returns once cur_cfg catches up"
fake_vswitchd &
track_pid $!
vs-vsctl --db="$DB" --timeout=20 add-br br1 || fail "add-br br1 with daemon"
[ "$(get_cfg next_cfg)" = 2 ] || fail "next_cfg not 2"
[ "$(get_cfg cur_cfg)" -ge 2 ] || fail "returned before cur_cfg reached next_cfg"

log "interface errors written back are reported"
vs-vsctl --db="$DB" --timeout=20 add-port br1 bad0 2>"$VS_TEST_DIR/err" \
    || fail "add-port bad0: exit status $?"
grep -q "Error detected while setting up 'bad0': could not open network device bad0 (No such device)" \
    "$VS_TEST_DIR/err" || fail "no interface error report: $(cat "$VS_TEST_DIR/err")"
vs-vsctl --db="$DB" --timeout=20 add-port br1 good0 2>"$VS_TEST_DIR/err" || fail "add-port good0"
[ ! -s "$VS_TEST_DIR/err" ] || fail "unexpected message: $(cat "$VS_TEST_DIR/err")"

log "wait-until blocks until the row exists and matches"
vs-vsctl --db="$DB" --timeout=20 wait-until Bridge brw fail_mode=secure &
_waiter=$!
track_pid $_waiter
sleep 0.5
kill -0 $_waiter 2>/dev/null || fail "wait-until returned before the bridge existed"
vsok "" add-br brw
sleep 0.3
kill -0 $_waiter 2>/dev/null || fail "wait-until returned before fail_mode matched"
vsok "" set-fail-mode brw secure
wait $_waiter || fail "wait-until failed"

log "concurrent writers: no add-port is lost (set changes are mutations)"
vsok "" add-br brc
for w in a b c; do
    (for i in 1 2 3 4 5 6 7 8 9 10; do
        vs-vsctl --db="$DB" --timeout=20 --no-wait add-port brc "c$w$i" || exit 1
     done) &
    eval "_w$w=\$!"
done
wait $_wa || fail "writer a failed"
wait $_wb || fail "writer b failed"
wait $_wc || fail "writer c failed"
[ "$(vs-vsctl --db="$DB" list-ports brc | wc -l)" = 30 ] \
    || fail "lost updates: $(vs-vsctl --db="$DB" list-ports brc | wc -l) ports, want 30"

log "concurrent writers of the same name: one wins, the other gets an error"
for i in 1 2 3 4 5; do
    vs-vsctl --db="$DB" --timeout=20 --no-wait add-port brc "dup$i" 2>"$VS_TEST_DIR/e1$i" &
    _p1=$!
    vs-vsctl --db="$DB" --timeout=20 --no-wait add-port brc "dup$i" 2>"$VS_TEST_DIR/e2$i" &
    _p2=$!
    wait $_p1; _r1=$?
    wait $_p2; _r2=$?
    [ $((_r1 + _r2)) = 1 ] || fail "dup$i: exit statuses $_r1 and $_r2, want one 0 and one 1"
    [ "$(cat "$VS_TEST_DIR/e1$i" "$VS_TEST_DIR/e2$i" | wc -l)" = 1 ] \
        || fail "dup$i: want one error line: $(cat "$VS_TEST_DIR/e1$i" "$VS_TEST_DIR/e2$i")"
    [ "$(vs-vsctl --db="$DB" --bare --columns=_uuid find Port name="dup$i" | grep -c .)" = 1 ] \
        || fail "dup$i: not exactly one port"
done

log "a change on an empty database (no Open_vSwitch row yet) still waits"
ovsdb-client transact "$DB" '["Open_vSwitch",{"op":"delete","table":"Open_vSwitch","where":[]}]' \
    >/dev/null || fail "could not empty the database"
vs-vsctl --db="$DB" --timeout=20 add-br brnew || fail "add-br on an empty database"
[ "$(get_cfg next_cfg)" = 1 ] || fail "next_cfg of the new row not bumped: $(get_cfg next_cfg)"
[ "$(get_cfg cur_cfg)" -ge 1 ] || fail "returned before cur_cfg reached next_cfg of the new row"
pass
