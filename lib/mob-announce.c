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
#include "mob-announce.h"

#include <string.h>
#include "mob-packet.h"

/* ARP and RARP (RFC 826, RFC 903), after the Ethernet header. */
#define ARP_HTYPE_ETH 1
#define ARP_OP_REQUEST 1
#define ARP_OP_REPLY 2
#define ARP_OP_RARP_REQUEST 3   /* "Request reverse". */
#define ARP_OFS_OP 6
#define ARP_OFS_SHA 8
#define ARP_OFS_SPA 14
#define ARP_OFS_THA 18
#define ARP_OFS_TPA 24

/* ICMPv6 neighbour advertisement (RFC 4861 section 4.4). */
#define ND_NA_TYPE 136
#define ND_NA_LEN 24            /* Header through the target address. */
#define ND_NA_FLAG_SOLICITED 0x40
#define ND_NA_FLAG_OVERRIDE 0x20
#define ND_NA_OFS_TARGET 8
#define ND_OPT_TLLA 2
#define ND_OPT_TLLA_LEN 8       /* One 8-byte unit on Ethernet. */
#define ND_HOP_LIMIT MOB_ND_HOP_LIMIT

/* QEMU's default announce parameters (qapi/net.json AnnounceParameters). */
#define QEMU_ANNOUNCE_INITIAL_MS 50
#define QEMU_ANNOUNCE_STEP_MS 100
#define QEMU_ANNOUNCE_MAX_MS 550

static const struct mob_eth_addr eth_broadcast = {
    { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }
};

/* Returns "rarp", "garp", "na" or "none" for 'type', "unknown" for a value
 * outside the enumeration. */
const char *
mob_announce_type_to_string(enum mob_announce_type type)
{
    switch (type) {
    case MOB_ANN_NONE:
        return "none";
    case MOB_ANN_RARP:
        return "rarp";
    case MOB_ANN_GARP:
        return "garp";
    case MOB_ANN_NA:
        return "na";
    }
    return "unknown";
}

/* Returns true if 'mac' can be a VM's address: unicast and not zero. */
static bool
is_station_mac(const struct mob_eth_addr *mac)
{
    return !mob_eth_addr_is_multicast(mac) && !mob_eth_addr_is_zero(mac);
}

/* Returns true if the 6 bytes at 'p' equal 'mac'. */
static bool
mac_equals_bytes(const struct mob_eth_addr *mac, const uint8_t *p)
{
    return !memcmp(mac->ea, p, MOB_ETH_ADDR_LEN);
}

/* Examines the ARP or RARP packet of the frame at 'frame', parsed as
 * '*l2', and fills '*ann' if it is a QEMU-style RARP or a gratuitous ARP.
 * Returns the announcement type, or MOB_ANN_NONE. */
static enum mob_announce_type
detect_arp(const uint8_t *frame, const struct mob_l2 *l2,
           struct mob_announce *ann)
{
    static const uint8_t zero_ip[4];
    const uint8_t *arp = frame + l2->l3_ofs;
    const uint8_t *sha = arp + ARP_OFS_SHA;
    const uint8_t *spa = arp + ARP_OFS_SPA;
    const uint8_t *tpa = arp + ARP_OFS_TPA;
    uint16_t op = mob_get_be16(arp + ARP_OFS_OP);

    /* mob_pkt_parse_l2() has checked the length and the Ethernet/IPv4
     * address sizes. */
    if (!mac_equals_bytes(&l2->src, sha)) {
        return MOB_ANN_NONE;
    }

    if (l2->eth_type == MOB_ETH_TYPE_RARP) {
        if (op != ARP_OP_RARP_REQUEST
            || !mob_eth_addr_is_broadcast(&l2->dst)
            || !mac_equals_bytes(&l2->src, arp + ARP_OFS_THA)) {
            return MOB_ANN_NONE;
        }
        ann->type = MOB_ANN_RARP;
        return MOB_ANN_RARP;
    }

    if (!memcmp(spa, zero_ip, sizeof zero_ip)) {
        return MOB_ANN_NONE;    /* ARP probe, or nonsense. */
    }
    if (op == ARP_OP_REQUEST) {
        if (memcmp(spa, tpa, sizeof zero_ip)) {
            return MOB_ANN_NONE;
        }
    } else if (op == ARP_OP_REPLY) {
        if (!mob_eth_addr_is_broadcast(&l2->dst)) {
            return MOB_ANN_NONE;
        }
    } else {
        return MOB_ANN_NONE;
    }
    ann->type = MOB_ANN_GARP;
    ann->ip = mob_ip_from_v4_bytes(spa);
    return MOB_ANN_GARP;
}

/* Returns the ICMPv6 checksum, in host order, of the 'len' bytes at 'icmp'
 * sent from 'src' to 'dst', with its checksum field taken as it is: 0 when
 * a message with a correct checksum is checked. */
static uint16_t
icmpv6_csum(const struct in6_addr *src, const struct in6_addr *dst,
            const uint8_t *icmp, size_t len)
{
    uint8_t pseudo[8];
    uint32_t sum;

    mob_put_be32(pseudo, len);
    mob_put_be32(pseudo + 4, MOB_IPPROTO_ICMPV6);
    sum = mob_csum_add(0, src, sizeof *src);
    sum = mob_csum_add(sum, dst, sizeof *dst);
    sum = mob_csum_add(sum, pseudo, sizeof pseudo);
    sum = mob_csum_add(sum, icmp, len);
    return mob_csum_finish(sum);
}

/* Examines the ICMPv6 message of the frame at 'frame', parsed as '*l2',
 * and fills '*ann' if it is an unsolicited neighbour advertisement.
 * Returns MOB_ANN_NA or MOB_ANN_NONE. */
static enum mob_announce_type
detect_na(const uint8_t *frame, const struct mob_l2 *l2,
          struct mob_announce *ann)
{
    const uint8_t *icmp = frame + l2->l4_ofs;
    size_t len = l2->l4_len;
    bool tlla = false;

    if (l2->ip_ttl != ND_HOP_LIMIT || len < ND_NA_LEN
        || icmp[0] != ND_NA_TYPE || icmp[1] != 0
        || icmpv6_csum(&l2->ip_src, &l2->ip_dst, icmp, len)
        || icmp[4] & ND_NA_FLAG_SOLICITED
        || icmp[ND_NA_OFS_TARGET] == 0xff) {   /* Multicast target. */
        return MOB_ANN_NONE;
    }

    /* Options: each at least 2 bytes of type and length, the length in
     * 8-byte units and never 0 (RFC 4861 section 4.6).  Every target
     * link-layer address option must name the Ethernet source. */
    for (size_t p = ND_NA_LEN; p < len; ) {
        size_t opt_len;

        if (len - p < 2) {
            return MOB_ANN_NONE;
        }
        opt_len = icmp[p + 1] * 8;
        if (!opt_len || opt_len > len - p) {
            return MOB_ANN_NONE;
        }
        if (icmp[p] == ND_OPT_TLLA) {
            if (opt_len != ND_OPT_TLLA_LEN
                || !mac_equals_bytes(&l2->src, icmp + p + 2)) {
                return MOB_ANN_NONE;
            }
            tlla = true;
        }
        p += opt_len;
    }
    if (!tlla) {
        return MOB_ANN_NONE;
    }

    ann->type = MOB_ANN_NA;
    memcpy(&ann->ip, icmp + ND_NA_OFS_TARGET, sizeof ann->ip);
    return MOB_ANN_NA;
}

/* Examines Ethernet frame 'frame' of 'len' bytes.  If it is an
 * announcement, fills '*ann' and returns its type, otherwise returns
 * MOB_ANN_NONE and leaves '*ann' unchanged.  Never reads beyond 'len'. */
enum mob_announce_type
mob_announce_detect(const uint8_t *frame, size_t len,
                    struct mob_announce *ann)
{
    enum mob_announce_type type = MOB_ANN_NONE;
    struct mob_announce found;
    struct mob_l2 l2;

    if (mob_pkt_parse_l2(frame, len, &l2) != MOB_PKT_OK || !l2.l3_ofs
        || !is_station_mac(&l2.src)) {
        return MOB_ANN_NONE;
    }

    memset(&found, 0, sizeof found);
    if (l2.eth_type == MOB_ETH_TYPE_ARP || l2.eth_type == MOB_ETH_TYPE_RARP) {
        type = detect_arp(frame, &l2, &found);
    } else if (l2.eth_type == MOB_ETH_TYPE_IPV6
               && l2.ip_proto == MOB_IPPROTO_ICMPV6 && l2.l4_ofs) {
        type = detect_na(frame, &l2, &found);
    }
    if (type == MOB_ANN_NONE) {
        return MOB_ANN_NONE;
    }
    found.mac = l2.src;
    found.vlan_tci = l2.n_vlans ? l2.vlan_tci[0] : 0;
    *ann = found;
    return type;
}

/* Returns false if mob_announce_detect() would certainly find no
 * announcement in the 'len' bytes at 'frame', true if it might.  Each test
 * here is one that mob_announce_detect() or the parser it calls makes
 * too, so a frame rejected here is rejected there. */
bool
mob_announce_maybe(const uint8_t *frame, size_t len)
{
    return mob_announce_maybe_inline(frame, len);
}

/* Writes the Ethernet header and the fixed part of an Ethernet/IPv4 ARP
 * packet with opcode 'op', from 'mac' to 'dst', into 'buf'. */
static void
put_arp_header(uint8_t *buf, const struct mob_eth_addr *dst,
               const struct mob_eth_addr *mac, uint16_t eth_type, uint16_t op)
{
    uint8_t *arp = buf + MOB_ETH_HLEN;

    memcpy(buf, dst->ea, MOB_ETH_ADDR_LEN);
    memcpy(buf + MOB_ETH_ADDR_LEN, mac->ea, MOB_ETH_ADDR_LEN);
    mob_put_be16(buf + 2 * MOB_ETH_ADDR_LEN, eth_type);
    mob_put_be16(arp, ARP_HTYPE_ETH);
    mob_put_be16(arp + 2, MOB_ETH_TYPE_IPV4);
    arp[4] = MOB_ETH_ADDR_LEN;
    arp[5] = 4;
    mob_put_be16(arp + ARP_OFS_OP, op);
    memcpy(arp + ARP_OFS_SHA, mac->ea, MOB_ETH_ADDR_LEN);
}

/* Writes QEMU's RARP for 'mac' into 'buf', which must hold MOB_RARP_LEN
 * bytes, as QEMU's announce_self_create() does.  Returns MOB_RARP_LEN. */
size_t
mob_announce_build_rarp(const struct mob_eth_addr *mac, uint8_t *buf)
{
    uint8_t *arp = buf + MOB_ETH_HLEN;

    memset(buf, 0, MOB_RARP_LEN);
    put_arp_header(buf, &eth_broadcast, mac, MOB_ETH_TYPE_RARP,
                   ARP_OP_RARP_REQUEST);
    memcpy(arp + ARP_OFS_THA, mac->ea, MOB_ETH_ADDR_LEN);
    return MOB_RARP_LEN;
}

/* Writes a gratuitous ARP for 'mac' owning IPv4 address 'ip' into 'buf',
 * which must hold MOB_GARP_LEN bytes: a broadcast request with spa == tpa
 * and a zero target hardware address (RFC 5227 "ARP Announcement"), or
 * with 'reply', a broadcast reply with tha == sha and tpa == spa (as
 * "arping -A" sends it).  Returns MOB_GARP_LEN. */
size_t
mob_announce_build_garp(const struct mob_eth_addr *mac, const uint8_t ip[4],
                        bool reply, uint8_t *buf)
{
    uint8_t *arp = buf + MOB_ETH_HLEN;

    memset(buf, 0, MOB_GARP_LEN);
    put_arp_header(buf, &eth_broadcast, mac, MOB_ETH_TYPE_ARP,
                   reply ? ARP_OP_REPLY : ARP_OP_REQUEST);
    memcpy(arp + ARP_OFS_SPA, ip, 4);
    if (reply) {
        memcpy(arp + ARP_OFS_THA, mac->ea, MOB_ETH_ADDR_LEN);
    }
    memcpy(arp + ARP_OFS_TPA, ip, 4);
    return MOB_GARP_LEN;
}

/* Writes an unsolicited neighbour advertisement for 'mac' owning IPv6
 * address 'ip' into 'buf', which must hold MOB_NA_LEN bytes: to ff02::1
 * and 33:33:00:00:00:01, from 'ip', hop limit 255, Override set, Solicited
 * clear, with a target link-layer address option and a valid checksum.
 * Returns MOB_NA_LEN. */
size_t
mob_announce_build_na(const struct mob_eth_addr *mac,
                      const struct in6_addr *ip, uint8_t *buf)
{
    static const struct mob_eth_addr all_nodes_mac = {
        { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 }
    };
    static const struct in6_addr all_nodes = {
        { { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 } }
    };
    uint8_t *ip6 = buf + MOB_ETH_HLEN;
    uint8_t *icmp = ip6 + MOB_IPV6_HLEN;
    size_t icmp_len = ND_NA_LEN + ND_OPT_TLLA_LEN;

    memset(buf, 0, MOB_NA_LEN);
    memcpy(buf, all_nodes_mac.ea, MOB_ETH_ADDR_LEN);
    memcpy(buf + MOB_ETH_ADDR_LEN, mac->ea, MOB_ETH_ADDR_LEN);
    mob_put_be16(buf + 2 * MOB_ETH_ADDR_LEN, MOB_ETH_TYPE_IPV6);

    ip6[0] = 0x60;
    mob_put_be16(ip6 + 4, icmp_len);
    ip6[6] = MOB_IPPROTO_ICMPV6;
    ip6[7] = ND_HOP_LIMIT;
    memcpy(ip6 + 8, ip, sizeof *ip);
    memcpy(ip6 + 24, &all_nodes, sizeof all_nodes);

    icmp[0] = ND_NA_TYPE;
    icmp[4] = ND_NA_FLAG_OVERRIDE;
    memcpy(icmp + ND_NA_OFS_TARGET, ip, sizeof *ip);
    icmp[ND_NA_LEN] = ND_OPT_TLLA;
    icmp[ND_NA_LEN + 1] = ND_OPT_TLLA_LEN / 8;
    memcpy(icmp + ND_NA_LEN + 2, mac->ea, MOB_ETH_ADDR_LEN);
    mob_put_be16(icmp + 2, icmpv6_csum(ip, &all_nodes, icmp, icmp_len));
    return MOB_NA_LEN;
}

/* Returns the gap, in milliseconds, that QEMU's default announce timing
 * leaves between announcement 'round' - 1 and 'round': 50 ms for round 1,
 * 100 ms more for each later round, at most 550 ms.  Returns 0 for round
 * 0, the first announcement, which QEMU sends at once. */
unsigned int
mob_announce_qemu_gap_ms(unsigned int round)
{
    unsigned int max_round = (QEMU_ANNOUNCE_MAX_MS - QEMU_ANNOUNCE_INITIAL_MS)
                             / QEMU_ANNOUNCE_STEP_MS + 1;

    if (!round) {
        return 0;
    }
    if (round >= max_round) {
        return QEMU_ANNOUNCE_MAX_MS;
    }
    return QEMU_ANNOUNCE_INITIAL_MS + (round - 1) * QEMU_ANNOUNCE_STEP_MS;
}
