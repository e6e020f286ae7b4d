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

# The migration lab: utilities/mobility-lab (Python) and its traffic
# generator, and the make-check lab test (it needs root; it skips
# otherwise).

bin_PROGRAMS += utilities/mobility-stream
utilities_mobility_stream_SOURCES = utilities/mobility-stream.c

dist_bin_SCRIPTS = utilities/mobility-lab
dist_man_MANS += utilities/mobility-lab.8 utilities/mobility-stream.8
EXTRA_DIST += docs/lab.rst tests/lab-migration.sh

TESTS += tests/lab-migration.sh
# The lab measures loss at 1000 pps: keep it off the cores that Open
# vSwitch's testsuite and the OVS-DPDK test fill.
LAB_LOG = tests/lab-migration.sh.log
$(LAB_LOG): \
	$(filter tests/ovs-testsuite.sh.log tests/ovs-dpdk.sh.log,$(TEST_LOGS))
