# lib: packet headers, checksums, packet buffers and flow keys
# (see "Packets and flow keys" in docs/architecture.md).
lib_libvswitch_a_SOURCES += \
	lib/byte-order.h \
	lib/csum.c lib/csum.h \
	lib/dp-packet.c lib/dp-packet.h \
	lib/flow.c lib/flow.h \
	lib/flow-extract.c \
	lib/flow-format.c \
	lib/flow-compose.c lib/flow-compose.h \
	lib/packets.c lib/packets.h

check_PROGRAMS += tests/test-flow
tests_test_flow_SOURCES = tests/test-flow.c \
	tests/test-util.c tests/test-util.h
tests_test_flow_CFLAGS = $(TEST_CFLAGS)
tests_test_flow_LDADD = $(TEST_LDADD)
TESTS += tests/test-flow
EXTRA_DIST += tests/gen-flow-vectors.py

check_PROGRAMS += tests/test-packets
tests_test_packets_SOURCES = tests/test-packets.c \
	tests/test-util.c tests/test-util.h
tests_test_packets_CFLAGS = $(TEST_CFLAGS)
tests_test_packets_LDADD = $(TEST_LDADD)
TESTS += tests/test-packets

check_PROGRAMS += tests/test-csum
tests_test_csum_SOURCES = tests/test-csum.c \
	tests/test-util.c tests/test-util.h
tests_test_csum_CFLAGS = $(TEST_CFLAGS)
tests_test_csum_LDADD = $(TEST_LDADD)
TESTS += tests/test-csum

check_PROGRAMS += tests/test-dp-packet
tests_test_dp_packet_SOURCES = tests/test-dp-packet.c \
	tests/test-util.c tests/test-util.h
tests_test_dp_packet_CFLAGS = $(TEST_CFLAGS)
tests_test_dp_packet_LDADD = $(TEST_LDADD)
TESTS += tests/test-dp-packet

# Fuzz target: 'make check' replays the committed corpus;
# "tests/fuzz/run-fuzz.sh flow-extract" runs it under libFuzzer.
check_PROGRAMS += tests/fuzz/fuzz-flow-extract
tests_fuzz_fuzz_flow_extract_SOURCES = tests/fuzz/fuzz-flow-extract.c \
	tests/fuzz/fuzz-main.c tests/fuzz/fuzz-main.h
tests_fuzz_fuzz_flow_extract_LDADD = $(VSWITCH_LIBS)
TESTS += tests/fuzz/fuzz-flow-extract
EXTRA_DIST += tests/fuzz/corpus/flow-extract

lib_libvswitch_a_SOURCES += lib/packet-rewrite.c lib/packet-rewrite.h
check_PROGRAMS += tests/test-packet-rewrite
tests_test_packet_rewrite_SOURCES = tests/test-packet-rewrite.c \
	tests/test-util.c tests/test-util.h
tests_test_packet_rewrite_CFLAGS = $(TEST_CFLAGS)
tests_test_packet_rewrite_LDADD = $(TEST_LDADD)
TESTS += tests/test-packet-rewrite

# Prints the flow of every frame in a pcap file (compared with
# "ovs-ofctl parse-pcap" by tests/system/flow-extract-vs-ovs.sh).
check_PROGRAMS += tests/flow-pcap
tests_flow_pcap_SOURCES = tests/flow-pcap.c
tests_flow_pcap_LDADD = $(VSWITCH_LIBS)
SYSTEM_TESTS += tests/system/flow-extract-vs-ovs.sh
EXTRA_DIST += tests/system/flow-extract-vs-ovs.sh
