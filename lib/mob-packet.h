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

#ifndef MOB_PACKET_H
#define MOB_PACKET_H 1

/* Bounded header parsing
 * ======================
 *
 * Two parsers, both of which read only inside [data, data + len) and never
 * write:
 *
 *   - mob_pkt_parse_l2() parses an Ethernet frame: Ethernet, at most two
 *     802.1Q/802.1ad tags, then IPv4, IPv6 (skipping extension headers),
 *     ARP/RARP, ICMPv6 and UDP as far as they go.  It is what announcement
 *     detection runs on the inner frame.
 *
 *   - mob_pkt_parse_tunnel() parses an underlay frame carrying VXLAN
 *     (RFC 7348) or Geneve (RFC 8926) over UDP over IPv4 or IPv6, walks
 *     every Geneve option, and then the inner Ethernet header.  It is what
 *     the redirect path runs on every received packet.
 *
 * Each malformed class has its own 'enum mob_pkt_error' value so that a
 * caller can count rejections by reason (struct mob_pkt_stats).  A frame
 * that is well formed but simply not a tunnel packet for us (ARP on the
 * underlay, TCP, another UDP port) is MOB_PKT_NOT_TUNNEL, which is not an
 * error.
 *
 * Checks made (every one against the buffer length first):
 *   Ethernet: 14 bytes; each VLAN tag 4 more; at most 2 tags.
 *   IPv4: version 4, IHL >= 5, IHL*4 <= total length <= remaining bytes,
 *         header checksum valid, not a fragment (MF set or offset != 0).
 *   IPv6: version 6, 40 bytes, payload length <= remaining bytes; hop-by-hop,
 *         routing and destination-options extension headers are skipped
 *         with their lengths checked; a fragment header stops tunnel
 *         parsing (MOB_PKT_ERR_FRAGMENT).
 *   UDP: 8 bytes, 8 <= length <= IP payload.
 *   VXLAN: 8 bytes, I flag set.
 *   Geneve: 8 bytes, version 0, protocol 0x6558 (Ethernet), options length
 *         within the UDP payload, each option's 4-byte header and data
 *         within the options area.
 *   Inner Ethernet: 14 bytes.
 *   ICMPv6 (mob_pkt_parse_l2() only): 4 bytes of type, code, checksum.
 *
 * Fragments: mob_pkt_parse_tunnel() returns MOB_PKT_ERR_FRAGMENT for an
 * IPv4 fragment of UDP and for an IPv6 fragment header followed by UDP or
 * by an extension header; a fragment of anything else cannot be a tunnel
 * packet and is MOB_PKT_NOT_TUNNEL.  mob_pkt_parse_l2() accepts fragments:
 * MOB_PKT_OK, l4_ofs 0, ip_proto the protocol being fragmented.
 *
 * Offsets are 16 bits: an IP packet that would end beyond byte 65535 of the
 * frame is MOB_PKT_ERR_BAD_IPV4_LEN or MOB_PKT_ERR_BAD_IPV6_LEN.
 *
 * Trailing bytes beyond the IP total length (Ethernet padding) are ignored
 * and left alone: 'l3_len' is what the IP header says. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "mob-addr.h"

#define MOB_ETH_HLEN 14
#define MOB_VLAN_HLEN 4
#define MOB_IPV4_HLEN 20
#define MOB_IPV6_HLEN 40
#define MOB_UDP_HLEN 8
#define MOB_VXLAN_HLEN 8
#define MOB_GENEVE_HLEN 8
#define MOB_ARP_LEN 28
#define MOB_MAX_VLANS 2

#define MOB_ETH_TYPE_IPV4 0x0800
#define MOB_ETH_TYPE_ARP 0x0806
#define MOB_ETH_TYPE_RARP 0x8035
#define MOB_ETH_TYPE_VLAN 0x8100
#define MOB_ETH_TYPE_VLAN_8021AD 0x88a8
#define MOB_ETH_TYPE_IPV6 0x86dd
#define MOB_ETH_TYPE_TEB 0x6558

#define MOB_IPPROTO_UDP 17
#define MOB_IPPROTO_ICMPV6 58

#define MOB_VXLAN_PORT 4789
#define MOB_GENEVE_PORT 6081

/* VXLAN flags word: the I flag (valid VNI), RFC 7348. */
#define MOB_VXLAN_FLAG_I 0x08000000

/* The ovs-mobility redirect mark (see mob-redirect.h for when each is
 * used).  In VXLAN, reserved bit 1 of the flags byte, which neither
 * VXLAN-GPE nor VXLAN-GBP assigns.  In Geneve, an option with no data, of
 * class 0xfff7 (RFC 8926 "Experimental Use" range) and a type whose high
 * bit is clear, so that a receiver that does not know it ignores it. */
#define MOB_VXLAN_FLAG_REDIRECT 0x40000000
#define MOB_GENEVE_OPT_CLASS_MOBILITY 0xfff7
#define MOB_GENEVE_OPT_TYPE_REDIRECT 0x5d
#define MOB_GENEVE_OPT_CRITICAL 0x80    /* C bit of an option's type. */
#define MOB_GENEVE_FLAG_OAM 0x80        /* O bit of Geneve byte 1. */
#define MOB_GENEVE_FLAG_CRITICAL 0x40   /* C bit of Geneve byte 1. */

enum mob_tnl_type {
    MOB_TNL_NONE = 0,
    MOB_TNL_VXLAN = 1,
    MOB_TNL_GENEVE = 2,
};

const char *mob_tnl_type_to_string(enum mob_tnl_type);

#define MOB_PKT_ERRORS                                                    \
    MOB_PKT_ERROR(OK, "ok")                                               \
    MOB_PKT_ERROR(NOT_TUNNEL, "not a tunnel packet")                      \
    MOB_PKT_ERROR(ERR_TRUNC_ETH, "truncated Ethernet header")             \
    MOB_PKT_ERROR(ERR_TRUNC_VLAN, "truncated 802.1Q tag")                 \
    MOB_PKT_ERROR(ERR_TOO_MANY_VLANS, "more than 2 VLAN tags")            \
    MOB_PKT_ERROR(ERR_TRUNC_ARP, "truncated ARP/RARP")                    \
    MOB_PKT_ERROR(ERR_BAD_ARP, "ARP/RARP not Ethernet/IPv4")              \
    MOB_PKT_ERROR(ERR_TRUNC_IPV4, "truncated IPv4 header")                \
    MOB_PKT_ERROR(ERR_BAD_IPV4_VERSION, "IPv4 version not 4")             \
    MOB_PKT_ERROR(ERR_BAD_IPV4_IHL, "IPv4 header length below 20")        \
    MOB_PKT_ERROR(ERR_BAD_IPV4_LEN, "IPv4 total length inconsistent")     \
    MOB_PKT_ERROR(ERR_BAD_IPV4_CSUM, "IPv4 header checksum wrong")        \
    MOB_PKT_ERROR(ERR_FRAGMENT, "IP fragment")                            \
    MOB_PKT_ERROR(ERR_TRUNC_IPV6, "truncated IPv6 header")                \
    MOB_PKT_ERROR(ERR_BAD_IPV6_VERSION, "IPv6 version not 6")             \
    MOB_PKT_ERROR(ERR_BAD_IPV6_LEN, "IPv6 payload length too long")       \
    MOB_PKT_ERROR(ERR_TRUNC_IPV6_EXT, "truncated IPv6 extension header")  \
    MOB_PKT_ERROR(ERR_TRUNC_UDP, "truncated UDP header")                  \
    MOB_PKT_ERROR(ERR_BAD_UDP_LEN, "UDP length inconsistent")             \
    MOB_PKT_ERROR(ERR_TRUNC_ICMPV6, "truncated ICMPv6")                   \
    MOB_PKT_ERROR(ERR_TRUNC_VXLAN, "truncated VXLAN header")              \
    MOB_PKT_ERROR(ERR_BAD_VXLAN_FLAGS, "VXLAN I flag clear")              \
    MOB_PKT_ERROR(ERR_TRUNC_GENEVE, "truncated Geneve header")            \
    MOB_PKT_ERROR(ERR_BAD_GENEVE_VERSION, "Geneve version not 0")         \
    MOB_PKT_ERROR(ERR_BAD_GENEVE_PROTO, "Geneve protocol not Ethernet")   \
    MOB_PKT_ERROR(ERR_BAD_GENEVE_OPTLEN, "Geneve options overrun")        \
    MOB_PKT_ERROR(ERR_TRUNC_INNER_ETH, "truncated inner Ethernet")

enum mob_pkt_error {
#define MOB_PKT_ERROR(NAME, DESC) MOB_PKT_##NAME,
    MOB_PKT_ERRORS
#undef MOB_PKT_ERROR
    MOB_PKT_N_ERRORS
};

/* Returns a short English description of 'error', e.g. "truncated UDP
 * header".  Never returns NULL. */
const char *mob_pkt_error_to_string(enum mob_pkt_error error);

/* Returns a short identifier for 'error', e.g. "ERR_TRUNC_UDP". */
const char *mob_pkt_error_name(enum mob_pkt_error error);

/* Per-reason counters of parse results. */
struct mob_pkt_stats {
    uint64_t n[MOB_PKT_N_ERRORS];
};

static inline void
mob_pkt_stats_count(struct mob_pkt_stats *stats, enum mob_pkt_error error)
{
    stats->n[error < MOB_PKT_N_ERRORS ? error : MOB_PKT_OK]++;
}

/* Result of mob_pkt_parse_l2(): offsets are from the start of the frame; an
 * offset of 0 for an upper layer means "not present". */
struct mob_l2 {
    struct mob_eth_addr dst;
    struct mob_eth_addr src;
    uint16_t n_vlans;
    uint16_t vlan_tci[MOB_MAX_VLANS];
    uint16_t eth_type;          /* After any VLAN tags. */
    uint16_t l3_ofs;            /* Start of ARP/IPv4/IPv6 header. */
    uint16_t l3_len;            /* Bytes of L3 per its header (or what's
                                 * left for ARP). */
    uint8_t ip_proto;           /* Upper-layer protocol for IP, else 0. */
    uint8_t ip_ttl;             /* TTL or hop limit. */
    uint16_t l4_ofs;            /* Start of UDP/ICMPv6 header, or 0. */
    uint16_t l4_len;            /* Bytes from l4_ofs to end of L3 payload. */
    struct in6_addr ip_src;     /* IPv4-mapped for IPv4. */
    struct in6_addr ip_dst;
};

/* Parses Ethernet frame 'data' of 'len' bytes into '*l2'.  Returns
 * MOB_PKT_OK on success or the reason the frame is malformed.  A frame whose
 * L3 type is not one of ours is MOB_PKT_OK with l3_ofs == 0. */
enum mob_pkt_error mob_pkt_parse_l2(const uint8_t *data, size_t len,
                                    struct mob_l2 *l2);

/* UDP destination ports that mark a tunnel. */
struct mob_pkt_config {
    uint16_t vxlan_port;        /* Normally MOB_VXLAN_PORT. */
    uint16_t geneve_port;       /* Normally MOB_GENEVE_PORT. */
};

/* Fills '*cfg' with the IANA ports. */
void mob_pkt_config_init(struct mob_pkt_config *cfg);

/* A parsed underlay tunnel frame.  All offsets are from the start of the
 * frame, which is what mob_redirect_rewrite() needs to rewrite in place. */
struct mob_tnl_pkt {
    enum mob_tnl_type type;
    bool outer_ipv6;            /* IPv6 underlay? */
    uint8_t outer_ttl;          /* TTL or hop limit. */
    uint16_t n_vlans;           /* Outer VLAN tags. */

    struct mob_eth_addr outer_dst_mac;
    struct mob_eth_addr outer_src_mac;
    struct in6_addr outer_src;  /* IPv4-mapped for IPv4. */
    struct in6_addr outer_dst;
    uint16_t udp_src;
    uint16_t udp_dst;

    uint16_t l3_ofs;            /* Outer IP header. */
    uint16_t l3_hlen;           /* IPv4 IHL * 4, or 40 for IPv6 (the fixed
                                 * header: extension headers are part of
                                 * l4_ofs - l3_ofs). */
    uint16_t l4_ofs;            /* UDP header. */
    uint16_t tnl_ofs;           /* VXLAN or Geneve header. */
    uint16_t inner_ofs;         /* Inner Ethernet header. */
    uint16_t end_ofs;           /* End of the IP payload: bytes after it
                                 * are link-layer padding. */

    uint32_t vni;               /* 24-bit VNI. */
    uint32_t vxlan_flags;       /* The 32-bit VXLAN flags word. */
    uint8_t geneve_flags;       /* Geneve byte 1: O and C bits, reserved. */
    uint16_t geneve_opt_len;    /* Bytes of Geneve options. */
    uint16_t geneve_n_opts;     /* Number of Geneve options. */
    bool geneve_critical;       /* Some option has its C bit set. */
    bool redirect_mark;         /* Carries the ovs-mobility redirect mark
                                 * (see mob-redirect.h). */

    struct mob_eth_addr inner_dst;
    struct mob_eth_addr inner_src;
};

/* Parses underlay frame 'data' of 'len' bytes as a VXLAN or Geneve packet
 * per 'cfg' (NULL: IANA ports) into '*pkt'.  Returns MOB_PKT_OK for a
 * well-formed tunnel packet, MOB_PKT_NOT_TUNNEL for a well-formed frame that
 * is not one, or the reason it is malformed.  '*pkt' is meaningful only when
 * MOB_PKT_OK is returned. */
enum mob_pkt_error mob_pkt_parse_tunnel(const uint8_t *data, size_t len,
                                        const struct mob_pkt_config *cfg,
                                        struct mob_tnl_pkt *pkt);

/* Internet checksum helpers (RFC 1071, RFC 1624).  Values are in host
 * order.  mob_csum_add() sums big-endian 16-bit words; only the last piece
 * of a sum may have an odd length. */
uint16_t mob_csum(const void *data, size_t len);
uint32_t mob_csum_add(uint32_t partial, const void *data, size_t len);
uint16_t mob_csum_finish(uint32_t partial);
uint16_t mob_csum_update16(uint16_t csum, uint16_t old, uint16_t new);
uint16_t mob_csum_update32(uint16_t csum, uint32_t old, uint32_t new);

#endif /* mob-packet.h */
