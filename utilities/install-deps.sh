#!/bin/sh
# Installs the Debian 12 packages vswitch needs to build, test and benchmark.
# Idempotent: installs only what is missing.  Run as root.
set -e

# Build dependencies.
BUILD="build-essential autoconf automake libtool pkg-config
  libjson-c-dev libnl-3-dev libnl-route-3-dev libbpf-dev bpftool clang llvm
  check libssl-dev libdpdk-dev liburcu-dev libelf-dev zlib1g-dev libcap-ng-dev
  gcc-multilib"
# Test peers and tools (real third-party programs the tests talk to).
TEST="iproute2 ethtool iperf3 tcpdump tshark python3-scapy busybox-static
  qemu-system-x86 dpdk dpdk-dev xdp-tools openvswitch-switch openvswitch-common
  python3-openvswitch python3-os-ken nfdump pmacct socat psmisc procps kmod iputils-ping netcat-openbsd
  gdb strace lz4"

missing=""
for p in $BUILD $TEST; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
        || missing="$missing $p"
done
if [ -z "$missing" ]; then
    echo "install-deps: all packages present"
    exit 0
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# Keep Debian's openvswitch-switch from starting its own daemons: the tests
# start the ones they use, in private directories.
if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    remove_policy=1
fi
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get update -q
apt-get install -y -q --no-install-recommends $missing
[ -n "$remove_policy" ] && rm -f /usr/sbin/policy-rc.d
exit 0
