# utilities: see docs/architecture.md

# vs-vsctl (owned by vsctl).
bin_PROGRAMS += utilities/vs-vsctl
utilities_vs_vsctl_SOURCES = \
	utilities/vs-vsctl.c utilities/vsctl.h \
	utilities/vsctl-bridge.c utilities/vsctl-db.c utilities/vsctl-table.c
utilities_vs_vsctl_LDADD = $(IDL_LIBS) $(VSWITCH_LIBS)
SYSTEM_TESTS += tests/system/vsctl.sh tests/system/vsctl-interop.sh \
	tests/system/vsctl-wait.sh
EXTRA_DIST += tests/system/vsctl.sh tests/system/vsctl-interop.sh \
	tests/system/vsctl-wait.sh \
	tests/system/vsctl-lib.sh tests/system/vsctl-cases.sh
