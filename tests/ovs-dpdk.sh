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

# The mobility redirect in OVS-DPDK.  The patched ovs-vswitchd (built by
# "make ovs" in $OVS_DIR, default $top_builddir/ovs) runs with DPDK
# (--no-huge, no PCI) in a private network namespace, run directory and
# database.  This VTEP is 1.1.2.88 on bridge br-phy, whose underlay port
# dpdk0 is a DPDK virtual device, net_af_packet on one end (u0) of a veth
# pair; the test stands on the other end (p0) as the peer VTEPs 1.1.2.92
# and 1.1.2.93.  Bridge int-br has mobility enabled and VXLAN ports t2 and
# t3 to the peers, VNI 123, protected (so that NORMAL never forwards from
# one tunnel to the other: only the mobility redirect does).
#
# The story: 1.1.2.92 sends data for VM 00:00:00:00:00:0a, which goes
# nowhere; the VM moves to 1.1.2.93, which sends QEMU's RARP inside VXLAN;
# 1.1.2.92, not yet aware, keeps sending.  The capture taken on p0 and
# decoded by tshark must show every later data frame coming back
# re-encapsulated to 1.1.2.93 with VNI 123, the sender kept as outer
# source, TTL 63, and the inner frame byte for byte as sent; and
# pmd-stats-show / pmd-perf-show must show that the PMD thread, not the
# main thread, received them, with one upcall for thousands of packets.
#
# tests/ovs-dpdk-bench.sh sources this file with OVS_DPDK_LIB=yes for its
# functions (everything above the test body).  OVS_DPDK_KEEP=yes keeps
# the scratch directory (logs, captures).

: "${top_builddir:=.}"
: "${top_srcdir:=.}"
OVS_DIR=${OVS_DIR:-$top_builddir/ovs}
OVS_BUILD=$OVS_DIR/build
OVS_SRC=$OVS_DIR/src
PYTHON=${PYTHON:-/usr/bin/python3}
TSHARK=${TSHARK:-tshark}
TCPDUMP=${TCPDUMP:-tcpdump}

# EAL memory options: no hugepages by default.  --no-huge implies legacy
# memory; saying so stops ovs-vswitchd from adding --in-memory, which
# DPDK refuses with it.
OD_EAL_MEM=${OD_EAL_MEM:---no-huge --legacy-mem -m 512}
# The underlay port: net_af_packet on u0 with a ring of 4096 frames.
OD_AF_PACKET="net_af_packet0,iface=u0,blocksz=4096,framesz=2048,framecnt=4096"

od_ns=ovsdpdk$$
od_prefix=ovsdpdk-$$
od_tmp=
od_vswitchd_pid=
od_ovsdb_pid=
od_tcpdump_pid=

. "$top_srcdir/tests/tap-lib.sh"

# od_skip REASON: skips the whole script.
od_skip () {
    echo "1..0 # SKIP $1"
    exit 0
}

# od_bail REASON: set-up failed: reports it with the end of the logs and
# exits with failure (the EXIT trap cleans up).
od_bail () {
    tap 1 "$1"
    for f in "$od_tmp/ovs-vswitchd.log" "$od_tmp/ovs-vswitchd.out" \
             "$od_tmp/ovsdb-server.log"; do
        [ -f "$f" ] && tail -15 "$f" | sed 's/^/# /'
    done
    tap_done
    exit 1
}

# od_check_prereqs: skips the script unless Open vSwitch was built with
# DPDK, we are root, a network namespace can be made, and python3, tshark
# and tcpdump are here.
od_check_prereqs () {
    [ -x "$OVS_BUILD/vswitchd/ovs-vswitchd" ] \
        || od_skip "no $OVS_BUILD/vswitchd/ovs-vswitchd (make ovs)"
    grep -q '^#define DPDK_NETDEV' "$OVS_BUILD/config.h" 2>/dev/null \
        || od_skip "Open vSwitch in $OVS_BUILD was built without DPDK"
    [ "$(id -u)" = 0 ] || od_skip "needs root (network namespace)"
    command -v "$TSHARK" > /dev/null || od_skip "no tshark"
    command -v "$TCPDUMP" > /dev/null || od_skip "no tcpdump"
    [ -x "$PYTHON" ] || PYTHON=python3
    command -v "$PYTHON" > /dev/null || od_skip "no python3"
    ip netns add "$od_ns" 2>/dev/null || od_skip "cannot create a netns"
    ip netns del "$od_ns"
}

# od_kill PID: stops process PID (TERM, then KILL after 5 s).
od_kill () {
    if kill -TERM "$1" 2>/dev/null; then
        od_k_i=0
        while kill -0 "$1" 2>/dev/null && [ $od_k_i -lt 50 ]; do
            sleep 0.1
            od_k_i=$((od_k_i + 1))
        done
        kill -KILL "$1" 2>/dev/null
        wait "$1" 2>/dev/null
    fi
}

# od_stop: stops every process od_start and od_capture started, by PID,
# deletes the namespace and DPDK's runtime files.
od_stop () {
    for pid in $od_tcpdump_pid $od_vswitchd_pid $od_ovsdb_pid; do
        od_kill "$pid"
    done
    od_tcpdump_pid=
    od_vswitchd_pid=
    od_ovsdb_pid=
    ip netns del "$od_ns" 2>/dev/null
    for dir in /var/run/dpdk "${XDG_RUNTIME_DIR:-/nonexistent}/dpdk"; do
        rm -rf "${dir:?}/$od_prefix" 2>/dev/null
    done
}

# od_cleanup: od_stop, then removes the scratch directory (unless
# OVS_DPDK_KEEP is set).  The EXIT trap.
od_cleanup () {
    od_stop
    if [ -n "$od_tmp" ] && [ -z "${OVS_DPDK_KEEP:-}" ]; then
        rm -rf "$od_tmp"
    elif [ -n "$od_tmp" ]; then
        echo "# kept $od_tmp"
    fi
}

# od_wait SECONDS COMMAND...: runs COMMAND every 0.05 s until it succeeds;
# returns false after SECONDS.
od_wait () {
    od_w_end=$(($1 * 20))
    shift
    od_w_i=0
    until "$@"; do
        od_w_i=$((od_w_i + 1))
        [ $od_w_i -ge $od_w_end ] && return 1
        sleep 0.05
    done
}

# vsctl, appctl: ovs-vsctl and ovs-appctl on the private instance.
vsctl () {
    "$OVS_BUILD/utilities/ovs-vsctl" --db="unix:$od_tmp/db.sock" \
        --timeout=20 "$@"
}

appctl () {
    "$OVS_BUILD/utilities/ovs-appctl" --timeout=20 \
        -t "$od_tmp/ovs-vswitchd.ctl" "$@"
}

# nsx COMMAND...: runs COMMAND in the namespace (in the foreground: start
# background processes with "ip netns exec" itself, so that $! is theirs).
nsx () {
    ip netns exec "$od_ns" "$@"
}

# od_peer ARGS...: runs the peers' frame tool (see od_write_py).
od_peer () {
    nsx "$PYTHON" "$od_tmp/peer.py" "$@"
}

# od_write_py: writes the peers' frame tool, peer.py, into the scratch
# directory.
od_write_py () {
    cat > "$od_tmp/peer.py" <<'PYEOF'
"""The peer VTEPs 1.1.2.92 and 1.1.2.93 of VTEP 1.1.2.88.

peer.py send IFACE EVENT...  sends on IFACE, in order, each EVENT:
    rarp                 QEMU's RARP for VM 00:00:00:00:00:0a inside VXLAN
                         (VNI 123) from 1.1.2.93;
    data:N:GAP_US:SEQ    N data frames inside VXLAN from 1.1.2.92 for the
                         VM, one every GAP_US microseconds (absolute
                         deadlines; sleeping until 100 us before each,
                         then spinning), numbered from SEQ.
peer.py pcap FILE N          writes data frames 0 to N - 1 to FILE.
peer.py inner N SEQ          prints the hex of data frames SEQ to
                             SEQ + N - 1 after their outer headers, one a
                             line.
peer.py frames FILE OFFSET   prints the hex of each frame of capture FILE
                             from byte OFFSET on, one a line.
A data frame is 114 bytes: outer Ethernet, IPv4, UDP, VXLAN (50 bytes),
then Ethernet, IPv4, UDP 1000 -> 2000 and "MOBT", the 32-bit sequence
number and 14 zero bytes.  The outer UDP source port varies with the
sequence number (64 values), as a sender's entropy would."""
import socket
import struct
import sys
import time

THIS = bytes([1, 1, 2, 88])
THIS_MAC = bytes.fromhex("aa55aa550000")
VM = bytes.fromhex("00000000000a")
VNI = 123


def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ipv4(src, dst, payload, ttl=64):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0,
                    0x4000, ttl, 17, 0, src, dst)
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def vxlan(peer, inner, sport):
    src = bytes([1, 1, 2, peer])
    udp = struct.pack("!HHHH", sport, 4789, 16 + len(inner), 0)
    vx = struct.pack("!II", 0x08000000, VNI << 8)
    # The peer's MAC: aa:bb:cc:00:00:92 for 1.1.2.92, as tnl/neigh/set says.
    eth = THIS_MAC + bytes.fromhex("aabbcc0000%d" % peer) + b"\x08\x00"
    return eth + ipv4(src, THIS, udp + vx + inner)


def rarp():
    arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 3, VM,
                      bytes(4), VM, bytes(4))
    inner = b"\xff" * 6 + VM + b"\x80\x35" + arp
    return vxlan(93, inner + bytes(60 - len(inner)), 12345)


def data(seq):
    payload = b"MOBT" + struct.pack("!I", seq) + bytes(14)
    udp = struct.pack("!HHHH", 1000, 2000, 8 + len(payload), 0) + payload
    inner = VM + bytes.fromhex("00000000000b") + b"\x08\x00" + \
        ipv4(bytes([10, 0, 0, 2]), bytes([10, 0, 0, 1]), udp)
    return vxlan(92, inner, 49152 + seq % 64)


def send(iface, events):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    t = time.perf_counter_ns()
    for ev in events:
        if ev == "rarp":
            s.send(rarp())
            continue
        _, n, gap, first = ev.split(":")
        gap_ns = int(float(gap) * 1000)
        for seq in range(int(first), int(first) + int(n)):
            # Sleep while the deadline is far, spin when it is near.
            left = t - time.perf_counter_ns()
            if left > 150000:
                time.sleep((left - 100000) / 1e9)
            while time.perf_counter_ns() < t:
                pass
            s.send(data(seq))
            t += gap_ns


def pcap(name, n):
    with open(name, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for seq in range(n):
            frame = data(seq)
            f.write(struct.pack("<IIII", 0, 0, len(frame), len(frame)))
            f.write(frame)


def frames(name, offset):
    with open(name, "rb") as f:
        b = f.read()
    end = "<" if b[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") \
        else ">"
    i = 24
    while i + 16 <= len(b):
        caplen = struct.unpack(end + "I", b[i + 8:i + 12])[0]
        print(b[i + 16 + offset:i + 16 + caplen].hex())
        i += 16 + caplen


cmd = sys.argv[1] if len(sys.argv) > 1 else ""
if cmd == "send":
    send(sys.argv[2], sys.argv[3:])
elif cmd == "pcap":
    pcap(sys.argv[2], int(sys.argv[3]))
elif cmd == "inner":
    for seq in range(int(sys.argv[3]), int(sys.argv[3]) + int(sys.argv[2])):
        print(data(seq)[50:].hex())
elif cmd == "frames":
    frames(sys.argv[2], int(sys.argv[3]))
else:
    sys.exit("usage: peer.py send|pcap|inner|frames ...")
PYEOF
}

# od_start DEVARGS [OTHER_CONFIG...]: creates the scratch directory and
# the namespace with the veth pair u0 (DPDK's end) - p0 (the peers' end),
# starts ovsdb-server and ovs-vswitchd with DPDK ($OD_EAL_MEM), builds
# br-phy (underlay port dpdk0 with DEVARGS, address 1.1.2.88, MAC
# aa:55:aa:55:00:00, route and neighbours of the peers) and int-br
# (mobility enabled, outer source kept, VXLAN ports t2 and t3).
# OTHER_CONFIG items (key=value) go to the Open_vSwitch table's
# other_config.
od_start () {
    od_devargs=$1
    shift
    if [ -z "$od_tmp" ]; then
        od_tmp=$(mktemp -d "${TMPDIR:-/tmp}/ovs-dpdk.XXXXXX") || exit 99
    fi
    od_write_py
    ip netns add "$od_ns" || od_bail "create namespace $od_ns"
    nsx sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
        net.ipv6.conf.default.disable_ipv6=1
    nsx ip link set lo up
    nsx ip link add u0 type veth peer name p0 \
        && nsx ip link set u0 up && nsx ip link set p0 up \
        || od_bail "veth pair in $od_ns"

    OVS_RUNDIR=$od_tmp OVS_LOGDIR=$od_tmp OVS_DBDIR=$od_tmp
    OVS_SYSCONFDIR=$od_tmp OVS_PKGDATADIR=$od_tmp
    export OVS_RUNDIR OVS_LOGDIR OVS_DBDIR OVS_SYSCONFDIR OVS_PKGDATADIR
    rm -f "$od_tmp/conf.db"
    "$OVS_BUILD/ovsdb/ovsdb-tool" create "$od_tmp/conf.db" \
        "$OVS_SRC/vswitchd/vswitch.ovsschema" || od_bail "ovsdb-tool create"
    "$OVS_BUILD/ovsdb/ovsdb-server" "$od_tmp/conf.db" \
        --remote="punix:$od_tmp/db.sock" \
        --unixctl="$od_tmp/ovsdb-server.ctl" \
        --pidfile="$od_tmp/ovsdb-server.pid" \
        --log-file="$od_tmp/ovsdb-server.log" -vconsole:off \
        2> "$od_tmp/ovsdb-server.err" &
    od_ovsdb_pid=$!
    od_wait 10 test -S "$od_tmp/db.sock" || od_bail "ovsdb-server start"
    od_other=
    for kv in "$@"; do
        od_other="$od_other other_config:$kv"
    done
    od_eal="$OD_EAL_MEM --no-pci --file-prefix=$od_prefix --log-level=error"
    # shellcheck disable=SC2086
    vsctl --no-wait init -- set Open_vSwitch . \
        other_config:dpdk-init=true "other_config:dpdk-extra=\"$od_eal\"" \
        $od_other || od_bail "ovs-vsctl init"

    # ip netns exec execs ovs-vswitchd, so $! is its PID.
    ip netns exec "$od_ns" "$OVS_BUILD/vswitchd/ovs-vswitchd" \
        "unix:$od_tmp/db.sock" --unixctl="$od_tmp/ovs-vswitchd.ctl" \
        --pidfile="$od_tmp/ovs-vswitchd.pid" \
        --log-file="$od_tmp/ovs-vswitchd.log" -vconsole:off \
        > "$od_tmp/ovs-vswitchd.out" 2>&1 &
    od_vswitchd_pid=$!
    od_wait 30 od_dpdk_initialized || od_bail "DPDK initialised"

    vsctl add-br br-phy -- set bridge br-phy datapath_type=netdev \
            other-config:hwaddr=aa:55:aa:55:00:00 \
        -- add-port br-phy dpdk0 -- set Interface dpdk0 type=dpdk \
            "options:dpdk-devargs=\"$od_devargs\"" \
        || od_bail "br-phy with dpdk0 ($od_devargs)"
    vsctl add-br int-br -- set bridge int-br datapath_type=netdev \
            other_config:mobility-enable=true \
            other_config:mobility-source=keep \
        -- add-port int-br t2 -- set Interface t2 type=vxlan \
            options:remote_ip=1.1.2.92 options:key=123 \
        -- set Port t2 protected=true \
        -- add-port int-br t3 -- set Interface t3 type=vxlan \
            options:remote_ip=1.1.2.93 options:key=123 \
        -- set Port t3 protected=true \
        || od_bail "int-br with tunnels"
    od_wait 10 nsx ip link show br-phy > /dev/null 2>&1 \
        || od_bail "br-phy tap device"
    nsx ip addr add 1.1.2.88/24 dev br-phy && nsx ip link set br-phy up \
        || od_bail "address on br-phy"
    appctl ovs/route/add 1.1.2.0/24 br-phy > /dev/null \
        && appctl tnl/neigh/set br-phy 1.1.2.92 aa:bb:cc:00:00:92 \
            > /dev/null \
        && appctl tnl/neigh/set br-phy 1.1.2.93 aa:bb:cc:00:00:93 \
            > /dev/null \
        || od_bail "tunnel route and neighbours"
    od_wait 10 od_port_up || od_bail "dpdk0 up ($od_devargs)"
}

# od_dpdk_initialized: true once ovs-vswitchd reports DPDK initialised.
od_dpdk_initialized () {
    [ "$(vsctl get Open_vSwitch . dpdk_initialized 2>/dev/null)" = true ]
}

# od_port_up: true once dpdk0's link is up.
od_port_up () {
    [ "$(vsctl get Interface dpdk0 link_state 2>/dev/null)" = up ]
}

# od_capture FILE [DIRECTION]: captures the VXLAN frames on p0 into FILE
# with nanosecond timestamps: the frames DPDK sends (DIRECTION "in", the
# default) or both ways ("inout").  Immediate mode, or tcpdump would keep
# the last frames in its ring when stopped, with a small snapshot length
# and a large buffer, or the ring of snapshot-sized slots that immediate
# mode uses overflows.  Returns once tcpdump listens.
od_capture () {
    rm -f "$od_tmp/tcpdump.err"
    ip netns exec "$od_ns" "$TCPDUMP" -i p0 -Q "${2:-in}" -w "$1" -U -nn \
        --immediate-mode -s 256 -B 16384 --time-stamp-precision=nano \
        udp port 4789 \
        2> "$od_tmp/tcpdump.err" &
    od_tcpdump_pid=$!
    od_wait 10 grep -qs listening "$od_tmp/tcpdump.err" \
        || od_bail "tcpdump on p0"
}

# od_capture_stop: stops the capture.
od_capture_stop () {
    od_kill "$od_tcpdump_pid"
    od_tcpdump_pid=
}

# od_stat FILE THREAD NAME: prints counter NAME ("packets received", "miss
# with success upcall", ...) of THREAD ("pmd" for the first PMD thread,
# "main" for the main thread) in pmd-stats-show output FILE.
od_stat () {
    awk -v t="$2" -v k="$3" '
        /^pmd thread/ { in_t = (t == "pmd" && !done_pmd); done_pmd = 1
                        next }
        /^main thread/ { in_t = (t == "main"); next }
        in_t && index($0, "  " k ":") == 1 {
            sub(/^[^:]*: */, ""); sub(/ .*/, ""); print; exit
        }' "$1"
}

# od_redirected: prints the redirected packets counter of the
# mobility/stats output on standard input.
od_redirected () {
    sed -n 's/^ *redirected[ _]packets: *//p'
}

# od_learned: true once int-br's table holds the VM at 1.1.2.93.
od_learned () {
    appctl mobility/show int-br 2>/dev/null \
        | grep -q '00:00:00:00:00:0a  *1\.1\.2\.93 '
}

# od_decode PCAP: one line per VXLAN frame of PCAP: time (s), outer source,
# outer destination, outer TTL, VNI, inner destination MAC, inner
# EtherType, frame length, and the sequence number of a data frame (from
# its "MOBT" payload, decimal) or "-".
od_decode () {
    "$TSHARK" -r "$1" -d udp.port==4789,vxlan -Y vxlan -T fields \
        -E separator=' ' -E occurrence=a -E aggregator=, \
        -e frame.time_epoch -e ip.src -e ip.dst -e ip.ttl -e vxlan.vni \
        -e eth.dst -e eth.type -e frame.len -e data.data 2>/dev/null \
    | awk '{
        split($2, src, ","); split($3, dst, ","); split($4, ttl, ",")
        split($6, mac, ","); split($7, type, ",")
        seq = "-"
        if ($9 ~ /^4d4f4254/) {
            seq = 0
            for (i = 9; i <= 16; i++) {
                seq = seq * 16 + index("0123456789abcdef",
                                       substr($9, i, 1)) - 1
            }
        }
        print $1, src[1], dst[1], ttl[1], $5, mac[2], type[2], $8, seq
    }'
}

if [ "${OVS_DPDK_LIB:-}" = yes ]; then
    return 0
fi

# The test.
od_check_prereqs
trap od_cleanup EXIT
trap 'exit 130' INT TERM
n_data=3000

od_start "$OD_AF_PACKET"
tap 0 "ovs-vswitchd with DPDK: dpdk0 (net_af_packet) up in br-phy"
od_capture "$od_tmp/out.pcap"

# Before the move: data for the VM goes nowhere (numbered from 100000).
od_peer send p0 data:200:50:100000
sleep 0.3
# Let the revalidators push the statistics of these frames, which were
# dropped, before the table changes: statistics pushed after the change go
# to the new translation and would count as redirected.
appctl revalidator/wait && appctl revalidator/wait
appctl mobility/show int-br > "$od_tmp/show0" \
    && ! grep -q 00:00:00:00:00:0a "$od_tmp/show0"
tap $? "before the announcement int-br's table does not have the VM"

od_peer send p0 rarp
od_wait 5 od_learned
tap $? "RARP in VXLAN from 1.1.2.93 learned on int-br"
grep 'mobility(pmd-c[0-9]*/id:[0-9]*)|INFO|' "$od_tmp/ovs-vswitchd.log" \
    | grep 'int-br: vni 123 00:00:00:00:00:0a moved from this VTEP' \
    | grep -q 'to 1\.1\.2\.93 (rarp via t3)'
tap $? "learned by a PMD thread's upcall (vswitchd log)"

# The peer keeps sending: 3000 frames at 20 kpps.
appctl dpif-netdev/pmd-stats-clear > /dev/null
red0=$(appctl mobility/stats int-br | od_redirected)
od_peer send p0 data:$n_data:50:0
sleep 0.5
od_capture_stop
appctl revalidator/wait && appctl revalidator/wait
appctl dpctl/dump-flows > "$od_tmp/flows"
appctl dpif-netdev/pmd-stats-show > "$od_tmp/pmd-stats"
appctl dpif-netdev/pmd-perf-show > "$od_tmp/pmd-perf"
appctl mobility/stats int-br > "$od_tmp/mob-stats"

od_decode "$od_tmp/out.pcap" > "$od_tmp/out.txt"
n_out=$(wc -l < "$od_tmp/out.txt")
n_before=$(awk '$9 != "-" && $9 >= 100000' "$od_tmp/out.txt" | wc -l)
test "$n_before" -eq 0
tap $? "nothing sent for the VM before the announcement ($n_before)"

# Every frame out: 1.1.2.92 -> 1.1.2.93 (the sender kept as outer source,
# mobility-source=keep), TTL 63, VNI 123, for the VM, 114 bytes.
n_ok=$(awk '$2 == "1.1.2.92" && $3 == "1.1.2.93" && $4 == 63 \
            && $5 == 123 && $6 == "00:00:00:00:00:0a" \
            && $7 == "0x0800" && $8 == 114' "$od_tmp/out.txt" | wc -l)
test "$n_out" -eq "$n_data" && test "$n_ok" -eq "$n_data"
tap $? "$n_ok of $n_data data frames out ($n_out captured),\
 re-encapsulated 1.1.2.92 -> 1.1.2.93, TTL 63, VNI 123"

awk -v n=$n_data '$9 != NR - 1 { bad = 1 } END { exit bad || NR != n }' \
    "$od_tmp/out.txt"
tap $? "sequence numbers 0 to $((n_data - 1)), in order, none lost"

# Inner frames unchanged: the bytes after the outer headers (50) are those
# the peer sent.
od_peer inner $n_data 0 > "$od_tmp/inner.ref"
od_peer frames "$od_tmp/out.pcap" 50 > "$od_tmp/inner.out"
cmp -s "$od_tmp/inner.ref" "$od_tmp/inner.out"
tap $? "inner frames byte for byte as sent"

# Outer headers as OVS built them: destination MAC the neighbour of
# 1.1.2.93, source br-phy's MAC, DF, IPv4 checksum valid, UDP checksum 0,
# VXLAN flags 0x08 (no reserved bit set).
"$TSHARK" -r "$od_tmp/out.pcap" -o ip.check_checksum:TRUE \
    -d udp.port==4789,vxlan -T fields -E occurrence=f -e eth.dst \
    -e eth.src -e ip.flags.df -e ip.checksum.status -e udp.checksum \
    -e vxlan.flags 2>/dev/null | sort | uniq -c \
    | awk '{ $1 = $1; print }' > "$od_tmp/outer.txt"
echo "$n_data aa:bb:cc:00:00:93 aa:55:aa:55:00:00 1 1 0x0000 0x0800" \
    | cmp -s - "$od_tmp/outer.txt"
tap $? "outer Ethernet to 1.1.2.93's neighbour MAC, DF, IP checksum good,\
 UDP checksum 0, VXLAN I flag only"
sed 's/^/# outer: /' "$od_tmp/outer.txt"

rx=$(od_stat "$od_tmp/pmd-stats" pmd "packets received")
upcalls=$(od_stat "$od_tmp/pmd-stats" pmd "miss with success upcall")
main_rx=$(od_stat "$od_tmp/pmd-stats" main "packets received")
echo "# pmd thread: $rx packets received, $upcalls upcalls;" \
     "main thread: $main_rx"
test "${rx:-0}" -eq "$n_data"
tap $? "the PMD thread received the $n_data frames ($rx)"
test "${upcalls:-99}" -le 3 && test "${rx:-0}" -ge 1000
tap $? "no upcall per packet ($upcalls upcalls for $rx packets)"
# The PMD got all of them; the main thread (which polls br-phy's and
# int-br's tap devices) may at most see a stray kernel frame.
test "${main_rx:-99}" -lt 10
tap $? "the main thread forwarded none of them ($main_rx packets)"
grep -q "Rx packets: *$rx " "$od_tmp/pmd-perf" \
    && grep -q "Tx packets: *$rx " "$od_tmp/pmd-perf"
tap $? "pmd-perf-show: the PMD received and sent them"
# The datapath flow of the tunnelled frames for the VM pushes the new
# outer header itself: a "userspace" (slow path) action would send every
# packet to ovs-vswitchd without counting as a miss.
grep 'eth(dst=00:00:00:00:00:0a)' "$od_tmp/flows" > "$od_tmp/vm-flows"
grep -q 'tnl_push(.*dst=1\.1\.2\.93' "$od_tmp/vm-flows" \
    && ! grep -q 'userspace(' "$od_tmp/vm-flows"
tap $? "the datapath flow for the VM is a tnl_push to 1.1.2.93, not\
 the slow path"
sed 's/^/# flow: /' "$od_tmp/vm-flows" | cut -c1-300
red1=$(od_redirected < "$od_tmp/mob-stats")
test "$((red1 - red0))" -eq "$n_data"
tap $? "mobility/stats: $((red1 - red0)) redirects executed by the datapath"
sed -n '/^pmd thread/,$p' "$od_tmp/pmd-perf" | grep -E \
    'pmd thread|Rx packets|Datapath passes|EMC|Megaflow|Upcalls|Tx packets' \
    | sed 's/^/# /'

tap_done
