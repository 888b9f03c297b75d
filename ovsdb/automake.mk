# ovsdb: see docs/architecture.md ("OVSDB").
# The engine is a static library so the server, the tool, the IDL and the
# unit tests all link the same code.  Types, datum and schema depend only on
# lib/ and json-c, so the client IDL can use them.
noinst_LIBRARIES += ovsdb/libovsdb.a
ovsdb_libovsdb_a_SOURCES = \
	ovsdb/uuid.c ovsdb/uuid.h \
	ovsdb/ovsdb-error.c ovsdb/ovsdb-error.h \
	ovsdb/ovsdb-types.c ovsdb/ovsdb-types.h \
	ovsdb/ovsdb-datum.c ovsdb/ovsdb-datum.h \
	ovsdb/ovsdb-schema.c ovsdb/ovsdb-schema.h

check_PROGRAMS += tests/test-ovsdb-datum
tests_test_ovsdb_datum_SOURCES = tests/test-ovsdb-datum.c
tests_test_ovsdb_datum_CFLAGS = $(TEST_CFLAGS)
tests_test_ovsdb_datum_LDADD = ovsdb/libovsdb.a $(TEST_LDADD)
TESTS += tests/test-ovsdb-datum
