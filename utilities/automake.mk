# utilities: see docs/architecture.md

# vs-dpctl (engineer xdp): drives a datapath directly.
sbin_PROGRAMS += utilities/vs-dpctl
utilities_vs_dpctl_SOURCES = utilities/vs-dpctl.c
utilities_vs_dpctl_CFLAGS = $(AM_CFLAGS) $(LIBBPF_CFLAGS)
utilities_vs_dpctl_LDADD = $(DATAPATH_LIBS) $(VSWITCH_LIBS)
