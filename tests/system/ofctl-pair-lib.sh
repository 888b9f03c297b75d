# Two switches given the same ovs-ofctl commands in one test run: vs-vswitchd
# (bridge with hosts h1, h2) and Debian's ovs-vswitchd, the yardstick whose
# dumps vswitch's must equal.  Source after tests/system/lib.sh, dp-lib.sh
# and bench/ovs-lib.sh, with $NET set.
#
#   pair_start    starts both switches; sets BR (vswitch bridge), VSM and
#                 OVSM (ovs-ofctl targets), P1/P2 (the hosts' datapath
#                 ports on vswitch), W (a scratch directory)
#   both [OPTION...] COMMAND ARG...
#                 ovs-ofctl COMMAND on both switches ($OFOPTS first); both
#                 must succeed (outputs in $W/vs.out, $W/ovs.out)
#   compare WHAT [FILTER]
#                 dump-flows --no-stats of both (with FILTER, in the
#                 $OFOPTS version), sorted, must be equal; counts them in
#                 $n_compared

pair_start() {
    bpffs_setup
    BR=$(link_name nb)
    vsw_bridge "$BR" 2
    VSM=$MGMT

    ovs_start "$VS_TEST_DIR/ovs"
    _obr=$(link_name no)
    ovs_add_bridge "$_obr"
    wait_until 10 test -S "$OVS_DIR/$_obr.mgmt" || fail "no $OVS_DIR/$_obr.mgmt"
    OVSM=unix:$OVS_DIR/$_obr.mgmt

    W=$VS_TEST_DIR/work
    mkdir -p "$W"
    n_compared=0
}

both() {
    _opts=${OFOPTS:-}
    while [ "${1#-}" != "$1" ]; do _opts="$_opts $1"; shift; done
    _cmd=$1; shift
    # shellcheck disable=SC2086
    ovs-ofctl $_opts "$_cmd" "$VSM" "$@" >"$W/vs.out" 2>&1 \
        || fail "vswitch: ovs-ofctl$_opts $_cmd $*: $(cat "$W/vs.out")"
    # shellcheck disable=SC2086
    ovs-ofctl $_opts "$_cmd" "$OVSM" "$@" >"$W/ovs.out" 2>&1 \
        || fail "ovs: ovs-ofctl$_opts $_cmd $*: $(cat "$W/ovs.out")"
}

compare() {
    _what=$1; shift
    # shellcheck disable=SC2086
    ovs-ofctl ${OFOPTS:-} --no-stats dump-flows "$VSM" "$@" >"$W/vs.dump" 2>&1 \
        || fail "$_what: vswitch dump-flows: $(cat "$W/vs.dump")"
    # shellcheck disable=SC2086
    ovs-ofctl ${OFOPTS:-} --no-stats dump-flows "$OVSM" "$@" >"$W/ovs.dump" 2>&1 \
        || fail "$_what: ovs dump-flows: $(cat "$W/ovs.dump")"
    # Open vSwitch shows the reset_counts it implies for OpenFlow 1.0 adds
    # in OF1.1+ dumps; vswitch does not keep that flag.
    sed 's/^ *//' "$W/vs.dump" | sort >"$W/vs.sorted"
    sed -e 's/^ *//' -e 's/reset_counts //' "$W/ovs.dump" | sort >"$W/ovs.sorted"
    diff -u "$W/ovs.sorted" "$W/vs.sorted" >&2 \
        || fail "$_what: dump-flows differs (- Open vSwitch, + vswitch)"
    n_compared=$((n_compared + 1))
}

# Raw Nicira messages to vs-vswitchd ($VSM), for the malformed-input checks.
# nx_flow_mod LEN MATCH_LEN MATCH_HEX: an NXT_FLOW_MOD (OF1.0 vendor message,
# vendor 0x2320, subtype 13) in hex, with that nx_match.
nx_flow_mod() {
    printf '0104%04x' "$1"; printf '00000000''00002320''0000000d'
    # cookie, command, idle, hard, priority, buffer_id, out_port, flags.
    printf '0000000000000000''0000''0000''0000''8000''ffffffff''ffff''0000'
    printf '%04x''000000000000%s' "$2" "$3"
}
# error_is NAME TYPE CODE OUTPUT: an OFPT_ERROR with that type and code.
error_is() {
    printf '%s\n' "$4" | grep -q "^1 0101....0000000.$(printf '%04x%04x' "$2" "$3")" \
        || fail "$1: no error type $2 code $3 in: $4"
}
# raw HEX...: sends each message (OF1.0) and prints what comes back.
raw() { /usr/bin/python3 "$top_srcdir/tests/system/of-raw.py" send10 "$VSM" "$@"; }
