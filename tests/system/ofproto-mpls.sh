#!/bin/sh
# MPLS through a vs-vswitchd bridge programmed with the real ovs-ofctl:
# push_mpls + set_field mpls_label + dec_mpls_ttl on h1's IPv4 traffic
# reaches h2's sniffer as MPLS frames with the right label, TTL and payload,
# done by XDP (ping: complete checksums) and by tc (a socket's
# checksum-offloaded UDP, two outputs); MPLS frames sent raw from h2 are
# matched on their label, popped and delivered to h1's UDP socket, by XDP
# and (two outputs) through userspace; dec_mpls_ttl at TTL 1 drops; the
# flows read back as ovs-ofctl writes them, in OpenFlow 1.3 and 1.0
# (Nicira actions).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/system/lib.sh"
. "$top_srcdir/tests/system/ofctl-lib.sh"
require_cmd /usr/bin/python3
NET=231
PKT="/usr/bin/python3 $top_srcdir/tests/system/mpls-pkt.py"
ofctl_setup 3
OF="ovs-ofctl -O OpenFlow13"
$OF del-flows "$OFT" || fail "del-flows"

mac() { ns "h$1" cat "/sys/class/net/h$1/address"; }
M1=$(mac 1) M2=$(mac 2)
# Static neighbours: the far side answers no ARP over MPLS.
ns h1 ip neigh replace "10.$NET.0.2" lladdr "$M2" dev h1 nud permanent
xdp_count() { vs-dpctl show "$BR" | sed -n 's/.*xdp:\([0-9]*\).*/\1/p'; }

# sniff N HOST: starts a sniffer for N MPLS frames on hHOST (output in
# $VS_TEST_DIR/sniff.HOST); sniff_wait HOST: its exit status.
sniff() {
    ns "h$2" $PKT sniff "h$2" "$1" 5 >"$VS_TEST_DIR/sniff.$2" 2>&1 &
    eval "SNIFF_$2=$!"
    sleep 0.5
}
sniff_wait() { eval "wait \$SNIFF_$1"; }

# udp_recv HOST PORT: starts a receiver of one datagram on hHOST
# (10.$NET.0.HOST:PORT); recv_wait: whether it got one.
udp_recv() {
    ns "h$1" timeout 5 /usr/bin/python3 -c "
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('10.$NET.0.$1', $2))
s.setsockopt(socket.IPPROTO_IP, 12, 1)  # IP_RECVTTL (not in Python)
s.settimeout(4)
try:
    data, anc, _, _ = s.recvmsg(100, 64)
except socket.timeout:
    sys.exit(1)
print(data.decode())
for level, kind, value in anc:
    if level == socket.IPPROTO_IP and kind == socket.IP_TTL:
        print('ttl=%d' % int.from_bytes(value[:4], sys.byteorder))
" >"$VS_TEST_DIR/recv" 2>&1 &
    RECV=$!
    sleep 0.5
}
recv_wait() { wait "$RECV"; }

udp_send() {
    ns h1 /usr/bin/python3 -c "
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(5):
    s.sendto(b'x' * 64, ('10.$NET.0.2', $1))
    time.sleep(0.1)
"
}

log "push_mpls, set label, dec_mpls_ttl on ping: XDP"
$OF add-flow "$OFT" "priority=10,in_port=$P1,icmp,actions=push_mpls:0x8847,set_field:100->mpls_label,dec_mpls_ttl,output:$P2" \
    || fail "push flow"
sniff 5 2
x0=$(xdp_count)
ns h1 ping -c 6 -i 0.2 -W 1 "10.$NET.0.2" >/dev/null 2>&1
sniff_wait 2 || fail "h2 saw $(wc -l <"$VS_TEST_DIR/sniff.2") MPLS frames: $(cat "$VS_TEST_DIR/sniff.2")"
x1=$(xdp_count)
want="label=100 tc=0 bos=1 ttl=63 labels=1 inner_dst=10.$NET.0.2"
grep -vx "$want" "$VS_TEST_DIR/sniff.2" && fail "wrong MPLS frames (want $want)"
log "XDP forwarded $((x1 - x0)) packets"
[ $((x1 - x0)) -ge 3 ] || fail "the push did not run in XDP ($x0 -> $x1)"

log "push_mpls under an 802.1Q tag (the entry goes after the tag): XDP"
$OF add-flow "$OFT" "priority=20,in_port=$P1,dl_vlan=10,udp,actions=push_mpls:0x8847,set_field:400->mpls_label,output:$P2" \
    || fail "tagged push flow"
# The sniffer sees the frame with or without the tag (the receiving veth
# may take it out): label, TTL and the IP header under the entry tell.
sniff 5 2
x0=$(xdp_count)
ns h1 $PKT send-vlan h1 "$M2" 10 "10.$NET.0.1" "10.$NET.0.2" 7000 6 || fail "send"
sniff_wait 2 || fail "h2 saw $(cat "$VS_TEST_DIR/sniff.2")"
want="label=400 tc=0 bos=1 ttl=64 labels=1 inner_dst=10.$NET.0.2"
grep -vx "$want" "$VS_TEST_DIR/sniff.2" && fail "wrong tagged MPLS frames (want $want)"
x1=$(xdp_count)
[ $((x1 - x0)) -ge 3 ] || fail "the tagged push did not run in XDP ($x0 -> $x1)"
$OF del-flows "$OFT" "dl_vlan=10"

log "push on checksum-offloaded UDP with two outputs: tc"
$OF add-flow "$OFT" "priority=10,in_port=$P1,udp,actions=push_mpls:0x8847,set_field:101->mpls_label,set_field:3->mpls_tc,output:$P2,output:$P3" \
    || fail "push flow (tc)"
sniff 5 2
sniff 5 3
x0=$(xdp_count)
udp_send 5000
sniff_wait 2 || fail "h2 saw: $(cat "$VS_TEST_DIR/sniff.2")"
sniff_wait 3 || fail "h3 saw: $(cat "$VS_TEST_DIR/sniff.3")"
[ "$(xdp_count)" = "$x0" ] || fail "XDP forwarded what tc should have done"
want="label=101 tc=3 bos=1 ttl=64 labels=1 inner_dst=10.$NET.0.2"
grep -vx "$want" "$VS_TEST_DIR/sniff.2" "$VS_TEST_DIR/sniff.3" && fail "wrong MPLS frames (want $want)"

log "match on the label and pop_mpls: XDP"
$OF add-flow "$OFT" "priority=10,in_port=$P2,mpls,mpls_label=200,actions=pop_mpls:0x0800,output:$P1" \
    || fail "pop flow"
udp_recv 1 6000
x0=$(xdp_count)
ns h2 $PKT send h2 "$M1" 200 10 "10.$NET.0.2" "10.$NET.0.1" 6000 || fail "send"
recv_wait || fail "h1 got nothing after pop_mpls"
grep -qx mpls-test "$VS_TEST_DIR/recv" || fail "h1 got $(cat "$VS_TEST_DIR/recv")"
grep -qx ttl=64 "$VS_TEST_DIR/recv" || fail "inner TTL changed: $(cat "$VS_TEST_DIR/recv")"
x1=$(xdp_count)
[ $((x1 - x0)) -ge 3 ] || fail "the pop did not run in XDP ($x0 -> $x1)"
# The megaflow carries the label (and only it) in its key.
vs-dpctl dump-flows "$BR" | grep -q "eth_type=0x8847,mpls_lse=0x000c8000/0xfffff000 .*actions=pop_mpls(0x0800),output:$P1" \
    || fail "no label megaflow: $(vs-dpctl dump-flows "$BR")"

log "another label matches no flow"
udp_recv 1 6001
ns h2 $PKT send h2 "$M1" 201 10 "10.$NET.0.2" "10.$NET.0.1" 6001 || fail "send"
recv_wait && fail "label 201 was delivered"

log "pop_mpls with two outputs: tc hands it to userspace"
$OF add-flow "$OFT" "priority=10,in_port=$P2,mpls,mpls_label=202,actions=pop_mpls:0x0800,output:$P1,output:$P3" \
    || fail "pop flow (userspace)"
udp_recv 1 6002
ns h2 $PKT send h2 "$M1" 202 10 "10.$NET.0.2" "10.$NET.0.1" 6002 || fail "send"
recv_wait || fail "h1 got nothing after pop_mpls in userspace"

log "dec_mpls_ttl: TTL 1 is dropped (no controller), TTL 5 passes"
$OF add-flow "$OFT" "priority=10,in_port=$P2,mpls,mpls_label=203,actions=dec_mpls_ttl,pop_mpls:0x0800,output:$P1" \
    || fail "dec_mpls_ttl flow"
udp_recv 1 6003
ns h2 $PKT send h2 "$M1" 203 1 "10.$NET.0.2" "10.$NET.0.1" 6003 || fail "send"
recv_wait && fail "a TTL 1 frame passed dec_mpls_ttl"
udp_recv 1 6003
ns h2 $PKT send h2 "$M1" 203 5 "10.$NET.0.2" "10.$NET.0.1" 6003 || fail "send"
recv_wait || fail "a TTL 5 frame did not pass dec_mpls_ttl"

# (ovs-ofctl has no copy_ttl_in: vs-ofctl sends it.)
log "copy_ttl_in then pop_mpls: the IP TTL becomes the MPLS TTL (userspace)"
vs-ofctl -O OpenFlow13 add-flow "$OFT" "priority=10,in_port=$P2,mpls,mpls_label=204,actions=copy_ttl_in,pop_mpls:0x0800,output:$P1" \
    || fail "copy_ttl_in flow"
udp_recv 1 6005
ns h2 $PKT send h2 "$M1" 204 33 "10.$NET.0.2" "10.$NET.0.1" 6005 || fail "send"
recv_wait || fail "h1 got nothing after copy_ttl_in"
grep -qx ttl=33 "$VS_TEST_DIR/recv" || fail "TTL after copy_ttl_in: $(cat "$VS_TEST_DIR/recv")"
$OF del-flows "$OFT" "mpls,mpls_label=204"

log "flows read back as written (OpenFlow 1.3)"
got=$(dump_sorted OpenFlow13 | grep mpls)
want=$(cat <<EOF
 priority=10,icmp,in_port=$P1 actions=push_mpls:0x8847,set_field:100->mpls_label,dec_mpls_ttl,output:$P2
 priority=10,mpls,in_port=$P2,mpls_label=200 actions=pop_mpls:0x0800,output:$P1
 priority=10,mpls,in_port=$P2,mpls_label=202 actions=pop_mpls:0x0800,output:$P1,output:$P3
 priority=10,mpls,in_port=$P2,mpls_label=203 actions=dec_mpls_ttl,pop_mpls:0x0800,output:$P1
 priority=10,udp,in_port=$P1 actions=push_mpls:0x8847,set_field:101->mpls_label,set_field:3->mpls_tc,output:$P2,output:$P3
EOF
)
same "OpenFlow 1.3 dump" "$want" "$got"
if command -v vs-ofctl >/dev/null 2>&1; then
    vsgot=$(vs-ofctl -O OpenFlow13 dump-flows --no-stats "$OFT" | grep -v reply | grep mpls | sort)
    same "vs-ofctl's OpenFlow 1.3 dump" "$got" "$vsgot"
    log "vs-ofctl reads the same MPLS flows"
fi

log "OpenFlow 1.0: the Nicira MPLS actions"
OF10="ovs-ofctl -O OpenFlow10"
$OF10 del-flows "$OFT"
$OF10 add-flow "$OFT" "priority=5,in_port=$P1,ip,actions=push_mpls:0x8847,set_mpls_ttl:9,output:$P2" \
    || fail "OF1.0 push flow"
$OF10 add-flow "$OFT" "priority=5,in_port=$P2,dl_type=0x8847,actions=dec_mpls_ttl,pop_mpls:0x0800,output:$P1" \
    || fail "OF1.0 pop flow"
got=$($OF10 dump-flows --no-stats "$OFT" | grep -v reply | sort)
want=$(cat <<EOF
 priority=5,ip,in_port=$P1 actions=push_mpls:0x8847,set_mpls_ttl(9),output:$P2
 priority=5,mpls,in_port=$P2 actions=dec_mpls_ttl,pop_mpls:0x0800,output:$P1
EOF
)
same "OpenFlow 1.0 dump" "$want" "$got"
sniff 3 2
ns h1 ping -c 5 -i 0.2 -W 1 "10.$NET.0.2" >/dev/null 2>&1
sniff_wait 2 || fail "OF1.0 push: h2 saw $(cat "$VS_TEST_DIR/sniff.2")"
want="label=0 tc=0 bos=1 ttl=9 labels=1 inner_dst=10.$NET.0.2"
grep -vx "$want" "$VS_TEST_DIR/sniff.2" && fail "wrong MPLS frames (want $want)"
udp_recv 1 6004
ns h2 $PKT send h2 "$M1" 77 5 "10.$NET.0.2" "10.$NET.0.1" 6004 || fail "send"
recv_wait || fail "OF1.0 pop: h1 got nothing"

log "OpenFlow 1.0: set_mpls_label / set_mpls_tc (Nicira)"
$OF10 add-flow "$OFT" "priority=6,in_port=$P2,dl_type=0x8847,actions=set_mpls_label:300,set_mpls_tc:2,output:$P3" \
    || fail "OF1.0 set_mpls_label flow"
$OF10 dump-flows --no-stats "$OFT" | grep -q "priority=6,mpls,in_port=$P2 actions=set_mpls_label(300),set_mpls_tc(2),output:$P3" \
    || fail "OF1.0 dump: $($OF10 dump-flows --no-stats "$OFT")"
sniff 3 3
ns h2 $PKT send h2 "$M1" 77 5 "10.$NET.0.2" "10.$NET.0.1" 6006 || fail "send"
sniff_wait 3 || fail "h3 saw $(cat "$VS_TEST_DIR/sniff.3")"
want="label=300 tc=2 bos=1 ttl=5 labels=1 inner_dst=10.$NET.0.1"
grep -vx "$want" "$VS_TEST_DIR/sniff.3" && fail "wrong MPLS frames (want $want)"
pass
