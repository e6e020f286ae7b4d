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

# Runs the mobility autotests, then Open vSwitch's whole testsuite, on the
# patched build in $OVS_DIR (default $top_builddir/ovs, made by "make
# ovs"), and prints TAP: one line per autotest.  OVS_TESTSUITE=mobility
# runs only the mobility tests; OVS_TESTSUITE=none skips them all (the
# sanitizer runs of quickstart, which rebuild only this project).

: "${top_builddir:=.}"
: "${top_srcdir:=.}"
ovs=${OVS_DIR:-$top_builddir/ovs}
which=${OVS_TESTSUITE:-all}

if test "$which" = none; then
    echo "1..0 # SKIP OVS_TESTSUITE=none"
    exit 0
fi

if ! "$top_srcdir/utilities/build-ovs" --srcdir "$top_srcdir" "$ovs" \
        > ovs-build.log 2>&1; then
    echo "1..1"
    echo "not ok 1 - build Open vSwitch with the mobility module"
    sed 's/^/# /' ovs-build.log | tail -20
    exit 0
fi

run() {
    # run NAME FLAGS...: runs OVS's testsuite, saves its log.
    name=$1
    shift
    make -C "$ovs/build" check RECHECK=yes TESTSUITEFLAGS="$*" \
        > "ovs-$name.out" 2>&1
    cp "$ovs/build/tests/testsuite.log" "ovs-$name.log" 2>/dev/null
}

# failed FILE: prints the numbers of the autotests whose last result in
# FILE is a failure.
failed() {
    awk '/^ *[0-9]+: / {
             id = $1; sub(/:$/, "", id)
             bad[id] = ($0 ~ / FAILED \(.*\)$/)
         }
         END { for (id in bad) if (bad[id]) print id }' "$1" | sort -n
}

# rerun NAME: a test that failed twice in run NAME (once more with
# RECHECK=yes) gets up to two more tries, alone (-j1), its output appended
# to the run's: some of Open vSwitch's own tests depend on timing (the
# ovsdb-idl "track, insert and delete" ones see two updates in one batch
# or in two, depending on the load) and failed under the load of a 2-core
# machine running the suite with -j8.  A test that fails all four times
# fails.
rerun() {
    name=$1
    for try in 1 2; do
        ids=$(failed "ovs-$name.out" | tr '\n' ' ')
        test -n "$ids" || return 0
        echo "rerunning alone (try $try): $ids" >> "ovs-$name.out"
        make -C "$ovs/build" check TESTSUITEFLAGS="-j1 $ids" \
            >> "ovs-$name.out" 2>&1
    done
}

run mobility -j8 -k mobility
rerun mobility
if test "$which" = all; then
    run all -j8 -k '!hidden'
    rerun all
fi

# Autotest prints "NNN: title  ok", "... skipped (file:line)",
# "... FAILED (file:line)" or "... expected failure (file:line)".
# The mobility tests appear in both runs: a failure in either counts.
# Within one run, a test seen again is a rerun of a failure (RECHECK=yes,
# then rerun() above): the last rerun decides, and says so.
files=
for f in ovs-mobility.out ovs-all.out; do
    [ -f "$f" ] && files="$files $f"
done
awk '
    function add(id, status, rest) {
        if (id in idx) {
            k = idx[id]
            if (file[id] == FILENAME) {
                r[k] = status " " k " - " id " " rest \
                    (status == "ok" ? " # passed on a rerun" : "")
            } else if (status != "ok") {
                r[k] = status " " k " - " id " " rest
            }
            file[id] = FILENAME
            return
        }
        n++
        idx[id] = n
        file[id] = FILENAME
        r[n] = status " " n " - " id " " rest
    }
    /^ *[0-9]+: / {
        id = $1; sub(/:$/, "", id)
        line = $0; sub(/^ *[0-9]+: /, "", line)
        if (line ~ / ok$/) {
            sub(/ +ok$/, "", line); add(id, "ok", line)
        } else if (line ~ / skipped( \(.*\))?$/) {
            sub(/ +skipped( \(.*\))?$/, "", line)
            add(id, "ok", line " # SKIP")
        } else if (line ~ / expected failure( \(.*\))?$/) {
            sub(/ +expected failure( \(.*\))?$/, "", line)
            add(id, "ok", line " # TODO expected failure")
        } else if (line ~ / FAILED \(.*\)$/) {
            sub(/ +FAILED \(.*\)$/, "", line)
            add(id, "not ok", line)
        }
    }
    END {
        if (!n) { print "1..1"; print "not ok 1 - no autotest ran"; exit }
        print "1.." n
        for (i = 1; i <= n; i++) print r[i]
    }' $files
