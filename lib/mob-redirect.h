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
 *      group, the new one too, so a redirect would deliver it twice; nor
 *      is a packet whose outer destination is not this VTEP's address
 *      when 'cfg' names one for the underlay's family (cfg->local_vtep4
 *      or cfg->local_vtep6): a promiscuous underlay port also sees other
 *      VTEPs' traffic, which is theirs to handle.  It is MOB_ACT_LOCAL
 *      (pass it on as the VTEP would) with res->foreign set;
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
    bool foreign;                       /* Not looked up: outer
                                         * destination not this VTEP. */
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
    uint64_t foreign;           /* Misses not looked up because their outer
                                 * destination is not this VTEP. */
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
 *                    multicast or foreign outer destination counts as a
 *                    miss; 'foreign' counts the latter too)
 *   hits = redirected_packets + loop_drops + fallbacks = sum of verdicts[]
 *   announcements = sum of learns[]
 *
 * 'redirected_bytes' counts the bytes sent, the Geneve mark included. */
void mob_redirect_stats_count(struct mob_redirect_stats *stats,
                              const struct mob_result *res, size_t len);

/* The burst interface
 * -------------------
 *
 * mob_redirect_process() takes one packet at a time, so with a large table
 * each packet waits for its own index slot and entry to come from memory.
 * The burst interface runs the same pipeline over up to
 * MOB_REDIRECT_MAX_BURST frames in two stages:
 *
 *   - mob_redirect_classify_burst(): for every frame, parse, detect an
 *     announcement (a few byte compares, mob_announce_maybe(), turn
 *     ordinary traffic away before the full check), hash the table key
 *     and prefetch its index slot; then, in a large table, prefetch
 *     every entry;
 *
 *   - mob_redirect_finish_burst(): in arrival order, learn announcements,
 *     look up (copying only the VTEP, mob_table_lookup_vtep()), decide,
 *     rewrite, and count hits in the burst's 'struct mob_table_hits'.
 *
 * so that the memory latency of one packet overlaps with work on others.
 * mob_redirect_process_burst() runs both.  mob_redirect_process() stays
 * the reference: for the same frames, table and configuration, the burst
 * interface gives every frame the same bytes and the same result, and
 * leaves the table in the same state once the burst's hits are flushed.
 *
 * Table changes mid-burst.  Only the finish stage touches the table, and
 * it handles the packets in arrival order, so the burst behaves exactly as
 * the packets one after another would: an announcement learned from
 * packet i applies to packet i + 1 and every later one in the same burst,
 * and a change another thread makes is seen from the packet whose lookup
 * follows it.  The classify stage reads the table only to prefetch, which
 * changes nothing.  (The tests compare the two interfaces on bursts with
 * announcements in the middle.)
 *
 * The classify stage parses with mob_pkt_parse_tunnel_fast()
 * (mob-packet-inline.h) and falls back to mob_pkt_parse_tunnel() for
 * frames of another shape, with the same results.  The finish stage asks
 * the neighbour table once per run of redirects to the same VTEP within a
 * burst, not once per packet: a caller keeps its neighbour table still
 * while a burst runs (or accepts that a change shows from the next
 * burst).  It adds the burst's hits to the pending counts after its loop
 * (before a learn, which sees them), not packet by packet.
 *
 * Results differ in two documented ways, neither a decision: after a hit,
 * res->entry holds only 'vni', 'mac', 'vtep' and 'id' (the rest of the
 * entry is not copied: the redirect needs only these), and the hit is
 * added to the table's counters when the burst's hits are flushed (see
 * mob-table.h): when 'now' moves on, before any learn, and when the caller
 * calls mob_redirect_burst_flush(), which it must do before it destroys
 * the table or reads hit counters it wants exact. */

#define MOB_REDIRECT_MAX_BURST 64

/* One frame of a burst. */
struct mob_frame {
    uint8_t *data;              /* The frame, rewritten in place. */
    uint32_t len;               /* Its length. */
    uint32_t headroom;          /* Writable bytes before 'data'. */
};

/* Per-thread state of the burst interface: what the classify stage found
 * for each frame, and the pending hit counts.  Large (about 30 kB): one per
 * thread, not on the stack. */
struct mob_redirect_burst {
    struct mob_table_hits hits;             /* Pending hit counts. */
    uint32_t hits_now;                      /* 'now' of the last finish. */
    size_t n;                               /* Frames classified. */
    uint8_t state[MOB_REDIRECT_MAX_BURST];  /* What finish has to do. */
    struct mob_table_key key[MOB_REDIRECT_MAX_BURST];
    struct mob_tnl_pkt pkt[MOB_REDIRECT_MAX_BURST];

    /* Used by mob_redirect_fused_burst() alone. */
    uint8_t l3_ofs[MOB_REDIRECT_MAX_BURST];     /* Outer IPv4 header. */
    uint32_t id[MOB_REDIRECT_MAX_BURST];        /* Entry of a hit. */
    struct mob_result res[MOB_REDIRECT_MAX_BURST];  /* General path's. */
};

/* Initialises 'burst' with nothing pending. */
void mob_redirect_burst_init(struct mob_redirect_burst *burst);

/* Classifies the first 'n' (at most MOB_REDIRECT_MAX_BURST) frames of
 * 'frames' for 'table' (which may be NULL) and 'cfg', setting in res[i]
 * the fields that the classify stage decides (parse result, an
 * announcement, res[i].foreign).  Does not change the frames or the
 * table. */
void mob_redirect_classify_burst(struct mob_redirect_burst *burst,
                                 const struct mob_frame *frames, size_t n,
                                 struct mob_table *table,
                                 const struct mob_redirect_config *cfg,
                                 struct mob_result *res);

/* Completes the pipeline for the frames that the last
 * mob_redirect_classify_burst() on 'burst' classified, with the same
 * 'frames', 'n', 'table', 'cfg' and 'res', at time 'now': each res[i] is
 * then what mob_redirect_process() would have given frame i (see above
 * for res[i].entry), and the frames are rewritten as it would have. */
void mob_redirect_finish_burst(struct mob_redirect_burst *burst,
                               const struct mob_frame *frames, size_t n,
                               struct mob_table *table,
                               const struct mob_redirect_config *cfg,
                               uint32_t now, struct mob_result *res);

/* mob_redirect_classify_burst() then mob_redirect_finish_burst(). */
void mob_redirect_process_burst(struct mob_redirect_burst *burst,
                                const struct mob_frame *frames, size_t n,
                                struct mob_table *table,
                                const struct mob_redirect_config *cfg,
                                uint32_t now, struct mob_result *res);

/* Adds the hits that 'burst' has pending to its table's counters. */
void mob_redirect_burst_flush(struct mob_redirect_burst *burst);

/* Adds res[i] for each of the first 'n' frames of 'frames' to '*stats', as
 * mob_redirect_stats_count() with frames[i].len would, with one call per
 * burst.  'frames' are as they were passed to the burst interface (their
 * 'len' is the length received). */
void mob_redirect_stats_count_burst(struct mob_redirect_stats *stats,
                                    const struct mob_result *res,
                                    const struct mob_frame *frames,
                                    size_t n);

/* The fused burst path
 * --------------------
 *
 * mob_redirect_process_burst() fills a 'struct mob_tnl_pkt' (about 120
 * bytes) and a 'struct mob_result' for every frame, most of which nobody
 * reads, and the caller then counts statistics in a second pass.
 * mob_redirect_fused_burst() runs the same pipeline, with the same
 * results, over the burst in three stages, as DPDK's l3fwd does:
 *
 *   1. for every frame, a parse of the common shape alone (IPv4 with a
 *      20-byte header, at most one VLAN tag, VXLAN, not marked, to a
 *      unicast outer destination that is this VTEP's, not an
 *      announcement candidate), which keeps a few words per frame (the
 *      IPv4 header's offset and the table key with its hash), and a
 *      prefetch of the key's index slot;
 *   2. in a large table, a prefetch of every key's entry;
 *   3. in arrival order: the seqlock lookup, the loop checks, the
 *      neighbour and the in-place rewrite, with the statistics counted in
 *      the same loop; the checks that depend on the VTEP alone, its next
 *      hop and the outer MACs are worked out once per run of hits to the
 *      same VTEP.
 *
 * Every frame of another shape (IPv6, Geneve, two tags, IPv4 options,
 * anything malformed), every announcement, every multicast or foreign
 * frame, and every hit whose verdict is not a redirect or whose next hop
 * is unknown, takes the general path of mob_redirect_process_burst() at
 * its turn in the burst.  So frames, table and statistics end exactly as
 * mob_redirect_process() and mob_redirect_stats_count() would leave them,
 * once the burst's hits are flushed (tests/test-burst.c compares them on
 * random mixes and mutations).  Announcements mid-burst and table changes
 * behave as described for mob_redirect_process_burst().
 *
 * What the caller gets back per frame is only what it needs to forward it
 * (struct mob_frame_out); statistics go to '*stats'. */

/* What mob_redirect_fused_burst() tells the caller about one frame. */
struct mob_frame_out {
    uint8_t action;             /* enum mob_action. */
    uint8_t grow;               /* Bytes added at the front (0 or
                                 * MOB_GENEVE_MARK_LEN): the frame now
                                 * starts that much before its 'data'. */
};

/* Bits of what mob_redirect_fused_burst() returns: some frame got action
 * 'ACTION' (an enum mob_action), some frame grew.  A caller can hand on a
 * burst whose frames all got the same action and none of which grew
 * (the common case: all misses, or all redirects) as a whole, without
 * reading out[]. */
#define MOB_FUSED_ACTION(ACTION) (1u << (ACTION))
#define MOB_FUSED_GREW (1u << 8)

/* Runs the old-VTEP pipeline over the first 'n' (at most
 * MOB_REDIRECT_MAX_BURST) frames of 'frames' for 'table' (which may be
 * NULL) and 'cfg' at time 'now', as described above: rewrites the frames
 * to redirect in place, stores each frame's action and growth in out[i],
 * and adds every frame to '*stats' as mob_redirect_stats_count() would.
 * Hits are counted as mob_redirect_finish_burst() counts them (flush with
 * mob_redirect_burst_flush()).  Returns the union over the frames of
 * MOB_FUSED_ACTION(out[i].action), and MOB_FUSED_GREW if some out[i].grow
 * is nonzero (0 for no frames). */
unsigned int mob_redirect_fused_burst(struct mob_redirect_burst *burst,
                                      const struct mob_frame *frames,
                                      size_t n, struct mob_table *table,
                                      const struct mob_redirect_config *cfg,
                                      uint32_t now,
                                      struct mob_redirect_stats *stats,
                                      struct mob_frame_out *out);

#endif /* mob-redirect.h */
