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

#ifndef MOB_TABLE_INLINE_H
#define MOB_TABLE_INLINE_H 1

/* The mobility table's reader fast path, inline
 * =============================================
 *
 * Private to libmobility: mob-table.c and the burst loop of mob-redirect.c
 * include it; nothing outside lib/ may (it pulls in <stdatomic.h>, which
 * Open vSwitch's own atomics must not meet, and it exposes the table's
 * layout).
 *
 * lib/ is built without link-time optimisation, so every call from
 * mob-redirect.c into mob-table.c is a real call, and a burst makes five
 * of them per packet (hash, two prefetches, lookup, hit count), each too
 * small to be worth its call.  This header holds the table's layout and
 * those reader functions as 'static inline', so that the burst loop
 * compiles them in place.  The public functions of mob-table.h
 * (mob_table_key_init(), mob_table_lookup_vtep(), ...) are these same
 * functions, so there is one implementation of each; the design (seqlock
 * entries, the index counter, the hit cache) is described in mob-table.h
 * and at the top of mob-table.c. */

#include <assert.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "mob-table.h"

/* 'vni_meta' word. */
#define META_VNI_MASK 0x00ffffffu
#define META_TYPE_SHIFT 24              /* 2 bits: enum mob_tnl_type. */
#define META_ORIGIN_SHIFT 26            /* 3 bits: enum mob_origin. */
#define META_FROZEN (1u << 29)
#define META_LIVE (1u << 31)

/* 'mac_moves' word. */
#define MAC_MASK 0xffffffffffffull
#define MOVES_SHIFT 48
#define MOVES_MAX 0xffffu

/* The compiler keeps the lookup out of line in the burst loop, where it
 * runs once per packet and its call costs more than its body: force it
 * in line there. */
#if defined(__GNUC__)
#define MOB_TABLE_ALWAYS_INLINE __attribute__((always_inline))
#else
#define MOB_TABLE_ALWAYS_INLINE
#endif

#define RELAXED_LOAD(OBJ) atomic_load_explicit(OBJ, memory_order_relaxed)
#define RELAXED_STORE(OBJ, VALUE) \
    atomic_store_explicit(OBJ, VALUE, memory_order_relaxed)

/* One table entry: one cache line. */
struct mob_tentry {
    _Atomic uint32_t seqcnt;    /* Odd while the writer changes the entry. */
    _Atomic uint32_t vni_meta;  /* VNI, type, origin, META_* flags. */
    _Atomic uint64_t mac_moves; /* MAC (low 48 bits), flap moves. */
    _Atomic uint64_t vtep[2];   /* struct in6_addr, as two words. */
    _Atomic uint32_t seq;       /* Move sequence number. */
    _Atomic uint32_t learned;   /* Time of last learn or refresh. */
    _Atomic uint32_t expires;   /* Expiry, release time, or 0 if static. */
    uint32_t window_start;      /* Start of the flap window (writer). */
    _Atomic uint64_t hit_packets;
    _Atomic uint64_t hit_bytes; /* On the line that the lookup has just
                                 * read, so that counting a hit misses no
                                 * other cache line. */
};

static_assert(sizeof(struct mob_tentry) == 64,
              "a table entry must be one cache line");
static_assert(ATOMIC_LLONG_LOCK_FREE == 2,
              "readers need lock-free 64-bit atomics");
static_assert(MOB_N_ORIGINS <= 8, "origin must fit 3 bits");
static_assert(MOB_TNL_GENEVE < 4, "tunnel type must fit 2 bits");

/* A list of entries, linked through their 'struct te_link's. */
struct te_list {
    uint32_t head, tail;
};

/* An entry's list links, in an array of their own beside the entries:
 * only the writer uses them. */
struct te_link {
    uint32_t prev, next;
};

struct mob_table {
    /* What readers use, never written after creation. */
    struct mob_tentry *entries;     /* 'max_entries' entries. */
    _Atomic uint64_t *slots;        /* 'mask' + 1 slots. */
    uint32_t mask;                  /* Number of slots minus one. */
    uint32_t max_entries;
    uint64_t seed;                  /* Hash seed. */

    /* Read by readers, written by deletions: on a cache line of its own,
     * so that deletions do not evict the line above. */
    alignas(64) _Atomic uint32_t index_seq; /* Odd while a deletion moves
                                             * slots. */

    /* The writer's state, on its own cache lines. */
    alignas(64) pthread_mutex_t mutex;
    struct te_link *links;          /* One per entry. */
    _Atomic uint32_t n_entries;     /* Also read by mob_table_count(). */
    uint32_t n_frozen;
    uint32_t n_used;                /* Entries [0, n_used) were used. */
    uint32_t free_head;             /* Free list through 'next'. */
    struct te_list lru;             /* Dynamic, not frozen. */
    struct te_list frozen;          /* Frozen, in release order. */
    struct te_list statics;         /* Static. */
    struct mob_table_config cfg;
    struct mob_table_stats stats;   /* Except n_entries and n_frozen. */
    size_t entries_size;            /* Bytes mapped at 'entries'. */
    size_t slots_size;              /* Bytes mapped at 'slots'. */
    size_t links_size;              /* Bytes mapped at 'links'. */
};

/* The murmur3 64-bit finalizer: a fast bijective mix of all 64 bits. */
static inline uint64_t
mob_table_mix64_(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}

/* Returns 'mac' packed into the low 48 bits of an integer. */
static inline uint64_t
mob_table_mac_pack_(const struct mob_eth_addr *mac)
{
    const uint8_t *b = mac->ea;

    return ((uint64_t) b[0] | (uint64_t) b[1] << 8 | (uint64_t) b[2] << 16
            | (uint64_t) b[3] << 24 | (uint64_t) b[4] << 32
            | (uint64_t) b[5] << 40);
}

/* Returns the 32-bit signature of key ('vni', packed 'mac') in 'table'. */
static inline uint32_t
mob_table_key_sig_(const struct mob_table *table, uint32_t vni, uint64_t mac)
{
    uint64_t h = mob_table_mix64_(mac ^ table->seed) ^ vni;

    return (h * 0x9e3779b97f4a7c15ull) >> 32;
}

/* Hashes ('vni', 'mac') for 'table' into '*key'. */
static inline void
mob_table_key_init_inline(const struct mob_table *table, uint32_t vni,
                          const struct mob_eth_addr *mac,
                          struct mob_table_key *key)
{
    key->mac = mob_table_mac_pack_(mac);
    key->vni = vni;
    key->sig = mob_table_key_sig_(table, vni, key->mac);
}

/* Prefetches the home slot of 'key' in 'table'. */
static inline void
mob_table_prefetch_slot_inline(const struct mob_table *table,
                               const struct mob_table_key *key)
{
    __builtin_prefetch(&table->slots[key->sig & table->mask]);
}

/* How many slots of a key's probe run mob_table_prefetch_entry_inline()
 * looks at in a table of at least MOB_TABLE_PREFETCH_DEEP_SLOTS slots: at
 * most half full, linear probing finds a key in 1.5 slots on average, but
 * a third of keys are not in their home slot.  A smaller table (an index
 * of 512 kB or less) most likely sits in the cache, and its entries are
 * not prefetched at all: walking the run to an unpredictable end cost a
 * branch misprediction for most misses, and even reading only the home
 * slot made the prefetch loop wait for the slot that the classify stage
 * had just prefetched (1k entries: 8 cycles a packet, more than the
 * entry's L2 latency, which the out-of-order core overlaps anyway). */
#define MOB_TABLE_PREFETCH_PROBE 4
#define MOB_TABLE_PREFETCH_DEEP_SLOTS (1u << 16)

/* Returns true if prefetching entries of 'table' pays (see
 * MOB_TABLE_PREFETCH_PROBE): a burst loop may skip its prefetch pass
 * otherwise. */
static inline bool
mob_table_prefetch_entries_pays_inline(const struct mob_table *table)
{
    return table->mask >= MOB_TABLE_PREFETCH_DEEP_SLOTS - 1;
}

/* Prefetches the entry that the first slot with the signature of 'key' in
 * its probe run names, in a large table only (see
 * MOB_TABLE_PREFETCH_PROBE).  A hint: a slot that changes meanwhile only
 * wastes a prefetch. */
static inline void
mob_table_prefetch_entry_inline(const struct mob_table *table,
                                const struct mob_table_key *key)
{
    uint32_t pos = key->sig & table->mask;

    if (!mob_table_prefetch_entries_pays_inline(table)) {
        return;
    }
    for (int n = 0; n < MOB_TABLE_PREFETCH_PROBE; n++) {
        uint64_t slot = RELAXED_LOAD(&table->slots[pos]);

        if (!slot) {
            return;
        }
        if ((uint32_t) (slot >> 32) == key->sig) {
            __builtin_prefetch(&table->entries[(uint32_t) slot - 1]);
            return;
        }
        pos = (pos + 1) & table->mask;
    }
}

/* Reader: if entry 'idx' of 'table' is live with the key of 'key', stores
 * a consistent snapshot of its VTEP in '*vtep' and returns true; otherwise
 * returns false.  The seqlock read of mob_table_lookup(), on fewer
 * fields. */
static inline bool MOB_TABLE_ALWAYS_INLINE
mob_table_entry_read_vtep_(const struct mob_table *table, uint32_t idx,
                           const struct mob_table_key *key,
                           struct in6_addr *vtep)
{
    struct mob_tentry *e = &table->entries[idx];

    for (;;) {
        uint32_t s1 = atomic_load_explicit(&e->seqcnt, memory_order_acquire);
        uint32_t meta = RELAXED_LOAD(&e->vni_meta);
        uint64_t mac_moves = RELAXED_LOAD(&e->mac_moves);
        uint64_t w[2];

        if (!(meta & META_LIVE) || (meta & META_VNI_MASK) != key->vni
            || (mac_moves & MAC_MASK) != key->mac) {
            return false;
        }
        w[0] = RELAXED_LOAD(&e->vtep[0]);
        w[1] = RELAXED_LOAD(&e->vtep[1]);
        atomic_thread_fence(memory_order_acquire);
        if (!(s1 & 1) && RELAXED_LOAD(&e->seqcnt) == s1) {
            memcpy(vtep, w, sizeof *vtep);
            return true;
        }
    }
}

/* Looks up 'key' in 'table' without locking, as mob_table_lookup() does.
 * On a hit stores the VTEP in '*vtep' and the entry number in '*id' and
 * returns true; returns false on a miss. */
static inline bool MOB_TABLE_ALWAYS_INLINE
mob_table_lookup_vtep_inline(const struct mob_table *table,
                             const struct mob_table_key *key,
                             struct in6_addr *vtep, uint32_t *id)
{
    /* Atomic loads want a pointer to non-const. */
    _Atomic uint32_t *index_seq = &((struct mob_table *) table)->index_seq;
    uint32_t mask = table->mask;

    for (;;) {
        uint32_t iseq = atomic_load_explicit(index_seq,
                                             memory_order_acquire);
        uint32_t pos = key->sig & mask;

        /* The index is never more than half full, so a probe ends at an
         * empty slot; the bound only guards against a writer that keeps
         * changing the run under a slow reader. */
        for (uint32_t n = 0; n <= mask; n++) {
            uint64_t slot = atomic_load_explicit(&table->slots[pos],
                                                 memory_order_acquire);

            if (!slot) {
                break;
            }
            if ((uint32_t) (slot >> 32) == key->sig
                && mob_table_entry_read_vtep_(table, (uint32_t) slot - 1,
                                              key, vtep)) {
                *id = (uint32_t) slot - 1;
                return true;
            }
            pos = (pos + 1) & mask;
        }

        /* A miss counts only if no deletion moved slots meanwhile. */
        atomic_thread_fence(memory_order_acquire);
        if (!(iseq & 1) && RELAXED_LOAD(index_seq) == iseq) {
            return false;
        }
    }
}

/* Adds one hit of 'bytes' bytes straight to entry 'id' (less than
 * table->max_entries) of 'table' if it is still live with the key of
 * 'key'.  A lookup of 'key' returned the entry moments ago, so its cache
 * line, which holds the counters, is most likely still at hand. */
static inline void
mob_table_hits_credit_now_(struct mob_table *table,
                           const struct mob_table_key *key, uint32_t id,
                           uint32_t bytes)
{
    struct mob_tentry *e = &table->entries[id];
    uint32_t meta = RELAXED_LOAD(&e->vni_meta);
    uint64_t mac = RELAXED_LOAD(&e->mac_moves) & MAC_MASK;

    if (meta & META_LIVE && (meta & META_VNI_MASK) == key->vni
        && mac == key->mac) {
        atomic_fetch_add_explicit(&e->hit_packets, 1, memory_order_relaxed);
        atomic_fetch_add_explicit(&e->hit_bytes, bytes,
                                  memory_order_relaxed);
    }
}

/* Records one hit of 'bytes' bytes on entry 'id' of 'table', which a
 * lookup of 'key' returned, in 'hits', as mob_table_hits_add() does.  The
 * common cases, another hit on the entry that the slot already counts and
 * a hit whose slot another entry holds (which goes straight to the
 * table), are inline; the rest is mob_table_hits_add()'s. */
static inline void
mob_table_hits_add_inline(struct mob_table_hits *hits,
                          struct mob_table *table,
                          const struct mob_table_key *key, uint32_t id,
                          uint32_t bytes)
{
    uint32_t slot = id & (MOB_TABLE_HITS_SIZE - 1);
    uint32_t holder = hits->id[slot];

    if (hits->table == table && id < table->max_entries) {
        if (holder == id && hits->sig[slot] == key->sig
            && hits->packets[slot] != UINT32_MAX) {
            hits->packets[slot]++;
            hits->bytes[slot] += bytes;
            return;
        } else if (holder != id && holder != UINT32_MAX) {
            mob_table_hits_credit_now_(table, key, id, bytes);
            return;
        }
    }
    mob_table_hits_add(hits, table, key, id, bytes);
}

#endif /* mob-table-inline.h */
