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

/* mobility-pcap: runs a capture of the underlay traffic that arrives at the
 * OLD VTEP of a migration through libmobility's old-VTEP pipeline
 * (mob_redirect_process()), exactly as the datapath would, and writes what
 * comes out: redirected frames, rewritten, to one capture and frames for
 * local delivery to another.  It then reports what the table learned, what
 * was redirected where, what was rejected and why, the final table and the
 * counters.
 *
 * The output depends only on the input and the options (the capture
 * timestamps are the clock), so that the same run is byte-identical every
 * time and can serve as the reference for other implementations of the
 * pipeline, such as the DPDK redirector.  See mobility-pcap(8). */

#include <config.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mob-addr.h"
#include "mob-announce.h"
#include "mob-cmd.h"
#include "mob-packet.h"
#include "mob-redirect.h"
#include "mob-table.h"

/* Writable bytes in front of each frame, for the Geneve mark. */
#define HEADROOM 64

/* Snapshot length of the captures written: libpcap's largest. */
#define OUT_SNAPLEN 262144

static const char *program_name = "mobility-pcap";

/* A neighbour: the next-hop MAC for an underlay address. */
struct neigh {
    struct in6_addr ip;
    struct mob_eth_addr mac;
};

struct neigh_table {
    struct neigh *neighs;
    size_t n;
};

/* Redirect counters for one destination VTEP, in order of first use. */
struct vtep_count {
    struct in6_addr vtep;
    uint64_t packets;
    uint64_t bytes;
};

struct options {
    const char *in_file;
    const char *out_file;
    const char *local_file;
    struct mob_redirect_config rd;
    struct mob_table_config table;
    struct neigh_table neigh;
    struct mob_learn *statics;
    size_t n_statics;
    bool quiet;
};

/* Everything a run accumulates. */
struct run {
    struct mob_table *table;
    struct mob_redirect_stats stats;
    struct vtep_count *vteps;
    size_t n_vteps;
    uint64_t n_frames;
    uint64_t n_truncated;       /* Captured shorter than on the wire. */
    uint64_t n_local_written;
    uint32_t now;               /* Time of the last frame. */
    bool nano;                  /* Timestamps in nanoseconds? */
};

/* Prints 'format' as an error about the command line, then a hint to use
 * --help, and exits with status 2. */
static void __attribute__((format(printf, 1, 2), noreturn))
usage_error(const char *format, ...)
{
    va_list args;

    fprintf(stderr, "%s: ", program_name);
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    fprintf(stderr, "\nusage: %s -r IN.pcap [-w OUT.pcap] [--local FILE] "
            "[OPTIONS]\nTry '%s --help' for more information.\n",
            program_name, program_name);
    exit(2);
}

/* Prints 'format' as an error and exits with status 1. */
static void __attribute__((format(printf, 1, 2), noreturn))
fatal(const char *format, ...)
{
    va_list args;

    fprintf(stderr, "%s: ", program_name);
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    fputc('\n', stderr);
    exit(EXIT_FAILURE);
}

/* Prints the help text and exits successfully. */
static void __attribute__((noreturn))
usage(void)
{
    printf("%s: run a capture through the old VTEP's redirect pipeline\n"
           "usage: %s -r IN.pcap [-w OUT.pcap] [--local FILE] [OPTIONS]\n"
           "\n"
           "Files:\n"
           "  -r, --read=FILE        capture of frames arriving at this "
           "VTEP\n"
           "  -w, --write=FILE       write redirected frames there\n"
           "  -l, --local=FILE       write frames for local delivery "
           "there\n"
           "This VTEP:\n"
           "      --vtep=ADDR        its IPv4 or IPv6 address "
           "(repeatable)\n"
           "      --mac=MAC          outer source MAC of redirects\n"
           "      --neigh=ADDR=MAC   next-hop MAC of underlay address ADDR\n"
           "                         (repeatable)\n"
           "Redirects:\n"
           "      --src-mode=MODE    keep (default) or local outer source\n"
           "      --vxlan-mark       mark redirected VXLAN packets\n"
           "      --no-geneve-mark   do not mark redirected Geneve packets\n"
           "      --ttl=N            fresh TTL / hop limit (default %d)\n"
           "      --vxlan-port=N     VXLAN UDP port (default %d)\n"
           "      --geneve-port=N    Geneve UDP port (default %d)\n"
           "Table:\n"
           "      --max-entries=N    table size (default %d)\n"
           "      --grace-time=S     entry lifetime (default %d s)\n"
           "      --static=VNI,MAC,VTEP[,vxlan|geneve]\n"
           "                         pre-load an entry (repeatable)\n"
           "Other:\n"
           "  -q, --quiet            print nothing but errors\n"
           "  -h, --help             print this help and exit\n"
           "  -V, --version          print the version and exit\n",
           program_name, program_name, MOB_REDIRECT_DEFAULT_TTL,
           MOB_VXLAN_PORT, MOB_GENEVE_PORT, MOB_TABLE_DEFAULT_MAX,
           MOB_TABLE_DEFAULT_GRACE_TIME);
    exit(EXIT_SUCCESS);
}

/* Looks up 'ip' in the neighbour table 'aux_'.  Returns true and stores its
 * MAC in '*mac' if found.  (A mob_neigh_lookup_func.) */
static bool
neigh_lookup(void *aux_, const struct in6_addr *ip, struct mob_eth_addr *mac)
{
    const struct neigh_table *aux = aux_;

    for (size_t i = 0; i < aux->n; i++) {
        if (mob_ip_equals(&aux->neighs[i].ip, ip)) {
            *mac = aux->neighs[i].mac;
            return true;
        }
    }
    return false;
}

/* Parses --neigh argument 'arg', "ADDR=MAC", and adds it to 'neigh'.  A
 * later entry for the same address replaces an earlier one. */
static void
parse_neigh(const char *arg, struct neigh_table *neigh)
{
    const char *eq = strchr(arg, '=');
    struct neigh n;
    char ip[MOB_IP_STRLEN];

    if (!eq || (size_t) (eq - arg) >= sizeof ip) {
        usage_error("--neigh wants ADDR=MAC, not \"%s\"", arg);
    }
    memcpy(ip, arg, eq - arg);
    ip[eq - arg] = '\0';
    if (!mob_ip_parse(ip, &n.ip)) {
        usage_error("--neigh: \"%s\" is not an IPv4 or IPv6 address", ip);
    }
    if (!mob_eth_addr_parse(eq + 1, &n.mac)) {
        usage_error("--neigh: \"%s\" is not a MAC address", eq + 1);
    }
    if (mob_eth_addr_is_multicast(&n.mac) || mob_eth_addr_is_zero(&n.mac)) {
        usage_error("--neigh: %s is not a unicast MAC address", eq + 1);
    }

    for (size_t i = 0; i < neigh->n; i++) {
        if (mob_ip_equals(&neigh->neighs[i].ip, &n.ip)) {
            neigh->neighs[i] = n;
            return;
        }
    }
    neigh->neighs = realloc(neigh->neighs,
                            (neigh->n + 1) * sizeof *neigh->neighs);
    if (!neigh->neighs) {
        fatal("out of memory");
    }
    neigh->neighs[neigh->n++] = n;
}

/* Parses --static argument 'arg', "VNI,MAC,VTEP[,vxlan|geneve]", into a
 * learn request appended to opts->statics. */
static void
parse_static(const char *arg, struct options *opts)
{
    char *copy = strdup(arg);
    char *fields[5];
    size_t n = 0;
    struct mob_learn req;
    unsigned long vni;

    if (!copy) {
        fatal("out of memory");
    }
    for (char *p = copy; n < 5; n++) {
        fields[n] = p;
        p = strchr(p, ',');
        if (!p) {
            n++;
            break;
        }
        *p++ = '\0';
    }
    if (n < 3 || n > 4) {
        usage_error("--static wants VNI,MAC,VTEP[,vxlan|geneve], not "
                    "\"%s\"", arg);
    }

    memset(&req, 0, sizeof req);
    if (!mob_parse_uint(fields[0], 0, 0xffffff, &vni)) {
        usage_error("--static: VNI \"%s\" is not an integer from 0 to "
                    "16777215", fields[0]);
    }
    req.vni = vni;
    if (!mob_eth_addr_parse(fields[1], &req.mac)) {
        usage_error("--static: \"%s\" is not a MAC address", fields[1]);
    }
    if (!mob_ip_parse(fields[2], &req.vtep)) {
        usage_error("--static: \"%s\" is not an IPv4 or IPv6 address",
                    fields[2]);
    }
    req.tnl_type = MOB_TNL_VXLAN;
    if (n == 4) {
        if (!strcmp(fields[3], "vxlan")) {
            req.tnl_type = MOB_TNL_VXLAN;
        } else if (!strcmp(fields[3], "geneve")) {
            req.tnl_type = MOB_TNL_GENEVE;
        } else {
            usage_error("--static: tunnel type \"%s\" is not vxlan or "
                        "geneve", fields[3]);
        }
    }
    req.origin = MOB_ORIGIN_STATIC;
    req.seq = 0;
    free(copy);

    opts->statics = realloc(opts->statics,
                            (opts->n_statics + 1) * sizeof *opts->statics);
    if (!opts->statics) {
        fatal("out of memory");
    }
    opts->statics[opts->n_statics++] = req;
}

/* Parses a UDP port number for option 'name' from 'arg'. */
static uint16_t
parse_port(const char *name, const char *arg)
{
    unsigned long x;

    if (!mob_parse_uint(arg, 1, 65535, &x)) {
        usage_error("--%s wants a UDP port from 1 to 65535, not \"%s\"",
                    name, arg);
    }
    return x;
}

/* Parses the command line into '*opts', exiting with a message on any
 * error. */
static void
parse_options(int argc, char *argv[], struct options *opts)
{
    enum {
        OPT_VTEP = UCHAR_MAX + 1,
        OPT_MAC,
        OPT_NEIGH,
        OPT_SRC_MODE,
        OPT_VXLAN_MARK,
        OPT_NO_GENEVE_MARK,
        OPT_TTL,
        OPT_VXLAN_PORT,
        OPT_GENEVE_PORT,
        OPT_MAX_ENTRIES,
        OPT_GRACE_TIME,
        OPT_STATIC,
    };
    static const struct option long_options[] = {
        { "read", required_argument, NULL, 'r' },
        { "write", required_argument, NULL, 'w' },
        { "local", required_argument, NULL, 'l' },
        { "vtep", required_argument, NULL, OPT_VTEP },
        { "mac", required_argument, NULL, OPT_MAC },
        { "neigh", required_argument, NULL, OPT_NEIGH },
        { "src-mode", required_argument, NULL, OPT_SRC_MODE },
        { "vxlan-mark", no_argument, NULL, OPT_VXLAN_MARK },
        { "no-geneve-mark", no_argument, NULL, OPT_NO_GENEVE_MARK },
        { "ttl", required_argument, NULL, OPT_TTL },
        { "vxlan-port", required_argument, NULL, OPT_VXLAN_PORT },
        { "geneve-port", required_argument, NULL, OPT_GENEVE_PORT },
        { "max-entries", required_argument, NULL, OPT_MAX_ENTRIES },
        { "grace-time", required_argument, NULL, OPT_GRACE_TIME },
        { "static", required_argument, NULL, OPT_STATIC },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    bool have_v4 = false, have_v6 = false;
    struct in6_addr ip;
    unsigned long x;

    memset(opts, 0, sizeof *opts);
    mob_redirect_config_init(&opts->rd);
    mob_table_config_init(&opts->table);

    opterr = 0;
    for (;;) {
        int c = getopt_long(argc, argv, ":r:w:l:qhV", long_options, NULL);
        if (c == -1) {
            break;
        }
        switch (c) {
        case 'r':
            opts->in_file = optarg;
            break;

        case 'w':
            opts->out_file = optarg;
            break;

        case 'l':
            opts->local_file = optarg;
            break;

        case OPT_VTEP:
            if (!mob_ip_parse(optarg, &ip) || mob_ip_is_zero(&ip)) {
                usage_error("--vtep: \"%s\" is not an IPv4 or IPv6 address",
                            optarg);
            }
            if (mob_ip_is_v4(&ip)) {
                if (have_v4 && !mob_ip_equals(&ip, &opts->rd.local_vtep4)) {
                    usage_error("--vtep: a VTEP has one IPv4 address, not "
                                "two");
                }
                opts->rd.local_vtep4 = ip;
                have_v4 = true;
            } else {
                if (have_v6 && !mob_ip_equals(&ip, &opts->rd.local_vtep6)) {
                    usage_error("--vtep: a VTEP has one IPv6 address, not "
                                "two");
                }
                opts->rd.local_vtep6 = ip;
                have_v6 = true;
            }
            break;

        case OPT_MAC:
            if (!mob_eth_addr_parse(optarg, &opts->rd.local_mac)) {
                usage_error("--mac: \"%s\" is not a MAC address", optarg);
            }
            if (mob_eth_addr_is_multicast(&opts->rd.local_mac)) {
                usage_error("--mac: %s is a multicast address", optarg);
            }
            break;

        case OPT_NEIGH:
            parse_neigh(optarg, &opts->neigh);
            break;

        case OPT_SRC_MODE:
            if (!mob_src_mode_from_string(optarg, &opts->rd.src_mode)) {
                usage_error("--src-mode wants keep or local, not \"%s\"",
                            optarg);
            }
            break;

        case OPT_VXLAN_MARK:
            opts->rd.vxlan_mark = true;
            break;

        case OPT_NO_GENEVE_MARK:
            opts->rd.geneve_mark = false;
            break;

        case OPT_TTL:
            if (!mob_parse_uint(optarg, 1, 255, &x)) {
                usage_error("--ttl wants an integer from 1 to 255, not "
                            "\"%s\"", optarg);
            }
            opts->rd.ttl = x;
            break;

        case OPT_VXLAN_PORT:
            opts->rd.pkt.vxlan_port = parse_port("vxlan-port", optarg);
            break;

        case OPT_GENEVE_PORT:
            opts->rd.pkt.geneve_port = parse_port("geneve-port", optarg);
            break;

        case OPT_MAX_ENTRIES:
            if (!mob_parse_uint(optarg, 1, MOB_TABLE_MAX_ENTRIES, &x)) {
                usage_error("--max-entries wants an integer from 1 to %u, "
                            "not \"%s\"", MOB_TABLE_MAX_ENTRIES, optarg);
            }
            opts->table.max_entries = x;
            break;

        case OPT_GRACE_TIME:
            if (!mob_parse_uint(optarg, 1, UINT32_MAX / 2, &x)) {
                usage_error("--grace-time wants seconds from 1 to %u, not "
                            "\"%s\"", UINT32_MAX / 2, optarg);
            }
            opts->table.grace_time = x;
            break;

        case OPT_STATIC:
            parse_static(optarg, opts);
            break;

        case 'q':
            opts->quiet = true;
            break;

        case 'h':
            usage();

        case 'V':
            printf("%s (%s) %s\n", program_name, PACKAGE_NAME,
                   PACKAGE_VERSION);
            exit(EXIT_SUCCESS);

        case ':':
            usage_error("option \"%s\" needs an argument", argv[optind - 1]);

        case '?':
        default:
            if (optopt) {
                usage_error("unknown option \"-%c\"", optopt);
            }
            usage_error("unknown option \"%s\"", argv[optind - 1]);
        }
    }

    if (optind < argc) {
        usage_error("unexpected argument \"%s\" (the input is given with "
                    "-r)", argv[optind]);
    }
    if (!opts->in_file) {
        usage_error("no input capture (use -r IN.pcap)");
    }
    if (opts->rd.pkt.vxlan_port == opts->rd.pkt.geneve_port) {
        usage_error("VXLAN and Geneve cannot share UDP port %u",
                    opts->rd.pkt.vxlan_port);
    }
    for (size_t i = 0; i < opts->n_statics; i++) {
        if (mob_ip_is_v4(&opts->statics[i].vtep)
            ? mob_ip_equals(&opts->statics[i].vtep, &opts->rd.local_vtep4)
            : mob_ip_equals(&opts->statics[i].vtep, &opts->rd.local_vtep6)) {
            usage_error("--static: an entry cannot point at this VTEP");
        }
    }
    if (opts->n_statics > opts->table.max_entries) {
        usage_error("%zu --static entries do not fit in --max-entries=%"
                    PRIu32, opts->n_statics, opts->table.max_entries);
    }
    opts->rd.neigh_lookup = neigh_lookup;
    opts->rd.neigh_aux = &opts->neigh;
}

/* Opens capture 'file' for reading, with the timestamp precision it was
 * written with, which it stores in '*precision' (the precision of the
 * captures written from it).  Exits on error. */
static pcap_t *
open_input(const char *file, int *precision)
{
    char errbuf[PCAP_ERRBUF_SIZE];
    unsigned char magic[4];
    pcap_t *pcap;
    FILE *stream;

    stream = fopen(file, "rb");
    if (!stream) {
        fatal("%s: %s", file, strerror(errno));
    }

    /* Classic pcap files say their precision in their magic number; keep
     * it.  pcapng, whose interfaces may each have their own, is read with
     * nanoseconds, which loses nothing. */
    *precision = PCAP_TSTAMP_PRECISION_NANO;
    if (fread(magic, 1, sizeof magic, stream) == sizeof magic) {
        uint32_t be = mob_get_be32(magic);

        if (be == 0xa1b2c3d4 || be == 0xd4c3b2a1) {
            *precision = PCAP_TSTAMP_PRECISION_MICRO;
        }
    }
    rewind(stream);

    errbuf[0] = '\0';
    pcap = pcap_fopen_offline_with_tstamp_precision(stream, *precision,
                                                    errbuf);
    if (!pcap) {
        fclose(stream);
        fatal("%s: %s", file, errbuf);
    }
    if (pcap_datalink(pcap) != DLT_EN10MB) {
        fatal("%s: link type %s, but only Ethernet captures can be "
              "processed", file,
              pcap_datalink_val_to_name(pcap_datalink(pcap))
              ? pcap_datalink_val_to_name(pcap_datalink(pcap)) : "unknown");
    }
    return pcap;
}

/* Opens capture 'file' for writing Ethernet frames with timestamp
 * 'precision'.  Stores the handle that owns the dumper in '*pcapp'.
 * Exits on error. */
static pcap_dumper_t *
open_output(const char *file, int precision, pcap_t **pcapp)
{
    pcap_dumper_t *dumper;
    pcap_t *pcap;

    pcap = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, OUT_SNAPLEN,
                                                precision);
    if (!pcap) {
        fatal("pcap_open_dead failed");
    }
    dumper = pcap_dump_open(pcap, file);
    if (!dumper) {
        fatal("%s", pcap_geterr(pcap));
    }
    *pcapp = pcap;
    return dumper;
}

/* Closes 'dumper' (writing 'file') and its handle 'pcap', if open.  Exits
 * on a write error. */
static void
close_output(pcap_dumper_t *dumper, pcap_t *pcap, const char *file)
{
    if (dumper) {
        if (pcap_dump_flush(dumper)) {
            fatal("%s: write failed", file);
        }
        pcap_dump_close(dumper);
        pcap_close(pcap);
    }
}

/* Writes 'len' bytes at 'data' to 'dumper' with 'hdr''s timestamp and
 * 'wire_len' as the frame's length on the wire. */
static void
dump_frame(pcap_dumper_t *dumper, const struct pcap_pkthdr *hdr,
           const uint8_t *data, size_t len, size_t wire_len)
{
    struct pcap_pkthdr out;

    memset(&out, 0, sizeof out);
    out.ts = hdr->ts;
    out.caplen = len;
    out.len = wire_len;
    pcap_dump((u_char *) dumper, &out, data);
}

/* Learns the --static entries into 'run->table' at time 'now'.  Exits if
 * one is refused. */
static void
load_statics(struct run *run, const struct options *opts, uint32_t now)
{
    for (size_t i = 0; i < opts->n_statics; i++) {
        const struct mob_learn *req = &opts->statics[i];
        enum mob_learn_result result;
        char ip[MOB_IP_STRLEN];

        result = mob_table_learn(run->table, req, now, NULL);
        if (result != MOB_LEARN_NEW && result != MOB_LEARN_MOVED
            && result != MOB_LEARN_REFRESHED) {
            fatal("--static %"PRIu32","MOB_ETH_ADDR_FMT",%s: %s", req->vni,
                  MOB_ETH_ADDR_ARGS(req->mac), mob_ip_format(&req->vtep, ip),
                  mob_learn_result_to_string(result));
        }
    }
}

/* Adds a redirect of 'bytes' bytes to 'vtep' to the per-VTEP counts of
 * 'run'. */
static void
count_vtep(struct run *run, const struct in6_addr *vtep, size_t bytes)
{
    struct vtep_count *vc = NULL;

    for (size_t i = 0; i < run->n_vteps; i++) {
        if (mob_ip_equals(&run->vteps[i].vtep, vtep)) {
            vc = &run->vteps[i];
            break;
        }
    }
    if (!vc) {
        run->vteps = realloc(run->vteps,
                             (run->n_vteps + 1) * sizeof *run->vteps);
        if (!run->vteps) {
            fatal("out of memory");
        }
        vc = &run->vteps[run->n_vteps++];
        memset(vc, 0, sizeof *vc);
        vc->vtep = *vtep;
    }
    vc->packets++;
    vc->bytes += bytes;
}

/* Prints the learn that the last frame of 'run' ('len' bytes at 'frame',
 * unchanged by the pipeline, captured per 'hdr') caused, as recorded in
 * 'res'. */
static void
print_learn(const struct run *run, const struct pcap_pkthdr *hdr,
            const uint8_t *frame, size_t len,
            const struct options *opts, const struct mob_result *res)
{
    struct mob_tnl_pkt pkt;
    char ip[MOB_IP_STRLEN];

    /* The announcement arrived in a well-formed tunnel packet: parsing it
     * again gives the VNI and VTEP that the learn request had. */
    if (mob_pkt_parse_tunnel(frame, len, &opts->rd.pkt, &pkt)
        != MOB_PKT_OK) {
        return;
    }
    printf("frame %"PRIu64" at %lld.%0*ld: %s for vni %"PRIu32" mac "
           MOB_ETH_ADDR_FMT" from %s (%s): %s\n",
           run->n_frames, (long long) hdr->ts.tv_sec, run->nano ? 9 : 6,
           (long) hdr->ts.tv_usec,
           mob_announce_type_to_string(res->ann.type), pkt.vni,
           MOB_ETH_ADDR_ARGS(res->ann.mac), mob_ip_format(&pkt.outer_src, ip),
           mob_tnl_type_to_string(pkt.type),
           mob_learn_result_to_string(res->learn));
}

/* Prints each line of 'text' indented by two spaces. */
static void
print_indented(const char *text)
{
    while (*text) {
        size_t n = strcspn(text, "\n");

        printf("  %.*s\n", (int) n, text);
        text += n + (text[n] == '\n');
    }
}

/* Prints the report of 'run': redirects per VTEP, rejects per reason, loop
 * drops and fallbacks per verdict, the table and the counters. */
static void
print_report(const struct run *run, const struct options *opts)
{
    const struct mob_redirect_stats *s = &run->stats;
    struct mob_ds ds = MOB_DS_EMPTY_INITIALIZER;
    struct mob_table_stats ts;
    char ip[MOB_IP_STRLEN];

    printf("Redirected (%"PRIu64" packets, %"PRIu64" bytes):\n",
           s->redirected_packets, s->redirected_bytes);
    for (size_t i = 0; i < run->n_vteps; i++) {
        printf("  to %s: %"PRIu64" packets, %"PRIu64" bytes\n",
               mob_ip_format(&run->vteps[i].vtep, ip),
               run->vteps[i].packets, run->vteps[i].bytes);
    }

    printf("Rejected (%"PRIu64" malformed):\n", s->rejected);
    for (int e = 0; e < MOB_PKT_N_ERRORS; e++) {
        if (e != MOB_PKT_OK && e != MOB_PKT_NOT_TUNNEL && s->parse.n[e]) {
            printf("  %s: %"PRIu64"\n", mob_pkt_error_to_string(e),
                   s->parse.n[e]);
        }
    }

    printf("Dropped by loop protection (%"PRIu64"):\n", s->loop_drops);
    for (int v = 0; v < MOB_RD_N_VERDICTS; v++) {
        if (mob_redirect_verdict_is_loop(v) && s->verdicts[v]) {
            printf("  %s: %"PRIu64"\n", mob_redirect_verdict_to_string(v),
                   s->verdicts[v]);
        }
    }

    printf("Delivered locally instead of redirected (%"PRIu64"):\n",
           s->fallbacks);
    for (int v = 0; v < MOB_RD_N_VERDICTS; v++) {
        if (v != MOB_RD_REDIRECT && !mob_redirect_verdict_is_loop(v)
            && s->verdicts[v]) {
            printf("  %s: %"PRIu64"\n", mob_redirect_verdict_to_string(v),
                   s->verdicts[v]);
        }
    }

    /* The table and the counters as mobility/show and mobility/stats
     * print them, at the time of the last frame. */
    mob_cmd_format_show(&ds, run->table, run->now);
    printf("Table:\n");
    print_indented(mob_ds_cstr(&ds));

    mob_ds_clear(&ds);
    mob_table_get_stats(run->table, &ts);
    mob_cmd_format_stats(&ds, &ts, s);
    printf("Statistics:\n"
           "  frames: %"PRIu64"\n"
           "  truncated_by_capture: %"PRIu64"\n",
           run->n_frames, run->n_truncated);
    print_indented(mob_ds_cstr(&ds));
    if (opts->local_file) {
        printf("  written_locally: %"PRIu64"\n", run->n_local_written);
    }
    mob_ds_destroy(&ds);
}

/* Runs the pipeline over the input capture per 'opts'.  Returns an exit
 * status. */
static int
process(const struct options *opts)
{
    pcap_dumper_t *out = NULL, *local = NULL;
    pcap_t *out_pcap = NULL, *local_pcap = NULL;
    struct pcap_pkthdr *hdr;
    const u_char *data;
    bool statics_loaded = false;
    uint8_t *buf = NULL;
    size_t buf_size = 0;
    struct run run;
    pcap_t *in;
    int precision;
    int error;

    memset(&run, 0, sizeof run);
    in = open_input(opts->in_file, &precision);
    run.nano = precision == PCAP_TSTAMP_PRECISION_NANO;
    if (opts->out_file) {
        out = open_output(opts->out_file, precision, &out_pcap);
    }
    if (opts->local_file) {
        local = open_output(opts->local_file, precision, &local_pcap);
    }
    run.table = mob_table_create(&opts->table);
    if (!run.table) {
        fatal("cannot create a table of %"PRIu32" entries",
              opts->table.max_entries);
    }

    while ((error = pcap_next_ex(in, &hdr, &data))
           == 1) {
        struct mob_result res;
        uint8_t *frame;
        size_t len = hdr->caplen;
        uint32_t now;

        run.n_frames++;
        if (hdr->caplen < hdr->len) {
            run.n_truncated++;
        }

        /* The capture's clock is the table's clock. */
        now = (hdr->ts.tv_sec < 0 ? 0
               : hdr->ts.tv_sec > UINT32_MAX ? UINT32_MAX
               : (uint32_t) hdr->ts.tv_sec);
        run.now = now;
        if (!statics_loaded) {
            load_statics(&run, opts, now);
            statics_loaded = true;
        }
        if (mob_table_next_expiry(run.table) <= now) {
            mob_table_age(run.table, now);
        }

        if (HEADROOM + len > buf_size) {
            buf_size = HEADROOM + len;
            free(buf);
            buf = malloc(buf_size);
            if (!buf) {
                fatal("out of memory");
            }
        }
        frame = buf + HEADROOM;
        memcpy(frame, data, len);

        mob_redirect_process(frame, len, HEADROOM, run.table, &opts->rd,
                             now, &res);
        mob_redirect_stats_count(&run.stats, &res, len);

        if (res.announce && !opts->quiet) {
            print_learn(&run, hdr, frame, len, opts, &res);
        }

        switch (res.action) {
        case MOB_ACT_REDIRECT:
            count_vtep(&run, &res.entry.vtep, len + res.grow);
            if (out) {
                dump_frame(out, hdr, frame - res.grow, len + res.grow,
                           hdr->len + res.grow);
            }
            break;

        case MOB_ACT_LOCAL:
            if (local) {
                dump_frame(local, hdr, frame, len, hdr->len);
                run.n_local_written++;
            }
            break;

        case MOB_ACT_DROP:
        case MOB_ACT_REJECT:
            break;
        }
    }
    if (error == PCAP_ERROR) {
        fatal("%s: %s", opts->in_file, pcap_geterr(in));
    }
    if (!statics_loaded) {
        load_statics(&run, opts, 0);
    }

    close_output(out, out_pcap, opts->out_file);
    close_output(local, local_pcap, opts->local_file);
    pcap_close(in);

    if (!opts->quiet) {
        print_report(&run, opts);
    }

    mob_table_destroy(run.table);
    free(run.vteps);
    free(buf);
    return EXIT_SUCCESS;
}

/* Runs the capture named on the command line through the pipeline.
 * Returns 0 on success, 1 on a runtime error, 2 on a usage error. */
int
main(int argc, char *argv[])
{
    struct options opts;
    int status;

    parse_options(argc, argv, &opts);
    status = process(&opts);
    free(opts.neigh.neighs);
    free(opts.statics);
    return status;
}
