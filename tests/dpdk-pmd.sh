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

# mobility-fwd on other PMDs: net_null (a flood of frames that are not
# tunnel packets, both ways), net_pcap with a table given on the command
# line, and net_af_packet on a veth pair in a network namespace (skipped
# where namespaces cannot be made).

. "${top_srcdir:-.}/tests/dpdk-common.sh"

# net_null: every underlay frame goes to the local port, every local frame
# to the underlay, none is lost.
"$FWD" $(dpdk_eal 1) --vdev=net_null0 --vdev=net_null1 -- \
    --vtep=192.0.2.1 --ctl-socket="$dpdk_tmp/ctl" --stats \
    > "$dpdk_tmp/null.out" 2>&1 &
pid=$!
dpdk_pids=$pid
i=0
while [ ! -S "$dpdk_tmp/ctl" ] && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
sleep 0.5
"$FWD" --ctl "$dpdk_tmp/ctl" stats > "$dpdk_tmp/mid"
test "$(stat_of "$dpdk_tmp/mid" underlay_rx)" -gt 0 2>/dev/null
tap $? "net_null: counters move while running"
kill -TERM $pid
wait $pid
status=$?
dpdk_pids=
s=$dpdk_tmp/null.out
rx=$(stat_of "$s" underlay_rx)
test $status -eq 0 && test "$rx" -gt 1000 \
    && test "$(stat_of "$s" not_tunnel)" = "$rx" \
    && test "$(stat_of "$s" local_tx)" = "$rx" \
    && test "$(stat_of "$s" underlay_tx)" = "$(stat_of "$s" local_rx)" \
    && test "$(stat_of "$s" local_tx_dropped)" = 0 \
    && test "$(stat_of "$s" underlay_tx_dropped)" = 0
tap $? "net_null: $rx frames, all delivered locally, none lost"

# net_pcap with a --static table: misses of the capture become hits.
"$PCAP_GEN" vxlan4 "$dpdk_tmp/in.pcap" || exit 99
"$MOBILITY_PCAP" -q -r "$dpdk_tmp/in.pcap" -w "$dpdk_tmp/ref.pcap" \
    $VTEP_A_OPTS --static=5001,52:54:00:12:34:57,192.0.2.2 || exit 99
"$FWD" $(dpdk_eal 2) \
    --vdev="net_pcap0,rx_pcap=$dpdk_tmp/in.pcap,tx_pcap=$dpdk_tmp/r.pcap" \
    --vdev="net_pcap1,tx_pcap=$dpdk_tmp/l.pcap" -- $VTEP_A_OPTS \
    --static=5001,52:54:00:12:34:57,192.0.2.2 --idle-exit 300 \
    > /dev/null 2>&1
pcap_bytes "$dpdk_tmp/ref.pcap" > "$dpdk_tmp/ref.hex"
pcap_bytes "$dpdk_tmp/r.pcap" > "$dpdk_tmp/r.hex"
test "$(pcap_count "$dpdk_tmp/r.pcap")" -gt 14 \
    && cmp -s "$dpdk_tmp/ref.hex" "$dpdk_tmp/r.hex"
tap $? "net_pcap with --static: same redirects as mobility-pcap"

# net_af_packet on a veth pair: frames sent into the peer end in a
# namespace come back redirected.
ns=mobtest$$
if ip netns add "$ns" 2>/dev/null; then
    cleanup_ns () {
        ip netns del "$ns" 2>/dev/null
        ip link del "mt$$u" 2>/dev/null
    }
    trap 'cleanup_ns; dpdk_cleanup' EXIT
    ip link add "mt$$u" type veth peer name "mt$$p" \
        && ip link set "mt$$p" netns "$ns" \
        && ip link set "mt$$u" up \
        && ip netns exec "$ns" ip link set "mt$$p" up \
        && ip netns exec "$ns" ip link set lo up
    sleep 0.2
    "$FWD" $(dpdk_eal 3) \
        --vdev="net_af_packet0,iface=mt$$u" \
        --vdev="net_pcap1,tx_pcap=$dpdk_tmp/afl.pcap" -- $VTEP_A_OPTS \
        --ctl-socket="$dpdk_tmp/afctl" --stats \
        > "$dpdk_tmp/af.out" 2>&1 &
    pid=$!
    dpdk_pids=$pid
    i=0
    while [ ! -S "$dpdk_tmp/afctl" ] && [ $i -lt 100 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    # The peer captures what comes back while a second mobility-fwd on its
    # side replays the capture into the link: frames received on its local
    # port (the capture) go out of its underlay port (the link) as they
    # are.
    ip netns exec "$ns" "$TCPDUMP" -i "mt$$p" -Q in -w "$dpdk_tmp/back.pcap" \
        -U udp > /dev/null 2>&1 &
    tcpdump_pid=$!
    dpdk_pids="$pid $tcpdump_pid"
    sleep 1
    ip netns exec "$ns" "$FWD" $(dpdk_eal 4) \
        --vdev="net_pcap0,tx_iface=mt$$p" \
        --vdev="net_pcap1,rx_pcap=$dpdk_tmp/in.pcap,tx_pcap=/dev/null" -- \
        --idle-exit 500 > "$dpdk_tmp/sender.out" 2>&1 || true
    sleep 1
    kill -TERM $pid
    wait $pid
    kill -TERM $tcpdump_pid
    wait $tcpdump_pid
    dpdk_pids=
    n_ref=$(pcap_count "$dpdk_tmp/ref.pcap")
    mobility_pcap_ref=$dpdk_tmp/ref-plain.pcap
    "$MOBILITY_PCAP" -q -r "$dpdk_tmp/in.pcap" -w "$mobility_pcap_ref" \
        $VTEP_A_OPTS || exit 99
    pcap_bytes "$mobility_pcap_ref" > "$dpdk_tmp/ref-plain.hex"
    pcap_bytes "$dpdk_tmp/back.pcap" > "$dpdk_tmp/back.hex"
    test "$(stat_of "$dpdk_tmp/af.out" underlay_rx)" \
         -ge "$(pcap_count "$dpdk_tmp/in.pcap")" \
        && test "$(pcap_count "$dpdk_tmp/back.pcap")" -gt 0 \
        && cmp -s "$dpdk_tmp/ref-plain.hex" "$dpdk_tmp/back.hex"
    tap $? "net_af_packet on veth: redirected frames come back on the link"
    : "$n_ref"
else
    tap_n=$((tap_n + 1))
    echo "ok $tap_n # SKIP net_af_packet: cannot create a network namespace"
fi

tap_done
