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

/* pcap-gen: writes the underlay captures that tests/pcap-redirect.sh feeds
 * to mobility-pcap, as they would arrive at the OLD VTEP (A) of a migration.
 *
 * Every header is written by hand here, checksums included, and nothing
 * comes from libmobility: the generator is an independent description of
 * the wire format, so that a bug in lib cannot hide itself by producing the
 * test input too.
 *
 * The topology:
 *
 *     A  this (old) VTEP  192.0.2.1  2001:db8::a  02:00:00:00:00:0a
 *     B  new VTEP         192.0.2.2  2001:db8::b  02:00:00:00:00:0b
 *     C  peer VTEP        192.0.2.3  2001:db8::c  02:00:00:00:00:0c
 *     M  the VM that moved from A to B          52:54:00:12:34:56
 *     O  another VM, still on A                 52:54:00:12:34:57
 *     P  a VM behind C that talks to M and O    52:54:00:ab:cd:ef
 *
 * Each data packet's inner frame is Ethernet/IPv4/UDP to port 9 with a
 * 24-byte payload "expect=LABEL    seq=NNNN" that states what the old VTEP
 * should do with it, so that a test can select the expected frames with
 * tshark ('frame contains "expect=redirect"') instead of hard-coding them:
 *
 *     redirect  re-encapsulate to the VTEP M (or O) moved to;
 *     miss      deliver locally: no table entry for (VNI, inner dst);
 *     drop      refused by loop protection;
 *     ttl1      outer TTL 1: refused as a loop unless marked;
 *     fallback  deliver locally: the entry's address family differs.
 *
 * Scenarios ("pcap-gen --help" lists them): vxlan4, vxlan6, geneve4 and
 * geneve6 tell the same story over one tunnel type and underlay family
 * (misses, QEMU's five RARPs from B, redirects, loop cases, one
 * malformed frame per parse error that the family can have, and a last
 * redirect 1.5 s after those, in a later second than the RARPs); "announce"
 * learns from a gratuitous ARP and an unsolicited NA instead and shows the
 * address family fallback. */

#include <config.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FRAME_MAX 1600
#define BASE_TIME 1700000000    /* Seconds: the first frame's timestamp. */

#define VXLAN_PORT 4789
#define GENEVE_PORT 6081
#define VNI_VXLAN 5001
#define VNI_VXLAN_OTHER 5002
#define VNI_GENEVE 7002
#define VNI_GENEVE_OTHER 7003

static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t mac_b[6] = { 0x02, 0, 0, 0, 0, 0x0b };
static const uint8_t mac_c[6] = { 0x02, 0, 0, 0, 0, 0x0c };
static const uint8_t mac_m[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t mac_o[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x57 };
static const uint8_t mac_p[6] = { 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef };
static const uint8_t mac_bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t mac_zero[6];

static const uint8_t ip4_a[4] = { 192, 0, 2, 1 };
static const uint8_t ip4_b[4] = { 192, 0, 2, 2 };
static const uint8_t ip4_c[4] = { 192, 0, 2, 3 };
static const uint8_t ip4_zero[4];

static const uint8_t ip6_a[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x0a };
static const uint8_t ip6_b[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x0b };
static const uint8_t ip6_c[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x0c };

/* Inner (overlay) addresses. */
static const uint8_t vm4_m[4] = { 10, 0, 0, 1 };
static const uint8_t vm4_o[4] = { 10, 0, 0, 2 };
static const uint8_t vm4_p[4] = { 10, 0, 0, 3 };
static const uint8_t vm6_m[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x01, 0x00,
                                   [15] = 0x01 };
static const uint8_t vm6_p[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x01, 0x00,
                                   [15] = 0x03 };
static const uint8_t ip6_all_nodes[16] = { 0xff, 0x02, [15] = 0x01 };
static const uint8_t mac_all_nodes[6] = { 0x33, 0x33, 0, 0, 0, 0x01 };

/* OVN's Geneve option: class 0x0102, type 0x80 (critical), 4 bytes of
 * data holding the logical ingress (15 bits) and egress (16 bits) ports. */
static const uint8_t geneve_opt_ovn[8] = {
    0x01, 0x02, 0x80, 0x01, 0x00, 0x01, 0x00, 0x02
};

/* The ovs-mobility redirect mark: class 0xfff7, type 0x5d, no data. */
static const uint8_t geneve_opt_mark[4] = { 0xff, 0xf7, 0x5d, 0x00 };

enum tnl { TNL_VXLAN, TNL_GENEVE };

struct frame {
    uint8_t data[FRAME_MAX];
    size_t len;
};

/* Where put_tunnel() put each header of the frame it built. */
struct offsets {
    size_t l3;
    size_t l4;
    size_t tnl;
    size_t inner;
};

/* How to build the outer headers of a tunnel frame. */
struct outer {
    bool ipv6;
    enum tnl tnl;
    const uint8_t *src_mac;
    const uint8_t *dst_mac;
    const uint8_t *src_ip;      /* 4 or 16 bytes, per 'ipv6'. */
    const uint8_t *dst_ip;
    uint16_t vlan;              /* 802.1Q VID, 0 for untagged. */
    uint8_t ttl;
    uint16_t ip_id;             /* IPv4 identification, IPv6 flow label. */
    uint16_t udp_src;
    bool udp_csum;              /* Compute the UDP checksum, else 0. */
    uint32_t vni;
    const uint8_t *opts;        /* Geneve options, 'opts_len' bytes. */
    size_t opts_len;
};

struct gen {
    pcap_dumper_t *dumper;
    unsigned int n;             /* Frames written. */
};

/* Appends 'n' zero bytes to 'f' and returns a pointer to them.  Exits if
 * the frame would exceed FRAME_MAX: that is a bug in this program. */
static uint8_t *
put_zeros(struct frame *f, size_t n)
{
    uint8_t *p;

    if (n > FRAME_MAX - f->len) {
        fprintf(stderr, "pcap-gen: frame too long\n");
        exit(EXIT_FAILURE);
    }
    p = &f->data[f->len];
    memset(p, 0, n);
    f->len += n;
    return p;
}

/* Appends the 'n' bytes at 'data' to 'f'. */
static void
put_bytes(struct frame *f, const void *data, size_t n)
{
    memcpy(put_zeros(f, n), data, n);
}

/* Stores 'x' big-endian at 'p'. */
static void
set_be16(uint8_t *p, uint16_t x)
{
    p[0] = x >> 8;
    p[1] = x;
}

/* Stores 'x' big-endian at 'p'. */
static void
set_be32(uint8_t *p, uint32_t x)
{
    set_be16(p, x >> 16);
    set_be16(p + 2, x);
}

/* Appends 'x' big-endian to 'f'. */
static void
put_be16(struct frame *f, uint16_t x)
{
    set_be16(put_zeros(f, 2), x);
}

/* Appends 'x' big-endian to 'f'. */
static void
put_be32(struct frame *f, uint32_t x)
{
    set_be32(put_zeros(f, 4), x);
}

/* Returns the one's complement sum 'sum' plus the 'n' bytes at 'p', taken
 * as big-endian 16-bit words (an odd last byte padded with zero). */
static uint32_t
csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i + 1 < n; i += 2) {
        sum += (p[i] << 8) | p[i + 1];
    }
    if (n & 1) {
        sum += p[n - 1] << 8;
    }
    return sum;
}

/* Folds 'sum' to 16 bits and returns its complement: the Internet
 * checksum (RFC 1071). */
static uint16_t
csum_finish(uint32_t sum)
{
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return ~sum & 0xffff;
}

/* Recomputes the checksum of the IPv4 header at 'ip' (IHL taken as 5 so
 * that a header with a bad IHL still has a checksum that is right for its
 * first 20 bytes). */
static void
fix_ipv4_csum(uint8_t *ip)
{
    set_be16(ip + 10, 0);
    set_be16(ip + 10, csum_finish(csum_add(0, ip, 20)));
}

/* Returns the UDP or ICMPv6 checksum of the 'len' bytes at 'l4' (whose
 * checksum field must be zero) with the pseudo-header of 'src' and 'dst'
 * ('alen' bytes each: 4 or 16) and protocol 'proto'.  A UDP result of 0 is
 * sent as 0xffff. */
static uint16_t
l4_csum(const uint8_t *src, const uint8_t *dst, size_t alen, uint8_t proto,
        const uint8_t *l4, size_t len)
{
    uint32_t sum = 0;
    uint16_t csum;

    sum = csum_add(sum, src, alen);
    sum = csum_add(sum, dst, alen);
    sum += proto;
    sum += len;
    sum = csum_add(sum, l4, len);
    csum = csum_finish(sum);
    return csum || proto != 17 ? csum : 0xffff;
}

/* Appends an Ethernet header to 'f', with an 802.1Q tag if 'vlan' is
 * nonzero. */
static void
put_eth(struct frame *f, const uint8_t *dst, const uint8_t *src,
        uint16_t vlan, uint16_t type)
{
    put_bytes(f, dst, 6);
    put_bytes(f, src, 6);
    if (vlan) {
        put_be16(f, 0x8100);
        put_be16(f, vlan);
    }
    put_be16(f, type);
}

/* Appends a 20-byte IPv4 header to 'f' for a datagram of 'payload_len'
 * bytes with protocol 'proto', checksum included. */
static void
put_ipv4(struct frame *f, const uint8_t *src, const uint8_t *dst,
         uint8_t ttl, uint16_t id, uint8_t proto, size_t payload_len)
{
    uint8_t *ip = put_zeros(f, 20);

    ip[0] = 0x45;
    set_be16(ip + 2, 20 + payload_len);
    set_be16(ip + 4, id);
    set_be16(ip + 6, 0x4000);           /* DF. */
    ip[8] = ttl;
    ip[9] = proto;
    memcpy(ip + 12, src, 4);
    memcpy(ip + 16, dst, 4);
    fix_ipv4_csum(ip);
}

/* Appends a 40-byte IPv6 header to 'f'. */
static void
put_ipv6(struct frame *f, const uint8_t *src, const uint8_t *dst,
         uint8_t hlim, uint32_t flow, uint8_t next, size_t payload_len)
{
    uint8_t *ip = put_zeros(f, 40);

    set_be32(ip, 0x60000000 | (flow & 0xfffff));
    set_be16(ip + 4, payload_len);
    ip[6] = next;
    ip[7] = hlim;
    memcpy(ip + 8, src, 16);
    memcpy(ip + 24, dst, 16);
}

/* Appends to 'f' an inner frame from VM 'src_mac'/'src_ip' to
 * 'dst_mac'/'dst_ip': Ethernet, IPv4, UDP port 40000 to 9 and the payload
 * "expect=LABEL seq=SEQ", checksums included. */
static void
put_inner_udp(struct frame *f, const uint8_t *dst_mac, const uint8_t *src_mac,
              const uint8_t *src_ip, const uint8_t *dst_ip,
              const char *label, unsigned int seq)
{
    char payload[25];
    size_t udp_ofs;
    uint8_t *udp;

    snprintf(payload, sizeof payload, "expect=%-8s seq=%04u", label,
             seq % 10000);
    put_eth(f, dst_mac, src_mac, 0, 0x0800);
    put_ipv4(f, src_ip, dst_ip, 64, seq, 17, 8 + 24);
    udp_ofs = f->len;
    put_be16(f, 40000);
    put_be16(f, 9);
    put_be16(f, 8 + 24);
    put_be16(f, 0);
    put_bytes(f, payload, 24);
    udp = &f->data[udp_ofs];
    set_be16(udp + 6, l4_csum(src_ip, dst_ip, 4, 17, udp, 8 + 24));
}

/* Appends QEMU's RARP for 'mac' to 'f': 60 bytes, broadcast, opcode 3,
 * sha = tha = 'mac', both protocol addresses 0.0.0.0. */
static void
put_rarp(struct frame *f, const uint8_t *mac)
{
    size_t start = f->len;

    put_eth(f, mac_bcast, mac, 0, 0x8035);
    put_be16(f, 1);
    put_be16(f, 0x0800);
    put_bytes(f, (uint8_t[]) { 6, 4 }, 2);
    put_be16(f, 3);
    put_bytes(f, mac, 6);
    put_bytes(f, ip4_zero, 4);
    put_bytes(f, mac, 6);
    put_bytes(f, ip4_zero, 4);
    put_zeros(f, 60 - (f->len - start));
}

/* Appends an ARP packet to 'f': opcode 'op' from 'sha'/'spa' to
 * 'tha'/'tpa', sent to 'dst', padded to 60 bytes. */
static void
put_arp(struct frame *f, const uint8_t *dst, uint16_t op,
        const uint8_t *sha, const uint8_t *spa,
        const uint8_t *tha, const uint8_t *tpa)
{
    size_t start = f->len;

    put_eth(f, dst, sha, 0, 0x0806);
    put_be16(f, 1);
    put_be16(f, 0x0800);
    put_bytes(f, (uint8_t[]) { 6, 4 }, 2);
    put_be16(f, op);
    put_bytes(f, sha, 6);
    put_bytes(f, spa, 4);
    put_bytes(f, tha, 6);
    put_bytes(f, tpa, 4);
    put_zeros(f, 60 - (f->len - start));
}

/* Appends to 'f' a neighbour advertisement from 'mac' owning 'target'
 * (also the IPv6 source) to 'dst_mac'/'dst_ip', with flags byte 'flags'
 * (0x20 Override, 0x40 Solicited) and a target link-layer address
 * option. */
static void
put_na(struct frame *f, const uint8_t *dst_mac, const uint8_t *dst_ip,
       const uint8_t *mac, const uint8_t *target, uint8_t flags)
{
    size_t icmp_ofs;
    uint8_t *icmp;

    put_eth(f, dst_mac, mac, 0, 0x86dd);
    put_ipv6(f, target, dst_ip, 255, 0, 58, 32);
    icmp_ofs = f->len;
    put_bytes(f, (uint8_t[]) { 136, 0, 0, 0, flags, 0, 0, 0 }, 8);
    put_bytes(f, target, 16);
    put_bytes(f, (uint8_t[]) { 2, 1 }, 2);
    put_bytes(f, mac, 6);
    icmp = &f->data[icmp_ofs];
    set_be16(icmp + 2, l4_csum(target, dst_ip, 16, 58, icmp, 32));
}

/* Appends to 'f' a tunnel frame per 'o' carrying the 'inner_len' bytes at
 * 'inner', all lengths and checksums consistent, and stores where each
 * header went in '*ofs' if nonnull. */
static void
put_tunnel(struct frame *f, const struct outer *o,
           const uint8_t *inner, size_t inner_len, struct offsets *ofs)
{
    size_t tnl_len = 8 + (o->tnl == TNL_GENEVE ? o->opts_len : 0);
    size_t udp_len = 8 + tnl_len + inner_len;
    struct offsets dummy;
    uint8_t *udp;

    ofs = ofs ? ofs : &dummy;
    put_eth(f, o->dst_mac, o->src_mac, o->vlan,
            o->ipv6 ? 0x86dd : 0x0800);
    ofs->l3 = f->len;
    if (o->ipv6) {
        put_ipv6(f, o->src_ip, o->dst_ip, o->ttl, o->ip_id, 17, udp_len);
    } else {
        put_ipv4(f, o->src_ip, o->dst_ip, o->ttl, o->ip_id, 17, udp_len);
    }

    ofs->l4 = f->len;
    put_be16(f, o->udp_src);
    put_be16(f, o->tnl == TNL_GENEVE ? GENEVE_PORT : VXLAN_PORT);
    put_be16(f, udp_len);
    put_be16(f, 0);

    ofs->tnl = f->len;
    if (o->tnl == TNL_VXLAN) {
        put_be32(f, 0x08000000);
        put_be32(f, o->vni << 8);
    } else {
        bool critical = false;

        for (size_t i = 0; i + 4 <= o->opts_len;
             i += 4 + 4 * (o->opts[i + 3] & 0x1f)) {
            critical |= (o->opts[i + 2] & 0x80) != 0;
        }
        put_bytes(f, (uint8_t[]) { o->opts_len / 4, critical ? 0x40 : 0 },
                  2);
        put_be16(f, 0x6558);
        put_be32(f, o->vni << 8);
        if (o->opts_len) {
            put_bytes(f, o->opts, o->opts_len);
        }
    }

    ofs->inner = f->len;
    put_bytes(f, inner, inner_len);

    if (o->udp_csum) {
        udp = &f->data[ofs->l4];
        set_be16(udp + 6, l4_csum(o->src_ip, o->dst_ip, o->ipv6 ? 16 : 4,
                                  17, udp, udp_len));
    }
}

/* Pads 'f' with zeros to the 60-byte Ethernet minimum. */
static void
pad_frame(struct frame *f)
{
    if (f->len < 60) {
        put_zeros(f, 60 - f->len);
    }
}

/* Writes 'f' to the capture with timestamp BASE_TIME + 'ms'
 * milliseconds. */
static void
emit(struct gen *g, const struct frame *f, unsigned int ms)
{
    struct pcap_pkthdr hdr;

    memset(&hdr, 0, sizeof hdr);
    hdr.ts.tv_sec = BASE_TIME + ms / 1000;
    hdr.ts.tv_usec = (ms % 1000) * 1000;
    hdr.caplen = hdr.len = f->len;
    pcap_dump((u_char *) g->dumper, &hdr, f->data);
    g->n++;
}

/* Returns the outer header template for a packet over tunnel 'tnl' and
 * underlay family 'ipv6' from VTEP 'from' (one of the mac_* / ip*_*
 * triplets, selected by 'from_b') to A. */
static struct outer
outer_to_a(enum tnl tnl, bool ipv6, bool from_b)
{
    struct outer o;

    memset(&o, 0, sizeof o);
    o.ipv6 = ipv6;
    o.tnl = tnl;
    o.src_mac = from_b ? mac_b : mac_c;
    o.dst_mac = mac_a;
    o.src_ip = ipv6 ? (from_b ? ip6_b : ip6_c) : (from_b ? ip4_b : ip4_c);
    o.dst_ip = ipv6 ? ip6_a : ip4_a;
    o.ttl = 64;
    o.udp_csum = ipv6;
    o.vni = tnl == TNL_VXLAN ? VNI_VXLAN : VNI_GENEVE;
    if (tnl == TNL_GENEVE) {
        o.opts = geneve_opt_ovn;
        o.opts_len = sizeof geneve_opt_ovn;
    }
    return o;
}

/* Emits at 'ms' a data packet from P to 'dst_mac'/'dst_ip' tunnelled per
 * '*o', labelled 'label', with sequence number 'seq' (which also picks
 * the UDP source port and IP identification). */
static void
emit_data(struct gen *g, struct outer *o, const uint8_t *dst_mac,
          const uint8_t *dst_ip, const char *label, unsigned int seq,
          unsigned int ms)
{
    struct frame inner = { .len = 0 };
    struct frame f = { .len = 0 };

    put_inner_udp(&inner, dst_mac, mac_p, vm4_p, dst_ip, label, seq);
    o->udp_src = 49152 + seq * 257 % 16384;
    o->ip_id = 0x1000 + seq;
    put_tunnel(&f, o, inner.data, inner.len, NULL);
    emit(g, &f, ms);
}

/* Emits at 'ms' the inner frame 'inner' tunnelled per '*o'. */
static void
emit_wrapped(struct gen *g, struct outer *o, const struct frame *inner,
             unsigned int ms)
{
    struct frame f = { .len = 0 };

    put_tunnel(&f, o, inner->data, inner->len, NULL);
    emit(g, &f, ms);
}

/* Builds into 'f' a well-formed data packet from C to M over 'tnl' and
 * family 'ipv6' (UDP checksum zero), for the malformed-frame builders to
 * damage, and returns its header offsets in '*ofs'. */
static void
build_victim(struct frame *f, enum tnl tnl, bool ipv6, struct offsets *ofs)
{
    struct frame inner = { .len = 0 };
    struct outer o = outer_to_a(tnl, ipv6, false);

    o.udp_csum = false;
    o.udp_src = 50000;
    o.ip_id = 0x2000;
    put_inner_udp(&inner, mac_m, mac_p, vm4_p, vm4_m, "reject", 9999);
    f->len = 0;
    put_tunnel(f, &o, inner.data, inner.len, ofs);
}

/* Sets the IP length of the frame in 'f' (headers at 'ofs') so that its
 * IP payload is 'l4_len' bytes, cuts the frame there and pads it to 60
 * bytes.  The UDP length is set to 'l4_len' too if 'udp' is true. */
static void
cut_ip_payload(struct frame *f, const struct offsets *ofs, bool ipv6,
               size_t l4_len, bool udp)
{
    uint8_t *ip = &f->data[ofs->l3];

    if (ipv6) {
        set_be16(ip + 4, l4_len);
    } else {
        set_be16(ip + 2, 20 + l4_len);
        fix_ipv4_csum(ip);
    }
    if (udp) {
        set_be16(&f->data[ofs->l4 + 4], l4_len);
    }
    f->len = ofs->l4 + l4_len;
    pad_frame(f);
}

/* Emits, from 'ms' on at 10 ms intervals, one malformed frame for each
 * parse error that tunnel 'tnl' over family 'ipv6' can have.  Returns the
 * time after the last one. */
static unsigned int
emit_malformed(struct gen *g, enum tnl tnl, bool ipv6, unsigned int ms)
{
    struct offsets ofs;
    struct frame f;
    uint8_t *ip;

    /* Truncated Ethernet: 12 bytes. */
    build_victim(&f, tnl, ipv6, &ofs);
    f.len = 12;
    emit(g, &f, ms += 10);

    /* Truncated UDP header: 4 bytes of it. */
    build_victim(&f, tnl, ipv6, &ofs);
    cut_ip_payload(&f, &ofs, ipv6, 4, false);
    emit(g, &f, ms += 10);

    /* UDP length beyond the IP payload. */
    build_victim(&f, tnl, ipv6, &ofs);
    set_be16(&f.data[ofs.l4 + 4], f.len - ofs.l4 + 100);
    emit(g, &f, ms += 10);

    /* Truncated tunnel header: 4 of its 8 bytes. */
    build_victim(&f, tnl, ipv6, &ofs);
    cut_ip_payload(&f, &ofs, ipv6, 8 + 4, true);
    emit(g, &f, ms += 10);

    /* Truncated inner Ethernet header: 10 bytes of it. */
    build_victim(&f, tnl, ipv6, &ofs);
    cut_ip_payload(&f, &ofs, ipv6, ofs.inner - ofs.l4 + 10, true);
    emit(g, &f, ms += 10);

    if (tnl == TNL_VXLAN) {
        /* VXLAN I flag clear. */
        build_victim(&f, tnl, ipv6, &ofs);
        set_be32(&f.data[ofs.tnl], 0);
        emit(g, &f, ms += 10);
    } else {
        /* Geneve version 1. */
        build_victim(&f, tnl, ipv6, &ofs);
        f.data[ofs.tnl] |= 0x40;
        emit(g, &f, ms += 10);

        /* Geneve options length beyond the UDP payload (63 words). */
        build_victim(&f, tnl, ipv6, &ofs);
        f.data[ofs.tnl] |= 0x3f;
        emit(g, &f, ms += 10);

        /* An option whose own length runs past the options area. */
        build_victim(&f, tnl, ipv6, &ofs);
        f.data[ofs.tnl + 8 + 3] = 5;
        emit(g, &f, ms += 10);

        if (!ipv6) {
            /* Geneve protocol IPv4 rather than Ethernet. */
            build_victim(&f, tnl, ipv6, &ofs);
            set_be16(&f.data[ofs.tnl + 2], 0x0800);
            emit(g, &f, ms += 10);
        }
    }

    if (!ipv6) {
        /* Truncated IPv4 header: 10 bytes of it, unpadded. */
        build_victim(&f, tnl, ipv6, &ofs);
        f.len = ofs.l3 + 10;
        emit(g, &f, ms += 10);

        /* Bad IPv4 header checksum. */
        build_victim(&f, tnl, ipv6, &ofs);
        f.data[ofs.l3 + 11] ^= 0x5a;
        emit(g, &f, ms += 10);

        /* IPv4 fragment: More Fragments set. */
        build_victim(&f, tnl, ipv6, &ofs);
        f.data[ofs.l3 + 6] |= 0x20;
        fix_ipv4_csum(&f.data[ofs.l3]);
        emit(g, &f, ms += 10);

        /* IPv4 total length beyond the frame. */
        build_victim(&f, tnl, ipv6, &ofs);
        ip = &f.data[ofs.l3];
        set_be16(ip + 2, f.len - ofs.l3 + 100);
        fix_ipv4_csum(ip);
        emit(g, &f, ms += 10);

        if (tnl == TNL_VXLAN) {
            /* IPv4 version 5. */
            build_victim(&f, tnl, ipv6, &ofs);
            f.data[ofs.l3] = 0x55;
            fix_ipv4_csum(&f.data[ofs.l3]);
            emit(g, &f, ms += 10);
        } else {
            /* IPv4 header length 16 bytes. */
            build_victim(&f, tnl, ipv6, &ofs);
            f.data[ofs.l3] = 0x44;
            fix_ipv4_csum(&f.data[ofs.l3]);
            emit(g, &f, ms += 10);
        }
    } else {
        /* Truncated IPv6 header: 30 bytes of it, unpadded. */
        build_victim(&f, tnl, ipv6, &ofs);
        f.len = ofs.l3 + 30;
        emit(g, &f, ms += 10);

        /* IPv6 payload length beyond the frame. */
        build_victim(&f, tnl, ipv6, &ofs);
        ip = &f.data[ofs.l3];
        set_be16(ip + 4, f.len - ofs.l4 + 100);
        emit(g, &f, ms += 10);

        /* IPv6 version 7. */
        build_victim(&f, tnl, ipv6, &ofs);
        f.data[ofs.l3] = 0x70;
        emit(g, &f, ms += 10);

        /* IPv6 fragment header (first fragment, M set) before UDP. */
        build_victim(&f, tnl, ipv6, &ofs);
        ip = &f.data[ofs.l3];
        memmove(&f.data[ofs.l4 + 8], &f.data[ofs.l4], f.len - ofs.l4);
        memcpy(&f.data[ofs.l4],
               (uint8_t[]) { 17, 0, 0x00, 0x01, 0, 0, 0x12, 0x34 }, 8);
        f.len += 8;
        ip[6] = 44;
        set_be16(ip + 4, f.len - ofs.l4);
        emit(g, &f, ms += 10);
    }
    return ms;
}

/* Writes the migration story for tunnel 'tnl' over family 'ipv6'. */
static void
scenario_story(struct gen *g, enum tnl tnl, bool ipv6)
{
    const unsigned int rarp_ms[] = { 1000, 1050, 1200, 1450, 1800 };
    struct outer from_c = outer_to_a(tnl, ipv6, false);
    struct outer from_b = outer_to_a(tnl, ipv6, true);
    struct frame f;
    unsigned int seq = 0;
    unsigned int ms;

    /* Before the migration is known: misses. */
    for (int i = 0; i < 3; i++) {
        emit_data(g, &from_c, mac_m, vm4_m, "miss", seq++, i * 10);
    }

    /* An ARP on the underlay: not a tunnel packet. */
    f.len = 0;
    put_arp(&f, mac_bcast, 1, mac_c, ip4_c, mac_zero, ip4_a);
    emit(g, &f, 30);

    /* QEMU's announcements from B, with traffic from C in between. */
    for (size_t i = 0; i < sizeof rarp_ms / sizeof rarp_ms[0]; i++) {
        f.len = 0;
        put_rarp(&f, mac_m);
        emit_wrapped(g, &from_b, &f, rarp_ms[i]);

        if (i == 0) {
            /* Ten packets still sent to A: redirects.  One carries an
             * outer 802.1Q tag; over IPv4 every other one has a UDP
             * checksum. */
            for (int k = 0; k < 10; k++) {
                struct outer o = from_c;

                o.vlan = k == 4 ? 10 : 0;
                o.udp_csum = ipv6 || k % 2;
                emit_data(g, &o, mac_m, vm4_m, "redirect", seq++,
                          1010 + k * 3);
            }
        } else if (i == 1) {
            struct outer o = from_c;

            /* Another VM, still here, and M in another VNI: misses. */
            for (int k = 0; k < 4; k++) {
                emit_data(g, &from_c, mac_o, vm4_o, "miss", seq++,
                          1060 + k * 10);
            }
            o.vni = tnl == TNL_VXLAN ? VNI_VXLAN_OTHER : VNI_GENEVE_OTHER;
            emit_data(g, &o, mac_m, vm4_m, "miss", seq++, 1100);

            /* From B itself for M: sending it back would loop. */
            emit_data(g, &from_b, mac_m, vm4_m, "drop", seq++, 1110);
            emit_data(g, &from_b, mac_m, vm4_m, "drop", seq++, 1120);

            if (tnl == TNL_VXLAN) {
                /* TTL 1 and no mark possible. */
                o = from_c;
                o.ttl = 1;
                emit_data(g, &o, mac_m, vm4_m, "ttl1", seq++, 1130);
            } else {
                /* Already redirected once: carries the mark. */
                uint8_t opts[sizeof geneve_opt_ovn + sizeof geneve_opt_mark];

                memcpy(opts, geneve_opt_ovn, sizeof geneve_opt_ovn);
                memcpy(opts + sizeof geneve_opt_ovn, geneve_opt_mark,
                       sizeof geneve_opt_mark);
                o = from_c;
                o.opts = opts;
                o.opts_len = sizeof opts;
                emit_data(g, &o, mac_m, vm4_m, "drop", seq++, 1130);
            }
        } else if (i == 2) {
            /* A few more late packets: redirects. */
            for (int k = 0; k < 3; k++) {
                emit_data(g, &from_c, mac_m, vm4_m, "redirect", seq++,
                          1300 + k * 10);
            }
        }
    }

    /* Malformed frames, then a last straggler more than a second after
     * the last RARP, which a 1-second grace time no longer covers. */
    ms = emit_malformed(g, tnl, ipv6, 2000);
    emit_data(g, &from_c, mac_m, vm4_m, "redirect", seq++, ms + 1500);
}

/* Writes the "announce" scenario: VXLAN over both families, learning from
 * a gratuitous ARP (IPv4 underlay) and an unsolicited NA (IPv6 underlay),
 * with a solicited NA that must not be learned, and packets that cannot be
 * redirected because the entry's family differs from theirs. */
static void
scenario_announce(struct gen *g)
{
    struct outer b4 = outer_to_a(TNL_VXLAN, false, true);
    struct outer b6 = outer_to_a(TNL_VXLAN, true, true);
    struct outer c4 = outer_to_a(TNL_VXLAN, false, false);
    struct outer c6 = outer_to_a(TNL_VXLAN, true, false);
    unsigned int seq = 0;
    struct frame f;

    /* O announces itself at B with a gratuitous ARP request. */
    f.len = 0;
    put_arp(&f, mac_bcast, 1, mac_o, vm4_o, mac_zero, vm4_o);
    emit_wrapped(g, &b4, &f, 0);

    /* M announces itself at B with an unsolicited NA (Override). */
    f.len = 0;
    put_na(&f, mac_all_nodes, ip6_all_nodes, mac_m, vm6_m, 0x20);
    emit_wrapped(g, &b6, &f, 10);

    /* A solicited NA from M to P: an answer, not an announcement. */
    f.len = 0;
    put_na(&f, mac_p, vm6_p, mac_m, vm6_m, 0x60);
    emit_wrapped(g, &b6, &f, 20);

    emit_data(g, &c4, mac_o, vm4_o, "redirect", seq++, 30);
    emit_data(g, &c4, mac_o, vm4_o, "redirect", seq++, 40);
    emit_data(g, &c4, mac_m, vm4_m, "fallback", seq++, 50);
    emit_data(g, &c4, mac_m, vm4_m, "fallback", seq++, 60);
    emit_data(g, &c6, mac_m, vm4_m, "redirect", seq++, 70);
    emit_data(g, &c6, mac_o, vm4_o, "fallback", seq++, 80);

    /* O again, with a broadcast gratuitous ARP reply: a refresh. */
    f.len = 0;
    put_arp(&f, mac_bcast, 2, mac_o, vm4_o, mac_o, vm4_o);
    emit_wrapped(g, &b4, &f, 90);
    emit_data(g, &c4, mac_o, vm4_o, "redirect", seq++, 100);
}

static const struct {
    const char *name;
    const char *what;
} scenarios[] = {
    { "vxlan4", "VXLAN over IPv4: migration story and malformed frames" },
    { "vxlan6", "VXLAN over IPv6: migration story and malformed frames" },
    { "geneve4", "Geneve (OVN option) over IPv4: the same" },
    { "geneve6", "Geneve (OVN option) over IPv6: the same" },
    { "announce", "VXLAN: learning from GARP and NA, family fallback" },
};

/* Prints usage to 'stream'. */
static void
usage(FILE *stream)
{
    fprintf(stream, "usage: pcap-gen SCENARIO OUT.pcap\n"
            "Writes a test capture as the old VTEP receives it.\n"
            "Scenarios:\n");
    for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++) {
        fprintf(stream, "  %-9s %s\n", scenarios[i].name, scenarios[i].what);
    }
}

/* Writes the capture named by argv[1] to file argv[2].  Returns 0 if
 * successful, 1 on error, 2 on a usage error. */
int
main(int argc, char *argv[])
{
    struct gen g = { .dumper = NULL, .n = 0 };
    const char *name;
    pcap_t *pcap;

    if (argc == 2 && !strcmp(argv[1], "--help")) {
        usage(stdout);
        return 0;
    }
    if (argc != 3) {
        usage(stderr);
        return 2;
    }
    name = argv[1];

    pcap = pcap_open_dead(DLT_EN10MB, 65535);
    if (!pcap) {
        fprintf(stderr, "pcap-gen: pcap_open_dead failed\n");
        return 1;
    }
    g.dumper = pcap_dump_open(pcap, argv[2]);
    if (!g.dumper) {
        fprintf(stderr, "pcap-gen: %s\n", pcap_geterr(pcap));
        pcap_close(pcap);
        return 1;
    }

    if (!strcmp(name, "vxlan4")) {
        scenario_story(&g, TNL_VXLAN, false);
    } else if (!strcmp(name, "vxlan6")) {
        scenario_story(&g, TNL_VXLAN, true);
    } else if (!strcmp(name, "geneve4")) {
        scenario_story(&g, TNL_GENEVE, false);
    } else if (!strcmp(name, "geneve6")) {
        scenario_story(&g, TNL_GENEVE, true);
    } else if (!strcmp(name, "announce")) {
        scenario_announce(&g);
    } else {
        fprintf(stderr, "pcap-gen: unknown scenario \"%s\"\n", name);
        usage(stderr);
        pcap_dump_close(g.dumper);
        pcap_close(pcap);
        remove(argv[2]);
        return 2;
    }

    pcap_dump_close(g.dumper);
    pcap_close(pcap);
    return 0;
}
