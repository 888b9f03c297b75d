# lib: packet headers, checksums, packet buffers and flow keys
# (see "Packets and flow keys" in docs/architecture.md).
lib_libvswitch_a_SOURCES += \
	lib/byte-order.h \
	lib/csum.c lib/csum.h \
	lib/dp-packet.c lib/dp-packet.h \
	lib/flow.c lib/flow.h \
	lib/flow-extract.c \
	lib/flow-format.c \
	lib/packets.c lib/packets.h

check_PROGRAMS += tests/test-flow
tests_test_flow_SOURCES = tests/test-flow.c
tests_test_flow_CFLAGS = $(TEST_CFLAGS)
tests_test_flow_LDADD = $(TEST_LDADD)
TESTS += tests/test-flow
EXTRA_DIST += tests/gen-flow-vectors.py
