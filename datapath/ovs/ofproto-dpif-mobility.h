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

#ifndef OFPROTO_DPIF_MOBILITY_H
#define OFPROTO_DPIF_MOBILITY_H 1

/* VM mobility for ofproto-dpif bridges
 * ====================================
 *
 * This module is compiled into ovs-vswitchd by ovs-patches/.  It gives each
 * bridge one libmobility table (lib/mob-table.h) that maps (VNI, MAC) to the
 * VTEP a VM moved to, and it is called from a handful of hooks:
 *
 *   - bridge.c passes the bridge's other_config down (mobility-enable,
 *     mobility-grace-time, mobility-max-entries, mobility-source,
 *     mobility-geneve-mark), as it does mac-aging-time;
 *
 *   - xlate_actions() calls mobility_xlate_ingress() for each packet that
 *     a mobility-enabled bridge receives.  An announcement (RARP, GARP,
 *     unsolicited NA, recognised by lib/mob-announce.c) from a tunnel
 *     learns (VNI, MAC) -> the tunnel's remote VTEP; one from a local port
 *     removes the MAC (the VM is back).  Announcements are translated as
 *     slow-path flows, so that every one of QEMU's five RARPs reaches this
 *     module, never only the first.  A packet from a tunnel for a (VNI,
 *     MAC) in the table is redirected: xlate outputs it to the tunnel port
 *     that reaches the new VTEP, which becomes a datapath tnl_push, and
 *     mobility_patch_tnl_push() adjusts the built header (outer source per
 *     mobility-source, TTL, redirect mark) per lib/mob-redirect.h, whose
 *     mob_redirect_decide() holds the loop rules;
 *
 *   - update_learning_table__() asks mobility_learning_allowed() before
 *     NORMAL learns a MAC: for MOBILITY_ANNOUNCE_LOCK_MS after an
 *     announcement, only the announcement's port may (re)learn it, so
 *     statistics of a flow cached before the move cannot move the MAC back
 *     (the relearning race of stock Open vSwitch, see docs/ovs.rst);
 *
 *   - ofproto-dpif's run() and wait() age the table and turn a table
 *     change into an immediate revalidation (REV_MOBILITY), so that a
 *     change reaches the datapath's cached flows within a millisecond
 *     rather than at the next periodic pass.
 *
 * Thread-safety
 * =============
 *
 * mobility_create(), mobility_destroy(), mobility_set_config(),
 * mobility_run(), mobility_wait() and the unixctl commands run in the main
 * thread.  The xlate hooks run in handler and revalidator threads: they
 * read the table lock-free (lib's seqlock readers), and the table pointer
 * is RCU-protected, so that reconfiguring never frees memory under them. */

#include <stdbool.h>
#include <stdint.h>
#include "mob-redirect.h"
#include "mob-table.h"
#include "openvswitch/types.h"

struct dp_packet;
struct dpif_flow_stats;
struct eth_addr;
struct flow;
struct flow_wildcards;
struct mobility;
struct netdev;
struct ovs_action_push_tnl;
struct smap;

/* An announcement locks NORMAL learning of its MAC to the port it came in
 * on for this long.  Longer than a revalidation pass (500 ms by default,
 * plus the dump itself), the window in which stale statistics arrive. */
#define MOBILITY_ANNOUNCE_LOCK_MS 2000

void mobility_init(void);

struct mobility *mobility_create(const char *br_name);
void mobility_destroy(struct mobility *);
void mobility_set_config(struct mobility *, const struct smap *other_config);
bool mobility_is_enabled(const struct mobility *);
bool mobility_run(struct mobility *);
void mobility_wait(struct mobility *);

/* What xlate should do with a packet. */
enum mobility_action {
    MOBILITY_PASS,              /* Process as usual. */
    MOBILITY_REDIRECT,          /* Re-encapsulate per 'struct
                                 * mobility_redirect'. */
    MOBILITY_DROP,              /* Loop protection refused a redirect. */
};

/* A redirect decision, for xlate and mobility_patch_tnl_push(). */
struct mobility_redirect {
    struct mobility *mob;
    struct mob_entry entry;         /* The table entry that hit. */
    struct in6_addr orig_src;       /* Received outer source. */
    uint8_t ttl;                    /* Outer TTL of the redirect. */
    bool keep_src;                  /* MOB_SRC_KEEP. */
    bool mark;                      /* Add the Geneve redirect mark. */
    uint64_t table_gen;             /* For mobility_account(). */
};

enum mobility_action mobility_xlate_ingress(
    struct mobility *, const struct flow *, struct flow_wildcards *,
    const struct dp_packet *, const struct netdev *in_netdev,
    bool from_tunnel, bool side_effects, const void *in_bundle,
    bool *slow, struct mobility_redirect *);

bool mobility_port_reaches(const struct netdev *,
                           const struct mobility_redirect *, bool exact);
void mobility_patch_tnl_push(const struct mobility_redirect *,
                             struct ovs_action_push_tnl *);
bool mobility_learning_allowed(struct mobility *, const struct eth_addr *,
                               int vlan, const void *bundle);

struct mobility *mobility_ref(const struct mobility *);
void mobility_unref(struct mobility *);
void mobility_account(struct mobility *, uint64_t table_gen, uint32_t id,
                      const struct dpif_flow_stats *);

#endif /* ofproto-dpif-mobility.h */
