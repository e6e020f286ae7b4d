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

#ifndef MOB_ANNOUNCE_H
#define MOB_ANNOUNCE_H 1

/* Migration announcements
 * =======================
 *
 * After a live migration the destination hypervisor makes the VM's MAC
 * address known on the network.  Three frames do that in practice, and
 * mob_announce_detect() recognises each, strictly enough that ordinary
 * traffic never looks like one:
 *
 *   - RARP, as QEMU's qemu_announce_self() sends it: 60 bytes, destination
 *     ff:ff:ff:ff:ff:ff, source and ethertype 0x8035, htype 1, ptype 0x0800,
 *     hlen 6, plen 4, opcode 3 ("request reverse"), sender and target
 *     hardware address both the VM's MAC, both protocol addresses 0.0.0.0,
 *     18 bytes of zero padding.  Accepted: opcode 3, broadcast destination,
 *     sha == Ethernet source == tha, a unicast non-zero MAC.
 *
 *   - Gratuitous ARP: an ARP request whose sender and target protocol
 *     addresses are equal and non-zero (RFC 5227 "ARP Announcement"), or an
 *     ARP reply sent to the broadcast address; sha == Ethernet source in
 *     both.  An ARP probe (spa 0.0.0.0) is not an announcement.
 *
 *   - Unsolicited IPv6 neighbour advertisement (RFC 4861 section 7.2.6):
 *     ICMPv6 type 136, code 0, hop limit 255, valid ICMPv6 checksum, the
 *     Solicited flag clear, and a target link-layer address option whose
 *     address equals the Ethernet source.  A solicited advertisement is an
 *     answer to one host, not an announcement.
 *
 * The builders produce the same frames, byte for byte as QEMU does for
 * RARP, for utilities/mobility-announce and for the tests. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "mob-addr.h"
#include "mob-packet.h"

#define MOB_RARP_LEN 60         /* QEMU's RARP, without FCS. */
#define MOB_GARP_LEN 60         /* Padded to the Ethernet minimum. */
#define MOB_NA_LEN 86           /* 14 + 40 + 24 + 8. */

/* QEMU's default announce timing (announce-initial 50 ms, step 100 ms,
 * max 550 ms, rounds 5): RARPs at 0, 50, 200, 450 and 800 ms. */
#define MOB_ANNOUNCE_QEMU_ROUNDS 5

enum mob_announce_type {
    MOB_ANN_NONE = 0,
    MOB_ANN_RARP,
    MOB_ANN_GARP,
    MOB_ANN_NA,
};

/* Returns "rarp", "garp", "na" or "none". */
const char *mob_announce_type_to_string(enum mob_announce_type);

struct mob_announce {
    enum mob_announce_type type;
    struct mob_eth_addr mac;    /* The VM's MAC address. */
    struct in6_addr ip;         /* IPv4-mapped for GARP, the NA target for
                                 * NA, all-zeros for RARP. */
    uint16_t vlan_tci;          /* Outermost VLAN TCI, 0 if untagged. */
};

/* Examines Ethernet frame 'frame' of 'len' bytes.  If it is an
 * announcement, fills '*ann' and returns its type, otherwise returns
 * MOB_ANN_NONE ('*ann' then indeterminate).  Never reads beyond 'len'. */
enum mob_announce_type mob_announce_detect(const uint8_t *frame, size_t len,
                                           struct mob_announce *ann);

/* Returns false if mob_announce_detect() would certainly return
 * MOB_ANN_NONE for Ethernet frame 'frame' of 'len' bytes, true if it
 * might not.  A few byte compares instead of a full parse (the source MAC,
 * the EtherType after at most two VLAN tags, and for IPv6 the next header
 * and hop limit), so that the fast path can skip detection for ordinary
 * traffic.  Never reads beyond 'len'. */
bool mob_announce_maybe(const uint8_t *frame, size_t len);

/* An IPv6 neighbour discovery message's hop limit (RFC 4861). */
#define MOB_ND_HOP_LIMIT 255

/* mob_announce_maybe() in line, for a fast path's loop: the same tests,
 * the same answer.  Each test is one that mob_announce_detect() or the
 * parser it calls makes too, so a frame rejected here is rejected
 * there. */
static inline bool
mob_announce_maybe_inline(const uint8_t *frame, size_t len)
{
    size_t ofs = MOB_ETH_HLEN;
    uint16_t type;

    if (len < MOB_ETH_HLEN
        || frame[MOB_ETH_ADDR_LEN] & 1                  /* Multicast. */
        || !(frame[6] | frame[7] | frame[8] | frame[9] | frame[10]
             | frame[11])) {                            /* Zero. */
        return false;
    }
    type = mob_get_be16(frame + 2 * MOB_ETH_ADDR_LEN);
    if (type == MOB_ETH_TYPE_IPV4) {
        return false;                                   /* Most traffic. */
    }
    for (int i = 0; i < MOB_MAX_VLANS
                    && (type == MOB_ETH_TYPE_VLAN
                        || type == MOB_ETH_TYPE_VLAN_8021AD); i++) {
        if (len - ofs < MOB_VLAN_HLEN) {
            return false;                               /* Truncated. */
        }
        type = mob_get_be16(frame + ofs + 2);
        ofs += MOB_VLAN_HLEN;
    }
    switch (type) {
    case MOB_ETH_TYPE_ARP:
    case MOB_ETH_TYPE_RARP:
        return true;
    case MOB_ETH_TYPE_IPV6:
        /* A neighbour advertisement has hop limit 255 and ICMPv6 as its
         * next header, unless extension headers come first, which the
         * full check may skip. */
        return (len - ofs >= MOB_IPV6_HLEN
                && frame[ofs + 7] == MOB_ND_HOP_LIMIT
                && frame[ofs + 6] != MOB_IPPROTO_UDP
                && frame[ofs + 6] != IPPROTO_TCP);
    default:
        return false;
    }
}

/* Writes QEMU's RARP for 'mac' into 'buf', which must hold MOB_RARP_LEN
 * bytes.  Returns MOB_RARP_LEN. */
size_t mob_announce_build_rarp(const struct mob_eth_addr *mac, uint8_t *buf);

/* Writes a gratuitous ARP for 'mac' owning IPv4 address 'ip' (network order
 * bytes) into 'buf', which must hold MOB_GARP_LEN bytes: a broadcast request
 * with spa == tpa, or with 'reply', a broadcast reply.  Returns
 * MOB_GARP_LEN. */
size_t mob_announce_build_garp(const struct mob_eth_addr *mac,
                               const uint8_t ip[4], bool reply,
                               uint8_t *buf);

/* Writes an unsolicited neighbour advertisement for 'mac' owning IPv6
 * address 'ip' into 'buf', which must hold MOB_NA_LEN bytes: to ff02::1 and
 * 33:33:00:00:00:01, from 'ip', Override set, Solicited clear, with a
 * target link-layer address option.  Returns MOB_NA_LEN. */
size_t mob_announce_build_na(const struct mob_eth_addr *mac,
                             const struct in6_addr *ip, uint8_t *buf);

/* Returns the gap, in milliseconds, that QEMU's default announce timing
 * leaves between announcement 'round' - 1 and 'round' (round >= 1): 50, 150,
 * 250, 350, then 450 capped at 550. */
unsigned int mob_announce_qemu_gap_ms(unsigned int round);

#endif /* mob-announce.h */
