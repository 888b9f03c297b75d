# datapath: dpif (the provider interface) and dpif-xdp, the eBPF/XDP fast
# path.  See docs/architecture.md, "Datapath (dpif, dpif-xdp)".
noinst_LIBRARIES += datapath/libdatapath.a
datapath_libdatapath_a_SOURCES = \
	datapath/dpif.c datapath/dpif.h \
	datapath/dpif-format.c \
	datapath/dpif-xdp.c \
	datapath/netdev-linux.c datapath/netdev-linux.h \
	datapath/bpf/dp-key.h
# Tunnel ports (vxlan, geneve): options, shared netdevs, userspace send.
datapath_libdatapath_a_SOURCES += datapath/tunnel.c datapath/tunnel.h
datapath_libdatapath_a_CFLAGS = $(AM_CFLAGS) $(LIBBPF_CFLAGS)
nodist_datapath_libdatapath_a_SOURCES = datapath/dp.skel.h
BUILT_SOURCES += datapath/dp.skel.h
CLEANFILES += datapath/dp.bpf.o datapath/dp.skel.h
EXTRA_DIST += datapath/bpf/dp.bpf.c datapath/bpf/dp-parse.h datapath/bpf/token-bucket.h

# Everything that drives a datapath links with this.
DATAPATH_LIBS = datapath/libdatapath.a $(LIBBPF_LIBS) $(LIBNL_LIBS)

BPF_CFLAGS = -target bpf -g -O2 -Wall -Werror -I$(top_srcdir)/datapath/bpf

datapath/dp.bpf.o: datapath/bpf/dp.bpf.c datapath/bpf/dp-parse.h datapath/bpf/dp-key.h \
	datapath/bpf/token-bucket.h
	@$(MKDIR_P) datapath
	$(AM_V_GEN)$(CLANG) $(BPF_CFLAGS) -I/usr/include/$$($(CC) -print-multiarch) -c $< -o $@

datapath/dp.skel.h: datapath/dp.bpf.o
	$(AM_V_GEN)$(BPFTOOL) gen skeleton $< name dp_bpf > $@.tmp && mv $@.tmp $@

SYSTEM_TESTS += tests/system/dp-forward.sh
EXTRA_DIST += tests/system/dp-forward.sh tests/system/dp-lib.sh

check_PROGRAMS += tests/test-dpif-format
tests_test_dpif_format_SOURCES = tests/test-dpif-format.c
tests_test_dpif_format_CFLAGS = $(TEST_CFLAGS)
tests_test_dpif_format_LDADD = $(DATAPATH_LIBS) $(TEST_LDADD)
TESTS += tests/test-dpif-format

# Rewrite actions (set_eth_*, set_ipv4_*, set_tp_*, set_ip_tos/ttl) for
# userspace execute, and their unit test.
datapath_libdatapath_a_SOURCES += datapath/dp-rewrite.c datapath/dp-rewrite.h
check_PROGRAMS += tests/test-dp-rewrite
tests_test_dp_rewrite_SOURCES = tests/test-dp-rewrite.c
tests_test_dp_rewrite_CFLAGS = $(TEST_CFLAGS)
tests_test_dp_rewrite_LDADD = $(DATAPATH_LIBS) $(TEST_LDADD)
TESTS += tests/test-dp-rewrite
SYSTEM_TESTS += tests/system/dp-rewrite.sh
EXTRA_DIST += tests/system/dp-rewrite.sh
SYSTEM_TESTS += tests/system/dp-rewrite-native.sh
EXTRA_DIST += tests/system/dp-rewrite-native.sh tests/system/dp-rewrite.py
SYSTEM_TESTS += tests/system/dp-meter.sh
EXTRA_DIST += tests/system/dp-meter.sh

# A full megaflow map: no first packet lost, eviction makes room.
SYSTEM_TESTS += tests/system/dp-full.sh
EXTRA_DIST += tests/system/dp-full.sh

# Batches of flow puts (dpif_operate) through vs-dpctl add-flows.
SYSTEM_TESTS += tests/system/dp-batch.sh
EXTRA_DIST += tests/system/dp-batch.sh

# Batched megaflow creation with BPF_NOEXIST (dpif_operate): a small BPF
# object of its own, run through BPF_PROG_RUN, sharing the datapath's flows.
datapath_libdatapath_a_SOURCES += datapath/bpf/dp-put.h
nodist_datapath_libdatapath_a_SOURCES += datapath/dp-put.skel.h
BUILT_SOURCES += datapath/dp-put.skel.h
CLEANFILES += datapath/dp-put.bpf.o datapath/dp-put.skel.h
EXTRA_DIST += datapath/bpf/dp-put.bpf.c

datapath/dp-put.bpf.o: datapath/bpf/dp-put.bpf.c datapath/bpf/dp-put.h datapath/bpf/dp-key.h
	@$(MKDIR_P) datapath
	$(AM_V_GEN)$(CLANG) $(BPF_CFLAGS) -I/usr/include/$$($(CC) -print-multiarch) -c $< -o $@

datapath/dp-put.skel.h: datapath/dp-put.bpf.o
	$(AM_V_GEN)$(BPFTOOL) gen skeleton $< name dp_put_bpf > $@.tmp && mv $@.tmp $@

# dpif_operate()/dpif_recv_batch() fallbacks for providers without batches.
check_PROGRAMS += tests/test-dpif-batch
tests_test_dpif_batch_SOURCES = tests/test-dpif-batch.c
tests_test_dpif_batch_CFLAGS = $(TEST_CFLAGS)
tests_test_dpif_batch_LDADD = $(DATAPATH_LIBS) $(TEST_LDADD)
TESTS += tests/test-dpif-batch

# Tunnel ports: unit test of the options and encapsulation, and the system
# test (two underlay namespaces, vs-vswitchd in one, Linux vxlan in the other).
check_PROGRAMS += tests/test-tunnel
tests_test_tunnel_SOURCES = tests/test-tunnel.c
tests_test_tunnel_CFLAGS = $(TEST_CFLAGS)
tests_test_tunnel_LDADD = $(DATAPATH_LIBS) $(TEST_LDADD)
TESTS += tests/test-tunnel
SYSTEM_TESTS += tests/system/tunnel-vxlan.sh
EXTRA_DIST += tests/system/tunnel-vxlan.sh
