#!/bin/sh
# The vs-vmm control socket: status, pause (the guest stops making
# progress), resume (it goes on), power-off (clean exit), errors for
# unknown commands; driven with ovs-appctl as an independent unixctl client
# (and vs-appctl -t vs-vmm.NAME when it is built).
. "$top_srcdir/tests/system/lib.sh"
. "$top_srcdir/tests/system/vmm-lib.sh"
vmm_require
require_cmd ovs-appctl

name=ctl$$
start_daemon vm vs-vmm --name "$name" --kernel "$GUEST" --memory 16 \
    --cpus 2 --cmdline "tests=hang"
vm=$DAEMON_PID
pidfile=$VS_RUNDIR/vs-vmm.$name.pid
wait_until 10 test -S "$VS_RUNDIR/vs-vmm.$name.$vm.ctl" || fail "no control socket"
[ "$(cat "$pidfile")" = "$vm" ] || fail "pidfile $pidfile does not hold $vm"
ctl() { ovs-appctl -t "$VS_RUNDIR/vs-vmm.$name.$vm.ctl" "$@"; }
ticks() { grep -c "hang: tick" "$VS_LOGDIR/vm.out"; }

wait_until 20 grep -q "hang: tick 1" "$VS_LOGDIR/vm.out" || fail "guest not running"
ctl vmm/status >"$VS_LOGDIR/status.out" || fail "vmm/status failed"
expect_out status "name: $name"
expect_out status "state: running"
expect_out status "vcpus: 2"
expect_out status "memory: 16 MiB"

ctl vmm/pause | grep -q paused || fail "vmm/pause"
ctl vmm/status | grep -q "state: paused" || fail "status after pause"
n1=$(ticks); sleep 2; n2=$(ticks)
[ "$n1" = "$n2" ] || fail "guest ran while paused ($n1 -> $n2 ticks)"
ctl vmm/pause 2>/dev/null && fail "pausing twice succeeded"
ctl vmm/resume | grep -q resumed || fail "vmm/resume"
wait_until 20 sh -c "[ \$(grep -c 'hang: tick' '$VS_LOGDIR/vm.out') -gt $n2 ]" \
    || fail "guest did not run after resume"
ctl no/such/command 2>"$VS_LOGDIR/err.out" && fail "unknown command succeeded"
expect_out err "is not a valid command"

if command -v vs-appctl >/dev/null 2>&1; then
    vs-appctl -t "vs-vmm.$name" vmm/status | grep -q "name: $name" \
        || fail "vs-appctl -t vs-vmm.$name vmm/status"
fi

ctl vmm/poweroff | grep -q "powering off" || fail "vmm/poweroff"
wait_until 10 sh -c "! kill -0 $vm 2>/dev/null" || fail "vs-vmm did not stop"
wait $vm; rc=$?
[ $rc = 0 ] || fail "exit status $rc after vmm/poweroff"
[ -e "$pidfile" ] && fail "pidfile left behind"
[ -e "$VS_RUNDIR/vs-vmm.$name.$vm.ctl" ] && fail "control socket left behind"
pass
