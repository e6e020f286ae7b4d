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

# Bad command lines for mobility-pcap and mobility-announce: each must exit
# with status 2, say what is wrong and show the usage line, and leave no
# output file behind.  Runtime errors (a missing input, an unknown
# interface) exit with status 1.

. "$(dirname "$0")/pcap-lib.sh"

for p in "$MOBILITY_PCAP" "$MOBILITY_ANNOUNCE" "$PCAP_GEN"; do
    test -x "$p" || bail "$p not built"
done

"$PCAP_GEN" vxlan4 "$tmp/in.pcap" || bail "pcap-gen failed"

# bad DESCRIPTION PATTERN PROGRAM ARG...: PROGRAM with ARGs must exit 2,
# print a line matching PATTERN and a usage line on stderr, and nothing on
# stdout, nor create $tmp/out.pcap.
bad () {
    desc=$1
    pattern=$2
    shift 2
    rm -f "$tmp/out.pcap"
    "$@" >"$tmp/stdout" 2>"$tmp/stderr"
    status=$?
    if test $status = 2 && grep -Eq -- "$pattern" "$tmp/stderr" \
       && grep -q '^usage: ' "$tmp/stderr" && ! test -s "$tmp/stdout" \
       && ! test -e "$tmp/out.pcap"; then
        ok "$desc"
    else
        not_ok "$desc"
        echo "# exit status $status; stderr:"
        sed 's/^/# | /' "$tmp/stderr"
    fi
}

# fails DESCRIPTION PATTERN PROGRAM ARG...: PROGRAM must exit 1 with a
# message matching PATTERN.
fails () {
    desc=$1
    pattern=$2
    shift 2
    "$@" >"$tmp/stdout" 2>"$tmp/stderr"
    status=$?
    if test $status = 1 && grep -Eq -- "$pattern" "$tmp/stderr"; then
        ok "$desc"
    else
        not_ok "$desc"
        echo "# exit status $status; stderr:"
        sed 's/^/# | /' "$tmp/stderr"
    fi
}

P=$MOBILITY_PCAP
IN="-r $tmp/in.pcap -w $tmp/out.pcap"

bad "pcap: no arguments" "no input capture" $P
bad "pcap: no -r" "no input capture" $P -w "$tmp/out.pcap"
bad "pcap: positional argument" "unexpected argument" $P $IN extra
bad "pcap: unknown option" "unknown option \"--bogus\"" $P $IN --bogus
bad "pcap: unknown short option" "unknown option \"-x\"" $P $IN -x
bad "pcap: missing option argument" "needs an argument" $P $IN --ttl
bad "pcap: --ttl 0" "--ttl wants" $P $IN --ttl 0
bad "pcap: --ttl 256" "--ttl wants" $P $IN --ttl 256
bad "pcap: --ttl not a number" "--ttl wants" $P $IN --ttl 6x
bad "pcap: --vtep not an address" "--vtep" $P $IN --vtep 192.0.2.300
bad "pcap: two IPv4 --vtep" "one IPv4 address" $P $IN \
    --vtep 192.0.2.1 --vtep 192.0.2.9
bad "pcap: --mac not a MAC" "--mac" $P $IN --mac 02:00:00:00:00
bad "pcap: --mac multicast" "multicast" $P $IN --mac 01:00:5e:00:00:01
bad "pcap: --neigh without =" "ADDR=MAC" $P $IN --neigh 192.0.2.2
bad "pcap: --neigh bad MAC" "not a MAC" $P $IN --neigh 192.0.2.2=zz
bad "pcap: --neigh bad address" "not an IPv4 or IPv6" $P $IN \
    --neigh 192.0.2=02:00:00:00:00:0b
bad "pcap: --src-mode unknown" "keep or local" $P $IN --src-mode both
bad "pcap: --vxlan-port 0" "UDP port" $P $IN --vxlan-port 0
bad "pcap: --geneve-port 65536" "UDP port" $P $IN --geneve-port 65536
bad "pcap: VXLAN and Geneve on one port" "share UDP port" $P $IN \
    --vxlan-port 6081
bad "pcap: --max-entries 0" "--max-entries" $P $IN --max-entries 0
bad "pcap: --grace-time 0" "--grace-time" $P $IN --grace-time 0
bad "pcap: --static with two fields" "VNI,MAC,VTEP" $P $IN \
    --static 5001,52:54:00:12:34:56
bad "pcap: --static VNI too big" "VNI" $P $IN \
    --static 16777216,52:54:00:12:34:56,192.0.2.2
bad "pcap: --static bad tunnel type" "tunnel type" $P $IN \
    --static 5001,52:54:00:12:34:56,192.0.2.2,gre
bad "pcap: --static pointing at this VTEP" "this VTEP" $P $IN \
    --vtep 192.0.2.1 --static 5001,52:54:00:12:34:56,192.0.2.1
fails "pcap: missing input file" "No such file" $P -r "$tmp/nonexistent.pcap"
printf 'not a capture at all, not even close\n' >"$tmp/junk.pcap"
fails "pcap: input not a capture" "junk.pcap" $P -r "$tmp/junk.pcap"
# A classic pcap header with link type 101 (raw IP), and no frames.
printf '\324\303\262\241\002\000\004\000\000\000\000\000\000\000\000\000'\
'\377\377\000\000\145\000\000\000' >"$tmp/raw.pcap"
fails "pcap: non-Ethernet capture refused" "only Ethernet" $P \
    -r "$tmp/raw.pcap"
"$P" --help >"$tmp/stdout" 2>&1
check_eq "pcap: --help exits 0 with the usage" "0 1" \
    "$? $(grep -c '^usage: ' "$tmp/stdout")"

A=$MOBILITY_ANNOUNCE
MAC=52:54:00:12:34:56
W="--write $tmp/out.pcap"

bad "announce: no arguments" "missing" $A
bad "announce: interface but no MAC" "missing interface or MAC" $A eth0
bad "announce: --write and no MAC" "missing MAC" $A $W
bad "announce: too many arguments" "too many" $A eth0 $MAC extra
bad "announce: bad MAC" "not a MAC" $A $W 52:54:00:12:34:5g
bad "announce: multicast MAC" "unicast" $A $W 01:00:5e:00:00:01
bad "announce: zero MAC" "unicast" $A $W 00:00:00:00:00:00
bad "announce: unknown type" "unknown announcement type" $A $W \
    --type rarp6 $MAC
bad "announce: unknown option" "unknown option" $A $W --bogus $MAC
bad "announce: garp without --ip" "needs --ip" $A $W --type garp $MAC
bad "announce: garp with IPv6" "IPv4" $A $W --type garp --ip 2001:db8::1 \
    $MAC
bad "announce: garp for 0.0.0.0" "probe" $A $W --type garp --ip 0.0.0.0 \
    $MAC
bad "announce: na with IPv4" "IPv6" $A $W --type na --ip 10.0.0.1 $MAC
bad "announce: na for multicast" "unicast" $A $W --type na --ip ff02::1 $MAC
bad "announce: rarp with --ip" "not used by RARP" $A $W --ip 10.0.0.1 $MAC
bad "announce: --ip not an address" "not an IPv4 or IPv6" $A $W \
    --ip 10.0.0 $MAC
bad "announce: --count 0" "--count" $A $W --count 0 $MAC
bad "announce: --count not a number" "--count" $A $W --count five $MAC
bad "announce: --interval negative" "--interval" $A $W --interval -5 $MAC
bad "announce: --vlan 4095" "--vlan" $A $W --vlan 4095 $MAC
bad "announce: missing option argument" "needs an argument" $A $MAC -c
fails "announce: unknown interface" "mobility-announce: nonexist0" $A \
    --count 1 nonexist0 $MAC
"$A" --help >"$tmp/stdout" 2>&1
check_eq "announce: --help exits 0 with the usage" "0 1" \
    "$? $(grep -c '^usage: ' "$tmp/stdout")"

finish
