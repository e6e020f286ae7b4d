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

#ifndef MOB_DPDK_H
#define MOB_DPDK_H 1

/* DPDK burst fast path
 * ====================
 *
 * mob_dpdk_process_burst() runs libmobility's old-VTEP pipeline
 * (parse, learn from announcements, look up, decide, rewrite in place)
 * over a burst of received underlay mbufs with lib's fused burst path
 * (mob_redirect_fused_burst(), which gives the same results as
 * mob_redirect_process() one packet at a time, while overlapping the
 * table's cache misses across the burst and keeping only a few words per
 * packet for the common case), and sorts them into three groups:
 *
 *   - redirected: the outer headers were rewritten in place to send the
 *     packet to the VM's new VTEP; transmit them back to the underlay;
 *   - local: everything the VTEP handles as usual (misses, frames that
 *     are not tunnel packets, announcements, fallbacks);
 *   - rejected: malformed frames and loop drops; the caller frees them.
 *
 * Nothing here decides anything about a packet: every rule (what is
 * malformed, what is an announcement, when a redirect would loop, how the
 * outer headers change) lives in lib/ and is shared with mobility-pcap
 * and the Open vSwitch glue.  What this module adds is what DPDK needs:
 * it works on 'struct rte_mbuf' (headroom for the Geneve mark becomes a
 * prepend, chained mbufs are linearised or delivered locally untouched),
 * and it gives libmobility a neighbour table.
 *
 * Thread-safety
 * -------------
 *
 * A 'struct mob_dpdk_path' belongs to one lcore (its counters are not
 * atomic).  Any number of lcores may share one 'struct mob_table': lookups
 * never block, and learns from announcements take the table's writer
 * mutex, which only the control thread also takes.  The neighbour table is
 * read-only while packets flow. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "mob-addr.h"
#include "mob-redirect.h"
#include "mob-table.h"

struct rte_mbuf;

/* Most packets mob_dpdk_process_burst() takes at once. */
#define MOB_DPDK_MAX_BURST 64

/* Most neighbour entries. */
#define MOB_DPDK_MAX_NEIGH 64

/* Next-hop MAC addresses of underlay addresses.  A small array searched
 * linearly: a VTEP has few next hops (usually one gateway, which is what
 * 'default_mac' is for). */
struct mob_dpdk_neigh {
    size_t n;
    struct in6_addr ip[MOB_DPDK_MAX_NEIGH];
    struct mob_eth_addr mac[MOB_DPDK_MAX_NEIGH];
    bool has_default;
    struct mob_eth_addr default_mac;    /* For every other address. */
};

/* Empties 'neigh'. */
void mob_dpdk_neigh_init(struct mob_dpdk_neigh *neigh);

/* Adds or replaces 'ip' -> 'mac' in 'neigh'.  Returns 0, or ENOSPC if the
 * table is full. */
int mob_dpdk_neigh_add(struct mob_dpdk_neigh *neigh,
                       const struct in6_addr *ip,
                       const struct mob_eth_addr *mac);

/* A mob_neigh_lookup_func over a 'struct mob_dpdk_neigh' passed as
 * 'aux'. */
bool mob_dpdk_neigh_lookup(void *aux, const struct in6_addr *ip,
                           struct mob_eth_addr *mac);

/* One lcore's fast path.  Large (the burst state): not on a small
 * stack. */
struct mob_dpdk_path {
    struct mob_table *table;                /* NULL: no redirects. */
    const struct mob_redirect_config *cfg;  /* Must outlive the path. */
    struct mob_redirect_stats stats;        /* Accumulated per packet. */
    uint64_t linearized;                    /* Chained mbufs made flat. */
    uint64_t chained_local;                 /* Chained, delivered as is. */
    struct mob_redirect_burst burst;        /* lib's burst state. */
    struct mob_frame frames[MOB_DPDK_MAX_BURST];
    struct mob_frame_out out[MOB_DPDK_MAX_BURST];
};

/* Initialises 'path' to use 'table' and 'cfg'. */
void mob_dpdk_path_init(struct mob_dpdk_path *path, struct mob_table *table,
                        const struct mob_redirect_config *cfg);

/* The three groups a burst is split into, each in arrival order. */
struct mob_dpdk_groups {
    uint16_t n_redirect;
    uint16_t n_local;
    uint16_t n_reject;
    struct rte_mbuf *redirect[MOB_DPDK_MAX_BURST];
    struct rte_mbuf *local[MOB_DPDK_MAX_BURST];
    struct rte_mbuf *reject[MOB_DPDK_MAX_BURST];
};

/* Runs the old-VTEP pipeline over the 'n' (at most MOB_DPDK_MAX_BURST)
 * underlay mbufs in 'pkts' at time 'now' (seconds, as the table's learns
 * use it), rewriting hits in place, and sorts every mbuf into exactly one
 * group of '*groups'.  The caller owns the mbufs in all three groups. */
void mob_dpdk_process_burst(struct mob_dpdk_path *path,
                            struct rte_mbuf **pkts, uint16_t n,
                            uint32_t now, struct mob_dpdk_groups *groups);

/* Adds the table hits that 'path' counted and has not yet added to the
 * table (see mob-redirect.h, "The burst interface").  The lcore calls it
 * when it goes idle and before its counters are read; pending hits are
 * also added once per second of 'now' while packets flow. */
void mob_dpdk_path_flush(struct mob_dpdk_path *path);

/* Returns the time in seconds on CLOCK_MONOTONIC, the clock that
 * mobility-fwd learns, ages and reports with. */
uint32_t mob_dpdk_now(void);

#endif /* mob-dpdk.h */
