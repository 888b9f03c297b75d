# Helpers for the tests that drive vs-vswitchd with the real ovs-ofctl
# (source after lib.sh; brings dp-lib.sh and vsctl-lib.sh with it).
. "$top_srcdir/tests/system/dp-lib.sh"
. "$top_srcdir/tests/system/vsctl-lib.sh"

# ofctl_setup NPORTS: the usual start of an OpenFlow test (root, a private
# bpffs, vs-ovsdb-server with vswitch's schema, then ofctl_bridge with
# bridge $BR and hosts h1..hNPORTS).  Set $NET first.
ofctl_setup() {
    require_root
    require_cmd ovs-ofctl vs-ovsdb-server vs-vsctl vs-vswitchd
    bpffs_setup
    start_db "$top_srcdir/vswitchd/vswitch.ovsschema" vs
    BR=$(link_name br)
    ofctl_bridge "$BR" "$1"
}

# ofctl_bridge BR NPORTS: starts vs-vswitchd on the test's database, makes
# bridge BR with hosts h1..hNPORTS (dp-lib.sh `host`) on ports p1..pN,
# waits for its OpenFlow socket and sets $OFT (the ovs-ofctl target) and
# $P1..$PN (the ports' OpenFlow numbers, as the database reports them).
ofctl_bridge() {
    _ob_br=$1 _ob_n=$2
    on_exit "vs-dpctl del-dp $_ob_br"
    start_daemon vswitchd vs-vswitchd "$DB" --pidfile
    VSW_PID=$DAEMON_PID
    _ob_add="add-br $_ob_br"
    for _ob_i in $(seq 1 "$_ob_n"); do
        host "$_ob_i"
        _ob_add="$_ob_add -- add-port $_ob_br $(link_name p$_ob_i)"
    done
    # shellcheck disable=SC2086
    $VSCTL $_ob_add || fail "add-br/add-port"
    OFT="unix:$VS_RUNDIR/$_ob_br.mgmt"
    wait_until 10 ovs-ofctl probe "$OFT" || fail "no OpenFlow listener at $OFT"
    for _ob_i in $(seq 1 "$_ob_n"); do
        _of=$($VSCTL get Interface "$(link_name p$_ob_i)" ofport)
        [ "$_of" -gt 0 ] 2>/dev/null || fail "ofport of p$_ob_i: $_of"
        eval "P$_ob_i=$_of"
    done
}

# flows_norm: dump-flows output without the header and the counters, so
# that it compares equal to the same dump with --no-stats; sorted.
flows_norm() {
    grep -v 'reply' | sed -E 's/duration=[0-9.]+s, //; s/n_packets=[0-9]+, //;
        s/n_bytes=[0-9]+, //; s/idle_age=[0-9]+, //; s/hard_age=[0-9]+, //;
        s/^ cookie=0x0, / /; s/table=0, //' | sort
}

# same NAME EXPECTED ACTUAL: the two texts must be equal (shows a diff).
same() {
    [ "$2" = "$3" ] && return 0
    printf '%s\n' "$2" >"$VS_TEST_DIR/expected"
    printf '%s\n' "$3" >"$VS_TEST_DIR/actual"
    diff -u "$VS_TEST_DIR/expected" "$VS_TEST_DIR/actual" >&2
    fail "$1: output differs (- expected, + got)"
}

# dump_sorted VERSION [ARGS]: dump-flows --no-stats, sorted.
dump_sorted() {
    _v=$1; shift
    ovs-ofctl -O "$_v" dump-flows --no-stats "$OFT" "$@" | grep -v reply | sort
}

# ofctl_error NAME PATTERN CMD...: CMD (an ovs-ofctl command) must fail
# and print an OFPT_ERROR naming PATTERN.
ofctl_error() {
    _name=$1 _pat=$2; shift 2
    "$@" >"$VS_TEST_DIR/out" 2>&1 && fail "$_name: succeeded: $(cat "$VS_TEST_DIR/out")"
    grep -q "OFPT_ERROR.*$_pat" "$VS_TEST_DIR/out" \
        || fail "$_name: no OFPT_ERROR $_pat: $(cat "$VS_TEST_DIR/out")"
}
