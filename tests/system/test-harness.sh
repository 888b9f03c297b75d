#!/bin/sh
# Proves the system-test harness itself: namespaces, veth links and cleanup.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/system/lib.sh"
require_root
ns_add a
ns_add b
# Two hosts joined by one veth pair (no switch): ping must cross.
ip link add "$(link_name x)" type veth peer name "$(link_name y)"
track_link "$(link_name x)"
ip link set "$(link_name x)" netns "$VS_T-a"
ip link set "$(link_name y)" netns "$VS_T-b"
ns a ip addr add 10.99.0.1/24 dev "$(link_name x)"
ns b ip addr add 10.99.0.2/24 dev "$(link_name y)"
ns a ip link set "$(link_name x)" up
ns b ip link set "$(link_name y)" up
ns a ping -c 2 -W 2 10.99.0.2 >/dev/null || fail "ping between namespaces"
[ -d "$VS_RUNDIR" ] || fail "no private run dir"
pass
