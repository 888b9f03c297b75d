# lib/: the shared core (see docs/architecture.md).  Other fragments
# (lib/packet.mk, lib/ofp.mk) append to lib_libvswitch_a_SOURCES.
noinst_LIBRARIES += lib/libvswitch.a
lib_libvswitch_a_SOURCES = \
	lib/dynamic-string.c lib/dynamic-string.h \
	lib/handle-pool.c lib/handle-pool.h \
	lib/hmap.c lib/hmap.h \
	lib/list.h \
	lib/util.c lib/util.h

# What every daemon or tool built on lib/ links with.
VSWITCH_LIBS = lib/libvswitch.a $(JSONC_LIBS) -ldl -lpthread -lm

# Core runtime (core-a): logging, clocks, poll loop, coverage, heap, dirs,
# daemon, fatal signals, unixctl.
lib_libvswitch_a_SOURCES += \
	lib/coverage.c lib/coverage.h \
	lib/daemon.c lib/daemon.h \
	lib/dirs.c lib/dirs.h \
	lib/fatal-signal.c lib/fatal-signal.h \
	lib/heap.c lib/heap.h \
	lib/latch.c lib/latch.h \
	lib/poll-loop.c lib/poll-loop.h \
	lib/timeval.c lib/timeval.h \
	lib/vlog.c lib/vlog.h

check_PROGRAMS += tests/test-vlog tests/test-timeval tests/test-poll-loop \
	tests/test-heap tests/test-coverage tests/test-fatal-signal \
	tests/test-daemon tests/test-latch
tests_test_vlog_SOURCES = tests/test-vlog.c \
	tests/test-util.c tests/test-util.h
tests_test_vlog_CFLAGS = $(TEST_CFLAGS)
tests_test_vlog_LDADD = $(TEST_LDADD)
tests_test_timeval_SOURCES = tests/test-timeval.c \
	tests/test-util.c tests/test-util.h
tests_test_timeval_CFLAGS = $(TEST_CFLAGS)
tests_test_timeval_LDADD = $(TEST_LDADD)
tests_test_poll_loop_SOURCES = tests/test-poll-loop.c \
	tests/test-util.c tests/test-util.h
tests_test_poll_loop_CFLAGS = $(TEST_CFLAGS)
tests_test_poll_loop_LDADD = $(TEST_LDADD)
tests_test_heap_SOURCES = tests/test-heap.c \
	tests/test-util.c tests/test-util.h
tests_test_heap_CFLAGS = $(TEST_CFLAGS)
tests_test_heap_LDADD = $(TEST_LDADD)
tests_test_coverage_SOURCES = tests/test-coverage.c \
	tests/test-util.c tests/test-util.h
tests_test_coverage_CFLAGS = $(TEST_CFLAGS)
tests_test_coverage_LDADD = $(TEST_LDADD)
tests_test_fatal_signal_SOURCES = tests/test-fatal-signal.c \
	tests/test-util.c tests/test-util.h
tests_test_fatal_signal_CFLAGS = $(TEST_CFLAGS)
tests_test_fatal_signal_LDADD = $(TEST_LDADD)
tests_test_daemon_SOURCES = tests/test-daemon.c \
	tests/test-util.c tests/test-util.h
tests_test_daemon_CFLAGS = $(TEST_CFLAGS)
tests_test_daemon_LDADD = $(TEST_LDADD)
tests_test_latch_SOURCES = tests/test-latch.c \
	tests/test-util.c tests/test-util.h
tests_test_latch_CFLAGS = $(TEST_CFLAGS)
tests_test_latch_LDADD = $(TEST_LDADD)
TESTS += tests/test-vlog tests/test-timeval tests/test-poll-loop \
	tests/test-heap tests/test-coverage tests/test-fatal-signal \
	tests/test-daemon tests/test-latch

# unixctl (needs lib/stream and lib/jsonrpc) and its test daemon.
lib_libvswitch_a_SOURCES += \
	lib/unixctl.c lib/unixctl.h lib/unixctl-builtins.c
check_PROGRAMS += tests/vs-testd tests/test-unixctl
tests_test_unixctl_SOURCES = tests/test-unixctl.c \
	tests/test-util.c tests/test-util.h
tests_test_unixctl_CFLAGS = $(TEST_CFLAGS)
tests_test_unixctl_LDADD = $(TEST_LDADD)
TESTS += tests/test-unixctl
tests_vs_testd_SOURCES = tests/vs-testd.c
tests_vs_testd_LDADD = $(VSWITCH_LIBS)
SYSTEM_TESTS += tests/system/test-appctl.sh tests/system/test-vlog-syslog.sh
EXTRA_DIST += tests/system/test-appctl.sh tests/system/test-vlog-syslog.sh
check_PROGRAMS += tests/fuzz/fuzz-vlog-spec
tests_fuzz_fuzz_vlog_spec_SOURCES = tests/fuzz/fuzz-vlog-spec.c \
	tests/fuzz/fuzz-main.c tests/fuzz/fuzz-main.h
tests_fuzz_fuzz_vlog_spec_LDADD = $(VSWITCH_LIBS)
TESTS += tests/fuzz/fuzz-vlog-spec

# core-b: JSON, streams, JSON-RPC, reconnect.
lib_libvswitch_a_SOURCES += lib/json.c lib/json.h lib/json-parser.c
lib_libvswitch_a_SOURCES += lib/socket-util.c lib/socket-util.h \
	lib/stream.c lib/stream.h lib/stream-provider.h \
	lib/stream-fd.c lib/stream-fd.h lib/stream-unix.c lib/stream-tcp.c
lib_libvswitch_a_SOURCES += lib/reconnect.c lib/reconnect.h
lib_libvswitch_a_SOURCES += lib/jsonrpc.c lib/jsonrpc.h lib/jsonrpc-msg.c \
	lib/jsonrpc-session.c

# TLS: the stream code that needs OpenSSL is a plugin, vs-stream-ssl.so,
# dlopen()ed on first use (lib/stream-ssl-plugin.h), so that programs that
# do not use TLS do not load libssl/libcrypto.  No libtool here: it is a
# "program" linked with -shared, installed in $(pkglibdir).  Programs
# export the few functions it calls back (lib/stream-ssl-host.syms).
lib_libvswitch_a_SOURCES += lib/stream-ssl.h lib/stream-ssl-plugin.h \
	lib/stream-ssl-loader.c
AM_CPPFLAGS += -DPKGLIBDIR='"$(pkglibdir)"'
AM_LDFLAGS += -Wl,--dynamic-list=$(top_srcdir)/lib/stream-ssl-host.syms
EXTRA_DIST += lib/stream-ssl-host.syms
vsplugindir = $(pkglibdir)
vsplugin_PROGRAMS = lib/vs-stream-ssl.so
lib_vs_stream_ssl_so_SOURCES = lib/stream-ssl.c lib/stream-ssl.h \
	lib/stream-ssl-files.c lib/stream-ssl-plugin.c lib/stream-ssl-plugin.h
lib_vs_stream_ssl_so_CFLAGS = $(AM_CFLAGS) -fPIC -fvisibility=hidden
lib_vs_stream_ssl_so_LDFLAGS = $(SANITIZER_CFLAGS) -shared
lib_vs_stream_ssl_so_LDADD = $(OPENSSL_LIBS)
# Unit tests and system tests load the plugin from the build tree.
TESTS_ENVIRONMENT += VS_PKGLIBDIR='$(abs_top_builddir)/lib'
