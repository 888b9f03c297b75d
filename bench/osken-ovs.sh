#!/bin/sh
# The os-ken controller scenario of tests/system/osken-controller.sh, run
# against Debian's Open vSwitch (ovs-vswitchd, netdev datapath) to show the
# scenario itself is right: secure fail mode forwards only through the
# controller's flows and stops making flows without it; standalone falls back
# to NORMAL when the controller goes away.
#
# usage: bench/osken-ovs.sh        (as root; exits 0 = PASS, 1 = FAIL)
set -u
top_srcdir=$(cd "$(dirname "$0")/.." && pwd)
top_builddir=${top_builddir:-$top_srcdir/_build}
. "$top_srcdir/tests/system/lib.sh"
. "$top_srcdir/tests/system/dp-lib.sh"
. "$top_srcdir/tests/system/osken-lib.sh"
. "$top_srcdir/bench/ovs-lib.sh"
require_root
require_cmd ovs-ofctl ss
/usr/bin/python3 -c 'import os_ken' 2>/dev/null || skip "needs python3-os-ken"
NET=207
for i in 1 2 3; do host $i; done
ovs_start "$VS_TEST_DIR/ovs"
BR=$(link_name br)
ovs_add_bridge "$BR" "$(link_name p1)" "$(link_name p2)" "$(link_name p3)"
SW_NS=ovs
SW_VSCTL=$OVSCTL
SW_OFCTL="ovs-ofctl -O OpenFlow13"
SW_MGMT="unix:$OVS_DIR/$BR.mgmt"
osken_scenario
pass
