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
#include "mob-table.h"
#include "mob-table-inline.h"

#include <assert.h>
#include <errno.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

/* Implementation notes
 * ====================
 *
 * Entries
 * -------
 *
 * 'struct mob_tentry' (its layout, with the table's, is in
 * mob-table-inline.h, for the inline readers) is one cache line.  The
 * fields that readers read are C11 atomics, written by the one writer
 * (under the table mutex) with relaxed stores between two increments of
 * the entry's 'seqcnt', and read with relaxed loads between two reads of
 * it (the seqlock pattern of
 * H.-J. Boehm, "Can seqlocks get along with programming language memory
 * models?", 2012).  The hit counters, which readers add to with atomic
 * additions, are on the same line, so that counting a hit touches only the
 * line that the lookup has just read.  The start of the flap window, which
 * only the writer touches, is plain; so are the list links, also the
 * writer's alone, kept in an array of their own ('struct te_link') to leave
 * room for the counters.  To fit 64 bytes, the VNI shares a
 * word with the tunnel type, the origin and two flags, and the MAC shares
 * one with the flap move count (16 bits, which is why flap_moves may not
 * exceed 65535).
 *
 * A key's VNI and MAC bits never change while its entry is live: moves and
 * refreshes rewrite those words with the same key bits.  So a reader that
 * reads a key that differs from the one it looks for knows, torn read or
 * not, that the entry is not the live entry of its key, and moves on
 * without checking the counter.
 *
 * Index
 * -----
 *
 * Open addressing with linear probing over a power-of-two number of 8-byte
 * slots, at least twice 'max_entries', so never more than half full (a
 * small table gets up to eight times as many, see 'sparse_slots' in
 * mob-table.h: at half load a lookup's probe run has a length that the
 * branch predictor cannot guess, which cost a 1k table's burst path about
 * 10 cycles a packet on a hit and 20 on a miss).  A
 * slot is 0 when empty, else the key's 32-bit signature in the high half
 * and the entry number plus one in the low half.  A key's home slot is its
 * signature masked by the capacity, so the writer can tell a slot's home
 * without reading its entry, which keeps deletion to the index alone.
 * Deletion shifts later slots of the run back (Knuth's algorithm R) and is
 * bracketed by the index's own sequence counter; see mob-table.h.
 *
 * The signature is a murmur3 finalizer of the MAC xored with a per-table
 * random seed, xored with the VNI and multiplied by an odd constant: keys
 * that collide do so for one seed only, so a flood of chosen MACs cannot
 * build long probe runs in every table.
 *
 * Lists
 * -----
 *
 * Each entry is on exactly one of three lists, linked by entry number:
 *
 *   - 'lru': dynamic entries that are not frozen, least recently learned,
 *     refreshed or released first.  With one grace time every entry's
 *     expiry is its position's time plus that grace, so the list is also
 *     in expiry order and mob_table_age() sweeps it from the head.  It is
 *     also the eviction order.
 *
 *   - 'frozen': frozen entries, in order of freezing, which with one
 *     freeze time is their release order.  A frozen entry keeps its place
 *     here (its release time) when it is refreshed.  Frozen entries are
 *     evicted only when no unfrozen dynamic entry is left: evicting one
 *     would lift the flap protection that froze it.
 *
 *   - 'statics': entries from the operator, never aged nor evicted; the
 *     list only serves iteration and flushing.
 *
 * A released entry goes to the tail of 'lru' with a fresh grace time from
 * its release: its release is the moment it can follow its MAC again, and
 * a released entry must not jump the expiry order of the list.
 *
 * After mob_table_reconfigure() shortens the grace time, entries learned
 * afterwards sit behind older ones with later expiries: they expire when
 * the sweep reaches them, late but never early.  A longer grace time keeps
 * the order. */

/* The list terminator and "no entry". */
#define TE_NIL UINT32_MAX

/* Returns the name of 'origin'. */
const char *
mob_origin_to_string(enum mob_origin origin)
{
    switch (origin) {
    case MOB_ORIGIN_RARP:
        return "rarp";
    case MOB_ORIGIN_GARP:
        return "garp";
    case MOB_ORIGIN_NA:
        return "na";
    case MOB_ORIGIN_OVN:
        return "ovn";
    case MOB_ORIGIN_STATIC:
        return "static";
    case MOB_N_ORIGINS:
    default:
        return "unknown";
    }
}

/* Parses 's' as an origin name into '*origin'.  Returns true if
 * successful, false (with '*origin' unchanged) otherwise. */
bool
mob_origin_from_string(const char *s, enum mob_origin *origin)
{
    for (int i = 0; i < MOB_N_ORIGINS; i++) {
        if (!strcmp(s, mob_origin_to_string(i))) {
            *origin = i;
            return true;
        }
    }
    return false;
}

/* Returns a short name for 'result'. */
const char *
mob_learn_result_to_string(enum mob_learn_result result)
{
    switch (result) {
    case MOB_LEARN_NEW:
        return "new";
    case MOB_LEARN_MOVED:
        return "moved";
    case MOB_LEARN_REFRESHED:
        return "refreshed";
    case MOB_LEARN_FREEZE:
        return "freeze";
    case MOB_LEARN_FROZEN:
        return "frozen";
    case MOB_LEARN_STALE:
        return "stale";
    case MOB_LEARN_FULL:
        return "full";
    case MOB_LEARN_INVALID:
        return "invalid";
    default:
        return "unknown";
    }
}

/* Fills '*cfg' with the default configuration. */
void
mob_table_config_init(struct mob_table_config *cfg)
{
    cfg->max_entries = MOB_TABLE_DEFAULT_MAX;
    cfg->grace_time = MOB_TABLE_DEFAULT_GRACE_TIME;
    cfg->flap_moves = MOB_TABLE_DEFAULT_FLAP_MOVES;
    cfg->flap_window = MOB_TABLE_DEFAULT_FLAP_WINDOW;
    cfg->freeze_time = MOB_TABLE_DEFAULT_FREEZE_TIME;
    cfg->sparse_slots = MOB_TABLE_DEFAULT_SPARSE_SLOTS;
}

/* Returns true if 'cfg' is a valid configuration: 1 to
 * MOB_TABLE_MAX_ENTRIES entries, a nonzero grace time, at most
 * MOB_TABLE_MAX_SPARSE_SLOTS sparse slots and, if flap protection is on,
 * at most 65535 moves and nonzero window and freeze time. */
static bool
config_is_valid(const struct mob_table_config *cfg)
{
    return (cfg->max_entries >= 1
            && cfg->max_entries <= MOB_TABLE_MAX_ENTRIES
            && cfg->grace_time >= 1
            && cfg->sparse_slots <= MOB_TABLE_MAX_SPARSE_SLOTS
            && (!cfg->flap_moves
                || (cfg->flap_moves <= MOVES_MAX
                    && cfg->flap_window >= 1
                    && cfg->freeze_time >= 1)));
}

/* Returns the MAC that mob_table_mac_pack_() packed into 'x'. */
static inline struct mob_eth_addr
mac_unpack(uint64_t x)
{
    struct mob_eth_addr mac;

    for (int i = 0; i < MOB_ETH_ADDR_LEN; i++) {
        mac.ea[i] = x >> (8 * i);
    }
    return mac;
}

/* Returns a hash seed that differs from table to table and run to run. */
static uint64_t
table_seed(const void *table)
{
    static _Atomic uint64_t counter;
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return mob_table_mix64_(((uint64_t) ts.tv_sec << 32)
                            ^ (uint64_t) ts.tv_nsec
                            ^ (uint64_t) (uintptr_t) table
                            ^ atomic_fetch_add(&counter,
                                               0x9e3779b97f4a7c15ull));
}

/* Returns 'a' + 'b', or UINT32_MAX if that overflows. */
static inline uint32_t
time_add(uint32_t a, uint32_t b)
{
    return a > UINT32_MAX - b ? UINT32_MAX : a + b;
}

/* Returns true if 'mac' can be the MAC of an entry. */
bool
mob_table_mac_is_valid(const struct mob_eth_addr *mac)
{
    return !mob_eth_addr_is_multicast(mac) && !mob_eth_addr_is_zero(mac);
}

/* Returns true if 'vtep' can be a VTEP: not unspecified, not multicast,
 * not in IPv4 240.0.0.0/4. */
bool
mob_table_vtep_is_valid(const struct in6_addr *vtep)
{
    if (mob_ip_is_v4(vtep)) {
        const uint8_t *a = &vtep->s6_addr[12];

        return (a[0] | a[1] | a[2] | a[3]) && a[0] < 224;
    }
    return !mob_ip_is_zero(vtep) && vtep->s6_addr[0] != 0xff;
}

/* Returns true if 'req' is a valid learn request: VNI of 24 bits, valid
 * MAC and VTEP, known tunnel type and origin. */
static bool
learn_is_valid(const struct mob_learn *req)
{
    return (req->vni <= MOB_TABLE_MAX_VNI
            && mob_table_mac_is_valid(&req->mac)
            && mob_table_vtep_is_valid(&req->vtep)
            && (unsigned int) req->tnl_type <= MOB_TNL_GENEVE
            && (unsigned int) req->origin < MOB_N_ORIGINS);
}

/* Returns the 'vni_meta' word for the given fields. */
static inline uint32_t
meta_make(uint32_t vni, enum mob_tnl_type type, enum mob_origin origin,
          bool frozen)
{
    return (vni | (uint32_t) type << META_TYPE_SHIFT
            | (uint32_t) origin << META_ORIGIN_SHIFT
            | (frozen ? META_FROZEN : 0) | META_LIVE);
}

/* Returns the origin in 'meta'. */
static inline enum mob_origin
meta_origin(uint32_t meta)
{
    return (meta >> META_ORIGIN_SHIFT) & 7;
}

/* Converts the words of an entry, whose MAC is 'mac', into '*out'. */
static inline void
entry_unpack(uint32_t meta, uint64_t mac_moves, uint64_t vtep0,
             uint64_t vtep1, uint32_t seq, uint32_t learned,
             uint32_t expires, uint64_t packets, uint64_t bytes,
             uint32_t idx, const struct mob_eth_addr *mac,
             struct mob_entry *out)
{
    uint64_t vtep[2] = { vtep0, vtep1 };

    out->vni = meta & META_VNI_MASK;
    out->mac = *mac;
    memcpy(&out->vtep, vtep, sizeof out->vtep);
    out->tnl_type = (meta >> META_TYPE_SHIFT) & 3;
    out->origin = meta_origin(meta);
    out->seq = seq;
    out->frozen = (meta & META_FROZEN) != 0;
    out->learned = learned;
    out->expires = expires;
    out->moves = mac_moves >> MOVES_SHIFT;
    out->hit_packets = packets;
    out->hit_bytes = bytes;
    out->id = idx;
}

/* Reader: if entry 'idx' of 'table' is live with key ('vni', 'mac_'),
 * which packs to 'mac', copies a consistent snapshot of it to '*out' (if
 * nonnull) and returns true; otherwise returns false. */
static inline bool
entry_read(const struct mob_table *table, uint32_t idx, uint32_t vni,
           const struct mob_eth_addr *mac_, uint64_t mac,
           struct mob_entry *out)
{
    struct mob_tentry *e = &table->entries[idx];

    for (;;) {
        uint32_t s1 = atomic_load_explicit(&e->seqcnt, memory_order_acquire);
        uint32_t meta = RELAXED_LOAD(&e->vni_meta);
        uint64_t mac_moves = RELAXED_LOAD(&e->mac_moves);

        if (!(meta & META_LIVE) || (meta & META_VNI_MASK) != vni
            || (mac_moves & MAC_MASK) != mac) {
            /* Not this key's live entry, however torn (see the notes at
             * the top of this file). */
            return false;
        }
        if (!out) {
            return true;
        }

        uint64_t vtep0 = RELAXED_LOAD(&e->vtep[0]);
        uint64_t vtep1 = RELAXED_LOAD(&e->vtep[1]);
        uint32_t seq = RELAXED_LOAD(&e->seq);
        uint32_t learned = RELAXED_LOAD(&e->learned);
        uint32_t expires = RELAXED_LOAD(&e->expires);
        uint64_t packets = RELAXED_LOAD(&e->hit_packets);
        uint64_t bytes = RELAXED_LOAD(&e->hit_bytes);

        atomic_thread_fence(memory_order_acquire);
        if (!(s1 & 1) && RELAXED_LOAD(&e->seqcnt) == s1) {
            entry_unpack(meta, mac_moves, vtep0, vtep1, seq, learned,
                         expires, packets, bytes, idx, mac_, out);
            return true;
        }
    }
}

/* Writer: copies entry 'idx' of 'table' to '*out'. */
static void
entry_snapshot(const struct mob_table *table, uint32_t idx,
               struct mob_entry *out)
{
    struct mob_tentry *e = &table->entries[idx];
    struct mob_eth_addr mac = mac_unpack(RELAXED_LOAD(&e->mac_moves));

    entry_unpack(RELAXED_LOAD(&e->vni_meta), RELAXED_LOAD(&e->mac_moves),
                 RELAXED_LOAD(&e->vtep[0]), RELAXED_LOAD(&e->vtep[1]),
                 RELAXED_LOAD(&e->seq), RELAXED_LOAD(&e->learned),
                 RELAXED_LOAD(&e->expires), RELAXED_LOAD(&e->hit_packets),
                 RELAXED_LOAD(&e->hit_bytes), idx, &mac, out);
}

/* Writer: makes sequence counter '*seq' odd, so that readers that read
 * what it guards retry.  One writer at a time (the table's mutex). */
static inline void
seq_write_begin(_Atomic uint32_t *seq)
{
    uint32_t s = RELAXED_LOAD(seq);

    RELAXED_STORE(seq, s + 1);
    atomic_thread_fence(memory_order_release);
}

/* Writer: makes '*seq' even again, publishing what changed since
 * seq_write_begin(). */
static inline void
seq_write_end(_Atomic uint32_t *seq)
{
    uint32_t s = RELAXED_LOAD(seq);

    atomic_store_explicit(seq, s + 1, memory_order_release);
}

/* Writer: marks 'e' as changing (its counter odd), so that readers
 * retry. */
static inline void
entry_write_begin(struct mob_tentry *e)
{
    seq_write_begin(&e->seqcnt);
}

/* Writer: publishes the changes made to 'e' since entry_write_begin(). */
static inline void
entry_write_end(struct mob_tentry *e)
{
    seq_write_end(&e->seqcnt);
}

/* Writer: stores 'vtep' into 'e'. */
static inline void
entry_set_vtep(struct mob_tentry *e, const struct in6_addr *vtep)
{
    uint64_t w[2];

    memcpy(w, vtep, sizeof w);
    RELAXED_STORE(&e->vtep[0], w[0]);
    RELAXED_STORE(&e->vtep[1], w[1]);
}

/* Returns true if 'e' points to 'vtep'. */
static inline bool
entry_vtep_equals(struct mob_tentry *e, const struct in6_addr *vtep)
{
    uint64_t w[2];

    memcpy(w, vtep, sizeof w);
    return (RELAXED_LOAD(&e->vtep[0]) == w[0]
            && RELAXED_LOAD(&e->vtep[1]) == w[1]);
}

/* Appends entry 'idx' to 'list'. */
static void
list_push_back(struct mob_table *table, struct te_list *list, uint32_t idx)
{
    struct te_link *e = &table->links[idx];

    e->prev = list->tail;
    e->next = TE_NIL;
    if (list->tail != TE_NIL) {
        table->links[list->tail].next = idx;
    } else {
        list->head = idx;
    }
    list->tail = idx;
}

/* Removes entry 'idx' from 'list'. */
static void
list_remove(struct mob_table *table, struct te_list *list, uint32_t idx)
{
    struct te_link *e = &table->links[idx];

    if (e->prev != TE_NIL) {
        table->links[e->prev].next = e->next;
    } else {
        list->head = e->next;
    }
    if (e->next != TE_NIL) {
        table->links[e->next].prev = e->prev;
    } else {
        list->tail = e->prev;
    }
}

/* Returns the list that entry 'idx' is on. */
static struct te_list *
entry_list(struct mob_table *table, uint32_t idx)
{
    uint32_t meta = RELAXED_LOAD(&table->entries[idx].vni_meta);

    if (meta_origin(meta) == MOB_ORIGIN_STATIC) {
        return &table->statics;
    }
    return meta & META_FROZEN ? &table->frozen : &table->lru;
}

/* Writer: returns the number of the live entry with key ('vni', 'mac') and
 * signature 'sig', storing its slot in '*posp', or TE_NIL if there is
 * none. */
static uint32_t
index_find(const struct mob_table *table, uint32_t vni, uint64_t mac,
           uint32_t sig, uint32_t *posp)
{
    for (uint32_t pos = sig & table->mask; ; pos = (pos + 1) & table->mask) {
        uint64_t slot = RELAXED_LOAD(&table->slots[pos]);

        if (!slot) {
            return TE_NIL;
        }
        if ((uint32_t) (slot >> 32) == sig) {
            uint32_t idx = (uint32_t) slot - 1;
            struct mob_tentry *e = &table->entries[idx];

            if ((RELAXED_LOAD(&e->vni_meta) & META_VNI_MASK) == vni
                && (RELAXED_LOAD(&e->mac_moves) & MAC_MASK) == mac) {
                *posp = pos;
                return idx;
            }
        }
    }
}

/* Writer: adds entry 'idx', whose key has signature 'sig', to the index.
 * The entry must already be complete: readers may find it at once. */
static void
index_insert(struct mob_table *table, uint32_t sig, uint32_t idx)
{
    uint32_t pos = sig & table->mask;

    while (RELAXED_LOAD(&table->slots[pos])) {
        pos = (pos + 1) & table->mask;
    }
    atomic_store_explicit(&table->slots[pos],
                          (uint64_t) sig << 32 | (idx + 1),
                          memory_order_release);
}

/* Writer: marks the index as changing, so that readers that miss retry. */
static inline void
index_write_begin(struct mob_table *table)
{
    seq_write_begin(&table->index_seq);
}

/* Writer: ends what index_write_begin() began. */
static inline void
index_write_end(struct mob_table *table)
{
    seq_write_end(&table->index_seq);
}

/* Writer: empties slot 'pos' and shifts the rest of its run back so that
 * no key is left beyond an empty slot from its home. */
static void
index_delete(struct mob_table *table, uint32_t pos)
{
    uint32_t mask = table->mask;
    uint32_t hole = pos;

    index_write_begin(table);
    for (uint32_t j = (pos + 1) & mask; ; j = (j + 1) & mask) {
        uint64_t slot = RELAXED_LOAD(&table->slots[j]);
        uint32_t home;

        if (!slot) {
            break;
        }
        /* The slot may move to the hole unless its home lies cyclically
         * in (hole, j]. */
        home = (uint32_t) (slot >> 32) & mask;
        if (((j - home) & mask) >= ((j - hole) & mask)) {
            RELAXED_STORE(&table->slots[hole], slot);
            hole = j;
        }
    }
    RELAXED_STORE(&table->slots[hole], 0);
    index_write_end(table);
}

/* Writer: removes live entry 'idx', in slot 'pos', from 'table'. */
static void
entry_remove(struct mob_table *table, uint32_t idx, uint32_t pos)
{
    struct mob_tentry *e = &table->entries[idx];
    uint32_t meta = RELAXED_LOAD(&e->vni_meta);

    index_delete(table, pos);
    list_remove(table, entry_list(table, idx), idx);
    if (meta & META_FROZEN) {
        table->n_frozen--;
    }

    entry_write_begin(e);
    RELAXED_STORE(&e->vni_meta, meta & ~(META_LIVE | META_FROZEN));
    entry_write_end(e);

    table->links[idx].next = table->free_head;
    table->free_head = idx;
    RELAXED_STORE(&table->n_entries, RELAXED_LOAD(&table->n_entries) - 1);
}

/* Writer: removes live entry 'idx' from 'table', finding its slot. */
static void
entry_remove_by_idx(struct mob_table *table, uint32_t idx)
{
    struct mob_tentry *e = &table->entries[idx];
    uint32_t vni = RELAXED_LOAD(&e->vni_meta) & META_VNI_MASK;
    uint64_t mac = RELAXED_LOAD(&e->mac_moves) & MAC_MASK;
    uint32_t pos;

    index_find(table, vni, mac, mob_table_key_sig_(table, vni, mac), &pos);
    entry_remove(table, idx, pos);
}

/* Huge page size, to which large arrays are aligned. */
#define HUGE_PAGE (2u << 20)

/* Under AddressSanitizer, arrays come from calloc(), which it guards with
 * red zones, so that tests catch any access past their ends. */
#if defined(__SANITIZE_ADDRESS__)
#define TABLE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TABLE_ASAN 1
#endif
#endif

#ifdef TABLE_ASAN
/* Allocates 'size' bytes of zeroed memory, stores 'size' in '*mapped' and
 * returns it, or NULL if memory is short. */
static void *
array_map(size_t size, size_t *mapped)
{
    *mapped = size;
    return calloc(1, size);
}

/* Frees what array_map() allocated at 'p'. */
static void
array_unmap(void *p, size_t mapped)
{
    free(p);
}
#else
/* Returns 'x' rounded up to a multiple of power of two 'align'. */
static size_t
round_up(size_t x, size_t align)
{
    return (x + align - 1) & ~(align - 1);
}

/* Maps 'size' bytes of zeroed memory, stores the length mapped in
 * '*mapped' and returns it, or NULL if memory is short.  Arrays of a huge
 * page or more are aligned to one and asked to use huge pages, which keeps
 * TLB misses off random lookups in large tables.  Pages cost nothing until
 * touched, so a table costs memory as it fills. */
static void *
array_map(size_t size, size_t *mapped)
{
    size_t len = round_up(size, 4096);
    size_t extra = len >= HUGE_PAGE ? HUGE_PAGE : 0;
    uint8_t *p, *aligned;

    p = mmap(NULL, len + extra, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        return NULL;
    }
    aligned = p;
    if (extra) {
        aligned = p + (round_up((uintptr_t) p, HUGE_PAGE) - (uintptr_t) p);
        if (aligned > p) {
            munmap(p, aligned - p);
        }
        if (aligned + len < p + len + extra) {
            munmap(aligned + len, (p + len + extra) - (aligned + len));
        }
#ifdef MADV_HUGEPAGE
        madvise(aligned, len, MADV_HUGEPAGE);
#endif
    }
    *mapped = len;
    return aligned;
}

/* Unmaps what array_map() mapped at 'p', if nonnull. */
static void
array_unmap(void *p, size_t mapped)
{
    if (p) {
        munmap(p, mapped);
    }
}
#endif

/* Frees 'table' and its arrays. */
static void
table_free(struct mob_table *table)
{
    array_unmap(table->entries, table->entries_size);
    array_unmap(table->slots, table->slots_size);
    array_unmap(table->links, table->links_size);
    free(table);
}

/* Creates and returns a table per 'cfg' (NULL: defaults), or NULL if 'cfg'
 * is invalid or memory is short. */
struct mob_table *
mob_table_create(const struct mob_table_config *cfg)
{
    struct mob_table_config defaults;
    struct mob_table *table;
    size_t n_slots;

    if (!cfg) {
        mob_table_config_init(&defaults);
        cfg = &defaults;
    }
    if (!config_is_valid(cfg)) {
        return NULL;
    }

    table = aligned_alloc(64, sizeof *table);
    if (!table) {
        return NULL;
    }
    memset(table, 0, sizeof *table);

    /* Two slots per entry at least; up to eight below 'sparse_slots'. */
    n_slots = 2;
    while (n_slots < 2 * (size_t) cfg->max_entries) {
        n_slots *= 2;
    }
    while (n_slots < 8 * (size_t) cfg->max_entries
           && n_slots < cfg->sparse_slots) {
        n_slots *= 2;
    }

    table->entries = array_map((size_t) cfg->max_entries
                               * sizeof *table->entries,
                               &table->entries_size);
    table->slots = array_map(n_slots * sizeof *table->slots,
                             &table->slots_size);
    table->links = array_map((size_t) cfg->max_entries
                             * sizeof *table->links, &table->links_size);
    if (!table->entries || !table->slots || !table->links
        || pthread_mutex_init(&table->mutex, NULL)) {
        table_free(table);
        return NULL;
    }

    table->mask = n_slots - 1;
    table->max_entries = cfg->max_entries;
    table->seed = table_seed(table);
    table->free_head = TE_NIL;
    table->lru.head = table->lru.tail = TE_NIL;
    table->frozen.head = table->frozen.tail = TE_NIL;
    table->statics.head = table->statics.tail = TE_NIL;
    table->cfg = *cfg;
    return table;
}

/* Destroys 'table', if nonnull.  No reader may be using it. */
void
mob_table_destroy(struct mob_table *table)
{
    if (table) {
        pthread_mutex_destroy(&table->mutex);
        table_free(table);
    }
}

/* Changes the times of 'table' to those in 'cfg'.  Returns 0, or EINVAL
 * (changing nothing) if 'cfg' is invalid or changes 'max_entries'. */
int
mob_table_reconfigure(struct mob_table *table,
                      const struct mob_table_config *cfg)
{
    if (!config_is_valid(cfg) || cfg->max_entries != table->max_entries) {
        return EINVAL;
    }
    pthread_mutex_lock(&table->mutex);
    table->cfg = *cfg;
    pthread_mutex_unlock(&table->mutex);
    return 0;
}

/* Looks up ('vni', 'mac') in 'table' without locking.  On a hit copies the
 * entry to '*entry' (if nonnull) and returns true; returns false on a
 * miss. */
bool
mob_table_lookup(const struct mob_table *table, uint32_t vni,
                 const struct mob_eth_addr *mac, struct mob_entry *entry)
{
    /* Atomic loads want a pointer to non-const. */
    _Atomic uint32_t *index_seq = &((struct mob_table *) table)->index_seq;
    uint64_t m = mob_table_mac_pack_(mac);
    uint32_t sig = mob_table_key_sig_(table, vni, m);
    uint32_t mask = table->mask;

    for (;;) {
        uint32_t iseq = atomic_load_explicit(index_seq,
                                             memory_order_acquire);
        uint32_t pos = sig & mask;

        /* The index is never more than half full, so a probe ends at an
         * empty slot; the bound only guards against a writer that keeps
         * changing the run under a slow reader. */
        for (uint32_t n = 0; n <= mask; n++) {
            uint64_t slot = atomic_load_explicit(&table->slots[pos],
                                                 memory_order_acquire);

            if (!slot) {
                break;
            }
            if ((uint32_t) (slot >> 32) == sig
                && entry_read(table, (uint32_t) slot - 1, vni, mac, m,
                              entry)) {
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

/* Adds a packet of 'bytes' bytes to the hit counters of entry 'id'. */
void
mob_table_hit(struct mob_table *table, uint32_t id, uint32_t bytes)
{
    if (id < table->max_entries) {
        atomic_fetch_add_explicit(&table->entries[id].hit_packets, 1,
                                  memory_order_relaxed);
        atomic_fetch_add_explicit(&table->entries[id].hit_bytes, bytes,
                                  memory_order_relaxed);
    }
}

/* Adds 'packets' packets and 'bytes' bytes to the hit counters of entry
 * 'id'. */
void
mob_table_hit_many(struct mob_table *table, uint32_t id, uint64_t packets,
                   uint64_t bytes)
{
    if (id < table->max_entries) {
        atomic_fetch_add_explicit(&table->entries[id].hit_packets, packets,
                                  memory_order_relaxed);
        atomic_fetch_add_explicit(&table->entries[id].hit_bytes, bytes,
                                  memory_order_relaxed);
    }
}

/* Hashes ('vni', 'mac') for 'table' into '*key'. */
void
mob_table_key_init(const struct mob_table *table, uint32_t vni,
                   const struct mob_eth_addr *mac, struct mob_table_key *key)
{
    mob_table_key_init_inline(table, vni, mac, key);
}

/* Prefetches the home slot of 'key' in 'table'. */
void
mob_table_prefetch_slot(const struct mob_table *table,
                        const struct mob_table_key *key)
{
    mob_table_prefetch_slot_inline(table, key);
}

/* Prefetches the entry that the home slot of 'key' names, if the slot's
 * signature is the key's. */
void
mob_table_prefetch_entry(const struct mob_table *table,
                         const struct mob_table_key *key)
{
    mob_table_prefetch_entry_inline(table, key);
}

/* Looks up 'key' in 'table' without locking, as mob_table_lookup() does.
 * On a hit stores the VTEP in '*vtep' and the entry number in '*id' and
 * returns true; returns false on a miss. */
bool
mob_table_lookup_vtep(const struct mob_table *table,
                      const struct mob_table_key *key,
                      struct in6_addr *vtep, uint32_t *id)
{
    return mob_table_lookup_vtep_inline(table, key, vtep, id);
}

/* Initialises 'hits' empty. */
void
mob_table_hits_init(struct mob_table_hits *hits)
{
    hits->table = NULL;
    hits->n_used = 0;
    for (size_t i = 0; i < MOB_TABLE_HITS_SIZE; i++) {
        hits->id[i] = UINT32_MAX;
    }
}

/* Adds the hits pending in slot 'slot' of 'hits' to its entry, if that is
 * still live with the key whose signature the slot recorded (the entry may
 * have been removed, and reused for another key, since), and empties the
 * slot's counts. */
static void
hits_flush_slot(struct mob_table_hits *hits, uint32_t slot)
{
    const struct mob_table *table = hits->table;
    const struct mob_tentry *e = &table->entries[hits->id[slot]];
    uint32_t meta = RELAXED_LOAD(&e->vni_meta);
    uint64_t mac = RELAXED_LOAD(&e->mac_moves) & MAC_MASK;

    if (meta & META_LIVE
        && mob_table_key_sig_(table, meta & META_VNI_MASK, mac)
           == hits->sig[slot]) {
        mob_table_hit_many(hits->table, hits->id[slot], hits->packets[slot],
                           hits->bytes[slot]);
    }
    hits->packets[slot] = 0;
    hits->bytes[slot] = 0;
}

/* Adds every hit pending in 'hits' to its table and empties 'hits'. */
void
mob_table_hits_flush(struct mob_table_hits *hits)
{
    for (uint32_t i = 0; i < hits->n_used; i++) {
        uint16_t slot = hits->used[i];

        hits_flush_slot(hits, slot);
        hits->id[slot] = UINT32_MAX;
    }
    hits->n_used = 0;
}

/* Records one hit of 'bytes' bytes on entry 'id' of 'table', which a
 * lookup of 'key' returned, in 'hits'.  A slot that another entry holds
 * keeps it: the hit goes straight to the table instead.  Evicting the
 * holder would cost the same two additions, on an entry long out of the
 * cache, and with more entries hit than there are slots (random keys in
 * a large table) every hit would evict one, whereas the entry just looked
 * up is at hand.  The slots are emptied by every flush, so they follow
 * the hot entries from one flush to the next. */
void
mob_table_hits_add(struct mob_table_hits *hits, struct mob_table *table,
                   const struct mob_table_key *key, uint32_t id,
                   uint32_t bytes)
{
    uint32_t slot = id & (MOB_TABLE_HITS_SIZE - 1);

    if (id >= table->max_entries) {
        return;
    }
    if (hits->table != table) {
        mob_table_hits_flush(hits);
        hits->table = table;
    }
    if (hits->id[slot] == UINT32_MAX) {
        hits->used[hits->n_used++] = slot;
        hits->id[slot] = id;
        hits->sig[slot] = key->sig;
    } else if (hits->id[slot] != id) {
        mob_table_hits_credit_now_(table, key, id, bytes);
        return;
    } else if (hits->sig[slot] != key->sig
               || hits->packets[slot] == UINT32_MAX) {
        /* The entry now holds another key, or the count is full. */
        hits_flush_slot(hits, slot);
        hits->sig[slot] = key->sig;
    }
    hits->packets[slot]++;
    hits->bytes[slot] += bytes;
}

/* Writer: makes room for one more entry in full 'table' by evicting the
 * least recently learned unfrozen dynamic entry, or failing that the
 * frozen entry nearest its release.  Returns false if every entry is
 * static. */
static bool
evict_one(struct mob_table *table)
{
    uint32_t idx = (table->lru.head != TE_NIL ? table->lru.head
                    : table->frozen.head);

    if (idx == TE_NIL) {
        return false;
    }
    entry_remove_by_idx(table, idx);
    table->stats.evictions++;
    return true;
}

/* Writer: learns 'req', whose key has packed MAC 'mac' and signature
 * 'sig' and is not in 'table', at 'now'. */
static enum mob_learn_result
learn_new(struct mob_table *table, const struct mob_learn *req,
          uint64_t mac, uint32_t sig, uint32_t now)
{
    bool is_static = req->origin == MOB_ORIGIN_STATIC;
    struct mob_tentry *e;
    uint32_t idx;

    if (RELAXED_LOAD(&table->n_entries) >= table->max_entries
        && !evict_one(table)) {
        table->stats.full_refused++;
        return MOB_LEARN_FULL;
    }

    if (table->free_head != TE_NIL) {
        idx = table->free_head;
        table->free_head = table->links[idx].next;
    } else {
        idx = table->n_used++;
    }
    e = &table->entries[idx];

    entry_write_begin(e);
    RELAXED_STORE(&e->vni_meta, meta_make(req->vni, req->tnl_type,
                                          req->origin, false));
    RELAXED_STORE(&e->mac_moves, mac);
    entry_set_vtep(e, &req->vtep);
    RELAXED_STORE(&e->seq, req->seq ? req->seq : 1);
    RELAXED_STORE(&e->learned, now);
    RELAXED_STORE(&e->expires,
                  is_static ? 0 : time_add(now, table->cfg.grace_time));
    RELAXED_STORE(&e->hit_packets, 0);
    RELAXED_STORE(&e->hit_bytes, 0);
    e->window_start = now;
    entry_write_end(e);

    list_push_back(table, is_static ? &table->statics : &table->lru, idx);
    index_insert(table, sig, idx);
    RELAXED_STORE(&table->n_entries, RELAXED_LOAD(&table->n_entries) + 1);
    table->stats.learned++;
    return MOB_LEARN_NEW;
}

/* Writer: learns 'req' into entry 'idx', which holds its key, at 'now'.
 *
 * The rules, in order:
 *
 *   - an explicit sequence number below the entry's is stale;
 *   - a learn that is not static never changes a static entry: with the
 *     entry's VTEP it is a refresh that changes nothing, otherwise it is
 *     refused as stale (the operator's word outranks any sequence number);
 *   - the entry's VTEP: a refresh (tunnel type and origin follow the
 *     learn, the sequence number rises to an explicit higher one; a frozen
 *     entry keeps its release time);
 *   - another VTEP, with the entry frozen and the learn not static:
 *     refused as frozen;
 *   - another VTEP with an explicit sequence number equal to the entry's:
 *     stale (a move must raise the sequence number);
 *   - another VTEP: a move, to the explicit sequence number or the next
 *     one.  The move that makes 'flap_moves' moves within 'flap_window'
 *     seconds is applied and freezes the entry for 'freeze_time' seconds.
 *
 * A static learn makes the entry static, which also clears any freeze and
 * the move count. */
static enum mob_learn_result
learn_existing(struct mob_table *table, uint32_t idx,
               const struct mob_learn *req, uint32_t now)
{
    const struct mob_table_config *cfg = &table->cfg;
    struct mob_tentry *e = &table->entries[idx];
    uint32_t meta = RELAXED_LOAD(&e->vni_meta);
    uint64_t mac_moves = RELAXED_LOAD(&e->mac_moves);
    uint32_t cur_seq = RELAXED_LOAD(&e->seq);
    uint32_t moves = mac_moves >> MOVES_SHIFT;
    bool was_static = meta_origin(meta) == MOB_ORIGIN_STATIC;
    bool was_frozen = (meta & META_FROZEN) != 0;
    bool to_static = req->origin == MOB_ORIGIN_STATIC;
    bool same = entry_vtep_equals(e, &req->vtep);
    struct te_list *old_list = entry_list(table, idx);
    struct te_list *new_list;
    enum mob_learn_result result;
    uint32_t new_seq, expires;
    bool frozen = was_frozen;

    if (req->seq && req->seq < cur_seq) {
        table->stats.stale_refused++;
        return MOB_LEARN_STALE;
    }
    if (was_static && !to_static) {
        if (same) {
            table->stats.refreshed++;
            return MOB_LEARN_REFRESHED;
        }
        table->stats.stale_refused++;
        return MOB_LEARN_STALE;
    }

    expires = RELAXED_LOAD(&e->expires);
    if (same) {
        new_seq = req->seq > cur_seq ? req->seq : cur_seq;
        result = MOB_LEARN_REFRESHED;
        if (!was_frozen) {
            expires = time_add(now, cfg->grace_time);
        }
    } else if (was_frozen && !to_static) {
        table->stats.frozen_refused++;
        return MOB_LEARN_FROZEN;
    } else if (req->seq && req->seq == cur_seq) {
        table->stats.stale_refused++;
        return MOB_LEARN_STALE;
    } else {
        new_seq = req->seq ? req->seq : cur_seq + 1;
        result = MOB_LEARN_MOVED;
        if (!moves || now - e->window_start >= cfg->flap_window) {
            e->window_start = now;
            moves = 1;
        } else if (moves < MOVES_MAX) {
            moves++;
        }
        expires = time_add(now, cfg->grace_time);
        if (!to_static && cfg->flap_moves && moves >= cfg->flap_moves) {
            frozen = true;
            expires = time_add(now, cfg->freeze_time);
            result = MOB_LEARN_FREEZE;
        }
    }
    if (to_static) {
        frozen = false;
        moves = 0;
        expires = 0;
    }

    entry_write_begin(e);
    RELAXED_STORE(&e->vni_meta, meta_make(req->vni, req->tnl_type,
                                          req->origin, frozen));
    RELAXED_STORE(&e->mac_moves,
                  (mac_moves & MAC_MASK) | (uint64_t) moves << MOVES_SHIFT);
    if (!same) {
        entry_set_vtep(e, &req->vtep);
    }
    RELAXED_STORE(&e->seq, new_seq);
    RELAXED_STORE(&e->learned, now);
    RELAXED_STORE(&e->expires, expires);
    entry_write_end(e);

    /* Requeue: a refresh of a frozen entry keeps its place. */
    new_list = entry_list(table, idx);
    if (new_list != old_list || new_list == &table->lru) {
        list_remove(table, old_list, idx);
        list_push_back(table, new_list, idx);
    }
    table->n_frozen += (int) frozen - (int) was_frozen;

    if (result == MOB_LEARN_MOVED) {
        table->stats.moved++;
    } else if (result == MOB_LEARN_FREEZE) {
        table->stats.freezes++;
    } else {
        table->stats.refreshed++;
    }
    return result;
}

/* Learns 'req' in 'table' at time 'now', copying the previous entry for
 * the key, if there was one, to '*old' (if nonnull).  Returns what
 * happened; refusals change nothing but the counters. */
enum mob_learn_result
mob_table_learn(struct mob_table *table, const struct mob_learn *req,
                uint32_t now, struct mob_entry *old)
{
    enum mob_learn_result result;
    uint64_t mac;
    uint32_t sig, idx, pos;

    if (!learn_is_valid(req)) {
        return MOB_LEARN_INVALID;
    }
    mac = mob_table_mac_pack_(&req->mac);
    sig = mob_table_key_sig_(table, req->vni, mac);

    pthread_mutex_lock(&table->mutex);
    idx = index_find(table, req->vni, mac, sig, &pos);
    if (idx == TE_NIL) {
        result = learn_new(table, req, mac, sig, now);
    } else {
        if (old) {
            entry_snapshot(table, idx, old);
        }
        result = learn_existing(table, idx, req, now);
    }
    pthread_mutex_unlock(&table->mutex);
    return result;
}

/* Deletes ('vni', 'mac') from 'table'.  Returns true if it was present. */
bool
mob_table_delete(struct mob_table *table, uint32_t vni,
                 const struct mob_eth_addr *mac)
{
    uint64_t m = mob_table_mac_pack_(mac);
    uint32_t idx, pos;

    if (vni > META_VNI_MASK) {
        return false;
    }
    pthread_mutex_lock(&table->mutex);
    idx = index_find(table, vni, m, mob_table_key_sig_(table, vni, m), &pos);
    if (idx != TE_NIL) {
        entry_remove(table, idx, pos);
        table->stats.deleted++;
    }
    pthread_mutex_unlock(&table->mutex);
    return idx != TE_NIL;
}

/* Writer: frees every entry on 'list' without touching the index. */
static void
flush_list(struct mob_table *table, struct te_list *list)
{
    uint32_t idx = list->head;

    while (idx != TE_NIL) {
        struct mob_tentry *e = &table->entries[idx];
        uint32_t next = table->links[idx].next;
        uint32_t meta = RELAXED_LOAD(&e->vni_meta);

        entry_write_begin(e);
        RELAXED_STORE(&e->vni_meta, meta & ~(META_LIVE | META_FROZEN));
        entry_write_end(e);
        table->links[idx].next = table->free_head;
        table->free_head = idx;
        idx = next;
    }
    list->head = list->tail = TE_NIL;
}

/* Deletes every entry of 'table'.  Returns how many there were. */
size_t
mob_table_flush(struct mob_table *table)
{
    size_t n;

    pthread_mutex_lock(&table->mutex);
    n = RELAXED_LOAD(&table->n_entries);

    /* Entries first, so that a reader that still finds a slot finds a dead
     * entry, then the index. */
    flush_list(table, &table->lru);
    flush_list(table, &table->frozen);
    flush_list(table, &table->statics);
    index_write_begin(table);
    for (size_t i = 0; i <= table->mask; i++) {
        if (RELAXED_LOAD(&table->slots[i])) {
            RELAXED_STORE(&table->slots[i], 0);
        }
    }
    index_write_end(table);

    RELAXED_STORE(&table->n_entries, 0);
    table->n_frozen = 0;
    table->stats.deleted += n;
    pthread_mutex_unlock(&table->mutex);
    return n;
}

/* Releases the frozen entries of 'table' whose freeze is over at 'now',
 * then deletes the dynamic entries that expired by 'now'.  Returns the
 * number deleted. */
size_t
mob_table_age(struct mob_table *table, uint32_t now)
{
    size_t n = 0;

    pthread_mutex_lock(&table->mutex);
    while (table->frozen.head != TE_NIL) {
        uint32_t idx = table->frozen.head;
        struct mob_tentry *e = &table->entries[idx];
        uint32_t meta = RELAXED_LOAD(&e->vni_meta);

        if (RELAXED_LOAD(&e->expires) > now) {
            break;
        }
        entry_write_begin(e);
        RELAXED_STORE(&e->vni_meta, meta & ~META_FROZEN);
        RELAXED_STORE(&e->mac_moves,
                      RELAXED_LOAD(&e->mac_moves) & MAC_MASK);
        RELAXED_STORE(&e->expires, time_add(now, table->cfg.grace_time));
        entry_write_end(e);
        e->window_start = now;
        list_remove(table, &table->frozen, idx);
        list_push_back(table, &table->lru, idx);
        table->n_frozen--;
    }
    while (table->lru.head != TE_NIL) {
        uint32_t idx = table->lru.head;

        if (RELAXED_LOAD(&table->entries[idx].expires) > now) {
            break;
        }
        entry_remove_by_idx(table, idx);
        n++;
    }
    table->stats.expired += n;
    pthread_mutex_unlock(&table->mutex);
    return n;
}

/* Returns the time at which mob_table_age() next has work in 'table', or
 * UINT32_MAX if none. */
uint32_t
mob_table_next_expiry(struct mob_table *table)
{
    uint32_t next = UINT32_MAX;

    pthread_mutex_lock(&table->mutex);
    if (table->lru.head != TE_NIL) {
        next = RELAXED_LOAD(&table->entries[table->lru.head].expires);
    }
    if (table->frozen.head != TE_NIL) {
        uint32_t release
            = RELAXED_LOAD(&table->entries[table->frozen.head].expires);

        if (release < next) {
            next = release;
        }
    }
    pthread_mutex_unlock(&table->mutex);
    return next;
}

/* Calls 'cb' for each entry on 'list'. */
static void
foreach_list(struct mob_table *table, const struct te_list *list,
             void (*cb)(const struct mob_entry *, void *aux), void *aux)
{
    for (uint32_t idx = list->head; idx != TE_NIL;
         idx = table->links[idx].next) {
        struct mob_entry entry;

        entry_snapshot(table, idx, &entry);
        cb(&entry, aux);
    }
}

/* Calls 'cb' with a copy of each entry of 'table', under the writer
 * mutex. */
void
mob_table_foreach(struct mob_table *table,
                  void (*cb)(const struct mob_entry *, void *aux),
                  void *aux)
{
    pthread_mutex_lock(&table->mutex);
    foreach_list(table, &table->statics, cb, aux);
    foreach_list(table, &table->frozen, cb, aux);
    foreach_list(table, &table->lru, cb, aux);
    pthread_mutex_unlock(&table->mutex);
}

/* Returns the number of entries in 'table'. */
size_t
mob_table_count(const struct mob_table *table)
{
    return atomic_load_explicit(&((struct mob_table *) table)->n_entries,
                                memory_order_relaxed);
}

/* Copies the counters of 'table' to '*stats'. */
void
mob_table_get_stats(const struct mob_table *table_,
                    struct mob_table_stats *stats)
{
    /* The mutex is not part of the table's logical state. */
    struct mob_table *table = (struct mob_table *) table_;

    pthread_mutex_lock(&table->mutex);
    *stats = table->stats;
    stats->n_entries = RELAXED_LOAD(&table->n_entries);
    stats->n_frozen = table->n_frozen;
    pthread_mutex_unlock(&table->mutex);
}

/* Returns the bytes 'table' has allocated: the table, its entries, its
 * index and its list links. */
size_t
mob_table_memory(const struct mob_table *table)
{
    return (sizeof *table + table->entries_size + table->slots_size
            + table->links_size);
}
