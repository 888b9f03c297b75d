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
    # The namespace side is made under a unique name and renamed "hN" once
    # inside, so tests running in parallel never race on "hN" in the root.
    _p=$(link_name p$_hn) _q=$(link_name q$_hn)
    ip link add "$_p" type veth peer name "$_q" || fail "veth $_p"
    track_link "$_p"
    ip link set "$_q" netns "$VS_T-h$_hn"
    ip -n "$VS_T-h$_hn" link set "$_q" name "h$_hn"
    [ -n "${2:-}" ] && ip -n "$VS_T-h$_hn" link set "h$_hn" address "$2"
    ip -n "$VS_T-h$_hn" addr add "10.${NET:-200}.0.$_hn/24" dev "h$_hn"
    ip -n "$VS_T-h$_hn" link set "h$_hn" up
    ip link set "$_p" up
}

# ping_ok FROM TO_N: one ping from namespace hFROM to 10.$NET.0.TO_N.
ping_ok() { ns "h$1" ping -c 1 -W 1 "10.${NET:-200}.0.$2" >/dev/null 2>&1; }
# ping_retry FROM TO_N: up to 3 pings (the first may go up as an upcall).
ping_retry() { ns "h$1" ping -c 3 -i 0.2 -W 1 "10.${NET:-200}.0.$2" >/dev/null 2>&1; }

# vsw_config FILE BRIDGE PORTSPEC...: writes a vs-vswitchd JSON config with
# one bridge; PORTSPEC is NAME or NAME:JSON-OBJECT-BODY (e.g. 'p1:"tag": 10').
vsw_config() {
    _file=$1 _br=$2; shift 2
    {
        printf '{"bridges": {"%s": {"other_config": {%s}, "ports": {' "$_br" "${VSW_OTHER_CONFIG:-}"
        _sep=""
        for _p in "$@"; do
            case $_p in
                *:*) printf '%s"%s": {%s}' "$_sep" "${_p%%:*}" "${_p#*:}" ;;
                *) printf '%s"%s": {}' "$_sep" "$_p" ;;
            esac
            _sep=", "
        done
        printf '}}}}\n'
    } >"$_file.tmp" && mv "$_file.tmp" "$_file"
}

# vsw_start CONFIG: starts vs-vswitchd on CONFIG; sets $VSW_PID.
vsw_start() {
    start_daemon vswitchd vs-vswitchd --config="$1" -vdp_switch:dbg
    VSW_PID=$DAEMON_PID
}

# vsw_bridge BR N: bridge BR with hosts h1..hN on ports p1..pN, run by
# vs-vswitchd from a config file ($CFG, no database); waits for the ports and
# the OpenFlow socket, then sets $MGMT (its target) and $P1..$PN (the ports'
# datapath numbers).
vsw_bridge() {
    _vb_br=$1 _vb_n=$2 _vb_ports=""
    CFG=$VS_TEST_DIR/vswitchd.json
    on_exit "vs-dpctl del-dp $_vb_br"
    for _vb_i in $(seq 1 "$_vb_n"); do
        host "$_vb_i"
        _vb_ports="$_vb_ports $(link_name "p$_vb_i")"
    done
    # shellcheck disable=SC2086
    vsw_config "$CFG" "$_vb_br" $_vb_ports
    vsw_start "$CFG"
    wait_until 10 dp_has_ports "$_vb_br" "$_vb_n" || fail "ports not added"
    MGMT=unix:$VS_RUNDIR/$_vb_br.mgmt
    wait_until 10 test -S "$VS_RUNDIR/$_vb_br.mgmt" \
        || fail "no mgmt socket $VS_RUNDIR/$_vb_br.mgmt"
    for _vb_i in $(seq 1 "$_vb_n"); do
        _vb_p=$(vs-dpctl show "$_vb_br" \
                | sed -n "s/^  port \([0-9]*\): $(link_name "p$_vb_i") .*/\1/p")
        [ -n "$_vb_p" ] || fail "port number of p$_vb_i: $(vs-dpctl show "$_vb_br")"
        eval "P$_vb_i=$_vb_p"
    done
}

# dp_has_ports DP N: true once datapath DP has N ports.
dp_has_ports() { [ "$(vs-dpctl show "$1" 2>/dev/null | grep -c '^  port ')" = "$2" ]; }

# mac_of N: MAC address of host hN's interface.
mac_of() { ns "h$1" cat "/sys/class/net/h$1/address"; }
