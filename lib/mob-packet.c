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
#include "mob-packet.h"
#include "mob-packet-inline.h"

#include <string.h>

/* Every parser below keeps to one discipline: a header is read only after
 * the number of bytes left before the relevant end ('len' for the frame,
 * the IP end for L4, the UDP end for the tunnel) was compared with the
 * header's size.  Offsets are 'size_t' while parsing and are narrowed to
 * the 16-bit fields of the results only once the IP end, the largest of
 * them, is known to fit in 16 bits. */

#define IPV4_FLAG_MF 0x2000
#define IPV4_FRAG_OFFSET_MASK 0x1fff

#define IPV6_NH_HOPOPTS 0
#define IPV6_NH_ROUTING 43
#define IPV6_NH_FRAGMENT 44
#define IPV6_NH_DSTOPTS 60
#define IPV6_EXT_MIN_LEN 8
#define IPV6_FRAG_HLEN 8

#define ARP_HTYPE_ETH 1

#define MOB_ICMPV6_HLEN 4       /* Type, code, checksum. */
#define GENEVE_OPT_HLEN 4

static const char *const error_strings[MOB_PKT_N_ERRORS] = {
#define MOB_PKT_ERROR(NAME, DESC) DESC,
    MOB_PKT_ERRORS
#undef MOB_PKT_ERROR
};

static const char *const error_names[MOB_PKT_N_ERRORS] = {
#define MOB_PKT_ERROR(NAME, DESC) #NAME,
    MOB_PKT_ERRORS
#undef MOB_PKT_ERROR
};

/* Returns a short English description of 'error', or "unknown error" for a
 * value outside the enumeration. */
const char *
mob_pkt_error_to_string(enum mob_pkt_error error)
{
    return (unsigned int) error < MOB_PKT_N_ERRORS
           ? error_strings[error] : "unknown error";
}

/* Returns the identifier of 'error' without its MOB_PKT_ prefix, e.g.
 * "ERR_TRUNC_UDP", or "UNKNOWN" for a value outside the enumeration. */
const char *
mob_pkt_error_name(enum mob_pkt_error error)
{
    return (unsigned int) error < MOB_PKT_N_ERRORS
           ? error_names[error] : "UNKNOWN";
}

/* Returns "vxlan", "geneve" or "none" for 'type', "unknown" for a value
 * outside the enumeration. */
const char *
mob_tnl_type_to_string(enum mob_tnl_type type)
{
    switch (type) {
    case MOB_TNL_NONE:
        return "none";
    case MOB_TNL_VXLAN:
        return "vxlan";
    case MOB_TNL_GENEVE:
        return "geneve";
    }
    return "unknown";
}

/* Fills '*cfg' with the IANA-assigned VXLAN and Geneve UDP ports. */
void
mob_pkt_config_init(struct mob_pkt_config *cfg)
{
    cfg->vxlan_port = MOB_VXLAN_PORT;
    cfg->geneve_port = MOB_GENEVE_PORT;
}

/* Internet checksum. */

/* Adds the 'len' bytes at 'data', taken as big-endian 16-bit words (a final
 * odd byte as the high byte of a word padded with zero), to the partial
 * checksum 'partial' and returns the new partial sum, which is folded so
 * that it never overflows.  Pass 0 to start; only the last piece of data
 * may have an odd length.  Finish with mob_csum_finish(). */
uint32_t
mob_csum_add(uint32_t partial, const void *data_, size_t len)
{
    /* The one's complement sum does not depend on byte order (RFC 1071
     * section 2(B)): sum the data as native 32-bit words into 64 bits,
     * which cannot overflow for any buffer that fits in memory, fold to
     * 16 bits, and swap the bytes at the end on a little-endian host. */
    const uint8_t *data = data_;
    uint64_t sum = 0;
    uint16_t folded;

    for (; len >= 16; len -= 16, data += 16) {
        uint64_t a, b;

        memcpy(&a, data, 8);
        memcpy(&b, data + 8, 8);
        sum += (a & 0xffffffff) + (a >> 32) + (b & 0xffffffff) + (b >> 32);
    }
    for (; len >= 4; len -= 4, data += 4) {
        uint32_t w;

        memcpy(&w, data, 4);
        sum += w;
    }
    if (len >= 2) {
        uint16_t w;

        memcpy(&w, data, 2);
        sum += w;
        len -= 2;
        data += 2;
    }
    if (len) {
        /* The odd last byte is the high byte of a big-endian word. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        sum += data[0];
#else
        sum += (uint32_t) data[0] << 8;
#endif
    }

    /* Folding with end-around carries keeps a nonzero sum nonzero. */
    sum = (sum & 0xffffffff) + (sum >> 32);
    sum = (sum & 0xffffffff) + (sum >> 32);
    sum = (sum & 0xffff) + (sum >> 16);
    sum = (sum & 0xffff) + (sum >> 16);
    sum = (sum & 0xffff) + (sum >> 16);
    folded = sum;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    folded = (uint16_t) (folded << 8 | folded >> 8);
#endif

    sum = (uint64_t) partial + folded;
    return (sum & 0xffffffff) + (sum >> 32);
}

/* Folds partial sum 'partial' to 16 bits and returns its one's complement:
 * the checksum in host order, to be stored with mob_put_be16(). */
uint16_t
mob_csum_finish(uint32_t partial)
{
    while (partial >> 16) {
        partial = (partial & 0xffff) + (partial >> 16);
    }
    return ~partial;
}

/* Returns the Internet checksum (RFC 1071) of the 'len' bytes at 'data', in
 * host order.  A region that contains its own correct checksum sums to 0. */
uint16_t
mob_csum(const void *data, size_t len)
{
    return mob_csum_finish(mob_csum_add(0, data, len));
}

/* Returns checksum 'csum' updated for a 16-bit field that changed from
 * 'old' to 'new', all in host order, by RFC 1624 equation 3,
 * HC' = ~(~HC + ~m + m'), which (unlike equation 2) never turns a checksum
 * that should be 0x0000 into 0xffff. */
uint16_t
mob_csum_update16(uint16_t csum, uint16_t old, uint16_t new)
{
    uint32_t sum = (uint16_t) ~csum;

    sum += (uint16_t) ~old;
    sum += new;
    return mob_csum_finish(sum);
}

/* Returns checksum 'csum' updated for a 32-bit field that changed from
 * 'old' to 'new', all in host order (RFC 1624). */
uint16_t
mob_csum_update32(uint16_t csum, uint32_t old, uint32_t new)
{
    csum = mob_csum_update16(csum, old >> 16, new >> 16);
    return mob_csum_update16(csum, old & 0xffff, new & 0xffff);
}

/* Header parsing. */

/* Ethernet header with its VLAN tags. */
struct eth_info {
    struct mob_eth_addr dst;
    struct mob_eth_addr src;
    uint16_t n_vlans;
    uint16_t vlan_tci[MOB_MAX_VLANS];
    uint16_t eth_type;          /* After the tags. */
    size_t l3_ofs;              /* Just after the tags. */
};

/* Parses the Ethernet header and up to MOB_MAX_VLANS 802.1Q or 802.1ad
 * tags of the 'len' bytes at 'data' into '*eth'.  Returns MOB_PKT_OK or the
 * error. */
static enum mob_pkt_error
parse_eth(const uint8_t *data, size_t len, struct eth_info *eth)
{
    size_t ofs = MOB_ETH_HLEN;
    uint16_t type;

    if (len < MOB_ETH_HLEN) {
        return MOB_PKT_ERR_TRUNC_ETH;
    }
    memcpy(eth->dst.ea, data, MOB_ETH_ADDR_LEN);
    memcpy(eth->src.ea, data + MOB_ETH_ADDR_LEN, MOB_ETH_ADDR_LEN);
    type = mob_get_be16(data + 2 * MOB_ETH_ADDR_LEN);

    eth->n_vlans = 0;
    while (type == MOB_ETH_TYPE_VLAN || type == MOB_ETH_TYPE_VLAN_8021AD) {
        if (eth->n_vlans >= MOB_MAX_VLANS) {
            return MOB_PKT_ERR_TOO_MANY_VLANS;
        }
        if (len - ofs < MOB_VLAN_HLEN) {
            return MOB_PKT_ERR_TRUNC_VLAN;
        }
        eth->vlan_tci[eth->n_vlans++] = mob_get_be16(data + ofs);
        type = mob_get_be16(data + ofs + 2);
        ofs += MOB_VLAN_HLEN;
    }
    eth->eth_type = type;
    eth->l3_ofs = ofs;
    return MOB_PKT_OK;
}

/* An IPv4 or IPv6 header, extension headers skipped. */
struct ip_info {
    size_t hlen;                /* IHL * 4, or 40. */
    size_t l4_ofs;              /* After the IPv6 extension headers. */
    size_t end;                 /* End of the IP payload. */
    uint8_t proto;              /* Protocol, or last next header. */
    uint8_t ttl;
    bool frag;                  /* A fragment: 'l4_ofs' is not an L4
                                 * header.  For IPv6, 'proto' is the
                                 * fragment header's next header. */
    struct in6_addr src;        /* IPv4-mapped for IPv4. */
    struct in6_addr dst;
};

/* Parses the IPv4 header at offset 'ofs' of the 'len' bytes at 'data' into
 * '*ip', checking version, header length, total length and header
 * checksum.  Returns MOB_PKT_OK or the error. */
static enum mob_pkt_error
parse_ipv4(const uint8_t *data, size_t len, size_t ofs, struct ip_info *ip)
{
    const uint8_t *h = data + ofs;
    size_t hlen, tot_len;
    uint16_t frag;

    if (len - ofs < MOB_IPV4_HLEN) {
        return MOB_PKT_ERR_TRUNC_IPV4;
    }
    if (h[0] >> 4 != 4) {
        return MOB_PKT_ERR_BAD_IPV4_VERSION;
    }
    hlen = (h[0] & 0x0f) * 4;
    if (hlen < MOB_IPV4_HLEN) {
        return MOB_PKT_ERR_BAD_IPV4_IHL;
    }
    if (len - ofs < hlen) {
        return MOB_PKT_ERR_TRUNC_IPV4;
    }
    tot_len = mob_get_be16(h + 2);
    if (tot_len < hlen || tot_len > len - ofs
        || ofs + tot_len > UINT16_MAX) {
        return MOB_PKT_ERR_BAD_IPV4_LEN;
    }
    if (hlen == MOB_IPV4_HLEN) {
        /* The common case, inline. */
        if (!mob_pkt_ipv4_csum20_ok(h)) {
            return MOB_PKT_ERR_BAD_IPV4_CSUM;
        }
    } else if (mob_csum(h, hlen)) {
        return MOB_PKT_ERR_BAD_IPV4_CSUM;
    }

    frag = mob_get_be16(h + 6);
    ip->hlen = hlen;
    ip->l4_ofs = ofs + hlen;
    ip->end = ofs + tot_len;
    ip->proto = h[9];
    ip->ttl = h[8];
    ip->frag = (frag & (IPV4_FLAG_MF | IPV4_FRAG_OFFSET_MASK)) != 0;
    ip->src = mob_ip_from_v4_bytes(h + 12);
    ip->dst = mob_ip_from_v4_bytes(h + 16);
    return MOB_PKT_OK;
}

/* Parses the IPv6 header at offset 'ofs' of the 'len' bytes at 'data' into
 * '*ip', checking version and payload length, and skips hop-by-hop, routing
 * and destination options headers.  Stops after a fragment header, with
 * ip->frag set.  Returns MOB_PKT_OK or the error. */
static enum mob_pkt_error
parse_ipv6(const uint8_t *data, size_t len, size_t ofs, struct ip_info *ip)
{
    const uint8_t *h = data + ofs;
    size_t p, end;
    uint8_t nh;

    if (len - ofs < MOB_IPV6_HLEN) {
        return MOB_PKT_ERR_TRUNC_IPV6;
    }
    if (h[0] >> 4 != 6) {
        return MOB_PKT_ERR_BAD_IPV6_VERSION;
    }
    end = ofs + MOB_IPV6_HLEN + mob_get_be16(h + 4);
    if (end > len || end > UINT16_MAX) {
        return MOB_PKT_ERR_BAD_IPV6_LEN;
    }

    ip->frag = false;
    nh = h[6];
    p = ofs + MOB_IPV6_HLEN;
    for (;;) {
        if (nh == IPV6_NH_HOPOPTS || nh == IPV6_NH_ROUTING
            || nh == IPV6_NH_DSTOPTS) {
            size_t ext_len;

            if (end - p < IPV6_EXT_MIN_LEN) {
                return MOB_PKT_ERR_TRUNC_IPV6_EXT;
            }
            ext_len = (data[p + 1] + 1) * 8;
            if (end - p < ext_len) {
                return MOB_PKT_ERR_TRUNC_IPV6_EXT;
            }
            nh = data[p];
            p += ext_len;
        } else if (nh == IPV6_NH_FRAGMENT) {
            if (end - p < IPV6_FRAG_HLEN) {
                return MOB_PKT_ERR_TRUNC_IPV6_EXT;
            }
            nh = data[p];
            p += IPV6_FRAG_HLEN;
            ip->frag = true;
            break;
        } else {
            break;
        }
    }

    ip->hlen = MOB_IPV6_HLEN;
    ip->l4_ofs = p;
    ip->end = end;
    ip->proto = nh;
    ip->ttl = h[7];
    memcpy(&ip->src, h + 8, sizeof ip->src);
    memcpy(&ip->dst, h + 24, sizeof ip->dst);
    return MOB_PKT_OK;
}

/* Parses the IPv4 or IPv6 header (per 'eth_type') at offset 'ofs' of the
 * 'len' bytes at 'data' into '*ip'.  Returns MOB_PKT_OK or the error. */
static enum mob_pkt_error
parse_ip(const uint8_t *data, size_t len, size_t ofs, uint16_t eth_type,
         struct ip_info *ip)
{
    return (eth_type == MOB_ETH_TYPE_IPV4
            ? parse_ipv4(data, len, ofs, ip)
            : parse_ipv6(data, len, ofs, ip));
}

/* Checks the UDP header at offset 'ofs' of 'data', whose IP payload ends
 * at 'end', and stores its length field in '*udp_len'.  Returns MOB_PKT_OK
 * or the error. */
static enum mob_pkt_error
parse_udp(const uint8_t *data, size_t ofs, size_t end, size_t *udp_len)
{
    if (end - ofs < MOB_UDP_HLEN) {
        return MOB_PKT_ERR_TRUNC_UDP;
    }
    *udp_len = mob_get_be16(data + ofs + 4);
    if (*udp_len < MOB_UDP_HLEN || *udp_len > end - ofs) {
        return MOB_PKT_ERR_BAD_UDP_LEN;
    }
    return MOB_PKT_OK;
}

/* Parses Ethernet frame 'data' of 'len' bytes into '*l2'.  Returns
 * MOB_PKT_OK on success (with l3_ofs == 0 for an L3 type other than ARP,
 * RARP, IPv4 and IPv6, and l4_ofs == 0 for an IP fragment or an upper
 * layer other than UDP and ICMPv6) or the reason the frame is
 * malformed. */
enum mob_pkt_error
mob_pkt_parse_l2(const uint8_t *data, size_t len, struct mob_l2 *l2)
{
    struct eth_info eth;
    struct ip_info ip;
    enum mob_pkt_error error;

    memset(l2, 0, sizeof *l2);
    error = parse_eth(data, len, &eth);
    if (error) {
        return error;
    }
    l2->dst = eth.dst;
    l2->src = eth.src;
    l2->n_vlans = eth.n_vlans;
    memcpy(l2->vlan_tci, eth.vlan_tci, eth.n_vlans * sizeof *eth.vlan_tci);
    l2->eth_type = eth.eth_type;

    switch (eth.eth_type) {
    case MOB_ETH_TYPE_ARP:
    case MOB_ETH_TYPE_RARP: {
        const uint8_t *arp = data + eth.l3_ofs;
        size_t rest = len - eth.l3_ofs;

        if (rest < MOB_ARP_LEN) {
            return MOB_PKT_ERR_TRUNC_ARP;
        }
        if (mob_get_be16(arp) != ARP_HTYPE_ETH
            || mob_get_be16(arp + 2) != MOB_ETH_TYPE_IPV4
            || arp[4] != MOB_ETH_ADDR_LEN || arp[5] != 4) {
            return MOB_PKT_ERR_BAD_ARP;
        }
        l2->l3_ofs = eth.l3_ofs;
        l2->l3_len = rest < UINT16_MAX ? rest : UINT16_MAX;
        return MOB_PKT_OK;
    }

    case MOB_ETH_TYPE_IPV4:
    case MOB_ETH_TYPE_IPV6:
        break;

    default:
        return MOB_PKT_OK;
    }

    error = parse_ip(data, len, eth.l3_ofs, eth.eth_type, &ip);
    if (error) {
        return error;
    }
    l2->l3_ofs = eth.l3_ofs;
    l2->l3_len = ip.end - eth.l3_ofs;
    l2->ip_proto = ip.proto;
    l2->ip_ttl = ip.ttl;
    l2->ip_src = ip.src;
    l2->ip_dst = ip.dst;
    if (ip.frag) {
        return MOB_PKT_OK;
    }

    if (ip.proto == MOB_IPPROTO_UDP) {
        size_t udp_len;

        error = parse_udp(data, ip.l4_ofs, ip.end, &udp_len);
        if (error) {
            return error;
        }
    } else if (ip.proto == MOB_IPPROTO_ICMPV6
               && eth.eth_type == MOB_ETH_TYPE_IPV6) {
        if (ip.end - ip.l4_ofs < MOB_ICMPV6_HLEN) {
            return MOB_PKT_ERR_TRUNC_ICMPV6;
        }
    } else {
        return MOB_PKT_OK;
    }
    l2->l4_ofs = ip.l4_ofs;
    l2->l4_len = ip.end - ip.l4_ofs;
    return MOB_PKT_OK;
}

/* Parses the Geneve header at 'tnl_ofs' of 'data', whose UDP payload ends
 * at 'tnl_end', and its options into '*pkt'.  Returns MOB_PKT_OK or the
 * error. */
static enum mob_pkt_error
parse_geneve(const uint8_t *data, size_t tnl_ofs, size_t tnl_end,
             struct mob_tnl_pkt *pkt)
{
    const uint8_t *g = data + tnl_ofs;
    size_t opt_len, p, opt_end;

    if (tnl_end - tnl_ofs < MOB_GENEVE_HLEN) {
        return MOB_PKT_ERR_TRUNC_GENEVE;
    }
    if (g[0] >> 6) {
        return MOB_PKT_ERR_BAD_GENEVE_VERSION;
    }
    if (mob_get_be16(g + 2) != MOB_ETH_TYPE_TEB) {
        return MOB_PKT_ERR_BAD_GENEVE_PROTO;
    }
    opt_len = (g[0] & 0x3f) * 4;
    if (opt_len > tnl_end - tnl_ofs - MOB_GENEVE_HLEN) {
        return MOB_PKT_ERR_BAD_GENEVE_OPTLEN;
    }

    pkt->geneve_flags = g[1];
    pkt->geneve_opt_len = opt_len;
    pkt->vni = mob_get_be32(g + 4) >> 8;

    /* 'opt_len' and every option's length are multiples of 4, so whenever
     * p < opt_end there is room for an option header. */
    p = tnl_ofs + MOB_GENEVE_HLEN;
    opt_end = p + opt_len;
    while (p < opt_end) {
        uint16_t opt_class = mob_get_be16(data + p);
        uint8_t type = data[p + 2];
        size_t len = GENEVE_OPT_HLEN + (data[p + 3] & 0x1f) * 4;

        if (len > opt_end - p) {
            return MOB_PKT_ERR_BAD_GENEVE_OPTLEN;
        }
        if (type & MOB_GENEVE_OPT_CRITICAL) {
            pkt->geneve_critical = true;
        }
        if (opt_class == MOB_GENEVE_OPT_CLASS_MOBILITY
            && type == MOB_GENEVE_OPT_TYPE_REDIRECT) {
            pkt->redirect_mark = true;
        }
        pkt->geneve_n_opts++;
        p += len;
    }
    pkt->inner_ofs = opt_end;
    return MOB_PKT_OK;
}

/* Parses underlay frame 'data' of 'len' bytes as a VXLAN or Geneve packet
 * per 'cfg' (NULL: IANA ports) into '*pkt'.  Returns MOB_PKT_OK for a
 * well-formed tunnel packet, MOB_PKT_NOT_TUNNEL for a well-formed frame that
 * is not one, or the reason it is malformed. */
enum mob_pkt_error
mob_pkt_parse_tunnel(const uint8_t *data, size_t len,
                     const struct mob_pkt_config *cfg,
                     struct mob_tnl_pkt *pkt)
{
    uint16_t vxlan_port = cfg ? cfg->vxlan_port : MOB_VXLAN_PORT;
    uint16_t geneve_port = cfg ? cfg->geneve_port : MOB_GENEVE_PORT;
    size_t udp_len, tnl_ofs, tnl_end;
    enum mob_pkt_error error;
    struct eth_info eth;
    struct ip_info ip;
    uint16_t dport;

    memset(pkt, 0, sizeof *pkt);
    error = parse_eth(data, len, &eth);
    if (error) {
        return error;
    }
    if (eth.eth_type != MOB_ETH_TYPE_IPV4
        && eth.eth_type != MOB_ETH_TYPE_IPV6) {
        return MOB_PKT_NOT_TUNNEL;
    }
    error = parse_ip(data, len, eth.l3_ofs, eth.eth_type, &ip);
    if (error) {
        return error;
    }

    /* An IPv4 fragment says its protocol; an IPv6 fragment says only the
     * first header of its fragmentable part, which may be an extension
     * header in front of UDP. */
    if (ip.frag && (ip.proto == MOB_IPPROTO_UDP
                    || (eth.eth_type == MOB_ETH_TYPE_IPV6
                        && (ip.proto == IPV6_NH_HOPOPTS
                            || ip.proto == IPV6_NH_ROUTING
                            || ip.proto == IPV6_NH_DSTOPTS)))) {
        return MOB_PKT_ERR_FRAGMENT;
    }
    if (ip.frag || ip.proto != MOB_IPPROTO_UDP) {
        return MOB_PKT_NOT_TUNNEL;
    }

    error = parse_udp(data, ip.l4_ofs, ip.end, &udp_len);
    if (error) {
        return error;
    }
    dport = mob_get_be16(data + ip.l4_ofs + 2);
    tnl_ofs = ip.l4_ofs + MOB_UDP_HLEN;
    tnl_end = ip.l4_ofs + udp_len;

    if (dport == vxlan_port) {
        uint32_t flags;

        if (tnl_end - tnl_ofs < MOB_VXLAN_HLEN) {
            return MOB_PKT_ERR_TRUNC_VXLAN;
        }
        flags = mob_get_be32(data + tnl_ofs);
        if (!(flags & MOB_VXLAN_FLAG_I)) {
            return MOB_PKT_ERR_BAD_VXLAN_FLAGS;
        }
        pkt->type = MOB_TNL_VXLAN;
        pkt->vxlan_flags = flags;
        pkt->vni = mob_get_be32(data + tnl_ofs + 4) >> 8;
        pkt->redirect_mark = (flags & MOB_VXLAN_FLAG_REDIRECT) != 0;
        pkt->inner_ofs = tnl_ofs + MOB_VXLAN_HLEN;
    } else if (dport == geneve_port) {
        error = parse_geneve(data, tnl_ofs, tnl_end, pkt);
        if (error) {
            return error;
        }
        pkt->type = MOB_TNL_GENEVE;
    } else {
        return MOB_PKT_NOT_TUNNEL;
    }

    if (tnl_end - pkt->inner_ofs < MOB_ETH_HLEN) {
        return MOB_PKT_ERR_TRUNC_INNER_ETH;
    }
    memcpy(pkt->inner_dst.ea, data + pkt->inner_ofs, MOB_ETH_ADDR_LEN);
    memcpy(pkt->inner_src.ea, data + pkt->inner_ofs + MOB_ETH_ADDR_LEN,
           MOB_ETH_ADDR_LEN);

    pkt->outer_ipv6 = eth.eth_type == MOB_ETH_TYPE_IPV6;
    pkt->outer_ttl = ip.ttl;
    pkt->n_vlans = eth.n_vlans;
    pkt->outer_dst_mac = eth.dst;
    pkt->outer_src_mac = eth.src;
    pkt->outer_src = ip.src;
    pkt->outer_dst = ip.dst;
    pkt->udp_src = mob_get_be16(data + ip.l4_ofs);
    pkt->udp_dst = dport;
    pkt->l3_ofs = eth.l3_ofs;
    pkt->l3_hlen = ip.hlen;
    pkt->l4_ofs = ip.l4_ofs;
    pkt->tnl_ofs = tnl_ofs;
    pkt->end_ofs = ip.end;
    return MOB_PKT_OK;
}
