# vswitchd: see docs/architecture.md
# The Open_vSwitch database schema (owned by vsctl).
dist_pkgdata_DATA += vswitchd/vswitch.ovsschema

# vs-vswitchd (engineer xdp).
sbin_PROGRAMS += vswitchd/vs-vswitchd
vswitchd_vs_vswitchd_SOURCES = \
	vswitchd/vs-vswitchd.c \
	vswitchd/bridge.c vswitchd/bridge.h \
	vswitchd/cfg-file.c vswitchd/cfg-file.h \
	vswitchd/cfg-ovsdb.c vswitchd/cfg-ovsdb.h \
	vswitchd/vswitchd-unixctl.c vswitchd/vswitchd-unixctl.h
vswitchd_vs_vswitchd_CFLAGS = $(AM_CFLAGS) $(LIBBPF_CFLAGS) -I$(top_srcdir)/ovsdb
vswitchd_vs_vswitchd_LDADD = ofproto/libnormal.a $(DATAPATH_LIBS) $(IDL_LIBS) \
	$(VSWITCH_LIBS)

SYSTEM_TESTS += tests/system/vswitchd-vlan.sh
EXTRA_DIST += tests/system/vswitchd-vlan.sh
SYSTEM_TESTS += tests/system/vswitchd-restart.sh
EXTRA_DIST += tests/system/vswitchd-restart.sh
SYSTEM_TESTS += tests/system/vswitchd-tap.sh
EXTRA_DIST += tests/system/vswitchd-tap.sh tests/system/fake-vmm.py
man_MANS += docs/vs-vswitchd.8
EXTRA_DIST += docs/vs-vswitchd.8

# OpenFlow configuration of a bridge as plain data (engineer vswitchd).
vswitchd_vs_vswitchd_SOURCES += vswitchd/openflow-cfg.c vswitchd/openflow-cfg.h
check_PROGRAMS += tests/test-openflow-cfg
tests_test_openflow_cfg_SOURCES = tests/test-openflow-cfg.c \
	vswitchd/openflow-cfg.c vswitchd/openflow-cfg.h \
	tests/test-util.c tests/test-util.h
tests_test_openflow_cfg_CFLAGS = $(TEST_CFLAGS)
tests_test_openflow_cfg_LDADD = $(TEST_LDADD)
TESTS += tests/test-openflow-cfg

# The OpenFlow side of bridges: database -> ofproto/connmgr, status back
# (engineer vswitchd).
vswitchd_vs_vswitchd_SOURCES += vswitchd/bridge-openflow.c vswitchd/bridge-openflow.h
vswitchd_vs_vswitchd_SOURCES += vswitchd/vs-cfg.c
check_PROGRAMS += tests/test-cfg-file
tests_test_cfg_file_SOURCES = tests/test-cfg-file.c \
	vswitchd/cfg-file.c vswitchd/cfg-file.h vswitchd/vs-cfg.c \
	vswitchd/openflow-cfg.c vswitchd/openflow-cfg.h \
	tests/test-util.c tests/test-util.h
tests_test_cfg_file_CFLAGS = $(TEST_CFLAGS)
tests_test_cfg_file_LDADD = $(TEST_LDADD)
TESTS += tests/test-cfg-file
SYSTEM_TESTS += tests/system/ofctl-interop.sh tests/system/ofproto-traffic.sh
EXTRA_DIST += tests/system/ofctl-interop.sh tests/system/ofproto-traffic.sh \
	tests/system/ofctl-lib.sh tests/system/of-raw.py
# The bridge's OpenFlow switch (issue 6): dp-switch (in libnormal.a) runs
# the pipeline of libofproto.a, which calls NORMAL back in libnormal.a.
vswitchd_vs_vswitchd_LDADD += ofproto/libofproto.a ofproto/libnormal.a \
	$(DATAPATH_LIBS) $(VSWITCH_LIBS)

# MPLS through vs-vswitchd (push/pop/label/TTL, XDP, tc and userspace).
SYSTEM_TESTS += tests/system/ofproto-mpls.sh
EXTRA_DIST += tests/system/ofproto-mpls.sh tests/system/mpls-pkt.py
# OpenFlow 1.0 Nicira role requests from os-ken.
SYSTEM_TESTS += tests/system/ofproto-nx-role.sh
EXTRA_DIST += tests/system/ofproto-nx-role.sh tests/system/osken-nx-role.py
# Interface ofport_request.
SYSTEM_TESTS += tests/system/vswitchd-ofport-request.sh
EXTRA_DIST += tests/system/vswitchd-ofport-request.sh
# OpenFlow queues as skb priorities for Linux qdiscs.
SYSTEM_TESTS += tests/system/ofproto-queue.sh
EXTRA_DIST += tests/system/ofproto-queue.sh

# QoS: the QoS/Queue tables and ingress policing onto tc qdiscs, classes
# and a policer (rtnetlink via libnl-route-3); queues for OpenFlow.
vswitchd_vs_vswitchd_SOURCES += vswitchd/qos.c vswitchd/qos.h \
	vswitchd/qos-police.c vswitchd/bridge-qos.c vswitchd/bridge-qos.h
vswitchd_vs_vswitchd_LDADD += $(LIBNL_LIBS)
nodist_vswitchd_vs_vswitchd_SOURCES = vswitchd/police.skel.h
BUILT_SOURCES += vswitchd/police.skel.h
CLEANFILES += vswitchd/police.bpf.o vswitchd/police.skel.h
EXTRA_DIST += datapath/bpf/police.bpf.c datapath/bpf/police.h
vswitchd/police.bpf.o: datapath/bpf/police.bpf.c datapath/bpf/police.h \
	datapath/bpf/token-bucket.h
	@$(MKDIR_P) vswitchd
	$(AM_V_GEN)$(CLANG) $(BPF_CFLAGS) -I/usr/include/$$($(CC) -print-multiarch) -c $< -o $@
vswitchd/police.skel.h: vswitchd/police.bpf.o
	$(AM_V_GEN)$(BPFTOOL) gen skeleton $< name police_bpf > $@.tmp && mv $@.tmp $@
SYSTEM_TESTS += tests/system/vswitchd-qos.sh
EXTRA_DIST += tests/system/vswitchd-qos.sh
check_PROGRAMS += tests/test-qos
tests_test_qos_SOURCES = tests/test-qos.c vswitchd/qos.c vswitchd/qos.h \
	tests/test-util.c tests/test-util.h
tests_test_qos_CFLAGS = $(TEST_CFLAGS)
tests_test_qos_LDADD = $(TEST_LDADD)
TESTS += tests/test-qos
