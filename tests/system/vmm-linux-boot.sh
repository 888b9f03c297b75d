#!/bin/sh
# Slow (up to ~5 minutes): vs-vmm boots Debian's cloud kernel through the
# bzImage 64-bit boot path and the kernel banner appears on the serial
# console within 300 s.  Where KVM runs guests by instruction emulation
# (the project's machines) the boot cannot complete: it later stops at an
# instruction the emulator lacks, which vs-vmm must report with the guest
# RIP and a non-zero exit instead of hanging.  Set VS_SKIP_SLOW_TESTS=1 to
# skip.  The kernel package is fetched with apt-get download into
# $VS_CACHE_DIR (default /var/cache/vswitch-tests).
. "$top_srcdir/tests/system/lib.sh"
. "$top_srcdir/tests/system/vmm-lib.sh"
vmm_require
[ -z "${VS_SKIP_SLOW_TESTS:-}" ] || skip "slow test (VS_SKIP_SLOW_TESTS is set)"

cache=${VS_CACHE_DIR:-/var/cache/vswitch-tests}/linux-image-cloud
mkdir -p "$cache"
kernel=$(ls "$cache"/x/boot/vmlinuz-* 2>/dev/null | head -1)
if [ -z "$kernel" ]; then
    pkg=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null \
          | awk '/Depends: linux-image-/ { print $2; exit }')
    [ -n "$pkg" ] || skip "apt does not know linux-image-cloud-amd64 (run apt-get update)"
    log "downloading $pkg"
    (cd "$cache" && timeout 300 apt-get download "$pkg") >"$VS_LOGDIR/apt.out" 2>&1 \
        || skip "apt cannot download $pkg: $(tail -1 "$VS_LOGDIR/apt.out")"
    dpkg -x "$cache/$pkg"_*.deb "$cache/x" || fail "dpkg -x $pkg"
    kernel=$(ls "$cache"/x/boot/vmlinuz-* | head -1)
fi
log "booting $kernel"

start=$(date +%s)
start_daemon linux timeout -k 5 330 vs-vmm --kernel "$kernel" --memory 256 \
    --cmdline "console=ttyS0 earlyprintk=serial,ttyS0,115200 nokaslr"
vm=$DAEMON_PID
wait_until 300 grep -q "Linux version" "$VS_LOGDIR/linux.out" \
    || fail "no kernel banner within 300 s"
log "banner after $(( $(date +%s) - start )) s: $(grep -m1 -o 'Linux version [^ ]*' "$VS_LOGDIR/linux.out")"
# What the loader handed over arrived intact.
expect_out linux "Command line: console=ttyS0 earlyprintk=serial,ttyS0,115200 nokaslr"
expect_out linux "BIOS-e820: \[mem 0x0000000000100000-0x000000000fffffff\] usable"

if kill -0 $vm 2>/dev/null; then
    kill -TERM $vm
    wait_until 15 sh -c "! kill -0 $vm 2>/dev/null" || fail "vs-vmm ignored SIGTERM"
    wait $vm; rc=$?
    if grep -q "KVM internal error" "$VS_LOGDIR/linux.out"; then
        [ $rc = 1 ] || fail "emulation failure but exit status $rc"
    else
        [ $rc = 0 ] || fail "exit status $rc after SIGTERM"
    fi
else
    wait $vm; rc=$?
    # Stopped by itself: only an emulation failure reported with its RIP
    # is acceptable.
    [ $rc = 1 ] || fail "vs-vmm stopped with status $rc"
    expect_out linux "KVM internal error .* at guest RIP 0xffffffff"
fi
grep "KVM internal error" "$VS_LOGDIR/linux.out" | cut -c1-160
pass
