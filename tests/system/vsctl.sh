#!/bin/sh
# vs-vsctl: every command with good and bad input against a running
# database server loaded with vswitch's own schema (vs-ovsdb-server when it
# is built, else Debian's ovsdb-server).
. "$top_srcdir/tests/system/lib.sh"
. "$top_srcdir/tests/system/vsctl-lib.sh"
. "$top_srcdir/tests/system/vsctl-cases.sh"
require_cmd vs-vsctl ovsdb-client

start_db "$top_srcdir/vswitchd/vswitch.ovsschema" vs
run_vsctl_cases
pass
