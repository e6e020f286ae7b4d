# libFuzzer target, built with clang whatever CC is ("make fuzz" builds and
# runs it).  New inputs go to a scratch directory; the kept corpus in
# tests/fuzz/corpus is only read.  Add an input there when a run finds
# something worth keeping.
FUZZ_CC = clang
FUZZ_SECONDS = 60
FUZZ_CFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -I$(top_builddir) -I$(top_srcdir) \
	-I$(top_srcdir)/lib
FUZZ_SRC_FILES = \
	tests/fuzz/fuzz-pipeline.c \
	lib/mob-addr.c \
	lib/mob-announce.c \
	lib/mob-packet.c \
	lib/mob-redirect.c \
	lib/mob-table.c
EXTRA_DIST += $(FUZZ_SRC_FILES) tests/fuzz/corpus
CLEANFILES += tests/fuzz/fuzz-pipeline

tests/fuzz/fuzz-pipeline: $(FUZZ_SRC_FILES:%=$(top_srcdir)/%) config.h
	@$(MKDIR_P) tests/fuzz
	$(AM_V_CC)$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ \
		$(FUZZ_SRC_FILES:%=$(top_srcdir)/%) -lpthread

.PHONY: fuzz
fuzz: tests/fuzz/fuzz-pipeline
	rm -rf tests/fuzz/new-corpus && $(MKDIR_P) tests/fuzz/new-corpus
	ASAN_OPTIONS=detect_leaks=1 ./tests/fuzz/fuzz-pipeline \
		-max_total_time=$(FUZZ_SECONDS) -max_len=2049 -timeout=10 \
		-print_final_stats=1 \
		tests/fuzz/new-corpus $(top_srcdir)/tests/fuzz/corpus
