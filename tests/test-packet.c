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

/* Tests for lib/mob-packet: checksums, the tunnel parser and the L2 parser.
 *
 * Frames are built here, by hand: two literal byte arrays, and a small
 * builder that records where it put each header, so that every parsed
 * field is compared with what was written rather than with what the parser
 * under test computes.  Each malformed case is parsed from a heap copy of
 * exactly the bytes it claims, so that AddressSanitizer sees any read past
 * the end. */

#include <config.h>
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mob-packet.h"
#include "tests/test-common.h"

#define FRAME_MAX 1024

/* Test-local helpers, independent of the code under test. */

static void
wr16(uint8_t *p, uint16_t x)
{
    p[0] = x >> 8;
    p[1] = x & 0xff;
}

static void
wr32(uint8_t *p, uint32_t x)
{
    wr16(p, x >> 16);
    wr16(p + 2, x & 0xffff);
}

/* RFC 1071 checksum of the 'n' bytes at 'p' by the tests' own reference
 * (test-common.h), which mob_csum() is compared with. */
static uint16_t
ref_csum(const uint8_t *p, size_t n)
{
    return test_ref_fold(test_ref_sum(0, p, n));
}

/* A deterministic pseudo-random generator (xorshift32). */
static uint32_t rng_state = 2463534242u;

static uint32_t
rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

/* A frame under construction, with the offsets of what was put in it. */
struct frame {
    uint8_t buf[FRAME_MAX];
    size_t len;
    size_t l3_ofs, l3_hlen, l4_ofs, tnl_ofs, inner_ofs, end_ofs;
};

/* Appends 'n' bytes from 'p' (zeros if 'p' is NULL) to 'f' and returns
 * where they went. */
static uint8_t *
put(struct frame *f, const void *p, size_t n)
{
    uint8_t *dst = f->buf + f->len;

    CU_ASSERT_FATAL(f->len + n <= sizeof f->buf);
    if (p) {
        memcpy(dst, p, n);
    } else {
        memset(dst, 0, n);
    }
    f->len += n;
    return dst;
}

static void
put8(struct frame *f, uint8_t x)
{
    put(f, &x, 1);
}

static void
put16(struct frame *f, uint16_t x)
{
    wr16(put(f, NULL, 2), x);
}

static void
put32(struct frame *f, uint32_t x)
{
    wr32(put(f, NULL, 4), x);
}

static const uint8_t outer_dst_mac[6] = { 0x02, 0, 0, 0, 0, 0x02 };
static const uint8_t outer_src_mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t inner_dst_mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x02 };
static const uint8_t inner_src_mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x01 };
static const uint8_t src4[4] = { 192, 168, 10, 1 };
static const uint8_t dst4[4] = { 192, 168, 10, 2 };
static const uint8_t src6[16] = {
    0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xa, 0x01
};
static const uint8_t dst6[16] = {
    0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xa, 0x02
};

/* Returns 'v4' as an IPv4-mapped address, built byte by byte. */
static struct in6_addr
mapped(const uint8_t v4[4])
{
    struct in6_addr a;

    memset(&a, 0, sizeof a);
    a.s6_addr[10] = 0xff;
    a.s6_addr[11] = 0xff;
    memcpy(&a.s6_addr[12], v4, 4);
    return a;
}

static struct in6_addr
in6(const uint8_t v6[16])
{
    struct in6_addr a;

    memcpy(&a, v6, sizeof a);
    return a;
}

/* Geneve options used by the tests. */

/* OVN's logical port option (class 0x0102, critical type 0x80, 4 bytes of
 * data), the ovs-mobility redirect mark (no data) and a non-critical option
 * with 8 bytes of data: 3 options, 24 bytes, critical, marked. */
static const uint8_t opts_mixed[] = {
    0x01, 0x02, 0x80, 0x01, 0x00, 0x01, 0x00, 0x05,
    0xff, 0xf7, 0x5d, 0x00,
    0x01, 0x03, 0x07, 0x02, 1, 2, 3, 4, 5, 6, 7, 8,
};

/* Look-alikes of the mark: its class and type with the C bit, its class
 * with another type, its type with another class: 3 options, 20 bytes,
 * critical, not marked. */
static const uint8_t opts_lookalike[] = {
    0xff, 0xf7, 0xdd, 0x00,
    0xff, 0xf7, 0x5e, 0x02, 0, 0, 0, 0, 0, 0, 0, 0,
    0xff, 0xf6, 0x5d, 0x00,
};

/* A non-critical option whose reserved length bits are set (they must be
 * ignored: the length is 1 word) and the mark: 2 options, 12 bytes. */
static const uint8_t opts_plain[] = {
    0x01, 0x02, 0x00, 0xe1, 0, 0, 0, 9,
    0xff, 0xf7, 0x5d, 0x00,
};

/* The largest option (31 words of data), then opts_plain: 3 options,
 * 140 bytes, not critical, marked. */
static uint8_t opts_big[128 + sizeof opts_plain];

static void
init_opts_big(void)
{
    opts_big[0] = 0x01;
    opts_big[1] = 0x05;
    opts_big[2] = 0x33;
    opts_big[3] = 31;
    for (size_t i = 4; i < 128; i++) {
        opts_big[i] = i;
    }
    memcpy(opts_big + 128, opts_plain, sizeof opts_plain);
}

/* What to build, and what the Geneve walk must find. */
struct tnl_spec {
    const char *name;
    int n_vlans;
    uint16_t tpid[MOB_MAX_VLANS];
    uint16_t tci[MOB_MAX_VLANS];
    bool ipv6;
    int ipv4_opt_words;         /* IPv4 header options, 4-byte NOP words. */
    int n_ipv6_ext;             /* 0 to 3 of hop-by-hop, routing, dst. */
    uint8_t ttl;
    uint16_t udp_src, udp_dst;
    enum mob_tnl_type type;
    uint32_t vni;
    uint32_t vxlan_flags;
    uint8_t geneve_flags;
    const uint8_t *opts;
    size_t opts_len;
    size_t inner_payload;       /* Bytes after the inner Ethernet header. */
    size_t padding;             /* Link-layer bytes after the IP packet. */
    int exp_n_opts;
    bool exp_critical;
    bool exp_mark;
};

/* Writes the IPv4 header checksum of the header at 'l3' of 'hlen'
 * bytes. */
static void
fix_ipv4_csum(uint8_t *l3, size_t hlen)
{
    wr16(l3 + 10, 0);
    wr16(l3 + 10, ref_csum(l3, hlen));
}

/* Makes the IP length (and, if its length field is inside the frame, the
 * UDP length) of frame 'buf' built as 'f' say that the IP packet ends at
 * 'end', fixing the IPv4 checksum. */
static void
set_lengths(uint8_t *buf, const struct frame *f, bool ipv6, size_t end)
{
    uint8_t *l3 = buf + f->l3_ofs;

    if (ipv6) {
        wr16(l3 + 4, end - f->l3_ofs - MOB_IPV6_HLEN);
    } else {
        wr16(l3 + 2, end - f->l3_ofs);
        fix_ipv4_csum(l3, f->l3_hlen);
    }
    if (end >= f->l4_ofs + 6) {
        wr16(buf + f->l4_ofs + 4, end - f->l4_ofs);
    }
}

/* Builds the tunnel frame that 's' describes into 'f'. */
static void
build_tnl(const struct tnl_spec *s, struct frame *f)
{
    static const uint8_t ext_types[3] = { 0, 43, 60 };

    memset(f, 0, sizeof *f);
    put(f, outer_dst_mac, 6);
    put(f, outer_src_mac, 6);
    for (int i = 0; i < s->n_vlans; i++) {
        put16(f, s->tpid[i]);
        put16(f, s->tci[i]);
    }
    put16(f, s->ipv6 ? 0x86dd : 0x0800);

    f->l3_ofs = f->len;
    if (!s->ipv6) {
        f->l3_hlen = 20 + 4 * s->ipv4_opt_words;
        put8(f, 0x40 | f->l3_hlen / 4);
        put8(f, 0);
        put16(f, 0);            /* Total length, below. */
        put16(f, 0x1234);
        put16(f, 0x4000);       /* DF. */
        put8(f, s->ttl);
        put8(f, 17);
        put16(f, 0);            /* Checksum, below. */
        put(f, src4, 4);
        put(f, dst4, 4);
        for (int i = 0; i < s->ipv4_opt_words; i++) {
            put32(f, 0x01010101);
        }
    } else {
        f->l3_hlen = 40;
        put32(f, 0x600abcde);
        put16(f, 0);            /* Payload length, below. */
        put8(f, s->n_ipv6_ext ? ext_types[0] : 17);
        put8(f, s->ttl);
        put(f, src6, 16);
        put(f, dst6, 16);
        for (int i = 0; i < s->n_ipv6_ext; i++) {
            put8(f, i + 1 < s->n_ipv6_ext ? ext_types[i + 1] : 17);
            if (ext_types[i] == 43) {
                /* 16 bytes: experimental routing type, segments left 0. */
                put8(f, 1);
                put8(f, 253);
                put8(f, 0);
                put(f, NULL, 12);
            } else {
                /* 8 bytes: a PadN option. */
                put8(f, 0);
                put8(f, 1);
                put8(f, 4);
                put(f, NULL, 4);
            }
        }
    }

    f->l4_ofs = f->len;
    put16(f, s->udp_src);
    put16(f, s->udp_dst);
    put16(f, 0);                /* Length, below. */
    put16(f, 0);

    f->tnl_ofs = f->len;
    if (s->type == MOB_TNL_VXLAN) {
        put32(f, s->vxlan_flags);
        put32(f, s->vni << 8);
    } else {
        put8(f, s->opts_len / 4);
        put8(f, s->geneve_flags);
        put16(f, 0x6558);
        put32(f, s->vni << 8);
        put(f, s->opts, s->opts_len);
    }

    f->inner_ofs = f->len;
    put(f, inner_dst_mac, 6);
    put(f, inner_src_mac, 6);
    put16(f, 0x0800);
    for (size_t i = 0; i < s->inner_payload; i++) {
        put8(f, i * 7 + 3);
    }
    f->end_ofs = f->len;
    set_lengths(f->buf, f, s->ipv6, f->end_ofs);
    put(f, NULL, s->padding);
}

/* Asserts that every field of 'p' is what 's' built into 'f'. */
static void
check_tnl(const struct tnl_spec *s, const struct frame *f,
          const struct mob_tnl_pkt *p)
{
    struct in6_addr src = s->ipv6 ? in6(src6) : mapped(src4);
    struct in6_addr dst = s->ipv6 ? in6(dst6) : mapped(dst4);
    bool geneve = s->type == MOB_TNL_GENEVE;

    CU_ASSERT_EQUAL(p->type, s->type);
    CU_ASSERT_EQUAL(p->outer_ipv6, s->ipv6);
    CU_ASSERT_EQUAL(p->outer_ttl, s->ttl);
    CU_ASSERT_EQUAL(p->n_vlans, s->n_vlans);
    CU_ASSERT(!memcmp(p->outer_dst_mac.ea, outer_dst_mac, 6));
    CU_ASSERT(!memcmp(p->outer_src_mac.ea, outer_src_mac, 6));
    CU_ASSERT(!memcmp(&p->outer_src, &src, sizeof src));
    CU_ASSERT(!memcmp(&p->outer_dst, &dst, sizeof dst));
    CU_ASSERT_EQUAL(p->udp_src, s->udp_src);
    CU_ASSERT_EQUAL(p->udp_dst, s->udp_dst);
    CU_ASSERT_EQUAL(p->l3_ofs, f->l3_ofs);
    CU_ASSERT_EQUAL(p->l3_hlen, f->l3_hlen);
    CU_ASSERT_EQUAL(p->l4_ofs, f->l4_ofs);
    CU_ASSERT_EQUAL(p->tnl_ofs, f->tnl_ofs);
    CU_ASSERT_EQUAL(p->inner_ofs, f->inner_ofs);
    CU_ASSERT_EQUAL(p->end_ofs, f->end_ofs);
    CU_ASSERT_EQUAL(p->vni, s->vni);
    CU_ASSERT_EQUAL(p->vxlan_flags, geneve ? 0 : s->vxlan_flags);
    CU_ASSERT_EQUAL(p->geneve_flags, geneve ? s->geneve_flags : 0);
    CU_ASSERT_EQUAL(p->geneve_opt_len, geneve ? s->opts_len : 0);
    CU_ASSERT_EQUAL(p->geneve_n_opts, s->exp_n_opts);
    CU_ASSERT_EQUAL(p->geneve_critical, s->exp_critical);
    CU_ASSERT_EQUAL(p->redirect_mark, s->exp_mark);
    CU_ASSERT(!memcmp(p->inner_dst.ea, inner_dst_mac, 6));
    CU_ASSERT(!memcmp(p->inner_src.ea, inner_src_mac, 6));
}

#define VXLAN_I 0x08000000

static const struct tnl_spec tnl_cases[] = {
    { .name = "vxlan4", .ttl = 64, .udp_src = 49152, .udp_dst = 4789,
      .type = MOB_TNL_VXLAN, .vni = 5001, .vxlan_flags = VXLAN_I,
      .inner_payload = 50 },
    { .name = "vxlan4-vlan", .n_vlans = 1, .tpid = { 0x8100 },
      .tci = { 0x0064 }, .ttl = 63, .udp_src = 1, .udp_dst = 4789,
      .type = MOB_TNL_VXLAN, .vni = 1, .vxlan_flags = VXLAN_I,
      .inner_payload = 28 },
    { .name = "vxlan4-qinq-ipopts-marked", .n_vlans = 2,
      .tpid = { 0x88a8, 0x8100 }, .tci = { 0x2005, 0xe064 },
      .ipv4_opt_words = 2, .ttl = 1, .udp_src = 65535, .udp_dst = 4789,
      .type = MOB_TNL_VXLAN, .vni = 0xffffff,
      .vxlan_flags = VXLAN_I | 0x40000000 | 0x04000000 | 0x5a,
      .inner_payload = 46, .exp_mark = true },
    { .name = "vxlan6", .ipv6 = true, .ttl = 255, .udp_src = 50000,
      .udp_dst = 4789, .type = MOB_TNL_VXLAN, .vni = 0,
      .vxlan_flags = VXLAN_I, .inner_payload = 64 },
    { .name = "vxlan6-ext-vlan", .n_vlans = 1, .tpid = { 0x8100 },
      .tci = { 0x0fff }, .ipv6 = true, .n_ipv6_ext = 3, .ttl = 64,
      .udp_src = 40000, .udp_dst = 4789, .type = MOB_TNL_VXLAN,
      .vni = 0x123456, .vxlan_flags = VXLAN_I, .inner_payload = 10 },
    { .name = "geneve4-opts", .ttl = 64, .udp_src = 33333,
      .udp_dst = 6081, .type = MOB_TNL_GENEVE, .vni = 0x123456,
      .geneve_flags = 0x40, .opts = opts_mixed,
      .opts_len = sizeof opts_mixed, .inner_payload = 40,
      .exp_n_opts = 3, .exp_critical = true, .exp_mark = true },
    { .name = "geneve4-noopts", .ttl = 17, .udp_src = 1000,
      .udp_dst = 6081, .type = MOB_TNL_GENEVE, .vni = 7,
      .geneve_flags = 0x80, .inner_payload = 20 },
    { .name = "geneve6-qinq-lookalike", .n_vlans = 2,
      .tpid = { 0x8100, 0x8100 }, .tci = { 0x0001, 0x0002 },
      .ipv6 = true, .ttl = 64, .udp_src = 2000, .udp_dst = 6081,
      .type = MOB_TNL_GENEVE, .vni = 0xabcdef, .opts = opts_lookalike,
      .opts_len = sizeof opts_lookalike, .inner_payload = 30,
      .exp_n_opts = 3, .exp_critical = true },
    { .name = "geneve6-hbh-bigopt", .ipv6 = true, .n_ipv6_ext = 1,
      .ttl = 2, .udp_src = 3000, .udp_dst = 6081, .type = MOB_TNL_GENEVE,
      .vni = 99, .opts = opts_big, .opts_len = sizeof opts_big,
      .inner_payload = 8, .exp_n_opts = 3, .exp_mark = true },
    { .name = "geneve4-plain-min-inner", .ttl = 64, .udp_src = 4000,
      .udp_dst = 6081, .type = MOB_TNL_GENEVE, .vni = 0x800000,
      .opts = opts_plain, .opts_len = sizeof opts_plain,
      .inner_payload = 0, .exp_n_opts = 2, .exp_mark = true },
    { .name = "vxlan4-padded", .ttl = 64, .udp_src = 5000,
      .udp_dst = 4789, .type = MOB_TNL_VXLAN, .vni = 42,
      .vxlan_flags = VXLAN_I, .inner_payload = 0, .padding = 6 },
};
#define N_TNL_CASES (sizeof tnl_cases / sizeof tnl_cases[0])

/* Parses 'len' bytes of 'data' from a heap copy of exactly that size and
 * asserts that the parser left them unchanged.  Returns the result. */
static enum mob_pkt_error
parse_tnl_copy(const uint8_t *data, size_t len,
               const struct mob_pkt_config *cfg, struct mob_tnl_pkt *pkt)
{
    uint8_t *copy = malloc(len);
    enum mob_pkt_error error;

    CU_ASSERT_FATAL(copy != NULL || !len);
    if (len) {
        memcpy(copy, data, len);
    }
    error = mob_pkt_parse_tunnel(copy, len, cfg, pkt);
    CU_ASSERT(!len || !memcmp(copy, data, len));
    free(copy);
    return error;
}

/* Same for mob_pkt_parse_l2(). */
static enum mob_pkt_error
parse_l2_copy(const uint8_t *data, size_t len, struct mob_l2 *l2)
{
    uint8_t *copy = malloc(len);
    enum mob_pkt_error error;

    CU_ASSERT_FATAL(copy != NULL || !len);
    if (len) {
        memcpy(copy, data, len);
    }
    error = mob_pkt_parse_l2(copy, len, l2);
    free(copy);
    return error;
}

/* Asserts that parsing 'len' bytes of 'data' gives 'expected', and prints
 * both names and 'what' when it does not. */
#define ASSERT_PARSE(DATA, LEN, CFG, EXPECTED, WHAT)                        \
    do {                                                                    \
        struct mob_tnl_pkt pkt_;                                            \
        enum mob_pkt_error got_ = parse_tnl_copy(DATA, LEN, CFG, &pkt_);    \
        CU_ASSERT_EQUAL(got_, EXPECTED);                                    \
        if (got_ != (EXPECTED)) {                                           \
            fprintf(stderr, "# %s: len %zu: got %s, expected %s\n",         \
                    WHAT, (size_t) (LEN), mob_pkt_error_name(got_),         \
                    mob_pkt_error_name(EXPECTED));                          \
        }                                                                   \
    } while (0)

/* Checksums. */

static void
test_csum_rfc1071_example(void)
{
    /* RFC 1071 section 3: the sum of these words is ddf2. */
    static const uint8_t data[] = {
        0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7
    };
    uint8_t with_csum[10];

    CU_ASSERT_EQUAL(mob_csum(data, sizeof data), 0x220d);
    CU_ASSERT_EQUAL(mob_csum_finish(mob_csum_add(0, data, sizeof data)),
                    0x220d);

    /* The data followed by its checksum sums to zero. */
    memcpy(with_csum, data, sizeof data);
    wr16(with_csum + 8, 0x220d);
    CU_ASSERT_EQUAL(mob_csum(with_csum, sizeof with_csum), 0);
}

static void
test_csum_odd_and_empty(void)
{
    static const uint8_t one[] = { 0x01 };
    static const uint8_t three[] = { 0x12, 0x34, 0x56 };

    CU_ASSERT_EQUAL(mob_csum(NULL, 0), 0xffff);
    CU_ASSERT_EQUAL(mob_csum(one, 1), 0xfeff);            /* ~0x0100 */
    CU_ASSERT_EQUAL(mob_csum(three, 3), 0x97cb);          /* ~0x6834 */
    CU_ASSERT_EQUAL(mob_csum_finish(0x1ffff), 0xfffe);    /* 0x0001 */
    CU_ASSERT_EQUAL(mob_csum_finish(0), 0xffff);
}

static void
test_csum_vs_reference(void)
{
    uint8_t buf[301];

    /* Every length, both alignments. */
    for (size_t len = 0; len < 300; len++) {
        for (size_t i = 0; i < sizeof buf; i++) {
            buf[i] = rng();
        }
        CU_ASSERT_EQUAL(mob_csum(buf, len), ref_csum(buf, len));
        CU_ASSERT_EQUAL(mob_csum(buf + 1, len), ref_csum(buf + 1, len));
    }

    /* Pieces: any even-length split gives the same sum. */
    for (size_t cut = 0; cut <= 300; cut += 2) {
        uint32_t sum = mob_csum_add(0, buf, cut);

        sum = mob_csum_add(sum, buf + cut, 301 - cut);
        CU_ASSERT_EQUAL(mob_csum_finish(sum), ref_csum(buf, 301));
    }
}

static void
test_csum_no_overflow(void)
{
    /* 200000 bytes of 0xff sum to 100000 * 0xffff: no 16-bit or 32-bit
     * accumulator may lose a carry, and a large 'partial' must survive. */
    size_t n = 200000;
    uint8_t *big = malloc(n);
    uint32_t sum;

    CU_ASSERT_FATAL(big != NULL);
    memset(big, 0xff, n);
    big[n - 1] = 0x12;
    CU_ASSERT_EQUAL(mob_csum(big, n), ref_csum(big, n));
    sum = mob_csum_add(0xfffffff0u, big, n);
    CU_ASSERT_EQUAL(mob_csum_finish(sum),
                    mob_csum_finish(mob_csum_add(0xfff0 + 0xffff, big, n)));
    free(big);
}

static void
test_csum_update_vs_recompute(void)
{
    uint8_t buf[40];

    for (int iter = 0; iter < 20000; iter++) {
        size_t pos = 2 + 2 * (rng() % 19);
        uint16_t old, new, csum;

        for (size_t i = 0; i < sizeof buf; i++) {
            buf[i] = rng();
        }
        buf[0] = 0x45;          /* Never all zeros, as in IPv4. */
        wr16(buf + 10, 0);
        if (pos == 10) {
            pos = 12;
        }
        csum = ref_csum(buf, sizeof buf);
        wr16(buf + 10, csum);

        old = buf[pos] << 8 | buf[pos + 1];
        new = iter % 4 == 0 ? 0 : iter % 4 == 1 ? 0xffff : rng();
        wr16(buf + pos, new);
        csum = mob_csum_update16(csum, old, new);

        wr16(buf + 10, 0);
        CU_ASSERT_EQUAL(csum, ref_csum(buf, sizeof buf));
    }
}

static void
test_csum_rfc1624_corner(void)
{
    /* RFC 1624 section 3: HC 0xdd2f, m 0x5555 -> m' 0x3285.  Equation 3
     * gives 0x0000, the right answer; equation 2 would give 0xffff. */
    uint8_t buf[6];

    CU_ASSERT_EQUAL(mob_csum_update16(0xdd2f, 0x5555, 0x3285), 0x0000);

    /* The same in a real buffer: words 0x5555 and 0xcd7a sum to 0x22d0,
     * checksum 0xdd2f; after the change they sum to 0xffff. */
    wr16(buf, 0x5555);
    wr16(buf + 2, 0xcd7a);
    wr16(buf + 4, 0);
    CU_ASSERT_EQUAL(ref_csum(buf, 6), 0xdd2f);
    wr16(buf, 0x3285);
    CU_ASSERT_EQUAL(ref_csum(buf, 6), 0x0000);
    wr16(buf + 4, mob_csum_update16(0xdd2f, 0x5555, 0x3285));
    CU_ASSERT_EQUAL(ref_csum(buf, 6), 0);       /* It verifies. */
    CU_ASSERT_EQUAL(mob_csum(buf, 6), 0);

    /* And back: the checksum returns to 0xdd2f. */
    CU_ASSERT_EQUAL(mob_csum_update16(0x0000, 0x3285, 0x5555), 0xdd2f);
}

static void
test_csum_update32_ipv4(void)
{
    /* An IPv4 header: rewrite the destination address and TTL as the
     * redirect does, incrementally, and compare with a recomputation. */
    uint8_t h[20] = {
        0x45, 0x00, 0x00, 0x54, 0xab, 0xcd, 0x40, 0x00, 0x40, 0x11,
        0x00, 0x00, 10, 0, 0, 1, 10, 0, 0, 2,
    };
    uint16_t csum;

    wr16(h + 10, ref_csum(h, 20));
    CU_ASSERT_EQUAL(mob_csum(h, 20), 0);

    for (int iter = 0; iter < 5000; iter++) {
        uint32_t old = (uint32_t) h[16] << 24 | h[17] << 16 | h[18] << 8
                       | h[19];
        uint32_t new = iter % 3 ? rng() : iter % 2 ? 0 : 0xffffffff;

        csum = h[10] << 8 | h[11];
        wr32(h + 16, new);
        wr16(h + 10, mob_csum_update32(csum, old, new));
        CU_ASSERT_EQUAL(mob_csum(h, 20), 0);
        CU_ASSERT_EQUAL(ref_csum(h, 20), 0);
    }
}

/* Names. */

static void
test_error_strings(void)
{
    for (int i = 0; i < MOB_PKT_N_ERRORS; i++) {
        const char *s = mob_pkt_error_to_string(i);
        const char *n = mob_pkt_error_name(i);

        CU_ASSERT_FATAL(s != NULL && n != NULL);
        CU_ASSERT(strlen(s) > 1);
        CU_ASSERT(!strcmp(n, "OK") || !strcmp(n, "NOT_TUNNEL")
                  || !strncmp(n, "ERR_", 4));
        for (int j = 0; j < i; j++) {
            CU_ASSERT(strcmp(s, mob_pkt_error_to_string(j)));
            CU_ASSERT(strcmp(n, mob_pkt_error_name(j)));
        }
    }
    CU_ASSERT_STRING_EQUAL(mob_pkt_error_name(MOB_PKT_ERR_TRUNC_UDP),
                           "ERR_TRUNC_UDP");
    CU_ASSERT_STRING_EQUAL(mob_pkt_error_to_string(MOB_PKT_ERR_TRUNC_UDP),
                           "truncated UDP header");
    CU_ASSERT_STRING_EQUAL(mob_pkt_error_name(MOB_PKT_OK), "OK");
    CU_ASSERT_STRING_EQUAL(
        mob_pkt_error_name(MOB_PKT_ERR_TRUNC_INNER_ETH),
        "ERR_TRUNC_INNER_ETH");
    CU_ASSERT_PTR_NOT_NULL(mob_pkt_error_to_string(MOB_PKT_N_ERRORS));
    CU_ASSERT_PTR_NOT_NULL(mob_pkt_error_name(MOB_PKT_N_ERRORS + 5));

    CU_ASSERT_STRING_EQUAL(mob_tnl_type_to_string(MOB_TNL_VXLAN), "vxlan");
    CU_ASSERT_STRING_EQUAL(mob_tnl_type_to_string(MOB_TNL_GENEVE),
                           "geneve");
    CU_ASSERT_STRING_EQUAL(mob_tnl_type_to_string(MOB_TNL_NONE), "none");
}

static void
test_config_init(void)
{
    struct mob_pkt_config cfg;

    memset(&cfg, 0xa5, sizeof cfg);
    mob_pkt_config_init(&cfg);
    CU_ASSERT_EQUAL(cfg.vxlan_port, 4789);
    CU_ASSERT_EQUAL(cfg.geneve_port, 6081);
}

/* Valid tunnel frames. */

/* VXLAN over IPv4, written out byte by byte; the inner frame is an ARP
 * request. */
static const uint8_t literal_vxlan4[] = {
    /* Outer Ethernet. */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00,
    /* IPv4: total length 78, DF, TTL 64, UDP, checksum 0x269d,
     * 10.0.0.1 -> 10.0.0.2. */
    0x45, 0x00, 0x00, 0x4e, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x26, 0x9d,
    0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
    /* UDP 49152 -> 4789, length 58, no checksum. */
    0xc0, 0x00, 0x12, 0xb5, 0x00, 0x3a, 0x00, 0x00,
    /* VXLAN, VNI 5001. */
    0x08, 0x00, 0x00, 0x00, 0x00, 0x13, 0x89, 0x00,
    /* Inner Ethernet. */
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x52, 0x54, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x06,
    /* ARP request who-has 10.1.1.2 tell 10.1.1.1. */
    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
    0x52, 0x54, 0x00, 0x00, 0x00, 0x01, 0x0a, 0x01, 0x01, 0x01,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x01, 0x01, 0x02,
};

static void
test_tnl_literal_vxlan4(void)
{
    static const uint8_t ip1[4] = { 10, 0, 0, 1 };
    static const uint8_t ip2[4] = { 10, 0, 0, 2 };
    static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    static const uint8_t vm[6] = { 0x52, 0x54, 0, 0, 0, 1 };
    struct in6_addr a1 = mapped(ip1), a2 = mapped(ip2);
    struct mob_tnl_pkt p;

    CU_ASSERT_EQUAL(sizeof literal_vxlan4, 92);
    CU_ASSERT_EQUAL(ref_csum(literal_vxlan4 + 14, 20), 0);
    CU_ASSERT_EQUAL_FATAL(mob_pkt_parse_tunnel(literal_vxlan4,
                                               sizeof literal_vxlan4,
                                               NULL, &p), MOB_PKT_OK);
    CU_ASSERT_EQUAL(p.type, MOB_TNL_VXLAN);
    CU_ASSERT_FALSE(p.outer_ipv6);
    CU_ASSERT_EQUAL(p.outer_ttl, 64);
    CU_ASSERT_EQUAL(p.n_vlans, 0);
    CU_ASSERT(!memcmp(p.outer_dst_mac.ea, outer_dst_mac, 6));
    CU_ASSERT(!memcmp(p.outer_src_mac.ea, outer_src_mac, 6));
    CU_ASSERT(!memcmp(&p.outer_src, &a1, sizeof a1));
    CU_ASSERT(!memcmp(&p.outer_dst, &a2, sizeof a2));
    CU_ASSERT_EQUAL(p.udp_src, 49152);
    CU_ASSERT_EQUAL(p.udp_dst, 4789);
    CU_ASSERT_EQUAL(p.l3_ofs, 14);
    CU_ASSERT_EQUAL(p.l3_hlen, 20);
    CU_ASSERT_EQUAL(p.l4_ofs, 34);
    CU_ASSERT_EQUAL(p.tnl_ofs, 42);
    CU_ASSERT_EQUAL(p.inner_ofs, 50);
    CU_ASSERT_EQUAL(p.end_ofs, 92);
    CU_ASSERT_EQUAL(p.vni, 5001);
    CU_ASSERT_EQUAL(p.vxlan_flags, 0x08000000);
    CU_ASSERT_EQUAL(p.geneve_flags, 0);
    CU_ASSERT_EQUAL(p.geneve_opt_len, 0);
    CU_ASSERT_EQUAL(p.geneve_n_opts, 0);
    CU_ASSERT_FALSE(p.geneve_critical);
    CU_ASSERT_FALSE(p.redirect_mark);
    CU_ASSERT(!memcmp(p.inner_dst.ea, bcast, 6));
    CU_ASSERT(!memcmp(p.inner_src.ea, vm, 6));
}

/* Geneve over IPv6, written out byte by byte, with the redirect mark and a
 * critical option. */
static const uint8_t literal_geneve6[] = {
    /* Outer Ethernet. */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x86, 0xdd,
    /* IPv6: payload length 42, UDP, hop limit 64, fd00::1 -> fd00::2. */
    0x60, 0x00, 0x00, 0x00, 0x00, 0x2a, 0x11, 0x40,
    0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
    0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02,
    /* UDP 54321 -> 6081, length 42. */
    0xd4, 0x31, 0x17, 0xc1, 0x00, 0x2a, 0x12, 0x34,
    /* Geneve: 2 words of options, O bit, Ethernet, VNI 0x000a0b. */
    0x02, 0x80, 0x65, 0x58, 0x00, 0x0a, 0x0b, 0x00,
    0xff, 0xf7, 0x5d, 0x00,     /* The mark. */
    0x01, 0x02, 0x80, 0x00,     /* Critical, no data. */
    /* Inner Ethernet and 4 bytes. */
    0x52, 0x54, 0x00, 0x00, 0x00, 0x01, 0x52, 0x54, 0x00, 0x00, 0x00, 0x03,
    0x86, 0xdd, 0xde, 0xad, 0xbe, 0xef,
};

static void
test_tnl_literal_geneve6(void)
{
    static const uint8_t a[16] = { 0xfd, [15] = 1 };
    static const uint8_t b[16] = { 0xfd, [15] = 2 };
    static const uint8_t in_dst[6] = { 0x52, 0x54, 0, 0, 0, 1 };
    static const uint8_t in_src[6] = { 0x52, 0x54, 0, 0, 0, 3 };
    struct mob_tnl_pkt p;

    CU_ASSERT_EQUAL(sizeof literal_geneve6, 96);
    CU_ASSERT_EQUAL_FATAL(mob_pkt_parse_tunnel(literal_geneve6,
                                               sizeof literal_geneve6,
                                               NULL, &p), MOB_PKT_OK);
    CU_ASSERT_EQUAL(p.type, MOB_TNL_GENEVE);
    CU_ASSERT_TRUE(p.outer_ipv6);
    CU_ASSERT_EQUAL(p.outer_ttl, 64);
    CU_ASSERT_EQUAL(p.n_vlans, 0);
    CU_ASSERT(!memcmp(&p.outer_src, a, 16));
    CU_ASSERT(!memcmp(&p.outer_dst, b, 16));
    CU_ASSERT_EQUAL(p.udp_src, 54321);
    CU_ASSERT_EQUAL(p.udp_dst, 6081);
    CU_ASSERT_EQUAL(p.l3_ofs, 14);
    CU_ASSERT_EQUAL(p.l3_hlen, 40);
    CU_ASSERT_EQUAL(p.l4_ofs, 54);
    CU_ASSERT_EQUAL(p.tnl_ofs, 62);
    CU_ASSERT_EQUAL(p.inner_ofs, 78);
    CU_ASSERT_EQUAL(p.end_ofs, 96);
    CU_ASSERT_EQUAL(p.vni, 0x000a0b);
    CU_ASSERT_EQUAL(p.vxlan_flags, 0);
    CU_ASSERT_EQUAL(p.geneve_flags, 0x80);
    CU_ASSERT_EQUAL(p.geneve_opt_len, 8);
    CU_ASSERT_EQUAL(p.geneve_n_opts, 2);
    CU_ASSERT_TRUE(p.geneve_critical);
    CU_ASSERT_TRUE(p.redirect_mark);
    CU_ASSERT(!memcmp(p.inner_dst.ea, in_dst, 6));
    CU_ASSERT(!memcmp(p.inner_src.ea, in_src, 6));
}

static void
test_tnl_built_cases(void)
{
    for (size_t i = 0; i < N_TNL_CASES; i++) {
        const struct tnl_spec *s = &tnl_cases[i];
        struct mob_tnl_pkt p;
        struct frame f;

        build_tnl(s, &f);
        ASSERT_PARSE(f.buf, f.len, NULL, MOB_PKT_OK, s->name);
        CU_ASSERT_EQUAL_FATAL(mob_pkt_parse_tunnel(f.buf, f.len, NULL, &p),
                              MOB_PKT_OK);
        check_tnl(s, &f, &p);
        CU_ASSERT_EQUAL(f.len, f.end_ofs + s->padding);
    }
}

static void
test_tnl_ports(void)
{
    const struct tnl_spec *vx = &tnl_cases[0];
    const struct tnl_spec *gn = &tnl_cases[5];
    struct mob_pkt_config cfg = { .vxlan_port = 8472, .geneve_port = 4789 };
    struct mob_tnl_pkt p;
    struct tnl_spec s;
    struct frame f;

    /* With VXLAN moved to 8472 and Geneve to 4789, a VXLAN frame to 4789
     * is read as Geneve, whose protocol field is then 0. */
    build_tnl(vx, &f);
    ASSERT_PARSE(f.buf, f.len, &cfg, MOB_PKT_ERR_BAD_GENEVE_PROTO,
                 "vxlan frame to the configured geneve port");

    /* VXLAN to 8472: not a tunnel by default, VXLAN with 'cfg'. */
    s = *vx;
    s.udp_dst = 8472;
    build_tnl(&s, &f);
    ASSERT_PARSE(f.buf, f.len, NULL, MOB_PKT_NOT_TUNNEL, "8472 by default");
    CU_ASSERT_EQUAL_FATAL(mob_pkt_parse_tunnel(f.buf, f.len, &cfg, &p),
                          MOB_PKT_OK);
    check_tnl(&s, &f, &p);

    /* Geneve on the configured port, and not on its IANA port. */
    s = *gn;
    s.udp_dst = 4789;
    build_tnl(&s, &f);
    CU_ASSERT_EQUAL_FATAL(mob_pkt_parse_tunnel(f.buf, f.len, &cfg, &p),
                          MOB_PKT_OK);
    check_tnl(&s, &f, &p);
    s.udp_dst = 6081;
    build_tnl(&s, &f);
    ASSERT_PARSE(f.buf, f.len, &cfg, MOB_PKT_NOT_TUNNEL,
                 "6081 when geneve is on 4789");
}

/* Truncation. */

/* Returns what parsing the first 'cut' bytes of 'f', built from 's', must
 * give: the IP length then claims more than there is. */
static enum mob_pkt_error
expected_raw_cut(const struct tnl_spec *s, const struct frame *f,
                 size_t cut)
{
    if (cut < MOB_ETH_HLEN) {
        return MOB_PKT_ERR_TRUNC_ETH;
    } else if (cut < f->l3_ofs) {
        return MOB_PKT_ERR_TRUNC_VLAN;
    } else if (!s->ipv6) {
        return (cut < f->l3_ofs + f->l3_hlen ? MOB_PKT_ERR_TRUNC_IPV4
                : cut < f->end_ofs ? MOB_PKT_ERR_BAD_IPV4_LEN
                : MOB_PKT_OK);
    } else {
        return (cut < f->l3_ofs + 40 ? MOB_PKT_ERR_TRUNC_IPV6
                : cut < f->end_ofs ? MOB_PKT_ERR_BAD_IPV6_LEN
                : MOB_PKT_OK);
    }
}

static void
test_tnl_truncate_raw(void)
{
    for (size_t i = 0; i < N_TNL_CASES; i++) {
        const struct tnl_spec *s = &tnl_cases[i];
        struct frame f;

        build_tnl(s, &f);
        for (size_t cut = 0; cut < f.len; cut++) {
            enum mob_pkt_error exp = expected_raw_cut(s, &f, cut);

            CU_ASSERT(exp != MOB_PKT_OK || cut >= f.end_ofs);
            ASSERT_PARSE(f.buf, cut, NULL, exp, s->name);
        }
    }

    /* The literal frames as well. */
    for (size_t cut = 0; cut < sizeof literal_vxlan4; cut++) {
        ASSERT_PARSE(literal_vxlan4, cut, NULL,
                     (cut < 14 ? MOB_PKT_ERR_TRUNC_ETH
                      : cut < 34 ? MOB_PKT_ERR_TRUNC_IPV4
                      : MOB_PKT_ERR_BAD_IPV4_LEN), "literal vxlan4");
    }
    for (size_t cut = 0; cut < sizeof literal_geneve6; cut++) {
        ASSERT_PARSE(literal_geneve6, cut, NULL,
                     (cut < 14 ? MOB_PKT_ERR_TRUNC_ETH
                      : cut < 54 ? MOB_PKT_ERR_TRUNC_IPV6
                      : MOB_PKT_ERR_BAD_IPV6_LEN), "literal geneve6");
    }
}

/* Returns what parsing 'f', built from 's', cut to 'cut' bytes with its IP
 * and UDP lengths made to match, must give. */
static enum mob_pkt_error
expected_consistent_cut(const struct tnl_spec *s, const struct frame *f,
                        size_t cut)
{
    bool geneve = s->type == MOB_TNL_GENEVE;

    if (cut < f->l4_ofs) {
        return MOB_PKT_ERR_TRUNC_IPV6_EXT;
    } else if (cut < f->l4_ofs + MOB_UDP_HLEN) {
        return MOB_PKT_ERR_TRUNC_UDP;
    } else if (cut < f->tnl_ofs + 8) {
        return geneve ? MOB_PKT_ERR_TRUNC_GENEVE : MOB_PKT_ERR_TRUNC_VXLAN;
    } else if (cut < f->inner_ofs) {
        return MOB_PKT_ERR_BAD_GENEVE_OPTLEN;
    } else if (cut < f->inner_ofs + MOB_ETH_HLEN) {
        return MOB_PKT_ERR_TRUNC_INNER_ETH;
    }
    return MOB_PKT_OK;
}

static void
test_tnl_truncate_consistent(void)
{
    for (size_t i = 0; i < N_TNL_CASES; i++) {
        const struct tnl_spec *s = &tnl_cases[i];
        struct frame f, g;

        build_tnl(s, &f);
        for (size_t cut = f.l3_ofs + f.l3_hlen; cut <= f.end_ofs; cut++) {
            enum mob_pkt_error exp = expected_consistent_cut(s, &f, cut);
            struct mob_tnl_pkt p;

            g = f;
            set_lengths(g.buf, &f, s->ipv6, cut);
            ASSERT_PARSE(g.buf, cut, NULL, exp, s->name);
            if (exp == MOB_PKT_OK) {
                CU_ASSERT_EQUAL(mob_pkt_parse_tunnel(g.buf, cut, NULL, &p),
                                MOB_PKT_OK);
                g.end_ofs = cut;
                check_tnl(s, &g, &p);
            }
        }
    }
}

static void
test_tnl_udp_length(void)
{
    /* The tunnel ends where UDP says, even if IP says more. */
    for (size_t i = 0; i < N_TNL_CASES; i++) {
        const struct tnl_spec *s = &tnl_cases[i];
        bool geneve = s->type == MOB_TNL_GENEVE;
        size_t full;
        struct frame f;

        build_tnl(s, &f);
        full = f.end_ofs - f.l4_ofs;
        for (size_t ulen = 0; ulen <= full + 1; ulen++) {
            size_t end = f.l4_ofs + ulen;
            enum mob_pkt_error exp;
            struct frame g = f;

            exp = (ulen < 8 || ulen > full ? MOB_PKT_ERR_BAD_UDP_LEN
                   : end < f.tnl_ofs + 8
                   ? (geneve ? MOB_PKT_ERR_TRUNC_GENEVE
                      : MOB_PKT_ERR_TRUNC_VXLAN)
                   : end < f.inner_ofs ? MOB_PKT_ERR_BAD_GENEVE_OPTLEN
                   : end < f.inner_ofs + 14 ? MOB_PKT_ERR_TRUNC_INNER_ETH
                   : MOB_PKT_OK);
            wr16(g.buf + f.l4_ofs + 4, ulen);
            ASSERT_PARSE(g.buf, g.len, NULL, exp, s->name);
        }
    }
}

/* Malformed headers. */

/* Builds tunnel case 'name' into 'f' and returns its spec. */
static const struct tnl_spec *
build_case(const char *name, struct frame *f)
{
    for (size_t i = 0; i < N_TNL_CASES; i++) {
        if (!strcmp(tnl_cases[i].name, name)) {
            build_tnl(&tnl_cases[i], f);
            return &tnl_cases[i];
        }
    }
    CU_FAIL_FATAL("no such case");
    return NULL;
}

static void
test_bad_vlans(void)
{
    struct frame f;

    /* Three tags. */
    memset(&f, 0, sizeof f);
    put(&f, outer_dst_mac, 6);
    put(&f, outer_src_mac, 6);
    put16(&f, 0x88a8);
    put16(&f, 1);
    put16(&f, 0x8100);
    put16(&f, 2);
    put16(&f, 0x8100);
    put16(&f, 3);
    put16(&f, 0x0800);
    put(&f, NULL, 60);
    ASSERT_PARSE(f.buf, f.len, NULL, MOB_PKT_ERR_TOO_MANY_VLANS, "3 tags");
    for (size_t cut = 22; cut < f.len; cut++) {
        ASSERT_PARSE(f.buf, cut, NULL, MOB_PKT_ERR_TOO_MANY_VLANS, "3 tags");
    }
}

static void
test_bad_ipv4(void)
{
    struct frame f, g;
    uint8_t *ip;

    build_case("vxlan4", &f);

#define MUTATE_IPV4(CODE, EXPECTED, WHAT)                                   \
    do {                                                                    \
        g = f;                                                              \
        ip = g.buf + f.l3_ofs;                                              \
        CODE;                                                               \
        fix_ipv4_csum(ip, (ip[0] & 0xf) * 4 >= 20                           \
                          ? (size_t) (ip[0] & 0xf) * 4 : 20);               \
        ASSERT_PARSE(g.buf, g.len, NULL, EXPECTED, WHAT);                   \
    } while (0)

    MUTATE_IPV4(ip[0] = 0x55, MOB_PKT_ERR_BAD_IPV4_VERSION, "version 5");
    MUTATE_IPV4(ip[0] = 0x65, MOB_PKT_ERR_BAD_IPV4_VERSION, "version 6");
    MUTATE_IPV4(ip[0] = 0x44, MOB_PKT_ERR_BAD_IPV4_IHL, "IHL 4");
    MUTATE_IPV4(ip[0] = 0x40, MOB_PKT_ERR_BAD_IPV4_IHL, "IHL 0");
    MUTATE_IPV4(wr16(ip + 2, 19), MOB_PKT_ERR_BAD_IPV4_LEN, "tot_len 19");
    MUTATE_IPV4(wr16(ip + 2, 0), MOB_PKT_ERR_BAD_IPV4_LEN, "tot_len 0");
    MUTATE_IPV4(wr16(ip + 2, g.len - f.l3_ofs + 1),
                MOB_PKT_ERR_BAD_IPV4_LEN, "tot_len 1 too long");
    MUTATE_IPV4(wr16(ip + 2, 0xffff), MOB_PKT_ERR_BAD_IPV4_LEN,
                "tot_len 65535");
    /* IHL 15 (60 bytes) but total length 40. */
    MUTATE_IPV4((ip[0] = 0x4f, wr16(ip + 2, 40)),
                MOB_PKT_ERR_BAD_IPV4_LEN, "tot_len < IHL");
    MUTATE_IPV4(wr16(ip + 6, 0x2000), MOB_PKT_ERR_FRAGMENT, "MF");
    MUTATE_IPV4(wr16(ip + 6, 0x0001), MOB_PKT_ERR_FRAGMENT, "offset 1");
    MUTATE_IPV4(wr16(ip + 6, 0x1fff), MOB_PKT_ERR_FRAGMENT, "offset max");
    MUTATE_IPV4(wr16(ip + 6, 0x0000), MOB_PKT_OK, "DF clear");
    MUTATE_IPV4(wr16(ip + 6, 0x8000), MOB_PKT_OK, "reserved flag");
    MUTATE_IPV4(ip[9] = 6, MOB_PKT_NOT_TUNNEL, "TCP");
    MUTATE_IPV4((ip[9] = 6, wr16(ip + 6, 0x2000)), MOB_PKT_NOT_TUNNEL,
                "TCP fragment");
    MUTATE_IPV4(ip[9] = 1, MOB_PKT_NOT_TUNNEL, "ICMP");
#undef MUTATE_IPV4

    /* Checksum: any single bit flipped in the header, checksum included,
     * and the checksum left alone. */
    for (int bit = 0; bit < 20 * 8; bit++) {
        g = f;
        ip = g.buf + f.l3_ofs;
        ip[bit / 8] ^= 1 << (bit % 8);
        if (bit < 8) {
            continue;           /* Version and IHL have their own errors. */
        }
        if (bit >= 16 && bit < 32) {
            continue;           /* Total length has its own error. */
        }
        ASSERT_PARSE(g.buf, g.len, NULL, MOB_PKT_ERR_BAD_IPV4_CSUM,
                     "bit flip");
    }

    /* TTL changed without the checksum. */
    g = f;
    g.buf[f.l3_ofs + 8]--;
    ASSERT_PARSE(g.buf, g.len, NULL, MOB_PKT_ERR_BAD_IPV4_CSUM, "TTL");
}

static void
test_bad_ipv6(void)
{
    struct frame f, g;
    uint8_t *ip;

    build_case("vxlan6-ext-vlan", &f);
    ip = f.buf + f.l3_ofs;
    CU_ASSERT_EQUAL_FATAL(f.l4_ofs, f.l3_ofs + 40 + 8 + 16 + 8);

    g = f;
    g.buf[f.l3_ofs] = 0x40;
    ASSERT_PARSE(g.buf, g.len, NULL, MOB_PKT_ERR_BAD_IPV6_VERSION, "v4");
    g = f;
    g.buf[f.l3_ofs] = 0x70;
    ASSERT_PARSE(g.buf, g.len, NULL, MOB_PKT_ERR_BAD_IPV6_VERSION, "v7");

    g = f;
    wr16(g.buf + f.l3_ofs + 4, (ip[4] << 8 | ip[5]) + 1);
    ASSERT_PARSE(g.buf, g.len, NULL, MOB_PKT_ERR_BAD_IPV6_LEN, "plen+1");
    g = f;
    wr16(g.buf + f.l3_ofs + 4, 0xffff);
    ASSERT_PARSE(g.buf, g.len, NULL, MOB_PKT_ERR_BAD_IPV6_LEN, "plen max");

    /* Each extension header's length overrunning the payload. */
    g = f;
    g.buf[f.l3_ofs + 40 + 1] = 200;
    ASSERT_PARSE(g.buf, g.len, NULL, MOB_PKT_ERR_TRUNC_IPV6_EXT, "hbh");
    g = f;
    g.buf[f.l3_ofs + 48 + 1] = 255;
    ASSERT_PARSE(g.buf, g.len, NULL, MOB_PKT_ERR_TRUNC_IPV6_EXT, "routing");
    g = f;
    g.buf[f.l3_ofs + 64 + 1] = 30;
    ASSERT_PARSE(g.buf, g.len, NULL, MOB_PKT_ERR_TRUNC_IPV6_EXT, "dstopts");

    /* A hop-by-hop header stretched over the routing header, naming TCP
     * next. */
    g = f;
    g.buf[f.l3_ofs + 40 + 1] = 2;       /* 24 bytes. */
    g.buf[f.l3_ofs + 40] = 6;           /* Next header TCP. */
    ASSERT_PARSE(g.buf, g.len, NULL, MOB_PKT_NOT_TUNNEL, "hbh then TCP");

    /* Last header not UDP. */
    g = f;
    g.buf[f.l3_ofs + 64] = 6;
    ASSERT_PARSE(g.buf, g.len, NULL, MOB_PKT_NOT_TUNNEL, "TCP");
    g = f;
    g.buf[f.l3_ofs + 64] = 59;
    ASSERT_PARSE(g.buf, g.len, NULL, MOB_PKT_NOT_TUNNEL, "no next header");
    g = f;
    g.buf[f.l3_ofs + 64] = 58;
    ASSERT_PARSE(g.buf, g.len, NULL, MOB_PKT_NOT_TUNNEL, "ICMPv6");

    /* A fragment header in place of the destination options header: its
     * next header (byte 0) is UDP, so it is a fragment of what may be a
     * tunnel packet. */
    g = f;
    g.buf[f.l3_ofs + 48] = 44;          /* Routing's next: fragment. */
    g.buf[f.l3_ofs + 64] = 17;
    g.buf[f.l3_ofs + 64 + 1] = 0;
    wr16(g.buf + f.l3_ofs + 64 + 2, 0x0001);    /* M flag. */
    ASSERT_PARSE(g.buf, g.len, NULL, MOB_PKT_ERR_FRAGMENT, "frag UDP");
    g.buf[f.l3_ofs + 64] = 60;
    ASSERT_PARSE(g.buf, g.len, NULL, MOB_PKT_ERR_FRAGMENT, "frag dstopts");
    g.buf[f.l3_ofs + 64] = 6;
    ASSERT_PARSE(g.buf, g.len, NULL, MOB_PKT_NOT_TUNNEL, "frag TCP");
    /* The fragment header itself truncated. */
    g.buf[f.l3_ofs + 64] = 17;
    set_lengths(g.buf, &f, true, f.l3_ofs + 64 + 7);
    ASSERT_PARSE(g.buf, f.l3_ofs + 64 + 7, NULL,
                 MOB_PKT_ERR_TRUNC_IPV6_EXT, "frag truncated");
}

static void
test_bad_udp(void)
{
    static const char *names[] = { "vxlan4", "vxlan6", "geneve4-opts" };

    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        struct frame f, g;
        size_t ulen;

        build_case(names[i], &f);
        ulen = f.end_ofs - f.l4_ofs;
        g = f;
        wr16(g.buf + f.l4_ofs + 4, ulen + 1);
        ASSERT_PARSE(g.buf, g.len, NULL, MOB_PKT_ERR_BAD_UDP_LEN, names[i]);
        wr16(g.buf + f.l4_ofs + 4, 0xffff);
        ASSERT_PARSE(g.buf, g.len, NULL, MOB_PKT_ERR_BAD_UDP_LEN, names[i]);
        wr16(g.buf + f.l4_ofs + 4, 7);
        ASSERT_PARSE(g.buf, g.len, NULL, MOB_PKT_ERR_BAD_UDP_LEN, names[i]);
        wr16(g.buf + f.l4_ofs + 4, 0);
        ASSERT_PARSE(g.buf, g.len, NULL, MOB_PKT_ERR_BAD_UDP_LEN, names[i]);

        /* Port 53 is not a tunnel. */
        g = f;
        wr16(g.buf + f.l4_ofs + 2, 53);
        ASSERT_PARSE(g.buf, g.len, NULL, MOB_PKT_NOT_TUNNEL, names[i]);
        /* The source port does not matter. */
        g = f;
        wr16(g.buf + f.l4_ofs, i == 2 ? 4789 : 6081);
        ASSERT_PARSE(g.buf, g.len, NULL, MOB_PKT_OK, names[i]);

        /* Sent to the other tunnel's port, the header is read as the
         * other tunnel's: VXLAN's flags word as Geneve has protocol 0;
         * Geneve's first word as VXLAN has the I flag clear. */
        g = f;
        wr16(g.buf + f.l4_ofs + 2, i == 2 ? 4789 : 6081);
        ASSERT_PARSE(g.buf, g.len, NULL,
                     (i == 2 ? MOB_PKT_ERR_BAD_VXLAN_FLAGS
                      : MOB_PKT_ERR_BAD_GENEVE_PROTO), names[i]);
    }
}

static void
test_bad_vxlan(void)
{
    static const uint32_t bad_flags[] = {
        0x00000000, 0x40000000, 0xf7ffffff, 0x00000008,
    };
    static const uint32_t good_flags[] = {
        0x08000000, 0xffffffff, 0x08ffffff, 0x88000000,
    };
    struct frame f, g;

    build_case("vxlan4", &f);
    for (size_t i = 0; i < 4; i++) {
        struct mob_tnl_pkt p;

        g = f;
        wr32(g.buf + f.tnl_ofs, bad_flags[i]);
        ASSERT_PARSE(g.buf, g.len, NULL, MOB_PKT_ERR_BAD_VXLAN_FLAGS,
                     "I clear");
        wr32(g.buf + f.tnl_ofs, good_flags[i]);
        CU_ASSERT_EQUAL_FATAL(mob_pkt_parse_tunnel(g.buf, g.len, NULL, &p),
                              MOB_PKT_OK);
        CU_ASSERT_EQUAL(p.vxlan_flags, good_flags[i]);
        CU_ASSERT_EQUAL(p.redirect_mark, (good_flags[i] & 0x40000000) != 0);
    }

    /* The reserved byte after the VNI is not part of it. */
    g = f;
    g.buf[f.tnl_ofs + 7] = 0xff;
    {
        struct mob_tnl_pkt p;

        CU_ASSERT_EQUAL_FATAL(mob_pkt_parse_tunnel(g.buf, g.len, NULL, &p),
                              MOB_PKT_OK);
        CU_ASSERT_EQUAL(p.vni, 5001);
    }
}

static void
test_bad_geneve(void)
{
    struct frame f, g;
    size_t opt_words;
    uint8_t *gh;

    build_case("geneve4-opts", &f);
    opt_words = sizeof opts_mixed / 4;

    g = f;
    gh = g.buf + f.tnl_ofs;
    gh[0] = 0x40 | opt_words;
    ASSERT_PARSE(g.buf, g.len, NULL, MOB_PKT_ERR_BAD_GENEVE_VERSION, "v1");
    gh[0] = 0xc0 | opt_words;
    ASSERT_PARSE(g.buf, g.len, NULL, MOB_PKT_ERR_BAD_GENEVE_VERSION, "v3");

    g = f;
    gh = g.buf + f.tnl_ofs;
    wr16(gh + 2, 0x0800);
    ASSERT_PARSE(g.buf, g.len, NULL, MOB_PKT_ERR_BAD_GENEVE_PROTO, "IPv4");
    wr16(gh + 2, 0x6559);
    ASSERT_PARSE(g.buf, g.len, NULL, MOB_PKT_ERR_BAD_GENEVE_PROTO, "6559");

    /* Options length overrunning the packet. */
    g = f;
    gh = g.buf + f.tnl_ofs;
    gh[0] = 0x3f;
    ASSERT_PARSE(g.buf, g.len, NULL, MOB_PKT_ERR_BAD_GENEVE_OPTLEN, "63");
    gh[0] = opt_words + (f.end_ofs - f.inner_ofs) / 4 + 1;
    ASSERT_PARSE(g.buf, g.len, NULL, MOB_PKT_ERR_BAD_GENEVE_OPTLEN,
                 "one word past the end");
    /* An options area that fits but reaches into the inner frame, whose
     * first bytes (52 54 00 12) read as an option of 18 words. */
    gh[0] = opt_words + (f.end_ofs - f.inner_ofs) / 4;
    ASSERT_PARSE(g.buf, g.len, NULL, MOB_PKT_ERR_BAD_GENEVE_OPTLEN,
                 "area into the inner frame");

    /* Last option (12 bytes) longer than the options area. */
    g = f;
    g.buf[f.tnl_ofs + 8 + 12 + 3] = 3;
    ASSERT_PARSE(g.buf, g.len, NULL, MOB_PKT_ERR_BAD_GENEVE_OPTLEN,
                 "option overruns");
    g.buf[f.tnl_ofs + 8 + 12 + 3] = 31;
    ASSERT_PARSE(g.buf, g.len, NULL, MOB_PKT_ERR_BAD_GENEVE_OPTLEN,
                 "option overruns by far");
    /* Options area one word short of the last option. */
    g = f;
    g.buf[f.tnl_ofs] = opt_words - 1;
    ASSERT_PARSE(g.buf, g.len, NULL, MOB_PKT_ERR_BAD_GENEVE_OPTLEN,
                 "area short");
    /* Options area one word short of the first option only. */
    g = f;
    g.buf[f.tnl_ofs] = 1;
    ASSERT_PARSE(g.buf, g.len, NULL, MOB_PKT_ERR_BAD_GENEVE_OPTLEN,
                 "first option overruns");
    /* Options area cut right after the first two options: fine, and the
     * third one is then read as the inner frame. */
    g = f;
    g.buf[f.tnl_ofs] = 3;
    {
        struct mob_tnl_pkt p;

        CU_ASSERT_EQUAL_FATAL(mob_pkt_parse_tunnel(g.buf, g.len, NULL, &p),
                              MOB_PKT_OK);
        CU_ASSERT_EQUAL(p.geneve_n_opts, 2);
        CU_ASSERT_EQUAL(p.geneve_opt_len, 12);
        CU_ASSERT_EQUAL(p.inner_ofs, f.tnl_ofs + 8 + 12);
        CU_ASSERT_TRUE(p.redirect_mark);
        CU_ASSERT_TRUE(p.geneve_critical);
    }
}

static void
test_not_tunnel(void)
{
    struct frame f;

    /* ARP on the underlay. */
    memset(&f, 0, sizeof f);
    put(&f, outer_dst_mac, 6);
    put(&f, outer_src_mac, 6);
    put16(&f, 0x0806);
    put(&f, NULL, 46);
    ASSERT_PARSE(f.buf, f.len, NULL, MOB_PKT_NOT_TUNNEL, "ARP");
    ASSERT_PARSE(f.buf, 14, NULL, MOB_PKT_NOT_TUNNEL, "bare ARP header");

    /* LLDP. */
    f.buf[12] = 0x88;
    f.buf[13] = 0xcc;
    ASSERT_PARSE(f.buf, f.len, NULL, MOB_PKT_NOT_TUNNEL, "LLDP");

    /* TCP over IPv4. */
    {
        struct frame g;

        build_case("vxlan4", &g);
        g.buf[g.l3_ofs + 9] = 6;
        fix_ipv4_csum(g.buf + g.l3_ofs, 20);
        ASSERT_PARSE(g.buf, g.len, NULL, MOB_PKT_NOT_TUNNEL, "TCP");

        /* DNS over IPv4 and IPv6, from and to port 53. */
        build_case("vxlan4", &g);
        wr16(g.buf + g.l4_ofs, 53);
        wr16(g.buf + g.l4_ofs + 2, 53);
        ASSERT_PARSE(g.buf, g.len, NULL, MOB_PKT_NOT_TUNNEL, "DNS4");
        build_case("geneve6-hbh-bigopt", &g);
        wr16(g.buf + g.l4_ofs + 2, 53);
        ASSERT_PARSE(g.buf, g.len, NULL, MOB_PKT_NOT_TUNNEL, "DNS6");
        /* VXLAN-GPE's port is not ours. */
        build_case("vxlan4", &g);
        wr16(g.buf + g.l4_ofs + 2, 4790);
        ASSERT_PARSE(g.buf, g.len, NULL, MOB_PKT_NOT_TUNNEL, "GPE");
    }
}

/* The L2 parser. */

static void
test_l2_tunnel_outer(void)
{
    static const char *names[] = {
        "vxlan4-qinq-ipopts-marked", "vxlan6-ext-vlan", "geneve4-opts",
        "vxlan4-padded",
    };

    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        const struct tnl_spec *s;
        struct in6_addr src, dst;
        struct mob_l2 l2;
        struct frame f;

        s = build_case(names[i], &f);
        src = s->ipv6 ? in6(src6) : mapped(src4);
        dst = s->ipv6 ? in6(dst6) : mapped(dst4);
        CU_ASSERT_EQUAL_FATAL(parse_l2_copy(f.buf, f.len, &l2), MOB_PKT_OK);
        CU_ASSERT(!memcmp(l2.dst.ea, outer_dst_mac, 6));
        CU_ASSERT(!memcmp(l2.src.ea, outer_src_mac, 6));
        CU_ASSERT_EQUAL(l2.n_vlans, s->n_vlans);
        for (int v = 0; v < s->n_vlans; v++) {
            CU_ASSERT_EQUAL(l2.vlan_tci[v], s->tci[v]);
        }
        CU_ASSERT_EQUAL(l2.eth_type, s->ipv6 ? 0x86dd : 0x0800);
        CU_ASSERT_EQUAL(l2.l3_ofs, f.l3_ofs);
        CU_ASSERT_EQUAL(l2.l3_len, f.end_ofs - f.l3_ofs);
        CU_ASSERT_EQUAL(l2.ip_proto, 17);
        CU_ASSERT_EQUAL(l2.ip_ttl, s->ttl);
        CU_ASSERT_EQUAL(l2.l4_ofs, f.l4_ofs);
        CU_ASSERT_EQUAL(l2.l4_len, f.end_ofs - f.l4_ofs);
        CU_ASSERT(!memcmp(&l2.ip_src, &src, sizeof src));
        CU_ASSERT(!memcmp(&l2.ip_dst, &dst, sizeof dst));

        /* Truncation: the same errors as the tunnel parser up to L3. */
        for (size_t cut = 0; cut < f.end_ofs; cut++) {
            CU_ASSERT_EQUAL(parse_l2_copy(f.buf, cut, &l2),
                            expected_raw_cut(s, &f, cut));
        }
        /* Consistent truncation: UDP errors, then OK. */
        for (size_t cut = f.l4_ofs; cut <= f.end_ofs; cut++) {
            struct frame g = f;

            set_lengths(g.buf, &f, s->ipv6, cut);
            CU_ASSERT_EQUAL(parse_l2_copy(g.buf, cut, &l2),
                            cut < f.l4_ofs + 8 ? MOB_PKT_ERR_TRUNC_UDP
                            : MOB_PKT_OK);
        }
    }
}

/* Builds an Ethernet header with 'n_vlans' tags (TCIs 100, 200) and
 * 'eth_type' into 'f'. */
static void
build_l2_header(struct frame *f, int n_vlans, uint16_t eth_type)
{
    memset(f, 0, sizeof *f);
    put(f, inner_dst_mac, 6);
    put(f, inner_src_mac, 6);
    for (int i = 0; i < n_vlans; i++) {
        put16(f, 0x8100);
        put16(f, 100 * (i + 1));
    }
    put16(f, eth_type);
    f->l3_ofs = f->len;
}

static void
test_l2_arp(void)
{
    for (int n_vlans = 0; n_vlans <= 2; n_vlans++) {
        static const uint16_t types[] = { 0x0806, 0x8035 };

        for (int t = 0; t < 2; t++) {
            struct mob_l2 l2;
            struct frame f, g;

            build_l2_header(&f, n_vlans, types[t]);
            put16(&f, 1);
            put16(&f, 0x0800);
            put8(&f, 6);
            put8(&f, 4);
            put16(&f, 1);
            put(&f, NULL, 20);
            put(&f, NULL, 18);          /* Padding. */

            CU_ASSERT_EQUAL_FATAL(parse_l2_copy(f.buf, f.len, &l2),
                                  MOB_PKT_OK);
            CU_ASSERT_EQUAL(l2.n_vlans, n_vlans);
            for (int v = 0; v < n_vlans; v++) {
                CU_ASSERT_EQUAL(l2.vlan_tci[v], 100 * (v + 1));
            }
            CU_ASSERT_EQUAL(l2.eth_type, types[t]);
            CU_ASSERT_EQUAL(l2.l3_ofs, 14 + 4 * n_vlans);
            CU_ASSERT_EQUAL(l2.l3_len, 28 + 18);
            CU_ASSERT_EQUAL(l2.ip_proto, 0);
            CU_ASSERT_EQUAL(l2.l4_ofs, 0);
            CU_ASSERT(!memcmp(l2.dst.ea, inner_dst_mac, 6));
            CU_ASSERT(!memcmp(l2.src.ea, inner_src_mac, 6));

            for (size_t cut = 0; cut < f.l3_ofs + 28; cut++) {
                CU_ASSERT_EQUAL(parse_l2_copy(f.buf, cut, &l2),
                                (cut < 14 ? MOB_PKT_ERR_TRUNC_ETH
                                 : cut < f.l3_ofs ? MOB_PKT_ERR_TRUNC_VLAN
                                 : MOB_PKT_ERR_TRUNC_ARP));
            }
            CU_ASSERT_EQUAL(parse_l2_copy(f.buf, f.l3_ofs + 28, &l2),
                            MOB_PKT_OK);
            CU_ASSERT_EQUAL(l2.l3_len, 28);

            /* Not Ethernet/IPv4. */
            for (int field = 0; field < 4; field++) {
                static const size_t ofs[] = { 1, 2, 4, 5 };

                g = f;
                g.buf[f.l3_ofs + ofs[field]] ^= 0x10;
                CU_ASSERT_EQUAL(parse_l2_copy(g.buf, g.len, &l2),
                                MOB_PKT_ERR_BAD_ARP);
            }
        }
    }
}

/* Builds into 'f' an IPv6 frame with a hop-by-hop header and an ICMPv6
 * echo request carrying 'payload' bytes. */
static void
build_icmpv6(struct frame *f, int n_vlans, size_t payload)
{
    build_l2_header(f, n_vlans, 0x86dd);
    put32(f, 0x60000000);
    put16(f, 8 + 4 + payload);
    put8(f, 0);
    put8(f, 255);
    put(f, src6, 16);
    put(f, dst6, 16);
    put8(f, 58);                /* Hop-by-hop, PadN. */
    put8(f, 0);
    put8(f, 1);
    put8(f, 4);
    put(f, NULL, 4);
    f->l4_ofs = f->len;
    put8(f, 128);
    put8(f, 0);
    put16(f, 0);
    for (size_t i = 0; i < payload; i++) {
        put8(f, i);
    }
    f->end_ofs = f->len;
}

static void
test_l2_icmpv6(void)
{
    struct in6_addr src = in6(src6), dst = in6(dst6);
    struct mob_l2 l2;
    struct frame f;

    build_icmpv6(&f, 1, 20);
    CU_ASSERT_EQUAL_FATAL(parse_l2_copy(f.buf, f.len, &l2), MOB_PKT_OK);
    CU_ASSERT_EQUAL(l2.n_vlans, 1);
    CU_ASSERT_EQUAL(l2.vlan_tci[0], 100);
    CU_ASSERT_EQUAL(l2.eth_type, 0x86dd);
    CU_ASSERT_EQUAL(l2.l3_ofs, 18);
    CU_ASSERT_EQUAL(l2.l3_len, 40 + 8 + 24);
    CU_ASSERT_EQUAL(l2.ip_proto, 58);
    CU_ASSERT_EQUAL(l2.ip_ttl, 255);
    CU_ASSERT_EQUAL(l2.l4_ofs, 18 + 48);
    CU_ASSERT_EQUAL(l2.l4_len, 24);
    CU_ASSERT(!memcmp(&l2.ip_src, &src, sizeof src));
    CU_ASSERT(!memcmp(&l2.ip_dst, &dst, sizeof dst));

    /* Payload shorter than the ICMPv6 header. */
    for (size_t n = 0; n < 4; n++) {
        struct frame g = f;

        wr16(g.buf + f.l3_ofs + 4, 8 + n);
        CU_ASSERT_EQUAL(parse_l2_copy(g.buf, f.l4_ofs + n, &l2),
                        MOB_PKT_ERR_TRUNC_ICMPV6);
    }
    /* Ethernet padding is not ICMPv6 payload. */
    build_icmpv6(&f, 0, 0);
    put(&f, NULL, 8);
    CU_ASSERT_EQUAL_FATAL(parse_l2_copy(f.buf, f.len, &l2), MOB_PKT_OK);
    CU_ASSERT_EQUAL(l2.l4_len, 4);
    CU_ASSERT_EQUAL(l2.l3_len, 52);
}

static void
test_l2_other(void)
{
    struct mob_tnl_pkt pkt;
    struct mob_l2 l2;
    struct frame f;

    /* Unknown ethertype: OK, no L3. */
    build_l2_header(&f, 2, 0x88cc);
    put(&f, NULL, 40);
    CU_ASSERT_EQUAL_FATAL(parse_l2_copy(f.buf, f.len, &l2), MOB_PKT_OK);
    CU_ASSERT_EQUAL(l2.eth_type, 0x88cc);
    CU_ASSERT_EQUAL(l2.n_vlans, 2);
    CU_ASSERT_EQUAL(l2.l3_ofs, 0);
    CU_ASSERT_EQUAL(l2.l4_ofs, 0);
    CU_ASSERT_EQUAL(parse_l2_copy(f.buf, 22, &l2), MOB_PKT_OK);

    /* IPv4 TCP: L3 but no L4. */
    build_l2_header(&f, 0, 0x0800);
    put8(&f, 0x45);
    put8(&f, 0);
    put16(&f, 40);
    put32(&f, 0);
    put8(&f, 7);
    put8(&f, 6);
    put16(&f, 0);
    put(&f, src4, 4);
    put(&f, dst4, 4);
    put(&f, NULL, 20);
    fix_ipv4_csum(f.buf + 14, 20);
    CU_ASSERT_EQUAL_FATAL(parse_l2_copy(f.buf, f.len, &l2), MOB_PKT_OK);
    CU_ASSERT_EQUAL(l2.l3_ofs, 14);
    CU_ASSERT_EQUAL(l2.l3_len, 40);
    CU_ASSERT_EQUAL(l2.ip_proto, 6);
    CU_ASSERT_EQUAL(l2.ip_ttl, 7);
    CU_ASSERT_EQUAL(l2.l4_ofs, 0);

    /* The same as a UDP fragment: L3, no L4. */
    f.buf[14 + 9] = 17;
    wr16(f.buf + 14 + 6, 0x0010);
    fix_ipv4_csum(f.buf + 14, 20);
    CU_ASSERT_EQUAL_FATAL(parse_l2_copy(f.buf, f.len, &l2), MOB_PKT_OK);
    CU_ASSERT_EQUAL(l2.ip_proto, 17);
    CU_ASSERT_EQUAL(l2.l3_ofs, 14);
    CU_ASSERT_EQUAL(l2.l4_ofs, 0);
    f.buf[14 + 10] ^= 1;
    CU_ASSERT_EQUAL(parse_l2_copy(f.buf, f.len, &l2),
                    MOB_PKT_ERR_BAD_IPV4_CSUM);

    /* ICMPv6 over IPv4 is not ICMPv6. */
    build_l2_header(&f, 0, 0x0800);
    put8(&f, 0x45);
    put8(&f, 0);
    put16(&f, 22);
    put32(&f, 0);
    put8(&f, 7);
    put8(&f, 58);
    put16(&f, 0);
    put(&f, src4, 4);
    put(&f, dst4, 4);
    put16(&f, 0);
    fix_ipv4_csum(f.buf + 14, 20);
    CU_ASSERT_EQUAL_FATAL(parse_l2_copy(f.buf, f.len, &l2), MOB_PKT_OK);
    CU_ASSERT_EQUAL(l2.ip_proto, 58);
    CU_ASSERT_EQUAL(l2.l4_ofs, 0);

    /* IPv6 fragment: the fragment's next header, no L4. */
    build_l2_header(&f, 0, 0x86dd);
    put32(&f, 0x60000000);
    put16(&f, 16);
    put8(&f, 44);
    put8(&f, 64);
    put(&f, src6, 16);
    put(&f, dst6, 16);
    put8(&f, 17);
    put8(&f, 0);
    put16(&f, 0x0009);
    put32(&f, 0x1234);
    put(&f, NULL, 8);
    CU_ASSERT_EQUAL_FATAL(parse_l2_copy(f.buf, f.len, &l2), MOB_PKT_OK);
    CU_ASSERT_EQUAL(l2.ip_proto, 17);
    CU_ASSERT_EQUAL(l2.l3_len, 56);
    CU_ASSERT_EQUAL(l2.l4_ofs, 0);
    CU_ASSERT_EQUAL(mob_pkt_parse_tunnel(f.buf, f.len, NULL, &pkt),
                    MOB_PKT_ERR_FRAGMENT);
}

/* Registration. */

void
test_packet_register(void)
{
    static const struct test_case csum_tests[] = {
        { "rfc1071 example", test_csum_rfc1071_example },
        { "odd lengths and empty", test_csum_odd_and_empty },
        { "matches reference", test_csum_vs_reference },
        { "no overflow", test_csum_no_overflow },
        { "update16 matches recompute", test_csum_update_vs_recompute },
        { "rfc1624 0x0000 corner", test_csum_rfc1624_corner },
        { "update32 on IPv4 header", test_csum_update32_ipv4 },
    };
    static const struct test_case names_tests[] = {
        { "error strings and names", test_error_strings },
        { "config init", test_config_init },
    };
    static const struct test_case tnl_tests[] = {
        { "literal VXLAN/IPv4", test_tnl_literal_vxlan4 },
        { "literal Geneve/IPv6", test_tnl_literal_geneve6 },
        { "built frames, every field", test_tnl_built_cases },
        { "configured ports", test_tnl_ports },
    };
    static const struct test_case bad_tests[] = {
        { "truncated at every length", test_tnl_truncate_raw },
        { "consistently truncated", test_tnl_truncate_consistent },
        { "every UDP length", test_tnl_udp_length },
        { "too many VLANs", test_bad_vlans },
        { "bad IPv4", test_bad_ipv4 },
        { "bad IPv6", test_bad_ipv6 },
        { "bad UDP", test_bad_udp },
        { "bad VXLAN", test_bad_vxlan },
        { "bad Geneve", test_bad_geneve },
        { "not tunnel", test_not_tunnel },
    };
    static const struct test_case l2_tests[] = {
        { "tunnel frame outer headers", test_l2_tunnel_outer },
        { "ARP and RARP", test_l2_arp },
        { "ICMPv6", test_l2_icmpv6 },
        { "other protocols and fragments", test_l2_other },
    };

    init_opts_big();
    TEST_ADD_SUITE("packet-csum", csum_tests);
    TEST_ADD_SUITE("packet-names", names_tests);
    TEST_ADD_SUITE("packet-tunnel", tnl_tests);
    TEST_ADD_SUITE("packet-malformed", bad_tests);
    TEST_ADD_SUITE("packet-l2", l2_tests);
}
