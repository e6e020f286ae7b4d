# Copyright (c) 2026 The ovs-mobility authors.
#
# Licensed under the Apache License, Version 2.0 (the "License");
# you may not use this file except in compliance with the License.
# You may obtain a copy of the License at:
#
#     http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS,
# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
# See the License for the specific language governing permissions and
# limitations under the License.

# The DPDK burst fast path, mobility-fwd and its benchmark.
#
# DPDK's headers need GNU C, and pkg-config's cflags carry -march=corei7:
# -std=gnu11 and -march=native come after them.

EXTRA_DIST += \
	datapath/dpdk/mobility-fwd.8 \
	docs/fastpath.rst \
	tests/dpdk-age.sh \
	tests/dpdk-common.sh \
	tests/dpdk-lib.sh \
	tests/dpdk-ctl.sh \
	tests/dpdk-equiv.sh \
	tests/dpdk-pmd.sh

if HAVE_DPDK
DPDK_PROG_CFLAGS = $(AM_CFLAGS) $(DPDK_CFLAGS) -std=gnu11 -march=native -O3

noinst_LIBRARIES += datapath/dpdk/libmobdpdk.a
datapath_dpdk_libmobdpdk_a_SOURCES = \
	datapath/dpdk/mob-dpdk.c \
	datapath/dpdk/mob-dpdk.h \
	datapath/dpdk/mob-dpdk-ctl.c \
	datapath/dpdk/mob-dpdk-ctl.h
datapath_dpdk_libmobdpdk_a_CFLAGS = $(DPDK_PROG_CFLAGS)

bin_PROGRAMS += datapath/dpdk/mobility-fwd
datapath_dpdk_mobility_fwd_SOURCES = datapath/dpdk/mobility-fwd.c
datapath_dpdk_mobility_fwd_CFLAGS = $(DPDK_PROG_CFLAGS)
datapath_dpdk_mobility_fwd_LDADD = \
	datapath/dpdk/libmobdpdk.a lib/libmobility.a $(DPDK_LIBS) -lpthread

dist_man_MANS += datapath/dpdk/mobility-fwd.8
endif

if HAVE_DPDK
noinst_PROGRAMS += datapath/dpdk/mobility-bench-dpdk
BENCHES += datapath/dpdk/mobility-bench-dpdk
datapath_dpdk_mobility_bench_dpdk_SOURCES = \
	datapath/dpdk/mobility-bench-dpdk.c
datapath_dpdk_mobility_bench_dpdk_CFLAGS = $(DPDK_PROG_CFLAGS)
datapath_dpdk_mobility_bench_dpdk_LDADD = -lrte_net_ring \
	datapath/dpdk/libmobdpdk.a lib/libmobility.a $(DPDK_LIBS) -lpthread
endif

if HAVE_DPDK
check_PROGRAMS += datapath/dpdk/test-dpdk-path
datapath_dpdk_test_dpdk_path_SOURCES = datapath/dpdk/test-dpdk-path.c
datapath_dpdk_test_dpdk_path_CFLAGS = $(DPDK_PROG_CFLAGS)
datapath_dpdk_test_dpdk_path_LDADD = \
	datapath/dpdk/libmobdpdk.a lib/libmobility.a $(DPDK_LIBS) -lpthread

DPDK_TESTS = \
	tests/dpdk-age.sh \
	tests/dpdk-lib.sh \
	tests/dpdk-ctl.sh \
	tests/dpdk-equiv.sh \
	tests/dpdk-pmd.sh
TESTS += $(DPDK_TESTS)
$(DPDK_TESTS:.sh=.sh.log): \
	datapath/dpdk/mobility-fwd$(EXEEXT) \
	datapath/dpdk/test-dpdk-path$(EXEEXT)
endif
