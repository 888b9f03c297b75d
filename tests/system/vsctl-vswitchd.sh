#!/bin/sh
# vs-vsctl with the real vs-vswitchd: without --no-wait a change returns
# once the daemon applied it (cur_cfg caught up with next_cfg), and an
# interface the daemon cannot set up is reported with the daemon's error.
. "$top_srcdir/tests/system/lib.sh"
. "$top_srcdir/tests/system/vsctl-lib.sh"
require_root
require_cmd vs-vswitchd vs-ovsdb-server vs-vsctl vs-dpctl ovsdb-client
mount | grep -q ' /sys/fs/bpf ' || mount -t bpf bpf /sys/fs/bpf 2>/dev/null
start_db "$top_srcdir/vswitchd/vswitch.ovsschema" vs
BR=$(link_name br)
on_exit "vs-dpctl del-dp $BR"
start_daemon vswitchd vs-vswitchd "$DB"

get_cfg() {
    $VSCTL --no-wait get Open_vSwitch . "$1"
}

log "add-br waits for vs-vswitchd"
$VSCTL add-br "$BR" || fail "add-br"
[ "$(get_cfg cur_cfg)" -ge "$(get_cfg next_cfg)" ] \
    || fail "returned before cur_cfg ($(get_cfg cur_cfg)) reached next_cfg ($(get_cfg next_cfg))"

log "a port whose device does not exist: its error is reported"
NODEV=$(link_name nodev)
$VSCTL add-port "$BR" "$NODEV" 2>"$VS_TEST_DIR/err" || fail "add-port: exit status $?"
grep -q "Error detected while setting up '$NODEV'" "$VS_TEST_DIR/err" \
    || fail "no error report: [$(cat "$VS_TEST_DIR/err")] error column: $($VSCTL --no-wait get Interface "$NODEV" error)"
[ "$(get_cfg cur_cfg)" -ge "$(get_cfg next_cfg)" ] || fail "cur_cfg behind"

log "a port that works: no report"
ip link add "$(link_name ok)" type veth peer name "$(link_name okp)" || fail "veth"
track_link "$(link_name ok)"
ip link set "$(link_name ok)" up
$VSCTL add-port "$BR" "$(link_name ok)" 2>"$VS_TEST_DIR/err" || fail "add-port ok"
[ ! -s "$VS_TEST_DIR/err" ] || fail "unexpected report: $(cat "$VS_TEST_DIR/err")"
$VSCTL del-br "$BR" || fail "del-br"
pass
