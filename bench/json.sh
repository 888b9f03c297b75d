#!/bin/sh
# JSON parse/serialize throughput of lib/json against json-c's own parser
# and serializer (the yardstick), measured in the same run; prints MB/s and
# ratios (> 1 means lib/json is faster).  Needs a build in _build/.
#   bench/json.sh [ROUNDS]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
[ -f "$top/_build/lib/libvswitch.a" ] || { echo "build first (tests/run-all.sh)" >&2; exit 1; }
out=$(mktemp "${TMPDIR:-/tmp}/json-bench.XXXXXX")
trap 'rm -f "$out"' EXIT
${CC:-gcc} -O2 -g -I"$top/_build" -I"$top" -I"$top/lib" \
    $(pkg-config --cflags json-c) "$top/bench/json-bench.c" \
    "$top/_build/lib/libvswitch.a" $(pkg-config --libs json-c) -lm -o "$out"
"$out" "$@"
