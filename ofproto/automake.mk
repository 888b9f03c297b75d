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

# The OpenFlow switch (issue 6): ofproto (tables, groups, meters, bundles,
# message handlers), connmgr (connections), xlate (pipeline -> megaflows).
noinst_LIBRARIES += ofproto/libofproto.a
ofproto_libofproto_a_CFLAGS = $(AM_CFLAGS)
ofproto_libofproto_a_SOURCES = \
	ofproto/ofproto.c ofproto/ofproto.h \
	ofproto/ofproto-provider.h \
	ofproto/ofproto-txn.h \
	ofproto/ofproto-flow.c \
	ofproto/ofproto-group.c \
	ofproto/ofproto-meter.c \
	ofproto/ofproto-bundle.c \
	ofproto/ofproto-handlers.c \
	ofproto/ofproto-stats.c \
	ofproto/rule-dump-cache.c ofproto/rule-dump-cache.h \
	ofproto/table-order.c ofproto/table-order.h \
	ofproto/connmgr.c ofproto/connmgr.h \
	ofproto/ofconn.c ofproto/ofconn.h \
	ofproto/pinsched.c ofproto/pinsched.h \
	ofproto/outq.c ofproto/outq.h \
	ofproto/xlate.c ofproto/xlate.h \
	ofproto/xlate-key.c \
	ofproto/xlate-exec.c \
	ofproto/dp-meters.c ofproto/dp-meters.h
# Flow monitors (branch monitor).
ofproto_libofproto_a_SOURCES += ofproto/ofproto-monitor.c

check_PROGRAMS += tests/test-ofproto
tests_test_ofproto_SOURCES = tests/test-ofproto.c
tests_test_ofproto_CFLAGS = $(TEST_CFLAGS)
tests_test_ofproto_LDADD = ofproto/libofproto.a $(TEST_LDADD)
TESTS += tests/test-ofproto

# connmgr tests: real sockets; the ofproto_* calls are test doubles in the
# test file, so libofproto.a's ofproto.o is not linked in.
check_PROGRAMS += tests/test-connmgr
tests_test_connmgr_SOURCES = tests/test-connmgr.c \
	tests/test-util.c tests/test-util.h
tests_test_connmgr_CFLAGS = $(TEST_CFLAGS) -I$(srcdir)/ofproto
tests_test_connmgr_LDADD = ofproto/libofproto.a $(TEST_LDADD)
TESTS += tests/test-connmgr

check_PROGRAMS += tests/test-xlate
tests_test_xlate_SOURCES = tests/test-xlate.c \
	tests/xlate-fixture.c tests/xlate-fixture.h
tests_test_xlate_CFLAGS = $(TEST_CFLAGS)
tests_test_xlate_LDADD = ofproto/libofproto.a ofproto/libnormal.a \
	$(DATAPATH_LIBS) $(TEST_LDADD)
TESTS += tests/test-xlate

check_PROGRAMS += tests/test-ofp-fin
tests_test_ofp_fin_SOURCES = tests/test-ofp-fin.c \
	tests/test-ofp-util.c tests/test-ofp-util.h \
	tests/xlate-fixture.c tests/xlate-fixture.h
tests_test_ofp_fin_CFLAGS = $(TEST_CFLAGS)
tests_test_ofp_fin_LDADD = ofproto/libofproto.a ofproto/libnormal.a \
	$(DATAPATH_LIBS) $(TEST_LDADD)
TESTS += tests/test-ofp-fin

SYSTEM_TESTS += tests/system/ofproto-ofp-print.sh \
	tests/system/ofproto-ofctl.sh \
	tests/system/ofproto-osken.sh \
	tests/system/ofproto-flows.sh \
	tests/system/connmgr-big-dump.sh
EXTRA_DIST += tests/system/ofproto-ofp-print.sh \
	tests/system/ofproto-ofctl.sh \
	tests/system/ofproto-osken.sh \
	tests/system/ofproto-flows.sh \
	tests/system/connmgr-big-dump.sh
# Dumps from kept encodings follow modify, bundle abort and versions.
SYSTEM_TESTS += tests/system/dump-cache.sh
EXTRA_DIST += tests/system/dump-cache.sh

# Flow monitors and snoop against ovs-ofctl (branch monitor).
SYSTEM_TESTS += tests/system/ofproto-monitor.sh
EXTRA_DIST += tests/system/ofproto-monitor.sh tests/system/monitor-stall.py

# Plain ovs-ofctl (OpenFlow 1.0 + Nicira extensions) against vs-vswitchd
# and Debian's ovs-vswitchd (branch nxm).
SYSTEM_TESTS += tests/system/ofproto-nxm.sh
EXTRA_DIST += tests/system/ofproto-nxm.sh

# Nicira registers: the same flows through ovs-ofctl (OF1.0 and 1.3) and
# vs-ofctl on vs-vswitchd and Debian's ovs-vswitchd, and a register
# pipeline carrying traffic (branch regs).
SYSTEM_TESTS += tests/system/ofproto-regs.sh
EXTRA_DIST += tests/system/ofproto-regs.sh tests/system/ofctl-pair-lib.sh

# fin_timeout and learn's fin timeouts, against ovs-vswitchd, and real TCP
# whose FIN lowers a flow's idle timeout (branch fin).
SYSTEM_TESTS += tests/system/ofproto-fin.sh
EXTRA_DIST += tests/system/ofproto-fin.sh

# learn's delete_learned (branch regs).
ofproto_libofproto_a_SOURCES += ofproto/learned-cookies.c ofproto/learned-cookies.h

# NXT_PACKET_IN2 and controller(userdata=...) against ovs-vswitchd (branch
# pin2).
SYSTEM_TESTS += tests/system/ofproto-packet-in2.sh
EXTRA_DIST += tests/system/ofproto-packet-in2.sh
