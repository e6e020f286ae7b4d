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

/* test-dpdk-path: tests of the DPDK burst fast path (mob-dpdk.h) on real
 * mbufs, printing TAP.  Arguments are EAL arguments (tests/dpdk-lib.sh
 * passes --no-huge --no-pci and friends).
 *
 * Frames are built here; each test checks the bytes that come out, the
 * mbuf's data offset and lengths, and the group each mbuf lands in. */

#include <config.h>

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_mbuf.h>

#include "mob-announce.h"
#include "mob-dpdk.h"
#include "mob-packet.h"
#include "mob-redirect.h"
#include "mob-table.h"

#define VNI 5001
#define MAX_FRAME 256

static int n_tests;
static int n_failed;

/* Reports test 'name' as passed if 'ok'. */
static void
check(bool ok, const char *name)
{
    n_tests++;
    if (!ok) {
        n_failed++;
    }
    printf("%sok %d - %s\n", ok ? "" : "not ", n_tests, name);
    fflush(stdout);
}

static struct rte_mempool *pool;
static struct in6_addr vtep_a, vtep_b, vtep_c, vtep6_a, vtep6_b, vtep6_c;
static const struct mob_eth_addr mac_local = {
    { 0x02, 0, 0, 0, 0, 0x0a } };
static const struct mob_eth_addr mac_gw = { { 0x02, 0, 0, 0, 0, 0xfe } };
static const struct mob_eth_addr mac_m = {
    { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 } };
static const struct mob_eth_addr mac_o = {
    { 0x52, 0x54, 0x00, 0x12, 0x34, 0x57 } };
static const struct mob_eth_addr mac_p = {
    { 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef } };

/* Writes a VXLAN or Geneve frame from 'src' to 'dst' (both IPv4-mapped,
 * or both IPv6) carrying 'inner' ('inner_len' bytes) into 'buf'.  IPv6
 * frames get a UDP checksum, IPv4 frames none.  'geneve_mark' adds the
 * ovs-mobility mark option.  Returns the frame's length. */
static size_t
build_tunnel(uint8_t *buf, enum mob_tnl_type type, const struct in6_addr *src,
             const struct in6_addr *dst, uint8_t ttl, const uint8_t *inner,
             size_t inner_len, bool geneve_mark)
{
    bool v6 = !mob_ip_is_v4(src);
    size_t l3 = MOB_ETH_HLEN;
    size_t l4 = l3 + (v6 ? MOB_IPV6_HLEN : MOB_IPV4_HLEN);
    size_t tnl = l4 + MOB_UDP_HLEN;
    size_t opt_len = geneve_mark ? 4 : 0;
    size_t inner_ofs = tnl + 8 + opt_len;
    size_t end = inner_ofs + inner_len;
    uint16_t udp_len = end - l4;

    memset(buf, 0, end);
    memcpy(buf, mac_local.ea, 6);
    memcpy(buf + 6, mac_gw.ea, 6);
    mob_put_be16(buf + 12, v6 ? MOB_ETH_TYPE_IPV6 : MOB_ETH_TYPE_IPV4);
    if (!v6) {
        buf[l3] = 0x45;
        mob_put_be16(buf + l3 + 2, end - l3);
        buf[l3 + 8] = ttl;
        buf[l3 + 9] = MOB_IPPROTO_UDP;
        memcpy(buf + l3 + 12, &src->s6_addr[12], 4);
        memcpy(buf + l3 + 16, &dst->s6_addr[12], 4);
        mob_put_be16(buf + l3 + 10, mob_csum(buf + l3, 20));
    } else {
        buf[l3] = 0x60;
        mob_put_be16(buf + l3 + 4, udp_len);
        buf[l3 + 6] = MOB_IPPROTO_UDP;
        buf[l3 + 7] = ttl;
        memcpy(buf + l3 + 8, src, 16);
        memcpy(buf + l3 + 24, dst, 16);
    }
    mob_put_be16(buf + l4, 50000);
    mob_put_be16(buf + l4 + 2, type == MOB_TNL_VXLAN ? MOB_VXLAN_PORT
                                                     : MOB_GENEVE_PORT);
    mob_put_be16(buf + l4 + 4, udp_len);
    if (type == MOB_TNL_VXLAN) {
        mob_put_be32(buf + tnl, MOB_VXLAN_FLAG_I);
        mob_put_be32(buf + tnl + 4, VNI << 8);
    } else {
        buf[tnl] = opt_len / 4;
        mob_put_be16(buf + tnl + 2, MOB_ETH_TYPE_TEB);
        mob_put_be32(buf + tnl + 4, VNI << 8);
        if (geneve_mark) {
            mob_put_be16(buf + tnl + 8, MOB_GENEVE_OPT_CLASS_MOBILITY);
            buf[tnl + 10] = MOB_GENEVE_OPT_TYPE_REDIRECT;
        }
    }
    memcpy(buf + inner_ofs, inner, inner_len);
    if (v6) {
        uint8_t pseudo[8] = { 0 };
        uint32_t sum;
        uint16_t csum;

        mob_put_be16(pseudo + 2, udp_len);
        pseudo[7] = MOB_IPPROTO_UDP;
        sum = mob_csum_add(0, buf + l3 + 8, 32);
        sum = mob_csum_add(sum, pseudo, 8);
        sum = mob_csum_add(sum, buf + l4, udp_len);
        csum = mob_csum_finish(sum);
        mob_put_be16(buf + l4 + 6, csum ? csum : 0xffff);
    }
    return end;
}

/* Writes a 64-byte inner Ethernet/IPv4 frame from 'src' to 'dst' into
 * 'buf'.  Returns its length. */
static size_t
build_inner(uint8_t *buf, const struct mob_eth_addr *dst,
            const struct mob_eth_addr *src)
{
    memset(buf, 0, 64);
    memcpy(buf, dst->ea, 6);
    memcpy(buf + 6, src->ea, 6);
    mob_put_be16(buf + 12, MOB_ETH_TYPE_IPV4);
    for (int i = 14; i < 64; i++) {
        buf[i] = i * 7;
    }
    return 64;
}

/* Returns a fresh mbuf holding 'len' bytes of 'frame'. */
static struct rte_mbuf *
make_mbuf(const uint8_t *frame, size_t len)
{
    struct rte_mbuf *m = rte_pktmbuf_alloc(pool);

    if (!m) {
        fprintf(stderr, "out of mbufs\n");
        exit(EXIT_FAILURE);
    }
    memcpy(rte_pktmbuf_append(m, len), frame, len);
    return m;
}

/* Returns true if 'm' holds exactly 'len' bytes equal to 'frame'. */
static bool
mbuf_equals(const struct rte_mbuf *m, const uint8_t *frame, size_t len)
{
    return (rte_pktmbuf_is_contiguous(m) && rte_pktmbuf_data_len(m) == len
            && !memcmp(rte_pktmbuf_mtod(m, const uint8_t *), frame, len));
}

/* Returns true if the IPv4 header at 'l3' has a valid checksum. */
static bool
ipv4_csum_ok(const uint8_t *l3)
{
    return mob_csum(l3, (l3[0] & 0xf) * 4) == 0;
}

/* Returns true if the UDP checksum of the IPv6 frame 'p' is valid. */
static bool
ipv6_udp_csum_ok(const uint8_t *p)
{
    uint16_t udp_len = mob_get_be16(p + 14 + 4);
    uint8_t pseudo[8] = { 0 };
    uint32_t sum;

    mob_put_be16(pseudo + 2, udp_len);
    pseudo[7] = MOB_IPPROTO_UDP;
    sum = mob_csum_add(0, p + 14 + 8, 32);
    sum = mob_csum_add(sum, pseudo, 8);
    sum = mob_csum_add(sum, p + 54, udp_len);
    return mob_csum_finish(sum) == 0;
}

/* Returns the index of 'm' in 'list' of 'n', or -1. */
static int
find(struct rte_mbuf *const *list, uint16_t n, const struct rte_mbuf *m)
{
    for (int i = 0; i < n; i++) {
        if (list[i] == m) {
            return i;
        }
    }
    return -1;
}

/* Adds a static entry ('mac' -> 'vtep') to 'table'. */
static void
add_entry(struct mob_table *table, const struct mob_eth_addr *mac,
          const struct in6_addr *vtep, enum mob_tnl_type type)
{
    struct mob_learn req;

    memset(&req, 0, sizeof req);
    req.vni = VNI;
    req.mac = *mac;
    req.vtep = *vtep;
    req.tnl_type = type;
    req.origin = MOB_ORIGIN_STATIC;
    mob_table_learn(table, &req, 1, NULL);
}

static struct mob_redirect_config cfg;
static struct mob_dpdk_neigh neigh;

/* The test frames of the mixed burst. */
enum {
    F_VXLAN4_HIT, F_VXLAN4_MISS, F_GENEVE4_HIT, F_GENEVE6_HIT,
    F_VXLAN6_HIT, F_ARP, F_TRUNC, F_MARKED, F_RARP, F_AFTER_RARP,
    F_SENDER, N_FRAMES
};

struct frame {
    uint8_t data[MAX_FRAME];
    size_t len;
};

/* Builds the frames of the mixed burst into 'f'. */
static void
build_frames(struct frame f[N_FRAMES])
{
    uint8_t inner[128];
    size_t n;

    n = build_inner(inner, &mac_m, &mac_p);
    f[F_VXLAN4_HIT].len = build_tunnel(f[F_VXLAN4_HIT].data, MOB_TNL_VXLAN,
                                       &vtep_c, &vtep_a, 64, inner, n,
                                       false);
    f[F_GENEVE4_HIT].len = build_tunnel(f[F_GENEVE4_HIT].data,
                                        MOB_TNL_GENEVE, &vtep_c, &vtep_a,
                                        64, inner, n, false);
    f[F_MARKED].len = build_tunnel(f[F_MARKED].data, MOB_TNL_GENEVE,
                                   &vtep_c, &vtep_a, 64, inner, n, true);
    f[F_GENEVE6_HIT].len = build_tunnel(f[F_GENEVE6_HIT].data,
                                        MOB_TNL_GENEVE, &vtep6_c, &vtep6_a,
                                        64, inner, n, false);
    f[F_VXLAN6_HIT].len = build_tunnel(f[F_VXLAN6_HIT].data, MOB_TNL_VXLAN,
                                       &vtep6_c, &vtep6_a, 64, inner, n,
                                       false);
    /* From B itself: redirecting to B would send it back to the sender. */
    f[F_SENDER].len = build_tunnel(f[F_SENDER].data, MOB_TNL_VXLAN,
                                   &vtep_b, &vtep_a, 64, inner, n, false);

    n = build_inner(inner, &mac_p, &mac_m);
    f[F_VXLAN4_MISS].len = build_tunnel(f[F_VXLAN4_MISS].data,
                                        MOB_TNL_VXLAN, &vtep_c, &vtep_a, 64,
                                        inner, n, false);

    /* An ARP request on the underlay. */
    memset(f[F_ARP].data, 0, 60);
    memset(f[F_ARP].data, 0xff, 6);
    memcpy(f[F_ARP].data + 6, mac_gw.ea, 6);
    mob_put_be16(f[F_ARP].data + 12, MOB_ETH_TYPE_ARP);
    f[F_ARP].len = 60;

    /* The VXLAN frame cut inside its UDP header. */
    memcpy(f[F_TRUNC].data, f[F_VXLAN4_HIT].data, 40);
    f[F_TRUNC].len = 40;

    /* O announces itself from B; then a packet for O in the same burst. */
    n = mob_announce_build_rarp(&mac_o, inner);
    f[F_RARP].len = build_tunnel(f[F_RARP].data, MOB_TNL_VXLAN, &vtep_b,
                                 &vtep_a, 64, inner, n, false);
    n = build_inner(inner, &mac_o, &mac_p);
    f[F_AFTER_RARP].len = build_tunnel(f[F_AFTER_RARP].data, MOB_TNL_VXLAN,
                                       &vtep_c, &vtep_a, 64, inner, n,
                                       false);
}

/* Returns a table holding M -> B (IPv4) for the mixed burst, or with
 * 'v6' M -> B's IPv6 address. */
static struct mob_table *
make_table(bool v6)
{
    struct mob_table *table = mob_table_create(NULL);

    add_entry(table, &mac_m, v6 ? &vtep6_b : &vtep_b, MOB_TNL_VXLAN);
    return table;
}

/* The mixed burst: every frame lands in the right group, and every output
 * is byte for byte what lib's pipeline makes of the same frame in a flat
 * buffer. */
static void
test_mixed_burst(bool v6)
{
    struct frame f[N_FRAMES];
    struct rte_mbuf *pkts[N_FRAMES];
    struct mob_dpdk_groups groups;
    struct mob_dpdk_path path;
    struct mob_table *table = make_table(v6), *ref_table = make_table(v6);
    bool same = true, order = true;
    char name[128];

    build_frames(f);
    for (int i = 0; i < N_FRAMES; i++) {
        pkts[i] = make_mbuf(f[i].data, f[i].len);
    }
    mob_dpdk_path_init(&path, table, &cfg);
    mob_dpdk_process_burst(&path, pkts, N_FRAMES, 100, &groups);

    check(groups.n_redirect + groups.n_local + groups.n_reject == N_FRAMES,
          "every mbuf lands in exactly one group");

    /* Reference: lib on flat copies, with as much headroom. */
    for (int i = 0; i < N_FRAMES; i++) {
        uint8_t buf[RTE_PKTMBUF_HEADROOM + MAX_FRAME];
        uint8_t *frame = buf + RTE_PKTMBUF_HEADROOM;
        struct mob_result res;
        enum mob_action act;
        struct rte_mbuf *m = pkts[i];
        int pos;

        memcpy(frame, f[i].data, f[i].len);
        act = mob_redirect_process(frame, f[i].len, RTE_PKTMBUF_HEADROOM,
                                   ref_table, &cfg, 100, &res);
        if (act == MOB_ACT_REDIRECT) {
            frame -= res.grow;
        }
        if (!mbuf_equals(m, frame, f[i].len + (act == MOB_ACT_REDIRECT
                                                ? res.grow : 0))) {
            same = false;
        }
        pos = (act == MOB_ACT_REDIRECT
               ? find(groups.redirect, groups.n_redirect, m)
               : act == MOB_ACT_LOCAL ? find(groups.local, groups.n_local, m)
               : find(groups.reject, groups.n_reject, m));
        if (pos < 0) {
            same = false;
        }
    }
    snprintf(name, sizeof name, "%s: outputs equal lib on flat buffers",
             v6 ? "M on IPv6" : "M on IPv4");
    check(same, name);

    for (int i = 1; i < groups.n_redirect; i++) {
        if (find(pkts, N_FRAMES, groups.redirect[i - 1])
            > find(pkts, N_FRAMES, groups.redirect[i])) {
            order = false;
        }
    }
    check(order, "redirected group keeps arrival order");

    if (!v6) {
        const uint8_t *p;
        struct rte_mbuf *m;

        /* VXLAN over IPv4: rewritten in place, same length. */
        m = pkts[F_VXLAN4_HIT];
        p = rte_pktmbuf_mtod(m, const uint8_t *);
        check(find(groups.redirect, groups.n_redirect, m) >= 0
              && m->data_off == RTE_PKTMBUF_HEADROOM
              && rte_pktmbuf_pkt_len(m) == f[F_VXLAN4_HIT].len
              && !memcmp(p, mac_gw.ea, 6) && !memcmp(p + 6, mac_local.ea, 6)
              && !memcmp(p + 30, &vtep_b.s6_addr[12], 4)
              && !memcmp(p + 26, &vtep_c.s6_addr[12], 4)
              && p[22] == 63 && ipv4_csum_ok(p + 14)
              && !memcmp(p + 42, f[F_VXLAN4_HIT].data + 42,
                         f[F_VXLAN4_HIT].len - 42),
              "vxlan4 hit: outer rewritten to B, checksum valid, "
              "tunnel and inner untouched");

        /* Geneve over IPv4: 4 bytes of mark prepended in the headroom. */
        m = pkts[F_GENEVE4_HIT];
        p = rte_pktmbuf_mtod(m, const uint8_t *);
        check(find(groups.redirect, groups.n_redirect, m) >= 0
              && m->data_off == RTE_PKTMBUF_HEADROOM - MOB_GENEVE_MARK_LEN
              && rte_pktmbuf_pkt_len(m) == f[F_GENEVE4_HIT].len + 4
              && rte_pktmbuf_data_len(m) == f[F_GENEVE4_HIT].len + 4
              && mob_get_be16(p + 16) == f[F_GENEVE4_HIT].len - 14 + 4
              && mob_get_be16(p + 38) == f[F_GENEVE4_HIT].len - 34 + 4
              && (p[42] & 0x3f) == 1
              && mob_get_be16(p + 50) == MOB_GENEVE_OPT_CLASS_MOBILITY
              && p[52] == MOB_GENEVE_OPT_TYPE_REDIRECT
              && ipv4_csum_ok(p + 14)
              && !memcmp(p + 54, f[F_GENEVE4_HIT].data + 50,
                         f[F_GENEVE4_HIT].len - 50),
              "geneve4 hit: mark option prepended into the headroom, "
              "lengths and checksum right");

        check(find(groups.local, groups.n_local, pkts[F_VXLAN4_MISS]) >= 0
              && mbuf_equals(pkts[F_VXLAN4_MISS], f[F_VXLAN4_MISS].data,
                             f[F_VXLAN4_MISS].len),
              "miss: local, unchanged");
        check(find(groups.local, groups.n_local, pkts[F_ARP]) >= 0
              && mbuf_equals(pkts[F_ARP], f[F_ARP].data, f[F_ARP].len),
              "not a tunnel packet: local, unchanged");
        check(find(groups.reject, groups.n_reject, pkts[F_TRUNC]) >= 0
              && mbuf_equals(pkts[F_TRUNC], f[F_TRUNC].data,
                             f[F_TRUNC].len),
              "truncated: rejected, unchanged");
        check(find(groups.reject, groups.n_reject, pkts[F_MARKED]) >= 0
              && mbuf_equals(pkts[F_MARKED], f[F_MARKED].data,
                             f[F_MARKED].len),
              "marked Geneve: rejected as a loop, unchanged");
        check(find(groups.reject, groups.n_reject, pkts[F_SENDER]) >= 0,
              "redirect back to the sender: rejected as a loop");
        check(find(groups.local, groups.n_local, pkts[F_RARP]) >= 0
              && find(groups.redirect, groups.n_redirect,
                      pkts[F_AFTER_RARP]) >= 0
              && !memcmp(rte_pktmbuf_mtod(pkts[F_AFTER_RARP], uint8_t *)
                         + 30, &vtep_b.s6_addr[12], 4),
              "RARP learned mid-burst: delivered locally, and the next "
              "packet of the burst is redirected to its sender");
        check(path.stats.rx_packets == N_FRAMES
              && path.stats.announcements == 1
              && path.stats.redirected_packets == groups.n_redirect,
              "path counters match the groups");
    } else {
        const uint8_t *p;
        struct rte_mbuf *m;

        m = pkts[F_GENEVE6_HIT];
        p = rte_pktmbuf_mtod(m, const uint8_t *);
        check(find(groups.redirect, groups.n_redirect, m) >= 0
              && rte_pktmbuf_data_len(m) == f[F_GENEVE6_HIT].len + 4
              && !memcmp(p + 38, &vtep6_b, 16) && p[21] == 64
              && ipv6_udp_csum_ok(p),
              "geneve6 hit: to B, marked, fresh hop limit, UDP csum valid");
        m = pkts[F_VXLAN6_HIT];
        p = rte_pktmbuf_mtod(m, const uint8_t *);
        check(find(groups.redirect, groups.n_redirect, m) >= 0
              && rte_pktmbuf_data_len(m) == f[F_VXLAN6_HIT].len
              && !memcmp(p + 38, &vtep6_b, 16) && ipv6_udp_csum_ok(p),
              "vxlan6 hit: to B, UDP checksum valid");
        check(find(groups.local, groups.n_local, pkts[F_VXLAN4_HIT]) >= 0
              && mbuf_equals(pkts[F_VXLAN4_HIT], f[F_VXLAN4_HIT].data,
                             f[F_VXLAN4_HIT].len),
              "IPv4 packet, IPv6 entry: local fallback, unchanged");
    }

    for (int i = 0; i < N_FRAMES; i++) {
        rte_pktmbuf_free(pkts[i]);
    }
    mob_table_destroy(table);
    mob_table_destroy(ref_table);
}

/* Runs one burst of 'n' mbufs, frame kinds[i] of 'f' in mbuf i (mbuf
 * 'chained', if not negative, split in two), through a fresh path and
 * returns true if every mbuf lands, in arrival order, in the group and
 * with the bytes that lib's pipeline gives the same frames in flat
 * buffers. */
static bool
burst_equals_lib(const struct frame f[N_FRAMES], const int kinds[], int n,
                 int chained)
{
    struct mob_table *table = make_table(false);
    struct mob_table *ref_table = make_table(false);
    struct rte_mbuf *pkts[MOB_DPDK_MAX_BURST];
    struct mob_dpdk_groups groups;
    uint16_t n_group[3] = { 0, 0, 0 };
    static struct mob_dpdk_path path;
    bool ok = true;

    for (int i = 0; i < n; i++) {
        const struct frame *fr = &f[kinds[i]];

        if (i == chained) {
            struct rte_mbuf *tail = make_mbuf(fr->data + 40, fr->len - 40);

            pkts[i] = make_mbuf(fr->data, 40);
            ok = ok && !rte_pktmbuf_chain(pkts[i], tail);
        } else {
            pkts[i] = make_mbuf(fr->data, fr->len);
        }
    }
    mob_dpdk_path_init(&path, table, &cfg);
    mob_dpdk_process_burst(&path, pkts, n, 100, &groups);
    ok = ok && groups.n_redirect + groups.n_local + groups.n_reject == n;

    for (int i = 0; i < n && ok; i++) {
        uint8_t buf[RTE_PKTMBUF_HEADROOM + MAX_FRAME];
        uint8_t *frame = buf + RTE_PKTMBUF_HEADROOM;
        const struct frame *fr = &f[kinds[i]];
        struct rte_mbuf **group;
        struct mob_result res;
        enum mob_action act;
        int g;

        memcpy(frame, fr->data, fr->len);
        act = mob_redirect_process(frame, fr->len, RTE_PKTMBUF_HEADROOM,
                                   ref_table, &cfg, 100, &res);
        if (act == MOB_ACT_REDIRECT) {
            frame -= res.grow;
        }
        g = act == MOB_ACT_REDIRECT ? 0 : act == MOB_ACT_LOCAL ? 1 : 2;
        group = (g == 0 ? groups.redirect : g == 1 ? groups.local
                 : groups.reject);
        ok = (n_group[g] < (g == 0 ? groups.n_redirect
                            : g == 1 ? groups.n_local : groups.n_reject)
              && group[n_group[g]++] == pkts[i]
              && mbuf_equals(pkts[i], frame,
                             fr->len + (act == MOB_ACT_REDIRECT
                                        ? res.grow : 0)));
    }
    ok = ok && path.linearized == (chained >= 0);
    rte_pktmbuf_free_bulk(pkts, n);
    mob_table_destroy(table);
    mob_table_destroy(ref_table);
    return ok;
}

/* Bursts of one kind of frame, with one frame of another kind (or none)
 * at the start, the middle or the end, and with one chained mbuf: a burst
 * of redirects alone or of misses alone goes on as one group, which must
 * not happen to a burst with one frame that differs (another action, or
 * a redirect that grew). */
static void
test_uniform_bursts(void)
{
    static const int pairs[][2] = {
        { F_VXLAN4_HIT, -1 }, { F_VXLAN4_MISS, -1 },
        { F_VXLAN4_HIT, F_VXLAN4_MISS }, { F_VXLAN4_MISS, F_VXLAN4_HIT },
        { F_VXLAN4_HIT, F_GENEVE4_HIT }, { F_VXLAN4_MISS, F_GENEVE4_HIT },
        { F_GENEVE4_HIT, -1 }, { F_VXLAN4_HIT, F_TRUNC },
        { F_VXLAN4_MISS, F_TRUNC }, { F_VXLAN4_HIT, F_SENDER },
        { F_VXLAN4_MISS, F_ARP }, { F_VXLAN4_HIT, F_ARP },
    };
    static const int sizes[] = { 1, 2, 32, MOB_DPDK_MAX_BURST };
    struct frame f[N_FRAMES];
    int n_bursts = 0;
    bool ok = true;

    build_frames(f);
    for (size_t p = 0; p < RTE_DIM(pairs); p++) {
        for (size_t s = 0; s < RTE_DIM(sizes); s++) {
            int n = sizes[s];
            int odd_pos[] = { 0, n / 2, n - 1 };

            for (size_t o = 0; o < RTE_DIM(odd_pos); o++) {
                int kinds[MOB_DPDK_MAX_BURST];

                for (int i = 0; i < n; i++) {
                    kinds[i] = pairs[p][0];
                }
                if (pairs[p][1] >= 0) {
                    kinds[odd_pos[o]] = pairs[p][1];
                }
                ok = ok && burst_equals_lib(f, kinds, n, -1);
                ok = ok && burst_equals_lib(f, kinds, n, n - 1 - odd_pos[o]);
                n_bursts += 2;
            }
        }
    }
    printf("# %d bursts\n", n_bursts);
    check(ok, "uniform bursts and bursts with one odd frame or one chained "
          "mbuf: groups, order and bytes equal lib on flat buffers");
}

/* A chained mbuf is made contiguous and then redirected like any other. */
static void
test_chained(void)
{
    struct frame f[N_FRAMES];
    struct mob_table *table = make_table(false);
    struct mob_dpdk_groups groups;
    struct mob_dpdk_path path;
    struct rte_mbuf *m, *tail;
    const uint8_t *p;

    build_frames(f);
    m = make_mbuf(f[F_VXLAN4_HIT].data, 40);
    tail = make_mbuf(f[F_VXLAN4_HIT].data + 40, f[F_VXLAN4_HIT].len - 40);
    if (rte_pktmbuf_chain(m, tail)) {
        check(false, "chain two mbufs");
        return;
    }
    mob_dpdk_path_init(&path, table, &cfg);
    mob_dpdk_process_burst(&path, &m, 1, 100, &groups);
    p = rte_pktmbuf_mtod(m, const uint8_t *);
    check(groups.n_redirect == 1 && path.linearized == 1
          && rte_pktmbuf_is_contiguous(m)
          && rte_pktmbuf_pkt_len(m) == f[F_VXLAN4_HIT].len
          && !memcmp(p + 30, &vtep_b.s6_addr[12], 4)
          && !memcmp(p + 42, f[F_VXLAN4_HIT].data + 42,
                     f[F_VXLAN4_HIT].len - 42),
          "chained mbuf: linearised and redirected");
    rte_pktmbuf_free(m);
    mob_table_destroy(table);
}

/* A Geneve hit with no headroom for the mark falls back to local delivery,
 * unchanged. */
static void
test_no_headroom(void)
{
    struct frame f[N_FRAMES];
    struct mob_table *table = make_table(false);
    struct mob_dpdk_groups groups;
    struct mob_dpdk_path path;
    struct rte_mbuf *m;

    build_frames(f);
    m = make_mbuf(f[F_GENEVE4_HIT].data, f[F_GENEVE4_HIT].len);
    rte_pktmbuf_prepend(m, rte_pktmbuf_headroom(m));
    memcpy(rte_pktmbuf_mtod(m, uint8_t *), f[F_GENEVE4_HIT].data,
           f[F_GENEVE4_HIT].len);
    rte_pktmbuf_trim(m, rte_pktmbuf_data_len(m) - f[F_GENEVE4_HIT].len);
    mob_dpdk_path_init(&path, table, &cfg);
    mob_dpdk_process_burst(&path, &m, 1, 100, &groups);
    check(groups.n_local == 1 && rte_pktmbuf_headroom(m) == 0
          && mbuf_equals(m, f[F_GENEVE4_HIT].data, f[F_GENEVE4_HIT].len),
          "geneve hit without headroom: local, unchanged");
    rte_pktmbuf_free(m);
    mob_table_destroy(table);
}

/* Concurrency: a writer moves M between B and C's neighbour D and deletes
 * it, while bursts run.  Every packet must come out either unchanged
 * (local) or rewritten completely to one of the two VTEPs. */
struct writer_arg {
    struct mob_table *table;
    atomic_bool stop;
    unsigned long n_ops;
};

static struct in6_addr vtep_d;

/* Writer thread body for test_concurrent(). */
static void *
writer_main(void *arg_)
{
    struct writer_arg *arg = arg_;
    unsigned long i = 0;
    cpu_set_t cpus;

    /* EAL pinned the main thread, and so this one, to one CPU: let the
     * writer run beside the reader where there is a second CPU. */
    CPU_ZERO(&cpus);
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
        CPU_SET(cpu, &cpus);
    }
    pthread_setaffinity_np(pthread_self(), sizeof cpus, &cpus);

    while (!atomic_load(&arg->stop)) {
        switch (i++ % 3) {
        case 0:
            add_entry(arg->table, &mac_m, &vtep_b, MOB_TNL_VXLAN);
            break;
        case 1:
            add_entry(arg->table, &mac_m, &vtep_d, MOB_TNL_VXLAN);
            break;
        default:
            mob_table_delete(arg->table, VNI, &mac_m);
            break;
        }
    }
    arg->n_ops = i;
    return NULL;
}

/* Runs bursts against a table that a writer thread keeps changing. */
static void
test_concurrent(void)
{
    struct frame f[N_FRAMES];
    struct writer_arg arg;
    struct mob_table_config tcfg;
    pthread_t writer;
    bool all_ok = true;
    unsigned long n_redirect = 0, n_local = 0;

    build_frames(f);
    mob_table_config_init(&tcfg);
    tcfg.flap_moves = 0;
    memset(&arg, 0, sizeof arg);
    arg.table = mob_table_create(&tcfg);
    atomic_init(&arg.stop, false);
    pthread_create(&writer, NULL, writer_main, &arg);

    for (int round = 0; round < 20000 && all_ok; round++) {
        struct rte_mbuf *pkts[32];
        struct mob_dpdk_groups groups;
        struct mob_dpdk_path path;

        for (int i = 0; i < 32; i++) {
            pkts[i] = make_mbuf(f[F_VXLAN4_HIT].data, f[F_VXLAN4_HIT].len);
        }
        mob_dpdk_path_init(&path, arg.table, &cfg);
        mob_dpdk_process_burst(&path, pkts, 32, 100, &groups);
        for (int i = 0; i < groups.n_redirect; i++) {
            const uint8_t *p = rte_pktmbuf_mtod(groups.redirect[i],
                                                const uint8_t *);

            if ((memcmp(p + 30, &vtep_b.s6_addr[12], 4)
                 && memcmp(p + 30, &vtep_d.s6_addr[12], 4))
                || !ipv4_csum_ok(p + 14)
                || memcmp(p + 34, f[F_VXLAN4_HIT].data + 34,
                          f[F_VXLAN4_HIT].len - 34)) {
                all_ok = false;
            }
        }
        for (int i = 0; i < groups.n_local; i++) {
            if (!mbuf_equals(groups.local[i], f[F_VXLAN4_HIT].data,
                             f[F_VXLAN4_HIT].len)) {
                all_ok = false;
            }
        }
        all_ok = all_ok && groups.n_reject == 0;
        n_redirect += groups.n_redirect;
        n_local += groups.n_local;
        rte_pktmbuf_free_bulk(pkts, 32);
    }
    atomic_store(&arg.stop, true);
    pthread_join(writer, NULL);
    printf("# concurrent: %lu redirected, %lu local, %lu table writes\n",
           n_redirect, n_local, arg.n_ops);
    check(all_ok && n_redirect > 0, "table changing under bursts: every "
          "packet whole, either local or redirected to a current VTEP");
    mob_table_destroy(arg.table);
}

int
main(int argc, char *argv[])
{
    if (rte_eal_init(argc, argv) < 0) {
        printf("1..0 # SKIP EAL initialisation failed\n");
        return 0;
    }
    pool = rte_pktmbuf_pool_create("test_pool", 2047, 0, 0,
                                   RTE_MBUF_DEFAULT_BUF_SIZE,
                                   rte_socket_id());
    if (!pool) {
        printf("Bail out! no mbuf pool\n");
        return 1;
    }

    mob_ip_parse("192.0.2.1", &vtep_a);
    mob_ip_parse("192.0.2.2", &vtep_b);
    mob_ip_parse("192.0.2.3", &vtep_c);
    mob_ip_parse("192.0.2.4", &vtep_d);
    mob_ip_parse("2001:db8::a", &vtep6_a);
    mob_ip_parse("2001:db8::b", &vtep6_b);
    mob_ip_parse("2001:db8::c", &vtep6_c);

    mob_redirect_config_init(&cfg);
    cfg.local_vtep4 = vtep_a;
    cfg.local_vtep6 = vtep6_a;
    cfg.local_mac = mac_local;
    mob_dpdk_neigh_init(&neigh);
    neigh.has_default = true;
    neigh.default_mac = mac_gw;
    cfg.neigh_lookup = mob_dpdk_neigh_lookup;
    cfg.neigh_aux = &neigh;

    test_mixed_burst(false);
    test_mixed_burst(true);
    test_chained();
    test_uniform_bursts();
    test_no_headroom();
    test_concurrent();

    printf("1..%d\n", n_tests);
    rte_mempool_free(pool);
    rte_eal_cleanup();
    return n_failed ? 1 : 0;
}
