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

#ifndef TESTS_TEST_COMMON_H
#define TESTS_TEST_COMMON_H 1

#include <CUnit/CUnit.h>
#include <stddef.h>
#include <stdint.h>

/* One test case of a suite. */
struct test_case {
    const char *name;
    CU_TestFunc func;
};

/* Adds a CUnit suite named 'name' with the 'n' tests in 'cases'. */
void test_add_suite(const char *name, const struct test_case *cases,
                    size_t n);

#define TEST_ADD_SUITE(NAME, CASES) \
    test_add_suite(NAME, CASES, sizeof CASES / sizeof *CASES)

/* The tests' own RFC 1071 checksum, written independently of lib's and
 * kept simple, a byte at a time, so that it can be the reference:
 * test_ref_sum() adds the 'len' bytes at 'p' to 'sum' as big-endian
 * 16-bit words (an odd last byte padded with zero) and returns the
 * unfolded sum; test_ref_fold() folds a sum to 16 bits and returns its
 * complement, the checksum. */
uint64_t test_ref_sum(uint64_t sum, const uint8_t *p, size_t len);
uint16_t test_ref_fold(uint64_t sum);

/* Suite registration functions, one per tests/test-*.c file. */
void test_packet_register(void);
void test_announce_register(void);
void test_table_register(void);
void test_redirect_register(void);
void test_burst_register(void);

#endif /* tests/test-common.h */
