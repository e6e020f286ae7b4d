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

# Equivalence: for the same capture and options, mobility-fwd through
# net_pcap writes byte for byte what mobility-pcap (the offline reference)
# writes, for redirected frames and for frames delivered locally.  The
# captures come from tests/pcap-gen and cover VXLAN and Geneve, IPv4 and
# IPv6 underlays, announcements (RARP, GARP, NA), hits, misses, loop
# cases and one malformed frame per parse error.

. "${top_srcdir:-.}/tests/dpdk-common.sh"

run=0
# equiv SCENARIO [OPTION...]: one comparison, four TAP tests.
equiv () {
    scenario=$1
    shift
    run=$((run + 1))
    d=$dpdk_tmp/$run
    mkdir -p "$d"
    desc="$scenario${1:+ $*}"

    "$PCAP_GEN" "$scenario" "$d/in.pcap" || exit 99
    "$MOBILITY_PCAP" -q -r "$d/in.pcap" -w "$d/ref-redirect.pcap" \
        -l "$d/ref-local.pcap" $VTEP_A_OPTS "$@" || exit 99
    "$FWD" $(dpdk_eal "$run") \
        --vdev="net_pcap0,rx_pcap=$d/in.pcap,tx_pcap=$d/redirect.pcap" \
        --vdev="net_pcap1,tx_pcap=$d/local.pcap" -- \
        $VTEP_A_OPTS "$@" --idle-exit 300 --stats > "$d/stats" 2>&1
    status=$?

    n_in=$(pcap_count "$d/in.pcap")
    n_ref_r=$(pcap_count "$d/ref-redirect.pcap")
    n_ref_l=$(pcap_count "$d/ref-local.pcap")
    pcap_bytes "$d/ref-redirect.pcap" > "$d/ref-redirect.hex"
    pcap_bytes "$d/redirect.pcap" > "$d/redirect.hex"
    pcap_bytes "$d/ref-local.pcap" > "$d/ref-local.hex"
    pcap_bytes "$d/local.pcap" > "$d/local.hex"

    test $status -eq 0 && test "$(stat_of "$d/stats" underlay_rx)" = "$n_in"
    tap $? "$desc: mobility-fwd received all $n_in frames"

    test "$n_ref_r" -gt 0 && cmp -s "$d/ref-redirect.hex" "$d/redirect.hex"
    tap $? "$desc: $n_ref_r redirected frames byte-identical"

    test "$n_ref_l" -gt 0 && cmp -s "$d/ref-local.hex" "$d/local.hex"
    tap $? "$desc: $n_ref_l local frames byte-identical"

    # Nothing lost: every frame was sent somewhere or counted as refused.
    sent=$(( $(stat_of "$d/stats" underlay_tx) \
             + $(stat_of "$d/stats" local_tx) \
             + $(stat_of "$d/stats" freed_rejected) ))
    test "$sent" = "$n_in" \
        && test "$(stat_of "$d/stats" underlay_tx_dropped)" = 0 \
        && test "$(stat_of "$d/stats" local_tx_dropped)" = 0
    tap $? "$desc: redirected + local + refused = received, no tx drop"
}

for scenario in vxlan4 vxlan6 geneve4 geneve6 announce; do
    equiv $scenario
done
equiv vxlan4 --src-mode=local --vxlan-mark --ttl=32
equiv geneve6 --no-geneve-mark --src-mode=local

tap_done
