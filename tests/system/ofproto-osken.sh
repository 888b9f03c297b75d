#!/bin/sh
# An os-ken controller drives a bridge in secure fail mode: without the
# controller nothing passes; with it, the table-miss flow it installs sends
# packets to it, it learns MACs from packet-ins, answers with packet-outs
# and installs per-destination flows, and namespaced hosts ping through
# those flows.  The app is a MAC-learning switch in the manner of os-ken's
# simple_switch_13 sample (which Debian's python3-os-ken does not ship).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/system/lib.sh"
. "$top_srcdir/tests/system/dp-lib.sh"
require_root
require_cmd ovs-ofctl osken-manager
[ -f "$top_srcdir/ofproto/xlate.c" ] && [ -f "$top_srcdir/ofproto/connmgr.c" ] \
    && [ -f "$top_srcdir/vswitchd/bridge-openflow.c" ] \
    || skip "needs the whole OpenFlow switch (connmgr, xlate, bridge parts)"
NET=213
PORT=$((20000 + $$ % 20000))
bpffs_setup
BR=br$$
CFG=$VS_TEST_DIR/vswitchd.json
on_exit "vs-dpctl del-dp $BR"
for i in 1 2 3; do host $i; done
cat >"$CFG" <<EOT
{"bridges": {"$BR": {"controller": ["tcp:127.0.0.1:$PORT"], "fail_mode": "secure",
  "protocols": ["OpenFlow13"],
  "ports": {"$(link_name p1)": {}, "$(link_name p2)": {}, "$(link_name p3)": {}}}}}
EOT
vsw_start "$CFG"
wait_until 10 dp_has_ports $BR 3 || fail "ports not added"
MGMT=unix:$VS_RUNDIR/$BR.mgmt
wait_until 10 test -S "$VS_RUNDIR/$BR.mgmt" || fail "no mgmt socket"
of() { ovs-ofctl -O OpenFlow13 "$@"; }

log "secure mode without a controller: nothing passes"
ping_ok 1 2 && fail "secure bridge switched without a controller: $(of dump-flows $MGMT)"

cat >"$VS_TEST_DIR/learning_switch.py" <<'EOT'
from os_ken.base import app_manager
from os_ken.controller import ofp_event
from os_ken.controller.handler import CONFIG_DISPATCHER, MAIN_DISPATCHER
from os_ken.controller.handler import set_ev_cls
from os_ken.lib.packet import ethernet, packet
from os_ken.ofproto import ofproto_v1_3


class LearningSwitch(app_manager.OSKenApp):
    OFP_VERSIONS = [ofproto_v1_3.OFP_VERSION]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.macs = {}

    def add_flow(self, dp, priority, match, actions):
        p = dp.ofproto_parser
        inst = [p.OFPInstructionActions(dp.ofproto.OFPIT_APPLY_ACTIONS,
                                        actions)]
        dp.send_msg(p.OFPFlowMod(datapath=dp, priority=priority, match=match,
                                 instructions=inst))

    @set_ev_cls(ofp_event.EventOFPSwitchFeatures, CONFIG_DISPATCHER)
    def features(self, ev):
        dp = ev.msg.datapath
        p, o = dp.ofproto_parser, dp.ofproto
        self.add_flow(dp, 0, p.OFPMatch(),
                      [p.OFPActionOutput(o.OFPP_CONTROLLER,
                                         o.OFPCML_NO_BUFFER)])

    @set_ev_cls(ofp_event.EventOFPPacketIn, MAIN_DISPATCHER)
    def packet_in(self, ev):
        msg = ev.msg
        dp = msg.datapath
        p, o = dp.ofproto_parser, dp.ofproto
        in_port = msg.match['in_port']
        eth = packet.Packet(msg.data).get_protocols(ethernet.ethernet)[0]
        macs = self.macs.setdefault(dp.id, {})
        macs[eth.src] = in_port
        out_port = macs.get(eth.dst, o.OFPP_FLOOD)
        actions = [p.OFPActionOutput(out_port)]
        if out_port != o.OFPP_FLOOD:
            self.add_flow(dp, 1, p.OFPMatch(in_port=in_port, eth_dst=eth.dst,
                                            eth_src=eth.src), actions)
        dp.send_msg(p.OFPPacketOut(datapath=dp, buffer_id=o.OFP_NO_BUFFER,
                                   in_port=in_port, actions=actions,
                                   data=msg.data))
EOT

log "the os-ken app connects and installs its table-miss flow"
start_daemon osken osken-manager --ofp-tcp-listen-port $PORT \
    --ofp-listen-host 127.0.0.1 "$VS_TEST_DIR/learning_switch.py"
wait_until 20 sh -c "ovs-ofctl -O OpenFlow13 dump-flows $MGMT | grep -q 'priority=0 actions=CONTROLLER:65535'" \
    || fail "no table-miss flow: $(of dump-flows $MGMT); $(tail -20 "$VS_LOGDIR/osken.out")"

log "hosts ping through the flows the controller installs"
ping_retry 1 2 || fail "1 -> 2: $(of dump-flows $MGMT)"
ping_retry 2 3 || fail "2 -> 3: $(of dump-flows $MGMT)"
ping_retry 3 1 || fail "3 -> 1: $(of dump-flows $MGMT)"
n=$(of dump-flows $MGMT | grep -c "priority=1,in_port=")
[ "$n" -ge 4 ] || fail "learned flows: $(of dump-flows $MGMT)"
log "$n learned flows"
kill -0 $VSW_PID || fail "vs-vswitchd died"
pass
