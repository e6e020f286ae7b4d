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

# mobility-announce --wait (armed mode), as the lab uses it: armed on a
# NIC that is down under a spare name, which is then renamed to eth0 and
# brought up, as a destination hypervisor does at resume.  The oracle is
# tcpdump on the other end of the veth pair, read with tshark: nothing
# before the trigger, the right frames after it, the first within a few
# milliseconds of it (10 ms: typically 0.3 to 1.5 ms here, 3.5 ms under
# AddressSanitizer, against 5 ms or more for a program started then).
# Needs root; skips otherwise.

ns=
tcpdump_pid=
ann_pid=

# Called by the EXIT trap in pcap-lib.sh: stops what this script started.
cleanup () {
    exec 7>&- 2>/dev/null
    for p in $ann_pid $tcpdump_pid; do
        kill "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
    if test -n "$ns"; then
        ip netns delete "$ns" 2>/dev/null
    fi
}

. "$(dirname "$0")/pcap-lib.sh"

MAC=52:54:00:12:34:56
BCAST=ff:ff:ff:ff:ff:ff

# The command line: --wait sends, so it cannot go with --write.
"$MOBILITY_ANNOUNCE" --wait --write "$tmp/x.pcap" "$MAC" \
    </dev/null >"$tmp/usage.out" 2>&1
check_eq "--wait with --write: usage error, exit 2, nothing written" \
    "2 1 no" "$? $(grep -c 'cannot go with --write' "$tmp/usage.out") \
$(test -e "$tmp/x.pcap" && echo yes || echo no)"

skip_why=$(live_skip_why "mobarm$$" tshark)
if test -n "$skip_why"; then
    for t in armed nothing-early exit frames first-frame schedule \
             down-retry down-frames down-late eof never-up; do
        skip "$t: $skip_why"
    done
    finish
fi
ns=mobarm$$

# now_ns: prints CLOCK_REALTIME in nanoseconds (the capture's clock).
now_ns () {
    date +%s%N
}

# start_capture FILE: captures RARPs on vb into FILE until stop_capture
# (--immediate-mode: a frame is written as it arrives, not when a block of
# the capture ring is full or times out).
start_capture () {
    : >"$1.err"
    ip netns exec "$ns" "$TCPDUMP" -i vb -U -n --immediate-mode \
        --time-stamp-precision=nano -w "$1" 'ether proto 0x8035' \
        2>"$1.err" &
    tcpdump_pid=$!
    for i in $(seq 50); do
        grep -q "listening on" "$1.err" && return
        sleep 0.1
    done
    bail "tcpdump did not start"
}

# stop_capture: stops tcpdump (after a moment for the last frames).
stop_capture () {
    sleep 0.2
    kill -INT "$tcpdump_pid"
    wait "$tcpdump_pid"
    tcpdump_pid=
}

# stage NAME: a fresh veth pair: NAME in the namespace, down (the staged
# NIC), and its peer vb, up, where tcpdump listens.
stage () {
    ip -n "$ns" link del vb 2>/dev/null
    ip -n "$ns" link add "$1" type veth peer name vb \
        || bail "cannot create a veth pair"
    ip -n "$ns" link set vb up
}

# arm OUT ARGS...: starts "mobility-announce --wait -v ARGS" in the
# namespace with its standard input on file descriptor 7 (a FIFO) and its
# output in OUT; waits until it reports that it is armed.
arm () {
    out=$1
    shift
    rm -f "$tmp/fifo"
    mkfifo "$tmp/fifo" || bail "mkfifo failed"
    ip netns exec "$ns" "$MOBILITY_ANNOUNCE" --wait -v "$@" \
        <"$tmp/fifo" >"$out" 2>&1 &
    ann_pid=$!
    exec 7>"$tmp/fifo"
    for i in $(seq 100); do
        grep -q "^armed on" "$out" && return 0
        sleep 0.05
    done
    return 1
}

# tenths_after FILE T0_NS: prints each frame's time after T0_NS in tenths of
# milliseconds, space separated (may be negative).
tenths_after () {
    ts -r "$1" -T fields -e frame.time_epoch \
        | awk -v t0="$2" '{
            split($1, p, ".");
            ns = (p[1] - substr(t0, 1, 10)) * 1e9 \
                 + (substr(p[2] "000000000", 1, 9) - substr(t0, 11));
            printf "%s%d", (NR > 1 ? " " : ""), ns / 1e5 }'
}

# 1. Armed on a NIC that is down, renamed and brought up before the
# trigger: the lab's case.
stage spare
start_capture "$tmp/armed.pcap"
arm "$tmp/armed.out" -c 3 -I 20 spare "$MAC"
check_eq "armed: reports that it waits, on the staged NIC" "0" "$?"
sleep 0.2
ip -n "$ns" link set spare name eth0
ip -n "$ns" link set eth0 up
sleep 0.3
t_go=$(now_ns)
echo go >&7
wait "$ann_pid"
status=$?
ann_pid=
exec 7>&-
stop_capture

check_eq "nothing before the trigger (rename and up included)" "" \
    "$(tenths_after "$tmp/armed.pcap" "$t_go" | tr ' ' '\n' \
       | awk '$1 < 0')"
check_eq "exits 0 after the trigger, one line per frame" "0 3" \
    "$status $(grep -c "^rarp [1-3]/3 for $MAC" "$tmp/armed.out")"
check_eq "3 RARPs of 60 bytes, broadcast from the MAC, opcode 3, sha = tha" \
    "60 $MAC $BCAST 3 $MAC $MAC" \
    "$(ts -r "$tmp/armed.pcap" -T fields -E separator=/s -e frame.len \
       -e eth.src -e eth.dst -e arp.opcode -e arp.src.hw_mac \
       -e arp.dst.hw_mac | sort | uniq -c | sed 's/^ *3 //')"
offs=$(tenths_after "$tmp/armed.pcap" "$t_go")
echo "# frames after the trigger (0.1 ms): $offs"
first=${offs%% *}
check "first frame within 10 ms of the trigger" \
    test -n "$first" -a "$first" -ge 0 -a "$first" -lt 100
# The tool counts its schedule from the moment it reads the trigger,
# which the first frame follows at once; the shell's $t_go comes before
# "echo go" and, on a loaded machine, several ms before that moment (the
# check above bounds it).  So the later frames are timed from the first:
# a schedule counted from the program's start (0.5 s before the trigger)
# would send them at once, which this still catches.
check_eq "then 20 ms apart, counted from the trigger (+-5 ms)" good \
    "$(echo "$offs" | awk '{
        for (i = 2; i <= 3; i++) {
            d = $i - $1 - (i - 1) * 200;
            if (NF != 3 || d < -50 || d > 50) { print "bad"; exit }
        }
        print "good" }')"

# 2. Triggered while the NIC is still down: the sends fail with ENETDOWN
# and are retried, so the first frame leaves as soon as it is up.
stage nic2
start_capture "$tmp/down.pcap"
arm "$tmp/down.out" -c 2 -I 50 nic2 "$MAC" || bail "not armed"
echo go >&7
sleep 0.03
t_up=$(now_ns)
ip -n "$ns" link set nic2 up
t_upped=$(now_ns)
wait "$ann_pid"
status=$?
ann_pid=
exec 7>&-
stop_capture
check_eq "down at the trigger: exits 0, reports the retries" "0 1" \
    "$status $(grep -c 'interface down: sent after [0-9]* retries' \
                 "$tmp/down.out")"
check_eq "down at the trigger: both frames sent" 2 "$(count "$tmp/down.pcap")"
offs=$(tenths_after "$tmp/down.pcap" "$t_up")
took=$(( (t_upped - t_up) / 100000 ))
echo "# frames after \"ip link set up\" started (0.1 ms): $offs;" \
    "it took $took"
first=${offs%% *}
check "down at the trigger: first frame once up, within 10 ms" \
    test -n "$first" -a "$first" -ge 0 -a "$first" -lt $((took + 100))

# 3. End of file instead of a line: nothing is sent, exit 1.
stage nic3
ip -n "$ns" link set nic3 up
start_capture "$tmp/eof.pcap"
arm "$tmp/eof.out" nic3 "$MAC" || bail "not armed"
exec 7>&-
wait "$ann_pid"
status=$?
ann_pid=
stop_capture
check_eq "end of file before the trigger: exit 1, message, nothing sent" \
    "1 1 0" "$status $(grep -c 'nothing sent' "$tmp/eof.out") \
$(count "$tmp/eof.pcap")"

# 4. Triggered on a NIC that never comes up: a clear error after the
# retries (about 1 s), exit 1.
stage nic4
arm "$tmp/never.out" nic4 "$MAC" || bail "not armed"
echo go >&7
wait "$ann_pid"
status=$?
ann_pid=
exec 7>&-
check_eq "never up: exit 1 with \"send failed: Network is down\"" "1 1" \
    "$status $(grep -c 'nic4: send failed: Network is down' \
                 "$tmp/never.out")"

finish
