#!/bin/sh
# Fuzzes the OVSDB transaction path (tests/fuzz/fuzz-ovsdb-transact.c) with
# clang's libFuzzer plus ASan/UBSan for a while, from tests/fuzz/corpus-ovsdb.
#   tests/fuzz/run-fuzz-ovsdb.sh [SECONDS]     (default 30)
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-30}
build=${VS_BUILD_DIR:-$top/_build}
CLANG=${CLANG:-clang}
[ -f "$build/config.h" ] || { echo "configure first (no $build/config.h)" >&2; exit 1; }
command -v "$CLANG" >/dev/null || { echo "SKIP: clang not found" >&2; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-ovsdb.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
$CLANG -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -DVS_LIBFUZZER -DSRCDIR="\"$top\"" -I"$build" -I"$top" -I"$top/lib" \
    $(pkg-config --cflags json-c) "$top/tests/fuzz/fuzz-ovsdb-transact.c" \
    "$top"/ovsdb/uuid.c "$top"/ovsdb/ovsdb-error.c "$top"/ovsdb/ovsdb-types.c \
    "$top"/ovsdb/ovsdb-atom.c "$top"/ovsdb/ovsdb-datum.c "$top"/ovsdb/ovsdb-schema.c "$top"/ovsdb/ovsdb.c \
    "$top"/ovsdb/ovsdb-row.c "$top"/ovsdb/ovsdb-txn.c "$top"/ovsdb/ovsdb-condition.c \
    "$top"/ovsdb/ovsdb-mutation.c "$top"/ovsdb/ovsdb-execute.c "$top"/ovsdb/ovsdb-log.c \
    "$top"/ovsdb/ovsdb-file.c "$top/lib/json.c" "$top/lib/json-parser.c" \
    "$top/lib/util.c" "$top/lib/dynamic-string.c" "$top/lib/hmap.c" \
    $(pkg-config --libs json-c) -lpthread -lm -o "$work/fuzz-ovsdb"
mkdir "$work/corpus"
"$work/fuzz-ovsdb" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
    -print_final_stats=1 "$work/corpus" "$top/tests/fuzz/corpus-ovsdb"
