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

# The offline and operator tools, built on libmobility and libpcap.

bin_PROGRAMS += utilities/mobility-announce utilities/mobility-pcap

utilities_mobility_announce_SOURCES = utilities/mobility-announce.c
utilities_mobility_announce_CFLAGS = $(AM_CFLAGS) $(PCAP_CFLAGS)
utilities_mobility_announce_LDADD = lib/libmobility.a $(PCAP_LIBS) -lpthread

utilities_mobility_pcap_SOURCES = utilities/mobility-pcap.c
utilities_mobility_pcap_CFLAGS = $(AM_CFLAGS) $(PCAP_CFLAGS)
utilities_mobility_pcap_LDADD = lib/libmobility.a $(PCAP_LIBS) -lpthread

dist_man_MANS += \
	utilities/mobility-announce.8 \
	utilities/mobility-pcap.8

# The tools' guide lives with the rest of the documentation.
EXTRA_DIST += docs/tools.rst
