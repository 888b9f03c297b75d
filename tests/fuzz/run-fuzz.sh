#!/bin/sh
# Builds one fuzz target of tests/fuzz/ with clang's libFuzzer (plus ASan
# and UBSan) and fuzzes it for a while, starting from its committed corpus
# if it has one.
#
#   tests/fuzz/run-fuzz.sh TARGET [SECONDS]
#
# TARGET is jsonrpc, vlog-spec, vsctl-values, flow-extract, ovsdb-transact
# or ofp-decode (tests/fuzz/fuzz-TARGET.c).  Only the sources the target
# needs are compiled, instrumented; tests/fuzz/fuzz-main.c is left out,
# since libFuzzer provides main().
#
# New corpus entries go to a temporary directory, so the tree stays clean;
# a crash leaves its reproducer in the current directory (crash-*) and
# makes the script fail.  Replay one with the 'make check' build:
#   _build/tests/fuzz/fuzz-TARGET --mutations=0 crash-XXXX
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${VS_BUILD_DIR:-$top/_build}
CLANG=${CLANG:-clang}

usage() {
    echo "usage: $0 TARGET [SECONDS]" >&2
    echo "TARGET: jsonrpc vlog-spec vsctl-values flow-extract ovsdb-transact ofp-decode" >&2
    exit 1
}
[ $# -ge 1 ] && [ $# -le 2 ] || usage
target=$1

# Per target: the library sources it needs, the committed corpus (if any),
# the largest input, the per-input timeout and the default run time.
corpus=
max_len=4096
timeout=10
seconds=30
case $target in
jsonrpc)
    srcs="lib/json.c lib/json-parser.c lib/jsonrpc-msg.c lib/util.c
          lib/dynamic-string.c"
    corpus=tests/fuzz/corpus-jsonrpc ;;
vlog-spec)
    srcs="lib/vlog.c lib/util.c lib/dynamic-string.c lib/timeval.c lib/dirs.c
          lib/poll-loop.c lib/hmap.c lib/coverage.c lib/fatal-signal.c"
    max_len=512 ;;
vsctl-values)
    srcs="ovsdb/idl-datum.c lib/util.c lib/dynamic-string.c"
    max_len=512 ;;
flow-extract)
    srcs="lib/flow-extract.c lib/flow.c lib/flow-format.c lib/dp-packet.c
          lib/packets.c lib/csum.c lib/packet-rewrite.c lib/flow-compose.c
          lib/dynamic-string.c lib/util.c"
    corpus=tests/fuzz/corpus/flow-extract
    max_len=2048 timeout=5 seconds=60 ;;
ovsdb-transact)
    srcs="ovsdb/uuid.c ovsdb/ovsdb-error.c ovsdb/ovsdb-types.c
          ovsdb/ovsdb-atom.c ovsdb/ovsdb-datum.c ovsdb/ovsdb-schema.c
          ovsdb/ovsdb.c ovsdb/ovsdb-row.c ovsdb/ovsdb-txn.c
          ovsdb/ovsdb-condition.c ovsdb/ovsdb-mutation.c ovsdb/ovsdb-execute.c
          ovsdb/ovsdb-log.c ovsdb/ovsdb-file.c lib/json.c lib/json-parser.c
          lib/util.c lib/dynamic-string.c lib/hmap.c lib/vlog.c lib/timeval.c
          lib/dirs.c lib/poll-loop.c lib/coverage.c lib/fatal-signal.c"
    corpus=tests/fuzz/corpus-ovsdb ;;
ofp-decode)
    srcs="$(cd "$top" && echo lib/ofp-*.c) lib/match.c lib/oxm.c lib/nxm.c lib/flow.c
          lib/flow-format.c lib/flow-extract.c lib/packets.c lib/csum.c lib/dp-packet.c
          lib/util.c lib/dynamic-string.c lib/hmap.c"
    corpus=tests/fuzz/corpus/ofp-decode ;;
*)
    usage ;;
esac
seconds=${2:-$seconds}

[ -f "$build/config.h" ] || { echo "configure first (no $build/config.h)" >&2; exit 1; }
command -v "$CLANG" >/dev/null || { echo "SKIP: clang not found" >&2; exit 77; }

work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-$target.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

src_paths=
for s in $srcs; do
    src_paths="$src_paths $top/$s"
done
# shellcheck disable=SC2086 # word splitting of the lists is intended
$CLANG -g -O1 -fsanitize=fuzzer,address,undefined \
    -fno-sanitize-recover=undefined -DVS_LIBFUZZER -DSRCDIR="\"$top\"" \
    -DRUNDIR='"/tmp"' -DDBDIR='"/tmp"' -DLOGDIR='"/tmp"' -DPKGDATADIR='"/tmp"' \
    -I"$build" -I"$top" -I"$top/lib" $(pkg-config --cflags json-c) \
    "$top/tests/fuzz/fuzz-$target.c" $src_paths \
    $(pkg-config --libs json-c) -lpthread -lm -o "$work/fuzz-$target"

mkdir "$work/corpus"
"$work/fuzz-$target" -max_total_time="$seconds" -max_len="$max_len" \
    -timeout="$timeout" -print_final_stats=1 "$work/corpus" \
    ${corpus:+"$top/$corpus"}
echo "fuzz-$target: no failure in ${seconds}s"
