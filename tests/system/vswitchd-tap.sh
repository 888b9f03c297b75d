#!/bin/sh
# Two namespaced hosts on veth ports and two guests on tap ports (created by
# the switch, opened by name by a stand-in VMM) all ping each other through
# vs-vswitchd's NORMAL switching.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/system/lib.sh"
. "$top_srcdir/tests/system/dp-lib.sh"
. "$top_srcdir/tests/system/vsctl-lib.sh"
require_root
require_cmd vs-ovsdb-server vs-vsctl
NET=206
bpffs_setup
start_db "$top_srcdir/vswitchd/vswitch.ovsschema" vs
BR=$(link_name br)
T1=$(link_name t1) T2=$(link_name t2)
on_exit "vs-dpctl del-dp $BR"
start_daemon vswitchd vs-vswitchd "$DB" --pidfile
host 1; host 2
$VSCTL add-br $BR -- add-port $BR "$(link_name p1)" -- add-port $BR "$(link_name p2)" \
    -- add-port $BR $T1 -- set Interface $T1 type=tap \
    -- add-port $BR $T2 -- set Interface $T2 type=tap || fail "add ports"
# (vs-vsctl does not wait for this command list: next_cfg stays 0.)
wait_until 10 dp_has_ports $BR 5 || fail "ports not added"
[ -d /sys/class/net/$T1 ] || fail "tap $T1 not created"
[ "$($VSCTL get Interface $T2 error)" = "[]" ] || fail "tap error: $($VSCTL get Interface $T2 error)"

start_daemon vmm1 /usr/bin/python3 "$top_srcdir/tests/system/fake-vmm.py" $T1 \
    02:00:00:00:06:0b 10.206.0.11 --serve 8 --timeout 30 10.206.0.1 10.206.0.2 10.206.0.12
vmm1=$DAEMON_PID
start_daemon vmm2 /usr/bin/python3 "$top_srcdir/tests/system/fake-vmm.py" $T2 \
    02:00:00:00:06:0c 10.206.0.12 --serve 8 --timeout 30 10.206.0.1 10.206.0.2 10.206.0.11
vmm2=$DAEMON_PID
sleep 1
for i in 1 2; do
    for a in 11 12; do
        ping_retry $i $a || fail "h$i cannot ping guest .$a"
    done
done
ping_retry 1 2 || fail "h1 -> h2"
wait $vmm1 || fail "guest 1: $(cat "$VS_LOGDIR/vmm1.out")"
wait $vmm2 || fail "guest 2: $(cat "$VS_LOGDIR/vmm2.out")"
pass
