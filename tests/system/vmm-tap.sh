#!/bin/sh
# virtio-net with a tap backend: the test guest resolves and pings a host
# in a network namespace through a tap device served by vs-vmm.
. "$top_srcdir/tests/system/lib.sh"
. "$top_srcdir/tests/system/vmm-lib.sh"
vmm_require

ns_add h1
tap=$(link_name tap)
ns h1 ip tuntap add mode tap name "$tap" || fail "tuntap add"
ns h1 ip addr add 10.79.0.2/24 dev "$tap"
ns h1 ip link set "$tap" up

ns h1 timeout -k 5 60 vs-vmm --kernel "$GUEST" --memory 16 \
    --cmdline "tests=net ip=10.79.0.1 peer=10.79.0.2 rounds=2 msix=1" \
    --net "tap=$tap,mac=52:54:00:79:00:01" </dev/null >"$VS_LOGDIR/tap.out" 2>&1
rc=$?
[ $rc = 0 ] || { cat "$VS_LOGDIR/tap.out" >&2; fail "exit status $rc"; }
expect_out tap "mac 52:54:00:79:00:01"
expect_out tap "net: round 1: ARP reply from 10.79.0.2"
expect_out tap "net: round 2: ICMP echo reply from 10.79.0.2"
expect_out tap "guest: all ok"
# Receive completions arrived as MSI-X interrupts (irqfd -> LAPIC).
expect_out tap "net: MSI-X interrupts so far: [1-9]"
# The host's side of the tap received the guest's frames.
rx=$(ns h1 cat "/sys/class/net/$tap/statistics/rx_packets")
[ "$rx" -ge 4 ] || fail "tap received $rx packets from the guest, expected >= 4"
pass
