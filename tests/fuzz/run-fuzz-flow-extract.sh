#!/bin/sh
# Builds tests/fuzz/fuzz-flow-extract.c with libFuzzer (clang
# -fsanitize=fuzzer,address,undefined) and runs it for a bounded time,
# starting from the committed corpus.  New crashing inputs are written to
# the work directory; add interesting ones to the corpus by hand.
#
#   tests/fuzz/run-fuzz-flow-extract.sh [SECONDS]     (default 60)
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-60}
work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-flow-extract.XXXXXX")
trap 'rm -rf "$work/corpus"' EXIT

[ -f "$top/_build/config.h" ] || { echo "build first (tests/run-all.sh)" >&2; exit 1; }
clang -g -O1 -fsanitize=fuzzer,address,undefined -DVS_LIBFUZZER \
    -I"$top/_build" -I"$top" -I"$top/lib" \
    "$top/tests/fuzz/fuzz-flow-extract.c" \
    "$top/lib/flow-extract.c" "$top/lib/flow.c" "$top/lib/flow-format.c" \
    "$top/lib/dp-packet.c" "$top/lib/packets.c" "$top/lib/csum.c" \
    "$top/lib/packet-rewrite.c" "$top/lib/flow-compose.c" \
    "$top/lib/dynamic-string.c" "$top/lib/util.c" \
    -o "$work/fuzz-flow-extract"
mkdir -p "$work/corpus"
cp "$top"/tests/fuzz/corpus/flow-extract/* "$work/corpus/"
cd "$work"
./fuzz-flow-extract -max_total_time="$secs" -max_len=2048 -timeout=5 corpus
echo "fuzz-flow-extract: no failure in ${secs}s (work dir $work)"
