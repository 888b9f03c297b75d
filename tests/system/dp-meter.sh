#!/bin/sh
# Meters (DP_ACT_METER, one drop band) with real traffic: a kbit/s meter on
# UDP and TCP (tc path, the hosts' default offloads: GSO skbs), a packet/s
# meter on ICMP (XDP path), userspace execute, counters and deletion.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/system/lib.sh"
. "$top_srcdir/tests/system/dp-lib.sh"
require_root
require_cmd iperf3
PY=/usr/bin/python3
NET=208
bpffs_setup
host 1; host 2
dp_create dp$$
DP=dp$$
for i in 1 2; do
    [ "$(vs-dpctl add-if $DP "$(link_name p$i)" port_no=$i)" = $i ] || fail "add-if p$i"
done
ns h1 ip neigh replace 10.$NET.0.2 lladdr "$(mac_of 2)" dev h1 nud permanent
ns h2 ip neigh replace 10.$NET.0.1 lladdr "$(mac_of 1)" dev h2 nud permanent
xdp_count() { vs-dpctl show $DP | sed -n 's/.*xdp:\([0-9]*\).*/\1/p'; }
meter() { vs-dpctl dump-meters $DP | grep "^meter:$1 "; }
field() { meter "$1" | sed -n "s/.* $2:\([0-9]*\).*/\1/p"; }
# within V LO HI: LO <= V <= HI.
within() { [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }
json() { $PY -c "import json,sys; d = json.load(open(sys.argv[1])); print(int($2))" "$1"; }

vs-dpctl set-meter $DP 1 kbps 20000 || fail "set-meter 1"
vs-dpctl set-meter $DP 2 pktps 50 || fail "set-meter 2"
vs-dpctl set-meter $DP 3 kbps 50000 || fail "set-meter 3"
vs-dpctl set-meter $DP 1024 kbps 1 2>/dev/null && fail "meter id 1024 accepted"
vs-dpctl set-meter $DP 4 kbps 0 2>/dev/null && fail "rate 0 accepted"
meter 1 | grep -q "kbps rate:20000 burst:2000 packets:0" || fail "dump-meters: $(vs-dpctl dump-meters $DP)"
meter 2 | grep -q "pktps rate:50 burst:64 " || fail "burst floor: $(meter 2)"
vs-dpctl add-flow $DP "in_port=2,actions=output:1" || fail "add-flow"
vs-dpctl add-flow $DP "in_port=1,eth_type=0x0800,nw_proto=17,actions=meter:1,output:2" || fail "add-flow"
vs-dpctl add-flow $DP "in_port=1,eth_type=0x0800,nw_proto=1,actions=meter:2,output:2" || fail "add-flow"
vs-dpctl add-flow $DP "in_port=1,eth_type=0x0800,nw_proto=6,actions=meter:3,output:2" || fail "add-flow"
vs-dpctl add-flow $DP "in_port=1,eth_type=0x0806,actions=output:2" || fail "add-flow"
vs-dpctl dump-flows $DP | grep -q "actions=meter:1,output:2" || fail "dump-flows"

log "UDP at 100 Mbit/s through a 20 Mbit/s meter (tc)"
ns h2 iperf3 -s -1 -p 5201 -J >"$VS_TEST_DIR/udp-srv.json" 2>&1 &
srv=$!
sleep 0.5
ns h1 timeout 15 iperf3 -c 10.$NET.0.2 -p 5201 -u -b 100M -t 3 >/dev/null 2>&1 || fail "iperf3 -u"
wait $srv
rx=$(json "$VS_TEST_DIR/udp-srv.json" "d['end']['sum_received']['bits_per_second']")
log "UDP received: $rx bit/s; $(meter 1)"
within "$rx" 12000000 26000000 || fail "UDP through the meter: $rx bit/s"
[ "$(field 1 dropped)" -gt 1000 ] || fail "meter 1 dropped nothing: $(meter 1)"

log "TCP (GSO skbs) through a 50 Mbit/s meter (tc)"
ns h2 iperf3 -s -1 -p 5202 >/dev/null 2>&1 &
srv=$!
sleep 0.5
ns h1 timeout 20 iperf3 -c 10.$NET.0.2 -p 5202 -t 3 -J >"$VS_TEST_DIR/tcp.json" || fail "iperf3 TCP"
wait $srv
tcp=$(json "$VS_TEST_DIR/tcp.json" "d['end']['sum_received']['bits_per_second']")
log "TCP: $tcp bit/s; $(meter 3)"
within "$tcp" 10000000 65000000 || fail "TCP through the meter: $tcp bit/s"

log "ping at 200/s through a 50 packet/s meter (XDP)"
x0=$(xdp_count)
got=$(ns h1 ping -q -i 0.005 -c 400 -W 1 10.$NET.0.2 2>/dev/null | sed -n 's/.* \([0-9]*\) received.*/\1/p')
x1=$(xdp_count)
log "ping: $got of 400 answered; $(meter 2); xdp forwarded $((x1 - x0))"
within "${got:-0}" 100 260 || fail "ping through the meter: ${got:-0} answered"
[ "$(field 2 dropped)" -ge 100 ] || fail "meter 2: $(meter 2)"
[ $((x1 - x0)) -ge 100 ] || fail "meter did not run in XDP"

log "userspace execute charges the meter too"
vs-dpctl set-meter $DP 5 pktps 1 || fail "set-meter 5"
pkt=$($PY -c "
import struct
h = bytes.fromhex('$(mac_of 2 | tr -d :)$(mac_of 1 | tr -d :)0800')
ip = bytearray(struct.pack('!BBHHHBBH4s4s', 0x45, 0, 28, 1, 0, 64, 1, 0, bytes([10, $NET, 0, 1]), bytes([10, $NET, 0, 2])))
print((h + ip + bytes(8)).hex())")
vs-dpctl execute $DP "in_port=1,actions=meter:5,output:2" "$pkt" 80 || fail "execute"
log "$(meter 5)"
within "$(field 5 packets)" 64 66 || fail "execute through meter 5: $(meter 5)"
within "$(field 5 dropped)" 14 16 || fail "execute through meter 5: $(meter 5)"

log "a deleted meter lets everything pass"
vs-dpctl del-meter $DP 2 || fail "del-meter"
[ -z "$(meter 2)" ] || fail "meter 2 still listed"
got=$(ns h1 ping -q -i 0.005 -c 200 -W 1 10.$NET.0.2 2>/dev/null | sed -n 's/.* \([0-9]*\) received.*/\1/p')
[ "${got:-0}" -ge 195 ] || fail "ping without the meter: ${got:-0} of 200"
vs-dpctl set-meter $DP 3 kbps 1000 || fail "modify meter 3"
[ "$(field 3 bytes)" -gt 1000000 ] || fail "modifying a meter lost its counters: $(meter 3)"

log "del-dp removes the datapath, meters included"
vs-dpctl del-dp $DP || fail "del-dp"
[ ! -e "$VS_BPF_DIR/$DP" ] || fail "left in the bpffs: $(ls "$VS_BPF_DIR/$DP")"
pass
