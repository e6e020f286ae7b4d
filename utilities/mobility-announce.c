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

/* mobility-announce: sends on an interface what QEMU sends after a live
 * migration (RARP by default, or a gratuitous ARP or an unsolicited IPv6
 * neighbour advertisement), on QEMU's default schedule, or writes the same
 * frames to a capture file with timestamps that follow the schedule.
 *
 * With --wait, it opens the interface and builds the frames first, then
 * waits for a line on standard input and sends from that moment: a
 * hypervisor announces from a process that is already running when the VM
 * resumes, so the first frame leaves at once rather than after a program's
 * start-up.
 *
 * The frames come from lib's builders (mob_announce_build_*()), so that
 * they are exactly what lib's detector expects.  See
 * mobility-announce(8). */

#include <config.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/if_packet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#endif
#include "mob-addr.h"
#include "mob-announce.h"
#include "mob-cmd.h"
#include "mob-packet.h"

#define MAX_COUNT 10000
#define MAX_INTERVAL_MS 3600000
#define MAX_VID 4094
#define FRAME_MAX (MOB_NA_LEN + MOB_VLAN_HLEN)

/* A send that fails because the interface is down (ENETDOWN) is
 * retried every RETRY_US microseconds for up to RETRY_MAX_MS: with --wait
 * the trigger may come a moment before the interface is up. */
#define RETRY_US 100
#define RETRY_MAX_MS 1000

/* The kind of frame to send; "garp-reply" is a GARP with 'reply'. */
enum ann_kind {
    KIND_RARP,
    KIND_GARP,
    KIND_GARP_REPLY,
    KIND_NA,
};

struct options {
    enum ann_kind kind;
    const char *iface;          /* NULL when writing a file. */
    struct mob_eth_addr mac;
    bool have_ip;
    struct in6_addr ip;
    unsigned int count;
    bool have_interval;
    unsigned int interval_ms;
    bool have_vlan;
    uint16_t vid;
    const char *write_file;
    bool wait;                  /* Send on a line on stdin. */
    bool verbose;
};

static const char *program_name = "mobility-announce";

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
    fprintf(stderr, "\nusage: %s [OPTIONS] IFACE MAC\n"
            "       %s [OPTIONS] --write FILE.pcap [IFACE] MAC\n"
            "Try '%s --help' for more information.\n",
            program_name, program_name, program_name);
    exit(2);
}

/* Prints the help text and exits successfully. */
static void __attribute__((noreturn))
usage(void)
{
    printf("%s: send the announcements QEMU sends after a live migration\n"
           "usage: %s [OPTIONS] IFACE MAC\n"
           "       %s [OPTIONS] --write FILE.pcap [IFACE] MAC\n"
           "\n"
           "Options:\n"
           "  -t, --type=TYPE     rarp (default), garp, garp-reply or na\n"
           "  -i, --ip=ADDR       the VM's address: IPv4 for garp and\n"
           "                      garp-reply, IPv6 for na\n"
           "  -c, --count=N       send N announcements (default %d)\n"
           "  -I, --interval=MS   MS milliseconds apart (default: QEMU's\n"
           "                      schedule, gaps of 50, 150, 250, 350 ms)\n"
           "      --vlan=VID      add an 802.1Q tag with VLAN ID VID\n"
           "  -w, --write=FILE    write a pcap capture instead of sending\n"
           "  -W, --wait          open IFACE, then wait for a line on\n"
           "                      standard input and send from then on\n"
           "  -v, --verbose       print each frame as it goes\n"
           "  -h, --help          print this help and exit\n"
           "  -V, --version       print the version and exit\n",
           program_name, program_name, program_name,
           MOB_ANNOUNCE_QEMU_ROUNDS);
    exit(EXIT_SUCCESS);
}

/* Parses the command line into '*opts', exiting with a message on any
 * error. */
static void
parse_options(int argc, char *argv[], struct options *opts)
{
    enum { OPT_VLAN = UCHAR_MAX + 1 };
    static const struct option long_options[] = {
        { "type", required_argument, NULL, 't' },
        { "ip", required_argument, NULL, 'i' },
        { "count", required_argument, NULL, 'c' },
        { "interval", required_argument, NULL, 'I' },
        { "vlan", required_argument, NULL, OPT_VLAN },
        { "write", required_argument, NULL, 'w' },
        { "wait", no_argument, NULL, 'W' },
        { "verbose", no_argument, NULL, 'v' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    const char *ip_arg = NULL;
    unsigned long x;
    int n_args;

    memset(opts, 0, sizeof *opts);
    opts->kind = KIND_RARP;
    opts->count = MOB_ANNOUNCE_QEMU_ROUNDS;

    opterr = 0;
    for (;;) {
        int c = getopt_long(argc, argv, ":t:i:c:I:w:WvhV", long_options,
                            NULL);
        if (c == -1) {
            break;
        }
        switch (c) {
        case 't':
            if (!strcmp(optarg, "rarp")) {
                opts->kind = KIND_RARP;
            } else if (!strcmp(optarg, "garp")) {
                opts->kind = KIND_GARP;
            } else if (!strcmp(optarg, "garp-reply")) {
                opts->kind = KIND_GARP_REPLY;
            } else if (!strcmp(optarg, "na")) {
                opts->kind = KIND_NA;
            } else {
                usage_error("unknown announcement type \"%s\" (use rarp, "
                            "garp, garp-reply or na)", optarg);
            }
            break;

        case 'i':
            if (!mob_ip_parse(optarg, &opts->ip)) {
                usage_error("\"%s\" is not an IPv4 or IPv6 address", optarg);
            }
            ip_arg = optarg;
            opts->have_ip = true;
            break;

        case 'c':
            if (!mob_parse_uint(optarg, 1, MAX_COUNT, &x)) {
                usage_error("--count wants an integer from 1 to %d, not "
                            "\"%s\"", MAX_COUNT, optarg);
            }
            opts->count = x;
            break;

        case 'I':
            if (!mob_parse_uint(optarg, 0, MAX_INTERVAL_MS, &x)) {
                usage_error("--interval wants milliseconds from 0 to %d, "
                            "not \"%s\"", MAX_INTERVAL_MS, optarg);
            }
            opts->interval_ms = x;
            opts->have_interval = true;
            break;

        case OPT_VLAN:
            if (!mob_parse_uint(optarg, 0, MAX_VID, &x)) {
                usage_error("--vlan wants a VLAN ID from 0 to %d, not "
                            "\"%s\"", MAX_VID, optarg);
            }
            opts->vid = x;
            opts->have_vlan = true;
            break;

        case 'w':
            opts->write_file = optarg;
            break;

        case 'W':
            opts->wait = true;
            break;

        case 'v':
            opts->verbose = true;
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

    n_args = argc - optind;
    if (n_args == 2) {
        opts->iface = argv[optind];
    } else if (n_args == 1 && opts->write_file) {
        opts->iface = NULL;
    } else if (n_args < 2) {
        usage_error(opts->write_file ? "missing MAC address"
                    : "missing interface or MAC address");
    } else {
        usage_error("too many arguments");
    }
    if (opts->wait && opts->write_file) {
        usage_error("--wait sends on an interface: it cannot go with "
                    "--write");
    }
    if (!mob_eth_addr_parse(argv[argc - 1], &opts->mac)) {
        usage_error("\"%s\" is not a MAC address (xx:xx:xx:xx:xx:xx)",
                    argv[argc - 1]);
    }
    if (mob_eth_addr_is_multicast(&opts->mac)
        || mob_eth_addr_is_zero(&opts->mac)) {
        usage_error("%s is not a unicast MAC address that a VM could own",
                    argv[argc - 1]);
    }

    switch (opts->kind) {
    case KIND_RARP:
        if (opts->have_ip) {
            usage_error("--ip is not used by RARP, which carries no "
                        "address");
        }
        break;
    case KIND_GARP:
    case KIND_GARP_REPLY:
        if (!opts->have_ip || !mob_ip_is_v4(&opts->ip)) {
            usage_error("a gratuitous ARP needs --ip with the VM's IPv4 "
                        "address%s%s", ip_arg ? ", not " : "",
                        ip_arg ? ip_arg : "");
        }
        if (mob_get_be32(&opts->ip.s6_addr[12]) == 0) {
            usage_error("a gratuitous ARP for 0.0.0.0 is a probe, not an "
                        "announcement");
        }
        break;
    case KIND_NA:
        if (!opts->have_ip || mob_ip_is_v4(&opts->ip)) {
            usage_error("a neighbour advertisement needs --ip with the VM's "
                        "IPv6 address%s%s", ip_arg ? ", not " : "",
                        ip_arg ? ip_arg : "");
        }
        if (mob_ip_is_zero(&opts->ip) || opts->ip.s6_addr[0] == 0xff) {
            usage_error("%s is not a unicast IPv6 address", ip_arg);
        }
        break;
    }
}

/* Builds the announcement per 'opts' into 'buf' (FRAME_MAX bytes) and
 * returns its length. */
static size_t
build_frame(const struct options *opts, uint8_t *buf)
{
    size_t len = 0;

    switch (opts->kind) {
    case KIND_RARP:
        len = mob_announce_build_rarp(&opts->mac, buf);
        break;
    case KIND_GARP:
    case KIND_GARP_REPLY:
        len = mob_announce_build_garp(&opts->mac, &opts->ip.s6_addr[12],
                                      opts->kind == KIND_GARP_REPLY, buf);
        break;
    case KIND_NA:
        len = mob_announce_build_na(&opts->mac, &opts->ip, buf);
        break;
    }

    if (opts->have_vlan) {
        /* Insert the tag after the two MAC addresses. */
        memmove(buf + 2 * MOB_ETH_ADDR_LEN + MOB_VLAN_HLEN,
                buf + 2 * MOB_ETH_ADDR_LEN, len - 2 * MOB_ETH_ADDR_LEN);
        mob_put_be16(buf + 2 * MOB_ETH_ADDR_LEN, MOB_ETH_TYPE_VLAN);
        mob_put_be16(buf + 2 * MOB_ETH_ADDR_LEN + 2, opts->vid);
        len += MOB_VLAN_HLEN;
    }
    return len;
}

/* Returns the gap, in milliseconds, between announcement 'i' - 1 and 'i'
 * (i >= 1) per 'opts'. */
static unsigned int
gap_ms(const struct options *opts, unsigned int i)
{
    return opts->have_interval ? opts->interval_ms
                               : mob_announce_qemu_gap_ms(i);
}

/* Returns the name of the announcement type in 'opts'. */
static const char *
kind_name(const struct options *opts)
{
    switch (opts->kind) {
    case KIND_RARP:
        return "rarp";
    case KIND_GARP:
        return "garp";
    case KIND_GARP_REPLY:
        return "garp-reply";
    case KIND_NA:
        return "na";
    }
    return "?";
}

/* Prints, for -v, that announcement 'i' of 'len' bytes went out at 'ms'
 * milliseconds after the first. */
static void
report_frame(const struct options *opts, unsigned int i, uint64_t ms,
             size_t len)
{
    printf("%s %u/%u for "MOB_ETH_ADDR_FMT" at +%llu ms (%zu bytes)\n",
           kind_name(opts), i + 1, opts->count,
           MOB_ETH_ADDR_ARGS(opts->mac), (unsigned long long) ms, len);
    fflush(stdout);
}

/* Writes the announcements to capture file opts->write_file, the first
 * stamped with the current time.  Returns an exit status. */
static int
write_capture(const struct options *opts, const uint8_t *frame, size_t len)
{
    struct pcap_pkthdr hdr;
    pcap_dumper_t *dumper;
    struct timeval start;
    uint64_t t_us, ms = 0;
    pcap_t *pcap;
    int status = EXIT_SUCCESS;

    pcap = pcap_open_dead(DLT_EN10MB, 65535);
    if (!pcap) {
        fprintf(stderr, "%s: pcap_open_dead failed\n", program_name);
        return EXIT_FAILURE;
    }
    dumper = pcap_dump_open(pcap, opts->write_file);
    if (!dumper) {
        fprintf(stderr, "%s: %s\n", program_name, pcap_geterr(pcap));
        pcap_close(pcap);
        return EXIT_FAILURE;
    }

    gettimeofday(&start, NULL);
    t_us = (uint64_t) start.tv_sec * 1000000 + start.tv_usec;
    for (unsigned int i = 0; i < opts->count; i++) {
        if (i) {
            ms += gap_ms(opts, i);
        }
        memset(&hdr, 0, sizeof hdr);
        hdr.ts.tv_sec = (t_us + ms * 1000) / 1000000;
        hdr.ts.tv_usec = (t_us + ms * 1000) % 1000000;
        hdr.caplen = hdr.len = len;
        pcap_dump((u_char *) dumper, &hdr, frame);
        if (opts->verbose) {
            report_frame(opts, i, ms, len);
        }
    }

    if (pcap_dump_flush(dumper)) {
        fprintf(stderr, "%s: %s: write failed\n", program_name,
                opts->write_file);
        status = EXIT_FAILURE;
    }
    pcap_dump_close(dumper);
    pcap_close(pcap);
    return status;
}

/* Adds 'ms' milliseconds to '*ts'. */
static void
timespec_add_ms(struct timespec *ts, uint64_t ms)
{
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (ms % 1000) * 1000000;
    if (ts->tv_nsec >= 1000000000) {
        ts->tv_nsec -= 1000000000;
        ts->tv_sec++;
    }
}

/* Blocks until a line arrives on standard input.  Returns true when one
 * did, false at end of file (or on a read error) before a newline: then
 * nobody is left to trigger the announcements, and none must go out. */
static bool
wait_trigger(void)
{
    for (;;) {
        char c;
        ssize_t n = read(STDIN_FILENO, &c, 1);

        if (n == 1) {
            if (c == '\n') {
                return true;
            }
        } else if (n == 0 || errno != EINTR) {
            return false;
        }
    }
}

/* Returns the time elapsed since '*start', in microseconds. */
static uint64_t
elapsed_us(const struct timespec *start)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t) (now.tv_sec - start->tv_sec) * 1000000
           + ((int64_t) now.tv_nsec - start->tv_nsec) / 1000;
}

/* Where the frames go out: libpcap's pcap_inject(), except with --wait on
 * Linux.  libpcap refuses to open an interface that is down, and a
 * hypervisor's tap, like the NIC the lab stages before a switchover, is
 * down until the VM resumes; so --wait on Linux sends through an AF_PACKET
 * socket of protocol 0 (it receives nothing) bound to the interface's
 * index, which opens on an interface that is down and keeps working when
 * the interface is renamed and brought up. */
struct sender {
    pcap_t *pcap;                   /* libpcap, or NULL. */
    int fd;                         /* AF_PACKET socket, or -1. */
    char error[PCAP_ERRBUF_SIZE];   /* The last error, for a message. */
};

#ifdef __linux__
/* Opens an AF_PACKET socket on 'iface' into '*s'.  Returns 0, or a
 * positive errno value with a message in s->error. */
static int
raw_open(struct sender *s, const char *iface)
{
    struct sockaddr_ll sll;
    struct ifreq ifr;
    int error;

    s->error[0] = '\0';
    if (strlen(iface) >= sizeof ifr.ifr_name) {
        snprintf(s->error, sizeof s->error, "interface name too long");
        return ENAMETOOLONG;
    }
    s->fd = socket(AF_PACKET, SOCK_RAW, 0);
    if (s->fd < 0) {
        error = errno;
        snprintf(s->error, sizeof s->error, "socket: %s", strerror(error));
        return error;
    }

    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, iface);
    if (ioctl(s->fd, SIOCGIFINDEX, &ifr) < 0) {
        error = errno;
        snprintf(s->error, sizeof s->error, "%s", strerror(error));
        goto fail;
    }
    memset(&sll, 0, sizeof sll);
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = 0;
    sll.sll_ifindex = ifr.ifr_ifindex;
    if (ioctl(s->fd, SIOCGIFHWADDR, &ifr) < 0) {
        error = errno;
        snprintf(s->error, sizeof s->error, "%s", strerror(error));
        goto fail;
    }
    if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER) {
        snprintf(s->error, sizeof s->error, "not an Ethernet interface");
        error = EINVAL;
        goto fail;
    }
    if (bind(s->fd, (struct sockaddr *) &sll, sizeof sll) < 0) {
        error = errno;
        snprintf(s->error, sizeof s->error, "bind: %s", strerror(error));
        goto fail;
    }
    return 0;

fail:
    close(s->fd);
    s->fd = -1;
    return error;
}

/* Sends 'frame' ('len' bytes) once.  Returns 0, or a positive errno value
 * with a message in s->error. */
static int
raw_send(struct sender *s, const uint8_t *frame, size_t len)
{
    ssize_t n = send(s->fd, frame, len, 0);
    int error = n < 0 ? errno : n != (ssize_t) len ? EMSGSIZE : 0;

    if (error) {
        snprintf(s->error, sizeof s->error, "%s", strerror(error));
    }
    return error;
}

#endif  /* __linux__ */

/* Opens 'iface' with libpcap into '*s'.  Returns 0, or a positive errno
 * value with a message in s->error. */
static int
pcap_sender_open(struct sender *s, const char *iface)
{
    s->error[0] = '\0';
    s->pcap = pcap_create(iface, s->error);
    if (!s->pcap) {
        return ENODEV;
    }
    /* Nothing is captured: keep the receive buffer small. */
    pcap_set_snaplen(s->pcap, 64);
    pcap_set_buffer_size(s->pcap, 65536);
    if (pcap_activate(s->pcap) < 0) {
        snprintf(s->error, sizeof s->error, "%s", pcap_geterr(s->pcap));
        pcap_close(s->pcap);
        s->pcap = NULL;
        return ENODEV;
    }
    if (pcap_datalink(s->pcap) != DLT_EN10MB) {
        snprintf(s->error, sizeof s->error, "not an Ethernet interface");
        pcap_close(s->pcap);
        s->pcap = NULL;
        return EINVAL;
    }
    return 0;
}

/* Sends 'frame' ('len' bytes) once.  Returns 0, or a positive errno value
 * with a message in s->error. */
static int
pcap_sender_send(struct sender *s, const uint8_t *frame, size_t len)
{
    int n = pcap_inject(s->pcap, frame, len);
    int error = errno;

    if (n == (int) len) {
        return 0;
    }
    snprintf(s->error, sizeof s->error, "%s", pcap_geterr(s->pcap));
    return n >= 0 || !error ? EIO : error;
}

/* Opens 'iface' into '*s', for sending on an interface that may still be
 * down if 'down_ok'.  Returns 0, or a positive errno value with a message
 * in s->error. */
static int
sender_open(struct sender *s, const char *iface, bool down_ok)
{
    s->pcap = NULL;
    s->fd = -1;
#ifdef __linux__
    if (down_ok) {
        return raw_open(s, iface);
    }
#else
    (void) down_ok;
#endif
    return pcap_sender_open(s, iface);
}

/* Sends 'frame' ('len' bytes) once.  Returns 0, or a positive errno value
 * with a message in s->error. */
static int
sender_send(struct sender *s, const uint8_t *frame, size_t len)
{
#ifdef __linux__
    if (s->fd >= 0) {
        return raw_send(s, frame, len);
    }
#endif
    return pcap_sender_send(s, frame, len);
}

/* Closes '*s'. */
static void
sender_close(struct sender *s)
{
    if (s->pcap) {
        pcap_close(s->pcap);
    }
    if (s->fd >= 0) {
        close(s->fd);
    }
}

/* Sends 'frame' ('len' bytes) on 's'.  While the interface is down
 * (ENETDOWN), retries every RETRY_US microseconds for up to
 * RETRY_MAX_MS, so that an announcement triggered a moment before the
 * interface comes up is late rather than lost.  Stores the number of
 * retries in '*retries'.  Returns 0 or a positive errno value. */
static int
inject(struct sender *s, const uint8_t *frame, size_t len,
       unsigned int *retries)
{
    struct timespec start;

    *retries = 0;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        struct timespec pause = { 0, RETRY_US * 1000 };
        int error = sender_send(s, frame, len);

        if (error != ENETDOWN
            || elapsed_us(&start) >= RETRY_MAX_MS * 1000) {
            return error;
        }
        ++*retries;
        nanosleep(&pause, NULL);
    }
}

/* Sends the announcements on opts->iface, each at its time on the
 * schedule measured from the first (with opts->wait, from the line on
 * standard input that triggers them).  Returns an exit status. */
static int
send_frames(const struct options *opts, const uint8_t *frame, size_t len)
{
    struct sender sender;
    struct timespec start;
    uint64_t ms = 0;
    int status = EXIT_SUCCESS;

    if (sender_open(&sender, opts->iface, opts->wait)) {
        fprintf(stderr, "%s: %s: %s\n", program_name, opts->iface,
                sender.error);
        return EXIT_FAILURE;
    }

    if (opts->wait) {
        /* On Linux the socket is bound to the interface's index: the
         * interface may be renamed, or brought up, while we wait. */
        if (opts->verbose) {
            printf("armed on %s: waiting for a line on standard input\n",
                   opts->iface);
            fflush(stdout);
        }
        if (!wait_trigger()) {
            fprintf(stderr, "%s: end of standard input before the "
                    "trigger: nothing sent\n", program_name);
            sender_close(&sender);
            return EXIT_FAILURE;
        }
    }

    clock_gettime(CLOCK_MONOTONIC, &start);
    for (unsigned int i = 0; i < opts->count; i++) {
        unsigned int retries;

        if (i) {
            struct timespec when = start;
            int error;

            ms += gap_ms(opts, i);
            timespec_add_ms(&when, ms);
            do {
                error = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME,
                                        &when, NULL);
            } while (error == EINTR);
        }
        if (inject(&sender, frame, len, &retries)) {
            fprintf(stderr, "%s: %s: send failed: %s\n", program_name,
                    opts->iface, sender.error);
            status = EXIT_FAILURE;
            break;
        }
        if (opts->verbose) {
            report_frame(opts, i, ms, len);
            if (retries) {
                printf("  (interface down: sent after %u retries)\n",
                       retries);
                fflush(stdout);
            }
        }
    }

    sender_close(&sender);
    return status;
}

/* Sends or writes the announcements the command line asks for.  Returns 0
 * on success, 1 on a runtime error, 2 on a usage error. */
int
main(int argc, char *argv[])
{
    uint8_t frame[FRAME_MAX];
    struct options opts;
    size_t len;

    parse_options(argc, argv, &opts);
    len = build_frame(&opts, frame);
    return (opts.write_file
            ? write_capture(&opts, frame, len)
            : send_frames(&opts, frame, len));
}
