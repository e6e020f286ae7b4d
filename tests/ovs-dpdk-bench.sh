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

# Benchmark of the mobility redirect in OVS-DPDK, on the set-up of
# tests/ovs-dpdk.sh (whose functions it sources).  Prints:
#
#   BENCH ovs_dpdk_redirect_cyc V cycles/pkt
#       busy PMD cycles per received packet ("Rx packets" of
#       dpif-netdev/pmd-perf-show) while the PMD forwards only redirect
#       traffic: dpdk0 is net_pcap replaying 1024 114-byte VXLAN frames for
#       the moved VM forever (infinite_rx, transmit dropped), the entry is
#       in the table, 1 s of warm-up, then OD_RUNS intervals of 1 s, each
#       after pmd-stats-clear; the median.
#   BENCH ovs_dpdk_inplace_cyc V cycles/pkt
#       datapath/dpdk's in-place fast path in the same run:
#       mobility-bench-dpdk's dpdk_redirect_1k_hit100 (net_ring, bursts of
#       32, 114-byte frames, 100 % hits).
#   BENCH ovs_dpdk_redirect_ratio R x
#       the first over the second.
#   BENCH ovs_announce_to_redirect_us V us
#       from the RARP's injection to the first redirected frame out, as
#       captured on the peer end of the veth pair (one clock): the peer
#       streams data for the VM every 20 us (8 ms before the RARP, 40 ms
#       after); the median of OD_RUNS announcements, each after
#       mobility/flush.  Also _max_us.
#
# Needs root, "make ovs" and the tools of tests/ovs-dpdk.sh.  About 30 s.
# OD_RUNS (default 5) sets the number of runs, OD_GAP_US (default 20) the
# gap between the peer's data frames, OD_ONLY=cycles or OD_ONLY=latency
# runs one half.

: "${top_builddir:=.}"
: "${top_srcdir:=.}"
OVS_DPDK_LIB=yes
. "$top_srcdir/tests/ovs-dpdk.sh"

OD_RUNS=${OD_RUNS:-5}
gap=${OD_GAP_US:-20}
only=${OD_ONLY:-}
BENCH_DPDK=$top_builddir/datapath/dpdk/mobility-bench-dpdk

# od_skip is the library's: here it says why on stderr and prints nothing.
od_skip () {
    echo "ovs-dpdk-bench: skipped: $1" >&2
    exit 0
}

# od_bail is the library's too: the reason and the end of the logs go to
# stderr, and the benchmark fails.
od_bail () {
    echo "ovs-dpdk-bench: $1 failed" >&2
    for f in "$od_tmp/ovs-vswitchd.log" "$od_tmp/ovs-vswitchd.out"; do
        [ -f "$f" ] && tail -15 "$f" >&2
    done
    exit 1
}

# median: prints the median of the numbers on standard input.
median () {
    sort -n | awk '{ v[NR] = $1 }
        END {
            if (NR % 2) { print v[(NR + 1) / 2] }
            else if (NR) { print (v[NR / 2] + v[NR / 2 + 1]) / 2 }
        }'
}

# huge_free_mb: prints the megabytes of free 2 MB hugepages.
huge_free_mb () {
    awk '/^HugePages_Free:/ { print $2 * 2 }' /proc/meminfo
}

od_check_prereqs
[ -x "$BENCH_DPDK" ] || od_skip "no $BENCH_DPDK"
trap od_cleanup EXIT
trap 'exit 130' INT TERM
od_tmp=$(mktemp -d "${TMPDIR:-/tmp}/ovs-dpdk.XXXXXX") || exit 1

if [ "$only" != latency ]; then
    # 1. The in-place fast path, in this run.
    MOB_BENCH_ONLY=dpdk_redirect_1k_hit100 "$BENCH_DPDK" \
        > "$od_tmp/inplace.out" 2> "$od_tmp/inplace.err"
    inplace=$(awk '$2 == "dpdk_redirect_1k_hit100_cyc" { print $3 }' \
        "$od_tmp/inplace.out")
    sed 's/^mobility-bench-dpdk: /# in place: /' "$od_tmp/inplace.err"

    # 2. OVS-DPDK: a PMD that forwards only redirect traffic.  Hugepages if
    # 300 MB are free (the mbuf pool of --no-huge is about 2x slower).
    if [ "$(huge_free_mb)" -ge 300 ]; then
        OD_EAL_MEM="--in-memory -m 256"
        mem="2 MB hugepages"
    else
        mem="no hugepages"
    fi
    od_write_py
    "$PYTHON" "$od_tmp/peer.py" pcap "$od_tmp/bench.pcap" 1024 || exit 1
    od_start "net_pcap0,rx_pcap=$od_tmp/bench.pcap,infinite_rx=1"
    appctl mobility/add int-br 123 00:00:00:00:00:0a 1.1.2.93 > /dev/null \
        || od_bail "mobility/add"
    sleep 1
    : > "$od_tmp/cyc"
    i=0
    while [ $i -lt "$OD_RUNS" ]; do
        appctl dpif-netdev/pmd-stats-clear > /dev/null
        sleep 1
        appctl dpif-netdev/pmd-perf-show > "$od_tmp/perf.$i"
        # "Rx packets: N (K Kpps, C cycles/pkt)": C.
        awk '/^ *Rx packets:/ { sub(/.*Kpps, */, ""); print $1; exit }' \
            "$od_tmp/perf.$i" >> "$od_tmp/cyc"
        i=$((i + 1))
    done
    appctl dpctl/dump-flows | grep 'eth(dst=00:00:00:00:00:0a)' \
        > "$od_tmp/vm-flows"
    appctl dpif-netdev/pmd-stats-show > "$od_tmp/pmd-stats"
    appctl mobility/stats int-br > "$od_tmp/mob-stats"
    od_stop
    cyc=$(median < "$od_tmp/cyc")
    rx=$(od_stat "$od_tmp/pmd-stats" pmd "packets received")
    upcalls=$(od_stat "$od_tmp/pmd-stats" pmd "miss with success upcall")
    redirected=$(od_redirected < "$od_tmp/mob-stats")
    echo "# OVS-DPDK ($mem): cycles/pkt of $OD_RUNS runs: $(tr '\n' ' ' \
        < "$od_tmp/cyc")"
    grep -E 'Rx packets|Datapath passes|EMC hits|Megaflow hits|Upcalls' \
        "$od_tmp/perf.$((OD_RUNS - 1))" | sed 's/^ */# last run: /' | head -5
    echo "# last run: $upcalls upcalls for $rx packets;" \
         "mobility/stats: $redirected redirected in all"
    if grep -q 'userspace(' "$od_tmp/vm-flows"; then
        echo "ovs-dpdk-bench: the redirect runs in the slow path:" >&2
        cut -c1-300 "$od_tmp/vm-flows" >&2
    fi
    if [ -z "$cyc" ] || [ "${redirected:-0}" -lt "${rx:-1}" ]; then
        echo "ovs-dpdk-bench: the PMD did not redirect the traffic" >&2
        exit 1
    fi
    echo "BENCH ovs_dpdk_redirect_cyc $cyc cycles/pkt"
    if [ -n "$inplace" ]; then
        echo "BENCH ovs_dpdk_inplace_cyc $inplace cycles/pkt"
        awk -v a="$cyc" -v b="$inplace" \
            'BEGIN { printf "BENCH ovs_dpdk_redirect_ratio %.2f x\n", a / b }'
    fi
fi

if [ "$only" != cycles ]; then
    # 3. Announcement to redirect: af_packet on the veth pair, capture both
    # ways on the peer end.
    OD_EAL_MEM="--no-huge --legacy-mem -m 512"
    od_start "$OD_AF_PACKET"
    : > "$od_tmp/lat"
    i=0
    while [ $i -lt "$OD_RUNS" ]; do
        appctl mobility/flush int-br > /dev/null
        appctl fdb/flush int-br > /dev/null
        appctl revalidator/wait > /dev/null
        od_capture "$od_tmp/lat.$i.pcap" inout
        base=$((i * 10000))
        od_peer send p0 data:$((8000 / gap)):$gap:$base rarp \
            data:$((40000 / gap)):$gap:$((base + 8000 / gap))
        sleep 0.2
        od_capture_stop
        od_decode "$od_tmp/lat.$i.pcap" > "$od_tmp/lat.$i.txt"
        # Times of the RARP (sent) and of the first frame 1.1.2.92 ->
        # 1.1.2.93 (received), which must come after it.  Data frames sent
        # just before the RARP may be redirected too (processed after it
        # in the same burst): counted, not an error.
        awk -v base=$base -v gap="$gap" '
            $7 == "0x8035" && !rarp { rarp = $1 }
            $2 == "1.1.2.92" && $3 == "1.1.2.93" {
                if (!first) { first = $1 }
                if ($9 < base + 8000 / gap) { early++ }
                n++
            }
            END {
                if (!rarp || !first || first < rarp) {
                    printf "bad %s %s\n", rarp, first; exit 1
                }
                printf "%.1f %d %d\n", (first - rarp) * 1e6, n, early
            }' "$od_tmp/lat.$i.txt" > "$od_tmp/lat.$i.res" \
            || { cat "$od_tmp/lat.$i.res" >&2; od_bail "latency run $i"; }
        read -r us n early < "$od_tmp/lat.$i.res"
        # When the PMD learned it, from the vswitchd log (ms resolution).
        t_log=$(grep 'moved from this VTEP to 1\.1\.2\.93' \
                    "$od_tmp/ovs-vswitchd.log" | sed -n "$((i + 1))p" \
                | sed 's/^\([0-9-]*\)T\([0-9:.]*\)Z.*/\1 \2/')
        t_log=$(date -u -d "$t_log" +%s.%N 2>/dev/null)
        learn=$(awk -v l="${t_log:-0}" '$7 == "0x8035" {
                    printf "%.1f", (l - $1) * 1000; exit }' \
                "$od_tmp/lat.$i.txt")
        echo "# announcement run $i: $us us to the first redirect" \
             "(learned +$learn ms in the log), $n frames redirected," \
             "$early of them sent before the RARP"
        echo "$us" >> "$od_tmp/lat"
        i=$((i + 1))
    done
    od_stop
    echo "BENCH ovs_announce_to_redirect_us $(median < "$od_tmp/lat") us"
    echo "BENCH ovs_announce_to_redirect_max_us $(sort -n "$od_tmp/lat" \
        | tail -1) us"
fi
