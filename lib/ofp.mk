# lib: OpenFlow codec, flow syntax and the classifier (see docs/architecture.md).
lib_libvswitch_a_SOURCES += \
	lib/classifier.c lib/classifier.h \
	lib/match.c lib/match.h \
	lib/ofp-actions.c lib/ofp-actions.h \
	lib/ofp-buf.c lib/ofp-buf.h \
	lib/ofp-bundle.c lib/ofp-bundle.h \
	lib/ofp-errors.c lib/ofp-errors.h \
	lib/ofp-fields.c lib/ofp-fields.h \
	lib/ofp-flow.c lib/ofp-flow.h \
	lib/ofp-framer.c lib/ofp-framer.h \
	lib/ofp-group.c lib/ofp-group.h \
	lib/ofp-match.c lib/ofp-match.h \
	lib/ofp-meter.c lib/ofp-meter.h \
	lib/ofp-msgs.c lib/ofp-msgs.h \
	lib/ofp-parse.c lib/ofp-parse.h \
	lib/ofp-print.c lib/ofp-print.h \
	lib/ofp-switch.c lib/ofp-switch.h \
	lib/ofp-table.c lib/ofp-table.h \
	lib/oxm.c lib/oxm.h

# Nicira extension messages of OpenFlow 1.0 (NXT_FLOW_MOD, NXST_FLOW...).
lib_libvswitch_a_SOURCES += \
	lib/ofp-nx.c lib/ofp-nx.h \
	lib/ofp-actions-nx.c lib/ofp-actions-nx.h

# Flow monitoring messages and the NXM match format they use in OF1.0.
lib_libvswitch_a_SOURCES += \
	lib/nxm.c lib/nxm.h \
	lib/ofp-monitor.c lib/ofp-monitor.h

# Queue descriptions (queue get-config, OF1.4 queue desc).
lib_libvswitch_a_SOURCES += lib/ofp-queue.c lib/ofp-queue.h

# A small CLI over the codec, used by the interop test against ovs-ofctl.
check_PROGRAMS += tests/test-ofp-cli
tests_test_ofp_cli_SOURCES = tests/test-ofp-cli.c
tests_test_ofp_cli_LDADD = $(VSWITCH_LIBS)

check_PROGRAMS += tests/test-classifier
tests_test_classifier_SOURCES = tests/test-classifier.c
tests_test_classifier_CFLAGS = $(TEST_CFLAGS)
tests_test_classifier_LDADD = $(TEST_LDADD)
TESTS += tests/test-classifier

check_PROGRAMS += tests/test-ofp-flow
tests_test_ofp_flow_SOURCES = tests/test-ofp-flow.c
tests_test_ofp_flow_CFLAGS = $(TEST_CFLAGS)
tests_test_ofp_flow_LDADD = $(TEST_LDADD)
TESTS += tests/test-ofp-flow

check_PROGRAMS += tests/test-ofp-msgs
tests_test_ofp_msgs_SOURCES = tests/test-ofp-msgs.c
tests_test_ofp_msgs_CFLAGS = $(TEST_CFLAGS)
tests_test_ofp_msgs_LDADD = $(TEST_LDADD)
TESTS += tests/test-ofp-msgs

# Nicira extension messages and actions of OpenFlow 1.0 (branch nxm).
check_PROGRAMS += tests/test-ofp-nx
tests_test_ofp_nx_SOURCES = tests/test-ofp-nx.c \
	tests/test-ofp-util.c tests/test-ofp-util.h
tests_test_ofp_nx_CFLAGS = $(TEST_CFLAGS)
tests_test_ofp_nx_LDADD = $(TEST_LDADD)
TESTS += tests/test-ofp-nx

# Interop with ovs-ofctl (skips without it).
TESTS += tests/ofp-interop.sh
EXTRA_DIST += tests/ofp-interop.sh tests/ofp-capture.py

# Fuzz target: standalone corpus replay in make check (see the file for
# the libFuzzer build).
check_PROGRAMS += tests/fuzz/fuzz-ofp-decode
tests_fuzz_fuzz_ofp_decode_SOURCES = tests/fuzz/fuzz-ofp-decode.c
tests_fuzz_fuzz_ofp_decode_LDADD = $(VSWITCH_LIBS)
TESTS += tests/fuzz/fuzz-ofp-decode
EXTRA_DIST += tests/fuzz/corpus/ofp-decode

check_PROGRAMS += tests/test-ofp-group
tests_test_ofp_group_SOURCES = tests/test-ofp-group.c
tests_test_ofp_group_CFLAGS = $(TEST_CFLAGS)
tests_test_ofp_group_LDADD = $(TEST_LDADD)
TESTS += tests/test-ofp-group

# Queue descriptions codec.
check_PROGRAMS += tests/test-ofp-queue
tests_test_ofp_queue_SOURCES = tests/test-ofp-queue.c tests/test-util.c tests/test-util.h
tests_test_ofp_queue_CFLAGS = $(TEST_CFLAGS)
tests_test_ofp_queue_LDADD = $(TEST_LDADD)
TESTS += tests/test-ofp-queue

# Nicira registers in the codecs (branch regs).
check_PROGRAMS += tests/test-ofp-regs
tests_test_ofp_regs_SOURCES = tests/test-ofp-regs.c \
	tests/test-ofp-util.c tests/test-ofp-util.h
tests_test_ofp_regs_CFLAGS = $(TEST_CFLAGS)
tests_test_ofp_regs_LDADD = $(TEST_LDADD)
TESTS += tests/test-ofp-regs

# Nicira's learn action (branch regs).
lib_libvswitch_a_SOURCES += lib/ofp-learn.c lib/ofp-learn.h
lib_libvswitch_a_SOURCES += lib/ofp-actions-of15.c lib/ofp-actions-of15.h

# NXT_PACKET_IN2 and the property lists it and NXAST_CONTROLLER2 use
# (branch pin2).
lib_libvswitch_a_SOURCES += \
	lib/ofp-prop.c lib/ofp-prop.h \
	lib/ofp-packet-in2.c lib/ofp-packet-in2.h
lib_libvswitch_a_SOURCES += \
	lib/ofp-actions-controller2.c lib/ofp-actions-controller2.h

# NXT_PACKET_IN2, property lists and NXAST_CONTROLLER2 (branch pin2).
check_PROGRAMS += tests/test-ofp-pin2
tests_test_ofp_pin2_SOURCES = tests/test-ofp-pin2.c \
	tests/test-ofp-util.c tests/test-ofp-util.h
tests_test_ofp_pin2_CFLAGS = $(TEST_CFLAGS)
tests_test_ofp_pin2_LDADD = $(TEST_LDADD)
TESTS += tests/test-ofp-pin2
