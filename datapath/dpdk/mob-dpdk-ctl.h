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

#ifndef MOB_DPDK_CTL_H
#define MOB_DPDK_CTL_H 1

/* Control socket of mobility-fwd
 * ==============================
 *
 * A Unix stream socket that takes one command per connection, as
 * ovs-appctl does with ovs-vswitchd.  The protocol is text, so that
 * "echo show | socat - UNIX-CONNECT:SOCKET" works too:
 *
 *   request: the command and its arguments separated by spaces, ending in
 *            a newline (at most MOB_DPDK_CTL_MAX_REQUEST bytes);
 *   reply:   "OK\n" or "ERROR\n", then the command's output; the server
 *            closes the connection after it.
 *
 * The server runs in its own thread and calls back into the program for
 * each command, and once a second for housekeeping (table ageing). */

#include <stdbool.h>
#include <stddef.h>

#define MOB_DPDK_CTL_MAX_REQUEST 1024
#define MOB_DPDK_CTL_MAX_ARGS 32

/* Executes the command in 'argv[0]' with 'argc' - 1 arguments, for 'aux'.
 * Writes its output, null-terminated, into 'out' ('out_size' bytes,
 * truncated if needed).  Returns true on success. */
typedef bool mob_dpdk_ctl_func(void *aux, int argc, char *argv[],
                               char *out, size_t out_size);

/* Called about once a second from the control thread. */
typedef void mob_dpdk_ctl_tick_func(void *aux);

struct mob_dpdk_ctl;

/* Creates the socket 'path' (replacing a stale one) and starts a thread
 * that serves it with 'execute' and calls 'tick' (if nonnull) about once a
 * second.  Returns the server, or NULL with errno set. */
struct mob_dpdk_ctl *mob_dpdk_ctl_start(const char *path,
                                        mob_dpdk_ctl_func *execute,
                                        mob_dpdk_ctl_tick_func *tick,
                                        void *aux);

/* Stops the thread of 'ctl', removes its socket and frees it. */
void mob_dpdk_ctl_stop(struct mob_dpdk_ctl *ctl);

/* Splits 'line' in place at spaces, tabs and newlines into at most
 * MOB_DPDK_CTL_MAX_ARGS words in 'argv'.  Returns the number of words, or
 * -1 if there are too many. */
int mob_dpdk_ctl_split(char *line, char *argv[MOB_DPDK_CTL_MAX_ARGS]);

/* Client: sends the command 'argv' ('argc' words) to the server at 'path'
 * and copies its output to stdout (stderr for errors).  Returns 0 if the
 * command succeeded, 1 if it failed, 2 if the server could not be
 * reached. */
int mob_dpdk_ctl_client(const char *path, int argc, char *argv[]);

#endif /* mob-dpdk-ctl.h */
