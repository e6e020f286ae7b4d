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

/* Tests for lib/mob-table and lib/mob-cmd.
 *
 * The table tests drive a table through sequences of learns, deletes and
 * ageing at explicit times and check what lookups, iteration and the
 * counters say afterwards.  A randomized test compares the table with a
 * plain array model through heavy churn (which exercises the index's
 * backward-shift deletion), and a stress test runs lock-free readers
 * against a writer: every value the writer stores encodes its own key and
 * sequence number, so a reader can tell a whole entry from a torn one.
 *
 * The command tests parse good and bad arguments and compare the output
 * of mobility/show and mobility/stats with exact expected text. */

#include <config.h>
#include <CUnit/CUnit.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "mob-cmd.h"
#include "mob-table.h"
#include "tests/test-common.h"

/* Helpers. */

/* A deterministic pseudo-random generator (xorshift64). */
static uint64_t
rng_next(uint64_t *state)
{
    uint64_t x = *state;

    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    return x;
}

/* Returns locally administered unicast MAC number 'n'. */
static struct mob_eth_addr
mac_n(uint32_t n)
{
    struct mob_eth_addr mac = { { 0x02, 0x00, n >> 24, n >> 16, n >> 8,
                                  n } };
    return mac;
}

/* Returns IPv4 VTEP 10.x.y.z for 'n' (never 10.0.0.0). */
static struct in6_addr
vtep_n(uint32_t n)
{
    return mob_ip_from_v4(0x0a000000 | ((n + 1) & 0xffffff));
}

/* Fills a learn request. */
static struct mob_learn
req_make(uint32_t vni, uint32_t mac, uint32_t vtep, enum mob_origin origin,
         uint32_t seq)
{
    struct mob_learn req;

    memset(&req, 0, sizeof req);
    req.vni = vni;
    req.mac = mac_n(mac);
    req.vtep = vtep_n(vtep);
    req.tnl_type = MOB_TNL_VXLAN;
    req.origin = origin;
    req.seq = seq;
    return req;
}

/* Learns (vni, mac_n(mac)) -> vtep_n(vtep) from a RARP at 'now'. */
static enum mob_learn_result
learn(struct mob_table *t, uint32_t vni, uint32_t mac, uint32_t vtep,
      uint32_t now)
{
    struct mob_learn req = req_make(vni, mac, vtep, MOB_ORIGIN_RARP, 0);

    return mob_table_learn(t, &req, now, NULL);
}

/* Learns a static entry (vni, mac_n(mac)) -> vtep_n(vtep) at 'now'. */
static enum mob_learn_result
learn_static(struct mob_table *t, uint32_t vni, uint32_t mac, uint32_t vtep,
             uint32_t now)
{
    struct mob_learn req = req_make(vni, mac, vtep, MOB_ORIGIN_STATIC, 0);

    return mob_table_learn(t, &req, now, NULL);
}

/* Looks up (vni, mac_n(mac)) into '*e'. */
static bool
lookup(struct mob_table *t, uint32_t vni, uint32_t mac, struct mob_entry *e)
{
    struct mob_eth_addr m = mac_n(mac);

    return mob_table_lookup(t, vni, &m, e);
}

/* Returns true if (vni, mac_n(mac)) is present and points to
 * vtep_n(vtep). */
static bool
points_to(struct mob_table *t, uint32_t vni, uint32_t mac, uint32_t vtep)
{
    struct mob_entry e;
    struct in6_addr want = vtep_n(vtep);

    return lookup(t, vni, mac, &e) && mob_ip_equals(&e.vtep, &want);
}

/* Returns true if 'a' and 'b' hold the same values. */
static bool
entry_equals(const struct mob_entry *a, const struct mob_entry *b)
{
    return (a->vni == b->vni && mob_eth_addr_equals(&a->mac, &b->mac)
            && mob_ip_equals(&a->vtep, &b->vtep)
            && a->tnl_type == b->tnl_type && a->origin == b->origin
            && a->seq == b->seq && a->frozen == b->frozen
            && a->learned == b->learned && a->expires == b->expires
            && a->moves == b->moves && a->hit_packets == b->hit_packets
            && a->hit_bytes == b->hit_bytes && a->id == b->id);
}

/* Returns a table with the given limits and times (grace 300). */
static struct mob_table *
table_make(uint32_t max, uint32_t flap_moves, uint32_t flap_window,
           uint32_t freeze_time)
{
    struct mob_table_config cfg;

    mob_table_config_init(&cfg);
    cfg.max_entries = max;
    cfg.flap_moves = flap_moves;
    cfg.flap_window = flap_window;
    cfg.freeze_time = freeze_time;
    return mob_table_create(&cfg);
}

/* Returns the counters of 't'. */
static struct mob_table_stats
stats_of(struct mob_table *t)
{
    struct mob_table_stats s;

    mob_table_get_stats(t, &s);
    return s;
}

/* Table tests. */

/* Origin names round-trip; learn results have names. */
static void
test_names(void)
{
    enum mob_origin o = MOB_ORIGIN_STATIC;

    CU_ASSERT_STRING_EQUAL(mob_origin_to_string(MOB_ORIGIN_RARP), "rarp");
    CU_ASSERT_STRING_EQUAL(mob_origin_to_string(MOB_ORIGIN_GARP), "garp");
    CU_ASSERT_STRING_EQUAL(mob_origin_to_string(MOB_ORIGIN_NA), "na");
    CU_ASSERT_STRING_EQUAL(mob_origin_to_string(MOB_ORIGIN_OVN), "ovn");
    CU_ASSERT_STRING_EQUAL(mob_origin_to_string(MOB_ORIGIN_STATIC),
                           "static");
    for (int i = 0; i < MOB_N_ORIGINS; i++) {
        CU_ASSERT_TRUE(mob_origin_from_string(mob_origin_to_string(i), &o));
        CU_ASSERT_EQUAL(o, i);
    }
    o = MOB_ORIGIN_NA;
    CU_ASSERT_FALSE(mob_origin_from_string("RARP", &o));
    CU_ASSERT_FALSE(mob_origin_from_string("", &o));
    CU_ASSERT_FALSE(mob_origin_from_string("unknown", &o));
    CU_ASSERT_EQUAL(o, MOB_ORIGIN_NA);

    CU_ASSERT_STRING_EQUAL(mob_learn_result_to_string(MOB_LEARN_NEW), "new");
    CU_ASSERT_STRING_EQUAL(mob_learn_result_to_string(MOB_LEARN_MOVED),
                           "moved");
    CU_ASSERT_STRING_EQUAL(mob_learn_result_to_string(MOB_LEARN_REFRESHED),
                           "refreshed");
    CU_ASSERT_STRING_EQUAL(mob_learn_result_to_string(MOB_LEARN_FREEZE),
                           "freeze");
    CU_ASSERT_STRING_EQUAL(mob_learn_result_to_string(MOB_LEARN_FROZEN),
                           "frozen");
    CU_ASSERT_STRING_EQUAL(mob_learn_result_to_string(MOB_LEARN_STALE),
                           "stale");
    CU_ASSERT_STRING_EQUAL(mob_learn_result_to_string(MOB_LEARN_FULL),
                           "full");
    CU_ASSERT_STRING_EQUAL(mob_learn_result_to_string(MOB_LEARN_INVALID),
                           "invalid");
}

/* A learn creates an entry that lookups return whole, for its key only. */
static void
test_learn_lookup(void)
{
    struct mob_table *t = mob_table_create(NULL);
    struct mob_learn req = req_make(5000, 1, 7, MOB_ORIGIN_GARP, 0);
    struct in6_addr want = vtep_n(7);
    struct mob_entry e, old;

    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_EQUAL(mob_table_count(t), 0);
    CU_ASSERT_FALSE(lookup(t, 5000, 1, &e));

    req.tnl_type = MOB_TNL_GENEVE;
    memset(&old, 0xa5, sizeof old);
    CU_ASSERT_EQUAL(mob_table_learn(t, &req, 1000, &old), MOB_LEARN_NEW);
    CU_ASSERT_EQUAL(old.vni, 0xa5a5a5a5);   /* Untouched: no old entry. */
    CU_ASSERT_EQUAL(mob_table_count(t), 1);

    memset(&e, 0, sizeof e);
    CU_ASSERT_TRUE_FATAL(lookup(t, 5000, 1, &e));
    CU_ASSERT_EQUAL(e.vni, 5000);
    CU_ASSERT_TRUE(mob_eth_addr_equals(&e.mac, &req.mac));
    CU_ASSERT_TRUE(mob_ip_equals(&e.vtep, &want));
    CU_ASSERT_EQUAL(e.tnl_type, MOB_TNL_GENEVE);
    CU_ASSERT_EQUAL(e.origin, MOB_ORIGIN_GARP);
    CU_ASSERT_EQUAL(e.seq, 1);
    CU_ASSERT_FALSE(e.frozen);
    CU_ASSERT_EQUAL(e.learned, 1000);
    CU_ASSERT_EQUAL(e.expires, 1000 + MOB_TABLE_DEFAULT_GRACE_TIME);
    CU_ASSERT_EQUAL(e.moves, 0);
    CU_ASSERT_EQUAL(e.hit_packets, 0);
    CU_ASSERT_EQUAL(e.hit_bytes, 0);

    /* Lookup without a copy; neighbours of the key miss. */
    CU_ASSERT_TRUE(mob_table_lookup(t, 5000, &req.mac, NULL));
    CU_ASSERT_FALSE(lookup(t, 5001, 1, NULL));
    CU_ASSERT_FALSE(lookup(t, 4999, 1, NULL));
    CU_ASSERT_FALSE(lookup(t, 5000, 2, NULL));
    CU_ASSERT_FALSE(lookup(t, 5000 | (1u << 24), 1, NULL));

    /* The same MAC in another VNI is another key. */
    CU_ASSERT_EQUAL(learn(t, 5001, 1, 8, 1001), MOB_LEARN_NEW);
    CU_ASSERT_TRUE(points_to(t, 5000, 1, 7));
    CU_ASSERT_TRUE(points_to(t, 5001, 1, 8));
    CU_ASSERT_EQUAL(mob_table_count(t), 2);
    mob_table_destroy(t);
}

/* A learn to another VTEP moves the entry and takes the next sequence
 * number; the old entry is reported. */
static void
test_move_auto_seq(void)
{
    struct mob_table *t = mob_table_create(NULL);
    struct mob_learn req = req_make(1, 1, 20, MOB_ORIGIN_NA, 0);
    struct in6_addr v10 = vtep_n(10);
    struct mob_entry e, old;

    CU_ASSERT_EQUAL(learn(t, 1, 1, 10, 100), MOB_LEARN_NEW);
    CU_ASSERT_EQUAL(mob_table_learn(t, &req, 110, &old), MOB_LEARN_MOVED);
    CU_ASSERT_TRUE(mob_ip_equals(&old.vtep, &v10));
    CU_ASSERT_EQUAL(old.seq, 1);
    CU_ASSERT_EQUAL(old.origin, MOB_ORIGIN_RARP);
    CU_ASSERT_EQUAL(old.learned, 100);

    CU_ASSERT_TRUE_FATAL(lookup(t, 1, 1, &e));
    CU_ASSERT_TRUE(points_to(t, 1, 1, 20));
    CU_ASSERT_EQUAL(e.seq, 2);
    CU_ASSERT_EQUAL(e.origin, MOB_ORIGIN_NA);
    CU_ASSERT_EQUAL(e.learned, 110);
    CU_ASSERT_EQUAL(e.expires, 110 + MOB_TABLE_DEFAULT_GRACE_TIME);
    CU_ASSERT_EQUAL(e.moves, 1);
    CU_ASSERT_EQUAL(e.id, old.id);

    CU_ASSERT_EQUAL(learn(t, 1, 1, 30, 120), MOB_LEARN_MOVED);
    CU_ASSERT_TRUE(lookup(t, 1, 1, &e));
    CU_ASSERT_EQUAL(e.seq, 3);
    CU_ASSERT_EQUAL(e.moves, 2);
    CU_ASSERT_EQUAL(mob_table_count(t), 1);
    CU_ASSERT_EQUAL(stats_of(t).moved, 2);
    CU_ASSERT_EQUAL(stats_of(t).learned, 1);
    mob_table_destroy(t);
}

/* Explicit sequence numbers: lower or equal ones are refused and change
 * nothing, higher ones move or refresh to that number. */
static void
test_move_explicit_seq(void)
{
    struct mob_table *t = mob_table_create(NULL);
    struct mob_learn req = req_make(9, 4, 1, MOB_ORIGIN_OVN, 10);
    struct mob_entry e, before;

    CU_ASSERT_EQUAL(mob_table_learn(t, &req, 50, NULL), MOB_LEARN_NEW);
    CU_ASSERT_TRUE(lookup(t, 9, 4, &before));
    CU_ASSERT_EQUAL(before.seq, 10);

    /* Lower: stale, whatever the VTEP. */
    req = req_make(9, 4, 2, MOB_ORIGIN_OVN, 5);
    CU_ASSERT_EQUAL(mob_table_learn(t, &req, 60, NULL), MOB_LEARN_STALE);
    req = req_make(9, 4, 1, MOB_ORIGIN_OVN, 9);
    CU_ASSERT_EQUAL(mob_table_learn(t, &req, 60, NULL), MOB_LEARN_STALE);
    /* Equal, another VTEP: a move must raise the number. */
    req = req_make(9, 4, 2, MOB_ORIGIN_OVN, 10);
    CU_ASSERT_EQUAL(mob_table_learn(t, &req, 60, NULL), MOB_LEARN_STALE);
    CU_ASSERT_TRUE(lookup(t, 9, 4, &e));
    CU_ASSERT_TRUE(entry_equals(&e, &before));
    CU_ASSERT_EQUAL(stats_of(t).stale_refused, 3);

    /* Higher: moves to that number. */
    req = req_make(9, 4, 2, MOB_ORIGIN_OVN, 15);
    CU_ASSERT_EQUAL(mob_table_learn(t, &req, 70, NULL), MOB_LEARN_MOVED);
    CU_ASSERT_TRUE(lookup(t, 9, 4, &e));
    CU_ASSERT_TRUE(points_to(t, 9, 4, 2));
    CU_ASSERT_EQUAL(e.seq, 15);

    /* Automatic: the next one. */
    CU_ASSERT_EQUAL(learn(t, 9, 4, 3, 80), MOB_LEARN_MOVED);
    CU_ASSERT_TRUE(lookup(t, 9, 4, &e));
    CU_ASSERT_EQUAL(e.seq, 16);

    /* Same VTEP with a higher number: a refresh that takes the number. */
    req = req_make(9, 4, 3, MOB_ORIGIN_OVN, 40);
    CU_ASSERT_EQUAL(mob_table_learn(t, &req, 90, NULL),
                    MOB_LEARN_REFRESHED);
    CU_ASSERT_TRUE(lookup(t, 9, 4, &e));
    CU_ASSERT_EQUAL(e.seq, 40);
    CU_ASSERT_EQUAL(e.origin, MOB_ORIGIN_OVN);
    CU_ASSERT_EQUAL(e.learned, 90);
    mob_table_destroy(t);
}

/* A learn of the same VTEP refreshes: new time and expiry, same sequence
 * number. */
static void
test_refresh(void)
{
    struct mob_table *t = mob_table_create(NULL);
    struct mob_learn req = req_make(3, 3, 3, MOB_ORIGIN_GARP, 0);
    struct mob_entry e;

    CU_ASSERT_EQUAL(learn(t, 3, 3, 3, 100), MOB_LEARN_NEW);
    req.tnl_type = MOB_TNL_GENEVE;
    CU_ASSERT_EQUAL(mob_table_learn(t, &req, 200, NULL),
                    MOB_LEARN_REFRESHED);
    CU_ASSERT_TRUE_FATAL(lookup(t, 3, 3, &e));
    CU_ASSERT_EQUAL(e.seq, 1);
    CU_ASSERT_EQUAL(e.learned, 200);
    CU_ASSERT_EQUAL(e.expires, 200 + MOB_TABLE_DEFAULT_GRACE_TIME);
    CU_ASSERT_EQUAL(e.moves, 0);
    CU_ASSERT_EQUAL(e.origin, MOB_ORIGIN_GARP);
    CU_ASSERT_EQUAL(e.tnl_type, MOB_TNL_GENEVE);
    CU_ASSERT_EQUAL(stats_of(t).refreshed, 1);
    CU_ASSERT_EQUAL(stats_of(t).moved, 0);
    mob_table_destroy(t);
}

/* mob_table_age() expires entries in order at their times, and
 * mob_table_next_expiry() says when. */
static void
test_expiry(void)
{
    struct mob_table_config cfg;
    struct mob_table *t;
    struct mob_entry e;

    mob_table_config_init(&cfg);
    cfg.grace_time = 100;
    t = mob_table_create(&cfg);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_EQUAL(mob_table_next_expiry(t), UINT32_MAX);

    CU_ASSERT_EQUAL(learn(t, 1, 1, 1, 0), MOB_LEARN_NEW);
    CU_ASSERT_EQUAL(learn(t, 1, 2, 1, 50), MOB_LEARN_NEW);
    CU_ASSERT_EQUAL(learn(t, 1, 3, 1, 60), MOB_LEARN_NEW);
    CU_ASSERT_EQUAL(mob_table_next_expiry(t), 100);

    CU_ASSERT_EQUAL(mob_table_age(t, 99), 0);
    CU_ASSERT_EQUAL(mob_table_count(t), 3);
    CU_ASSERT_EQUAL(mob_table_age(t, 100), 1);
    CU_ASSERT_FALSE(lookup(t, 1, 1, NULL));
    CU_ASSERT_TRUE(lookup(t, 1, 2, NULL));
    CU_ASSERT_EQUAL(mob_table_next_expiry(t), 150);

    /* A refresh pushes the expiry back and the entry to the end. */
    CU_ASSERT_EQUAL(learn(t, 1, 2, 1, 120), MOB_LEARN_REFRESHED);
    CU_ASSERT_EQUAL(mob_table_next_expiry(t), 160);
    CU_ASSERT_EQUAL(mob_table_age(t, 159), 0);
    CU_ASSERT_EQUAL(mob_table_age(t, 160), 1);
    CU_ASSERT_FALSE(lookup(t, 1, 3, NULL));
    CU_ASSERT_TRUE(lookup(t, 1, 2, &e));
    CU_ASSERT_EQUAL(e.expires, 220);
    CU_ASSERT_EQUAL(mob_table_age(t, 219), 0);
    CU_ASSERT_EQUAL(mob_table_age(t, 1000), 1);
    CU_ASSERT_EQUAL(mob_table_count(t), 0);
    CU_ASSERT_EQUAL(mob_table_next_expiry(t), UINT32_MAX);
    CU_ASSERT_EQUAL(stats_of(t).expired, 3);

    /* Expired keys can be learned again. */
    CU_ASSERT_EQUAL(learn(t, 1, 1, 4, 1001), MOB_LEARN_NEW);
    CU_ASSERT_TRUE(points_to(t, 1, 1, 4));
    mob_table_destroy(t);
}

/* Static entries never expire and learning never overrides them; the
 * operator can move them, and make a learned entry static. */
static void
test_static(void)
{
    struct mob_table *t = mob_table_create(NULL);
    struct mob_learn req;
    struct mob_entry e;

    CU_ASSERT_EQUAL(learn_static(t, 2, 2, 5, 10), MOB_LEARN_NEW);
    CU_ASSERT_TRUE_FATAL(lookup(t, 2, 2, &e));
    CU_ASSERT_EQUAL(e.origin, MOB_ORIGIN_STATIC);
    CU_ASSERT_EQUAL(e.expires, 0);
    CU_ASSERT_EQUAL(mob_table_next_expiry(t), UINT32_MAX);
    CU_ASSERT_EQUAL(mob_table_age(t, UINT32_MAX), 0);
    CU_ASSERT_TRUE(points_to(t, 2, 2, 5));

    /* Learning never overrides the operator. */
    CU_ASSERT_EQUAL(learn(t, 2, 2, 6, 20), MOB_LEARN_STALE);
    req = req_make(2, 2, 6, MOB_ORIGIN_OVN, 1000);
    CU_ASSERT_EQUAL(mob_table_learn(t, &req, 20, NULL), MOB_LEARN_STALE);
    CU_ASSERT_EQUAL(learn(t, 2, 2, 5, 20), MOB_LEARN_REFRESHED);
    CU_ASSERT_TRUE(lookup(t, 2, 2, &e));
    CU_ASSERT_EQUAL(e.origin, MOB_ORIGIN_STATIC);
    CU_ASSERT_EQUAL(e.expires, 0);
    CU_ASSERT_TRUE(points_to(t, 2, 2, 5));

    /* The operator may move it. */
    CU_ASSERT_EQUAL(learn_static(t, 2, 2, 7, 30), MOB_LEARN_MOVED);
    CU_ASSERT_TRUE(lookup(t, 2, 2, &e));
    CU_ASSERT_TRUE(points_to(t, 2, 2, 7));
    CU_ASSERT_EQUAL(e.seq, 2);
    CU_ASSERT_EQUAL(e.expires, 0);

    /* A static learn makes a learned entry static. */
    CU_ASSERT_EQUAL(learn(t, 2, 3, 1, 40), MOB_LEARN_NEW);
    CU_ASSERT_EQUAL(learn_static(t, 2, 3, 1, 50), MOB_LEARN_REFRESHED);
    CU_ASSERT_EQUAL(mob_table_age(t, UINT32_MAX), 0);
    CU_ASSERT_TRUE(lookup(t, 2, 3, &e));
    CU_ASSERT_EQUAL(e.origin, MOB_ORIGIN_STATIC);
    CU_ASSERT_EQUAL(e.expires, 0);
    CU_ASSERT_EQUAL(mob_table_count(t), 2);
    mob_table_destroy(t);
}

/* Moves (vni 1, mac 1) between VTEPs 1 and 2, one move a second starting
 * at 'start', 'n' times.  Returns the last result. */
static enum mob_learn_result
flap(struct mob_table *t, uint32_t start, int n)
{
    enum mob_learn_result r = MOB_LEARN_INVALID;

    for (int i = 0; i < n; i++) {
        r = learn(t, 1, 1, 1 + (i + 1) % 2, start + i);
    }
    return r;
}

/* The fifth move in 180 s freezes the entry; moves are refused until
 * the release, after which it moves and can freeze again. */
static void
test_flap_freeze(void)
{
    struct mob_table *t = table_make(100, 5, 180, 180);
    struct mob_entry e;

    CU_ASSERT_EQUAL(learn(t, 1, 1, 1, 0), MOB_LEARN_NEW);
    for (int i = 0; i < 4; i++) {
        CU_ASSERT_EQUAL(learn(t, 1, 1, 1 + (i + 1) % 2, 1 + i),
                        MOB_LEARN_MOVED);
    }
    /* The fifth move in the window is applied and freezes. */
    CU_ASSERT_EQUAL(learn(t, 1, 1, 2, 5), MOB_LEARN_FREEZE);
    CU_ASSERT_TRUE_FATAL(lookup(t, 1, 1, &e));
    CU_ASSERT_TRUE(e.frozen);
    CU_ASSERT_TRUE(points_to(t, 1, 1, 2));
    CU_ASSERT_EQUAL(e.seq, 6);
    CU_ASSERT_EQUAL(e.moves, 5);
    CU_ASSERT_EQUAL(e.expires, 5 + 180);
    CU_ASSERT_EQUAL(stats_of(t).n_frozen, 1);
    CU_ASSERT_EQUAL(stats_of(t).freezes, 1);
    CU_ASSERT_EQUAL(stats_of(t).moved, 4);

    /* Frozen: moves refused, refreshes accepted, release time kept. */
    CU_ASSERT_EQUAL(learn(t, 1, 1, 1, 6), MOB_LEARN_FROZEN);
    CU_ASSERT_EQUAL(learn(t, 1, 1, 3, 7), MOB_LEARN_FROZEN);
    CU_ASSERT_TRUE(points_to(t, 1, 1, 2));
    CU_ASSERT_EQUAL(learn(t, 1, 1, 2, 8), MOB_LEARN_REFRESHED);
    CU_ASSERT_TRUE(lookup(t, 1, 1, &e));
    CU_ASSERT_TRUE(e.frozen);
    CU_ASSERT_EQUAL(e.learned, 8);
    CU_ASSERT_EQUAL(e.expires, 185);
    CU_ASSERT_EQUAL(e.seq, 6);
    CU_ASSERT_EQUAL(stats_of(t).frozen_refused, 2);

    /* Released after freeze_time, with a fresh count and grace. */
    CU_ASSERT_EQUAL(mob_table_next_expiry(t), 185);
    CU_ASSERT_EQUAL(mob_table_age(t, 184), 0);
    CU_ASSERT_TRUE(lookup(t, 1, 1, &e));
    CU_ASSERT_TRUE(e.frozen);
    CU_ASSERT_EQUAL(mob_table_age(t, 185), 0);
    CU_ASSERT_TRUE_FATAL(lookup(t, 1, 1, &e));
    CU_ASSERT_FALSE(e.frozen);
    CU_ASSERT_EQUAL(e.moves, 0);
    CU_ASSERT_EQUAL(e.expires, 185 + MOB_TABLE_DEFAULT_GRACE_TIME);
    CU_ASSERT_EQUAL(stats_of(t).n_frozen, 0);
    CU_ASSERT_EQUAL(mob_table_next_expiry(t),
                    185 + MOB_TABLE_DEFAULT_GRACE_TIME);

    CU_ASSERT_EQUAL(learn(t, 1, 1, 1, 190), MOB_LEARN_MOVED);
    CU_ASSERT_TRUE(lookup(t, 1, 1, &e));
    CU_ASSERT_EQUAL(e.moves, 1);
    CU_ASSERT_EQUAL(e.seq, 7);
    CU_ASSERT_TRUE(points_to(t, 1, 1, 1));

    /* And freezes again after five more. */
    CU_ASSERT_EQUAL(flap(t, 200, 3), MOB_LEARN_MOVED);
    CU_ASSERT_EQUAL(learn(t, 1, 1, 1, 203), MOB_LEARN_FREEZE);
    CU_ASSERT_EQUAL(stats_of(t).freezes, 2);
    mob_table_destroy(t);
}

/* Moves spread wider than the flap window never freeze, nor any moves
 * with flap protection off. */
static void
test_flap_window(void)
{
    struct mob_table *t = table_make(100, 5, 180, 180);
    struct mob_entry e;

    /* One move every 100 s: never 5 within 180 s. */
    CU_ASSERT_EQUAL(learn(t, 1, 1, 1, 0), MOB_LEARN_NEW);
    for (int i = 1; i <= 20; i++) {
        CU_ASSERT_EQUAL(learn(t, 1, 1, 1 + i % 2, i * 100),
                        MOB_LEARN_MOVED);
        CU_ASSERT_TRUE(lookup(t, 1, 1, &e));
        CU_ASSERT_FALSE(e.frozen);
        CU_ASSERT_TRUE(e.moves <= 2);
    }
    /* Four quick moves, then the window ends before the fifth. */
    CU_ASSERT_EQUAL(flap(t, 5000, 4), MOB_LEARN_MOVED);
    CU_ASSERT_EQUAL(learn(t, 1, 1, 2, 5180), MOB_LEARN_MOVED);
    CU_ASSERT_TRUE(lookup(t, 1, 1, &e));
    CU_ASSERT_FALSE(e.frozen);
    CU_ASSERT_EQUAL(e.moves, 1);
    CU_ASSERT_EQUAL(stats_of(t).freezes, 0);
    mob_table_destroy(t);

    /* flap_moves 0 turns protection off. */
    t = table_make(100, 0, 180, 180);
    CU_ASSERT_EQUAL(learn(t, 1, 1, 1, 0), MOB_LEARN_NEW);
    CU_ASSERT_EQUAL(flap(t, 1, 50), MOB_LEARN_MOVED);
    CU_ASSERT_TRUE(lookup(t, 1, 1, &e));
    CU_ASSERT_FALSE(e.frozen);
    CU_ASSERT_EQUAL(e.seq, 51);
    CU_ASSERT_EQUAL(stats_of(t).freezes, 0);
    mob_table_destroy(t);
}

/* Delete and a static learn clear a freeze. */
static void
test_freeze_cleared(void)
{
    struct mob_table *t = table_make(100, 3, 60, 600);
    struct mob_entry e;

    /* Delete clears a freeze. */
    CU_ASSERT_EQUAL(learn(t, 1, 1, 1, 0), MOB_LEARN_NEW);
    CU_ASSERT_EQUAL(flap(t, 1, 3), MOB_LEARN_FREEZE);
    CU_ASSERT_EQUAL(stats_of(t).n_frozen, 1);
    CU_ASSERT_TRUE(mob_table_delete(t, 1, &(struct mob_eth_addr) {
                       { 0x02, 0, 0, 0, 0, 1 } }));
    CU_ASSERT_EQUAL(stats_of(t).n_frozen, 0);
    CU_ASSERT_EQUAL(learn(t, 1, 1, 1, 10), MOB_LEARN_NEW);
    CU_ASSERT_EQUAL(learn(t, 1, 1, 2, 11), MOB_LEARN_MOVED);

    /* So does a static learn, to another VTEP or the same. */
    CU_ASSERT_EQUAL(learn(t, 1, 1, 1, 12), MOB_LEARN_MOVED);
    CU_ASSERT_EQUAL(learn(t, 1, 1, 2, 13), MOB_LEARN_FREEZE);
    CU_ASSERT_EQUAL(learn_static(t, 1, 1, 9, 20), MOB_LEARN_MOVED);
    CU_ASSERT_TRUE(lookup(t, 1, 1, &e));
    CU_ASSERT_FALSE(e.frozen);
    CU_ASSERT_EQUAL(e.moves, 0);
    CU_ASSERT_EQUAL(e.origin, MOB_ORIGIN_STATIC);
    CU_ASSERT_EQUAL(stats_of(t).n_frozen, 0);

    CU_ASSERT_EQUAL(learn(t, 1, 2, 1, 30), MOB_LEARN_NEW);
    for (int i = 0; i < 3; i++) {
        CU_ASSERT_NOT_EQUAL(learn(t, 1, 2, 2 + i % 2, 31 + i),
                            MOB_LEARN_FROZEN);
    }
    CU_ASSERT_TRUE(lookup(t, 1, 2, &e));
    CU_ASSERT_TRUE(e.frozen);
    CU_ASSERT_EQUAL(learn_static(t, 1, 2, 2, 40), MOB_LEARN_REFRESHED);
    CU_ASSERT_TRUE(lookup(t, 1, 2, &e));
    CU_ASSERT_FALSE(e.frozen);
    CU_ASSERT_EQUAL(stats_of(t).n_frozen, 0);
    CU_ASSERT_EQUAL(mob_table_next_expiry(t), UINT32_MAX);
    mob_table_destroy(t);
}

/* A full table evicts the least recently learned or refreshed entry. */
static void
test_eviction_lru(void)
{
    struct mob_table *t = table_make(4, 5, 180, 180);

    for (uint32_t i = 0; i < 4; i++) {
        CU_ASSERT_EQUAL(learn(t, 1, i, i, i), MOB_LEARN_NEW);
    }
    /* Refreshing 0 and moving 1 make 2 the least recently learned. */
    CU_ASSERT_EQUAL(learn(t, 1, 0, 0, 4), MOB_LEARN_REFRESHED);
    CU_ASSERT_EQUAL(learn(t, 1, 1, 9, 5), MOB_LEARN_MOVED);
    CU_ASSERT_EQUAL(learn(t, 1, 4, 4, 6), MOB_LEARN_NEW);
    CU_ASSERT_EQUAL(mob_table_count(t), 4);
    CU_ASSERT_FALSE(lookup(t, 1, 2, NULL));
    CU_ASSERT_TRUE(points_to(t, 1, 0, 0));
    CU_ASSERT_TRUE(points_to(t, 1, 1, 9));
    CU_ASSERT_TRUE(points_to(t, 1, 3, 3));
    CU_ASSERT_TRUE(points_to(t, 1, 4, 4));

    CU_ASSERT_EQUAL(learn(t, 1, 5, 5, 7), MOB_LEARN_NEW);
    CU_ASSERT_FALSE(lookup(t, 1, 3, NULL));
    CU_ASSERT_EQUAL(learn(t, 1, 6, 6, 8), MOB_LEARN_NEW);
    CU_ASSERT_FALSE(lookup(t, 1, 0, NULL));
    CU_ASSERT_TRUE(lookup(t, 1, 1, NULL));
    CU_ASSERT_EQUAL(stats_of(t).evictions, 3);
    CU_ASSERT_EQUAL(mob_table_count(t), 4);
    mob_table_destroy(t);
}

/* Eviction spares static entries and takes frozen ones last; a table
 * full of static entries refuses new keys. */
static void
test_eviction_static(void)
{
    struct mob_table *t = table_make(3, 2, 180, 180);
    struct mob_learn req = req_make(1, 10, 10, MOB_ORIGIN_STATIC, 0);

    CU_ASSERT_EQUAL(learn_static(t, 1, 0, 0, 0), MOB_LEARN_NEW);
    CU_ASSERT_EQUAL(learn(t, 1, 1, 1, 1), MOB_LEARN_NEW);
    CU_ASSERT_EQUAL(learn(t, 1, 2, 2, 2), MOB_LEARN_NEW);
    CU_ASSERT_EQUAL(learn(t, 1, 3, 3, 3), MOB_LEARN_NEW);
    CU_ASSERT_TRUE(lookup(t, 1, 0, NULL));
    CU_ASSERT_FALSE(lookup(t, 1, 1, NULL));

    /* Frozen entries go only when no unfrozen dynamic one is left. */
    CU_ASSERT_EQUAL(learn(t, 1, 2, 5, 4), MOB_LEARN_MOVED);
    CU_ASSERT_EQUAL(learn(t, 1, 2, 2, 5), MOB_LEARN_FREEZE);
    CU_ASSERT_EQUAL(learn(t, 1, 4, 4, 6), MOB_LEARN_NEW);
    CU_ASSERT_FALSE(lookup(t, 1, 3, NULL));
    CU_ASSERT_TRUE(lookup(t, 1, 2, NULL));
    CU_ASSERT_EQUAL(learn_static(t, 1, 4, 4, 7), MOB_LEARN_REFRESHED);
    CU_ASSERT_EQUAL(learn(t, 1, 5, 5, 8), MOB_LEARN_NEW);
    CU_ASSERT_FALSE(lookup(t, 1, 2, NULL));
    CU_ASSERT_EQUAL(stats_of(t).n_frozen, 0);

    /* Now 0 and 4 are static, 5 dynamic: a static learn evicts 5. */
    CU_ASSERT_EQUAL(mob_table_learn(t, &req, 9, NULL), MOB_LEARN_NEW);
    CU_ASSERT_FALSE(lookup(t, 1, 5, NULL));
    CU_ASSERT_EQUAL(stats_of(t).evictions, 4);

    /* All static: full, and nothing changes. */
    CU_ASSERT_EQUAL(learn(t, 1, 6, 6, 10), MOB_LEARN_FULL);
    req = req_make(1, 7, 7, MOB_ORIGIN_STATIC, 0);
    CU_ASSERT_EQUAL(mob_table_learn(t, &req, 10, NULL), MOB_LEARN_FULL);
    CU_ASSERT_EQUAL(mob_table_count(t), 3);
    CU_ASSERT_FALSE(lookup(t, 1, 6, NULL));
    CU_ASSERT_FALSE(lookup(t, 1, 7, NULL));
    CU_ASSERT_TRUE(points_to(t, 1, 0, 0));
    CU_ASSERT_TRUE(points_to(t, 1, 4, 4));
    CU_ASSERT_TRUE(points_to(t, 1, 10, 10));
    CU_ASSERT_EQUAL(stats_of(t).full_refused, 2);
    CU_ASSERT_EQUAL(stats_of(t).evictions, 4);

    /* Existing keys still learn in a full table. */
    CU_ASSERT_EQUAL(learn_static(t, 1, 0, 8, 11), MOB_LEARN_MOVED);
    CU_ASSERT_TRUE(points_to(t, 1, 0, 8));
    mob_table_destroy(t);
}

/* Delete removes exactly its key and reports whether it was there. */
static void
test_delete(void)
{
    struct mob_table *t = mob_table_create(NULL);
    struct mob_eth_addr m1 = mac_n(1), m2 = mac_n(2);

    CU_ASSERT_EQUAL(learn(t, 1, 1, 1, 0), MOB_LEARN_NEW);
    CU_ASSERT_EQUAL(learn_static(t, 1, 2, 2, 0), MOB_LEARN_NEW);
    CU_ASSERT_FALSE(mob_table_delete(t, 2, &m1));
    CU_ASSERT_FALSE(mob_table_delete(t, 1 | (1u << 24), &m1));
    CU_ASSERT_EQUAL(mob_table_count(t), 2);

    CU_ASSERT_TRUE(mob_table_delete(t, 1, &m1));
    CU_ASSERT_FALSE(lookup(t, 1, 1, NULL));
    CU_ASSERT_FALSE(mob_table_delete(t, 1, &m1));
    CU_ASSERT_TRUE(mob_table_delete(t, 1, &m2));
    CU_ASSERT_EQUAL(mob_table_count(t), 0);
    CU_ASSERT_EQUAL(mob_table_next_expiry(t), UINT32_MAX);
    CU_ASSERT_EQUAL(stats_of(t).deleted, 2);

    /* A deleted key starts afresh. */
    CU_ASSERT_EQUAL(learn(t, 1, 1, 3, 10), MOB_LEARN_NEW);
    CU_ASSERT_TRUE(points_to(t, 1, 1, 3));
    mob_table_destroy(t);
}

/* Flush empties the table, which then fills again to its bound. */
static void
test_flush(void)
{
    struct mob_table *t = table_make(200, 2, 100, 100);

    for (uint32_t i = 0; i < 150; i++) {
        if (i % 3 == 0) {
            CU_ASSERT_EQUAL(learn_static(t, i, i, i, i), MOB_LEARN_NEW);
        } else {
            CU_ASSERT_EQUAL(learn(t, i, i, i, i), MOB_LEARN_NEW);
        }
    }
    CU_ASSERT_EQUAL(learn(t, 1, 1, 7, 200), MOB_LEARN_MOVED);
    CU_ASSERT_EQUAL(learn(t, 1, 1, 8, 201), MOB_LEARN_FREEZE);
    CU_ASSERT_EQUAL(stats_of(t).n_frozen, 1);

    CU_ASSERT_EQUAL(mob_table_flush(t), 150);
    CU_ASSERT_EQUAL(mob_table_count(t), 0);
    CU_ASSERT_EQUAL(stats_of(t).n_frozen, 0);
    CU_ASSERT_EQUAL(stats_of(t).deleted, 150);
    CU_ASSERT_EQUAL(mob_table_next_expiry(t), UINT32_MAX);
    for (uint32_t i = 0; i < 150; i++) {
        CU_ASSERT_FALSE(lookup(t, i, i, NULL));
    }
    CU_ASSERT_EQUAL(mob_table_flush(t), 0);

    /* The table fills again to its bound. */
    for (uint32_t i = 0; i < 200; i++) {
        CU_ASSERT_EQUAL(learn(t, 7, i, i, 300), MOB_LEARN_NEW);
    }
    CU_ASSERT_EQUAL(mob_table_count(t), 200);
    CU_ASSERT_EQUAL(stats_of(t).evictions, 0);
    for (uint32_t i = 0; i < 200; i++) {
        CU_ASSERT_TRUE(points_to(t, 7, i, i));
    }
    mob_table_destroy(t);
}

struct foreach_aux {
    int n;
    int seen[64];
    bool bad;
};

/* mob_table_foreach() callback: checks 'e' against what test_foreach()
 * learned and counts it. */
static void
foreach_cb(const struct mob_entry *e, void *aux_)
{
    struct foreach_aux *aux = aux_;
    struct in6_addr want;
    uint32_t i = e->vni - 100;

    aux->n++;
    want = vtep_n(i * 3);
    if (i >= 64 || !mob_ip_equals(&e->vtep, &want)
        || e->mac.ea[5] != i || e->origin != (i % 2 ? MOB_ORIGIN_STATIC
                                              : MOB_ORIGIN_RARP)) {
        aux->bad = true;
    } else {
        aux->seen[i]++;
    }
}

/* Iteration visits every entry once, with its values. */
static void
test_foreach(void)
{
    struct mob_table *t = mob_table_create(NULL);
    struct foreach_aux aux;

    memset(&aux, 0, sizeof aux);
    mob_table_foreach(t, foreach_cb, &aux);
    CU_ASSERT_EQUAL(aux.n, 0);

    for (uint32_t i = 0; i < 64; i++) {
        if (i % 2) {
            learn_static(t, 100 + i, i, i * 3, i);
        } else {
            learn(t, 100 + i, i, i * 3, i);
        }
    }
    memset(&aux, 0, sizeof aux);
    mob_table_foreach(t, foreach_cb, &aux);
    CU_ASSERT_EQUAL(aux.n, 64);
    CU_ASSERT_FALSE(aux.bad);
    for (int i = 0; i < 64; i++) {
        CU_ASSERT_EQUAL(aux.seen[i], 1);
    }
    mob_table_destroy(t);
}

/* Every counter counts what a known sequence of operations did. */
static void
test_stats(void)
{
    struct mob_table *t = table_make(3, 2, 100, 50);
    struct mob_learn req = req_make(1, 1, 1, MOB_ORIGIN_OVN, 1);
    struct mob_table_stats s;

    learn(t, 1, 1, 1, 0);                       /* learned 1 */
    learn(t, 1, 1, 1, 1);                       /* refreshed 1 */
    learn(t, 1, 1, 2, 2);                       /* moved 1 */
    learn(t, 1, 1, 1, 3);                       /* freezes 1 */
    learn(t, 1, 1, 2, 4);                       /* frozen_refused 1 */
    mob_table_learn(t, &req, 5, NULL);          /* stale_refused 1 */
    learn_static(t, 1, 2, 1, 6);                /* learned 2 */
    learn_static(t, 1, 3, 1, 6);                /* learned 3 */
    learn_static(t, 1, 4, 1, 6);                /* evictions 1, 4 */
    learn_static(t, 1, 5, 1, 6);                /* full_refused 1 */
    mob_table_delete(t, 1, &(struct mob_eth_addr) { { 2, 0, 0, 0, 0, 2 } });
    learn(t, 1, 6, 1, 10);                      /* learned 5 */
    mob_table_age(t, 1000);                     /* expired 1 */
    learn(t, 1, 7, 1, 1000);                    /* learned 6 */

    s = stats_of(t);
    CU_ASSERT_EQUAL(s.n_entries, 3);
    CU_ASSERT_EQUAL(s.n_frozen, 0);
    CU_ASSERT_EQUAL(s.learned, 6);
    CU_ASSERT_EQUAL(s.moved, 1);
    CU_ASSERT_EQUAL(s.refreshed, 1);
    CU_ASSERT_EQUAL(s.freezes, 1);
    CU_ASSERT_EQUAL(s.frozen_refused, 1);
    CU_ASSERT_EQUAL(s.stale_refused, 1);
    CU_ASSERT_EQUAL(s.full_refused, 1);
    CU_ASSERT_EQUAL(s.evictions, 1);
    CU_ASSERT_EQUAL(s.expired, 1);
    CU_ASSERT_EQUAL(s.deleted, 1);
    mob_table_destroy(t);
}

/* Reconfiguration refuses bad settings and applies good ones to later
 * learns; bad configurations create no table. */
static void
test_reconfigure(void)
{
    struct mob_table_config cfg;
    struct mob_table *t, *t2;
    struct mob_entry e;

    mob_table_config_init(&cfg);
    cfg.max_entries = 16;
    cfg.grace_time = 100;
    t = mob_table_create(&cfg);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_EQUAL(learn(t, 1, 1, 1, 0), MOB_LEARN_NEW);

    cfg.max_entries = 17;
    CU_ASSERT_EQUAL(mob_table_reconfigure(t, &cfg), EINVAL);
    cfg.max_entries = 16;
    cfg.grace_time = 0;
    CU_ASSERT_EQUAL(mob_table_reconfigure(t, &cfg), EINVAL);
    cfg.grace_time = 100;
    cfg.flap_moves = 70000;
    CU_ASSERT_EQUAL(mob_table_reconfigure(t, &cfg), EINVAL);
    cfg.flap_moves = 2;
    cfg.freeze_time = 0;
    CU_ASSERT_EQUAL(mob_table_reconfigure(t, &cfg), EINVAL);
    /* Nothing changed: the grace is still 100. */
    CU_ASSERT_EQUAL(learn(t, 1, 2, 1, 10), MOB_LEARN_NEW);
    CU_ASSERT_TRUE(lookup(t, 1, 2, &e));
    CU_ASSERT_EQUAL(e.expires, 110);

    cfg.grace_time = 500;
    cfg.flap_moves = 2;
    cfg.flap_window = 10;
    cfg.freeze_time = 30;
    CU_ASSERT_EQUAL(mob_table_reconfigure(t, &cfg), 0);
    /* Existing entries keep their expiry until learned again. */
    CU_ASSERT_TRUE(lookup(t, 1, 1, &e));
    CU_ASSERT_EQUAL(e.expires, 100);
    CU_ASSERT_EQUAL(learn(t, 1, 2, 1, 20), MOB_LEARN_REFRESHED);
    CU_ASSERT_TRUE(lookup(t, 1, 2, &e));
    CU_ASSERT_EQUAL(e.expires, 520);
    CU_ASSERT_EQUAL(mob_table_age(t, 100), 1);
    CU_ASSERT_FALSE(lookup(t, 1, 1, NULL));

    /* New flap settings: two moves freeze, for 30 s. */
    CU_ASSERT_EQUAL(learn(t, 1, 2, 2, 21), MOB_LEARN_MOVED);
    CU_ASSERT_EQUAL(learn(t, 1, 2, 1, 22), MOB_LEARN_FREEZE);
    CU_ASSERT_EQUAL(mob_table_next_expiry(t), 52);
    CU_ASSERT_EQUAL(mob_table_age(t, 52), 0);
    CU_ASSERT_TRUE(lookup(t, 1, 2, &e));
    CU_ASSERT_FALSE(e.frozen);
    CU_ASSERT_EQUAL(e.expires, 552);

    /* Invalid configurations make no table. */
    mob_table_config_init(&cfg);
    cfg.max_entries = 0;
    CU_ASSERT_PTR_NULL(mob_table_create(&cfg));
    cfg.max_entries = MOB_TABLE_MAX_ENTRIES + 1;
    CU_ASSERT_PTR_NULL(mob_table_create(&cfg));
    mob_table_config_init(&cfg);
    cfg.sparse_slots = MOB_TABLE_MAX_SPARSE_SLOTS + 1;
    CU_ASSERT_PTR_NULL(mob_table_create(&cfg));
    cfg.sparse_slots = MOB_TABLE_MAX_SPARSE_SLOTS;
    t2 = mob_table_create(&cfg);
    CU_ASSERT_PTR_NOT_NULL(t2);
    mob_table_destroy(t2);
    mob_table_config_init(&cfg);
    cfg.grace_time = 0;
    CU_ASSERT_PTR_NULL(mob_table_create(&cfg));
    mob_table_config_init(&cfg);
    cfg.flap_window = 0;
    CU_ASSERT_PTR_NULL(mob_table_create(&cfg));
    cfg.flap_moves = 0;
    t = (mob_table_destroy(t), mob_table_create(&cfg));
    CU_ASSERT_PTR_NOT_NULL(t);
    mob_table_destroy(t);
}

/* Invalid learns are refused and change nothing. */
static void
test_invalid(void)
{
    struct mob_table *t = mob_table_create(NULL);
    struct mob_table_stats s0, s1;
    struct mob_entry before, after;
    struct mob_learn good = req_make(1, 1, 2, MOB_ORIGIN_RARP, 0);
    struct mob_learn bad[13];
    int n = 0;

    CU_ASSERT_EQUAL(learn(t, 1, 1, 1, 0), MOB_LEARN_NEW);
    CU_ASSERT_TRUE(lookup(t, 1, 1, &before));
    s0 = stats_of(t);

    for (int i = 0; i < 13; i++) {
        bad[i] = good;
    }
    bad[n++].vni = 1u << 24;
    bad[n++].mac = (struct mob_eth_addr) { { 0x03, 0, 0, 0, 0, 1 } };
    bad[n++].mac = (struct mob_eth_addr) { { 0xff, 0xff, 0xff, 0xff, 0xff,
                                             0xff } };
    bad[n++].mac = (struct mob_eth_addr) { { 0, 0, 0, 0, 0, 0 } };
    memset(&bad[n++].vtep, 0, sizeof good.vtep);
    bad[n++].vtep = mob_ip_from_v4(0);
    bad[n++].vtep = mob_ip_from_v4(0xe0000001);     /* 224.0.0.1 */
    bad[n++].vtep = mob_ip_from_v4(0xffffffff);
    mob_ip_parse("ff02::1", &bad[n++].vtep);
    mob_ip_parse("::", &bad[n++].vtep);
    bad[n++].tnl_type = 3;
    bad[n++].origin = MOB_N_ORIGINS;
    bad[n].origin = MOB_N_ORIGINS;
    bad[n++].seq = 100;

    for (int i = 0; i < n; i++) {
        struct mob_entry old;

        memset(&old, 0x5a, sizeof old);
        CU_ASSERT_EQUAL(mob_table_learn(t, &bad[i], 10, &old),
                        MOB_LEARN_INVALID);
        CU_ASSERT_EQUAL(old.seq, 0x5a5a5a5a);
    }
    CU_ASSERT_EQUAL(mob_table_count(t), 1);
    CU_ASSERT_TRUE(lookup(t, 1, 1, &after));
    CU_ASSERT_TRUE(entry_equals(&before, &after));
    s1 = stats_of(t);
    CU_ASSERT_EQUAL(memcmp(&s0, &s1, sizeof s0), 0);

    /* Valid edges. */
    good.vni = MOB_TABLE_MAX_VNI;
    CU_ASSERT_EQUAL(mob_table_learn(t, &good, 10, NULL), MOB_LEARN_NEW);
    good.vni = 0;
    mob_ip_parse("2001:db8::1", &good.vtep);
    good.tnl_type = MOB_TNL_NONE;
    CU_ASSERT_EQUAL(mob_table_learn(t, &good, 10, NULL), MOB_LEARN_NEW);
    CU_ASSERT_TRUE(mob_table_mac_is_valid(&good.mac));
    CU_ASSERT_FALSE(mob_table_mac_is_valid(&bad[1].mac));
    CU_ASSERT_TRUE(mob_table_vtep_is_valid(&good.vtep));
    CU_ASSERT_FALSE(mob_table_vtep_is_valid(&bad[7].vtep));

    /* Hits on a bad id are ignored. */
    mob_table_hit(t, UINT32_MAX, 100);
    mob_table_hit(t, MOB_TABLE_DEFAULT_MAX, 100);
    CU_ASSERT_TRUE(lookup(t, 1, 1, &after));
    CU_ASSERT_EQUAL(after.hit_packets, 0);
    mob_table_destroy(t);
}

/* Hit counters add up, survive moves and restart for a new entry. */
static void
test_hits(void)
{
    struct mob_table *t = mob_table_create(NULL);
    struct mob_entry e;
    uint32_t id;

    learn(t, 1, 1, 1, 0);
    learn(t, 1, 2, 1, 0);
    CU_ASSERT_TRUE_FATAL(lookup(t, 1, 1, &e));
    id = e.id;
    mob_table_hit(t, id, 100);
    mob_table_hit(t, id, 114);
    mob_table_hit(t, id, 1500);
    CU_ASSERT_TRUE(lookup(t, 1, 1, &e));
    CU_ASSERT_EQUAL(e.hit_packets, 3);
    CU_ASSERT_EQUAL(e.hit_bytes, 1714);
    CU_ASSERT_TRUE(lookup(t, 1, 2, &e));
    CU_ASSERT_EQUAL(e.hit_packets, 0);

    /* Moves keep the counters; a new entry in the same slot starts at 0. */
    learn(t, 1, 1, 2, 1);
    CU_ASSERT_TRUE(lookup(t, 1, 1, &e));
    CU_ASSERT_EQUAL(e.hit_packets, 3);
    mob_table_delete(t, 1, &e.mac);
    learn(t, 1, 3, 1, 2);
    CU_ASSERT_TRUE(lookup(t, 1, 3, &e));
    CU_ASSERT_EQUAL(e.id, id);
    CU_ASSERT_EQUAL(e.hit_packets, 0);
    CU_ASSERT_EQUAL(e.hit_bytes, 0);
    mob_table_destroy(t);
}

/* Returns the memory of a table of 'max' entries with 'sparse_slots'. */
static size_t
memory_of(uint32_t max, uint32_t sparse_slots)
{
    struct mob_table_config cfg;
    struct mob_table *t;
    size_t memory;

    mob_table_config_init(&cfg);
    cfg.max_entries = max;
    cfg.sparse_slots = sparse_slots;
    t = mob_table_create(&cfg);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    memory = mob_table_memory(t);
    mob_table_destroy(t);
    return memory;
}

/* A 1M table allocates 88 to 96 bytes per entry; a tiny one works. */
static void
test_memory(void)
{
    struct mob_table_config cfg;
    struct mob_table *t;

    mob_table_config_init(&cfg);
    cfg.max_entries = 1u << 20;
    t = mob_table_create(&cfg);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    /* 64 (entry) + 16 (index) + 8 (bytes) per entry, and a little. */
    CU_ASSERT(mob_table_memory(t) >= (size_t) 88 << 20);
    CU_ASSERT(mob_table_memory(t) <= (size_t) 96 << 20);
    mob_table_destroy(t);

    /* Up to 8 slots per entry below 'sparse_slots' (8-byte slots). */
    CU_ASSERT_EQUAL(memory_of(1024, MOB_TABLE_DEFAULT_SPARSE_SLOTS)
                    - memory_of(1024, 0), (8192 - 2048) * 8);
    CU_ASSERT_EQUAL(memory_of(8192, MOB_TABLE_DEFAULT_SPARSE_SLOTS)
                    - memory_of(8192, 0), (32768 - 16384) * 8);
    CU_ASSERT_EQUAL(memory_of(16384, MOB_TABLE_DEFAULT_SPARSE_SLOTS),
                    memory_of(16384, 0));
    CU_ASSERT_EQUAL(memory_of(1024, 1u << 20) - memory_of(1024, 0),
                    (8192 - 2048) * 8);

    cfg.max_entries = 1;
    t = mob_table_create(&cfg);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    /* Small tables: a page per array. */
    CU_ASSERT(mob_table_memory(t) <= 4 * 4096);
    CU_ASSERT_EQUAL(learn(t, 1, 1, 1, 0), MOB_LEARN_NEW);
    CU_ASSERT_EQUAL(learn(t, 1, 2, 2, 1), MOB_LEARN_NEW);
    CU_ASSERT_FALSE(lookup(t, 1, 1, NULL));
    CU_ASSERT_TRUE(points_to(t, 1, 2, 2));
    mob_table_destroy(t);
}

/* Compares 't' with a model under random learns and deletes over 'n_keys'
 * keys ('n_keys' <= max so nothing is evicted). */
static void
churn(uint32_t max, uint32_t n_keys, int n_ops, uint64_t seed,
      uint32_t sparse_slots)
{
    struct mob_table_config cfg;
    struct mob_table *t;
    int32_t *model = malloc(n_keys * sizeof *model);
    uint32_t n_present = 0;
    int errors = 0;

    mob_table_config_init(&cfg);
    cfg.max_entries = max;
    cfg.flap_moves = 0;
    cfg.sparse_slots = sparse_slots;
    t = mob_table_create(&cfg);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    for (uint32_t k = 0; k < n_keys; k++) {
        model[k] = -1;
    }
    for (int op = 0; op < n_ops; op++) {
        uint64_t r = rng_next(&seed);
        uint32_t k = r % n_keys;
        uint32_t vni = k % 3, mac = k;

        if ((r >> 32) % 5 < 3) {
            uint32_t vtep = (r >> 40) % 8;
            enum mob_learn_result res = learn(t, vni, mac, vtep, op);

            if (model[k] < 0) {
                errors += res != MOB_LEARN_NEW;
                n_present++;
            } else {
                errors += res != (model[k] == (int32_t) vtep
                                  ? MOB_LEARN_REFRESHED : MOB_LEARN_MOVED);
            }
            model[k] = vtep;
        } else {
            struct mob_eth_addr m = mac_n(mac);

            errors += mob_table_delete(t, vni, &m) != (model[k] >= 0);
            n_present -= model[k] >= 0;
            model[k] = -1;
        }
        errors += (model[k] >= 0
                   ? !points_to(t, vni, mac, model[k])
                   : lookup(t, vni, mac, NULL));
        if (op % 997 == 0 || op == n_ops - 1) {
            for (uint32_t j = 0; j < n_keys; j++) {
                errors += (model[j] >= 0
                           ? !points_to(t, j % 3, j, model[j])
                           : lookup(t, j % 3, j, NULL));
            }
            errors += mob_table_count(t) != n_present;
        }
    }
    CU_ASSERT_EQUAL(errors, 0);
    CU_ASSERT_EQUAL(mob_table_count(t), n_present);
    free(model);
    mob_table_destroy(t);
}

/* Random learns and deletes agree with a model, at several sizes. */
static void
test_churn(void)
{
    /* Indexes at most half full: long runs, many shifts. */
    churn(8, 8, 20000, 1, 0);       /* 16 slots, up to half full. */
    churn(64, 60, 50000, 2, 0);
    churn(4096, 4000, 200000, 3, 0);
    /* Sparse indexes (up to 8 slots per entry, the default). */
    churn(8, 8, 20000, 4, MOB_TABLE_DEFAULT_SPARSE_SLOTS);
    churn(4096, 4000, 200000, 5, MOB_TABLE_DEFAULT_SPARSE_SLOTS);
}

/* Concurrency stress.
 *
 * The writer gives every learn a fresh sequence number 'g' (also its
 * time), and a VTEP 2001:VVVV:VVMM:MMMM:MMMM:MMGG:GGGG:GGCC that spells
 * the key, 'g' and a check byte; the tunnel type and origin follow from
 * 'g' too.  A reader that sees anything else saw a torn entry. */

#define STRESS_GRACE 1000000000u

struct stress {
    struct mob_table *table;
    uint32_t n_stable;              /* Keys [0, n_stable) are never
                                     * deleted. */
    uint32_t n_keys;                /* The others are learned, moved and
                                     * deleted. */
    atomic_bool stop;
    atomic_uint ready;
};

struct stress_reader {
    struct stress *s;
    pthread_t thread;
    uint64_t lookups, hits, torn, stable_misses;
};

/* The VNI and MAC of stress key 'k'. */
static void
stress_key(uint32_t k, uint32_t *vni, struct mob_eth_addr *mac)
{
    *vni = (k * 2654435761u) & MOB_TABLE_MAX_VNI;
    *mac = mac_n(k);
}

/* The VTEP that encodes (vni, mac, g). */
static struct in6_addr
stress_vtep(uint32_t vni, const struct mob_eth_addr *mac, uint32_t g)
{
    struct in6_addr ip;
    uint8_t *b = ip.s6_addr;
    uint8_t check = 0;

    b[0] = 0x20;
    b[1] = 0x01;
    b[2] = vni >> 16;
    b[3] = vni >> 8;
    b[4] = vni;
    memcpy(&b[5], mac->ea, 6);
    b[11] = g >> 24;
    b[12] = g >> 16;
    b[13] = g >> 8;
    b[14] = g;
    for (int i = 0; i < 15; i++) {
        check ^= b[i];
    }
    b[15] = check;
    return ip;
}

/* Returns true if 'e', found for ('vni', 'mac'), is a whole entry. */
static bool
stress_entry_ok(const struct mob_entry *e, uint32_t vni,
                const struct mob_eth_addr *mac)
{
    struct in6_addr want = stress_vtep(vni, mac, e->seq);

    return (e->vni == vni && mob_eth_addr_equals(&e->mac, mac)
            && mob_ip_equals(&e->vtep, &want)
            && e->learned == e->seq
            && e->expires == e->seq + STRESS_GRACE
            && e->tnl_type == (e->seq & 1 ? MOB_TNL_GENEVE : MOB_TNL_VXLAN)
            && e->origin == (enum mob_origin) (e->seq % 4)
            && !e->frozen);
}

/* A stress reader thread: looks up random keys until told to stop,
 * counting torn entries and misses of stable keys. */
static void *
stress_reader_main(void *r_)
{
    struct stress_reader *r = r_;
    struct stress *s = r->s;
    uint64_t seed = (uintptr_t) r | 1;

    atomic_fetch_add(&s->ready, 1);
    while (!atomic_load(&s->stop)) {
        for (int i = 0; i < 256; i++) {
            uint32_t k = rng_next(&seed) % s->n_keys;
            struct mob_eth_addr mac;
            struct mob_entry e;
            uint32_t vni;

            stress_key(k, &vni, &mac);
            r->lookups++;
            if (mob_table_lookup(s->table, vni, &mac, &e)) {
                r->hits++;
                if (!stress_entry_ok(&e, vni, &mac)) {
                    r->torn++;
                }
                mob_table_hit(s->table, e.id, 64);
            } else if (k < s->n_stable) {
                r->stable_misses++;
            }
        }
    }
    return NULL;
}

/* Learns stress key 'k' with generation 'g'.  Returns the result. */
static enum mob_learn_result
stress_learn(struct mob_table *t, uint32_t k, uint32_t g)
{
    struct mob_learn req;

    memset(&req, 0, sizeof req);
    stress_key(k, &req.vni, &req.mac);
    req.vtep = stress_vtep(req.vni, &req.mac, g);
    req.tnl_type = g & 1 ? MOB_TNL_GENEVE : MOB_TNL_VXLAN;
    req.origin = g % 4;
    req.seq = g;
    return mob_table_learn(t, &req, g, NULL);
}

/* Returns the monotonic time in seconds. */
static double
now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Runs 2 readers against a writer for 'seconds' on a table of 'max'
 * entries, with 'n_stable' keys that are only moved and 'n_churn' keys of
 * which one operation in 'delete_one_in' is a delete.  About
 * (1 - 1/delete_one_in) of the churn keys are present at a time, so the
 * numbers set how full the index runs. */
static void
stress_run(uint32_t max, uint32_t n_stable, uint32_t n_churn,
           uint32_t delete_one_in, double seconds, uint32_t sparse_slots)
{
    enum { N_READERS = 2 };
    struct stress_reader readers[N_READERS];
    struct mob_table_config cfg;
    struct stress s;
    uint64_t seed = 12345, writes = 0, deletes = 0;
    uint64_t lookups = 0, hits = 0, torn = 0, misses = 0;
    int bad_results = 0;
    uint32_t g = 1;
    double end;

    mob_table_config_init(&cfg);
    cfg.max_entries = max;
    cfg.grace_time = STRESS_GRACE;
    cfg.flap_moves = 0;
    cfg.sparse_slots = sparse_slots;
    s.table = mob_table_create(&cfg);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s.table);
    CU_ASSERT_FATAL(n_stable + n_churn <= max);
    s.n_stable = n_stable;
    s.n_keys = n_stable + n_churn;
    atomic_init(&s.stop, false);
    atomic_init(&s.ready, 0);

    for (uint32_t k = 0; k < n_stable; k++) {
        bad_results += stress_learn(s.table, k, g++) != MOB_LEARN_NEW;
    }
    for (int i = 0; i < N_READERS; i++) {
        memset(&readers[i], 0, sizeof readers[i]);
        readers[i].s = &s;
        CU_ASSERT_EQUAL_FATAL(pthread_create(&readers[i].thread, NULL,
                                             stress_reader_main,
                                             &readers[i]), 0);
    }
    while (atomic_load(&s.ready) < N_READERS) {
        continue;
    }

    end = now_s() + seconds;
    while (now_s() < end) {
        for (int i = 0; i < 512; i++) {
            uint64_t r = rng_next(&seed);
            uint32_t k = r % s.n_keys;
            enum mob_learn_result res;

            if (k >= n_stable && (r >> 32) % delete_one_in == 0) {
                struct mob_eth_addr mac;
                uint32_t vni;

                stress_key(k, &vni, &mac);
                deletes += mob_table_delete(s.table, vni, &mac);
            } else {
                res = stress_learn(s.table, k, g++);
                bad_results += res != MOB_LEARN_NEW
                               && res != MOB_LEARN_MOVED;
                writes++;
            }
        }
    }
    atomic_store(&s.stop, true);
    for (int i = 0; i < N_READERS; i++) {
        pthread_join(readers[i].thread, NULL);
        lookups += readers[i].lookups;
        hits += readers[i].hits;
        torn += readers[i].torn;
        misses += readers[i].stable_misses;
    }
    printf("# stress %"PRIu32"/%"PRIu32": %"PRIu64" writes, %"PRIu64
           " deletes, %"PRIu64" lookups, %"PRIu64" hits, %"PRIu64
           " torn, %"PRIu64" stable misses\n", s.n_keys, max, writes,
           deletes, lookups, hits, torn, misses);

    CU_ASSERT_EQUAL(bad_results, 0);
    CU_ASSERT_EQUAL(torn, 0);
    CU_ASSERT_EQUAL(misses, 0);
    CU_ASSERT(writes > 1000);
    CU_ASSERT(deletes > 100);
    CU_ASSERT(lookups > 1000);
    CU_ASSERT(hits > 0);

    /* Afterwards every stable key holds its last write, intact. */
    for (uint32_t k = 0; k < n_stable; k++) {
        struct mob_eth_addr mac;
        struct mob_entry e;
        uint32_t vni;

        stress_key(k, &vni, &mac);
        CU_ASSERT_TRUE(mob_table_lookup(s.table, vni, &mac, &e)
                       && stress_entry_ok(&e, vni, &mac));
    }
    mob_table_destroy(s.table);
}

/* Lock-free readers never see a torn entry nor miss a stable key while
 * a writer learns, moves and deletes. */
static void
test_stress(void)
{
    /* Thousands of keys, the index up to about 45% full. */
    stress_run(4096, 1024, 3000, 8, 0.6, 0);
    /* 64 keys in 128 slots: long runs, so deletions shift slots under
     * the readers' probes all the time. */
    stress_run(64, 16, 48, 8, 0.6, 0);
    /* The same keys in a sparse index (512 slots, the default). */
    stress_run(64, 16, 48, 8, 0.3, MOB_TABLE_DEFAULT_SPARSE_SLOTS);
}

/* Command tests. */

/* Parses the 'argc' words in 'argv'; returns the result, with the error
 * text in 'err'. */
static bool
parse(int argc, const char *const argv[], struct mob_cmd *cmd,
      struct mob_ds *err)
{
    mob_ds_clear(err);
    return mob_cmd_parse(argc, argv, cmd, err);
}

#define ARGV(...) (const char *const[]) { __VA_ARGS__ }
#define ARGC(...) (int) (sizeof ARGV(__VA_ARGS__) / sizeof(const char *))
#define PARSE(CMD, ERR, ...) parse(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), \
                                   CMD, ERR)

/* Good arguments parse into the expected command. */
static void
test_cmd_parse_good(void)
{
    struct mob_ds err = MOB_DS_EMPTY_INITIALIZER;
    struct in6_addr v4, v6;
    struct mob_eth_addr mac = { { 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef } };
    struct mob_cmd cmd;

    mob_ip_parse("192.0.2.7", &v4);
    mob_ip_parse("2001:db8::7", &v6);

    CU_ASSERT_TRUE(PARSE(&cmd, &err, "mobility/add", "br0", "5000",
                         "52:54:00:AB:cd:ef", "192.0.2.7"));
    CU_ASSERT_EQUAL(cmd.type, MOB_CMD_ADD);
    CU_ASSERT_STRING_EQUAL(cmd.bridge, "br0");
    CU_ASSERT_EQUAL(cmd.vni, 5000);
    CU_ASSERT_TRUE(mob_eth_addr_equals(&cmd.mac, &mac));
    CU_ASSERT_TRUE(mob_ip_equals(&cmd.vtep, &v4));
    CU_ASSERT_EQUAL(cmd.tnl_type, MOB_TNL_VXLAN);
    CU_ASSERT_STRING_EQUAL(mob_ds_cstr(&err), "");

    CU_ASSERT_TRUE(PARSE(&cmd, &err, "add", "br-int", "16777215",
                         "52:54:00:ab:cd:ef", "2001:db8::7", "geneve"));
    CU_ASSERT_EQUAL(cmd.vni, 16777215);
    CU_ASSERT_TRUE(mob_ip_equals(&cmd.vtep, &v6));
    CU_ASSERT_EQUAL(cmd.tnl_type, MOB_TNL_GENEVE);
    CU_ASSERT_TRUE(PARSE(&cmd, &err, "add", "b", "0", "52:54:00:ab:cd:ef",
                         "10.0.0.1", "vxlan"));
    CU_ASSERT_EQUAL(cmd.vni, 0);
    CU_ASSERT_EQUAL(cmd.tnl_type, MOB_TNL_VXLAN);

    CU_ASSERT_TRUE(PARSE(&cmd, &err, "mobility/del", "br0", "7",
                         "52:54:00:ab:cd:ef"));
    CU_ASSERT_EQUAL(cmd.type, MOB_CMD_DEL);
    CU_ASSERT_EQUAL(cmd.vni, 7);
    CU_ASSERT_TRUE(mob_eth_addr_equals(&cmd.mac, &mac));

    CU_ASSERT_TRUE(PARSE(&cmd, &err, "mobility/show"));
    CU_ASSERT_EQUAL(cmd.type, MOB_CMD_SHOW);
    CU_ASSERT_PTR_NULL(cmd.bridge);
    CU_ASSERT_TRUE(PARSE(&cmd, &err, "show", "br1"));
    CU_ASSERT_STRING_EQUAL(cmd.bridge, "br1");
    CU_ASSERT_TRUE(PARSE(&cmd, &err, "flush"));
    CU_ASSERT_EQUAL(cmd.type, MOB_CMD_FLUSH);
    CU_ASSERT_TRUE(PARSE(&cmd, &err, "mobility/stats", "br0"));
    CU_ASSERT_EQUAL(cmd.type, MOB_CMD_STATS);
    CU_ASSERT_STRING_EQUAL(mob_ds_cstr(&err), "");

    /* The registry matches the grammar. */
    CU_ASSERT_STRING_EQUAL(mob_cmd_info(MOB_CMD_ADD)->name, "mobility/add");
    CU_ASSERT_STRING_EQUAL(mob_cmd_info(MOB_CMD_ADD)->args,
                           "BRIDGE VNI MAC VTEP [vxlan|geneve]");
    CU_ASSERT_EQUAL(mob_cmd_info(MOB_CMD_ADD)->min_args, 4);
    CU_ASSERT_EQUAL(mob_cmd_info(MOB_CMD_ADD)->max_args, 5);
    CU_ASSERT_EQUAL(mob_cmd_info(MOB_CMD_DEL)->min_args, 3);
    CU_ASSERT_EQUAL(mob_cmd_info(MOB_CMD_SHOW)->max_args, 1);
    CU_ASSERT_PTR_NULL(mob_cmd_info(MOB_N_CMDS));
    mob_ds_destroy(&err);
}

/* Asserts that 'argv' fails to parse with error 'expected' and leaves the
 * command untouched. */
static void
check_bad(int argc, const char *const argv[], const char *expected)
{
    struct mob_ds err = MOB_DS_EMPTY_INITIALIZER;
    struct mob_cmd cmd, orig;

    memset(&cmd, 0x77, sizeof cmd);
    orig = cmd;
    CU_ASSERT_FALSE(parse(argc, argv, &cmd, &err));
    CU_ASSERT_STRING_EQUAL(mob_ds_cstr(&err), expected);
    CU_ASSERT_EQUAL(memcmp(&cmd, &orig, sizeof cmd), 0);
    mob_ds_destroy(&err);
}

#define CHECK_BAD(EXPECTED, ...) \
    check_bad(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), EXPECTED)

/* Each bad argument gets its error message and changes nothing. */
static void
test_cmd_parse_bad(void)
{
    static const char vni_err[] =
        "invalid VNI \"%s\": expected a decimal number from 0 to 16777215\n";
    static const char *const bad_vnis[] = {
        "16777216", "-1", "+1", "abc", "", "0x10", "123456789", "1 ", " 1",
        "99999999", "4294967301",
    };
    static const char *const bad_macs[] = {
        "01:00:5e:00:00:01", "ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00",
        "52:54:00:ab:cd", "52:54:00:ab:cd:ef:01", "52-54-00-ab-cd-ef",
        "zz:54:00:ab:cd:ef", "",
    };
    static const char *const bad_vteps[] = {
        "0.0.0.0", "224.0.0.1", "255.255.255.255", "240.0.0.1", "ff02::1",
        "::", "1.2.3", "host.example", "", "192.0.2.1/24",
    };
    char buf[256];

    CHECK_BAD("usage: mobility/add BRIDGE VNI MAC VTEP [vxlan|geneve]\n",
              "mobility/add", "br0", "1", "52:54:00:ab:cd:ef");
    CHECK_BAD("usage: mobility/add BRIDGE VNI MAC VTEP [vxlan|geneve]\n",
              "add", "br0", "1", "52:54:00:ab:cd:ef", "10.0.0.1", "vxlan",
              "x");
    CHECK_BAD("usage: mobility/del BRIDGE VNI MAC\n", "del", "br0", "1");
    CHECK_BAD("usage: mobility/show [BRIDGE]\n", "show", "br0", "br1");
    CHECK_BAD("usage: mobility/flush [BRIDGE]\n", "flush", "a", "b");
    CHECK_BAD("usage: mobility/stats [BRIDGE]\n", "stats", "a", "b");
    CHECK_BAD("unknown command \"mobility/list\": expected one of "
              "mobility/show mobility/add mobility/del mobility/flush "
              "mobility/stats\n", "mobility/list");
    CHECK_BAD("unknown command \"mobility/\": expected one of "
              "mobility/show mobility/add mobility/del mobility/flush "
              "mobility/stats\n", "mobility/");
    CHECK_BAD("invalid BRIDGE: empty name\n", "show", "");
    check_bad(0, ARGV(NULL), "missing command\n");

    for (size_t i = 0; i < sizeof bad_vnis / sizeof *bad_vnis; i++) {
        snprintf(buf, sizeof buf, vni_err, bad_vnis[i]);
        CHECK_BAD(buf, "add", "br0", bad_vnis[i], "52:54:00:ab:cd:ef",
                  "10.0.0.1");
        CHECK_BAD(buf, "del", "br0", bad_vnis[i], "52:54:00:ab:cd:ef");
    }
    for (size_t i = 0; i < sizeof bad_macs / sizeof *bad_macs; i++) {
        snprintf(buf, sizeof buf, "invalid MAC \"%s\": expected a unicast "
                 "address xx:xx:xx:xx:xx:xx\n", bad_macs[i]);
        CHECK_BAD(buf, "add", "br0", "1", bad_macs[i], "10.0.0.1");
        CHECK_BAD(buf, "del", "br0", "1", bad_macs[i]);
    }
    for (size_t i = 0; i < sizeof bad_vteps / sizeof *bad_vteps; i++) {
        snprintf(buf, sizeof buf, "invalid VTEP \"%s\": expected a unicast "
                 "IPv4 or IPv6 address\n", bad_vteps[i]);
        CHECK_BAD(buf, "add", "br0", "1", "52:54:00:ab:cd:ef",
                  bad_vteps[i]);
    }
    CHECK_BAD("invalid tunnel type \"gre\": expected vxlan or geneve\n",
              "add", "br0", "1", "52:54:00:ab:cd:ef", "10.0.0.1", "gre");
    CHECK_BAD("invalid tunnel type \"VXLAN\": expected vxlan or geneve\n",
              "add", "br0", "1", "52:54:00:ab:cd:ef", "10.0.0.1", "VXLAN");
}

/* Learns into 't' at 'now' from strings. */
static enum mob_learn_result
learn_str(struct mob_table *t, uint32_t vni, const char *mac,
          const char *vtep, enum mob_tnl_type type, enum mob_origin origin,
          uint32_t seq, uint32_t now)
{
    struct mob_learn req;

    memset(&req, 0, sizeof req);
    req.vni = vni;
    mob_eth_addr_parse(mac, &req.mac);
    mob_ip_parse(vtep, &req.vtep);
    req.tnl_type = type;
    req.origin = origin;
    req.seq = seq;
    return mob_table_learn(t, &req, now, NULL);
}

/* Fills 't' with the small table that the format tests print. */
static void
fill_show_table(struct mob_table *t)
{
    static const char *const flap_vteps[] = {
        "198.51.100.1", "198.51.100.2"
    };
    struct mob_eth_addr mac;
    struct mob_entry e;

    learn_str(t, 5, "02:00:00:00:00:01", "192.0.2.10", MOB_TNL_VXLAN,
              MOB_ORIGIN_RARP, 0, 100);
    learn_str(t, 5, "02:00:00:00:00:02", "192.0.2.20", MOB_TNL_VXLAN,
              MOB_ORIGIN_STATIC, 0, 100);
    learn_str(t, 16777215, "0a:00:00:00:00:ff", flap_vteps[0],
              MOB_TNL_VXLAN, MOB_ORIGIN_GARP, 0, 100);
    for (int i = 1; i <= 5; i++) {
        learn_str(t, 16777215, "0a:00:00:00:00:ff", flap_vteps[i % 2],
                  MOB_TNL_VXLAN, MOB_ORIGIN_GARP, 0, 100 + i);
    }
    learn_str(t, 7, "02:00:00:00:00:01", "2001:db8::1", MOB_TNL_GENEVE,
              MOB_ORIGIN_OVN, 42, 110);
    learn_str(t, 5, "02:00:00:00:00:01", "192.0.2.11", MOB_TNL_VXLAN,
              MOB_ORIGIN_RARP, 0, 120);

    mob_eth_addr_parse("02:00:00:00:00:01", &mac);
    if (mob_table_lookup(t, 5, &mac, &e)) {
        for (int i = 0; i < 3; i++) {
            mob_table_hit(t, e.id, 150);
        }
    }
}

static const char show_text[] =
    "     VNI  MAC                VTEP          Type    Origin  Seq  Age"
    "  Expires  Packets  Bytes\n"
    "       5  02:00:00:00:00:01  192.0.2.11    vxlan   rarp      2   10"
    "      290        3    450\n"
    "       5  02:00:00:00:00:02  192.0.2.20    vxlan   static    1   30"
    "   static        0      0\n"
    "       7  02:00:00:00:00:01  2001:db8::1   geneve  ovn      42   20"
    "      280        0      0\n"
    "16777215  0a:00:00:00:00:ff  198.51.100.2  vxlan   garp      6   25"
    "   frozen        0      0\n";

static const char show_empty_text[] =
    "VNI  MAC  VTEP  Type  Origin  Seq  Age  Expires  Packets  Bytes\n";

/* mobility/show prints exactly the expected table. */
static void
test_cmd_show(void)
{
    struct mob_table *t = mob_table_create(NULL);
    struct mob_ds out = MOB_DS_EMPTY_INITIALIZER;

    mob_cmd_format_show(&out, t, 0);
    CU_ASSERT_STRING_EQUAL(mob_ds_cstr(&out), show_empty_text);

    fill_show_table(t);
    CU_ASSERT_EQUAL(mob_table_count(t), 4);
    mob_ds_clear(&out);
    mob_cmd_format_show(&out, t, 130);
    CU_ASSERT_STRING_EQUAL(mob_ds_cstr(&out), show_text);
    if (strcmp(mob_ds_cstr(&out), show_text)) {
        printf("# got:\n%s", mob_ds_cstr(&out));
    }
    mob_ds_destroy(&out);
    mob_table_destroy(t);
}

/* mobility/stats prints exactly the expected counters. */
static void
test_cmd_stats(void)
{
    static const char table_text[] =
        "entries: 4\n"
        "frozen: 1\n"
        "learned: 4\n"
        "moved: 5\n"
        "refreshed: 0\n"
        "freezes: 1\n"
        "frozen_refused: 0\n"
        "stale_refused: 0\n"
        "full_refused: 0\n"
        "evictions: 0\n"
        "expired: 0\n"
        "deleted: 0\n";
    static const char dp_text[] =
        "rx_packets: 100\n"
        "tunnel_packets: 90\n"
        "not_tunnel: 7\n"
        "announcements: 5\n"
        "hits: 60\n"
        "misses: 25\n"
        "foreign: 2\n"
        "redirected_packets: 50\n"
        "redirected_bytes: 5700\n"
        "loop_drops: 6\n"
        "fallbacks: 4\n"
        "rejected: 3\n"
        "verdict_loop_marked: 1\n"
        "verdict_loop_sender: 2\n"
        "verdict_loop_self: 0\n"
        "verdict_loop_ttl: 3\n"
        "verdict_af_mismatch: 0\n"
        "verdict_no_neigh: 4\n"
        "verdict_no_room: 0\n"
        "rejected_bad_ipv4_csum: 1\n"
        "rejected_trunc_udp: 2\n";
    struct mob_table *t = mob_table_create(NULL);
    struct mob_ds out = MOB_DS_EMPTY_INITIALIZER;
    struct mob_redirect_stats dp;
    struct mob_table_stats ts;
    char expected[2048];

    fill_show_table(t);
    mob_table_get_stats(t, &ts);
    mob_cmd_format_stats(&out, &ts, NULL);
    CU_ASSERT_STRING_EQUAL(mob_ds_cstr(&out), table_text);

    memset(&dp, 0, sizeof dp);
    dp.rx_packets = 100;
    dp.tunnel_packets = 90;
    dp.foreign = 2;
    dp.parse.n[MOB_PKT_NOT_TUNNEL] = 7;
    dp.parse.n[MOB_PKT_OK] = 90;
    dp.parse.n[MOB_PKT_ERR_TRUNC_UDP] = 2;
    dp.parse.n[MOB_PKT_ERR_BAD_IPV4_CSUM] = 1;
    dp.announcements = 5;
    dp.hits = 60;
    dp.misses = 25;
    dp.redirected_packets = 50;
    dp.redirected_bytes = 5700;
    dp.loop_drops = 6;
    dp.fallbacks = 4;
    dp.rejected = 3;
    dp.verdicts[MOB_RD_REDIRECT] = 50;
    dp.verdicts[MOB_RD_LOOP_MARKED] = 1;
    dp.verdicts[MOB_RD_LOOP_SENDER] = 2;
    dp.verdicts[MOB_RD_LOOP_TTL] = 3;
    dp.verdicts[MOB_RD_NO_NEIGH] = 4;
    mob_ds_clear(&out);
    mob_cmd_format_stats(&out, &ts, &dp);
    snprintf(expected, sizeof expected, "%s%s", table_text, dp_text);
    CU_ASSERT_STRING_EQUAL(mob_ds_cstr(&out), expected);
    if (strcmp(mob_ds_cstr(&out), expected)) {
        printf("# got:\n%s", mob_ds_cstr(&out));
    }
    mob_ds_destroy(&out);
    mob_table_destroy(t);
}

/* Runs 'argv' on 'brs' at time 130 and checks its success and text. */
static void
check_run(const struct mob_cmd_bridge *brs, size_t n, int argc,
          const char *const argv[], bool ok, const char *expected)
{
    struct mob_ds out = MOB_DS_EMPTY_INITIALIZER;

    CU_ASSERT_EQUAL(mob_cmd_run(brs, n, argc, argv, 130, &out), ok);
    CU_ASSERT_STRING_EQUAL(mob_ds_cstr(&out), expected);
    if (strcmp(mob_ds_cstr(&out), expected)) {
        printf("# got:\n%s", mob_ds_cstr(&out));
    }
    mob_ds_destroy(&out);
}

#define CHECK_RUN(BRS, OK, EXPECTED, ...) \
    check_run(BRS, 2, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), OK, EXPECTED)

/* Commands run on named bridges change the right table and print the
 * expected text. */
static void
test_cmd_run(void)
{
    static const char br0_text[] =
        "     VNI  MAC                VTEP          Type    Origin  Seq  Age"
        "  Expires  Packets  Bytes\n"
        "       5  02:00:00:00:00:02  192.0.2.20    vxlan   static    1   30"
        "   static        0      0\n"
        "       7  02:00:00:00:00:01  2001:db8::1   geneve  ovn      42   20"
        "      280        0      0\n"
        "16777215  0a:00:00:00:00:ff  198.51.100.2  vxlan   garp      6   25"
        "   frozen        0      0\n";
    static const char br1_text[] =
        "VNI  MAC                VTEP       Type   Origin  Seq  Age  Expires"
        "  Packets  Bytes\n"
        "  9  02:00:00:00:00:09  192.0.2.9  vxlan  static    2    0   static"
        "        0      0\n";
    static const char br1_stats[] =
        "entries: 0\n"
        "frozen: 0\n"
        "learned: 1\n"
        "moved: 1\n"
        "refreshed: 1\n"
        "freezes: 0\n"
        "frozen_refused: 0\n"
        "stale_refused: 0\n"
        "full_refused: 1\n"
        "evictions: 0\n"
        "expired: 0\n"
        "deleted: 1\n";
    struct mob_table *t0 = mob_table_create(NULL);
    struct mob_table *t1 = table_make(1, 5, 180, 180);
    struct mob_redirect_stats dp;
    struct mob_cmd_bridge brs[2] = {
        { "br0", t0, NULL },
        { "br1", t1, &dp },
    };
    struct mob_ds all = MOB_DS_EMPTY_INITIALIZER;
    struct mob_eth_addr mac;
    struct mob_entry e;

    memset(&dp, 0, sizeof dp);
    dp.rx_packets = 12;

    CHECK_RUN(brs, true, "", "mobility/add", "br1", "9",
              "02:00:00:00:00:09", "2001:db8::9", "geneve");
    mob_eth_addr_parse("02:00:00:00:00:09", &mac);
    CU_ASSERT_TRUE(mob_table_lookup(t1, 9, &mac, &e));
    CU_ASSERT_EQUAL(e.origin, MOB_ORIGIN_STATIC);
    CU_ASSERT_EQUAL(e.tnl_type, MOB_TNL_GENEVE);
    CU_ASSERT_EQUAL(e.learned, 130);
    CU_ASSERT_FALSE(mob_table_lookup(t0, 9, &mac, NULL));

    /* br1 holds one entry, and it is static. */
    CHECK_RUN(brs, false, "table of bridge br1 is full of static entries\n",
              "add", "br1", "9", "02:00:00:00:00:0a", "2001:db8::9");
    CHECK_RUN(brs, true, "", "add", "br1", "9", "02:00:00:00:00:09",
              "2001:db8::9", "geneve");
    CHECK_RUN(brs, true, "replaced static entry to 2001:db8::9 (seq 1)\n",
              "add", "br1", "9", "02:00:00:00:00:09", "192.0.2.9");
    CHECK_RUN(brs, false, "no such bridge \"br2\"\n", "show", "br2");
    CHECK_RUN(brs, false, "no such bridge \"br2\"\n", "del", "br2", "9",
              "02:00:00:00:00:09");
    CHECK_RUN(brs, false, "no entry for VNI 9 MAC 02:00:00:00:00:09 on "
              "bridge br0\n", "del", "br0", "9", "02:00:00:00:00:09");
    CHECK_RUN(brs, false, "invalid VNI \"x\": expected a decimal number "
              "from 0 to 16777215\n", "del", "br0", "x", "02:00:00:00:00:09");
    CU_ASSERT_EQUAL(mob_table_count(t0), 0);

    /* The show table, with its first entry replaced then deleted. */
    fill_show_table(t0);
    CHECK_RUN(brs, true, "replaced rarp entry to 192.0.2.11 (seq 2)\n",
              "add", "br0", "5", "02:00:00:00:00:01", "192.0.2.11");
    CU_ASSERT_EQUAL(mob_table_count(t0), 4);
    CHECK_RUN(brs, true, "", "del", "br0", "5", "02:00:00:00:00:01");
    CU_ASSERT_EQUAL(mob_table_count(t0), 3);
    CHECK_RUN(brs, true, br0_text, "mobility/show", "br0");
    CHECK_RUN(brs, true, br1_text, "show", "br1");
    mob_ds_put_format(&all, "bridge br0:\n%sbridge br1:\n%s", br0_text,
                      br1_text);
    CHECK_RUN(brs, true, mob_ds_cstr(&all), "show");

    CHECK_RUN(brs, true, "bridge br0:\nflushed 3 entries\n"
              "bridge br1:\nflushed 1 entry\n", "flush");
    CHECK_RUN(brs, true, "flushed 0 entries\n", "flush", "br0");
    CU_ASSERT_EQUAL(mob_table_count(t0), 0);
    CU_ASSERT_EQUAL(mob_table_count(t1), 0);

    /* Stats: the datapath counters where the bridge has them. */
    mob_ds_clear(&all);
    mob_ds_put_format(&all, "%s%s", br1_stats,
                      "rx_packets: 12\n"
                      "tunnel_packets: 0\n"
                      "not_tunnel: 0\n"
                      "announcements: 0\n"
                      "hits: 0\n"
                      "misses: 0\n"
                      "foreign: 0\n"
                      "redirected_packets: 0\n"
                      "redirected_bytes: 0\n"
                      "loop_drops: 0\n"
                      "fallbacks: 0\n"
                      "rejected: 0\n"
                      "verdict_loop_marked: 0\n"
                      "verdict_loop_sender: 0\n"
                      "verdict_loop_self: 0\n"
                      "verdict_loop_ttl: 0\n"
                      "verdict_af_mismatch: 0\n"
                      "verdict_no_neigh: 0\n"
                      "verdict_no_room: 0\n");
    CHECK_RUN(brs, true, mob_ds_cstr(&all), "stats", "br1");
    CU_ASSERT_EQUAL(strncmp(mob_ds_cstr(&all), "entries: 0\n", 11), 0);
    mob_ds_destroy(&all);
    mob_table_destroy(t0);
    mob_table_destroy(t1);
}

/* The single-table entry point runs commands on bridge br0 and
 * truncates its output to the buffer. */
static void
test_cmd_execute(void)
{
    static const char long_text[] = "bridge br0:\nVNI  MAC  VTEP  Type  "
        "Origin  Seq  Age  Expires  Packets  Bytes\n";
    struct mob_table *t = mob_table_create(NULL);
    char add[] = "add", br0[] = "br0", vni[] = "77";
    char mac[] = "02:00:00:00:00:77", vtep[] = "192.0.2.77";
    char del[] = "mobility/del", show[] = "show", br1[] = "br1";
    char *argv_add[] = { add, br0, vni, mac, vtep };
    char *argv_del[] = { del, br0, vni, mac };
    char *argv_show[] = { show };
    char *argv_show1[] = { show, br1 };
    char out[256], small[8];
    struct mob_eth_addr m;

    CU_ASSERT_TRUE(mob_cmd_execute(t, 5, argv_add, 10, out, sizeof out));
    CU_ASSERT_STRING_EQUAL(out, "");
    mob_eth_addr_parse(mac, &m);
    CU_ASSERT_TRUE(mob_table_lookup(t, 77, &m, NULL));
    CU_ASSERT_TRUE(mob_cmd_execute(t, 4, argv_del, 10, out, sizeof out));
    CU_ASSERT_FALSE(mob_table_lookup(t, 77, &m, NULL));
    CU_ASSERT_FALSE(mob_cmd_execute(t, 4, argv_del, 10, out, sizeof out));
    CU_ASSERT_STRING_EQUAL(out, "no entry for VNI 77 MAC "
                           "02:00:00:00:00:77 on bridge br0\n");
    CU_ASSERT_FALSE(mob_cmd_execute(t, 2, argv_show1, 10, out, sizeof out));
    CU_ASSERT_STRING_EQUAL(out, "no such bridge \"br1\"\n");

    CU_ASSERT_TRUE(mob_cmd_execute(t, 1, argv_show, 10, out, sizeof out));
    CU_ASSERT_STRING_EQUAL(out, long_text);
    /* Truncated to the buffer, and still terminated. */
    memset(small, 'x', sizeof small);
    CU_ASSERT_TRUE(mob_cmd_execute(t, 1, argv_show, 10, small,
                                   sizeof small));
    CU_ASSERT_STRING_EQUAL(small, "bridge ");
    mob_table_destroy(t);
}

/* The growable string grows, clears and terminates. */
static void
test_ds(void)
{
    struct mob_ds ds;
    char big[1000];

    mob_ds_init(&ds);
    CU_ASSERT_STRING_EQUAL(mob_ds_cstr(&ds), "");
    mob_ds_put_cstr(&ds, "");
    CU_ASSERT_STRING_EQUAL(mob_ds_cstr(&ds), "");
    mob_ds_put_char(&ds, 'a');
    mob_ds_put_format(&ds, "%d-%s", 42, "x");
    CU_ASSERT_STRING_EQUAL(mob_ds_cstr(&ds), "a42-x");
    CU_ASSERT_EQUAL(ds.length, 5);

    memset(big, 'z', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    mob_ds_put_format(&ds, "%s|", big);
    CU_ASSERT_EQUAL(ds.length, 5 + 999 + 1);
    CU_ASSERT_EQUAL(strncmp(mob_ds_cstr(&ds), "a42-xzzz", 8), 0);
    CU_ASSERT_EQUAL(mob_ds_cstr(&ds)[1004], '|');
    CU_ASSERT_EQUAL(mob_ds_cstr(&ds)[1005], '\0');

    mob_ds_clear(&ds);
    CU_ASSERT_STRING_EQUAL(mob_ds_cstr(&ds), "");
    mob_ds_put_cstr(&ds, "b");
    CU_ASSERT_STRING_EQUAL(mob_ds_cstr(&ds), "b");
    mob_ds_destroy(&ds);
    CU_ASSERT_STRING_EQUAL(mob_ds_cstr(&ds), "");
}

/* Registers the table and cmd suites. */
void
test_table_register(void)
{
    static const struct {
        const char *suite;
        const char *name;
        void (*func)(void);
    } tests[] = {
        { "table", "origin and result names", test_names },
        { "table", "learn and lookup", test_learn_lookup },
        { "table", "move, automatic sequence", test_move_auto_seq },
        { "table", "move, explicit sequence", test_move_explicit_seq },
        { "table", "refresh", test_refresh },
        { "table", "expiry", test_expiry },
        { "table", "static entries", test_static },
        { "table", "flap freeze and release", test_flap_freeze },
        { "table", "moves outside the flap window", test_flap_window },
        { "table", "delete and static clear a freeze", test_freeze_cleared },
        { "table", "eviction order", test_eviction_lru },
        { "table", "eviction keeps static, full", test_eviction_static },
        { "table", "delete", test_delete },
        { "table", "flush", test_flush },
        { "table", "foreach", test_foreach },
        { "table", "stats", test_stats },
        { "table", "reconfigure", test_reconfigure },
        { "table", "invalid input changes nothing", test_invalid },
        { "table", "hit counters", test_hits },
        { "table", "memory per entry", test_memory },
        { "table", "churn against a model", test_churn },
        { "table", "concurrent readers and writer", test_stress },
        { "cmd", "parse good arguments", test_cmd_parse_good },
        { "cmd", "parse bad arguments", test_cmd_parse_bad },
        { "cmd", "show format", test_cmd_show },
        { "cmd", "stats format", test_cmd_stats },
        { "cmd", "run on bridges", test_cmd_run },
        { "cmd", "single-table execute", test_cmd_execute },
        { "cmd", "growable string", test_ds },
    };
    CU_pSuite suite = NULL;
    const char *suite_name = NULL;

    for (size_t i = 0; i < sizeof tests / sizeof *tests; i++) {
        if (!suite_name || strcmp(suite_name, tests[i].suite)) {
            suite_name = tests[i].suite;
            suite = CU_add_suite(suite_name, NULL, NULL);
        }
        CU_add_test(suite, tests[i].name, tests[i].func);
    }
}
