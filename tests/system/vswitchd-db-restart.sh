#!/bin/sh
# vs-vswitchd across a database server restart: its IDL reconnects by itself
# (no new IDL), keeps the applied configuration while the server is away,
# takes a new snapshot and applies a change made after the restart.
. "$top_srcdir/tests/system/lib.sh"
. "$top_srcdir/tests/system/vsctl-lib.sh"
require_root
require_cmd vs-vswitchd vs-ovsdb-server vs-vsctl vs-dpctl ovsdb-client
mount | grep -q ' /sys/fs/bpf ' || mount -t bpf bpf /sys/fs/bpf 2>/dev/null
start_db "$top_srcdir/vswitchd/vswitch.ovsschema" vs
db_pid=$DAEMON_PID
BR=$(link_name br)
on_exit "vs-dpctl del-dp $BR"
start_daemon vswitchd vs-vswitchd "$DB"
vsw_pid=$DAEMON_PID
LOG="$VS_LOGDIR/vswitchd.out"

for p in a b; do
    ip link add "$(link_name $p)" type veth peer name "$(link_name ${p}p)" || fail "veth"
    track_link "$(link_name $p)"
    ip link set "$(link_name $p)" up
done
$VSCTL add-br "$BR" -- add-port "$BR" "$(link_name a)" || fail "add-br"
wait_until 10 grep -q "added port $(link_name a)" "$LOG" || fail "port a: $(cat "$LOG")"

log "stop the server under vs-vswitchd"
kill "$db_pid"
wait_until 10 sh -c "! kill -0 $db_pid 2>/dev/null" || fail "server did not stop"
rm -f "$VS_RUNDIR/db.sock"
wait_until 10 grep -q "connection lost; keeping the current configuration" "$LOG" \
    || fail "loss not noticed: $(cat "$LOG")"
sleep 1
kill -0 "$vsw_pid" || fail "vs-vswitchd died without its server"
grep -q "deleted port\|removed port" "$LOG" && fail "configuration dropped: $(cat "$LOG")"

log "restart it; a change made now is applied (vs-vsctl waits for cur_cfg)"
start_daemon ovsdb2 vs-ovsdb-server --remote="punix:$VS_RUNDIR/db.sock" \
    --unixctl="$VS_RUNDIR/ovsdb2.ctl" "$VS_DBDIR/conf.db"
wait_until 10 ovsdb-client list-dbs "$DB" || fail "server did not restart"
$VSCTL add-port "$BR" "$(link_name b)" || fail "add-port after restart: $(cat "$LOG")"
grep -q "added port $(link_name b)" "$LOG" || fail "port b not added: $(cat "$LOG")"
wait_until 10 grep -q "reconnected" "$LOG" || fail "no reconnect logged: $(cat "$LOG")"
kill -0 "$vsw_pid" || fail "vs-vswitchd died"
[ "$(grep -c "cfg_ovsdb|INFO|.*: connected" "$LOG")" = 1 ] \
    || fail "IDL recreated instead of reconnecting: $(cat "$LOG")"
[ "$($VSCTL --no-wait get Interface "$(link_name b)" ofport)" -gt 0 ] \
    || fail "ofport of b: $($VSCTL --no-wait get Interface "$(link_name b)" ofport)"
pass
