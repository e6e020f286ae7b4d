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

#ifndef MOB_PACKET_INLINE_H
#define MOB_PACKET_INLINE_H 1

/* The common-case tunnel parser, inline
 * =====================================
 *
 * mob_pkt_parse_tunnel() handles every frame the underlay may carry (two
 * VLAN tags, IPv4 options, IPv6 extension headers, fragments) and reports
 * each malformed class by its reason.  The fast path's frames are nearly
 * all of one shape: an untagged or single-tagged Ethernet header, IPv4
 * with a 20-byte header or IPv6 with no extension header, UDP to the
 * VXLAN or Geneve port.  mob_pkt_parse_tunnel_fast() parses that shape
 * alone, in line in the caller's loop, without clearing the result first
 * and without the calls between the general parser's steps.
 *
 * It decides nothing on its own: it returns true only for a frame that
 * passes every check that mob_pkt_parse_tunnel() makes (the same checks,
 * in mob-packet.h's list, restricted to the one shape), with '*pkt' then
 * holding exactly what mob_pkt_parse_tunnel() would store; for anything
 * else (another shape, a frame that is not a tunnel packet, any malformed
 * frame) it returns false and the caller runs mob_pkt_parse_tunnel(),
 * which gives the verdict and its reason.  So a frame is never accepted
 * or rejected differently by the two (tests/test-burst.c compares them on
 * valid and malformed frames and on random mutations of them).
 *
 * Reads only inside [data, data + len); never writes to the frame. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "mob-addr.h"
#include "mob-packet.h"

/* Returns true if the 20-byte IPv4 header at 'h' (no options) has a right
 * header checksum: its 16-bit words have a ones' complement sum of all
 * ones.
 *
 * Folding a sum into 16 bits with end-around carries keeps it modulo
 * 0xffff (2^16 is 1 modulo 0xffff), and a nonzero sum folds to a value
 * from 1 to 0xffff, so the ones' complement sum is all ones exactly when
 * the plain sum of the words is nonzero and a multiple of 0xffff.  That
 * holds in either byte order (a swapped word is the word times 2^8
 * modulo 0xffff, and 2^8 is invertible), and for the sum of the five
 * native 32-bit words (2^16 and 2^32 are 1 modulo 0xffff).  The compiler
 * tests divisibility by the odd constant with one multiplication. */
static inline bool
mob_pkt_ipv4_csum20_ok(const uint8_t *h)
{
    uint32_t w0, w1, w2, w3, w4;
    uint64_t sum;

    /* A load per word: copied as a whole into an array, the header went
     * through the stack (a 16-byte store, then 4-byte loads from it). */
    memcpy(&w0, h, sizeof w0);
    memcpy(&w1, h + 4, sizeof w1);
    memcpy(&w2, h + 8, sizeof w2);
    memcpy(&w3, h + 12, sizeof w3);
    memcpy(&w4, h + 16, sizeof w4);
    sum = (uint64_t) w0 + w1 + w2 + w3 + w4;
    return sum && sum % 0xffff == 0;
}

/* The common shape's Ethernet header, at most one 802.1Q or 802.1ad tag,
 * at the start of 'data' ('len' bytes).  Returns false if the frame is too
 * short for it; otherwise stores the offset of the layer-3 header in
 * '*l3', its EtherType in '*eth_type' and the number of tags in
 * '*n_vlans', and returns true. */
static inline bool
mob_pkt_fast_eth(const uint8_t *data, size_t len, size_t *l3,
                 uint16_t *eth_type, uint16_t *n_vlans)
{
    if (len < MOB_ETH_HLEN) {
        return false;
    }
    *l3 = MOB_ETH_HLEN;
    *eth_type = mob_get_be16(data + 2 * MOB_ETH_ADDR_LEN);
    *n_vlans = 0;
    if (*eth_type == MOB_ETH_TYPE_VLAN
        || *eth_type == MOB_ETH_TYPE_VLAN_8021AD) {
        if (len - *l3 < MOB_VLAN_HLEN) {
            return false;
        }
        *eth_type = mob_get_be16(data + *l3 + 2);
        *l3 += MOB_VLAN_HLEN;
        *n_vlans = 1;
    }
    return true;
}

/* The common shape's IPv4 header at offset 'l3' of 'data' ('len' bytes):
 * 20 bytes, a total length that fits, a right header checksum, not a
 * fragment, UDP inside.  Returns true, with the offset where the datagram
 * ends in '*end', if it is that; false otherwise. */
static inline bool
mob_pkt_fast_ipv4(const uint8_t *data, size_t len, size_t l3, size_t *end)
{
    const uint8_t *h = data + l3;
    size_t tot_len;

    if (len - l3 < MOB_IPV4_HLEN || h[0] != 0x45) {
        return false;
    }
    tot_len = mob_get_be16(h + 2);
    if (tot_len < MOB_IPV4_HLEN || tot_len > len - l3
        || l3 + tot_len > UINT16_MAX
        || !mob_pkt_ipv4_csum20_ok(h)
        || mob_get_be16(h + 6) & 0x3fff        /* MF, offset. */
        || h[9] != MOB_IPPROTO_UDP) {
        return false;
    }
    *end = l3 + tot_len;
    return true;
}

/* The UDP header at offset 'l4' of 'data', in a datagram that ends at
 * offset 'end': room for it, and a length that fits.  Returns true, with
 * the offset where its payload ends in '*payload_end', if so. */
static inline bool
mob_pkt_fast_udp(const uint8_t *data, size_t l4, size_t end,
                 size_t *payload_end)
{
    size_t udp_len;

    if (end - l4 < MOB_UDP_HLEN) {
        return false;
    }
    udp_len = mob_get_be16(data + l4 + 4);
    if (udp_len < MOB_UDP_HLEN || udp_len > end - l4) {
        return false;
    }
    *payload_end = l4 + udp_len;
    return true;
}

/* Parses underlay frame 'data' of 'len' bytes, if it is of the common
 * shape described above and well formed, as a VXLAN or Geneve packet per
 * 'cfg' (NULL: IANA ports) into '*pkt', and returns true: '*pkt' then
 * holds what mob_pkt_parse_tunnel() would store, which would return
 * MOB_PKT_OK.  Otherwise returns false, with '*pkt' garbage: the caller
 * must run mob_pkt_parse_tunnel(). */
static inline bool
mob_pkt_parse_tunnel_fast(const uint8_t *data, size_t len,
                          const struct mob_pkt_config *cfg,
                          struct mob_tnl_pkt *pkt)
{
    uint16_t vxlan_port = cfg ? cfg->vxlan_port : MOB_VXLAN_PORT;
    uint16_t geneve_port = cfg ? cfg->geneve_port : MOB_GENEVE_PORT;
    size_t l3, l4, end, tnl, tnl_end, inner;
    uint16_t eth_type, dport;
    const uint8_t *h;

    /* Ethernet, at most one tag. */
    if (!mob_pkt_fast_eth(data, len, &l3, &eth_type, &pkt->n_vlans)) {
        return false;
    }

    /* IPv4 with a 20-byte header, or IPv6 with UDP as next header. */
    h = data + l3;
    if (eth_type == MOB_ETH_TYPE_IPV4) {
        if (!mob_pkt_fast_ipv4(data, len, l3, &end)) {
            return false;
        }
        l4 = l3 + MOB_IPV4_HLEN;
        pkt->outer_ipv6 = false;
        pkt->outer_ttl = h[8];
        pkt->l3_hlen = MOB_IPV4_HLEN;
        pkt->outer_src = mob_ip_from_v4_bytes(h + 12);
        pkt->outer_dst = mob_ip_from_v4_bytes(h + 16);
    } else if (eth_type == MOB_ETH_TYPE_IPV6) {
        if (len - l3 < MOB_IPV6_HLEN || h[0] >> 4 != 6
            || h[6] != MOB_IPPROTO_UDP) {
            return false;
        }
        l4 = l3 + MOB_IPV6_HLEN;
        end = l4 + mob_get_be16(h + 4);
        if (end > len || end > UINT16_MAX) {
            return false;
        }
        pkt->outer_ipv6 = true;
        pkt->outer_ttl = h[7];
        pkt->l3_hlen = MOB_IPV6_HLEN;
        memcpy(&pkt->outer_src, h + 8, sizeof pkt->outer_src);
        memcpy(&pkt->outer_dst, h + 24, sizeof pkt->outer_dst);
    } else {
        return false;
    }

    /* UDP. */
    if (!mob_pkt_fast_udp(data, l4, end, &tnl_end)) {
        return false;
    }
    dport = mob_get_be16(data + l4 + 2);
    tnl = l4 + MOB_UDP_HLEN;

    /* VXLAN or Geneve. */
    pkt->geneve_flags = 0;
    pkt->geneve_opt_len = 0;
    pkt->geneve_n_opts = 0;
    pkt->geneve_critical = false;
    if (dport == vxlan_port) {
        uint32_t flags;

        if (tnl_end - tnl < MOB_VXLAN_HLEN) {
            return false;
        }
        flags = mob_get_be32(data + tnl);
        if (!(flags & MOB_VXLAN_FLAG_I)) {
            return false;
        }
        pkt->type = MOB_TNL_VXLAN;
        pkt->vxlan_flags = flags;
        pkt->vni = mob_get_be32(data + tnl + 4) >> 8;
        pkt->redirect_mark = (flags & MOB_VXLAN_FLAG_REDIRECT) != 0;
        inner = tnl + MOB_VXLAN_HLEN;
    } else if (dport == geneve_port) {
        const uint8_t *g = data + tnl;
        size_t opt_len, p;

        if (tnl_end - tnl < MOB_GENEVE_HLEN || g[0] >> 6
            || mob_get_be16(g + 2) != MOB_ETH_TYPE_TEB) {
            return false;
        }
        opt_len = (g[0] & 0x3f) * 4;
        if (opt_len > tnl_end - tnl - MOB_GENEVE_HLEN) {
            return false;
        }
        pkt->type = MOB_TNL_GENEVE;
        pkt->vxlan_flags = 0;
        pkt->redirect_mark = false;
        pkt->geneve_flags = g[1];
        pkt->geneve_opt_len = opt_len;
        pkt->vni = mob_get_be32(g + 4) >> 8;

        /* Options and their lengths are multiples of 4 bytes: whenever
         * p < inner there is room for an option's 4-byte header. */
        p = tnl + MOB_GENEVE_HLEN;
        inner = p + opt_len;
        while (p < inner) {
            uint8_t type = data[p + 2];
            size_t o_len = 4 + (data[p + 3] & 0x1f) * 4;

            if (o_len > inner - p) {
                return false;
            }
            if (type & MOB_GENEVE_OPT_CRITICAL) {
                pkt->geneve_critical = true;
            }
            if (type == MOB_GENEVE_OPT_TYPE_REDIRECT
                && mob_get_be16(data + p) == MOB_GENEVE_OPT_CLASS_MOBILITY) {
                pkt->redirect_mark = true;
            }
            pkt->geneve_n_opts++;
            p += o_len;
        }
    } else {
        return false;
    }

    /* Inner Ethernet. */
    if (tnl_end - inner < MOB_ETH_HLEN) {
        return false;
    }
    memcpy(pkt->inner_dst.ea, data + inner, MOB_ETH_ADDR_LEN);
    memcpy(pkt->inner_src.ea, data + inner + MOB_ETH_ADDR_LEN,
           MOB_ETH_ADDR_LEN);
    memcpy(pkt->outer_dst_mac.ea, data, MOB_ETH_ADDR_LEN);
    memcpy(pkt->outer_src_mac.ea, data + MOB_ETH_ADDR_LEN, MOB_ETH_ADDR_LEN);
    pkt->udp_src = mob_get_be16(data + l4);
    pkt->udp_dst = dport;
    pkt->l3_ofs = l3;
    pkt->l4_ofs = l4;
    pkt->tnl_ofs = tnl;
    pkt->inner_ofs = inner;
    pkt->end_ofs = end;
    return true;
}

#endif /* mob-packet-inline.h */
