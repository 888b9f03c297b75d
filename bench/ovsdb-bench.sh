#!/bin/sh
# OVSDB server throughput: vs-ovsdb-server vs Debian's ovsdb-server in the
# same run (ratios > 1 mean vswitch is faster).  Run from the build tree:
#   bench/ovsdb-bench.sh [N [TRIALS]]  (N small updates per series, default 3000)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${top_builddir:-$top/_build}
export PATH="$build/ovsdb:$PATH"
command -v ovsdb-server >/dev/null 2>&1 || [ -x /usr/sbin/ovsdb-server ] \
    || { echo "needs Debian's openvswitch-switch (ovsdb-server)"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/ovsdb-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
# A C client for the one-at-a-time rows, so Python's own latency does not
# hide the servers' (falls back to Python if it cannot be built).
if ${CC:-gcc} -O2 $(pkg-config --cflags json-c) "$top/bench/ovsdb-bench-client.c" \
        $(pkg-config --libs json-c) -o "$work/client" 2>/dev/null; then
    export OVSDB_BENCH_CLIENT="$work/client"
fi
python3 "$top/bench/ovsdb-bench.py" "$top/tests/ovsdb-test.ovsschema" "$work" "${1:-3000}" "${2:-3}"
