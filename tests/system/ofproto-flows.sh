#!/bin/sh
# vs-vswitchd's OpenFlow pipeline on the XDP datapath, programmed with the
# real ovs-ofctl over the bridge's mgmt socket: a new bridge has the
# visible priority-0 NORMAL flow and switches; without flows packets are
# dropped (table miss); output:N sends where the flow says and nowhere
# else; a drop flow drops; mod_dl_dst + mod_nw_dst (and mod_nw_src back)
# rewrite packets so a ping to an address nobody has is answered by h2;
# goto_table with metadata works; and n_packets in dump-flows grows while
# the datapath forwards from its megaflows.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/system/lib.sh"
. "$top_srcdir/tests/system/dp-lib.sh"
require_root
require_cmd ovs-ofctl tcpdump
NET=211
bpffs_setup
BR=br$$
vsw_bridge $BR 3
ofctl() { ovs-ofctl -O OpenFlow13 "$@"; }
M1=$(mac_of 1) M2=$(mac_of 2) M3=$(mac_of 3)

# n_packets of the flow whose dump line matches $1.
n_packets() { ofctl dump-flows $MGMT | grep -- "$1" | sed -n 's/.*n_packets=\([0-9]*\).*/\1/p' | head -1; }
# n_packets_at_least PATTERN N: true if that flow has counted N packets
# (the datapath's counters are credited to flows once a second).
n_packets_at_least() { _n=$(n_packets "$1"); [ "${_n:-0}" -ge "$2" ]; }

log "a new bridge has the visible priority-0 NORMAL flow and switches"
flows=$(ofctl dump-flows $MGMT) || fail "dump-flows: $flows"
echo "$flows" | grep -q "priority=0 actions=NORMAL" || fail "no NORMAL flow: $flows"
ping_retry 1 2 || fail "NORMAL: 1 -> 2"
ping_retry 3 1 || fail "NORMAL: 3 -> 1"

log "without flows every packet is dropped (table miss)"
ofctl del-flows $MGMT || fail "del-flows"
[ -z "$(ofctl dump-flows $MGMT | grep -v 'reply')" ] || fail "flows left: $(ofctl dump-flows $MGMT)"
sleep 0.3
ping_ok 1 2 && fail "packets pass without flows"

log "output:N follows the flows, and only them"
ofctl add-flow $MGMT "in_port=$P1,actions=output:$P2" || fail "add-flow 1->2"
ofctl add-flow $MGMT "in_port=$P2,actions=output:$P1" || fail "add-flow 2->1"
ping_retry 1 2 || fail "flows 1<->2: no ping"
ping_ok 3 1 && fail "h3 reached h1 without a flow"
# h3 sees nothing of the 1<->2 traffic (ARP broadcasts included).
ns h3 tcpdump -i h3 -nn -c 1 -w "$VS_TEST_DIR/h3.pcap" icmp or arp >/dev/null 2>&1 &
td=$!
track_pid $td
sleep 1
ns h1 ip neigh flush dev h1
ping_ok 1 2 || fail "1 -> 2 after neigh flush"
sleep 0.5
[ -s "$VS_TEST_DIR/h3.pcap" ] && [ "$(tcpdump -r "$VS_TEST_DIR/h3.pcap" 2>/dev/null | grep -c .)" -gt 0 ] \
    && fail "h3 saw traffic: $(tcpdump -r "$VS_TEST_DIR/h3.pcap" -nn 2>&1)"
kill $td 2>/dev/null

log "n_packets grows while the datapath forwards"
vs-dpctl dump-flows $BR | grep -q "in_port=$P1" || fail "no megaflow: $(vs-dpctl dump-flows $BR)"
n0=$(n_packets "in_port=$P1 ")
hit0=$(vs-dpctl show $BR | sed -n 's/.*hit:\([0-9]*\).*/\1/p')
ns h1 ping -c 30 -i 0.02 -W 1 10.211.0.2 >/dev/null 2>&1 || fail "ping burst"
hit1=$(vs-dpctl show $BR | sed -n 's/.*hit:\([0-9]*\).*/\1/p')
[ "$hit1" -ge $((hit0 + 30)) ] || fail "datapath hits $hit0 -> $hit1: not forwarded by megaflows"
wait_until 5 n_packets_at_least "in_port=$P1 " $((n0 + 30)) \
    || fail "n_packets $n0 -> $(n_packets "in_port=$P1 ") after 30 datapath hits"
log "n_packets $n0 -> $(n_packets "in_port=$P1 "), datapath hits $hit0 -> $hit1"

log "a higher-priority drop flow drops, deleting it restores"
ofctl add-flow $MGMT "priority=40000,in_port=$P1,icmp,actions=drop" || fail "add drop"
sleep 0.3
ping_ok 1 2 && fail "drop flow did not drop"
ofctl del-flows --strict $MGMT "priority=40000,in_port=$P1,icmp" || fail "del drop"
ping_retry 1 2 || fail "ping after deleting the drop flow"

log "output to another port: h1's packets for h2 go to h3 instead"
ofctl add-flow $MGMT "priority=40000,in_port=$P1,icmp,actions=output:$P3" || fail "add redirect"
ns h3 tcpdump -i h3 -nn -c 2 -w "$VS_TEST_DIR/redir.pcap" icmp >/dev/null 2>&1 &
td=$!
track_pid $td
sleep 1
ns h1 ping -c 3 -i 0.2 -W 1 10.211.0.2 >/dev/null 2>&1 && fail "ping answered while redirected"
wait_until 5 sh -c "! kill -0 $td" || fail "h3 did not get the redirected pings"
tcpdump -r "$VS_TEST_DIR/redir.pcap" -nn 2>/dev/null | grep -q "10.211.0.1 > 10.211.0.2: ICMP echo request" \
    || fail "redirected: $(tcpdump -r "$VS_TEST_DIR/redir.pcap" -nn 2>&1)"
ofctl del-flows --strict $MGMT "priority=40000,in_port=$P1,icmp" || fail "del redirect"

log "mod_dl_dst/mod_nw_dst/mod_nw_src: a ping to 10.211.0.99 is answered by h2"
FAKE=02:00:00:00:00:99
ns h1 ip neigh replace 10.211.0.99 lladdr $FAKE dev h1 nud permanent
ofctl add-flow $MGMT "priority=40000,in_port=$P1,ip,nw_dst=10.211.0.99,actions=mod_dl_dst:$M2,mod_nw_dst:10.211.0.2,output:$P2" \
    || fail "add DNAT flow"
ofctl add-flow $MGMT "priority=40000,in_port=$P2,ip,nw_src=10.211.0.2,nw_dst=10.211.0.1,actions=mod_nw_src:10.211.0.99,output:$P1" \
    || fail "add reverse flow"
vs-dpctl del-flows $BR
ns h1 ping -c 10 -i 0.1 -W 1 10.211.0.99 >"$VS_TEST_DIR/dnat.out" 2>&1
grep -q " 0% packet loss" "$VS_TEST_DIR/dnat.out" || fail "rewritten ping: $(cat "$VS_TEST_DIR/dnat.out")"
# The later pings were rewritten by the datapath itself, not in userspace.
vs-dpctl dump-flows $BR | grep "nw_dst=10.211.0.99" \
    | grep -q "actions=set_eth_dst($M2),set_ipv4_dst(10.211.0.2),output:$P2" \
    || fail "rewrite megaflow: $(vs-dpctl dump-flows $BR)"
wait_until 5 n_packets_at_least 'nw_dst=10.211.0.99' 10 || fail "DNAT n_packets: $(ofctl dump-flows $MGMT)"

log "goto_table with metadata: table 1 decides by the metadata table 0 wrote"
ofctl del-flows $MGMT || fail "del-flows"
ofctl add-flow $MGMT "table=0,in_port=$P1,actions=write_metadata:0x2/0xff,goto_table:1" || fail "t0 p1"
ofctl add-flow $MGMT "table=0,in_port=$P2,actions=write_metadata:0x1/0xff,goto_table:1" || fail "t0 p2"
ofctl add-flow $MGMT "table=1,metadata=0x2/0xff,actions=output:$P2" || fail "t1 md2"
ofctl add-flow $MGMT "table=1,metadata=0x1/0xff,actions=output:$P1" || fail "t1 md1"
ping_retry 1 2 || fail "goto_table: 1 -> 2"
ping_ok 3 1 && fail "goto_table: h3 reached h1"

log "meter: a 10 packet/s drop band, enforced in the datapath, limits a fast ping burst"
# The datapath's bucket holds at least 64 packets: 200 pings in 0.4 s
# leave about 70 through.
ofctl add-meter $MGMT "meter=1,pktps,band=type=drop,rate=10" || fail "add-meter"
ofctl add-flow $MGMT "table=0,priority=50000,in_port=$P1,icmp,actions=meter:1,write_metadata:0x2/0xff,goto_table:1" \
    || fail "add metered flow"
t0=$(date +%s)
ns h1 ping -q -c 200 -i 0.002 -W 1 10.211.0.2 >"$VS_TEST_DIR/meter.out" 2>&1
secs=$(( $(date +%s) - t0 + 1 ))
rx=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$VS_TEST_DIR/meter.out")
log "metered ping: ${rx:-?} of 200 answered in under $secs s"
# At most the bucket plus 10/s for as long as the burst lasted, with room
# for the packets of the first upcalls (executed in userspace before the
# megaflow exists) and for whole-second rounding on a loaded machine; a
# meter that does not limit lets all 200 through.
[ "${rx:-0}" -ge 40 ] && [ "${rx:-200}" -le $((64 + 10 * secs + 40)) ] \
    && [ "${rx:-200}" -lt 200 ] || fail "meter: $(cat "$VS_TEST_DIR/meter.out")"
vs-dpctl dump-flows $BR | grep "nw_proto=1" | grep -q "actions=meter:[0-9]*,output:$P2" \
    || fail "metered megaflow: $(vs-dpctl dump-flows $BR)"
band_drops() { ofctl meter-stats $MGMT | sed -n 's/^0: packet_count:\([0-9]*\).*/\1/p'; }
dropped_some() { _d=$(band_drops); [ "${_d:-0}" -ge 50 ]; }
wait_until 5 dropped_some || fail "meter stats: $(ofctl meter-stats $MGMT)"
log "meter stats: $(ofctl meter-stats $MGMT | tr '\n' ' ')"
ofctl del-flows --strict $MGMT "table=0,priority=50000,in_port=$P1,icmp" || fail "del metered flow"
ping_retry 1 2 || fail "ping after removing the meter flow"

log "meter with a DSCP remark band: userspace (slow path), still forwarding"
ofctl add-meter $MGMT "meter=2,pktps,band=type=dscp_remark,rate=1,prec_level=1" || fail "add-meter 2"
ofctl add-flow $MGMT "table=0,priority=50000,in_port=$P1,icmp,actions=meter:2,write_metadata:0x2/0xff,goto_table:1" \
    || fail "add metered flow 2"
ns h1 ping -c 5 -i 0.05 -W 1 10.211.0.2 >"$VS_TEST_DIR/meter2.out" 2>&1
grep -q " 0% packet loss" "$VS_TEST_DIR/meter2.out" || fail "remark meter: $(cat "$VS_TEST_DIR/meter2.out")"
vs-dpctl dump-flows $BR | grep "nw_proto=1" | grep -q "actions=upcall" \
    || fail "remark meter megaflow: $(vs-dpctl dump-flows $BR)"
ofctl del-flows --strict $MGMT "table=0,priority=50000,in_port=$P1,icmp" || fail "del metered flow 2"

log "CONTROLLER: every matching packet reaches a monitoring connection"
ofctl add-flow $MGMT "table=0,priority=40000,in_port=$P3,icmp,actions=CONTROLLER:128" || fail "add controller flow"
OVS_RUNDIR=$VS_RUNDIR timeout 20 ovs-ofctl -O OpenFlow13 monitor $MGMT 65535 >"$VS_TEST_DIR/monitor.out" 2>&1 &
mon=$!
track_pid $mon
sleep 1
ns h3 ip neigh replace 10.211.0.1 lladdr $M1 dev h3 nud permanent
ns h3 ping -c 3 -i 0.2 -W 1 10.211.0.1 >/dev/null 2>&1
# ovs-ofctl asks for NXT_PACKET_IN2 first, and gets it.
wait_until 5 sh -c "[ \$(grep -c 'NXT_PACKET_IN2 (OF1.3)' '$VS_TEST_DIR/monitor.out') -ge 3 ]" \
    || fail "packet-ins: $(cat "$VS_TEST_DIR/monitor.out")"
grep -q "total_len=98 in_port=$P3" "$VS_TEST_DIR/monitor.out" || fail "packet-in fields: $(cat "$VS_TEST_DIR/monitor.out")"
kill $mon 2>/dev/null

log "packet-out: a frame from the controller leaves by the port it names"
ns h2 tcpdump -i h2 -nn -e -c 1 -w "$VS_TEST_DIR/pout.pcap" ether proto 0x88b5 >/dev/null 2>&1 &
td=$!
track_pid $td
sleep 1
frame="$(echo "$M2" | tr -d :)02000000000188b5"
frame="${frame}0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e"
ovs-ofctl -O OpenFlow13 packet-out $MGMT CONTROLLER "output:$P2" "$frame" || fail "packet-out"
wait_until 5 sh -c "! kill -0 $td" || fail "packet-out frame not seen on h2"
tcpdump -r "$VS_TEST_DIR/pout.pcap" -nn -e 2>/dev/null | grep -q "02:00:00:00:00:01 > $M2, ethertype Unknown (0x88b5)" \
    || fail "packet-out frame: $(tcpdump -r "$VS_TEST_DIR/pout.pcap" -nn -e 2>&1)"

log "groups: select over two buckets, counters follow datapath hits"
ofctl del-flows $MGMT || fail "del-flows"
ofctl add-group $MGMT "group_id=1,type=select,bucket=weight:1,actions=output:$P2,bucket=weight:0,actions=output:$P3" \
    || fail "add-group"
ofctl add-flow $MGMT "in_port=$P1,actions=group:1" || fail "flow to group"
ofctl add-flow $MGMT "in_port=$P2,actions=output:$P1" || fail "flow back"
# Packets that hit a megaflow made from the old tables before it is
# revalidated count for the old rules (as in Open vSwitch): start clean.
vs-dpctl del-flows $BR
ns h1 ping -c 20 -i 0.02 -W 1 10.211.0.2 >"$VS_TEST_DIR/group.out" 2>&1 || fail "ping through the group"
group_packets() { ofctl dump-group-stats $MGMT | sed -n 's/.*group_id=1,.*ref_count=[0-9]*,packet_count=\([0-9]*\),.*/\1/p'; }
group_has() { _n=$(group_packets); [ "${_n:-0}" -ge "$1" ]; }
wait_until 5 group_has 20 || fail "group stats: $(ofctl dump-group-stats $MGMT) $(ofctl dump-flows $MGMT) $(cat "$VS_TEST_DIR/group.out") $(vs-dpctl dump-flows $BR)"
log "group stats: $(ofctl dump-group-stats $MGMT | grep group_id=1)"

kill -0 $VSW_PID || fail "vs-vswitchd died"
pass
