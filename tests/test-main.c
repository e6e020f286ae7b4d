/*
 * Copyright (c) 2026 The ovs-mobility authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at:
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

/* The CUnit runner for libmobility.  Each tests/test-*.c file registers its
 * suites from a function listed in 'registrars' below.
 *
 * Output is TAP, one line per test, so that automake's TAP driver counts
 * every test case; CUnit's own summary follows as TAP comments.
 *
 * Usage: test-mobility [SUITE...]   runs all suites, or only those named. */

#include <config.h>
#include <CUnit/Basic.h>
#include <CUnit/TestRun.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "tests/test-common.h"

static const struct {
    const char *name;
    void (*reg)(void);
} registrars[] = {
    { "packet", test_packet_register },
    { "announce", test_announce_register },
    { "table", test_table_register },
    { "redirect", test_redirect_register },
    { "burst", test_burst_register },
};

static unsigned int tap_n;

/* Adds a CUnit suite named 'name' with the 'n' tests in 'cases'. */
void
test_add_suite(const char *name, const struct test_case *cases, size_t n)
{
    CU_pSuite suite = CU_add_suite(name, NULL, NULL);

    for (size_t i = 0; suite && i < n; i++) {
        CU_add_test(suite, cases[i].name, cases[i].func);
    }
}

/* Adds the 'len' bytes at 'p' to 'sum' as big-endian 16-bit words, one
 * byte at a time; see test-common.h. */
uint64_t
test_ref_sum(uint64_t sum, const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        sum += i % 2 ? p[i] : (uint32_t) p[i] << 8;
    }
    return sum;
}

/* Folds 'sum' to 16 bits with end-around carries and returns its
 * complement. */
uint16_t
test_ref_fold(uint64_t sum)
{
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return ~sum & 0xffff;
}

static void
tap_test_complete(const CU_pTest test, const CU_pSuite suite,
                  const CU_pFailureRecord failure)
{
    tap_n++;
    printf("%s %u - %s: %s\n", failure ? "not ok" : "ok", tap_n,
           suite->pName, test->pName);
    for (CU_pFailureRecord f = failure; f; f = f->pNext) {
        printf("# %s:%u: %s\n", f->strFileName ? f->strFileName : "?",
               f->uiLineNumber, f->strCondition ? f->strCondition : "");
    }
    fflush(stdout);
}

static bool
selected(int argc, char *argv[], const char *name)
{
    if (argc <= 1) {
        return true;
    }
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], name)) {
            return true;
        }
    }
    return false;
}

int
main(int argc, char *argv[])
{
    unsigned int failed, run;

    if (CU_initialize_registry() != CUE_SUCCESS) {
        fprintf(stderr, "test-mobility: %s\n", CU_get_error_msg());
        return 2;
    }
    for (size_t i = 0; i < sizeof registrars / sizeof *registrars; i++) {
        if (selected(argc, argv, registrars[i].name)) {
            registrars[i].reg();
        }
    }
    if (CU_get_error() != CUE_SUCCESS) {
        fprintf(stderr, "test-mobility: %s\n", CU_get_error_msg());
        return 2;
    }

    CU_set_test_complete_handler(tap_test_complete);
    CU_run_all_tests();

    run = CU_get_number_of_tests_run();
    failed = CU_get_number_of_tests_failed();
    printf("1..%u\n", tap_n);
    printf("# Run Summary: suites %u, tests %u, asserts %u\n",
           CU_get_number_of_suites_run(), run,
           CU_get_number_of_asserts());
    printf("# %u passed, %u failed\n", run - failed, failed);
    CU_cleanup_registry();
    return failed ? 1 : 0;
}
