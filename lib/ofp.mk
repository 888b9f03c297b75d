# lib: OpenFlow codec, flow syntax and the classifier (see docs/architecture.md).
lib_libvswitch_a_SOURCES += \
	lib/match.c lib/match.h \
	lib/ofp-actions.c lib/ofp-actions.h \
	lib/ofp-buf.c lib/ofp-buf.h \
	lib/ofp-errors.c lib/ofp-errors.h \
	lib/ofp-fields.c lib/ofp-fields.h \
	lib/ofp-flow.c lib/ofp-flow.h \
	lib/ofp-match.c lib/ofp-match.h \
	lib/ofp-msgs.c lib/ofp-msgs.h \
	lib/oxm.c lib/oxm.h
