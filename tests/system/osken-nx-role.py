"""os-ken app for ofproto-nx-role.sh: speaks OpenFlow 1.0 and asks for
roles with the Nicira role request, as OpenFlow 1.0 controllers do.

On connection it asks to be master, then slave, then "other" (equal), and
then adds a flow.  (It sends nothing a slave would get an error for: this
os-ken's OpenFlow 1.0 error handler raises on any error message and drops
the connection; test-connmgr checks the slave's refusal.)  Every reply is
written as a line to the file named by $NX_ROLE_LOG:
  role_reply master|slave|other
  flow_added
"""
import os

from os_ken.base import app_manager
from os_ken.controller import ofp_event
from os_ken.controller.handler import CONFIG_DISPATCHER, MAIN_DISPATCHER
from os_ken.controller.handler import set_ev_cls
from os_ken.ofproto import ofproto_v1_0

ROLES = {0: "other", 1: "master", 2: "slave"}


class NxRole(app_manager.OSKenApp):
    OFP_VERSIONS = [ofproto_v1_0.OFP_VERSION]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.out = open(os.environ["NX_ROLE_LOG"], "a", buffering=1)
        self.step = 0

    def role(self, dp, role):
        dp.send_msg(dp.ofproto_parser.NXTRoleRequest(dp, role))

    def flow(self, dp):
        p = dp.ofproto_parser
        match = p.OFPMatch(in_port=1)
        mod = p.OFPFlowMod(dp, match=match, cookie=0,
                           command=dp.ofproto.OFPFC_ADD, idle_timeout=0,
                           hard_timeout=0, priority=33,
                           actions=[p.OFPActionOutput(2)])
        dp.send_msg(mod)
        dp.send_barrier()

    @set_ev_cls(ofp_event.EventOFPSwitchFeatures, CONFIG_DISPATCHER)
    def features(self, ev):
        self.role(ev.msg.datapath, ofproto_v1_0.NX_ROLE_MASTER)

    # os-ken hands Nicira replies over as vendor messages carrying them.
    @set_ev_cls(ofp_event.EventOFPVendor, [CONFIG_DISPATCHER, MAIN_DISPATCHER])
    def role_reply(self, ev):
        dp = ev.msg.datapath
        reply = ev.msg.data
        if not isinstance(reply, dp.ofproto_parser.NXTRoleReply):
            self.out.write("vendor %r\n" % (reply,))
            return
        self.out.write("role_reply %s\n" % ROLES.get(reply.role, reply.role))
        self.step += 1
        if self.step == 1:
            self.role(dp, ofproto_v1_0.NX_ROLE_SLAVE)
        elif self.step == 2:
            self.role(dp, ofproto_v1_0.NX_ROLE_OTHER)
        elif self.step == 3:
            self.flow(dp)

    @set_ev_cls(ofp_event.EventOFPBarrierReply, [CONFIG_DISPATCHER, MAIN_DISPATCHER])
    def barrier(self, ev):
        if self.step == 3:
            self.out.write("flow_added\n")
