#!/bin/sh
# The real ovs-ofctl (Debian openvswitch-common) against vs-vswitchd's
# bridge socket, OpenFlow 1.0 and 1.3 (1.4 and 1.5 read the 1.3 flows back
# too): show / dump-ports-desc agree with the
# database (ports, ofport, datapath_id, dp-desc); flows of many match and
# action kinds read back exactly as added (the expected text is what
# ovs-ofctl prints for the same flows on Debian's ovs-vswitchd 3.1), with
# and without counters; mod-flows and del-flows, strict and not, cookie
# masks; errors come back as OFPT_ERROR and the connection goes on; groups
# and meters (1.3); Flow_Table limits; packet-out; dump-tables and
# dump-aggregate.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/system/lib.sh"
. "$top_srcdir/tests/system/ofctl-lib.sh"
require_cmd tcpdump /usr/bin/python3
NET=205
ofctl_setup 3
OF10="ovs-ofctl -O OpenFlow10"
OF13="ovs-ofctl -O OpenFlow13"
log "ports: p1=$P1 p2=$P2 p3=$P3"

log "show and dump-ports-desc list the database's ports and datapath id"
dpid=$($VSCTL get Bridge "$BR" datapath_id | tr -d '"')
echo "$dpid" | grep -Eq '^[0-9a-f]{16}$' || fail "datapath_id not written: $dpid"
for v in OpenFlow10 OpenFlow13; do
    out=$(ovs-ofctl -O $v show "$OFT") || fail "show $v: $out"
    echo "$out" | grep -q "dpid:$dpid" || fail "show $v: no dpid:$dpid in $out"
    for i in 1 2 3; do
        eval "p=\$P$i"
        echo "$out" | grep -q "^ $p($(link_name p$i)): addr:" \
            || fail "show $v: no port $p($(link_name p$i)): $out"
    done
    echo "$out" | grep -q "^ LOCAL($BR): addr:" || fail "show $v: no LOCAL($BR): $out"
done
# dump-ports-desc: OpenFlow 1.0 has it as an extension (OFPST 13) that
# Open vSwitch answers and ovs-ofctl uses.
ports_desc() {
    out=$(ovs-ofctl -O "$1" dump-ports-desc "$OFT") || fail "dump-ports-desc $1: $out"
    echo "$out" | grep -q "^ $P2($(link_name p2)): addr:$(cat /sys/class/net/$(link_name p2)/address)" \
        || fail "dump-ports-desc $1: $out"
}
ports_desc OpenFlow13
ports_desc OpenFlow10
[ "$($VSCTL get Interface "$BR" ofport)" = 65534 ] \
    || fail "the bridge's own port is not LOCAL: $($VSCTL get Interface "$BR" ofport)"

log "other_config:datapath-id and dp-desc apply without reconnecting"
$VSCTL set Bridge "$BR" other_config:datapath-id=00000000000000ab \
    'other_config:dp-desc="vswitch interop test"' || fail "set datapath-id"
wait_until 5 sh -c "$OF13 show $OFT | grep -q dpid:00000000000000ab" \
    || fail "datapath-id not applied: $($OF13 show "$OFT" | head -1)"
[ "$($VSCTL get Bridge "$BR" datapath_id)" = '"00000000000000ab"' ] \
    || fail "datapath_id column: $($VSCTL get Bridge "$BR" datapath_id)"
$OF10 dump-desc "$OFT" | grep -q "DP Description: *vswitch interop test" \
    || fail "dp-desc: $($OF10 dump-desc "$OFT")"
$VSCTL set Bridge "$BR" other_config:datapath-id=nonsense
$OF13 show "$OFT" | grep -q dpid:00000000000000ab && fail "bad datapath-id kept the old one"
$VSCTL remove Bridge "$BR" other_config datapath-id
wait_until 5 sh -c "$OF13 show $OFT | grep -q dpid:$dpid" || fail "default dpid not restored"

log "Bridge protocols limits the versions a connection may use"
$VSCTL set Bridge "$BR" protocols=OpenFlow13 || fail "set protocols"
$OF10 show "$OFT" >/dev/null 2>&1 && fail "OpenFlow 1.0 allowed with protocols=OpenFlow13"
$OF13 show "$OFT" >/dev/null || fail "OpenFlow 1.3 refused with protocols=OpenFlow13"
$VSCTL set Bridge "$BR" protocols=OpenFlow10,OpenFlow14 || fail "set protocols"
$OF13 show "$OFT" >/dev/null 2>&1 && fail "OpenFlow 1.3 allowed with protocols=OpenFlow10,OpenFlow14"
$OF10 show "$OFT" >/dev/null || fail "OpenFlow 1.0 refused"
$VSCTL clear Bridge "$BR" protocols || fail "clear protocols"
$OF13 show "$OFT" >/dev/null || fail "OpenFlow 1.3 refused after clearing protocols"

log "a standalone bridge without controller has the visible NORMAL flow"
same "default flows" " priority=0 actions=NORMAL" "$(dump_sorted OpenFlow13)"

log "OpenFlow 1.0: add-flows, dump-flows reads them back"
$OF10 del-flows "$OFT" || fail "del-flows"
cat >"$VS_TEST_DIR/f10" <<EOF
priority=100,in_port=$P1,actions=output:$P2
priority=101,in_port=$P2,actions=output:$P1
priority=200,dl_src=02:00:00:00:00:01,dl_dst=02:00:00:00:00:02,actions=drop
priority=201,dl_vlan=10,actions=strip_vlan,output:$P3
priority=202,dl_vlan=20,dl_vlan_pcp=3,actions=mod_vlan_vid:30,mod_vlan_pcp:5,output:$P2
priority=300,ip,nw_src=10.0.0.0/8,nw_dst=192.168.1.0/24,actions=NORMAL
priority=301,tcp,nw_dst=10.1.1.1,tp_dst=80,actions=mod_nw_dst:10.2.2.2,mod_tp_dst:8080,output:$P2
priority=302,udp,nw_src=10.1.1.2,tp_src=53,actions=mod_nw_src:10.3.3.3,mod_tp_src:5353,output:$P1
priority=303,icmp,icmp_type=8,icmp_code=0,actions=FLOOD
priority=304,arp,arp_spa=10.0.0.1,arp_tpa=10.0.0.2,arp_op=1,actions=ALL
priority=305,ip,nw_tos=32,actions=mod_nw_tos:64,output:LOCAL
cookie=0x1234,priority=400,idle_timeout=300,hard_timeout=600,ip,nw_proto=17,actions=mod_dl_src:02:11:22:33:44:55,mod_dl_dst:02:66:77:88:99:aa,output:$P3
priority=401,in_port=$P3,actions=CONTROLLER:128
priority=402,in_port=$P1,dl_type=0x0806,actions=IN_PORT
priority=403,in_port=LOCAL,actions=output:$P1,output:$P2
priority=0,actions=NORMAL
EOF
exp10=$(sort <<EOF
 priority=100,in_port=$P1 actions=output:$P2
 priority=101,in_port=$P2 actions=output:$P1
 priority=200,dl_src=02:00:00:00:00:01,dl_dst=02:00:00:00:00:02 actions=drop
 priority=201,dl_vlan=10 actions=strip_vlan,output:$P3
 priority=202,dl_vlan=20,dl_vlan_pcp=3 actions=mod_vlan_vid:30,mod_vlan_pcp:5,output:$P2
 priority=300,ip,nw_src=10.0.0.0/8,nw_dst=192.168.1.0/24 actions=NORMAL
 priority=301,tcp,nw_dst=10.1.1.1,tp_dst=80 actions=mod_nw_dst:10.2.2.2,mod_tp_dst:8080,output:$P2
 priority=302,udp,nw_src=10.1.1.2,tp_src=53 actions=mod_nw_src:10.3.3.3,mod_tp_src:5353,output:$P1
 priority=303,icmp,icmp_type=8,icmp_code=0 actions=FLOOD
 priority=304,arp,arp_spa=10.0.0.1,arp_tpa=10.0.0.2,arp_op=1 actions=ALL
 priority=305,ip,nw_tos=32 actions=mod_nw_tos:64,LOCAL
 cookie=0x1234, idle_timeout=300, hard_timeout=600, priority=400,udp actions=mod_dl_src:02:11:22:33:44:55,mod_dl_dst:02:66:77:88:99:aa,output:$P3
 priority=401,in_port=$P3 actions=CONTROLLER:128
 priority=402,arp,in_port=$P1 actions=IN_PORT
 priority=403,in_port=LOCAL actions=output:$P1,output:$P2
 priority=0 actions=NORMAL
EOF
)
$OF10 add-flows "$OFT" "$VS_TEST_DIR/f10" || fail "add-flows (1.0)"
same "dump-flows 1.0" "$exp10" "$(dump_sorted OpenFlow10)"
same "dump-flows 1.0 with counters" "$exp10" "$($OF10 dump-flows "$OFT" | flows_norm)"
same "1.0 flows seen with 1.3" "$(echo "$exp10" | wc -l)" "$(dump_sorted OpenFlow13 | wc -l)"
$OF10 dump-flows "$OFT" | grep -v reply | grep -vq "n_packets=[0-9]*, n_bytes=[0-9]*" \
    && fail "a flow without counters: $($OF10 dump-flows "$OFT")"

log "OpenFlow 1.0: mod-flows and del-flows, strict and not"
$OF10 mod-flows --strict "$OFT" "priority=100,in_port=$P1,actions=output:$P3" || fail "mod-flows --strict"
dump_sorted OpenFlow10 | grep -qx " priority=100,in_port=$P1 actions=output:$P3" || fail "strict modify"
dump_sorted OpenFlow10 | grep -qx " priority=402,arp,in_port=$P1 actions=IN_PORT" \
    || fail "strict modify changed another in_port=$P1 flow"
$OF10 mod-flows "$OFT" "tcp,actions=drop" || fail "mod-flows"
dump_sorted OpenFlow10 | grep -qx " priority=301,tcp,nw_dst=10.1.1.1,tp_dst=80 actions=drop" \
    || fail "non-strict modify: $(dump_sorted OpenFlow10)"
dump_sorted OpenFlow10 | grep -q "priority=302,udp.*actions=mod_nw_src" || fail "modify hit udp"
$OF10 del-flows --strict "$OFT" "priority=101,in_port=$P2" || fail "del-flows --strict"
dump_sorted OpenFlow10 | grep -q "priority=101," && fail "strict delete left the flow"
n=$(dump_sorted OpenFlow10 | wc -l)
$OF10 del-flows --strict "$OFT" "priority=999,in_port=$P2" || fail "del-flows --strict (none)"
[ "$(dump_sorted OpenFlow10 | wc -l)" = "$n" ] || fail "strict delete of nothing removed flows"
$OF10 del-flows "$OFT" "ip" || fail "del-flows ip"
dump_sorted OpenFlow10 | grep -Eq "(ip|tcp|udp|icmp)," && fail "ip flows left: $(dump_sorted OpenFlow10)"
dump_sorted OpenFlow10 | grep -q "priority=304,arp" || fail "del-flows ip removed arp"
$OF10 del-flows "$OFT" "in_port=$P1" || fail "del-flows in_port"
dump_sorted OpenFlow10 | grep -q "in_port=$P1 " && fail "in_port flows left"

log "cookies: del-flows and mod-flows with a cookie mask"
$OF13 del-flows "$OFT"
prio=10
for c in 0x1201 0x12ff 0x1301 0x2201; do
    prio=$((prio + 1))
    $OF13 add-flow "$OFT" "cookie=$c,priority=$prio,actions=drop" || fail "add cookie $c"
done
$OF13 mod-flows "$OFT" "cookie=0x1300/0xff00,actions=output:$P1" || fail "mod-flows cookie"
dump_sorted OpenFlow13 | grep -qx " cookie=0x1301, priority=13 actions=output:$P1" \
    || fail "cookie modify: $(dump_sorted OpenFlow13)"
dump_sorted OpenFlow13 | grep -qx " cookie=0x1201, priority=11 actions=drop" \
    || fail "cookie modify hit another cookie: $(dump_sorted OpenFlow13)"
$OF13 del-flows "$OFT" "cookie=0x1200/0xff00" || fail "del-flows cookie"
same "cookie delete" " cookie=0x1301, priority=13 actions=output:$P1
 cookie=0x2201, priority=14 actions=drop" "$(dump_sorted OpenFlow13)"

log "OpenFlow 1.3: add-flows, dump-flows reads them back"
$OF13 del-flows "$OFT"
$OF13 add-group "$OFT" "group_id=1,type=all,bucket=output:$P1,bucket=output:$P2" || fail "add-group 1"
cat >"$VS_TEST_DIR/f13" <<EOF
priority=100,in_port=$P1,actions=output:$P2
priority=110,dl_src=02:00:00:00:00:00/01:00:00:00:00:00,actions=drop
priority=111,dl_dst=02:00:00:00:aa:00/ff:ff:ff:ff:ff:00,actions=output:$P3
priority=120,dl_vlan=10,actions=pop_vlan,output:$P3
priority=121,in_port=$P2,dl_vlan=0xffff,actions=push_vlan:0x8100,set_field:4106->vlan_vid,output:$P1
priority=130,ip,nw_src=10.0.0.0/8,nw_dst=192.168.1.0/24,actions=NORMAL
priority=131,tcp,nw_dst=10.1.1.1,tp_dst=80,actions=set_field:10.2.2.2->ip_dst,set_field:8080->tcp_dst,output:$P2
priority=132,udp,udp_src=53,actions=set_field:5353->udp_src,output:$P1
priority=133,icmp,icmp_type=8,actions=dec_ttl,output:$P2
priority=134,arp,arp_spa=10.0.0.1,arp_tpa=10.0.0.0/24,arp_op=2,arp_sha=02:00:00:00:00:01,actions=FLOOD
priority=135,ipv6,ipv6_src=2001:db8::/32,ipv6_dst=2001:db8::1,actions=output:$P3
priority=136,icmp6,icmpv6_type=135,actions=CONTROLLER:65535
priority=137,tcp6,tp_src=22,actions=drop
cookie=0xabcd,priority=140,idle_timeout=60,hard_timeout=120,ip,actions=mod_dl_src:02:11:22:33:44:55,mod_nw_dst:10.9.9.9,output:$P3
priority=150,in_port=$P3,actions=write_metadata:0x5/0xff,goto_table:1
table=1,priority=10,metadata=0x5/0xff,actions=output:$P1
table=1,priority=0,actions=drop
priority=160,ip,nw_ecn=1,nw_ttl=3,actions=group:1
priority=161,in_port=$P1,tcp,tcp_flags=+syn-ack,actions=output:$P2
EOF
exp13=$(sort <<EOF
 priority=161,tcp,in_port=$P1,tcp_flags=+syn-ack actions=output:$P2
 priority=160,ip,nw_ecn=1,nw_ttl=3 actions=group:1
 priority=100,in_port=$P1 actions=output:$P2
 priority=150,in_port=$P3 actions=write_metadata:0x5/0xff,goto_table:1
 cookie=0xabcd, idle_timeout=60, hard_timeout=120, priority=140,ip actions=set_field:02:11:22:33:44:55->eth_src,set_field:10.9.9.9->ip_dst,output:$P3
 priority=132,udp,tp_src=53 actions=set_field:5353->udp_src,output:$P1
 priority=133,icmp,icmp_type=8 actions=dec_ttl,output:$P2
 priority=136,icmp6,icmp_type=135 actions=CONTROLLER:65535
 priority=137,tcp6,tp_src=22 actions=drop
 priority=135,ipv6,ipv6_src=2001:db8::/32,ipv6_dst=2001:db8::1 actions=output:$P3
 priority=134,arp,arp_spa=10.0.0.1,arp_tpa=10.0.0.0/24,arp_op=2,arp_sha=02:00:00:00:00:01 actions=FLOOD
 priority=131,tcp,nw_dst=10.1.1.1,tp_dst=80 actions=set_field:10.2.2.2->ip_dst,set_field:8080->tcp_dst,output:$P2
 priority=130,ip,nw_src=10.0.0.0/8,nw_dst=192.168.1.0/24 actions=NORMAL
 priority=121,in_port=$P2,vlan_tci=0x0000/0x1fff actions=push_vlan:0x8100,set_field:4106->vlan_vid,output:$P1
 priority=120,dl_vlan=10 actions=pop_vlan,output:$P3
 priority=111,dl_dst=02:00:00:00:aa:00/ff:ff:ff:ff:ff:00 actions=output:$P3
 priority=110,dl_src=00:00:00:00:00:00/01:00:00:00:00:00 actions=drop
 table=1, priority=10,metadata=0x5/0xff actions=output:$P1
 table=1, priority=0 actions=drop
EOF
)
$OF13 add-flows "$OFT" "$VS_TEST_DIR/f13" || fail "add-flows (1.3)"
same "dump-flows 1.3" "$exp13" "$(dump_sorted OpenFlow13)"
same "dump-flows 1.3 with counters" "$exp13" "$($OF13 dump-flows "$OFT" | flows_norm)"
for v in OpenFlow14 OpenFlow15; do
    same "1.3 flows read back with $v" "$exp13" "$(dump_sorted $v)"
    same "1.3 flows read back with $v, counters" "$exp13" \
        "$(ovs-ofctl -O $v dump-flows "$OFT" | flows_norm)"
done
same "dump-flows 1.3 table=1" " table=1, priority=0 actions=drop
 table=1, priority=10,metadata=0x5/0xff actions=output:$P1" "$(dump_sorted OpenFlow13 table=1)"
same "dump-flows 1.3 filter" " priority=131,tcp,nw_dst=10.1.1.1,tp_dst=80 actions=set_field:10.2.2.2->ip_dst,set_field:8080->tcp_dst,output:$P2
 priority=161,tcp,in_port=$P1,tcp_flags=+syn-ack actions=output:$P2" "$(dump_sorted OpenFlow13 tcp)"

log "dump-tables and dump-aggregate count the flows"
n=$(echo "$exp13" | wc -l)
$OF13 dump-aggregate "$OFT" | grep -q "flow_count=$n\b" || fail "dump-aggregate 1.3: $($OF13 dump-aggregate "$OFT")"
$OF10 dump-aggregate "$OFT" | grep -q "flow_count=$n\b" || fail "dump-aggregate 1.0: $($OF10 dump-aggregate "$OFT")"
$OF13 dump-aggregate "$OFT" table=1 | grep -q "flow_count=2\b" || fail "dump-aggregate table=1"
for v in OpenFlow10 OpenFlow13; do
    out=$(ovs-ofctl -O $v dump-tables "$OFT") || fail "dump-tables $v: $out"
    echo "$out" | grep -A1 "table 0" | grep -q "active=$((n - 2))," || fail "dump-tables $v table 0: $out"
    echo "$out" | grep -A1 "table 1" | grep -q "active=2," || fail "dump-tables $v table 1: $out"
done

log "errors come back as OFPT_ERROR; the connection stays usable"
ofctl_error "unknown group" BAD_OUT_GROUP $OF13 add-flow "$OFT" "priority=7,actions=group:99"
ofctl_error "unknown meter" METER $OF13 add-flow "$OFT" "priority=7,actions=meter:5,output:$P1"
printf 'priority=7,actions=drop\npriority=8,actions=group:98\npriority=9,actions=drop\n' >"$VS_TEST_DIR/bad"
ofctl_error "bad flow among good ones" BAD_OUT_GROUP $OF13 add-flows "$OFT" "$VS_TEST_DIR/bad"
# (ovs-ofctl stops at the first error, as it does with Open vSwitch.)
dump_sorted OpenFlow13 | grep -qx " priority=7 actions=drop" || fail "flow before the bad one lost"
dump_sorted OpenFlow13 | grep -q "priority=8," && fail "bad flow installed"
# ovs-ofctl checks prerequisites and table numbers itself, so such flow_mods
# go by hand (tests/system/of-raw.py); an echo on the same connection must
# still be answered afterwards.
# raw_flow_mod TABLE OXM_HEX: an OF1.3 flow_mod ADD, as hex.
raw_flow_mod() {
    /usr/bin/python3 -c "
import struct, sys
table, oxm = int(sys.argv[1]), bytes.fromhex(sys.argv[2])
body = struct.pack('!QQBBHHHIIIHH', 0, 0, table, 0, 0, 0, 100, 0xffffffff,
                   0xffffffff, 0xffffffff, 0, 0)
match = struct.pack('!HH', 1, 4 + len(oxm)) + oxm
match += bytes((8 - len(match) % 8) % 8)
m = body + match
print((struct.pack('!BBHI', 4, 14, 8 + len(m), 0) + m).hex())" "$@"
}
# raw_error NAME ERROR HEX: sending HEX gets OFPT_ERROR ERROR, and the
# connection survives.
raw_error() {
    out=$(/usr/bin/python3 "$top_srcdir/tests/system/of-raw.py" send "$OFT" "$3") \
        || fail "$1: connection did not survive: $out"
    err=$(echo "$out" | awk '$1 == 1 { print $2; exit }')
    [ -n "$err" ] || fail "$1: no OFPT_ERROR: $out"
    ovs-ofctl ofp-print "$err" | grep -q "OFPT_ERROR.*$2" \
        || fail "$1: wrong error: $(ovs-ofctl ofp-print "$err")"
}
raw_error "missing prerequisite" OFPBMC_BAD_PREREQ "$(raw_flow_mod 0 80001c020050)"
raw_error "table 255" OFPFMFC_BAD_TABLE_ID "$(raw_flow_mod 255 '')"
raw_error "not OpenFlow" OFPBRC_BAD_TYPE "04ff000800000000"
ofctl_error "output to port 0 (1.3)" BAD_OUT_PORT $OF13 add-flow "$OFT" "priority=7,actions=output:0"
ofctl_error "output to port 0 (1.0)" BAD_OUT_PORT $OF10 add-flow "$OFT" "priority=7,actions=output:0"
ovs-ofctl -O OpenFlow13 probe "$OFT" || fail "probe after errors"

log "Flow_Table: name and flow_limit with overflow_policy=refuse"
$VSCTL -- --id=@ft create Flow_Table name=small flow_limit=2 overflow_policy=refuse \
    -- set Bridge "$BR" flow_tables:5=@ft >/dev/null || fail "create Flow_Table"
$OF13 add-flow "$OFT" "table=5,priority=1,actions=drop" || fail "table 5 flow 1"
$OF13 add-flow "$OFT" "table=5,priority=2,actions=drop" || fail "table 5 flow 2"
ofctl_error "table full" TABLE_FULL $OF13 add-flow "$OFT" "table=5,priority=3,actions=drop"
# OpenFlow 1.4 table-mod eviction, from ovs-ofctl and from vs-ofctl.
ovs-ofctl -O OpenFlow14 mod-table "$OFT" 5 evict || fail "ovs-ofctl mod-table evict"
# dump-table-desc as Open vSwitch prints it (254 tables there, 255 here).
ovs-ofctl -O OpenFlow14 dump-table-desc "$OFT" >"$VS_TEST_DIR/td" || fail "dump-table-desc"
grep -A2 "^  table 5:" "$VS_TEST_DIR/td" | grep -q "^   eviction=on eviction_flags=OTHER|IMPORTANCE|LIFETIME" \
    || fail "dump-table-desc, table 5: $(grep -A3 "table 5:" "$VS_TEST_DIR/td")"
grep -A1 "^  table 4:" "$VS_TEST_DIR/td" | grep -q "^   eviction=off" \
    || fail "dump-table-desc, table 4: $(grep -A3 "table 4:" "$VS_TEST_DIR/td")"
vs-ofctl -O OpenFlow14 dump-table-desc "$OFT" >"$VS_TEST_DIR/td.vs" || fail "vs-ofctl dump-table-desc"
sed 's/xid=0x[0-9a-f]*/xid=X/' "$VS_TEST_DIR/td" >"$VS_TEST_DIR/td.ovs-ofctl"
sed -i 's/xid=0x[0-9a-f]*/xid=X/' "$VS_TEST_DIR/td.vs"
diff -u "$VS_TEST_DIR/td.ovs-ofctl" "$VS_TEST_DIR/td.vs" >&2 \
    || fail "vs-ofctl dump-table-desc differs from ovs-ofctl's (- ovs-ofctl)"
$OF13 add-flow "$OFT" "table=5,priority=3,actions=drop" || fail "evict: a third flow refused"
[ "$($OF13 dump-flows "$OFT" table=5 | grep -c priority=)" = 2 ] \
    || fail "evict: table 5 holds $($OF13 dump-flows "$OFT" table=5)"
vs-ofctl -O OpenFlow14 mod-table "$OFT" 5 noevict || fail "vs-ofctl mod-table noevict"
ofctl_error "table full without eviction" TABLE_FULL $OF13 add-flow "$OFT" "table=5,priority=4,actions=drop"
vs-ofctl -O OpenFlow14 mod-table "$OFT" all evict || fail "vs-ofctl mod-table all evict"
$OF13 add-flow "$OFT" "table=5,priority=4,actions=drop" || fail "evict (all tables): a flow refused"
vs-ofctl -O OpenFlow13 mod-table "$OFT" 5 evict 2>"$VS_TEST_DIR/mt.err" && fail "mod-table evict over OpenFlow 1.3"
grep -q "mod-table needs OpenFlow14 or later, but OpenFlow13 was negotiated" "$VS_TEST_DIR/mt.err" || fail "mod-table on 1.3: $(cat "$VS_TEST_DIR/mt.err")"
vs-ofctl -O OpenFlow14 mod-table "$OFT" 5 drop 2>"$VS_TEST_DIR/mt.err" && fail "mod-table drop accepted"
grep -q "OpenFlow 1.1/1.2 table-miss" "$VS_TEST_DIR/mt.err" || fail "mod-table drop: $(cat "$VS_TEST_DIR/mt.err")"
vs-ofctl -O OpenFlow14 mod-table "$OFT" 5 noevict || fail "mod-table noevict"
$OF13 dump-table-features "$OFT" 2>/dev/null | grep -q '"small"' \
    || $OF13 dump-tables "$OFT" | grep -q small || fail "table name not shown"
$VSCTL clear Bridge "$BR" flow_tables || fail "clear flow_tables"
wait_until 5 $OF13 add-flow "$OFT" "table=5,priority=3,actions=drop" || fail "limit not lifted"

log "groups (1.3): add, dump, stats, delete"
$OF13 del-flows "$OFT"
$OF13 del-groups "$OFT" || fail "del-groups"
$OF13 add-group "$OFT" "group_id=1,type=all,bucket=output:$P1,bucket=output:$P2" || fail "group all"
$OF13 add-group "$OFT" "group_id=2,type=select,bucket=weight:10,output:$P1,bucket=weight:20,output:$P3" || fail "group select"
$OF13 add-group "$OFT" "group_id=3,type=indirect,bucket=actions=mod_dl_src:02:00:00:00:00:09,output:$P2" || fail "group indirect"
$OF13 add-group "$OFT" "group_id=4,type=ff,bucket=watch_port:$P1,output:$P1,bucket=watch_port:$P2,output:$P2" || fail "group ff"
ofctl_error "duplicate group" GROUP_EXISTS $OF13 add-group "$OFT" "group_id=1,type=all,bucket=output:$P1"
expg=" group_id=1,type=all,bucket=actions=output:$P1,bucket=actions=output:$P2
 group_id=2,type=select,bucket=weight:10,actions=output:$P1,bucket=weight:20,actions=output:$P3
 group_id=3,type=indirect,bucket=actions=set_field:02:00:00:00:00:09->eth_src,output:$P2
 group_id=4,type=ff,bucket=watch_port:$P1,actions=output:$P1,bucket=watch_port:$P2,actions=output:$P2"
same "dump-groups" "$expg" "$($OF13 dump-groups "$OFT" | grep -v reply | sort)"
out=$($OF13 dump-group-stats "$OFT") || fail "dump-group-stats"
for g in 1 2 3 4; do
    echo "$out" | grep -q "group_id=$g,duration=[0-9.]*s,ref_count=0,packet_count=0,byte_count=0,bucket0:packet_count=0" \
        || fail "dump-group-stats group $g: $out"
done
$OF13 add-flow "$OFT" "priority=5,ip,actions=group:3" || fail "flow to group 3"
$OF13 dump-group-stats "$OFT" | grep -q "group_id=3,duration=[0-9.]*s,ref_count=1," \
    || fail "ref_count: $($OF13 dump-group-stats "$OFT")"
$OF13 del-groups "$OFT" group_id=2 || fail "del-groups group_id=2"
same "after del-groups 2" "$(echo "$expg" | grep -v group_id=2)" "$($OF13 dump-groups "$OFT" | grep -v reply | sort)"
$OF13 del-groups "$OFT" group_id=3 || fail "del-groups group_id=3"
dump_sorted OpenFlow13 | grep -q "group:3" && fail "flow using a deleted group survived"
$OF13 del-groups "$OFT" || fail "del-groups all"
[ -z "$($OF13 dump-groups "$OFT" | grep -v reply)" ] || fail "groups left"

log "meters (1.3): add, dump, delete"
$OF13 add-meter "$OFT" "meter=1,kbps,burst,band=type=drop,rate=1000,burst_size=100" || fail "add-meter 1"
$OF13 add-meter "$OFT" "meter=2,pktps,band=type=drop,rate=100" || fail "add-meter 2"
same "dump-meters" "meter=1 kbps burst bands=
type=drop rate=1000 burst_size=100

meter=2 pktps bands=
type=drop rate=100" "$($OF13 dump-meters "$OFT" | grep -v reply)"
$OF13 meter-stats "$OFT" | grep -q "meter:1 flow_count:0" || fail "meter-stats: $($OF13 meter-stats "$OFT")"
$OF13 add-flow "$OFT" "priority=6,ip,actions=meter:2,output:$P1" || fail "flow with meter"
$OF13 meter-stats "$OFT" | grep -q "meter:2 flow_count:1" || fail "meter flow_count: $($OF13 meter-stats "$OFT")"
$OF13 del-meters "$OFT" meter=1 || fail "del-meters meter=1"
$OF13 dump-meters "$OFT" | grep -q "meter=1" && fail "meter 1 left"
$OF13 del-meters "$OFT" || fail "del-meters all"
[ -z "$($OF13 dump-meters "$OFT" | grep -v reply)" ] || fail "meters left"

log "packet-out: a frame sent by ovs-ofctl leaves port p2"
ns h2 tcpdump -i h2 -nn -c 1 -w "$VS_TEST_DIR/po.pcap" 'udp port 9999' >/dev/null 2>&1 &
td=$!
track_pid $td
sleep 1
frame=$(/usr/bin/python3 -c "
from scapy.all import Ether, IP, UDP, raw
print(raw(Ether(dst='ff:ff:ff:ff:ff:ff', src='02:00:00:00:00:99')/IP(src='10.205.0.99', dst='10.205.0.2')/UDP(sport=9999, dport=9999)/(b'p' * 18)).hex())")
$OF13 packet-out "$OFT" "in_port=controller packet=$frame actions=output:$P2" || fail "packet-out 1.3"
wait_until 5 sh -c "! kill -0 $td" || fail "packet-out frame did not reach h2"
tcpdump -r "$VS_TEST_DIR/po.pcap" -nn 2>/dev/null | grep -q "10.205.0.99.9999 > 10.205.0.2.9999" \
    || fail "packet-out frame: $(tcpdump -r "$VS_TEST_DIR/po.pcap" -nn 2>&1)"
$OF10 packet-out "$OFT" "in_port=none packet=$frame actions=output:$P3" || fail "packet-out 1.0"

log "a ptcp: Controller row is a listener ovs-ofctl reaches over tcp"
LPORT=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 20000))
$VSCTL set-controller "$BR" "ptcp:$LPORT:127.0.0.1" bogus:1 || fail "set-controller"
wait_until 5 ovs-ofctl -O OpenFlow13 probe "tcp:127.0.0.1:$LPORT" || fail "no listener on $LPORT"
ovs-ofctl -O OpenFlow13 show "tcp:127.0.0.1:$LPORT" | grep -q "^ $P1($(link_name p1)):" \
    || fail "show over tcp"
$VSCTL --columns=target,status list Controller | grep -A1 'ptcp:' | grep -q LISTENING \
    || fail "listener status: $($VSCTL --columns=target,status list Controller)"
$VSCTL --columns=target,status list Controller | grep -A1 'bogus:1' | grep -q last_error \
    || fail "bad target status: $($VSCTL --columns=target,status list Controller)"
$VSCTL del-controller "$BR" || fail "del-controller"
wait_until 5 sh -c "! ovs-ofctl probe tcp:127.0.0.1:$LPORT" || fail "listener stays after del-controller"

log "unixctl: bridge/dump-flows shows the flows, ofproto/list the bridge"
$OF13 add-flow "$OFT" "priority=77,udp,actions=drop"
vs-appctl -t vs-vswitchd bridge/dump-flows "$BR" | grep -q "priority=77" \
    || fail "bridge/dump-flows: $(vs-appctl -t vs-vswitchd bridge/dump-flows "$BR")"
vs-appctl -t vs-vswitchd ofproto/list | grep -qx "$BR" || fail "ofproto/list"
kill -0 "$VSW_PID" || fail "vs-vswitchd died"
pass
