# Helpers shared by the vs-vmm system tests; source after lib.sh.
GUEST="$top_builddir/vmm/guest/vs-test-guest.bzImage"

vmm_require() {
    require_root
    [ -c /dev/kvm ] || skip "no /dev/kvm"
    [ -f "$GUEST" ] || fail "test guest $GUEST not built"
    command -v vs-vmm >/dev/null || fail "vs-vmm not built"
}

# run_vmm NAME TIMEOUT ARGS...: runs vs-vmm in the foreground with the
# serial console and logs in $VS_LOGDIR/NAME.out; sets $VMM_RC.
run_vmm() {
    _name=$1 _t=$2; shift 2
    timeout -k 5 "$_t" vs-vmm "$@" </dev/null >"$VS_LOGDIR/$_name.out" 2>&1
    VMM_RC=$?
}

# expect_out NAME REGEX: the output of run NAME matches REGEX.
expect_out() {
    grep -q -- "$2" "$VS_LOGDIR/$1.out" \
        || { cat "$VS_LOGDIR/$1.out" >&2; fail "$1: no \"$2\" in its output"; }
}
