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

/* Tests for the fast-path pieces of libmobility: the burst interface of
 * mob-redirect.h against the per-packet reference mob_redirect_process(),
 * the foreign-destination rule, mob_announce_maybe() against
 * mob_announce_detect(), the table's burst lookups and its per-thread hit
 * counts.
 *
 * Node n has IPv4 address 192.0.2.n, IPv6 address 2001:db8::n and MAC
 * 02:00:00:00:00:0n, which is also the next-hop MAC the neighbour table
 * gives for it.  This VTEP is node 1.  Frames are built field by field
 * here, with checksums from the plain RFC 1071 sum of this file. */

#include <config.h>
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mob-announce.h"
#include "mob-packet-inline.h"
#include "mob-redirect.h"
#include "mob-table.h"
#include "tests/test-common.h"

#define HEADROOM 64
#define FRAME_MAX 512
#define BUF_LEN (HEADROOM + FRAME_MAX)
#define VNI 5001
#define N_NODES 6
#define N_VMS 8
#define N_FRAMES 3000

static uint64_t rng_state = 0x243f6a8885a308d3ull;

/* Returns a pseudo-random number (xorshift64). */
static uint64_t
rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void
put16(uint8_t *p, uint16_t v)
{
    p[0] = v >> 8;
    p[1] = v;
}

/* Returns node 'n''s IPv4 (mapped) or IPv6 address. */
static struct in6_addr
node_ip(int n, bool ipv6)
{
    struct in6_addr ip;

    if (!ipv6) {
        return mob_ip_from_v4(0xc0000200 | n);
    }
    memset(&ip, 0, sizeof ip);
    ip.s6_addr[0] = 0x20;
    ip.s6_addr[1] = 0x01;
    ip.s6_addr[2] = 0x0d;
    ip.s6_addr[3] = 0xb8;
    ip.s6_addr[15] = n;
    return ip;
}

/* Returns node 'n''s MAC. */
static struct mob_eth_addr
node_mac(int n)
{
    struct mob_eth_addr mac = { { 0x02, 0, 0, 0, 0, n } };

    return mac;
}

/* Returns the MAC of VM 'v'. */
static struct mob_eth_addr
vm_mac(int v)
{
    struct mob_eth_addr mac = { { 0x52, 0x54, 0, 0, 0, 0x10 + v } };

    return mac;
}

/* The test neighbour table: node n's MAC for node n, nothing else. */
static bool
neigh_lookup(void *aux, const struct in6_addr *ip, struct mob_eth_addr *mac)
{
    (void) aux;
    for (int n = 1; n <= N_NODES; n++) {
        struct in6_addr ip4 = node_ip(n, false), ip6 = node_ip(n, true);

        if (mob_ip_equals(ip, &ip4) || mob_ip_equals(ip, &ip6)) {
            *mac = node_mac(n);
            return true;
        }
    }
    return false;
}

/* An underlay frame to build. */
struct spec {
    bool ipv6;
    bool geneve;
    bool udp_csum;              /* IPv4 only: IPv6 always has one. */
    bool vxlan_marked;
    struct in6_addr src, dst;
    struct mob_eth_addr dst_mac;
    uint8_t ttl;
    const uint8_t *inner;
    size_t inner_len;
};

/* Writes the frame 'sp' describes into 'buf' and returns its length. */
static size_t
build(const struct spec *sp, uint8_t *buf)
{
    size_t ip_hlen = sp->ipv6 ? 40 : 20;
    size_t tnl_len = sp->geneve ? 16 : 8;       /* Geneve: one option. */
    size_t udp_len = 8 + tnl_len + sp->inner_len;
    uint8_t *ip = buf + 14, *udp = ip + ip_hlen, *tnl = udp + 8;
    uint64_t sum;

    memset(buf, 0, 14 + ip_hlen + udp_len);
    memcpy(buf, sp->dst_mac.ea, 6);
    memcpy(buf + 6, (uint8_t[]) { 0x02, 0, 0, 0, 0, 0xfe }, 6);
    put16(buf + 12, sp->ipv6 ? MOB_ETH_TYPE_IPV6 : MOB_ETH_TYPE_IPV4);
    if (!sp->ipv6) {
        ip[0] = 0x45;
        put16(ip + 2, 20 + udp_len);
        put16(ip + 4, rng());
        ip[8] = sp->ttl;
        ip[9] = MOB_IPPROTO_UDP;
        memcpy(ip + 12, &sp->src.s6_addr[12], 4);
        memcpy(ip + 16, &sp->dst.s6_addr[12], 4);
        put16(ip + 10, test_ref_fold(test_ref_sum(0, ip, 20)));
    } else {
        ip[0] = 0x60;
        put16(ip + 4, udp_len);
        ip[6] = MOB_IPPROTO_UDP;
        ip[7] = sp->ttl;
        memcpy(ip + 8, &sp->src, 16);
        memcpy(ip + 24, &sp->dst, 16);
    }
    put16(udp, 49152 + (rng() & 0x3fff));
    put16(udp + 2, sp->geneve ? MOB_GENEVE_PORT : MOB_VXLAN_PORT);
    put16(udp + 4, udp_len);
    if (sp->geneve) {
        tnl[0] = 2;                             /* 2 words of options. */
        put16(tnl + 2, MOB_ETH_TYPE_TEB);
        tnl[4] = VNI >> 16;
        tnl[5] = (VNI >> 8) & 0xff;
        tnl[6] = VNI & 0xff;
        put16(tnl + 8, 0x0102);                 /* OVN's class. */
        tnl[10] = 0x80;
        tnl[11] = 1;
        tnl[15] = 7;
    } else {
        tnl[0] = sp->vxlan_marked ? 0x48 : 0x08;
        tnl[4] = VNI >> 16;
        tnl[5] = (VNI >> 8) & 0xff;
        tnl[6] = VNI & 0xff;
    }
    memcpy(tnl + tnl_len, sp->inner, sp->inner_len);
    if (sp->ipv6 || sp->udp_csum) {
        uint8_t pseudo[4] = { 0, MOB_IPPROTO_UDP, udp_len >> 8, udp_len };
        uint16_t csum;

        sum = (sp->ipv6 ? test_ref_sum(0, ip + 8, 32)
               : test_ref_sum(0, ip + 12, 8));
        sum = test_ref_sum(sum, pseudo, 4);
        sum = test_ref_sum(sum, udp, udp_len);
        csum = test_ref_fold(sum);
        put16(udp + 6, csum ? csum : 0xffff);
    }
    return 14 + ip_hlen + udp_len;
}

/* Writes an inner data frame to 'dst' (IPv4 or IPv6 with UDP) into 'buf'
 * and returns its length. */
static size_t
build_data(const struct mob_eth_addr *dst, bool ipv6, uint8_t *buf)
{
    size_t len = ipv6 ? 14 + 40 + 16 : 14 + 20 + 16;

    memset(buf, 0, len);
    memcpy(buf, dst->ea, 6);
    memcpy(buf + 6, (uint8_t[]) { 0x52, 0x54, 0, 0xaa, 0xbb, 0xcc }, 6);
    if (ipv6) {
        put16(buf + 12, MOB_ETH_TYPE_IPV6);
        buf[14] = 0x60;
        put16(buf + 18, 16);
        buf[20] = MOB_IPPROTO_UDP;
        buf[21] = 255;
    } else {
        put16(buf + 12, MOB_ETH_TYPE_IPV4);
        buf[14] = 0x45;
        put16(buf + 16, 36);
        buf[22] = 64;
        buf[23] = MOB_IPPROTO_UDP;
        put16(buf + 24, test_ref_fold(test_ref_sum(0, buf + 14, 20)));
    }
    return len;
}

/* Writes a random inner frame into 'buf' and returns its length: data to a
 * VM or to an unknown MAC, or an announcement of a random VM. */
static size_t
random_inner(uint8_t *buf)
{
    struct mob_eth_addr mac = vm_mac(rng() % N_VMS);
    unsigned int r = rng() % 100;

    if (r < 12) {
        return mob_announce_build_rarp(&mac, buf);
    } else if (r < 16) {
        uint8_t ip[4] = { 10, 0, 0, 1 + rng() % 200 };

        return mob_announce_build_garp(&mac, ip, rng() & 1, buf);
    } else if (r < 20) {
        struct in6_addr ip = node_ip(0x80 + rng() % 100, true);

        return mob_announce_build_na(&mac, &ip, buf);
    } else if (r < 28) {
        struct mob_eth_addr unknown = { { 0x52, 0x54, 1, 2, 3, rng() } };

        return build_data(&unknown, rng() & 1, buf);
    }
    return build_data(&mac, rng() % 4 == 0, buf);
}

/* Writes a random underlay frame into 'buf' and returns its length: mostly
 * to this VTEP from another node, sometimes to another node (foreign), to
 * a multicast group, marked, with TTL 1, or truncated. */
static size_t
random_frame(uint8_t *buf)
{
    uint8_t inner[128];
    struct spec sp;
    unsigned int r = rng() % 100;
    size_t len;

    memset(&sp, 0, sizeof sp);
    sp.ipv6 = rng() % 3 == 0;
    sp.geneve = rng() & 1;
    sp.udp_csum = rng() & 1;
    sp.vxlan_marked = rng() % 20 == 0;
    sp.src = node_ip(2 + rng() % (N_NODES - 1), sp.ipv6);
    sp.dst = node_ip(1, sp.ipv6);
    sp.dst_mac = node_mac(1);
    sp.ttl = (unsigned int[]) { 1, 2, 64, 64, 64 }[rng() % 5];
    if (r < 10) {
        sp.dst = node_ip(2 + rng() % (N_NODES - 1), sp.ipv6);  /* Foreign. */
    } else if (r < 14) {
        if (sp.ipv6) {
            sp.dst.s6_addr[0] = 0xff;
        } else {
            sp.dst = mob_ip_from_v4(0xef010101);
        }
    } else if (r < 16) {
        sp.dst_mac.ea[0] = 0x01;
    }
    sp.inner = inner;
    sp.inner_len = random_inner(inner);
    len = build(&sp, buf);
    if (rng() % 25 == 0) {
        len = rng() % len;
    }
    return len;
}

/* Returns a configuration for this VTEP, node 1, with 'local' addresses
 * set or not. */
static struct mob_redirect_config
make_cfg(bool local)
{
    struct mob_redirect_config cfg;

    mob_redirect_config_init(&cfg);
    if (local) {
        cfg.local_vtep4 = node_ip(1, false);
        cfg.local_vtep6 = node_ip(1, true);
    }
    cfg.local_mac = node_mac(1);
    cfg.neigh_lookup = neigh_lookup;
    return cfg;
}

/* Learns the same starting state into 't': every VM somewhere. */
static void
seed_table(struct mob_table *t)
{
    for (int v = 0; v < N_VMS; v++) {
        struct mob_learn req;

        memset(&req, 0, sizeof req);
        req.vni = VNI;
        req.mac = vm_mac(v);
        req.vtep = node_ip(1 + v % N_NODES, v % 3 == 0);
        req.tnl_type = MOB_TNL_VXLAN;
        req.origin = v == 0 ? MOB_ORIGIN_STATIC : MOB_ORIGIN_OVN;
        mob_table_learn(t, &req, 900, NULL);
    }
}

/* Checks that entries 'a' and 'b' are the same, field by field. */
static void
check_same_entry(const struct mob_entry *a, const struct mob_entry *b)
{
    CU_ASSERT_EQUAL(a->vni, b->vni);
    CU_ASSERT(mob_eth_addr_equals(&a->mac, &b->mac));
    CU_ASSERT(mob_ip_equals(&a->vtep, &b->vtep));
    CU_ASSERT_EQUAL(a->tnl_type, b->tnl_type);
    CU_ASSERT_EQUAL(a->origin, b->origin);
    CU_ASSERT_EQUAL(a->seq, b->seq);
    CU_ASSERT_EQUAL(a->frozen, b->frozen);
    CU_ASSERT_EQUAL(a->learned, b->learned);
    CU_ASSERT_EQUAL(a->expires, b->expires);
    CU_ASSERT_EQUAL(a->moves, b->moves);
    CU_ASSERT_EQUAL(a->hit_packets, b->hit_packets);
    CU_ASSERT_EQUAL(a->hit_bytes, b->hit_bytes);
    CU_ASSERT_EQUAL(a->id, b->id);
}

/* Checks that 'seen', what mob_redirect_fused_burst() returned for 'n'
 * frames, is the union of the bits of their out[] (which the callers check
 * against mob_redirect_process(), frame by frame). */
static void
check_fused_seen(unsigned int seen, const struct mob_frame_out out[],
                 size_t n)
{
    unsigned int expect = 0;

    for (size_t i = 0; i < n; i++) {
        expect |= MOB_FUSED_ACTION(out[i].action);
        if (out[i].grow) {
            expect |= MOB_FUSED_GREW;
        }
    }
    CU_ASSERT_EQUAL(seen, expect);
}

/* Compares two results for the same frame, one from the burst interface
 * ('b'), one from mob_redirect_process() ('p'). */
static void
check_same_result(const struct mob_result *b, const struct mob_result *p)
{
    CU_ASSERT_EQUAL(b->action, p->action);
    CU_ASSERT_EQUAL(b->parse, p->parse);
    CU_ASSERT_EQUAL(b->hit, p->hit);
    CU_ASSERT_EQUAL(b->announce, p->announce);
    CU_ASSERT_EQUAL(b->foreign, p->foreign);
    CU_ASSERT_EQUAL(b->grow, p->grow);
    if (p->hit) {
        CU_ASSERT_EQUAL(b->verdict, p->verdict);
        CU_ASSERT(mob_ip_equals(&b->entry.vtep, &p->entry.vtep));
        CU_ASSERT_EQUAL(b->entry.id, p->entry.id);
        CU_ASSERT_EQUAL(b->entry.vni, p->entry.vni);
        CU_ASSERT(mob_eth_addr_equals(&b->entry.mac, &p->entry.mac));
    }
    if (p->announce) {
        CU_ASSERT_EQUAL(b->learn, p->learn);
        CU_ASSERT(!memcmp(&b->ann, &p->ann, sizeof b->ann));
        check_same_entry(&b->entry, &p->entry);
    }
}

/* Collects table entries for comparison. */
#define MAX_COLLECT 4096

struct entries {
    size_t n;
    struct mob_entry e[MAX_COLLECT];
};

static void
collect_cb(const struct mob_entry *e, void *aux)
{
    struct entries *es = aux;

    if (es->n < MAX_COLLECT) {
        es->e[es->n++] = *e;
    }
}

/* Orders entries by id, which both tables assign alike. */
static int
cmp_entry(const void *a_, const void *b_)
{
    const struct mob_entry *a = a_, *b = b_;

    return a->id < b->id ? -1 : a->id > b->id;
}

/* Checks that tables 'a' and 'b' hold the same entries, hit counts
 * included. */
static void
check_same_table(struct mob_table *a, struct mob_table *b)
{
    static struct entries ea, eb;

    ea.n = eb.n = 0;
    mob_table_foreach(a, collect_cb, &ea);
    mob_table_foreach(b, collect_cb, &eb);
    CU_ASSERT_EQUAL_FATAL(ea.n, eb.n);
    qsort(ea.e, ea.n, sizeof *ea.e, cmp_entry);
    qsort(eb.e, eb.n, sizeof *eb.e, cmp_entry);
    for (size_t i = 0; i < ea.n; i++) {
        check_same_entry(&ea.e[i], &eb.e[i]);
    }
}

/* Inserts an 802.1Q or 802.1ad tag after the MAC addresses of the 'len'
 * bytes at 'buf' (room for 4 more).  Returns the new length. */
static size_t
add_vlan(uint8_t *buf, size_t len)
{
    if (len < 12) {
        return len;
    }
    memmove(buf + 16, buf + 12, len - 12);
    put16(buf + 12, rng() & 1 ? MOB_ETH_TYPE_VLAN : MOB_ETH_TYPE_VLAN_8021AD);
    put16(buf + 14, rng() & 0xfff);
    return len + 4;
}

/* Returns one of the 'n' values in 'v' at random. */
static unsigned int
pick(const unsigned int *v, size_t n)
{
    return v[rng() % n];
}

/* If the frame of 'len' bytes at 'buf' is untagged IPv4 with a 20-byte
 * header, sets one of its outer header fields to a value at or next to a
 * limit of the parsers' checks (lengths, version and IHL, fragment bits,
 * protocol, UDP port, VXLAN flags, destination) and fixes the IPv4 header
 * checksum, so that the frame gets as far as the check of that field
 * (bit flips nearly always stop at the checksum). */
static void
edit_field(uint8_t *buf, size_t len)
{
    uint8_t *ip = buf + 14, *udp = ip + 20;
    unsigned int tot_len;

    if (len < 14 + 20 + 8 + 8 || buf[12] != 0x08 || buf[13] || ip[0] != 0x45) {
        return;
    }
    tot_len = (ip[2] << 8) | ip[3];
    switch (rng() % 8) {
    case 0:
        put16(ip + 2, pick((unsigned int[]) { 19, 20, 49, 50, 51, len - 15,
                                              len - 14, len - 13 }, 8));
        break;
    case 1:
        put16(udp + 4, pick((unsigned int[]) { 7, 8, 15, 16, 29, 30, 31,
                                               tot_len - 21, tot_len - 20,
                                               tot_len - 19 }, 10));
        break;
    case 2:
        put16(ip + 6, pick((unsigned int[]) { 0x2000, 0x0001, 0x4000, 0x8000,
                                              0x1fff, 0x6000 }, 6));
        break;
    case 3:
        ip[0] = pick((unsigned int[]) { 0x44, 0x46, 0x55, 0x35 }, 4);
        break;
    case 4:
        ip[9] = pick((unsigned int[]) { 6, 17, 0x91 }, 3);
        break;
    case 5:
        put16(udp + 2, pick((unsigned int[]) { MOB_VXLAN_PORT,
                                               MOB_VXLAN_PORT + 1,
                                               MOB_GENEVE_PORT, 0 }, 4));
        break;
    case 6:
        udp[8] = pick((unsigned int[]) { 0x00, 0x08, 0x48, 0x0c, 0x40, 0xf7,
                                         0x09 }, 7);
        break;
    default:
        if (rng() & 1) {
            buf[0] |= 1;
        } else {
            ip[16] = pick((unsigned int[]) { 224, 239, 255, 10 }, 4);
        }
        break;
    }
    put16(ip + 10, 0);
    put16(ip + 10, test_ref_fold(test_ref_sum(0, ip, 20)));
}

/* Mutates the frame of 'len' bytes at 'buf' (room for 8 more) at random:
 * one or two VLAN tags, a field set to a limit of a check (checksum
 * fixed), bit flips among the headers (the first 100 bytes), a cut.
 * Returns the new length. */
static size_t
mutate_frame(uint8_t *buf, size_t len)
{
    unsigned int r = rng() % 16;

    if (r < 3) {
        len = add_vlan(buf, len);
    }
    if (r == 2) {
        len = add_vlan(buf, len);
    }
    if (r >= 3 && r < 7) {
        edit_field(buf, len);
    }
    if (rng() % 3 == 0) {
        for (int k = 1 + rng() % 3; k > 0; k--) {
            size_t ofs = rng() % (len < 100 ? len + 1 : 100);

            if (ofs < len) {
                buf[ofs] ^= 1 << (rng() % 8);
            }
        }
    }
    if (rng() % 10 == 0) {
        len = rng() % (len + 1);
    }
    return len;
}

/* The 'sparse_slots' of the tables that compare_burst_vs_single_()
 * makes. */
static uint32_t compare_sparse_slots = MOB_TABLE_DEFAULT_SPARSE_SLOTS;

/* Runs 'n_frames' random frames (mutated by mutate_frame() if 'mutate')
 * through the per-packet pipeline, through the burst interface and
 * through the fused burst path in bursts of random sizes, on three tables
 * with the same history and configuration 'cfg', and checks that every
 * frame comes out with the same bytes and result (the fused path's
 * action and growth), that the fused path's statistics are those that
 * mob_redirect_stats_count() gives, and that the tables end up the same,
 * hit counts included.  Returns the number of redirects. */
static size_t
compare_burst_vs_single_(const struct mob_redirect_config *cfg,
                         size_t n_frames, bool mutate,
                         struct mob_redirect_stats *stats)
{
    static uint8_t bufs_p[MOB_REDIRECT_MAX_BURST][BUF_LEN];
    static uint8_t bufs_b[MOB_REDIRECT_MAX_BURST][BUF_LEN];
    static uint8_t bufs_f[MOB_REDIRECT_MAX_BURST][BUF_LEN];
    static struct mob_redirect_burst burst, fburst;
    struct mob_result res_b[MOB_REDIRECT_MAX_BURST];
    struct mob_frame_out out[MOB_REDIRECT_MAX_BURST];
    struct mob_redirect_stats fstats;
    struct mob_table_config tcfg;
    struct mob_table *tp, *tb, *tf;
    size_t done = 0, redirects = 0;
    unsigned int seen;
    uint32_t now = 1000;

    mob_table_config_init(&tcfg);
    tcfg.max_entries = 32;
    tcfg.sparse_slots = compare_sparse_slots;
    tp = mob_table_create(&tcfg);
    tb = mob_table_create(&tcfg);
    tf = mob_table_create(&tcfg);
    CU_ASSERT_FATAL(tp && tb && tf);
    seed_table(tp);
    seed_table(tb);
    seed_table(tf);
    mob_redirect_burst_init(&burst);
    mob_redirect_burst_init(&fburst);
    memset(stats, 0, sizeof *stats);
    memset(&fstats, 0, sizeof fstats);

    while (done < n_frames) {
        struct mob_frame frames[MOB_REDIRECT_MAX_BURST];
        struct mob_frame fframes[MOB_REDIRECT_MAX_BURST];
        size_t lens[MOB_REDIRECT_MAX_BURST];
        size_t n = 1 + rng() % MOB_REDIRECT_MAX_BURST;

        for (size_t i = 0; i < n; i++) {
            lens[i] = random_frame(bufs_p[i] + HEADROOM);
            if (mutate) {
                lens[i] = mutate_frame(bufs_p[i] + HEADROOM, lens[i]);
            }
            memcpy(bufs_b[i], bufs_p[i], BUF_LEN);
            memcpy(bufs_f[i], bufs_p[i], BUF_LEN);
            frames[i].data = bufs_b[i] + HEADROOM;
            frames[i].len = lens[i];
            frames[i].headroom = HEADROOM;
            fframes[i] = frames[i];
            fframes[i].data = bufs_f[i] + HEADROOM;
        }
        mob_redirect_process_burst(&burst, frames, n, tb, cfg, now, res_b);
        memset(out, 0xa5, sizeof out);
        seen = mob_redirect_fused_burst(&fburst, fframes, n, tf, cfg, now,
                                        &fstats, out);
        check_fused_seen(seen, out, n);
        for (size_t i = 0; i < n; i++) {
            struct mob_result res_p;

            mob_redirect_process(bufs_p[i] + HEADROOM, lens[i], HEADROOM,
                                 tp, cfg, now, &res_p);
            check_same_result(&res_b[i], &res_p);
            CU_ASSERT(!memcmp(bufs_p[i], bufs_b[i], BUF_LEN));
            CU_ASSERT_EQUAL(out[i].action, res_p.action);
            CU_ASSERT_EQUAL(out[i].grow, res_p.grow);
            CU_ASSERT(!memcmp(bufs_p[i], bufs_f[i], BUF_LEN));
            mob_redirect_stats_count(stats, &res_p, lens[i]);
            redirects += res_p.action == MOB_ACT_REDIRECT;
        }
        done += n;
        now += rng() % 3 == 0;
    }
    mob_redirect_burst_flush(&burst);
    mob_redirect_burst_flush(&fburst);
    check_same_table(tp, tb);
    check_same_table(tp, tf);
    CU_ASSERT(!memcmp(stats, &fstats, sizeof fstats));
    mob_table_destroy(tp);
    mob_table_destroy(tb);
    mob_table_destroy(tf);
    return redirects;
}

/* compare_burst_vs_single_() on intact frames. */
static size_t
compare_burst_vs_single(const struct mob_redirect_config *cfg,
                        size_t n_frames, struct mob_redirect_stats *stats)
{
    return compare_burst_vs_single_(cfg, n_frames, false, stats);
}

static void
test_burst_vs_single(void)
{
    struct mob_redirect_config cfg = make_cfg(true);
    struct mob_redirect_stats st;
    size_t redirects = compare_burst_vs_single(&cfg, N_FRAMES, &st);

    /* The mix exercised every path. */
    CU_ASSERT(redirects > 100);
    CU_ASSERT(st.announcements > 100);
    CU_ASSERT(st.foreign > 50);
    CU_ASSERT(st.loop_drops > 10);
    CU_ASSERT(st.rejected > 10);
    CU_ASSERT(st.misses > st.foreign);
}

static void
test_burst_vs_single_no_local(void)
{
    struct mob_redirect_config cfg = make_cfg(false);
    struct mob_redirect_stats st;

    cfg.geneve_mark = false;
    cfg.vxlan_mark = true;
    cfg.src_mode = MOB_SRC_LOCAL;
    CU_ASSERT(compare_burst_vs_single(&cfg, N_FRAMES, &st) > 100);
    CU_ASSERT_EQUAL(st.foreign, 0);
}

/* The neighbour table without node 3: hits on VMs there fall back. */
static bool
neigh_lookup_no3(void *aux, const struct in6_addr *ip,
                 struct mob_eth_addr *mac)
{
    struct in6_addr ip4 = node_ip(3, false), ip6 = node_ip(3, true);

    if (mob_ip_equals(ip, &ip4) || mob_ip_equals(ip, &ip6)) {
        return false;
    }
    return neigh_lookup(aux, ip, mac);
}

/* The three interfaces on mutated frames (tags, bit flips, cuts), with
 * each source mode and mark setting, with a next hop unknown, with an
 * IPv6 address as local IPv4 VTEP (no IPv4 destination is then ours),
 * and with tables whose index is half full (runs of several slots). */
static void
test_fused_mutations(void)
{
    for (int k = 0; k < 6; k++) {
        struct mob_redirect_config cfg = make_cfg(k & 1);
        struct mob_redirect_stats st;

        cfg.src_mode = k & 2 ? MOB_SRC_LOCAL : MOB_SRC_KEEP;
        cfg.vxlan_mark = k == 2;
        cfg.geneve_mark = k != 3;
        cfg.ttl = k == 1 ? 0 : 30;
        if (k == 3) {
            cfg.neigh_lookup = neigh_lookup_no3;
        }
        if (k == 4) {
            cfg.local_vtep4 = node_ip(1, true);
        }
        compare_sparse_slots = k == 5 ? 0 : MOB_TABLE_DEFAULT_SPARSE_SLOTS;
        CU_ASSERT(compare_burst_vs_single_(&cfg, N_FRAMES * 2, true, &st)
                  > 50);
        compare_sparse_slots = MOB_TABLE_DEFAULT_SPARSE_SLOTS;
        CU_ASSERT(st.rejected > 50);
        if (k == 4) {
            /* Every IPv4 destination is foreign: nothing redirected. */
            CU_ASSERT(st.foreign > 50);
            CU_ASSERT(st.redirected_packets < st.hits);
        } else {
            CU_ASSERT(st.hits > st.redirected_packets);
        }
        if (k == 3) {
            CU_ASSERT(st.verdicts[MOB_RD_NO_NEIGH] > 10);
        }
    }
}

/* The fused path with no table: every frame takes the general path, and
 * nothing is redirected. */
static void
test_fused_no_table(void)
{
    static uint8_t buf[MOB_REDIRECT_MAX_BURST][BUF_LEN];
    static struct mob_redirect_burst burst;
    struct mob_redirect_config cfg = make_cfg(true);
    struct mob_frame frames[MOB_REDIRECT_MAX_BURST];
    struct mob_frame_out out[MOB_REDIRECT_MAX_BURST];
    struct mob_redirect_stats st, ref;
    unsigned int seen;

    memset(&st, 0, sizeof st);
    memset(&ref, 0, sizeof ref);
    mob_redirect_burst_init(&burst);
    for (size_t i = 0; i < MOB_REDIRECT_MAX_BURST; i++) {
        frames[i].len = random_frame(buf[i] + HEADROOM);
        frames[i].data = buf[i] + HEADROOM;
        frames[i].headroom = HEADROOM;
    }
    seen = mob_redirect_fused_burst(&burst, frames, MOB_REDIRECT_MAX_BURST,
                                    NULL, &cfg, 1, &st, out);
    check_fused_seen(seen, out, MOB_REDIRECT_MAX_BURST);
    CU_ASSERT(!(seen & MOB_FUSED_ACTION(MOB_ACT_REDIRECT)));
    for (size_t i = 0; i < MOB_REDIRECT_MAX_BURST; i++) {
        struct mob_result res;

        CU_ASSERT_EQUAL(mob_redirect_process(frames[i].data, frames[i].len,
                                             HEADROOM, NULL, &cfg, 1, &res),
                        out[i].action);
        CU_ASSERT(out[i].action != MOB_ACT_REDIRECT);
        mob_redirect_stats_count(&ref, &res, frames[i].len);
    }
    CU_ASSERT(!memcmp(&st, &ref, sizeof st));
    CU_ASSERT_EQUAL(st.rx_packets, MOB_REDIRECT_MAX_BURST);
}

/* Checks the IPv4 header and UDP checksums of the VXLAN/IPv4 frame of
 * 'len' bytes at 'f' (untagged) by computing them from scratch. */
static void
check_ipv4_udp_csums(const uint8_t *f, size_t len)
{
    const uint8_t *ip = f + 14, *udp = ip + 20;
    size_t udp_len = (udp[4] << 8) | udp[5];

    CU_ASSERT_FATAL(len >= 14 + 20 + 8 && udp_len <= len - 34);
    CU_ASSERT_EQUAL(test_ref_fold(test_ref_sum(0, ip, 20)), 0);
    if (udp[6] | udp[7]) {
        uint8_t pseudo[4] = { 0, MOB_IPPROTO_UDP, udp_len >> 8, udp_len };
        uint64_t sum = test_ref_sum(0, ip + 12, 8);

        sum = test_ref_sum(sum, pseudo, 4);
        sum = test_ref_sum(sum, udp, udp_len);
        CU_ASSERT_EQUAL(test_ref_fold(sum), 0);
    }
}

/* The fused path on bursts of VXLAN/IPv4 frames in runs to the same VM
 * (so to the same VTEP), some from that VTEP itself, some with TTL 1,
 * some to a VTEP with no next hop, with IP IDs, UDP ports and checksums
 * at random: every frame as mob_redirect_process() leaves it, and every
 * redirected one to the VM's VTEP with checksums that verify from
 * scratch (the rewrite's checksum folding, tested against this file's
 * byte-pair reference rather than against lib's own code). */
static void
test_fused_vtep_runs(void)
{
    static uint8_t bufs_p[MOB_REDIRECT_MAX_BURST][BUF_LEN];
    static uint8_t bufs_f[MOB_REDIRECT_MAX_BURST][BUF_LEN];
    static struct mob_redirect_burst fburst;
    struct mob_frame_out out[MOB_REDIRECT_MAX_BURST];
    struct mob_redirect_stats fstats, stats;
    struct mob_table_config tcfg;
    struct mob_table *tp, *tf;
    size_t redirects = 0, refused = 0;
    unsigned int seen;

    mob_table_config_init(&tcfg);
    tcfg.max_entries = 32;
    tp = mob_table_create(&tcfg);
    tf = mob_table_create(&tcfg);
    CU_ASSERT_FATAL(tp && tf);
    seed_table(tp);
    seed_table(tf);
    mob_redirect_burst_init(&fburst);
    memset(&fstats, 0, sizeof fstats);
    memset(&stats, 0, sizeof stats);

    for (int round = 0; round < 400; round++) {
        struct mob_redirect_config cfg = make_cfg(round & 1);
        struct mob_frame frames[MOB_REDIRECT_MAX_BURST];
        size_t lens[MOB_REDIRECT_MAX_BURST];
        size_t n = 1 + rng() % MOB_REDIRECT_MAX_BURST;
        int vm = 0, run = 0;

        cfg.src_mode = round & 2 ? MOB_SRC_LOCAL : MOB_SRC_KEEP;
        cfg.vxlan_mark = round & 4;
        cfg.neigh_lookup = round & 8 ? neigh_lookup_no3 : neigh_lookup;
        for (size_t i = 0; i < n; i++) {
            uint8_t inner[128];
            struct mob_eth_addr mac;
            struct spec sp;

            if (!run--) {
                vm = rng() % N_VMS;
                run = rng() % 8;
            }
            mac = vm_mac(vm);
            memset(&sp, 0, sizeof sp);
            sp.src = node_ip(2 + rng() % (N_NODES - 1), false);
            sp.dst = node_ip(1, false);
            sp.dst_mac = node_mac(1);
            sp.ttl = (unsigned int[]) { 1, 2, 64, 255 }[rng() % 4];
            sp.udp_csum = rng() & 1;
            sp.inner = inner;
            sp.inner_len = build_data(&mac, rng() % 4 == 0, inner);
            lens[i] = build(&sp, bufs_p[i] + HEADROOM);
            memcpy(bufs_f[i], bufs_p[i], BUF_LEN);
            frames[i].data = bufs_f[i] + HEADROOM;
            frames[i].len = lens[i];
            frames[i].headroom = HEADROOM;
        }
        memset(out, 0xa5, sizeof out);
        seen = mob_redirect_fused_burst(&fburst, frames, n, tf, &cfg, 1000,
                                        &fstats, out);
        check_fused_seen(seen, out, n);
        for (size_t i = 0; i < n; i++) {
            const uint8_t *f = bufs_f[i] + HEADROOM;
            struct mob_result res;

            mob_redirect_process(bufs_p[i] + HEADROOM, lens[i], HEADROOM,
                                 tp, &cfg, 1000, &res);
            mob_redirect_stats_count(&stats, &res, lens[i]);
            CU_ASSERT_EQUAL(out[i].action, res.action);
            CU_ASSERT_EQUAL(out[i].grow, 0);
            CU_ASSERT(!memcmp(bufs_p[i], bufs_f[i], BUF_LEN));
            if (out[i].action == MOB_ACT_REDIRECT) {
                struct in6_addr dst = mob_ip_from_v4_bytes(f + 30);

                CU_ASSERT(mob_ip_equals(&dst, &res.entry.vtep));
                check_ipv4_udp_csums(f, lens[i]);
                redirects++;
            } else if (res.hit) {
                refused++;
            }
        }
    }
    mob_redirect_burst_flush(&fburst);
    check_same_table(tp, tf);
    CU_ASSERT(!memcmp(&stats, &fstats, sizeof fstats));
    CU_ASSERT(redirects > 1000);
    CU_ASSERT(refused > 300);
    CU_ASSERT(stats.verdicts[MOB_RD_LOOP_SENDER] > 50);
    CU_ASSERT(stats.verdicts[MOB_RD_LOOP_TTL] > 50);
    CU_ASSERT(stats.verdicts[MOB_RD_NO_NEIGH] > 50);
    mob_table_destroy(tp);
    mob_table_destroy(tf);
}

/* Builds a VXLAN/IPv4 frame from node 'src' to 'dst' carrying 'inner'
 * into 'buf' and returns its length. */
static size_t
simple_frame(int src, struct in6_addr dst, const uint8_t *inner,
             size_t inner_len, uint8_t *buf)
{
    struct spec sp;

    memset(&sp, 0, sizeof sp);
    sp.src = node_ip(src, false);
    sp.dst = dst;
    sp.dst_mac = node_mac(1);
    sp.ttl = 64;
    sp.udp_csum = true;
    sp.inner = inner;
    sp.inner_len = inner_len;
    return build(&sp, buf);
}

/* Returns true if the outer IPv4 destination of the frame at 'f' is
 * node 'n'. */
static bool
outer_dst_is(const uint8_t *f, int n)
{
    struct in6_addr dst = mob_ip_from_v4_bytes(f + 14 + 16);
    struct in6_addr ip = node_ip(n, false);

    return mob_ip_equals(&dst, &ip);
}

/* Returns the MAC of VM 'v' of many (up to 65535). */
static struct mob_eth_addr
many_vm_mac(int v)
{
    struct mob_eth_addr mac = vm_mac(0);

    mac.ea[3] = v >> 8;
    mac.ea[4] = v;
    return mac;
}

/* The fused path against mob_redirect_process() on a table with more
 * entries than a 'struct mob_table_hits' has slots, so that most hits
 * find their slot held by another entry and go straight to the table
 * (the 1M random case in small): same bytes, actions and statistics, and
 * at the end the same table, hit counts included.  Between bursts, keys
 * are deleted and others learned into their entries (so a slot's holder
 * can be a reused entry), and some keys move to another VTEP; some frames
 * are for keys the table does not have. */
static void
test_fused_hits_straight_to_table(void)
{
    enum { N_KEYS = 3000 };
    static uint8_t bufs_p[MOB_REDIRECT_MAX_BURST][BUF_LEN];
    static uint8_t bufs_f[MOB_REDIRECT_MAX_BURST][BUF_LEN];
    static struct mob_redirect_burst fburst;
    struct mob_redirect_config cfg = make_cfg(true);
    struct mob_frame_out out[MOB_REDIRECT_MAX_BURST];
    struct mob_redirect_stats fstats, stats;
    struct mob_table_config tcfg;
    struct mob_table *tp, *tf;
    struct mob_learn req;
    uint64_t packets = 0, bytes = 0;
    struct mob_entry e;
    size_t redirects = 0;
    unsigned int seen;
    uint32_t now = 1000;

    mob_table_config_init(&tcfg);
    tcfg.max_entries = N_KEYS + 16;
    tp = mob_table_create(&tcfg);
    tf = mob_table_create(&tcfg);
    CU_ASSERT_FATAL(tp && tf);
    memset(&req, 0, sizeof req);
    req.vni = VNI;
    req.tnl_type = MOB_TNL_VXLAN;
    req.origin = MOB_ORIGIN_OVN;
    for (int k = 0; k < N_KEYS; k++) {
        req.mac = many_vm_mac(k);
        req.vtep = node_ip(2 + k % (N_NODES - 1), false);
        CU_ASSERT_EQUAL(mob_table_learn(tp, &req, now, NULL),
                        MOB_LEARN_NEW);
        CU_ASSERT_EQUAL(mob_table_learn(tf, &req, now, NULL),
                        MOB_LEARN_NEW);
    }
    mob_redirect_burst_init(&fburst);
    memset(&fstats, 0, sizeof fstats);
    memset(&stats, 0, sizeof stats);

    for (int round = 0; round < 600; round++) {
        struct mob_frame frames[MOB_REDIRECT_MAX_BURST];
        size_t lens[MOB_REDIRECT_MAX_BURST];
        size_t n = 1 + rng() % MOB_REDIRECT_MAX_BURST;

        for (size_t i = 0; i < n; i++) {
            struct mob_eth_addr mac = many_vm_mac(rng() % (N_KEYS + 100));
            uint8_t inner[128];
            size_t inner_len = build_data(&mac, false, inner);

            lens[i] = simple_frame(2 + rng() % (N_NODES - 1),
                                   node_ip(1, false), inner, inner_len,
                                   bufs_p[i] + HEADROOM);
            memcpy(bufs_f[i], bufs_p[i], BUF_LEN);
            frames[i].data = bufs_f[i] + HEADROOM;
            frames[i].len = lens[i];
            frames[i].headroom = HEADROOM;
        }
        memset(out, 0xa5, sizeof out);
        seen = mob_redirect_fused_burst(&fburst, frames, n, tf, &cfg, now,
                                        &fstats, out);
        check_fused_seen(seen, out, n);
        for (size_t i = 0; i < n; i++) {
            struct mob_result res;

            mob_redirect_process(bufs_p[i] + HEADROOM, lens[i], HEADROOM,
                                 tp, &cfg, now, &res);
            mob_redirect_stats_count(&stats, &res, lens[i]);
            CU_ASSERT_EQUAL(out[i].action, res.action);
            CU_ASSERT_EQUAL(out[i].grow, res.grow);
            CU_ASSERT(!memcmp(bufs_p[i], bufs_f[i], BUF_LEN));
            redirects += res.action == MOB_ACT_REDIRECT;
        }

        /* A deletion, a new key in the freed entry, a move: the same in
         * both tables, with the fused path's hits still pending. */
        if (round % 3 == 0) {
            int k = rng() % N_KEYS;
            struct mob_eth_addr mac = many_vm_mac(k);

            CU_ASSERT_EQUAL(mob_table_delete(tp, VNI, &mac),
                            mob_table_delete(tf, VNI, &mac));
            req.mac = many_vm_mac(N_KEYS + rng() % 100);
            req.vtep = node_ip(2 + rng() % (N_NODES - 1), false);
            CU_ASSERT_EQUAL(mob_table_learn(tp, &req, now, NULL),
                            mob_table_learn(tf, &req, now, NULL));
        }
        now += rng() % 8 == 0;
    }
    mob_redirect_burst_flush(&fburst);
    check_same_table(tp, tf);
    CU_ASSERT(!memcmp(&stats, &fstats, sizeof fstats));
    CU_ASSERT(redirects > 5000);
    CU_ASSERT(stats.misses > 100);
    CU_ASSERT(mob_table_count(tf) > MOB_TABLE_HITS_SIZE);

    /* The table's counts are the frames redirected, by packet and byte:
     * nothing was lost or counted twice (deleted keys took theirs). */
    for (int k = 0; k < N_KEYS + 100; k++) {
        struct mob_eth_addr mac = many_vm_mac(k);

        if (mob_table_lookup(tf, VNI, &mac, &e)) {
            packets += e.hit_packets;
            bytes += e.hit_bytes;
        }
    }
    CU_ASSERT(packets <= stats.redirected_packets);
    CU_ASSERT(packets > stats.redirected_packets / 2);
    CU_ASSERT(bytes <= stats.redirected_bytes);
    mob_table_destroy(tp);
    mob_table_destroy(tf);
}

static void
test_burst_announcement_mid_burst(void)
{
    static uint8_t bufs[4][BUF_LEN];
    static struct mob_redirect_burst burst;
    struct mob_redirect_config cfg = make_cfg(true);
    struct mob_eth_addr m = vm_mac(1);
    struct mob_frame frames[4];
    struct mob_result res[4];
    uint8_t inner[128];
    struct mob_table *t = mob_table_create(NULL);
    struct mob_learn req;
    struct mob_entry e;
    size_t len;

    /* M is at node 2; a data packet for M, then M's RARP from node 3, then
     * two more data packets, all in one burst. */
    memset(&req, 0, sizeof req);
    req.vni = VNI;
    req.mac = m;
    req.vtep = node_ip(2, false);
    req.tnl_type = MOB_TNL_VXLAN;
    req.origin = MOB_ORIGIN_OVN;
    CU_ASSERT_EQUAL(mob_table_learn(t, &req, 100, NULL), MOB_LEARN_NEW);

    for (int i = 0; i < 4; i++) {
        size_t ilen = (i == 1 ? mob_announce_build_rarp(&m, inner)
                       : build_data(&m, false, inner));

        len = simple_frame(i == 1 ? 3 : 4, node_ip(1, false), inner, ilen,
                           bufs[i] + HEADROOM);
        frames[i].data = bufs[i] + HEADROOM;
        frames[i].len = len;
        frames[i].headroom = HEADROOM;
    }
    mob_redirect_burst_init(&burst);
    mob_redirect_process_burst(&burst, frames, 4, t, &cfg, 101, res);

    CU_ASSERT_EQUAL(res[0].action, MOB_ACT_REDIRECT);
    CU_ASSERT(outer_dst_is(frames[0].data, 2));
    CU_ASSERT_EQUAL(res[1].action, MOB_ACT_LOCAL);
    CU_ASSERT(res[1].announce);
    CU_ASSERT_EQUAL(res[1].learn, MOB_LEARN_MOVED);
    for (int i = 2; i < 4; i++) {
        CU_ASSERT_EQUAL(res[i].action, MOB_ACT_REDIRECT);
        CU_ASSERT(outer_dst_is(frames[i].data, 3));
    }

    /* Hit counts: one before the move, flushed by the learn, and two
     * after it, pending until the flush. */
    CU_ASSERT(mob_table_lookup(t, VNI, &m, &e));
    CU_ASSERT_EQUAL(e.hit_packets, 1);
    mob_redirect_burst_flush(&burst);
    CU_ASSERT(mob_table_lookup(t, VNI, &m, &e));
    CU_ASSERT_EQUAL(e.hit_packets, 3);
    CU_ASSERT_EQUAL(e.hit_bytes, 3 * (uint64_t) len);
    mob_table_destroy(t);
}

static void
test_foreign_destination(void)
{
    static uint8_t buf[BUF_LEN], copy[BUF_LEN], inner[128];
    struct mob_redirect_config cfg = make_cfg(true);
    struct mob_redirect_stats st;
    struct mob_eth_addr m = vm_mac(1), m2 = vm_mac(2);
    struct mob_table *t = mob_table_create(NULL);
    struct mob_result res;
    struct mob_learn req;
    size_t len, ilen;

    memset(&req, 0, sizeof req);
    req.vni = VNI;
    req.mac = m;
    req.vtep = node_ip(2, false);
    req.origin = MOB_ORIGIN_STATIC;
    mob_table_learn(t, &req, 100, NULL);
    memset(&st, 0, sizeof st);

    /* To node 5, seen by a promiscuous port: passed on untouched. */
    ilen = build_data(&m, false, inner);
    len = simple_frame(4, node_ip(5, false), inner, ilen, buf + HEADROOM);
    memcpy(copy, buf, sizeof buf);
    CU_ASSERT_EQUAL(mob_redirect_process(buf + HEADROOM, len, HEADROOM, t,
                                         &cfg, 101, &res), MOB_ACT_LOCAL);
    CU_ASSERT(res.foreign && !res.hit);
    CU_ASSERT(!memcmp(buf, copy, sizeof buf));
    mob_redirect_stats_count(&st, &res, len);
    CU_ASSERT_EQUAL(st.foreign, 1);
    CU_ASSERT_EQUAL(st.misses, 1);

    /* The same packet to this VTEP is redirected. */
    len = simple_frame(4, node_ip(1, false), inner, ilen, buf + HEADROOM);
    CU_ASSERT_EQUAL(mob_redirect_process(buf + HEADROOM, len, HEADROOM, t,
                                         &cfg, 101, &res), MOB_ACT_REDIRECT);
    CU_ASSERT(!res.foreign);

    /* Without a local address configured, any destination is ours. */
    cfg.local_vtep4 = in6addr_any;
    len = simple_frame(4, node_ip(5, false), inner, ilen, buf + HEADROOM);
    CU_ASSERT_EQUAL(mob_redirect_process(buf + HEADROOM, len, HEADROOM, t,
                                         &cfg, 101, &res), MOB_ACT_REDIRECT);

    /* An announcement flooded to a multicast group is still learned with
     * local addresses set. */
    cfg.local_vtep4 = node_ip(1, false);
    ilen = mob_announce_build_rarp(&m2, inner);
    len = simple_frame(3, mob_ip_from_v4(0xef010101), inner, ilen,
                       buf + HEADROOM);
    mob_redirect_process(buf + HEADROOM, len, HEADROOM, t, &cfg, 101, &res);
    CU_ASSERT(res.announce && !res.foreign);
    CU_ASSERT_EQUAL(res.learn, MOB_LEARN_NEW);
    mob_table_destroy(t);
}

static void
test_announce_maybe(void)
{
    uint8_t frame[256];
    size_t n_maybe = 0, n_detect = 0;

    for (int i = 0; i < 200000; i++) {
        struct mob_announce ann;
        size_t len = random_inner(frame);
        enum mob_announce_type type;

        /* Mutate a few bytes, sometimes add a VLAN tag, sometimes cut. */
        if (rng() % 4 == 0) {
            memmove(frame + 16, frame + 12, len - 12);
            put16(frame + 12, rng() & 1 ? MOB_ETH_TYPE_VLAN
                  : MOB_ETH_TYPE_VLAN_8021AD);
            put16(frame + 14, 100);
            len += 4;
        }
        for (int k = rng() % 4; k > 0; k--) {
            frame[rng() % len] ^= 1 << (rng() % 8);
        }
        if (rng() % 8 == 0) {
            len = rng() % (len + 1);
        }
        type = mob_announce_detect(frame, len, &ann);
        if (!mob_announce_maybe(frame, len)) {
            CU_ASSERT_EQUAL(type, MOB_ANN_NONE);
        } else {
            n_maybe++;
        }
        n_detect += type != MOB_ANN_NONE;
    }
    /* It says "maybe" to the announcements and turns most data away. */
    CU_ASSERT(n_detect > 10000);
    CU_ASSERT(n_maybe >= n_detect);
    CU_ASSERT(n_maybe < 200000 * 6 / 10);
}

static void
test_lookup_vtep(void)
{
    struct mob_table *t = mob_table_create(NULL);
    struct mob_learn req;
    struct mob_table_key key;
    struct mob_entry e;
    struct in6_addr vtep;
    uint32_t id;

    memset(&req, 0, sizeof req);
    for (int v = 0; v < 500; v++) {
        req.vni = v;
        req.mac = vm_mac(v % 200);
        req.mac.ea[3] = v;
        req.vtep = node_ip(1 + v % N_NODES, v & 1);
        req.origin = MOB_ORIGIN_OVN;
        mob_table_learn(t, &req, 10, NULL);
    }
    for (int v = 0; v < 600; v++) {
        struct mob_eth_addr mac = vm_mac(v % 200);
        bool hit;

        mac.ea[3] = v;
        mob_table_key_init(t, v, &mac, &key);
        mob_table_prefetch_slot(t, &key);
        mob_table_prefetch_entry(t, &key);
        hit = mob_table_lookup_vtep(t, &key, &vtep, &id);
        CU_ASSERT_EQUAL(hit, mob_table_lookup(t, v, &mac, &e));
        if (hit) {
            CU_ASSERT(mob_ip_equals(&vtep, &e.vtep));
            CU_ASSERT_EQUAL(id, e.id);
        }
        CU_ASSERT_EQUAL(hit, v < 500);
    }
    mob_table_destroy(t);
}

static void
test_hits_not_credited_to_reused_entry(void)
{
    static struct mob_table_hits hits;
    struct mob_table_config tcfg;
    struct mob_table *t;
    struct mob_table_key k1, k2;
    struct mob_learn req;
    struct mob_entry e;
    struct in6_addr vtep;
    uint32_t id1, id2;

    mob_table_config_init(&tcfg);
    tcfg.max_entries = 1;
    t = mob_table_create(&tcfg);
    mob_table_hits_init(&hits);
    memset(&req, 0, sizeof req);
    req.vni = VNI;
    req.mac = vm_mac(1);
    req.vtep = node_ip(2, false);
    req.origin = MOB_ORIGIN_RARP;
    mob_table_learn(t, &req, 10, NULL);

    /* Three hits on the first key stay pending... */
    mob_table_key_init(t, VNI, &req.mac, &k1);
    CU_ASSERT_FATAL(mob_table_lookup_vtep(t, &k1, &vtep, &id1));
    for (int i = 0; i < 3; i++) {
        mob_table_hits_add(&hits, t, &k1, id1, 100);
    }
    CU_ASSERT(mob_table_lookup(t, VNI, &req.mac, &e));
    CU_ASSERT_EQUAL(e.hit_packets, 0);

    /* ...the key is evicted by another that reuses its entry... */
    req.mac = vm_mac(2);
    CU_ASSERT_EQUAL(mob_table_learn(t, &req, 11, NULL), MOB_LEARN_NEW);
    mob_table_key_init(t, VNI, &req.mac, &k2);
    CU_ASSERT_FATAL(mob_table_lookup_vtep(t, &k2, &vtep, &id2));
    CU_ASSERT_EQUAL(id1, id2);

    /* ...and the new key gets only its own hits. */
    mob_table_hits_add(&hits, t, &k2, id2, 60);
    mob_table_hits_flush(&hits);
    CU_ASSERT(mob_table_lookup(t, VNI, &req.mac, &e));
    CU_ASSERT_EQUAL(e.hit_packets, 1);
    CU_ASSERT_EQUAL(e.hit_bytes, 60);

    /* Many hits on one live entry add up exactly. */
    for (int i = 0; i < 5000; i++) {
        mob_table_hits_add(&hits, t, &k2, id2, 10);
    }
    mob_table_hits_flush(&hits);
    mob_table_hits_flush(&hits);
    CU_ASSERT(mob_table_lookup(t, VNI, &req.mac, &e));
    CU_ASSERT_EQUAL(e.hit_packets, 5001);
    CU_ASSERT_EQUAL(e.hit_bytes, 50060);
    mob_table_destroy(t);
}

/* A hit on an entry whose hit-cache slot another entry holds goes
 * straight to the table; the holder keeps its pending hits until the
 * flush; a hit with a key whose entry was reused meanwhile credits no
 * one. */
static void
test_hits_slot_held_by_another(void)
{
    static struct mob_table_hits hits;
    struct mob_table_config tcfg;
    struct mob_table_key key[MOB_TABLE_HITS_SIZE + 1];
    struct mob_eth_addr mac[MOB_TABLE_HITS_SIZE + 1];
    uint32_t id[MOB_TABLE_HITS_SIZE + 1];
    struct mob_learn req;
    struct in6_addr vtep;
    struct mob_entry e;
    struct mob_table *t;
    int a = -1, b = -1;

    mob_table_config_init(&tcfg);
    tcfg.max_entries = MOB_TABLE_HITS_SIZE + 1;
    t = mob_table_create(&tcfg);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    mob_table_hits_init(&hits);
    memset(&req, 0, sizeof req);
    req.vni = VNI;
    req.vtep = node_ip(2, false);
    req.origin = MOB_ORIGIN_RARP;
    for (int i = 0; i <= MOB_TABLE_HITS_SIZE; i++) {
        mac[i] = vm_mac(0);
        mac[i].ea[3] = i >> 8;
        mac[i].ea[4] = i;
        req.mac = mac[i];
        CU_ASSERT_EQUAL_FATAL(mob_table_learn(t, &req, 10, NULL),
                              MOB_LEARN_NEW);
        mob_table_key_init(t, VNI, &mac[i], &key[i]);
        CU_ASSERT_FATAL(mob_table_lookup_vtep(t, &key[i], &vtep, &id[i]));
    }
    /* 1025 entries, 1024 slots: two of them share a slot. */
    for (int i = 0; i <= MOB_TABLE_HITS_SIZE && b < 0; i++) {
        for (int j = i + 1; j <= MOB_TABLE_HITS_SIZE; j++) {
            if (!((id[i] ^ id[j]) & (MOB_TABLE_HITS_SIZE - 1))) {
                a = i;
                b = j;
                break;
            }
        }
    }
    CU_ASSERT_FATAL(a >= 0 && b >= 0);

    for (int i = 0; i < 3; i++) {
        mob_table_hits_add(&hits, t, &key[a], id[a], 100);
    }
    mob_table_hits_add(&hits, t, &key[b], id[b], 60);
    mob_table_hits_add(&hits, t, &key[b], id[b], 40);
    CU_ASSERT(mob_table_lookup(t, VNI, &mac[a], &e));
    CU_ASSERT_EQUAL(e.hit_packets, 0);
    CU_ASSERT(mob_table_lookup(t, VNI, &mac[b], &e));
    CU_ASSERT_EQUAL(e.hit_packets, 2);
    CU_ASSERT_EQUAL(e.hit_bytes, 100);

    /* 'b' is deleted and its entry reused by a new key: a late hit with
     * the old key goes nowhere. */
    CU_ASSERT(mob_table_delete(t, VNI, &mac[b]));
    req.mac = vm_mac(1);
    CU_ASSERT_EQUAL(mob_table_learn(t, &req, 11, NULL), MOB_LEARN_NEW);
    CU_ASSERT(mob_table_lookup(t, VNI, &req.mac, &e));
    CU_ASSERT_EQUAL(e.id, id[b]);
    mob_table_hits_add(&hits, t, &key[b], id[b], 70);
    mob_table_hits_flush(&hits);
    CU_ASSERT(mob_table_lookup(t, VNI, &req.mac, &e));
    CU_ASSERT_EQUAL(e.hit_packets, 0);
    CU_ASSERT(mob_table_lookup(t, VNI, &mac[a], &e));
    CU_ASSERT_EQUAL(e.hit_packets, 3);
    CU_ASSERT_EQUAL(e.hit_bytes, 300);
    mob_table_destroy(t);
}

/* Returns true if 'a' and 'b', two parse results, are equal field by
 * field. */
static bool
same_tnl_pkt(const struct mob_tnl_pkt *a, const struct mob_tnl_pkt *b)
{
    return (a->type == b->type && a->outer_ipv6 == b->outer_ipv6
            && a->outer_ttl == b->outer_ttl && a->n_vlans == b->n_vlans
            && mob_eth_addr_equals(&a->outer_dst_mac, &b->outer_dst_mac)
            && mob_eth_addr_equals(&a->outer_src_mac, &b->outer_src_mac)
            && mob_ip_equals(&a->outer_src, &b->outer_src)
            && mob_ip_equals(&a->outer_dst, &b->outer_dst)
            && a->udp_src == b->udp_src && a->udp_dst == b->udp_dst
            && a->l3_ofs == b->l3_ofs && a->l3_hlen == b->l3_hlen
            && a->l4_ofs == b->l4_ofs && a->tnl_ofs == b->tnl_ofs
            && a->inner_ofs == b->inner_ofs && a->end_ofs == b->end_ofs
            && a->vni == b->vni && a->vxlan_flags == b->vxlan_flags
            && a->geneve_flags == b->geneve_flags
            && a->geneve_opt_len == b->geneve_opt_len
            && a->geneve_n_opts == b->geneve_n_opts
            && a->geneve_critical == b->geneve_critical
            && a->redirect_mark == b->redirect_mark
            && mob_eth_addr_equals(&a->inner_dst, &b->inner_dst)
            && mob_eth_addr_equals(&a->inner_src, &b->inner_src));
}

/* The common-case parser (mob-packet-inline.h) against the general one:
 * on well-formed frames of every shape, and on random mutations of them
 * (bit flips in the headers, tags, cuts, other ports), whenever the fast
 * parser accepts a frame the general one does too, with the same result
 * in every field; whatever it turns away, the general one decides.  And it
 * does accept the common shape: every intact untagged or single-tagged
 * frame built here. */
static void
test_fast_parse_equals_full(void)
{
    static uint8_t buf[FRAME_MAX + 16];
    struct mob_pkt_config pcfg, other;
    size_t n_fast = 0, n_ok = 0, n_reject = 0, n_intact = 0;
    size_t n_intact_fast = 0, n_fast_wrong = 0, n_fields_wrong = 0;

    mob_pkt_config_init(&pcfg);
    other.vxlan_port = 8472;            /* Linux's old VXLAN port. */
    other.geneve_port = MOB_VXLAN_PORT;
    for (int i = 0; i < 300000; i++) {
        const struct mob_pkt_config *cfg = &pcfg;
        struct mob_tnl_pkt full, fast;
        enum mob_pkt_error error;
        size_t len = random_frame(buf);
        bool intact = true, fast_ok;
        unsigned int r = rng() % 16;

        if (r < 3) {
            len = add_vlan(buf, len);
            intact = r < 2;
        }
        if (r == 2) {
            len = add_vlan(buf, len);   /* Two tags: general parser. */
        }
        if (rng() % 2) {
            /* Flip bits among the headers (the first 100 bytes). */
            for (int k = 1 + rng() % 3; k > 0; k--) {
                size_t ofs = rng() % (len < 100 ? len + 1 : 100);

                if (ofs < len) {
                    buf[ofs] ^= 1 << (rng() % 8);
                    intact = false;
                }
            }
        }
        if (rng() % 10 == 0) {
            len = rng() % (len + 1);
            intact = false;
        }
        if (rng() % 20 == 0) {
            cfg = rng() & 1 ? NULL : &other;
            intact = intact && !cfg;
        }

        memset(&full, 0x5a, sizeof full);
        memset(&fast, 0xa5, sizeof fast);
        error = mob_pkt_parse_tunnel(buf, len, cfg, &full);
        fast_ok = mob_pkt_parse_tunnel_fast(buf, len, cfg, &fast);
        n_ok += error == MOB_PKT_OK;
        n_reject += error != MOB_PKT_OK && error != MOB_PKT_NOT_TUNNEL;
        if (fast_ok) {
            n_fast++;
            n_fast_wrong += error != MOB_PKT_OK;
            n_fields_wrong += !same_tnl_pkt(&fast, &full);
        }
        if (intact && error == MOB_PKT_OK) {
            n_intact++;
            n_intact_fast += fast_ok;
        }
    }
    CU_ASSERT_EQUAL(n_fast_wrong, 0);
    CU_ASSERT_EQUAL(n_fields_wrong, 0);
    CU_ASSERT_EQUAL(n_intact_fast, n_intact);
    /* The mix exercised both sides. */
    CU_ASSERT(n_intact > 100000);
    CU_ASSERT(n_reject > 10000);
    CU_ASSERT(n_fast > n_ok / 2);
    printf("# fast parser: %zu of 300000 frames (general: %zu ok, %zu "
           "malformed); %zu wrongly, %zu with other fields; %zu of %zu "
           "intact frames\n", n_fast, n_ok, n_reject, n_fast_wrong,
           n_fields_wrong, n_intact_fast, n_intact);
}

void
test_burst_register(void)
{
    static const struct test_case burst[] = {
        { "burst equals per-packet", test_burst_vs_single },
        { "burst equals per-packet, marks, no local address",
          test_burst_vs_single_no_local },
        { "announcement mid-burst", test_burst_announcement_mid_burst },
        { "foreign outer destination", test_foreign_destination },
        { "announcement pre-check", test_announce_maybe },
        { "lookup of the VTEP alone", test_lookup_vtep },
        { "hits not credited to a reused entry",
          test_hits_not_credited_to_reused_entry },
        { "hit whose cache slot another entry holds",
          test_hits_slot_held_by_another },
        { "common-case parser equals the general one",
          test_fast_parse_equals_full },
        { "fused path equals per-packet on mutated frames",
          test_fused_mutations },
        { "fused path with no table", test_fused_no_table },
        { "fused path, hits straight to the table",
          test_fused_hits_straight_to_table },
        { "fused path on runs of hits to the same VTEP",
          test_fused_vtep_runs },
    };

    TEST_ADD_SUITE("burst", burst);
}
