# ofproto: see docs/architecture.md
# NORMAL switching (engineer xdp): MAC learning, VLAN-aware translation to
# megaflows, and the switch that runs it over a dpif.
noinst_LIBRARIES += ofproto/libnormal.a
ofproto_libnormal_a_SOURCES = \
	ofproto/mac-learning.c ofproto/mac-learning.h \
	ofproto/normal.c ofproto/normal.h \
	ofproto/dp-switch.c ofproto/dp-switch.h
ofproto_libnormal_a_CFLAGS = $(AM_CFLAGS)

check_PROGRAMS += tests/test-mac-learning
tests_test_mac_learning_SOURCES = tests/test-mac-learning.c
tests_test_mac_learning_CFLAGS = $(TEST_CFLAGS)
tests_test_mac_learning_LDADD = ofproto/libnormal.a $(TEST_LDADD)
TESTS += tests/test-mac-learning

check_PROGRAMS += tests/test-normal
tests_test_normal_SOURCES = tests/test-normal.c
tests_test_normal_CFLAGS = $(TEST_CFLAGS)
tests_test_normal_LDADD = ofproto/libnormal.a $(TEST_LDADD)
TESTS += tests/test-normal

SYSTEM_TESTS += tests/system/normal-switch.sh
EXTRA_DIST += tests/system/normal-switch.sh

# The OpenFlow switch (issue 6): ofproto (tables, groups, meters, message
# handlers), connmgr (connections), xlate (pipeline -> megaflows).  Each part
# adds its sources with `ofproto_libofproto_a_SOURCES += ...`.
noinst_LIBRARIES += ofproto/libofproto.a
ofproto_libofproto_a_CFLAGS = $(AM_CFLAGS)
ofproto_libofproto_a_SOURCES = ofproto/ofproto.h ofproto/connmgr.h
# connmgr (engineer connmgr): listeners, controllers, per-connection protocol.
ofproto_libofproto_a_SOURCES += ofproto/connmgr.c
ofproto_libofproto_a_SOURCES += ofproto/ofconn.c ofproto/ofconn.h
ofproto_libofproto_a_SOURCES += ofproto/pinsched.c ofproto/pinsched.h
ofproto_libofproto_a_SOURCES += ofproto/outq.c ofproto/outq.h
# connmgr tests: real sockets; the ofproto_* calls are test doubles in the
# test file, so libofproto.a's ofproto.o is not linked in.
check_PROGRAMS += tests/test-connmgr
tests_test_connmgr_SOURCES = tests/test-connmgr.c \
	tests/test-util.c tests/test-util.h
tests_test_connmgr_CFLAGS = $(TEST_CFLAGS) -I$(srcdir)/ofproto
tests_test_connmgr_LDADD = ofproto/libofproto.a $(TEST_LDADD)
TESTS += tests/test-connmgr
# connmgr backpressure with a real 100,000-flow dump (skips without the
# ofproto core).
SYSTEM_TESTS += tests/system/connmgr-big-dump.sh
EXTRA_DIST += tests/system/connmgr-big-dump.sh
