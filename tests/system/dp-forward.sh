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
pass
