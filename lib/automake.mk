noinst_LIBRARIES += lib/libmobility.a
lib_libmobility_a_SOURCES = \
	lib/mob-addr.c \
	lib/mob-addr.h \
	lib/mob-announce.c \
	lib/mob-announce.h \
	lib/mob-cmd.c \
	lib/mob-cmd.h \
	lib/mob-packet.c \
	lib/mob-packet.h \
	lib/mob-packet-inline.h \
	lib/mob-redirect.c \
	lib/mob-redirect.h \
	lib/mob-table.c \
	lib/mob-table.h \
	lib/mob-table-inline.h
ARFLAGS = cr
