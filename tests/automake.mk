# tests/: Check unit tests (one program per module, tests/test-MODULE.c) and
# system tests (tests/system/*.sh, run as root in private namespaces).
# Area fragments add their own tests the same way.
TESTS_ENVIRONMENT += CK_DEFAULT_TIMEOUT=120

check_PROGRAMS += tests/test-containers
tests_test_containers_SOURCES = tests/test-containers.c
tests_test_containers_CFLAGS = $(TEST_CFLAGS)
tests_test_containers_LDADD = $(TEST_LDADD)
TESTS += tests/test-containers

EXTRA_DIST += tests/run-all.sh tests/system/lib.sh

SYSTEM_TESTS += tests/system/test-harness.sh
EXTRA_DIST += tests/system/test-harness.sh

# core-b: JSON, streams, JSON-RPC.
check_PROGRAMS += tests/test-json
tests_test_json_SOURCES = tests/test-json.c
tests_test_json_CFLAGS = $(TEST_CFLAGS)
tests_test_json_LDADD = $(TEST_LDADD)
TESTS += tests/test-json
