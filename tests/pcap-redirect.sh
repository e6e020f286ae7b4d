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

# mobility-pcap end to end: tests/pcap-gen writes what the old VTEP A
# receives (see the topology at the top of tests/pcap-gen.c), mobility-pcap
# runs it through the pipeline, and tshark, which shares no code with us,
# decodes what came out.  Each data frame's payload says what should happen
# to it ("expect=redirect", ...), so the expected frames are selected from
# the input with tshark rather than written down here.

. "$(dirname "$0")/pcap-lib.sh"

if test -z "$TSHARK" || ! test -x "$TSHARK"; then
    echo "1..0 # SKIP tshark not found"
    exit 0
fi
for p in "$MOBILITY_PCAP" "$PCAP_GEN"; do
    test -x "$p" || bail "$p not built"
done

A_MAC=02:00:00:00:00:0a
B_MAC=02:00:00:00:00:0b
M_MAC=52:54:00:12:34:56
O_MAC=52:54:00:12:34:57
OPTS="--vtep 192.0.2.1 --vtep 2001:db8::a --mac $A_MAC
      --neigh 192.0.2.2=$B_MAC --neigh 2001:db8::b=$B_MAC"

REDIRECT='frame contains "expect=redirect"'

for s in vxlan4 vxlan6 geneve4 geneve6 announce; do
    "$PCAP_GEN" "$s" "$tmp/$s.pcap" || bail "pcap-gen $s failed"
done

# run NAME SCENARIO [OPTION...]: runs mobility-pcap with $OPTS and OPTIONs
# on SCENARIO's capture, writing $tmp/NAME.out (redirected), NAME.local,
# NAME.report (stdout) and NAME.err.
run () {
    name=$1
    scenario=$2
    shift 2
    # shellcheck disable=SC2086
    "$MOBILITY_PCAP" -r "$tmp/$scenario.pcap" -w "$tmp/$name.out" \
        --local "$tmp/$name.local" $OPTS "$@" \
        >"$tmp/$name.report" 2>"$tmp/$name.err"
}

# fields FILE [FILTER] -- FIELD...: prints the first occurrence of each
# FIELD, space separated, one line per frame of FILE matching FILTER.
fields () {
    file=$1
    shift
    filter=
    if test "X$1" != X--; then
        filter=$1
        shift
    fi
    shift
    set -- $(for f in "$@"; do echo "-e $f"; done)
    if test -n "$filter"; then
        ts -r "$file" -Y "$filter" -T fields -E occurrence=f \
            -E separator=/s "$@"
    else
        ts -r "$file" -T fields -E occurrence=f -E separator=/s "$@"
    fi
}

# all_values FILE FIELD: prints every occurrence of FIELD in every frame,
# sorted and unique, space separated.
all_values () {
    ts -r "$1" -T fields -E occurrence=a -e "$2" | tr ',' '\n' \
        | sed '/^$/d' | sort -u | tr '\n' ' ' | sed 's/ $//'
}

# flows FILE [FILTER]: prints, per frame, the outer UDP source port and the
# inner frame's bytes in hex: the UDP payload after the VXLAN or Geneve
# header and the Geneve options, as tshark found them.
flows () {
    fields "$@" -- udp.srcport udp.payload geneve.options \
        | awk '{ hdr = 8 + length($3) / 2; print $1, substr($2, 2 * hdr + 1) }'
}

# section REPORT TITLE: prints the indented lines under the heading of
# REPORT that starts with TITLE, sorted.
section () {
    awk -v t="$2" 'index($0, t) == 1 { on = 1; next }
                   /^[^ ]/ { on = 0 } on' "$1" | sort
}

# csum_pattern FILE [FILTER]: prints "zero" or "set" per frame for the outer
# UDP checksum.
csum_pattern () {
    fields "$@" -- udp.checksum \
        | awk '{ print ($1 == "0x0000" ? "zero" : "set") }'
}

# check_story SCENARIO TUNNEL FAMILY: the checks for one migration story.
check_story () {
    s=$1
    tnl=$2
    fam=$3
    in=$tmp/$s.pcap
    out=$tmp/$s.out
    local=$tmp/$s.local
    rep=$tmp/$s.report
    if test "$fam" = 4; then
        ipf=ip ttlf=ip.ttl new=192.0.2.2 peer=192.0.2.3
    else
        ipf=ipv6 ttlf=ipv6.hlim new=2001:db8::b peer=2001:db8::c
    fi
    if test "$tnl" = vxlan; then
        vni=5001 vnif=vxlan.vni
    else
        vni=7002 vnif=geneve.vni
    fi

    check "$s: mobility-pcap runs" run "$s" "$s"

    n_in=$(count "$in")
    n_redirect=$(count "$in" "$REDIRECT")
    check_eq "$s: the story has 14 frames to redirect" 14 "$n_redirect"
    check_eq "$s: redirected frames" "$n_redirect" "$(count "$out")"
    check_grep "$s: report counts the redirects per VTEP" \
        "^  to $new: $n_redirect packets" "$rep"

    # Outer headers, as the old VTEP rewrote them.
    check_eq "$s: outer Ethernet from --mac to the next hop" \
        "$A_MAC $B_MAC" "$(fields "$out" -- eth.src eth.dst | sort -u)"
    check_eq "$s: outer destination the new VTEP, source kept" \
        "$peer $new" "$(fields "$out" -- $ipf.src $ipf.dst | sort -u)"
    check_eq "$s: VNI kept" \
        "$(fields "$in" "$REDIRECT" -- $vnif | sort -u)" \
        "$(fields "$out" -- $vnif | sort -u)"
    check_eq "$s: UDP destination port kept" \
        "$(fields "$in" "$REDIRECT" -- udp.dstport | sort -u)" \
        "$(fields "$out" -- udp.dstport | sort -u)"
    flows "$in" "$REDIRECT" >"$tmp/$s.flows.in"
    flows "$out" >"$tmp/$s.flows.out"
    check "$s: UDP source ports and inner frames unchanged" \
        cmp -s "$tmp/$s.flows.in" "$tmp/$s.flows.out"
    check_eq "$s: 802.1Q tag kept" \
        "$(fields "$in" "$REDIRECT" -- vlan.id | sed '/^$/d')" \
        "$(fields "$out" -- vlan.id | sed '/^$/d')"
    check_eq "$s: IP checksums good (outer and inner)" \
        1 "$(all_values "$out" ip.checksum.status)"
    check_eq "$s: zero UDP checksums stay zero, others stay set" \
        "$(csum_pattern "$in" "$REDIRECT" | tr '\n' ' ')" \
        "$(csum_pattern "$out" | tr '\n' ' ')"
    check_eq "$s: non-zero UDP checksums good" \
        "$(fields "$out" -- udp.checksum udp.checksum.status \
           | awk '$1 != "0x0000" { print "set", $2 }' | sort -u)" \
        "$(csum_pattern "$out" | grep -q set && echo 'set 1')"

    if test "$tnl" = vxlan; then
        # Unmarked: the TTL goes down by one rather than being fresh.
        check_eq "$s: TTL one less than received" \
            "$(fields "$in" "$REDIRECT" -- $ttlf \
               | awk '{ print $1 - 1 }' | sort -u)" \
            "$(fields "$out" -- $ttlf | sort -u)"
        check_eq "$s: VXLAN flags unchanged (no mark)" \
            0x0800 "$(fields "$out" -- vxlan.flags | sort -u)"
        check_eq "$s: frame lengths unchanged" \
            "$(fields "$in" "$REDIRECT" -- frame.len | tr '\n' ' ')" \
            "$(fields "$out" -- frame.len | tr '\n' ' ')"
    else
        # Marked: fresh TTL, and 4 bytes of mark option before OVN's.
        check_eq "$s: fresh TTL 64 (marked)" \
            64 "$(fields "$out" -- $ttlf | sort -u)"
        check_eq "$s: OVN option 0x0102 kept, mark option 0xfff7 added" \
            "fff75d00$(fields "$in" "$REDIRECT" -- geneve.options \
                       | sort -u)" \
            "$(fields "$out" -- geneve.options | sort -u)"
        check_eq "$s: OVN option class and critical type decoded" \
            "0xfff7,0x0102 0x5d,0x80" \
            "$(ts -r "$out" -T fields -E occurrence=a -E separator=/s \
               -e geneve.option.class -e geneve.option.type | sort -u)"
        check_eq "$s: frames 4 bytes longer" \
            "$(fields "$in" "$REDIRECT" -- frame.len \
               | awk '{ printf "%d ", $1 + 4 }')" \
            "$(fields "$out" -- frame.len | tr '\n' ' ')"
    fi

    # What the report says.
    n_rarp=$(count "$in" "arp.opcode == 3")
    check_grep "$s: learned M at the new VTEP from the first RARP" \
        "rarp for vni $vni mac $M_MAC from $new \\($tnl\\): new$" "$rep"
    check_eq "$s: each later RARP refreshes" \
        $((n_rarp - 1)) "$(grep -c "rarp for vni $vni .*: refreshed$" "$rep")"
    check_grep "$s: table shows M at the new VTEP, origin rarp" \
        "^ +$vni +$M_MAC +$new +$tnl +rarp " "$rep"

    n_drop=$(count "$in" 'frame contains "expect=drop"')
    n_ttl1=$(count "$in" 'frame contains "expect=ttl1"')
    if test "$tnl" = vxlan; then
        printf '  %s: %s\n' "TTL exhausted" "$n_ttl1" \
            "new VTEP is the sender" "$n_drop" | sort >"$tmp/$s.drops"
    else
        printf '  %s: %s\n' "already redirected once" 1 \
            "new VTEP is the sender" $((n_drop - 1)) | sort >"$tmp/$s.drops"
    fi
    section "$rep" "Dropped by loop protection" >"$tmp/$s.drops.rep"
    check "$s: loop drops per reason" cmp -s "$tmp/$s.drops" \
        "$tmp/$s.drops.rep"

    # One malformed frame per reason, two for Geneve's option overrun.
    {
        echo "truncated Ethernet header"
        echo "truncated UDP header"
        echo "UDP length inconsistent"
        echo "truncated inner Ethernet"
        echo "IP fragment"
        if test "$tnl" = vxlan; then
            echo "truncated VXLAN header"
            echo "VXLAN I flag clear"
        else
            echo "truncated Geneve header"
            echo "Geneve version not 0"
            echo "Geneve options overrun"
            echo "Geneve options overrun"
        fi
        if test "$fam" = 4; then
            echo "truncated IPv4 header"
            echo "IPv4 header checksum wrong"
            echo "IPv4 total length inconsistent"
            if test "$tnl" = vxlan; then
                echo "IPv4 version not 4"
            else
                echo "IPv4 header length below 20"
                echo "Geneve protocol not Ethernet"
            fi
        else
            echo "truncated IPv6 header"
            echo "IPv6 payload length too long"
            echo "IPv6 version not 6"
        fi
    } | sort | uniq -c | awk '{ n = $1; $1 = ""; print " " $0 ": " n }' \
        | sort >"$tmp/$s.rejects"
    n_reject=$(awk -F': ' '{ n += $2 } END { print n }' "$tmp/$s.rejects")
    section "$rep" "Rejected" >"$tmp/$s.rejects.rep"
    if cmp -s "$tmp/$s.rejects" "$tmp/$s.rejects.rep"; then
        ok "$s: rejected frames counted per reason"
    else
        not_ok "$s: rejected frames counted per reason"
        diff "$tmp/$s.rejects" "$tmp/$s.rejects.rep" | sed 's/^/# /'
    fi

    # Local delivery: everything that was not redirected, dropped or
    # rejected, unchanged.
    check_eq "$s: local frames = the rest" \
        $((n_in - n_redirect - n_drop - n_ttl1 - n_reject)) \
        "$(count "$local")"
    check_eq "$s: every miss delivered locally" \
        "$(fields "$in" 'frame contains "expect=miss"' -- udp.srcport \
           udp.payload)" \
        "$(fields "$local" 'frame contains "expect=miss"' -- udp.srcport \
           udp.payload)"
    check_eq "$s: the RARPs delivered locally" "$n_rarp" \
        "$(count "$local" "arp.opcode == 3")"
    check_eq "$s: nothing to redirect delivered locally" 0 \
        "$(count "$local" "$REDIRECT")"

    # Same input, same options: the same bytes.
    run "$s.again" "$s"
    check "$s: output is reproducible" \
        cmp -s "$out" "$tmp/$s.again.out"
    check "$s: local output and report are reproducible" \
        sh -c "cmp -s '$local' '$tmp/$s.again.local' &&
               cmp -s '$rep' '$tmp/$s.again.report'"
}

check_story vxlan4 vxlan 4
check_story vxlan6 vxlan 6
check_story geneve4 geneve 4
check_story geneve6 geneve 6

# --src-mode local and --ttl: this VTEP's address as the source, the TTL
# from --ttl when it is the smaller, checksums still right.
for s in vxlan4 geneve6; do
    case $s in
    vxlan4) ipf=ip ttlf=ip.ttl self=192.0.2.1 ;;
    geneve6) ipf=ipv6 ttlf=ipv6.hlim self=2001:db8::a ;;
    esac
    run $s.srclocal $s --src-mode local --ttl 32
    out=$tmp/$s.srclocal.out
    check_eq "$s --src-mode local: redirected frames" \
        "$(count "$tmp/$s.pcap" "$REDIRECT")" "$(count "$out")"
    check_eq "$s --src-mode local: outer source is this VTEP" \
        "$self" "$(fields "$out" -- $ipf.src | sort -u)"
    check_eq "$s --ttl 32: TTL 32" 32 "$(fields "$out" -- $ttlf | sort -u)"
    check_eq "$s --src-mode local: IP checksums good" \
        1 "$(all_values "$out" ip.checksum.status)"
    check_eq "$s --src-mode local: non-zero UDP checksums good" \
        "set 1" "$(fields "$out" -- udp.checksum udp.checksum.status \
                   | awk '$1 != "0x0000" { print "set", $2 }' | sort -u)"
done

# --vxlan-mark: redirected VXLAN carries the reserved flag, gets a fresh
# TTL, and so the TTL-1 packet can go too.
s=vxlan4
run $s.mark $s --vxlan-mark
out=$tmp/$s.mark.out
check_eq "$s --vxlan-mark: the TTL-1 packet is redirected too" \
    "$(count "$tmp/$s.pcap" "$REDIRECT || frame contains \"expect=ttl1\"")" \
    "$(count "$out")"
check_eq "$s --vxlan-mark: VXLAN flags I and mark bit" \
    0x4800 "$(fields "$out" -- vxlan.flags | sort -u)"
check_eq "$s --vxlan-mark: fresh TTL" 64 "$(fields "$out" -- ip.ttl | sort -u)"
check_eq "$s --vxlan-mark: IP checksums good" \
    1 "$(all_values "$out" ip.checksum.status)"
check_eq "$s --vxlan-mark: non-zero UDP checksums good" \
    "set 1" "$(fields "$out" -- udp.checksum udp.checksum.status \
               | awk '$1 != "0x0000" { print "set", $2 }' | sort -u)"

# --no-geneve-mark: options and length as received, TTL one less.
s=geneve4
run $s.nomark $s --no-geneve-mark
out=$tmp/$s.nomark.out
check_eq "$s --no-geneve-mark: options as received" \
    "$(fields "$tmp/$s.pcap" "$REDIRECT" -- geneve.options | sort -u)" \
    "$(fields "$out" -- geneve.options | sort -u)"
check_eq "$s --no-geneve-mark: frame lengths unchanged" \
    "$(fields "$tmp/$s.pcap" "$REDIRECT" -- frame.len | tr '\n' ' ')" \
    "$(fields "$out" -- frame.len | tr '\n' ' ')"
check_eq "$s --no-geneve-mark: TTL one less than received" \
    63 "$(fields "$out" -- ip.ttl | sort -u)"

# --static pre-loads the table: O, which never announced itself, goes to
# B too, and the entry is shown as static and never expiring.
s=vxlan4
run $s.static $s --static "5001,$O_MAC,192.0.2.2,vxlan"
n_o=$(count "$tmp/$s.pcap" "vxlan.vni == 5001 && eth.dst == $O_MAC")
check_eq "$s --static: O's packets redirected too" \
    $(($(count "$tmp/$s.pcap" "$REDIRECT") + n_o)) \
    "$(count "$tmp/$s.static.out")"
check_eq "$s --static: O's packets go to 192.0.2.2" \
    "$(fields "$tmp/$s.pcap" "eth.dst == $O_MAC" -- udp.srcport \
       | sed 's/$/ 192.0.2.2/')" \
    "$(fields "$tmp/$s.static.out" "eth.dst == $O_MAC" -- udp.srcport \
       ip.dst)"
check_grep "$s --static: table shows the static entry" \
    "^ +5001 +$O_MAC +192\\.0\\.2\\.2 +vxlan +static +[0-9]+ +[0-9]+ \
+static " "$tmp/$s.static.report"

# Without a neighbour table nothing can be sent: every hit falls back to
# local delivery.
s=vxlan4
"$MOBILITY_PCAP" -r "$tmp/$s.pcap" -w "$tmp/noneigh.out" \
    --local "$tmp/noneigh.local" >"$tmp/noneigh.report"
check_eq "no --neigh: nothing redirected" 0 "$(count "$tmp/noneigh.out")"
check_grep "no --neigh: fallbacks counted" \
    "^  next hop MAC unknown: $(count "$tmp/$s.pcap" "$REDIRECT")$" \
    "$tmp/noneigh.report"

# --grace-time: the capture's clock ages the table.  The last straggler
# comes in a later second than the last RARP.
run $s.grace $s --grace-time 1
check_eq "$s --grace-time 1: the late packet is no longer redirected" \
    $(($(count "$tmp/$s.pcap" "$REDIRECT") - 1)) \
    "$(count "$tmp/$s.grace.out")"
check_grep "$s --grace-time 1: the entry expired" "^  expired: 1$" \
    "$tmp/$s.grace.report"

# --vxlan-port: VXLAN on another port is not ours.
run $s.port $s --vxlan-port 4790
check_eq "$s --vxlan-port 4790: nothing redirected" 0 \
    "$(count "$tmp/$s.port.out")"
check_grep "$s --vxlan-port 4790: no tunnel packets" \
    "^  tunnel_packets: 0$" "$tmp/$s.port.report"

# Learning from a gratuitous ARP and an unsolicited NA; a solicited NA is
# not learned; a packet whose underlay family differs from the entry's
# falls back to local delivery.
s=announce
run $s $s
rep=$tmp/$s.report
check_grep "$s: learned O from the gratuitous ARP" \
    "garp for vni 5001 mac $O_MAC from 192\\.0\\.2\\.2 \\(vxlan\\): new$" \
    "$rep"
check_grep "$s: learned M from the unsolicited NA" \
    "na for vni 5001 mac $M_MAC from 2001:db8::b \\(vxlan\\): new$" "$rep"
check_grep "$s: the GARP reply refreshes O" \
    "garp for vni 5001 mac $O_MAC .*: refreshed$" "$rep"
check_eq "$s: the solicited NA is not an announcement" \
    "$(count "$tmp/$s.pcap" "arp || icmpv6.nd.na.flag.s == 0")" \
    "$(grep -c '^frame [0-9]* at' "$rep")"
check_eq "$s: redirected frames" \
    "$(count "$tmp/$s.pcap" "$REDIRECT")" "$(count "$tmp/$s.out")"
check_eq "$s: each to the VTEP of its family" \
    "$(ts -r "$tmp/$s.pcap" -Y "$REDIRECT" -T fields -E occurrence=f \
       -E separator=, -e frame.number -e ipv6.src \
       | awk -F, '{ print ($2 != "" ? "2001:db8::b" : "192.0.2.2") }')" \
    "$(ts -r "$tmp/$s.out" -T fields -E occurrence=f -E separator=, \
       -e ipv6.dst -e ip.dst \
       | awk -F, '{ print ($1 != "" ? $1 : $2) }')"
check_grep "$s: family mismatches fall back" \
    "^  underlay address family differs: $(count "$tmp/$s.pcap" \
    'frame contains "expect=fallback"')$" "$rep"

finish
