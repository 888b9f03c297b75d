#!/bin/sh
# Fuzzes tests/fuzz/fuzz-vsctl-values.c (vs-vsctl/IDL value parsing) with
# clang's libFuzzer plus ASan and UBSan for a while.
#
#   tests/fuzz/run-fuzz-vsctl.sh [SECONDS]        (default 30)
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-30}
build=${VS_BUILD_DIR:-$top/_build}
CLANG=${CLANG:-clang}
[ -f "$build/config.h" ] || { echo "configure first (no $build/config.h)" >&2; exit 1; }
command -v "$CLANG" >/dev/null || { echo "SKIP: clang not found" >&2; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-vsctl.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
$CLANG -g -O1 -fsanitize=fuzzer,address,undefined \
    -fno-sanitize-recover=undefined -DVS_LIBFUZZER \
    -I"$build" -I"$top" -I"$top/lib" $(pkg-config --cflags json-c) \
    "$top/tests/fuzz/fuzz-vsctl-values.c" "$top/ovsdb/idl-datum.c" \
    "$top/lib/util.c" "$top/lib/dynamic-string.c" \
    $(pkg-config --libs json-c) -lm -o "$work/fuzz-vsctl-values"
mkdir "$work/corpus"
"$work/fuzz-vsctl-values" -max_total_time="$seconds" -max_len=512 \
    -timeout=10 -print_final_stats=1 "$work/corpus"
