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

/* libFuzzer target over libmobility's packet path: bounded parsing,
 * announcement detection, learning and the in-place redirect.
 *
 * The first input byte selects the configuration (source mode, marks,
 * TTL); the rest is an underlay frame.  Beyond "no crash, no sanitizer
 * report", it checks the properties the rest of the project relies on:
 *
 *   - a frame the parser accepts stays accepted after a redirect, its
 *     outer destination is the entry's VTEP, its VNI and inner frame are
 *     unchanged, and it now carries the mark when the mark was asked for;
 *   - a redirected frame fed back to the same pipeline is never redirected
 *     a second time when it carries the mark.
 *
 * Any violation abort()s, which libFuzzer reports as a crash. */

#include <config.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "mob-announce.h"
#include "mob-packet.h"
#include "mob-redirect.h"
#include "mob-table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define HEADROOM 64
#define MAX_FRAME 2048

static struct mob_table *table;

static bool
fuzz_neigh(void *aux, const struct in6_addr *ip, struct mob_eth_addr *mac)
{
    (void) aux;
    /* Every next hop resolves, except addresses ending in .13 / ::13. */
    if (ip->s6_addr[15] == 13) {
        return false;
    }
    memset(mac->ea, 0x02, sizeof mac->ea);
    mac->ea[5] = ip->s6_addr[15];
    return true;
}

static void
check(bool ok)
{
    if (!ok) {
        abort();
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t buf[HEADROOM + MAX_FRAME];
    struct mob_redirect_config cfg;
    struct mob_result res;
    struct mob_tnl_pkt before, after;
    struct mob_announce ann;
    struct mob_l2 l2;
    uint8_t sel;
    size_t len;

    if (!table) {
        struct mob_table_config tcfg;

        mob_table_config_init(&tcfg);
        tcfg.max_entries = 64;
        table = mob_table_create(&tcfg);
        check(table != NULL);
    }
    if (size < 1 || size - 1 > MAX_FRAME) {
        return 0;
    }
    sel = data[0];
    len = size - 1;

    mob_redirect_config_init(&cfg);
    cfg.src_mode = sel & 1 ? MOB_SRC_LOCAL : MOB_SRC_KEEP;
    cfg.vxlan_mark = sel & 2;
    cfg.geneve_mark = !(sel & 4);
    cfg.ttl = sel & 8 ? 1 : 64;
    cfg.local_vtep4 = mob_ip_from_v4(0x0a000001);
    mob_ip_parse("fd00::1", &cfg.local_vtep6);
    cfg.neigh_lookup = fuzz_neigh;

    /* The inner-frame parsers on the raw bytes too. */
    mob_pkt_parse_l2(data + 1, len, &l2);
    mob_announce_detect(data + 1, len, &ann);

    /* Seed the table with the frame's own key, so that redirects happen
     * often; VTEPs cycle through a few addresses, including ourselves. */
    if (mob_pkt_parse_tunnel(data + 1, len, &cfg.pkt, &before)
        == MOB_PKT_OK) {
        struct mob_learn req = {
            .vni = before.vni,
            .mac = before.inner_dst,
            .tnl_type = before.type,
            .origin = MOB_ORIGIN_STATIC,
        };
        if (sel & 16) {
            req.vtep = before.outer_src;        /* The sender. */
        } else if (before.outer_ipv6) {
            mob_ip_parse("fd00::", &req.vtep);  /* fd00::1 is us. */
            req.vtep.s6_addr[15] = sel >> 5;
        } else {
            req.vtep = mob_ip_from_v4(0x0a000000 | (sel >> 5));
        }
        mob_table_learn(table, &req, 1, NULL);
    }

    memcpy(buf + HEADROOM, data + 1, len);
    mob_redirect_process(buf + HEADROOM, len, HEADROOM, table, &cfg, 2,
                         &res);
    if (res.action == MOB_ACT_REDIRECT) {
        uint8_t *out = buf + HEADROOM - res.grow;
        size_t out_len = len + res.grow;

        check(res.grow == 0 || res.grow == MOB_GENEVE_MARK_LEN);
        check(mob_pkt_parse_tunnel(data + 1, len, &cfg.pkt, &before)
              == MOB_PKT_OK);
        check(mob_pkt_parse_tunnel(out, out_len, &cfg.pkt, &after)
              == MOB_PKT_OK);
        check(mob_ip_equals(&after.outer_dst, &res.entry.vtep));
        check(after.vni == before.vni && after.type == before.type);
        check(after.end_ofs - after.inner_ofs
              == before.end_ofs - before.inner_ofs);
        check(!memcmp(out + after.inner_ofs, data + 1 + before.inner_ofs,
                      after.end_ofs - after.inner_ofs));
        if ((after.type == MOB_TNL_GENEVE && cfg.geneve_mark)
            || (after.type == MOB_TNL_VXLAN && cfg.vxlan_mark)) {
            struct mob_result again;

            check(after.redirect_mark);
            mob_redirect_process(out, out_len, HEADROOM - res.grow, table,
                                 &cfg, 3, &again);
            check(again.action != MOB_ACT_REDIRECT);
        }
    }
    /* Keep the table from filling with one run's keys. */
    if (mob_table_count(table) > 48) {
        mob_table_flush(table);
    }
    return 0;
}
