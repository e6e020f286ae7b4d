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

# TAP helpers for the shell tests (sourced, not run): automake's TAP
# driver counts each "ok"/"not ok" line as one test.

tap_n=0
tap_failed=0

# tap STATUS DESCRIPTION: reports one TAP test, passed if STATUS is 0.
tap () {
    tap_n=$((tap_n + 1))
    if [ "$1" -eq 0 ]; then
        echo "ok $tap_n - $2"
    else
        echo "not ok $tap_n - $2"
        tap_failed=$((tap_failed + 1))
    fi
}

# tap_done: prints the plan; returns false if a test failed.
tap_done () {
    echo "1..$tap_n"
    [ "$tap_failed" -eq 0 ]
}
