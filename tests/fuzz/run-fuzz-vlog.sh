#!/bin/sh
# Builds tests/fuzz/fuzz-vlog-spec with clang's libFuzzer (plus ASan and
# UBSan) and fuzzes it for a while.
#
#   tests/fuzz/run-fuzz-vlog.sh [SECONDS]        (default 30)
#
# A crash leaves its reproducer (crash-*) in the current directory and
# makes the script fail.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-30}
build=${VS_BUILD_DIR:-$top/_build}
CLANG=${CLANG:-clang}

[ -f "$build/config.h" ] || { echo "configure first (no $build/config.h)" >&2; exit 1; }
command -v "$CLANG" >/dev/null || { echo "SKIP: clang not found" >&2; exit 77; }

work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-vlog.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

$CLANG -g -O1 -fsanitize=fuzzer,address,undefined \
    -fno-sanitize-recover=undefined -DVS_LIBFUZZER \
    -DRUNDIR='"/tmp"' -DDBDIR='"/tmp"' -DLOGDIR='"/tmp"' -DPKGDATADIR='"/tmp"' \
    -I"$build" -I"$top" -I"$top/lib" \
    "$top/tests/fuzz/fuzz-vlog-spec.c" "$top/lib/vlog.c" "$top/lib/util.c" \
    "$top/lib/dynamic-string.c" "$top/lib/timeval.c" "$top/lib/dirs.c" \
    "$top/lib/poll-loop.c" "$top/lib/hmap.c" "$top/lib/coverage.c" \
    "$top/lib/fatal-signal.c" -lpthread -lm -o "$work/fuzz-vlog-spec"

mkdir "$work/corpus"
"$work/fuzz-vlog-spec" -max_total_time="$seconds" -max_len=512 -timeout=10 \
    -print_final_stats=1 "$work/corpus"
