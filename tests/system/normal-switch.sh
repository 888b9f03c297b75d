#!/bin/sh
# vs-vswitchd with NORMAL switching on the XDP datapath: two, then eight
# namespaced hosts ping each other (first packets included), TCP crosses,
# two TCP connections share one megaflow that matches only MACs, and a
# deleted port stops at once and comes back when re-added.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/system/lib.sh"
. "$top_srcdir/tests/system/dp-lib.sh"
require_root
require_cmd iperf3
NET=202
bpffs_setup
BR=br$$
CFG=$VS_TEST_DIR/vswitchd.json
on_exit "vs-dpctl del-dp $BR"
for i in 1 2; do host $i; done
vsw_config "$CFG" $BR "$(link_name p1)" "$(link_name p2)"
vsw_start "$CFG"
wait_until 10 dp_has_ports $BR 2 || fail "ports not added"

log "the very first packets are forwarded by vswitchd (no loss)"
ping_ok 1 2 || fail "first ping 1->2 lost"
ping_ok 2 1 || fail "first ping 2->1 lost"

log "a big first packet (a GSO skb over 1536 bytes) of a new megaflow is forwarded"
# The connection is set up, the megaflows are flushed, then one write
# leaves h1 as a single multi-segment skb: it must cross on its upcall,
# without a retransmission.
retrans() { ns h1 nstat -asz TcpRetransSegs | awk '/TcpRetransSegs/ {print $2}'; }
ns h2 python3 -c '
import socket, sys
s = socket.socket(); s.bind(("10.202.0.2", 5300)); s.listen(1)
c, _ = s.accept(); n = 0
while True:
    b = c.recv(65536)
    if not b: break
    n += len(b)
open(sys.argv[1], "w").write(str(n))
' "$VS_TEST_DIR/big.n" &
srv=$!
track_pid $srv
sleep 0.3
ns h1 timeout 10 python3 -c '
import os, socket, sys, time
s = socket.create_connection(("10.202.0.2", 5300), timeout=5)
open(sys.argv[1] + ".up", "w").close()
for _ in range(100):
    if os.path.exists(sys.argv[1] + ".go"): break
    time.sleep(0.05)
s.sendall(b"x" * 12000)
time.sleep(0.5)
s.close()
' "$VS_TEST_DIR/big" &
cli=$!
wait_until 5 test -e "$VS_TEST_DIR/big.up" || fail "TCP connect for the big packet"
# An upcall still queued when the flows are flushed (the connection's last
# ACK) may put its megaflow back: flush again once the switch has caught up.
vs-dpctl del-flows $BR
sleep 0.3
vs-dpctl del-flows $BR
r0=$(retrans)
missed0=$(vs-dpctl show $BR | sed -n 's/.*missed:\([0-9]*\).*/\1/p')
touch "$VS_TEST_DIR/big.go"
wait $cli || fail "big-packet client failed"
wait $srv
r1=$(retrans)
[ "$(cat "$VS_TEST_DIR/big.n")" = 12000 ] || fail "received $(cat "$VS_TEST_DIR/big.n") bytes"
log "first big write: retransmissions $r0 -> $r1"
[ "$r1" = "$r0" ] || fail "the big first packet was lost (retransmitted)"
missed1=$(vs-dpctl show $BR | sed -n 's/.*missed:\([0-9]*\).*/\1/p')
[ "$missed1" -gt "$missed0" ] || fail "no upcall after the flush"

log "two TCP connections share one megaflow that looks only at MACs"
vs-dpctl del-flows $BR
for port in 5201 5202; do
    ns h2 iperf3 -s -1 -p $port >/dev/null 2>&1 </dev/null &
    track_pid $!
done
sleep 0.5
ns h1 timeout 10 iperf3 -c 10.202.0.2 -p 5201 -t 1 >/dev/null || fail "iperf3 5201"
ns h1 timeout 10 iperf3 -c 10.202.0.2 -p 5202 -t 1 --cport 40000 >/dev/null || fail "iperf3 5202"
m1=$(mac_of 1) m2=$(mac_of 2)
flows=$(vs-dpctl dump-flows $BR | grep "eth_src=$m1,eth_dst=$m2")
[ "$(echo "$flows" | grep -c .)" = 1 ] || fail "expected one megaflow h1->h2, got: $flows"
echo "$flows" | grep -q "tp_\|nw_\|eth_type" && fail "megaflow matches L3/L4: $flows"
pk=$(echo "$flows" | sed -n 's/.*packets:\([0-9]*\).*/\1/p')
[ "$pk" -gt 1000 ] || fail "megaflow not used by both connections: $flows"

log "eight hosts all ping each other"
for i in 3 4 5 6 7 8; do host $i; done
vsw_config "$CFG" $BR $(for i in 1 2 3 4 5 6 7 8; do link_name p$i; done)
wait_until 10 dp_has_ports $BR 8 || fail "8 ports not added"
for i in 1 2 3 4 5 6 7 8; do
    for j in 1 2 3 4 5 6 7 8; do
        [ $i = $j ] && continue
        ping_retry $i $j || fail "ping $i -> $j"
    done
done

log "deleting a port stops its traffic and removes its megaflows"
vsw_config "$CFG" $BR $(for i in 1 3 4 5 6 7 8; do link_name p$i; done)
wait_until 10 dp_has_ports $BR 7 || fail "port not deleted"
vs-dpctl dump-flows $BR | grep -q "eth_dst=$m2.*output:2$" && fail "megaflow to deleted port"
ping_ok 1 2 && fail "deleted port still forwards"
ping_ok 1 3 || fail "unaffected port disturbed"
vsw_config "$CFG" $BR $(for i in 1 2 3 4 5 6 7 8; do link_name p$i; done)
wait_until 10 dp_has_ports $BR 8 || fail "port not re-added"
ping_retry 1 2 || fail "re-added port does not forward"
log "the megaflow cap evicts, idle megaflows expire"
VSW_OTHER_CONFIG='"flow-limit": "4", "flow-idle-ms": "6000"' \
    vsw_config "$CFG" $BR $(for i in 1 2 3 4 5 6 7 8; do link_name p$i; done)
sleep 0.5
for j in 2 3 4 5 6 7 8; do ping_retry 1 $j || fail "ping 1 -> $j"; done
n_flows() { vs-dpctl dump-flows $BR | grep -c .; }
wait_until 5 sh -c "[ \$(vs-dpctl dump-flows $BR | grep -c .) -le 4 ]" \
    || fail "flow-limit 4 not enforced: $(n_flows) flows"
# (Hosts keep confirming neighbours with unicast ARP, which makes new
# megaflows; what must never be seen is one idle for much longer than 6 s.)
sleep 8
max_idle=$(vs-dpctl dump-flows $BR | sed -n 's/.*used:\([0-9.]*\)s.*/\1/p' | sort -n | tail -1)
awk -v m="${max_idle:-0}" 'BEGIN { exit !(m < 7.5) }' \
    || fail "idle megaflow not expired: $(vs-dpctl dump-flows $BR)"
kill -0 $VSW_PID || fail "vs-vswitchd died"
pass
