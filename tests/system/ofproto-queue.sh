#!/bin/sh
# OpenFlow queues onto Linux qdiscs: with an HTB qdisc (handle 1:) on the
# port towards h2, set_queue:1 sends h1's packets through class 1:2 and
# enqueue:PORT:0 through class 1:1 (OpenFlow queue N = class 1:N+1, as in
# Open vSwitch), counted by the qdisc itself.  The queue is carried by the
# datapath (tc: XDP frames have no priority), and by userspace when the
# flow is slow-path (a packet-in beside the output).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/system/lib.sh"
. "$top_srcdir/tests/system/ofctl-lib.sh"
require_cmd tc /usr/bin/python3
NET=234
ofctl_setup 2
OF="ovs-ofctl -O OpenFlow13"
DEV=$(link_name p2)
# The host's own IPv6 chatter on the port would land in the default class.
sysctl -qw "net.ipv6.conf.$DEV.disable_ipv6=1"
tc qdisc add dev "$DEV" root handle 1: htb default 30 r2q 1000 || fail "htb qdisc"
for c in 1 2 30; do
    tc class add dev "$DEV" parent 1: classid "1:$c" htb rate 100mbit || fail "class 1:$c"
done
# class_pkts C: packets class 1:C sent so far.
class_pkts() {
    tc -s class show dev "$DEV" classid "1:$1" | sed -n 's/.* Sent [0-9]* bytes \([0-9]*\) pkt.*/\1/p'
}
ns h1 ip neigh replace "10.$NET.0.2" lladdr "$(ns h2 cat /sys/class/net/h2/address)" dev h1 nud permanent
$OF del-flows "$OFT"
$OF add-flow "$OFT" "in_port=$P2,actions=output:$P1" || fail "flow 2->1"

# sent_through C CMD...: CMD (5 packets h1 -> h2) must add at least 5
# packets to class 1:C and none to the other queue's class.
sent_through() {
    _c=$1; shift
    _b1=$(class_pkts 1) _b2=$(class_pkts 2) _b30=$(class_pkts 30)
    "$@"
    sleep 0.5
    _d1=$(($(class_pkts 1) - _b1)) _d2=$(($(class_pkts 2) - _b2)) _d30=$(($(class_pkts 30) - _b30))
    log "classes 1:1 +$_d1, 1:2 +$_d2, 1:30 (default) +$_d30"
    eval "_dc=\$_d$_c"
    [ "$_dc" -ge 5 ] || fail "class 1:$_c got $_dc packets"
    # The other queue gets none (the default class may see stray packets
    # the host itself sends on the port).
    [ $((_d1 + _d2)) = "$_dc" ] || fail "packets went to the other queue"
}
ping5() { ns h1 ping -c 6 -i 0.2 -W 1 "10.$NET.0.2" >/dev/null 2>&1; }
udp5() {
    ns h1 /usr/bin/python3 -c "
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(6):
    s.sendto(b'x' * 64, ('10.$NET.0.2', 5000))
    time.sleep(0.1)
"
}

# (Without a queue the flow would run in XDP, whose generic redirect goes
# around the qdisc: nothing to count.)
log "set_queue:1 -> class 1:2"
$OF add-flow "$OFT" "priority=20,in_port=$P1,icmp,actions=set_queue:1,output:$P2" || fail "set_queue flow"
sent_through 2 ping5

log "enqueue:P2:0 -> class 1:1"
ovs-ofctl -O OpenFlow10 add-flow "$OFT" "priority=20,in_port=$P1,icmp,actions=enqueue:$P2:0" || fail "enqueue flow"
sent_through 1 ping5

log "a slow-path flow (with a packet-in) keeps its queue"
$OF add-flow "$OFT" "priority=20,in_port=$P1,udp,actions=set_queue:1,output:$P2,CONTROLLER:64" || fail "slow flow"
sent_through 2 udp5
$OF dump-flows "$OFT" | grep -q "actions=set_queue:1,output:$P2,CONTROLLER:64" \
    || fail "dump-flows: $($OF dump-flows "$OFT")"
pass
