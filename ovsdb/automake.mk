# ovsdb: see docs/architecture.md

# The client IDL (owned by vsctl): used by vs-vsctl and vs-vswitchd.
noinst_LIBRARIES += ovsdb/libvsidl.a
ovsdb_libvsidl_a_SOURCES = \
	ovsdb/idl.c ovsdb/idl.h ovsdb/idl-private.h \
	ovsdb/idl-txn.c \
	ovsdb/idl-datum.c ovsdb/idl-datum.h \
	ovsdb/idl-rpc.c ovsdb/idl-rpc.h
IDL_LIBS = ovsdb/libvsidl.a
check_PROGRAMS += tests/test-idl-datum
tests_test_idl_datum_SOURCES = tests/test-idl-datum.c
tests_test_idl_datum_CFLAGS = $(TEST_CFLAGS)
tests_test_idl_datum_LDADD = $(IDL_LIBS) $(TEST_LDADD)
TESTS += tests/test-idl-datum
