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

#include <config.h>

#include "mob-dpdk.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include <rte_branch_prediction.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

/* How many packets ahead of the current one to prefetch, as in DPDK's
 * l3fwd (PREFETCH_OFFSET). */
#define MOB_DPDK_PREFETCH_OFFSET 3

/* Empties 'neigh'. */
void
mob_dpdk_neigh_init(struct mob_dpdk_neigh *neigh)
{
    memset(neigh, 0, sizeof *neigh);
}

/* Adds or replaces 'ip' -> 'mac' in 'neigh'.  Returns 0, or ENOSPC if the
 * table is full. */
int
mob_dpdk_neigh_add(struct mob_dpdk_neigh *neigh, const struct in6_addr *ip,
                   const struct mob_eth_addr *mac)
{
    for (size_t i = 0; i < neigh->n; i++) {
        if (mob_ip_equals(&neigh->ip[i], ip)) {
            neigh->mac[i] = *mac;
            return 0;
        }
    }
    if (neigh->n >= MOB_DPDK_MAX_NEIGH) {
        return ENOSPC;
    }
    neigh->ip[neigh->n] = *ip;
    neigh->mac[neigh->n] = *mac;
    neigh->n++;
    return 0;
}

/* Looks up 'ip' in the 'struct mob_dpdk_neigh' that 'aux' points to,
 * falling back to its default MAC.  Stores the MAC in '*mac' and returns
 * true if one is known. */
bool
mob_dpdk_neigh_lookup(void *aux, const struct in6_addr *ip,
                      struct mob_eth_addr *mac)
{
    const struct mob_dpdk_neigh *neigh = aux;

    for (size_t i = 0; i < neigh->n; i++) {
        if (mob_ip_equals(&neigh->ip[i], ip)) {
            *mac = neigh->mac[i];
            return true;
        }
    }
    if (neigh->has_default) {
        *mac = neigh->default_mac;
        return true;
    }
    return false;
}

/* Initialises 'path' to use 'table' and 'cfg'. */
void
mob_dpdk_path_init(struct mob_dpdk_path *path, struct mob_table *table,
                   const struct mob_redirect_config *cfg)
{
    memset(path, 0, sizeof *path);
    path->table = table;
    path->cfg = cfg;
}

/* Returns the time in seconds on CLOCK_MONOTONIC. */
uint32_t
mob_dpdk_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec;
}

/* Runs the pipeline on the single mbuf 'm' and returns where it goes.
 * A chained mbuf is made contiguous first, since lib's parser and rewrite
 * work on one buffer; one that cannot be is delivered locally as it is,
 * which is what a VTEP without ovs-mobility would do with it. */
static enum mob_action
mob_dpdk_process_one(struct mob_dpdk_path *path, struct rte_mbuf *m,
                     uint32_t now)
{
    struct mob_result res;
    enum mob_action action;
    uint32_t len;

    if (unlikely(!rte_pktmbuf_is_contiguous(m))) {
        if (rte_pktmbuf_linearize(m)) {
            path->chained_local++;
            return MOB_ACT_LOCAL;
        }
        path->linearized++;
    }

    len = rte_pktmbuf_data_len(m);
    action = mob_redirect_process(rte_pktmbuf_mtod(m, uint8_t *), len,
                                  rte_pktmbuf_headroom(m), path->table,
                                  path->cfg, now, &res);
    mob_redirect_stats_count(&path->stats, &res, len);
    if (action == MOB_ACT_REDIRECT && res.grow > 0) {
        /* lib already wrote the grown frame into the headroom: move the
         * mbuf's start back over it.  lib checked the headroom. */
        rte_pktmbuf_prepend(m, res.grow);
    }
    return action;
}

/* Runs the old-VTEP pipeline over 'n' mbufs in 'pkts' and sorts them into
 * the groups of '*groups'. */
void
mob_dpdk_process_burst(struct mob_dpdk_path *path, struct rte_mbuf **pkts,
                       uint16_t n, uint32_t now,
                       struct mob_dpdk_groups *groups)
{
    uint16_t i;

    groups->n_redirect = groups->n_local = groups->n_reject = 0;
    if (n > MOB_DPDK_MAX_BURST) {
        n = MOB_DPDK_MAX_BURST;
    }

    /* Prefetch the first packets' headers, then process each packet while
     * the one MOB_DPDK_PREFETCH_OFFSET ahead is on its way into cache. */
    for (i = 0; i < MOB_DPDK_PREFETCH_OFFSET && i < n; i++) {
        rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));
    }
    for (i = 0; i < n; i++) {
        struct rte_mbuf *m = pkts[i];

        if (i + MOB_DPDK_PREFETCH_OFFSET < n) {
            rte_prefetch0(rte_pktmbuf_mtod(
                              pkts[i + MOB_DPDK_PREFETCH_OFFSET], void *));
        }
        switch (mob_dpdk_process_one(path, m, now)) {
        case MOB_ACT_REDIRECT:
            groups->redirect[groups->n_redirect++] = m;
            break;
        case MOB_ACT_LOCAL:
            groups->local[groups->n_local++] = m;
            break;
        case MOB_ACT_DROP:
        case MOB_ACT_REJECT:
        default:
            groups->reject[groups->n_reject++] = m;
            break;
        }
    }
}
