#!/bin/sh
# vs-vmm turns bad input into a clear error and a non-zero exit, never a
# crash or a hang: missing /dev/kvm, missing, non-kernel and truncated
# images, absurd sizes, too little memory, a vhost-user socket nobody
# listens on, and vhost-user backends that close mid-negotiation, answer
# with malformed replies, or never answer.
. "$top_srcdir/tests/system/lib.sh"
. "$top_srcdir/tests/system/vmm-lib.sh"
vmm_require
require_cmd python3 unshare

# expect_error NAME STATUS REGEX ARGS...: vs-vmm ARGS exits with STATUS
# (within 20 s) and says REGEX.
expect_error() {
    _n=$1 _st=$2 _re=$3; shift 3
    run_vmm "$_n" 20 "$@"
    [ $VMM_RC = 124 ] || [ $VMM_RC = 137 ] && fail "$_n: vs-vmm hung"
    [ $VMM_RC = "$_st" ] || { cat "$VS_LOGDIR/$_n.out" >&2; fail "$_n: exit status $VMM_RC, expected $_st"; }
    expect_out "$_n" "$_re"
    grep -q "AddressSanitizer\|Segmentation\|core dumped" "$VS_LOGDIR/$_n.out" \
        && fail "$_n: crashed"
    log "$_n: $(grep -m1 'ERR' "$VS_LOGDIR/$_n.out")"
}

d=$VS_TEST_DIR
expect_error nokernel 1 "kernel $d/nope: No such file" --kernel "$d/nope"
head -c 65536 /dev/urandom >"$d/random.img"
expect_error notkernel 1 "not a Linux bzImage" --kernel "$d/random.img"
expect_error tiny 1 "too short to be a Linux kernel" --kernel /etc/hostname
# An ELF that is not a PVH kernel (a user-space program).
expect_error elf 1 "malformed segment\|without a PVH entry" --kernel /bin/true
head -c 3000 "$GUEST" >"$d/truncated.img"
expect_error truncated 1 "truncated" --kernel "$d/truncated.img"
expect_error mem0 2 "must be 4 to" --kernel "$GUEST" --memory 0
expect_error memhuge 2 "must be 4 to" --kernel "$GUEST" --memory 999999999
expect_error cpus 2 "must be 1 to" --kernel "$GUEST" --cpus 1000
expect_error badnet 1 "needs tap=IFNAME or vhost-user=SOCKET" --kernel "$GUEST" --net mac=52:54:00:00:00:01
expect_error badmac 1 "bad unicast MAC" --kernel "$GUEST" --net tap=x,mac=01:00:00:00:00:01
expect_error baddisk 1 "disk $d/nodisk: No such file" --kernel "$GUEST" --disk "$d/nodisk"

# A kernel asking for more memory than the guest has (init_size 256 MiB).
cp "$GUEST" "$d/big.img"
printf '\000\000\000\020' | dd of="$d/big.img" bs=1 seek=$((0x260)) conv=notrunc 2>/dev/null
expect_error toolittle 1 "too little memory: kernel .* needs 257 MiB" \
    --kernel "$d/big.img" --memory 16

# No /dev/kvm: an empty /dev in a private mount namespace.
unshare -m sh -c "mount -t tmpfs none /dev && exec timeout 20 vs-vmm --kernel '$GUEST'" \
    >"$VS_LOGDIR/nokvm.out" 2>&1
[ $? = 1 ] || fail "nokvm: expected exit status 1"
expect_out nokvm "/dev/kvm does not exist"

# vhost-user: nobody there, nobody listening, then broken backends.
expect_error vu-missing 1 "cannot connect to vhost-user socket $d/none.sock: No such file" \
    --kernel "$GUEST" --net "vhost-user=$d/none.sock"
python3 -c "import socket,sys,time; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); time.sleep(30)" \
    "$d/deaf.sock" &
track_pid $!
wait_until 30 test -S "$d/deaf.sock" || fail "deaf socket"
expect_error vu-refused 1 "Connection refused (is the backend running" \
    --kernel "$GUEST" --net "vhost-user=$d/deaf.sock"

fake() {
    python3 "$top_srcdir/tests/system/vmm-fake-vhost.py" "$d/$1.sock" "$1" &
    track_pid $!
    wait_until 30 test -S "$d/$1.sock" || fail "fake backend $1 did not start"
}
fake close
expect_error vu-close 1 "reply to GET_FEATURES: backend closed the connection" \
    --kernel "$GUEST" --net "vhost-user=$d/close.sock"
fake wrong-req
expect_error vu-wrong-req 1 "malformed reply to GET_FEATURES: it answers request 8" \
    --kernel "$GUEST" --net "vhost-user=$d/wrong-req.sock"
fake wrong-size
expect_error vu-wrong-size 1 "malformed reply to GET_FEATURES: payload of 4 bytes" \
    --kernel "$GUEST" --net "vhost-user=$d/wrong-size.sock"
fake no-v1
expect_error vu-no-v1 1 "lacks VIRTIO_F_VERSION_1" \
    --kernel "$GUEST" --net "vhost-user=$d/no-v1.sock"
fake silent
expect_error vu-silent 1 "reply to GET_FEATURES: no reply in time" \
    --kernel "$GUEST" --net "vhost-user=$d/silent.sock"
pass
