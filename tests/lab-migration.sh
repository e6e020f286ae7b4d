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

# lab-migration.sh: the short lab scenario of "make check" (TAP).  One
# migration A->B with QEMU's RARPs per tunnel type, stock and mobility in
# the same run, 3000 pps, and asserts:
#   - stock loses packets (so the test can fail); with the announcer armed
#     as QEMU's is, stock loses only what is in flight during the 1 to 5 ms
#     switchover when its peer relearns at once (1 to 3 packets at 1000
#     pps, so a run could lose none): 3000 pps keeps a few in flight;
#   - the replies flow after the move, in both modes (no learning
#     poisoning);
#   - with mobility, no packet that reached the old VTEP after the first
#     announcement reached it is lost (TAP SKIP while the ovs-vswitchd in
#     use has no mobility module);
#   - the VM sent nothing into its new port before the switchover (a
#     capture on the staged NIC's host end), and, when the staged NIC
#     waits up (the kernel renames an interface that is up), its link
#     had no event once in service (no late carrier);
#   - nothing is left behind: no namespace, no process.
# Needs root; skips everything otherwise.

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir/_build}
lab=$top_srcdir/utilities/mobility-lab
python=/usr/bin/python3
[ -x "$python" ] || python=python3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lab-migration.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

skip_all() {
    echo "1..0 # SKIP $*"
    exit 0
}

[ "${MOBILITY_LAB_TESTS:-yes}" != no ] \
    || skip_all "MOBILITY_LAB_TESTS=no (it ran in the first pass)"
[ "$(id -u)" = 0 ] || skip_all "needs root (network namespaces)"
ip netns list > /dev/null 2>&1 || skip_all "ip netns does not work here"
"$python" "$lab" which --build-dir "$top_builddir" > "$tmp/which" 2>&1 \
    || skip_all "$(tail -1 "$tmp/which")"

n=0
# result OK DESCRIPTION: prints one TAP line.
result() {
    n=$((n + 1))
    if [ "$1" = ok ]; then
        echo "ok $n - $2"
    else
        echo "not ok $n - $2"
    fi
}

echo "1..17"
sed 's/^/# /' "$tmp/which"
for tunnel in vxlan geneve; do
    json=$tmp/$tunnel.json
    "$python" "$lab" run --build-dir "$top_builddir" --scenario rarp \
        --tunnel "$tunnel" --runs 1 --rate 3000 --keep --capture-staged \
        --json "$json" --out "$tmp/out-$tunnel" \
        > "$tmp/$tunnel.out" 2> "$tmp/$tunnel.err" &
    pid=$!
    wait $pid
    status=$?
    echo "$pid" >> "$tmp/pids"
    sed 's/^/# /' "$tmp/$tunnel.err" "$tmp/$tunnel.out"
    if [ $status -eq 0 ] && [ -s "$json" ]; then
        result ok "$tunnel: the lab ran stock and mobility"
    else
        result fail "$tunnel: the lab ran stock and mobility"
    fi

    # Seven checks on the JSON and the runs' moves.json, numbered from
    # n + 1.
    "$python" - "$json" "$n" "$tunnel" <<'PYEOF'
import json, sys
path, n, tunnel = sys.argv[1], int(sys.argv[2]), sys.argv[3]
try:
    runs = json.load(open(path))
except (OSError, ValueError):
    runs = []
by = {r["mode"]: r for r in runs}
stock, mob = by.get("stock"), by.get("mobility")
checks = []

def check(desc, cond, skip=None):
    checks.append((desc, cond, skip))

check("stock loses packets in the same run (lost %s)"
      % (stock and stock["lost_total"]),
      stock is not None and stock["lost_total"] > 0)
check("stock: the replies flow after the move (%s replies, %s lost)"
      % (stock and stock["replies_after_move"],
         stock and stock["replies_lost"]),
      stock is not None and stock["replies_after_move"] > 0
      and stock["replies_lost"] == 0)
absent = None
if mob is not None and not mob["mobility_active"]:
    absent = "ovs-vswitchd has no mobility module (patched build absent)"
check("mobility: the old VTEP saw the announcement",
      mob is not None and mob["lost_after_announce"] is not None, absent)
check("mobility: no packet that reached the old VTEP after the "
      "announcement is lost (lost %s, %s reached, %s redirected)"
      % (mob and mob["lost_after_announce"],
         mob and mob["reached_old_vtep"],
         mob and mob["redirected_at_old_vtep"]),
      mob is not None and mob["lost_after_announce"] == 0, absent)
check("mobility: the replies flow after the move (%s replies, %s lost)"
      % (mob and mob["replies_after_move"], mob and mob["replies_lost"]),
      mob is not None and mob["replies_after_move"] > 0
      and mob["replies_lost"] == 0, absent)
moves = []
for r in runs:
    try:
        moves += json.load(open(r["workdir"] + "/moves.json"))
    except (OSError, ValueError, KeyError):
        moves.append({})
early = [m.get("dst_frames_before_switchover") for m in moves]
check("the VM sent nothing into its new port before the switchover "
      "(frames: %s)" % early,
      len(runs) == 2 and early and all(e == 0 for e in early))
staged = {r.get("staged_nic") for r in runs}
after = [m.get("k_link_after_up") for m in moves]
check("the new eth0 had no link event once in service (%s)" % after,
      len(runs) == 2 and after and all(a == [] for a in after),
      None if staged == {"up"} else
      "the staged NIC waited down (this kernel does not rename an "
      "interface that is up)")
for i, (desc, cond, skip) in enumerate(checks):
    num = n + 1 + i
    if skip:
        print("ok %d - %s: %s # SKIP %s" % (num, tunnel, desc, skip))
    else:
        print("%s %d - %s: %s" % ("ok" if cond else "not ok", num, tunnel,
                                  desc))
PYEOF
    n=$((n + 7))
done

# No residue: every namespace and process of both labs is gone.
residue=
for pid in $(cat "$tmp/pids"); do
    if ip netns list | grep -q "^mlab$pid-"; then
        residue="$residue namespaces of lab $pid;"
    fi
    state=${TMPDIR:-/tmp}/mobility-lab-$pid/state
    if [ -f "$state" ]; then
        for p in $(awk '$1 == "pid" {print $2}' "$state"); do
            [ -d /proc/"$p" ] && residue="$residue process $p;"
        done
    fi
    rm -rf "${TMPDIR:-/tmp}/mobility-lab-$pid"
done
if [ -z "$residue" ]; then
    result ok "no namespace or process left behind"
else
    result fail "left behind:$residue"
fi
