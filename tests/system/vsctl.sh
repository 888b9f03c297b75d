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

log "-v sets log levels (bad SPEC is refused) and prints the transaction"
vserr 'unknown module, destination, or level "nosuchmodule"' -vnosuchmodule:console:dbg add-br vbr0
$VSCTL --no-wait -v add-br vbr0 2>"$VS_TEST_DIR/verr" || fail "-v add-br"
grep -q '^transact: .*"insert"' "$VS_TEST_DIR/verr" || fail "-v did not print the transaction"
$VSCTL --no-wait -vANY:console:warn del-br vbr0 || fail "-vSPEC del-br"
pass
