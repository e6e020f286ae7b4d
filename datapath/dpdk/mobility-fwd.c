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

/* mobility-fwd: a migration-aware VTEP redirector between DPDK ports.
 *
 * Packets from the underlay port run through the burst fast path
 * (mob-dpdk.h): redirected packets go back out of the underlay port,
 * everything else goes to the local port, rejected packets are dropped.
 * Packets from the local port go to the underlay port untouched, so that
 * mobility-fwd can sit as a bump in the wire in front of a VTEP.  A
 * control socket (mob-dpdk-ctl.h) takes the mobility commands at run
 * time. */

#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "mob-cmd.h"
#include "mob-dpdk-ctl.h"
#include "mob-dpdk.h"
#include "mob-redirect.h"
#include "mob-table.h"

#define FWD_BURST 32
#define FWD_N_MBUFS 8191
#define FWD_MBUF_CACHE 256
#define FWD_RX_DESC 1024
#define FWD_TX_DESC 1024
#define FWD_TX_RETRIES 8
#define FWD_MAX_CMDS 256

/* Port counters, kept by the forwarding lcore. */
struct fwd_port_stats {
    uint64_t rx;
    uint64_t tx;
    uint64_t tx_dropped;
};

/* Everything the forwarding lcore counts; copied to the control thread on
 * request. */
struct fwd_stats {
    struct fwd_port_stats underlay;
    struct fwd_port_stats local;
    uint64_t rejected;
    struct mob_redirect_stats redirect;
    uint64_t linearized;
    uint64_t chained_local;
};

struct fwd {
    /* Configuration. */
    uint16_t underlay_port;
    uint16_t local_port;
    bool has_local_port;
    unsigned int burst;
    unsigned int idle_exit_ms;          /* 0: run until a signal. */
    const char *ctl_path;
    bool print_stats;
    struct mob_table_config table_cfg;
    struct mob_redirect_config rd_cfg;
    struct mob_dpdk_neigh neigh;
    bool have_mac;
    const char *cmds[FWD_MAX_CMDS];     /* --cmd, run before starting. */
    size_t n_cmds;
    struct mob_learn statics[FWD_MAX_CMDS];     /* --static. */
    size_t n_statics;

    /* State. */
    struct mob_table *table;
    struct mob_dpdk_path path;
    struct fwd_stats stats;             /* Forwarding lcore only. */

    /* Stats hand-over: the control thread bumps 'stats_req', the lcore
     * copies 'stats' to 'stats_copy' and sets 'stats_done' to it. */
    atomic_uint stats_req;
    atomic_uint stats_done;
    atomic_bool running;
    struct fwd_stats stats_copy;
};

static atomic_bool fwd_quit;

/* Signal handler: asks the forwarding loop to stop. */
static void
fwd_signal(int sig)
{
    (void) sig;
    atomic_store(&fwd_quit, true);
}

/* Prints usage and exits. */
static void
fwd_usage(int status)
{
    printf("\
mobility-fwd: migration-aware VTEP redirector\n\
usage: mobility-fwd [EAL options] -- [options]\n\
       mobility-fwd --ctl SOCKET COMMAND [ARG...]\n\
\n\
Options:\n\
  --underlay PORT      underlay port id (default 0)\n\
  --local PORT|none    local port id (default 1)\n\
  --vtep IP            this VTEP's IPv4 or IPv6 address (repeatable)\n\
  --mac MAC            outer source MAC (default: underlay port's)\n\
  --neigh IP=MAC       next-hop MAC of underlay address IP (repeatable)\n\
  --gateway MAC        next-hop MAC of every other address\n\
  --src-mode keep|local  outer source of redirects (default keep)\n\
  --ttl N              fresh TTL / hop limit (default 64)\n\
  --vxlan-mark         mark redirected VXLAN packets\n\
  --no-geneve-mark     do not mark redirected Geneve packets\n\
  --vxlan-port N       VXLAN UDP port (default 4789)\n\
  --geneve-port N      Geneve UDP port (default 6081)\n\
  --max-entries N      mobility table size (default %u)\n\
  --grace-time S       entry lifetime after a learn (default %u)\n\
  --static VNI,MAC,VTEP[,vxlan|geneve]  pre-load an entry (repeatable)\n\
  --cmd 'COMMAND'      run a control command before forwarding\n\
  --ctl-socket PATH    serve control commands on unix socket PATH\n\
  --burst N            receive burst size (default %d)\n\
  --idle-exit MS       exit after MS ms with no packet received\n\
  --stats              print counters on exit\n\
  --help               this help\n",
           MOB_TABLE_DEFAULT_MAX, MOB_TABLE_DEFAULT_GRACE_TIME, FWD_BURST);
    exit(status);
}

/* Parses 's' as an unsigned integer in [min, max] into '*value'.  Returns
 * true on success. */
static bool
fwd_parse_uint(const char *s, unsigned long min, unsigned long max,
               unsigned long *value)
{
    char *end;

    errno = 0;
    *value = strtoul(s, &end, 0);
    return !errno && *s && !*end && *s != '-' && *value >= min
           && *value <= max;
}

/* Parses "IP=MAC" into the neighbour table of 'fwd'.  Returns true on
 * success. */
static bool
fwd_parse_neigh(struct fwd *fwd, const char *arg)
{
    char buf[128];
    struct in6_addr ip;
    struct mob_eth_addr mac;
    char *comma;

    if (strlen(arg) >= sizeof buf) {
        return false;
    }
    strcpy(buf, arg);
    comma = strchr(buf, '=');
    if (!comma) {
        return false;
    }
    *comma = '\0';
    return (mob_ip_parse(buf, &ip) && mob_eth_addr_parse(comma + 1, &mac)
            && !mob_dpdk_neigh_add(&fwd->neigh, &ip, &mac));
}

/* Parses "VNI,MAC,VTEP[,vxlan|geneve]", the syntax of mobility-pcap's
 * --static, into '*req'.  Returns true on success. */
static bool
fwd_parse_static(const char *arg, struct mob_learn *req)
{
    char buf[160];
    char *fields[5];
    char *save = NULL;
    unsigned long vni;
    int n = 0;

    if (strlen(arg) >= sizeof buf) {
        return false;
    }
    strcpy(buf, arg);
    for (char *f = strtok_r(buf, ",", &save); f && n < 5;
         f = strtok_r(NULL, ",", &save)) {
        fields[n++] = f;
    }
    memset(req, 0, sizeof *req);
    req->tnl_type = MOB_TNL_VXLAN;
    req->origin = MOB_ORIGIN_STATIC;
    if (n < 3 || n > 4 || !fwd_parse_uint(fields[0], 0, 0xffffff, &vni)
        || !mob_eth_addr_parse(fields[1], &req->mac)
        || !mob_ip_parse(fields[2], &req->vtep)) {
        return false;
    }
    req->vni = vni;
    if (n == 4) {
        if (!strcmp(fields[3], "geneve")) {
            req->tnl_type = MOB_TNL_GENEVE;
        } else if (strcmp(fields[3], "vxlan")) {
            return false;
        }
    }
    return true;
}

/* Parses the application's options (after the EAL's) into 'fwd'.  Exits
 * with a message on error. */
static void
fwd_parse_options(struct fwd *fwd, int argc, char *argv[])
{
    enum {
        OPT_UNDERLAY = 256, OPT_LOCAL, OPT_VTEP, OPT_MAC, OPT_NEIGH,
        OPT_GATEWAY, OPT_SRC_MODE, OPT_TTL, OPT_VXLAN_MARK,
        OPT_NO_GENEVE_MARK, OPT_VXLAN_PORT, OPT_GENEVE_PORT,
        OPT_MAX_ENTRIES, OPT_GRACE, OPT_CMD, OPT_CTL_SOCKET, OPT_BURST,
        OPT_IDLE_EXIT, OPT_STATS, OPT_STATIC, OPT_HELP,
    };
    static const struct option long_options[] = {
        {"underlay", required_argument, NULL, OPT_UNDERLAY},
        {"local", required_argument, NULL, OPT_LOCAL},
        {"vtep", required_argument, NULL, OPT_VTEP},
        {"mac", required_argument, NULL, OPT_MAC},
        {"neigh", required_argument, NULL, OPT_NEIGH},
        {"gateway", required_argument, NULL, OPT_GATEWAY},
        {"src-mode", required_argument, NULL, OPT_SRC_MODE},
        {"ttl", required_argument, NULL, OPT_TTL},
        {"vxlan-mark", no_argument, NULL, OPT_VXLAN_MARK},
        {"no-geneve-mark", no_argument, NULL, OPT_NO_GENEVE_MARK},
        {"vxlan-port", required_argument, NULL, OPT_VXLAN_PORT},
        {"geneve-port", required_argument, NULL, OPT_GENEVE_PORT},
        {"max-entries", required_argument, NULL, OPT_MAX_ENTRIES},
        {"grace-time", required_argument, NULL, OPT_GRACE},
        {"cmd", required_argument, NULL, OPT_CMD},
        {"ctl-socket", required_argument, NULL, OPT_CTL_SOCKET},
        {"burst", required_argument, NULL, OPT_BURST},
        {"idle-exit", required_argument, NULL, OPT_IDLE_EXIT},
        {"stats", no_argument, NULL, OPT_STATS},
        {"static", required_argument, NULL, OPT_STATIC},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    unsigned long v;
    struct in6_addr ip;
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
        bool ok = true;

        switch (c) {
        case OPT_UNDERLAY:
            ok = fwd_parse_uint(optarg, 0, RTE_MAX_ETHPORTS - 1, &v);
            fwd->underlay_port = v;
            break;
        case OPT_LOCAL:
            if (!strcmp(optarg, "none")) {
                fwd->has_local_port = false;
            } else {
                ok = fwd_parse_uint(optarg, 0, RTE_MAX_ETHPORTS - 1, &v);
                fwd->local_port = v;
                fwd->has_local_port = true;
            }
            break;
        case OPT_VTEP:
            ok = mob_ip_parse(optarg, &ip);
            if (ok && mob_ip_is_v4(&ip)) {
                fwd->rd_cfg.local_vtep4 = ip;
            } else if (ok) {
                fwd->rd_cfg.local_vtep6 = ip;
            }
            break;
        case OPT_MAC:
            ok = mob_eth_addr_parse(optarg, &fwd->rd_cfg.local_mac);
            fwd->have_mac = true;
            break;
        case OPT_NEIGH:
            ok = fwd_parse_neigh(fwd, optarg);
            break;
        case OPT_GATEWAY:
            ok = mob_eth_addr_parse(optarg, &fwd->neigh.default_mac);
            fwd->neigh.has_default = true;
            break;
        case OPT_SRC_MODE:
            ok = mob_src_mode_from_string(optarg, &fwd->rd_cfg.src_mode);
            break;
        case OPT_TTL:
            ok = fwd_parse_uint(optarg, 1, 255, &v);
            fwd->rd_cfg.ttl = v;
            break;
        case OPT_VXLAN_MARK:
            fwd->rd_cfg.vxlan_mark = true;
            break;
        case OPT_NO_GENEVE_MARK:
            fwd->rd_cfg.geneve_mark = false;
            break;
        case OPT_VXLAN_PORT:
            ok = fwd_parse_uint(optarg, 1, 65535, &v);
            fwd->rd_cfg.pkt.vxlan_port = v;
            break;
        case OPT_GENEVE_PORT:
            ok = fwd_parse_uint(optarg, 1, 65535, &v);
            fwd->rd_cfg.pkt.geneve_port = v;
            break;
        case OPT_MAX_ENTRIES:
            ok = fwd_parse_uint(optarg, 1, MOB_TABLE_MAX_ENTRIES, &v);
            fwd->table_cfg.max_entries = v;
            break;
        case OPT_GRACE:
            ok = fwd_parse_uint(optarg, 1, UINT32_MAX, &v);
            fwd->table_cfg.grace_time = v;
            break;
        case OPT_CMD:
            ok = fwd->n_cmds < FWD_MAX_CMDS;
            if (ok) {
                fwd->cmds[fwd->n_cmds++] = optarg;
            }
            break;
        case OPT_CTL_SOCKET:
            fwd->ctl_path = optarg;
            break;
        case OPT_BURST:
            ok = fwd_parse_uint(optarg, 1, MOB_DPDK_MAX_BURST, &v);
            fwd->burst = v;
            break;
        case OPT_IDLE_EXIT:
            ok = fwd_parse_uint(optarg, 1, 3600 * 1000, &v);
            fwd->idle_exit_ms = v;
            break;
        case OPT_STATS:
            fwd->print_stats = true;
            break;
        case OPT_STATIC:
            ok = fwd->n_statics < FWD_MAX_CMDS
                 && fwd_parse_static(optarg,
                                     &fwd->statics[fwd->n_statics++]);
            break;
        case 'h':
        case OPT_HELP:
            fwd_usage(EXIT_SUCCESS);
            break;
        default:
            fwd_usage(EXIT_FAILURE);
        }
        if (!ok) {
            fprintf(stderr, "mobility-fwd: bad argument for --%s: %s\n",
                    long_options[c - OPT_UNDERLAY].name, optarg);
            exit(EXIT_FAILURE);
        }
    }
    if (optind < argc) {
        fprintf(stderr, "mobility-fwd: unexpected argument %s\n",
                argv[optind]);
        exit(EXIT_FAILURE);
    }
}

/* Configures and starts port 'port' with one rx and one tx queue fed from
 * 'pool'.  Returns 0 or a negative errno value. */
static int
fwd_port_init(uint16_t port, struct rte_mempool *pool)
{
    struct rte_eth_conf conf;
    struct rte_eth_dev_info info;
    uint16_t nb_rxd = FWD_RX_DESC;
    uint16_t nb_txd = FWD_TX_DESC;
    int socket = rte_eth_dev_socket_id(port);
    int error;

    if (!rte_eth_dev_is_valid_port(port)) {
        return -ENODEV;
    }
    memset(&conf, 0, sizeof conf);
    error = rte_eth_dev_info_get(port, &info);
    if (error) {
        return error;
    }
    if (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE) {
        conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;
    }
    error = rte_eth_dev_configure(port, 1, 1, &conf);
    if (!error) {
        error = rte_eth_dev_adjust_nb_rx_tx_desc(port, &nb_rxd, &nb_txd);
    }
    if (!error) {
        error = rte_eth_rx_queue_setup(port, 0, nb_rxd,
                                       socket < 0 ? 0 : socket, NULL, pool);
    }
    if (!error) {
        struct rte_eth_txconf txconf = info.default_txconf;

        txconf.offloads = conf.txmode.offloads;
        error = rte_eth_tx_queue_setup(port, 0, nb_txd,
                                       socket < 0 ? 0 : socket, &txconf);
    }
    if (!error) {
        error = rte_eth_dev_start(port);
    }
    if (!error) {
        /* Not every PMD has a promiscuous mode (net_pcap, net_ring do
         * not need one): failure is not an error. */
        rte_eth_promiscuous_enable(port);
    }
    return error;
}

/* Sends the 'n' mbufs in 'pkts' on 'port', retrying a few times while the
 * queue is full, and frees what could not be sent.  Counts in '*ps'. */
static void
fwd_tx(uint16_t port, struct rte_mbuf **pkts, uint16_t n,
       struct fwd_port_stats *ps)
{
    uint16_t sent = 0;

    for (int tries = 0; sent < n && tries < FWD_TX_RETRIES; tries++) {
        sent += rte_eth_tx_burst(port, 0, pkts + sent, n - sent);
    }
    ps->tx += sent;
    if (sent < n) {
        ps->tx_dropped += n - sent;
        rte_pktmbuf_free_bulk(pkts + sent, n - sent);
    }
}

/* The forwarding loop of 'fwd', run on the main lcore until a signal or
 * the idle timeout. */
static void
fwd_loop(struct fwd *fwd)
{
    struct rte_mbuf *pkts[MOB_DPDK_MAX_BURST];
    struct mob_dpdk_groups groups;
    uint64_t hz = rte_get_tsc_hz();
    uint64_t idle_tsc = (uint64_t) fwd->idle_exit_ms * hz / 1000;
    uint64_t last_rx = rte_get_tsc_cycles();
    uint64_t next_clock = 0;
    uint32_t now = mob_dpdk_now();

    while (!atomic_load_explicit(&fwd_quit, memory_order_relaxed)) {
        uint64_t tsc = rte_get_tsc_cycles();
        unsigned int req;
        uint16_t n;

        if (tsc >= next_clock) {
            uint32_t prev = now;

            now = mob_dpdk_now();
            next_clock = tsc + hz / 10;
            if (now != prev && !fwd->ctl_path) {
                /* Without a control socket nothing else ages the table:
                 * do it here, once a second. */
                mob_table_age(fwd->table, now);
            }
        }

        n = rte_eth_rx_burst(fwd->underlay_port, 0, pkts, fwd->burst);
        if (n) {
            last_rx = tsc;
            fwd->stats.underlay.rx += n;
            mob_dpdk_process_burst(&fwd->path, pkts, n, now, &groups);
            if (groups.n_redirect) {
                fwd_tx(fwd->underlay_port, groups.redirect,
                       groups.n_redirect, &fwd->stats.underlay);
            }
            if (groups.n_local && fwd->has_local_port) {
                fwd_tx(fwd->local_port, groups.local, groups.n_local,
                       &fwd->stats.local);
            } else if (groups.n_local) {
                fwd->stats.local.tx_dropped += groups.n_local;
                rte_pktmbuf_free_bulk(groups.local, groups.n_local);
            }
            if (groups.n_reject) {
                fwd->stats.rejected += groups.n_reject;
                rte_pktmbuf_free_bulk(groups.reject, groups.n_reject);
            }
        } else if (fwd->path.burst.hits.n_used) {
            /* Idle: bring the table's hit counters up to date. */
            mob_dpdk_path_flush(&fwd->path);
        }

        if (fwd->has_local_port) {
            n = rte_eth_rx_burst(fwd->local_port, 0, pkts, fwd->burst);
            if (n) {
                last_rx = tsc;
                fwd->stats.local.rx += n;
                fwd_tx(fwd->underlay_port, pkts, n, &fwd->stats.underlay);
            }
        }

        req = atomic_load_explicit(&fwd->stats_req, memory_order_acquire);
        if (req != atomic_load_explicit(&fwd->stats_done,
                                        memory_order_relaxed)) {
            mob_dpdk_path_flush(&fwd->path);
            fwd->stats.redirect = fwd->path.stats;
            fwd->stats.linearized = fwd->path.linearized;
            fwd->stats.chained_local = fwd->path.chained_local;
            fwd->stats_copy = fwd->stats;
            atomic_store_explicit(&fwd->stats_done, req,
                                  memory_order_release);
        }

        if (idle_tsc && tsc - last_rx > idle_tsc) {
            break;
        }
    }
}

/* Copies the forwarding lcore's counters of 'fwd' into '*stats'.  Called
 * from the control thread; waits at most 100 ms for the lcore. */
static bool
fwd_get_stats(struct fwd *fwd, struct fwd_stats *stats)
{
    unsigned int req;

    if (!atomic_load(&fwd->running)) {
        return false;
    }
    req = atomic_fetch_add(&fwd->stats_req, 1) + 1;
    for (int i = 0; i < 1000; i++) {
        if (atomic_load_explicit(&fwd->stats_done, memory_order_acquire)
            == req) {
            *stats = fwd->stats_copy;
            return true;
        }
        usleep(100);
    }
    return false;
}

/* Appends the port counters in 'st' to 'out' ('size' bytes) at '*ofs',
 * as "key: value" lines like mobility/stats's. */
static void
fwd_format_stats(const struct fwd_stats *st, char *out, size_t size,
                 size_t *ofs)
{
    int n;

    if (*ofs >= size) {
        return;
    }
    n = snprintf(out + *ofs, size - *ofs,
                 "underlay_rx: %"PRIu64"\n"
                 "underlay_tx: %"PRIu64"\n"
                 "underlay_tx_dropped: %"PRIu64"\n"
                 "local_rx: %"PRIu64"\n"
                 "local_tx: %"PRIu64"\n"
                 "local_tx_dropped: %"PRIu64"\n"
                 "freed_rejected: %"PRIu64"\n"
                 "linearized: %"PRIu64"\n"
                 "chained_local: %"PRIu64"\n",
                 st->underlay.rx, st->underlay.tx, st->underlay.tx_dropped,
                 st->local.rx, st->local.tx, st->local.tx_dropped,
                 st->rejected, st->linearized, st->chained_local);
    if (n > 0) {
        *ofs += n;
    }
}

/* Executes control command 'argv' for 'fwd_' (a mob_dpdk_ctl_func) with
 * lib's command grammar, on the one table, named MOB_CMD_SINGLE_BRIDGE.
 * "stats" also gets the forwarding lcore's counters. */
static bool
fwd_execute(void *fwd_, int argc, char *argv[], char *out, size_t size)
{
    struct fwd *fwd = fwd_;
    struct mob_ds ds = MOB_DS_EMPTY_INITIALIZER;
    struct mob_cmd_bridge bridge;
    struct fwd_stats st;
    bool have_stats;
    size_t ofs;
    bool ok;

    have_stats = fwd_get_stats(fwd, &st);
    bridge.name = MOB_CMD_SINGLE_BRIDGE;
    bridge.table = fwd->table;
    bridge.dp_stats = have_stats ? &st.redirect : NULL;
    ok = mob_cmd_run(&bridge, 1, argc, (const char *const *) argv,
                     mob_dpdk_now(), &ds);
    snprintf(out, size, "%s", ds.length ? mob_ds_cstr(&ds) : "");
    mob_ds_destroy(&ds);

    ofs = strlen(out);
    if (ok && have_stats && (!strcmp(argv[0], "stats")
                             || !strcmp(argv[0], "mobility/stats"))) {
        fwd_format_stats(&st, out, size, &ofs);
    }
    return ok;
}

/* Ages the table of 'fwd_' (a mob_dpdk_ctl_tick_func). */
static void
fwd_tick(void *fwd_)
{
    struct fwd *fwd = fwd_;

    mob_table_age(fwd->table, mob_dpdk_now());
}

/* Loads the --static entries and runs the --cmd commands of 'fwd'.
 * Exits on the first failure. */
static void
fwd_run_cmds(struct fwd *fwd)
{
    static char out[65536];

    for (size_t i = 0; i < fwd->n_statics; i++) {
        enum mob_learn_result r;

        r = mob_table_learn(fwd->table, &fwd->statics[i], mob_dpdk_now(),
                            NULL);
        if (r != MOB_LEARN_NEW && r != MOB_LEARN_MOVED
            && r != MOB_LEARN_REFRESHED) {
            fprintf(stderr, "mobility-fwd: --static entry %zu: %s\n",
                    i + 1, mob_learn_result_to_string(r));
            exit(EXIT_FAILURE);
        }
    }

    for (size_t i = 0; i < fwd->n_cmds; i++) {
        char line[MOB_DPDK_CTL_MAX_REQUEST];
        char *argv[MOB_DPDK_CTL_MAX_ARGS];
        int argc;

        if (strlen(fwd->cmds[i]) >= sizeof line) {
            fprintf(stderr, "mobility-fwd: --cmd too long\n");
            exit(EXIT_FAILURE);
        }
        strcpy(line, fwd->cmds[i]);
        argc = mob_dpdk_ctl_split(line, argv);
        if (argc <= 0) {
            fprintf(stderr, "mobility-fwd: bad --cmd '%s'\n", fwd->cmds[i]);
            exit(EXIT_FAILURE);
        }
        out[0] = '\0';
        if (!mob_cmd_execute(fwd->table, argc, argv, mob_dpdk_now(),
                             out, sizeof out)) {
            fprintf(stderr, "mobility-fwd: --cmd '%s': %s", fwd->cmds[i],
                    out);
            exit(EXIT_FAILURE);
        }
    }
}

int
main(int argc, char *argv[])
{
    static struct fwd fwd;
    struct mob_dpdk_ctl *ctl = NULL;
    struct rte_mempool *pool;
    uint16_t port_id;
    int ret;

    if (argc >= 2 && !strcmp(argv[1], "--ctl")) {
        if (argc < 4) {
            fprintf(stderr, "usage: mobility-fwd --ctl SOCKET COMMAND "
                    "[ARG...]\n");
            return 2;
        }
        return mob_dpdk_ctl_client(argv[2], argc - 3, argv + 3);
    }
    if (argc >= 2 && (!strcmp(argv[1], "--help")
                      || !strcmp(argv[1], "-h"))) {
        fwd_usage(EXIT_SUCCESS);
    }

    ret = rte_eal_init(argc, argv);
    if (ret < 0) {
        fprintf(stderr, "mobility-fwd: EAL initialisation failed: %s\n",
                rte_strerror(rte_errno));
        return EXIT_FAILURE;
    }
    argc -= ret;
    argv += ret;
    argv[0] = "mobility-fwd";

    fwd.underlay_port = 0;
    fwd.local_port = 1;
    fwd.has_local_port = true;
    fwd.burst = FWD_BURST;
    mob_table_config_init(&fwd.table_cfg);
    mob_redirect_config_init(&fwd.rd_cfg);
    mob_dpdk_neigh_init(&fwd.neigh);
    fwd_parse_options(&fwd, argc, argv);

    if (!rte_eth_dev_is_valid_port(fwd.underlay_port)
        || (fwd.has_local_port
            && (!rte_eth_dev_is_valid_port(fwd.local_port)
                || fwd.local_port == fwd.underlay_port))) {
        fprintf(stderr, "mobility-fwd: need an underlay port and a "
                "distinct local port (%u ports available)\n",
                rte_eth_dev_count_avail());
        rte_eal_cleanup();
        return EXIT_FAILURE;
    }
    if (!fwd.have_mac) {
        struct rte_ether_addr ea;

        if (!rte_eth_macaddr_get(fwd.underlay_port, &ea)) {
            memcpy(fwd.rd_cfg.local_mac.ea, ea.addr_bytes,
                   MOB_ETH_ADDR_LEN);
        }
    }
    fwd.rd_cfg.neigh_lookup = mob_dpdk_neigh_lookup;
    fwd.rd_cfg.neigh_aux = &fwd.neigh;

    fwd.table = mob_table_create(&fwd.table_cfg);
    if (!fwd.table) {
        fprintf(stderr, "mobility-fwd: cannot create the mobility table\n");
        rte_eal_cleanup();
        return EXIT_FAILURE;
    }
    mob_dpdk_path_init(&fwd.path, fwd.table, &fwd.rd_cfg);
    fwd_run_cmds(&fwd);

    pool = rte_pktmbuf_pool_create("fwd_pool", FWD_N_MBUFS, FWD_MBUF_CACHE,
                                   0, RTE_MBUF_DEFAULT_BUF_SIZE,
                                   rte_socket_id());
    if (!pool) {
        fprintf(stderr, "mobility-fwd: cannot create mbuf pool: %s\n",
                rte_strerror(rte_errno));
        ret = EXIT_FAILURE;
        goto out;
    }
    ret = fwd_port_init(fwd.underlay_port, pool);
    if (!ret && fwd.has_local_port) {
        ret = fwd_port_init(fwd.local_port, pool);
    }
    if (ret) {
        fprintf(stderr, "mobility-fwd: port initialisation failed: %s\n",
                rte_strerror(-ret));
        ret = EXIT_FAILURE;
        goto out;
    }

    signal(SIGINT, fwd_signal);
    signal(SIGTERM, fwd_signal);
    if (fwd.ctl_path) {
        ctl = mob_dpdk_ctl_start(fwd.ctl_path, fwd_execute, fwd_tick, &fwd);
        if (!ctl) {
            fprintf(stderr, "mobility-fwd: %s: %s\n", fwd.ctl_path,
                    strerror(errno));
            ret = EXIT_FAILURE;
            goto out;
        }
    }

    atomic_store(&fwd.running, true);
    fwd_loop(&fwd);
    atomic_store(&fwd.running, false);
    mob_dpdk_ctl_stop(ctl);

    mob_dpdk_path_flush(&fwd.path);
    fwd.stats.redirect = fwd.path.stats;
    fwd.stats.linearized = fwd.path.linearized;
    fwd.stats.chained_local = fwd.path.chained_local;
    if (fwd.print_stats) {
        struct mob_ds ds = MOB_DS_EMPTY_INITIALIZER;
        struct mob_table_stats ts;
        char buf[2048];
        size_t ofs = 0;

        mob_table_get_stats(fwd.table, &ts);
        mob_cmd_format_stats(&ds, &ts, &fwd.stats.redirect);
        fwd_format_stats(&fwd.stats, buf, sizeof buf, &ofs);
        printf("%s%s", ds.length ? mob_ds_cstr(&ds) : "", buf);
        fflush(stdout);
        mob_ds_destroy(&ds);
    }
    ret = EXIT_SUCCESS;

out:
    /* Stopping the ports flushes what net_pcap has buffered. */
    RTE_ETH_FOREACH_DEV(port_id) {
        rte_eth_dev_stop(port_id);
        rte_eth_dev_close(port_id);
    }
    mob_table_destroy(fwd.table);
    rte_eal_cleanup();
    return ret;
}
