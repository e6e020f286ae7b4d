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

/* mobility-bench-dpdk: cycles per packet of the DPDK fast path.
 *
 * One lcore, one net_ring port whose receive ring is filled with
 * BENCH_N_PKTS mbufs holding 114-byte VXLAN frames and whose transmit ring
 * collects them.  A round receives bursts of 32 until the receive ring is
 * empty, does a variant's work on each burst and transmits it; only that
 * is timed.  Between rounds (untimed) the frames get their original outer
 * headers back, and new random keys where the variant wants them, and go
 * back into the receive ring.  Each variant runs BENCH_RUNS times; the
 * median is reported as TSC cycles per packet and Mpps.  A run's figure is
 * its median round (1024 packets), so that rounds in which another process
 * had the core (this machine is shared) do not count.
 *
 * Variants:
 *   floor            rx and tx, no work;
 *   rewrite          lib's outer rewrite (mob_redirect_rewrite()) alone;
 *   redirect_1k_*    the whole fast path (mob_dpdk_process_burst()) with
 *                    1024 entries and 0, 50 or 100 % of packets hitting;
 *   redirect_1m_random  the same with 2^20 entries and random keys;
 *   decap_encap      what a generic switch does (Open vSwitch's tnl_pop,
 *                    recirculation and tnl_push): parse, pop the outer
 *                    headers, parse the inner frame, look up, prepend
 *                    the flow's cached outer header, set its lengths and
 *                    compute its IPv4 checksum in full.
 *
 * With no argument it picks its EAL arguments: --in-memory if enough 2 MB
 * hugepages are free, else --no-huge with a packed mempool
 * (RTE_MEMPOOL_F_NO_IOVA_CONTIG).  Arguments, if given, are EAL
 * arguments.  MOB_BENCH_ONLY=NAME in the environment runs only variant NAME
 * (e.g. dpdk_redirect_1k_hit100), for profiling; ratios are then
 * meaningless. */

#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_hash_crc.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_mbuf_pool_ops.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "mob-dpdk.h"
#include "mob-packet.h"
#include "mob-redirect.h"
#include "mob-table.h"

#define BENCH_N_PKTS 1024           /* Frames in flight per round. */
#define BENCH_N_MBUFS 8191
#define BENCH_BURST 32
#define BENCH_RUNS 7
#define BENCH_PKTS_PER_RUN (1u << 21)
#define BENCH_FRAME_LEN 114
#define BENCH_HDR_LEN 64            /* Bytes restored between rounds. */
#define BENCH_VNI 100
#define BENCH_1K 1024
#define BENCH_1M (1u << 20)
#define BENCH_HUGE_MB 256

enum bench_variant {
    BENCH_FLOOR,
    BENCH_REWRITE,
    BENCH_REDIRECT,
    BENCH_DECAP_ENCAP,
};

struct bench {
    struct rte_mempool *pool;
    struct rte_ring *rx_ring;
    struct rte_ring *tx_ring;
    uint16_t port;
    struct rte_mbuf *pkts[BENCH_N_PKTS];
    uint8_t frame[BENCH_FRAME_LEN];     /* Template. */
    uint16_t headroom;                  /* Of a fresh mbuf. */
    struct mob_tnl_pkt tmpl;            /* The template, parsed. */
    struct mob_redirect_config cfg;
    struct mob_dpdk_neigh neigh;
    struct mob_entry entry;             /* For the rewrite variant. */
    struct mob_eth_addr nh_mac;
    uint64_t rng;
    uint64_t sink;                      /* Keeps results alive. */
    uint8_t push_hdr[50];               /* decap_encap's cached header. */
    struct mob_table_hits hits;         /* decap_encap's hit counts. */
};

/* Returns a pseudo-random number (xorshift64*). */
static uint64_t
bench_random(struct bench *b)
{
    b->rng ^= b->rng >> 12;
    b->rng ^= b->rng << 25;
    b->rng ^= b->rng >> 27;
    return b->rng * 0x2545f4914f6cdd1dULL;
}

/* Returns the MAC address of table key 'k'; 'miss' gives an address that
 * no key has. */
static struct mob_eth_addr
bench_key_mac(uint32_t k, bool miss)
{
    return mob_eth_addr_from_u64((miss ? 0x060000000000ULL
                                  : 0x020000000000ULL) | k);
}

/* Builds the template: a 114-byte VXLAN frame from peer 10.0.0.2 to this
 * VTEP 10.0.0.1, VNI BENCH_VNI, carrying a 100-byte inner IPv4/UDP
 * frame. */
static void
bench_build_frame(struct bench *b)
{
    static const uint8_t hdr[] = {
        /* Outer Ethernet: to this VTEP's MAC from the gateway. */
        0x02, 0xaa, 0x00, 0x00, 0x00, 0x01,
        0x02, 0xbb, 0x00, 0x00, 0x00, 0xfe, 0x08, 0x00,
        /* Outer IPv4: 100 bytes, TTL 64, UDP, 10.0.0.2 -> 10.0.0.1. */
        0x45, 0x00, 0x00, 0x64, 0x12, 0x34, 0x40, 0x00,
        0x40, 0x11, 0x00, 0x00, 10, 0, 0, 2, 10, 0, 0, 1,
        /* UDP: 49152 -> 4789, 80 bytes, no checksum. */
        0xc0, 0x00, 0x12, 0xb5, 0x00, 0x50, 0x00, 0x00,
        /* VXLAN: I flag, VNI. */
        0x08, 0x00, 0x00, 0x00, 0x00, 0x00, BENCH_VNI, 0x00,
        /* Inner Ethernet: destination filled per packet. */
        0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x02, 0xcc, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00,
        /* Inner IPv4 header, 36 bytes, UDP, 192.168.0.1 -> .2. */
        0x45, 0x00, 0x00, 0x24, 0x00, 0x01, 0x00, 0x00,
        0x40, 0x11, 0x00, 0x00, 192, 168, 0, 1, 192, 168, 0, 2,
    };
    uint16_t csum;

    memset(b->frame, 0, sizeof b->frame);
    memcpy(b->frame, hdr, sizeof hdr);
    csum = mob_csum(b->frame + 14, 20);
    mob_put_be16(b->frame + 24, csum);
    csum = mob_csum(b->frame + 64, 20);
    mob_put_be16(b->frame + 74, csum);
    /* Inner UDP 1000 -> 2000, 16 bytes, 8 bytes of payload. */
    mob_put_be16(b->frame + 84, 1000);
    mob_put_be16(b->frame + 86, 2000);
    mob_put_be16(b->frame + 88, 16);
    memcpy(b->frame + 92, "mobility", 8);
}

/* Restores every frame of 'b' to the template with a new inner
 * destination: a random key among 'n_keys' table keys, or with
 * probability 'miss_pct' percent a key the table does not have. */
static void
bench_restore(struct bench *b, uint32_t n_keys, unsigned int miss_pct)
{
    for (size_t i = 0; i < BENCH_N_PKTS; i++) {
        struct rte_mbuf *m = b->pkts[i];
        uint64_t r = bench_random(b);
        bool miss = (r >> 40) % 100 < miss_pct;
        struct mob_eth_addr mac = bench_key_mac(r % n_keys, miss);
        uint8_t *p;

        m->data_off = b->headroom;
        m->data_len = m->pkt_len = BENCH_FRAME_LEN;
        p = rte_pktmbuf_mtod(m, uint8_t *);
        memcpy(p, b->frame, BENCH_HDR_LEN);
        memcpy(p + 50, mac.ea, MOB_ETH_ADDR_LEN);
    }
}

/* Fills 'table' with keys 0 to 'n' - 1, all moved to 10.0.0.3. */
static void
bench_fill_table(struct mob_table *table, uint32_t n)
{
    struct mob_learn req;

    memset(&req, 0, sizeof req);
    req.vni = BENCH_VNI;
    req.vtep = mob_ip_from_v4(0x0a000003);
    req.tnl_type = MOB_TNL_VXLAN;
    req.origin = MOB_ORIGIN_STATIC;
    for (uint32_t k = 0; k < n; k++) {
        req.mac = bench_key_mac(k, false);
        mob_table_learn(table, &req, 1, NULL);
    }
}

/* Builds in 'b' the outer header a generic switch would have cached for
 * the flow to the new VTEP 10.0.0.3 (Open vSwitch builds it once, at
 * translation time, with netdev_build_header(), and stores it in the
 * datapath flow's tnl_push action). */
static void
bench_build_push_header(struct bench *b)
{
    uint8_t *p = b->push_hdr;

    memset(p, 0, sizeof b->push_hdr);
    memcpy(p, b->nh_mac.ea, 6);
    memcpy(p + 6, b->cfg.local_mac.ea, 6);
    mob_put_be16(p + 12, MOB_ETH_TYPE_IPV4);
    p[14] = 0x45;
    mob_put_be16(p + 20, 0x4000);
    p[22] = b->cfg.ttl;
    p[23] = MOB_IPPROTO_UDP;
    memcpy(p + 26, &b->cfg.local_vtep4.s6_addr[12], 4);
    mob_put_be32(p + 30, 0x0a000003);
    mob_put_be16(p + 36, MOB_VXLAN_PORT);
    mob_put_be32(p + 42, MOB_VXLAN_FLAG_I);
    mob_put_be32(p + 46, BENCH_VNI << 8);
}

/* The generic switch's way, for one mbuf 'm', as Open vSwitch's userspace
 * datapath does it: parse the outer headers, pop them
 * (rte_pktmbuf_adj()), parse the inner frame (the recirculation's
 * miniflow_extract()), look up, then push (netdev_tnl_push_udp_header()):
 * prepend the cached outer header, set the IP and UDP lengths, compute the
 * IPv4 header checksum in full, and set the UDP source port from a hash of
 * the inner frame.  The lookup and the hit counting are the same as the
 * fast path's, so that only the way of re-encapsulating differs. */
static void
bench_decap_encap(struct bench *b, struct mob_table *table,
                  struct rte_mbuf *m)
{
    struct mob_table_key key;
    struct mob_tnl_pkt pkt;
    struct in6_addr vtep;
    struct mob_l2 l2;
    uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
    uint32_t vni, id;
    uint16_t inner_len;

    if (mob_pkt_parse_tunnel(p, rte_pktmbuf_data_len(m), &b->cfg.pkt,
                             &pkt) != MOB_PKT_OK) {
        return;
    }
    vni = pkt.vni;
    p = (uint8_t *) rte_pktmbuf_adj(m, pkt.inner_ofs);
    inner_len = rte_pktmbuf_data_len(m);
    if (mob_pkt_parse_l2(p, inner_len, &l2) != MOB_PKT_OK) {
        return;
    }
    mob_table_key_init(table, vni, &l2.dst, &key);
    if (!mob_table_lookup_vtep(table, &key, &vtep, &id)) {
        return;
    }
    p = (uint8_t *) rte_pktmbuf_prepend(m, sizeof b->push_hdr);
    if (!p) {
        return;
    }
    memcpy(p, b->push_hdr, sizeof b->push_hdr);
    mob_put_be16(p + 16, inner_len + 36);
    memcpy(p + 30, &vtep.s6_addr[12], 4);
    mob_put_be16(p + 24, rte_ipv4_cksum((const struct rte_ipv4_hdr *)
                                        (p + 14)));
    mob_put_be16(p + 34, 0xc000 | (rte_hash_crc(p + 50, 14, 0) & 0x3fff));
    mob_put_be16(p + 38, inner_len + 16);
    mob_put_be32(p + 46, vni << 8);
    mob_table_hits_add(&b->hits, table, &key, id, rte_pktmbuf_pkt_len(m));
}

/* Does 'variant's work on burst 'pkts' ('n' mbufs) and transmits it. */
static void
bench_burst(struct bench *b, enum bench_variant variant,
            struct mob_dpdk_path *path, struct mob_table *table,
            struct rte_mbuf **pkts, uint16_t n)
{
    struct mob_dpdk_groups groups;
    uint16_t sent;

    switch (variant) {
    case BENCH_FLOOR:
        break;
    case BENCH_REWRITE:
        for (uint16_t i = 0; i < n; i++) {
            struct rte_mbuf *m = pkts[i];

            b->sink += mob_redirect_rewrite(rte_pktmbuf_mtod(m, uint8_t *),
                                            rte_pktmbuf_data_len(m),
                                            rte_pktmbuf_headroom(m),
                                            &b->tmpl, &b->entry,
                                            &b->nh_mac, &b->cfg);
        }
        break;
    case BENCH_REDIRECT:
        /* As mobility-fwd does: one transmit per group that is not
         * empty. */
        mob_dpdk_process_burst(path, pkts, n, 1, &groups);
        sent = 0;
        if (groups.n_redirect) {
            sent += rte_eth_tx_burst(b->port, 0, groups.redirect,
                                     groups.n_redirect);
        }
        if (groups.n_local) {
            sent += rte_eth_tx_burst(b->port, 0, groups.local,
                                     groups.n_local);
        }
        if (groups.n_reject) {
            sent += rte_eth_tx_burst(b->port, 0, groups.reject,
                                     groups.n_reject);
        }
        b->sink += n - sent;
        return;
    case BENCH_DECAP_ENCAP:
        for (uint16_t i = 0; i < n; i++) {
            bench_decap_encap(b, table, pkts[i]);
        }
        break;
    }
    sent = rte_eth_tx_burst(b->port, 0, pkts, n);
    b->sink += n - sent;
}

/* Compares uint64_t values for qsort(). */
static int
bench_cmp_u64(const void *a_, const void *b_)
{
    uint64_t a = *(const uint64_t *) a_, b = *(const uint64_t *) b_;

    return a < b ? -1 : a > b;
}

/* Runs 'variant' once over BENCH_PKTS_PER_RUN packets, in rounds of
 * BENCH_N_PKTS, and returns TSC cycles per packet: the median round's,
 * plus the end-of-run flush spread over the run's packets.  The machine
 * is shared: a round during which the lcore was preempted counts its
 * wall-clock time, and the median round leaves those out, as long as
 * fewer than half the rounds are hit (a round is 0.1 to 0.5 ms). */
static double
bench_run(struct bench *b, enum bench_variant variant,
          struct mob_table *table, uint32_t n_keys, unsigned int miss_pct)
{
    static uint64_t rounds[BENCH_PKTS_PER_RUN / BENCH_N_PKTS];
    static struct mob_dpdk_path path;
    uint64_t packets = 0, start, flush;
    size_t n_rounds = 0;

    mob_dpdk_path_init(&path, table, &b->cfg);
    while (packets < BENCH_PKTS_PER_RUN) {
        struct rte_mbuf *pkts[BENCH_BURST];
        unsigned int n_out;
        uint16_t n;

        bench_restore(b, n_keys, miss_pct);
        if (rte_ring_enqueue_bulk(b->rx_ring, (void **) b->pkts,
                                  BENCH_N_PKTS, NULL) != BENCH_N_PKTS) {
            fprintf(stderr, "mobility-bench-dpdk: ring full\n");
            exit(EXIT_FAILURE);
        }

        start = rte_rdtsc_precise();
        while ((n = rte_eth_rx_burst(b->port, 0, pkts, BENCH_BURST))) {
            bench_burst(b, variant, &path, table, pkts, n);
        }
        rounds[n_rounds++] = rte_rdtsc_precise() - start;
        packets += BENCH_N_PKTS;

        n_out = rte_ring_dequeue_burst(b->tx_ring, (void **) b->pkts,
                                       BENCH_N_PKTS, NULL);
        if (n_out != BENCH_N_PKTS) {
            fprintf(stderr, "mobility-bench-dpdk: %u of %d packets came "
                    "back\n", n_out, BENCH_N_PKTS);
            exit(EXIT_FAILURE);
        }
    }
    /* Hit counts reach the table once per run, timed: mobility-fwd adds
     * them once a second and when idle. */
    start = rte_rdtsc_precise();
    mob_dpdk_path_flush(&path);
    mob_table_hits_flush(&b->hits);
    flush = rte_rdtsc_precise() - start;
    qsort(rounds, n_rounds, sizeof *rounds, bench_cmp_u64);
    return ((double) rounds[n_rounds / 2] / BENCH_N_PKTS
            + (double) flush / packets);
}

/* Compares doubles for qsort(). */
static int
bench_cmp_double(const void *a_, const void *b_)
{
    double a = *(const double *) a_, b = *(const double *) b_;

    return a < b ? -1 : a > b;
}

/* Runs 'variant' BENCH_RUNS times, prints its median as BENCH lines named
 * after 'name' and returns the median. */
static double
bench_variant(struct bench *b, const char *name, enum bench_variant variant,
              struct mob_table *table, uint32_t n_keys,
              unsigned int miss_pct)
{
    const char *only = getenv("MOB_BENCH_ONLY");
    double runs[BENCH_RUNS], median;

    if (only && strcmp(only, name)) {
        return 1.0;
    }
    for (int i = 0; i < BENCH_RUNS; i++) {
        runs[i] = bench_run(b, variant, table, n_keys, miss_pct);
    }
    qsort(runs, BENCH_RUNS, sizeof *runs, bench_cmp_double);
    median = runs[BENCH_RUNS / 2];
    printf("BENCH %s_cyc %.1f cycles/packet\n", name, median);
    printf("BENCH %s_mpps %.2f Mpps\n", name,
           rte_get_tsc_hz() / median / 1e6);
    fflush(stdout);
    return median;
}

/* Returns true if at least BENCH_HUGE_MB of 2 MB hugepages are free. */
static bool
bench_have_hugepages(void)
{
    FILE *f = fopen("/proc/meminfo", "r");
    char line[128];
    unsigned long free_pages = 0;

    if (!f) {
        return false;
    }
    while (fgets(line, sizeof line, f)) {
        sscanf(line, "HugePages_Free: %lu", &free_pages);
    }
    fclose(f);
    return free_pages * 2 >= BENCH_HUGE_MB + 64;
}

/* Creates the mbuf pool of 'b': packed (no IOVA-contiguous objects, so
 * that mbufs do not all start at the same page offset) without
 * hugepages. */
static struct rte_mempool *
bench_create_pool(bool huge)
{
    struct rte_pktmbuf_pool_private priv;
    struct rte_mempool *mp;
    unsigned int elt_size;

    if (huge) {
        return rte_pktmbuf_pool_create("bench_pool", BENCH_N_MBUFS, 256, 0,
                                       RTE_MBUF_DEFAULT_BUF_SIZE,
                                       rte_socket_id());
    }
    elt_size = sizeof(struct rte_mbuf) + RTE_MBUF_DEFAULT_BUF_SIZE;
    memset(&priv, 0, sizeof priv);
    priv.mbuf_data_room_size = RTE_MBUF_DEFAULT_BUF_SIZE;
    mp = rte_mempool_create_empty("bench_pool", BENCH_N_MBUFS, elt_size,
                                  256, sizeof priv, rte_socket_id(),
                                  RTE_MEMPOOL_F_NO_IOVA_CONTIG);
    if (!mp) {
        return NULL;
    }
    if (rte_mempool_set_ops_byname(mp, rte_mbuf_best_mempool_ops(), NULL)
        || (rte_pktmbuf_pool_init(mp, &priv), false)
        || rte_mempool_populate_default(mp) < 0) {
        rte_mempool_free(mp);
        return NULL;
    }
    rte_mempool_obj_iter(mp, rte_pktmbuf_init, NULL);
    return mp;
}

/* Sets up the net_ring port of 'b'.  Exits on failure. */
static void
bench_setup_port(struct bench *b)
{
    struct rte_eth_conf conf;
    int port;

    b->rx_ring = rte_ring_create("bench_rx", 8192, rte_socket_id(),
                                 RING_F_SP_ENQ | RING_F_SC_DEQ);
    b->tx_ring = rte_ring_create("bench_tx", 8192, rte_socket_id(),
                                 RING_F_SP_ENQ | RING_F_SC_DEQ);
    if (!b->rx_ring || !b->tx_ring) {
        goto error;
    }
    port = rte_eth_from_rings("net_bench", &b->rx_ring, 1, &b->tx_ring, 1,
                              rte_socket_id());
    if (port < 0) {
        goto error;
    }
    b->port = port;
    memset(&conf, 0, sizeof conf);
    if (rte_eth_dev_configure(b->port, 1, 1, &conf)
        || rte_eth_rx_queue_setup(b->port, 0, 1024, rte_socket_id(), NULL,
                                  b->pool)
        || rte_eth_tx_queue_setup(b->port, 0, 1024, rte_socket_id(), NULL)
        || rte_eth_dev_start(b->port)) {
        goto error;
    }
    return;

error:
    fprintf(stderr, "mobility-bench-dpdk: port setup failed: %s\n",
            rte_strerror(rte_errno));
    exit(EXIT_FAILURE);
}

int
main(int argc, char *argv[])
{
    static struct bench b;
    char *eal_huge[] = {
        argv[0], "-l", "0", "--no-pci", "--in-memory", "-m", "256",
        "--log-level=error", NULL
    };
    char *eal_nohuge[] = {
        argv[0], "-l", "0", "--no-pci", "--no-huge", "--no-shconf",
        "-m", "512", "--log-level=error", NULL
    };
    struct mob_table_config tcfg;
    struct mob_table *t1k, *t1m;
    double floor, rewrite, hit0, hit50, hit100, rnd, generic;
    bool huge = argc <= 1 && bench_have_hugepages();
    int ret;

    if (argc > 1) {
        ret = rte_eal_init(argc, argv);
        huge = !getenv("MOB_BENCH_PACKED");
    } else if (huge) {
        ret = rte_eal_init(RTE_DIM(eal_huge) - 1, eal_huge);
    } else {
        ret = rte_eal_init(RTE_DIM(eal_nohuge) - 1, eal_nohuge);
    }
    if (ret < 0) {
        fprintf(stderr, "mobility-bench-dpdk: EAL initialisation failed\n");
        return EXIT_FAILURE;
    }
    fprintf(stderr, "mobility-bench-dpdk: %s, TSC %.0f MHz, %d frames of "
            "%d bytes in flight, bursts of %d, median of %d runs of %u "
            "packets\n", huge ? "hugepages" : "no hugepages, packed pool",
            rte_get_tsc_hz() / 1e6, BENCH_N_PKTS, BENCH_FRAME_LEN,
            BENCH_BURST, BENCH_RUNS, BENCH_PKTS_PER_RUN);

    b.rng = 0x9e3779b97f4a7c15ULL;
    b.pool = bench_create_pool(huge);
    if (!b.pool) {
        fprintf(stderr, "mobility-bench-dpdk: no mbuf pool: %s\n",
                rte_strerror(rte_errno));
        return EXIT_FAILURE;
    }
    bench_setup_port(&b);
    if (rte_pktmbuf_alloc_bulk(b.pool, b.pkts, BENCH_N_PKTS)) {
        fprintf(stderr, "mobility-bench-dpdk: cannot allocate mbufs\n");
        return EXIT_FAILURE;
    }
    b.headroom = rte_pktmbuf_headroom(b.pkts[0]);
    bench_build_frame(&b);
    for (size_t i = 0; i < BENCH_N_PKTS; i++) {
        memcpy(rte_pktmbuf_mtod(b.pkts[i], uint8_t *), b.frame,
               BENCH_FRAME_LEN);
    }

    mob_redirect_config_init(&b.cfg);
    b.cfg.local_vtep4 = mob_ip_from_v4(0x0a000001);
    b.cfg.local_mac = mob_eth_addr_from_u64(0x02aa00000001ULL);
    b.nh_mac = mob_eth_addr_from_u64(0x02bb000000feULL);
    mob_dpdk_neigh_init(&b.neigh);
    b.neigh.has_default = true;
    b.neigh.default_mac = b.nh_mac;
    b.cfg.neigh_lookup = mob_dpdk_neigh_lookup;
    b.cfg.neigh_aux = &b.neigh;

    bench_build_push_header(&b);
    mob_table_hits_init(&b.hits);
    if (mob_pkt_parse_tunnel(b.frame, BENCH_FRAME_LEN, &b.cfg.pkt, &b.tmpl)
        != MOB_PKT_OK) {
        fprintf(stderr, "mobility-bench-dpdk: template does not parse\n");
        return EXIT_FAILURE;
    }

    mob_table_config_init(&tcfg);
    tcfg.max_entries = BENCH_1K;
    t1k = mob_table_create(&tcfg);
    tcfg.max_entries = BENCH_1M;
    t1m = mob_table_create(&tcfg);
    if (!t1k || !t1m) {
        fprintf(stderr, "mobility-bench-dpdk: cannot create tables\n");
        return EXIT_FAILURE;
    }
    bench_fill_table(t1k, BENCH_1K);
    bench_fill_table(t1m, BENCH_1M);
    if (mob_table_count(t1k) != BENCH_1K
        || mob_table_count(t1m) != BENCH_1M
        || !mob_table_lookup(t1k, BENCH_VNI, &(struct mob_eth_addr) {
                                 { 0x02, 0, 0, 0, 0, 0 } }, &b.entry)) {
        fprintf(stderr, "mobility-bench-dpdk: tables not filled\n");
        return EXIT_FAILURE;
    }

    floor = bench_variant(&b, "dpdk_floor", BENCH_FLOOR, t1k, BENCH_1K, 0);
    rewrite = bench_variant(&b, "dpdk_rewrite", BENCH_REWRITE, t1k,
                            BENCH_1K, 0);
    hit0 = bench_variant(&b, "dpdk_redirect_1k_hit0", BENCH_REDIRECT, t1k,
                         BENCH_1K, 100);
    hit50 = bench_variant(&b, "dpdk_redirect_1k_hit50", BENCH_REDIRECT, t1k,
                          BENCH_1K, 50);
    hit100 = bench_variant(&b, "dpdk_redirect_1k_hit100", BENCH_REDIRECT,
                           t1k, BENCH_1K, 0);
    rnd = bench_variant(&b, "dpdk_redirect_1m_random", BENCH_REDIRECT, t1m,
                        BENCH_1M, 0);
    generic = bench_variant(&b, "dpdk_decap_encap", BENCH_DECAP_ENCAP, t1k,
                            BENCH_1K, 0);

    printf("BENCH dpdk_rewrite_ratio_floor %.2f x\n", rewrite / floor);
    printf("BENCH dpdk_redirect_1k_hit0_ratio_floor %.2f x\n", hit0 / floor);
    printf("BENCH dpdk_redirect_1k_hit50_ratio_floor %.2f x\n",
           hit50 / floor);
    printf("BENCH dpdk_redirect_1k_hit100_ratio_floor %.2f x\n",
           hit100 / floor);
    printf("BENCH dpdk_redirect_1m_random_ratio_floor %.2f x\n",
           rnd / floor);
    printf("BENCH dpdk_decap_encap_ratio_floor %.2f x\n", generic / floor);
    printf("BENCH dpdk_redirect_1k_hit100_ratio_rewrite %.2f x\n",
           hit100 / rewrite);
    printf("BENCH dpdk_redirect_1m_random_ratio_rewrite %.2f x\n",
           rnd / rewrite);
    printf("BENCH dpdk_decap_encap_ratio_redirect_1k_hit100 %.2f x\n",
           generic / hit100);
    if (b.sink == UINT64_MAX) {
        printf("(unlikely)\n");
    }

    mob_table_destroy(t1k);
    mob_table_destroy(t1m);
    rte_eal_cleanup();
    return EXIT_SUCCESS;
}
