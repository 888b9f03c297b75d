#!/bin/sh
# ofproto's flow, group and meter tables programmed by the real ovs-ofctl
# over vs-vswitchd's mgmt socket, with the output read back and compared:
# add-flows of many match/action kinds, dump-flows, mod-flows (strict and
# not), del-flows with cookie masks, out_port and --strict, check_overlap,
# dump-aggregate, dump-tables, replace-flows/diff-flows, hard and idle
# timeouts (the idle one kept alive by real traffic for 5 s),
# groups (add/mod/del, flows that use a deleted group go), meters (add,
# stats, del), mod-port, port stats, atomic bundles (OF1.4 --bundle: one
# bad flow and none is added), flow_removed to a monitor (hard timeout,
# delete), features and descriptions; in OpenFlow 1.0 and 1.3.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/system/lib.sh"
. "$top_srcdir/tests/system/dp-lib.sh"
require_root
require_cmd ovs-ofctl
NET=212
bpffs_setup
BR=br$$
vsw_bridge $BR 2

# flows VERSION: the flow table as ovs-ofctl dumps it, without statistics,
# one flow a line, sorted.
flows() {
    ovs-ofctl -O $1 --no-stats dump-flows $MGMT >"$VS_TEST_DIR/dump" \
        || fail "dump-flows: $(cat "$VS_TEST_DIR/dump")"
    grep -v 'reply' "$VS_TEST_DIR/dump" | sed 's/^ *//' | sort
}
# same WHAT EXPECTED ACTUAL: the two texts must be equal.
same() {
    [ "$2" = "$3" ] && return 0
    printf '%s\n' "$2" >"$VS_TEST_DIR/want"
    printf '%s\n' "$3" >"$VS_TEST_DIR/got"
    diff -u "$VS_TEST_DIR/want" "$VS_TEST_DIR/got" >&2
    fail "$1"
}

for V in OpenFlow10 OpenFlow13; do
    of() { ovs-ofctl -O $V "$@"; }
    log "$V: add-flows of many kinds, read back"
    of del-flows $MGMT || fail "del-flows"
    # Written as ovs-ofctl prints them in that version.
    if [ $V = OpenFlow10 ]; then
        tos=mod_nw_tos:16 strip=strip_vlan dst=mod_dl_dst:02:00:00:00:00:02
    else
        tos=set_field:4-\>ip_dscp strip=pop_vlan dst=set_field:02:00:00:00:00:02-\>eth_dst
    fi
    cat >"$VS_TEST_DIR/flows" <<EOT
priority=100,ip,nw_dst=10.0.0.1 actions=output:$P2
cookie=0x5, priority=200,tcp,nw_src=10.1.0.0/16,tp_dst=80 actions=$tos,output:$P1
priority=300,udp,in_port=$P1,tp_src=53 actions=drop
priority=400,arp,arp_tpa=10.0.0.9 actions=NORMAL
priority=500,dl_src=02:00:00:00:00:01,dl_type=0x88cc actions=CONTROLLER:65535
cookie=0x15, priority=600,dl_vlan=10 actions=$strip,output:$P2
priority=700,icmp,icmp_type=8 actions=$dst,IN_PORT
priority=0 actions=LOCAL
EOT
    of add-flows $MGMT "$VS_TEST_DIR/flows" || fail "add-flows"
    want=$(sed 's/^ *//' "$VS_TEST_DIR/flows" | sort)
    same "$V: flows read back" "$want" "$(flows $V)"
    of dump-aggregate $MGMT | grep -q "flow_count=8" \
        || fail "aggregate: $(of dump-aggregate $MGMT)"

    log "$V: mod-flows, strict and not"
    of mod-flows $MGMT "ip,actions=output:$P1" || fail "mod-flows"
    flows $V | grep -qx "priority=100,ip,nw_dst=10.0.0.1 actions=output:$P1" \
        || fail "mod ip: $(flows $V)"
    flows $V | grep -qx "priority=700,icmp,icmp_type=8 actions=output:$P1" \
        || fail "mod covers icmp: $(flows $V)"
    flows $V | grep -qx "priority=400,arp,arp_tpa=10.0.0.9 actions=NORMAL" \
        || fail "mod left arp alone: $(flows $V)"
    of mod-flows --strict $MGMT "priority=100,ip,nw_dst=10.0.0.1,actions=drop" \
        || fail "mod-flows --strict"
    flows $V | grep -qx "priority=100,ip,nw_dst=10.0.0.1 actions=drop" \
        || fail "strict mod: $(flows $V)"
    of mod-flows --strict $MGMT "priority=101,ip,nw_dst=10.0.0.1,actions=LOCAL" \
        || fail "mod-flows --strict, no match"
    # Modifying nothing adds the flow in OF1.0 only.
    n=$(flows $V | grep -c 'priority=101,ip,nw_dst=10.0.0.1 actions=LOCAL')
    if [ $V = OpenFlow10 ]; then
        [ $n = 1 ] || fail "OF1.0 modify of nothing did not add: $(flows $V)"
        of del-flows --strict $MGMT "priority=101,ip,nw_dst=10.0.0.1" || fail "del 101"
    else
        [ $n = 0 ] || fail "OF1.3 modify of nothing added: $(flows $V)"
    fi
    # OF1.0's modify sets the cookie (here to 0); OF1.3's keeps it.
    if [ $V = OpenFlow10 ]; then c=""; else c="cookie=0x5, "; fi
    flows $V | grep -qx "${c}priority=200,tcp,nw_src=10.1.0.0/16,tp_dst=80 actions=output:$P1" \
        || fail "cookie after modify: $(flows $V)"

    log "$V: del-flows by out_port, --strict"
    of del-flows $MGMT "out_port=LOCAL" || fail "del out_port"
    flows $V | grep -q "actions=LOCAL" && fail "LOCAL flow left: $(flows $V)"
    of del-flows --strict $MGMT "priority=300,udp,in_port=$P1,tp_src=53" || fail "del --strict"
    flows $V | grep -q "tp_src=53" && fail "strict delete: $(flows $V)"
    [ "$(flows $V | wc -l)" = 6 ] || fail "6 flows left: $(flows $V)"
    if [ $V = OpenFlow13 ]; then
        of del-flows $MGMT "cookie=0x10/0xf0" || fail "del by cookie mask"
        flows $V | grep -q "dl_vlan=10" && fail "cookie 0x15 flow left: $(flows $V)"
        [ "$(flows $V | wc -l)" = 5 ] || fail "cookie mask deleted more: $(flows $V)"
    fi

    log "$V: check_overlap"
    out=$(of add-flow $MGMT "priority=400,arp,check_overlap,actions=drop" 2>&1) \
        && fail "overlapping flow added: $(flows $V)"
    echo "$out" | grep -q "OFPFMFC_OVERLAP" || fail "overlap error: $out"
    of add-flow $MGMT "priority=401,arp,check_overlap,actions=drop" || fail "no overlap"

    log "$V: replace-flows, diff-flows"
    of replace-flows $MGMT "$VS_TEST_DIR/flows" || fail "replace-flows"
    same "$V: replaced" "$want" "$(flows $V)"
    of diff-flows $MGMT "$VS_TEST_DIR/flows" >"$VS_TEST_DIR/diff" \
        || fail "diff-flows: $(cat "$VS_TEST_DIR/diff")"

    log "$V: dump-tables counts the active flows"
    of dump-tables $MGMT | grep -q "active=8" || fail "dump-tables: $(of dump-tables $MGMT)"

    log "$V: a hard timeout removes the flow"
    of add-flow $MGMT "priority=9,udp,tp_dst=9,hard_timeout=1,actions=drop" || fail "add timed"
    flows $V | grep -q "tp_dst=9 " || fail "timed flow missing"
    wait_until 5 sh -c "! ovs-ofctl -O $V dump-flows $MGMT | grep -q tp_dst=9" \
        || fail "hard_timeout=1 flow still there"

    log "$V: mod-port and port stats"
    of mod-port $MGMT "$(link_name p1)" no-forward || fail "mod-port no-forward"
    # OF1.0 lists ports in the features reply ("show").
    if [ $V = OpenFlow10 ]; then cmd=show; else cmd=dump-ports-desc; fi
    of $cmd $MGMT >"$VS_TEST_DIR/ports" 2>&1 || fail "$cmd: $(cat "$VS_TEST_DIR/ports")"
    grep -q "NO_FWD" "$VS_TEST_DIR/ports" || fail "NO_FWD: $(cat "$VS_TEST_DIR/ports")"
    of mod-port $MGMT "$(link_name p1)" forward || fail "mod-port forward"
    of dump-ports $MGMT $P1 | grep -q "port *$P1: rx pkts=" || fail "dump-ports: $(of dump-ports $MGMT)"
done

of() { ovs-ofctl -O OpenFlow13 "$@"; }
log "groups: add, dump, modify, errors, delete takes its flows"
of del-flows $MGMT
of add-group $MGMT "group_id=1,type=select,bucket=weight:10,output:$P1,bucket=weight:20,output:$P2" \
    || fail "add-group select"
of add-group $MGMT "group_id=2,type=all,bucket=output:$P1,bucket=group:1" || fail "add-group chained"
of add-group $MGMT "group_id=3,type=ff,bucket=watch_port:$P1,output:$P1,bucket=watch_port:$P2,output:$P2" \
    || fail "add-group ff"
out=$(of add-group $MGMT "group_id=1,type=all,bucket=output:$P1" 2>&1) && fail "duplicate group"
echo "$out" | grep -q OFPGMFC_GROUP_EXISTS || fail "group exists error: $out"
out=$(of mod-group $MGMT "group_id=1,type=all,bucket=group:2" 2>&1) && fail "group loop accepted"
echo "$out" | grep -q OFPGMFC_LOOP || fail "loop error: $out"
of mod-group $MGMT "group_id=3,type=indirect,bucket=output:$P2" || fail "mod-group"
of dump-groups $MGMT >"$VS_TEST_DIR/groups" || fail "dump-groups"
grep -q "group_id=1,type=select,bucket=weight:10,actions=output:$P1,bucket=weight:20,actions=output:$P2" \
    "$VS_TEST_DIR/groups" || fail "group 1: $(cat "$VS_TEST_DIR/groups")"
grep -q "group_id=3,type=indirect,bucket=actions=output:$P2" "$VS_TEST_DIR/groups" \
    || fail "group 3: $(cat "$VS_TEST_DIR/groups")"
out=$(of add-flow $MGMT "ip,actions=group:9" 2>&1) && fail "flow to a missing group"
echo "$out" | grep -q OFPBAC_BAD_OUT_GROUP || fail "missing group error: $out"
of add-flow $MGMT "priority=5,ip,actions=group:2" || fail "flow to group 2"
of add-flow $MGMT "priority=6,arp,actions=group:3" || fail "flow to group 3"
of dump-group-stats $MGMT | grep -q "group_id=2,.*ref_count=1" || fail "group stats: $(of dump-group-stats $MGMT)"
out=$(of del-groups $MGMT group_id=1 2>&1) && fail "deleted a group another chains to"
echo "$out" | grep -q OFPGMFC_CHAINED_GROUP || fail "chained error: $out"
of del-groups $MGMT group_id=2 || fail "del-groups 2"
[ "$(flows OpenFlow13 | wc -l)" = 1 ] || fail "flow of group 2 not deleted: $(flows OpenFlow13)"
of del-groups $MGMT || fail "del-groups all"
[ -z "$(flows OpenFlow13)" ] || fail "flows left after del-groups: $(flows OpenFlow13)"
[ -z "$(of dump-groups $MGMT | grep group_id)" ] || fail "groups left"

log "meters: add, dump, stats, delete takes its flows"
of add-meter $MGMT "meter=1,kbps,burst,stats,band=type=drop,rate=1000,burst_size=100" || fail "add-meter"
of add-meter $MGMT "meter=2,pktps,band=type=dscp_remark,rate=10,prec_level=1" || fail "add-meter dscp"
of dump-meters $MGMT | grep -q "meter=1 kbps burst stats bands=" || fail "dump-meters: $(of dump-meters $MGMT)"
of add-flow $MGMT "priority=5,ip,actions=meter:1,output:$P1" || fail "metered flow"
of meter-stats $MGMT | grep -q "meter:1 flow_count:1" || fail "meter-stats: $(of meter-stats $MGMT)"
out=$(of add-flow $MGMT "arp,actions=meter:7,output:$P1" 2>&1) && fail "flow with a missing meter"
echo "$out" | grep -q "OFPMMFC_INVALID_METER" || fail "missing meter error: $out"
of del-meters $MGMT "meter=1" || fail "del-meter"
[ -z "$(flows OpenFlow13)" ] || fail "flow of meter 1 not deleted: $(flows OpenFlow13)"
of del-meters $MGMT || fail "del-meters all"

log "OF1.4 bundle: a bad flow and none of them is added"
cat >"$VS_TEST_DIR/bundle" <<EOT
priority=10,ip,nw_dst=10.9.0.1 actions=output:$P1
priority=11,ip,nw_dst=10.9.0.2 actions=group:99
EOT
out=$(ovs-ofctl -O OpenFlow14 --bundle add-flows $MGMT "$VS_TEST_DIR/bundle" 2>&1) \
    && fail "bundle with a bad flow committed"
[ -z "$(flows OpenFlow14)" ] || fail "bundle half applied: $(flows OpenFlow14)"
sed -i 's/group:99/output:2/' "$VS_TEST_DIR/bundle"
ovs-ofctl -O OpenFlow14 --bundle add-flows $MGMT "$VS_TEST_DIR/bundle" || fail "good bundle"
[ "$(flows OpenFlow14 | wc -l)" = 2 ] || fail "bundle: $(flows OpenFlow14)"

log "flow_removed reaches a monitoring connection (hard timeout, delete)"
of del-flows $MGMT
OVS_RUNDIR=$VS_RUNDIR timeout 20 ovs-ofctl -O OpenFlow13 monitor $MGMT 65535 >"$VS_TEST_DIR/monitor.out" 2>&1 &
MON=$!
track_pid $MON
# Service connections get async messages once they set miss_send_len.
sleep 1
of add-flow $MGMT "priority=7,udp,tp_dst=7,hard_timeout=1,send_flow_rem,cookie=0x77,actions=drop" \
    || fail "add timed flow"
of add-flow $MGMT "priority=8,udp,tp_dst=8,send_flow_rem,actions=drop" || fail "add flow 8"
of del-flows $MGMT "udp,tp_dst=8" || fail "del flow 8"
wait_until 5 grep -q "reason=hard" "$VS_TEST_DIR/monitor.out" \
    || fail "no hard-timeout flow_removed: $(cat "$VS_TEST_DIR/monitor.out")"
grep "reason=hard" "$VS_TEST_DIR/monitor.out" | grep -q "cookie:0x77" \
    || fail "flow_removed cookie: $(cat "$VS_TEST_DIR/monitor.out")"
grep "reason=delete" "$VS_TEST_DIR/monitor.out" | grep -q "tp_dst=8" \
    || fail "no delete flow_removed: $(cat "$VS_TEST_DIR/monitor.out")"
kill $MON 2>/dev/null

log "an idle timeout holds while traffic hits the flow, expires after"
of del-flows $MGMT
of add-flow $MGMT "priority=10,in_port=$P1,actions=output:$P2" || fail "p1->p2"
of add-flow $MGMT "priority=10,in_port=$P2,actions=output:$P1" || fail "p2->p1"
of add-flow $MGMT "priority=20,icmp,in_port=$P1,idle_timeout=2,actions=output:$P2" \
    || fail "idle flow"
ns h1 ping -c 25 -i 0.2 -W 1 10.$NET.0.2 >/dev/null 2>&1 || fail "ping through the idle flow"
flows OpenFlow13 | grep -q "idle_timeout=2" \
    || fail "idle flow expired under traffic: $(flows OpenFlow13)"
wait_until 8 sh -c "! ovs-ofctl -O OpenFlow13 dump-flows $MGMT | grep -q idle_timeout=2" \
    || fail "idle flow still there without traffic: $(flows OpenFlow13)"

log "descriptions and features"
of dump-desc $MGMT | grep -q "DP Description" || fail "dump-desc"
of dump-table-features $MGMT | grep -q "table 254" || fail "table features: $(of dump-table-features $MGMT | head)"
of dump-group-features $MGMT | grep -q "fast failover group" || fail "group features"
of meter-features $MGMT | grep -q "band_types: drop dscp_remark" || fail "meter features"

kill -0 $VSW_PID || fail "vs-vswitchd died"
pass
