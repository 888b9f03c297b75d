#!/bin/sh
# VXLAN and Geneve tunnel ports.  Two namespaces are underlay hosts joined by
# a veth (10.$NET.9.1 - 10.$NET.9.2).  In u1 runs vs-vswitchd with a bridge
# holding host h1 (10.$NET.0.1) and a tunnel port to u2; u2 has a plain
# Linux vxlan/geneve device with h2's address (10.$NET.0.2) on it.  Checks:
# ping both ways with a fixed key, with key=flow + set_tunnel, that a
# tun_id match with the wrong key drops, that megaflows carry the tunnel
# fields, and the Interface error for bad options.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/system/lib.sh"
. "$top_srcdir/tests/system/dp-lib.sh"
. "$top_srcdir/tests/system/vsctl-lib.sh"
require_root
require_cmd vs-ovsdb-server vs-vsctl vs-ofctl tcpdump
NET=211
U1=10.$NET.9.1 U2=10.$NET.9.2 H2=10.$NET.0.2
bpffs_setup
start_db "$top_srcdir/vswitchd/vswitch.ovsschema" vs
BR=$(link_name br)
ns_add u1
ns_add u2
ns_add h1
for n in u1 u2 h1; do ns $n sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; done
ip link add "$(link_name a)" type veth peer name "$(link_name b)" || fail "underlay veth"
ip link set "$(link_name a)" netns "$VS_T-u1"
ip link set "$(link_name b)" netns "$VS_T-u2"
ns u1 ip addr add $U1/24 dev "$(link_name a)"
ns u2 ip addr add $U2/24 dev "$(link_name b)"
ns u1 ip link set "$(link_name a)" up
ns u2 ip link set "$(link_name b)" up
# h1's port lives in u1, beside the switch.
P1=$(link_name p1)
ip link add "$P1" type veth peer name "$(link_name q1)" || fail "h1 veth"
ip link set "$P1" netns "$VS_T-u1"
ip link set "$(link_name q1)" netns "$VS_T-h1"
ns h1 ip link set "$(link_name q1)" name h1
ns h1 ip addr add 10.$NET.0.1/24 dev h1
ns h1 ip link set h1 up
ns u1 ip link set "$P1" up

# The switch runs in u1: its tunnel netdevs and underlay routes are there.
on_exit "ns u1 vs-dpctl del-dp $BR"
start_daemon vswitchd ip netns exec "$VS_T-u1" vs-vswitchd "$DB" --pidfile -vdp_switch:dbg
OFCTL="vs-ofctl -O OpenFlow13"

# u2_tunnel TYPE KEY: u2's end, a classic (one-VNI) Linux device with h2's
# address, so that u2 itself plays h2.
u2_tunnel() {
    ns u2 ip link del t2 2>/dev/null
    if [ "$1" = vxlan ]; then
        ns u2 ip link add t2 type vxlan id "$2" remote $U1 local $U2 dstport 4789 nolearning || fail "u2 vxlan"
    else
        ns u2 ip link add t2 type geneve id "$2" remote $U1 || fail "u2 geneve"
    fi
    ns u2 ip link set t2 mtu 1400 address 02:00:00:00:02:02
    ns u2 ip addr add $H2/24 dev t2
    ns u2 ip link set t2 up
}
ping_h2() { ns h1 ping -c "${1:-3}" -i 0.2 -W 1 $H2 >/dev/null 2>&1; }
flows() { vs-appctl -t vs-vswitchd dpctl/dump-flows $BR 2>&1; }

log "vxlan, key=123: NORMAL switching through the tunnel"
u2_tunnel vxlan 123
ns h1 ip link set h1 mtu 1400
$VSCTL add-br $BR -- add-port $BR "$P1" \
    -- add-port $BR vx1 -- set Interface vx1 type=vxlan options:remote_ip=$U2 options:key=123 \
    || fail "add-port vx1"
[ -z "$($VSCTL get Interface vx1 error 2>/dev/null | grep -v '\[\]')" ] || fail "vx1 error: $($VSCTL get Interface vx1 error)"
ns u1 ip -d link show vs_vxlan_4789 | grep -q "external" || fail "no flow-based vxlan netdev: $(ns u1 ip -d link show vs_vxlan_4789 2>&1)"
ping_h2 5 || fail "h1 -> h2 over vxlan key 123"
ns u2 ping -c 3 -i 0.2 -W 1 10.$NET.0.1 >/dev/null 2>&1 || fail "h2 -> h1 over vxlan"
flows | grep -q "tun_id=0x7b,tun_src=$U2,tun_dst=$U1.*actions=output:" \
    || fail "megaflows lack the tunnel fields: $(flows)"
wait_until 5 sh -c "[ \"\$($VSCTL get Interface vx1 link_state)\" = up ]" \
    || fail "vx1 link_state: $($VSCTL get Interface vx1 link_state)"
$OFCTL dump-ports-desc $BR | grep -q "(vx1): addr" || fail "vx1 not an OpenFlow port: $($OFCTL dump-ports-desc $BR)"

VX=$($VSCTL get Interface vx1 ofport) P1NO=$($VSCTL get Interface "$P1" ofport)
vs-appctl -t vs-vswitchd fdb/show $BR | grep -Eq "^ +$VX +0 +02:00:00:00:02:02 " \
    || fail "h2 not learned on vx1: $(vs-appctl -t vs-vswitchd fdb/show $BR)"
ports=$($OFCTL dump-ports $BR $VX)
log "vx1 counters (datapath's own): $(echo "$ports" | grep -Eo '(rx|tx) pkts=[0-9]+, bytes=[0-9]+' | tr '\n' ' ')"
echo "$ports" | grep -Eq "rx pkts=[1-9][0-9]*, bytes=[1-9]" || fail "vx1 rx counters: $ports"
echo "$ports" | grep -Eq "tx pkts=[1-9][0-9]*, bytes=[1-9]" || fail "vx1 tx counters: $ports"
wait_until 8 sh -c "$VSCTL get Interface vx1 statistics | grep -q 'rx_packets=[1-9]'" \
    || fail "vx1 statistics: $($VSCTL get Interface vx1 statistics)"

if command -v iperf3 >/dev/null 2>&1; then
    log "TCP through the tunnel (h1's offloads on: GSO skbs into the netdev)"
    ns u2 iperf3 -s -1 -B $H2 -p 5201 >/dev/null 2>&1 &
    track_pid $!
    sleep 0.5
    out=$(ns h1 timeout 20 iperf3 -c $H2 -p 5201 -t 3 -f m 2>&1)
    rate=$(echo "$out" | awk '/receiver/ { print $(NF-2) }')
    log "iperf3 h1 -> h2 over vxlan: $rate Mbit/s"
    [ -n "$rate" ] && [ "${rate%.*}" -gt 10 ] || fail "TCP over vxlan: $out"
    ns u2 iperf3 -s -1 -B $H2 -p 5202 >/dev/null 2>&1 &
    track_pid $!
    sleep 0.5
    out=$(ns h1 timeout 20 iperf3 -c $H2 -p 5202 -t 3 -R -f m 2>&1)
    rate=$(echo "$out" | awk '/receiver/ { print $(NF-2) }')
    log "iperf3 h2 -> h1 over vxlan: $rate Mbit/s"
    [ -n "$rate" ] && [ "${rate%.*}" -gt 10 ] || fail "TCP over vxlan, reverse: $out"
fi

log "a second vxlan port (made by ovs-vsctl) shares the netdev"
VSCTL2=$VSCTL
command -v ovs-vsctl >/dev/null 2>&1 && VSCTL2="ovs-vsctl --db=$DB --timeout=20"
$VSCTL2 add-port $BR vx3 -- set interface vx3 type=vxlan options:remote_ip=10.$NET.9.3 \
    options:key=123 || fail "add-port vx3"
ns u1 vs-dpctl show $BR | grep -q ": vx3 (vxlan) \[tc\]" || fail "vs-dpctl show: $(ns u1 vs-dpctl show $BR)"
[ "$(ns u1 ip -o link show | grep -c vs_vxlan_)" = 1 ] || fail "more than one vxlan netdev"
$VSCTL add-port $BR vx4 -- set Interface vx4 type=vxlan options:remote_ip=$U2 options:key=123 2>/dev/null
wait_until 5 sh -c "$VSCTL get Interface vx4 error | grep -q 'File exists'" \
    || fail "same remote_ip and key twice: $($VSCTL get Interface vx4 error)"
$VSCTL del-port $BR vx4
ns u1 vs-dpctl del-flows $BR
vs-appctl -t vs-vswitchd fdb/flush $BR
ping_h2 3 || fail "vx1 with vx3 beside it"
vs-appctl -t vs-vswitchd fdb/show $BR | grep -Eq "^ +$VX +0 +02:00:00:00:02:02 " \
    || fail "h2 not on vx1: $(vs-appctl -t vs-vswitchd fdb/show $BR)"
$VSCTL del-port $BR vx3
ns u1 ip link show vs_vxlan_4789 >/dev/null 2>&1 || fail "netdev went with vx3 while vx1 uses it"
ping_h2 3 || fail "vx1 after vx3 went"

log "a second bridge shares UDP port 4789: each takes its own tunnels"
# h3 on the second bridge; u2's end of its tunnel is t3, VNI 456, playing h4.
ns_add h3
ns h3 sysctl -qw net.ipv6.conf.all.disable_ipv6=1
P3=$(link_name p3)
ip link add "$P3" type veth peer name "$(link_name q3)" || fail "h3 veth"
ip link set "$P3" netns "$VS_T-u1"
ip link set "$(link_name q3)" netns "$VS_T-h3"
ns h3 ip link set "$(link_name q3)" name h3
ns h3 ip link set h3 mtu 1400
ns h3 ip addr add 10.$NET.1.1/24 dev h3
ns h3 ip link set h3 up
ns u1 ip link set "$P3" up
ns u2 ip link add t3 type vxlan id 456 remote $U1 local $U2 dstport 4789 nolearning || fail "u2 vxlan 456"
ns u2 ip link set t3 mtu 1400 address 02:00:00:00:04:02
ns u2 ip addr add 10.$NET.1.2/24 dev t3
ns u2 ip link set t3 up
BR2=$(link_name b2)
on_exit "ns u1 vs-dpctl del-dp $BR2"
$VSCTL add-br $BR2 -- add-port $BR2 "$P3" -- add-port $BR2 vx5 -- set Interface vx5 type=vxlan \
    options:remote_ip=$U2 options:key=456 || fail "add-br $BR2"
sleep 1
[ -z "$($VSCTL get Interface vx5 error 2>/dev/null | grep -v '\[\]')" ] || fail "vx5 error: $($VSCTL get Interface vx5 error)"
[ "$(ns u1 ip -o link show | grep -c vs_vxlan_)" = 1 ] || fail "a second vxlan netdev: $(ns u1 ip -o link show | grep vs_vxlan_)"
# Both bridges' filters, then the one that drops what neither takes.
filters=$(ns u1 tc filter show dev vs_vxlan_4789 ingress)
[ "$(echo "$filters" | grep -c "direct-action")" = 3 ] || fail "tc filters on the shared netdev: $filters"
ns h3 ping -c 3 -i 0.2 -W 1 10.$NET.1.2 >/dev/null 2>&1 || fail "h3 -> u2 over the second bridge's vxlan (key 456)"
ping_h2 3 || fail "the first bridge's tunnel (key 123) beside the second bridge's"
ns u1 vs-dpctl dump-flows $BR2 | grep -q "tun_id=0x1c8" || fail "second bridge's megaflows: $(ns u1 vs-dpctl dump-flows $BR2)"
ns u1 vs-dpctl dump-flows $BR | grep -q "tun_id=0x1c8" && fail "key 456 reached the first bridge: $(ns u1 vs-dpctl dump-flows $BR)"
log "another dst_port gives the second bridge its own netdev"
$VSCTL set Interface vx5 options:dst_port=4790 || fail "dst_port=4790"
wait_until 5 sh -c "ip -n $VS_T-u1 -d link show vs_vxlan_4790 | grep -q 'dstport 4790'" \
    || fail "no vs_vxlan_4790: $($VSCTL get Interface vx5 error)"
[ "$(ns u1 tc filter show dev vs_vxlan_4789 ingress | grep -c "direct-action")" = 2 ] \
    || fail "the second bridge's filter stayed on 4789: $(ns u1 tc filter show dev vs_vxlan_4789 ingress)"
$VSCTL del-br $BR2 || fail "del-br $BR2"
wait_until 5 sh -c "! ip -n $VS_T-u1 link show vs_vxlan_4790" || fail "vs_vxlan_4790 left behind"
ns u1 ip link show vs_vxlan_4789 >/dev/null 2>&1 || fail "vs_vxlan_4789 went with the second bridge"
ns u2 ip link del t3
ping_h2 3 || fail "vx1 after the second bridge went"

log "vs-vswitchd restarted (kill -9): the tunnel keeps forwarding, then is adopted"
kill_hard $DAEMON_PID
ping_h2 3 || fail "forwarding stopped with vs-vswitchd"
start_daemon vswitchd2 ip netns exec "$VS_T-u1" vs-vswitchd "$DB" --pidfile -vdp_switch:dbg
wait_until 10 vs-appctl -t vs-vswitchd dpif/show || fail "vs-vswitchd did not come back"
ns u1 vs-dpctl del-flows $BR
ns h1 ping -c 1 -W 2 $H2 >/dev/null 2>&1 || fail "first packet after restart"
log "key=flow: set_tunnel on the way out, tun_id matched on the way in"
$VSCTL set Interface vx1 options:key=flow || fail "key=flow"
$OFCTL del-flows $BR
$OFCTL add-flow $BR "in_port=$VX,tun_id=123,actions=output:$P1NO" || fail "add-flow tun_id"
$OFCTL add-flow $BR "in_port=$P1NO,actions=set_tunnel:123,output:$VX" || fail "add-flow set_tunnel"
dump=$($OFCTL dump-flows $BR)
echo "$dump" | grep -q " tun_id=0x7b,in_port=$VX actions=output:$P1NO" || fail "dump-flows (match): $dump"
# OpenFlow 1.3 carries set_tunnel as a set_field, as ovs-ofctl does.
echo "$dump" | grep -q " in_port=$P1NO actions=set_field:0x7b->tun_id,output:$VX" || fail "dump-flows (action): $dump"
# No megaflows: the first ping goes up both ways and must not be lost
# (userspace sends into the tunnel through a UDP socket).
ns u1 vs-dpctl del-flows $BR || fail "del-flows"
ns h1 ping -c 1 -W 2 $H2 >/dev/null 2>&1 || fail "first packet lost (key=flow + set_tunnel)"
ping_h2 5 || fail "h1 -> h2 with key=flow + set_tunnel"
flows | grep -q "in_port=$P1NO,.*actions=set_tun_id(0x7b),output:$VX" || fail "megaflow set_tun_id: $(flows)"

log "packet-out with set_tunnel reaches the other end (userspace encapsulation)"
ns u2 tcpdump -U -i t2 -nn -c 1 -w "$VS_TEST_DIR/po.pcap" 'udp port 9999' >/dev/null 2>&1 &
td=$!
track_pid $td
sleep 1
frame=$(/usr/bin/python3 -c "
from scapy.all import Ether, IP, UDP, raw
print(raw(Ether(dst='02:00:00:00:02:02', src='02:00:00:00:00:99')/IP(src='10.$NET.0.99', dst='$H2')/UDP(sport=9999, dport=9999)/(b'p' * 18)).hex())") \
    || fail "scapy"
$OFCTL packet-out $BR "in_port=controller packet=$frame actions=set_tunnel:123,output:$VX" \
    || fail "packet-out"
wait_until 5 sh -c "! kill -0 $td" || fail "packet-out frame did not come out of the tunnel"
tcpdump -r "$VS_TEST_DIR/po.pcap" -nn 2>/dev/null | grep -q "10.$NET.0.99.9999 > $H2.9999" \
    || fail "packet-out frame: $(tcpdump -r "$VS_TEST_DIR/po.pcap" -nn 2>&1)"

log "a tun_id match with another key drops"
$OFCTL del-flows $BR
$OFCTL add-flow $BR "in_port=$VX,tun_id=124,actions=output:$P1NO"
$OFCTL add-flow $BR "in_port=$P1NO,actions=set_tunnel:123,output:$VX"
ns h1 ip neigh flush all
ping_h2 2 && fail "tun_id=124 rule let key 123 through"
flows | grep -q "in_port=$VX,.*tun_id=0x7b.*actions=drop" || fail "no drop megaflow for key 123: $(flows)"

log "remote_ip=flow: set_field:...->tun_dst, set_field:...->tun_id"
$VSCTL set Interface vx1 options:remote_ip=flow || fail "remote_ip=flow"
$OFCTL del-flows $BR
$OFCTL add-flow $BR "in_port=$VX,tun_src=$U2,tun_id=123,actions=output:$P1NO" || fail "add-flow tun_src"
$OFCTL add-flow $BR "in_port=$P1NO,actions=set_field:$U2->tun_dst,set_field:123->tun_id,output:$VX" || fail "add-flow set_field tun_dst"
dump=$($OFCTL dump-flows $BR)
echo "$dump" | grep -q "tun_id=0x7b,tun_src=$U2,in_port=$VX actions" || fail "dump-flows tun_src: $dump"
echo "$dump" | grep -q "actions=set_field:$U2->tun_dst,set_field:0x7b->tun_id,output:$VX" || fail "dump-flows set_field: $dump"
ping_h2 5 || fail "h1 -> h2 with remote_ip=flow"

if command -v ovs-ofctl >/dev/null 2>&1; then
    log "Open vSwitch's ovs-ofctl: tunnel matches and actions in OpenFlow 1.3"
    OOF="ovs-ofctl -O OpenFlow13" T=unix:$VS_RUNDIR/$BR.mgmt
    $OOF del-flows $T || fail "ovs-ofctl del-flows"
    $OOF add-flow $T "in_port=$VX,tun_id=123,tun_src=$U2,actions=output:$P1NO" || fail "ovs-ofctl add-flow (match)"
    $OOF add-flow $T "in_port=$P1NO,actions=set_tunnel:123,set_field:$U2->tun_dst,output:$VX" \
        || fail "ovs-ofctl add-flow (actions)"
    got=$($OOF dump-flows --no-stats $T | sort)
    want=$(printf '%s\n' " in_port=$P1NO actions=set_field:0x7b->tun_id,set_field:$U2->tun_dst,output:$VX" \
        " tun_id=0x7b,tun_src=$U2,in_port=$VX actions=output:$P1NO" | sort)
    [ "$got" = "$want" ] || fail "ovs-ofctl dump-flows:
$got
--- expected ---
$want"
    ns u1 vs-dpctl del-flows $BR
    ns h1 ping -c 1 -W 2 $H2 >/dev/null 2>&1 || fail "first packet with ovs-ofctl's flows"
fi

log "local_ip: the outer source, and only what is sent to it is taken"
$VSCTL set Interface vx1 options:local_ip=$U1 || fail "local_ip"
ns u1 vs-dpctl del-flows $BR
ns h1 ping -c 1 -W 2 $H2 >/dev/null 2>&1 || fail "first packet with local_ip=$U1"
ping_h2 3 || fail "local_ip=$U1"
ns u1 ip addr add 10.$NET.9.9/24 dev "$(link_name a)"
$VSCTL set Interface vx1 options:local_ip=10.$NET.9.9 || fail "local_ip"
ping_h2 2 && fail "replies to $U1 taken by a port with local_ip=10.$NET.9.9"
$VSCTL remove Interface vx1 options local_ip
ping_h2 3 || fail "without local_ip again"

log "bad options are reported in Interface.error"
$VSCTL add-port $BR vx2 -- set Interface vx2 type=vxlan options:key=5 2>/dev/null
wait_until 5 sh -c "$VSCTL get Interface vx2 error | grep -q remote_ip" \
    || fail "missing remote_ip: $($VSCTL get Interface vx2 error)"
$VSCTL set Interface vx2 options:remote_ip=$U2 options:key=abc 2>/dev/null
wait_until 5 sh -c "$VSCTL get Interface vx2 error | grep -q 'bad key'" \
    || fail "bad key: $($VSCTL get Interface vx2 error)"
$VSCTL del-port $BR vx2
$VSCTL show | grep -q "options: {key=flow, remote_ip=flow}" || fail "vs-vsctl show: $($VSCTL show)"

log "geneve, key=123"
$VSCTL del-port $BR vx1 || fail "del-port vx1"
wait_until 5 sh -c "! ip -n $VS_T-u1 link show vs_vxlan_4789" || fail "vs_vxlan_4789 left behind"
if ! ns u2 ip link add gtest type geneve id 1 remote $U1 2>/dev/null; then
    # This kernel has no geneve (CONFIG_GENEVE unset): the port must say so.
    log "kernel without geneve: only the Interface error is checked"
    $VSCTL add-port $BR gv1 -- set Interface gv1 type=geneve options:remote_ip=$U2 2>/dev/null
    wait_until 5 sh -c "$VSCTL get Interface gv1 error | grep -q 'could not add geneve port gv1'" \
        || fail "geneve error: $($VSCTL get Interface gv1 error)"
    ping_h2 1 && fail "traffic without a tunnel port"
    pass
fi
ns u2 ip link del gtest
u2_tunnel geneve 123
$VSCTL add-port $BR gv1 -- set Interface gv1 type=geneve options:remote_ip=$U2 options:key=123 \
    || fail "add-port gv1"
ns u1 ip -d link show vs_geneve_6081 | grep -q "external" || fail "no flow-based geneve netdev"
GV=$($VSCTL get Interface gv1 ofport)
$OFCTL del-flows $BR
$OFCTL add-flow $BR "in_port=$GV,tun_id=123,actions=output:$P1NO"
$OFCTL add-flow $BR "in_port=$P1NO,actions=output:$GV"
ping_h2 5 || fail "h1 -> h2 over geneve"
flows | grep -q "in_port=$GV,.*tun_id=0x7b,tun_src=$U2" || fail "geneve megaflow: $(flows)"
pass
