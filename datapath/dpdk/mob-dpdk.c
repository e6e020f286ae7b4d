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

#include <assert.h>
#include <errno.h>
#include <string.h>
#include <time.h>

#include <rte_branch_prediction.h>
#include <rte_mbuf.h>

static_assert(MOB_DPDK_MAX_BURST <= MOB_REDIRECT_MAX_BURST,
              "a DPDK burst must fit lib's burst interface");

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
    mob_redirect_burst_init(&path->burst);
}

/* Returns the time in seconds on CLOCK_MONOTONIC. */
uint32_t
mob_dpdk_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec;
}

/* Adds the hits that 'path' has pending to the table. */
void
mob_dpdk_path_flush(struct mob_dpdk_path *path)
{
    mob_redirect_burst_flush(&path->burst);
}

/* Runs the old-VTEP pipeline over 'n' mbufs in 'pkts' and sorts them into
 * the groups of '*groups'.  A chained mbuf is made contiguous first, since
 * lib's parser and rewrite work on one buffer; one that cannot be is
 * delivered locally as it is, which is what a VTEP without ovs-mobility
 * would do with it. */
void
mob_dpdk_process_burst(struct mob_dpdk_path *path, struct rte_mbuf **pkts,
                       uint16_t n, uint32_t now,
                       struct mob_dpdk_groups *groups)
{
    struct mob_frame *frames = path->frames;
    bool processed[MOB_DPDK_MAX_BURST];
    uint16_t i, n_frames = 0;

    groups->n_redirect = groups->n_local = groups->n_reject = 0;
    if (n > MOB_DPDK_MAX_BURST) {
        n = MOB_DPDK_MAX_BURST;
    }

    /* The common case: every mbuf is contiguous, frame i is mbuf i. */
    for (i = 0; i < n; i++) {
        const struct rte_mbuf *m = pkts[i];

        if (unlikely(!rte_pktmbuf_is_contiguous(m))) {
            break;
        }
        frames[i].data = rte_pktmbuf_mtod(m, uint8_t *);
        frames[i].len = rte_pktmbuf_data_len(m);
        frames[i].headroom = rte_pktmbuf_headroom(m);
    }
    if (likely(i == n)) {
        /* Without a branch on the action, which mixed traffic makes
         * unpredictable: each mbuf is written at the end of all three
         * groups and counted in its own.  The groups have room for a
         * whole burst. */
        uint16_t n_rd = 0, n_lo = 0, n_rj = 0;
        unsigned int seen;

        seen = mob_redirect_fused_burst(&path->burst, frames, n,
                                        path->table, path->cfg, now,
                                        &path->stats, path->out);

        /* A burst of misses alone, or of redirects alone, none grown, is
         * one group as it came. */
        if (seen == MOB_FUSED_ACTION(MOB_ACT_REDIRECT)) {
            memcpy(groups->redirect, pkts, n * sizeof *pkts);
            groups->n_redirect = n;
            return;
        } else if (seen == MOB_FUSED_ACTION(MOB_ACT_LOCAL)) {
            memcpy(groups->local, pkts, n * sizeof *pkts);
            groups->n_local = n;
            return;
        }
        for (i = 0; i < n; i++) {
            struct rte_mbuf *m = pkts[i];
            const struct mob_frame_out *out = &path->out[i];
            bool redirect = out->action == MOB_ACT_REDIRECT;
            bool local = out->action == MOB_ACT_LOCAL;

            if (unlikely(out->grow > 0 && redirect)) {
                /* lib already wrote the grown frame into the headroom:
                 * move the mbuf's start back over it.  lib checked the
                 * headroom. */
                rte_pktmbuf_prepend(m, out->grow);
            }
            groups->redirect[n_rd] = m;
            groups->local[n_lo] = m;
            groups->reject[n_rj] = m;
            n_rd += redirect;
            n_lo += local;
            n_rj += !redirect && !local;
        }
        groups->n_redirect = n_rd;
        groups->n_local = n_lo;
        groups->n_reject = n_rj;
        return;
    }

    /* A chained mbuf: linearise what can be, deliver the rest locally as
     * it is, and process the others. */
    for (i = 0; i < n; i++) {
        struct rte_mbuf *m = pkts[i];
        struct mob_frame *f = &frames[n_frames];

        processed[i] = false;
        if (unlikely(!rte_pktmbuf_is_contiguous(m))) {
            if (rte_pktmbuf_linearize(m)) {
                path->chained_local++;
                continue;
            }
            path->linearized++;
        }
        f->data = rte_pktmbuf_mtod(m, uint8_t *);
        f->len = rte_pktmbuf_data_len(m);
        f->headroom = rte_pktmbuf_headroom(m);
        processed[i] = true;
        n_frames++;
    }

    mob_redirect_fused_burst(&path->burst, frames, n_frames, path->table,
                             path->cfg, now, &path->stats, path->out);

    for (i = 0, n_frames = 0; i < n; i++) {
        struct rte_mbuf *m = pkts[i];
        enum mob_action action = MOB_ACT_LOCAL;

        if (processed[i]) {
            const struct mob_frame_out *out = &path->out[n_frames];

            action = out->action;
            if (action == MOB_ACT_REDIRECT && out->grow > 0) {
                /* lib already wrote the grown frame into the headroom:
                 * move the mbuf's start back over it.  lib checked the
                 * headroom. */
                rte_pktmbuf_prepend(m, out->grow);
            }
            n_frames++;
        }
        switch (action) {
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
