#!/bin/sh
# Sets up vswitch on this machine and shows it switching real traffic:
# installs the Debian packages, builds the tree, starts vs-ovsdb-server and
# vs-vswitchd (through vs-ctl) in a private directory, creates a bridge with
# two namespaced hosts on veth ports, and pings between them through the
# switch's XDP fast path.  The switch keeps running afterwards; inspect it
# with the commands printed at the end, and tear it all down with
#   ./utilities/vs-demo.sh --cleanup
# Run as root from anywhere; everything it creates is named vsdemo*.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
[ "$(id -u)" = 0 ] || { echo "vs-demo: run as root" >&2; exit 1; }

demo=/tmp/vsdemo
export VS_RUNDIR=$demo/run VS_DBDIR=$demo/db VS_LOGDIR=$demo/log
export VS_PKGDATADIR=$top/vswitchd VS_BPF_DIR=/sys/fs/bpf/vsdemo
export PATH="$top/_build/utilities:$top/_build/ovsdb:$top/_build/vswitchd:$PATH:/usr/sbin:/sbin"
BR=vsdemo0

cleanup() {
    if [ -x _build/utilities/vs-ctl ]; then
        vs-vsctl --timeout=5 --if-exists del-br $BR >/dev/null 2>&1 || true
        vs-ctl stop >/dev/null 2>&1 || true
    fi
    command -v vs-dpctl >/dev/null 2>&1 && vs-dpctl del-dp $BR >/dev/null 2>&1 || true
    for h in 1 2; do
        ip netns del vsdemo-h$h 2>/dev/null || true
        ip link del vsdemo-p$h 2>/dev/null || true
    done
    ip link del $BR 2>/dev/null || true
    rm -rf "$VS_BPF_DIR" "$demo"
}

if [ "${1:-}" = --cleanup ]; then
    cleanup
    echo "vs-demo: removed"
    exit 0
fi

echo "vs-demo: installing packages and building (takes a few minutes the first time)"
./utilities/install-deps.sh
[ -x configure ] || ./boot.sh
mkdir -p _build
(cd _build && { [ -f Makefile ] || ../configure; } && make -j"$(nproc)" >make.out 2>&1) \
    || { tail -30 _build/make.out; echo "vs-demo: build failed" >&2; exit 1; }

cleanup
mkdir -p "$VS_RUNDIR" "$VS_DBDIR" "$VS_LOGDIR"

echo "vs-demo: starting vs-ovsdb-server and vs-vswitchd"
vs-ctl start

# Two hosts, each in its own namespace, each plugged into the bridge by a veth.
for h in 1 2; do
    ip netns add vsdemo-h$h
    ip link add vsdemo-p$h type veth peer name eth0 netns vsdemo-h$h
    ip -n vsdemo-h$h addr add 10.251.0.$h/24 dev eth0
    ip -n vsdemo-h$h link set eth0 up
    ip -n vsdemo-h$h link set lo up
    ip link set vsdemo-p$h up
done

echo "vs-demo: vs-vsctl add-br $BR; add-port $BR vsdemo-p1; add-port $BR vsdemo-p2"
vs-vsctl --timeout=30 add-br $BR -- add-port $BR vsdemo-p1 -- add-port $BR vsdemo-p2
vs-vsctl show

echo "vs-demo: ping from host 1 (10.251.0.1) to host 2 (10.251.0.2) through $BR"
ok=no
for try in 1 2 3 4 5; do
    if ip netns exec vsdemo-h1 ping -c 3 -i 0.2 -W 2 10.251.0.2; then ok=yes; break; fi
    sleep 1
done
[ $ok = yes ] || { echo "vs-demo: ping failed; logs in $VS_LOGDIR" >&2; exit 1; }

echo
echo "vs-demo: the switch is running.  Try:"
echo "  export VS_RUNDIR=$VS_RUNDIR PATH=$top/_build/utilities:\$PATH"
echo "  vs-vsctl show; vs-appctl -t vs-vswitchd fdb/show $BR; vs-dpctl dump-flows $BR"
echo "  vs-ofctl dump-flows $BR; vs-ofctl show $BR   # OpenFlow (ovs-ofctl works too: unix:$VS_RUNDIR/$BR.mgmt)"
echo "  ip netns exec vsdemo-h2 ping 10.251.0.1"
echo "Tear down with: $0 --cleanup"
