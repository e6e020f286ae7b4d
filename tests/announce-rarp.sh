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

# mobility-announce: what it writes with --write, decoded by tshark, and,
# as root, what really leaves an interface: a veth pair in a network
# namespace of our own, captured with tcpdump on the peer end.

ns=
tcpdump_pid=

# Called by the EXIT trap in pcap-lib.sh: stops what this script started.
cleanup () {
    if test -n "$tcpdump_pid"; then
        kill "$tcpdump_pid" 2>/dev/null
        wait "$tcpdump_pid" 2>/dev/null
    fi
    if test -n "$ns"; then
        ip netns delete "$ns" 2>/dev/null
    fi
}

. "$(dirname "$0")/pcap-lib.sh"

if test -z "$TSHARK" || ! test -x "$TSHARK"; then
    echo "1..0 # SKIP tshark not found"
    exit 0
fi
test -x "$MOBILITY_ANNOUNCE" || bail "$MOBILITY_ANNOUNCE not built"

MAC=52:54:00:12:34:56
BCAST=ff:ff:ff:ff:ff:ff

# offsets_ms FILE: prints each frame's time after the first, in whole
# milliseconds (rounded), space separated.
offsets_ms () {
    ts -r "$1" -T fields -e frame.time_relative \
        | awk '{ printf "%s%d", (NR > 1 ? " " : ""), $1 * 1000 + 0.5 }'
}

# check_rarps FILE WHAT: the checks every capture of QEMU's RARPs for $MAC
# must pass.
check_rarps () {
    check_eq "$2: 5 frames" 5 "$(count "$1")"
    check_eq "$2: each 60 bytes" 60 \
        "$(ts -r "$1" -T fields -e frame.len | sort -u)"
    check_eq "$2: broadcast from the VM's MAC, ethertype RARP" \
        "$MAC $BCAST 0x8035" \
        "$(ts -r "$1" -T fields -E separator=/s -e eth.src -e eth.dst \
           -e eth.type | sort -u)"
    check_eq "$2: RARP opcode 3 (request reverse), sha = tha = the MAC" \
        "3 $MAC $MAC 0.0.0.0 0.0.0.0" \
        "$(ts -r "$1" -T fields -E separator=/s -e arp.opcode \
           -e arp.src.hw_mac -e arp.dst.hw_mac -e arp.src.proto_ipv4 \
           -e arp.dst.proto_ipv4 | sort -u)"
}

# --write: QEMU's schedule, exactly, in the timestamps.
"$MOBILITY_ANNOUNCE" --write "$tmp/rarp.pcap" "$MAC" >"$tmp/out" 2>&1
check_eq "--write exits 0 and prints nothing without -v" "0 " \
    "$? $(cat "$tmp/out")"
check_rarps "$tmp/rarp.pcap" "--write"
check_eq "--write: QEMU's schedule: gaps of 50, 150, 250, 350 ms" \
    "0 50 200 450 800" "$(offsets_ms "$tmp/rarp.pcap")"

# An interface name is accepted, and ignored, with --write.
"$MOBILITY_ANNOUNCE" -w "$tmp/rarp2.pcap" eth-nonexistent "$MAC"
check_eq "--write with an interface: frames as without" \
    "$(ts -r "$tmp/rarp.pcap" -x | grep '^0')" \
    "$(ts -r "$tmp/rarp2.pcap" -x | grep '^0')"

# -v prints one line per frame.
"$MOBILITY_ANNOUNCE" -v --count 7 --write "$tmp/seven.pcap" "$MAC" \
    >"$tmp/seven.out"
check_eq "--count 7: 7 frames" 7 "$(count "$tmp/seven.pcap")"
check_eq "-v: one line per frame" 7 "$(grep -c "^rarp [1-7]/7 for $MAC" \
    "$tmp/seven.out")"
check_eq "--count 7: QEMU's gaps go on growing by 100 ms, capped at 550" \
    "0 50 200 450 800 1250 1800" "$(offsets_ms "$tmp/seven.pcap")"

"$MOBILITY_ANNOUNCE" --count 3 --interval 20 --write "$tmp/i20.pcap" "$MAC"
check_eq "--interval 20: 3 frames 20 ms apart" \
    "0 20 40" "$(offsets_ms "$tmp/i20.pcap")"

# --vlan: one 802.1Q tag, four bytes more.
"$MOBILITY_ANNOUNCE" --vlan 100 --count 1 --write "$tmp/vlan.pcap" "$MAC"
check_eq "--vlan 100: tagged RARP of 64 bytes" "64 100 0x8035 3" \
    "$(ts -r "$tmp/vlan.pcap" -T fields -E separator=/s -e frame.len \
       -e vlan.id -e vlan.etype -e arp.opcode)"

# Gratuitous ARP, request and reply.
"$MOBILITY_ANNOUNCE" -t garp -i 10.0.0.1 -c 1 -w "$tmp/garp.pcap" "$MAC"
check_eq "--type garp: broadcast request, spa = tpa = --ip" \
    "60 $BCAST 1 $MAC 10.0.0.1 10.0.0.1 1" \
    "$(ts -r "$tmp/garp.pcap" -T fields -E separator=/s -e frame.len \
       -e eth.dst -e arp.opcode -e arp.src.hw_mac -e arp.src.proto_ipv4 \
       -e arp.dst.proto_ipv4 -e arp.isgratuitous)"
"$MOBILITY_ANNOUNCE" -t garp-reply -i 10.0.0.1 -c 1 -w "$tmp/garpr.pcap" \
    "$MAC"
check_eq "--type garp-reply: broadcast reply for --ip" \
    "$BCAST 2 $MAC 10.0.0.1" \
    "$(ts -r "$tmp/garpr.pcap" -T fields -E separator=/s -e eth.dst \
       -e arp.opcode -e arp.src.hw_mac -e arp.src.proto_ipv4)"

# Unsolicited neighbour advertisement.
"$MOBILITY_ANNOUNCE" -t na -i 2001:db8::5 -c 1 -w "$tmp/na.pcap" "$MAC"
check_eq "--type na: unsolicited NA to all nodes, override, TLLA option" \
    "86 33:33:00:00:00:01 ff02::1 255 136 0 1 2001:db8::5 $MAC 1" \
    "$(ts -r "$tmp/na.pcap" -T fields -E separator=/s -e frame.len \
       -e eth.dst -e ipv6.dst -e ipv6.hlim -e icmpv6.type \
       -e icmpv6.nd.na.flag.s -e icmpv6.nd.na.flag.o \
       -e icmpv6.nd.na.target_address -e icmpv6.opt.linkaddr \
       -e icmpv6.checksum.status)"

# Live: as root, on a veth pair in a namespace of our own.
live_skip=$(live_skip_why "mobann$$")

if test -n "$live_skip"; then
    for t in sent received schedule; do
        skip "live $t: $live_skip"
    done
    finish
fi

ns=mobann$$
va=mava$$
vb=mavb$$
ip netns exec "$ns" ip link add "$va" type veth peer name "$vb" \
    || bail "cannot create a veth pair"
ip netns exec "$ns" ip link set "$va" up
ip netns exec "$ns" ip link set "$vb" up

# tcpdump writes "listening on" to stderr once it captures.
ip netns exec "$ns" "$TCPDUMP" -i "$vb" -U -n --immediate-mode \
    -w "$tmp/live.pcap" \
    'ether proto 0x8035' 2>"$tmp/tcpdump.err" &
tcpdump_pid=$!
for i in $(seq 50); do
    grep -q "listening on" "$tmp/tcpdump.err" && break
    sleep 0.1
done
grep -q "listening on" "$tmp/tcpdump.err" || bail "tcpdump did not start"

ip netns exec "$ns" "$MOBILITY_ANNOUNCE" "$va" "$MAC" \
    >"$tmp/live.out" 2>&1
check_eq "live: mobility-announce sends on the veth and exits 0" "0 " \
    "$? $(cat "$tmp/live.out")"

sleep 0.3
kill -INT "$tcpdump_pid"
wait "$tcpdump_pid"
tcpdump_pid=

check_rarps "$tmp/live.pcap" "live capture on the peer"

# On the wire the schedule holds to within scheduling noise.
offs=$(offsets_ms "$tmp/live.pcap")
echo "# live offsets (ms): $offs"
check_eq "live: frames on QEMU's schedule (+-25 ms)" good \
    "$(echo "$offs" | awk '{
        split("0 50 200 450 800", want, " ");
        for (i = 1; i <= 5; i++) {
            d = $i - want[i];
            if (d < -25 || d > 25) { print "bad"; exit }
        }
        print "good" }')"

finish
