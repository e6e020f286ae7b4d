if HAVE_CUNIT
check_PROGRAMS += tests/test-mobility
TESTS += tests/test-mobility
tests_test_mobility_SOURCES = \
	tests/test-main.c \
	tests/test-common.h \
	tests/test-announce.c \
	tests/test-burst.c \
	tests/test-packet.c \
	tests/test-redirect.c \
	tests/test-table.c
tests_test_mobility_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_test_mobility_LDADD = lib/libmobility.a $(CUNIT_LIBS) -lpthread
endif
EXTRA_DIST += tests/tap-lib.sh
