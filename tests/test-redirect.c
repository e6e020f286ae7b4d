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

/* Tests for lib/mob-redirect: the in-place re-encapsulation and the
 * old-VTEP pipeline.
 *
 * The story: VM 'vm_mac' lived behind VTEP A and moved to VTEP B.  Sender
 * S still encapsulates to A.  A third VTEP C exists for the cycle tests.
 * Node n has IPv4 address 192.0.2.n, IPv6 address 2001:db8::n and MAC
 * 02:00:00:00:00:0n, which is also the next-hop MAC the test neighbour
 * table gives for it.
 *
 * Expected frames are never produced by the code under test: either they
 * are literal bytes (generated and checked with tshark outside this
 * program), or tf_build() below writes every header field directly and
 * computes every checksum from scratch with the plain RFC 1071 sum in this
 * file, not with libmobility's incremental helpers. */

#include <config.h>
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>
#include "mob-redirect.h"
#include "tests/test-common.h"

#define HEADROOM 64
#define BUF_LEN (HEADROOM + 1024)
#define VNI 5001
#define UDP_SPORT 49152
#define NOW 1000

enum { NODE_A = 1, NODE_B = 2, NODE_S = 3, NODE_C = 4 };

static const struct mob_eth_addr vm_mac = {
    { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 }
};
static const struct mob_eth_addr vm2_mac = {
    { 0x52, 0x54, 0x00, 0x12, 0x34, 0x57 }
};
static const struct mob_eth_addr peer_mac = {
    { 0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc }
};

/* An inner frame for 'vm_mac' of a local experimental ethertype, so that
 * nothing in it looks like an announcement. */
static const uint8_t inner_frame[] = {
    0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x52, 0x54,
    0x00, 0xaa, 0xbb, 0xcc, 0x88, 0xb5, 0x00, 0x01,
    0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,
    0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11,
    0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19,
    0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
};

/* The same, for 'peer_mac' (a MAC that never moved). */
static const uint8_t inner_to_peer[] = {
    0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc, 0x52, 0x54,
    0x00, 0x12, 0x34, 0x56, 0x88, 0xb5, 0x00, 0x01,
    0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,
};

/* The same, for 'vm2_mac'. */
static const uint8_t inner_to_vm2[] = {
    0x52, 0x54, 0x00, 0x12, 0x34, 0x57, 0x52, 0x54,
    0x00, 0xaa, 0xbb, 0xcc, 0x88, 0xb5, 0x00, 0x01,
    0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,
};

/* Addresses of the nodes. */

/* Returns node 'node''s IPv4 address, IPv4-mapped. */
static struct in6_addr
t_vtep4(uint8_t node)
{
    return mob_ip_from_v4(0xc0000200 | node);
}

/* Returns node 'node''s IPv6 address. */
static struct in6_addr
t_vtep6(uint8_t node)
{
    struct in6_addr ip;

    memset(&ip, 0, sizeof ip);
    ip.s6_addr[0] = 0x20;
    ip.s6_addr[1] = 0x01;
    ip.s6_addr[2] = 0x0d;
    ip.s6_addr[3] = 0xb8;
    ip.s6_addr[15] = node;
    return ip;
}

/* Returns node 'node''s address of the family 'ipv6' says. */
static struct in6_addr
t_vtep(uint8_t node, bool ipv6)
{
    return ipv6 ? t_vtep6(node) : t_vtep4(node);
}

/* Returns node 'node''s MAC. */
static struct mob_eth_addr
t_mac(uint8_t node)
{
    struct mob_eth_addr mac = { { 0x02, 0, 0, 0, 0, node } };

    return mac;
}

/* The test neighbour table: every node's MAC is known, except the address
 * that 'aux' points to, if nonnull. */
static bool
t_neigh(void *aux, const struct in6_addr *ip, struct mob_eth_addr *mac)
{
    const struct in6_addr *unknown = aux;

    if (unknown && mob_ip_equals(ip, unknown)) {
        return false;
    }
    *mac = t_mac(ip->s6_addr[15]);
    return true;
}

/* Fills '*cfg' for node 'node': its addresses and MAC, the test neighbour
 * table, defaults otherwise. */
static void
t_cfg(struct mob_redirect_config *cfg, uint8_t node)
{
    mob_redirect_config_init(cfg);
    cfg->local_vtep4 = t_vtep4(node);
    cfg->local_vtep6 = t_vtep6(node);
    cfg->local_mac = t_mac(node);
    cfg->neigh_lookup = t_neigh;
}

/* Returns a table entry saying 'vm_mac' in VNI moved to 'vtep'. */
static struct mob_entry
t_entry(const struct in6_addr *vtep)
{
    struct mob_entry e;

    memset(&e, 0, sizeof e);
    e.vni = VNI;
    e.mac = vm_mac;
    e.vtep = *vtep;
    e.tnl_type = MOB_TNL_VXLAN;
    e.origin = MOB_ORIGIN_STATIC;
    return e;
}

/* RFC 1071 checksum, written out plainly. */

/* Adds the 'n' bytes at 'p', taken as big-endian 16-bit words starting at
 * an even offset, to 'sum' and returns it. */
static uint32_t
t_sum(uint32_t sum, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        sum += i % 2 ? p[i] : (uint32_t) p[i] << 8;
    }
    return sum;
}

/* Folds 'sum' to 16 bits with end-around carry and returns it. */
static uint16_t
t_fold(uint32_t sum)
{
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return sum;
}

/* Returns the sum of the UDP pseudo-header and the 'udp_len' bytes of UDP
 * at 'l4', for the IP header at 'l3'. */
static uint32_t
t_udp_sum(const uint8_t *l3, bool ipv6, const uint8_t *l4, size_t udp_len)
{
    uint32_t sum = ipv6 ? t_sum(0, l3 + 8, 32) : t_sum(0, l3 + 12, 8);

    sum += MOB_IPPROTO_UDP + udp_len;
    return t_sum(sum, l4, udp_len);
}

/* Writes 'x' big-endian at 'p'. */
static void
t_put16(uint8_t *p, uint16_t x)
{
    p[0] = x >> 8;
    p[1] = x;
}

/* Writes 'x' big-endian at 'p'. */
static void
t_put32(uint8_t *p, uint32_t x)
{
    t_put16(p, x >> 16);
    t_put16(p + 2, x);
}

/* A test frame builder: a description of an underlay frame, and a function
 * that writes it. */
struct tframe {
    struct mob_eth_addr eth_dst;
    struct mob_eth_addr eth_src;
    int n_vlans;
    uint16_t vlan_tpid[MOB_MAX_VLANS];
    uint16_t vlan_tci[MOB_MAX_VLANS];
    bool ipv6;
    struct in6_addr src;        /* IPv4-mapped for IPv4. */
    struct in6_addr dst;
    uint8_t ttl;
    uint8_t ip_opts[40];        /* IPv4 options... */
    size_t ip_opt_len;          /* ...and their length, a multiple of 4. */
    uint16_t udp_dst;
    bool udp_csum;              /* Compute a UDP checksum (else 0). */
    enum mob_tnl_type type;
    uint32_t vxlan_flags;
    uint8_t geneve_flags;       /* Geneve byte 1. */
    uint8_t opts[252];          /* Geneve options... */
    size_t opt_len;             /* ...and their length. */
    const uint8_t *inner;
    size_t inner_len;
    size_t pad;                 /* Ethernet padding after the IP packet. */
};

/* Writes the frame that 'tf' describes to 'buf' and returns its length. */
static size_t
tf_build(const struct tframe *tf, uint8_t *buf)
{
    size_t ip_hlen = tf->ipv6 ? MOB_IPV6_HLEN
                     : MOB_IPV4_HLEN + tf->ip_opt_len;
    size_t ofs, l3, l4, tnl, end, udp_len;

    memcpy(buf, tf->eth_dst.ea, 6);
    memcpy(buf + 6, tf->eth_src.ea, 6);
    ofs = 12;
    for (int i = 0; i < tf->n_vlans; i++) {
        t_put16(buf + ofs, tf->vlan_tpid[i]);
        t_put16(buf + ofs + 2, tf->vlan_tci[i]);
        ofs += 4;
    }
    t_put16(buf + ofs, tf->ipv6 ? 0x86dd : 0x0800);
    l3 = ofs + 2;
    l4 = l3 + ip_hlen;
    tnl = l4 + MOB_UDP_HLEN;

    if (tf->type == MOB_TNL_VXLAN) {
        t_put32(buf + tnl, tf->vxlan_flags);
        t_put32(buf + tnl + 4, VNI << 8);
        ofs = tnl + 8;
    } else {
        buf[tnl] = tf->opt_len / 4;
        buf[tnl + 1] = tf->geneve_flags;
        t_put16(buf + tnl + 2, 0x6558);
        t_put32(buf + tnl + 4, VNI << 8);
        memcpy(buf + tnl + 8, tf->opts, tf->opt_len);
        ofs = tnl + 8 + tf->opt_len;
    }
    memcpy(buf + ofs, tf->inner, tf->inner_len);
    end = ofs + tf->inner_len;
    udp_len = end - l4;

    t_put16(buf + l4, UDP_SPORT);
    t_put16(buf + l4 + 2, tf->udp_dst);
    t_put16(buf + l4 + 4, udp_len);
    t_put16(buf + l4 + 6, 0);

    if (tf->ipv6) {
        t_put32(buf + l3, 0x60012345);      /* Flow label 0x12345. */
        t_put16(buf + l3 + 4, udp_len);
        buf[l3 + 6] = MOB_IPPROTO_UDP;
        buf[l3 + 7] = tf->ttl;
        memcpy(buf + l3 + 8, tf->src.s6_addr, 16);
        memcpy(buf + l3 + 24, tf->dst.s6_addr, 16);
    } else {
        buf[l3] = 0x40 | (ip_hlen / 4);
        buf[l3 + 1] = 0;
        t_put16(buf + l3 + 2, ip_hlen + udp_len);
        t_put16(buf + l3 + 4, 0x1234);     /* Identification. */
        t_put16(buf + l3 + 6, 0x4000);     /* DF. */
        buf[l3 + 8] = tf->ttl;
        buf[l3 + 9] = MOB_IPPROTO_UDP;
        t_put16(buf + l3 + 10, 0);
        memcpy(buf + l3 + 12, &tf->src.s6_addr[12], 4);
        memcpy(buf + l3 + 16, &tf->dst.s6_addr[12], 4);
        memcpy(buf + l3 + 20, tf->ip_opts, tf->ip_opt_len);
        t_put16(buf + l3 + 10, ~t_fold(t_sum(0, buf + l3, ip_hlen)));
    }

    if (tf->udp_csum) {
        uint16_t csum = ~t_fold(t_udp_sum(buf + l3, tf->ipv6, buf + l4,
                                          udp_len));

        t_put16(buf + l4 + 6, csum ? csum : 0xffff);
    }

    for (size_t i = 0; i < tf->pad; i++) {
        buf[end + i] = 0xe0 + i;
    }
    return end + tf->pad;
}

/* Fills '*tf' with a packet of tunnel 'type' over IPv4 or IPv6 from S to A
 * for 'vm_mac', TTL 64, no UDP checksum. */
static void
tf_init(struct tframe *tf, enum mob_tnl_type type, bool ipv6)
{
    memset(tf, 0, sizeof *tf);
    tf->eth_dst = t_mac(NODE_A);
    tf->eth_src = t_mac(NODE_S);
    tf->ipv6 = ipv6;
    tf->src = t_vtep(NODE_S, ipv6);
    tf->dst = t_vtep(NODE_A, ipv6);
    tf->ttl = 64;
    tf->type = type;
    tf->udp_dst = type == MOB_TNL_VXLAN ? MOB_VXLAN_PORT : MOB_GENEVE_PORT;
    tf->vxlan_flags = MOB_VXLAN_FLAG_I;
    tf->inner = inner_frame;
    tf->inner_len = sizeof inner_frame;
}

/* Appends a Geneve option to '*tf'. */
static void
tf_add_opt(struct tframe *tf, uint16_t class, uint8_t type,
           const uint8_t *data, size_t data_len)
{
    uint8_t *o = tf->opts + tf->opt_len;

    t_put16(o, class);
    o[2] = type;
    o[3] = data_len / 4;
    if (data_len) {
        memcpy(o + 4, data, data_len);
    }
    tf->opt_len += 4 + data_len;
}

/* Gives '*tf' two Geneve options: OVN's (class 0x0102, type 0x80,
 * critical: logical ingress port 1, egress port 2), then another one of 8
 * bytes. */
static void
tf_add_two_opts(struct tframe *tf)
{
    static const uint8_t ovn[4] = { 0x00, 0x01, 0x00, 0x02 };
    static const uint8_t other[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

    tf_add_opt(tf, 0x0102, 0x80, ovn, sizeof ovn);
    tf_add_opt(tf, 0x0104, 0x01, other, sizeof other);
    tf->geneve_flags = MOB_GENEVE_FLAG_CRITICAL;
}

/* Prepends the ovs-mobility mark to the options of '*tf', as a redirect
 * must: class 0xfff7, type 0x5d, no data. */
static void
tf_prepend_mark(struct tframe *tf)
{
    memmove(tf->opts + 4, tf->opts, tf->opt_len);
    tf->opts[0] = 0xff;
    tf->opts[1] = 0xf7;
    tf->opts[2] = 0x5d;
    tf->opts[3] = 0x00;
    tf->opt_len += 4;
}

/* Turns '*tf' into what node 'from' sends to node 'to': Ethernet from
 * 'from' to 'to', IP destination 'to'.  The test sets the IP source, the
 * TTL and the mark itself. */
static void
tf_expect(struct tframe *tf, uint8_t from, uint8_t to)
{
    tf->eth_dst = t_mac(to);
    tf->eth_src = t_mac(from);
    tf->dst = t_vtep(to, tf->ipv6);
}

/* Checks, from scratch, that the IPv4 header checksum (if IPv4) and the
 * UDP checksum (if nonzero) of the underlay frame 'frame' of 'len' bytes
 * verify, and that its IP and UDP lengths agree.  Knows only the frames
 * tf_build() makes. */
static void
t_verify_csums(const uint8_t *frame, size_t len)
{
    size_t ofs = 12, l3, l4, ip_len, udp_len;
    uint16_t type = frame[ofs] << 8 | frame[ofs + 1];
    bool ipv6;

    while (type == 0x8100 || type == 0x88a8) {
        ofs += 4;
        type = frame[ofs] << 8 | frame[ofs + 1];
    }
    l3 = ofs + 2;
    ipv6 = type == 0x86dd;
    CU_ASSERT_FATAL(ipv6 || type == 0x0800);
    if (ipv6) {
        l4 = l3 + MOB_IPV6_HLEN;
        ip_len = MOB_IPV6_HLEN + (frame[l3 + 4] << 8 | frame[l3 + 5]);
    } else {
        l4 = l3 + (frame[l3] & 0xf) * 4;
        ip_len = frame[l3 + 2] << 8 | frame[l3 + 3];
        CU_ASSERT_EQUAL(t_fold(t_sum(0, frame + l3, l4 - l3)), 0xffff);
    }
    CU_ASSERT_FATAL(l3 + ip_len <= len);
    udp_len = frame[l4 + 4] << 8 | frame[l4 + 5];
    CU_ASSERT_EQUAL(l4 + udp_len, l3 + ip_len);
    if (frame[l4 + 6] || frame[l4 + 7]) {
        CU_ASSERT_EQUAL(t_fold(t_udp_sum(frame + l3, ipv6, frame + l4,
                                         udp_len)), 0xffff);
    }
}

/* Asserts that the 'len' bytes at 'a' and 'b' are equal, and says where
 * they first differ if not. */
static void
t_assert_bytes(const uint8_t *a, const uint8_t *b, size_t len)
{
    size_t i;

    for (i = 0; i < len && a[i] == b[i]; i++) {
        continue;
    }
    if (i < len) {
        printf("# first difference at byte %zu: %02x != %02x\n",
               i, a[i], b[i]);
    }
    CU_ASSERT_EQUAL(i, len);
}

/* Builds 'in', runs parse + decide + rewrite on it as node A would per
 * 'cfg' for 'entry', and asserts that the result is byte for byte 'out',
 * that its checksums verify from scratch, and that no byte around it
 * changed. */
static void
t_check_rewrite(const struct tframe *in, const struct tframe *out,
                const struct mob_redirect_config *cfg,
                const struct mob_entry *entry)
{
    uint8_t buf[BUF_LEN], exp[BUF_LEN];
    struct mob_tnl_pkt pkt;
    struct mob_eth_addr nh;
    size_t len, exp_len;
    int grow;

    memset(buf, 0xee, sizeof buf);
    len = tf_build(in, buf + HEADROOM);
    exp_len = tf_build(out, exp);
    t_verify_csums(buf + HEADROOM, len);

    CU_ASSERT_EQUAL_FATAL(mob_pkt_parse_tunnel(buf + HEADROOM, len,
                                               &cfg->pkt, &pkt),
                          MOB_PKT_OK);
    CU_ASSERT_EQUAL(mob_redirect_decide(&pkt, entry, cfg), MOB_RD_REDIRECT);
    CU_ASSERT_FATAL(t_neigh(cfg->neigh_aux, &entry->vtep, &nh));
    grow = mob_redirect_rewrite(buf + HEADROOM, len, HEADROOM, &pkt, entry,
                                &nh, cfg);
    CU_ASSERT_EQUAL_FATAL(grow, (int) exp_len - (int) len);

    t_assert_bytes(buf + HEADROOM - grow, exp, exp_len);
    t_verify_csums(buf + HEADROOM - grow, exp_len);
    for (size_t i = 0; i < BUF_LEN; i++) {
        if (i < HEADROOM - grow || i >= HEADROOM + len) {
            CU_ASSERT_EQUAL_FATAL(buf[i], 0xee);
        }
    }
}

/* Byte-exact rewrites. */

/* The literal frames below were generated outside this program (Python
 * struct) and checked with tshark -o ip.check_checksum:TRUE -o
 * udp.check_checksum:TRUE (both "Good"): VXLAN/IPv4 from 192.0.2.3 to
 * 192.0.2.1, TTL 62, UDP checksum 0xc146, VNI 5001; redirected to
 * 192.0.2.2 keeping the source (TTL 61, UDP checksum 0xc145), and with
 * this VTEP as source and the VXLAN mark (TTL 64, flags 0x48, UDP checksum
 * 0x8147). */
static const uint8_t lit_in[] = {
    0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00,
    0x00, 0x00, 0x00, 0x03, 0x08, 0x00, 0x45, 0x00,
    0x00, 0x42, 0x12, 0x34, 0x40, 0x00, 0x3e, 0x11,
    0xa6, 0x72, 0xc0, 0x00, 0x02, 0x03, 0xc0, 0x00,
    0x02, 0x01, 0xc0, 0x00, 0x12, 0xb5, 0x00, 0x2e,
    0xc1, 0x46, 0x08, 0x00, 0x00, 0x00, 0x00, 0x13,
    0x89, 0x00, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56,
    0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc, 0x88, 0xb5,
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
    0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
};
static const uint8_t lit_keep[] = {
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00,
    0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x45, 0x00,
    0x00, 0x42, 0x12, 0x34, 0x40, 0x00, 0x3d, 0x11,
    0xa7, 0x71, 0xc0, 0x00, 0x02, 0x03, 0xc0, 0x00,
    0x02, 0x02, 0xc0, 0x00, 0x12, 0xb5, 0x00, 0x2e,
    0xc1, 0x45, 0x08, 0x00, 0x00, 0x00, 0x00, 0x13,
    0x89, 0x00, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56,
    0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc, 0x88, 0xb5,
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
    0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
};
static const uint8_t lit_local_mark[] = {
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00,
    0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x45, 0x00,
    0x00, 0x42, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11,
    0xa4, 0x73, 0xc0, 0x00, 0x02, 0x01, 0xc0, 0x00,
    0x02, 0x02, 0xc0, 0x00, 0x12, 0xb5, 0x00, 0x2e,
    0x81, 0x47, 0x48, 0x00, 0x00, 0x00, 0x00, 0x13,
    0x89, 0x00, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56,
    0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc, 0x88, 0xb5,
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
    0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
};

/* Rewrites 'lit_in' as node A per 'cfg' and compares with 'exp'. */
static void
t_check_literal(const struct mob_redirect_config *cfg, const uint8_t *exp)
{
    struct in6_addr b = t_vtep4(NODE_B);
    struct mob_entry entry = t_entry(&b);
    struct mob_eth_addr nh = t_mac(NODE_B);
    uint8_t buf[sizeof lit_in];
    struct mob_tnl_pkt pkt;

    memcpy(buf, lit_in, sizeof buf);
    CU_ASSERT_EQUAL_FATAL(mob_pkt_parse_tunnel(buf, sizeof buf, &cfg->pkt,
                                               &pkt), MOB_PKT_OK);
    CU_ASSERT_EQUAL(mob_redirect_decide(&pkt, &entry, cfg),
                    MOB_RD_REDIRECT);
    CU_ASSERT_EQUAL(mob_redirect_rewrite(buf, sizeof buf, 0, &pkt, &entry,
                                         &nh, cfg), 0);
    t_assert_bytes(buf, exp, sizeof buf);
    t_verify_csums(buf, sizeof buf);
}

/* The literal frames, both source modes. */
static void
test_literal_vxlan4(void)
{
    struct mob_redirect_config cfg;

    t_cfg(&cfg, NODE_A);
    t_check_literal(&cfg, lit_keep);

    cfg.src_mode = MOB_SRC_LOCAL;
    cfg.vxlan_mark = true;
    t_check_literal(&cfg, lit_local_mark);
}

/* VXLAN/IPv4, UDP checksum 0, keeping the source, unmarked: TTL 63. */
static void
test_vxlan4_keep_csum0(void)
{
    struct in6_addr b = t_vtep4(NODE_B);
    struct mob_entry entry = t_entry(&b);
    struct mob_redirect_config cfg;
    struct tframe in, out;

    t_cfg(&cfg, NODE_A);
    tf_init(&in, MOB_TNL_VXLAN, false);
    out = in;
    tf_expect(&out, NODE_A, NODE_B);
    out.ttl = 63;
    t_check_rewrite(&in, &out, &cfg, &entry);
}

/* VXLAN/IPv4 with a UDP checksum, this VTEP as source, marked: fresh TTL,
 * checksum still right. */
static void
test_vxlan4_local_mark_csum(void)
{
    struct in6_addr b = t_vtep4(NODE_B);
    struct mob_entry entry = t_entry(&b);
    struct mob_redirect_config cfg;
    struct tframe in, out;

    t_cfg(&cfg, NODE_A);
    cfg.src_mode = MOB_SRC_LOCAL;
    cfg.vxlan_mark = true;
    tf_init(&in, MOB_TNL_VXLAN, false);
    in.udp_csum = true;
    in.ttl = 50;
    out = in;
    tf_expect(&out, NODE_A, NODE_B);
    out.src = t_vtep4(NODE_A);
    out.ttl = 64;
    out.vxlan_flags = 0x48000000;
    t_check_rewrite(&in, &out, &cfg, &entry);

    /* Unmarked, the TTL is one less than received. */
    cfg.vxlan_mark = false;
    out.vxlan_flags = 0x08000000;
    out.ttl = 49;
    t_check_rewrite(&in, &out, &cfg, &entry);

    /* A configured TTL caps it, and is used as is when marked. */
    cfg.ttl = 16;
    out.ttl = 16;
    t_check_rewrite(&in, &out, &cfg, &entry);
    cfg.vxlan_mark = true;
    out.vxlan_flags = 0x48000000;
    in.ttl = 2;
    t_check_rewrite(&in, &out, &cfg, &entry);
}

/* Two outer VLAN tags (802.1ad over 802.1Q) are kept. */
static void
test_vxlan4_vlans(void)
{
    struct in6_addr b = t_vtep4(NODE_B);
    struct mob_entry entry = t_entry(&b);
    struct mob_redirect_config cfg;
    struct tframe in, out;

    t_cfg(&cfg, NODE_A);
    tf_init(&in, MOB_TNL_VXLAN, false);
    in.n_vlans = 2;
    in.vlan_tpid[0] = 0x88a8;
    in.vlan_tci[0] = 0x2064;
    in.vlan_tpid[1] = 0x8100;
    in.vlan_tci[1] = 0x00c8;
    in.udp_csum = true;
    out = in;
    tf_expect(&out, NODE_A, NODE_B);
    out.ttl = 63;
    t_check_rewrite(&in, &out, &cfg, &entry);
}

/* IPv4 with 8 bytes of options (IHL 7), UDP checksum, this VTEP as
 * source, and link-layer padding after the IP packet: options and padding
 * kept. */
static void
test_vxlan4_ip_options(void)
{
    static const uint8_t opts[8] = {
        0x94, 0x04, 0x00, 0x00,         /* Router alert. */
        0x01, 0x01, 0x01, 0x00,         /* NOP, NOP, NOP, end. */
    };
    struct in6_addr b = t_vtep4(NODE_B);
    struct mob_entry entry = t_entry(&b);
    struct mob_redirect_config cfg;
    struct tframe in, out;

    t_cfg(&cfg, NODE_A);
    cfg.src_mode = MOB_SRC_LOCAL;
    tf_init(&in, MOB_TNL_VXLAN, false);
    memcpy(in.ip_opts, opts, sizeof opts);
    in.ip_opt_len = sizeof opts;
    in.udp_csum = true;
    in.pad = 6;
    out = in;
    tf_expect(&out, NODE_A, NODE_B);
    out.src = t_vtep4(NODE_A);
    out.ttl = 63;
    t_check_rewrite(&in, &out, &cfg, &entry);
}

/* VXLAN/IPv6 with a UDP checksum, both source modes, marked and not. */
static void
test_vxlan6(void)
{
    struct in6_addr b = t_vtep6(NODE_B);
    struct mob_entry entry = t_entry(&b);
    struct mob_redirect_config cfg;
    struct tframe in, out;

    t_cfg(&cfg, NODE_A);
    tf_init(&in, MOB_TNL_VXLAN, true);
    in.udp_csum = true;
    in.ttl = 60;
    out = in;
    tf_expect(&out, NODE_A, NODE_B);
    out.ttl = 59;
    t_check_rewrite(&in, &out, &cfg, &entry);

    cfg.src_mode = MOB_SRC_LOCAL;
    cfg.vxlan_mark = true;
    out.src = t_vtep6(NODE_A);
    out.ttl = 64;
    out.vxlan_flags = 0x48000000;
    t_check_rewrite(&in, &out, &cfg, &entry);
}

/* Geneve/IPv4 with OVN's option and another: the mark goes first, the
 * frame grows by 4 at its front, lengths and checksums follow, the
 * options and the C flag are kept. */
static void
test_geneve4_mark(void)
{
    struct in6_addr b = t_vtep4(NODE_B);
    struct mob_entry entry = t_entry(&b);
    struct mob_redirect_config cfg;
    struct tframe in, out;

    t_cfg(&cfg, NODE_A);
    tf_init(&in, MOB_TNL_GENEVE, false);
    tf_add_two_opts(&in);
    in.udp_csum = true;
    in.ttl = 40;
    out = in;
    tf_expect(&out, NODE_A, NODE_B);
    tf_prepend_mark(&out);
    out.ttl = 64;
    t_check_rewrite(&in, &out, &cfg, &entry);

    /* Zero UDP checksum stays zero; this VTEP as source. */
    in.udp_csum = false;
    out.udp_csum = false;
    cfg.src_mode = MOB_SRC_LOCAL;
    out.src = t_vtep4(NODE_A);
    t_check_rewrite(&in, &out, &cfg, &entry);
}

/* A UDP checksum that computes to zero after the rewrite is sent as
 * 0xffff (RFC 768), never as 0, which would mean "no checksum". */
static void
test_udp_csum_all_ones(void)
{
    struct in6_addr b = t_vtep4(NODE_B);
    struct mob_entry entry = t_entry(&b);
    uint8_t inner[sizeof inner_frame], buf[BUF_LEN];
    struct mob_redirect_config cfg;
    struct tframe in, out;
    size_t l4 = MOB_ETH_HLEN + MOB_IPV4_HLEN, len;
    uint16_t sum;

    t_cfg(&cfg, NODE_A);
    memcpy(inner, inner_frame, sizeof inner);
    inner[sizeof inner - 2] = inner[sizeof inner - 1] = 0;
    tf_init(&in, MOB_TNL_VXLAN, false);
    in.inner = inner;
    in.udp_csum = true;
    out = in;
    tf_expect(&out, NODE_A, NODE_B);
    out.ttl = 63;

    /* Choose the inner frame's last word so that the expected output's
     * sum, checksum field excluded, is 0xffff. */
    out.udp_csum = false;
    len = tf_build(&out, buf);
    sum = t_fold(t_udp_sum(buf + MOB_ETH_HLEN, false, buf + l4, len - l4));
    t_put16(inner + sizeof inner - 2, 0xffff - sum);
    out.udp_csum = true;
    len = tf_build(&out, buf);
    CU_ASSERT_EQUAL_FATAL(buf[l4 + 6] << 8 | buf[l4 + 7], 0xffff);

    t_check_rewrite(&in, &out, &cfg, &entry);
}

/* Geneve with the mark turned off: no growth, the TTL decreases. */
static void
test_geneve4_no_mark(void)
{
    struct in6_addr b = t_vtep4(NODE_B);
    struct mob_entry entry = t_entry(&b);
    struct mob_redirect_config cfg;
    struct tframe in, out;

    t_cfg(&cfg, NODE_A);
    cfg.geneve_mark = false;
    tf_init(&in, MOB_TNL_GENEVE, false);
    tf_add_two_opts(&in);
    in.udp_csum = true;
    out = in;
    tf_expect(&out, NODE_A, NODE_B);
    out.ttl = 63;
    t_check_rewrite(&in, &out, &cfg, &entry);
}

/* Geneve with no options, behind a VLAN tag, with padding: the mark
 * becomes the only option, the tag and the padding stay. */
static void
test_geneve4_vlan_pad(void)
{
    struct in6_addr b = t_vtep4(NODE_B);
    struct mob_entry entry = t_entry(&b);
    struct mob_redirect_config cfg;
    struct tframe in, out;

    t_cfg(&cfg, NODE_A);
    tf_init(&in, MOB_TNL_GENEVE, false);
    in.n_vlans = 1;
    in.vlan_tpid[0] = 0x8100;
    in.vlan_tci[0] = 0xa00a;
    in.udp_csum = true;
    in.pad = 10;
    out = in;
    tf_expect(&out, NODE_A, NODE_B);
    tf_prepend_mark(&out);
    t_check_rewrite(&in, &out, &cfg, &entry);
}

/* Geneve/IPv6, with a UDP checksum and with a zero one (RFC 6935). */
static void
test_geneve6(void)
{
    struct in6_addr b = t_vtep6(NODE_B);
    struct mob_entry entry = t_entry(&b);
    struct mob_redirect_config cfg;
    struct tframe in, out;

    t_cfg(&cfg, NODE_A);
    tf_init(&in, MOB_TNL_GENEVE, true);
    tf_add_two_opts(&in);
    in.udp_csum = true;
    in.ttl = 3;
    out = in;
    tf_expect(&out, NODE_A, NODE_B);
    tf_prepend_mark(&out);
    out.ttl = 64;
    t_check_rewrite(&in, &out, &cfg, &entry);

    in.udp_csum = false;
    out.udp_csum = false;
    cfg.src_mode = MOB_SRC_LOCAL;
    out.src = t_vtep6(NODE_A);
    t_check_rewrite(&in, &out, &cfg, &entry);
}

/* Decisions and loop safety without a table. */

/* Parses frame 'tf' and returns mob_redirect_decide()'s verdict for an
 * entry to 'vtep' per 'cfg'. */
static enum mob_redirect_verdict
t_decide(const struct tframe *tf, const struct in6_addr *vtep,
         const struct mob_redirect_config *cfg)
{
    struct mob_entry entry = t_entry(vtep);
    struct mob_tnl_pkt pkt;
    uint8_t buf[BUF_LEN];
    size_t len = tf_build(tf, buf);

    CU_ASSERT_EQUAL_FATAL(mob_pkt_parse_tunnel(buf, len, &cfg->pkt, &pkt),
                          MOB_PKT_OK);
    return mob_redirect_decide(&pkt, &entry, cfg);
}

/* Packets that carry the mark are never redirected again. */
static void
test_loop_marked(void)
{
    struct in6_addr b = t_vtep4(NODE_B);
    struct mob_redirect_config cfg;
    struct tframe tf;

    t_cfg(&cfg, NODE_A);
    tf_init(&tf, MOB_TNL_VXLAN, false);
    CU_ASSERT_EQUAL(t_decide(&tf, &b, &cfg), MOB_RD_REDIRECT);

    /* The VXLAN flag is honoured whether or not we set it ourselves. */
    tf.vxlan_flags |= MOB_VXLAN_FLAG_REDIRECT;
    CU_ASSERT_EQUAL(t_decide(&tf, &b, &cfg), MOB_RD_LOOP_MARKED);
    cfg.vxlan_mark = true;
    CU_ASSERT_EQUAL(t_decide(&tf, &b, &cfg), MOB_RD_LOOP_MARKED);

    /* The Geneve option, anywhere among the options. */
    tf_init(&tf, MOB_TNL_GENEVE, false);
    tf_add_two_opts(&tf);
    CU_ASSERT_EQUAL(t_decide(&tf, &b, &cfg), MOB_RD_REDIRECT);
    tf_add_opt(&tf, 0xfff7, 0x5d, NULL, 0);
    CU_ASSERT_EQUAL(t_decide(&tf, &b, &cfg), MOB_RD_LOOP_MARKED);
}

/* Never back to the sender, never to ourselves. */
static void
test_loop_sender_self(void)
{
    struct mob_redirect_config cfg;
    struct in6_addr ip;
    struct tframe tf;

    for (int v6 = 0; v6 < 2; v6++) {
        t_cfg(&cfg, NODE_A);
        tf_init(&tf, MOB_TNL_VXLAN, v6);

        ip = t_vtep(NODE_S, v6);
        CU_ASSERT_EQUAL(t_decide(&tf, &ip, &cfg), MOB_RD_LOOP_SENDER);
        ip = t_vtep(NODE_A, v6);
        CU_ASSERT_EQUAL(t_decide(&tf, &ip, &cfg), MOB_RD_LOOP_SELF);

        /* Our other family's address is us too. */
        ip = t_vtep(NODE_A, !v6);
        CU_ASSERT_EQUAL(t_decide(&tf, &ip, &cfg), MOB_RD_LOOP_SELF);

        /* Without configured addresses, the outer destination is us. */
        memset(&cfg.local_vtep4, 0, sizeof cfg.local_vtep4);
        memset(&cfg.local_vtep6, 0, sizeof cfg.local_vtep6);
        ip = t_vtep(NODE_A, v6);
        CU_ASSERT_EQUAL(t_decide(&tf, &ip, &cfg), MOB_RD_LOOP_SELF);
        ip = t_vtep(NODE_B, v6);
        CU_ASSERT_EQUAL(t_decide(&tf, &ip, &cfg), MOB_RD_REDIRECT);
    }
}

/* The TTL rule of packets that leave unmarked. */
static void
test_loop_ttl(void)
{
    struct in6_addr b = t_vtep4(NODE_B);
    struct mob_entry entry = t_entry(&b);
    struct mob_redirect_config cfg;
    struct tframe in, out;

    t_cfg(&cfg, NODE_A);
    tf_init(&in, MOB_TNL_VXLAN, false);
    in.ttl = 1;
    CU_ASSERT_EQUAL(t_decide(&in, &b, &cfg), MOB_RD_LOOP_TTL);
    in.ttl = 0;
    CU_ASSERT_EQUAL(t_decide(&in, &b, &cfg), MOB_RD_LOOP_TTL);
    cfg.src_mode = MOB_SRC_LOCAL;
    CU_ASSERT_EQUAL(t_decide(&in, &b, &cfg), MOB_RD_LOOP_TTL);

    /* TTL 2 leaves with 1. */
    cfg.src_mode = MOB_SRC_KEEP;
    in.ttl = 2;
    out = in;
    tf_expect(&out, NODE_A, NODE_B);
    out.ttl = 1;
    t_check_rewrite(&in, &out, &cfg, &entry);

    /* A packet that leaves marked gets a fresh TTL whatever it had. */
    in.ttl = 1;
    cfg.vxlan_mark = true;
    out.ttl = 64;
    out.vxlan_flags |= MOB_VXLAN_FLAG_REDIRECT;
    t_check_rewrite(&in, &out, &cfg, &entry);

    tf_init(&in, MOB_TNL_GENEVE, false);
    in.ttl = 1;
    CU_ASSERT_EQUAL(t_decide(&in, &b, &cfg), MOB_RD_REDIRECT);
    cfg.geneve_mark = false;
    CU_ASSERT_EQUAL(t_decide(&in, &b, &cfg), MOB_RD_LOOP_TTL);
}

/* The checks run in the documented order: marked, self, sender, TTL,
 * address family. */
static void
test_verdict_order(void)
{
    struct in6_addr a = t_vtep4(NODE_A), s = t_vtep4(NODE_S);
    struct in6_addr b6 = t_vtep6(NODE_B);
    struct mob_redirect_config cfg;
    struct tframe tf;

    t_cfg(&cfg, NODE_A);
    tf_init(&tf, MOB_TNL_VXLAN, false);
    tf.ttl = 1;
    CU_ASSERT_EQUAL(t_decide(&tf, &b6, &cfg), MOB_RD_LOOP_TTL);
    CU_ASSERT_EQUAL(t_decide(&tf, &s, &cfg), MOB_RD_LOOP_SENDER);
    CU_ASSERT_EQUAL(t_decide(&tf, &a, &cfg), MOB_RD_LOOP_SELF);
    tf.vxlan_flags |= MOB_VXLAN_FLAG_REDIRECT;
    CU_ASSERT_EQUAL(t_decide(&tf, &a, &cfg), MOB_RD_LOOP_MARKED);
    CU_ASSERT_EQUAL(t_decide(&tf, &s, &cfg), MOB_RD_LOOP_MARKED);

    tf.ttl = 64;
    tf.vxlan_flags = MOB_VXLAN_FLAG_I;
    CU_ASSERT_EQUAL(t_decide(&tf, &b6, &cfg), MOB_RD_AF_MISMATCH);
}

/* Asserts that rewrite refuses 'tf' for 'vtep' with 'headroom' bytes of
 * headroom, changing nothing. */
static void
t_check_refused(const struct tframe *tf, const struct in6_addr *vtep,
                const struct mob_redirect_config *cfg, size_t headroom)
{
    struct mob_entry entry = t_entry(vtep);
    uint8_t buf[BUF_LEN], copy[BUF_LEN];
    struct mob_eth_addr nh = t_mac(NODE_B);
    struct mob_tnl_pkt pkt;
    size_t len;

    memset(buf, 0xee, sizeof buf);
    len = tf_build(tf, buf + HEADROOM);
    memcpy(copy, buf, sizeof buf);
    CU_ASSERT_EQUAL_FATAL(mob_pkt_parse_tunnel(buf + HEADROOM, len,
                                               &cfg->pkt, &pkt),
                          MOB_PKT_OK);
    CU_ASSERT_EQUAL(mob_redirect_rewrite(buf + HEADROOM, len, headroom,
                                         &pkt, &entry, &nh, cfg), -1);
    CU_ASSERT_EQUAL(memcmp(buf, copy, sizeof buf), 0);
}

/* Rewrites that cannot be done leave every byte alone. */
static void
test_refusals(void)
{
    static const uint8_t big[124];
    struct in6_addr b4 = t_vtep4(NODE_B), b6 = t_vtep6(NODE_B);
    struct mob_redirect_config cfg;
    struct tframe tf;

    t_cfg(&cfg, NODE_A);

    /* Address family. */
    tf_init(&tf, MOB_TNL_VXLAN, false);
    CU_ASSERT_EQUAL(t_decide(&tf, &b6, &cfg), MOB_RD_AF_MISMATCH);
    t_check_refused(&tf, &b6, &cfg, HEADROOM);
    tf_init(&tf, MOB_TNL_GENEVE, true);
    CU_ASSERT_EQUAL(t_decide(&tf, &b4, &cfg), MOB_RD_AF_MISMATCH);
    t_check_refused(&tf, &b4, &cfg, HEADROOM);

    /* Headroom for the Geneve mark. */
    tf_init(&tf, MOB_TNL_GENEVE, false);
    tf_add_two_opts(&tf);
    t_check_refused(&tf, &b4, &cfg, MOB_GENEVE_MARK_LEN - 1);
    t_check_refused(&tf, &b4, &cfg, 0);

    /* No room left in the Geneve options: 252 bytes already. */
    tf_init(&tf, MOB_TNL_GENEVE, false);
    tf_add_opt(&tf, 0x0104, 0x01, big, 124);
    tf_add_opt(&tf, 0x0104, 0x02, big, 120);
    CU_ASSERT_EQUAL(tf.opt_len, 252);
    t_check_refused(&tf, &b4, &cfg, HEADROOM);
}

/* The pipeline. */

/* A frame in a buffer with headroom, as a receive path holds it. */
struct tpkt {
    uint8_t buf[BUF_LEN];
    uint8_t *frame;
    size_t len;
    size_t headroom;
};

/* Builds 'tf' into 'tp', with HEADROOM bytes of headroom. */
static void
tp_build(struct tpkt *tp, const struct tframe *tf)
{
    memset(tp->buf, 0xee, sizeof tp->buf);
    tp->frame = tp->buf + HEADROOM;
    tp->headroom = HEADROOM;
    tp->len = tf_build(tf, tp->frame);
}

/* Runs the pipeline on 'tp' and, after a redirect, makes 'tp' describe the
 * rewritten frame.  Returns the action. */
static enum mob_action
tp_process(struct tpkt *tp, struct mob_table *table,
           const struct mob_redirect_config *cfg, struct mob_result *res)
{
    enum mob_action action;

    action = mob_redirect_process(tp->frame, tp->len, tp->headroom, table,
                                  cfg, NOW, res);
    CU_ASSERT_EQUAL(action, res->action);
    if (action == MOB_ACT_REDIRECT) {
        tp->frame -= res->grow;
        tp->len += res->grow;
        tp->headroom -= res->grow;
    }
    return action;
}

/* Runs the pipeline on 'tp' and asserts that it returns 'action' with
 * 'verdict' after a table hit, and leaves every byte of 'tp' as it was. */
static void
tp_expect_unchanged(struct tpkt *tp, struct mob_table *table,
                    const struct mob_redirect_config *cfg,
                    enum mob_action action, enum mob_redirect_verdict verdict)
{
    uint8_t copy[BUF_LEN];
    struct mob_result res;

    memcpy(copy, tp->buf, sizeof copy);
    CU_ASSERT_EQUAL(tp_process(tp, table, cfg, &res), action);
    CU_ASSERT(res.hit);
    CU_ASSERT_EQUAL(res.verdict, verdict);
    CU_ASSERT_EQUAL(memcmp(copy, tp->buf, sizeof copy), 0);
}

/* Creates a table in which ('VNI', 'mac') moved to 'vtep'. */
static struct mob_table *
t_table(const struct mob_eth_addr *mac, const struct in6_addr *vtep)
{
    struct mob_table *table = mob_table_create(NULL);
    struct mob_learn req;

    CU_ASSERT_PTR_NOT_NULL_FATAL(table);
    memset(&req, 0, sizeof req);
    req.vni = VNI;
    req.mac = *mac;
    req.vtep = *vtep;
    req.tnl_type = MOB_TNL_VXLAN;
    req.origin = MOB_ORIGIN_STATIC;
    CU_ASSERT_EQUAL(mob_table_learn(table, &req, NOW, NULL), MOB_LEARN_NEW);
    return table;
}

/* Writes QEMU's RARP for 'vm_mac' to 'buf' (60 bytes). */
static size_t
t_build_rarp(uint8_t *buf)
{
    memset(buf, 0, 60);
    memset(buf, 0xff, 6);
    memcpy(buf + 6, vm_mac.ea, 6);
    t_put16(buf + 12, 0x8035);
    t_put16(buf + 14, 1);               /* Ethernet. */
    t_put16(buf + 16, 0x0800);          /* IPv4. */
    buf[18] = 6;
    buf[19] = 4;
    t_put16(buf + 20, 3);               /* Request reverse. */
    memcpy(buf + 22, vm_mac.ea, 6);     /* sha; spa 0.0.0.0. */
    memcpy(buf + 32, vm_mac.ea, 6);     /* tha; tpa 0.0.0.0. */
    return 60;
}

/* Writes a gratuitous ARP request for 'vm_mac' owning 10.0.0.5 to 'buf'
 * (60 bytes). */
static size_t
t_build_garp(uint8_t *buf)
{
    static const uint8_t ip[4] = { 10, 0, 0, 5 };

    memset(buf, 0, 60);
    memset(buf, 0xff, 6);
    memcpy(buf + 6, vm_mac.ea, 6);
    t_put16(buf + 12, 0x0806);
    t_put16(buf + 14, 1);
    t_put16(buf + 16, 0x0800);
    buf[18] = 6;
    buf[19] = 4;
    t_put16(buf + 20, 1);               /* Request. */
    memcpy(buf + 22, vm_mac.ea, 6);
    memcpy(buf + 28, ip, 4);
    memcpy(buf + 38, ip, 4);
    return 60;
}

/* Writes an unsolicited neighbour advertisement for 'vm_mac' owning
 * 2001:db8:1::10 to 'buf' (86 bytes). */
static size_t
t_build_na(uint8_t *buf)
{
    uint8_t *ip6 = buf + 14, *icmp = buf + 54;
    uint32_t sum;

    memset(buf, 0, 86);
    buf[0] = 0x33;
    buf[1] = 0x33;
    buf[5] = 0x01;
    memcpy(buf + 6, vm_mac.ea, 6);
    t_put16(buf + 12, 0x86dd);
    t_put32(ip6, 0x60000000);
    t_put16(ip6 + 4, 32);
    ip6[6] = MOB_IPPROTO_ICMPV6;
    ip6[7] = 255;
    t_put32(ip6 + 8, 0x20010db8);       /* Source 2001:db8:1::10. */
    t_put16(ip6 + 12, 1);
    ip6[23] = 0x10;
    ip6[24] = 0xff;                     /* Destination ff02::1. */
    ip6[25] = 0x02;
    ip6[39] = 0x01;
    icmp[0] = 136;
    t_put32(icmp + 4, 0x20000000);      /* Override; not solicited. */
    memcpy(icmp + 8, ip6 + 8, 16);      /* Target. */
    icmp[24] = 2;                       /* Target link-layer address. */
    icmp[25] = 1;
    memcpy(icmp + 26, vm_mac.ea, 6);
    sum = t_sum(0, ip6 + 8, 32) + MOB_IPPROTO_ICMPV6 + 32;
    t_put16(icmp + 2, ~t_fold(t_sum(sum, icmp, 32)));
    return 86;
}

/* Fills '*tf' with announcement 'ann' ('len' bytes) sent by node B to
 * node A in a tunnel of 'type'. */
static void
tf_init_announce(struct tframe *tf, enum mob_tnl_type type, bool ipv6,
                 const uint8_t *ann, size_t len)
{
    tf_init(tf, type, ipv6);
    tf->eth_src = t_mac(NODE_B);
    tf->src = t_vtep(NODE_B, ipv6);
    tf->inner = ann;
    tf->inner_len = len;
}

/* Runs announcement 'tf' through node A's pipeline into 'table' and
 * asserts that it is delivered locally, unchanged, and that it taught the
 * table that 'vm_mac' is at B by way of 'origin'. */
static void
t_check_learn(const struct tframe *tf, struct mob_table *table,
              enum mob_origin origin)
{
    struct in6_addr b = t_vtep(NODE_B, tf->ipv6);
    struct mob_redirect_config cfg;
    struct mob_entry entry;
    struct mob_result res;
    uint8_t copy[BUF_LEN];
    struct tpkt tp;

    t_cfg(&cfg, NODE_A);
    tp_build(&tp, tf);
    memcpy(copy, tp.buf, sizeof copy);
    CU_ASSERT_EQUAL(tp_process(&tp, table, &cfg, &res), MOB_ACT_LOCAL);
    CU_ASSERT_EQUAL(memcmp(copy, tp.buf, sizeof copy), 0);
    CU_ASSERT_EQUAL(res.parse, MOB_PKT_OK);
    CU_ASSERT(res.announce);
    CU_ASSERT(!res.hit);
    CU_ASSERT(mob_eth_addr_equals(&res.ann.mac, &vm_mac));
    CU_ASSERT_EQUAL(res.learn, MOB_LEARN_NEW);
    CU_ASSERT(mob_ip_equals(&res.entry.vtep, &b));

    CU_ASSERT_FATAL(mob_table_lookup(table, VNI, &vm_mac, &entry));
    CU_ASSERT(mob_ip_equals(&entry.vtep, &b));
    CU_ASSERT_EQUAL(entry.tnl_type, tf->type);
    CU_ASSERT_EQUAL(entry.origin, origin);
    CU_ASSERT_EQUAL(entry.learned, NOW);
    CU_ASSERT(!mob_table_lookup(table, VNI + 1, &vm_mac, NULL));
}

/* A QEMU RARP inside VXLAN from B teaches A; a later packet for the VM is
 * redirected to B and counted on the entry; a packet for another MAC is
 * delivered locally. */
static void
test_pipeline_rarp(void)
{
    struct mob_table *table = mob_table_create(NULL);
    struct mob_redirect_config cfg;
    struct tframe in, out;
    struct mob_entry entry;
    struct mob_result res;
    uint8_t rarp[60], exp[BUF_LEN];
    struct tpkt tp;
    size_t len;

    CU_ASSERT_PTR_NOT_NULL_FATAL(table);
    t_cfg(&cfg, NODE_A);
    tf_init_announce(&in, MOB_TNL_VXLAN, false, rarp, t_build_rarp(rarp));
    t_check_learn(&in, table, MOB_ORIGIN_RARP);

    tf_init(&in, MOB_TNL_VXLAN, false);
    in.udp_csum = true;
    tp_build(&tp, &in);
    len = tp.len;
    CU_ASSERT_EQUAL(tp_process(&tp, table, &cfg, &res), MOB_ACT_REDIRECT);
    CU_ASSERT(res.hit && !res.announce);
    CU_ASSERT_EQUAL(res.verdict, MOB_RD_REDIRECT);
    CU_ASSERT_EQUAL(res.grow, 0);
    out = in;
    tf_expect(&out, NODE_A, NODE_B);
    out.ttl = 63;
    CU_ASSERT_EQUAL_FATAL(tf_build(&out, exp), tp.len);
    t_assert_bytes(tp.frame, exp, tp.len);
    t_verify_csums(tp.frame, tp.len);

    CU_ASSERT_FATAL(mob_table_lookup(table, VNI, &vm_mac, &entry));
    CU_ASSERT_EQUAL(entry.hit_packets, 1);
    CU_ASSERT_EQUAL(entry.hit_bytes, len);

    /* A miss is delivered locally, untouched. */
    in.inner = inner_to_peer;
    in.inner_len = sizeof inner_to_peer;
    tp_build(&tp, &in);
    memcpy(exp, tp.buf, sizeof tp.buf);
    CU_ASSERT_EQUAL(tp_process(&tp, table, &cfg, &res), MOB_ACT_LOCAL);
    CU_ASSERT(!res.hit && !res.announce);
    CU_ASSERT_EQUAL(memcmp(exp, tp.buf, sizeof tp.buf), 0);
    CU_ASSERT(!mob_table_lookup(table, VNI, &peer_mac, NULL));

    mob_table_destroy(table);
}

/* A gratuitous ARP inside Geneve teaches A; the next Geneve packet is
 * redirected with the mark. */
static void
test_pipeline_garp_geneve(void)
{
    struct mob_table *table = mob_table_create(NULL);
    struct mob_redirect_config cfg;
    struct tframe in, out;
    struct mob_result res;
    uint8_t garp[60], exp[BUF_LEN];
    struct tpkt tp;

    CU_ASSERT_PTR_NOT_NULL_FATAL(table);
    t_cfg(&cfg, NODE_A);
    tf_init_announce(&in, MOB_TNL_GENEVE, false, garp, t_build_garp(garp));
    tf_add_two_opts(&in);
    t_check_learn(&in, table, MOB_ORIGIN_GARP);

    tf_init(&in, MOB_TNL_GENEVE, false);
    tf_add_two_opts(&in);
    in.udp_csum = true;
    tp_build(&tp, &in);
    CU_ASSERT_EQUAL(tp_process(&tp, table, &cfg, &res), MOB_ACT_REDIRECT);
    CU_ASSERT_EQUAL(res.grow, MOB_GENEVE_MARK_LEN);
    out = in;
    tf_expect(&out, NODE_A, NODE_B);
    tf_prepend_mark(&out);
    CU_ASSERT_EQUAL_FATAL(tf_build(&out, exp), tp.len);
    t_assert_bytes(tp.frame, exp, tp.len);

    mob_table_destroy(table);
}

/* An unsolicited NA inside VXLAN over IPv6 teaches A. */
static void
test_pipeline_na_ipv6(void)
{
    struct mob_table *table = mob_table_create(NULL);
    struct tframe in;
    uint8_t na[86];

    CU_ASSERT_PTR_NOT_NULL_FATAL(table);
    tf_init_announce(&in, MOB_TNL_VXLAN, true, na, t_build_na(na));
    in.udp_csum = true;
    t_check_learn(&in, table, MOB_ORIGIN_NA);
    mob_table_destroy(table);
}

/* Malformed frames are rejected with their reason and left alone; other
 * traffic is local. */
static void
test_pipeline_reject(void)
{
    struct in6_addr b = t_vtep4(NODE_B);
    struct mob_table *table = t_table(&vm_mac, &b);
    struct mob_redirect_config cfg;
    struct mob_result res;
    uint8_t copy[BUF_LEN];
    struct tframe tf;
    struct tpkt tp;

    t_cfg(&cfg, NODE_A);
    tf_init(&tf, MOB_TNL_VXLAN, false);

    /* Truncated inside the Ethernet header. */
    tp_build(&tp, &tf);
    tp.len = 10;
    memcpy(copy, tp.buf, sizeof copy);
    CU_ASSERT_EQUAL(tp_process(&tp, table, &cfg, &res), MOB_ACT_REJECT);
    CU_ASSERT_EQUAL(res.parse, MOB_PKT_ERR_TRUNC_ETH);
    CU_ASSERT_EQUAL(memcmp(copy, tp.buf, sizeof copy), 0);

    /* Bad IPv4 header checksum. */
    tp_build(&tp, &tf);
    tp.frame[24] ^= 0x01;
    memcpy(copy, tp.buf, sizeof copy);
    CU_ASSERT_EQUAL(tp_process(&tp, table, &cfg, &res), MOB_ACT_REJECT);
    CU_ASSERT_EQUAL(res.parse, MOB_PKT_ERR_BAD_IPV4_CSUM);
    CU_ASSERT_EQUAL(memcmp(copy, tp.buf, sizeof copy), 0);

    /* VXLAN without the I flag. */
    tf.vxlan_flags = 0;
    tp_build(&tp, &tf);
    CU_ASSERT_EQUAL(tp_process(&tp, table, &cfg, &res), MOB_ACT_REJECT);
    CU_ASSERT_EQUAL(res.parse, MOB_PKT_ERR_BAD_VXLAN_FLAGS);

    /* Not a tunnel port: local, not rejected. */
    tf_init(&tf, MOB_TNL_VXLAN, false);
    tf.udp_dst = 53;
    tp_build(&tp, &tf);
    CU_ASSERT_EQUAL(tp_process(&tp, table, &cfg, &res), MOB_ACT_LOCAL);
    CU_ASSERT_EQUAL(res.parse, MOB_PKT_NOT_TUNNEL);
    CU_ASSERT(!res.hit);

    mob_table_destroy(table);
}

/* Fallbacks (local delivery, untouched) and drops through the pipeline. */
static void
test_pipeline_fallbacks(void)
{
    struct in6_addr b4 = t_vtep4(NODE_B), b6 = t_vtep6(NODE_B);
    struct mob_table *table = t_table(&vm_mac, &b4);
    struct mob_redirect_config cfg;
    struct mob_result res;
    uint8_t copy[BUF_LEN];
    struct tframe tf;
    struct tpkt tp;

    t_cfg(&cfg, NODE_A);

    /* Next hop unknown, or no neighbour table at all. */
    tf_init(&tf, MOB_TNL_VXLAN, false);
    tp_build(&tp, &tf);
    cfg.neigh_aux = &b4;
    tp_expect_unchanged(&tp, table, &cfg, MOB_ACT_LOCAL, MOB_RD_NO_NEIGH);
    cfg.neigh_lookup = NULL;
    tp_expect_unchanged(&tp, table, &cfg, MOB_ACT_LOCAL, MOB_RD_NO_NEIGH);
    t_cfg(&cfg, NODE_A);

    /* No headroom for the Geneve mark; VXLAN needs none. */
    tf_init(&tf, MOB_TNL_GENEVE, false);
    tp_build(&tp, &tf);
    tp.headroom = MOB_GENEVE_MARK_LEN - 1;
    tp_expect_unchanged(&tp, table, &cfg, MOB_ACT_LOCAL, MOB_RD_NO_ROOM);
    tf_init(&tf, MOB_TNL_VXLAN, false);
    tp_build(&tp, &tf);
    tp.headroom = 0;
    CU_ASSERT_EQUAL(tp_process(&tp, table, &cfg, &res), MOB_ACT_REDIRECT);

    /* Already marked: dropped. */
    tf.vxlan_flags |= MOB_VXLAN_FLAG_REDIRECT;
    tp_build(&tp, &tf);
    tp_expect_unchanged(&tp, table, &cfg, MOB_ACT_DROP, MOB_RD_LOOP_MARKED);

    /* The VM moved to an IPv6 VTEP; this underlay is IPv4. */
    mob_table_destroy(table);
    table = t_table(&vm_mac, &b6);
    tf_init(&tf, MOB_TNL_VXLAN, false);
    tp_build(&tp, &tf);
    tp_expect_unchanged(&tp, table, &cfg, MOB_ACT_LOCAL,
                        MOB_RD_AF_MISMATCH);

    /* Flooded to a multicast group: the new VTEP has its copy. */
    tf.dst = mob_ip_from_v4(0xef010101);
    tf.eth_dst.ea[0] = 0x01;
    tp_build(&tp, &tf);
    memcpy(copy, tp.buf, sizeof copy);
    mob_table_destroy(table);
    table = t_table(&vm_mac, &b4);
    CU_ASSERT_EQUAL(tp_process(&tp, table, &cfg, &res), MOB_ACT_LOCAL);
    CU_ASSERT(!res.hit);
    CU_ASSERT_EQUAL(memcmp(copy, tp.buf, sizeof copy), 0);

    /* Either the IP or the MAC destination says so. */
    tf.eth_dst = t_mac(NODE_A);
    tp_build(&tp, &tf);
    CU_ASSERT_EQUAL(tp_process(&tp, table, &cfg, &res), MOB_ACT_LOCAL);
    CU_ASSERT(!res.hit);
    tf.dst = mob_ip_from_v4(0xffffffff);
    tp_build(&tp, &tf);
    CU_ASSERT_EQUAL(tp_process(&tp, table, &cfg, &res), MOB_ACT_LOCAL);
    CU_ASSERT(!res.hit);
    tf.dst = t_vtep4(NODE_A);
    tf.eth_dst.ea[0] = 0x01;
    tp_build(&tp, &tf);
    CU_ASSERT_EQUAL(tp_process(&tp, table, &cfg, &res), MOB_ACT_LOCAL);
    CU_ASSERT(!res.hit);
    tf.eth_dst = t_mac(NODE_A);
    tp_build(&tp, &tf);
    CU_ASSERT_EQUAL(tp_process(&tp, table, &cfg, &res), MOB_ACT_REDIRECT);

    mob_table_destroy(table);
}

/* With no table, nothing is learned or redirected. */
static void
test_pipeline_no_table(void)
{
    struct mob_redirect_config cfg;
    struct mob_result res;
    struct tframe tf;
    uint8_t rarp[60];
    struct tpkt tp;

    t_cfg(&cfg, NODE_A);
    tf_init_announce(&tf, MOB_TNL_VXLAN, false, rarp, t_build_rarp(rarp));
    tp_build(&tp, &tf);
    CU_ASSERT_EQUAL(tp_process(&tp, NULL, &cfg, &res), MOB_ACT_LOCAL);
    CU_ASSERT(res.announce);
    CU_ASSERT_EQUAL(res.ann.type, MOB_ANN_RARP);
    CU_ASSERT_EQUAL(res.learn, MOB_LEARN_INVALID);

    tf_init(&tf, MOB_TNL_VXLAN, false);
    tp_build(&tp, &tf);
    CU_ASSERT_EQUAL(tp_process(&tp, NULL, &cfg, &res), MOB_ACT_LOCAL);
    CU_ASSERT(!res.hit && !res.announce);
}

/* Ping-pong: two or three VTEPs whose tables disagree. */

/* A node: its configuration and its table, which says 'vm_mac' is at
 * node 'at'. */
struct tnode {
    uint8_t id;
    struct mob_redirect_config cfg;
    struct mob_table *table;
};

/* Makes '*n' node 'id', whose table says the VM is at node 'at'. */
static void
tn_init(struct tnode *n, uint8_t id, uint8_t at, bool ipv6)
{
    struct in6_addr vtep = t_vtep(at, ipv6);

    n->id = id;
    t_cfg(&n->cfg, id);
    n->table = t_table(&vm_mac, &vtep);
}

/* Sends 'tf' (from S to node 0) around 'nodes' (n of them, each
 * redirecting to the next) until one of them does not redirect.  Asserts
 * that each redirect leaves with a UDP checksum that verifies and, if
 * 'ttl_decreases', a TTL strictly below the last.  Returns the number of
 * redirects and stores the last result in '*res'. */
static int
t_bounce(const struct tframe *tf, struct tnode *nodes, int n,
         bool ttl_decreases, struct mob_result *res)
{
    int last_ttl = 256, redirects = 0;
    struct mob_tnl_pkt pkt;
    struct tpkt tp;

    tp_build(&tp, tf);
    for (int i = 0; ; i = (i + 1) % n) {
        struct tnode *node = &nodes[i];

        if (tp_process(&tp, node->table, &node->cfg, res)
            != MOB_ACT_REDIRECT) {
            return redirects;
        }
        redirects++;
        CU_ASSERT_FATAL(redirects < 1000);
        t_verify_csums(tp.frame, tp.len);
        CU_ASSERT_EQUAL_FATAL(mob_pkt_parse_tunnel(tp.frame, tp.len, NULL,
                                                   &pkt), MOB_PKT_OK);
        CU_ASSERT(mob_ip_equals(&pkt.outer_dst,
                                &res->entry.vtep));
        if (ttl_decreases) {
            CU_ASSERT_FATAL(pkt.outer_ttl < last_ttl);
        }
        last_ttl = pkt.outer_ttl;
    }
}

/* A says the VM is at B, B says it is at A. */
static void
t_pingpong(enum mob_tnl_type type, bool ipv6, enum mob_src_mode mode,
           bool mark, int exp_redirects, enum mob_redirect_verdict exp)
{
    struct tnode nodes[2];
    struct mob_result res;
    struct tframe tf;

    tn_init(&nodes[0], NODE_A, NODE_B, ipv6);
    tn_init(&nodes[1], NODE_B, NODE_A, ipv6);
    for (int i = 0; i < 2; i++) {
        nodes[i].cfg.src_mode = mode;
        nodes[i].cfg.vxlan_mark = mark;
        nodes[i].cfg.geneve_mark = mark;
    }
    tf_init(&tf, type, ipv6);
    tf.udp_csum = true;
    CU_ASSERT_EQUAL(t_bounce(&tf, nodes, 2, !mark, &res), exp_redirects);
    CU_ASSERT_EQUAL(res.action, MOB_ACT_DROP);
    CU_ASSERT_EQUAL(res.verdict, exp);
    for (int i = 0; i < 2; i++) {
        mob_table_destroy(nodes[i].table);
    }
}

/* Marked: B drops A's redirect. */
static void
test_pingpong_marked(void)
{
    /* Geneve: B sees the mark. */
    t_pingpong(MOB_TNL_GENEVE, false, MOB_SRC_KEEP, true, 1,
               MOB_RD_LOOP_MARKED);
    t_pingpong(MOB_TNL_GENEVE, true, MOB_SRC_KEEP, true, 1,
               MOB_RD_LOOP_MARKED);
    /* VXLAN with the mark on. */
    t_pingpong(MOB_TNL_VXLAN, false, MOB_SRC_KEEP, true, 1,
               MOB_RD_LOOP_MARKED);
}

/* This VTEP as source: B drops A's redirect by the sender rule. */
static void
test_pingpong_local(void)
{
    /* Unmarked, this VTEP as source: B sees that A sent it. */
    t_pingpong(MOB_TNL_VXLAN, false, MOB_SRC_LOCAL, false, 1,
               MOB_RD_LOOP_SENDER);
    t_pingpong(MOB_TNL_VXLAN, true, MOB_SRC_LOCAL, false, 1,
               MOB_RD_LOOP_SENDER);
}

/* Unmarked with the source kept: the bounces die of TTL. */
static void
test_pingpong_ttl(void)
{
    /* Unmarked, source kept: S sent with TTL 64; each bounce costs one,
     * and the copy that arrives with TTL 1 is dropped: 63 redirects. */
    t_pingpong(MOB_TNL_VXLAN, false, MOB_SRC_KEEP, false, 63,
               MOB_RD_LOOP_TTL);
    t_pingpong(MOB_TNL_VXLAN, true, MOB_SRC_KEEP, false, 63,
               MOB_RD_LOOP_TTL);
    t_pingpong(MOB_TNL_GENEVE, false, MOB_SRC_KEEP, false, 63,
               MOB_RD_LOOP_TTL);
}

/* A says B, B says C, C says A: nobody's entry is the sender, even with
 * this VTEP as source, and unmarked packets still die of TTL. */
static void
test_cycle_three(void)
{
    struct tnode nodes[3];
    struct mob_result res;
    struct tframe tf;

    for (int mode = MOB_SRC_KEEP; mode <= MOB_SRC_LOCAL; mode++) {
        tn_init(&nodes[0], NODE_A, NODE_B, false);
        tn_init(&nodes[1], NODE_B, NODE_C, false);
        tn_init(&nodes[2], NODE_C, NODE_A, false);
        for (int i = 0; i < 3; i++) {
            nodes[i].cfg.src_mode = mode;
        }
        tf_init(&tf, MOB_TNL_VXLAN, false);
        CU_ASSERT_EQUAL(t_bounce(&tf, nodes, 3, true, &res), 63);
        CU_ASSERT_EQUAL(res.verdict, MOB_RD_LOOP_TTL);
        for (int i = 0; i < 3; i++) {
            mob_table_destroy(nodes[i].table);
        }
    }
}

/* Statistics. */

/* Runs 'tp' through the pipeline and counts it in '*stats'. */
static enum mob_action
t_count(struct tpkt *tp, struct mob_table *table,
        const struct mob_redirect_config *cfg,
        struct mob_redirect_stats *stats)
{
    size_t len = tp->len;
    struct mob_result res;

    tp_process(tp, table, cfg, &res);
    mob_redirect_stats_count(stats, &res, len);
    return res.action;
}

/* Every counter after a known mix of frames, and their identities. */
static void
test_stats(void)
{
    struct in6_addr c = t_vtep4(NODE_C);
    struct mob_table *table = t_table(&vm2_mac, &c);
    struct mob_redirect_stats st;
    struct mob_redirect_config cfg;
    size_t vxlan_len, geneve_len;
    uint64_t sum;
    struct tframe tf;
    uint8_t rarp[60];
    struct tpkt tp;

    memset(&st, 0, sizeof st);
    t_cfg(&cfg, NODE_A);
    cfg.neigh_aux = &c;         /* C's MAC is unknown. */

    /* An announcement, two redirects, a miss, a loop drop, a fallback. */
    tf_init_announce(&tf, MOB_TNL_VXLAN, false, rarp, t_build_rarp(rarp));
    tp_build(&tp, &tf);
    CU_ASSERT_EQUAL(t_count(&tp, table, &cfg, &st), MOB_ACT_LOCAL);
    tf_init(&tf, MOB_TNL_VXLAN, false);
    tp_build(&tp, &tf);
    vxlan_len = tp.len;
    CU_ASSERT_EQUAL(t_count(&tp, table, &cfg, &st), MOB_ACT_REDIRECT);
    tf_init(&tf, MOB_TNL_GENEVE, false);
    tp_build(&tp, &tf);
    geneve_len = tp.len;
    CU_ASSERT_EQUAL(t_count(&tp, table, &cfg, &st), MOB_ACT_REDIRECT);
    tf_init(&tf, MOB_TNL_VXLAN, false);
    tf.inner = inner_to_peer;
    tf.inner_len = sizeof inner_to_peer;
    tp_build(&tp, &tf);
    CU_ASSERT_EQUAL(t_count(&tp, table, &cfg, &st), MOB_ACT_LOCAL);
    tf_init(&tf, MOB_TNL_VXLAN, false);
    tf.vxlan_flags |= MOB_VXLAN_FLAG_REDIRECT;
    tp_build(&tp, &tf);
    CU_ASSERT_EQUAL(t_count(&tp, table, &cfg, &st), MOB_ACT_DROP);
    tf_init(&tf, MOB_TNL_VXLAN, false);
    tf.inner = inner_to_vm2;
    tf.inner_len = sizeof inner_to_vm2;
    tp_build(&tp, &tf);
    CU_ASSERT_EQUAL(t_count(&tp, table, &cfg, &st), MOB_ACT_LOCAL);

    /* Two malformed frames and two that are not tunnel packets. */
    tf_init(&tf, MOB_TNL_VXLAN, false);
    tp_build(&tp, &tf);
    tp.len = 10;
    CU_ASSERT_EQUAL(t_count(&tp, table, &cfg, &st), MOB_ACT_REJECT);
    tp_build(&tp, &tf);
    tp.frame[24] ^= 0x80;
    CU_ASSERT_EQUAL(t_count(&tp, table, &cfg, &st), MOB_ACT_REJECT);
    tf.udp_dst = 53;
    tp_build(&tp, &tf);
    CU_ASSERT_EQUAL(t_count(&tp, table, &cfg, &st), MOB_ACT_LOCAL);
    tp_build(&tp, &tf);
    t_put16(tp.frame + 12, 0x0806);
    CU_ASSERT_EQUAL(t_count(&tp, table, &cfg, &st), MOB_ACT_LOCAL);

    CU_ASSERT_EQUAL(st.rx_packets, 10);
    CU_ASSERT_EQUAL(st.tunnel_packets, 6);
    CU_ASSERT_EQUAL(st.announcements, 1);
    CU_ASSERT_EQUAL(st.learns[MOB_LEARN_NEW], 1);
    CU_ASSERT_EQUAL(st.hits, 4);
    CU_ASSERT_EQUAL(st.misses, 1);
    CU_ASSERT_EQUAL(st.redirected_packets, 2);
    CU_ASSERT_EQUAL(st.redirected_bytes,
                    vxlan_len + geneve_len + MOB_GENEVE_MARK_LEN);
    CU_ASSERT_EQUAL(st.loop_drops, 1);
    CU_ASSERT_EQUAL(st.fallbacks, 1);
    CU_ASSERT_EQUAL(st.rejected, 2);
    CU_ASSERT_EQUAL(st.verdicts[MOB_RD_REDIRECT], 2);
    CU_ASSERT_EQUAL(st.verdicts[MOB_RD_LOOP_MARKED], 1);
    CU_ASSERT_EQUAL(st.verdicts[MOB_RD_NO_NEIGH], 1);
    CU_ASSERT_EQUAL(st.parse.n[MOB_PKT_OK], 6);
    CU_ASSERT_EQUAL(st.parse.n[MOB_PKT_NOT_TUNNEL], 2);
    CU_ASSERT_EQUAL(st.parse.n[MOB_PKT_ERR_TRUNC_ETH], 1);
    CU_ASSERT_EQUAL(st.parse.n[MOB_PKT_ERR_BAD_IPV4_CSUM], 1);

    /* The identities of mob-redirect.h. */
    CU_ASSERT_EQUAL(st.rx_packets, st.tunnel_packets + st.rejected
                    + st.parse.n[MOB_PKT_NOT_TUNNEL]);
    CU_ASSERT_EQUAL(st.tunnel_packets,
                    st.announcements + st.hits + st.misses);
    CU_ASSERT_EQUAL(st.hits, st.redirected_packets + st.loop_drops
                    + st.fallbacks);
    sum = 0;
    for (int i = 0; i < MOB_RD_N_VERDICTS; i++) {
        sum += st.verdicts[i];
    }
    CU_ASSERT_EQUAL(sum, st.hits);
    sum = 0;
    for (int i = 0; i <= MOB_LEARN_INVALID; i++) {
        sum += st.learns[i];
    }
    CU_ASSERT_EQUAL(sum, st.announcements);
    sum = 0;
    for (int i = 0; i < MOB_PKT_N_ERRORS; i++) {
        sum += st.parse.n[i];
    }
    CU_ASSERT_EQUAL(sum, st.rx_packets);

    mob_table_destroy(table);
}

/* Names and defaults. */

/* Names of source modes, verdicts and actions. */
static void
test_strings(void)
{
    enum mob_src_mode mode = MOB_SRC_LOCAL;

    CU_ASSERT_STRING_EQUAL(mob_src_mode_to_string(MOB_SRC_KEEP), "keep");
    CU_ASSERT_STRING_EQUAL(mob_src_mode_to_string(MOB_SRC_LOCAL), "local");
    CU_ASSERT(mob_src_mode_from_string("keep", &mode));
    CU_ASSERT_EQUAL(mode, MOB_SRC_KEEP);
    CU_ASSERT(mob_src_mode_from_string("local", &mode));
    CU_ASSERT_EQUAL(mode, MOB_SRC_LOCAL);
    CU_ASSERT(!mob_src_mode_from_string("Local", &mode));
    CU_ASSERT(!mob_src_mode_from_string("", &mode));
    CU_ASSERT_EQUAL(mode, MOB_SRC_LOCAL);

    CU_ASSERT_STRING_EQUAL(mob_redirect_verdict_to_string(MOB_RD_REDIRECT),
                           "redirect");
    CU_ASSERT_STRING_EQUAL(mob_redirect_verdict_to_string(MOB_RD_LOOP_TTL),
                           "TTL exhausted");
    CU_ASSERT_STRING_EQUAL(mob_redirect_verdict_to_string(MOB_RD_NO_ROOM),
                           "no headroom for the mark");
    CU_ASSERT_STRING_EQUAL(
        mob_redirect_verdict_to_string(MOB_RD_N_VERDICTS),
        "unknown verdict");
    for (int i = 0; i < MOB_RD_N_VERDICTS; i++) {
        for (int j = i + 1; j < MOB_RD_N_VERDICTS; j++) {
            CU_ASSERT(strcmp(mob_redirect_verdict_to_string(i),
                             mob_redirect_verdict_to_string(j)));
        }
    }

    CU_ASSERT_STRING_EQUAL(mob_action_to_string(MOB_ACT_LOCAL), "local");
    CU_ASSERT_STRING_EQUAL(mob_action_to_string(MOB_ACT_REDIRECT),
                           "redirect");
    CU_ASSERT_STRING_EQUAL(mob_action_to_string(MOB_ACT_DROP), "drop");
    CU_ASSERT_STRING_EQUAL(mob_action_to_string(MOB_ACT_REJECT), "reject");
}

/* mob_redirect_config_init() gives the documented defaults. */
static void
test_config_init(void)
{
    struct mob_redirect_config cfg;

    memset(&cfg, 0x5a, sizeof cfg);
    mob_redirect_config_init(&cfg);
    CU_ASSERT(mob_ip_is_zero(&cfg.local_vtep4));
    CU_ASSERT(mob_ip_is_zero(&cfg.local_vtep6));
    CU_ASSERT(mob_eth_addr_is_zero(&cfg.local_mac));
    CU_ASSERT_EQUAL(cfg.src_mode, MOB_SRC_KEEP);
    CU_ASSERT_EQUAL(cfg.ttl, 64);
    CU_ASSERT(cfg.geneve_mark);
    CU_ASSERT(!cfg.vxlan_mark);
    CU_ASSERT_PTR_NULL(cfg.neigh_lookup);
    CU_ASSERT_EQUAL(cfg.pkt.vxlan_port, 4789);
    CU_ASSERT_EQUAL(cfg.pkt.geneve_port, 6081);
}

/* Registration. */

/* Registers the redirect suites with CUnit. */
void
test_redirect_register(void)
{
    static const struct test_case rewrite[] = {
        { "literal VXLAN/IPv4", test_literal_vxlan4 },
        { "VXLAN/IPv4 keep, checksum 0", test_vxlan4_keep_csum0 },
        { "VXLAN/IPv4 local, mark, checksum", test_vxlan4_local_mark_csum },
        { "VXLAN/IPv4 two VLAN tags", test_vxlan4_vlans },
        { "VXLAN/IPv4 IP options, padding", test_vxlan4_ip_options },
        { "VXLAN/IPv6", test_vxlan6 },
        { "UDP checksum 0 sent as 0xffff", test_udp_csum_all_ones },
        { "Geneve/IPv4 mark, two options", test_geneve4_mark },
        { "Geneve/IPv4 mark off", test_geneve4_no_mark },
        { "Geneve/IPv4 VLAN, padding", test_geneve4_vlan_pad },
        { "Geneve/IPv6", test_geneve6 },
    };
    static const struct test_case decide[] = {
        { "already marked", test_loop_marked },
        { "sender and self", test_loop_sender_self },
        { "TTL", test_loop_ttl },
        { "verdict order", test_verdict_order },
        { "refusals change nothing", test_refusals },
        { "ping-pong stopped by the mark", test_pingpong_marked },
        { "ping-pong stopped by the sender rule", test_pingpong_local },
        { "ping-pong bounded by TTL", test_pingpong_ttl },
        { "three-VTEP cycle bounded by TTL", test_cycle_three },
    };
    static const struct test_case pipeline[] = {
        { "RARP learns, then redirect", test_pipeline_rarp },
        { "GARP in Geneve", test_pipeline_garp_geneve },
        { "NA over IPv6", test_pipeline_na_ipv6 },
        { "malformed rejected", test_pipeline_reject },
        { "fallbacks and drops", test_pipeline_fallbacks },
        { "no table", test_pipeline_no_table },
        { "stats add up", test_stats },
        { "names", test_strings },
        { "config defaults", test_config_init },
    };

    TEST_ADD_SUITE("redirect-rewrite", rewrite);
    TEST_ADD_SUITE("redirect-decide", decide);
    TEST_ADD_SUITE("redirect-pipeline", pipeline);
}
