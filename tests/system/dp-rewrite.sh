#!/bin/sh
# Rewrite actions in the datapath, checked with real traffic between
# namespaced hosts: set_eth_dst on ping (XDP), ToS/TTL on IPv4 and IPv6
# (XDP and tc), NAT-style set_ipv4_*/set_tp_* on UDP and on TCP with the
# senders' default offloads (checksum-partial and GSO skbs through tc),
# two outputs with different rewrites in one flow (clone + rewrite), and
# the same rewrites in userspace execute.  Every captured packet has its
# checksums verified from scratch (or, for a checksum-partial skb, its
# pseudo-header sum).  DP_REWRITE_XDP_MODE=native runs it with native XDP.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/system/lib.sh"
. "$top_srcdir/tests/system/dp-lib.sh"
require_root
require_cmd iperf3 ethtool nstat
PY=/usr/bin/python3
$PY -c "import scapy" 2>/dev/null || skip "needs python3-scapy"
RW="$PY $top_srcdir/tests/system/dp-rewrite.py"
NET=207
MODE=${DP_REWRITE_XDP_MODE:-generic}
bpffs_setup
host 1; host 2; host 3
dp_create dp$$
DP=dp$$
# A native XDP redirect into a veth needs its peer ready (GRO on, see
# NOTES-XDP) and the port marked as a redirect target.
TX=false
[ "$MODE" = native ] && TX=true
for i in 1 2 3; do
    [ "$MODE" = native ] && ns h$i ethtool -K h$i gro on >/dev/null
    [ "$(vs-dpctl add-if $DP "$(link_name p$i)" port_no=$i xdp-mode=$MODE xdp-tx=$TX)" = $i ] \
        || fail "add-if p$i"
done
vs-dpctl show $DP | grep -q "xdp-$MODE" || fail "ports not in $MODE XDP: $(vs-dpctl show $DP)"
M1=$(mac_of 1) M2=$(mac_of 2) M3=$(mac_of 3)
FAKE=02:00:00:00:0f:0f           # The MAC h1 believes h2 and the VIP have.
VIP=10.$NET.0.100
H1=10.$NET.0.1 H2=10.$NET.0.2 H3=10.$NET.0.3
ns h1 ip neigh replace $H2 lladdr $FAKE dev h1 nud permanent
ns h1 ip neigh replace $VIP lladdr $FAKE dev h1 nud permanent
ns h1 ip neigh replace $H3 lladdr $M3 dev h1 nud permanent
ns h2 ip neigh replace $H1 lladdr $M1 dev h2 nud permanent
ns h3 ip neigh replace $H1 lladdr $M1 dev h3 nud permanent

xdp_count() { vs-dpctl show $DP | sed -n 's/.*xdp:\([0-9]*\).*/\1/p'; }

# sniff HOST COUNT FILTER...: captures in the background into
# $VS_TEST_DIR/sniff.HOST; sniff_wait HOST checks it got COUNT packets.
sniff() {
    _h=$1; shift
    ns h$_h $RW sniff h$_h "$@" >"$VS_TEST_DIR/sniff.h$_h" 2>"$VS_TEST_DIR/sniff.h$_h.err" &
    eval "SNIFF_h$_h=\$!"
    wait_until 5 grep -q ready "$VS_TEST_DIR/sniff.h$_h.err" || fail "sniffer in h$_h"
}
sniff_wait() {
    eval "wait \$SNIFF_h$1" || fail "h$1 did not get the packets: $(cat "$VS_TEST_DIR/sniff.h$1")"
    cat "$VS_TEST_DIR/sniff.h$1"
    grep -q BAD "$VS_TEST_DIR/sniff.h$1" && fail "bad checksum in h$1"
    return 0
}
# expect HOST PATTERN: every captured line in HOST matches PATTERN.
expect() {
    ! grep -v -- "$2" "$VS_TEST_DIR/sniff.h$1" | grep -q . \
        || fail "h$1: expected '$2' in: $(cat "$VS_TEST_DIR/sniff.h$1")"
}
csum_errors() {
    ns h$1 nstat -az 2>/dev/null | awk '/InCsumErrors/ { s += $2 } END { print s + 0 }'
}

log "ping with set_eth_dst: the frame to the fake MAC reaches h2 only rewritten"
vs-dpctl add-flow $DP "in_port=1,eth_dst=$FAKE,actions=output:2" || fail "add-flow"
vs-dpctl add-flow $DP "in_port=2,actions=output:1" || fail "add-flow back"
ping_ok 1 2 && fail "ping to a wrong MAC was answered"
vs-dpctl mod-flow $DP "in_port=1,eth_dst=$FAKE,actions=set_eth_dst($M2),output:2" \
    || fail "mod-flow"
x0=$(xdp_count)
ping_retry 1 2 || fail "ping with set_eth_dst"
x1=$(xdp_count)
log "XDP forwarded $((x1 - x0)) packets"
[ $((x1 - x0)) -ge 3 ] || fail "the rewrite did not run in XDP ($x0 -> $x1)"
vs-dpctl dump-flows $DP | grep -q "actions=set_eth_dst($M2),output:2" \
    || fail "dump-flows: $(vs-dpctl dump-flows $DP)"
vs-dpctl del-flows $DP

log "IPv4 ToS (under a mask), TTL, source NAT on UDP: XDP for a complete checksum"
SNAT=10.$NET.0.9
vs-dpctl add-flow $DP "in_port=1,eth_type=0x0800,nw_proto=17,tp_dst=7000,actions=set_ip_tos(0xb8/0xfc),set_ip_ttl(7),set_ipv4_src($SNAT),set_tp_src(4000),set_eth_dst($M2),output:2" \
    || fail "add tos flow"
sniff 2 2 15 proto=udp dport=7000
# tcpdump in h2 as a second, independent reader of the same packets.
ns h2 timeout 20 tcpdump -l -n -vv -c 2 -i h2 udp port 7000 >"$VS_TEST_DIR/tcpdump" 2>/dev/null &
tcpd=$!
sleep 1
x0=$(xdp_count)

ns h1 $RW send h1 udp4 $FAKE $H1 $H2 1000 7000 0x03 || fail "scapy send"
ns h1 $RW send h1 udp4 $FAKE $H1 $H2 1001 7000 0x01 nochecksum || fail "scapy send"
sniff_wait 2
x1=$(xdp_count)
expect 2 "src=$SNAT dst=$H2 tos=0xb[b9] ttl=7 ipcsum=ok sport=4000 dport=7000"
grep -q "tos=0xbb .*l4csum=ok" "$VS_TEST_DIR/sniff.h2" || fail "UDP checksum"
grep -q "tos=0xb9 .*l4csum=none" "$VS_TEST_DIR/sniff.h2" || fail "UDP checksum 0 not kept"
[ $((x1 - x0)) -ge 2 ] || fail "not done by XDP ($x0 -> $x1)"
wait $tcpd || fail "tcpdump in h2: $(cat "$VS_TEST_DIR/tcpdump")"
grep -q "tos 0xbb,CE, ttl 7,.*proto UDP" "$VS_TEST_DIR/tcpdump" || fail "tcpdump: $(cat "$VS_TEST_DIR/tcpdump")"
grep -q "$SNAT.4000 > $H2.7000: \[udp sum ok\]" "$VS_TEST_DIR/tcpdump" && grep -q "$SNAT.4000 > $H2.7000: \[no cksum\]" "$VS_TEST_DIR/tcpdump" || fail "tcpdump: $(cat "$VS_TEST_DIR/tcpdump")"

log "... and through tc for a socket's checksum-offloaded UDP"
sniff 2 1 15 proto=udp dport=7000
ns h1 $PY -c "import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.sendto(b'y' * 100, ('$H2', 7000))"
sniff_wait 2
expect 2 "src=$SNAT dst=$H2 tos=0xb8 ttl=7 ipcsum=ok sport=4000 dport=7000 l4csum=\(ok\|partial-ok\) "
vs-dpctl del-flows $DP

log "IPv6 traffic class and hop limit (UDP via tc, ICMPv6 via XDP)"
vs-dpctl add-flow $DP "in_port=1,eth_type=0x86dd,actions=set_ip_tos(0x28),set_ip_ttl(5),set_eth_dst($M2),output:2" \
    || fail "add ipv6 flow"
sniff 2 2 15 src=fd00::1
x0=$(xdp_count)
ns h1 $RW send h1 udp6 $FAKE fd00::1 fd00::2 0xff || fail "send udp6"
ns h1 $RW send h1 icmp6 $FAKE fd00::1 fd00::2 0x03 || fail "send icmp6"
sniff_wait 2
expect 2 "src=fd00::1 dst=fd00::2 tos=0x28 ttl=5 ipcsum=ok .*l4csum=ok "
[ $(($(xdp_count) - x0)) -ge 1 ] || fail "ICMPv6 not rewritten by XDP"
vs-dpctl del-flows $DP

log "two outputs, different rewrites: h2 gets the original, h3 a NATed copy"
vs-dpctl add-flow $DP "in_port=1,eth_type=0x0800,nw_proto=17,tp_dst=7100,actions=set_eth_dst($M2),output:2,set_eth_dst($M3),set_ipv4_dst($H3),set_tp_dst(7101),output:3" \
    || fail "add multi-output flow"
sniff 2 2 15 proto=udp
sniff 3 2 15 proto=udp
ns h1 $RW send h1 udp4 $FAKE $H1 $H2 1000 7100 || fail "send"
ns h1 $PY -c "import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.sendto(b'z' * 300, ('$H2', 7100))"
sniff_wait 2
sniff_wait 3
expect 2 "dst=$H2 .*dport=7100 l4csum=\(ok\|partial-ok\) eth_dst=$M2"
expect 3 "dst=$H3 .*dport=7101 l4csum=\(ok\|partial-ok\) eth_dst=$M3"
vs-dpctl del-flows $DP

# NAT between h1 and the VIP (really h2); the reply direction is NATed back.
nat_flows() {
    vs-dpctl add-flow $DP "in_port=1,eth_type=0x0800,nw_proto=$1,nw_dst=$VIP,tp_dst=$2,actions=set_eth_dst($M2),set_ipv4_dst($H2),set_tp_dst($3),output:2" \
        || fail "add nat flow"
    vs-dpctl add-flow $DP "in_port=2,eth_type=0x0800,nw_proto=$1,nw_src=$H2,tp_src=$3,actions=set_ipv4_src($VIP),set_tp_src($2),output:1" \
        || fail "add nat flow back"
}
# strict on|off: with "on", the switch's egress veths complete checksums in
# software (tx off) and the hosts verify every one they receive (rx off),
# so a wrong checksum or pseudo-header sum drops the packet.  The senders
# keep their default offloads either way.
strict() {
    _t=$([ "$1" = on ] && echo off || echo on)
    for i in 1 2; do
        ethtool -K "$(link_name p$i)" tx $_t >/dev/null 2>&1 || fail "ethtool p$i"
        ns h$i ethtool -K h$i rx $_t >/dev/null 2>&1 || fail "ethtool h$i"
    done
}

log "UDP NAT both ways (strict checksums)"
strict on
nat_flows 17 53 5353
ns h2 $PY -c "
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('$H2', 5353)); s.settimeout(10)
for _ in range(2):
    d, a = s.recvfrom(2000); s.sendto(d.upper(), a)
" &
srv=$!
sleep 0.5
ns h1 $PY -c "
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.connect(('$VIP', 53)); s.settimeout(3)
for n in (40, 1200):
    s.send(b'q' * n)
    if s.recv(2000) != b'Q' * n: sys.exit('bad reply')
" || fail "UDP through NAT"
wait $srv || fail "UDP server"
vs-dpctl dump-flows $DP | grep -q "set_ipv4_src($VIP),set_tp_src(53),output:1" \
    || fail "dump-flows: $(vs-dpctl dump-flows $DP)"

log "TCP NAT both ways, default sender offloads (GSO, checksum-partial)"
nat_flows 6 80 5201
e0=$(( $(csum_errors 1) + $(csum_errors 2) ))
for mode in on off; do
    strict $mode
    ns h2 ethtool -k h2 | grep -q "tx-checksumming: on" || fail "sender offloads not default"
    [ $mode = off ] && sniff 2 30 10 proto=tcp dport=5201
    ns h2 iperf3 -s -1 -p 5201 >/dev/null 2>&1 &
    srv=$!
    sleep 0.5
    ns h1 timeout 20 iperf3 -c $VIP -p 80 -n 8M -J >"$VS_TEST_DIR/iperf.json" \
        || fail "iperf3 through NAT (strict $mode): $(tail -5 "$VS_TEST_DIR/iperf.json")"
    wait $srv
    bps=$($PY -c "import json,sys; print(int(json.load(open(sys.argv[1]))['end']['sum_received']['bits_per_second']))" "$VS_TEST_DIR/iperf.json")
    log "TCP through NAT, strict $mode: $bps bit/s"
    [ "$bps" -gt 10000000 ] || fail "TCP too slow: $bps"
done
sniff_wait 2 >/dev/null
tail -2 "$VS_TEST_DIR/sniff.h2"
grep -q "len=[2-9][0-9][0-9][0-9]" "$VS_TEST_DIR/sniff.h2" || log "(no GSO-sized skb captured)"
e1=$(( $(csum_errors 1) + $(csum_errors 2) ))
[ "$e1" = "$e0" ] || fail "checksum errors in the hosts: $e0 -> $e1"
vs-dpctl dump-flows $DP | grep "nw_proto=6" | grep -q "packets:[1-9]" || fail "NAT flows not hit"
vs-dpctl del-flows $DP

log "userspace execute: same rewrites, in order, per output"
strict on
sniff 2 1 15 proto=udp
sniff 3 1 15 proto=udp
pkt=$($RW send - udp4 $FAKE $H1 $VIP 1000 7100 0x01) || fail "craft"
vs-dpctl execute $DP "in_port=1,actions=set_eth_dst($M2),set_ipv4_dst($H2),set_ip_ttl(9),output:2,set_eth_dst($M3),set_ipv4_dst($H3),set_tp_dst(7101),set_ip_tos(0x28/0xfc),output:3" "$pkt" \
    || fail "execute"
sniff_wait 2
sniff_wait 3
expect 2 "dst=$H2 tos=0x01 ttl=9 ipcsum=ok sport=1000 dport=7100 l4csum=ok eth_dst=$M2"
expect 3 "dst=$H3 tos=0x29 ttl=9 ipcsum=ok sport=1000 dport=7101 l4csum=ok eth_dst=$M3"
vs-dpctl execute $DP "in_port=1,actions=set_ip_tos(1" "$pkt" 2>/dev/null && fail "bad action accepted"
pass
