#!/bin/sh
# Megaflows installed by vs-dpctl forward real traffic between namespaced
# hosts: unicast output, flood, upcalls on a miss, TCP with the hosts'
# offloads left on (tc path), counters, and port deletion.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/system/lib.sh"
. "$top_srcdir/tests/system/dp-lib.sh"
require_root
require_cmd iperf3
NET=201
bpffs_setup
host 1; host 2; host 3
dp_create dp$$
DP=dp$$
for i in 1 2 3; do
    [ "$(vs-dpctl add-if $DP "$(link_name p$i)" port_no=$i)" = $i ] || fail "add-if p$i"
done
vs-dpctl show $DP | grep -q "port 3: $(link_name p3)" || fail "show lists ports"

log "no flows: a ping misses and goes up as an upcall with its key"
vs-dpctl recv-upcalls $DP 1 5 >"$VS_TEST_DIR/upcalls" &
up=$!
sleep 0.3
ping_ok 1 2 && fail "ping crossed an empty datapath"
wait $up || fail "no upcall"
grep -q "in_port=1,.*eth_type=0x0806,.*nw_dst=10.201.0.2.*miss" "$VS_TEST_DIR/upcalls" || fail "upcall key: $(cat "$VS_TEST_DIR/upcalls")"

log "broadcast floods, unicast follows eth_dst"
vs-dpctl add-flow $DP "eth_dst=ff:ff:ff:ff:ff:ff,actions=flood" || fail "add flood flow"
for i in 1 2 3; do
    mac=$(ns h$i cat /sys/class/net/h$i/address)
    vs-dpctl add-flow $DP "eth_dst=$mac,actions=output:$i" || fail "add flow to $i"
done
ping_retry 1 2 || fail "ping 1->2"
ping_retry 3 1 || fail "ping 3->1"
ping_retry 2 3 || fail "ping 2->3"
vs-dpctl dump-flows $DP | grep -q "eth_dst=ff:ff:ff:ff:ff:ff packets:[1-9]" \
    || fail "flood flow not hit"
[ "$(vs-dpctl dump-flows $DP | wc -l)" = 4 ] || fail "expected 4 flows"
xdp=$(vs-dpctl show $DP | sed -n 's/.*xdp:\([0-9]*\).*/\1/p')
[ "${xdp:-0}" -gt 0 ] || fail "no packet forwarded by XDP itself: $(vs-dpctl show $DP)"

log "TCP with default offloads crosses (checksums and GSO kept)"
ns h2 ethtool -k h2 | grep -q "tx-checksumming: on" || fail "offloads not default"
ns h2 iperf3 -s -1 -p 5201 >/dev/null 2>&1 &
srv=$!
sleep 0.5
ns h1 timeout 15 iperf3 -c 10.201.0.2 -p 5201 -t 2 -J >"$VS_TEST_DIR/iperf.json" \
    || fail "iperf3 failed"
wait $srv
bps=$(/usr/bin/python3 -c "import json,sys; print(int(json.load(open(sys.argv[1]))['end']['sum_received']['bits_per_second']))" "$VS_TEST_DIR/iperf.json")
log "TCP: $bps bit/s"
[ "$bps" -gt 100000000 ] || fail "TCP too slow: $bps"

log "deleting a port stops its traffic and removes its megaflows"
vs-dpctl del-if $DP "$(link_name p2)" || fail "del-if"
vs-dpctl dump-flows $DP | grep -q "output:2" && fail "megaflow to deleted port left"
ping_ok 1 2 && fail "ping reached a deleted port"
ping_ok 1 3 || fail "unaffected ports stopped"
vs-dpctl add-if $DP "$(link_name p2)" port_no=2 >/dev/null || fail "re-add"
vs-dpctl add-flow $DP "eth_dst=$(ns h2 cat /sys/class/net/h2/address),actions=output:2"
ping_retry 1 2 || fail "re-added port does not forward"

log "del-flows empties the cache"
vs-dpctl del-flows $DP
[ -z "$(vs-dpctl dump-flows $DP)" ] || fail "flows left after del-flows"

log "IPv6: the whole address is in the key"
# Two destinations whose addresses differ only above the low 32 bits.
A1=2001:db8:1::2 A2=2001:db8:2::2 S=2001:db8:1::1
for i in 1 2; do
    ns h$i sysctl -qw net.ipv6.conf.h$i.disable_ipv6=0 net.ipv6.conf.h$i.accept_dad=0
done
ns h1 ip -6 addr add $S/64 dev h1 nodad
ns h1 ip -6 route add 2001:db8:2::/64 dev h1
ns h2 ip -6 addr add $A1/64 dev h2 nodad
ns h2 ip -6 addr add $A2/64 dev h2 nodad
ns h1 ip -6 neigh replace $A1 lladdr "$(mac_of 2)" dev h1 nud permanent
ns h1 ip -6 neigh replace $A2 lladdr "$(mac_of 2)" dev h1 nud permanent
ns h2 ip -6 neigh replace $S lladdr "$(mac_of 1)" dev h2 nud permanent
vs-dpctl recv-upcalls $DP 50 3 >"$VS_TEST_DIR/upcalls6" &
up=$!
sleep 0.3
ns h1 ping -6 -c 1 -W 1 $A2 >/dev/null 2>&1 && fail "ping6 crossed an empty datapath"
wait $up || true
grep -q "eth_type=0x86dd,.*ipv6_src=$S,ipv6_dst=$A2 .*miss" "$VS_TEST_DIR/upcalls6" \
    || fail "IPv6 upcall key: $(cat "$VS_TEST_DIR/upcalls6")"
vs-dpctl add-flow $DP "eth_type=0x86dd,ipv6_dst=$A1,actions=output:2" || fail "add ipv6 flow"
vs-dpctl add-flow $DP "eth_type=0x86dd,ipv6_dst=$A2,actions=drop" || fail "add ipv6 drop"
vs-dpctl add-flow $DP "eth_type=0x86dd,ipv6_dst=$S,actions=output:1" || fail "add ipv6 back"
vs-dpctl dump-flows $DP | grep -q "ipv6_dst=$A2 " || fail "dump: $(vs-dpctl dump-flows $DP)"
ns h1 ping -6 -c 3 -i 0.2 -W 1 $A1 >/dev/null 2>&1 || fail "ping6 to $A1"
ns h1 ping -6 -c 2 -i 0.2 -W 1 $A2 >/dev/null 2>&1 && fail "ping6 to $A2 not dropped"
vs-dpctl dump-flows $DP >"$VS_TEST_DIR/flows6"
grep -q "ipv6_dst=$A1 packets:[3-9]" "$VS_TEST_DIR/flows6" || fail "flows: $(cat "$VS_TEST_DIR/flows6")"
grep -q "ipv6_dst=$A2 packets:2 " "$VS_TEST_DIR/flows6" || fail "flows: $(cat "$VS_TEST_DIR/flows6")"
vs-dpctl del-flows $DP
pass
