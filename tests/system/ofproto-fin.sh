#!/bin/sh
# fin_timeout (NXAST_FIN_TIMEOUT) and learn's fin timeouts, against
# vs-vswitchd and Debian's ovs-vswitchd in the same run:
#   - flows with fin_timeout, added through plain ovs-ofctl (OpenFlow 1.0),
#     ovs-ofctl -O OpenFlow13 and vs-ofctl, dump the same from both
#     switches; a 24-byte fin_timeout gets OFPBAC_BAD_LEN from both;
#   - a packet-out's learn with fin_idle_timeout/fin_hard_timeout makes, on
#     both switches, a learned flow whose actions start with the
#     fin_timeout (the order is Open vSwitch's own, not a guess);
#   - real TCP between two namespaced hosts through vs-vswitchd, over flows
#     tcp,idle_timeout=60,actions=fin_timeout(idle_timeout=2),output:..:
#     while the connection is open (data, no FIN) the flows keep 60; once
#     it closes (the FINs go through the datapath's megaflows, not an
#     upcall) dump-flows shows idle_timeout=2 within a few seconds, and the
#     flows then expire with a flow_removed of reason idle;
#   - a RST in an upcalled packet lowers its rule's timeout at once, and
#     only that rule's.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/system/lib.sh"
. "$top_srcdir/tests/system/dp-lib.sh"
. "$top_srcdir/bench/ovs-lib.sh"
. "$top_srcdir/tests/system/ofctl-pair-lib.sh"
require_root
require_cmd ovs-ofctl socat python3 vs-vswitchd vs-dpctl vs-appctl vs-ofctl
NET=246
pair_start

# ---- fin_timeout flows print as Open vSwitch prints them. ----
cat >"$W/flows" <<'EOF'
tcp,idle_timeout=60,actions=fin_timeout(idle_timeout=2,hard_timeout=30),output:1
table=1,tcp,actions=fin_timeout()
table=2,tcp6,hard_timeout=100,actions=fin_timeout(hard_timeout=7),NORMAL
table=3,priority=5,tcp,tp_dst=80,actions=fin_timeout(idle_timeout=0x10),fin_timeout(hard_timeout=65535)
EOF
both add-flows "$W/flows"
compare "fin_timeout flows added in OpenFlow 1.0"
grep -q 'actions=fin_timeout(idle_timeout=2,hard_timeout=30),output:1' "$W/vs.dump" \
    || fail "fin_timeout not printed as ovs-ofctl does: $(cat "$W/vs.dump")"
OFOPTS="-O OpenFlow13" compare "fin_timeout flows added in OpenFlow 1.0, dumped in 1.3"
both del-flows
OFOPTS="-O OpenFlow13" both add-flows "$W/flows"
OFOPTS="-O OpenFlow13" compare "fin_timeout flows added in OpenFlow 1.3"
compare "fin_timeout flows added in OpenFlow 1.3, dumped in 1.0"
# vs-ofctl sends the same flows to both: they read back alike.
for T in "$VSM" "$OVSM"; do
    ovs-ofctl del-flows "$T" || fail "del-flows $T"
    vs-ofctl add-flows "$T" "$W/flows" || fail "vs-ofctl add-flows to $T"
done
compare "fin_timeout flows added by vs-ofctl"
vs-ofctl --no-stats dump-flows "$VSM" | sed 's/^ *//' | sort >"$W/by-vs-ofctl"
diff -u "$W/vs.sorted" "$W/by-vs-ofctl" >&2 \
    || fail "vs-ofctl reads the fin_timeout flows otherwise (- ovs-ofctl)"
# A fin_timeout action of 24 bytes: OFPBAC_BAD_LEN (type 2, code 1) from
# both switches, the connection stays.
BAD_FIN="0104004800000000""00002320""0000000d""0000000000000000""0000""0000""0000""8000""ffffffff""ffff""0000""0000000000000000""ffff0018000023200013000200000000""0000000000000000"
for T in "$VSM" "$OVSM"; do
    out=$(python3 "$top_srcdir/tests/system/of-raw.py" send10 "$T" "$BAD_FIN") \
        || fail "$T: connection lost: $out"
    printf '%s\n' "$out" | grep -q "^1 0101....0000000.00020001" \
        || fail "$T: 24-byte fin_timeout: no OFPBAC_BAD_LEN in: $out"
done
log "$n_compared dumps of fin_timeout flows equal to Open vSwitch's; bad length refused alike"

# ---- learn's fin timeouts: the learned flow as Open vSwitch makes it. ----
both del-flows
PO_MAC=02:00:00:00:46:01
PO_FRAME=ffffffffffff$(echo $PO_MAC | tr -d :)88b5$(printf '%092d' 0)
both packet-out "in_port=$P1 packet=$PO_FRAME actions=learn(table=1,cookie=0x9,idle_timeout=60,fin_idle_timeout=5,fin_hard_timeout=20,NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],output:NXM_OF_IN_PORT[])"
for T in "$VSM" "$OVSM"; do
    wait_until 5 sh -c "ovs-ofctl dump-flows '$T' table=1 | grep -q 'dl_dst=$PO_MAC'" \
        || fail "$T: packet-out learned no flow: $(ovs-ofctl dump-flows "$T" table=1)"
done
compare "a learned flow with fin timeouts" table=1
grep -q "dl_dst=$PO_MAC actions=fin_timeout(idle_timeout=5,hard_timeout=20),output:$P1" "$W/vs.dump" \
    || fail "learned flow lacks its fin_timeout: $(cat "$W/vs.dump")"
OFOPTS="-O OpenFlow13" compare "a learned flow with fin timeouts, in 1.3" table=1
log "learn: the learned flow carries fin_timeout(...) as in Open vSwitch"

# ---- Real TCP: a FIN lowers the idle timeout, the flows then expire. ----
ovs-ofctl del-flows "$VSM" || fail "del-flows"
cat >"$W/tcp-flows" <<EOF
priority=100,tcp,in_port=$P1,idle_timeout=60,send_flow_rem,actions=fin_timeout(idle_timeout=2),output:$P2
priority=100,tcp,in_port=$P2,idle_timeout=60,send_flow_rem,actions=fin_timeout(idle_timeout=2),output:$P1
priority=0,actions=NORMAL
EOF
ovs-ofctl add-flows "$VSM" "$W/tcp-flows" || fail "add-flows tcp"
start_daemon monitor env OVS_RUNDIR="$VS_TEST_DIR" \
    timeout 60 ovs-ofctl -O OpenFlow13 -vvconn monitor "$VSM" 65535
MON_LOG=$VS_LOGDIR/monitor.out
wait_until 10 grep -q "sent (Success): OFPT_SET_CONFIG" "$MON_LOG" \
    || fail "monitor did not connect: $(cat "$MON_LOG")"
ping_retry 1 2 || fail "h1 cannot ping h2"

tcp_timeouts() { # prints the idle_timeout of each of the two tcp flows
    ovs-ofctl dump-flows "$VSM" tcp | sed -n 's/.*idle_timeout=\([0-9]*\),.*/\1/p' | sort -u | tr '\n' ' '
}
# h2 takes one connection and reads it to the end; h1 sends a line every
# 0.3 s for 4 s (PSH/ACK, no FIN), then closes.
start_daemon server ns h2 timeout 30 socat -u TCP-LISTEN:5001,reuseaddr OPEN:/dev/null
SERVER_PID=$DAEMON_PID
wait_until 5 sh -c "ip netns exec '$VS_T-h2' ss -ltn | grep -q ':5001 '" \
    || fail "no listener on h2"
start_daemon client ns h1 timeout 30 sh -c \
    "for i in \$(seq 1 13); do echo line \$i; sleep 0.3; done | socat -u STDIN TCP:10.$NET.0.2:5001"
CLIENT_PID=$DAEMON_PID
sleep 2.5
[ "$(tcp_timeouts)" = "60 " ] \
    || fail "idle timeouts changed before any FIN: '$(tcp_timeouts)': $(ovs-ofctl dump-flows "$VSM")"
ovs-ofctl dump-flows "$VSM" tcp | grep -q "n_packets=[1-9][0-9]*, .*in_port=$P1" \
    || fail "the connection's packets did not go through the tcp flow: $(ovs-ofctl dump-flows "$VSM")"
vs-dpctl dump-flows "$(link_name nb)" >"$W/megaflows" 2>&1
grep "output:$P2" "$W/megaflows" | grep -q " flags:[SP.]* " \
    || fail "no megaflow carries the connection with SYN/PSH/ACK only: $(cat "$W/megaflows")"
log "open connection: the tcp flows keep idle_timeout=60"
wait_until 10 sh -c "! kill -0 $CLIENT_PID 2>/dev/null" || fail "client did not finish"
wait_until 10 sh -c "! kill -0 $SERVER_PID 2>/dev/null" || fail "server did not see the end"
# The datapath counted the FINs on the connection's megaflows (both ways).
vs-dpctl dump-flows "$(link_name nb)" >"$W/megaflows" 2>&1
for p in $P1 $P2; do
    grep "output:$p" "$W/megaflows" | grep -q " flags:[^ ]*F" \
        || fail "no FIN in the TCP flags of the megaflow to port $p: $(cat "$W/megaflows")"
done
wait_until 4 sh -c "[ \"\$(ovs-ofctl dump-flows '$VSM' tcp | grep -c 'idle_timeout=2,')\" = 2 ]" \
    || fail "FIN did not bring the idle timeouts to 2: $(ovs-ofctl dump-flows "$VSM")"
log "after the FINs: both tcp flows show idle_timeout=2"
# The FINs came through the datapath (its TCP flags by handle), not as
# upcalls: the connection's megaflows were in place long before.
fins=$(vs-appctl -t "$VS_RUNDIR/vs-vswitchd.$VSW_PID.ctl" coverage/show \
       | awk '$1 == "dp_switch_fin_counters" { n = $NF } END { print n + 0 }')
[ "$fins" -gt 0 ] || fail "no pass saw FIN in the datapath's counters: $(vs-appctl -t "$VS_RUNDIR/vs-vswitchd.$VSW_PID.ctl" coverage/show | grep fin)"
wait_until 8 sh -c "! ovs-ofctl dump-flows '$VSM' | grep -q tcp" \
    || fail "the tcp flows did not expire: $(ovs-ofctl dump-flows "$VSM")"
wait_until 3 sh -c "[ \"\$(grep -c '^OFPT_FLOW_REMOVED.*reason=idle .* idle2 ' '$MON_LOG')\" = 2 ]" \
    || fail "no two flow_removed of reason idle, idle2: $(grep '^OFPT_FLOW_REMOVED' "$MON_LOG")"
log "the tcp flows expired 2 s after the connection, flow_removed reason=idle"

# ---- RST in an upcalled packet: only the rule it went through changes. ----
# Nothing listens on h2's port 5002: h1's SYN goes up (tp_dst=5002 rule),
# h2's RST goes up too (tp_src=5002 rule: a new megaflow, its first packet)
# and lowers that rule's idle timeout at once; the SYN's rule keeps 60.
cat >"$W/rst-flows" <<EOF
priority=200,tcp,in_port=$P1,tp_dst=5002,idle_timeout=60,actions=fin_timeout(idle_timeout=3),output:$P2
priority=200,tcp,in_port=$P2,tp_src=5002,idle_timeout=60,actions=fin_timeout(idle_timeout=3),output:$P1
EOF
ovs-ofctl add-flows "$VSM" "$W/rst-flows" || fail "add-flows rst"
sleep 1.5                       # Older megaflows revalidated away.
ns h1 timeout 5 socat -u /dev/null TCP:10.$NET.0.2:5002 2>/dev/null \
    && fail "connected to a port nobody listens on"
wait_until 3 sh -c "ovs-ofctl dump-flows '$VSM' | grep -q 'idle_timeout=3, .*tcp,in_port=$P2,tp_src=5002'" \
    || fail "RST did not lower the idle timeout: $(ovs-ofctl dump-flows "$VSM")"
ovs-ofctl dump-flows "$VSM" | grep -q "n_packets=[1-9].*idle_timeout=60, .*tcp,in_port=$P1,tp_dst=5002" \
    || fail "the SYN's rule changed or saw nothing: $(ovs-ofctl dump-flows "$VSM")"
fins=$(vs-appctl -t "$VS_RUNDIR/vs-vswitchd.$VSW_PID.ctl" coverage/show \
       | awk '$1 == "dp_switch_fin_upcall" { n = $NF } END { print n + 0 }')
[ "$fins" -gt 0 ] || fail "no upcall applied a RST: $(vs-appctl -t "$VS_RUNDIR/vs-vswitchd.$VSW_PID.ctl" coverage/show | grep fin)"
log "RST at an upcall: its rule's idle timeout is 3 at once, the SYN's rule keeps 60"
kill -0 "$VSW_PID" || fail "vs-vswitchd died"
pass
