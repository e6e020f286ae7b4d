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

# Capture-level tests of the operator tools (utilities/mobility-pcap and
# utilities/mobility-announce).  Each script prints TAP; tshark is the
# oracle that decodes what the tools wrote.  tests/pcap-gen writes the
# input captures with hand-built headers, independently of lib/.

check_PROGRAMS += tests/pcap-gen
tests_pcap_gen_SOURCES = tests/pcap-gen.c
tests_pcap_gen_CFLAGS = $(AM_CFLAGS) $(PCAP_CFLAGS)
tests_pcap_gen_LDADD = $(PCAP_LIBS)

PCAP_TESTS = \
	tests/pcap-redirect.sh \
	tests/pcap-usage.sh \
	tests/announce-rarp.sh \
	tests/announce-armed.sh
TESTS += $(PCAP_TESTS)
EXTRA_DIST += $(PCAP_TESTS) tests/pcap-lib.sh

# The scripts run the tools from the build tree.
$(PCAP_TESTS:.sh=.sh.log): \
	tests/pcap-gen$(EXEEXT) \
	utilities/mobility-pcap$(EXEEXT) \
	utilities/mobility-announce$(EXEEXT)
