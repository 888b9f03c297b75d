#!/bin/sh
# A dump shows each flow as it is now, whatever version added or changed
# it and whichever version dumps it: vs-vswitchd keeps each rule's encoded
# match and instructions between dumps (ofproto/rule-dump-cache.c), for
# the version that added the rule, so this checks with the real ovs-ofctl
# that the kept bytes follow the flows: flows added in OpenFlow 1.3 read
# the same in 1.3, 1.4 and 1.5 (1.5 is encoded afresh) and, those 1.0 can
# express, in 1.0; mod-flows in 1.0 and in 1.4 show in every version;
# an OF1.4 bundle whose modify is undone by a later overlapping add (an
# error found while applying: the modify was applied, then undone) leaves
# the old actions shown (and without that add, shows the new ones); a
# replacing add shows its own actions.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/system/lib.sh"
. "$top_srcdir/tests/system/dp-lib.sh"
require_root
require_cmd ovs-ofctl
[ -f "$top_srcdir/ofproto/rule-dump-cache.c" ] && [ -f "$top_srcdir/ofproto/connmgr.c" ] \
    || skip "needs the OpenFlow switch with the dump cache"
NET=216
bpffs_setup
BR=br$$
CFG=$VS_TEST_DIR/vswitchd.json
on_exit "vs-dpctl del-dp $BR"
host 1
vsw_config "$CFG" $BR "$(link_name p1)"
vsw_start "$CFG"
MGMT=unix:$VS_RUNDIR/$BR.mgmt
wait_until 10 test -S "$VS_RUNDIR/$BR.mgmt" || fail "no mgmt socket"

# flows VERSION: the flows (no statistics, no NORMAL fallback), sorted.
flows() {
    ovs-ofctl -O "$1" --no-stats dump-flows $MGMT >"$VS_TEST_DIR/dump" 2>&1 \
        || fail "dump-flows $1: $(cat "$VS_TEST_DIR/dump")"
    grep -v 'reply' "$VS_TEST_DIR/dump" | sed 's/^ *//' | grep -v '^priority=0 ' | sort
}
# same WHAT EXPECTED ACTUAL
same() {
    [ "$2" = "$3" ] && return 0
    printf '%s\n' "$2" >"$VS_TEST_DIR/want"
    printf '%s\n' "$3" >"$VS_TEST_DIR/got"
    diff -u "$VS_TEST_DIR/want" "$VS_TEST_DIR/got" >&2
    fail "$1"
}

log "add in OpenFlow 1.3, dump in 1.3, 1.4, 1.5"
cat >"$VS_TEST_DIR/flows" <<EOT
priority=100,ip,nw_dst=10.0.0.1 actions=output:1
priority=90,tcp,nw_src=10.1.0.0/16,tp_dst=80 actions=mod_tp_dst:8080,output:1
cookie=0x5,priority=80,arp actions=drop
priority=70,udp,tp_src=53 actions=write_metadata:0x1/0xff,goto_table:1
table=1,priority=60,ip actions=output:1
EOT
ovs-ofctl -O OpenFlow13 add-flows $MGMT "$VS_TEST_DIR/flows" || fail "add-flows"
of13=$(flows OpenFlow13)
[ "$(printf '%s\n' "$of13" | wc -l)" = 5 ] || fail "5 flows expected: $of13"
same "OF1.4 dump differs from OF1.3" "$of13" "$(flows OpenFlow14)"
same "OF1.3 dump changed when dumped again" "$of13" "$(flows OpenFlow13)"
same "OF1.5 dump differs from OF1.3" "$of13" "$(flows OpenFlow15)"
of10=$(flows OpenFlow10)
printf '%s\n' "$of10" | grep -q 'priority=100,ip,nw_dst=10.0.0.1 actions=output:1' \
    || fail "OF1.0 dump: $of10"

log "mod-flows in OpenFlow 1.0, then 1.4: every version shows the change"
ovs-ofctl -O OpenFlow10 mod-flows $MGMT "ip,nw_dst=10.0.0.1,actions=drop" || fail "mod-flows 1.0"
for V in OpenFlow13 OpenFlow14 OpenFlow15 OpenFlow10; do
    flows $V | grep -q 'priority=100,ip,nw_dst=10.0.0.1 actions=drop' \
        || fail "$V after mod-flows: $(flows $V)"
done
ovs-ofctl -O OpenFlow14 mod-flows $MGMT "arp,actions=output:1" || fail "mod-flows 1.4"
for V in OpenFlow13 OpenFlow14; do
    flows $V | grep -q 'cookie=0x5, priority=80,arp actions=output:1' \
        || fail "$V after mod-flows: $(flows $V)"
done

log "an OF1.4 bundle's modify undone by an overlapping add: the old actions show"
before=$(flows OpenFlow13)
cat >"$VS_TEST_DIR/bundle" <<EOT
modify ip,nw_dst=10.0.0.1 actions=output:1
add check_overlap,priority=100,ip actions=drop
EOT
ovs-ofctl -O OpenFlow14 --bundle add-flows $MGMT "$VS_TEST_DIR/bundle" >/dev/null 2>&1 \
    && fail "bundle with a bad flow committed"
# OF1.4 first: the undone modify, in OF1.4, kept an OF1.4 encoding.
same "aborted bundle changed the dump (OF1.4)" "$before" "$(flows OpenFlow14)"
same "aborted bundle changed the dump (OF1.3)" "$before" "$(flows OpenFlow13)"
# The same bundle without the overlapping add does change it (so the one
# above failed on that add, not on its syntax).
sed -i '/check_overlap/d' "$VS_TEST_DIR/bundle"
ovs-ofctl -O OpenFlow14 --bundle add-flows $MGMT "$VS_TEST_DIR/bundle" || fail "good bundle"
flows OpenFlow13 | grep -q 'priority=100,ip,nw_dst=10.0.0.1 actions=output:1' \
    || fail "after a good bundle: $(flows OpenFlow13)"

log "a replacing add shows its own actions"
ovs-ofctl -O OpenFlow13 add-flow $MGMT "priority=100,ip,nw_dst=10.0.0.1,actions=output:LOCAL" \
    || fail "add-flow"
flows OpenFlow13 | grep -q 'priority=100,ip,nw_dst=10.0.0.1 actions=LOCAL' \
    || fail "after replacing add: $(flows OpenFlow13)"
pass
