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

# The Open vSwitch module.  It is not built here: "make ovs" unpacks
# Debian's Open vSwitch 3.1.0 tarball into $(OVS_DIR), applies
# ovs-patches/series, copies this module and lib/ in, and builds
# ovs-vswitchd with DPDK through ccache (see utilities/build-ovs).
OVS_DIR = $(abs_top_builddir)/ovs

EXTRA_DIST += \
	datapath/ovs/ofproto-dpif-mobility.c \
	datapath/ovs/ofproto-dpif-mobility.h \
	docs/ovs.rst \
	docs/ovs-mobility.8 \
	ovs-patches/series \
	$(wildcard $(srcdir)/ovs-patches/*.patch) \
	tests/ovs-mobility.at \
	tests/ovs-testsuite.sh \
	utilities/build-ovs

.PHONY: ovs ovs-check-mobility
ovs:
	$(SHELL) $(top_srcdir)/utilities/build-ovs --srcdir $(top_srcdir) \
		$(OVS_DIR)

# The mobility autotests alone (a few seconds).
ovs-check-mobility: ovs
	$(MAKE) -C $(OVS_DIR)/build check TESTSUITEFLAGS='-j8 -k mobility'

# "make check": the mobility autotests, then Open vSwitch's whole testsuite
# on the patched build (about 12 minutes), as TAP.
TESTS += tests/ovs-testsuite.sh
CLEANFILES += ovs-build.log ovs-mobility.out ovs-mobility.log \
	ovs-all.out ovs-all.log
