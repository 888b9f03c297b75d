#!/bin/sh
# flow_extract() against Open vSwitch's parser ("ovs-ofctl parse-pcap") on
# the same frames: the committed fuzz corpus, and live traffic the kernel
# sends between two namespaces (ICMP, TCP, UDP, ARP, ND, IPv4 and IPv6
# fragments) plus 802.1Q and 802.1ad QinQ frames injected with scapy.  Every frame must give the same
# flow, except for the documented differences:
#   - vswitch prints "vlan_tpid=0x88a8" for 802.1ad tags (OVS prints no TPID);
#   - corpus frames ext_chain_too_long (vswitch stops after 16 IPv6
#     extension headers) and ext_truncated (vswitch keeps nw_tos/nw_ttl of
#     an IPv6 header whose extension chain is cut), and the frames
#     flow_compose() builds from those two flows.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/system/lib.sh"
require_root
require_cmd ovs-ofctl tcpdump /usr/bin/python3 ping
flow_pcap="$top_builddir/tests/flow-pcap"
[ -x "$flow_pcap" ] || fail "$flow_pcap not built (make check builds it)"

# compare PCAP KNOWN_DIFF_NAMES_FILE: both parsers on PCAP; lines differing
# only where documented pass.  Prints the number of frames.
compare() {
    "$flow_pcap" "$1" >"$VS_TEST_DIR/mine.raw" || fail "flow-pcap $1"
    ovs-ofctl parse-pcap "$1" >"$VS_TEST_DIR/ovs.raw" 2>"$VS_TEST_DIR/ovs.err" \
        || fail "ovs-ofctl parse-pcap $1: $(cat "$VS_TEST_DIR/ovs.err")"
    sed -e 's/in_port=[^,]*,//' -e 's/vlan_tpid=0x88a8,//' \
        "$VS_TEST_DIR/mine.raw" >"$VS_TEST_DIR/mine"
    sed -e 's/in_port=[^,]*,//' "$VS_TEST_DIR/ovs.raw" >"$VS_TEST_DIR/ovs"
    n_mine=$(wc -l <"$VS_TEST_DIR/mine")
    n_ovs=$(wc -l <"$VS_TEST_DIR/ovs")
    [ "$n_mine" = "$n_ovs" ] || fail "$1: $n_mine flows from vswitch, $n_ovs from OVS"
    i=0
    bad=0
    while IFS= read -r mine <&3 && IFS= read -r ovs <&4; do
        i=$((i + 1))
        [ "$mine" = "$ovs" ] && continue
        name=$(sed -n "${i}p" "$2")
        if grep -qx "$name" "$VS_TEST_DIR/known-diffs"; then
            continue
        fi
        echo "frame $i ${name:+($name) }differs:" >&2
        echo "  vswitch $mine" >&2
        echo "  ovs     $ovs" >&2
        bad=$((bad + 1))
    done 3<"$VS_TEST_DIR/mine" 4<"$VS_TEST_DIR/ovs"
    [ "$bad" = 0 ] || fail "$bad of $i frames in $1 parse differently"
    echo "$i"
}

# 1. The corpus: reference frames, malformed ones and kernel captures.
printf '%s\n' ext_chain_too_long ext_truncated >"$VS_TEST_DIR/known-diffs"
/usr/bin/python3 - "$top_srcdir/tests/fuzz/corpus/flow-extract" \
    "$VS_TEST_DIR/corpus.pcap" "$VS_TEST_DIR/corpus.names" <<'EOF' || fail "writing corpus pcap"
import os, struct, sys
src, out, names_out = sys.argv[1:4]
names = sorted(os.listdir(src))
with open(out, "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for n in names:
        b = open(os.path.join(src, n), "rb").read()
        f.write(struct.pack("<IIII", 0, 0, len(b), len(b)) + b)
open(names_out, "w").write("\n".join(names) + "\n")
EOF
n=$(compare "$VS_TEST_DIR/corpus.pcap" "$VS_TEST_DIR/corpus.names") || exit 1
log "corpus: $n frames agree with OVS"

# 1b. flow_compose(): frames built from those flows parse the same in OVS,
# and tshark finds every IPv4/TCP/UDP/ICMP/ICMPv6 checksum in them right.
"$flow_pcap" --compose "$VS_TEST_DIR/composed.pcap" "$VS_TEST_DIR/corpus.pcap" \
    >"$VS_TEST_DIR/corpus.flows" || fail "flow-pcap --compose"
n=$(compare "$VS_TEST_DIR/composed.pcap" "$VS_TEST_DIR/corpus.names") || exit 1
cmp -s "$VS_TEST_DIR/corpus.flows" "$VS_TEST_DIR/mine.raw" \
    || fail "composed frames do not give back the corpus flows"
if command -v tshark >/dev/null 2>&1; then
    tshark -r "$VS_TEST_DIR/composed.pcap" -o ip.check_checksum:TRUE \
        -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE -T fields \
        -e frame.number -e ip.checksum.status -e tcp.checksum.status \
        -e udp.checksum.status -e icmp.checksum.status -e icmpv6.checksum.status \
        >"$VS_TEST_DIR/tshark.out" 2>"$VS_TEST_DIR/tshark.err" \
        || fail "tshark: $(tail -3 "$VS_TEST_DIR/tshark.err")"
    # Status 1 is "good"; empty means no such checksum in the frame.
    bad=$(awk '{ for (i = 2; i <= NF; i++) if ($i != 1) print }' "$VS_TEST_DIR/tshark.out")
    [ -z "$bad" ] || fail "tshark finds bad checksums in composed frames: $bad"
    good=$(awk 'NF > 1' "$VS_TEST_DIR/tshark.out" | wc -l)
    [ "$good" -ge 25 ] || fail "only $good composed frames had checksums to check"
    log "composed: $n frames agree with OVS, $good with checksums tshark verified"
else
    log "composed: $n frames agree with OVS (no tshark: checksums not cross-checked)"
fi

# 2. Live traffic: two namespaces on one veth.  Kernels without 802.1Q
# support (no 8021q module) cannot make tagged frames, so tagged frames are
# sent with scapy from namespace a onto the same veth.
: >"$VS_TEST_DIR/known-diffs"
: >"$VS_TEST_DIR/live.names"
ns_add a
ns_add b
ip link add "$(link_name x)" type veth peer name "$(link_name y)" || fail "veth"
track_link "$(link_name x)"
ip link set "$(link_name x)" netns "$VS_T-a"
ip link set "$(link_name y)" netns "$VS_T-b"
for side in a:x:1 b:y:2; do
    n=${side%%:*}; rest=${side#*:}; dev=$(link_name "${rest%%:*}"); h=${rest#*:}
    ns "$n" ip link set "$dev" up
    ns "$n" ip addr add "10.99.0.$h/24" dev "$dev"
    ns "$n" ip addr add "fd00:99::$h/64" dev "$dev" nodad
done

start_daemon tcpdump ip netns exec "$VS_T-b" tcpdump -i "$(link_name y)" -U -n \
    -w "$VS_TEST_DIR/live.pcap"
tcpdump_pid=$DAEMON_PID
wait_until 10 grep -q "listening on" "$VS_LOGDIR/tcpdump.out" || fail "tcpdump did not start"

ns a ping -c 1 -W 2 -Q 0xb8 10.99.0.2 >/dev/null || fail "ping"
ns a ping -c 1 -W 2 -s 3000 10.99.0.2 >/dev/null || fail "ping with IPv4 fragments"
ns a ping -6 -c 1 -W 2 -F 0x12345 fd00:99::2 >/dev/null || fail "ping6"
ns a ping -6 -c 1 -W 2 -s 3000 fd00:99::2 >/dev/null || fail "ping6 with IPv6 fragments"
ns a /usr/bin/python3 - "$(link_name x)" <<'EOF' || fail "scapy could not send tagged frames"
import sys
from scapy.all import Ether, Dot1Q, Dot1AD, IP, IPv6, TCP, UDP, ICMP, sendp
e = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
frames = [
    e / Dot1Q(vlan=10, prio=3) / IP(src="10.99.10.1", dst="10.99.10.2") / ICMP(),
    e / Dot1Q(vlan=10) / IPv6(src="fd00:9910::1", dst="fd00:9910::2") / UDP(sport=5, dport=6),
    e / Dot1AD(vlan=100) / Dot1Q(vlan=200) / IP(src="10.99.200.1", dst="10.99.200.2")
      / TCP(sport=1234, dport=8888, flags="S"),
]
sendp(frames, iface=sys.argv[1], verbose=False)
EOF
# TCP to closed ports (SYN, RST|ACK) and UDP datagrams (and ICMP errors).
ns a timeout 3 bash -c 'echo x >/dev/tcp/10.99.0.2/7777' 2>/dev/null
ns a timeout 3 bash -c 'echo x >/dev/tcp/fd00:99::2/7777' 2>/dev/null
ns a timeout 3 bash -c 'echo udp >/dev/udp/10.99.0.2/9999' 2>/dev/null
ns a timeout 3 bash -c 'echo udp >/dev/udp/fd00:99::2/9999' 2>/dev/null
sleep 1
kill -INT "$tcpdump_pid"
wait_until 5 sh -c "! kill -0 $tcpdump_pid" || fail "tcpdump did not exit"

n=$(compare "$VS_TEST_DIR/live.pcap" "$VS_TEST_DIR/live.names") || exit 1
[ "$n" -ge 20 ] || fail "only $n frames captured"
# The traffic must have covered what it was meant to.
for want in "dl_vlan=10," "dl_vlan1=200," "nw_frag=first" "nw_frag=later" \
            "^icmp6,.*icmp_type=135" "^icmp6,.*icmp_type=136" "^arp," \
            "^tcp6," "tcp_flags=rst|ack" "^udp," "ipv6_label=0x12345" "nw_tos=184"; do
    grep -q "$want" "$VS_TEST_DIR/mine" || fail "no frame matched '$want'"
done
log "live traffic: $n frames agree with OVS"
pass
