# utilities: see docs/architecture.md

# vs-vsctl (owned by vsctl).
bin_PROGRAMS += utilities/vs-vsctl
utilities_vs_vsctl_SOURCES = \
	utilities/vs-vsctl.c utilities/vsctl.h \
	utilities/vsctl-bridge.c utilities/vsctl-db.c utilities/vsctl-table.c
utilities_vs_vsctl_LDADD = $(IDL_LIBS) $(VSWITCH_LIBS)
SYSTEM_TESTS += tests/system/vsctl.sh tests/system/vsctl-interop.sh \
	tests/system/vsctl-wait.sh tests/system/vsctl-fallback.sh \
	tests/system/vsctl-vswitchd.sh
EXTRA_DIST += tests/system/vsctl.sh tests/system/vsctl-interop.sh \
	tests/system/vsctl-wait.sh tests/system/vsctl-fallback.sh \
	tests/system/vsctl-fallback.py tests/system/vsctl-vswitchd.sh \
	tests/system/vsctl-lib.sh tests/system/vsctl-cases.sh

# vs-ctl and the systemd units (owned by vsctl): generated from .in files
# with the configured directories.
bin_SCRIPTS += utilities/vs-ctl
systemdunitdir = $(prefix)/lib/systemd/system
systemdunit_DATA = utilities/vs-ovsdb-server.service utilities/vs-vswitchd.service
CLEANFILES += utilities/vs-ctl $(systemdunit_DATA)
EXTRA_DIST += utilities/vs-ctl.in utilities/vs-ovsdb-server.service.in \
	utilities/vs-vswitchd.service.in
vsctl_subst = sed -e 's|@VERSION[@]|$(VERSION)|g' -e 's|@bindir[@]|$(bindir)|g' \
	-e 's|@sbindir[@]|$(sbindir)|g' -e 's|@pkgdatadir[@]|$(pkgdatadir)|g' \
	-e 's|@RUNDIR[@]|$(localstatedir)/run/vswitch|g' \
	-e 's|@DBDIR[@]|$(localstatedir)/lib/vswitch|g' \
	-e 's|@LOGDIR[@]|$(localstatedir)/log/vswitch|g'
utilities/vs-ctl: utilities/vs-ctl.in Makefile
	$(AM_V_GEN)$(MKDIR_P) utilities && $(vsctl_subst) $(srcdir)/utilities/vs-ctl.in >$@.tmp \
	&& chmod +x $@.tmp && mv $@.tmp $@
utilities/vs-ovsdb-server.service: utilities/vs-ovsdb-server.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) utilities && $(vsctl_subst) \
	$(srcdir)/utilities/vs-ovsdb-server.service.in >$@.tmp && mv $@.tmp $@
utilities/vs-vswitchd.service: utilities/vs-vswitchd.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) utilities && $(vsctl_subst) \
	$(srcdir)/utilities/vs-vswitchd.service.in >$@.tmp && mv $@.tmp $@
SYSTEM_TESTS += tests/system/vs-ctl.sh
EXTRA_DIST += tests/system/vs-ctl.sh

# Man pages and bash completion for vs-vsctl and vs-ctl (owned by vsctl).
man_MANS += docs/vs-vsctl.8 docs/vs-ctl.8
EXTRA_DIST += docs/vs-vsctl.8 docs/vs-ctl.8
bashcompdir = $(datadir)/bash-completion/completions
dist_bashcomp_DATA = utilities/completion/vs-vsctl

# vs-dpctl (engineer xdp): drives a datapath directly.
sbin_PROGRAMS += utilities/vs-dpctl
utilities_vs_dpctl_SOURCES = utilities/vs-dpctl.c
utilities_vs_dpctl_CFLAGS = $(AM_CFLAGS) $(LIBBPF_CFLAGS)
utilities_vs_dpctl_LDADD = $(DATAPATH_LIBS) $(VSWITCH_LIBS)

# vs-appctl (owned by core-a).
bin_PROGRAMS += utilities/vs-appctl
utilities_vs_appctl_SOURCES = utilities/vs-appctl.c
utilities_vs_appctl_LDADD = $(VSWITCH_LIBS)
man_MANS += utilities/vs-appctl.8
EXTRA_DIST += utilities/vs-appctl.8
man_MANS += docs/vs-dpctl.8
EXTRA_DIST += docs/vs-dpctl.8

# The standalone replay of the vs-vsctl values fuzz target (whose other
# lines are in ovsdb/automake.mk).
tests_fuzz_fuzz_vsctl_values_SOURCES += tests/fuzz/fuzz-main.c \
	tests/fuzz/fuzz-main.h

# vs-ofctl (engineer ofctl): ovs-ofctl's commands over lib/ofp-*.
bin_PROGRAMS += utilities/vs-ofctl
utilities_vs_ofctl_SOURCES = utilities/vs-ofctl.c utilities/ofctl.h \
	utilities/ofctl-switch.c utilities/ofctl-watch.c \
	utilities/ofctl-conn.c utilities/ofctl-conn.h \
	utilities/ofctl-flows.c utilities/ofctl-groups.c
utilities_vs_ofctl_LDADD = $(VSWITCH_LIBS)
man_MANS += docs/vs-ofctl.8
EXTRA_DIST += docs/vs-ofctl.8
dist_bashcomp_DATA += utilities/completion/vs-ofctl
SYSTEM_TESTS += tests/system/ofctl-vs-ovs.sh
EXTRA_DIST += tests/system/ofctl-vs-ovs.sh
check_PROGRAMS += tests/test-ofctl-conn
tests_test_ofctl_conn_SOURCES = tests/test-ofctl-conn.c \
	utilities/ofctl-conn.c utilities/ofctl-conn.h \
	tests/test-util.c tests/test-util.h
tests_test_ofctl_conn_CFLAGS = $(TEST_CFLAGS) -I$(srcdir)/utilities
tests_test_ofctl_conn_LDADD = $(TEST_LDADD)
TESTS += tests/test-ofctl-conn
SYSTEM_TESTS += tests/system/ofctl-vswitchd.sh
EXTRA_DIST += tests/system/ofctl-vswitchd.sh
