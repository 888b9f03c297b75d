# tests/: Check unit tests (one program per module, tests/test-MODULE.c) and
# system tests (tests/system/*.sh, run as root in private namespaces).
# Area fragments add their own tests the same way.
TESTS_ENVIRONMENT += CK_DEFAULT_TIMEOUT=120

check_PROGRAMS += tests/test-containers
tests_test_containers_SOURCES = tests/test-containers.c \
	tests/test-util.c tests/test-util.h
tests_test_containers_CFLAGS = $(TEST_CFLAGS)
tests_test_containers_LDADD = $(TEST_LDADD)
TESTS += tests/test-containers

EXTRA_DIST += tests/run-all.sh tests/system/lib.sh

SYSTEM_TESTS += tests/system/test-harness.sh
EXTRA_DIST += tests/system/test-harness.sh

# core-b: JSON, streams, JSON-RPC.
check_PROGRAMS += tests/test-json
tests_test_json_SOURCES = tests/test-json.c \
	tests/test-util.c tests/test-util.h
tests_test_json_CFLAGS = $(TEST_CFLAGS)
tests_test_json_LDADD = $(TEST_LDADD)
TESTS += tests/test-json
check_PROGRAMS += tests/test-stream tests/test-reconnect
tests_test_stream_SOURCES = tests/test-stream.c \
	tests/test-util.c tests/test-util.h
tests_test_stream_CFLAGS = $(TEST_CFLAGS)
tests_test_stream_LDADD = $(TEST_LDADD)
tests_test_reconnect_SOURCES = tests/test-reconnect.c \
	tests/test-util.c tests/test-util.h
tests_test_reconnect_CFLAGS = $(TEST_CFLAGS)
tests_test_reconnect_LDADD = $(TEST_LDADD)
TESTS += tests/test-stream tests/test-reconnect
check_PROGRAMS += tests/test-jsonrpc
tests_test_jsonrpc_SOURCES = tests/test-jsonrpc.c \
	tests/test-util.c tests/test-util.h
tests_test_jsonrpc_CFLAGS = $(TEST_CFLAGS)
tests_test_jsonrpc_LDADD = $(TEST_LDADD)
TESTS += tests/test-jsonrpc
# Fuzz target: under 'make check' (gcc) it replays the seed corpus plus
# deterministic mutations; "tests/fuzz/run-fuzz.sh jsonrpc" runs it under
# libFuzzer (the script builds every target in tests/fuzz/).
check_PROGRAMS += tests/fuzz/fuzz-jsonrpc
tests_fuzz_fuzz_jsonrpc_SOURCES = tests/fuzz/fuzz-jsonrpc.c \
	tests/fuzz/fuzz-main.c tests/fuzz/fuzz-main.h
tests_fuzz_fuzz_jsonrpc_CFLAGS = $(AM_CFLAGS)
tests_fuzz_fuzz_jsonrpc_LDADD = $(VSWITCH_LIBS)
TESTS += tests/fuzz/fuzz-jsonrpc
EXTRA_DIST += tests/fuzz/run-fuzz.sh tests/fuzz/corpus-jsonrpc
# Peer for tests/system/jsonrpc-interop.sh (not a test by itself).
check_PROGRAMS += tests/test-jsonrpc-tool
tests_test_jsonrpc_tool_SOURCES = tests/test-jsonrpc-tool.c
tests_test_jsonrpc_tool_CFLAGS = $(AM_CFLAGS)
tests_test_jsonrpc_tool_LDADD = $(VSWITCH_LIBS)
SYSTEM_TESTS += tests/system/jsonrpc-interop.sh
EXTRA_DIST += tests/system/jsonrpc-interop.sh
check_PROGRAMS += tests/test-stream-ssl
tests_test_stream_ssl_SOURCES = tests/test-stream-ssl.c
tests_test_stream_ssl_CFLAGS = $(TEST_CFLAGS)
tests_test_stream_ssl_LDADD = $(TEST_LDADD)
TESTS += tests/test-stream-ssl
# os-ken controller against vs-vswitchd (scenario shared with bench/osken-ovs.sh).
SYSTEM_TESTS += tests/system/osken-controller.sh
EXTRA_DIST += tests/system/osken-controller.sh tests/system/osken-lib.sh tests/system/osken-l2-learning.py
# TLS: SSL row and options in vs-vswitchd and vs-ovsdb-server, pssl:/ssl:
# controllers and managers, CA bootstrap, against ovs-ofctl/ovs-vsctl/os-ken.
SYSTEM_TESTS += tests/system/ssl-controller.sh
EXTRA_DIST += tests/system/ssl-controller.sh tests/system/ssl-jsonrpc-peer.py
# TLS plugin: no OpenSSL in the programs, exported callbacks, missing plugin.
TESTS += tests/ssl-plugin.sh
EXTRA_DIST += tests/ssl-plugin.sh
