#!/bin/sh
# Example: run a KVM guest with vs-vmm and put its NIC on a vswitch bridge.
#
#   docs/vmm-network-example.sh [--dry-run] KERNEL [vhost-user|tap] [CMDLINE]
#
# vhost-user (default): the bridge uses the DPDK datapath and owns a
#   "vhost-user-client" port; vs-vmm listens on the socket (",server"), the
#   switch connects to it, and packets move between the guest's rings and the
#   switch without passing through vs-vmm.  Needs hugepages for DPDK
#   (vs-ctl or: echo 512 > /proc/sys/vm/nr_hugepages).
# tap: vs-vmm serves a tap device that is an ordinary port of an XDP bridge.
#
# The switch daemons must be running (vs-ctl start).  With --dry-run the
# commands are printed, not run.  Ctrl-A x quits the guest console;
# vs-appctl -t vs-vmm.vm1 vmm/status shows the VM from another terminal.
set -eu

run() {
    echo "+ $*"
    [ "$dry_run" = yes ] || "$@"
}

dry_run=no
[ "${1:-}" = --dry-run ] && { dry_run=yes; shift; }
[ $# -ge 1 ] || { sed -n '3,4p' "$0"; exit 2; }
kernel=$1
mode=${2:-vhost-user}
cmdline=${3:-console=ttyS0}
bridge=br0
rundir=${VS_RUNDIR:-/var/run/vswitch}

case $mode in
vhost-user)
    sock=$rundir/vm1.sock
    # 1. A bridge on the DPDK datapath.
    run vs-vsctl --may-exist add-br $bridge -- set Bridge $bridge datapath_type=dpdk
    # 2. A port whose vhost-user socket is served by the VMM.
    run vs-vsctl --may-exist add-port $bridge vm1 -- set Interface vm1 \
        type=vhost-user-client options:vhost-server-path="$sock"
    # 3. The guest: vs-vmm listens on the socket and waits for the switch.
    run vs-vmm --name vm1 --kernel "$kernel" --cmdline "$cmdline" --memory 512 \
        --net "vhost-user=$sock,server,mac=52:54:00:00:00:01"
    ;;
tap)
    tap=vm1tap
    # 1. A tap device for the guest, and a bridge with the tap as a port.
    run ip tuntap add mode tap name $tap
    run ip link set $tap up
    run vs-vsctl --may-exist add-br $bridge
    run vs-vsctl --may-exist add-port $bridge $tap
    # 2. The guest on the tap.
    run vs-vmm --name vm1 --kernel "$kernel" --cmdline "$cmdline" --memory 512 \
        --net "tap=$tap,mac=52:54:00:00:00:01"
    run ip link del $tap
    ;;
*)
    echo "mode must be vhost-user or tap" >&2
    exit 2
    ;;
esac
