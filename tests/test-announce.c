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

/* Tests for lib/mob-announce: detection of RARP, gratuitous ARP and
 * unsolicited neighbour advertisements, their look-alikes, and the
 * builders.
 *
 * The reference frames are written out here byte by byte (QEMU's RARP as
 * net/announce.c announce_self_create() builds it); the NA checksum in the
 * literal was computed independently.  Look-alikes are made by changing
 * one thing in a reference frame; where that thing is covered by the
 * ICMPv6 checksum, the checksum is recomputed with a test-local function,
 * so that the frame is rejected for the intended reason only.  Frames are
 * examined from heap copies of exactly their length, so that
 * AddressSanitizer sees any read past the end. */

#include <config.h>
#include <CUnit/CUnit.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mob-announce.h"
#include "tests/test-common.h"

#define VM_MAC 0x52, 0x54, 0x00, 0x12, 0x34, 0x56
#define ZERO6 0x00, 0x00, 0x00, 0x00, 0x00, 0x00
#define BCAST 0xff, 0xff, 0xff, 0xff, 0xff, 0xff

static const struct mob_eth_addr vm_mac = { { VM_MAC } };

/* QEMU's RARP for 52:54:00:12:34:56. */
static const uint8_t qemu_rarp[60] = {
    BCAST, VM_MAC, 0x80, 0x35,
    0x00, 0x01,                 /* htype Ethernet */
    0x08, 0x00,                 /* ptype IPv4 */
    0x06, 0x04,                 /* hlen, plen */
    0x00, 0x03,                 /* request reverse */
    VM_MAC, 0x00, 0x00, 0x00, 0x00,     /* sha, spa */
    VM_MAC, 0x00, 0x00, 0x00, 0x00,     /* tha, tpa */
    /* 18 bytes of padding, zero. */
};

/* RFC 5227 ARP announcement of 10.1.2.3. */
static const uint8_t garp_request[60] = {
    BCAST, VM_MAC, 0x08, 0x06,
    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
    VM_MAC, 10, 1, 2, 3,
    ZERO6, 10, 1, 2, 3,
};

/* Broadcast ARP reply for 10.1.2.3, as "arping -A" sends it. */
static const uint8_t garp_reply[60] = {
    BCAST, VM_MAC, 0x08, 0x06,
    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x02,
    VM_MAC, 10, 1, 2, 3,
    VM_MAC, 10, 1, 2, 3,
};

#define NA_IP 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12, 0x34

/* Unsolicited NA for 2001:db8::1234 to ff02::1, Override set. */
static const uint8_t na_frame[86] = {
    0x33, 0x33, 0x00, 0x00, 0x00, 0x01, VM_MAC, 0x86, 0xdd,
    /* IPv6: payload 32, ICMPv6, hop limit 255. */
    0x60, 0x00, 0x00, 0x00, 0x00, 0x20, 0x3a, 0xff,
    NA_IP,
    0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
    /* ICMPv6 NA, checksum 0x5009, flags O. */
    0x88, 0x00, 0x50, 0x09, 0x20, 0x00, 0x00, 0x00,
    NA_IP,
    /* Target link-layer address option. */
    0x02, 0x01, VM_MAC,
};

#define NA_L3 14
#define NA_L4 (NA_L3 + 40)

static const uint8_t na_ip[16] = { NA_IP };

/* Examines a heap copy of exactly 'len' bytes of 'frame'. */
static enum mob_announce_type
detect_copy(const uint8_t *frame, size_t len, struct mob_announce *ann)
{
    uint8_t *copy = malloc(len);
    enum mob_announce_type type;

    CU_ASSERT_FATAL(copy != NULL || !len);
    if (len) {
        memcpy(copy, frame, len);
    }
    type = mob_announce_detect(copy, len, ann);
    free(copy);
    return type;
}

/* Returns the announcement type of the 'len' bytes at 'frame'. */
static enum mob_announce_type
detect_type(const uint8_t *frame, size_t len)
{
    struct mob_announce ann;

    return detect_copy(frame, len, &ann);
}

/* Test-local ICMPv6 checksum: recomputes and stores the checksum of the
 * ICMPv6 message at 'l4' of 'len' bytes in the IPv6 packet at 'l3'. */
static void
fix_icmpv6_csum(uint8_t *l3, uint8_t *l4, size_t len)
{
    uint32_t sum = 0;

    l4[2] = l4[3] = 0;
    for (size_t i = 8; i < 40; i += 2) {     /* Source, destination. */
        sum += l3[i] << 8 | l3[i + 1];
    }
    sum += len + 58;
    for (size_t i = 0; i < len; i++) {
        sum += i % 2 ? l4[i] : l4[i] << 8;
    }
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    sum = ~sum & 0xffff;
    l4[2] = sum >> 8;
    l4[3] = sum & 0xff;
}

/* Copies 'frame' of 'len' bytes into 'buf' with VLAN tags 'tags' (TPID
 * and TCI, 'n' of them) after the MAC addresses.  Returns the new length. */
static size_t
add_vlans(uint8_t *buf, const uint8_t *frame, size_t len,
          const uint16_t (*tags)[2], size_t n)
{
    memcpy(buf, frame, 12);
    for (size_t i = 0; i < n; i++) {
        buf[12 + 4 * i] = tags[i][0] >> 8;
        buf[13 + 4 * i] = tags[i][0] & 0xff;
        buf[14 + 4 * i] = tags[i][1] >> 8;
        buf[15 + 4 * i] = tags[i][1] & 0xff;
    }
    memcpy(buf + 12 + 4 * n, frame + 12, len - 12);
    return len + 4 * n;
}

/* Asserts that 'ann' is 'type' for the VM's MAC with 'ip' (16 bytes, or
 * NULL for all-zeros) and outermost TCI 'tci'. */
static void
check_ann(const struct mob_announce *ann, enum mob_announce_type type,
          const uint8_t *ip, uint16_t tci)
{
    static const uint8_t zero[16];

    CU_ASSERT_EQUAL(ann->type, type);
    CU_ASSERT(!memcmp(ann->mac.ea, vm_mac.ea, 6));
    CU_ASSERT(!memcmp(&ann->ip, ip ? ip : zero, 16));
    CU_ASSERT_EQUAL(ann->vlan_tci, tci);
}

/* IPv4-mapped 10.1.2.3. */
static const uint8_t garp_ip_mapped[16] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 1, 2, 3
};

/* The reference frames. */

static void
test_rarp_qemu(void)
{
    struct mob_announce ann;
    uint8_t buf[MOB_RARP_LEN + 4];

    CU_ASSERT_EQUAL_FATAL(detect_copy(qemu_rarp, sizeof qemu_rarp, &ann),
                          MOB_ANN_RARP);
    check_ann(&ann, MOB_ANN_RARP, NULL, 0);

    memset(buf, 0xaa, sizeof buf);
    CU_ASSERT_EQUAL(mob_announce_build_rarp(&vm_mac, buf), 60);
    CU_ASSERT(!memcmp(buf, qemu_rarp, sizeof qemu_rarp));
    CU_ASSERT_EQUAL(buf[60], 0xaa);             /* Nothing past 60. */
}

static void
test_rarp_builder_macs(void)
{
    /* Any unicast MAC round-trips through the builder and the detector. */
    for (int i = 0; i < 256; i++) {
        struct mob_eth_addr mac = { { (i * 2) & 0xfe, i, 0x5a, i ^ 0x33,
                                      0, i + 1 } };
        struct mob_announce ann;
        uint8_t buf[MOB_RARP_LEN];

        mob_announce_build_rarp(&mac, buf);
        CU_ASSERT(!memcmp(buf + 6, mac.ea, 6));
        CU_ASSERT(!memcmp(buf + 22, mac.ea, 6));
        CU_ASSERT(!memcmp(buf + 32, mac.ea, 6));
        if (mob_eth_addr_is_zero(&mac)) {
            CU_ASSERT_EQUAL(detect_copy(buf, sizeof buf, &ann),
                            MOB_ANN_NONE);
            continue;
        }
        CU_ASSERT_EQUAL_FATAL(detect_copy(buf, sizeof buf, &ann),
                              MOB_ANN_RARP);
        CU_ASSERT(!memcmp(ann.mac.ea, mac.ea, 6));
    }
}

static void
test_garp(void)
{
    static const uint8_t ip[4] = { 10, 1, 2, 3 };
    struct mob_announce ann;
    uint8_t buf[MOB_GARP_LEN];

    CU_ASSERT_EQUAL_FATAL(detect_copy(garp_request, 60, &ann),
                          MOB_ANN_GARP);
    check_ann(&ann, MOB_ANN_GARP, garp_ip_mapped, 0);
    CU_ASSERT_EQUAL_FATAL(detect_copy(garp_reply, 60, &ann), MOB_ANN_GARP);
    check_ann(&ann, MOB_ANN_GARP, garp_ip_mapped, 0);

    CU_ASSERT_EQUAL(mob_announce_build_garp(&vm_mac, ip, false, buf), 60);
    CU_ASSERT(!memcmp(buf, garp_request, 60));
    CU_ASSERT_EQUAL(mob_announce_build_garp(&vm_mac, ip, true, buf), 60);
    CU_ASSERT(!memcmp(buf, garp_reply, 60));

    /* A reply whose target is the broadcast/zero address is still one. */
    memcpy(buf, garp_reply, 60);
    memset(buf + 32, 0xff, 6);
    memset(buf + 38, 0, 4);
    CU_ASSERT_EQUAL(detect_copy(buf, 60, &ann), MOB_ANN_GARP);
    check_ann(&ann, MOB_ANN_GARP, garp_ip_mapped, 0);
}

static void
test_na(void)
{
    struct in6_addr ip;
    struct mob_announce ann;
    uint8_t buf[MOB_NA_LEN + 4];

    CU_ASSERT_EQUAL_FATAL(detect_copy(na_frame, sizeof na_frame, &ann),
                          MOB_ANN_NA);
    check_ann(&ann, MOB_ANN_NA, na_ip, 0);

    memcpy(&ip, na_ip, 16);
    memset(buf, 0xaa, sizeof buf);
    CU_ASSERT_EQUAL(mob_announce_build_na(&vm_mac, &ip, buf), 86);
    CU_ASSERT(!memcmp(buf, na_frame, sizeof na_frame));
    CU_ASSERT_EQUAL(buf[86], 0xaa);

    /* The test-local checksum agrees with the literal. */
    memcpy(buf, na_frame, 86);
    fix_icmpv6_csum(buf + NA_L3, buf + NA_L4, 32);
    CU_ASSERT(!memcmp(buf, na_frame, 86));
}

static void
test_na_builder_addresses(void)
{
    /* Random targets: the builder's checksum verifies in the detector. */
    uint32_t x = 12345;

    for (int i = 0; i < 500; i++) {
        struct mob_announce ann;
        struct in6_addr ip;
        uint8_t buf[MOB_NA_LEN], ref[MOB_NA_LEN];

        for (int j = 0; j < 16; j++) {
            x = x * 1103515245 + 12345;
            ip.s6_addr[j] = x >> 16;
        }
        ip.s6_addr[0] = i % 2 ? 0xfe : 0x20;    /* Never multicast. */
        mob_announce_build_na(&vm_mac, &ip, buf);
        CU_ASSERT_EQUAL_FATAL(detect_copy(buf, sizeof buf, &ann),
                              MOB_ANN_NA);
        CU_ASSERT(!memcmp(&ann.ip, &ip, 16));

        /* Same bytes as the literal but for the addresses. */
        memcpy(ref, na_frame, sizeof ref);
        memcpy(ref + NA_L3 + 8, &ip, 16);
        memcpy(ref + NA_L4 + 8, &ip, 16);
        fix_icmpv6_csum(ref + NA_L3, ref + NA_L4, 32);
        CU_ASSERT(!memcmp(buf, ref, sizeof ref));
    }
}

/* Look-alikes. */

/* Asserts that 'frame' of 'len' bytes is not an announcement, naming
 * 'what' on failure. */
#define ASSERT_NONE(FRAME, LEN, WHAT)                                       \
    do {                                                                    \
        enum mob_announce_type t_ = detect_type(FRAME, LEN);                \
        CU_ASSERT_EQUAL(t_, MOB_ANN_NONE);                                  \
        if (t_ != MOB_ANN_NONE) {                                           \
            fprintf(stderr, "# %s: detected as %s\n", WHAT,                 \
                    mob_announce_type_to_string(t_));                       \
        }                                                                   \
    } while (0)

static void
test_rarp_lookalikes(void)
{
    uint8_t f[60];

    memcpy(f, qemu_rarp, 60);
    f[21] = 4;
    ASSERT_NONE(f, 60, "RARP opcode 4 (reply reverse)");
    for (int op = 0; op < 16; op++) {
        f[21] = op;
        CU_ASSERT_EQUAL(detect_type(f, 60),
                        op == 3 ? MOB_ANN_RARP : MOB_ANN_NONE);
    }

    memcpy(f, qemu_rarp, 60);
    memcpy(f, vm_mac.ea, 6);
    f[0] = 0x02;
    ASSERT_NONE(f, 60, "RARP unicast destination");
    f[0] = 0x01;
    ASSERT_NONE(f, 60, "RARP multicast destination");

    memcpy(f, qemu_rarp, 60);
    f[22 + 5] ^= 1;
    ASSERT_NONE(f, 60, "RARP sha != eth src");
    memcpy(f, qemu_rarp, 60);
    f[32 + 5] ^= 1;
    ASSERT_NONE(f, 60, "RARP tha != sha");
    memcpy(f, qemu_rarp, 60);
    f[6 + 5] ^= 1;
    ASSERT_NONE(f, 60, "RARP eth src != sha");

    /* Multicast and zero MACs, consistently everywhere. */
    memcpy(f, qemu_rarp, 60);
    f[6] = f[22] = f[32] = 0x53;
    ASSERT_NONE(f, 60, "RARP multicast MAC");
    memcpy(f, qemu_rarp, 60);
    memset(f + 6, 0, 6);
    memset(f + 22, 0, 6);
    memset(f + 32, 0, 6);
    ASSERT_NONE(f, 60, "RARP zero MAC");

    /* Not Ethernet/IPv4. */
    memcpy(f, qemu_rarp, 60);
    f[15] = 6;
    ASSERT_NONE(f, 60, "RARP htype 6");
    memcpy(f, qemu_rarp, 60);
    f[19] = 16;
    ASSERT_NONE(f, 60, "RARP plen 16");

    /* A RARP opcode in an ARP frame, and an ARP opcode in a RARP one. */
    memcpy(f, qemu_rarp, 60);
    f[12] = 0x08;
    f[13] = 0x06;
    ASSERT_NONE(f, 60, "ARP ethertype, opcode 3");
    memcpy(f, garp_request, 60);
    f[12] = 0x80;
    f[13] = 0x35;
    ASSERT_NONE(f, 60, "RARP ethertype, ARP request");
}

static void
test_garp_lookalikes(void)
{
    uint8_t f[60];

    /* ARP probe: request with spa 0.0.0.0. */
    memcpy(f, garp_request, 60);
    memset(f + 28, 0, 4);
    ASSERT_NONE(f, 60, "ARP probe");

    /* Ordinary request: spa != tpa. */
    memcpy(f, garp_request, 60);
    f[41] = 4;
    ASSERT_NONE(f, 60, "ARP request spa != tpa");
    memset(f + 38, 0, 4);
    ASSERT_NONE(f, 60, "ARP request tpa 0");

    /* Ordinary, unicast reply. */
    memcpy(f, garp_reply, 60);
    memcpy(f, (uint8_t[6]) { 0x52, 0x54, 0, 0, 0, 0x99 }, 6);
    ASSERT_NONE(f, 60, "unicast ARP reply");
    f[0] = 0x01;
    ASSERT_NONE(f, 60, "multicast ARP reply");
    memcpy(f, garp_reply, 60);
    memset(f + 28, 0, 4);
    ASSERT_NONE(f, 60, "ARP reply spa 0");

    /* sha != Ethernet source. */
    memcpy(f, garp_request, 60);
    f[22 + 5] ^= 0x10;
    ASSERT_NONE(f, 60, "GARP request sha != eth src");
    memcpy(f, garp_reply, 60);
    f[22 + 5] ^= 0x10;
    ASSERT_NONE(f, 60, "GARP reply sha != eth src");

    /* Multicast source. */
    memcpy(f, garp_request, 60);
    f[6] |= 1;
    f[22] |= 1;
    ASSERT_NONE(f, 60, "GARP multicast MAC");

    /* Other opcodes. */
    for (int op = 0; op < 10; op++) {
        memcpy(f, garp_request, 60);
        f[21] = op;
        CU_ASSERT_EQUAL(detect_type(f, 60),
                        op == 1 || op == 2 ? MOB_ANN_GARP : MOB_ANN_NONE);
    }

    /* hlen 8. */
    memcpy(f, garp_request, 60);
    f[18] = 8;
    ASSERT_NONE(f, 60, "ARP hlen 8");
}

static void
test_na_lookalikes(void)
{
    uint8_t f[86 + 8];
    uint8_t *l3 = f + NA_L3, *l4 = f + NA_L4;

    memcpy(f, na_frame, 86);
    f[NA_L3 + 7] = 254;
    ASSERT_NONE(f, 86, "NA hop limit 254");
    f[NA_L3 + 7] = 64;
    ASSERT_NONE(f, 86, "NA hop limit 64");

    /* Bad checksums. */
    memcpy(f, na_frame, 86);
    l4[3] ^= 1;
    ASSERT_NONE(f, 86, "NA checksum off by one");
    memcpy(f, na_frame, 86);
    l4[2] = l4[3] = 0;
    ASSERT_NONE(f, 86, "NA checksum zero");
    memcpy(f, na_frame, 86);
    l4[8 + 15] ^= 0x80;
    ASSERT_NONE(f, 86, "NA target changed, checksum not");
    memcpy(f, na_frame, 86);
    l3[8 + 15] ^= 0x80;
    ASSERT_NONE(f, 86, "NA IP source changed, checksum not");

    /* Solicited. */
    memcpy(f, na_frame, 86);
    l4[4] |= 0x40;
    fix_icmpv6_csum(l3, l4, 32);
    ASSERT_NONE(f, 86, "solicited NA");
    l4[4] = 0x40;
    fix_icmpv6_csum(l3, l4, 32);
    ASSERT_NONE(f, 86, "solicited NA, no O");
    /* Router and override flags do not matter. */
    l4[4] = 0xa0;
    fix_icmpv6_csum(l3, l4, 32);
    CU_ASSERT_EQUAL(detect_type(f, 86), MOB_ANN_NA);
    l4[4] = 0x00;
    fix_icmpv6_csum(l3, l4, 32);
    CU_ASSERT_EQUAL(detect_type(f, 86), MOB_ANN_NA);

    /* No TLLA option. */
    memcpy(f, na_frame, 86);
    l3[5] = 24;
    fix_icmpv6_csum(l3, l4, 24);
    ASSERT_NONE(f, 78, "NA without TLLA");
    /* ... not even hidden in the Ethernet padding. */
    ASSERT_NONE(f, 86, "NA with TLLA in padding");

    /* Source link-layer address option instead. */
    memcpy(f, na_frame, 86);
    l4[24] = 1;
    fix_icmpv6_csum(l3, l4, 32);
    ASSERT_NONE(f, 86, "NA with SLLA instead of TLLA");

    /* TLLA != Ethernet source. */
    memcpy(f, na_frame, 86);
    l4[26 + 5] ^= 1;
    fix_icmpv6_csum(l3, l4, 32);
    ASSERT_NONE(f, 86, "NA TLLA != eth src");
    memcpy(f, na_frame, 86);
    f[6 + 5] ^= 1;
    ASSERT_NONE(f, 86, "NA eth src != TLLA");

    /* Option length 0, or 2 units for a 6-byte address. */
    memcpy(f, na_frame, 86);
    l4[25] = 0;
    fix_icmpv6_csum(l3, l4, 32);
    ASSERT_NONE(f, 86, "NA option length 0");
    memcpy(f, na_frame, 86);
    memset(f + 86, 0, 8);
    l3[5] = 40;
    l4[25] = 2;
    fix_icmpv6_csum(l3, l4, 40);
    ASSERT_NONE(f, 94, "NA TLLA of 16 bytes");
    l4[25] = 3;
    fix_icmpv6_csum(l3, l4, 40);
    ASSERT_NONE(f, 94, "NA option overrunning the message");

    /* A further option after the TLLA is fine; a second TLLA must agree. */
    memcpy(f, na_frame, 86);
    memcpy(f + 86, (uint8_t[8]) { 14, 1, 1, 2, 3, 4, 5, 6 }, 8);
    l3[5] = 40;
    fix_icmpv6_csum(l3, l4, 40);
    CU_ASSERT_EQUAL(detect_type(f, 94), MOB_ANN_NA);
    memcpy(f + 86, (uint8_t[8]) { 2, 1, VM_MAC }, 8);
    fix_icmpv6_csum(l3, l4, 40);
    CU_ASSERT_EQUAL(detect_type(f, 94), MOB_ANN_NA);
    f[86 + 7] ^= 1;
    fix_icmpv6_csum(l3, l4, 40);
    ASSERT_NONE(f, 94, "NA with a second, different TLLA");

    /* Other ICMPv6 types and codes. */
    memcpy(f, na_frame, 86);
    l4[0] = 135;
    fix_icmpv6_csum(l3, l4, 32);
    ASSERT_NONE(f, 86, "neighbour solicitation");
    memcpy(f, na_frame, 86);
    l4[1] = 1;
    fix_icmpv6_csum(l3, l4, 32);
    ASSERT_NONE(f, 86, "NA code 1");

    /* Multicast target. */
    memcpy(f, na_frame, 86);
    memcpy(l4 + 8, l3 + 24, 16);
    fix_icmpv6_csum(l3, l4, 32);
    ASSERT_NONE(f, 86, "NA multicast target");

    /* Not ICMPv6 at all. */
    memcpy(f, na_frame, 86);
    l3[6] = 17;
    ASSERT_NONE(f, 86, "UDP");
}

/* Truncation. */

static void
test_truncation(void)
{
    static const struct {
        const uint8_t *frame;
        size_t len;
        size_t min_len;         /* Shortest length that is still one. */
        enum mob_announce_type type;
    } cases[] = {
        { qemu_rarp, 60, 42, MOB_ANN_RARP },
        { garp_request, 60, 42, MOB_ANN_GARP },
        { garp_reply, 60, 42, MOB_ANN_GARP },
        { na_frame, 86, 86, MOB_ANN_NA },
    };

    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        for (size_t cut = 0; cut <= cases[i].len; cut++) {
            CU_ASSERT_EQUAL(detect_type(cases[i].frame, cut),
                            cut < cases[i].min_len ? MOB_ANN_NONE
                            : cases[i].type);
        }
    }

    /* The NA with its IPv6 payload length cut to match, checksum fixed:
     * without the whole option, or the whole NA header, it is none. */
    for (size_t plen = 0; plen < 32; plen++) {
        uint8_t f[86];

        memcpy(f, na_frame, 86);
        f[NA_L3 + 5] = plen;
        if (plen >= 4) {
            fix_icmpv6_csum(f + NA_L3, f + NA_L4, plen);
        }
        CU_ASSERT_EQUAL(detect_type(f, NA_L4 + plen), MOB_ANN_NONE);
    }
}

static void
test_vlan_tagged(void)
{
    static const uint16_t one[1][2] = { { 0x8100, 0x2064 } };
    static const uint16_t two[2][2] = {
        { 0x88a8, 0x0005 }, { 0x8100, 0x0064 }
    };
    static const uint16_t three[3][2] = {
        { 0x8100, 1 }, { 0x8100, 2 }, { 0x8100, 3 }
    };
    static const struct {
        const uint8_t *frame;
        size_t len;
        enum mob_announce_type type;
        const uint8_t *ip;
    } cases[] = {
        { qemu_rarp, 60, MOB_ANN_RARP, NULL },
        { garp_request, 60, MOB_ANN_GARP, garp_ip_mapped },
        { garp_reply, 60, MOB_ANN_GARP, garp_ip_mapped },
        { na_frame, 86, MOB_ANN_NA, na_ip },
    };

    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct mob_announce ann;
        uint8_t buf[128];
        size_t len;

        len = add_vlans(buf, cases[i].frame, cases[i].len, one, 1);
        CU_ASSERT_EQUAL_FATAL(detect_copy(buf, len, &ann), cases[i].type);
        check_ann(&ann, cases[i].type, cases[i].ip, 0x2064);
        for (size_t cut = 0; cut < 18 + 28; cut++) {
            CU_ASSERT_EQUAL(detect_type(buf, cut), MOB_ANN_NONE);
        }

        len = add_vlans(buf, cases[i].frame, cases[i].len, two, 2);
        CU_ASSERT_EQUAL_FATAL(detect_copy(buf, len, &ann), cases[i].type);
        check_ann(&ann, cases[i].type, cases[i].ip, 0x0005);
        for (size_t cut = 0; cut < 22 + 28; cut++) {
            CU_ASSERT_EQUAL(detect_type(buf, cut), MOB_ANN_NONE);
        }

        len = add_vlans(buf, cases[i].frame, cases[i].len, three, 3);
        ASSERT_NONE(buf, len, "three VLAN tags");
    }
}

static void
test_not_announcements(void)
{
    /* An IPv4 UDP datagram, an IPv6 echo request, an LLDP frame. */
    static const uint8_t udp4[60] = {
        BCAST, VM_MAC, 0x08, 0x00,
        0x45, 0x00, 0x00, 0x1c, 0x00, 0x00, 0x00, 0x00, 0x40, 0x11,
        0x61, 0xce, 10, 1, 2, 3, 10, 1, 2, 255,
        0x00, 0x44, 0x00, 0x43, 0x00, 0x08, 0x00, 0x00,
    };
    uint8_t f[86];

    ASSERT_NONE(udp4, 60, "UDP");
    memcpy(f, na_frame, 86);
    f[NA_L4] = 128;
    fix_icmpv6_csum(f + NA_L3, f + NA_L4, 32);
    ASSERT_NONE(f, 86, "echo request");
    memcpy(f, qemu_rarp, 60);
    f[12] = 0x88;
    f[13] = 0xcc;
    ASSERT_NONE(f, 60, "LLDP");
    ASSERT_NONE(f, 0, "empty");
}

static void
test_mutations(void)
{
    /* Random changes to the reference frames never crash, and whatever is
     * detected is consistent with the frame. */
    static const struct {
        const uint8_t *frame;
        size_t len;
    } refs[] = {
        { qemu_rarp, 60 }, { garp_request, 60 }, { garp_reply, 60 },
        { na_frame, 86 },
    };
    uint32_t x = 777;

    for (int iter = 0; iter < 40000; iter++) {
        size_t r = iter % 4;
        size_t len = refs[r].len;
        struct mob_announce ann;
        enum mob_announce_type t;
        uint8_t f[86];

        memcpy(f, refs[r].frame, len);
        for (int k = 0; k < 1 + iter % 3; k++) {
            x = x * 1103515245 + 12345;
            f[(x >> 8) % len] ^= 1 << ((x >> 4) % 8);
        }
        x = x * 1103515245 + 12345;
        if (x % 4 == 0) {
            len = (x >> 8) % (len + 1);
        }
        t = detect_copy(f, len, &ann);
        if (t != MOB_ANN_NONE) {
            CU_ASSERT(len >= 42);
            CU_ASSERT(!memcmp(ann.mac.ea, f + 6, 6));
            CU_ASSERT(!(ann.mac.ea[0] & 1));
        }
    }
}

/* Names and timing. */

static void
test_type_strings(void)
{
    CU_ASSERT_STRING_EQUAL(mob_announce_type_to_string(MOB_ANN_RARP),
                           "rarp");
    CU_ASSERT_STRING_EQUAL(mob_announce_type_to_string(MOB_ANN_GARP),
                           "garp");
    CU_ASSERT_STRING_EQUAL(mob_announce_type_to_string(MOB_ANN_NA), "na");
    CU_ASSERT_STRING_EQUAL(mob_announce_type_to_string(MOB_ANN_NONE),
                           "none");
}

static void
test_qemu_timing(void)
{
    /* QEMU sends at 0, 50, 200, 450 and 800 ms. */
    static const unsigned int sent_at[MOB_ANNOUNCE_QEMU_ROUNDS] = {
        0, 50, 200, 450, 800
    };
    unsigned int t = 0;

    for (unsigned int round = 1; round < MOB_ANNOUNCE_QEMU_ROUNDS; round++) {
        t += mob_announce_qemu_gap_ms(round);
        CU_ASSERT_EQUAL(t, sent_at[round]);
    }
    CU_ASSERT_EQUAL(mob_announce_qemu_gap_ms(1), 50);
    CU_ASSERT_EQUAL(mob_announce_qemu_gap_ms(4), 350);
    CU_ASSERT_EQUAL(mob_announce_qemu_gap_ms(5), 450);
    CU_ASSERT_EQUAL(mob_announce_qemu_gap_ms(6), 550);
    CU_ASSERT_EQUAL(mob_announce_qemu_gap_ms(7), 550);
    CU_ASSERT_EQUAL(mob_announce_qemu_gap_ms(1000), 550);
    CU_ASSERT_EQUAL(mob_announce_qemu_gap_ms(UINT_MAX), 550);
    CU_ASSERT_EQUAL(mob_announce_qemu_gap_ms(0), 0);
}

/* Registration. */

void
test_announce_register(void)
{
    static const struct test_case detect_tests[] = {
        { "QEMU RARP", test_rarp_qemu },
        { "RARP builder, many MACs", test_rarp_builder_macs },
        { "GARP request and reply", test_garp },
        { "unsolicited NA", test_na },
        { "NA builder, many targets", test_na_builder_addresses },
        { "VLAN-tagged", test_vlan_tagged },
    };
    static const struct test_case reject_tests[] = {
        { "RARP look-alikes", test_rarp_lookalikes },
        { "GARP look-alikes", test_garp_lookalikes },
        { "NA look-alikes", test_na_lookalikes },
        { "truncated at every length", test_truncation },
        { "other traffic", test_not_announcements },
        { "random mutations", test_mutations },
    };
    static const struct test_case misc_tests[] = {
        { "type strings", test_type_strings },
        { "QEMU timing", test_qemu_timing },
    };

    TEST_ADD_SUITE("announce-detect", detect_tests);
    TEST_ADD_SUITE("announce-reject", reject_tests);
    TEST_ADD_SUITE("announce-misc", misc_tests);
}
