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

#ifndef MOB_TABLE_H
#define MOB_TABLE_H 1

/* Mobility table
 * ==============
 *
 * A mobility table maps a (VNI, MAC) pair to the tunnel endpoint (VTEP)
 * that a VM with that MAC moved to.  The old VTEP consults it for every
 * tunnel packet that still arrives for the VM, and re-encapsulates hits to
 * the new VTEP instead of dropping them.  The table is learned from the
 * announcements the destination hypervisor sends (RARP, gratuitous ARP,
 * unsolicited NA), from OVN port-binding changes, and from the operator.
 *
 * Each entry holds the new VTEP (IPv4-mapped or IPv6), the tunnel type, a
 * move sequence number, the origin of the knowledge, the learn time, the
 * expiry time and hit counters.
 *
 * Move sequence numbers
 * ---------------------
 *
 * As in EVPN MAC mobility (RFC 7432 section 15), each move of a MAC to a
 * different VTEP increments the entry's sequence number.  A learn may carry
 * an explicit sequence number (from OVN, or an operator): a learn with a
 * sequence number lower than the entry's is stale and ignored.  With
 * sequence number 0 the table assigns the next one itself.  A move must
 * raise the number, so an explicit number equal to the entry's with
 * another VTEP is stale too.  A learn that is not static never changes a
 * static entry: the operator's word outranks any sequence number, and such
 * a learn is refused as stale (or, with the entry's own VTEP, is a refresh
 * that changes nothing).
 *
 * Expiry
 * ------
 *
 * A learned entry lives for the table's grace time after it was last
 * learned or refreshed.  The grace time only has to cover how long peers
 * may keep sending to the old VTEP: until their own tables relearn, or
 * their MAC entries age out (300 s in Open vSwitch).  Entries from the
 * operator (origin "static") never expire.  Expiry works as Open vSwitch's
 * MAC learning table does: all dynamic entries sit on a list from least
 * recently learned to most recently learned, and mob_table_age() sweeps
 * from the head, so it costs time proportional to what it removes.
 *
 * Flap protection
 * ---------------
 *
 * A MAC that moves between VTEPs 'flap_moves' times (default 5) within
 * 'flap_window' seconds (default 180), the defaults of RFC 7432 section 15
 * and FRR's duplicate address detection, is frozen: the entry keeps the
 * VTEP it has, later moves are refused (MOB_LEARN_FROZEN) and counted, and
 * the caller is told once (MOB_LEARN_FREEZE) so that it can warn.  A
 * frozen entry is released 'freeze_time' seconds later (default 180): it
 * accepts moves again with a fresh flap count, and lives a full grace time
 * from its release.  mob_table_delete() or a static learn also clears it.
 * The move that freezes an entry is applied: the entry keeps the VTEP of
 * the last move it accepted.  Flapping is either a misconfiguration (two
 * hosts with one MAC) or an attack, and in both cases following every move
 * would send traffic back and forth for nothing.
 *
 * Size bound and eviction
 * -----------------------
 *
 * The table holds at most 'max_entries' entries, and its memory is
 * allocated up front for that many.  A learn of a new key into a full
 * table evicts the dynamic entry least recently learned or refreshed
 * (frozen entries last, since evicting one would lift its flap
 * protection); static entries are never evicted, and a learn that finds
 * only static entries fails with MOB_LEARN_FULL.  This bounds memory
 * against an attacker who floods announcements for made-up MACs, and it
 * keeps the entries that matter most: a VM that migrated seconds ago has
 * packets in flight towards the old VTEP, one that migrated long ago
 * almost never does.  (Open vSwitch's MAC learning table evicts per port
 * for fairness; all learns here come from trusted tunnel endpoints or
 * local announcements on one bridge, so there is no port to be fair to,
 * and the age of the move is the better guide.)
 *
 * Layout
 * ------
 *
 * Entries live in one array, 64 bytes each (one cache line).  An
 * open-addressing index with linear probing, at most half full (an eighth
 * in a small table, see 'sparse_slots'), maps a key to an entry: each
 * 8-byte slot holds a 32-bit hash signature and the entry number, so a
 * probe touches the entry only when the signature matches.
 * Deletion shifts later slots back (no tombstones), so probe sequences stay
 * short however much the table churns.  At 1M entries that is 64 bytes of
 * entry (hit counters included), 16 bytes of index and 8 bytes of list
 * links (writer only, kept off the entries' lines): 88 bytes.
 *
 * Thread-safety
 * =============
 *
 * Any number of threads may call mob_table_lookup() and mob_table_hit() at
 * any time, concurrently with one writer, and never block: they take no
 * lock, and make no system call.  Every other function that changes the
 * table takes the table's writer mutex itself, so writers from several
 * threads are serialised.
 *
 * Readers stay lock-free with two sequence counters, seqlock style:
 *
 *   - Each entry has its own sequence counter, odd while the writer changes
 *     it.  A reader copies the entry between two reads of the counter and
 *     retries if the counter moved, so a reader sees a whole entry, never
 *     half of an old one and half of a new one.  Entry fields are C11
 *     atomics read with relaxed ordering, fenced by the counter, so that
 *     this is also free of data races in the C11 sense (and under
 *     ThreadSanitizer).
 *
 *   - The index has one sequence counter, bumped around each deletion,
 *     the only operation that moves slots.  A reader that misses rechecks
 *     it and looks up again if a deletion ran meanwhile: a concurrent
 *     deletion can make a lookup retry, never report a miss for a key that
 *     was present throughout.
 *
 * An entry's memory is never freed while the table exists, only reused,
 * and the per-entry counter detects reuse, so no grace period is needed.
 */

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "mob-addr.h"
#include "mob-packet.h"

struct mob_table;

/* Defaults.  MOB_TABLE_DEFAULT_GRACE_TIME is 300 s, Open vSwitch's MAC
 * idle time: by then every peer running NORMAL has relearned or aged out
 * the stale location.  See docs/design.rst. */
#define MOB_TABLE_DEFAULT_MAX 65536
#define MOB_TABLE_DEFAULT_GRACE_TIME 300
#define MOB_TABLE_DEFAULT_FLAP_MOVES 5
#define MOB_TABLE_DEFAULT_FLAP_WINDOW 180
#define MOB_TABLE_DEFAULT_FREEZE_TIME 180

/* Default and largest 'sparse_slots' of struct mob_table_config. */
#define MOB_TABLE_DEFAULT_SPARSE_SLOTS 32768
#define MOB_TABLE_MAX_SPARSE_SLOTS (1u << 22)

/* Most entries a table can have. */
#define MOB_TABLE_MAX_ENTRIES (1u << 26)

/* Largest VNI (24 bits, as VXLAN and Geneve carry it). */
#define MOB_TABLE_MAX_VNI 0xffffffu

/* Where knowledge of a move came from. */
enum mob_origin {
    MOB_ORIGIN_RARP = 0,
    MOB_ORIGIN_GARP,
    MOB_ORIGIN_NA,
    MOB_ORIGIN_OVN,
    MOB_ORIGIN_STATIC,
    MOB_N_ORIGINS
};

/* Returns "rarp", "garp", "na", "ovn" or "static". */
const char *mob_origin_to_string(enum mob_origin);

/* Parses 's' as an origin name into '*origin'.  Returns true if
 * successful. */
bool mob_origin_from_string(const char *s, enum mob_origin *origin);

struct mob_table_config {
    uint32_t max_entries;       /* 1 to MOB_TABLE_MAX_ENTRIES. */
    uint32_t grace_time;        /* Seconds an entry lives after a learn. */
    uint32_t flap_moves;        /* Moves in 'flap_window' that freeze,
                                 * at most 65535; 0 disables flap
                                 * protection. */
    uint32_t flap_window;       /* Seconds. */
    uint32_t freeze_time;       /* Seconds a frozen entry stays frozen. */

    /* The index has at least two slots per entry.  A table whose index
     * would have fewer than 'sparse_slots' slots gets up to eight slots
     * per entry, as many as keep it under 'sparse_slots' (default 32768,
     * 256 kB): shorter probe runs, whose lengths lookups cannot predict,
     * for little memory.  0 keeps every index at two slots per entry.  At
     * most MOB_TABLE_MAX_SPARSE_SLOTS; mob_table_create() alone uses
     * it. */
    uint32_t sparse_slots;
};

/* Returns true if 'mac' can be the MAC of an entry: not zero, not
 * multicast or broadcast. */
bool mob_table_mac_is_valid(const struct mob_eth_addr *mac);

/* Returns true if 'vtep' can be the VTEP of an entry: not unspecified
 * (:: or 0.0.0.0), not multicast, and for IPv4 not in 240.0.0.0/4
 * (reserved, with the broadcast address). */
bool mob_table_vtep_is_valid(const struct in6_addr *vtep);

/* Fills '*cfg' with the defaults above. */
void mob_table_config_init(struct mob_table_config *cfg);

/* A copy of one entry, as readers and iterators see it. */
struct mob_entry {
    uint32_t vni;
    struct mob_eth_addr mac;
    struct in6_addr vtep;       /* Where the MAC moved to. */
    enum mob_tnl_type tnl_type;
    enum mob_origin origin;
    uint32_t seq;               /* Move sequence number. */
    bool frozen;
    uint32_t learned;           /* Time of last learn or refresh, s. */
    uint32_t expires;           /* Expiry (or release, if frozen) time, s;
                                 * 0 for static entries. */
    uint32_t moves;             /* Moves in the current flap window. */
    uint64_t hit_packets;
    uint64_t hit_bytes;
    uint32_t id;                /* Handle for mob_table_hit(). */
};

/* A request to learn. */
struct mob_learn {
    uint32_t vni;
    struct mob_eth_addr mac;
    struct in6_addr vtep;
    enum mob_tnl_type tnl_type;
    enum mob_origin origin;
    uint32_t seq;               /* 0: assign the next one. */
};

enum mob_learn_result {
    MOB_LEARN_NEW,              /* Created an entry. */
    MOB_LEARN_MOVED,            /* Entry now points to another VTEP. */
    MOB_LEARN_REFRESHED,        /* Same VTEP: expiry pushed back. */
    MOB_LEARN_FREEZE,           /* This move froze the entry. */
    MOB_LEARN_FROZEN,           /* Refused: entry is frozen. */
    MOB_LEARN_STALE,            /* Refused: older sequence number. */
    MOB_LEARN_FULL,             /* Refused: full, nothing evictable. */
    MOB_LEARN_INVALID,          /* Refused: bad VNI, MAC or VTEP. */
};

/* Returns a short name for 'result', e.g. "moved". */
const char *mob_learn_result_to_string(enum mob_learn_result);

/* Table-wide counters, read with mob_table_get_stats(). */
struct mob_table_stats {
    uint64_t n_entries;
    uint64_t n_frozen;
    uint64_t learned;           /* MOB_LEARN_NEW. */
    uint64_t moved;             /* MOB_LEARN_MOVED. */
    uint64_t refreshed;
    uint64_t freezes;           /* MOB_LEARN_FREEZE. */
    uint64_t frozen_refused;    /* MOB_LEARN_FROZEN. */
    uint64_t stale_refused;
    uint64_t full_refused;
    uint64_t evictions;
    uint64_t expired;
    uint64_t deleted;
};

/* Creates and returns a table configured per 'cfg' (NULL: defaults), or
 * NULL if 'cfg' is invalid or memory is short. */
struct mob_table *mob_table_create(const struct mob_table_config *cfg);

/* Destroys 'table'.  No reader may be using it. */
void mob_table_destroy(struct mob_table *table);

/* Changes grace, flap and freeze times of 'table' per 'cfg'; existing
 * entries keep their expiry until their next learn.  'cfg->max_entries'
 * must equal the table's.  Returns 0 or EINVAL. */
int mob_table_reconfigure(struct mob_table *table,
                          const struct mob_table_config *cfg);

/* Looks up ('vni', 'mac').  On a hit copies the entry to '*entry' (if
 * nonnull) and returns true.  Lock-free; safe concurrently with writers. */
bool mob_table_lookup(const struct mob_table *table, uint32_t vni,
                      const struct mob_eth_addr *mac,
                      struct mob_entry *entry);

/* Adds one packet of 'bytes' bytes to the hit counters of the entry that
 * mob_table_lookup() returned as 'id'.  Lock-free. */
void mob_table_hit(struct mob_table *table, uint32_t id, uint32_t bytes);

/* Adds 'packets' packets of 'bytes' bytes in all to the hit counters of
 * entry 'id', as that many mob_table_hit() calls would.  Lock-free. */
void mob_table_hit_many(struct mob_table *table, uint32_t id,
                        uint64_t packets, uint64_t bytes);

/* The burst interface
 * -------------------
 *
 * With a large table a lookup costs two dependent cache (and TLB) misses:
 * the index slot, then the entry.  mob_table_lookup() takes them one
 * after the other.  A caller with a burst of packets can overlap them:
 *
 *     for each packet: mob_table_key_init(), mob_table_prefetch_slot();
 *     for each packet: mob_table_prefetch_entry();
 *     for each packet: mob_table_lookup_vtep();
 *
 * so that the memory latency of one packet is hidden behind work on the
 * others.  Prefetches are hints: they change nothing, and a table change
 * between them and the lookup only costs a miss in the cache.  The lookup
 * itself is what mob_table_lookup() does, with the same guarantees, but
 * copies out only the VTEP and the entry number, which is all a redirect
 * needs. */

/* A key hashed for 'table' by mob_table_key_init(). */
struct mob_table_key {
    uint64_t mac;               /* Packed MAC. */
    uint32_t vni;
    uint32_t sig;               /* Hash signature in this table. */
};

/* Hashes ('vni', 'mac') for 'table' into '*key'. */
void mob_table_key_init(const struct mob_table *table, uint32_t vni,
                        const struct mob_eth_addr *mac,
                        struct mob_table_key *key);

/* Prefetches the index slot where a lookup of 'key' starts. */
void mob_table_prefetch_slot(const struct mob_table *table,
                             const struct mob_table_key *key);

/* Prefetches the entry that the home slot of 'key' names, if its
 * signature matches (best after mob_table_prefetch_slot() had time). */
void mob_table_prefetch_entry(const struct mob_table *table,
                              const struct mob_table_key *key);

/* Looks up 'key' as mob_table_lookup() does.  On a hit stores the entry's
 * VTEP in '*vtep' and its number (for mob_table_hit()) in '*id', and
 * returns true.  Lock-free; safe concurrently with writers. */
bool mob_table_lookup_vtep(const struct mob_table *table,
                           const struct mob_table_key *key,
                           struct in6_addr *vtep, uint32_t *id);

/* Hit counting without a locked instruction per packet
 * ----------------------------------------------------
 *
 * mob_table_hit() is two atomic additions, which on x86 are locked
 * instructions that drain the store buffer: a noticeable part of a fast
 * path's budget.  A 'struct mob_table_hits' belongs to one thread and
 * collects hits in plain memory, a direct-mapped cache of
 * MOB_TABLE_HITS_SIZE counters keyed by entry number.  It adds them to the
 * table, with one mob_table_hit_many() per entry, when
 * mob_table_hits_flush() is called.  A hit on an entry whose slot another
 * entry holds goes straight to the table (the slot is not taken from its
 * holder: with random keys in a large table that would cost a flush of a
 * cold entry per hit).  Each slot
 * also records the signature of the key that was looked up, and a flush
 * adds a slot's hits only if its entry is still live with that key: an
 * entry removed meanwhile (deleted, expired, evicted) and perhaps reused
 * for another key is not credited with hits that were not its own.
 * Table counters lag by what is pending: the owner flushes periodically
 * (mob-redirect's burst interface does so once per second of its 'now'
 * and before it learns) and when it goes idle, and must flush before it
 * destroys the table. */

#define MOB_TABLE_HITS_SIZE 1024     /* A power of two. */

struct mob_table_hits {
    struct mob_table *table;        /* Table the hits belong to, or NULL. */
    uint32_t n_used;
    uint16_t used[MOB_TABLE_HITS_SIZE];     /* Occupied slots. */
    uint32_t id[MOB_TABLE_HITS_SIZE];       /* UINT32_MAX: empty. */
    uint32_t sig[MOB_TABLE_HITS_SIZE];      /* Key signature. */
    uint32_t packets[MOB_TABLE_HITS_SIZE];
    uint64_t bytes[MOB_TABLE_HITS_SIZE];
};

/* Initialises 'hits' empty. */
void mob_table_hits_init(struct mob_table_hits *hits);

/* Records in 'hits' one hit of 'bytes' bytes on entry 'id' of 'table',
 * which mob_table_lookup_vtep() of 'key' returned. */
void mob_table_hits_add(struct mob_table_hits *hits, struct mob_table *table,
                        const struct mob_table_key *key, uint32_t id,
                        uint32_t bytes);

/* Adds every hit pending in 'hits' to its table, and empties 'hits'. */
void mob_table_hits_flush(struct mob_table_hits *hits);

/* Learns 'req' at time 'now' (seconds).  If 'old' is nonnull and an entry
 * for the key existed, copies it there as it was before the learn, for
 * audit logs.  Returns what happened. */
enum mob_learn_result mob_table_learn(struct mob_table *table,
                                      const struct mob_learn *req,
                                      uint32_t now, struct mob_entry *old);

/* Deletes ('vni', 'mac').  Returns true if it was present. */
bool mob_table_delete(struct mob_table *table, uint32_t vni,
                      const struct mob_eth_addr *mac);

/* Deletes every entry.  Returns how many. */
size_t mob_table_flush(struct mob_table *table);

/* Expires the dynamic entries whose time has come at 'now' and releases
 * frozen entries whose freeze time is over.  Returns the number expired. */
size_t mob_table_age(struct mob_table *table, uint32_t now);

/* Returns the time, in seconds, at which mob_table_age() next has work, or
 * UINT32_MAX if none. */
uint32_t mob_table_next_expiry(struct mob_table *table);

/* Calls 'cb' with a copy of each entry, in no particular order, under the
 * writer mutex: 'cb' must not call back into 'table'. */
void mob_table_foreach(struct mob_table *table,
                       void (*cb)(const struct mob_entry *, void *aux),
                       void *aux);

/* Returns the number of entries. */
size_t mob_table_count(const struct mob_table *table);

void mob_table_get_stats(const struct mob_table *table,
                         struct mob_table_stats *stats);

/* Returns the bytes 'table' has allocated. */
size_t mob_table_memory(const struct mob_table *table);

#endif /* mob-table.h */
