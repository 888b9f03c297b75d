# Helpers for datapath system tests (source after tests/system/lib.sh).

# bpffs_setup: a private bpffs for this test's pins ($VS_BPF_DIR); `ip netns
# exec` hides /sys/fs/bpf, and tests must not share pins anyway.
bpffs_setup() {
    export VS_BPF_DIR="$VS_TEST_DIR/bpf"
    mkdir -p "$VS_BPF_DIR"
    mount -t bpf bpf "$VS_BPF_DIR" || skip "cannot mount bpffs"
    on_exit "umount '$VS_BPF_DIR'"
}

# dp_create DP: creates datapath DP, deleted at cleanup (before the links).
dp_create() {
    vs-dpctl add-dp "$1" || fail "add-dp $1"
    on_exit "vs-dpctl del-dp '$1'"
}

# host N [MAC]: namespace hN with veth port "$(link_name pN)" in the root
# namespace and address 10.$NET.0.N/24 ($NET defaults to 200) on "hN".
host() {
    _hn=$1
    ns_add "h$_hn"
    # No IPv6 autoconf/ND chatter: tests count packets and upcalls.
    ns "h$_hn" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    veth_to_ns "h$_hn" "$(link_name p$_hn)" "h$_hn" "10.${NET:-200}.0.$_hn/24" ${2:-}
}

# ping_ok FROM TO_N: one ping from namespace hFROM to 10.$NET.0.TO_N.
ping_ok() { ns "h$1" ping -c 1 -W 1 "10.${NET:-200}.0.$2" >/dev/null 2>&1; }
# ping_retry FROM TO_N: up to 3 pings (the first may go up as an upcall).
ping_retry() { ns "h$1" ping -c 3 -i 0.2 -W 1 "10.${NET:-200}.0.$2" >/dev/null 2>&1; }
