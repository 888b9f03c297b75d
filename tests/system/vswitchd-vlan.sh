#!/bin/sh
# vs-vswitchd following the database (vs-ovsdb-server + vs-vsctl): add-br /
# add-port create a bridge that switches, status is written back (ofport,
# mac_in_use, link_state, cur_cfg via --wait), and VLANs isolate: hosts on
# tag 10 and tag 20 cannot reach each other, a trunk port carries both with
# the right 802.1Q tags (checked with tcpdump), and a tagged frame sent into
# the trunk comes out of the access port untagged (sent raw with scapy).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/system/lib.sh"
. "$top_srcdir/tests/system/dp-lib.sh"
. "$top_srcdir/tests/system/vsctl-lib.sh"
require_root
require_cmd tcpdump vs-ovsdb-server vs-vsctl
NET=204
bpffs_setup
start_db "$top_srcdir/vswitchd/vswitch.ovsschema" vs
BR=$(link_name br)
on_exit "vs-dpctl del-dp $BR"
start_daemon vswitchd vs-vswitchd "$DB" --pidfile -vdp_switch:dbg
for i in 1 2 3 4 5; do host $i; done

$VSCTL add-br $BR || fail "add-br"
$VSCTL add-port $BR "$(link_name p1)" tag=10 -- add-port $BR "$(link_name p2)" tag=10 \
    -- add-port $BR "$(link_name p3)" tag=20 -- add-port $BR "$(link_name p4)" tag=20 \
    -- add-port $BR "$(link_name p5)" trunks=10,20 || fail "add-port (with --wait)"
dp_has_ports $BR 6 || fail "datapath ports: $(vs-dpctl show $BR)"
[ "$($VSCTL get Interface "$(link_name p3)" ofport)" -gt 0 ] || fail "ofport not written"
[ "$($VSCTL get Interface "$(link_name p3)" link_state)" = up ] || fail "link_state"
mac=$($VSCTL get Interface "$(link_name p3)" mac_in_use | tr -d '"')
[ "$mac" = "$(cat /sys/class/net/$(link_name p3)/address)" ] || fail "mac_in_use: $mac"
[ -n "$($VSCTL get Open_vSwitch . ovs_version)" ] || fail "ovs_version"

log "same VLAN reaches, different VLAN does not"
ping_retry 1 2 || fail "tag 10: 1 -> 2"
ping_retry 3 4 || fail "tag 20: 3 -> 4"
ping_ok 1 3 && fail "tag 10 reached tag 20"
ping_ok 4 2 && fail "tag 20 reached tag 10"

log "fdb/show lists the learned MACs with their ports and VLANs"
fdb=$(vs-appctl -t vs-vswitchd fdb/show $BR) || fail "fdb/show"
of1=$($VSCTL get Interface "$(link_name p1)" ofport)
of3=$($VSCTL get Interface "$(link_name p3)" ofport)
echo "$fdb" | grep -Eq "^ +$of1 +10 +$(mac_of 1) " || fail "h1 not in fdb on VLAN 10: $fdb"
echo "$fdb" | grep -Eq "^ +$of3 +20 +$(mac_of 3) " || fail "h3 not in fdb on VLAN 20: $fdb"
vs-appctl -t vs-vswitchd dpif/show | grep -q "port $of1: $(link_name p1)" || fail "dpif/show"
vs-appctl -t vs-vswitchd dpctl/dump-flows $BR | grep -q "eth_src=$(mac_of 1)" || fail "dpctl/dump-flows"
vs-appctl -t vs-vswitchd bridge/dump-flows $BR | grep -q "actions=NORMAL" || fail "bridge/dump-flows"
vs-appctl -t vs-vswitchd memory/show | grep -q "megaflows:" || fail "memory/show"
vs-appctl -t vs-vswitchd coverage/show | grep -q dp_switch_upcall || fail "coverage/show"
vs-appctl -t vs-vswitchd fdb/flush $BR || fail "fdb/flush"
[ "$(vs-appctl -t vs-vswitchd fdb/show $BR | wc -l)" -le 3 ] || fail "fdb/flush left entries"

log "the trunk carries each VLAN with its tag"
ns h5 tcpdump -i h5 -e -nn -c 2 -w "$VS_TEST_DIR/trunk.pcap" 'vlan 10 and arp host 10.204.0.99' >/dev/null 2>&1 &
td=$!
track_pid $td
sleep 1
ns h1 ping -c 2 -W 1 10.204.0.99 >/dev/null 2>&1   # unknown host: ARP floods
wait_until 5 sh -c "! kill -0 $td" || fail "no VLAN 10 ARP on the trunk"
tcpdump -r "$VS_TEST_DIR/trunk.pcap" -e -nn 2>/dev/null | grep -q "vlan 10.*Request who-has 10.204.0.99" \
    || fail "trunk frame: $(tcpdump -r "$VS_TEST_DIR/trunk.pcap" -e -nn 2>&1)"

log "a tagged frame from the trunk leaves the access port untagged"
ns h3 tcpdump -i h3 -e -nn -c 1 -w "$VS_TEST_DIR/access.pcap" 'udp port 4789' >/dev/null 2>&1 &
td=$!
track_pid $td
sleep 1
m3=$(mac_of 3)
ns h5 /usr/bin/python3 -c "
from scapy.all import Ether, Dot1Q, IP, UDP, sendp
sendp(Ether(dst='$m3', src='02:00:00:00:00:55')/Dot1Q(vlan=20)/IP(src='10.204.0.55', dst='10.204.0.3')/UDP(dport=4789)/b'x'*20, iface='h5', count=3, verbose=False)
sendp(Ether(dst='$m3', src='02:00:00:00:00:56')/Dot1Q(vlan=10)/IP(src='10.204.0.56', dst='10.204.0.3')/UDP(dport=4789)/b'y'*20, iface='h5', count=3, verbose=False)
" || fail "scapy"
wait_until 5 sh -c "! kill -0 $td" || fail "nothing reached h3"
out=$(tcpdump -r "$VS_TEST_DIR/access.pcap" -e -nn 2>/dev/null)
echo "$out" | grep -q "02:00:00:00:00:55 > $m3, ethertype IPv4" || fail "not untagged VLAN 20 frame: $out"
sleep 0.5
tcpdump -r "$VS_TEST_DIR/access.pcap" -nn 2>/dev/null | grep -q 10.204.0.56 && fail "VLAN 10 frame leaked to VLAN 20"

log "an interface that cannot be created gets an error, others are undisturbed"
$VSCTL add-port $BR "$(link_name nodev)" 2>"$VS_TEST_DIR/err"
grep -q "Error detected" "$VS_TEST_DIR/err" || fail "vs-vsctl saw no error: $(cat "$VS_TEST_DIR/err")"
$VSCTL get Interface "$(link_name nodev)" error | grep -q "No such device" \
    || fail "error column: $($VSCTL get Interface "$(link_name nodev)" error)"
ping_retry 1 2 || fail "bad port disturbed the others"
$VSCTL del-port $BR "$(link_name nodev)"

log "MAC aging follows other_config:mac-aging-time"
$VSCTL set Bridge $BR other_config:mac-aging-time=2
vs-appctl -t vs-vswitchd fdb/show $BR | grep -q "$(mac_of 1)" || fail "h1 not learned"
wait_until 8 sh -c "! vs-appctl -t vs-vswitchd fdb/show $BR | grep -q $(mac_of 1)" \
    || fail "h1 did not age out: $(vs-appctl -t vs-vswitchd fdb/show $BR)"
$VSCTL remove Bridge $BR other_config mac-aging-time

log "a port removed from the database stops at once"
$VSCTL del-port $BR "$(link_name p2)" || fail "del-port"
dp_has_ports $BR 5 || fail "port not removed from the datapath"
ping_ok 1 2 && fail "removed port still forwards"
$VSCTL add-port $BR "$(link_name p2)" tag=10 || fail "re-add"
ping_retry 1 2 || fail "re-added port"
pass
