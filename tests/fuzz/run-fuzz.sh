#!/bin/sh
# Builds tests/fuzz/fuzz-jsonrpc with clang's libFuzzer (plus ASan and
# UBSan) and fuzzes it for a while, starting from the committed seed corpus.
#
#   tests/fuzz/run-fuzz.sh [SECONDS]        (default 30)
#
# New corpus entries go to a temporary directory, so the tree stays clean;
# a crash leaves its reproducer in the current directory (crash-*) and
# makes the script fail.  Replay one with:
#   _build/tests/fuzz/fuzz-jsonrpc crash-XXXX
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-30}
build=${VS_BUILD_DIR:-$top/_build}
CLANG=${CLANG:-clang}

[ -f "$build/config.h" ] || { echo "configure first (no $build/config.h)" >&2; exit 1; }
command -v "$CLANG" >/dev/null || { echo "SKIP: clang not found" >&2; exit 77; }

work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-jsonrpc.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

# Only what the parser path needs: JSON, message validation, util, ds.
$CLANG -g -O1 -fsanitize=fuzzer,address,undefined \
    -fno-sanitize-recover=undefined -DVS_LIBFUZZER \
    -I"$build" -I"$top" -I"$top/lib" $(pkg-config --cflags json-c) \
    "$top/tests/fuzz/fuzz-jsonrpc.c" "$top/lib/json.c" "$top/lib/json-parser.c" \
    "$top/lib/jsonrpc-msg.c" "$top/lib/util.c" "$top/lib/dynamic-string.c" \
    $(pkg-config --libs json-c) -lm -o "$work/fuzz-jsonrpc"

mkdir "$work/corpus"
"$work/fuzz-jsonrpc" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
    -print_final_stats=1 "$work/corpus" "$top/tests/fuzz/corpus-jsonrpc"
