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

# The control socket of mobility-fwd and its client: add, del, show,
# flush and stats at run time, with lib's command grammar, on net_ring
# ports (no traffic, no NIC).

. "${top_srcdir:-.}/tests/dpdk-common.sh"

sock=$dpdk_tmp/ctl
"$FWD" $(dpdk_eal 0) --vdev=net_ring0 --vdev=net_ring1 -- \
    --vtep=192.0.2.1 --ctl-socket="$sock" \
    --static=5001,52:54:00:00:00:01,192.0.2.9 \
    > "$dpdk_tmp/fwd.out" 2>&1 &
fwd_pid=$!
dpdk_pids=$fwd_pid

i=0
while [ ! -S "$sock" ] && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
test -S "$sock"
tap $? "control socket appears"

ctl () {
    "$FWD" --ctl "$sock" "$@" > "$dpdk_tmp/out" 2> "$dpdk_tmp/err"
}
M=52:54:00:12:34:56

ctl show
test $? -eq 0 && grep -q '^ *5001 *52:54:00:00:00:01 *192.0.2.9 .*static' \
    "$dpdk_tmp/out"
tap $? "show lists the --static entry"

ctl add br0 5001 $M 192.0.2.2 geneve
status=$?
ctl show
test $status -eq 0 && grep -q "^ *5001 *$M *192.0.2.2 *geneve *static" \
    "$dpdk_tmp/out" && test "$(grep -c : "$dpdk_tmp/out")" -ge 2
tap $? "add: the entry appears in show"

ctl mobility/add br0 5001 $M 2001:db8::b
status=$?
ctl show
test $status -eq 0 && grep -q "^ *5001 *$M *2001:db8::b " "$dpdk_tmp/out" \
    && ! grep -q "192.0.2.2" "$dpdk_tmp/out"
tap $? "add with the mobility/ prefix replaces the VTEP"

n_before=$(grep -c : "$dpdk_tmp/out")
ctl add br0 5001 $M not-an-address
status=$?
grep -q 'not-an-address' "$dpdk_tmp/err" || status=99
ctl show
test $status -eq 1 \
    && grep -q "^ *5001 *$M *2001:db8::b " "$dpdk_tmp/out" \
    && test "$(grep -c : "$dpdk_tmp/out")" = "$n_before"
tap $? "add with a bad VTEP fails with a message and changes nothing"

ctl add br0 5001
test $? -eq 1 && test -s "$dpdk_tmp/err"
tap $? "add with missing arguments fails"

ctl del br0 5001 $M
status=$?
ctl show
test $status -eq 0 && ! grep -q "$M" "$dpdk_tmp/out"
tap $? "del removes the entry"

ctl del br0 5001 $M
test $? -eq 1 && test -s "$dpdk_tmp/err"
tap $? "del of a missing entry fails"

ctl add br0 7 02:00:00:00:00:07 192.0.2.7 \
    && ctl add br0 8 02:00:00:00:00:08 192.0.2.8 && ctl flush
status=$?
grep -q 3 "$dpdk_tmp/out"
flushed=$?
ctl show
test $status -eq 0 && test $flushed -eq 0 \
    && ! grep -q '192\.0\.2\.' "$dpdk_tmp/out"
tap $? "flush deletes every entry and says how many"

ctl stats
test $? -eq 0 && grep -q '^entries: 0$' "$dpdk_tmp/out" \
    && grep -q '^deleted: ' "$dpdk_tmp/out" \
    && grep -q '^rx_packets: 0$' "$dpdk_tmp/out" \
    && grep -q '^underlay_rx: 0$' "$dpdk_tmp/out"
tap $? "stats: table, fast path and port counters"

ctl frobnicate
test $? -eq 1 && test -s "$dpdk_tmp/err"
tap $? "unknown command fails"

"$FWD" --ctl "$dpdk_tmp/nonexistent" show 2>/dev/null
test $? -eq 2
tap $? "client reports an unreachable server"

kill -TERM $fwd_pid
wait $fwd_pid
status=$?
dpdk_pids=
test $status -eq 0 && test ! -e "$sock"
tap $? "SIGTERM: clean exit, socket removed"

tap_done
