#!/bin/sh
# QoS from the database, as Open vSwitch users configure it: a QoS row of
# type linux-htb with Queue rows on the port towards h2 becomes an HTB
# qdisc (queue N = class 1:N+1 under the root class 1:fffe) with the
# configured rates; flows with set_queue send h1's packets through those
# classes; OpenFlow queue stats count what the classes count and queue
# config reports the rates; changes in the database change the classes,
# clearing the QoS gives the port its default qdisc back, and bad input is
# refused with a clear message that changes nothing.  Made once with
# vs-vsctl and once with Debian's ovs-vsctl.  Ingress policing on h1's port
# drops what exceeds the rate (a tc filter ahead of the datapath's, with
# XDP off on that port so that every packet meets it).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/system/lib.sh"
. "$top_srcdir/tests/system/ofctl-lib.sh"
require_cmd ovs-vsctl tc tcpdump /usr/bin/python3
NET=241
ofctl_setup 2
DEV=$(link_name p2)
DEV1=$(link_name p1)
OVSCTL="ovs-vsctl --db=$DB --timeout=20"
# The host's own IPv6 chatter on the port would land in the default class.
sysctl -qw "net.ipv6.conf.$DEV.disable_ipv6=1"
ns h1 ip neigh replace "10.$NET.0.2" lladdr "$(ns h2 cat /sys/class/net/h2/address)" dev h1 nud permanent
ns h2 ip neigh replace "10.$NET.0.1" lladdr "$(ns h1 cat /sys/class/net/h1/address)" dev h2 nud permanent

# class_line C: the `tc class show` line of class 1:C ("" if none).
class_line() { tc class show dev "$DEV" classid "1:$1" 2>/dev/null; }
# class_pkts C: packets class 1:C sent so far.
class_pkts() {
    tc -s class show dev "$DEV" classid "1:$1" | sed -n 's/.* Sent [0-9]* bytes \([0-9]*\) pkt.*/\1/p'
}
# has_class C RATE CEIL: class 1:C exists with these rates (tc's words).
has_class() { class_line "$1" | grep -q "rate $2 ceil $3 "; }
root_qdisc() { tc qdisc show dev "$DEV" root; }
# queue_pkts Q: tx_packets of queue Q of port 2 as ovs-ofctl shows them.
queue_pkts() {
    ovs-ofctl -O OpenFlow13 queue-stats "$OFT" "$P2" "$1" \
        | sed -n "s/.*queue $1: .*pkts=\([0-9]*\).*/\1/p"
}
# udp_burst N SIZE [PORT]: N UDP datagrams of SIZE bytes h1 -> h2 (port
# 5000 by default), as fast as python sends them (bounded: at most 5
# seconds).
udp_burst() {
    ns h1 /usr/bin/python3 -c "
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
end = time.time() + 5
for i in range($1):
    if time.time() > end:
        break
    s.sendto(b'x' * $2, ('10.$NET.0.2', ${3:-5000}))
"
}

log "QoS and queues from vs-vsctl become an HTB qdisc with classes"
$VSCTL -- set port "$DEV" qos=@q -- --id=@q create qos type=linux-htb \
    other-config:max-rate=100000000 queues:0=@a queues:1=@b -- \
    --id=@a create queue other-config:min-rate=1000000 other-config:max-rate=50000000 -- \
    --id=@b create queue other-config:max-rate=2000000 >/dev/null || fail "vs-vsctl create qos"
wait_until 10 sh -c "tc qdisc show dev $DEV root | grep -q 'htb 1:'" \
    || fail "no htb qdisc: $(root_qdisc)"
root_qdisc | grep -q "default 0x1\|default 1 " || fail "default class is not 1:1: $(root_qdisc)"
has_class fffe 100Mbit 100Mbit || fail "root class: $(class_line fffe)"
has_class 1 1Mbit 50Mbit || fail "queue 0 class: $(class_line 1)"
has_class 2 12Kbit 2Mbit || fail "queue 1 class: $(class_line 2)"
log "$(tc class show dev "$DEV" | tr '\n' ';')"
[ -z "$($VSCTL get interface "$DEV" status:qos_error 2>/dev/null)" ] \
    || fail "status: $($VSCTL get interface "$DEV" status)"

log "queue config over OpenFlow: rates in tenths of a percent of 100 Mbit/s"
out=$(ovs-ofctl -O OpenFlow13 queue-get-config "$OFT" "$P2") || fail "queue-get-config 1.3"
log "$out"
echo "$out" | grep -Eq "queue 0:.*min_rate:1\.0%.*max_rate:50\.0%" || fail "OF1.3 queue 0: $out"
echo "$out" | grep -Eq "queue 1: max_rate:2\.0%" || fail "OF1.3 queue 1 (no min_rate set): $out"
out=$(ovs-ofctl -O OpenFlow10 queue-get-config "$OFT" "$P2") || fail "queue-get-config 1.0"
echo "$out" | grep -Eq "queue 0:.*min_rate:1\.0%" || fail "OF1.0 queue 0: $out"
out=$(ovs-ofctl -O OpenFlow14 queue-get-config "$OFT" "$P2") || fail "queue-get-config 1.4"
echo "$out" | grep -Eq "queue 1:.*max_rate:2\.0%" || fail "OF1.4 queue 1: $out"
out=$(vs-ofctl -O OpenFlow14 queue-get-config "$OFT" "$P2") || fail "vs-ofctl queue-get-config"
echo "$out" | grep -Eq "queue 0: min_rate:1\.0% max_rate:50\.0%" || fail "vs-ofctl 1.4: $out"
out=$(vs-ofctl -O OpenFlow10 queue-get-config "$OFT" "$P2") || fail "vs-ofctl queue-get-config 1.0"
echo "$out" | grep -Eq "queue 1:" || fail "vs-ofctl 1.0: $out"
# vs-ofctl prints what ovs-ofctl prints.
for v in OpenFlow10 OpenFlow13 OpenFlow14; do
    [ "$(vs-ofctl -O $v queue-get-config "$OFT" "$P2" | sed 's/ (xid=0x[0-9a-f]*)//')" \
        = "$(ovs-ofctl -O $v queue-get-config "$OFT" "$P2" | sed 's/ (xid=0x[0-9a-f]*)//')" ] \
        || fail "vs-ofctl and ovs-ofctl differ ($v): $(vs-ofctl -O $v queue-get-config "$OFT" "$P2")"
done
ovs-ofctl -O OpenFlow13 queue-get-config "$OFT" "$P1" | grep -q "queue" \
    && fail "port 1 has no QoS but reports queues"

log "set_queue:1 and set_queue:0 land in classes 1:2 and 1:1; queue stats agree"
ovs-ofctl -O OpenFlow13 del-flows "$OFT"
ovs-ofctl -O OpenFlow13 add-flow "$OFT" "in_port=$P2,actions=output:$P1" || fail "flow 2->1"
ovs-ofctl -O OpenFlow13 add-flow "$OFT" "priority=20,in_port=$P1,icmp,actions=set_queue:1,output:$P2" \
    || fail "set_queue:1 flow"
ovs-ofctl -O OpenFlow13 add-flow "$OFT" "priority=20,in_port=$P1,udp,actions=set_queue:0,output:$P2" \
    || fail "set_queue:0 flow"
b1=$(class_pkts 1) b2=$(class_pkts 2)
ns h1 ping -f -c 200 -W 1 "10.$NET.0.2" >/dev/null 2>&1
udp_burst 150 100
sleep 0.5
d1=$(($(class_pkts 1) - b1)) d2=$(($(class_pkts 2) - b2))
log "class 1:1 +$d1 (150 UDP sent), class 1:2 +$d2 (200 pings)"
[ "$d2" -ge 195 ] || fail "class 1:2 got $d2 of 200 pings"
[ "$d1" -ge 150 ] || fail "class 1:1 got $d1 of 150 UDP datagrams"
[ "$d1" -lt 170 ] || fail "class 1:1 got pings too: $d1"
q1=$(queue_pkts 1) q0=$(queue_pkts 0)
log "queue-stats: queue 0 $q0, queue 1 $q1 packets; tc: $(class_pkts 1), $(class_pkts 2)"
[ "$q1" = "$(class_pkts 2)" ] || fail "queue 1: OpenFlow $q1, tc $(class_pkts 2)"
[ "$q0" = "$(class_pkts 1)" ] || fail "queue 0: OpenFlow $q0, tc $(class_pkts 1)"
out=$(ovs-ofctl -O OpenFlow10 queue-stats "$OFT") || fail "queue-stats OF1.0 all ports"
echo "$out" | grep -q "queue 1: .*pkts=$q1," || fail "OF1.0 queue-stats: $out"
out=$(vs-ofctl -O OpenFlow14 queue-stats "$OFT" "$P2" 1) || fail "vs-ofctl queue-stats"
echo "$out" | grep -q "queue 1: .*pkts=$q1," || fail "vs-ofctl queue-stats: $out"
ovs-ofctl -O OpenFlow13 queue-stats "$OFT" "$P2" 7 2>&1 | grep -q "OFPQOFC_BAD_QUEUE" \
    || fail "queue 7 (none) is not refused"

log "unqueued traffic to the port passes the qdisc too: default class 1:1"
# (Not an XDP redirect, which would go around the qdisc.)
ovs-ofctl -O OpenFlow13 add-flow "$OFT" "priority=20,in_port=$P1,icmp,actions=output:$P2" \
    || fail "unqueued flow"
b1=$(class_pkts 1) b2=$(class_pkts 2)
ns h1 ping -f -c 100 -W 1 "10.$NET.0.2" >/dev/null 2>&1
sleep 0.5
d1=$(($(class_pkts 1) - b1)) d2=$(($(class_pkts 2) - b2))
log "class 1:1 +$d1, class 1:2 +$d2 (100 unqueued pings)"
[ "$d1" -ge 98 ] || fail "default class 1:1 got $d1 of 100 unqueued pings"
[ "$d2" = 0 ] || fail "unqueued pings in class 1:2: $d2"
q1=$(queue_pkts 1)

log "queue 1's 2 Mbit/s ceiling holds a fast burst back (queued, not lost)"
ovs-ofctl -O OpenFlow13 add-flow "$OFT" "priority=25,in_port=$P1,udp,tp_dst=5001,actions=set_queue:1,output:$P2" \
    || fail "udp 5001 flow"
rx_h2() { ns h2 cat /sys/class/net/h2/statistics/rx_packets; }
over() { tc -s class show dev "$DEV" classid 1:2 | sed -n 's/.*overlimits \([0-9]*\).*/\1/p'; }
o0=$(over) r0=$(rx_h2) t0=$(date +%s%N)
udp_burst 200 1000 5001
rx_at_least() { [ "$(rx_h2)" -ge "$1" ]; }
wait_until 10 rx_at_least $((r0 + 200)) \
    || fail "h2 got $(($(rx_h2) - r0)) of 200 shaped datagrams"
ms=$((($(date +%s%N) - t0) / 1000000))
log "200 x 1000 bytes through 2 Mbit/s: all delivered in ${ms} ms, overlimits +$(($(over) - o0))"
[ "$(($(over) - o0))" -gt 0 ] || fail "class 1:2 never held a packet back"
# 1.6 Mbit at 2 Mbit/s takes most of a second (the bucket lets ~30 kB pass at once).
[ "$ms" -ge 400 ] || fail "200 kB through a 2 Mbit/s queue in $ms ms"
q1=$(queue_pkts 1)

log "a rate changed in the database changes the class in place"
qb=$($VSCTL get qos "$($VSCTL get port "$DEV" qos)" queues:1)
$VSCTL set queue "$qb" other-config:max-rate=3000000 other-config:priority=2 || fail "set queue"
wait_until 10 has_class 2 12Kbit 3Mbit || fail "class 1:2 after the change: $(class_line 2)"
class_line 2 | grep -q "prio 2" || fail "priority: $(class_line 2)"
[ "$(class_pkts 2)" -ge "$q1" ] || fail "class 1:2 was re-created (counters lost)"

log "Queue dscp marks what the queue sends (set_queue:1 pings arrive with DSCP 46)"
ns h2 tcpdump -i h2 -nn -v -c 3 -w "$VS_TEST_DIR/dscp.pcap" 'icmp[icmptype] = icmp-echo' >/dev/null 2>&1 &
td=$!
track_pid $td
ovs-ofctl -O OpenFlow13 add-flow "$OFT" "priority=20,in_port=$P1,icmp,actions=set_queue:1,output:$P2" \
    || fail "set_queue:1 flow again"
$VSCTL set queue "$qb" dscp=46 || fail "set queue dscp"
sleep 1
ns h1 ping -c 3 -i 0.2 -W 1 "10.$NET.0.2" >/dev/null 2>&1
wait_until 5 sh -c "! kill -0 $td" || fail "no pings captured on h2"
tos=$(tcpdump -r "$VS_TEST_DIR/dscp.pcap" -nn -v 2>/dev/null | sed -n 's/.*tos \(0x[0-9a-f]*\).*/\1/p' | sort -u)
log "echo requests arrive with tos $tos"
[ "$tos" = 0xb8 ] || fail "tos $tos, not DSCP 46 (0xb8)"
$VSCTL clear queue "$qb" dscp || fail "clear dscp"
ns h2 tcpdump -i h2 -nn -v -c 3 -w "$VS_TEST_DIR/dscp0.pcap" 'icmp[icmptype] = icmp-echo' >/dev/null 2>&1 &
td=$!
track_pid $td
sleep 1
ns h1 ping -c 3 -i 0.2 -W 1 "10.$NET.0.2" >/dev/null 2>&1
wait_until 5 sh -c "! kill -0 $td" || fail "no pings captured on h2 (no dscp)"
tcpdump -r "$VS_TEST_DIR/dscp0.pcap" -nn -v 2>/dev/null | grep -q "tos 0xb8" && fail "DSCP still set after clearing"

log "bad input: a negative rate or an unknown type changes nothing"
before=$(tc class show dev "$DEV")
$VSCTL set queue "$qb" other-config:min-rate=-5 || fail "set queue (bad rate)"
wait_until 10 sh -c "$VSCTL get interface $DEV status:qos_error 2>/dev/null | grep -q min-rate" \
    || fail "no error for min-rate=-5: $($VSCTL get interface "$DEV" status)"
log "status: $($VSCTL get interface "$DEV" status:qos_error)"
[ "$(tc class show dev "$DEV")" = "$before" ] || fail "bad rate changed the classes"
$VSCTL remove queue "$qb" other-config min-rate
wait_until 10 sh -c "[ -z \"\$($VSCTL get interface $DEV status:qos_error 2>/dev/null)\" ]" \
    || fail "error stays: $($VSCTL get interface "$DEV" status)"
$VSCTL set interface "$DEV1" ingress_policing_rate=-1 2>"$VS_TEST_DIR/err" \
    && fail "negative ingress_policing_rate accepted"
log "vs-vsctl: $(head -1 "$VS_TEST_DIR/err")"
[ "$($VSCTL get interface "$DEV1" ingress_policing_rate)" = 0 ] || fail "policing rate changed"
$VSCTL set qos "$($VSCTL get port "$DEV" qos)" type=foo || fail "set qos type"
wait_until 10 sh -c "$VSCTL get interface $DEV status:qos_error 2>/dev/null | grep -q foo" \
    || fail "no error for type foo: $($VSCTL get interface "$DEV" status)"
log "status: $($VSCTL get interface "$DEV" status:qos_error)"
[ "$(tc class show dev "$DEV")" = "$before" ] || fail "type foo changed the classes"
ping_retry 1 2 || fail "h1 -> h2 after bad input"

log "a queue removed from the QoS loses its class; clearing the QoS removes the qdisc"
$VSCTL set qos "$($VSCTL get port "$DEV" qos)" type=linux-htb
wait_until 10 sh -c "[ -z \"\$($VSCTL get interface $DEV status:qos_error 2>/dev/null)\" ]" \
    || fail "error stays after type fix"
$VSCTL remove qos "$($VSCTL get port "$DEV" qos)" queues 1 || fail "remove queue 1"
wait_until 10 sh -c "[ -z \"\$(tc class show dev $DEV classid 1:2)\" ]" \
    || fail "class 1:2 stays: $(tc class show dev "$DEV")"
has_class 1 1Mbit 50Mbit || fail "queue 0 class went too: $(class_line 1)"
$VSCTL clear port "$DEV" qos || fail "clear qos"
wait_until 10 sh -c "! tc qdisc show dev $DEV root | grep -q htb" \
    || fail "htb stays: $(root_qdisc)"
log "root qdisc now: $(root_qdisc)"
[ -z "$(ovs-ofctl -O OpenFlow13 queue-stats "$OFT" | grep 'queue ')" ] || fail "queues reported after clear"
$VSCTL -- --all destroy queue -- --all destroy qos

log "the same with Debian's ovs-vsctl"
$OVSCTL -- set port "$DEV" qos=@q -- --id=@q create qos type=linux-htb \
    other-config:max-rate=20000000 queues:0=@a queues:3=@b -- \
    --id=@a create queue other-config:min-rate=2000000 -- \
    --id=@b create queue other-config:min-rate=5000000 other-config:max-rate=10000000 \
    >/dev/null || fail "ovs-vsctl create qos"
wait_until 10 has_class 4 5Mbit 10Mbit || fail "ovs-vsctl queue 3: $(tc class show dev "$DEV")"
has_class fffe 20Mbit 20Mbit || fail "ovs-vsctl root class: $(class_line fffe)"
has_class 1 2Mbit 20Mbit || fail "ovs-vsctl queue 0: $(class_line 1)"
ovs-ofctl -O OpenFlow13 add-flow "$OFT" "priority=20,in_port=$P1,icmp,actions=set_queue:3,output:$P2"
b4=$(class_pkts 4)
ns h1 ping -f -c 100 -W 1 "10.$NET.0.2" >/dev/null 2>&1
sleep 0.5
d4=$(($(class_pkts 4) - b4))
[ "$d4" -ge 95 ] || fail "class 1:4 (queue 3) got $d4 of 100 pings"
[ "$(queue_pkts 3)" = "$(class_pkts 4)" ] || fail "queue 3: OpenFlow $(queue_pkts 3), tc $(class_pkts 4)"
ovs-ofctl -O OpenFlow13 queue-get-config "$OFT" "$P2" | grep -Eq "queue 3:.*min_rate:25\.0%.*max_rate:50\.0%" \
    || fail "queue 3 config: $(ovs-ofctl -O OpenFlow13 queue-get-config "$OFT" "$P2")"
$OVSCTL clear port "$DEV" qos -- --all destroy queue -- --all destroy qos || fail "ovs-vsctl clear"
wait_until 10 sh -c "! tc qdisc show dev $DEV root | grep -q htb" || fail "htb stays after ovs-vsctl clear"

log "linux-hfsc: service curves from the same rates (or a clear error)"
# Whether this kernel has HFSC, probed on a device of our own namespace.
ns h1 ip link add qprobe type veth peer name qprobe1 || fail "probe veth"
hfsc=no
ns h1 tc qdisc add dev qprobe root handle 1: hfsc 2>/dev/null && hfsc=yes
$VSCTL -- set port "$DEV" qos=@q -- --id=@q create qos type=linux-hfsc \
    other-config:max-rate=10000000 queues:1=@b -- \
    --id=@b create queue other-config:min-rate=1000000 other-config:max-rate=5000000 \
    >/dev/null || fail "create hfsc qos"
if [ $hfsc = yes ]; then
    wait_until 10 sh -c "tc qdisc show dev $DEV root | grep -q 'hfsc 1:'" || fail "no hfsc qdisc: $(root_qdisc)"
    class_line 2 | grep -q "rt m1 0bit d 0us m2 1Mbit .*ul m1 0bit d 0us m2 5Mbit" \
        || fail "hfsc queue 1 class: $(class_line 2)"
    ovs-ofctl -O OpenFlow13 add-flow "$OFT" "priority=20,in_port=$P1,icmp,actions=set_queue:1,output:$P2"
    b2=$(class_pkts 2)
    ns h1 ping -f -c 50 -W 1 "10.$NET.0.2" >/dev/null 2>&1
    sleep 0.5
    [ $(($(class_pkts 2) - b2)) -ge 48 ] || fail "hfsc class 1:2 got $(($(class_pkts 2) - b2)) of 50 pings"
    [ "$(queue_pkts 1)" = "$(class_pkts 2)" ] || fail "hfsc queue 1: OpenFlow $(queue_pkts 1), tc $(class_pkts 2)"
else
    wait_until 10 sh -c "$VSCTL get interface $DEV status:qos_error 2>/dev/null | grep -q 'no hfsc qdisc'" \
        || fail "no clear error without HFSC: $($VSCTL get interface "$DEV" status)"
    log "no HFSC in this kernel: $($VSCTL get interface "$DEV" status:qos_error)"
    root_qdisc | grep -q "hfsc\|htb" && fail "half-done: $(root_qdisc)"
fi
$VSCTL clear port "$DEV" qos -- --all destroy queue -- --all destroy qos || fail "clear hfsc"
wait_until 10 sh -c "! tc qdisc show dev $DEV root | grep -q hfsc" || fail "hfsc stays: $(root_qdisc)"
wait_until 10 sh -c "[ -z \"\$($VSCTL get interface $DEV status:qos_error 2>/dev/null)\" ]" \
    || fail "error stays after clear: $($VSCTL get interface "$DEV" status)"

log "ingress policing: 1 Mbit/s on h1's port drops a burst's excess"
ovs-ofctl -O OpenFlow13 add-flow "$OFT" "priority=30,in_port=$P1,udp,actions=output:$P2"
r0=$(rx_h2)
udp_burst 300 1000
sleep 0.5
unpoliced=$(($(rx_h2) - r0))
log "without policing h2 got $unpoliced of 300"
[ "$unpoliced" -ge 295 ] || fail "unpoliced burst lost packets: $unpoliced"
$VSCTL set interface "$DEV1" ingress_policing_rate=1000 ingress_policing_burst=100 || fail "set policing"
# This kernel need not have tc's police action: the policer is a BPF
# filter (police_ingress) at priority 1, before the datapath's dp_tc.
wait_until 10 sh -c "tc filter show dev $DEV1 ingress | grep -q 'pref 1 bpf.*police_ingress'" \
    || fail "no policer filter: $(tc filter show dev "$DEV1" ingress); status: $($VSCTL get interface "$DEV1" status)"
tc filter show dev "$DEV1" ingress | grep -q "pref 2 bpf.*dp_tc" \
    || fail "datapath filter not after the policer: $(tc filter show dev "$DEV1" ingress)"
# qdisc_drops: packets the clsact qdisc of h1's port dropped (policer).
qdisc_drops() {
    tc -s qdisc show dev "$DEV1" | sed -n '/clsact/,/qdisc/s/.*(dropped \([0-9]*\),.*/\1/p' | head -1
}
q0=$(qdisc_drops)
r0=$(rx_h2)
udp_burst 300 1000
sleep 0.5
policed=$(($(rx_h2) - r0))
drops=$(($(qdisc_drops) - q0))
log "with policing h2 got $policed of 300, the policer dropped $drops"
[ "$drops" -ge 200 ] || fail "policer dropped $drops: $(tc -s qdisc show dev "$DEV1")"
[ "$policed" -le 100 ] || fail "h2 still got $policed of 300"
[ "$policed" -ge 5 ] || fail "the policer let nothing through: $policed"
[ $((policed + drops)) -ge 295 ] || fail "passed $policed + dropped $drops is not the 300 sent"
ping_retry 1 2 || fail "ping under policing"
$VSCTL set interface "$DEV1" ingress_policing_rate=0 || fail "policing off"
wait_until 10 sh -c "! tc filter show dev $DEV1 ingress | grep -q police_ingress" \
    || fail "policer filter stays: $(tc filter show dev "$DEV1" ingress)"
tc filter show dev "$DEV1" ingress | grep -q "dp_tc" || fail "datapath filter went too"
r0=$(rx_h2)
udp_burst 300 1000
sleep 0.5
[ "$(($(rx_h2) - r0))" -ge 295 ] || fail "after policing off h2 got $(($(rx_h2) - r0))"

log "vs-vswitchd killed and restarted: QoS (with its counters) and policing stay"
$VSCTL -- set port "$DEV" qos=@q -- --id=@q create qos type=linux-htb \
    other-config:max-rate=100000000 queues:1=@b -- \
    --id=@b create queue other-config:max-rate=2000000 >/dev/null || fail "qos for restart"
$VSCTL set interface "$DEV1" ingress_policing_rate=1000 ingress_policing_burst=100 || fail "policing for restart"
wait_until 10 has_class 2 12Kbit 2Mbit || fail "class 1:2 for restart: $(tc class show dev "$DEV")"
ovs-ofctl -O OpenFlow13 add-flow "$OFT" "priority=20,in_port=$P1,icmp,actions=set_queue:1,output:$P2"
ping_retry 1 2 || fail "ping before restart"
c0=$(class_pkts 2)
[ "$c0" -ge 1 ] || fail "no pings in class 1:2 before restart"
kill_hard "$VSW_PID"
start_daemon vswitchd2 vs-vswitchd "$DB" --pidfile
VSW_PID=$DAEMON_PID
wait_until 10 ovs-ofctl probe "$OFT" || fail "no OpenFlow listener after restart"
wait_until 10 sh -c "tc filter show dev $DEV1 ingress | grep -q 'pref 1 bpf.*police_ingress'" \
    || fail "policer after restart: $(tc filter show dev "$DEV1" ingress)"
sleep 1
st=$($VSCTL get interface "$DEV" status:qos_error 2>/dev/null)
[ -z "$st" ] || fail "QoS after restart: $st"
[ "$(class_pkts 2)" -ge "$c0" ] || fail "class 1:2 counters restarted: $(class_pkts 2) < $c0"
ovs-ofctl -O OpenFlow13 add-flow "$OFT" "in_port=$P2,actions=output:$P1"
ovs-ofctl -O OpenFlow13 add-flow "$OFT" "priority=20,in_port=$P1,icmp,actions=set_queue:1,output:$P2"
ovs-ofctl -O OpenFlow13 add-flow "$OFT" "priority=30,in_port=$P1,udp,actions=output:$P2"
ns h1 ping -c 5 -i 0.2 -W 1 "10.$NET.0.2" >/dev/null 2>&1
[ "$(class_pkts 2)" -ge $((c0 + 5)) ] || fail "class 1:2 after restart: $(class_pkts 2), was $c0"
[ "$(queue_pkts 1)" = "$(class_pkts 2)" ] || fail "queue 1 after restart: OpenFlow $(queue_pkts 1), tc $(class_pkts 2)"
r0=$(rx_h2)
udp_burst 300 1000
sleep 0.5
policed=$(($(rx_h2) - r0))
log "after restart: class 1:2 $c0 -> $(class_pkts 2) packets; policed burst: $policed of 300 through"
[ "$policed" -le 100 ] || fail "policing after restart let $policed of 300 through"

log "QoS and policing dropped from the database while vs-vswitchd is down go at its restart"
kill_hard "$VSW_PID"
$VSCTL --no-wait clear port "$DEV" qos -- set interface "$DEV1" ingress_policing_rate=0 \
    || fail "clearing QoS and policing while down"
tc qdisc show dev "$DEV" root | grep -q htb || fail "htb went with the daemon: $(root_qdisc)"
# A hand-made qdisc on a port without QoS is not ours: it stays.
tc qdisc replace dev "$DEV1" root handle 1: htb default 1 || fail "hand-made htb"
start_daemon vswitchd3 vs-vswitchd "$DB" --pidfile
VSW_PID=$DAEMON_PID
wait_until 10 sh -c "! tc qdisc show dev $DEV root | grep -q htb" || fail "stale htb stays: $(root_qdisc)"
wait_until 10 sh -c "! tc filter show dev $DEV1 ingress | grep -q police_ingress" \
    || fail "stale policer stays: $(tc filter show dev "$DEV1" ingress)"
grep -q "removed QoS left by" "$VS_LOGDIR/vswitchd3.out" || fail "no log of the stale QoS removed"
tc qdisc show dev "$DEV1" root | grep -q htb || fail "a hand-made htb went: $(tc qdisc show dev "$DEV1" root)"
tc qdisc del dev "$DEV1" root || fail "removing the hand-made htb"
ping_retry 1 2 || fail "ping after the stale QoS went"
$VSCTL -- set port "$DEV" qos=@q -- --id=@q create qos type=linux-htb \
    other-config:max-rate=100000000 >/dev/null || fail "qos again"
$VSCTL set interface "$DEV1" ingress_policing_rate=1000 ingress_policing_burst=100 || fail "policing again"
wait_until 10 sh -c "tc qdisc show dev $DEV root | grep -q htb" || fail "no htb again: $(root_qdisc)"
wait_until 10 sh -c "tc filter show dev $DEV1 ingress | grep -q police_ingress" \
    || fail "no policer again: $(tc filter show dev "$DEV1" ingress)"

log "a port leaving the bridge gets its own qdisc back, and loses the policer"
$VSCTL del-port "$BR" "$DEV" || fail "del-port p2"
wait_until 10 sh -c "! tc qdisc show dev $DEV root | grep -q htb" || fail "htb stays on a removed port: $(root_qdisc)"
$VSCTL del-port "$BR" "$DEV1" || fail "del-port p1"
wait_until 10 sh -c "! tc filter show dev $DEV1 ingress | grep -q police_ingress" \
    || fail "policer stays on a removed port: $(tc filter show dev "$DEV1" ingress)"
pass
