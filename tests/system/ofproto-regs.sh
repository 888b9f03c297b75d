#!/bin/sh
# Nicira registers (reg0..15, xreg0..7, xxreg0..3) and the actions that use
# them (and notes longer than 22 bytes, NXT_FLOW_AGE), against vs-vswitchd
# and Debian's ovs-vswitchd in the same run:
#   - plain ovs-ofctl (OpenFlow 1.0 + NXM) and ovs-ofctl -O OpenFlow13
#     (NXM_NX_REGn inside OXM) add the same register matches (masked too)
#     and load/move/set_field/output:FIELD[] actions; dump-flows, filtered
#     dumps, strict and loose deletes by register must print the same;
#   - vs-ofctl adds the same flows to both switches, and its dumps read
#     the same as ovs-ofctl's;
#   - traffic between two namespaced hosts goes through a pipeline that
#     puts the ingress port's class and the output port in registers in
#     table 0, matches them in tables 1 and 2 and outputs to the port held
#     in reg0; changing the register a table-0 flow loads changes where
#     the datapath's megaflows send the packets (revalidation follows);
#   - learn builds a MAC-learning table that carries the traffic, its
#     flows printed as Open vSwitch prints the same flows;
#   - packet-ins carry the registers to the controller;
#   - bad register matches get their errors, the connection stays.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/system/lib.sh"
. "$top_srcdir/tests/system/dp-lib.sh"
. "$top_srcdir/bench/ovs-lib.sh"
. "$top_srcdir/tests/system/ofctl-pair-lib.sh"
require_root
require_cmd ovs-ofctl python3 vs-vswitchd vs-dpctl vs-ofctl
NET=243
pair_start

# ---- Register matches and actions in OpenFlow 1.0 (NXM). ----
cat >"$W/flows" <<'EOF'
reg0=5 actions=drop
priority=7,reg0=5,reg1=6 actions=output:1
table=1,reg1=0x10/0xf0,reg15=0xffffffff actions=output:1
table=1,priority=5,reg0=0,reg3=0/0x1 actions=drop
table=2,xreg2=0x100000002 actions=drop
table=2,xxreg3=0x1000000020000000300000004 actions=drop
table=2,ip,reg2=7,nw_src=10.0.0.1 actions=load:0x5->NXM_NX_REG0[],load:1->reg0[3..7],move:NXM_OF_IN_PORT[]->NXM_NX_REG1[0..15],move:reg0[]->NXM_NX_TUN_ID[0..31],set_field:5->reg0,output:reg0[0..15]
table=3,ip,actions=move:NXM_NX_TUN_ID[0..31]->reg4[],move:NXM_OF_ETH_SRC[]->xreg3[0..47],move:reg5[0..7]->NXM_NX_IP_TTL[],move:NXM_OF_IP_SRC[]->NXM_NX_REG6[]
table=3,priority=2,actions=load:0x123->xxreg1[64..127],load:3->xxreg2[0..70],set_field:0x5->xreg3,output:xreg1[0..15]
table=4,actions=move:OXM_OF_IN_PORT[]->reg2[],load:0->reg3[],output:NXM_NX_REG0[3],resubmit(,5)
table=4,priority=9,reg7=0x1/0x1,reg8=0x80000000/0x80000000,actions=move:reg7[]->reg8[],move:xreg1[]->xreg0[],move:xxreg0[]->xxreg1[]
table=5,reg9=1,reg10=2,reg11=3,reg12=4,reg13=5,reg14=6,actions=load:0xffffffff->reg15[],set_field:0xfedcba9876543210->xreg7
table=7,actions=note:01.02.03.04.05.06.07.08.09.10.11.12.13.14.15.16.17.18.19.20.21.22.23.24.25,output:1
table=7,priority=3,reg0=1,actions=note:00.03.06.09.0c.0f.12.15.18.1b.1e.21.24.27.2a.2d.30.33.36.39.3c.3f.42.45.48.4b.4e.51.54.57.5a.5d.60.63.66.69.6c.6f.72.75.78.7b.7e.81.84.87.8a.8d.90.93.96.99.9c.9f.a2.a5.a8.ab.ae.b1,note:aa,resubmit(,8)
EOF
both add-flows "$W/flows"
compare "register flows added in OpenFlow 1.0"
[ "$(grep -c actions "$W/vs.dump")" = 15 ] || fail "14 flows and NORMAL expected: $(cat "$W/vs.dump")"
grep -q 'reg1=0x10/0xf0,reg15=0xffffffff' "$W/vs.dump" \
    || fail "masked register match not printed as ovs-ofctl does: $(cat "$W/vs.dump")"
OFOPTS="-O OpenFlow13" compare "register flows added in OpenFlow 1.0, dumped in 1.3"

# The same in OpenFlow 1.3: NXM_NX_REGn (class 0x0001) inside the OXM match,
# set_field to registers as OFPAT_SET_FIELD.
both del-flows
OFOPTS="-O OpenFlow13" both add-flows "$W/flows"
OFOPTS="-O OpenFlow13" both add-flow "table=6,reg0=1,actions=set_field:0x2->reg1,set_field:0->xxreg1,goto_table:7"
OFOPTS="-O OpenFlow13" compare "register flows added in OpenFlow 1.3"
grep -q 'set_field:0x2->reg1,set_field:0->xxreg1' "$W/vs.dump" \
    || fail "set_field to registers: $(grep table=6 "$W/vs.dump")"
compare "register flows added in OpenFlow 1.3, dumped in 1.0"
# OpenFlow 1.5: registers as packet registers (xregs) in the match, loads
# as masked set_field, moves as copy_field.
OFOPTS="-O OpenFlow15" compare "register flows dumped in OpenFlow 1.5"
both del-flows
OFOPTS="-O OpenFlow15" both add-flows "$W/flows"
OFOPTS="-O OpenFlow15" compare "register flows added in OpenFlow 1.5"
compare "register flows added in OpenFlow 1.5, dumped in 1.0"
both del-flows
OFOPTS="-O OpenFlow13" both add-flows "$W/flows"
OFOPTS="-O OpenFlow13" both add-flow "table=6,reg0=1,actions=set_field:0x2->reg1,set_field:0->xxreg1,goto_table:7"

# Filters, modify and delete by register.
compare "filter reg0=5" reg0=5
OFOPTS="-O OpenFlow13" compare "filter table=2 xreg2" "table=2,xreg2=0x100000002"
both mod-flows "reg0=5,actions=note:aa.bb"
compare "mod-flows reg0=5"
both --strict del-flows "priority=7,reg0=5,reg1=6"
compare "del-flows --strict by registers"
both del-flows "table=1,reg1=0x10/0xf0"
compare "del-flows by a masked register"
both del-flows "table=2,reg5=2"
compare "del-flows by an xreg's low half"
log "$n_compared dumps of register flows equal to Open vSwitch's"

# ---- vs-ofctl: the same flows to both switches read back alike. ----
for T in "$VSM" "$OVSM"; do
    ovs-ofctl del-flows "$T" || fail "del-flows $T"
    vs-ofctl add-flows "$T" "$W/flows" || fail "vs-ofctl add-flows to $T"
    vs-ofctl -O OpenFlow13 add-flow "$T" \
        "table=6,reg0=1,actions=set_field:0x2->reg1,set_field:0->xxreg1,goto_table:7" \
        || fail "vs-ofctl -O OpenFlow13 add-flow to $T"
    vs-ofctl --strict del-flows "$T" "priority=7,reg0=5,reg1=6" \
        || fail "vs-ofctl --strict del-flows by registers on $T"
    for V in OpenFlow10 OpenFlow13; do
        ovs-ofctl -O $V --no-stats dump-flows "$T" | sed 's/^ *//' | sort >"$W/by-ovs-ofctl"
        vs-ofctl -O $V --no-stats dump-flows "$T" | sed 's/^ *//' | sort >"$W/by-vs-ofctl"
        diff -u "$W/by-ovs-ofctl" "$W/by-vs-ofctl" >&2 \
            || fail "$T $V: vs-ofctl's dump differs from ovs-ofctl's (- ovs-ofctl)"
        # Open vSwitch keeps the reset_counts OpenFlow 1.0 adds imply.
        sed 's/reset_counts //' "$W/by-ovs-ofctl" \
            >"$W/vs-ofctl-adds.$V.$([ "$T" = "$VSM" ] && echo vs || echo ovs)"
    done
    vs-ofctl dump-flows "$T" reg0=5 | grep -c 'reg0=0x5' | grep -qx 1 \
        || fail "$T: vs-ofctl dump-flows reg0=5: $(vs-ofctl dump-flows "$T" reg0=5)"
done
for V in OpenFlow10 OpenFlow13; do
    diff -u "$W/vs-ofctl-adds.$V.ovs" "$W/vs-ofctl-adds.$V.vs" >&2 \
        || fail "$V: vs-ofctl's flows differ between the switches (- Open vSwitch)"
done
log "vs-ofctl: register flows read back alike by both tools on both switches"

# ---- Traffic through a register pipeline. ----
# Table 0 classifies by ingress port into reg1 (1 or 2) and puts the
# output port in reg0; table 1 checks the class (and, for h2, the ingress
# port moved into reg2); table 2 matches the output port in reg0 and sends
# the packet to the port reg0 holds.
ovs-ofctl del-flows "$VSM" || fail "del-flows"
cat >"$W/pipeline" <<EOF
priority=100,in_port=$P1 actions=set_field:$P2->reg0,load:1->NXM_NX_REG1[],goto_table:1
priority=100,in_port=$P2 actions=move:NXM_OF_IN_PORT[]->NXM_NX_REG2[0..15],load:$P1->NXM_NX_REG0[0..15],load:2->reg1[],goto_table:1
table=1,priority=10,reg1=1 actions=goto_table:2
table=1,priority=10,reg1=2,reg2=$P2 actions=goto_table:2
table=2,priority=10,reg0=$P2 actions=output:reg0[0..15]
table=2,priority=10,reg0=$P1 actions=output:NXM_NX_REG0[0..15]
EOF
ovs-ofctl -O OpenFlow13 add-flows "$VSM" "$W/pipeline" || fail "add-flows pipeline"
ping_retry 1 2 || fail "h1 cannot ping h2 through the register pipeline"
ping_retry 2 1 || fail "h2 cannot ping h1 through the register pipeline"
ovs-ofctl -O OpenFlow13 dump-flows "$VSM" >"$W/stats" || fail "dump-flows stats"
X1=$(printf 0x%x "$P1") X2=$(printf 0x%x "$P2")
for t in "table=1, n_packets=[1-9][0-9]*,.*reg1=0x1 " \
         "table=1, n_packets=[1-9][0-9]*,.*reg1=0x2,reg2=$X2 " \
         "table=2, n_packets=[1-9][0-9]*,.*reg0=$X2 " \
         "table=2, n_packets=[1-9][0-9]*,.*reg0=$X1 "; do
    grep -q "$t" "$W/stats" || fail "no packets counted on '$t': $(cat "$W/stats")"
done
# The megaflows: per ingress port, the packet's output port chosen by the
# register values (two ports, two different reg0/reg1), nothing matched
# that the pipeline did not look at (no L3 fields: it never read them).
vs-dpctl dump-flows "$BR" >"$W/megaflows" || fail "vs-dpctl dump-flows"
grep -q "in_port=$P1.*actions=.*output:$P2" "$W/megaflows" \
    || fail "no megaflow from port $P1 to $P2: $(cat "$W/megaflows")"
grep -q "in_port=$P2.*actions=.*output:$P1" "$W/megaflows" \
    || fail "no megaflow from port $P2 to $P1: $(cat "$W/megaflows")"
grep -E -q 'nw_src|nw_dst|ipv4|tp_src|reg' "$W/megaflows" \
    && fail "megaflows match more than the pipeline read: $(cat "$W/megaflows")"
log "traffic: table 0 -> registers -> tables 1, 2 -> output:reg0[0..15]"

# h1's class becomes 3, which table 1 has no flow for: the megaflows that
# sent h1's packets on must go (the register is part of the decision even
# though it is not in the datapath key).
ovs-ofctl -O OpenFlow13 --strict mod-flows "$VSM" \
    "priority=100,in_port=$P1 actions=set_field:$P2->reg0,load:3->NXM_NX_REG1[],goto_table:1" \
    || fail "mod-flows reg1=3"
sleep 1
ping_ok 1 2 && fail "h1 still reaches h2 with reg1=3 (no table 1 flow)"
ovs-ofctl -O OpenFlow13 add-flow "$VSM" "table=1,priority=10,reg1=3 actions=goto_table:2" \
    || fail "add-flow reg1=3"
ping_retry 1 2 || fail "h1 cannot ping h2 once table 1 takes reg1=3"
# Output to a port taken from a register that holds no port: dropped.
ovs-ofctl -O OpenFlow13 --strict mod-flows "$VSM" \
    "priority=100,in_port=$P1 actions=set_field:0x77->reg0,load:1->NXM_NX_REG1[],goto_table:1" \
    || fail "mod-flows reg0=0x77"
ovs-ofctl -O OpenFlow13 add-flow "$VSM" "table=2,priority=5 actions=output:reg0[0..15]" \
    || fail "add-flow output:reg0 catch-all"
sleep 1
ping_ok 1 2 && fail "h1 reaches h2 through output to port 0x77"
log "a changed register value changes the megaflows (revalidated)"

# ---- learn: MAC learning as a flow table. ----
# Table 0 learns, for each source MAC, a table 1 flow to its port (and the
# port in reg0); table 1 floods what it has not learned.  The learned flows
# must read as ovs-ofctl prints them: Open vSwitch, given the same text,
# dumps the same.
ovs-ofctl del-flows "$VSM" || fail "del-flows"
LEARN="learn(table=1,hard_timeout=60,NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:NXM_OF_IN_PORT[]->NXM_NX_REG0[0..15],output:NXM_OF_IN_PORT[])"
for T in "$VSM" "$OVSM"; do
    ovs-ofctl del-flows "$T" || fail "del-flows $T"
    ovs-ofctl add-flow "$T" "priority=100 actions=$LEARN,resubmit(,1)" \
        || fail "add-flow learn to $T"
    ovs-ofctl add-flow "$T" "table=1,priority=0 actions=FLOOD" || fail "add-flow FLOOD to $T"
done
# Table 0 only: the hosts' own traffic (ARP probes, IPv6 ND) may reach
# vs-vswitchd's table 1 before this dump and learn there already.
compare "a learn flow" table=0
ping_retry 1 2 || fail "h1 cannot ping h2 through learned flows"
ping_retry 2 1 || fail "h2 cannot ping h1 through learned flows"
M1=$(mac_of 1) M2=$(mac_of 2)
for i in 1 2; do
    eval "_mac=\$M$i _port=\$P$i"
    ovs-ofctl add-flow "$OVSM" "table=1,hard_timeout=60,vlan_tci=0x0000/0x0fff,dl_dst=$_mac,actions=load:$_port->NXM_NX_REG0[0..15],output:$_port" \
        || fail "add the learned flow to Open vSwitch by hand"
done
compare "learned flows" table=1
[ "$(grep -c "dl_dst=" "$W/vs.dump")" = 2 ] || fail "2 learned flows expected: $(cat "$W/vs.dump")"
vs-ofctl --no-stats dump-flows "$VSM" table=1 | sed 's/^ *//' | sort >"$W/by-vs-ofctl"
diff -u "$W/vs.sorted" "$W/by-vs-ofctl" >&2 \
    || fail "vs-ofctl reads the learned flows otherwise (- ovs-ofctl)"
OFOPTS="-O OpenFlow13" compare "learned flows in OpenFlow 1.3" table=1
ovs-ofctl dump-flows "$VSM" table=1 >"$W/stats" || fail "dump-flows table=1"
grep -q "n_packets=[1-9].*dl_dst=$M1 " "$W/stats" \
    || fail "no packets counted on the flow learned for h1: $(cat "$W/stats")"
# The megaflows read the source MAC (learn) and the destination (table 1).
vs-dpctl dump-flows "$BR" >"$W/megaflows" || fail "vs-dpctl dump-flows"
grep -q "eth_src=$M1.*eth_dst=$M2\|eth_dst=$M2.*eth_src=$M1" "$W/megaflows" \
    || fail "megaflow h1 -> h2 does not match both MACs: $(cat "$W/megaflows")"
# Learned flows go with table 1; the next packets learn them again.
ovs-ofctl del-flows "$VSM" table=1 || fail "del-flows table=1"
ovs-ofctl add-flow "$VSM" "table=1,priority=0 actions=FLOOD" || fail "add-flow FLOOD"
ping_retry 1 2 || fail "h1 cannot ping h2 after table 1 was emptied"
wait_until 5 sh -c "ovs-ofctl dump-flows '$VSM' table=1 | grep -q 'dl_dst=$M2 '" \
    || fail "h2's flow not learned again: $(ovs-ofctl dump-flows "$VSM" table=1)"
# delete_learned: the learned flows go with the last flow that learns them.
ovs-ofctl del-flows "$VSM" || fail "del-flows"
ovs-ofctl add-flow "$VSM" "priority=100 actions=learn(table=1,cookie=0x5,delete_learned,NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],output:NXM_OF_IN_PORT[]),resubmit(,1)" \
    || fail "add-flow learn delete_learned"
ovs-ofctl add-flow "$VSM" "table=1,priority=0 actions=FLOOD" || fail "add-flow FLOOD"
ping_retry 1 2 || fail "h1 cannot ping h2 through delete_learned flows"
[ "$(ovs-ofctl dump-flows "$VSM" "table=1,cookie=0x5/-1" | grep -c dl_dst=)" = 2 ] \
    || fail "2 flows with cookie 0x5 expected: $(ovs-ofctl dump-flows "$VSM" table=1)"
ovs-ofctl del-flows "$VSM" table=0 || fail "del-flows table=0"
wait_until 5 sh -c "! ovs-ofctl dump-flows '$VSM' table=1 | grep -q dl_dst=" \
    || fail "learned flows outlive their learn: $(ovs-ofctl dump-flows "$VSM" table=1)"
ovs-ofctl dump-flows "$VSM" table=1 | grep -q "priority=0 actions=FLOOD" \
    || fail "delete_learned took the FLOOD flow too"
log "learn: MAC learning flows as Open vSwitch prints them, traffic through them, delete_learned"

# A packet-out learns too, as through Open vSwitch: its frame's source MAC
# becomes a table 1 flow, and NORMAL inside it learns the MAC.
both del-flows
PO_MAC=02:00:00:00:77:01
PO_FRAME=ffffffffffff$(echo $PO_MAC | tr -d :)88b5$(printf '%092d' 0)
both packet-out "in_port=$P1 packet=$PO_FRAME actions=learn(table=1,cookie=0x7,NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],output:NXM_OF_IN_PORT[]),NORMAL"
wait_until 5 sh -c "ovs-ofctl dump-flows '$VSM' table=1 | grep -q 'cookie=0x7.*dl_dst=$PO_MAC actions=output:$P1'" \
    || fail "packet-out learned no flow: $(ovs-ofctl dump-flows "$VSM" table=1)"
compare "a flow learned by a packet-out" table=1
vs-appctl -t "$VS_RUNDIR/vs-vswitchd.$VSW_PID.ctl" fdb/show "$BR" | grep -q "$PO_MAC" \
    || fail "NORMAL in a packet-out did not learn $PO_MAC: $(vs-appctl -t "$VS_RUNDIR/vs-vswitchd.$VSW_PID.ctl" fdb/show "$BR" 2>&1)"
log "learn: a packet-out learns a flow, and NORMAL in it the MAC"

# ---- Packet-ins carry the registers. ----
ovs-ofctl del-flows "$VSM" || fail "del-flows"
ovs-ofctl -O OpenFlow13 add-flow "$VSM" \
    "priority=100,in_port=$P1 actions=set_field:$P2->reg0,load:0xabc->reg5[],goto_table:1" \
    || fail "add-flow reg5"
ovs-ofctl -O OpenFlow13 add-flow "$VSM" "table=1,reg5=0xabc actions=CONTROLLER:64" \
    || fail "add-flow CONTROLLER"
# Two monitors: the standard OF1.3 packet-in (its match) and the
# NXT_PACKET_IN2 ovs-ofctl asks for by default (its metadata property).
start_daemon monitor-std env OVS_RUNDIR="$VS_TEST_DIR" \
    timeout 20 ovs-ofctl -O OpenFlow13 -P standard -vvconn monitor "$VSM" 65535
STD_PID=$DAEMON_PID
start_daemon monitor env OVS_RUNDIR="$VS_TEST_DIR" \
    timeout 20 ovs-ofctl -O OpenFlow13 -vvconn monitor "$VSM" 65535
MON_LOG=$VS_LOGDIR/monitor.out
STD_LOG=$VS_LOGDIR/monitor-std.out
for L in "$MON_LOG" "$STD_LOG"; do
    wait_until 10 grep -q "sent (Success): OFPT_SET_CONFIG" "$L" \
        || fail "monitor did not connect: $(cat "$L")"
done
sleep 0.5
ns h1 ping -c 2 -i 0.2 -W 1 "10.$NET.0.2" >/dev/null 2>&1
wait_until 5 grep -q "NXT_PACKET_IN2 (OF1.3).*table_id=1 .*reg0=$X2,reg5=0xabc,in_port=$P1 " "$MON_LOG" \
    || fail "no packet-in2 with the registers: $(grep -A1 PACKET_IN "$MON_LOG" | head -4)"
wait_until 5 grep -q "OFPT_PACKET_IN (OF1.3).*table_id=1 .*reg0=$X2,reg5=0xabc,in_port=$P1 " "$STD_LOG" \
    || fail "no packet-in with the registers: $(grep -A1 PACKET_IN "$STD_LOG" | head -4)"
kill "$DAEMON_PID" "$STD_PID" 2>/dev/null
log "packet-ins carry the registers, as ovs-ofctl monitor reads them"

# ---- Bad register matches: an error each, the connection stays. ----
ofctl_error() {
    _name=$1 _pat=$2; shift 2
    "$@" >"$W/err" 2>&1 && fail "$_name: succeeded: $(cat "$W/err")"
    grep -q "$_pat" "$W/err" || fail "$_name: no '$_pat' in: $(cat "$W/err")"
}
ofctl_error "vs-ofctl reg16" "reg16" vs-ofctl add-flow "$VSM" "reg16=1,actions=drop"
ofctl_error "vs-ofctl reg0 too wide" "reg0" vs-ofctl add-flow "$VSM" "reg0=0x100000000,actions=drop"
ofctl_error "vs-ofctl load beyond reg0" "reg0" vs-ofctl add-flow "$VSM" "actions=load:1->reg0[31..32]"
# NXT_FLOW_MOD with nx_match NXM_NX_REG0 3 bytes long, and others
# (nx_flow_mod, error_is, raw: ofctl-pair-lib.sh).
out=$(raw "$(nx_flow_mod 56 7 '00010003000005''00')") || fail "connection lost: $out"
error_is "NXM_NX_REG0 of 3 bytes" 1 6 "$out"
# (class 0x0001 field 16 is NXM_NX_TUN_ID: 4 bytes are a bad length.)
out=$(raw "$(nx_flow_mod 56 8 '0001200400000005')") || fail "connection lost: $out"
error_is "NXM_NX_TUN_ID of 4 bytes" 1 6 "$out"
out=$(raw "$(nx_flow_mod 56 8 '0001fe0400000005')") || fail "connection lost: $out"
error_is "unknown Nicira field 127" 1 257 "$out"
# reg0 and xreg0 (which covers it) in one match: a duplicate field.
out=$(raw "$(nx_flow_mod 72 20 '000100040000000580010008000000000000000100000000')") \
    || fail "connection lost: $out"
error_is "reg0 and xreg0" 1 261 "$out"
# NXT_FLOW_AGE: both switches take it silently; with a body, BAD_LEN.
for T in "$VSM" "$OVSM"; do
    out=$(/usr/bin/python3 "$top_srcdir/tests/system/of-raw.py" send10 "$T" \
          "0104001000000000""00002320""00000012") || fail "$T: connection lost: $out"
    printf '%s\n' "$out" | grep -q '^1 ' && fail "$T: NXT_FLOW_AGE got an error: $out"
done
out=$(raw "0104001800000000""00002320""00000012""0000000000000000") \
    || fail "connection lost: $out"
error_is "NXT_FLOW_AGE with a body" 1 6 "$out"
kill -0 "$VSW_PID" || fail "vs-vswitchd died"
pass
