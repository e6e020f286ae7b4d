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
#include "mob-cmd.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MOB_CMD_PREFIX "mobility/"

/* Growable strings. */

/* Initializes 'ds' as an empty string. */
void
mob_ds_init(struct mob_ds *ds)
{
    ds->string = NULL;
    ds->length = 0;
    ds->allocated = 0;
}

/* Empties 'ds', keeping its memory. */
void
mob_ds_clear(struct mob_ds *ds)
{
    ds->length = 0;
    if (ds->string) {
        ds->string[0] = '\0';
    }
}

/* Frees the memory of 'ds' and leaves it empty. */
void
mob_ds_destroy(struct mob_ds *ds)
{
    free(ds->string);
    mob_ds_init(ds);
}

/* Makes room in 'ds' for at least 'n' more bytes plus a null.  Aborts if
 * memory runs out. */
static void
mob_ds_reserve(struct mob_ds *ds, size_t n)
{
    if (n > SIZE_MAX / 2 - ds->length) {
        abort();
    }
    if (ds->length + n > ds->allocated || !ds->string) {
        size_t want = ds->length + n;
        size_t allocated = ds->allocated ? ds->allocated : 64;
        char *s;

        while (allocated < want) {
            allocated *= 2;
        }
        s = realloc(ds->string, allocated + 1);
        if (!s) {
            abort();
        }
        if (!ds->string) {
            s[0] = '\0';
        }
        ds->string = s;
        ds->allocated = allocated;
    }
}

/* Appends 'c' to 'ds'. */
void
mob_ds_put_char(struct mob_ds *ds, char c)
{
    mob_ds_reserve(ds, 1);
    ds->string[ds->length++] = c;
    ds->string[ds->length] = '\0';
}

/* Appends null-terminated 's' to 'ds'. */
void
mob_ds_put_cstr(struct mob_ds *ds, const char *s)
{
    size_t n = strlen(s);

    mob_ds_reserve(ds, n);
    memcpy(&ds->string[ds->length], s, n + 1);
    ds->length += n;
}

/* Appends 'format' formatted per vprintf() with 'args' to 'ds'. */
void
mob_ds_put_format_valist(struct mob_ds *ds, const char *format,
                         va_list args)
{
    va_list copy;
    int n;

    va_copy(copy, args);
    n = vsnprintf(NULL, 0, format, copy);
    va_end(copy);
    if (n < 0) {
        return;
    }
    mob_ds_reserve(ds, n);
    vsnprintf(&ds->string[ds->length], n + 1, format, args);
    ds->length += n;
}

/* Appends 'format' formatted per printf() to 'ds'. */
void
mob_ds_put_format(struct mob_ds *ds, const char *format, ...)
{
    va_list args;

    va_start(args, format);
    mob_ds_put_format_valist(ds, format, args);
    va_end(args);
}

/* Returns the contents of 'ds' as a null-terminated string ("" if
 * empty), valid until 'ds' changes. */
const char *
mob_ds_cstr(struct mob_ds *ds)
{
    return ds->string ? ds->string : "";
}

/* Appends 's' to 'ds' in lower case. */
static void
mob_ds_put_lower(struct mob_ds *ds, const char *s)
{
    for (; *s; s++) {
        mob_ds_put_char(ds, tolower((unsigned char) *s));
    }
}

/* Command registry. */

static const struct mob_cmd_info cmd_infos[MOB_N_CMDS] = {
    [MOB_CMD_SHOW] = { MOB_CMD_PREFIX "show", "[BRIDGE]", 0, 1 },
    [MOB_CMD_ADD] = { MOB_CMD_PREFIX "add",
                      "BRIDGE VNI MAC VTEP [vxlan|geneve]", 4, 5 },
    [MOB_CMD_DEL] = { MOB_CMD_PREFIX "del", "BRIDGE VNI MAC", 3, 3 },
    [MOB_CMD_FLUSH] = { MOB_CMD_PREFIX "flush", "[BRIDGE]", 0, 1 },
    [MOB_CMD_STATS] = { MOB_CMD_PREFIX "stats", "[BRIDGE]", 0, 1 },
};

/* Returns the registration data of command 'type'. */
const struct mob_cmd_info *
mob_cmd_info(enum mob_cmd_type type)
{
    return type < MOB_N_CMDS ? &cmd_infos[type] : NULL;
}

/* Parsing. */

/* Parses 's', decimal digits only (no sign, no space), as an integer
 * between 'min' and 'max' into '*value'.  Returns true if successful,
 * false with '*value' unchanged otherwise. */
bool
mob_parse_uint(const char *s, unsigned long min, unsigned long max,
               unsigned long *value)
{
    unsigned long x;
    char *end;

    if (!isdigit((unsigned char) *s)) {
        return false;
    }
    errno = 0;
    x = strtoul(s, &end, 10);
    if (errno || *end || x < min || x > max) {
        return false;
    }
    *value = x;
    return true;
}

/* Parses decimal 's' as a VNI into '*vni'.  Returns true if successful. */
static bool
parse_vni(const char *s, uint32_t *vni)
{
    unsigned long x;

    if (!mob_parse_uint(s, 0, MOB_TABLE_MAX_VNI, &x)) {
        return false;
    }
    *vni = x;
    return true;
}

/* Parses 's' as a tunnel type name into '*type'.  Returns true if
 * successful. */
static bool
parse_tnl_type(const char *s, enum mob_tnl_type *type)
{
    if (!strcmp(s, "vxlan")) {
        *type = MOB_TNL_VXLAN;
        return true;
    } else if (!strcmp(s, "geneve")) {
        *type = MOB_TNL_GENEVE;
        return true;
    }
    return false;
}

/* Returns the name of tunnel type 'type' as the commands print it. */
static const char *
tnl_type_name(enum mob_tnl_type type)
{
    switch (type) {
    case MOB_TNL_VXLAN:
        return "vxlan";
    case MOB_TNL_GENEVE:
        return "geneve";
    case MOB_TNL_NONE:
    default:
        return "-";
    }
}

/* Parses the VNI at 'argv[1]' and MAC at 'argv[2]' into '*cmd'.  Returns
 * true if successful, otherwise appends an error to 'err'. */
static bool
parse_key(const char *const argv[], struct mob_cmd *cmd, struct mob_ds *err)
{
    if (!parse_vni(argv[0], &cmd->vni)) {
        mob_ds_put_format(err, "invalid VNI \"%s\": expected a decimal "
                          "number from 0 to %u\n", argv[0],
                          MOB_TABLE_MAX_VNI);
        return false;
    }
    if (!mob_eth_addr_parse(argv[1], &cmd->mac)
        || !mob_table_mac_is_valid(&cmd->mac)) {
        mob_ds_put_format(err, "invalid MAC \"%s\": expected a unicast "
                          "address xx:xx:xx:xx:xx:xx\n", argv[1]);
        return false;
    }
    return true;
}

/* Parses the command 'argv[0]' with its 'argc' - 1 arguments into '*cmd'.
 * Returns true if successful, otherwise appends an error to 'err' and
 * returns false with '*cmd' unchanged. */
bool
mob_cmd_parse(int argc, const char *const argv[], struct mob_cmd *cmd,
              struct mob_ds *err)
{
    const struct mob_cmd_info *info = NULL;
    struct mob_cmd c;
    const char *name;
    int n_args;

    if (argc < 1 || !argv[0]) {
        mob_ds_put_cstr(err, "missing command\n");
        return false;
    }
    name = argv[0];
    if (!strncmp(name, MOB_CMD_PREFIX, strlen(MOB_CMD_PREFIX))) {
        name += strlen(MOB_CMD_PREFIX);
    }
    memset(&c, 0, sizeof c);
    for (int i = 0; i < MOB_N_CMDS; i++) {
        if (!strcmp(name, cmd_infos[i].name + strlen(MOB_CMD_PREFIX))) {
            info = &cmd_infos[i];
            c.type = i;
            break;
        }
    }
    if (!info) {
        mob_ds_put_format(err, "unknown command \"%s\": expected one of",
                          argv[0]);
        for (int i = 0; i < MOB_N_CMDS; i++) {
            mob_ds_put_format(err, " %s", cmd_infos[i].name);
        }
        mob_ds_put_char(err, '\n');
        return false;
    }

    n_args = argc - 1;
    if (n_args < info->min_args || n_args > info->max_args) {
        mob_ds_put_format(err, "usage: %s %s\n", info->name, info->args);
        return false;
    }
    if (n_args >= 1) {
        if (!argv[1][0]) {
            mob_ds_put_cstr(err, "invalid BRIDGE: empty name\n");
            return false;
        }
        c.bridge = argv[1];
    }

    switch (c.type) {
    case MOB_CMD_ADD:
        if (!parse_key(&argv[2], &c, err)) {
            return false;
        }
        if (!mob_ip_parse(argv[4], &c.vtep)
            || !mob_table_vtep_is_valid(&c.vtep)) {
            mob_ds_put_format(err, "invalid VTEP \"%s\": expected a unicast "
                              "IPv4 or IPv6 address\n", argv[4]);
            return false;
        }
        c.tnl_type = MOB_TNL_VXLAN;
        if (n_args == 5 && !parse_tnl_type(argv[5], &c.tnl_type)) {
            mob_ds_put_format(err, "invalid tunnel type \"%s\": expected "
                              "vxlan or geneve\n", argv[5]);
            return false;
        }
        break;

    case MOB_CMD_DEL:
        if (!parse_key(&argv[2], &c, err)) {
            return false;
        }
        break;

    case MOB_CMD_SHOW:
    case MOB_CMD_FLUSH:
    case MOB_CMD_STATS:
    case MOB_N_CMDS:
    default:
        break;
    }

    *cmd = c;
    return true;
}

/* Returns the static-entry learn request that mobility/add 'cmd' makes. */
struct mob_learn
mob_cmd_to_learn(const struct mob_cmd *cmd)
{
    struct mob_learn req;

    memset(&req, 0, sizeof req);
    req.vni = cmd->vni;
    req.mac = cmd->mac;
    req.vtep = cmd->vtep;
    req.tnl_type = cmd->tnl_type;
    req.origin = MOB_ORIGIN_STATIC;
    req.seq = 0;
    return req;
}

/* Formatting. */

/* The columns of mobility/show. */
enum show_col {
    COL_VNI, COL_MAC, COL_VTEP, COL_TYPE, COL_ORIGIN, COL_SEQ, COL_AGE,
    COL_EXPIRES, COL_PACKETS, COL_BYTES, N_COLS
};

static const struct {
    const char *title;
    bool right;                 /* Right-aligned? */
} show_cols[N_COLS] = {
    [COL_VNI] = { "VNI", true },
    [COL_MAC] = { "MAC", false },
    [COL_VTEP] = { "VTEP", false },
    [COL_TYPE] = { "Type", false },
    [COL_ORIGIN] = { "Origin", false },
    [COL_SEQ] = { "Seq", true },
    [COL_AGE] = { "Age", true },
    [COL_EXPIRES] = { "Expires", true },
    [COL_PACKETS] = { "Packets", true },
    [COL_BYTES] = { "Bytes", true },
};

/* The longest cell: an IPv6 address. */
#define CELL_LEN MOB_IP_STRLEN

/* Fills 'cells' with the text of 'e' at 'now'. */
static void
show_cells(const struct mob_entry *e, uint32_t now,
           char cells[N_COLS][CELL_LEN])
{
    snprintf(cells[COL_VNI], CELL_LEN, "%"PRIu32, e->vni);
    snprintf(cells[COL_MAC], CELL_LEN, MOB_ETH_ADDR_FMT,
             MOB_ETH_ADDR_ARGS(e->mac));
    mob_ip_format(&e->vtep, cells[COL_VTEP]);
    snprintf(cells[COL_TYPE], CELL_LEN, "%s", tnl_type_name(e->tnl_type));
    snprintf(cells[COL_ORIGIN], CELL_LEN, "%s",
             mob_origin_to_string(e->origin));
    snprintf(cells[COL_SEQ], CELL_LEN, "%"PRIu32, e->seq);
    snprintf(cells[COL_AGE], CELL_LEN, "%"PRIu32,
             now > e->learned ? now - e->learned : 0);
    if (e->origin == MOB_ORIGIN_STATIC) {
        snprintf(cells[COL_EXPIRES], CELL_LEN, "static");
    } else if (e->frozen) {
        snprintf(cells[COL_EXPIRES], CELL_LEN, "frozen");
    } else {
        snprintf(cells[COL_EXPIRES], CELL_LEN, "%"PRIu32,
                 e->expires > now ? e->expires - now : 0);
    }
    snprintf(cells[COL_PACKETS], CELL_LEN, "%"PRIu64, e->hit_packets);
    snprintf(cells[COL_BYTES], CELL_LEN, "%"PRIu64, e->hit_bytes);
}

/* Appends one row of 'cells', padded to 'widths', to 'out'. */
static void
show_put_row(struct mob_ds *out, const char *const cells[N_COLS],
             const size_t widths[N_COLS])
{
    for (int i = 0; i < N_COLS; i++) {
        size_t pad = widths[i] - strlen(cells[i]);

        if (i) {
            mob_ds_put_cstr(out, "  ");
        }
        if (show_cols[i].right) {
            mob_ds_put_format(out, "%*s", (int) pad, "");
        }
        mob_ds_put_cstr(out, cells[i]);
        if (!show_cols[i].right && i < N_COLS - 1) {
            mob_ds_put_format(out, "%*s", (int) pad, "");
        }
    }
    mob_ds_put_char(out, '\n');
}

/* qsort() comparison of two entries by VNI, then MAC. */
static int
compare_entries(const void *a_, const void *b_)
{
    const struct mob_entry *a = a_;
    const struct mob_entry *b = b_;

    if (a->vni != b->vni) {
        return a->vni < b->vni ? -1 : 1;
    }
    return memcmp(a->mac.ea, b->mac.ea, MOB_ETH_ADDR_LEN);
}

/* Appends the mobility/show text of the 'n' entries in 'entries', sorted
 * here by VNI and MAC, at time 'now' to 'out'. */
void
mob_cmd_format_entries(struct mob_ds *out, struct mob_entry *entries,
                       size_t n, uint32_t now)
{
    const char *titles[N_COLS];
    size_t widths[N_COLS];
    char (*cells)[N_COLS][CELL_LEN] = NULL;

    if (n) {
        qsort(entries, n, sizeof *entries, compare_entries);
        cells = malloc(n * sizeof *cells);
        if (!cells) {
            abort();
        }
    }
    for (int i = 0; i < N_COLS; i++) {
        titles[i] = show_cols[i].title;
        widths[i] = strlen(titles[i]);
    }
    for (size_t r = 0; r < n; r++) {
        show_cells(&entries[r], now, cells[r]);
        for (int i = 0; i < N_COLS; i++) {
            size_t len = strlen(cells[r][i]);

            if (len > widths[i]) {
                widths[i] = len;
            }
        }
    }

    show_put_row(out, titles, widths);
    for (size_t r = 0; r < n; r++) {
        const char *row[N_COLS];

        for (int i = 0; i < N_COLS; i++) {
            row[i] = cells[r][i];
        }
        show_put_row(out, row, widths);
    }
    free(cells);
}

/* A growable array of entries, for mob_table_foreach(). */
struct entry_array {
    struct mob_entry *entries;
    size_t n, allocated;
};

/* mob_table_foreach() callback: appends 'e' to the entry_array 'aux'. */
static void
collect_entry(const struct mob_entry *e, void *aux)
{
    struct entry_array *a = aux;

    if (a->n >= a->allocated) {
        size_t allocated = a->allocated ? 2 * a->allocated : 64;
        struct mob_entry *entries;

        entries = realloc(a->entries, allocated * sizeof *entries);
        if (!entries) {
            abort();
        }
        a->entries = entries;
        a->allocated = allocated;
    }
    a->entries[a->n++] = *e;
}

/* Appends the mobility/show text for 'table' at time 'now' to 'out'. */
void
mob_cmd_format_show(struct mob_ds *out, struct mob_table *table,
                    uint32_t now)
{
    struct entry_array a = { NULL, 0, 0 };

    mob_table_foreach(table, collect_entry, &a);
    mob_cmd_format_entries(out, a.entries, a.n, now);
    free(a.entries);
}

/* Appends "name: value" to 'out'. */
static void
put_stat(struct mob_ds *out, const char *name, uint64_t value)
{
    mob_ds_put_format(out, "%s: %"PRIu64"\n", name, value);
}

/* Appends "prefixname: value" to 'out', 'name' in lower case. */
static void
put_stat_lower(struct mob_ds *out, const char *prefix, const char *name,
               uint64_t value)
{
    mob_ds_put_cstr(out, prefix);
    mob_ds_put_lower(out, name);
    mob_ds_put_format(out, ": %"PRIu64"\n", value);
}

static const char *const verdict_names[MOB_RD_N_VERDICTS] = {
#define MOB_RD_VERDICT(NAME, DESC) #NAME,
    MOB_RD_VERDICTS
#undef MOB_RD_VERDICT
};

static const char *const pkt_error_names[MOB_PKT_N_ERRORS] = {
#define MOB_PKT_ERROR(NAME, DESC) #NAME,
    MOB_PKT_ERRORS
#undef MOB_PKT_ERROR
};

/* Appends the mobility/stats text for table counters 'ts' and, if
 * nonnull, datapath counters 'dp' to 'out'. */
void
mob_cmd_format_stats(struct mob_ds *out, const struct mob_table_stats *ts,
                     const struct mob_redirect_stats *dp)
{
    put_stat(out, "entries", ts->n_entries);
    put_stat(out, "frozen", ts->n_frozen);
    put_stat(out, "learned", ts->learned);
    put_stat(out, "moved", ts->moved);
    put_stat(out, "refreshed", ts->refreshed);
    put_stat(out, "freezes", ts->freezes);
    put_stat(out, "frozen_refused", ts->frozen_refused);
    put_stat(out, "stale_refused", ts->stale_refused);
    put_stat(out, "full_refused", ts->full_refused);
    put_stat(out, "evictions", ts->evictions);
    put_stat(out, "expired", ts->expired);
    put_stat(out, "deleted", ts->deleted);
    if (!dp) {
        return;
    }

    put_stat(out, "rx_packets", dp->rx_packets);
    put_stat(out, "tunnel_packets", dp->tunnel_packets);
    put_stat(out, "not_tunnel", dp->parse.n[MOB_PKT_NOT_TUNNEL]);
    put_stat(out, "announcements", dp->announcements);
    put_stat(out, "hits", dp->hits);
    put_stat(out, "misses", dp->misses);
    put_stat(out, "foreign", dp->foreign);
    put_stat(out, "redirected_packets", dp->redirected_packets);
    put_stat(out, "redirected_bytes", dp->redirected_bytes);
    put_stat(out, "loop_drops", dp->loop_drops);
    put_stat(out, "fallbacks", dp->fallbacks);
    put_stat(out, "rejected", dp->rejected);
    for (int i = 0; i < MOB_RD_N_VERDICTS; i++) {
        if (i != MOB_RD_REDIRECT) {
            put_stat_lower(out, "verdict_", verdict_names[i],
                           dp->verdicts[i]);
        }
    }
    for (int i = 0; i < MOB_PKT_N_ERRORS; i++) {
        const char *name = pkt_error_names[i];

        if (i != MOB_PKT_OK && i != MOB_PKT_NOT_TUNNEL && dp->parse.n[i]) {
            if (!strncmp(name, "ERR_", 4)) {
                name += 4;
            }
            put_stat_lower(out, "rejected_", name, dp->parse.n[i]);
        }
    }
}

/* Execution. */

/* Returns the bridge named 'name' among the 'n' in 'bridges', or NULL. */
static const struct mob_cmd_bridge *
find_bridge(const struct mob_cmd_bridge *bridges, size_t n,
            const char *name)
{
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(bridges[i].name, name)) {
            return &bridges[i];
        }
    }
    return NULL;
}

/* Runs mobility/add 'cmd' on 'br' at 'now'.  Returns true if
 * successful. */
static bool
run_add(const struct mob_cmd *cmd, const struct mob_cmd_bridge *br,
        uint32_t now, struct mob_ds *out)
{
    struct mob_learn req = mob_cmd_to_learn(cmd);
    enum mob_learn_result result;
    struct mob_entry old;
    char buf[MOB_IP_STRLEN];

    result = mob_table_learn(br->table, &req, now, &old);
    switch (result) {
    case MOB_LEARN_NEW:
        return true;

    case MOB_LEARN_MOVED:
    case MOB_LEARN_REFRESHED:
        if (old.origin != MOB_ORIGIN_STATIC
            || !mob_ip_equals(&old.vtep, &cmd->vtep)) {
            mob_ds_put_format(out, "replaced %s entry to %s (seq %"PRIu32
                              ")\n", mob_origin_to_string(old.origin),
                              mob_ip_format(&old.vtep, buf), old.seq);
        }
        return true;

    case MOB_LEARN_FULL:
        mob_ds_put_format(out, "table of bridge %s is full of static "
                          "entries\n", br->name);
        return false;

    case MOB_LEARN_FREEZE:
    case MOB_LEARN_FROZEN:
    case MOB_LEARN_STALE:
    case MOB_LEARN_INVALID:
    default:
        mob_ds_put_format(out, "entry refused (%s)\n",
                          mob_learn_result_to_string(result));
        return false;
    }
}

/* Runs 'cmd' on one bridge 'br' at 'now', appending to 'out'.  Returns
 * true if successful. */
static bool
run_one(const struct mob_cmd *cmd, const struct mob_cmd_bridge *br,
        uint32_t now, struct mob_ds *out)
{
    struct mob_table_stats stats;
    size_t n;

    switch (cmd->type) {
    case MOB_CMD_SHOW:
        mob_cmd_format_show(out, br->table, now);
        return true;

    case MOB_CMD_ADD:
        return run_add(cmd, br, now, out);

    case MOB_CMD_DEL:
        if (!mob_table_delete(br->table, cmd->vni, &cmd->mac)) {
            mob_ds_put_format(out, "no entry for VNI %"PRIu32" MAC "
                              MOB_ETH_ADDR_FMT" on bridge %s\n", cmd->vni,
                              MOB_ETH_ADDR_ARGS(cmd->mac), br->name);
            return false;
        }
        return true;

    case MOB_CMD_FLUSH:
        n = mob_table_flush(br->table);
        mob_ds_put_format(out, "flushed %zu %s\n", n,
                          n == 1 ? "entry" : "entries");
        return true;

    case MOB_CMD_STATS:
        mob_table_get_stats(br->table, &stats);
        mob_cmd_format_stats(out, &stats, br->dp_stats);
        return true;

    case MOB_N_CMDS:
    default:
        return false;
    }
}

/* Runs the command in 'argv' on 'bridges'.  Returns true and appends the
 * output to 'out' if successful, otherwise appends an error message to
 * 'out' and returns false. */
bool
mob_cmd_run(const struct mob_cmd_bridge *bridges, size_t n_bridges,
            int argc, const char *const argv[], uint32_t now,
            struct mob_ds *out)
{
    const struct mob_cmd_bridge *br;
    struct mob_cmd cmd;
    bool ok = true;

    if (!mob_cmd_parse(argc, argv, &cmd, out)) {
        return false;
    }
    if (cmd.bridge) {
        br = find_bridge(bridges, n_bridges, cmd.bridge);
        if (!br) {
            mob_ds_put_format(out, "no such bridge \"%s\"\n", cmd.bridge);
            return false;
        }
        return run_one(&cmd, br, now, out);
    }

    /* show, flush, stats: every bridge. */
    for (size_t i = 0; i < n_bridges; i++) {
        mob_ds_put_format(out, "bridge %s:\n", bridges[i].name);
        ok = run_one(&cmd, &bridges[i], now, out) && ok;
    }
    return ok;
}

/* Runs the command in 'argv' on 'table', named MOB_CMD_SINGLE_BRIDGE,
 * writing its output or error into 'out' ('size' bytes).  Returns true if
 * successful. */
bool
mob_cmd_execute(struct mob_table *table, int argc, char *argv[],
                uint32_t now, char *out, size_t size)
{
    const struct mob_cmd_bridge br = {
        .name = MOB_CMD_SINGLE_BRIDGE,
        .table = table,
        .dp_stats = NULL,
    };
    struct mob_ds ds = MOB_DS_EMPTY_INITIALIZER;
    bool ok;

    ok = mob_cmd_run(&br, 1, argc, (const char *const *) argv, now, &ds);
    if (size) {
        snprintf(out, size, "%s", mob_ds_cstr(&ds));
    }
    mob_ds_destroy(&ds);
    return ok;
}
