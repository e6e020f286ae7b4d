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

/* Suite registration functions, one per tests/test-*.c file. */
void test_packet_register(void);
void test_announce_register(void);
void test_table_register(void);
void test_redirect_register(void);

#endif /* tests/test-common.h */
