#!/bin/sh
# vs-ofctl against Debian's Open vSwitch (ovsdb-server + ovs-vswitchd with a
# userspace "netdev" bridge, all in a private directory and network
# namespace), checked against Debian's ovs-ofctl on the same bridge: flows
# added by one tool are dumped by the other and compared, for OpenFlow 1.0,
# 1.3, 1.4 and 1.5; strict and non-strict mod/del; add-flows of 10,000 flows
# (timed against ovs-ofctl); --bundle atomicity; replace-flows and
# diff-flows; groups and meters (OpenFlow 1.3, 1.4); packet-out seen by
# monitor; errors; show and the stats commands; snoop, probe and ping.
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/system/lib.sh"
require_root
require_cmd ovsdb-tool ovsdb-server ovs-vswitchd ovs-vsctl ovs-ofctl python3
command -v vs-ofctl >/dev/null 2>&1 || fail "vs-ofctl not built"

# ---- A private Open vSwitch. ----
OVSD="$VS_TEST_DIR/ovs"
mkdir -p "$OVSD"
export OVS_RUNDIR="$OVSD" OVS_DBDIR="$OVSD" OVS_LOGDIR="$OVSD" OVS_SYSCONFDIR="$OVSD"
SCHEMA=/usr/share/openvswitch/vswitch.ovsschema
[ -f "$SCHEMA" ] || skip "no $SCHEMA"
ovsdb-tool create "$OVSD/conf.db" "$SCHEMA" || fail "ovsdb-tool create"
start_daemon ovsdb-server ovsdb-server "$OVSD/conf.db" --remote="punix:$OVSD/db.sock" \
    --unixctl="$OVSD/ovsdb-server.ctl" --no-chdir
wait_until 10 test -S "$OVSD/db.sock" || fail "ovsdb-server did not start"
VSCTL="ovs-vsctl --db=unix:$OVSD/db.sock --timeout=20"
$VSCTL --no-wait init || fail "ovs-vsctl init"
# In its own network namespace: a netdev datapath makes an "ovs-netdev" tap
# (and one per bridge), which must not meet another test's.
ns_add ovs
start_daemon ovs-vswitchd ip netns exec "$VS_T-ovs" ovs-vswitchd "unix:$OVSD/db.sock" \
    --disable-system --unixctl="$OVSD/ovs-vswitchd.ctl" --no-chdir
VSWITCHD_PID=$DAEMON_PID
BR="${VS_T}br"
on_exit "$VSCTL --if-exists del-br $BR"
$VSCTL add-br "$BR" -- set bridge "$BR" datapath_type=netdev \
    protocols=OpenFlow10,OpenFlow13,OpenFlow14,OpenFlow15 \
    || { kill -0 "$VSWITCHD_PID" 2>/dev/null || skip "ovs-vswitchd cannot run here"; \
         fail "add-br"; }
wait_until 10 test -S "$OVSD/$BR.mgmt" || fail "no $OVSD/$BR.mgmt"
SW="unix:$OVSD/$BR.mgmt"
W="$VS_TEST_DIR/work"
mkdir -p "$W"
# vs-ofctl also finds the bridge by name in $VS_RUNDIR.
ln -s "$OVSD/$BR.mgmt" "$VS_RUNDIR/$BR.mgmt"
ln -s "$OVSD/$BR.snoop" "$VS_RUNDIR/$BR.snoop"

n_checks=0
check() { n_checks=$((n_checks + 1)); }

# normalize FILE: dump-flows --no-stats text without what only one side
# prints (the switch adds reset_counts to flows added via OF1.1+), sorted.
normalize() { sed -e 's/reset_counts //' -e 's/^ *//' "$1" | grep -v '^$' | sort; }

# same A B WHAT: the two normalized dumps are equal.
same() {
    normalize "$1" >"$1.n"; normalize "$2" >"$2.n"
    cmp -s "$1.n" "$2.n" || { diff -u "$1.n" "$2.n" >&2; fail "$3"; }
    check
}

# ---- Flows of many kinds, both directions, every version. ----
cat >"$W/flows_common" <<'EOF'
priority=100,ip,nw_dst=10.0.0.0/24 actions=output:2
priority=90,in_port=1,dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb actions=output:3
priority=70,udp,tp_src=53 actions=CONTROLLER:128
priority=60,arp,arp_op=1 actions=NORMAL
priority=40,icmp,icmp_type=8,icmp_code=0 actions=drop
priority=10,dl_type=0x88cc actions=FLOOD
priority=5,in_port=LOCAL actions=ALL
EOF
# OpenFlow 1.0 actions; in 1.1+ they travel (and come back) as set_field.
cat "$W/flows_common" - >"$W/flows10" <<'EOF'
priority=80,tcp,nw_src=192.168.1.1,tp_dst=80 actions=mod_nw_dst:10.1.1.1,output:4
priority=50,dl_vlan=10 actions=strip_vlan,output:5
priority=30,ip,nw_tos=32 actions=mod_dl_src:02:00:00:00:00:01,output:LOCAL
cookie=0x1234,priority=20,idle_timeout=3000,hard_timeout=6000,ip actions=mod_vlan_vid:7,output:6
EOF
cat "$W/flows_common" - >"$W/flows13" <<'EOF'
priority=80,tcp,nw_src=192.168.1.1,tp_dst=80 actions=set_field:10.1.1.1->ip_dst,output:4
priority=50,dl_vlan=10 actions=pop_vlan,output:5
priority=30,ip,nw_tos=32 actions=set_field:02:00:00:00:00:01->eth_src,LOCAL
cookie=0x1234,priority=20,idle_timeout=3000,hard_timeout=6000,ip actions=push_vlan:0x8100,set_field:4103->vlan_vid,output:6
table=1,priority=200,tcp,nw_src=10.1.0.0/16,tp_dst=443 actions=push_vlan:0x8100,set_field:4101->vlan_vid,output:3
table=0,priority=6,udp,tp_dst=4789 actions=goto_table:1
table=2,priority=7,ipv6,ipv6_src=2001:db8::/32 actions=dec_ttl,output:2
table=2,priority=8,vlan_tci=0x1000/0x1000 actions=pop_vlan,output:1
table=3,priority=9,tcp,tcp_flags=+syn-ack actions=output:2
table=3,priority=10,metadata=0x5/0xff,ip actions=write_metadata:0x1/0xff,goto_table:4
table=4,priority=11,ip actions=clear_actions,write_actions(output:3)
EOF

for V in OpenFlow10 OpenFlow13 OpenFlow14 OpenFlow15; do
    log "flows with -O $V"
    if [ $V = OpenFlow10 ]; then F="$W/flows10"; else F="$W/flows13"; fi
    VS="vs-ofctl -O $V"
    OVS="ovs-ofctl -O $V"

    # vs-ofctl adds, ovs-ofctl reads back.
    $OVS del-flows "$SW" || fail "ovs del-flows"
    $VS add-flows "$SW" "$F" || fail "vs add-flows $V"
    $OVS diff-flows "$SW" "$F" >"$W/d" || { cat "$W/d" >&2; fail "ovs diff-flows after vs add-flows ($V)"; }
    check
    $OVS --no-stats dump-flows "$SW" >"$W/ovs.dump" || fail "ovs dump-flows"
    $VS --no-stats dump-flows "$SW" >"$W/vs.dump" || fail "vs dump-flows"
    same "$W/ovs.dump" "$W/vs.dump" "dump-flows differ after vs add-flows ($V)"
    [ "$(grep -c . "$W/vs.dump")" = "$(grep -c . "$F")" ] || fail "flow count ($V)"

    # ovs-ofctl adds one at a time, vs-ofctl reads back.
    $VS del-flows "$SW" || fail "vs del-flows"
    [ -z "$($OVS --no-stats dump-flows "$SW")" ] || fail "flows left after vs del-flows ($V)"
    check
    while read -r flow; do
        $OVS add-flow "$SW" "$flow" || fail "ovs add-flow $flow"
    done <"$F"
    $VS diff-flows "$SW" "$F" >"$W/d" || { cat "$W/d" >&2; fail "vs diff-flows after ovs add-flow ($V)"; }
    check
    $VS --no-stats dump-flows "$SW" >"$W/vs.dump" || fail "vs dump-flows"
    $OVS --no-stats dump-flows "$SW" >"$W/ovs.dump" || fail "ovs dump-flows"
    same "$W/ovs.dump" "$W/vs.dump" "dump-flows differ after ovs add-flow ($V)"

    # Full dump-flows lines (with statistics) parse the way scripts parse them.
    $VS dump-flows "$SW" >"$W/full" || fail "vs dump-flows (stats)"
    # OpenFlow 1.0 dumps with Nicira's NXST_FLOW, as ovs-ofctl does.
    if [ $V = OpenFlow10 ]; then HDR=NXST_FLOW; else HDR=OFPST_FLOW; fi
    head -1 "$W/full" | grep -q "^$HDR reply" || fail "no reply header ($V)"
    [ "$(grep -c ' cookie=0x[0-9a-f]*, duration=[0-9.]*s, table=[0-9]*, n_packets=[0-9]*, n_bytes=[0-9]*, ' "$W/full")" \
        = "$(grep -c . "$F")" ] || { cat "$W/full" >&2; fail "dump-flows line format ($V)"; }
    check

    # With statistics, line for line as ovs-ofctl prints them (durations
    # and ages aside: idle_age, which OF1.5 statistics carry, is printed
    # by us only from Nicira's OF1.0 dump).
    $OVS dump-flows "$SW" | sed -e 's/duration=[0-9.]*s/duration=D/' -e 's/idle_age=[0-9]*, //' \
        | tail -n +2 >"$W/ovs.full"
    sed -e 's/duration=[0-9.]*s/duration=D/' -e 's/idle_age=[0-9]*, //' "$W/full" \
        | tail -n +2 >"$W/vs.full"
    same "$W/ovs.full" "$W/vs.full" "dump-flows with statistics ($V)"

    # Filtered dump and aggregate agree with ovs-ofctl.
    $VS --no-stats dump-flows "$SW" "ip" >"$W/vs.ip"
    $OVS --no-stats dump-flows "$SW" "ip" >"$W/ovs.ip"
    same "$W/ovs.ip" "$W/vs.ip" "filtered dump-flows ($V)"
    [ "$($VS dump-aggregate "$SW" | sed 's/.*flow_count=//')" = "$(grep -c . "$F")" ] \
        || fail "dump-aggregate ($V)"
    check

    # Strict and non-strict modify and delete by vs-ofctl, checked by ovs-ofctl.
    $VS --strict mod-flows "$SW" "priority=100,ip,nw_dst=10.0.0.0/24,actions=output:9" \
        || fail "mod-flows --strict"
    $OVS --no-stats dump-flows "$SW" | grep -q 'priority=100,ip,nw_dst=10.0.0.0/24 actions=output:9' \
        || fail "strict modify not applied ($V)"
    # (OpenFlow 1.0 adds the flow when none matches; 1.3+ does not.)
    $VS --strict mod-flows "$SW" "priority=99,ip,nw_dst=10.0.0.0/24,actions=output:8"
    $OVS --no-stats dump-flows "$SW" | grep -q 'priority=100,ip,nw_dst=10.0.0.0/24 actions=output:8' \
        && fail "strict modify hit a flow of another priority ($V)"
    $VS --strict del-flows "$SW" "priority=99,ip,nw_dst=10.0.0.0/24"
    $VS mod-flows "$SW" "udp,actions=output:7" || fail "mod-flows"
    [ "$($OVS --no-stats dump-flows "$SW" udp | grep -c 'actions=output:7')" \
        = "$($OVS --no-stats dump-flows "$SW" udp | grep -c .)" ] || fail "non-strict modify ($V)"
    $VS --strict del-flows "$SW" "priority=90,in_port=1,dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb" \
        || fail "del-flows --strict"
    $OVS --no-stats dump-flows "$SW" | grep -q 'priority=90' && fail "strict delete ($V)"
    $VS --strict del-flows "$SW" "ip" || fail "del-flows --strict ip"
    $OVS --no-stats dump-flows "$SW" | grep -q 'priority=100' || fail "strict delete removed too much ($V)"
    $VS del-flows "$SW" "tcp" || fail "del-flows tcp"
    $OVS --no-stats dump-flows "$SW" tcp | grep -q . && fail "non-strict delete ($V)"
    check
done

# ---- Errors from the switch: readable, non-zero exit. ----
log "errors"
vs-ofctl -O OpenFlow13 add-flow "$SW" "priority=1,in_port=1,actions=output:99999999" 2>"$W/err" \
    && fail "bad output port accepted"
grep -q 'OFPT_ERROR (OF1.3) (xid=0x[0-9a-f]*): OFPBAC_BAD_OUT_PORT' "$W/err" || { cat "$W/err" >&2; fail "error text"; }
grep -q 'OFPT_FLOW_MOD' "$W/err" || fail "error does not show the failed request"
vs-ofctl add-flow "$SW" "ip,actions=frobnicate" 2>"$W/err" && fail "bad action parsed"
grep -q 'frobnicate' "$W/err" || fail "parse error text"
vs-ofctl show "no-such-bridge-$VS_T" 2>"$W/err" && fail "missing bridge"
grep -q 'not a bridge' "$W/err" || fail "missing-bridge text: $(cat "$W/err")"
vs-ofctl -O OpenFlow13 show "$SW" >/dev/null || fail "show by OF1.3"
$VSCTL set bridge "$BR" protocols=OpenFlow13
wait_until 10 sh -c "! vs-ofctl -t 2 show $SW >/dev/null 2>&1" || fail "bridge still speaks OF1.0"
vs-ofctl -t 5 show "$SW" 2>"$W/err" && fail "OF1.0 negotiated with an OF1.3-only bridge"
grep -q 'version negotiation failed' "$W/err" || fail "negotiation text: $(cat "$W/err")"
$VSCTL set bridge "$BR" protocols=OpenFlow10,OpenFlow13,OpenFlow14,OpenFlow15
wait_until 10 vs-ofctl -t 2 show "$SW" || fail "bridge does not speak OF1.0 again"
check

# ---- 10,000 flows, pipelined; timed against ovs-ofctl. ----
log "add-flows of 10,000 flows"
python3 -c '
for i in range(10000):
    print("priority=%d,ip,nw_src=10.%d.%d.%d,actions=output:%d" % (100 + i % 1000, i >> 16, (i >> 8) & 255, i & 255, 1 + i % 4))
' >"$W/f10k"
for V in OpenFlow10 OpenFlow13; do
    vs-ofctl -O $V del-flows "$SW"
    t0=$(date +%s.%N)
    vs-ofctl -O $V add-flows "$SW" "$W/f10k" || fail "vs add-flows 10k ($V)"
    t1=$(date +%s.%N)
    [ "$(ovs-ofctl -O $V dump-aggregate "$SW" | sed 's/.*flow_count=//')" = 10000 ] || fail "10k flow count ($V)"
    ovs-ofctl -O $V diff-flows "$SW" "$W/f10k" >/dev/null || fail "10k flows differ ($V)"
    t2=$(date +%s.%N)
    vs-ofctl -O $V dump-flows "$SW" >"$W/d10k" || fail "vs dump 10k"
    t3=$(date +%s.%N)
    [ "$(grep -c 'n_packets' "$W/d10k")" = 10000 ] || fail "vs dump-flows 10k count ($V)"
    ovs-ofctl -O $V del-flows "$SW"
    t4=$(date +%s.%N)
    ovs-ofctl -O $V add-flows "$SW" "$W/f10k" || fail "ovs add-flows 10k"
    t5=$(date +%s.%N)
    ovs-ofctl -O $V dump-flows "$SW" >/dev/null
    t6=$(date +%s.%N)
    vs-ofctl -O $V diff-flows "$SW" "$W/f10k" >/dev/null || fail "vs diff-flows after ovs add-flows 10k ($V)"
    awk -v v=$V -v a="$t0 $t1 $t2 $t3 $t4 $t5 $t6" 'BEGIN { split(a, t, " ");
        printf "%s add-flows 10k: vs-ofctl %.2fs, ovs-ofctl %.2fs; dump-flows: vs-ofctl %.2fs, ovs-ofctl %.2fs\n",
               v, t[2] - t[1], t[6] - t[5], t[4] - t[3], t[7] - t[6] }'
    check
done

# ---- --bundle: all or nothing. ----
log "bundles"
vs-ofctl -O OpenFlow14 del-flows "$SW"
printf 'priority=5,ip,actions=output:1\npriority=6,arp,actions=NORMAL\n' >"$W/good"
printf 'priority=7,ip,actions=output:1\npriority=8,arp,actions=output:99999999\n' >"$W/bad"
vs-ofctl --bundle add-flows "$SW" "$W/good" || fail "bundle add-flows"
ovs-ofctl -O OpenFlow14 diff-flows "$SW" "$W/good" >/dev/null || fail "bundle not applied"
vs-ofctl -O OpenFlow14 --bundle add-flows "$SW" "$W/bad" 2>"$W/err" && fail "bad bundle committed"
grep -q OFPBAC_BAD_OUT_PORT "$W/err" || fail "bundle error text"
ovs-ofctl -O OpenFlow14 diff-flows "$SW" "$W/good" >/dev/null || fail "failed bundle changed the table"
vs-ofctl -O OpenFlow10 --bundle add-flows "$SW" "$W/good" 2>/dev/null && fail "bundle over OF1.0"
check

# ---- replace-flows and diff-flows. ----
log "replace-flows, diff-flows"
vs-ofctl -O OpenFlow13 replace-flows "$SW" "$W/flows13" || fail "replace-flows"
ovs-ofctl -O OpenFlow13 diff-flows "$SW" "$W/flows13" >/dev/null || fail "replace-flows result differs"
vs-ofctl -O OpenFlow13 diff-flows "$SW" "$W/flows13" || fail "vs diff-flows after replace"
vs-ofctl -O OpenFlow13 replace-flows "$SW" "$W/good" || fail "replace-flows (shrink)"
ovs-ofctl -O OpenFlow13 diff-flows "$SW" "$W/good" >/dev/null || fail "replace-flows (shrink) differs"
vs-ofctl -O OpenFlow13 diff-flows "$SW" "$W/flows13" >"$W/d"; rc=$?
[ $rc = 2 ] || fail "diff-flows exit status $rc, want 2"
grep -q '^+priority=100,ip,nw_dst=10.0.0.0/24 actions=output:2$' "$W/d" || fail "diff-flows + line"
grep -q '^-priority=6,arp actions=NORMAL$' "$W/d" || fail "diff-flows - line"
vs-ofctl diff-flows "$W/good" "$W/good" || fail "diff-flows file file"
check

# ---- Groups and meters (OpenFlow 1.3, 1.4). ----
log "groups and meters"
cat >"$W/groups" <<'EOF'
group_id=1,type=select,bucket=actions=output:1,bucket=weight:50,actions=output:2
group_id=2,type=all,bucket=actions=output:1,bucket=actions=output:3
group_id=3,type=ff,bucket=watch_port:1,actions=output:1,bucket=watch_port:2,actions=output:2
group_id=4,type=indirect,bucket=actions=set_field:4101->vlan_vid,output:3
EOF
for V in OpenFlow13 OpenFlow14; do
    ovs-ofctl -O $V del-groups "$SW"
    while read -r g; do vs-ofctl -O $V add-group "$SW" "$g" || fail "vs add-group $g"; done <"$W/groups"
    ovs-ofctl -O $V dump-groups "$SW" | tail -n +2 >"$W/ovs.g"
    vs-ofctl -O $V dump-groups "$SW" | tail -n +2 >"$W/vs.g"
    same "$W/ovs.g" "$W/vs.g" "dump-groups ($V)"
    grep -c . "$W/vs.g" | grep -qx 4 || fail "group count ($V)"
    vs-ofctl -O $V del-groups "$SW"
    [ "$(ovs-ofctl -O $V dump-groups "$SW" | grep -c group_id)" = 0 ] || fail "del-groups ($V)"
    while read -r g; do ovs-ofctl -O $V add-group "$SW" "$g" || fail "ovs add-group"; done <"$W/groups"
    vs-ofctl -O $V dump-groups "$SW" | tail -n +2 >"$W/vs.g"
    ovs-ofctl -O $V dump-groups "$SW" | tail -n +2 >"$W/ovs.g"
    same "$W/ovs.g" "$W/vs.g" "dump-groups after ovs add-group ($V)"
    vs-ofctl -O $V mod-group "$SW" "group_id=2,type=all,bucket=output:4" || fail "mod-group"
    ovs-ofctl -O $V dump-groups "$SW" | grep -q 'group_id=2,type=all,bucket=actions=output:4$' || fail "mod-group result"
    vs-ofctl -O $V del-groups "$SW" group_id=1 || fail "del-groups group_id=1"
    ovs-ofctl -O $V dump-groups "$SW" | grep -q 'group_id=1,' && fail "group 1 not deleted"
    vs-ofctl -O $V dump-group-stats "$SW" | grep -q '^ group_id=3,duration=[0-9.]*s,ref_count=0,packet_count=0,byte_count=0,bucket0:packet_count=0' \
        || fail "dump-group-stats ($V)"
    vs-ofctl -O $V dump-group-features "$SW" | grep -q 'select group:' || fail "dump-group-features"
    vs-ofctl -O $V add-flow "$SW" "ip,actions=group:3" || fail "flow to a group"
    ovs-ofctl -O $V dump-flows "$SW" | grep -q 'actions=group:3' || fail "group action"
    vs-ofctl -O $V del-flows "$SW"
    vs-ofctl -O $V del-groups "$SW"
    check

    ovs-ofctl -O $V del-meters "$SW"
    vs-ofctl -O $V add-meter "$SW" "meter=1,kbps,burst,stats,band=type=drop,rate=1000,burst_size=100" || fail "add-meter"
    vs-ofctl -O $V add-meter "$SW" "meter=2,pktps,band=type=drop,rate=50" || fail "add-meter 2"
    ovs-ofctl -O $V dump-meters "$SW" | tail -n +2 >"$W/ovs.m"
    vs-ofctl -O $V dump-meters "$SW" | tail -n +2 >"$W/vs.m"
    cmp -s "$W/ovs.m" "$W/vs.m" || { diff -u "$W/ovs.m" "$W/vs.m" >&2; fail "dump-meters ($V)"; }
    vs-ofctl -O $V mod-meter "$SW" "meter=2,pktps,band=type=drop,rate=60" || fail "mod-meter"
    ovs-ofctl -O $V dump-meters "$SW" | grep -q 'rate=60' || fail "mod-meter result"
    vs-ofctl -O $V meter-stats "$SW" | grep -q '^meter:1 flow_count:0 packet_in_count:0 byte_in_count:0 duration:[0-9.]*s bands:$' \
        || fail "meter-stats"
    vs-ofctl -O $V meter-features "$SW" | grep -q 'band_types: drop' || fail "meter-features"
    vs-ofctl -O $V add-flow "$SW" "ip,actions=meter:1,output:1" || fail "flow with meter"
    ovs-ofctl -O $V dump-flows "$SW" | grep -q 'actions=meter:1,output:1' || fail "meter instruction"
    vs-ofctl -O $V del-flows "$SW"
    vs-ofctl -O $V del-meters "$SW" meter=1 || fail "del-meters meter=1"
    ovs-ofctl -O $V dump-meters "$SW" | grep -q 'meter=1 ' && fail "meter 1 not deleted"
    vs-ofctl -O $V del-meters "$SW" || fail "del-meters"
    [ "$(ovs-ofctl -O $V dump-meters "$SW" | grep -c 'meter=')" = 0 ] || fail "del-meters all"
    vs-ofctl -O OpenFlow10 dump-groups "$SW" 2>/dev/null && fail "groups over OF1.0"
    check
done

# ---- packet-out seen by monitor (and by ovs-ofctl's monitor). ----
log "packet-out and monitor"
PKT=ffffffffffff02000000000108060001080006040001020000000001c0a80001000000000000c0a80002
vs-ofctl del-flows "$SW"
for V in OpenFlow10 OpenFlow13; do
    vs-ofctl -O $V -t 4 monitor "$SW" 65535 >"$W/mon.$V" 2>&1 &
    MON=$!
    track_pid $MON
    sleep 1
    vs-ofctl -O $V packet-out "$SW" "in_port=CONTROLLER,packet=$PKT,actions=CONTROLLER" || fail "packet-out ($V)"
    vs-ofctl -O $V packet-out "$SW" LOCAL CONTROLLER "$PKT" || fail "packet-out positional ($V)"
    ovs-ofctl -O $V packet-out "$SW" "in_port=CONTROLLER,packet=$PKT,actions=CONTROLLER" || fail "ovs packet-out"
    wait $MON
    [ "$(grep -c '^OFPT_PACKET_IN' "$W/mon.$V")" = 3 ] || { cat "$W/mon.$V" >&2; fail "monitor saw $(grep -c '^OFPT_PACKET_IN' "$W/mon.$V") packet-ins ($V)"; }
    grep -q 'dl_src=02:00:00:00:00:01' "$W/mon.$V" || fail "monitor packet summary ($V)"
    grep -q 'arp_spa=192.168.0.1' "$W/mon.$V" || fail "monitor packet fields ($V)"
    check
done
ovs-ofctl -t 4 monitor "$SW" 65535 >"$W/ovsmon" 2>&1 &
MON=$!
track_pid $MON
sleep 1
vs-ofctl packet-out "$SW" "in_port=CONTROLLER,packet=$PKT,actions=CONTROLLER" || fail "packet-out for ovs monitor"
wait $MON
grep -q 'PACKET_IN' "$W/ovsmon" || { cat "$W/ovsmon" >&2; fail "ovs-ofctl monitor saw no packet-in"; }
grep -q 'dl_src=02:00:00:00:00:01' "$W/ovsmon" || fail "ovs-ofctl monitor: wrong packet"
vs-ofctl -O OpenFlow13 packet-out "$SW" "in_port=1,packet=zz,actions=drop" 2>/dev/null && fail "bad hex accepted"
check

# ---- show, desc, ports, tables: the lines scripts read. ----
log "show and stats"
for V in OpenFlow10 OpenFlow13 OpenFlow15; do
    # (ovs-ofctl spends one more xid before get-config: compare without xids.)
    vs-ofctl -O $V show "$SW" | sed 's/ (xid=0x[0-9a-f]*)//' >"$W/vs.show" || fail "show ($V)"
    ovs-ofctl -O $V show "$SW" | sed 's/ (xid=0x[0-9a-f]*)//' >"$W/ovs.show"
    [ "$(head -1 "$W/vs.show")" = "$(head -1 "$W/ovs.show")" ] || fail "show header ($V)"
    for pat in '^n_tables:' '^capabilities:' '^actions:' "^ LOCAL($BR): addr:" '^     config:' \
               '^     state:' '^     current:' '^     speed:' 'OFPT_GET_CONFIG_REPLY' 'OFPST_PORT_DESC'; do
        [ "$(grep "$pat" "$W/vs.show")" = "$(grep "$pat" "$W/ovs.show")" ] \
            || { diff -u "$W/ovs.show" "$W/vs.show" >&2; fail "show line $pat ($V)"; }
    done
    vs-ofctl -O $V dump-desc "$SW" | tail -n +2 >"$W/vs.desc"
    ovs-ofctl -O $V dump-desc "$SW" | tail -n +2 >"$W/ovs.desc"
    cmp -s "$W/vs.desc" "$W/ovs.desc" || fail "dump-desc ($V)"
    vs-ofctl -O $V dump-ports "$SW" LOCAL | grep -q '^  port LOCAL: rx pkts=[0-9]*, bytes=' || fail "dump-ports ($V)"
    vs-ofctl -O $V dump-ports-desc "$SW" | grep -q "^ LOCAL($BR): addr:" || fail "dump-ports-desc ($V)"
    vs-ofctl -O $V dump-tables "$SW" | grep -q '^  table 0:' || fail "dump-tables ($V)"
    check
done
vs-ofctl -O OpenFlow13 dump-table-features "$SW" | grep -q '^  table 253' || fail "dump-table-features"
[ "$(vs-ofctl queue-stats "$SW" | sed 's/ (xid=0x[0-9a-f]*)//')" \
    = "$(ovs-ofctl queue-stats "$SW" | sed 's/ (xid=0x[0-9a-f]*)//')" ] || fail "queue-stats"
vs-ofctl set-frags "$SW" drop || fail "set-frags"
[ "$(ovs-ofctl get-frags "$SW")" = drop ] || fail "set-frags not applied"
ovs-ofctl set-frags "$SW" normal
[ "$(vs-ofctl -O OpenFlow13 get-frags "$SW")" = normal ] || fail "get-frags"
vs-ofctl mod-port "$SW" "$BR" down || fail "mod-port down"
ovs-ofctl show "$SW" | grep -A1 "LOCAL($BR)" | grep -q 'PORT_DOWN' || fail "mod-port down not applied"
vs-ofctl -O OpenFlow13 mod-port "$SW" LOCAL up || fail "mod-port up"
ovs-ofctl show "$SW" | grep -A1 "LOCAL($BR)" | grep -q 'PORT_DOWN' && fail "mod-port up not applied"
vs-ofctl mod-port "$SW" LOCAL sideways 2>/dev/null && fail "bad mod-port accepted"
check

# ---- By bridge name, tcp:, snoop, probe, ping. ----
log "targets, snoop, probe, ping"
vs-ofctl probe "$BR" || fail "probe by bridge name"
vs-ofctl ping "$BR" 100 | grep -c 'bytes from' | grep -qx 10 || fail "ping"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
$VSCTL set-controller "$BR" "ptcp:$port:127.0.0.1" || fail "set-controller ptcp"
wait_until 10 ns ovs vs-ofctl -t 2 probe "tcp:127.0.0.1:$port" || fail "probe over tcp"
ns ovs vs-ofctl -O OpenFlow13 dump-flows "tcp:127.0.0.1:$port" >/dev/null || fail "dump-flows over tcp"
$VSCTL del-controller "$BR"
# Open vSwitch serves snoopers only while the bridge has a controller.
$VSCTL set-controller "$BR" "tcp:127.0.0.1:1" || fail "set-controller"
wait_until 10 vs-ofctl -t 1 snoop "$BR" || fail "snoop on the bridge's snoop socket"
$VSCTL del-controller "$BR"
rm -f "$VS_RUNDIR/$BR.snoop"
vs-ofctl -t 1 snoop "$BR" 2>"$W/err" && fail "snoop without a socket"
grep -q 'no snoop socket' "$W/err" || fail "snoop message: $(cat "$W/err")"
check

kill -0 "$VSWITCHD_PID" || fail "ovs-vswitchd died"
log "$n_checks checks passed"
pass
