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

#ifndef MOB_ADDR_H
#define MOB_ADDR_H 1

/* Addresses and byte-order helpers
 * ================================
 *
 * libmobility has no dependency on Open vSwitch or DPDK, so it carries the
 * few address types it needs here.  Tunnel endpoints (VTEPs) are kept as a
 * 'struct in6_addr', with IPv4 addresses stored IPv4-mapped
 * (::ffff:a.b.c.d), exactly as Open vSwitch's 'struct flow_tnl' does, so one
 * field and one comparison serve both families.
 *
 * Packet fields are read and written through the mob_get_be16() family,
 * which work on any alignment: a frame inside a capture file or an mbuf
 * makes no alignment promise beyond the first byte. */

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define MOB_ETH_ADDR_LEN 6

/* An Ethernet address. */
struct mob_eth_addr {
    uint8_t ea[MOB_ETH_ADDR_LEN];
};

#define MOB_ETH_ADDR_FMT "%02x:%02x:%02x:%02x:%02x:%02x"
#define MOB_ETH_ADDR_ARGS(A) \
    (A).ea[0], (A).ea[1], (A).ea[2], (A).ea[3], (A).ea[4], (A).ea[5]

/* Buffer size that mob_ip_format() needs, including the terminating null. */
#define MOB_IP_STRLEN INET6_ADDRSTRLEN

static inline bool
mob_eth_addr_equals(const struct mob_eth_addr *a, const struct mob_eth_addr *b)
{
    return !memcmp(a->ea, b->ea, MOB_ETH_ADDR_LEN);
}

static inline bool
mob_eth_addr_is_broadcast(const struct mob_eth_addr *a)
{
    static const struct mob_eth_addr bcast = {
        { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }
    };
    return mob_eth_addr_equals(a, &bcast);
}

static inline bool
mob_eth_addr_is_multicast(const struct mob_eth_addr *a)
{
    return a->ea[0] & 1;
}

static inline bool
mob_eth_addr_is_zero(const struct mob_eth_addr *a)
{
    static const struct mob_eth_addr zero;
    return mob_eth_addr_equals(a, &zero);
}

/* Returns 'a' as a 48-bit integer in network order significance. */
static inline uint64_t
mob_eth_addr_to_u64(const struct mob_eth_addr *a)
{
    return ((uint64_t) a->ea[0] << 40) | ((uint64_t) a->ea[1] << 32)
           | ((uint64_t) a->ea[2] << 24) | ((uint64_t) a->ea[3] << 16)
           | ((uint64_t) a->ea[4] << 8) | a->ea[5];
}

static inline struct mob_eth_addr
mob_eth_addr_from_u64(uint64_t x)
{
    struct mob_eth_addr a;

    for (int i = MOB_ETH_ADDR_LEN - 1; i >= 0; i--) {
        a.ea[i] = x & 0xff;
        x >>= 8;
    }
    return a;
}

/* Unaligned big-endian accessors. */
static inline uint16_t
mob_get_be16(const uint8_t *p)
{
    return (uint16_t) ((p[0] << 8) | p[1]);
}

static inline uint32_t
mob_get_be32(const uint8_t *p)
{
    return ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16)
           | ((uint32_t) p[2] << 8) | p[3];
}

static inline void
mob_put_be16(uint8_t *p, uint16_t x)
{
    p[0] = x >> 8;
    p[1] = x;
}

static inline void
mob_put_be32(uint8_t *p, uint32_t x)
{
    p[0] = x >> 24;
    p[1] = x >> 16;
    p[2] = x >> 8;
    p[3] = x;
}

/* Returns true if 'ip' is an IPv4-mapped IPv6 address.  The address
 * functions below compare 64-bit and 32-bit words rather than call
 * memcmp(), which the compiler does not expand in line for 12 or 16 bytes
 * and which was a tenth of the fast path's time. */
static inline bool
mob_ip_is_v4(const struct in6_addr *ip)
{
    uint64_t w0;
    uint32_t w1;

    memcpy(&w0, ip->s6_addr, sizeof w0);
    memcpy(&w1, ip->s6_addr + 8, sizeof w1);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return !w0 && w1 == UINT32_C(0xffff);
#else
    return !w0 && w1 == UINT32_C(0xffff0000);
#endif
}

/* Returns the IPv4-mapped form of the IPv4 address whose four bytes, in
 * network order, are at 'p'.  The address is built as two 64-bit words in
 * registers: built byte by byte in memory and then copied as a whole, it
 * would cost a failed store-to-load forward (about 12 cycles on x86) on
 * every parsed packet. */
static inline struct in6_addr
mob_ip_from_v4_bytes(const uint8_t *p)
{
    struct in6_addr ip;
    uint64_t w[2];
    uint32_t v4;

    memcpy(&v4, p, sizeof v4);
    w[0] = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w[1] = (UINT64_C(0xffff) << 32) | v4;
#else
    w[1] = ((uint64_t) v4 << 32) | UINT32_C(0xffff0000);
#endif
    memcpy(&ip, w, sizeof ip);
    return ip;
}

/* Returns the IPv4-mapped form of host-order IPv4 address 'x'. */
static inline struct in6_addr
mob_ip_from_v4(uint32_t x)
{
    uint8_t b[4];

    mob_put_be32(b, x);
    return mob_ip_from_v4_bytes(b);
}

/* Returns true if 'a' and 'b' are the same address. */
static inline bool
mob_ip_equals(const struct in6_addr *a, const struct in6_addr *b)
{
    uint64_t wa[2], wb[2];

    memcpy(wa, a, sizeof wa);
    memcpy(wb, b, sizeof wb);
    return !((wa[0] ^ wb[0]) | (wa[1] ^ wb[1]));
}

/* Returns true if 'ip' is all zeros. */
static inline bool
mob_ip_is_zero(const struct in6_addr *ip)
{
    uint64_t w[2];

    memcpy(w, ip, sizeof w);
    return !(w[0] | w[1]);
}

bool mob_eth_addr_parse(const char *s, struct mob_eth_addr *);
bool mob_ip_parse(const char *s, struct in6_addr *);
const char *mob_ip_format(const struct in6_addr *, char buf[MOB_IP_STRLEN]);

#endif /* mob-addr.h */
