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

#ifndef MOB_REDIRECT_H
#define MOB_REDIRECT_H 1

/* Redirect: re-encapsulation in place
 * ===================================
 *
 * The old VTEP receives a tunnel packet for a MAC that moved away.  Rather
 * than decapsulate it and build a new outer header, it rewrites the outer
 * headers that are already there:
 *
 *   - outer Ethernet: destination the next hop's MAC (from a neighbour
 *     table the caller supplies), source this VTEP's MAC; VLAN tags kept;
 *   - outer IP destination: the VTEP in the table entry;
 *   - outer IP source: see "Source modes" below;
 *   - TTL / hop limit: fresh (cfg->ttl, default 64) if the packet leaves
 *     marked, otherwise one less than received (see "Loop safety");
 *   - IPv4 header checksum: updated incrementally (RFC 1624);
 *   - UDP source port kept (it carries the inner flow's entropy, so ECMP in
 *     the underlay keeps the flow on one path); destination port kept;
 *   - UDP checksum: zero stays zero (IPv4, or RFC 6935 zero-checksum IPv6
 *     tunnels); a non-zero checksum is updated incrementally for every
 *     changed byte of the pseudo-header and payload;
 *   - VNI, Geneve options (OVN's logical port option among them) and the
 *     inner frame: untouched.
 *
 * The underlay families must match (an IPv4 packet cannot become IPv6 in
 * place): MOB_RD_AF_MISMATCH tells the caller to fall back.
 *
 * Source modes
 * ------------
 *
 * MOB_SRC_KEEP (the default) keeps the original sender's outer source
 * address.  A flood-and-learn VTEP at the destination (Open vSwitch NORMAL,
 * the Linux vxlan driver) learns the inner source MAC behind the tunnel the
 * packet arrived on, and it chooses that tunnel by the outer source
 * address.  Were the old VTEP to put its own address there, the new VTEP
 * would learn the sender's MAC behind the old VTEP and send the replies
 * there, where nothing forwards them: a black hole that was measured in the
 * lab.  Keeping the source keeps the new VTEP's learning right.  Networks
 * with unicast reverse-path filtering in the underlay may drop such
 * packets: use MOB_SRC_LOCAL there.
 *
 * MOB_SRC_LOCAL puts this VTEP's address (the packet's outer destination)
 * in the source.  Right where the receiver does not learn from the data
 * plane (OVN, EVPN control planes, static tunnels), or where the underlay
 * filters spoofed sources.
 *
 * Loop safety
 * -----------
 *
 * A packet is redirected at most once.  mob_redirect_decide() refuses:
 *
 *   - a packet that carries the redirect mark (MOB_RD_LOOP_MARKED);
 *   - a redirect to the packet's outer source (MOB_RD_LOOP_SENDER): the
 *     sender already believes the MAC is here, sending it back loops;
 *   - a redirect to this VTEP (MOB_RD_LOOP_SELF).
 *
 * The mark is a Geneve option of class 0xfff7 with its critical bit clear,
 * which any RFC 8926 receiver ignores; it costs 4 bytes of headroom.
 * VXLAN has no option space: the mark is a reserved flag bit, and Open
 * vSwitch and Linux drop VXLAN packets with a reserved bit set, so it is
 * off unless cfg->vxlan_mark says every receiver runs ovs-mobility.
 *
 * A packet that leaves unmarked (VXLAN without cfg->vxlan_mark, Geneve
 * without cfg->geneve_mark) is protected by the sender rule, which in
 * MOB_SRC_LOCAL mode alone stops two VTEPs that disagree from ping-ponging
 * it (each sees the other as the sender), and by its TTL: it leaves with
 * min(cfg->ttl, received TTL - 1) instead of a fresh TTL, and one that
 * arrives with TTL 1 or less is not redirected (MOB_RD_LOOP_TTL).  In
 * MOB_SRC_KEEP mode the TTL is what stops two VTEPs that disagree; in
 * either mode it stops three or more that disagree in a cycle (A says B, B
 * says C, C says A: nobody's entry points at the packet's sender), so a
 * disagreement costs a bounded number of copies rather than a storm.  A
 * marked packet leaves with the fresh cfg->ttl.  docs/design.rst discusses
 * the trade-off. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "mob-addr.h"
#include "mob-announce.h"
#include "mob-packet.h"
#include "mob-table.h"

#define MOB_REDIRECT_DEFAULT_TTL 64
#define MOB_GENEVE_MARK_LEN 4   /* Headroom the Geneve mark needs. */

enum mob_src_mode {
    MOB_SRC_KEEP,               /* Keep the original sender's address. */
    MOB_SRC_LOCAL,              /* Use this VTEP's address. */
};

/* Returns "keep" or "local". */
const char *mob_src_mode_to_string(enum mob_src_mode);

/* Parses "keep" or "local" into '*mode'.  Returns true if successful,
 * false (with '*mode' unchanged) otherwise. */
bool mob_src_mode_from_string(const char *s, enum mob_src_mode *mode);

/* Looks up the next-hop MAC for underlay address 'ip', storing it in
 * '*mac'.  Returns true if known. */
typedef bool mob_neigh_lookup_func(void *aux, const struct in6_addr *ip,
                                   struct mob_eth_addr *mac);

struct mob_redirect_config {
    struct in6_addr local_vtep4;    /* This VTEP's IPv4 address (mapped),
                                     * or all-zeros if none. */
    struct in6_addr local_vtep6;    /* This VTEP's IPv6 address, or zero. */
    struct mob_eth_addr local_mac;  /* Outer source MAC of redirects. */
    enum mob_src_mode src_mode;
    uint8_t ttl;                    /* Fresh TTL / hop limit (0: 64). */
    bool vxlan_mark;                /* Mark redirected VXLAN packets. */
    bool geneve_mark;               /* Mark redirected Geneve packets. */
    mob_neigh_lookup_func *neigh_lookup;
    void *neigh_aux;
    struct mob_pkt_config pkt;      /* Tunnel UDP ports. */
};

/* Fills '*cfg' with defaults: no local addresses, MOB_SRC_KEEP, TTL 64,
 * Geneve mark on, VXLAN mark off, no neighbour table, IANA ports. */
void mob_redirect_config_init(struct mob_redirect_config *cfg);

#define MOB_RD_VERDICTS                                                     \
    MOB_RD_VERDICT(REDIRECT, "redirect")                                    \
    MOB_RD_VERDICT(LOOP_MARKED, "already redirected once")                  \
    MOB_RD_VERDICT(LOOP_SENDER, "new VTEP is the sender")                   \
    MOB_RD_VERDICT(LOOP_SELF, "new VTEP is this VTEP")                      \
    MOB_RD_VERDICT(LOOP_TTL, "TTL exhausted")                               \
    MOB_RD_VERDICT(AF_MISMATCH, "underlay address family differs")          \
    MOB_RD_VERDICT(NO_NEIGH, "next hop MAC unknown")                        \
    MOB_RD_VERDICT(NO_ROOM, "no headroom for the mark")

enum mob_redirect_verdict {
#define MOB_RD_VERDICT(NAME, DESC) MOB_RD_##NAME,
    MOB_RD_VERDICTS
#undef MOB_RD_VERDICT
    MOB_RD_N_VERDICTS
};

/* Returns a short English description of 'verdict'. */
const char *mob_redirect_verdict_to_string(enum mob_redirect_verdict);

/* Returns true if 'verdict' is one of the loop verdicts, the ones counted
 * as loop drops. */
static inline bool
mob_redirect_verdict_is_loop(enum mob_redirect_verdict verdict)
{
    return verdict == MOB_RD_LOOP_MARKED || verdict == MOB_RD_LOOP_SENDER
           || verdict == MOB_RD_LOOP_SELF || verdict == MOB_RD_LOOP_TTL;
}

/* Decides whether parsed packet 'pkt' may be redirected per 'entry' and
 * 'cfg', without touching the packet or the neighbour table.  The checks
 * run in this order and the first that fails gives the verdict:
 *
 *   1. MOB_RD_LOOP_MARKED: 'pkt' carries the redirect mark (the Geneve
 *      option, or the VXLAN flag whatever cfg->vxlan_mark says);
 *   2. MOB_RD_LOOP_SELF: 'entry->vtep' is cfg->local_vtep4,
 *      cfg->local_vtep6 or the packet's outer destination;
 *   3. MOB_RD_LOOP_SENDER: 'entry->vtep' is the packet's outer source;
 *   4. MOB_RD_LOOP_TTL: the packet would leave unmarked and arrived with a
 *      TTL (hop limit) of 1 or less;
 *   5. MOB_RD_AF_MISMATCH: 'entry->vtep' is not of the underlay's family.
 *
 * Otherwise returns MOB_RD_REDIRECT.  MOB_RD_NO_NEIGH and MOB_RD_NO_ROOM
 * come from mob_redirect_process(), which has the neighbour table and the
 * headroom.  The entry's tunnel type is not compared: the packet keeps its
 * own encapsulation. */
enum mob_redirect_verdict
mob_redirect_decide(const struct mob_tnl_pkt *pkt,
                    const struct mob_entry *entry,
                    const struct mob_redirect_config *cfg);

/* Rewrites the outer headers of the frame at 'frame' ('len' bytes, parsed
 * as 'pkt') in place to send it to 'entry->vtep' through next hop
 * 'nh_mac', per 'cfg'.  'headroom' bytes before 'frame' are writable.  The
 * caller must have had MOB_RD_REDIRECT from mob_redirect_decide().
 *
 * Returns the number of bytes the frame grew at its front (0, or
 * MOB_GENEVE_MARK_LEN when the Geneve mark was added): the rewritten frame
 * starts at 'frame' minus that and is that much longer.  Returns -1, with
 * nothing changed, if the mark needs more than 'headroom' or does not fit
 * (the Geneve options area is already at its 252-byte maximum, or the IP
 * length would pass 65535), or if the offsets in 'pkt' do not fit in
 * 'len' bytes, or if the underlay family is not that of 'entry->vtep'. */
int mob_redirect_rewrite(uint8_t *frame, size_t len, size_t headroom,
                         const struct mob_tnl_pkt *pkt,
                         const struct mob_entry *entry,
                         const struct mob_eth_addr *nh_mac,
                         const struct mob_redirect_config *cfg);

/* The whole old-VTEP pipeline for one received underlay frame
 * ------------------------------------------------------------
 *
 * mob_redirect_process() is what the DPDK fast path, mobility-pcap and the
 * tests run for each frame, so that each rule lives in one place:
 *
 *   1. parse (mob_pkt_parse_tunnel()); malformed: MOB_ACT_REJECT;
 *      not a tunnel packet: MOB_ACT_LOCAL;
 *   2. if the inner frame is an announcement, learn (VNI, MAC) -> outer
 *      source VTEP with the announcement's origin, and deliver it locally
 *      (MOB_ACT_LOCAL): the announcement still has to reach local VMs;
 *   3. look up (VNI, inner destination MAC); a miss is MOB_ACT_LOCAL; a
 *      packet whose outer destination (MAC or IP) is multicast or broadcast
 *      is not looked up, and is MOB_ACT_LOCAL: it reached every VTEP of the
 *      group, the new one too, so a redirect would deliver it twice;
 *   4. decide; a loop verdict is MOB_ACT_DROP, a fallback verdict
 *      (address family, neighbour, headroom) MOB_ACT_LOCAL;
 *   5. rewrite in place and count the hit: MOB_ACT_REDIRECT.
 *
 * 'table' may be NULL, which makes every lookup a miss and learns
 * nothing (an announcement is then reported with res->learn
 * MOB_LEARN_INVALID). */

enum mob_action {
    MOB_ACT_LOCAL,              /* Deliver as the VTEP normally would. */
    MOB_ACT_REDIRECT,           /* Rewritten: send back to the underlay. */
    MOB_ACT_DROP,               /* Loop protection refused it. */
    MOB_ACT_REJECT,             /* Malformed. */
};

/* Returns "local", "redirect", "drop" or "reject". */
const char *mob_action_to_string(enum mob_action);

struct mob_result {
    enum mob_action action;
    enum mob_pkt_error parse;           /* Parse result. */
    enum mob_redirect_verdict verdict;  /* Valid after a hit. */
    bool hit;                           /* Table lookup hit. */
    bool announce;                      /* Inner frame was one. */
    enum mob_learn_result learn;        /* Valid if 'announce'. */
    struct mob_announce ann;            /* Valid if 'announce'. */
    struct mob_entry entry;             /* Valid if 'hit', or if
                                         * 'announce': after the learn. */
    int grow;                           /* From mob_redirect_rewrite(). */
};

/* Counters a caller of mob_redirect_process() accumulates with
 * mob_redirect_stats_count(). */
struct mob_redirect_stats {
    uint64_t rx_packets;
    uint64_t tunnel_packets;
    uint64_t announcements;
    uint64_t hits;
    uint64_t misses;
    uint64_t redirected_packets;
    uint64_t redirected_bytes;
    uint64_t loop_drops;
    uint64_t fallbacks;
    uint64_t rejected;
    struct mob_pkt_stats parse;
    uint64_t verdicts[MOB_RD_N_VERDICTS];
    uint64_t learns[MOB_LEARN_INVALID + 1];
};

/* Runs the pipeline above on 'frame'.  'now' is the time in seconds for
 * learning.  Fills '*res' and returns res->action. */
enum mob_action mob_redirect_process(uint8_t *frame, size_t len,
                                     size_t headroom,
                                     struct mob_table *table,
                                     const struct mob_redirect_config *cfg,
                                     uint32_t now, struct mob_result *res);

/* Adds 'res' for a frame of 'len' bytes (before any rewrite) to
 * '*stats'.  The counters add up:
 *
 *   rx_packets = tunnel_packets + rejected + parse.n[MOB_PKT_NOT_TUNNEL]
 *   tunnel_packets = announcements + hits + misses (a packet to a
 *                    multicast outer destination counts as a miss)
 *   hits = redirected_packets + loop_drops + fallbacks = sum of verdicts[]
 *   announcements = sum of learns[]
 *
 * 'redirected_bytes' counts the bytes sent, the Geneve mark included. */
void mob_redirect_stats_count(struct mob_redirect_stats *stats,
                              const struct mob_result *res, size_t len);

#endif /* mob-redirect.h */
