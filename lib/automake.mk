# lib/: the shared core (see docs/architecture.md).  Other fragments
# (lib/packet.mk, lib/ofp.mk) append to lib_libvswitch_a_SOURCES.
noinst_LIBRARIES += lib/libvswitch.a
lib_libvswitch_a_SOURCES = \
	lib/dynamic-string.c lib/dynamic-string.h \
	lib/hmap.c lib/hmap.h \
	lib/list.h \
	lib/util.c lib/util.h

# What every daemon or tool built on lib/ links with.
VSWITCH_LIBS = lib/libvswitch.a $(JSONC_LIBS) $(OPENSSL_LIBS) -lpthread -lm

# core-b: JSON, streams, JSON-RPC, reconnect.
lib_libvswitch_a_SOURCES += lib/json.c lib/json.h lib/json-parser.c
