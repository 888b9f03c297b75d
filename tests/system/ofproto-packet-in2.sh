#!/bin/sh
# NXT_PACKET_IN2 and controller(userdata=...), against vs-vswitchd and
# Debian's ovs-vswitchd in the same run:
#   - both switches read back controller(userdata=...) flows alike
#     (NXAST_CONTROLLER2), OpenFlow 1.0 and 1.3;
#   - the same UDP frame, sent from a namespaced host on each switch,
#     goes through load:->reg3, resubmit(,1) and
#     controller(userdata=01.02.03.04); `ovs-ofctl monitor` (which asks
#     for NXT_PACKET_IN2) prints the same NXT_PACKET_IN2 from both, with
#     the userdata, the registers, the table and the cookie (ports
#     normalized), in OpenFlow 1.0 and 1.3; max_len=20 truncates it, with
#     full_len (vswitch only: Open vSwitch sends whole frames);
#   - `ovs-ofctl -O OpenFlow13 -P nxt_packet_in monitor` gets NXT_PACKET_IN
#     on an OpenFlow 1.3 connection, `-P standard` OFPT_PACKET_IN, the same
#     as from Open vSwitch;
#   - vs-ofctl -P nxt_packet_in2 monitor prints what ovs-ofctl prints for
#     the same message, from either switch;
#   - controller(pause) is refused with an error, the connection stays.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/system/lib.sh"
. "$top_srcdir/tests/system/dp-lib.sh"
. "$top_srcdir/bench/ovs-lib.sh"
. "$top_srcdir/tests/system/ofctl-pair-lib.sh"
require_root
require_cmd ovs-ofctl python3 vs-vswitchd vs-dpctl vs-ofctl
NET=244
pair_start

# A host on Open vSwitch's bridge too, with h1's MAC.
MAC1=$(mac_of 1)
host 3 "$MAC1"
P3L=$(link_name p3)
ip link set "$P3L" netns "$VS_T-ovs" || fail "move $P3L"
ip -n "$VS_T-ovs" link set "$P3L" up
$OVSCTL add-port "$(link_name no)" "$P3L" || fail "add-port $P3L"
wait_until 10 sh -c "ovs-ofctl show '$OVSM' | grep -q '($P3L)'" \
    || fail "no $P3L on Open vSwitch: $(ovs-ofctl show "$OVSM")"

# One UDP frame, byte for byte the same from h1 (vswitch) and h3 (OVS).
FRAME=$(printf "%s" "020202020202${MAC1}08004500002000010000401166ca0a0000010a00000200350035000c000041424344" | tr -d :)
send_frame() { # HOST
    ns "$1" python3 -c "
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(('$1', 0))
s.send(bytes.fromhex('$FRAME'))"
}

# ---- Flows with userdata read back alike. ----
cat >"$W/flows" <<'EOF2'
priority=100,udp actions=load:0x55->NXM_NX_REG3[],resubmit(,1)
table=1,cookie=0x1234,udp,tp_dst=53 actions=controller(userdata=01.02.03.04)
table=1,cookie=0x99,priority=5,udp actions=controller(max_len=20,id=0,userdata=00.11.22.33.44.55.66.77.88)
table=2,actions=controller(max_len=10,id=3),controller(id=4,userdata=aa)
EOF2
both add-flows "$W/flows"
compare "controller(userdata=...) flows added in OpenFlow 1.0"
OFOPTS="-O OpenFlow13" compare "controller(userdata=...) flows dumped in OpenFlow 1.3"
OFOPTS="-O OpenFlow13" both add-flow "table=3,actions=controller(userdata=01.02,reason=invalid_ttl)"
compare "controller(userdata=...) flows added in OpenFlow 1.3"
vs-ofctl --no-stats dump-flows "$VSM" | sed 's/^ *//' | sort >"$W/vs-ofctl.dump"
sed 's/^ *//' "$W/ovs.dump" | sort >"$W/ovs-ofctl.dump"
ovs-ofctl --no-stats dump-flows "$OVSM" | sed 's/^ *//' | sort >"$W/ovs-ofctl.dump"
diff -u "$W/ovs-ofctl.dump" "$W/vs-ofctl.dump" >&2 \
    || fail "vs-ofctl prints the userdata flows differently (- ovs-ofctl)"
log "$n_compared dumps with controller(userdata=...) equal to Open vSwitch's"

# ---- The same packet-in2 from both switches. ----
# monitor_both NAME OVS-OFCTL-OPTIONS...: an ovs-ofctl monitor on each
# switch; the frame from h1 and from h3; their packet-ins, ports
# normalized, in $W/NAME.vs and $W/NAME.ovs.
monitor_both() {
    _name=$1; shift
    for _sw in vs ovs; do
        _t=$VSM; [ $_sw = ovs ] && _t=$OVSM
        OVS_RUNDIR=$VS_TEST_DIR timeout 10 ovs-ofctl "$@" monitor "$_t" 65535 \
            >"$W/$_name.$_sw.raw" 2>&1 &
        eval "_mon_$_sw=\$!"
    done
    sleep 1
    send_frame h1
    send_frame h3
    for _sw in vs ovs; do
        wait_until 5 grep -q "PACKET_IN" "$W/$_name.$_sw.raw" \
            || fail "$_name: no packet-in from $_sw: $(cat "$W/$_name.$_sw.raw")"
    done
    sleep 0.5
    kill "$_mon_vs" "$_mon_ovs" 2>/dev/null
    wait "$_mon_vs" "$_mon_ovs" 2>/dev/null
    sed -e "s/in_port=$P1\b/in_port=P/" "$W/$_name.vs.raw" >"$W/$_name.vs"
    _op=$(ovs-vsctl --db=unix:"$OVS_DIR"/db.sock get Interface "$P3L" ofport)
    sed -e "s/in_port=$_op\b/in_port=P/" "$W/$_name.ovs.raw" >"$W/$_name.ovs"
    [ "${MB_COMPARE:-yes}" = no ] || diff -u "$W/$_name.ovs" "$W/$_name.vs" >&2 \
        || fail "$_name: monitor output differs (- Open vSwitch, + vswitch)"
}

monitor_both pin2-of10
grep -q "^NXT_PACKET_IN2 (xid=0x0): table_id=1 cookie=0x1234 total_len=46 reg3=0x55,in_port=P (via action) data_len=46 (unbuffered)" \
    "$W/pin2-of10.vs" || fail "no NXT_PACKET_IN2 from table 1: $(cat "$W/pin2-of10.vs")"
grep -q "^ userdata=01.02.03.04$" "$W/pin2-of10.vs" \
    || fail "no userdata in the packet-in2: $(cat "$W/pin2-of10.vs")"
grep -q "^udp,.*dl_src=$MAC1,.*tp_dst=53" "$W/pin2-of10.vs" \
    || fail "no frame summary: $(cat "$W/pin2-of10.vs")"
log "OpenFlow 1.0: the same NXT_PACKET_IN2 with userdata from both switches"

monitor_both pin2-of13 -O OpenFlow13
grep -q "^NXT_PACKET_IN2 (OF1.3) (xid=0x0): table_id=1 cookie=0x1234 total_len=46 reg3=0x55,in_port=P (via action) data_len=46 (unbuffered)" \
    "$W/pin2-of13.vs" && grep -q "^ userdata=01.02.03.04$" "$W/pin2-of13.vs" \
    || fail "no NXT_PACKET_IN2 on OpenFlow 1.3: $(cat "$W/pin2-of13.vs")"
log "OpenFlow 1.3: the same NXT_PACKET_IN2 from both switches"

monitor_both nxt-of13 -O OpenFlow13 -P nxt_packet_in
grep -q "^NXT_PACKET_IN (OF1.3) (xid=0x0): table_id=1 cookie=0x1234 total_len=46 reg3=0x55,in_port=P (via action) data_len=46 (unbuffered)" \
    "$W/nxt-of13.vs" || fail "no NXT_PACKET_IN on OpenFlow 1.3: $(cat "$W/nxt-of13.vs")"
monitor_both std-of13 -O OpenFlow13 -P standard
grep -q "^OFPT_PACKET_IN (OF1.3) (xid=0x0): table_id=1 cookie=0x1234 total_len=46 reg3=0x55,in_port=P (via action) data_len=46 (unbuffered)" \
    "$W/std-of13.vs" || fail "no OFPT_PACKET_IN with -P standard: $(cat "$W/std-of13.vs")"
log "-P nxt_packet_in and -P standard on OpenFlow 1.3, as Open vSwitch"

# Truncated by max_len=20: full_len says how long the frame was.  (Open
# vSwitch, which never buffers, sends whole frames whatever max_len says;
# vswitch truncates in every format, as before: not compared.)
both --strict del-flows "table=1,udp,tp_dst=53"
MB_COMPARE=no monitor_both pin2-trunc
grep -q "^NXT_PACKET_IN2 (xid=0x0): table_id=1 cookie=0x99 total_len=46 reg3=0x55,in_port=P (via action) data_len=20 (unbuffered)" \
    "$W/pin2-trunc.vs" || fail "no truncated packet-in2: $(cat "$W/pin2-trunc.vs")"
grep -q "^ userdata=00.11.22.33.44.55.66.77.88$" "$W/pin2-trunc.vs" \
    || fail "no 9-byte userdata: $(cat "$W/pin2-trunc.vs")"
log "max_len truncates the packet-in2, full_len gives the length"

# ---- vs-ofctl monitor prints the packet-in2 as ovs-ofctl does. ----
# vs-ofctl -P nxt_packet_in2 and ovs-ofctl monitor the same switch at once
# (both switches: vs-ofctl reads Open vSwitch's packet-in2 too).
both del-flows "table=1"
both add-flow "table=1,cookie=0x1234,udp,tp_dst=53 actions=controller(userdata=01.02.03.04)"
for T in "$VSM" "$OVSM"; do
    H=h1; [ "$T" = "$OVSM" ] && H=h3
    timeout 6 vs-ofctl -P nxt_packet_in2 monitor "$T" 65535 >"$W/vs-ofctl.mon" 2>&1 &
    VMON=$!
    OVS_RUNDIR=$VS_TEST_DIR timeout 6 ovs-ofctl monitor "$T" 65535 >"$W/ovs-ofctl.mon" 2>&1 &
    OMON=$!
    sleep 1
    send_frame $H
    wait_until 5 grep -q "^ userdata=01.02.03.04" "$W/vs-ofctl.mon" \
        || fail "$T: vs-ofctl monitor did not show the packet-in2: $(cat "$W/vs-ofctl.mon")"
    wait_until 5 grep -q "^ userdata=01.02.03.04" "$W/ovs-ofctl.mon" \
        || fail "$T: ovs-ofctl monitor did not show the packet-in2: $(cat "$W/ovs-ofctl.mon")"
    kill "$VMON" "$OMON" 2>/dev/null
    wait "$VMON" "$OMON" 2>/dev/null
    # The message, its userdata and the frame's fields with its checksum.
    grep -A2 "^NXT_PACKET_IN2" "$W/ovs-ofctl.mon" | head -3 >"$W/pin2.ovs-ofctl"
    grep -A2 "^NXT_PACKET_IN2" "$W/vs-ofctl.mon" | head -3 >"$W/pin2.vs-ofctl"
    grep -q "^udp,.*tp_dst=53 udp_csum:" "$W/pin2.vs-ofctl" \
        || fail "$T: vs-ofctl shows no frame: $(cat "$W/vs-ofctl.mon")"
    diff -u "$W/pin2.ovs-ofctl" "$W/pin2.vs-ofctl" >&2 \
        || fail "$T: vs-ofctl prints NXT_PACKET_IN2 differently (- ovs-ofctl)"
done
log "vs-ofctl -P nxt_packet_in2 monitor prints what ovs-ofctl prints, frame line too"

# ---- vs-ofctl ofp-print reads a captured message as ovs-ofctl does. ----
# An OF1.0 packet-in of the same frame, written out here.
PIN_HEX=$(printf '010a%04x00000000ffffffff%04x00010100' \
          $((18 + ${#FRAME} / 2)) $((${#FRAME} / 2)))$FRAME
ovs-ofctl ofp-print "$PIN_HEX" >"$W/ofp-print.ovs" 2>&1 || fail "ovs-ofctl ofp-print: $(cat "$W/ofp-print.ovs")"
vs-ofctl ofp-print "$PIN_HEX" >"$W/ofp-print.vs" 2>&1 || fail "vs-ofctl ofp-print: $(cat "$W/ofp-print.vs")"
diff -u "$W/ofp-print.ovs" "$W/ofp-print.vs" >&2 \
    || fail "vs-ofctl ofp-print differs (- ovs-ofctl)"
log "vs-ofctl ofp-print prints a packet-in and its frame as ovs-ofctl does"

# ---- pause: refused, the connection stays. ----
ovs-ofctl add-flow "$VSM" "table=5,actions=controller(pause)" 2>"$W/pause.err" \
    && fail "controller(pause) was accepted"
grep -q "OFPBAC_BAD_ARGUMENT" "$W/pause.err" || fail "pause error: $(cat "$W/pause.err")"
vs-ofctl add-flow "$VSM" "table=5,actions=controller(pause)" 2>"$W/pause.err2" \
    && fail "vs-ofctl took controller(pause)"
grep -q "pause is not supported" "$W/pause.err2" || fail "vs-ofctl pause message: $(cat "$W/pause.err2")"
ovs-ofctl dump-flows "$VSM" table=5 >/dev/null || fail "the switch went away"
log "controller(pause) is refused (OFPBAC_BAD_ARGUMENT)"
pass
