# The os-ken controller scenario, for any switch that follows the Open_vSwitch
# database and speaks OpenFlow 1.3: run by tests/system/osken-controller.sh
# against vs-vswitchd and by bench/osken-ovs.sh against Debian's
# ovs-vswitchd (where it was first made to pass).
# Source after tests/system/lib.sh and tests/system/dp-lib.sh.
#
# The caller sets, before osken_scenario:
#   SW_VSCTL   database client command, e.g. "vs-vsctl --db=unix:... --timeout=20"
#   SW_OFCTL   OpenFlow client command with its target appended by the scenario,
#              e.g. "ovs-ofctl -O OpenFlow13"
#   SW_MGMT    OpenFlow target of the bridge, e.g. unix:$VS_RUNDIR/br.mgmt
#   BR         the bridge, made by the caller with ports $(link_name p1..p3)
#              of hosts h1..h3 (dp-lib.sh `host`), fail_mode unset
#   NET        the hosts' subnet byte (dp-lib.sh)
#   SW_NS      optional: lib.sh namespace name the switch runs in; os-ken then
#              runs there too, on that namespace's loopback

# The bundled simple_switch_13 if this os-ken ships it, else ours (same flows).
osken_app() {
    _bundled=$(/usr/bin/python3 -c 'import os, os_ken.app as a; print(os.path.join(os.path.dirname(a.__file__), "simple_switch_13.py"))' 2>/dev/null)
    if [ -n "$_bundled" ] && [ -f "$_bundled" ]; then
        echo "$_bundled"
    else
        echo "$top_srcdir/tests/system/osken-l2-learning.py"
    fi
}

# sw_ns_exec: the command prefix that runs a command in the switch's namespace.
sw_ns_exec() { [ -z "${SW_NS:-}" ] || echo "ip netns exec $VS_T-$SW_NS"; }

# free_tcp_port: a TCP port on 127.0.0.1 nothing listens on now.
free_tcp_port() {
    $(sw_ns_exec) /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# osken_start: os-ken with the learning app on 127.0.0.1:$OSKEN_PORT (chosen on
# the first call, kept across restarts); sets OSKEN_PID.
osken_start() {
    : "${OSKEN_PORT:=$(free_tcp_port)}"
    _app=$(osken_app)
    start_daemon "osken.$(date +%s%N)" $(sw_ns_exec) /usr/bin/python3 -m os_ken.cmd.manager \
        --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port "$OSKEN_PORT" "$_app"
    OSKEN_PID=$DAEMON_PID
    wait_until 30 sh -c "$(sw_ns_exec) ss -Hltn 'sport = :$OSKEN_PORT' | grep -q LISTEN" \
        || fail "os-ken did not listen on 127.0.0.1:$OSKEN_PORT"
    log "os-ken ($OSKEN_PID, $(basename "$_app")) listens on 127.0.0.1:$OSKEN_PORT"
}

osken_stop() {
    kill "$OSKEN_PID" 2>/dev/null
    wait "$OSKEN_PID" 2>/dev/null
    log "os-ken stopped"
}

sw_flows() { $SW_OFCTL dump-flows "$SW_MGMT" 2>&1; }

# app_flow_packets SRC_MAC DST_MAC: n_packets of the app's flow for that pair,
# empty if there is none.
app_flow_packets() {
    sw_flows | grep "priority=1," | grep -i "dl_src=$1" | grep -i "dl_dst=$2" \
        | sed -n 's/.*n_packets=\([0-9]*\).*/\1/p' | head -1
}

# flow_reached SRC_MAC DST_MAC N: the app's flow for the pair has >= N packets.
flow_reached() {
    _n=$(app_flow_packets "$1" "$2")
    [ -n "$_n" ] && [ "$_n" -ge "$3" ]
}

controller_disconnected() { ! controller_connected; }
controller_connected() {
    [ "$($SW_VSCTL get Controller "$CTRL_UUID" is_connected 2>/dev/null)" = true ]
}
table_miss_to_controller() { sw_flows | grep "priority=0" | grep -q "actions=CONTROLLER"; }

# no_ping_for SECS FROM TO: pings FROM -> TO for SECS seconds; all must fail.
no_ping_for() {
    _end=$(( $(date +%s) + $1 ))
    while [ "$(date +%s)" -lt "$_end" ]; do
        ping_ok "$2" "$3" && return 1
    done
    return 0
}

osken_scenario() {
    m1=$(mac_of 1) m2=$(mac_of 2) m3=$(mac_of 3)

    log "secure fail mode, no controller: the bridge drops everything"
    $SW_VSCTL set-fail-mode "$BR" secure || fail "set-fail-mode secure"
    ping_retry 1 2 && fail "secure bridge without controller forwarded"

    log "os-ken connects; hosts ping through the flows it installs"
    osken_start
    # A 1 s inactivity probe: the loss of the controller is seen within
    # seconds, which bounds the standalone fail-open wait below.
    $SW_VSCTL set-controller "$BR" "tcp:127.0.0.1:$OSKEN_PORT" || fail "set-controller"
    CTRL_UUID=$($SW_VSCTL get Bridge "$BR" controller | tr -d '[]')
    $SW_VSCTL set Controller "$CTRL_UUID" inactivity_probe=1000 || fail "inactivity_probe"
    wait_until 30 table_miss_to_controller || fail "no table-miss flow from os-ken: $(sw_flows)"
    wait_until 10 controller_connected \
        || fail "Controller.is_connected: $($SW_VSCTL list Controller)"
    wait_until 15 ping_ok 1 2 || fail "h1 -> h2 through os-ken"
    n12=$(app_flow_packets "$m1" "$m2")
    n21=$(app_flow_packets "$m2" "$m1")
    [ -n "$n12" ] && [ -n "$n21" ] || fail "the app's h1<->h2 flows are missing: $(sw_flows)"
    log "app flows h1->h2 n_packets=$n12, h2->h1 n_packets=$n21"
    ns h1 ping -c 5 -i 0.2 -W 1 "10.$NET.0.2" >/dev/null || fail "h1 -> h2 again"
    wait_until 10 flow_reached "$m1" "$m2" $((n12 + 5)) \
        || fail "h1->h2 flow counter did not grow by 5 from $n12: $(sw_flows)"
    wait_until 10 flow_reached "$m2" "$m1" $((n21 + 5)) \
        || fail "h2->h1 flow counter did not grow by 5 from $n21: $(sw_flows)"

    log "secure: with os-ken stopped no new flows are made"
    osken_stop
    wait_until 10 controller_disconnected \
        || fail "Controller.is_connected still true"
    # h1 -> h3 never had flows; 6 s is twice the fail-open delay below.
    no_ping_for 6 1 3 || fail "secure bridge forwarded h1 -> h3 without a controller"
    [ -z "$(app_flow_packets "$m1" "$m3")" ] || fail "a flow appeared without a controller"
    sw_flows | grep -q "priority=0.*actions=CONTROLLER" \
        || log "(the switch removed the table-miss flow on disconnect)"

    log "standalone: with os-ken stopped the bridge falls back to NORMAL"
    osken_start
    $SW_VSCTL set-fail-mode "$BR" standalone || fail "set-fail-mode standalone"
    wait_until 30 controller_connected || fail "os-ken did not reconnect"
    wait_until 15 ping_ok 1 3 || fail "h1 -> h3 through os-ken (standalone, connected)"
    [ -n "$(app_flow_packets "$m1" "$m3")" ] || fail "no app flow for h1 -> h3: $(sw_flows)"
    osken_stop
    # h2 -> h3 never had a flow: only NORMAL can carry it.  Fail-open starts
    # a few inactivity probes (1 s) after the connection is lost.
    t0=$(date +%s)
    wait_until 40 ping_ok 2 3 || fail "no fallback to NORMAL within 40 s: $(sw_flows)"
    log "h2 -> h3 via NORMAL after $(( $(date +%s) - t0 )) s"
    [ -z "$(app_flow_packets "$m2" "$m3")" ] || fail "h2 -> h3 went through an app flow"
    ping_retry 3 1 || fail "h3 -> h1 in fail-open"
}
