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

#include <string.h>

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
static bool
rd_marks(const struct mob_tnl_pkt *pkt, const struct mob_redirect_config *cfg)
{
    return pkt->type == MOB_TNL_GENEVE ? cfg->geneve_mark : cfg->vxlan_mark;
}

/* Returns true if 'pkt' already carries the redirect mark. */
static bool
rd_is_marked(const struct mob_tnl_pkt *pkt)
{
    return pkt->redirect_mark
           || (pkt->type == MOB_TNL_VXLAN
               && pkt->vxlan_flags & MOB_VXLAN_FLAG_REDIRECT);
}

/* Returns the TTL (hop limit) that a redirect of 'pkt' per 'cfg' leaves
 * with: the fresh cfg->ttl (64 if that is 0) when it leaves marked,
 * otherwise no more than the received TTL less one, and at least 1. */
static uint8_t
rd_out_ttl(const struct mob_tnl_pkt *pkt,
           const struct mob_redirect_config *cfg)
{
    int ttl = cfg->ttl ? cfg->ttl : MOB_REDIRECT_DEFAULT_TTL;

    if (!rd_marks(pkt, cfg)) {
        int limit = pkt->outer_ttl - 1;

        if (limit < ttl) {
            ttl = limit > 0 ? limit : 1;
        }
    }
    return ttl;
}

/* Returns true if 'ip' equals 'local', which counts only if nonzero. */
static bool
rd_is_local(const struct in6_addr *ip, const struct in6_addr *local)
{
    return !mob_ip_is_zero(local) && mob_ip_equals(ip, local);
}

/* Decides whether 'pkt' may be redirected to 'entry->vtep'; see
 * mob-redirect.h for the checks and their order.  Returns the verdict. */
enum mob_redirect_verdict
mob_redirect_decide(const struct mob_tnl_pkt *pkt,
                    const struct mob_entry *entry,
                    const struct mob_redirect_config *cfg)
{
    const struct in6_addr *vtep = &entry->vtep;

    if (rd_is_marked(pkt)) {
        return MOB_RD_LOOP_MARKED;
    }
    if (rd_is_local(vtep, &cfg->local_vtep4)
        || rd_is_local(vtep, &cfg->local_vtep6)
        || mob_ip_equals(vtep, &pkt->outer_dst)) {
        return MOB_RD_LOOP_SELF;
    }
    if (mob_ip_equals(vtep, &pkt->outer_src)) {
        return MOB_RD_LOOP_SENDER;
    }
    if (!rd_marks(pkt, cfg) && pkt->outer_ttl <= 1) {
        return MOB_RD_LOOP_TTL;
    }
    if (mob_ip_is_v4(vtep) == pkt->outer_ipv6) {
        return MOB_RD_AF_MISMATCH;
    }
    return MOB_RD_REDIRECT;
}

/* Returns true if the offsets in 'pkt' describe headers that lie, in
 * order, inside a frame of 'len' bytes. */
static bool
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

/* Writes 'new' as a big-endian 16-bit field at 'p', folding the change into
 * the checksum fields '*c1' and '*c2' (host order) unless they are NULL. */
static void
rd_put16(uint8_t *p, uint16_t new, uint16_t *c1, uint16_t *c2)
{
    uint16_t old = mob_get_be16(p);

    if (c1) {
        *c1 = mob_csum_update16(*c1, old, new);
    }
    if (c2) {
        *c2 = mob_csum_update16(*c2, old, new);
    }
    mob_put_be16(p, new);
}

/* Writes the 4 bytes at 'new' over the 4 bytes at 'p', folding the change
 * into the checksum fields '*c1' and '*c2' (host order) unless they are
 * NULL. */
static void
rd_put32(uint8_t *p, const uint8_t *new, uint16_t *c1, uint16_t *c2)
{
    uint32_t old32 = mob_get_be32(p);
    uint32_t new32 = mob_get_be32(new);

    if (c1) {
        *c1 = mob_csum_update32(*c1, old32, new32);
    }
    if (c2) {
        *c2 = mob_csum_update32(*c2, old32, new32);
    }
    mob_put_be32(p, new32);
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

/* Rewrites the outer headers of 'frame' in place for a redirect; see
 * mob-redirect.h.  Returns the number of bytes the frame grew at its front
 * (0 or MOB_GENEVE_MARK_LEN), or -1 if it cannot be done (nothing is then
 * changed). */
int
mob_redirect_rewrite(uint8_t *frame, size_t len, size_t headroom,
                     const struct mob_tnl_pkt *pkt,
                     const struct mob_entry *entry,
                     const struct mob_eth_addr *nh_mac,
                     const struct mob_redirect_config *cfg)
{
    const struct in6_addr *src;
    const struct in6_addr *dst = &entry->vtep;
    bool add_mark = pkt->type == MOB_TNL_GENEVE && cfg->geneve_mark;
    bool vxlan_mark = pkt->type == MOB_TNL_VXLAN && cfg->vxlan_mark;
    int grow = add_mark ? MOB_GENEVE_MARK_LEN : 0;
    uint8_t ttl = rd_out_ttl(pkt, cfg);
    uint16_t udp_csum, *uc;
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
    memcpy(frame, nh_mac->ea, MOB_ETH_ADDR_LEN);
    memcpy(frame + MOB_ETH_ADDR_LEN, cfg->local_mac.ea, MOB_ETH_ADDR_LEN);

    /* A zero UDP checksum means "none" and stays zero; any other is
     * updated for each change, pseudo-header included. */
    udp_csum = mob_get_be16(l4 + 6);
    uc = udp_csum ? &udp_csum : NULL;

    src = cfg->src_mode == MOB_SRC_LOCAL ? &pkt->outer_dst : &pkt->outer_src;
    if (!pkt->outer_ipv6) {
        uint16_t ip_csum = mob_get_be16(l3 + 10);

        rd_put32(l3 + 12, &src->s6_addr[12], &ip_csum, uc);
        rd_put32(l3 + 16, &dst->s6_addr[12], &ip_csum, uc);
        rd_put16(l3 + 8, (ttl << 8) | l3[9], &ip_csum, NULL);
        if (grow) {
            rd_put16(l3 + 2, mob_get_be16(l3 + 2) + grow, &ip_csum, NULL);
        }
        mob_put_be16(l3 + 10, ip_csum);
    } else {
        for (int i = 0; i < 16; i += 4) {
            rd_put32(l3 + 8 + i, &src->s6_addr[i], uc, NULL);
            rd_put32(l3 + 24 + i, &dst->s6_addr[i], uc, NULL);
        }
        l3[7] = ttl;
        if (grow) {
            /* Not in the pseudo-header: the UDP length is. */
            mob_put_be16(l3 + 4, mob_get_be16(l3 + 4) + grow);
        }
    }

    if (grow) {
        /* The UDP length is both in the header and in the pseudo-header,
         * so it enters the checksum twice. */
        uint16_t udp_len = mob_get_be16(l4 + 4);

        if (uc) {
            *uc = mob_csum_update16(*uc, udp_len, udp_len + grow);
        }
        rd_put16(l4 + 4, udp_len + grow, uc, NULL);

        /* One more word of options, and the mark's own two words. */
        rd_put16(tnl, mob_get_be16(tnl) + (1 << 8), uc, NULL);
        if (uc) {
            const uint8_t *opt = tnl + MOB_GENEVE_HLEN;

            *uc = mob_csum_update16(*uc, 0, mob_get_be16(opt));
            *uc = mob_csum_update16(*uc, 0, mob_get_be16(opt + 2));
        }
    }
    if (vxlan_mark) {
        uint8_t flags[4];

        mob_put_be32(flags, mob_get_be32(tnl) | MOB_VXLAN_FLAG_REDIRECT);
        rd_put32(tnl, flags, uc, NULL);
    }

    if (uc) {
        /* RFC 768: a checksum that computes to zero is sent as all ones. */
        mob_put_be16(l4 + 6, udp_csum ? udp_csum : 0xffff);
    }
    return grow;
}

/* Returns true if 'ip' is an IPv4 or IPv6 multicast address or the IPv4
 * limited broadcast address. */
static bool
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

/* If the inner frame of 'pkt', which is in 'frame', is an announcement,
 * learns (VNI, announced MAC) -> outer source into 'table' (if nonnull) at
 * time 'now', records it in '*res' and returns true.  Otherwise returns
 * false. */
static bool
rd_learn_announcement(const uint8_t *frame, const struct mob_tnl_pkt *pkt,
                      struct mob_table *table, uint32_t now,
                      struct mob_result *res)
{
    /* The inner frame ends where the UDP datagram does, which the parser
     * has checked is within the IP payload. */
    size_t udp_end = pkt->l4_ofs + mob_get_be16(frame + pkt->l4_ofs + 4);
    struct mob_learn req;

    if (udp_end > pkt->end_ofs || udp_end < pkt->inner_ofs
        || mob_announce_detect(frame + pkt->inner_ofs,
                               udp_end - pkt->inner_ofs,
                               &res->ann) == MOB_ANN_NONE) {
        return false;
    }
    res->announce = true;
    if (!table) {
        res->learn = MOB_LEARN_INVALID;
        return true;
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
    return true;
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
    struct mob_eth_addr nh_mac;
    struct mob_tnl_pkt pkt;
    int grow;

    memset(res, 0, sizeof *res);
    res->action = MOB_ACT_LOCAL;

    /* 1. Parse. */
    res->parse = mob_pkt_parse_tunnel(frame, len, &cfg->pkt, &pkt);
    if (res->parse != MOB_PKT_OK) {
        if (res->parse != MOB_PKT_NOT_TUNNEL) {
            res->action = MOB_ACT_REJECT;
        }
        return res->action;
    }

    /* 2. Learn from an announcement, which local VMs still need. */
    if (rd_learn_announcement(frame, &pkt, table, now, res)) {
        return res->action;
    }

    /* 3. Look up.  A packet flooded to a multicast group also reached the
     * new VTEP: never send it a second copy. */
    if (!table
        || mob_eth_addr_is_multicast(&pkt.outer_dst_mac)
        || rd_ip_is_multicast(&pkt.outer_dst)
        || !mob_table_lookup(table, pkt.vni, &pkt.inner_dst, &res->entry)) {
        return res->action;
    }
    res->hit = true;

    /* 4. Decide, with the neighbour table and the headroom last. */
    res->verdict = mob_redirect_decide(&pkt, &res->entry, cfg);
    if (res->verdict != MOB_RD_REDIRECT) {
        if (mob_redirect_verdict_is_loop(res->verdict)) {
            res->action = MOB_ACT_DROP;
        }
        return res->action;
    }
    if (!cfg->neigh_lookup
        || !cfg->neigh_lookup(cfg->neigh_aux, &res->entry.vtep, &nh_mac)) {
        res->verdict = MOB_RD_NO_NEIGH;
        return res->action;
    }

    /* 5. Rewrite and count. */
    grow = mob_redirect_rewrite(frame, len, headroom, &pkt, &res->entry,
                                &nh_mac, cfg);
    if (grow < 0) {
        res->verdict = MOB_RD_NO_ROOM;
        return res->action;
    }
    res->grow = grow;
    mob_table_hit(table, res->entry.id, len);
    res->action = MOB_ACT_REDIRECT;
    return res->action;
}

/* Adds 'res', for a received frame of 'len' bytes, to '*stats'. */
void
mob_redirect_stats_count(struct mob_redirect_stats *stats,
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
