#! /bin/sh
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

# mobility-fwd ages its table from its forwarding loop when it has no
# control socket: an entry learned from a RARP with --grace-time 1 has
# expired when the program exits 2.6 s later.

. "${top_srcdir:-.}/tests/dpdk-common.sh"

d=$dpdk_tmp/age
mkdir -p "$d"
"$PCAP_GEN" vxlan4 "$d/in.pcap" || exit 99
"$FWD" $(dpdk_eal 0) \
    --vdev="net_pcap0,rx_pcap=$d/in.pcap,tx_pcap=$d/redirect.pcap" \
    --vdev="net_pcap1,tx_pcap=$d/local.pcap" -- \
    $VTEP_A_OPTS --grace-time 1 --idle-exit 2600 --stats > "$d/stats" 2>&1
status=$?

test $status -eq 0 && test "$(stat_of "$d/stats" redirected_packets)" -gt 0
tap $? "no control socket: the learned entry redirected packets"

test "$(stat_of "$d/stats" expired)" = 1 \
    && test "$(stat_of "$d/stats" entries)" = 0
tap $? "no control socket: the entry expired after its grace time"

tap_done
