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

/* Benchmarks of libmobility's hot paths, run by "make bench".
 *
 * Prints, each the median of BENCH_RUNS runs:
 *
 *   BENCH table_lookup_hit_1k_ns     lookup of a present key, 1k entries
 *   BENCH table_lookup_miss_1k_ns    lookup of an absent key, 1k entries
 *   BENCH table_lookup_random_1m_ns  lookup of a present key, 1M entries
 *   BENCH table_bytes_per_entry_1m   mob_table_memory() / entries, 1M
 *   BENCH table_learns_per_s         learns of new keys, 1M-entry table
 *   BENCH rewrite_ns_per_pkt         mob_redirect_rewrite(), 114-byte
 *                                    VXLAN/IPv4 frame
 *
 * Keys are random, and lookups walk a shuffled array of them so that
 * neither the order of insertion nor the hardware prefetcher helps.  Hits
 * copy the entry out, as the datapath does.  "1M" is 2^20.  Times are
 * the thread's CPU time, so that other work on the machine inflates them
 * less.  Learns are
 * timed into a table that already held 1M entries and was flushed, so the
 * figure is the steady state, without first-touch page faults. */

#include <config.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "mob-packet.h"
#include "mob-redirect.h"
#include "mob-table.h"

#define BENCH_RUNS 7
#define SMALL_N 1000                /* Keys in the 1k table. */
#define SMALL_LOOKUPS (4 * 1000 * 1000)
#define BIG_N (1u << 20)            /* Keys in the 1M table. */
#define REWRITES (4 * 1000 * 1000)

struct key {
    uint32_t vni;
    struct mob_eth_addr mac;
};

/* Defeats dead-code elimination of benchmark loops. */
static volatile uint64_t sink;

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

/* Returns a pseudo-random number (xorshift64). */
static uint64_t
rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Returns the CPU time this thread has used, in nanoseconds: on a machine
 * shared with other work, time spent preempted does not count. */
static uint64_t
now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t) ts.tv_sec * 1000000000u + ts.tv_nsec;
}

/* qsort() comparison for doubles. */
static int
compare_doubles(const void *a_, const void *b_)
{
    double a = *(const double *) a_;
    double b = *(const double *) b_;

    return a < b ? -1 : a > b;
}

/* Returns the median of the 'n' values in 'v' (which it sorts). */
static double
median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, compare_doubles);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Returns a random key: a random VNI and a random unicast MAC. */
static struct key
random_key(void)
{
    uint64_t r = rng();
    struct key k;

    k.vni = r & MOB_TABLE_MAX_VNI;
    k.mac = mob_eth_addr_from_u64(rng() & 0xfeffffffffffull);
    if (mob_eth_addr_is_zero(&k.mac)) {
        k.mac.ea[5] = 1;
    }
    return k;
}

/* Shuffles the 'n' keys in 'keys' (Fisher-Yates). */
static void
shuffle(struct key *keys, size_t n)
{
    for (size_t i = n - 1; i > 0; i--) {
        size_t j = rng() % (i + 1);
        struct key tmp = keys[i];

        keys[i] = keys[j];
        keys[j] = tmp;
    }
}

/* Allocates 'n' keys or exits. */
static struct key *
xkeys(size_t n)
{
    struct key *keys = malloc(n * sizeof *keys);

    if (!keys) {
        fprintf(stderr, "bench-lib: out of memory\n");
        exit(EXIT_FAILURE);
    }
    return keys;
}

/* Creates a table for 'max' entries or exits. */
static struct mob_table *
xtable(uint32_t max)
{
    struct mob_table_config cfg;
    struct mob_table *t;

    mob_table_config_init(&cfg);
    cfg.max_entries = max;
    t = mob_table_create(&cfg);
    if (!t) {
        fprintf(stderr, "bench-lib: cannot create a table\n");
        exit(EXIT_FAILURE);
    }
    return t;
}

/* Learns the 'n' keys in 'keys' into 't' at time 1.  Returns how many were
 * new. */
static size_t
fill(struct mob_table *t, const struct key *keys, size_t n)
{
    struct mob_learn req;
    size_t n_new = 0;

    memset(&req, 0, sizeof req);
    req.vtep = mob_ip_from_v4(0xc0000201);     /* 192.0.2.1 */
    req.tnl_type = MOB_TNL_VXLAN;
    req.origin = MOB_ORIGIN_RARP;
    for (size_t i = 0; i < n; i++) {
        req.vni = keys[i].vni;
        req.mac = keys[i].mac;
        n_new += mob_table_learn(t, &req, 1, NULL) == MOB_LEARN_NEW;
    }
    return n_new;
}

/* Returns the ns per lookup of 'total' lookups that cycle through the 'n'
 * keys in 'keys', and adds the number of hits to '*hits'. */
static double
time_lookups(const struct mob_table *t, const struct key *keys, size_t n,
             size_t total, uint64_t *hits)
{
    uint64_t start, h = 0, acc = 0;
    struct mob_entry e;
    size_t done = 0;

    start = now_ns();
    while (done < total) {
        for (size_t i = 0; i < n; i++) {
            if (mob_table_lookup(t, keys[i].vni, &keys[i].mac, &e)) {
                h++;
                acc += e.seq;
            }
        }
        done += n;
    }
    sink += acc;
    *hits += h;
    return (double) (now_ns() - start) / done;
}

/* Like time_lookups(), but looks up in bursts of 32 the way the datapath
 * does (mob_redirect_classify_burst() / finish): hash and prefetch the
 * index slots of the whole burst, then prefetch the entries, then look
 * up, so that one key's cache misses overlap with the others'.  This is
 * the table's figure as DPDK's rte_hash_lookup_bulk() measures its own.
 * 'n' must be a multiple of 32. */
static double
time_lookups_bulk(const struct mob_table *t, const struct key *keys,
                  size_t n, size_t total, uint64_t *hits)
{
    enum { BURST = 32 };
    struct mob_table_key k[BURST];
    uint64_t start, h = 0, acc = 0;
    struct in6_addr vtep;
    size_t done = 0;
    uint32_t id;

    start = now_ns();
    while (done < total) {
        for (size_t i = 0; i < n; i += BURST) {
            for (size_t j = 0; j < BURST; j++) {
                mob_table_key_init(t, keys[i + j].vni, &keys[i + j].mac,
                                   &k[j]);
                mob_table_prefetch_slot(t, &k[j]);
            }
            for (size_t j = 0; j < BURST; j++) {
                mob_table_prefetch_entry(t, &k[j]);
            }
            for (size_t j = 0; j < BURST; j++) {
                if (mob_table_lookup_vtep(t, &k[j], &vtep, &id)) {
                    h++;
                    acc += vtep.s6_addr[15] + id;
                }
            }
        }
        done += n;
    }
    sink += acc;
    *hits += h;
    return (double) (now_ns() - start) / done;
}

/* Benchmarks lookups in a 1k table: prints the hit and miss figures. */
static void
bench_small(void)
{
    struct mob_table *t = xtable(1024);
    struct key *keys = xkeys(SMALL_N);
    struct key *absent = xkeys(SMALL_N);
    double hit[BENCH_RUNS], miss[BENCH_RUNS];
    uint64_t hits = 0, misses = 0;

    for (size_t i = 0; i < SMALL_N; i++) {
        keys[i] = random_key();
    }
    if (fill(t, keys, SMALL_N) != SMALL_N) {
        fprintf(stderr, "bench-lib: duplicate keys\n");
        exit(EXIT_FAILURE);
    }
    for (size_t i = 0; i < SMALL_N; i++) {
        do {
            absent[i] = random_key();
        } while (mob_table_lookup(t, absent[i].vni, &absent[i].mac, NULL));
    }
    shuffle(keys, SMALL_N);

    for (int r = 0; r < BENCH_RUNS; r++) {
        hit[r] = time_lookups(t, keys, SMALL_N, SMALL_LOOKUPS, &hits);
        miss[r] = time_lookups(t, absent, SMALL_N, SMALL_LOOKUPS, &misses);
    }
    if (hits != (uint64_t) BENCH_RUNS * SMALL_LOOKUPS || misses) {
        fprintf(stderr, "bench-lib: wrong lookup results\n");
        exit(EXIT_FAILURE);
    }
    printf("BENCH table_lookup_hit_1k_ns %.1f ns\n", median(hit, BENCH_RUNS));
    printf("BENCH table_lookup_miss_1k_ns %.1f ns\n",
           median(miss, BENCH_RUNS));
    fflush(stdout);
    free(keys);
    free(absent);
    mob_table_destroy(t);
}

/* Benchmarks a 1M table: random lookups, memory, learns. */
static void
bench_big(void)
{
    struct mob_table *t = xtable(BIG_N);
    struct key *keys = xkeys(BIG_N);
    struct key *fresh = xkeys(BIG_N);
    double lookup[BENCH_RUNS], bulk[BENCH_RUNS], learns[BENCH_RUNS];
    uint64_t hits = 0, bulk_hits = 0;

    for (size_t i = 0; i < BIG_N; i++) {
        keys[i] = random_key();
        fresh[i] = random_key();
    }
    /* A few random keys may repeat: the table holds the distinct ones. */
    fill(t, keys, BIG_N);
    shuffle(keys, BIG_N);

    for (int r = 0; r < BENCH_RUNS; r++) {
        lookup[r] = time_lookups(t, keys, BIG_N, BIG_N, &hits);
        bulk[r] = time_lookups_bulk(t, keys, BIG_N, BIG_N, &bulk_hits);
    }
    if (hits != (uint64_t) BENCH_RUNS * BIG_N || bulk_hits != hits) {
        fprintf(stderr, "bench-lib: wrong lookup results\n");
        exit(EXIT_FAILURE);
    }
    printf("BENCH table_lookup_random_1m_ns %.1f ns\n",
           median(lookup, BENCH_RUNS));
    printf("BENCH table_lookup_random_1m_bulk_ns %.1f ns\n",
           median(bulk, BENCH_RUNS));
    double memory = mob_table_memory(t);

    printf("BENCH table_bytes_per_entry_1m %.1f bytes\n",
           memory / mob_table_count(t));
    fflush(stdout);

    for (int r = 0; r < BENCH_RUNS; r++) {
        const struct key *k = r % 2 ? keys : fresh;
        uint64_t start;
        size_t n;

        mob_table_flush(t);
        start = now_ns();
        n = fill(t, k, BIG_N);
        learns[r] = n / ((now_ns() - start) / 1e9);
    }
    printf("BENCH table_learns_per_s %.0f learns/s\n",
           median(learns, BENCH_RUNS));
    fflush(stdout);
    free(keys);
    free(fresh);
    mob_table_destroy(t);
}

/* Writes the 114-byte VXLAN/IPv4 frame that bench_rewrite() uses into
 * 'f': 50 bytes of outer headers and a 64-byte inner frame. */
static void
build_vxlan_frame(uint8_t f[114])
{
    static const uint8_t outer_dst[6] = { 0x02, 0, 0, 0, 0, 0xa0 };
    static const uint8_t outer_src[6] = { 0x02, 0, 0, 0, 0, 0xb0 };
    static const uint8_t vm_mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
    static const uint8_t peer_mac[6] = { 0x52, 0x54, 0, 0xab, 0xcd, 0xef };
    uint8_t *ip = f + 14, *udp = ip + 20, *vx = udp + 8, *in = vx + 8;

    memset(f, 0, 114);
    memcpy(f, outer_dst, 6);
    memcpy(f + 6, outer_src, 6);
    mob_put_be16(f + 12, MOB_ETH_TYPE_IPV4);

    ip[0] = 0x45;
    mob_put_be16(ip + 2, 100);
    mob_put_be16(ip + 4, 0x1234);
    mob_put_be16(ip + 6, 0x4000);               /* DF */
    ip[8] = 64;
    ip[9] = MOB_IPPROTO_UDP;
    mob_put_be32(ip + 12, 0xc0000265);          /* 192.0.2.101, sender */
    mob_put_be32(ip + 16, 0xc0000201);          /* 192.0.2.1, us */
    mob_put_be16(ip + 10, mob_csum(ip, 20));

    mob_put_be16(udp, 49321);
    mob_put_be16(udp + 2, MOB_VXLAN_PORT);
    mob_put_be16(udp + 4, 80);

    mob_put_be32(vx, MOB_VXLAN_FLAG_I);
    mob_put_be32(vx + 4, 5000 << 8);

    memcpy(in, vm_mac, 6);
    memcpy(in + 6, peer_mac, 6);
    mob_put_be16(in + 12, MOB_ETH_TYPE_IPV4);
    for (int i = 14; i < 64; i++) {
        in[i] = i;
    }
}

/* Benchmarks mob_redirect_rewrite() on one parsed frame, rewritten over
 * and over. */
static void
bench_rewrite(void)
{
    enum { HEADROOM = 64 };
    static uint8_t buf[HEADROOM + 114];
    struct mob_redirect_config cfg;
    struct mob_eth_addr nh_mac = { { 0x02, 0, 0, 0, 0, 0xc0 } };
    struct mob_tnl_pkt pkt, check;
    struct mob_entry entry;
    double ns[BENCH_RUNS];
    uint8_t *frame = buf + HEADROOM;
    int acc = 0;

    build_vxlan_frame(frame);
    mob_redirect_config_init(&cfg);
    cfg.local_vtep4 = mob_ip_from_v4(0xc0000201);
    cfg.local_mac = (struct mob_eth_addr) { { 0x02, 0, 0, 0, 0, 0xa0 } };

    memset(&entry, 0, sizeof entry);
    entry.vni = 5000;
    entry.vtep = mob_ip_from_v4(0xc0000202);    /* 192.0.2.2: new VTEP */
    entry.tnl_type = MOB_TNL_VXLAN;
    entry.origin = MOB_ORIGIN_RARP;
    entry.seq = 1;

    if (mob_pkt_parse_tunnel(frame, 114, NULL, &pkt) != MOB_PKT_OK
        || mob_redirect_decide(&pkt, &entry, &cfg) != MOB_RD_REDIRECT
        || mob_redirect_rewrite(frame, 114, HEADROOM, &pkt, &entry, &nh_mac,
                                &cfg) != 0
        || mob_pkt_parse_tunnel(frame, 114, NULL, &check) != MOB_PKT_OK
        || !mob_ip_equals(&check.outer_dst, &entry.vtep)) {
        fprintf(stderr, "bench-lib: the rewrite does not work\n");
        exit(EXIT_FAILURE);
    }

    for (int r = 0; r < BENCH_RUNS; r++) {
        uint64_t start = now_ns();

        for (int i = 0; i < REWRITES; i++) {
            acc += mob_redirect_rewrite(frame, 114, HEADROOM, &pkt, &entry,
                                        &nh_mac, &cfg);
        }
        ns[r] = (double) (now_ns() - start) / REWRITES;
    }
    /* Still a valid frame after millions of incremental updates. */
    if (acc || mob_pkt_parse_tunnel(frame, 114, NULL, &check) != MOB_PKT_OK) {
        fprintf(stderr, "bench-lib: repeated rewrites broke the frame\n");
        exit(EXIT_FAILURE);
    }
    printf("BENCH rewrite_ns_per_pkt %.1f ns\n", median(ns, BENCH_RUNS));
    fflush(stdout);
}

/* Runs every benchmark.  Exits with failure if a result is wrong. */
int
main(void)
{
    bench_small();
    bench_big();
    bench_rewrite();
    return 0;
}
