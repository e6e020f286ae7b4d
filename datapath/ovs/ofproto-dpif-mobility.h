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
 *     mobility-geneve-mark, mobility-vni), as it does mac-aging-time, with
 *     the bridge's ports, from which the module derives the VNI of its
 *     local ports;
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
 *     mob_redirect_decide() holds the loop rules.  A frame from a local
 *     port for a MAC that moved away is sent to the new VTEP as well (an
 *     ordinary encapsulation from this VTEP), under the bridge's VNI: the
 *     one key that all its tunnel ports share, or other_config:mobility-vni;
 *
 *   - on the VTEP a VM arrived at, for MOBILITY_ANNOUNCE_LOCK_MS after the
 *     VM's announcement on a local port, NORMAL does not learn source MACs
 *     from tunnel packets for that VM (mobility_xlate_ingress() sets
 *     '*no_learn'): such a packet may have been redirected by the old VTEP
 *     with the old VTEP's address as outer source (mobility-source=local,
 *     the default), and learning its sender behind the old VTEP would send
 *     the VM's replies there;
 *
 *   - update_learning_table__() asks mobility_learning_allowed() before
 *     NORMAL learns a MAC: for MOBILITY_ANNOUNCE_LOCK_MS after an
 *     announcement, only the announcement's port may (re)learn it, so
 *     statistics of a flow cached before the move cannot move the MAC back
 *     (the relearning race of stock Open vSwitch, see docs/ovs.rst);
 *
 *   - a change of a MAC's entry deletes, from the thread that makes it
 *     (with OVS-DPDK, the PMD thread that translates the announcement),
 *     the datapath flows whose Ethernet destination is that MAC, before
 *     that thread wakes any other, so that the next packet for the MAC is
 *     translated against the new table in the same thread; then the
 *     revalidators are kicked (udpif_revalidate(), and ofproto-dpif's
 *     run() sets REV_MOBILITY) for every other flow, and the flows to the
 *     MAC deleted once more.  An upcall whose translation started before
 *     that kick installs no flow (patch "Do not install a flow that a
 *     revalidation overtook"), so another thread's stale flow does not
 *     outlive the deletion;
 *
 *   - the mobility/... unixctl commands are lib/mob-cmd.c's grammar and
 *     output (shared with the DPDK program), run on the enabled bridges.
 *
 * Why mobility-source=local by default
 * ====================================
 *
 * lib's default, MOB_SRC_KEEP, keeps the original sender's outer source
 * address so that a flood-and-learn receiver learns the sender behind the
 * right tunnel.  But Open vSwitch's userspace datapath (3.1, also with
 * DPDK) also learns its tunnel neighbours from received tunnel packets: it
 * maps the outer source IP to the outer source MAC.  A kept source arrives
 * with this VTEP's MAC, so on a shared L2 underlay the new VTEP then sends
 * everything for the original sender to this VTEP's MAC, where it is
 * dropped: measured in the lab, every reply lost.  So Open vSwitch bridges
 * redirect with this VTEP's own address as outer source, and the no-learn
 * rule above keeps a receiver that runs this module from learning the
 * sender behind this VTEP.  mobility-source=keep remains for receivers
 * that snoop no neighbours (the Linux vxlan driver, the kernel datapath)
 * and run no ovs-mobility.
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
#include <stddef.h>
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
struct udpif;

/* An announcement locks NORMAL learning of its MAC to the port it came in
 * on for this long.  Longer than a revalidation pass (500 ms by default,
 * plus the dump itself), the window in which stale statistics arrive. */
#define MOBILITY_ANNOUNCE_LOCK_MS 2000

void mobility_init(void);

struct mobility *mobility_create(const char *br_name, struct udpif *);
void mobility_destroy(struct mobility *);
void mobility_set_config(struct mobility *, const struct smap *other_config,
                         struct netdev *const *ports, size_t n_ports);
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
    bool local;                     /* From a local port: an ordinary
                                     * encapsulation, nothing to patch. */
    bool mark;                      /* Add the Geneve redirect mark. */
    uint64_t table_gen;             /* For mobility_account(). */
};

enum mobility_action mobility_xlate_ingress(
    struct mobility *, const struct flow *, struct flow_wildcards *,
    const struct dp_packet *, const struct netdev *in_netdev,
    bool from_tunnel, bool side_effects, const void *in_bundle,
    bool *slow, bool *no_learn, struct mobility_redirect *);

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
