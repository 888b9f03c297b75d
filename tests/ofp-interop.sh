#!/bin/sh
# Interop test of the OpenFlow codec against Open vSwitch's ovs-ofctl (a
# peer no one here wrote):
#   1. flows, groups, meters we encode are decoded by ovs-ofctl ofp-print to
#      the same text we print;
#   2. flows ovs-ofctl sends (captured by tests/ofp-capture.py on a unix
#      socket) decode with our codec to the text ovs-ofctl prints for them;
#   3. one message of every kind we build decodes in ovs-ofctl without error.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir/_build}"
cli=$top_builddir/tests/test-ofp-cli
command -v ovs-ofctl >/dev/null 2>&1 || { echo "SKIP: needs ovs-ofctl"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "SKIP: needs python3"; exit 77; }
[ -x "$cli" ] || { echo "FAIL: $cli not built"; exit 1; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/ofp-interop.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM
fails=0 checks=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# Text after the "OFPT_...: " prefix, joined into one line, without
# ovs-ofctl's INFO/WARN log lines.
body() { grep -v '|INFO|\||WARN|' | tr '\n' ' ' | sed 's/^[^:]*: *//; s/ *$//'; }

flows='priority=100,ip,nw_dst=10.0.0.0/24,tcp,tp_dst=80,actions=output:2,mod_vlan_vid:10
in_port=3,dl_vlan=5,dl_vlan_pcp=2,dl_src=00:11:22:33:44:55,arp,arp_op=1,arp_spa=1.2.3.4,actions=normal
tcp,in_port=1,nw_src=10.0.0.1,nw_dst=10.0.0.2,tp_src=1000,tp_dst=22,actions=enqueue:2:1
ip,nw_tos=12,actions=mod_nw_tos:8,mod_nw_src:1.1.1.1,mod_dl_dst:00:00:00:00:00:09,dec_ttl,set_queue:4
table=2,cookie=0x1234,idle_timeout=10,hard_timeout=20,send_flow_rem,tcp6,ipv6_src=2001:db8::/32,ipv6_label=5,nw_tos=16,nw_ecn=1,tcp_flags=+syn-ack,actions=dec_ttl,push_mpls:0x8847,set_field:10->mpls_label,set_queue:3,group:4,goto_table:5
icmp6,icmp_type=135,nd_target=fe80::1,nd_sll=00:00:00:00:00:01,metadata=0x5/0xff,tun_id=0x10,actions=meter:2,controller,write_actions(output:1),write_metadata:0x1/0x1,goto_table:3
arp,arp_sha=00:00:00:00:00:01,arp_tha=00:00:00:00:00:02,arp_tpa=1.2.3.0/24,arp_op=2,actions=drop
icmp,icmp_type=8,icmp_code=0,nw_src=1.2.3.4,actions=clear_actions
sctp,tp_src=9,tp_dst=10,actions=set_field:5->sctp_dst
ip,nw_frag=later,nw_ttl=5,actions=mod_nw_ttl:7
dl_type=0x1234,vlan_tci=0x1000/0x1000,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00,actions=push_vlan:0x88a8,output:1
udp,tp_src=0x100/0xff00,actions=mod_tp_src:99,mod_nw_dst:9.9.9.9,mod_dl_src:00:00:00:00:00:07
priority=0,actions=drop'

# 1. Our bytes, their decoder.
for v in OpenFlow10 OpenFlow13 OpenFlow14 OpenFlow15; do
    echo "$flows" | while IFS= read -r f; do
        hex=$("$cli" parse-flow $v "$f" 2>/dev/null) || continue   # not expressible
        echo "$hex"
    done > "$dir/hex.$v"
    while IFS= read -r hex; do
        checks=$((checks + 1))
        ours=$("$cli" print "$hex" | body)
        theirs=$(ovs-ofctl ofp-print "$hex" 2>&1 | body)
        [ "$ours" = "$theirs" ] || fail "$v encode: ours '$ours' theirs '$theirs'"
    done < "$dir/hex.$v"
done
for v in OpenFlow13 OpenFlow14 OpenFlow15; do
    for g in 'group_id=1,type=select,bucket=output:1,bucket=weight:50,watch_port=3,actions=output:2' \
             'group_id=7,type=ff,bucket=watch_port:1,actions=output:1,bucket=watch_port:2,actions=output:2' \
             'group_id=9,type=indirect,bucket=actions=mod_dl_src:00:00:00:00:00:01,output:3'; do
        checks=$((checks + 1))
        hex=$("$cli" parse-group $v "$g") || { fail "parse-group $g"; continue; }
        ours=$("$cli" print "$hex" | body)
        theirs=$(ovs-ofctl ofp-print "$hex" 2>&1 | body)
        [ "$ours" = "$theirs" ] || fail "$v group: ours '$ours' theirs '$theirs'"
    done
    for m in 'meter=1,kbps,band=type=drop,rate=1000' \
             'meter=2,pktps,burst,stats,band=type=dscp_remark,rate=100,burst_size=10,prec_level=1'; do
        checks=$((checks + 1))
        hex=$("$cli" parse-meter $v "$m") || { fail "parse-meter $m"; continue; }
        ours=$("$cli" print "$hex" | body)
        theirs=$(ovs-ofctl ofp-print "$hex" 2>&1 | body)
        [ "$ours" = "$theirs" ] || fail "$v meter: ours '$ours' theirs '$theirs'"
    done
done

# 2. Their bytes, our decoder: ovs-ofctl talks to our capture peer.
capture() {   # capture VERSION_BYTE OFCTL_VERSION COMMAND ARG [TF_FILE]
    sock=$dir/sock
    python3 "$top_srcdir/tests/ofp-capture.py" "$sock" "$1" ${5:-} > "$dir/cap" &
    pid=$!
    i=0
    while [ ! -S "$sock" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    names=--no-names
    [ -n "${5:-}" ] && names=--names
    timeout 10 ovs-ofctl $names -O "$2" "$3" "unix:$sock" "$4" >/dev/null 2>"$dir/err"
    wait $pid
    rm -f "$sock"
}
for pair in 0x01:OpenFlow10 0x04:OpenFlow13 0x05:OpenFlow14 0x06:OpenFlow15; do
    vb=${pair%%:*} v=${pair#*:}
    echo "$flows" | while IFS= read -r f; do
        "$cli" parse-flow $v "$f" >/dev/null 2>&1 || continue
        capture $vb $v add-flow "$f"
        # The flow_mod is the message of type 14 (0x0e).
        hex=$(grep "^${vb#0x}0e" "$dir/cap" | head -1)
        if [ -z "$hex" ]; then
            # ovs-ofctl used one of its own extension messages instead
            # (e.g. an NXM flow_mod for SCTP ports in OF1.0).
            echo "note: $v: no standard flow_mod for '$f'" >&2
            continue
        fi
        ours=$("$cli" print "$hex" | body)
        theirs=$(ovs-ofctl ofp-print "$hex" 2>&1 | body)
        [ "$ours" = "$theirs" ] || echo "FAIL: $v decode: ours '$ours' theirs '$theirs'"
        echo CHECK
    done > "$dir/out2"
    checks=$((checks + $(grep -c CHECK "$dir/out2")))
    n=$(grep -c FAIL "$dir/out2")
    [ "$n" = 0 ] || { grep FAIL "$dir/out2"; fails=$((fails + n)); }
done

# Groups and meters ovs-ofctl sends.
for pair in 0x04:OpenFlow13 0x05:OpenFlow14 0x06:OpenFlow15; do
    vb=${pair%%:*} v=${pair#*:}
    for spec in "add-group:0f:group_id=5,type=select,bucket=output:1,bucket=weight:20,actions=mod_vlan_vid:3,output:2" \
                "add-group:0f:group_id=6,type=ff,bucket=watch_port:4,actions=output:4,bucket=watch_port:5,actions=output:5" \
                "add-meter:1d:meter=3,kbps,burst,band=type=drop,rate=500,burst_size=50"; do
        cmd=${spec%%:*} rest=${spec#*:} type=${rest%%:*} arg=${rest#*:}
        checks=$((checks + 1))
        capture $vb $v $cmd "$arg"
        hex=$(grep "^${vb#0x}${type}" "$dir/cap" | head -1)
        [ -n "$hex" ] || { fail "$v: no message for $cmd $arg: $(cat "$dir/err")"; continue; }
        ours=$("$cli" print "$hex" | body)
        theirs=$(ovs-ofctl ofp-print "$hex" 2>&1 | body)
        [ "$ours" = "$theirs" ] || fail "$v $cmd decode: ours '$ours' theirs '$theirs'"
    done
done

# 2b. Without --no-names ovs-ofctl first asks for table features: answered
# with our encoder's reply (254 tables, split over several messages), it
# must accept it and go on to send the flow_mod.
for pair in 0x04:OpenFlow13 0x05:OpenFlow14 0x06:OpenFlow15; do
    vb=${pair%%:*} v=${pair#*:}
    checks=$((checks + 1))
    "$cli" table-features $v 254 > "$dir/tf"
    capture $vb $v add-flow "tcp,tp_dst=80,actions=output:1" "$dir/tf"
    grep -q "^${vb#0x}0e" "$dir/cap" \
        || fail "$v: ovs-ofctl did not accept our table features: $(cat "$dir/err")"
done

# 3. Every message kind we build decodes in ovs-ofctl.
for v in OpenFlow10 OpenFlow13 OpenFlow14 OpenFlow15; do
    "$cli" samples $v > "$dir/samples"
    while IFS= read -r hex; do
        checks=$((checks + 1))
        out=$(ovs-ofctl ofp-print "$hex" 2>&1)
        case $out in
            *"decode error"*|*"***"*|*WARN*) fail "$v sample: $out" ;;
        esac
        # Flow removed, flow stats and aggregate replies print the same.
        case $hex in
            ??0b*|??1[13]????????????000[12]*)
                ours=$("$cli" print "$hex")
                [ "$ours" = "$out" ] || fail "$v sample text: ours '$ours' theirs '$out'" ;;
        esac
    done < "$dir/samples"
done

echo "$checks checks, $fails failures"
[ "$fails" = 0 ] && [ "$checks" -gt 50 ]
