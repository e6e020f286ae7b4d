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
#include "ofproto-dpif-mobility.h"

#include <errno.h>
#include <stdlib.h>

#include "coverage.h"
#include "dp-packet.h"
#include "dpif.h"
#include "flow.h"
#include "hash.h"
#include "mob-announce.h"
#include "mob-cmd.h"
#include "netdev.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ofproto/ofproto-dpif-upcall.h"
#include "ovs-atomic.h"
#include "ovs-rcu.h"
#include "ovs-thread.h"
#include "packets.h"
#include "seq.h"
#include "smap.h"
#include "timeval.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(mobility);

COVERAGE_DEFINE(mobility_announce);
COVERAGE_DEFINE(mobility_learn);
COVERAGE_DEFINE(mobility_move);
COVERAGE_DEFINE(mobility_local_remove);
COVERAGE_DEFINE(mobility_freeze);
COVERAGE_DEFINE(mobility_redirect_xlate);
COVERAGE_DEFINE(mobility_loop_drop);
COVERAGE_DEFINE(mobility_race_blocked);
COVERAGE_DEFINE(mobility_expired);
COVERAGE_DEFINE(mobility_local_redirect);
COVERAGE_DEFINE(mobility_learn_skipped);
COVERAGE_DEFINE(mobility_flows_deleted);

/* No VNI for local ports (see mobility_set_local_vni()). */
#define MOBILITY_VNI_NONE UINT32_MAX

/* A NORMAL-learning lock set by an announcement (see
 * mobility_learning_allowed()). */
struct mobility_lock {
    struct hmap_node node;      /* In 'mobility->locks'. */
    struct eth_addr mac;
    const void *bundle;         /* Port the announcement came in on. */
    bool local;                 /* That port is not a tunnel. */
    long long int until;        /* time_msec() at which it lapses. */
};

/* Per-bridge state. */
struct mobility {
    struct hmap_node node;      /* In 'all_mobility', by name. */
    char *name;                 /* Bridge name. */
    struct ovs_refcount ref_cnt;

    /* Table, or NULL while mobility is disabled.  Written by the main
     * thread, read by handlers and revalidators. */
    OVSRCU_TYPE(struct mob_table *) table;
    atomic_uint64_t table_gen;  /* Bumped whenever 'table' is replaced. */
    struct mob_table_config tcfg;   /* Main thread only. */

    /* Redirect configuration, read by handlers. */
    atomic_bool keep_src;       /* mobility-source=keep. */
    atomic_bool geneve_mark;    /* mobility-geneve-mark. */

    /* VNI of frames from local ports, MOBILITY_VNI_NONE if unknown: the
     * one key of all tunnel ports, or other_config:mobility-vni. */
    atomic_uint32_t local_vni;
    char *local_vni_why;        /* How it was chosen, for the log.  Main
                                 * thread only. */

    /* Table changes from any thread kick the revalidators of 'udpif'
     * directly: the table is read lock-free, so no other state has to be
     * rebuilt first, and a handler that learns from an announcement does
     * not wait for the main thread.  'change_seq' also tells the main
     * thread, whose mobility_run() then reports the change. */
    struct udpif *udpif;
    struct seq *change_seq;
    uint64_t last_seq;

    /* Counters. */
    atomic_uint64_t announcements;
    atomic_uint64_t local_removals;
    atomic_uint64_t redirected_packets;
    atomic_uint64_t redirected_bytes;
    atomic_uint64_t loop_drops;
    atomic_uint64_t race_blocked;
    atomic_uint64_t local_redirects;
    atomic_uint64_t learns_skipped;

    /* Announcement locks for NORMAL learning. */
    struct ovs_mutex lock_mutex;
    struct hmap locks OVS_GUARDED;
    atomic_count n_locks;
};

/* All 'struct mobility's, by bridge name.  Main thread only. */
static struct hmap all_mobility = HMAP_INITIALIZER(&all_mobility);

static void mobility_unixctl_register(void);

/* Registers the mobility/... unixctl commands.  Idempotent. */
void
mobility_init(void)
{
    static struct ovsthread_once once = OVSTHREAD_ONCE_INITIALIZER;

    if (ovsthread_once_start(&once)) {
        mobility_unixctl_register();
        ovsthread_once_done(&once);
    }
}

/* Creates and returns the mobility state of bridge 'br_name', disabled.
 * 'udpif' is the bridge's backer's, whose flows a table change
 * revalidates. */
struct mobility *
mobility_create(const char *br_name, struct udpif *udpif)
{
    struct mobility *mob = xzalloc(sizeof *mob);

    mob->name = xstrdup(br_name);
    ovs_refcount_init(&mob->ref_cnt);
    ovsrcu_set_hidden(&mob->table, NULL);
    atomic_init(&mob->table_gen, 0);
    mob_table_config_init(&mob->tcfg);
    atomic_init(&mob->keep_src, false);
    atomic_init(&mob->geneve_mark, true);
    atomic_init(&mob->local_vni, MOBILITY_VNI_NONE);
    mob->local_vni_why = NULL;
    mob->udpif = udpif;
    mob->change_seq = seq_create();
    mob->last_seq = seq_read(mob->change_seq);
    atomic_init(&mob->announcements, 0);
    atomic_init(&mob->local_removals, 0);
    atomic_init(&mob->redirected_packets, 0);
    atomic_init(&mob->redirected_bytes, 0);
    atomic_init(&mob->loop_drops, 0);
    atomic_init(&mob->race_blocked, 0);
    atomic_init(&mob->local_redirects, 0);
    atomic_init(&mob->learns_skipped, 0);
    ovs_mutex_init(&mob->lock_mutex);
    hmap_init(&mob->locks);
    atomic_count_init(&mob->n_locks, 0);
    hmap_insert(&all_mobility, &mob->node, hash_string(br_name, 0));
    return mob;
}

/* Takes a reference to 'mob_', if nonnull, and returns it. */
struct mobility *
mobility_ref(const struct mobility *mob_)
{
    struct mobility *mob = CONST_CAST(struct mobility *, mob_);

    if (mob) {
        ovs_refcount_ref(&mob->ref_cnt);
    }
    return mob;
}

/* Frees 'mob' and its table.  Runs after an RCU grace period. */
static void
mobility_free(struct mobility *mob)
{
    struct mob_table *table = ovsrcu_get_protected(struct mob_table *,
                                                   &mob->table);
    struct mobility_lock *lock;

    if (table) {
        mob_table_destroy(table);
    }
    HMAP_FOR_EACH_POP (lock, node, &mob->locks) {
        free(lock);
    }
    hmap_destroy(&mob->locks);
    ovs_mutex_destroy(&mob->lock_mutex);
    seq_destroy(mob->change_seq);
    free(mob->local_vni_why);
    free(mob->name);
    free(mob);
}

/* Drops a reference to 'mob', freeing it after an RCU grace period when it
 * was the last. */
void
mobility_unref(struct mobility *mob)
{
    if (mob && ovs_refcount_unref_relaxed(&mob->ref_cnt) == 1) {
        ovsrcu_postpone(mobility_free, mob);
    }
}

/* Removes 'mob' from the commands' view and drops the bridge's reference
 * to it. */
void
mobility_destroy(struct mobility *mob)
{
    if (mob) {
        hmap_remove(&all_mobility, &mob->node);
        mobility_unref(mob);
    }
}

/* Returns the table of 'mob', or NULL if mobility is disabled. */
static struct mob_table *
mobility_table(const struct mobility *mob)
{
    return mob ? ovsrcu_get(struct mob_table *, &mob->table) : NULL;
}

/* Returns true if mobility is enabled on 'mob''s bridge. */
bool
mobility_is_enabled(const struct mobility *mob)
{
    return mobility_table(mob) != NULL;
}

/* Has the cached datapath flows of 'mob''s bridge revalidated now, because
 * something they depend on changed.  Any thread. */
static void
mobility_changed(struct mobility *mob)
{
    if (mob->udpif) {
        udpif_revalidate(mob->udpif);
    }
    seq_change(mob->change_seq);
}

/* Deletes at once the datapath flows of 'mob''s bridge whose Ethernet
 * destination is 'mac', whose entry just changed, so that the next packet
 * for 'mac' is translated with the table as it is now.  Revalidation alone
 * (mobility_changed()) takes up to several ms under load, during which the
 * cached flow keeps sending to a port the VM may have left, or flooding.
 * Call it after mobility_changed(): an upcall whose translation started
 * before that installs no flow (should_install_flow() in the series), so
 * only a flow put already past that check when the table changed can
 * still land after this deletion, for the revalidation to fix.  Any
 * thread. */
static void
mobility_delete_flows(struct mobility *mob, const struct eth_addr *mac)
{
    if (mob->udpif) {
        size_t n = udpif_delete_flows_to_mac(mob->udpif, mac);

        if (n) {
            COVERAGE_ADD(mobility_flows_deleted, n);
            VLOG_DBG("%s: deleted %"PRIuSIZE" datapath flows to "
                     ETH_ADDR_FMT, mob->name, n, ETH_ADDR_ARGS(*mac));
        }
    }
}

/* Destroys mob_table 'table', after an RCU grace period. */
static void
mob_table_destroy_rcu(void *table)
{
    mob_table_destroy(table);
}

/* Replaces 'mob''s table by 'table' (NULL to disable), freeing the old one
 * after a grace period. */
static void
mobility_set_table(struct mobility *mob, struct mob_table *table)
{
    struct mob_table *old = ovsrcu_get_protected(struct mob_table *,
                                                 &mob->table);
    uint64_t gen;

    ovsrcu_set(&mob->table, table);
    atomic_add(&mob->table_gen, 1, &gen);
    if (old) {
        ovsrcu_postpone__(mob_table_destroy_rcu, old);
    }
    mobility_changed(mob);
}

static void mobility_set_local_vni(struct mobility *, const struct smap *,
                                   struct netdev *const *ports,
                                   size_t n_ports);

/* Applies bridge other_config 'oc' to 'mob': mobility-enable,
 * mobility-max-entries, mobility-grace-time, mobility-source,
 * mobility-geneve-mark and mobility-vni.  'ports' are the 'n_ports'
 * netdevs of the bridge's ports, from which the VNI of local ports is
 * derived when mobility-vni is not set. */
void
mobility_set_config(struct mobility *mob, const struct smap *oc,
                    struct netdev *const *ports, size_t n_ports)
{
    struct mob_table *table = ovsrcu_get_protected(struct mob_table *,
                                                   &mob->table);
    struct mob_table_config cfg;
    enum mob_src_mode mode = MOB_SRC_LOCAL;
    const char *s;

    if (!smap_get_bool(oc, "mobility-enable", false)) {
        if (table) {
            VLOG_INFO("%s: mobility disabled", mob->name);
            mobility_set_table(mob, NULL);
        }
        free(mob->local_vni_why);
        mob->local_vni_why = NULL;
        return;
    }

    mob_table_config_init(&cfg);
    cfg.max_entries = smap_get_uint(oc, "mobility-max-entries",
                                    MOB_TABLE_DEFAULT_MAX);
    cfg.grace_time = smap_get_uint(oc, "mobility-grace-time",
                                   MOB_TABLE_DEFAULT_GRACE_TIME);
    if (!cfg.max_entries || cfg.max_entries > MOB_TABLE_MAX_ENTRIES) {
        VLOG_WARN("%s: mobility-max-entries must be 1 to %u, using %u",
                  mob->name, MOB_TABLE_MAX_ENTRIES, MOB_TABLE_DEFAULT_MAX);
        cfg.max_entries = MOB_TABLE_DEFAULT_MAX;
    }
    if (!cfg.grace_time) {
        cfg.grace_time = MOB_TABLE_DEFAULT_GRACE_TIME;
    }

    s = smap_get(oc, "mobility-source");
    if (s && !mob_src_mode_from_string(s, &mode)) {
        VLOG_WARN("%s: mobility-source must be keep or local", mob->name);
        mode = MOB_SRC_LOCAL;
    }
    atomic_store_relaxed(&mob->keep_src, mode == MOB_SRC_KEEP);
    atomic_store_relaxed(&mob->geneve_mark,
                         smap_get_bool(oc, "mobility-geneve-mark", true));
    mobility_set_local_vni(mob, oc, ports, n_ports);

    if (table && cfg.max_entries == mob->tcfg.max_entries) {
        if (memcmp(&cfg, &mob->tcfg, sizeof cfg)) {
            mob_table_reconfigure(table, &cfg);
            mob->tcfg = cfg;
        }
        return;
    }

    struct mob_table *new = mob_table_create(&cfg);
    if (!new) {
        VLOG_ERR("%s: cannot create a mobility table of %"PRIu32" entries",
                 mob->name, cfg.max_entries);
        return;
    }
    VLOG_INFO("%s: mobility enabled (max %"PRIu32" entries, grace time "
              "%"PRIu32" s, source %s)", mob->name, cfg.max_entries,
              cfg.grace_time, mob_src_mode_to_string(mode));
    mob->tcfg = cfg;
    mobility_set_table(mob, new);
}

/* Expires old table entries and announcement locks.  Returns true if
 * something changed that cached datapath flows depend on (a lock that
 * lapses counts: see mobility_xlate_ingress()'s '*no_learn'). */
bool
mobility_run(struct mobility *mob)
{
    struct mob_table *table = mobility_table(mob);
    bool changed = false;
    uint64_t seq;

    if (table && mob_table_next_expiry(table) <= time_now()) {
        size_t n = mob_table_age(table, time_now());

        if (n) {
            COVERAGE_ADD(mobility_expired, n);
            VLOG_DBG("%s: %"PRIuSIZE" mobility entries expired",
                     mob->name, n);
            changed = true;
        }
    }

    if (atomic_count_get(&mob->n_locks)) {
        long long int now = time_msec();
        struct mobility_lock *lock;

        ovs_mutex_lock(&mob->lock_mutex);
        HMAP_FOR_EACH_SAFE (lock, node, &mob->locks) {
            if (now >= lock->until) {
                hmap_remove(&mob->locks, &lock->node);
                free(lock);
                atomic_count_dec(&mob->n_locks);
                /* Flows that did not learn may learn again. */
                changed = true;
            }
        }
        ovs_mutex_unlock(&mob->lock_mutex);
    }

    seq = seq_read(mob->change_seq);
    if (seq != mob->last_seq) {
        mob->last_seq = seq;
        changed = true;
    }
    return changed;
}

/* Arranges for the poll loop to wake up when mobility_run() has work. */
void
mobility_wait(struct mobility *mob)
{
    struct mob_table *table = mobility_table(mob);

    seq_wait(mob->change_seq, mob->last_seq);
    if (table) {
        uint32_t next = mob_table_next_expiry(table);

        if (next != UINT32_MAX) {
            poll_timer_wait_until((long long int) next * 1000);
        }
    }
    if (atomic_count_get(&mob->n_locks)) {
        long long int next = LLONG_MAX;
        const struct mobility_lock *lock;

        ovs_mutex_lock(&mob->lock_mutex);
        HMAP_FOR_EACH (lock, node, &mob->locks) {
            next = MIN(next, lock->until);
        }
        ovs_mutex_unlock(&mob->lock_mutex);
        if (next != LLONG_MAX) {
            poll_timer_wait_until(next);
        }
    }
}

/* Returns the libmobility tunnel type of tunnel netdev 'netdev'. */
static enum mob_tnl_type
netdev_mob_tnl_type(const struct netdev *netdev)
{
    const char *type = netdev ? netdev_get_type(netdev) : "";

    return (!strcmp(type, "vxlan") ? MOB_TNL_VXLAN
            : !strcmp(type, "geneve") ? MOB_TNL_GENEVE
            : MOB_TNL_NONE);
}

/* Sets the VNI under which 'mob' looks up frames from local ports: the
 * bridge's other_config:mobility-vni in 'oc' if set, otherwise the key of
 * the VXLAN and Geneve ports among the 'n_ports' netdevs in 'ports' if
 * they all have the same fixed key (in and out), otherwise none (frames
 * from local ports then follow the OpenFlow pipeline alone).  Logs a
 * change. */
static void
mobility_set_local_vni(struct mobility *mob, const struct smap *oc,
                       struct netdev *const *ports, size_t n_ports)
{
    const char *s = smap_get(oc, "mobility-vni");
    uint32_t vni = MOBILITY_VNI_NONE;
    unsigned long x;
    char *why;

    if (s && mob_parse_uint(s, 0, MOB_TABLE_MAX_VNI, &x)) {
        vni = x;
        why = xasprintf("vni %"PRIu32" (other_config:mobility-vni)", vni);
    } else {
        const char *problem = NULL;
        size_t n = 0;

        if (s) {
            VLOG_WARN("%s: mobility-vni must be 0 to %u, deriving it from "
                      "the tunnel ports", mob->name, MOB_TABLE_MAX_VNI);
        }
        for (size_t i = 0; i < n_ports && !problem; i++) {
            const struct netdev_tunnel_config *cfg;
            uint32_t key;

            if (netdev_mob_tnl_type(ports[i]) == MOB_TNL_NONE) {
                continue;
            }
            cfg = netdev_get_tunnel_config(ports[i]);
            if (!cfg || cfg->in_key_flow || cfg->out_key_flow
                || cfg->in_key != cfg->out_key) {
                problem = "a tunnel port has a flow or asymmetric key";
                break;
            }
            key = ntohll(cfg->out_key) & MOB_TABLE_MAX_VNI;
            if (n++ && key != vni) {
                problem = "the tunnel ports have different keys";
            }
            vni = key;
        }
        if (problem || !n) {
            vni = MOBILITY_VNI_NONE;
            why = xasprintf("none (%s): set other_config:mobility-vni",
                            problem ? problem : "no tunnel port");
        } else {
            why = xasprintf("vni %"PRIu32" (the key of the tunnel ports)",
                            vni);
        }
    }

    atomic_store_relaxed(&mob->local_vni, vni);
    if (!mob->local_vni_why || strcmp(why, mob->local_vni_why)) {
        VLOG_INFO("%s: frames from local ports use %s", mob->name, why);
        free(mob->local_vni_why);
        mob->local_vni_why = why;
        mobility_changed(mob);
    } else {
        free(why);
    }
}

/* Returns the VNI of tunnel metadata 'tnl'. */
static uint32_t
flow_tnl_vni(const struct flow_tnl *tnl)
{
    return ntohll(tnl->tun_id) & 0xffffff;
}

/* Returns true if 'flow' may be an announcement, unwildcarding in 'wc' the
 * fields that tell.  Only such flows are examined byte by byte (by lib's
 * mob_announce_detect()), as slow-path flows. */
static bool
flow_may_announce(const struct flow *flow, struct flow_wildcards *wc)
{
    WC_MASK_FIELD(wc, dl_type);
    if (flow->dl_type == htons(ETH_TYPE_RARP)) {
        return true;
    } else if (flow->dl_type == htons(ETH_TYPE_ARP)) {
        WC_MASK_FIELD(wc, nw_proto);
        if (flow->nw_proto == ARP_OP_REQUEST) {
            WC_MASK_FIELD(wc, nw_src);
            WC_MASK_FIELD(wc, nw_dst);
            return flow->nw_src == flow->nw_dst && flow->nw_src;
        } else if (flow->nw_proto == ARP_OP_REPLY) {
            WC_MASK_FIELD(wc, dl_dst);
            return eth_addr_is_broadcast(flow->dl_dst);
        }
        return false;
    } else if (flow->dl_type == htons(ETH_TYPE_IPV6)) {
        WC_MASK_FIELD(wc, nw_proto);
        if (flow->nw_proto == IPPROTO_ICMPV6) {
            WC_MASK_FIELD(wc, tp_src);
            return flow->tp_src == htons(ND_NEIGHBOR_ADVERT);
        }
    }
    return false;
}

/* Converts 'ea' to libmobility's type. */
static struct mob_eth_addr
eth_to_mob(const struct eth_addr ea)
{
    struct mob_eth_addr m;

    memcpy(m.ea, ea.ea, sizeof m.ea);
    return m;
}

/* Returns the table origin of announcement type 'type'. */
static enum mob_origin
announce_origin(enum mob_announce_type type)
{
    return (type == MOB_ANN_GARP ? MOB_ORIGIN_GARP
            : type == MOB_ANN_NA ? MOB_ORIGIN_NA
            : MOB_ORIGIN_RARP);
}

/* Records that 'mac' was announced on 'bundle' now, a local port if
 * 'local'.  The caller has cached flows revalidated (see '*no_learn' in
 * mobility_xlate_ingress()). */
static void
mobility_lock_mac(struct mobility *mob, const struct eth_addr *mac,
                  const void *bundle, bool local)
{
    uint32_t hash = hash_bytes(mac, sizeof *mac, 0);
    struct mobility_lock *lock;

    ovs_mutex_lock(&mob->lock_mutex);
    HMAP_FOR_EACH_WITH_HASH (lock, node, hash, &mob->locks) {
        if (eth_addr_equals(lock->mac, *mac)) {
            break;
        }
    }
    if (!lock) {
        lock = xzalloc(sizeof *lock);
        lock->mac = *mac;
        hmap_insert(&mob->locks, &lock->node, hash);
        atomic_count_inc(&mob->n_locks);
    }
    lock->bundle = bundle;
    lock->local = local;
    lock->until = time_msec() + MOBILITY_ANNOUNCE_LOCK_MS;
    ovs_mutex_unlock(&mob->lock_mutex);
}

/* Returns true if 'mac' was announced on a local port of 'mob''s bridge
 * less than MOBILITY_ANNOUNCE_LOCK_MS ago: the VM has just arrived here. */
static bool
mobility_just_arrived(struct mobility *mob, const struct eth_addr *mac)
{
    uint32_t hash = hash_bytes(mac, sizeof *mac, 0);
    const struct mobility_lock *lock;
    bool arrived = false;

    if (!atomic_count_get(&mob->n_locks)) {
        return false;
    }
    ovs_mutex_lock(&mob->lock_mutex);
    HMAP_FOR_EACH_WITH_HASH (lock, node, hash, &mob->locks) {
        if (eth_addr_equals(lock->mac, *mac)) {
            arrived = lock->local && time_msec() < lock->until;
            break;
        }
    }
    ovs_mutex_unlock(&mob->lock_mutex);
    return arrived;
}

/* Returns true if NORMAL may learn 'mac' on 'bundle' in 'mob''s bridge:
 * false while an announcement of 'mac' on another bundle is younger than
 * MOBILITY_ANNOUNCE_LOCK_MS.  An announcement wins over statistics of
 * flows cached before it. */
bool
mobility_learning_allowed(struct mobility *mob, const struct eth_addr *mac,
                          int vlan OVS_UNUSED, const void *bundle)
{
    uint32_t hash = hash_bytes(mac, sizeof *mac, 0);
    const struct mobility_lock *lock;
    bool allowed = true;

    if (!mob || !atomic_count_get(&mob->n_locks)
        || !mobility_is_enabled(mob)) {
        return true;
    }

    ovs_mutex_lock(&mob->lock_mutex);
    HMAP_FOR_EACH_WITH_HASH (lock, node, hash, &mob->locks) {
        if (eth_addr_equals(lock->mac, *mac)) {
            allowed = (lock->bundle == bundle
                       || time_msec() >= lock->until);
            break;
        }
    }
    ovs_mutex_unlock(&mob->lock_mutex);

    if (!allowed) {
        uint64_t orig;

        atomic_add_relaxed(&mob->race_blocked, 1, &orig);
        COVERAGE_INC(mobility_race_blocked);
    }
    return allowed;
}

/* Collects the VNIs under which a MAC is in the table. */
struct vni_collect {
    struct mob_eth_addr mac;
    uint32_t *vnis;
    size_t n, allocated;
};

/* mob_table_foreach() callback for vni_collect. */
static void
collect_vnis_cb(const struct mob_entry *e, void *aux_)
{
    struct vni_collect *aux = aux_;

    if (mob_eth_addr_equals(&e->mac, &aux->mac)) {
        if (aux->n >= aux->allocated) {
            aux->vnis = x2nrealloc(aux->vnis, &aux->allocated,
                                   sizeof *aux->vnis);
        }
        aux->vnis[aux->n++] = e->vni;
    }
}

/* Handles announcement 'ann' received on a port of 'mob''s bridge.
 *
 * When the table changes, the datapath flows to the MAC are deleted first,
 * before anything that logs or wakes another thread: on a busy machine a
 * woken revalidator can take this thread's core for milliseconds, and this
 * thread (with OVS-DPDK, the PMD thread that forwards the VM's traffic)
 * must not be holding a stale flow meanwhile.  Then the cached flows are
 * revalidated (mobility_changed()), and the flows to the MAC deleted once
 * more: a flow that another thread translated against the old table and
 * put in between. */
static void
mobility_announce(struct mobility *mob, struct mob_table *table,
                  const struct flow *flow, const struct netdev *in_netdev,
                  bool from_tunnel, const void *in_bundle,
                  const struct mob_announce *ann)
{
    char vtep_s[MOB_IP_STRLEN], old_s[MOB_IP_STRLEN];
    struct eth_addr mac;
    uint64_t orig;

    memcpy(mac.ea, ann->mac.ea, sizeof mac.ea);
    COVERAGE_INC(mobility_announce);
    atomic_add_relaxed(&mob->announcements, 1, &orig);
    mobility_lock_mac(mob, &mac, in_bundle, !from_tunnel);

    if (!from_tunnel) {
        /* The VM is here: forget that it moved, under every VNI. */
        struct vni_collect aux = { .mac = ann->mac };
        size_t n = 0;

        mob_table_foreach(table, collect_vnis_cb, &aux);
        for (size_t i = 0; i < aux.n; i++) {
            if (mob_table_delete(table, aux.vnis[i], &ann->mac)) {
                aux.vnis[n++] = aux.vnis[i];
            }
        }
        if (n) {
            mobility_delete_flows(mob, &mac);
        }
        for (size_t i = 0; i < n; i++) {
            VLOG_INFO("%s: vni %"PRIu32" "ETH_ADDR_FMT" is local again "
                      "(%s on %s), entry removed", mob->name, aux.vnis[i],
                      ETH_ADDR_ARGS(mac),
                      mob_announce_type_to_string(ann->type),
                      in_netdev ? netdev_get_name(in_netdev) : "?");
            COVERAGE_INC(mobility_local_remove);
            atomic_add_relaxed(&mob->local_removals, 1, &orig);
        }
        free(aux.vnis);
        mobility_changed(mob);
        if (n) {
            mobility_delete_flows(mob, &mac);
        }
        return;
    }

    struct mob_learn req = {
        .vni = flow_tnl_vni(&flow->tunnel),
        .mac = ann->mac,
        .vtep = flow_tnl_src(&flow->tunnel),
        .tnl_type = netdev_mob_tnl_type(in_netdev),
        .origin = announce_origin(ann->type),
        .seq = 0,
    };
    struct mob_entry old;
    enum mob_learn_result r;

    memset(&old, 0, sizeof old);
    r = mob_table_learn(table, &req, time_now(), &old);
    mob_ip_format(&req.vtep, vtep_s);
    switch (r) {
    case MOB_LEARN_NEW:
    case MOB_LEARN_MOVED:
        mobility_delete_flows(mob, &mac);
        COVERAGE_INC(mobility_learn);
        if (r == MOB_LEARN_MOVED) {
            COVERAGE_INC(mobility_move);
        }
        VLOG_INFO("%s: vni %"PRIu32" "ETH_ADDR_FMT" moved from %s to %s "
                  "(%s via %s)", mob->name, req.vni, ETH_ADDR_ARGS(mac),
                  r == MOB_LEARN_MOVED ? mob_ip_format(&old.vtep, old_s)
                  : "this VTEP", vtep_s,
                  mob_origin_to_string(req.origin),
                  in_netdev ? netdev_get_name(in_netdev) : "?");
        mobility_changed(mob);
        mobility_delete_flows(mob, &mac);
        return;
    case MOB_LEARN_FREEZE:
        COVERAGE_INC(mobility_freeze);
        VLOG_WARN("%s: vni %"PRIu32" "ETH_ADDR_FMT" flaps between VTEPs "
                  "(last seen at %s): entry frozen at %s", mob->name,
                  req.vni, ETH_ADDR_ARGS(mac), vtep_s,
                  mob_ip_format(&old.vtep, old_s));
        break;
    case MOB_LEARN_REFRESHED:
        break;
    case MOB_LEARN_FROZEN:
    case MOB_LEARN_STALE:
    case MOB_LEARN_FULL:
    case MOB_LEARN_INVALID:
    default: {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);

        VLOG_INFO_RL(&rl, "%s: vni %"PRIu32" "ETH_ADDR_FMT" to %s not "
                     "learned: %s", mob->name, req.vni, ETH_ADDR_ARGS(mac),
                     vtep_s, mob_learn_result_to_string(r));
        break;
    }
    }
    /* The announcement lock changed. */
    mobility_changed(mob);
}

/* Examines a packet that 'mob''s bridge received on 'in_netdev' (a tunnel
 * if 'from_tunnel'), with flow 'flow'.  Unwildcards in 'wc' the fields the
 * decision depends on.  'packet' (which may be NULL) is examined for an
 * announcement only if 'side_effects' is true (an upcall, not a
 * revalidation or a trace).  'in_bundle' identifies the input port for
 * the NORMAL-learning lock.
 *
 * Sets '*slow' if the flow must stay in the slow path (an announcement
 * candidate).  Sets '*no_learn' if NORMAL must not learn the packet's
 * source MAC: it came from a tunnel for a VM that has just arrived on a
 * local port, and may have been redirected by the VM's old VTEP.
 *
 * Returns MOBILITY_REDIRECT with '*rd' filled in if the packet must be
 * re-encapsulated towards rd->entry.vtep: a packet from a tunnel for a
 * (VNI, MAC) in the table, or a frame from a local port for a MAC in the
 * table under the bridge's VNI (rd->local).  Returns MOBILITY_DROP if loop
 * protection refused a redirect, MOBILITY_PASS otherwise. */
enum mobility_action
mobility_xlate_ingress(struct mobility *mob, const struct flow *flow,
                       struct flow_wildcards *wc,
                       const struct dp_packet *packet,
                       const struct netdev *in_netdev, bool from_tunnel,
                       bool side_effects, const void *in_bundle,
                       bool *slow, bool *no_learn,
                       struct mobility_redirect *rd)
{
    struct mob_table *table = mobility_table(mob);

    *slow = false;
    *no_learn = false;
    if (!table) {
        return MOBILITY_PASS;
    }

    if (flow_may_announce(flow, wc)) {
        struct mob_announce ann;

        *slow = true;
        if (packet && side_effects
            && mob_announce_detect(dp_packet_data(packet),
                                   dp_packet_size(packet), &ann)) {
            mobility_announce(mob, table, flow, in_netdev, from_tunnel,
                              in_bundle, &ann);
        }
        return MOBILITY_PASS;
    }
    struct mob_eth_addr dst = eth_to_mob(flow->dl_dst);
    struct mob_entry e;
    uint64_t orig;
    uint32_t vni;

    if (!from_tunnel) {
        /* A frame from a local VM for a VM that moved away goes to the new
         * VTEP, whatever NORMAL believes (the old port may linger). */
        atomic_read_relaxed(&mob->local_vni, &vni);
        if (vni == MOBILITY_VNI_NONE
            || eth_addr_is_multicast(flow->dl_dst)) {
            return MOBILITY_PASS;
        }
        WC_MASK_FIELD(wc, dl_dst);
        if (!mob_table_lookup(table, vni, &dst, &e)) {
            return MOBILITY_PASS;
        }
        COVERAGE_INC(mobility_local_redirect);
        if (side_effects) {
            atomic_add_relaxed(&mob->local_redirects, 1, &orig);
        }
        memset(rd, 0, sizeof *rd);
        rd->mob = mob;
        rd->entry = e;
        rd->local = true;
        atomic_read_relaxed(&mob->table_gen, &rd->table_gen);
        return MOBILITY_REDIRECT;
    }
    if (!flow_tnl_dst_is_set(&flow->tunnel)) {
        return MOBILITY_PASS;
    }

    vni = flow_tnl_vni(&flow->tunnel);
    WC_MASK_FIELD(wc, dl_dst);
    wc->masks.tunnel.tun_id = OVS_BE64_MAX;
    if (mobility_just_arrived(mob, &flow->dl_dst)) {
        *no_learn = true;
        COVERAGE_INC(mobility_learn_skipped);
        if (side_effects) {
            atomic_add_relaxed(&mob->learns_skipped, 1, &orig);
        }
    }
    if (!mob_table_lookup(table, vni, &dst, &e)) {
        return MOBILITY_PASS;
    }

    /* The loop rules are lib's: describe the packet the way its parser
     * would have. */
    struct mob_redirect_config cfg;
    struct mob_tnl_pkt pkt;
    bool keep_src, geneve_mark;

    atomic_read_relaxed(&mob->keep_src, &keep_src);
    atomic_read_relaxed(&mob->geneve_mark, &geneve_mark);

    memset(&pkt, 0, sizeof pkt);
    pkt.type = netdev_mob_tnl_type(in_netdev);
    pkt.outer_src = flow_tnl_src(&flow->tunnel);
    pkt.outer_dst = flow_tnl_dst(&flow->tunnel);
    pkt.outer_ipv6 = !mob_ip_is_v4(&pkt.outer_dst);
    pkt.outer_ttl = flow->tunnel.ip_ttl;
    pkt.vni = vni;
    pkt.inner_dst = dst;
    pkt.inner_src = eth_to_mob(flow->dl_src);
    WC_MASK_FIELD(wc, tunnel.ip_src);
    WC_MASK_FIELD(wc, tunnel.ipv6_src);
    WC_MASK_FIELD(wc, tunnel.ip_dst);
    WC_MASK_FIELD(wc, tunnel.ipv6_dst);

    mob_redirect_config_init(&cfg);
    if (pkt.outer_ipv6) {
        cfg.local_vtep6 = pkt.outer_dst;
    } else {
        cfg.local_vtep4 = pkt.outer_dst;
    }
    cfg.src_mode = keep_src ? MOB_SRC_KEEP : MOB_SRC_LOCAL;
    cfg.geneve_mark = geneve_mark;
    cfg.vxlan_mark = false;

    bool marked = pkt.type == MOB_TNL_GENEVE && geneve_mark;
    if (keep_src && !marked) {
        /* The TTL rule of unmarked packets needs the received TTL. */
        WC_MASK_FIELD(wc, tunnel.ip_ttl);
    }

    enum mob_redirect_verdict v = mob_redirect_decide(&pkt, &e, &cfg);
    if (mob_redirect_verdict_is_loop(v)) {
        COVERAGE_INC(mobility_loop_drop);
        if (side_effects) {
            atomic_add_relaxed(&mob->loop_drops, 1, &orig);
        }
        return MOBILITY_DROP;
    } else if (v != MOB_RD_REDIRECT) {
        return MOBILITY_PASS;
    }

    COVERAGE_INC(mobility_redirect_xlate);
    memset(rd, 0, sizeof *rd);
    rd->mob = mob;
    rd->entry = e;
    rd->orig_src = pkt.outer_src;
    rd->keep_src = keep_src;
    rd->mark = marked;
    rd->ttl = (keep_src && !marked
               ? MIN(cfg.ttl, pkt.outer_ttl - 1) : cfg.ttl);
    atomic_read_relaxed(&mob->table_gen, &rd->table_gen);
    return MOBILITY_REDIRECT;
}

/* Returns true if tunnel 'netdev' can carry the redirect 'rd': same tunnel
 * type, an output key equal to the VNI (or key=flow), and, if 'exact',
 * remote_ip equal to the new VTEP, otherwise remote_ip=flow. */
bool
mobility_port_reaches(const struct netdev *netdev,
                      const struct mobility_redirect *rd, bool exact)
{
    const struct netdev_tunnel_config *cfg = netdev_get_tunnel_config(netdev);
    enum mob_tnl_type type = netdev_mob_tnl_type(netdev);

    if (!cfg || type == MOB_TNL_NONE
        || (rd->entry.tnl_type != MOB_TNL_NONE
            && rd->entry.tnl_type != type)) {
        return false;
    }
    if (!cfg->out_key_flow
        && (ntohll(cfg->out_key) & 0xffffff) != rd->entry.vni) {
        return false;
    }
    return (exact
            ? !cfg->ip_dst_flow && ipv6_addr_equals(&cfg->ipv6_dst,
                                                    &rd->entry.vtep)
            : cfg->ip_dst_flow);
}

/* Adjusts the outer header that native tunnelling built for redirect 'rd'
 * in 'data': the outer source becomes the original sender's (MOB_SRC_KEEP,
 * same address family only), the TTL rd->ttl, and a Geneve header gets the
 * redirect mark option if rd->mark.  Checksums that the datapath does not
 * recompute at push time are updated incrementally.  Does nothing for a
 * frame from a local port (rd->local). */
void
mobility_patch_tnl_push(const struct mobility_redirect *rd,
                        struct ovs_action_push_tnl *data)
{
    uint8_t *h = (uint8_t *) data->header;
    uint16_t eth_type = mob_get_be16(h + 12);
    size_t l4_ofs;

    if (rd->local) {
        /* An ordinary encapsulation from this VTEP. */
        return;
    }

    if (eth_type == MOB_ETH_TYPE_IPV4) {
        uint8_t *ip = h + MOB_ETH_HLEN;
        uint16_t csum = mob_get_be16(ip + 10);
        uint16_t old_tp = mob_get_be16(ip + 8);
        uint16_t new_tp = (rd->ttl << 8) | (old_tp & 0xff);

        csum = mob_csum_update16(csum, old_tp, new_tp);
        mob_put_be16(ip + 8, new_tp);
        if (rd->keep_src && mob_ip_is_v4(&rd->orig_src)) {
            uint32_t old_src = mob_get_be32(ip + 12);
            uint32_t new_src = mob_get_be32(&rd->orig_src.s6_addr[12]);

            csum = mob_csum_update32(csum, old_src, new_src);
            mob_put_be32(ip + 12, new_src);
        }
        mob_put_be16(ip + 10, csum);
        l4_ofs = MOB_ETH_HLEN + (ip[0] & 0x0f) * 4;
    } else if (eth_type == MOB_ETH_TYPE_IPV6) {
        uint8_t *ip6 = h + MOB_ETH_HLEN;

        /* No IPv6 header checksum; the UDP checksum, if any, is computed
         * at push time from these addresses. */
        ip6[7] = rd->ttl;
        if (rd->keep_src && !mob_ip_is_v4(&rd->orig_src)) {
            memcpy(ip6 + 8, &rd->orig_src, 16);
        }
        l4_ofs = MOB_ETH_HLEN + MOB_IPV6_HLEN;
    } else {
        return;
    }

    if (rd->mark && data->tnl_type == OVS_VPORT_TYPE_GENEVE
        && data->header_len + MOB_GENEVE_MARK_LEN <= sizeof data->header) {
        uint8_t *gnv = h + l4_ofs + MOB_UDP_HLEN;
        uint8_t *opt = h + data->header_len;

        mob_put_be16(opt, MOB_GENEVE_OPT_CLASS_MOBILITY);
        opt[2] = MOB_GENEVE_OPT_TYPE_REDIRECT;
        opt[3] = 0;
        gnv[0] = (gnv[0] & 0xc0) | ((gnv[0] & 0x3f) + 1);
        data->header_len += MOB_GENEVE_MARK_LEN;
    }
}

/* Adds 'stats' of a redirect flow to 'mob''s counters and, if the table is
 * still generation 'table_gen', to entry 'id''s hit counters. */
void
mobility_account(struct mobility *mob, uint64_t table_gen, uint32_t id,
                 const struct dpif_flow_stats *stats)
{
    struct mob_table *table = mobility_table(mob);
    uint64_t gen, orig;

    if (!stats->n_packets) {
        return;
    }
    atomic_add_relaxed(&mob->redirected_packets, stats->n_packets, &orig);
    atomic_add_relaxed(&mob->redirected_bytes, stats->n_bytes, &orig);
    atomic_read_relaxed(&mob->table_gen, &gen);
    if (table && gen == table_gen) {
        mob_table_hit_many(table, id, stats->n_packets, stats->n_bytes);
    }
}

/* unixctl commands: lib/mob-cmd.c's grammar and output. */

/* Returns the mobility state of bridge 'name', or NULL. */
static struct mobility *
mobility_find(const char *name)
{
    struct mobility *mob;

    HMAP_FOR_EACH_WITH_HASH (mob, node, hash_string(name, 0),
                             &all_mobility) {
        if (!strcmp(mob->name, name)) {
            return mob;
        }
    }
    return NULL;
}

/* Compares bridges by name, for sorted output. */
static int
compare_mobility(const void *a_, const void *b_)
{
    const struct mobility *const *a = a_;
    const struct mobility *const *b = b_;

    return strcmp((*a)->name, (*b)->name);
}

/* Returns the enabled bridges, sorted by name, in a new array of '*n'. */
static struct mobility **
mobility_sorted(size_t *n)
{
    struct mobility **v = xmalloc((hmap_count(&all_mobility) + 1)
                                  * sizeof *v);
    struct mobility *mob;

    *n = 0;
    HMAP_FOR_EACH (mob, node, &all_mobility) {
        if (mobility_is_enabled(mob)) {
            v[(*n)++] = mob;
        }
    }
    qsort(v, *n, sizeof *v, compare_mobility);
    return v;
}

/* Appends to 'ds' the counters of 'mob' that Open vSwitch keeps beside the
 * table's, as "key: value" lines like mob_cmd_format_stats()'s.  The
 * datapath executes redirects without upcalls, so there is no per-packet
 * count of what was looked up: mob_redirect_stats is not filled in. */
static void
mobility_format_ovs_stats(struct mobility *mob, struct mob_ds *ds)
{
    const struct {
        const char *name;
        atomic_uint64_t *counter;
    } counters[] = {
        { "announcements", &mob->announcements },
        { "redirected_packets", &mob->redirected_packets },
        { "redirected_bytes", &mob->redirected_bytes },
        { "local_redirects", &mob->local_redirects },
        { "loop_drops", &mob->loop_drops },
        { "local_removals", &mob->local_removals },
        { "relearns_blocked", &mob->race_blocked },
        { "learns_skipped", &mob->learns_skipped },
    };

    for (size_t i = 0; i < ARRAY_SIZE(counters); i++) {
        uint64_t value;

        atomic_read_relaxed(counters[i].counter, &value);
        mob_ds_put_format(ds, "%s: %"PRIu64"\n", counters[i].name, value);
    }
}

/* Runs the command in 'argv' (mob_cmd_run()'s grammar) on the enabled
 * bridges and replies on 'conn'.  A command that changes tables has the
 * cached flows of the bridges it touched revalidated; mobility/stats gets
 * Open vSwitch's own counters after each bridge's table counters. */
static void
mobility_unixctl_cmd(struct unixctl_conn *conn, int argc,
                     const char *argv[], void *aux OVS_UNUSED)
{
    struct mob_ds out = MOB_DS_EMPTY_INITIALIZER;
    struct mob_cmd_bridge *bridges;
    struct mobility **mobs;
    struct mob_cmd cmd;
    size_t n;
    bool ok;

    if (!mob_cmd_parse(argc, argv, &cmd, &out)) {
        unixctl_command_reply_error(conn, mob_ds_cstr(&out));
        mob_ds_destroy(&out);
        return;
    }
    if (cmd.bridge) {
        struct mobility *mob = mobility_find(cmd.bridge);

        if (mob && !mobility_is_enabled(mob)) {
            mob_ds_put_format(&out, "mobility is not enabled on bridge %s "
                              "(other_config:mobility-enable=true)\n",
                              cmd.bridge);
            unixctl_command_reply_error(conn, mob_ds_cstr(&out));
            mob_ds_destroy(&out);
            return;
        }
    }

    mobs = mobility_sorted(&n);
    bridges = xcalloc(n + 1, sizeof *bridges);
    for (size_t i = 0; i < n; i++) {
        bridges[i].name = mobs[i]->name;
        bridges[i].table = mobility_table(mobs[i]);
        bridges[i].dp_stats = NULL;
    }

    if (cmd.type == MOB_CMD_STATS) {
        /* mob_cmd_run() one bridge at a time, to append our counters. */
        ok = true;
        for (size_t i = 0; i < n; i++) {
            const char *args[2] = { argv[0], mobs[i]->name };

            if (cmd.bridge && strcmp(cmd.bridge, mobs[i]->name)) {
                continue;
            }
            if (!cmd.bridge) {
                mob_ds_put_format(&out, "bridge %s:\n", mobs[i]->name);
            }
            ok = mob_cmd_run(bridges, n, 2, args, time_now(), &out) && ok;
            mobility_format_ovs_stats(mobs[i], &out);
        }
        if (cmd.bridge && !mobility_find(cmd.bridge)) {
            ok = mob_cmd_run(bridges, n, argc, argv, time_now(), &out);
        }
    } else {
        ok = mob_cmd_run(bridges, n, argc, argv, time_now(), &out);
    }

    if (ok && (cmd.type == MOB_CMD_ADD || cmd.type == MOB_CMD_DEL
               || cmd.type == MOB_CMD_FLUSH)) {
        for (size_t i = 0; i < n; i++) {
            if (!cmd.bridge || !strcmp(cmd.bridge, mobs[i]->name)) {
                mobility_changed(mobs[i]);
                if (cmd.type != MOB_CMD_FLUSH) {
                    struct eth_addr mac;

                    memcpy(mac.ea, cmd.mac.ea, sizeof mac.ea);
                    mobility_delete_flows(mobs[i], &mac);
                }
            }
        }
        if (cmd.type == MOB_CMD_ADD) {
            char vtep[MOB_IP_STRLEN];

            VLOG_INFO("%s: vni %"PRIu32" "MOB_ETH_ADDR_FMT" moved to %s "
                      "(static)", cmd.bridge, cmd.vni,
                      MOB_ETH_ADDR_ARGS(cmd.mac),
                      mob_ip_format(&cmd.vtep, vtep));
        }
    }

    if (ok) {
        unixctl_command_reply(conn, mob_ds_cstr(&out));
    } else {
        unixctl_command_reply_error(conn, mob_ds_cstr(&out));
    }
    mob_ds_destroy(&out);
    free(bridges);
    free(mobs);
}

/* Registers the commands. */
static void
mobility_unixctl_register(void)
{
    for (int i = 0; i < MOB_N_CMDS; i++) {
        const struct mob_cmd_info *info = mob_cmd_info(i);

        unixctl_command_register(info->name, info->args, info->min_args,
                                 info->max_args, mobility_unixctl_cmd,
                                 NULL);
    }
}
