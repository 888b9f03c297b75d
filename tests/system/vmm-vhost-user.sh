#!/bin/sh
# virtio-net over vhost-user against DPDK's own backend (dpdk-testpmd with a
# net_vhost port forwarding to a net_tap port inside a namespace): the test
# guest's ARP and ICMP reach the namespaced host and the replies come back.
# 1. testpmd is the server, vs-vmm the client; testpmd is then killed and
#    restarted, vs-vmm reconnects and the guest's second round succeeds.
# 2. vs-vmm is the server, testpmd (client=1) connects to it; testpmd is
#    restarted and vs-vmm accepts it again.
# 3. Multiqueue: testpmd offers 2 queue pairs, the guest enables both through
#    the control queue (served by vs-vmm) and transmits on the second.
# testpmd runs with --no-huge (anonymous memory), so no hugepages are needed.
. "$top_srcdir/tests/system/lib.sh"
. "$top_srcdir/tests/system/vmm-lib.sh"
vmm_require
require_cmd dpdk-testpmd

ns_add h1
sock=$VS_TEST_DIR/vhost.sock
tap=$(link_name dt)

# start_testpmd NAME EXTRA_VDEV_ARGS [QUEUES]: testpmd in h1; sets
# $TESTPMD_PID.
start_testpmd() {
    _q=${3:-1}
    start_daemon "$1" ip netns exec "$VS_T-h1" timeout -k 5 120 dpdk-testpmd \
        -l 0-1 --no-huge -m 512 --no-pci --file-prefix="$VS_T$1" \
        --vdev "net_vhost0,iface=$sock,queues=$_q$2" --vdev "net_tap0,iface=$tap" \
        -- --forward-mode=io --auto-start --stats-period 10 --nb-cores=1 \
        --total-num-mbufs=8192 --rxq=$_q --txq=$_q
    TESTPMD_PID=$DAEMON_PID
    wait_until 30 ns h1 ip link show "$tap" || fail "$1: testpmd did not start"
    ns h1 ip addr add 10.80.0.2/24 dev "$tap"
    ns h1 ip link set "$tap" up
}
stop_testpmd() {
    kill "$TESTPMD_PID"
    wait_until 15 sh -c "! kill -0 $TESTPMD_PID 2>/dev/null" || fail "testpmd did not stop"
}

log "vs-vmm client, testpmd server, then a backend restart"
start_testpmd pmd1 ""
wait_until 30 test -S "$sock" || fail "testpmd socket missing"
# The guest waits for a key on its console (a fifo) between the rounds.
mkfifo "$VS_TEST_DIR/console"
start_daemon vm1 sh -c "exec timeout -k 5 120 vs-vmm --kernel '$GUEST' --memory 64 \
    --cmdline 'tests=net ip=10.80.0.1 peer=10.80.0.2 rounds=2 net_timeout=60 net_wait=key msix=1' \
    --net 'vhost-user=$sock' <'$VS_TEST_DIR/console'"
vm=$DAEMON_PID
exec 3>"$VS_TEST_DIR/console"
wait_until 60 grep -q "net: round 1: ICMP echo reply" "$VS_LOGDIR/vm1.out" \
    || fail "round 1 over vhost-user failed"
grep "net: round 1" "$VS_LOGDIR/vm1.out"
stop_testpmd
wait_until 10 grep -q "disconnected" "$VS_LOGDIR/vm1.out" || fail "disconnect not noticed"
start_testpmd pmd2 ""
wait_until 30 test -S "$sock" || fail "restarted testpmd has no socket"
wait_until 30 sh -c "[ \$(grep -c 'vhost-user backend .* connected' '$VS_LOGDIR/vm1.out') -ge 2 ]" \
    || fail "vs-vmm did not reconnect"
echo go >&3
wait_until 60 grep -q "guest: all ok" "$VS_LOGDIR/vm1.out" \
    || fail "round 2 after the backend restart failed"
wait $vm; rc=$?
[ $rc = 0 ] || fail "vm1 exit status $rc"
grep -q "net: round 2: ICMP echo reply" "$VS_LOGDIR/vm1.out" || fail "no round 2 reply"
# The backend's call eventfd reached the guest as MSI-X interrupts (irqfd).
grep -q "net: MSI-X interrupts so far: [1-9]" "$VS_LOGDIR/vm1.out" \
    || fail "no MSI-X interrupt from the vhost-user backend"
stop_testpmd

log "vs-vmm server, testpmd client, then a client restart"
rm -f "$sock"
mkfifo "$VS_TEST_DIR/console2"
start_daemon vm2 sh -c "exec timeout -k 5 120 vs-vmm --name vm2 --kernel '$GUEST' --memory 64 \
    --cmdline 'tests=net ip=10.80.0.1 peer=10.80.0.2 rounds=2 net_timeout=60 net_wait=key msix=1' \
    --net 'vhost-user=$sock,server' <'$VS_TEST_DIR/console2'"
vm=$DAEMON_PID
exec 4>"$VS_TEST_DIR/console2"
wait_until 10 test -S "$sock" || fail "vs-vmm did not listen"
start_testpmd pmd3 ",client=1"
wait_until 60 grep -q "net: round 1: ICMP echo reply" "$VS_LOGDIR/vm2.out" \
    || fail "server mode: round 1 failed"
stop_testpmd
wait_until 10 grep -q "disconnected" "$VS_LOGDIR/vm2.out" || fail "server mode: disconnect not noticed"
start_testpmd pmd3b ",client=1"
wait_until 30 sh -c "[ \$(grep -c 'vhost-user backend .* connected' '$VS_LOGDIR/vm2.out') -ge 2 ]" \
    || fail "server mode: the restarted client was not accepted"
echo go >&4
wait $vm; rc=$?
[ $rc = 0 ] || fail "vm2 exit status $rc"
grep -q "guest: all ok" "$VS_LOGDIR/vm2.out" || fail "server mode: guest failed"
grep -q "net: round 2: ICMP echo reply" "$VS_LOGDIR/vm2.out" || fail "server mode: no round 2 reply"
grep -q "net: MSI-X interrupts so far: [1-9]" "$VS_LOGDIR/vm2.out" \
    || fail "server mode: no MSI-X interrupt"
grep "net: round" "$VS_LOGDIR/vm2.out"
stop_testpmd

log "multiqueue: 2 queue pairs"
rm -f "$sock"
start_testpmd pmd4 "" 2
wait_until 30 test -S "$sock" || fail "testpmd socket missing"
run_vmm vm3 120 --kernel "$GUEST" --memory 64 \
    --cmdline "tests=net ip=10.80.0.1 peer=10.80.0.2 rounds=1 net_timeout=60 msix=1 mq=2" \
    --net "vhost-user=$sock,queues=2"
[ $VMM_RC = 0 ] || { cat "$VS_LOGDIR/vm3.out" >&2; fail "vm3 exit status $VMM_RC"; }
expect_out vm3 "net: 2 queue pairs (device max 2), transmitting on queue 3"
expect_out vm3 "virtio-net0: 2 queue pairs in use"
expect_out vm3 "guest: all ok"
grep "net: round 1\|net: received" "$VS_LOGDIR/vm3.out"
stop_testpmd
pass
