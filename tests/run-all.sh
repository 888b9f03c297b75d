#!/bin/sh
# Builds vswitch from this tree and runs every test: Check unit tests and
# system tests (as root, in private network namespaces).  With
# --sanitizers it also builds and runs the unit tests under ASan+UBSan.
# Ends with "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
sanitizers=no
for arg in "$@"; do
    case $arg in
        --sanitizers) sanitizers=yes ;;
        *) echo "usage: $0 [--sanitizers]" >&2; exit 2 ;;
    esac
done

[ "$(id -u)" = 0 ] && ./utilities/install-deps.sh >/dev/null
[ -x configure ] || ./boot.sh >/dev/null 2>&1 || { echo "boot.sh failed" >&2; exit 1; }

passed=0 failed=0
# Adds a build's automake test-suite.log counts to the totals.
count_results() {
    log=$1
    if [ -f "$log" ]; then
        p=$(sed -n 's/^# PASS: *//p' "$log" | head -1)
        s=$(sed -n 's/^# SKIP: *//p' "$log" | head -1)
        f=$(sed -n 's/^# FAIL: *//p' "$log" | head -1)
        e=$(sed -n 's/^# ERROR: *//p' "$log" | head -1)
        x=$(sed -n 's/^# XPASS: *//p' "$log" | head -1)
        passed=$((passed + ${p:-0}))
        failed=$((failed + ${f:-0} + ${e:-0} + ${x:-0}))
        skipped=$((${skipped:-0} + ${s:-0}))
    else
        failed=$((failed + 1))
    fi
}

run_build() {
    dir=$1; shift
    mkdir -p "$dir"
    (cd "$dir" && "$top/configure" "$@" >configure.out 2>&1) \
        || { echo "configure failed in $dir (see $dir/configure.out)"; tail -5 "$dir/configure.out"; failed=$((failed + 1)); return 1; }
    make -C "$dir" -j"$(nproc)" >"$dir/make.out" 2>&1 \
        || { echo "build failed in $dir"; tail -30 "$dir/make.out"; failed=$((failed + 1)); return 1; }
    return 0
}

if run_build _build; then
    make -C _build -j"$(nproc)" check VERBOSE=1 >_build/check.out 2>&1
    grep -E '^(PASS|FAIL|ERROR|XPASS|SKIP):' _build/check.out
    grep -q '^FAIL\|^ERROR' _build/check.out && sed -n '/^FAIL\|^ERROR/,$p' _build/check.out | tail -80
    count_results _build/test-suite.log
fi

if [ $sanitizers = yes ]; then
    if run_build _build-asan --enable-sanitizers; then
        # Unit tests only: system tests exercise the normal build.
        ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
            make -C _build-asan -j"$(nproc)" check VERBOSE=1 SYSTEM_TESTS= >_build-asan/check.out 2>&1
        grep -E '^(PASS|FAIL|ERROR|XPASS|SKIP):' _build-asan/check.out | sed 's/^/asan /'
        grep -q '^FAIL\|^ERROR' _build-asan/check.out && sed -n '/^FAIL\|^ERROR/,$p' _build-asan/check.out | tail -80
        count_results _build-asan/test-suite.log
    fi
fi

echo "${passed} passed, ${failed} failed, ${skipped:-0} skipped"
[ "$failed" = 0 ]
