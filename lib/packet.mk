# lib: packet headers, checksums, packet buffers and flow keys
# (see "Packets and flow keys" in docs/architecture.md).
lib_libvswitch_a_SOURCES += \
	lib/byte-order.h \
	lib/dp-packet.h \
	lib/flow.h \
	lib/packets.h
