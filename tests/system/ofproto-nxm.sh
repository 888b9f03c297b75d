#!/bin/sh
# Plain ovs-ofctl (no -O: OpenFlow 1.0 plus Nicira extensions) against
# vs-vswitchd, read back against Debian's ovs-vswitchd given the same
# commands in the same run: flows whose match OpenFlow 1.0 cannot say
# (IPv6, tcp_flags, metadata, tun_id, VLAN masks, ARP hardware addresses,
# ND target, ip_ecn, nw_ttl, MPLS...) and flows in tables other than 0 go
# as NXT_FLOW_MOD after NXT_SET_FLOW_FORMAT / NXT_FLOW_MOD_TABLE_ID, with
# Nicira actions (resubmit, load, move, note, exit, controller(...),
# write_metadata, goto_table spelled as resubmit); dump-flows (NXST_FLOW,
# with filters), dump-aggregate (NXST_AGGREGATE), mod-flows (strict, and
# with a new cookie), del-flows (strict, by cookie mask, by table) must
# print exactly what Debian's switch prints.  Then traffic between two
# namespaced hosts follows a resubmit pipeline (and stops when a table of
# it is emptied), and malformed Nicira messages sent by hand get the right
# OFPT_ERROR while the connection stays up.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/system/lib.sh"
. "$top_srcdir/tests/system/dp-lib.sh"
. "$top_srcdir/bench/ovs-lib.sh"
. "$top_srcdir/tests/system/ofctl-pair-lib.sh"
require_root
require_cmd ovs-ofctl python3 vs-vswitchd vs-dpctl
NET=241
pair_start

# ---- Flows of many kinds. ----
cat >"$W/flows" <<'EOF'
ipv6,ipv6_src=2001:db8::1 actions=drop
table=1,tcp,tcp_flags=+syn actions=resubmit(,2)
priority=10,ip actions=load:0xa000001->NXM_OF_IP_SRC[],resubmit(,1)
priority=11,ip actions=load:0x5->NXM_NX_IP_TTL[],load:0x2->NXM_NX_IP_ECN[]
priority=12 actions=load:0x5->NXM_NX_TUN_ID[],resubmit:3,resubmit(1,3),resubmit(,2)
table=1,actions=note:01.02.03,exit
table=2,actions=resubmit(,1),write_metadata:0x5/0xff
table=3,actions=set_field:0x5->metadata
table=4,actions=controller(reason=no_match,max_len=100)
table=5,actions=goto_table:6
table=6,ipv6,actions=set_field:2001:db8::5->ipv6_dst
table=7,tcp,tcp_flags=+syn-ack,actions=controller(max_len=20),CONTROLLER:30
table=8,priority=1,in_port=1,dl_vlan=5,actions=strip_vlan,output:2
table=8,priority=2,vlan_tci=0x1000/0x1000,actions=drop
table=9,cookie=0x5,priority=3,ip,nw_tos=8,nw_ecn=1,nw_ttl=3,actions=drop
table=9,ipv6,ipv6_label=0x12345,nd_target=fe80::1,icmp6,icmp_type=135,actions=drop
table=9,arp,arp_tha=00:00:00:00:00:01,arp_op=2,actions=drop
table=9,arp,arp_sha=00:11:22:33:44:55/ff:ff:ff:00:00:00,actions=drop
table=9,metadata=0x5/0xff,actions=drop
table=9,tun_id=0x10,actions=drop
table=9,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00,actions=drop
table=9,ip,nw_frag=later,actions=drop
table=9,mpls,mpls_label=5,actions=drop
table=9,cookie=0x6,idle_timeout=300,hard_timeout=600,priority=7,udp6,tp_dst=53,actions=output:1
table=10,ip,actions=move:NXM_OF_IP_SRC[0..7]->NXM_NX_IP_TTL[],move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[]
table=10,priority=9,ip,actions=dec_ttl(1,2),dec_ttl,output:1
table=10,ipv6,actions=move:NXM_NX_IPV6_SRC[]->NXM_NX_IPV6_DST[],move:NXM_NX_TUN_ID[0..31]->OXM_OF_METADATA[32..63]
EOF
both add-flows "$W/flows"
# The examples users type, one at a time.
both add-flow "ipv6,ipv6_src=2001:db8::2,actions=drop"
both add-flow "table=1,tcp,tcp_flags=+syn+ack,actions=resubmit(,2)"
compare "after add-flows"
[ "$(grep -c actions "$W/vs.dump")" = 30 ] || fail "30 flows expected: $(cat "$W/vs.dump")"
ovs-ofctl dump-flows "$VSM" >"$W/vs.stats" || fail "dump-flows with stats"
grep -q '^NXST_FLOW reply' "$W/vs.stats" || fail "not an NXST_FLOW dump: $(head -1 "$W/vs.stats")"

compare "filter table=9" table=9
compare "filter ipv6" ipv6
compare "filter cookie" "cookie=0x5/-1"

# ---- Modify, delete. ----
both mod-flows "table=1,actions=note:aa.bb"
compare "mod-flows table=1"
both --strict mod-flows "table=9,priority=3,ip,nw_tos=8,nw_ecn=1,nw_ttl=3,actions=output:1"
compare "mod-flows --strict"
both mod-flows "cookie=0x77,table=9,tun_id=0x10,actions=output:2"
compare "mod-flows with a new cookie"
both del-flows "table=9,cookie=0x77/-1"
compare "del-flows by cookie mask"
both --strict del-flows "table=8,priority=1,in_port=1,dl_vlan=5"
compare "del-flows --strict"
both --strict del-flows "table=8,priority=1,vlan_tci=0x1000/0x1000"
compare "del-flows --strict that matches nothing"
both del-flows "table=7"
compare "del-flows table=7"
both del-flows "ipv6"
compare "del-flows ipv6 (every table)"

# The Nicira actions are experimenter actions in OpenFlow 1.3 too.
OFOPTS="-O OpenFlow13" both add-flow "table=5,priority=3,ip,actions=resubmit(,6),note:aa,load:0x1->NXM_NX_TUN_ID[0..3],controller(reason=no_match,id=3),load:0x3->NXM_NX_IP_TTL[],exit"
OFOPTS="-O OpenFlow13" compare "Nicira actions in OpenFlow 1.3" table=5
compare "an OpenFlow 1.3 flow with Nicira actions in OpenFlow 1.0" table=5

ovs-ofctl dump-aggregate "$VSM" >"$W/vs.agg" || fail "dump-aggregate"
ovs-ofctl dump-aggregate "$OVSM" >"$W/ovs.agg" || fail "ovs dump-aggregate"
grep -q '^NXST_AGGREGATE reply' "$W/vs.agg" || fail "not NXST_AGGREGATE: $(cat "$W/vs.agg")"
fc() { sed -n 's/.*flow_count=\([0-9]*\).*/\1/p' "$1"; }
[ "$(fc "$W/vs.agg")" = "$(fc "$W/ovs.agg")" ] \
    || fail "flow_count: vswitch $(cat "$W/vs.agg"), ovs $(cat "$W/ovs.agg")"
ovs-ofctl dump-aggregate "$VSM" table=9 >"$W/vs.agg" || fail "dump-aggregate table=9"
ovs-ofctl dump-aggregate "$OVSM" table=9 >"$W/ovs.agg" || fail "ovs dump-aggregate table=9"
[ "$(fc "$W/vs.agg")" = "$(fc "$W/ovs.agg")" ] \
    || fail "table 9 flow_count: vswitch $(cat "$W/vs.agg"), ovs $(cat "$W/ovs.agg")"
log "$n_compared dumps equal to Open vSwitch's"

# ---- vs-ofctl speaks the same: the flows added with it to both switches
# read back (by ovs-ofctl and by itself) as ovs-ofctl's own adds did. ----
for T in "$VSM" "$OVSM"; do
    ovs-ofctl del-flows "$T" || fail "del-flows $T"
    vs-ofctl add-flows "$T" "$W/flows" || fail "vs-ofctl add-flows to $T"
    vs-ofctl add-flow "$T" "ipv6,ipv6_src=2001:db8::2,actions=drop" \
        || fail "vs-ofctl add-flow to $T"
    vs-ofctl add-flow "$T" "table=1,tcp,tcp_flags=+syn+ack,actions=resubmit(,2)" \
        || fail "vs-ofctl add-flow table=1 to $T"
    vs-ofctl mod-flows "$T" "table=1,actions=note:aa.bb" || fail "vs-ofctl mod-flows"
    vs-ofctl --strict del-flows "$T" "table=8,priority=1,in_port=1,dl_vlan=5" \
        || fail "vs-ofctl --strict del-flows"
    vs-ofctl del-flows "$T" "table=9,cookie=0x5/-1" || fail "vs-ofctl del-flows cookie"
    ovs-ofctl --no-stats dump-flows "$T" | sed 's/^ *//' | sort >"$W/by-ovs-ofctl"
    vs-ofctl --no-stats dump-flows "$T" | sed 's/^ *//' | sort >"$W/by-vs-ofctl"
    diff -u "$W/by-ovs-ofctl" "$W/by-vs-ofctl" >&2 \
        || fail "$T: vs-ofctl's dump differs from ovs-ofctl's (- ovs-ofctl)"
    cp "$W/by-ovs-ofctl" "$W/vs-ofctl-adds.$([ "$T" = "$VSM" ] && echo vs || echo ovs)"
    vs-ofctl dump-flows "$T" | head -1 | grep -q '^NXST_FLOW reply' \
        || fail "$T: vs-ofctl dump-flows is not a Nicira dump"
    vs-ofctl dump-aggregate "$T" | grep -q '^NXST_AGGREGATE reply.*flow_count=27' \
        || fail "$T: vs-ofctl dump-aggregate: $(vs-ofctl dump-aggregate "$T")"
done
diff -u "$W/vs-ofctl-adds.ovs" "$W/vs-ofctl-adds.vs" >&2 \
    || fail "vs-ofctl's flows differ between the switches (- Open vSwitch)"
log "vs-ofctl: the same flows, mods and deletes, read back alike by both tools"

# ---- Traffic through a resubmit pipeline. ----
ovs-ofctl del-flows "$VSM" || fail "del-flows"
cat >"$W/pipeline" <<EOF
priority=100,in_port=$P1 actions=resubmit(,1)
priority=100,in_port=$P2 actions=resubmit(,2)
table=1,priority=20,ip actions=load:0x3f->NXM_NX_IP_TTL[],resubmit(,3),output:$P2
table=1,priority=10 actions=output:$P2
table=2,priority=10 actions=output:$P1
table=3,priority=10 actions=note:01,CONTROLLER:64,controller(id=7,max_len=32)
EOF
ovs-ofctl add-flows "$VSM" "$W/pipeline" || fail "add-flows pipeline"
# A monitor that asks for Nicira packet-ins (-P: without it ovs-ofctl
# asks for NXT_PACKET_IN2, tests/system/ofproto-packet-in2.sh) sees those
# of table 3 (reached by resubmit).
start_daemon monitor env OVS_RUNDIR="$VS_TEST_DIR" \
    timeout 20 ovs-ofctl -P nxt_packet_in -vvconn monitor "$VSM" 65535
MON_LOG=$VS_LOGDIR/monitor.out
wait_until 10 grep -q "sent (Success): NXT_SET_PACKET_IN_FORMAT.*format=nxt_packet_in$" \
    "$MON_LOG" || fail "monitor did not ask for NXT_PACKET_IN: $(cat "$MON_LOG")"
sleep 0.5
ping_retry 1 2 || fail "h1 cannot ping h2 through the resubmit pipeline"
ping_retry 2 1 || fail "h2 cannot ping h1 through the resubmit pipeline"
ovs-ofctl dump-flows "$VSM" >"$W/stats" || fail "dump-flows stats"
for t in "table=1, n_packets=[1-9][0-9]*,.* priority=20,ip" \
         "table=2, n_packets=[1-9]" "table=3, n_packets=[1-9]"; do
    grep -q "$t" "$W/stats" || fail "no packets counted on $t: $(cat "$W/stats")"
done
ovs-ofctl del-flows "$VSM" table=2 || fail "del-flows table=2"
sleep 1
ping_ok 1 2 && fail "h1 still reaches h2 with table 2 empty"
log "traffic follows resubmit(,1), resubmit(,2) and a nested resubmit(,3)"
grep -q "received: NXT_PACKET_IN (xid=0x0): table_id=3 cookie=0x0 total_len=98 in_port=$P1 (via action) data_len=64" \
    "$MON_LOG" || fail "no NXT_PACKET_IN from table 3: $(grep -A1 PACKET_IN "$MON_LOG" | head -4)"
# controller(id=7) is for connections with that controller id only.
grep -q "received: NXT_PACKET_IN.*data_len=32" "$MON_LOG" \
    && fail "a packet-in for controller id 7 reached the monitor (id 0)"
kill "$DAEMON_PID" 2>/dev/null
log "ovs-ofctl monitor got NXT_PACKET_IN with table, in_port and reason"

# ---- Malformed Nicira messages: an error each, the connection stays. ----
# (nx_flow_mod, error_is, raw: ofctl-pair-lib.sh.)
out=$(raw "$(nx_flow_mod 48 100 '')") || fail "connection lost after a short nx_match: $out"
error_is "nx_match longer than the message" 1 6 "$out"
# tcp_dst without ip_proto=6: OFPBMC_BAD_PREREQ, NXBRC_NXM_BAD_PREREQ in 1.0.
out=$(raw "$(nx_flow_mod 56 6 '0000140200500000')") || fail "connection lost: $out"
error_is "tcp_dst without its prerequisites" 1 260 "$out"
# An unknown Nicira subtype: OFPBRC_BAD_SUBTYPE.
out=$(raw "0104001000000000000023200000ff00") || fail "connection lost: $out"
error_is "unknown Nicira subtype" 1 4 "$out"
# An unknown flow format: OFPBRC_EPERM.
out=$(raw "0104001400000000""00002320""0000000c""00000007") || fail "connection lost: $out"
error_is "unknown flow format" 1 5 "$out"
kill -0 "$VSW_PID" || fail "vs-vswitchd died"
pass
