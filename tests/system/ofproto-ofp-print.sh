#!/bin/sh
# ofproto's replies decoded by a real peer: tests/test-ofproto
# --print-replies runs a scripted session (ports, flows, a select group, a
# meter) through ofproto_handle_openflow() and prints every reply as hex;
# Open vSwitch's "ovs-ofctl ofp-print" must decode each one without error
# and show the flows, group and meter we installed.  Needs no root.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/system/lib.sh"
require_cmd ovs-ofctl
t="$top_builddir/tests/test-ofproto"
[ -x "$t" ] || fail "$t not built (make check builds it)"

for v in OpenFlow10 OpenFlow13 OpenFlow14 OpenFlow15; do
    "$t" --print-replies $v >"$VS_TEST_DIR/$v.hex" || fail "$v: scripted session failed"
    n=0
    : >"$VS_TEST_DIR/$v.txt"
    while read -r hex; do
        n=$((n + 1))
        ovs-ofctl ofp-print "$hex" >>"$VS_TEST_DIR/$v.txt" 2>&1 \
            || fail "$v: ovs-ofctl ofp-print failed on reply $n"
    done <"$VS_TEST_DIR/$v.hex"
    if grep -E "decode error|only uses|bad length|unknown" "$VS_TEST_DIR/$v.txt"; then
        fail "$v: ovs-ofctl could not decode a reply (see above)"
    fi
    expect() {
        grep -qF -- "$1" "$VS_TEST_DIR/$v.txt" \
            || { cat "$VS_TEST_DIR/$v.txt"; fail "$v: no \"$1\" in the decoded replies"; }
    }
    expect "priority=100,ip,nw_dst=10.0.0.1 actions=output:2"
    expect "idle_timeout=30"
    expect "cookie=0x5"
    expect "priority=7,arp actions=NORMAL"
    expect "flow_count="
    expect "DP Description: br0"
    expect "OFPFMFC_OVERLAP"
    if [ $v != OpenFlow10 ]; then
        expect "priority=9,tcp,tp_dst=80 actions=meter:3,group:7"
        expect "group_id=7,type=select,bucket="
        expect "weight:10,actions=output:1,bucket="
        expect "weight:20,actions=output:2"
        expect "meter=3 kbps burst stats bands="
        expect "type=drop rate=1000 burst_size=100"
        expect "1(eth1): addr:02:00:00:00:00:00"
        expect "ref_count=1"
        expect "OFPST_TABLE_FEATURES reply"
    fi
    case $v in OpenFlow1[03]) expect "OFPT_QUEUE_GET_CONFIG_REPLY" ;; esac
    echo "PASS: $v: $n replies decoded by ovs-ofctl"
done
pass
