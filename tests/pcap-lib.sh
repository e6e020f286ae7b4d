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

# Sourced by the tests/pcap-*.sh and tests/announce-*.sh scripts: TAP
# output, paths to the programs under test, a scratch directory that is
# removed on exit, and a tshark wrapper.
#
# A script sets its own cleanup in a function named 'cleanup' (optional)
# before it sources this file; the trap here calls it, then removes $tmp.

top_builddir=${top_builddir:-.}
top_srcdir=${top_srcdir:-.}
TSHARK=${TSHARK:-$(command -v tshark)}
TCPDUMP=${TCPDUMP:-$(command -v tcpdump)}

MOBILITY_PCAP=$top_builddir/utilities/mobility-pcap
MOBILITY_ANNOUNCE=$top_builddir/utilities/mobility-announce
PCAP_GEN=$top_builddir/tests/pcap-gen

tap_n=0

# ok DESCRIPTION: reports a passed test.
ok () {
    tap_n=$((tap_n + 1))
    echo "ok $tap_n - $*"
}

# not_ok DESCRIPTION: reports a failed test.
not_ok () {
    tap_n=$((tap_n + 1))
    echo "not ok $tap_n - $*"
}

# skip REASON: reports a skipped test.
skip () {
    tap_n=$((tap_n + 1))
    echo "ok $tap_n # SKIP $*"
}

# check DESCRIPTION COMMAND...: runs COMMAND, reports ok if it succeeds.
check () {
    desc=$1
    shift
    if "$@"; then
        ok "$desc"
    else
        not_ok "$desc"
    fi
}

# check_eq DESCRIPTION EXPECTED ACTUAL: reports ok if the strings match,
# otherwise shows both as TAP comments.
check_eq () {
    if test "X$2" = "X$3"; then
        ok "$1"
    else
        not_ok "$1"
        printf '%s\n' "expected: $2" "actual:   $3" | sed 's/^/# /'
    fi
}

# check_grep DESCRIPTION PATTERN FILE: reports ok if FILE has a line that
# matches extended regexp PATTERN, otherwise shows the file.
check_grep () {
    if grep -Eq -- "$2" "$3"; then
        ok "$1"
    else
        not_ok "$1"
        echo "# no line matches: $2"
        sed 's/^/# | /' "$3"
    fi
}

# finish: prints the plan and exits (TAP's plan may come last).
finish () {
    echo "1..$tap_n"
    exit 0
}

# bail REASON: aborts the whole script as a TAP error.
bail () {
    echo "Bail out! $*"
    exit 1
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mobility-test.XXXXXX") || bail "mktemp"

on_exit () {
    if command -v cleanup >/dev/null 2>&1; then
        cleanup
    fi
    rm -rf "$tmp"
}
trap on_exit EXIT
trap 'exit 129' HUP
trap 'exit 141' PIPE
trap 'exit 130' INT
trap 'exit 143' TERM

# Keep tshark away from the user's preferences (decode-as rules, disabled
# protocols): only what the tests ask for applies.
mkdir "$tmp/wireshark"
WIRESHARK_CONFIG_DIR=$tmp/wireshark
export WIRESHARK_CONFIG_DIR

# live_skip_why NS [tshark]: for a test that needs a network namespace of
# its own, prints why it must be skipped (not root, tcpdump or, with
# "tshark", tshark missing, no ip command, ip netns not working), or
# creates namespace NS and prints nothing.  The caller deletes NS.
live_skip_why () {
    if test "$(id -u)" != 0; then
        echo "not root"
    elif test "$2" = tshark && { test -z "$TSHARK" || ! test -x "$TSHARK"; }
    then
        echo "tshark not found"
    elif test -z "$TCPDUMP" || ! test -x "$TCPDUMP"; then
        echo "tcpdump not found"
    elif ! command -v ip >/dev/null 2>&1; then
        echo "no ip command"
    elif ! ip netns add "$1" 2>/dev/null; then
        echo "ip netns does not work here"
    fi
}

# ts ARGS...: runs tshark without name resolution, verifying IPv4, UDP and
# ICMPv6 checksums, and with its chatter on stderr discarded.
ts () {
    "$TSHARK" -n -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE \
        "$@" 2>/dev/null
}

# count FILE [FILTER]: prints the number of frames in FILE matching
# display filter FILTER.
count () {
    if test $# -gt 1; then
        ts -r "$1" -Y "$2" -T fields -e frame.number | wc -l
    else
        ts -r "$1" -T fields -e frame.number | wc -l
    fi
}
