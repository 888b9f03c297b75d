# An os-ken application (OpenFlow 1.3): an L2 learning switch run by
# tests/system/ofproto-osken.sh, and by osken-controller.sh when the os-ken
# package does not ship its simple_switch_13 example (Debian's does not).
#
# It behaves like that example, which is what the test checks:
#   - on connect: a table-miss flow (priority 0, match all) sending packets
#     to the controller, whole;
#   - on packet-in: learn in_port for eth_src; if eth_dst is known, install
#     priority=1,in_port=IN,eth_src=SRC,eth_dst=DST actions=output:PORT and
#     forward the packet there, else flood it (packet-out, no flow).
# Run with: osken-manager --ofp-tcp-listen-port PORT osken-l2-learning.py
from os_ken.base import app_manager
from os_ken.controller import ofp_event
from os_ken.controller.handler import CONFIG_DISPATCHER, MAIN_DISPATCHER
from os_ken.controller.handler import set_ev_cls
from os_ken.lib.packet import ethernet, ether_types, packet
from os_ken.ofproto import ofproto_v1_3


class L2Learning(app_manager.OSKenApp):
    OFP_VERSIONS = [ofproto_v1_3.OFP_VERSION]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # datapath id -> {mac: port}
        self.ports_by_mac = {}

    @staticmethod
    def _flow(dp, priority, match, actions):
        ofp, parser = dp.ofproto, dp.ofproto_parser
        inst = [parser.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, actions)]
        dp.send_msg(parser.OFPFlowMod(datapath=dp, priority=priority,
                                      match=match, instructions=inst))

    @set_ev_cls(ofp_event.EventOFPSwitchFeatures, CONFIG_DISPATCHER)
    def on_features(self, ev):
        dp = ev.msg.datapath
        ofp, parser = dp.ofproto, dp.ofproto_parser
        self.logger.info("switch %016x connected", dp.id)
        # Whole packets (no buffering) so packet-out can carry the data.
        self._flow(dp, 0, parser.OFPMatch(),
                   [parser.OFPActionOutput(ofp.OFPP_CONTROLLER,
                                           ofp.OFPCML_NO_BUFFER)])

    @set_ev_cls(ofp_event.EventOFPPacketIn, MAIN_DISPATCHER)
    def on_packet_in(self, ev):
        msg = ev.msg
        dp = msg.datapath
        ofp, parser = dp.ofproto, dp.ofproto_parser
        in_port = msg.match['in_port']
        eth = packet.Packet(msg.data).get_protocols(ethernet.ethernet)
        if not eth or eth[0].ethertype == ether_types.ETH_TYPE_LLDP:
            return
        src, dst = eth[0].src, eth[0].dst
        table = self.ports_by_mac.setdefault(dp.id, {})
        table[src] = in_port
        out_port = table.get(dst, ofp.OFPP_FLOOD)
        actions = [parser.OFPActionOutput(out_port)]
        if out_port != ofp.OFPP_FLOOD:
            self.logger.info("flow %s -> %s via port %d", src, dst, out_port)
            self._flow(dp, 1, parser.OFPMatch(in_port=in_port, eth_src=src,
                                              eth_dst=dst), actions)
        data = msg.data if msg.buffer_id == ofp.OFP_NO_BUFFER else None
        dp.send_msg(parser.OFPPacketOut(datapath=dp, buffer_id=msg.buffer_id,
                                        in_port=in_port, actions=actions,
                                        data=data))
