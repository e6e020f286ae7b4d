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

# The mobility redirect in OVS-DPDK (docs/ovs-dpdk.rst): a test that runs
# the patched ovs-vswitchd of "make ovs" with DPDK virtual devices, and
# its benchmark.  Both need root and a network namespace; without the OVS
# build they skip.

EXTRA_DIST += \
	docs/ovs-dpdk.rst \
	tests/ovs-dpdk.mk \
	tests/ovs-dpdk.sh \
	tests/ovs-dpdk-bench.sh

if HAVE_DPDK
TESTS += tests/ovs-dpdk.sh

# When both run, this test runs after tests/ovs-testsuite.sh: that one
# builds Open vSwitch, and a busy-polling PMD thread would disturb the
# timing of Open vSwitch's own tests.  (TEST_LOGS holds the tests being
# run, so "make check TESTS=tests/ovs-dpdk.sh" runs this one alone.)
# The target is named through a variable so that automake still writes
# its own rule (recipe) for it.
OVS_DPDK_LOG = tests/ovs-dpdk.sh.log
$(OVS_DPDK_LOG): $(filter tests/ovs-testsuite.sh.log,$(TEST_LOGS))

# "make bench" runs programs of the build tree: a wrapper that runs the
# script from the source tree.  Run "make ovs" first.
BENCHES += tests/ovs-dpdk-bench
CLEANFILES += tests/ovs-dpdk-bench
tests/ovs-dpdk-bench: tests/ovs-dpdk-bench.sh \
		datapath/dpdk/mobility-bench-dpdk$(EXEEXT)
	$(AM_V_GEN)$(MKDIR_P) tests && { \
	  echo '#! /bin/sh'; \
	  echo "top_srcdir='$(abs_top_srcdir)'"; \
	  echo "top_builddir='$(abs_top_builddir)'"; \
	  echo 'export top_srcdir top_builddir'; \
	  echo "TSHARK='$(TSHARK)' TCPDUMP='$(TCPDUMP)'"; \
	  echo 'export TSHARK TCPDUMP'; \
	  echo 'exec $${SHELL:-/bin/sh} \'; \
	  echo '    "$$top_srcdir/tests/ovs-dpdk-bench.sh" "$$@"'; \
	} > $@.tmp && chmod +x $@.tmp && mv $@.tmp $@
endif
