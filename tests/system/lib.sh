# Shell helpers for system tests; source it from a tests/system/*.sh script.
#
# Every test gets a private directory ($VS_TEST_DIR, also VS_RUNDIR, VS_DBDIR,
# VS_LOGDIR) and unique names for namespaces and links (prefix $VS_T).
# Everything created through these helpers is torn down on exit, also on
# failure or interruption.  Traffic goes only to addresses inside the
# namespaces a test creates.
#
#   . "$top_srcdir/tests/system/lib.sh"
#   require_root
#   ns_add h1; ns_add h2
#   ...
#   pass            # or fail "message"; skip "reason" (exit 77)

set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir/_build}"
export PATH="$top_builddir/utilities:$top_builddir/ovsdb:$top_builddir/vswitchd:$top_builddir/vmm:$PATH:/usr/sbin:/sbin"
# TLS support (vs-stream-ssl.so) of the binaries under test, not an
# installed one (lib/stream-ssl-loader.c).
export VS_PKGLIBDIR="${VS_PKGLIBDIR:-$top_builddir/lib}"

# Unique prefix, short for 15-char ifnames; random so a leftover from a killed
# run (or a recycled PID) cannot collide.
VS_T="v$(od -An -N3 -tx1 /dev/urandom | tr -d " \n" | cut -c1-5)"
VS_TEST_DIR=$(mktemp -d "${TMPDIR:-/tmp}/vstest.$(basename "$0" .sh).XXXXXX")
export VS_RUNDIR="$VS_TEST_DIR/run" VS_DBDIR="$VS_TEST_DIR/db" VS_LOGDIR="$VS_TEST_DIR/log"
mkdir -p "$VS_RUNDIR" "$VS_DBDIR" "$VS_LOGDIR"

_vs_namespaces=""
_vs_links=""
_vs_pids=""
_vs_cleanups=""

log() { echo "[$(date +%T)] $*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*" >&2; exit 77; }
pass() { echo "PASS"; exit 0; }
require_root() { [ "$(id -u)" = 0 ] || skip "needs root"; }
require_cmd() { for c in "$@"; do command -v "$c" >/dev/null 2>&1 || skip "needs $c"; done; }

# on_exit CMD: runs CMD (a string) at cleanup, last registered first.
on_exit() { _vs_cleanups="$1
$_vs_cleanups"; }

# ns_add NAME: creates namespace "$VS_T-NAME" with lo up; prints nothing.
ns_add() {
    ip netns add "$VS_T-$1" || fail "ip netns add $VS_T-$1"
    _vs_namespaces="$_vs_namespaces $VS_T-$1"
    ip -n "$VS_T-$1" link set lo up
}
# ns NAME CMD...: runs CMD inside namespace NAME.
ns() { _n=$1; shift; ip netns exec "$VS_T-$_n" "$@"; }

# veth_to_ns NS IFNAME_HOST IFNAME_NS ADDR/PREFIX [MAC]: a veth pair whose
# one end stays in the root namespace (a switch port) and the other end goes
# into NS with ADDR.  Link names are prefixed with $VS_T by the caller's
# choice of names: use link_name to build them.
veth_to_ns() {
    _ns=$1 _host=$2 _inner=$3 _addr=$4 _mac=${5:-}
    ip link add "$_host" type veth peer name "$_inner" || fail "veth $_host"
    _vs_links="$_vs_links $_host"
    ip link set "$_inner" netns "$VS_T-$_ns"
    [ -n "$_mac" ] && ip -n "$VS_T-$_ns" link set "$_inner" address "$_mac"
    ip -n "$VS_T-$_ns" addr add "$_addr" dev "$_inner"
    ip -n "$VS_T-$_ns" link set "$_inner" up
    ip link set "$_host" up
}
# link_name SUFFIX: a unique interface name (<= 15 chars).
link_name() { echo "${VS_T}$1" | cut -c1-15; }
# track_link NAME: delete link NAME at cleanup (for links made by hand).
track_link() { _vs_links="$_vs_links $1"; }

# start_daemon NAME CMD...: starts CMD in the background with output in
# $VS_LOGDIR/NAME.out and kills it at cleanup.  Sets $DAEMON_PID.
start_daemon() {
    _name=$1; shift
    "$@" >"$VS_LOGDIR/$_name.out" 2>&1 &
    DAEMON_PID=$!
    _vs_pids="$_vs_pids $DAEMON_PID"
}
# kill_hard PID: kill -9 PID and wait until it is gone.  A killed daemon
# holds its pidfile lock until the kernel has freed its memory, so one
# started again at once could find it "already running".
kill_hard() {
    kill -9 "$1" 2>/dev/null
    wait "$1" 2>/dev/null
    wait_until 10 sh -c "! kill -0 $1" || true
}
# track_pid PID: kill PID at cleanup.
track_pid() { _vs_pids="$_vs_pids $1"; }

# wait_until TIMEOUT_SECONDS CMD...: polls CMD every 0.1 s; fails on timeout.
wait_until() {
    _t=$1; shift
    _deadline=$(( $(date +%s) + _t ))
    until "$@" >/dev/null 2>&1; do
        [ "$(date +%s)" -ge "$_deadline" ] && return 1
        sleep 0.1
    done
    return 0
}

_vs_cleanup() {
    _rc=$?
    set +e
    printf '%s\n' "$_vs_cleanups" | while IFS= read -r _c; do
        [ -n "$_c" ] && eval "$_c" >/dev/null 2>&1
    done
    for _p in $_vs_pids; do kill "$_p" 2>/dev/null; done
    sleep 0.2
    for _p in $_vs_pids; do kill -9 "$_p" 2>/dev/null; done
    for _l in $_vs_links; do ip link del "$_l" 2>/dev/null; done
    for _n in $_vs_namespaces; do ip netns del "$_n" 2>/dev/null; done
    if [ $_rc -ne 0 ] && [ $_rc -ne 77 ]; then
        for _f in "$VS_LOGDIR"/*; do
            [ -f "$_f" ] || continue
            echo "---- $_f (tail) ----" >&2
            tail -20 "$_f" >&2
        done
    fi
    [ -n "${VS_KEEP_TEST_DIR:-}" ] || rm -rf "$VS_TEST_DIR"
    exit $_rc
}
trap _vs_cleanup EXIT
trap 'exit 130' INT TERM
