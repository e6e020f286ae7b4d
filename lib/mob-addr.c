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

#include <config.h>
#include "mob-addr.h"

#include <arpa/inet.h>
#include <stdio.h>

/* Parses 's', in the form "xx:xx:xx:xx:xx:xx" (hex digits, either case),
 * into '*mac'.  Returns true if successful, false (with '*mac' unchanged)
 * if 's' is anything else, trailing characters included. */
bool
mob_eth_addr_parse(const char *s, struct mob_eth_addr *mac)
{
    unsigned int b[MOB_ETH_ADDR_LEN];
    int n = 0;

    if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%n",
               &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &n) != 6
        || s[n] != '\0' || n != 17) {
        return false;
    }
    for (int i = 0; i < MOB_ETH_ADDR_LEN; i++) {
        mac->ea[i] = b[i];
    }
    return true;
}

/* Parses 's' as a dotted-quad IPv4 address (stored IPv4-mapped) or an IPv6
 * address into '*ip'.  Returns true if successful, false (with '*ip'
 * unchanged) otherwise. */
bool
mob_ip_parse(const char *s, struct in6_addr *ip)
{
    struct in_addr a4;
    struct in6_addr a6;

    if (inet_pton(AF_INET, s, &a4) == 1) {
        *ip = mob_ip_from_v4_bytes((const uint8_t *) &a4.s_addr);
        return true;
    }
    if (inet_pton(AF_INET6, s, &a6) == 1) {
        *ip = a6;
        return true;
    }
    return false;
}

/* Formats 'ip' into 'buf', as a dotted quad if it is IPv4-mapped, and
 * returns 'buf'. */
const char *
mob_ip_format(const struct in6_addr *ip, char buf[MOB_IP_STRLEN])
{
    if (mob_ip_is_v4(ip)) {
        inet_ntop(AF_INET, &ip->s6_addr[12], buf, MOB_IP_STRLEN);
    } else {
        inet_ntop(AF_INET6, ip, buf, MOB_IP_STRLEN);
    }
    return buf;
}
