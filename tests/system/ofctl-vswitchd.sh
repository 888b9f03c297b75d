#!/bin/sh
# vs-ofctl against vs-vswitchd's bridge socket, with Debian's ovs-ofctl as
# the referee on the same bridge: flows vs-ofctl adds read back unchanged
# in ovs-ofctl (and the other way round) for OpenFlow 1.0, 1.3, 1.4, 1.5;
# strict and non-strict mod/del; add-flows of 10,000 flows in one
# pipelined batch; errors; groups and meters (1.3); the flows vs-ofctl
# installs carry traffic between namespaced hosts; packet-out reaches a
# host; show, dump-ports, dump-tables.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/system/lib.sh"
. "$top_srcdir/tests/system/ofctl-lib.sh"
require_cmd vs-ofctl python3 tcpdump
NET=221
ofctl_setup 2
W="$VS_TEST_DIR/w"
mkdir -p "$W"
log "ports: p1=$P1 p2=$P2"

# norm FILE: --no-stats dump lines, sorted, without the header.
norm() { grep -v 'reply' "$1" | sed 's/^ *//' | sort; }
same_files() {
    norm "$1" >"$1.n"; norm "$2" >"$2.n"
    cmp -s "$1.n" "$2.n" || { diff -u "$1.n" "$2.n" >&2; fail "$3"; }
}

cat >"$W/common" <<EOF
priority=100,ip,nw_dst=10.0.0.0/24 actions=output:$P2
priority=90,in_port=$P1,dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb actions=output:$P2
priority=70,udp,tp_src=53 actions=CONTROLLER:128
priority=60,arp,arp_op=1 actions=NORMAL
priority=40,icmp,icmp_type=8,icmp_code=0 actions=drop
priority=10,dl_type=0x88cc actions=FLOOD
EOF
cat "$W/common" - >"$W/f10" <<EOF
priority=80,tcp,nw_src=192.168.1.1,tp_dst=80 actions=mod_nw_dst:10.1.1.1,output:$P1
priority=50,dl_vlan=10 actions=strip_vlan,output:$P2
priority=20,ip,nw_tos=32 actions=mod_vlan_vid:7,output:$P1
EOF
cat "$W/common" - >"$W/f13" <<EOF
priority=80,tcp,nw_src=192.168.1.1,tp_dst=80 actions=set_field:10.1.1.1->ip_dst,output:$P1
priority=50,dl_vlan=10 actions=pop_vlan,output:$P2
table=1,priority=200,tcp,nw_src=10.1.0.0/16,tp_dst=443 actions=push_vlan:0x8100,set_field:4101->vlan_vid,output:$P1
table=0,priority=6,udp,tp_dst=4789 actions=goto_table:1
table=2,priority=7,ipv6,ipv6_src=2001:db8::/32 actions=dec_ttl,output:$P2
table=3,priority=10,metadata=0x5/0xff,ip actions=write_metadata:0x1/0xff,goto_table:4
EOF

for V in OpenFlow10 OpenFlow13 OpenFlow14 OpenFlow15; do
    log "flows with -O $V"
    if [ $V = OpenFlow10 ]; then F="$W/f10"; else F="$W/f13"; fi
    VS="vs-ofctl -O $V"
    OVS="ovs-ofctl -O $V"
    $VS del-flows "$OFT" || fail "vs del-flows ($V)"
    $VS add-flows "$OFT" "$F" || fail "vs add-flows ($V)"
    $OVS diff-flows "$OFT" "$F" >"$W/d" || { cat "$W/d" >&2; fail "ovs diff-flows after vs add-flows ($V)"; }
    $VS diff-flows "$OFT" "$F" >"$W/d" || { cat "$W/d" >&2; fail "vs diff-flows ($V)"; }
    $VS --no-stats dump-flows "$OFT" >"$W/vs"
    $OVS --no-stats dump-flows "$OFT" >"$W/ovs"
    same_files "$W/ovs" "$W/vs" "dump-flows ($V)"
    $OVS del-flows "$OFT"
    $OVS add-flows "$OFT" "$F" || fail "ovs add-flows ($V)"
    $VS diff-flows "$OFT" "$F" >"$W/d" || { cat "$W/d" >&2; fail "vs diff-flows after ovs add-flows ($V)"; }
    [ "$($VS dump-aggregate "$OFT" | sed 's/.*flow_count=//')" = "$(grep -c . "$F")" ] \
        || fail "dump-aggregate ($V): $($VS dump-aggregate "$OFT")"
    $VS --strict mod-flows "$OFT" "priority=100,ip,nw_dst=10.0.0.0/24,actions=output:$P1" || fail "strict mod ($V)"
    $OVS --no-stats dump-flows "$OFT" | grep -q "priority=100,ip,nw_dst=10.0.0.0/24 actions=output:$P1" \
        || fail "strict mod not applied ($V)"
    $VS mod-flows "$OFT" "udp,actions=drop" || fail "mod-flows ($V)"
    $OVS --no-stats dump-flows "$OFT" udp | grep -v 'actions=drop' | grep -q . && fail "mod-flows udp ($V)"
    $VS --strict del-flows "$OFT" "priority=60,arp,arp_op=1" || fail "strict del ($V)"
    $OVS --no-stats dump-flows "$OFT" | grep -q 'arp_op=1' && fail "strict del not applied ($V)"
    $VS del-flows "$OFT" ip || fail "del-flows ip ($V)"
    $OVS --no-stats dump-flows "$OFT" ip | grep -q . && fail "del-flows ip left flows ($V)"
done

log "errors"
vs-ofctl -O OpenFlow13 add-flow "$OFT" "priority=7,actions=group:99" 2>"$W/err" && fail "unknown group accepted"
grep -q 'OFPT_ERROR (OF1.3) (xid=0x[0-9a-f]*): OFPBAC_BAD_OUT_GROUP' "$W/err" || fail "error text: $(cat "$W/err")"
printf 'priority=7,actions=drop\npriority=8,actions=group:98\npriority=9,actions=drop\n' >"$W/bad"
vs-ofctl -O OpenFlow13 add-flows "$OFT" "$W/bad" 2>"$W/err" && fail "bad add-flows succeeded"
[ "$(grep -c OFPT_ERROR "$W/err")" = 1 ] || fail "errors in a batch: $(cat "$W/err")"
vs-ofctl -O OpenFlow13 probe "$OFT" || fail "probe after errors"

log "10,000 flows in one batch"
python3 -c '
for i in range(10000):
    print("priority=%d,ip,nw_src=10.%d.%d.%d,actions=drop" % (100 + i % 1000, i >> 16, (i >> 8) & 255, i & 255))
' >"$W/f10k"
vs-ofctl -O OpenFlow13 del-flows "$OFT"
t0=$(date +%s%N)
vs-ofctl -O OpenFlow13 add-flows "$OFT" "$W/f10k" || fail "add-flows 10k"
t1=$(date +%s%N)
[ "$(ovs-ofctl -O OpenFlow13 dump-aggregate "$OFT" | sed 's/.*flow_count=//')" = 10000 ] || fail "10k count"
[ "$(vs-ofctl -O OpenFlow13 dump-flows "$OFT" | grep -c n_packets)" = 10000 ] || fail "10k dump"
vs-ofctl -O OpenFlow13 diff-flows "$OFT" "$W/f10k" >/dev/null || fail "10k diff"
log "add-flows 10k: $(( (t1 - t0) / 1000000 )) ms"
vs-ofctl -O OpenFlow13 del-flows "$OFT"

log "groups and meters"
vs-ofctl -O OpenFlow13 add-group "$OFT" "group_id=1,type=all,bucket=output:$P1,bucket=output:$P2" || fail "add-group"
vs-ofctl -O OpenFlow13 add-group "$OFT" "group_id=2,type=select,bucket=output:$P1,bucket=weight:50,actions=output:$P2" || fail "add-group 2"
ovs-ofctl -O OpenFlow13 dump-groups "$OFT" | grep -v reply | sort >"$W/ovs.g"
vs-ofctl -O OpenFlow13 dump-groups "$OFT" | grep -v reply | sort >"$W/vs.g"
cmp -s "$W/ovs.g" "$W/vs.g" || { diff -u "$W/ovs.g" "$W/vs.g" >&2; fail "dump-groups"; }
grep -c group_id "$W/vs.g" | grep -qx 2 || fail "group count"
vs-ofctl -O OpenFlow13 dump-group-stats "$OFT" | grep -q '^ group_id=1,' || fail "dump-group-stats"
vs-ofctl -O OpenFlow13 del-groups "$OFT" group_id=2 || fail "del-groups 2"
ovs-ofctl -O OpenFlow13 dump-groups "$OFT" | grep -q 'group_id=2' && fail "group 2 left"
vs-ofctl -O OpenFlow13 add-meter "$OFT" "meter=1,kbps,burst,stats,band=type=drop,rate=1000,burst_size=100" || fail "add-meter"
ovs-ofctl -O OpenFlow13 dump-meters "$OFT" | grep -v reply >"$W/ovs.m"
vs-ofctl -O OpenFlow13 dump-meters "$OFT" | grep -v reply >"$W/vs.m"
cmp -s "$W/ovs.m" "$W/vs.m" || { diff -u "$W/ovs.m" "$W/vs.m" >&2; fail "dump-meters"; }
vs-ofctl -O OpenFlow13 meter-stats "$OFT" | grep -q '^meter:1 ' || fail "meter-stats"
vs-ofctl -O OpenFlow13 del-meters "$OFT" || fail "del-meters"
vs-ofctl -O OpenFlow13 del-groups "$OFT" || fail "del-groups"

log "traffic follows the flows vs-ofctl installs"
vs-ofctl -O OpenFlow13 del-flows "$OFT"
vs-ofctl -O OpenFlow13 add-flow "$OFT" "priority=10,in_port=$P1,actions=output:$P2" || fail "flow p1->p2"
vs-ofctl -O OpenFlow13 add-flow "$OFT" "priority=10,in_port=$P2,actions=output:$P1" || fail "flow p2->p1"
ping_retry 1 2 || fail "no ping through vs-ofctl's flows"
[ "$(vs-ofctl -O OpenFlow13 dump-flows "$OFT" "in_port=$P1" | sed -n 's/.*n_packets=\([0-9]*\),.*/\1/p')" -gt 0 ] \
    || fail "flow counters did not move"
vs-ofctl -O OpenFlow13 del-flows "$OFT" "in_port=$P1" || fail "del p1 flow"
vs-ofctl -O OpenFlow13 add-flow "$OFT" "priority=20,in_port=$P1,actions=drop" || fail "drop flow"
sleep 0.5
ping_ok 1 2 && fail "ping passes a drop flow"

log "packet-out reaches a host"
mac2=$(ns h2 cat /sys/class/net/h2/address | tr -d :)
pkt="${mac2}020000000001080600010800060400010200000000010a$(printf %02x $NET)0001000000000000"
pkt="${pkt}0a$(printf %02x $NET)0002"
ns h2 tcpdump -c 1 -n -i h2 -w "$W/cap" arp >/dev/null 2>&1 &
TD=$!
track_pid $TD
sleep 1
vs-ofctl -O OpenFlow13 packet-out "$OFT" "in_port=CONTROLLER,packet=$pkt,actions=output:$P2" || fail "packet-out"
vs-ofctl packet-out "$OFT" CONTROLLER "output:$P2" "$pkt" || fail "packet-out (1.0, positional)"
wait_until 5 sh -c "! kill -0 $TD" || fail "packet-out frame did not reach h2"

log "show, ports, tables"
dpid=$($VSCTL get Bridge "$BR" datapath_id | tr -d '"')
vs-ofctl show "$OFT" | head -1 | grep -q "dpid:$dpid" || fail "show dpid: $(vs-ofctl show "$OFT" | head -1)"
vs-ofctl -O OpenFlow13 show "$OFT" | grep -q "^ $P1($(link_name p1)): addr:" || fail "show ports"
vs-ofctl -O OpenFlow13 dump-ports "$OFT" "$P1" | grep -q "port  *$P1: rx pkts=" || fail "dump-ports"
vs-ofctl -O OpenFlow13 dump-tables "$OFT" | grep -q '^  table 0:' || fail "dump-tables"
vs-ofctl -O OpenFlow13 dump-desc "$OFT" | grep -q '^Manufacturer:' || fail "dump-desc"
vs-ofctl probe "$BR" || fail "probe by bridge name"
# snoop: works if vs-vswitchd offers <br>.snoop, else says clearly why not.
if [ -S "$VS_RUNDIR/$BR.snoop" ]; then
    vs-ofctl -t 1 snoop "$BR" || fail "snoop"
else
    vs-ofctl -t 1 snoop "$BR" 2>"$W/err" && fail "snoop without a socket succeeded"
    grep -q 'no snoop socket' "$W/err" || fail "snoop message: $(cat "$W/err")"
fi
kill -0 "$VSW_PID" || fail "vs-vswitchd died"
pass
