# ovsdb: see docs/architecture.md ("OVSDB").
# The engine is a static library so the server, the tool, the IDL and the
# unit tests all link the same code.  Types, datum and schema depend only on
# lib/ and json-c, so the client IDL can use them.
noinst_LIBRARIES += ovsdb/libovsdb.a
ovsdb_libovsdb_a_SOURCES = \
	ovsdb/uuid.c ovsdb/uuid.h \
	ovsdb/ovsdb-error.c ovsdb/ovsdb-error.h \
	ovsdb/ovsdb-types.c ovsdb/ovsdb-types.h \
	ovsdb/ovsdb-atom.c ovsdb/ovsdb-datum.c ovsdb/ovsdb-datum.h \
	ovsdb/ovsdb-schema.c ovsdb/ovsdb-schema.h \
	ovsdb/ovsdb.c ovsdb/ovsdb.h \
	ovsdb/ovsdb-row.c ovsdb/ovsdb-row.h \
	ovsdb/ovsdb-txn.c ovsdb/ovsdb-txn.h \
	ovsdb/ovsdb-condition.c ovsdb/ovsdb-condition.h \
	ovsdb/ovsdb-mutation.c ovsdb/ovsdb-mutation.h \
	ovsdb/ovsdb-execute.c ovsdb/ovsdb-execute.h \
	ovsdb/ovsdb-log.c ovsdb/ovsdb-log.h \
	ovsdb/ovsdb-file.c ovsdb/ovsdb-file.h

# The server's modules use the core runtime (poll loop, vlog, json).
noinst_LIBRARIES += ovsdb/libovsdb-server.a
ovsdb_libovsdb_server_a_SOURCES = \
	ovsdb/ovsdb-monitor.c ovsdb/ovsdb-monitor.h \
	ovsdb/ovsdb-lock.c ovsdb/ovsdb-lock.h \
	ovsdb/ovsdb-jsonrpc-server.c ovsdb/ovsdb-jsonrpc-server.h

sbin_PROGRAMS += ovsdb/vs-ovsdb-server
ovsdb_vs_ovsdb_server_SOURCES = ovsdb/ovsdb-server.c
ovsdb_vs_ovsdb_server_LDADD = ovsdb/libovsdb-server.a ovsdb/libovsdb.a $(VSWITCH_LIBS)

bin_PROGRAMS += ovsdb/vs-ovsdb-tool
ovsdb_vs_ovsdb_tool_SOURCES = ovsdb/ovsdb-tool.c
ovsdb_vs_ovsdb_tool_LDADD = ovsdb/libovsdb.a $(VSWITCH_LIBS)

check_PROGRAMS += tests/test-ovsdb-datum
tests_test_ovsdb_datum_SOURCES = tests/test-ovsdb-datum.c
tests_test_ovsdb_datum_CFLAGS = $(TEST_CFLAGS)
tests_test_ovsdb_datum_LDADD = ovsdb/libovsdb.a $(TEST_LDADD)
TESTS += tests/test-ovsdb-datum

check_PROGRAMS += tests/test-ovsdb-engine
tests_test_ovsdb_engine_SOURCES = tests/test-ovsdb-engine.c
tests_test_ovsdb_engine_CFLAGS = $(TEST_CFLAGS) -DSRCDIR='"$(abs_top_srcdir)"'
tests_test_ovsdb_engine_LDADD = ovsdb/libovsdb.a $(TEST_LDADD)
TESTS += tests/test-ovsdb-engine

check_PROGRAMS += tests/test-ovsdb-log
tests_test_ovsdb_log_SOURCES = tests/test-ovsdb-log.c
tests_test_ovsdb_log_CFLAGS = $(TEST_CFLAGS)
tests_test_ovsdb_log_LDADD = ovsdb/libovsdb.a $(TEST_LDADD)
TESTS += tests/test-ovsdb-log
EXTRA_DIST += tests/ovsdb-test.ovsschema

# Interop (real ovsdb-client / ovs-vsctl), protocol robustness and crash
# tests: no root needed, but they start daemons, so they run with the
# system tests.
SYSTEM_TESTS += tests/interop-ovsdb-client.sh tests/interop-ovs-vsctl.sh \
	tests/ovsdb-robustness.sh tests/ovsdb-crash.sh tests/ovsdb-tool.sh
EXTRA_DIST += tests/interop-ovsdb-client.sh tests/interop-ovs-vsctl.sh \
	tests/ovsdb-robustness.sh tests/ovsdb-protocol.py tests/ovsdb-lib.sh \
	tests/ovsdb-crash.sh tests/ovsdb-crash.py tests/ovsdb-tool.sh
# Fuzz target for transactions; 'make check' replays the corpus with
# mutations, tests/fuzz/run-fuzz-ovsdb.sh runs it under libFuzzer.
check_PROGRAMS += tests/fuzz/fuzz-ovsdb-transact
tests_fuzz_fuzz_ovsdb_transact_SOURCES = tests/fuzz/fuzz-ovsdb-transact.c
tests_fuzz_fuzz_ovsdb_transact_CFLAGS = $(AM_CFLAGS) -DSRCDIR='"$(abs_top_srcdir)"'
tests_fuzz_fuzz_ovsdb_transact_LDADD = ovsdb/libovsdb.a $(VSWITCH_LIBS)
TESTS += tests/fuzz/fuzz-ovsdb-transact
EXTRA_DIST += tests/fuzz/run-fuzz-ovsdb.sh tests/fuzz/corpus-ovsdb
man_MANS += docs/vs-ovsdb-server.8 docs/vs-ovsdb-tool.1
EXTRA_DIST += docs/vs-ovsdb-server.8 docs/vs-ovsdb-tool.1
# ovsdb: see docs/architecture.md

# The client IDL (owned by vsctl): used by vs-vsctl and vs-vswitchd.
noinst_LIBRARIES += ovsdb/libvsidl.a
ovsdb_libvsidl_a_SOURCES = \
	ovsdb/idl.c ovsdb/idl.h ovsdb/idl-private.h \
	ovsdb/idl-txn.c \
	ovsdb/idl-datum.c ovsdb/idl-datum.h
# The IDL shares the atomic types and UUIDs of the engine (libovsdb.a).
IDL_LIBS = ovsdb/libvsidl.a ovsdb/libovsdb.a
check_PROGRAMS += tests/test-idl-datum
tests_test_idl_datum_SOURCES = tests/test-idl-datum.c
tests_test_idl_datum_CFLAGS = $(TEST_CFLAGS)
tests_test_idl_datum_LDADD = $(IDL_LIBS) $(TEST_LDADD)
TESTS += tests/test-idl-datum
noinst_PROGRAMS += tests/idl-watch
tests_idl_watch_SOURCES = tests/idl-watch.c
tests_idl_watch_LDADD = $(IDL_LIBS) $(VSWITCH_LIBS)
SYSTEM_TESTS += tests/system/idl-reconnect.sh tests/system/vswitchd-db-restart.sh
EXTRA_DIST += tests/system/idl-reconnect.sh tests/system/vswitchd-db-restart.sh
check_PROGRAMS += tests/fuzz/fuzz-vsctl-values
tests_fuzz_fuzz_vsctl_values_SOURCES = tests/fuzz/fuzz-vsctl-values.c
tests_fuzz_fuzz_vsctl_values_LDADD = $(IDL_LIBS) $(VSWITCH_LIBS)
TESTS += tests/fuzz/fuzz-vsctl-values
EXTRA_DIST += tests/fuzz/run-fuzz-vsctl.sh
