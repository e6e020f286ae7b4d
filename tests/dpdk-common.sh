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

# Sourced by the tests/dpdk-*.sh scripts: TAP helpers, a scratch
# directory, EAL arguments that need no hugepages and no NIC, and clean-up
# of everything a test started (by PID) and of DPDK's runtime directory.

top_builddir=${top_builddir:-.}
top_srcdir=${top_srcdir:-.}
FWD=$top_builddir/datapath/dpdk/mobility-fwd
PCAP_GEN=$top_builddir/tests/pcap-gen
MOBILITY_PCAP=$top_builddir/utilities/mobility-pcap
TCPDUMP=${TCPDUMP:-tcpdump}

dpdk_prefix=mobtest-$$
dpdk_tmp=$(mktemp -d "${TMPDIR:-/tmp}/dpdk-test.XXXXXX") || exit 99
dpdk_pids=

# EAL arguments for process number $1 (each gets its own file prefix).
dpdk_eal () {
    echo "-l 0 --no-huge --no-pci -m 512 --no-shconf" \
         "--file-prefix=$dpdk_prefix-$1 --log-level=error"
}

dpdk_cleanup () {
    for pid in $dpdk_pids; do
        kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    done
    rm -rf "$dpdk_tmp"
    for dir in /var/run/dpdk "${XDG_RUNTIME_DIR:-/nonexistent}/dpdk"; do
        rm -rf "$dir/$dpdk_prefix"-* 2>/dev/null
    done
}
trap dpdk_cleanup EXIT

. "$top_srcdir/tests/tap-lib.sh"

# Prints the packets of capture $1 as hex, without timestamps, one
# block per frame: what "byte-identical" compares.
pcap_bytes () {
    "$TCPDUMP" -r "$1" -nn -t -xx 2>/dev/null
}

# Prints the number of frames in capture $1.
pcap_count () {
    "$TCPDUMP" -r "$1" -nn -t -xx 2>/dev/null | grep -c '^	0x0000:'
}

# The old VTEP A of tests/pcap-gen's topology, with its neighbours B and C,
# as options of both mobility-pcap and mobility-fwd.
VTEP_A_OPTS="--vtep=192.0.2.1 --vtep=2001:db8::a --mac=02:00:00:00:00:0a \
--neigh=192.0.2.2=02:00:00:00:00:0b --neigh=192.0.2.3=02:00:00:00:00:0c \
--neigh=2001:db8::b=02:00:00:00:00:0b --neigh=2001:db8::c=02:00:00:00:00:0c"

# Prints the value of counter $2 in the "key: value" lines of file $1.
stat_of () {
    sed -n "s/^$2: //p" "$1"
}
