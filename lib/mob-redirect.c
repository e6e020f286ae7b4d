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
#include "mob-redirect.h"

#include <arpa/inet.h>
#include <string.h>
#include "mob-packet-inline.h"
#include "mob-table-inline.h"

/* The Geneve options length is a 6-bit count of 4-byte words. */
#define GENEVE_OPT_LEN_MASK 0x3f
#define GENEVE_MAX_OPT_WORDS GENEVE_OPT_LEN_MASK

/* Returns "keep" or "local" for 'mode', "unknown" for anything else. */
const char *
mob_src_mode_to_string(enum mob_src_mode mode)
{
    switch (mode) {
    case MOB_SRC_KEEP:
        return "keep";
    case MOB_SRC_LOCAL:
        return "local";
    }
    return "unknown";
}

/* Parses 's' ("keep" or "local") into '*mode'.  Returns true if
 * successful, false (with '*mode' unchanged) otherwise. */
bool
mob_src_mode_from_string(const char *s, enum mob_src_mode *mode)
{
    if (!strcmp(s, "keep")) {
        *mode = MOB_SRC_KEEP;
    } else if (!strcmp(s, "local")) {
        *mode = MOB_SRC_LOCAL;
    } else {
        return false;
    }
    return true;
}

/* Fills '*cfg' with the defaults that mob-redirect.h lists. */
void
mob_redirect_config_init(struct mob_redirect_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->src_mode = MOB_SRC_KEEP;
    cfg->ttl = MOB_REDIRECT_DEFAULT_TTL;
    cfg->vxlan_mark = false;
    cfg->geneve_mark = true;
    cfg->neigh_lookup = NULL;
    cfg->neigh_aux = NULL;
    mob_pkt_config_init(&cfg->pkt);
}

/* Returns the description of 'verdict' from MOB_RD_VERDICTS, or "unknown
 * verdict" if it is out of range. */
const char *
mob_redirect_verdict_to_string(enum mob_redirect_verdict verdict)
{
    static const char *const names[] = {
#define MOB_RD_VERDICT(NAME, DESC) DESC,
        MOB_RD_VERDICTS
#undef MOB_RD_VERDICT
    };

    return (unsigned int) verdict < MOB_RD_N_VERDICTS
           ? names[verdict] : "unknown verdict";
}

/* Returns "local", "redirect", "drop" or "reject" for 'action', "unknown"
 * for anything else. */
const char *
mob_action_to_string(enum mob_action action)
{
    switch (action) {
    case MOB_ACT_LOCAL:
        return "local";
    case MOB_ACT_REDIRECT:
        return "redirect";
    case MOB_ACT_DROP:
        return "drop";
    case MOB_ACT_REJECT:
        return "reject";
    }
    return "unknown";
}

/* Returns true if a redirect of 'pkt' per 'cfg' leaves with the redirect
 * mark. */
static inline bool
rd_marks(const struct mob_tnl_pkt *pkt, const struct mob_redirect_config *cfg)
{
    return pkt->type == MOB_TNL_GENEVE ? cfg->geneve_mark : cfg->vxlan_mark;
}

/* Returns true if 'pkt' already carries the redirect mark. */
static inline bool
rd_is_marked(const struct mob_tnl_pkt *pkt)
{
    return pkt->redirect_mark
           || (pkt->type == MOB_TNL_VXLAN
               && pkt->vxlan_flags & MOB_VXLAN_FLAG_REDIRECT);
}

/* Returns the fresh TTL (hop limit) of redirects per 'cfg': cfg->ttl, or
 * 64 if that is 0. */
static inline uint8_t
rd_fresh_ttl(const struct mob_redirect_config *cfg)
{
    return cfg->ttl ? cfg->ttl : MOB_REDIRECT_DEFAULT_TTL;
}

/* Returns the TTL (hop limit) that a redirect leaves with, given fresh TTL
 * 'fresh' (see rd_fresh_ttl(), at least 1): 'fresh' when it leaves marked
 * ('marks'), otherwise no more than the received TTL 'outer_ttl' less one,
 * and at least 1. */
static inline uint8_t
rd_out_ttl__(bool marks, uint8_t outer_ttl, uint8_t fresh)
{
    int limit = outer_ttl > 1 ? outer_ttl - 1 : 1;

    /* Written for conditional moves rather than branches. */
    return marks || limit > fresh ? fresh : limit;
}

/* rd_out_ttl__() for a redirect per 'cfg'. */
static inline uint8_t
rd_out_ttl_(bool marks, uint8_t outer_ttl,
            const struct mob_redirect_config *cfg)
{
    return rd_out_ttl__(marks, outer_ttl, rd_fresh_ttl(cfg));
}

/* rd_out_ttl_() for 'pkt'. */
static inline uint8_t
rd_out_ttl(const struct mob_tnl_pkt *pkt,
           const struct mob_redirect_config *cfg)
{
    return rd_out_ttl_(rd_marks(pkt, cfg), pkt->outer_ttl, cfg);
}

/* Returns true if 'ip' equals 'local', which counts only if nonzero. */
static inline bool
rd_is_local(const struct in6_addr *ip, const struct in6_addr *local)
{
    return !mob_ip_is_zero(local) && mob_ip_equals(ip, local);
}

/* Decides whether an unmarked packet may be redirected to 'vtep': one
 * from 'src' to 'dst' over an IPv6 ('ipv6') or IPv4 underlay, received
 * with TTL (hop limit) 'ttl', that would leave marked if 'marks'.  See
 * mob_redirect_decide() in mob-redirect.h for the checks and their order
 * (the mark is checked by the caller).  Returns the verdict. */
static inline enum mob_redirect_verdict
rd_decide_unmarked(const struct in6_addr *src, const struct in6_addr *dst,
                   bool ipv6, uint8_t ttl, bool marks,
                   const struct in6_addr *vtep,
                   const struct mob_redirect_config *cfg)
{
    if (rd_is_local(vtep, &cfg->local_vtep4)
        || rd_is_local(vtep, &cfg->local_vtep6)
        || mob_ip_equals(vtep, dst)) {
        return MOB_RD_LOOP_SELF;
    }
    if (mob_ip_equals(vtep, src)) {
        return MOB_RD_LOOP_SENDER;
    }
    if (!marks && ttl <= 1) {
        return MOB_RD_LOOP_TTL;
    }
    if (mob_ip_is_v4(vtep) == ipv6) {
        return MOB_RD_AF_MISMATCH;
    }
    return MOB_RD_REDIRECT;
}

/* Decides whether 'pkt' may be redirected to 'vtep'; see
 * mob_redirect_decide() in mob-redirect.h for the checks and their order.
 * Returns the verdict. */
static inline enum mob_redirect_verdict
rd_decide(const struct mob_tnl_pkt *pkt, const struct in6_addr *vtep,
          const struct mob_redirect_config *cfg)
{
    if (rd_is_marked(pkt)) {
        return MOB_RD_LOOP_MARKED;
    }
    return rd_decide_unmarked(&pkt->outer_src, &pkt->outer_dst,
                              pkt->outer_ipv6, pkt->outer_ttl,
                              rd_marks(pkt, cfg), vtep, cfg);
}

/* Decides whether 'pkt' may be redirected to 'entry->vtep'; see
 * mob-redirect.h for the checks and their order.  Returns the verdict. */
enum mob_redirect_verdict
mob_redirect_decide(const struct mob_tnl_pkt *pkt,
                    const struct mob_entry *entry,
                    const struct mob_redirect_config *cfg)
{
    return rd_decide(pkt, &entry->vtep, cfg);
}

/* Returns true if the offsets in 'pkt' describe headers that lie, in
 * order, inside a frame of 'len' bytes. */
static inline bool
rd_pkt_fits(const struct mob_tnl_pkt *pkt, size_t len)
{
    size_t ip_min = pkt->outer_ipv6 ? MOB_IPV6_HLEN : MOB_IPV4_HLEN;
    size_t tnl_hlen = (pkt->type == MOB_TNL_VXLAN ? MOB_VXLAN_HLEN
                       : MOB_GENEVE_HLEN);

    return ((pkt->type == MOB_TNL_VXLAN || pkt->type == MOB_TNL_GENEVE)
            && pkt->l3_ofs >= MOB_ETH_HLEN
            && pkt->l3_hlen >= ip_min
            && pkt->l3_ofs + pkt->l3_hlen <= pkt->l4_ofs
            && pkt->l4_ofs + MOB_UDP_HLEN <= pkt->tnl_ofs
            && pkt->tnl_ofs + tnl_hlen <= pkt->inner_ofs
            && pkt->inner_ofs <= pkt->end_ofs
            && pkt->end_ofs <= len);
}

/* Inserts the redirect mark as the first Geneve option of the frame at
 * 'frame' by moving its first 'pkt->tnl_ofs' + 8 bytes (every header up to
 * and including the fixed Geneve header) MOB_GENEVE_MARK_LEN bytes towards
 * the front.  The caller has checked the headroom.  Returns the new start
 * of the frame; no length or checksum is updated yet. */
static uint8_t *
rd_insert_geneve_mark(uint8_t *frame, const struct mob_tnl_pkt *pkt)
{
    uint8_t *opt;

    memmove(frame - MOB_GENEVE_MARK_LEN, frame,
            pkt->tnl_ofs + MOB_GENEVE_HLEN);
    frame -= MOB_GENEVE_MARK_LEN;

    opt = frame + pkt->tnl_ofs + MOB_GENEVE_HLEN;
    mob_put_be16(opt, MOB_GENEVE_OPT_CLASS_MOBILITY);
    opt[2] = MOB_GENEVE_OPT_TYPE_REDIRECT;    /* Critical bit clear. */
    opt[3] = 0;                               /* No data. */
    return frame;
}

/* The incremental checksum updates below work on header words as they lie
 * in memory, loaded and stored with rd_ld16() and friends, without byte
 * swaps: the Internet checksum does not depend on byte order (RFC 1071,
 * section 2(B)), so a checksum updated from words in memory order is the
 * byte swap of the one updated from the same words in network order, and
 * stored as it is, gives the same bytes.  Every word and checksum that
 * enters one delta must then be in memory order. */

/* Returns the 16-bit word at 'p' in memory order. */
static inline uint16_t
rd_ld16(const uint8_t *p)
{
    uint16_t x;

    memcpy(&x, p, sizeof x);
    return x;
}

/* Returns the 32-bit word at 'p' in memory order. */
static inline uint32_t
rd_ld32(const uint8_t *p)
{
    uint32_t x;

    memcpy(&x, p, sizeof x);
    return x;
}

/* Stores 16-bit word 'x', in memory order, at 'p'. */
static inline void
rd_st16(uint8_t *p, uint16_t x)
{
    memcpy(p, &x, sizeof x);
}

/* Stores 32-bit word 'x', in memory order, at 'p'. */
static inline void
rd_st32(uint8_t *p, uint32_t x)
{
    memcpy(p, &x, sizeof x);
}

/* Returns 'be', a big-endian 16-bit field (a length) loaded in memory
 * order, increased by 'add', in memory order. */
static inline uint16_t
rd_be16_add(uint16_t be, int add)
{
    return htons(ntohs(be) + add);
}

/* Adds the change of a 16-bit field from 'old' to 'new' to the checksum
 * delta '*delta': RFC 1624 equation 3 takes ~m + m' for each changed
 * word, and the sum of several such terms, applied at once by
 * rd_csum_apply(), gives exactly the checksum that applying them one by
 * one would. */
static inline void
rd_acc16(uint64_t *delta, uint16_t old, uint16_t new)
{
    *delta += (uint16_t) ~old + (uint32_t) new;
}

/* Adds the change of a 32-bit field from 'old' to 'new' to '*delta' as
 * one 32-bit term, which rd_csum_apply()'s fold makes the sum of its two
 * 16-bit halves: ~old + new is congruent modulo 0xffff to the two halves'
 * terms, and zero exactly when both of those are, so the checksum is the
 * same to the bit (zero's two representations included). */
static inline void
rd_acc32(uint64_t *delta, uint32_t old, uint32_t new)
{
    *delta += (uint32_t) ~old + (uint64_t) new;
}

/* Returns checksum 'csum' updated by the changes summed in 'delta', both
 * in the same byte order: RFC 1624 equation 3, HC' = ~(~HC + sum of
 * (~m + m')). */
static inline uint16_t
rd_csum_apply(uint16_t csum, uint64_t delta)
{
    uint64_t sum = (uint16_t) ~csum + delta;
    uint32_t hi = sum >> 32;
    uint32_t s = (uint32_t) sum + hi;

    /* Folds with end-around carries: 64 to 32 bits, then 32 to 16 by
     * adding the word rotated by 16 bits, which leaves the sum of both
     * halves, with the carry out of the low half, in the high half. */
    s += s < hi;
    s += (s >> 16) | (s << 16);
    return ~(s >> 16);
}

/* Writes the outer Ethernet addresses of a redirect through next hop
 * 'nh_mac' per 'cfg' at 'frame'. */
static inline void
rd_rewrite_eth(uint8_t *frame, const struct mob_eth_addr *nh_mac,
               const struct mob_redirect_config *cfg)
{
    memcpy(frame, nh_mac->ea, MOB_ETH_ADDR_LEN);
    memcpy(frame + MOB_ETH_ADDR_LEN, cfg->local_mac.ea, MOB_ETH_ADDR_LEN);
}

/* Rewrites the 20-byte IPv4 header at 'l3' with source 'new_src',
 * destination 'new_dst' (memory order, as rd_ld32() loads them), TTL
 * 'ttl' and a total length 'grow' bytes longer, updating its checksum,
 * and adds the change of the UDP pseudo-header's addresses to '*udp_d'
 * (memory order). */
static inline void
rd_rewrite_ipv4(uint8_t *l3, uint32_t new_src, uint32_t new_dst,
                uint8_t ttl, int grow, uint64_t *udp_d)
{
    uint8_t ttl_proto_b[2] = { ttl, l3[9] };
    uint16_t ttl_proto;
    uint64_t ip_d;

    memcpy(&ttl_proto, ttl_proto_b, sizeof ttl_proto);

    /* The addresses are in the UDP pseudo-header too. */
    rd_acc32(udp_d, rd_ld32(l3 + 12), new_src);
    rd_acc32(udp_d, rd_ld32(l3 + 16), new_dst);
    ip_d = *udp_d;
    rd_acc16(&ip_d, rd_ld16(l3 + 8), ttl_proto);
    rd_st32(l3 + 12, new_src);
    rd_st32(l3 + 16, new_dst);
    rd_st16(l3 + 8, ttl_proto);
    if (grow) {
        uint16_t tot_len = rd_ld16(l3 + 2);

        rd_acc16(&ip_d, tot_len, rd_be16_add(tot_len, grow));
        rd_st16(l3 + 2, rd_be16_add(tot_len, grow));
    }
    rd_st16(l3 + 10, rd_csum_apply(rd_ld16(l3 + 10), ip_d));
}

/* Sets the redirect flag in the VXLAN header at 'tnl', adding the change
 * to the UDP checksum delta '*udp_d' (memory order). */
static inline void
rd_mark_vxlan(uint8_t *tnl, uint64_t *udp_d)
{
    uint32_t flags = rd_ld32(tnl);
    uint32_t marked = flags | htonl(MOB_VXLAN_FLAG_REDIRECT);

    rd_acc32(udp_d, flags, marked);
    rd_st32(tnl, marked);
}

/* Applies delta 'udp_d' to the UDP checksum of the header at 'l4', which
 * was 'udp_csum' before the rewrite, both in memory order: a zero
 * checksum means "none" and stays zero. */
static inline void
rd_udp_csum_apply(uint8_t *l4, uint16_t udp_csum, uint64_t udp_d)
{
    if (udp_csum) {
        /* RFC 768: a checksum that computes to zero is sent as all ones
         * (both are the same in either byte order). */
        udp_csum = rd_csum_apply(udp_csum, udp_d);
        rd_st16(l4 + 6, udp_csum ? udp_csum : 0xffff);
    }
}

/* Rewrites the outer headers of 'frame' in place for a redirect to 'dst';
 * see mob_redirect_rewrite() in mob-redirect.h.  Returns the number of
 * bytes the frame grew at its front (0 or MOB_GENEVE_MARK_LEN), or -1 if
 * it cannot be done (nothing is then changed).  Checksums are updated
 * incrementally, each changed word summed into a delta that is applied
 * once. */
static int
rd_rewrite(uint8_t *frame, size_t len, size_t headroom,
           const struct mob_tnl_pkt *pkt, const struct in6_addr *dst,
           const struct mob_eth_addr *nh_mac,
           const struct mob_redirect_config *cfg)
{
    const struct in6_addr *src;
    bool add_mark = pkt->type == MOB_TNL_GENEVE && cfg->geneve_mark;
    bool vxlan_mark = pkt->type == MOB_TNL_VXLAN && cfg->vxlan_mark;
    int grow = add_mark ? MOB_GENEVE_MARK_LEN : 0;
    uint8_t ttl = rd_out_ttl(pkt, cfg);
    uint64_t udp_d = 0;
    uint16_t udp_csum;
    uint8_t *l3, *l4, *tnl;

    /* Validate everything before the first write. */
    if (!rd_pkt_fits(pkt, len) || mob_ip_is_v4(dst) == pkt->outer_ipv6) {
        return -1;
    }
    if (add_mark) {
        uint8_t opt_words = frame[pkt->tnl_ofs] & GENEVE_OPT_LEN_MASK;

        if (headroom < MOB_GENEVE_MARK_LEN
            || opt_words >= GENEVE_MAX_OPT_WORDS
            || pkt->end_ofs - pkt->l3_ofs + grow > UINT16_MAX) {
            return -1;
        }
        frame = rd_insert_geneve_mark(frame, pkt);
    }
    l3 = frame + pkt->l3_ofs;
    l4 = frame + pkt->l4_ofs;
    tnl = frame + pkt->tnl_ofs;

    /* Outer Ethernet; any VLAN tags after it stay. */
    rd_rewrite_eth(frame, nh_mac, cfg);

    /* A zero UDP checksum means "none" and stays zero; any other is
     * updated for each change, pseudo-header included.  The checksum
     * words are in memory order (see rd_ld16()). */
    udp_csum = rd_ld16(l4 + 6);

    src = cfg->src_mode == MOB_SRC_LOCAL ? &pkt->outer_dst : &pkt->outer_src;
    if (!pkt->outer_ipv6) {
        rd_rewrite_ipv4(l3, rd_ld32(&src->s6_addr[12]),
                        rd_ld32(&dst->s6_addr[12]), ttl, grow, &udp_d);
    } else {
        for (int i = 0; i < 16; i += 4) {
            rd_acc32(&udp_d, rd_ld32(l3 + 8 + i), rd_ld32(&src->s6_addr[i]));
            rd_acc32(&udp_d, rd_ld32(l3 + 24 + i),
                     rd_ld32(&dst->s6_addr[i]));
        }
        memcpy(l3 + 8, src, sizeof *src);
        memcpy(l3 + 24, dst, sizeof *dst);
        l3[7] = ttl;
        if (grow) {
            /* Not in the pseudo-header: the UDP length is. */
            mob_put_be16(l3 + 4, mob_get_be16(l3 + 4) + grow);
        }
    }

    if (grow) {
        /* The UDP length is both in the header and in the pseudo-header,
         * so it enters the checksum twice. */
        uint16_t udp_len = rd_ld16(l4 + 4);
        uint16_t new_len = rd_be16_add(udp_len, grow);
        uint16_t opt_word = rd_ld16(tnl);
        uint16_t new_opt_word = rd_be16_add(opt_word, 1 << 8);
        const uint8_t *opt = tnl + MOB_GENEVE_HLEN;

        rd_acc16(&udp_d, udp_len, new_len);
        rd_acc16(&udp_d, udp_len, new_len);
        rd_st16(l4 + 4, new_len);

        /* One more word of options, and the mark's own two words. */
        rd_acc16(&udp_d, opt_word, new_opt_word);
        rd_st16(tnl, new_opt_word);
        rd_acc16(&udp_d, 0, rd_ld16(opt));
        rd_acc16(&udp_d, 0, rd_ld16(opt + 2));
    }
    if (vxlan_mark) {
        rd_mark_vxlan(tnl, &udp_d);
    }
    rd_udp_csum_apply(l4, udp_csum, udp_d);
    return grow;
}

/* Rewrites the outer headers of 'frame' in place for a redirect to
 * 'entry->vtep'; see mob-redirect.h.  Returns the number of bytes the
 * frame grew at its front (0 or MOB_GENEVE_MARK_LEN), or -1 if it cannot
 * be done (nothing is then changed). */
int
mob_redirect_rewrite(uint8_t *frame, size_t len, size_t headroom,
                     const struct mob_tnl_pkt *pkt,
                     const struct mob_entry *entry,
                     const struct mob_eth_addr *nh_mac,
                     const struct mob_redirect_config *cfg)
{
    return rd_rewrite(frame, len, headroom, pkt, &entry->vtep, nh_mac, cfg);
}

/* Returns true if 'ip' is an IPv4 or IPv6 multicast address or the IPv4
 * limited broadcast address. */
static inline bool
rd_ip_is_multicast(const struct in6_addr *ip)
{
    if (mob_ip_is_v4(ip)) {
        const uint8_t *b = &ip->s6_addr[12];

        return (b[0] & 0xf0) == 0xe0
               || (b[0] == 0xff && b[1] == 0xff && b[2] == 0xff
                   && b[3] == 0xff);
    }
    return ip->s6_addr[0] == 0xff;
}

/* Returns the table origin for announcement type 'type'. */
static enum mob_origin
rd_origin(enum mob_announce_type type)
{
    switch (type) {
    case MOB_ANN_GARP:
        return MOB_ORIGIN_GARP;
    case MOB_ANN_NA:
        return MOB_ORIGIN_NA;
    case MOB_ANN_RARP:
    case MOB_ANN_NONE:
    default:
        return MOB_ORIGIN_RARP;
    }
}

/* Sets the fields of '*res' that every result has to their values for a
 * frame delivered locally with nothing found.  'ann' and 'entry' are left
 * alone: they are valid only when 'announce' or 'hit' says so. */
static inline void
rd_result_init(struct mob_result *res)
{
    res->action = MOB_ACT_LOCAL;
    res->parse = MOB_PKT_OK;
    res->verdict = MOB_RD_REDIRECT;
    res->hit = false;
    res->announce = false;
    res->foreign = false;
    res->learn = MOB_LEARN_NEW;
    res->grow = 0;
}

/* Sets res->action for parse result res->parse other than MOB_PKT_OK. */
static inline void
rd_parse_failed(struct mob_result *res)
{
    if (res->parse != MOB_PKT_NOT_TUNNEL) {
        res->action = MOB_ACT_REJECT;
    }
}

/* If the inner frame of 'pkt', which is in 'frame', is an announcement,
 * records it in '*res' and returns true.  Otherwise returns false.  Most
 * frames are turned away by mob_announce_maybe() without a full parse. */
static inline bool
rd_detect_announcement(const uint8_t *frame, const struct mob_tnl_pkt *pkt,
                       struct mob_result *res)
{
    /* The inner frame ends where the UDP datagram does, which the parser
     * has checked is within the IP payload. */
    size_t udp_end = pkt->l4_ofs + mob_get_be16(frame + pkt->l4_ofs + 4);
    const uint8_t *inner = frame + pkt->inner_ofs;

    if (udp_end > pkt->end_ofs || udp_end < pkt->inner_ofs
        || !mob_announce_maybe_inline(inner, udp_end - pkt->inner_ofs)
        || mob_announce_detect(inner, udp_end - pkt->inner_ofs,
                               &res->ann) == MOB_ANN_NONE) {
        return false;
    }
    res->announce = true;
    return true;
}

/* Learns the announcement that rd_detect_announcement() found in 'pkt'
 * into 'table' (if nonnull) at time 'now': (VNI, announced MAC) -> outer
 * source.  Records the outcome and the entry after it in '*res'. */
static void
rd_learn(const struct mob_tnl_pkt *pkt, struct mob_table *table,
         uint32_t now, struct mob_result *res)
{
    struct mob_learn req;

    if (!table) {
        res->learn = MOB_LEARN_INVALID;
        return;
    }
    memset(&req, 0, sizeof req);
    req.vni = pkt->vni;
    req.mac = res->ann.mac;
    req.vtep = pkt->outer_src;
    req.tnl_type = pkt->type;
    req.origin = rd_origin(res->ann.type);
    req.seq = 0;
    res->learn = mob_table_learn(table, &req, now, NULL);
    if (!mob_table_lookup(table, req.vni, &req.mac, &res->entry)) {
        memset(&res->entry, 0, sizeof res->entry);
    }
}

/* Returns true if 'ip' is set in 'cfg' for the family of 'pkt''s underlay
 * and is not the packet's outer destination: a promiscuous underlay port
 * sees other VTEPs' traffic, which is not ours to redirect. */
static inline bool
rd_is_foreign(const struct mob_tnl_pkt *pkt,
              const struct mob_redirect_config *cfg)
{
    const struct in6_addr *local = (pkt->outer_ipv6 ? &cfg->local_vtep6
                                    : &cfg->local_vtep4);

    return !mob_ip_is_zero(local) && !mob_ip_equals(local, &pkt->outer_dst);
}

/* Returns true if 'pkt', not an announcement, is to be looked up: its
 * outer destination is unicast (a packet flooded to a multicast group
 * also reached the new VTEP: never send it a second copy) and, if 'cfg'
 * names this VTEP's address, is that address (otherwise sets
 * res->foreign). */
static inline bool
rd_wants_lookup(const struct mob_tnl_pkt *pkt,
                const struct mob_redirect_config *cfg, struct mob_result *res)
{
    if (mob_eth_addr_is_multicast(&pkt->outer_dst_mac)
        || rd_ip_is_multicast(&pkt->outer_dst)) {
        return false;
    }
    if (rd_is_foreign(pkt, cfg)) {
        res->foreign = true;
        return false;
    }
    return true;
}

/* The last next hop a burst looked up: within one burst the neighbour
 * table is asked once per VTEP in a row rather than once per packet.
 * (Callers keep the neighbour table still while a burst runs; see
 * mob-redirect.h.) */
struct rd_neigh_cache {
    bool valid;                 /* 'vtep', 'found' and 'mac' are set. */
    bool found;                 /* The lookup of 'vtep' succeeded. */
    struct in6_addr vtep;
    struct mob_eth_addr mac;
};

/* Looks up the next-hop MAC of 'vtep' per 'cfg' into '*mac', through
 * 'cache' if nonnull.  Returns true if one is known. */
static inline bool
rd_neigh_lookup(const struct mob_redirect_config *cfg,
                const struct in6_addr *vtep, struct rd_neigh_cache *cache,
                struct mob_eth_addr *mac)
{
    if (!cfg->neigh_lookup) {
        return false;
    }
    if (!cache) {
        return cfg->neigh_lookup(cfg->neigh_aux, vtep, mac);
    }
    if (!cache->valid || !mob_ip_equals(&cache->vtep, vtep)) {
        cache->vtep = *vtep;
        cache->found = cfg->neigh_lookup(cfg->neigh_aux, vtep, &cache->mac);
        cache->valid = true;
    }
    *mac = cache->mac;
    return cache->found;
}

/* Steps 4 and 5 of the pipeline for 'pkt' in 'frame' ('len' bytes,
 * 'headroom' writable before it), which hit an entry pointing to 'vtep':
 * decides, finds the next hop (through 'cache', if nonnull) and rewrites.
 * Fills '*res'; the caller counts the hit if res->action is
 * MOB_ACT_REDIRECT. */
static inline void
rd_redirect(uint8_t *frame, size_t len, size_t headroom,
            const struct mob_tnl_pkt *pkt, const struct in6_addr *vtep,
            const struct mob_redirect_config *cfg,
            struct rd_neigh_cache *cache, struct mob_result *res)
{
    struct mob_eth_addr nh_mac;
    int grow;

    res->hit = true;
    res->verdict = rd_decide(pkt, vtep, cfg);
    if (res->verdict != MOB_RD_REDIRECT) {
        if (mob_redirect_verdict_is_loop(res->verdict)) {
            res->action = MOB_ACT_DROP;
        }
        return;
    }
    if (!rd_neigh_lookup(cfg, vtep, cache, &nh_mac)) {
        res->verdict = MOB_RD_NO_NEIGH;
        return;
    }
    grow = rd_rewrite(frame, len, headroom, pkt, vtep, &nh_mac, cfg);
    if (grow < 0) {
        res->verdict = MOB_RD_NO_ROOM;
        return;
    }
    res->grow = grow;
    res->action = MOB_ACT_REDIRECT;
}

/* Runs the old-VTEP pipeline of mob-redirect.h on 'frame' ('len' bytes,
 * 'headroom' writable bytes before it).  Fills '*res' and returns
 * res->action. */
enum mob_action
mob_redirect_process(uint8_t *frame, size_t len, size_t headroom,
                     struct mob_table *table,
                     const struct mob_redirect_config *cfg,
                     uint32_t now, struct mob_result *res)
{
    struct mob_tnl_pkt pkt;

    rd_result_init(res);

    /* 1. Parse. */
    res->parse = mob_pkt_parse_tunnel(frame, len, &cfg->pkt, &pkt);
    if (res->parse != MOB_PKT_OK) {
        rd_parse_failed(res);
        return res->action;
    }

    /* 2. Learn from an announcement, which local VMs still need. */
    if (rd_detect_announcement(frame, &pkt, res)) {
        rd_learn(&pkt, table, now, res);
        return res->action;
    }

    /* 3. Look up. */
    if (!rd_wants_lookup(&pkt, cfg, res) || !table
        || !mob_table_lookup(table, pkt.vni, &pkt.inner_dst, &res->entry)) {
        return res->action;
    }

    /* 4 and 5. Decide, with the neighbour table and the headroom last;
     * rewrite and count. */
    rd_redirect(frame, len, headroom, &pkt, &res->entry.vtep, cfg, NULL,
                res);
    if (res->action == MOB_ACT_REDIRECT) {
        mob_table_hit(table, res->entry.id, len);
    }
    return res->action;
}

/* The burst interface. */

/* What mob_redirect_finish_burst() still has to do for a packet. */
enum rd_burst_state {
    RD_BURST_DONE,              /* Nothing: the result is final. */
    RD_BURST_LEARN,             /* Learn its announcement. */
    RD_BURST_LOOKUP,            /* Look it up, and redirect a hit. */
    RD_BURST_FUSED,             /* Fused path: look up and redirect. */
};

/* How many frames ahead of the one being parsed to prefetch. */
#define RD_BURST_PREFETCH 4

/* Initialises 'burst' with nothing pending. */
void
mob_redirect_burst_init(struct mob_redirect_burst *burst)
{
    mob_table_hits_init(&burst->hits);
    burst->hits_now = 0;
    burst->n = 0;
}

/* Adds the hits that 'burst' has pending to the table's counters. */
void
mob_redirect_burst_flush(struct mob_redirect_burst *burst)
{
    mob_table_hits_flush(&burst->hits);
}

/* Classifies frame 'f', number 'i' of 'burst', for 'table' and 'cfg':
 * parses it, detects an announcement, hashes the key and prefetches its
 * index slot, setting burst->state[i] and the classify stage's fields of
 * '*r'. */
static inline void
rd_classify_one(struct mob_redirect_burst *burst, const struct mob_frame *f,
                size_t i, struct mob_table *table,
                const struct mob_redirect_config *cfg, struct mob_result *r)
{
    struct mob_tnl_pkt *pkt = &burst->pkt[i];

    rd_result_init(r);
    burst->state[i] = RD_BURST_DONE;
    if (!mob_pkt_parse_tunnel_fast(f->data, f->len, &cfg->pkt, pkt)) {
        /* Not the common shape: the general parser decides. */
        r->parse = mob_pkt_parse_tunnel(f->data, f->len, &cfg->pkt, pkt);
    }
    if (r->parse != MOB_PKT_OK) {
        rd_parse_failed(r);
    } else if (rd_detect_announcement(f->data, pkt, r)) {
        burst->state[i] = RD_BURST_LEARN;
    } else if (rd_wants_lookup(pkt, cfg, r) && table) {
        mob_table_key_init_inline(table, pkt->vni, &pkt->inner_dst,
                                  &burst->key[i]);
        mob_table_prefetch_slot_inline(table, &burst->key[i]);
        burst->state[i] = RD_BURST_LOOKUP;
    }
}

/* Stage 1 of mob-redirect.h's burst interface for the 'n' frames in
 * 'frames': parse, detect announcements, hash the keys and prefetch the
 * index slots, then prefetch the entries. */
void
mob_redirect_classify_burst(struct mob_redirect_burst *burst,
                            const struct mob_frame *frames, size_t n,
                            struct mob_table *table,
                            const struct mob_redirect_config *cfg,
                            struct mob_result *res)
{
    if (n > MOB_REDIRECT_MAX_BURST) {
        n = MOB_REDIRECT_MAX_BURST;
    }
    burst->n = n;
    for (size_t i = 0; i < n && i < RD_BURST_PREFETCH; i++) {
        __builtin_prefetch(frames[i].data);
    }
    for (size_t i = 0; i < n; i++) {
        if (i + RD_BURST_PREFETCH < n) {
            __builtin_prefetch(frames[i + RD_BURST_PREFETCH].data);
        }
        rd_classify_one(burst, &frames[i], i, table, cfg, &res[i]);
    }
    for (size_t i = 0; i < n; i++) {
        if (burst->state[i] == RD_BURST_LOOKUP) {
            mob_table_prefetch_entry_inline(table, &burst->key[i]);
        }
    }
}

/* Adds to the burst's pending hit counts the redirects of the 'n_hit'
 * frames whose numbers are in 'hit' (their entries in burst->id[]).
 * mob_redirect_finish_burst() counts its hits after its loop (or before a
 * learn, which must see them); the fused path counts its own at once and
 * only the hits that it hands to the general path here. */
static inline void
rd_burst_count_hits(struct mob_redirect_burst *burst,
                    const struct mob_frame *frames, struct mob_table *table,
                    const uint8_t *hit, size_t n_hit)
{
    for (size_t k = 0; k < n_hit; k++) {
        size_t i = hit[k];

        mob_table_hits_add_inline(&burst->hits, table, &burst->key[i],
                                  burst->id[i], frames[i].len);
    }
}

/* Completes frame 'f', number 'i' of 'burst', which rd_classify_one()
 * classified, at time 'now': learns its announcement (after adding the
 * 'n_hit' hits pending in 'hit', then none), or looks it up and redirects
 * a hit, adding it to 'hit'.  Finishes '*r'. */
static inline void
rd_finish_one(struct mob_redirect_burst *burst, const struct mob_frame *f,
              size_t i, struct mob_table *table,
              const struct mob_redirect_config *cfg, uint32_t now,
              struct rd_neigh_cache *cache, const struct mob_frame *frames,
              uint8_t *hit, size_t *n_hit, struct mob_result *r)
{
    const struct mob_tnl_pkt *pkt = &burst->pkt[i];

    if (burst->state[i] == RD_BURST_LEARN) {
        /* Pending hits first, so that the entry the result reports is
         * what mob_redirect_process() would report. */
        rd_burst_count_hits(burst, frames, table, hit, *n_hit);
        *n_hit = 0;
        mob_table_hits_flush(&burst->hits);
        rd_learn(pkt, table, now, r);
    } else if (burst->state[i] == RD_BURST_LOOKUP && table
               && mob_table_lookup_vtep_inline(table, &burst->key[i],
                                               &r->entry.vtep,
                                               &r->entry.id)) {
        r->entry.vni = pkt->vni;
        r->entry.mac = pkt->inner_dst;
        rd_redirect(f->data, f->len, f->headroom, pkt, &r->entry.vtep, cfg,
                    cache, r);
        if (r->action == MOB_ACT_REDIRECT) {
            burst->id[i] = r->entry.id;
            hit[(*n_hit)++] = i;
        }
    }
}

/* Stage 2 of mob-redirect.h's burst interface: in arrival order, learns
 * announcements, looks up, decides and rewrites the frames that
 * mob_redirect_classify_burst() classified. */
void
mob_redirect_finish_burst(struct mob_redirect_burst *burst,
                          const struct mob_frame *frames, size_t n,
                          struct mob_table *table,
                          const struct mob_redirect_config *cfg,
                          uint32_t now, struct mob_result *res)
{
    struct rd_neigh_cache cache = { .valid = false };
    uint8_t hit[MOB_REDIRECT_MAX_BURST];
    size_t n_hit = 0;

    if (n > burst->n) {
        n = burst->n;
    }
    if (now != burst->hits_now) {
        mob_table_hits_flush(&burst->hits);
        burst->hits_now = now;
    }
    for (size_t i = 0; i < n; i++) {
        rd_finish_one(burst, &frames[i], i, table, cfg, now, &cache, frames,
                      hit, &n_hit, &res[i]);
    }
    rd_burst_count_hits(burst, frames, table, hit, n_hit);
    burst->n = 0;
}

/* Runs both stages of the burst interface over the 'n' frames in
 * 'frames'. */
void
mob_redirect_process_burst(struct mob_redirect_burst *burst,
                           const struct mob_frame *frames, size_t n,
                           struct mob_table *table,
                           const struct mob_redirect_config *cfg,
                           uint32_t now, struct mob_result *res)
{
    mob_redirect_classify_burst(burst, frames, n, table, cfg, res);
    mob_redirect_finish_burst(burst, frames, n, table, cfg, now, res);
}

/* Adds 'res', for a received frame of 'len' bytes, to '*stats'. */
static inline void
rd_stats_count(struct mob_redirect_stats *stats,
               const struct mob_result *res, size_t len)
{
    stats->rx_packets++;
    mob_pkt_stats_count(&stats->parse, res->parse);
    if (res->parse == MOB_PKT_OK) {
        stats->tunnel_packets++;
    }

    if (res->announce) {
        stats->announcements++;
        if ((unsigned int) res->learn <= MOB_LEARN_INVALID) {
            stats->learns[res->learn]++;
        }
    } else if (res->hit) {
        stats->hits++;
        if ((unsigned int) res->verdict < MOB_RD_N_VERDICTS) {
            stats->verdicts[res->verdict]++;
        }
    } else if (res->parse == MOB_PKT_OK) {
        stats->misses++;
        if (res->foreign) {
            stats->foreign++;
        }
    }

    switch (res->action) {
    case MOB_ACT_REDIRECT:
        stats->redirected_packets++;
        stats->redirected_bytes += len + res->grow;
        break;
    case MOB_ACT_DROP:
        stats->loop_drops++;
        break;
    case MOB_ACT_REJECT:
        stats->rejected++;
        break;
    case MOB_ACT_LOCAL:
        if (res->hit) {
            stats->fallbacks++;
        }
        break;
    }
}

/* Adds 'res', for a received frame of 'len' bytes, to '*stats'. */
void
mob_redirect_stats_count(struct mob_redirect_stats *stats,
                         const struct mob_result *res, size_t len)
{
    rd_stats_count(stats, res, len);
}

/* Adds res[i], for each of the 'n' frames of 'frames' as they were
 * received, to '*stats'. */
void
mob_redirect_stats_count_burst(struct mob_redirect_stats *stats,
                               const struct mob_result *res,
                               const struct mob_frame *frames, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        rd_stats_count(stats, &res[i], frames[i].len);
    }
}

/* The fused burst path. */

/* The shortest frame of the fused path's shape: Ethernet, IPv4, UDP and
 * VXLAN headers and an inner Ethernet header. */
#define RD_FUSED_MIN_LEN (MOB_ETH_HLEN + MOB_IPV4_HLEN + MOB_UDP_HLEN \
                          + MOB_VXLAN_HLEN + MOB_ETH_HLEN)

/* Where rd_fused_parse()'s template of header bytes starts in a frame, and
 * how many 64-bit words it has: bytes 12 to 43, from the EtherType to the
 * first byte of the VXLAN flags of an untagged frame. */
#define RD_TMPL_OFS (2 * MOB_ETH_ADDR_LEN)
#define RD_TMPL_WORDS 4
static_assert(RD_TMPL_OFS + RD_TMPL_WORDS * 8
              == MOB_ETH_HLEN + MOB_IPV4_HLEN + MOB_UDP_HLEN + 2,
              "the template ends inside the VXLAN flags");
static_assert(!((MOB_VXLAN_FLAG_I | MOB_VXLAN_FLAG_REDIRECT) & 0x00ffffff),
              "the VXLAN flags tested are in the first byte");

/* What rd_fused_parse() needs of 'cfg' to test an outer header, worked out
 * once per burst. */
struct rd_fused_local {
    bool any;                   /* Unset: any destination is ours. */
    bool v4;                    /* An IPv4 address: 'vtep4' is it. */
    uint32_t vtep4;             /* Host order. */

    /* The template: an untagged frame whose bytes RD_TMPL_OFS on, under
     * 'mask', equal 'value' (both in memory order) has the fused shape's
     * fixed fields: IPv4 EtherType, version 4 with a 20-byte header, no
     * fragment, UDP, the VXLAN port, the VXLAN I flag set and the
     * redirect flag clear. */
    bool tmpl;                  /* False: no frame can match. */
    uint64_t mask[RD_TMPL_WORDS];
    uint64_t value[RD_TMPL_WORDS];
};

/* Index in the template of byte 'OFS' of an untagged frame, and the
 * offsets of the outer IPv4, UDP and VXLAN headers in such a frame. */
#define RD_T(OFS) ((OFS) - RD_TMPL_OFS)
#define RD_T_L3 MOB_ETH_HLEN
#define RD_T_L4 (RD_T_L3 + MOB_IPV4_HLEN)
#define RD_T_TNL (RD_T_L4 + MOB_UDP_HLEN)

/* The template's mask and value, byte by byte, but for the VXLAN port,
 * which rd_fused_local_init() fills in from the configuration. */
static const uint8_t rd_tmpl_mask[RD_TMPL_WORDS * 8] = {
    [RD_T(2 * MOB_ETH_ADDR_LEN)] = 0xff,            /* EtherType. */
    [RD_T(2 * MOB_ETH_ADDR_LEN + 1)] = 0xff,
    [RD_T(RD_T_L3)] = 0xff,                         /* Version, IHL. */
    [RD_T(RD_T_L3 + 6)] = 0x3f,                     /* MF, offset. */
    [RD_T(RD_T_L3 + 7)] = 0xff,
    [RD_T(RD_T_L3 + 9)] = 0xff,                     /* Protocol. */
    [RD_T(RD_T_L4 + 2)] = 0xff,                     /* Destination port. */
    [RD_T(RD_T_L4 + 3)] = 0xff,
    [RD_T(RD_T_TNL)] = (MOB_VXLAN_FLAG_I            /* VXLAN flags. */
                        | MOB_VXLAN_FLAG_REDIRECT) >> 24,
};
static const uint8_t rd_tmpl_value[RD_TMPL_WORDS * 8] = {
    [RD_T(2 * MOB_ETH_ADDR_LEN)] = MOB_ETH_TYPE_IPV4 >> 8,
    [RD_T(2 * MOB_ETH_ADDR_LEN + 1)] = MOB_ETH_TYPE_IPV4 & 0xff,
    [RD_T(RD_T_L3)] = 0x45,
    [RD_T(RD_T_L3 + 9)] = MOB_IPPROTO_UDP,
    [RD_T(RD_T_TNL)] = MOB_VXLAN_FLAG_I >> 24,
};

/* Fills 'fl' from 'cfg'.  Runs once per burst: a copy of the constant
 * template and the port, no loop over its bytes. */
static void
rd_fused_local_init(struct rd_fused_local *fl,
                    const struct mob_redirect_config *cfg)
{
    uint8_t value[RD_TMPL_WORDS * 8];
    uint64_t v[RD_TMPL_WORDS];

    fl->any = mob_ip_is_zero(&cfg->local_vtep4);
    fl->v4 = mob_ip_is_v4(&cfg->local_vtep4);
    fl->vtep4 = mob_get_be32(&cfg->local_vtep4.s6_addr[12]);

    memcpy(value, rd_tmpl_value, sizeof value);
    mob_put_be16(&value[RD_T(RD_T_L4 + 2)], cfg->pkt.vxlan_port);
    memcpy(fl->mask, rd_tmpl_mask, sizeof fl->mask);
    memcpy(v, value, sizeof v);
    for (int i = 0; i < RD_TMPL_WORDS; i++) {
        fl->value[i] = v[i] & fl->mask[i];      /* Only what is tested. */
    }

    /* With a local IPv4 VTEP that is not IPv4, no destination is ours. */
    fl->tmpl = fl->any || fl->v4;
}

/* The fast case of rd_fused_parse(): if frame 'data' of 'len' bytes is
 * untagged and matches the template in 'fl', and its lengths and IPv4
 * header checksum are those of a frame that rd_fused_parse_chain() takes,
 * stores the end of its UDP payload in '*tnl_end' and returns true.  A
 * frame this takes, rd_fused_parse_chain() takes with the same result;
 * one it does not take may still be of the fused shape. */
static inline bool
rd_fused_parse_tmpl(const uint8_t *data, size_t len,
                    const struct rd_fused_local *fl, size_t *tnl_end)
{
    size_t l3 = MOB_ETH_HLEN, l4 = l3 + MOB_IPV4_HLEN;
    size_t tot_len, udp_len;
    uint64_t w[RD_TMPL_WORDS], diff = 0;

    if (len < RD_FUSED_MIN_LEN || !fl->tmpl) {
        return false;
    }
    memcpy(w, data + RD_TMPL_OFS, sizeof w);
    for (int i = 0; i < RD_TMPL_WORDS; i++) {
        diff |= (w[i] & fl->mask[i]) ^ fl->value[i];
    }
    if (diff || data[0] & 1) {                  /* Multicast outer MAC. */
        return false;
    }

    /* mob_pkt_fast_ipv4() and mob_pkt_fast_udp()'s length checks, and
     * room for the VXLAN and inner Ethernet headers: the UDP length is at
     * least that of the three headers (30) and at most the IP payload,
     * whose end lies inside the frame and below 64 kB. */
    tot_len = mob_get_be16(data + l3 + 2);
    udp_len = mob_get_be16(data + l4 + 4);
    if (tot_len > len - l3 || l3 + tot_len > UINT16_MAX
        || udp_len < MOB_UDP_HLEN + MOB_VXLAN_HLEN + MOB_ETH_HLEN
        || udp_len + MOB_IPV4_HLEN > tot_len
        || !mob_pkt_ipv4_csum20_ok(data + l3)) {
        return false;
    }
    *tnl_end = l4 + udp_len;
    return true;
}

/* The general case of rd_fused_parse(): if frame 'data' of 'len' bytes is
 * of the fused path's shape, with at most one VLAN tag, stores the offset
 * of its IPv4 header in '*l3' and the end of its UDP payload in
 * '*tnl_end' and returns true; otherwise returns false.  The checks are
 * those of mob_pkt_parse_tunnel_fast() for this shape, in its order, so a
 * frame taken here is one that mob_pkt_parse_tunnel() parses as MOB_PKT_OK
 * with the same fields. */
static inline bool
rd_fused_parse_chain(const uint8_t *data, size_t len,
                     const struct mob_redirect_config *cfg, size_t *l3,
                     size_t *tnl_end)
{
    size_t l4, end, tnl, inner;
    uint16_t eth_type, n_vlans;
    uint32_t flags;

    if (len < MOB_ETH_HLEN || data[0] & 1) {    /* Multicast outer MAC. */
        return false;
    }
    if (!mob_pkt_fast_eth(data, len, l3, &eth_type, &n_vlans)
        || eth_type != MOB_ETH_TYPE_IPV4
        || !mob_pkt_fast_ipv4(data, len, *l3, &end)) {
        return false;
    }
    l4 = *l3 + MOB_IPV4_HLEN;
    if (!mob_pkt_fast_udp(data, l4, end, tnl_end)
        || mob_get_be16(data + l4 + 2) != cfg->pkt.vxlan_port) {
        return false;
    }
    tnl = l4 + MOB_UDP_HLEN;
    if (*tnl_end - tnl < MOB_VXLAN_HLEN) {
        return false;
    }
    flags = mob_get_be32(data + tnl);
    inner = tnl + MOB_VXLAN_HLEN;
    return (flags & MOB_VXLAN_FLAG_I && !(flags & MOB_VXLAN_FLAG_REDIRECT)
            && *tnl_end - inner >= MOB_ETH_HLEN);
}

/* Parses fused frame 'f' if it is of the fused path's shape (see
 * mob_redirect_fused_burst()) with mob-packet-inline.h's checks, which are
 * those of mob_pkt_parse_tunnel() for that shape, and is unicast, to this
 * VTEP per 'fl', unmarked and not a possible announcement: then stores the
 * offset of its outer IPv4 header in '*l3_ofs' and its table key in
 * '*key', and returns true.  Otherwise returns false, and the frame takes
 * the general path.  Untagged frames are first compared with a template
 * of their fixed fields, a few word operations and one branch, instead of
 * the chain of checks that tagged ones and the rest take. */
static inline bool
rd_fused_parse(const struct mob_frame *f, struct mob_table *table,
               const struct mob_redirect_config *cfg,
               const struct rd_fused_local *fl, uint8_t *l3_ofs,
               struct mob_table_key *key)
{
    const uint8_t *data = f->data;
    size_t len = f->len, l3 = MOB_ETH_HLEN, tnl, tnl_end, inner;
    uint32_t dst;

    if (!rd_fused_parse_tmpl(data, len, fl, &tnl_end)
        && !rd_fused_parse_chain(data, len, cfg, &l3, &tnl_end)) {
        return false;
    }
    tnl = l3 + MOB_IPV4_HLEN + MOB_UDP_HLEN;
    inner = tnl + MOB_VXLAN_HLEN;

    /* Parsed.  Not an announcement candidate, unicast, ours: the inner
     * frame is the UDP payload after the VXLAN header. */
    dst = mob_get_be32(data + l3 + 16);
    if (mob_announce_maybe_inline(data + inner, tnl_end - inner)
        || (dst & 0xf0000000) == 0xe0000000 || dst == 0xffffffff
        || (!fl->any && !(fl->v4 && fl->vtep4 == dst))) {
        return false;
    }
    *l3_ofs = l3;
    key->mac = mob_table_mac_pack_((const struct mob_eth_addr *)
                                   (data + inner));
    key->vni = mob_get_be32(data + tnl + 4) >> 8;
    key->sig = mob_table_key_sig_(table, key->vni, key->mac);
    return true;
}

/* Completes, through the general path, fused frame 'f' (number 'i' of
 * 'burst') that hit entry 'id' pointing to 'vtep' but is not a plain
 * redirect (a loop or fallback verdict, or no next hop): parses it fully
 * and decides as rd_finish_one() would, into burst->res[i]. */
static void
rd_fused_general_hit(struct mob_redirect_burst *burst,
                     const struct mob_frame *f, size_t i,
                     const struct in6_addr *vtep, uint32_t id,
                     const struct mob_redirect_config *cfg,
                     struct rd_neigh_cache *cache)
{
    struct mob_tnl_pkt *pkt = &burst->pkt[i];
    struct mob_result *r = &burst->res[i];

    rd_result_init(r);
    r->parse = mob_pkt_parse_tunnel(f->data, f->len, &cfg->pkt, pkt);
    r->entry.vni = pkt->vni;
    r->entry.mac = pkt->inner_dst;
    r->entry.vtep = *vtep;
    r->entry.id = id;
    rd_redirect(f->data, f->len, f->headroom, pkt, &r->entry.vtep, cfg,
                cache, r);
}

/* What the fused path's rewrite needs to know of the VTEP that a run of
 * hits in a burst goes to, computed at the first of them. */
struct rd_fused_vtep {
    uint64_t vtep[2];           /* The VTEP, as two words. */
    uint32_t vtep4;             /* Its IPv4 address (memory order, as
                                 * rd_ld32() loads it), if any. */
    bool usable;                /* IPv4, and not one of ours. */
    int neigh;                  /* 1: next hop known, 0: not, -1: not yet
                                 * looked up. */
    uint8_t eth[2 * MOB_ETH_ADDR_LEN]; /* Outer MACs, once 'neigh' is 1. */
};

/* Makes 'fv' the one for 'vtep' per 'cfg': the checks of
 * rd_decide_unmarked() that depend on the VTEP alone. */
static void
rd_fused_vtep_set(struct rd_fused_vtep *fv, const struct in6_addr *vtep,
                  const struct mob_redirect_config *cfg)
{
    memcpy(fv->vtep, vtep, sizeof fv->vtep);
    fv->vtep4 = rd_ld32(&vtep->s6_addr[12]);
    fv->usable = (mob_ip_is_v4(vtep)
                  && !rd_is_local(vtep, &cfg->local_vtep4)
                  && !rd_is_local(vtep, &cfg->local_vtep6));
    fv->neigh = -1;
}

/* Looks up, once per 'fv', the next hop of its VTEP through 'cache' as
 * rd_redirect() does, and composes the outer MACs of a redirect through
 * it.  Returns true if the next hop is known. */
static inline bool
rd_fused_vtep_neigh(struct rd_fused_vtep *fv, const struct in6_addr *vtep,
                    const struct mob_redirect_config *cfg,
                    struct rd_neigh_cache *cache)
{
    if (fv->neigh < 0) {
        struct mob_eth_addr nh_mac;

        memset(&nh_mac, 0, sizeof nh_mac);
        fv->neigh = rd_neigh_lookup(cfg, vtep, cache, &nh_mac);
        if (fv->neigh) {
            rd_rewrite_eth(fv->eth, &nh_mac, cfg);
        }
    }
    return fv->neigh;
}

/* Stores general-path result 'r' in 'out' and returns its bits of
 * mob_redirect_fused_burst()'s return value. */
static inline unsigned int
rd_fused_out(struct mob_frame_out *out, const struct mob_result *r)
{
    out->action = r->action;
    out->grow = r->grow;
    return MOB_FUSED_ACTION(r->action) | (r->grow ? MOB_FUSED_GREW : 0);
}

/* Runs mob-redirect.h's fused burst path over the 'n' frames in 'frames'
 * and returns the union of their actions' bits (see mob-redirect.h). */
unsigned int
mob_redirect_fused_burst(struct mob_redirect_burst *burst,
                         const struct mob_frame *frames, size_t n,
                         struct mob_table *table,
                         const struct mob_redirect_config *cfg,
                         uint32_t now, struct mob_redirect_stats *stats,
                         struct mob_frame_out *out)
{
    unsigned int seen = 0;
    struct rd_neigh_cache cache = { .valid = false };
    struct rd_fused_vtep fv = { .usable = false, .neigh = 0 };
    uint8_t hit[MOB_REDIRECT_MAX_BURST];
    uint64_t n_fused = 0, n_redirect = 0, redirect_bytes = 0;
    struct rd_fused_local fl;
    size_t n_hit = 0;

    /* What each redirect reads of 'cfg', in locals: the compiler would
     * reload it after every store to a frame, which might alias it. */
    const bool vxlan_mark = cfg->vxlan_mark;
    const bool local_src = cfg->src_mode == MOB_SRC_LOCAL;
    const uint8_t fresh_ttl = rd_fresh_ttl(cfg);

    if (n > MOB_REDIRECT_MAX_BURST) {
        n = MOB_REDIRECT_MAX_BURST;
    }
    burst->n = n;
    rd_fused_local_init(&fl, cfg);

    /* Stage 1: parse the common shape, hash, prefetch the index slot; the
     * general classification for the rest. */
    for (size_t i = 0; i < n && i < RD_BURST_PREFETCH; i++) {
        __builtin_prefetch(frames[i].data);
    }
    for (size_t i = 0; i < n; i++) {
        if (i + RD_BURST_PREFETCH < n) {
            __builtin_prefetch(frames[i + RD_BURST_PREFETCH].data);
        }
        if (table && rd_fused_parse(&frames[i], table, cfg, &fl,
                                    &burst->l3_ofs[i], &burst->key[i])) {
            mob_table_prefetch_slot_inline(table, &burst->key[i]);
            burst->state[i] = RD_BURST_FUSED;
        } else {
            rd_classify_one(burst, &frames[i], i, table, cfg,
                            &burst->res[i]);
        }
    }

    /* Stage 2: prefetch the entries, in a table where that pays. */
    for (size_t i = 0;
         table && mob_table_prefetch_entries_pays_inline(table) && i < n;
         i++) {
        if (burst->state[i] >= RD_BURST_LOOKUP) {
            mob_table_prefetch_entry_inline(table, &burst->key[i]);
        }
    }

    /* Stage 3, in arrival order. */
    if (now != burst->hits_now) {
        mob_table_hits_flush(&burst->hits);
        burst->hits_now = now;
    }
    for (size_t i = 0; i < n; i++) {
        const struct mob_frame *f = &frames[i];
        struct mob_result *r = &burst->res[i];

        if (burst->state[i] == RD_BURST_FUSED) {
            uint8_t *l3 = f->data + burst->l3_ofs[i];
            uint8_t *l4 = l3 + MOB_IPV4_HLEN;
            uint32_t id, src4, dst4;
            struct in6_addr vtep;
            uint64_t udp_d = 0;
            uint16_t udp_csum;
            uint64_t w[2];
            uint8_t ttl;

            out[i].grow = 0;
            out[i].action = MOB_ACT_LOCAL;
            if (!mob_table_lookup_vtep_inline(table, &burst->key[i], &vtep,
                                              &id)) {
                n_fused++;                          /* A miss. */
                continue;
            }

            /* rd_decide_unmarked(), its VTEP checks once per run of hits
             * to the same VTEP, and the next hop. */
            memcpy(w, &vtep, sizeof w);
            if ((w[0] ^ fv.vtep[0]) | (w[1] ^ fv.vtep[1])) {
                rd_fused_vtep_set(&fv, &vtep, cfg);
            }
            src4 = rd_ld32(l3 + 12);
            dst4 = rd_ld32(l3 + 16);
            ttl = l3[8];
            if (!fv.usable || fv.vtep4 == dst4 || fv.vtep4 == src4
                || (!vxlan_mark && ttl <= 1)
                || !rd_fused_vtep_neigh(&fv, &vtep, cfg, &cache)) {
                rd_fused_general_hit(burst, f, i, &vtep, id, cfg, &cache);
                rd_stats_count(stats, r, f->len);
                seen |= rd_fused_out(&out[i], r);
                if (r->action == MOB_ACT_REDIRECT) {
                    /* Not reached today: the general path redirects
                     * nothing that the fused path refused. */
                    burst->id[i] = id;
                    hit[n_hit++] = i;
                }
                continue;
            }

            /* The rewrite of rd_rewrite() for this shape, which always
             * fits and never grows. */
            udp_csum = rd_ld16(l4 + 6);
            memcpy(f->data, fv.eth, sizeof fv.eth);
            rd_rewrite_ipv4(l3, local_src ? dst4 : src4, fv.vtep4,
                            rd_out_ttl__(vxlan_mark, ttl, fresh_ttl), 0,
                            &udp_d);
            if (vxlan_mark) {
                rd_mark_vxlan(l4 + MOB_UDP_HLEN, &udp_d);
            }
            rd_udp_csum_apply(l4, udp_csum, udp_d);

            /* Counted at once, while the entry's line is at hand: spread
             * among the other packets' work, the locked additions of a
             * hit that goes straight to the table cost less than in a
             * row after the loop (1M random: 125 to 112 cycles). */
            mob_table_hits_add_inline(&burst->hits, table, &burst->key[i],
                                      id, f->len);
            n_fused++;
            n_redirect++;
            redirect_bytes += f->len;
            out[i].action = MOB_ACT_REDIRECT;
        } else {
            rd_finish_one(burst, f, i, table, cfg, now, &cache, frames, hit,
                          &n_hit, r);
            rd_stats_count(stats, r, f->len);
            seen |= rd_fused_out(&out[i], r);
        }
    }
    rd_burst_count_hits(burst, frames, table, hit, n_hit);
    burst->n = 0;

    /* The fused frames' statistics: each is a parsed tunnel packet, and
     * either a miss or a redirected hit. */
    stats->rx_packets += n_fused;
    stats->parse.n[MOB_PKT_OK] += n_fused;
    stats->tunnel_packets += n_fused;
    stats->misses += n_fused - n_redirect;
    stats->hits += n_redirect;
    stats->verdicts[MOB_RD_REDIRECT] += n_redirect;
    stats->redirected_packets += n_redirect;
    stats->redirected_bytes += redirect_bytes;

    if (n_redirect) {
        seen |= MOB_FUSED_ACTION(MOB_ACT_REDIRECT);
    }
    if (n_fused > n_redirect) {
        seen |= MOB_FUSED_ACTION(MOB_ACT_LOCAL);
    }
    return seen;
}
