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

#ifndef MOB_CMD_H
#define MOB_CMD_H 1

/* Operator commands
 * =================
 *
 * One implementation of the operator's command grammar, shared by
 * `ovs-appctl mobility/...` inside ovs-vswitchd and by the control socket
 * of the DPDK program, so that both parse and print exactly alike.  A
 * "bridge" is one mobility table with a name: Open vSwitch has one per
 * bridge, a single-table program names its one table.
 *
 *   mobility/show [BRIDGE]
 *       Lists the entries of BRIDGE's table: one header line, then one line
 *       per entry, sorted by VNI then MAC, with the columns
 *         VNI      the 24-bit VNI;
 *         MAC      the VM's MAC;
 *         VTEP     where the MAC moved to;
 *         Type     vxlan or geneve ("-" if the learner did not say);
 *         Origin   rarp, garp, na, ovn or static;
 *         Seq      the move sequence number;
 *         Age      seconds since the entry was last learned or refreshed;
 *         Expires  seconds until it expires, or "static" (never), or
 *                  "frozen" (flap protection holds it, see mob-table.h);
 *         Packets, Bytes  what was redirected by it.
 *       Without BRIDGE, lists every bridge's table, each after a line
 *       "bridge NAME:".
 *
 *   mobility/add BRIDGE VNI MAC VTEP [vxlan|geneve]
 *       Adds or replaces the static entry for (VNI, MAC) in BRIDGE's table:
 *       VNI 0 to 16777215 in decimal, MAC a unicast xx:xx:xx:xx:xx:xx,
 *       VTEP a unicast IPv4 or IPv6 address, tunnel type vxlan (default)
 *       or geneve.  Static entries never expire and are never evicted.
 *       Replacing a learned entry, or a static one with another VTEP, says
 *       so in the output.  Fails only if the table is full of static
 *       entries.
 *
 *   mobility/del BRIDGE VNI MAC
 *       Deletes the entry for (VNI, MAC) from BRIDGE's table, learned or
 *       static.  Fails if there is none.
 *
 *   mobility/flush [BRIDGE]
 *       Deletes every entry of BRIDGE's table, or of every table, and says
 *       how many.
 *
 *   mobility/stats [BRIDGE]
 *       Prints "key: value" lines: the table's counters (struct
 *       mob_table_stats: entries, frozen, learned, moved, refreshed,
 *       freezes, frozen_refused, stale_refused, full_refused, evictions,
 *       expired, deleted), then, where the datapath supplies them, its
 *       counters (struct mob_redirect_stats: rx_packets, tunnel_packets,
 *       not_tunnel, announcements, hits, misses, redirected_packets,
 *       redirected_bytes, loop_drops, fallbacks, rejected, one verdict_*
 *       line per redirect verdict other than "redirect", and one
 *       rejected_* line per malformation seen).  Without BRIDGE, every
 *       bridge's, each after a line "bridge NAME:".
 *
 * Commands may be given with or without their "mobility/" prefix.  A bad
 * argument gets an error that names it and what was expected, and changes
 * nothing.  Error texts and outputs end in a newline (or are empty).
 *
 * Nothing here depends on Open vSwitch or DPDK.  The caller holds
 * whatever lock keeps its set of bridges stable while a command runs; the
 * tables lock themselves.  A caller that must act on changes (Open vSwitch
 * revalidates its flows) can mob_cmd_parse() the command first: add, del
 * and flush are the ones that change tables. */

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "mob-addr.h"
#include "mob-packet.h"
#include "mob-redirect.h"
#include "mob-table.h"

#if defined(__GNUC__) || defined(__clang__)
#define MOB_PRINTF_FORMAT(FMT, ARG1) \
    __attribute__((__format__(__printf__, FMT, ARG1)))
#else
#define MOB_PRINTF_FORMAT(FMT, ARG1)
#endif

/* A growable string, in the manner of Open vSwitch's 'struct ds'.
 * Running out of memory aborts, as Open vSwitch's xmalloc() does. */
struct mob_ds {
    char *string;               /* Null-terminated, or NULL when empty. */
    size_t length;              /* Bytes in 'string', without the null. */
    size_t allocated;           /* Bytes 'string' can hold, without it. */
};

#define MOB_DS_EMPTY_INITIALIZER { NULL, 0, 0 }

void mob_ds_init(struct mob_ds *);
void mob_ds_clear(struct mob_ds *);
void mob_ds_destroy(struct mob_ds *);
void mob_ds_put_char(struct mob_ds *, char);
void mob_ds_put_cstr(struct mob_ds *, const char *);
void mob_ds_put_format(struct mob_ds *, const char *, ...)
    MOB_PRINTF_FORMAT(2, 3);
void mob_ds_put_format_valist(struct mob_ds *, const char *, va_list)
    MOB_PRINTF_FORMAT(2, 0);
const char *mob_ds_cstr(struct mob_ds *);

/* The commands. */
enum mob_cmd_type {
    MOB_CMD_SHOW,
    MOB_CMD_ADD,
    MOB_CMD_DEL,
    MOB_CMD_FLUSH,
    MOB_CMD_STATS,
    MOB_N_CMDS
};

/* What registering a command needs, e.g. for Open vSwitch:
 *   unixctl_command_register(info->name, info->args, info->min_args,
 *                            info->max_args, handler, aux); */
struct mob_cmd_info {
    const char *name;           /* "mobility/show". */
    const char *args;           /* "[BRIDGE]". */
    int min_args, max_args;     /* Arguments after the name. */
};

/* Returns the registration data of 'type' (< MOB_N_CMDS). */
const struct mob_cmd_info *mob_cmd_info(enum mob_cmd_type type);

/* A parsed command. */
struct mob_cmd {
    enum mob_cmd_type type;
    const char *bridge;         /* Points into argv; NULL if not given. */
    uint32_t vni;               /* add, del. */
    struct mob_eth_addr mac;    /* add, del. */
    struct in6_addr vtep;       /* add. */
    enum mob_tnl_type tnl_type; /* add. */
};

/* Parses 's', decimal digits only (no sign, no space), as an integer
 * between 'min' and 'max' into '*value'.  Returns true if successful,
 * false with '*value' unchanged otherwise.  Every number an operator types,
 * in these commands or on a tool's command line, goes through it. */
bool mob_parse_uint(const char *s, unsigned long min, unsigned long max,
                    unsigned long *value);

/* Parses the command 'argv[0]' with its 'argc' - 1 arguments into '*cmd'.
 * Returns true if successful.  Otherwise appends an error message, ending
 * in a newline, to 'err' and returns false, with '*cmd' unchanged. */
bool mob_cmd_parse(int argc, const char *const argv[], struct mob_cmd *cmd,
                   struct mob_ds *err);

/* Returns a static-entry learn request for parsed mobility/add 'cmd'. */
struct mob_learn mob_cmd_to_learn(const struct mob_cmd *cmd);

/* Appends the mobility/show text for 'table' at time 'now' (in the time
 * base of the table's learns) to 'out'. */
void mob_cmd_format_show(struct mob_ds *out, struct mob_table *table,
                         uint32_t now);

/* Appends the mobility/show text for the 'n' entries in 'entries', which
 * it sorts, to 'out'. */
void mob_cmd_format_entries(struct mob_ds *out, struct mob_entry *entries,
                            size_t n, uint32_t now);

/* Appends the mobility/stats text for 'table' and, if nonnull, the
 * datapath counters 'dp' to 'out'. */
void mob_cmd_format_stats(struct mob_ds *out,
                          const struct mob_table_stats *table,
                          const struct mob_redirect_stats *dp);

/* One named table that commands act on. */
struct mob_cmd_bridge {
    const char *name;
    struct mob_table *table;
    const struct mob_redirect_stats *dp_stats;  /* Or NULL. */
};

/* Runs the command 'argv[0]' with its 'argc' - 1 arguments on the
 * 'n_bridges' bridges in 'bridges', at time 'now'.  Returns true and
 * appends the output to 'out' if successful, otherwise appends an error
 * message to 'out' and returns false. */
bool mob_cmd_run(const struct mob_cmd_bridge *bridges, size_t n_bridges,
                 int argc, const char *const argv[], uint32_t now,
                 struct mob_ds *out);

/* The bridge name of a program's only table in mob_cmd_execute(). */
#define MOB_CMD_SINGLE_BRIDGE "br0"

/* For programs with one table: runs the command in 'argv' as
 * mob_cmd_run() does on 'table' as bridge MOB_CMD_SINGLE_BRIDGE, without
 * datapath counters, and writes the output or error message into 'out'
 * ('size' bytes, null-terminated, truncated if need be).  Returns true if
 * successful. */
bool mob_cmd_execute(struct mob_table *table, int argc, char *argv[],
                     uint32_t now, char *out, size_t size);

#endif /* mob-cmd.h */
