#!/bin/sh
# SIGKILLs vs-ovsdb-server 50 times at random moments while a client
# commits numbered transactions; after each restart every acknowledged
# transaction must be present and the database must open cleanly.
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/system/lib.sh"
. "$top_srcdir/tests/ovsdb-lib.sh"
require_cmd python3

vs-ovsdb-tool create "$VS_DBDIR/crash.db" "$OVSDB_TEST_SCHEMA" || fail "create"
python3 "$top_srcdir/tests/ovsdb-crash.py" "$VS_DBDIR/crash.db" "$VS_RUNDIR" \
    "${OVSDB_CRASH_ROUNDS:-50}" || fail "crash rounds"
vs-ovsdb-tool show-log "$VS_DBDIR/crash.db" | head -3
pass
