#!/bin/sh
# Times flow_hash, flow_hash_masked, flow_equal_masked and flow_extract
# against hash_bytes() over the same key (the yardstick, measured in the
# same run) and prints ns/op and the ratio.  Needs a build in _build/.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
[ -f "$top/_build/lib/libvswitch.a" ] || { echo "build first (tests/run-all.sh)" >&2; exit 1; }
out=$(mktemp "${TMPDIR:-/tmp}/flow-hash-bench.XXXXXX")
trap 'rm -f "$out"' EXIT
${CC:-gcc} -O2 -g -I"$top/_build" -I"$top" -I"$top/lib" \
    "$top/bench/flow-hash-bench.c" "$top/_build/lib/libvswitch.a" -o "$out"
"$out"
